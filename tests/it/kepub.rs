//! KEPUB output (`--to kepub`, `NAME.kepub.epub`): Kobo's span rules in every content
//! document, the zip's byte layout, and EPUBCheck, on every sample through the command line,
//! on a document with every kind of block, and on a bundle.

#[path = "../common/kepub.rs"]
pub(crate) mod kepub_rules;

use crate::epub::{article_dir, options, rich_document};
use assert_cmd::Command;
use kepub_rules::{check_kepub, check_zip_layout, epubcheck_all, unzip};
use quire::{InputFormat, OutputFormat, ReadOptions};
use std::fs;
use std::path::{Path, PathBuf};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn quire() -> Command {
    Command::cargo_bin("quire").expect("binary")
}

/// Runs quire with `args`; asserts it succeeded.
fn run(args: &[&std::ffi::OsStr]) {
    let output = quire().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "quire {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The generated cover's size in pixels (the width and height of its PNG header).
fn cover_size(book: &[u8]) -> (u32, u32) {
    let files = unzip(book).unwrap();
    let png = files
        .get("OEBPS/images/cover.png")
        .expect("a generated cover");
    let at = |i: usize| u32::from_be_bytes([png[i], png[i + 1], png[i + 2], png[i + 3]]);
    (at(16), at(20))
}

fn assert_epubcheck_clean(books: &[PathBuf]) {
    if let Some(failures) = epubcheck_all(books) {
        let reports: Vec<String> = failures
            .iter()
            .map(|(book, report)| format!("{}:\n{report}", book.display()))
            .collect();
        assert!(reports.is_empty(), "{}", reports.join("\n\n"));
    }
}

#[test]
fn every_sample_makes_a_kepub_that_keeps_kobos_rules() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs: Vec<PathBuf> = fs::read_dir(samples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 5, "{inputs:?}");
    let mut books = Vec::new();
    let (mut spans, mut images) = (0, 0);
    for input in &inputs {
        run(&[
            "convert".as_ref(),
            input.as_os_str(),
            "--to".as_ref(),
            "kepub".as_ref(),
            "-o".as_ref(),
            dir.path().as_os_str(),
        ]);
        let stem = input.file_stem().unwrap().to_string_lossy();
        let book = dir.path().join(format!("{stem}.kepub.epub"));
        let bytes = fs::read(&book).unwrap_or_else(|e| panic!("{}: {e}", book.display()));
        let facts = check_kepub(&bytes)
            .unwrap_or_else(|problems| panic!("{}:\n{problems}", book.display()));
        // Cover, title page and the chapter.
        assert!(facts.documents >= 3, "{}: {facts:?}", book.display());
        spans += facts.spans;
        images += facts.images;
        books.push(book);
    }
    assert!(spans > 200, "{spans} spans in all the samples");
    // Each book's cover, and the samples' own pictures.
    assert!(images > inputs.len(), "{images} images");
    assert_epubcheck_clean(&books);
}

#[test]
fn code_formulas_notes_tables_and_tasks_follow_the_span_rules() {
    let (_root, dir) = article_dir();
    let mut document = rich_document();
    let markdown = "- [x] Done. Really.\n- [ ] Not yet\n\nInline $x^2 + 1$ and on.\n\n\
                    $$\\sum_i i$$\n\n```\nfn main() { println!(\"Not. Split.\"); }\n```\n";
    let extra = quire::read(
        markdown.as_bytes(),
        InputFormat::Markdown,
        &ReadOptions::default(),
    )
    .unwrap()
    .document;
    document.blocks.extend(extra.blocks.iter().cloned());
    let rendered = quire::write(&document, OutputFormat::Kepub, &options(Some(&dir))).unwrap();
    let facts = check_kepub(&rendered.bytes).unwrap_or_else(|problems| panic!("{problems}"));
    assert!(facts.images >= 3, "{facts:?}");
    let files = unzip(&rendered.bytes).unwrap();
    let chapter = String::from_utf8(files["OEBPS/chapter-1.xhtml"].clone()).unwrap();
    // What the checker walked past is there: code, formulas, notes, a table, task boxes.
    for present in [
        "<pre><code>fn main()",
        "<math",
        "epub:type=\"footnote\"",
        "<td",
        "class=\"task-box\"><span class=\"koboSpan\"",
        "Not. Split.",
    ] {
        assert!(chapter.contains(present), "{present} missing:\n{chapter}");
    }
    // The same document as an EPUB has no span at all.
    let epub = quire::write(&document, OutputFormat::Epub, &options(Some(&dir))).unwrap();
    let epub_chapter = unzip(&epub.bytes).unwrap()["OEBPS/chapter-1.xhtml"].clone();
    assert!(!String::from_utf8(epub_chapter)
        .unwrap()
        .contains("koboSpan"));
    let book = dir.join("rich.kepub.epub");
    fs::write(&book, &rendered.bytes).unwrap();
    assert_epubcheck_clean(&[book]);
}

#[test]
fn the_output_name_picks_kepub_and_kobo_screens_unless_a_profile_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let essay = samples().join("essay.md");
    let named = dir.path().join("Essay.kepub.epub");
    let report = dir.path().join("report.json");
    run(&[
        "convert".as_ref(),
        essay.as_os_str(),
        "-o".as_ref(),
        named.as_os_str(),
        "--report".as_ref(),
        report.as_os_str(),
    ]);
    let bytes = fs::read(&named).unwrap();
    check_kepub(&bytes).unwrap_or_else(|problems| panic!("{problems}"));
    assert_eq!(cover_size(&bytes), (1264, 1680), "Kobo's screen");
    let report = fs::read_to_string(&report).unwrap();
    assert!(
        report.contains("\"format\": \"kepub\"") || report.contains("\"format\":\"kepub\""),
        "{report}"
    );

    let tablet = dir.path().join("tablet.kepub.epub");
    run(&[
        "convert".as_ref(),
        essay.as_os_str(),
        "--profile".as_ref(),
        "tablet".as_ref(),
        "-o".as_ref(),
        tablet.as_os_str(),
    ]);
    assert_eq!(cover_size(&fs::read(&tablet).unwrap()), (1536, 2048));

    // Both formats at once: the EPUB keeps the generic screen and no spans.
    let both = dir.path().join("both");
    run(&[
        "convert".as_ref(),
        essay.as_os_str(),
        "--to".as_ref(),
        "epub,kepub".as_ref(),
        "-o".as_ref(),
        both.as_os_str(),
    ]);
    let epub = fs::read(both.join("essay.epub")).unwrap();
    let kepub = fs::read(both.join("essay.kepub.epub")).unwrap();
    assert_eq!(cover_size(&epub), (1200, 1600));
    assert_eq!(cover_size(&kepub), (1264, 1680));
    assert!(check_kepub(&epub).is_err(), "an EPUB is no KEPUB");
    check_kepub(&kepub).unwrap_or_else(|problems| panic!("{problems}"));
}

#[test]
fn a_bundle_is_a_kepub_by_its_name_or_by_to() {
    let dir = tempfile::tempdir().unwrap();
    let by_name = dir.path().join("weekly.kepub.epub");
    run(&[
        "bundle".as_ref(),
        samples().as_os_str(),
        "--title".as_ref(),
        "Weekly reading".as_ref(),
        "-o".as_ref(),
        by_name.as_os_str(),
    ]);
    let bytes = fs::read(&by_name).unwrap();
    let facts = check_kepub(&bytes).unwrap_or_else(|problems| panic!("{problems}"));
    // Cover, title page, five chapters and the sources.
    assert!(facts.documents >= 8, "{facts:?}");
    assert!(unzip(&bytes).unwrap().contains_key("OEBPS/sources.xhtml"));

    let by_flag = dir.path().join("weekly-kobo.epub");
    run(&[
        "bundle".as_ref(),
        samples().join("note.md").as_os_str(),
        samples().join("essay.md").as_os_str(),
        "--to".as_ref(),
        "kepub".as_ref(),
        "-o".as_ref(),
        by_flag.as_os_str(),
    ]);
    check_kepub(&fs::read(&by_flag).unwrap()).unwrap_or_else(|problems| panic!("{problems}"));
    assert_epubcheck_clean(&[by_name, by_flag]);
}

#[test]
fn the_zip_check_catches_a_comment_and_a_compressed_mimetype() {
    let rendered = quire::write(&rich_document(), OutputFormat::Kepub, &options(None)).unwrap();
    check_zip_layout(&rendered.bytes).unwrap();
    // A comment: the end record is no longer the last 22 bytes, and says so.
    let mut commented = rendered.bytes.clone();
    let end = commented.len() - 22;
    commented[end + 20] = 3;
    commented.extend_from_slice(b"DRM");
    assert!(check_zip_layout(&commented).is_err());
    // mimetype marked deflated.
    let mut deflated = rendered.bytes.clone();
    deflated[8] = 8;
    assert!(check_zip_layout(&deflated)
        .unwrap_err()
        .contains("method 8"));
}

/// A page that carries Kobo-shaped ids itself (a KEPUB's chapter saved as HTML, say) keeps
/// its links, and its ids are renamed so that none is a span's twice.
#[test]
fn ids_shaped_like_kobo_spans_are_renamed_and_links_follow() {
    let html = "<html lang=\"en\"><head><title>Spans</title></head><body><article>\
                <h1>Spans</h1><h2 id=\"kobo.1.1\">Where it starts</h2>\
                <p>Once upon a time. <a href=\"#kobo.1.1\">Back to the start.</a></p>\
                </article></body></html>";
    let document = quire::read(
        html.as_bytes(),
        InputFormat::Html,
        &ReadOptions {
            whole_page: true,
            ..ReadOptions::default()
        },
    )
    .unwrap()
    .document;
    let rendered = quire::write(&document, OutputFormat::Kepub, &options(None)).unwrap();
    check_kepub(&rendered.bytes).unwrap_or_else(|problems| panic!("{problems}"));
    let files = unzip(&rendered.bytes).unwrap();
    let chapter = String::from_utf8(files["OEBPS/chapter-1.xhtml"].clone()).unwrap();
    assert!(chapter.contains("<h2 id=\"kobo.1.1-1\">"), "{chapter}");
    assert!(chapter.contains("href=\"#kobo.1.1-1\""), "{chapter}");
}

/// The batch EPUBCheck runner that the corpus tests rely on tells a broken book from a clean
/// one, and keeps each report with its own book.
#[test]
fn the_batch_epubcheck_reports_each_broken_book_with_its_messages() {
    let dir = tempfile::tempdir().unwrap();
    let clean = dir.path().join("clean.epub");
    let written = quire::write(&rich_document(), OutputFormat::Epub, &options(None)).unwrap();
    fs::write(&clean, &written.bytes).unwrap();
    let truncated = dir.path().join("truncated.epub");
    fs::write(&truncated, &written.bytes[..written.bytes.len() / 2]).unwrap();
    let not_a_zip = dir.path().join("not-a-zip.epub");
    fs::write(&not_a_zip, b"not a zip").unwrap();
    let books = [truncated.clone(), clean, not_a_zip.clone()];
    let Some(failures) = epubcheck_all(&books) else {
        return;
    };
    let reported: Vec<&PathBuf> = failures.iter().map(|(book, _)| book).collect();
    assert_eq!(reported, [&truncated, &not_a_zip], "{failures:?}");
    assert!(failures[1].1.contains("PKG-"), "{}", failures[1].1);
}
