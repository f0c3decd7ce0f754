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
use crate::model::{inlines_to_plain, Alignment, Block, Direction, Document, Inline, Meta};
use std::collections::HashMap;

mod paginate;
mod paragraph;
mod table;

pub use paginate::Places;
use paginate::{page_furniture, resolve_links, Paginator};
use paragraph::make_run;

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
    /// The image has floated once (it does not float again).
    floated: bool,
    /// The first line of a footnote set in the text flow (too long for a page foot).
    note_start: Option<usize>,
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

impl<'s, 'f, 'a> Layouter<'s, 'f, 'a> {
    /// A layouter at the top of an empty first page, for a document with `meta`'s language
    /// and direction.
    fn new(
        shaper: &'s mut Shaper<'f, 'a>,
        geo: Geometry,
        meta: &Meta,
        ragged: bool,
        images: &'s ImageInfo,
    ) -> Self {
        let rtl = match meta.direction {
            Some(Direction::Rtl) => true,
            Some(Direction::Ltr) => false,
            _ => meta.language.as_deref().is_some_and(is_rtl_language),
        };
        Layouter {
            shaper,
            geo,
            hyphenation: Hyphenation::for_language(meta.language.as_deref()),
            hyphen_cache: HashMap::new(),
            ragged,
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
        }
    }
}

/// Lays out a document: all its pages, links resolved.
pub fn layout(
    document: &Document,
    options: &PdfOptions,
    fonts: &FontSet<'_>,
    images: &ImageInfo,
    warnings: &mut Vec<Warning>,
) -> Laid {
    let geo = Geometry::from_options(options);
    let mut pages = Vec::new();
    let places = layout_pages(document, options, fonts, images, warnings, &mut |page| {
        pages.push(page)
    });
    resolve_links(&mut pages, &places);
    Laid {
        width: geo.width,
        height: geo.height,
        pages,
        outline: places.outline,
    }
}

/// Lays out a document page by page: each page goes to `sink` as soon as it is made
/// (links to notes and headings still unresolved: see [`Places::resolve`]), so a long
/// document is never held laid out whole. Returns where the pages put the headings and
/// notes.
pub fn layout_pages(
    document: &Document,
    options: &PdfOptions,
    fonts: &FontSet<'_>,
    images: &ImageInfo,
    warnings: &mut Vec<Warning>,
    sink: &mut dyn FnMut(Page),
) -> Places {
    let mut shaper = Shaper::new(fonts);
    let geo = Geometry::from_options(options);
    let meta = &document.meta;
    let mut layouter = Layouter::new(&mut shaper, geo, meta, options.ragged, images);
    let mut paginator = Paginator::new(geo);
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
    let mut last = blocks.is_empty();
    let mut rest = blocks.iter();
    loop {
        // A top-level block's boxes are final once it is laid out: they go to the
        // paginator, which makes the pages nothing later can change.
        paginator.push(layouter.boxes.drain(..), &layouter.notes);
        while let Some(mut page) = paginator.next_page(&layouter.notes, &layouter.table_heads, last)
        {
            let n = paginator.pages_made() - 1;
            page_furniture(&mut page, n, &geo, meta, layouter.shaper);
            sink(page);
        }
        if last {
            break;
        }
        match rest.next() {
            Some(block) => layouter.block(block, x, width, 1),
            None => last = true,
        }
    }
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
    paginator.places
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

    /// Lays out blocks in the column `x..x+width`. `depth` counts nesting, which the writer's
    /// entry has checked to be at most [`MAX_DEPTH`](crate::model::MAX_DEPTH).
    fn blocks(&mut self, blocks: &[Block], x: f32, width: f32, depth: usize) {
        for block in blocks {
            self.block(block, x, width, depth + 1);
        }
    }

    fn block(&mut self, block: &Block, x: f32, width: f32, depth: usize) {
        let size = self.geo.size;
        let leading = self.geo.leading;
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
                    b.anchor = Some(id.to_string()).filter(|id| !id.is_empty());
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

    /// Flattens inlines into styled pieces. Notes become numbered markers (their bodies are
    /// laid out for the page foot).
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
}

/// Marks a note reference inside a piece of text (never in real text: it is a noncharacter).
const NOTE_MARK: char = '\u{FDD0}';

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
                id: format!("s{section}").into(),
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
        use super::table::column_widths;
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
        // Vietnamese on an e-reader page: no patterns, narrow measure, so ragged.
        let mut doc = long_document();
        doc.meta.language = Some("vi".into());
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
                Inline::Link(Box::new(crate::model::Link {
                    url: "#s11".into(),
                    title: None,
                    content: vec![Inline::text("to the last section")],
                })),
                Inline::text(" and "),
                Inline::Link(Box::new(crate::model::Link {
                    url: "#nowhere".into(),
                    title: None,
                    content: vec![Inline::text("nowhere")],
                })),
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
    fn a_footnote_longer_than_a_page_foot_runs_in_the_text() {
        let long_note: Vec<Block> = (0..80)
            .map(|i| {
                Block::Paragraph(vec![Inline::text(format!(
                    "note line {i} of a very long footnote"
                ))])
            })
            .collect();
        let doc = Document::new(
            Meta::default(),
            vec![
                Block::Paragraph(vec![Inline::text("Text"), Inline::Note(long_note)]),
                Block::Paragraph(vec![Inline::text("After the note.")]),
            ],
        );
        let options = PdfOptions::default();
        let geo = Geometry::from_options(&options);
        let laid = lay(&doc, &options);
        let mut note_lines = 0;
        for page in &laid.pages {
            let mut ys: Vec<f32> = Vec::new();
            for run in runs(page) {
                assert!(
                    run.y >= geo.top - 1.0 && run.y <= geo.height,
                    "text off the page at {}",
                    run.y
                );
                let t: String = run.glyphs.iter().map(|g| g.text.as_str()).collect();
                if t == "note" {
                    note_lines += 1;
                    ys.push(run.y);
                }
            }
            ys.sort_by(f32::total_cmp);
            for pair in ys.windows(2) {
                assert!(pair[1] - pair[0] > 5.0, "note lines overlap");
            }
        }
        assert_eq!(note_lines, 80);
        assert!(laid.pages.len() >= 2);
        // The marker still links to the note.
        assert!(laid.pages[0].items.iter().any(|i| matches!(
            i,
            Item::Link {
                target: LinkTarget::Internal { .. },
                ..
            }
        )));
    }

    #[test]
    fn rowspans_keep_later_cells_in_their_columns() {
        use super::table::cell_columns;
        let cell = |rowspan: u32, colspan: u32| crate::model::Cell {
            content: vec![],
            colspan,
            rowspan,
        };
        let table = crate::model::Table {
            caption: vec![],
            alignments: vec![],
            head: vec![],
            body: vec![
                crate::model::Row {
                    cells: vec![cell(2, 1), cell(1, 1), cell(1, 1)],
                },
                crate::model::Row {
                    cells: vec![cell(1, 1), cell(1, 1)],
                },
                crate::model::Row {
                    cells: vec![cell(1, 5)],
                },
                crate::model::Row {
                    cells: vec![cell(1, 1), cell(1, 1), cell(1, 1), cell(1, 1)],
                },
            ],
        };
        let places = cell_columns(&table, 3);
        assert_eq!(places[0], vec![Some((0, 1)), Some((1, 1)), Some((2, 1))]);
        assert_eq!(places[1], vec![Some((1, 1)), Some((2, 1))]);
        assert_eq!(places[2], vec![Some((0, 3))]);
        assert_eq!(
            places[3],
            vec![Some((0, 1)), Some((1, 1)), Some((2, 1)), None]
        );
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
