//! The plain-text writer: the article as readable text, for pipelines and for scoring
//! extraction against reference texts.
//!
//! Shape: the title line, then subtitle, byline and date lines when present (a fragment keeps
//! the subtitle alone, as the body's first line), a blank line, then
//! the blocks separated by blank lines. Level 1–2 headings are underlined with `=` / `-` as wide
//! as the heading (counted in chars); lists use `- ` and `1. ` (a task item `- [x] ` or
//! `- [ ] `) with continuation lines indented under the item text; quotes are prefixed `> `;
//! code is indented four spaces; tables are aligned columns; figures are `[caption]`, or
//! `[Image: alt]` when they have no caption, or `[alt]` and the caption on the next line when
//! the two differ; links keep only their text, images in running text their alt text in
//! brackets (`[alt]`; nothing when it is empty), and a list item left with nothing to show
//! is left out; sub- and superscripts are Unicode's lowered and raised characters where each
//! character has one (`H₂O`), else `_x` or `^(…)`; footnotes are `[1]` markers with a list
//! after a rule at the end (notes referenced from notes are numbered after the body's, in the
//! order they are written). `options.text_width` wraps paragraphs, list items, quotes and
//! notes at that width. The output ends with exactly one newline and has no trailing spaces.

use super::table_layout::{layout, PlacedCell, TableLayout};
use super::{Rendered, Streamed, WriteOptions, Writer, STREAM_CHUNK};
use crate::error::{Result, Warning};
use crate::model::{inlines_to_plain, Alignment, Block, Document, Inline, Meta, Table};
use std::io;

/// Writes a document as plain text.
pub struct TextWriter;

impl Writer for TextWriter {
    fn render(&self, document: &Document, options: &WriteOptions) -> Result<Rendered> {
        let mut bytes = Vec::new();
        let warnings = write_text(document, options, &mut bytes, 0)?;
        Ok(Rendered { bytes, warnings })
    }

    fn render_to(
        &self,
        document: &Document,
        options: &WriteOptions,
        out: &mut dyn io::Write,
    ) -> Result<Vec<Warning>> {
        write_text(document, options, out, STREAM_CHUNK)
    }
}

/// Writes the text to `out`, a line at a time once `flush_len` bytes are waiting.
fn write_text(
    document: &Document,
    options: &WriteOptions,
    out: &mut dyn io::Write,
    flush_len: usize,
) -> Result<Vec<Warning>> {
    let mut renderer = TextRenderer {
        notes: Vec::new(),
        warnings: Vec::new(),
        in_cells: 0,
    };
    let width = options.text_width.filter(|&w| w > 0);
    // Sections (header, body, notes) are separated by a blank line, as are the body's
    // blocks. Lines go out as they are made: a long table is never held whole.
    let mut text = Streamed::new(out, flush_len);
    // A fragment is the body alone: pipelines (and extraction scoring) want no title or
    // byline lines. The standfirst stays: it is the article's opening words, not a label.
    if !options.fragment {
        for line in header_lines(&document.meta) {
            StreamLines(&mut text).line(&line)?;
        }
    } else if let Some(subtitle) = document.meta.subtitle.as_deref().map(one_line) {
        if !subtitle.is_empty() {
            StreamLines(&mut text).line(&subtitle)?;
        }
    }
    let written = !text.is_empty();
    let mut stream = StreamLines(&mut text);
    let mut sections = Joined::new(&mut stream, true, written);
    for block in &document.blocks {
        sections.start_block();
        renderer.block(block, width, &mut sections)?;
    }
    sections.start_block();
    renderer.notes(width, &mut sections)?;
    // The newlines the text ends with were kept back: the end is trimmed to one.
    let trimmed_len = text.buffer.trim_end().len();
    text.buffer.truncate(trimmed_len);
    text.buffer.push('\n');
    text.finish()?;
    Ok(renderer.warnings)
}

/// Raised or lowered text, for [`TextRenderer::push_script`].
#[derive(Clone, Copy)]
enum Script {
    Super,
    Sub,
}

impl Script {
    /// The mark used when the text has no Unicode form: `^` raises, `_` lowers (as in TeX).
    fn mark(self) -> char {
        match self {
            Script::Super => '^',
            Script::Sub => '_',
        }
    }

    /// The character's raised or lowered form, where Unicode has one: digits, signs,
    /// parentheses and the letters that the Superscripts and Subscripts block and the
    /// modifier letters cover (lower case only: capitals have too few).
    fn char_for(self, c: char) -> Option<char> {
        const SUPER_DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
        const SUPER_LETTERS: &str = "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖ\0ʳˢᵗᵘᵛʷˣʸᶻ";
        const SUB_LETTERS: &str = "ₐ\0\0\0ₑ\0\0ₕᵢⱼₖₗₘₙₒₚ\0ᵣₛₜᵤᵥ\0ₓ\0\0";
        let letter = |table: &str| {
            let index = (c as u32).checked_sub('a' as u32)? as usize;
            table.chars().nth(index).filter(|&l| l != '\0')
        };
        match (self, c) {
            (Script::Super, '0'..='9') => SUPER_DIGITS.get(c.to_digit(10)? as usize).copied(),
            (Script::Sub, '0'..='9') => char::from_u32(0x2080 + c.to_digit(10)?),
            (Script::Super, '+') => Some('⁺'),
            (Script::Super, '-' | '\u{2212}') => Some('⁻'),
            (Script::Super, '=') => Some('⁼'),
            (Script::Super, '(') => Some('⁽'),
            (Script::Super, ')') => Some('⁾'),
            (Script::Sub, '+') => Some('₊'),
            (Script::Sub, '-' | '\u{2212}') => Some('₋'),
            (Script::Sub, '=') => Some('₌'),
            (Script::Sub, '(') => Some('₍'),
            (Script::Sub, ')') => Some('₎'),
            (Script::Super, 'a'..='z') => letter(SUPER_LETTERS),
            (Script::Sub, 'a'..='z') => letter(SUB_LETTERS),
            _ => None,
        }
    }
}

/// Where rendered lines go: a list of lines, the output, or another sink through a prefix.
trait LineSink {
    /// Takes one line (holding no newline).
    fn line(&mut self, line: &str) -> io::Result<()>;
}

impl LineSink for Vec<String> {
    fn line(&mut self, line: &str) -> io::Result<()> {
        self.push(line.to_string());
        Ok(())
    }
}

/// The output: each line without its trailing spaces, ending with a newline; sent on once
/// enough is waiting, except the newlines at its end (the end of the text is trimmed).
struct StreamLines<'s, 'o>(&'s mut Streamed<'o>);

impl LineSink for StreamLines<'_, '_> {
    fn line(&mut self, line: &str) -> io::Result<()> {
        self.0.buffer.push_str(line.trim_end());
        self.0.buffer.push('\n');
        self.0.flush_before_trailing_newlines()
    }
}

/// Blocks' lines one after the other, with a blank line before each block that writes
/// something after something was written (when `blank_between`).
struct Joined<'s> {
    out: &'s mut dyn LineSink,
    blank_between: bool,
    /// Something was written (by these blocks or before them).
    written: bool,
    /// The block being written must start with a blank line.
    blank_due: bool,
}

impl<'s> Joined<'s> {
    fn new(out: &'s mut dyn LineSink, blank_between: bool, written: bool) -> Joined<'s> {
        Joined {
            out,
            blank_between,
            written,
            blank_due: false,
        }
    }

    /// Marks the start of the next block.
    fn start_block(&mut self) {
        self.blank_due = self.blank_between && self.written;
    }
}

impl LineSink for Joined<'_> {
    fn line(&mut self, line: &str) -> io::Result<()> {
        if std::mem::take(&mut self.blank_due) {
            self.out.line("")?;
        }
        self.written = true;
        self.out.line(line)
    }
}

/// A quote's lines: `> ` before each, `>` alone for an empty one.
struct Quoted<'s>(&'s mut dyn LineSink);

impl LineSink for Quoted<'_> {
    fn line(&mut self, line: &str) -> io::Result<()> {
        if line.is_empty() {
            self.0.line(">")
        } else {
            self.0.line(&format!("> {line}"))
        }
    }
}

/// A list item's or a note's lines: the marker before the first, the others indented under
/// it (empty ones stay empty).
struct Marked<'s> {
    out: &'s mut dyn LineSink,
    marker: &'s str,
    indent: usize,
    written: bool,
}

impl<'s> Marked<'s> {
    fn new(out: &'s mut dyn LineSink, marker: &'s str) -> Marked<'s> {
        Marked {
            out,
            marker,
            indent: marker.chars().count(),
            written: false,
        }
    }

    /// Writes the marker alone if nothing was written under it.
    fn finish(self) -> io::Result<()> {
        if self.written {
            return Ok(());
        }
        self.out.line(self.marker.trim_end())
    }
}

impl LineSink for Marked<'_> {
    fn line(&mut self, line: &str) -> io::Result<()> {
        if !std::mem::replace(&mut self.written, true) {
            self.out.line(&format!("{}{line}", self.marker))
        } else if line.is_empty() {
            self.out.line(line)
        } else {
            self.out.line(&format!("{}{line}", " ".repeat(self.indent)))
        }
    }
}

/// Title, subtitle, byline and date, one line each, only those that exist.
fn header_lines(meta: &Meta) -> Vec<String> {
    let labels = crate::locale::Labels::for_language(meta.language.as_deref());
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
        push(&labels.byline(&authors));
    }
    if let Some(published) = &meta.published {
        push(&labels.date(published));
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

struct TextRenderer<'a> {
    /// Notes in number order (number = index + 1); rendering a note may append more.
    notes: Vec<&'a [Block]>,
    warnings: Vec<Warning>,
    /// How many table cells are being rendered around the current block.
    in_cells: usize,
}

/// Where a table's cell texts come from, on each of its passes over the rows.
struct CellTexts {
    /// `None`: rendered anew on each pass, so that only a row's are held. `Some`: rendered
    /// on the first pass and kept, for a table inside another's cell: that cell is rendered
    /// on each of the outer table's passes, so rendering anew would multiply with each level
    /// of nesting.
    kept: Option<Vec<String>>,
    /// The next cell's index in `kept`.
    next: usize,
}

impl<'a> TextRenderer<'a> {
    /// Blocks separated by blank lines.
    fn blocks(
        &mut self,
        blocks: &'a [Block],
        width: Option<usize>,
        out: &mut dyn LineSink,
    ) -> io::Result<()> {
        self.joined_blocks(blocks, width, true, out)
    }

    fn joined_blocks(
        &mut self,
        blocks: &'a [Block],
        width: Option<usize>,
        blank_between: bool,
        out: &mut dyn LineSink,
    ) -> io::Result<()> {
        let mut joined = Joined::new(out, blank_between, false);
        for block in blocks {
            joined.start_block();
            self.block(block, width, &mut joined)?;
        }
        Ok(())
    }

    fn block(
        &mut self,
        block: &'a Block,
        width: Option<usize>,
        out: &mut dyn LineSink,
    ) -> io::Result<()> {
        self.block_lines(block, width, out)
    }

    fn block_lines(
        &mut self,
        block: &'a Block,
        width: Option<usize>,
        out: &mut dyn LineSink,
    ) -> io::Result<()> {
        match block {
            Block::Paragraph(inlines) => {
                let text = self.inlines(inlines);
                wrap(&text, width, out)
            }
            Block::Heading { level, content, .. } => {
                let text = one_line(&self.inlines(content));
                out.line(&text)?;
                let underline = match level {
                    1 => Some('='),
                    2 => Some('-'),
                    _ => None,
                };
                match underline {
                    Some(mark) => {
                        let underline: String =
                            std::iter::repeat_n(mark, text.chars().count()).collect();
                        out.line(&underline)
                    }
                    None => Ok(()),
                }
            }
            Block::Quote(inner) => {
                let inner_width = width.map(|w| w.saturating_sub(2).max(8));
                self.blocks(inner, inner_width, &mut Quoted(out))
            }
            Block::List(list) => {
                // An item that would show nothing (its one image had no alt text, say) is
                // left out rather than written as a bare marker; the items after it are
                // numbered on from the ones written.
                let mut written: u64 = 0;
                for (index, item) in list.items.iter().enumerate() {
                    if list.task(index).is_none() && item.iter().all(block_shows_nothing) {
                        continue;
                    }
                    let mut marker = if list.ordered {
                        let number = u64::from(list.start) + written;
                        format!("{number}. ")
                    } else {
                        "- ".to_string()
                    };
                    // A task item's box follows the marker, as in Markdown; the item's
                    // lines go under its text, past the box.
                    match list.task(index) {
                        Some(true) => marker.push_str("[x] "),
                        Some(false) => marker.push_str("[ ] "),
                        None => {}
                    }
                    let indent = marker.chars().count();
                    let item_width = width.map(|w| w.saturating_sub(indent).max(8));
                    if !list.tight && written > 0 {
                        out.line("")?;
                    }
                    written += 1;
                    let mut marked = Marked::new(out, &marker);
                    self.joined_blocks(item, item_width, !list.tight, &mut marked)?;
                    marked.finish()?;
                }
                Ok(())
            }
            Block::Code { text, .. } => {
                for line in text.replace("\r\n", "\n").split(['\n', '\r']) {
                    let line: String = line
                        .chars()
                        .filter(|&c| c == '\t' || !c.is_control())
                        .collect();
                    if line.trim().is_empty() {
                        out.line("")?;
                    } else {
                        out.line(&format!("    {line}"))?;
                    }
                }
                Ok(())
            }
            Block::Table(table) => self.table(table, out),
            Block::Figure(figure) => {
                // A captioned image is its caption, in brackets (pandoc's plain output does the
                // same); otherwise its alt text. When the alt text says something else, it
                // stands for the picture, in brackets, and the caption follows as its own
                // line (the words pandoc reads from the Markdown, which keeps both).
                let caption = self.inlines(&figure.caption);
                let alt = one_line(&figure.image.alt);
                if caption.trim().is_empty() {
                    if alt.is_empty() {
                        out.line("[Image]")
                    } else {
                        out.line(&format!("[Image: {alt}]"))
                    }
                } else if alt.is_empty() || inlines_to_plain(&figure.caption) == figure.image.alt {
                    wrap(&format!("[{caption}]"), width, out)
                } else {
                    wrap(&format!("[{alt}]"), width, out)?;
                    wrap(&caption, width, out)
                }
            }
            Block::Rule => out.line("* * *"),
            Block::Container { blocks, .. } => self.blocks(blocks, width, out),
        }
    }

    /// Inline content as text: line breaks are `\n`, notes `[n]`.
    fn inlines(&mut self, inlines: &'a [Inline]) -> String {
        let mut out = String::new();
        self.push_inlines(inlines, &mut out);
        out
    }

    fn push_inlines(&mut self, inlines: &'a [Inline], out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text(text) | Inline::Code(text) => {
                    // Readers never leave breaks in text, but a hand-made model might:
                    // they become spaces, other control characters go.
                    out.extend(text.chars().filter_map(visible_char))
                }
                Inline::Superscript(c) => self.push_script(c, Script::Super, out),
                Inline::Subscript(c) => self.push_script(c, Script::Sub, out),
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Span { content: c, .. } => self.push_inlines(c, out),
                Inline::Link(link) => self.push_inlines(&link.content, out),
                // An image in running text is its alt text in brackets, as a figure's is:
                // bare, it ran into the words around it ("facebooktwitterreddit"). One
                // without alt text shows nothing.
                Inline::Image(image) => {
                    let alt = one_line(&image.alt);
                    if !alt.is_empty() {
                        if out.ends_with(']') {
                            out.push(' ');
                        }
                        out.push('[');
                        out.push_str(&alt);
                        out.push(']');
                    }
                }
                Inline::Math(math) => out.push_str(&one_line(&math.linear())),
                Inline::LineBreak => out.push('\n'),
                Inline::Note(blocks) => {
                    self.notes.push(blocks);
                    out.push_str(&format!("[{}]", self.notes.len()));
                }
            }
        }
    }

    /// A superscript or subscript: in Unicode's raised or lowered characters when every
    /// character has one (`H₂O`, `m⁻³`), else marked `^x` / `_x`, or `^(…)` / `_(…)` for
    /// more than one character (`e^(0.06T)`). Flattened, `m−3` would read as a subtraction.
    /// A run of note references alone (a footnote mark an HTML page set as `<sup>`) is the
    /// note's `[n]`, as elsewhere.
    fn push_script(&mut self, content: &'a [Inline], script: Script, out: &mut String) {
        let mut text = String::new();
        self.push_inlines(content, &mut text);
        if text.is_empty() || content.iter().all(|i| matches!(i, Inline::Note(_))) {
            out.push_str(&text);
            return;
        }
        let raised: Option<String> = text.chars().map(|c| script.char_for(c)).collect();
        match raised {
            Some(raised) => out.push_str(&raised),
            None => {
                out.push(script.mark());
                if text.chars().count() == 1 {
                    out.push_str(&text);
                } else {
                    out.push('(');
                    out.push_str(&text);
                    out.push(')');
                }
            }
        }
    }

    /// A table as aligned columns. Only one row is held at a time (a table may have a
    /// million cells): the cells are rendered once to measure the columns and once more to
    /// write the rows.
    fn table(&mut self, table: &'a Table, out: &mut dyn LineSink) -> io::Result<()> {
        let caption = one_line(&self.inlines(&table.caption));
        if !caption.is_empty() {
            out.line(&caption)?;
        }
        let grid = layout(table);
        let mut texts = CellTexts {
            kept: (self.in_cells > 0).then(Vec::new),
            next: 0,
        };
        let widths = self.column_widths(&grid, &mut texts)?;
        let head_rows = grid.head_rows();
        let mut rows_written = 0;
        let mut line = String::new();
        let mut text = String::new();
        texts.next = 0;
        for mut rows in [grid.head(), grid.body()] {
            while let Some(row) = rows.next_row() {
                line.clear();
                let mut next_column = 0;
                for placed in row {
                    // Columns covered by a row span from above stay blank.
                    while next_column < placed.column {
                        if next_column > 0 {
                            line.push_str(SEPARATOR);
                        }
                        let width = widths.get(next_column).copied().unwrap_or(0);
                        line.extend(std::iter::repeat_n(' ', width));
                        next_column += 1;
                    }
                    if placed.column > 0 {
                        line.push_str(SEPARATOR);
                    }
                    let alignment = table
                        .alignments
                        .get(placed.column)
                        .copied()
                        .unwrap_or_default();
                    self.cell_text(placed, &mut texts, &mut text)?;
                    let width = span_width(&widths, placed.column, placed.colspan);
                    push_padded(&mut line, &text, width, alignment);
                    next_column = placed.column + placed.colspan;
                }
                out.line(line.trim_end())?;
                rows_written += 1;
                if rows_written == head_rows {
                    let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w.max(1))).collect();
                    out.line(&rule.join(SEPARATOR))?;
                }
            }
        }
        Ok(())
    }

    /// Each column's width: its widest cell's; then a spanning cell wider than the columns it
    /// covers widens the last of them.
    fn column_widths(
        &mut self,
        grid: &TableLayout<'a>,
        texts: &mut CellTexts,
    ) -> io::Result<Vec<usize>> {
        let mut widths = vec![0usize; grid.columns];
        let mut spans = false;
        self.measure_cells(grid, texts, &mut |placed, chars| {
            if placed.colspan == 1 {
                if let Some(width) = widths.get_mut(placed.column) {
                    *width = (*width).max(chars);
                }
            } else {
                spans = true;
            }
        })?;
        if spans {
            let columns = grid.columns;
            self.measure_cells(grid, texts, &mut |placed, needed| {
                let (column, span) = (placed.column, placed.colspan);
                if span == 1 {
                    return;
                }
                let available = span_width(&widths, column, span);
                let last = (column + span).min(columns).saturating_sub(1);
                if needed > available {
                    if let Some(width) = widths.get_mut(last) {
                        *width += needed - available;
                    }
                }
            })?;
        }
        Ok(widths)
    }

    /// Goes over every cell of the grid in order and tells `measured` its text's length in
    /// chars. Cells rendered anew leave nothing behind: the notes and warnings they made are
    /// taken back, so that writing the rows makes the same again (the notes keep their
    /// numbers).
    fn measure_cells(
        &mut self,
        grid: &TableLayout<'a>,
        texts: &mut CellTexts,
        measured: &mut dyn FnMut(&PlacedCell<'a>, usize),
    ) -> io::Result<()> {
        let (notes, warnings) = (self.notes.len(), self.warnings.len());
        let mut text = String::new();
        texts.next = 0;
        for mut rows in [grid.head(), grid.body()] {
            while let Some(row) = rows.next_row() {
                for placed in row {
                    self.cell_text(placed, texts, &mut text)?;
                    measured(placed, text.chars().count());
                }
            }
        }
        if texts.kept.is_none() {
            self.notes.truncate(notes);
            self.warnings.truncate(warnings);
        }
        Ok(())
    }

    /// The next cell's text on one line, its blocks joined by spaces, into `text`.
    fn cell_text(
        &mut self,
        placed: &PlacedCell<'a>,
        texts: &mut CellTexts,
        text: &mut String,
    ) -> io::Result<()> {
        text.clear();
        let index = texts.next;
        texts.next += 1;
        if let Some(kept) = texts.kept.as_ref().and_then(|kept| kept.get(index)) {
            text.push_str(kept);
            return Ok(());
        }
        self.in_cells += 1;
        let rendered = self.render_cell(placed, text);
        self.in_cells -= 1;
        if let Some(kept) = texts.kept.as_mut() {
            kept.push(text.clone());
        }
        rendered
    }

    fn render_cell(&mut self, placed: &PlacedCell<'a>, text: &mut String) -> io::Result<()> {
        let mut lines: Vec<String> = Vec::new();
        for block in placed.cell.map(|c| c.content.as_slice()).unwrap_or(&[]) {
            lines.clear();
            self.block(block, None, &mut lines)?;
            let block_text = one_line(&lines.join(" "));
            if !block_text.is_empty() {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(&block_text);
            }
        }
        Ok(())
    }

    /// The notes list; notes referenced from notes are appended while it is written.
    fn notes(&mut self, width: Option<usize>, out: &mut dyn LineSink) -> io::Result<()> {
        if self.notes.is_empty() {
            return Ok(());
        }
        // A rule, not a "Notes" heading: the text is the document's words and nothing more.
        out.line("----------")?;
        let mut index = 0;
        while let Some(&blocks) = self.notes.get(index) {
            let marker = format!("[{}] ", index + 1);
            let indent = marker.chars().count();
            let note_width = width.map(|w| w.saturating_sub(indent).max(8));
            out.line("")?;
            let mut marked = Marked::new(out, &marker);
            self.blocks(blocks, note_width, &mut marked)?;
            marked.finish()?;
            index += 1;
        }
        Ok(())
    }
}

const SEPARATOR: &str = "  ";

/// How wide a cell spanning `span` columns from `column` may be: the columns' widths and
/// the separators between them.
fn span_width(widths: &[usize], column: usize, span: usize) -> usize {
    let end = (column + span).min(widths.len());
    let inner = widths
        .get(column..end)
        .map_or(0, |w| w.iter().sum::<usize>());
    inner + SEPARATOR.len() * end.saturating_sub(column + 1)
}

/// Appends `text` padded with spaces to `width` chars, placed by the alignment.
fn push_padded(line: &mut String, text: &str, width: usize, alignment: Alignment) {
    let gap = width.saturating_sub(text.chars().count());
    let before = match alignment {
        Alignment::Right => gap,
        Alignment::Center => gap / 2,
        Alignment::Left | Alignment::Default => 0,
    };
    line.extend(std::iter::repeat_n(' ', before));
    line.push_str(text);
    line.extend(std::iter::repeat_n(' ', gap - before));
}

/// Whether a block would be written as nothing but blank lines: a paragraph of spaces,
/// line breaks and images without alt text (walked with a stack: inlines nest as deep as
/// the page did).
fn block_shows_nothing(block: &Block) -> bool {
    let Block::Paragraph(inlines) = block else {
        return false;
    };
    let mut pending = vec![inlines.as_slice()];
    while let Some(inlines) = pending.pop() {
        for inline in inlines {
            match inline {
                Inline::Text(text) | Inline::Code(text) => {
                    if !text.trim().is_empty() {
                        return false;
                    }
                }
                Inline::Image(image) => {
                    if !one_line(&image.alt).is_empty() {
                        return false;
                    }
                }
                Inline::LineBreak => {}
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Span { content: c, .. } => pending.push(c),
                Inline::Link(link) => pending.push(&link.content),
                Inline::Math(_) | Inline::Note(_) => return false,
            }
        }
    }
    true
}

/// Splits text at its line breaks and, with a width, wraps each line greedily at spaces (a
/// word longer than the width gets a line of its own). Runs of spaces become one.
fn wrap(text: &str, width: Option<usize>, out: &mut dyn LineSink) -> io::Result<()> {
    let width = width.unwrap_or(usize::MAX);
    let mut line = String::new();
    for hard_line in text.split('\n') {
        line.clear();
        let mut line_len: usize = 0;
        for word in hard_line.split(' ').filter(|w| !w.is_empty()) {
            let word_len = word.chars().count();
            if line_len > 0 && line_len.saturating_add(1 + word_len) > width {
                out.line(&line)?;
                line.clear();
                line_len = 0;
            }
            if line_len > 0 {
                line.push(' ');
                line_len += 1;
            }
            line.push_str(word);
            line_len += word_len;
        }
        out.line(&line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(text: &str, width: Option<usize>) -> Vec<String> {
        let mut lines = Vec::new();
        wrap(text, width, &mut lines).unwrap();
        lines
    }

    fn padded(text: &str, width: usize, alignment: Alignment) -> String {
        let mut line = String::from("|");
        push_padded(&mut line, text, width, alignment);
        line
    }

    #[test]
    fn wraps_greedily_and_keeps_long_words() {
        assert_eq!(
            wrapped("aa bb cc dddddddddd e", Some(5)),
            vec!["aa bb", "cc", "dddddddddd", "e"]
        );
        assert_eq!(wrapped("a\nb c", Some(10)), vec!["a", "b c"]);
        assert_eq!(wrapped(" a  b ", None), vec!["a b"]);
    }

    #[test]
    fn letters_raise_and_lower_only_where_unicode_has_a_form() {
        let raised: String = ('a'..='z')
            .map(|c| Script::Super.char_for(c).unwrap_or('.'))
            .collect();
        assert_eq!(raised, "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖ.ʳˢᵗᵘᵛʷˣʸᶻ");
        let lowered: String = ('a'..='z')
            .map(|c| Script::Sub.char_for(c).unwrap_or('.'))
            .collect();
        assert_eq!(lowered, "ₐ...ₑ..ₕᵢⱼₖₗₘₙₒₚ.ᵣₛₜᵤᵥ.ₓ..");
        let digits: String = "0123456789+-=()"
            .chars()
            .map(|c| Script::Sub.char_for(c).unwrap_or('.'))
            .collect();
        assert_eq!(digits, "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎");
        assert_eq!(Script::Super.char_for('A'), None);
        assert_eq!(Script::Super.char_for(' '), None);
    }

    #[test]
    fn pads_by_alignment() {
        assert_eq!(padded("ab", 5, Alignment::Right), "|   ab");
        assert_eq!(padded("ab", 5, Alignment::Center), "| ab  ");
        assert_eq!(padded("ab", 5, Alignment::Default), "|ab   ");
        assert_eq!(padded("abcdef", 5, Alignment::Center), "|abcdef");
    }
}
