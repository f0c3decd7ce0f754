//! Every sample's output checked by real clients: the Nu Html Checker for the HTML, pandoc for
//! the Markdown (it must read back the same words as our plain text), and round trips through
//! our own readers.

use crate::golden::{file_name, read_sample, samples};
use crate::support::{nu_html_check, program, words};
use quire::model::{inlines_to_plain, Block, Document, Meta};
use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};
use std::fs;
use std::path::Path;
use std::process::Command;

fn write(document: &Document, format: OutputFormat, options: &WriteOptions) -> String {
    let rendered = quire::write(document, format, options).expect("writes");
    String::from_utf8(rendered.bytes).expect("UTF-8 output")
}

fn sample_documents() -> Vec<(String, Document)> {
    samples()
        .iter()
        .map(|path| {
            let document = read_sample(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            (file_name(path), document)
        })
        .collect()
}

#[test]
fn every_sample_html_passes_the_nu_html_checker() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, document) in sample_documents() {
        let html = write(&document, OutputFormat::Html, &WriteOptions::default());
        fs::write(dir.path().join(format!("{name}.html")), html).expect("write html");
    }
    if let Some(messages) = nu_html_check(dir.path()) {
        assert!(
            messages.trim().is_empty(),
            "the Nu Html Checker found errors:\n{messages}"
        );
    }
}

#[test]
fn pandoc_reads_our_markdown_with_the_words_of_our_text() {
    let Some(pandoc) = program("pandoc", "pandoc") else {
        return;
    };
    let options = WriteOptions {
        front_matter: false,
        ..WriteOptions::default()
    };
    for (name, mut document) in sample_documents() {
        // Without front matter the Markdown carries only the title of the metadata; the text
        // writer would add byline and date lines, so compare documents that have just a title.
        document.meta = Meta {
            title: document.meta.title.take(),
            ..Meta::default()
        };
        let markdown = write(&document, OutputFormat::Markdown, &options);
        let text = write(&document, OutputFormat::Text, &options);
        let output = Command::new(&pandoc)
            .args(["-f", "gfm", "-t", "plain", "--wrap=none"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child
                    .stdin
                    .take()
                    .expect("stdin")
                    .write_all(markdown.as_bytes())?;
                child.wait_with_output()
            })
            .expect("pandoc runs");
        assert!(output.status.success(), "{name}: pandoc failed");
        // pandoc's plain text shows a task item's box as ☒ or ☐, quire's as [x] or [ ]
        // (as its Markdown does): the same box, one more word in quire's.
        let pandoc_text = String::from_utf8_lossy(&output.stdout)
            .replace('\u{2612}', "[x]")
            .replace('\u{2610}', "[ ]");
        let pandoc_words = words(&pandoc_text);
        let our_words = words(&text);
        if pandoc_words != our_words {
            let first = pandoc_words
                .iter()
                .zip(&our_words)
                .position(|(a, b)| a != b)
                .unwrap_or(pandoc_words.len().min(our_words.len()));
            let from = first.saturating_sub(5);
            panic!(
                "{name}: pandoc's words differ from quire's text at word {first}:\n  pandoc: {:?}\n  quire:  {:?}",
                &pandoc_words[from..(first + 10).min(pandoc_words.len())],
                &our_words[from..(first + 10).min(our_words.len())],
            );
        }
        assert!(our_words.len() > 50, "{name}: suspiciously few words");
    }
}

#[test]
fn html_we_write_reads_back_as_the_same_model() {
    for (name, document) in sample_documents() {
        let html = write(&document, OutputFormat::Html, &WriteOptions::default());
        let options = ReadOptions {
            whole_page: true,
            ..ReadOptions::default()
        };
        let back = quire::read(html.as_bytes(), InputFormat::Html, &options)
            .unwrap_or_else(|e| panic!("{name}: our HTML does not read: {e}"))
            .document;
        assert_eq!(back.blocks, document.blocks, "{name}: blocks differ");
        assert_eq!(back.meta, document.meta, "{name}: metadata differs");
    }
}

/// What Markdown keeps of a document: a figure's alt text is its caption (`![caption](src)`),
/// and a simple table's caption is a paragraph above the pipe table (GFM has no captions).
fn as_markdown_keeps_it(blocks: &[Block]) -> Vec<Block> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Figure(figure) if !figure.caption.is_empty() => {
                let mut figure = figure.clone();
                figure.image.alt = inlines_to_plain(&figure.caption);
                out.push(Block::Figure(figure));
            }
            Block::Table(table) if !table.caption.is_empty() => {
                let spans = table.head.iter().chain(&table.body).flat_map(|r| &r.cells);
                assert!(
                    spans.clone().all(|c| c.colspan == 1 && c.rowspan == 1),
                    "only simple captioned tables become pipe tables"
                );
                let mut table = table.clone();
                out.push(Block::Paragraph(std::mem::take(&mut table.caption)));
                out.push(Block::Table(table));
            }
            Block::Quote(inner) => out.push(Block::Quote(as_markdown_keeps_it(inner))),
            Block::List(list) => {
                let mut list = list.clone();
                list.items = list.items.iter().map(|i| as_markdown_keeps_it(i)).collect();
                out.push(Block::List(list));
            }
            other => out.push(other.clone()),
        }
    }
    out
}

#[test]
fn markdown_we_write_reads_back_as_the_same_model() {
    for (name, mut document) in sample_documents() {
        document.blocks = as_markdown_keeps_it(&document.blocks);
        // Markdown has no image sizes.
        document.for_each_image_mut(&mut |image| (image.width, image.height) = (None, None));
        let markdown = write(&document, OutputFormat::Markdown, &WriteOptions::default());
        let back = quire::read(
            markdown.as_bytes(),
            InputFormat::Markdown,
            &ReadOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{name}: our Markdown does not read: {e}"))
        .document;
        assert_eq!(back.meta, document.meta, "{name}: metadata differs");
        assert_eq!(back.blocks, document.blocks, "{name}: blocks differ");
    }
}

#[test]
fn json_we_write_reads_back_as_the_same_model() {
    for (name, document) in sample_documents() {
        let json = write(&document, OutputFormat::Json, &WriteOptions::default());
        let back = quire::read(json.as_bytes(), InputFormat::Json, &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{name}: our JSON does not read: {e}"))
            .document;
        assert_eq!(back, document, "{name}: the model differs");
    }
}

#[test]
fn every_sample_makes_a_clean_epub() {
    let dir = tempfile::tempdir().expect("temp dir");
    for path in samples() {
        let name = file_name(&path);
        let document = read_sample(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let options = WriteOptions {
            resource_dir: path.parent().map(Path::to_path_buf),
            timestamp: Some(1_700_000_000),
            ..WriteOptions::default()
        };
        let rendered = quire::write(&document, OutputFormat::Epub, &options).expect("writes");
        let book = dir.path().join(format!("{name}.epub"));
        fs::write(&book, &rendered.bytes).expect("write book");
        crate::epub::assert_epubcheck_clean(&rendered.bytes, &name);
    }
}
