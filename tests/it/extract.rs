//! Article extraction and page metadata through the public API and the command line: a page
//! with chrome around its article, `--extract off`, `--explain`, `--body-only`,
//! `--no-images`, and the metadata sources in their order of trust.

use assert_cmd::Command;
use quire::model::{Block, Inline};
use quire::{InputFormat, ReadOptions};

const PARAGRAPH: &str = "The harbour board agreed on Monday to dredge the channel, a job that \
    fishermen, ferry crews and the lifeboat station had asked for since the storms of 2021.";

/// A page with navigation, an article (title, byline, figure, paragraphs), a share bar,
/// related links and a footer.
fn page() -> String {
    let nav: String = (0..15)
        .map(|i| format!("<li><a href='/section/{i}'>Section number {i}</a></li>"))
        .collect();
    let paragraphs: String = (0..6).map(|i| format!("<p>{i}. {PARAGRAPH}</p>")).collect();
    format!(
        "<!doctype html><html lang='en'><head><title>Channel to be dredged | Harbour News</title>\
         <meta property='og:site_name' content='Harbour News'>\
         <script type='application/ld+json'>{{\"@type\":\"NewsArticle\",\"headline\":\"Channel to be dredged\",\
         \"author\":{{\"@type\":\"Person\",\"name\":\"Mia Quay\"}},\"datePublished\":\"2024-03-04T09:00:00Z\"}}</script>\
         </head><body><nav><ul>{nav}</ul></nav><main><article><h1>Channel to be dredged</h1>\
         <p class='byline'>By Mia Quay</p>\
         <figure><img src='boat.jpg' alt='A dredger'><figcaption>The dredger at work</figcaption></figure>\
         {paragraphs}<div class='share-bar'><a href='/s/fb'>Facebook</a> <a href='/s/x'>X</a></div></article>\
         <aside class='related'><h2>Related</h2><ul><li><a href='/a'>Lighthouse repainted</a></li>\
         <li><a href='/b'>New pontoon opens</a></li></ul></aside></main>\
         <footer><p>Copyright Harbour News. All rights reserved.</p></footer></body></html>"
    )
}

fn read(html: &str, options: &ReadOptions) -> quire::Reading {
    quire::read(html.as_bytes(), InputFormat::Html, options).expect("readable")
}

#[test]
fn the_article_is_kept_and_the_chrome_dropped() {
    let reading = read(&page(), &ReadOptions::default());
    let text = reading.document.plain_text(usize::MAX);
    assert!(text.contains("5. The harbour board agreed"), "{text}");
    assert!(
        text.contains("The dredger at work"),
        "figure caption kept: {text}"
    );
    for chrome in [
        "Section number 3",
        "Facebook",
        "Lighthouse repainted",
        "Copyright",
    ] {
        assert!(!text.contains(chrome), "{chrome} kept: {text}");
    }
    assert!(reading.warnings.is_empty(), "{:?}", reading.warnings);
}

#[test]
fn whole_page_keeps_everything() {
    let options = ReadOptions {
        whole_page: true,
        ..ReadOptions::default()
    };
    let text = read(&page(), &options).document.plain_text(usize::MAX);
    assert!(text.contains("Section number 3"), "{text}");
    assert!(text.contains("Copyright"), "{text}");
}

#[test]
fn metadata_comes_from_json_ld_first() {
    let meta = read(&page(), &ReadOptions::default())
        .document
        .into_parts()
        .0;
    assert_eq!(meta.title.as_deref(), Some("Channel to be dredged"));
    assert_eq!(meta.authors, ["Mia Quay"]);
    assert_eq!(
        meta.published.map(|d| d.to_iso()).as_deref(),
        Some("2024-03-04T09:00:00Z")
    );
    assert_eq!(meta.site_name.as_deref(), Some("Harbour News"));
    assert_eq!(meta.language.as_deref(), Some("en"));
}

#[test]
fn a_page_without_an_article_warns_and_keeps_the_body() {
    let links: String = (0..40)
        .map(|i| format!("<li><a href='/p/{i}'>Product page number {i}</a></li>"))
        .collect();
    let html =
        format!("<body><ul>{links}</ul><form><input name=q><button>Go</button></form></body>");
    let reading = read(&html, &ReadOptions::default());
    assert!(
        reading
            .warnings
            .iter()
            .any(|w| w.message.contains("no article")),
        "{:?}",
        reading.warnings
    );
    assert!(reading
        .document
        .plain_text(usize::MAX)
        .contains("Product page number 39"));
}

#[test]
fn remove_images_drops_figures_and_inline_images() {
    let html = format!(
        "<body><article><figure><img src='a.jpg' alt='Alt'><figcaption>Caption</figcaption></figure>\
         <p>{PARAGRAPH} <img src='b.jpg' alt='inline'> more.</p><p><a href='/x'><img src='c.jpg' alt='c'></a></p>\
         <p>{PARAGRAPH}</p></article></body>"
    );
    let mut doc = read(&html, &ReadOptions::default()).document;
    doc.remove_images();
    for block in &doc.blocks {
        assert!(!matches!(block, Block::Figure(_)), "{block:?}");
        if let Block::Paragraph(inlines) = block {
            assert!(!inlines.is_empty());
            assert!(
                !inlines.iter().any(|i| matches!(i, Inline::Image(_))),
                "{inlines:?}"
            );
        }
    }
    let text = doc.plain_text(usize::MAX);
    assert!(
        !text.contains("Caption") && text.contains("more."),
        "{text}"
    );
}

fn quire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_quire"))
}

#[test]
fn cli_extract_off_explain_body_only_and_no_images() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("page.html");
    std::fs::write(&input, page()).unwrap();

    let out = quire()
        .args([
            "convert",
            "--to",
            "txt",
            "-o",
            "-",
            "--body-only",
            "--no-images",
            "--explain",
        ])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let explain = String::from_utf8_lossy(&out.stderr);
    assert!(text.starts_with("0. The harbour board"), "{text}");
    assert!(
        !text.contains("Channel to be dredged"),
        "header written: {text}"
    );
    assert!(!text.contains("dredger at work"), "figure kept: {text}");
    assert!(
        explain.contains("article extraction") && explain.contains("chosen: "),
        "{explain}"
    );
    assert!(explain.contains("pruned: div.share-bar"), "{explain}");

    let whole = quire()
        .args(["convert", "--to", "txt", "-o", "-", "--extract", "off"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(whole.status.success());
    assert!(String::from_utf8_lossy(&whole.stdout).contains("Section number 3"));

    let conflict = quire()
        .args([
            "convert",
            "--to",
            "txt",
            "-o",
            "-",
            "--extract",
            "on",
            "--whole-page",
        ])
        .arg(&input)
        .output()
        .unwrap();
    assert!(!conflict.status.success());
}

/// A page whose article states its direction on itself or a wrapper, not on `<html>`.
#[test]
fn the_article_s_own_direction_is_the_document_s() {
    use quire::model::Direction;
    let paragraphs: String = (0..6)
        .map(|i| format!("<p>{i}. Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>"))
        .collect();
    let nav: String = (0..10)
        .map(|i| format!("<li><a href='/s/{i}'>Section {i}</a></li>"))
        .collect();
    let direction = |article: &str| {
        let html = format!(
            "<html><head><title>RTL</title></head><body><nav><ul>{nav}</ul></nav>{article}</body></html>"
        );
        read(&html, &ReadOptions::default())
            .document
            .into_parts()
            .0
            .direction
    };
    assert_eq!(
        direction(&format!(
            "<main><article dir='rtl'>{paragraphs}</article></main>"
        )),
        Some(Direction::Rtl)
    );
    assert_eq!(
        direction(&format!(
            "<div dir='rtl'><div class='post'>{paragraphs}</div></div>"
        )),
        Some(Direction::Rtl)
    );
    // The article's own beats the page's.
    let html = format!(
        "<html dir='rtl'><head><title>LTR</title></head><body><article dir='ltr'>{paragraphs}</article></body></html>"
    );
    assert_eq!(
        read(&html, &ReadOptions::default())
            .document
            .into_parts()
            .0
            .direction,
        Some(Direction::Ltr)
    );
}

/// A header named for the headline and the standfirst both: the standfirst is the paragraph
/// under the title, not the header with the title in it.
#[test]
fn a_header_holding_the_title_is_not_the_standfirst() {
    let paragraphs: String = (0..6).map(|i| format!("<p>{i}. {PARAGRAPH}</p>")).collect();
    let headline = "Plumber jailed after boiler killed millionaire's daughter";
    let html = format!(
        "<html><head><title>{headline}</title></head><body><main><article>\
         <header class='escenic-headline escenic-standfirst'><h1>{headline}</h1>\
         <p class='e-standfirst'>A plumber was jailed for three years.</p></header>\
         <div class='body'>{paragraphs}</div></article></main></body></html>"
    );
    let meta = read(&html, &ReadOptions::default()).document.into_parts().0;
    assert_eq!(meta.title.as_deref(), Some(headline));
    assert_eq!(
        meta.subtitle.as_deref(),
        Some("A plumber was jailed for three years.")
    );
}
