//! Writers that stream (HTML, Markdown, text, JSON): the output sent out in chunks as it is
//! made (`write_to`, what the command line uses) is byte for byte what `write` returns, for
//! documents long enough to be cut many times, and a failing destination is told apart from
//! a failing writer.

use assert_cmd::Command;
use quire::model::{Block, Document, Inline};
use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};
use std::path::Path;

fn sample(name: &str) -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name);
    let bytes = std::fs::read(&path).expect("sample");
    let format = InputFormat::from_path(&path).expect("known extension");
    quire::read(&bytes, format, &ReadOptions::default())
        .expect("sample reads")
        .document
}

/// The sample's blocks many times over (over 64 KiB of output, so that it goes out in
/// several chunks), with a footnote in every copy so the notes follow a long body.
fn long(mut document: Document) -> Document {
    let blocks = std::mem::take(&mut document.blocks);
    for copy in 0..60 {
        document.blocks.extend(blocks.iter().cloned());
        document.blocks.push(Block::Paragraph(vec![
            Inline::text(format!("Copy {copy}")),
            Inline::Note(vec![Block::Paragraph(vec![Inline::text(format!(
                "Note of copy {copy}."
            ))])]),
        ]));
    }
    document
}

fn option_sets() -> Vec<WriteOptions> {
    let mut sets = vec![WriteOptions::default()];
    sets.push(WriteOptions {
        fragment: true,
        ..WriteOptions::default()
    });
    sets.push(WriteOptions {
        front_matter: false,
        ..WriteOptions::default()
    });
    sets.push(WriteOptions {
        text_width: Some(40),
        ..WriteOptions::default()
    });
    sets
}

#[test]
fn streamed_output_is_the_written_output() {
    for name in ["essay.md", "note.md", "harbour-news.txt", "web-page.html"] {
        let short = sample(name);
        for document in [long(short.clone()), short] {
            for format in [
                OutputFormat::Html,
                OutputFormat::Markdown,
                OutputFormat::Text,
                OutputFormat::Json,
            ] {
                for options in option_sets() {
                    let written = quire::write(&document, format, &options).expect("writes");
                    let mut streamed = Vec::new();
                    let warnings = quire::write_to(&document, format, &options, &mut streamed)
                        .expect("streams");
                    assert_eq!(warnings, written.warnings, "{name} as {format}");
                    assert!(
                        streamed == written.bytes,
                        "{name} as {format} ({} and {} bytes) differs, fragment {}",
                        streamed.len(),
                        written.bytes.len(),
                        options.fragment
                    );
                }
            }
        }
    }
    // The long documents do go out in several chunks.
    let long_text = quire::write(
        &long(sample("essay.md")),
        OutputFormat::Text,
        &WriteOptions::default(),
    )
    .expect("writes");
    assert!(
        long_text.bytes.len() > 4 * 64 * 1024,
        "{}",
        long_text.bytes.len()
    );
}

#[test]
fn a_full_disk_is_an_error_of_the_output_not_of_the_writer() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let essay = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/essay.md");
    let output = Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("convert")
        .arg(&essay)
        .args(["--to", "html", "-o", "/dev/full"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim(), "quire: /dev/full: No space left on device");
}
