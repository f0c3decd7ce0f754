//! Block reading: the body's lines grouped into headings, paragraphs, lists, quotes, code and
//! rules, with what the whole body tells (its wrap width, its numbered headings).

use super::*;

use std::cell::Cell;
use std::collections::HashSet;

use crate::model::{normalize_inlines, Block, List};

/// What the whole text says about how to read its parts.
pub(super) struct Context {
    /// The column at which the text was hard-wrapped, when it was.
    pub(super) wrap_width: Option<usize>,
    /// Whether indented blocks are code (false when paragraphs themselves are indented).
    pub(super) code_allowed: bool,
    /// Top-level lines that are numbered section headings (`1. Introduction`).
    pub(super) numbered_headings: HashSet<usize>,
    /// Set when nesting past `MAX_NESTING` was flattened, to warn the caller.
    pub(super) flattened: Cell<bool>,
}

impl Context {
    pub(super) fn for_body(lines: &[Line], wrap_width: Option<usize>) -> Context {
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
    pub(super) fn is_wrapped(&self, line: &Line, next: &Line) -> bool {
        let first_word = next.text.split_whitespace().next().unwrap_or("");
        self.wrap_width
            .is_some_and(|w| line.width + 1 + first_word.chars().count() > w)
    }
}

/// Calls `f` with every run of non-blank lines.
pub(super) fn for_each_group<'l, 'a>(lines: &'l [Line<'a>], mut f: impl FnMut(&'l [Line<'a>])) {
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
pub(super) fn estimate_wrap_width(lines: &[Line]) -> Option<usize> {
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
pub(super) fn numbered_headings(lines: &[Line]) -> HashSet<usize> {
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
pub(super) fn split_section_number(text: &str) -> Option<(&str, &str)> {
    let (head, title) = text.split_once(char::is_whitespace)?;
    let number = head.strip_suffix('.').unwrap_or(head);
    let valid = !number.is_empty()
        && number.len() <= 12
        && number
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()));
    valid.then_some((number, title.trim()))
}

pub(super) fn is_section_title(title: &str) -> bool {
    is_title_like(title, 80)
        && !title.ends_with(['!', '?'])
        && title.split_whitespace().count() <= 12
}

pub(super) fn followed_by_paragraph(lines: &[Line], k: usize) -> bool {
    next_non_blank(lines, k + 1).is_some_and(|n| {
        let line = &lines[n];
        list_marker(line).is_none() && !line.text.starts_with('>') && !is_rule(line.text)
    })
}

/// A thematic break: three or more of one of `*-_=~` (spaces between allowed).
pub(super) fn is_rule(text: &str) -> bool {
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
pub(super) struct Marker {
    pub(super) ordered: bool,
    /// Items continue a list only in its own style: bullets, `1.`, `1)` or `a)`.
    pub(super) style: char,
    pub(super) number: u32,
    /// Bytes of `text` taken by the marker and the spaces after it.
    pub(super) len: usize,
    /// Columns the marker and its spaces take.
    pub(super) columns: usize,
}

pub(super) fn list_marker(line: &Line) -> Option<Marker> {
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

pub(super) fn is_quote_line(line: &Line) -> bool {
    line.indent <= 3 && line.text.starts_with('>')
}

/// The line with one `>` (and one following space) removed.
pub(super) fn strip_quote_marker<'a>(line: &Line<'a>) -> Line<'a> {
    let rest = line.text.strip_prefix('>').unwrap_or(line.text);
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let mut stripped = Line::new(rest);
    stripped.width = line.width;
    stripped
}

/// The line with every leading `>` removed (for quotes nested past [`MAX_NESTING`]).
pub(super) fn strip_all_quote_markers<'a>(line: &Line<'a>) -> Line<'a> {
    let rest = line.text.trim_start_matches(['>', ' ']);
    let mut stripped = Line::new(rest);
    stripped.width = line.width;
    stripped
}

/// Parses lines into blocks. `top` enables the rules that only make sense for the article
/// body itself (headings); `depth` counts the quotes and lists around these lines.
pub(super) fn parse_blocks(lines: &[Line], ctx: &Context, depth: usize, top: bool) -> Vec<Block> {
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

pub(super) fn heading(level: u8, text: &str) -> Block {
    Block::Heading {
        level,
        id: Box::default(),
        content: normalize_inlines(linkify(text.trim())),
    }
}

/// The end of a run of `>` lines (blank lines inside it included when more `>` lines follow).
pub(super) fn quote_end(lines: &[Line], start: usize) -> usize {
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
pub(super) fn code_block(lines: &[Line], start: usize) -> Option<(Block, usize)> {
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
pub(super) fn paragraph_end(
    lines: &[Line],
    start: usize,
    lists_allowed: bool,
    ctx: &Context,
) -> usize {
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
pub(super) fn split_indented_paragraphs<'l, 'a>(lines: &'l [Line<'a>]) -> Vec<&'l [Line<'a>]> {
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
pub(super) fn split_long_line_paragraphs<'l, 'a>(
    lines: &'l [Line<'a>],
    ctx: &Context,
) -> Vec<&'l [Line<'a>]> {
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
pub(super) const LONG_LINE: usize = 100;

/// The level of a line standing alone that reads as a heading, if it does.
pub(super) fn standalone_heading_level(text: &str, lines: &[Line], k: usize) -> Option<u8> {
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
pub(super) fn chapter_heading_level(text: &str) -> Option<u8> {
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
pub(super) fn roman_numeral(text: &str) -> bool {
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
pub(super) fn parse_list<'a>(
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
        checked: Default::default(),
        ordered,
        start: if ordered { first.number } else { 1 },
        tight,
        items,
    };
    (Block::List(list), k.max(start + 1))
}

// ---------------------------------------------------------------------------------------------
// Inline content
