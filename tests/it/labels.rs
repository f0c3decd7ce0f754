//! Labels and dates in the document's language (issue 14, point 4): the byline, the date with
//! its month name, "Contents" and "Sources" in HTML, EPUB and PDF, and English for a language
//! quire has no words for.

use crate::epub::{assert_epubcheck_clean, file_text, unzip};
use crate::support::program;
use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

fn quire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_quire"))
}

/// One language's test: its tag, an author, paragraphs, and the words quire must show.
struct Case {
    lang: &'static str,
    author: &'static str,
    paragraph: &'static str,
    byline: &'static str,
    date: &'static str,
    contents: &'static str,
    sources: &'static str,
    /// What follows the first article's title on the Sources page: its author and date,
    /// punctuated in the language.
    source_details: &'static str,
    /// What a bundle of two articles' title page says of them.
    two_articles: &'static str,
}

const GERMAN: Case = Case {
    lang: "de",
    author: "Anna Schmidt",
    paragraph: "Im Winter liegt der Hafen still. Die Schiffe bleiben an den Kais, und die \
                Arbeiter reparieren die Kräne, bevor im März die neue Saison beginnt.",
    byline: "Von Anna Schmidt",
    date: "2. Dezember 2026",
    contents: "Inhalt",
    sources: "Quellen",
    source_details: ". Anna Schmidt, 2. Dezember 2026.",
    two_articles: "2 Artikel",
};

const RUSSIAN: Case = Case {
    lang: "ru",
    author: "Анна Петрова",
    paragraph: "Зимой порт затихает. Корабли стоят у причалов, а рабочие чинят краны, \
                пока в марте не начнётся новый сезон навигации.",
    byline: "Автор: Анна Петрова",
    date: "2 декабря 2026",
    contents: "Содержание",
    sources: "Источники",
    // The date's own full stop ends the line: it read "г..".
    source_details: ". Анна Петрова, 2 декабря 2026\u{202f}г.",
    two_articles: "2 статьи",
};

const CHINESE: Case = Case {
    lang: "zh-CN",
    author: "王芳",
    paragraph: "冬天的港口很安静。船只停靠在码头，工人们在修理起重机，等待三月新的航运季节开始。",
    byline: "作者：王芳",
    date: "2026年12月2日",
    contents: "目录",
    sources: "资料来源",
    source_details: "。王芳，2026年12月2日。",
    two_articles: "2篇文章",
};

const ARABIC: Case = Case {
    lang: "ar",
    author: "ليلى حسن",
    paragraph: "يهدأ الميناء في الشتاء. ترسو السفن على الأرصفة، ويصلح العمال الرافعات \
                حتى يبدأ موسم الملاحة الجديد في شهر مارس.",
    byline: "بقلم ليلى حسن",
    date: "ديسمبر 2026",
    contents: "المحتويات",
    sources: "المصادر",
    source_details: ". ليلى حسن، 2 ديسمبر 2026.",
    two_articles: "مقالتان",
};

/// A language quire has no labels for: English throughout.
const UNKNOWN: Case = Case {
    lang: "xx",
    author: "Ann Smith",
    paragraph: "In winter the harbour is quiet. The ships stay at the quays and the workers \
                mend the cranes until the new season starts in March.",
    byline: "By Ann Smith",
    date: "2 December 2026",
    contents: "Contents",
    sources: "Sources",
    source_details: ". Ann Smith, 2 December 2026.",
    two_articles: "2 articles",
};

/// Writes an article page in `case`'s language, numbered `n`, and returns its path.
fn article(dir: &Path, case: &Case, n: usize) -> PathBuf {
    let path = dir.join(format!("{}-{n}.html", case.lang));
    let page = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <title>Article {n}</title><meta name=\"author\" content=\"{author}\">\
         <meta property=\"article:published_time\" content=\"2026-12-02T08:00:00Z\">\
         </head><body><article><h1>Article {n}</h1><p>{p}</p><p>{p}</p><p>{p}</p>\
         </article></body></html>",
        lang = case.lang,
        author = case.author,
        p = case.paragraph,
    );
    fs::write(&path, page).unwrap();
    path
}

fn convert(input: &Path, to: &str, output: &Path) {
    quire()
        .args(["convert", "--to", to, "-o"])
        .arg(output)
        .arg(input)
        .assert()
        .success();
}

fn check_html(case: &Case) {
    let dir = tempfile::tempdir().unwrap();
    let input = article(dir.path(), case, 1);
    let out = dir.path().join("out.html");
    convert(&input, "html", &out);
    let html = fs::read_to_string(&out).unwrap();
    assert!(
        html.contains(&format!("<p class=\"byline\">{}</p>", case.byline)),
        "{}: {html}",
        case.lang
    );
    assert!(
        html.contains(&format!("\">{}", case.date)) || html.contains(case.date),
        "{}: no date {:?} in {html}",
        case.lang,
        case.date
    );
    if case.lang != "xx" {
        assert!(!html.contains("December"), "{}: {html}", case.lang);
        assert!(!html.contains(">By "), "{}: {html}", case.lang);
    }
}

/// A bundle of two articles as an EPUB: the navigation's title, the Sources page and the
/// dates on it, and the count of articles on the title page (it said "2 articles" in every
/// language).
fn check_epub_bundle(case: &Case) {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.epub");
    quire()
        .arg("bundle")
        .arg(article(dir.path(), case, 1))
        .arg(article(dir.path(), case, 2))
        .args(["--title", "Harbour", "-o"])
        .arg(&book)
        .assert()
        .success();
    let bytes = fs::read(&book).unwrap();
    let files = unzip(&bytes);
    let nav = file_text(&files, "OEBPS/nav.xhtml");
    assert!(nav.contains(case.contents), "{}: {nav}", case.lang);
    assert!(nav.contains(case.sources), "{}: {nav}", case.lang);
    let sources = file_text(&files, "OEBPS/sources.xhtml");
    assert!(
        sources.contains(&format!("<h1>{}</h1>", case.sources)),
        "{}: {sources}",
        case.lang
    );
    assert!(sources.contains(case.date), "{}: {sources}", case.lang);
    assert!(
        sources.contains(&format!("Article 1</a>{}</li>", case.source_details)),
        "{}: {sources}",
        case.lang
    );
    let title = file_text(&files, "OEBPS/title.xhtml");
    assert!(
        title.contains(&format!("<p class=\"count\">{}</p>", case.two_articles)),
        "{}: {title}",
        case.lang
    );
    if case.lang != "xx" {
        assert!(!title.contains("articles"), "{}: {title}", case.lang);
        assert!(!nav.contains(">Contents<"), "{}: {nav}", case.lang);
        assert!(!sources.contains("Sources"), "{}: {sources}", case.lang);
    }
    assert_epubcheck_clean(&bytes, &format!("labels-{}", case.lang));
}

#[test]
fn html_byline_and_date_follow_the_language() {
    for case in [&GERMAN, &RUSSIAN, &CHINESE, &ARABIC, &UNKNOWN] {
        check_html(case);
    }
}

#[test]
fn epub_contents_and_sources_follow_the_language() {
    for case in [&GERMAN, &RUSSIAN, &CHINESE, &ARABIC, &UNKNOWN] {
        check_epub_bundle(case);
    }
}

#[test]
fn text_byline_and_date_follow_the_language() {
    let dir = tempfile::tempdir().unwrap();
    for case in [&GERMAN, &RUSSIAN, &UNKNOWN] {
        let out = dir.path().join(format!("{}.txt", case.lang));
        convert(&article(dir.path(), case, 1), "txt", &out);
        let text = fs::read_to_string(&out).unwrap();
        let lines: Vec<&str> = text.lines().take(3).collect();
        assert_eq!(lines[1], case.byline, "{}: {text}", case.lang);
        assert!(lines[2].starts_with(case.date), "{}: {text}", case.lang);
    }
}

/// The PDF of a bundle (bundled fonts cover Latin and Cyrillic): the contents page's heading,
/// the Sources appendix and the dates, as pdftotext reads them back.
#[test]
fn pdf_contents_sources_and_dates_follow_the_language() {
    let Some(pdftotext) = program("pdftotext", "poppler-utils") else {
        return;
    };
    for case in [&GERMAN, &RUSSIAN, &UNKNOWN] {
        let dir = tempfile::tempdir().unwrap();
        let pdf = dir.path().join("book.pdf");
        quire()
            .arg("bundle")
            .arg(article(dir.path(), case, 1))
            .arg(article(dir.path(), case, 2))
            .args(["--title", "Harbour", "--to", "pdf", "-o"])
            .arg(&pdf)
            .assert()
            .success();
        let out = std::process::Command::new(&pdftotext)
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        // pdftotext gives U+202F (in "2026 г.") as it is; spaces are compared as spaces.
        let text = String::from_utf8_lossy(&out.stdout).replace('\u{202f}', " ");
        for word in [case.contents, case.sources, case.date] {
            assert!(text.contains(word), "{}: no {word:?} in\n{text}", case.lang);
        }
        if case.lang != "xx" {
            assert!(!text.contains("Contents"), "{}: {text}", case.lang);
            assert!(!text.contains("December"), "{}: {text}", case.lang);
        }
    }
    // A bundle of a German and a Russian article: the book's parts in German (its first
    // article's language), each article's own line in its own language.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("mixed.pdf");
    quire()
        .arg("bundle")
        .arg(article(dir.path(), &GERMAN, 1))
        .arg(article(dir.path(), &RUSSIAN, 2))
        .args(["--title", "Harbour", "--to", "pdf", "-o"])
        .arg(&pdf)
        .assert()
        .success();
    let out = std::process::Command::new(&pdftotext)
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Inhalt") && text.contains("Quellen"),
        "{text}"
    );
    assert!(text.contains("Анна Петрова · 2 декабря 2026"), "{text}");
    assert!(text.contains("Anna Schmidt · 2. Dezember 2026"), "{text}");

    // A single article's title block has the date too.
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("one.pdf");
    convert(&article(dir.path(), &GERMAN, 1), "pdf", &pdf);
    let out = std::process::Command::new(&pdftotext)
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Anna Schmidt · 2. Dezember 2026"), "{text}");
}
