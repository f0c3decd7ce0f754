//! The library's error type, and warnings (which are values, not prints).
//!
//! Errors say what was wrong with the input; the CLI adds which file it was.

use std::fmt;

/// Everything that can make reading or writing a document fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the input is empty")]
    Empty,
    #[error("the input looks like binary data, not a document ({0})")]
    Binary(String),
    #[error("not valid {format}: {message}")]
    Parse {
        format: &'static str,
        message: String,
    },
    /// A quire JSON document written in a later version of the JSON form than this quire
    /// knows ([`crate::model::JSON_VERSION`]).
    #[error("this quire JSON was written by a newer quire (JSON form version {found}; this quire reads up to version {known})")]
    NewerVersion { found: u64, known: u64 },
    #[error("the document nests deeper than {max} levels")]
    TooDeep { max: usize },
    #[error("unknown {what} '{name}' (expected one of: {expected})")]
    Unknown {
        what: &'static str,
        name: String,
        expected: &'static str,
    },
    #[error("cannot fetch {url}: {message}")]
    Fetch { url: String, message: String },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Something a reader or writer noticed that did not stop it: a guessed encoding, an image it
/// could not embed, a character no font has. Shown to the user once, by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub message: String,
}

impl Warning {
    pub fn new(message: impl Into<String>) -> Warning {
        Warning {
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
