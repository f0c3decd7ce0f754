//! Article extraction on real pages (`../shared/corpus/aeb`): the whole benchmark scored the
//! way `../shared/tools/aeb_eval.py` scores it (a floor under the measured figure, so a
//! regression fails), and single pages where a known piece of chrome must go and a known
//! piece of the article must stay.

use quire::{InputFormat, ReadOptions};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The AEB corpus: `../shared/corpus/aeb`, or under `$QUIRE_SHARED` when set (a git worktree
/// elsewhere than beside `../shared`).
fn aeb() -> PathBuf {
    shared().join("corpus/aeb")
}

fn shared() -> PathBuf {
    std::env::var_os("QUIRE_SHARED").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    )
}

/// The article text quire extracts from an AEB page (the model's text, title left out).
fn article(id_prefix: &str) -> String {
    let dir = aeb().join("html");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(id_prefix))
        })
        .unwrap_or_else(|| panic!("no page {id_prefix}"));
    text_of(&path)
}

fn text_of(path: &Path) -> String {
    let html = std::fs::read(path).unwrap();
    let reading = quire::read(&html, InputFormat::Html, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reading.document.plain_text(usize::MAX)
}

fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect()
}

/// 4-word shingles, counted (as the benchmark's evaluate.py).
fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let words = tokens(text);
    let mut out = HashMap::new();
    if words.is_empty() {
        return out;
    }
    for i in 0..words.len().saturating_sub(3).max(1) {
        let end = (i + 4).min(words.len());
        *out.entry(words[i..end].to_vec()).or_insert(0) += 1;
    }
    out
}

#[test]
fn the_benchmark_scores_at_least_0_96() {
    let truth: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(aeb().join("ground-truth.json")).unwrap())
            .unwrap();
    let truth = truth.as_object().unwrap();
    let (mut precisions, mut recalls) = (Vec::new(), Vec::new());
    for (id, item) in truth {
        let want = item["articleBody"].as_str().unwrap_or("");
        let got = text_of(&aeb().join("html").join(format!("{id}.html")));
        let (t, p) = (shingles(want), shingles(&got));
        let (mut tp, mut fp, mut fn_) = (0.0f64, 0.0f64, 0.0f64);
        for key in t.keys().chain(p.keys().filter(|k| !t.contains_key(*k))) {
            let (a, b) = (
                *t.get(key).unwrap_or(&0) as f64,
                *p.get(key).unwrap_or(&0) as f64,
            );
            tp += a.min(b);
            fp += (b - a).max(0.0);
            fn_ += (a - b).max(0.0);
        }
        if fp == 0.0 && fn_ == 0.0 {
            precisions.push(1.0);
            recalls.push(1.0);
            continue;
        }
        if tp + fp > 0.0 {
            precisions.push(tp / (tp + fp));
        }
        if tp + fn_ > 0.0 {
            recalls.push(tp / (tp + fn_));
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (p, r) = (mean(&precisions), mean(&recalls));
    let f1 = 2.0 * p * r / (p + r);
    eprintln!(
        "AEB: F1 {f1:.3}, precision {p:.3}, recall {r:.3} over {} pages",
        truth.len()
    );
    assert_eq!(truth.len(), 121);
    assert!(f1 >= 0.96, "F1 {f1:.3} (precision {p:.3}, recall {r:.3})");
}

#[test]
fn navigation_and_comments_are_left_out() {
    // A WordPress page built with a page builder: every wrapper is named "widget", the
    // comments sit in the same column as the article.
    let text = article("c582d3b7");
    assert!(text.contains("Business focus is why some people"), "{text}");
    assert!(
        !text.contains("Thanks so much for stopping by"),
        "comments kept"
    );
    assert!(!text.contains("Search in excerpt"), "search form kept");
}

#[test]
fn an_article_split_into_columns_is_found_whole() {
    // The New York Times puts every few paragraphs in a column of their own.
    let text = article("702d1da6");
    assert!(text.contains("When President Trump"), "start missing");
    assert!(
        text.contains("said at a Nov. 6 event at the Peterson Institute"),
        "end missing"
    );
}

#[test]
fn teasers_with_descriptions_are_not_the_article() {
    // Below the article, a list of other stories, each with a paragraph of description.
    let text = article("e4c6a3b4");
    assert!(
        text.contains("And that means a slaughter of some degree."),
        "article missing"
    );
    assert!(
        !text.contains("Our family always celebrates anniversaries"),
        "teaser kept"
    );
}

#[test]
fn text_behind_a_paywall_class_is_the_article() {
    let text = article("f8ff621a");
    assert!(
        text.contains("Home Depot shares are up about 40% year to date"),
        "{text}"
    );
}

/// The traf-dev corpus: `../shared/corpus/traf-dev`, or under `$QUIRE_SHARED` when set (a
/// git worktree elsewhere than beside `../shared`).
fn traf_dev() -> PathBuf {
    shared().join("corpus/traf-dev")
}

/// Whitespace runs as one space, trimmed (as `snippet_eval.py`'s `norm`).
fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The traf-dev snippet benchmark (`../shared/corpus/traf-dev`, 487 pages of a wide web
/// mix), scored as `../shared/tools/snippet_eval.py` scores it: every "with" snippet found in
/// the text is a true positive, every "without" snippet found a false positive; F1 over all
/// snippets of all pages. The text is what `quire convert --to txt --body-only --no-images`
/// writes (as `benches/extract.sh` scores it beside trafilatura, whose images are off), and
/// what it writes with images (figure captions and credits in the text), each with its floor.
#[test]
fn the_traf_dev_snippets_score_at_least_the_floor() {
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(traf_dev().join("evaldata.json")).unwrap())
            .unwrap();
    let data = data.as_object().unwrap();
    let options = quire::WriteOptions {
        fragment: true,
        front_matter: false,
        ..Default::default()
    };
    // (true positives, false positives, false negatives) without and with images.
    let mut counts = [(0usize, 0usize, 0usize); 2];
    for item in data.values() {
        let file = item["file"].as_str().unwrap();
        let path = traf_dev().join("pages").join(file);
        let html = std::fs::read(&path).unwrap();
        let reading = quire::read(&html, InputFormat::Html, &ReadOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut imageless = reading.document.clone();
        imageless.remove_images();
        for (document, (tp, fp, fn_)) in
            [&imageless, &reading.document].into_iter().zip(&mut counts)
        {
            let rendered = quire::write(document, quire::OutputFormat::Text, &options)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let text = normalize(&String::from_utf8_lossy(&rendered.bytes));
            let snippets = |key: &str| {
                item[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.as_str())
                    .map(normalize)
                    .collect::<Vec<_>>()
            };
            for with in snippets("with") {
                if text.contains(&with) {
                    *tp += 1;
                } else {
                    *fn_ += 1;
                }
            }
            *fp += snippets("without")
                .iter()
                .filter(|w| text.contains(w.as_str()))
                .count();
        }
    }
    assert_eq!(data.len(), 487);
    for ((tp, fp, fn_), (what, floor)) in counts.into_iter().zip([
        ("without images", TRAF_DEV_FLOOR),
        ("with images", TRAF_DEV_WITH_IMAGES_FLOOR),
    ]) {
        let precision = tp as f64 / (tp + fp).max(1) as f64;
        let recall = tp as f64 / (tp + fn_).max(1) as f64;
        let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);
        eprintln!(
            "traf-dev {what}: F1 {f1:.4}, precision {precision:.3}, recall {recall:.3} over {} pages",
            data.len()
        );
        assert!(
            f1 >= floor,
            "{what}: F1 {f1:.4} (precision {precision:.3}, recall {recall:.3}) below {floor}"
        );
    }
}

/// Floors just under the figures measured when they were set, so that a regression fails:
/// the text without images (the figure compared with trafilatura's), and with them.
const TRAF_DEV_FLOOR: f64 = 0.942;
const TRAF_DEV_WITH_IMAGES_FLOOR: f64 = 0.933;
