//! URLs in a page: resolving links and images against the base, refusing script URLs,
//! telling lazy-loading placeholders and choosing among an image's candidates (`srcset`,
//! `<picture>` sources, lazy-loading attributes).

use crate::media::{no_writer_shows, ImageKind, WIDEST_USED_IMAGE};
use crate::model::url::{is_allowed, UrlUse};
use url::Url;

/// Resolves references against the page's base URL (`<base href>`, else where the page came
/// from), when one is known and absolute.
#[derive(Debug, Clone, Default)]
pub struct Resolver {
    base: Option<Url>,
    /// The page's own address as the page states it (its canonical link, `og:url`), for a
    /// page read from disk: what no file beside the page can be is resolved against it.
    stated: Option<Url>,
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
        Resolver { base, stated: None }
    }

    /// Whether references resolve against a web address the page came from (or its
    /// `<base href>` names).
    pub fn has_base(&self) -> bool {
        self.base.is_some()
    }

    /// This resolver, for a page with no base (read from disk) that states its own web
    /// address `page_url`: root-relative (`/wiki/Netscape`) and scheme-relative
    /// (`//upload.example.org/a.png`) references then resolve against it (through a relative
    /// `<base href>` when the page has one), since they name no file beside the page. A
    /// reference relative to the page's folder (`page_files/a.png`, `other.html`) stays as
    /// written: the saved page's images and neighbours are there.
    pub fn with_page_url(mut self, base_href: Option<&str>, page_url: &str) -> Resolver {
        let page = Url::parse(page_url.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        self.stated = match base_href.map(str::trim).filter(|b| !b.is_empty()) {
            Some(href) => page.as_ref().and_then(|p| p.join(href).ok()).or(page),
            None => page,
        };
        self
    }

    /// The absolute form of `reference`, or `reference` itself when there is no base or it does
    /// not parse. Fragment-only references (`#note`) stay as they are: they point into this
    /// document, whatever its base.
    pub fn resolve(&self, reference: &str) -> String {
        let reference = reference.trim();
        if reference.starts_with('#') {
            return reference.to_string();
        }
        let base = match (&self.base, &self.stated) {
            (Some(base), _) => base,
            (None, Some(stated)) if reference.starts_with('/') => stated,
            _ => return reference.to_string(),
        };
        base.join(reference)
            .map(String::from)
            .unwrap_or_else(|_| reference.to_string())
    }
}

/// Whether the model's URL policy refuses `url` as a link (see [`crate::model::url`]):
/// script URLs, `data:`, `file:` and unknown schemes, however they are written.
pub fn is_unsafe_link(url: &str) -> bool {
    !is_allowed(url, UrlUse::Link)
}

/// One source a page offers for an image: an `img`'s `src` or lazy-loading attribute, or an
/// entry of a `srcset` (its own or a `<picture>` `<source>`'s).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The URL as written.
    pub url: String,
    /// What it says of its size.
    pub size: Size,
    /// The format its `<source type>` or its URL's extension names.
    pub format: Format,
}

/// What a candidate says of its size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Size {
    /// Its width in pixels (a `w` descriptor, or the `img`'s stated width).
    Width(f64),
    /// Its pixel density (an `x` descriptor; none is 1x).
    Density(f64),
}

/// What a candidate's format is, as far as the page says, worst first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    /// One no writer can show (AVIF, JPEG XL, SVG…): taken only when nothing else is offered.
    Unusable,
    /// Unknown, or one some writer must convert (WebP, GIF).
    Other,
    /// PNG or JPEG: every writer embeds it as it is.
    AsIs,
}

impl Format {
    /// The format a `<source type>` names, else the one the URL's file extension names.
    pub fn of(url: &str, media_type: Option<&str>) -> Format {
        if let Some(media_type) = media_type.map(str::trim).filter(|t| !t.is_empty()) {
            return Format::named(media_type, ImageKind::from_media_type(media_type));
        }
        let path = url.split(['?', '#']).next().unwrap_or("");
        let file = path.rsplit('/').next().unwrap_or("");
        match file.rsplit_once('.') {
            Some((_, extension)) => Format::named(extension, ImageKind::from_extension(extension)),
            None => Format::Other,
        }
    }

    fn named(name: &str, kind: Option<ImageKind>) -> Format {
        match kind {
            Some(kind) if kind.embeds_as_is() => Format::AsIs,
            Some(_) => Format::Other,
            None if no_writer_shows(name) => Format::Unusable,
            None => Format::Other,
        }
    }
}

/// The candidates of a `srcset`; `width` is the image's stated width (CSS pixels), which
/// turns densities into widths; `media_type` a `<source type>`.
pub fn srcset_candidates(
    srcset: &str,
    width: Option<u32>,
    media_type: Option<&str>,
) -> Vec<Candidate> {
    parse_srcset(srcset)
        .into_iter()
        .map(|(url, descriptor)| {
            let number = |d: &str| d[..d.len() - 1].parse::<f64>().ok().filter(|n| *n > 0.0);
            let size = match descriptor.as_deref() {
                Some(d) if d.ends_with('w') => number(d).map_or(Size::Density(1.0), Size::Width),
                Some(d) if d.ends_with('x') => Size::Density(number(d).unwrap_or(1.0)),
                _ => Size::Density(1.0),
            };
            let format = Format::of(&url, media_type);
            Candidate {
                url,
                size: with_width(size, width),
                format,
            }
        })
        .collect()
}

/// A single-URL candidate (`src`, `data-src`): 1x, or the stated width.
pub fn single_candidate(url: &str, width: Option<u32>) -> Candidate {
    Candidate {
        url: url.trim().to_string(),
        size: with_width(Size::Density(1.0), width),
        format: Format::of(url, None),
    }
}

/// A density as a width when the image's width is known.
fn with_width(size: Size, width: Option<u32>) -> Size {
    match (size, width) {
        (Size::Density(density), Some(width)) => Size::Width(density * f64::from(width)),
        _ => size,
    }
}

/// The largest candidate every output can use: a format some writer shows over one none
/// does; a known width over a density (it says more about the image); the wider or denser,
/// up to [`WIDEST_USED_IMAGE`] (past it, the narrower: the same picture, a shorter
/// download); then PNG or JPEG over a format a writer converts. Among equals, the first.
pub fn best_candidate(candidates: &[Candidate]) -> Option<&Candidate> {
    let rank = |c: &Candidate| {
        let usable = c.format != Format::Unusable;
        let cap = f64::from(WIDEST_USED_IMAGE);
        let (known, useful, excess) = match c.size {
            Size::Width(w) => (true, w.min(cap), (w - cap).max(0.0)),
            Size::Density(d) => (false, d, 0.0),
        };
        // Larger is better in every place: the excess counts against.
        (usable, known, useful, c.format, -excess)
    };
    let mut best: Option<(&Candidate, _)> = None;
    for candidate in candidates {
        let key = rank(candidate);
        let better = match &best {
            None => true,
            Some((_, best_key)) => key.partial_cmp(best_key) == Some(std::cmp::Ordering::Greater),
        };
        if better {
            best = Some((candidate, key));
        }
    }
    best.map(|(candidate, _)| candidate)
}

/// Whether an image URL is a lazy-loading placeholder rather than the picture: a `data:`
/// URI (a 1×1 GIF, an empty SVG sized like the picture) or a file named like one
/// (`lazy.gif`, `blank.gif`, `placeholder.png`, `spacer.gif`, `1x1.png`).
pub fn is_placeholder(url: &str) -> bool {
    let url = url.trim();
    if url
        .get(..5)
        .is_some_and(|s| s.eq_ignore_ascii_case("data:"))
    {
        return true;
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    let file = path.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    let Some((stem, extension)) = file.rsplit_once('.') else {
        return false;
    };
    if !matches!(extension, "gif" | "png" | "svg" | "jpg" | "jpeg" | "webp") {
        return false;
    }
    let words: Vec<&str> = stem
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    // Every word of the name says placeholder (or is a size): `lazy-placeholder`,
    // `grey-16x9`, `blank`; a photo's name says something else (`pixel-phone-review`).
    words.iter().any(|w| PLACEHOLDER_WORDS.contains(w))
        && words
            .iter()
            .all(|w| is_size_word(w) || PLACEHOLDER_WORDS.contains(w))
}

/// Words placeholder images are named with.
const PLACEHOLDER_WORDS: &[&str] = &[
    "lazy",
    "lazyload",
    "lazyloading",
    "blank",
    "placeholder",
    "spacer",
    "transparent",
    "pixel",
    "loading",
    "loader",
    "spinner",
    "empty",
    "dummy",
    "grey",
    "gray",
    "trans",
    "px",
    "1x1",
];

/// A number or a size (`16`, `16x9`, `1x1`).
fn is_size_word(word: &str) -> bool {
    word.split('x')
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
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

    fn best(srcset: &str, width: Option<u32>) -> Option<String> {
        best_candidate(&srcset_candidates(srcset, width, None)).map(|c| c.url.clone())
    }

    #[test]
    fn a_saved_page_s_stated_address_resolves_what_names_no_file_beside_it() {
        let page = "https://en.example.org/wiki/Mozilla";
        let resolver = Resolver::new(None, Some("in/page.html")).with_page_url(None, page);
        assert_eq!(
            resolver.resolve("/wiki/Netscape"),
            "https://en.example.org/wiki/Netscape"
        );
        assert_eq!(
            resolver.resolve("//upload.example.org/a.png"),
            "https://upload.example.org/a.png"
        );
        // What may be beside the saved page stays as written.
        assert_eq!(resolver.resolve("page_files/a.png"), "page_files/a.png");
        assert_eq!(resolver.resolve("../b.html"), "../b.html");
        assert_eq!(resolver.resolve("#note"), "#note");
        // A relative `<base href>` moves what is resolved against the address.
        let resolver = Resolver::new(Some("//cdn.example.org/"), None)
            .with_page_url(Some("//cdn.example.org/"), page);
        assert_eq!(resolver.resolve("/a.png"), "https://cdn.example.org/a.png");
        // Without a stated address nothing changes.
        let resolver = Resolver::new(None, Some("in/page.html"));
        assert_eq!(resolver.resolve("/wiki/Netscape"), "/wiki/Netscape");
    }

    #[test]
    fn srcset_prefers_widest_then_densest() {
        assert_eq!(
            best("a.jpg 320w, b.jpg 1024w, c.jpg 640w", None).as_deref(),
            Some("b.jpg")
        );
        assert_eq!(
            best("a.jpg, b.jpg 2x, c.jpg 1.5x", None).as_deref(),
            Some("b.jpg")
        );
        assert_eq!(best(" , ", None), None);
        // A width says more than a density, unless the stated width turns it into one.
        assert_eq!(best("a.jpg 3x, b.jpg 400w", None).as_deref(), Some("b.jpg"));
        assert_eq!(
            best("a.jpg 3x, b.jpg 400w", Some(300)).as_deref(),
            Some("a.jpg")
        );
    }

    #[test]
    fn past_the_widest_any_output_uses_the_smaller_is_taken() {
        assert_eq!(
            best("s.jpg 800w, m.jpg 2400w, l.jpg 4800w", None).as_deref(),
            Some("m.jpg")
        );
        assert_eq!(
            best("s.jpg 800w, m.jpg 1600w", None).as_deref(),
            Some("m.jpg")
        );
    }

    #[test]
    fn formats_no_writer_shows_lose_and_png_or_jpeg_win_ties() {
        let mut candidates = srcset_candidates("a.avif 1600w", None, Some("image/avif"));
        candidates.extend(srcset_candidates("a.webp 1600w", None, Some("image/webp")));
        candidates.extend(srcset_candidates("a.jpg 800w, b.jpg 1600w", None, None));
        assert_eq!(best_candidate(&candidates).unwrap().url, "b.jpg");
        // A larger WebP beats a smaller JPEG: every writer can show it.
        candidates.extend(srcset_candidates("big.webp 2000w", None, None));
        assert_eq!(best_candidate(&candidates).unwrap().url, "big.webp");
        // Only an AVIF: still better than nothing.
        let only = srcset_candidates("x.avif 2x", None, None);
        assert_eq!(only[0].format, Format::Unusable);
        assert_eq!(best_candidate(&only).unwrap().url, "x.avif");
    }

    #[test]
    fn placeholders_are_told_from_pictures() {
        for url in [
            "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
            "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%3E%3C/svg%3E",
            "/img/lazy.gif",
            "https://ex.org/assets/blank.gif?v=2",
            "placeholder.png",
            "spacer.gif",
            "/i/1x1.png",
            "grey-16x9.png",
            "lazy-placeholder.svg",
        ] {
            assert!(is_placeholder(url), "{url}");
        }
        for url in [
            "/img/harbour.jpg",
            "pixel-phone-review.jpg",
            "https://ex.org/blank-verse-poet.png",
            "2024.jpg",
            "/image",
        ] {
            assert!(!is_placeholder(url), "{url}");
        }
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
