//! Large tables stream: the Markdown, HTML and text writers send a table out a few rows at a
//! time instead of making it whole (a table of a million cells would otherwise be held in
//! memory several times over), and the streamed bytes are still exactly what `write` makes.

use quire::model::{Alignment, Attr, Block, Cell, Document, Inline, Meta, Row, Table};
use quire::{OutputFormat, WriteOptions};
use std::io::{self, Write};

/// Records how the output arrives: all of it, and the largest single write.
#[derive(Default)]
struct Recorder {
    bytes: Vec<u8>,
    largest_write: usize,
    writes: usize,
}

impl Write for Recorder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes.extend_from_slice(buf);
        self.largest_write = self.largest_write.max(buf.len());
        self.writes += 1;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Fails once `limit` bytes were written.
struct FailsAfter {
    written: usize,
    limit: usize,
}

impl Write for FailsAfter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written + buf.len() > self.limit {
            return Err(io::Error::other("disk full"));
        }
        self.written += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn cell(text: String, colspan: u32) -> Cell {
    Cell {
        content: vec![Block::Paragraph(vec![Inline::Text(text)])],
        colspan,
        rowspan: 1,
    }
}

/// `rows` rows of `columns` cells `r{row}c{column}`; with `head`, one header row (a pipe
/// table in Markdown), else none (an HTML table there); with `spans`, every tenth row has
/// a cell spanning two columns and a footnote in its first cell.
fn big_table(rows: usize, columns: usize, head: bool, spans: bool) -> Table {
    let row = |r: usize| {
        let mut cells: Vec<Cell> = (0..columns).map(|c| cell(format!("r{r}c{c}"), 1)).collect();
        if spans && r % 10 == 5 {
            cells.pop();
            if let Some(last) = cells.last_mut() {
                *last = cell(format!("r{r} spanning two columns, wider than both"), 2);
            }
            if let Some(Block::Paragraph(inlines)) =
                cells.first_mut().and_then(|c| c.content.first_mut())
            {
                inlines.push(Inline::Note(vec![Block::Paragraph(vec![Inline::Text(
                    format!("Note of row {r}."),
                )])]));
            }
        }
        Row { cells }
    };
    Table {
        caption: vec![Inline::Text("A big table".into())],
        alignments: vec![Alignment::Right; columns.min(3)],
        head: if head { vec![row(0)] } else { Vec::new() },
        body: (1..=rows).map(row).collect(),
    }
}

fn document(blocks: Vec<Block>) -> Document {
    Document::new(
        Meta {
            title: Some("Tables".into()),
            ..Meta::default()
        },
        blocks,
    )
}

const FORMATS: [OutputFormat; 3] = [
    OutputFormat::Markdown,
    OutputFormat::Html,
    OutputFormat::Text,
];

/// Streams the document in each format: the output must come in many small writes and be
/// byte for byte what `write` makes.
fn assert_streams(document: &Document, formats: &[OutputFormat], what: &str) {
    let options = WriteOptions::default();
    for &format in formats {
        let written = quire::write(document, format, &options).expect("writes");
        let mut recorder = Recorder::default();
        quire::write_to(document, format, &options, &mut recorder).expect("streams");
        assert!(
            recorder.bytes == written.bytes,
            "{what} as {format}: streamed output differs"
        );
        let total = recorder.bytes.len();
        assert!(total > 1_000_000, "{what} as {format}: only {total} bytes");
        // The writers gather 64 KiB before they write: nothing near the whole table may wait.
        assert!(
            recorder.largest_write < 200_000 && recorder.writes > total / 200_000,
            "{what} as {format}: {} bytes in {} writes, the largest {}",
            total,
            recorder.writes,
            recorder.largest_write
        );
    }
}

#[test]
fn a_table_with_a_header_row_streams() {
    // A pipe table in Markdown.
    let document = document(vec![
        Block::Paragraph(vec![Inline::Text("Before.".into())]),
        Block::Table(Box::new(big_table(12_000, 20, true, false))),
        Block::Paragraph(vec![Inline::Text("After.".into())]),
    ]);
    let markdown =
        quire::write(&document, OutputFormat::Markdown, &WriteOptions::default()).expect("writes");
    let markdown = String::from_utf8(markdown.bytes).expect("utf-8");
    assert!(
        markdown.contains("A big table\n\n| r0c0 | r0c1 |"),
        "{}",
        &markdown[..300]
    );
    assert!(markdown.contains("| r12000c18 | r12000c19 |\n\nAfter.\n"));
    assert_streams(&document, &FORMATS, "a table with a header row");
}

#[test]
fn a_table_markdown_writes_as_html_streams() {
    // No header row: an HTML block in Markdown, which must have no blank line and no
    // whitespace at its end.
    let mut table = big_table(12_000, 20, false, false);
    if let Some(Block::Paragraph(inlines)) = table
        .body
        .get_mut(7000)
        .and_then(|row| row.cells.first_mut())
        .and_then(|cell| cell.content.first_mut())
    {
        *inlines = vec![Inline::Text("x".into())];
    }
    if let Some(cell) = table
        .body
        .get_mut(7000)
        .and_then(|row| row.cells.first_mut())
    {
        cell.content.push(Block::Code {
            language: None,
            text: "one\n\n\ntwo".into(),
        });
    }
    let document = document(vec![Block::Table(Box::new(table))]);
    let markdown =
        quire::write(&document, OutputFormat::Markdown, &WriteOptions::default()).expect("writes");
    let markdown = String::from_utf8(markdown.bytes).expect("utf-8");
    assert!(markdown.contains("\n\n<table>\n<caption>A big table</caption>\n<tbody>\n<tr>"));
    assert!(markdown.contains("<pre><code>one\n&#10;\ntwo</code></pre>"));
    assert!(markdown.ends_with("</tr>\n</tbody>\n</table>\n"));
    assert_eq!(
        markdown.matches("\n\n").count(),
        1,
        "one blank line, before the table"
    );
    assert_streams(&document, &FORMATS, "a table without a header row");
}

#[test]
fn a_table_with_spans_and_notes_streams() {
    let document = document(vec![Block::Table(Box::new(big_table(
        12_000, 20, true, true,
    )))]);
    let text =
        quire::write(&document, OutputFormat::Text, &WriteOptions::default()).expect("writes");
    let text = String::from_utf8(text.bytes).expect("utf-8");
    // The columns are as wide as "r12000c18"; the spanning cells widen the last one, the
    // widest ("r11995 spanning …", 44 chars) to 44 - 9 - 2.
    let rule = format!("{}  {}\n", "-".repeat(9), "-".repeat(33));
    assert!(text.contains(&rule), "{}", &text[..2000]);
    // Notes are numbered once, in order, though the cells were measured first.
    assert!(
        text.contains("r5c0[1]") && text.contains("r15c0[2]"),
        "{}",
        &text[..2000]
    );
    assert!(
        text.contains("\n[1] Note of row 5.\n") && text.contains("\n[1200] Note of row 11995.\n")
    );
    assert!(!text.contains("[1201]"));
    assert_streams(&document, &FORMATS, "a table with spans and notes");
}

#[test]
fn nested_tables_stream_in_html_and_text() {
    // Markdown writes a quote whole (its lines are prefixed), so only HTML and text here;
    // a container is no nesting in Markdown.
    let table = || Block::Table(Box::new(big_table(6_000, 20, true, false)));
    let document = document(vec![
        Block::Quote(vec![table()]),
        Block::Container {
            attr: Box::new(Attr::default()),
            blocks: vec![table()],
        },
    ]);
    let text =
        quire::write(&document, OutputFormat::Text, &WriteOptions::default()).expect("writes");
    let text = String::from_utf8(text.bytes).expect("utf-8");
    // Quoted, and aligned (the first three columns to the right) as a table at the top is.
    assert!(text.contains("\n> A big table\n>    r0c0     r0c1     r0c2  r0c3     r0c4  "));
    assert!(text.contains("\n> -------  -------  "));
    assert_streams(
        &document,
        &[OutputFormat::Html, OutputFormat::Text],
        "nested tables",
    );
    let contained = document_of_container(table());
    assert_streams(&contained, &FORMATS, "a table in a container");
}

fn document_of_container(block: Block) -> Document {
    document(vec![Block::Container {
        attr: Box::new(Attr::default()),
        blocks: vec![block],
    }])
}

#[test]
fn a_failing_destination_stops_a_table_with_an_error() {
    let document = document(vec![Block::Table(Box::new(big_table(
        12_000, 20, false, true,
    )))]);
    for format in FORMATS {
        let mut out = FailsAfter {
            written: 0,
            limit: 500_000,
        };
        let result = quire::write_to(&document, format, &WriteOptions::default(), &mut out);
        let error = result.expect_err("the destination fails");
        assert!(error.to_string().contains("disk full"), "{format}: {error}");
        assert!(out.written > 0, "{format}: wrote before it failed");
    }
}

#[test]
fn tables_nested_in_cells_are_not_rendered_again_at_every_level() {
    // The outermost table renders its cells once to measure them and once to write them; a
    // table inside a cell keeps its cells' texts, or 30 levels would take 2^30 renderings.
    let mut block = Block::Paragraph(vec![
        Inline::Text("innermost".into()),
        Inline::Note(vec![Block::Paragraph(vec![Inline::Text(
            "The note.".into(),
        )])]),
    ]);
    for level in 0..30 {
        block = Block::Table(Box::new(Table {
            caption: vec![],
            alignments: vec![],
            head: vec![],
            body: vec![Row {
                cells: vec![
                    cell(format!("level {level}"), 1),
                    Cell {
                        content: vec![block],
                        colspan: 1,
                        rowspan: 1,
                    },
                ],
            }],
        }));
    }
    let document = document(vec![block]);
    // Done in a thread, so that a writer gone exponential fails the test instead of hanging
    // it (the thread is left behind).
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let written = quire::write(&document, OutputFormat::Text, &WriteOptions::default());
        let _ = sender.send(written);
    });
    let text = receiver
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the text writer finishes in time")
        .expect("writes");
    let text = String::from_utf8(text.bytes).expect("utf-8");
    assert!(
        text.contains("\nlevel 29  level 28 level 27 ") && text.contains(" level 0 innermost[1]\n"),
        "{text}"
    );
    assert!(text.ends_with("\n----------\n\n[1] The note.\n"), "{text}");
}
