//! The plain-text article reader: a text file (an article saved as text, an e-mail, a Project
//! Gutenberg book) → [`Document`].
//!
//! Plain text has no markup, so structure is inferred from layout, by general rules:
//! - the first title-like line is the title (with an optional subtitle, byline and date below);
//! - blank lines separate blocks; hard-wrapped lines are joined, short "verse" lines keep
//!   their breaks (the wrap width is estimated once for the whole text);
//! - bullets, numbers, `>` prefixes, indentation and underlines make lists, quotes, code and
//!   headings;
//! - web-page chrome (navigation before the title, share/comment prompts after the text) is
//!   dropped when every line of it looks like chrome and none like a sentence.
//!
//! Everything is a linear pass over lines, with nesting (quotes, lists) bounded by
//! `MAX_NESTING` so the document stays within [`crate::model::MAX_DEPTH`]; flattening
//! deeper nesting is reported as a warning.

use std::cell::Cell;
use std::collections::HashSet;

use super::{ReadOptions, Reader, Reading};
use crate::error::{Result, Warning};
use crate::model::{normalize_inlines, Block, Document, Inline, List, Meta};

/// How many quotes and lists may nest in one another. Each level costs the model one or two
/// levels of depth, so 20 keeps any document well inside `MAX_DEPTH` (64); deeper markers are
/// flattened into the innermost level.
const MAX_NESTING: usize = 20;

/// Reads plain-text articles.
pub struct TextReader;

impl Reader for TextReader {
    fn read(&self, input: &str, _options: &ReadOptions) -> Result<Reading> {
        let mut lines = split_lines(input);
        dedent_all(&mut lines);
        let (book_start, book_end) = gutenberg_body(&lines);
        let lines = lines.get(book_start..book_end).unwrap_or(&[]);
        let start = skip_header_chrome(lines);
        let end = trailer_chrome_start(lines, start);
        let lines = lines.get(start..end).unwrap_or(&[]);
        let wrap_width = estimate_wrap_width(lines);
        let (meta, body_start) = read_front_matter(lines, wrap_width);
        let body = lines.get(body_start..).unwrap_or(&[]);
        let ctx = Context::for_body(body, wrap_width);
        let blocks = parse_blocks(body, &ctx, 0, true);
        let mut warnings = Vec::new();
        if ctx.flattened.get() {
            warnings.push(Warning::new(format!(
                "quotes or lists nested deeper than {MAX_NESTING} levels were flattened"
            )));
        }
        Ok(Reading {
            document: Document::new(meta, blocks),
            warnings,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Lines

/// One input line: its indentation (in columns, tabs to stops of 4), its text without the
/// indentation and trailing whitespace, and its original display width (for wrap detection,
/// which must not change when a quote marker or list indent is stripped).
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    indent: usize,
    text: &'a str,
    width: usize,
}

impl<'a> Line<'a> {
    fn new(raw: &'a str) -> Line<'a> {
        let raw = raw.trim_end();
        let mut indent = 0;
        let mut rest = raw;
        for (pos, c) in raw.char_indices() {
            match c {
                ' ' => indent += 1,
                '\t' => indent += 4 - indent % 4,
                c if c.is_whitespace() => indent += 1,
                _ => {
                    rest = &raw[pos..];
                    break;
                }
            }
            rest = "";
        }
        let text = rest;
        let width = indent + text.chars().count();
        Line {
            indent,
            text,
            width,
        }
    }

    fn blank() -> Line<'a> {
        Line {
            indent: 0,
            text: "",
            width: 0,
        }
    }

    fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// The same line `by` columns less indented.
    fn dedented(&self, by: usize) -> Line<'a> {
        Line {
            indent: self.indent.saturating_sub(by),
            text: self.text,
            width: self.width,
        }
    }
}

/// Splits on LF, CRLF and lone CR; a form feed or paragraph separator ends a block. Runs of
/// more than two blank lines are cut to two: only code could tell them apart, and a text of
/// millions of empty lines should not cost millions of entries.
fn split_lines(input: &str) -> Vec<Line<'_>> {
    fn push<'a>(lines: &mut Vec<Line<'a>>, line: Line<'a>) {
        let two_blank = lines.len() >= 2 && lines[lines.len() - 2..].iter().all(Line::is_blank);
        if !(line.is_blank() && two_blank) {
            lines.push(line);
        }
    }
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = input.char_indices().peekable();
    while let Some((pos, c)) = chars.next() {
        match c {
            '\n' | '\u{2028}' => {
                push(&mut lines, Line::new(&input[start..pos]));
                start = pos + c.len_utf8();
            }
            '\r' => {
                push(&mut lines, Line::new(&input[start..pos]));
                start = pos + 1;
                if let Some(&(_, '\n')) = chars.peek() {
                    chars.next();
                    start += 1;
                }
            }
            '\u{c}' | '\u{2029}' => {
                push(&mut lines, Line::new(&input[start..pos]));
                push(&mut lines, Line::blank());
                start = pos + c.len_utf8();
            }
            _ => {}
        }
    }
    if start < input.len() {
        push(&mut lines, Line::new(&input[start..]));
    }
    lines
}

/// Removes the indentation every line shares, so a text indented as a whole reads as flush.
fn dedent_all(lines: &mut [Line]) {
    let common = lines
        .iter()
        .filter(|l| !l.is_blank())
        .map(|l| l.indent)
        .min()
        .unwrap_or(0);
    if common > 0 {
        for line in lines.iter_mut() {
            line.indent = line.indent.saturating_sub(common);
        }
    }
}

fn next_non_blank(lines: &[Line], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&k| lines.get(k).is_some_and(|l| !l.is_blank()))
}

// ---------------------------------------------------------------------------------------------
// Page chrome

/// The lines between Project Gutenberg's `*** START OF …` and `*** END OF …` markers (the
/// licence and catalogue text around a book), or all lines when there are none.
fn gutenberg_body(lines: &[Line]) -> (usize, usize) {
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
const HEADER_CHROME: &[&str] = &[
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
const TRAILER_WORDS: &[&str] = &[
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
fn is_nav_bar(text: &str) -> bool {
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

fn is_header_chrome(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    if lower.chars().count() > 80 {
        return false;
    }
    HEADER_CHROME.contains(&lower.as_str()) || lower.starts_with("skip to ") || is_nav_bar(&lower)
}

/// The index of the first line after the header chrome (navigation, account links).
fn skip_header_chrome(lines: &[Line]) -> usize {
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

fn is_copyright(lower: &str) -> bool {
    lower.starts_with('©')
        || lower.starts_with("(c) ")
        || lower.starts_with("copyright")
        || lower.contains("all rights reserved")
        || lower.contains("все права защищены")
}

/// A line of the boilerplate under an article: short, not a sentence, and a UI prompt,
/// a counter, a tag list, a navigation bar or a copyright notice.
fn is_trailer_chrome(text: &str) -> bool {
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
fn has_parenthesised_counter(text: &str) -> bool {
    text.split('(').skip(1).any(|after| {
        after.split_once(')').is_some_and(|(inside, _)| {
            !inside.is_empty() && inside.chars().all(|c| c.is_ascii_digit())
        })
    })
}

/// The index where the trailing run of chrome lines begins (`lines.len()` when there is none).
fn trailer_chrome_start(lines: &[Line], start: usize) -> usize {
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

/// Short-ish, not ending like a sentence or a clause, not starting in lower case.
fn is_title_like(text: &str, max_chars: usize) -> bool {
    let text = text.trim();
    let Some(first) = text.chars().next() else {
        return false;
    };
    text.chars().count() <= max_chars
        && !first.is_lowercase()
        && text.chars().any(char::is_alphabetic)
        && !text.ends_with(['.', ',', ';', ':', '…', '。', '、', '，', '；', '：'])
}

/// A title is one phrase: not two sentences, not an exclamation of many words, and without
/// links or handles.
fn reads_as_one_phrase(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let sentence_inside = words.windows(2).any(|pair| {
        let (before, after) = (pair[0], pair[1]);
        let starts_upper = after.chars().next().is_some_and(char::is_uppercase);
        let ends_sentence = before.ends_with(['?', '!'])
            // `Inc.`, `Mr.`, `St.` are abbreviations, not sentence ends.
            || (before.ends_with('.') && before.chars().filter(|c| c.is_alphabetic()).count() > 3);
        starts_upper && ends_sentence
    });
    let long_exclamation = text.ends_with('!') && words.len() > 8;
    words.len() <= 25 && !sentence_inside && !long_exclamation && !has_link_or_handle(text)
}

/// Whether a line holds a URL, an e-mail address or an `@handle`: a credit or a contact,
/// never a title.
fn has_link_or_handle(text: &str) -> bool {
    text.split_whitespace()
        .any(|w| w.starts_with('@') || linkify(w).iter().any(|i| matches!(i, Inline::Link { .. })))
}

fn is_underline(text: &str) -> Option<char> {
    let first = text.chars().next()?;
    (matches!(first, '=' | '-') && text.chars().count() >= 2 && text.chars().all(|c| c == first))
        .then_some(first)
}

/// What a line near the top says about the document.
#[derive(Default)]
struct MetaLine {
    authors: Vec<String>,
    published: Option<String>,
}

/// The longest line taken for a byline or date line (bytes: 150 Cyrillic letters).
const MAX_META_LINE_BYTES: usize = 300;

/// A byline, a date, or both separated by `|`, `·` or a spaced dash.
fn parse_meta_line(text: &str) -> Option<MetaLine> {
    // A byline or date line is short. A long line is text, and trying a date after each of
    // its commas (split_byline_and_date) would take time quadratic in its length.
    if text.len() > MAX_META_LINE_BYTES {
        return None;
    }
    let mut found = MetaLine::default();
    let mut parts = vec![text];
    for sep in [" | ", " · ", " • ", " — ", " – "] {
        parts = parts.iter().flat_map(|p| p.split(sep)).collect();
    }
    for part in parts {
        let part = part.trim();
        if let Some(authors) = parse_byline(part) {
            found.authors.extend(authors);
        } else if let Some(date) = parse_date(part) {
            found.published = Some(date);
        } else if let Some((authors, date)) = split_byline_and_date(part) {
            found.authors.extend(authors);
            found.published = Some(date);
        } else {
            return None;
        }
    }
    (!found.authors.is_empty() || found.published.is_some()).then_some(found)
}

/// `Posted by Jane Doe on 12 March 2023`, `By Jane Doe, May 1, 2024`.
fn split_byline_and_date(text: &str) -> Option<(Vec<String>, String)> {
    [" on ", ", "].iter().find_map(|sep| {
        text.match_indices(sep).find_map(|(at, _)| {
            let date = parse_date(text.get(at + sep.len()..)?)?;
            Some((parse_byline(text.get(..at)?)?, date))
        })
    })
}

/// `By Jane Doe and John Roe`, `Author: …`, `Автор: …` → the names.
fn parse_byline(text: &str) -> Option<Vec<String>> {
    const PREFIXES: &[&str] = &[
        "written by ",
        "posted by ",
        "by ",
        "authors:",
        "author:",
        "авторы:",
        "автор:",
        "von ",
        "par ",
    ];
    let lower = text.to_lowercase();
    let rest = PREFIXES
        .iter()
        .find_map(|p| lower.starts_with(p).then(|| text.get(p.len()..)).flatten())?;
    let rest = rest.trim();
    if rest.is_empty() || rest.chars().count() > 80 || rest.ends_with(['.', '!', '?']) {
        return None;
    }
    let mut names = vec![rest.to_string()];
    for sep in [",", " and ", " & ", " и ", " und ", " et "] {
        names = names
            .iter()
            .flat_map(|n| n.split(sep).map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
            .collect();
    }
    let name_like = names.iter().all(|n| {
        n.split_whitespace().count() <= 5
            && n.split_whitespace()
                .all(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()))
    });
    (name_like && !names.is_empty()).then_some(names)
}

fn month_number(word: &str) -> Option<u32> {
    const MONTHS: &[&[&str]] = &[
        &["january", "jan", "января", "январь"],
        &["february", "feb", "февраля", "февраль"],
        &["march", "mar", "марта", "март"],
        &["april", "apr", "апреля", "апрель"],
        &["may", "мая", "май"],
        &["june", "jun", "июня", "июнь"],
        &["july", "jul", "июля", "июль"],
        &["august", "aug", "августа", "август"],
        &["september", "sep", "sept", "сентября", "сентябрь"],
        &["october", "oct", "октября", "октябрь"],
        &["november", "nov", "ноября", "ноябрь"],
        &["december", "dec", "декабря", "декабрь"],
    ];
    let word = word.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|names| names.contains(&word.as_str()))
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn is_weekday(word: &str) -> bool {
    const DAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thurs",
        "fri",
        "sat",
        "sun",
        "понедельник",
        "вторник",
        "среда",
        "четверг",
        "пятница",
        "суббота",
        "воскресенье",
    ];
    DAYS.contains(&word.trim_end_matches('.').to_lowercase().as_str())
}

/// Tokens that may follow a date on a date line: a time, a zone, a year word.
fn is_time_token(token: &str) -> bool {
    let lower = token.to_lowercase();
    (token.contains(':') && token.chars().any(|c| c.is_ascii_digit()))
        || matches!(
            lower.as_str(),
            "am" | "pm" | "a.m." | "p.m." | "utc" | "gmt" | "at" | "г." | "г" | "года" | "в"
        )
        || (token.len() <= 4 && token.chars().all(|c| c.is_ascii_uppercase()))
}

/// The ISO day `year-month-day`, for years an article may be dated (1000–2999), when the
/// calendar has that day.
fn valid_date(year: u32, month: u32, day: u32) -> Option<String> {
    if !(1000..3000).contains(&year) {
        return None;
    }
    let day = crate::model::date::calendar_date(i32::try_from(year).ok()?, month, day)?;
    Some(crate::model::Date::from_day(day).to_iso())
}

fn day_number(token: &str) -> Option<u32> {
    let digits = token
        .trim_end_matches('.')
        .trim_end_matches(|c: char| c.is_alphabetic());
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok()
}

fn year_number(token: &str) -> Option<u32> {
    let digits = token.trim_end_matches(['.', 'г']);
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// A date in the usual forms of articles (ISO, `May 1, 2024`, `1 May 2024`, `01.05.2024`,
/// `1 мая 2024 г.`), with an optional label and weekday, as ISO 8601.
fn parse_date(text: &str) -> Option<String> {
    const LABELS: &[&str] = &[
        "published on",
        "published:",
        "published",
        "posted on",
        "posted:",
        "posted",
        "date:",
        "updated:",
        "опубликовано:",
        "опубликовано",
        "дата публикации:",
        "дата:",
    ];
    let lower = text.to_lowercase();
    let text = LABELS
        .iter()
        .find_map(|l| lower.starts_with(l).then(|| text.get(l.len()..)).flatten())
        .unwrap_or(text);
    let mut tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .collect();
    while tokens.first().is_some_and(|t| is_weekday(t)) {
        tokens.remove(0);
    }
    let first = *tokens.first()?;
    let (date, used) = if let Some(date) = parse_numeric_date(first) {
        (date, 1)
    } else {
        let a = tokens.get(1).copied().unwrap_or("");
        let b = tokens.get(2).copied().unwrap_or("");
        let date = if let Some(month) = month_number(first) {
            valid_date(year_number(b)?, month, day_number(a)?)?
        } else {
            valid_date(year_number(b)?, month_number(a)?, day_number(first)?)?
        };
        (date, 3)
    };
    tokens
        .get(used..)
        .unwrap_or(&[])
        .iter()
        .all(|t| is_time_token(t))
        .then_some(date)
}

/// `2024-05-01`, `2024-05-01T10:00:00Z`, `2024/05/01`, `01.05.2024`, `5/1/2024`.
fn parse_numeric_date(token: &str) -> Option<String> {
    let (date_part, time_part) = match token.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (token, None),
    };
    let numbers: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    let [a, b, c] = numbers.as_slice() else {
        return None;
    };
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (a_n, b_n, c_n) = (num(a)?, num(b)?, num(c)?);
    let date = if a.len() == 4 {
        valid_date(a_n, b_n, c_n)?
    } else if c.len() == 4 && date_part.contains('.') {
        valid_date(c_n, b_n, a_n)?
    } else if c.len() == 4 && date_part.contains('/') {
        // Slashes are American (month first) unless the first number cannot be a month.
        if a_n > 12 {
            valid_date(c_n, b_n, a_n)?
        } else {
            valid_date(c_n, a_n, b_n)?
        }
    } else {
        return None;
    };
    match time_part {
        None => Some(date),
        Some(t)
            if a.len() == 4
                && date_part.contains('-')
                && t.contains(':')
                && t.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | 'Z' | '+' | '-')) =>
        {
            Some(token.to_string())
        }
        Some(_) => Some(date),
    }
}

/// The title and what follows it (subtitle, byline, date). Returns the metadata and the
/// index of the first body line.
fn read_front_matter(lines: &[Line], wrap_width: Option<usize>) -> (Meta, usize) {
    let wrapping = Context {
        wrap_width,
        code_allowed: false,
        numbered_headings: HashSet::new(),
        flattened: Cell::new(false),
    };
    let mut meta = Meta::default();
    let Some(first) = next_non_blank(lines, 0) else {
        return (meta, lines.len());
    };
    let title_line = &lines[first];
    if title_line.indent >= 4
        || !is_title_like(title_line.text, 120)
        || !reads_as_one_phrase(title_line.text)
        || list_marker(title_line).is_some()
        || title_line.text.starts_with('>')
        || is_rule(title_line.text)
    {
        return (meta, first);
    }
    // The title's own group: the title, an optional underline, then subtitle/meta lines.
    let mut k = first + 1;
    if lines.get(k).is_some_and(|l| is_underline(l.text).is_some()) {
        k += 1;
    }
    let mut subtitle = None;
    let mut found = Vec::new();
    while let Some(line) = lines.get(k).filter(|l| !l.is_blank()) {
        if lines
            .get(k - 1)
            .is_some_and(|prev| wrapping.is_wrapped(prev, line))
        {
            // The first line was wrapped into this one: a paragraph, not a title.
            return (meta, first);
        }
        if let Some(m) = parse_meta_line(line.text) {
            found.push(m);
        } else if subtitle.is_none() && found.is_empty() && is_title_like(line.text, 150) {
            subtitle = Some(line.text.to_string());
        } else if line.width > LONG_LINE && found.is_empty() && subtitle.is_none() {
            // A title over paragraphs that each take one long line (text copied from a page).
            break;
        } else {
            // The first line runs on into more text: it is a paragraph, not a title.
            return (meta, first);
        }
        k += 1;
    }
    if next_non_blank(lines, k).is_none() && subtitle.is_none() && found.is_empty() {
        // A lone line is the text, not the title of an empty document.
        return (meta, first);
    }
    meta.title = Some(title_line.text.trim().to_string());
    // Groups below the title made only of meta lines; a single title-like line directly
    // before such a group is the subtitle.
    let mut body = k;
    let mut groups_seen = 0;
    while let Some(start) = next_non_blank(lines, body) {
        if groups_seen >= 3 {
            break;
        }
        let end = (start..lines.len())
            .find(|&j| lines[j].is_blank())
            .unwrap_or(lines.len());
        let group = &lines[start..end];
        let metas: Option<Vec<MetaLine>> = group.iter().map(|l| parse_meta_line(l.text)).collect();
        if let Some(metas) = metas {
            found.extend(metas);
            body = end;
        } else if subtitle.is_none()
            && found.is_empty()
            && groups_seen == 0
            && group.len() == 1
            && is_title_like(group[0].text, 150)
            && next_non_blank(lines, end).is_some_and(|n| parse_meta_line(lines[n].text).is_some())
        {
            subtitle = Some(group[0].text.to_string());
            body = end;
        } else {
            break;
        }
        groups_seen += 1;
    }
    meta.subtitle = subtitle;
    for m in found {
        meta.authors.extend(m.authors);
        if meta.published.is_none() {
            meta.published = m.published;
        }
    }
    (meta, body)
}

// ---------------------------------------------------------------------------------------------
// Body

/// What the whole text says about how to read its parts.
struct Context {
    /// The column at which the text was hard-wrapped, when it was.
    wrap_width: Option<usize>,
    /// Whether indented blocks are code (false when paragraphs themselves are indented).
    code_allowed: bool,
    /// Top-level lines that are numbered section headings (`1. Introduction`).
    numbered_headings: HashSet<usize>,
    /// Set when nesting past `MAX_NESTING` was flattened, to warn the caller.
    flattened: Cell<bool>,
}

impl Context {
    fn for_body(lines: &[Line], wrap_width: Option<usize>) -> Context {
        let mut groups = 0usize;
        let mut indented_groups = 0usize;
        for_each_group(lines, |group| {
            groups += 1;
            if group.first().is_some_and(|l| l.indent >= 4) {
                indented_groups += 1;
            }
        });
        Context {
            wrap_width,
            code_allowed: indented_groups * 2 < groups,
            numbered_headings: numbered_headings(lines),
            flattened: Cell::new(false),
        }
    }

    /// Whether `next` would have fitted on the line `line`, i.e. the break was the author's.
    fn is_wrapped(&self, line: &Line, next: &Line) -> bool {
        let first_word = next.text.split_whitespace().next().unwrap_or("");
        self.wrap_width
            .is_some_and(|w| line.width + 1 + first_word.chars().count() > w)
    }
}

/// Calls `f` with every run of non-blank lines.
fn for_each_group<'l, 'a>(lines: &'l [Line<'a>], mut f: impl FnMut(&'l [Line<'a>])) {
    let mut k = 0;
    while let Some(start) = next_non_blank(lines, k) {
        let end = (start..lines.len())
            .find(|&j| lines[j].is_blank())
            .unwrap_or(lines.len());
        f(&lines[start..end]);
        k = end;
    }
}

/// The column at which the text was hard-wrapped, if it was. Lines that are not the last of
/// their block and are 45–100 columns wide are wrapped prose (verse and addresses are
/// shorter; paragraphs kept on one line are longer); the 90th percentile of their widths is
/// the wrap column.
fn estimate_wrap_width(lines: &[Line]) -> Option<usize> {
    let mut inner_widths = Vec::new();
    for_each_group(lines, |group| {
        let inner = group.get(..group.len().saturating_sub(1)).unwrap_or(&[]);
        inner_widths.extend(
            inner
                .iter()
                .map(|l| l.width)
                .filter(|w| (45..=LONG_LINE).contains(w)),
        );
    });
    inner_widths.sort_unstable();
    inner_widths
        .get(inner_widths.len().saturating_sub(1) * 9 / 10)
        .copied()
}

/// `1. Introduction` / `2 Methods` standing alone before a paragraph, when at least two such
/// lines exist (one alone is a one-item list).
fn numbered_headings(lines: &[Line]) -> HashSet<usize> {
    let mut found = HashSet::new();
    for (k, line) in lines.iter().enumerate() {
        let alone =
            (k == 0 || lines[k - 1].is_blank()) && lines.get(k + 1).is_none_or(Line::is_blank);
        if !alone || line.indent >= 4 {
            continue;
        }
        if let Some((number, title)) = split_section_number(line.text) {
            if !number.contains('.') && is_section_title(title) && followed_by_paragraph(lines, k) {
                found.insert(k);
            }
        }
    }
    if found.len() < 2 {
        found.clear();
    }
    found
}

/// `2.3 Methods` → (`2.3`, `Methods`); `1. Intro` → (`1`, `Intro`).
fn split_section_number(text: &str) -> Option<(&str, &str)> {
    let (head, title) = text.split_once(char::is_whitespace)?;
    let number = head.strip_suffix('.').unwrap_or(head);
    let valid = !number.is_empty()
        && number.len() <= 12
        && number
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()));
    valid.then_some((number, title.trim()))
}

fn is_section_title(title: &str) -> bool {
    is_title_like(title, 80)
        && !title.ends_with(['!', '?'])
        && title.split_whitespace().count() <= 12
}

fn followed_by_paragraph(lines: &[Line], k: usize) -> bool {
    next_non_blank(lines, k + 1).is_some_and(|n| {
        let line = &lines[n];
        list_marker(line).is_none() && !line.text.starts_with('>') && !is_rule(line.text)
    })
}

/// A thematic break: three or more of one of `*-_=~` (spaces between allowed).
fn is_rule(text: &str) -> bool {
    let mut kind = None;
    let mut count = 0;
    for c in text.chars() {
        if c == ' ' {
            continue;
        }
        if !matches!(c, '*' | '-' | '_' | '=' | '~') || kind.is_some_and(|k| k != c) {
            return false;
        }
        kind = Some(c);
        count += 1;
    }
    count >= 3
}

/// A list item's marker.
struct Marker {
    ordered: bool,
    /// Items continue a list only in its own style: bullets, `1.`, `1)` or `a)`.
    style: char,
    number: u32,
    /// Bytes of `text` taken by the marker and the spaces after it.
    len: usize,
    /// Columns the marker and its spaces take.
    columns: usize,
}

fn list_marker(line: &Line) -> Option<Marker> {
    let text = line.text;
    let mut chars = text.char_indices();
    let (_, first) = chars.next()?;
    let (ordered, style, number, marker_end) = if matches!(first, '-' | '*' | '•' | '–' | '+' | '◦')
    {
        (false, '•', 1, first.len_utf8())
    } else if first.is_ascii_digit() {
        let digits_end = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        if digits_end > 9 {
            return None;
        }
        let after = text[digits_end..].chars().next()?;
        if !matches!(after, '.' | ')') {
            return None;
        }
        (
            true,
            after,
            text[..digits_end].parse().ok()?,
            digits_end + 1,
        )
    } else if first.is_ascii_lowercase() && text[1..].starts_with(')') {
        (true, 'a', u32::from(first) - u32::from('a') + 1, 2)
    } else {
        return None;
    };
    let rest = &text[marker_end..];
    let content = rest.trim_start();
    // `– Hello, – he said.`: a dash that opens dialogue (Russian, French typography) is
    // followed by another dash after the spoken words.
    if matches!(first, '–' | '-')
        && [", ", "! ", "? ", "… "]
            .iter()
            .any(|p| content.contains(&format!("{p}– ")) || content.contains(&format!("{p}— ")))
    {
        return None;
    }
    if content.is_empty() || content.len() == rest.len() {
        return None;
    }
    let spaces = rest.len() - content.len();
    Some(Marker {
        ordered,
        style,
        number,
        len: marker_end + spaces,
        columns: text[..marker_end].chars().count() + spaces,
    })
}

fn is_quote_line(line: &Line) -> bool {
    line.indent <= 3 && line.text.starts_with('>')
}

/// The line with one `>` (and one following space) removed.
fn strip_quote_marker<'a>(line: &Line<'a>) -> Line<'a> {
    let rest = line.text.strip_prefix('>').unwrap_or(line.text);
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let mut stripped = Line::new(rest);
    stripped.width = line.width;
    stripped
}

/// The line with every leading `>` removed (for quotes nested past [`MAX_NESTING`]).
fn strip_all_quote_markers<'a>(line: &Line<'a>) -> Line<'a> {
    let rest = line.text.trim_start_matches(['>', ' ']);
    let mut stripped = Line::new(rest);
    stripped.width = line.width;
    stripped
}

/// Parses lines into blocks. `top` enables the rules that only make sense for the article
/// body itself (headings); `depth` counts the quotes and lists around these lines.
fn parse_blocks(lines: &[Line], ctx: &Context, depth: usize, top: bool) -> Vec<Block> {
    let mut out = Vec::new();
    let mut k = 0;
    let nesting_allowed = depth < MAX_NESTING;
    while k < lines.len() {
        let line = &lines[k];
        if line.is_blank() {
            k += 1;
            continue;
        }
        let after_blank = k == 0 || lines[k - 1].is_blank();

        if is_quote_line(line) {
            let end = quote_end(lines, k);
            let region = &lines[k..end];
            if nesting_allowed {
                let inner: Vec<Line> = region.iter().map(strip_quote_marker).collect();
                out.push(Block::Quote(parse_blocks(&inner, ctx, depth + 1, false)));
            } else {
                ctx.flattened.set(true);
                let inner: Vec<Line> = region.iter().map(strip_all_quote_markers).collect();
                out.extend(parse_blocks(&inner, ctx, depth, false));
            }
            k = end;
            continue;
        }

        if ctx.code_allowed && line.indent >= 4 && after_blank {
            if let Some((code, end)) = code_block(lines, k) {
                out.push(code);
                k = end;
                continue;
            }
        }

        let underlined = lines
            .get(k + 1)
            .and_then(|l| is_underline(l.text))
            .filter(|_| {
                after_blank && top && list_marker(line).is_none() && is_title_like(line.text, 100)
            });
        if let Some(kind) = underlined {
            out.push(heading(if kind == '=' { 1 } else { 2 }, line.text));
            k += 2;
            continue;
        }

        if is_rule(line.text) {
            out.push(Block::Rule);
            k += 1;
            continue;
        }

        if top && ctx.numbered_headings.contains(&k) {
            out.push(heading(2, line.text));
            k += 1;
            continue;
        }

        if !nesting_allowed && list_marker(line).is_some() {
            ctx.flattened.set(true);
        }
        if nesting_allowed {
            if let Some(marker) = list_marker(line) {
                let (list, end) = parse_list(lines, k, marker, ctx, depth);
                out.push(list);
                k = end;
                continue;
            }
        }

        let end = paragraph_end(lines, k, nesting_allowed, ctx);
        let alone = end == k + 1 && after_blank;
        if top && alone {
            if let Some(level) = standalone_heading_level(line.text, lines, k) {
                out.push(heading(level, line.text));
                k = end;
                continue;
            }
        }
        let paragraphs = split_indented_paragraphs(&lines[k..end])
            .into_iter()
            .flat_map(|p| split_long_line_paragraphs(p, ctx));
        for paragraph in paragraphs {
            let inlines = paragraph_inlines(paragraph, ctx);
            if !inlines.is_empty() {
                out.push(Block::Paragraph(inlines));
            }
        }
        k = end.max(k + 1);
    }
    out
}

fn heading(level: u8, text: &str) -> Block {
    Block::Heading {
        level,
        id: Box::default(),
        content: normalize_inlines(linkify(text.trim())),
    }
}

/// The end of a run of `>` lines (blank lines inside it included when more `>` lines follow).
fn quote_end(lines: &[Line], start: usize) -> usize {
    let mut end = start;
    let mut k = start;
    while k < lines.len() {
        if is_quote_line(&lines[k]) {
            k += 1;
            end = k;
        } else if lines[k].is_blank() {
            match next_non_blank(lines, k) {
                Some(n) if is_quote_line(&lines[n]) => k = n,
                _ => break,
            }
        } else {
            break;
        }
    }
    end
}

/// An indented block after a blank line, when no unindented line runs on from it.
fn code_block(lines: &[Line], start: usize) -> Option<(Block, usize)> {
    let mut end = start;
    let mut k = start;
    while k < lines.len() {
        let line = &lines[k];
        if line.is_blank() {
            match next_non_blank(lines, k) {
                Some(n) if lines[n].indent >= 4 => k = n,
                _ => break,
            }
        } else if line.indent >= 4 {
            k += 1;
            end = k;
        } else {
            // An unindented line right below: an indented first line of a paragraph.
            return None;
        }
    }
    let mut text = String::new();
    for line in &lines[start..end] {
        if !text.is_empty() || line.text.is_empty() {
            text.push('\n');
        }
        if !line.is_blank() {
            text.push_str(&" ".repeat(line.indent.saturating_sub(4)));
            text.push_str(line.text);
        }
    }
    let text = text.trim_matches('\n').to_string();
    Some((
        Block::Code {
            language: None,
            text,
        },
        end,
    ))
}

/// The end of the paragraph starting at `start`: a blank line, a quote, a rule, or a list
/// item, unless the line before was full (wrapping often puts a dash or a number at the
/// start of a line); after a line ending with `:` an item always starts a list.
fn paragraph_end(lines: &[Line], start: usize, lists_allowed: bool, ctx: &Context) -> usize {
    let mut k = start + 1;
    while let Some(line) = lines.get(k) {
        if line.is_blank() || is_quote_line(line) || is_rule(line.text) {
            break;
        }
        if lists_allowed && list_marker(line).is_some() {
            let previous = &lines[k - 1];
            if previous.text.ends_with(':') || !ctx.is_wrapped(previous, line) {
                break;
            }
        }
        k += 1;
    }
    k
}

/// Paragraphs marked by an indented first line instead of a blank line (old books):
/// when a block's first line is indented more than its second, every later line indented
/// like the first starts a new paragraph.
fn split_indented_paragraphs<'l, 'a>(lines: &'l [Line<'a>]) -> Vec<&'l [Line<'a>]> {
    let (Some(first), Some(second)) = (lines.first(), lines.get(1)) else {
        return vec![lines];
    };
    if first.indent <= second.indent || first.indent > second.indent + 8 {
        return vec![lines];
    }
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for k in 1..lines.len() {
        if lines[k].indent == first.indent && lines[k - 1].indent < first.indent {
            paragraphs.push(&lines[start..k]);
            start = k;
        }
    }
    paragraphs.push(&lines[start..]);
    paragraphs
}

/// Text copied from web pages puts each paragraph on one long line with no blank line
/// between: a break after a line longer than any wrap column is a paragraph break.
fn split_long_line_paragraphs<'l, 'a>(lines: &'l [Line<'a>], ctx: &Context) -> Vec<&'l [Line<'a>]> {
    let mut paragraphs = Vec::new();
    let mut start = 0;
    for k in 1..lines.len() {
        let line = &lines[k - 1];
        if line.width > LONG_LINE && !ctx.is_wrapped(line, &lines[k]) {
            paragraphs.push(&lines[start..k]);
            start = k;
        }
    }
    paragraphs.push(&lines[start..]);
    paragraphs
}

/// Wider than any hard-wrapped text: a line this long is a whole paragraph.
const LONG_LINE: usize = 100;

/// The level of a line standing alone that reads as a heading, if it does.
fn standalone_heading_level(text: &str, lines: &[Line], k: usize) -> Option<u8> {
    if !followed_by_paragraph(lines, k) {
        // An ALL-CAPS line may also introduce a list or a quote.
        let letters = text.chars().filter(|c| c.is_alphabetic());
        let all_caps = text.chars().filter(|c| c.is_alphabetic()).count() >= 2
            && letters.clone().all(|c| !c.is_lowercase());
        let next_is_list = next_non_blank(lines, k + 1)
            .is_some_and(|n| list_marker(&lines[n]).is_some() || is_quote_line(&lines[n]));
        if !(all_caps && next_is_list && is_title_like(text, 60)) {
            return None;
        }
        return Some(2);
    }
    if let Some(level) = chapter_heading_level(text) {
        return Some(level);
    }
    if let Some((number, title)) = split_section_number(text) {
        if number.contains('.') && is_section_title(title) {
            let parts = number.split('.').count();
            return u8::try_from(parts + 1).ok().map(|l| l.min(6));
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    // A heading opens with a word or a quotation, never with a dash (tweet credits, dialogue).
    let opens_with_word = text
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, '“' | '"' | '«' | '‘' | '\''));
    if !is_title_like(text, 60)
        || text.ends_with(['!', '?', '！', '？'])
        || words.len() > 10
        || !opens_with_word
        || has_link_or_handle(text)
    {
        return None;
    }
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let all_caps = letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase());
    let capitalised = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()))
        .count();
    // The next block must be longer: a heading introduces text, it is not one of a series
    // of short lines.
    let next_len: usize = next_non_blank(lines, k + 1).map_or(0, |n| {
        lines[n..]
            .iter()
            .take(3)
            .take_while(|l| !l.is_blank())
            .map(|l| l.text.chars().count())
            .sum()
    });
    if next_len <= text.chars().count() {
        return None;
    }
    (all_caps || capitalised * 2 >= words.len() || words.len() <= 5).then_some(2)
}

/// `Chapter IV`, `PART TWO`, `Глава 3`, `Chapter 1. The Beginning`.
fn chapter_heading_level(text: &str) -> Option<u8> {
    const WORDS: &[(&str, u8)] = &[
        ("part", 1),
        ("book", 1),
        ("часть", 1),
        ("chapter", 2),
        ("глава", 2),
        ("kapitel", 2),
        ("chapitre", 2),
        ("capítulo", 2),
        ("section", 3),
        ("раздел", 3),
    ];
    const NUMBER_WORDS: &[&str] = &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "first", "second", "third", "last",
    ];
    if text.chars().count() > 80 || text.ends_with(['.', ',', ';']) {
        return None;
    }
    let lower = text.to_lowercase();
    let mut words = lower.split_whitespace();
    let (Some(word), Some(number)) = (words.next(), words.next()) else {
        return roman_numeral(&lower).then_some(2);
    };
    let level = WORDS.iter().find(|(w, _)| *w == word)?.1;
    let number = number.trim_end_matches(['.', ':']);
    let is_number = number.chars().all(|c| c.is_ascii_digit()) && !number.is_empty()
        || roman_numeral(number)
        || NUMBER_WORDS.contains(&number);
    is_number.then_some(level)
}

/// `iv`, `XII.`: a lone roman numeral (Gutenberg chapter heads).
fn roman_numeral(text: &str) -> bool {
    let t = text.trim().trim_end_matches('.');
    !t.is_empty()
        && t.len() <= 8
        && t.chars()
            .all(|c| matches!(c.to_ascii_lowercase(), 'i' | 'v' | 'x' | 'l' | 'c'))
        && t != "i"
        && t != "I"
}

/// A list starting at `start`: its items (each parsed as blocks), nested lists by
/// indentation, continuation lines, and the index after it.
fn parse_list<'a>(
    lines: &[Line<'a>],
    start: usize,
    first: Marker,
    ctx: &Context,
    depth: usize,
) -> (Block, usize) {
    let base = lines[start].indent;
    let ordered = first.ordered;
    let style = first.style;
    let mut items: Vec<Vec<Line<'a>>> = Vec::new();
    let mut content_col = base + first.columns;
    let mut tight = true;
    let mut k = start;
    let mut previous_blank = false;
    while k < lines.len() {
        let line = &lines[k];
        if line.is_blank() {
            let Some(n) = next_non_blank(lines, k) else {
                break;
            };
            let next = &lines[n];
            let sibling = next.indent <= base + 1
                && list_marker(next).is_some_and(|m| m.style == style)
                && next.indent >= base;
            if !(sibling || next.indent >= content_col.max(base + 2)) {
                break;
            }
            if let Some(item) = items.last_mut() {
                item.push(Line::blank());
            }
            tight = false;
            previous_blank = true;
            k = n;
            continue;
        }
        let marker = list_marker(line).filter(|_| line.indent <= base + 1 && line.indent >= base);
        if let Some(marker) = marker {
            if marker.style != style {
                break;
            }
            content_col = line.indent + marker.columns;
            let mut first_line = Line::new(line.text.get(marker.len..).unwrap_or(""));
            first_line.width = line.width;
            items.push(vec![first_line]);
        } else if line.indent < base
            || (previous_blank && line.indent < content_col.min(base + 2))
            || (line.indent < content_col && (is_quote_line(line) || is_rule(line.text)))
        {
            // Unindented quotes and rules are never lazy continuations of an item.
            break;
        } else if let Some(item) = items.last_mut() {
            item.push(line.dedented(content_col));
        }
        previous_blank = false;
        k += 1;
    }
    let items: Vec<Vec<Block>> = items
        .iter()
        .map(|item| parse_blocks(item, ctx, depth + 1, false))
        .collect();
    let list = List {
        ordered,
        start: if ordered { first.number } else { 1 },
        tight,
        items,
    };
    (Block::List(list), k.max(start + 1))
}

// ---------------------------------------------------------------------------------------------
// Inline content

/// A paragraph's lines as inlines: wrapped lines joined (a word hyphenated at the wrap is
/// rejoined), the author's own breaks kept as line breaks, bare URLs and e-mail addresses
/// linked.
fn paragraph_inlines(lines: &[Line], ctx: &Context) -> Vec<Inline> {
    let mut inlines = Vec::new();
    let mut segment = String::new();
    for (k, line) in lines.iter().enumerate() {
        let text = line.text;
        let Some(next) = lines.get(k + 1) else {
            segment.push_str(text);
            break;
        };
        if ctx.is_wrapped(line, next) {
            if let Some(stem) = hyphenated_stem(text, next.text) {
                segment.push_str(stem);
            } else {
                segment.push_str(text);
                segment.push(' ');
            }
        } else {
            segment.push_str(text);
            inlines.extend(linkify(&segment));
            inlines.push(Inline::LineBreak);
            segment.clear();
        }
    }
    inlines.extend(linkify(&segment));
    normalize_inlines(inlines)
}

/// `exam-` + `ple`: the line without its hyphen, when a lower-case word was split.
fn hyphenated_stem<'a>(line: &'a str, next: &str) -> Option<&'a str> {
    let stem = line.strip_suffix('-')?;
    let mut before = stem.chars().rev();
    let split_word = before.next().is_some_and(char::is_lowercase)
        && before.next().is_some_and(char::is_alphabetic)
        && next.chars().next().is_some_and(char::is_lowercase);
    split_word.then_some(stem)
}

/// Text with bare URLs (`https://…`, `www.…`) and e-mail addresses made into links.
fn linkify(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut pos = 0;
    for token in text.split_inclusive(char::is_whitespace) {
        let word = token.trim_end();
        let lead = word.len()
            - word
                .trim_start_matches(['(', '<', '[', '"', '“', '\'', '«'])
                .len();
        if let Some((target, shown_len)) = word.get(lead..).and_then(link_target) {
            let link_start = pos + lead;
            if let Some(before) = text.get(plain_start..link_start) {
                if !before.is_empty() {
                    out.push(Inline::text(before));
                }
            }
            let shown = text.get(link_start..link_start + shown_len).unwrap_or("");
            out.push(Inline::link(target, None, vec![Inline::text(shown)]));
            plain_start = link_start + shown_len;
        }
        pos += token.len();
    }
    if let Some(rest) = text.get(plain_start..) {
        if !rest.is_empty() {
            out.push(Inline::text(rest));
        }
    }
    out
}

/// The link target of a word and how many of its bytes the link covers (trailing punctuation
/// stays text).
fn link_target(word: &str) -> Option<(String, usize)> {
    let starts = |prefix: &str| {
        word.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    let is_url = starts("http://") || starts("https://");
    let is_www = starts("www.");
    if !is_url && !is_www && !word.contains('@') {
        return None;
    }
    const TRAILING: [char; 13] = [
        '.', ',', ';', ':', '!', '?', '"', '\'', '”', '’', '»', '>', ']',
    ];
    let mut shown = word.trim_end_matches(TRAILING);
    // A closing parenthesis belongs to the URL only when the URL opened one. The counts are
    // taken once so a word of a million `)` stays linear.
    let opens = shown.matches('(').count();
    let mut closes = shown.matches(')').count();
    while opens < closes {
        let Some(rest) = shown.strip_suffix(')') else {
            break;
        };
        closes -= 1;
        shown = rest.trim_end_matches(TRAILING);
    }
    if is_url {
        let after_scheme = shown.split_once("://").map_or("", |(_, r)| r);
        return (!after_scheme.is_empty()).then(|| (shown.to_string(), shown.len()));
    }
    if is_www {
        let host = shown.get(4..).unwrap_or("");
        let dotted = host.contains('.') && !host.starts_with('.') && !host.ends_with('.');
        return dotted.then(|| (format!("https://{shown}"), shown.len()));
    }
    is_email(shown).then(|| (format!("mailto:{shown}"), shown.len()))
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-'));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphabetic));
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_to_iso() {
        assert_eq!(parse_date("May 1, 2024").as_deref(), Some("2024-05-01"));
        assert_eq!(parse_date("1 мая 2024 г.").as_deref(), Some("2024-05-01"));
        assert_eq!(
            parse_date("Published: 2024-05-01").as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(
            parse_date("Monday, 3 June 2024 10:30 GMT").as_deref(),
            Some("2024-06-03")
        );
        assert_eq!(parse_date("03.06.2024").as_deref(), Some("2024-06-03"));
        assert_eq!(
            parse_date("2024-05-01T10:00:00Z").as_deref(),
            Some("2024-05-01T10:00:00Z")
        );
        assert_eq!(parse_date("May the force be with you"), None);
        assert_eq!(parse_date("February 30, 2024"), None);
    }

    #[test]
    fn bylines_split_authors() {
        assert_eq!(
            parse_byline("By Jane Doe and John Roe"),
            Some(vec!["Jane Doe".to_string(), "John Roe".to_string()])
        );
        assert_eq!(parse_byline("by the river we sat."), None);
    }

    #[test]
    fn urls_lose_trailing_punctuation() {
        assert_eq!(
            link_target("https://example.com/a_(b)),"),
            Some(("https://example.com/a_(b)".to_string(), 25))
        );
        assert_eq!(
            link_target("user@example.org."),
            Some(("mailto:user@example.org".to_string(), 16))
        );
        assert_eq!(link_target("@handle"), None);
    }
}
