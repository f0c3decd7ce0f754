//! Decoding input bytes: BOMs, declared charsets, `<meta>` prescan, guessing, binary refusal.

use quire::read::decode::decode;
use quire::Error;

fn encode(encoding: &'static encoding_rs::Encoding, text: &str) -> Vec<u8> {
    encoding.encode(text).0.into_owned()
}

#[test]
fn empty_input_is_an_error() {
    assert!(matches!(decode(b"", false, None), Err(Error::Empty)));
}

#[test]
fn windows_1251_russian_is_guessed_with_a_warning() {
    let text = "Россия и НАТО: переговоры о безопасности в Европе продолжатся на следующей неделе.";
    let bytes = encode(encoding_rs::WINDOWS_1251, text);
    let decoded = decode(&bytes, false, None).unwrap();
    assert_eq!(decoded.text, text);
    let warning = decoded.warning.expect("a guess warns");
    assert!(warning.message.contains("windows-1251"), "{warning}");
}

#[test]
fn windows_1252_is_guessed() {
    let text = "Café crème, naïve façade — déjà vu. Les élèves étaient très préoccupés.";
    let bytes = encode(encoding_rs::WINDOWS_1252, text);
    let decoded = decode(&bytes, false, None).unwrap();
    assert_eq!(decoded.text, text);
    assert!(decoded.warning.unwrap().message.contains("windows-1252"));
}

#[test]
fn shift_jis_is_guessed() {
    let text = "日本語のテキストです。これはシフトJISで書かれた文章の例です。東京は晴れています。";
    let bytes = encode(encoding_rs::SHIFT_JIS, text);
    let decoded = decode(&bytes, false, None).unwrap();
    assert_eq!(decoded.text, text);
    assert!(decoded.warning.unwrap().message.contains("Shift_JIS"));
}

#[test]
fn declared_charset_wins_over_guessing() {
    let bytes = encode(encoding_rs::WINDOWS_1251, "Привет");
    let decoded = decode(&bytes, false, Some("windows-1251")).unwrap();
    assert_eq!(decoded.text, "Привет");
    assert!(decoded.warning.is_none());
}

#[test]
fn utf16_with_bom_both_orders() {
    let text = "<p>Hello, мир</p>";
    let mut le = vec![0xff, 0xfe];
    let mut be = vec![0xfe, 0xff];
    for unit in text.encode_utf16() {
        le.extend(unit.to_le_bytes());
        be.extend(unit.to_be_bytes());
    }
    assert_eq!(decode(&le, true, None).unwrap().text, text);
    assert_eq!(decode(&be, true, None).unwrap().text, text);
}

#[test]
fn declared_utf16_without_bom_is_not_binary() {
    let bytes: Vec<u8> = "Hi, мир"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(
        decode(&bytes, false, Some("utf-16le")).unwrap().text,
        "Hi, мир"
    );
    // Undeclared, the NUL bytes of its ASCII part tell it (issue 11, point 18).
    let decoded = decode(&bytes, false, None).unwrap();
    assert_eq!(decoded.text, "Hi, мир");
    assert!(decoded.warning.unwrap().message.contains("UTF-16LE"));
}

#[test]
fn utf8_bom_is_stripped_and_beats_a_declared_charset() {
    let mut bytes = vec![0xef, 0xbb, 0xbf];
    bytes.extend("Grüße".as_bytes());
    let decoded = decode(&bytes, false, Some("windows-1252")).unwrap();
    assert_eq!(decoded.text, "Grüße");
    assert!(decoded.warning.is_none());
}

#[test]
fn meta_charset_is_used_for_html() {
    let mut bytes =
        b"<html><head><meta charset=\"windows-1251\"><title>x</title></head><body>".to_vec();
    bytes.extend(encode(encoding_rs::WINDOWS_1251, "Москва"));
    let decoded = decode(&bytes, true, None).unwrap();
    assert!(decoded.text.ends_with("<body>Москва"), "{}", decoded.text);
    assert!(decoded.warning.is_none());
    // The same bytes as text (no prescan) must be guessed.
    assert!(decode(&bytes, false, None).unwrap().warning.is_some());
}

#[test]
fn meta_charset_agreeing_with_utf8_changes_nothing() {
    let html = "<meta charset=utf-8><p>Ελληνικά</p>";
    let decoded = decode(html.as_bytes(), true, None).unwrap();
    assert_eq!(decoded.text, html);
    assert!(decoded.warning.is_none());
}

#[test]
fn http_equiv_content_type_is_used() {
    let mut bytes =
        b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"><p>".to_vec();
    bytes.extend(encode(encoding_rs::WINDOWS_1252, "señor"));
    assert!(decode(&bytes, true, None).unwrap().text.ends_with("señor"));
}

#[test]
fn invalid_utf8_declared_is_replaced_with_a_warning() {
    let bytes = b"abc \xff\xfe def";
    let decoded = decode(bytes, false, Some("utf-8")).unwrap();
    assert_eq!(decoded.text, "abc \u{fffd}\u{fffd} def");
    assert!(decoded.warning.is_some());
    // Undeclared, the bytes are not UTF-8: a guess, with a warning, and no panic.
    let guessed = decode(bytes, false, None).unwrap();
    assert!(guessed.text.starts_with("abc ") && guessed.text.ends_with(" def"));
    assert!(guessed.warning.is_some());
}

#[test]
fn binary_input_is_refused() {
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    png.extend([0u8; 64]);
    match decode(&png, true, None) {
        Err(Error::Binary(reason)) => assert!(reason.contains("NUL")),
        other => panic!("expected Binary, got {other:?}"),
    }
    let controls: Vec<u8> = (0..200u8).map(|i| i % 8 + 1).collect();
    assert!(matches!(
        decode(&controls, false, None),
        Err(Error::Binary(_))
    ));
}

#[test]
fn read_reports_the_guess_as_a_warning() {
    let bytes = encode(
        encoding_rs::WINDOWS_1251,
        "<p>Россия и НАТО: переговоры о безопасности в Европе продолжатся.</p>",
    );
    let reading = quire::read(
        &bytes,
        quire::InputFormat::Html,
        &quire::ReadOptions::default(),
    )
    .unwrap();
    assert!(reading
        .warnings
        .iter()
        .any(|w| w.message.contains("windows-1251")));
    assert_eq!(
        reading.document.blocks,
        vec![quire::Block::Paragraph(vec![quire::Inline::text(
            "Россия и НАТО: переговоры о безопасности в Европе продолжатся."
        )])]
    );
}

/// Reads `bytes` as `format` and gives the document's text as Markdown.
fn read_as_markdown(bytes: &[u8], format: quire::InputFormat) -> (String, Vec<String>) {
    let reading = quire::read(bytes, format, &quire::ReadOptions::default()).unwrap();
    let markdown = quire::write(
        &reading.document,
        quire::OutputFormat::Markdown,
        &quire::WriteOptions::default(),
    )
    .unwrap();
    (
        String::from_utf8(markdown.bytes).unwrap(),
        reading.warnings.into_iter().map(|w| w.message).collect(),
    )
}

const RUSSIAN: &str =
    "Россия и НАТО: переговоры о безопасности в Европе продолжатся на следующей неделе. ";

#[test]
fn one_stray_byte_in_utf8_cyrillic_keeps_it_utf8() {
    let text = RUSSIAN.repeat(70);
    assert!(text.len() > 10_000);
    let mut bytes = text.as_bytes().to_vec();
    // Between two characters, so the rest stays whole.
    let at = RUSSIAN.len() * 35;
    bytes.insert(at, 0xff);
    let decoded = decode(&bytes, false, None).unwrap();
    assert_eq!(decoded.text.matches('\u{fffd}').count(), 1);
    assert_eq!(decoded.text.replace('\u{fffd}', ""), text);
    let warning = decoded.warning.expect("the bad byte is told").message;
    assert!(warning.contains("1 invalid byte"), "{warning}");
    assert!(warning.contains(&format!("offset {at}")), "{warning}");
}

#[test]
fn a_latin1_accent_in_ascii_is_still_guessed() {
    let mut bytes = b"The menu of the small cafe said: ".repeat(20);
    bytes.extend(encode(encoding_rs::WINDOWS_1252, "caf\u{e9} cr\u{e8}me."));
    let decoded = decode(&bytes, false, None).unwrap();
    assert!(decoded.text.ends_with("café crème."), "{}", decoded.text);
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

fn utf32(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let bom = bom.then_some('\u{feff}');
    bom.into_iter()
        .chain(text.chars())
        .flat_map(|c| {
            if big_endian {
                (c as u32).to_be_bytes()
            } else {
                (c as u32).to_le_bytes()
            }
        })
        .collect()
}

const TEXT_INPUT: &str = "Rivers of the north\n\nThe river rose in the night, Россия.\n";
const HTML_INPUT: &str = "<html><head><title>Rivers</title></head><body><article><p>The river rose \
    in the night, and by morning the lower town was under water, Россия.</p></article></body></html>";

#[test]
fn utf16_without_bom_is_read_in_both_orders() {
    for big_endian in [false, true] {
        let (markdown, _) =
            read_as_markdown(&utf16(TEXT_INPUT, big_endian), quire::InputFormat::Text);
        assert!(
            markdown.contains("The river rose in the night, Россия."),
            "{markdown}"
        );
        let (markdown, _) =
            read_as_markdown(&utf16(HTML_INPUT, big_endian), quire::InputFormat::Html);
        assert!(
            markdown.contains("lower town was under water, Россия."),
            "{markdown}"
        );
    }
}

#[test]
fn utf32_is_read_with_and_without_bom_in_both_orders() {
    for big_endian in [false, true] {
        for bom in [true, false] {
            let case = format!("big-endian {big_endian}, BOM {bom}");
            let (markdown, warnings) = read_as_markdown(
                &utf32(TEXT_INPUT, big_endian, bom),
                quire::InputFormat::Text,
            );
            assert!(
                markdown.contains("The river rose in the night, Россия."),
                "{case}: {markdown}"
            );
            assert!(
                !warnings.iter().any(|w| w.contains("control")),
                "{case}: {warnings:?}"
            );
            let (markdown, _) = read_as_markdown(
                &utf32(HTML_INPUT, big_endian, bom),
                quire::InputFormat::Html,
            );
            assert!(
                markdown.contains("lower town was under water, Россия."),
                "{case}: {markdown}"
            );
            assert!(!markdown.contains("<p>"), "{case}: {markdown}");
        }
    }
}

#[test]
fn a_few_nul_bytes_in_text_are_removed_not_refused() {
    let (markdown, warnings) =
        read_as_markdown(b"Title\n\nSome\0 words\0.\n", quire::InputFormat::Text);
    assert!(markdown.contains("Some words."), "{markdown:?}");
    assert!(
        warnings.iter().any(|w| w.contains("control")),
        "{warnings:?}"
    );
}

/// A Chinese page as it is often saved: the bytes re-encoded as UTF-8, the old `<meta>` kept.
fn chinese_page(meta_charset: &str) -> String {
    format!(
        "<html><head><meta charset=\"{meta_charset}\"><title>天气</title></head>\
         <body><article><h1>北京今天的天气</h1><p>北京今天晴，气温二十度，空气质量良好。\
         市民纷纷走出家门，到公园散步。</p></article></body></html>"
    )
}

#[test]
fn utf8_bytes_win_over_a_meta_saying_gb2312() {
    let page = chinese_page("gb2312");
    let decoded = decode(page.as_bytes(), true, None).unwrap();
    assert_eq!(decoded.text, page, "read as GBK, the page is garbled");
    assert!(decoded.warning.is_none());
    assert_eq!(
        decoded.encoding,
        "UTF-8 (the bytes are valid UTF-8; the page's <meta> says gb2312)"
    );
}

#[test]
fn utf8_bytes_win_over_a_transport_saying_windows_1252() {
    let text = "Grüße aus Köln, schöne Straße.";
    let decoded = decode(text.as_bytes(), false, Some("windows-1252")).unwrap();
    assert_eq!(decoded.text, text);
    assert!(decoded
        .encoding
        .starts_with("UTF-8 (the bytes are valid UTF-8; the transport"));
}

#[test]
fn a_real_gb2312_page_still_decodes_as_gbk() {
    let page = chinese_page("gb2312");
    let bytes = encode(encoding_rs::GBK, &page);
    assert!(std::str::from_utf8(&bytes).is_err());
    let decoded = decode(&bytes, true, None).unwrap();
    assert_eq!(decoded.text, page);
    assert!(decoded.warning.is_none());
    assert_eq!(decoded.encoding, "GBK (the page's <meta> says gb2312)");
}

#[test]
fn a_windows_1252_page_with_e_acute_as_one_byte_stays_windows_1252() {
    let page = "<meta charset=windows-1252><p>Le café est fermé.</p>";
    let bytes = encode(encoding_rs::WINDOWS_1252, page);
    assert!(bytes.contains(&0xe9));
    let decoded = decode(&bytes, true, None).unwrap();
    assert_eq!(decoded.text, page);
    assert_eq!(
        decoded.encoding,
        "windows-1252 (the page's <meta> says windows-1252)"
    );
    // Declared by the transport instead, the same.
    let decoded = decode(&bytes, false, Some("windows-1252")).unwrap();
    assert_eq!(decoded.text, page);
}

#[test]
fn pure_ascii_keeps_the_declaration() {
    let page = "<meta charset=shift_jis><p>Plain ASCII.</p>";
    let decoded = decode(page.as_bytes(), true, None).unwrap();
    assert_eq!(decoded.text, page);
    assert_eq!(
        decoded.encoding,
        "Shift_JIS (the page's <meta> says shift_jis)"
    );
}

#[test]
fn explain_reports_the_encoding_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("page.html");
    std::fs::write(&input, chinese_page("gb2312")).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["convert", "--to", "txt", "-o", "-", "--explain"])
        .arg(&input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let explain = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("北京今天晴，气温二十度"), "{text}");
    assert!(
        explain
            .contains("encoding: UTF-8 (the bytes are valid UTF-8; the page's <meta> says gb2312)"),
        "{explain}"
    );
}

/// A page whose `<meta>` comes after more than 1024 bytes of scripts and links in its head,
/// as on the QA run's p14 (mix1.de's, at byte 1093); `title` and `body` follow it.
fn late_meta_page(meta: &str, title: &str, body: &str) -> String {
    let mut page = String::from("<!DOCTYPE html>\n<html lang=\"de\">\n<head>\n");
    while page.len() <= 1024 {
        page.push_str("<script async src=\"https://static.example.com/ads/loader.js\"></script>\n");
        page.push_str("<link rel=\"preconnect\" href=\"https://cdn.example.com\">\n");
    }
    page.push_str(&format!(
        "{meta}\n<title>{title}</title>\n</head>\n<body>{body}</body></html>"
    ));
    page
}

const LATIN1_META: &str =
    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">";
const GERMAN: &str = "<article><h1>Leslie Clio präsentiert »Brave New Woman«</h1><p>Zuvor hatte \
    die Sängerin ihre eigene Plattenfirma gegründet und in einem künstlerischen Prozess \
    einige ihrer schönsten Songs geschrieben.</p><p>Ein <a title=\"Kein DJ für eine \
    Nacht\" href=\"/shop\">Shirt</a>.</p></article>";

/// The page in windows-1252 but for one `für` in UTF-8 (a shop widget's title, as on p14):
/// valid multi-byte UTF-8 among Latin-1 bytes.
fn latin1_with_a_utf8_widget(page: &str) -> Vec<u8> {
    let (before, after) = page.split_once("Kein DJ für").unwrap();
    let mut bytes = encode(encoding_rs::WINDOWS_1252, before);
    bytes.extend("Kein DJ für".as_bytes());
    bytes.extend(encode(encoding_rs::WINDOWS_1252, after));
    bytes
}

#[test]
fn a_latin1_meta_past_the_first_1024_bytes_is_honoured() {
    let page = late_meta_page(LATIN1_META, "Leslie Clio präsentiert", GERMAN);
    assert!(page.find("<meta").unwrap() > 1024);
    let decoded = decode(latin1_with_a_utf8_widget(&page), true, None).unwrap();
    assert!(decoded
        .text
        .contains("<title>Leslie Clio präsentiert</title>"));
    assert!(decoded
        .text
        .contains("die Sängerin ihre eigene Plattenfirma gegründet"));
    assert!(!decoded.text.contains('\u{fffd}'), "{}", decoded.text);
    // As in a browser: the widget's UTF-8 reads as windows-1252, and it is not the text.
    assert!(decoded.text.contains("Kein DJ fÃ¼r"));
    assert!(decoded.warning.is_none(), "{:?}", decoded.warning);
    assert_eq!(
        decoded.encoding,
        "windows-1252 (the page's <meta>, past its first 1024 bytes, says iso-8859-1)"
    );
}

#[test]
fn a_windows_1251_meta_past_the_first_1024_bytes_is_honoured() {
    let page = late_meta_page(
        "<meta charset=\"windows-1251\">",
        "Новости",
        "<article><p>Москва, пятница.</p></article>",
    );
    let decoded = decode(encode(encoding_rs::WINDOWS_1251, &page), true, None).unwrap();
    assert_eq!(decoded.text, page);
    // Declared, not guessed: no warning.
    assert!(decoded.warning.is_none(), "{:?}", decoded.warning);
    assert!(decoded
        .encoding
        .starts_with("windows-1251 (the page's <meta>, past"));
    // And through the reader, as `quire convert` reads it.
    let (markdown, warnings) = read_as_markdown(
        &encode(encoding_rs::WINDOWS_1251, &page),
        quire::InputFormat::Html,
    );
    assert!(markdown.contains("Москва, пятница."), "{markdown}");
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn a_late_meta_loses_to_the_transport_and_to_a_bom_and_is_not_read_in_text() {
    let page = late_meta_page("<meta charset=\"windows-1251\">", "Ceska", "<p>Český</p>");
    let bytes = encode(encoding_rs::WINDOWS_1250, &page);
    let decoded = decode(&bytes, true, Some("windows-1250")).unwrap();
    assert_eq!(decoded.text, page);
    let page = late_meta_page(LATIN1_META, "Grüße", "<p>Grüße</p>");
    let mut bytes = vec![0xef, 0xbb, 0xbf];
    bytes.extend(page.as_bytes());
    assert_eq!(decode(&bytes, true, None).unwrap().text, page);
    // Not HTML: no meta is looked for, late or early.
    let bytes = encode(
        encoding_rs::WINDOWS_1251,
        &late_meta_page(
            "<meta charset=\"koi8-r\">",
            "Новости",
            "<p>Россия и НАТО: переговоры о безопасности в Европе продолжатся.</p>",
        ),
    );
    let decoded = decode(&bytes, false, None).unwrap();
    assert!(decoded.text.contains("Россия и НАТО"), "{}", decoded.text);
}

#[test]
fn a_meta_after_the_head_is_not_a_late_declaration() {
    // Past `</head>` it is not honoured (nor is one inside a comment): the text is guessed.
    let page = late_meta_page(
        "<!-- <meta charset=\"koi8-r\"> -->",
        "Новости",
        "<meta charset=\"koi8-r\"><p>Россия и НАТО: переговоры о безопасности в Европе \
         продолжатся на следующей неделе.</p>",
    );
    let decoded = decode(encode(encoding_rs::WINDOWS_1251, &page), true, None).unwrap();
    assert_eq!(decoded.text, page);
    assert!(decoded.encoding.contains("guessed"), "{}", decoded.encoding);
}

#[test]
fn an_undeclared_latin1_page_with_a_utf8_widget_is_guessed_not_replaced() {
    // No declaration at all: one valid UTF-8 `für` among a dozen Latin-1 accents is not
    // UTF-8 with stray bytes, but Latin-1 (guessed as windows-1252).
    let page = late_meta_page("", "Leslie Clio präsentiert", GERMAN);
    let decoded = decode(latin1_with_a_utf8_widget(&page), true, None).unwrap();
    assert!(!decoded.text.contains('\u{fffd}'), "{}", decoded.text);
    assert!(decoded
        .text
        .contains("die Sängerin ihre eigene Plattenfirma gegründet"));
    assert!(
        decoded.encoding.starts_with("windows-1252 (guessed"),
        "{}",
        decoded.encoding
    );
    assert!(decoded.warning.is_some());
}

#[test]
fn valid_utf8_keeps_utf8_over_a_late_wrong_declaration() {
    // The choice: valid UTF-8 with multi-byte characters is read as UTF-8 whatever a late
    // `<meta>` says, as it is over an early one (`utf8_bytes_win_over_a_meta_saying_gb2312`);
    // a page saved as UTF-8 that kept its old declaration should not come out garbled.
    let page = late_meta_page(
        LATIN1_META,
        "Grüße aus Köln",
        "<p>Schöne Straße, süße Äpfel.</p>",
    );
    let decoded = decode(page.as_bytes(), true, None).unwrap();
    assert_eq!(decoded.text, page);
    assert!(decoded.warning.is_none());
    assert!(decoded
        .encoding
        .starts_with("UTF-8 (the bytes are valid UTF-8"));
}

#[test]
fn a_late_iso_2022_jp_meta_is_honoured_on_7_bit_bytes() {
    // ISO-2022-JP is 7-bit, so valid UTF-8: only its escapes tell it.
    let page = late_meta_page(
        "<meta charset=\"iso-2022-jp\">",
        "東京",
        "<p>東京は晴れています。</p>",
    );
    let bytes = encode(encoding_rs::ISO_2022_JP, &page);
    assert!(bytes.is_ascii() && bytes.contains(&0x1b));
    let decoded = decode(&bytes, true, None).unwrap();
    assert_eq!(decoded.text, page);
}
