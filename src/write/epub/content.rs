//! The XHTML documents inside the book: each article's chapter, the title page, the cover page
//! and the sources appendix, plus the e-reader stylesheet.
//!
//! [`article_xhtml`] is the ADAPTER the integrator will point at the HTML writer's XHTML mode.
//! Until then it is a small, complete renderer of its own. What the EPUB needs from whichever
//! renderer does this job (and what this one does):
//! - well-formed XHTML whatever the input: text and attributes escaped, characters XML forbids
//!   dropped, every void element closed, no comments;
//! - ids that are valid XML names (no leading digit) and unique in the chapter, with the map
//!   from the model's ids to the written ones, so fragment links can be resolved;
//! - links written as placeholders ([`LINK_OPEN`] n [`LINK_CLOSE`] standing for the whole
//!   ` href="…"` attribute), because where a link points is known only once every chapter of
//!   the book has been rendered (links between bundled articles become links inside the book);
//! - images asked of the caller (who embeds them), and alt text when one cannot be had;
//! - footnotes as EPUB 3 footnotes: `noteref` links and `footnote` asides with a back-link;
//! - the headings for the table of contents.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::model::{
    inlines_to_plain, Alignment, Block, Direction, Document, Figure, Image, Inline, List, Meta,
    Table,
};

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
header.article-header .subtitle { font-size: 1.15em; font-style: italic; margin: 0 0 0.6em 0; }
header.article-header .byline, header.article-header .source { font-size: 0.85em; margin: 0 0 0.3em 0; }
.source a { word-wrap: break-word; }
section.footnotes { margin-top: 2em; border-top: 1px solid #888; font-size: 0.9em; }
aside.footnote { margin: 0.6em 0; }
a.noteref { text-decoration: none; }
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

/// How the chapter renderer gets an image: the caller embeds it and says where it went.
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

/// THE ADAPTER: renders an article (its header, body and footnotes) as the `<body>` content of
/// an EPUB XHTML document. The integrator replaces this body with a call into the HTML
/// writer's XHTML mode, keeping the contract in the module docs.
pub(crate) fn article_xhtml(
    doc: &Document,
    title: &str,
    images: &mut dyn FnMut(&str) -> ImageRef,
) -> ArticleXhtml {
    let mut renderer = Renderer::new(images);
    renderer.top_level = top_heading_level(&doc.blocks);
    renderer.ids.reserve_fixed();
    renderer.header(&doc.meta, title);
    renderer.blocks(&doc.blocks, true);
    renderer.footnotes();
    ArticleXhtml {
        body: renderer.out,
        links: renderer.links,
        ids: renderer.id_map,
        headings: renderer.headings,
    }
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

/// An absolute `http(s)`/`mailto`/`ftp` URL in its normalised, percent-encoded form; `None`
/// for anything else (scripts, data, files, garbage).
pub(crate) fn safe_external_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    match parsed.scheme() {
        "http" | "https" | "mailto" | "ftp" => Some(parsed.to_string()),
        _ => None,
    }
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
    /// Ids the page structure itself uses.
    fn reserve_fixed(&mut self) {
        self.used.insert("article-title".to_string());
    }

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

/// The smallest heading level outside quotes, lists, tables and notes: it becomes `h2`
/// (the article title is the chapter's `h1`) and depth 1 in the table of contents.
fn top_heading_level(blocks: &[Block]) -> u8 {
    let mut min = u8::MAX;
    let mut stack: Vec<&[Block]> = vec![blocks];
    while let Some(list) = stack.pop() {
        for block in list {
            match block {
                Block::Heading { level, .. } => min = min.min((*level).clamp(1, 6)),
                Block::Container { blocks, .. } => stack.push(blocks),
                _ => {}
            }
        }
    }
    if min == u8::MAX {
        2
    } else {
        min
    }
}

struct PendingNote<'a> {
    number: usize,
    id: String,
    /// The id of the reference to come back to; `None` when the reference sat inside a link
    /// (links cannot nest) and so has no anchor.
    ref_id: Option<String>,
    blocks: &'a [Block],
}

struct Renderer<'a, 'i> {
    out: String,
    ids: IdRegistry,
    id_map: HashMap<String, String>,
    links: Vec<String>,
    notes: Vec<PendingNote<'a>>,
    headings: Vec<TocHeading>,
    images: &'i mut dyn FnMut(&str) -> ImageRef,
    top_level: u8,
    /// How many `<a>` elements are open: HTML forbids nesting them.
    open_links: usize,
    in_note: bool,
}

impl<'a, 'i> Renderer<'a, 'i> {
    fn new(images: &'i mut dyn FnMut(&str) -> ImageRef) -> Renderer<'a, 'i> {
        Renderer {
            out: String::new(),
            ids: IdRegistry::default(),
            id_map: HashMap::new(),
            links: Vec::new(),
            notes: Vec::new(),
            headings: Vec::new(),
            images,
            top_level: 2,
            open_links: 0,
            in_note: false,
        }
    }

    fn text(&mut self, text: &str) {
        escape_text_into(text, &mut self.out);
    }

    fn attr(&mut self, name: &str, value: &str) {
        let _ = write!(self.out, " {name}=\"");
        escape_attr_into(value, &mut self.out);
        self.out.push('"');
    }

    /// Claims an id for a model id and remembers the mapping (the first element wins).
    fn model_id(&mut self, original: &str) -> Option<String> {
        if original.trim().is_empty() || self.in_note {
            return None;
        }
        let id = self.ids.claim(original);
        self.id_map
            .entry(original.to_string())
            .or_insert_with(|| id.clone());
        Some(id)
    }

    fn link_placeholder(&mut self, url: &str) {
        let n = self.links.len();
        self.links.push(url.to_string());
        let _ = write!(self.out, "{LINK_OPEN}{n}{LINK_CLOSE}");
    }

    fn header(&mut self, meta: &Meta, title: &str) {
        self.out
            .push_str("<header class=\"article-header\">\n<h1 id=\"article-title\">");
        self.text(title);
        self.out.push_str("</h1>\n");
        if let Some(subtitle) = nonempty(&meta.subtitle) {
            push_element(&mut self.out, "p", "subtitle", subtitle);
        }
        let mut byline: Vec<String> = Vec::new();
        if !meta.authors.is_empty() {
            byline.push(meta.authors.join(", "));
        }
        if let Some(site) = nonempty(&meta.site_name) {
            byline.push(site.to_string());
        }
        if let Some(date) = nonempty(&meta.published) {
            byline.push(display_date(date));
        }
        if !byline.is_empty() {
            push_element(&mut self.out, "p", "byline", &byline.join(" · "));
        }
        if let Some(url) = meta.source_url.as_deref().and_then(safe_external_url) {
            self.out.push_str("<p class=\"source\"><a href=\"");
            escape_attr_into(&url, &mut self.out);
            self.out.push_str("\">");
            escape_text_into(&url, &mut self.out);
            self.out.push_str("</a></p>\n");
        }
        self.out.push_str("</header>\n");
    }

    /// `in_flow`: the blocks are part of the article's outline (not inside a quote, list,
    /// table or note), so their headings go in the table of contents.
    fn blocks(&mut self, blocks: &'a [Block], in_flow: bool) {
        for block in blocks {
            self.block(block, in_flow);
        }
    }

    fn block(&mut self, block: &'a Block, in_flow: bool) {
        match block {
            Block::Paragraph(inlines) => {
                if !inlines.is_empty() {
                    self.out.push_str("<p>");
                    self.inlines(inlines);
                    self.out.push_str("</p>\n");
                }
            }
            Block::Heading { level, id, content } => self.heading(*level, id, content, in_flow),
            Block::Quote(inner) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(inner, false);
                self.out.push_str("</blockquote>\n");
            }
            Block::List(list) => self.list(list),
            Block::Code { language, text } => {
                self.out.push_str("<pre><code");
                let class: String = language
                    .as_deref()
                    .unwrap_or("")
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
                    .collect();
                if !class.is_empty() {
                    let _ = write!(self.out, " class=\"language-{class}\"");
                }
                self.out.push('>');
                self.text(text);
                self.out.push_str("</code></pre>\n");
            }
            Block::Table(table) => self.table(table),
            Block::Figure(figure) => self.figure(figure),
            Block::Rule => self.out.push_str("<hr/>\n"),
            Block::Container { attr, blocks } => {
                self.out.push_str("<div");
                if let Some(id) = self.model_id(&attr.id) {
                    self.attr("id", &id);
                }
                self.out.push_str(">\n");
                self.blocks(blocks, in_flow);
                self.out.push_str("</div>\n");
            }
        }
    }

    fn heading(&mut self, level: u8, id: &str, content: &'a [Inline], in_flow: bool) {
        if self.in_note {
            self.out.push_str("<p><strong>");
            self.inlines(content);
            self.out.push_str("</strong></p>\n");
            return;
        }
        let level = level.clamp(1, 6);
        // The title is h1: the top level of the body becomes h2, the rest follow it.
        let written = (level.saturating_sub(self.top_level) + 2).min(6);
        let _ = write!(self.out, "<h{written}");
        let wanted = if id.is_empty() { "section" } else { id };
        let new_id = self.ids.claim(wanted);
        if !id.is_empty() {
            self.id_map
                .entry(id.to_string())
                .or_insert_with(|| new_id.clone());
        }
        self.attr("id", &new_id);
        self.out.push('>');
        self.inlines(content);
        let _ = writeln!(self.out, "</h{written}>");
        let text = xml_clean(&crate::model::collapse_whitespace(&inlines_to_plain(
            content,
        )));
        let text = text.trim();
        if in_flow && !text.is_empty() {
            self.headings.push(TocHeading {
                depth: level.saturating_sub(self.top_level) + 1,
                id: new_id,
                text: text.to_string(),
            });
        }
    }

    fn list(&mut self, list: &'a List) {
        let tag = if list.ordered { "ol" } else { "ul" };
        let _ = write!(self.out, "<{tag}");
        if list.ordered && list.start != 1 {
            let _ = write!(self.out, " start=\"{}\"", list.start);
        }
        self.out.push_str(">\n");
        for item in &list.items {
            self.out.push_str("<li>");
            match item.as_slice() {
                [Block::Paragraph(inlines)] if list.tight => self.inlines(inlines),
                blocks => {
                    self.out.push('\n');
                    self.blocks(blocks, false);
                }
            }
            self.out.push_str("</li>\n");
        }
        let _ = writeln!(self.out, "</{tag}>");
    }

    fn table(&mut self, table: &'a Table) {
        self.out.push_str("<table>\n");
        if !table.caption.is_empty() {
            self.out.push_str("<caption>");
            self.inlines(&table.caption);
            self.out.push_str("</caption>\n");
        }
        for (rows, section, cell_tag) in
            [(&table.head, "thead", "th"), (&table.body, "tbody", "td")]
        {
            if rows.is_empty() {
                continue;
            }
            let _ = writeln!(self.out, "<{section}>");
            for row in rows {
                self.out.push_str("<tr>");
                let mut column = 0usize;
                for cell in &row.cells {
                    let _ = write!(self.out, "<{cell_tag}");
                    // HTML caps spans; validators reject larger values.
                    let colspan = cell.colspan.clamp(1, 1000);
                    let rowspan = cell.rowspan.clamp(1, 65534);
                    if colspan > 1 {
                        let _ = write!(self.out, " colspan=\"{colspan}\"");
                    }
                    if rowspan > 1 {
                        let _ = write!(self.out, " rowspan=\"{rowspan}\"");
                    }
                    let align = match table.alignments.get(column) {
                        Some(Alignment::Left) => Some("left"),
                        Some(Alignment::Center) => Some("center"),
                        Some(Alignment::Right) => Some("right"),
                        Some(Alignment::Default) | None => None,
                    };
                    if let Some(align) = align {
                        let _ = write!(self.out, " style=\"text-align: {align}\"");
                    }
                    self.out.push('>');
                    match cell.content.as_slice() {
                        [Block::Paragraph(inlines)] => self.inlines(inlines),
                        blocks => self.blocks(blocks, false),
                    }
                    let _ = write!(self.out, "</{cell_tag}>");
                    column += colspan as usize;
                }
                self.out.push_str("</tr>\n");
            }
            let _ = writeln!(self.out, "</{section}>");
        }
        self.out.push_str("</table>\n");
    }

    fn figure(&mut self, figure: &'a Figure) {
        let image_ref = (self.images)(&figure.image.src);
        let has_caption = !figure.caption.is_empty();
        if matches!(image_ref, ImageRef::Missing)
            && figure.image.alt.trim().is_empty()
            && !has_caption
        {
            return;
        }
        self.out.push_str("<figure>\n");
        match image_ref {
            ImageRef::Embedded(href) => {
                self.img(&href, &figure.image);
                self.out.push('\n');
            }
            ImageRef::Remote(url) => {
                self.out.push_str("<p>");
                self.remote_image_link(&url, &figure.image);
                self.out.push_str("</p>\n");
            }
            ImageRef::Missing => {
                if !figure.image.alt.trim().is_empty() {
                    self.out.push_str("<p class=\"image-alt\">");
                    self.text(&figure.image.alt);
                    self.out.push_str("</p>\n");
                }
            }
        }
        if has_caption {
            self.out.push_str("<figcaption>");
            self.inlines(&figure.caption);
            self.out.push_str("</figcaption>\n");
        }
        self.out.push_str("</figure>\n");
    }

    fn img(&mut self, href: &str, image: &Image) {
        self.out.push_str("<img");
        self.attr("src", href);
        self.attr("alt", image.alt.trim());
        if let Some(title) = image.title.as_deref().filter(|t| !t.trim().is_empty()) {
            self.attr("title", title);
        }
        self.out.push_str("/>");
    }

    fn remote_image_link(&mut self, url: &str, image: &Image) {
        let label = if image.alt.trim().is_empty() {
            "Image"
        } else {
            image.alt.trim()
        };
        if self.open_links > 0 {
            self.out.push_str("<span class=\"image-alt\">");
            self.text(label);
            self.out.push_str("</span>");
            return;
        }
        self.out.push_str("<a class=\"image-alt\"");
        self.link_placeholder(url);
        self.out.push('>');
        self.text(label);
        self.out.push_str("</a>");
    }

    fn inlines(&mut self, inlines: &'a [Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn wrapped(&mut self, tag: &str, content: &'a [Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    fn inline(&mut self, inline: &'a Inline) {
        match inline {
            Inline::Text(text) => self.text(text),
            Inline::Emphasis(c) => self.wrapped("em", c),
            Inline::Strong(c) => self.wrapped("strong", c),
            Inline::Strikethrough(c) => self.wrapped("del", c),
            Inline::Superscript(c) => self.wrapped("sup", c),
            Inline::Subscript(c) => self.wrapped("sub", c),
            Inline::Code(code) => {
                self.out.push_str("<code>");
                self.text(code);
                self.out.push_str("</code>");
            }
            Inline::Link {
                url,
                title,
                content,
            } => {
                if self.open_links > 0 {
                    self.inlines(content);
                    return;
                }
                self.out.push_str("<a");
                self.link_placeholder(url);
                if let Some(title) = title.as_deref().filter(|t| !t.trim().is_empty()) {
                    self.attr("title", title);
                }
                self.out.push('>');
                self.open_links += 1;
                self.inlines(content);
                self.open_links -= 1;
                self.out.push_str("</a>");
            }
            Inline::Image(image) => match (self.images)(&image.src) {
                ImageRef::Embedded(href) => self.img(&href, image),
                ImageRef::Remote(url) => self.remote_image_link(&url, image),
                ImageRef::Missing => {
                    if !image.alt.trim().is_empty() {
                        self.out.push_str("<span class=\"image-alt\">");
                        self.text(image.alt.trim());
                        self.out.push_str("</span>");
                    }
                }
            },
            Inline::LineBreak => self.out.push_str("<br/>"),
            Inline::Note(blocks) => self.note_ref(blocks),
            Inline::Span { attr, content } => {
                self.out.push_str("<span");
                if let Some(id) = self.model_id(&attr.id) {
                    self.attr("id", &id);
                }
                self.out.push('>');
                self.inlines(content);
                self.out.push_str("</span>");
            }
        }
    }

    fn note_ref(&mut self, blocks: &'a [Block]) {
        let number = self.notes.len() + 1;
        let id = self.ids.claim(&format!("fn-{number}"));
        if self.open_links > 0 {
            let _ = write!(self.out, "<sup>{number}</sup>");
            self.notes.push(PendingNote {
                number,
                id,
                ref_id: None,
                blocks,
            });
            return;
        }
        let ref_id = self.ids.claim(&format!("fnref-{number}"));
        let _ = write!(
            self.out,
            "<sup><a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" href=\"#{id}\" id=\"{ref_id}\">{number}</a></sup>"
        );
        self.notes.push(PendingNote {
            number,
            id,
            ref_id: Some(ref_id),
            blocks,
        });
    }

    /// Writes the footnotes (and the notes inside them, which join the queue as they are met).
    fn footnotes(&mut self) {
        if self.notes.is_empty() {
            return;
        }
        self.out
            .push_str("<section class=\"footnotes\" epub:type=\"footnotes\">\n");
        self.in_note = true;
        let mut next = 0;
        while next < self.notes.len() {
            let (number, id, ref_id, blocks) = {
                let note = &self.notes[next];
                (
                    note.number,
                    note.id.clone(),
                    note.ref_id.clone(),
                    note.blocks,
                )
            };
            next += 1;
            let _ = writeln!(
                self.out,
                "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"{id}\">"
            );
            let back = match &ref_id {
                Some(ref_id) => format!(
                    "<a class=\"backlink\" role=\"doc-backlink\" href=\"#{ref_id}\">{number}.</a> "
                ),
                None => format!("{number}. "),
            };
            match blocks.split_first() {
                Some((Block::Paragraph(first), rest)) => {
                    self.out.push_str("<p>");
                    self.out.push_str(&back);
                    self.inlines(first);
                    self.out.push_str("</p>\n");
                    self.blocks(rest, false);
                }
                _ => {
                    let _ = writeln!(self.out, "<p>{}</p>", back.trim_end());
                    self.blocks(blocks, false);
                }
            }
            self.out.push_str("</aside>\n");
        }
        self.in_note = false;
        self.out.push_str("</section>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attr, Cell, Row};

    fn render(doc: &Document) -> ArticleXhtml {
        article_xhtml(doc, "T", &mut |_src: &str| ImageRef::Missing)
    }

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
    fn escapes_text_and_drops_forbidden_characters() {
        let doc = Document::new(
            Meta::default(),
            vec![Block::Paragraph(vec![Inline::text(
                "a < b & \"c\" \u{1}\u{E000}d",
            )])],
        );
        let out = render(&doc);
        assert!(
            out.body.contains("<p>a &lt; b &amp; \"c\" d</p>"),
            "{}",
            out.body
        );
    }

    #[test]
    fn footnotes_link_both_ways_and_nested_notes_follow() {
        let inner = Inline::Note(vec![Block::Paragraph(vec![Inline::text("inner")])]);
        let doc = Document::new(
            Meta::default(),
            vec![Block::Paragraph(vec![
                Inline::text("x"),
                Inline::Note(vec![Block::Paragraph(vec![Inline::text("outer"), inner])]),
            ])],
        );
        let body = render(&doc).body;
        assert!(body.contains(
            "epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-1\" id=\"fnref-1\">1</a>"
        ));
        assert!(body.contains(
            "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-1\">"
        ));
        assert!(body.contains("href=\"#fnref-1\">1.</a> outer"));
        assert!(body.contains("id=\"fn-2\""));
        assert!(body.contains("href=\"#fnref-2\">2.</a> inner"));
    }

    #[test]
    fn links_do_not_nest_and_resolve_later() {
        let doc = Document::new(
            Meta::default(),
            vec![Block::Paragraph(vec![Inline::Link {
                url: "https://a.example/".into(),
                title: None,
                content: vec![
                    Inline::text("outer "),
                    Inline::Link {
                        url: "https://b.example/".into(),
                        title: None,
                        content: vec![Inline::text("inner")],
                    },
                ],
            }])],
        );
        let out = render(&doc);
        assert_eq!(out.links, vec!["https://a.example/".to_string()]);
        let filled = fill_links(&out.body, &mut |n| out.links.get(n).cloned());
        assert!(
            filled.contains("<a href=\"https://a.example/\">outer inner</a>"),
            "{filled}"
        );
        let dropped = fill_links(&out.body, &mut |_| None);
        assert!(dropped.contains("<a>outer inner</a>"));
    }

    #[test]
    fn headings_shift_below_the_title_and_feed_the_toc() {
        let doc = Document::new(
            Meta::default(),
            vec![
                Block::Heading {
                    level: 1,
                    id: "2024".into(),
                    content: vec![Inline::text("Top")],
                },
                Block::Container {
                    attr: Attr {
                        id: "2024".into(),
                        ..Attr::default()
                    },
                    blocks: vec![Block::Heading {
                        level: 2,
                        id: "sub".into(),
                        content: vec![Inline::text("Sub")],
                    }],
                },
                Block::Quote(vec![Block::Heading {
                    level: 2,
                    id: "q".into(),
                    content: vec![Inline::text("Quoted")],
                }]),
            ],
        );
        let out = render(&doc);
        assert!(out.body.contains("<h2 id=\"id-2024\">Top</h2>"));
        assert!(out.body.contains("<div id=\"id-2024-1\">"));
        assert!(out.body.contains("<h3 id=\"sub\">Sub</h3>"));
        assert_eq!(out.ids.get("2024").map(String::as_str), Some("id-2024"));
        let toc: Vec<(u8, &str)> = out
            .headings
            .iter()
            .map(|h| (h.depth, h.text.as_str()))
            .collect();
        assert_eq!(toc, vec![(1, "Top"), (2, "Sub")]);
    }

    #[test]
    fn tables_keep_spans_and_alignment() {
        let mut wide = Cell::from_inlines(vec![Inline::text("wide")]);
        wide.colspan = 2;
        let table = Table {
            caption: vec![Inline::text("Cap")],
            alignments: vec![Alignment::Left, Alignment::Right],
            head: vec![Row { cells: vec![wide] }],
            body: vec![Row {
                cells: vec![
                    Cell::from_inlines(vec![Inline::text("a")]),
                    Cell::from_inlines(vec![Inline::text("b")]),
                ],
            }],
        };
        let body = render(&Document::new(
            Meta::default(),
            vec![Block::Table(Box::new(table))],
        ))
        .body;
        assert!(
            body.contains("<th colspan=\"2\" style=\"text-align: left\">wide</th>"),
            "{body}"
        );
        assert!(body.contains("<td style=\"text-align: right\">b</td>"));
    }
}
