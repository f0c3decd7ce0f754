//! The article's header: the title (a title-like first line, maybe underlined) and the
//! metadata lines under it (byline, date), with the date parsing they use.

use super::*;

use std::cell::Cell;
use std::collections::HashSet;

use crate::model::{Date, Inline, Meta};

/// Short-ish, not ending like a sentence or a clause, not starting in lower case.
pub(super) fn is_title_like(text: &str, max_chars: usize) -> bool {
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
pub(super) fn reads_as_one_phrase(text: &str) -> bool {
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
pub(super) fn has_link_or_handle(text: &str) -> bool {
    text.split_whitespace()
        .any(|w| w.starts_with('@') || linkify(w).iter().any(|i| matches!(i, Inline::Link { .. })))
}

pub(super) fn is_underline(text: &str) -> Option<char> {
    let first = text.chars().next()?;
    (matches!(first, '=' | '-') && text.chars().count() >= 2 && text.chars().all(|c| c == first))
        .then_some(first)
}

/// What a line near the top says about the document.
#[derive(Default)]
pub(super) struct MetaLine {
    pub(super) authors: Vec<String>,
    pub(super) published: Option<Date>,
}

/// The longest line taken for a byline or date line (bytes: 150 Cyrillic letters).
pub(super) const MAX_META_LINE_BYTES: usize = 300;

/// A byline, a date, or both separated by `|`, `·` or a spaced dash.
pub(super) fn parse_meta_line(text: &str) -> Option<MetaLine> {
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
pub(super) fn split_byline_and_date(text: &str) -> Option<(Vec<String>, Date)> {
    [" on ", ", "].iter().find_map(|sep| {
        text.match_indices(sep).find_map(|(at, _)| {
            let date = parse_date(text.get(at + sep.len()..)?)?;
            Some((parse_byline(text.get(..at)?)?, date))
        })
    })
}

/// `By Jane Doe and John Roe`, `Author: …`, `Автор: …` → the names.
pub(super) fn parse_byline(text: &str) -> Option<Vec<String>> {
    const PREFIXES: &[&str] = &[
        "written by ",
        "posted by ",
        "by ",
        "authors:",
        "author:",
        "авторы:",
        "автор:",
        // Russian papers credit the writer as "Текст: …" (text), beside "Фото: …".
        "текст:",
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

/// The month a word names (`May`, `sept.`, `мая`): the model's month names.
pub(super) fn month_number(word: &str) -> Option<u32> {
    crate::model::date::month_from_name(word)
}

/// A weekday's name (`Tue`, `Sunday`, `среда`): the model's weekday names.
pub(super) fn is_weekday(word: &str) -> bool {
    crate::model::date::is_weekday_name(word)
}

/// Tokens that may follow a date on a date line: a time, a zone, a year word.
pub(super) fn is_time_token(token: &str) -> bool {
    let lower = token.to_lowercase();
    (token.contains(':') && token.chars().any(|c| c.is_ascii_digit()))
        || matches!(
            lower.as_str(),
            "am" | "pm" | "a.m." | "p.m." | "utc" | "gmt" | "at" | "г." | "г" | "года" | "в"
        )
        || (token.len() <= 4 && token.chars().all(|c| c.is_ascii_uppercase()))
}

/// The day, when the calendar has it and its year is one an article can carry.
pub(super) fn valid_date(year: u32, month: u32, day: u32) -> Option<Date> {
    if !(1000..3000).contains(&year) {
        return None;
    }
    let day = crate::model::date::calendar_date(i32::try_from(year).ok()?, month, day)?;
    Some(Date::from_day(day))
}

pub(super) fn day_number(token: &str) -> Option<u32> {
    let digits = token
        .trim_end_matches('.')
        .trim_end_matches(|c: char| c.is_alphabetic());
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok()
}

pub(super) fn year_number(token: &str) -> Option<u32> {
    let digits = token.trim_end_matches(['.', 'г']);
    (digits.len() == 4).then(|| digits.parse().ok()).flatten()
}

/// A date in the usual forms of articles (ISO, `May 1, 2024`, `1 May 2024`, `01.05.2024`,
/// `1 мая 2024 г.`), with an optional label and weekday.
pub(super) fn parse_date(text: &str) -> Option<Date> {
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
pub(super) fn parse_numeric_date(token: &str) -> Option<Date> {
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
            // The time too when it is a valid ISO time; the day alone otherwise.
            Date::parse_iso(token).or(Some(date))
        }
        Some(_) => Some(date),
    }
}

/// The title and what follows it (subtitle, byline, date). Returns the metadata and the
/// index of the first body line.
pub(super) fn read_front_matter(lines: &[Line], wrap_width: Option<usize>) -> (Meta, usize) {
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
