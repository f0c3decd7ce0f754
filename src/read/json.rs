//! Reads quire's own model back from JSON (what the JSON writer writes).

use super::{ReadOptions, Reader, Reading};
use crate::error::{Error, Result};

/// Reads `--to json` output back into the model.
pub struct JsonReader;

impl Reader for JsonReader {
    fn read(&self, input: &str, _options: &ReadOptions) -> Result<Reading> {
        // serde_json stops at 128 levels of JSON nesting, so no input can overflow the stack;
        // `read` then checks the model's own depth limit.
        let document = serde_json::from_str(input).map_err(|e| Error::Parse {
            format: "quire JSON",
            message: e.to_string(),
        })?;
        Ok(Reading {
            document,
            warnings: Vec::new(),
        })
    }
}
