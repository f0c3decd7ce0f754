//! A formula as a picture, for readers that render no MathML (Kindle): the same inlines the
//! PDF writer sets (`write::math_inlines`: italic variables, real sub- and superscripts,
//! fractions as `a/b`), drawn with the bundled Noto faces into a grayscale PNG, dark ink on
//! white (what e-ink shows best; a transparent picture would vanish in a dark theme).
//!
//! Characters the bundled faces lack (`∑`, `∫`, `∞`) are drawn in the user's `--font`s and
//! then in installed faces found for them ([`fonts_for`]), as the PDF writer does.
//!
//! The picture is drawn at [`PX_PER_EM`] pixels to the em, so that a page that sets it at
//! its em size (see [`MathPicture::height_em`]) shows it sharp on a 300 ppi screen, and it
//! scales with the reader's chosen text size.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont};

use crate::error::Warning;
use crate::model::Inline;
use crate::write::pdf::fonts::{
    UserFonts, MONO_REGULAR, SANS_REGULAR, SERIF_ITALIC, SERIF_REGULAR,
};
use crate::write::pdf::PdfOptions;

/// Pixels to one em of the surrounding text.
pub(crate) const PX_PER_EM: f32 = 48.0;

/// Scripts nested deeper than this are set at this depth's size (TeX's own limit is two
/// smaller sizes too).
const MAX_SCRIPT_LEVEL: u8 = 2;

/// A formula's picture.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MathPicture {
    /// The PNG.
    pub png: Vec<u8>,
    /// Its width in ems of the surrounding text.
    pub width_em: f32,
    /// Its height in ems.
    pub height_em: f32,
    /// How far it reaches below the text's baseline, in ems (for `vertical-align`).
    pub depth_em: f32,
}

/// One run of characters in one style.
struct Run {
    text: String,
    italic: bool,
    /// Size relative to the surrounding text.
    scale: f32,
    /// Baseline shift upwards, in ems of the surrounding text.
    rise: f32,
}

/// The formula `tex` as a picture, drawing what the bundled faces lack in `extra`'s. `None`
/// only when it draws nothing (no character any face has).
pub(crate) fn render(tex: &str, extra: &UserFonts) -> Option<MathPicture> {
    draw(&runs_of(tex), extra)
}

/// The formula `tex` as runs of styled text, from its top level.
fn runs_of(tex: &str) -> Vec<Run> {
    let mut runs = Vec::new();
    collect(
        &crate::write::math_inlines::tex_to_inlines(tex),
        false,
        0,
        0.0,
        &mut runs,
    );
    runs
}

/// The user's `--font`s, and the installed faces for the characters of the formulas `texs`
/// that the bundled faces lack (searched only when there are such characters).
pub(crate) fn fonts_for(
    texs: &[String],
    options: &PdfOptions,
    language: Option<&str>,
    warnings: &mut Vec<Warning>,
) -> UserFonts {
    let mut fonts = UserFonts::load(&options.fonts, warnings);
    let texts: Vec<String> = texs
        .iter()
        .map(|tex| runs_of(tex).into_iter().map(|run| run.text).collect())
        .collect();
    fonts.discover_for(
        &mut |covered| {
            let mut needs = crate::write::fonts::scan::Needs::default();
            for text in &texts {
                needs.scan_text(text, covered);
            }
            needs
        },
        language,
        options.font_search(),
        warnings,
    );
    fonts
}

/// The runs of `inlines`, with an explicit stack (no recursion over input-shaped trees).
fn collect(inlines: &[Inline], italic: bool, level: u8, rise: f32, runs: &mut Vec<Run>) {
    let mut stack: Vec<(std::slice::Iter<Inline>, bool, u8, f32)> =
        vec![(inlines.iter(), italic, level, rise)];
    while let Some((iter, italic, level, rise)) = stack.last_mut() {
        let (italic, level, rise) = (*italic, *level, *rise);
        let Some(inline) = iter.next() else {
            stack.pop();
            continue;
        };
        let scale = 0.7f32.powi(i32::from(level.min(MAX_SCRIPT_LEVEL)));
        match inline {
            Inline::Text(text) => runs.push(Run {
                text: text.clone(),
                italic,
                scale,
                rise,
            }),
            Inline::Emphasis(inner) => stack.push((inner.iter(), true, level, rise)),
            Inline::Superscript(inner) => {
                stack.push((inner.iter(), italic, level + 1, rise + 0.42 * scale))
            }
            Inline::Subscript(inner) => {
                stack.push((inner.iter(), italic, level + 1, rise - 0.22 * scale))
            }
            Inline::Strong(inner) | Inline::Span { content: inner, .. } => {
                stack.push((inner.iter(), italic, level, rise))
            }
            Inline::Code(text) => runs.push(Run {
                text: text.clone(),
                italic: false,
                scale,
                rise,
            }),
            _ => {}
        }
    }
}

/// A glyph placed on the picture, positions in pixels from the baseline's start.
struct Placed<'f> {
    font: &'f FontRef<'f>,
    id: GlyphId,
    size: f32,
    x: f32,
    rise: f32,
}

fn draw(runs: &[Run], extra: &UserFonts) -> Option<MathPicture> {
    let faces = Faces::load(extra)?;
    let mut placed = Vec::new();
    let mut x = 0.0f32;
    // Top and bottom of the ink box, in pixels above the baseline.
    let (mut top, mut bottom) = (f32::MIN, f32::MAX);
    for run in runs {
        let size = PX_PER_EM * run.scale;
        let rise = PX_PER_EM * run.rise;
        for c in run.text.chars() {
            let Some(font) = faces.for_char(c, run.italic) else {
                continue;
            };
            let scaled = font.as_scaled(em_scale(font, size));
            let id = font.glyph_id(c);
            top = top.max(rise + scaled.ascent());
            bottom = bottom.min(rise + scaled.descent());
            placed.push(Placed {
                font,
                id,
                size,
                x,
                rise,
            });
            x += scaled.h_advance(id);
        }
    }
    if placed.is_empty() {
        return None;
    }
    // A little room on each side, so italics that lean out are not cut.
    let pad = (PX_PER_EM * 0.08).ceil();
    let width = (x + 2.0 * pad).ceil().max(1.0) as u32;
    let height = (top - bottom).ceil().max(1.0) as u32;
    let mut ink = vec![0f32; (width * height) as usize];
    for glyph in &placed {
        let positioned = glyph.id.with_scale_and_position(
            em_scale(glyph.font, glyph.size),
            ab_glyph::point(pad + glyph.x, top - glyph.rise),
        );
        let Some(outlined) = glyph.font.outline_glyph(positioned) else {
            continue;
        };
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            let px = bounds.min.x as i64 + i64::from(gx);
            let py = bounds.min.y as i64 + i64::from(gy);
            if px >= 0 && py >= 0 && (px as u32) < width && (py as u32) < height {
                let at = (py as u32 * width + px as u32) as usize;
                ink[at] = (ink[at] + coverage).min(1.0);
            }
        });
    }
    let pixels: Vec<u8> = ink
        .iter()
        .map(|coverage| 255 - (coverage * 255.0).round() as u8)
        .collect();
    let image = image::GrayImage::from_raw(width, height, pixels)?;
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .ok()?;
    Some(MathPicture {
        png,
        width_em: width as f32 / PX_PER_EM,
        height_em: height as f32 / PX_PER_EM,
        depth_em: (-bottom).max(0.0) / PX_PER_EM,
    })
}

/// The scale at which `font`'s em is `size` pixels (ab_glyph's scale is the height from
/// descender to ascender, which is larger than the em by a face's own amount).
fn em_scale(font: &FontRef<'_>, size: f32) -> PxScale {
    let per_em = font.units_per_em().unwrap_or(1000.0);
    PxScale::from(size * font.height_unscaled() / per_em)
}

/// The faces, in the order a character is looked up: the bundled ones, then the user's and
/// the discovered ones.
struct Faces<'a> {
    serif: FontRef<'static>,
    italic: FontRef<'static>,
    sans: FontRef<'static>,
    mono: FontRef<'static>,
    extra: Vec<FontRef<'a>>,
}

impl<'a> Faces<'a> {
    fn load(extra: &'a UserFonts) -> Option<Faces<'a>> {
        let user = extra
            .files
            .iter()
            .filter_map(|(_, bytes)| FontRef::try_from_slice(bytes).ok());
        let discovered = extra.discovered.iter().filter_map(|face| {
            let bytes = extra.sources.get(face.source)?;
            FontRef::try_from_slice_and_index(bytes, face.index).ok()
        });
        Some(Faces {
            serif: FontRef::try_from_slice(SERIF_REGULAR).ok()?,
            italic: FontRef::try_from_slice(SERIF_ITALIC).ok()?,
            sans: FontRef::try_from_slice(SANS_REGULAR).ok()?,
            mono: FontRef::try_from_slice(MONO_REGULAR).ok()?,
            extra: user.chain(discovered).collect(),
        })
    }

    /// The first face that has `c` (italic first for an italic run).
    fn for_char(&self, c: char, italic: bool) -> Option<&FontRef<'a>> {
        let first = if italic { &self.italic } else { &self.serif };
        [first, &self.serif, &self.sans, &self.mono]
            .into_iter()
            .chain(&self.extra)
            .find(|font| font.glyph_id(c).0 != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_formula_is_a_png_sized_in_ems() {
        let picture = render("E = mc^2", &UserFonts::default()).unwrap();
        assert!(picture.png.starts_with(b"\x89PNG"));
        let image = image::load_from_memory(&picture.png).unwrap().to_luma8();
        // Ink was drawn: some pixels are dark, the corners are paper.
        assert!(image.pixels().any(|p| p.0[0] < 64));
        assert_eq!(image.get_pixel(0, 0).0[0], 255);
        assert!(
            picture.width_em > 2.0 && picture.width_em < 8.0,
            "{picture:?}"
        );
        assert!(
            picture.height_em > 1.0 && picture.height_em < 2.5,
            "{picture:?}"
        );
        assert!(
            picture.depth_em > 0.1 && picture.depth_em < 0.6,
            "{picture:?}"
        );
    }

    #[test]
    fn scripts_make_a_formula_taller() {
        let flat = render("x", &UserFonts::default()).unwrap();
        let scripted = render("x_i^2", &UserFonts::default()).unwrap();
        assert!(scripted.height_em > flat.height_em);
        assert!(scripted.width_em > flat.width_em);
    }

    #[test]
    fn nothing_drawable_is_no_picture() {
        assert_eq!(render("", &UserFonts::default()), None);
    }
}
