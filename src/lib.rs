//! quire: turn web articles, plain text and Markdown into clean e-books, PDFs, Markdown notes
//! and web pages.
//!
//! ```text
//! input ──read──▶ Document ──write──▶ bytes
//! ```
//!
//! Readers ([`read`](mod@read)) turn input into the [`model`]; writers ([`write`](mod@write)) turn the model into
//! output. They share nothing else, so a format is one module.
//!
//! ```
//! use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};
//!
//! let reading = quire::read(b"# Hello\n\nWorld.", InputFormat::Markdown, &ReadOptions::default())?;
//! let html = quire::write(&reading.document, OutputFormat::Html, &WriteOptions::default())?;
//! assert!(String::from_utf8(html.bytes).unwrap().contains("World."));
//! # Ok::<(), quire::Error>(())
//! ```

#![deny(missing_docs)]

mod bundled;
pub mod check;
pub(crate) mod dom;
pub mod error;
pub mod feed;
pub mod format;
pub mod locale;
pub(crate) mod math;
pub mod media;
pub mod model;
pub mod net;
// The worker pool of the command line (a separate crate: the binary) and, later, of the media
// store: public for the binary, not part of the library's promised surface.
#[doc(hidden)]
pub mod pool;
mod prepare;
pub mod read;
pub mod write;
// The one XML escaper, which the command line's catalog (OPDS) writes through too: public for
// the binary, not part of the library's promised surface.
#[doc(hidden)]
pub mod xml;

pub use error::{Error, Result, Warning};
pub use format::{InputFormat, OutputFormat};
pub use model::{Block, Document, Inline, Meta};
pub use read::{read, read_owned, ReadOptions, Reading};
pub use write::{write, write_to, Rendered, WriteOptions};
