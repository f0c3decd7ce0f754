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
//!
//! The files, by what they hold:
//! - `frame.rs`: the contract with the emitter: pages of positioned items, the outline, the
//!   page geometry. The emitter sees nothing else of layout.
//! - this file: the vertical list's pieces (`VBox`, runs, paragraph styles), the `Layouter`
//!   that builds it, and the entry points ([`layout`], [`layout_pages`]).
//! - `flow.rs`: blocks in the column: the title block, headings, paragraphs, quotes, lists
//!   and rules.
//! - `code.rs`: code blocks, their long lines wrapped with a hanging indent and a mark.
//! - `figure.rs`: figures and their captions, floated when they do not fit.
//! - `inline.rs`: inlines flattened into styled pieces, and notes laid out for the page foot.
//! - `paragraph.rs` (lines of a paragraph), `table.rs` (tables), `paginate.rs` (pages).

use super::fonts::{FaceId, Family, FontSet, FontStyle};
use super::linebreak::{self, Item as KpItem, Params, FORCE};
use super::shape::{cluster_texts, ShapedGlyph, Shaper};
use super::{missing_glyph_warnings, PdfOptions};
use crate::error::Warning;
use crate::locale::Labels;
use crate::model::{
    classes, inlines_to_plain, is_rtl_language, Alignment, Block, Direction, Document, Meta,
};
use crate::write::breaks::hyphenate::Hyphenation;
use std::collections::HashMap;

#[cfg(test)]
mod bidi_tests;
#[cfg(test)]
mod breaks_tests;
mod code;
mod contents;
mod figure;
mod flow;
mod frame;
mod inline;
#[cfg(test)]
mod math_tests;
mod paginate;
mod paragraph;
mod table;
#[cfg(test)]
mod table_tests;
#[cfg(test)]
mod tests;

pub use frame::{
    Color, Geometry, ImageInfo, Item, Laid, LinkTarget, OutlineEntry, Page, PlacedGlyph, TextRun,
    BLACK, CODE_BACKGROUND, GREY, LIGHT, LINK_BLUE,
};

use inline::NOTE_MARK;
pub use paginate::Places;
use paginate::{page_furniture, resolve_links, Paginator};
use paragraph::{make_run, visual_runs};

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
    /// The ids of the headings and containers that start here, targets of `#id` links.
    anchors: Vec<String>,
    /// Forces a page break before this box.
    page_break: bool,
    /// An image that may float to the next page (with the boxes kept with it).
    float: bool,
    /// The image has floated once (it does not float again).
    floated: bool,
    /// For a floating image: the line left in its place when it floats, telling the reader
    /// where it went.
    float_notice: Option<Box<VBox>>,
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

/// Inline content flattened: text with a style, an image set in the line, or a forced line
/// break.
#[derive(Debug, Clone)]
enum Piece {
    Text(String, RunStyle),
    Image(InlineImage, RunStyle),
    Break,
}

/// An image set in a line of text, standing on the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
struct InlineImage {
    /// Index into [`ImageInfo::sizes`].
    index: usize,
    width: f32,
    height: f32,
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
    /// An inline image this fragment is (it has no glyphs then).
    image: Option<InlineImage>,
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
    /// The words the layout adds (a split table's caption, the title block's date), in the
    /// document's language.
    labels: &'static Labels,
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
    /// Whether a paragraph after a paragraph starts with an indent: not inside list items
    /// and definitions, where the indent would read as a new item's hanging text.
    indent_paragraphs: bool,
    bars: Vec<f32>,
    /// The page number each anchor is shown on, from a first pass (for a contents page).
    anchor_pages: HashMap<String, usize>,
    /// What the caller is told (a table split into groups of columns).
    warnings: Vec<Warning>,
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
            labels: Labels::for_language(meta.language.as_deref()),
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
            indent_paragraphs: true,
            bars: Vec::new(),
            anchor_pages: HashMap::new(),
            warnings: Vec::new(),
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
    // A contents page shows the pages its entries start on: a first pass, whose pages are
    // dropped as they are made, finds them.
    let has_contents = document
        .blocks
        .iter()
        .any(|b| matches!(b, Block::Container { attr, .. } if attr.has_class(classes::CONTENTS)));
    let anchor_pages = if has_contents {
        let first = layout_pass(
            document,
            options,
            fonts,
            images,
            &mut Vec::new(),
            &mut |_| {},
            HashMap::new(),
        );
        first.anchor_pages()
    } else {
        HashMap::new()
    };
    layout_pass(
        document,
        options,
        fonts,
        images,
        warnings,
        sink,
        anchor_pages,
    )
}

/// One layout of the whole document, anchors shown on the pages `anchor_pages` gives.
fn layout_pass(
    document: &Document,
    options: &PdfOptions,
    fonts: &FontSet<'_>,
    images: &ImageInfo,
    warnings: &mut Vec<Warning>,
    sink: &mut dyn FnMut(Page),
    anchor_pages: HashMap<String, usize>,
) -> Places {
    let mut shaper = Shaper::new(fonts);
    let geo = Geometry::from_options(options);
    let meta = &document.meta;
    let mut layouter = Layouter::new(&mut shaper, geo, meta, options.ragged, images);
    if matches!(meta.direction, None | Some(Direction::Auto)) && meta.language.is_none() {
        // Neither a direction nor a language: the page faces the way its text starts.
        layouter.rtl = starts_right_to_left(document);
    }
    layouter.anchor_pages = anchor_pages;
    let mut paginator = Paginator::new(geo);
    paginator.rtl = layouter.rtl;
    layouter.title_block(meta);
    let mut blocks: &[Block] = &document.blocks;
    // The title block already shows a first heading that repeats the title.
    if let (Some(Block::Heading { content, id, .. }), Some(title)) = (blocks.first(), &meta.title) {
        if inlines_to_plain(content).trim() == title.trim() {
            blocks = &blocks[1..];
            // Links to the heading go to the title that stands for it.
            if let Some(first) = layouter.boxes.first_mut().filter(|_| !id.is_empty()) {
                first.anchors.push(id.to_string());
            }
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
            page_furniture(&mut page, n, &geo, meta, layouter.shaper, layouter.rtl);
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
    warnings.append(&mut layouter.warnings);
    let missing = std::mem::take(&mut shaper.missing);
    warnings.extend(missing_glyph_warnings(&missing, meta.language.as_deref()));
    paginator.places
}

/// Whether the first strong character of the document's title and text is a
/// right-to-left one (UAX #9 rules P2–P3, over the document rather than a paragraph).
fn starts_right_to_left(document: &Document) -> bool {
    let title = document.meta.title.as_deref().unwrap_or("");
    let direction = match unicode_bidi::get_base_direction_full(title) {
        unicode_bidi::Direction::Mixed => {
            unicode_bidi::get_base_direction_full(document.plain_text(64 * 1024).as_str())
        }
        found => found,
    };
    direction == unicode_bidi::Direction::Rtl
}
