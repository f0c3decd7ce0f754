//! The Markdown reader: CommonMark + GFM (tables, strikethrough, footnotes) and YAML front
//! matter, via pulldown-cmark's event stream. No `{#id}` heading attributes: GFM has none.
//!
//! pulldown-cmark is iterative; the event → model builder here is too: it keeps an explicit
//! stack of open frames. Nesting deeper than the model allows is flattened (a quote or list
//! past the limit gives its content to its parent), so no input can exceed
//! [`MAX_DEPTH`]. Footnote definitions are collected first and placed as [`Inline::Note`] at
//! every reference; only notes recurse, and each level of notes costs depth, so that
//! recursion is bounded too.

use std::collections::HashMap;

use pulldown_cmark::{
    Alignment as MdAlignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag,
    TagEnd,
};
use yaml_rust2::{Yaml, YamlLoader};

use super::{ReadOptions, Reader, Reading};
use crate::error::{Result, Warning};
use crate::model::{
    inlines_to_plain, normalize_inlines, Alignment, Block, Cell, Direction, Document, Figure,
    Image, Inline, List, Meta, Row, Table, MAX_DEPTH,
};

/// Reads CommonMark/GFM Markdown with optional YAML front matter.
pub struct MarkdownReader;

/// How many footnote copies, and how many events in all of them, one document may expand
/// to: a note referenced twice is copied, and notes that reference notes (or one long note
/// referenced thousands of times) could otherwise multiply the input without end.
const MAX_NOTE_EXPANSIONS: usize = 10_000;
/// The budget for all note copies together, in events plus bytes of text.
const MAX_NOTE_COST: usize = 8_000_000;

impl Reader for MarkdownReader {
    fn read(&self, input: &str, options: &ReadOptions) -> Result<Reading> {
        read_markdown(input, options, KEEP_EVENTS_LEN)
    }

    fn read_owned(&self, input: String, options: &ReadOptions) -> Result<Reading> {
        read_markdown_owned(input, options, PIECE_LEN)
    }
}

/// The extensions the reader turns on. No heading attributes: GFM has none, and
/// pulldown-cmark reads `{#x}` at the end of a heading as attributes even when its `{` is
/// escaped, so a heading whose text ends that way could not be written so that it reads back.
const PARSER_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES);

/// Reads Markdown; a document that can hold footnotes keeps all its events when it is no
/// longer than `keep_events_len`, and is parsed twice otherwise.
fn read_markdown(input: &str, options: &ReadOptions, keep_events_len: usize) -> Result<Reading> {
    let capped = cap_quote_nesting(input);
    let input = capped.as_deref().unwrap_or(input);
    // Front matter is split off here rather than by pulldown-cmark, which takes any `---`
    // line followed by text and a later `---` for a metadata block, anywhere in a document.
    let (front_matter, body) = split_front_matter(input);
    read_split_markdown(front_matter, body, options, keep_events_len)
}

/// [`read_markdown`] once the front matter is split from the body.
fn read_split_markdown(
    front_matter: Option<&str>,
    body: &str,
    options: &ReadOptions,
    keep_events_len: usize,
) -> Result<Reading> {
    let (meta, mut warnings) = read_front_matter_of(front_matter);
    // Footnotes are placed at their references, which may come before their definitions,
    // so the definitions' events are found first when the text can hold footnotes (they
    // all start with `[^`). A short document keeps all its events for that; a long one
    // is parsed twice instead, keeping the definitions alone: the list of all events is
    // 20 times the size of the text.
    let can_hold_notes = body.contains("[^");
    let all_events: Option<Vec<Event<'_>>> = (can_hold_notes && body.len() <= keep_events_len)
        .then(|| Parser::new_ext(body, PARSER_OPTIONS).collect());
    let notes = match &all_events {
        Some(events) => FootnoteDefinitions::find(events.iter().cloned()),
        None if can_hold_notes => FootnoteDefinitions::find(Parser::new_ext(body, PARSER_OPTIONS)),
        None => FootnoteDefinitions::default(),
    };
    let mut ctx = BuildContext::new(&notes, options, &mut warnings);
    let blocks = match all_events {
        Some(events) => ctx.build(events.into_iter(), 0),
        None => {
            // Otherwise the events are built into the model as they come. pulldown-cmark
            // keeps a tree of the whole text (12 times its size for dense Markdown), so a
            // long document is parsed piece by piece where that is sure to make the same
            // events (see `Pieces`).
            let events = Pieces::new(body, PIECE_LEN)
                .flat_map(|piece| Parser::new_ext(piece, PARSER_OPTIONS));
            ctx.build(events, 0)
        }
    };
    Ok(finish_reading(meta, blocks, warnings))
}

/// Reads Markdown that the reader owns, the same as [`read_markdown`]. A long document that
/// can be cut into pieces of `piece_len` (see [`Pieces`]) is built from its last piece to
/// its first, and the text is cut short after each: the model owns all its strings, so the
/// pieces already built need no text, and with the text shrinking while the model grows,
/// the two are never both whole (20 MB of dense Markdown makes a model of some 180 MB;
/// holding the text to the end added its 20 MB to the peak). Other documents are read as
/// they would be from borrowed text.
fn read_markdown_owned(
    mut text: String,
    options: &ReadOptions,
    piece_len: usize,
) -> Result<Reading> {
    if let Some(capped) = cap_quote_nesting(&text) {
        text = capped;
    }
    let (front_matter, body) = split_front_matter(&text);
    // The body is the end of the text; pieces are kept as where they start in it, so that
    // nothing borrows the text when it is cut short.
    let body_start = text.len().saturating_sub(body.len());
    let mut piece_starts = Vec::new();
    if body.len() > piece_len {
        let mut start = body_start;
        for piece in Pieces::new(body, piece_len) {
            piece_starts.push(start);
            start += piece.len();
        }
    }
    // One piece: the text could not be cut (or is short). More than one means that
    // `can_be_cut` found no `[^`, so there are no footnotes, whose definitions every piece
    // would need.
    if piece_starts.len() < 2 {
        return read_split_markdown(front_matter, body, options, KEEP_EVENTS_LEN);
    }
    let (meta, mut warnings) = read_front_matter_of(front_matter);
    // A piece starts a top-level block and ends with all its blocks closed, so building the
    // pieces one by one makes the blocks that building all their events at once makes: the
    // builder holds nothing but its finished blocks between them.
    let mut blocks_backwards: Vec<Block> = Vec::new();
    // Each piece's warnings, the last piece's first.
    let mut piece_warnings: Vec<Vec<Warning>> = Vec::new();
    let text_len = text.len();
    for &start in piece_starts.iter().rev() {
        let mut warnings_here = Vec::new();
        let blocks = {
            let piece = text.get(start..).unwrap_or_default();
            let notes = FootnoteDefinitions::default();
            let mut ctx = BuildContext::new(&notes, options, &mut warnings_here);
            ctx.build(Parser::new_ext(piece, PARSER_OPTIONS), 0)
        };
        make_room(
            &mut blocks_backwards,
            blocks.len(),
            text_len.saturating_sub(start),
            start.saturating_sub(body_start),
        );
        blocks_backwards.extend(blocks.into_iter().rev());
        if !warnings_here.is_empty() {
            piece_warnings.push(warnings_here);
        }
        // The piece is built: its text goes. Allocators shrink a large allocation in place
        // (jemalloc, the binary's, does), so the freed end serves the next pieces' model.
        if text.is_char_boundary(start) {
            text.truncate(start);
            text.shrink_to_fit();
        }
    }
    drop(text);
    blocks_backwards.reverse();
    let mut blocks = blocks_backwards;
    // Whatever room is left is dropped: the model keeps the vector as it is.
    blocks.shrink_to_fit();
    warnings.extend(piece_warnings.into_iter().rev().flatten());
    Ok(finish_reading(meta, blocks, warnings))
}

/// Makes room in the document's top-level blocks for `more` blocks from a piece, when
/// `done` bytes of text have made them (this piece's included) and `remaining` bytes are
/// still to read. The vector holds a long document's many top-level blocks (56 bytes each:
/// 32 MB for 20 MB of headings and short paragraphs). Grown by doubling, it last moved with
/// 30 MB to copy, and the old and the new copies both held then added 10 MB to the peak.
/// So it grows to what the rest of the text will likely make at the rate the text read so
/// far made blocks, with an eighth more: in a document of even density it moves once or
/// twice, early, while small (room it does not fill is never touched, so never resident,
/// and goes at the end).
fn make_room(blocks: &mut Vec<Block>, more: usize, done: usize, remaining: usize) {
    if blocks.capacity() - blocks.len() >= more {
        return;
    }
    let made = blocks.len() + more;
    // The guess is capped at a block for every 16 bytes of the rest (blocks are rarely
    // denser), so that a dense end of a document cannot make it reserve many times the text;
    // a denser rest only makes the vector move more often.
    let expected_rest = (made.saturating_mul(remaining) / done.max(1)).min(remaining / 16);
    let slack = if remaining == 0 {
        0
    } else {
        (expected_rest + expected_rest / 8).max(blocks.len() / 8)
    };
    blocks.reserve_exact(more.saturating_add(slack));
}

/// The reading, once the blocks are built: a leading level-1 heading becomes the title when
/// the front matter has none.
fn finish_reading(mut meta: Meta, mut blocks: Vec<Block>, warnings: Vec<Warning>) -> Reading {
    if meta.title.is_none() {
        take_title_from_heading(&mut meta, &mut blocks);
    }
    Reading {
        document: Document::new(meta, blocks),
        warnings,
    }
}

/// Block quotes nested deeper than this are cut to this depth before parsing.
/// pulldown-cmark keeps a node and a stack entry for every level (about 100 bytes each, so
/// a line of 100,000 `>` took 13 MB), while the model flattens every quote past
/// [`MAX_DEPTH`] into the one above: past this depth, more levels change nothing read.
const MAX_QUOTE_MARKERS: usize = 4 * MAX_DEPTH;

/// The text with every line's run of block-quote markers cut to [`MAX_QUOTE_MARKERS`], or
/// `None` when no line has more. Only runs of `>` with spaces are cut: a tab's width
/// depends on its column, which a cut would move.
fn cap_quote_nesting(text: &str) -> Option<String> {
    // Cheap test first: no line can have that many markers without that many `>`.
    if text.bytes().filter(|&b| b == b'>').count() <= MAX_QUOTE_MARKERS {
        return None;
    }
    let mut cuts = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if let Some((from, to)) = excess_quote_markers(line.as_bytes()) {
            cuts.push((line_start + from, line_start + to));
        }
        line_start += line.len();
    }
    if cuts.is_empty() {
        return None;
    }
    let mut capped = String::with_capacity(text.len());
    let mut at = 0;
    for (from, to) in cuts {
        capped.push_str(text.get(at..from)?);
        at = to;
    }
    capped.push_str(text.get(at..)?);
    Some(capped)
}

/// The byte range of a line's block-quote markers past the [`MAX_QUOTE_MARKERS`]th (each
/// marker: up to 3 spaces, `>`, an optional space), if it has more.
fn excess_quote_markers(line: &[u8]) -> Option<(usize, usize)> {
    let mut at = 0;
    let mut markers = 0;
    let mut keep_end = 0;
    loop {
        let spaces = line.get(at..)?.iter().take_while(|&&b| b == b' ').count();
        match line.get(at + spaces) {
            Some(b'>') if spaces <= 3 => {}
            Some(b'\t') => return None,
            _ => break,
        }
        at += spaces + 1;
        match line.get(at) {
            Some(b' ') => at += 1,
            Some(b'\t') => return None,
            _ => {}
        }
        markers += 1;
        if markers == MAX_QUOTE_MARKERS {
            keep_end = at;
        }
    }
    (markers > MAX_QUOTE_MARKERS).then_some((keep_end, at))
}

/// The length up to which a document that can hold footnotes keeps all its events (some
/// megabytes of them) rather than be parsed twice.
const KEEP_EVENTS_LEN: usize = 512 * 1024;

/// The length past which a document is cut into pieces, where it can be.
const PIECE_LEN: usize = 64 * 1024;

/// A document cut into pieces that pulldown-cmark parses one after another into the events
/// it makes of the whole, so that its tree never holds more than a piece.
///
/// A cut goes before a line that starts a new top-level block for certain: it follows a
/// blank line (which ends paragraphs, tables, block quotes and HTML blocks of kinds 6 and 7)
/// and starts in column 0 with neither a list marker (which could continue the list before)
/// nor indentation (which could continue a list item or indented code), and outside fenced
/// code (see [`Fences`]). Documents with what reaches across blank lines or across the whole
/// document are not cut at all: link reference definitions and footnotes (`]:`, `[^`), the
/// HTML blocks that end only at their end tag (comments, `<!…>`, `<?…>`, `pre`, `script`,
/// `style`, `textarea`), and fenced code where its fences cannot be told for certain.
struct Pieces<'a> {
    rest: &'a str,
    /// The length a piece grows to before it is cut; `usize::MAX` when cutting is unsafe.
    min_len: usize,
}

impl<'a> Pieces<'a> {
    fn new(text: &'a str, min_len: usize) -> Pieces<'a> {
        let min_len = if can_be_cut(text) {
            min_len.max(1)
        } else {
            usize::MAX
        };
        Pieces {
            rest: text,
            min_len,
        }
    }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.rest.is_empty() {
            return None;
        }
        let cut = if self.rest.len() > self.min_len {
            cut_point(self.rest, self.min_len)
        } else {
            None
        };
        let (piece, rest) = self.rest.split_at(cut.unwrap_or(self.rest.len()));
        self.rest = rest;
        Some(piece)
    }
}

/// Whether nothing in the text reaches across blank lines at the top level or across the
/// whole document (see [`Pieces`]); conservative: it looks for the markers anywhere.
fn can_be_cut(text: &str) -> bool {
    if ["]:", "[^", "<!", "<?"]
        .iter()
        .any(|marker| text.contains(marker))
    {
        return false;
    }
    let bytes = text.as_bytes();
    if (text.contains("```") || text.contains("~~~")) && !fences_are_certain(bytes) {
        return false;
    }
    !bytes.iter().enumerate().any(|(at, &b)| {
        b == b'<'
            && ["pre", "script", "style", "textarea"].iter().any(|name| {
                bytes
                    .get(at + 1..at + 1 + name.len())
                    .is_some_and(|tag| tag.eq_ignore_ascii_case(name.as_bytes()))
            })
    })
}

/// Whether [`Fences`] sees every fence as pulldown-cmark does: not when a line could start
/// an HTML block (whose lines are not fences, though they may look like one) and not when a
/// lone CR ends lines (the scan splits lines at LF).
fn fences_are_certain(bytes: &[u8]) -> bool {
    let lone_cr = bytes
        .iter()
        .enumerate()
        .any(|(at, &b)| b == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
    let html_line = bytes.split(|&b| b == b'\n').any(|line| {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        indent <= 3 && line.get(indent) == Some(&b'<')
    });
    !lone_cr && !html_line
}

/// Where a scan from the start of a piece stands with fenced code, line by line.
///
/// A fence in column 0 is always a top-level one: a list item or a block quote cannot take an
/// unindented fence as a lazy line, and an HTML block is ruled out by [`fences_are_certain`].
/// Inside it nothing but its closing fence counts. A fence indented 1 to 3 spaces may belong
/// to a list item, which can end before the fence closes; the scan cannot follow that, so it
/// stops cutting there. One indented 4 or more spaces is code or inside a list item, which
/// the next cut line (unindented, after a blank line) ends anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fences {
    Outside,
    /// In fenced code opened by this many of this character.
    Inside(u8, usize),
    Unknown,
}

impl Fences {
    fn after_line(self, line: &[u8]) -> Fences {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let rest = line.get(indent..).unwrap_or_default();
        let fence_char = match rest.first() {
            Some(&c @ (b'`' | b'~')) if indent <= 3 => c,
            _ => return self,
        };
        let run = rest.iter().take_while(|&&b| b == fence_char).count();
        if run < 3 {
            return self;
        }
        let after = rest.get(run..).unwrap_or_default();
        match self {
            Fences::Unknown => self,
            Fences::Inside(c, len) => {
                let closes = c == fence_char
                    && run >= len
                    && after.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'));
                if closes {
                    Fences::Outside
                } else {
                    self
                }
            }
            Fences::Outside => {
                // A backtick fence's info string has no backtick (else it is inline code).
                if fence_char == b'`' && after.contains(&b'`') {
                    self
                } else if indent == 0 {
                    Fences::Inside(fence_char, run)
                } else {
                    Fences::Unknown
                }
            }
        }
    }
}

/// The start of the first line at or after byte `from` that a piece may start with (see
/// [`Pieces`]), if any.
fn cut_point(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    // From the start of the text (which starts a top-level block, outside any fence), so
    // that the fences before `from` are seen.
    let mut line_start = 0;
    let mut after_blank = false;
    let mut fences = Fences::Outside;
    while line_start < bytes.len() {
        let line_end = bytes[line_start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |at| line_start + at);
        let line = &bytes[line_start..line_end];
        // A line of spaces and tabs is blank; CR ends a line too, so CR LF and lone CRs in
        // it leave blank lines only.
        let blank = line.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'));
        if fences == Fences::Unknown {
            return None;
        }
        if after_blank && line_start >= from && fences == Fences::Outside {
            if let Some(&first) = line.first() {
                if !blank && !matches!(first, b' ' | b'\t' | b'-' | b'+' | b'*' | b'0'..=b'9') {
                    return Some(line_start);
                }
            }
        }
        fences = fences.after_line(line);
        // A blank line inside fenced code does not end what it is in.
        after_blank = blank && fences == Fences::Outside;
        line_start = line_end + 1;
    }
    None
}

/// The footnote definitions of a document: the events of each (nested definitions stay
/// inside their parent's), found by label (lower-cased; the first definition wins), with what
/// a copy costs (events plus bytes of text).
#[derive(Default)]
struct FootnoteDefinitions<'a> {
    /// The events inside every definition, one definition after another.
    events: Vec<Event<'a>>,
    /// Label → the definition's content in `events` (`start..end`) and its cost.
    by_label: HashMap<String, (usize, usize, usize)>,
}

impl<'a> FootnoteDefinitions<'a> {
    fn find(events: impl Iterator<Item = Event<'a>>) -> FootnoteDefinitions<'a> {
        let mut notes = FootnoteDefinitions::default();
        let mut open: Vec<(String, usize)> = Vec::new();
        for event in events {
            match &event {
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let label = label.to_lowercase();
                    notes.events.push(event);
                    open.push((label, notes.events.len()));
                    continue;
                }
                Event::End(TagEnd::FootnoteDefinition) => {
                    if let Some((label, start)) = open.pop() {
                        let end = notes.events.len();
                        let cost = notes
                            .events
                            .get(start..end)
                            .unwrap_or_default()
                            .iter()
                            .map(|event| match event {
                                Event::Text(t) | Event::Code(t) | Event::Html(t) => 1 + t.len(),
                                _ => 1,
                            })
                            .sum();
                        notes.by_label.entry(label).or_insert((start, end, cost));
                        notes.events.push(event);
                    }
                    continue;
                }
                _ => {}
            }
            if !open.is_empty() {
                notes.events.push(event);
            }
        }
        notes.events.shrink_to_fit();
        notes
    }
}

/// A frame under construction: one open element of the event stream.
struct Frame {
    kind: FrameKind,
    /// The model depth the frame's own node sits at (the root is 0).
    level: usize,
    blocks: Vec<Block>,
    inlines: Vec<Inline>,
    /// List frames: finished items. Table frames: finished head/body rows.
    items: Vec<Vec<Block>>,
    head: Vec<Row>,
    body: Vec<Row>,
    cells: Vec<Cell>,
    /// Code blocks, HTML blocks, `<code>`/`<kbd>`: raw text.
    text: String,
    /// Paragraphs: the caption of the last image placed in it, and how many images.
    image_caption: Option<Vec<Inline>>,
    /// Lists: whether an item holds a paragraph tag (pulldown-cmark's sign of a loose list).
    loose: bool,
    /// Opened by an inline HTML tag (closed by its end tag, or dropped at a block's end).
    from_html: bool,
    /// Transparent block frames opened right inside this one and merged into it: how many
    /// ends they still wait for. A transparent frame gives its parent all it holds, so the
    /// two are one; merging keeps 100,000 nested `>` from costing 100,000 frames.
    merged: usize,
}

enum FrameKind {
    Root,
    Quote,
    List {
        ordered: bool,
        start: u32,
    },
    Item,
    Paragraph,
    Heading {
        level: u8,
        id: String,
    },
    CodeBlock {
        language: Option<String>,
    },
    HtmlBlock,
    Table {
        alignments: Vec<Alignment>,
    },
    TableHead,
    TableRow,
    TableCell,
    Emphasis,
    Strong,
    Strikethrough,
    Superscript,
    Subscript,
    Link {
        url: String,
        title: Option<String>,
    },
    Image {
        src: String,
        title: Option<String>,
    },
    /// `<code>` or `<kbd>` in inline HTML: its text becomes inline code.
    HtmlCode {
        tag: String,
    },
    /// An element nested too deep, or an HTML tag with no meaning here: its content goes to
    /// the parent. `block` says whether it held blocks (a quote, list or item).
    Transparent {
        block: bool,
        html_tag: Option<String>,
    },
}

impl Frame {
    fn new(kind: FrameKind, level: usize) -> Frame {
        Frame {
            kind,
            level,
            blocks: Vec::new(),
            inlines: Vec::new(),
            items: Vec::new(),
            head: Vec::new(),
            body: Vec::new(),
            cells: Vec::new(),
            text: String::new(),
            image_caption: None,
            loose: false,
            from_html: false,
            merged: 0,
        }
    }

    /// Whether a transparent block frame opened now can merge into this one: this one is
    /// transparent itself and holds nothing that it would hand over differently (list items,
    /// table rows).
    fn can_merge_transparent(&self) -> bool {
        matches!(
            self.kind,
            FrameKind::Transparent {
                block: true,
                html_tag: None
            }
        ) && !self.from_html
            && self.items.is_empty()
            && self.head.is_empty()
            && self.body.is_empty()
            && self.cells.is_empty()
    }

    /// Turns inlines gathered directly in a block container (tight list items, stray text)
    /// into a paragraph.
    fn flush_inlines(&mut self) {
        if self.inlines.is_empty() {
            return;
        }
        let inlines = finish_inlines(std::mem::take(&mut self.inlines));
        if !inlines.is_empty() {
            self.blocks.push(Block::Paragraph(inlines));
        }
    }
}

struct BuildContext<'e, 'a, 'w> {
    notes: &'e FootnoteDefinitions<'a>,
    /// Labels of the notes being expanded now (a note that references itself stays text).
    expanding: Vec<String>,
    expansions: usize,
    note_cost: usize,
    options: &'e ReadOptions,
    warnings: &'w mut Vec<Warning>,
}

impl<'e, 'a, 'w> BuildContext<'e, 'a, 'w> {
    fn new(
        notes: &'e FootnoteDefinitions<'a>,
        options: &'e ReadOptions,
        warnings: &'w mut Vec<Warning>,
    ) -> Self {
        BuildContext {
            notes,
            expanding: Vec::new(),
            expansions: 0,
            note_cost: 0,
            options,
            warnings,
        }
    }
}

/// The deepest level a block container (quote, list, table) may sit at: its paragraphs sit
/// one deeper and their text one deeper still.
fn container_fits(level: usize) -> bool {
    level + 2 <= MAX_DEPTH
}

/// An inline wrapper at `level` still has room for the text inside it.
fn wrapper_fits(level: usize) -> bool {
    level < MAX_DEPTH
}

impl<'a> BuildContext<'_, 'a, '_> {
    /// Builds the blocks of `events`, whose container sits at `base_level`.
    fn build(&mut self, events: impl Iterator<Item = Event<'a>>, base_level: usize) -> Vec<Block> {
        let mut stack: Vec<Frame> = vec![Frame::new(FrameKind::Root, base_level)];
        let mut events = events;
        while let Some(event) = events.next() {
            match event {
                Event::Start(Tag::FootnoteDefinition(_)) => {
                    // Definitions are placed at their references; skip this one here.
                    skip_to_end_of_definition(&mut events);
                }
                Event::Start(tag) => self.start_tag(&mut stack, &tag),
                Event::End(tag_end) => self.end_tag(&mut stack, tag_end),
                Event::Text(text) => {
                    if let Some(top_frame) = stack.last_mut() {
                        match top_frame.kind {
                            FrameKind::CodeBlock { .. }
                            | FrameKind::HtmlBlock
                            | FrameKind::HtmlCode { .. } => top_frame.text.push_str(&text),
                            _ => top_frame.inlines.push(Inline::text(text.as_ref())),
                        }
                    }
                }
                Event::Code(code) => push_inline(&mut stack, Inline::Code(code.to_string())),
                Event::InlineMath(text) | Event::DisplayMath(text) => {
                    push_inline(&mut stack, Inline::text(text.as_ref()))
                }
                Event::Html(html) => {
                    if let Some(top_frame) = stack.last_mut() {
                        top_frame.text.push_str(&html);
                    }
                }
                Event::InlineHtml(html) => self.inline_html(&mut stack, &html),
                Event::FootnoteReference(label) => {
                    let level = current_level(&stack) + 1;
                    if let Some(note) = self.expand_note(&label, level) {
                        push_inline(&mut stack, note);
                    }
                }
                Event::SoftBreak => push_inline(&mut stack, Inline::text(" ")),
                Event::HardBreak => push_inline(&mut stack, Inline::LineBreak),
                Event::Rule => {
                    flush_for_block(&mut stack);
                    push_block(&mut stack, Block::Rule);
                }
                Event::TaskListMarker(done) => {
                    push_inline(&mut stack, Inline::text(if done { "[x] " } else { "[ ] " }))
                }
            }
        }
        // Close whatever the events left open (they are balanced, but be safe).
        while stack.len() > 1 {
            pop_frame(&mut stack, self);
        }
        let mut root = stack
            .pop()
            .unwrap_or_else(|| Frame::new(FrameKind::Root, 0));
        root.flush_inlines();
        fitted(root.blocks)
    }

    fn start_tag(&mut self, stack: &mut Vec<Frame>, tag: &Tag<'_>) {
        let parent_level = current_level(stack);
        let level = parent_level + 1;
        let kind = match tag {
            Tag::Paragraph => {
                if let Some(top) = stack.last() {
                    if matches!(top.kind, FrameKind::Item) {
                        mark_list_loose(stack);
                    }
                }
                flush_for_block(stack);
                FrameKind::Paragraph
            }
            Tag::Heading { level: h, id, .. } => {
                flush_for_block(stack);
                FrameKind::Heading {
                    level: heading_level(*h),
                    id: id.as_ref().map(|s| s.to_string()).unwrap_or_default(),
                }
            }
            Tag::BlockQuote(_) => {
                flush_for_block(stack);
                if container_fits(level) {
                    FrameKind::Quote
                } else {
                    transparent_block()
                }
            }
            Tag::CodeBlock(kind) => {
                flush_for_block(stack);
                let language = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .filter(|word| !word.is_empty())
                        .map(str::to_string),
                    CodeBlockKind::Indented => None,
                };
                FrameKind::CodeBlock { language }
            }
            Tag::HtmlBlock => {
                flush_for_block(stack);
                FrameKind::HtmlBlock
            }
            Tag::List(start) => {
                flush_for_block(stack);
                if container_fits(level) {
                    FrameKind::List {
                        ordered: start.is_some(),
                        start: start
                            .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
                            .unwrap_or(1),
                    }
                } else {
                    transparent_block()
                }
            }
            Tag::Item => {
                let in_list = matches!(stack.last().map(|f| &f.kind), Some(FrameKind::List { .. }));
                if in_list {
                    // Items add no depth of their own: their blocks sit in the list.
                    stack.push(Frame::new(FrameKind::Item, parent_level));
                    return;
                }
                flush_for_block(stack);
                transparent_block()
            }
            Tag::Table(alignments) => {
                flush_for_block(stack);
                if container_fits(level) {
                    FrameKind::Table {
                        alignments: alignments.iter().map(|a| alignment(*a)).collect(),
                    }
                } else {
                    transparent_block()
                }
            }
            Tag::TableHead => FrameKind::TableHead,
            Tag::TableRow => FrameKind::TableRow,
            Tag::TableCell => FrameKind::TableCell,
            Tag::Emphasis => inline_or_flat(level, FrameKind::Emphasis),
            Tag::Strong => inline_or_flat(level, FrameKind::Strong),
            Tag::Strikethrough => inline_or_flat(level, FrameKind::Strikethrough),
            Tag::Superscript => inline_or_flat(level, FrameKind::Superscript),
            Tag::Subscript => inline_or_flat(level, FrameKind::Subscript),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                // Links cannot nest (an autolink inside link text): keep the outer one.
                if stack
                    .iter()
                    .any(|f| matches!(f.kind, FrameKind::Link { .. }))
                {
                    stack.push(Frame::new(
                        FrameKind::Transparent {
                            block: false,
                            html_tag: None,
                        },
                        parent_level,
                    ));
                    return;
                }
                let url = if *link_type == LinkType::Email && !dest_url.contains(':') {
                    format!("mailto:{dest_url}")
                } else {
                    dest_url.to_string()
                };
                inline_or_flat(
                    level,
                    FrameKind::Link {
                        url,
                        title: non_empty(title),
                    },
                )
            }
            Tag::Image {
                dest_url, title, ..
            } => {
                // The image's text is its alt text (and a figure's caption), which sits at the
                // level of the image itself.
                stack.push(Frame::new(
                    FrameKind::Image {
                        src: dest_url.to_string(),
                        title: non_empty(title),
                    },
                    parent_level,
                ));
                return;
            }
            Tag::FootnoteDefinition(_)
            | Tag::MetadataBlock(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition => transparent_block(),
        };
        let level = match kind {
            FrameKind::TableHead | FrameKind::TableRow => parent_level,
            FrameKind::Transparent { .. } => parent_level,
            _ => level,
        };
        // Quotes, lists and stray items too deep to keep: each started with its parent's
        // inlines flushed, so merging it into a transparent parent changes nothing.
        let mergeable = matches!(tag, Tag::BlockQuote(_) | Tag::List(_) | Tag::Item)
            && matches!(
                kind,
                FrameKind::Transparent {
                    block: true,
                    html_tag: None
                }
            );
        if let Some(top) = stack.last_mut() {
            if mergeable && top.can_merge_transparent() {
                top.merged += 1;
                return;
            }
        }
        stack.push(Frame::new(kind, level));
    }

    fn end_tag(&mut self, stack: &mut Vec<Frame>, _tag_end: TagEnd) {
        // Inline HTML left open at the end of an element closes there.
        while stack.last().is_some_and(|f| f.from_html) && stack.len() > 1 {
            pop_frame(stack, self);
        }
        if let Some(top) = stack.last_mut().filter(|f| f.merged > 0) {
            // The end of a merged transparent frame: what closing it would have done.
            top.merged -= 1;
            top.flush_inlines();
            return;
        }
        if stack.len() > 1 {
            pop_frame(stack, self);
        }
    }

    fn inline_html(&mut self, stack: &mut Vec<Frame>, html: &str) {
        let Some((name, closing, self_closing)) = parse_tag(html) else {
            return;
        };
        if name == "br" {
            push_inline(stack, Inline::LineBreak);
            return;
        }
        let known = matches!(
            name.as_str(),
            "sup" | "sub" | "kbd" | "code" | "del" | "s" | "strike" | "em" | "i" | "strong" | "b"
        );
        if !known || self_closing {
            return;
        }
        if closing {
            let open_tag = stack.last().and_then(|f| match &f.kind {
                FrameKind::HtmlCode { tag } => Some(tag.as_str()),
                FrameKind::Transparent {
                    html_tag: Some(tag),
                    ..
                } => Some(tag.as_str()),
                FrameKind::Emphasis
                | FrameKind::Strong
                | FrameKind::Strikethrough
                | FrameKind::Superscript
                | FrameKind::Subscript => f.text.as_str().into(),
                _ => None,
            });
            let matches_top = stack.last().is_some_and(|f| f.from_html) && open_tag == Some(&name);
            if matches_top {
                pop_frame(stack, self);
            }
            return;
        }
        let level = current_level(stack) + 1;
        let mut frame = match name.as_str() {
            "kbd" | "code" => Frame::new(FrameKind::HtmlCode { tag: name.clone() }, level),
            _ => {
                let kind = match name.as_str() {
                    "sup" => FrameKind::Superscript,
                    "sub" => FrameKind::Subscript,
                    "del" | "s" | "strike" => FrameKind::Strikethrough,
                    "em" | "i" => FrameKind::Emphasis,
                    _ => FrameKind::Strong,
                };
                if wrapper_fits(level) {
                    let mut frame = Frame::new(kind, level);
                    // Wrapper frames opened by HTML remember their tag here.
                    frame.text = name.clone();
                    frame
                } else {
                    Frame::new(
                        FrameKind::Transparent {
                            block: false,
                            html_tag: Some(name.clone()),
                        },
                        level - 1,
                    )
                }
            }
        };
        frame.from_html = true;
        stack.push(frame);
    }

    /// The note a reference stands for, or the reference as literal text when it has no
    /// definition (or refers to itself, or the document has expanded too many notes).
    /// An empty note is nothing.
    fn expand_note(&mut self, label: &str, level: usize) -> Option<Inline> {
        let key = label.to_lowercase();
        let literal = Inline::text(format!("[^{label}]"));
        let notes = self.notes;
        let Some(&(start, end, cost)) = notes.by_label.get(&key) else {
            return Some(literal);
        };
        if self.expanding.contains(&key)
            || !container_fits(level)
            || self.expansions >= MAX_NOTE_EXPANSIONS
            || self.note_cost + cost > MAX_NOTE_COST
        {
            return Some(literal);
        }
        self.expansions += 1;
        self.note_cost += cost;
        self.expanding.push(key);
        let events = notes.events.get(start..end).unwrap_or_default();
        let blocks = self.build(events.iter().cloned(), level);
        self.expanding.pop();
        (!blocks.is_empty()).then_some(Inline::Note(blocks))
    }

    /// Block HTML read by the HTML reader; when it cannot, its text as one paragraph.
    fn html_block(&mut self, html: &str, level: usize) -> Vec<Block> {
        let options = ReadOptions {
            whole_page: true,
            ..self.options.clone()
        };
        if let Ok(reading) = super::html::HtmlReader.read(html, &options) {
            let mut doc = reading.document;
            if doc.depth() + level <= MAX_DEPTH {
                self.warnings.extend(reading.warnings);
                return std::mem::take(&mut doc.blocks);
            }
        }
        let inlines = finish_inlines(vec![Inline::text(strip_tags(html))]);
        if inlines.is_empty() {
            Vec::new()
        } else {
            vec![Block::Paragraph(inlines)]
        }
    }
}

fn transparent_block() -> FrameKind {
    FrameKind::Transparent {
        block: true,
        html_tag: None,
    }
}

fn inline_or_flat(level: usize, kind: FrameKind) -> FrameKind {
    if wrapper_fits(level) {
        kind
    } else {
        FrameKind::Transparent {
            block: false,
            html_tag: None,
        }
    }
}

fn current_level(stack: &[Frame]) -> usize {
    stack.last().map_or(0, |f| f.level)
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alignment(a: MdAlignment) -> Alignment {
    match a {
        MdAlignment::None => Alignment::Default,
        MdAlignment::Left => Alignment::Left,
        MdAlignment::Center => Alignment::Center,
        MdAlignment::Right => Alignment::Right,
    }
}

/// Consumes the events of the footnote definition whose start was just read, up to its end.
fn skip_to_end_of_definition<'a>(events: &mut impl Iterator<Item = Event<'a>>) {
    let mut depth = 1usize;
    for event in events {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
            Event::End(TagEnd::FootnoteDefinition) => {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
            _ => {}
        }
    }
}

/// Marks the list that owns the item on top of the stack as loose.
fn mark_list_loose(stack: &mut [Frame]) {
    let len = stack.len();
    if len >= 2 {
        if let Some(list) = stack.get_mut(len - 2) {
            list.loose = true;
        }
    }
}

/// Before a block starts inside a container, text gathered directly in it (a tight item's
/// text) becomes a paragraph of its own.
fn flush_for_block(stack: &mut [Frame]) {
    if let Some(top) = stack.last_mut() {
        if is_block_container(&top.kind) {
            top.flush_inlines();
        }
    }
}

fn is_block_container(kind: &FrameKind) -> bool {
    matches!(
        kind,
        FrameKind::Root
            | FrameKind::Quote
            | FrameKind::Item
            | FrameKind::Transparent { block: true, .. }
    )
}

fn push_inline(stack: &mut [Frame], inline: Inline) {
    if let Some(top) = stack.last_mut() {
        give_inline(top, inline);
    }
}

/// Adds an inline to a frame; frames that hold raw text (`<code>`) take its plain text.
fn give_inline(frame: &mut Frame, inline: Inline) {
    match frame.kind {
        FrameKind::CodeBlock { .. } | FrameKind::HtmlBlock | FrameKind::HtmlCode { .. } => {
            frame.text.push_str(&inlines_to_plain(&[inline]))
        }
        _ => frame.inlines.push(inline),
    }
}

fn push_block(stack: &mut [Frame], block: Block) {
    if let Some(top) = stack.last_mut() {
        top.blocks.push(block);
    }
}

/// Closes the frame on top of the stack and hands what it made to its parent.
fn pop_frame(stack: &mut Vec<Frame>, ctx: &mut BuildContext<'_, '_, '_>) {
    let Some(mut frame) = stack.pop() else {
        return;
    };
    let Some(parent) = stack.last_mut() else {
        stack.push(frame);
        return;
    };
    match frame.kind {
        FrameKind::Root => {}
        FrameKind::Paragraph => {
            let inlines = finish_inlines(frame.inlines);
            let figure = match (inlines.as_slice(), frame.image_caption) {
                ([Inline::Image(image)], Some(caption)) => Some(Block::Figure(Box::new(Figure {
                    image: (**image).clone(),
                    caption,
                }))),
                _ => None,
            };
            if let Some(figure) = figure {
                parent.blocks.push(figure);
            } else if !inlines.is_empty() {
                parent.blocks.push(Block::Paragraph(inlines));
            }
        }
        FrameKind::Heading { level, id } => parent.blocks.push(Block::Heading {
            level,
            id: id.into_boxed_str(),
            content: finish_inlines(frame.inlines),
        }),
        FrameKind::Quote => {
            frame.flush_inlines();
            parent.blocks.push(Block::Quote(fitted(frame.blocks)));
        }
        FrameKind::List { ordered, start } => {
            // Two paragraphs in one item need a blank line between them in Markdown, which
            // makes the list loose (they meet when block HTML falls back to text).
            let paragraphs_meet = frame.items.iter().any(|item| {
                item.windows(2).any(|pair| {
                    matches!(
                        pair,
                        [
                            Block::Paragraph(_) | Block::Figure(_),
                            Block::Paragraph(_) | Block::Figure(_) | Block::Table(_)
                        ]
                    )
                })
            });
            // One item of one block looks the same either way (Markdown cannot show it
            // loose): call it tight.
            let single_block = matches!(frame.items.as_slice(), [item] if item.len() <= 1);
            parent.blocks.push(Block::List(List {
                ordered,
                start: if ordered { start } else { 1 },
                tight: single_block || (!frame.loose && !paragraphs_meet),
                items: fitted(frame.items),
            }));
        }
        FrameKind::Item => {
            frame.flush_inlines();
            parent.items.push(fitted(frame.blocks));
        }
        FrameKind::CodeBlock { language } => {
            let mut text = frame.text;
            if text.ends_with('\n') {
                text.pop();
            }
            parent.blocks.push(Block::Code {
                language: language.map(String::into_boxed_str),
                text,
            });
        }
        FrameKind::HtmlBlock => {
            let level = frame.level;
            let blocks = ctx.html_block(&frame.text, level.saturating_sub(1));
            parent.blocks.extend(blocks);
        }
        FrameKind::Table { alignments } => {
            parent.blocks.push(Block::Table(Box::new(Table {
                caption: Vec::new(),
                alignments,
                head: fitted(frame.head),
                body: fitted(frame.body),
            })));
        }
        FrameKind::TableHead => {
            if !frame.cells.is_empty() {
                parent.head.push(Row {
                    cells: fitted(frame.cells),
                });
            }
            parent.head.append(&mut frame.head);
        }
        FrameKind::TableRow => {
            let row = Row {
                cells: fitted(frame.cells),
            };
            if matches!(parent.kind, FrameKind::TableHead) {
                parent.head.push(row);
            } else {
                parent.body.push(row);
            }
        }
        FrameKind::TableCell => {
            parent
                .cells
                .push(Cell::from_inlines(finish_inlines(frame.inlines)));
        }
        FrameKind::Emphasis => give_inline(parent, Inline::Emphasis(frame.inlines)),
        FrameKind::Strong => give_inline(parent, Inline::Strong(frame.inlines)),
        FrameKind::Strikethrough => give_inline(parent, Inline::Strikethrough(frame.inlines)),
        FrameKind::Superscript => give_inline(parent, Inline::Superscript(frame.inlines)),
        FrameKind::Subscript => give_inline(parent, Inline::Subscript(frame.inlines)),
        FrameKind::Link { url, title } => {
            give_inline(parent, Inline::link(url, title, frame.inlines))
        }
        FrameKind::Image { src, title } => {
            let caption = finish_inlines(frame.inlines);
            let alt = inlines_to_plain(&caption);
            give_inline(parent, Inline::Image(Box::new(Image { src, alt, title })));
            parent.image_caption = Some(caption);
        }
        FrameKind::HtmlCode { .. } => {
            let code = frame.text;
            if !code.is_empty() {
                give_inline(parent, Inline::Code(code));
            }
        }
        FrameKind::Transparent { block, .. } => {
            if block {
                frame.flush_inlines();
                if is_block_container(&parent.kind) {
                    parent.flush_inlines();
                }
                parent.blocks.append(&mut frame.blocks);
                parent.items.append(&mut frame.items);
                // A table too deep to keep gives its cells' paragraphs.
                for row in frame.head.into_iter().chain(frame.body) {
                    for cell in row.cells {
                        parent.blocks.extend(cell.content);
                    }
                }
            } else {
                for inline in frame.inlines {
                    give_inline(parent, inline);
                }
            }
        }
    }
}

/// A vector the model keeps, without the room it grew (a one-block list item sat in room
/// for four blocks).
fn fitted<T>(mut items: Vec<T>) -> Vec<T> {
    items.shrink_to_fit();
    items
}

/// A block's inlines in canonical form: normalised, and without line breaks at its edges
/// (a break that ends a paragraph breaks nothing; writers could not write it back).
fn finish_inlines(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut inlines = normalize_inlines(inlines);
    let leading = inlines
        .iter()
        .take_while(|i| matches!(i, Inline::LineBreak))
        .count();
    let trailing = inlines
        .iter()
        .rev()
        .take_while(|i| matches!(i, Inline::LineBreak))
        .count();
    if leading == 0 && trailing == 0 {
        return inlines;
    }
    inlines.truncate(inlines.len().saturating_sub(trailing));
    inlines.drain(..leading.min(inlines.len()));
    normalize_inlines(inlines)
}

/// The lower-cased name of an HTML tag, whether it closes (`</b>`) and whether it closes
/// itself (`<br/>`). Comments, declarations and processing instructions give `None`.
fn parse_tag(html: &str) -> Option<(String, bool, bool)> {
    let inner = html.trim().strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    Some((name, closing, inner.trim_end().ends_with('/')))
}

/// The text of an HTML fragment: tags and comments removed, the common entities decoded.
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let after = &rest[open..];
        let close = if after.starts_with("<!--") {
            after.find("-->").map(|i| i + 3)
        } else {
            after.find('>').map(|i| i + 1)
        };
        match close {
            Some(len) => {
                text.push(' ');
                rest = &after[len..];
            }
            None => {
                rest = "";
            }
        }
    }
    text.push_str(rest);
    text.replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Splits `---` YAML front matter (closed by `---` or `...`) from the body. A first block
/// that parses as YAML but not as a mapping is no front matter (it is a rule and text).
fn split_front_matter(input: &str) -> (Option<&str>, &str) {
    let text = input.strip_prefix('\u{feff}').unwrap_or(input);
    let Some(first_end) = text.find('\n') else {
        return (None, input);
    };
    if text[..first_end].trim_end() != "---" {
        return (None, input);
    }
    let yaml_start = first_end + 1;
    let mut line_start = yaml_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line_start == yaml_start && line.trim().is_empty() {
            return (None, input);
        }
        if line == "---" || line == "..." {
            let yaml = &text[yaml_start..line_start];
            let body = text.get(line_end + 1..).unwrap_or("");
            return match YamlLoader::load_from_str(yaml) {
                Ok(docs) if !matches!(docs.first(), Some(Yaml::Hash(_))) => (None, input),
                _ => (Some(yaml), body),
            };
        }
        line_start = line_end + 1;
    }
    (None, input)
}

/// Fills `meta` from YAML front matter; malformed YAML is a warning, not an error.
/// The metadata of the front matter, if any, and the warnings reading it gave.
fn read_front_matter_of(front_matter: Option<&str>) -> (Meta, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut meta = Meta::default();
    if let Some(yaml) = front_matter {
        read_front_matter(yaml, &mut meta, &mut warnings);
    }
    (meta, warnings)
}

fn read_front_matter(yaml: &str, meta: &mut Meta, warnings: &mut Vec<Warning>) {
    let docs = match YamlLoader::load_from_str(yaml) {
        Ok(docs) => docs,
        Err(err) => {
            warnings.push(Warning::new(format!(
                "front matter is not valid YAML and was ignored: {err}"
            )));
            return;
        }
    };
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return;
    };
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        match key.to_ascii_lowercase().as_str() {
            "title" => set_string(&mut meta.title, &value),
            "subtitle" => set_string(&mut meta.subtitle, &value),
            "author" | "authors" => meta.authors = string_list(&value, false),
            "date" | "published" => set_string(&mut meta.published, &value),
            "modified" | "updated" => set_string(&mut meta.modified, &value),
            "lang" | "language" => set_string(&mut meta.language, &value),
            "dir" => {
                meta.direction = match scalar(&value).as_deref().map(str::to_ascii_lowercase) {
                    Some(d) if d == "ltr" => Some(Direction::Ltr),
                    Some(d) if d == "rtl" => Some(Direction::Rtl),
                    Some(d) if d == "auto" => Some(Direction::Auto),
                    _ => meta.direction,
                }
            }
            "site" | "site_name" => set_string(&mut meta.site_name, &value),
            "url" | "source" | "source_url" => set_string(&mut meta.source_url, &value),
            "description" | "excerpt" | "summary" => set_string(&mut meta.description, &value),
            "image" | "lead_image" => set_string(&mut meta.lead_image, &value),
            "keywords" | "tags" => meta.keywords = string_list(&value, true),
            _ => {}
        }
    }
}

/// A YAML scalar as text (dates and numbers as written), trimmed; `None` when empty.
fn scalar(value: &Yaml) -> Option<String> {
    let text = match value {
        Yaml::String(s) | Yaml::Real(s) => s.trim().to_string(),
        Yaml::Integer(n) => n.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

fn set_string(field: &mut Option<String>, value: &Yaml) {
    if let Some(text) = scalar(value) {
        *field = Some(text);
    }
}

/// A list of strings from a YAML sequence or a single scalar (split at commas when asked).
fn string_list(value: &Yaml, split_commas: bool) -> Vec<String> {
    match value {
        Yaml::Array(values) => values.iter().filter_map(scalar).collect(),
        other => match scalar(other) {
            Some(text) if split_commas => text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            Some(text) => vec![text],
            None => Vec::new(),
        },
    }
}

/// Without a front-matter title, a leading level-1 heading that is the document's only one
/// is its title (the way most Markdown articles are written).
fn take_title_from_heading(meta: &mut Meta, blocks: &mut Vec<Block>) {
    let is_h1 = |b: &Block| matches!(b, Block::Heading { level: 1, .. });
    if !blocks.first().is_some_and(is_h1) {
        return;
    }
    if count_h1(blocks) != 1 {
        return;
    }
    let title = match blocks.first() {
        Some(Block::Heading { content, .. }) => {
            crate::model::collapse_whitespace(&inlines_to_plain(content))
                .trim()
                .to_string()
        }
        _ => return,
    };
    if !title.is_empty() {
        meta.title = Some(title);
        blocks.remove(0);
    }
}

/// How many level-1 headings the blocks hold, at any depth (an explicit stack, no recursion).
fn count_h1(blocks: &[Block]) -> usize {
    let mut count = 0;
    let mut pending: Vec<&Block> = blocks.iter().collect();
    while let Some(block) = pending.pop() {
        match block {
            Block::Heading { level: 1, .. } => count += 1,
            Block::Quote(inner) | Block::Container { blocks: inner, .. } => {
                pending.extend(inner.iter())
            }
            Block::List(list) => pending.extend(list.items.iter().flatten()),
            Block::Table(table) => pending.extend(
                table
                    .head
                    .iter()
                    .chain(&table.body)
                    .flat_map(|row| &row.cells)
                    .flat_map(|cell| &cell.content),
            ),
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines that start, continue and end every kind of block, in CR LF and LF.
    const LINES: &[&str] = &[
        "",
        "   ",
        "\t",
        "para text",
        "more *emphasis",
        "still* and **strong**",
        "a hard break  ",
        "a backslash break\\",
        "- item",
        "* star item",
        "+ plus item",
        "1. one",
        "2) two",
        "10. ten",
        "  continued in the item",
        "  - nested item",
        "    - deeper item",
        "    indented code",
        "      more code",
        "> quote",
        ">",
        "> - quoted item",
        "> > nested quote",
        "lazy continuation",
        "# heading",
        "### heading ###",
        "Setext",
        "===",
        "---",
        "***",
        "___",
        "| a | b |",
        "|---|:-:|",
        "| 1 | 2 |",
        "<div>",
        "</div>",
        "<span>inline html</span>",
        "<p>para in html</p>",
        "[a link](https://example.org) and <https://example.org>",
        "[shortcut] and [full][ref]",
        "- [ ] task",
        "-",
        "1.",
        "`code span",
        "still code`",
        "\\- escaped marker",
        "~~strike~~",
        "Ünïcödé text — “quoted”",
    ];

    /// A small deterministic generator (no dependency for a test).
    fn next(state: &mut u64) -> usize {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*state >> 33) as usize
    }

    #[test]
    fn pieces_parse_to_the_events_of_the_whole() {
        let mut state = 7;
        let mut cuts = 0;
        for doc in 0..4000 {
            let lines = 2 + next(&mut state) % 40;
            let ending = if doc % 5 == 0 { "\r\n" } else { "\n" };
            let mut text = generated_document(&mut state, lines, ending);
            if doc % 7 == 0 {
                text.pop();
            }
            let whole: Vec<Event<'_>> = Parser::new_ext(&text, PARSER_OPTIONS).collect();
            let pieces: Vec<&str> = Pieces::new(&text, 1).collect();
            assert_eq!(pieces.concat(), text);
            cuts += pieces.len() - 1;
            let in_pieces: Vec<Event<'_>> = pieces
                .iter()
                .flat_map(|piece| Parser::new_ext(piece, PARSER_OPTIONS))
                .collect();
            assert_eq!(in_pieces, whole, "{text:?} cut into {pieces:?}");
        }
        assert!(cuts > 10_000, "only {cuts} cuts");
    }

    /// A generated document of `lines` lines from [`LINES`], blank lines often.
    /// Fences of every kind, and lines that look like one but are not, mixed with the other
    /// lines except those that could start an HTML block (a document with those and fences
    /// is not cut at all).
    const FENCE_LINES: &[&str] = &[
        "```",
        "```rust",
        "``` not `a fence",
        "````",
        "```   ",
        "~~~",
        "~~~~ tilde info with ` backtick",
        "  ```",
        "   ~~~",
        "    ```",
        "\t```",
        "- ```",
        "1. ~~~",
        "> ```",
        "``",
        "code line",
    ];

    #[test]
    fn pieces_cut_around_fenced_code_parse_to_the_events_of_the_whole() {
        let mut state = 11;
        let (mut cuts, mut cuts_with_fences) = (0, 0);
        let lines: Vec<&str> = FENCE_LINES
            .iter()
            .chain(LINES.iter().filter(|l| !l.starts_with('<')))
            .copied()
            .collect();
        for _ in 0..6000 {
            let mut text = String::new();
            for _ in 0..2 + next(&mut state) % 50 {
                if next(&mut state) % 3 == 0 {
                    text.push('\n');
                    continue;
                }
                // Fences half the time, so that most documents have some.
                let line = if next(&mut state) % 2 == 0 {
                    FENCE_LINES[next(&mut state) % FENCE_LINES.len()]
                } else {
                    lines[next(&mut state) % lines.len()]
                };
                text.push_str(line);
                text.push('\n');
            }
            let whole: Vec<Event<'_>> = Parser::new_ext(&text, PARSER_OPTIONS).collect();
            let pieces: Vec<&str> = Pieces::new(&text, 1).collect();
            assert_eq!(pieces.concat(), text);
            cuts += pieces.len() - 1;
            if text.contains("```") || text.contains("~~~") {
                cuts_with_fences += pieces.len() - 1;
            }
            let in_pieces: Vec<Event<'_>> = pieces
                .iter()
                .flat_map(|piece| Parser::new_ext(piece, PARSER_OPTIONS))
                .collect();
            assert_eq!(in_pieces, whole, "{text:?} cut into {pieces:?}");
        }
        assert!(
            cuts_with_fences > 5_000,
            "only {cuts_with_fences} of {cuts} cuts"
        );
    }

    #[test]
    fn quotes_nested_past_the_cap_read_as_they_would_uncut() {
        let options = ReadOptions::default();
        let json = |reading: Reading| {
            serde_json::to_string(&reading.document).expect("serialises")
                + &format!("{:?}", reading.warnings)
        };
        for (depth, marker) in [(MAX_QUOTE_MARKERS + 1, ">"), (3000, "> "), (2500, " >")] {
            let text = format!(
                "Before.\n\n{} deep *text*\nlazy line\n{}  - item\n\n{}\n\nAfter.\n",
                marker.repeat(depth),
                marker.repeat(depth / 2),
                "> ".repeat(depth + 7)
            );
            let capped = cap_quote_nesting(&text).expect("cut");
            assert!(capped.len() < text.len());
            // read_split_markdown does not cut: it reads the text as pulldown-cmark does.
            let uncut = json(read_split_markdown(None, &text, &options, KEEP_EVENTS_LEN).unwrap());
            let cut = json(read_markdown(&text, &options, KEEP_EVENTS_LEN).unwrap());
            assert_eq!(cut, uncut, "{depth} x {marker:?}");
            let owned = json(read_markdown_owned(text.clone(), &options, PIECE_LEN).unwrap());
            assert_eq!(owned, uncut);
        }
        // Tabs, and runs no deeper than the cap, are left as they are.
        let tabbed = format!("{}x\n", ">\t".repeat(MAX_QUOTE_MARKERS + 5));
        assert_eq!(cap_quote_nesting(&tabbed), None);
        assert_eq!(cap_quote_nesting(&"> ".repeat(MAX_QUOTE_MARKERS)), None);
    }

    fn generated_document(state: &mut u64, lines: usize, ending: &str) -> String {
        let mut text = String::new();
        for _ in 0..lines {
            // Blank lines often, so that there is much to cut.
            let line = if next(state) % 3 == 0 {
                ""
            } else {
                LINES[next(state) % LINES.len()]
            };
            text.push_str(line);
            text.push_str(ending);
        }
        text
    }

    #[test]
    fn pieces_built_backwards_read_as_the_whole() {
        let options = ReadOptions::default();
        let front_matters = [
            "",
            "---\ntitle: From the front matter\n---\n",
            "---\ntitle: [not closed\n---\n",
            "\u{feff}",
            "# The only title\n\n",
        ];
        let mut state = 11;
        let mut cut = 0;
        for doc in 0..3000 {
            let lines = 2 + next(&mut state) % 60;
            let ending = if doc % 5 == 0 { "\r\n" } else { "\n" };
            let mut text = front_matters[doc % front_matters.len()].to_string();
            text.push_str(&generated_document(&mut state, lines, ending));
            if doc % 7 == 0 {
                text.pop();
            }
            let whole = read_markdown(&text, &options, usize::MAX).unwrap();
            let whole_json = serde_json::to_string(&whole.document).unwrap();
            for piece_len in [1, 16, 100] {
                let pieces = Pieces::new(split_front_matter(&text).1, piece_len).count();
                if pieces > 1 {
                    cut += 1;
                }
                let backwards = read_markdown_owned(text.clone(), &options, piece_len).unwrap();
                assert_eq!(
                    serde_json::to_string(&backwards.document).unwrap(),
                    whole_json,
                    "{text:?} in pieces of {piece_len}"
                );
                assert_eq!(backwards.document, whole.document);
                assert_eq!(backwards.warnings, whole.warnings, "{text:?}");
            }
        }
        assert!(cut > 5_000, "only {cut} documents cut");
    }

    #[test]
    fn a_long_document_reads_the_same_owned_or_borrowed() {
        let mut state = 3;
        let mut text = String::from("---\ntitle: [not closed\n---\n");
        while text.len() < 4 * PIECE_LEN {
            text.push_str(&generated_document(&mut state, 40, "\n"));
            text.push_str("\n<div>\n\n*html* block</div>\n\nSetext\n---\n\n");
        }
        let options = ReadOptions::default();
        assert!(Pieces::new(&text, PIECE_LEN).count() >= 4);
        let borrowed = MarkdownReader.read(&text, &options).unwrap();
        let owned = MarkdownReader.read_owned(text.clone(), &options).unwrap();
        assert_eq!(owned.document, borrowed.document);
        assert_eq!(owned.warnings, borrowed.warnings);
        assert_eq!(owned.warnings.len(), 1, "{:?}", owned.warnings);
        let blocks = &owned.document.blocks;
        assert!(blocks.len() > 1000, "{}", blocks.len());
        assert_eq!(blocks.capacity(), blocks.len());
        assert!(matches!(
            blocks.last(),
            Some(Block::Heading { level: 2, .. })
        ));
    }

    #[test]
    fn the_blocks_grow_in_few_moves_to_little_more_than_they_hold() {
        // 200 pieces of 1,000 bytes making 30 blocks each, built last to first.
        let pieces = 200;
        let mut blocks: Vec<Block> = Vec::new();
        let mut moves = 0;
        for built in 1..=pieces {
            let capacity = blocks.capacity();
            make_room(&mut blocks, 30, built * 1000, (pieces - built) * 1000);
            if blocks.capacity() != capacity {
                moves += 1;
            }
            blocks.extend(std::iter::repeat_with(|| Block::Rule).take(30));
        }
        assert_eq!(blocks.len(), 6000);
        assert!(moves <= 2, "{moves} moves");
        assert!(
            blocks.capacity() <= 6000 + 6000 / 8,
            "{}",
            blocks.capacity()
        );
        // A dense end guesses no more than a block for every 16 bytes of the rest.
        let mut blocks: Vec<Block> = Vec::new();
        make_room(&mut blocks, 1000, 1000, 160_000);
        assert!(
            blocks.capacity() <= 1000 + 10_000 * 9 / 8,
            "{}",
            blocks.capacity()
        );
    }

    #[test]
    fn footnotes_read_the_same_parsed_once_or_twice() {
        let mut text = String::from("Intro[^late] and[^x].\n\n[^x]: Early *note*[^late].\n\n");
        for i in 0..200 {
            text.push_str(&format!("- item {i}[^x]\n\n> quoted[^late]\n\n"));
        }
        text.push_str("[^late]: Late note\n    with a second paragraph[^x].\n\n    More.\n");
        let options = ReadOptions::default();
        let once = read_markdown(&text, &options, usize::MAX).unwrap().document;
        let twice = read_markdown(&text, &options, 0).unwrap().document;
        assert_eq!(twice, once);
        let plain = once.plain_text(usize::MAX);
        assert!(plain.starts_with("Intro and.\n"), "{plain}");
        let json = serde_json::to_string(&once).unwrap();
        assert_eq!(json.matches("Late note").count(), 402, "{json}");
    }

    #[test]
    fn what_reaches_across_blank_lines_is_never_cut() {
        for text in [
            "[x]\n\npara\n\n[x]: https://example.org\n",
            "a[^1]\n\npara\n\n[^1]: note\n",
            "```\ncode\n\nmore\n```\n",
            "~~~\ncode\n\nmore\n~~~\n",
            "<!--\n\ncomment\n-->\n",
            "<PRE>\n\nkept\n</PRE>\n",
        ] {
            assert_eq!(Pieces::new(text, 1).count(), 1, "{text:?}");
        }
        assert_eq!(Pieces::new("a\n\nb\n\n- c\n\nd\n", 1).count(), 3);
    }
}
