//! What every reader keeps out of the model, so that no writer can emit it: URLs the policy
//! refuses (script, `data:` links, `file:`, unknown schemes, however obfuscated, and through a
//! `<base href>`), and control characters. Checked on the model and through every output
//! format (issue 11, points 13 and 15).

use quire::{Document, InputFormat, OutputFormat, ReadOptions, WriteOptions};

/// What must not be in any output: the refused schemes, and the marker the payloads carry.
const FORBIDDEN: &[&str] = &["javascript", "vbscript", "data:text", "file:", "pwned"];

const ALL_OUTPUTS: [OutputFormat; 6] = [
    OutputFormat::Markdown,
    OutputFormat::Html,
    OutputFormat::Text,
    OutputFormat::Json,
    OutputFormat::Epub,
    OutputFormat::Pdf,
];

fn read(input: &str, format: InputFormat) -> quire::Reading {
    quire::read(input.as_bytes(), format, &ReadOptions::default()).unwrap()
}

/// The bytes of `document` in `format`, made searchable: an EPUB's files unzipped, a PDF's
/// streams decompressed.
fn output_text(document: &Document, format: OutputFormat) -> String {
    let bytes = quire::write(document, format, &WriteOptions::default())
        .unwrap()
        .bytes;
    let bytes = match format {
        OutputFormat::Epub => crate::epub::unzip(&bytes)
            .into_iter()
            .flat_map(|(_, content)| content)
            .collect(),
        OutputFormat::Pdf => {
            let mut pdf = lopdf::Document::load_mem(&bytes).unwrap();
            pdf.decompress();
            let mut out = Vec::new();
            pdf.save_to(&mut out).unwrap();
            out
        }
        _ => bytes,
    };
    String::from_utf8_lossy(&bytes).to_ascii_lowercase()
}

/// Reads `input` and checks every output format for what must not be there.
fn assert_no_forbidden_url(input: &str, format: InputFormat) -> quire::Reading {
    let reading = read(input, format);
    for output in ALL_OUTPUTS {
        let written = output_text(&reading.document, output);
        for forbidden in FORBIDDEN {
            assert!(
                !written.contains(forbidden),
                "{output:?} output of {format:?} input has {forbidden:?}"
            );
        }
    }
    reading
}

fn warned(reading: &quire::Reading, words: &str) -> bool {
    reading.warnings.iter().any(|w| w.message.contains(words))
}

#[test]
fn a_script_base_href_makes_no_script_link() {
    let page = "<html><head><base href=\"javascript://x/%0Apwned(1)//\"></head><body><article>\
        <h1>Rivers</h1><p>The river rose in the night, and by morning the lower town was under \
        water. <a href=\"page\">Read more</a>, <a href=\"\">this</a> and <a href=\"?q\">that</a>.</p>\
        <p>Everyone was safe, the mayor said, and the water fell again by the evening.</p>\
        </article></body></html>";
    for whole_page in [false, true] {
        let reading = quire::read(
            page.as_bytes(),
            InputFormat::Html,
            &ReadOptions {
                whole_page,
                ..ReadOptions::default()
            },
        )
        .unwrap();
        let json = output_text(&reading.document, OutputFormat::Json);
        assert!(json.contains("read more"), "{json}");
        assert!(!json.contains("pwned"), "{json}");
    }
    assert_no_forbidden_url(page, InputFormat::Html);
}

#[test]
fn refused_page_urls_never_become_the_source_link() {
    for url in [
        "javascript:pwned(1)",
        "data:text/html,<script>pwned()</script>",
        "vbscript:pwned",
        "file:///etc/pwned",
        " JaVa\tScRiPt:pwned(1)",
    ] {
        let page = format!(
            "<html><head><link rel=canonical href=\"{url}\"><meta property=\"og:url\" \
             content=\"{url}\"><meta property=\"og:image\" content=\"{url}\"><title>Rivers</title>\
             </head><body><article><p>The river rose in the night, and by morning the lower \
             town was under water. Everyone was safe, the mayor said.</p></article></body></html>"
        );
        let reading = assert_no_forbidden_url(&page, InputFormat::Html);
        assert_eq!(reading.document.meta.source_url, None, "{url}");
        assert_eq!(reading.document.meta.lead_image, None, "{url}");
        assert!(warned(&reading, "is not allowed"), "{url}");
    }
}

#[test]
fn refused_links_and_images_become_text_in_every_reader() {
    let markdown = "# Links\n\n[one](javascript:pwned(1)) [two](<java\tscript:pwned>) \
        [three](VBScript:pwned) [four](data:text/html,pwned) [five](file:///etc/pwned) \
        [six](x-unknown:pwned) ![seven](data:text/html,pwned) [ok](https://ex.org/) \
        [mail](mailto:a@ex.org)\n";
    let html = "<article><h1>Links</h1><p><a href=\"javascript:pwned(1)\">one</a> \
        <a href=\"jav&#x09;ascript:pwned\">two</a> <a href=\"VBScript:pwned\">three</a> \
        <a href=\"data:text/html,pwned\">four</a> <a href=\"file:///etc/pwned\">five</a> \
        <a href=\"x-unknown:pwned\">six</a> <a href=\"https://ex.org/\">ok</a> \
        <a href=\"mailto:a@ex.org\">mail</a> and enough words to be an article about links.</p></article>";
    let json = r#"{"meta":{"source_url":"javascript:pwned()","lead_image":"data:text/html,pwned"},
        "blocks":[{"type":"paragraph","c":[
          {"type":"link","c":{"url":"javascript:pwned(1)","title":null,"content":[{"type":"text","c":"one"}]}},
          {"type":"text","c":" "},
          {"type":"link","c":{"url":"java\tscript:pwned","title":null,"content":[{"type":"text","c":"two"}]}},
          {"type":"text","c":" "},
          {"type":"image","c":{"src":"file:///etc/pwned","alt":"seven"}},
          {"type":"text","c":" "},
          {"type":"link","c":{"url":"https://ex.org/","title":null,"content":[{"type":"text","c":"ok"}]}}]},
          {"type":"figure","c":{"image":{"src":"data:text/html,pwned","alt":"fig"},"caption":[]}}]}"#;
    for (input, format) in [
        (markdown, InputFormat::Markdown),
        (html, InputFormat::Html),
        (json, InputFormat::Json),
    ] {
        let reading = assert_no_forbidden_url(input, format);
        let text = output_text(&reading.document, OutputFormat::Text);
        for word in ["one", "two", "ok"] {
            assert!(text.contains(word), "{format:?}: {word} lost: {text}");
        }
        let markdown = output_text(&reading.document, OutputFormat::Markdown);
        assert!(markdown.contains("(https://ex.org/)"), "{markdown}");
        assert!(warned(&reading, "not allowed"), "{format:?}");
    }
}

#[test]
fn data_images_stay_but_not_as_links() {
    let png = "data:image/png;base64,iVBORw0KGgo=";
    let reading = read(
        &format!("![pic]({png})\n\n[link]({png})\n"),
        InputFormat::Markdown,
    );
    let markdown = output_text(&reading.document, OutputFormat::Markdown);
    assert_eq!(markdown.matches("data:image/png").count(), 1, "{markdown}");
    assert!(markdown.contains("![pic](data:image/png"), "{markdown}");
}

#[test]
fn text_to_markdown_keeps_no_control_characters() {
    let input = "Title\n\nA line with NUL\u{0}, SOH\u{1}, ESC\u{1b}[31m, DEL\u{7f} and C1\u{85}\u{9b} inside.\n";
    let reading = read(input, InputFormat::Text);
    assert!(warned(&reading, "control character"));
    for format in [
        OutputFormat::Markdown,
        OutputFormat::Html,
        OutputFormat::Text,
        OutputFormat::Json,
    ] {
        let written = quire::write(&reading.document, format, &WriteOptions::default())
            .unwrap()
            .bytes;
        let written = String::from_utf8(written).unwrap();
        assert!(
            !written
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\t'),
            "{format:?}: {written:?}"
        );
        assert!(written.contains("SOH, ESC"), "{format:?}: {written}");
        assert!(
            written.contains("31m, DEL and C1 inside."),
            "{format:?}: {written}"
        );
    }
}

#[test]
fn json_escapes_cannot_bring_control_characters_in() {
    let json = r#"{"meta":{"title":"a\u0000b\u001bc"},"blocks":[{"type":"paragraph","c":[{"type":"text","c":"x\u0001 \u0085y"}]},
        {"type":"code","c":{"language":null,"text":"k\u0000\u007f"}}]}"#;
    let reading = read(json, InputFormat::Json);
    assert_eq!(reading.document.meta.title.as_deref(), Some("abc"));
    let markdown = output_text(&reading.document, OutputFormat::Markdown);
    assert!(markdown.contains("x y"), "{markdown:?}");
    assert!(!markdown.chars().any(|c| c.is_control() && c != '\n'));
}

#[test]
fn a_long_run_of_nuls_becomes_an_almost_empty_document() {
    // Text first (as the reviewer's file had: NULs at the very start are refused as binary),
    // then 20 MB of NULs.
    let mut input = b"Title\n\nSome words.\n".to_vec();
    input.resize(10 * 1024, b' ');
    input.resize(input.len() + 20 * 1024 * 1024, 0);
    let reading = quire::read(&input, InputFormat::Text, &ReadOptions::default()).unwrap();
    assert!(warned(&reading, "removed 20971520 control characters"));
    let markdown = quire::write(
        &reading.document,
        OutputFormat::Markdown,
        &WriteOptions::default(),
    )
    .unwrap()
    .bytes;
    assert!(markdown.len() < 200, "{} bytes", markdown.len());
    assert!(String::from_utf8(markdown).unwrap().contains("Some words."));
}

#[test]
fn the_markdown_writer_drops_control_characters_of_a_document_built_by_hand() {
    use quire::model::Meta;
    use quire::{Block, Inline};
    let document = Document::new(
        Meta::default(),
        vec![
            Block::Paragraph(vec![
                Inline::text("a\u{0}b\u{1b}c\u{85}d"),
                Inline::Code("e\u{1}f".into()),
            ]),
            Block::Code {
                language: None,
                text: "g\u{7f}h".into(),
            },
        ],
    );
    let markdown = String::from_utf8(
        quire::write(&document, OutputFormat::Markdown, &WriteOptions::default())
            .unwrap()
            .bytes,
    )
    .unwrap();
    assert!(markdown.contains("abcd`ef`"), "{markdown:?}");
    assert!(markdown.contains("\ngh\n"), "{markdown:?}");
    assert!(
        !markdown.chars().any(|c| c.is_control() && c != '\n'),
        "{markdown:?}"
    );
}
