//! What an element's class, id and role say about it: article body, or page chrome.
//!
//! Names are split into lowercase words (`articleBody`, `article-body`, `article_body` all give
//! `article`, `body`), so a short word such as `ad` matches only as a whole word (never inside
//! `header` or `download`). Longer words that are rarely part of others (`comment`,
//! `newsletter`) also match inside compounds such as `commentlist`.

/// Words that mark the main content.
const POSITIVE: &[&str] = &[
    "article", "content", "entry", "post", "story", "body", "text", "main", "blog", "hentry",
    "prose", "richtext", "markdown",
];

/// Words that mark chrome, matched as whole words.
const NEGATIVE_WORDS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "nav",
    "menu",
    "share",
    "sharing",
    "social",
    "related",
    "promo",
    "sponsor",
    "sponsored",
    "footer",
    "sidebar",
    "banner",
    "cookie",
    "cookies",
    "subscribe",
    "subscription",
    "newsletter",
    "signup",
    "popup",
    "modal",
    "comment",
    "comments",
    "breadcrumb",
    "breadcrumbs",
    "pagination",
    "pager",
    "masthead",
    "tags",
    "tag",
    "toolbar",
    "recommended",
    "recirc",
    "trending",
    "popular",
    "outbrain",
    "taboola",
    "disqus",
    "gdpr",
    "consent",
    "author",
    "byline",
    "meta",
    "skip",
    "hidden",
    "print",
    "rail",
    "more",
    "also",
    "next",
    "prev",
    "tools",
    "utility",
    "login",
    "register",
    "teaser",
    "partner",
    "affiliate",
    "donate",
    "follow",
    "jump",
    "dateline",
    "timestamp",
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

/// The hint from the attribute values themselves (no allocation for the word lists).
pub fn hint_of(class: &str, id: &str, role: &str, itemprop: &str) -> Hint {
    let mut result = Hint::default();
    for word in role.split_whitespace() {
        if NEGATIVE_ROLES.iter().any(|r| r.eq_ignore_ascii_case(word)) {
            result.negative = true;
        }
        if word.eq_ignore_ascii_case("main") || word.eq_ignore_ascii_case("article") {
            result.positive = true;
        }
    }
    if itemprop.split_whitespace().any(|w| w == "articleBody") {
        result.positive = true;
    }
    if class.is_empty() && id.is_empty() {
        return result;
    }
    for names in [class, id] {
        for_each_word(names, |word| {
            let mut buffer = [0u8; 24];
            let Some(lower) = buffer.get_mut(..word.len()) else {
                return;
            };
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            match word_lean(lower) {
                Some(true) => result.positive = true,
                Some(false) => result.negative = true,
                None => {}
            }
        });
    }
    let lower_class = lowercase_if_needed(class);
    let lower_id = lowercase_if_needed(id);
    let fragment = |list: &[&str]| {
        list.iter()
            .any(|f| lower_class.contains(f) || lower_id.contains(f))
    };
    if !result.negative && fragment(NEGATIVE_FRAGMENTS) {
        result.negative = true;
    }
    // Comments are written like articles and named like them ("comment-body",
    // "user-post"): the comment names win.
    if fragment(STRONG_NEGATIVE_FRAGMENTS) {
        result.positive = false;
        result.negative = true;
    }
    result
}

/// Whether a lowercase word leans to content (`Some(true)`) or chrome (`Some(false)`).
fn word_lean(word: &[u8]) -> Option<bool> {
    let word = std::str::from_utf8(word).ok()?;
    if POSITIVE.contains(&word) {
        return Some(true);
    }
    NEGATIVE_WORDS.contains(&word).then_some(false)
}

/// The text in ASCII lowercase, borrowed when it has no capitals.
fn lowercase_if_needed(text: &str) -> std::borrow::Cow<'_, str> {
    if text.bytes().any(|b| b.is_ascii_uppercase()) {
        std::borrow::Cow::Owned(text.to_ascii_lowercase())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// `needle` (lowercase ASCII) in `haystack`, ignoring ASCII case; allocates only for a
/// haystack with capitals (rare in class names).
pub fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    if haystack.len() < needle.len() {
        return false;
    }
    if haystack.bytes().any(|b| b.is_ascii_uppercase()) {
        haystack.to_ascii_lowercase().contains(needle)
    } else {
        haystack.contains(needle)
    }
}

/// Calls `f` with each word of class/id text: split at non-alphanumerics and camelCase humps.
fn for_each_word(names: &str, mut f: impl FnMut(&str)) {
    let mut start = None;
    let mut prev_lower = false;
    for (i, c) in names.char_indices() {
        if !c.is_alphanumeric() {
            if let Some(s) = start.take() {
                f(&names[s..i]);
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower {
            if let Some(s) = start.take() {
                f(&names[s..i]);
            }
        }
        if start.is_none() {
            start = Some(i);
        }
        prev_lower = c.is_lowercase();
    }
    if let Some(s) = start {
        f(&names[s..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(s, |w| out.push(w.to_lowercase()));
        out
    }

    #[test]
    fn names_lean_one_way_or_the_other() {
        assert!(hint_of("article-body", "", "", "").positive);
        assert!(hint_of("ad-slot", "", "", "").negative);
        assert!(!hint_of("header download", "", "", "").negative);
        let comment = hint_of("comment-body", "", "", "");
        assert!(comment.negative && !comment.positive);
        assert!(hint_of("", "", "navigation", "").negative);
    }

    #[test]
    fn splits_compounds_and_camel_case() {
        assert_eq!(
            words("articleBody post-content"),
            ["article", "body", "post", "content"]
        );
        assert_eq!(words("AD_slot"), ["ad", "slot"]);
        assert_eq!(words("header download"), ["header", "download"]);
    }
}
