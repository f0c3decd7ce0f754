//! The bottom HTML layer (`src/dom`) stands under the HTML reader and the extraction: it
//! imports neither, the extraction does not import the HTML reader, and no two files of the
//! layer import each other. Read from the source, so a new import that closes a circle fails
//! here rather than in review.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The `.rs` files under `dir`, with their code lines (comments left out, so docs may name
/// what the code must not import).
fn code_of(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("reads the folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("reads the file");
                let code: Vec<&str> = text
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .collect();
                files.push((path, code.join("\n")));
            }
        }
    }
    assert!(!files.is_empty(), "no source under {}", dir.display());
    files
}

#[test]
fn the_dom_layer_imports_nothing_above_it() {
    for (path, code) in code_of(&src().join("dom")) {
        for above in ["crate::read", "crate::write", "crate::net", "crate::cli"] {
            assert!(!code.contains(above), "{} uses {above}", path.display());
        }
    }
}

#[test]
fn the_extraction_does_not_import_the_html_reader() {
    for (path, code) in code_of(&src().join("read/extract")) {
        for reader in ["read::html", "super::html", "super::super::html"] {
            assert!(!code.contains(reader), "{} uses {reader}", path.display());
        }
    }
}

#[test]
fn no_two_files_of_the_dom_layer_import_each_other() {
    let files = code_of(&src().join("dom"));
    let names: Vec<String> = files
        .iter()
        .map(|(p, _)| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|n| n != "mod")
        .collect();
    let mut edges = BTreeSet::new();
    for (path, code) in &files {
        let from = path.file_stem().unwrap().to_string_lossy().into_owned();
        if from == "mod" {
            continue;
        }
        for to in &names {
            let uses = [format!("super::{to}::"), format!("crate::dom::{to}::")];
            if to != &from && uses.iter().any(|u| code.contains(u.as_str())) {
                edges.insert((from.clone(), to.clone()));
            }
        }
    }
    // The layer's files do use each other (parse uses compact, compact uses node): the check
    // has something to look at.
    assert!(
        edges.contains(&("parse".into(), "compact".into())),
        "{edges:?}"
    );
    for (from, to) in &edges {
        assert!(
            !edges.contains(&(to.clone(), from.clone())),
            "{from} and {to} import each other"
        );
    }
}
