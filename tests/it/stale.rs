//! Nothing lost, nothing stale (issue 11, points 1-4): a bundle never replaces an input nor
//! takes its own earlier book as a chapter; `--report` never replaces an input or an output;
//! a re-run skips only what was made by this quire from the same input with the same
//! settings; and an output the user edited since quire wrote it is never replaced without
//! `--force`.

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use std::process::Output;
use std::time::{Duration, SystemTime};

/// Fixed dates in EPUB and PDF outputs, so that the same input gives the same bytes.
fn quire() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quire"));
    command.env("SOURCE_DATE_EPOCH", "1700000000");
    command
}

fn run(args: &[&str], dir: &Path) -> Output {
    quire().current_dir(dir).args(args).output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("exited normally")
}

fn article(title: &str) -> String {
    let sentence = format!("The {title} story goes on, with its harbour, its boats and tides. ");
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>\
         <p>{}</p><p>{}</p></article></body></html>",
        sentence.repeat(6),
        sentence.repeat(4)
    )
}

/// Sets a file's modification time, so that an mtime-only check would call it up to date.
fn set_mtime(path: &Path, time: SystemTime) {
    let file = fs::File::options().append(true).open(path).unwrap();
    file.set_modified(time).unwrap();
}

fn an_hour_ago() -> SystemTime {
    SystemTime::now() - Duration::from_secs(3600)
}

// Point 1: bundles.

#[test]
fn a_bundle_over_its_own_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("p.html"), article("Pier")).unwrap();
    let before = fs::read(dir.path().join("p.html")).unwrap();
    let output = run(&["bundle", "p.html", "-o", "p.html"], dir.path());
    let err = stderr(&output);
    assert_eq!(code(&output), 2, "{err}");
    assert!(err.contains("'p.html' is an input"), "{err}");
    assert_eq!(fs::read(dir.path().join("p.html")).unwrap(), before);
}

#[test]
fn a_bundle_of_a_folder_over_a_document_in_it_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    fs::create_dir(&notes).unwrap();
    fs::write(notes.join("a.html"), article("Anchors")).unwrap();
    fs::write(notes.join("index.html"), article("Index by hand")).unwrap();
    let before = fs::read(notes.join("index.html")).unwrap();
    let output = run(&["bundle", "notes", "-o", "notes/index.html"], dir.path());
    let err = stderr(&output);
    assert_eq!(code(&output), 2, "{err}");
    assert!(err.contains("index.html' is an input"), "{err}");
    assert_eq!(fs::read(notes.join("index.html")).unwrap(), before);
}

#[test]
fn a_second_bundle_of_a_folder_does_not_take_the_first_book_in() {
    let dir = tempfile::tempdir().unwrap();
    let bn = dir.path().join("bn");
    fs::create_dir(&bn).unwrap();
    fs::write(bn.join("a.html"), article("Anchors")).unwrap();
    fs::write(bn.join("b.html"), article("Buoys")).unwrap();
    let first = run(&["bundle", "bn", "-o", "bn/book.html"], dir.path());
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let book = fs::read_to_string(bn.join("book.html")).unwrap();
    let chapters = |html: &str| html.matches("<h1 id=\"chapter-").count();
    assert_eq!(chapters(&book), 2);
    let second = run(&["bundle", "bn", "-o", "bn/book.html"], dir.path());
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    // The same two chapters, so the same bytes: book.html was not a third one.
    let again = fs::read_to_string(bn.join("book.html")).unwrap();
    assert_eq!(chapters(&again), 2, "the first book became a chapter");
    assert!(again == book, "the same inputs made another book");
    // And a convert of the folder does not take the book for an article either.
    let output = run(&["convert", "bn", "--to", "txt", "-o", "txt/"], dir.path());
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert!(!dir.path().join("txt/book.txt").exists());
}

#[test]
fn a_book_edited_since_it_was_written_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.html"), article("Anchors")).unwrap();
    let first = run(&["bundle", "a.html", "-o", "book.html"], dir.path());
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    fs::write(dir.path().join("book.html"), "my own notes").unwrap();
    let second = run(&["bundle", "a.html", "-o", "book.html"], dir.path());
    let err = stderr(&second);
    assert_eq!(code(&second), 1, "{err}");
    assert!(
        err.contains("book.html: changed since quire wrote it"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("book.html")).unwrap(),
        "my own notes"
    );
}

// Point 2: --report.

#[test]
fn a_report_over_an_input_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("r.html"), article("Reef")).unwrap();
    let before = fs::read(dir.path().join("r.html")).unwrap();
    let output = run(
        &[
            "convert", "r.html", "--to", "md", "-o", "out/", "--report", "r.html",
        ],
        dir.path(),
    );
    let err = stderr(&output);
    assert_eq!(code(&output), 2, "{err}");
    assert!(err.contains("--report 'r.html' is an input"), "{err}");
    assert_eq!(fs::read(dir.path().join("r.html")).unwrap(), before);
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn a_report_over_an_output_of_the_run_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("in")).unwrap();
    fs::write(dir.path().join("in/r.html"), article("Reef")).unwrap();
    let output = run(
        &[
            "convert",
            "in",
            "--to",
            "json",
            "-o",
            "out/",
            "--report",
            "out/r.json",
        ],
        dir.path(),
    );
    let err = stderr(&output);
    assert_eq!(code(&output), 2, "{err}");
    assert!(err.contains("is also an output of this run"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing written");
    let manifest = run(
        &[
            "convert",
            "in",
            "-o",
            "out/",
            "--report",
            "out/.quire-outputs",
        ],
        dir.path(),
    );
    let err = stderr(&manifest);
    assert_eq!(code(&manifest), 2, "{err}");
    assert!(err.contains("quire's list of outputs"), "{err}");
    assert!(!dir.path().join("out").exists(), "nothing written");
}

// Point 3: staleness.

const ESSAY: &str = "# Essay\n\nA few words about the sea, and then a few more.\n";

/// `essay.md`, converted to an A4 PDF at `target`, then made to look older than that PDF.
fn essay_with_an_a4_pdf(dir: &Path, target: &str) {
    fs::write(dir.join("essay.md"), ESSAY).unwrap();
    let first = run(&["convert", "essay.md", "--to", "pdf", "-o", target], dir);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    set_mtime(&dir.join("essay.md"), an_hour_ago());
}

/// What an e-reader PDF of `essay.md` is, made afresh elsewhere.
fn ereader_pdf(dir: &Path) -> Vec<u8> {
    let fresh = run(
        &[
            "convert",
            "essay.md",
            "--to",
            "pdf",
            "--page-size",
            "ereader",
            "-o",
            "fresh/",
        ],
        dir,
    );
    assert_eq!(code(&fresh), 0, "{}", stderr(&fresh));
    fs::read(dir.join("fresh/essay.pdf")).unwrap()
}

#[test]
fn other_options_into_an_output_folder_convert_again() {
    let dir = tempfile::tempdir().unwrap();
    essay_with_an_a4_pdf(dir.path(), "t1/");
    let a4 = fs::read(dir.path().join("t1/essay.pdf")).unwrap();
    let output = run(
        &[
            "convert",
            "essay.md",
            "--to",
            "pdf",
            "--page-size",
            "ereader",
            "-o",
            "t1/",
        ],
        dir.path(),
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let redone = fs::read(dir.path().join("t1/essay.pdf")).unwrap();
    assert!(redone != a4, "the A4 file was left");
    assert!(redone == ereader_pdf(dir.path()), "not the e-reader PDF");
}

#[test]
fn other_options_into_an_output_file_convert_again() {
    let dir = tempfile::tempdir().unwrap();
    essay_with_an_a4_pdf(dir.path(), "t1/essay.pdf");
    let a4 = fs::read(dir.path().join("t1/essay.pdf")).unwrap();
    let output = run(
        &[
            "convert",
            "essay.md",
            "--page-size",
            "ereader",
            "-o",
            "t1/essay.pdf",
        ],
        dir.path(),
    );
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    let redone = fs::read(dir.path().join("t1/essay.pdf")).unwrap();
    assert!(redone != a4, "the A4 file was left");
    assert!(redone == ereader_pdf(dir.path()), "not the e-reader PDF");
}

#[test]
fn another_input_into_an_existing_output_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("x.md"), "First input.\n").unwrap();
    fs::write(dir.path().join("z.md"), "Second input.\n").unwrap();
    set_mtime(&dir.path().join("z.md"), an_hour_ago());
    let first = run(&["convert", "x.md", "-o", "y.txt"], dir.path());
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let second = run(&["convert", "z.md", "-o", "y.txt"], dir.path());
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let text = fs::read_to_string(dir.path().join("y.txt")).unwrap();
    assert!(text.contains("Second input."), "{text}");
}

/// A folder of two pages converted to text in `out/`; returns the summary line's stderr.
fn batch(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec!["convert", "in", "--to", "txt", "-o", "out/"];
    args.extend_from_slice(extra);
    let output = run(&args, dir);
    let err = stderr(&output);
    assert_eq!(code(&output), 0, "{err}");
    err
}

fn two_pages(dir: &Path) {
    fs::create_dir_all(dir.join("in")).unwrap();
    fs::write(dir.join("in/a.html"), article("Anchors")).unwrap();
    fs::write(dir.join("in/b.html"), article("Buoys")).unwrap();
}

#[test]
fn a_batch_skips_only_exact_matches_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    two_pages(dir.path());
    assert!(batch(dir.path(), &[]).contains("2 converted in"));
    // Said in the summary, without --verbose.
    let again = batch(dir.path(), &[]);
    assert!(again.contains("0 converted, 2 up to date"), "{again}");

    // An option that changes the output: everything again.
    let wider = batch(dir.path(), &["--width", "30"]);
    assert!(wider.contains("2 converted in"), "{wider}");
    let text = fs::read_to_string(dir.path().join("out/a.txt")).unwrap();
    assert!(text.lines().all(|l| l.chars().count() <= 30), "{text}");
    let title = batch(dir.path(), &["--width", "30", "--title", "Other"]);
    assert!(title.contains("2 converted in"), "{title}");
    let same = batch(dir.path(), &["--width", "30", "--title", "Other"]);
    assert!(same.contains("0 converted, 2 up to date"), "{same}");

    // New content under an old time: converted again.
    let old = fs::metadata(dir.path().join("in/a.html"))
        .unwrap()
        .modified()
        .unwrap();
    fs::write(dir.path().join("in/a.html"), article("Anchors, revised")).unwrap();
    set_mtime(&dir.path().join("in/a.html"), old);
    let changed = batch(dir.path(), &["--width", "30", "--title", "Other"]);
    assert!(changed.contains("1 converted, 1 up to date"), "{changed}");
    let text = fs::read_to_string(dir.path().join("out/a.txt")).unwrap();
    assert!(text.contains("revised"), "{text}");
}

#[test]
fn an_output_made_by_another_quire_version_is_converted_again() {
    let dir = tempfile::tempdir().unwrap();
    two_pages(dir.path());
    batch(dir.path(), &[]);
    let manifest = dir.path().join("out/.quire-outputs");
    let text = fs::read_to_string(&manifest).unwrap();
    let version = concat!("\t", env!("CARGO_PKG_VERSION"), "\t");
    assert_eq!(text.matches(version).count(), 2, "{text}");
    fs::write(&manifest, text.replacen(version, "\t0.0.1-older\t", 1)).unwrap();
    let again = batch(dir.path(), &[]);
    assert!(again.contains("1 converted, 1 up to date"), "{again}");
}

#[test]
fn a_manifest_of_a_quire_that_recorded_inputs_with_sha256_converts_once_and_keeps_nothing() {
    let dir = tempfile::tempdir().unwrap();
    two_pages(dir.path());
    batch(dir.path(), &[]);
    let manifest = dir.path().join("out/.quire-outputs");
    let text = fs::read_to_string(&manifest).unwrap();
    // What an older quire wrote: its header, and each input as bare SHA-256 hex.
    let mut older =
        String::from("# quire-outputs: path, quire version, SHA-256 of input, settings, output\n");
    for line in text.lines().skip(1) {
        let mut fields: Vec<&str> = line.split('\t').collect();
        assert!(fields[2].starts_with("xxh3-128:"), "{line}");
        let sha = "ab".repeat(32);
        fields[2] = &sha;
        older.push_str(&fields.join("\t"));
        older.push('\n');
    }
    fs::write(&manifest, older).unwrap();
    // The outputs are as written, so neither is kept as edited; their inputs are not known
    // by this quire's digest, so both convert once, and are up to date after.
    let again = batch(dir.path(), &[]);
    assert!(again.contains("2 converted in"), "{again}");
    let text = fs::read_to_string(&manifest).unwrap();
    assert!(text.starts_with("# quire-outputs: path, quire version, input (XXH3-128)"));
    assert!(!text.contains("SHA-256 of input"), "{text}");
    let third = batch(dir.path(), &[]);
    assert!(third.contains("0 converted, 2 up to date"), "{third}");
}

// Point 4: outputs the user changed.

#[test]
fn an_edited_output_is_kept_reported_and_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    two_pages(dir.path());
    batch(dir.path(), &[]);
    fs::write(dir.path().join("out/a.txt"), "my own version").unwrap();
    // b changes too, so the batch has something to do past the kept file.
    fs::write(dir.path().join("in/b.html"), article("Buoys, revised")).unwrap();
    let output = run(&["convert", "in", "--to", "txt", "-o", "out/"], dir.path());
    let err = stderr(&output);
    assert_eq!(code(&output), 1, "{err}");
    assert!(
        err.contains("out/a.txt: changed since quire wrote it: not replaced"),
        "{err}"
    );
    assert!(err.contains("1 converted, 1 failed"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.path().join("out/a.txt")).unwrap(),
        "my own version"
    );
    assert!(fs::read_to_string(dir.path().join("out/b.txt"))
        .unwrap()
        .contains("revised"));
    // Still kept on the next run: the manifest keeps what quire wrote.
    let output = run(&["convert", "in", "--to", "txt", "-o", "out/"], dir.path());
    assert_eq!(code(&output), 1, "{}", stderr(&output));

    let forced = batch(dir.path(), &["--force"]);
    assert!(forced.contains("2 converted in"), "{forced}");
    let text = fs::read_to_string(dir.path().join("out/a.txt")).unwrap();
    assert!(text.contains("Anchors"), "{text}");
    assert!(batch(dir.path(), &[]).contains("0 converted, 2 up to date"));
}

#[test]
fn an_edited_output_of_an_in_place_run_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    two_pages(dir.path());
    let first = run(&["convert", "in", "--to", "md"], dir.path());
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    fs::write(dir.path().join("in/a.md"), "# Mine now\n").unwrap();
    let output = run(
        &["convert", "in", "--to", "md", "--width", "40"],
        dir.path(),
    );
    let err = stderr(&output);
    assert_eq!(code(&output), 1, "{err}");
    assert!(err.contains("a.md: changed since quire wrote it"), "{err}");
    // Still an output of an earlier run, never an input; the list itself is not counted.
    assert!(err.contains("2 output of an earlier run"), "{err}");
    assert!(!err.contains("hidden"), "{err}");
    assert_eq!(
        fs::read_to_string(dir.path().join("in/a.md")).unwrap(),
        "# Mine now\n"
    );
}

#[test]
fn an_output_listed_by_an_older_quire_without_a_checksum_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    two_pages(dir.path());
    fs::create_dir(dir.path().join("out")).unwrap();
    fs::write(dir.path().join("out/a.txt"), "edited, or not: who knows").unwrap();
    fs::write(dir.path().join("out/.quire-outputs"), "a.txt\n").unwrap();
    let output = run(&["convert", "in", "--to", "txt", "-o", "out/"], dir.path());
    let err = stderr(&output);
    assert_eq!(code(&output), 1, "{err}");
    assert!(
        err.contains("out/a.txt: listed in .quire-outputs by an older quire"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("out/a.txt")).unwrap(),
        "edited, or not: who knows"
    );
    assert!(dir.path().join("out/b.txt").exists());
}

#[test]
fn outputs_listed_in_a_nested_output_folder_are_not_inputs() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("site")).unwrap();
    fs::write(dir.path().join("site/a.html"), article("Anchors")).unwrap();
    let first = run(
        &["convert", "site", "--to", "html", "-o", "site/converted"],
        dir.path(),
    );
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let second = run(&["convert", "site", "--to", "md", "-o", "md/"], dir.path());
    let err = stderr(&second);
    assert_eq!(code(&second), 0, "{err}");
    assert!(err.contains("1 converted"), "{err}");
    assert!(err.contains("1 output of an earlier run"), "{err}");
    assert!(!dir.path().join("md/converted").exists());
}

#[test]
fn a_single_conversion_into_a_listed_file_keeps_the_manifest_true() {
    let dir = tempfile::tempdir().unwrap();
    two_pages(dir.path());
    batch(dir.path(), &[]);
    // Named explicitly: always converted, and its new fingerprint recorded.
    let single = run(
        &["convert", "in/a.html", "--width", "20", "-o", "out/a.txt"],
        dir.path(),
    );
    assert_eq!(code(&single), 0, "{}", stderr(&single));
    // So the batch knows quire wrote it (not "changed since"), with other settings.
    let again = batch(dir.path(), &[]);
    assert!(again.contains("1 converted, 1 up to date"), "{again}");
}
