//! Feeds for `quire feed`: what a feed says (RSS 0.9x–2.0, RSS 1.0, Atom 1.0, JSON Feed 1.1,
//! all read by the `feed-rs` crate into one model), the lists of feeds a user keeps (OPML,
//! plain list files: [`sources`]), and what earlier runs delivered ([`state`]).
//!
//! Nothing here fetches: the command line fetches a feed's bytes and hands them to [`parse`],
//! and decides from each [`Item`] whether its own content is the article ([`is_full_article`])
//! or the page must be fetched.

pub mod sources;
pub mod state;

use crate::error::{Error, Result};
use chrono::{DateTime, Utc};

/// One feed, as much of it as a newspaper needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// The feed's title ("Example News"), when it has one.
    pub title: Option<String>,
    /// The items in the feed's own order (most feeds put the newest first).
    pub items: Vec<Item>,
}

/// One item (an RSS `<item>`, an Atom `<entry>`, a JSON Feed item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The item's GUID / Atom id / JSON `id`; feed-rs makes one from the link and title when
    /// the feed gives none.
    pub guid: String,
    /// The article's address, absolute (resolved against `xml:base` or the feed's URL).
    pub url: Option<String>,
    /// The item's title, entities decoded, markup removed.
    pub title: Option<String>,
    /// Its authors' names.
    pub authors: Vec<String>,
    /// When it was published (else last updated); `None` when the feed gives no date.
    pub published: Option<DateTime<Utc>>,
    /// The item's full content as HTML (`content:encoded`, Atom `<content>`, JSON
    /// `content_html`), when it has any.
    pub content: Option<String>,
    /// The item's summary as HTML (RSS `<description>`, Atom `<summary>`).
    pub summary: Option<String>,
    /// The address relative links inside `content` and `summary` resolve against.
    pub base: String,
    /// An image that stands for the item: its first image enclosure or media thumbnail.
    pub image: Option<String>,
}

/// Reads a feed's bytes. `url` is where it came from (a URL or a file path): relative links
/// resolve against it unless the feed says otherwise (`xml:base`). Fails with
/// [`Error::Parse`] naming what is wrong.
pub fn parse(bytes: &[u8], url: &str) -> Result<Feed> {
    let base = url::Url::parse(url).ok();
    let parser = feed_rs::parser::Builder::new()
        .base_uri(base.as_ref().map(url::Url::as_str))
        .build();
    let feed = parser.parse(bytes).map_err(|e| Error::Parse {
        format: "feed",
        message: e.to_string(),
    })?;
    let items = feed
        .entries
        .into_iter()
        .map(|entry| item_of(entry, base.as_ref(), url))
        .collect();
    Ok(Feed {
        title: feed.title.map(|t| text_of(&t)).filter(|t| !t.is_empty()),
        items,
    })
}

fn item_of(entry: feed_rs::model::Entry, feed_base: Option<&url::Url>, feed_url: &str) -> Item {
    // An entry's xml:base beats the feed's address for what is inside it.
    let base = entry
        .base
        .as_deref()
        .and_then(|b| match feed_base {
            Some(feed) => feed.join(b).ok(),
            None => url::Url::parse(b).ok(),
        })
        .or_else(|| feed_base.cloned());
    let absolute = |href: &str| -> Option<String> {
        let href = href.trim();
        if href.is_empty() {
            return None;
        }
        match &base {
            Some(base) => base.join(href).ok().map(String::from),
            None => url::Url::parse(href).ok().map(String::from),
        }
    };
    // The article: the link without a rel, or rel="alternate"; never `self`, `enclosure`…
    let url = entry
        .links
        .iter()
        .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .and_then(|l| absolute(&l.href))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
        .or_else(|| {
            // RSS items whose guid is a permalink, and no <link>.
            url::Url::parse(&entry.id)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .map(String::from)
        });
    let image = entry
        .links
        .iter()
        .filter(|l| l.rel.as_deref() == Some("enclosure"))
        .find(|l| {
            l.media_type
                .as_deref()
                .is_some_and(|t| t.starts_with("image/"))
        })
        .and_then(|l| absolute(&l.href))
        .or_else(|| {
            entry.media.iter().find_map(|media| {
                media
                    .content
                    .iter()
                    .filter(|c| {
                        c.content_type
                            .as_ref()
                            .is_some_and(|t| t.to_string().starts_with("image/"))
                    })
                    .find_map(|c| c.url.as_ref().map(|u| u.to_string()))
                    .or_else(|| media.thumbnails.first().map(|t| t.image.uri.clone()))
                    .and_then(|u| absolute(&u))
            })
        });
    let content = entry
        .content
        .and_then(|c| c.body)
        .filter(|b| !b.trim().is_empty());
    let summary = entry
        .summary
        .map(|s| s.content)
        .filter(|s| !s.trim().is_empty());
    Item {
        guid: entry.id.clone(),
        url: url.clone(),
        title: entry.title.map(|t| text_of(&t)).filter(|t| !t.is_empty()),
        authors: entry
            .authors
            .into_iter()
            .map(|a| a.name.as_deref().unwrap_or_default().trim().to_string())
            .filter(|n| !n.is_empty())
            .collect(),
        published: entry.published.or(entry.updated),
        content,
        summary,
        // feed-rs applies xml:base to links but does not always keep it: the article's own
        // address is then the best base for what the item's HTML links to.
        base: entry
            .base
            .is_some()
            .then_some(base.clone())
            .flatten()
            .map(String::from)
            .or_else(|| url.clone())
            .or_else(|| base.map(String::from))
            .unwrap_or_else(|| feed_url.to_string()),
        image,
    }
}

/// A feed's text construct as plain text: a title given as HTML (`type="html"`) is read as
/// HTML (tags dropped, entities decoded); XML entities and CDATA are the parser's.
fn text_of(text: &feed_rs::model::Text) -> String {
    let plain = if text.content_type.subty() == "html" {
        html_shape(&text.content).text
    } else {
        text.content.clone()
    };
    crate::model::collapse_whitespace(&plain).trim().to_string()
}

/// What an HTML fragment holds, as quire's HTML reader sees it (the whole fragment, no
/// article extraction).
struct Shape {
    text: String,
    paragraphs: usize,
}

fn html_shape(html: &str) -> Shape {
    let options = crate::ReadOptions {
        whole_page: true,
        ..crate::ReadOptions::default()
    };
    match crate::read(html.as_bytes(), crate::InputFormat::Html, &options) {
        Ok(reading) => {
            let paragraphs = reading
                .document
                .blocks
                .iter()
                .flat_map(|b| match b {
                    crate::Block::Container { blocks, .. } => blocks.as_slice(),
                    other => std::slice::from_ref(other),
                })
                .filter(|b| matches!(b, crate::Block::Paragraph(_)))
                .count();
            Shape {
                text: reading.document.plain_text(usize::MAX),
                paragraphs,
            }
        }
        Err(_) => Shape {
            text: String::new(),
            paragraphs: 0,
        },
    }
}

/// The fewest words a feed's own content needs to be taken as the whole article.
pub const FULL_ARTICLE_WORDS: usize = 150;
/// The fewest paragraphs it needs.
pub const FULL_ARTICLE_PARAGRAPHS: usize = 3;

/// Whether an item's own HTML content is the whole article, so that its page need not be
/// fetched. The rule: at least [`FULL_ARTICLE_WORDS`] words in at least
/// [`FULL_ARTICLE_PARAGRAPHS`] paragraphs, not ending in a teaser's mark ("…", "[…]",
/// "Read more", "Continue reading").
///
/// Why this rule: a feed that carries only a teaser gives one paragraph or a cut sentence,
/// whatever field it puts it in (many put the excerpt in `content:encoded`); one that
/// carries the article gives it as the site does, in paragraphs. Comparing with the extracted
/// page instead would fetch every page, which is what full-content feeds spare a reader and
/// the site. An item with no page (no link) uses what it has, whatever its length.
pub fn is_full_article(html: &str) -> bool {
    let shape = html_shape(html);
    let words = shape.text.split_whitespace().count();
    let ending: String = {
        let trimmed = shape.text.trim_end();
        let start = trimmed.char_indices().rev().nth(30).map_or(0, |(i, _)| i);
        trimmed[start..].to_lowercase()
    };
    let ending = ending.trim_end();
    let teaser = ["…", "...", "[…]", "[...]"]
        .iter()
        .any(|mark| ending.ends_with(mark))
        || ending.contains("read more")
        || ending.contains("continue reading");
    words >= FULL_ARTICLE_WORDS && shape.paragraphs >= FULL_ARTICLE_PARAGRAPHS && !teaser
}

/// An article's address as de-duplication compares it: scheme and host lowercase (the URL
/// parser does that, and drops a default port), no fragment, no `utm_*` tracking parameters,
/// no empty query. Text that is not a URL is returned trimmed.
pub fn canonical_url(address: &str) -> String {
    let Ok(mut url) = url::Url::parse(address.trim()) else {
        return address.trim().to_string();
    };
    url.set_fragment(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !k.to_ascii_lowercase().starts_with("utm_"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    url.to_string()
}

/// A fingerprint of an article's text: SHA-256 (hex, first 16 bytes) of its words, lowercase,
/// joined by single spaces, so the same article through two addresses (or re-rendered with
/// other markup) is found once.
pub fn text_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            hasher.update(b" ");
        }
        hasher.update(word.to_lowercase().as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests;
