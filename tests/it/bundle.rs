//! `quire bundle`: several inputs (files, folders) into one EPUB, PDF or HTML book; a bad
//! input is reported and left out; links between bundled articles stay inside the book.

use crate::epub::{assert_epubcheck_clean, file_text, unzip};
use crate::support::program;
use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn quire() -> Command {
    Command::cargo_bin("quire").expect("binary")
}

/// Two articles that link to each other by their canonical URLs.
fn linked_articles(dir: &Path) {
    let page = |title: &str, own: &str, other: &str| {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>{title}</title>\
             <link rel=\"canonical\" href=\"https://news.example/{own}\"></head><body><article>\
             <h1>{title}</h1><p>The harbour committee met on Tuesday to discuss the wall, and \
             the meeting went on late into the evening, as these meetings do.</p>\
             <p>See also <a href=\"https://news.example/{other}\">the other story</a> for \
             what the fishermen said about the plans and the months of work ahead.</p>\
             </article></body></html>"
        )
    };
    fs::write(dir.join("a.html"), page("Wall plans", "a", "b")).unwrap();
    fs::write(dir.join("b.html"), page("Fishermen react", "b", "a")).unwrap();
}

#[test]
fn a_folder_and_a_missing_file_make_a_valid_book_of_what_could_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("weekly.epub");
    let output = quire()
        .arg("bundle")
        .arg(samples())
        .arg(dir.path().join("missing.md"))
        .args(["--title", "Weekly reading", "-o"])
        .arg(&book)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("missing.md"), "{stderr}");
    let bytes = fs::read(&book).expect("the book is written from the readable inputs");
    let files = unzip(&bytes);
    let nav = file_text(&files, "OEBPS/nav.xhtml");
    for title in [
        "Reading the Tide",
        "Storm-damaged harbour wall",
        "библиотека инструментов",
        "Night ferry returns",
    ] {
        assert!(
            nav.contains(title),
            "{title} missing from the contents:\n{nav}"
        );
    }
    let opf = files
        .iter()
        .find(|(n, _)| n.ends_with(".opf"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("a package document");
    assert!(opf.contains("Weekly reading"), "{opf}");
    assert_epubcheck_clean(&bytes, "bundle-of-samples");
}

#[test]
fn links_between_bundled_articles_point_inside_the_book() {
    let dir = tempfile::tempdir().unwrap();
    linked_articles(dir.path());
    let book = dir.path().join("pair.epub");
    quire()
        .arg("bundle")
        .arg(dir.path().join("a.html"))
        .arg(dir.path().join("b.html"))
        .arg("-o")
        .arg(&book)
        .assert()
        .success();
    let bytes = fs::read(&book).unwrap();
    let files = unzip(&bytes);
    let first = file_text(&files, "OEBPS/chapter-1.xhtml");
    assert!(first.contains("href=\"chapter-2.xhtml"), "{first}");
    assert!(!first.contains("https://news.example/b"), "{first}");
    assert_epubcheck_clean(&bytes, "linked-pair");

    // The same in one HTML page: the link goes to the other article's heading.
    let page = dir.path().join("pair.html");
    quire()
        .arg("bundle")
        .arg(dir.path().join("a.html"))
        .arg(dir.path().join("b.html"))
        .arg("-o")
        .arg(&page)
        .assert()
        .success();
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.contains("id=\"chapter-2\""), "{html}");
    assert!(html.contains("href=\"#chapter-2\""), "{html}");
}

#[test]
fn a_pdf_bundle_holds_every_article_in_order() {
    let Some(pdftotext) = program("pdftotext", "poppler-utils") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("reading.pdf");
    quire()
        .arg("bundle")
        .arg(samples().join("essay.md"))
        .arg(samples().join("harbour-news.txt"))
        .args(["--title", "Two articles", "-o"])
        .arg(&pdf)
        .assert()
        .success();
    let text = std::process::Command::new(pdftotext)
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let essay = text.find("Reading the Tide").expect("the essay");
    let news = text
        .find("Storm-damaged harbour wall")
        .expect("the news story");
    assert!(essay < news, "articles in the order given");
    assert!(text.contains("Every harbour town has two clocks"));
}

#[test]
fn a_bundle_must_be_a_book_format() {
    let dir = tempfile::tempdir().unwrap();
    let output = quire()
        .arg("bundle")
        .arg(samples().join("note.md"))
        .arg("-o")
        .arg(dir.path().join("x.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("epub, pdf or html"));
    assert!(!dir.path().join("x.txt").exists());
}
