//! Which URLs the HTML may carry, and in what form.

use std::fmt::Write as _;

use crate::xml::is_xml_char;

pub use crate::model::url::UrlUse;

/// The URL made safe to write, or `None` when it must not be written: empty, or refused by
/// the one URL policy ([`crate::model::url::is_allowed`]). Characters that make a URL
/// invalid (spaces, quotes, controls) are percent-encoded.
pub fn safe_url(url: &str, usage: UrlUse) -> Option<String> {
    // Browsers drop tabs and newlines anywhere in a URL and trim C0 controls and spaces at
    // its ends, so "java\tscript:" is "javascript:": judge the URL as they will read it.
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if cleaned.is_empty() {
        return None;
    }
    let scheme_end = cleaned.find(':');
    let path_start = cleaned.find(['/', '?', '#']);
    let scheme = match (scheme_end, path_start) {
        (Some(colon), Some(slash)) if slash < colon => None,
        (Some(colon), _) => Some(cleaned[..colon].to_ascii_lowercase()),
        (None, _) => None,
    };
    if !crate::model::url::is_allowed(&cleaned, usage) {
        return None;
    }
    // A colon before any `/?#` after something that is no scheme (`<b>]]>x:y`): the policy
    // reads it as a relative path, but a relative path may not hold a colon in its first
    // segment, so no way of writing it is a valid URL. It is junk: leave it out.
    let scheme_syntax = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    };
    if scheme.as_deref().is_some_and(|s| !scheme_syntax(s)) {
        return None;
    }
    // Where the authority (`//host:port`) ends: `[` and `]` are legal only inside it.
    let after_scheme = scheme.as_ref().map_or(0, |s| s.len() + 1);
    let authority_end = match cleaned.get(after_scheme..) {
        Some(rest) if rest.starts_with("//") => {
            after_scheme + 2 + rest[2..].find(['/', '?', '#']).unwrap_or(rest.len() - 2)
        }
        _ => after_scheme,
    };
    let mut out = String::with_capacity(cleaned.len());
    let mut seen_hash = false;
    for (index, c) in cleaned.char_indices() {
        let encode = match c {
            ' ' | '"' | '<' | '>' | '`' | '{' | '}' | '|' | '\\' | '^' => true,
            '[' | ']' => index >= authority_end,
            // A fragment cannot hold a second `#`.
            '#' => std::mem::replace(&mut seen_hash, true),
            // A `%` must start an escape.
            '%' => !cleaned
                .get(index + 1..index + 3)
                .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit())),
            c => c.is_control() || !is_xml_char(c),
        };
        if encode {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

pub(super) fn shorten(url: &str) -> String {
    let short: String = url.chars().take(60).collect();
    if short.len() < url.len() {
        format!("{short}…")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_judged_as_browsers_read_them() {
        assert_eq!(safe_url(" java\tscript:alert(1)", UrlUse::Link), None);
        assert_eq!(safe_url("JavaScript:alert(1)", UrlUse::Link), None);
        assert_eq!(safe_url("\u{1}vbscript:x", UrlUse::Link), None);
        // Found by the Nu checker proptest: a colon after no scheme is no URL at all.
        assert_eq!(safe_url("<script>]]>javascript:]]>", UrlUse::Image), None);
        assert_eq!(safe_url("\"']]>javascript:", UrlUse::Image), None);
        assert_eq!(safe_url("on]]>&javascript:\u{0}", UrlUse::Link), None);
        assert_eq!(
            safe_url("C:\\images\\a.png", UrlUse::Image).as_deref(),
            Some("C:%5Cimages%5Ca.png")
        );
        assert_eq!(safe_url("data:image/png;base64,AAA", UrlUse::Link), None);
        assert_eq!(
            safe_url("data:image/png;base64,AAA", UrlUse::Image).as_deref(),
            Some("data:image/png;base64,AAA")
        );
        assert_eq!(safe_url("data:image/svg+xml,<svg/>", UrlUse::Image), None);
        assert_eq!(safe_url("data:text/html,x", UrlUse::Image), None);
        assert_eq!(
            safe_url("a b/c:d", UrlUse::Link).as_deref(),
            Some("a%20b/c:d")
        );
        assert_eq!(
            safe_url("https://x.org/a?q=\"1\"", UrlUse::Link).as_deref(),
            Some("https://x.org/a?q=%221%22")
        );
        assert_eq!(
            safe_url("https://[::1]:8080/a[1]?b=50%#c#d", UrlUse::Link).as_deref(),
            Some("https://[::1]:8080/a%5B1%5D?b=50%25#c%23d")
        );
        assert_eq!(
            safe_url("x%2Fy%zz", UrlUse::Link).as_deref(),
            Some("x%2Fy%25zz")
        );
    }
}
