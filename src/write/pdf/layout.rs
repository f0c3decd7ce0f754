//! Layout: a [`Document`] → pages of positioned items (glyph runs, rules, boxes, images,
//! link areas), using font metrics only. Nothing here knows PDF; `emit.rs` draws the result.
//!
//! Coordinates are points from the page's top-left corner, y growing downwards.
//!
//! Blocks become a vertical list of `VBox`es (a line of text, a table row, an image), each
//! saying whether it must stay on the page of the one after it (headings, orphan and widow
//! lines, figure and caption) and which footnotes it references. `paginate` fills pages
//! from that list, moving a chain of kept boxes to the next page together, reserving room
//! at the page foot for the notes of the lines it holds, and repeating table header rows.

use super::fonts::{FaceId, Family, FontSet, FontStyle};
use super::hyphenate::Hyphenation;
use super::linebreak::{self, Item as KpItem, Params, FORCE};
use super::shape::{cluster_texts, ShapedGlyph, Shaper};
use super::{missing_glyph_warning, PdfOptions};
use crate::error::Warning;
use crate::model::{
    inlines_to_plain, Alignment, Block, Direction, Document, Inline, Meta, MAX_DEPTH,
};
use std::collections::HashMap;

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Color(pub f32, pub f32, pub f32);

pub const BLACK: Color = Color(0.0, 0.0, 0.0);
pub const GREY: Color = Color(0.4, 0.4, 0.4);
pub const LIGHT: Color = Color(0.75, 0.75, 0.75);
pub const CODE_BACKGROUND: Color = Color(0.95, 0.95, 0.95);
pub const LINK_BLUE: Color = Color(0.05, 0.2, 0.55);

/// One glyph of a run: id, where the pen goes next, and the text it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    pub gid: u16,
    /// Advance in points.
    pub advance: f32,
    /// Offset from the pen in points (x right, y up), for marks and kerning pairs.
    pub x_offset: f32,
    pub y_offset: f32,
    /// The characters this glyph shows (empty for the 2nd+ glyph of a cluster).
    pub text: String,
}

/// Glyphs in one face and size, set from `x` along the baseline `y`.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub x: f32,
    pub y: f32,
    pub face: FaceId,
    pub size: f32,
    pub color: Color,
    pub glyphs: Vec<PlacedGlyph>,
}

impl TextRun {
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance).sum()
    }
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    Uri(String),
    /// A place in this document: page index and y from the top.
    Internal {
        page: usize,
        y: f32,
    },
    /// A footnote, resolved to [`LinkTarget::Internal`] once pages are made.
    Note(usize),
    /// A heading by id (`#id` links), resolved like notes.
    Anchor(String),
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(TextRun),
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Color,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Color>,
        stroke: Option<Color>,
    },
    Image {
        index: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        target: LinkTarget,
    },
}

impl Item {
    fn shift(&mut self, dy: f32) {
        match self {
            Item::Text(run) => run.y += dy,
            Item::Line { y1, y2, .. } => {
                *y1 += dy;
                *y2 += dy;
            }
            Item::Rect { y, .. } | Item::Image { y, .. } | Item::Link { y, .. } => *y += dy,
        }
    }

    /// The item's extent `(x, y, w, h)`, for tests and bounds checks.
    pub fn bounds(&self) -> (f32, f32, f32, f32) {
        match self {
            Item::Text(run) => (run.x, run.y - run.size * 0.8, run.width(), run.size),
            Item::Line { x1, y1, x2, y2, .. } => {
                (x1.min(*x2), y1.min(*y2), (x2 - x1).abs(), (y2 - y1).abs())
            }
            Item::Rect { x, y, w, h, .. }
            | Item::Image { x, y, w, h, .. }
            | Item::Link { x, y, w, h, .. } => (*x, *y, *w, *h),
        }
    }
}

/// A laid-out page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    pub items: Vec<Item>,
}

/// A heading for the PDF outline (bookmarks).
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

/// The whole laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct Laid {
    pub width: f32,
    pub height: f32,
    pub pages: Vec<Page>,
    pub outline: Vec<OutlineEntry>,
}

/// Image sizes, known before layout (emit decodes the files).
#[derive(Debug, Clone, Default)]
pub struct ImageInfo {
    /// `src` → index into `sizes`.
    pub by_src: HashMap<String, usize>,
    /// Width and height in pixels.
    pub sizes: Vec<(u32, u32)>,
}

/// Page geometry and type size.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    pub width: f32,
    pub height: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
    pub size: f32,
    pub leading: f32,
}

impl Geometry {
    pub fn from_options(options: &PdfOptions) -> Geometry {
        let (width, height) = options.page_size.dimensions();
        let size = options
            .font_size
            .filter(|s| s.is_finite() && *s >= 4.0 && *s <= 72.0)
            .unwrap_or_else(|| options.page_size.default_font_size());
        let mut m = options
            .margins
            .unwrap_or_else(|| options.page_size.default_margins());
        // Keep at least a third of the page for text whatever the margins say.
        if m.left + m.right > width * 0.66 {
            m.left = width * 0.17;
            m.right = width * 0.17;
        }
        if m.top + m.bottom > height * 0.66 {
            m.top = height * 0.17;
            m.bottom = height * 0.17;
        }
        Geometry {
            width,
            height,
            top: m.top,
            right: m.right,
            bottom: m.bottom,
            left: m.left,
            size,
            leading: size * 1.42,
        }
    }

    pub fn measure(&self) -> f32 {
        self.width - self.left - self.right
    }
}

/// One unbreakable piece of the vertical list.
#[derive(Debug, Clone, Default)]
struct VBox {
    height: f32,
    /// Space above, dropped at the top of a page.
    space_before: f32,
    /// Items with y relative to the box top.
    items: Vec<Item>,
    keep_with_next: bool,
    /// Ends in a hyphen: better not the last line of a page, but that may give way.
    weak_keep: bool,
    notes: Vec<usize>,
    /// Table rows: the header rows to repeat when the row starts a page.
    table_head: Option<usize>,
    /// x of quote bars running beside this box.
    bars: Vec<f32>,
    outline: Option<(u8, String)>,
    /// A heading's id, the target of `#id` links.
    anchor: Option<String>,
    /// Forces a page break before this box.
    page_break: bool,
    /// An image that may float to the next page (with the boxes kept with it).
    float: bool,
}

/// How a run of inline text looks.
#[derive(Debug, Clone, Copy, PartialEq)]
struct RunStyle {
    font: FontStyle,
    /// Size relative to the paragraph's.
    scale: f32,
    /// Baseline shift in ems (up is positive).
    rise: f32,
    color: Color,
    link: Option<usize>,
    strike: bool,
}

impl RunStyle {
    fn plain(font: FontStyle, color: Color) -> RunStyle {
        RunStyle {
            font,
            scale: 1.0,
            rise: 0.0,
            color,
            link: None,
            strike: false,
        }
    }
}

/// Inline content flattened: text with a style, or a forced line break.
#[derive(Debug, Clone)]
enum Piece {
    Text(String, RunStyle),
    Break,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Align {
    Justify,
    Left,
    Center,
    Right,
}

/// How to set one paragraph.
#[derive(Debug, Clone, Copy)]
struct ParaStyle {
    x: f32,
    width: f32,
    size: f32,
    leading: f32,
    indent: f32,
    align: Align,
    hyphenate: bool,
    rtl: bool,
}

/// A shaped piece of a line: glyphs in one face and style.
#[derive(Debug, Clone)]
struct Fragment {
    glyphs: Vec<PlacedGlyph>,
    face: FaceId,
    size: f32,
    style: RunStyle,
    width: f32,
    /// Bidi embedding level (odd = right-to-left).
    level: u8,
}

/// A set line: fragments with x relative to the paragraph's left edge.
#[derive(Debug, Clone, Default)]
struct SetLine {
    fragments: Vec<(f32, Fragment)>,
    width: f32,
    notes: Vec<usize>,
    /// Ends with a hyphen inside a word.
    hyphenated: bool,
}

/// What the previous block was, for spacing and first-line indents.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Prev {
    Start,
    Paragraph,
    Heading,
    Other,
}

struct Layouter<'s, 'f, 'a> {
    shaper: &'s mut Shaper<'f, 'a>,
    geo: Geometry,
    hyphenation: Option<Hyphenation>,
    /// Hyphenation points by word: articles repeat their words.
    hyphen_cache: HashMap<String, Vec<usize>>,
    ragged: bool,
    rtl: bool,
    /// The document states its direction (else each paragraph finds its own).
    direction_explicit: bool,
    images: &'s ImageInfo,
    boxes: Vec<VBox>,
    links: Vec<LinkTarget>,
    /// Footnote bodies as line boxes (number first), by note index.
    notes: Vec<Vec<VBox>>,
    in_note: bool,
    table_heads: Vec<Vec<VBox>>,
    prev: Prev,
    bars: Vec<f32>,
}

/// Lays out a document.
pub fn layout(
    document: &Document,
    options: &PdfOptions,
    fonts: &FontSet<'_>,
    images: &ImageInfo,
    warnings: &mut Vec<Warning>,
) -> Laid {
    let mut shaper = Shaper::new(fonts);
    let geo = Geometry::from_options(options);
    let meta = &document.meta;
    let rtl = match meta.direction {
        Some(Direction::Rtl) => true,
        Some(Direction::Ltr) => false,
        _ => meta.language.as_deref().is_some_and(is_rtl_language),
    };
    let mut layouter = Layouter {
        shaper: &mut shaper,
        geo,
        hyphenation: Hyphenation::for_language(meta.language.as_deref()),
        hyphen_cache: HashMap::new(),
        ragged: options.ragged,
        rtl,
        direction_explicit: matches!(meta.direction, Some(Direction::Rtl | Direction::Ltr)),
        images,
        boxes: Vec::new(),
        links: Vec::new(),
        notes: Vec::new(),
        in_note: false,
        table_heads: Vec::new(),
        prev: Prev::Start,
        bars: Vec::new(),
    };
    layouter.title_block(meta);
    let mut blocks: &[Block] = &document.blocks;
    // The title block already shows a first heading that repeats the title.
    if let (Some(Block::Heading { content, .. }), Some(title)) = (blocks.first(), &meta.title) {
        if inlines_to_plain(content).trim() == title.trim() {
            blocks = &blocks[1..];
        }
    }
    let x = geo.left;
    let width = geo.measure();
    layouter.blocks(blocks, x, width, 0);
    let Layouter {
        boxes,
        notes,
        table_heads,
        ..
    } = layouter;
    let missing = std::mem::take(&mut shaper.missing);
    for c in missing.iter().take(50) {
        warnings.push(missing_glyph_warning(*c));
    }
    if missing.len() > 50 {
        warnings.push(Warning::new(format!(
            "{} more characters have no font",
            missing.len() - 50
        )));
    }
    let mut laid = paginate(&geo, boxes, &notes, &table_heads);
    page_furniture(&mut laid, &geo, meta, &mut shaper);
    laid
}

fn is_rtl_language(tag: &str) -> bool {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "ar" | "he" | "iw" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv"
    )
}

impl<'s, 'f, 'a> Layouter<'s, 'f, 'a> {
    fn para_style(&self, x: f32, width: f32) -> ParaStyle {
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

    fn title_block(&mut self, meta: &Meta) {
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
            byline.push(meta.authors.join(", "));
        }
        if let Some(date) = meta.published.as_deref().filter(|d| !d.trim().is_empty()) {
            byline.push(date.split('T').next().unwrap_or(date).to_string());
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
        if let Some(url) = meta.source_url.as_deref().filter(|u| !u.trim().is_empty()) {
            let link = self.add_link(LinkTarget::Uri(url.to_string()));
            let style = RunStyle {
                link: Some(link),
                ..RunStyle::plain(sans, LINK_BLUE)
            };
            self.paragraph_boxes(
                &[Piece::Text(url.to_string(), style)],
                small,
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

    fn start_align(&self) -> Align {
        if self.rtl {
            Align::Right
        } else {
            Align::Left
        }
    }

    fn add_link(&mut self, target: LinkTarget) -> usize {
        self.links.push(target);
        self.links.len() - 1
    }

    fn rule_box(&mut self, x: f32, width: f32, above: f32, below: f32, thickness: f32) {
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

    /// Lays out blocks in the column `x..x+width`. `depth` counts nesting, which is capped
    /// at [`MAX_DEPTH`] (deeper content is set as plain paragraphs).
    fn blocks(&mut self, blocks: &[Block], x: f32, width: f32, depth: usize) {
        for block in blocks {
            self.block(block, x, width, depth + 1);
        }
    }

    fn block(&mut self, block: &Block, x: f32, width: f32, depth: usize) {
        let size = self.geo.size;
        let leading = self.geo.leading;
        if depth > MAX_DEPTH {
            let text = crate::model::Document::new(Meta::default(), vec![block.clone()])
                .plain_text(1 << 20);
            let pieces = vec![Piece::Text(
                text.split_whitespace().collect::<Vec<_>>().join(" "),
                RunStyle::plain(FontStyle::BODY, BLACK),
            )];
            self.paragraph_boxes(&pieces, self.para_style(x, width), leading * 0.5, false);
            return;
        }
        match block {
            Block::Paragraph(inlines) => {
                let pieces = self.pieces(inlines, RunStyle::plain(FontStyle::BODY, BLACK), depth);
                let mut para = self.para_style(x, width);
                let space = match self.prev {
                    Prev::Paragraph => {
                        para.indent = size * 1.5;
                        0.0
                    }
                    Prev::Heading => size * 0.3,
                    Prev::Start | Prev::Other => leading * 0.5,
                };
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
                    b.anchor = Some(id.clone()).filter(|id| !id.is_empty());
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
            Block::Container { blocks, .. } => self.blocks(blocks, x, width, depth),
        }
    }

    fn list(&mut self, list: &crate::model::List, x: f32, width: f32, depth: usize) {
        let size = self.geo.size;
        let nesting = self.bars.len() + depth;
        let indent = size * if list.ordered { 2.0 } else { 1.5 };
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
            self.blocks(item, item_x, width - indent, depth);
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
            let face = self.shaper.fonts.face_for(FontStyle::BODY);
            let glyphs = self.shaper.shape(&marker, face, false);
            let run = make_run(&marker, &glyphs, face, size, BLACK, 0.0, baseline);
            let w = run.width();
            let mut run = run;
            run.x = if self.rtl {
                x + width - indent + size * 0.4
            } else {
                x + indent - w - size * 0.4
            };
            if let Some(b) = self.boxes.get_mut(first) {
                b.items.push(Item::Text(run));
            }
        }
        self.prev = Prev::Other;
    }

    fn code(&mut self, text: &str, x: f32, width: f32) {
        let size = self.geo.size * 0.85;
        let leading = size * 1.35;
        let face = self.shaper.fonts.face_for(FontStyle {
            family: Family::Mono,
            bold: false,
            italic: false,
        });
        let pad = size * 0.6;
        let inner = (width - 2.0 * pad).max(size * 4.0);
        let char_width = self.shaper.width("0", face) * size;
        let columns = ((inner / char_width.max(0.1)).floor() as usize).max(8);
        let mut lines: Vec<String> = Vec::new();
        for source in text.split('\n') {
            let expanded = source.replace('\t', "    ");
            let expanded = expanded.trim_end();
            let chars: Vec<char> = expanded.chars().collect();
            if chars.is_empty() {
                lines.push(String::new());
                continue;
            }
            let mut start = 0;
            while start < chars.len() {
                let end = (start + columns).min(chars.len());
                // Prefer to wrap after a space or punctuation in the last third of the line.
                let mut cut = end;
                if end < chars.len() {
                    if let Some(p) = (start + columns * 2 / 3..end)
                        .rev()
                        .find(|&i| matches!(chars[i], ' ' | ',' | ';' | '(' | '/' | '.'))
                    {
                        cut = p + 1;
                    }
                }
                let mut line: String = chars[start..cut].iter().collect();
                if start > 0 {
                    // A continuation line: mark it so the reader sees it was wrapped.
                    line.insert_str(0, "  ");
                }
                lines.push(line);
                start = cut;
            }
        }
        let total = lines.len();
        for (i, line) in lines.iter().enumerate() {
            let top_pad = if i == 0 { pad * 0.8 } else { 0.0 };
            let bottom_pad = if i + 1 == total { pad * 0.8 } else { 0.0 };
            let height = leading + top_pad + bottom_pad;
            let mut items = vec![Item::Rect {
                x,
                y: 0.0,
                w: width,
                h: height,
                fill: Some(CODE_BACKGROUND),
                stroke: None,
            }];
            if !line.is_empty() {
                let glyphs = self.shaper.shape(line, face, false);
                let baseline = top_pad + leading * 0.75;
                items.push(Item::Text(make_run(
                    line,
                    &glyphs,
                    face,
                    size,
                    BLACK,
                    x + pad,
                    baseline,
                )));
            }
            self.boxes.push(VBox {
                height,
                space_before: if i == 0 { self.geo.leading * 0.5 } else { 0.0 },
                items,
                keep_with_next: i == 0 || i + 2 == total,
                bars: self.bars.clone(),
                ..VBox::default()
            });
        }
        self.prev = Prev::Other;
    }

    fn figure(
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

    /// Lays out a table: column widths from the content, cells wrapped, header rows
    /// repeated when the table continues on a new page.
    fn table(&mut self, table: &crate::model::Table, x: f32, width: f32, depth: usize) {
        let columns = table.column_count().max(1);
        // Smaller type for tables whose words do not fit side by side at the normal size.
        let mut size = self.geo.size * 0.9;
        let (mut natural, mut minimum) = self.measure_columns(table, columns, size, width);
        for scale in [0.8, 0.7] {
            if minimum.iter().sum::<f32>() <= width {
                break;
            }
            size = self.geo.size * scale;
            (natural, minimum) = self.measure_columns(table, columns, size, width);
        }
        let leading = size * 1.3;
        let pad = size * 0.4;
        let widths = column_widths(&natural, &minimum, width);
        let head_index = if table.head.is_empty() {
            None
        } else {
            self.table_heads.push(Vec::new());
            Some(self.table_heads.len() - 1)
        };
        let total_width: f32 = widths.iter().sum();
        let start_box = self.boxes.len();
        let rows: Vec<(bool, &crate::model::Row)> = table
            .head
            .iter()
            .map(|r| (true, r))
            .chain(table.body.iter().map(|r| (false, r)))
            .collect();
        for (i, (header, row)) in rows.iter().enumerate() {
            let mut items = Vec::new();
            let mut height = leading + 2.0 * pad;
            let mut notes = Vec::new();
            let mut col = 0;
            let mut cell_x = x;
            // Where the cells' lines are, to cut a row taller than a page between them.
            let mut cell_spans: Vec<(f32, f32)> = Vec::new();
            for cell in &row.cells {
                if col >= columns {
                    break;
                }
                let span = (cell.colspan.max(1) as usize).min(columns - col);
                let cell_width: f32 = widths[col..col + span].iter().sum();
                let align = table.alignments.get(col).copied().unwrap_or_default();
                // Lay the cell out as its own little vertical list, then stack it.
                let saved = std::mem::take(&mut self.boxes);
                let saved_prev = self.prev;
                let saved_bars = std::mem::take(&mut self.bars);
                self.prev = Prev::Heading;
                let inner_x = cell_x + pad;
                let inner_w = (cell_width - 2.0 * pad).max(size);
                // Everything in the cell (figures, lists) is set at the table's size.
                let saved_geo = self.geo;
                self.geo.size = size;
                self.geo.leading = leading;
                for block in &cell.content {
                    self.cell_block(
                        block, inner_x, inner_w, size, leading, *header, align, depth,
                    );
                }
                self.geo = saved_geo;
                let cell_boxes = std::mem::replace(&mut self.boxes, saved);
                self.prev = saved_prev;
                self.bars = saved_bars;
                let mut y = pad;
                for (k, b) in cell_boxes.into_iter().enumerate() {
                    if k > 0 {
                        y += b.space_before.min(leading * 0.5);
                    }
                    cell_spans.push((y, y + b.height));
                    for mut item in b.items {
                        item.shift(y);
                        items.push(item);
                    }
                    notes.extend(b.notes);
                    y += b.height;
                }
                height = height.max(y + pad);
                col += span;
                cell_x += cell_width;
            }
            if *header {
                items.insert(
                    0,
                    Item::Rect {
                        x,
                        y: 0.0,
                        w: total_width,
                        h: height,
                        fill: Some(CODE_BACKGROUND),
                        stroke: None,
                    },
                );
            }
            let line_color = if *header { GREY } else { LIGHT };
            items.push(Item::Line {
                x1: x,
                y1: height,
                x2: x + total_width,
                y2: height,
                width: 0.5,
                color: line_color,
            });
            if i == 0 {
                items.push(Item::Line {
                    x1: x,
                    y1: 0.0,
                    x2: x + total_width,
                    y2: 0.0,
                    width: 0.8,
                    color: GREY,
                });
            }
            let vbox = VBox {
                height,
                space_before: if i == 0 { self.geo.leading * 0.6 } else { 0.0 },
                items,
                keep_with_next: *header || i == 0 || i + 2 == rows.len(),
                notes,
                table_head: if *header { None } else { head_index },
                bars: self.bars.clone(),
                ..VBox::default()
            };
            if *header {
                if let Some(h) = head_index {
                    let mut copy = vbox.clone();
                    copy.space_before = 0.0;
                    copy.notes.clear();
                    // The copy at the top of a later page needs the top rule too.
                    copy.items.push(Item::Line {
                        x1: x,
                        y1: 0.0,
                        x2: x + total_width,
                        y2: 0.0,
                        width: 0.8,
                        color: GREY,
                    });
                    self.table_heads[h].push(copy);
                }
                self.boxes.push(vbox);
            } else {
                let page_body = self.geo.height - self.geo.top - self.geo.bottom;
                self.boxes
                    .extend(split_tall_row(vbox, &cell_spans, page_body * 0.75));
            }
        }
        if !table.caption.is_empty() {
            let base = RunStyle::plain(
                FontStyle {
                    family: Family::Serif,
                    bold: false,
                    italic: true,
                },
                GREY,
            );
            let pieces = self.pieces(&table.caption, base, depth);
            let para = ParaStyle {
                size: self.geo.size * 0.88,
                leading: self.geo.size * 1.25,
                align: Align::Center,
                ..self.para_style(x, width)
            };
            let at = self.boxes.len();
            self.paragraph_boxes(&pieces, para, self.geo.size * 0.4, true);
            // Caption goes above the table, kept with it.
            let caption: Vec<VBox> = self.boxes.drain(at..).collect();
            let n = caption.len();
            for (k, mut b) in caption.into_iter().enumerate() {
                b.keep_with_next = true;
                if k == 0 {
                    b.space_before = self.geo.leading * 0.6;
                }
                self.boxes.insert(start_box + k, b);
            }
            if let Some(b) = self.boxes.get_mut(start_box + n) {
                b.space_before = self.geo.size * 0.3;
            }
        }
        if let Some(last) = self.boxes.last_mut() {
            last.keep_with_next = false;
        }
        self.prev = Prev::Other;
    }

    /// Natural (all on one line) and minimum (longest word) width of each column.
    fn measure_columns(
        &mut self,
        table: &crate::model::Table,
        columns: usize,
        size: f32,
        width: f32,
    ) -> (Vec<f32>, Vec<f32>) {
        let pad = size * 0.4;
        let mut natural = vec![size; columns];
        let mut minimum = vec![size; columns];
        for (row_index, row) in table.head.iter().chain(&table.body).enumerate() {
            let header = row_index < table.head.len();
            let mut col = 0;
            for cell in &row.cells {
                let span = (cell.colspan.max(1) as usize).min(columns.saturating_sub(col).max(1));
                let text = cell_text(&cell.content);
                let face = self.shaper.fonts.face_for(FontStyle {
                    family: Family::Serif,
                    bold: header,
                    italic: false,
                });
                let line_width = self.shaper.width(text.trim(), face) * size + 2.0 * pad;
                let word_width = text
                    .split_whitespace()
                    .map(|w| self.shaper.width(w, face) * size)
                    .fold(0.0f32, f32::max)
                    + 2.0 * pad;
                if span == 1 && col < columns {
                    natural[col] = natural[col].max(line_width.min(width));
                    minimum[col] = minimum[col].max(word_width.min(width * 0.5));
                }
                col += span;
            }
        }
        (natural, minimum)
    }

    #[allow(clippy::too_many_arguments)]
    fn cell_block(
        &mut self,
        block: &Block,
        x: f32,
        width: f32,
        size: f32,
        leading: f32,
        header: bool,
        align: Alignment,
        depth: usize,
    ) {
        match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } => {
                let base = RunStyle::plain(
                    FontStyle {
                        family: Family::Serif,
                        bold: header,
                        italic: false,
                    },
                    BLACK,
                );
                let pieces = self.pieces(inlines, base, depth);
                let para = ParaStyle {
                    size,
                    leading,
                    align: match align {
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                        _ if self.rtl => Align::Right,
                        _ => Align::Left,
                    },
                    hyphenate: true,
                    ..self.para_style(x, width)
                };
                let space = if self.boxes.is_empty() {
                    0.0
                } else {
                    leading * 0.3
                };
                self.paragraph_boxes(&pieces, para, space, false);
            }
            other => self.block(other, x, width, depth + 1),
        }
    }

    /// Flattens inlines into styled pieces. Notes become numbered markers (their bodies are
    /// laid out for the page foot); nesting deeper than [`MAX_DEPTH`] is set as plain text.
    fn pieces(&mut self, inlines: &[Inline], base: RunStyle, depth: usize) -> Vec<Piece> {
        let mut out = Vec::new();
        self.push_pieces(inlines, base, depth, &mut out);
        out
    }

    fn push_pieces(
        &mut self,
        inlines: &[Inline],
        style: RunStyle,
        depth: usize,
        out: &mut Vec<Piece>,
    ) {
        if depth > MAX_DEPTH {
            out.push(Piece::Text(inlines_to_plain(inlines), style));
            return;
        }
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
                Inline::Link { url, content, .. } => {
                    let mut s = style;
                    if is_followable(url) {
                        s.link = Some(self.add_link(LinkTarget::Uri(url.clone())));
                        s.color = LINK_BLUE;
                    } else if let Some(id) = url.strip_prefix('#').filter(|id| !id.is_empty()) {
                        s.link = Some(self.add_link(LinkTarget::Anchor(id.to_string())));
                        s.color = LINK_BLUE;
                    }
                    self.push_pieces(content, s, depth + 1, out);
                }
                Inline::Image(image) => {
                    let text = if image.alt.trim().is_empty() {
                        "[image]".to_string()
                    } else {
                        format!("[{}]", image.alt.trim())
                    };
                    let mut s = style;
                    s.color = GREY;
                    out.push(Piece::Text(text, s));
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

    /// Lays out a footnote's blocks in small type, the number first.
    fn note_body(&mut self, blocks: &[Block], number: usize, depth: usize) -> Vec<VBox> {
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
        self.blocks(blocks, x + label_width, width - label_width, depth);
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
        let run = make_run(&label, &glyphs, face, self.geo.size, BLACK, x, baseline);
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

    /// Sets a paragraph and appends its lines as boxes. `keep` keeps every line with the
    /// next box (headings, title block); otherwise orphan and widow lines are kept with
    /// their neighbours.
    fn paragraph_boxes(
        &mut self,
        pieces: &[Piece],
        mut para: ParaStyle,
        space_before: f32,
        keep: bool,
    ) {
        if !self.direction_explicit {
            // Unless the document states its direction, each paragraph takes the direction
            // of its first strong character (UAX #9 rules P2–P3).
            let text: String = pieces
                .iter()
                .filter_map(|p| match p {
                    Piece::Text(t, _) => Some(t.as_str()),
                    Piece::Break => None,
                })
                .collect();
            let rtl = match unicode_bidi::get_base_direction(text.as_str()) {
                unicode_bidi::Direction::Rtl => true,
                unicode_bidi::Direction::Ltr => false,
                unicode_bidi::Direction::Mixed => para.rtl,
            };
            if rtl != para.rtl {
                para.rtl = rtl;
                para.align = match para.align {
                    Align::Left => Align::Right,
                    Align::Right => Align::Left,
                    other => other,
                };
            }
        }
        let lines = self.set_paragraph(pieces, &para);
        let count = lines.len();
        for (i, mut line) in lines.into_iter().enumerate() {
            let (ascent, descent) = (para.size * 0.95, para.size * 0.3);
            let baseline = (para.leading - (ascent + descent)) / 2.0 + ascent;
            let mut items = Vec::new();
            let offset = match para.align {
                Align::Justify | Align::Left => 0.0,
                Align::Center => (para.width - line.width) / 2.0,
                Align::Right => para.width - line.width,
            };
            let offset = if para.align == Align::Justify && para.rtl && i + 1 == count {
                para.width - line.width
            } else {
                offset
            };
            let mut link_rects: Vec<(usize, f32, f32, f32)> = Vec::new();
            for (fx, frag) in std::mem::take(&mut line.fragments) {
                let x = para.x + offset + fx;
                let rise = frag.style.rise * para.size;
                let run = TextRun {
                    x,
                    y: baseline - rise,
                    face: frag.face,
                    size: frag.size,
                    color: frag.style.color,
                    glyphs: frag.glyphs,
                };
                if frag.style.strike {
                    let y = baseline - rise - frag.size * 0.3;
                    items.push(Item::Line {
                        x1: x,
                        y1: y,
                        x2: x + frag.width,
                        y2: y,
                        width: frag.size * 0.06,
                        color: frag.style.color,
                    });
                }
                if let Some(link) = frag.style.link {
                    match link_rects.last_mut() {
                        Some((l, _, x2, _)) if *l == link && x - *x2 < para.size * 1.5 => {
                            *x2 = x + frag.width
                        }
                        _ => link_rects.push((link, x, x + frag.width, 0.0)),
                    }
                }
                items.push(Item::Text(run));
            }
            for (link, x1, x2, _) in link_rects {
                if let Some(target) = self.links.get(link) {
                    items.push(Item::Link {
                        x: x1,
                        y: baseline - para.size * 0.9,
                        w: x2 - x1,
                        h: para.size * 1.2,
                        target: target.clone(),
                    });
                }
            }
            let keep_with_next = keep || (count > 1 && (i == 0 || i + 2 == count));
            self.boxes.push(VBox {
                height: para.leading,
                space_before: if i == 0 { space_before } else { 0.0 },
                items,
                keep_with_next,
                weak_keep: line.hyphenated,
                notes: line.notes,
                bars: self.bars.clone(),
                ..VBox::default()
            });
        }
    }

    /// Breaks a paragraph into lines: shaping, hyphenation, total-fit breaking, bidi order.
    fn set_paragraph(&mut self, pieces: &[Piece], para: &ParaStyle) -> Vec<SetLine> {
        // 1. Plain text with style spans, note markers replaced by their numbers.
        let mut text = String::new();
        let mut spans: Vec<(usize, usize, RunStyle)> = Vec::new();
        let mut forced: Vec<usize> = Vec::new();
        let mut note_at: Vec<(usize, usize)> = Vec::new();
        let mut soft_hyphens: Vec<usize> = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Text(t, style) => {
                    let start = text.len();
                    if let Some(rest) = t.strip_prefix(NOTE_MARK) {
                        let (index, number) = rest.split_once(NOTE_MARK).unwrap_or(("0", rest));
                        note_at.push((start, index.parse().unwrap_or(0)));
                        text.push_str(number);
                    } else {
                        for c in t.chars() {
                            // Collapse what the model guarantees is collapsed; drop controls.
                            // A soft hyphen is the author's hyphenation point, not a glyph.
                            if c == '\n' || c == '\t' {
                                text.push(' ');
                            } else if c == '\u{AD}' {
                                soft_hyphens.push(text.len());
                            } else if !c.is_control() {
                                text.push(c);
                            }
                        }
                    }
                    if text.len() > start {
                        spans.push((start, text.len(), *style));
                    }
                }
                Piece::Break => forced.push(text.len()),
            }
        }
        if text.trim().is_empty() {
            return Vec::new();
        }
        let levels = bidi_levels(&text, para.rtl);
        // 2. Items: boxes for shaped fragments, glue for spaces, penalties for breaks.
        let mut items: Vec<KpItem> = Vec::new();
        let mut contents: Vec<Option<Fragment>> = Vec::new();
        let mut notes_of_item: Vec<(usize, usize)> = Vec::new();
        let hyphen_penalty = 50;
        if para.indent > 0.0 {
            items.push(KpItem::Box { width: para.indent });
            contents.push(None);
        }
        let mut opportunities: Vec<(usize, bool)> = unicode_linebreak::linebreaks(&text)
            .map(|(i, op)| (i, op == unicode_linebreak::BreakOpportunity::Mandatory))
            .collect();
        for &f in &forced {
            if f < text.len() && f > 0 {
                opportunities.push((f, true));
            }
        }
        opportunities.sort_by_key(|&(i, m)| (i, !m));
        opportunities.dedup_by_key(|o| o.0);
        let mut seg_start = 0;
        for &(end, mandatory) in &opportunities {
            if end <= seg_start && end != text.len() {
                continue;
            }
            let segment = &text[seg_start..end];
            let word_len = segment.trim_end().len();
            let word_end = seg_start + word_len;
            // The word: one fragment per style span (and per bidi level) it crosses.
            // The word's pieces: one per style span (and per bidi level) it crosses.
            let mut word_pieces: Vec<(usize, usize, RunStyle, u8)> = Vec::new();
            let mut pos = seg_start;
            while pos < word_end {
                let (span_end, style) = spans
                    .iter()
                    .find(|(s, e, _)| *s <= pos && pos < *e)
                    .map(|(_, e, st)| (*e, *st))
                    .unwrap_or((word_end, RunStyle::plain(FontStyle::BODY, BLACK)));
                let level = levels.get(pos).copied().unwrap_or(0);
                let mut piece_end = span_end.min(word_end);
                if let Some(change) = (pos..piece_end).find(|&i| {
                    text.is_char_boundary(i) && levels.get(i).copied().unwrap_or(0) != level
                }) {
                    piece_end = change;
                }
                word_pieces.push((pos, piece_end, style, level));
                pos = piece_end.max(pos + 1);
                while pos < word_end && !text.is_char_boundary(pos) {
                    pos += 1;
                }
            }
            // A word wider than the line (a URL, words joined by no-break spaces) may be
            // broken anywhere, whichever of its pieces is wide.
            let word_width: f32 = word_pieces
                .iter()
                .map(|&(from, to, style, _)| {
                    let face = self.shaper.fonts.face_for(style.font);
                    self.shaper.width(text.get(from..to).unwrap_or(""), face)
                        * para.size
                        * style.scale
                })
                .sum();
            let too_wide = word_width > para.width;
            for (k, &(from, to, style, level)) in word_pieces.iter().enumerate() {
                let piece = text.get(from..to).unwrap_or("");
                for (at, index) in &note_at {
                    if *at >= from && *at < to {
                        notes_of_item.push((items.len(), *index));
                    }
                }
                if k > 0 && too_wide {
                    items.push(KpItem::Penalty {
                        width: 0.0,
                        penalty: 500,
                        flagged: false,
                    });
                    contents.push(None);
                }
                let soft: Vec<usize> = soft_hyphens
                    .iter()
                    .filter(|&&at| at > from && at < to)
                    .map(|at| at - from)
                    .collect();
                self.push_word(
                    piece,
                    style,
                    level,
                    para,
                    &mut items,
                    &mut contents,
                    (too_wide, &soft),
                );
            }
            let is_end = end >= text.len();
            if mandatory || is_end {
                items.push(KpItem::Glue {
                    width: 0.0,
                    stretch: 1e5,
                    shrink: 0.0,
                });
                contents.push(None);
                items.push(KpItem::Penalty {
                    width: 0.0,
                    penalty: FORCE,
                    flagged: false,
                });
                contents.push(None);
            } else if word_len < segment.len() {
                let style = spans
                    .iter()
                    .find(|(s, e, _)| *s <= word_end && word_end < *e)
                    .map(|(_, _, st)| *st)
                    .unwrap_or(RunStyle::plain(FontStyle::BODY, BLACK));
                let size = para.size * style.scale;
                let face = self.shaper.fonts.face_for(style.font);
                let space = self.shaper.width(" ", face) * size;
                let (stretch, shrink) = if para.align == Align::Justify {
                    (space * 0.6, space * 0.3)
                } else {
                    (0.0, 0.0)
                };
                items.push(KpItem::Glue {
                    width: space,
                    stretch,
                    shrink,
                });
                contents.push(None);
            } else if word_len > 0 && is_ideographic_break(&text[..end], &text[end..]) {
                // Between CJK characters: no space, but a line may break and, when
                // justified, stretch a little here.
                let stretch = if para.align == Align::Justify {
                    para.size * 0.15
                } else {
                    0.0
                };
                items.push(KpItem::Glue {
                    width: 0.0,
                    stretch,
                    shrink: 0.0,
                });
                contents.push(None);
            } else if word_len > 0 {
                // A break inside a word (after a hyphen or dash, or in a URL).
                let flagged = segment.ends_with(['-', '\u{2010}', '\u{2013}', '\u{2014}']);
                items.push(KpItem::Penalty {
                    width: 0.0,
                    penalty: if flagged { hyphen_penalty } else { 100 },
                    flagged,
                });
                contents.push(None);
            }
            seg_start = end;
            if is_end {
                break;
            }
        }
        // 3. Breaks.
        let widths = [para.width];
        let breaks = if para.align == Align::Justify {
            // Tight first; looser only when the words leave no choice (long words, no
            // hyphenation patterns); first-fit, stretched, when even that fails.
            [2.0, 5.0, 1e6]
                .iter()
                .find_map(|&tolerance| {
                    let params = Params {
                        tolerance,
                        ..Params::default()
                    };
                    linebreak::break_lines(&items, &widths, &params)
                })
                .unwrap_or_else(|| {
                    let mut breaks = linebreak::break_greedy(&items, &widths);
                    linebreak::set_ratios(&items, &mut breaks, &widths);
                    breaks
                })
        } else {
            linebreak::break_greedy(&items, &widths)
        };
        // 4. Lines.
        let mut lines = Vec::new();
        let mut start = 0;
        for (n, brk) in breaks.iter().enumerate() {
            let last_line = n + 1 == breaks.len();
            let mut line = SetLine::default();
            let mut x = 0.0f32;
            let mut placed: Vec<(f32, Fragment)> = Vec::new();
            let mut gaps_after: Vec<f32> = Vec::new();
            let end = brk.at.min(items.len());
            for (i, item) in items.iter().enumerate().take(end).skip(start) {
                match *item {
                    KpItem::Box { width } => {
                        // Each item belongs to one line: move its fragment out.
                        if let Some(frag) = contents.get_mut(i).and_then(Option::take) {
                            placed.push((x, frag));
                            gaps_after.push(0.0);
                        }
                        x += width;
                    }
                    KpItem::Glue {
                        width,
                        stretch,
                        shrink,
                    } => {
                        let w = if stretch >= 1e4 {
                            width
                        } else if brk.ratio >= 0.0 {
                            width + brk.ratio * stretch
                        } else {
                            width + brk.ratio * shrink
                        };
                        if let Some(g) = gaps_after.last_mut() {
                            *g += w;
                        }
                        x += w;
                    }
                    KpItem::Penalty { .. } => {}
                }
                for (item, note) in &notes_of_item {
                    if *item == i {
                        line.notes.push(*note);
                    }
                }
            }
            // A hyphen where the line ends inside a word.
            if let Some(KpItem::Penalty { width, .. }) = items.get(brk.at) {
                if *width > 0.0 {
                    if let Some((_, last)) = placed.last() {
                        let hyphen = self.hyphen_fragment(last.style, last.level, para);
                        placed.push((x, hyphen));
                        gaps_after.push(0.0);
                        x += width;
                        line.hyphenated = true;
                    }
                }
            }
            line.width = if para.align == Align::Justify && !last_line {
                para.width
            } else {
                x
            };
            if levels.iter().any(|l| l % 2 == 1) {
                placed = reorder_visual(placed, &gaps_after);
            }
            line.fragments = placed;
            lines.push(line);
            start = brk.at + 1;
            while start < items.len() && !matches!(items[start], KpItem::Box { .. }) {
                if let KpItem::Penalty { penalty, .. } = items[start] {
                    if penalty <= FORCE {
                        break;
                    }
                }
                start += 1;
            }
        }
        lines
    }

    fn hyphen_fragment(&mut self, style: RunStyle, level: u8, para: &ParaStyle) -> Fragment {
        let size = para.size * style.scale;
        let face = self.shaper.fonts.face_for(style.font);
        let glyphs = self.shaper.shape("-", face, false);
        let placed = place_glyphs("-", &glyphs, size);
        let width = placed.iter().map(|g| g.advance).sum();
        Fragment {
            glyphs: placed,
            face: glyphs.first().map_or(face, |g| g.face),
            size,
            style,
            width,
            level,
        }
    }

    /// Shapes a word (or the part of one in one style) into boxes, with hyphenation
    /// penalties between its syllables and emergency breaks if it is wider than the line.
    #[allow(clippy::too_many_arguments)]
    fn push_word(
        &mut self,
        word: &str,
        style: RunStyle,
        level: u8,
        para: &ParaStyle,
        items: &mut Vec<KpItem>,
        contents: &mut Vec<Option<Fragment>>,
        (word_too_wide, soft_hyphens): (bool, &[usize]),
    ) {
        let hyphen_penalty = 50;
        if word.is_empty() {
            return;
        }
        let size = para.size * style.scale;
        let face = self.shaper.fonts.face_for(style.font);
        let rtl = level % 2 == 1;
        let glyphs = self.shaper.shape(word, face, rtl);
        // Split points: hyphenation inside alphabetic runs (left-to-right text only).
        let mut points: Vec<usize> = Vec::new();
        if para.hyphenate
            && !rtl
            && para.align == Align::Justify
            && style.font.family != Family::Mono
        {
            if !soft_hyphens.is_empty() {
                // The author's soft hyphens replace the patterns (as in TeX).
                points.extend_from_slice(soft_hyphens);
            } else if let Some(h) = self.hyphenation {
                let mut run_start = None;
                for (i, c) in word
                    .char_indices()
                    .chain(std::iter::once((word.len(), ' ')))
                {
                    if c.is_alphabetic() {
                        run_start.get_or_insert(i);
                    } else if let Some(s) = run_start.take() {
                        let syllables = &word[s..i];
                        let found = match self.hyphen_cache.get(syllables) {
                            Some(found) => found.clone(),
                            None => {
                                let found = h.points(syllables);
                                self.hyphen_cache
                                    .insert(syllables.to_string(), found.clone());
                                found
                            }
                        };
                        points.extend(found.into_iter().map(|p| s + p));
                    }
                }
            }
        }
        let total: f32 = glyphs.iter().map(|g| g.advance).sum::<f32>() * size;
        // (Right-to-left words come in visual order and are not split.)
        let emergency = (total > para.width || word_too_wide) && !rtl;
        if emergency {
            // Break anywhere between clusters rather than run off the page.
            points = word
                .char_indices()
                .map(|(i, _)| i)
                .filter(|&i| i > 0)
                .collect();
        }
        // Only points that fall on a cluster boundary (not inside a ligature).
        let boundaries: Vec<usize> = glyphs.iter().map(|g| g.cluster).collect();
        points.retain(|p| boundaries.contains(p));
        let hyphen_width = if points.is_empty() || emergency {
            0.0
        } else {
            self.shaper.width("-", face) * size
        };
        let mut cut_start = 0usize;
        let mut glyph_start = 0usize;
        let cuts: Vec<usize> = points
            .iter()
            .copied()
            .chain(std::iter::once(word.len()))
            .collect();
        for (k, &cut) in cuts.iter().enumerate() {
            let glyph_end = if cut >= word.len() {
                glyphs.len()
            } else {
                glyphs
                    .iter()
                    .position(|g| g.cluster >= cut)
                    .unwrap_or(glyphs.len())
            };
            if glyph_end <= glyph_start {
                continue;
            }
            let slice = &glyphs[glyph_start..glyph_end];
            let part = &word[cut_start..cut.min(word.len())];
            let texts = cluster_texts(part, &rebase(slice, cut_start));
            let placed: Vec<PlacedGlyph> = slice
                .iter()
                .zip(texts)
                .map(|(g, t)| PlacedGlyph {
                    gid: g.gid,
                    advance: g.advance * size,
                    x_offset: g.x_offset * size,
                    y_offset: g.y_offset * size,
                    text: t,
                })
                .collect();
            // A fallback face may set part of the word: one fragment per face.
            let mut start = 0;
            while start < slice.len() {
                let f = slice[start].face;
                let end = slice[start..]
                    .iter()
                    .position(|g| g.face != f)
                    .map_or(slice.len(), |p| start + p);
                let sub: Vec<PlacedGlyph> = placed[start..end].to_vec();
                let w: f32 = sub.iter().map(|g| g.advance).sum();
                items.push(KpItem::Box { width: w });
                contents.push(Some(Fragment {
                    glyphs: sub,
                    face: f,
                    size,
                    style,
                    width: w,
                    level,
                }));
                start = end;
            }
            if k + 1 < cuts.len() {
                items.push(KpItem::Penalty {
                    width: hyphen_width,
                    penalty: if emergency { 500 } else { hyphen_penalty },
                    flagged: !emergency,
                });
                contents.push(None);
            }
            cut_start = cut;
            glyph_start = glyph_end;
        }
    }
}

/// Marks a note reference inside a piece of text (never in real text: it is a noncharacter).
const NOTE_MARK: char = '\u{FDD0}';

fn rebase(glyphs: &[ShapedGlyph], by: usize) -> Vec<ShapedGlyph> {
    glyphs
        .iter()
        .map(|g| ShapedGlyph {
            cluster: g.cluster.saturating_sub(by),
            ..g.clone()
        })
        .collect()
}

fn place_glyphs(text: &str, glyphs: &[ShapedGlyph], size: f32) -> Vec<PlacedGlyph> {
    let texts = cluster_texts(text, glyphs);
    glyphs
        .iter()
        .zip(texts)
        .map(|(g, t)| PlacedGlyph {
            gid: g.gid,
            advance: g.advance * size,
            x_offset: g.x_offset * size,
            y_offset: g.y_offset * size,
            text: t,
        })
        .collect()
}

fn make_run(
    text: &str,
    glyphs: &[ShapedGlyph],
    face: FaceId,
    size: f32,
    color: Color,
    x: f32,
    y: f32,
) -> TextRun {
    TextRun {
        x,
        y,
        face: glyphs.first().map_or(face, |g| g.face),
        size,
        color,
        glyphs: place_glyphs(text, glyphs, size),
    }
}

/// Bidi embedding level of every byte of `text` (UAX #9).
fn bidi_levels(text: &str, rtl: bool) -> Vec<u8> {
    let has_rtl = text
        .chars()
        .any(|c| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF));
    if !has_rtl && !rtl {
        return Vec::new();
    }
    let base = if rtl {
        Some(unicode_bidi::Level::rtl())
    } else {
        Some(unicode_bidi::Level::ltr())
    };
    let info = unicode_bidi::BidiInfo::new(text, base);
    info.levels.iter().map(|l| l.number()).collect()
}

/// Puts a line's fragments (logical order, x positions) in visual order (UAX #9 rule L2):
/// every maximal run at level ≥ k is reversed, for k from the highest level down to 1.
fn reorder_visual(placed: Vec<(f32, Fragment)>, gaps_after: &[f32]) -> Vec<(f32, Fragment)> {
    if placed.is_empty() {
        return placed;
    }
    let mut order: Vec<usize> = (0..placed.len()).collect();
    let max = placed.iter().map(|(_, f)| f.level).max().unwrap_or(0);
    let min_odd = placed
        .iter()
        .map(|(_, f)| f.level)
        .filter(|l| l % 2 == 1)
        .min()
        .unwrap_or(1);
    let mut k = max;
    while k >= min_odd.max(1) {
        let mut i = 0;
        while i < order.len() {
            if placed[order[i]].1.level >= k {
                let mut j = i;
                while j < order.len() && placed[order[j]].1.level >= k {
                    j += 1;
                }
                order[i..j].reverse();
                i = j;
            } else {
                i += 1;
            }
        }
        k -= 1;
    }
    let mut x = 0.0;
    let mut out = Vec::with_capacity(placed.len());
    for (n, &i) in order.iter().enumerate() {
        let frag = placed[i].1.clone();
        let w = frag.width;
        out.push((x, frag));
        // The space between two neighbours is the one that separated them logically.
        let gap = order
            .get(n + 1)
            .map(|&next| gaps_after.get(i.min(next)).copied().unwrap_or(0.0))
            .unwrap_or(0.0);
        x += w + gap;
    }
    out
}

/// Cuts a table row taller than `limit` into slices no taller than it, between lines of
/// every cell where possible (else through them), so no row runs off the bottom of a page.
fn split_tall_row(row: VBox, spans: &[(f32, f32)], limit: f32) -> Vec<VBox> {
    if row.height <= limit || limit <= 1.0 {
        return vec![row];
    }
    let safe = |y: f32| spans.iter().all(|&(a, b)| y <= a + 0.01 || y >= b - 0.01);
    let mut cuts = vec![0.0f32];
    let mut start = 0.0f32;
    while row.height - start > limit {
        let best = spans
            .iter()
            .flat_map(|&(a, b)| [a, b])
            .filter(|&y| y > start + limit * 0.25 && y <= start + limit && safe(y))
            .fold(None, |m: Option<f32>, y| Some(m.map_or(y, |m| m.max(y))));
        start = best.unwrap_or(start + limit);
        cuts.push(start);
    }
    cuts.push(row.height);
    let mut slices: Vec<VBox> = cuts
        .windows(2)
        .map(|w| VBox {
            height: w[1] - w[0],
            bars: row.bars.clone(),
            table_head: row.table_head,
            ..VBox::default()
        })
        .collect();
    let last = slices.len() - 1;
    for item in row.items {
        let top = item.bounds().1;
        let k = cuts[1..]
            .iter()
            .position(|&c| top < c - 0.01)
            .unwrap_or(last)
            .min(last);
        let mut item = item;
        item.shift(-cuts[k]);
        slices[k].items.push(item);
    }
    slices[0].space_before = row.space_before;
    slices[last].keep_with_next = row.keep_with_next;
    // Notes go with the first slice (their markers are most likely there).
    slices[0].notes = row.notes;
    slices
}

/// A cell's text as it will be set, images included (as their alt-text frames).
fn cell_text(blocks: &[Block]) -> String {
    let mut text = crate::model::Document::new(Meta::default(), blocks.to_vec()).plain_text(4096);
    let mut stack: Vec<&Block> = blocks.iter().collect();
    while let Some(block) = stack.pop() {
        match block {
            Block::Figure(figure) => {
                text.push_str(" [image: ");
                text.push_str(if figure.image.alt.trim().is_empty() {
                    &figure.image.src
                } else {
                    &figure.image.alt
                });
                text.push(']');
            }
            Block::Quote(inner) | Block::Container { blocks: inner, .. } => stack.extend(inner),
            Block::List(list) => stack.extend(list.items.iter().flatten()),
            _ => {}
        }
    }
    text
}

/// Is the break between `before` and `after` one between CJK characters (which are set
/// without spaces)?
fn is_ideographic_break(before: &str, after: &str) -> bool {
    let wide = |c: char| {
        matches!(c as u32,
            0x1100..=0x11FF | 0x2E80..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF
            | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
    };
    before.chars().next_back().is_some_and(wide) || after.chars().next().is_some_and(wide)
}

fn is_followable(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// The file name in an image reference, without query or fragment, for alt-text frames.
fn short_src(src: &str) -> String {
    let path = src.split(['?', '#']).next().unwrap_or(src);
    let name = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(path);
    name.chars().take(60).collect()
}

/// `text`, cut at a word and ended with an ellipsis if it is wider than `limit`.
fn fit_with_ellipsis(
    shaper: &mut Shaper<'_, '_>,
    text: &str,
    face: FaceId,
    size: f32,
    limit: f32,
) -> String {
    if shaper.width(text, face) * size <= limit {
        return text.to_string();
    }
    let mut cut = text.len();
    while let Some(space) = text[..cut].rfind(' ') {
        cut = space;
        let candidate = format!("{}…", text[..cut].trim_end());
        if shaper.width(&candidate, face) * size <= limit {
            return candidate;
        }
    }
    String::new()
}

/// Column widths: natural widths if they fit, else minimums plus the rest shared in
/// proportion to how much more each column would like; scaled down if even that is too wide.
fn column_widths(natural: &[f32], minimum: &[f32], available: f32) -> Vec<f32> {
    let natural_total: f32 = natural.iter().sum();
    if natural_total <= available {
        // Spread the spare room so the table spans the column.
        let spare = available - natural_total;
        return natural
            .iter()
            .map(|w| w + spare * w / natural_total.max(1.0))
            .collect();
    }
    let min_total: f32 = minimum.iter().sum();
    if min_total >= available {
        // Not even the longest words fit: keep narrow columns whole and cap the wide ones
        // at one common width (their words will be broken), found by bisection.
        let (mut low, mut high) = (0.0f32, minimum.iter().copied().fold(0.0, f32::max));
        for _ in 0..40 {
            let cap = (low + high) / 2.0;
            let total: f32 = minimum.iter().map(|m| m.min(cap)).sum();
            if total > available {
                high = cap;
            } else {
                low = cap;
            }
        }
        return minimum.iter().map(|m| m.min(low)).collect();
    }
    let want: f32 = natural
        .iter()
        .zip(minimum)
        .map(|(n, m)| (n - m).max(0.0))
        .sum();
    let spare = available - min_total;
    natural
        .iter()
        .zip(minimum)
        .map(|(n, m)| {
            m + if want > 0.0 {
                spare * (n - m).max(0.0) / want
            } else {
                spare / natural.len() as f32
            }
        })
        .collect()
}

/// Cuts the vertical list into pages.
fn paginate(geo: &Geometry, boxes: Vec<VBox>, notes: &[Vec<VBox>], heads: &[Vec<VBox>]) -> Laid {
    let body_top = geo.top;
    let body_bottom = geo.height - geo.bottom;
    let note_gap = geo.leading * 0.8;
    let note_height = |n: usize| -> f32 {
        notes
            .get(n)
            .map_or(0.0, |b| b.iter().map(|x| x.height + x.space_before).sum())
    };
    // Phase 1: which boxes go on which page. `seq` is the order boxes are placed in: the
    // document's, except that a figure that does not fit may float to the next page while
    // the text after it fills this one.
    let mut seq: Vec<usize> = (0..boxes.len()).collect();
    let mut floated: std::collections::HashSet<usize> = std::collections::HashSet::new();
    let extra_notes_for = |b: &VBox, notes_used: f32| -> f32 {
        let extra: f32 = b.notes.iter().map(|&n| note_height(n)).sum();
        if extra > 0.0 && notes_used == 0.0 {
            extra + note_gap
        } else {
            extra
        }
    };
    let mut pages: Vec<(Vec<usize>, Option<usize>)> = Vec::new(); // (box indices, repeated head)
    let mut k = 0;
    while k < seq.len() {
        let page_start = k;
        let head = boxes[seq[k]].table_head;
        let mut used = head.map_or(0.0, |h| {
            heads
                .get(h)
                .map_or(0.0, |hb| hb.iter().map(|b| b.height).sum())
        });
        let mut notes_used = 0.0f32;
        let mut members = Vec::new();
        while k < seq.len() {
            let b = &boxes[seq[k]];
            if b.page_break && k > page_start {
                break;
            }
            let space = if members.is_empty() && head.is_none() {
                0.0
            } else {
                b.space_before
            };
            let extra_notes = extra_notes_for(b, notes_used);
            let fits =
                body_top + used + space + b.height + notes_used + extra_notes <= body_bottom + 0.01;
            if !fits && !members.is_empty() {
                if b.float && floated.insert(seq[k]) {
                    // The figure and its caption go to the next page; the text after them
                    // (up to a clean break, within the section) fills this one.
                    let mut group = 1;
                    while k + group < seq.len() && boxes[seq[k + group - 1]].keep_with_next {
                        group += 1;
                    }
                    let mut room = body_bottom - (body_top + used + notes_used);
                    let mut fill = 0;
                    let mut clean = 0;
                    let mut notes_so_far = notes_used;
                    while k + group + fill < seq.len() {
                        let next = &boxes[seq[k + group + fill]];
                        if next.float || next.outline.is_some() || next.page_break {
                            break;
                        }
                        let extra = extra_notes_for(next, notes_so_far);
                        let need = next.space_before + next.height + extra;
                        if need > room + 0.01 {
                            break;
                        }
                        room -= need;
                        notes_so_far += extra;
                        fill += 1;
                        if !next.keep_with_next && !next.weak_keep {
                            clean = fill;
                        }
                    }
                    if clean > 0 {
                        seq[k..k + group + clean].rotate_left(group);
                        continue;
                    }
                }
                // Move the chain of kept boxes that ends here to the next page, unless the
                // chain fills the whole page.
                let mut j = k;
                while j > page_start && boxes[seq[j - 1]].keep_with_next {
                    j -= 1;
                }
                // Avoid a word split across pages by giving one more line to the next
                // page, if that line is free to go (TeX's \brokenpenalty).
                if j > page_start + 1 && boxes[seq[j - 1]].weak_keep {
                    let before = &boxes[seq[j - 2]];
                    if !before.keep_with_next && !before.weak_keep {
                        j -= 1;
                    }
                }
                if j > page_start {
                    members.truncate(j - page_start);
                    k = j;
                }
                break;
            }
            used += space + b.height;
            notes_used += extra_notes;
            members.push(seq[k]);
            k += 1;
        }
        if members.is_empty() {
            // A box taller than the page: it gets a page of its own.
            members.push(seq[k]);
            k += 1;
        }
        pages.push((members, head));
    }
    // Phase 2: positions.
    let mut laid = Laid {
        width: geo.width,
        height: geo.height,
        pages: Vec::new(),
        outline: Vec::new(),
    };
    let mut note_places: HashMap<usize, (usize, f32)> = HashMap::new();
    let mut anchors: HashMap<String, (usize, f32)> = HashMap::new();
    for (page_index, (members, head)) in pages.iter().enumerate() {
        let mut page = Page::default();
        let mut y = body_top;
        let mut page_notes: Vec<usize> = Vec::new();
        let mut previous_bars: Vec<f32> = Vec::new();
        if let Some(h) = head {
            if let Some(first) = members.first() {
                if boxes[*first].table_head.is_some() {
                    for hb in heads.get(*h).map(|v| v.as_slice()).unwrap_or(&[]) {
                        for item in &hb.items {
                            let mut item = item.clone();
                            item.shift(y);
                            page.items.push(item);
                        }
                        y += hb.height;
                    }
                }
            }
        }
        for (k, &bi) in members.iter().enumerate() {
            let b = &boxes[bi];
            let space = if k == 0 && head.is_none() {
                0.0
            } else {
                b.space_before
            };
            let bar_top = y;
            y += space;
            for &bx in &b.bars {
                let from = if previous_bars.contains(&bx) {
                    bar_top
                } else {
                    y
                };
                page.items.push(Item::Line {
                    x1: bx,
                    y1: from,
                    x2: bx,
                    y2: y + b.height,
                    width: 1.5,
                    color: LIGHT,
                });
            }
            previous_bars.clone_from(&b.bars);
            for item in &b.items {
                let mut item = item.clone();
                item.shift(y);
                page.items.push(item);
            }
            if let Some(anchor) = &b.anchor {
                anchors.entry(anchor.clone()).or_insert((page_index, y));
            }
            if let Some((level, title)) = &b.outline {
                laid.outline.push(OutlineEntry {
                    level: *level,
                    title: title.clone(),
                    page: page_index,
                    y,
                });
            }
            page_notes.extend(b.notes.iter().copied());
            y += b.height;
        }
        if !page_notes.is_empty() {
            let total: f32 = page_notes.iter().map(|&n| note_height(n)).sum();
            let mut ny = body_bottom - total;
            let rule_y = ny - note_gap * 0.5;
            page.items.push(Item::Line {
                x1: geo.left,
                y1: rule_y,
                x2: geo.left + geo.measure() * 0.3,
                y2: rule_y,
                width: 0.5,
                color: GREY,
            });
            for n in page_notes {
                note_places.insert(n, (page_index, ny));
                for (k, nb) in notes
                    .get(n)
                    .map(|v| v.as_slice())
                    .unwrap_or(&[])
                    .iter()
                    .enumerate()
                {
                    if k > 0 {
                        ny += nb.space_before;
                    }
                    for item in &nb.items {
                        let mut item = item.clone();
                        item.shift(ny);
                        page.items.push(item);
                    }
                    ny += nb.height;
                }
            }
        }
        laid.pages.push(page);
    }
    // Footnote markers point at their notes, `#id` links at their headings; a link whose
    // target is not in the document is dropped (its text stays).
    for page in &mut laid.pages {
        page.items.retain_mut(|item| {
            let Item::Link { target, .. } = item else {
                return true;
            };
            let place = match target {
                LinkTarget::Note(n) => note_places.get(n),
                LinkTarget::Anchor(id) => anchors.get(id),
                _ => return true,
            };
            match place {
                Some(&(page, y)) => {
                    *target = LinkTarget::Internal { page, y };
                    true
                }
                None => false,
            }
        });
    }
    laid
}

/// Adds the running header (the title, from page 2 on) and page numbers.
fn page_furniture(laid: &mut Laid, geo: &Geometry, meta: &Meta, shaper: &mut Shaper<'_, '_>) {
    // Running header (the title, from page 2) and page numbers.
    let size = geo.size * 0.75;
    let face = shaper.fonts.face_for(FontStyle {
        family: Family::Sans,
        bold: false,
        italic: false,
    });
    let title: String = meta
        .title
        .as_deref()
        .unwrap_or("")
        .chars()
        .take(90)
        .collect();
    let page_count = laid.pages.len();
    for (n, page) in laid.pages.iter_mut().enumerate() {
        let number = (n + 1).to_string();
        let glyphs = shaper.shape(&number, face, false);
        let mut run = make_run(
            &number,
            &glyphs,
            face,
            size,
            GREY,
            0.0,
            geo.height - geo.bottom * 0.45,
        );
        run.x = (geo.width - run.width()) / 2.0;
        page.items.push(Item::Text(run));
        if n > 0 && !title.trim().is_empty() && page_count > 1 {
            let header = fit_with_ellipsis(shaper, &title, face, size, geo.measure());
            let glyphs = shaper.shape(&header, face, false);
            let run = make_run(&header, &glyphs, face, size, GREY, geo.left, geo.top * 0.55);
            page.items.push(Item::Text(run));
            let y = geo.top * 0.55 + size * 0.5;
            page.items.push(Item::Line {
                x1: geo.left,
                y1: y,
                x2: geo.width - geo.right,
                y2: y,
                width: 0.3,
                color: LIGHT,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fonts::UserFonts;
    use super::*;
    use crate::model::Meta;

    fn lay(document: &Document, options: &PdfOptions) -> Laid {
        let user = UserFonts::default();
        let fonts = FontSet::new(&user, &mut Vec::new());
        layout(
            document,
            options,
            &fonts,
            &ImageInfo::default(),
            &mut Vec::new(),
        )
    }

    fn runs(page: &Page) -> Vec<&TextRun> {
        page.items
            .iter()
            .filter_map(|i| match i {
                Item::Text(run) => Some(run),
                _ => None,
            })
            .collect()
    }

    /// Body lines of a page: (baseline, left, right), from the runs between the margins.
    fn lines(page: &Page, geo: &Geometry) -> Vec<(f32, f32, f32)> {
        let mut by_line: Vec<(f32, f32, f32)> = Vec::new();
        for run in runs(page) {
            // Superscripts ride on their line; page furniture is outside the body.
            if run.y < geo.top || run.y > geo.height - geo.bottom || run.size < geo.size * 0.75 {
                continue;
            }
            let (l, r) = (run.x, run.x + run.width());
            match by_line.iter_mut().find(|(y, _, _)| (y - run.y).abs() < 2.5) {
                Some(line) => {
                    line.1 = line.1.min(l);
                    line.2 = line.2.max(r);
                }
                None => by_line.push((run.y, l, r)),
            }
        }
        by_line
    }

    fn long_document() -> Document {
        let words =
            "The committee reaffirmed its affinity for efficient and flawless workflows while \
                     difficult negotiations about infrastructure and representation continued";
        let mut blocks = Vec::new();
        for section in 0..12 {
            blocks.push(Block::Heading {
                level: 2,
                id: format!("s{section}"),
                content: vec![Inline::text(format!("Section {section}"))],
            });
            for p in 0..(section % 4 + 1) {
                let mut inlines = vec![Inline::text(format!("{p} {words} {words} {words}."))];
                if p == 1 {
                    inlines.push(Inline::Note(vec![Block::Paragraph(vec![Inline::text(
                        format!("Note {section}"),
                    )])]));
                }
                blocks.push(Block::Paragraph(inlines));
            }
        }
        Document::new(
            Meta {
                title: Some("A long test".into()),
                language: Some("en".into()),
                ..Meta::default()
            },
            blocks,
        )
    }

    /// Every kind of block, with a table long enough to cross pages.
    fn mixed_document() -> Document {
        let mut doc = long_document();
        let row = |i: usize| {
            crate::model::Row {
            cells: vec![
                crate::model::Cell::from_inlines(vec![Inline::text(format!("row {i}"))]),
                crate::model::Cell::from_inlines(vec![Inline::text("a somewhat longer cell that has to wrap inside its column when the page is narrow")]),
            ],
        }
        };
        let extra = vec![
            Block::Code { language: None, text: format!("let s = \"{}\";\n\tindented();", "long ".repeat(60)) },
            Block::Quote(vec![Block::Paragraph(vec![Inline::text("A quoted paragraph that runs on for a while so that it wraps onto a second line at least.")])]),
            Block::List(crate::model::List {
                ordered: true,
                start: 9,
                tight: false,
                items: (0..5).map(|i| vec![Block::Paragraph(vec![Inline::text(format!("Item {i} with some words in it"))])]).collect(),
            }),
            Block::Table(Box::new(crate::model::Table {
                caption: vec![Inline::text("A long table")],
                alignments: vec![],
                head: vec![crate::model::Row {
                    cells: vec![
                        crate::model::Cell::from_inlines(vec![Inline::text("Key")]),
                        crate::model::Cell::from_inlines(vec![Inline::text("Value")]),
                    ],
                }],
                body: (0..70).map(row).collect(),
            })),
            Block::Rule,
        ];
        let at = doc.blocks.len() / 2;
        doc.blocks.splice(at..at, extra);
        doc
    }

    #[test]
    fn table_headers_repeat_on_every_page_the_table_crosses() {
        for size in [super::super::PageSize::A4, super::super::PageSize::Ereader] {
            let options = PdfOptions {
                page_size: size,
                ..PdfOptions::default()
            };
            let laid = lay(&mixed_document(), &options);
            let text_of = |run: &TextRun| {
                run.glyphs
                    .iter()
                    .map(|g| g.text.as_str())
                    .collect::<String>()
            };
            let pages_with_rows: Vec<usize> = (0..laid.pages.len())
                .filter(|&n| runs(&laid.pages[n]).iter().any(|r| text_of(r) == "row"))
                .collect();
            assert!(
                pages_with_rows.len() >= 2,
                "{size:?}: the table should cross a page"
            );
            for n in pages_with_rows {
                assert!(
                    runs(&laid.pages[n]).iter().any(|r| text_of(r) == "Key"),
                    "{size:?}: page {n} has rows but no header"
                );
            }
        }
    }

    #[test]
    fn everything_stays_inside_the_page_and_lines_do_not_overlap() {
        for size in [
            super::super::PageSize::A4,
            super::super::PageSize::Ereader,
            super::super::PageSize::A5,
        ] {
            let options = PdfOptions {
                page_size: size,
                ..PdfOptions::default()
            };
            let geo = Geometry::from_options(&options);
            let laid = lay(&mixed_document(), &options);
            assert!(laid.pages.len() > 2);
            for (n, page) in laid.pages.iter().enumerate() {
                for item in &page.items {
                    let (x, y, w, h) = item.bounds();
                    assert!(
                        x >= geo.left - 0.5 && x + w <= geo.width - geo.right + 0.5,
                        "page {n}: {item:?} outside the measure"
                    );
                    assert!(
                        y >= 0.0 && y + h <= geo.height,
                        "page {n}: {item:?} off the page"
                    );
                }
                // Body lines (between the margins) are at least a line apart.
                let mut baselines: Vec<f32> = lines(page, &geo).iter().map(|l| l.0).collect();
                baselines.sort_by(f32::total_cmp);
                for pair in baselines.windows(2) {
                    assert!(
                        pair[1] - pair[0] > geo.size * 0.7,
                        "page {n}: lines overlap at {pair:?}"
                    );
                }
                let bottom = baselines.last().copied().unwrap_or(0.0);
                assert!(
                    bottom <= geo.height - geo.bottom + 0.5,
                    "page {n}: text below the margin"
                );
            }
        }
    }

    #[test]
    fn justified_lines_fill_the_measure() {
        let options = PdfOptions::default();
        let geo = Geometry::from_options(&options);
        let laid = lay(&long_document(), &options);
        let mut full = 0;
        for page in &laid.pages {
            for (_, l, r) in lines(page, &geo) {
                // Every line either ends at the measure or is a last/heading/short line.
                if (r - (geo.left + geo.measure())).abs() < 0.05 {
                    full += 1;
                }
                assert!(r <= geo.left + geo.measure() + 0.05 && l >= geo.left - 0.05);
            }
        }
        assert!(full > 40, "only {full} full lines");
    }

    #[test]
    fn a_heading_is_never_the_last_thing_on_a_page_and_notes_are_on_their_page() {
        for size in [super::super::PageSize::A4, super::super::PageSize::Ereader] {
            let options = PdfOptions {
                page_size: size,
                ..PdfOptions::default()
            };
            let geo = Geometry::from_options(&options);
            let laid = lay(&long_document(), &options);
            for (n, page) in laid.pages.iter().enumerate() {
                let headings: Vec<f32> = laid
                    .outline
                    .iter()
                    .filter(|e| e.page == n)
                    .map(|e| e.y)
                    .collect();
                let body = lines(page, &geo);
                for y in headings {
                    let below = body.iter().filter(|l| l.0 > y + geo.size * 1.6).count();
                    assert!(
                        below >= 2,
                        "page {n}: heading at {y} has {below} lines under it"
                    );
                }
                // A note marker's number appears in a footnote on the same page.
                let note_links = page.items.iter().filter(|i| matches!(i, Item::Link { target: LinkTarget::Internal { page, .. }, .. } if *page == n)).count();
                let all_links = page
                    .items
                    .iter()
                    .filter(|i| matches!(i, Item::Link { .. }))
                    .count();
                assert_eq!(
                    note_links, all_links,
                    "page {n}: a footnote link leaves its page"
                );
            }
            let notes: usize = laid
                .pages
                .iter()
                .map(|p| {
                    p.items
                        .iter()
                        .filter(|i| matches!(i, Item::Link { .. }))
                        .count()
                })
                .sum();
            assert_eq!(notes, 12 - 12 / 4, "every note has its marker link");
        }
    }

    #[test]
    fn right_to_left_words_come_out_right_to_left() {
        // Hebrew needs a font the bundle lacks: layout still orders the runs, .notdef or not.
        let doc = Document::new(
            Meta {
                language: Some("he".into()),
                ..Meta::default()
            },
            vec![Block::Paragraph(vec![Inline::text("אחד שתיים שלוש")])],
        );
        let options = PdfOptions::default();
        let laid = lay(&doc, &options);
        let mut body: Vec<&TextRun> = runs(&laid.pages[0])
            .into_iter()
            .filter(|r| r.y < 400.0)
            .collect();
        body.sort_by(|a, b| a.x.total_cmp(&b.x));
        let words: Vec<String> = body
            .iter()
            .map(|r| r.glyphs.iter().map(|g| g.text.as_str()).collect::<String>())
            .collect();
        // Visual order left to right is the reverse of reading order; each word's glyphs
        // are reversed too, so compare the word sets by their characters.
        let rev = |s: &str| s.chars().rev().collect::<String>();
        assert_eq!(words.len(), 3, "{words:?}");
        assert_eq!(rev(&words[0]), "שלוש", "{words:?}");
        let texts: Vec<String> = words
            .iter()
            .map(|w| {
                let mut c: Vec<char> = w.chars().collect();
                c.sort();
                c.into_iter().collect()
            })
            .collect();
        let sorted = |s: &str| {
            let mut c: Vec<char> = s.chars().collect();
            c.sort();
            c.into_iter().collect::<String>()
        };
        assert_eq!(texts, vec![sorted("שלוש"), sorted("שתיים"), sorted("אחד")]);
        // Right-aligned last line: the rightmost word ends at the measure.
        let geo = Geometry::from_options(&options);
        let right = body.last().map(|r| r.x + r.width()).unwrap_or(0.0);
        assert!((right - (geo.left + geo.measure())).abs() < 0.5, "{right}");
    }

    #[test]
    fn column_widths_share_the_measure() {
        // Natural widths fit: spread to the full measure, proportions kept.
        let w = column_widths(&[100.0, 50.0], &[20.0, 10.0], 300.0);
        assert!((w.iter().sum::<f32>() - 300.0).abs() < 0.01 && (w[0] - 2.0 * w[1]).abs() < 0.01);
        // Between: every column gets at least its longest word.
        let w = column_widths(&[400.0, 100.0], &[50.0, 60.0], 300.0);
        assert!(w[0] >= 50.0 && w[1] >= 60.0 && (w.iter().sum::<f32>() - 300.0).abs() < 0.01);
        // Too narrow even for the words: narrow columns stay whole, wide ones are capped.
        let w = column_widths(&[500.0, 500.0, 40.0], &[200.0, 200.0, 40.0], 300.0);
        assert!(
            (w[2] - 40.0).abs() < 0.01 && (w[0] - 130.0).abs() < 0.1,
            "{w:?}"
        );
    }

    #[test]
    fn ragged_lines_keep_natural_spaces_and_narrow_unhyphenated_measures_go_ragged() {
        let options = PdfOptions {
            ragged: true,
            ..PdfOptions::default()
        };
        let geo = Geometry::from_options(&options);
        let laid = lay(&long_document(), &options);
        let body = lines(&laid.pages[0], &geo);
        let full = body
            .iter()
            .filter(|(_, _, r)| (r - (geo.left + geo.measure())).abs() < 0.05)
            .count();
        assert!(
            body.len() > 10 && full <= 1,
            "{full} of {} lines end at the measure",
            body.len()
        );
        // French on an e-reader page: no patterns, narrow measure, so ragged.
        let mut doc = long_document();
        doc.meta.language = Some("fr".into());
        let options = PdfOptions {
            page_size: super::super::PageSize::Ereader,
            ..PdfOptions::default()
        };
        let geo = Geometry::from_options(&options);
        let laid = lay(&doc, &options);
        let body = lines(&laid.pages[1], &geo);
        let full = body
            .iter()
            .filter(|(_, _, r)| (r - (geo.left + geo.measure())).abs() < 0.05)
            .count();
        assert!(full <= 1, "{full} justified lines");
    }

    #[test]
    fn outline_follows_headings_in_order() {
        let laid = lay(&long_document(), &PdfOptions::default());
        assert_eq!(laid.outline.len(), 12);
        assert_eq!(laid.outline[0].title, "Section 0");
        for pair in laid.outline.windows(2) {
            assert!((pair[0].page, pair[0].y) < (pair[1].page, pair[1].y));
        }
    }

    #[test]
    fn fragment_links_go_to_their_heading_and_dangling_ones_are_dropped() {
        let mut doc = long_document();
        doc.blocks.insert(
            0,
            Block::Paragraph(vec![
                Inline::Link {
                    url: "#s11".into(),
                    title: None,
                    content: vec![Inline::text("to the last section")],
                },
                Inline::text(" and "),
                Inline::Link {
                    url: "#nowhere".into(),
                    title: None,
                    content: vec![Inline::text("nowhere")],
                },
            ]),
        );
        let laid = lay(&doc, &PdfOptions::default());
        let target = laid
            .outline
            .iter()
            .find(|e| e.title == "Section 11")
            .map(|e| (e.page, e.y))
            .unwrap();
        let internal: Vec<(usize, f32)> = laid.pages[0]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Link {
                    target: LinkTarget::Internal { page, y },
                    ..
                } => Some((*page, *y)),
                _ => None,
            })
            .collect();
        assert!(
            internal.contains(&target),
            "{internal:?} should hold {target:?}"
        );
        for page in &laid.pages {
            assert!(page.items.iter().all(|i| !matches!(
                i,
                Item::Link {
                    target: LinkTarget::Anchor(_) | LinkTarget::Note(_),
                    ..
                }
            )));
        }
    }

    #[test]
    fn soft_hyphens_are_break_points_not_glyphs() {
        let word = "Donau\u{AD}dampf\u{AD}schiff\u{AD}fahrts\u{AD}gesell\u{AD}schaft";
        let text = format!("{word} {word} und {word} mit {word} oder {word}.");
        let doc = Document::new(
            Meta {
                language: Some("de".into()),
                ..Meta::default()
            },
            vec![Block::Paragraph(vec![Inline::text(text)])],
        );
        let options = PdfOptions {
            page_size: super::super::PageSize::A5,
            ..PdfOptions::default()
        };
        let laid = lay(&doc, &options);
        let texts: Vec<String> = runs(&laid.pages[0])
            .iter()
            .map(|r| r.glyphs.iter().map(|g| g.text.as_str()).collect())
            .collect();
        assert!(texts.iter().all(|t| !t.contains('\u{AD}')), "{texts:?}");
        assert!(
            texts.iter().any(|t| t == "-"),
            "no line broke at a soft hyphen: {texts:?}"
        );
    }

    #[test]
    fn cjk_text_breaks_between_characters_and_is_justified() {
        // No bundled font has these: they are .notdef boxes, but they still break and fill.
        let text = "中文排版需要在汉字之间断行并且两端对齐。".repeat(12);
        let doc = Document::new(
            Meta {
                language: Some("zh".into()),
                ..Meta::default()
            },
            vec![Block::Paragraph(vec![Inline::text(text)])],
        );
        let options = PdfOptions::default();
        let geo = Geometry::from_options(&options);
        let laid = lay(&doc, &options);
        let body = lines(&laid.pages[0], &geo);
        assert!(body.len() >= 3, "{body:?}");
        for (y, _, r) in &body[..body.len() - 1] {
            assert!(
                (r - (geo.left + geo.measure())).abs() < 0.5,
                "line at {y} ends at {r}"
            );
        }
    }

    #[test]
    fn a_figure_that_does_not_fit_floats_and_text_fills_the_page() {
        let para = |i: usize| {
            Block::Paragraph(vec![Inline::text(format!("Paragraph {i} says a few words, enough to fill two or three lines of text on a page of this size, and then it stops."))])
        };
        let mut blocks: Vec<Block> = (0..14).map(para).collect();
        blocks.push(Block::Figure(Box::new(crate::model::Figure {
            image: crate::model::Image {
                src: "a.png".into(),
                alt: "A".into(),
                title: None,
            },
            caption: vec![Inline::text("The caption")],
        })));
        blocks.extend((14..30).map(para));
        let doc = Document::new(
            Meta {
                language: Some("en".into()),
                ..Meta::default()
            },
            blocks,
        );
        let images = ImageInfo {
            by_src: HashMap::from([("a.png".to_string(), 0)]),
            sizes: vec![(800, 600)],
        };
        let user = UserFonts::default();
        let fonts = FontSet::new(&user, &mut Vec::new());
        let options = PdfOptions::default();
        let geo = Geometry::from_options(&options);
        let laid = layout(&doc, &options, &fonts, &images, &mut Vec::new());
        let image_page = laid
            .pages
            .iter()
            .position(|p| p.items.iter().any(|i| matches!(i, Item::Image { .. })))
            .unwrap();
        let image_y = laid.pages[image_page]
            .items
            .iter()
            .find_map(|i| match i {
                Item::Image { y, .. } => Some(*y),
                _ => None,
            })
            .unwrap();
        // The figure starts its page; the page before it is filled with the text after it.
        assert!(
            (image_y - geo.top).abs() < 1.0,
            "figure at {image_y}, not at the top"
        );
        let text_of = |run: &TextRun| {
            run.glyphs
                .iter()
                .map(|g| g.text.as_str())
                .collect::<String>()
        };
        let before: Vec<String> = runs(&laid.pages[image_page - 1])
            .iter()
            .map(|r| text_of(r))
            .collect();
        assert!(
            before.iter().any(|t| t == "14"),
            "the text after the figure did not move up: {before:?}"
        );
        let last_body = lines(&laid.pages[image_page - 1], &geo)
            .iter()
            .map(|l| l.0)
            .fold(0.0, f32::max);
        assert!(
            geo.height - geo.bottom - last_body < geo.leading * 3.0,
            "page before the figure is not full"
        );
    }

    #[test]
    fn a_table_row_taller_than_a_page_is_cut_between_lines() {
        let tall = crate::model::Cell {
            content: (0..150)
                .map(|i| Block::Paragraph(vec![Inline::text(format!("line {i}"))]))
                .collect(),
            colspan: 1,
            rowspan: 1,
        };
        let doc = Document::new(
            Meta::default(),
            vec![Block::Table(Box::new(crate::model::Table {
                caption: vec![],
                alignments: vec![],
                head: vec![],
                body: vec![crate::model::Row {
                    cells: vec![
                        crate::model::Cell::from_inlines(vec![Inline::text("key")]),
                        tall,
                    ],
                }],
            }))],
        );
        let options = PdfOptions::default();
        let geo = Geometry::from_options(&options);
        let laid = lay(&doc, &options);
        assert!(laid.pages.len() >= 3);
        let mut seen = 0;
        for page in &laid.pages {
            for run in runs(page) {
                let t: String = run.glyphs.iter().map(|g| g.text.as_str()).collect();
                if t == "line" {
                    seen += 1;
                    assert!(
                        run.y > geo.top && run.y < geo.height - geo.bottom,
                        "a line at {} is off the body",
                        run.y
                    );
                }
            }
        }
        assert_eq!(seen, 150);
    }

    #[test]
    fn russian_paragraphs_are_justified() {
        let text = "Государственная дума приняла законопроект о национальной безопасности, \
                    который предусматривает значительное увеличение финансирования армии и флота \
                    в ближайшие несколько лет, а также модернизацию вооружений.";
        for language in ["ru", "en"] {
            let doc = Document::new(
                Meta {
                    language: Some(language.into()),
                    ..Meta::default()
                },
                vec![Block::Paragraph(vec![Inline::text(text)])],
            );
            let options = PdfOptions::default();
            let geo = Geometry::from_options(&options);
            let laid = lay(&doc, &options);
            let body = lines(&laid.pages[0], &geo);
            assert!(body.len() >= 2, "{body:?}");
            for (y, l, r) in &body[..body.len() - 1] {
                assert!(
                    (l - geo.left).abs() < 0.5,
                    "{language} line at {y} starts at {l}"
                );
                assert!(
                    (r - (geo.left + geo.measure())).abs() < 0.5,
                    "{language} line at {y} ends at {r}"
                );
            }
        }
    }
}
