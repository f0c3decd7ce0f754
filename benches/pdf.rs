//! PDF writer benchmark: a generated 5,000-word article with a few images, written to PDF
//! through the library, timed over several runs; plus the size of the text-only PDF.
//!
//! `cargo bench --bench pdf` prints the numbers. `cargo bench --bench pdf -- --emit DIR`
//! also writes the article as quire JSON (`DIR/article.json`, images beside it), the
//! input `benches/pdf.sh` converts with the CLI and compares against headless Chromium.

use quire::model::{Figure, Image, List, Meta};
use quire::{Block, Document, Inline, OutputFormat, WriteOptions};
use std::path::{Path, PathBuf};
use std::time::Instant;

const WORDS: &[&str] = &[
    "the",
    "government",
    "announced",
    "that",
    "negotiations",
    "with",
    "its",
    "neighbours",
    "would",
    "continue",
    "despite",
    "significant",
    "differences",
    "over",
    "infrastructure",
    "and",
    "trade",
    "officials",
    "said",
    "a",
    "new",
    "agreement",
    "could",
    "be",
    "reached",
    "within",
    "months",
    "but",
    "analysts",
    "remain",
    "sceptical",
    "about",
    "the",
    "prospects",
    "for",
    "lasting",
    "cooperation",
    "in",
    "region",
    "where",
    "economic",
    "interests",
    "often",
    "collide",
    "security",
    "concerns",
    "parliament",
    "is",
    "expected",
    "to",
    "debate",
    "proposal",
    "next",
    "week",
    "while",
    "opposition",
    "leaders",
    "have",
    "already",
    "criticised",
    "its",
    "lack",
    "of",
    "transparency",
    "efficiency",
    "reform",
    "budget",
    "affordable",
    "housing",
    "difficult",
    "questions",
    "remain",
    "unanswered",
    "according",
    "several",
    "independent",
    "observers",
    "who",
    "monitored",
    "process",
    "closely",
];

/// A deterministic pseudo-random article of about `words` words, with `images` figures.
fn article(words: usize, images: usize) -> Document {
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut blocks = Vec::new();
    let mut count = 0;
    let mut section = 0;
    let mut figures = 0;
    while count < words {
        if count % 600 < 100 || blocks.is_empty() {
            section += 1;
            blocks.push(Block::Heading {
                level: 2,
                id: Box::default(),
                content: vec![Inline::text(format!(
                    "Section {section}: the question of reform"
                ))],
            });
            if figures < images {
                figures += 1;
                blocks.push(Block::Figure(Box::new(Figure {
                    image: Image {
                        src: image_name(figures, images),
                        alt: format!("Figure {figures}"),
                        title: None,
                        ..Default::default()
                    },
                    caption: vec![Inline::text(format!(
                        "Figure {figures}: a chart of the figures discussed."
                    ))],
                })));
            }
        }
        let mut sentences = Vec::new();
        let length = 60 + (next() % 80) as usize;
        let mut sentence = Vec::new();
        for i in 0..length {
            let w = WORDS[(next() % WORDS.len() as u64) as usize];
            sentence.push(if sentence.is_empty() {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            } else {
                w.to_string()
            });
            if sentence.len() > 8 && (next() % 12 == 0 || i + 1 == length) {
                sentences.push(sentence.join(" ") + ".");
                sentence.clear();
            }
        }
        if !sentence.is_empty() {
            sentences.push(sentence.join(" ") + ".");
        }
        count += length;
        let text = sentences.join(" ");
        if next() % 9 == 0 {
            blocks.push(Block::Quote(vec![Block::Paragraph(vec![Inline::text(
                text,
            )])]));
        } else if next() % 11 == 0 {
            let items = text
                .split(". ")
                .take(4)
                .map(|s| vec![Block::Paragraph(vec![Inline::text(s.to_string())])])
                .collect();
            blocks.push(Block::List(List {
                checked: Default::default(),
                ordered: false,
                start: 1,
                tight: true,
                items,
            }));
        } else {
            blocks.push(Block::Paragraph(vec![
                Inline::text(text),
                Inline::text(" See "),
                Inline::Link(Box::new(quire::model::Link {
                    url: "https://example.com/report".into(),
                    title: None,
                    content: vec![Inline::text("the report")],
                })),
                Inline::text("."),
            ]));
        }
    }
    let meta = Meta {
        title: Some("A Five-Thousand-Word Article on the Question of Reform".into()),
        authors: vec!["Bench Writer".into()],
        published: quire::model::Date::parse_iso("2024-05-01"),
        language: Some("en".into()),
        ..Meta::default()
    };
    let mut document = Document::new(meta, blocks);
    document.assign_heading_ids();
    document
}

/// Photo-like JPEGs (as most article images are) and, for the last one, a PNG chart.
fn write_images(dir: &Path, images: usize) {
    for i in 1..=images {
        let photo = image::RgbImage::from_fn(1200, 800, |x, y| {
            let n = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503)) % 32;
            image::Rgb([
                (x / 5 % 256) as u8 ^ n as u8,
                (y / 4 % 256) as u8,
                ((x + y) / 8 % 256) as u8,
            ])
        });
        let name = image_name(i, images);
        let format = if name.ends_with(".png") {
            image::ImageFormat::Png
        } else {
            image::ImageFormat::Jpeg
        };
        photo
            .save_with_format(dir.join(name), format)
            .expect("write image");
    }
}

fn image_name(i: usize, images: usize) -> String {
    if i == images {
        format!("figure{i}.png")
    } else {
        format!("figure{i}.jpg")
    }
}

fn time_pdf(document: &Document, options: &WriteOptions, runs: usize) -> (f64, usize) {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let rendered = quire::write(document, OutputFormat::Pdf, options).expect("pdf");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        size = rendered.bytes.len();
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], size)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let emit = args
        .iter()
        .position(|a| a == "--emit")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let runs = 7;
    let images = 3;
    let dir = tempfile::tempdir().expect("temp dir");
    write_images(dir.path(), images);
    let with_images = article(5000, images);
    let text_only = article(5000, 0);
    let words = with_images.plain_text(1 << 24).split_whitespace().count();
    let options = WriteOptions {
        resource_dir: Some(dir.path().to_path_buf()),
        timestamp: Some(1_714_557_600),
        ..WriteOptions::default()
    };
    let (median, size) = time_pdf(&with_images, &options, runs);
    println!(
        "pdf: {words} words, {images} images: median {median:.1} ms over {runs} runs, {} KB",
        size / 1024
    );
    let (median_text, size_text) = time_pdf(&text_only, &options, runs);
    println!(
        "pdf: text only: median {median_text:.1} ms, {} KB",
        size_text / 1024
    );
    // Layout alone (shaping, line breaking, pages), to see where the time goes.
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let pages = quire::write::pdf::layout_page_count(&text_only, &options.pdf);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(pages > 0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "pdf: text only, layout alone: median {:.1} ms",
        times[times.len() / 2]
    );
    if let Some(out) = emit {
        std::fs::create_dir_all(&out).expect("emit dir");
        write_images(&out, images);
        let json =
            quire::write(&with_images, OutputFormat::Json, &WriteOptions::default()).expect("json");
        std::fs::write(out.join("article.json"), json.bytes).expect("write json");
        let json =
            quire::write(&text_only, OutputFormat::Json, &WriteOptions::default()).expect("json");
        std::fs::write(out.join("article-text.json"), json.bytes).expect("write json");
        println!("wrote {}", out.join("article.json").display());
    }
}
