//! The HTML reader: a page or fragment → [`Document`].
//!
//! Steps: parse with a nesting cap ([`dom`]), read the page's metadata
//! ([`extract::metadata`]), find the article and what inside it is chrome ([`extract`]; the
//! whole `<body>` with `whole_page`), leave out a header that only repeats the title, and
//! convert the rest ([`convert`]).
//!
//! Choices worth knowing:
//! - An image standing alone in block context (`<div><img></div>`) becomes a
//!   [`Block::Figure`](crate::model::Block::Figure) with an empty caption; an image inside a
//!   paragraph (`<p><img></p>`) stays an inline image in that paragraph. Both round-trip.
//! - Footnotes become [`Inline::Note`](crate::model::Inline::Note) at their first reference;
//!   the notes' list leaves the flow once every note in it has been placed.
//! - A `<form>` holding paragraphs is taken for a page wrapper (ASP.NET) and read; other forms
//!   are left out.

mod convert;
pub(crate) mod dom;
mod meta;
mod raw_text;
mod urls;

use super::{extract, ReadOptions, Reader, Reading};
use crate::error::Result;
use crate::model::Document;
use convert::{is_hidden, Converter};
use dom::{children, descendants, is, tag, text_content};
use html5ever::local_name;
use markup5ever_rcdom::{Handle, NodeData, RcDom};
use urls::Resolver;

/// Reads HTML pages and fragments.
pub struct HtmlReader;

impl Reader for HtmlReader {
    fn read(&self, input: &str, options: &ReadOptions) -> Result<Reading> {
        read_dom(dom::parse(input), options)
    }

    fn read_owned(&self, input: String, options: &ReadOptions) -> Result<Reading> {
        let dom = dom::parse(&input);
        // The DOM holds all it needs of the page: free the text before the conversion.
        drop(input);
        read_dom(dom, options)
    }
}

/// The page's document: metadata, the article (or the whole body), converted.
fn read_dom(dom: RcDom, options: &ReadOptions) -> Result<Reading> {
    let nodes = descendants(&dom.document);
    let base = meta::base_href(&nodes);
    let resolver = Resolver::new(base.as_deref(), options.source_url.as_deref());
    let page = extract::metadata::read(&nodes, &|url| resolver.resolve(url));
    let mut meta = page.meta;
    if meta.source_url.is_none() {
        meta.source_url = options.source_url.clone();
    }
    let mut converter = Converter::new(&nodes, &resolver);
    // A handle on every node of the page (8 bytes a node): not needed past this point.
    drop(nodes);
    let mut warnings = Vec::new();
    let root = if options.whole_page {
        body_of(&dom)
    } else {
        let extraction = extract::extract(&dom.document, page.article_body.as_deref(), false);
        for (node, _) in &extraction.pruned {
            converter.skip(node);
        }
        warnings.extend(extraction.warning);
        extraction.root
    };
    if let Some(title) = &meta.title {
        if let Some(header) = title_header(&root, title) {
            if meta.subtitle.is_none() {
                meta.subtitle = descendants(&header)
                    .iter()
                    .find(|n| dom::class_contains(n, "subtitle"))
                    .and_then(|n| meta::clean(&text_content(n)));
            }
            converter.skip(&header);
        }
    }
    let blocks = converter.convert(&root);
    Ok(Reading {
        document: Document::new(meta, blocks),
        warnings,
    })
}

/// What article extraction decided about an HTML page, in words: the container chosen, its
/// rivals, and what inside it was left out (`quire convert --explain`).
pub fn explain(input: &str) -> String {
    let dom = dom::parse(input);
    let nodes = descendants(&dom.document);
    let page = extract::metadata::read(&nodes, &|url| url.to_string());
    extract::extract(&dom.document, page.article_body.as_deref(), true).explanation
}

/// The `<body>` (or the whole document when there is none).
fn body_of(dom: &RcDom) -> Handle {
    descendants(&dom.document)
        .into_iter()
        .find(|n| is(n, local_name!("body")))
        .unwrap_or_else(|| dom.document.clone())
}

/// A `<header>` (or `<h1>`) opening the content whose h1 repeats the title: what quire's HTML
/// writer puts before the body, and what pages often do. Looks through a few wrappers.
fn title_header(root: &Handle, title: &str) -> Option<Handle> {
    let mut node = root.clone();
    for _ in 0..8 {
        let first = first_significant_child(&node)?;
        match tag(&first)? {
            &local_name!("header") | &local_name!("hgroup") => {
                let h1 = descendants(&first)
                    .into_iter()
                    .find(|n| is(n, local_name!("h1")))?;
                return same_title(&h1, title).then_some(first);
            }
            &local_name!("h1") => return same_title(&first, title).then_some(first),
            &local_name!("div")
            | &local_name!("article")
            | &local_name!("main")
            | &local_name!("section") => node = first,
            _ => return None,
        }
    }
    None
}

fn same_title(h1: &Handle, title: &str) -> bool {
    meta::clean(&text_content(h1)).as_deref() == Some(title)
}

/// The first child that shows: not blank text, a comment, a script or a hidden element.
fn first_significant_child(node: &Handle) -> Option<Handle> {
    children(node).into_iter().find(|child| match &child.data {
        NodeData::Text { contents } => !contents.borrow().trim().is_empty(),
        NodeData::Element { name, .. } => {
            !matches!(
                name.local,
                local_name!("script")
                    | local_name!("style")
                    | local_name!("noscript")
                    | local_name!("template")
                    | local_name!("link")
                    | local_name!("meta")
            ) && !is_hidden(child)
        }
        _ => false,
    })
}
