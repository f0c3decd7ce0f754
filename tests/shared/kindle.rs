//! `--profile kindle` on real pages: thirty pages of the Readability corpus, read through
//! article extraction, make books in which `quire check --kindle` finds nothing and that
//! EPUBCheck passes without errors or warnings.

use std::path::Path;

use crate::kepub::kepub_rules::epubcheck_all;
use quire::write::epub::Profile;
use quire::{OutputFormat, WriteOptions};

#[test]
fn thirty_corpus_pages_make_kindle_clean_books() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/readability");
    let mut pages: Vec<_> = std::fs::read_dir(&corpus)
        .expect("the Readability corpus")
        .map(|e| e.unwrap().path().join("source.html"))
        .filter(|p| p.is_file())
        .collect();
    pages.sort();
    assert!(pages.len() >= 30, "{} pages", pages.len());
    let dir = tempfile::tempdir().unwrap();
    let mut options = WriteOptions {
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    options.epub.profile = Profile::Kindle;
    let mut failures = Vec::new();
    let mut books = Vec::new();
    for page in pages.iter().take(30) {
        let name = page
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let bytes = std::fs::read(page).unwrap();
        let document = quire::read(
            &bytes,
            quire::InputFormat::Html,
            &quire::ReadOptions::default(),
        )
        .unwrap()
        .document;
        let rendered = quire::write(&document, OutputFormat::Epub, &options).unwrap();
        let problems = quire::check::check_kindle(&rendered.bytes).unwrap();
        if !problems.is_empty() {
            let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
            failures.push(format!("{name}: {}", lines.join("\n  ")));
        }
        let book = dir.path().join(format!("{name}.epub"));
        std::fs::write(&book, &rendered.bytes).unwrap();
        books.push(book);
    }
    // EPUBCheck over all the books in one Java process (see `epubcheck_all`).
    for (book, report) in epubcheck_all(&books).unwrap_or_default() {
        failures.push(format!("{} (epubcheck):\n{report}", book.display()));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
