//! The HTML reader over real pages of the article-extraction benchmark.

use quire::{InputFormat, ReadOptions};
use std::path::Path;

#[test]
fn aeb_pages_read_with_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/aeb/html");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    assert!(names.len() >= 10);
    for path in names.iter().take(12) {
        let bytes = std::fs::read(path).expect("page");
        let reading = quire::read(&bytes, InputFormat::Html, &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let text = reading.document.plain_text(usize::MAX);
        assert!(
            text.split_whitespace().count() > 50,
            "{}: only {:?}",
            path.display(),
            text
        );
        assert!(!text.contains("<script"), "{}", path.display());
    }
}
