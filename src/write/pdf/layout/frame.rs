//! The frame contract: what layout hands the PDF emitter. Pages of positioned items (glyph
//! runs, rules, boxes, images, link areas) in points from the page's top-left corner, the
//! outline, and the page geometry. Nothing here knows PDF or the model.

use super::super::fonts::FaceId;
use super::super::PdfOptions;
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
    /// The text a reader should get for this glyph and the glyphs after it that carry
    /// `Some("")`, when they do not spell it in order (see `shape::GlyphText`).
    pub actual_text: Option<Box<str>>,
}

#[cfg(test)]
impl PlacedGlyph {
    /// What a reader of the PDF gets for this glyph: its span's text on the span's first
    /// glyph, nothing on the span's others, else its own text.
    pub fn reading_text(&self) -> &str {
        self.actual_text.as_deref().unwrap_or(&self.text)
    }
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
    pub(super) fn shift(&mut self, dy: f32) {
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
