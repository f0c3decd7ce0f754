//! TODO(helper): the markdown reader.

use super::{ReadOptions, Reader, Reading};
use crate::error::{Error, Result};

pub struct MarkdownReader;

impl Reader for MarkdownReader {
    fn read(&self, _input: &str, _options: &ReadOptions) -> Result<Reading> {
        Err(Error::Parse {
            format: "markdown",
            message: "reader not written yet".into(),
        })
    }
}
