//! Table layout tests: tables read from Markdown and HTML, laid out at several page sizes
//! and checked through the words on the pages and their boxes.

use super::super::fonts::UserFonts;
use super::super::PageSize;
use super::*;
use crate::{InputFormat, ReadOptions};

/// A word on a page: its text and box (x, baseline, width).
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x: f32,
    y: f32,
    width: f32,
}

fn read(input: &str, format: InputFormat) -> Document {
    let options = ReadOptions {
        whole_page: true,
        ..ReadOptions::default()
    };
    crate::read(input.as_bytes(), format, &options)
        .expect("the test input reads")
        .document
}

fn lay(document: &Document, page_size: PageSize) -> (Laid, Vec<Warning>) {
    let user = UserFonts::default();
    let fonts = FontSet::new(&user, &mut Vec::new());
    let options = PdfOptions {
        page_size,
        ..PdfOptions::default()
    };
    let mut warnings = Vec::new();
    let laid = layout(
        document,
        &options,
        &fonts,
        &ImageInfo::default(),
        &mut warnings,
    );
    (laid, warnings)
}

/// The words of a page: runs on one baseline that touch are one word (a word is cut into
/// runs where its style changes or where it may be hyphenated); a space parts two words.
fn words(page: &Page) -> Vec<Word> {
    let mut runs: Vec<&TextRun> = page
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text(run) => Some(run),
            _ => None,
        })
        .collect();
    runs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut words: Vec<Word> = Vec::new();
    for run in runs {
        let text: String = run.glyphs.iter().map(|g| g.reading_text()).collect();
        match words.last_mut() {
            Some(last)
                if (last.y - run.y).abs() < 0.5
                    && (run.x - (last.x + last.width)).abs() < run.size * 0.05 =>
            {
                last.text.push_str(&text);
                last.width = run.x + run.width() - last.x;
            }
            _ => words.push(Word {
                text,
                x: run.x,
                y: run.y,
                width: run.width(),
            }),
        }
    }
    // A run may hold a space (text set in one style): its words are parted there.
    words
        .into_iter()
        .flat_map(|w| {
            let Word { text, x, y, width } = w;
            text.split_whitespace()
                .map(|t| Word {
                    text: t.to_string(),
                    x,
                    y,
                    width,
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn all_words(laid: &Laid) -> Vec<String> {
    laid.pages.iter().flat_map(words).map(|w| w.text).collect()
}

/// Checks that every word of `expected` is on the pages whole, as often as it is expected:
/// no word is cut without a hyphen, none is lost.
fn assert_whole_words(laid: &Laid, expected: &[&str], label: &str) {
    let found = all_words(laid);
    let mut wanted: HashMap<&str, usize> = HashMap::new();
    for word in expected.iter().flat_map(|cell| cell.split_whitespace()) {
        *wanted.entry(word).or_default() += 1;
    }
    for (word, count) in wanted {
        let seen = found.iter().filter(|w| w.as_str() == word).count();
        assert!(
            seen >= count,
            "{label}: {word:?} is on the pages {seen} times whole, expected {count}; \
             the words are {found:?}"
        );
    }
}

/// Checks that no text runs past the page's right margin.
fn assert_inside_the_measure(laid: &Laid, page_size: PageSize, label: &str) {
    let geo = Geometry::from_options(&PdfOptions {
        page_size,
        ..PdfOptions::default()
    });
    for (n, page) in laid.pages.iter().enumerate() {
        for word in words(page) {
            assert!(
                word.x >= geo.left - 0.5 && word.x + word.width <= geo.width - geo.right + 0.5,
                "{label}: {:?} on page {n} runs out of the measure ({} to {})",
                word.text,
                word.x,
                word.x + word.width
            );
        }
    }
}

const STATION_HEAD: [&str; 6] = [
    "Station",
    "Longitude",
    "Latitude",
    "Elevation",
    "Mean temperature",
    "Observation period",
];

const STATION_ROWS: [[&str; 6]; 3] = [
    [
        "Greenwich",
        "0.0015°W",
        "51.4821°N",
        "47 m",
        "11.3 °C",
        "1840–2024",
    ],
    [
        "Hohenpeißenberg",
        "11.0113°E",
        "47.8010°N",
        "977 m",
        "7.2 °C",
        "1781–2024",
    ],
    [
        "Sonnblick",
        "12.9578°E",
        "47.0542°N",
        "3109 m",
        "−5.4 °C",
        "1886–2024",
    ],
];

fn markdown_table(head: &[&str], rows: &[Vec<&str>]) -> String {
    let line = |cells: &[&str]| format!("| {} |\n", cells.join(" | "));
    let mut md = line(head);
    md.push_str(&line(&vec!["---"; head.len()]));
    for row in rows {
        md.push_str(&line(row));
    }
    md
}

#[test]
fn station_table_words_are_never_cut_at_a4_a5_and_ereader_size() {
    let rows: Vec<Vec<&str>> = STATION_ROWS.iter().map(|r| r.to_vec()).collect();
    let doc = read(&markdown_table(&STATION_HEAD, &rows), InputFormat::Markdown);
    let expected: Vec<&str> = STATION_HEAD
        .iter()
        .chain(STATION_ROWS.iter().flatten())
        .copied()
        .collect();
    for size in [PageSize::A4, PageSize::A5, PageSize::Ereader] {
        let (laid, _) = lay(&doc, size);
        let label = format!("{size:?}");
        assert_whole_words(&laid, &expected, &label);
        assert_inside_the_measure(&laid, size, &label);
    }
}

/// A table of `columns` columns: a header row of long words, then rows whose first cell names
/// the row and whose other cells are numbers with units.
fn wide_table(columns: usize, rows: usize) -> (String, Vec<Vec<String>>) {
    const NAMES: [&str; 6] = [
        "Pyrgeometer",
        "Temperature",
        "Precipitation",
        "Evaporation",
        "Radiation",
        "Albedo",
    ];
    let mut cells = vec![(0..columns)
        .map(|c| {
            if c == 0 {
                "Station".to_string()
            } else {
                format!("{}{c}", NAMES[c % NAMES.len()])
            }
        })
        .collect::<Vec<_>>()];
    for r in 0..rows {
        cells.push(
            (0..columns)
                .map(|c| {
                    if c == 0 {
                        format!("Station{r}")
                    } else {
                        format!("{r}.{c:03}°N")
                    }
                })
                .collect(),
        );
    }
    let head: Vec<&str> = cells[0].iter().map(String::as_str).collect();
    let body: Vec<Vec<&str>> = cells[1..]
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    (markdown_table(&head, &body), cells)
}

/// The lines of text of a page, words joined by spaces, top to bottom.
fn line_texts(page: &Page) -> Vec<String> {
    let mut lines: Vec<(f32, String)> = Vec::new();
    for word in words(page) {
        match lines.iter_mut().find(|(y, _)| (y - word.y).abs() < 0.5) {
            Some((_, text)) => {
                text.push(' ');
                text.push_str(&word.text);
            }
            None => lines.push((word.y, word.text)),
        }
    }
    lines.into_iter().map(|(_, t)| t).collect()
}

#[test]
fn a_table_too_wide_for_the_page_is_split_into_column_groups_with_the_key_column_repeated() {
    let (md, cells) = wide_table(12, 4);
    let doc = read(&md, InputFormat::Markdown);
    for size in [PageSize::A4, PageSize::A5, PageSize::Ereader] {
        let label = format!("{size:?}");
        let (laid, warnings) = lay(&doc, size);
        let all: Vec<&str> = cells.iter().flatten().map(String::as_str).collect();
        assert_whole_words(&laid, &all, &label);
        assert_inside_the_measure(&laid, size, &label);
        // Each group has a notice of its columns; together they hold every column once
        // besides the repeated first one.
        let notices: Vec<String> = laid
            .pages
            .iter()
            .flat_map(line_texts)
            .filter(|l| l.starts_with("Table (columns") && l.ends_with("of 12)"))
            .collect();
        assert!(notices.len() >= 2, "{label}: notices {notices:?}");
        let warning = warnings
            .iter()
            .find(|w| w.message.contains("too wide for the page"))
            .unwrap_or_else(|| panic!("{label}: no warning in {warnings:?}"));
        assert!(
            warning
                .message
                .contains(&format!("as {} tables", notices.len())),
            "{label}: {warning}"
        );
        // The key column: every row's name once in each group.
        // (The header row may repeat where a group continues on the next page.)
        let found = all_words(&laid);
        for row in &cells[1..] {
            let key = &row[0];
            let seen = found.iter().filter(|w| *w == key).count();
            assert_eq!(seen, notices.len(), "{label}: {key} in each group");
        }
    }
}

#[test]
fn a_split_tables_column_notice_is_in_the_documents_language() {
    let (md, _) = wide_table(12, 4);
    let mut doc = read(&md, InputFormat::Markdown);
    for (language, start, end) in [
        ("de", "Tabelle (Spalten ", " von 12)"),
        ("ru", "Таблица (столбцы ", " из 12)"),
        ("xx", "Table (columns ", " of 12)"),
    ] {
        doc.meta.language = Some(language.into());
        let (laid, _) = lay(&doc, PageSize::A4);
        let notices: Vec<String> = laid
            .pages
            .iter()
            .flat_map(line_texts)
            .filter(|l| l.starts_with(start) && l.ends_with(end))
            .collect();
        assert!(notices.len() >= 2, "{language}: notices {notices:?}");
    }
}

#[test]
fn a_table_of_300_columns_is_set_in_groups_and_every_cell_is_there() {
    let (md, cells) = wide_table(300, 3);
    let doc = read(&md, InputFormat::Markdown);
    for size in [PageSize::A4, PageSize::Ereader] {
        let label = format!("{size:?}");
        let (laid, warnings) = lay(&doc, size);
        let all: Vec<&str> = cells.iter().flatten().map(String::as_str).collect();
        assert_whole_words(&laid, &all, &label);
        assert_inside_the_measure(&laid, size, &label);
        assert!(
            warnings
                .iter()
                .any(|w| w.message.contains("a table of 300 columns")),
            "{label}: {warnings:?}"
        );
    }
}

const ROWSPAN_TABLE: &str = "<html><body><table>\
    <tr><th>Site</th><th>Year</th><th>Value</th></tr>\
    <tr><td rowspan=\"3\">Hohenpeißenberg observatory on its hill above the Bavarian \
    foreland</td><td>2001</td><td>1.0</td></tr>\
    <tr><td>2002</td><td>2.0</td></tr>\
    <tr><td>2003</td><td>3.0</td></tr>\
    <tr><td>Sonnblick</td><td>2004</td><td>4.0</td></tr>\
    </table></body></html>";

#[test]
fn a_cell_spanning_rows_is_set_across_them_without_rules_through_it() {
    let doc = read(ROWSPAN_TABLE, InputFormat::Html);
    for size in [PageSize::A4, PageSize::Ereader] {
        let label = format!("{size:?}");
        let (laid, _) = lay(&doc, size);
        let page = &laid.pages[0];
        let found = words(page);
        let at = |text: &str| {
            found
                .iter()
                .find(|w| w.text == text)
                .unwrap_or_else(|| panic!("{label}: no {text:?} in {found:?}"))
                .clone()
        };
        let years: Vec<Word> = ["2001", "2002", "2003", "2004"].map(at).to_vec();
        // The rows the cell spans are as high as their own cells make them: one line each.
        let step = years[1].y - years[0].y;
        assert!(
            (years[2].y - years[1].y - step).abs() < 0.5
                && (years[3].y - years[2].y - step).abs() < 0.5,
            "{label}: rows at {:?}",
            years.iter().map(|w| w.y).collect::<Vec<_>>()
        );
        // The spanning cell's lines lie in the rows it spans, centred in them.
        let spanned = ["Hohenpeißenberg", "observatory", "foreland"].map(at);
        let top = spanned.iter().map(|w| w.y).fold(f32::MAX, f32::min);
        let bottom = spanned.iter().map(|w| w.y).fold(f32::MIN, f32::max);
        assert!(
            bottom > years[1].y - 0.5 && bottom < years[3].y,
            "{label}: the cell's last line at {bottom}, rows at {:?}",
            years.iter().map(|w| w.y).collect::<Vec<_>>()
        );
        let middle = (top + bottom) / 2.0;
        assert!(
            (middle - years[1].y).abs() < step,
            "{label}: the cell is centred at {middle}, its middle row at {}",
            years[1].y
        );
        // No rule crosses the cell between its rows; one runs under it.
        let cell_left = spanned.iter().map(|w| w.x).fold(f32::MAX, f32::min);
        let cell_right = spanned
            .iter()
            .map(|w| w.x + w.width)
            .fold(f32::MIN, f32::max);
        let rules: Vec<(f32, f32, f32)> = page
            .items
            .iter()
            .filter_map(|i| match *i {
                Item::Line { x1, x2, y1, y2, .. } if (y1 - y2).abs() < 0.01 => {
                    Some((x1.min(x2), x1.max(x2), y1))
                }
                _ => None,
            })
            .collect();
        let crossing = |y: f32| {
            rules
                .iter()
                .any(|&(a, b, ry)| ry > y - 0.5 && ry < y + 0.5 && a < cell_right && b > cell_left)
        };
        for rule_y in rules.iter().map(|r| r.2) {
            if rule_y > years[0].y && rule_y < years[2].y {
                assert!(
                    !crossing(rule_y),
                    "{label}: a rule at {rule_y} crosses the spanning cell"
                );
            }
        }
        assert!(
            rules.iter().any(|&(a, b, y)| y > years[2].y
                && y < years[3].y
                && a <= cell_left
                && b >= cell_right),
            "{label}: no rule under the spanning cell: {rules:?}"
        );
    }
}

#[test]
fn column_groups_are_as_few_as_fit_and_even() {
    use super::table::column_groups;
    // Key 30 wide, ten columns of 20 in 100: three fit beside the key, so four groups,
    // of two or three columns (packed full, the last would hold one).
    let mut minimum = vec![30.0];
    minimum.extend([20.0; 10]);
    let groups = column_groups(&minimum, 100.0);
    assert_eq!(groups.len(), 4);
    for group in &groups {
        assert_eq!(group[0], 0, "the key starts each group: {groups:?}");
        assert!(
            group.len() >= 3,
            "no group is left with one column: {groups:?}"
        );
        let width: f32 = group.iter().map(|&c| minimum[c]).sum();
        assert!(width <= 100.0, "{groups:?}");
    }
    let columns: Vec<usize> = groups.iter().flat_map(|g| g[1..].to_vec()).collect();
    assert_eq!(columns, (1..11).collect::<Vec<_>>());
    // A column too wide to sit beside the key goes alone.
    let groups = column_groups(&[30.0, 20.0, 90.0, 20.0], 100.0);
    assert_eq!(groups, vec![vec![0, 1], vec![2], vec![0, 3]]);
}
