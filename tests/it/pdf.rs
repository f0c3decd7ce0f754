//! The PDF writer, checked by real PDF clients: poppler (`pdftotext`, `pdffonts`,
//! `pdfinfo`) and `qpdf --check`. When a tool is missing the test fails in CI (env `CI`)
//! and prints a loud skip line elsewhere.

use quire::model::{Cell, Figure, Image, List, Meta, Row, Table};
use quire::write::pdf::{PageSize, PdfOptions};
use quire::{Block, Document, Inline, OutputFormat, WriteOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

fn text(s: &str) -> Inline {
    Inline::text(s)
}

fn para(s: &str) -> Block {
    Block::Paragraph(vec![text(s)])
}

const LOREM: &str = "The committee's officials reaffirmed their affinity for efficient, flawless \
     workflows, although the difficult negotiations about infrastructure, representation and \
     accountability continued throughout the extraordinarily long afternoon session";

#[path = "../common/png.rs"]
mod png_file;
use png_file::png;

/// A document with every kind of block, Cyrillic and Greek, notes, links and an image.
pub fn rich_document() -> Document {
    let meta = Meta {
        title: Some("Typesetting Articles Without a Browser".into()),
        subtitle: Some("A test of quire's own PDF writer".into()),
        authors: vec!["Ada Lovelace".into(), "Иван Петров".into()],
        published: quire::model::Date::parse_iso("2024-05-01T10:00:00Z"),
        language: Some("en".into()),
        site_name: Some("Example Review".into()),
        source_url: Some("https://example.com/articles/typesetting".into()),
        description: Some("How quire sets text".into()),
        keywords: vec!["typesetting".into(), "pdf".into()],
        ..Meta::default()
    };
    let mut blocks = vec![
        Block::Heading {
            level: 2,
            id: "intro".into(),
            content: vec![text("Introduction")],
        },
        Block::Paragraph(vec![
            text("This paragraph has "),
            Inline::Emphasis(vec![text("emphasis")]),
            text(", "),
            Inline::Strong(vec![text("strong words")]),
            text(", a "),
            Inline::Link(Box::new(quire::model::Link {
                url: "https://example.org/reference".into(),
                title: None,
                content: vec![text("link to a reference")],
            })),
            text(", some "),
            Inline::Code("inline_code()".into()),
            text(" and a footnote"),
            Inline::Note(vec![para("Footnotes sit at the foot of their page.")]),
            text(". "),
            text(LOREM),
            text("."),
        ]),
    ];
    for i in 0..6 {
        blocks.push(para(&format!("Paragraph {i}: {LOREM}. {LOREM}.")));
    }
    blocks.push(Block::Heading {
        level: 3,
        id: "ru".into(),
        content: vec![text("По-русски")],
    });
    blocks.push(para(
        "Государственная дума приняла законопроект о национальной безопасности, \
         который предусматривает значительное увеличение финансирования.",
    ));
    blocks.push(para(
        "Η ελληνική γλώσσα έχει μακρά ιστορία και πλούσια λογοτεχνία.",
    ));
    blocks.push(Block::List(List {
        checked: Default::default(),
        ordered: false,
        start: 1,
        tight: true,
        items: vec![
            vec![para("First bullet item")],
            vec![
                para("Second bullet item with a nested list"),
                Block::List(List {
                    checked: Default::default(),
                    ordered: true,
                    start: 1,
                    tight: true,
                    items: vec![vec![para("Nested one")], vec![para("Nested two")]],
                }),
            ],
        ],
    }));
    blocks.push(Block::Quote(vec![para(
        "A quotation is set indented with a rule beside it, so that it reads apart.",
    )]));
    blocks.push(Block::Code {
        language: Some("rust".into()),
        text: "fn main() {\n    println!(\"a very long line of code that certainly does not fit in the measure of the page and must wrap\");\n}".into(),
    });
    blocks.push(Block::Table(Box::new(Table {
        caption: vec![text("Table caption")],
        alignments: vec![],
        head: vec![Row {
            cells: vec![
                Cell::from_inlines(vec![text("Name")]),
                Cell::from_inlines(vec![text("Value")]),
            ],
        }],
        body: (0..4)
            .map(|i| Row {
                cells: vec![
                    Cell::from_inlines(vec![text(&format!("row{i}"))]),
                    Cell::from_inlines(vec![text(&format!("value{i}"))]),
                ],
            })
            .collect(),
    })));
    blocks.push(Block::Figure(Box::new(Figure {
        image: Image {
            src: "picture.png".into(),
            alt: "A gradient".into(),
            title: None,
            ..Default::default()
        },
        caption: vec![text("A figure caption")],
    })));
    blocks.push(Block::Rule);
    blocks.push(Block::Heading {
        level: 2,
        id: "end".into(),
        content: vec![text("Conclusion")],
    });
    for i in 0..4 {
        blocks.push(para(&format!("Closing {i}: {LOREM}.")));
    }
    Document::new(meta, blocks)
}

/// Writes `document` as PDF into a temp dir that holds `picture.png`; returns the dir and
/// the PDF path (kept when `QUIRE_KEEP_PDF` names a folder, for looking at the pages).
fn write_pdf(
    document: &Document,
    pdf: PdfOptions,
    name: &str,
) -> (tempfile::TempDir, PathBuf, Vec<quire::Warning>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("picture.png"), png(120, 60)).unwrap();
    let options = WriteOptions {
        resource_dir: Some(dir.path().to_path_buf()),
        timestamp: Some(1_714_557_600),
        pdf,
        ..WriteOptions::default()
    };
    let rendered = quire::write(document, OutputFormat::Pdf, &options).unwrap();
    let path = dir.path().join(format!("{name}.pdf"));
    std::fs::write(&path, &rendered.bytes).unwrap();
    if let Ok(keep) = std::env::var("QUIRE_KEEP_PDF") {
        let _ = std::fs::write(
            Path::new(&keep).join(format!("{name}.pdf")),
            &rendered.bytes,
        );
    }
    (dir, path, rendered.warnings)
}

/// Runs a tool; `None` (after a loud skip line) when it is not installed outside CI.
fn run(tool: &str, args: &[&str]) -> Option<String> {
    match Command::new(tool).args(args).output() {
        Ok(out) => {
            let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
            s.push_str(&String::from_utf8_lossy(&out.stderr));
            Some(s)
        }
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("{tool} is required in CI: {e}");
            }
            eprintln!("!!!!! SKIPPED: {tool} is not installed ({e}) !!!!!");
            None
        }
    }
}

/// Lower-case words; a letter–digit boundary splits too (a footnote marker sits on its word).
fn words(s: &str) -> Vec<String> {
    let mut spaced = String::new();
    let mut previous: Option<char> = None;
    for c in s.chars() {
        if let Some(p) = previous {
            if p.is_alphabetic() && c.is_ascii_digit() || p.is_ascii_digit() && c.is_alphabetic() {
                spaced.push(' ');
            }
        }
        spaced.push(c);
        previous = Some(c);
    }
    spaced
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// pdftotext's text with hyphenated line ends joined and hyphens dropped, as words.
fn extracted_words(pdf: &Path) -> Option<Vec<String>> {
    let out = run("pdftotext", &["-enc", "UTF-8", pdf.to_str()?, "-"])?;
    let joined = out.replace("-\n", "").replace('-', "");
    Some(words(&joined))
}

fn is_subsequence(needle: &[String], haystack: &[String]) -> Result<(), String> {
    let mut it = haystack.iter();
    for (i, w) in needle.iter().enumerate() {
        if !it.any(|h| h == w) {
            let context = needle[i.saturating_sub(5)..(i + 5).min(needle.len())].join(" ");
            return Err(format!(
                "word {i} '{w}' not found in order (around: {context})"
            ));
        }
    }
    Ok(())
}

#[test]
fn pdftotext_returns_every_word_in_reading_order() {
    let doc = rich_document();
    let (_dir, path, warnings) = write_pdf(&doc, PdfOptions::default(), "rich");
    assert!(warnings.is_empty(), "{warnings:?}");
    let Some(actual) = extracted_words(&path) else {
        return;
    };
    let mut expected_text = String::new();
    let meta = &doc.meta;
    for s in [&meta.title, &meta.subtitle].into_iter().flatten() {
        expected_text.push_str(s);
        expected_text.push('\n');
    }
    expected_text.push_str(&meta.authors.join(" "));
    expected_text.push('\n');
    expected_text.push_str(
        &doc.plain_text(1 << 20)
            .replace("inline_code()", "inline_code"),
    );
    let expected = words(&expected_text.replace('-', ""));
    is_subsequence(&expected, &actual).unwrap();
    // The footnote, the list items, the code and the table are there too.
    let all = actual.join(" ");
    for phrase in [
        "footnotes sit at the foot of their page",
        "nested one",
        "fn main",
        "println",
        "row 3 value 3",
        "a quotation is set indented",
    ] {
        assert!(all.contains(phrase), "missing '{phrase}'");
    }
}

#[test]
fn fonts_are_embedded_and_subset() {
    let (_dir, path, _) = write_pdf(&rich_document(), PdfOptions::default(), "fonts");
    let Some(out) = run("pdffonts", &[path.to_str().unwrap()]) else {
        return;
    };
    let rows: Vec<&str> = out
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(rows.len() >= 4, "{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... emb sub uni object ID
        let n = cols.len();
        assert!(n >= 7, "{row}");
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "not embedded+subset+unicode: {row}"
        );
        assert!(cols[0].contains('+'), "no subset tag: {row}");
    }
}

#[test]
fn qpdf_finds_no_errors_and_links_and_outline_exist() {
    let (_dir, path, _) = write_pdf(&rich_document(), PdfOptions::default(), "check");
    let p = path.to_str().unwrap();
    let Some(check) = run("qpdf", &["--check", p]) else {
        return;
    };
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
    assert!(!check.to_lowercase().contains("error:"), "{check}");
    let Some(json) = run("qpdf", &["--json", p]) else {
        return;
    };
    assert!(
        json.contains("https://example.org/reference"),
        "external link missing"
    );
    assert!(
        json.contains("https://example.com/articles/typesetting"),
        "source link missing"
    );
    assert!(
        json.contains("/GoTo") || json.contains("\"/S\": \"/GoTo\""),
        "footnote link missing"
    );
    assert!(json.contains("\"/Outlines\""), "no outline");
    // Nested: "Introduction" (h2) holds "По-русски" (h3) as a child.
    let Some(outline) = run("qpdf", &["--json", "--json-key=outlines", p]) else {
        return;
    };
    let outline: serde_json::Value = serde_json::from_str(&outline).unwrap();
    let top = outline["outlines"].as_array().unwrap();
    let titles: Vec<&str> = top.iter().map(|o| o["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Introduction", "Conclusion"]);
    assert_eq!(top[0]["kids"][0]["title"], "По-русски");
    assert_eq!(top[0]["open"], true);
    assert!(json.contains("\"/Lang\""), "no /Lang");
    let Some(info) = run("pdfinfo", &[p]) else {
        return;
    };
    let info = squeeze(&info);
    assert!(
        info.contains("Title: Typesetting Articles Without a Browser"),
        "{info}"
    );
    assert!(info.contains("Author: Ada Lovelace, Иван Петров"), "{info}");
    assert!(
        info.contains("CreationDate: Wed May 1 10:00:00 2024 UTC"),
        "{info}"
    );
    assert!(
        info.contains("Page size: 595.276 x 841.89 pts (A4)"),
        "{info}"
    );
    assert!(
        !info.contains("PDF/X"),
        "claims a conformance it lacks: {info}"
    );
}

#[test]
fn same_input_gives_same_bytes() {
    let doc = rich_document();
    let options = WriteOptions {
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    let a = quire::write(&doc, OutputFormat::Pdf, &options)
        .unwrap()
        .bytes;
    let b = quire::write(&doc, OutputFormat::Pdf, &options)
        .unwrap()
        .bytes;
    assert!(a.starts_with(b"%PDF-"));
    assert_eq!(a, b);
}

#[test]
fn missing_glyphs_and_missing_images_are_warned_about() {
    let doc = Document::new(
        Meta::default(),
        vec![
            para("Chinese 中文 text."),
            Block::Figure(Box::new(Figure {
                image: Image {
                    src: "https://example.com/remote.png".into(),
                    alt: "Remote picture".into(),
                    title: None,
                    ..Default::default()
                },
                caption: vec![],
            })),
        ],
    );
    // No installed font either, whatever this machine has.
    let options = PdfOptions {
        no_system_fonts: true,
        ..PdfOptions::default()
    };
    let (_dir, path, warnings) = write_pdf(&doc, options, "missing");
    let messages: Vec<String> = warnings.iter().map(|w| w.message.clone()).collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("no font for Han (Chinese) text (2 characters, e.g. 中 文)")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("remote.png")),
        "{messages:?}"
    );
    assert_eq!(messages.iter().filter(|m| m.contains('中')).count(), 1);
    if let Some(words) = extracted_words(&path) {
        let all = words.join(" ");
        assert!(all.contains("image remote picture"), "{all}");
    }
}

#[test]
fn ereader_pages_are_small_and_text_only_pdfs_are_small() {
    let doc = rich_document();
    let pdf = PdfOptions {
        page_size: PageSize::Ereader,
        ..PdfOptions::default()
    };
    let (_dir, path, _) = write_pdf(&doc, pdf, "ereader");
    if let Some(info) = run("pdfinfo", &[path.to_str().unwrap()]) {
        assert!(squeeze(&info).contains("Page size: 255.1"), "{info}");
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        assert!(pages >= 4, "{info}");
    }
}

#[test]
fn fallback_fonts_set_right_to_left_text_that_extracts() {
    let font = Path::new("/usr/share/fonts/truetype/noto/NotoSerifHebrew-Regular.ttf");
    if !font.exists() {
        eprintln!("!!!!! SKIPPED: {} is not installed !!!!!", font.display());
        return;
    }
    let doc = Document::new(
        Meta {
            title: Some("Mixed".into()),
            language: Some("he".into()),
            ..Meta::default()
        },
        vec![para("שלום עולם"), para("Latin words stay in order.")],
    );
    let pdf = PdfOptions {
        fonts: vec![font.to_path_buf()],
        ..PdfOptions::default()
    };
    let (_dir, path, warnings) = write_pdf(&doc, pdf, "hebrew");
    assert!(warnings.is_empty(), "{warnings:?}");
    let Some(fonts) = run("pdffonts", &[path.to_str().unwrap()]) else {
        return;
    };
    assert!(fonts.contains("NotoSerifHebrew"), "{fonts}");
    let Some(out) = run("pdftotext", &["-enc", "UTF-8", path.to_str().unwrap(), "-"]) else {
        return;
    };
    assert!(out.contains("שלום") && out.contains("עולם"), "{out}");
    assert!(out.contains("Latin words stay in order."), "{out}");
}

#[test]
fn jpeg_png_gif_and_webp_images_are_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let mut img = image::RgbImage::new(64, 48);
    for (x, y, p) in img.enumerate_pixels_mut() {
        *p = image::Rgb([(x * 4) as u8, (y * 5) as u8, 128]);
    }
    let dynamic = image::DynamicImage::ImageRgb8(img);
    for (name, format) in [
        ("a.jpg", image::ImageFormat::Jpeg),
        ("b.gif", image::ImageFormat::Gif),
        ("c.webp", image::ImageFormat::WebP),
    ] {
        dynamic
            .save_with_format(dir.path().join(name), format)
            .unwrap();
    }
    let mut rgba = image::RgbaImage::new(40, 40);
    for (x, _, p) in rgba.enumerate_pixels_mut() {
        *p = image::Rgba([200, 30, 30, (x * 6) as u8]);
    }
    rgba.save(dir.path().join("d.png")).unwrap();
    dynamic
        .save_with_format(dir.path().join("e.png"), image::ImageFormat::Png)
        .unwrap();
    dynamic
        .to_luma8()
        .save_with_format(dir.path().join("f.png"), image::ImageFormat::Png)
        .unwrap();
    let figures = ["a.jpg", "b.gif", "c.webp", "d.png", "e.png", "f.png"]
        .iter()
        .map(|src| {
            Block::Figure(Box::new(Figure {
                image: Image {
                    src: (*src).into(),
                    alt: format!("alt {src}"),
                    title: None,
                    ..Default::default()
                },
                caption: vec![text(&format!("Caption {src}"))],
            }))
        })
        .collect();
    let doc = Document::new(Meta::default(), figures);
    let options = WriteOptions {
        resource_dir: Some(dir.path().to_path_buf()),
        timestamp: Some(0),
        ..WriteOptions::default()
    };
    let rendered = quire::write(&doc, OutputFormat::Pdf, &options).unwrap();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let path = dir.path().join("images.pdf");
    std::fs::write(&path, &rendered.bytes).unwrap();
    if let Ok(keep) = std::env::var("QUIRE_KEEP_PDF") {
        let _ = std::fs::write(Path::new(&keep).join("images.pdf"), &rendered.bytes);
    }
    let Some(list) = run("pdfimages", &["-list", path.to_str().unwrap()]) else {
        return;
    };
    let rows: Vec<&str> = list.lines().skip(2).collect();
    // Six images plus the alpha PNG's soft mask; the JPEG passes through as DCT.
    assert_eq!(rows.len(), 7, "{list}");
    assert!(rows.iter().any(|r| r.contains("jpeg")), "{list}");
    assert!(rows.iter().any(|r| r.contains("smask")), "{list}");
    let Some(check) = run("qpdf", &["--check", path.to_str().unwrap()]) else {
        return;
    };
    assert!(
        check.contains("No syntax or stream encoding errors"),
        "{check}"
    );
    // The pass-through PNG streams decode cleanly (poppler reports bad image data).
    let target = dir.path().join("page");
    let Some(render) = run(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "72",
            path.to_str().unwrap(),
            target.to_str().unwrap(),
        ],
    ) else {
        return;
    };
    assert!(render.trim().is_empty(), "{render}");
}

/// Shapes of input that have broken typesetters: none may panic or produce a bad file.
#[test]
fn odd_documents_still_make_valid_pdfs() {
    // As deep as a document may be (deeper ones are refused before layout: `deep_write.rs`).
    let mut deep = para("bottom");
    for _ in 0..quire::model::MAX_DEPTH - 2 {
        deep = Block::Quote(vec![deep]);
    }
    let mut deep_inline = text("deep");
    for _ in 0..quire::model::MAX_DEPTH - 2 {
        deep_inline = Inline::Emphasis(vec![deep_inline]);
    }
    let long_word = "x".repeat(3000);
    let cases: Vec<(&str, Document)> = vec![
        ("empty", Document::default()),
        (
            "title only",
            Document::new(
                Meta {
                    title: Some("Only a title".into()),
                    ..Meta::default()
                },
                vec![],
            ),
        ),
        (
            "empty paragraph",
            Document::new(
                Meta::default(),
                vec![Block::Paragraph(vec![]), Block::Paragraph(vec![text(" ")])],
            ),
        ),
        (
            "long word",
            Document::new(
                Meta::default(),
                vec![
                    para(&long_word),
                    Block::Code {
                        language: None,
                        text: long_word.clone(),
                    },
                ],
            ),
        ),
        ("deep blocks", Document::new(Meta::default(), vec![deep])),
        (
            "deep inlines",
            Document::new(Meta::default(), vec![Block::Paragraph(vec![deep_inline])]),
        ),
        (
            "empty table and list",
            Document::new(
                Meta::default(),
                vec![
                    Block::Table(Box::new(Table {
                        caption: vec![],
                        alignments: vec![],
                        head: vec![],
                        body: vec![],
                    })),
                    Block::Table(Box::new(Table {
                        caption: vec![],
                        alignments: vec![],
                        head: vec![],
                        body: vec![Row { cells: vec![] }],
                    })),
                    Block::List(List {
                        checked: Default::default(),
                        ordered: true,
                        start: u32::MAX,
                        tight: false,
                        items: vec![vec![], vec![]],
                    }),
                ],
            ),
        ),
        (
            "notes everywhere",
            Document::new(
                Meta::default(),
                vec![
                    Block::Heading {
                        level: 9,
                        id: Box::default(),
                        content: vec![text("Heading"), Inline::Note(vec![para("in a heading")])],
                    },
                    Block::Paragraph(vec![Inline::Note(vec![
                        para("nested"),
                        Block::Paragraph(vec![Inline::Note(vec![para("inner")])]),
                    ])]),
                    Block::Table(Box::new(Table {
                        caption: vec![Inline::Note(vec![para("caption note")])],
                        alignments: vec![],
                        head: vec![],
                        body: vec![Row {
                            cells: vec![Cell {
                                content: vec![Block::Paragraph(vec![
                                    text("cell"),
                                    Inline::Note(vec![para("cell note")]),
                                ])],
                                colspan: 7,
                                rowspan: 0,
                            }],
                        }],
                    })),
                ],
            ),
        ),
        (
            "a tall table row and huge note",
            Document::new(
                Meta::default(),
                vec![
                    Block::Table(Box::new(Table {
                        caption: vec![],
                        alignments: vec![],
                        head: vec![Row {
                            cells: vec![Cell::from_inlines(vec![text("h")])],
                        }],
                        body: vec![Row {
                            cells: vec![Cell {
                                content: (0..200).map(|i| para(&format!("line {i}"))).collect(),
                                colspan: 1,
                                rowspan: 1,
                            }],
                        }],
                    })),
                    Block::Paragraph(vec![
                        text("x"),
                        Inline::Note((0..120).map(|i| para(&format!("note line {i}"))).collect()),
                    ]),
                ],
            ),
        ),
        (
            "controls and rtl",
            Document::new(
                Meta {
                    direction: Some(quire::model::Direction::Rtl),
                    ..Meta::default()
                },
                vec![para("a\u{0}b\u{200f}c \u{202e}d\u{feff} e\u{ad}f שלום abc")],
            ),
        ),
    ];
    for (name, doc) in cases {
        for size in [PageSize::A4, PageSize::Ereader] {
            let pdf = PdfOptions {
                page_size: size,
                ragged: name.len() % 2 == 0,
                ..PdfOptions::default()
            };
            let (_dir, path, _) = write_pdf(&doc, pdf, "odd");
            let Some(check) = run("qpdf", &["--check", path.to_str().unwrap()]) else {
                return;
            };
            assert!(
                check.contains("No syntax or stream encoding errors"),
                "{name}: {check}"
            );
        }
    }
}

/// Writes the rich document at every page size into `QUIRE_KEEP_PDF`, for looking at.
#[test]
fn page_sizes_lay_out_the_rich_document() {
    for (name, size) in [("a5", PageSize::A5), ("letter", PageSize::Letter)] {
        let pdf = PdfOptions {
            page_size: size,
            ..PdfOptions::default()
        };
        let (_dir, path, warnings) = write_pdf(&rich_document(), pdf, name);
        assert!(warnings.is_empty(), "{warnings:?}");
        let Some(info) = run("pdfinfo", &[path.to_str().unwrap()]) else {
            return;
        };
        let expected = if name == "a5" {
            "Page size: 419.528 x 595.276 pts"
        } else {
            "Page size: 612 x 792 pts (letter)"
        };
        assert!(squeeze(&info).contains(expected), "{info}");
    }
}

/// A word pdftotext finds: its text, xMin and xMax.
type BoxedWord = (String, f32, f32);

/// The words pdftotext finds with their boxes, and the page width.
fn bbox_words(pdf: &Path) -> Option<(Vec<BoxedWord>, f32)> {
    let out = run("pdftotext", &["-bbox", "-enc", "UTF-8", pdf.to_str()?, "-"])?;
    let attribute = |tag: &str, name: &str| -> f32 {
        tag.split(&format!("{name}=\""))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(f32::NAN)
    };
    let mut page_width = f32::NAN;
    let mut found = Vec::new();
    for line in out.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page_width = attribute(line, "width");
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let (tag, text) = rest.split_once('>')?;
            let text = text.strip_suffix("</word>")?;
            found.push((
                text.replace("&amp;", "&"),
                attribute(tag, "xMin"),
                attribute(tag, "xMax"),
            ));
        }
    }
    Some((found, page_width))
}

#[test]
fn wide_tables_keep_their_words_whole_in_the_written_pdf() {
    // A station table and a twelve-column one, as an article would carry them.
    let mut md = String::from(
        "| Station | Longitude | Latitude | Elevation | Mean temperature | Observation period |\n\
         |---|---|---|---|---|---|\n\
         | Greenwich | 0.0015°W | 51.4821°N | 47 m | 11.3 °C | 1840–2024 |\n\
         | Hohenpeißenberg | 11.0113°E | 47.8010°N | 977 m | 7.2 °C | 1781–2024 |\n\n",
    );
    let names = ["Pyrgeometer", "Temperature", "Precipitation", "Evaporation"];
    let head: Vec<String> = (0..12)
        .map(|c| format!("{}{c}", names[c % names.len()]))
        .collect();
    md.push_str(&format!("| {} |\n", head.join(" | ")));
    md.push_str(&format!("|{}\n", "---|".repeat(12)));
    md.push_str(&format!(
        "| {} |\n",
        (0..12)
            .map(|c| format!("{c}.5°N"))
            .collect::<Vec<_>>()
            .join(" | ")
    ));
    let document = quire::read(
        md.as_bytes(),
        quire::InputFormat::Markdown,
        &Default::default(),
    )
    .unwrap()
    .document;
    let mut expected: Vec<String> = [
        "Station",
        "Longitude",
        "Latitude",
        "Elevation",
        "temperature",
        "Observation",
        "Greenwich",
        "Hohenpeißenberg",
        "0.0015°W",
        "51.4821°N",
        "47.8010°N",
        "1781–2024",
    ]
    .map(String::from)
    .to_vec();
    expected.extend(head);
    for page_size in [PageSize::A4, PageSize::Ereader] {
        let pdf = PdfOptions {
            page_size,
            ..PdfOptions::default()
        };
        let (_dir, path, warnings) = write_pdf(&document, pdf, "wide-tables");
        let Some((found, page_width)) = bbox_words(&path) else {
            return;
        };
        for word in &expected {
            assert!(
                found.iter().any(|(w, _, _)| w == word),
                "{page_size:?}: {word:?} is not a whole word in {:?}",
                found.iter().map(|w| &w.0).collect::<Vec<_>>()
            );
        }
        for (word, left, right) in &found {
            assert!(
                *left >= 0.0 && *right <= page_width,
                "{page_size:?}: {word:?} runs off the page ({left}–{right} of {page_width})"
            );
        }
        assert!(
            warnings
                .iter()
                .any(|w| w.message.contains("a table of 12 columns is too wide")),
            "{page_size:?}: {warnings:?}"
        );
    }
}
