//! Images in the PDF are kept at the page's resolution: a 9000 × 9000 picture is printed
//! at most as wide as the text block, so it is embedded shrunk to 300 dpi of that size
//! (which also bounds the memory each image costs while the PDF is written).

use quire::model::{Figure, Image, Meta};
use quire::{Block, Document, OutputFormat, WriteOptions};
use std::path::Path;

/// A4's text block is 150 mm wide and 247 mm tall: at 300 dpi, 1772 × 2918 pixels.
const A4_MAX_WIDTH: i64 = 1772;
const A4_MAX_HEIGHT: i64 = 2918;

fn figure(src: &str) -> Block {
    Block::Figure(Box::new(Figure {
        image: Image {
            src: src.into(),
            alt: format!("alt {src}"),
            title: None,
            ..Default::default()
        },
        caption: Vec::new(),
    }))
}

/// A smooth RGB gradient (it compresses well, so a 9000 × 9000 file stays small).
fn gradient(width: u32, height: u32) -> image::RgbImage {
    image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    })
}

fn save_png(image: &image::RgbImage, path: &Path) {
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    use image::ImageEncoder;
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    PngEncoder::new_with_quality(file, CompressionType::Fast, FilterType::Sub)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
}

/// Width and height of every image XObject in the PDF (soft masks included).
fn embedded_sizes(pdf: &[u8]) -> Vec<(i64, i64)> {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    let mut sizes: Vec<(i64, i64)> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict
                .get(b"Subtype")
                .and_then(|t| t.as_name())
                .is_ok_and(|t| t == b"Image")
        })
        .map(|s| {
            let get = |k: &[u8]| s.dict.get(k).and_then(|v| v.as_i64()).unwrap();
            (get(b"Width"), get(b"Height"))
        })
        .collect();
    sizes.sort();
    sizes
}

#[test]
fn a_9000_pixel_image_is_embedded_at_300_dpi_of_the_text_block() {
    let dir = tempfile::tempdir().unwrap();
    save_png(&gradient(9000, 9000), &dir.path().join("huge.png"));
    // A wide JPEG takes the other path (decoded, shrunk, encoded as JPEG again).
    gradient(4000, 1000)
        .save_with_format(dir.path().join("wide.jpg"), image::ImageFormat::Jpeg)
        .unwrap();
    let doc = Document::new(
        Meta::default(),
        vec![figure("huge.png"), figure("wide.jpg")],
    );
    let options = WriteOptions {
        resource_dir: Some(dir.path().to_path_buf()),
        timestamp: Some(0),
        ..WriteOptions::default()
    };
    let rendered = quire::write(&doc, OutputFormat::Pdf, &options).unwrap();
    assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
    let sizes = embedded_sizes(&rendered.bytes);
    assert_eq!(sizes.len(), 2, "{sizes:?}");
    for &(width, height) in &sizes {
        assert!(
            width <= A4_MAX_WIDTH && height <= A4_MAX_HEIGHT,
            "embedded at {width}x{height}, more than 300 dpi of the text block"
        );
    }
    // Shrunk to the bound, proportions kept: 1772 × 1772 and 1772 × 443.
    assert_eq!(sizes, [(A4_MAX_WIDTH, 443), (A4_MAX_WIDTH, A4_MAX_WIDTH)]);
    let jpeg = lopdf::Document::load_mem(&rendered.bytes)
        .unwrap()
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .any(|s| {
            s.dict.get(b"Height").and_then(|h| h.as_i64()).ok() == Some(443)
                && s.dict
                    .get(b"Filter")
                    .and_then(|f| f.as_name())
                    .is_ok_and(|f| f == b"DCTDecode")
        });
    assert!(jpeg, "the shrunk JPEG is not a JPEG");
}

#[test]
fn a_small_image_is_embedded_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    save_png(&gradient(300, 200), &dir.path().join("small.png"));
    let doc = Document::new(Meta::default(), vec![figure("small.png")]);
    let options = WriteOptions {
        resource_dir: Some(dir.path().to_path_buf()),
        timestamp: Some(0),
        ..WriteOptions::default()
    };
    let rendered = quire::write(&doc, OutputFormat::Pdf, &options).unwrap();
    assert_eq!(embedded_sizes(&rendered.bytes), [(300, 200)]);
}

/// An inline image in a paragraph is embedded and drawn in the line, not replaced by its alt
/// text; one that cannot be loaded shows its alt text, with a warning that says so (issue 13,
/// point 4).
#[test]
fn an_inline_image_is_drawn_and_a_missing_one_shows_its_alt_text_with_a_warning() {
    use quire::model::Inline;
    let dir = tempfile::tempdir().unwrap();
    save_png(&gradient(30, 120), &dir.path().join("bar.png"));
    let image = |src: &str, alt: &str| {
        Inline::Image(Box::new(Image {
            src: src.into(),
            alt: alt.into(),
            ..Default::default()
        }))
    };
    let doc = Document::new(
        Meta::default(),
        vec![Block::Paragraph(vec![
            Inline::text("A bar "),
            image("bar.png", "tall bar"),
            Inline::text(" and a lost one "),
            image("lost.png", "lost bar"),
            Inline::text("."),
        ])],
    );
    let options = WriteOptions {
        resource_dir: Some(dir.path().to_path_buf()),
        timestamp: Some(0),
        ..WriteOptions::default()
    };
    let rendered = quire::write(&doc, OutputFormat::Pdf, &options).unwrap();
    assert_eq!(embedded_sizes(&rendered.bytes), [(30, 120)]);
    let warnings: Vec<String> = rendered.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings.iter().any(|w| w.contains("lost.png")),
        "{warnings:?}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains("bar.png")),
        "{warnings:?}"
    );
    let Some(pdftotext) = crate::support::program("pdftotext", "poppler-utils") else {
        return;
    };
    let path = dir.path().join("out.pdf");
    std::fs::write(&path, &rendered.bytes).unwrap();
    let out = std::process::Command::new(pdftotext)
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("tall bar"), "{text}");
    // As the plain-text output shows it: the alt text in brackets.
    assert!(
        text.contains("one [lost bar].") && !text.contains("[tall"),
        "{text}"
    );
}

/// Remote images that were not downloaded are told in one PDF warning, with their count and
/// one of them, not one warning each (a news page has dozens); the media store's own warning
/// (one, about not downloading) stays beside it.
#[test]
fn undownloaded_remote_images_are_told_in_one_warning() {
    let doc = Document::new(
        Meta::default(),
        (1..=3)
            .map(|n| figure(&format!("https://img.example.org/photo-{n}.jpg")))
            .collect(),
    );
    let options = WriteOptions {
        timestamp: Some(0),
        ..WriteOptions::default()
    };
    let rendered = quire::write(&doc, OutputFormat::Pdf, &options).unwrap();
    let warnings: Vec<String> = rendered.warnings.iter().map(|w| w.to_string()).collect();
    let remote: Vec<&String> = warnings.iter().filter(|w| w.contains("PDF")).collect();
    assert_eq!(remote.len(), 1, "{warnings:?}");
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        remote[0].contains("3 remote images") && remote[0].contains("photo-1.jpg"),
        "{warnings:?}"
    );
    assert!(embedded_sizes(&rendered.bytes).is_empty());
}
