//! Every script and every direction (issue 14): the test articles in `tests/data/scripts/`
//! (Arabic, Persian, Hebrew, Hindi, Bengali, Tamil, Thai, Chinese in both scripts, Japanese,
//! Korean, Vietnamese, Armenian, Georgian; each with a title, paragraphs, a quote, a list, a
//! table, a footnote, punctuation, numbers and a Latin word) converted by the quire binary,
//! as a user would, and each output checked by something other than quire:
//!
//! - PDF: no warning printed; every glyph shown exists in its embedded font (`pdf_glyphs`);
//!   and `pdftotext` gives back each paragraph's words in logical order.
//! - EPUB: EPUBCheck reports no errors and no warnings; the package and the chapter carry the
//!   article's language, and `dir="rtl"` (and a right-to-left page progression) for Arabic,
//!   Persian and Hebrew.
//! - HTML and the EPUB chapter in headless Chromium: the blockquote's bar is on the
//!   inline-start side, right for right-to-left articles, left for the others.
//!
//! The PDF tests need the Debian Noto fonts (fonts-noto-core, fonts-noto-cjk), which quire
//! finds on the machine for the scripts its bundled fonts lack: without them the tests fail
//! under CI (`CI` set), which installs them, and skip with a loud note elsewhere.
//! With `QUIRE_SCRIPTS_OUT=DIR`, every output the tests make is kept there to look at.
//!
//! How the PDF's text is compared: `pdftotext` (default mode) rebuilds the logical order of
//! right-to-left lines itself, word by word, and marks runs of each direction with embedding
//! controls (U+202A–U+202C), which are dropped; it also puts punctuation beside a
//! right-to-left word on the wrong side of it, whatever the PDF shows. So the words are
//! compared, not the punctuation: a word is a run of characters that are not whitespace or
//! punctuation, also cut where digits meet letters and where right-to-left letters meet
//! others (pdftotext leaves no space at a change of direction: "2004לפני"). Thai, Chinese and
//! Japanese, written without spaces between words, are compared character by character
//! (whitespace and punctuation removed). Each paragraph's words must appear in the text in
//! order, with at most a few other words between them (a page number and a footnote's
//! marker where a paragraph crosses a page); a word hyphenated at a line end, which pdftotext
//! joins without its hyphen, may stand for two words of the source ("one-" "in" → "onein").
//! Where the glyph order of a cluster differs from its characters' order (Indic vowel signs
//! drawn before their consonant), pdftotext reads the glyphs' order unless the PDF says what
//! the cluster stands for (`/ActualText`): the words must come back as they were written.

use std::path::{Path, PathBuf};
use std::process::Command;

use quire::model::{inlines_to_plain, Block, Document, Inline};
use quire::{InputFormat, ReadOptions};

use crate::pdf_glyphs;
use crate::support::program;

/// Where the Debian Noto fonts are installed (fonts-noto-core; fonts-noto-cjk beside it).
const NOTO_DIRS: [&str; 2] = [
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/opentype/noto",
];

/// The test articles' folder.
fn articles_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scripts")
}

/// How an article's text is cut into the units that are compared.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Tokens {
    /// Words: scripts that put spaces between words.
    Words,
    /// Words of syllables a line may end between (Korean, like a browser, breaks a line
    /// between any two Hangul syllables): a word may come back split over two lines.
    Syllables,
    /// Characters: scripts that do not (Thai, Chinese, Japanese).
    Chars,
}

/// One test article: its file stem (the article's language tag), direction and tokens.
struct Article {
    lang: &'static str,
    rtl: bool,
    tokens: Tokens,
}

/// Whether the Noto fonts are there: a failure under CI, a loud skip elsewhere.
fn noto_fonts() -> bool {
    let missing: Vec<&str> = NOTO_DIRS
        .into_iter()
        .filter(|dir| !Path::new(dir).is_dir())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let what = format!(
        "the Noto fonts are not installed ({} missing; Debian packages fonts-noto-core \
         fonts-noto-cjk)",
        missing.join(", ")
    );
    if std::env::var_os("CI").is_some() {
        panic!("{what}; CI must install them");
    }
    eprintln!("\n!!! SKIPPED: {what} !!!\n");
    false
}

/// With `QUIRE_SCRIPTS_OUT=DIR`, a copy of `file` is kept there.
fn keep(file: &Path) {
    if let Some(dir) = std::env::var_os("QUIRE_SCRIPTS_OUT") {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::copy(file, Path::new(&dir).join(file.file_name().unwrap()));
    }
}

/// Runs `quire convert ARTICLE --to FORMAT -o DIR/LANG.EXT` and returns the output's path and
/// what quire printed on standard error.
fn convert(article: &Article, format: &str, dir: &Path) -> (PathBuf, String) {
    let input = articles_dir().join(format!("{}.md", article.lang));
    let output = dir.join(format!("{}.{format}", article.lang));
    let run = Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("convert")
        .arg(&input)
        .args(["--to", format, "-o"])
        .arg(&output)
        .output()
        .expect("quire runs");
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(
        run.status.success(),
        "{}.md → {format}: quire failed ({:?}):\n{stderr}",
        article.lang,
        run.status
    );
    keep(&output);
    (output, stderr)
}

/// The article as quire's Markdown reader sees it.
fn read_article(lang: &str) -> Document {
    let path = articles_dir().join(format!("{lang}.md"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    quire::read(&bytes, InputFormat::Markdown, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{path:?}: {e}"))
        .document
}

/// The runs of text a reader reads as one piece: the title, and every paragraph and heading
/// wherever it is (quotes, list items, table cells, footnotes), in document order.
fn text_units(document: &Document) -> Vec<String> {
    let mut units: Vec<String> = document.meta.title.iter().cloned().collect();
    // An explicit stack (reversed, so that blocks come off it in order): no recursion.
    let mut stack: Vec<&Block> = document.blocks.iter().rev().collect();
    let mut notes: Vec<&[Block]> = Vec::new();
    while let Some(block) = stack.pop() {
        let inlines: &[Inline] = match block {
            Block::Paragraph(inlines) => inlines,
            Block::Heading { content, .. } => content,
            Block::Quote(blocks) | Block::Container { blocks, .. } => {
                stack.extend(blocks.iter().rev());
                continue;
            }
            Block::List(list) => {
                stack.extend(list.items.iter().rev().flat_map(|item| item.iter().rev()));
                continue;
            }
            Block::Table(table) => {
                let cells = table.head.iter().chain(&table.body).flat_map(|r| &r.cells);
                let blocks: Vec<&Block> = cells.flat_map(|c| &c.content).collect();
                stack.extend(blocks.into_iter().rev());
                continue;
            }
            _ => continue,
        };
        collect_notes(inlines, &mut notes);
        units.push(inlines_to_plain(inlines));
    }
    // Footnotes are set at the foot of the page (or the end), after the text.
    for blocks in notes {
        for block in blocks {
            if let Block::Paragraph(inlines) = block {
                units.push(inlines_to_plain(inlines));
            }
        }
    }
    units.retain(|u| !u.trim().is_empty());
    units
}

/// The notes among `inlines` (at any depth of emphasis or links).
fn collect_notes<'d>(inlines: &'d [Inline], notes: &mut Vec<&'d [Block]>) {
    let mut stack: Vec<&Inline> = inlines.iter().collect();
    while let Some(inline) = stack.pop() {
        match inline {
            Inline::Note(blocks) => notes.push(blocks),
            Inline::Emphasis(inner)
            | Inline::Strong(inner)
            | Inline::Strikethrough(inner)
            | Inline::Superscript(inner)
            | Inline::Subscript(inner)
            | Inline::Span { content: inner, .. } => stack.extend(inner.iter()),
            Inline::Link(link) => stack.extend(link.content.iter()),
            _ => {}
        }
    }
}

/// Characters with no ink that extraction may keep or drop: marks of direction (pdftotext
/// adds embeddings), joiners, the soft hyphen.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Punctuation and symbols, in the scripts of the articles: what separates words and is not
/// compared (see the module docs).
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(c,
            '\u{00A1}'..='\u{00BF}' | '\u{00D7}' | '\u{00F7}'
            | '\u{055A}'..='\u{055F}' | '\u{0589}' | '\u{058A}'
            | '\u{05BE}' | '\u{05C0}' | '\u{05C3}' | '\u{05F3}' | '\u{05F4}'
            | '\u{060C}' | '\u{060D}' | '\u{061B}' | '\u{061E}' | '\u{061F}'
            | '\u{066A}'..='\u{066D}' | '\u{06D4}'
            | '\u{0964}' | '\u{0965}' | '\u{0970}'
            | '\u{0E4F}' | '\u{0E5A}' | '\u{0E5B}'
            | '\u{10FB}'
            | '\u{2000}'..='\u{206F}' | '\u{20A0}'..='\u{20CF}' | '\u{2190}'..='\u{21FF}'
            | '\u{2E00}'..='\u{2E7F}'
            | '\u{3000}'..='\u{3004}' | '\u{3008}'..='\u{3020}' | '\u{3030}' | '\u{303D}'
            | '\u{30FB}'
            | '\u{FE10}'..='\u{FE1F}' | '\u{FE30}'..='\u{FE6F}'
            | '\u{FF01}'..='\u{FF0F}' | '\u{FF1A}'..='\u{FF20}' | '\u{FF3B}'..='\u{FF40}'
            | '\u{FF5B}'..='\u{FF65}')
        // Middle dots and the like in Latin-1 that are letters are kept.
        && !matches!(c, '\u{00AA}' | '\u{00B5}' | '\u{00BA}')
}

/// Letters of the right-to-left scripts (Hebrew, Arabic and their presentation forms).
fn is_rtl_letter(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// The tokens of `text` (see the module docs).
fn tokens(text: &str, how: Tokens) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut last: Option<char> = None;
    for c in text.chars().filter(|c| !is_invisible(*c)) {
        if c.is_whitespace() || is_punctuation(c) {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            last = None;
            continue;
        }
        if how == Tokens::Chars {
            out.push(c.to_string());
            continue;
        }
        if let Some(prev) = last {
            let class = |c: char| (c.is_numeric(), is_rtl_letter(c));
            // Combining marks belong to what they follow, whatever their class.
            if class(prev) != class(c) && !is_mark_after(c) && !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
        }
        word.push(c);
        last = Some(c);
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Marks that combine with what precedes them in the articles' scripts (Arabic and Hebrew
/// points are inside the right-to-left ranges already).
fn is_mark_after(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}')
}

/// At most this many other tokens may lie between the first and the last token of one
/// paragraph in the extracted text: a page number, a running head, a footnote's marker.
const MAX_SKIPPED: usize = 40;

/// Whether `unit` appears in `text` in order (see the module docs); the error says where the
/// best attempt stopped. With `split_words`, a word may be split in two in the text (a line
/// that ends inside it).
fn appears_in_order(unit: &[String], text: &[String], split_words: bool) -> Result<(), String> {
    if unit.is_empty() {
        return Ok(());
    }
    let mut best: (usize, usize) = (0, 0);
    for start in 0..text.len() {
        let (mut i, mut j, mut skipped) = (0, start, 0);
        'tokens: while i < unit.len() {
            let mut k = j;
            while k < text.len() && (k == j || skipped + (k - j) <= MAX_SKIPPED) {
                if i == 0 && k != start {
                    break;
                }
                if text[k] == unit[i] {
                    skipped += k - j;
                    i += 1;
                    j = k + 1;
                    continue 'tokens;
                }
                // A word hyphenated at a line end comes back joined, without its hyphen.
                if i + 1 < unit.len() && text[k] == format!("{}{}", unit[i], unit[i + 1]) {
                    skipped += k - j;
                    i += 2;
                    j = k + 1;
                    continue 'tokens;
                }
                if split_words
                    && k + 1 < text.len()
                    && unit[i] == format!("{}{}", text[k], text[k + 1])
                {
                    skipped += k - j;
                    i += 1;
                    j = k + 2;
                    continue 'tokens;
                }
                k += 1;
            }
            break;
        }
        if i == unit.len() {
            return Ok(());
        }
        if i > best.0 {
            best = (i, j);
        }
    }
    let (i, j) = best;
    let around = text[j.saturating_sub(3)..(j + 8).min(text.len())].join(" ");
    Err(format!(
        "matched {i} of {} tokens; expected {:?} next, the text has: {around}\n      \
         the paragraph: {}",
        unit.len(),
        unit[i],
        unit.join(" ")
    ))
}

/// The first lines of a long message, with a count of the rest.
fn first_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = lines[..lines.len().min(n)].join("\n");
    if lines.len() > n {
        out.push_str(&format!("\n… and {} more lines", lines.len() - n));
    }
    out
}

/// The PDF: no warnings, every glyph there, the words back in order.
fn check_pdf(article: &Article) {
    if !noto_fonts() {
        return;
    }
    let Some(pdftotext) = program("pdftotext", "poppler-utils") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (pdf, stderr) = convert(article, "pdf", dir.path());
    let mut failures = Vec::new();
    if !stderr.trim().is_empty() {
        failures.push(format!(
            "quire printed warnings:\n{}",
            first_lines(&stderr, 12)
        ));
    }
    let report = pdf_glyphs::check(&std::fs::read(&pdf).unwrap());
    if report.glyphs == 0 {
        failures.push("the PDF shows no glyphs at all".to_string());
    }
    if !report.problems.is_empty() {
        failures.push(format!(
            "{} of {} glyphs shown are missing or blank:\n{}",
            report.problems.len(),
            report.glyphs,
            first_lines(&report.summary(), 15)
        ));
    }
    let extracted = Command::new(pdftotext)
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(extracted.status.success(), "pdftotext failed on {pdf:?}");
    let text = tokens(&String::from_utf8_lossy(&extracted.stdout), article.tokens);
    let mut out_of_order = Vec::new();
    for unit in text_units(&read_article(article.lang)) {
        let split_words = article.tokens == Tokens::Syllables;
        if let Err(why) = appears_in_order(&tokens(&unit, article.tokens), &text, split_words) {
            out_of_order.push(format!("  - {why}"));
        }
    }
    if !out_of_order.is_empty() {
        failures.push(format!(
            "pdftotext does not give back {} paragraph(s) in order:\n{}",
            out_of_order.len(),
            first_lines(&out_of_order.join("\n"), 16)
        ));
    }
    assert!(
        failures.is_empty(),
        "{}.md → PDF:\n{}",
        article.lang,
        failures.join("\n\n")
    );
}

/// An attribute of `node` in the XML namespace (`xml:lang`).
fn xml_lang<'a>(node: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    node.attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
}

/// The EPUB: language and direction in the package and the chapters, then EPUBCheck.
fn check_epub(article: &Article) {
    let dir = tempfile::tempdir().unwrap();
    let (epub, stderr) = convert(article, "epub", dir.path());
    let bytes = std::fs::read(&epub).unwrap();
    let files = crate::epub::unzip(&bytes);
    let lang = article.lang;
    let mut failures = Vec::new();
    // Without the Noto fonts (outside CI) the cover, which quire draws, lacks this script's
    // glyphs, and quire rightly says so; every other warning still fails the test.
    let stderr = if noto_fonts() {
        stderr
    } else {
        stderr
            .lines()
            .filter(|line| !line.contains("warning: cover: no font for"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    if !stderr.trim().is_empty() {
        failures.push(format!(
            "quire printed warnings:\n{}",
            first_lines(&stderr, 12)
        ));
    }
    let opf = crate::epub::file_text(&files, "OEBPS/content.opf");
    let package = roxmltree::Document::parse(&opf).expect("the package parses");
    let root = package.root_element();
    if xml_lang(root) != Some(lang) {
        failures.push(format!(
            "the package's xml:lang is {:?}, not {lang:?}",
            xml_lang(root)
        ));
    }
    let language = root
        .descendants()
        .find(|n| n.tag_name().name() == "language")
        .and_then(|n| n.text());
    if language != Some(lang) {
        failures.push(format!("dc:language is {language:?}, not {lang:?}"));
    }
    let progression = root
        .descendants()
        .find(|n| n.tag_name().name() == "spine")
        .and_then(|n| n.attribute("page-progression-direction"));
    let want_progression = if article.rtl { Some("rtl") } else { None };
    if progression.filter(|p| *p != "ltr") != want_progression {
        failures.push(format!(
            "the spine's page-progression-direction is {progression:?}, not {want_progression:?}"
        ));
    }
    let chapters: Vec<&(String, Vec<u8>)> = files
        .iter()
        .filter(|(name, _)| name.starts_with("OEBPS/chapter-") && name.ends_with(".xhtml"))
        .collect();
    if chapters.is_empty() {
        failures.push("the book has no chapter".to_string());
    }
    for (name, content) in chapters {
        let text = String::from_utf8_lossy(content);
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let chapter =
            roxmltree::Document::parse_with_options(&text, options).expect("the chapter parses");
        let html = chapter.root_element();
        if html.attribute("lang") != Some(lang) || xml_lang(html) != Some(lang) {
            failures.push(format!(
                "{name}: <html lang={:?} xml:lang={:?}>, not {lang:?}",
                html.attribute("lang"),
                xml_lang(html)
            ));
        }
        let body = html.children().find(|n| n.has_tag_name("body"));
        let dir = html
            .attribute("dir")
            .or_else(|| body.and_then(|b| b.attribute("dir")));
        let want = if article.rtl { Some("rtl") } else { None };
        if dir.filter(|d| *d != "ltr") != want {
            failures.push(format!(
                "{name}: dir is {dir:?}, not {:?}",
                want.unwrap_or("ltr or none")
            ));
        }
    }
    let epubcheck = std::panic::catch_unwind(|| {
        crate::epub::assert_epubcheck_clean(&bytes, &format!("scripts-{lang}"))
    });
    if let Err(panic) = epubcheck {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        failures.push(format!("EPUBCheck: {}", first_lines(&message, 20)));
    }
    assert!(
        failures.is_empty(),
        "{lang}.md → EPUB:\n{}",
        failures.join("\n")
    );
}

/// Measures every blockquote's left and right borders (a border of style `none` or `hidden`
/// counts as none) and its direction.
const BAR_PROBE: &str = r#"
function measure(frame) {
  var w = frame.contentWindow, d = w.document, out = { quotes: [] };
  function border(style, side) {
    var kind = style.getPropertyValue('border-' + side + '-style');
    if (kind === 'none' || kind === 'hidden') return 0;
    return parseFloat(style.getPropertyValue('border-' + side + '-width')) || 0;
  }
  var quotes = d.querySelectorAll('blockquote');
  for (var i = 0; i < quotes.length; i++) {
    var s = w.getComputedStyle(quotes[i]);
    out.quotes.push({ left: border(s, 'left'), right: border(s, 'right'), direction: s.direction,
      text: quotes[i].textContent.trim().slice(0, 40) });
  }
  return out;
}
"#;

/// The HTML page and the EPUB chapter in Chromium: the blockquote bar on the inline-start side.
fn check_bar(article: &Article) {
    let Some(binary) = crate::browser::chromium_binary() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (html, _) = convert(article, "html", dir.path());
    let (epub, _) = convert(article, "epub", dir.path());
    let book = dir.path().join("book");
    for (name, bytes) in crate::epub::unzip(&std::fs::read(&epub).unwrap()) {
        let path = book.join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let page = html.file_name().unwrap().to_string_lossy().into_owned();
    let chapter = "book/OEBPS/chapter-1.xhtml";
    assert!(
        dir.path().join(chapter).is_file(),
        "{}: the chapter",
        article.lang
    );
    let (want, other) = if article.rtl {
        ("right", "left")
    } else {
        ("left", "right")
    };
    let mut failures = Vec::new();
    for (file, kind) in [(page.as_str(), "html"), (chapter, "epub")] {
        let label = format!("scripts-{}-{kind}", article.lang);
        for measured in crate::browser::measure_with(&binary, dir.path(), file, &label, BAR_PROBE) {
            let quotes = measured.found["quotes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if quotes.is_empty() {
                failures.push(format!("{}: no blockquote", measured.label));
            }
            for quote in quotes {
                let width = |side: &str| quote[side].as_f64().unwrap_or(0.0);
                if width(want) <= 0.0 || width(other) > 0.0 {
                    failures.push(format!(
                        "{}: the bar should be on the {want} only: {}",
                        measured.label, quote
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

macro_rules! articles {
    ($($module:ident: $lang:literal, rtl $rtl:literal, $tokens:ident;)*) => {
        /// Every article, for the checks that look at all of them.
        const ARTICLES: &[Article] = &[$(Article { lang: $lang, rtl: $rtl, tokens: Tokens::$tokens }),*];
        $(
            mod $module {
                use super::*;
                const ARTICLE: Article = Article { lang: $lang, rtl: $rtl, tokens: Tokens::$tokens };
                #[test]
                fn pdf_shows_every_glyph_and_gives_back_the_words() {
                    check_pdf(&ARTICLE);
                }
                #[test]
                fn epub_is_clean_with_language_and_direction() {
                    check_epub(&ARTICLE);
                }
                #[test]
                fn quote_bar_is_on_the_inline_start_side() {
                    check_bar(&ARTICLE);
                }
            }
        )*
    };
}

articles! {
    ar: "ar", rtl true, Words;
    fa: "fa", rtl true, Words;
    he: "he", rtl true, Words;
    hi: "hi", rtl false, Words;
    bn: "bn", rtl false, Words;
    ta: "ta", rtl false, Words;
    th: "th", rtl false, Chars;
    zh_hans: "zh-Hans", rtl false, Chars;
    zh_hant: "zh-Hant", rtl false, Chars;
    ja: "ja", rtl false, Chars;
    ko: "ko", rtl false, Syllables;
    vi: "vi", rtl false, Words;
    hy: "hy", rtl false, Words;
    ka: "ka", rtl false, Words;
}

/// Every article in the folder has its tests, and each holds what the issue asks of a test
/// article: its language in the front matter, a title, an author and a date, at least two
/// paragraphs, a quote, a list, a table and a footnote, numbers, and a Latin word in text
/// of another script.
#[test]
fn every_article_is_tested_and_has_every_part() {
    let mut files: Vec<String> = std::fs::read_dir(articles_dir())
        .expect("the articles' folder")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .collect();
    files.sort();
    let mut tested: Vec<String> = ARTICLES.iter().map(|a| format!("{}.md", a.lang)).collect();
    tested.sort();
    assert_eq!(
        files, tested,
        "articles without tests, or tests without articles"
    );
    for article in ARTICLES {
        let document = read_article(article.lang);
        let lang = article.lang;
        assert_eq!(
            document.meta.language.as_deref(),
            Some(lang),
            "{lang}: lang"
        );
        assert!(document.meta.title.is_some(), "{lang}: a title");
        assert!(!document.meta.authors.is_empty(), "{lang}: an author");
        assert!(document.meta.published.is_some(), "{lang}: a date");
        let count = |f: fn(&Block) -> bool| document.blocks.iter().filter(|b| f(b)).count();
        assert!(
            count(|b| matches!(b, Block::Paragraph(_))) >= 2,
            "{lang}: paragraphs"
        );
        assert_eq!(
            count(|b| matches!(b, Block::Quote(_))),
            1,
            "{lang}: a quote"
        );
        assert_eq!(count(|b| matches!(b, Block::List(_))), 1, "{lang}: a list");
        assert_eq!(
            count(|b| matches!(b, Block::Table(_))),
            1,
            "{lang}: a table"
        );
        let mut notes = Vec::new();
        for block in &document.blocks {
            if let Block::Paragraph(inlines) = block {
                collect_notes(inlines, &mut notes);
            }
        }
        assert_eq!(notes.len(), 1, "{lang}: a footnote");
        let text = text_units(&document).join("\n");
        assert!(text.chars().any(char::is_numeric), "{lang}: numbers");
        let latin_word = text
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w.len() >= 3 && w.chars().next().unwrap().is_ascii_uppercase());
        assert!(
            lang == "vi" || latin_word,
            "{lang}: a Latin word (Firefox, PDF) in the text"
        );
    }
}

/// The comparison of extracted text: order matters, a hyphenated word may come back joined,
/// a page number may interrupt, words of another paragraph may not stand in.
#[test]
fn words_are_compared_in_order() {
    let t = |s: &str| tokens(s, Tokens::Words);
    let unit = t("The tide is late, by fifty minutes.");
    assert!(appears_in_order(
        &unit,
        &t("Title\nThe tide is late, by fifty min-\nutes."),
        false
    )
    .is_err());
    assert!(appears_in_order(
        &unit,
        &t("Title\nThe tide is late, by fifty\nminutes. Next"),
        false
    )
    .is_ok());
    assert!(appears_in_order(
        &unit,
        &t("The tide is late, by fif-\n\n3\n\nty minutes."),
        false
    )
    .is_err());
    assert!(appears_in_order(
        &unit,
        &t("The tide is late, by\n\n3\n\nfifty minutes."),
        false
    )
    .is_ok());
    assert!(appears_in_order(&unit, &t("The tide is late, by fiftyminutes"), false).is_ok());
    assert!(appears_in_order(&unit, &t("The tide is late, fifty by minutes."), false).is_err());
    // Right to left: pdftotext's embeddings are dropped, digits and letters part.
    assert_eq!(
        t("\u{202B}בשנת \u{202A}2004\u{202C}לפני( 20\u{202C}"),
        ["בשנת", "2004", "לפני", "20"]
    );
    assert_eq!(t("כ-45 אחוז"), ["כ", "45", "אחוז"]);
    // Devanagari vowel signs and the virama stay inside their word.
    assert_eq!(t("किसानों को, “धूप”।"), ["किसानों", "को", "धूप"]);
    // Persian: the joiner inside a word is not a break.
    assert_eq!(t("می\u{200C}خواهم."), ["میخواهم"]);
    // Korean: a line may end between two syllables of a word, only there.
    let k = |s: &str| tokens(s, Tokens::Syllables);
    let unit = k("큰 도움이 된다.");
    assert!(appears_in_order(&unit, &k("큰 도\n움이 된다."), true).is_ok());
    assert!(appears_in_order(&unit, &k("큰 도\n움이 된다."), false).is_err());
    assert!(appears_in_order(&unit, &k("큰 움이 도 된다."), true).is_err());
    let c = |s: &str| tokens(s, Tokens::Chars);
    assert_eq!(
        c("早上七点，地铁 站。"),
        ["早", "上", "七", "点", "地", "铁", "站"]
    );
}
