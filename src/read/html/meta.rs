//! The page's `<base href>`, and the text cleanup the reader shares with metadata.
//!
//! The metadata itself (JSON-LD, OpenGraph, meta tags, bylines, dates) is read in one place,
//! [`crate::read::extract::metadata`].

use crate::dom::{attr, is};
use html5ever::local_name;
use markup5ever_rcdom::Handle;

pub use crate::read::extract::metadata::clean;

/// The first `<base href>` of the page.
pub fn base_href(nodes: &[Handle]) -> Option<String> {
    nodes
        .iter()
        .filter(|n| is(n, local_name!("base")))
        .find_map(|n| attr(n, "href"))
}
