//! Articles split over several pages: find the link to the next page, fetch it, read each
//! page's article, and join them into one document without what every page repeats.
//!
//! The next page is, in this order: a `<link rel=next>` or `<a rel=next>`; a link whose text
//! or title says "next" (in a few languages) or is only an arrow (`›`, then `»`); a link
//! whose text is the next page number and whose address says so (`?page=3`, `/3/`,
//! `/page/3`). Only pages on the same site (the host, with or without `www.`) over http(s)
//! are followed, each at most once, and at most the number asked for.
//!
//! Joining keeps the first page whole and, from the later ones, leaves out every block whose
//! text has already been seen (the title, a header or a notice each page repeats); the
//! pagination links themselves ("1 2 3 Next ›") are left out of every page.
//!
//! This is the one part of reading that fetches: it is given the first page's bytes and
//! uses [`crate::net::fetch`] for the rest (which fails without the `net` feature: the first
//! page is then the whole document, with a warning).

use super::{finish, html::HtmlReader, read_decoded, ReadOptions, Reading};
use crate::dom::{self, attr, descendants, tag_name, text_content};
use crate::error::{Result, Warning};
use crate::model::{collapse_whitespace, Block, Document, Meta};
use crate::net::{fetch, FetchOptions};
use std::collections::HashSet;
use url::Url;

/// Words a "next page" link says, lowercased, arrows and punctuation taken off.
const NEXT_WORDS: &[&str] = &[
    "next",
    "next page",
    "next part",
    "continue",
    "continue reading",
    "suivant",
    "page suivante",
    "weiter",
    "nächste seite",
    "siguiente",
    "página siguiente",
    "próxima",
    "próxima página",
    "successiva",
    "pagina successiva",
    "volgende",
    "следующая",
    "次へ",
    "下一页",
    "다음",
];

/// The URL of the page after the one whose HTML is `html` and whose address is `page_url`,
/// when the page links to one on the same site.
///
/// ```
/// let page = r#"<p>Part one.</p><nav><a href="/story?page=1">1</a>
///     <a href="/story?page=2">2</a> <a href="/story?page=2">Next ›</a></nav>"#;
/// assert_eq!(
///     quire::read::pages::next_page_url(page, "https://example.org/story").as_deref(),
///     Some("https://example.org/story?page=2")
/// );
/// ```
pub fn next_page_url(html: &str, page_url: &str) -> Option<String> {
    let here = Url::parse(page_url).ok()?;
    let page = dom::parse(html);
    let nodes = descendants(&page.dom.document);
    let base = nodes
        .iter()
        .find(|n| tag_name(n) == Some("base"))
        .and_then(|n| attr(n, "href"))
        .and_then(|href| here.join(href.trim()).ok())
        .unwrap_or_else(|| here.clone());
    let number = page_number(&here).unwrap_or(1);
    // (rank, document order): the lowest rank wins, the first link among equals.
    let mut best: Option<(u8, Url)> = None;
    for node in &nodes {
        let name = tag_name(node);
        if !matches!(name, Some("a" | "link")) {
            continue;
        }
        let Some(target) = attr(node, "href")
            .and_then(|href| base.join(href.trim()).ok())
            .filter(|url| {
                same_site(url, &here) && without_fragment(url) != without_fragment(&here)
            })
        else {
            continue;
        };
        let rel_next = attr(node, "rel").is_some_and(|rel| {
            rel.split_ascii_whitespace()
                .any(|token| token.eq_ignore_ascii_case("next"))
        });
        let rank = if rel_next {
            0
        } else if name == Some("link") {
            continue;
        } else {
            let text = collapse_whitespace(&text_content(node));
            // (The parser keeps no `aria-label`: a link drawn as an icon is known by its
            // title or its class, `next` or `pager-next`.)
            let title = attr(node, "title").unwrap_or_default();
            let class_next = text.trim().is_empty()
                && attr(node, "class").is_some_and(|class| {
                    class
                        .split_ascii_whitespace()
                        .any(|c| c.eq_ignore_ascii_case("next") || c.ends_with("-next"))
                });
            match (link_word_rank(&text), link_word_rank(&title)) {
                (Some(rank), _) | (None, Some(rank)) => rank,
                _ if class_next => 2,
                _ if text.trim().parse::<u32>().ok() == Some(number + 1)
                    && page_number(&target) == Some(number + 1) =>
                {
                    4
                }
                _ => continue,
            }
        };
        if best.as_ref().is_none_or(|(best_rank, _)| rank < *best_rank) {
            best = Some((rank, target));
        }
    }
    best.map(|(_, url)| url.to_string())
}

/// How surely a link's text means "next page": 1 a word, 2 `›` (or another single arrow),
/// 3 `»` (which some pagers use for "last").
fn link_word_rank(text: &str) -> Option<u8> {
    let lower = text.trim().to_lowercase();
    let arrows = ['›', '→', '>', '⟩', '▶', '►'];
    let words = lower
        .trim_matches(|c: char| arrows.contains(&c) || c == '»' || c.is_whitespace() || c == '.')
        .trim();
    if NEXT_WORDS.contains(&words) {
        return Some(1);
    }
    if !words.is_empty() {
        return None;
    }
    if lower.chars().any(|c| arrows.contains(&c)) {
        Some(2)
    } else if lower.contains('»') {
        Some(3)
    } else {
        None
    }
}

/// The page number an address names: `?page=3`, `?p=3`, `?pg=3`, `/3/`, `/page/3`,
/// `/page-3`, `…-3.html` is not one (too often part of a name).
fn page_number(url: &Url) -> Option<u32> {
    let from_query = url.query_pairs().find_map(|(key, value)| {
        matches!(
            key.to_ascii_lowercase().as_str(),
            "page" | "p" | "pg" | "pagina" | "seite"
        )
        .then(|| value.parse::<u32>().ok())
        .flatten()
    });
    if from_query.is_some() {
        return from_query;
    }
    let last = url.path_segments()?.rfind(|segment| !segment.is_empty())?;
    let digits = last
        .strip_prefix("page-")
        .or_else(|| last.strip_prefix("page"))
        .unwrap_or(last);
    digits.parse::<u32>().ok().filter(|&n| n < 1000)
}

/// The same host over http(s), `www.` or not.
fn same_site(url: &Url, here: &Url) -> bool {
    let host = |u: &Url| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
    };
    matches!(url.scheme(), "http" | "https") && host(url).is_some() && host(url) == host(here)
}

/// The address as a page: its fragment does not make another page.
fn without_fragment(url: &Url) -> String {
    let mut url = url.clone();
    url.set_fragment(None);
    url.to_string()
}

/// Reads an HTML page and the pages after it, at most `max_pages` in all, and joins their
/// articles into one document (see the module docs). `first` is the first page's bytes;
/// `options.source_url` must be its address (nothing is followed without one). A later page
/// that cannot be fetched or read ends the article there, with a warning.
///
/// ```no_run
/// use quire::net::{fetch, FetchOptions};
/// use quire::read::pages::read_pages;
/// use quire::ReadOptions;
///
/// let fetch_options = FetchOptions::default();
/// let first = fetch("https://example.org/long-story", &fetch_options)?;
/// let options = ReadOptions {
///     source_url: Some(first.final_url.clone()),
///     charset: first.charset.clone(),
///     ..ReadOptions::default()
/// };
/// let reading = read_pages(first.bytes, &options, &fetch_options, 5)?;
/// println!("{}", reading.document.plain_text(usize::MAX));
/// # Ok::<(), quire::Error>(())
/// ```
pub fn read_pages(
    first: Vec<u8>,
    options: &ReadOptions,
    fetch_options: &FetchOptions,
    max_pages: usize,
) -> Result<Reading> {
    let mut visited = HashSet::new();
    let mut documents = Vec::new();
    let mut warnings = Vec::new();
    let mut controls_removed = 0;
    let mut bytes = first;
    let mut page_options = options.clone();
    loop {
        let here = page_options.source_url.clone().unwrap_or_default();
        if let Ok(url) = Url::parse(&here) {
            visited.insert(without_fragment(&url));
        }
        let next = if documents.len() + 1 < max_pages {
            super::decode::decode(&bytes[..], true, page_options.charset.as_deref())
                .ok()
                .and_then(|decoded| next_page_url(&decoded.text, &here))
                .filter(|next| {
                    Url::parse(next).is_ok_and(|url| !visited.contains(&without_fragment(&url)))
                })
        } else {
            None
        };
        let reading = match read_decoded(&HtmlReader, bytes.into(), &page_options) {
            Ok(reading) => reading,
            // The first page's failure is the document's.
            Err(e) if documents.is_empty() => return Err(e),
            Err(e) => {
                warnings.push(Warning::new(format!(
                    "page {} ({here}) could not be read, the article ends before it: {e}",
                    documents.len() + 1
                )));
                break;
            }
        };
        documents.push(reading.document);
        warnings.extend(reading.warnings);
        controls_removed += reading.controls_removed;
        let Some(next) = next else { break };
        match fetch(&next, fetch_options) {
            Ok(fetched) => {
                // A redirect back to a page already read is a loop, and one to another
                // site is not this article.
                let landed = Url::parse(&fetched.final_url).ok().filter(|url| {
                    Url::parse(&here).is_ok_and(|here| same_site(url, &here))
                        && !visited.contains(&without_fragment(url))
                });
                let Some(landed) = landed else { break };
                visited.insert(without_fragment(&landed));
                if let Ok(asked) = Url::parse(&next) {
                    visited.insert(without_fragment(&asked));
                }
                bytes = fetched.bytes;
                page_options.source_url = Some(fetched.final_url);
                page_options.charset = fetched.charset;
            }
            Err(e) => {
                warnings.push(Warning::new(format!(
                    "page {} could not be fetched, the article ends before it: {e}",
                    documents.len() + 1
                )));
                break;
            }
        }
    }
    let mut reading = Reading::new(join_pages(documents), warnings);
    reading.controls_removed = controls_removed;
    finish(reading)
}

/// Joins the pages of one article: the first page's metadata, every page's blocks in order,
/// less those of the later pages whose text an earlier page (or the title) already had, and
/// less the pagination links of every page.
pub fn join_pages(pages: Vec<Document>) -> Document {
    let mut meta = None;
    let mut blocks = Vec::new();
    let mut seen = HashSet::new();
    for page in pages {
        let first = meta.is_none();
        let (page_meta, page_blocks) = page.into_parts();
        if first {
            if let Some(title) = &page_meta.title {
                seen.insert(text_key(title));
            }
            meta = Some(page_meta);
        }
        let count = page_blocks.len();
        for (block, text) in page_blocks.into_iter().map(block_text) {
            let key = text_key(&text);
            if count > 1 && is_pagination(&text) {
                continue;
            }
            if !key.is_empty() && !seen.insert(key) && !first {
                continue;
            }
            blocks.push(block);
        }
    }
    Document::new(meta.unwrap_or_default(), blocks)
}

/// A block and its text (the paragraphs, headings and captions in it).
fn block_text(block: Block) -> (Block, String) {
    let one = Document::new(Meta::default(), vec![block]);
    let text = one.plain_text(usize::MAX);
    let (_, mut blocks) = one.into_parts();
    (blocks.remove(0), text)
}

/// Text as compared between pages: case and spacing do not make it new.
fn text_key(text: &str) -> String {
    collapse_whitespace(text).trim().to_lowercase()
}

/// A block that is only a pager: page numbers, arrows and "previous"/"next" words.
fn is_pagination(text: &str) -> bool {
    let lower = text.to_lowercase();
    let mut numbers = 0;
    for word in lower.split(|c: char| c.is_whitespace() || c == '|' || c == '·') {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() {
            continue;
        }
        if word.parse::<u32>().is_ok() {
            numbers += 1;
        } else if !matches!(
            word,
            "next" | "previous" | "prev" | "page" | "pages" | "of" | "first" | "last"
        ) {
            return false;
        }
    }
    numbers >= 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inline;

    fn next(html: &str, here: &str) -> Option<String> {
        next_page_url(html, here)
    }

    #[test]
    fn rel_next_beats_words_and_words_beat_arrows() {
        let here = "https://example.org/story";
        assert_eq!(
            next(
                r#"<head><link rel="next" href="/story/2"></head><a href="/x">Next</a>"#,
                here
            )
            .as_deref(),
            Some("https://example.org/story/2")
        );
        assert_eq!(
            next(r#"<a href="/last">»</a> <a href="/b">›</a>"#, here).as_deref(),
            Some("https://example.org/b")
        );
        assert_eq!(
            next(
                r#"<a href="/b" title="Next page"><svg></svg></a> <a class="icon next" href="/c"></a>"#,
                here
            )
            .as_deref(),
            Some("https://example.org/b")
        );
        assert_eq!(
            next(r#"<a href="/story?page=2">Nächste Seite »</a>"#, here).as_deref(),
            Some("https://example.org/story?page=2")
        );
    }

    #[test]
    fn numbered_links_count_only_when_the_address_names_the_page() {
        let here = "https://example.org/story/2/";
        assert_eq!(
            next(
                r#"<a href="/story/1/">1</a> <a href="/story/3/">3</a>"#,
                here
            )
            .as_deref(),
            Some("https://example.org/story/3/")
        );
        // A footnote "3" is not page three.
        assert_eq!(next(r##"<a href="#fn3">3</a>"##, here), None);
        assert_eq!(next(r#"<a href="/other">3</a>"#, here), None);
    }

    #[test]
    fn other_sites_and_the_page_itself_are_not_next() {
        let here = "https://www.example.org/story";
        assert_eq!(
            next(r#"<a href="https://ads.example.com/">Next</a>"#, here),
            None
        );
        assert_eq!(next(r##"<a href="#top" rel="next">Next</a>"##, here), None);
        assert_eq!(
            next(r#"<a href="mailto:a@example.org">Next</a>"#, here),
            None
        );
        assert_eq!(
            next(
                r#"<a href="https://example.org/story?page=2">Next</a>"#,
                here
            )
            .as_deref(),
            Some("https://example.org/story?page=2")
        );
        assert_eq!(next(r#"<a href="/more">Read more »</a>"#, here), None);
    }

    fn paragraph(text: &str) -> Block {
        Block::Paragraph(vec![Inline::text(text)])
    }

    #[test]
    fn joining_drops_what_was_seen_and_the_pagers() {
        let page = |blocks: Vec<Block>| {
            Document::new(
                Meta {
                    title: Some("The Story".into()),
                    ..Meta::default()
                },
                blocks,
            )
        };
        let joined = join_pages(vec![
            page(vec![
                paragraph("Subscribe today."),
                paragraph("One."),
                paragraph("1 2 3 Next ›"),
            ]),
            page(vec![
                Block::Heading {
                    level: 1,
                    id: "".into(),
                    content: vec![Inline::text("The  story")],
                },
                paragraph("subscribe today."),
                paragraph("Two."),
                paragraph("‹ Previous 1 2 3 Next ›"),
            ]),
        ]);
        assert_eq!(
            joined.blocks,
            [
                paragraph("Subscribe today."),
                paragraph("One."),
                paragraph("Two.")
            ]
        );
        assert_eq!(joined.meta.title.as_deref(), Some("The Story"));
    }
}
