//! Putting the book together: chapters rendered, links resolved across chapters, images and
//! cover embedded, metadata written, and the whole packed by epub-builder, then re-zipped with
//! fixed entry times so the bytes depend only on the input and the timestamp.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use epub_builder::{
    EpubBuilder, EpubContent, EpubVersion, PageDirection, ReferenceType, ZipLibrary,
};

use super::archive::{Method, ZipOut};
use super::content::{self, escape_text_into, xml_clean, ChapterMarkup, SourceEntry};
use super::cover::{self, CoverText};
use super::images::{self, BookImages};
use super::kepub::{book_columns, KoboSpans};
use super::{check_depth, nav, Book, ChapterOrigin, CoverChoice, EpubOptions, Profile};
use crate::error::{Error, Result, Warning};
use crate::locale::{bcp47, Labels};
use crate::media::{self, ImageKind, LoadPolicy, MediaStore, StandardSource, Tally};
use crate::model::{is_rtl_language, Direction, Document, Meta};
use crate::prepare::book;
use crate::write::html::{self, Plain};
use crate::write::{Rendered, WriteOptions};
use std::sync::Arc;

/// What is being made into a book.
pub(crate) enum Shape<'a> {
    /// One document: title page, one chapter.
    Single(&'a Document),
    /// Several: title page, one chapter each, sources appendix.
    Bundle(&'a Book),
}

/// A chapter once rendered.
struct Chapter {
    /// Its index among the documents, whose own metadata the sources appendix lists.
    index: usize,
    prepared: book::Chapter,
    /// The page's `<body>` content.
    body: String,
    /// Whether the body holds MathML.
    mathml: bool,
    /// The language and direction its page states (the book's, unless it has its own).
    lang: String,
    dir: Option<Direction>,
}

/// Which book is made of the chapters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    /// A plain EPUB 3.
    Epub,
    /// A Kobo KEPUB: the same book with Kobo's spans and page wrapper (see `kepub`).
    Kepub,
}

impl Flavour {
    /// The hooks a content document's text goes through: `inner`, with Kobo's spans for a
    /// KEPUB (numbered from 1 in each document).
    fn hooks<'a, H: html::Hooks + 'a>(self, inner: H) -> Box<dyn html::Hooks + 'a> {
        match self {
            Flavour::Epub => Box::new(inner),
            Flavour::Kepub => Box::new(KoboSpans::new(inner)),
        }
    }

    /// A content document's body as this flavour wraps it.
    fn body(self, body: String) -> String {
        match self {
            Flavour::Epub => body,
            Flavour::Kepub => book_columns(&body),
        }
    }
}

pub(crate) fn write(shape: Shape, options: &WriteOptions, flavour: Flavour) -> Result<Rendered> {
    let epub = &options.epub;
    let (documents, book_meta, bundle): (Vec<(&Document, Option<&Path>)>, &Meta, bool) = match shape
    {
        Shape::Single(doc) => (
            vec![(doc, options.resource_dir.as_deref())],
            &doc.meta,
            false,
        ),
        Shape::Bundle(book) => {
            let docs = book
                .chapters
                .iter()
                .enumerate()
                .map(|(i, doc)| {
                    let dir = book
                        .resource_dirs
                        .get(i)
                        .and_then(|d| d.as_deref())
                        .or(options.resource_dir.as_deref());
                    (doc, dir)
                })
                .collect();
            (docs, &book.meta, true)
        }
    };
    for (doc, _) in &documents {
        check_depth(doc)?;
    }
    let mut warnings: Vec<Warning> = Vec::new();
    let stores = match shape {
        Shape::Single(doc) => {
            let (store, load_warnings) = options.media_for(doc);
            warnings.extend(load_warnings);
            vec![store]
        }
        Shape::Bundle(book) => chapter_stores(book, &documents, options, &mut warnings),
    };
    let mut store = BookImages::new(epub);
    let language = book_language(book_meta, &documents, epub.profile);
    let direction = book_direction(book_meta, &documents, &language);

    // Ids, links, titles and table-of-contents headings come from the prepared model; the
    // HTML renderer writes each body in its XHTML flavour, embedding images as it meets them.
    let locations: Vec<Option<url::Url>> = match shape {
        Shape::Bundle(book) => (0..book.chapters.len())
            .map(|i| book.chapter_location(i))
            .collect(),
        Shape::Single(doc) => vec![crate::prepare::links::location(doc, None)],
    };
    let prepared = book::chapters(
        &documents.iter().map(|(doc, _)| *doc).collect::<Vec<_>>(),
        &locations,
        &|index| format!("chapter-{}.xhtml", index + 1),
        epub.toc_depth,
    );
    // Kindle renders no MathML: its formulas are pictures, drawn in the faces that have
    // their characters.
    let math_fonts = if epub.profile == Profile::Kindle {
        let formulas: Vec<String> = prepared
            .iter()
            .filter(|chapter| chapter.doc.has_math())
            .flat_map(|chapter| formulas_of(&chapter.doc))
            .collect();
        let language = book_meta.language.as_deref().or_else(|| {
            documents
                .iter()
                .find_map(|(d, _)| d.meta.language.as_deref())
        });
        if formulas.is_empty() {
            Default::default()
        } else {
            crate::write::math_image::fonts_for(&formulas, &options.pdf, language, &mut warnings)
        }
    } else {
        Default::default()
    };
    let mut chapters: Vec<Chapter> = Vec::with_capacity(prepared.len());
    for (index, mut prepared) in prepared.into_iter().enumerate() {
        // A chapter that names no language or direction is in the book's; one that does
        // keeps its own, stated even where it is left to right in a right-to-left book.
        let meta = &prepared.doc.meta;
        let lang = meta.language.as_deref().and_then(language_tag);
        let dir = if lang.is_some() || meta.direction.is_some() {
            meta.written_direction()
                .or(direction.map(|_| Direction::Ltr))
        } else {
            direction
        };
        let dir = dir.filter(|d| *d != Direction::Auto);
        let lang = lang.unwrap_or_else(|| language.clone());
        // The words the renderer writes (the byline, an image's placeholder) are in the
        // page's language.
        if prepared.doc.meta.language.is_none() && lang != bcp47::UNDETERMINED {
            prepared.doc.meta.language = Some(lang.clone());
        }
        let media = &stores[index];
        // One store serves both closures, so the images go through a cell.
        let store_cell = std::cell::RefCell::new(&mut store);
        let mut images = |src: &str| store_cell.borrow_mut().resolve(src, media, index);
        // A formula with nothing to draw stays MathML, which the manifest must then declare.
        let mathml_left = std::cell::Cell::new(false);
        let mut formulas = |math: &crate::model::Math| {
            let picture = store_cell.borrow_mut().math(math, &math_fonts);
            mathml_left.set(mathml_left.get() || picture.is_none());
            picture
        };
        let mut hooks = flavour.hooks(ChapterMarkup {
            images: &mut images,
            math: (epub.profile == Profile::Kindle).then_some(&mut formulas as _),
        });
        let (body, article_warnings) = html::render_article_with(&prepared.doc, &mut *hooks);
        drop(hooks);
        let body = flavour.body(body);
        warnings.extend(article_warnings);
        let mathml =
            prepared.doc.has_math() && (epub.profile != Profile::Kindle || mathml_left.get());
        chapters.push(Chapter {
            index,
            prepared,
            body,
            mathml,
            lang,
            dir,
        });
    }
    let labels = Labels::for_language(Some(&language));
    let book_title = if bundle {
        book_meta
            .title
            .as_deref()
            .map(|t| {
                xml_clean(&crate::model::collapse_whitespace(t))
                    .trim()
                    .to_string()
            })
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| labels.collected_articles.to_string())
    } else {
        chapters
            .first()
            .map(|c| c.prepared.title.clone())
            .unwrap_or_default()
    };

    // Cover first: a lead image comes through the same store as the chapters' images.
    let contents: Vec<String> = if bundle {
        chapters.iter().map(|c| c.prepared.title.clone()).collect()
    } else {
        Vec::new()
    };
    let cover = make_cover(
        epub,
        &options.pdf,
        &book_title,
        book_meta,
        &documents,
        &contents,
        labels,
        &stores,
        &mut warnings,
    );

    let mut builder = new_builder()?;
    let book_id = identifier(book_meta, &documents, bundle);
    set_metadata(
        &mut builder,
        book_id,
        book_meta,
        &book_title,
        &language,
        labels,
        options,
    );
    // The spine turns its pages leftwards in a right-to-left book, which its language may
    // say alone.
    if direction == Some(Direction::Rtl) {
        builder.epub_direction(PageDirection::Rtl);
        // The spine's direction comes from the metadata field; "rtl" is a valid value, so
        // this cannot fail.
        let _ = builder.metadata("direction", "rtl");
    }
    let mut css = content::STYLESHEET.to_string();
    if let Some(user) = &epub.css {
        css.push_str("\n/* user stylesheet */\n");
        if epub.profile == Profile::Kindle {
            css.push_str(&super::kindle::user_css(user));
        } else {
            css.push_str(user);
        }
        css.push('\n');
    }
    if epub.profile == Profile::Kindle {
        css.push_str(super::kindle::STYLESHEET);
    }
    // Every file quire makes goes into epub-builder empty, for its manifest; the bytes are
    // put in (deflated once, by one compressor) when the zip is rewritten. See `rezip`.
    let mut supplied: HashMap<String, (Cow<[u8]>, Method)> = HashMap::new();
    let mut supply = |file: &str, bytes: Vec<u8>| {
        supplied.insert(
            format!("OEBPS/{file}"),
            (Cow::Owned(bytes), Method::Deflated),
        );
    };
    builder.stylesheet(&[][..]).map_err(builder_error)?;
    supply("stylesheet.css", css.into_bytes());

    if let Some((_, kind)) = &cover {
        let path = format!("images/cover.{}", kind.extension());
        builder
            .add_cover_image(&path, &[][..], kind.media_type())
            .map_err(builder_error)?;
        let page = content::page(
            labels.cover,
            Some(&language),
            direction,
            Some("cover"),
            &flavour.body(content::cover_page_body(
                &path,
                labels,
                &mut *flavour.hooks(Plain { xhtml: true }),
            )),
        );
        builder
            .add_content(EpubContent::new("cover.xhtml", &[][..]))
            .map_err(builder_error)?;
        supply("cover.xhtml", page.into_bytes());
    }

    let title_meta;
    let title_page_meta = if bundle {
        book_meta
    } else {
        title_meta = documents
            .first()
            .map(|(doc, _)| &doc.meta)
            .unwrap_or(book_meta);
        title_meta
    };
    let title_body = content::title_page_body(
        title_page_meta,
        &book_title,
        bundle.then_some(chapters.len()),
        labels,
        &mut *flavour.hooks(Plain { xhtml: true }),
    );
    let title_body = flavour.body(title_body);
    let title_page = content::page(&book_title, Some(&language), direction, None, &title_body);
    // The contents and landmarks are quire's (see `nav`); epub-builder is told only what
    // its package document needs: each page, and the guide's references.
    let mut contents = nav::Contents::default();
    let mut landmarks: Vec<nav::Landmark> = Vec::new();
    contents.add("title.xhtml", labels.title_page, 1);
    landmarks.push(nav::Landmark {
        kind: "titlepage",
        href: "title.xhtml".into(),
        title: labels.title_page.into(),
    });
    builder
        .add_content(guided(
            "title.xhtml",
            ReferenceType::TitlePage,
            labels.title_page,
        ))
        .map_err(builder_error)?;
    supply("title.xhtml", title_page.into_bytes());

    let pages: Vec<String> = chapters
        .iter()
        .map(|chapter| {
            content::page(
                &chapter.prepared.title,
                Some(&chapter.lang),
                chapter.dir,
                None,
                &chapter.body,
            )
        })
        .collect();
    let book = match shape {
        Shape::Bundle(book) => Some(book),
        Shape::Single(_) => None,
    };
    for (index, (chapter, page)) in chapters.iter().zip(pages).enumerate() {
        // The chapter's contents entry: its title, shortened as every entry is.
        let title = xml_clean(&crate::prepare::toc::entry_text(&chapter.prepared.title));
        let file = chapter.prepared.file.as_str();
        // A part begins with its own page, listing its articles; its entry holds theirs.
        if let Some((number, section)) = book.and_then(|b| {
            let section = b.section_starting_at(index)?;
            Some((
                b.sections.iter().position(|s| std::ptr::eq(s, section))?,
                section,
            ))
        }) {
            let end = book
                .and_then(|b| b.sections.get(number + 1))
                .map_or(chapters.len(), |next| {
                    next.first_chapter.min(chapters.len())
                });
            let articles: Vec<(&str, &str)> = chapters[index..end]
                .iter()
                .map(|c| (c.prepared.file.as_str(), c.prepared.title.as_str()))
                .collect();
            let section_title = xml_clean(&crate::model::collapse_whitespace(&section.title));
            let part_file = format!("part-{}.xhtml", number + 1);
            let body = super::parts::part_body(
                &section_title,
                &articles,
                direction,
                &mut *flavour.hooks(Plain { xhtml: true }),
            );
            let page = content::page(
                &section_title,
                Some(&language),
                direction,
                None,
                &flavour.body(body),
            );
            let part_title = xml_clean(&crate::prepare::toc::entry_text(&section_title));
            contents.add(&part_file, &part_title, 1);
            let part = if index == 0 {
                landmarks.push(nav::Landmark {
                    kind: "bodymatter",
                    href: part_file.clone(),
                    title: part_title.clone(),
                });
                guided(&part_file, ReferenceType::Text, &part_title)
            } else {
                EpubContent::new(part_file.as_str(), &[][..])
            };
            builder.add_content(part).map_err(builder_error)?;
            supply(&part_file, page.into_bytes());
        }
        let in_section = book.is_some_and(|b| b.in_section(index));
        let level = if in_section { 2 } else { 1 };
        contents.add(file, &title, level);
        contents.add_headings(file, level, &chapter.prepared.toc, epub.toc_depth);
        let entry = if index == 0 && !in_section {
            landmarks.push(nav::Landmark {
                kind: "bodymatter",
                href: file.to_string(),
                title: title.clone(),
            });
            guided(file, ReferenceType::Text, &title)
        } else {
            EpubContent::new(file, &[][..])
        };
        builder.add_content(entry).map_err(builder_error)?;
        supply(&chapter.prepared.file, page.into_bytes());
    }

    if bundle {
        let entries: Vec<SourceEntry> = chapters
            .iter()
            .map(|c| SourceEntry {
                href: c.prepared.file.clone(),
                title: &c.prepared.title,
                meta: &documents[c.index].0.meta,
            })
            .collect();
        let page = content::page(
            labels.sources,
            Some(&language),
            direction,
            None,
            &flavour.body(content::sources_body(
                &entries,
                labels,
                direction,
                &mut *flavour.hooks(Plain { xhtml: true }),
            )),
        );
        contents.add("sources.xhtml", labels.sources, 1);
        landmarks.push(nav::Landmark {
            kind: "bibliography",
            href: "sources.xhtml".into(),
            title: labels.sources.into(),
        });
        builder
            .add_content(guided(
                "sources.xhtml",
                ReferenceType::Bibliography,
                labels.sources,
            ))
            .map_err(builder_error)?;
        supply("sources.xhtml", page.into_bytes());
    }

    for image in &store.images {
        builder
            .add_resource(&image.path, &[][..], image.media_type)
            .map_err(builder_error)?;
    }

    let identifier = book_id.urn().to_string();
    let nav_book = nav::Book {
        title: &book_title,
        identifier: &identifier,
        language: &language,
        direction,
        toc_name: labels.contents,
    };
    supply(
        "nav.xhtml",
        nav::nav_document(&contents, &landmarks, &nav_book).into_bytes(),
    );
    supply(
        "toc.ncx",
        nav::ncx_document(&contents, &nav_book).into_bytes(),
    );

    let mut zipped = Vec::new();
    builder.generate(&mut zipped).map_err(builder_error)?;
    let fixes = PackageFixes {
        metadata: extra_metadata(book_meta, &documents, bundle, !store.images.is_empty()),
        language: language.clone(),
        mathml_files: chapters
            .iter()
            .filter(|chapter| chapter.mathml)
            .map(|chapter| chapter.prepared.file.clone())
            .collect(),
    };
    // Images went in empty too; they are compressed already, so they are stored as they are.
    for image in &store.images {
        supplied.insert(
            format!("OEBPS/{}", image.path),
            (Cow::Borrowed(image.bytes.as_slice()), Method::Stored),
        );
    }
    if let Some((bytes, kind)) = &cover {
        supplied.insert(
            format!("OEBPS/images/cover.{}", kind.extension()),
            (Cow::Borrowed(bytes.as_slice()), Method::Stored),
        );
    }
    let bytes = rezip(zipped, modified_time(options), &fixes, &supplied)?;
    warnings.append(&mut store.warnings);
    Ok(Rendered { bytes, warnings })
}

/// The TeX of every formula of `document` (in paragraphs, headings and captions, where the
/// model has them).
fn formulas_of(document: &Document) -> Vec<String> {
    use crate::model::{Block, Inline};
    let mut found = Vec::new();
    crate::model::for_each_block(&document.blocks, &mut |block| {
        let inlines = match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } => inlines,
            Block::Figure(figure) => &figure.caption,
            Block::Table(table) => &table.caption,
            _ => return,
        };
        let mut stack: Vec<&[Inline]> = vec![inlines];
        while let Some(inlines) = stack.pop() {
            for inline in inlines {
                match inline {
                    Inline::Math(math) => found.push(math.tex_or_text()),
                    Inline::Emphasis(c)
                    | Inline::Strong(c)
                    | Inline::Strikethrough(c)
                    | Inline::Superscript(c)
                    | Inline::Subscript(c)
                    | Inline::Span { content: c, .. } => stack.push(c),
                    Inline::Link(link) => stack.push(&link.content),
                    Inline::Note(blocks) => {
                        found.extend(formulas_of(&Document::new(Meta::default(), blocks.clone())))
                    }
                    _ => {}
                }
            }
        }
    });
    found
}

fn new_builder() -> Result<EpubBuilder<ZipLibrary>> {
    let zip = ZipLibrary::new().map_err(builder_error)?;
    let mut builder = EpubBuilder::new(zip).map_err(builder_error)?;
    builder.epub_version(EpubVersion::V30);
    Ok(builder)
}

/// A page the package document's guide names (`reftype`), by `title`. Only such pages are
/// given a title: the contents are quire's own (`nav`), and epub-builder's are not used.
fn guided<'a>(file: &str, reftype: ReferenceType, title: &str) -> EpubContent<&'a [u8]> {
    EpubContent::new(file, &[][..])
        .title(title)
        .reftype(reftype)
}

fn builder_error(error: epub_builder::Error) -> Error {
    Error::Io(std::io::Error::other(format!("building the EPUB: {error}")))
}

/// A valid BCP 47 tag naming a real language (see [`bcp47::normalize`]), or `None`.
fn language_tag(tag: &str) -> Option<String> {
    bcp47::normalize(tag)
}

/// The book's language: the book's own, else the first chapter's that is a real language;
/// else the language the chapters' text is in. Kindle takes an undetermined language for
/// none and rejects the book, so under its profile the last resort is English, not `und`.
fn book_language(
    meta: &Meta,
    documents: &[(&Document, Option<&Path>)],
    profile: Profile,
) -> String {
    meta.language
        .as_deref()
        .and_then(language_tag)
        .or_else(|| {
            documents
                .iter()
                .find_map(|(d, _)| d.meta.language.as_deref().and_then(language_tag))
        })
        .filter(|tag| tag != bcp47::UNDETERMINED)
        .or_else(|| {
            documents
                .iter()
                .find_map(|(d, _)| crate::locale::detect_language(d))
        })
        .unwrap_or_else(|| match profile {
            Profile::Kindle => "en".to_string(),
            _ => bcp47::UNDETERMINED.to_string(),
        })
}

/// The direction of the book's own pages and of its spine, as [`book_language`] decides the
/// language: the one the book states; else, when the book names no language, the one stated
/// by the article whose language it takes (the first that names one, else the first); else
/// right to left when the book's language (`language`) is written so. A stated `auto`
/// leaves it to the reading system.
fn book_direction(
    meta: &Meta,
    documents: &[(&Document, Option<&Path>)],
    language: &str,
) -> Option<Direction> {
    let lead = || {
        documents
            .iter()
            .find(|(d, _)| d.meta.language.as_deref().and_then(language_tag).is_some())
            .or(documents.first())
            .and_then(|(d, _)| d.meta.direction)
    };
    let stated = meta.direction.or_else(|| {
        meta.language
            .as_deref()
            .and_then(language_tag)
            .is_none()
            .then(lead)
            .flatten()
    });
    match stated {
        Some(Direction::Auto) => None,
        Some(stated) => Some(stated),
        None => is_rtl_language(language).then_some(Direction::Rtl),
    }
}

/// A metadata value as the package can carry it: whitespace collapsed, characters XML forbids
/// dropped, trimmed; `None` when nothing is left (empty elements are invalid).
fn meta_text(value: &str) -> Option<String> {
    let clean = xml_clean(&crate::model::collapse_whitespace(value));
    let clean = clean.trim();
    (!clean.is_empty()).then(|| clean.to_string())
}

/// Dublin Core elements epub-builder has no setter for (publisher, source), written into the
/// package document when the zip is rewritten.
fn extra_metadata(
    meta: &Meta,
    documents: &[(&Document, Option<&Path>)],
    bundle: bool,
    has_images: bool,
) -> String {
    let mut elements: Vec<(&str, String)> = Vec::new();
    if let Some(site) = meta.site_name.as_deref().and_then(meta_text) {
        elements.push(("publisher", site));
    }
    let sources: Vec<String> = if bundle {
        documents
            .iter()
            .filter_map(|(d, _)| {
                d.meta
                    .source_url
                    .as_deref()
                    .and_then(content::safe_external_url)
            })
            .collect()
    } else {
        meta.source_url
            .as_deref()
            .and_then(content::safe_external_url)
            .into_iter()
            .collect()
    };
    elements.extend(sources.into_iter().map(|s| ("source", s)));
    let mut out = String::new();
    for (name, value) in elements {
        out.push_str("    <dc:");
        out.push_str(name);
        out.push('>');
        escape_text_into(&value, &mut out);
        out.push_str("</dc:");
        out.push_str(name);
        out.push_str(">\n");
    }
    // Accessibility metadata (schema.org, a reserved prefix in EPUB 3): what reading
    // systems and stores show about how the book can be read.
    let mut access = vec![("accessMode", "textual")];
    if has_images {
        access.push(("accessMode", "visual"));
    }
    access.extend([
        ("accessModeSufficient", "textual"),
        ("accessibilityFeature", "tableOfContents"),
        ("accessibilityFeature", "readingOrder"),
        ("accessibilityFeature", "structuralNavigation"),
        ("accessibilityHazard", "none"),
        (
            "accessibilitySummary",
            "Text with headings, a table of contents and linked footnotes.",
        ),
    ]);
    for (property, value) in access {
        out.push_str(&format!(
            "    <meta property=\"schema:{property}\">{value}</meta>\n"
        ));
    }
    out
}

fn set_metadata(
    builder: &mut EpubBuilder<ZipLibrary>,
    book_id: uuid::Uuid,
    meta: &Meta,
    title: &str,
    language: &str,
    labels: &Labels,
    options: &WriteOptions,
) {
    builder.set_title(xml_clean(title));
    builder.set_lang(language);
    builder.set_generator("quire");
    builder.set_toc_name(labels.contents);
    builder.set_uuid(book_id);
    builder.set_modified_date(modified_datetime(options));
    let mut authors: Vec<String> = Vec::new();
    for author in meta.authors.iter().filter_map(|a| meta_text(a)) {
        if !authors.contains(&author) {
            authors.push(author);
        }
    }
    builder.set_authors(authors);
    if let Some(description) = meta.description.as_deref().and_then(meta_text) {
        builder.add_description(description);
    }
    for keyword in meta.keywords.iter().filter_map(|k| meta_text(k)) {
        builder.add_subject(keyword);
    }
    if let Some(published) = meta.published.and_then(|date| date.instant()) {
        builder.set_publication_date(published);
    }
}

/// A stable identifier: from the source URL when there is one, else from the content, so the
/// same article always gets the same id (readers use it to keep reading positions).
fn identifier(meta: &Meta, documents: &[(&Document, Option<&Path>)], bundle: bool) -> uuid::Uuid {
    let mut seed = String::from("quire-epub\n");
    if bundle {
        seed.push_str(meta.title.as_deref().unwrap_or(""));
        seed.push('\n');
    }
    for (doc, _) in documents {
        match doc
            .meta
            .source_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(url) => {
                seed.push_str("url:");
                seed.push_str(url);
            }
            None => {
                seed.push_str("content:");
                seed.push_str(&serde_json::to_string(doc).unwrap_or_default());
            }
        }
        seed.push('\n');
    }
    let hash = fnv1a_128(seed.as_bytes());
    uuid::Builder::from_custom_bytes(hash.to_be_bytes()).into_uuid()
}

fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash = OFFSET;
    for &byte in bytes {
        hash ^= u128::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    hash
}

fn modified_seconds(options: &WriteOptions) -> i64 {
    options.timestamp.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)
    })
}

fn modified_datetime(options: &WriteOptions) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(modified_seconds(options), 0).unwrap_or_default()
}

/// The zip entry time for every file (zip times run from 1980 to 2107).
fn modified_time(options: &WriteOptions) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    let time = modified_datetime(options);
    zip::DateTime::from_date_and_time(
        time.year().clamp(1980, 2107) as u16,
        time.month() as u8,
        time.day() as u8,
        time.hour() as u8,
        time.minute() as u8,
        time.second() as u8,
    )
    .unwrap_or_default()
}

/// What epub-builder's package document leaves out, added when the zip is rewritten.
struct PackageFixes {
    /// Dublin Core elements for the package metadata (publisher, sources).
    metadata: String,
    /// The book's language (a BCP 47 tag, already escaped-safe), which the package element
    /// must state too (DAISY Ace counts its absence as serious).
    language: String,
    /// The chapter files that hold MathML, whose manifest items EPUB 3 requires to say so
    /// (`properties="mathml"`); epub-builder has no way to set it.
    mathml_files: Vec<String>,
}

impl PackageFixes {
    fn package(&self, mut opf: String) -> String {
        if let Some(at) = opf.find("  </metadata>") {
            opf.insert_str(at, &self.metadata);
        }
        for file in &self.mathml_files {
            let mut href = String::new();
            escape_text_into(file, &mut href);
            let Some(at) = opf.find(&format!(" href=\"{href}\"")) else {
                continue;
            };
            if let Some(item) = opf[..at].rfind("<item ") {
                opf.insert_str(item + "<item ".len(), "properties=\"mathml\" ");
            }
        }
        let mut lang = String::new();
        escape_text_into(&self.language, &mut lang);
        opf.replacen("<package ", &format!("<package xml:lang=\"{lang}\" "), 1)
    }
}

/// Copies every entry of epub-builder's zip into the book's zip (`archive`) with one fixed
/// modification time (epub-builder stamps entries with the current time), in the same order
/// (`mimetype` first and stored): entries named in `supplied` get those bytes (they went into
/// epub-builder empty, or epub-builder wrote its own: the NCX and the navigation document),
/// the package document gets its [`PackageFixes`], and the rest is copied compressed as it
/// is.
fn rezip(
    zipped: Vec<u8>,
    time: zip::DateTime,
    fixes: &PackageFixes,
    supplied: &HashMap<String, (Cow<[u8]>, Method)>,
) -> Result<Vec<u8>> {
    let zip_error = |e: zip::result::ZipError| {
        Error::Io(std::io::Error::other(format!("writing the EPUB zip: {e}")))
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(zipped)).map_err(zip_error)?;
    let mut out = ZipOut::new(time);
    let mut raw = Vec::new();
    for index in 0..archive.len() {
        let name = archive
            .name_for_index(index)
            .unwrap_or_default()
            .to_string();
        if let Some((bytes, method)) = supplied.get(&name) {
            out.add(&name, bytes, *method)?;
            continue;
        }
        match name.as_str() {
            "OEBPS/content.opf" => {
                let mut text = String::new();
                archive
                    .by_index(index)
                    .map_err(zip_error)?
                    .read_to_string(&mut text)?;
                out.add(&name, fixes.package(text).as_bytes(), Method::Deflated)?;
            }
            _ => {
                let mut file = archive.by_index_raw(index).map_err(zip_error)?;
                let method = match file.compression() {
                    zip::CompressionMethod::Stored => Method::Stored,
                    zip::CompressionMethod::Deflated => Method::Deflated,
                    other => {
                        return Err(Error::Io(std::io::Error::other(format!(
                            "writing the EPUB zip: epub-builder wrote {name} as {other}"
                        ))))
                    }
                };
                let (crc, size) = (file.crc32(), file.size());
                raw.clear();
                file.read_to_end(&mut raw)?;
                out.add_raw(&name, method, crc, size, &raw)?;
            }
        }
    }
    Ok(out.finish()?)
}

/// The cover's bytes and kind, or `None` for no cover. Failures fall back to the generated
/// cover, with a warning.
#[allow(clippy::too_many_arguments)]
fn make_cover(
    epub: &EpubOptions,
    fonts: &crate::write::pdf::PdfOptions,
    title: &str,
    meta: &Meta,
    documents: &[(&Document, Option<&Path>)],
    contents: &[String],
    labels: &Labels,
    stores: &[Arc<MediaStore>],
    warnings: &mut Vec<Warning>,
) -> Option<(Vec<u8>, ImageKind)> {
    let (width, height) = epub.profile.screen();
    let chosen: Option<std::result::Result<(Vec<u8>, ImageKind), String>> = match &epub.cover {
        CoverChoice::None => return None,
        CoverChoice::Generated => None,
        CoverChoice::LeadImage => {
            // The book's own lead image, else the first chapter's that has one; it is in that
            // chapter's store (a book's own, in the first chapter's).
            let lead = meta.lead_image.as_deref().map(|src| (src, 0)).or_else(|| {
                documents
                    .iter()
                    .enumerate()
                    .find_map(|(i, (d, _))| d.meta.lead_image.as_deref().map(|src| (src, i)))
            });
            // None declared: the first real picture of the articles, in order.
            let picture = || {
                documents
                    .iter()
                    .zip(stores)
                    .find_map(|((document, _), store)| {
                        store.first_picture(document).map(|image| {
                            image
                                .bytes()
                                .map(|bytes| (bytes.into_owned(), image.kind()))
                        })
                    })
            };
            Some(match lead {
                None => picture().unwrap_or_else(|| {
                    Err("the document names no lead image and has no picture to use".to_string())
                }),
                Some((src, index)) => match stores.get(index).and_then(|s| s.get(src)) {
                    Some(media::Media::Image(image)) => image
                        .bytes()
                        .map(|bytes| (bytes.into_owned(), image.kind())),
                    Some(media::Media::Link(_)) => Err("the lead image was not fetched".into()),
                    Some(media::Media::Missing) | None => {
                        Err("the lead image could not be had".to_string())
                    }
                },
            })
        }
        CoverChoice::File(path) => Some(read_cover_file(path)),
    };
    if let Some(loaded) = chosen {
        let fitted = loaded.and_then(|(bytes, kind)| images::cover_from(&bytes, kind, epub));
        match fitted {
            Ok(cover) => return Some(cover),
            Err(reason) => warnings.push(Warning::new(format!(
                "cover image not used ({reason}); a cover was generated instead"
            ))),
        }
    }
    let text = CoverText {
        title,
        meta,
        contents,
        labels,
    };
    let extra = cover::fonts_for(&text, fonts, warnings);
    let (drawn, missing) = cover::generate_with(&text, width, height, &extra);
    let missing: std::collections::BTreeSet<char> = missing.into_iter().collect();
    warnings.extend(
        crate::write::fonts::scan::missing_warnings(&missing, meta.language.as_deref())
            .into_iter()
            .map(|w| Warning::new(format!("cover: {w}"))),
    );
    match drawn.to_png(epub.grayscale) {
        Ok(bytes) => Some((bytes, ImageKind::Png)),
        Err(reason) => {
            warnings.push(Warning::new(format!("no cover: {reason}")));
            None
        }
    }
}

fn read_cover_file(path: &Path) -> std::result::Result<(Vec<u8>, ImageKind), String> {
    let bytes = media::read_capped(path)?;
    let kind = ImageKind::sniff(&bytes)
        .ok_or_else(|| format!("{}: not a PNG, JPEG, GIF or WebP image", path.display()))?;
    Ok((bytes, kind))
}

/// One media store per chapter of a bundle, each loaded from its own folder (or page), all
/// from one source, so the budget and the deadline for downloads are the book's. A chapter
/// read from the web downloads its remote images whatever [`WriteOptions::fetch_images`]
/// says (from private addresses too when its page came from one). [`WriteOptions::media`] is
/// for one document and is not used here.
fn chapter_stores(
    book: &Book,
    documents: &[(&Document, Option<&Path>)],
    options: &WriteOptions,
    warnings: &mut Vec<Warning>,
) -> Vec<Arc<MediaStore>> {
    let origin = |i: usize| book.origins.get(i).copied().unwrap_or_default();
    let fetching = options.fetch_images
        || (0..documents.len()).any(|i| matches!(origin(i), ChapterOrigin::Web { .. }));
    let source = StandardSource::new(fetching.then(|| options.remote_images.clone()));
    let lead_cover = options.epub.cover == CoverChoice::LeadImage;
    let mut tally = Tally::default();
    let stores = documents
        .iter()
        .enumerate()
        .map(|(i, (doc, dir))| {
            let (fetch_remote, private) = match origin(i) {
                ChapterOrigin::Web { private } => (true, private),
                ChapterOrigin::Local => (options.fetch_images, false),
            };
            let policy = LoadPolicy {
                resource_dir: dir.map(Path::to_path_buf),
                fetch_remote,
                allow_private: private || options.remote_images.allow_private,
                lead_image: lead_cover,
            };
            let extra = book
                .meta
                .lead_image
                .as_deref()
                .filter(|_| lead_cover && i == 0);
            Arc::new(MediaStore::load_counted(
                doc, extra, &source, &policy, &mut tally,
            ))
        })
        .collect();
    warnings.extend(tally.into_warnings());
    stores
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_are_checked() {
        assert_eq!(language_tag("pt_BR").as_deref(), Some("pt-BR"));
        assert_eq!(language_tag("en").as_deref(), Some("en"));
        assert_eq!(language_tag("english"), None);
        assert_eq!(language_tag("e n"), None);
    }
}
