//! TODO(helper): the text writer.

use super::{Rendered, WriteOptions, Writer};
use crate::error::Result;
use crate::model::Document;

pub struct TextWriter;

impl Writer for TextWriter {
    fn write(&self, _document: &Document, _options: &WriteOptions) -> Result<Rendered> {
        Ok(Rendered::from_string(String::new()))
    }
}
