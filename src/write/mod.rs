//! Writers: [`Document`] → bytes, one module per format behind the [`Writer`] trait.
//!
//! Writers never see the input: only the model. All take the same [`WriteOptions`].
//! [`Writer::write_to`] sends the output to an [`io::Write`] as it is made; the HTML, Markdown,
//! text and JSON writers never hold all of it, which matters for large documents.

mod breaks;
pub mod epub;
mod fonts;
pub mod html;
pub mod json;
pub mod markdown;
pub(crate) mod math_image;
mod math_inlines;
pub mod pdf;
mod table_layout;
pub mod text;

use crate::error::{Result, Warning};
use crate::format::OutputFormat;
use crate::media::{LoadPolicy, MediaStore, StandardSource};
use crate::model::Document;
use std::io;
use std::sync::Arc;

/// Options shared by every writer. Each writer uses the ones that mean something for it.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// Write the article body alone. HTML: no `<html>`, header or styles; text: no title,
    /// byline and date lines.
    pub fragment: bool,
    /// Markdown: start with YAML front matter holding the metadata.
    pub front_matter: bool,
    /// Text: wrap paragraphs at this many columns; `None` keeps one line per paragraph.
    pub text_width: Option<usize>,
    /// The folder relative image paths are resolved in (the input's folder). Writers that embed
    /// images (HTML, EPUB, PDF) read files only inside it; `None` embeds no local files.
    /// Used only when [`WriteOptions::media`] is `None`.
    pub resource_dir: Option<std::path::PathBuf>,
    /// The document's images, loaded once ([`MediaStore::load`]) and shared by every format
    /// written from it. `None`: each writer that embeds images loads them itself from files
    /// in [`WriteOptions::resource_dir`], `data:` URIs and, with
    /// [`WriteOptions::fetch_images`], the network.
    pub media: Option<Arc<MediaStore>>,
    /// Download remote (`http:`/`https:`) images when the writer loads its own store.
    /// Without it they stay links (an EPUB bundle's chapters read from the web download
    /// theirs anyway: see [`epub::Book::push_from_web`]).
    pub fetch_images: bool,
    /// Limits on those downloads (size, budget, deadline) and the addresses allowed.
    pub remote_images: crate::net::ImageFetchOptions,
    /// The build time recorded in outputs that carry one (EPUB modified date, PDF creation
    /// date), in seconds since the Unix epoch. The CLI sets it from `SOURCE_DATE_EPOCH` when
    /// that is set, so the same input gives the same bytes; `None` means "now".
    pub timestamp: Option<i64>,
    /// EPUB: cover, e-reader profile, table of contents depth, extra CSS, image fetching.
    pub epub: epub::EpubOptions,
    /// PDF: page size, type size, margins, ragged right, fallback fonts.
    pub pdf: pdf::PdfOptions,
}

impl Default for WriteOptions {
    fn default() -> WriteOptions {
        WriteOptions {
            fragment: false,
            front_matter: true,
            text_width: None,
            resource_dir: None,
            media: None,
            fetch_images: false,
            remote_images: crate::net::ImageFetchOptions::default(),
            timestamp: None,
            epub: epub::EpubOptions::default(),
            pdf: pdf::PdfOptions::default(),
        }
    }
}

impl WriteOptions {
    /// Loads the document's images as these options say, for [`WriteOptions::media`]: files
    /// in [`WriteOptions::resource_dir`], `data:` URIs and, with
    /// [`WriteOptions::fetch_images`], downloads within [`WriteOptions::remote_images`]; the
    /// lead image too when the EPUB cover is made from it. Returns the store and the warnings
    /// about images left out or left as links.
    pub fn load_media(&self, document: &Document) -> (MediaStore, Vec<Warning>) {
        let source = StandardSource::new(self.fetch_images.then(|| self.remote_images.clone()));
        let policy = LoadPolicy {
            resource_dir: self.resource_dir.clone(),
            fetch_remote: self.fetch_images,
            allow_private: self.remote_images.allow_private,
            lead_image: self.epub.cover == epub::CoverChoice::LeadImage,
        };
        MediaStore::load(document, &source, &policy)
    }

    /// The store of the document's images: [`WriteOptions::media`] when it is set (no
    /// warnings: whoever loaded it has them), else one loaded now
    /// ([`WriteOptions::load_media`]) and the warnings of that load.
    pub(crate) fn media_for(&self, document: &Document) -> (Arc<MediaStore>, Vec<Warning>) {
        if let Some(store) = &self.media {
            return (Arc::clone(store), Vec::new());
        }
        let (store, warnings) = self.load_media(document);
        (Arc::new(store), warnings)
    }
}

/// Whether writing `format` with these options embeds images (and so needs a
/// [`MediaStore`]): HTML pages (not fragments), EPUB and PDF.
pub fn uses_media(format: OutputFormat, options: &WriteOptions) -> bool {
    match format {
        OutputFormat::Html => !options.fragment,
        OutputFormat::Epub | OutputFormat::Kepub | OutputFormat::Pdf => true,
        OutputFormat::Markdown | OutputFormat::Text | OutputFormat::Json => false,
    }
}

/// What a writer made, and what it noticed on the way.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The output.
    pub bytes: Vec<u8>,
    /// What the writer noticed (an image it could not embed, a missing glyph...).
    pub warnings: Vec<Warning>,
}

impl Rendered {
    /// A rendering of `text` with no warnings.
    pub fn from_string(text: String) -> Rendered {
        Rendered {
            bytes: text.into_bytes(),
            warnings: Vec::new(),
        }
    }
}

/// One output format's writer.
///
/// A writer implements [`Writer::render`] (and [`Writer::render_to`] when it can stream);
/// callers use [`Writer::write`] and [`Writer::write_to`], which check the document's depth
/// once, before any rendering, so that every renderer may recurse over the model: a document
/// built in code has not been through a reader's depth limit, and one nested deeper than
/// [`MAX_DEPTH`](crate::model::MAX_DEPTH) is an [`Error::TooDeep`](crate::Error::TooDeep).
///
/// A writer of your own (an outline of the headings). The model's [`Block`](crate::Block) is
/// exhaustive on purpose: when quire adds a kind of block, a writer that matches on every
/// kind is told by the compiler.
///
/// ```
/// use quire::model::inlines_to_plain;
/// use quire::write::{Rendered, WriteOptions, Writer};
/// use quire::{Block, Document, InputFormat, ReadOptions};
///
/// struct Outline;
///
/// impl Writer for Outline {
///     fn render(&self, document: &Document, _options: &WriteOptions) -> quire::Result<Rendered> {
///         // The Markdown reader takes a leading `# Title` as the document's title.
///         let mut out = format!("{}\n", document.meta.title.as_deref().unwrap_or("Untitled"));
///         for block in &document.blocks {
///             if let Block::Heading { level, content, .. } = block {
///                 let indent = "  ".repeat(usize::from(*level) - 1);
///                 out.push_str(&format!("{indent}{}\n", inlines_to_plain(content)));
///             }
///         }
///         Ok(Rendered::from_string(out))
///     }
/// }
///
/// let markdown = b"# Book\n\n## One\n\nText.\n\n## Two\n";
/// let reading = quire::read(markdown, InputFormat::Markdown, &ReadOptions::default())?;
/// // `write` checks the depth first, then calls `render`.
/// let outline = Outline.write(&reading.document, &WriteOptions::default())?;
/// assert_eq!(outline.bytes, b"Book\n  One\n  Two\n");
/// # Ok::<(), quire::Error>(())
/// ```
pub trait Writer {
    /// Renders a document whose depth has been checked.
    fn render(&self, document: &Document, options: &WriteOptions) -> Result<Rendered>;

    /// Renders a document whose depth has been checked to `out`: the same bytes as
    /// [`Writer::render`]. Writers that can (HTML, Markdown, text, JSON) send the output as
    /// they make it, so it is never all in memory; the others make it whole first.
    fn render_to(
        &self,
        document: &Document,
        options: &WriteOptions,
        out: &mut dyn io::Write,
    ) -> Result<Vec<Warning>> {
        let rendered = self.render(document, options)?;
        out.write_all(&rendered.bytes)?;
        Ok(rendered.warnings)
    }

    /// Writes the document, or fails with [`Error::TooDeep`](crate::Error::TooDeep) when it
    /// nests too deep to render.
    fn write(&self, document: &Document, options: &WriteOptions) -> Result<Rendered> {
        document.check_depth()?;
        self.render(document, options)
    }

    /// Writes the document to `out` and returns the warnings: the same bytes as
    /// [`Writer::write`], sent as they are made where the writer can. On an error, part of
    /// the output may have been written.
    fn write_to(
        &self,
        document: &Document,
        options: &WriteOptions,
        out: &mut dyn io::Write,
    ) -> Result<Vec<Warning>> {
        document.check_depth()?;
        self.render_to(document, options, out)
    }
}

/// The writer for a format.
pub fn writer_for(format: OutputFormat) -> &'static dyn Writer {
    match format {
        OutputFormat::Markdown => &markdown::MarkdownWriter,
        OutputFormat::Html => &html::HtmlWriter,
        OutputFormat::Text => &text::TextWriter,
        OutputFormat::Json => &json::JsonWriter,
        OutputFormat::Epub => &epub::EpubWriter,
        OutputFormat::Kepub => &epub::KepubWriter,
        OutputFormat::Pdf => &pdf::PdfWriter,
    }
}

/// Writes a document in a format, whole: the bytes and the warnings.
///
/// ```
/// use quire::model::Meta;
/// use quire::{Block, Document, Inline, OutputFormat, WriteOptions};
///
/// let document = Document {
///     meta: Meta { title: Some("Hello".into()), ..Meta::default() },
///     blocks: vec![Block::Paragraph(vec![Inline::text("A paragraph.")])],
/// };
/// let epub = quire::write(&document, OutputFormat::Epub, &WriteOptions::default())?;
/// assert!(epub.bytes.starts_with(b"PK")); // an EPUB is a zip archive
/// let text = quire::write(&document, OutputFormat::Text, &WriteOptions::default())?;
/// assert!(String::from_utf8(text.bytes).unwrap().contains("A paragraph."));
/// # Ok::<(), quire::Error>(())
/// ```
pub fn write(
    document: &Document,
    format: OutputFormat,
    options: &WriteOptions,
) -> Result<Rendered> {
    writer_for(format).write(document, options)
}

/// Writes a document in a format to `out`, as it is made where the writer can
/// ([`Writer::write_to`]); returns the warnings.
///
/// ```
/// use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};
///
/// let input = b"Title\n\nOne paragraph.\n";
/// let reading = quire::read(input, InputFormat::Text, &ReadOptions::default())?;
/// let mut out = Vec::new(); // any `io::Write`: a file, a socket, standard output
/// let options = WriteOptions::default();
/// quire::write_to(&reading.document, OutputFormat::Markdown, &options, &mut out)?;
/// assert!(String::from_utf8(out).unwrap().contains("One paragraph."));
/// # Ok::<(), quire::Error>(())
/// ```
pub fn write_to(
    document: &Document,
    format: OutputFormat,
    options: &WriteOptions,
    out: &mut dyn io::Write,
) -> Result<Vec<Warning>> {
    writer_for(format).write_to(document, options, out)
}

/// How much output a streaming writer gathers before it writes it out.
const STREAM_CHUNK: usize = 64 * 1024;

/// Output written as it is made. A writer gathers text in `buffer` and calls
/// [`Streamed::flush`] between blocks, and between a table's rows (a table can be larger
/// than all the rest); once the buffer holds `flush_len` bytes it goes to `out`. What went
/// out is remembered (whether any did, and its last two bytes), so a writer can still ask
/// what its output ends with.
///
/// [`Writer::write`] of a streaming writer uses a `flush_len` of 0 (out at every flush),
/// so every test of a writer also tests that its output does not depend on where it is cut.
pub(crate) struct Streamed<'o> {
    out: &'o mut dyn io::Write,
    flush_len: usize,
    pub buffer: String,
    written: bool,
    /// The last (up to) two bytes written out.
    tail: Vec<u8>,
}

impl<'o> Streamed<'o> {
    pub fn new(out: &'o mut dyn io::Write, flush_len: usize) -> Streamed<'o> {
        Streamed {
            out,
            flush_len,
            buffer: String::new(),
            written: false,
            tail: Vec::new(),
        }
    }

    /// Writes the buffer out if it is full enough.
    pub fn flush(&mut self) -> io::Result<()> {
        if self.buffer.len() >= self.flush_len {
            self.write_out(self.buffer.len())?;
        }
        Ok(())
    }

    /// [`Streamed::flush`], keeping back the newlines the buffer ends with (for a writer that
    /// trims them at the end).
    pub fn flush_before_trailing_newlines(&mut self) -> io::Result<()> {
        if self.buffer.len() >= self.flush_len {
            let keep = self.buffer.len() - self.buffer.trim_end_matches('\n').len();
            self.write_out(self.buffer.len() - keep)?;
        }
        Ok(())
    }

    /// Writes out all that is left.
    pub fn finish(mut self) -> io::Result<()> {
        self.write_out(self.buffer.len())?;
        self.out.flush()
    }

    fn write_out(&mut self, len: usize) -> io::Result<()> {
        let Some(text) = self.buffer.get(..len).filter(|t| !t.is_empty()) else {
            return Ok(());
        };
        self.out.write_all(text.as_bytes())?;
        self.written = true;
        self.tail
            .extend_from_slice(&text.as_bytes()[text.len().saturating_sub(2)..]);
        let excess = self.tail.len().saturating_sub(2);
        self.tail.drain(..excess);
        self.buffer.drain(..len);
        Ok(())
    }

    /// Whether nothing was written yet (out or into the buffer).
    pub fn is_empty(&self) -> bool {
        !self.written && self.buffer.is_empty()
    }

    /// Whether all written so far ends with `suffix` (of at most two bytes).
    pub fn ends_with(&self, suffix: &str) -> bool {
        let buffer = self.buffer.as_bytes();
        if buffer.len() >= suffix.len() {
            return buffer.ends_with(suffix.as_bytes());
        }
        let mut last = self.tail.clone();
        last.extend_from_slice(buffer);
        last.ends_with(suffix.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_output_knows_its_end_across_flushes() {
        let mut out = Vec::new();
        let mut stream = Streamed::new(&mut out, 0);
        assert!(stream.is_empty());
        stream.buffer.push_str("ab\n");
        stream.flush().unwrap();
        assert!(stream.buffer.is_empty());
        assert!(!stream.is_empty());
        assert!(stream.ends_with("\n") && stream.ends_with("b\n") && !stream.ends_with("\n\n"));
        stream.buffer.push('\n');
        assert!(stream.ends_with("\n\n"));
        stream.flush().unwrap();
        assert!(stream.ends_with("\n\n"));
        stream.buffer.push_str("x\n\n\n");
        stream.flush_before_trailing_newlines().unwrap();
        assert_eq!(stream.buffer, "\n\n\n");
        stream.buffer.truncate(0);
        assert!(stream.ends_with("\nx") && !stream.ends_with("\n"));
        stream.finish().unwrap();
        assert_eq!(out, b"ab\n\nx");
    }
}
