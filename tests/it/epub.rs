//! The EPUB writer, checked by real clients: EPUBCheck for validity, pandoc for reading the
//! text back, and the zip itself for structure and determinism.
//!
//! When epubcheck (java) or pandoc is missing, a test prints a loud skip line and passes,
//! except under CI (env `CI` set), where it fails.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::support::png_bytes;
use quire::model::{Alignment, Attr, Cell, Figure, Image, List, Row, Table};
use quire::write::epub::{write_book, Book, CoverChoice, Profile};
use quire::{Block, Document, Inline, Meta, OutputFormat, WriteOptions};

const EPUBCHECK_JAR: &str = "/usr/share/java/epubcheck.jar";

fn text(s: &str) -> Inline {
    Inline::text(s)
}

fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(inlines)
}

fn heading(level: u8, id: &str, s: &str) -> Block {
    Block::Heading {
        level,
        id: id.into(),
        content: vec![text(s)],
    }
}

fn full_meta() -> Meta {
    Meta {
        title: Some("Rich & <odd> \"document\" — Ünïcödé".into()),
        subtitle: Some("Every kind of block".into()),
        authors: vec!["Ann Author".into(), "Bob <Writer>".into()],
        published: quire::model::Date::parse_iso("2024-05-01T10:00:00Z"),
        modified: quire::model::Date::parse_iso("2024-05-03"),
        language: Some("en".into()),
        direction: None,
        site_name: Some("Example & Co".into()),
        source_url: Some("https://example.com/articles/rich?x=1&y=2".into()),
        description: Some("A document with everything in it.".into()),
        lead_image: Some("img/pic.png".into()),
        keywords: vec!["testing".into(), "e-books".into()],
    }
}

/// Every block and inline kind, notes, a table with spans, odd characters, ids that start
/// with digits or repeat, and an image.
pub(crate) fn rich_document() -> Document {
    let mut wide = Cell::from_inlines(vec![text("spans two")]);
    wide.colspan = 2;
    let mut tall = Cell::from_inlines(vec![text("spans rows")]);
    tall.rowspan = 2;
    let table = Table {
        caption: vec![text("A table")],
        alignments: vec![Alignment::Left, Alignment::Center, Alignment::Right],
        head: vec![Row {
            cells: vec![wide, Cell::from_inlines(vec![text("H3")])],
        }],
        body: vec![
            Row {
                cells: vec![
                    tall,
                    Cell::from_inlines(vec![text("b1")]),
                    Cell::from_inlines(vec![text("c1")]),
                ],
            },
            Row {
                cells: vec![
                    Cell::from_inlines(vec![text("b2")]),
                    Cell::from_inlines(vec![]),
                ],
            },
        ],
    };
    let blocks = vec![
        heading(1, "1-introduction", "Introduction"),
        para(vec![
            text("Plain words alpha, "),
            Inline::Emphasis(vec![text("emphasis")]),
            text(", "),
            Inline::Strong(vec![text("strong")]),
            text(", "),
            Inline::Strikethrough(vec![text("struck")]),
            text(", x"),
            Inline::Superscript(vec![text("2")]),
            text(", H"),
            Inline::Subscript(vec![text("2")]),
            text("O, "),
            Inline::Code("a < b && c".into()),
            text(", a "),
            Inline::Link(Box::new(quire::model::Link {
                url: "https://example.org/x?a=1&b=\"2\"".into(),
                title: Some("A \"title\"".into()),
                content: vec![text("link")],
            })),
            text(", an inner "),
            Inline::Link(Box::new(quire::model::Link {
                url: "#2024-plan".into(),
                title: None,
                content: vec![text("jump")],
            })),
            text(", a broken "),
            Inline::Link(Box::new(quire::model::Link {
                url: "#nowhere".into(),
                title: None,
                content: vec![text("fragment")],
            })),
            text(", a relative "),
            Inline::Link(Box::new(quire::model::Link {
                url: "../other page.html".into(),
                title: None,
                content: vec![text("page")],
            })),
            text(", a script "),
            Inline::Link(Box::new(quire::model::Link {
                url: "javascript:alert(1)".into(),
                title: None,
                content: vec![text("script")],
            })),
            text(" and a note"),
            Inline::Note(vec![para(vec![
                text("The note text beta."),
                Inline::Note(vec![para(vec![text("A nested note.")])]),
            ])]),
            text("."),
            Inline::LineBreak,
            text("Odd: \u{1}control, \u{FFFF} nonchar, <tag> & \"quotes\" ]]> -- --> 'apos'"),
        ]),
        heading(2, "2024-plan", "The 2024 plan"),
        para(vec![
            text("Gamma with an inline image "),
            Inline::Image(Box::new(Image {
                src: "img/pic.png".into(),
                alt: "a picture".into(),
                title: Some("Pic".into()),
                ..Default::default()
            })),
            text(" and a span "),
            Inline::Span {
                attr: Box::new(Attr {
                    id: "42".into(),
                    ..Attr::default()
                }),
                content: vec![text("spanned")],
            },
            text("."),
        ]),
        heading(2, "2024-plan", "The 2024 plan again"),
        Block::Quote(vec![
            para(vec![text("Quoted delta.")]),
            Block::Quote(vec![para(vec![text("Nested quote.")])]),
        ]),
        Block::List(List {
            checked: Default::default(),
            ordered: false,
            start: 1,
            tight: true,
            items: vec![
                vec![para(vec![text("bullet one")])],
                vec![
                    para(vec![text("bullet two")]),
                    Block::List(List {
                        checked: Default::default(),
                        ordered: true,
                        start: 3,
                        tight: false,
                        items: vec![vec![para(vec![text("numbered three")])]],
                    }),
                ],
                vec![],
            ],
        }),
        Block::Code {
            language: Some("rust\"><script>".into()),
            text: "fn main() {\n    println!(\"<hi>\");\n}".into(),
        },
        Block::Table(Box::new(table)),
        Block::Figure(Box::new(Figure {
            image: Image {
                src: "img/pic.png".into(),
                alt: "the figure".into(),
                title: None,
                ..Default::default()
            },
            caption: vec![
                text("A caption with "),
                Inline::Emphasis(vec![text("style")]),
            ],
        })),
        Block::Rule,
        Block::Container {
            attr: Box::new(Attr {
                id: "42".into(),
                classes: vec!["box".into()],
                attributes: vec![("data-x".into(), "1".into())],
            }),
            blocks: vec![heading(3, "", "Inside a box"), para(vec![text("Epsilon.")])],
        },
        heading(6, "deep", "A deep heading"),
        para(vec![text("The end omega.")]),
    ];
    Document::new(full_meta(), blocks)
}

/// A folder holding `img/pic.png`, and a `secret.png` beside (outside) it.
pub(crate) fn article_dir() -> (tempfile::TempDir, PathBuf) {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("article");
    std::fs::create_dir_all(dir.join("img")).unwrap();
    std::fs::write(dir.join("img/pic.png"), png_bytes(40, 30)).unwrap();
    std::fs::write(root.path().join("secret.png"), png_bytes(8, 8)).unwrap();
    (root, dir)
}

pub(crate) fn options(dir: Option<&Path>) -> WriteOptions {
    WriteOptions {
        resource_dir: dir.map(Path::to_path_buf),
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    }
}

fn write_epub(doc: &Document, options: &WriteOptions) -> quire::Rendered {
    quire::write(doc, OutputFormat::Epub, options).expect("EPUB written")
}

/// With `QUIRE_EPUB_OUT=DIR`, books the tests make are kept there to look at.
fn keep(bytes: &[u8], label: &str) {
    if let Some(dir) = std::env::var_os("QUIRE_EPUB_OUT") {
        let _ = std::fs::write(Path::new(&dir).join(format!("{label}.epub")), bytes);
    }
}

/// Is the tool there? If not: skip loudly, or fail under CI.
fn have_tool(name: &str, present: bool) -> bool {
    if present {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{name} is required under CI but is not installed");
    }
    eprintln!("!!!!! SKIPPED: {name} is not installed; this check did not run !!!!!");
    false
}

fn java_epubcheck_available() -> bool {
    Path::new(EPUBCHECK_JAR).exists()
        && Command::new("java")
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success())
}

/// Runs EPUBCheck; asserts a clean report. Returns false when skipped.
pub(crate) fn assert_epubcheck_clean(bytes: &[u8], label: &str) -> bool {
    keep(bytes, label);
    if !have_tool("epubcheck (java)", java_epubcheck_available()) {
        return false;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{label}.epub"));
    std::fs::write(&path, bytes).unwrap();
    let output = Command::new("java")
        .args(["-jar", EPUBCHECK_JAR])
        .arg(&path)
        .output()
        .expect("epubcheck runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success() && report.contains("No errors or warnings detected."),
        "epubcheck on {label}:\n{report}"
    );
    true
}

/// The files in the zip, in order, with their contents.
pub(crate) fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().to_string(), content)
        })
        .collect()
}

pub(crate) fn file_text(files: &[(String, Vec<u8>)], name: &str) -> String {
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} in the book"));
    String::from_utf8(bytes.clone()).unwrap()
}

#[test]
fn rich_document_is_valid_epub() {
    let (_root, dir) = article_dir();
    let rendered = write_epub(&rich_document(), &options(Some(&dir)));
    // The HTML writer, which renders the chapters, reports the script link it left out.
    let messages: Vec<&str> = rendered
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(messages, ["dropped an unsafe link: javascript:alert(1)"]);
    let files = unzip(&rendered.bytes);
    assert_eq!(files[0].0, "mimetype");
    assert_eq!(files[0].1, b"application/epub+zip");

    let chapter = file_text(&files, "OEBPS/chapter-1.xhtml");
    // The HTML writer's article: the title in the header, body headings at their own levels
    // (never skipping one), ids made XML names by the preparation stage; a repeated id is
    // renamed, so the second heading keeps an id (and its entry in the table of contents).
    assert!(chapter.contains(
        "<header class=\"article-header\">\n<h1>Rich &amp; &lt;odd&gt; \"document\" — Ünïcödé</h1>"
    ));
    assert!(chapter.contains("<h1 id=\"id-1-introduction\">Introduction</h1>"));
    assert!(chapter.contains("<h2 id=\"id-2024-plan\">The 2024 plan</h2>"));
    assert!(chapter.contains("<h2 id=\"id-2024-plan-1\">The 2024 plan again</h2>"));
    assert!(
        chapter.contains("<a href=\"#id-2024-plan\">jump</a>"),
        "{chapter}"
    );
    // A link to a fragment that names nothing keeps its text, without the link.
    assert!(chapter.contains(", a broken fragment, a relative "));
    assert!(chapter.contains("<a href=\"https://example.com/other%20page.html\">page</a>"));
    assert!(chapter.contains(", a script script and a note"));
    assert!(chapter.contains(
        "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" role=\"doc-noteref\" epub:type=\"noteref\">1</a></sup>"
    ));
    assert!(chapter.contains(
        "<section class=\"footnotes\" epub:type=\"endnotes\" role=\"doc-endnotes\">\n<aside id=\"fn-1\" epub:type=\"footnote\" role=\"doc-footnote\"><p>The note text beta."
    ));
    assert!(chapter.contains(
        "<aside id=\"fn-2\" epub:type=\"footnote\" role=\"doc-footnote\"><p>A nested note. <a href=\"#fnref-2\" class=\"footnote-back\" role=\"doc-backlink\">↩</a></p></aside>"
    ));
    assert!(chapter.contains("<img src=\"images/image-1.png\" alt=\"a picture\" title=\"Pic\" />"));
    assert!(chapter.contains("<th colspan=\"2\" style=\"text-align: left;\">spans two</th>"));
    assert!(chapter.contains("<td rowspan=\"2\" style=\"text-align: left;\">spans rows</td>"));
    assert!(!chapter.contains('\u{1}'));
    assert!(chapter.contains("class=\"language-rustscript\""));

    let opf = file_text(&files, "OEBPS/content.opf");
    for expected in [
        "<dc:title>Rich &amp; &lt;odd&gt; \"document\" — Ünïcödé</dc:title>",
        "<dc:language>en</dc:language>",
        ">Bob &lt;Writer&gt;</dc:creator>",
        "<dc:date>2024-05-01T10:00:00Z</dc:date>",
        "<dc:publisher>Example &amp; Co</dc:publisher>",
        "<dc:source>https://example.com/articles/rich?x=1&amp;y=2</dc:source>",
        "<dc:subject>e-books</dc:subject>",
        "<dc:description>A document with everything in it.</dc:description>",
        "<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>",
        "properties=\"cover-image\"",
        "<meta property=\"schema:accessMode\">visual</meta>",
    ] {
        assert!(
            opf.contains(expected),
            "content.opf lacks {expected}:\n{opf}"
        );
    }
    let nav = file_text(&files, "OEBPS/nav.xhtml");
    assert!(nav.contains("chapter-1.xhtml#id-1-introduction"));
    assert!(nav.contains("chapter-1.xhtml#id-2024-plan\""));
    assert!(nav.contains("chapter-1.xhtml#id-2024-plan-1\""));
    assert!(
        !nav.contains("#deep"),
        "toc_depth 2 leaves out deeper headings"
    );
    let ncx = file_text(&files, "OEBPS/toc.ncx");
    assert!(ncx.contains("The 2024 plan"));
    assert!(ncx.contains("<meta name=\"dtb:uid\" content=\"urn:uuid:"));
    assert!(ncx.contains("<meta name=\"dtb:depth\" content=\"3\" />"));
    assert!(ncx.contains("<docTitle>\n    <text>Rich &amp; &lt;odd&gt;"));
    let title = file_text(&files, "OEBPS/title.xhtml");
    assert!(title.contains("href=\"https://example.com/articles/rich?x=1&amp;y=2\""));

    assert_epubcheck_clean(&rendered.bytes, "rich");
}

#[test]
fn title_only_document_is_valid_epub() {
    let doc = Document::new(
        Meta {
            title: Some("Only a title".into()),
            ..Meta::default()
        },
        vec![],
    );
    let rendered = write_epub(&doc, &options(None));
    let files = unzip(&rendered.bytes);
    assert!(file_text(&files, "OEBPS/content.opf").contains("<dc:language>und</dc:language>"));
    assert_epubcheck_clean(&rendered.bytes, "title-only");

    // Right to left.
    let rtl = Document::new(
        Meta {
            title: Some("שלום עולם".into()),
            language: Some("he".into()),
            direction: Some(quire::model::Direction::Rtl),
            ..Meta::default()
        },
        vec![para(vec![text("מילים.")])],
    );
    let rendered = write_epub(&rtl, &options(None));
    let files = unzip(&rendered.bytes);
    assert!(file_text(&files, "OEBPS/content.opf").contains("page-progression-direction=\"rtl\""));
    assert!(file_text(&files, "OEBPS/chapter-1.xhtml").contains("dir=\"rtl\""));
    assert_epubcheck_clean(&rendered.bytes, "rtl");

    // No title, no content at all: still a valid book.
    let empty = write_epub(&Document::default(), &options(None));
    assert!(file_text(&unzip(&empty.bytes), "OEBPS/content.opf")
        .contains("<dc:title>Untitled</dc:title>"));
    assert_epubcheck_clean(&empty.bytes, "empty");
}

#[test]
fn missing_and_escaping_images_are_reported_and_replaced_by_alt_text() {
    let (_root, dir) = article_dir();
    let image = |src: &str, alt: &str| {
        Block::Figure(Box::new(Figure {
            image: Image {
                src: src.into(),
                alt: alt.into(),
                title: None,
                ..Default::default()
            },
            caption: vec![],
        }))
    };
    let doc = Document::new(
        Meta {
            title: Some("Images".into()),
            ..Meta::default()
        },
        vec![
            image("missing.png", "missing alt"),
            image("../secret.png", "secret alt"),
            image("../../secret.png", "far alt"),
            image("/etc/passwd", "passwd alt"),
            image("https://example.com/remote.png", "remote alt"),
            para(vec![text("Words.")]),
        ],
    );
    let rendered = write_epub(&doc, &options(Some(&dir)));
    let messages: Vec<String> = rendered
        .warnings
        .iter()
        .map(|w| w.message.clone())
        .collect();
    assert_eq!(messages.len(), 5, "{messages:?}");
    assert!(messages
        .iter()
        .any(|m| m.starts_with("1 remote image left as links")));
    assert!(messages.iter().any(|m| m.contains("missing.png")));
    assert!(messages
        .iter()
        .any(|m| m.contains("secret.png") && m.contains("outside")));
    let files = unzip(&rendered.bytes);
    assert!(
        !files.iter().any(|(n, _)| n.contains("image-")),
        "nothing embedded"
    );
    let chapter = file_text(&files, "OEBPS/chapter-1.xhtml");
    assert!(chapter.contains("<span class=\"image-alt\">missing alt</span>"));
    assert!(chapter.contains("<span class=\"image-alt\">secret alt</span>"));
    assert!(chapter
        .contains("<a class=\"image-alt\" href=\"https://example.com/remote.png\">remote alt</a>"));
    assert_epubcheck_clean(&rendered.bytes, "missing-images");
}

/// Images are looked up as the model names them, and written as a URL must be: a local
/// picture with a space and a `^` in its name is embedded (it was "not in the media store":
/// the lookup used the written, percent-encoded name), and a remote one's link is written
/// encoded.
#[test]
fn images_whose_names_must_be_encoded_are_found_and_written_encoded() {
    let (_root, dir) = article_dir();
    std::fs::write(dir.join("img/Screen Shot ^1.png"), png_bytes(24, 12)).unwrap();
    let image = |src: &str, alt: &str| {
        Inline::Image(Box::new(Image {
            src: src.into(),
            alt: alt.into(),
            ..Default::default()
        }))
    };
    let doc = Document::new(
        Meta {
            title: Some("Encoded names".into()),
            ..Meta::default()
        },
        vec![para(vec![
            text("Shot: "),
            image("img/Screen Shot ^1.png", "shot"),
            text(" and badge "),
            image(
                "https://img.example.org/badge/rustc-^1.37.svg",
                "rustc ^1.37",
            ),
        ])],
    );
    let rendered = write_epub(&doc, &options(Some(&dir)));
    let messages: Vec<&str> = rendered
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        messages,
        ["1 remote image left as links (not downloaded; --fetch-images embeds them)"]
    );
    let files = unzip(&rendered.bytes);
    let chapter = file_text(&files, "OEBPS/chapter-1.xhtml");
    assert!(chapter.contains("<img src=\"images/"), "{chapter}");
    assert!(
        chapter.contains(
            "<a class=\"image-alt\" href=\"https://img.example.org/badge/rustc-%5E1.37.svg\">rustc ^1.37</a>"
        ),
        "{chapter}"
    );
    assert_epubcheck_clean(&rendered.bytes, "encoded-image-names");
}

/// The `<html …>` start tag of a page in the book.
fn html_tag(files: &[(String, Vec<u8>)], name: &str) -> String {
    let page = file_text(files, name);
    let start = page
        .find("<html")
        .unwrap_or_else(|| panic!("<html> in {name}"));
    let end = start + page[start..].find('>').unwrap();
    page[start..=end].to_string()
}

/// An article in Arabic, stating its language and no direction.
fn arabic_article() -> Document {
    Document::new(
        Meta {
            title: Some("مقال عن البحر".into()),
            authors: vec!["ليلى حسن".into()],
            language: Some("ar".into()),
            source_url: Some("https://ar.example/sea".into()),
            ..Meta::default()
        },
        vec![
            heading(2, "waves", "الأمواج"),
            para(vec![text(
                "في الشتاء يهدأ الميناء، وتبقى السفن عند الأرصفة حتى يبدأ الموسم الجديد.",
            )]),
        ],
    )
}

#[test]
fn an_arabic_article_has_its_contents_and_cover_right_to_left() {
    let rendered = write_epub(&arabic_article(), &options(None));
    let files = unzip(&rendered.bytes);
    for page in [
        "OEBPS/cover.xhtml",
        "OEBPS/nav.xhtml",
        "OEBPS/title.xhtml",
        "OEBPS/chapter-1.xhtml",
    ] {
        let tag = html_tag(&files, page);
        assert!(
            tag.contains(" dir=\"rtl\"") && tag.contains(" lang=\"ar\""),
            "{page}: {tag}"
        );
    }
    assert!(file_text(&files, "OEBPS/content.opf").contains("page-progression-direction=\"rtl\""));
    assert_epubcheck_clean(&rendered.bytes, "arabic-article");

    // No language stated: the one the text is in decides, as it decides the book's.
    let mut unstated = arabic_article();
    unstated.meta.language = None;
    unstated
        .blocks
        .push(para(vec![Inline::Image(Box::new(Image {
            src: "https://example.com/sea.jpg".into(),
            ..Default::default()
        }))]));
    let files = unzip(&write_epub(&unstated, &options(None)).bytes);
    assert!(file_text(&files, "OEBPS/content.opf").contains("<dc:language>ar</dc:language>"));
    assert!(file_text(&files, "OEBPS/content.opf").contains("page-progression-direction=\"rtl\""));
    for page in ["OEBPS/nav.xhtml", "OEBPS/chapter-1.xhtml"] {
        assert!(html_tag(&files, page).contains(" dir=\"rtl\""), "{page}");
    }
    // The chapter's words are in that language too, as its page says.
    let chapter = file_text(&files, "OEBPS/chapter-1.xhtml");
    assert!(
        chapter.contains("<p class=\"byline\">بقلم ليلى حسن</p>"),
        "{chapter}"
    );
    assert!(chapter.contains(">صورة</a>"), "{chapter}");
}

#[test]
fn a_bundle_led_by_an_arabic_article_is_right_to_left_and_each_chapter_keeps_its_own() {
    let mut book = Book::new(Meta {
        title: Some("قراءات".into()),
        ..Meta::default()
    });
    book.push(arabic_article(), None);
    let english = bundle().chapters.remove(0);
    book.push(english, None);
    let mut hebrew = arabic_article();
    hebrew.meta.language = Some("he".into());
    hebrew.meta.source_url = Some("https://he.example/sea".into());
    book.push(hebrew, None);
    let rendered = write_book(&book, &options(None)).unwrap();
    let files = unzip(&rendered.bytes);
    // The book is in its first article's language, and its own pages follow it.
    for page in [
        "OEBPS/cover.xhtml",
        "OEBPS/nav.xhtml",
        "OEBPS/title.xhtml",
        "OEBPS/sources.xhtml",
        "OEBPS/chapter-1.xhtml",
    ] {
        let tag = html_tag(&files, page);
        assert!(
            tag.contains(" dir=\"rtl\"") && tag.contains(" lang=\"ar\""),
            "{page}: {tag}"
        );
    }
    assert!(file_text(&files, "OEBPS/content.opf").contains("page-progression-direction=\"rtl\""));
    // The English article stays left to right, the Hebrew one right to left.
    let english = html_tag(&files, "OEBPS/chapter-2.xhtml");
    assert!(
        english.contains(" lang=\"en\"") && english.contains(" dir=\"ltr\""),
        "{english}"
    );
    let hebrew = html_tag(&files, "OEBPS/chapter-3.xhtml");
    assert!(
        hebrew.contains(" lang=\"he\"") && hebrew.contains(" dir=\"rtl\""),
        "{hebrew}"
    );
    assert_epubcheck_clean(&rendered.bytes, "arabic-bundle");

    // Led by an English article, the book is left to right; its Arabic chapter is not.
    let mut book = Book::new(Meta::default());
    book.push(bundle().chapters.remove(0), None);
    book.push(arabic_article(), None);
    let files = unzip(&write_book(&book, &options(None)).unwrap().bytes);
    assert!(!file_text(&files, "OEBPS/content.opf").contains("page-progression-direction=\"rtl\""));
    for page in [
        "OEBPS/nav.xhtml",
        "OEBPS/title.xhtml",
        "OEBPS/sources.xhtml",
    ] {
        assert!(!html_tag(&files, page).contains(" dir="), "{page}");
    }
    assert!(html_tag(&files, "OEBPS/chapter-2.xhtml").contains(" dir=\"rtl\""));

    // A direction the leading article states (its page's `dir`) leads as its language does,
    // as a single article's does.
    let mut stated = bundle().chapters.remove(0);
    stated.meta.direction = Some(quire::model::Direction::Rtl);
    let mut book = Book::new(Meta::default());
    book.push(stated, None);
    book.push(bundle().chapters.remove(1), None);
    let files = unzip(&write_book(&book, &options(None)).unwrap().bytes);
    assert!(file_text(&files, "OEBPS/content.opf").contains("page-progression-direction=\"rtl\""));
    for page in [
        "OEBPS/nav.xhtml",
        "OEBPS/title.xhtml",
        "OEBPS/sources.xhtml",
    ] {
        assert!(html_tag(&files, page).contains(" dir=\"rtl\""), "{page}");
    }
    assert!(html_tag(&files, "OEBPS/chapter-2.xhtml").contains(" dir=\"ltr\""));
}

/// Each contents entry is set in its own title's direction where that is not the book's: an
/// English title in an Arabic book kept "!" at the Arabic end, and an Arabic title in an
/// English book put its "…" before its first word (QA, EPUB §8). The sources page lists the
/// titles the same way.
#[test]
fn contents_entries_written_the_other_way_keep_their_own_direction() {
    let mut english = bundle().chapters.remove(0);
    english.meta.title = Some("Hello, world!".into());
    let mut arabic_led = Book::new(Meta {
        title: Some("قراءات".into()),
        ..Meta::default()
    });
    arabic_led.push(arabic_article(), None);
    arabic_led.push(english.clone(), None);
    let rendered = write_book(&arabic_led, &options(None)).unwrap();
    let nav = file_text(&unzip(&rendered.bytes), "OEBPS/nav.xhtml");
    assert!(
        nav.contains("<a href=\"chapter-2.xhtml\" dir=\"ltr\">Hello, world!</a>"),
        "{nav}"
    );
    // The Arabic entry and its headings go the book's way, stated once for the page.
    assert!(nav.contains("<a href=\"chapter-1.xhtml\">"), "{nav}");
    assert_eq!(nav.matches("dir=\"rtl\"").count(), 1, "{nav}");
    // The sources list the titles as the contents do.
    let sources = file_text(&unzip(&rendered.bytes), "OEBPS/sources.xhtml");
    assert!(
        sources.contains("<a href=\"chapter-2.xhtml\" dir=\"ltr\">Hello, world!</a>"),
        "{sources}"
    );
    assert!(
        sources.contains("<a href=\"chapter-1.xhtml\">"),
        "{sources}"
    );
    assert_epubcheck_clean(&rendered.bytes, "arabic-bundle-english-entry");

    let mut english_led = Book::new(Meta::default());
    english_led.push(english, None);
    let mut long = arabic_article();
    long.meta.title = Some(format!("{}؟", "الميناء في الشتاء ".repeat(12).trim_end()));
    english_led.push(long, None);
    let rendered = write_book(&english_led, &options(None)).unwrap();
    let nav = file_text(&unzip(&rendered.bytes), "OEBPS/nav.xhtml");
    assert!(
        nav.contains("<a href=\"chapter-2.xhtml\" dir=\"rtl\">الميناء"),
        "{nav}"
    );
    assert!(
        nav.contains("<a href=\"chapter-2.xhtml#waves\" dir=\"rtl\">الأمواج</a>"),
        "{nav}"
    );
    assert!(
        nav.contains("<a href=\"chapter-1.xhtml\">Hello, world!</a>"),
        "{nav}"
    );
    let sources = file_text(&unzip(&rendered.bytes), "OEBPS/sources.xhtml");
    assert!(
        sources.contains("<a href=\"chapter-2.xhtml\" dir=\"rtl\">الميناء"),
        "{sources}"
    );
    assert!(
        sources.contains("<a href=\"chapter-1.xhtml\">Hello, world!</a>"),
        "{sources}"
    );
    assert_epubcheck_clean(&rendered.bytes, "english-bundle-arabic-entry");
}

/// A figure of a remote image (left as a link: images are not fetched) or of a missing one.
fn figure(src: &str, alt: &str, caption: &str) -> Block {
    Block::Figure(Box::new(Figure {
        image: Image {
            src: src.into(),
            alt: alt.into(),
            ..Default::default()
        },
        caption: if caption.is_empty() {
            vec![]
        } else {
            vec![text(caption)]
        },
    }))
}

#[test]
fn an_image_left_out_is_named_in_the_language_and_never_repeats_its_caption() {
    let (_root, dir) = article_dir();
    let caption = "Der Hafen im Winter";
    let doc = |language: &str| {
        Document::new(
            Meta {
                title: Some("Bilder".into()),
                language: Some(language.into()),
                ..Meta::default()
            },
            vec![
                figure("https://example.com/a.jpg", "", ""),
                // The caption repeats the alternative text and credits the picture.
                figure(
                    "https://example.com/b.jpg",
                    caption,
                    &format!("{caption} (Bild: Agentur)"),
                ),
                figure("https://example.com/c.jpg", "Ein Kran", caption),
                figure("missing.png", caption, caption),
                para(vec![
                    text("Im Text "),
                    Inline::Image(Box::new(Image {
                        src: "https://example.com/d.jpg".into(),
                        ..Default::default()
                    })),
                    text("."),
                ]),
            ],
        )
    };
    let rendered = write_epub(&doc("de-CH"), &options(Some(&dir)));
    let chapter = file_text(&unzip(&rendered.bytes), "OEBPS/chapter-1.xhtml");
    let link = |name: &str, text: &str| {
        format!("<a class=\"image-alt\" href=\"https://example.com/{name}\">{text}</a>")
    };
    assert!(chapter.contains(&link("a.jpg", "Bild")), "{chapter}");
    assert!(chapter.contains(&link("d.jpg", "Bild")), "{chapter}");
    // An alternative text that is the caption is not written twice: the link names the image.
    assert!(chapter.contains(&link("b.jpg", "Bild")), "{chapter}");
    // Another alternative text stays: it says what the caption does not.
    assert!(chapter.contains(&link("c.jpg", "Ein Kran")), "{chapter}");
    // Each caption once, in its figcaption: three figures have it.
    assert_eq!(chapter.matches(caption).count(), 3, "{chapter}");
    assert!(!chapter.contains(">Image<"), "{chapter}");
    assert_epubcheck_clean(&rendered.bytes, "image-placeholders-de");

    let spanish = file_text(
        &unzip(&write_epub(&doc("es"), &options(Some(&dir))).bytes),
        "OEBPS/chapter-1.xhtml",
    );
    assert!(spanish.contains(&link("a.jpg", "Imagen")), "{spanish}");
    // A language quire has no words for: English.
    let swahili = file_text(
        &unzip(&write_epub(&doc("sw"), &options(Some(&dir))).bytes),
        "OEBPS/chapter-1.xhtml",
    );
    assert!(swahili.contains(&link("a.jpg", "Image")), "{swahili}");
}

fn bundle() -> Book {
    let first = Document::new(
        Meta {
            title: Some("First article".into()),
            authors: vec!["Ann".into()],
            site_name: Some("Site One".into()),
            published: quire::model::Date::parse_iso("2024-01-02"),
            source_url: Some("https://one.example/post/".into()),
            language: Some("en".into()),
            ..Meta::default()
        },
        vec![
            heading(2, "start", "Start here"),
            para(vec![
                text("See the "),
                Inline::Link(Box::new(quire::model::Link {
                    url: "http://two.example/article#details".into(),
                    title: None,
                    content: vec![text("second article")],
                })),
                text(" and "),
                Inline::Link(Box::new(quire::model::Link {
                    url: "https://two.example/article/#no-such-id".into(),
                    title: None,
                    content: vec![text("its top")],
                })),
                text(" and "),
                Inline::Link(Box::new(quire::model::Link {
                    url: "/post#start".into(),
                    title: None,
                    content: vec![text("this one")],
                })),
                text(". Note"),
                Inline::Note(vec![para(vec![text("A note in the first.")])]),
            ]),
        ],
    );
    let second = Document::new(
        Meta {
            title: Some("Second article".into()),
            authors: vec!["Bob".into()],
            site_name: Some("Site Two".into()),
            source_url: Some("https://two.example/article".into()),
            language: Some("de".into()),
            ..Meta::default()
        },
        vec![
            heading(2, "details", "Details"),
            para(vec![
                text("Back to the "),
                Inline::Link(Box::new(quire::model::Link {
                    url: "https://one.example/post".into(),
                    title: None,
                    content: vec![text("first")],
                })),
                text(". Note"),
                Inline::Note(vec![para(vec![text("A note in the second.")])]),
            ]),
        ],
    );
    let third = Document::new(
        Meta::default(),
        vec![para(vec![text("An article with no metadata at all.")])],
    );
    let mut book = Book::new(Meta {
        title: Some("Weekly reading".into()),
        ..Meta::default()
    });
    book.push(first, None);
    book.push(second, None);
    book.push(third, None);
    book
}

#[test]
fn bundle_is_valid_epub_with_links_inside_the_book() {
    let rendered = write_book(&bundle(), &options(None)).unwrap();
    let files = unzip(&rendered.bytes);
    let first = file_text(&files, "OEBPS/chapter-1.xhtml");
    assert!(
        first.contains("<a href=\"chapter-2.xhtml#details\">second article</a>"),
        "{first}"
    );
    assert!(first.contains("<a href=\"chapter-2.xhtml\">its top</a>"));
    assert!(first.contains("<a href=\"#start\">this one</a>"));
    let second = file_text(&files, "OEBPS/chapter-2.xhtml");
    assert!(second.contains("<a href=\"chapter-1.xhtml\">first</a>"));
    assert!(second.contains("xml:lang=\"de\""));
    let third = file_text(&files, "OEBPS/chapter-3.xhtml");
    // No title and no heading: the chapter's header shows the title made from the text.
    assert!(third.contains(
        "<header class=\"article-header\">\n<h1>An article with no metadata at all.</h1>"
    ));
    // The source link in a header points at the page itself, not at its chapter.
    assert!(first.contains("<a href=\"https://one.example/post/\">one.example</a></p>\n</header>"));

    let opf = file_text(&files, "OEBPS/content.opf");
    assert!(opf.contains("<dc:title>Weekly reading</dc:title>"));
    assert!(opf.contains("<dc:source>https://one.example/post/</dc:source>"));
    assert!(opf.contains("<dc:source>https://two.example/article</dc:source>"));
    let nav = file_text(&files, "OEBPS/nav.xhtml");
    let order: Vec<usize> = [
        "First article",
        "Start here",
        "Second article",
        "Details",
        "Sources",
    ]
    .iter()
    .map(|s| nav.find(s).unwrap_or_else(|| panic!("{s} in nav")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "nav order: {nav}");
    let sources = file_text(&files, "OEBPS/sources.xhtml");
    // The date written out in the book's language (issue 14), as the HTML header has it.
    assert!(
        sources.contains("First article</a>. Ann, Site One, 2 January 2024."),
        "{sources}"
    );
    assert!(sources.contains("https://two.example/article"));
    assert_epubcheck_clean(&rendered.bytes, "bundle");
}

#[test]
fn empty_bundle_is_still_a_valid_book() {
    let rendered = write_book(&Book::new(Meta::default()), &options(None)).unwrap();
    let files = unzip(&rendered.bytes);
    assert!(
        file_text(&files, "OEBPS/content.opf").contains("<dc:title>Collected articles</dc:title>")
    );
    assert!(file_text(&files, "OEBPS/title.xhtml").contains("0 articles"));
    assert_epubcheck_clean(&rendered.bytes, "empty-bundle");
}

#[test]
fn same_input_and_timestamp_give_identical_bytes() {
    let (_root, dir) = article_dir();
    let options = options(Some(&dir));
    let first = write_epub(&rich_document(), &options).bytes;
    // Zip entry times have a two-second resolution: cross a boundary.
    std::thread::sleep(Duration::from_millis(2100));
    let second = write_epub(&rich_document(), &options).bytes;
    assert!(first == second, "two writes differ");
    let later = WriteOptions {
        timestamp: Some(1_800_000_000),
        ..options.clone()
    };
    assert!(write_epub(&rich_document(), &later).bytes != first);
    let book_a = write_book(&bundle(), &options).unwrap().bytes;
    let book_b = write_book(&bundle(), &options).unwrap().bytes;
    assert!(book_a == book_b);
}

#[test]
fn identifier_comes_from_the_url_or_the_content() {
    let identifier = |doc: &Document| {
        let opf = file_text(
            &unzip(&write_epub(doc, &options(None)).bytes),
            "OEBPS/content.opf",
        );
        let start = opf.find("urn:uuid:").unwrap();
        opf[start..start + 45].to_string()
    };
    let mut a = Document::new(
        Meta {
            title: Some("A".into()),
            ..Meta::default()
        },
        vec![para(vec![text("one")])],
    );
    let id_a = identifier(&a);
    assert_eq!(id_a, identifier(&a.clone()));
    a.blocks.push(para(vec![text("two")]));
    assert_ne!(identifier(&a), id_a, "content changes the id");
    a.meta.source_url = Some("https://example.com/a".into());
    let with_url = identifier(&a);
    a.blocks.push(para(vec![text("three")]));
    assert_eq!(identifier(&a), with_url, "the URL decides");
}

#[test]
fn pandoc_reads_the_words_back_in_order() {
    let present = Command::new("pandoc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_tool("pandoc", present) {
        return;
    }
    let (_root, dir) = article_dir();
    let rendered = write_epub(&rich_document(), &options(Some(&dir)));
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("book.epub");
    std::fs::write(&path, &rendered.bytes).unwrap();
    let output = Command::new("pandoc")
        .args(["-f", "epub", "-t", "plain", "--wrap=none"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let plain = String::from_utf8_lossy(&output.stdout);
    let mut at = 0;
    for word in [
        "Plain words alpha",
        "emphasis",
        "strong",
        "Gamma",
        "spanned",
        "Quoted delta",
        "bullet one",
        "numbered three",
        "println",
        "spans two",
        "A caption with",
        "Inside a box",
        "Epsilon",
        "The end omega",
        "The note text beta",
    ] {
        let found = plain[at..]
            .find(word)
            .unwrap_or_else(|| panic!("'{word}' after byte {at} in:\n{plain}"));
        at += found + word.len();
    }
}

#[test]
fn covers_follow_the_choice() {
    let (_root, dir) = article_dir();
    let doc = rich_document();
    let cover_of = |choice: CoverChoice, grayscale: bool| {
        let mut opts = options(Some(&dir));
        opts.epub.cover = choice;
        opts.epub.profile = Profile::Kindle;
        opts.epub.grayscale = grayscale;
        let rendered = write_epub(&doc, &opts);
        let files = unzip(&rendered.bytes);
        let cover = files
            .iter()
            .find(|(n, _)| n.starts_with("OEBPS/images/cover."))
            .map(|(_, b)| image::load_from_memory(b).unwrap());
        (cover, rendered.warnings)
    };
    let (generated, warnings) = cover_of(CoverChoice::Generated, false);
    // Only the rich document's script link, which the HTML writer reports.
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].message.contains("javascript:"));
    let generated = generated.expect("a generated cover");
    assert_eq!(
        (generated.width(), generated.height()),
        Profile::Kindle.screen()
    );

    let (lead, _) = cover_of(CoverChoice::LeadImage, false);
    assert_eq!(lead.map(|i| (i.width(), i.height())), Some((40, 30)));

    let (none, _) = cover_of(CoverChoice::None, false);
    assert!(none.is_none());

    let (fallback, warnings) = cover_of(CoverChoice::File(dir.join("nope.png")), true);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[1].message.starts_with("cover image not used"));
    let fallback = fallback.expect("generated instead");
    assert!(
        fallback.as_luma8().is_some()
            || fallback
                .to_rgb8()
                .pixels()
                .all(|p| p[0] == p[1] && p[1] == p[2])
    );
}

#[test]
fn profiles_parse_and_user_css_is_appended() {
    assert_eq!("Kobo".parse::<Profile>().unwrap(), Profile::Kobo);
    assert!("nook".parse::<Profile>().is_err());
    let mut opts = options(None);
    opts.epub.css = Some("p { color: #333; } /* mine */".into());
    let files = unzip(&write_epub(&rich_document(), &opts).bytes);
    let css = file_text(&files, "OEBPS/stylesheet.css");
    assert!(css.contains("p { color: #333; }"));
    for banned in ["display: flex", "display: grid", "--", "var("] {
        assert!(!css.contains(banned), "{banned} in the stylesheet");
    }
}

#[cfg(feature = "net")]
/// Serves fixed responses on 127.0.0.1, one per connection, until dropped.
fn serve(routes: Vec<(&'static str, Vec<u8>)>) -> String {
    use std::io::Write;
    use std::net::TcpListener;
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let routes = routes.clone();
            std::thread::spawn(move || {
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buffer) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let request = String::from_utf8_lossy(&request);
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                if path == "/slow.png" {
                    std::thread::sleep(Duration::from_secs(3));
                    return;
                }
                let body = routes
                    .iter()
                    .find(|(p, _)| *p == path)
                    .map(|(_, b)| b.clone());
                let response = match body {
                    Some(body) => {
                        let mut head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                        head.extend_from_slice(&body);
                        head
                    }
                    None => {
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .to_vec()
                    }
                };
                let _ = stream.write_all(&response);
            });
        }
    });
    format!("http://{address}")
}

// Needs the network client (the images come from a local server).
#[cfg(feature = "net")]
#[test]
fn remote_images_are_fetched_when_asked() {
    let base = serve(vec![
        ("/pic.png", png_bytes(20, 10)),
        ("/text.png", b"not an image".to_vec()),
    ]);
    let figure = |src: String, alt: &str| {
        Block::Figure(Box::new(Figure {
            image: Image {
                src,
                alt: alt.into(),
                title: None,
                ..Default::default()
            },
            caption: vec![],
        }))
    };
    let doc = Document::new(
        Meta {
            title: Some("Remote".into()),
            ..Meta::default()
        },
        vec![
            figure(format!("{base}/pic.png"), "fetched"),
            figure(format!("{base}/gone.png"), "gone alt"),
            figure(format!("{base}/text.png"), "text alt"),
        ],
    );
    let mut opts = options(None);
    opts.fetch_images = true;
    // The test server is on 127.0.0.1, a private address.
    opts.remote_images.allow_private = true;
    let rendered = write_epub(&doc, &opts);
    let messages: Vec<&str> = rendered
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages
        .iter()
        .any(|m| m.contains("gone.png") && m.contains("404")));
    let files = unzip(&rendered.bytes);
    let chapter = file_text(&files, "OEBPS/chapter-1.xhtml");
    assert!(chapter.contains("<img src=\"images/image-1.png\" alt=\"fetched\" />"));
    assert!(chapter.contains("<span class=\"image-alt\">gone alt</span>"));
    assert_epubcheck_clean(&rendered.bytes, "remote");

    // A page read from the web: relative images resolve against its URL, and its lead image
    // can be the cover.
    let page = Document::new(
        Meta {
            title: Some("From the web".into()),
            source_url: Some(format!("{base}/articles/page.html")),
            lead_image: Some("/pic.png".into()),
            ..Meta::default()
        },
        vec![figure("../pic.png".into(), "relative")],
    );
    opts.epub.cover = CoverChoice::LeadImage;
    let rendered = write_epub(&page, &opts);
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let files = unzip(&rendered.bytes);
    assert!(file_text(&files, "OEBPS/chapter-1.xhtml")
        .contains("<img src=\"images/image-1.png\" alt=\"relative\" />"));
    let cover = files
        .iter()
        .find(|(n, _)| n.starts_with("OEBPS/images/cover."))
        .expect("a cover");
    assert_eq!(
        image::load_from_memory(&cover.1).unwrap().width(),
        20,
        "the lead image"
    );
}

/// A small deterministic generator of hostile documents (xorshift), for the checks below.
struct Hostile(u64);

impl Hostile {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn string(&mut self) -> String {
        const PIECES: &[&str] = &[
            "word",
            " ",
            "<",
            ">",
            "&",
            "\"",
            "'",
            "]]>",
            "--",
            "-->",
            "\u{0}",
            "\u{1}",
            "\u{b}",
            "\u{FFFE}",
            "\u{E000}",
            "\u{E001}",
            "\u{E000}3\u{E001}",
            "😀",
            "שלום",
            "\u{301}",
            "\u{a0}",
            "\t",
            "\n",
            "Ω",
            "Привет",
            "1",
            "2024",
            "#",
            "%20",
            "&amp;",
            "<br>",
            "&#0;",
            "·",
        ];
        let len = self.below(6);
        (0..len).map(|_| PIECES[self.below(PIECES.len())]).collect()
    }

    fn id(&mut self) -> String {
        const IDS: &[&str] = &[
            "",
            "1",
            "1",
            "intro",
            "intro",
            "a b",
            "fn-1",
            "fnref-1",
            "article-title",
            "-",
            "ünï",
            "x:y",
        ];
        IDS[self.below(IDS.len())].to_string()
    }

    fn url(&mut self) -> String {
        match self.below(7) {
            0 => format!("#{}", self.id()),
            1 => format!("https://example.com/{}", self.string()),
            2 => self.string(),
            3 => "javascript:alert(1)".to_string(),
            4 => format!("../{}.html#{}", self.string(), self.id()),
            5 => "https://one.example/post#1".to_string(),
            _ => "mailto:someone@example.com".to_string(),
        }
    }

    fn inlines(&mut self, depth: usize) -> Vec<Inline> {
        let count = self.below(5);
        (0..count)
            .map(|_| {
                let kind = if depth == 0 { 0 } else { self.below(13) };
                match kind {
                    0 | 1 => Inline::Text(self.string()),
                    2 => Inline::Emphasis(self.inlines(depth - 1)),
                    3 => Inline::Strong(self.inlines(depth - 1)),
                    4 => Inline::Code(self.string()),
                    5 => Inline::Link(Box::new(quire::model::Link {
                        url: self.url(),
                        title: Some(self.string()),
                        content: self.inlines(depth - 1),
                    })),
                    6 => Inline::Image(Box::new(Image {
                        src: self.string(),
                        alt: self.string(),
                        title: Some(self.string()),
                        ..Default::default()
                    })),
                    7 => Inline::LineBreak,
                    8 => Inline::Note(self.blocks(depth - 1)),
                    9 => Inline::Span {
                        attr: Box::new(Attr {
                            id: self.id(),
                            ..Attr::default()
                        }),
                        content: self.inlines(depth - 1),
                    },
                    10 => Inline::Superscript(self.inlines(depth - 1)),
                    11 => Inline::Strikethrough(self.inlines(depth - 1)),
                    _ => Inline::Subscript(self.inlines(depth - 1)),
                }
            })
            .collect()
    }

    fn blocks(&mut self, depth: usize) -> Vec<Block> {
        let count = self.below(5);
        (0..count)
            .map(|_| {
                let kind = if depth == 0 { 0 } else { self.below(10) };
                match kind {
                    0 | 1 => Block::Paragraph(self.inlines(depth)),
                    2 => Block::Heading {
                        level: self.below(9) as u8,
                        id: self.id().into(),
                        content: self.inlines(depth),
                    },
                    3 => Block::Quote(self.blocks(depth - 1)),
                    4 => Block::List(List {
                        checked: Default::default(),
                        ordered: self.below(2) == 0,
                        start: self.below(3) as u32,
                        tight: self.below(2) == 0,
                        items: (0..self.below(3)).map(|_| self.blocks(depth - 1)).collect(),
                    }),
                    5 => Block::Code {
                        language: Some(self.string().into()),
                        text: self.string(),
                    },
                    6 => {
                        let mut cell = Cell::from_inlines(self.inlines(depth - 1));
                        cell.colspan = self.below(3) as u32;
                        cell.rowspan = [0, 1, 2, 100_000][self.below(4)];
                        Block::Table(Box::new(Table {
                            caption: self.inlines(depth - 1),
                            alignments: vec![Alignment::Center],
                            head: vec![Row {
                                cells: vec![cell.clone()],
                            }],
                            body: vec![
                                Row {
                                    cells: vec![cell.clone(), cell],
                                },
                                Row::default(),
                            ],
                        }))
                    }
                    7 => Block::Figure(Box::new(Figure {
                        image: Image {
                            src: self.string(),
                            alt: self.string(),
                            title: None,
                            ..Default::default()
                        },
                        caption: self.inlines(depth - 1),
                    })),
                    8 => Block::Rule,
                    _ => Block::Container {
                        attr: Box::new(Attr {
                            id: self.id(),
                            ..Attr::default()
                        }),
                        blocks: self.blocks(depth - 1),
                    },
                }
            })
            .collect()
    }

    fn document(&mut self) -> Document {
        let meta = Meta {
            title: Some(self.string()),
            subtitle: Some(self.string()),
            authors: vec![self.string(), self.string()],
            published: quire::model::Date::parse_iso(&self.string()),
            modified: quire::model::Date::parse_iso(&self.string()),
            language: Some(self.string()),
            direction: None,
            site_name: Some(self.string()),
            source_url: Some(if self.below(2) == 0 {
                "https://one.example/post".to_string()
            } else {
                self.string()
            }),
            description: Some(self.string()),
            lead_image: Some(self.string()),
            keywords: vec![self.string()],
        };
        Document::new(meta, self.blocks(4))
    }
}

/// Checks every XML file of each book with Python's expat: well-formed, ids unique and valid
/// XML names, every internal link and image pointing at something that exists.
const XML_CHECK: &str = r#"
import os, re, sys, zipfile, xml.etree.ElementTree as ET
from urllib.parse import unquote
NAME = re.compile(r'^[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u0300-\u036F\u203F\u2040\u00C0-\uFFFF]*$')
problems = []
for book in sorted(os.listdir(sys.argv[1])):
    z = zipfile.ZipFile(os.path.join(sys.argv[1], book))
    names = set(z.namelist())
    ids, links = {}, []
    for name in names:
        if not name.endswith(('.xhtml', '.opf', '.ncx', '.xml')):
            continue
        try:
            root = ET.fromstring(z.read(name))
        except ET.ParseError as e:
            problems.append(f'{book}/{name}: {e}'); continue
        seen = set()
        for el in root.iter():
            i = el.get('id')
            if i is not None:
                if i in seen: problems.append(f'{book}/{name}: duplicate id {i!r}')
                if not NAME.match(i): problems.append(f'{book}/{name}: bad id {i!r}')
                seen.add(i)
            if name.endswith('.xhtml'):
                for attr in ('href', 'src'):
                    v = el.get(attr)
                    if v and '://' not in v and not v.startswith('mailto:'):
                        links.append((name, v))
        ids[name] = seen
    for name, v in links:
        path, _, frag = v.partition('#')
        target = os.path.normpath(os.path.join(os.path.dirname(name), path)) if path else name
        if target not in names: problems.append(f'{book}/{name}: missing target {v!r}')
        elif frag and unquote(frag) not in ids.get(target, set()): problems.append(f'{book}/{name}: dangling fragment {v!r}')
print('\n'.join(problems[:40]))
sys.exit(1 if problems else 0)
"#;

#[test]
fn hostile_documents_make_well_formed_books() {
    let python = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let out = tempfile::tempdir().unwrap();
    let (_root, dir) = article_dir();
    let mut generator = Hostile(0x9e37_79b9_7f4a_7c15);
    let mut books = Vec::new();
    // More rounds on demand: QUIRE_HOSTILE_ROUNDS=500.
    let rounds: usize = std::env::var("QUIRE_HOSTILE_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(40);
    for round in 0..rounds {
        let doc = generator.document();
        let rendered = write_epub(&doc, &options(Some(&dir)));
        books.push(rendered.bytes.clone());
        std::fs::write(
            out.path().join(format!("single-{round}.epub")),
            &rendered.bytes,
        )
        .unwrap();
        keep(&rendered.bytes, &format!("hostile-single-{round}"));
        if round % 8 == 0 {
            let mut book = Book::new(doc.meta.clone());
            for _ in 0..3 {
                book.push(generator.document(), Some(dir.clone()));
            }
            let rendered = write_book(&book, &options(None)).unwrap();
            std::fs::write(
                out.path().join(format!("bundle-{round}.epub")),
                &rendered.bytes,
            )
            .unwrap();
        }
    }
    if have_tool("python3", python) {
        let output = Command::new("python3")
            .args(["-c", XML_CHECK])
            .arg(out.path())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // EPUBCheck is slow: two of them.
    assert_epubcheck_clean(&books[1], "hostile-1");
    assert_epubcheck_clean(
        &std::fs::read(out.path().join("bundle-8.epub")).unwrap(),
        "hostile-bundle",
    );
}

#[test]
fn images_are_fitted_to_the_profile_and_webp_converted() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let photo = image::RgbImage::from_fn(2400, 1200, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(photo.clone())
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    std::fs::write(dir.join("photo.jpg"), &jpeg).unwrap();
    let mut webp = Vec::new();
    image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
        30,
        20,
        image::Rgba([1, 2, 3, 128]),
    ))
    .write_to(
        &mut std::io::Cursor::new(&mut webp),
        image::ImageFormat::WebP,
    )
    .unwrap();
    std::fs::write(dir.join("pic.webp"), &webp).unwrap();
    std::fs::write(dir.join("fake.png"), b"\x89PNG\r\n\x1a\nbroken").unwrap();
    let figure = |src: &str| {
        Block::Figure(Box::new(Figure {
            image: Image {
                src: src.into(),
                alt: format!("alt of {src}"),
                title: None,
                ..Default::default()
            },
            caption: vec![],
        }))
    };
    let doc = Document::new(
        Meta {
            title: Some("Pictures".into()),
            ..Meta::default()
        },
        vec![
            figure("photo.jpg"),
            figure("pic.webp"),
            figure("fake.png"),
            figure("photo.jpg"),
        ],
    );
    let mut opts = options(Some(dir));
    opts.epub.profile = Profile::Kobo;
    opts.epub.grayscale = true;
    opts.epub.cover = CoverChoice::None;
    let rendered = write_epub(&doc, &opts);
    assert_eq!(rendered.warnings.len(), 1, "{:?}", rendered.warnings);
    assert!(rendered.warnings[0].message.contains("fake.png"));
    let files = unzip(&rendered.bytes);
    let images: Vec<&(String, Vec<u8>)> = files
        .iter()
        .filter(|(n, _)| n.starts_with("OEBPS/images/"))
        .collect();
    let names: Vec<&str> = images.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        ["OEBPS/images/image-1.jpg", "OEBPS/images/image-2.png"],
        "the photo is stored once"
    );
    let photo = image::load_from_memory(&images[0].1).unwrap();
    assert_eq!(
        (photo.width(), photo.height()),
        (1264, 632),
        "fitted to the Kobo screen"
    );
    assert!(photo.as_luma8().is_some(), "grayscale JPEG");
    let chapter = file_text(&files, "OEBPS/chapter-1.xhtml");
    assert_eq!(chapter.matches("src=\"images/image-1.jpg\"").count(), 2);
    assert!(chapter.contains("<span class=\"image-alt\">alt of fake.png</span>"));
    assert_epubcheck_clean(&rendered.bytes, "fitted-images");
}
