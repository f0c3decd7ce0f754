//! The generated cover: a PNG drawn from the title, site, author and date with the bundled
//! Noto fonts (raster, because Kindle ignores SVG covers).
//!
//! Layout, top to bottom on a deep colour picked from the title: the site name in spaced
//! capitals, a rule, the title as large as fits (serif bold), the subtitle, and at the foot
//! the authors and the date. A thin inset frame holds it together.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::{DynamicImage, Rgb, RgbImage};

use super::content::display_date;
use crate::model::Meta;

static SERIF_BOLD: &[u8] = include_bytes!("../../../fonts/NotoSerif-Bold.ttf");
static SERIF_ITALIC: &[u8] = include_bytes!("../../../fonts/NotoSerif-Italic.ttf");
static SANS: &[u8] = include_bytes!("../../../fonts/NotoSans-Regular.ttf");
static SANS_BOLD: &[u8] = include_bytes!("../../../fonts/NotoSans-Bold.ttf");

/// Deep, quiet backgrounds that take light text well.
const PALETTE: [[u8; 3]; 6] = [
    [0x1d, 0x35, 0x57], // navy
    [0x5a, 0x1e, 0x24], // oxblood
    [0x23, 0x4a, 0x3a], // forest
    [0x3b, 0x2c, 0x55], // plum
    [0x4a, 0x35, 0x24], // walnut
    [0x1f, 0x4b, 0x57], // teal
];
const INK: [u8; 3] = [0xf6, 0xf1, 0xe7];
const ACCENT: [u8; 3] = [0xd9, 0xb9, 0x6c];

/// What goes on the cover.
pub(crate) struct CoverText<'a> {
    pub title: &'a str,
    pub meta: &'a Meta,
    /// A bundle's article titles, listed under its title.
    pub contents: &'a [String],
}

/// Draws the cover at `width` × `height`. Returns the image and the characters no cover font
/// could draw (left blank), for a warning.
pub(crate) fn generate(text: &CoverText, width: u32, height: u32) -> (DynamicImage, Vec<char>) {
    let mut canvas = Canvas {
        image: RgbImage::from_pixel(width, height, Rgb(background(text.title))),
        missing: Vec::new(),
    };
    let w = width as f32;
    let h = height as f32;
    let margin = (w * 0.1).round();
    let frame = (w * 0.04).round();
    let line = line_width(w);
    canvas.frame(frame, line, ACCENT);

    let fonts = Fonts::load();
    let column = w - 2.0 * margin;
    let mut y = h * 0.1;

    // Site name, in spaced capitals.
    if let Some(site) = text
        .meta
        .site_name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let size = w * 0.034;
        let caps = site.to_uppercase();
        for row in wrap(&fonts.sans_bold, size, size * 0.12, &caps, column)
            .into_iter()
            .take(2)
        {
            canvas.text(
                &fonts.sans_bold,
                size,
                size * 0.12,
                &row,
                margin,
                y,
                column,
                ACCENT,
            );
            y += size * 1.35;
        }
        y += size * 0.3;
    }
    canvas.rule(margin, y, w * 0.18, line * 1.5, ACCENT);
    y += h * 0.06;

    // The title: the largest size at which it fits in at most seven lines and half the height.
    let title = text.title.trim();
    let mut size = w * 0.12;
    let mut rows = wrap(&fonts.serif_bold, size, 0.0, title, column);
    while size > w * 0.045 && (rows.len() > 7 || rows.len() as f32 * size * 1.18 > h * 0.5) {
        size *= 0.92;
        rows = wrap(&fonts.serif_bold, size, 0.0, title, column);
    }
    for row in rows.iter().take(9) {
        y += size;
        canvas.text(
            &fonts.serif_bold,
            size,
            0.0,
            row,
            margin,
            y - size * 0.8,
            column,
            INK,
        );
        y += size * 0.18;
    }

    if let Some(subtitle) = text
        .meta
        .subtitle
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let size = w * 0.045;
        y += size * 0.8;
        for row in wrap(&fonts.serif_italic, size, 0.0, subtitle, column)
            .into_iter()
            .take(4)
        {
            // Keep clear of the foot.
            if y + size > h * 0.76 {
                break;
            }
            canvas.text(&fonts.serif_italic, size, 0.0, &row, margin, y, column, INK);
            y += size * 1.3;
        }
    }

    // A bundle lists what is inside: one line per article, as many as fit.
    if !text.contents.is_empty() {
        let size = w * 0.036;
        y += size * 1.2;
        let bottom = h * 0.72;
        let mut shown = 0;
        for title in text.contents {
            if y + size * 1.5 > bottom {
                break;
            }
            let rows = wrap(&fonts.serif_italic, size, 0.0, title, column - size);
            let Some(first) = rows.first() else { continue };
            let line = if rows.len() > 1 {
                format!("{first}…")
            } else {
                first.clone()
            };
            canvas.rule(margin, y + size * 0.55, size * 0.4, line_width(w), ACCENT);
            canvas.text(
                &fonts.serif_italic,
                size,
                0.0,
                &line,
                margin + size * 0.8,
                y,
                column - size,
                INK,
            );
            y += size * 1.5;
            shown += 1;
        }
        if shown < text.contents.len() {
            let more = format!("and {} more", text.contents.len() - shown);
            canvas.text(
                &fonts.sans,
                size * 0.85,
                0.0,
                &more,
                margin + size * 0.8,
                y,
                column,
                ACCENT,
            );
        }
    }

    // Authors and date at the foot.
    let mut foot: Vec<(String, f32)> = Vec::new();
    if !text.meta.authors.is_empty() {
        let size = w * 0.042;
        for row in wrap(
            &fonts.sans,
            size,
            0.0,
            &text.meta.authors.join(", "),
            column,
        )
        .into_iter()
        .take(3)
        {
            foot.push((row, size));
        }
    }
    if let Some(date) = text
        .meta
        .published
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        foot.push((display_date(date), w * 0.032));
    }
    let foot_height: f32 = foot.iter().map(|(_, size)| size * 1.4).sum();
    let mut fy = h * 0.9 - foot_height;
    if !foot.is_empty() {
        canvas.rule(margin, fy - h * 0.025, w * 0.18, line * 1.5, ACCENT);
    }
    for (index, (row, size)) in foot.iter().enumerate() {
        let is_date = index + 1 == foot.len() && text.meta.published.is_some();
        let color = if is_date { ACCENT } else { INK };
        canvas.text(&fonts.sans, *size, 0.0, row, margin, fy, column, color);
        fy += size * 1.4;
    }

    let missing = canvas.missing;
    (DynamicImage::ImageRgb8(canvas.image), missing)
}

/// The width of rules and the frame.
fn line_width(width: f32) -> f32 {
    (width * 0.003).max(2.0).round()
}

fn background(title: &str) -> [u8; 3] {
    // FNV-1a: a stable pick, so the same title always gets the same colour.
    let mut hash: u32 = 0x811c_9dc5;
    for byte in title.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    PALETTE[(hash % PALETTE.len() as u32) as usize]
}

struct Fonts {
    serif_bold: FontRef<'static>,
    serif_italic: FontRef<'static>,
    sans: FontRef<'static>,
    sans_bold: FontRef<'static>,
}

impl Fonts {
    fn load() -> Fonts {
        // The fonts are part of the binary and known good; a failure here is a build defect.
        let load =
            |bytes: &'static [u8]| FontRef::try_from_slice(bytes).expect("bundled font parses");
        Fonts {
            serif_bold: load(SERIF_BOLD),
            serif_italic: load(SERIF_ITALIC),
            sans: load(SANS),
            sans_bold: load(SANS_BOLD),
        }
    }
}

/// The width of `text` at `size` px with `tracking` px between letters.
fn measure(font: &FontRef, size: f32, tracking: f32, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(prev) = previous {
            width += scaled.kern(prev, id);
        }
        width += scaled.h_advance(id) + tracking;
        previous = Some(id);
    }
    width
}

/// Greedy word wrap to `max_width`; a word longer than a line is cut between characters.
fn wrap(font: &FontRef, size: f32, tracking: f32, text: &str, max_width: f32) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if measure(font, size, tracking, &candidate) <= max_width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            rows.push(std::mem::take(&mut current));
        }
        if measure(font, size, tracking, word) <= max_width {
            current = word.to_string();
            continue;
        }
        for c in word.chars() {
            current.push(c);
            if measure(font, size, tracking, &current) > max_width && current.chars().count() > 1 {
                current.pop();
                rows.push(std::mem::take(&mut current));
                current.push(c);
            }
        }
    }
    if !current.is_empty() {
        rows.push(current);
    }
    rows
}

struct Canvas {
    image: RgbImage,
    missing: Vec<char>,
}

impl Canvas {
    fn blend(&mut self, x: i64, y: i64, color: [u8; 3], alpha: f32) {
        // Most of a glyph's box is empty: skip it before any arithmetic.
        if alpha <= 0.004 {
            return;
        }
        if x < 0
            || y < 0
            || x >= i64::from(self.image.width())
            || y >= i64::from(self.image.height())
        {
            return;
        }
        let pixel = self.image.get_pixel_mut(x as u32, y as u32);
        if alpha >= 0.996 {
            pixel.0 = color;
            return;
        }
        for (channel, target) in pixel.0.iter_mut().zip(color) {
            let mixed = f32::from(*channel) + (f32::from(target) - f32::from(*channel)) * alpha;
            *channel = (mixed + 0.5) as u8;
        }
    }

    fn fill(&mut self, x: f32, y: f32, width: f32, height: f32, color: [u8; 3]) {
        let (w, h) = (self.image.width(), self.image.height());
        let clamp = |v: f32, max: u32| (v.round().max(0.0) as u32).min(max);
        let (x0, x1) = (clamp(x, w), clamp(x + width, w));
        let (y0, y1) = (clamp(y, h), clamp(y + height, h));
        for py in y0..y1 {
            for px in x0..x1 {
                self.image.put_pixel(px, py, Rgb(color));
            }
        }
    }

    fn rule(&mut self, x: f32, y: f32, width: f32, thickness: f32, color: [u8; 3]) {
        self.fill(x, y, width, thickness, color);
    }

    fn frame(&mut self, inset: f32, thickness: f32, color: [u8; 3]) {
        let w = self.image.width() as f32;
        let h = self.image.height() as f32;
        self.fill(inset, inset, w - 2.0 * inset, thickness, color);
        self.fill(
            inset,
            h - inset - thickness,
            w - 2.0 * inset,
            thickness,
            color,
        );
        self.fill(inset, inset, thickness, h - 2.0 * inset, color);
        self.fill(
            w - inset - thickness,
            inset,
            thickness,
            h - 2.0 * inset,
            color,
        );
    }

    /// Draws one line of text whose top (the ascender line) is at `top`.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        font: &FontRef,
        size: f32,
        tracking: f32,
        text: &str,
        left: f32,
        top: f32,
        max_width: f32,
        color: [u8; 3],
    ) {
        let scaled = font.as_scaled(PxScale::from(size));
        let baseline = top + scaled.ascent();
        let mut x = left;
        let mut previous = None;
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if id.0 == 0 && !c.is_whitespace() && !self.missing.contains(&c) {
                self.missing.push(c);
            }
            if let Some(prev) = previous {
                x += scaled.kern(prev, id);
            }
            if x - left > max_width {
                break;
            }
            let glyph =
                id.with_scale_and_position(PxScale::from(size), ab_glyph::point(x, baseline));
            if let Some(outlined) = font.outline_glyph(glyph) {
                let bounds = outlined.px_bounds();
                let (bx, by) = (bounds.min.x as i64, bounds.min.y as i64);
                outlined.draw(|gx, gy, alpha| {
                    self.blend(bx + i64::from(gx), by + i64::from(gy), color, alpha)
                });
            }
            x += scaled.h_advance(id) + tracking;
            previous = Some(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::GenericImageView;

    #[test]
    fn draws_text_on_the_background() {
        let meta = Meta {
            site_name: Some("The Site".into()),
            authors: vec!["Ann Author".into()],
            published: Some("2024-05-01T10:00:00Z".into()),
            ..Meta::default()
        };
        let (image, missing) = generate(
            &CoverText {
                contents: &[],
                title: "A title that is long enough to wrap over lines",
                meta: &meta,
            },
            600,
            800,
        );
        assert_eq!(image.dimensions(), (600, 800));
        assert!(missing.is_empty());
        let rgb = image.to_rgb8();
        let bg = Rgb(background("A title that is long enough to wrap over lines"));
        let inked = rgb.pixels().filter(|p| **p != bg).count();
        assert!(inked > 10_000, "text was drawn ({inked} pixels)");
    }

    #[test]
    fn wraps_long_words() {
        let fonts = Fonts::load();
        let rows = wrap(
            &fonts.sans,
            20.0,
            0.0,
            "short Pneumonoultramicroscopicsilicovolcanoconiosis",
            120.0,
        );
        assert!(rows.len() >= 3);
        for row in &rows {
            assert!(measure(&fonts.sans, 20.0, 0.0, row) <= 120.0 || row.chars().count() == 1);
        }
    }
}

#[cfg(test)]
mod look {
    use super::*;

    /// Writes sample covers to `QUIRE_COVER_OUT` to look at.
    #[test]
    fn sample_covers() {
        let Some(dir) = std::env::var_os("QUIRE_COVER_OUT") else {
            return;
        };
        let meta = Meta {
            site_name: Some("Российская газета".into()),
            authors: vec!["Иван Петров".into()],
            published: Some("2019-12-01".into()),
            ..Meta::default()
        };
        let title = "Отношения между Россией и НАТО ухудшаются и угрожают глобальной безопасности, заявил министр обороны в интервью";
        let (image, missing) = generate(
            &CoverText {
                title,
                meta: &meta,
                contents: &[],
            },
            1072,
            1448,
        );
        assert!(missing.is_empty());
        image
            .save(std::path::Path::new(&dir).join("cyrillic.png"))
            .unwrap();
        let (image, missing) = generate(
            &CoverText {
                title: "東京の天気 and more",
                meta: &Meta::default(),
                contents: &[],
            },
            1072,
            1448,
        );
        image
            .save(std::path::Path::new(&dir).join("cjk.png"))
            .unwrap();
        eprintln!("missing: {missing:?}");
    }
}
