//! Metadata against Mozilla Readability's test pages (`../shared/corpus/readability`): each
//! `source.html` is read as HTML and its title, byline and date compared with
//! `expected-metadata.json`.
//!
//! Readability's expected values carry its own quirks (a byline with the date run into it,
//! a title it left with the site name), so bylines and dates are compared loosely and the
//! test asserts rates, printing every miss. Readability also leaves the site's name in some
//! titles ("Title | eHow") that quire cuts, as it should: a title that is the expected one
//! less its `siteName` counts as exact. `benches/titles.sh` prints the figures.

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

fn whitespace_normalized(text: &str) -> String {
    quire::model::collapse_whitespace(text).trim().to_string()
}

/// A key for names: letters and digits, lower case ("Factorio.com" ~ "factoriocom").
fn name_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `want` is `got` with the site's name added before or after a separator.
fn is_title_less_site(got: &str, want: &str, site: &str) -> bool {
    let site = name_key(site);
    if got.is_empty() || site.is_empty() {
        return false;
    }
    [" | ", " - ", " – ", " — ", " :: ", " » ", " · ", ": "]
        .iter()
        .any(|sep| {
            let names_site = |part: &str| {
                let part = name_key(part);
                !part.is_empty() && site.contains(&part)
            };
            want.strip_prefix(got)
                .and_then(|rest| rest.strip_prefix(sep))
                .is_some_and(names_site)
                || want
                    .strip_suffix(got)
                    .and_then(|rest| rest.strip_suffix(sep))
                    .is_some_and(names_site)
        })
}

#[test]
fn titles_bylines_and_dates_match_readability() {
    // A worktree beside the checkout has no `../shared`: QUIRE_SHARED names it there.
    let shared = std::env::var_os("QUIRE_SHARED")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = shared.join("corpus/readability");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .expect("the readability corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected-metadata.json").exists())
        .collect();
    pages.sort();
    let (mut titles, mut titles_ok, mut titles_as_readability) = (0, 0, 0);
    let (mut bylines, mut bylines_ok) = (0, 0);
    let (mut dates, mut dates_ok) = (0, 0);
    let (mut langs, mut langs_ok) = (0, 0);
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
            // Exact: only whitespace may differ (no case folding, no "by"), or Readability
            // kept the site's name that quire cuts (its expected `siteName`).
            let (got_n, want_n) = (whitespace_normalized(&got), whitespace_normalized(want));
            let site = expected["siteName"].as_str().unwrap_or_default();
            if got_n == want_n {
                titles_ok += 1;
                titles_as_readability += 1;
            } else if is_title_less_site(&got_n, &want_n, site) {
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
        if let Some(want) = expected["lang"].as_str().filter(|t| !t.is_empty()) {
            langs += 1;
            let got = meta.language.clone().unwrap_or_default();
            if got.eq_ignore_ascii_case(want) {
                langs_ok += 1;
            } else {
                eprintln!("lang    {name}: got {got:?}, want {want:?}");
            }
        }
    }
    eprintln!(
        "exact titles {titles_ok}/{titles} ({titles_as_readability} with Readability's site \
         names), bylines {bylines_ok}/{bylines}, dates {dates_ok}/{dates}, \
         languages {langs_ok}/{langs}"
    );
    assert!(titles > 80, "only {titles} pages with a title");
    assert!(
        titles_ok * 100 >= titles * 97,
        "titles {titles_ok}/{titles}"
    );
    assert!(
        bylines_ok * 100 >= bylines * 85,
        "bylines {bylines_ok}/{bylines}"
    );
    assert!(dates_ok * 100 >= dates * 90, "dates {dates_ok}/{dates}");
    assert!(langs_ok * 100 >= langs * 95, "languages {langs_ok}/{langs}");
}
