//! The one URL policy: which URLs a document may hold and a writer may write.
//!
//! Every reader's document passes through it (see `read::sanitize`), and every writer that
//! writes URLs asks it again (a document built in code has not been read): the HTML writer
//! (and EPUB, built on it) before an `href` or `src`, the Markdown writer before a link or an
//! image, the PDF writer and the EPUB sources list before a link to the outside
//! ([`is_external_link`]). So no writer can emit a URL that runs script, whatever its own
//! escaping does. Allowed: `http`, `https`, `mailto`, `tel` and `ftp`, relative references
//! and fragments, and (for images only) `data:` PNG, JPEG, GIF and WebP images. Everything
//! else (`javascript:`, `vbscript:`, `data:` links, SVG and other `data:` images, `file:`,
//! unknown schemes) is refused.
//!
//! `ftp` is allowed because it only retrieves a file: it can run nothing, and old articles link
//! to FTP archives, so dropping it would lose a link for no safety. SVG `data:` images are
//! refused because an SVG is a document that can carry script; other `data:` types are not
//! pictures any writer can show or embed. `tel` is allowed because phones, e-readers and PDF
//! viewers hand it to a dialler: it can run nothing either.

/// What a URL is used for: a link may go to fewer places than an image may come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlUse {
    /// Something followed: a link's target, a document's source or canonical URL.
    Link,
    /// Something loaded as an image: an image's `src`, a lead image.
    Image,
}

/// The schemes a link or image may have.
const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "ftp"];

/// The media types a `data:` image may have: raster pictures every writer can show or embed.
const DATA_IMAGE_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/jpg",
    "image/gif",
    "image/webp",
];

/// Whether the model may hold `url` for `use_`. Looks at the URL more strictly than a browser
/// would: the scheme's case does not matter, and whitespace and control characters anywhere
/// before the first `/`, `?` or `#` are ignored (a browser ignores tabs and line breaks there,
/// and some other program might drop the rest), so `" Java\tScript:"` and `"java script:"`
/// are both `javascript:` URLs.
pub fn is_allowed(url: &str, use_: UrlUse) -> bool {
    let cleaned = browser_view(url);
    let Some(scheme) = scheme_of(&cleaned) else {
        // A relative reference (a path, `?query`, `#fragment`, `//host/path`) or empty. A
        // colon before any `/`, `?` or `#` after something that is no scheme
        // (`icu_calendar::Date`, a rustdoc path written as a link) makes no URL at all: a
        // relative path may not hold one in its first segment.
        return !cleaned.contains(':');
    };
    let scheme = scheme.to_ascii_lowercase();
    if ALLOWED_SCHEMES.contains(&scheme.as_str()) {
        return true;
    }
    // A one-letter "scheme" is a Windows drive (`C:\images\a.png`): a local path.
    if scheme.len() == 1 {
        return true;
    }
    if scheme == "data" && use_ == UrlUse::Image {
        // The media type, up to its parameters or the data: `image/png;base64,…`.
        let media_type: String = url
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .skip("data:".len())
            .take_while(|c| !matches!(c, ';' | ','))
            .take(64)
            .collect::<String>()
            .trim()
            .to_ascii_lowercase();
        return DATA_IMAGE_TYPES.contains(&media_type.as_str());
    }
    false
}

/// Whether `url` is a link to somewhere outside the document that a reader can follow from
/// any copy of it: allowed by [`is_allowed`] and absolute (it has a scheme; a relative path
/// or a Windows drive means nothing in a PDF or an e-book's list of sources).
pub fn is_external_link(url: &str) -> bool {
    let cleaned = browser_view(url);
    scheme_of(&cleaned).is_some_and(|scheme| scheme.len() > 1) && is_allowed(url, UrlUse::Link)
}

/// The start of `url` (up to the first `/`, `?` or `#`, enough for the scheme) without any
/// whitespace or control character.
fn browser_view(url: &str) -> String {
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    url[..end]
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect()
}

/// The scheme of `url` (without the colon), when it starts with one: a letter, then letters,
/// digits, `+`, `-` or `.`, then `:`.
fn scheme_of(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_schemes_and_relative_references() {
        for url in [
            "https://ex.org/a",
            "HTTP://ex.org",
            "mailto:a@ex.org",
            "tel:+123",
            "ftp://ftp.ex.org/pub",
            "page.html",
            "../a/b.png",
            "#note-1",
            "?q=1",
            "//ex.org/x",
            "",
            "C:\\images\\a.png",
            "a/b:c",
        ] {
            assert!(is_allowed(url, UrlUse::Link), "{url}");
        }
    }

    #[test]
    fn script_and_unknown_schemes_are_refused_however_written() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}\u{0}javascript:alert(1)",
            "jAvAsCrIpT\r:alert(1)",
            "java script:alert(1)",
            "\u{a0}javascript:alert(1)",
            "vbscript:msgbox",
            "data:text/html,<script>",
            "data:image/png;base64,AAAA",
            "file:///etc/passwd",
            "chrome://settings",
            "x-unknown:thing",
            // A colon after no scheme: no URL (a rustdoc path, markup junk).
            "icu_calendar::Date",
            "a_b:c/d",
            ":x",
            "<b>]]>x:y",
        ] {
            assert!(!is_allowed(url, UrlUse::Link), "{url:?}");
        }
    }

    #[test]
    fn images_may_be_data_images_but_not_svg_or_html() {
        assert!(is_allowed("data:image/png;base64,AAAA", UrlUse::Image));
        assert!(is_allowed(" DATA:Image/JPEG,xx", UrlUse::Image));
        assert!(!is_allowed("data:image/svg+xml,<svg/>", UrlUse::Image));
        assert!(!is_allowed("data:text/html,<p>", UrlUse::Image));
        assert!(!is_allowed("data:image/x-icon;base64,AAAA", UrlUse::Image));
        assert!(!is_allowed("javascript:x", UrlUse::Image));
    }

    #[test]
    fn external_links_are_absolute_and_allowed() {
        for url in [
            "https://ex.org/a",
            "mailto:a@ex.org",
            "tel:+123",
            "FTP://ex.org/f",
        ] {
            assert!(is_external_link(url), "{url}");
        }
        for url in [
            "page.html",
            "#note",
            "//ex.org/x",
            "C:\\a.png",
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "",
        ] {
            assert!(!is_external_link(url), "{url}");
        }
    }
}
