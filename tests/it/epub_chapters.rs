//! EPUB chapters rendered straight from the prepared model (issue 12, point 1): the reader's
//! text reaches the chapter unaltered (private-use characters included, which once carried
//! links through the markup), ids, links and notes come from the model, and the book stays
//! valid.

use crate::epub::{assert_epubcheck_clean, file_text, unzip};
use quire::model::{Figure, Image, Link};
use quire::{Block, Document, Inline, Meta, OutputFormat, WriteOptions};

fn options() -> WriteOptions {
    WriteOptions {
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    }
}

fn link(url: &str, text: &str) -> Inline {
    Inline::Link(Box::new(Link {
        url: url.into(),
        title: None,
        content: vec![Inline::text(text)],
    }))
}

/// Text holding U+E000/U+E001 (and what looked like a link placeholder, `\u{E000}0\u{E001}`)
/// survives into the chapter in body text, notes, headings, the table of contents and
/// attribute values; before, these characters were deleted.
#[test]
fn private_use_characters_survive_into_the_chapter() {
    let marked = "a\u{E000}0\u{E001}b";
    let doc = Document::new(
        Meta {
            title: Some("Private use".into()),
            ..Meta::default()
        },
        vec![
            Block::Heading {
                level: 2,
                id: "h".into(),
                content: vec![Inline::text(format!("Heading {marked}"))],
            },
            Block::Paragraph(vec![
                Inline::text(format!("Body {marked} ")),
                link("#h", "to the heading"),
                Inline::Note(vec![Block::Paragraph(vec![Inline::text(format!(
                    "Note {marked}"
                ))])]),
            ]),
            Block::Figure(Box::new(Figure {
                image: Image {
                    src: "https://img.example/x.png".into(),
                    alt: format!("Alt {marked}"),
                    title: None,
                    ..Default::default()
                },
                caption: vec![Inline::text(format!("Caption {marked}"))],
            })),
        ],
    );
    let rendered = quire::write(&doc, OutputFormat::Epub, &options()).unwrap();
    let files = unzip(&rendered.bytes);
    let chapter = file_text(&files, "OEBPS/chapter-1.xhtml");
    for expected in [
        format!("<h2 id=\"h\">Heading {marked}</h2>"),
        format!("<p>Body {marked} <a href=\"#h\">to the heading</a>"),
        format!("<p>Note {marked} <a href=\"#fnref-1\""),
        format!("<figcaption>Caption {marked}</figcaption>"),
        // A remote image not downloaded: a link to it, labelled with its alt text.
        format!("<a class=\"image-alt\" href=\"https://img.example/x.png\">Alt {marked}</a>"),
    ] {
        assert!(chapter.contains(&expected), "{expected}\n{chapter}");
    }
    let nav = file_text(&files, "OEBPS/nav.xhtml");
    assert!(nav.contains(&format!("Heading {marked}")), "{nav}");
    assert_epubcheck_clean(&rendered.bytes, "private-use");
}

/// Ids the model repeats or that XML cannot carry are renamed once, on the model: the
/// chapter, its links and the table of contents agree.
#[test]
fn ids_links_and_toc_agree() {
    let heading = |id: &str, text: &str| Block::Heading {
        level: 1,
        id: id.into(),
        content: vec![Inline::text(text)],
    };
    let doc = Document::new(
        Meta::default(),
        vec![
            heading("1", "One"),
            heading("1", "Two"),
            heading("fn-1", "Three"),
            Block::Paragraph(vec![
                link("#1", "first"),
                link("#fn-1", "the heading"),
                Inline::Note(vec![Block::Paragraph(vec![Inline::text("n")])]),
            ]),
        ],
    );
    let rendered = quire::write(&doc, OutputFormat::Epub, &options()).unwrap();
    let files = unzip(&rendered.bytes);
    let chapter = file_text(&files, "OEBPS/chapter-1.xhtml");
    for expected in [
        "<h1 id=\"id-1\">One</h1>",
        "<h1 id=\"id-1-1\">Two</h1>",
        "<h1 id=\"fn-1-1\">Three</h1>",
        "<a href=\"#id-1\">first</a>",
        // The model's own element named `fn-1` (renamed, since a note has that id) is what
        // its link `#fn-1` follows.
        "<a href=\"#fn-1-1\">the heading</a>",
        "<aside id=\"fn-1\" epub:type=\"footnote\"",
    ] {
        assert!(chapter.contains(expected), "{expected}\n{chapter}");
    }
    let nav = file_text(&files, "OEBPS/nav.xhtml");
    for id in ["id-1", "id-1-1", "fn-1-1"] {
        assert!(
            nav.contains(&format!("chapter-1.xhtml#{id}\"")),
            "{id}\n{nav}"
        );
    }
    assert_epubcheck_clean(&rendered.bytes, "ids-links-toc");
}
