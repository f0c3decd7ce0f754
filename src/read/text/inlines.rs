//! A paragraph's text: wrapped lines joined (hyphenated words mended), bare URLs and e-mail
//! addresses made links.

use super::*;

use crate::model::autolink::{link_text, WwwScheme};
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

/// Text with bare URLs (`https://…`, `www.…`, which goes to `https://`) and e-mail addresses
/// made into links.
pub(super) fn linkify(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    link_text(text, WwwScheme::Https, &mut out);
    out
}
