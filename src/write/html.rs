//! TODO(helper): the html writer.

use super::{Rendered, WriteOptions, Writer};
use crate::error::Result;
use crate::model::Document;

pub struct HtmlWriter;

impl Writer for HtmlWriter {
    fn write(&self, _document: &Document, _options: &WriteOptions) -> Result<Rendered> {
        Ok(Rendered::from_string(String::new()))
    }
}
