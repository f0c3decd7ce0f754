//! GFM's extended autolinks: a bare `https://…`, `www.…` or `name@example.com` in the text
//! is a link, as GitHub (and pandoc's `gfm`) show it. pulldown-cmark reads only CommonMark's
//! `<…>` autolinks, so the reader finds the bare ones in the model's text afterwards.
//!
//! The rules are GFM's (spec, section 6.9, as cmark-gfm applies them): a link starts at the
//! start of a run of text, after whitespace, or after `*`, `_`, `~` or `(`; its domain is
//! segments of letters, digits, `_` and `-` joined by dots, with no `_` in the last two
//! segments and, after `www.`, at least one dot (`http://localhost:8080` is a link); it runs
//! to whitespace or `<`. Then trailing `?!.,:*_~` are not part of it, nor a `)` that has no
//! `(` in it, nor an entity-like `&name;` at its end. A `www.` link goes to `http://`.
//! Where GFM is stricter than writers are, quotes and brackets count as `(` does: a link may
//! start after `"`, `'` or `[`, and a closing quote, or a `]` with no `[`, is not part of it. An address is letters, digits and `.+-_` before the `@`, and a domain with a
//! dot after it that does not end in `-` or `_`. Text inside links, code and formulas is
//! left alone.

use crate::model::{for_each_block_mut, Block, Inline};

/// Turns the bare URLs and addresses in `blocks`' text into links.
pub(super) fn link_bare_urls(blocks: &mut [Block]) {
    for_each_block_mut(blocks, &mut |block| match block {
        Block::Paragraph(inlines)
        | Block::Heading {
            content: inlines, ..
        } => link_inlines(inlines),
        Block::Figure(figure) => link_inlines(&mut figure.caption),
        Block::Table(table) => link_inlines(&mut table.caption),
        Block::Quote(_)
        | Block::List(_)
        | Block::Code { .. }
        | Block::Rule
        | Block::Container { .. } => {}
    });
}

fn link_inlines(inlines: &mut Vec<Inline>) {
    // Most runs hold no text where a link could start: they are only looked into.
    if !inlines.iter().any(may_start_link) {
        inlines.iter_mut().for_each(link_inside);
        return;
    }
    let mut out = Vec::with_capacity(inlines.len());
    let mut text = String::new();
    for inline in inlines.drain(..) {
        match inline {
            // Runs of text are joined first: the parser may cut one at a `_` or a `[`.
            Inline::Text(piece) => text.push_str(&piece),
            mut other => {
                split_into(&std::mem::take(&mut text), &mut out);
                link_inside(&mut other);
                out.push(other);
            }
        }
    }
    split_into(&text, &mut out);
    *inlines = out;
}

/// Links the bare URLs inside `inline`'s content. Links do not nest; code and formulas are
/// taken as they are.
fn link_inside(inline: &mut Inline) {
    match inline {
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Strikethrough(c)
        | Inline::Superscript(c)
        | Inline::Subscript(c)
        | Inline::Span { content: c, .. } => link_inlines(c),
        Inline::Note(blocks) => link_bare_urls(blocks),
        Inline::Link(_)
        | Inline::Code(_)
        | Inline::Math(_)
        | Inline::Image(_)
        | Inline::LineBreak
        | Inline::Text(_) => {}
    }
}

/// Whether `inline` is text where a link could start.
fn may_start_link(inline: &Inline) -> bool {
    matches!(inline, Inline::Text(text)
        if text.contains("://") || text.contains("www.") || text.contains('@'))
}

/// Pushes `text` onto `out` as text and links.
fn split_into(text: &str, out: &mut Vec<Inline>) {
    if text.is_empty() {
        return;
    }
    let mut rest_start = 0;
    for found in find_links(text) {
        if found.start > rest_start {
            out.push(Inline::text(&text[rest_start..found.start]));
        }
        let shown = &text[found.start..found.end];
        out.push(Inline::link(found.url, None, vec![Inline::text(shown)]));
        rest_start = found.end;
    }
    if rest_start < text.len() {
        out.push(Inline::text(&text[rest_start..]));
    }
}

/// One link found in a run of text.
#[derive(Debug, PartialEq, Eq)]
struct Found {
    /// Where it starts and ends, in bytes.
    start: usize,
    end: usize,
    /// Where it goes.
    url: String,
}

/// The links in `text`, in order.
fn find_links(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < text.len() {
        let starts_here = text.is_char_boundary(at)
            && (at == 0 || {
                let before = text[..at].chars().next_back().unwrap_or(' ');
                before.is_whitespace() || matches!(before, '*' | '_' | '~' | '(' | '"' | '\'' | '[')
            });
        if starts_here {
            if let Some(link) = url_at(text, at).or_else(|| www_at(text, at)) {
                at = link.end;
                found.push(link);
                continue;
            }
        }
        if bytes[at] == b'@' {
            if let Some(link) = address_around(text, at, found.last().map_or(0, |f| f.end)) {
                at = link.end;
                found.push(link);
                continue;
            }
        }
        at += 1;
    }
    found
}

/// An `http://`, `https://` or `ftp://` link starting at `start`.
fn url_at(text: &str, start: usize) -> Option<Found> {
    let rest = &text[start..];
    let scheme_len = ["http://", "https://", "ftp://"]
        .iter()
        .find(|scheme| {
            rest.get(..scheme.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
        })?
        .len();
    let end = start + scheme_len + link_len(&rest[scheme_len..], false)?;
    Some(Found {
        start,
        end,
        url: text[start..end].to_string(),
    })
}

/// A `www.` link starting at `start`.
fn www_at(text: &str, start: usize) -> Option<Found> {
    let rest = &text[start..];
    if !rest.starts_with("www.") {
        return None;
    }
    let end = start + link_len(rest, true)?;
    Some(Found {
        start,
        end,
        url: format!("http://{}", &text[start..end]),
    })
}

/// The length of a valid domain and its path at the start of `text`, trailing punctuation
/// left out; `None` when it does not start with a valid domain (one with a dot when
/// `need_dot`).
fn link_len(text: &str, need_dot: bool) -> Option<usize> {
    let domain_len = text
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-')))
        .unwrap_or(text.len());
    let domain = text[..domain_len].trim_end_matches('.');
    if !is_valid_domain(domain, need_dot) {
        return None;
    }
    let whole = text
        .find(|c: char| c.is_whitespace() || c == '<')
        .unwrap_or(text.len());
    Some(trim_trailing(&text[..whole]).len().max(domain.len()))
}

/// GFM's valid domain: dot-joined segments of letters, digits, `_` and `-` (at least two
/// when `need_dot`), no `_` in the last two.
fn is_valid_domain(domain: &str, need_dot: bool) -> bool {
    let segments: Vec<&str> = domain.split('.').collect();
    segments.len() >= if need_dot { 2 } else { 1 }
        && segments.iter().all(|s| !s.is_empty())
        && segments.iter().rev().take(2).all(|s| !s.contains('_'))
}

/// `link` without the punctuation GFM leaves out of a link's end.
fn trim_trailing(mut link: &str) -> &str {
    loop {
        let before = link.len();
        link = link.trim_end_matches(['?', '!', '.', ',', ':', '*', '_', '~', '\'', '"']);
        for (open, close) in [('(', ')'), ('[', ']')] {
            if link.ends_with(close) && link.matches(close).count() > link.matches(open).count() {
                link = &link[..link.len() - 1];
            }
        }
        if let Some(body) = link.strip_suffix(';') {
            // `&hl;` at the end reads as an entity, not as part of the link.
            let name_start = body
                .rfind(|c: char| !c.is_ascii_alphanumeric())
                .map_or(0, |i| i + 1);
            if name_start > 0 && body.as_bytes()[name_start - 1] == b'&' && name_start < body.len()
            {
                link = &body[..name_start - 1];
            }
        }
        if link.len() == before {
            return link;
        }
    }
}

/// An address whose `@` is at `at`, starting no earlier than `earliest`.
fn address_around(text: &str, at: usize, earliest: usize) -> Option<Found> {
    let is_local = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_');
    let start = text[earliest..at]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_local(*c))
        .last()
        .map(|(i, _)| earliest + i)?;
    let after = &text[at + 1..];
    let domain_len = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(after.len());
    let domain = after[..domain_len].trim_end_matches('.');
    if !domain.contains('.') || domain.ends_with(['-', '_']) || domain.split('.').any(str::is_empty)
    {
        return None;
    }
    let end = at + 1 + domain.len();
    Some(Found {
        start,
        end,
        url: format!("mailto:{}", &text[start..end]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(&str, String)> {
        find_links(text)
            .into_iter()
            .map(|f| (&text[f.start..f.end], f.url))
            .collect()
    }

    fn one(shown: &str, url: &str) -> Vec<(&'static str, String)> {
        vec![(shown.to_string().leak(), url.to_string())]
    }

    #[test]
    fn urls_and_www_links_end_before_trailing_punctuation() {
        assert_eq!(
            links("See https://example.com/a_b. Then"),
            one("https://example.com/a_b", "https://example.com/a_b")
        );
        assert_eq!(
            links("Visit www.commonmark.org/help, now."),
            one("www.commonmark.org/help", "http://www.commonmark.org/help")
        );
        assert_eq!(
            links("(www.google.com/search?q=Markup+(business))"),
            one(
                "www.google.com/search?q=Markup+(business)",
                "http://www.google.com/search?q=Markup+(business)"
            )
        );
        assert_eq!(
            links("www.google.com/search?q=commonmark&hl;"),
            one(
                "www.google.com/search?q=commonmark",
                "http://www.google.com/search?q=commonmark"
            )
        );
        assert_eq!(
            links("ftp://files.example.org/a.tar.gz<b"),
            one(
                "ftp://files.example.org/a.tar.gz",
                "ftp://files.example.org/a.tar.gz"
            )
        );
        assert_eq!(
            links("HTTPS://Example.com"),
            one("HTTPS://Example.com", "HTTPS://Example.com")
        );
    }

    #[test]
    fn only_a_valid_domain_after_a_boundary_makes_a_link() {
        assert!(links("www.").is_empty());
        assert!(links("https://").is_empty());
        assert_eq!(
            links("run http://localhost:8080/api."),
            one("http://localhost:8080/api", "http://localhost:8080/api")
        );
        assert_eq!(
            links("\"https://example.com/q\" and [https://example.com/r]"),
            vec![
                ("https://example.com/q", "https://example.com/q".to_string()),
                ("https://example.com/r", "https://example.com/r".to_string()),
            ]
        );
        assert!(links("www.example_site.com").is_empty());
        assert!(links("awww.example.com").is_empty());
        assert!(links("see:https://example.com").is_empty());
        assert!(links("https://").is_empty());
        assert_eq!(links("*www.example.com*").len(), 1);
        assert_eq!(links("two: www.a.org and https://b.org/x").len(), 2);
        assert_eq!(
            links("www.пример.рф/путь"),
            one("www.пример.рф/путь", "http://www.пример.рф/путь")
        );
    }

    #[test]
    fn addresses_become_mailto_links() {
        assert_eq!(
            links("Write to foo.bar+x@example.co.uk."),
            one("foo.bar+x@example.co.uk", "mailto:foo.bar+x@example.co.uk")
        );
        assert!(links("a@b").is_empty());
        assert!(links("a@example.com_").is_empty());
        assert!(links("@example.com").is_empty());
        assert!(links("me @ example.com").is_empty());
    }

    #[test]
    fn text_is_split_around_links_and_links_and_code_are_left_alone() {
        let mut inlines = vec![
            Inline::text("Go to https://example.com/a"),
            Inline::text("_b now, "),
            Inline::link("https://x.org", None, vec![Inline::text("www.inside.org")]),
            Inline::Code("www.code.org".into()),
            Inline::Emphasis(vec![Inline::text("or www.rust-lang.org")]),
        ];
        link_inlines(&mut inlines);
        assert_eq!(
            inlines,
            vec![
                Inline::text("Go to "),
                Inline::link(
                    "https://example.com/a_b",
                    None,
                    vec![Inline::text("https://example.com/a_b")]
                ),
                Inline::text(" now, "),
                Inline::link("https://x.org", None, vec![Inline::text("www.inside.org")]),
                Inline::Code("www.code.org".into()),
                Inline::Emphasis(vec![
                    Inline::text("or "),
                    Inline::link(
                        "http://www.rust-lang.org",
                        None,
                        vec![Inline::text("www.rust-lang.org")]
                    ),
                ]),
            ]
        );
    }
}
