//! Golden files: every sample in `samples/` (not `samples/images/`) in every text output format
//! converted through the library and compared with `tests/golden/<sample>.<ext>`.
//!
//! `BLESS=1 cargo test --test it golden` writes the golden files from the current output
//! (and deletes golden files whose sample is gone); review the diff like code. Without
//! `BLESS=1` a missing, stale or different golden file fails the test.

use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};
use std::fs;
use std::path::{Path, PathBuf};

/// The formats whose output is text that a reviewer can read as a diff. PDF and EPUB are
/// checked by their own tests through real clients (pdftotext, EPUBCheck, pandoc), not bytes.
const TEXT_FORMATS: [OutputFormat; 4] = [
    OutputFormat::Markdown,
    OutputFormat::Html,
    OutputFormat::Text,
    OutputFormat::Json,
];

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn blessing() -> bool {
    std::env::var_os("BLESS").is_some_and(|v| v == "1")
}

/// The sample files, sorted by name.
pub(crate) fn samples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(crate_dir().join("samples"))
        .expect("samples/ exists")
        .map(|entry| entry.expect("readable samples/ entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .expect("a sample file has a name")
        .to_string_lossy()
        .into_owned()
}

/// Reads one sample the way `quire convert samples/NAME` would from the crate root.
pub(crate) fn read_sample(sample: &Path) -> Result<quire::Document, String> {
    let bytes = fs::read(sample).map_err(|e| format!("cannot read: {e}"))?;
    let input_format = InputFormat::from_path(sample).unwrap_or_else(|| InputFormat::sniff(&bytes));
    let options = ReadOptions {
        source_url: Some(format!("samples/{}", file_name(sample))),
        ..ReadOptions::default()
    };
    let reading = quire::read(&bytes, input_format, &options)
        .map_err(|e| format!("cannot read it as {input_format}: {e}"))?;
    Ok(reading.document)
}

#[test]
fn samples_match_golden_files() {
    let golden_dir = crate_dir().join("tests/golden");
    let bless = blessing();
    let samples = samples();
    assert!(
        samples.len() >= 5,
        "expected the samples in samples/, found {samples:?}"
    );
    let mut failures = Vec::new();
    let mut expected_names = Vec::new();
    // As the CLI writes them: images are looked up beside the input.
    let options = WriteOptions {
        resource_dir: Some(crate_dir().join("samples")),
        ..WriteOptions::default()
    };
    for sample in &samples {
        let names = TEXT_FORMATS.map(|format| {
            let name = format!("{}.{}", file_name(sample), format.extension());
            expected_names.push(name.clone());
            (format, name)
        });
        let document = match read_sample(sample) {
            Ok(document) => document,
            Err(message) => {
                failures.push(format!("samples/{}: {message}", file_name(sample)));
                continue;
            }
        };
        for (format, name) in names {
            let golden = golden_dir.join(&name);
            let actual = match quire::write(&document, format, &options) {
                Ok(rendered) => rendered.bytes,
                Err(e) => {
                    failures.push(format!("samples/{} → {format}: {e}", file_name(sample)));
                    continue;
                }
            };
            if bless {
                fs::create_dir_all(&golden_dir).expect("create tests/golden");
                fs::write(&golden, &actual).expect("write golden file");
                continue;
            }
            match fs::read(&golden) {
                Ok(expected) if expected == actual => {}
                Ok(expected) => failures.push(format!(
                    "tests/golden/{name} differs from the output:\n{}",
                    first_difference(&expected, &actual)
                )),
                Err(_) => failures.push(format!(
                    "tests/golden/{name} is missing (make it with BLESS=1 cargo test --test it golden)"
                )),
            }
        }
    }
    // Golden files whose sample or format is gone would never be checked again.
    if let Ok(entries) = fs::read_dir(&golden_dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if expected_names.contains(&name) || name.starts_with('.') {
                continue;
            }
            if bless {
                fs::remove_file(entry.path()).expect("remove stale golden file");
            } else {
                failures.push(format!(
                    "tests/golden/{name} has no sample (remove it, or run with BLESS=1)"
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} golden check(s) failed:\n\n{}\n\nIf the new output is right: BLESS=1 cargo test --test it golden",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Where two outputs first differ, as numbered lines with a little context either side.
fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    const BEFORE: usize = 2;
    const AFTER: usize = 4;
    let expected = String::from_utf8_lossy(expected);
    let actual = String::from_utf8_lossy(actual);
    let expected_lines: Vec<&str> = expected.split('\n').collect();
    let actual_lines: Vec<&str> = actual.split('\n').collect();
    let first = expected_lines
        .iter()
        .zip(&actual_lines)
        .position(|(e, a)| e != a)
        .unwrap_or(expected_lines.len().min(actual_lines.len()));
    let start = first.saturating_sub(BEFORE);
    let show = |lines: &[&str]| -> String {
        let end = lines.len().min(first + AFTER + 1);
        let mut shown = String::new();
        for (number, line) in lines.iter().enumerate().take(end).skip(start) {
            let marker = if number == first { '>' } else { ' ' };
            shown.push_str(&format!("  {marker}{:5} | {line}\n", number + 1));
        }
        if first >= lines.len() {
            shown.push_str("  >      (ends here)\n");
        }
        shown
    };
    format!(
        "  first difference at line {} ({} lines expected, {} actual)\n  expected (golden):\n{}  actual:\n{}",
        first + 1,
        expected_lines.len(),
        actual_lines.len(),
        show(&expected_lines),
        show(&actual_lines)
    )
}

#[test]
fn difference_report_points_at_the_first_changed_line() {
    let report = first_difference(b"a\nb\nc\nd\n", b"a\nb\nX\nd\n");
    assert!(report.contains("first difference at line 3"), "{report}");
    assert!(report.contains(">    3 | c"), "{report}");
    assert!(report.contains(">    3 | X"), "{report}");
}

#[test]
fn difference_report_handles_a_truncated_output() {
    let report = first_difference(b"one\ntwo\nthree", b"one\ntwo");
    assert!(report.contains("first difference at line 3"), "{report}");
    assert!(report.contains("(ends here)"), "{report}");
    let empty = first_difference(b"one", b"");
    assert!(empty.contains("line 1"), "{empty}");
}
