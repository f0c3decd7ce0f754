//! KEPUBs of 30 pages of Mozilla Readability's test corpus (`../shared/corpus/readability`):
//! Kobo's span rules in every content document, the zip's layout, and EPUBCheck.

#[path = "../common/kepub.rs"]
pub(crate) mod kepub_rules;

use kepub_rules::{check_kepub, epubcheck_all};
use quire::write::epub::Profile;
use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};
use std::path::{Path, PathBuf};

#[test]
fn thirty_corpus_pages_make_kepubs_that_keep_kobos_rules() {
    // A worktree beside the checkout has no `../shared`: QUIRE_SHARED names it there.
    let shared = std::env::var_os("QUIRE_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let mut pages: Vec<PathBuf> = std::fs::read_dir(shared.join("corpus/readability"))
        .expect("the readability corpus")
        .flatten()
        .map(|e| e.path().join("source.html"))
        .filter(|p| p.is_file())
        .collect();
    pages.sort();
    assert!(pages.len() >= 30, "{} pages", pages.len());
    let out = tempfile::tempdir().unwrap();
    let options = WriteOptions {
        timestamp: Some(1_700_000_000),
        epub: quire::write::epub::EpubOptions {
            profile: Profile::Kobo,
            ..Default::default()
        },
        ..WriteOptions::default()
    };
    let mut books = Vec::new();
    let mut problems = Vec::new();
    let mut spans = 0;
    for page in pages.iter().take(30) {
        let name = page
            .parent()
            .and_then(Path::file_name)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let bytes = std::fs::read(page).unwrap();
        let document = quire::read(&bytes, InputFormat::Html, &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .document;
        let book = quire::write(&document, OutputFormat::Kepub, &options)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        match check_kepub(&book.bytes) {
            Ok(facts) => spans += facts.spans,
            Err(found) => problems.push(format!("{name}:\n{found}")),
        }
        let path = out.path().join(format!("{name}.kepub.epub"));
        std::fs::write(&path, &book.bytes).unwrap();
        books.push(path);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    assert!(spans > 30 * 20, "{spans} spans in 30 pages");
    if let Some(failures) = epubcheck_all(&books) {
        let reports: Vec<String> = failures
            .iter()
            .map(|(book, report)| format!("{}:\n{report}", book.display()))
            .collect();
        assert!(reports.is_empty(), "{}", reports.join("\n\n"));
    }
}
