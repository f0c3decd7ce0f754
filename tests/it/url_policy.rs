//! One URL policy (`quire::model::url`) for every writer (issue 12, point 4): `tel:`, `ftp:`
//! and `mailto:` links are written by every writer that writes links (before, the PDF writer
//! dropped `tel:` and `ftp:` and the EPUB sources list dropped `tel:`); `javascript:` and
//! `data:` links, and SVG `data:` images, by none, even in a document built in code, which
//! no reader has checked.

use quire::model::{Block, Figure, Image, Inline, Meta};
use quire::{Document, InputFormat, OutputFormat, ReadOptions, WriteOptions};

const ALLOWED: [&str; 3] = [
    "tel:+15551234",
    "ftp://ftp.example.org/pub/f.txt",
    "mailto:a@example.org",
];
const REFUSED: [&str; 2] = ["javascript:alert(1)", "data:text/html,<b>x</b>"];
const SVG: &str = "data:image/svg+xml,<svg onload=alert(1)/>";

fn document() -> Document {
    let mut inlines = Vec::new();
    for (i, url) in ALLOWED.iter().chain(&REFUSED).enumerate() {
        inlines.push(Inline::text(format!(" link{i} ")));
        inlines.push(Inline::link(
            *url,
            None,
            vec![Inline::text(format!("text{i}"))],
        ));
    }
    inlines.push(Inline::Image(Box::new(Image {
        src: SVG.into(),
        alt: "inline svg".into(),
        title: None,
        ..Default::default()
    })));
    let meta = Meta {
        title: Some("Links".into()),
        source_url: Some("tel:+15550000".into()),
        ..Meta::default()
    };
    Document::new(
        meta,
        vec![
            Block::Paragraph(inlines),
            Block::Figure(Box::new(Figure {
                image: Image {
                    src: "javascript:alert(2)".into(),
                    alt: "figure alt".into(),
                    title: None,
                    ..Default::default()
                },
                caption: vec![Inline::text("figure caption")],
            })),
        ],
    )
}

fn write(format: OutputFormat) -> Vec<u8> {
    quire::write(&document(), format, &WriteOptions::default())
        .unwrap_or_else(|e| panic!("{format:?}: {e}"))
        .bytes
}

/// Checks text output: no refused URL in it, and every link's text still there.
fn check_text(format: &str, out: &str) {
    for url in REFUSED.iter().chain([&SVG, &"javascript:alert(2)"]) {
        let scheme = &url[..url.find(':').unwrap() + 1];
        assert!(!out.contains(scheme), "{format}: {scheme} in\n{out}");
    }
    for i in 0..ALLOWED.len() + REFUSED.len() {
        assert!(out.contains(&format!("text{i}")), "{format}: text{i} lost");
    }
}

#[test]
fn html_writes_tel_ftp_and_mailto_links_and_no_script_or_data_link() {
    let html = String::from_utf8(write(OutputFormat::Html)).unwrap();
    for url in ALLOWED {
        assert!(
            html.contains(&format!("href=\"{url}\"")),
            "{url} in\n{html}"
        );
    }
    check_text("html", &html);
    assert!(html.contains("inline svg") && html.contains("figure caption"));
}

#[test]
fn markdown_writes_tel_ftp_and_mailto_links_and_no_script_or_data_link() {
    let markdown = String::from_utf8(write(OutputFormat::Markdown)).unwrap();
    for (i, url) in ALLOWED.iter().enumerate() {
        assert!(
            markdown.contains(&format!("[text{i}]({url})")),
            "{url} in\n{markdown}"
        );
    }
    assert!(
        markdown.contains("source: \"tel:+15550000\"")
            || markdown.contains("source: tel:+15550000")
    );
    check_text("markdown", &markdown);
    // A refused picture keeps its words.
    assert!(markdown.contains("inline svg") && markdown.contains("figure caption"));
}

#[test]
fn text_keeps_every_link_text_and_no_url() {
    let text = String::from_utf8(write(OutputFormat::Text)).unwrap();
    check_text("text", &text);
    for url in ALLOWED {
        assert!(
            !text.contains(url),
            "the text writer writes link texts, not URLs"
        );
    }
}

#[test]
fn json_is_the_model_and_reading_it_applies_the_policy() {
    let json = write(OutputFormat::Json);
    let back = quire::read(&json, InputFormat::Json, &ReadOptions::default())
        .unwrap()
        .document;
    let mut urls = Vec::new();
    if let Block::Paragraph(inlines) = &back.blocks[0] {
        for inline in inlines {
            if let Inline::Link(link) = inline {
                urls.push(link.url.clone());
            }
        }
    }
    assert_eq!(urls, ALLOWED.map(String::from).to_vec());
    let text = quire::write(&back, OutputFormat::Text, &WriteOptions::default()).unwrap();
    check_text("json read back", &String::from_utf8(text.bytes).unwrap());
}

#[test]
fn epub_writes_tel_ftp_and_mailto_links_and_no_script_or_data_link() {
    let files = crate::epub::unzip(&write(OutputFormat::Epub));
    let mut all = String::new();
    for (name, bytes) in &files {
        if name.ends_with(".xhtml") {
            all.push_str(&String::from_utf8_lossy(bytes));
        }
    }
    for url in ALLOWED {
        assert!(all.contains(&format!("href=\"{url}\"")), "{url} in\n{all}");
    }
    check_text("epub", &all);
}

#[test]
fn pdf_links_tel_ftp_and_mailto_and_nothing_else() {
    let pdf = lopdf::Document::load_mem(&write(OutputFormat::Pdf)).expect("a PDF");
    // Link annotations are inline in the pages' `/Annots`, their action inline in them:
    // `/A << /S /URI /URI (…) >>`.
    let mut uris = Vec::new();
    let mut pending: Vec<&lopdf::Object> = pdf.objects.values().collect();
    while let Some(object) = pending.pop() {
        match object {
            lopdf::Object::Dictionary(dict) => {
                if let Ok(uri) = dict.get(b"URI").and_then(|u| u.as_str()) {
                    uris.push(String::from_utf8_lossy(uri).into_owned());
                }
                pending.extend(dict.iter().map(|(_, value)| value));
            }
            lopdf::Object::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    uris.sort();
    // The links in the text, and the source URL under the title.
    let mut expected = ALLOWED.map(String::from).to_vec();
    expected.push("tel:+15550000".into());
    expected.sort();
    assert_eq!(uris, expected);
}
