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
