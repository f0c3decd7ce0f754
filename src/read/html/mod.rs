//! TODO(helper): the html reader.

use super::{ReadOptions, Reader, Reading};
use crate::error::{Error, Result};

pub struct HtmlReader;

impl Reader for HtmlReader {
    fn read(&self, _input: &str, _options: &ReadOptions) -> Result<Reading> {
        Err(Error::Parse {
            format: "html",
            message: "reader not written yet".into(),
        })
    }
}
