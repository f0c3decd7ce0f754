//! The document shell around the article: the `<html>` start tag and the `<head>` (metadata,
//! title).

use std::fmt::Write as _;

use super::attributes::clean_language_tag;
use super::url::{safe_url, UrlUse};
use crate::model::{inlines_to_plain, Block, Document, Meta};
use crate::xml::{clean_text, escape_attr, escape_text};

/// The `<html>` start tag with the XHTML namespace (polyglot) and the language and direction.
pub(super) fn html_start_tag(meta: &Meta) -> String {
    let mut tag = String::from("<html xmlns=\"http://www.w3.org/1999/xhtml\"");
    if let Some(lang) = meta.language.as_deref().and_then(clean_language_tag) {
        let _ = write!(tag, " lang=\"{lang}\" xml:lang=\"{lang}\"");
    }
    if let Some(direction) = meta.written_direction() {
        let _ = write!(tag, " dir=\"{}\"", direction.as_str());
    }
    tag.push('>');
    tag
}

/// The head's metadata elements (not the stylesheet), one per line.
pub(super) fn render_head(document: &Document) -> String {
    let meta = &document.meta;
    let mut head = String::new();
    head.push_str("<meta charset=\"utf-8\" />\n");
    head.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
    let _ = writeln!(
        head,
        "<title>{}</title>",
        escape_text(&page_title(document))
    );
    let mut named = |name: &str, content: &str| {
        let content = escape_attr(content.trim());
        if !content.is_empty() {
            let _ = writeln!(head, "<meta name=\"{name}\" content=\"{content}\" />");
        }
    };
    if let Some(description) = &meta.description {
        named("description", description);
    }
    for author in &meta.authors {
        named("author", author);
    }
    if !meta.keywords.is_empty() {
        named("keywords", &meta.keywords.join(", "));
    }
    named("generator", "quire");
    let mut property = |property: &str, content: &str| {
        let content = escape_attr(content.trim());
        if !content.is_empty() {
            let _ = writeln!(
                head,
                "<meta property=\"{property}\" content=\"{content}\" />"
            );
        }
    };
    if let Some(title) = &meta.title {
        property("og:title", title);
    }
    if let Some(site) = &meta.site_name {
        property("og:site_name", site);
    }
    if let Some(image) = meta
        .lead_image
        .as_deref()
        .and_then(|u| safe_url(u, UrlUse::Link))
    {
        property("og:image", &image);
    }
    if let Some(published) = &meta.published {
        property("article:published_time", &published.to_iso());
    }
    if let Some(modified) = &meta.modified {
        property("article:modified_time", &modified.to_iso());
    }
    if let Some(source) = meta
        .source_url
        .as_deref()
        .and_then(|u| safe_url(u, UrlUse::Link))
    {
        let _ = writeln!(
            head,
            "<link rel=\"canonical\" href=\"{}\" />",
            escape_attr(&source)
        );
    }
    head
}

/// The page title: the document's, else its first heading's text, else a placeholder (HTML
/// requires a non-empty `<title>`).
pub(super) fn page_title(document: &Document) -> String {
    let from_meta = document
        .meta
        .title
        .as_deref()
        .map(|t| clean_text(t).trim().to_string());
    if let Some(title) = from_meta.filter(|t| !t.is_empty()) {
        return title;
    }
    let first_heading = document.blocks.iter().find_map(|b| match b {
        Block::Heading { content, .. } => Some(clean_text(&inlines_to_plain(content))),
        _ => None,
    });
    match first_heading {
        Some(t) if !t.trim().is_empty() => t.trim().to_string(),
        _ => "Untitled document".to_string(),
    }
}
