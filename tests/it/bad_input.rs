//! Inputs that must never make quire panic: each gives a good output or a clear error that
//! names the file (issue: invalid UTF-8, empty, binary, 10,000-level-deep HTML). Also the
//! language detection that fills `meta.language` when the input does not state it.

use assert_cmd::Command;
use quire::{InputFormat, ReadOptions};
use std::fs;

/// Runs `quire convert FILE --to txt -o DIR` and returns (exit code, stderr, output text).
fn convert(name: &str, bytes: &[u8]) -> (i32, String, Option<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join(name);
    fs::write(&input, bytes).expect("write input");
    let out = dir.path().join("out");
    let assert = Command::cargo_bin("quire")
        .expect("binary")
        .arg("convert")
        .arg(&input)
        .args(["--to", "txt", "-o"])
        .arg(format!("{}/", out.display()))
        .assert();
    let output = assert.get_output();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !stderr.contains("panicked"),
        "{name}: quire panicked: {stderr}"
    );
    let stem = name.split('.').next().unwrap_or(name);
    let text = fs::read_to_string(out.join(format!("{stem}.txt"))).ok();
    (output.status.code().unwrap_or(-1), stderr, text)
}

#[test]
fn empty_file_is_a_clear_error_naming_it() {
    for name in ["empty.txt", "empty.html", "empty.md", "empty.json"] {
        let (code, stderr, text) = convert(name, b"");
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(
            stderr.contains(name) && stderr.contains("empty"),
            "{name}: {stderr}"
        );
        assert!(
            text.is_none(),
            "{name}: no output is written for a failed input"
        );
    }
}

#[test]
fn binary_file_is_a_clear_error_naming_it() {
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(std::iter::repeat_n(0u8, 4096));
    for name in ["picture.txt", "picture.html", "picture.md"] {
        let (code, stderr, _) = convert(name, &png);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(
            stderr.contains(name) && stderr.contains("binary"),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn invalid_utf8_still_converts_with_the_good_text_kept() {
    let bytes = b"A title\n\nCaf\xe9 au lait \xff\xfe and the rest of a sentence that is fine.\n";
    let (code, stderr, text) = convert("latin.txt", bytes);
    assert_eq!(code, 0, "{stderr}");
    let text = text.expect("an output");
    assert!(text.contains("A title"), "{text}");
    assert!(
        text.contains("and the rest of a sentence that is fine."),
        "{text}"
    );
}

#[test]
fn ten_thousand_levels_of_html_nesting_convert() {
    let depth = 10_000;
    let html = format!(
        "<!DOCTYPE html><title>Deep</title><body>{}<p>The innermost words.</p>{}</body>",
        "<div>".repeat(depth),
        "</div>".repeat(depth)
    );
    let (code, stderr, text) = convert("deep.html", html.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    assert!(text.expect("an output").contains("The innermost words."));
}

#[test]
fn malformed_json_is_a_clear_error_naming_it() {
    let (code, stderr, _) = convert("model.json", b"{\"blocks\": [ {\"type\": \"para");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("model.json") && stderr.contains("JSON"),
        "{stderr}"
    );
}

#[test]
fn language_is_detected_when_the_input_does_not_say() {
    let read = |text: &str, format| {
        quire::read(text.as_bytes(), format, &ReadOptions::default())
            .expect("reads")
            .document
            .meta
            .language
            .clone()
    };
    let russian =
        "Заголовок\n\nВ субботу в городе открылась библиотека инструментов: жители теперь \
                   могут бесплатно взять на время дрель, лестницу или садовый секатор.";
    assert_eq!(read(russian, InputFormat::Text).as_deref(), Some("ru"));
    let english = "# Title\n\nThe harbour wall will be rebuilt before winter, the council said on \
                   Tuesday, after storms damaged it badly in January.";
    assert_eq!(read(english, InputFormat::Markdown).as_deref(), Some("en"));
    // What the input states wins over the guess.
    let stated = "<html lang=\"de\"><body><p>The harbour wall will be rebuilt before winter, \
                  the council said on Tuesday.</p></body></html>";
    assert_eq!(read(stated, InputFormat::Html).as_deref(), Some("de"));
    // Too little text to tell: no guess.
    assert_eq!(read("Hi", InputFormat::Text), None);
}
