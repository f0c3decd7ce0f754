//! `quire check --kindle` and `--profile kindle`: each Kindle cause found in a small book
//! made for it (with the file and line), none in what quire writes under the Kindle profile,
//! and those books valid for epubcheck. What every reader rejects (XML that is not
//! well-formed, a file the manifest lists but the zip lacks, a spine entry without an item)
//! is found in a book quire writes, broken afterwards.

use std::io::{Cursor, Write as _};
use std::path::Path;

use assert_cmd::Command;
use quire::check::{check_kindle, Cause};

use crate::epub::{assert_epubcheck_clean, file_text, unzip};

fn quire() -> Command {
    Command::cargo_bin("quire").expect("binary")
}

const CONTAINER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"#;

/// The files of a small, clean EPUB 3: a package, a navigation document, two chapters and a
/// stylesheet. Each test changes one of them.
struct TestBook {
    language: &'static str,
    chapter1: String,
    chapter2: String,
    css: String,
    /// Extra bytes stored in the book (to pass a size limit).
    padding: usize,
}

impl TestBook {
    fn clean() -> TestBook {
        TestBook {
            language: "<dc:language>en</dc:language>",
            chapter1: page(
                "One",
                "<body>\n<h1 id=\"one\">One</h1>\n<p>See <a href=\"ch2.xhtml#two\">two</a>.</p>\n\
                 <p><img src=\"dot.png\" alt=\"a dot\"/></p>\n</body>",
            ),
            chapter2: page(
                "Two",
                "<body id=\"top\">\n<h1 id=\"two\">Two</h1>\n<!-- a plain comment -->\n<p>Back to <a href=\"ch1.xhtml#one\">one</a>.</p>\n</body>",
            ),
            css: "body { margin: 0 }\npre { background: #f4f4f4; color: #111 }\n".to_string(),
            padding: 0,
        }
    }

    fn zip(&self) -> Vec<u8> {
        let opf = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="id">urn:uuid:0b7c6b1e-36a5-4c8e-9d0e-6f1c1a2b3c4d</dc:identifier>
    <dc:title>Test</dc:title>
    {}
    <meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ch1" href="ch1.xhtml" media-type="application/xhtml+xml"/>
    <item id="ch2" href="ch2.xhtml" media-type="application/xhtml+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
    <item id="dot" href="dot.png" media-type="image/png"/>
    <item id="pad" href="pad.bin" media-type="application/octet-stream"/>
  </manifest>
  <spine>
    <itemref idref="ch1"/>
    <itemref idref="ch2"/>
  </spine>
</package>
"#,
            self.language
        );
        let nav = page(
            "Contents",
            "<body>\n<nav epub:type=\"toc\"><ol><li><a href=\"ch1.xhtml\">One</a></li><li><a href=\"ch2.xhtml\">Two</a></li></ol></nav>\n</body>",
        );
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        let mut add = |name: &str, bytes: &[u8]| {
            out.start_file(name, stored).unwrap();
            out.write_all(bytes).unwrap();
        };
        add("mimetype", b"application/epub+zip");
        add("META-INF/container.xml", CONTAINER.as_bytes());
        add("OEBPS/content.opf", opf.as_bytes());
        add("OEBPS/nav.xhtml", nav.as_bytes());
        add("OEBPS/ch1.xhtml", self.chapter1.as_bytes());
        add("OEBPS/ch2.xhtml", self.chapter2.as_bytes());
        add("OEBPS/style.css", self.css.as_bytes());
        add("OEBPS/dot.png", &crate::support::png_bytes(2, 2));
        // Incompressible filler, stored: the zip is as large as asked.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let filler: Vec<u8> = (0..self.padding)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        add("OEBPS/pad.bin", &filler);
        out.finish().unwrap().into_inner()
    }
}

/// An XHTML page (line 1 the declaration, line 6 `<body>`).
fn page(title: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"en\" xml:lang=\"en\">\n<head><title>{title}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/></head>\n{body}\n</html>\n"
    )
}

/// Runs `quire check --kindle` on the book; returns its exit code and its lines of output.
fn check_cli(bytes: &[u8]) -> (i32, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.epub");
    std::fs::write(&path, bytes).unwrap();
    let output = quire()
        .current_dir(dir.path())
        .args(["check", "book.epub", "--kindle"])
        .output()
        .unwrap();
    let lines = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    (output.status.code().unwrap_or(-1), lines)
}

/// The book has exactly one problem, of `cause`, on this line of the command's output.
fn assert_one(book: &TestBook, cause: Cause, line: &str) {
    let bytes = book.zip();
    let problems = check_kindle(&bytes).unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].cause, cause, "{problems:#?}");
    let (code, lines) = check_cli(&bytes);
    assert_eq!(code, 1);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].starts_with(line),
        "expected a line starting {line:?}, got {:?}",
        lines[0]
    );
}

#[test]
fn the_clean_test_book_has_no_problem() {
    let bytes = TestBook::clean().zip();
    assert_eq!(check_kindle(&bytes).unwrap(), vec![]);
    let (code, lines) = check_cli(&bytes);
    assert_eq!((code, lines), (0, vec![]));
    assert_epubcheck_clean(&bytes, "kindle-check-clean");
}

#[test]
fn a_missing_language_is_found() {
    let mut book = TestBook::clean();
    book.language = "";
    assert_one(
        &book,
        Cause::Language,
        "book.epub: OEBPS/content.opf: no dc:language",
    );
}

#[test]
fn invalid_languages_are_found() {
    for (tag, says) in [
        ("us", "'us' is not a valid BCP 47"),
        ("C", "'C' is not a valid BCP 47"),
        (
            "en_US",
            "'en_US' is not a valid BCP 47 language tag (write 'en-US')",
        ),
        ("und", "is 'und' (undetermined)"),
    ] {
        let mut book = TestBook::clean();
        book.language = Box::leak(format!("<dc:language>{tag}</dc:language>").into_boxed_str());
        assert_one(
            &book,
            Cause::Language,
            &format!("book.epub: OEBPS/content.opf:6: dc:language {says}"),
        );
    }
}

#[test]
fn a_page_without_the_xml_declaration_is_found() {
    let mut book = TestBook::clean();
    book.chapter2 = book.chapter2.replacen(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>",
        "<?xml version=\"1.0\"?>",
        1,
    );
    assert_one(
        &book,
        Cause::XmlDeclaration,
        "book.epub: OEBPS/ch2.xhtml:1: the XML declaration names no encoding",
    );
    let mut book = TestBook::clean();
    book.chapter1 = book.chapter1.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_one(
        &book,
        Cause::XmlDeclaration,
        "book.epub: OEBPS/ch1.xhtml:1: no XML declaration",
    );
}

#[test]
fn a_link_to_a_body_id_is_found() {
    let mut book = TestBook::clean();
    book.chapter1 = book.chapter1.replace("ch2.xhtml#two", "ch2.xhtml#top");
    assert_one(
        &book,
        Cause::BodyLink,
        "book.epub: OEBPS/ch1.xhtml:8: a link to the <body> id of OEBPS/ch2.xhtml",
    );
}

#[test]
fn an_image_without_src_is_found() {
    let mut book = TestBook::clean();
    book.chapter1 = book.chapter1.replace("<img src=\"dot.png\" ", "<img ");
    assert_one(
        &book,
        Cause::ImageWithoutSource,
        "book.epub: OEBPS/ch1.xhtml:9: <img> without src",
    );
}

#[test]
fn css_custom_properties_are_found() {
    let mut book = TestBook::clean();
    book.css.push_str(":root {\n  --ink: #222;\n}\n");
    assert_one(
        &book,
        Cause::CssCustomProperty,
        "book.epub: OEBPS/style.css:4: CSS custom property '--ink'",
    );
    let mut book = TestBook::clean();
    book.chapter2 = book
        .chapter2
        .replace("<p>Back", "<p style=\"color: var(--ink)\">Back");
    assert_one(
        &book,
        Cause::CssCustomProperty,
        "book.epub: OEBPS/ch2.xhtml:9: CSS var()",
    );
}

#[test]
fn dashes_in_a_comment_are_found() {
    let mut book = TestBook::clean();
    book.chapter2 = book
        .chapter2
        .replace("a plain comment", "a comment -- with dashes");
    assert_one(
        &book,
        Cause::CommentDashes,
        "book.epub: OEBPS/ch2.xhtml:8: '--' inside an XML comment",
    );
}

#[test]
fn a_book_over_50_mb_is_found() {
    let mut book = TestBook::clean();
    book.padding = quire::check::KINDLE_MAX_BYTES as usize + 1;
    assert_one(
        &book,
        Cause::TooLarge,
        "book.epub: the book is 50.0 MB; Send to Kindle takes at most 50 MB",
    );
}

#[test]
fn mathml_is_found() {
    let mut book = TestBook::clean();
    book.chapter1 = book.chapter1.replace(
        "<p>See",
        "<p><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><mi>x</mi></math> See",
    );
    assert_one(
        &book,
        Cause::MathMl,
        "book.epub: OEBPS/ch1.xhtml:8: a MathML formula (Kindle renders no MathML",
    );
}

#[test]
fn dark_code_backgrounds_are_found() {
    let mut book = TestBook::clean();
    book.css = book.css.replace(
        "pre { background: #f4f4f4; color: #111 }",
        "pre { background: #1e1e1e; color: #ddd }",
    );
    assert_one(
        &book,
        Cause::DarkCode,
        "book.epub: OEBPS/style.css:2: code on a dark background",
    );
}

#[test]
fn what_is_no_epub_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.epub"), "just text").unwrap();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"hi").unwrap();
    std::fs::write(
        dir.path().join("plain.zip"),
        zip.finish().unwrap().into_inner(),
    )
    .unwrap();
    let output = quire()
        .current_dir(dir.path())
        .args([
            "check",
            "--kindle",
            "notes.epub",
            "plain.zip",
            "missing.epub",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("quire: notes.epub: not valid EPUB: not a zip archive"),
        "{stderr}"
    );
    assert!(
        stderr.contains("quire: plain.zip: not valid EPUB: no META-INF/container.xml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("quire: missing.epub: cannot read:"),
        "{stderr}"
    );
}

#[test]
fn check_without_a_kind_of_check_is_a_usage_error() {
    let output = quire().args(["check", "book.epub"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
}

/// Every sample, converted under `--profile kindle`: no Kindle problem, valid EPUB.
#[test]
fn samples_under_the_kindle_profile_have_no_problems() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let dir = tempfile::tempdir().unwrap();
    let mut inputs: Vec<_> = std::fs::read_dir(&samples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 4);
    quire()
        .args(["convert", "--to", "epub", "--profile", "kindle", "-o"])
        .arg(dir.path())
        .args(&inputs)
        .assert()
        .success();
    for input in &inputs {
        let name = input.file_stem().unwrap().to_string_lossy().into_owned();
        let book = dir.path().join(format!("{name}.epub"));
        let bytes = std::fs::read(&book).unwrap();
        assert_eq!(check_kindle(&bytes).unwrap(), vec![], "{name}");
        quire()
            .args(["check", "--kindle"])
            .arg(&book)
            .assert()
            .code(0);
        let files = unzip(&bytes);
        let opf = file_text(&files, "OEBPS/content.opf");
        assert!(opf.contains("<dc:language>"), "{name}");
        assert_epubcheck_clean(&bytes, &format!("kindle-{name}"));
    }
}

fn write_with(
    doc: &quire::Document,
    profile: quire::write::epub::Profile,
    css: Option<&str>,
) -> Vec<u8> {
    let mut options = quire::WriteOptions {
        timestamp: Some(1_700_000_000),
        ..quire::WriteOptions::default()
    };
    options.epub.profile = profile;
    options.epub.css = css.map(str::to_string);
    quire::write(doc, quire::OutputFormat::Epub, &options)
        .expect("EPUB written")
        .bytes
}

fn math(tex: &str, display: bool) -> quire::Inline {
    quire::Inline::Math(Box::new(quire::model::Math {
        display,
        tex: Some(tex.to_string()),
        mathml: None,
    }))
}

fn math_document() -> quire::Document {
    use quire::{Block, Inline, Meta};
    quire::Document::new(
        Meta {
            title: Some("Sums".into()),
            language: Some("en".into()),
            ..Meta::default()
        },
        vec![
            Block::Paragraph(vec![
                Inline::text("The area is "),
                math("\\pi r^2", false),
                Inline::text(" and the sum of the first terms converges:"),
            ]),
            Block::Paragraph(vec![math(
                "\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}",
                true,
            )]),
            Block::Paragraph(vec![
                Inline::text("Again "),
                math("\\pi r^2", false),
                Inline::text("."),
            ]),
            Block::Code {
                language: Some("rust".into()),
                text: "fn main() {}".into(),
            },
        ],
    )
}

/// Under the Kindle profile each formula is a PNG picture with its TeX as alt text (each
/// formula stored once); under the generic profile the same book has MathML.
#[test]
fn formulas_are_pictures_with_alt_text_under_the_kindle_profile() {
    let doc = math_document();
    let kindle = write_with(&doc, quire::write::epub::Profile::Kindle, None);
    let files = unzip(&kindle);
    let chapter = file_text(&files, "OEBPS/chapter-1.xhtml");
    assert!(!chapter.contains("<math"), "{chapter}");
    let pictures: Vec<&str> = chapter.split("<img class=\"math").skip(1).collect();
    assert_eq!(pictures.len(), 3, "{chapter}");
    assert!(pictures[0].contains("alt=\"\\pi r^2\""), "{}", pictures[0]);
    assert!(
        pictures[1].starts_with(" math-display\""),
        "{}",
        pictures[1]
    );
    assert!(
        pictures[1].contains("alt=\"\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}\"")
    );
    let pngs: Vec<&(String, Vec<u8>)> = files
        .iter()
        .filter(|(name, _)| name.starts_with("OEBPS/images/math-"))
        .collect();
    assert_eq!(pngs.len(), 2, "the repeated formula is stored once");
    for (name, bytes) in pngs {
        let image = image::load_from_memory(bytes).unwrap().to_luma8();
        assert!(image.pixels().any(|p| p.0[0] < 64), "{name} has ink");
        assert!(chapter.contains(&format!("src=\"{}\"", name.trim_start_matches("OEBPS/"))));
    }
    let opf = file_text(&files, "OEBPS/content.opf");
    assert!(!opf.contains("mathml"), "{opf}");
    let stylesheet = file_text(&files, "OEBPS/stylesheet.css");
    assert!(stylesheet.contains("background-color: #f2f2f2"));
    assert_eq!(check_kindle(&kindle).unwrap(), vec![]);
    assert_epubcheck_clean(&kindle, "kindle-math");

    let generic = write_with(&doc, quire::write::epub::Profile::Generic, None);
    let causes: Vec<Cause> = check_kindle(&generic)
        .unwrap()
        .iter()
        .map(|p| p.cause)
        .collect();
    assert_eq!(causes, vec![Cause::MathMl]);
}

/// The user's CSS with custom properties and a dark code background: resolved and dropped
/// under the Kindle profile, found by the check in a generic book.
#[test]
fn custom_properties_in_the_users_css_are_resolved_for_kindle() {
    let doc = math_document();
    let css = ":root { --ink: #202020; }\np { color: var(--ink); }\npre { background: #1e1e1e; }\n";
    let kindle = write_with(&doc, quire::write::epub::Profile::Kindle, Some(css));
    let stylesheet = file_text(&unzip(&kindle), "OEBPS/stylesheet.css");
    assert!(stylesheet.contains("p { color: #202020; }"), "{stylesheet}");
    assert_eq!(check_kindle(&kindle).unwrap(), vec![]);
    let generic = write_with(&doc, quire::write::epub::Profile::Generic, Some(css));
    let causes: Vec<Cause> = check_kindle(&generic)
        .unwrap()
        .iter()
        .map(|p| p.cause)
        .collect();
    assert_eq!(
        causes,
        vec![
            Cause::MathMl,
            Cause::CssCustomProperty,
            Cause::CssCustomProperty,
            Cause::DarkCode
        ]
    );
}

/// A language that is none (`us`, `C`, `en_US`) is replaced: by the detected language, or
/// under the Kindle profile by English when nothing can be detected.
#[test]
fn invalid_languages_are_replaced() {
    use quire::{Block, Inline, Meta};
    let english = "The harbour was quiet in the morning, and the boats came back before the tide turned. Everyone on the quay knew the names of the boats and the people who sailed them.";
    for (tag, text, profile, expected) in [
        ("us", english, quire::write::epub::Profile::Generic, "en"),
        ("C", english, quire::write::epub::Profile::Kindle, "en"),
        (
            "en_US",
            english,
            quire::write::epub::Profile::Kindle,
            "en-US",
        ),
        ("POSIX", "12 34", quire::write::epub::Profile::Kindle, "en"),
        (
            "POSIX",
            "12 34",
            quire::write::epub::Profile::Generic,
            "und",
        ),
    ] {
        let doc = quire::Document::new(
            Meta {
                title: Some("Tides".into()),
                language: Some(tag.into()),
                ..Meta::default()
            },
            vec![Block::Paragraph(vec![Inline::text(text)])],
        );
        let bytes = write_with(&doc, profile, None);
        let opf = file_text(&unzip(&bytes), "OEBPS/content.opf");
        assert!(
            opf.contains(&format!("<dc:language>{expected}</dc:language>")),
            "{tag} {profile:?}: {opf}"
        );
        if profile == quire::write::epub::Profile::Kindle {
            assert_eq!(check_kindle(&bytes).unwrap(), vec![], "{tag}");
        }
    }
}

/// An image of noise (which no compressor shrinks), `side` pixels square.
fn noise_png(side: u32, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    let image = image::RgbImage::from_fn(side, side, |_, _| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        image::Rgb([state as u8, (state >> 8) as u8, (state >> 16) as u8])
    });
    crate::support::encode_png(image)
}

/// The title of an EPUB's package document.
fn title_of(bytes: &[u8]) -> String {
    let opf = file_text(&unzip(bytes), "OEBPS/content.opf");
    let start = opf.find("<dc:title").unwrap();
    let start = start + opf[start..].find('>').unwrap() + 1;
    let end = start + opf[start..].find("</dc:title>").unwrap();
    opf[start..end].to_string()
}

/// A bundle over the limit becomes volumes NAME-1.epub… each a whole book under the limit
/// (title "(k/n)", a note on the title page, the chapters in order), valid and Kindle-clean;
/// a later run that fits in one book removes those volumes.
#[test]
fn a_bundle_over_the_limit_is_written_as_volumes() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    for n in 1..=5 {
        std::fs::write(inputs.join(format!("p{n}.png")), noise_png(110, n)).unwrap();
        std::fs::write(
            inputs.join(format!("{n}-article.md")),
            format!("# Article {n}\n\nThe text of article number {n}, about the harbour.\n\n![Noise {n}](p{n}.png)\n"),
        )
        .unwrap();
    }
    let limit: u64 = 120_000;
    let out = dir.path().join("out");
    let run = |limit: u64| {
        quire()
            .args([
                "bundle",
                "--profile",
                "kindle",
                "--title",
                "Weekly",
                "--volume-limit",
            ])
            .arg(limit.to_string())
            .arg("-o")
            .arg(out.join("weekly.epub"))
            .arg(&inputs)
            .assert()
            .success();
    };
    run(limit);
    assert!(!out.join("weekly.epub").exists());
    let mut volumes = Vec::new();
    for n in 1.. {
        match std::fs::read(out.join(format!("weekly-{n}.epub"))) {
            Ok(bytes) => volumes.push(bytes),
            Err(_) => break,
        }
    }
    let count = volumes.len();
    assert!(count >= 2, "{count} volumes");
    let mut chapters_seen = Vec::new();
    for (i, bytes) in volumes.iter().enumerate() {
        assert!(
            bytes.len() as u64 <= limit,
            "volume {} is {} bytes",
            i + 1,
            bytes.len()
        );
        assert_eq!(title_of(bytes), format!("Weekly ({}/{count})", i + 1));
        let files = unzip(bytes);
        let title_page = file_text(&files, "OEBPS/title.xhtml");
        assert!(
            title_page.contains(&format!("Volume {} of {count}: article", i + 1)),
            "{title_page}"
        );
        assert!(files
            .iter()
            .any(|(name, _)| name.starts_with("OEBPS/images/cover.")));
        for (name, content) in &files {
            if name.starts_with("OEBPS/chapter-") {
                let text = String::from_utf8_lossy(content);
                let at = text.find("Article ").unwrap();
                chapters_seen.push(text[at..at + 9].to_string());
            }
        }
        assert_eq!(check_kindle(bytes).unwrap(), vec![], "volume {}", i + 1);
        assert_epubcheck_clean(bytes, &format!("kindle-volume-{}", i + 1));
    }
    let expected: Vec<String> = (1..=5).map(|n| format!("Article {n}")).collect();
    assert_eq!(chapters_seen, expected);

    // Now it fits: one book, and the volumes quire wrote are gone.
    run(100_000_000);
    assert!(out.join("weekly.epub").is_file());
    assert_eq!(
        title_of(&std::fs::read(out.join("weekly.epub")).unwrap()),
        "Weekly"
    );
    for n in 1..=count {
        assert!(
            !out.join(format!("weekly-{n}.epub")).exists(),
            "volume {n} left behind"
        );
    }
}

/// A book quire writes: a title page, a navigation document, an NCX and one chapter, as its
/// files in zip order.
fn quire_book() -> Vec<(String, Vec<u8>)> {
    use quire::{Block, Inline, Meta};
    let doc = quire::Document::new(
        Meta {
            title: Some("Tides".into()),
            language: Some("en".into()),
            ..Meta::default()
        },
        vec![Block::Paragraph(vec![Inline::text(
            "The boats came back before the tide.",
        )])],
    );
    unzip(&write_with(
        &doc,
        quire::write::epub::Profile::Generic,
        None,
    ))
}

/// The files zipped again, in order (`mimetype` first, stored, as an EPUB wants it).
fn rezip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        let method = if name == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The quire book with the text of `name` changed by `edit`, zipped; and the changed text.
fn quire_book_with(name: &str, edit: impl FnOnce(&str) -> String) -> (Vec<u8>, String) {
    let mut files = quire_book();
    let (_, bytes) = files.iter_mut().find(|(n, _)| n == name).unwrap();
    let text = edit(std::str::from_utf8(bytes).unwrap());
    assert_ne!(text.as_bytes(), bytes.as_slice(), "{name} not changed");
    *bytes = text.clone().into_bytes();
    (rezip(&files), text)
}

/// The line and column (from 1) of the first `needle` in `text`.
fn place_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} in {text}"));
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The book has exactly one problem, of `cause`, and `quire check --kindle` exits 1 with
/// exactly this line.
fn assert_only(bytes: &[u8], cause: Cause, line: &str) {
    let problems = check_kindle(bytes).unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].cause, cause, "{problems:#?}");
    assert_eq!(check_cli(bytes), (1, vec![line.to_string()]));
}

#[test]
fn a_book_quire_writes_passes_whole_and_zipped_again() {
    let files = quire_book();
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for name in [
        "META-INF/container.xml",
        "OEBPS/content.opf",
        "OEBPS/nav.xhtml",
        "OEBPS/toc.ncx",
        "OEBPS/chapter-1.xhtml",
    ] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let bytes = rezip(&files);
    assert_eq!(check_kindle(&bytes).unwrap(), vec![]);
    assert_eq!(check_cli(&bytes), (0, vec![]));
}

#[test]
fn a_package_document_that_is_not_well_formed_is_found() {
    let (bytes, opf) = quire_book_with("OEBPS/content.opf", |opf| {
        opf.replacen("</metadata>", "<unclosed></metadata>", 1)
    });
    let (line, column) = place_of(&opf, "</metadata>");
    assert_only(
        &bytes,
        Cause::NotWellFormed,
        &format!(
            "book.epub: OEBPS/content.opf:{line}:{column}: not well-formed XML: \
             </metadata> where </unclosed> was expected"
        ),
    );
}

#[test]
fn a_chapter_that_is_not_well_formed_is_found() {
    let (bytes, page) = quire_book_with("OEBPS/chapter-1.xhtml", |page| {
        page.replacen("</body>", "<p>unclosed <b>bold</p></body>", 1)
    });
    let (line, column) = place_of(&page, "</p></body>");
    assert_only(
        &bytes,
        Cause::NotWellFormed,
        &format!(
            "book.epub: OEBPS/chapter-1.xhtml:{line}:{column}: not well-formed XML: \
             </p> where </b> was expected"
        ),
    );
}

/// `&nbsp;` is declared by no DTD of `<!DOCTYPE html>`: an XML parser stops at it.
#[test]
fn an_undeclared_entity_in_the_navigation_document_is_found() {
    let (bytes, nav) = quire_book_with("OEBPS/nav.xhtml", |nav| {
        assert!(nav.contains("<!DOCTYPE html>"), "{nav}");
        nav.replacen("</nav>", "&nbsp;</nav>", 1)
    });
    let (line, column) = place_of(&nav, "&nbsp;");
    assert_only(
        &bytes,
        Cause::NotWellFormed,
        &format!(
            "book.epub: OEBPS/nav.xhtml:{line}:{column}: not well-formed XML: the entity \
             &nbsp; is not declared (XML knows only &amp; &lt; &gt; &quot; &apos;: write the \
             character, or a reference such as &#160;)"
        ),
    );
}

#[test]
fn a_container_or_ncx_that_is_not_well_formed_is_found() {
    let (bytes, container) = quire_book_with("META-INF/container.xml", |container| {
        container.replacen("</rootfiles>", "</rootfile>", 1)
    });
    let (line, column) = place_of(&container, "</rootfile>");
    assert_only(
        &bytes,
        Cause::NotWellFormed,
        &format!(
            "book.epub: META-INF/container.xml:{line}:{column}: not well-formed XML: \
             </rootfile> where </rootfiles> was expected"
        ),
    );
    let (bytes, ncx) = quire_book_with("OEBPS/toc.ncx", |ncx| {
        ncx.replacen("</navMap>", "</navmap>", 1)
    });
    let (line, column) = place_of(&ncx, "</navmap>");
    assert_only(
        &bytes,
        Cause::NotWellFormed,
        &format!(
            "book.epub: OEBPS/toc.ncx:{line}:{column}: not well-formed XML: \
             </navmap> where </navMap> was expected"
        ),
    );
}

#[test]
fn a_chapter_missing_from_the_zip_is_found() {
    let mut files = quire_book();
    files.retain(|(name, _)| name != "OEBPS/chapter-1.xhtml");
    let opf = file_text(&files, "OEBPS/content.opf");
    let (line, _) = place_of(&opf, "href=\"chapter-1.xhtml\"");
    assert_only(
        &rezip(&files),
        Cause::MissingFile,
        &format!(
            "book.epub: OEBPS/content.opf:{line}: the manifest and the spine list \
             OEBPS/chapter-1.xhtml, which is not in the book"
        ),
    );
}

#[test]
fn a_spine_entry_without_a_manifest_item_is_found() {
    let (bytes, opf) = quire_book_with("OEBPS/content.opf", |opf| {
        opf.replacen(
            "<itemref idref=\"id_chapter-1.xhtml\"",
            "<itemref idref=\"ch1\"",
            1,
        )
    });
    let (line, _) = place_of(&opf, "idref=\"ch1\"");
    assert_only(
        &bytes,
        Cause::UnknownSpineItem,
        &format!(
            "book.epub: OEBPS/content.opf:{line}: the spine names the item 'ch1', which the \
             manifest does not list"
        ),
    );
}

/// QA's report: three broken books and a good one in one run; each broken book has its
/// line, the good one says so, and the run exits 1.
#[test]
fn books_every_reader_rejects_fail_the_check() {
    let dir = tempfile::tempdir().unwrap();
    let (bad_opf, _) = quire_book_with("OEBPS/content.opf", |opf| {
        opf.replacen("</metadata>", "<unclosed></metadata>", 1)
    });
    let (bad_xhtml, _) = quire_book_with("OEBPS/chapter-1.xhtml", |page| {
        page.replacen("</body>", "<p>unclosed <b>bold</p></body>", 1)
    });
    let mut files = quire_book();
    files.retain(|(name, _)| name != "OEBPS/chapter-1.xhtml");
    for (name, bytes) in [
        ("badopf.epub", bad_opf),
        ("badxhtml.epub", bad_xhtml),
        ("missingchap.epub", rezip(&files)),
        ("good.epub", rezip(&quire_book())),
    ] {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let output = quire()
        .current_dir(dir.path())
        .args(["check", "--kindle", "badopf.epub", "badxhtml.epub"])
        .args(["missingchap.epub", "good.epub"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let books: Vec<&str> = stdout
        .lines()
        .map(|line| line.split(':').next().unwrap())
        .collect();
    assert_eq!(
        books,
        ["badopf.epub", "badxhtml.epub", "missingchap.epub"],
        "{stdout}"
    );
    assert!(stdout.contains("not well-formed XML"), "{stdout}");
    assert!(stdout.contains("which is not in the book"), "{stdout}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr, "good.epub: no Kindle problems found\n");
}
