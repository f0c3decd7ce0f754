//! `quire bundle`: several inputs (files, folders) into one EPUB, PDF or HTML book; a bad
//! input is reported and left out; links between bundled articles stay inside the book.

use crate::epub::{assert_epubcheck_clean, file_text, unzip};
use crate::support::program;
use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn samples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn quire() -> Command {
    Command::cargo_bin("quire").expect("binary")
}

/// Two articles that link to each other by their canonical URLs.
fn linked_articles(dir: &Path) {
    let page = |title: &str, own: &str, other: &str| {
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>{title}</title>\
             <link rel=\"canonical\" href=\"https://news.example/{own}\"></head><body><article>\
             <h1>{title}</h1><p>The harbour committee met on Tuesday to discuss the wall, and \
             the meeting went on late into the evening, as these meetings do.</p>\
             <p>See also <a href=\"https://news.example/{other}\">the other story</a> for \
             what the fishermen said about the plans and the months of work ahead.</p>\
             </article></body></html>"
        )
    };
    fs::write(dir.join("a.html"), page("Wall plans", "a", "b")).unwrap();
    fs::write(dir.join("b.html"), page("Fishermen react", "b", "a")).unwrap();
}

#[test]
fn a_folder_and_a_missing_file_make_a_valid_book_of_what_could_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("weekly.epub");
    let output = quire()
        .arg("bundle")
        .arg(samples())
        .arg(dir.path().join("missing.md"))
        .args(["--title", "Weekly reading", "-o"])
        .arg(&book)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("missing.md"), "{stderr}");
    let bytes = fs::read(&book).expect("the book is written from the readable inputs");
    let files = unzip(&bytes);
    let nav = file_text(&files, "OEBPS/nav.xhtml");
    for title in [
        "Reading the Tide",
        "Storm-damaged harbour wall",
        "библиотека инструментов",
        "Night ferry returns",
    ] {
        assert!(
            nav.contains(title),
            "{title} missing from the contents:\n{nav}"
        );
    }
    let opf = files
        .iter()
        .find(|(n, _)| n.ends_with(".opf"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("a package document");
    assert!(opf.contains("Weekly reading"), "{opf}");
    assert_epubcheck_clean(&bytes, "bundle-of-samples");
}

#[test]
fn links_between_bundled_articles_point_inside_the_book() {
    let dir = tempfile::tempdir().unwrap();
    linked_articles(dir.path());
    let book = dir.path().join("pair.epub");
    quire()
        .arg("bundle")
        .arg(dir.path().join("a.html"))
        .arg(dir.path().join("b.html"))
        .arg("-o")
        .arg(&book)
        .assert()
        .success();
    let bytes = fs::read(&book).unwrap();
    let files = unzip(&bytes);
    let first = file_text(&files, "OEBPS/chapter-1.xhtml");
    assert!(first.contains("href=\"chapter-2.xhtml"), "{first}");
    assert!(!first.contains("https://news.example/b"), "{first}");
    assert_epubcheck_clean(&bytes, "linked-pair");

    // The same in one HTML page: the link goes to the other article's heading.
    let page = dir.path().join("pair.html");
    quire()
        .arg("bundle")
        .arg(dir.path().join("a.html"))
        .arg(dir.path().join("b.html"))
        .arg("-o")
        .arg(&page)
        .assert()
        .success();
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.contains("id=\"chapter-2\""), "{html}");
    assert!(html.contains("href=\"#chapter-2\""), "{html}");
}

#[test]
fn links_between_bundled_files_point_inside_the_book() {
    // A folder of notes that link to each other by their paths is one linked book.
    let dir = tempfile::tempdir().unwrap();
    let notes = dir.path().join("notes");
    fs::create_dir_all(notes.join("guide")).unwrap();
    fs::write(
        notes.join("index.md"),
        "# Index\n\nStart with [the setup](guide/my%20setup.md#linux), or [the top of it](<guide/my setup.md>); \
         [elsewhere](https://example.org/) too.\n",
    )
    .unwrap();
    fs::write(
        notes.join("guide/my setup.md"),
        "# Setup\n\n## Linux\n\nInstall it, then go back to the [index](../index.md).\n",
    )
    .unwrap();
    let bundle_to = |output: &Path| {
        quire()
            .arg("bundle")
            .arg(&notes)
            .arg("-o")
            .arg(output)
            .assert()
            .success();
    };
    let book = dir.path().join("notes.epub");
    bundle_to(&book);
    let bytes = fs::read(&book).unwrap();
    let files = unzip(&bytes);
    let chapter = |name: &str| {
        (1..=2)
            .map(|i| file_text(&files, &format!("OEBPS/chapter-{i}.xhtml")))
            .find(|text| text.contains(name))
            .unwrap_or_else(|| panic!("a chapter holding {name}"))
    };
    let (index, setup) = (chapter("Start with"), chapter("Install it"));
    let setup_file = if index.contains("chapter-1.xhtml") {
        1
    } else {
        2
    };
    let index_file = 3 - setup_file;
    assert!(
        index.contains(&format!("href=\"chapter-{setup_file}.xhtml#linux\"")),
        "{index}"
    );
    assert!(
        index.contains(&format!("href=\"chapter-{setup_file}.xhtml\"")),
        "{index}"
    );
    assert!(index.contains("href=\"https://example.org/\""), "{index}");
    assert!(
        setup.contains(&format!("href=\"chapter-{index_file}.xhtml\"")),
        "{setup}"
    );
    assert_epubcheck_clean(&bytes, "linked-files");

    // In one HTML page, to the other article's heading.
    let page = dir.path().join("notes.html");
    bundle_to(&page);
    let html = fs::read_to_string(&page).unwrap();
    assert!(
        html.contains(&format!("href=\"#chapter-{setup_file}\"")),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"#chapter-{index_file}\"")),
        "{html}"
    );
}

#[test]
fn a_pdf_bundle_holds_every_article_in_order() {
    let Some(pdftotext) = program("pdftotext", "poppler-utils") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("reading.pdf");
    quire()
        .arg("bundle")
        .arg(samples().join("essay.md"))
        .arg(samples().join("harbour-news.txt"))
        .args(["--title", "Two articles", "-o"])
        .arg(&pdf)
        .assert()
        .success();
    let text = std::process::Command::new(pdftotext)
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let essay = text.find("Reading the Tide").expect("the essay");
    let news = text
        .find("Storm-damaged harbour wall")
        .expect("the news story");
    assert!(essay < news, "articles in the order given");
    assert!(text.contains("Every harbour town has two clocks"));
}

#[test]
fn a_bundle_must_be_a_book_format() {
    let dir = tempfile::tempdir().unwrap();
    let output = quire()
        .arg("bundle")
        .arg(samples().join("note.md"))
        .arg("-o")
        .arg(dir.path().join("x.txt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("epub, pdf or html"));
    assert!(!dir.path().join("x.txt").exists());
}

/// `-o` must name one book file: not an unknown extension (the book would be an EPUB under
/// a name that says otherwise), not standard output, not a folder. Each is a usage error
/// and nothing is written.
#[test]
fn a_bundle_output_that_names_no_book_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let shelf = dir.path().join("shelf");
    fs::create_dir(&shelf).unwrap();
    let run = |output: &std::ffi::OsStr| {
        quire()
            .current_dir(dir.path())
            .arg("bundle")
            .arg(samples().join("note.md"))
            .arg(samples().join("essay.md"))
            .arg("-o")
            .arg(output)
            .output()
            .unwrap()
    };
    let docx = run(dir.path().join("book.docx").as_os_str());
    assert_eq!(docx.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&docx.stderr).contains("cannot tell the book's format from"),
        "{}",
        String::from_utf8_lossy(&docx.stderr)
    );
    let stdout = run("-".as_ref());
    assert_eq!(stdout.status.code(), Some(2));
    assert!(stdout.stdout.is_empty());
    assert!(String::from_utf8_lossy(&stdout.stderr).contains("not to standard output"));
    for folder in ["shelf", "shelf/"] {
        let refused = run(folder.as_ref());
        assert_eq!(refused.status.code(), Some(2), "{folder}");
        assert!(
            String::from_utf8_lossy(&refused.stderr)
                .contains("is a folder, and a bundle is one file"),
            "{folder}: {}",
            String::from_utf8_lossy(&refused.stderr)
        );
    }
    assert_eq!(fs::read_dir(&shelf).unwrap().count(), 0);
    let mut left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    left.sort();
    assert_eq!(left, ["shelf"]);
    // With --to the extension is the user's to choose.
    let named = quire()
        .arg("bundle")
        .arg(samples().join("note.md"))
        .args(["--to", "epub", "-o"])
        .arg(dir.path().join("book.zip"))
        .output()
        .unwrap();
    assert_eq!(named.status.code(), Some(0));
    assert!(dir.path().join("book.zip").exists());
}

/// The long title of the second test article (over 80 characters).
const LONG_TITLE: &str = "Officials say the storm-damaged harbour wall will be rebuilt by spring, \
                          although the fishermen doubt it and the council has not found the money";

/// The standfirst the second article sets as a heading under its title (150 characters).
const STANDFIRST: &str = "The council says the wall will be rebuilt by the spring, but the \
                          fishermen who use the harbour every day are not so sure of that at all.";

/// Three Markdown articles: one with a byline and sections, one with a long title and a
/// standfirst set as a heading, one short. Returns their paths in order.
fn three_articles(dir: &Path) -> Vec<std::path::PathBuf> {
    let body = |word: &str, n: usize| {
        (0..n)
            .map(|i| {
                format!(
                    "{word}{i} the harbour committee met on Tuesday to discuss the wall, and the \
                     meeting went on late into the evening, as these meetings do in small towns \
                     where everyone knows everyone and nobody leaves before the end.\n\n"
                )
            })
            .collect::<String>()
    };
    let files = [
        (
            "a.md",
            format!(
                "---\ntitle: Wall plans\nauthor: Ann Writer\nsite: Harbour News\n\
                 url: https://news.example/wall\nlang: en\n---\n\n{}## Costs\n\n{}",
                body("Alpha", 6),
                body("Costly", 8)
            ),
        ),
        (
            "b.md",
            format!(
                "---\ntitle: \"{LONG_TITLE}\"\nsite: Coast Weekly\nurl: https://coast.example/b\n\
                 lang: en\n---\n\n## {STANDFIRST}\n\n{}## Reactions\n\n{}",
                body("Bravo", 5),
                body("React", 5)
            ),
        ),
        (
            "c.md",
            format!(
                "---\ntitle: Night ferry\nsite: Island Post\nurl: https://island.example/ferry\n\
                 lang: en\n---\n\n{}",
                body("Charlie", 3)
            ),
        ),
    ];
    files
        .iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

/// A word of a PDF page as `pdftotext -bbox` gives it.
#[derive(Debug, Clone)]
struct Word {
    x: f32,
    y: f32,
    text: String,
}

/// The words of each page of a PDF, by `pdftotext -bbox`.
fn pdf_words(pdftotext: &Path, pdf: &Path) -> Vec<Vec<Word>> {
    let out = std::process::Command::new(pdftotext)
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout);
    let attr = |line: &str, name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + line[start..].find('"').unwrap();
        line[start..end].parse().unwrap()
    };
    let mut pages: Vec<Vec<Word>> = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page") {
            pages.push(Vec::new());
        } else if line.starts_with("<word") {
            let text = line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()]
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'");
            if let Some(page) = pages.last_mut() {
                page.push(Word {
                    x: attr(line, "xMin"),
                    y: attr(line, "yMin"),
                    text,
                });
            }
        }
    }
    pages
}

/// A page's lines: words grouped by their top, top to bottom, each line left to right.
fn page_lines(words: &[Word]) -> Vec<Vec<Word>> {
    let mut lines: Vec<Vec<Word>> = Vec::new();
    let mut sorted = words.to_vec();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    for word in sorted {
        match lines.last_mut() {
            Some(line) if (line[0].y - word.y).abs() < 3.0 => line.push(word),
            _ => lines.push(vec![word]),
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

fn line_text(line: &[Word]) -> String {
    line.iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Issue 13, point 8: a PDF bundle opens with a contents page (each article's title and the
/// page it starts on, a long title shortened, no standfirst), each article starts a page,
/// its first paragraph after the byline is not indented, and a Sources appendix ends it.
#[test]
fn a_pdf_bundle_has_contents_chapter_pages_and_sources() {
    let Some(pdftotext) = program("pdftotext", "poppler-utils") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let inputs = three_articles(dir.path());
    let pdf = dir.path().join("book.pdf");
    quire()
        .arg("bundle")
        .args(&inputs)
        .args(["--title", "Weekly", "-o"])
        .arg(&pdf)
        .assert()
        .success();
    let pages = pdf_words(&pdftotext, &pdf);
    let contents = page_lines(&pages[0]);
    let contents_text: Vec<String> = contents.iter().map(|l| line_text(l)).collect();
    assert!(
        contents_text.iter().any(|l| l == "Contents"),
        "{contents_text:#?}"
    );
    // Each article's entry ends in the page it starts on, where its heading opens the page
    // (below the running header).
    let mut last_page = 0;
    for first_word in ["Wall", "Officials", "Night"] {
        let entry = contents
            .iter()
            .find(|l| l[0].text == first_word)
            .unwrap_or_else(|| panic!("no entry for {first_word}: {contents_text:#?}"));
        let number: usize = entry
            .last()
            .unwrap()
            .text
            .parse()
            .unwrap_or_else(|_| panic!("entry without a page number: {}", line_text(entry)));
        let lines = page_lines(&pages[number - 1]);
        let top = lines
            .iter()
            .find(|l| line_text(l) != "Weekly")
            .expect("a page with text");
        assert_eq!(
            top[0].text,
            first_word,
            "page {number} does not open with the article: {}",
            line_text(top)
        );
        assert!(
            number > last_page,
            "articles in order, each on its own page"
        );
        last_page = number;
    }
    // The long title is shortened at a word, the standfirst is not an entry; the
    // articles' sections are.
    let long = contents_text
        .iter()
        .find(|l| l.starts_with("Officials"))
        .unwrap();
    assert!(long.contains('…'), "{long}");
    let shown = long.split('…').next().unwrap();
    assert!(LONG_TITLE.starts_with(shown.trim_end()), "{long}");
    assert!(shown.chars().count() <= 80, "{long}");
    assert!(
        !contents_text.iter().any(|l| l.contains("council says")),
        "{contents_text:#?}"
    );
    assert!(
        contents_text.iter().any(|l| l.starts_with("Costs")),
        "{contents_text:#?}"
    );
    assert!(
        contents_text.iter().any(|l| l.starts_with("Reactions")),
        "{contents_text:#?}"
    );
    // The first paragraph after the byline starts at the margin, as the heading does; the
    // next one is indented.
    let find = |word: &str| {
        pages
            .iter()
            .flatten()
            .find(|w| w.text == word)
            .unwrap_or_else(|| panic!("{word} not in the PDF"))
            .clone()
    };
    let margin = pages[1..]
        .iter()
        .flatten()
        .find(|w| w.text == "Wall")
        .unwrap()
        .x;
    assert!(
        (find("Alpha0").x - margin).abs() < 1.0,
        "first paragraph indented"
    );
    assert!(
        find("Alpha1").x - margin > 5.0,
        "later paragraphs keep their indent"
    );
    assert!(
        (find("Bravo0").x - margin).abs() < 1.0,
        "first paragraph indented"
    );
    // Sources: a page of its own, every article's title, site and URL.
    let sources_page = pages
        .iter()
        .position(|p| page_lines(p).iter().any(|l| line_text(l) == "Sources"))
        .expect("a Sources appendix");
    assert!(sources_page + 1 > last_page);
    let sources: String = pages[sources_page..]
        .iter()
        .flat_map(|p| page_lines(p))
        .map(|l| line_text(&l))
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "Wall plans",
        "Harbour News",
        "https://news.example/wall",
        "Coast Weekly",
        "https://coast.example/b",
        "Night ferry",
        "https://island.example/ferry",
    ] {
        assert!(sources.contains(expected), "{expected} not in:\n{sources}");
    }
}

/// Issue 13, point 8: the EPUB's contents list headings only: a long title shortened with
/// "…", the standfirst set as a heading left out, the sections kept.
#[test]
fn epub_contents_entries_are_headings_shortened() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = three_articles(dir.path());
    let book = dir.path().join("book.epub");
    quire()
        .arg("bundle")
        .args(&inputs)
        .args(["--title", "Weekly", "-o"])
        .arg(&book)
        .assert()
        .success();
    let files = unzip(&fs::read(&book).unwrap());
    let nav = file_text(&files, "OEBPS/nav.xhtml");
    let labels: Vec<String> = nav
        .split("<a ")
        .skip(1)
        .map(|a| a[a.find('>').unwrap() + 1..a.find("</a>").unwrap()].to_string())
        .collect();
    assert!(labels.iter().any(|l| l == "Wall plans"), "{labels:#?}");
    assert!(labels.iter().any(|l| l == "Costs"), "{labels:#?}");
    assert!(labels.iter().any(|l| l == "Reactions"), "{labels:#?}");
    let long = labels
        .iter()
        .find(|l| l.starts_with("Officials"))
        .expect("the long title's entry");
    assert!(long.ends_with('…') && long.chars().count() <= 80, "{long}");
    assert!(LONG_TITLE.starts_with(long.trim_end_matches('…')), "{long}");
    assert!(
        !labels.iter().any(|l| l.contains("council says")),
        "the standfirst is an entry: {labels:#?}"
    );
}
