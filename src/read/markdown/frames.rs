//! The event → model builder: an explicit stack of open frames (blocks, containers, inline
//! spans) that pulldown-cmark's events open and close, with the footnote definitions
//! collected first. Nesting past the model's limit is flattened here.

use std::collections::HashMap;

use pulldown_cmark::{
    Alignment as MdAlignment, BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, LinkType, Tag,
    TagEnd,
};

use super::ReadOptions;
use crate::error::Warning;
use crate::model::autolink::{link_inlines, WwwScheme};
use crate::model::{
    inlines_to_plain, normalize_inlines, Alignment, Block, Cell, Figure, Image, Inline, List, Row,
    Table, MAX_DEPTH,
};

/// The footnote definitions of a document: the events of each (nested definitions stay
/// inside their parent's), found by label (lower-cased; the first definition wins), with what
/// a copy costs (events plus bytes of text).
#[derive(Default)]
pub(super) struct FootnoteDefinitions<'a> {
    /// The events inside every definition, one definition after another.
    pub(super) events: Vec<Event<'a>>,
    /// Label → the definition's content in `events` (`start..end`) and its cost.
    pub(super) by_label: HashMap<String, (usize, usize, usize)>,
}

impl<'a> FootnoteDefinitions<'a> {
    pub(super) fn find(events: impl Iterator<Item = Event<'a>>) -> FootnoteDefinitions<'a> {
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
                                Event::Text(t)
                                | Event::Code(t)
                                | Event::Html(t)
                                | Event::InlineMath(t)
                                | Event::DisplayMath(t) => 1 + t.len(),
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
pub(super) struct Frame {
    pub(super) kind: FrameKind,
    /// The model depth the frame's own node sits at (the root is 0).
    pub(super) level: usize,
    pub(super) blocks: Vec<Block>,
    pub(super) inlines: Vec<Inline>,
    /// List frames: finished items. Table frames: finished head/body rows.
    pub(super) items: Vec<Vec<Block>>,
    /// List frames: each finished item's task-list checkbox, beside `items`. Item frames:
    /// the item's own, in the first entry, once its marker is read.
    pub(super) checked: Vec<Option<bool>>,
    pub(super) head: Vec<Row>,
    pub(super) body: Vec<Row>,
    pub(super) cells: Vec<Cell>,
    /// Code blocks, HTML blocks, `<code>`/`<kbd>`: raw text.
    pub(super) text: String,
    /// Paragraphs: the caption of the last image placed in it, and how many images.
    pub(super) image_caption: Option<Vec<Inline>>,
    /// Paragraphs: the line ended right after an image that was all the paragraph held
    /// (an italic line that follows is the figure's caption).
    pub(super) image_line_ended: bool,
    /// Lists: whether an item holds a paragraph tag (pulldown-cmark's sign of a loose list).
    pub(super) loose: bool,
    /// Opened by an inline HTML tag (closed by its end tag, or dropped at a block's end).
    pub(super) from_html: bool,
    /// Transparent block frames opened right inside this one and merged into it: how many
    /// ends they still wait for. A transparent frame gives its parent all it holds, so the
    /// two are one; merging keeps 100,000 nested `>` from costing 100,000 frames.
    pub(super) merged: usize,
}

pub(super) enum FrameKind {
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
    pub(super) fn new(kind: FrameKind, level: usize) -> Frame {
        Frame {
            kind,
            level,
            blocks: Vec::new(),
            inlines: Vec::new(),
            items: Vec::new(),
            checked: Vec::new(),
            head: Vec::new(),
            body: Vec::new(),
            cells: Vec::new(),
            text: String::new(),
            image_caption: None,
            image_line_ended: false,
            loose: false,
            from_html: false,
            merged: 0,
        }
    }

    /// Whether a transparent block frame opened now can merge into this one: this one is
    /// transparent itself and holds nothing that it would hand over differently (list items,
    /// table rows).
    pub(super) fn can_merge_transparent(&self) -> bool {
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
    pub(super) fn flush_inlines(&mut self) {
        if self.inlines.is_empty() {
            return;
        }
        let inlines = finish_paragraph_inlines(std::mem::take(&mut self.inlines));
        if !inlines.is_empty() {
            self.blocks.push(Block::Paragraph(inlines));
        }
    }
}

pub(super) struct BuildContext<'e, 'a, 'w> {
    /// The Markdown the events come from (all of it, or the piece being built).
    pub(super) source: &'a str,
    pub(super) notes: &'e FootnoteDefinitions<'a>,
    /// Labels of the notes being expanded now (a note that references itself stays text).
    pub(super) expanding: Vec<String>,
    pub(super) expansions: usize,
    pub(super) note_cost: usize,
    pub(super) options: &'e ReadOptions,
    pub(super) warnings: &'w mut Vec<Warning>,
}

impl<'e, 'a, 'w> BuildContext<'e, 'a, 'w> {
    pub(super) fn new(
        source: &'a str,
        notes: &'e FootnoteDefinitions<'a>,
        options: &'e ReadOptions,
        warnings: &'w mut Vec<Warning>,
    ) -> Self {
        BuildContext {
            source,
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
pub(super) fn container_fits(level: usize) -> bool {
    level + 2 <= MAX_DEPTH
}

/// An inline wrapper at `level` still has room for the text inside it.
pub(super) fn wrapper_fits(level: usize) -> bool {
    level < MAX_DEPTH
}

/// The label a GitHub alert (`> [!NOTE]`) opens with: the quote's first paragraph, in bold
/// where the depth allows. The label is GitHub's own, in English whatever the document's
/// language, as GitHub shows it.
fn alert_label(alert: BlockQuoteKind, quote_level: usize) -> Block {
    let label = match alert {
        BlockQuoteKind::Note => "Note",
        BlockQuoteKind::Tip => "Tip",
        BlockQuoteKind::Important => "Important",
        BlockQuoteKind::Warning => "Warning",
        BlockQuoteKind::Caution => "Caution",
    };
    // The paragraph sits one level under the quote, the bold one under it.
    let label = if wrapper_fits(quote_level + 2) {
        Inline::Strong(vec![Inline::text(label)])
    } else {
        Inline::text(label)
    };
    Block::Paragraph(vec![label])
}

/// A formula (`$…$`, or `$$…$$` for `display`) as a math node; nothing for an empty one.
/// Inside `<code>` it is the text it was written as: code holds no formulas (a template
/// string's `${name}` is no TeX).
fn push_math(stack: &mut [Frame], tex: &str, display: bool) {
    if let Some(top) = stack
        .last_mut()
        .filter(|top| matches!(top.kind, FrameKind::HtmlCode { .. }))
    {
        let dollars = if display { "$$" } else { "$" };
        for part in [dollars, tex, dollars] {
            top.text.push_str(part);
        }
        return;
    }
    let tex = crate::math::clean_tex(tex);
    if !tex.is_empty() {
        let math = crate::model::Math {
            display,
            tex: Some(tex),
            mathml: None,
        };
        push_inline(stack, Inline::Math(Box::new(math)));
    }
}

impl<'a> BuildContext<'_, 'a, '_> {
    /// Builds the blocks of `events`, whose container sits at `base_level`.
    pub(super) fn build(
        &mut self,
        events: impl Iterator<Item = Event<'a>>,
        base_level: usize,
    ) -> Vec<Block> {
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
                            _ => {
                                // GFM links no bare URL across an escaped character or an
                                // entity (`http\://x.org` is text): one ends the run of text
                                // before it (an empty span, which normalising drops).
                                if !is_source_text(self.source, &text) {
                                    top_frame.inlines.push(Inline::Span {
                                        attr: Box::default(),
                                        content: Vec::new(),
                                    });
                                }
                                top_frame.inlines.push(Inline::text(text.as_ref()))
                            }
                        }
                    }
                }
                Event::Code(code) => push_inline(&mut stack, Inline::Code(code.to_string())),
                Event::InlineMath(text) => push_math(&mut stack, &text, false),
                Event::DisplayMath(text) => push_math(&mut stack, &text, true),
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
                Event::SoftBreak => {
                    if let Some(top) = stack.last_mut() {
                        if matches!(top.kind, FrameKind::Paragraph)
                            && matches!(top.inlines.as_slice(), [Inline::Image(_)])
                        {
                            top.image_line_ended = true;
                        }
                    }
                    push_inline(&mut stack, Inline::text(" "))
                }
                Event::HardBreak => push_inline(&mut stack, Inline::LineBreak),
                Event::Rule => {
                    flush_for_block(&mut stack);
                    push_block(&mut stack, Block::Rule);
                }
                Event::TaskListMarker(done) => {
                    if !mark_task(&mut stack, done) {
                        // An item flattened past the depth limit keeps its box as text.
                        push_inline(&mut stack, Inline::text(if done { "[x] " } else { "[ ] " }))
                    }
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

    pub(super) fn start_tag(&mut self, stack: &mut Vec<Frame>, tag: &Tag<'_>) {
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
        let is_quote = matches!(kind, FrameKind::Quote);
        stack.push(Frame::new(kind, level));
        if let (Tag::BlockQuote(Some(alert)), true, Some(quote)) = (tag, is_quote, stack.last_mut())
        {
            quote.blocks.push(alert_label(*alert, level));
        }
    }

    pub(super) fn end_tag(&mut self, stack: &mut Vec<Frame>, _tag_end: TagEnd) {
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
}

pub(super) fn transparent_block() -> FrameKind {
    FrameKind::Transparent {
        block: true,
        html_tag: None,
    }
}

pub(super) fn inline_or_flat(level: usize, kind: FrameKind) -> FrameKind {
    if wrapper_fits(level) {
        kind
    } else {
        FrameKind::Transparent {
            block: false,
            html_tag: None,
        }
    }
}

pub(super) fn current_level(stack: &[Frame]) -> usize {
    stack.last().map_or(0, |f| f.level)
}

pub(super) fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

pub(super) fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

pub(super) fn alignment(a: MdAlignment) -> Alignment {
    match a {
        MdAlignment::None => Alignment::Default,
        MdAlignment::Left => Alignment::Left,
        MdAlignment::Center => Alignment::Center,
        MdAlignment::Right => Alignment::Right,
    }
}

/// Consumes the events of the footnote definition whose start was just read, up to its end.
pub(super) fn skip_to_end_of_definition<'a>(events: &mut impl Iterator<Item = Event<'a>>) {
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

/// Gives the item being read its task-list checkbox: pulldown-cmark sends the marker right
/// after the item starts (a tight item) or after its first paragraph starts (a loose one).
/// False when no item is open there (one flattened past the depth limit).
pub(super) fn mark_task(stack: &mut [Frame], done: bool) -> bool {
    let item = match stack {
        [.., item, top] if matches!(top.kind, FrameKind::Paragraph) && top.inlines.is_empty() => {
            item
        }
        [.., item] => item,
        [] => return false,
    };
    if !matches!(item.kind, FrameKind::Item) || !item.checked.is_empty() {
        return false;
    }
    item.checked.push(Some(done));
    true
}

/// Marks the list that owns the item on top of the stack as loose.
pub(super) fn mark_list_loose(stack: &mut [Frame]) {
    let len = stack.len();
    if len >= 2 {
        if let Some(list) = stack.get_mut(len - 2) {
            list.loose = true;
        }
    }
}

/// Before a block starts inside a container, text gathered directly in it (a tight item's
/// text) becomes a paragraph of its own.
pub(super) fn flush_for_block(stack: &mut [Frame]) {
    if let Some(top) = stack.last_mut() {
        if is_block_container(&top.kind) {
            top.flush_inlines();
        }
    }
}

pub(super) fn is_block_container(kind: &FrameKind) -> bool {
    matches!(
        kind,
        FrameKind::Root
            | FrameKind::Quote
            | FrameKind::Item
            | FrameKind::Transparent { block: true, .. }
    )
}

pub(super) fn push_inline(stack: &mut [Frame], inline: Inline) {
    if let Some(top) = stack.last_mut() {
        give_inline(top, inline);
    }
}

/// Adds an inline to a frame; frames that hold raw text (`<code>`) take its plain text.
pub(super) fn give_inline(frame: &mut Frame, inline: Inline) {
    match frame.kind {
        FrameKind::CodeBlock { .. } | FrameKind::HtmlBlock | FrameKind::HtmlCode { .. } => {
            frame.text.push_str(&inlines_to_plain(&[inline]))
        }
        _ => frame.inlines.push(inline),
    }
}

pub(super) fn push_block(stack: &mut [Frame], block: Block) {
    if let Some(top) = stack.last_mut() {
        top.blocks.push(block);
    }
}

/// Closes the frame on top of the stack and hands what it made to its parent.
pub(super) fn pop_frame(stack: &mut Vec<Frame>, ctx: &mut BuildContext<'_, '_, '_>) {
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
            let inlines = finish_paragraph_inlines(frame.inlines);
            let figure = match (inlines.as_slice(), frame.image_caption) {
                ([Inline::Image(image)], Some(caption)) => Some(Block::Figure(Box::new(Figure {
                    image: (**image).clone(),
                    caption,
                }))),
                // An image line and an italic line under it: a figure whose alt text and
                // caption differ, as the Markdown writer writes one.
                ([Inline::Image(image), Inline::Text(space), Inline::Emphasis(caption)], _)
                    if frame.image_line_ended && space == " " =>
                {
                    Some(Block::Figure(Box::new(Figure {
                        image: (**image).clone(),
                        caption: caption.clone(),
                    })))
                }
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
            content: finish_paragraph_inlines(frame.inlines),
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
            let checked = if frame.checked.iter().all(Option::is_none) {
                Vec::new()
            } else {
                frame.checked
            };
            parent.blocks.push(Block::List(List {
                ordered,
                start: if ordered { start } else { 1 },
                tight: single_block || (!frame.loose && !paragraphs_meet),
                items: fitted(frame.items),
                checked: checked.into(),
            }));
        }
        FrameKind::Item => {
            frame.flush_inlines();
            parent.items.push(fitted(frame.blocks));
            parent
                .checked
                .push(frame.checked.first().copied().flatten());
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
                .push(Cell::from_inlines(finish_paragraph_inlines(frame.inlines)));
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
            give_inline(
                parent,
                Inline::Image(Box::new(Image {
                    src,
                    alt,
                    title,
                    ..Image::default()
                })),
            );
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
                parent.checked.append(&mut frame.checked);
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
pub(super) fn fitted<T>(mut items: Vec<T>) -> Vec<T> {
    items.shrink_to_fit();
    items
}

/// A block's inlines in canonical form: normalised, and without line breaks at its edges
/// (a break that ends a paragraph breaks nothing; writers could not write it back).
/// [`finish_inlines`] for a paragraph's text (a heading's, a cell's): its bare URLs linked
/// first, as GFM links them (`www.` goes to `http://`, GitHub's choice).
fn finish_paragraph_inlines(mut inlines: Vec<Inline>) -> Vec<Inline> {
    link_inlines(&mut inlines, WwwScheme::Http);
    finish_inlines(inlines)
}

/// Whether `text`, a text event's, is the source's own characters, as written: not an
/// escaped character (the text after a backslash) or an entity's (text of its own).
fn is_source_text(source: &str, text: &pulldown_cmark::CowStr<'_>) -> bool {
    let pulldown_cmark::CowStr::Borrowed(slice) = text else {
        return false;
    };
    // Where the slice starts in the source: pulldown-cmark borrows a text event's
    // characters from the source when it hands them over as written.
    let start = (slice.as_ptr() as usize).wrapping_sub(source.as_ptr() as usize);
    start <= source.len() && (start == 0 || source.as_bytes()[start - 1] != b'\\')
}

pub(super) fn finish_inlines(inlines: Vec<Inline>) -> Vec<Inline> {
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
