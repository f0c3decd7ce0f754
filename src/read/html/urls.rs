//! URLs in a page: resolving links and images against the base, refusing script URLs,
//! choosing an image from `srcset`.

use crate::model::url::{is_allowed, UrlUse};
use url::Url;

/// Resolves references against the page's base URL (`<base href>`, else where the page came
/// from), when one is known and absolute.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    base: Option<Url>,
}

impl Resolver {
    /// `base_href` is the page's `<base href>`; `source_url` where the page came from.
    pub fn new(base_href: Option<&str>, source_url: Option<&str>) -> Resolver {
        // Only a web address can be a base: a `javascript:` or `data:` base would make every
        // relative link (an empty `href`, a `?query`) a script URL, and a `file:` base would
        // point links into the reader's disk.
        let web = |url: Url| matches!(url.scheme(), "http" | "https").then_some(url);
        let source = source_url
            .and_then(|s| Url::parse(s.trim()).ok())
            .and_then(web);
        let base = match base_href.map(str::trim).filter(|b| !b.is_empty()) {
            Some(href) => match &source {
                Some(source) => source.join(href).ok(),
                None => Url::parse(href).ok(),
            }
            .and_then(web)
            .or(source),
            None => source,
        };
        Resolver { base }
    }

    /// The absolute form of `reference`, or `reference` itself when there is no base or it does
    /// not parse. Fragment-only references (`#note`) stay as they are: they point into this
    /// document, whatever its base.
    pub fn resolve(&self, reference: &str) -> String {
        let reference = reference.trim();
        if reference.starts_with('#') {
            return reference.to_string();
        }
        match &self.base {
            Some(base) => base
                .join(reference)
                .map(String::from)
                .unwrap_or_else(|_| reference.to_string()),
            None => reference.to_string(),
        }
    }
}

/// Whether the model's URL policy refuses `url` as a link (see [`crate::model::url`]):
/// script URLs, `data:`, `file:` and unknown schemes, however they are written.
pub fn is_unsafe_link(url: &str) -> bool {
    !is_allowed(url, UrlUse::Link)
}

/// The best candidate of a `srcset`: the widest (`w`), else the densest (`x`; none means 1x).
pub fn best_srcset_candidate(srcset: &str) -> Option<String> {
    let mut best: Option<(f64, bool, String)> = None;
    for (url, descriptor) in parse_srcset(srcset) {
        let (size, is_width) = match descriptor.as_deref() {
            Some(d) if d.ends_with('w') => (d[..d.len() - 1].parse().unwrap_or(0.0), true),
            Some(d) if d.ends_with('x') => (d[..d.len() - 1].parse().unwrap_or(1.0), false),
            _ => (1.0, false),
        };
        let better = match &best {
            None => true,
            // Widths beat densities: they say more about the image itself.
            Some((best_size, best_is_width, _)) => {
                (is_width && !best_is_width) || (is_width == *best_is_width && size > *best_size)
            }
        };
        if better {
            best = Some((size, is_width, url));
        }
    }
    best.map(|(_, _, url)| url)
}

/// Splits a `srcset` into (URL, first descriptor) pairs.
fn parse_srcset(srcset: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        if rest.is_empty() {
            break;
        }
        let url_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let url = &rest[..url_end];
        rest = &rest[url_end..];
        // A URL that ends in commas ends its candidate there (no descriptors).
        if let Some(stripped) = url.strip_suffix(',') {
            let stripped = stripped.trim_end_matches(',');
            if !stripped.is_empty() {
                out.push((stripped.to_string(), None));
            }
            continue;
        }
        let desc_end = rest.find(',').unwrap_or(rest.len());
        let descriptor = rest[..desc_end]
            .split_whitespace()
            .next()
            .map(|d| d.to_ascii_lowercase());
        rest = &rest[desc_end..];
        if !url.is_empty() {
            out.push((url.to_string(), descriptor));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn srcset_prefers_widest_then_densest() {
        assert_eq!(
            best_srcset_candidate("a.jpg 320w, b.jpg 1024w, c.jpg 640w").as_deref(),
            Some("b.jpg")
        );
        assert_eq!(
            best_srcset_candidate("a.jpg, b.jpg 2x, c.jpg 1.5x").as_deref(),
            Some("b.jpg")
        );
        assert_eq!(best_srcset_candidate(" , "), None);
    }

    #[test]
    fn resolves_against_base_then_source() {
        let r = Resolver::new(Some("/sub/"), Some("https://ex.org/a/page.html"));
        assert_eq!(r.resolve("x.png"), "https://ex.org/sub/x.png");
        assert_eq!(r.resolve("#n1"), "#n1");
        let r = Resolver::new(None, Some("notes/page.html"));
        assert_eq!(r.resolve("x.png"), "x.png");
    }

    #[test]
    fn a_script_base_is_no_base() {
        let r = Resolver::new(Some("javascript:alert(1)//"), None);
        assert_eq!(r.resolve(""), "");
        assert_eq!(r.resolve("?x"), "?x");
        let r = Resolver::new(Some("data:text/html,x"), Some("https://ex.org/a/"));
        assert_eq!(r.resolve("b"), "https://ex.org/a/b");
    }

    #[test]
    fn unsafe_schemes() {
        assert!(is_unsafe_link(" JavaScript:alert(1)"));
        assert!(is_unsafe_link("java\tscript:x"));
        assert!(!is_unsafe_link("https://ex.org"));
    }
}
