//! Links rewritten on the model: [`rewrite`] asks for every link where it should go, and
//! changes its URL, keeps it, or takes its text out of the link; [`fragment_target`] says
//! where a `#fragment` goes once ids are renamed. The policy for one document is in
//! [`super::document`], the one for a book's chapters (links to another chapter too) in
//! [`super::book`]; the URL helpers they use are here.

use std::borrow::Cow;

use super::ids::{is_note_id, IdMap};
use crate::model::{Block, Document, Inline};

/// What becomes of one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LinkTarget {
    /// Left as it is (a writer judges it, and may drop it with a warning).
    Keep,
    /// Pointed at this URL.
    To(String),
    /// It goes nowhere: its text stays, without the link.
    Unwrap,
}

/// Calls `resolve` on every link's URL (captions, table cells, notes and link texts
/// included) and applies its answer.
pub(crate) fn rewrite(blocks: &mut [Block], resolve: &mut dyn FnMut(&str) -> LinkTarget) {
    crate::model::for_each_block_mut(blocks, &mut |block| match block {
        Block::Paragraph(inlines)
        | Block::Heading {
            content: inlines, ..
        } => rewrite_inlines(inlines, resolve),
        Block::Figure(figure) => rewrite_inlines(&mut figure.caption, resolve),
        Block::Table(table) => rewrite_inlines(&mut table.caption, resolve),
        Block::Quote(_)
        | Block::List(_)
        | Block::Code { .. }
        | Block::Rule
        | Block::Container { .. } => {}
    });
}

fn rewrite_inlines(inlines: &mut Vec<Inline>, resolve: &mut dyn FnMut(&str) -> LinkTarget) {
    let mut index = 0;
    while index < inlines.len() {
        match &mut inlines[index] {
            Inline::Link(link) => match resolve(&link.url) {
                LinkTarget::Unwrap => {
                    // The text takes the link's place; it is looked at again (it may hold
                    // links of its own).
                    let content = std::mem::take(&mut link.content);
                    inlines.splice(index..=index, content);
                    continue;
                }
                target => {
                    if let LinkTarget::To(url) = target {
                        link.url = url;
                    }
                    rewrite_inlines(&mut link.content, resolve);
                }
            },
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => rewrite_inlines(c, resolve),
            Inline::Note(blocks) => rewrite(blocks, resolve),
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Image(_)
            | Inline::Math(_)
            | Inline::LineBreak => {}
        }
        index += 1;
    }
}

/// The id a non-empty `#fragment` names in a document whose ids were renamed as `ids` says
/// and that has `notes` notes: the new name of the model id it names (as written or
/// percent-decoded), or a note id the writers make (`fn-N`, `fnref-N`, `N` within range).
/// `None`: it names nothing there.
pub(crate) fn fragment_target(fragment: &str, ids: &IdMap, notes: usize) -> Option<String> {
    let named = |f: &str| {
        ids.get(f)
            .cloned()
            .or_else(|| is_note_in_range(f, notes).then(|| f.to_string()))
    };
    if let Some(id) = named(fragment) {
        return Some(id);
    }
    let decoded = percent_encoding::percent_decode_str(fragment)
        .decode_utf8()
        .ok()?;
    match decoded {
        Cow::Owned(decoded) => named(&decoded),
        // Nothing was encoded: already looked up.
        Cow::Borrowed(_) => None,
    }
}

/// Whether `id` is a note id the writers make for a document of `notes` notes.
pub(crate) fn is_note_in_range(id: &str, notes: usize) -> bool {
    is_note_id(id)
        && id
            .rsplit('-')
            .next()
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| (1..=notes).contains(&n))
}

/// An absolute URL the one policy allows ([`crate::model::url::is_external_link`]) in its
/// normalised, percent-encoded form; `None` for anything else (scripts, data, files, garbage).
pub(crate) fn safe_external_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    crate::model::url::is_external_link(parsed.as_str()).then(|| parsed.to_string())
}

/// Where a document is, for its relative links and for links to it: its source URL, else
/// the file it was read from (an absolute path).
pub(crate) fn location(document: &Document, file: Option<&std::path::Path>) -> Option<url::Url> {
    let web = document
        .meta
        .source_url
        .as_deref()
        .and_then(|u| url::Url::parse(u.trim()).ok());
    web.or_else(|| url::Url::from_file_path(file?).ok())
}

/// A link's URL as an absolute URL: itself, or resolved against `base` (where the document
/// holding it is) when it is relative; `None` when it is neither.
pub(crate) fn absolute_url(raw: &str, base: Option<&url::Url>) -> Option<url::Url> {
    let raw = raw.trim();
    match url::Url::parse(raw) {
        Ok(url) => Some(url),
        Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(raw).ok(),
        Err(_) => None,
    }
}

/// The key two URLs share when they name the same page: host, port, path without a
/// trailing slash, and query; scheme and fragment ignored. A `file:` URL (a chapter read
/// from a file) is keyed by its path.
pub(crate) fn url_key(url: &url::Url) -> Option<String> {
    if url.scheme() == "file" {
        return Some(format!("file:{}", url.path()));
    }
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.trim_start_matches("www.");
    let path = url.path();
    let path = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        ""
    };
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let query = url.query().map(|q| format!("?{q}")).unwrap_or_default();
    Some(format!("{host}{port}{path}{query}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_kept_changed_or_unwrapped() {
        let mut blocks = vec![Block::Paragraph(vec![
            Inline::link("keep", None, vec![Inline::text("k")]),
            Inline::link("change", None, vec![Inline::text("c")]),
            Inline::link(
                "drop",
                None,
                vec![
                    Inline::text("d "),
                    Inline::link("change", None, vec![Inline::text("inner")]),
                ],
            ),
            Inline::Note(vec![Block::Paragraph(vec![Inline::link(
                "drop",
                None,
                vec![Inline::text("in a note")],
            )])]),
        ])];
        rewrite(&mut blocks, &mut |url| match url {
            "keep" => LinkTarget::Keep,
            "change" => LinkTarget::To("changed".to_string()),
            _ => LinkTarget::Unwrap,
        });
        let expected = vec![Block::Paragraph(vec![
            Inline::link("keep", None, vec![Inline::text("k")]),
            Inline::link("changed", None, vec![Inline::text("c")]),
            Inline::text("d "),
            Inline::link("changed", None, vec![Inline::text("inner")]),
            Inline::Note(vec![Block::Paragraph(vec![Inline::text("in a note")])]),
        ])];
        assert_eq!(blocks, expected);
    }

    #[test]
    fn url_keys_ignore_scheme_fragment_and_trailing_slash() {
        let key = |s: &str| url_key(&url::Url::parse(s).unwrap());
        assert_eq!(
            key("https://www.example.com/a/b/#x"),
            key("http://example.com/a/b")
        );
        assert_ne!(
            key("https://example.com/a?p=1"),
            key("https://example.com/a?p=2")
        );
        assert_eq!(key("mailto:x@example.com"), None);
    }
}
