//! The XHTML documents inside the book (the chapter page around a body, the title page, the
//! cover page and the sources appendix), the e-reader stylesheet, and the pieces chapter
//! bodies are built with: [`ArticleXhtml`] (what [`super::adapt`] makes of the HTML writer's
//! XHTML), link placeholders ([`LINK_OPEN`] n [`LINK_CLOSE`] standing for a whole ` href="…"`
//! attribute, filled by [`fill_links`] once every chapter is known, so links between bundled
//! articles become links inside the book), [`IdRegistry`] (valid, unique XML ids) and the
//! XML escapers.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::model::{Direction, Meta};

/// Starts a link placeholder in rendered XHTML; a private-use character that text never
/// carries (the escaper drops it).
pub(crate) const LINK_OPEN: char = '\u{E000}';
/// Ends a link placeholder.
pub(crate) const LINK_CLOSE: char = '\u{E001}';

/// The book's stylesheet. It sets no font family and no absolute font size, so the reader's
/// own settings win; it avoids flexbox, grid and custom properties, which e-readers mishandle.
pub(crate) const STYLESHEET: &str = r#"body { margin: 0 0.6em; line-height: 1.45; orphans: 2; widows: 2; }
p { margin: 0 0 0.8em 0; text-indent: 0; }
h1, h2, h3, h4, h5, h6 { line-height: 1.2; margin: 1.4em 0 0.6em 0; page-break-after: avoid; break-after: avoid; -webkit-hyphens: manual; hyphens: manual; }
h1 { font-size: 1.6em; margin-top: 0.4em; }
h2 { font-size: 1.35em; }
h3 { font-size: 1.15em; }
h4, h5, h6 { font-size: 1em; }
a { color: inherit; text-decoration: none; }
a[href] { text-decoration: underline; }
blockquote { margin: 1em 1.2em; font-style: italic; }
blockquote em, blockquote i { font-style: normal; }
pre { white-space: pre-wrap; word-wrap: break-word; font-family: monospace; font-size: 0.85em; margin: 1em 0; padding: 0.5em; border: 1px solid #999; }
code { font-family: monospace; font-size: 0.9em; }
pre code { font-size: 1em; }
hr { border: 0; border-top: 1px solid #888; margin: 1.5em 20%; }
ul, ol { margin: 0 0 0.8em 0; padding-left: 1.6em; }
li { margin: 0.2em 0; }
li > p { margin: 0 0 0.4em 0; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; max-width: 100%; }
caption { caption-side: top; font-style: italic; margin-bottom: 0.4em; }
th, td { border: 1px solid #888; padding: 0.25em 0.5em; vertical-align: top; }
th { font-weight: bold; }
td > p, th > p { margin: 0; }
figure { margin: 1em 0; text-align: center; page-break-inside: avoid; break-inside: avoid; }
figcaption { font-size: 0.85em; font-style: italic; margin-top: 0.3em; text-align: center; }
img { max-width: 100%; height: auto; }
.image-alt { font-style: italic; }
sup, sub { line-height: 0; font-size: 0.75em; }
header.article-header { margin-bottom: 1.5em; }
header.article-header h1 { font-size: 1.8em; margin-top: 0.4em; }
header.article-header .subtitle { font-size: 1.15em; font-style: italic; margin: 0 0 0.6em 0; }
header.article-header .byline, header.article-header .dateline { font-size: 0.85em; margin: 0 0 0.3em 0; }
.dateline a, .source a { word-wrap: break-word; }
.footnote-ref a { text-decoration: none; padding: 0 0.1em; }
section.footnotes { margin-top: 2em; border-top: 1px solid #888; padding-top: 0.4em; font-size: 0.9em; counter-reset: footnote; }
section.footnotes > aside { margin: 0.6em 0; counter-increment: footnote; }
section.footnotes > aside > :first-child:before { content: counter(footnote) ". "; }
a.footnote-back { text-decoration: none; }
.titlepage { text-align: center; margin-top: 3em; }
.titlepage h1 { font-size: 2em; margin-bottom: 0.5em; }
.titlepage p { margin: 0.4em 0; }
.titlepage .subtitle { font-style: italic; font-size: 1.2em; margin-bottom: 1.5em; }
.titlepage .authors { font-weight: bold; margin-top: 1.5em; }
.titlepage .description { font-style: italic; margin: 2em 1em 0 1em; }
.titlepage .source { word-wrap: break-word; font-size: 0.85em; margin-top: 2em; }
body.cover { margin: 0; padding: 0; text-align: center; }
div.cover { margin: 0; padding: 0; height: 100%; text-align: center; }
div.cover img { display: block; margin: 0 auto; height: 100%; max-width: 100%; max-height: 100vh; }
ol.sources li { margin-bottom: 0.8em; }
"#;

/// How a chapter body gets an image: the caller embeds it and says where it went.
pub(crate) enum ImageRef {
    /// Embedded in the book at this path (relative to the XHTML).
    Embedded(String),
    /// A remote image that was not downloaded: shown as a link to it.
    Remote(String),
    /// Could not be had (the caller has made the warning): shown as its alt text.
    Missing,
}

/// A heading the table of contents may list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TocHeading {
    /// 1 for the article's top heading level, 2 below it, …
    pub depth: u8,
    /// The id written in the chapter.
    pub id: String,
    pub text: String,
}

/// A rendered chapter body, before its links are resolved.
#[derive(Debug, Default)]
pub(crate) struct ArticleXhtml {
    /// The `<body>` content, with link placeholders.
    pub body: String,
    /// The URL of each placeholder, by number.
    pub links: Vec<String>,
    /// Model id (heading, container, span) → the id written.
    pub ids: HashMap<String, String>,
    pub headings: Vec<TocHeading>,
}

/// Replaces each link placeholder with ` href="…"` for the URL `resolve` gives, or nothing
/// (an `<a>` without `href` is valid and reads as plain text) when it gives none.
pub(crate) fn fill_links(body: &str, resolve: &mut dyn FnMut(usize) -> Option<String>) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    let mut rest = body;
    while let Some(start) = rest.find(LINK_OPEN) {
        out.push_str(&rest[..start]);
        let after = &rest[start + LINK_OPEN.len_utf8()..];
        let Some(end) = after.find(LINK_CLOSE) else {
            rest = after;
            continue;
        };
        if let Some(href) = after[..end].parse().ok().and_then(&mut *resolve) {
            out.push_str(" href=\"");
            escape_attr_into(&href, &mut out);
            out.push('"');
        }
        rest = &after[end + LINK_CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// A whole XHTML content document around `body`.
pub(crate) fn page(
    title: &str,
    lang: Option<&str>,
    dir: Option<Direction>,
    body_class: Option<&str>,
    body: &str,
) -> String {
    let mut out = String::with_capacity(body.len() + 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    out.push_str(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"",
    );
    if let Some(lang) = lang {
        let _ = write!(out, " lang=\"{lang}\" xml:lang=\"{lang}\"");
    }
    if let Some(dir) = dir {
        let _ = write!(out, " dir=\"{}\"", dir.as_str());
    }
    out.push_str(">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
    escape_text_into(title, &mut out);
    out.push_str("</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n<body");
    if let Some(class) = body_class {
        let _ = write!(out, " class=\"{class}\"");
    }
    out.push_str(">\n");
    out.push_str(body);
    out.push_str("</body>\n</html>\n");
    out
}

/// The title page: title, subtitle, authors, site, dates, description and the source link.
/// Its one link (the source) is written directly: it is always absolute.
pub(crate) fn title_page_body(meta: &Meta, title: &str, article_count: Option<usize>) -> String {
    let mut out = String::from("<section class=\"titlepage\" epub:type=\"titlepage\">\n<h1>");
    escape_text_into(title, &mut out);
    out.push_str("</h1>\n");
    if let Some(subtitle) = nonempty(&meta.subtitle) {
        push_element(&mut out, "p", "subtitle", subtitle);
    }
    if !meta.authors.is_empty() {
        push_element(&mut out, "p", "authors", &meta.authors.join(", "));
    }
    if let Some(site) = nonempty(&meta.site_name) {
        push_element(&mut out, "p", "site", site);
    }
    if let Some(published) = nonempty(&meta.published) {
        push_element(&mut out, "p", "date", &display_date(published));
    }
    if let Some(modified) = nonempty(&meta.modified) {
        if meta.published.as_deref().map(display_date) != Some(display_date(modified)) {
            push_element(
                &mut out,
                "p",
                "date",
                &format!("Updated {}", display_date(modified)),
            );
        }
    }
    if let Some(count) = article_count {
        let noun = if count == 1 { "article" } else { "articles" };
        push_element(&mut out, "p", "count", &format!("{count} {noun}"));
    }
    if let Some(description) = nonempty(&meta.description) {
        push_element(&mut out, "p", "description", description);
    }
    if let Some(url) = meta.source_url.as_deref().and_then(safe_external_url) {
        out.push_str("<p class=\"source\"><a href=\"");
        escape_attr_into(&url, &mut out);
        out.push_str("\">");
        escape_text_into(&url, &mut out);
        out.push_str("</a></p>\n");
    }
    out.push_str("</section>\n");
    out
}

/// The cover page: the cover image, full screen.
pub(crate) fn cover_page_body(image_href: &str) -> String {
    let mut out = String::from("<div class=\"cover\"><img src=\"");
    escape_attr_into(image_href, &mut out);
    out.push_str("\" alt=\"Cover\"/></div>\n");
    out
}

/// One line of the sources appendix.
pub(crate) struct SourceEntry<'a> {
    pub href: String,
    pub title: &'a str,
    pub meta: &'a Meta,
}

/// The sources appendix of a bundle: every chapter's title, author, site, date and URL.
pub(crate) fn sources_body(entries: &[SourceEntry]) -> String {
    let mut out = String::from(
        "<section epub:type=\"bibliography\" role=\"doc-bibliography\">\n<h1>Sources</h1>\n<ol class=\"sources\">\n",
    );
    for entry in entries {
        out.push_str("<li><a href=\"");
        escape_attr_into(&entry.href, &mut out);
        out.push_str("\">");
        escape_text_into(entry.title, &mut out);
        out.push_str("</a>");
        let mut details: Vec<String> = Vec::new();
        if !entry.meta.authors.is_empty() {
            details.push(entry.meta.authors.join(", "));
        }
        if let Some(site) = nonempty(&entry.meta.site_name) {
            details.push(site.to_string());
        }
        if let Some(date) = nonempty(&entry.meta.published) {
            details.push(display_date(date));
        }
        if !details.is_empty() {
            out.push_str(". ");
            escape_text_into(&details.join(", "), &mut out);
            out.push('.');
        }
        if let Some(url) = entry.meta.source_url.as_deref().and_then(safe_external_url) {
            out.push_str("<br/><a class=\"source\" href=\"");
            escape_attr_into(&url, &mut out);
            out.push_str("\">");
            escape_text_into(&url, &mut out);
            out.push_str("</a>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</section>\n");
    out
}

/// An absolute URL the one policy allows ([`crate::model::url::is_external_link`]) in its
/// normalised, percent-encoded form; `None` for anything else (scripts, data, files, garbage).
pub(crate) fn safe_external_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    crate::model::url::is_external_link(parsed.as_str()).then(|| parsed.to_string())
}

/// A date as readers want it: the day of an ISO timestamp, anything else as given.
pub(crate) fn display_date(date: &str) -> String {
    let date = date.trim();
    let day = date.get(..10).unwrap_or(date);
    let looks_iso = day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if looks_iso {
        day.to_string()
    } else {
        date.to_string()
    }
}

fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn push_element(out: &mut String, tag: &str, class: &str, text: &str) {
    let _ = write!(out, "<{tag} class=\"{class}\">");
    escape_text_into(text, out);
    let _ = writeln!(out, "</{tag}>");
}

/// Characters XML 1.0 cannot carry at all (and the placeholder marks), dropped from output.
fn is_forbidden_in_xml(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
        || c == LINK_OPEN
        || c == LINK_CLOSE
}

/// Escapes text content.
pub(crate) fn escape_text_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if is_forbidden_in_xml(c) => {}
            c => out.push(c),
        }
    }
}

/// Escapes a double-quoted attribute value (line breaks become spaces, as XML would make them).
pub(crate) fn escape_attr_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_forbidden_in_xml(c) => {}
            c => out.push(c),
        }
    }
}

/// Text made safe for metadata fields handed to other code (epub-builder escapes markup but
/// not the characters XML forbids).
pub(crate) fn xml_clean(text: &str) -> String {
    text.chars().filter(|&c| !is_forbidden_in_xml(c)).collect()
}

/// The ids written in one chapter: valid XML names, each used once.
#[derive(Debug, Default)]
pub(crate) struct IdRegistry {
    used: HashSet<String>,
    /// The next suffix to try for each base, so a thousand repeats of one id stay linear.
    next_suffix: HashMap<String, usize>,
}

impl IdRegistry {
    /// An id for `wanted`: made a valid XML name and unique (`-1`, `-2`, … appended).
    pub(crate) fn claim(&mut self, wanted: &str) -> String {
        let base = xml_name(wanted);
        if self.used.insert(base.clone()) {
            return base;
        }
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(1);
        let mut candidate = format!("{base}-{n}");
        while !self.used.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        self.next_suffix.insert(base, n + 1);
        candidate
    }
}

/// A valid XML name (NCName) for an id: characters outside the name set become `-`, and a
/// name that would start with a digit, `-` or `.` gets an `id-` prefix.
fn xml_name(wanted: &str) -> String {
    let mut name = String::with_capacity(wanted.len());
    for c in wanted.chars() {
        if is_name_char(c) {
            name.push(c);
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_matches('-');
    match name.chars().next() {
        None => "section".to_string(),
        Some(first) if first.is_ascii_digit() || first == '.' || !is_name_char(first) => {
            format!("id-{name}")
        }
        Some(first) if is_name_start_char(first) => name.to_string(),
        Some(_) => format!("id-{name}"),
    }
}

fn is_name_start_char(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || (c >= '\u{C0}' && is_name_char(c) && c.is_alphabetic())
}

/// Characters that are safe in an XML name everywhere but the start: ASCII letters, digits,
/// `-`, `_`, `.`, and letters and digits of other scripts from the XML name ranges.
fn is_name_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    }
    c >= '\u{C0}'
        && c != '\u{D7}'
        && c != '\u{F7}'
        && !('\u{2000}'..='\u{206F}').contains(&c)
        && !('\u{E000}'..='\u{F8FF}').contains(&c)
        && c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_valid_xml_names_and_unique() {
        let mut ids = IdRegistry::default();
        assert_eq!(ids.claim("1-intro"), "id-1-intro");
        assert_eq!(ids.claim("intro"), "intro");
        assert_eq!(ids.claim("intro"), "intro-1");
        assert_eq!(ids.claim("a b:c"), "a-b-c");
        assert_eq!(ids.claim(""), "section");
        assert_eq!(ids.claim("что"), "что");
        assert_eq!(ids.claim("-x"), "x");
        assert_eq!(ids.claim("·y"), "y");
        assert_eq!(ids.claim("٣x"), "id-٣x");
        let many: HashSet<String> = (0..2000).map(|_| ids.claim("dup")).collect();
        assert_eq!(many.len(), 2000);
    }

    #[test]
    fn links_fill_or_fall_away() {
        let body = format!("<a{LINK_OPEN}0{LINK_CLOSE}>x</a><a{LINK_OPEN}1{LINK_CLOSE}>y</a>");
        let filled = fill_links(&body, &mut |n| (n == 0).then(|| "a\"&b".to_string()));
        assert_eq!(filled, "<a href=\"a&quot;&amp;b\">x</a><a>y</a>");
    }
}
