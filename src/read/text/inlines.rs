//! A paragraph's text: wrapped lines joined (hyphenated words mended), bare URLs and e-mail
//! addresses made links.

use super::*;

use crate::model::{normalize_inlines, Inline};

/// A paragraph's lines as inlines: wrapped lines joined (a word hyphenated at the wrap is
/// rejoined), the author's own breaks kept as line breaks, bare URLs and e-mail addresses
/// linked.
pub(super) fn paragraph_inlines(lines: &[Line], ctx: &Context) -> Vec<Inline> {
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
pub(super) fn hyphenated_stem<'a>(line: &'a str, next: &str) -> Option<&'a str> {
    let stem = line.strip_suffix('-')?;
    let mut before = stem.chars().rev();
    let split_word = before.next().is_some_and(char::is_lowercase)
        && before.next().is_some_and(char::is_alphabetic)
        && next.chars().next().is_some_and(char::is_lowercase);
    split_word.then_some(stem)
}

/// Text with bare URLs (`https://…`, `www.…`) and e-mail addresses made into links.
pub(super) fn linkify(text: &str) -> Vec<Inline> {
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
pub(super) fn link_target(word: &str) -> Option<(String, usize)> {
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

pub(super) fn is_email(text: &str) -> bool {
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
