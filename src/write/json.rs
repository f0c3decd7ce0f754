//! The model as JSON: lets other programs read, change and feed back (`--from json`) what
//! quire read.

use super::{Rendered, WriteOptions, Writer};
use crate::error::Result;
use crate::model::Document;

/// Writes the model as pretty-printed JSON.
pub struct JsonWriter;

impl Writer for JsonWriter {
    fn write(&self, document: &Document, _options: &WriteOptions) -> Result<Rendered> {
        let mut text = serde_json::to_string_pretty(document).map_err(std::io::Error::from)?;
        text.push('\n');
        Ok(Rendered::from_string(text))
    }
}
