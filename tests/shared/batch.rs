//! The whole AEB corpus (121 real pages) as one batch: every page converts, the clean HTML of
//! every page passes the safety scanner, and two jobs give the same bytes as one.

#[path = "../it/safety/scan.rs"]
mod scan;

use std::fs;
use std::path::Path;
use std::process::Command;

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/aeb/html")
}

fn convert(out: &Path, jobs: &str) -> serde_json::Value {
    let report = out.with_extension("report.json");
    let output = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args([
            "convert", "--to", "html,md", "--quiet", "--jobs", jobs, "--report",
        ])
        .arg(&report)
        .arg("-o")
        .arg(out)
        .arg(corpus())
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&fs::read(&report).unwrap()).unwrap()
}

#[test]
fn the_corpus_converts_as_a_batch_to_safe_html_whatever_the_jobs() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    let report = convert(&one, "1");
    let pages = fs::read_dir(corpus()).unwrap().count();
    assert_eq!(report["converted"].as_u64(), Some(pages as u64), "{report}");
    convert(&two, "2");

    let mut unsafe_pages = Vec::new();
    for entry in fs::read_dir(&one).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_owned();
        let bytes = fs::read(&path).unwrap();
        assert_eq!(
            bytes,
            fs::read(two.join(&name)).unwrap(),
            "{name:?} differs with 2 jobs"
        );
        if path.extension().is_some_and(|e| e == "html") {
            let problems = scan::unsafe_parts(&String::from_utf8_lossy(&bytes));
            if !problems.is_empty() {
                unsafe_pages.push(format!("{name:?}: {problems:?}"));
            }
        }
    }
    assert!(unsafe_pages.is_empty(), "{}", unsafe_pages.join("\n"));
}
