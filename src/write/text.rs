//! The plain-text writer: the article as readable text, for pipelines and for scoring
//! extraction against reference texts.
//!
//! Shape: the title line, then subtitle, byline and date lines when present, a blank line, then
//! the blocks separated by blank lines. Level 1–2 headings are underlined with `=` / `-` as wide
//! as the heading (counted in chars); lists use `- ` and `1. ` with continuation lines indented
//! under the item text; quotes are prefixed `> `; code is indented four spaces; tables are
//! aligned columns; figures are `[caption]`, or `[Image: alt]` when they have no caption; links
//! keep only their text, images their alt text; footnotes are `[1]` markers with a
//! list after a rule at the end (notes
//! referenced from notes are numbered after the body's, in the order they are written).
//! `options.text_width` wraps paragraphs, list items, quotes and notes at that width. The output
//! ends with exactly one newline and has no trailing spaces.

use super::table_layout::layout;
use super::{Rendered, Streamed, WriteOptions, Writer, STREAM_CHUNK};
use crate::error::{Result, Warning};
use crate::model::{Alignment, Block, Document, Inline, Meta, Table, MAX_DEPTH};
use std::io;

/// Writes a document as plain text.
pub struct TextWriter;

impl Writer for TextWriter {
    fn write(&self, document: &Document, options: &WriteOptions) -> Result<Rendered> {
        let mut bytes = Vec::new();
        let warnings = write_text(document, options, &mut bytes, 0)?;
        Ok(Rendered { bytes, warnings })
    }

    fn write_to(
        &self,
        document: &Document,
        options: &WriteOptions,
        out: &mut dyn io::Write,
    ) -> Result<Vec<Warning>> {
        write_text(document, options, out, STREAM_CHUNK)
    }
}

/// Writes the text to `out`, a block at a time once `flush_len` bytes are waiting.
fn write_text(
    document: &Document,
    options: &WriteOptions,
    out: &mut dyn io::Write,
    flush_len: usize,
) -> Result<Vec<Warning>> {
    let mut renderer = TextRenderer {
        notes: Vec::new(),
        warnings: Vec::new(),
        depth: 0,
    };
    let width = options.text_width.filter(|&w| w > 0);
    // Sections (header, body, notes) are separated by a blank line, as are the body's
    // blocks. The body goes out block by block: its lines are never all held at once. The
    // newlines the text ends with are kept back, since the end is trimmed to one.
    let mut text = Streamed::new(out, flush_len);
    // A fragment is the body alone: pipelines (and extraction scoring) want no header.
    if !options.fragment {
        push_lines(&mut text.buffer, header_lines(&document.meta));
    }
    let mut body_started = false;
    for block in &document.blocks {
        let lines = renderer.block(block, width);
        if lines.is_empty() {
            continue;
        }
        if body_started || !text.is_empty() {
            text.buffer.push('\n');
        }
        body_started = true;
        push_lines(&mut text.buffer, lines);
        text.flush_before_trailing_newlines()?;
    }
    let notes = renderer.notes_lines(width);
    if !notes.is_empty() && !text.is_empty() {
        text.buffer.push('\n');
    }
    push_lines(&mut text.buffer, notes);
    let trimmed_len = text.buffer.trim_end().len();
    text.buffer.truncate(trimmed_len);
    text.buffer.push('\n');
    text.finish()?;
    Ok(renderer.warnings)
}

/// Appends lines, each without trailing spaces and ending with a newline.
fn push_lines(text: &mut String, lines: Vec<String>) {
    for line in lines {
        text.push_str(line.trim_end());
        text.push('\n');
    }
}

/// Title, subtitle, byline and date, one line each, only those that exist.
fn header_lines(meta: &Meta) -> Vec<String> {
    let mut lines = Vec::new();
    let mut push = |value: &str| {
        let value = one_line(value);
        if !value.is_empty() {
            lines.push(value);
        }
    };
    if let Some(title) = &meta.title {
        push(title);
    }
    if let Some(subtitle) = &meta.subtitle {
        push(subtitle);
    }
    let authors: Vec<String> = meta
        .authors
        .iter()
        .map(|a| one_line(a))
        .filter(|a| !a.is_empty())
        .collect();
    if !authors.is_empty() {
        push(&format!("By {}", super::html::join_names(&authors)));
    }
    if let Some(published) = &meta.published {
        push(&super::html::human_date(published));
    }
    lines
}

/// Text on one line: control characters and line breaks become spaces, runs of spaces one.
fn one_line(text: &str) -> String {
    let spaced: String = text.chars().filter_map(visible_char).collect();
    spaced
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A character as running text shows it: tabs and line ends as spaces, other control
/// characters not at all.
fn visible_char(c: char) -> Option<char> {
    match c {
        '\t' | '\n' | '\r' => Some(' '),
        c if c.is_control() => None,
        c => Some(c),
    }
}

/// How deep rendering goes before it stops: a guard for models that skipped the readers'
/// depth limit, well beyond what they allow.
const DEPTH_GUARD: usize = MAX_DEPTH * 4;

struct TextRenderer<'a> {
    /// Notes in number order (number = index + 1); rendering a note may append more.
    notes: Vec<&'a [Block]>,
    warnings: Vec<Warning>,
    depth: usize,
}

impl<'a> TextRenderer<'a> {
    fn enter(&mut self) -> bool {
        if self.depth >= DEPTH_GUARD {
            if self.warnings.is_empty() {
                self.warnings.push(Warning {
                    message: format!(
                        "content nested deeper than {DEPTH_GUARD} levels was left out"
                    ),
                });
            }
            return false;
        }
        self.depth += 1;
        true
    }

    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Blocks separated by blank lines.
    fn blocks(&mut self, blocks: &'a [Block], width: Option<usize>) -> Vec<String> {
        self.joined_blocks(blocks, width, true)
    }

    fn joined_blocks(
        &mut self,
        blocks: &'a [Block],
        width: Option<usize>,
        blank_between: bool,
    ) -> Vec<String> {
        let mut lines = Vec::new();
        for block in blocks {
            let block_lines = self.block(block, width);
            if block_lines.is_empty() {
                continue;
            }
            if blank_between && !lines.is_empty() {
                lines.push(String::new());
            }
            lines.extend(block_lines);
        }
        lines
    }

    fn block(&mut self, block: &'a Block, width: Option<usize>) -> Vec<String> {
        if !self.enter() {
            return Vec::new();
        }
        let lines = match block {
            Block::Paragraph(inlines) => {
                let text = self.inlines(inlines);
                wrap(&text, width)
            }
            Block::Heading { level, content, .. } => {
                let text = one_line(&self.inlines(content));
                let underline = match level {
                    1 => Some('='),
                    2 => Some('-'),
                    _ => None,
                };
                let mut lines = vec![text.clone()];
                if let Some(mark) = underline {
                    lines.push(std::iter::repeat_n(mark, text.chars().count()).collect());
                }
                lines
            }
            Block::Quote(inner) => {
                let inner_width = width.map(|w| w.saturating_sub(2).max(8));
                self.blocks(inner, inner_width)
                    .into_iter()
                    .map(|line| {
                        if line.is_empty() {
                            ">".to_string()
                        } else {
                            format!("> {line}")
                        }
                    })
                    .collect()
            }
            Block::List(list) => {
                let mut lines = Vec::new();
                for (index, item) in list.items.iter().enumerate() {
                    let marker = if list.ordered {
                        let number = u64::from(list.start) + index as u64;
                        format!("{number}. ")
                    } else {
                        "- ".to_string()
                    };
                    let indent = marker.chars().count();
                    let item_width = width.map(|w| w.saturating_sub(indent).max(8));
                    let item_lines = self.joined_blocks(item, item_width, !list.tight);
                    if !list.tight && index > 0 {
                        lines.push(String::new());
                    }
                    if item_lines.is_empty() {
                        lines.push(marker.trim_end().to_string());
                    }
                    for (i, line) in item_lines.into_iter().enumerate() {
                        if i == 0 {
                            lines.push(format!("{marker}{line}"));
                        } else if line.is_empty() {
                            lines.push(line);
                        } else {
                            lines.push(format!("{}{line}", " ".repeat(indent)));
                        }
                    }
                }
                lines
            }
            Block::Code { text, .. } => text
                .replace("\r\n", "\n")
                .split(['\n', '\r'])
                .map(|line| {
                    let line: String = line
                        .chars()
                        .filter(|&c| c == '\t' || !c.is_control())
                        .collect();
                    if line.trim().is_empty() {
                        String::new()
                    } else {
                        format!("    {line}")
                    }
                })
                .collect(),
            Block::Table(table) => self.table(table),
            Block::Figure(figure) => {
                // A captioned image is its caption, in brackets (pandoc's plain output does the
                // same, and Markdown keeps only the caption); otherwise its alt text.
                let caption = self.inlines(&figure.caption);
                if caption.trim().is_empty() {
                    let alt = one_line(&figure.image.alt);
                    vec![if alt.is_empty() {
                        "[Image]".to_string()
                    } else {
                        format!("[Image: {alt}]")
                    }]
                } else {
                    wrap(&format!("[{caption}]"), width)
                }
            }
            Block::Rule => vec!["* * *".to_string()],
            Block::Container { blocks, .. } => self.blocks(blocks, width),
        };
        self.leave();
        lines
    }

    /// Inline content as text: line breaks are `\n`, notes `[n]`.
    fn inlines(&mut self, inlines: &'a [Inline]) -> String {
        let mut out = String::new();
        self.push_inlines(inlines, &mut out);
        out
    }

    fn push_inlines(&mut self, inlines: &'a [Inline], out: &mut String) {
        for inline in inlines {
            if !self.enter() {
                return;
            }
            match inline {
                Inline::Text(text) | Inline::Code(text) => {
                    // Readers never leave breaks in text, but a hand-made model might:
                    // they become spaces, other control characters go.
                    out.extend(text.chars().filter_map(visible_char))
                }
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Span { content: c, .. } => self.push_inlines(c, out),
                Inline::Link(link) => self.push_inlines(&link.content, out),
                Inline::Image(image) => out.push_str(&one_line(&image.alt)),
                Inline::LineBreak => out.push('\n'),
                Inline::Note(blocks) => {
                    self.notes.push(blocks);
                    out.push_str(&format!("[{}]", self.notes.len()));
                }
            }
            self.leave();
        }
    }

    fn table(&mut self, table: &'a Table) -> Vec<String> {
        let mut lines = Vec::new();
        let caption = one_line(&self.inlines(&table.caption));
        if !caption.is_empty() {
            lines.push(caption);
        }
        let grid = layout(table);
        let columns = grid.columns;
        // Each row as (first column, column span, text), in column order.
        let mut rows: Vec<Vec<(usize, usize, String)>> = Vec::new();
        for row in grid.head.iter().chain(&grid.body) {
            let mut cells = Vec::with_capacity(row.len());
            for placed in row {
                let mut text = String::new();
                for block in placed.cell.map(|c| c.content.as_slice()).unwrap_or(&[]) {
                    let block_text = one_line(&self.block(block, None).join(" "));
                    if !block_text.is_empty() {
                        if !text.is_empty() {
                            text.push(' ');
                        }
                        text.push_str(&block_text);
                    }
                }
                cells.push((placed.column, placed.colspan, text));
            }
            rows.push(cells);
        }
        let mut widths = vec![0usize; columns];
        for (column, _, text) in rows.iter().flatten().filter(|(_, span, _)| *span == 1) {
            if let Some(width) = widths.get_mut(*column) {
                *width = (*width).max(text.chars().count());
            }
        }
        // A spanning cell wider than the columns it covers widens the last of them.
        let span_width = |widths: &[usize], column: usize, span: usize| {
            let end = (column + span).min(widths.len());
            let inner = widths
                .get(column..end)
                .map_or(0, |w| w.iter().sum::<usize>());
            inner + SEPARATOR.len() * end.saturating_sub(column + 1)
        };
        for (column, span, text) in rows.iter().flatten().filter(|(_, span, _)| *span > 1) {
            let needed = text.chars().count();
            let available = span_width(&widths, *column, *span);
            let last = (column + span).min(columns).saturating_sub(1);
            if needed > available {
                if let Some(width) = widths.get_mut(last) {
                    *width += needed - available;
                }
            }
        }
        for (row_index, row) in rows.iter().enumerate() {
            let mut line = String::new();
            let mut next_column = 0;
            for (column, span, text) in row {
                // Columns covered by a row span from above stay blank.
                while next_column < *column {
                    if next_column > 0 {
                        line.push_str(SEPARATOR);
                    }
                    line.push_str(&" ".repeat(widths.get(next_column).copied().unwrap_or(0)));
                    next_column += 1;
                }
                if *column > 0 {
                    line.push_str(SEPARATOR);
                }
                let alignment = table.alignments.get(*column).copied().unwrap_or_default();
                line.push_str(&pad(text, span_width(&widths, *column, *span), alignment));
                next_column = column + span;
            }
            lines.push(line.trim_end().to_string());
            if row_index + 1 == grid.head.len() {
                let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w.max(1))).collect();
                lines.push(rule.join(SEPARATOR));
            }
        }
        lines
    }

    /// The notes list; notes referenced from notes are appended while it is written.
    fn notes_lines(&mut self, width: Option<usize>) -> Vec<String> {
        if self.notes.is_empty() {
            return Vec::new();
        }
        // A rule, not a "Notes" heading: the text is the document's words and nothing more.
        let mut lines = vec!["----------".to_string()];
        let mut index = 0;
        while let Some(&blocks) = self.notes.get(index) {
            let marker = format!("[{}] ", index + 1);
            let indent = marker.chars().count();
            let note_width = width.map(|w| w.saturating_sub(indent).max(8));
            let note_lines = self.blocks(blocks, note_width);
            lines.push(String::new());
            if note_lines.is_empty() {
                lines.push(marker.trim_end().to_string());
            }
            for (i, line) in note_lines.into_iter().enumerate() {
                if i == 0 {
                    lines.push(format!("{marker}{line}"));
                } else if line.is_empty() {
                    lines.push(line);
                } else {
                    lines.push(format!("{}{line}", " ".repeat(indent)));
                }
            }
            index += 1;
        }
        lines
    }
}

const SEPARATOR: &str = "  ";

fn pad(text: &str, width: usize, alignment: Alignment) -> String {
    let gap = width.saturating_sub(text.chars().count());
    match alignment {
        Alignment::Right => format!("{}{text}", " ".repeat(gap)),
        Alignment::Center => {
            let left = gap / 2;
            format!("{}{text}{}", " ".repeat(left), " ".repeat(gap - left))
        }
        Alignment::Left | Alignment::Default => format!("{text}{}", " ".repeat(gap)),
    }
}

/// Splits text at its line breaks and, with a width, wraps each line greedily at spaces (a
/// word longer than the width gets a line of its own). Runs of spaces become one.
fn wrap(text: &str, width: Option<usize>) -> Vec<String> {
    let mut lines = Vec::new();
    let width = width.unwrap_or(usize::MAX);
    for hard_line in text.split('\n') {
        let mut line = String::new();
        let mut line_len: usize = 0;
        for word in hard_line.split(' ').filter(|w| !w.is_empty()) {
            let word_len = word.chars().count();
            if line_len > 0 && line_len.saturating_add(1 + word_len) > width {
                lines.push(std::mem::take(&mut line));
                line_len = 0;
            }
            if line_len > 0 {
                line.push(' ');
                line_len += 1;
            }
            line.push_str(word);
            line_len += word_len;
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_greedily_and_keeps_long_words() {
        assert_eq!(
            wrap("aa bb cc dddddddddd e", Some(5)),
            vec!["aa bb", "cc", "dddddddddd", "e"]
        );
        assert_eq!(wrap("a\nb c", Some(10)), vec!["a", "b c"]);
        assert_eq!(wrap(" a  b ", None), vec!["a b"]);
    }

    #[test]
    fn pads_by_alignment() {
        assert_eq!(pad("ab", 5, Alignment::Right), "   ab");
        assert_eq!(pad("ab", 5, Alignment::Center), " ab  ");
        assert_eq!(pad("ab", 5, Alignment::Default), "ab   ");
    }
}
