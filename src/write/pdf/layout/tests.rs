//! Layout tests: pages checked through their positioned items, without a PDF.

use super::super::fonts::UserFonts;
use super::*;
use crate::model::{Inline, Meta};

fn lay(document: &Document, options: &PdfOptions) -> Laid {
    let user = UserFonts::default();
    let fonts = FontSet::new(&user, &mut Vec::new());
    layout(
        document,
        options,
        &fonts,
        &ImageInfo::default(),
        &mut Vec::new(),
    )
}

fn runs(page: &Page) -> Vec<&TextRun> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Text(run) => Some(run),
            _ => None,
        })
        .collect()
}

/// Body lines of a page: (baseline, left, right), from the runs between the margins.
fn lines(page: &Page, geo: &Geometry) -> Vec<(f32, f32, f32)> {
    let mut by_line: Vec<(f32, f32, f32)> = Vec::new();
    for run in runs(page) {
        // Superscripts ride on their line; page furniture is outside the body.
        if run.y < geo.top || run.y > geo.height - geo.bottom || run.size < geo.size * 0.75 {
            continue;
        }
        let (l, r) = (run.x, run.x + run.width());
        match by_line.iter_mut().find(|(y, _, _)| (y - run.y).abs() < 2.5) {
            Some(line) => {
                line.1 = line.1.min(l);
                line.2 = line.2.max(r);
            }
            None => by_line.push((run.y, l, r)),
        }
    }
    by_line
}

fn long_document() -> Document {
    let words = "The committee reaffirmed its affinity for efficient and flawless workflows while \
                 difficult negotiations about infrastructure and representation continued";
    let mut blocks = Vec::new();
    for section in 0..12 {
        blocks.push(Block::Heading {
            level: 2,
            id: format!("s{section}").into(),
            content: vec![Inline::text(format!("Section {section}"))],
        });
        for p in 0..(section % 4 + 1) {
            let mut inlines = vec![Inline::text(format!("{p} {words} {words} {words}."))];
            if p == 1 {
                inlines.push(Inline::Note(vec![Block::Paragraph(vec![Inline::text(
                    format!("Note {section}"),
                )])]));
            }
            blocks.push(Block::Paragraph(inlines));
        }
    }
    Document::new(
        Meta {
            title: Some("A long test".into()),
            language: Some("en".into()),
            ..Meta::default()
        },
        blocks,
    )
}

/// Every kind of block, with a table long enough to cross pages.
fn mixed_document() -> Document {
    let mut doc = long_document();
    let row = |i: usize| crate::model::Row {
        cells: vec![
            crate::model::Cell::from_inlines(vec![Inline::text(format!("row {i}"))]),
            crate::model::Cell::from_inlines(vec![Inline::text(
                "a somewhat longer cell that has to wrap inside its column when the page is narrow",
            )]),
        ],
    };
    let extra = vec![
        Block::Code { language: None, text: format!("let s = \"{}\";\n\tindented();", "long ".repeat(60)) },
        Block::Quote(vec![Block::Paragraph(vec![Inline::text("A quoted paragraph that runs on for a while so that it wraps onto a second line at least.")])]),
        Block::List(crate::model::List {
            checked: Default::default(),
            ordered: true,
            start: 9,
            tight: false,
            items: (0..5).map(|i| vec![Block::Paragraph(vec![Inline::text(format!("Item {i} with some words in it"))])]).collect(),
        }),
        Block::Table(Box::new(crate::model::Table {
            caption: vec![Inline::text("A long table")],
            alignments: vec![],
            head: vec![crate::model::Row {
                cells: vec![
                    crate::model::Cell::from_inlines(vec![Inline::text("Key")]),
                    crate::model::Cell::from_inlines(vec![Inline::text("Value")]),
                ],
            }],
            body: (0..70).map(row).collect(),
        })),
        Block::Rule,
    ];
    let at = doc.blocks.len() / 2;
    doc.blocks.splice(at..at, extra);
    doc
}

#[test]
fn table_headers_repeat_on_every_page_the_table_crosses() {
    for size in [super::super::PageSize::A4, super::super::PageSize::Ereader] {
        let options = PdfOptions {
            page_size: size,
            ..PdfOptions::default()
        };
        let laid = lay(&mixed_document(), &options);
        let text_of = |run: &TextRun| {
            run.glyphs
                .iter()
                .map(|g| g.reading_text())
                .collect::<String>()
        };
        let pages_with_rows: Vec<usize> = (0..laid.pages.len())
            .filter(|&n| runs(&laid.pages[n]).iter().any(|r| text_of(r) == "row"))
            .collect();
        assert!(
            pages_with_rows.len() >= 2,
            "{size:?}: the table should cross a page"
        );
        for n in pages_with_rows {
            assert!(
                runs(&laid.pages[n]).iter().any(|r| text_of(r) == "Key"),
                "{size:?}: page {n} has rows but no header"
            );
        }
    }
}

#[test]
fn everything_stays_inside_the_page_and_lines_do_not_overlap() {
    for size in [
        super::super::PageSize::A4,
        super::super::PageSize::Ereader,
        super::super::PageSize::A5,
    ] {
        let options = PdfOptions {
            page_size: size,
            ..PdfOptions::default()
        };
        let geo = Geometry::from_options(&options);
        let laid = lay(&mixed_document(), &options);
        assert!(laid.pages.len() > 2);
        for (n, page) in laid.pages.iter().enumerate() {
            for item in &page.items {
                let (x, y, w, h) = item.bounds();
                assert!(
                    x >= geo.left - 0.5 && x + w <= geo.width - geo.right + 0.5,
                    "page {n}: {item:?} outside the measure"
                );
                assert!(
                    y >= 0.0 && y + h <= geo.height,
                    "page {n}: {item:?} off the page"
                );
            }
            // Body lines (between the margins) are at least a line apart.
            let mut baselines: Vec<f32> = lines(page, &geo).iter().map(|l| l.0).collect();
            baselines.sort_by(f32::total_cmp);
            for pair in baselines.windows(2) {
                assert!(
                    pair[1] - pair[0] > geo.size * 0.7,
                    "page {n}: lines overlap at {pair:?}"
                );
            }
            let bottom = baselines.last().copied().unwrap_or(0.0);
            assert!(
                bottom <= geo.height - geo.bottom + 0.5,
                "page {n}: text below the margin"
            );
        }
    }
}

#[test]
fn justified_lines_fill_the_measure() {
    let options = PdfOptions::default();
    let geo = Geometry::from_options(&options);
    let laid = lay(&long_document(), &options);
    let mut full = 0;
    for page in &laid.pages {
        for (_, l, r) in lines(page, &geo) {
            // Every line either ends at the measure or is a last/heading/short line.
            if (r - (geo.left + geo.measure())).abs() < 0.05 {
                full += 1;
            }
            assert!(r <= geo.left + geo.measure() + 0.05 && l >= geo.left - 0.05);
        }
    }
    assert!(full > 40, "only {full} full lines");
}

#[test]
fn a_heading_is_never_the_last_thing_on_a_page_and_notes_are_on_their_page() {
    for size in [super::super::PageSize::A4, super::super::PageSize::Ereader] {
        let options = PdfOptions {
            page_size: size,
            ..PdfOptions::default()
        };
        let geo = Geometry::from_options(&options);
        let laid = lay(&long_document(), &options);
        for (n, page) in laid.pages.iter().enumerate() {
            let headings: Vec<f32> = laid
                .outline
                .iter()
                .filter(|e| e.page == n)
                .map(|e| e.y)
                .collect();
            let body = lines(page, &geo);
            for y in headings {
                let below = body.iter().filter(|l| l.0 > y + geo.size * 1.6).count();
                assert!(
                    below >= 2,
                    "page {n}: heading at {y} has {below} lines under it"
                );
            }
            // A note marker's number appears in a footnote on the same page.
            let note_links = page.items.iter().filter(|i| matches!(i, Item::Link { target: LinkTarget::Internal { page, .. }, .. } if *page == n)).count();
            let all_links = page
                .items
                .iter()
                .filter(|i| matches!(i, Item::Link { .. }))
                .count();
            assert_eq!(
                note_links, all_links,
                "page {n}: a footnote link leaves its page"
            );
        }
        let notes: usize = laid
            .pages
            .iter()
            .map(|p| {
                p.items
                    .iter()
                    .filter(|i| matches!(i, Item::Link { .. }))
                    .count()
            })
            .sum();
        assert_eq!(notes, 12 - 12 / 4, "every note has its marker link");
    }
}

#[test]
fn right_to_left_words_come_out_right_to_left() {
    // Hebrew needs a font the bundle lacks: layout still orders the runs, .notdef or not.
    let doc = Document::new(
        Meta {
            language: Some("he".into()),
            ..Meta::default()
        },
        vec![Block::Paragraph(vec![Inline::text("אחד שתיים שלוש")])],
    );
    let options = PdfOptions::default();
    let laid = lay(&doc, &options);
    let mut body: Vec<&TextRun> = runs(&laid.pages[0])
        .into_iter()
        .filter(|r| r.y < 400.0)
        .collect();
    body.sort_by(|a, b| a.x.total_cmp(&b.x));
    let words: Vec<String> = body
        .iter()
        .map(|r| {
            r.glyphs
                .iter()
                .map(|g| g.reading_text())
                .collect::<String>()
        })
        .collect();
    // Visual order left to right is the reverse of reading order; each word's glyphs
    // are reversed too, so compare the word sets by their characters.
    let rev = |s: &str| s.chars().rev().collect::<String>();
    assert_eq!(words.len(), 3, "{words:?}");
    assert_eq!(rev(&words[0]), "שלוש", "{words:?}");
    let texts: Vec<String> = words
        .iter()
        .map(|w| {
            let mut c: Vec<char> = w.chars().collect();
            c.sort();
            c.into_iter().collect()
        })
        .collect();
    let sorted = |s: &str| {
        let mut c: Vec<char> = s.chars().collect();
        c.sort();
        c.into_iter().collect::<String>()
    };
    assert_eq!(texts, vec![sorted("שלוש"), sorted("שתיים"), sorted("אחד")]);
    // Right-aligned last line: the rightmost word ends at the measure.
    let geo = Geometry::from_options(&options);
    let right = body.last().map(|r| r.x + r.width()).unwrap_or(0.0);
    assert!((right - (geo.left + geo.measure())).abs() < 0.5, "{right}");
}

#[test]
fn column_widths_share_the_measure() {
    use super::table::column_widths;
    // Natural widths fit: spread to the full measure, proportions kept.
    let w = column_widths(&[100.0, 50.0], &[20.0, 10.0], 300.0);
    assert!((w.iter().sum::<f32>() - 300.0).abs() < 0.01 && (w[0] - 2.0 * w[1]).abs() < 0.01);
    // Between: every column gets at least its longest word.
    let w = column_widths(&[400.0, 100.0], &[50.0, 60.0], 300.0);
    assert!(w[0] >= 50.0 && w[1] >= 60.0 && (w.iter().sum::<f32>() - 300.0).abs() < 0.01);
    // Too narrow even for the words: narrow columns stay whole, wide ones are capped.
    let w = column_widths(&[500.0, 500.0, 40.0], &[200.0, 200.0, 40.0], 300.0);
    assert!(
        (w[2] - 40.0).abs() < 0.01 && (w[0] - 130.0).abs() < 0.1,
        "{w:?}"
    );
}

#[test]
fn ragged_lines_keep_natural_spaces_and_narrow_unhyphenated_measures_go_ragged() {
    let options = PdfOptions {
        ragged: true,
        ..PdfOptions::default()
    };
    let geo = Geometry::from_options(&options);
    let laid = lay(&long_document(), &options);
    let body = lines(&laid.pages[0], &geo);
    let full = body
        .iter()
        .filter(|(_, _, r)| (r - (geo.left + geo.measure())).abs() < 0.05)
        .count();
    assert!(
        body.len() > 10 && full <= 1,
        "{full} of {} lines end at the measure",
        body.len()
    );
    // Vietnamese on an e-reader page: no patterns, narrow measure, so ragged.
    let mut doc = long_document();
    doc.meta.language = Some("vi".into());
    let options = PdfOptions {
        page_size: super::super::PageSize::Ereader,
        ..PdfOptions::default()
    };
    let geo = Geometry::from_options(&options);
    let laid = lay(&doc, &options);
    let body = lines(&laid.pages[1], &geo);
    let full = body
        .iter()
        .filter(|(_, _, r)| (r - (geo.left + geo.measure())).abs() < 0.05)
        .count();
    assert!(full <= 1, "{full} justified lines");
}

#[test]
fn outline_follows_headings_in_order() {
    let laid = lay(&long_document(), &PdfOptions::default());
    assert_eq!(laid.outline.len(), 12);
    assert_eq!(laid.outline[0].title, "Section 0");
    for pair in laid.outline.windows(2) {
        assert!((pair[0].page, pair[0].y) < (pair[1].page, pair[1].y));
    }
}

#[test]
fn fragment_links_go_to_their_heading_and_dangling_ones_are_dropped() {
    let mut doc = long_document();
    doc.blocks.insert(
        0,
        Block::Paragraph(vec![
            Inline::Link(Box::new(crate::model::Link {
                url: "#s11".into(),
                title: None,
                content: vec![Inline::text("to the last section")],
            })),
            Inline::text(" and "),
            Inline::Link(Box::new(crate::model::Link {
                url: "#nowhere".into(),
                title: None,
                content: vec![Inline::text("nowhere")],
            })),
        ]),
    );
    let laid = lay(&doc, &PdfOptions::default());
    let target = laid
        .outline
        .iter()
        .find(|e| e.title == "Section 11")
        .map(|e| (e.page, e.y))
        .unwrap();
    let internal: Vec<(usize, f32)> = laid.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Link {
                target: LinkTarget::Internal { page, y },
                ..
            } => Some((*page, *y)),
            _ => None,
        })
        .collect();
    assert!(
        internal.contains(&target),
        "{internal:?} should hold {target:?}"
    );
    for page in &laid.pages {
        assert!(page.items.iter().all(|i| !matches!(
            i,
            Item::Link {
                target: LinkTarget::Anchor(_) | LinkTarget::Note(_),
                ..
            }
        )));
    }
}

#[test]
fn soft_hyphens_are_break_points_not_glyphs() {
    let word = "Donau\u{AD}dampf\u{AD}schiff\u{AD}fahrts\u{AD}gesell\u{AD}schaft";
    let text = format!("{word} {word} und {word} mit {word} oder {word}.");
    let doc = Document::new(
        Meta {
            language: Some("de".into()),
            ..Meta::default()
        },
        vec![Block::Paragraph(vec![Inline::text(text)])],
    );
    let options = PdfOptions {
        page_size: super::super::PageSize::A5,
        ..PdfOptions::default()
    };
    let laid = lay(&doc, &options);
    let texts: Vec<String> = runs(&laid.pages[0])
        .iter()
        .map(|r| r.glyphs.iter().map(|g| g.reading_text()).collect())
        .collect();
    assert!(texts.iter().all(|t| !t.contains('\u{AD}')), "{texts:?}");
    assert!(
        texts.iter().any(|t| t == "-"),
        "no line broke at a soft hyphen: {texts:?}"
    );
}

#[test]
fn cjk_text_breaks_between_characters_and_is_justified() {
    // No bundled font has these: they are .notdef boxes, but they still break and fill.
    let text = "中文排版需要在汉字之间断行并且两端对齐。".repeat(12);
    let doc = Document::new(
        Meta {
            language: Some("zh".into()),
            ..Meta::default()
        },
        vec![Block::Paragraph(vec![Inline::text(text)])],
    );
    let options = PdfOptions::default();
    let geo = Geometry::from_options(&options);
    let laid = lay(&doc, &options);
    let body = lines(&laid.pages[0], &geo);
    assert!(body.len() >= 3, "{body:?}");
    for (y, _, r) in &body[..body.len() - 1] {
        assert!(
            (r - (geo.left + geo.measure())).abs() < 0.5,
            "line at {y} ends at {r}"
        );
    }
}

#[test]
fn a_figure_that_does_not_fit_floats_and_text_fills_the_page() {
    let para = |i: usize| {
        Block::Paragraph(vec![Inline::text(format!("Paragraph {i} says a few words, enough to fill two or three lines of text on a page of this size, and then it stops."))])
    };
    let mut blocks: Vec<Block> = (0..14).map(para).collect();
    blocks.push(Block::Figure(Box::new(crate::model::Figure {
        image: crate::model::Image {
            src: "a.png".into(),
            alt: "A".into(),
            title: None,
            ..Default::default()
        },
        caption: vec![Inline::text("The caption")],
    })));
    blocks.extend((14..30).map(para));
    let doc = Document::new(
        Meta {
            language: Some("en".into()),
            ..Meta::default()
        },
        blocks,
    );
    let images = ImageInfo {
        by_src: HashMap::from([("a.png".to_string(), 0)]),
        sizes: vec![(800, 600)],
    };
    let user = UserFonts::default();
    let fonts = FontSet::new(&user, &mut Vec::new());
    let options = PdfOptions::default();
    let geo = Geometry::from_options(&options);
    let laid = layout(&doc, &options, &fonts, &images, &mut Vec::new());
    let image_page = laid
        .pages
        .iter()
        .position(|p| p.items.iter().any(|i| matches!(i, Item::Image { .. })))
        .unwrap();
    let image_y = laid.pages[image_page]
        .items
        .iter()
        .find_map(|i| match i {
            Item::Image { y, .. } => Some(*y),
            _ => None,
        })
        .unwrap();
    // The figure starts its page; the page before it is filled with the text after it.
    assert!(
        (image_y - geo.top).abs() < 1.0,
        "figure at {image_y}, not at the top"
    );
    let text_of = |run: &TextRun| {
        run.glyphs
            .iter()
            .map(|g| g.reading_text())
            .collect::<String>()
    };
    let before: Vec<String> = runs(&laid.pages[image_page - 1])
        .iter()
        .map(|r| text_of(r))
        .collect();
    assert!(
        before.iter().any(|t| t == "14"),
        "the text after the figure did not move up: {before:?}"
    );
    let last_body = lines(&laid.pages[image_page - 1], &geo)
        .iter()
        .map(|l| l.0)
        .fold(0.0, f32::max);
    assert!(
        geo.height - geo.bottom - last_body < geo.leading * 3.0,
        "page before the figure is not full"
    );
}

#[test]
fn a_table_row_taller_than_a_page_is_cut_between_lines() {
    let tall = crate::model::Cell {
        content: (0..150)
            .map(|i| Block::Paragraph(vec![Inline::text(format!("line {i}"))]))
            .collect(),
        colspan: 1,
        rowspan: 1,
    };
    let doc = Document::new(
        Meta::default(),
        vec![Block::Table(Box::new(crate::model::Table {
            caption: vec![],
            alignments: vec![],
            head: vec![],
            body: vec![crate::model::Row {
                cells: vec![
                    crate::model::Cell::from_inlines(vec![Inline::text("key")]),
                    tall,
                ],
            }],
        }))],
    );
    let options = PdfOptions::default();
    let geo = Geometry::from_options(&options);
    let laid = lay(&doc, &options);
    assert!(laid.pages.len() >= 3);
    let mut seen = 0;
    for page in &laid.pages {
        for run in runs(page) {
            let t: String = run.glyphs.iter().map(|g| g.reading_text()).collect();
            if t == "line" {
                seen += 1;
                assert!(
                    run.y > geo.top && run.y < geo.height - geo.bottom,
                    "a line at {} is off the body",
                    run.y
                );
            }
        }
    }
    assert_eq!(seen, 150);
}

#[test]
fn a_footnote_longer_than_a_page_foot_runs_in_the_text() {
    let long_note: Vec<Block> = (0..80)
        .map(|i| {
            Block::Paragraph(vec![Inline::text(format!(
                "note line {i} of a very long footnote"
            ))])
        })
        .collect();
    let doc = Document::new(
        Meta::default(),
        vec![
            Block::Paragraph(vec![Inline::text("Text"), Inline::Note(long_note)]),
            Block::Paragraph(vec![Inline::text("After the note.")]),
        ],
    );
    let options = PdfOptions::default();
    let geo = Geometry::from_options(&options);
    let laid = lay(&doc, &options);
    let mut note_lines = 0;
    for page in &laid.pages {
        let mut ys: Vec<f32> = Vec::new();
        for run in runs(page) {
            assert!(
                run.y >= geo.top - 1.0 && run.y <= geo.height,
                "text off the page at {}",
                run.y
            );
            let t: String = run.glyphs.iter().map(|g| g.reading_text()).collect();
            if t == "note" {
                note_lines += 1;
                ys.push(run.y);
            }
        }
        ys.sort_by(f32::total_cmp);
        for pair in ys.windows(2) {
            assert!(pair[1] - pair[0] > 5.0, "note lines overlap");
        }
    }
    assert_eq!(note_lines, 80);
    assert!(laid.pages.len() >= 2);
    // The marker still links to the note.
    assert!(laid.pages[0].items.iter().any(|i| matches!(
        i,
        Item::Link {
            target: LinkTarget::Internal { .. },
            ..
        }
    )));
}

#[test]
fn russian_paragraphs_are_justified() {
    let text = "Государственная дума приняла законопроект о национальной безопасности, \
                который предусматривает значительное увеличение финансирования армии и флота \
                в ближайшие несколько лет, а также модернизацию вооружений.";
    for language in ["ru", "en"] {
        let doc = Document::new(
            Meta {
                language: Some(language.into()),
                ..Meta::default()
            },
            vec![Block::Paragraph(vec![Inline::text(text)])],
        );
        let options = PdfOptions::default();
        let geo = Geometry::from_options(&options);
        let laid = lay(&doc, &options);
        let body = lines(&laid.pages[0], &geo);
        assert!(body.len() >= 2, "{body:?}");
        for (y, l, r) in &body[..body.len() - 1] {
            assert!(
                (l - geo.left).abs() < 0.5,
                "{language} line at {y} starts at {l}"
            );
            assert!(
                (r - (geo.left + geo.measure())).abs() < 0.5,
                "{language} line at {y} ends at {r}"
            );
        }
    }
}

/// A task item's box is drawn where the bullet goes (beside the number in a numbered list),
/// standing on its text's baseline, with a tick when done; an item without one keeps its
/// bullet (issue 13, point 13).
#[test]
fn task_items_show_a_drawn_box_ticked_when_done() {
    let item = |text: &str| vec![Block::Paragraph(vec![Inline::text(text)])];
    let list = |ordered: bool, checked: Vec<Option<bool>>, texts: &[&str]| {
        Block::List(crate::model::List {
            ordered,
            start: 1,
            tight: true,
            items: texts.iter().map(|t| item(t)).collect(),
            checked: checked.into(),
        })
    };
    let document = Document::new(
        Meta::default(),
        vec![
            list(
                false,
                vec![Some(true), Some(false), None],
                &["Done", "Todo", "Plain"],
            ),
            Block::Paragraph(vec![Inline::text("Between the lists.")]),
            list(true, vec![Some(true)], &["Numbered"]),
        ],
    );
    let laid = lay(&document, &PdfOptions::default());
    let page = &laid.pages[0];
    let text_of = |run: &TextRun| {
        run.glyphs
            .iter()
            .map(|g| g.reading_text())
            .collect::<String>()
    };
    let run_of = |word: &str| {
        runs(page)
            .into_iter()
            .find(|r| text_of(r).starts_with(word))
            .unwrap_or_else(|| panic!("no run for {word}"))
    };
    let boxes: Vec<(f32, f32, f32, f32)> = page
        .items
        .iter()
        .filter(|i| {
            matches!(
                i,
                Item::Rect {
                    fill: None,
                    stroke: Some(_),
                    ..
                }
            )
        })
        .map(Item::bounds)
        .collect();
    assert_eq!(boxes.len(), 3, "{boxes:?}");
    for (word, (x, y, w, h)) in ["Done", "Todo", "Numbered"].into_iter().zip(&boxes) {
        let run = run_of(word);
        assert!(
            (y + h - run.y).abs() < 0.5,
            "{word}: box bottom {} vs baseline {}",
            y + h,
            run.y
        );
        assert!(x + w < run.x, "{word}: the box is left of the text");
    }
    // Two strokes of a tick in each of the two done boxes, inside them.
    let ticks: Vec<(f32, f32, f32, f32)> = page
        .items
        .iter()
        .filter(|i| matches!(i, Item::Line { .. }))
        .map(Item::bounds)
        .collect();
    assert_eq!(ticks.len(), 4, "{ticks:?}");
    for (x, y, w, h) in ticks {
        assert!(
            [boxes[0], boxes[2]].iter().any(|(bx, by, bw, bh)| x >= *bx
                && x + w <= bx + bw
                && y >= *by
                && y + h <= by + bh),
            "a tick outside the done boxes"
        );
    }
    // The bullet is left for the item without a box; the number stays, right of its box.
    let bullets = runs(page).into_iter().filter(|r| text_of(r) == "•").count();
    assert_eq!(bullets, 1);
    let number = run_of("1.");
    assert!(boxes[2].0 + boxes[2].2 < number.x);
    // A reader of the text gets each box, at the box: ☑ for a done task, ☐ for one to do.
    let marks: Vec<(String, f32)> = runs(page)
        .into_iter()
        .map(|r| (text_of(r), r.x))
        .filter(|(t, _)| t == "☑" || t == "☐")
        .collect();
    assert_eq!(marks.len(), 3, "{marks:?}");
    for (((mark, x), want), (bx, ..)) in marks.iter().zip(["☑", "☐", "☑"]).zip(&boxes) {
        assert_eq!(mark, want);
        assert!((x - bx).abs() < 0.01, "{mark} at {x}, its box at {bx}");
    }
}

fn run_text(run: &TextRun) -> String {
    run.glyphs.iter().map(|g| g.reading_text()).collect()
}

/// A code line too long for the panel goes on under its own indent plus a hanging indent,
/// each continuation after a drawn mark, wrapped at spaces and punctuation, never inside a
/// number, and nothing lost (issue 13, point 2).
#[test]
fn wrapped_code_lines_hang_under_their_own_indent_after_a_mark() {
    let long = "        flux = radiate(albedo=0.06, emissivity=0.95, area=12.5)  \
                # the grey-body flux from the panel in watts per square metre, summed";
    let source = format!("def panel():\n{long}\n        return flux");
    let document = Document::new(
        Meta::default(),
        vec![Block::Code {
            language: None,
            text: source,
        }],
    );
    for size in [super::super::PageSize::A5, super::super::PageSize::Ereader] {
        let options = PdfOptions {
            page_size: size,
            ..PdfOptions::default()
        };
        let geo = Geometry::from_options(&options);
        let laid = lay(&document, &options);
        let page = &laid.pages[0];
        let mut code = runs(page);
        code.sort_by(|a, b| a.y.total_cmp(&b.y));
        let first = code
            .iter()
            .position(|r| run_text(r).trim_start().starts_with("flux"))
            .expect("the long line");
        let last = code
            .iter()
            .position(|r| run_text(r).trim_start().starts_with("return"))
            .expect("the line after it");
        let head = code[first];
        let continued = &code[first + 1..last];
        assert!(!continued.is_empty(), "{size:?}: the line was not wrapped");
        let char_width = head.glyphs[0].advance;
        let indent = head.x + 8.0 * char_width;
        let mut parts = vec![run_text(head)];
        for run in continued {
            assert!(
                run.x >= indent + 2.0 * char_width - 0.01,
                "{size:?}: {:?} starts at {} left of the hanging indent {}",
                run_text(run),
                run.x,
                indent + 2.0 * char_width
            );
            assert!(
                run.x + run.width() <= geo.width - geo.right + 0.01,
                "{size:?}: {:?} runs out of the panel",
                run_text(run)
            );
            let marks = page.items.iter().filter(|i| {
                let (x, y, w, h) = i.bounds();
                matches!(i, Item::Line { .. })
                    && x >= indent - 0.01
                    && x + w <= run.x + 0.01
                    && y >= run.y - run.size
                    && y + h <= run.y
            });
            assert!(
                marks.count() >= 2,
                "{size:?}: no mark before {:?}",
                run_text(run)
            );
            parts.push(run_text(run));
        }
        for pair in parts.windows(2) {
            let before = pair[0].trim_end().chars().next_back().unwrap_or(' ');
            let after = pair[1].chars().next().unwrap_or(' ');
            assert!(
                !((before.is_ascii_digit() || before == '.') && after.is_ascii_digit()),
                "{size:?}: a number split: {pair:?}"
            );
            assert!(
                !before.is_alphanumeric()
                    || !after.is_alphanumeric()
                    || long.contains(&format!("{} {}", pair[0].trim_end(), pair[1])),
                "{size:?}: a word split: {pair:?}"
            );
        }
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        assert_eq!(squeeze(&parts.concat()), squeeze(long), "{size:?}");
    }
}

fn lay_with_images(document: &Document, options: &PdfOptions, images: &ImageInfo) -> Laid {
    let user = UserFonts::default();
    let fonts = FontSet::new(&user, &mut Vec::new());
    layout(document, options, &fonts, images, &mut Vec::new())
}

/// A loaded inline image is set in its line, standing on the baseline between the words
/// around it: scaled to the text when it states no size, at its stated size (the line made
/// taller) when it does. One that was not loaded shows its alt text (issue 13, point 4), as
/// the plain-text output does: in brackets.
#[test]
fn inline_images_are_set_in_the_line_at_the_text_or_their_stated_size() {
    let image = |src: &str, alt: &str, size: Option<(u32, u32)>| {
        Inline::Image(Box::new(crate::model::Image {
            src: src.into(),
            alt: alt.into(),
            width: size.map(|s| s.0),
            height: size.map(|s| s.1),
            ..Default::default()
        }))
    };
    let document = Document::new(
        Meta::default(),
        vec![
            Block::Paragraph(vec![
                Inline::text("A bar "),
                image("bar.png", "tall bar", None),
                Inline::text(" in the line."),
            ]),
            Block::Paragraph(vec![Inline::text("Between the two.")]),
            Block::Paragraph(vec![
                Inline::text("Sized "),
                image("bar.png", "sized bar", Some((60, 200))),
                Inline::text(" and gone "),
                image("gone.png", "gone", None),
                Inline::text("."),
            ]),
        ],
    );
    let images = ImageInfo {
        by_src: [("bar.png".to_string(), 0)].into_iter().collect(),
        sizes: vec![(30, 120)],
    };
    let options = PdfOptions::default();
    let geo = Geometry::from_options(&options);
    let laid = lay_with_images(&document, &options, &images);
    let page = &laid.pages[0];
    let placed: Vec<(f32, f32, f32, f32)> = page
        .items
        .iter()
        .filter(|i| matches!(i, Item::Image { index: 0, .. }))
        .map(Item::bounds)
        .collect();
    assert_eq!(placed.len(), 2, "{:?}", page.items);
    let run_of = |word: &str| {
        runs(page)
            .into_iter()
            .find(|r| run_text(r).starts_with(word))
            .unwrap_or_else(|| panic!("no run for {word}"))
    };
    let texts: String = runs(page).iter().map(|r| run_text(r)).collect();
    assert!(
        !texts.contains("tall bar") && !texts.contains("sized bar"),
        "{texts}"
    );
    assert!(
        texts.contains("[gone].") && !texts.contains("[tall"),
        "{texts}"
    );
    // No stated size: as tall as the text's ascent, the proportions kept.
    let (x, y, w, h) = placed[0];
    let (before, after) = (run_of("A"), run_of("in"));
    assert!(
        (h - geo.size * 0.95).abs() < 0.01 && (w * 4.0 - h).abs() < 0.01,
        "{w}x{h}"
    );
    assert!(
        (y + h - before.y).abs() < 0.01,
        "the image stands on the baseline"
    );
    assert!(
        before.x + before.width() < x && x + w < after.x,
        "the image is between its words"
    );
    // Stated 60 × 200 CSS pixels: 45 × 150 points, its line as tall as it needs.
    let (x, y, w, h) = placed[1];
    assert!(
        (w - 45.0).abs() < 0.01 && (h - 150.0).abs() < 0.01,
        "{w}x{h}"
    );
    let (sized, between) = (run_of("Sized"), run_of("Between"));
    assert!((y + h - sized.y).abs() < 0.01 && sized.x + sized.width() < x);
    assert!(
        y > between.y + geo.size * 0.2,
        "the image overlaps the line above"
    );
}

/// The seed article's paragraphs at A4: the paragraph whose last line only just fits keeps
/// natural spaces on it, and no empty line follows it (issue 13, point 5).
#[test]
fn a_last_line_that_just_fits_is_not_justified_nor_followed_by_an_empty_line() {
    let paragraphs = [
        "Russia’s new ambassador to the United Kingdom, Andrei Kelin, recently addressed the \
         country’s ties with NATO, saying that the US-led military bloc has “a lot of inertia \
         in its work… It follows the lines that were designated years behind.”",
        "The Cold War ended decades ago, but somehow NATO “continues to work against us in a \
         climate of confrontation,” he continued in an interview with RT.",
        "“The confrontation is dangerous and more and more money is being allocated for the \
         so-called defense, but in fact all of this is for the accumulation of armaments along \
         our borders – this is not calm and this is bad for European security,” completed Kelin.",
    ];
    let document = Document::new(
        Meta {
            language: Some("en".into()),
            ..Meta::default()
        },
        paragraphs
            .iter()
            .map(|p| Block::Paragraph(vec![Inline::text(*p)]))
            .collect(),
    );
    let options = PdfOptions::default();
    let geo = Geometry::from_options(&options);
    let laid = lay(&document, &options);
    let page = &laid.pages[0];
    let mut baselines: Vec<f32> = lines(page, &geo).iter().map(|l| l.0).collect();
    baselines.sort_by(f32::total_cmp);
    for pair in baselines.windows(2) {
        assert!(
            pair[1] - pair[0] < geo.leading * 1.5,
            "an empty line between {pair:?}"
        );
    }
    let user = UserFonts::default();
    let fonts = FontSet::new(&user, &mut Vec::new());
    let mut shaper = super::super::shape::Shaper::new(&fonts);
    let space = shaper.width(" ", fonts.face_for(FontStyle::BODY)) * geo.size;
    let last_run = runs(page)
        .into_iter()
        .find(|r| run_text(r) == "RT.")
        .expect("the paragraph's last word");
    let mut on_line: Vec<&TextRun> = runs(page)
        .into_iter()
        .filter(|r| (r.y - last_run.y).abs() < 0.01)
        .collect();
    on_line.sort_by(|a, b| a.x.total_cmp(&b.x));
    for pair in on_line.windows(2) {
        let gap = pair[1].x - (pair[0].x + pair[0].width());
        assert!(
            gap <= space + 0.01,
            "a gap of {gap} (a space is {space}) before {:?}",
            run_text(pair[1])
        );
    }
}

/// The words of a page as a reader sees them: runs that touch on one baseline joined (a
/// word is cut into runs at kerning and hyphenation points), as (text, x, baseline).
fn page_words(page: &Page) -> Vec<(String, f32, f32)> {
    let mut all = runs(page);
    all.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut words: Vec<(String, f32, f32, f32)> = Vec::new();
    for run in all {
        let text: String = run.glyphs.iter().map(|g| g.reading_text()).collect();
        match words.last_mut() {
            Some((t, _, y, end)) if (*y - run.y).abs() < 0.1 && (run.x - *end).abs() < 0.3 => {
                t.push_str(&text);
                *end = run.x + run.width();
            }
            _ => words.push((text, run.x, run.y, run.x + run.width())),
        }
    }
    words.into_iter().map(|(t, x, y, _)| (t, x, y)).collect()
}

/// Where `word` is first set: (page, x, baseline).
fn word_at(laid: &Laid, word: &str) -> Option<(usize, f32, f32)> {
    laid.pages.iter().enumerate().find_map(|(p, page)| {
        page_words(page)
            .into_iter()
            .find(|(text, ..)| text.trim() == word)
            .map(|(_, x, y)| (p, x, y))
    })
}

fn words_paragraph(first: &str) -> Block {
    Block::Paragraph(vec![Inline::text(format!(
        "{first} opens a paragraph that runs on for long enough to fill two lines of the \
         column, so that its first line and the lines after it can be told apart."
    ))])
}

/// Issue 13, point 6: a second paragraph in a list item starts flush with the first, not
/// with a first-line indent (which reads as the hanging text of another item).
#[test]
fn later_paragraphs_of_a_list_item_are_not_indented() {
    let list = crate::model::List {
        ordered: false,
        start: 1,
        tight: false,
        items: vec![
            vec![words_paragraph("Alpha"), words_paragraph("Bravo")],
            vec![words_paragraph("Charlie"), words_paragraph("Delta")],
        ],
        checked: Default::default(),
    };
    let doc = Document::new(
        Meta {
            language: Some("en".into()),
            ..Meta::default()
        },
        vec![words_paragraph("Before"), Block::List(list)],
    );
    let laid = lay(&doc, &PdfOptions::default());
    let x = |w: &str| word_at(&laid, w).unwrap_or_else(|| panic!("{w} not set")).1;
    for (first, later) in [("Alpha", "Bravo"), ("Charlie", "Delta")] {
        assert!(
            (x(first) - x(later)).abs() < 0.5,
            "{later} starts at {}, its item at {}",
            x(later),
            x(first)
        );
    }
    // Outside lists, paragraphs keep their indent.
    let geo = Geometry::from_options(&PdfOptions::default());
    assert!((x("Before") - geo.left).abs() < 0.5);
}

/// Issue 13, point 6: in a definition list every term starts at the margin (the second
/// one too, after a definition's paragraph) and every definition paragraph at the
/// definition indent.
#[test]
fn definition_list_terms_at_the_margin_definitions_indented() {
    use crate::model::{classes, Attr};
    let term = |w: &str| Block::Paragraph(vec![Inline::Strong(vec![Inline::text(w)])]);
    let definition = |blocks: Vec<Block>| Block::Container {
        attr: Box::new(Attr::class(classes::DEFINITION)),
        blocks,
    };
    let doc = Document::new(
        Meta {
            language: Some("en".into()),
            ..Meta::default()
        },
        vec![
            words_paragraph("Before"),
            Block::Container {
                attr: Box::new(Attr::class(classes::DEFINITION_LIST)),
                blocks: vec![
                    term("Albedo"),
                    definition(vec![words_paragraph("Echo"), words_paragraph("Foxtrot")]),
                    term("Bowen"),
                    definition(vec![words_paragraph("Golf")]),
                    term("Cirrus"),
                    term("Cumulus"),
                    definition(vec![words_paragraph("Hotel")]),
                ],
            },
            words_paragraph("After"),
        ],
    );
    let laid = lay(&doc, &PdfOptions::default());
    let geo = Geometry::from_options(&PdfOptions::default());
    let x = |w: &str| word_at(&laid, w).unwrap_or_else(|| panic!("{w} not set")).1;
    for t in ["Albedo", "Bowen", "Cirrus", "Cumulus"] {
        assert!((x(t) - geo.left).abs() < 0.5, "term {t} at {}", x(t));
    }
    let indent = x("Echo") - geo.left;
    assert!(indent > geo.size, "definitions indented: {indent}");
    for d in ["Foxtrot", "Golf", "Hotel"] {
        assert!(
            (x(d) - x("Echo")).abs() < 0.5,
            "definition {d} at {}, the first at {}",
            x(d),
            x("Echo")
        );
    }
    // A definition sits under its term.
    assert!(word_at(&laid, "Echo").unwrap().2 > word_at(&laid, "Albedo").unwrap().2);
}

/// Issue 13, point 6: a figure that does not fit is never moved past the text after it
/// without a word. Wherever it falls on the page, either it keeps its place (moving to the
/// next page, leaving at most a small blank) or the line "(figure on next page)" stands in
/// its place, before the text that moved up.
#[test]
fn a_figure_keeps_its_place_or_says_where_it_went() {
    let options = PdfOptions::default();
    let geo = Geometry::from_options(&options);
    let images = ImageInfo {
        by_src: HashMap::from([("a.png".to_string(), 0)]),
        sizes: vec![(800, 600)],
    };
    let user = UserFonts::default();
    let fonts = FontSet::new(&user, &mut Vec::new());
    let notice_word = super::figure::FLOAT_NOTICE;
    let (mut kept, mut floated) = (0, 0);
    for before in 8..30 {
        let mut blocks: Vec<Block> = (0..before)
            .map(|i| Block::Paragraph(vec![Inline::text(format!("Text {i} before the figure, a sentence or two long, so that the figure falls lower on the page each time."))]))
            .collect();
        blocks.push(Block::Figure(Box::new(crate::model::Figure {
            image: crate::model::Image {
                src: "a.png".into(),
                alt: "A".into(),
                title: None,
                ..Default::default()
            },
            caption: vec![Inline::text("The caption")],
        })));
        blocks.push(Block::Paragraph(vec![Inline::text(
            "Aftermath: the figure above shows the harbour.",
        )]));
        blocks.extend((0..20).map(|i| {
            Block::Paragraph(vec![Inline::text(format!(
                "More text {i} after the figure, to fill the pages that follow it."
            ))])
        }));
        let doc = Document::new(
            Meta {
                language: Some("en".into()),
                ..Meta::default()
            },
            blocks,
        );
        let laid = layout(&doc, &options, &fonts, &images, &mut Vec::new());
        let (image_page, image_y) = laid
            .pages
            .iter()
            .enumerate()
            .find_map(|(p, page)| {
                page.items.iter().find_map(|i| match i {
                    Item::Image { y, .. } => Some((p, *y)),
                    _ => None,
                })
            })
            .expect("the figure is set");
        let (after_page, _, after_y) = word_at(&laid, "Aftermath:").expect("the text after");
        if (after_page, after_y) > (image_page, image_y) {
            kept += 1;
            assert!(word_at(&laid, notice_word).is_none(), "before {before}");
            // The figure moved to the next page in its place: little of the page is blank.
            if image_page > 0 && (image_y - geo.top).abs() < 1.0 {
                let last = lines(&laid.pages[image_page - 1], &geo)
                    .iter()
                    .map(|l| l.0)
                    .fold(0.0, f32::max);
                let blank = geo.height - geo.bottom - last;
                assert!(
                    blank < (geo.height - geo.top - geo.bottom) * 0.2,
                    "before {before}: {blank} pt left blank"
                );
            }
        } else {
            floated += 1;
            let (notice_page, _, notice_y) = word_at(&laid, notice_word)
                .unwrap_or_else(|| panic!("before {before}: the figure floated without a word"));
            assert_eq!(notice_page, after_page, "before {before}");
            assert!(
                notice_y < after_y,
                "before {before}: the notice follows the text"
            );
            assert_eq!(image_page, notice_page + 1, "before {before}");
        }
    }
    assert!(kept > 0 && floated > 0, "kept {kept}, floated {floated}");
}

/// Issue 13, point 8: a bundle's contents page lists each article with the page it starts
/// on, the line a link to that page; each article starts a page of its own.
#[test]
fn a_book_contents_page_links_each_entry_to_its_page() {
    let mut book = crate::write::epub::Book::new(Meta {
        title: Some("Weekly".into()),
        ..Meta::default()
    });
    for title in ["Firstarticle", "Secondarticle", "Thirdarticle"] {
        let blocks = (0..12).map(|_| words_paragraph("Words")).collect();
        book.push(
            Document::new(
                Meta {
                    title: Some(format!("{title} here")),
                    language: Some("en".into()),
                    ..Meta::default()
                },
                blocks,
            ),
            None,
        );
    }
    let laid = lay(&book.to_document(2), &PdfOptions::default());
    let geo = Geometry::from_options(&PdfOptions::default());
    let text_of =
        |run: &TextRun| -> String { run.glyphs.iter().map(|g| g.reading_text()).collect() };
    let mut starts = Vec::new();
    for title in ["Firstarticle", "Secondarticle", "Thirdarticle"] {
        let (page, _, y) = word_at(&laid, title).expect("the article's heading");
        // The heading opens its page.
        let first_y = lines(&laid.pages[page], &geo)
            .iter()
            .map(|l| l.0)
            .fold(f32::MAX, f32::min);
        assert!(
            (first_y - y).abs() < 1.0,
            "{title} does not open page {page}"
        );
        starts.push(page);
    }
    assert!(starts[0] > 0 && starts[0] < starts[1] && starts[1] < starts[2]);
    // The contents page: a link per article to its page, the page's number on the line.
    let contents = &laid.pages[0];
    let mut linked = Vec::new();
    for item in &contents.items {
        if let Item::Link {
            y,
            h,
            target: LinkTarget::Internal { page, .. },
            ..
        } = item
        {
            let number = (page + 1).to_string();
            assert!(
                runs(contents)
                    .iter()
                    .any(|r| text_of(r) == number && r.y > *y && r.y < y + h),
                "no page number {number} on the line linked to page {page}"
            );
            linked.push(*page);
        }
    }
    for start in &starts {
        assert!(
            linked.contains(start),
            "no entry for page {start}: {linked:?}"
        );
    }
}

/// An inline image in a table cell is measured as the object it is: its column is at least as
/// wide as the image, so the image stays inside the column and does not run over the next.
#[test]
fn an_inline_image_in_a_table_cell_widens_its_column() {
    use crate::model::{Cell, Row, Table};
    let cell = Cell::from_inlines;
    // Cells of long text, whose natural width leaves the image's column its minimum only.
    let long = "words that would rather have the whole line to themselves ";
    let wide = Inline::Image(Box::new(crate::model::Image {
        src: "bar.png".into(),
        alt: "wide bar".into(),
        width: Some(240),
        height: Some(20),
        ..Default::default()
    }));
    let table = Table {
        body: vec![Row {
            cells: vec![
                cell(vec![wide]),
                cell(vec![Inline::text(format!("Next {}", long.repeat(6)))]),
                cell(vec![Inline::text(long.repeat(6))]),
            ],
        }],
        caption: Vec::new(),
        alignments: Vec::new(),
        head: Vec::new(),
    };
    let document = Document::new(Meta::default(), vec![Block::Table(Box::new(table))]);
    let images = ImageInfo {
        by_src: [("bar.png".to_string(), 0)].into_iter().collect(),
        sizes: vec![(240, 20)],
    };
    let laid = lay_with_images(&document, &PdfOptions::default(), &images);
    let page = &laid.pages[0];
    let (x, _, w, _) = page
        .items
        .iter()
        .find(|i| matches!(i, Item::Image { index: 0, .. }))
        .map(Item::bounds)
        .expect("the image is set");
    let next = runs(page)
        .into_iter()
        .find(|r| run_text(r).starts_with("Next"))
        .expect("the next cell's word");
    assert!(
        x + w <= next.x,
        "image to {} runs over the next cell at {}",
        x + w,
        next.x
    );
    // At its stated size (240 CSS px = 180 pt) or as much smaller as the table's type was
    // made (at most to 70%), not shrunk to fit a column too narrow for it.
    assert!(w >= 180.0 * 0.7 - 0.5, "the image is {w} pt wide");
}

/// The running header's runs on a page (the title, from page 2 on), left to right.
fn header_runs<'p>(page: &'p Page, geo: &Geometry) -> Vec<&'p TextRun> {
    let mut header: Vec<&TextRun> = runs(page)
        .into_iter()
        .filter(|r| (r.y - geo.top * 0.55).abs() < 0.01)
        .collect();
    header.sort_by(|a, b| a.x.total_cmp(&b.x));
    header
}

fn titled(title: &str, language: &str) -> Document {
    let mut document = long_document();
    document.meta.title = Some(title.into());
    document.meta.language = Some(language.into());
    document
}

/// A title too wide for the running header is cut after its last whole word that fits and
/// ended with "…" (it was cut at 90 characters, mid-word, with no ellipsis); one with no
/// spaces (Chinese) is cut between characters (it vanished: the header was left blank).
#[test]
fn a_running_header_too_wide_is_cut_after_a_word_or_character_and_ends_with_an_ellipsis() {
    let options = PdfOptions::default();
    let geo = Geometry::from_options(&options);
    let english = "The Harbour Commission Publishes Its Long-Awaited Report on Tides, Storms \
                   and the Breakwater Works, with Maps";
    let chinese = "益阳市数字农业数字治理数字社会建设取得显著成效，智慧农业园区物联网大数据等技术\
                   广泛应用于农业生产，农民收入大幅提高，乡村振兴战略深入推进，农村基础设施建设\
                   全面加强，城乡融合发展格局初步形成，群众获得感幸福感安全感持续增强";
    for (title, language) in [(english, "en"), (chinese, "zh")] {
        let laid = lay(&titled(title, language), &options);
        assert!(laid.pages.len() > 2);
        for (n, page) in laid.pages.iter().enumerate().skip(1) {
            let header = header_runs(page, &geo);
            let text: String = header.iter().map(|r| run_text(r)).collect();
            let kept = text
                .strip_suffix('…')
                .unwrap_or_else(|| panic!("page {n}: {text:?} has no ellipsis"));
            assert!(
                kept.chars().count() > 20 && title.starts_with(kept),
                "page {n}: {text:?}"
            );
            if language == "en" {
                assert!(
                    title[kept.len()..].starts_with([' ', ',']),
                    "page {n}: {text:?} ends inside a word"
                );
            }
            let right = header.last().map_or(0.0, |r| r.x + r.width());
            assert!(
                right <= geo.width - geo.right + 0.01,
                "page {n}: to {right}"
            );
        }
    }
    // A title that fits is shown whole.
    let laid = lay(&titled("A short title", "en"), &options);
    let header: String = header_runs(&laid.pages[1], &geo)
        .iter()
        .map(|r| run_text(r))
        .collect();
    assert_eq!(header, "A short title");
}

/// The running header of a right-to-left page is cut as a left-to-right one, at its start
/// edge (the right one), its ellipsis at the end of the words (on their left).
#[test]
fn a_right_to_left_running_header_is_cut_with_an_ellipsis_on_its_left() {
    let title = "الناشط الحقوقي يطالب بإطلاق سراح المعتقلين ويقول إن الاحتجاجات ستستمر حتى \
                 تتحقق مطالب الشعب في الحرية والعدالة والكرامة بعد سنوات طويلة من الانتظار";
    let options = PdfOptions::default();
    let geo = Geometry::from_options(&options);
    let mut document = titled(title, "ar");
    document.meta.direction = Some(crate::model::Direction::Rtl);
    let laid = lay(&document, &options);
    let header = header_runs(&laid.pages[1], &geo);
    let left = header.first().expect("a header").x;
    let right = header.last().map_or(0.0, |r| r.x + r.width());
    assert!(left >= geo.left - 0.01, "from {left}");
    assert!((right - (geo.width - geo.right)).abs() < 0.01, "to {right}");
    let leftmost = header[0].glyphs.first().map(|g| g.reading_text());
    let texts: Vec<String> = header.iter().map(|r| run_text(r)).collect();
    assert_eq!(leftmost, Some("…"), "{texts:?}");
}

/// How a too-wide text is shortened, in logical order: after a word; between graphemes when
/// there is no space, or when the last word that fits would leave less than half the room
/// used; spaces and separators before the ellipsis dropped; the ellipsis alone at the least.
#[test]
fn fit_with_ellipsis_cuts_after_a_word_else_between_graphemes() {
    let user = UserFonts::default();
    let fonts = FontSet::new(&user, &mut Vec::new());
    let mut shaper = super::super::shape::Shaper::new(&fonts);
    let face = fonts.face_for(FontStyle::BODY);
    let size = 10.0;
    let mut fit = |text: &str, limit: f32| {
        let shown = paginate::fit_with_ellipsis(&mut shaper, text, face, size, limit);
        let width = shaper.width(&shown, face) * size;
        assert!(width <= limit || shown == "…", "{shown:?} is {width} wide");
        shown
    };
    assert_eq!(fit("Tides and storms", 200.0), "Tides and storms");
    assert_eq!(fit("Tides and storms", 60.0), "Tides and…");
    assert_eq!(fit("Tides, storms and more", 50.0), "Tides…");
    // One short word, then one too long: cut inside the long one rather than keep "A…".
    let cut = fit(
        "A Pneumonoultramicroscopicsilicovolcanoconiosis case",
        120.0,
    );
    assert!(cut.starts_with("A Pneumono") && cut.ends_with('…'), "{cut}");
    // No spaces.
    let cut = fit("数字农业数字治理数字社会建设取得显著成效", 60.0);
    assert!(cut.ends_with('…') && cut.chars().count() > 2, "{cut}");
    assert!("数字农业数字治理数字社会建设取得显著成效".starts_with(cut.trim_end_matches('…')));
    // Right to left: logical order, the ellipsis after the last whole word.
    let arabic = "الناشط الحقوقي يطالب بإطلاق سراح المعتقلين";
    let cut = fit(arabic, 100.0);
    let kept = cut.strip_suffix('…').expect("an ellipsis");
    assert!(arabic.starts_with(kept) && arabic[kept.len()..].starts_with(' '));
    // A letter and its combining mark are not split.
    let cut = fit(
        "e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}",
        25.0,
    );
    assert!(!cut.trim_end_matches('…').ends_with('e'), "{cut:?}");
    assert_eq!(fit("Tides", 1.0), "…");
    assert_eq!(fit("", 10.0), "");
}

/// The source URL under the title is shown as a browser shows it, its escaped letters
/// decoded (an Arabic address took eight lines of `%D8%A7…`) and left to right on a
/// right-to-left page too (at the page's start edge), and its link goes to the URL as it is.
#[test]
fn the_source_url_is_shown_decoded_and_links_to_the_url_as_it_is() {
    let url = "http://www.assabah.com.tn/article/164913/\
               %D8%A7%D9%84%D9%86%D8%A7%D8%B4%D8%B7-%D8%A7%D9%84%D8%AD%D9%82%D9%88%D9%82%D9%8A\
               ?q=a%20b";
    let options = PdfOptions::default();
    let geo = Geometry::from_options(&options);
    for direction in [None, Some(crate::model::Direction::Rtl)] {
        let document = Document::new(
            Meta {
                title: Some("A title".into()),
                source_url: Some(url.into()),
                direction,
                ..Meta::default()
            },
            vec![Block::Paragraph(vec![Inline::text("Some text.")])],
        );
        let laid = lay(&document, &options);
        let page = &laid.pages[0];
        let mut shown: Vec<&TextRun> = runs(page)
            .into_iter()
            .filter(|r| r.color == LINK_BLUE)
            .collect();
        shown.sort_by(|a, b| a.x.total_cmp(&b.x));
        let text: String = shown.iter().map(|r| run_text(r)).collect();
        // Left to right, the Arabic words drawn right to left (their glyphs in visual order)
        // after the slash.
        let arabic: String = "الناشط-الحقوقي".chars().rev().collect();
        assert_eq!(
            text,
            format!("http://www.assabah.com.tn/article/164913/{arabic}?q=a%20b"),
            "{direction:?}"
        );
        let right = shown.last().map_or(0.0, |r| r.x + r.width());
        if direction.is_some() {
            assert!((right - (geo.width - geo.right)).abs() < 0.01, "to {right}");
        } else {
            assert!((shown[0].x - geo.left).abs() < 0.01, "from {}", shown[0].x);
        }
        let targets: Vec<&LinkTarget> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Link { target, .. } => Some(target),
                _ => None,
            })
            .collect();
        assert!(!targets.is_empty());
        assert!(
            targets
                .iter()
                .all(|t| matches!(t, LinkTarget::Uri(u) if u == url)),
            "{targets:?}"
        );
    }
}

/// A document built in code has not been through a reader's URL check: a source that runs
/// script, or that names no page on the web, is neither linked nor shown under the title.
#[test]
fn a_source_that_is_no_web_page_is_neither_linked_nor_shown() {
    let options = PdfOptions::default();
    for url in [
        "javascript:alert(1)",
        "java\tscript:alert(1)",
        "notes/essay.md",
    ] {
        let document = Document::new(
            Meta {
                title: Some("A title".into()),
                source_url: Some(url.into()),
                ..Meta::default()
            },
            vec![Block::Paragraph(vec![Inline::text("Some text.")])],
        );
        let laid = lay(&document, &options);
        let page = &laid.pages[0];
        let links = page
            .items
            .iter()
            .filter(|i| matches!(i, Item::Link { .. }))
            .count();
        assert_eq!(links, 0, "{url}");
        let text: String = runs(page).iter().map(|r| run_text(r)).collect();
        assert!(
            !text.contains("alert") && !text.contains("essay"),
            "{url}: {text}"
        );
        assert!(text.contains("Some"), "{text}");
    }
}

/// An inline image that was not loaded shows its alt text, on one line and in brackets, as
/// the plain-text output does, and nothing when it has none: it was "[image]", even inside
/// a word ("we[image]rde", from a right-floated picture with no alt text). Images side by
/// side are set apart ("[facebook] [twitter]", not "facebooktwitter").
#[test]
fn an_image_not_loaded_shows_its_alt_text_or_nothing() {
    let image = |alt: &str| {
        Inline::Image(Box::new(crate::model::Image {
            src: "https://example.com/gone.png".into(),
            alt: alt.into(),
            ..Default::default()
        }))
    };
    let document = Document::new(
        Meta::default(),
        vec![
            Block::Paragraph(vec![image("")]),
            Block::Paragraph(vec![
                Inline::text("Eines Tages we"),
                image(""),
                Inline::text("rde ich sein Symbol "),
                image("  "),
                Inline::text("tragen."),
            ]),
            Block::Paragraph(vec![
                Inline::text("A map "),
                image("The harbour\n  in 1900"),
                Inline::text(" here."),
            ]),
            Block::Paragraph(vec![
                Inline::text("Share: "),
                image("facebook"),
                image("twitter"),
            ]),
        ],
    );
    let options = PdfOptions::default();
    let geo = Geometry::from_options(&options);
    let laid = lay(&document, &options);
    let page = &laid.pages[0];
    let mut lines: Vec<Vec<&TextRun>> = Vec::new();
    for run in runs(page)
        .into_iter()
        .filter(|r| r.y < geo.height - geo.bottom)
    {
        match lines.iter_mut().find(|l| (l[0].y - run.y).abs() < 0.01) {
            Some(line) => line.push(run),
            None => lines.push(vec![run]),
        }
    }
    // Each line's words, with a space where runs leave a gap between them.
    let texts: Vec<String> = lines
        .iter_mut()
        .map(|line| {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
            let mut text = String::new();
            let mut end = None;
            for run in line.iter() {
                if end.is_some_and(|end: f32| run.x > end + 0.5) {
                    text.push(' ');
                }
                text += &run_text(run);
                end = Some(run.x + run.width());
            }
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .collect();
    assert_eq!(
        texts,
        [
            "Eines Tages werde ich sein Symbol tragen.",
            "A map [The harbour in 1900] here.",
            "Share: [facebook] [twitter]"
        ],
        "the paragraph of an image alone is left out"
    );
    // Without a trace: the text starts where it would without that paragraph.
    let mut without = document.clone();
    without.blocks.remove(0);
    let first_y = |laid: &Laid| runs(&laid.pages[0]).first().map(|r| r.y);
    assert_eq!(first_y(&laid), first_y(&lay(&without, &options)));
    let grey = runs(page)
        .into_iter()
        .filter(|r| r.color == GREY && r.y < geo.height - geo.bottom)
        .map(run_text)
        .collect::<String>();
    assert_eq!(
        grey.split_whitespace().collect::<String>(),
        "[Theharbourin1900][facebook][twitter]"
    );
}

/// The running header and the page number take their margins' room or none: with small
/// `--margins` they overprinted the text (the header's rule through a heading, the number
/// on the baseline of a footnote) or fell off the page. Each run of type stays on the page,
/// and the furniture stays out of the text's area.
#[test]
fn page_furniture_stays_in_its_margins_or_is_left_out() {
    use super::paginate::{header_baseline, number_baseline_from_foot};
    use crate::write::pdf::Margins;
    for margin in [0.0, 5.0, 14.0, 20.0, 40.0] {
        let options = PdfOptions {
            margins: Some(Margins::uniform(margin)),
            ..PdfOptions::default()
        };
        let geo = Geometry::from_options(&options);
        let laid = lay(&long_document(), &options);
        assert!(laid.pages.len() > 2);
        let furniture_size = geo.size * 0.75;
        for (n, page) in laid.pages.iter().enumerate().skip(1) {
            let mut furniture = 0;
            for run in runs(page) {
                assert!(
                    run.y - run.size * 0.8 >= -0.01 && run.y + run.size * 0.25 <= geo.height + 0.01,
                    "margin {margin}, page {n}: a run at {} leaves the page",
                    run.y
                );
                let in_text = run.y > geo.top && run.y < geo.height - geo.bottom;
                if run.size == furniture_size && !in_text {
                    furniture += 1;
                    assert!(
                        run.y + run.size * 0.25 <= geo.top
                            || run.y - run.size * 0.8 >= geo.height - geo.bottom,
                        "margin {margin}, page {n}: furniture at {} reaches the text",
                        run.y
                    );
                }
            }
            // Room enough: the header and the number are both there.
            if margin >= 20.0 {
                assert!(
                    furniture >= 2,
                    "margin {margin}, page {n}: {furniture} runs"
                );
            }
            if margin < 5.0 {
                assert_eq!(furniture, 0, "margin {margin}, page {n}");
            }
        }
    }
    assert_eq!(header_baseline(0.0, 8.0), None);
    assert_eq!(number_baseline_from_foot(5.0, 8.0), None);
    assert_eq!(header_baseline(100.0, 8.0), Some(55.0));
}

/// A no-break space stretches with the spaces of a justified line (CSS Text: it separates
/// words) and is never a break: it was set as a glyph of fixed width, so "Bauernbewegungen,
/// Menschenrechts…" kept a narrow gap on a line whose other gaps were wide.
#[test]
fn a_no_break_space_stretches_like_a_space_and_keeps_its_words_together() {
    let sentence =
        "Viele Studenten, Anführer von Bauernbewegungen,\u{a0}Menschenrechtsaktivistinnen \
                    und Gewerkschafter kamen zusammen, um über die Zukunft des Landes zu reden. ";
    let document = Document::new(
        Meta::default(),
        vec![Block::Paragraph(vec![Inline::text(sentence.repeat(6))])],
    );
    let laid = lay(&document, &PdfOptions::default());
    let mut lines: Vec<Vec<&TextRun>> = Vec::new();
    for run in runs(&laid.pages[0]) {
        match lines.last_mut() {
            Some(line) if (line[0].y - run.y).abs() < 0.01 => line.push(run),
            _ => lines.push(vec![run]),
        }
    }
    let mut checked = 0;
    // Every line but the last is justified.
    for line in &lines[..lines.len() - 1] {
        let mut line = line.clone();
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
        let texts: Vec<String> = line.iter().map(|r| run_text(r)).collect();
        let Some(at) = texts.iter().position(|t| t.starts_with("Menschenrechts")) else {
            continue;
        };
        assert!(
            at > 0,
            "the words of a no-break space were parted: {texts:?}"
        );
        assert!(texts[at - 1].ends_with("Bauernbewegungen,"), "{texts:?}");
        let gaps: Vec<f32> = line
            .windows(2)
            .map(|pair| pair[1].x - (pair[0].x + pair[0].width()))
            .collect();
        let nbsp_gap = gaps[at - 1];
        for gap in &gaps {
            assert!((gap - nbsp_gap).abs() < 0.05, "gaps {gaps:?} in {texts:?}");
        }
        checked += 1;
    }
    assert!(checked >= 2, "{checked} lines with the pair inside them");
}

/// The title block lists several authors as the document's language does, as the EPUB's
/// title page and the HTML byline do.
#[test]
fn the_title_block_lists_authors_in_the_documents_language() {
    for (language, want) in [
        ("de", "Anna Schmidt, Jonas Weber und Lea Wolf"),
        ("en", "Anna Schmidt, Jonas Weber and Lea Wolf"),
    ] {
        let document = Document::new(
            Meta {
                title: Some("Hafen".into()),
                authors: vec![
                    "Anna Schmidt".into(),
                    "Jonas Weber".into(),
                    "Lea Wolf".into(),
                ],
                language: Some(language.into()),
                ..Meta::default()
            },
            vec![Block::Paragraph(vec![Inline::Text("Text.".into())])],
        );
        let laid = lay(&document, &PdfOptions::default());
        let text: Vec<String> = page_words(&laid.pages[0])
            .into_iter()
            .map(|(text, ..)| text)
            .collect();
        let text = text.join(" ");
        assert!(text.contains(want), "{language}: {text}");
    }
}
