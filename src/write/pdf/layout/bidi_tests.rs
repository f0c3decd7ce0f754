//! Bidirectional text in laid-out pages: the visual order of set lines (UAX #9 per
//! paragraph, reordered per line) as a browser shows them, and right-to-left pages mirrored.
//!
//! The order tests need no Hebrew or Arabic font: a glyph the bundled faces lack is .notdef
//! but still carries its text, and the order is what they check. They run again with the
//! Noto Hebrew and Arabic faces from the system when those are installed (skipped with a
//! note otherwise, and failing when `CI` is set), since a word set in several faces (Hebrew
//! letters in one, the comma after them in another) is where fragments were reordered wrong.

use super::super::fonts::UserFonts;
use super::*;
use crate::model::{Inline, Meta};

fn lay_with(document: &Document, user: &UserFonts) -> Laid {
    let fonts = FontSet::new(user, &mut Vec::new());
    layout(
        document,
        &PdfOptions::default(),
        &fonts,
        &ImageInfo::default(),
        &mut Vec::new(),
    )
}

fn text_runs(page: &Page) -> Vec<&TextRun> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Text(run) => Some(run),
            _ => None,
        })
        .collect()
}

/// The first body line of the first page as it reads from left to right: the text of its
/// glyphs in the order they are drawn, a space where the runs leave a gap.
fn first_line_visual(laid: &Laid) -> String {
    let geo = Geometry::from_options(&PdfOptions::default());
    let mut body: Vec<&TextRun> = text_runs(&laid.pages[0])
        .into_iter()
        .filter(|r| r.y > geo.top && r.y < geo.height - geo.bottom)
        .collect();
    let first = body.iter().map(|r| r.y).fold(f32::INFINITY, f32::min);
    body.retain(|r| (r.y - first).abs() < 1.0);
    body.sort_by(|a, b| a.x.total_cmp(&b.x));
    let mut out = String::new();
    let mut right: Option<f32> = None;
    for run in body {
        if right.is_some_and(|r| run.x - r > run.size * 0.1) {
            out.push(' ');
        }
        out.extend(run.glyphs.iter().map(|g| g.reading_text()));
        right = Some(run.x + run.width());
    }
    out
}

/// What a browser shows, left to right, given as pieces left to right; a piece in a
/// right-to-left script is written in reading order and shown reversed, as it is drawn.
fn shown(pieces: &[&str]) -> String {
    use unicode_bidi::BidiClass::{AL, R};
    pieces
        .iter()
        .map(|p| {
            if p.chars()
                .any(|c| matches!(unicode_bidi::bidi_class(c), R | AL))
            {
                p.chars().rev().collect()
            } else {
                p.to_string()
            }
        })
        .collect()
}

fn paragraph_in(language: Option<&str>, text: &str) -> Document {
    Document::new(
        Meta {
            language: language.map(str::to_string),
            ..Meta::default()
        },
        vec![Block::Paragraph(vec![Inline::text(text)])],
    )
}

/// Known strings and how a browser orders them (checked against Chromium with
/// `dir="rtl"` for the Hebrew and Arabic ones).
fn cases() -> Vec<(Option<&'static str>, &'static str, String)> {
    vec![
        // A number after a hyphen: the hyphen stays with the Hebrew letter.
        (
            Some("he"),
            "מחיר כ-45 שקלים",
            shown(&["שקלים", " ", "45-", "כ", " ", "מחיר"]),
        ),
        // Commas and full stops follow their word, on its left.
        (
            Some("he"),
            "שלום, עולם.",
            shown(&[".", "עולם", " ", ",", "שלום"]),
        ),
        // Brackets around a word, and a year that keeps its digits' order.
        (
            Some("ar"),
            "مرحبا (العالم) 2024.",
            shown(&[".2024", " ", ")", "العالم", "(", " ", "مرحبا"]),
        ),
        // Arabic-Indic digits read left to right too.
        (Some("ar"), "عام ٢٠٢٤.", shown(&[".", "٢٠٢٤", " ", "عام"])),
        // A Latin word inside Hebrew, with the punctuation around it.
        (
            Some("he"),
            "אני משתמש ב-Firefox, \"דפדפן\" טוב.",
            shown(&[
                ".",
                "טוב",
                " ",
                "\"",
                "דפדפן",
                "\"",
                " ",
                ",Firefox-",
                "ב",
                " ",
                "משתמש",
                " ",
                "אני",
            ]),
        ),
        // Two Latin words together inside Hebrew keep their order and their space.
        (
            Some("he"),
            "ראיתי את Mozilla Firefox אתמול.",
            shown(&[
                ".",
                "אתמול",
                " ",
                "Mozilla Firefox",
                " ",
                "את",
                " ",
                "ראיתי",
            ]),
        ),
        // A Hebrew phrase inside English: its words right to left, the English around it
        // in place.
        (
            Some("en"),
            "English with שלום עולם inside, and more.",
            shown(&["English with ", "עולם", " ", "שלום", " inside, and more."]),
        ),
        // With no language, the paragraph's first strong letter sets its direction.
        (None, "שלום, עולם.", shown(&[".", "עולם", " ", ",", "שלום"])),
    ]
}

fn check_cases(user: &UserFonts) {
    for (language, text, expected) in cases() {
        let laid = lay_with(&paragraph_in(language, text), user);
        assert_eq!(
            first_line_visual(&laid),
            expected,
            "{text:?} ({language:?})"
        );
    }
}

#[test]
fn right_to_left_paragraphs_are_ordered_as_a_browser_orders_them() {
    check_cases(&UserFonts::default());
}

/// The Noto Hebrew and Arabic faces the system has (Debian's fonts-noto-core), as `--font`
/// would give them; `None`, with a note, when they are missing and `CI` is not set.
fn system_rtl_fonts() -> Option<UserFonts> {
    const FILES: [&str; 2] = [
        "/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf",
        "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
    ];
    for path in FILES {
        match std::fs::metadata(path) {
            Ok(_) => {}
            Err(e) if std::env::var_os("CI").is_some() => {
                panic!("{path}: {e} (CI installs fonts-noto-core)")
            }
            Err(e) => {
                eprintln!("skipped: {path}: {e}");
                return None;
            }
        }
    }
    let paths: Vec<std::path::PathBuf> = FILES.iter().map(Into::into).collect();
    Some(UserFonts::load(&paths, &mut Vec::new()))
}

#[test]
fn right_to_left_words_in_several_faces_keep_their_punctuation_in_place() {
    if let Some(user) = system_rtl_fonts() {
        check_cases(&user);
    }
}

#[test]
fn brackets_in_right_to_left_text_are_mirrored() {
    // UAX #9 rule L4: the opening bracket, on the right of its words, is drawn facing them
    // (as ')' is drawn in left-to-right text).
    let Some(user) = system_rtl_fonts() else {
        return;
    };
    let laid = lay_with(&paragraph_in(Some("he"), "שלום (עולם) טוב"), &user);
    let glyph_of = |laid: &Laid, text: &str| {
        text_runs(&laid.pages[0])
            .iter()
            .flat_map(|r| r.glyphs.iter())
            .find(|g| g.text == text)
            .map(|g| g.gid)
    };
    let ltr = lay_with(&paragraph_in(Some("en"), "hello (world) good"), &user);
    assert_eq!(glyph_of(&laid, "("), glyph_of(&ltr, ")"));
    assert_eq!(glyph_of(&laid, ")"), glyph_of(&ltr, "("));
}

#[test]
fn each_space_stays_between_the_words_it_separated() {
    // "a B C d", B and C right to left in a left-to-right line, the spaces of different
    // widths (as spaces in different styles are): reordered, C B, and each space still
    // between the same two words, so the line is as wide as before and `d` does not move.
    let user = UserFonts::default();
    let fonts = FontSet::new(&user, &mut Vec::new());
    let fragment = |level: u8, width: f32| Fragment {
        glyphs: Vec::new(),
        face: fonts.face_for(FontStyle::BODY),
        size: 10.0,
        style: RunStyle::plain(FontStyle::BODY, BLACK),
        width,
        level,
        image: None,
    };
    // B is 11 wide, so that it can be told from C.
    let placed = vec![
        (0.0, fragment(0, 10.0)),
        (12.0, fragment(1, 11.0)),
        (26.0, fragment(1, 10.0)),
        (41.0, fragment(0, 10.0)),
    ];
    let space = |width, level| paragraph::Gap {
        width,
        level: Some(level),
    };
    let gaps = [space(2.0, 0), space(3.0, 1), space(5.0, 0), space(0.0, 0)];
    let out = paragraph::reorder_visual(placed, &gaps);
    let at: Vec<(f32, f32)> = out.iter().map(|(x, f)| (*x, f.width)).collect();
    assert_eq!(
        at,
        vec![(0.0, 10.0), (12.0, 10.0), (25.0, 11.0), (41.0, 10.0)]
    );
}

/// The same article in Hebrew or English: a paragraph with a footnote, a quote, an ordered
/// list, a table with numbers for cells (so it is the page, not the cells, that orders its
/// columns) and enough text for a second page with the running header.
fn article(hebrew: bool, language: Option<&str>) -> Document {
    let (words, quote, item, note) = if hebrew {
        ("שלום עולם טוב מאוד", "ציטוט קצר", "פריט", "הערה")
    } else {
        ("hello world very good", "a short quote", "item", "a note")
    };
    let filler = format!("{words} ").repeat(12);
    let mut markdown = format!(
        "{words} with a note[^n].\n\n> {quote}\n\n1. {item}\n2. {item}\n\n\
         | 11 | 22 | 33 |\n|----|----|----|\n| 44 | 55 | 66 |\n\n"
    );
    for _ in 0..40 {
        markdown.push_str(&format!("{filler}\n\n"));
    }
    markdown.push_str(&format!("[^n]: {note}\n"));
    let options = crate::ReadOptions {
        whole_page: true,
        ..crate::ReadOptions::default()
    };
    let mut document = crate::read(markdown.as_bytes(), crate::InputFormat::Markdown, &options)
        .expect("the test input reads")
        .document;
    document.meta.language = language.map(str::to_string);
    document.meta.title = Some(words.to_string());
    document
}

/// Where the parts of a page that have a side are: each as (left, right).
struct Sides {
    marker: (f32, f32),
    item_text: (f32, f32),
    quote_bar: f32,
    first_column: f32,
    second_column: f32,
    note_rule: (f32, f32),
    note_number: (f32, f32),
    header: (f32, f32),
}

fn run_text(run: &TextRun) -> String {
    run.glyphs.iter().map(|g| g.reading_text()).collect()
}

fn sides(laid: &Laid) -> Sides {
    let geo = Geometry::from_options(&PdfOptions::default());
    let page = &laid.pages[0];
    let runs = text_runs(page);
    let extent = |r: &TextRun| (r.x, r.x + r.width());
    let find = |text: &str| {
        runs.iter()
            .find(|r| run_text(r) == text)
            .unwrap_or_else(|| panic!("no run {text:?}"))
    };
    // The list's first marker, and the footnote's number at the foot of the page.
    let marker = find("1.");
    let note_number = runs
        .iter()
        .filter(|r| run_text(r) == "1.")
        .max_by(|a, b| a.y.total_cmp(&b.y))
        .expect("a note number");
    let item_text = runs
        .iter()
        .filter(|r| (r.y - marker.y).abs() < 0.5 && r.x != marker.x)
        .map(|r| extent(r))
        .fold((f32::INFINITY, f32::NEG_INFINITY), |a, b| {
            (a.0.min(b.0), a.1.max(b.1))
        });
    let lines: Vec<(f32, f32, f32, f32)> = page
        .items
        .iter()
        .filter_map(|i| match *i {
            Item::Line { x1, y1, x2, y2, .. } => Some((x1, y1, x2, y2)),
            _ => None,
        })
        .collect();
    let quote_bar = lines
        .iter()
        .find(|l| l.0 == l.2 && l.1 != l.3)
        .expect("a quote bar")
        .0;
    // The footnote rule: the horizontal line below the body's last line.
    let rule = lines
        .iter()
        .filter(|l| l.1 == l.3)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("a footnote rule");
    let header = text_runs(&laid.pages[1])
        .into_iter()
        .filter(|r| r.y < geo.top)
        .map(extent)
        .fold((f32::INFINITY, f32::NEG_INFINITY), |a, b| {
            (a.0.min(b.0), a.1.max(b.1))
        });
    Sides {
        marker: extent(marker),
        item_text,
        quote_bar,
        first_column: find("11").x,
        second_column: find("22").x,
        note_rule: (rule.0.min(rule.2), rule.0.max(rule.2)),
        note_number: extent(note_number),
        header,
    }
}

#[test]
fn right_to_left_pages_are_mirrored_and_left_to_right_ones_are_not() {
    let geo = Geometry::from_options(&PdfOptions::default());
    let (left, right) = (geo.left, geo.width - geo.right);
    let near = |a: f32, b: f32| (a - b).abs() < 1.0;
    let user = UserFonts::default();
    // Hebrew by its language, and by its first letter when it states no language.
    for language in [Some("he"), None] {
        let s = sides(&lay_with(&article(true, language), &user));
        let what = format!("Hebrew, language {language:?}");
        assert!(
            s.marker.0 > s.item_text.1,
            "{what}: marker right of its text"
        );
        assert!(
            s.quote_bar > left + geo.measure() * 0.9,
            "{what}: bar at the right"
        );
        assert!(
            s.first_column > s.second_column,
            "{what}: first column rightmost"
        );
        assert!(
            near(s.note_rule.1, right) && s.note_rule.0 > left + 1.0,
            "{what}: rule"
        );
        assert!(
            near(s.note_number.1, right),
            "{what}: note number at the right"
        );
        assert!(
            near(s.header.1, right) && s.header.0 > left + 1.0,
            "{what}: header"
        );
    }
    for language in [Some("en"), None] {
        let s = sides(&lay_with(&article(false, language), &user));
        let what = format!("English, language {language:?}");
        assert!(
            s.marker.1 < s.item_text.0,
            "{what}: marker left of its text"
        );
        assert!(
            s.quote_bar < left + geo.measure() * 0.1,
            "{what}: bar at the left"
        );
        assert!(
            s.first_column < s.second_column,
            "{what}: first column leftmost"
        );
        assert!(
            near(s.note_rule.0, left) && s.note_rule.1 < right - 1.0,
            "{what}: rule"
        );
        assert!(
            near(s.note_number.0, left),
            "{what}: note number at the left"
        );
        assert!(
            near(s.header.0, left) && s.header.1 < right - 1.0,
            "{what}: header"
        );
    }
}

/// A line of code that holds other scripts (a Hebrew string, an Arabic comment) sets each
/// piece in a face that has it, in the order a reader sees it. Its glyphs were all drawn in
/// the first piece's face: the Arabic came out as stray Hebrew glyphs, and the PDF's font
/// could not be subset.
#[test]
fn code_in_several_scripts_is_set_in_faces_that_have_them_in_visual_order() {
    let Some(user) = system_rtl_fonts() else {
        return;
    };
    let line = "a = \"שלום\" + b // مرحبا";
    let document = Document::new(
        Meta::default(),
        vec![Block::Code {
            language: None,
            text: line.into(),
        }],
    );
    let fonts = FontSet::new(&user, &mut Vec::new());
    let laid = layout(
        &document,
        &PdfOptions::default(),
        &fonts,
        &ImageInfo::default(),
        &mut Vec::new(),
    );
    let runs = text_runs(&laid.pages[0]);
    assert!(runs.len() >= 3, "one run a face and direction: {runs:?}");
    for run in &runs {
        let face = fonts.face(run.face);
        for c in run_text(run).chars().filter(|c| !c.is_whitespace()) {
            assert!(face.has_char(c), "{c:?} set in a face without it");
        }
    }
    // As a browser shows it in a `<pre>` (the code block's base direction is left to right).
    let visual: String = first_line_visual(&laid).split_whitespace().collect();
    let expected: String = shown(&["a = \"", "שלום", "\" + b // ", "مرحبا"])
        .split_whitespace()
        .collect();
    assert_eq!(visual, expected);
}

/// A contents line whose title mixes scripts sets each piece in a face that has it.
#[test]
fn a_contents_title_in_several_scripts_is_set_in_faces_that_have_them() {
    let Some(user) = system_rtl_fonts() else {
        return;
    };
    let title = "Tides שלום and مرحبا";
    let entry = Block::Paragraph(vec![Inline::link(
        "#tides",
        None,
        vec![Inline::text(title)],
    )]);
    let document = Document::new(
        Meta::default(),
        vec![
            Block::Container {
                attr: Box::new(crate::model::Attr::class(crate::model::classes::CONTENTS)),
                blocks: vec![Block::List(crate::model::List {
                    ordered: false,
                    start: 1,
                    tight: true,
                    items: vec![vec![entry]],
                    checked: Default::default(),
                })],
            },
            Block::Heading {
                level: 1,
                id: "tides".into(),
                content: vec![Inline::text(title)],
            },
        ],
    );
    let fonts = FontSet::new(&user, &mut Vec::new());
    let laid = layout(
        &document,
        &PdfOptions::default(),
        &fonts,
        &ImageInfo::default(),
        &mut Vec::new(),
    );
    let mut hebrew_runs = 0;
    for page in &laid.pages {
        for run in text_runs(page) {
            let face = fonts.face(run.face);
            let text = run_text(run);
            hebrew_runs += usize::from(text.contains('ש'));
            for c in text.chars().filter(|c| !c.is_whitespace()) {
                assert!(
                    face.has_char(c),
                    "{c:?} of {text:?} set in a face without it"
                );
            }
        }
    }
    assert!(hebrew_runs >= 2, "the contents line and the heading");
}
