//! Issue 13, points 9, 11 and 15: an image's stated size reaches HTML and EPUB; a local file
//! has no canonical URL; `--cover lead` falls back to the article's own first picture.

use crate::epub::unzip;
use crate::support::png_bytes;
use quire::model::Image;
use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};
use std::path::Path;

/// A paragraph holding a 120 × 400 picture stated as 60 × 200, next to its page in `dir`.
fn page_with_tall_bar(dir: &Path) -> quire::Document {
    std::fs::write(dir.join("bar.png"), png_bytes(120, 400)).unwrap();
    let html = "<!DOCTYPE html><html><head><title>Bars</title></head><body><article>\
        <h1>Bars</h1><p>The rainfall of the year, <img src=\"bar.png\" width=\"60\" \
        height=\"200px\" alt=\"tall bar\">, against the average \
        <img src=\"bar.png\" alt=\"bar at its own size\"> of the decade.</p></article></body></html>";
    let options = ReadOptions {
        whole_page: true,
        ..ReadOptions::default()
    };
    quire::read(html.as_bytes(), InputFormat::Html, &options)
        .unwrap()
        .document
}

/// Every `<img …>` tag of `markup`, as written.
fn img_tags(markup: &str) -> Vec<&str> {
    markup
        .match_indices("<img ")
        .map(|(at, _)| {
            let end = markup[at..].find('>').map_or(markup.len(), |e| at + e + 1);
            &markup[at..end]
        })
        .collect()
}

#[test]
fn an_inline_image_keeps_its_stated_size_in_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let document = page_with_tall_bar(dir.path());
    let mut images: Vec<Image> = Vec::new();
    document.for_each_image(&mut |image| images.push(image.clone()));
    assert_eq!(images.len(), 2, "{images:?}");
    assert_eq!((images[0].width, images[0].height), (Some(60), Some(200)));
    assert_eq!((images[1].width, images[1].height), (None, None));
}

#[test]
fn an_inline_image_is_written_at_its_stated_size_in_html_and_epub() {
    let dir = tempfile::tempdir().unwrap();
    let document = page_with_tall_bar(dir.path());
    let options = WriteOptions {
        resource_dir: Some(dir.path().to_path_buf()),
        timestamp: Some(0),
        ..WriteOptions::default()
    };
    let html = quire::write(&document, OutputFormat::Html, &options).unwrap();
    let html = String::from_utf8(html.bytes).unwrap();
    let tags = img_tags(&html);
    assert_eq!(tags.len(), 2, "{tags:?}");
    assert!(
        tags[0].contains(" width=\"60\" height=\"200\""),
        "{}",
        tags[0]
    );
    assert!(!tags[1].contains("width="), "{}", tags[1]);
    // The stated size never lets the picture overflow the text; a stated width sets the
    // height in proportion, and a stated height alone is not overridden.
    assert!(html.contains("img { max-width: 100%; }\nimg[width] { height: auto; }"));

    let epub = quire::write(&document, OutputFormat::Epub, &options).unwrap();
    let files = unzip(&epub.bytes);
    let chapters: String = files
        .iter()
        .filter(|(name, _)| name.ends_with(".xhtml") && !name.ends_with("cover.xhtml"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    let tags = img_tags(&chapters);
    let stylesheet: String = files
        .iter()
        .filter(|(name, _)| name.ends_with(".css"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    assert!(stylesheet.contains("img { max-width: 100%; }\nimg[width] { height: auto; }"));
    let stated: Vec<&&str> = tags.iter().filter(|t| t.contains("tall bar")).collect();
    assert_eq!(stated.len(), 1, "{tags:?}");
    assert!(
        stated[0].contains(" width=\"60\" height=\"200\""),
        "{}",
        stated[0]
    );
}

#[test]
fn an_image_size_goes_through_json_and_old_json_still_reads() {
    let dir = tempfile::tempdir().unwrap();
    let document = page_with_tall_bar(dir.path());
    let json = quire::write(&document, OutputFormat::Json, &WriteOptions::default()).unwrap();
    let text = String::from_utf8(json.bytes.clone()).unwrap();
    assert!(
        text.contains("\"width\": 60") || text.contains("\"width\":60"),
        "{text}"
    );
    let back = quire::read(&json.bytes, InputFormat::Json, &ReadOptions::default())
        .unwrap()
        .document;
    assert_eq!(back, document);
    // A model written before images had a size: no field, no size.
    let old = r#"{"meta":{},"blocks":[{"type":"paragraph","c":[{"type":"image","c":{"src":"a.png","alt":"A"}}]}]}"#;
    let old = quire::read(old.as_bytes(), InputFormat::Json, &ReadOptions::default())
        .unwrap()
        .document;
    let mut sizes = Vec::new();
    old.for_each_image(&mut |image| sizes.push((image.src.clone(), image.width, image.height)));
    assert_eq!(sizes, [("a.png".to_string(), None, None)]);
}

fn quire() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("quire").expect("binary")
}

/// A page saved to disk; `head` goes in its `<head>`.
fn saved_page(head: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>Tech notes</title>{head}</head><body>\
         <article><h1>Tech notes</h1><p>The new tide gauge reports every six minutes, and the \
         harbour office has put its readings on a screen by the slipway for all to see.</p>\
         <p>Fishermen say the screen is the first thing they look at in the morning, before \
         the forecast and well before the news.</p></article></body></html>"
    )
}

/// Converts `in/tech.html` (written with `head`) from inside `dir` to Markdown, HTML, JSON,
/// EPUB and PDF; returns the Markdown, HTML, JSON, the EPUB's package document and the PDF's
/// text (empty without pdftotext).
fn converted_from_disk(dir: &Path, head: &str) -> [String; 5] {
    std::fs::create_dir_all(dir.join("in")).unwrap();
    std::fs::write(dir.join("in/tech.html"), saved_page(head)).unwrap();
    quire()
        .current_dir(dir)
        .args([
            "convert",
            "in/tech.html",
            "--to",
            "md,html,json,epub,pdf",
            "-o",
            "out",
        ])
        .assert()
        .success();
    let read = |name: &str| std::fs::read_to_string(dir.join("out").join(name)).unwrap();
    let epub = unzip(&std::fs::read(dir.join("out/tech.epub")).unwrap());
    let package = epub
        .iter()
        .find(|(name, _)| name.ends_with(".opf"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .expect("a package document");
    let pdf_text = crate::support::program("pdftotext", "poppler-utils").map_or_else(
        String::new,
        |pdftotext| {
            let out = std::process::Command::new(pdftotext)
                .arg(dir.join("out/tech.pdf"))
                .arg("-")
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            assert!(text.contains("tide gauge"), "{text}");
            text
        },
    );
    [
        read("tech.md"),
        read("tech.html"),
        read("tech.json"),
        package,
        pdf_text,
    ]
}

#[test]
fn a_local_file_has_no_canonical_url() {
    for head in ["", "<link rel=\"canonical\" href=\"/notes/tech\">"] {
        let dir = tempfile::tempdir().unwrap();
        let [markdown, html, json, package, pdf] = converted_from_disk(dir.path(), head);
        assert!(!markdown.contains("source:"), "{head}: {markdown}");
        assert!(!html.contains("rel=\"canonical\""), "{head}: {html}");
        assert!(json.contains("\"source_url\": null"), "{head}: {json}");
        assert!(!package.contains("dc:source"), "{head}: {package}");
        for output in [&markdown, &html, &json, &package, &pdf] {
            assert!(!output.contains("in/tech.html"), "{head}: {output}");
            assert!(!output.contains("/notes/tech"), "{head}: {output}");
        }
    }
}

#[test]
fn a_saved_page_keeps_its_own_canonical_url() {
    let dir = tempfile::tempdir().unwrap();
    let canonical = "https://harbour.example/notes/tech";
    let head = format!("<link rel=\"canonical\" href=\"{canonical}\">");
    let [markdown, html, json, package, pdf] = converted_from_disk(dir.path(), &head);
    assert!(
        markdown.contains(&format!("source: \"{canonical}\"")),
        "{markdown}"
    );
    assert!(
        html.contains(&format!("<link rel=\"canonical\" href=\"{canonical}\" />")),
        "{html}"
    );
    assert!(
        json.contains(&format!("\"source_url\": \"{canonical}\"")),
        "{json}"
    );
    assert!(package.contains(canonical), "{package}");
    if !pdf.is_empty() {
        assert!(pdf.contains(canonical), "{pdf}");
    }
}

#[test]
fn a_path_given_as_the_source_of_a_markdown_note_is_left_out_with_a_warning() {
    let note = "---\ntitle: Tech notes\nsource: in/tech.html\n---\n\nThe gauge reports.\n";
    let reading = quire::read(
        note.as_bytes(),
        InputFormat::Markdown,
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(reading.document.meta.source_url, None);
    assert!(
        reading
            .warnings
            .iter()
            .any(|w| w.message.contains("in/tech.html") && w.message.contains("not a URL")),
        "{:?}",
        reading.warnings
    );
    // A web address stays.
    let note = note.replace("in/tech.html", "https://harbour.example/notes/tech");
    let reading = quire::read(
        note.as_bytes(),
        InputFormat::Markdown,
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        reading.document.meta.source_url.as_deref(),
        Some("https://harbour.example/notes/tech")
    );
}

/// A PNG of one colour.
fn solid_png(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
    crate::support::encode_png(image::RgbImage::from_pixel(
        width,
        height,
        image::Rgb(colour),
    ))
}

const RED: [u8; 3] = [200, 20, 20];
const BLUE: [u8; 3] = [20, 20, 200];

/// Converts `page.html` in `dir` (with `head` and `body` in its article) to an EPUB with
/// `--cover lead`; returns the cover image and what quire said.
fn lead_cover(dir: &Path, head: &str, body: &str) -> (image::DynamicImage, String) {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><title>Harbour light</title>{head}</head><body>\
         <article><h1>Harbour light</h1>{body}<p>The harbour light was relit on Friday after \
         three months dark, and the boats came home by it for the first time since spring.</p>\
         <p>The keeper says the new lamp can be seen from the headland on a clear night.</p>\
         </article></body></html>"
    );
    std::fs::write(dir.join("page.html"), html).unwrap();
    let output = quire()
        .current_dir(dir)
        .args([
            "convert",
            "page.html",
            "--to",
            "epub",
            "--cover",
            "lead",
            "-o",
            "page.epub",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    let files = unzip(&std::fs::read(dir.join("page.epub")).unwrap());
    let cover = files
        .iter()
        .find(|(name, _)| name.starts_with("OEBPS/images/cover."))
        .map(|(_, bytes)| image::load_from_memory(bytes).unwrap())
        .expect("a cover");
    (cover, stderr)
}

/// The colour at the middle of `image`.
fn middle(image: &image::DynamicImage) -> [u8; 3] {
    let rgb = image.to_rgb8();
    rgb.get_pixel(rgb.width() / 2, rgb.height() / 2).0
}

#[test]
fn a_lead_cover_without_a_declared_lead_image_is_the_articles_first_picture() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pixel.png"), solid_png(1, 1, BLUE)).unwrap();
    std::fs::write(dir.path().join("icon.png"), solid_png(32, 32, BLUE)).unwrap();
    std::fs::write(dir.path().join("rule.png"), solid_png(800, 4, BLUE)).unwrap();
    std::fs::write(dir.path().join("big-icon.png"), solid_png(400, 400, BLUE)).unwrap();
    std::fs::write(dir.path().join("light.png"), solid_png(600, 800, RED)).unwrap();
    let body = "<p>By the harbour office <img src=\"pixel.png\" alt=\"\"> \
        <img src=\"icon.png\" alt=\"share\"> <img src=\"big-icon.png\" width=\"20\" \
        height=\"20\" alt=\"print\"> <img src=\"logo.svg\" alt=\"Harbour\"></p>\
        <p><img src=\"rule.png\" alt=\"\"></p>\
        <figure><img src=\"light.png\" alt=\"The light at dusk\"><figcaption>The light \
        at dusk.</figcaption></figure>";
    let (cover, stderr) = lead_cover(dir.path(), "", body);
    assert_eq!((cover.width(), cover.height()), (600, 800), "{stderr}");
    assert_eq!(middle(&cover), RED);
    assert!(!stderr.contains("cover image not used"), "{stderr}");
}

#[test]
fn a_declared_lead_image_still_comes_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lead.png"), solid_png(500, 700, BLUE)).unwrap();
    std::fs::write(dir.path().join("light.png"), solid_png(600, 800, RED)).unwrap();
    let head = "<meta property=\"og:image\" content=\"lead.png\">";
    let body = "<figure><img src=\"light.png\" alt=\"The light at dusk\"></figure>";
    let (cover, stderr) = lead_cover(dir.path(), head, body);
    assert_eq!((cover.width(), cover.height()), (500, 700), "{stderr}");
    assert_eq!(middle(&cover), BLUE);
}

#[test]
fn a_lead_cover_with_no_picture_at_all_is_generated_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("icon.png"), solid_png(32, 32, RED)).unwrap();
    let body = "<p>Share <img src=\"icon.png\" alt=\"share\"></p>";
    let (cover, stderr) = lead_cover(dir.path(), "", body);
    assert!(stderr.contains("cover image not used"), "{stderr}");
    assert!(stderr.contains("no picture"), "{stderr}");
    assert_ne!(middle(&cover), RED);
    assert!(cover.width() > 32 && cover.height() > 32);
}

#[test]
fn a_zero_size_from_json_is_no_size() {
    let json = r#"{"meta":{},"blocks":[{"type":"paragraph","c":[{"type":"text","c":"See "},{"type":"image","c":{"src":"data:image/png;base64,iVBORw0KGgo=","alt":"A","width":0,"height":150}}]}]}"#;
    let document = quire::read(json.as_bytes(), InputFormat::Json, &ReadOptions::default())
        .unwrap()
        .document;
    let options = WriteOptions {
        fragment: true,
        ..WriteOptions::default()
    };
    let html = quire::write(&document, OutputFormat::Html, &options).unwrap();
    let html = String::from_utf8(html.bytes).unwrap();
    let tags = img_tags(&html);
    assert_eq!(tags.len(), 1, "{html}");
    assert!(!tags[0].contains("width="), "{}", tags[0]);
    assert!(tags[0].contains(" height=\"150\""), "{}", tags[0]);
}

#[test]
fn a_saved_page_s_site_links_and_images_point_at_its_stated_address() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("in/page_files")).unwrap();
    std::fs::write(dir.path().join("in/page_files/a.png"), png_bytes(40, 30)).unwrap();
    let head = "<link rel=\"canonical\" href=\"https://harbour.example/notes/tech\">";
    let page = saved_page(head).replace(
        "<p>Fishermen say",
        "<p>The readings are explained on the page about <a href=\"/wiki/Gauge\">the gauge</a>, \
         and the office has written <a href=\"other.html\">more about the screen</a> for \
         visitors who want to know how it works.</p>\
         <p><img src=\"page_files/a.png\" alt=\"local chart\"></p>\
         <p><img src=\"//upload.example.org/far.png\" alt=\"far chart\"></p><p>Fishermen say",
    );
    std::fs::write(dir.path().join("in/tech.html"), page).unwrap();
    quire()
        .current_dir(dir.path())
        .args(["convert", "in/tech.html", "--to", "md,epub", "-o", "out"])
        .assert()
        .success();
    let markdown = std::fs::read_to_string(dir.path().join("out/tech.md")).unwrap();
    assert!(
        markdown.contains("](https://harbour.example/wiki/Gauge)"),
        "{markdown}"
    );
    assert!(
        markdown.contains("](https://upload.example.org/far.png)"),
        "{markdown}"
    );
    // What may be beside the saved page stays relative, and its image is still found there.
    assert!(markdown.contains("](other.html)"), "{markdown}");
    let epub = unzip(&std::fs::read(dir.path().join("out/tech.epub")).unwrap());
    assert!(
        epub.iter().any(|(name, _)| name.ends_with(".png")),
        "the local image is in the book: {:?}",
        epub.iter().map(|(name, _)| name).collect::<Vec<_>>()
    );
}
