//! The library's error type, and warnings (which are values, not prints).
//!
//! Errors say what was wrong with the input; the CLI adds which file it was.

use std::fmt;

/// Everything that can make reading or writing a document fail.
///
/// New kinds of failure may be added (the enum is `#[non_exhaustive]`): match the ones you
/// handle and keep a `_` arm.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input has no bytes (or nothing but whitespace).
    #[error("the input is empty")]
    Empty,
    /// The input is not text (an image, an archive...): what it looks like.
    #[error("the input looks like binary data, not a document ({0})")]
    Binary(String),
    /// The input is not valid in its format (broken JSON, for one).
    #[error("not valid {format}: {message}")]
    Parse {
        /// The format's name (`json`).
        format: &'static str,
        /// What is wrong, and where.
        message: String,
    },
    /// A quire JSON document written in a later version of the JSON form than this quire
    /// knows ([`crate::model::JSON_VERSION`]).
    #[error("this quire JSON was written by a newer quire (JSON form version {found}; this quire reads up to version {known})")]
    NewerVersion {
        /// The version the document declares.
        found: u64,
        /// The newest version this quire reads.
        known: u64,
    },
    /// The document nests blocks and inlines deeper than [`crate::model::MAX_DEPTH`]: an
    /// input refused by a reader, or a document built in code refused by `write`.
    #[error("the document nests deeper than {max} levels")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A name (a format, a profile, a page size) that quire does not know.
    #[error("unknown {what} '{name}' (expected one of: {expected})")]
    Unknown {
        /// What kind of name it is (`output format`).
        what: &'static str,
        /// The name given.
        name: String,
        /// The names quire knows, comma-separated.
        expected: &'static str,
    },
    /// A URL could not be fetched.
    #[error("cannot fetch {url}: {message}")]
    Fetch {
        /// The URL.
        url: String,
        /// Why not.
        message: String,
    },
    /// Reading or writing a file or stream failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A result whose error is quire's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Something a reader or writer noticed that did not stop it: a guessed encoding, an image it
/// could not embed, a character no font has. Shown to the user once, by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// What was noticed, as a sentence for a person.
    pub message: String,
}

impl Warning {
    /// A warning with this message.
    pub fn new(message: impl Into<String>) -> Warning {
        Warning {
            message: message.into(),
        }
    }
}

/// `count` and a noun in its English number, "1 image", "3 images": warnings and the other
/// messages quire writes for a person are in English.
pub(crate) fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
