//! The PDF writer on real input: the seed article and corpus pages, read by quire's own
//! readers, typeset, and read back with poppler. Needs the readers and `../shared`.

use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

fn shared(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(path)
}

fn tool(tool: &str, args: &[&str]) -> Option<String> {
    match Command::new(tool).args(args).output() {
        Ok(out) => Some(
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        ),
        Err(e) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "{tool} is required in CI: {e}"
            );
            eprintln!("!!!!! SKIPPED: {tool} is not installed ({e}) !!!!!");
            None
        }
    }
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// The share of `expected` found in `actual` in order (greedy, with a bounded look-ahead
/// so one missing word does not swallow the rest).
fn in_order_share(expected: &[String], actual: &[String]) -> f64 {
    let mut at = 0;
    let mut found = 0;
    for w in expected {
        if let Some(p) = actual[at..].iter().take(400).position(|a| a == w) {
            at += p + 1;
            found += 1;
        }
    }
    found as f64 / expected.len().max(1) as f64
}

/// The share of `expected` words (with repeats) that `actual` has.
fn bag_share(expected: &[String], actual: &[String]) -> f64 {
    let mut counts = std::collections::HashMap::new();
    for w in actual {
        *counts.entry(w.as_str()).or_insert(0usize) += 1;
    }
    let found = expected
        .iter()
        .filter(|w| match counts.get_mut(w.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count();
    found as f64 / expected.len().max(1) as f64
}

fn check(input: &Path, format: InputFormat) {
    let bytes = std::fs::read(input).unwrap();
    let reading = quire::read(&bytes, format, &ReadOptions::default()).unwrap();
    let options = WriteOptions {
        resource_dir: input.parent().map(Path::to_path_buf),
        timestamp: Some(0),
        ..WriteOptions::default()
    };
    let rendered = quire::write(&reading.document, OutputFormat::Pdf, &options).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("out.pdf");
    std::fs::write(&pdf, &rendered.bytes).unwrap();
    let p = pdf.to_str().unwrap();
    let Some(qpdf) = tool("qpdf", &["--check", p]) else {
        return;
    };
    assert!(
        qpdf.contains("No syntax or stream encoding errors"),
        "{}: {qpdf}",
        input.display()
    );
    let Some(text) = tool("pdftotext", &["-enc", "UTF-8", p, "-"]) else {
        return;
    };
    let actual = words(&text.replace("-\n", "").replace('-', ""));
    let expected = words(&reading.document.plain_text(1 << 22).replace('-', ""));
    // Table cells come back row by row, line by line, so for documents with tables only
    // count the words; elsewhere they must come back in reading order.
    let has_table = serde_json::to_string(&reading.document)
        .unwrap()
        .contains(r#""type":"table""#);
    let share = if has_table {
        bag_share(&expected, &actual)
    } else {
        in_order_share(&expected, &actual)
    };
    assert!(
        share > 0.97,
        "{}: only {:.1}% of the words come back",
        input.display(),
        share * 100.0
    );
}

#[test]
fn the_seed_article_typesets_and_reads_back() {
    check(&shared("seeds/russia-nato.txt"), InputFormat::Text);
}

#[test]
fn corpus_pages_typeset_and_read_back() {
    for name in [
        "wikipedia",
        "guardian-1",
        "lemonde-1",
        "rtl-1",
        "keep-tabular-data",
        "mozilla-2",
    ] {
        check(
            &shared(&format!("corpus/readability/{name}/source.html")),
            InputFormat::Html,
        );
    }
}
