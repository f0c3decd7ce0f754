//! Metadata against Mozilla Readability's test pages (`../shared/corpus/readability`): each
//! `source.html` is read as HTML and its title, byline and date compared with
//! `expected-metadata.json`.
//!
//! Readability's expected values carry its own quirks (a byline with the date run into it,
//! a title it left with the site name), so bylines and dates are compared loosely and the
//! test asserts rates, printing every miss.

use quire::{InputFormat, ReadOptions};
use std::path::Path;

fn normalized(text: &str) -> String {
    let text = quire::model::collapse_whitespace(text)
        .trim()
        .to_lowercase();
    for prefix in ["by ", "par "] {
        if let Some(rest) = text.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    text
}

#[test]
fn titles_bylines_and_dates_match_readability() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/readability");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .expect("the readability corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected-metadata.json").exists())
        .collect();
    pages.sort();
    let (mut titles, mut titles_ok) = (0, 0);
    let (mut bylines, mut bylines_ok) = (0, 0);
    let (mut dates, mut dates_ok) = (0, 0);
    for page in &pages {
        let name = page.file_name().unwrap().to_string_lossy().to_string();
        let expected: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(page.join("expected-metadata.json")).unwrap(),
        )
        .unwrap();
        let html = std::fs::read(page.join("source.html")).unwrap();
        let reading = quire::read(&html, InputFormat::Html, &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let meta = &reading.document.meta;
        if let Some(want) = expected["title"].as_str().filter(|t| !t.is_empty()) {
            titles += 1;
            let got = meta.title.clone().unwrap_or_default();
            if normalized(&got) == normalized(want) {
                titles_ok += 1;
            } else {
                eprintln!("title   {name}: got {got:?}, want {want:?}");
            }
        }
        if let Some(want) = expected["byline"].as_str().filter(|t| !t.is_empty()) {
            bylines += 1;
            let got = normalized(&meta.authors.join(", "));
            let want = normalized(want);
            // Readability runs dates and counters into some bylines: a name that begins the
            // expected byline counts.
            if !got.is_empty() && (got == want || want.starts_with(&got)) {
                bylines_ok += 1;
            } else {
                eprintln!("byline  {name}: got {got:?}, want {want:?}");
            }
        }
        if let Some(want) = expected["publishedTime"].as_str().filter(|t| t.len() >= 10) {
            dates += 1;
            let got = meta.published.map(|d| d.to_iso()).unwrap_or_default();
            if got.get(..10) == want.get(..10) {
                dates_ok += 1;
            } else {
                eprintln!("date    {name}: got {got:?}, want {want:?}");
            }
        }
    }
    eprintln!(
        "titles {titles_ok}/{titles}, bylines {bylines_ok}/{bylines}, dates {dates_ok}/{dates}"
    );
    assert!(titles > 80, "only {titles} pages with a title");
    assert!(
        titles_ok * 100 >= titles * 95,
        "titles {titles_ok}/{titles}"
    );
    assert!(
        bylines_ok * 100 >= bylines * 85,
        "bylines {bylines_ok}/{bylines}"
    );
    assert!(dates_ok * 100 >= dates * 90, "dates {dates_ok}/{dates}");
}
