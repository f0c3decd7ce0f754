//! Reads quire's own model back from JSON (what the JSON writer writes, in its compact form
//! or the older one where every cell was an object).

use super::{ReadOptions, Reader, Reading};
use crate::error::{Error, Result};
use crate::model::serde_form::{JSON_VERSION, NEWER_VERSION, NOT_A_DOCUMENT};
use crate::model::{Document, MAX_DEPTH};

/// The JSON nesting serde_json reads with its recursion limit on.
const SERDE_JSON_DEPTH: usize = 128;

/// The deepest JSON a document within [`MAX_DEPTH`] is written as: each level of the model
/// takes at most seven of JSON (a table's block: the table, its fields, its rows, a row, its
/// cells, a cell, its blocks), and the document and its fields a few more.
const MAX_JSON_DEPTH: usize = 7 * MAX_DEPTH + 8;

/// The stack a deep document is parsed on: serde's frames for [`MAX_JSON_DEPTH`] levels, a
/// few kilobytes each in a debug build, with room to spare. Only what is used is touched.
const DEEP_PARSE_STACK: usize = 64 << 20;

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
        // How deep the JSON nests decides where it is parsed: serde_json's own limit (128
        // levels) keeps shallow input on the caller's stack, as almost all is; a document
        // as deep as the model allows is parsed on a stack of its own; anything deeper could
        // not be a document, and is refused before it is parsed. `read` then checks the
        // model's own depth limit.
        let depth = json_depth(input, MAX_JSON_DEPTH + 1);
        let parsed = if depth > MAX_JSON_DEPTH {
            return Err(Error::TooDeep { max: MAX_DEPTH });
        } else if depth <= SERDE_JSON_DEPTH {
            serde_json::from_str(input)
        } else {
            parse_deep(input)
        };
        let document = parsed.map_err(|e| {
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

/// [`serde_json::from_str`] for JSON deeper than its recursion limit allows (and no deeper
/// than [`MAX_JSON_DEPTH`], which the caller has checked), on a thread with a stack of
/// [`DEEP_PARSE_STACK`]: the caller's may be small (a worker's, an embedding program's).
fn parse_deep(input: &str) -> serde_json::Result<Document> {
    let parse = || {
        let mut deserializer = serde_json::Deserializer::from_str(input);
        deserializer.disable_recursion_limit();
        let document = serde::Deserialize::deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(document)
    };
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("quire-json".into())
            .stack_size(DEEP_PARSE_STACK)
            .spawn_scoped(scope, parse)
        {
            Ok(parsing) => parsing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: the limit stays, and the input is refused as too deep.
            Err(_) => serde_json::from_str(input),
        }
    })
}

/// How deep `input`'s arrays and objects nest (outside strings), counted up to `stop`.
fn json_depth(input: &str, stop: usize) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for &byte in input.as_bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > deepest {
                    deepest = depth;
                    if deepest >= stop {
                        return deepest;
                    }
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
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
