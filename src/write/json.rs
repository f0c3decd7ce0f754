//! The model as JSON: lets other programs read, change and feed back (`--from json`) what
//! quire read.

use super::{Rendered, WriteOptions, Writer, STREAM_CHUNK};
use crate::error::{Result, Warning};
use crate::model::Document;
use std::io::{self, Write};

/// Writes the model as pretty-printed JSON.
pub struct JsonWriter;

impl Writer for JsonWriter {
    fn write(&self, document: &Document, options: &WriteOptions) -> Result<Rendered> {
        let mut bytes = Vec::new();
        self.write_to(document, options, &mut bytes)?;
        Ok(Rendered {
            bytes,
            warnings: Vec::new(),
        })
    }

    fn write_to(
        &self,
        document: &Document,
        _options: &WriteOptions,
        out: &mut dyn io::Write,
    ) -> Result<Vec<Warning>> {
        // serde_json writes token by token: gather them into chunks.
        let mut out = io::BufWriter::with_capacity(STREAM_CHUNK, out);
        serde_json::to_writer_pretty(&mut out, document).map_err(io::Error::from)?;
        out.write_all(b"\n")?;
        out.flush()?;
        Ok(Vec::new())
    }
}
