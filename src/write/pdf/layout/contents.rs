//! A book's contents page: one line per entry (a bundled article, or one of its headings),
//! its text cut to the line, dot leaders, and the page the entry starts on, the whole line
//! a link to it.
//!
//! The page numbers come from a first layout pass ([`super::layout_pages`] runs one when a
//! document has contents). Every entry is one line whatever its number, so the second pass
//! puts every page where the first did.

use super::super::fonts::FontStyle;
use super::paginate::fit_with_ellipsis;
use super::paragraph::{make_run, visual_runs};
use super::{Item, Layouter, LinkTarget, Prev, VBox, BLACK, GREY};
use crate::model::{Block, Inline, List};

impl<'s, 'f, 'a> Layouter<'s, 'f, 'a> {
    /// A [`classes::CONTENTS`](crate::model::classes::CONTENTS) container: its heading as
    /// any heading, its list as contents lines.
    pub(super) fn contents(&mut self, blocks: &[Block], x: f32, width: f32, depth: usize) {
        for block in blocks {
            match block {
                Block::List(list) => self.contents_entries(list, x, width, 0),
                other => self.block(other, x, width, depth + 1),
            }
        }
        self.prev = Prev::Other;
    }

    /// The lines of one level of entries, `level` 0 for the articles.
    fn contents_entries(&mut self, list: &List, x: f32, width: f32, level: u8) {
        for item in &list.items {
            for block in item {
                match block {
                    Block::Paragraph(inlines) => self.contents_line(inlines, x, width, level),
                    Block::List(inner) => {
                        self.contents_entries(inner, x, width, level.saturating_add(1))
                    }
                    _ => {}
                }
            }
        }
    }

    fn contents_line(&mut self, inlines: &[Inline], x: f32, width: f32, level: u8) {
        let (text, id) = entry_of(inlines);
        if text.trim().is_empty() {
            return;
        }
        let size = if level == 0 {
            self.geo.size
        } else {
            self.geo.size * 0.92
        };
        let leading = size * 1.4;
        let baseline = leading * 0.75;
        let face = self.shaper.fonts.face_for(FontStyle::BODY);
        let indent = f32::from(level) * self.geo.size * 1.5;
        let number = id
            .as_deref()
            .and_then(|id| self.anchor_pages.get(id))
            .map(|n| n.to_string())
            .unwrap_or_default();
        // The number's column is as wide whatever the number, so the first pass (no
        // numbers yet) cuts every entry as the second does.
        let number_slot = self.shaper.width("0000", face) * size;
        let gap = size * 0.6;
        let room = (width - indent - number_slot - gap).max(size * 4.0);
        let shown = fit_with_ellipsis(self.shaper, &text, face, size, room);
        let color = if level == 0 { BLACK } else { GREY };
        // A title may mix scripts and directions: each piece in a face that has it, in
        // visual order.
        let title = visual_runs(self.shaper, &shown, face, size, color, false);
        let title_end = x + indent + title.width;
        let mut items: Vec<Item> = title.at(x + indent, baseline).collect();
        let right = x + width;
        if !number.is_empty() {
            let glyphs = self.shaper.shape(&number, face, false);
            let mut run = make_run(&number, &glyphs, face, size, BLACK, 0.0, baseline);
            run.x = right - run.width();
            let number_x = run.x;
            items.push(Item::Text(run));
            // Dot leaders from the title to the number, on a grid so the dots of every
            // line stand in columns.
            let step = self.shaper.width(" .", face) * size;
            if step > 0.0 {
                let first = ((title_end + gap * 0.5 - x) / step).ceil();
                let last = ((number_x - gap * 0.5 - x) / step).floor() - 1.0;
                if last >= first {
                    let count = (last - first + 1.0) as usize;
                    let dots = " .".repeat(count);
                    let glyphs = self.shaper.shape(&dots, face, false);
                    let run =
                        make_run(&dots, &glyphs, face, size, GREY, x + first * step, baseline);
                    items.push(Item::Text(run));
                }
            }
        }
        if let Some(id) = id {
            items.push(Item::Link {
                x: x + indent,
                y: baseline - size * 0.9,
                w: width - indent,
                h: size * 1.2,
                target: LinkTarget::Anchor(id),
            });
        }
        self.boxes.push(VBox {
            height: leading,
            space_before: if level == 0 {
                self.geo.size * 0.35
            } else {
                0.0
            },
            items,
            bars: self.bars.clone(),
            ..VBox::default()
        });
    }
}

/// An entry's text, and the id its `#id` link names.
fn entry_of(inlines: &[Inline]) -> (String, Option<String>) {
    let link = inlines.iter().find_map(|inline| match inline {
        Inline::Link(link) => Some(link),
        _ => None,
    });
    match link {
        Some(link) => (
            crate::model::inlines_to_plain(&link.content),
            link.url.strip_prefix('#').map(str::to_string),
        ),
        None => (crate::model::inlines_to_plain(inlines), None),
    }
}
