//! The preparation stage: model → model, between reading and writing.
//!
//! Everything two writers need alike is worked out here once, on the [`Document`], so that no
//! writer has to parse another writer's output:
//! - [`ids`]: every id a writer will write made a valid XML name and unique, with the map
//!   from the model's ids to the new ones;
//! - [`links`]: links rewritten on the model (`#id` links follow a renamed id, links between
//!   the chapters of a book point inside it, links that can go nowhere lose their `<a>`);
//! - [`notes`]: the notes in the order writers number them;
//! - [`toc`]: the headings a table of contents lists, to a chosen depth;
//! - [`document`]: one document prepared with the first three, the entry of the HTML,
//!   Markdown and PDF writers;
//! - [`book`]: a book split into chapters, each prepared with all of the above (the EPUB
//!   writer's entry);
//! - [`slugs`]: the anchors GitHub gives a prepared document's headings, where a Markdown
//!   link to a heading must point.
//!
//! The stage does no I/O and writes no markup. Its walks recurse over the model, which is
//! bounded by [`crate::model::MAX_DEPTH`]: callers check a document's depth first (writers do
//! on entry).
//!
//! [`Document`]: crate::model::Document

pub(crate) mod book;
pub(crate) mod document;
pub(crate) mod ids;
pub(crate) mod links;
pub(crate) mod notes;
pub(crate) mod slugs;
pub(crate) mod toc;

pub(crate) use document::document;
