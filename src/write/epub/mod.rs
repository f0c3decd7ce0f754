//! EPUB 3 output: one article, or a bundle of several, as an e-book.
//!
//! The book is assembled in stages that each own one concern:
//! - the preparation stage (`prepare::book`) splits the book into chapters on the
//!   model: unique XML ids, links resolved across chapters, table-of-contents headings;
//! - `content` holds the hooks through which the HTML renderer writes each chapter body as
//!   EPUB XHTML (one renderer for both formats), wraps bodies into XHTML pages and renders the
//!   title page, the cover page, the sources appendix and the e-reader stylesheet;
//! - `images` fits and re-encodes the images the chapters refer to, taken from the
//!   media store (`crate::media`), which loaded them;
//! - `cover` draws the generated raster cover;
//! - `nav` turns the prepared headings into the table of contents;
//! - `package` renders the chapters and has epub-builder write the package document, the
//!   NCX and the navigation document;
//! - `archive` writes the zip, with quire's own files put in, whose bytes depend only on the
//!   input and [`WriteOptions::timestamp`].
//!
//! A single document is written as a one-chapter [`Book`].

mod archive;
mod content;
mod cover;
mod images;
mod nav;
mod package;

use std::path::PathBuf;
use std::str::FromStr;

use super::{Rendered, WriteOptions, Writer};
use crate::error::{Error, Result};
use crate::model::{Block, Document, Inline, Meta};

/// Which cover the book gets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum CoverChoice {
    /// A raster cover drawn from the title, site, author and date.
    #[default]
    Generated,
    /// The article's lead image (`Meta::lead_image`), else (none declared) its first real
    /// picture ([`crate::media::MediaStore::first_picture`]); the generated cover when
    /// neither can be had.
    LeadImage,
    /// An image file the user chose (read as given: the user named it).
    File(PathBuf),
    /// No cover.
    None,
}

impl CoverChoice {
    /// Reads a `--cover` argument: `generated` (or `auto`), `lead` (the article's lead
    /// image), `none`, or else the path of an image file.
    pub fn from_arg(arg: &str) -> CoverChoice {
        match arg.trim().to_ascii_lowercase().as_str() {
            "generated" | "auto" | "default" => CoverChoice::Generated,
            "lead" | "lead-image" | "article" => CoverChoice::LeadImage,
            "none" | "no" | "off" => CoverChoice::None,
            _ => CoverChoice::File(PathBuf::from(arg)),
        }
    }
}

/// The kind of screen the book is made for: it decides how large images and the cover are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Profile {
    /// Kindle e-ink readers (Paperwhite class).
    Kindle,
    /// Kobo e-ink readers (Clara / Libra class).
    Kobo,
    /// Any reader: a middle size that scales well up and down.
    #[default]
    Generic,
    /// Tablets and phones with high-density colour screens.
    Tablet,
}

impl Profile {
    /// The profile names `FromStr` accepts, for messages.
    pub const NAMES: &'static str = "kindle, kobo, generic, tablet";

    /// The profile's name, as `--profile` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::Kindle => "kindle",
            Profile::Kobo => "kobo",
            Profile::Generic => "generic",
            Profile::Tablet => "tablet",
        }
    }

    /// The screen's width and height in pixels: no embedded image is larger, and the cover
    /// is this size.
    pub fn screen(self) -> (u32, u32) {
        match self {
            Profile::Kindle => (1072, 1448),
            Profile::Kobo => (1264, 1680),
            Profile::Generic => (1200, 1600),
            Profile::Tablet => (1536, 2048),
        }
    }
}

impl FromStr for Profile {
    type Err = Error;

    fn from_str(name: &str) -> Result<Profile> {
        match name.trim().to_ascii_lowercase().as_str() {
            "kindle" => Ok(Profile::Kindle),
            "kobo" => Ok(Profile::Kobo),
            "generic" | "default" => Ok(Profile::Generic),
            "tablet" | "ipad" => Ok(Profile::Tablet),
            _ => Err(Error::Unknown {
                what: "e-reader profile",
                name: name.to_string(),
                expected: Profile::NAMES,
            }),
        }
    }
}

/// Options only the EPUB writer uses (a field of [`WriteOptions`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpubOptions {
    /// Which cover the book gets.
    pub cover: CoverChoice,
    /// The kind of screen the book is made for.
    pub profile: Profile,
    /// Turn every image (and the cover) to grayscale, for e-ink screens.
    pub grayscale: bool,
    /// How many levels of each article's own headings the table of contents lists
    /// (0: only the articles).
    pub toc_depth: u8,
    /// The user's CSS, appended to the book's stylesheet.
    pub css: Option<String>,
}

impl Default for EpubOptions {
    fn default() -> EpubOptions {
        EpubOptions {
            cover: CoverChoice::Generated,
            profile: Profile::Generic,
            grayscale: false,
            toc_depth: 2,
            css: None,
        }
    }
}

/// Several documents made into one book, one chapter each (`quire bundle`).
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// The book's own metadata: its title ("Weekly reading"), maybe authors and a date.
    pub meta: Meta,
    /// The chapters, in order.
    pub chapters: Vec<Document>,
    /// The folder each chapter's relative image paths resolve in, by chapter index. A missing
    /// or `None` entry falls back to [`WriteOptions::resource_dir`].
    pub resource_dirs: Vec<Option<PathBuf>>,
    /// Where each chapter came from, by chapter index (missing: a local file).
    pub origins: Vec<ChapterOrigin>,
}

/// Where a bundled chapter came from, which decides what happens to its remote images.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChapterOrigin {
    /// A file or standard input: remote images are downloaded only with
    /// [`WriteOptions::fetch_images`].
    #[default]
    Local,
    /// A web page: its remote images are downloaded.
    Web {
        /// The page itself came from a private address ([`crate::net::Fetched::private`]),
        /// so its images may too.
        private: bool,
    },
}

impl Book {
    /// An empty book with this metadata.
    pub fn new(meta: Meta) -> Book {
        Book {
            meta,
            ..Book::default()
        }
    }

    /// Adds a chapter whose relative images resolve in `resource_dir`.
    pub fn push(&mut self, chapter: Document, resource_dir: Option<PathBuf>) {
        self.resource_dirs.resize(self.chapters.len(), None);
        self.chapters.push(chapter);
        self.resource_dirs.push(resource_dir);
        self.origins
            .resize(self.chapters.len(), ChapterOrigin::Local);
    }

    /// Adds a chapter read from the web (`private`: see [`ChapterOrigin::Web`]). Only such
    /// chapters have their remote images downloaded unless [`WriteOptions::fetch_images`] says
    /// all do.
    pub fn push_from_web(&mut self, chapter: Document, private: bool) {
        self.push(chapter, None);
        if let Some(origin) = self.origins.last_mut() {
            *origin = ChapterOrigin::Web { private };
        }
    }
}

impl Book {
    /// The book as one document, for formats without chapters (a PDF or HTML bundle): each
    /// article starts with a level-1 heading (id `chapter-N`) and a line naming its author,
    /// site and date; its own headings move one level down; links to another bundled
    /// article's source URL point at that article's heading.
    pub fn to_document(&self) -> Document {
        let key = |url: &str| {
            let url = url.split('#').next().unwrap_or(url);
            url.trim_end_matches('/').to_ascii_lowercase()
        };
        let targets: std::collections::HashMap<String, String> = self
            .chapters
            .iter()
            .enumerate()
            .filter_map(|(i, c)| {
                Some((
                    key(c.meta.source_url.as_deref()?),
                    format!("#chapter-{}", i + 1),
                ))
            })
            .collect();
        let mut blocks = Vec::new();
        for (i, chapter) in self.chapters.iter().enumerate() {
            let title = chapter
                .meta
                .title
                .clone()
                .unwrap_or_else(|| format!("Article {}", i + 1));
            blocks.push(Block::Heading {
                level: 1,
                id: format!("chapter-{}", i + 1).into(),
                content: vec![Inline::Text(title)],
            });
            let authors = chapter.meta.authors.join(", ");
            let day = chapter.meta.published.as_ref().map(content::display_date);
            let byline: Vec<&str> = std::iter::once(authors.as_str())
                .chain(chapter.meta.site_name.as_deref())
                .chain(day.as_deref())
                .filter(|s| !s.is_empty())
                .collect();
            if !byline.is_empty() {
                blocks.push(Block::Paragraph(vec![Inline::Emphasis(vec![
                    Inline::Text(byline.join(" · ")),
                ])]));
            }
            let mut body = chapter.blocks.clone();
            crate::model::shift_headings(&mut body, 1);
            crate::model::rewrite_links(&mut body, &mut |url| targets.get(&key(url)).cloned());
            blocks.extend(body);
        }
        let mut meta = self.meta.clone();
        if meta.language.is_none() {
            meta.language = self.chapters.iter().find_map(|c| c.meta.language.clone());
        }
        let mut document = Document::new(meta, blocks);
        document.assign_heading_ids();
        document
    }
}

/// Writes the EPUB of a single document: a book of one chapter.
pub struct EpubWriter;

impl Writer for EpubWriter {
    fn render(&self, document: &Document, options: &WriteOptions) -> Result<Rendered> {
        package::write(package::Shape::Single(document), options)
    }
}

/// Writes a book of several documents: a title page, one chapter per document (each with
/// its heading in the table of contents), links between the documents pointing inside the
/// book, and an appendix listing every source.
pub fn write_book(book: &Book, options: &WriteOptions) -> Result<Rendered> {
    package::write(package::Shape::Bundle(book), options)
}

/// The depth check of [`Writer::write`], which [`write_book`] (an entry of its own) needs for
/// each of its documents.
fn check_depth(document: &Document) -> Result<()> {
    document.check_depth()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_arguments_parse() {
        assert_eq!(CoverChoice::from_arg("lead"), CoverChoice::LeadImage);
        assert_eq!(CoverChoice::from_arg("None"), CoverChoice::None);
        assert_eq!(CoverChoice::from_arg("auto"), CoverChoice::Generated);
        assert_eq!(
            CoverChoice::from_arg("art/Cover.png"),
            CoverChoice::File(PathBuf::from("art/Cover.png"))
        );
    }

    #[test]
    fn profiles_have_names_and_screens() {
        for profile in [
            Profile::Kindle,
            Profile::Kobo,
            Profile::Generic,
            Profile::Tablet,
        ] {
            assert_eq!(profile.name().parse::<Profile>().unwrap(), profile);
            let (w, h) = profile.screen();
            assert!(w < h && w >= 1000);
        }
    }
}
