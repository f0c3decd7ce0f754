//! Bare URLs, `www.` addresses and e-mail addresses in text, found the one way every reader
//! and writer needs: the text reader links them in its paragraphs; the Markdown reader links
//! them as GFM's extended autolinks do (as GitHub and pandoc's `gfm` show them;
//! pulldown-cmark reads only CommonMark's `<…>` autolinks); and the Markdown writer escapes
//! text that would read back as one ([`link_stops`]). One finder, so a URL ends at the same
//! character whichever of them met it.
//!
//! The rules are GFM's (spec, section 6.9, as cmark-gfm applies them), made to read prose
//! too. A link starts at the start of a run of text, after whitespace, or after an opening
//! mark: `*`, `_`, `~`, `(`, `[`, `<`, a quote or a guillemet. Its domain is segments of
//! letters, digits, `_` and `-` joined by dots, with no `_` in the last two segments and,
//! after `www.`, at least one dot (`http://localhost:8080` is a link); it runs to whitespace
//! or `<`. Then closing punctuation (`?!.,:;*_~>`, quotes, guillemets) is not part of it, nor a
//! `)` or `]` that has no opening one in it, nor an entity-like `&name;` at its end. A `www.`
//! link goes to the scheme the reader gives. An address is letters, digits and `.+-_%`
//! before the `@`, and after it a domain of at least two labels ending in two or more
//! letters (so `v1.2@3.4` is no address). Text inside links, code and formulas is left alone.

use super::Inline;

/// Where a `www.` link goes: `http://www.…`, as GFM has it, or `https://www.…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WwwScheme {
    Http,
    Https,
}

impl WwwScheme {
    fn prefix(self) -> &'static str {
        match self {
            WwwScheme::Http => "http://",
            WwwScheme::Https => "https://",
        }
    }
}

/// Links the bare URLs and addresses in a run of inlines: in its text (runs of text are
/// taken together, wherever they were cut) and in what its emphasis, spans and the like
/// hold. Any other inline ends a run of text, so a caller that must keep two texts apart (the
/// Markdown reader, at an escaped character) puts an empty span between them.
pub(crate) fn link_inlines(inlines: &mut Vec<Inline>, www: WwwScheme) {
    // Most runs hold no text where a link could start: they are only looked into.
    if !inlines.iter().any(may_start_link) {
        inlines
            .iter_mut()
            .for_each(|inline| link_inside(inline, www));
        return;
    }
    let mut out = Vec::with_capacity(inlines.len());
    let mut text = String::new();
    for inline in inlines.drain(..) {
        match inline {
            // Runs of text are joined first: the parser may cut one at a `_` or a `[`.
            Inline::Text(piece) => text.push_str(&piece),
            mut other => {
                link_text(&std::mem::take(&mut text), www, &mut out);
                link_inside(&mut other, www);
                out.push(other);
            }
        }
    }
    link_text(&text, www, &mut out);
    *inlines = out;
}

/// Links the bare URLs inside `inline`'s content. Links do not nest; code and formulas are
/// taken as they are.
fn link_inside(inline: &mut Inline, www: WwwScheme) {
    match inline {
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Strikethrough(c)
        | Inline::Superscript(c)
        | Inline::Subscript(c)
        | Inline::Span { content: c, .. } => link_inlines(c, www),
        // A note's paragraphs are linked as they are read, like every other paragraph.
        Inline::Note(_)
        | Inline::Link(_)
        | Inline::Code(_)
        | Inline::Math(_)
        | Inline::Image(_)
        | Inline::LineBreak
        | Inline::Text(_) => {}
    }
}

/// Whether `inline` is text where a link could start.
fn may_start_link(inline: &Inline) -> bool {
    matches!(inline, Inline::Text(text) if may_hold_link(text))
}

/// Whether `text` holds something a link could start with.
fn may_hold_link(text: &str) -> bool {
    text.contains("://") || text.contains('@') || text.contains("www.") || text.contains("WWW.")
}

/// Pushes `text` onto `out` as text and links.
pub(crate) fn link_text(text: &str, www: WwwScheme, out: &mut Vec<Inline>) {
    if text.is_empty() {
        return;
    }
    if !may_hold_link(text) {
        out.push(Inline::text(text));
        return;
    }
    let mut rest_start = 0;
    for found in find_links(text, www) {
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

/// Where backslashes keep a reader from finding any link in `text` (the Markdown writer
/// escapes there), given the characters the writer escapes anyway (`escaped`: byte offsets,
/// in order): before the `:` of a URL's scheme, the first `.` of a `www.` address, the `@` of
/// an e-mail address. Offsets in bytes, in order.
///
/// A reader takes the text between escaped characters as runs of their own (see
/// [`link_inlines`]), where a link may start that the whole text has none at, or end where it
/// would not: so links are sought in those runs, at every place one could start, and again in
/// the runs that each new backslash makes, until no run holds one.
pub(crate) fn link_stops(text: &str, escaped: &[usize]) -> Vec<usize> {
    if !may_hold_link(text) {
        return Vec::new();
    }
    let mut cuts: std::collections::BTreeSet<usize> = escaped.iter().copied().collect();
    let mut stops = Vec::new();
    // Each round only splits runs; a new link from a split is rare, and more than a few
    // rounds is text made to be pathological.
    for _ in 0..8 {
        let mut new = Vec::new();
        let mut run_start = 0;
        for cut in cuts.iter().copied().chain(std::iter::once(text.len())) {
            if let Some(run) = text.get(run_start..cut) {
                new.extend(stops_in_run(run).into_iter().map(|stop| run_start + stop));
            }
            run_start = cut;
        }
        new.retain(|stop| !cuts.contains(stop));
        if new.is_empty() {
            break;
        }
        cuts.extend(new.iter().copied());
        stops.extend(new);
    }
    stops.sort_unstable();
    stops.dedup();
    stops
}

/// The stop of every link that could start anywhere in `run`, as [`link_stops`] has them.
fn stops_in_run(run: &str) -> Vec<usize> {
    let mut stops = Vec::new();
    for (at, c) in run.char_indices() {
        if is_link_start(run, at) {
            if let Some(start) = url_start(run, at).or_else(|| www_start(run, at)) {
                stops.push(start.stop);
            }
        }
        if c == '@' && address_bounds(run, at, 0).is_some() {
            stops.push(at);
        }
    }
    stops
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

/// Whether a link may start at `at` in `text`: at its start, after whitespace or after an
/// opening mark.
fn is_link_start(text: &str, at: usize) -> bool {
    text.is_char_boundary(at)
        && (at == 0 || {
            let before = text[..at].chars().next_back().unwrap_or(' ');
            before.is_whitespace() || OPENING.contains(&before)
        })
}

/// The links in `text`, in order.
fn find_links(text: &str, www: WwwScheme) -> Vec<Found> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < text.len() {
        if is_link_start(text, at) {
            if let Some(link) = url_at(text, at).or_else(|| www_at(text, at, www)) {
                at = link.end;
                found.push(link);
                continue;
            }
        }
        if bytes[at] == b'@' {
            let earliest = found.last().map_or(0, |f| f.end);
            if let Some((start, end)) = address_bounds(text, at, earliest) {
                found.push(Found {
                    start,
                    end,
                    url: format!("mailto:{}", &text[start..end]),
                });
                at = end;
                continue;
            }
        }
        at += 1;
    }
    found
}

/// Where a URL or `www.` address that starts a link begins its domain, and where a
/// backslash stops it.
struct LinkStart {
    /// Bytes before the domain: the scheme and `://`, or none for `www.` (part of it).
    prefix_len: usize,
    /// The byte a backslash goes before to keep it from being a link.
    stop: usize,
    /// Whether its domain needs a dot (it does after `www.`).
    need_dot: bool,
}

/// An `http://`, `https://` or `ftp://` URL with a valid domain at `start`.
fn url_start(text: &str, start: usize) -> Option<LinkStart> {
    let rest = &text[start..];
    let scheme_len = ["http://", "https://", "ftp://"]
        .iter()
        .find(|scheme| {
            rest.get(..scheme.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(scheme))
        })?
        .len();
    let domain = domain_at(&rest[scheme_len..])?;
    is_valid_domain(domain, false).then_some(LinkStart {
        prefix_len: scheme_len,
        stop: start + scheme_len - "://".len(),
        need_dot: false,
    })
}

/// A `www.` address with a valid domain at `start`.
fn www_start(text: &str, start: usize) -> Option<LinkStart> {
    let rest = &text[start..];
    if !rest
        .get(..4)
        .is_some_and(|s| s.eq_ignore_ascii_case("www."))
    {
        return None;
    }
    is_valid_domain(domain_at(rest)?, true).then_some(LinkStart {
        prefix_len: 0,
        stop: start + "www".len(),
        need_dot: true,
    })
}

/// An `http://`, `https://` or `ftp://` link starting at `start`.
fn url_at(text: &str, start: usize) -> Option<Found> {
    let link = url_start(text, start)?;
    let end = start + link.prefix_len + link_len(&text[start + link.prefix_len..], false)?;
    Some(Found {
        start,
        end,
        url: text[start..end].to_string(),
    })
}

/// A `www.` link starting at `start`.
fn www_at(text: &str, start: usize, www: WwwScheme) -> Option<Found> {
    let link = www_start(text, start)?;
    let end = start + link_len(&text[start..], link.need_dot)?;
    Some(Found {
        start,
        end,
        url: format!("{}{}", www.prefix(), &text[start..end]),
    })
}

/// No domain is longer (DNS allows 253 characters); a longer run of domain characters is
/// no address, and the scan for one stops there, so that looking for links at every place
/// one could start stays linear.
const MAX_DOMAIN_LEN: usize = 253;

/// The domain at the start of `text`, without a final dot; `None` when the run of domain
/// characters there is longer than any domain.
fn domain_at(text: &str) -> Option<&str> {
    let mut len = 0;
    for (i, c) in text.char_indices() {
        if !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-')) {
            break;
        }
        if i > MAX_DOMAIN_LEN {
            return None;
        }
        len = i + c.len_utf8();
    }
    Some(text[..len].trim_end_matches('.'))
}

/// The length of a valid domain and its path at the start of `text`, trailing punctuation
/// left out; `None` when it does not start with a valid domain (one with a dot when
/// `need_dot`).
fn link_len(text: &str, need_dot: bool) -> Option<usize> {
    let domain = domain_at(text)?;
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

/// What a link may start after, besides whitespace.
const OPENING: &[char] = &[
    '*', '_', '~', '(', '[', '<', '"', '\'', '“', '‘', '«', '„', '‚',
];

/// What is left out of a link's end: GFM's `?!.,:*_~`, and the closing marks of prose.
const CLOSING: &[char] = &[
    '?', '!', '.', ',', ':', ';', '*', '_', '~', '>', '"', '\'', '”', '’', '»', '“',
];

/// `link` without the punctuation left out of a link's end. The brackets are counted once, so
/// a word of a million `)` stays linear.
fn trim_trailing(link: &str) -> &str {
    let count = |c: char| link.matches(c).count();
    let (parens_opened, brackets_opened) = (count('('), count('['));
    let (mut parens_closed, mut brackets_closed) = (count(')'), count(']'));
    let mut end = link.len();
    loop {
        let rest = &link[..end];
        if let Some(body) = rest.strip_suffix(';') {
            // `&hl;` at the end reads as an entity, not as part of the link.
            let name_start = body
                .rfind(|c: char| !c.is_ascii_alphanumeric())
                .map_or(0, |i| i + 1);
            if name_start > 0 && body.as_bytes()[name_start - 1] == b'&' && name_start < body.len()
            {
                end = name_start - 1;
                continue;
            }
        }
        let Some(last) = rest.chars().next_back() else {
            return rest;
        };
        let cut = if CLOSING.contains(&last) {
            true
        } else if last == ')' && parens_closed > parens_opened {
            parens_closed -= 1;
            true
        } else if last == ']' && brackets_closed > brackets_opened {
            brackets_closed -= 1;
            true
        } else {
            false
        };
        if !cut {
            return rest;
        }
        end -= last.len_utf8();
    }
}

/// The longest local part an address has (RFC 5321); the scan back from an `@` stops there.
const MAX_LOCAL_LEN: usize = 64;

/// Where the address whose `@` is at `at` starts and ends, starting no earlier than
/// `earliest`.
fn address_bounds(text: &str, at: usize, earliest: usize) -> Option<(usize, usize)> {
    let is_local = |c: char| c.is_alphanumeric() || matches!(c, '.' | '+' | '-' | '_' | '%');
    let mut start = at;
    for (count, (i, c)) in text[earliest..at].char_indices().rev().enumerate() {
        if !is_local(c) {
            break;
        }
        if count == MAX_LOCAL_LEN {
            return None;
        }
        start = earliest + i;
    }
    if start == at {
        return None;
    }
    let after = &text[at + 1..];
    let mut domain_len = after.len();
    for (count, (i, c)) in after.char_indices().enumerate() {
        if !(c.is_alphanumeric() || matches!(c, '.' | '-')) {
            domain_len = i;
            break;
        }
        if count > MAX_DOMAIN_LEN {
            return None;
        }
    }
    let domain = after[..domain_len].trim_end_matches(['.', '-']);
    let labels: Vec<&str> = domain.split('.').collect();
    let top = labels.last().copied().unwrap_or_default();
    if domain.len() > MAX_DOMAIN_LEN
        || labels.len() < 2
        || labels.iter().any(|l| l.is_empty())
        || top.chars().count() < 2
        || !top.chars().all(char::is_alphabetic)
    {
        return None;
    }
    Some((start, at + 1 + domain.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(&str, String)> {
        find_links(text, WwwScheme::Http)
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

    /// Nothing is scanned again and again: each of these takes a moment, where a scan per
    /// bracket or per possible start would take hours.
    #[test]
    fn long_words_take_linear_time() {
        let words = [
            format!("https://a.org/{}", ")".repeat(1_000_000)),
            format!("https://a.org/{}", "&a;".repeat(300_000)),
            "_www.a.org".repeat(100_000),
            "a@".repeat(500_000),
            format!("{}@example.org", "a".repeat(1_000_000)),
        ];
        for word in &words {
            assert!(find_links(word, WwwScheme::Http).len() <= 1);
        }
    }

    /// The writer's stops are sought in the runs a reader will see, between escaped
    /// characters: a link may start there after an escaped `*`, or be valid only once an
    /// escape cuts its domain short.
    #[test]
    fn stops_break_every_link_a_reader_would_find() {
        let text = "*www.a.org*www.a.org/~u_(x)";
        let escaped: Vec<usize> = text
            .char_indices()
            .filter(|(_, c)| matches!(c, '*' | '~'))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(link_stops(text, &escaped), vec![4, 14]);
        // `www.a.b_` has no valid domain (a `_` in its last segment); `www.a.b` has.
        assert_eq!(link_stops("www.a.b_", &[]), Vec::<usize>::new());
        assert_eq!(link_stops("www.a.b_", &[7]), vec![3]);
        assert_eq!(
            link_stops("see https://a.org or me@a.org", &[]),
            vec![9, 23]
        );
        // Every place a link could start is looked at, each in a moment.
        assert_eq!(
            link_stops(&"(www.a.org".repeat(100_000), &[]).len(),
            100_000
        );
        // Domain characters with a possible start at every `_`: each scan stops at the
        // longest domain there is, and only the last start is near enough to the end.
        assert_eq!(link_stops(&"_www.a".repeat(100_000), &[]).len(), 1);
    }

    #[test]
    fn addresses_become_mailto_links() {
        assert_eq!(
            links("Write to foo.bar+x@example.co.uk."),
            one("foo.bar+x@example.co.uk", "mailto:foo.bar+x@example.co.uk")
        );
        assert!(links("a@b").is_empty());
        assert!(links("v1.2@3.4").is_empty());
        assert!(links("a@example.c").is_empty());
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
        link_inlines(&mut inlines, WwwScheme::Http);
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
