//! Page metadata from `<head>`: title, language, meta tags, OpenGraph, canonical link.
//!
//! Basic on purpose: JSON-LD and bylines in the page body are for the extraction stage.

use super::dom::{attr, is, tag, text_content};
use super::urls::Resolver;
use crate::model::{collapse_whitespace, Direction, Meta};
use html5ever::local_name;
use markup5ever_rcdom::Handle;

/// The first `<base href>` of the page.
pub fn base_href(nodes: &[Handle]) -> Option<String> {
    nodes
        .iter()
        .filter(|n| is(n, local_name!("base")))
        .find_map(|n| attr(n, "href"))
}

/// Reads the metadata the page states. `nodes` is every node of the document in order.
pub fn read_meta(nodes: &[Handle], resolver: &Resolver, source_url: Option<&str>) -> Meta {
    let mut meta = Meta::default();
    let mut og_title = None;
    let mut og_description = None;
    let mut date = None;
    let mut body_direction = None;
    for node in nodes {
        match tag(node) {
            Some(&local_name!("html")) => {
                if meta.language.is_none() {
                    meta.language = attr(node, "lang")
                        .or_else(|| attr(node, "xml:lang"))
                        .map(|l| l.trim().to_string())
                        .filter(|l| !l.is_empty());
                }
                if meta.direction.is_none() {
                    meta.direction = attr(node, "dir").and_then(|d| parse_direction(&d));
                }
            }
            Some(&local_name!("body")) if body_direction.is_none() => {
                body_direction = attr(node, "dir").and_then(|d| parse_direction(&d));
            }
            Some(&local_name!("title")) if meta.title.is_none() && !in_svg(node) => {
                meta.title = clean(&text_content(node));
            }
            Some(&local_name!("link")) if meta.source_url.is_none() => {
                let rel = attr(node, "rel").unwrap_or_default().to_ascii_lowercase();
                if rel.split_whitespace().any(|r| r == "canonical") {
                    meta.source_url = attr(node, "href")
                        .filter(|h| !h.trim().is_empty())
                        .map(|h| resolver.resolve(&h));
                }
            }
            Some(&local_name!("meta")) => {
                let keys = attr(node, "name")
                    .or_else(|| attr(node, "property"))
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let Some(value) = attr(node, "content").and_then(|c| clean(&c)) else {
                    continue;
                };
                // RDFa allows several properties in one attribute (`dc:description og:description`).
                for key in keys.split_whitespace() {
                    match key {
                        "description" => set_once(&mut meta.description, value.clone()),
                        "og:description" => set_once(&mut og_description, value.clone()),
                        "author" if !meta.authors.contains(&value) => {
                            meta.authors.push(value.clone())
                        }
                        "keywords" => {
                            for keyword in value.split(',').filter_map(clean) {
                                if !meta.keywords.contains(&keyword) {
                                    meta.keywords.push(keyword);
                                }
                            }
                        }
                        "og:title" => set_once(&mut og_title, value.clone()),
                        "og:site_name" => set_once(&mut meta.site_name, value.clone()),
                        "og:image" => set_once(&mut meta.lead_image, resolver.resolve(&value)),
                        "article:published_time" => set_once(&mut meta.published, value.clone()),
                        "article:modified_time" => set_once(&mut meta.modified, value.clone()),
                        "date" => set_once(&mut date, value.clone()),
                        "subtitle" => set_once(&mut meta.subtitle, value.clone()),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    // The body's direction is the content's, when it differs from the root's.
    meta.direction = body_direction.or(meta.direction);
    meta.title = meta.title.or(og_title);
    meta.description = meta.description.or(og_description);
    meta.published = meta.published.or(date);
    if meta.source_url.is_none() {
        meta.source_url = source_url.map(str::to_string);
    }
    meta
}

fn set_once(slot: &mut Option<String>, value: String) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

/// Whitespace collapsed and trimmed; `None` when nothing is left.
pub fn clean(text: &str) -> Option<String> {
    let text = collapse_whitespace(text).trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn parse_direction(dir: &str) -> Option<Direction> {
    match dir.trim().to_ascii_lowercase().as_str() {
        "ltr" => Some(Direction::Ltr),
        "rtl" => Some(Direction::Rtl),
        "auto" => Some(Direction::Auto),
        _ => None,
    }
}

/// Whether an element sits in an SVG (whose `<title>` is a tooltip, not the page's title).
fn in_svg(node: &Handle) -> bool {
    match &node.data {
        markup5ever_rcdom::NodeData::Element { name, .. } => name.ns != html5ever::ns!(html),
        _ => false,
    }
}
