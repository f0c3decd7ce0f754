//! A page that sends its reader on to another: `<meta http-equiv="refresh" content="0;
//! url=…">`. Redirect stubs of moved pages and link shorteners (t.co answers a client that is
//! no browser with one) say where the page is this way, not with an HTTP redirect.

use memchr::memmem;

/// The longest wait (seconds) of a refresh that is a redirect: a stub moves on at once or
/// after a notice of a few seconds; a page that reloads itself every few minutes is a page.
const MOST_SECONDS: f64 = 5.0;

/// How far into a page its `<head>` is looked for: the tag is in the head, which a page may
/// fill with styles and scripts first.
const HEAD_BYTES: usize = 64 * 1024;

/// Where a refresh's `content` ("0; url=/new", "3;URL='/new'") sends the reader, when it
/// does so within [`MOST_SECONDS`]; `None` for a reload of the page itself (no URL).
pub fn refresh_target(content: &str) -> Option<String> {
    let content = content.trim();
    let digits = content
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(content.len());
    let seconds: f64 = content[..digits].parse().ok()?;
    if seconds > MOST_SECONDS {
        return None;
    }
    let rest =
        content[digits..].trim_start_matches(|c: char| c.is_whitespace() || c == ';' || c == ',');
    let url = match rest.get(..3) {
        Some(label) if label.eq_ignore_ascii_case("url") => {
            rest[3..].trim_start().strip_prefix('=')?.trim_start()
        }
        _ => rest,
    };
    // A quoted URL ends at its quote; an unquoted one is the rest.
    let url = match url.chars().next() {
        Some(quote @ ('"' | '\'')) => url[1..].split(quote).next().unwrap_or(""),
        _ => url,
    };
    let url = url.trim();
    (!url.is_empty()).then(|| url.to_string())
}

/// The target of a refresh in the head of a page's bytes, read without parsing the page (a
/// fetch looks before the page is read): the first `<meta>` whose `http-equiv` is `refresh`,
/// outside a `<noscript>` (a page that sends browsers without scripts to a "please enable
/// JavaScript" page has the article where it is).
pub fn refresh_in_head(html: &[u8]) -> Option<String> {
    let head = &html[..html.len().min(HEAD_BYTES)];
    let lower = head.to_ascii_lowercase();
    let body_at = memmem::find(&lower, b"<body").unwrap_or(lower.len());
    for at in memmem::find_iter(&lower[..body_at], b"http-equiv") {
        let Some(start) = memchr::memrchr(b'<', &lower[..at]) else {
            continue;
        };
        let Some(length) = memchr::memchr(b'>', &lower[at..]) else {
            break;
        };
        let in_noscript = memmem::rfind(&lower[..start], b"<noscript")
            .is_some_and(|open| memmem::find(&lower[open..start], b"</noscript").is_none());
        if in_noscript {
            continue;
        }
        let tag = String::from_utf8_lossy(&head[start..at + length]);
        if !tag
            .get(..5)
            .is_some_and(|t| t.eq_ignore_ascii_case("<meta"))
        {
            continue;
        }
        let attributes = super::tag::start_tag_attributes(&tag);
        let value = |name: &str| {
            attributes
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        if value("http-equiv").is_some_and(|v| v.trim().eq_ignore_ascii_case("refresh")) {
            return value("content")
                .and_then(refresh_target)
                .map(|url| crate::xml::decode_entities(&url));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_content_gives_its_target_when_it_moves_on_soon() {
        for (content, target) in [
            (
                "0; url=https://example.com/new",
                Some("https://example.com/new"),
            ),
            ("0;URL='/moved?a=1'", Some("/moved?a=1")),
            ("0;URL=\"ch18-00-oop.html\"", Some("ch18-00-oop.html")),
            ("3, url = next.html", Some("next.html")),
            ("0; https://t.example/x", Some("https://t.example/x")),
            ("1.5;url=next.html", Some("next.html")),
            // A reload of the page itself, or one every few minutes, is no redirect.
            ("0", None),
            ("300; url=https://example.com/", None),
            ("soon; url=x.html", None),
            ("0; url=", None),
        ] {
            assert_eq!(refresh_target(content).as_deref(), target, "{content}");
        }
    }

    #[test]
    fn a_refresh_in_the_head_is_found_without_parsing_the_page() {
        let stub = br#"<!DOCTYPE html><html><head><title>Redirecting...</title>
            <META HTTP-EQUIV=Refresh CONTENT="0; URL=/new?a=1&amp;b=2"></head>
            <body><p>Moved.</p></body></html>"#;
        assert_eq!(refresh_in_head(stub).as_deref(), Some("/new?a=1&b=2"));
        let language = br#"<html><head><meta http-equiv="content-language" content="de">
            <meta content='0;url=next.html' http-equiv='refresh'/></head></html>"#;
        assert_eq!(refresh_in_head(language).as_deref(), Some("next.html"));
        // One in the body is the page's text about it, and no tag is no refresh.
        let body = br#"<html><head></head><body><code>&lt;meta http-equiv="refresh" content="0; url=x"&gt;</code>
            <meta http-equiv="refresh" content="0; url=x"></body></html>"#;
        assert_eq!(refresh_in_head(body), None);
        assert_eq!(refresh_in_head(b"<p>http-equiv</p>"), None);
        // For browsers without scripts only: quire reads the page it has.
        let noscript = br#"<html><head><noscript><meta http-equiv="refresh" content="0; url=/nojs">
            </noscript><title>Article</title></head><body><p>Text.</p></body></html>"#;
        assert_eq!(refresh_in_head(noscript), None);
        let after = br#"<html><head><noscript><style>p{}</style></noscript>
            <meta http-equiv="refresh" content="0; url=/moved"></head></html>"#;
        assert_eq!(refresh_in_head(after).as_deref(), Some("/moved"));
    }
}
