//! TODO(helper): the markdown writer.

use super::{Rendered, WriteOptions, Writer};
use crate::error::Result;
use crate::model::Document;

pub struct MarkdownWriter;

impl Writer for MarkdownWriter {
    fn write(&self, _document: &Document, _options: &WriteOptions) -> Result<Rendered> {
        Ok(Rendered::from_string(String::new()))
    }
}
