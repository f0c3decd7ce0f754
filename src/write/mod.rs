//! Writers: [`Document`] → bytes, one module per format behind the [`Writer`] trait.
//!
//! Writers never see the input: only the model. All take the same [`WriteOptions`].

pub mod epub;
pub mod html;
pub mod json;
pub mod markdown;
pub mod pdf;
pub mod resources;
mod table_layout;
pub mod text;

use crate::error::{Result, Warning};
use crate::format::OutputFormat;
use crate::model::Document;

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
    /// images (EPUB, PDF) read files only inside it; `None` embeds no local files.
    pub resource_dir: Option<std::path::PathBuf>,
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
            timestamp: None,
            epub: epub::EpubOptions::default(),
            pdf: pdf::PdfOptions::default(),
        }
    }
}

/// What a writer made, and what it noticed on the way.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub bytes: Vec<u8>,
    pub warnings: Vec<Warning>,
}

impl Rendered {
    pub fn from_string(text: String) -> Rendered {
        Rendered {
            bytes: text.into_bytes(),
            warnings: Vec::new(),
        }
    }
}

/// One output format's writer.
pub trait Writer {
    fn write(&self, document: &Document, options: &WriteOptions) -> Result<Rendered>;
}

/// The writer for a format.
pub fn writer_for(format: OutputFormat) -> &'static dyn Writer {
    match format {
        OutputFormat::Markdown => &markdown::MarkdownWriter,
        OutputFormat::Html => &html::HtmlWriter,
        OutputFormat::Text => &text::TextWriter,
        OutputFormat::Json => &json::JsonWriter,
        OutputFormat::Epub => &epub::EpubWriter,
        OutputFormat::Pdf => &pdf::PdfWriter,
    }
}

/// Writes a document in a format.
pub fn write(
    document: &Document,
    format: OutputFormat,
    options: &WriteOptions,
) -> Result<Rendered> {
    writer_for(format).write(document, options)
}
