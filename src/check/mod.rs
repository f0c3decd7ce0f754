//! Checks of finished books, whoever made them: [`kindle`] lists what makes Kindle's
//! converter reject or mangle an EPUB that is otherwise valid.
//!
//! The checks read the book's own files (zip, package document, XHTML, CSS) with a
//! forgiving scanner of their own (`markup`), not an XML parser: a book that is not well-formed XML is
//! exactly the kind a check has to report on rather than give up on.

pub mod kindle;
mod markup;

pub use kindle::{check_kindle, Cause, Problem, KINDLE_MAX_BYTES};
