//! Inline content flattened into styled pieces for the paragraph builder, and footnote
//! bodies laid out for the page foot.

use super::super::fonts::{Family, FontStyle};
use super::paragraph::make_run;
use super::{
    InlineImage, Item, Layouter, LinkTarget, Piece, Prev, RunStyle, VBox, BLACK, GREY, LINK_BLUE,
};
use crate::model::{Block, Image, Inline, Meta};
use crate::prepare::ids::is_note_id;

impl<'s, 'f, 'a> Layouter<'s, 'f, 'a> {
    /// Flattens inlines into styled pieces. Notes become numbered markers (their bodies are
    /// laid out for the page foot).
    pub(super) fn pieces(
        &mut self,
        inlines: &[Inline],
        base: RunStyle,
        depth: usize,
    ) -> Vec<Piece> {
        let mut out = Vec::new();
        self.push_pieces(inlines, base, depth, &mut out);
        out
    }

    pub(super) fn push_pieces(
        &mut self,
        inlines: &[Inline],
        style: RunStyle,
        depth: usize,
        out: &mut Vec<Piece>,
    ) {
        for inline in inlines {
            match inline {
                Inline::Text(text) => out.push(Piece::Text(text.clone(), style)),
                Inline::Emphasis(inner) => {
                    let mut s = style;
                    s.font.italic = !s.font.italic;
                    self.push_pieces(inner, s, depth + 1, out);
                }
                Inline::Strong(inner) => {
                    let mut s = style;
                    s.font.bold = true;
                    self.push_pieces(inner, s, depth + 1, out);
                }
                Inline::Strikethrough(inner) => {
                    let mut s = style;
                    s.strike = true;
                    self.push_pieces(inner, s, depth + 1, out);
                }
                Inline::Superscript(inner) => {
                    let mut s = style;
                    s.scale *= 0.7;
                    s.rise += 0.35;
                    self.push_pieces(inner, s, depth + 1, out);
                }
                Inline::Subscript(inner) => {
                    let mut s = style;
                    s.scale *= 0.7;
                    s.rise -= 0.15;
                    self.push_pieces(inner, s, depth + 1, out);
                }
                Inline::Code(code) => {
                    let mut s = style;
                    s.font.family = Family::Mono;
                    s.font.italic = false;
                    s.scale *= 0.88;
                    out.push(Piece::Text(code.clone(), s));
                }
                Inline::Link(link) => {
                    let (url, content) = (&link.url, &link.content);
                    let mut s = style;
                    if crate::model::url::is_external_link(url) {
                        s.link = Some(self.add_link(LinkTarget::Uri(url.clone())));
                        s.color = LINK_BLUE;
                    } else if let Some(id) = url
                        .trim()
                        .strip_prefix('#')
                        // The HTML writers' note ids name nothing here: a PDF sets notes
                        // at the page foot (notes in notes in brackets), reached by their
                        // markers.
                        .filter(|id| !id.is_empty() && !is_note_id(id))
                    {
                        s.link = Some(self.add_link(LinkTarget::Anchor(id.to_string())));
                        s.color = LINK_BLUE;
                    }
                    self.push_pieces(content, s, depth + 1, out);
                }
                Inline::Image(image) => {
                    if let Some(set) = self.inline_image(image, style) {
                        out.push(Piece::Image(set, style));
                        continue;
                    }
                    // Not loaded (the loading said why): its alt text stands for it, on one
                    // line and in brackets, as in the plain-text output (bare, a row of
                    // icons read "facebooktwitterreddit"), in grey; an image with none (most
                    // are decorative) leaves nothing, so the words around it stay whole
                    // ("we<img>rde" is "werde").
                    let alt = one_line(&image.alt);
                    if !alt.is_empty() {
                        let mut s = style;
                        s.color = GREY;
                        if matches!(out.last(), Some(Piece::Text(t, ts)) if ts.color == GREY && t.ends_with(']'))
                        {
                            out.push(Piece::Text(" ".into(), style));
                        }
                        out.push(Piece::Text(format!("[{alt}]"), s));
                    }
                }
                Inline::Math(math) => {
                    // Upright unless TeX says otherwise: variables come back as emphasis.
                    let mut s = style;
                    s.font.italic = false;
                    let formula = crate::write::math_inlines::tex_to_inlines(&math.tex_or_text());
                    self.push_pieces(&formula, s, depth + 1, out);
                }
                Inline::LineBreak => out.push(Piece::Break),
                Inline::Note(blocks) => {
                    if self.in_note {
                        // A note inside a note: its text goes in brackets.
                        let text = crate::model::Document::new(Meta::default(), blocks.clone())
                            .plain_text(1 << 16);
                        out.push(Piece::Text(format!(" ({})", text.trim()), style));
                        continue;
                    }
                    let number = self.notes.len() + 1;
                    let index = self.notes.len();
                    self.notes.push(Vec::new());
                    let body = self.note_body(blocks, number, depth);
                    self.notes[index] = body;
                    let mut s = style;
                    s.scale *= 0.7;
                    s.rise += 0.35;
                    s.font.italic = false;
                    s.link = Some(self.add_link(LinkTarget::Note(index)));
                    s.color = LINK_BLUE;
                    // The marker carries the note index so the line that holds it can
                    // claim the note; see `paragraph_boxes`.
                    out.push(Piece::Text(
                        format!("{NOTE_MARK}{index}{NOTE_MARK}{number}"),
                        s,
                    ));
                }
                Inline::Span { content, .. } => self.push_pieces(content, style, depth + 1, out),
            }
        }
    }

    /// The size an inline image is set at, if it was loaded: the size the input states (in
    /// CSS pixels; one side alone keeps the proportions), else the image's own size but no
    /// taller than the text; never wider than the column or taller than most of a page.
    fn inline_image(&self, image: &Image, style: RunStyle) -> Option<InlineImage> {
        let index = *self.images.by_src.get(&image.src)?;
        let &(pw, ph) = self.images.sizes.get(index)?;
        if pw == 0 || ph == 0 {
            return None;
        }
        // 1 CSS px = 0.75 pt.
        let (natural_w, natural_h) = (pw as f32 * 0.75, ph as f32 * 0.75);
        let stated = |px: Option<u32>| px.filter(|&px| px > 0).map(|px| px as f32 * 0.75);
        let (width, height) = match (stated(image.width), stated(image.height)) {
            (Some(w), Some(h)) => (w, h),
            (Some(w), None) => (w, w * natural_h / natural_w),
            (None, Some(h)) => (h * natural_w / natural_h, h),
            (None, None) => {
                let line = self.geo.size * style.scale * INLINE_IMAGE_HEIGHT;
                let scale = (line / natural_h).min(1.0);
                (natural_w * scale, natural_h * scale)
            }
        };
        let most_w = self.geo.measure();
        let most_h = (self.geo.height - self.geo.top - self.geo.bottom) * 0.7;
        let fit = (most_w / width).min(most_h / height).min(1.0);
        Some(InlineImage {
            index,
            width: width * fit,
            height: height * fit,
        })
    }

    /// Lays out a footnote's blocks in small type, the number first.
    pub(super) fn note_body(&mut self, blocks: &[Block], number: usize, depth: usize) -> Vec<VBox> {
        let saved = std::mem::take(&mut self.boxes);
        let saved_prev = self.prev;
        let saved_bars = std::mem::take(&mut self.bars);
        let saved_geo = self.geo;
        self.in_note = true;
        self.geo.size *= 0.8;
        self.geo.leading *= 0.8;
        self.prev = Prev::Heading;
        let x = self.geo.left;
        let width = self.geo.measure();
        let label = format!("{number}.");
        let label_width = self.geo.size * 1.8;
        if blocks.is_empty() {
            self.boxes.push(VBox {
                height: self.geo.leading,
                ..VBox::default()
            });
        }
        // The number stands at the start edge: the right one on a right-to-left page.
        let body_x = if self.rtl { x } else { x + label_width };
        self.blocks(blocks, body_x, width - label_width, depth);
        let face = self.shaper.fonts.face_for(FontStyle::BODY);
        let glyphs = self.shaper.shape(&label, face, false);
        let baseline = self
            .boxes
            .first()
            .and_then(|b| {
                b.items.iter().find_map(|i| match i {
                    Item::Text(run) => Some(run.y),
                    _ => None,
                })
            })
            .unwrap_or(self.geo.size);
        let mut run = make_run(&label, &glyphs, face, self.geo.size, BLACK, x, baseline);
        if self.rtl {
            run.x = x + width - run.width();
        }
        if let Some(first) = self.boxes.first_mut() {
            first.items.push(Item::Text(run));
            first.space_before = 0.0;
        }
        for b in &mut self.boxes {
            b.space_before = b.space_before.min(self.geo.size * 0.3);
        }
        self.geo = saved_geo;
        self.in_note = false;
        self.prev = saved_prev;
        self.bars = saved_bars;
        std::mem::replace(&mut self.boxes, saved)
    }
}

/// Alt text as running text shows it (as the plain-text writer does): tabs and line ends
/// are spaces, other control characters go, runs of spaces are one, none at either end.
fn one_line(text: &str) -> String {
    let spaced: String = text
        .chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    spaced
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The height of an inline image of no stated size, at most, in ems: the height of the
/// text's ascenders, so the image does not open the line.
pub(super) const INLINE_IMAGE_HEIGHT: f32 = 0.95;

/// Marks a note reference inside a piece of text (never in real text: it is a noncharacter).
pub(super) const NOTE_MARK: char = '\u{FDD0}';
