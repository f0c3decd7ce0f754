//! The Markdown writer: CommonMark + GFM (pipe tables, `~~strikethrough~~`, footnotes, task
//! lists), with YAML front matter.
//!
//! The writer's one promise is that the Markdown reads back as the same model. Most of the
//! work is escaping: text that Markdown would read as syntax gets a backslash, and only that
//! text, so prose stays readable. Emphasis delimiters are chosen by CommonMark's flanking
//! rules; where neither `*` nor `_` can open and close at a spot (`a*.b*`), the writer falls
//! back to inline HTML (`<em>`), which the reader maps back.
//!
//! The document is prepared first (`crate::prepare`): notes are numbered in the order the
//! preparation stage gives, and a `#fragment` link points at the anchor a renderer gives the
//! heading it names (GitHub's slug of its text, see `prepare::slugs`), since Markdown has no
//! ids; one that names anything else (a container, a note) keeps its text without the link.
//!
//! Recursion follows the model, whose depth readers bound by [`crate::model::MAX_DEPTH`].

use super::{Rendered, Streamed, WriteOptions, Writer, STREAM_CHUNK};
use crate::error::{Result, Warning};
use crate::model::url::{is_allowed, UrlUse};
use crate::model::{
    inlines_to_plain, is_stray_control, Alignment, Block, Document, Image, Inline, Link, List,
    Meta, Table,
};
use crate::prepare::slugs::{gfm_anchors, Anchors};
use std::cell::OnceCell;
use std::io;

/// Writes CommonMark + GFM.
pub struct MarkdownWriter;

impl Writer for MarkdownWriter {
    fn render(&self, document: &Document, options: &WriteOptions) -> Result<Rendered> {
        let mut bytes = Vec::new();
        write_markdown(document, options, &mut bytes, 0)?;
        Ok(Rendered {
            bytes,
            warnings: Vec::new(),
        })
    }

    fn render_to(
        &self,
        document: &Document,
        options: &WriteOptions,
        out: &mut dyn io::Write,
    ) -> Result<Vec<Warning>> {
        write_markdown(document, options, out, STREAM_CHUNK)?;
        Ok(Vec::new())
    }
}

/// Writes the Markdown to `out`, a block (or a table row) at a time once `flush_len` bytes
/// are waiting.
fn write_markdown(
    document: &Document,
    options: &WriteOptions,
    out: &mut dyn io::Write,
    flush_len: usize,
) -> Result<()> {
    let prepared = crate::prepare::document(document);
    let document = prepared.document();
    let title_heading = (!options.front_matter)
        .then_some(document.meta.title.as_deref())
        .flatten()
        .filter(|t| !t.is_empty());
    // The notes Markdown writes, numbered as prepared: a table written as HTML carries its
    // own notes (and an empty note has no definition, so no number).
    let mut notes = crate::prepare::notes::in_order_outside(
        &document.blocks,
        &|block| matches!(block, Block::Table(table) if !is_pipe_table(table)),
    );
    notes.retain(|note| !note.is_empty());
    let targets = Targets {
        anchors: OnceCell::new(),
        title_heading,
        body: &document.blocks,
        notes: &notes,
    };
    let mut out = Streamed::new(out, flush_len);
    if options.front_matter {
        out.buffer.push_str(&front_matter(&document.meta));
    } else if let Some(title) = title_heading {
        let heading = Block::Heading {
            level: 1,
            id: Box::default(),
            content: vec![Inline::text(title)],
        };
        let mut state = State::new(&targets);
        out.buffer
            .push_str(&state.block(&heading, BlockPlace::Normal));
        out.buffer.push('\n');
    }
    let mut state = State::new(&targets);
    // A blank line between the front matter (or title) and a body, if there is one.
    let lead = if out.is_empty() { "" } else { "\n" };
    state.blocks_into(&document.blocks, false, false, lead, &mut out)?;
    for (index, note) in notes.iter().enumerate() {
        let text = state.blocks(note, false, false);
        if !out.is_empty() && !out.ends_with("\n\n") {
            let separator = if out.ends_with("\n") { "\n" } else { "\n\n" };
            out.buffer.push_str(separator);
        }
        out.buffer.push_str(&note_definition(index + 1, &text));
        out.flush()?;
    }
    if !out.is_empty() && !out.ends_with("\n") {
        out.buffer.push('\n');
    }
    out.finish()?;
    Ok(())
}

/// What links and note references look up while the document is written.
struct Targets<'a> {
    /// Heading id → its anchor, worked out at the first `#fragment` link (most documents
    /// have none).
    anchors: OnceCell<Anchors<'a>>,
    title_heading: Option<&'a str>,
    body: &'a [Block],
    /// The notes written, note `n` at index `n - 1`.
    notes: &'a [&'a [Block]],
}

impl<'a> Targets<'a> {
    /// Where a link to `#fragment` goes in the Markdown: the anchor of the heading with that
    /// id; `None` when no heading has it.
    fn anchor(&self, fragment: &str) -> Option<&str> {
        self.anchors
            .get_or_init(|| gfm_anchors(self.title_heading, self.body, self.notes))
            .get(fragment)
            .map(String::as_str)
    }
}

/// `[^n]: ` before the first line; later lines indented four spaces.
fn note_definition(number: usize, text: &str) -> String {
    let mut out = format!("[^{number}]:");
    for (i, line) in text.split('\n').enumerate() {
        if i == 0 {
            if !line.is_empty() {
                out.push(' ');
                out.push_str(line);
            }
        } else {
            out.push('\n');
            if !line.is_empty() {
                out.push_str("    ");
                out.push_str(line);
            }
        }
    }
    out
}

/// YAML front matter; every string is double-quoted so no value can break the YAML.
fn front_matter(meta: &Meta) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut field = |key: &str, value: &Option<String>| {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            lines.push(format!("{key}: {}", yaml_string(value)));
        }
    };
    field("title", &meta.title);
    field("subtitle", &meta.subtitle);
    let authors: Vec<&String> = meta.authors.iter().filter(|a| !a.is_empty()).collect();
    match authors.as_slice() {
        [] => {}
        [one] => lines.push(format!("author: {}", yaml_string(one))),
        many => lines.push(format!("author: {}", yaml_list(many))),
    }
    let mut field = |key: &str, value: &Option<String>| {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            lines.push(format!("{key}: {}", yaml_string(value)));
        }
    };
    field("date", &meta.published.map(|date| date.to_iso()));
    field("modified", &meta.modified.map(|date| date.to_iso()));
    field("lang", &meta.language);
    field("dir", &meta.direction.map(|d| d.as_str().to_string()));
    field("site", &meta.site_name);
    let allowed = |url: &Option<String>, use_| url.clone().filter(|u| is_allowed(u, use_));
    field("source", &allowed(&meta.source_url, UrlUse::Link));
    field("description", &meta.description);
    field("image", &allowed(&meta.lead_image, UrlUse::Image));
    let keywords: Vec<&String> = meta.keywords.iter().filter(|k| !k.is_empty()).collect();
    if !keywords.is_empty() {
        lines.push(format!("keywords: {}", yaml_list(&keywords)));
    }
    if lines.is_empty() {
        return String::new();
    }
    format!("---\n{}\n---\n", lines.join("\n"))
}

fn yaml_list(values: &[&String]) -> String {
    let items: Vec<String> = values.iter().map(|v| yaml_string(v)).collect();
    format!("[{}]", items.join(", "))
}

/// A YAML double-quoted string: `"` and `\` escaped, and every character YAML does not allow
/// printed raw written as `\uXXXX`.
fn yaml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
                ) =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Where a block stands, which changes how a few blocks must be written.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BlockPlace {
    Normal,
    /// Directly in a list item: `- ---` would be a rule, not an item holding one.
    InListItem,
}

/// The writer's running state.
struct State<'t> {
    /// Note numbers and heading anchors.
    targets: &'t Targets<'t>,
    /// How many note references were written: the writer meets the notes in the prepared
    /// order, so the next one is expected at this index of `targets.notes`.
    notes_met: usize,
    /// The bullet of the item whose content is being written, for its first block: a
    /// bullet list there must use another character (`- - -` would be a rule).
    item_bullet: Option<char>,
    /// A footnote reference was written in the current block: pulldown-cmark lets a later
    /// `]` pair with its `[`, so from there on `]` is escaped.
    note_in_block: bool,
}

/// Inline context: what the surrounding syntax makes special.
#[derive(Clone, Default)]
struct InlineContext {
    heading: bool,
    table: bool,
    /// Inside link text or an image description: links cannot nest, and `]` would end it.
    in_link: bool,
    /// A `]` in text would end something else (a footnote reference's label in the block):
    /// it is escaped, as inside a link.
    escape_closing_bracket: bool,
    /// Delimiter characters used by enclosing emphasis (an inner one must differ).
    forbidden: Vec<char>,
}

/// CommonMark's character classes for flanking rules, as a set of possibilities: a character
/// whose class we cannot be sure of (non-ASCII symbols) counts as all of them.
type Class = u8;
const WHITESPACE: Class = 1;
const PUNCTUATION: Class = 2;
const OTHER: Class = 4;
const ANY: Class = WHITESPACE | PUNCTUATION | OTHER;

fn class_of(c: Option<char>) -> Class {
    match c {
        None => WHITESPACE,
        Some(c) if c.is_ascii() => {
            if c.is_ascii_whitespace() {
                WHITESPACE
            } else if c.is_ascii_punctuation() {
                PUNCTUATION
            } else {
                OTHER
            }
        }
        Some(c) if c.is_alphanumeric() => OTHER,
        Some(_) => ANY,
    }
}

fn each(class: Class) -> impl Iterator<Item = Class> {
    [WHITESPACE, PUNCTUATION, OTHER]
        .into_iter()
        .filter(move |c| class & c != 0)
}

fn left_flanking(before: Class, after: Class) -> bool {
    after != WHITESPACE && (after != PUNCTUATION || before != OTHER)
}

fn right_flanking(before: Class, after: Class) -> bool {
    before != WHITESPACE && (before != PUNCTUATION || after != OTHER)
}

/// Whether a delimiter `c` opens before content starting with class `first` (after `before`)
/// and closes after content ending with `last` (before `after`), whatever the uncertain
/// classes turn out to be.
fn delimiters_work(c: char, before: Class, first: Class, last: Class, after: Class) -> bool {
    let opens = each(before).all(|b| {
        each(first).all(|f| {
            let left = left_flanking(b, f);
            if c == '_' {
                left && (!right_flanking(b, f) || b == PUNCTUATION)
            } else {
                left
            }
        })
    });
    let closes = each(last).all(|l| {
        each(after).all(|a| {
            let right = right_flanking(l, a);
            if c == '_' {
                right && (!left_flanking(l, a) || a == PUNCTUATION)
            } else {
                right
            }
        })
    });
    opens && closes
}

impl<'t> State<'t> {
    fn new(targets: &'t Targets<'t>) -> State<'t> {
        State {
            targets,
            notes_met: 0,
            item_bullet: None,
            note_in_block: false,
        }
    }

    /// The number of the note with these blocks (notes are told apart by address, not by
    /// what they say); `None` for an empty note, which is not written. Notes are met in the
    /// prepared order, so the number is the next one; a note met out of that order (which
    /// the order's test rules out) is looked up.
    fn note_number(&mut self, blocks: &[Block]) -> Option<usize> {
        if blocks.is_empty() {
            return None;
        }
        let is_it = |note: &&[Block]| std::ptr::eq(note.as_ptr(), blocks.as_ptr());
        let notes = self.targets.notes;
        if notes.get(self.notes_met).is_some_and(is_it) {
            self.notes_met += 1;
            return Some(self.notes_met);
        }
        debug_assert!(false, "a note met out of the prepared order");
        notes.iter().position(is_it).map(|index| index + 1)
    }

    /// Writes blocks separated by blank lines (by line breaks where `tight` allows it).
    fn blocks(&mut self, blocks: &[Block], tight: bool, in_item: bool) -> String {
        let mut out = String::new();
        self.join_blocks(blocks, tight, in_item, "", &mut out, &mut |_| Ok(()))
            .unwrap_or_default();
        out
    }

    /// [`State::blocks`] into a stream, `lead` before the first block written (when one is),
    /// the stream flushed after each block.
    fn blocks_into(
        &mut self,
        blocks: &[Block],
        tight: bool,
        in_item: bool,
        lead: &str,
        out: &mut Streamed<'_>,
    ) -> io::Result<()> {
        let mut buffer = std::mem::take(&mut out.buffer);
        let result = self.join_blocks(blocks, tight, in_item, lead, &mut buffer, &mut |text| {
            std::mem::swap(text, &mut out.buffer);
            let flushed = out.flush();
            std::mem::swap(text, &mut out.buffer);
            flushed
        });
        out.buffer = buffer;
        result
    }

    /// Appends blocks to `out`, separated by blank lines (by line breaks where `tight` allows
    /// it) and led by `lead`; `after_block` is called on `out` after each block.
    fn join_blocks(
        &mut self,
        blocks: &[Block],
        tight: bool,
        in_item: bool,
        lead: &str,
        out: &mut String,
        after_block: &mut dyn FnMut(&mut String) -> io::Result<()>,
    ) -> io::Result<()> {
        // Containers are written as their content: expanded as they come (iteratively, and
        // with no list of all the blocks: a long document has hundreds of thousands).
        let mut levels: Vec<std::slice::Iter<'_, Block>> = vec![blocks.iter()];
        let flat = std::iter::from_fn(|| loop {
            match levels.last_mut()?.next() {
                Some(Block::Container { blocks, .. }) => levels.push(blocks.iter()),
                Some(block) => return Some(block),
                None => {
                    levels.pop();
                }
            }
        });
        let mut previous: Option<&Block> = None;
        let mut previous_list_marker: Option<char> = None;
        let mut lead_written = false;
        let item_bullet = self.item_bullet.take();
        for block in flat {
            let place = if in_item {
                BlockPlace::InListItem
            } else {
                BlockPlace::Normal
            };
            // A table is written straight into `out` below, a row at a time (it may be far
            // larger than the rest of the document); it is never empty.
            let text = match block {
                Block::Table(_) => None,
                Block::List(list) => {
                    // A list right after another of the same kind would join it: change the
                    // marker character instead.
                    let follows_same =
                        matches!(previous, Some(Block::List(p)) if p.ordered == list.ordered);
                    let first_in_bullet_item = previous.is_none() && item_bullet == Some('-');
                    let marker = match (list.ordered, follows_same, previous_list_marker) {
                        (false, true, Some('-')) => '*',
                        (false, _, _) if first_in_bullet_item => '*',
                        (false, _, _) => '-',
                        (true, true, Some('.')) => ')',
                        (true, _, _) => '.',
                    };
                    previous_list_marker = Some(marker);
                    Some(self.list(list, marker))
                }
                other => Some(self.block(other, place)),
            };
            if !matches!(block, Block::List(_)) {
                previous_list_marker = None;
            }
            let empty = text.as_ref().is_some_and(String::is_empty);
            if empty && !matches!(block, Block::List(_) | Block::Quote(_)) {
                continue;
            }
            let separator = match previous {
                Some(prev) if tight && can_follow_without_blank(prev, block) => "\n",
                // A paragraph nested at the end of the previous block would swallow the next
                // line, and a blank line would make the item loose: an empty comment (an HTML
                // block, which interrupts a paragraph) ends the nested block instead. The
                // same goes for a list that cannot interrupt a paragraph (its first item empty,
                // or numbered from other than 1) after the item's own paragraph.
                Some(prev)
                    if tight
                        && in_item
                        && (!is_paragraph_like(prev) || matches!(block, Block::List(_))) =>
                {
                    "\n<!-- -->\n"
                }
                Some(_) => "\n\n",
                None => "",
            };
            // The lead goes before the first thing written (an empty list writes nothing).
            let writes_something = !separator.is_empty() || !empty;
            if writes_something && !lead_written {
                out.push_str(lead);
                lead_written = true;
            }
            out.push_str(separator);
            match (text, block) {
                (Some(text), _) => out.push_str(&text),
                (None, Block::Table(table)) => {
                    self.note_in_block = false;
                    self.table(table, out, after_block)?;
                }
                (None, _) => {}
            }
            previous = Some(block);
            after_block(out)?;
        }
        Ok(())
    }

    fn block(&mut self, block: &Block, place: BlockPlace) -> String {
        self.note_in_block = false;
        match block {
            Block::Paragraph(inlines) => {
                let inlines = trim_trailing_breaks(inlines);
                self.inlines(inlines, None, WHITESPACE, &InlineContext::default(), true)
            }
            Block::Heading { level, content, .. } => {
                let marks = "#".repeat(usize::from((*level).clamp(1, 6)));
                let ctx = InlineContext {
                    heading: true,
                    ..InlineContext::default()
                };
                let text = self.inlines(content, Some(' '), WHITESPACE, &ctx, false);
                if text.is_empty() {
                    marks
                } else {
                    format!("{marks} {text}")
                }
            }
            Block::Quote(blocks) => {
                let inner = self.blocks(blocks, false, false);
                if inner.is_empty() {
                    return ">".to_string();
                }
                prefix_lines(&inner, "> ", "> ")
            }
            Block::List(list) => self.list(list, if list.ordered { '.' } else { '-' }),
            Block::Code { language, text } => code_block(language.as_deref(), text),
            Block::Table(table) => {
                let mut text = String::new();
                // Writing into a string cannot fail.
                let _ = self.table(table, &mut text, &mut |_| Ok(()));
                text
            }
            Block::Figure(figure) if !is_allowed(&figure.image.src, UrlUse::Image) => {
                // A picture the URL policy refuses: its caption (or alt text) as a paragraph.
                let text = if figure.caption.is_empty() {
                    escape_text(&figure.image.alt, true, &InlineContext::default())
                } else {
                    self.inlines(
                        &figure.caption,
                        None,
                        PUNCTUATION,
                        &InlineContext::default(),
                        true,
                    )
                };
                text.trim().to_string()
            }
            Block::Figure(figure) => {
                let caption = trim_trailing_breaks(&figure.caption);
                let caption = &caption[caption
                    .iter()
                    .take_while(|i| matches!(i, Inline::LineBreak))
                    .count()..];
                if caption.is_empty() {
                    return image_markdown(&figure.image, &InlineContext::default());
                }
                if inlines_to_plain(caption) != figure.image.alt {
                    // The alt text describes the picture and the caption comments on it:
                    // both are kept, the caption as an italic line right under the image,
                    // in the same paragraph, which the reader takes for a figure's caption.
                    let mut out = image_markdown(&figure.image, &InlineContext::default());
                    out.push('\n');
                    // Written in place, not as a new emphasis around a copy: notes are told
                    // apart by address.
                    let ctx = InlineContext::default();
                    self.wrapped(&mut out, caption, None, WHITESPACE, &ctx, &["*", "_"], "em");
                    return out;
                }
                // The caption says what the alt text says: it is the image's description,
                // which Markdown readers take for both.
                let ctx = InlineContext {
                    in_link: true,
                    ..InlineContext::default()
                };
                let caption = self.inlines(caption, Some('['), PUNCTUATION, &ctx, false);
                format!(
                    "![{caption}]({})",
                    destination(&figure.image.src, figure.image.title.as_deref())
                )
            }
            Block::Rule => match place {
                BlockPlace::Normal => "---".to_string(),
                BlockPlace::InListItem => "___".to_string(),
            },
            Block::Container { blocks, .. } => self.blocks(blocks, false, false),
        }
    }

    fn list(&mut self, list: &List, marker_char: char) -> String {
        let mut out = String::new();
        // An item whose blocks need a blank line between them makes its list loose in
        // Markdown: written tight otherwise, the list would read back loose, and change
        // (blank lines between its items) when written again.
        let tight = list.tight && !list.items.iter().any(|item| needs_blank_line(item));
        for (i, item) in list.items.iter().enumerate() {
            let marker = if list.ordered {
                format!("{}{marker_char}", u64::from(list.start) + i as u64)
            } else {
                marker_char.to_string()
            };
            self.item_bullet = (!list.ordered).then_some(marker_char);
            let content = self.blocks(item, tight, true);
            self.item_bullet = None;
            // A task item's box goes before its text; a block that is not a paragraph would
            // be read as text on the box's line, so it starts on the next.
            let content = match list.task(i) {
                None => content,
                Some(done) => {
                    let task = if done { "[x]" } else { "[ ]" };
                    if content.is_empty() {
                        task.to_string()
                    } else if matches!(item.first(), Some(Block::Paragraph(_))) {
                        format!("{task} {content}")
                    } else {
                        format!("{task}\n{content}")
                    }
                }
            };
            if i > 0 {
                out.push_str(if tight { "\n" } else { "\n\n" });
            }
            if content.is_empty() {
                out.push_str(&marker);
                continue;
            }
            let indent = " ".repeat(marker.len() + 1);
            out.push_str(&prefix_lines(&content, &format!("{marker} "), &indent));
        }
        out
    }

    /// Writes a table into `out`, calling `after_row` on `out` after each row (to send it
    /// on, for a long table): as a pipe table when it fits the syntax, else as HTML.
    fn table(
        &mut self,
        table: &Table,
        out: &mut String,
        after_row: &mut dyn FnMut(&mut String) -> io::Result<()>,
    ) -> io::Result<()> {
        if !is_pipe_table(table) {
            return html_table(table, out, after_row);
        }
        // GFM has no table captions; a pipe table is still worth far more in a note than an
        // HTML block, so the caption goes above it as a paragraph, where it reads as one.
        if !table.caption.is_empty() {
            let text = self.inlines(
                &table.caption,
                None,
                WHITESPACE,
                &InlineContext::default(),
                false,
            );
            out.push_str(&text);
            out.push_str("\n\n");
        }
        let columns = table.head.first().map_or(0, |row| row.cells.len());
        let ctx = InlineContext {
            table: true,
            ..InlineContext::default()
        };
        for (index, row) in table.head.iter().chain(&table.body).enumerate() {
            if index > 0 {
                out.push('\n');
            }
            out.push('|');
            for cell in &row.cells {
                let text = match cell.content.first() {
                    Some(Block::Paragraph(inlines)) => {
                        self.inlines(inlines, Some(' '), WHITESPACE, &ctx, false)
                    }
                    _ => String::new(),
                };
                self.note_in_block = false;
                out.push(' ');
                out.push_str(&text.replace('|', "\\|"));
                out.push_str(" |");
            }
            if index == 0 {
                out.push_str("\n|");
                for column in 0..columns {
                    let alignment = table.alignments.get(column).copied().unwrap_or_default();
                    out.push_str(match alignment {
                        Alignment::Default => " --- |",
                        Alignment::Left => " :-- |",
                        Alignment::Center => " :-: |",
                        Alignment::Right => " --: |",
                    });
                }
            }
            after_row(out)?;
        }
        Ok(())
    }

    /// Writes a run of inlines. `before` is the character written just before the run
    /// (`None` at the start of a line) and `after` the class of what follows it.
    fn inlines(
        &mut self,
        inlines: &[Inline],
        before: Option<char>,
        after: Class,
        ctx: &InlineContext,
        line_start: bool,
    ) -> String {
        let mut out = String::new();
        let mut at_line_start = line_start;
        for (i, inline) in inlines.iter().enumerate() {
            let prev = if out.is_empty() {
                before
            } else {
                out.chars().last()
            };
            let prev = if at_line_start { None } else { prev };
            let next_class = inlines
                .get(i + 1)
                .map_or(after, |next| edge_class(next, true, ctx));
            let mut next_line_start = false;
            match inline {
                Inline::Text(text) => {
                    // After a footnote reference's `]`, `(` would make a link and `:` a
                    // footnote definition.
                    if out.ends_with(']') && !out.ends_with("\\]") && text.starts_with(['(', ':']) {
                        out.push('\\');
                    }
                    // A formula's closing dollar right before a digit closes nothing (`$5-$10`
                    // is text), so that digit is written as a character reference.
                    let mut text = text.as_str();
                    if i > 0 && matches!(inlines[i - 1], Inline::Math(_)) && out.ends_with('$') {
                        if let Some(digit) = text.chars().next().filter(char::is_ascii_digit) {
                            out.push_str(&format!("&#{};", u32::from(digit)));
                            text = &text[1..];
                        }
                    }
                    let text_ctx;
                    let ctx_for_text = if self.note_in_block && !ctx.in_link {
                        text_ctx = InlineContext {
                            escape_closing_bracket: true,
                            ..ctx.clone()
                        };
                        &text_ctx
                    } else {
                        ctx
                    };
                    out.push_str(&escape_text(text, at_line_start, ctx_for_text))
                }
                Inline::Emphasis(content) => {
                    self.wrapped(&mut out, content, prev, next_class, ctx, &["*", "_"], "em")
                }
                Inline::Strong(content) => self.wrapped(
                    &mut out,
                    content,
                    prev,
                    next_class,
                    ctx,
                    &["**", "__"],
                    "strong",
                ),
                Inline::Strikethrough(content) => {
                    self.wrapped(&mut out, content, prev, next_class, ctx, &["~~"], "del")
                }
                Inline::Superscript(content) => {
                    self.wrapped(&mut out, content, prev, next_class, ctx, &[], "sup")
                }
                Inline::Subscript(content) => {
                    self.wrapped(&mut out, content, prev, next_class, ctx, &[], "sub")
                }
                Inline::Code(code) if prev == Some('`') => {
                    // A backtick just before would lengthen the opening run: use HTML.
                    let text = escape_text(&code.replace(['\n', '\r'], " "), false, ctx);
                    out.push_str(&format!("<code>{text}</code>"));
                }
                Inline::Code(code) => out.push_str(&code_span(code)),
                Inline::Link(link) => {
                    let Link {
                        url,
                        title,
                        content,
                    } = &**link;
                    // A `#fragment` goes to a heading's anchor; one that names no heading
                    // cannot work in Markdown.
                    let fragment_url;
                    let url = match url.trim().strip_prefix('#').filter(|f| !f.is_empty()) {
                        Some(fragment) => {
                            fragment_url = self.targets.anchor(fragment).map(|a| format!("#{a}"));
                            fragment_url.as_deref()
                        }
                        None => Some(url.as_str()),
                    };
                    // A link inside a link, one the URL policy refuses or one that goes
                    // nowhere: its text alone.
                    if ctx.in_link || !url.is_some_and(|url| is_allowed(url, UrlUse::Link)) {
                        let text = self.inlines(content, prev, next_class, ctx, at_line_start);
                        out.push_str(&text);
                    } else if let Some(url) =
                        url.filter(|url| title.is_none() && is_autolink(url, content))
                    {
                        out.push('<');
                        out.push_str(url);
                        out.push('>');
                    } else {
                        escape_bang_before_bracket(&mut out);
                        let inner = InlineContext {
                            in_link: true,
                            forbidden: Vec::new(),
                            ..ctx.clone()
                        };
                        let text = self.inlines(content, Some('['), PUNCTUATION, &inner, false);
                        out.push('[');
                        out.push_str(&text);
                        out.push_str("](");
                        out.push_str(&destination(url.unwrap_or_default(), title.as_deref()));
                        out.push(')');
                    }
                }
                Inline::Image(image) => out.push_str(&image_markdown(image, ctx)),
                Inline::Math(math) => out.push_str(&math_markdown(math, ctx)),
                Inline::LineBreak => {
                    if ctx.heading || ctx.table {
                        out.push_str("<br>");
                    } else {
                        out.push_str("\\\n");
                        next_line_start = true;
                    }
                }
                Inline::Note(blocks) => {
                    if let Some(number) = self.note_number(blocks) {
                        escape_bang_before_bracket(&mut out);
                        self.note_in_block = true;
                        out.push_str(&format!("[^{number}]"));
                    }
                }
                Inline::Span { content, .. } => {
                    let text = self.inlines(content, prev, next_class, ctx, at_line_start);
                    next_line_start = at_line_start && text.is_empty() || text.ends_with('\n');
                    out.push_str(&text);
                }
            }
            at_line_start = next_line_start;
        }
        out
    }

    /// Writes emphasis-like content with the first delimiter that reads back as the same
    /// structure at this spot, or as inline HTML when none does.
    #[allow(clippy::too_many_arguments)]
    fn wrapped(
        &mut self,
        out: &mut String,
        content: &[Inline],
        prev: Option<char>,
        next_class: Class,
        ctx: &InlineContext,
        delimiters: &[&str],
        html_tag: &str,
    ) {
        if content.is_empty() {
            return;
        }
        let first = content
            .first()
            .map_or(WHITESPACE, |i| edge_class(i, true, ctx));
        let last = content
            .last()
            .map_or(WHITESPACE, |i| edge_class(i, false, ctx));
        let before = class_of(prev);
        for delimiter in delimiters {
            let Some(c) = delimiter.chars().next() else {
                continue;
            };
            if ctx.forbidden.contains(&c) || prev == Some(c) {
                continue;
            }
            if !delimiters_work(c, before, first, last, next_class) {
                continue;
            }
            let mut inner = ctx.clone();
            inner.forbidden.push(c);
            let text = self.inlines(content, Some(c), PUNCTUATION, &inner, false);
            out.push_str(delimiter);
            out.push_str(&text);
            out.push_str(delimiter);
            return;
        }
        let text = self.inlines(content, Some('>'), PUNCTUATION, ctx, false);
        out.push_str(&format!("<{html_tag}>{text}</{html_tag}>"));
    }
}

/// Makes the `[` about to be written start a new link or note: `!` right before it would
/// make an image, and a `]` (a footnote reference) would make a reference link.
fn escape_bang_before_bracket(out: &mut String) {
    if out.ends_with('!') {
        out.pop();
        out.push_str("\\!");
    } else if out.ends_with(']') && !out.ends_with("\\]") {
        out.push_str("<!-- -->");
    }
}

/// Blocks that can follow another in a tight list item with no blank line between them
/// (a blank line would make the list loose).
fn can_follow_without_blank(previous: &Block, next: &Block) -> bool {
    // A quote's next line starting with `>` goes on the same quote, whatever it ends with.
    if matches!((previous, next), (Block::Quote(_), Block::Quote(_))) {
        return false;
    }
    // Only an open paragraph at the end of the previous block could swallow the next line.
    if !ends_with_paragraph(previous) {
        return true;
    }
    match next {
        // A list interrupts a paragraph only with a non-empty first item (numbered 1).
        Block::List(list) => {
            (!list.ordered || list.start == 1)
                && list.items.first().is_some_and(|item| !item.is_empty())
        }
        Block::Code { .. } | Block::Quote(_) | Block::Heading { .. } | Block::Rule => true,
        _ => false,
    }
}

/// Whether a tight list item of these blocks would still need a blank line between two of
/// them (see the separators in `join_blocks`): paragraph text followed by a block that
/// cannot follow it on the next line, and that an empty comment cannot set apart.
fn needs_blank_line(item: &[Block]) -> bool {
    item.windows(2).any(|pair| {
        is_paragraph_like(&pair[0])
            && !matches!(pair[1], Block::List(_))
            && !can_follow_without_blank(&pair[0], &pair[1])
    })
}

/// Blocks whose own text is paragraph text (two of them in one item make it loose anyway).
fn is_paragraph_like(block: &Block) -> bool {
    matches!(
        block,
        Block::Paragraph(_) | Block::Figure(_) | Block::Table(_)
    )
}

/// Whether a block's last line is paragraph text (inside quotes and lists too).
fn ends_with_paragraph(block: &Block) -> bool {
    let mut current = block;
    loop {
        let last = match current {
            Block::Paragraph(_) | Block::Figure(_) | Block::Table(_) => return true,
            Block::Quote(blocks) | Block::Container { blocks, .. } => blocks.last(),
            Block::List(list) => list.items.last().and_then(|item| item.last()),
            Block::Heading { .. } | Block::Code { .. } | Block::Rule => return false,
        };
        match last {
            Some(block) => current = block,
            None => return false,
        }
    }
}

/// A paragraph cannot end with a hard break (it would read as a literal backslash).
fn trim_trailing_breaks(inlines: &[Inline]) -> &[Inline] {
    let mut end = inlines.len();
    while end > 0 && matches!(inlines.get(end - 1), Some(Inline::LineBreak)) {
        end -= 1;
    }
    inlines.get(..end).unwrap_or(inlines)
}

/// The class of the first (or last) character an inline will be written as.
fn edge_class(inline: &Inline, first: bool, ctx: &InlineContext) -> Class {
    match inline {
        Inline::Text(text) => {
            let c = if first {
                text.chars().next()
            } else {
                text.chars().last()
            };
            match c {
                Some('\n') => WHITESPACE,
                c => class_of(c),
            }
        }
        Inline::Span { content, .. } => {
            let edge = if first {
                content.first()
            } else {
                content.last()
            };
            edge.map_or(ANY, |i| edge_class(i, first, ctx))
        }
        Inline::Link(link) if ctx.in_link => {
            let content = &link.content;
            let edge = if first {
                content.first()
            } else {
                content.last()
            };
            edge.map_or(ANY, |i| edge_class(i, first, ctx))
        }
        Inline::LineBreak if !first && !ctx.heading && !ctx.table => WHITESPACE,
        Inline::Note(blocks) if blocks.is_empty() => ANY,
        _ => PUNCTUATION,
    }
}

/// A formula in TeX between dollars, as pandoc and GitHub write it: `$…$` in the text,
/// `$$…$$` displayed. The TeX is one line, its own `$` escaped (`\$` is a dollar in TeX too)
/// and, in a table, its `|` written `\vert` so that it cannot end the cell.
fn math_markdown(math: &crate::model::Math, ctx: &InlineContext) -> String {
    let mut tex = math.tex_or_text().replace(['\n', '\r'], " ");
    if tex.contains('$') {
        tex = tex.replace("\\$", "$").replace('$', "\\$");
    }
    if ctx.table {
        tex = tex.replace('|', "\\vert ");
    }
    let tex = tex.trim();
    if tex.is_empty() {
        String::new()
    } else if math.display {
        format!("$${tex}$$")
    } else {
        format!("${tex}$")
    }
}

/// Prefixes the first line with `first` and the others with `rest`; empty lines get the
/// prefix without its trailing spaces.
fn prefix_lines(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let prefix = if i == 0 { first } else { rest };
        if line.is_empty() {
            out.push_str(prefix.trim_end());
        } else {
            out.push_str(prefix);
            out.push_str(line);
        }
    }
    out
}

/// A fenced code block whose fence is longer than any run of the fence character inside.
fn code_block(language: Option<&str>, text: &str) -> String {
    let language = language.unwrap_or("");
    let fence_char = if language.contains('`') { '~' } else { '`' };
    let longest = longest_run(text, fence_char);
    // The info string takes backslash escapes and entities like text does.
    let mut info = String::with_capacity(language.len());
    for (offset, c) in language.char_indices() {
        if c == '\\' || (c == '&' && looks_like_entity(language, offset)) {
            info.push('\\');
        }
        info.push(c);
    }
    if info.starts_with(fence_char) {
        // Else the info string's first characters would lengthen the fence.
        info.insert(0, ' ');
    }
    let language = info.as_str();
    let fence: String = std::iter::repeat_n(fence_char, (longest + 1).max(3)).collect();
    let text = without_stray_controls(text);
    if text.is_empty() {
        format!("{fence}{language}\n{fence}")
    } else {
        format!("{fence}{language}\n{text}\n{fence}")
    }
}

/// `text` without control characters (see [`is_stray_control`]); borrowed when it has none.
fn without_stray_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(is_stray_control) {
        text.chars().filter(|&c| !is_stray_control(c)).collect()
    } else {
        text.into()
    }
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for ch in text.chars() {
        if ch == c {
            current += 1;
            longest = longest.max(current);
        } else {
            current = 0;
        }
    }
    longest
}

/// An inline code span with more backticks than any run inside, padded when the content
/// starts or ends with a backtick or would lose its edge spaces.
fn code_span(code: &str) -> String {
    let code = without_stray_controls(&code.replace(['\n', '\r'], " ")).into_owned();
    let ticks: String = std::iter::repeat_n('`', longest_run(&code, '`') + 1).collect();
    let all_spaces = code.chars().all(|c| c == ' ');
    let pad = code.starts_with('`')
        || code.ends_with('`')
        || (!all_spaces && code.starts_with(' ') && code.ends_with(' '));
    if pad {
        format!("{ticks} {code} {ticks}")
    } else {
        format!("{ticks}{code}{ticks}")
    }
}

/// `<url>` is right when the text is the URL itself and the URL is a valid autolink.
fn is_autolink(url: &str, content: &[Inline]) -> bool {
    let [Inline::Text(text)] = content else {
        return false;
    };
    if text != url {
        return false;
    }
    let Some((scheme, rest)) = url.split_once(':') else {
        return false;
    };
    let scheme_ok = (2..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
    scheme_ok
        && !rest
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>'))
}

/// A link or image destination with its optional title: `url "title"`.
fn destination(url: &str, title: Option<&str>) -> String {
    let mut out = String::new();
    let needs_angle = url.is_empty()
        || url
            .chars()
            .any(|c| c == ' ' || c.is_control() || c == '<' || c == '>');
    if needs_angle {
        out.push('<');
        for (i, c) in url.char_indices() {
            match c {
                '<' | '>' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                '&' if looks_like_entity(url, i) => out.push_str("\\&"),
                '\n' | '\r' => out.push(' '),
                c => out.push(c),
            }
        }
        out.push('>');
    } else {
        for (i, c) in url.char_indices() {
            match c {
                '(' | ')' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                '&' if looks_like_entity(url, i) => out.push_str("\\&"),
                c => out.push(c),
            }
        }
    }
    if let Some(title) = title {
        out.push_str(" \"");
        for (i, c) in title.char_indices() {
            match c {
                '"' | '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                '&' if looks_like_entity(title, i) => out.push_str("\\&"),
                '\n' | '\r' => out.push(' '),
                c => out.push(c),
            }
        }
        out.push('"');
    }
    out
}

fn image_markdown(image: &Image, ctx: &InlineContext) -> String {
    let alt_ctx = InlineContext {
        in_link: true,
        ..ctx.clone()
    };
    if !is_allowed(&image.src, UrlUse::Image) {
        // A picture the URL policy refuses: its description alone.
        return escape_text(&image.alt, false, ctx);
    }
    let alt = escape_text(&image.alt, false, &alt_ctx);
    format!(
        "![{alt}]({})",
        destination(&image.src, image.title.as_deref())
    )
}

/// Whether the `&` at byte `at` starts something Markdown would read as an entity: `&name;`,
/// `&#123;`. (What follows a text node starts with markup, never with `;`.)
fn looks_like_entity(text: &str, at: usize) -> bool {
    let rest = text.get(at + 1..).unwrap_or("");
    let mut len = 0;
    for c in rest.chars() {
        if c.is_ascii_alphanumeric() || c == '#' {
            len += 1;
        } else {
            return len > 0 && c == ';';
        }
    }
    false
}

/// Escapes text so Markdown reads it back as the same text: syntax characters get a
/// backslash where they could mean something, and nowhere else.
fn escape_text(text: &str, line_start: bool, ctx: &InlineContext) -> String {
    // (byte offset, char) pairs: neighbours and entity checks need both.
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let char_at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut out = String::with_capacity(text.len() + 8);
    // At the start of a line, an ordered-list marker `12.` or `12)` needs its `.` escaped.
    let list_number_end = if line_start {
        let digits = chars.iter().take_while(|(_, c)| c.is_ascii_digit()).count();
        (digits > 0
            && digits <= 9
            && matches!(char_at(digits), Some('.' | ')'))
            && matches!(char_at(digits + 1), None | Some(' ')))
        .then_some(digits)
    } else {
        None
    };
    // A line of only `|`, `-`, `:` and spaces could be read as a table's delimiter row.
    let delimiter_row_like = line_start
        && chars
            .iter()
            .all(|(_, c)| matches!(c, '|' | '-' | ':' | ' '))
        && chars.iter().any(|&(_, c)| c == '|');
    // Which characters the syntax needs escaped, by offset; `None`: left out.
    let mut escapes: Vec<Option<bool>> = Vec::with_capacity(chars.len());
    for (i, &(offset, c)) in chars.iter().enumerate() {
        let c = if c == '\n' || c == '\r' { ' ' } else { c };
        // Readers remove control characters; a document built by hand may still have them,
        // and Markdown has no way to write them (the other writers drop them too).
        if is_stray_control(c) {
            escapes.push(None);
            continue;
        }
        let prev = i.checked_sub(1).and_then(char_at);
        let next = char_at(i + 1);
        let first = line_start && i == 0;
        let escape = match c {
            '\\' | '*' | '`' | '[' | '~' => true,
            // With every `[` escaped, a `]` can only close link text (or an image's).
            ']' => ctx.in_link || ctx.escape_closing_bracket,
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            // Only these can start a tag, comment or autolink (or, at the end, whatever
            // comes next).
            '<' => next.is_none_or(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => looks_like_entity(text, offset),
            // In a heading, a `#` after a space could start its closing sequence.
            '#' => first || (ctx.heading && prev.is_none_or(char::is_whitespace)),
            '{' => ctx.heading,
            // A dollar before anything but a space could open a formula (`$5-$10`).
            '$' => !next.is_some_and(char::is_whitespace),
            '>' | '=' => first,
            '-' => first && matches!(next, None | Some(' ' | '-')),
            '+' => first && matches!(next, None | Some(' ')),
            '.' | ')' => list_number_end == Some(i),
            '|' | ':' => delimiter_row_like && i == 0,
            _ => false,
        };
        escapes.push(Some(escape));
    }
    // Text that a reader would take for a bare URL or address (GFM links them) is broken
    // there, so it reads back as the text it is; the reader's runs of text end at the
    // escapes above, so the links are sought as it will see them. A link's own text is never
    // linked again.
    let link_stops = if ctx.in_link {
        Vec::new()
    } else {
        let escaped: Vec<usize> = chars
            .iter()
            .zip(&escapes)
            .filter(|(_, escape)| **escape == Some(true))
            .map(|(&(offset, _), _)| offset)
            .collect();
        crate::model::autolink::link_stops(text, &escaped)
    };
    let mut link_stops = link_stops.into_iter().peekable();
    for (&(offset, c), escape) in chars.iter().zip(escapes) {
        let stops_link = link_stops.next_if_eq(&offset).is_some();
        let Some(escape) = escape else {
            continue;
        };
        if escape || stops_link {
            out.push('\\');
        }
        out.push(if c == '\n' || c == '\r' { ' ' } else { c });
    }
    out
}

/// Whether a table fits GFM's pipe syntax: one header row, rows of equal length, no spans,
/// and each cell at most one paragraph with no line breaks (a caption is written above it).
fn is_pipe_table(table: &Table) -> bool {
    let [head] = table.head.as_slice() else {
        return false;
    };
    let columns = head.cells.len();
    columns > 0
        && table.body.iter().all(|row| row.cells.len() == columns)
        && table.head.iter().chain(&table.body).all(|row| {
            row.cells.iter().all(|cell| {
                cell.colspan == 1
                    && cell.rowspan == 1
                    && match cell.content.as_slice() {
                        [] => true,
                        [Block::Paragraph(inlines)] => !has_line_break(inlines),
                        _ => false,
                    }
            })
        })
}

/// A table pipe syntax cannot hold (spans, several header rows, blocks in cells), as one
/// HTML block: CommonMark ends an HTML block at a blank line, so the markup has none (a
/// blank line inside `<pre>` is written as `&#10;`), and quire's HTML reader reads it back.
/// The markup goes into `out` a row at a time, `after_row` called after each.
fn html_table(
    table: &Table,
    out: &mut String,
    after_row: &mut dyn FnMut(&mut String) -> io::Result<()>,
) -> io::Result<()> {
    let mut blank_lines = BlankLineBreaker::default();
    super::html::write_table(table, false, &mut |html| {
        blank_lines.push(html, out);
        html.clear();
        after_row(out)
    })?;
    // The block ends at its last markup: the whitespace kept back is dropped.
    Ok(())
}

/// Copies markup with no blank line in it: the second newline of each pair becomes `&#10;`
/// (the same as replacing the first blank line until none is left, as the replacement cannot
/// make a new one). Whitespace is kept back until more markup follows it, so the copy never
/// ends with any.
#[derive(Default)]
struct BlankLineBreaker {
    /// The last character taken was a newline that did not become `&#10;`.
    after_newline: bool,
    /// Whitespace taken and not yet written.
    held: String,
}

impl BlankLineBreaker {
    fn push(&mut self, html: &str, out: &mut String) {
        for c in html.chars() {
            if c == '\n' && self.after_newline {
                self.after_newline = false;
                out.push_str(&self.held);
                self.held.clear();
                out.push_str("&#10;");
            } else if c.is_whitespace() {
                self.after_newline = c == '\n';
                self.held.push(c);
            } else {
                self.after_newline = false;
                out.push_str(&self.held);
                self.held.clear();
                out.push(c);
            }
        }
    }
}

/// Whether inlines hold a line break at any depth (an explicit stack, no recursion).
fn has_line_break(inlines: &[Inline]) -> bool {
    let mut pending: Vec<&Inline> = inlines.iter().collect();
    while let Some(inline) = pending.pop() {
        match inline {
            Inline::LineBreak => return true,
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => pending.extend(c.iter()),
            Inline::Link(link) => pending.extend(link.content.iter()),
            _ => {}
        }
    }
    false
}
