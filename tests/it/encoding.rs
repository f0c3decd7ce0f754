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
    assert!(matches!(decode(&bytes, false, None), Err(Error::Binary(_))));
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
