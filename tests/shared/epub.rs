//! The EPUB writer on the seed article: a real article's text, built into a document by hand
//! (the text reader is tested on its own), must make a clean book that pandoc reads back.

use std::path::Path;
use std::process::Command;

use crate::kepub::kepub_rules::epubcheck_all;
use quire::{Block, Document, Inline, Meta, OutputFormat, WriteOptions};

fn seed_document() -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/russia-nato.txt");
    let text = std::fs::read_to_string(&path).expect("the seed article");
    let mut paragraphs = text.split("\n\n").map(str::trim).filter(|p| !p.is_empty());
    let title = paragraphs.next().expect("a title line").to_string();
    let blocks = paragraphs
        .map(|p| Block::Paragraph(quire::model::normalize_inlines(vec![Inline::text(p)])))
        .collect();
    Document::new(
        Meta {
            title: Some(title),
            language: Some("en".into()),
            ..Meta::default()
        },
        blocks,
    )
}

fn tool_present(name: &str, present: bool) -> bool {
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name} is required under CI"
        );
        eprintln!("!!!!! SKIPPED: {name} is not installed; this check did not run !!!!!");
    }
    present
}

#[test]
fn seed_article_makes_a_clean_book_pandoc_reads_back() {
    let doc = seed_document();
    let options = WriteOptions {
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    let rendered = quire::write(&doc, OutputFormat::Epub, &options).unwrap();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("seed.epub");
    std::fs::write(&book, &rendered.bytes).unwrap();

    let jar = "/usr/share/java/epubcheck.jar";
    if tool_present("epubcheck", Path::new(jar).exists()) {
        let out = Command::new("java")
            .args(["-jar", jar])
            .arg(&book)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(
            report.contains("No errors or warnings detected."),
            "{report}"
        );
    }
    let pandoc = Command::new("pandoc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if tool_present("pandoc", pandoc) {
        let out = Command::new("pandoc")
            .args(["-f", "epub", "-t", "plain", "--wrap=none"])
            .arg(&book)
            .output()
            .unwrap();
        let plain = String::from_utf8_lossy(&out.stdout);
        let mut at = 0;
        for block in &doc.blocks {
            let Block::Paragraph(inlines) = block else {
                continue;
            };
            let words: Vec<&str> = match inlines.first() {
                Some(Inline::Text(t)) => t.split_whitespace().take(4).collect(),
                _ => continue,
            };
            let start = words.join(" ");
            let found = plain[at..]
                .find(&start)
                .unwrap_or_else(|| panic!("'{start}' in order"));
            at += found + start.len();
        }
    }
}

/// Real pages, read through article extraction, make books EPUBCheck finds nothing wrong with
/// (pandoc's EPUBs of the same pages, made offline, are valid in no case).
#[test]
fn thirty_corpus_pages_make_clean_books() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/aeb/html");
    let mut pages: Vec<_> = std::fs::read_dir(&corpus)
        .expect("the AEB corpus")
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    let dir = tempfile::tempdir().unwrap();
    let options = WriteOptions {
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    let mut books = Vec::new();
    for page in pages.iter().take(30) {
        let bytes = std::fs::read(page).unwrap();
        let read_options = quire::ReadOptions {
            source_url: Some(page.display().to_string()),
            ..quire::ReadOptions::default()
        };
        let document = quire::read(&bytes, quire::InputFormat::Html, &read_options)
            .unwrap()
            .document;
        let rendered = quire::write(&document, OutputFormat::Epub, &options).unwrap();
        let book = dir
            .path()
            .join(page.file_stem().unwrap())
            .with_extension("epub");
        std::fs::write(&book, &rendered.bytes).unwrap();
        books.push(book);
    }
    // One Java process for all the books (see `epubcheck_all`).
    let failures = epubcheck_all(&books).unwrap_or_default();
    let failures: Vec<String> = failures
        .iter()
        .map(|(book, report)| format!("{}:\n{report}", book.display()))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
