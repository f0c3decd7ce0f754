//! Checks of finished books, whoever made them: [`kindle`] lists what makes Kindle's
//! converter reject or mangle an EPUB, from what every e-reader rejects (files that are not
//! well-formed XML, files the manifest lists but the zip lacks) to Kindle's own causes.
//!
//! The Kindle checks read the book's own files (zip, package document, XHTML, CSS) with a
//! forgiving scanner of their own (`markup`), not an XML parser: a book that is not
//! well-formed XML is exactly the kind a check has to report on rather than give up on. Each
//! XML file is also parsed once by an XML parser (`well_formed`), which reports the first
//! place where it is not well-formed.

pub mod kindle;
mod markup;
mod well_formed;

pub use kindle::{check_kindle, Cause, Problem, KINDLE_MAX_BYTES};
