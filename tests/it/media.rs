//! One media store per document (issue 12, point 2): every image is loaded once, before any
//! writer runs, and HTML, EPUB and PDF take their images only from it, so one input gives the
//! same pictures in all three, whether they are local files, `data:` URIs or remote images.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use crate::support::png_bytes;
use quire::media::{
    ImageData, ImageRequest, ImageSource, LoadError, LoadPolicy, MediaStore, StandardSource,
};
use quire::model::{Figure, Image, Inline, Meta};
use quire::{Block, Document, OutputFormat, WriteOptions};

/// Counts every request before passing it to quire's own source.
struct Counting {
    inner: StandardSource,
    asked: Mutex<BTreeMap<String, usize>>,
}

impl Counting {
    fn new(inner: StandardSource) -> Counting {
        Counting {
            inner,
            asked: Mutex::default(),
        }
    }

    fn counts(&self) -> BTreeMap<String, usize> {
        self.asked.lock().unwrap().clone()
    }
}

impl ImageSource for Counting {
    fn load(&self, request: &ImageRequest<'_>) -> Result<ImageData, LoadError> {
        let key = match request {
            ImageRequest::Data(uri) => uri.to_string(),
            ImageRequest::File { src, .. } => src.to_string(),
            ImageRequest::Remote { url, .. } => url.to_string(),
        };
        *self.asked.lock().unwrap().entry(key).or_default() += 1;
        self.inner.load(request)
    }
}

/// Standard base64, for building `data:` URIs.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn figure(src: &str, alt: &str) -> Block {
    Block::Figure(Box::new(Figure {
        image: Image {
            src: src.into(),
            alt: alt.into(),
            title: None,
            ..Default::default()
        },
        caption: vec![Inline::Text(format!("Caption of {alt}"))],
    }))
}

/// The three formats written from one store.
struct Outputs {
    html: String,
    epub: Vec<u8>,
    pdf: Vec<u8>,
}

fn write_all(document: &Document, options: &WriteOptions) -> Outputs {
    let write = |format| {
        let rendered = quire::write(document, format, options).expect("written");
        assert!(rendered.warnings.is_empty(), "{:?}", rendered.warnings);
        rendered.bytes
    };
    Outputs {
        html: String::from_utf8(write(OutputFormat::Html)).unwrap(),
        epub: write(OutputFormat::Epub),
        pdf: write(OutputFormat::Pdf),
    }
}

/// The bytes of every image the HTML page carries as a `data:` URI.
fn html_images(html: &str) -> BTreeSet<Vec<u8>> {
    html.split("src=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|src| src.starts_with("data:"))
        .map(|uri| quire::media::load_data_uri(uri).expect("a valid data: URI"))
        .collect()
}

/// The bytes of every image in the book (the cover aside).
fn epub_images(epub: &[u8]) -> BTreeSet<Vec<u8>> {
    crate::epub::unzip(epub)
        .into_iter()
        .filter(|(name, _)| name.starts_with("OEBPS/images/image-"))
        .map(|(_, bytes)| bytes)
        .collect()
}

/// Width and height of every image XObject in the PDF.
fn pdf_image_sizes(pdf: &[u8]) -> BTreeSet<(u32, u32)> {
    let doc = lopdf::Document::load_mem(pdf).expect("the PDF parses");
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict
                .get(b"Subtype")
                .and_then(|t| t.as_name())
                .is_ok_and(|t| t == b"Image")
        })
        .map(|s| {
            let get = |k: &[u8]| s.dict.get(k).and_then(|v| v.as_i64()).unwrap() as u32;
            (get(b"Width"), get(b"Height"))
        })
        .collect()
}

fn size_of(png: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(png).unwrap();
    (image.width(), image.height())
}

/// The same images, each once, in all three outputs.
fn assert_same_images(outputs: &Outputs, images: &[&Vec<u8>]) {
    let expected: BTreeSet<Vec<u8>> = images.iter().map(|b| b.to_vec()).collect();
    assert_eq!(html_images(&outputs.html), expected, "HTML");
    // Small PNGs fit any e-reader screen: the book keeps their bytes.
    assert_eq!(epub_images(&outputs.epub), expected, "EPUB");
    let sizes: BTreeSet<(u32, u32)> = images.iter().map(|b| size_of(b)).collect();
    assert_eq!(pdf_image_sizes(&outputs.pdf), sizes, "PDF");
}

#[test]
fn a_local_file_and_a_data_uri_are_loaded_once_for_html_epub_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let pic = png_bytes(30, 20);
    let dot = png_bytes(12, 8);
    std::fs::write(dir.path().join("pic.png"), &pic).unwrap();
    let data = format!("data:image/png;base64,{}", base64(&dot));
    let document = Document::new(
        Meta {
            title: Some("Pictures".into()),
            ..Meta::default()
        },
        vec![
            figure("pic.png", "the picture"),
            figure(&data, "the dot"),
            Block::Paragraph(vec![
                Inline::Text("The picture again, inline: ".into()),
                Inline::image(Image {
                    src: "pic.png".into(),
                    alt: "again".into(),
                    title: None,
                    ..Default::default()
                }),
            ]),
            // The same file once more, as a figure of its own.
            figure("pic.png", "the picture once more"),
        ],
    );
    let source = Counting::new(StandardSource::new(None));
    let policy = LoadPolicy {
        resource_dir: Some(dir.path().to_path_buf()),
        ..LoadPolicy::default()
    };
    let (store, warnings) = MediaStore::load(&document, &source, &policy);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        source.counts(),
        BTreeMap::from([(data.clone(), 1), ("pic.png".to_string(), 1)])
    );

    // The folder is not in the options: the writers can only have the images from the store.
    let options = WriteOptions {
        media: Some(Arc::new(store)),
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    let outputs = write_all(&document, &options);
    assert_eq!(
        source.counts().values().sum::<usize>(),
        2,
        "no writer loaded again"
    );
    assert_same_images(&outputs, &[&pic, &dot]);
}

#[test]
fn without_a_store_each_writer_loads_the_same_images_itself() {
    // `quire::write` with no store (the library's simplest call) still embeds local files.
    let dir = tempfile::tempdir().unwrap();
    let pic = png_bytes(16, 9);
    std::fs::write(dir.path().join("pic.png"), &pic).unwrap();
    let document = Document::new(Meta::default(), vec![figure("pic.png", "the picture")]);
    let options = WriteOptions {
        resource_dir: Some(dir.path().to_path_buf()),
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    assert_same_images(&write_all(&document, &options), &[&pic]);
}

#[test]
fn a_library_user_supplies_images_without_files_or_network() {
    /// Images from a table in memory.
    struct InMemory(BTreeMap<&'static str, Vec<u8>>);
    impl ImageSource for InMemory {
        fn load(&self, request: &ImageRequest<'_>) -> Result<ImageData, LoadError> {
            let key = match request {
                ImageRequest::File { src, .. } => *src,
                ImageRequest::Remote { url, .. } => *url,
                ImageRequest::Data(_) => return Err(LoadError::NotFetched),
            };
            self.0
                .get(key)
                .map(|bytes| ImageData::Bytes(bytes.clone()))
                .ok_or(LoadError::NotFetched)
        }
    }
    let pic = png_bytes(10, 10);
    let source = InMemory(BTreeMap::from([("https://example.com/a.png", pic.clone())]));
    let document = Document::new(
        Meta::default(),
        vec![figure("https://example.com/a.png", "remote")],
    );
    let policy = LoadPolicy {
        fetch_remote: true,
        ..LoadPolicy::default()
    };
    let (store, warnings) = MediaStore::load(&document, &source, &policy);
    assert!(warnings.is_empty(), "{warnings:?}");
    let options = WriteOptions {
        media: Some(Arc::new(store)),
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    assert_same_images(&write_all(&document, &options), &[&pic]);
}

/// A page whose figures are the given image addresses.
#[cfg(feature = "net")]
fn page_with_images(srcs: &[&str]) -> String {
    let mut page = String::from(
        "<!DOCTYPE html><html><head><title>Harbour</title></head><body><article>\
         <h1>Harbour news</h1><p>The harbour master reports calm seas, a busy week of \
         ferries and a new light on the north pier, visible for twelve miles.</p>",
    );
    for (i, src) in srcs.iter().enumerate() {
        page.push_str(&format!(
            "<figure><img src=\"{src}\" alt=\"picture {i}\"><figcaption>Picture {i}\
             </figcaption></figure><p>More words about the harbour after picture {i}, \
             so that the article goes on.</p>"
        ));
    }
    page.push_str("</article></body></html>");
    page
}

#[cfg(feature = "net")]
#[test]
fn remote_images_are_fetched_once_for_html_epub_and_pdf() {
    use crate::net::{Reply, TestServer};
    let a = png_bytes(24, 16);
    let b = png_bytes(14, 10);
    let server = TestServer::start(vec![
        (
            "/news/page.html",
            Reply::ok("text/html", page_with_images(&["/img/a.png", "b.png"])),
        ),
        ("/img/a.png", Reply::ok("image/png", a.clone())),
        ("/news/b.png", Reply::ok("image/png", b.clone())),
    ]);
    let fetched = quire::net::fetch(
        &server.url("/news/page.html"),
        &quire::net::FetchOptions::default(),
    )
    .expect("the page");
    let reading = quire::read(
        &fetched.bytes,
        quire::InputFormat::Html,
        &quire::ReadOptions {
            source_url: Some(fetched.final_url),
            ..quire::ReadOptions::default()
        },
    )
    .expect("read");
    let source = Counting::new(StandardSource::new(Some(quire::net::ImageFetchOptions {
        allow_private: true,
        ..quire::net::ImageFetchOptions::default()
    })));
    let policy = LoadPolicy {
        fetch_remote: true,
        allow_private: fetched.private,
        ..LoadPolicy::default()
    };
    let (store, warnings) = MediaStore::load(&reading.document, &source, &policy);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        source.counts(),
        BTreeMap::from([
            (server.url("/img/a.png"), 1),
            (server.url("/news/b.png"), 1)
        ])
    );
    let options = WriteOptions {
        media: Some(Arc::new(store)),
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    let outputs = write_all(&reading.document, &options);
    assert_same_images(&outputs, &[&a, &b]);
    let mut asked = server.paths();
    asked.sort();
    assert_eq!(asked, ["/img/a.png", "/news/b.png", "/news/page.html"]);
}

#[cfg(feature = "net")]
#[test]
fn cli_url_input_gives_the_same_pictures_in_html_epub_and_pdf_from_one_download_each() {
    use crate::net::{Reply, TestServer};
    let a = png_bytes(24, 16);
    let b = png_bytes(14, 10);
    let server = TestServer::start(vec![
        (
            "/news/page.html",
            Reply::ok("text/html", page_with_images(&["/img/a.png", "b.png"])),
        ),
        ("/img/a.png", Reply::ok("image/png", a.clone())),
        ("/news/b.png", Reply::ok("image/png", b.clone())),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["convert", &server.url("/news/page.html")])
        .args(["--to", "html,epub,pdf", "-o"])
        .arg(out.path().join(""))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let mut asked = server.paths();
    asked.sort();
    assert_eq!(asked, ["/img/a.png", "/news/b.png", "/news/page.html"]);
    let read = |extension: &str| {
        let path = std::fs::read_dir(out.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == extension))
            .unwrap_or_else(|| panic!("a .{extension} output"));
        std::fs::read(path).unwrap()
    };
    let outputs = Outputs {
        html: String::from_utf8(read("html")).unwrap(),
        epub: read("epub"),
        pdf: read("pdf"),
    };
    assert_same_images(&outputs, &[&a, &b]);
}

/// A Markdown file fetched by its URL (a README) has its pictures beside it on the web:
/// its relative image paths resolve there, so every format shows them, and its links and
/// source name where they are.
#[cfg(feature = "net")]
#[test]
fn cli_markdown_by_url_resolves_its_relative_pictures_and_links_where_it_was_found() {
    use crate::net::{Reply, TestServer};
    let a = png_bytes(24, 16);
    let b = png_bytes(14, 10);
    let readme = "# Tide tables\n\nThe chart:\n\n![Chart](docs/a.png)\n\nAnd the station \
                  ![station](/img/b.png) in a line, with [the notes](notes.md#june) and \
                  [June's](#june).\n\n## June\n\nSpring tides.\n";
    let server = TestServer::start(vec![
        ("/project/README.md", Reply::ok("text/markdown", readme)),
        ("/project/docs/a.png", Reply::ok("image/png", a.clone())),
        ("/img/b.png", Reply::ok("image/png", b.clone())),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["convert", &server.url("/project/README.md")])
        .args(["--to", "html,epub,pdf,md", "-o"])
        .arg(out.path().join(""))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let mut asked = server.paths();
    asked.sort();
    assert_eq!(
        asked,
        ["/img/b.png", "/project/README.md", "/project/docs/a.png"]
    );
    let read = |extension: &str| {
        std::fs::read(out.path().join(format!("README.{extension}")))
            .unwrap_or_else(|e| panic!("README.{extension}: {e}"))
    };
    let outputs = Outputs {
        html: String::from_utf8(read("html")).unwrap(),
        epub: read("epub"),
        pdf: read("pdf"),
    };
    assert_same_images(&outputs, &[&a, &b]);
    let markdown = String::from_utf8(read("md")).unwrap();
    for expected in [
        format!("source: \"{}\"", server.url("/project/README.md")),
        format!("]({})", server.url("/project/notes.md#june")),
        "[June's](#june)".to_string(),
    ] {
        assert!(
            markdown.contains(&expected),
            "no {expected} in:\n{markdown}"
        );
    }
}

/// An SVG (a diagram in documentation) is drawn once, by the store, as a PNG at twice its
/// size, and every writer gives it the room the drawing states: HTML and EPUB as its
/// `width` and `height`, the PDF at 0.75 pt a CSS pixel.
#[test]
fn an_svg_is_drawn_once_and_takes_the_size_it_states_in_html_epub_and_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let svg = r##"<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by graphviz -->
<svg xmlns="http://www.w3.org/2000/svg" width="120pt" height="40pt" viewBox="0 0 120 40">
  <rect width="120" height="40" fill="#fff"/>
  <rect x="10" y="10" width="100" height="20" fill="#124"/>
  <text x="14" y="26" font-family="Times,serif" font-size="14" fill="#fff">ptr | len</text>
</svg>"##;
    std::fs::write(dir.path().join("diagram.svg"), svg).unwrap();
    let document = Document::new(
        Meta {
            title: Some("Ownership".into()),
            ..Meta::default()
        },
        vec![
            figure("diagram.svg", "A string's parts"),
            Block::Paragraph(vec![Inline::Text("Text after the diagram.".into())]),
        ],
    );
    let source = Counting::new(StandardSource::new(None));
    let policy = LoadPolicy {
        resource_dir: Some(dir.path().to_path_buf()),
        ..LoadPolicy::default()
    };
    let (store, warnings) = MediaStore::load(&document, &source, &policy);
    assert!(warnings.is_empty(), "{warnings:?}");
    let drawn = store.image("diagram.svg").expect("drawn");
    // 120 pt is 160 CSS pixels, drawn at twice that.
    assert_eq!(drawn.drawn_size(), Some((160, 53)));
    assert_eq!(drawn.size(), (320, 107));
    let options = WriteOptions {
        media: Some(Arc::new(store)),
        timestamp: Some(1_700_000_000),
        ..WriteOptions::default()
    };
    let outputs = write_all(&document, &options);
    assert_eq!(source.counts().values().sum::<usize>(), 1);

    let html_pngs: Vec<(u32, u32)> = html_images(&outputs.html)
        .iter()
        .map(|b| size_of(b))
        .collect();
    assert_eq!(html_pngs, vec![(320, 107)]);
    assert!(
        outputs.html.contains("width=\"160\" height=\"53\""),
        "{}",
        outputs.html
    );
    let book_pngs: Vec<(u32, u32)> = epub_images(&outputs.epub)
        .iter()
        .map(|b| size_of(b))
        .collect();
    assert_eq!(book_pngs, vec![(320, 107)]);
    let chapter = crate::epub::unzip(&outputs.epub)
        .into_iter()
        .find(|(name, _)| name.ends_with("chapter-1.xhtml"))
        .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
        .expect("a chapter");
    assert!(chapter.contains("width=\"160\" height=\"53\""), "{chapter}");
    assert_eq!(pdf_image_sizes(&outputs.pdf), BTreeSet::from([(320, 107)]));
    // Placed at 160 × 0.75 = 120 pt across, not at its pixels' 240 pt.
    let pdf = lopdf::Document::load_mem(&outputs.pdf).unwrap();
    let page = *pdf.get_pages().values().next().unwrap();
    let content = String::from_utf8_lossy(&pdf.get_page_content(page)).to_string();
    assert!(
        content.contains("120 0 0 39.75 ") || content.contains("120 0 0 39.75\n"),
        "{content}"
    );
}
