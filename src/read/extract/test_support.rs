//! Test support for extraction on its own: parse a page and dump the chosen article as rough
//! text, without the HTML reader's conversion. (Measuring is `benches/extract.sh`'s job.)

use crate::dom::{descendants, is_hidden, is_inline_tag, is_invisible_tag};
use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use std::collections::HashSet;
use std::rc::Rc;

pub fn parse(html: &str) -> RcDom {
    html5ever::parse_document(RcDom::default(), Default::default()).one(html)
}

/// Rough text of the extracted article: blocks on their own lines.
pub fn article_text(html: &str) -> String {
    let dom = parse(html);
    let page = super::metadata::read(&descendants(&dom.document), &|u| u.to_string());
    let extraction = super::extract(
        &dom.document,
        &Default::default(),
        page.article_body.as_deref(),
        page.meta.description.as_deref(),
        false,
    );
    let pruned: HashSet<usize> = extraction
        .pruned
        .iter()
        .map(|(h, _)| Rc::as_ptr(h) as usize)
        .collect();
    let mut out = String::new();
    let mut stack: Vec<Handle> = vec![extraction.root.clone()];
    stack.extend(extraction.lead.clone());
    while let Some(node) = stack.pop() {
        match &node.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            NodeData::Element { name, .. } => {
                // The HTML reader leaves out the title header (an h1 repeating the title).
                if is_invisible_tag(&name.local)
                    || &*name.local == "h1"
                    || is_hidden(&node)
                    || pruned.contains(&(Rc::as_ptr(&node) as usize))
                {
                    continue;
                }
                if !is_inline_tag(&name.local) || &*name.local == "br" {
                    out.push('\n');
                }
                stack.extend(node.children.borrow().iter().rev().cloned());
            }
            _ => {}
        }
    }
    out
}
