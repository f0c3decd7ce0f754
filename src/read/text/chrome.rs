//! Page chrome around the article: a Project Gutenberg licence, navigation and sharing lines
//! before the title, and the trailer of links, counters and copyright lines after the text.

use super::*;

/// The lines between Project Gutenberg's `*** START OF …` and `*** END OF …` markers (the
/// licence and catalogue text around a book), or all lines when there are none.
pub(super) fn gutenberg_body(lines: &[Line]) -> (usize, usize) {
    let is_marker = |line: &Line, word: &str| {
        let text = line.text.trim_start_matches(['*', ' ']);
        text.get(..word.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(word))
            && text.to_ascii_uppercase().contains("PROJECT GUTENBERG")
    };
    let start = lines
        .iter()
        .position(|l| is_marker(l, "START OF"))
        .map_or(0, |k| k + 1);
    let end = lines
        .iter()
        .skip(start)
        .position(|l| is_marker(l, "END OF"))
        .map_or(lines.len(), |k| start + k);
    (start, end)
}

/// Words that open the navigation and account prompts of a web page's header.
pub(super) const HEADER_CHROME: &[&str] = &[
    "skip to content",
    "skip to main content",
    "skip navigation",
    "menu",
    "main menu",
    "open menu",
    "close menu",
    "close",
    "toggle navigation",
    "navigation",
    "search",
    "sign in",
    "sign up",
    "log in",
    "login",
    "register",
    "subscribe",
    "home",
    "меню",
    "поиск",
    "войти",
    "вход",
    "регистрация",
    "главная",
];

/// First words of the prompts and counters that follow an article on a web page.
pub(super) const TRAILER_WORDS: &[&str] = &[
    "add",
    "share",
    "subscribe",
    "follow",
    "like",
    "comment",
    "comments",
    "reply",
    "leave",
    "post",
    "print",
    "email",
    "e-mail",
    "tweet",
    "save",
    "bookmark",
    "download",
    "sign",
    "log",
    "login",
    "register",
    "join",
    "read",
    "continue",
    "see",
    "view",
    "show",
    "load",
    "more",
    "related",
    "next",
    "previous",
    "prev",
    "back",
    "top",
    "tags",
    "tagged",
    "tag",
    "categories",
    "category",
    "filed",
    "advertisement",
    "sponsored",
    "newsletter",
    "report",
    "recommended",
    "most",
    "trending",
    "popular",
    "latest",
    "also",
    "you",
    "facebook",
    "twitter",
    "telegram",
    "whatsapp",
    "vk",
    "linkedin",
    "reddit",
    "pinterest",
    "instagram",
    "youtube",
    "rss",
    "поделиться",
    "подписаться",
    "подпишитесь",
    "добавить",
    "комментарии",
    "комментарий",
    "комментировать",
    "читать",
    "читайте",
    "смотрите",
    "ещё",
    "еще",
    "теги",
    "метки",
    "реклама",
    "похожие",
    "ответить",
    "самое",
    "популярное",
    "обсуждаемое",
];

/// A run of short items separated by `|` (or breadcrumb arrows): a navigation bar.
pub(super) fn is_nav_bar(text: &str) -> bool {
    for sep in ['|', '»', '›', '·'] {
        let parts: Vec<&str> = text.split(sep).map(str::trim).collect();
        if parts.len() >= 2
            && parts.iter().all(|p| {
                !p.is_empty()
                    && p.chars().count() <= 25
                    && p.split_whitespace().count() <= 3
                    && !p.ends_with(['.', '!', '?'])
            })
        {
            return true;
        }
    }
    false
}

pub(super) fn is_header_chrome(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    if lower.chars().count() > 80 {
        return false;
    }
    HEADER_CHROME.contains(&lower.as_str()) || lower.starts_with("skip to ") || is_nav_bar(&lower)
}

/// The index of the first line after the header chrome (navigation, account links).
pub(super) fn skip_header_chrome(lines: &[Line]) -> usize {
    let mut first_kept = 0;
    for (k, line) in lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        if !is_header_chrome(line.text) {
            return first_kept;
        }
        first_kept = k + 1;
    }
    // All chrome (or nothing): keep the text rather than return an empty document.
    0
}

pub(super) fn is_copyright(lower: &str) -> bool {
    lower.starts_with('©')
        || lower.starts_with("(c) ")
        || lower.starts_with("copyright")
        || lower.contains("all rights reserved")
        || lower.contains("все права защищены")
}

/// A line of the boilerplate under an article: short, not a sentence, and a UI prompt,
/// a counter, a tag list, a navigation bar or a copyright notice.
pub(super) fn is_trailer_chrome(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    let length = lower.chars().count();
    if is_copyright(&lower) {
        return length <= 200;
    }
    if length > 60 || lower.ends_with(['.', '!', '?', '”', '"', '»', '…']) {
        return false;
    }
    if has_parenthesised_counter(&lower) || is_nav_bar(&lower) {
        return true;
    }
    let first_word: String = lower
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
        .to_string();
    TRAILER_WORDS.contains(&first_word.as_str())
}

/// `(0)`, `(12)`: the comment and share counters of web pages.
pub(super) fn has_parenthesised_counter(text: &str) -> bool {
    text.split('(').skip(1).any(|after| {
        after.split_once(')').is_some_and(|(inside, _)| {
            !inside.is_empty() && inside.chars().all(|c| c.is_ascii_digit())
        })
    })
}

/// The index where the trailing run of chrome lines begins (`lines.len()` when there is none).
pub(super) fn trailer_chrome_start(lines: &[Line], start: usize) -> usize {
    let mut cut = lines.len();
    let mut k = lines.len();
    while k > start {
        k -= 1;
        let line = &lines[k];
        if line.is_blank() {
            continue;
        }
        if is_trailer_chrome(line.text) {
            cut = k;
            continue;
        }
        // A copyright notice wrapped over several lines goes as a whole.
        let mut group_start = k;
        while group_start > start && !lines[group_start - 1].is_blank() {
            group_start -= 1;
        }
        if !is_copyright(&lines[group_start].text.to_lowercase()) {
            break;
        }
        cut = group_start;
        k = group_start;
    }
    // Never leave nothing: a text that is all "chrome" is a text.
    if next_non_blank(&lines[..cut], start).is_none() {
        return lines.len();
    }
    cut
}

// ---------------------------------------------------------------------------------------------
// Title, subtitle, byline, date
