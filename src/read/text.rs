//! TODO(helper): the text reader.

use super::{ReadOptions, Reader, Reading};
use crate::error::{Error, Result};

pub struct TextReader;

impl Reader for TextReader {
    fn read(&self, _input: &str, _options: &ReadOptions) -> Result<Reading> {
        Err(Error::Parse {
            format: "text",
            message: "reader not written yet".into(),
        })
    }
}
