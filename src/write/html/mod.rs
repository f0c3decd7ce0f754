//! The clean-HTML writer: one standalone, printable HTML5 page per document.
//!
//! The markup is *polyglot*: valid HTML5 and well-formed XML at once (lower-case names, every
//! attribute quoted, void elements self-closed, only the XML entities), so the EPUB writer
//! renders its chapters with the same renderer, in an XHTML flavour given by `Hooks` (note
//! markup, image hrefs, the source link). Whatever the model holds, the output carries no
//! script: URLs are checked against a scheme allow-list (`safe_url`), container attributes
//! are filtered, and characters XML forbids are dropped (one escaper: `crate::xml`).
//!
//! The files: `render` (the renderer's state), `blocks`, `inlines`, `notes`, `header`,
//! `attributes` (the markup), `hooks` (what a flavour decides), `page` (the document shell),
//! `style` (the stylesheet), `url` (URL policy) and `dates` (the dateline's dates).
//!
//! Choices a reader of this output may rely on:
//! - Ids are the model's as the preparation stage leaves them (`crate::prepare`): valid XML
//!   names, each written once, never one of the note ids below (a duplicate becomes `a-1`,
//!   `1 a:b` becomes `id-1-a-b`, `fn-1` becomes `fn-1-1`, and `kobo.1.1`, shaped like a KEPUB
//!   sentence span's id, `kobo.1.1-1`); a `#fragment` link follows the id
//!   it named, and one that names nothing keeps its text without the `<a>`.
//! - Body headings keep their model level (an `h1` in the body stays `h1`, next to the title's
//!   `h1` in the header): HTML5 allows several, and it keeps HTML → model → HTML stable. One
//!   exception: a heading never goes more than one level deeper than the heading it falls
//!   under (the title counts as an `h1`), because the Nu Html Checker rejects skipped levels;
//!   so `h1, h3` is written `h1, h2`, and headings of one level stay of one level (`h1, h4,
//!   h4` is `h1, h2, h2`). Headings inside a header cell (`th`), where HTML allows
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

mod attributes;
mod blocks;
mod dates;
mod header;
mod hooks;
mod inlines;
mod notes;
mod page;
mod render;
mod style;
mod url;

use std::io;

use super::{Rendered, Streamed, WriteOptions, Writer, STREAM_CHUNK};
use crate::error::{Result, Warning};
use crate::model::{Document, Table};
use page::{html_start_tag, render_head};
use render::{Outlet, Renderer};

pub(crate) use hooks::{Hooks, ImageRef, MathImage, Plain};

pub use style::STYLESHEET;
pub(crate) use url::{safe_url, UrlUse};

/// Writes a standalone HTML5 page (or, with `options.fragment`, the article element alone).
pub struct HtmlWriter;

impl Writer for HtmlWriter {
    fn render(&self, document: &Document, options: &WriteOptions) -> Result<Rendered> {
        let mut bytes = Vec::new();
        let warnings = write_page(document, options, &mut bytes, 0)?;
        Ok(Rendered { bytes, warnings })
    }

    fn render_to(
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
    // Unique, XML-safe ids and `#fragment` links that name them (a copy only when the
    // document needs one).
    let mut document = crate::prepare::document(document).into_cow();
    // One file that carries its images: those the media store has (local files, downloads)
    // become data: URIs, their bytes as they are.
    let mut warnings = Vec::new();
    if !options.fragment {
        let (media, load_warnings) = options.media_for(&document);
        warnings = load_warnings;
        // Each address's data: URI, and the size a drawing states (see `media::shown_size`).
        let mut uris: std::collections::HashMap<String, crate::media::Embedded> =
            Default::default();
        document.for_each_image(&mut |image| {
            let src = image.src.trim();
            // data: URIs are already in the page.
            if !crate::media::is_data(src) {
                if let Some(stored) = media.image(src) {
                    if !uris.contains_key(src) {
                        match crate::media::data_uri(stored) {
                            Ok(uri) => {
                                uris.insert(src.to_string(), (uri, stored.drawn_size()));
                            }
                            Err(why) => {
                                warnings.push(Warning::new(format!("image not embedded: {why}")))
                            }
                        }
                    }
                }
            }
        });
        // The document is copied (if preparing did not copy it) only when it has images
        // to rewrite.
        if !uris.is_empty() {
            document.to_mut().for_each_image_mut(&mut |image| {
                if let Some((uri, drawn)) = uris.get(image.src.trim()) {
                    image.src = uri.clone();
                    crate::media::state_size(image, *drawn);
                }
            });
        }
    }
    let document: &Document = &document;
    let mut stream = Streamed::new(out, flush_len);
    // The renderer's output goes out between blocks, and between a table's rows.
    let mut send = |text: &mut String| {
        std::mem::swap(text, &mut stream.buffer);
        let flushed = stream.flush();
        std::mem::swap(text, &mut stream.buffer);
        flushed
    };
    let mut flavour = Plain { xhtml: false };
    let mut renderer = Renderer::new(&mut flavour, document.meta.language.as_deref());
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
///
/// The document is prepared first (unique, XML-safe ids; `#fragment` links that name them),
/// as [`HtmlWriter`] does; its depth must have been checked ([`Document::check_depth`]).
pub fn render_article(document: &Document, xhtml: bool) -> (String, Vec<Warning>) {
    let prepared = crate::prepare::document(document);
    render_article_with(prepared.document(), &mut Plain { xhtml })
}

/// [`render_article`] in the flavour `hooks` give: how notes are marked up, where images go,
/// what the header's source link points at. The EPUB writer renders its chapters this way.
/// `document` must be prepared (a chapter from `prepare::book`): its ids are written as
/// they are.
pub(crate) fn render_article_with(
    document: &Document,
    hooks: &mut dyn Hooks,
) -> (String, Vec<Warning>) {
    let mut renderer = Renderer::new(hooks, document.meta.language.as_deref());
    renderer.out.push_str("<article>\n");
    renderer.header(&document.meta);
    renderer.blocks(&document.blocks);
    renderer.footnotes();
    renderer.out.push_str("</article>\n");
    (renderer.out, renderer.warnings)
}

/// Renders blocks alone, with the notes they reference after them: for formats that embed a
/// piece of HTML. No `<article>`, no header. (The notes' test renders through it.)
#[cfg(test)]
pub(crate) fn render_blocks(blocks: &[crate::model::Block], xhtml: bool) -> (String, Vec<Warning>) {
    let mut flavour = Plain { xhtml };
    let mut renderer = Renderer::new(&mut flavour, None);
    renderer.blocks(blocks);
    renderer.footnotes();
    (renderer.out, renderer.warnings)
}

/// Renders one table alone, with the notes it references after it, handing the markup to
/// `send` a piece at a time (after each row, and at the end) instead of making it whole:
/// `send` takes what it is given out of the string.
pub(crate) fn write_table(
    table: &Table,
    xhtml: bool,
    send: &mut Outlet<'_>,
) -> io::Result<Vec<Warning>> {
    let mut flavour = Plain { xhtml };
    let mut renderer = Renderer::new(&mut flavour, None);
    renderer.send = Some(send);
    if renderer.enter() {
        renderer.table(table);
        renderer.leave();
    }
    renderer.footnotes();
    renderer.send_out()?;
    Ok(renderer.warnings)
}
