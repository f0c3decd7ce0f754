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
//! - `nav` writes the table of contents and the landmarks, from the prepared chapters, as
//!   the navigation document and the NCX;
//! - `package` renders the chapters and has epub-builder write the package document;
//! - `archive` writes the zip, with quire's own files put in, whose bytes depend only on the
//!   input and [`WriteOptions::timestamp`];
//! - `kepub` makes the same book a Kobo KEPUB ([`KepubWriter`], [`write_kepub_book`]):
//!   hooks that wrap each sentence and image in a `koboSpan`, and Kobo's page wrapper.
//!
//! A single document is written as a one-chapter [`Book`].

mod archive;
mod content;
mod cover;
mod images;
mod kepub;
mod kindle;
mod nav;
mod package;
mod parts;
mod volumes;

pub use cover::generated_cover;
pub use volumes::write_book_volumes;

use std::path::PathBuf;
use std::str::FromStr;

use super::{Rendered, WriteOptions, Writer};
use crate::error::{Error, Result};
use crate::locale::Labels;
use crate::model::{classes, Attr, Block, Document, Inline, Meta};
use crate::prepare::toc::{self, TocHeading};

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
    /// Kindle e-ink readers (Paperwhite class). The book is also made Kindle-safe: a real
    /// language, formulas as pictures, code dark on light, the user's CSS without custom
    /// properties (see [`crate::check::kindle`] for the causes of Kindle's error E999).
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
    /// The file each chapter was read from, as an absolute path, by chapter index (missing
    /// or `None`: not read from a file, or not said). A link in one chapter to another's
    /// file (`guide/setup.md#linux`) points at that chapter in the book.
    pub files: Vec<Option<PathBuf>>,
    /// Parts that group consecutive chapters (`quire feed`: one per feed), in chapter order;
    /// empty for a book of plain chapters (`quire bundle`). The table of contents nests each
    /// part's chapters under its title; formats without one get a heading per part.
    pub sections: Vec<Section>,
}

/// A part of a [`Book`]: its title, and the chapters from `first_chapter` up to the next
/// part's first (or the end).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The part's title (a feed's name).
    pub title: String,
    /// The index of its first chapter in [`Book::chapters`].
    pub first_chapter: usize,
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
        self.files.resize(self.chapters.len(), None);
    }

    /// Adds a chapter read from `file` (an absolute path): its relative images resolve in
    /// the file's folder, and links to it from other chapters point at it.
    pub fn push_file(&mut self, chapter: Document, file: PathBuf) {
        self.push(chapter, file.parent().map(std::path::Path::to_path_buf));
        if let Some(last) = self.files.last_mut() {
            *last = Some(file);
        }
    }

    /// What chapter `index`'s relative links resolve against, and what links to it are
    /// matched with: its source URL, else the URL of the file it was read from.
    pub(crate) fn chapter_location(&self, index: usize) -> Option<url::Url> {
        let file = self.files.get(index).and_then(|f| f.as_deref());
        crate::prepare::links::location(self.chapters.get(index)?, file)
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

    /// Starts a part titled `title`: the chapters pushed from now on belong to it.
    pub fn start_section(&mut self, title: String) {
        self.sections.push(Section {
            title,
            first_chapter: self.chapters.len(),
        });
    }

    /// The part that starts at chapter `index`, if one does (an empty part, one with no
    /// chapter before the next starts, starts none).
    pub(crate) fn section_starting_at(&self, index: usize) -> Option<&Section> {
        self.sections.iter().rfind(|s| s.first_chapter == index)
    }

    /// Whether chapter `index` belongs to a part.
    pub(crate) fn in_section(&self, index: usize) -> bool {
        self.sections.iter().any(|s| s.first_chapter <= index)
    }
}

impl Book {
    /// The book as one document, for formats without chapters (a PDF or HTML bundle): a
    /// contents list first (each article's title, and its headings down to `toc_depth`
    /// levels, linked); then each article, which starts with a header (a
    /// [`classes::CHAPTER_HEADER`] container: a level-1 heading with id `chapter-N` and a
    /// line naming its author, site and date); its own headings move one level down; links
    /// to another bundled article's source URL point at that article's heading. A Sources
    /// appendix ends the book: each article's title, byline and URL, as the EPUB's.
    pub fn to_document(&self, toc_depth: u8) -> Document {
        // The book's language names its contents, Sources and dates: its own, else the first
        // article's that has one.
        let language = self
            .meta
            .language
            .clone()
            .or_else(|| self.chapters.iter().find_map(|c| c.meta.language.clone()));
        let labels = Labels::for_language(language.as_deref());
        // A link to another article (its source URL, or the file it was read from) goes
        // to that article's heading.
        let locations: Vec<Option<url::Url>> = (0..self.chapters.len())
            .map(|i| self.chapter_location(i))
            .collect();
        let mut targets: std::collections::HashMap<String, String> =
            std::collections::HashMap::new();
        for (i, location) in locations.iter().enumerate() {
            if let Some(key) = location.as_ref().and_then(crate::prepare::links::url_key) {
                targets
                    .entry(key)
                    .or_insert_with(|| format!("#chapter-{}", i + 1));
            }
        }
        // The contents come first: their heading takes the id "contents" before any
        // article's heading can; the list is filled in once every heading has its id.
        let mut blocks = vec![Block::Container {
            attr: Box::new(Attr::class(classes::CONTENTS)),
            blocks: vec![Block::Heading {
                level: 1,
                id: "contents".into(),
                content: vec![Inline::text(labels.contents)],
            }],
        }];
        let mut titles = Vec::with_capacity(self.chapters.len());
        // With parts, each part is a level-1 heading and its articles are one level down.
        let parted = !self.sections.is_empty();
        for (i, chapter) in self.chapters.iter().enumerate() {
            if let Some(section) = self.section_starting_at(i) {
                blocks.push(Block::Container {
                    attr: Box::new(Attr::class(classes::CHAPTER_HEADER)),
                    blocks: vec![Block::Heading {
                        level: 1,
                        id: Box::default(),
                        content: vec![Inline::Text(section.title.clone())],
                    }],
                });
            }
            let level = if parted && self.in_section(i) { 2 } else { 1 };
            let title = chapter
                .meta
                .title
                .clone()
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| crate::prepare::book::document_title(chapter));
            let mut header = vec![Block::Heading {
                level,
                id: format!("chapter-{}", i + 1).into(),
                content: vec![Inline::Text(title.clone())],
            }];
            // The article's own line is in its own language; the book's parts in the book's.
            let own_labels =
                Labels::for_language(chapter.meta.language.as_deref().or(language.as_deref()));
            let byline = byline_of(&chapter.meta, own_labels);
            if !byline.is_empty() {
                header.push(Block::Paragraph(vec![Inline::Emphasis(vec![
                    Inline::Text(byline.join(" · ")),
                ])]));
            }
            titles.push(title);
            blocks.push(Block::Container {
                attr: Box::new(Attr::class(classes::CHAPTER_HEADER)),
                blocks: header,
            });
            let mut body = chapter.blocks.clone();
            crate::model::shift_headings(&mut body, level);
            crate::model::rewrite_links(&mut body, &mut |url| {
                let url = crate::prepare::links::absolute_url(url, locations[i].as_ref())?;
                targets.get(&crate::prepare::links::url_key(&url)?).cloned()
            });
            blocks.extend(body);
        }
        let mut meta = self.meta.clone();
        meta.language = language;
        let mut document = Document::new(meta, blocks);
        document.assign_heading_ids();

        // The articles' titles at depth 1, their own headings below.
        let entries = toc::headings_in(
            document.blocks.get(1..).unwrap_or_default(),
            true,
            toc_depth.saturating_add(if parted { 2 } else { 1 }),
        );
        if let Some(Block::Container { blocks, .. }) = document.blocks.first_mut() {
            blocks.push(contents_list(&entries));
        }

        // The Sources appendix, a part of the book that starts its own page.
        let sources: Vec<Vec<Block>> = self
            .chapters
            .iter()
            .zip(&titles)
            .enumerate()
            .map(|(i, (chapter, title))| {
                let mut line = vec![Inline::link(
                    format!("#chapter-{}", i + 1),
                    None,
                    vec![Inline::Text(title.clone())],
                )];
                if let Some(details) = source_details(&chapter.meta, labels) {
                    line.push(Inline::Text(details));
                }
                if let Some(url) = chapter
                    .meta
                    .source_url
                    .as_deref()
                    .and_then(crate::prepare::links::safe_external_url)
                {
                    line.push(Inline::LineBreak);
                    line.push(Inline::link(url.clone(), None, vec![Inline::Text(url)]));
                }
                vec![Block::Paragraph(line)]
            })
            .collect();
        document.blocks.push(Block::Container {
            attr: Box::new(Attr::class(classes::CHAPTER_HEADER)),
            blocks: vec![Block::Heading {
                level: 1,
                id: Box::default(),
                content: vec![Inline::text(labels.sources)],
            }],
        });
        document.blocks.push(Block::List(crate::model::List {
            ordered: true,
            start: 1,
            tight: true,
            items: sources,
            checked: Default::default(),
        }));
        // The appendix's heading gets an id no article's heading has.
        document.assign_heading_ids();
        document
    }
}

/// An article's byline: its authors, site and day, those it has, in the words of `labels`.
fn byline_of(meta: &Meta, labels: &Labels) -> Vec<String> {
    let authors = labels.join_names(&meta.authors);
    let site = meta
        .site_name
        .as_deref()
        .map(|site| site.trim().to_string());
    let day = meta.published.as_ref().map(|date| labels.date(date));
    std::iter::once(authors)
        .chain(site)
        .chain(day)
        .filter(|s| !s.trim().is_empty())
        .collect()
}

/// What follows an article's title in a bundle's Sources appendix, the EPUB's page and the
/// one-document bundle's (PDF, HTML) alike: its byline, punctuated in the words of `labels`
/// (". Ann, Site One, 2 January 2024."); `None` for an article with no byline.
pub(crate) fn source_details(meta: &Meta, labels: &Labels) -> Option<String> {
    labels.source_details(&byline_of(meta, labels))
}

/// The contents as a list: each entry a link to its heading, the entries below it in a
/// list of their own.
fn contents_list(entries: &[TocHeading]) -> Block {
    // One open list per depth; an entry deeper than the last hangs under it.
    let mut open: Vec<(u8, Vec<Vec<Block>>)> = vec![(1, Vec::new())];
    let close = |open: &mut Vec<(u8, Vec<Vec<Block>>)>| {
        if let Some((_, items)) = open.pop() {
            let list = Block::List(crate::model::List {
                ordered: false,
                start: 1,
                tight: true,
                items,
                checked: Default::default(),
            });
            if let Some(parent) = open.last_mut().and_then(|(_, items)| items.last_mut()) {
                parent.push(list);
            }
        }
    };
    for entry in entries {
        while open.len() > 1 && open.last().is_some_and(|(d, _)| entry.depth < *d) {
            close(&mut open);
        }
        let deeper = open
            .last()
            .is_some_and(|(d, items)| entry.depth > *d && !items.is_empty());
        if deeper {
            open.push((entry.depth, Vec::new()));
        }
        let link = Inline::link(
            format!("#{}", entry.id),
            None,
            vec![Inline::Text(entry.text.clone())],
        );
        if let Some((_, items)) = open.last_mut() {
            items.push(vec![Block::Paragraph(vec![link])]);
        }
    }
    while open.len() > 1 {
        close(&mut open);
    }
    let items = open.pop().map(|(_, items)| items).unwrap_or_default();
    Block::List(crate::model::List {
        ordered: false,
        start: 1,
        tight: true,
        items,
        checked: Default::default(),
    })
}

/// Writes the EPUB of a single document: a book of one chapter.
pub struct EpubWriter;

impl Writer for EpubWriter {
    fn render(&self, document: &Document, options: &WriteOptions) -> Result<Rendered> {
        package::write(
            package::Shape::Single(document),
            options,
            package::Flavour::Epub,
        )
    }
}

/// Writes the KEPUB of a single document: the EPUB for Kobo readers, every sentence in a
/// `koboSpan` (see `kepub`). The profile is the caller's: `quire --to kepub` picks
/// [`Profile::Kobo`] unless told otherwise.
pub struct KepubWriter;

impl Writer for KepubWriter {
    fn render(&self, document: &Document, options: &WriteOptions) -> Result<Rendered> {
        package::write(
            package::Shape::Single(document),
            options,
            package::Flavour::Kepub,
        )
    }
}

/// Writes a book of several documents: a title page, one chapter per document (each with
/// its heading in the table of contents), links between the documents pointing inside the
/// book, and an appendix listing every source.
pub fn write_book(book: &Book, options: &WriteOptions) -> Result<Rendered> {
    package::write(
        package::Shape::Bundle(book),
        options,
        package::Flavour::Epub,
    )
}

/// [`write_book`] as a KEPUB, for Kobo readers (see [`KepubWriter`]).
pub fn write_kepub_book(book: &Book, options: &WriteOptions) -> Result<Rendered> {
    package::write(
        package::Shape::Bundle(book),
        options,
        package::Flavour::Kepub,
    )
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

    fn article(title: &str) -> Document {
        Document::new(
            Meta {
                title: Some(title.to_string()),
                ..Meta::default()
            },
            vec![
                Block::Heading {
                    level: 1,
                    id: Box::default(),
                    content: vec![Inline::text("Inside")],
                },
                Block::Paragraph(vec![Inline::text("Text.")]),
            ],
        )
    }

    #[test]
    fn parts_become_headings_above_their_articles_in_one_document() {
        let mut book = Book::default();
        book.push(article("Loose"), None);
        book.start_section("Feed A".into());
        book.push(article("A1"), None);
        book.push(article("A2"), None);
        book.start_section("Feed B".into());
        book.push(article("B1"), None);
        let document = book.to_document(1);
        let headings: Vec<(u8, String)> = document
            .blocks
            .iter()
            .flat_map(|b| match b {
                Block::Container { blocks, .. } => blocks.as_slice(),
                other => std::slice::from_ref(other),
            })
            .filter_map(|b| match b {
                Block::Heading { level, content, .. } => Some((
                    *level,
                    content
                        .iter()
                        .map(|i| match i {
                            Inline::Text(t) => t.as_str(),
                            _ => "",
                        })
                        .collect(),
                )),
                _ => None,
            })
            .collect();
        let expected: Vec<(u8, String)> = [
            (1, "Contents"),
            (1, "Loose"),
            (2, "Inside"),
            (1, "Feed A"),
            (2, "A1"),
            (3, "Inside"),
            (2, "A2"),
            (3, "Inside"),
            (1, "Feed B"),
            (2, "B1"),
            (3, "Inside"),
            (1, "Sources"),
        ]
        .iter()
        .map(|(l, t)| (*l, t.to_string()))
        .collect();
        assert_eq!(headings, expected);
    }

    /// A Chinese bundle's Sources appendix punctuates each article's details in Chinese, in
    /// the one-document bundle (PDF, HTML) as on the EPUB's page: both wrote ". A, B." in
    /// every language, each with its own code.
    #[test]
    fn sources_details_are_punctuated_in_the_books_language_in_every_format() {
        let mut chinese = article("港口");
        chinese.meta.language = Some("zh-CN".into());
        chinese.meta.authors = vec!["张三".into(), "李四".into()];
        chinese.meta.site_name = Some(" 新闻网 ".into());
        chinese.meta.published = crate::model::Date::parse_iso("2026-12-02");
        let mut book = Book::default();
        book.push(chinese.clone(), None);
        let expected = "。张三和李四，新闻网，2026年12月2日。";

        let document = book.to_document(1);
        let Some(Block::List(sources)) = document.blocks.last() else {
            panic!("no Sources list: {:?}", document.blocks.last());
        };
        let Block::Paragraph(line) = &sources.items[0][0] else {
            panic!("{:?}", sources.items[0]);
        };
        assert!(
            matches!(&line[1], Inline::Text(text) if text.as_str() == expected),
            "{line:?}"
        );

        let page = content::sources_body(
            &[content::SourceEntry {
                href: "chapter-1.xhtml".into(),
                title: "港口",
                meta: &chinese.meta,
            }],
            Labels::for_language(Some("zh-CN")),
            None,
            &mut crate::write::html::Plain { xhtml: true },
        );
        assert!(page.contains(&format!("港口</a>{expected}</li>")), "{page}");
    }

    #[test]
    fn parts_split_between_volumes_start_again_in_the_next() {
        let mut book = Book::default();
        book.start_section("Feed A".into());
        for title in ["A1", "A2", "A3"] {
            book.push(article(title), None);
        }
        book.start_section("Feed B".into());
        book.push(article("B1"), None);
        let second = volumes::volume_of(&book, 2..4, Some((2, 2)));
        assert_eq!(
            second.sections,
            [
                Section {
                    title: "Feed A".into(),
                    first_chapter: 0
                },
                Section {
                    title: "Feed B".into(),
                    first_chapter: 1
                }
            ]
        );
        let first = volumes::volume_of(&book, 0..2, Some((1, 2)));
        assert_eq!(first.sections.len(), 1);
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
