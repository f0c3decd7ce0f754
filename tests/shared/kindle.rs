//! `--profile kindle` on real pages: thirty pages of the Readability corpus, read through
//! article extraction, make books in which `quire check --kindle` finds nothing and that
//! EPUBCheck passes without errors or warnings.

use std::path::Path;
use std::process::Command;

use quire::write::epub::Profile;
use quire::{OutputFormat, WriteOptions};

const EPUBCHECK_JAR: &str = "/usr/share/java/epubcheck.jar";

#[test]
fn thirty_corpus_pages_make_kindle_clean_books() {
    let epubcheck = Path::new(EPUBCHECK_JAR).exists();
    if !epubcheck {
        assert!(
            std::env::var_os("CI").is_none(),
            "epubcheck is required under CI"
        );
        eprintln!("!!!!! SKIPPED: epubcheck is not installed; the books are not validated !!!!!");
    }
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
        if epubcheck {
            let book = dir.path().join(format!("{name}.epub"));
            std::fs::write(&book, &rendered.bytes).unwrap();
            let out = Command::new("java")
                .args(["-jar", EPUBCHECK_JAR])
                .arg(&book)
                .output()
                .unwrap();
            let report = String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr);
            if !report.contains("No errors or warnings detected.") {
                failures.push(format!("{name} (epubcheck):\n{report}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
