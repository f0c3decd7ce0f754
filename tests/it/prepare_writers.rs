//! The preparation stage serves every writer (issue 12, point 1): one document with
//! duplicate ids, an id XML cannot carry, links to renamed ids, a dangling `#missing` link
//! and notes within notes, written to HTML, Markdown, PDF and EPUB, gives the same ids and
//! links in each where the format has them, each id written once, and no internal link
//! that goes nowhere.

use std::collections::{BTreeSet, HashSet};

use quire::model::{Attr, Cell, Link, List, Row, Table};
use quire::{Block, Document, Inline, Meta, OutputFormat, WriteOptions};

fn options() -> WriteOptions {
    WriteOptions {
        timestamp: Some(1_700_000_000),
        front_matter: false,
        ..WriteOptions::default()
    }
}

fn text(t: &str) -> Inline {
    Inline::text(t)
}

fn link(url: &str, label: &str) -> Inline {
    Inline::Link(Box::new(Link {
        url: url.into(),
        title: None,
        content: vec![text(label)],
    }))
}

fn heading(id: &str, label: &str) -> Block {
    Block::Heading {
        level: 2,
        id: id.into(),
        content: vec![text(label)],
    }
}

fn note(blocks: Vec<Block>) -> Inline {
    Inline::Note(blocks)
}

fn paragraph(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(inlines)
}

fn write(document: &Document, format: OutputFormat) -> Vec<u8> {
    quire::write(document, format, &options())
        .expect("writes")
        .bytes
}

fn markdown(document: &Document) -> String {
    String::from_utf8(write(document, OutputFormat::Markdown)).unwrap()
}

/// Notes in every place Markdown writes them (emphasis, links, quotes, list items, a pipe
/// table's cells and caption, notes inside notes, an empty note, a table
/// written as HTML with its own note) are numbered in reading order, body first, then the
/// notes referenced from notes, as the writer numbered them while writing (this is its
/// output before the numbers came from the preparation stage).
#[test]
fn markdown_numbers_notes_in_the_prepared_order() {
    let cell = |inlines: Vec<Inline>| Cell::from_inlines(inlines);
    let document = Document::new(
        Meta::default(),
        vec![
            paragraph(vec![
                text("A"),
                note(vec![paragraph(vec![
                    text("one"),
                    note(vec![paragraph(vec![
                        text("nine"),
                        note(vec![paragraph(vec![text("eleven")])]),
                    ])]),
                ])]),
                Inline::Emphasis(vec![text("b"), note(vec![paragraph(vec![text("two")])])]),
                text(" "),
                Inline::Link(Box::new(Link {
                    url: "https://example.com/".into(),
                    title: None,
                    content: vec![text("c"), note(vec![paragraph(vec![text("three")])])],
                })),
                note(Vec::new()),
            ]),
            Block::Quote(vec![paragraph(vec![
                text("q"),
                note(vec![
                    paragraph(vec![text("four")]),
                    paragraph(vec![text("more"), note(vec![paragraph(vec![text("ten")])])]),
                ]),
            ])]),
            Block::List(List {
                checked: Default::default(),
                ordered: false,
                start: 1,
                tight: true,
                items: vec![vec![paragraph(vec![
                    text("item"),
                    note(vec![paragraph(vec![text("five")])]),
                ])]],
            }),
            Block::Table(Box::new(Table {
                caption: vec![text("cap"), note(vec![paragraph(vec![text("six")])])],
                alignments: Vec::new(),
                head: vec![Row {
                    cells: vec![cell(vec![text("h")])],
                }],
                body: vec![Row {
                    cells: vec![cell(vec![
                        text("d"),
                        note(vec![paragraph(vec![text("seven")])]),
                    ])],
                }],
            })),
            // Two header rows: written as HTML, with its note inside it.
            Block::Table(Box::new(Table {
                caption: Vec::new(),
                alignments: Vec::new(),
                head: vec![
                    Row {
                        cells: vec![cell(vec![text("h1")])],
                    },
                    Row {
                        cells: vec![cell(vec![text("h2")])],
                    },
                ],
                body: vec![Row {
                    cells: vec![cell(vec![
                        text("e"),
                        note(vec![paragraph(vec![text("in html")])]),
                    ])],
                }],
            })),
            paragraph(vec![
                text("end"),
                note(vec![paragraph(vec![text("eight")])]),
            ]),
        ],
    );
    let expected = "A[^1]*b[^2]* [c[^3]](https://example.com/)\n\n> q[^4]\n\n- item[^5]\n\n\
        cap[^6]\n\n| h |\n| --- |\n| d[^7] |\n\n\
        <table>\n<thead>\n<tr><th>h1</th></tr>\n<tr><th>h2</th></tr>\n</thead>\n<tbody>\n\
        <tr><td>e<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" \
        role=\"doc-noteref\">1</a></sup></td></tr>\n</tbody>\n</table>\n\
        <section class=\"footnotes\" role=\"doc-endnotes\">\n<hr />\n<ol>\n\
        <li id=\"fn-1\"><p>in html <a href=\"#fnref-1\" class=\"footnote-back\" \
        role=\"doc-backlink\">\u{21a9}</a></p></li>\n</ol>\n</section>\n\n\
        end[^8]\n\n\
        [^1]: one[^9]\n\n[^2]: two\n\n[^3]: three\n\n[^4]: four\n\n    more[^10]\n\n\
        [^5]: five\n\n[^6]: six\n\n[^7]: seven\n\n[^8]: eight\n\n[^9]: nine[^11]\n\n\
        [^10]: ten\n\n[^11]: eleven\n";
    assert_eq!(markdown(&document), expected);
}

/// The document of the issue: two headings with one id, one id XML cannot carry (`1 a:b`),
/// a container with an id, links to each (one by its percent-encoded form), a `#missing`
/// link, and a note holding a note whose link goes back to the first heading.
fn tangled_document() -> Document {
    Document::new(
        Meta {
            title: Some("Prepared".into()),
            ..Meta::default()
        },
        vec![
            heading("intro", "Introduction"),
            paragraph(vec![text("First part.")]),
            heading("intro", "Introduction again"),
            paragraph(vec![text("Second part.")]),
            heading("1 a:b", "Odd id"),
            Block::Container {
                attr: Box::new(Attr {
                    id: "box".into(),
                    ..Attr::default()
                }),
                blocks: vec![paragraph(vec![text("In a box.")])],
            },
            paragraph(vec![link("#1 a:b", "odd")]),
            paragraph(vec![link("#1%20a%3Ab", "encoded")]),
            paragraph(vec![link("#intro", "intro")]),
            paragraph(vec![link("#missing", "nowhere")]),
            paragraph(vec![link("#box", "boxed")]),
            paragraph(vec![
                text("Noted"),
                note(vec![paragraph(vec![
                    text("Outer note"),
                    note(vec![paragraph(vec![
                        text("Inner note "),
                        link("#intro", "back"),
                    ])]),
                ])]),
            ]),
        ],
    )
}

/// The values of every `name="…"` attribute in markup, in order.
fn attribute_values(markup: &str, name: &str) -> Vec<String> {
    let marker = format!(" {name}=\"");
    markup
        .match_indices(&marker)
        .map(|(at, _)| {
            let rest = &markup[at + marker.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

/// Ids in the markup each once and as expected; every `#fragment` link names one of them;
/// the links to the headings and the container follow their (renamed) ids; the dangling
/// link keeps its text alone.
fn assert_ids_and_links(markup: &str, label: &str) -> Vec<String> {
    let ids = attribute_values(markup, "id");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "{label}: an id written twice: {ids:?}"
    );
    let expected: BTreeSet<&str> = [
        "intro", "intro-1", "id-1-a-b", "box", "fn-1", "fn-2", "fnref-1", "fnref-2",
    ]
    .into_iter()
    .collect();
    let found: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(found, expected, "{label}");
    let internal: Vec<String> = attribute_values(markup, "href")
        .into_iter()
        .filter_map(|href| href.strip_prefix('#').map(str::to_string))
        .collect();
    for fragment in &internal {
        assert!(
            unique.contains(fragment),
            "{label}: #{fragment} names nothing"
        );
    }
    for (text, href) in [
        ("odd", "#id-1-a-b"),
        ("encoded", "#id-1-a-b"),
        ("intro", "#intro"),
        ("boxed", "#box"),
        ("back", "#intro"),
    ] {
        assert!(
            markup.contains(&format!("<a href=\"{href}\">{text}</a>")),
            "{label}: {text} → {href}"
        );
    }
    assert!(markup.contains("<p>nowhere</p>"), "{label}");
    internal
}

#[test]
fn html_writes_prepared_ids_and_links() {
    let html = String::from_utf8(write(&tangled_document(), OutputFormat::Html)).unwrap();
    assert_ids_and_links(&html, "html");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("prepared.html");
    std::fs::write(&file, &html).unwrap();
    if let Some(messages) = crate::support::nu_html_check(&file) {
        assert!(messages.trim().is_empty(), "{messages}");
    }
}

#[test]
fn epub_chapter_has_the_same_ids_and_links_as_html() {
    let document = tangled_document();
    let html = String::from_utf8(write(&document, OutputFormat::Html)).unwrap();
    let epub = write(&document, OutputFormat::Epub);
    let files = crate::epub::unzip(&epub);
    let chapter = crate::epub::file_text(&files, "OEBPS/chapter-1.xhtml");
    let chapter_links = assert_ids_and_links(&chapter, "epub");
    let html_links = assert_ids_and_links(&html, "html");
    assert_eq!(chapter_links, html_links);
    crate::epub::assert_epubcheck_clean(&epub, "prepared");
}

/// Markdown has no ids: a link to a heading points at the anchor GitHub gives it (the slug
/// of its text, `-1` for the second of a kind); links to the container and to nothing keep
/// their text alone; notes within notes are numbered.
#[test]
fn markdown_links_point_at_heading_anchors() {
    let written = markdown(&tangled_document());
    for line in [
        "## Introduction\n",
        "## Introduction again\n",
        "## Odd id\n",
        "[odd](#odd-id)\n",
        "[encoded](#odd-id)\n",
        "[intro](#introduction)\n",
        "\nnowhere\n",
        "\nboxed\n",
        "Noted[^1]\n",
        "[^1]: Outer note[^2]\n",
        "[^2]: Inner note [back](#introduction)\n",
    ] {
        assert!(written.contains(line), "{line:?} in:\n{written}");
    }
    assert!(!written.contains("](#missing"), "{written}");
    assert!(!written.contains("](#box"), "{written}");
}

/// With the title written as a heading (no front matter), it takes its slug first.
#[test]
fn markdown_anchors_count_the_title_heading() {
    let document = Document::new(
        Meta {
            title: Some("Intro".into()),
            ..Meta::default()
        },
        vec![heading("a", "Intro"), paragraph(vec![link("#a", "to a")])],
    );
    let written = markdown(&document);
    assert!(written.starts_with("# Intro\n\n## Intro\n"), "{written}");
    assert!(written.contains("[to a](#intro-1)"), "{written}");
    let with_front_matter = quire::write(
        &document,
        OutputFormat::Markdown,
        &WriteOptions {
            front_matter: true,
            ..options()
        },
    )
    .unwrap();
    let with_front_matter = String::from_utf8(with_front_matter.bytes).unwrap();
    assert!(
        with_front_matter.contains("[to a](#intro)"),
        "{with_front_matter}"
    );
}

/// The PDF's internal links: one to each heading and to the container (three places), one
/// from the note's marker to the note; none for the dangling link; no `#` link written as
/// a URI.
#[test]
fn pdf_links_reach_the_prepared_anchors() {
    let pdf = write(&tangled_document(), OutputFormat::Pdf);
    let doc = lopdf::Document::load_mem(&pdf).expect("the PDF parses");
    let mut destinations = Vec::new();
    let mut uris = Vec::new();
    for page_id in doc.get_pages().values() {
        let page = doc.get_dictionary(*page_id).unwrap();
        let Ok(annots) = page.get(b"Annots").and_then(|a| a.as_array()) else {
            continue;
        };
        for annot in annots {
            let annot = match annot {
                lopdf::Object::Reference(id) => doc.get_dictionary(*id).unwrap(),
                other => other.as_dict().unwrap(),
            };
            let action = annot.get(b"A").unwrap().as_dict().unwrap();
            match action.get(b"S").unwrap().as_name().unwrap() {
                b"GoTo" => {
                    let dest = action.get(b"D").unwrap().as_array().unwrap();
                    let page = dest[0].as_reference().unwrap();
                    let top = dest[3].as_float().unwrap();
                    destinations.push(format!("{page:?} {top:.1}"));
                }
                b"URI" => uris.push(
                    String::from_utf8_lossy(action.get(b"URI").unwrap().as_str().unwrap())
                        .to_string(),
                ),
                other => panic!("unexpected action {other:?}"),
            }
        }
    }
    assert!(uris.iter().all(|uri| !uri.starts_with('#')), "{uris:?}");
    // odd, encoded, intro, boxed, and the note marker: five links, four places.
    assert_eq!(destinations.len(), 5, "{destinations:?}");
    let places: HashSet<&String> = destinations.iter().collect();
    assert_eq!(places.len(), 4, "{destinations:?}");
    assert_eq!(
        destinations[0], destinations[1],
        "odd and encoded go to one heading"
    );
    if let Some(text) = pdf_text(&pdf) {
        for words in ["odd", "nowhere", "boxed", "Outer note", "Inner note"] {
            assert!(text.contains(words), "{words} in {text}");
        }
    }
}

/// pdftotext's text of a PDF, when poppler is installed.
fn pdf_text(pdf: &[u8]) -> Option<String> {
    let program = crate::support::program("pdftotext", "poppler-utils")?;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prepared.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new(program)
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    Some(String::from_utf8_lossy(&out.stdout).to_string())
}
