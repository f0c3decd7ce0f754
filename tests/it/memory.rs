//! What the HTML reader frees early to keep large pages small: a table's rows go as soon as
//! they are converted, but never what a footnote still needs at a later reference.

use quire::model::{Block, Inline};
use quire::{Document, InputFormat, ReadOptions};

fn read_page(html: &str) -> Document {
    let options = ReadOptions {
        whole_page: true,
        ..ReadOptions::default()
    };
    quire::read(html.as_bytes(), InputFormat::Html, &options)
        .expect("reads")
        .document
}

/// How many times `text` is in the document (as JSON, which shows every copy of a note).
fn copies(document: &Document, text: &str) -> usize {
    serde_json::to_string(document)
        .expect("serialises")
        .matches(text)
        .count()
}

fn notes(document: &Document) -> Vec<&Vec<Block>> {
    let mut found = Vec::new();
    for block in &document.blocks {
        if let Block::Paragraph(inlines) = block {
            for inline in inlines {
                if let Inline::Note(blocks) = inline {
                    found.push(blocks);
                }
            }
        }
    }
    found
}

#[test]
fn a_note_holding_a_table_is_whole_at_every_reference() {
    let document = read_page(
        "<p>One<a href=\"#fn1\" class=\"footnote-ref\">1</a> and again\
         <a href=\"#fn1\" class=\"footnote-ref\">1</a>.</p>\
         <div class=\"footnotes\"><ol><li id=\"fn1\"><table><tr><td>cell in note</td>\
         <td>second</td></tr><tr><td>row two</td></tr></table></li></ol></div>",
    );
    let notes = notes(&document);
    assert_eq!(notes.len(), 2, "{document:?}");
    for note in notes {
        assert!(matches!(note.as_slice(), [Block::Table(_)]), "{note:?}");
    }
    assert_eq!(copies(&document, "cell in note"), 2);
    assert_eq!(copies(&document, "row two"), 2);
}

#[test]
fn a_note_read_in_a_table_is_whole_when_referenced_after_it() {
    // Note b sits in a table cell and is referenced only from note a, so it is read where
    // it stands and again inside note a, whose reference comes after the table.
    let document = read_page(
        "<table><tr><td>outer cell<aside id=\"b\" role=\"doc-footnote\"><table><tr>\
         <td>inner cell</td></tr></table></aside></td></tr></table>\
         <p>End<a href=\"#a\" class=\"footnote-ref\">1</a>.</p>\
         <div class=\"footnotes\"><ol><li id=\"a\">See<a href=\"#b\" class=\"footnote-ref\">2</a>.\
         </li></ol></div>",
    );
    assert_eq!(copies(&document, "outer cell"), 1, "{document:?}");
    assert_eq!(copies(&document, "inner cell"), 2, "{document:?}");
}

#[test]
fn a_large_table_reads_every_row() {
    let mut html = String::from("<table>");
    for row in 0..300 {
        html.push_str("<tr>");
        for column in 0..20 {
            html.push_str(&format!("<td>r{row}c{column}</td>"));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table>");
    let document = read_page(&html);
    let [Block::Table(table)] = document.blocks.as_slice() else {
        panic!("{:?}", document.blocks);
    };
    assert_eq!(table.head.len() + table.body.len(), 300);
    assert!(table
        .body
        .iter()
        .all(|row| row.cells.len() == 20 && row.cells.iter().all(|c| !c.content.is_empty())));
    assert_eq!(copies(&document, "\"r299c19\""), 1);
}
