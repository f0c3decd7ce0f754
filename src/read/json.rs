//! Reads quire's own model back from JSON (what the JSON writer writes, in its compact form
//! or the older one where every cell was an object).

use super::{ReadOptions, Reader, Reading};
use crate::error::{Error, Result};
use crate::model::serde_form::{JSON_VERSION, NEWER_VERSION, NOT_A_DOCUMENT};

/// Reads `--to json` output back into the model.
pub struct JsonReader;

impl Reader for JsonReader {
    fn read_text(&self, input: &str, _options: &ReadOptions) -> Result<Reading> {
        let not_a_document = || Error::Parse {
            format: "quire JSON",
            message: NOT_A_DOCUMENT.to_string(),
        };
        // Anything but an object (an array, a number, a string) is some other JSON: say what
        // was expected rather than where the parse failed.
        if !input.trim_start().starts_with('{') {
            return Err(not_a_document());
        }
        // serde_json stops at 128 levels of JSON nesting, so no input can overflow the stack;
        // `read` then checks the model's own depth limit.
        let document = serde_json::from_str(input).map_err(|e| {
            let message = e.to_string();
            if message.starts_with(NOT_A_DOCUMENT) {
                not_a_document()
            } else if let Some(found) = newer_version(&message) {
                Error::NewerVersion {
                    found,
                    known: JSON_VERSION,
                }
            } else {
                Error::Parse {
                    format: "quire JSON",
                    message,
                }
            }
        })?;
        Ok(Reading::new(document, Vec::new()))
    }
}

/// The version in serde's message for a JSON form newer than this quire's (which ends with
/// where in the input it was found).
fn newer_version(message: &str) -> Option<u64> {
    let rest = message.strip_prefix(NEWER_VERSION)?;
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..digits].parse().ok()
}
