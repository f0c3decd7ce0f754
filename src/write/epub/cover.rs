//! The generated cover: a PNG drawn from the title, site, author and date with the bundled
//! Noto fonts (raster, because Kindle ignores SVG covers). Characters they lack are drawn
//! in the user's `--font`s, then in the installed faces the PDF writer's chain picks for
//! the script and style (see `write::fonts`).
//!
//! Layout, top to bottom on a deep colour picked from the title: the site name in spaced
//! capitals, a rule, the title as large as fits (serif bold), the subtitle, and at the foot
//! the authors and the date. A thin inset frame holds it together. A word too wide for the
//! column is hyphenated in the book's language (`write::breaks`, as the PDF is); text with
//! no room left ends with "…".
//!
//! The cover has three colours (the background, the ink and the accent) and their
//! anti-aliased blends, so it is drawn as one palette index a pixel and written as a palette
//! PNG: a third of the bytes of RGB to fill and compress, and every blank pixel is a zero
//! byte, which the compressor passes over fastest.
//!
//! Most of a cover is flat background, so its pixels are kept in [`Tiles`] of one memory page
//! each, made when something is drawn on them: a one-page conversion's time is mostly the
//! process itself, and touching (and the kernel zeroing) a 2 MB canvas was a quarter of an
//! EPUB conversion's time.

use std::borrow::Cow;
use std::collections::HashMap;

use ab_glyph::{Font, FontRef, OutlineCurve, PxScale, ScaleFont};

use super::content::display_date;
use crate::locale::Labels;
use crate::model::Meta;
use crate::write::breaks::hyphenate::{self, Hyphenation};
use crate::write::breaks::{fit_with_ellipsis, grapheme_boundaries};
use crate::write::fonts::chain::Want;
use crate::write::pdf::fonts::UserFonts;

use crate::bundled::{SANS_BOLD, SANS_REGULAR as SANS, SERIF_BOLD, SERIF_ITALIC};

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

/// The steps of coverage between the background and a full colour: palette index 0 is the
/// background, `1..=LEVELS` the ink from faint to full, then as many for the accent (255
/// colours in all). A step is under half a unit of a channel apart from the exact blend.
const LEVELS: u8 = 127;

/// The two colours drawn over the background.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Paint {
    Ink,
    Accent,
}

impl Paint {
    fn rgb(self) -> [u8; 3] {
        match self {
            Paint::Ink => INK,
            Paint::Accent => ACCENT,
        }
    }

    /// The palette index of this colour at `level` (1..=LEVELS) of coverage.
    fn index(self, level: u8) -> u8 {
        match self {
            Paint::Ink => level,
            Paint::Accent => LEVELS + level,
        }
    }

    /// The colour and coverage level of a palette index (`None` for the background).
    fn of(index: u8) -> Option<(Paint, u8)> {
        match index {
            0 => None,
            i if i <= LEVELS => Some((Paint::Ink, i)),
            i => Some((Paint::Accent, i - LEVELS)),
        }
    }
}

/// What goes on the cover.
pub(crate) struct CoverText<'a> {
    pub title: &'a str,
    pub meta: &'a Meta,
    /// A bundle's article titles, listed under its title.
    pub contents: &'a [String],
    /// The words around them, in the book's language.
    pub labels: &'a Labels,
}

/// A drawn cover: one palette index a pixel over the colours of its title's background.
pub(crate) struct Cover {
    width: u32,
    height: u32,
    background: [u8; 3],
    pixels: Tiles,
    /// The rows of text drawn, top to bottom (for tests).
    #[cfg(test)]
    rows: Vec<String>,
}

impl Cover {
    /// The colour of each palette index, `[r, g, b]` after another; in grey when `grayscale`
    /// (the luma of each colour, as `image` computes it).
    fn palette(&self, grayscale: bool) -> Vec<u8> {
        let mut palette = Vec::with_capacity(3 * (1 + 2 * usize::from(LEVELS)));
        let mut push = |rgb: [u8; 3]| {
            if grayscale {
                let [r, g, b] = rgb.map(u32::from);
                let luma = ((2126 * r + 7152 * g + 722 * b) / 10_000) as u8;
                palette.extend_from_slice(&[luma; 3]);
            } else {
                palette.extend_from_slice(&rgb);
            }
        };
        push(self.background);
        for paint in [Paint::Ink, Paint::Accent] {
            for level in 1..=LEVELS {
                push(mix(self.background, paint.rgb(), level));
            }
        }
        palette
    }

    /// The cover as a palette PNG (grey entries when `grayscale`), compressed fast: the flat
    /// background and long identical rows shrink well even so.
    ///
    /// Written here rather than through the `png` crate's encoder, which copies every row
    /// twice more on its way to the compressor: the rows go from the tiles straight to
    /// `fdeflate` (the compressor that encoder uses for its fastest setting), each against the
    /// row above.
    pub(crate) fn to_png(&self, grayscale: bool) -> Result<Vec<u8>, String> {
        let fail = |e: std::io::Error| format!("could not encode the cover: {e}");
        let mut header = Vec::with_capacity(13);
        header.extend_from_slice(&self.width.to_be_bytes());
        header.extend_from_slice(&self.height.to_be_bytes());
        // 8 bits a pixel, palette colour, deflate, adaptive filtering (each row says "none"),
        // not interlaced.
        header.extend_from_slice(&[8, 3, 0, 0, 0]);
        let mut compressor = fdeflate::Compressor::new(Vec::new()).map_err(fail)?;
        // Each row starts with its filter type. "Up" (2) stores each byte as its difference
        // from the byte above: the rows between lines of text repeat the row above (the frame's
        // sides, the background), so they become runs of zeros, the compressor's fastest case.
        let mut filtered = vec![0; 1 + self.width as usize];
        filtered[0] = 2;
        let mut zeroed = vec![true; self.pixels.across as usize];
        for y in 0..self.height {
            self.pixels
                .up_filtered_row(y, &mut filtered[1..], &mut zeroed);
            compressor.write_data(&filtered).map_err(fail)?;
        }
        let data = compressor.finish().map_err(fail)?;
        let mut png = Vec::with_capacity(data.len() + 1024);
        png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
        png_chunk(&mut png, b"IHDR", &header);
        png_chunk(&mut png, b"PLTE", &self.palette(grayscale));
        png_chunk(&mut png, b"IDAT", &data);
        png_chunk(&mut png, b"IEND", &[]);
        Ok(png)
    }

    /// The colour of the pixel at `x`, `y`.
    #[cfg(test)]
    fn rgb(&self, x: u32, y: u32) -> [u8; 3] {
        match Paint::of(self.pixels.get(x, y)) {
            None => self.background,
            Some((paint, level)) => mix(self.background, paint.rgb(), level),
        }
    }
}

/// Appends a PNG chunk: the length of `data`, its type, `data`, and the CRC of type and data.
fn png_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    // The format caps a chunk at 2^31 - 1 bytes; a cover is a few hundred kilobytes.
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// `color` over `background` at `level` steps of [`LEVELS`], rounded.
fn mix(background: [u8; 3], color: [u8; 3], level: u8) -> [u8; 3] {
    let mut out = background;
    for (channel, target) in out.iter_mut().zip(color) {
        let (from, to) = (i32::from(*channel), i32::from(target));
        let step = (to - from) * i32::from(level);
        let levels = i32::from(LEVELS);
        // Rounded half away from zero, either way the step goes.
        let rounded = (2 * step + step.signum() * levels) / (2 * levels);
        *channel = (from + rounded) as u8;
    }
    out
}

/// Draws the cover at `width` × `height`. Returns it and the characters no cover font could
/// draw (left blank), for a warning.
#[cfg(test)]
pub(crate) fn generate(text: &CoverText, width: u32, height: u32) -> (Cover, Vec<char>) {
    generate_with(text, width, height, &UserFonts::default())
}

/// The user's `--font`s, and the installed faces for the scripts of the cover's text that
/// the bundled fonts lack (searched only when there are such scripts).
pub(crate) fn fonts_for(
    text: &CoverText,
    options: &crate::write::pdf::PdfOptions,
    warnings: &mut Vec<crate::error::Warning>,
) -> UserFonts {
    let mut fonts = UserFonts::load(&options.fonts, warnings);
    let meta = text.meta;
    let site = meta.site_name.as_deref().map(str::to_uppercase);
    let strings = [text.title]
        .into_iter()
        .chain(meta.subtitle.as_deref())
        .chain(site.as_deref())
        .chain(meta.authors.iter().map(String::as_str))
        .chain(text.contents.iter().map(String::as_str));
    let strings: Vec<&str> = strings.collect();
    fonts.discover_for(
        &mut |covered| {
            let mut needs = crate::write::fonts::scan::Needs::default();
            for s in &strings {
                needs.scan_text(s, covered);
            }
            needs
        },
        meta.language.as_deref(),
        options.font_search(),
        warnings,
    );
    fonts
}

/// Like [`generate`], drawing what the bundled fonts lack in `extra`'s faces: the user's
/// files in order, then the discovered faces nearest the style.
pub(crate) fn generate_with(
    text: &CoverText,
    width: u32,
    height: u32,
    extra: &UserFonts,
) -> (Cover, Vec<char>) {
    let fallbacks = Fallback::load(extra);
    let mut canvas = Canvas {
        width,
        height,
        // All background: index 0.
        pixels: Tiles::new(width, height),
        missing: Vec::new(),
        glyphs: GlyphCache::default(),
        #[cfg(test)]
        rows: Vec::new(),
    };
    let w = width as f32;
    let h = height as f32;
    let margin = (w * 0.1).round();
    let frame = (w * 0.04).round();
    let line = line_width(w);
    canvas.frame(frame, line, Paint::Accent);

    let fonts = Fonts::load();
    let styled = |primary, want| Styled {
        primary,
        want,
        fallbacks: &fallbacks,
    };
    let serif_bold = styled(&fonts.serif_bold, Want::new(false, true));
    let serif_italic = styled(&fonts.serif_italic, Want::new(false, false).italic_if(true));
    let sans = styled(&fonts.sans, Want::new(true, false));
    let sans_bold = styled(&fonts.sans_bold, Want::new(true, true));
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
        let rows = wrap(
            &sans_bold,
            size,
            size * 0.12,
            &caps,
            column,
            &Hyphenator::none(),
        );
        for row in at_most(&sans_bold, size, size * 0.12, rows, 2, column) {
            canvas.text(
                &sans_bold,
                size,
                size * 0.12,
                &row,
                margin,
                y,
                column,
                Paint::Accent,
            );
            y += size * 1.35;
        }
        y += size * 0.3;
    }
    canvas.rule(margin, y, w * 0.18, line * 1.5, Paint::Accent);
    y += h * 0.06;

    // The title: the largest size at which it fits in at most seven lines and half the height;
    // at the smallest, nine lines, the last ending with "…" if there is more. A word wider
    // than the column is set smaller to fit whole if two thirds of the size will do
    // ("Meta-Programming"), else hyphenated ("Donaudampfschifffahrts-").
    let hyphenation = Hyphenator::new(text.meta.language.as_deref().or(Some(text.labels.language)));
    let title = text.title.trim();
    let mut size = w * 0.12;
    let widest = title
        .split_whitespace()
        .map(|word| measure(&serif_bold, size, 0.0, word))
        .fold(0.0, f32::max);
    let fitting = size * column / widest * 0.99;
    if widest > column && fitting >= size * 2.0 / 3.0 {
        size = fitting;
    }
    let mut rows = wrap(&serif_bold, size, 0.0, title, column, &hyphenation);
    while size > w * 0.045 && (rows.len() > 7 || rows.len() as f32 * size * 1.18 > h * 0.5) {
        size *= 0.92;
        rows = wrap(&serif_bold, size, 0.0, title, column, &hyphenation);
    }
    let rows = at_most(&serif_bold, size, 0.0, rows, 9, column);
    for row in &rows {
        y += size;
        canvas.text(
            &serif_bold,
            size,
            0.0,
            row,
            margin,
            y - size * 0.8,
            column,
            Paint::Ink,
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
        // Up to four lines, clear of the foot.
        let mut room = 0;
        while room < 4 && y + room as f32 * size * 1.3 + size <= h * 0.76 {
            room += 1;
        }
        let rows = wrap(&serif_italic, size, 0.0, subtitle, column, &hyphenation);
        for row in at_most(&serif_italic, size, 0.0, rows, room, column) {
            canvas.text(
                &serif_italic,
                size,
                0.0,
                &row,
                margin,
                y,
                column,
                Paint::Ink,
            );
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
            let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
            if title.is_empty() {
                continue;
            }
            let line = fit_with_ellipsis(&title, column - size, |row| {
                measure(&serif_italic, size, 0.0, row)
            });
            canvas.rule(
                margin,
                y + size * 0.55,
                size * 0.4,
                line_width(w),
                Paint::Accent,
            );
            canvas.text(
                &serif_italic,
                size,
                0.0,
                &line,
                margin + size * 0.8,
                y,
                column - size,
                Paint::Ink,
            );
            y += size * 1.5;
            shown += 1;
        }
        if shown < text.contents.len() {
            let more = text
                .labels
                .count(&text.labels.more_articles, text.contents.len() - shown);
            canvas.text(
                &sans,
                size * 0.85,
                0.0,
                &more,
                margin + size * 0.8,
                y,
                column,
                Paint::Accent,
            );
        }
    }

    // Authors and date at the foot.
    let mut foot: Vec<(String, f32)> = Vec::new();
    if !text.meta.authors.is_empty() {
        let size = w * 0.042;
        let rows = author_rows(&sans, size, &text.meta.authors, text.labels, 3, column);
        foot.extend(rows.into_iter().map(|row| (row, size)));
    }
    if let Some(date) = &text.meta.published {
        foot.push((display_date(date), w * 0.032));
    }
    let foot_height: f32 = foot.iter().map(|(_, size)| size * 1.4).sum();
    let mut fy = h * 0.9 - foot_height;
    if !foot.is_empty() {
        canvas.rule(margin, fy - h * 0.025, w * 0.18, line * 1.5, Paint::Accent);
    }
    for (index, (row, size)) in foot.iter().enumerate() {
        let is_date = index + 1 == foot.len() && text.meta.published.is_some();
        let color = if is_date { Paint::Accent } else { Paint::Ink };
        canvas.text(&sans, *size, 0.0, row, margin, fy, column, color);
        fy += size * 1.4;
    }

    let cover = Cover {
        width,
        height,
        background: background(text.title),
        pixels: canvas.pixels,
        #[cfg(test)]
        rows: canvas.rows,
    };
    (cover, canvas.missing)
}

/// `rows` (a text wrapped) cut to at most `most`: when some are left out, the last one kept
/// ends with "…", after its last whole word that leaves room for it (or between grapheme
/// clusters, for a script written without spaces). A cover never stops mid-phrase as if
/// that were the whole text.
fn at_most(
    style: &Styled,
    size: f32,
    tracking: f32,
    mut rows: Vec<String>,
    most: usize,
    max_width: f32,
) -> Vec<String> {
    if rows.len() <= most {
        return rows;
    }
    // The last row kept and the one after it, so the cut knows there is more.
    let more = format!("{} {}", rows[most.saturating_sub(1)], rows[most]);
    rows.truncate(most);
    if let Some(last) = rows.last_mut() {
        *last = fit_with_ellipsis(&more, max_width, |row| measure(style, size, tracking, row));
    }
    rows
}

/// The authors as rows of at most `most`: all of them if they fit, listed as `labels`'
/// language lists names ("A, B and C", "A, B und C"), else as many whole names as fit,
/// separated as the list separates them ("A, B"), followed by "…" (never a name cut in two);
/// a single name too long for the rows is cut at a word, as any text is.
fn author_rows(
    style: &Styled,
    size: f32,
    authors: &[String],
    labels: &Labels,
    most: usize,
    max_width: f32,
) -> Vec<String> {
    let names: Vec<&str> = authors
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .collect();
    let rows_of = |shown: usize| {
        let text = if shown < names.len() {
            format!("{} …", names[..shown].join(labels.list_separator))
        } else {
            labels.join_names(&names)
        };
        // Names are not hyphenated.
        wrap(style, size, 0.0, &text, max_width, &Hyphenator::none())
    };
    // No more names than the rows could hold laid end to end (a paper may have hundreds of
    // authors; each try wraps them all).
    let mut budget = most as f32 * max_width;
    let mut shown = 0;
    while shown < names.len() && budget > 0.0 {
        budget -= measure(style, size, 0.0, names[shown]);
        shown += 1;
    }
    while shown > 1 {
        let rows = rows_of(shown);
        // A "…" alone on a row would read as a stray mark.
        let stray = shown < names.len() && rows.last().is_some_and(|row| row == "…");
        if rows.len() <= most && !stray {
            return rows;
        }
        shown -= 1;
    }
    let rows = rows_of(shown.min(1));
    if rows.len() <= most {
        return rows;
    }
    let alone = wrap(
        style,
        size,
        0.0,
        names.first().copied().unwrap_or(""),
        max_width,
        &Hyphenator::none(),
    );
    at_most(style, size, 0.0, alone, most, max_width)
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

/// A font as the cover uses it: ab_glyph draws its glyphs, rustybuzz shapes the scripts
/// that need it (Arabic joining, Indic reordering).
struct CoverFace<'a> {
    font: FontRef<'a>,
    bytes: &'a [u8],
    index: u32,
    /// Made when a row first needs shaping. Reading the four bundled faces' layout tables for
    /// rustybuzz took 0.08 ms of the 1 ms a cover's drawing takes, and most covers are in
    /// scripts drawn letter by letter.
    shaper: std::cell::OnceCell<Option<rustybuzz::Face<'a>>>,
}

impl<'a> CoverFace<'a> {
    fn parse(bytes: &'a [u8], index: u32) -> Option<CoverFace<'a>> {
        Some(CoverFace {
            font: FontRef::try_from_slice_and_index(bytes, index).ok()?,
            bytes,
            index,
            shaper: std::cell::OnceCell::new(),
        })
    }

    /// The face as rustybuzz shapes with it. Both libraries parse a face with ttf-parser,
    /// so where ab_glyph took it (`parse`), so does rustybuzz: `None` does not happen.
    fn shaper(&self) -> Option<&rustybuzz::Face<'a>> {
        self.shaper
            .get_or_init(|| rustybuzz::Face::from_slice(self.bytes, self.index))
            .as_ref()
    }
}

impl<'a> std::ops::Deref for CoverFace<'a> {
    type Target = FontRef<'a>;

    fn deref(&self) -> &FontRef<'a> {
        &self.font
    }
}

/// The bundled faces, for as long as `'a` (they are part of the binary; a shorter life lets
/// them sit beside the fallbacks).
struct Fonts<'a> {
    serif_bold: CoverFace<'a>,
    serif_italic: CoverFace<'a>,
    sans: CoverFace<'a>,
    sans_bold: CoverFace<'a>,
}

impl<'a> Fonts<'a> {
    fn load() -> Fonts<'a> {
        // The fonts are part of the binary and known good; a failure here is a build defect.
        let load = |bytes: &'a [u8]| CoverFace::parse(bytes, 0).expect("bundled font parses");
        Fonts {
            serif_bold: load(SERIF_BOLD),
            serif_italic: load(SERIF_ITALIC),
            sans: load(SANS),
            sans_bold: load(SANS_BOLD),
        }
    }
}

/// A face to draw what the bundled cover fonts lack.
struct Fallback<'a> {
    font: CoverFace<'a>,
    /// The styles a discovered face was chosen for; `None` for the user's own fonts,
    /// which come first whatever the style.
    wants: Option<Vec<Want>>,
}

impl<'a> Fallback<'a> {
    fn load(extra: &'a UserFonts) -> Vec<Fallback<'a>> {
        let user = extra.files.iter().filter_map(|(_, bytes)| {
            let font = CoverFace::parse(bytes, 0)?;
            Some(Fallback { font, wants: None })
        });
        let discovered = extra.discovered.iter().filter_map(|face| {
            let bytes = extra.sources.get(face.source)?;
            let font = CoverFace::parse(bytes, face.index)?;
            Some(Fallback {
                font,
                wants: Some(face.wants.clone()),
            })
        });
        user.chain(discovered).collect()
    }
}

/// A cover style: its bundled font and the faces to fall back on.
struct Styled<'s, 'a> {
    primary: &'s CoverFace<'a>,
    want: Want,
    fallbacks: &'s [Fallback<'a>],
}

impl<'s, 'a> Styled<'s, 'a> {
    /// A bundled font with nothing to fall back on.
    #[cfg(test)]
    fn bundled(primary: &'s CoverFace<'a>, want: Want) -> Styled<'s, 'a> {
        Styled {
            primary,
            want,
            fallbacks: &[],
        }
    }

    /// The font that draws `c`: the style's own, else the first user font that has it,
    /// else the discovered face nearest the style; the style's own (a box) if none has it.
    fn font_for(&self, c: char) -> &'s CoverFace<'a> {
        if c.is_whitespace() || self.primary.glyph_id(c).0 != 0 {
            return self.primary;
        }
        let has = |f: &&Fallback<'a>| f.font.glyph_id(c).0 != 0;
        let user = self
            .fallbacks
            .iter()
            .filter(|f| f.wants.is_none())
            .find(has);
        let fallbacks: &'s [Fallback<'a>] = self.fallbacks;
        user.or_else(|| {
            fallbacks.iter().filter(has).min_by_key(|f| {
                f.wants
                    .iter()
                    .flatten()
                    .map(|w| w.distance(self.want))
                    .min()
                    .unwrap_or(u8::MAX)
            })
        })
        .map_or(self.primary, |f| &f.font)
    }
}

/// Whether `text` has letters of a script that must be shaped to be read (joined, reordered):
/// Hebrew to Mongolian, and the Brahmic blocks past them. Other text is drawn letter by
/// letter, as it always was.
fn needs_shaping(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{0590}'..='\u{1CFF}').contains(&c) || ('\u{A800}'..='\u{ABFF}').contains(&c))
}

/// One shaped glyph, placed along a row in px from the row's start.
struct Placed<'s, 'a> {
    face: &'s CoverFace<'a>,
    glyph: ab_glyph::GlyphId,
    x: f32,
    y_offset: f32,
    /// The character the glyph's cluster starts with, to name in a warning.
    first: char,
}

/// `text` shaped by rustybuzz in visual order (the bidirectional algorithm over the row),
/// each run in the face that has its letters. No letter spacing: it would break joined
/// letters (Arabic) and headstrokes (Devanagari). Returns the glyphs, the row's width and
/// whether the row reads right to left.
fn shape_row<'s, 'a>(
    style: &Styled<'s, 'a>,
    size: f32,
    text: &str,
) -> (Vec<Placed<'s, 'a>>, f32, bool) {
    let bidi = unicode_bidi::BidiInfo::new(text, None);
    let mut placed = Vec::new();
    let mut x = 0.0;
    let mut rtl_row = false;
    for paragraph in &bidi.paragraphs {
        rtl_row |= paragraph.level.is_rtl();
        let (levels, runs) = bidi.visual_runs(paragraph, paragraph.range.clone());
        for run in runs {
            let rtl = levels[run.start].is_rtl();
            // Runs of one face, in logical order, then turned for right-to-left.
            let mut pieces: Vec<(&'s CoverFace<'a>, usize, usize)> = Vec::new();
            for (i, c) in text[run.clone()].char_indices() {
                let at = run.start + i;
                let face = match pieces.last() {
                    Some(last) if c.is_whitespace() => last.0,
                    _ => style.font_for(c),
                };
                match pieces.last_mut() {
                    Some(last) if std::ptr::eq(last.0, face) => last.2 = at + c.len_utf8(),
                    _ => pieces.push((face, at, at + c.len_utf8())),
                }
            }
            if rtl {
                pieces.reverse();
            }
            for (face, start, end) in pieces {
                let Some(shaper) = face.shaper() else {
                    continue;
                };
                let shaped = crate::write::fonts::shape_run(shaper, &text[start..end], rtl);
                // ab_glyph's px scale, so shaped and unshaped text are the same size.
                let scale = face
                    .as_scaled(PxScale::from(size))
                    .scale_factor()
                    .horizontal;
                for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
                    let first = text[start + info.cluster as usize..]
                        .chars()
                        .next()
                        .unwrap_or(' ');
                    placed.push(Placed {
                        face,
                        glyph: ab_glyph::GlyphId(u16::try_from(info.glyph_id).unwrap_or(0)),
                        x: x + pos.x_offset as f32 * scale,
                        y_offset: pos.y_offset as f32 * scale,
                        first,
                    });
                    x += pos.x_advance as f32 * scale;
                }
            }
        }
    }
    (placed, x, rtl_row)
}

/// The width of `text` at `size` px with `tracking` px between letters.
fn measure(style: &Styled, size: f32, tracking: f32, text: &str) -> f32 {
    if needs_shaping(text) {
        return shape_row(style, size, text).1;
    }
    Running::START.then(style, size, tracking, text).width
}

/// A row's width as [`measure`] adds it up, glyph after glyph, and the glyph it ends with: a
/// row can be carried on without measuring it again from its start (and comes to the very
/// width measuring it whole gives).
#[derive(Clone, Copy)]
struct Running<'s, 'a> {
    width: f32,
    previous: Option<(&'s FontRef<'a>, ab_glyph::GlyphId)>,
}

impl<'s, 'a> Running<'s, 'a> {
    const START: Running<'s, 'a> = Running {
        width: 0.0,
        previous: None,
    };

    /// The row followed by `text` (text that needs no shaping).
    fn then(mut self, style: &Styled<'s, 'a>, size: f32, tracking: f32, text: &str) -> Self {
        for c in text.chars() {
            self.set(style, size, tracking, c);
        }
        self
    }

    /// Sets `c` at the end of the row: kerned against the glyph before it, then advanced
    /// past. Returns its font, its glyph and where it was set (the width before its advance).
    fn set(
        &mut self,
        style: &Styled<'s, 'a>,
        size: f32,
        tracking: f32,
        c: char,
    ) -> (&'s FontRef<'a>, ab_glyph::GlyphId, f32) {
        let font: &'s FontRef<'a> = &style.font_for(c).font;
        let scaled = font.as_scaled(PxScale::from(size));
        let id = scaled.glyph_id(c);
        if let Some((prev_font, prev)) = self.previous {
            // Kerning is between glyphs of one font.
            if std::ptr::eq(prev_font, font) {
                self.width += scaled.kern(prev, id);
            }
        }
        let at = self.width;
        self.width += scaled.h_advance(id) + tracking;
        self.previous = Some((font, id));
        (font, id, at)
    }
}

/// The hyphenator for a language (a BCP 47 tag), its patterns loaded when a word is first
/// cut: most titles wrap between words, and loading the patterns cost as much as the
/// cover's text layout.
struct Hyphenator<'a> {
    language: Option<&'a str>,
    loaded: std::cell::OnceCell<Option<Hyphenation>>,
}

impl<'a> Hyphenator<'a> {
    /// No hyphenation (for names, and the site's name in capitals).
    fn none() -> Hyphenator<'static> {
        Hyphenator::new(None)
    }

    fn new(language: Option<&'a str>) -> Hyphenator<'a> {
        Hyphenator {
            language,
            loaded: std::cell::OnceCell::new(),
        }
    }

    /// The hyphenation of the language, if quire has patterns for it.
    fn get(&self) -> Option<Hyphenation> {
        *self
            .loaded
            .get_or_init(|| Hyphenation::for_language(self.language))
    }
}

/// Greedy word wrap to `max_width`; a word longer than a line is cut as [`word_cuts`] says
/// (hyphenated in `hyphenation`'s language where it can be).
///
/// Each row is measured as it grows, a word at a time (the title alone is wrapped at up to
/// thirteen sizes until it fits). Text that is shaped is measured whole, row by row
/// ([`wrap_measuring_whole_rows`]): shaping a row can change its letters.
fn wrap(
    style: &Styled,
    size: f32,
    tracking: f32,
    text: &str,
    max_width: f32,
    hyphenation: &Hyphenator,
) -> Vec<String> {
    if needs_shaping(text) {
        return wrap_measuring_whole_rows(style, size, tracking, text, max_width, hyphenation);
    }
    wrap_with(
        text,
        max_width,
        Running::START,
        |running, _, more| running.then(style, size, tracking, more),
        |running| running.width,
        |word| word_cuts(word, hyphenation.get()),
    )
}

/// [`wrap`], measuring each candidate row whole.
fn wrap_measuring_whole_rows(
    style: &Styled,
    size: f32,
    tracking: f32,
    text: &str,
    max_width: f32,
    hyphenation: &Hyphenator,
) -> Vec<String> {
    wrap_with(
        text,
        max_width,
        0.0,
        |_, row, more| measure(style, size, tracking, &format!("{row}{more}")),
        |width| *width,
        |word| word_cuts(word, hyphenation.get()),
    )
}

/// Where a word too long for a line may be cut, each with whether a hyphen is drawn there,
/// in the order a reader expects them: after the word's own hyphens and slashes ("Meta-" /
/// "Programming"), at the hyphenation points of the parts between them ("Donaudampf-"),
/// else between any two grapheme clusters (with a hyphen between letters of an alphabet
/// that hyphenates; none in Chinese, Thai or Arabic, which are not hyphenated).
fn word_cuts(word: &str, hyphenation: Option<Hyphenation>) -> WordCuts {
    let (mut own, mut points) = (Vec::new(), Vec::new());
    let mut part_start = 0;
    let hyphenate_part = |part_start: usize, end: usize, points: &mut Vec<(usize, bool)>| {
        if let Some(hyphenation) = hyphenation {
            let part = &word[part_start..end];
            points.extend(
                hyphenation
                    .points(part)
                    .into_iter()
                    .map(|p| (part_start + p, true)),
            );
        }
    };
    for (at, c) in word.char_indices() {
        if matches!(c, '-' | '\u{2010}' | '/') {
            hyphenate_part(part_start, at, &mut points);
            let after = at + c.len_utf8();
            if after < word.len() {
                own.push((after, false));
            }
            part_start = after;
        }
    }
    hyphenate_part(part_start, word.len(), &mut points);
    let anywhere = grapheme_boundaries(word)
        .map(|at| {
            let before = word[..at].chars().next_back();
            let after = word[at..].chars().next();
            let letters = |c: Option<char>| c.is_some_and(hyphenate::takes_hyphen);
            (at, letters(before) && letters(after))
        })
        .collect();
    WordCuts {
        own,
        points,
        anywhere,
    }
}

/// The places a word may be cut (see [`word_cuts`]), in order: byte offsets, and whether a
/// hyphen is drawn at each.
struct WordCuts {
    /// After the word's own hyphens and slashes.
    own: Vec<(usize, bool)>,
    /// At its hyphenation points.
    points: Vec<(usize, bool)>,
    /// Between any two grapheme clusters.
    anywhere: Vec<(usize, bool)>,
}

/// Greedy word wrap to `max_width`, a word longer than a line cut where `cuts` says, with
/// rows measured by `grow`: given what `start` or an earlier `grow` made of `row`, it makes
/// the same of `row` followed by `more`, and `width` tells that row's width.
fn wrap_with<M: Copy>(
    text: &str,
    max_width: f32,
    start: M,
    grow: impl Fn(M, &str, &str) -> M,
    width: impl Fn(&M) -> f32,
    cuts: impl Fn(&str) -> WordCuts,
) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut measured = start;
    for word in text.split_whitespace() {
        let more = if current.is_empty() {
            Cow::Borrowed(word)
        } else {
            Cow::Owned(format!(" {word}"))
        };
        let candidate = grow(measured, &current, &more);
        if width(&candidate) <= max_width {
            current.push_str(&more);
            measured = candidate;
            continue;
        }
        if !current.is_empty() {
            rows.push(std::mem::take(&mut current));
        }
        let alone = grow(start, "", word);
        if width(&alone) <= max_width {
            current = word.to_string();
            measured = alone;
            continue;
        }
        // Wider than a line: a row of as much of it as fits, at a place it may be cut,
        // until the rest fits.
        let cuts = cuts(word);
        let mut from = 0;
        loop {
            let rest = &word[from..];
            let whole = grow(start, "", rest);
            let piece = |&(at, hyphen): &(usize, bool)| {
                let mut piece = word[from..at].to_string();
                if hyphen {
                    piece.push('-');
                }
                piece
            };
            let fits = |cut: &(usize, bool)| width(&grow(start, "", &piece(cut))) <= max_width;
            // The last of each kind that fits (a longer piece is never narrower).
            let last_fitting = |of: &[(usize, bool)]| {
                let after: Vec<(usize, bool)> =
                    of.iter().filter(|(at, _)| *at > from).copied().collect();
                let fitting = after.partition_point(fits);
                fitting.checked_sub(1).map(|i| after[i])
            };
            let anywhere = last_fitting(&cuts.anywhere);
            // The word's own hyphen, unless it leaves the row less than a quarter full of
            // what a cut anywhere would hold; else a hyphenation point, unless it leaves it
            // less than half full ("Do-" for "Donaudampfschif-"); else anywhere.
            let holds = |cut: &(usize, bool), share: usize| {
                anywhere.is_none_or(|anywhere| share * (cut.0 - from) >= anywhere.0 - from)
            };
            let cut = last_fitting(&cuts.own)
                .filter(|cut| holds(cut, 4))
                .or_else(|| last_fitting(&cuts.points).filter(|cut| holds(cut, 2)))
                .or(anywhere)
                // A single cluster wider than the line: alone on its row.
                .or_else(|| cuts.anywhere.iter().find(|(at, _)| *at > from).copied());
            match cut {
                Some(cut) if width(&whole) > max_width => {
                    rows.push(piece(&cut));
                    from = cut.0;
                }
                _ => {
                    current = rest.to_string();
                    measured = whole;
                    break;
                }
            }
        }
    }
    if !current.is_empty() {
        rows.push(current);
    }
    rows
}

/// The side of a square tile, in pixels (a tile of palette indices is 1 KiB): small enough
/// that a rule or a frame makes few, large enough that copying rows out stays cheap.
const TILE: u32 = 32;

/// Palette indices in square tiles, each made (zeroed: the background) when first drawn on.
struct Tiles {
    /// Tiles across a row of tiles.
    across: u32,
    /// Row of tiles by row of tiles; `None` is a tile of background.
    tiles: Vec<Option<Box<[u8]>>>,
}

impl Tiles {
    fn new(width: u32, height: u32) -> Tiles {
        let across = width.div_ceil(TILE);
        let down = height.div_ceil(TILE);
        Tiles {
            across,
            tiles: vec![None; across as usize * down as usize],
        }
    }

    /// The index of the tile holding `x`, `y`, and of the pixel in it.
    fn place(&self, x: u32, y: u32) -> (usize, usize) {
        let tile = (y / TILE) * self.across + x / TILE;
        let pixel = (y % TILE) * TILE + x % TILE;
        (tile as usize, pixel as usize)
    }

    /// The palette index at `x`, `y` (inside the picture).
    #[cfg(test)]
    fn get(&self, x: u32, y: u32) -> u8 {
        let (tile, pixel) = self.place(x, y);
        self.tiles[tile].as_ref().map_or(0, |t| t[pixel])
    }

    /// The palette index at `x`, `y` (inside the picture), its tile made if need be.
    #[cfg(test)]
    fn get_mut(&mut self, x: u32, y: u32) -> &mut u8 {
        &mut self.stretch_mut(x, y, 1)[0]
    }

    /// The pixels of row `y` from `x` (inside the picture) to the end of their tile, at most
    /// `most` of them; the tile is made if need be.
    fn stretch_mut(&mut self, x: u32, y: u32, most: usize) -> &mut [u8] {
        let (tile, pixel) = self.place(x, y);
        let tile = self.tiles[tile]
            .get_or_insert_with(|| vec![0; (TILE * TILE) as usize].into_boxed_slice());
        let count = ((TILE - x % TILE) as usize).min(most);
        &mut tile[pixel..pixel + count]
    }

    /// Sets the pixels `x0..x1` of row `y` (inside the picture) to `index`.
    fn fill_span(&mut self, y: u32, x0: u32, x1: u32, index: u8) {
        let mut x = x0;
        while x < x1 {
            let stretch = self.stretch_mut(x, y, (x1 - x) as usize);
            stretch.fill(index);
            x += stretch.len() as u32;
        }
    }

    /// Writes row `y` (`out` is `width` long) as PNG's "Up" filter stores it: each pixel
    /// minus the one above it (above the first row, zeros). Worked out tile by tile, without
    /// copying the rows out: where neither the tile nor the one above was drawn on (most of a
    /// cover) the stretch is zeros, and `zeroed` (one flag for each tile across, kept from
    /// row to row by the caller, all true at first) says it already holds them.
    fn up_filtered_row(&self, y: u32, out: &mut [u8], zeroed: &mut [bool]) {
        let first = (y / TILE * self.across) as usize;
        let offset = ((y % TILE) * TILE) as usize;
        // The row above: in the same tiles unless `y` starts a row of tiles.
        let (first_above, offset_above) = match y.checked_sub(1) {
            Some(above) => (
                Some((above / TILE * self.across) as usize),
                ((above % TILE) * TILE) as usize,
            ),
            None => (None, 0),
        };
        for (across, chunk) in out.chunks_mut(TILE as usize).enumerate() {
            let now = self.tiles[first + across].as_deref();
            let above = first_above.and_then(|first| self.tiles[first + across].as_deref());
            let width = chunk.len();
            match (now, above) {
                (None, None) => {
                    if !zeroed[across] {
                        chunk.fill(0);
                        zeroed[across] = true;
                    }
                    continue;
                }
                (Some(now), None) => chunk.copy_from_slice(&now[offset..offset + width]),
                (None, Some(above)) => {
                    for (out, &up) in chunk.iter_mut().zip(&above[offset_above..]) {
                        *out = up.wrapping_neg();
                    }
                }
                (Some(now), Some(above)) => {
                    let now = &now[offset..offset + width];
                    for ((out, &here), &up) in chunk.iter_mut().zip(now).zip(&above[offset_above..])
                    {
                        *out = here.wrapping_sub(up);
                    }
                }
            }
            zeroed[across] = false;
        }
    }

    /// Copies row `y` into `row` (`width` long).
    #[cfg(test)]
    fn copy_row(&self, y: u32, row: &mut [u8]) {
        let first = (y / TILE * self.across) as usize;
        let offset = ((y % TILE) * TILE) as usize;
        for (across, chunk) in row.chunks_mut(TILE as usize).enumerate() {
            match &self.tiles[first + across] {
                Some(tile) => chunk.copy_from_slice(&tile[offset..offset + chunk.len()]),
                None => chunk.fill(0),
            }
        }
    }

    /// Every pixel's palette index, row by row, of a picture `width` × `height` (for tests).
    #[cfg(test)]
    fn all(&self, width: u32, height: u32) -> Vec<u8> {
        let mut all = vec![0; (width * height) as usize];
        for (y, row) in all.chunks_mut(width as usize).enumerate() {
            self.copy_row(y as u32, row);
        }
        all
    }
}

struct Canvas {
    width: u32,
    height: u32,
    /// Palette indices (see [`Paint`]).
    pixels: Tiles,
    missing: Vec<char>,
    glyphs: GlyphCache,
    /// The rows of text drawn (for tests).
    #[cfg(test)]
    rows: Vec<String>,
}

/// A glyph's coverage, drawn once for each font, size and half-pixel position and set
/// wherever it recurs: a title repeats its letters, and drawing outlines was most of the
/// time spent on the text.
#[derive(Default)]
struct GlyphCache {
    drawn: HashMap<GlyphKey, Option<Coverage>>,
    /// One rasterizer for every glyph, cleared for each: its buffer is the size of the largest
    /// glyph's box, allocated once.
    raster: Option<ab_glyph_rasterizer::Rasterizer>,
}

/// A font (by address: the fonts live as long as the canvas), a glyph, a size (its bits) and
/// whether it sits half a pixel across from a whole pixel (the baseline is set on whole
/// pixels: a line moves by under half a pixel, its letters all alike; across, letters keep
/// their spacing to within a quarter of a pixel, which at a cover's sizes no one sees, and each
/// glyph is drawn at most twice).
type GlyphKey = (usize, u16, u32, u8);

/// Coverage in levels (0 to [`LEVELS`]), row by row, of a box whose top left corner is
/// `left`, `top` pixels from the whole-pixel point the glyph was placed at.
struct Coverage {
    left: i64,
    top: i64,
    width: usize,
    levels: Vec<u8>,
    /// For each row, the columns from its first covered pixel to past its last (empty when it
    /// has none): most of a glyph's box is blank.
    spans: Vec<std::ops::Range<usize>>,
}

/// Coverage from 0 to 1 in levels of [`LEVELS`], rounded.
fn coverage_level(alpha: f32) -> u8 {
    (alpha.clamp(0.0, 1.0) * f32::from(LEVELS) + 0.5) as u8
}

/// Lays `paint` at `level` of coverage over `pixel`.
fn blend(pixel: &mut u8, paint: Paint, level: u8) {
    if level == 0 {
        return;
    }
    let level = match Paint::of(*pixel) {
        None => level,
        // Over the same colour, coverage adds up as blending would: a + (1 - a) * alpha,
        // rounded.
        Some((under, covered)) if under == paint => {
            let (covered, level, levels) =
                (u32::from(covered), u32::from(level), u32::from(LEVELS));
            (covered + ((levels - covered) * level + levels / 2) / levels) as u8
        }
        // Over the other colour (the two never meet in this layout), the stronger wins.
        Some((_, covered)) if covered >= level => return,
        Some(_) => level,
    };
    *pixel = paint.index(level.min(LEVELS));
}

/// What [`blend`] makes of a background pixel (index 0): the paint's index for `level`, and
/// 0 for no coverage; without branches on the pixel, so that a run of them vectorises.
#[inline]
fn over_background(paint: Paint, level: u8) -> u8 {
    let offset = paint.index(1) - 1;
    if level == 0 {
        0
    } else {
        level + offset
    }
}

/// A position split into whole pixels and halves of a pixel (0 or 1), rounded.
fn halves(position: f32) -> (i64, u8) {
    let half_steps = (position * 2.0).round() as i64;
    (half_steps.div_euclid(2), half_steps.rem_euclid(2) as u8)
}

impl GlyphCache {
    /// The coverage of `glyph` of `font` at `size`, placed `half` a pixel across past a whole
    /// pixel; `None` for a glyph with no outline (a space).
    fn get(
        &mut self,
        font: &FontRef,
        glyph: ab_glyph::GlyphId,
        size: f32,
        half: u8,
    ) -> Option<&Coverage> {
        let key = (
            std::ptr::from_ref(font) as usize,
            glyph.0,
            size.to_bits(),
            half,
        );
        let raster = &mut self.raster;
        self.drawn
            .entry(key)
            .or_insert_with(|| {
                let at = ab_glyph::point(f32::from(half) / 2.0, 0.0);
                let outline = font.outline(glyph)?;
                let curves = outline.curves.clone();
                let scale = font.as_scaled(PxScale::from(size)).scale_factor();
                // ab_glyph works out the pixel box; the drawing is done here, with the same
                // scaling, because `OutlinedGlyph::draw` hands each pixel over as x and y
                // worked out by a division per pixel, which was most of a cover's time.
                let bounds = ab_glyph::OutlinedGlyph::new(
                    glyph.with_scale_and_position(size, at),
                    outline,
                    scale,
                )
                .px_bounds();
                let (width, height) = (bounds.width() as usize, bounds.height() as usize);
                let offset = at - bounds.min;
                let place = |p: &ab_glyph::Point| {
                    ab_glyph::point(p.x * scale.horizontal, -p.y * scale.vertical) + offset
                };
                let raster = match raster {
                    Some(raster) => {
                        raster.reset(width, height);
                        raster
                    }
                    None => raster.insert(ab_glyph_rasterizer::Rasterizer::new(width, height)),
                };
                for curve in &curves {
                    match curve {
                        OutlineCurve::Line(a, b) => raster.draw_line(place(a), place(b)),
                        OutlineCurve::Quad(a, b, c) => {
                            raster.draw_quad(place(a), place(b), place(c))
                        }
                        OutlineCurve::Cubic(a, b, c, d) => {
                            raster.draw_cubic(place(a), place(b), place(c), place(d))
                        }
                    }
                }
                // The pixels come in order, row by row, one for each of the box's.
                let mut levels = Vec::with_capacity(width * height);
                raster.for_each_pixel(|_, coverage| levels.push(coverage_level(coverage)));
                let spans = levels
                    .chunks(width.max(1))
                    .map(|row| {
                        let first = row.iter().position(|&l| l > 0).unwrap_or(0);
                        let end = row.iter().rposition(|&l| l > 0).map_or(0, |last| last + 1);
                        first..end.max(first)
                    })
                    .collect();
                Some(Coverage {
                    left: bounds.min.x as i64,
                    top: bounds.min.y as i64,
                    width,
                    levels,
                    spans,
                })
            })
            .as_ref()
    }
}

impl Canvas {
    /// Lays `paint` at coverage `alpha` over the pixel at `x`, `y`.
    #[cfg(test)]
    fn blend(&mut self, x: u32, y: u32, paint: Paint, alpha: f32) {
        blend(self.pixels.get_mut(x, y), paint, coverage_level(alpha));
    }

    fn fill(&mut self, x: f32, y: f32, width: f32, height: f32, paint: Paint) {
        let (w, h) = (self.width, self.height);
        let clamp = |v: f32, max: u32| (v.round().max(0.0) as u32).min(max);
        let (x0, x1) = (clamp(x, w), clamp(x + width, w));
        let (y0, y1) = (clamp(y, h), clamp(y + height, h));
        let full = paint.index(LEVELS);
        for py in y0..y1 {
            self.pixels.fill_span(py, x0, x1, full);
        }
    }

    fn rule(&mut self, x: f32, y: f32, width: f32, thickness: f32, paint: Paint) {
        self.fill(x, y, width, thickness, paint);
    }

    fn frame(&mut self, inset: f32, thickness: f32, paint: Paint) {
        let w = self.width as f32;
        let h = self.height as f32;
        self.fill(inset, inset, w - 2.0 * inset, thickness, paint);
        self.fill(
            inset,
            h - inset - thickness,
            w - 2.0 * inset,
            thickness,
            paint,
        );
        self.fill(inset, inset, thickness, h - 2.0 * inset, paint);
        self.fill(
            w - inset - thickness,
            inset,
            thickness,
            h - 2.0 * inset,
            paint,
        );
    }

    /// Draws `glyph` of `font` with its origin at `x` on `baseline`.
    fn glyph(
        &mut self,
        font: &FontRef,
        glyph: ab_glyph::GlyphId,
        size: f32,
        x: f32,
        baseline: f32,
        paint: Paint,
    ) {
        let (whole_x, half) = halves(x);
        let whole_y = baseline.round() as i64;
        if let Some(coverage) = self.glyphs.get(font, glyph, size, half) {
            let (left, top) = (whole_x + coverage.left, whole_y + coverage.top);
            let rows = coverage.levels.chunks(coverage.width.max(1));
            for (row, (levels, span)) in rows.zip(&coverage.spans).enumerate() {
                let y = top + row as i64;
                if span.is_empty() || !(0..i64::from(self.height)).contains(&y) {
                    continue;
                }
                // The covered part of the row inside the picture, a tile's stretch at a time.
                let first = (span.start as i64).max(-left) as usize;
                let last = (span.end as i64).min(i64::from(self.width) - left);
                let mut column = first;
                while (column as i64) < last {
                    let x = (left + column as i64) as u32;
                    let stretch = self.pixels.stretch_mut(x, y as u32, last as usize - column);
                    let count = stretch.len();
                    let levels = &levels[column..column + count];
                    // Or-ed together rather than `all`: without an early exit, a stretch
                    // is tested many bytes at once, and it is a tile wide at most.
                    if stretch.iter().fold(0, |any, &pixel| any | pixel) == 0 {
                        // Over bare background, nearly always (letters seldom touch): a
                        // loop the compiler makes vector code of.
                        for (pixel, &level) in stretch.iter_mut().zip(levels) {
                            *pixel = over_background(paint, level);
                        }
                    } else {
                        for (pixel, &level) in stretch.iter_mut().zip(levels) {
                            blend(pixel, paint, level);
                        }
                    }
                    column += count;
                }
            }
        }
    }

    /// Draws one line of text whose top (the ascender line) is at `top`.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        style: &Styled,
        size: f32,
        tracking: f32,
        text: &str,
        left: f32,
        top: f32,
        max_width: f32,
        paint: Paint,
    ) {
        #[cfg(test)]
        self.rows.push(text.to_string());
        // One baseline for the line: the style's own font's, whatever face a letter is in.
        let baseline = top + style.primary.as_scaled(PxScale::from(size)).ascent();
        if needs_shaping(text) {
            let (glyphs, width, rtl) = shape_row(style, size, text);
            // A right-to-left row starts at the right edge.
            let start = if rtl && width < max_width {
                left + max_width - width
            } else {
                left
            };
            for placed in glyphs {
                if placed.glyph.0 == 0
                    && !placed.first.is_whitespace()
                    && !self.missing.contains(&placed.first)
                {
                    self.missing.push(placed.first);
                }
                if placed.x > max_width {
                    break;
                }
                self.glyph(
                    &placed.face.font,
                    placed.glyph,
                    size,
                    start + placed.x,
                    baseline - placed.y_offset,
                    paint,
                );
            }
            return;
        }
        // Letter after letter as `measure` adds a row up, starting at `left`.
        let mut row = Running {
            width: left,
            previous: None,
        };
        for c in text.chars() {
            let (font, id, x) = row.set(style, size, tracking, c);
            if id.0 == 0 && !c.is_whitespace() && !self.missing.contains(&c) {
                self.missing.push(c);
            }
            if x - left > max_width {
                break;
            }
            self.glyph(font, id, size, x, baseline, paint);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TITLE: &str = "A title that is long enough to wrap over lines";

    fn sample() -> (Cover, Vec<char>) {
        let meta = Meta {
            site_name: Some("The Site".into()),
            authors: vec!["Ann Author".into()],
            published: crate::model::Date::parse_iso("2024-05-01T10:00:00Z"),
            ..Meta::default()
        };
        generate(
            &CoverText {
                contents: &["First article".into(), "Second article".into()],
                title: TITLE,
                meta: &meta,
                labels: Labels::for_language(None),
            },
            600,
            800,
        )
    }

    /// The one rasterizer is cleared and resized for each glyph: a glyph drawn after others
    /// (larger, smaller, at the other half pixel) has the coverage it has when drawn first.
    #[test]
    fn a_glyph_is_drawn_alike_whatever_was_drawn_before_it() {
        let fonts = Fonts::load();
        let font = &fonts.serif_bold.font;
        let id = |c| font.glyph_id(c);
        let drawn_alone = |c, size, half| {
            let mut cache = GlyphCache::default();
            let coverage = cache.get(font, id(c), size, half).expect("an outline");
            (
                coverage.left,
                coverage.top,
                coverage.width,
                coverage.levels.clone(),
                coverage.spans.clone(),
            )
        };
        let mut shared = GlyphCache::default();
        let sequence = [
            ('W', 180.0, 0),
            ('i', 14.0, 1),
            ('g', 96.0, 1),
            ('W', 180.0, 1),
            ('.', 30.0, 0),
            ('g', 96.0, 0),
        ];
        for (c, size, half) in sequence {
            let coverage = shared.get(font, id(c), size, half).expect("an outline");
            let got = (
                coverage.left,
                coverage.top,
                coverage.width,
                coverage.levels.clone(),
                coverage.spans.clone(),
            );
            assert!(got.3.iter().any(|&level| level > 0), "{c} is drawn");
            assert_eq!(
                got,
                drawn_alone(c, size, half),
                "{c} at {size}, half {half}"
            );
        }
    }

    #[test]
    fn draws_text_on_the_background() {
        let (cover, missing) = sample();
        assert_eq!((cover.width, cover.height), (600, 800));
        assert!(missing.is_empty());
        let pixels = cover.pixels.all(cover.width, cover.height);
        let inked = pixels.iter().filter(|p| **p != 0).count();
        assert!(inked > 10_000, "text was drawn ({inked} pixels)");
        // Both colours, faint and full: anti-aliased text and solid rules.
        for paint in [Paint::Ink, Paint::Accent] {
            let full = pixels.iter().filter(|p| **p == paint.index(LEVELS));
            assert!(full.count() > 100, "{paint:?} at full strength");
            let faint = pixels.iter().filter(|p| {
                Paint::of(**p).is_some_and(|(drawn, level)| drawn == paint && level < LEVELS)
            });
            assert!(faint.count() > 100, "{paint:?} blended at the edges");
        }
    }

    #[test]
    fn the_png_holds_the_drawn_colours() {
        let (cover, _) = sample();
        let png = cover.to_png(false).unwrap();
        let decoded = image::load_from_memory(&png).unwrap().to_rgb8();
        assert_eq!(decoded.dimensions(), (600, 800));
        assert_eq!(decoded.get_pixel(0, 0).0, background(TITLE));
        for (x, y, pixel) in decoded.enumerate_pixels() {
            assert_eq!(pixel.0, cover.rgb(x, y), "at {x}, {y}");
        }
        let grey = image::load_from_memory(&cover.to_png(true).unwrap()).unwrap();
        let grey = grey.to_rgb8();
        assert!(grey.pixels().all(|p| p[0] == p[1] && p[1] == p[2]));
        // Grey as `image` makes it from the colour cover.
        let expected = image::DynamicImage::ImageRgb8(decoded)
            .grayscale()
            .to_luma8();
        for (x, y, pixel) in grey.enumerate_pixels() {
            let want = expected.get_pixel(x, y)[0];
            assert!(
                pixel[0].abs_diff(want) <= 1,
                "at {x}, {y}: {} for {want}",
                pixel[0]
            );
        }
    }

    /// The glyph coverage drawn here is what ab_glyph's own `draw` gives, pixel for pixel.
    #[test]
    fn glyph_coverage_matches_ab_glyph_drawing_it() {
        let fonts = Fonts::load();
        let mut cache = GlyphCache::default();
        for font in [&fonts.serif_bold, &fonts.sans_bold, &fonts.serif_italic] {
            for c in ['A', 'g', '@', 'ß', 'Ж', 'W'] {
                for size in [17.0, 30.5, 144.0] {
                    for half in [0u8, 1] {
                        let id = font.glyph_id(c);
                        let at = ab_glyph::point(f32::from(half) / 2.0, 0.0);
                        let outlined = font
                            .outline_glyph(id.with_scale_and_position(size, at))
                            .expect("an outline");
                        let bounds = outlined.px_bounds();
                        let width = bounds.width() as usize;
                        let mut expected = vec![0u8; width * bounds.height() as usize];
                        outlined.draw(|x, y, coverage| {
                            expected[y as usize * width + x as usize] = coverage_level(coverage);
                        });
                        let drawn = cache.get(font, id, size, half).expect("drawn");
                        assert_eq!(
                            (drawn.left, drawn.top, drawn.width),
                            (bounds.min.x as i64, bounds.min.y as i64, width),
                            "{c} at {size}"
                        );
                        assert!(drawn.levels == expected, "{c} at {size}, half {half}");
                    }
                }
            }
        }
    }

    #[test]
    fn over_background_is_a_blend_over_background() {
        for paint in [Paint::Ink, Paint::Accent] {
            for level in 0..=LEVELS {
                let mut pixel = 0;
                blend(&mut pixel, paint, level);
                assert_eq!(over_background(paint, level), pixel, "{paint:?} at {level}");
            }
        }
    }

    #[test]
    fn blends_are_within_half_a_step_of_exact() {
        let background = PALETTE[0];
        assert_eq!(mix(background, INK, 0), background);
        assert_eq!(mix(background, INK, LEVELS), INK);
        assert_eq!(mix(background, ACCENT, LEVELS), ACCENT);
        for level in 0..=LEVELS {
            let alpha = f32::from(level) / f32::from(LEVELS);
            for (got, (from, to)) in mix(background, INK, level)
                .into_iter()
                .zip(background.into_iter().zip(INK))
            {
                let exact = f32::from(from) + (f32::from(to) - f32::from(from)) * alpha;
                assert!(
                    (f32::from(got) - exact).abs() <= 0.5 + 1e-3,
                    "{got} for {exact}"
                );
            }
        }
        // Coverage over the same colour adds up; it never turns back to the background.
        let mut canvas = Canvas {
            width: 1,
            height: 1,
            pixels: Tiles::new(1, 1),
            missing: Vec::new(),
            glyphs: GlyphCache::default(),
            rows: Vec::new(),
        };
        canvas.blend(0, 0, Paint::Ink, 0.5);
        assert_eq!(canvas.pixels.get(0, 0), Paint::Ink.index(64));
        canvas.blend(0, 0, Paint::Ink, 0.5);
        // 64 + (127 - 64) / 2 = 95.5, rounded.
        assert_eq!(canvas.pixels.get(0, 0), Paint::Ink.index(96));
        // A fainter accent leaves the ink; a stronger one replaces it.
        canvas.blend(0, 0, Paint::Accent, 0.2);
        assert_eq!(canvas.pixels.get(0, 0), Paint::Ink.index(96));
        canvas.blend(0, 0, Paint::Accent, 1.0);
        assert_eq!(canvas.pixels.get(0, 0), Paint::Accent.index(LEVELS));
    }

    #[test]
    fn tiles_hold_what_is_drawn_and_only_drawn_tiles_are_made() {
        // 3.5 × 2.5 tiles: partial tiles at the right and the bottom.
        let (width, height) = (TILE * 7 / 2, TILE * 5 / 2);
        let mut tiles = Tiles::new(width, height);
        tiles.fill_span(3, TILE - 4, 3 * TILE - 4, 7);
        *tiles.get_mut(width - 1, height - 1) = 9;
        let all = tiles.all(width, height);
        for y in 0..height {
            for x in 0..width {
                let want = match (x, y) {
                    (x, 3) if (TILE - 4..3 * TILE - 4).contains(&x) => 7,
                    (x, y) if x == width - 1 && y == height - 1 => 9,
                    _ => 0,
                };
                assert_eq!(all[(y * width + x) as usize], want, "at {x}, {y}");
                assert_eq!(tiles.get(x, y), want, "at {x}, {y}");
            }
        }
        // The span crossed three tiles of the top row; the corner is in the last tile.
        let made: Vec<usize> = (0..tiles.tiles.len())
            .filter(|&i| tiles.tiles[i].is_some())
            .collect();
        assert_eq!(made, [0, 1, 2, 11]);
    }

    #[test]
    fn a_glyph_is_drawn_once_and_set_alike_wherever_it_recurs() {
        let fonts = Fonts::load();
        let mut canvas = Canvas {
            width: 400,
            height: 200,
            pixels: Tiles::new(400, 200),
            missing: Vec::new(),
            glyphs: GlyphCache::default(),
            rows: Vec::new(),
        };
        let word = "mississippi";
        let serif_bold = Styled::bundled(&fonts.serif_bold, Want::new(false, true));
        canvas.text(&serif_bold, 30.0, 0.0, word, 10.25, 10.5, 380.0, Paint::Ink);
        // Four letters, each at one of at most two half-pixel positions across.
        let drawn = canvas.glyphs.drawn.len();
        assert!(drawn <= 4 * 2, "{drawn} glyphs drawn");
        // The same word 100 whole pixels lower: the same pixels, shifted.
        canvas.text(
            &serif_bold,
            30.0,
            0.0,
            word,
            10.25,
            110.5,
            380.0,
            Paint::Ink,
        );
        assert_eq!(canvas.glyphs.drawn.len(), drawn);
        let mut inked = 0;
        for y in 0..100 {
            for x in 0..400 {
                assert_eq!(canvas.pixels.get(x, y), canvas.pixels.get(x, y + 100));
                inked += usize::from(canvas.pixels.get(x, y) != 0);
            }
        }
        assert!(inked > 1000, "{inked} pixels inked");
    }

    #[test]
    fn a_cover_makes_few_of_its_tiles() {
        let (cover, _) = sample();
        let made = cover.pixels.tiles.iter().filter(|t| t.is_some()).count();
        let all = cover.pixels.tiles.len();
        assert!(made * 2 < all, "{made} of {all} tiles made");
    }

    /// Rows measured as they grow break where rows measured whole do, and come to the same
    /// widths: in every style, with tracking and without, at many sizes and widths.
    #[test]
    fn wrapping_as_rows_grow_matches_measuring_them_whole() {
        let fonts = Fonts::load();
        let styles = [
            Styled::bundled(&fonts.serif_bold, Want::new(false, true)),
            Styled::bundled(&fonts.serif_italic, Want::new(false, false).italic_if(true)),
            Styled::bundled(&fonts.sans, Want::new(true, false)),
            Styled::bundled(&fonts.sans_bold, Want::new(true, true)),
        ];
        let texts = [
            TITLE,
            "short Pneumonoultramicroscopicsilicovolcanoconiosis",
            "AVATAR Wave: \"To\" LT. Yo, VA — Ünïcødé façade, naïve coöperation; 1,234.56%",
            "Supercalifragilisticexpialidocious",
            "a",
            "  spaced   out  words  ",
            "Ελληνικά και Кириллица mixed with Latin",
            "中文标题没有空格也要换行",
        ];
        let mut compared = 0;
        for style in &styles {
            for text in texts {
                for (size, tracking) in [(12.0, 0.0), (40.8, 4.9), (96.0, 0.0), (144.0, 0.0)] {
                    for max_width in [30.0, 120.0, 333.3, 960.0] {
                        let hyphenation = &Hyphenator::new(Some("en"));
                        let grown = wrap(style, size, tracking, text, max_width, hyphenation);
                        let whole = wrap_measuring_whole_rows(
                            style,
                            size,
                            tracking,
                            text,
                            max_width,
                            hyphenation,
                        );
                        assert_eq!(grown, whole, "{text:?} at {size} in {max_width}");
                        for row in &grown {
                            let running = Running::START.then(style, size, tracking, row);
                            assert_eq!(running.width, measure(style, size, tracking, row));
                        }
                        compared += grown.len();
                    }
                }
            }
        }
        assert!(compared > 1000, "{compared}");
    }

    /// A cover of `meta` titled `title`, and the rows of text drawn on it.
    fn rows_of(title: &str, meta: &Meta) -> Vec<String> {
        let text = CoverText {
            title,
            meta,
            contents: &[],
            labels: Labels::for_language(None),
        };
        generate(&text, 1072, 1448).0.rows
    }

    /// Text the cover has no room for ends with "…" after a whole word: it stopped mid-phrase
    /// ("… En Buenos") or mid-name ("…, Researcher"), as if that were all (QA, EPUB §4).
    #[test]
    fn text_without_room_ends_with_an_ellipsis_after_a_whole_word() {
        let subtitle = "Paritarias: el Gobierno convoca a los gremios. El sindicato reclama 60% \
                        de aumento. En Buenos Aires, Rodolfo Daer amenaza con ir al paro esta \
                        misma noche, y los delegados de las fábricas del conurbano se reúnen \
                        en asamblea para decidir si acompañan la medida o esperan la oferta.";
        let meta = Meta {
            subtitle: Some(subtitle.into()),
            ..Meta::default()
        };
        let rows = rows_of("Paritarias", &meta);
        let shown = rows[1..].join(" ");
        let kept = shown.strip_suffix('…').expect("ends with …");
        // The subtitle's words, whole, cut before a space.
        assert!(subtitle.starts_with(kept), "{rows:?}");
        assert!(subtitle[kept.len()..].starts_with([' ', ',']), "{rows:?}");

        // A long title at the smallest size: nine rows, the last with "…".
        let long: Vec<String> = (1..=120).map(|n| format!("word{n:03}")).collect();
        let rows = rows_of(&long.join(" "), &Meta::default());
        assert_eq!(rows.len(), 9, "{rows:?}");
        let last = rows[8].strip_suffix('…').expect("ends with …");
        assert!(
            last.split(' ').all(|w| long.iter().any(|l| l == w)),
            "{last}"
        );

        // Chinese, with no spaces: cut between characters, with "…".
        let chinese =
            "冬天的港口很安静船只停靠在码头工人们在修理起重机等待三月新的航运季节开始".repeat(20);
        let rows = rows_of(&chinese, &Meta::default());
        assert!(
            rows.len() <= 9 && rows.last().unwrap().ends_with('…'),
            "{rows:?}"
        );
        assert!(chinese.starts_with(rows.concat().trim_end_matches('…')));
    }

    /// A list of authors too long for the foot is cut between names, and says so with "…";
    /// one that fits is listed as the language lists names (it was "A, B, C" in any).
    #[test]
    fn authors_without_room_are_cut_between_names() {
        let authors: Vec<String> = (1..=12).map(|n| format!("Researcher Name{n}")).collect();
        let meta = Meta {
            authors: authors.clone(),
            ..Meta::default()
        };
        let rows = rows_of("Multi-centre trial results", &meta);
        let foot = rows
            .iter()
            .skip_while(|row| !row.starts_with("Researcher"))
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let names = foot.strip_suffix(" …").expect("ends with …");
        let names: Vec<&str> = names.split(", ").collect();
        assert!(names.len() > 2 && names.len() < 12, "{foot}");
        assert_eq!(names, authors[..names.len()], "{foot}");

        // Few enough to fit: all of them, no "…".
        let meta = Meta {
            authors: authors[..3].to_vec(),
            ..Meta::default()
        };
        let rows = rows_of("A title", &meta);
        assert_eq!(
            rows[1..].join(" "),
            "Researcher Name1, Researcher Name2 and Researcher Name3"
        );
        // In the language of the cover's words.
        let rows = generate(
            &CoverText {
                title: "A title",
                meta: &meta,
                contents: &[],
                labels: Labels::for_language(Some("de")),
            },
            1072,
            1448,
        )
        .0
        .rows;
        assert_eq!(
            rows[1..].join(" "),
            "Researcher Name1, Researcher Name2 und Researcher Name3"
        );
        // One name longer than the rows: cut at a word, with no comma left before "…".
        let meta = Meta {
            authors: vec![authors.join(", ")],
            ..Meta::default()
        };
        let rows = rows_of("A title", &meta);
        let last = rows.last().unwrap();
        assert!(last.ends_with('…') && !last.ends_with(",…"), "{rows:?}");
    }

    #[test]
    fn wraps_long_words() {
        let fonts = Fonts::load();
        let sans = Styled::bundled(&fonts.sans, Want::new(true, false));
        let rows = wrap(
            &sans,
            20.0,
            0.0,
            "short Pneumonoultramicroscopicsilicovolcanoconiosis",
            120.0,
            &Hyphenator::none(),
        );
        assert!(rows.len() >= 3);
        for row in &rows {
            assert!(measure(&sans, 20.0, 0.0, row) <= 120.0 || row.chars().count() == 1);
        }
    }

    /// The rows `word` is wrapped into at `size` in a column `width` wide, in German.
    fn german_rows(word: &str, size: f32, width: f32) -> Vec<String> {
        let fonts = Fonts::load();
        let serif_bold = Styled::bundled(&fonts.serif_bold, Want::new(false, true));
        let rows = wrap(
            &serif_bold,
            size,
            0.0,
            word,
            width,
            &Hyphenator::new(Some("de")),
        );
        for row in &rows {
            assert!(measure(&serif_bold, size, 0.0, row) <= width, "{rows:?}");
        }
        rows
    }

    #[test]
    fn hyphenation_patterns_are_loaded_only_for_a_word_that_is_cut() {
        let fonts = Fonts::load();
        let serif_bold = Styled::bundled(&fonts.serif_bold, Want::new(false, true));
        let hyphenator = Hyphenator::new(Some("de"));
        let rows = wrap(
            &serif_bold,
            96.0,
            0.0,
            "Ein kurzer Titel",
            858.0,
            &hyphenator,
        );
        assert_eq!(rows, ["Ein kurzer Titel"]);
        assert!(hyphenator.loaded.get().is_none(), "loaded with no word cut");
        let word = "Donaudampfschifffahrtsgesellschaftskapitänsmütze";
        let rows = wrap(&serif_bold, 96.0, 0.0, word, 858.0, &hyphenator);
        assert!(rows.len() > 1, "{rows:?}");
        assert!(matches!(hyphenator.loaded.get(), Some(Some(_))));
    }

    /// A word too long for a line is broken at its own hyphen, else at a hyphenation point
    /// with a hyphen drawn, else between letters with a hyphen drawn: never cut without
    /// one ("Mini-Marshmallo" / "ws", QA EPUB §5).
    #[test]
    fn long_words_are_hyphenated() {
        let word = "Donaudampfschifffahrtsgesellschaftskapitänsmütze";
        let rows = german_rows(word, 96.0, 858.0);
        assert!(rows.len() > 1, "{rows:?}");
        let (last, broken) = rows.split_last().unwrap();
        assert!(broken.iter().all(|row| row.ends_with('-')), "{rows:?}");
        let joined: String = broken
            .iter()
            .map(|row| row.trim_end_matches('-'))
            .chain([last.as_str()])
            .collect();
        assert_eq!(joined, word);
        let points = Hyphenation::for_language(Some("de")).unwrap().points(word);
        let mut at = 0;
        for row in broken {
            at += row.len() - 1;
            assert!(
                points.contains(&at),
                "{rows:?} cut off the points {points:?}"
            );
        }

        // The word's own hyphen comes first.
        assert_eq!(
            german_rows("Mini-Marshmallows Rezept", 128.0, 858.0),
            ["Mini-", "Marshmallows", "Rezept"]
        );
        // No hyphenation point: cut between letters, still with a hyphen.
        let rows = german_rows("Xqzvbnmkwrtplkjhgfdsxcvbnmqwrtzp", 96.0, 858.0);
        assert!(rows.len() > 1 && rows[0].ends_with('-'), "{rows:?}");
        // Chinese is cut with no hyphen.
        let rows = german_rows(&"冬天的港口很安静".repeat(4), 96.0, 858.0);
        assert!(rows.len() > 1 && !rows.concat().contains('-'), "{rows:?}");
    }

    /// A title whose longest word is a little too wide is set smaller so that the word fits
    /// whole; one far too wide keeps its size and is hyphenated.
    #[test]
    fn a_title_is_set_smaller_for_a_word_a_little_too_wide() {
        let german = Meta {
            language: Some("de".into()),
            ..Meta::default()
        };
        let rows = rows_of("Meta-Programming In Emacs Using Defadvice", &german);
        assert!(
            rows.iter().any(|row| row.starts_with("Meta-Programming")),
            "{rows:?}"
        );
        let rows = rows_of("Donaudampfschifffahrtsgesellschaftskapitänsmütze", &german);
        assert!(rows.len() > 1 && rows[0].ends_with('-'), "{rows:?}");
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
            published: crate::model::Date::parse_iso("2019-12-01"),
            ..Meta::default()
        };
        let title = "Отношения между Россией и НАТО ухудшаются и угрожают глобальной безопасности, заявил министр обороны в интервью";
        let (cover, missing) = generate(
            &CoverText {
                title,
                meta: &meta,
                contents: &[],
                labels: Labels::for_language(None),
            },
            1072,
            1448,
        );
        assert!(missing.is_empty());
        let dir = std::path::Path::new(&dir);
        std::fs::write(dir.join("cyrillic.png"), cover.to_png(false).unwrap()).unwrap();
        let (cover, missing) = generate(
            &CoverText {
                title: "東京の天気 and more",
                meta: &Meta::default(),
                contents: &[],
                labels: Labels::for_language(None),
            },
            1072,
            1448,
        );
        std::fs::write(dir.join("cjk.png"), cover.to_png(false).unwrap()).unwrap();
        eprintln!("missing: {missing:?}");
    }
}

/// The cover EPUB writing generates for a document with `meta` (titled `title`), as a PNG
/// at `width` × `height`: for programs that show a book's cover beside the book (a
/// library's catalog), so the picture is the one inside the EPUB. Characters no font draws
/// are left blank.
pub fn generated_cover(
    title: &str,
    meta: &Meta,
    width: u32,
    height: u32,
) -> std::result::Result<Vec<u8>, String> {
    let text = CoverText {
        title,
        meta,
        contents: &[],
        labels: Labels::for_language(meta.language.as_deref()),
    };
    let mut warnings = Vec::new();
    let extra = fonts_for(
        &text,
        &crate::write::pdf::PdfOptions::default(),
        &mut warnings,
    );
    let (drawn, _missing) = generate_with(&text, width, height, &extra);
    drawn.to_png(false)
}
