//! Blocks in the column: the title block, headings, paragraphs, quotes, lists and rules,
//! each turned into boxes of the vertical list (code blocks: `code.rs`).

use super::super::display_url::display_url;
use super::super::fonts::{Family, FontStyle};
use super::paragraph::make_run;
use super::{
    Align, Item, Layouter, LinkTarget, ParaStyle, Piece, Prev, RunStyle, VBox, BLACK, GREY, LIGHT,
    LINK_BLUE,
};
use crate::model::{classes, inlines_to_plain, Block, Inline, Meta};

impl<'s, 'f, 'a> Layouter<'s, 'f, 'a> {
    pub(super) fn para_style(&self, x: f32, width: f32) -> ParaStyle {
        ParaStyle {
            x,
            width,
            size: self.geo.size,
            leading: self.geo.leading,
            indent: 0.0,
            // Justifying a narrow measure without hyphenation opens rivers: set it ragged.
            align: if self.ragged || (width < self.geo.size * 30.0 && self.hyphenation.is_none()) {
                if self.rtl {
                    Align::Right
                } else {
                    Align::Left
                }
            } else {
                Align::Justify
            },
            hyphenate: true,
            rtl: self.rtl,
        }
    }

    pub(super) fn title_block(&mut self, meta: &Meta) {
        let x = self.geo.left;
        let width = self.geo.measure();
        let size = self.geo.size;
        let mut any = false;
        if let Some(title) = meta.title.as_deref().filter(|t| !t.trim().is_empty()) {
            let style = RunStyle::plain(
                FontStyle {
                    family: Family::Sans,
                    bold: true,
                    italic: false,
                },
                BLACK,
            );
            let para = ParaStyle {
                size: size * 2.0,
                leading: size * 2.4,
                align: self.start_align(),
                hyphenate: false,
                ..self.para_style(x, width)
            };
            self.paragraph_boxes(&[Piece::Text(title.to_string(), style)], para, 0.0, true);
            any = true;
        }
        if let Some(subtitle) = meta.subtitle.as_deref().filter(|t| !t.trim().is_empty()) {
            let style = RunStyle::plain(
                FontStyle {
                    family: Family::Sans,
                    bold: false,
                    italic: false,
                },
                GREY,
            );
            let para = ParaStyle {
                size: size * 1.3,
                leading: size * 1.7,
                align: self.start_align(),
                hyphenate: false,
                ..self.para_style(x, width)
            };
            self.paragraph_boxes(
                &[Piece::Text(subtitle.to_string(), style)],
                para,
                size * 0.3,
                true,
            );
            any = true;
        }
        let mut byline = Vec::new();
        if !meta.authors.is_empty() {
            // "A, B and C" as the document's language lists names.
            byline.push(self.labels.join_names(&meta.authors));
        }
        if let Some(date) = &meta.published {
            // As precise as the date is, in the document's language.
            byline.push(self.labels.date(date));
        }
        if let Some(site) = meta.site_name.as_deref().filter(|d| !d.trim().is_empty()) {
            byline.push(site.to_string());
        }
        let small = ParaStyle {
            size: size * 0.9,
            leading: size * 1.3,
            align: self.start_align(),
            hyphenate: false,
            ..self.para_style(x, width)
        };
        let sans = FontStyle {
            family: Family::Sans,
            bold: false,
            italic: false,
        };
        if !byline.is_empty() {
            let style = RunStyle::plain(sans, GREY);
            self.paragraph_boxes(
                &[Piece::Text(byline.join(" · "), style)],
                small,
                size * 0.6,
                true,
            );
            any = true;
        }
        // Asked again here (a document built in code has not been read): a source that is no
        // page on the web, or a URL that runs script, is neither linked nor shown.
        if let Some(url) = meta
            .source_url
            .as_deref()
            .filter(|u| crate::model::url::is_external_link(u))
        {
            let link = self.add_link(LinkTarget::Uri(url.to_string()));
            let style = RunStyle {
                link: Some(link),
                ..RunStyle::plain(sans, LINK_BLUE)
            };
            // Shown as a browser shows it: its escaped letters decoded (the link keeps it as
            // it is), and left to right whatever the page's direction, so the words of a
            // right-to-left path follow the slash before them and do not take the page's
            // side of the host ("…/الناشط" is not drawn as "الناشط/http://…").
            self.paragraph_boxes(
                &[Piece::Text(display_url(url), style)],
                ParaStyle {
                    rtl: false,
                    ..small
                },
                size * 0.2,
                true,
            );
            any = true;
        }
        if any {
            // Keep the whole title block together and with the first lines of text.
            self.rule_box(x, width, size * 0.6, size * 1.2, 0.6);
            if let Some(last) = self.boxes.last_mut() {
                last.keep_with_next = true;
            }
            self.prev = Prev::Heading;
        }
    }

    pub(super) fn start_align(&self) -> Align {
        if self.rtl {
            Align::Right
        } else {
            Align::Left
        }
    }

    pub(super) fn add_link(&mut self, target: LinkTarget) -> usize {
        self.links.push(target);
        self.links.len() - 1
    }

    pub(super) fn rule_box(&mut self, x: f32, width: f32, above: f32, below: f32, thickness: f32) {
        let y = above;
        self.boxes.push(VBox {
            height: above + below,
            space_before: 0.0,
            items: vec![Item::Line {
                x1: x,
                y1: y,
                x2: x + width,
                y2: y,
                width: thickness,
                color: LIGHT,
            }],
            bars: self.bars.clone(),
            ..VBox::default()
        });
    }

    /// Lays out blocks in the column `x..x+width`. `depth` counts nesting, which the writer's
    /// entry has checked to be at most [`MAX_DEPTH`](crate::model::MAX_DEPTH).
    pub(super) fn blocks(&mut self, blocks: &[Block], x: f32, width: f32, depth: usize) {
        for block in blocks {
            self.block(block, x, width, depth + 1);
        }
    }

    pub(super) fn block(&mut self, block: &Block, x: f32, width: f32, depth: usize) {
        let size = self.geo.size;
        let leading = self.geo.leading;
        match block {
            Block::Paragraph(inlines) => {
                let pieces = self.pieces(inlines, RunStyle::plain(FontStyle::BODY, BLACK), depth);
                let mut para = self.para_style(x, width);
                let space = match self.prev {
                    Prev::Paragraph if self.indent_paragraphs => {
                        para.indent = size * 1.5;
                        0.0
                    }
                    // Inside a list item or a definition, paragraphs are parted by space
                    // and start flush (LaTeX's lists do the same): an indent there reads as
                    // the hanging start of another item.
                    Prev::Paragraph => leading * 0.4,
                    Prev::Heading => size * 0.3,
                    Prev::Start | Prev::Other => leading * 0.5,
                };
                if let [Inline::Math(math)] = inlines.as_slice() {
                    // A displayed formula: centred on its own line, as TeX sets one.
                    if math.display {
                        para.align = Align::Center;
                        para.indent = 0.0;
                    }
                }
                self.paragraph_boxes(&pieces, para, space, false);
                self.prev = Prev::Paragraph;
            }
            Block::Heading { level, content, id } => {
                let level = (*level).clamp(1, 6);
                let scale = match level {
                    1 => 1.6,
                    2 => 1.35,
                    3 => 1.15,
                    _ => 1.0,
                };
                let base = RunStyle::plain(
                    FontStyle {
                        family: Family::Sans,
                        bold: true,
                        italic: level >= 5,
                    },
                    BLACK,
                );
                let pieces = self.pieces(content, base, depth);
                let para = ParaStyle {
                    size: size * scale,
                    leading: size * scale * 1.25,
                    align: self.start_align(),
                    hyphenate: false,
                    ..self.para_style(x, width)
                };
                let space = if self.prev == Prev::Start {
                    0.0
                } else {
                    leading * (0.6 + 0.25 * f32::from(4u8.saturating_sub(level)))
                };
                let first = self.boxes.len();
                self.paragraph_boxes(&pieces, para, space, true);
                if let Some(b) = self.boxes.get_mut(first) {
                    b.outline = Some((level, inlines_to_plain(content)));
                    if !id.is_empty() {
                        b.anchors.push(id.to_string());
                    }
                }
                self.prev = Prev::Heading;
            }
            Block::Quote(inner) => {
                let indent = size * 1.6;
                // The bar and the indent go on the side lines start from.
                let (bar, inner_x) = if self.rtl {
                    (x + width - size * 0.4, x + size * 0.5)
                } else {
                    (x + size * 0.4, x + indent)
                };
                self.bars.push(bar);
                self.prev = Prev::Other;
                self.blocks(inner, inner_x, width - indent - size * 0.5, depth);
                self.bars.pop();
                self.prev = Prev::Other;
            }
            Block::List(list) => self.list(list, x, width, depth),
            Block::Code { text, .. } => self.code(text, x, width),
            Block::Table(table) => self.table(table, x, width, depth),
            Block::Figure(figure) => self.figure(
                &figure.image.src,
                &figure.image.alt,
                &figure.caption,
                x,
                width,
                depth,
            ),
            Block::Rule => {
                let inset = width * 0.3;
                self.rule_box(
                    x + inset,
                    width - 2.0 * inset,
                    leading * 0.8,
                    leading * 0.8,
                    0.5,
                );
                self.prev = Prev::Other;
            }
            Block::Container { attr, blocks } => {
                // A top-level block's boxes stay in `boxes` until it is laid out whole, so
                // the container's first box is still there.
                let first = self.boxes.len();
                if attr.has_class(classes::DEFINITION_LIST) {
                    self.definition_list(blocks, x, width, depth);
                } else if attr.has_class(classes::CONTENTS) {
                    self.contents(blocks, x, width, depth);
                } else {
                    self.blocks(blocks, x, width, depth);
                }
                if attr.has_class(classes::CHAPTER_HEADER) {
                    // A bundled article starts a page, and its text starts flush after its
                    // header as after any heading.
                    if let Some(b) = self.boxes.get_mut(first) {
                        b.page_break = true;
                    }
                    if let Some(last) = self.boxes.last_mut() {
                        last.keep_with_next = true;
                    }
                    self.prev = Prev::Heading;
                }
                if let Some(b) = self.boxes.get_mut(first).filter(|_| !attr.id.is_empty()) {
                    b.anchors.push(attr.id.clone());
                }
            }
        }
    }

    /// A definition list: terms at the margin, their definitions indented below them.
    fn definition_list(&mut self, blocks: &[Block], x: f32, width: f32, depth: usize) {
        let indent = self.geo.size * 2.0;
        let indent_paragraphs = std::mem::replace(&mut self.indent_paragraphs, false);
        for block in blocks {
            match block {
                Block::Container { attr, blocks } if attr.has_class(classes::DEFINITION) => {
                    // A definition sits close under its term, which stays with it.
                    if let Some(term) = self.boxes.last_mut() {
                        term.keep_with_next = true;
                    }
                    self.prev = Prev::Heading;
                    let inner_x = if self.rtl { x } else { x + indent };
                    self.blocks(blocks, inner_x, width - indent, depth + 1);
                }
                term => {
                    // Every term starts at the margin, whatever came before it.
                    self.prev = Prev::Other;
                    self.block(term, x, width, depth + 1);
                }
            }
            self.prev = Prev::Other;
        }
        self.indent_paragraphs = indent_paragraphs;
    }

    pub(super) fn list(&mut self, list: &crate::model::List, x: f32, width: f32, depth: usize) {
        let size = self.geo.size;
        let nesting = self.bars.len() + depth;
        let has_tasks = list.checked.iter().any(Option::is_some);
        // A numbered task item shows its box beside the number: the indent makes room.
        let indent = size
            * match (list.ordered, has_tasks) {
                (true, true) => 2.9,
                (true, false) => 2.0,
                (false, _) => 1.5,
            };
        let bullet = match nesting % 3 {
            0 | 1 => "•",
            2 => "–",
            _ => "·",
        };
        for (n, item) in list.items.iter().enumerate() {
            let marker = if list.ordered {
                format!("{}.", u64::from(list.start) + n as u64)
            } else {
                bullet.to_string()
            };
            self.prev = Prev::Other;
            let first = self.boxes.len();
            let space = if list.tight || n == 0 {
                size * 0.25
            } else {
                self.geo.leading * 0.4
            };
            if item.is_empty() {
                self.boxes.push(VBox {
                    height: self.geo.leading,
                    bars: self.bars.clone(),
                    ..VBox::default()
                });
            }
            let item_x = if self.rtl { x } else { x + indent };
            let indent_paragraphs = std::mem::replace(&mut self.indent_paragraphs, false);
            self.blocks(item, item_x, width - indent, depth);
            self.indent_paragraphs = indent_paragraphs;
            if let Some(b) = self.boxes.get_mut(first) {
                b.space_before = b.space_before.min(space).max(if n == 0 {
                    self.geo.leading * 0.3
                } else {
                    size * 0.2
                });
            }
            // The marker sits in the hanging indent, on the first line's baseline.
            let baseline = self
                .boxes
                .get(first)
                .and_then(|b| {
                    b.items.iter().find_map(|i| match i {
                        Item::Text(run) => Some(run.y),
                        _ => None,
                    })
                })
                .unwrap_or(self.geo.size);
            let task = list.task(n);
            let marker_x = |w: f32| {
                if self.rtl {
                    x + width - indent + size * 0.4
                } else {
                    x + indent - w - size * 0.4
                }
            };
            let mut marker_items = Vec::new();
            // A bullet item with a box shows the box instead of the bullet.
            let number_x = if list.ordered || task.is_none() {
                let face = self.shaper.fonts.face_for(FontStyle::BODY);
                let glyphs = self.shaper.shape(&marker, face, false);
                let mut run = make_run(&marker, &glyphs, face, size, BLACK, 0.0, baseline);
                let w = run.width();
                run.x = marker_x(w);
                let extent = (run.x, run.x + w);
                marker_items.push(Item::Text(run));
                Some(extent)
            } else {
                None
            };
            if let Some(done) = task {
                let side = size * TASK_BOX_SIDE;
                let gap = size * 0.25;
                let box_x = match number_x {
                    None => marker_x(side),
                    Some((_, right)) if self.rtl => right + gap,
                    Some((left, _)) => left - gap - side,
                };
                marker_items.extend(task_box(box_x, baseline, side, done));
                // The box is drawn, so it is no text: a space in its place reads as ☑ or ☐,
                // so that copying, searching and screen readers keep whether it is done.
                let face = self.shaper.fonts.face_for(FontStyle::BODY);
                let glyphs = self.shaper.shape(" ", face, false);
                let mut run = make_run(" ", &glyphs, face, size, BLACK, box_x, baseline);
                if let Some(first) = run.glyphs.first_mut() {
                    first.actual_text = Some(if done { "☑" } else { "☐" }.into());
                    marker_items.push(Item::Text(run));
                }
            }
            if let Some(b) = self.boxes.get_mut(first) {
                b.items.extend(marker_items);
            }
        }
        self.prev = Prev::Other;
    }
}

/// A task box's side, in ems: about the height of a capital.
pub(super) const TASK_BOX_SIDE: f32 = 0.62;

/// A task-list item's box, drawn (the bundled fonts have no ☐ or ☑): a square of `side`
/// standing on the baseline at `x`, with a tick in it when the task is done.
fn task_box(x: f32, baseline: f32, side: f32, done: bool) -> Vec<Item> {
    let top = baseline - side;
    let mut items = vec![Item::Rect {
        x,
        y: top,
        w: side,
        h: side,
        fill: None,
        stroke: Some(BLACK),
    }];
    if done {
        let at = |fx: f32, fy: f32| (x + side * fx, top + side * fy);
        let (start, corner, end) = (at(0.2, 0.5), at(0.42, 0.78), at(0.82, 0.18));
        for ((x1, y1), (x2, y2)) in [(start, corner), (corner, end)] {
            items.push(Item::Line {
                x1,
                y1,
                x2,
                y2,
                width: side * 0.14,
                color: BLACK,
            });
        }
    }
    items
}
