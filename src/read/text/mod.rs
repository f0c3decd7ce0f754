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
//!
//! Here: the reader and its lines. `chrome` drops what surrounds the article (a Gutenberg
//! licence, header chrome, the trailer); `header` reads the title and the metadata lines;
//! `blocks` reads the body's blocks; `inlines` makes a paragraph's text and links.

use super::{ReadOptions, Reader, Reading};
use crate::error::{Result, Warning};
use crate::model::Document;

mod blocks;
mod chrome;
mod header;
mod inlines;

use blocks::*;
use chrome::*;
use header::*;
use inlines::*;

/// How many quotes and lists may nest in one another. Each level costs the model one or two
/// levels of depth, so 20 keeps any document well inside `MAX_DEPTH` (64); deeper markers are
/// flattened into the innermost level.
const MAX_NESTING: usize = 20;

/// Reads plain-text articles.
pub struct TextReader;

impl Reader for TextReader {
    fn read_text(&self, input: &str, options: &ReadOptions) -> Result<Reading> {
        let mut lines = split_lines(input);
        dedent_all(&mut lines);
        let (book_start, book_end) = gutenberg_body(&lines);
        let lines = lines.get(book_start..book_end).unwrap_or(&[]);
        let start = skip_header_chrome(lines);
        let end = trailer_chrome_start(lines, start);
        let lines = lines.get(start..end).unwrap_or(&[]);
        let wrap_width = estimate_wrap_width(lines);
        let (mut meta, body_start) = read_front_matter(lines, wrap_width);
        let body = lines.get(body_start..).unwrap_or(&[]);
        let ctx = Context::for_body(body, wrap_width);
        let mut blocks = parse_blocks(body, &ctx, 0, true);
        // An article fetched by its URL names it as its source.
        super::web_source::resolve_against(&mut meta, &mut blocks, options.source_url.as_deref());
        let mut warnings = Vec::new();
        if ctx.flattened.get() {
            warnings.push(Warning::new(format!(
                "quotes or lists nested deeper than {MAX_NESTING} levels were flattened"
            )));
        }
        Ok(Reading::new(Document::new(meta, blocks), warnings))
    }
}

// ---------------------------------------------------------------------------------------------
// Lines

/// One input line: its indentation (in columns, tabs to stops of 4), its text without the
/// indentation and trailing whitespace, and its original display width (for wrap detection,
/// which must not change when a quote marker or list indent is stripped).
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    pub(super) indent: usize,
    pub(super) text: &'a str,
    pub(super) width: usize,
}

impl<'a> Line<'a> {
    pub(super) fn new(raw: &'a str) -> Line<'a> {
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

    pub(super) fn blank() -> Line<'a> {
        Line {
            indent: 0,
            text: "",
            width: 0,
        }
    }

    pub(super) fn is_blank(&self) -> bool {
        self.text.is_empty()
    }

    /// The same line `by` columns less indented.
    pub(super) fn dedented(&self, by: usize) -> Line<'a> {
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
    pub(super) fn push<'a>(lines: &mut Vec<Line<'a>>, line: Line<'a>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_date_iso(text: &str) -> Option<String> {
        parse_date(text).map(|date| date.to_iso())
    }

    #[test]
    fn dates_parse_to_iso() {
        assert_eq!(parse_date_iso("May 1, 2024").as_deref(), Some("2024-05-01"));
        assert_eq!(
            parse_date_iso("1 мая 2024 г.").as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(
            parse_date_iso("Published: 2024-05-01").as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(
            parse_date_iso("Monday, 3 June 2024 10:30 GMT").as_deref(),
            Some("2024-06-03")
        );
        assert_eq!(parse_date_iso("03.06.2024").as_deref(), Some("2024-06-03"));
        assert_eq!(
            parse_date_iso("2024-05-01T10:00:00Z").as_deref(),
            Some("2024-05-01T10:00:00Z")
        );
        assert_eq!(parse_date_iso("May the force be with you"), None);
        assert_eq!(parse_date_iso("February 30, 2024"), None);
        assert_eq!(
            parse_date_iso("February 29, 2024").as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(parse_date_iso("29.02.2023"), None);
        assert_eq!(
            parse_date_iso("2024-05-01T10:00:00+0200").as_deref(),
            Some("2024-05-01")
        );
    }

    #[test]
    fn bylines_split_authors() {
        assert_eq!(
            parse_byline("By Jane Doe and John Roe"),
            Some(vec!["Jane Doe".to_string(), "John Roe".to_string()])
        );
        assert_eq!(parse_byline("by the river we sat."), None);
        assert_eq!(
            parse_byline("Текст: Иван Петров"),
            Some(vec!["Иван Петров".to_string()])
        );
    }

    #[test]
    fn urls_lose_trailing_punctuation() {
        let links = |text: &str| -> Vec<(String, String)> {
            linkify(text)
                .into_iter()
                .filter_map(|inline| match inline {
                    crate::model::Inline::Link(link) => {
                        Some((link.url, crate::model::inlines_to_plain(&link.content)))
                    }
                    _ => None,
                })
                .collect()
        };
        let url = "https://example.com/a_(b)".to_string();
        assert_eq!(
            links("(see https://example.com/a_(b)),"),
            vec![(url.clone(), url)]
        );
        assert_eq!(
            links("“user@example.org.”"),
            vec![(
                "mailto:user@example.org".to_string(),
                "user@example.org".to_string()
            )]
        );
        assert_eq!(
            links("www.example.org;"),
            vec![(
                "https://www.example.org".to_string(),
                "www.example.org".to_string()
            )]
        );
        assert_eq!(links("@handle"), vec![]);
    }
}
