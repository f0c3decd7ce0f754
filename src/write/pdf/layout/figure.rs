//! Figures: an image scaled to the column (or its alt text in a frame), with its caption
//! kept on the same page. A figure that does not fit where it stands moves to the next
//! page: in its place when that leaves only a little of the page blank, else the text after
//! it fills the page, after a line that says where the figure went (see `paginate.rs`).

use super::super::fonts::{Family, FontStyle};
use super::paragraph::make_run;
use super::{Align, Item, Layouter, ParaStyle, Piece, Prev, RunStyle, VBox, GREY, LIGHT};
use crate::model::Inline;

impl<'s, 'f, 'a> Layouter<'s, 'f, 'a> {
    pub(super) fn figure(
        &mut self,
        src: &str,
        alt: &str,
        caption: &[Inline],
        x: f32,
        width: f32,
        depth: usize,
    ) {
        let size = self.geo.size;
        let usable_height = (self.geo.height - self.geo.top - self.geo.bottom) * 0.7;
        let first = self.boxes.len();
        match self
            .images
            .by_src
            .get(src)
            .and_then(|&i| self.images.sizes.get(i).map(|s| (i, *s)))
        {
            Some((index, (pw, ph))) if pw > 0 && ph > 0 => {
                // 1 px = 0.75 pt at 96 dpi, but never wider than the column or taller than
                // most of the page.
                let natural_w = pw as f32 * 0.75;
                let natural_h = ph as f32 * 0.75;
                let scale = (width / natural_w).min(usable_height / natural_h).min(1.0);
                let (w, h) = (natural_w * scale, natural_h * scale);
                let ix = x + (width - w) / 2.0;
                let float_notice = Some(Box::new(self.float_notice(x, width)));
                self.boxes.push(VBox {
                    height: h,
                    space_before: self.geo.leading * 0.6,
                    items: vec![Item::Image {
                        index,
                        x: ix,
                        y: 0.0,
                        w,
                        h,
                    }],
                    float: true,
                    float_notice,
                    keep_with_next: !caption.is_empty(),
                    bars: self.bars.clone(),
                    ..VBox::default()
                });
            }
            _ => {
                // No image: its alt text in a frame.
                let text = if alt.trim().is_empty() {
                    format!("[image: {}]", short_src(src))
                } else {
                    format!("[image: {}]", alt.trim())
                };
                let style = RunStyle::plain(
                    FontStyle {
                        family: Family::Serif,
                        bold: false,
                        italic: true,
                    },
                    GREY,
                );
                let pad = size * 0.5;
                let para = ParaStyle {
                    align: Align::Center,
                    hyphenate: false,
                    ..self.para_style(x + pad, width - 2.0 * pad)
                };
                let start = self.boxes.len();
                self.paragraph_boxes(
                    &[Piece::Text(text, style)],
                    para,
                    self.geo.leading * 0.6,
                    true,
                );
                let end = self.boxes.len();
                // Frame: pad the first and last lines, draw the border piece by piece.
                for i in start..end {
                    let b = &mut self.boxes[i];
                    let top = if i == start { pad } else { 0.0 };
                    let bottom = if i + 1 == end { pad } else { 0.0 };
                    for item in &mut b.items {
                        item.shift(top);
                    }
                    b.height += top + bottom;
                    let h = b.height;
                    let mut frame = vec![
                        Item::Line {
                            x1: x,
                            y1: 0.0,
                            x2: x,
                            y2: h,
                            width: 0.5,
                            color: LIGHT,
                        },
                        Item::Line {
                            x1: x + width,
                            y1: 0.0,
                            x2: x + width,
                            y2: h,
                            width: 0.5,
                            color: LIGHT,
                        },
                    ];
                    if i == start {
                        frame.push(Item::Line {
                            x1: x,
                            y1: 0.0,
                            x2: x + width,
                            y2: 0.0,
                            width: 0.5,
                            color: LIGHT,
                        });
                    }
                    if i + 1 == end {
                        frame.push(Item::Line {
                            x1: x,
                            y1: h,
                            x2: x + width,
                            y2: h,
                            width: 0.5,
                            color: LIGHT,
                        });
                    }
                    b.items.extend(frame);
                    b.keep_with_next = i + 1 < end || !caption.is_empty();
                }
            }
        }
        if !caption.is_empty() {
            let base = RunStyle::plain(
                FontStyle {
                    family: Family::Serif,
                    bold: false,
                    italic: true,
                },
                GREY,
            );
            let pieces = self.pieces(caption, base, depth);
            let para = ParaStyle {
                size: size * 0.88,
                leading: size * 1.25,
                align: Align::Center,
                ..self.para_style(x, width)
            };
            self.paragraph_boxes(&pieces, para, size * 0.4, false);
        }
        if let Some(b) = self.boxes.get_mut(first) {
            b.space_before = b.space_before.max(self.geo.leading * 0.6);
        }
        if let Some(last) = self.boxes.last_mut() {
            last.keep_with_next = false;
        }
        self.prev = Prev::Other;
    }

    /// The line a figure leaves where it stood when it floats to the next page: the text
    /// after it may say "the figure above", which is then not where the figure is.
    fn float_notice(&mut self, x: f32, width: f32) -> VBox {
        let size = self.geo.size * 0.88;
        let leading = size * 1.3;
        let face = self.shaper.fonts.face_for(FontStyle {
            family: Family::Serif,
            bold: false,
            italic: true,
        });
        let text = FLOAT_NOTICE;
        let glyphs = self.shaper.shape(text, face, false);
        let mut run = make_run(text, &glyphs, face, size, GREY, 0.0, leading * 0.75);
        run.x = x + (width - run.width()) / 2.0;
        VBox {
            height: leading,
            space_before: self.geo.size * 0.4,
            items: vec![Item::Text(run)],
            bars: self.bars.clone(),
            ..VBox::default()
        }
    }
}

/// What a floated figure leaves in its place.
pub(super) const FLOAT_NOTICE: &str = "(figure on next page)";

/// The file name in an image reference, without query or fragment, for alt-text frames.
pub(super) fn short_src(src: &str) -> String {
    let path = src.split(['?', '#']).next().unwrap_or(src);
    let name = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(path);
    name.chars().take(60).collect()
}
