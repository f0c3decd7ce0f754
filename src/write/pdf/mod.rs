//! The PDF writer: a typeset, book-quality PDF made by quire itself.
//!
//! ```text
//! Document ──layout──▶ pages of positioned items ──emit──▶ PDF bytes
//!            fonts, shape, linebreak                  (printpdf, only in emit.rs)
//! ```
//!
//! Pages stream: layout hands each page to emit as soon as it is made, and emit writes it
//! into a compressed content stream and drops it, so memory stays a few pages of layout
//! plus the compressed output, whatever the document's length.
//!
//! `layout` knows font metrics but not PDF; `emit` knows PDF but not the model. The
//! options a user can set are in [`PdfOptions`].
//!
//! What the pieces promise:
//! - Text is shaped (`shape`, rustybuzz: kerning, ligatures, marks, right-to-left) and
//!   drawn as glyph ids with each glyph's text, so fonts are subset and `pdftotext` gives
//!   back the words. A character no face has is drawn as `.notdef` and reported once per
//!   script (see `write::fonts`), which also finds installed faces for other scripts.
//! - Paragraphs are broken total-fit (`linebreak`, Knuth–Plass) at the opportunities and
//!   with the hyphenation of `write::breaks` (shared with the EPUB cover), the author's soft
//!   hyphens, and emergency breaks inside words wider than the line; looser tolerances, then
//!   first-fit, when nothing fits.
//! - Pages keep headings with two lines of what follows, avoid orphans, widows and words
//!   split across pages, carry their footnotes at the foot, and repeat table headers.
//! - The same document, options and timestamp give the same bytes: font and image
//!   resource names are fixed, `/ID` is a hash of the content, nothing reads the clock
//!   unless `WriteOptions::timestamp` is `None`.

// The typesetting machinery is private: a user sets `PdfOptions` and calls `quire::write`.
mod display_url;
mod emit;
// The EPUB cover finds its fallback faces as the PDF does.
pub(crate) mod fonts;
mod layout;
mod linebreak;
mod shape;

use crate::error::{Error, Result, Warning};
use crate::model::Document;
use crate::write::{Rendered, WriteOptions, Writer};
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// Points per millimetre.
pub(crate) const MM: f32 = 72.0 / 25.4;

/// Writes PDF.
pub struct PdfWriter;

impl Writer for PdfWriter {
    fn render(&self, document: &Document, options: &WriteOptions) -> Result<Rendered> {
        // Unique ids, and `#fragment` links that name them (see `crate::prepare`).
        let prepared = crate::prepare::document(document);
        let document = prepared.document();
        let mut warnings = Vec::new();
        let mut user_fonts = fonts::UserFonts::load(&options.pdf.fonts, &mut warnings);
        user_fonts.discover(document, options.pdf.font_search(), &mut warnings);
        let font_set = fonts::FontSet::new(&user_fonts, &mut warnings);
        let geo = layout::Geometry::from_options(&options.pdf);
        let (media, load_warnings) = options.media_for(document);
        warnings.extend(load_warnings);
        let images = emit::load_images(
            document,
            &media,
            emit::image_pixel_bound(&geo),
            &mut warnings,
        );
        // Each page is written as soon as it is laid out, and dropped.
        let mut emitter = emit::Emitter::new(&font_set, images.streams, geo.width, geo.height);
        let places = layout::layout_pages(
            document,
            &options.pdf,
            &font_set,
            &images.info,
            &mut warnings,
            &mut |page| emitter.page(page),
        );
        let bytes = emitter.finish(document, &places, options.timestamp, &mut warnings)?;
        Ok(Rendered { bytes, warnings })
    }
}

/// Lays `document` out without writing PDF and returns the page count: the benchmark
/// (`benches/pdf.rs`) times layout alone with it. Not part of the promised surface.
#[doc(hidden)]
pub fn layout_page_count(document: &Document, options: &PdfOptions) -> usize {
    let prepared = crate::prepare::document(document);
    let document = prepared.document();
    let user_fonts = fonts::UserFonts::default();
    let font_set = fonts::FontSet::new(&user_fonts, &mut Vec::new());
    let laid = layout::layout(
        document,
        options,
        &font_set,
        &layout::ImageInfo::default(),
        &mut Vec::new(),
    );
    laid.pages.len()
}

/// What a user can set about the PDF. `Default` is A4 with the A4 type size and margins.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PdfOptions {
    /// The paper size.
    pub page_size: PageSize,
    /// Body type size in points; `None` takes the page size's own (larger on `ereader`).
    pub font_size: Option<f32>,
    /// Page margins; `None` takes the page size's own.
    pub margins: Option<Margins>,
    /// Ragged-right lines instead of justified ones.
    pub ragged: bool,
    /// Font files to fall back on for characters the bundled Noto faces lack (CJK, Arabic,
    /// Hebrew, Devanagari…), tried in order, before any installed font.
    pub fonts: Vec<PathBuf>,
    /// Do not look in the system's font folders for scripts the bundled faces and `fonts`
    /// lack (the folders in `font_dirs` are still searched).
    pub no_system_fonts: bool,
    /// More folders to look in for such fonts, after the system's.
    pub font_dirs: Vec<PathBuf>,
}

impl PdfOptions {
    /// Where to look for fonts for the scripts the bundled faces lack.
    pub(crate) fn font_search(&self) -> crate::write::fonts::system::Search<'_> {
        crate::write::fonts::system::Search {
            system: !self.no_system_fonts,
            dirs: &self.font_dirs,
        }
    }
}

/// The paper (or screen) a PDF is laid out for.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[non_exhaustive]
pub enum PageSize {
    /// ISO A4, 210 × 297 mm (the default).
    #[default]
    A4,
    /// US Letter, 8.5 × 11 in.
    Letter,
    /// ISO A5, 148 × 210 mm.
    A5,
    /// A small page that fills a 6–7" e-reader screen: narrow margins, larger type.
    Ereader,
    /// Any size, in points.
    Custom {
        /// Width in points.
        width: f32,
        /// Height in points.
        height: f32,
    },
}

impl PageSize {
    /// Width and height in points.
    pub fn dimensions(self) -> (f32, f32) {
        match self {
            PageSize::A4 => (210.0 * MM, 297.0 * MM),
            PageSize::Letter => (612.0, 792.0),
            PageSize::A5 => (148.0 * MM, 210.0 * MM),
            PageSize::Ereader => (90.0 * MM, 120.0 * MM),
            PageSize::Custom { width, height } => (width, height),
        }
    }

    /// The body type size that suits the page.
    pub fn default_font_size(self) -> f32 {
        match self {
            PageSize::A4 | PageSize::Letter => 11.0,
            PageSize::A5 => 10.0,
            PageSize::Ereader => 10.5,
            PageSize::Custom { width, .. } => (width / 50.0).clamp(8.0, 14.0),
        }
    }

    /// Margins that give a comfortable measure for the page's default type size.
    pub fn default_margins(self) -> Margins {
        match self {
            PageSize::A4 => Margins::new(25.0 * MM, 30.0 * MM, 25.0 * MM, 30.0 * MM),
            PageSize::Letter => Margins::new(72.0, 84.0, 72.0, 84.0),
            PageSize::A5 => Margins::new(16.0 * MM, 16.0 * MM, 18.0 * MM, 16.0 * MM),
            PageSize::Ereader => Margins::new(6.0 * MM, 4.0 * MM, 6.0 * MM, 4.0 * MM),
            PageSize::Custom { width, .. } => Margins::uniform(width * 0.1),
        }
    }
}

const PAGE_SIZE_NAMES: &str =
    "a4, letter, a5, ereader, or WIDTHxHEIGHT with a unit (e.g. 150x200mm)";

impl FromStr for PageSize {
    type Err = Error;

    /// `a4`, `letter`, `a5`, `ereader`, or `WIDTHxHEIGHT` with a unit (`150x200mm`, `6x9in`).
    fn from_str(s: &str) -> Result<PageSize> {
        let lower = s.trim().to_ascii_lowercase();
        let unknown = || Error::Unknown {
            what: "page size",
            name: s.to_string(),
            expected: PAGE_SIZE_NAMES,
        };
        match lower.as_str() {
            "a4" => Ok(PageSize::A4),
            "letter" | "us-letter" => Ok(PageSize::Letter),
            "a5" => Ok(PageSize::A5),
            "ereader" | "e-reader" | "kindle" => Ok(PageSize::Ereader),
            other => {
                let (w, h) = other.split_once('x').ok_or_else(unknown)?;
                // The unit may be on both numbers or only on the last.
                let unit: String = h.chars().filter(|c| c.is_ascii_alphabetic()).collect();
                let w = if w.chars().any(|c| c.is_ascii_alphabetic()) {
                    parse_length(w)
                } else {
                    parse_length(&format!("{w}{unit}"))
                }
                .ok_or_else(unknown)?;
                let h = parse_length(h).ok_or_else(unknown)?;
                if !(72.0..=14400.0).contains(&w) || !(72.0..=14400.0).contains(&h) {
                    return Err(unknown());
                }
                Ok(PageSize::Custom {
                    width: w,
                    height: h,
                })
            }
        }
    }
}

impl fmt::Display for PageSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageSize::A4 => f.write_str("a4"),
            PageSize::Letter => f.write_str("letter"),
            PageSize::A5 => f.write_str("a5"),
            PageSize::Ereader => f.write_str("ereader"),
            PageSize::Custom { width, height } => write!(f, "{width}x{height}pt"),
        }
    }
}

/// Page margins in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Top margin in points.
    pub top: f32,
    /// Right margin in points.
    pub right: f32,
    /// Bottom margin in points.
    pub bottom: f32,
    /// Left margin in points.
    pub left: f32,
}

impl Margins {
    /// Margins of these sizes, in points, clockwise from the top (as in CSS).
    pub fn new(top: f32, right: f32, bottom: f32, left: f32) -> Margins {
        Margins {
            top,
            right,
            bottom,
            left,
        }
    }

    /// The same margin on every side, in points.
    pub fn uniform(all: f32) -> Margins {
        Margins::new(all, all, all, all)
    }
}

const MARGIN_FORMS: &str =
    "1 to 4 lengths as in CSS (top right bottom left), each with a unit: 20mm, 1in, 72pt, 2cm";

impl FromStr for Margins {
    type Err = Error;

    /// One to four lengths, CSS order: `20mm`, `20mm 15mm`, `1in 0.75in 1in`,
    /// `72pt 54pt 72pt 54pt`; commas may separate them. A bare number is in millimetres.
    fn from_str(s: &str) -> Result<Margins> {
        let bad = || Error::Unknown {
            what: "margins",
            name: s.to_string(),
            expected: MARGIN_FORMS,
        };
        let values: Vec<f32> = s
            .split([' ', ','])
            .filter(|p| !p.is_empty())
            .map(parse_length)
            .collect::<Option<_>>()
            .ok_or_else(bad)?;
        if values.iter().any(|v| !(0.0..=1000.0).contains(v)) {
            return Err(bad());
        }
        match values.as_slice() {
            [a] => Ok(Margins::uniform(*a)),
            [v, h] => Ok(Margins::new(*v, *h, *v, *h)),
            [t, h, b] => Ok(Margins::new(*t, *h, *b, *h)),
            [t, r, b, l] => Ok(Margins::new(*t, *r, *b, *l)),
            _ => Err(bad()),
        }
    }
}

/// A length with a unit (`mm`, `cm`, `in`, `pt`; none means millimetres) in points.
fn parse_length(s: &str) -> Option<f32> {
    let s = s.trim();
    let split = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let value: f32 = number.trim().parse().ok()?;
    if !value.is_finite() {
        return None;
    }
    let factor = match unit.trim() {
        "" | "mm" => MM,
        "cm" => 10.0 * MM,
        "in" => 72.0,
        "pt" => 1.0,
        _ => return None,
    };
    Some(value * factor)
}

/// The warnings about characters no font has: one per script, naming the fix.
pub(crate) fn missing_glyph_warnings(
    missing: &std::collections::BTreeSet<char>,
    language: Option<&str>,
) -> Vec<Warning> {
    crate::write::fonts::scan::missing_warnings(missing, language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_page_count_counts_the_pages_layout_makes() {
        use crate::model::{Block, Inline, Meta};
        let paragraphs = |n: usize| {
            let blocks = (0..n)
                .map(|i| {
                    Block::Paragraph(vec![Inline::text(format!("Paragraph {i} of the test."))])
                })
                .collect();
            Document::new(Meta::default(), blocks)
        };
        let options = PdfOptions::default();
        assert_eq!(layout_page_count(&paragraphs(1), &options), 1);
        // Two hundred paragraphs of a line each do not fit one A4 page.
        assert!(layout_page_count(&paragraphs(200), &options) > 1);
    }

    #[test]
    fn page_sizes_and_margins_parse() {
        assert_eq!("A4".parse::<PageSize>().unwrap(), PageSize::A4);
        assert_eq!("ereader".parse::<PageSize>().unwrap(), PageSize::Ereader);
        let custom: PageSize = "150x200mm".parse().unwrap();
        let (w, h) = custom.dimensions();
        assert!((w - 150.0 * MM).abs() < 0.01 && (h - 200.0 * MM).abs() < 0.01);
        assert!("b7".parse::<PageSize>().is_err());
        let m: Margins = "1in 0.5in".parse().unwrap();
        assert_eq!(m, Margins::new(72.0, 36.0, 72.0, 36.0));
        let m: Margins = "10".parse().unwrap();
        assert!((m.left - 10.0 * MM).abs() < 0.01);
        assert!("10furlongs".parse::<Margins>().is_err());
        assert!("1 2 3 4 5".parse::<Margins>().is_err());
    }
}
