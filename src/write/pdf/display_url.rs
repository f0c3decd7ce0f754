//! A URL as a reader is shown it (the source line under the title): percent-escapes of
//! non-ASCII characters decoded, as a browser's address bar shows them, so an Arabic or
//! Russian address reads as words and not as lines of `%D8%A7`. Only the text shown changes:
//! a link keeps the URL as it is.
//!
//! What could mislead stays escaped, as browsers keep it: every ASCII character (a decoded
//! `%2F` or `%3F` would read as a path or query separator, `%20` as the end of the address,
//! `%25` as the start of another escape), spaces and line separators of any script,
//! controls, and characters that draw nothing or reorder what follows (bidi controls and
//! marks, zero-width characters, Hangul fillers). Bytes that do not make UTF-8 (a page that
//! escaped Latin-1) stay escaped too.

use super::fonts::is_invisible;

/// `url` with the escapes a reader may be shown decoded; everything else as written.
pub(crate) fn display_url(url: &str) -> String {
    let bytes = url.as_bytes();
    let is_escape = |at: usize| {
        bytes.get(at) == Some(&b'%')
            && bytes.get(at + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(at + 2).is_some_and(u8::is_ascii_hexdigit)
    };
    let mut out = String::with_capacity(url.len());
    let mut at = 0;
    while at < url.len() {
        // A run of escapes is decoded as a whole: one character's bytes are escaped
        // one by one.
        let start = at;
        while is_escape(at) {
            at += 3;
        }
        if at > start {
            push_decoded(&url[start..at], &mut out);
        } else if let Some(c) = url[at..].chars().next() {
            out.push(c);
            at += c.len_utf8();
        }
    }
    out
}

/// A run of `%XX` escapes: each character its bytes make decoded if it may be shown so,
/// else its escapes as written (so are bytes that are not UTF-8).
fn push_decoded(run: &str, out: &mut String) {
    let bytes: Vec<u8> = percent_encoding::percent_decode(run.as_bytes()).collect();
    // Each decoded byte is three characters of `run`.
    let written = |from: usize, to: usize| &run[from * 3..to * 3];
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            let next = at + c.len_utf8();
            if shown_decoded(c) {
                out.push(c);
            } else {
                out.push_str(written(at, next));
            }
            at = next;
        }
        let next = at + chunk.invalid().len();
        out.push_str(written(at, next));
        at = next;
    }
}

/// Whether a decoded character may stand in the shown address for its escapes.
fn shown_decoded(c: char) -> bool {
    use unicode_bidi::BidiClass::{B, BN, FSI, LRE, LRI, LRO, PDF, PDI, RLE, RLI, RLO, S, WS};
    !(c.is_ascii()
        || c.is_whitespace()
        || is_invisible(c)
        || matches!(
            unicode_bidi::bidi_class(c),
            B | S | WS | BN | LRE | RLE | LRO | RLO | PDF | LRI | RLI | FSI | PDI
        )
        // The Arabic letter mark, and Hangul fillers (letters that draw nothing).
        || matches!(c, '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_letters_are_decoded_and_what_could_mislead_is_not() {
        // An Arabic path, as assabah.com.tn writes it.
        assert_eq!(
            display_url(
                "http://www.assabah.com.tn/article/164913/%D8%A7%D9%84%D9%86%D8%A7%D8%B4%D8%B7-x"
            ),
            "http://www.assabah.com.tn/article/164913/الناشط-x"
        );
        // Lowercase hex, Cyrillic, and letters already written as themselves.
        assert_eq!(
            display_url("https://ru.example/%d0%bd%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8/мир"),
            "https://ru.example/новости/мир"
        );
        // ASCII stays escaped: separators, the percent sign, spaces, controls.
        for kept in ["a%2Fb", "a%3Fb%23c%26d", "100%25", "a%20b", "a%0Ab", "a%41"] {
            assert_eq!(display_url(kept), kept);
        }
        // Spaces, bidi controls and invisible characters of other scripts stay escaped
        // (no-break space, right-to-left override, isolate, zero-width space, soft hyphen,
        // Arabic letter mark, ideographic space), around decoded letters.
        for (url, shown) in [
            ("x/%C3%A9%C2%A0%C3%A9", "x/é%C2%A0é"),
            ("x/%E2%80%AEfdp.exe", "x/%E2%80%AEfdp.exe"),
            ("x/%E2%81%A6a%E2%81%A9", "x/%E2%81%A6a%E2%81%A9"),
            ("x/%E2%80%8B%C2%AD%D8%9C", "x/%E2%80%8B%C2%AD%D8%9C"),
            ("x/%E3%80%80", "x/%E3%80%80"),
        ] {
            assert_eq!(display_url(url), shown);
        }
        // Not UTF-8 (Latin-1 "é"), a cut sequence, and broken escapes: as written.
        for kept in ["x/caf%E9", "x/%D8%A", "x/%D8", "x/%%ZZ%", "x/%E2%82", "%"] {
            assert_eq!(display_url(kept), kept);
        }
        // A valid character after bytes that are not UTF-8 is still decoded.
        assert_eq!(display_url("x/%FF%C3%A9"), "x/%FFé");
    }
}
