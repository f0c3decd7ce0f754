//! The bottom HTML layer: parsing a page into an rcdom tree (with the nesting cap and the
//! table-row compaction), the small questions asked of its nodes, the element categories, and
//! the text walk and measures.
//!
//! Both the HTML → model converter ([`crate::read::html`]) and the article extraction
//! (`read::extract`) stand on this module; it imports from neither of them (nor from anything
//! else in `read`), so the two can share parsing and text measures without importing each
//! other. It is a top-level module rather than a part of `read` because nothing in it is about
//! reading into the model: it is HTML, and a later reader of a binary format holding HTML
//! (EPUB) or a writer that checks HTML can use it as well.

mod category;
pub mod compact;
mod node;
pub mod parse;
pub mod raw_text;
pub mod refresh;
mod scan;
pub mod tag;
mod text;

pub use category::{
    first_significant_child, is_heading_tag, is_hidden, is_inline_tag, is_invisible_tag,
    is_mark_link, last_significant_child, next_significant_sibling, previous_significant_sibling,
};
pub use compact::CompactRows;
pub use node::{
    attr, attr_matches, children, class_contains, descendants, is, key, parent, tag, tag_name,
    text_content, text_content_where, NodeMap, NodeSet,
};
pub use parse::{parse, Page};
pub use text::{contains_ignore_case, count_text, SENTENCE_CHARS};
