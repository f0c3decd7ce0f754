//! The JSON form (`--to json`, `--from json`): compact enough for large tables, read back
//! into the same document, still reading what earlier versions wrote, and refusing JSON that
//! is not a quire document (issue 11, points 11 and 19).

use assert_cmd::Command;
use quire::model::{Alignment, Cell, Row, Table};
use quire::{Block, Document, Inline, InputFormat, OutputFormat, ReadOptions, WriteOptions};
use std::fs;
use std::path::Path;

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn to_json(document: &Document) -> Vec<u8> {
    quire::write(document, OutputFormat::Json, &WriteOptions::default())
        .unwrap()
        .bytes
}

fn from_json(bytes: &[u8]) -> quire::Result<Document> {
    quire::read(bytes, InputFormat::Json, &ReadOptions::default()).map(|r| r.document)
}

/// A Markdown table of `rows` rows of five short cells, as the reviewer's 20 MB one.
fn markdown_table(rows: usize) -> String {
    let mut markdown =
        String::from("| id | name | city | score | note |\n|---|:---|:-:|--:|---|\n");
    for i in 0..rows {
        markdown.push_str(&format!(
            "| {i} | n{i} | c{} | {} | ok |\n",
            i % 97,
            i % 1000
        ));
    }
    markdown
}

#[test]
fn a_large_table_stays_within_a_small_multiple_of_its_markdown() {
    let markdown = markdown_table(20_000);
    let document = quire::read(
        markdown.as_bytes(),
        InputFormat::Markdown,
        &ReadOptions::default(),
    )
    .unwrap()
    .document;
    let json = to_json(&document);
    let ratio = json.len() as f64 / markdown.len() as f64;
    assert!(
        ratio < 3.0,
        "{} bytes of JSON for {} of Markdown ({ratio:.1}x)",
        json.len(),
        markdown.len()
    );
    assert_eq!(from_json(&json).unwrap(), document);
}

#[test]
fn every_sample_round_trips_through_json() {
    for sample in crate::golden::samples() {
        let document = crate::golden::read_sample(&sample).unwrap();
        let back = from_json(&to_json(&document)).unwrap();
        assert_eq!(back, document, "{}", sample.display());
    }
}

#[test]
fn cells_that_are_not_plain_text_and_spans_round_trip() {
    let table = Table {
        caption: vec![Inline::text("Caption")],
        alignments: vec![Alignment::Left, Alignment::Right],
        head: vec![Row {
            cells: vec![
                Cell::from_inlines(vec![Inline::Strong(vec![Inline::text("bold")])]),
                Cell::from_inlines(Vec::new()),
            ],
        }],
        body: vec![Row {
            cells: vec![
                Cell {
                    colspan: 2,
                    ..Cell::from_inlines(vec![Inline::text("wide")])
                },
                Cell {
                    content: vec![
                        Block::Paragraph(vec![Inline::text("one")]),
                        Block::Paragraph(vec![Inline::text("two")]),
                    ],
                    colspan: 1,
                    rowspan: 2,
                },
            ],
        }],
    };
    let document = Document::new(Default::default(), vec![Block::Table(Box::new(table))]);
    let json = to_json(&document);
    let back = serde_json::from_slice::<Document>(&json).unwrap();
    assert_eq!(back, document);
}

/// JSON written before the compact form (every cell an object, rows `{"cells": …}`, every
/// field written out): the golden files as they were, kept in `tests/fixtures/json-v1`.
#[test]
fn json_written_by_the_old_form_still_reads_the_same() {
    for (fixture, sample) in [
        ("essay.md.json", "essay.md"),
        ("note.md.json", "note.md"),
        ("web-page.html.json", "web-page.html"),
    ] {
        let old = fs::read(crate_dir().join("tests/fixtures/json-v1").join(fixture)).unwrap();
        let old_text = String::from_utf8_lossy(&old);
        assert!(old_text.contains("\"colspan\": 1") || !old_text.contains("\"table\""));
        let document = from_json(&old).unwrap();
        let mut expected =
            crate::golden::read_sample(&crate_dir().join("samples").join(sample)).unwrap();
        // The first form had no image sizes.
        expected.for_each_image_mut(&mut |image| (image.width, image.height) = (None, None));
        boxes_as_text(&mut expected.blocks);
        assert_eq!(document, expected, "{fixture}");
    }
}

/// The model as quire read it before task lists were read (issue 13): a top-level list's
/// boxes were text at the start of the item.
fn boxes_as_text(blocks: &mut [Block]) {
    for block in blocks {
        let Block::List(list) = block else { continue };
        for (index, item) in list.items.iter_mut().enumerate() {
            let task = list.checked.get(index).copied().flatten();
            if let (Some(done), Some(Block::Paragraph(inlines))) = (task, item.first_mut()) {
                let mark = if done { "[x] " } else { "[ ] " };
                match inlines.first_mut() {
                    Some(Inline::Text(text)) => text.insert_str(0, mark),
                    _ => inlines.insert(0, Inline::text(mark.trim_end())),
                }
            }
        }
        list.checked = Default::default();
    }
}

#[test]
fn json_that_is_not_a_quire_document_is_an_error_in_the_library() {
    for json in [
        r#"{"name": "left-pad", "version": "1.0.0", "dependencies": {}}"#,
        "[1, 2, 3]",
        "42",
        "\"a string\"",
        "{}",
    ] {
        let error = from_json(json.as_bytes()).unwrap_err().to_string();
        assert!(
            error.contains("not a quire document: expected an object with \"meta\" and \"blocks\" as written by --to json"),
            "{json}: {error}"
        );
    }
}

#[test]
fn a_package_json_is_an_error_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    for (name, content) in [
        (
            "package.json",
            r#"{"name": "left-pad", "version": "1.0.0"}"#,
        ),
        ("list.json", "[1, 2]"),
    ] {
        let input = dir.path().join(name);
        fs::write(&input, content).unwrap();
        let output = Command::cargo_bin("quire")
            .unwrap()
            .arg("convert")
            .arg(&input)
            .args(["--to", "md", "-o"])
            .arg(dir.path().join("out.md"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(name), "{stderr}");
        assert!(
            stderr
                .contains("not a quire document: expected an object with \"meta\" and \"blocks\""),
            "{stderr}"
        );
        assert!(!dir.path().join("out.md").exists());
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Whatever the model holds (spans of 0, empty paragraphs, empty texts in cells), the
    /// compact form gives the same model back.
    #[test]
    fn any_model_round_trips_through_the_json_form(
        document in crate::html_writer::arbitrary_models::document()
    ) {
        let json = to_json(&document);
        let back: Document = serde_json::from_slice(&json).unwrap();
        proptest::prop_assert_eq!(back, document);
    }
}

/// Whatever quire writes as JSON reads back, however deep the model allows it to be: lists
/// nested 40 deep (a reply thread) passed serde_json's 128-level limit, at about 35, and
/// `--from json` refused quire's own output. JSON nested deeper than any document is refused
/// as too deep, before it is parsed, on a small stack too.
#[test]
fn json_as_deep_as_the_model_allows_reads_back() {
    let mut markdown = String::new();
    for level in 0..40 {
        markdown.push_str(&format!("{}- item {level}\n", "  ".repeat(level)));
    }
    // And a table in a table in a quote: seven levels of JSON for each of the model's.
    markdown
        .push_str("\n> <table><tr><td><table><tr><td>deep</td></tr></table></td></tr></table>\n");
    let reading = quire::read(
        markdown.as_bytes(),
        InputFormat::Markdown,
        &ReadOptions::default(),
    )
    .unwrap();
    let json = to_json(&reading.document);
    let back = from_json(&json).expect("quire's own JSON reads back");
    assert_eq!(back, reading.document);

    let deep = format!("{{\"blocks\":{}", "[".repeat(100_000));
    let refused = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            from_json(deep.as_bytes())
                .map(|_| ())
                .unwrap_err()
                .to_string()
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    assert!(refused.contains("deep"), "{refused}");
}
