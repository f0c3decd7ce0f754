//! What an element's class, id and role say about it: article body, or page chrome.
//!
//! Names are split into lowercase words (`articleBody`, `article-body`, `article_body` all give
//! `article`, `body`), so a short word such as `ad` matches only as a whole word (never inside
//! `header` or `download`). Longer words that are rarely part of others (`comment`,
//! `newsletter`) also match inside compounds such as `commentlist`.

use super::dom::attr;
use markup5ever_rcdom::Handle;

/// Words that mark the main content.
const POSITIVE: &[&str] = &[
    "article", "content", "entry", "post", "story", "body", "text", "main", "blog", "hentry",
    "prose", "richtext", "markdown",
];

/// Words that mark chrome, matched as whole words.
const NEGATIVE_WORDS: &[&str] = &[
    "ad", "ads", "adv", "advert", "nav", "menu", "share", "sharing", "social", "related", "promo",
    "sponsor", "sponsored", "footer", "sidebar", "banner", "cookie", "cookies",
    "subscribe", "subscription", "newsletter", "signup", "popup", "modal", "comment", "comments",
    "breadcrumb", "breadcrumbs", "pagination", "pager", "masthead", "tags", "tag", "toolbar",
    "recommended", "recirc", "trending", "popular", "outbrain", "taboola", "disqus", "gdpr",
    "consent", "author", "byline", "meta", "skip", "hidden", "print", "rail",
    "more", "also", "next", "prev", "tools", "utility", "login", "register", "teaser", "partner",
    "affiliate", "donate", "follow", "jump", "dateline", "timestamp",
];

/// Fragments that mark chrome even inside a compound word (`commentlist`, `sharebar`).
const NEGATIVE_FRAGMENTS: &[&str] = &[
    "comment",
    "sidebar",
    "newsletter",
    "subscribe",
    "advert",
    "sponsor",
    "related",
    "promo",
    "social",
    "sharebar",
    "sharing",
    "breadcrumb",
    "cookie",
    "disqus",
    "outbrain",
    "taboola",
    "recommend",
    "footer",
    "navbar",
    "navigation",
    "dropdown",
];

/// Fragments that mark chrome even beside a content word.
const STRONG_NEGATIVE_FRAGMENTS: &[&str] = &["comment", "disqus", "respond", "reply"];

/// Roles that mark chrome.
const NEGATIVE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "menu",
    "menubar",
    "search",
    "dialog",
    "alert",
    "alertdialog",
    "toolbar",
];

/// How an element's names lean: > 0 content, < 0 chrome, 0 no opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hint {
    pub positive: bool,
    pub negative: bool,
}

impl Hint {
    pub fn weight(self) -> i32 {
        i32::from(self.positive) - i32::from(self.negative)
    }
}

/// Reads the hint from `class`, `id`, `role` and `itemprop`.
pub fn hint(node: &Handle) -> Hint {
    let mut result = Hint::default();
    if let Some(role) = attr(node, "role") {
        let role = role.to_ascii_lowercase();
        if NEGATIVE_ROLES.iter().any(|r| role.split_whitespace().any(|w| w == *r)) {
            result.negative = true;
        }
        if role.split_whitespace().any(|w| w == "main" || w == "article") {
            result.positive = true;
        }
    }
    if attr(node, "itemprop").is_some_and(|p| p.split_whitespace().any(|w| w == "articleBody")) {
        result.positive = true;
    }
    let mut names = attr(node, "class").unwrap_or_default();
    if let Some(id) = attr(node, "id") {
        names.push(' ');
        names.push_str(&id);
    }
    if names.is_empty() {
        return result;
    }
    let mut words = Vec::new();
    split_words(&names, &mut words);
    for word in &words {
        if POSITIVE.contains(&word.as_str()) {
            result.positive = true;
        }
        if NEGATIVE_WORDS.contains(&word.as_str()) {
            result.negative = true;
        }
    }
    let lower = names.to_ascii_lowercase();
    if !result.negative && NEGATIVE_FRAGMENTS.iter().any(|f| lower.contains(f)) {
        result.negative = true;
    }
    // Comments are written like articles and named like them ("comment-body",
    // "user-post"): the comment names win.
    if STRONG_NEGATIVE_FRAGMENTS.iter().any(|f| lower.contains(f)) {
        result.positive = false;
        result.negative = true;
    }
    result
}

/// Splits class/id text into lowercase words at non-alphanumerics and camelCase humps.
fn split_words(names: &str, out: &mut Vec<String>) {
    let mut word = String::new();
    let mut prev_lower = false;
    for c in names.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        prev_lower = c.is_lowercase();
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        out.push(word);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        split_words(s, &mut out);
        out
    }

    #[test]
    fn splits_compounds_and_camel_case() {
        assert_eq!(words("articleBody post-content"), ["article", "body", "post", "content"]);
        assert_eq!(words("AD_slot"), ["ad", "slot"]);
        assert_eq!(words("header download"), ["header", "download"]);
    }
}
