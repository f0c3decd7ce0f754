//! The clean-HTML writer: one standalone, printable HTML5 page per document.
//!
//! The markup is *polyglot*: valid HTML5 and well-formed XML at once (lower-case names, every
//! attribute quoted, void elements self-closed, only the XML entities), so the EPUB writer can
//! reuse [`render_article`] as XHTML. Whatever the model holds, the output carries no script:
//! URLs are checked against a scheme allow-list ([`safe_url`]), container attributes are
//! filtered, and characters XML forbids are dropped.
//!
//! Choices a reader of this output may rely on:
//! - Body headings keep their model level (an `h1` in the body stays `h1`, next to the title's
//!   `h1` in the header): HTML5 allows several, and it keeps HTML → model → HTML stable. One
//!   exception: a heading never goes more than one level deeper than the heading before it
//!   (the title counts as an `h1`), because the Nu Html Checker rejects skipped levels; so
//!   `h1, h3` is written `h1, h2`. Headings inside a header cell (`th`), where HTML allows
//!   none, are written as paragraphs.
//! - Footnotes are endnotes, numbered in the order their references appear in the output:
//!   first the body's, then those referenced from inside other notes (which are rendered after
//!   the body, so numbers always grow down the page). Reference:
//!   `<sup class="footnote-ref"><a href="#fn-1" id="fnref-1" role="doc-noteref">1</a></sup>`;
//!   notes: `<section class="footnotes" role="doc-endnotes"><hr /><ol><li id="fn-1">…</li>`,
//!   the back link `<a href="#fnref-1" class="footnote-back" role="doc-backlink">↩</a>` closing
//!   the note's last paragraph (or in a paragraph of its own). In XHTML mode the notes are
//!   EPUB 3 footnotes instead (see [`render_article`]).
//! - Table cell alignment is an inline `style="text-align: …;"`, so it survives without the
//!   stylesheet (fragments, other readers).
//! - Tables are laid out on a regular grid first (`table_layout`): overlapping or overlong
//!   spans are clipped and short rows padded, so the table model is always valid.
//! - Links never nest: a link inside a link keeps only its text, and a note referenced inside
//!   a link gets its reference right after the link.
//! - A link whose URL is unsafe keeps its text without the `<a>`; an image whose source is
//!   unsafe becomes its alt text. Each drop is reported as a [`Warning`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;

use super::table_layout::{layout, GridRows};
use super::{Rendered, Streamed, WriteOptions, Writer, STREAM_CHUNK};
use crate::error::{Result, Warning};
use crate::model::{
    inlines_to_plain, Alignment, Attr, Block, Document, Figure, Image, Inline, Link, List, Meta,
    Table, MAX_DEPTH,
};
use std::io;

/// Writes a standalone HTML5 page (or, with `options.fragment`, the article element alone).
pub struct HtmlWriter;

impl Writer for HtmlWriter {
    fn write(&self, document: &Document, options: &WriteOptions) -> Result<Rendered> {
        let mut bytes = Vec::new();
        let warnings = write_page(document, options, &mut bytes, 0)?;
        Ok(Rendered { bytes, warnings })
    }

    fn write_to(
        &self,
        document: &Document,
        options: &WriteOptions,
        out: &mut dyn io::Write,
    ) -> Result<Vec<Warning>> {
        write_page(document, options, out, STREAM_CHUNK)
    }
}

/// Writes the page (or the fragment) to `out`, a block (or a table row) at a time once
/// `flush_len` bytes are waiting.
fn write_page(
    document: &Document,
    options: &WriteOptions,
    out: &mut dyn io::Write,
    flush_len: usize,
) -> Result<Vec<Warning>> {
    // One file that carries its images: those the media store has (local files, downloads)
    // become data: URIs, their bytes as they are.
    let mut embedded;
    let mut warnings = Vec::new();
    let document = if options.fragment {
        document
    } else {
        let (media, load_warnings) = options.media_for(document);
        warnings = load_warnings;
        let mut uris: std::collections::HashMap<String, String> = Default::default();
        document.for_each_image(&mut |image| {
            let src = image.src.trim();
            // data: URIs are already in the page.
            if !crate::media::is_data(src) {
                if let Some(stored) = media.image(src) {
                    if !uris.contains_key(src) {
                        match crate::media::data_uri(stored) {
                            Ok(uri) => {
                                uris.insert(src.to_string(), uri);
                            }
                            Err(why) => {
                                warnings.push(Warning::new(format!("image not embedded: {why}")))
                            }
                        }
                    }
                }
            }
        });
        // The document is copied only when it has images to rewrite.
        if uris.is_empty() {
            document
        } else {
            embedded = document.clone();
            embedded.for_each_image_mut(&mut |image| {
                if let Some(uri) = uris.get(image.src.trim()) {
                    image.src = uri.clone();
                }
            });
            &embedded
        }
    };
    let mut stream = Streamed::new(out, flush_len);
    // The renderer's output goes out between blocks, and between a table's rows.
    let mut send = |text: &mut String| {
        std::mem::swap(text, &mut stream.buffer);
        let flushed = stream.flush();
        std::mem::swap(text, &mut stream.buffer);
        flushed
    };
    let mut renderer = Renderer::new(false);
    renderer.send = Some(&mut send);
    let page = &mut renderer.out;
    if !options.fragment {
        page.push_str("<!DOCTYPE html>\n");
        page.push_str(&html_start_tag(&document.meta));
        page.push_str("\n<head>\n");
        page.push_str(&render_head(document));
        page.push_str("<style>\n");
        page.push_str(STYLESHEET);
        page.push_str("</style>\n</head>\n<body>\n");
    }
    // What render_article does, with the output going out between blocks.
    renderer.out.push_str("<article>\n");
    renderer.header(&document.meta);
    for block in &document.blocks {
        renderer.block(block);
        renderer.send_out()?;
    }
    renderer.footnotes();
    renderer.out.push_str("</article>\n");
    if !options.fragment {
        renderer.out.push_str("</body>\n</html>\n");
    }
    renderer.send_out()?;
    warnings.extend(renderer.warnings);
    stream.buffer = renderer.out;
    stream.finish()?;
    Ok(warnings)
}

/// Renders the `<article>` element: the header (title, subtitle, byline, dateline), the blocks
/// and the footnotes, ending with a newline.
///
/// With `xhtml`, the markup is the same shape plus EPUB structural semantics:
/// `epub:type="noteref"` on references, `xml:lang` beside every `lang`, and the notes as EPUB 3
/// pop-up footnotes: `<section class="footnotes" epub:type="endnotes" role="doc-endnotes">`
/// holding one `<aside id="fn-1" epub:type="footnote" role="doc-footnote">` per note (no
/// `<hr />`, no list: reading systems may hide the asides, and the book's stylesheet numbers
/// them). The caller must then declare `xmlns:epub="http://www.idpf.org/2007/ops"` on its
/// `<html>` element.
pub fn render_article(document: &Document, xhtml: bool) -> (String, Vec<Warning>) {
    let mut renderer = Renderer::new(xhtml);
    renderer.out.push_str("<article>\n");
    renderer.header(&document.meta);
    renderer.blocks(&document.blocks);
    renderer.footnotes();
    renderer.out.push_str("</article>\n");
    (renderer.out, renderer.warnings)
}

/// Renders blocks alone, with the notes they reference after them: for formats that embed a
/// piece of HTML (a table Markdown cannot express). No `<article>`, no header.
pub fn render_blocks(blocks: &[Block], xhtml: bool) -> (String, Vec<Warning>) {
    let mut renderer = Renderer::new(xhtml);
    renderer.blocks(blocks);
    renderer.footnotes();
    (renderer.out, renderer.warnings)
}

/// Renders one table alone, with the notes it references after it: for formats that embed a
/// table they cannot express (Markdown). The same as [`render_blocks`] on the table, without
/// copying it into a block.
pub fn render_table(table: &Table, xhtml: bool) -> (String, Vec<Warning>) {
    let mut html = String::new();
    let written = write_table(table, xhtml, &mut |text| {
        html.push_str(text);
        text.clear();
        Ok(())
    });
    // Collecting into a string cannot fail.
    (html, written.unwrap_or_default())
}

/// [`render_table`], handing the markup to `send` a piece at a time (after each row, and at
/// the end) instead of making it whole: `send` takes what it is given out of the string.
pub(crate) fn write_table(
    table: &Table,
    xhtml: bool,
    send: &mut Outlet<'_>,
) -> io::Result<Vec<Warning>> {
    let mut renderer = Renderer::new(xhtml);
    renderer.send = Some(send);
    if renderer.enter() {
        renderer.table(table);
        renderer.leave();
    }
    renderer.footnotes();
    renderer.send_out()?;
    Ok(renderer.warnings)
}

/// The one embedded stylesheet: a readable measure, serif body type, light and dark schemes,
/// and print rules. No flexbox, grid or custom properties: e-readers choke on them.
pub const STYLESHEET: &str = r#"html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  padding: 2em 1.25em 4em;
  background: #fdfcf8;
  color: #1d1d1b;
  font-family: Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, "Noto Serif", "DejaVu Serif", serif;
  font-size: 1.125em;
  line-height: 1.6;
  overflow-wrap: break-word;
  hyphens: auto;
}
article { max-width: 34em; margin: 0 auto; }
h1, h2, h3, h4, h5, h6 {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  line-height: 1.25;
  margin: 1.8em 0 0.6em;
  hyphens: manual;
}
h1 { font-size: 1.9em; }
h2 { font-size: 1.45em; }
h3 { font-size: 1.2em; }
h4, h5, h6 { font-size: 1em; }
.article-header { margin-bottom: 2.2em; border-bottom: 1px solid #d8d4c8; padding-bottom: 1em; }
.article-header h1 { margin: 0 0 0.3em; }
.subtitle { font-size: 1.2em; color: #555; margin: 0 0 0.8em; line-height: 1.4; }
.byline, .dateline {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
  font-size: 0.85em;
  color: #5c5c58;
  margin: 0.2em 0;
}
p { margin: 0 0 1em; }
a { color: #1a55a8; text-decoration-thickness: 0.06em; text-underline-offset: 0.15em; }
a:visited { color: #6b3fa0; }
blockquote {
  margin: 1.4em 0;
  padding: 0.1em 0 0.1em 1.1em;
  border-left: 3px solid #c9c2b0;
  color: #3d3d3a;
  font-style: italic;
}
blockquote em { font-style: normal; }
ul, ol { padding-left: 1.6em; margin: 0 0 1em; }
li { margin: 0.25em 0; }
li > p { margin: 0.3em 0; }
code, pre, kbd {
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono", "DejaVu Sans Mono", monospace;
  font-size: 0.86em;
}
code { background: #f0ede4; padding: 0.08em 0.3em; border-radius: 3px; }
pre {
  background: #f3f1ea;
  border: 1px solid #e2ded2;
  border-radius: 4px;
  padding: 0.8em 1em;
  overflow-x: auto;
  line-height: 1.45;
  margin: 0 0 1.2em;
  hyphens: none;
}
pre code { background: none; padding: 0; font-size: 1em; border-radius: 0; }
hr { border: 0; border-top: 1px solid #d8d4c8; margin: 2em 0; }
table {
  border-collapse: collapse;
  margin: 1.4em 0;
  font-size: 0.9em;
  line-height: 1.4;
  display: block;
  max-width: 100%;
  overflow-x: auto;
}
caption { caption-side: top; text-align: left; font-style: italic; padding-bottom: 0.4em; }
th, td { border: 1px solid #d8d4c8; padding: 0.35em 0.7em; vertical-align: top; }
th { background: #f0ede4; font-weight: bold; }
td > p, th > p { margin: 0; }
figure { margin: 1.6em 0; text-align: center; }
img { max-width: 100%; height: auto; }
figure img { display: block; margin: 0 auto; }
figcaption { font-size: 0.85em; color: #5c5c58; margin-top: 0.5em; line-height: 1.4; text-align: left; }
sup, sub { line-height: 0; font-size: 0.75em; }
.footnote-ref a { text-decoration: none; padding: 0 0.1em; }
.footnotes { font-size: 0.85em; line-height: 1.5; margin-top: 3em; color: #3d3d3a; }
.footnotes hr { margin: 0 0 1em; width: 30%; }
.footnotes li { margin: 0.4em 0; }
.footnote-back { text-decoration: none; }
@media (max-width: 32em) {
  body { padding: 1.2em 1em 3em; font-size: 1.0625em; }
  h1 { font-size: 1.55em; }
  h2 { font-size: 1.3em; }
}
@media (prefers-color-scheme: dark) {
  body { background: #1b1c1e; color: #dcd9d2; }
  a { color: #8ab4f0; }
  a:visited { color: #c3a6ee; }
  .subtitle, .byline, .dateline, figcaption { color: #a9a69e; }
  .article-header, hr, th, td { border-color: #3d3e42; }
  blockquote { border-left-color: #55565c; color: #c8c5bd; }
  code { background: #2a2b2f; }
  pre { background: #232427; border-color: #34353a; }
  th { background: #26272b; }
  .footnotes { color: #c8c5bd; }
}
@media print {
  body { background: #fff; color: #000; font-size: 11pt; padding: 0; }
  article { max-width: none; }
  a, a:visited { color: #000; }
  .subtitle, .byline, .dateline, figcaption, blockquote, .footnotes { color: #000; }
  code, pre, th { background: none; }
  pre { border-color: #999; overflow-x: visible; white-space: pre-wrap; }
  h1, h2, h3, h4, h5, h6 { page-break-after: avoid; break-after: avoid; }
  figure, pre, blockquote, tr, img { page-break-inside: avoid; break-inside: avoid; }
  p { orphans: 3; widows: 3; }
  a[href^="http"]:after { content: " (" attr(href) ")"; font-size: 0.85em; word-break: break-all; }
  .footnote-ref a:after, .footnote-back:after, .dateline a:after { content: ""; }
}
"#;

/// The `<html>` start tag with the XHTML namespace (polyglot) and the language and direction.
fn html_start_tag(meta: &Meta) -> String {
    let mut tag = String::from("<html xmlns=\"http://www.w3.org/1999/xhtml\"");
    if let Some(lang) = meta.language.as_deref().and_then(clean_language_tag) {
        let _ = write!(tag, " lang=\"{lang}\" xml:lang=\"{lang}\"");
    }
    if let Some(direction) = meta.direction {
        let _ = write!(tag, " dir=\"{}\"", direction.as_str());
    }
    tag.push('>');
    tag
}

/// The head's metadata elements (not the stylesheet), one per line.
fn render_head(document: &Document) -> String {
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
        property("article:published_time", published);
    }
    if let Some(modified) = &meta.modified {
        property("article:modified_time", modified);
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
fn page_title(document: &Document) -> String {
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

/// What takes the output as it is made: called with what was made so far, it takes out of
/// the string what it sends on.
type Outlet<'a> = dyn FnMut(&mut String) -> io::Result<()> + 'a;

/// Renders one document's article, collecting notes and warnings on the way.
struct Renderer<'a> {
    out: String,
    xhtml: bool,
    /// Notes in number order (number = index + 1); rendering a note may append more.
    notes: Vec<&'a [Block]>,
    /// Ids written so far, so that no id from the model is written twice. Borrowed from the
    /// model unless cleaning changed them: a long document has hundreds of thousands.
    ids: HashSet<Cow<'a, str>>,
    warnings: Vec<Warning>,
    /// Current nesting of blocks and inlines: a guard for models that skipped the readers'
    /// depth limit (writers are public API).
    depth: usize,
    /// Inside an `<a>`: nested links lose their `<a>` and note references wait until it
    /// closes (HTML does not nest links).
    in_link: bool,
    deferred_note_refs: Vec<usize>,
    /// Inside a header cell, where HTML allows no headings.
    in_table_head: bool,
    /// The level of the last heading written, to keep levels from skipping.
    last_heading_level: Option<u8>,
    /// Where the output goes as it is made, if anywhere: called with `out` between a table's
    /// rows (a table may be larger than the rest of the page), it takes what it sends out.
    send: Option<&'a mut Outlet<'a>>,
    /// The error `send` failed with; nothing is sent (or rendered in a table) after it.
    send_error: Option<io::Error>,
}

/// How deep the renderer descends before it stops: well beyond what readers allow.
const DEPTH_GUARD: usize = MAX_DEPTH * 4;

impl<'a> Renderer<'a> {
    fn new(xhtml: bool) -> Renderer<'a> {
        Renderer {
            out: String::new(),
            xhtml,
            notes: Vec::new(),
            ids: HashSet::new(),
            warnings: Vec::new(),
            depth: 0,
            in_link: false,
            deferred_note_refs: Vec::new(),
            in_table_head: false,
            // The header's title, when there is one, is the page's first heading.
            last_heading_level: None,
            send: None,
            send_error: None,
        }
    }

    /// Hands the output so far to `send`, if there is one; returns the error it failed with
    /// (now or at an earlier call).
    fn send_out(&mut self) -> io::Result<()> {
        if let Some(error) = self.send_error.take() {
            return Err(error);
        }
        match self.send.as_mut() {
            Some(send) => send(&mut self.out),
            None => Ok(()),
        }
    }

    /// [`Renderer::send_out`] where the error cannot be returned yet (inside a table): it is
    /// kept for the next [`Renderer::send_out`]. False once sending has failed.
    fn send_row(&mut self) -> bool {
        if self.send_error.is_none() {
            if let Some(Err(error)) = self.send.as_mut().map(|send| send(&mut self.out)) {
                self.send_error = Some(error);
            }
        }
        self.send_error.is_none()
    }

    fn warn(&mut self, message: String) {
        self.warnings.push(Warning { message });
    }

    /// Enters one level of nesting; false (with a warning) when the guard is reached.
    fn enter(&mut self) -> bool {
        if self.depth >= DEPTH_GUARD {
            if !self
                .warnings
                .iter()
                .any(|w| w.message.starts_with("content nested deeper"))
            {
                self.warn(format!(
                    "content nested deeper than {DEPTH_GUARD} levels was left out"
                ));
            }
            return false;
        }
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    fn header(&mut self, meta: &Meta) {
        // Cleaned before the emptiness checks, so no element is left empty.
        let cleaned = |text: Option<&String>| {
            text.map(|t| clean_text(t).trim().to_string())
                .unwrap_or_default()
        };
        let title = cleaned(meta.title.as_ref());
        let subtitle = cleaned(meta.subtitle.as_ref());
        let authors: Vec<String> = meta
            .authors
            .iter()
            .map(|a| cleaned(Some(a)))
            .filter(|a| !a.is_empty())
            .collect();
        let dateline = dateline(meta);
        if title.is_empty() && subtitle.is_empty() && authors.is_empty() && dateline.is_empty() {
            return;
        }
        self.out.push_str("<header class=\"article-header\">\n");
        if !title.is_empty() {
            self.last_heading_level = Some(1);
            let _ = writeln!(self.out, "<h1>{}</h1>", escape_text(&title));
        }
        if !subtitle.is_empty() {
            let _ = writeln!(
                self.out,
                "<p class=\"subtitle\">{}</p>",
                escape_text(&subtitle)
            );
        }
        if !authors.is_empty() {
            let _ = writeln!(
                self.out,
                "<p class=\"byline\">By {}</p>",
                escape_text(&join_names(&authors))
            );
        }
        if !dateline.is_empty() {
            let _ = writeln!(self.out, "<p class=\"dateline\">{dateline}</p>");
        }
        self.out.push_str("</header>\n");
    }

    fn blocks(&mut self, blocks: &'a [Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    fn block(&mut self, block: &'a Block) {
        if !self.enter() {
            return;
        }
        match block {
            Block::Paragraph(inlines) => {
                self.out.push_str("<p>");
                self.inlines(inlines);
                self.out.push_str("</p>\n");
            }
            Block::Heading { id, content, .. } if self.in_table_head => {
                self.out.push_str("<p");
                self.id_attr(id);
                self.out.push('>');
                self.inlines(content);
                self.out.push_str("</p>\n");
            }
            Block::Heading { level, id, content } => {
                // A heading may go at most one level deeper than the one before it: HTML
                // checkers reject skipped levels.
                let level = match self.last_heading_level {
                    Some(previous) => (*level).clamp(1, previous + 1),
                    None => (*level).clamp(1, 6),
                }
                .min(6);
                self.last_heading_level = Some(level);
                let _ = write!(self.out, "<h{level}");
                self.id_attr(id);
                self.out.push('>');
                self.inlines(content);
                let _ = writeln!(self.out, "</h{level}>");
            }
            Block::Quote(inner) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(inner);
                self.out.push_str("</blockquote>\n");
            }
            Block::List(list) => self.list(list),
            Block::Code { language, text } => {
                self.out.push_str("<pre><code");
                if let Some(lang) = language.as_deref().map(clean_code_language) {
                    if !lang.is_empty() {
                        let _ = write!(self.out, " class=\"language-{lang}\"");
                    }
                }
                self.out.push('>');
                self.out.push_str(&escape_text(text));
                self.out.push_str("</code></pre>\n");
            }
            Block::Table(table) => self.table(table),
            Block::Figure(figure) => self.figure(figure),
            Block::Rule => self.out.push_str("<hr />\n"),
            Block::Container { attr, blocks } => {
                self.out.push_str("<div");
                self.container_attrs(attr);
                self.out.push_str(">\n");
                self.blocks(blocks);
                self.out.push_str("</div>\n");
            }
        }
        self.leave();
    }

    fn list(&mut self, list: &'a List) {
        if list.ordered {
            self.out.push_str("<ol");
            if list.start != 1 {
                let _ = write!(self.out, " start=\"{}\"", list.start);
            }
            self.out.push_str(">\n");
        } else {
            self.out.push_str("<ul>\n");
        }
        for item in &list.items {
            self.out.push_str("<li>");
            match item.split_first() {
                // A tight item's leading paragraph is written bare, as Markdown renderers do.
                Some((Block::Paragraph(inlines), rest)) if list.tight => {
                    self.inlines(inlines);
                    if !rest.is_empty() {
                        self.out.push('\n');
                        self.blocks(rest);
                    }
                }
                _ => {
                    if !item.is_empty() {
                        self.out.push('\n');
                    }
                    self.blocks(item);
                }
            }
            self.out.push_str("</li>\n");
        }
        self.out
            .push_str(if list.ordered { "</ol>\n" } else { "</ul>\n" });
    }

    fn table(&mut self, table: &'a Table) {
        self.out.push_str("<table>\n");
        if !table.caption.is_empty() {
            self.out.push_str("<caption>");
            self.inlines(&table.caption);
            self.out.push_str("</caption>\n");
        }
        let grid = layout(table);
        if grid.head_rows() > 0 {
            self.out.push_str("<thead>\n");
            self.rows(grid.head(), &table.alignments, true);
            self.out.push_str("</thead>\n");
        }
        if grid.body_rows() > 0 {
            self.out.push_str("<tbody>\n");
            self.rows(grid.body(), &table.alignments, false);
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n");
    }

    /// One row group, laid out on a regular grid (see [`layout`]) a row at a time; the
    /// output is sent on after each row.
    fn rows(&mut self, mut rows: GridRows<'a, '_>, alignments: &[Alignment], head: bool) {
        let tag = if head { "th" } else { "td" };
        while let Some(row) = rows.next_row() {
            self.out.push_str("<tr>");
            for placed in row {
                let _ = write!(self.out, "<{tag}");
                if placed.colspan > 1 {
                    let _ = write!(self.out, " colspan=\"{}\"", placed.colspan);
                }
                if placed.rowspan > 1 {
                    let _ = write!(self.out, " rowspan=\"{}\"", placed.rowspan);
                }
                let align = match alignments.get(placed.column) {
                    Some(Alignment::Left) => "left",
                    Some(Alignment::Center) => "center",
                    Some(Alignment::Right) => "right",
                    Some(Alignment::Default) | None => "",
                };
                if !align.is_empty() {
                    let _ = write!(self.out, " style=\"text-align: {align};\"");
                }
                self.out.push('>');
                let content = placed.cell.map(|c| c.content.as_slice()).unwrap_or(&[]);
                // Headings are not allowed inside a header cell.
                let was_in_head = self.in_table_head;
                self.in_table_head = was_in_head || head;
                match content {
                    [Block::Paragraph(inlines)] => self.inlines(inlines),
                    blocks => {
                        if !blocks.is_empty() {
                            self.out.push('\n');
                        }
                        self.blocks(blocks);
                    }
                }
                self.in_table_head = was_in_head;
                let _ = write!(self.out, "</{tag}>");
            }
            self.out.push_str("</tr>\n");
            if !self.send_row() {
                return;
            }
        }
    }

    fn figure(&mut self, figure: &'a Figure) {
        self.out.push_str("<figure>\n");
        self.image(&figure.image);
        self.out.push('\n');
        if !figure.caption.is_empty() {
            self.out.push_str("<figcaption>");
            self.inlines(&figure.caption);
            self.out.push_str("</figcaption>\n");
        }
        self.out.push_str("</figure>\n");
    }

    fn image(&mut self, image: &Image) {
        match safe_url(&image.src, UrlUse::ImageSource) {
            Some(src) => {
                let _ = write!(
                    self.out,
                    "<img src=\"{}\" alt=\"{}\"",
                    escape_attr(&src),
                    escape_attr(&image.alt)
                );
                if let Some(title) = image.title.as_deref().filter(|t| !t.is_empty()) {
                    let _ = write!(self.out, " title=\"{}\"", escape_attr(title));
                }
                self.out.push_str(" />");
            }
            None => {
                self.warn(format!(
                    "left out an image with an unsafe or empty source: {}",
                    shorten(&image.src)
                ));
                self.out.push_str(&escape_text(&image.alt));
            }
        }
    }

    fn inlines(&mut self, inlines: &'a [Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &'a Inline) {
        if !self.enter() {
            return;
        }
        match inline {
            Inline::Text(text) => self.out.push_str(&escape_text(text)),
            Inline::Emphasis(c) => self.wrapped("em", c),
            Inline::Strong(c) => self.wrapped("strong", c),
            Inline::Strikethrough(c) => self.wrapped("del", c),
            Inline::Superscript(c) => self.wrapped("sup", c),
            Inline::Subscript(c) => self.wrapped("sub", c),
            Inline::Code(code) => {
                let _ = write!(self.out, "<code>{}</code>", escape_text(code));
            }
            Inline::Link(link) => {
                let Link {
                    url,
                    title,
                    content,
                } = &**link;
                match safe_url(url, UrlUse::Link) {
                    Some(_) if self.in_link => self.inlines(content),
                    Some(href) => {
                        let _ = write!(self.out, "<a href=\"{}\"", escape_attr(&href));
                        if let Some(title) = title.as_deref().filter(|t| !t.is_empty()) {
                            let _ = write!(self.out, " title=\"{}\"", escape_attr(title));
                        }
                        self.out.push('>');
                        self.in_link = true;
                        self.inlines(content);
                        self.in_link = false;
                        self.out.push_str("</a>");
                        for n in std::mem::take(&mut self.deferred_note_refs) {
                            self.note_ref(n);
                        }
                    }
                    None => {
                        self.warn(format!("dropped an unsafe link: {}", shorten(url)));
                        self.inlines(content);
                    }
                }
            }
            Inline::Image(image) => self.image(image),
            Inline::LineBreak => self.out.push_str("<br />\n"),
            Inline::Note(blocks) => {
                self.notes.push(blocks);
                let n = self.notes.len();
                if self.in_link {
                    self.deferred_note_refs.push(n);
                } else {
                    self.note_ref(n);
                }
            }
            Inline::Span { attr, content } => {
                self.out.push_str("<span");
                self.language_attrs(attr);
                self.out.push('>');
                self.inlines(content);
                self.out.push_str("</span>");
            }
        }
        self.leave();
    }

    fn note_ref(&mut self, n: usize) {
        let epub = if self.xhtml {
            " epub:type=\"noteref\""
        } else {
            ""
        };
        let _ = write!(
            self.out,
            "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"fnref-{n}\" \
             role=\"doc-noteref\"{epub}>{n}</a></sup>"
        );
    }

    fn wrapped(&mut self, tag: &str, content: &'a [Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    /// Writes the notes; notes referenced from notes are appended while this runs.
    fn footnotes(&mut self) {
        if self.notes.is_empty() {
            return;
        }
        // XHTML (EPUB) notes are EPUB 3 footnotes: asides that reading systems show as
        // pop-ups and may hide from the flow; numbers come from the book's stylesheet, so the
        // note's text stays the note's text. HTML notes are an ordered list.
        let (section_open, note_tag, section_close) = if self.xhtml {
            (
                "<section class=\"footnotes\" epub:type=\"endnotes\" role=\"doc-endnotes\">\n",
                "aside",
                "</section>\n",
            )
        } else {
            (
                "<section class=\"footnotes\" role=\"doc-endnotes\">\n<hr />\n<ol>\n",
                "li",
                "</ol>\n</section>\n",
            )
        };
        let note_semantics = if self.xhtml {
            " epub:type=\"footnote\" role=\"doc-footnote\""
        } else {
            ""
        };
        self.out.push_str(section_open);
        let mut index = 0;
        while let Some(&blocks) = self.notes.get(index) {
            let n = index + 1;
            let _ = write!(self.out, "<{note_tag} id=\"fn-{n}\"{note_semantics}>");
            let back = format!(
                "<a href=\"#fnref-{n}\" class=\"footnote-back\" role=\"doc-backlink\">\u{21a9}</a>"
            );
            match blocks.split_last() {
                Some((Block::Paragraph(last), before)) => {
                    self.blocks(before);
                    self.out.push_str("<p>");
                    self.inlines(last);
                    self.out.push(' ');
                    self.out.push_str(&back);
                    self.out.push_str("</p>");
                }
                _ => {
                    self.blocks(blocks);
                    let _ = write!(self.out, "<p>{back}</p>");
                }
            }
            let _ = writeln!(self.out, "</{note_tag}>");
            index += 1;
        }
        self.out.push_str(section_close);
    }

    /// Writes ` id="…"` for an id from the model, unless it is unusable, already written, or
    /// could collide with the footnote ids this writer makes.
    fn id_attr(&mut self, id: &'a str) {
        let id = if id.chars().all(|c| c != '\r' && is_xml_char(c)) {
            Cow::Borrowed(id)
        } else {
            Cow::Owned(clean_text(id))
        };
        if id.is_empty()
            || id.chars().any(char::is_whitespace)
            || is_footnote_id(&id)
            || !self.ids.insert(id.clone())
        {
            return;
        }
        let _ = write!(self.out, " id=\"{}\"", escape_attr(&id));
    }

    /// A container's id and classes, its language and direction, a title and `data-*`
    /// attributes. Everything else (event handlers, styles, URLs) is dropped.
    fn container_attrs(&mut self, attr: &'a Attr) {
        self.id_attr(&attr.id);
        let classes: Vec<String> = attr
            .classes
            .iter()
            .map(|c| clean_text(c))
            .filter(|c| !c.is_empty() && !c.chars().any(char::is_whitespace))
            .collect();
        if !classes.is_empty() {
            let _ = write!(self.out, " class=\"{}\"", escape_attr(&classes.join(" ")));
        }
        self.language_attrs(attr);
        let mut written: HashSet<&str> = HashSet::new();
        for (name, value) in &attr.attributes {
            let allowed = name == "title" || is_safe_data_attribute(name);
            if allowed && written.insert(name.as_str()) {
                let _ = write!(self.out, " {name}=\"{}\"", escape_attr(value));
            }
        }
    }

    /// ` lang`/`dir` from an attribute list (`xml:lang` too in XHTML mode).
    fn language_attrs(&mut self, attr: &Attr) {
        let lookup = |key: &str| {
            attr.attributes
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(key))
                .map(|(_, value)| value.as_str())
        };
        if let Some(lang) = lookup("lang").and_then(clean_language_tag) {
            let _ = write!(self.out, " lang=\"{lang}\"");
            if self.xhtml {
                let _ = write!(self.out, " xml:lang=\"{lang}\"");
            }
        }
        if let Some(dir) = lookup("dir").map(|d| d.trim().to_ascii_lowercase()) {
            if matches!(dir.as_str(), "ltr" | "rtl" | "auto") {
                let _ = write!(self.out, " dir=\"{dir}\"");
            }
        }
    }
}

fn is_footnote_id(id: &str) -> bool {
    let digits = id.strip_prefix("fnref-").or_else(|| id.strip_prefix("fn-"));
    digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// `data-*` names that are valid in both HTML and XML: lower-case letters, digits, `-`, `_`, `.`.
fn is_safe_data_attribute(name: &str) -> bool {
    name.strip_prefix("data-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_'))
    })
}

/// The language tag if it has BCP 47's shape (a two- or three-letter language, then subtags
/// of letters and digits), with `_` read as `-`; `None` otherwise. Whether the subtags are
/// registered is not checked.
fn clean_language_tag(tag: &str) -> Option<String> {
    let tag = tag.trim().replace('_', "-");
    let valid = !tag.is_empty()
        && tag.len() <= 35
        && tag.split('-').all(|part| {
            !part.is_empty() && part.len() <= 8 && part.bytes().all(|b| b.is_ascii_alphanumeric())
        })
        && tag.split('-').next().is_some_and(|primary| {
            (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic())
        });
    valid.then_some(tag)
}

/// A code language reduced to characters safe in a class name.
fn clean_code_language(language: &str) -> String {
    language
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'))
        .collect()
}

/// "A", "A and B", "A, B and C".
pub(crate) fn join_names<S: AsRef<str>>(names: &[S]) -> String {
    match names {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => {
            let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", init.join(", "), last.as_ref())
        }
    }
}

/// The dateline's inner markup: date, site name and source link, separated by " · ".
fn dateline(meta: &Meta) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(published) = meta.published.as_deref().map(str::trim) {
        if !published.is_empty() {
            parts.push(match machine_date(published) {
                Some(machine) => format!(
                    "<time datetime=\"{}\">{}</time>",
                    escape_attr(&machine),
                    escape_text(&human_date(published))
                ),
                None => escape_text(published),
            });
        }
    }
    if let Some(site) = meta.site_name.as_deref().map(str::trim) {
        if !site.is_empty() {
            parts.push(escape_text(site));
        }
    }
    if let Some(source) = meta
        .source_url
        .as_deref()
        .and_then(|u| safe_url(u, UrlUse::Link))
    {
        parts.push(format!(
            "<a href=\"{}\">{}</a>",
            escape_attr(&source),
            escape_text(&source_label(&source))
        ));
    }
    parts.join(" \u{b7} ")
}

/// What a source link says: the host without `www.`, or "Source".
fn source_label(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_string())
        })
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "Source".to_string())
}

/// A date string HTML's `datetime` accepts: the whole value when it is a valid date or
/// date-time, else its leading `YYYY-MM-DD`, else `None`.
fn machine_date(value: &str) -> Option<String> {
    let date = value.get(..10)?;
    parse_date(date)?;
    let rest = &value[10..];
    if rest.is_empty() {
        return Some(date.to_string());
    }
    if is_valid_time_suffix(rest) {
        Some(value.to_string())
    } else {
        Some(date.to_string())
    }
}

/// Year, month, day from a `YYYY-MM-DD` string.
fn parse_date(date: &str) -> Option<(u32, u32, u32)> {
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: u32 = date.get(0..4)?.parse().ok()?;
    let month: u32 = date.get(5..7)?.parse().ok()?;
    let day: u32 = date.get(8..10)?.parse().ok()?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (year >= 1 && (1..=days_in_month).contains(&day)).then_some((year, month, day))
}

/// `THH:MM[:SS[.fff]]` with an optional `Z` or `±HH:MM`, as HTML's global date-time wants.
fn is_valid_time_suffix(rest: &str) -> bool {
    let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) else {
        return false;
    };
    let (clock, zone) = match time.find(['Z', '+', '-']) {
        Some(i) => (&time[..i], &time[i..]),
        None => (time, ""),
    };
    let two_digits = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let mut fields = clock.splitn(3, ':');
    let (Some(h), Some(m)) = (fields.next(), fields.next()) else {
        return false;
    };
    let seconds_ok = match fields.next() {
        None => true,
        Some(s) => {
            let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
            two_digits(whole, 59)
                && !fraction.is_empty()
                && fraction.len() <= 3
                && fraction.bytes().all(|b| b.is_ascii_digit())
        }
    };
    let zone_ok = match zone {
        "" | "Z" => true,
        _ => zone
            .get(1..)
            .and_then(|z| z.split_once(':'))
            .is_some_and(|(zh, zm)| two_digits(zh, 23) && two_digits(zm, 59)),
    };
    two_digits(h, 23) && two_digits(m, 59) && seconds_ok && zone_ok
}

/// "1 May 2024" for a value starting `2024-05-01`; the value itself otherwise.
pub(crate) fn human_date(value: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    value
        .get(..10)
        .and_then(parse_date)
        .and_then(|(year, month, day)| {
            let name = MONTHS.get(month as usize - 1)?;
            Some(format!("{day} {name} {year}"))
        })
        .unwrap_or_else(|| value.trim().to_string())
}

/// Where a URL is going to be used: image sources may also be inline raster images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlUse {
    Link,
    ImageSource,
}

/// The URL made safe to write, or `None` when it must not be written: schemes other than
/// http(s), mailto, tel, ftp (relative URLs are fine); `data:` only for PNG, JPEG, GIF and
/// WebP image sources. Characters that make a URL invalid (spaces, quotes, controls) are
/// percent-encoded.
pub fn safe_url(url: &str, usage: UrlUse) -> Option<String> {
    // Browsers drop tabs and newlines anywhere in a URL and trim C0 controls and spaces at
    // its ends, so "java\tscript:" is "javascript:": judge the URL as they will read it.
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    let scheme_end = cleaned.find(':');
    let path_start = cleaned.find(['/', '?', '#']);
    let scheme = match (scheme_end, path_start) {
        (Some(colon), Some(slash)) if slash < colon => None,
        (Some(colon), _) => Some(cleaned[..colon].to_ascii_lowercase()),
        (None, _) => None,
    };
    match scheme.as_deref() {
        None => {}
        Some("http" | "https" | "mailto" | "tel" | "ftp") => {}
        Some("data") if usage == UrlUse::ImageSource => {
            let rest = cleaned.get(5..).unwrap_or("").to_ascii_lowercase();
            let raster = [
                "image/png",
                "image/jpeg",
                "image/jpg",
                "image/gif",
                "image/webp",
            ];
            let media_type = rest.split([';', ',']).next().unwrap_or("");
            if !raster.contains(&media_type) {
                return None;
            }
        }
        Some(_) => return None,
    }
    // Where the authority (`//host:port`) ends: `[` and `]` are legal only inside it.
    let after_scheme = scheme.as_ref().map_or(0, |s| s.len() + 1);
    let authority_end = match cleaned.get(after_scheme..) {
        Some(rest) if rest.starts_with("//") => {
            after_scheme + 2 + rest[2..].find(['/', '?', '#']).unwrap_or(rest.len() - 2)
        }
        _ => after_scheme,
    };
    let mut out = String::with_capacity(cleaned.len());
    let mut seen_hash = false;
    for (index, c) in cleaned.char_indices() {
        let encode = match c {
            ' ' | '"' | '<' | '>' | '`' | '{' | '}' | '|' | '\\' | '^' => true,
            '[' | ']' => index >= authority_end,
            // A fragment cannot hold a second `#`.
            '#' => std::mem::replace(&mut seen_hash, true),
            // A `%` must start an escape.
            '%' => !cleaned
                .get(index + 1..index + 3)
                .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit())),
            c => c.is_control() || !is_xml_char(c),
        };
        if encode {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn shorten(url: &str) -> String {
    let short: String = url.chars().take(60).collect();
    if short.len() < url.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// Whether XML 1.0 (and HTML) allows the character in a document: no C0 controls other than
/// tab, newline and carriage return, no C1 controls or DEL, no noncharacters.
fn is_xml_char(c: char) -> bool {
    match c {
        '\t' | '\n' => true,
        '\r' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => false,
        '\u{fdd0}'..='\u{fdef}' => false,
        c => (c as u32) & 0xfffe != 0xfffe,
    }
}

/// Text with characters XML forbids removed (carriage returns become newlines).
fn clean_text(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| if c == '\r' { '\n' } else { c })
        .filter(|&c| is_xml_char(c))
        .collect()
}

/// Escapes element text: `&`, `<`, `>`; drops characters XML forbids.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean_text(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes a double-quoted attribute value. Tabs and newlines become spaces, since XML
/// parsers would turn them into spaces anyway.
pub fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean_text(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_judged_as_browsers_read_them() {
        assert_eq!(safe_url(" java\tscript:alert(1)", UrlUse::Link), None);
        assert_eq!(safe_url("JavaScript:alert(1)", UrlUse::Link), None);
        assert_eq!(safe_url("\u{1}vbscript:x", UrlUse::Link), None);
        assert_eq!(safe_url("data:image/png;base64,AAA", UrlUse::Link), None);
        assert_eq!(
            safe_url("data:image/png;base64,AAA", UrlUse::ImageSource).as_deref(),
            Some("data:image/png;base64,AAA")
        );
        assert_eq!(
            safe_url("data:image/svg+xml,<svg/>", UrlUse::ImageSource),
            None
        );
        assert_eq!(safe_url("data:text/html,x", UrlUse::ImageSource), None);
        assert_eq!(
            safe_url("a b/c:d", UrlUse::Link).as_deref(),
            Some("a%20b/c:d")
        );
        assert_eq!(
            safe_url("https://x.org/a?q=\"1\"", UrlUse::Link).as_deref(),
            Some("https://x.org/a?q=%221%22")
        );
        assert_eq!(
            safe_url("https://[::1]:8080/a[1]?b=50%#c#d", UrlUse::Link).as_deref(),
            Some("https://[::1]:8080/a%5B1%5D?b=50%25#c%23d")
        );
        assert_eq!(
            safe_url("x%2Fy%zz", UrlUse::Link).as_deref(),
            Some("x%2Fy%25zz")
        );
    }

    #[test]
    fn dates_for_the_datetime_attribute() {
        assert_eq!(machine_date("2024-05-01").as_deref(), Some("2024-05-01"));
        assert_eq!(
            machine_date("2024-05-01T10:00:00Z").as_deref(),
            Some("2024-05-01T10:00:00Z")
        );
        assert_eq!(
            machine_date("2024-05-01T10:00:00.123+02:00").as_deref(),
            Some("2024-05-01T10:00:00.123+02:00")
        );
        assert_eq!(
            machine_date("2024-05-01 whenever").as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(machine_date("2023-02-29"), None);
        assert_eq!(machine_date("May 2024"), None);
        assert_eq!(human_date("2024-05-01T10:00Z"), "1 May 2024");
        assert_eq!(human_date("spring"), "spring");
    }

    #[test]
    fn escaping_drops_characters_xml_forbids() {
        assert_eq!(
            escape_text("a\u{0}b\u{8}c\u{7f}\u{ffff}<&>"),
            "abc&lt;&amp;&gt;"
        );
        assert_eq!(escape_attr("\"'\n"), "&quot;&#39; ");
    }
}
