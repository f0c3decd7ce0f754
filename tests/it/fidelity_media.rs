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
    // The stated size never lets the picture overflow the text.
    assert!(html.contains("img { max-width: 100%; height: auto; }"));

    let epub = quire::write(&document, OutputFormat::Epub, &options).unwrap();
    let files = unzip(&epub.bytes);
    let chapters: String = files
        .iter()
        .filter(|(name, _)| name.ends_with(".xhtml") && !name.ends_with("cover.xhtml"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .collect();
    let tags = img_tags(&chapters);
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
