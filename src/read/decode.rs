//! Turning input bytes into text: BOMs, declared charsets, detection for legacy pages.
//!
//! The order is the one browsers use: a byte order mark wins; then the charset the transport
//! declared; then, for HTML, a `<meta>` prescan of the first 1024 bytes; then valid UTF-8 is
//! taken as is; only then is the encoding guessed (chardetng), with a warning. Binary data is
//! refused before any of that, so a PNG never turns into a page of mojibake.

use crate::error::{Error, Result, Warning};
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// Decoded input text, with a warning when the encoding had to be guessed.
#[derive(Debug)]
pub struct Decoded {
    pub text: String,
    pub warning: Option<Warning>,
}

/// How many leading bytes the binary check looks at.
const BINARY_SNIFF_LEN: usize = 8 * 1024;
/// How many leading bytes the `<meta charset>` prescan looks at (the HTML standard's figure).
const META_PRESCAN_LEN: usize = 1024;
/// The share of control bytes above which input is taken for binary data.
const MAX_CONTROL_SHARE: f64 = 0.1;

/// Decodes input. `html` enables the `<meta charset>` prescan; `declared` is a charset from
/// the transport (HTTP header). Binary input is refused.
///
/// Given owned bytes (a `Vec<u8>`) that are valid UTF-8, the text takes them over instead of
/// copying them: on a large input that is one whole copy fewer at the peak.
pub fn decode<'a>(
    bytes: impl Into<Cow<'a, [u8]>>,
    html: bool,
    declared: Option<&str>,
) -> Result<Decoded> {
    let input = bytes.into();
    if let Some((encoding, skip)) = known_encoding(&input, html, declared)? {
        return Ok(decode_with(encoding, input, skip));
    }
    let input = match take_utf8(input) {
        Ok(text) => {
            return Ok(Decoded {
                text,
                warning: None,
            })
        }
        Err(input) => input,
    };
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(&input, true);
    let encoding = detector.guess(None, Utf8Detection::Allow);
    let (text, _) = encoding.decode_without_bom_handling(&input);
    Ok(Decoded {
        text: text.into_owned(),
        warning: Some(Warning::new(format!(
            "the input declares no character encoding and is not UTF-8; guessed {}",
            encoding.name()
        ))),
    })
}

/// The encoding that the input names, and how many leading bytes (a byte order mark) to
/// skip: a byte order mark, the transport's charset, or (for HTML) a `<meta>` charset.
/// Refuses empty and binary input first.
fn known_encoding(
    bytes: &[u8],
    html: bool,
    declared: Option<&str>,
) -> Result<Option<(&'static Encoding, usize)>> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        if encoding != UTF_16LE && encoding != UTF_16BE {
            check_not_binary(body)?;
        }
        return Ok(Some((encoding, bom_len)));
    }
    let declared = declared.and_then(|label| Encoding::for_label(label.trim().as_bytes()));
    if let Some(encoding) = declared {
        // UTF-16 without a BOM is full of NUL bytes; the declaration vouches for it.
        if encoding != UTF_16LE && encoding != UTF_16BE {
            check_not_binary(bytes)?;
        }
        return Ok(Some((encoding, 0)));
    }
    check_not_binary(bytes)?;
    if html {
        if let Some(encoding) = prescan_meta_charset(bytes) {
            return Ok(Some((encoding, 0)));
        }
    }
    Ok(None)
}

/// The input as a `String` if it is valid UTF-8 (owned bytes are taken over, not copied);
/// else the input back.
fn take_utf8(input: Cow<'_, [u8]>) -> std::result::Result<String, Cow<'_, [u8]>> {
    match input {
        Cow::Owned(bytes) => String::from_utf8(bytes).map_err(|e| Cow::Owned(e.into_bytes())),
        Cow::Borrowed(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_string()),
            Err(_) => Err(Cow::Borrowed(bytes)),
        },
    }
}

/// Decodes with a known encoding after skipping `skip` bytes (a byte order mark); malformed
/// sequences become U+FFFD, with a warning.
fn decode_with(encoding: &'static Encoding, input: Cow<'_, [u8]>, skip: usize) -> Decoded {
    let input = match input {
        Cow::Owned(mut bytes) => {
            bytes.drain(..skip.min(bytes.len()));
            Cow::Owned(bytes)
        }
        Cow::Borrowed(bytes) => Cow::Borrowed(bytes.get(skip..).unwrap_or_default()),
    };
    let input = if encoding == UTF_8 {
        match take_utf8(input) {
            Ok(text) => {
                return Decoded {
                    text,
                    warning: None,
                }
            }
            Err(input) => input,
        }
    } else {
        input
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(&input);
    let warning = had_errors.then(|| {
        Warning::new(format!(
            "the input has bytes that are not valid {}; they were replaced with U+FFFD",
            encoding.name()
        ))
    });
    Decoded {
        text: text.into_owned(),
        warning,
    }
}

/// Refuses data that is not text: NUL bytes early on (text in an ASCII-compatible encoding
/// never has them; UTF-16 was handled by its BOM), or many control characters.
fn check_not_binary(bytes: &[u8]) -> Result<()> {
    let head = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    if head.contains(&0) {
        return Err(Error::Binary(format!(
            "NUL bytes in the first {} KB",
            BINARY_SNIFF_LEN / 1024
        )));
    }
    // Tab, LF, FF, CR and ESC (ISO-2022 escapes) appear in text; other C0 controls do not.
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | 0x1b))
        .count();
    if !head.is_empty() && controls as f64 / head.len() as f64 > MAX_CONTROL_SHARE {
        return Err(Error::Binary(format!(
            "{controls} control characters in the first {} bytes",
            head.len()
        )));
    }
    Ok(())
}

/// Finds a charset declared by a `<meta charset>` or `<meta http-equiv="content-type"
/// content="…; charset=…">` in the first 1024 bytes. As the HTML standard says, a declared
/// UTF-16 means UTF-8 (a real UTF-16 page has a BOM) and x-user-defined means windows-1252.
fn prescan_meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = bytes[..bytes.len().min(META_PRESCAN_LEN)].to_ascii_lowercase();
    let mut rest = head.as_slice();
    while let Some(start) = find(rest, b"<meta") {
        let tag = &rest[start + 5..];
        let end = tag.iter().position(|&b| b == b'>').unwrap_or(tag.len());
        let tag = &tag[..end];
        if let Some(label) = charset_in(tag) {
            if let Some(encoding) = Encoding::for_label(label) {
                return Some(if encoding == UTF_16LE || encoding == UTF_16BE {
                    UTF_8
                } else if encoding.name() == "x-user-defined" {
                    WINDOWS_1252
                } else {
                    encoding
                });
            }
        }
        rest = &rest[start + 5 + end..];
    }
    None
}

/// The value after `charset=` inside a (lower-cased) meta tag, if any.
fn charset_in(tag: &[u8]) -> Option<&[u8]> {
    let mut rest = tag;
    while let Some(at) = find(rest, b"charset") {
        let after = &rest[at + 7..];
        let after = trim_start_ascii(after);
        if let Some(value) = after.strip_prefix(b"=") {
            let value = trim_start_ascii(value);
            let value = value
                .strip_prefix(b"\"")
                .or_else(|| value.strip_prefix(b"'"))
                .unwrap_or(value);
            let len = value
                .iter()
                .position(|&b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b <= b' ')
                .unwrap_or(value.len());
            if len > 0 {
                return Some(&value[..len]);
            }
        }
        rest = after;
    }
    None
}

fn trim_start_ascii(bytes: &[u8]) -> &[u8] {
    let skip = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[skip..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prescan_reads_both_meta_forms() {
        assert_eq!(
            prescan_meta_charset(b"<html><meta charset=\"windows-1251\">"),
            Some(encoding_rs::WINDOWS_1251)
        );
        assert_eq!(
            prescan_meta_charset(
                b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=Shift_JIS'>"
            ),
            Some(encoding_rs::SHIFT_JIS)
        );
        assert_eq!(prescan_meta_charset(b"<meta charset=utf-16>"), Some(UTF_8));
        assert_eq!(prescan_meta_charset(b"<meta name=x content=y>"), None);
    }

    #[test]
    fn control_characters_mean_binary() {
        let bytes: Vec<u8> = (0..100u8)
            .map(|i| if i % 3 == 0 { 1 } else { b'a' })
            .collect();
        assert!(matches!(check_not_binary(&bytes), Err(Error::Binary(_))));
        assert!(check_not_binary(b"plain\ttext\r\n").is_ok());
    }
}
