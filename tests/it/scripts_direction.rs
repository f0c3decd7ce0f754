//! Direction in HTML and EPUB, as a browser shows them: a Hebrew article (which states its
//! language and no direction) has its root `dir="rtl"`, and its quote bar on the right, the
//! inline-start side, in the standalone page and in the EPUB chapter; an English one has it
//! on the left. The stylesheets use logical properties, so the side follows `dir`.
//!
//! Each page is loaded in an iframe of a small harness whose script writes what it measured
//! into the DOM, which Chromium's `--dump-dom` prints (as in `browser.rs`). Without Chromium
//! the tests skip with a note, and fail when `CI` is set.

use std::path::Path;

use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};
use serde_json::Value;

use crate::browser::{chromium, chromium_binary};

/// Measures, in each framed page: the root's direction and the first blockquote's border
/// widths on either side and its box.
const PROBE: &str = r#"
function measure(frame) {
  var w = frame.contentWindow, d = w.document;
  var q = d.querySelector('blockquote'), s = q ? w.getComputedStyle(q) : null;
  return {
    dir: w.getComputedStyle(d.documentElement).direction,
    attr: d.documentElement.getAttribute('dir'),
    barLeft: s ? parseFloat(s.borderLeftWidth) : -1,
    barRight: s ? parseFloat(s.borderRightWidth) : -1
  };
}
window.addEventListener('load', function () {
  var frames = document.querySelectorAll('iframe'), found = [];
  for (var i = 0; i < frames.length; i++) found.push(measure(frames[i]));
  var marker = 'QUIRE-' + 'DIR', pre = document.createElement('pre');
  pre.textContent = marker + JSON.stringify(found) + marker;
  document.body.appendChild(pre);
});
"#;

fn article(language: &str, title: &str, text: &str, quote: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\"><head><meta charset=\"utf-8\">\
         <title>{title}</title></head><body><article><h1>{title}</h1>\
         <p>{text}</p><p>{text}</p><blockquote><p>{quote}</p></blockquote><p>{text}</p>\
         </article></body></html>"
    )
}

/// The article written as a page and as an EPUB chapter, each loaded in Chromium: what the
/// probe found in the page, then in the chapter; and the two files' text.
fn measure(binary: &Path, input: &str) -> (Vec<Value>, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let document = quire::read(input.as_bytes(), InputFormat::Html, &ReadOptions::default())
        .expect("reads")
        .document;
    let options = WriteOptions {
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    let html = quire::write(&document, OutputFormat::Html, &options).expect("HTML written");
    std::fs::write(dir.path().join("page.html"), &html.bytes).unwrap();
    let epub = quire::write(&document, OutputFormat::Epub, &options).expect("EPUB written");
    let book = dir.path().join("book");
    for (name, bytes) in crate::epub::unzip(&epub.bytes) {
        let path = book.join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let chapter = "book/OEBPS/chapter-1.xhtml";
    let chapter_text = std::fs::read_to_string(dir.path().join(chapter)).expect("the chapter");
    let frames: String = ["page.html", chapter]
        .iter()
        .map(|page| {
            format!("<iframe src=\"{page}\" style=\"width:800px;height:600px\"></iframe>\n")
        })
        .collect();
    let harness = dir.path().join("harness.html");
    std::fs::write(
        &harness,
        format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n\
             {frames}<script>{PROBE}</script></body></html>\n"
        ),
    )
    .unwrap();
    let user_data = tempfile::tempdir().unwrap();
    let output = chromium(binary, (1000, 1400))
        .arg(format!("--user-data-dir={}", user_data.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", harness.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout);
    let json = dom.split("QUIRE-DIR").nth(1).unwrap_or_else(|| {
        panic!(
            "no measurements in Chromium's DOM (exit {:?}):\n{dom}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let found: Vec<Value> = serde_json::from_str(json).expect("the probe's JSON");
    assert_eq!(found.len(), 2, "one measurement a frame");
    let page = String::from_utf8(html.bytes).expect("UTF-8 page");
    (found, page, chapter_text)
}

#[test]
fn a_hebrew_article_is_right_to_left_with_its_quote_bar_on_the_right() {
    let Some(binary) = chromium_binary() else {
        return;
    };
    let input = article(
        "he",
        "כותרת",
        "שלום, עולם. זה מחיר של כ-45 שקלים בשנת 2024, ב-Firefox.",
        "ציטוט קצר, עם פסיק.",
    );
    let (found, page, chapter) = measure(&binary, &input);
    assert!(
        page.contains(" dir=\"rtl\""),
        "the page states its direction"
    );
    assert!(
        chapter.contains("xml:lang=\"he\"") && chapter.contains(" dir=\"rtl\""),
        "the chapter states its language and direction"
    );
    for (what, f) in ["page", "chapter"].iter().zip(&found) {
        assert_eq!(f["dir"], "rtl", "{what}: {f}");
        assert!(
            f["barRight"].as_f64() > Some(0.0),
            "{what}: a bar on the right: {f}"
        );
        assert_eq!(
            f["barLeft"].as_f64(),
            Some(0.0),
            "{what}: none on the left: {f}"
        );
    }
}

#[test]
fn an_english_article_keeps_its_quote_bar_on_the_left() {
    let Some(binary) = chromium_binary() else {
        return;
    };
    let input = article(
        "en",
        "A title",
        "Hello, world. This costs about 45 shekels in 2024, in Firefox.",
        "A short quote, with a comma.",
    );
    let (found, page, chapter) = measure(&binary, &input);
    assert!(!page.contains(" dir=\"rtl\"") && !chapter.contains(" dir=\"rtl\""));
    for (what, f) in ["page", "chapter"].iter().zip(&found) {
        assert_eq!(f["dir"], "ltr", "{what}: {f}");
        assert!(
            f["barLeft"].as_f64() > Some(0.0),
            "{what}: a bar on the left: {f}"
        );
        assert_eq!(
            f["barRight"].as_f64(),
            Some(0.0),
            "{what}: none on the right: {f}"
        );
    }
}

/// A book whose language is written right to left turns its pages leftwards and says its
/// chapters' language and direction, though the input states no direction (no browser
/// needed).
#[test]
fn a_hebrew_book_states_its_direction_in_the_package_and_the_chapter() {
    let input = article("he", "כותרת", "שלום, עולם.", "ציטוט.");
    let document = quire::read(input.as_bytes(), InputFormat::Html, &ReadOptions::default())
        .expect("reads")
        .document;
    assert_eq!(
        document.meta.direction, None,
        "the input states no direction"
    );
    let options = WriteOptions {
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    let epub = quire::write(&document, OutputFormat::Epub, &options).expect("EPUB written");
    let files = crate::epub::unzip(&epub.bytes);
    let text = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    assert!(text("OEBPS/content.opf").contains("page-progression-direction=\"rtl\""));
    let chapter = text("OEBPS/chapter-1.xhtml");
    assert!(chapter.contains("xml:lang=\"he\"") && chapter.contains(" dir=\"rtl\""));
}
