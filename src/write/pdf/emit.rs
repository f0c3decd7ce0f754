//! Emitting: laid-out pages → PDF bytes. The only file that knows printpdf and lopdf.
//!
//! Pages are written one at a time ([`Emitter::page`]): each page's content stream is
//! built straight into bytes and compressed, and the page's layout is dropped, so a long
//! document never holds all its positioned glyphs and a PDF operator list at once.
//! Text is drawn as glyph ids, so fonts can be subset; the content is written with the
//! fonts' own glyph ids and renumbered to the subset's codes at the end (one page at a
//! time), when the set of glyphs each font needs is known.
//!
//! printpdf does what it does well, once, on a one-page document that shows every used
//! glyph: subsetting the fonts and writing their dictionaries (widths, ToUnicode, font
//! descriptors) and the document's info and catalog. lopdf writes the rest (pages,
//! images, link annotations, the nested outline, `/Lang`, a reproducible `/ID`).
//!
//! Images are decoded, fitted to the page's resolution and encoded one at a time in
//! [`load_images`], so many large images cost about one decode.

use super::fonts::{FaceId, FontSet};
use super::layout::{Color, Geometry, ImageInfo, Item, LinkTarget, OutlineEntry, Page, Places};
use super::MM;
use crate::error::{Error, Result, Warning};
use crate::media::{ImageKind, Media, MediaStore};
use crate::model::Document;
use lopdf::{Dictionary as LoDictionary, Object, ObjectId, Stream as LoStream, StringFormat};
use printpdf::{
    Codepoint, FontId, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Pt,
    TextItem, TextMatrix,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

/// Images ready to embed, and their sizes (what layout needs to know).
pub struct Images {
    pub info: ImageInfo,
    pub streams: ImageStreams,
}

/// The encoded images, in the order of [`ImageInfo::sizes`].
#[derive(Default)]
pub struct ImageStreams(Vec<ImageStream>);

/// One image XObject's stream, already encoded, and its soft mask (alpha) if it has one.
struct ImageStream {
    stream: LoStream,
    mask: Option<LoStream>,
}

/// The resolution images are kept at, in pixels per inch of the largest size they can be
/// printed at (the text block): more is invisible on paper and costs memory and bytes.
pub const IMAGE_DPI: f32 = 300.0;

/// The largest image, in pixels, quire decodes (a 12,000 × 8,000 photo).
const MAX_PIXELS: u64 = 96_000_000;

/// The most pixels an embedded image keeps across and down: the text block (the most a
/// figure is printed at) at [`IMAGE_DPI`].
pub fn image_pixel_bound(geo: &Geometry) -> (u32, u32) {
    let pixels = |points: f32| ((points.max(72.0) / 72.0 * IMAGE_DPI).ceil() as u32).max(1);
    (
        pixels(geo.measure()),
        pixels(geo.height - geo.top - geo.bottom),
    )
}

/// Loads every image (figures and inline images) that can be embedded, one at a time: each is decoded only if
/// it must be (larger than `bound`, or a format PDF cannot take as is), shrunk to `bound`
/// and encoded before the next is read. JPEGs and plain PNGs within the bound go in as
/// they are; shrunk JPEGs are encoded as JPEG again, other pixels Flate-compressed with
/// an alpha mask. Layout gets each image's original size (its proportions and natural
/// size), so shrinking never changes the page. Images come from the media store only; one
/// it does not have is shown as its alt text (the store's load has warned about it, or
/// there is a warning here).
pub fn load_images(
    document: &Document,
    media: &MediaStore,
    bound: (u32, u32),
    warnings: &mut Vec<Warning>,
) -> Images {
    let mut images = Images {
        info: ImageInfo::default(),
        streams: ImageStreams::default(),
    };
    let mut failed: BTreeSet<String> = BTreeSet::new();
    // Remote images left undownloaded are told in one warning, not one each: a news page
    // has dozens.
    let (mut remote, mut first_remote) = (0usize, None::<String>);
    // Figures and inline images alike (in paragraphs, cells, links and notes).
    document.for_each_image(&mut |image| {
        let src = &image.src;
        if images.info.by_src.contains_key(src) || failed.contains(src) {
            return;
        }
        match load_image(src, media, bound) {
            Ok((stream, width, height)) => {
                images
                    .info
                    .by_src
                    .insert(src.clone(), images.streams.0.len());
                images.info.sizes.push((width, height));
                images.streams.0.push(stream);
                return;
            }
            Err(NotEmbedded::Remote) => {
                remote += 1;
                first_remote.get_or_insert_with(|| src.clone());
            }
            Err(NotEmbedded::Said) => {}
            Err(NotEmbedded::Because(why)) => warnings.push(Warning::new(format!(
                "image not embedded: {why}; its alt text is shown"
            ))),
        }
        failed.insert(src.clone());
    });
    if let Some(first) = first_remote {
        let count = remote;
        let (noun, pronoun) = if count == 1 {
            ("image", "its")
        } else {
            ("images", "their")
        };
        warnings.push(Warning::new(format!(
            "{count} remote {noun} not embedded in the PDF, such as '{}': a PDF cannot \
             show an image it does not hold, so {pronoun} alt text is shown",
            shorten(&first)
        )));
    }
    images
}

/// Why an image is not embedded.
enum NotEmbedded {
    /// A remote image that was not downloaded: a PDF cannot show it as a link to it, as HTML
    /// and EPUB do; the caller tells all of them in one warning.
    Remote,
    /// The store's load has said why.
    Said,
    /// Said here.
    Because(String),
}

fn load_image(
    src: &str,
    media: &MediaStore,
    bound: (u32, u32),
) -> Result<(ImageStream, u32, u32), NotEmbedded> {
    match media.get(src) {
        Some(Media::Image(image)) => {
            let bytes = image.bytes().map_err(NotEmbedded::Because)?;
            let (stream, width, height) =
                image_stream(&bytes, image.kind(), src, bound).map_err(NotEmbedded::Because)?;
            // A drawing takes the room it states, however many pixels it was drawn at.
            let (width, height) = image.drawn_size().unwrap_or((width, height));
            Ok((stream, width, height))
        }
        Some(Media::Link(_)) => Err(NotEmbedded::Remote),
        Some(Media::Missing) => Err(NotEmbedded::Said),
        None => Err(NotEmbedded::Because(format!(
            "'{}' is not in the media store",
            shorten(src)
        ))),
    }
}

fn within(width: u32, height: u32, bound: (u32, u32)) -> bool {
    width <= bound.0 && height <= bound.1
}

fn image_stream(
    bytes: &[u8],
    kind: ImageKind,
    src: &str,
    bound: (u32, u32),
) -> Result<(ImageStream, u32, u32), String> {
    let is_jpeg = kind == ImageKind::Jpeg;
    if is_jpeg {
        if let Some((width, height, components)) = jpeg_info(bytes) {
            let (w, h) = (u32::from(width), u32::from(height));
            if within(w, h, bound) {
                return Ok((jpeg_stream(bytes.to_vec(), w, h, components), w, h));
            }
        }
    }
    if kind == ImageKind::Png {
        if let Some((stream, width, height)) = png_stream(bytes, bound) {
            return Ok((plain(stream), width, height));
        }
    }
    let cannot = |e: image::ImageError| format!("'{}': cannot decode: {e}", shorten(src));
    let reader = || {
        image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .map_err(|e| format!("'{}': cannot decode: {e}", shorten(src)))
    };
    // The size first, from the header: a huge image is refused before it is decoded.
    let (width, height) = reader()?.into_dimensions().map_err(cannot)?;
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "'{}': empty or too large ({width}x{height})",
            shorten(src)
        ));
    }
    let mut pixels = reader()?.decode().map_err(cannot)?;
    if !within(width, height, bound) {
        let scale = (bound.0 as f32 / width as f32).min(bound.1 as f32 / height as f32);
        let fit = |n: u32, limit: u32| ((n as f32 * scale).round() as u32).clamp(1, limit);
        // An integer box filter: no intermediate image at the source size.
        pixels = pixels.thumbnail_exact(fit(width, bound.0), fit(height, bound.1));
    }
    Ok((encode_pixels(pixels, is_jpeg)?, width, height))
}

/// Decoded pixels as an 8-bit RGB (or grey) image, its alpha channel as a soft mask:
/// JPEG again when the source was a JPEG (a photo), Flate-compressed otherwise.
fn encode_pixels(pixels: image::DynamicImage, as_jpeg: bool) -> Result<ImageStream, String> {
    let (width, height) = (pixels.width(), pixels.height());
    let gray = !pixels.color().has_color();
    let mut alpha: Option<Vec<u8>> = None;
    let color: Vec<u8> = if pixels.color().has_alpha() {
        let rgba = pixels.into_rgba8();
        let mut color = Vec::with_capacity(rgba.len() / 4 * if gray { 1 } else { 3 });
        let mut mask = Vec::with_capacity(rgba.len() / 4);
        for px in rgba.chunks_exact(4) {
            if gray {
                color.push(px[0]);
            } else {
                color.extend_from_slice(&px[..3]);
            }
            mask.push(px[3]);
        }
        if mask.iter().any(|&a| a != 255) {
            alpha = Some(mask);
        }
        color
    } else if gray {
        pixels.into_luma8().into_raw()
    } else {
        pixels.into_rgb8().into_raw()
    };
    let space = if gray { "DeviceGray" } else { "DeviceRGB" };
    let mut dict = image_dict(width, height, space);
    let content = if as_jpeg && alpha.is_none() {
        let mut out = Vec::new();
        let kind = if gray {
            image::ExtendedColorType::L8
        } else {
            image::ExtendedColorType::Rgb8
        };
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode(&color, width, height, kind)
            .map_err(|e| format!("cannot encode: {e}"))?;
        dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
        out
    } else {
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        deflate(&color, flate2::Compression::default())
    };
    drop(color);
    let mask = alpha.map(|mask| {
        let mut dict = image_dict(width, height, "DeviceGray");
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        LoStream::new(dict, deflate(&mask, flate2::Compression::default())).with_compression(false)
    });
    Ok(ImageStream {
        stream: LoStream::new(dict, content).with_compression(false),
        mask,
    })
}

fn plain(stream: LoStream) -> ImageStream {
    ImageStream { stream, mask: None }
}

fn deflate(bytes: &[u8], level: flate2::Compression) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), level);
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn inflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    // The bytes were compressed by `deflate` a moment ago: they are whole.
    let _ = flate2::read::ZlibDecoder::new(bytes).read_to_end(&mut out);
    out
}

/// A PNG embedded without decoding: its zlib data is already what PDF's FlateDecode with
/// PNG predictors reads. Only for opaque, non-interlaced grey, RGB or palette images
/// within `bound`; the rest (alpha, 16-bit, interlaced, larger) are decoded.
fn png_stream(bytes: &[u8], bound: (u32, u32)) -> Option<(LoStream, u32, u32)> {
    let mut at = 8;
    let mut header: Option<(u32, u32, u8, u8)> = None;
    let mut palette: Option<&[u8]> = None;
    let mut data = Vec::new();
    while at + 8 <= bytes.len() {
        let length = u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
        let kind = bytes.get(at + 4..at + 8)?;
        let body = bytes.get(at + 8..at.checked_add(8 + length)?)?;
        match kind {
            b"IHDR" if body.len() >= 13 => {
                let width = u32::from_be_bytes(body[0..4].try_into().ok()?);
                let height = u32::from_be_bytes(body[4..8].try_into().ok()?);
                let (depth, color, interlace) = (body[8], body[9], body[12]);
                if interlace != 0
                    || depth > 8
                    || !matches!(color, 0 | 2 | 3)
                    || (color == 2 && depth != 8)
                    || !within(width, height, bound)
                {
                    return None;
                }
                header = Some((width, height, depth, color));
            }
            b"PLTE" => palette = Some(body),
            b"tRNS" => return None,
            b"IDAT" => data.extend_from_slice(body),
            b"IEND" => break,
            _ => {}
        }
        at += 12 + length;
    }
    let (width, height, depth, color) = header?;
    if width == 0
        || height == 0
        || data.is_empty()
        || u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        return None;
    }
    let (colors, mut dict) = match color {
        0 => (1, image_dict(width, height, "DeviceGray")),
        2 => (3, image_dict(width, height, "DeviceRGB")),
        _ => {
            let palette = palette?;
            let entries = palette.len() / 3;
            if entries == 0 {
                return None;
            }
            let mut dict = image_dict(width, height, "DeviceRGB");
            dict.set(
                "ColorSpace",
                Object::Array(vec![
                    Object::Name(b"Indexed".to_vec()),
                    Object::Name(b"DeviceRGB".to_vec()),
                    Object::Integer(entries as i64 - 1),
                    Object::String(palette[..entries * 3].to_vec(), StringFormat::Hexadecimal),
                ]),
            );
            (1, dict)
        }
    };
    dict.set("BitsPerComponent", Object::Integer(i64::from(depth)));
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    dict.set(
        "DecodeParms",
        Object::Dictionary(LoDictionary::from_iter(vec![
            ("Predictor", Object::Integer(15)),
            ("Colors", Object::Integer(colors)),
            ("BitsPerComponent", Object::Integer(i64::from(depth))),
            ("Columns", Object::Integer(i64::from(width))),
        ])),
    );
    Some((
        LoStream::new(dict, data).with_compression(false),
        width,
        height,
    ))
}

/// Width, height and colour components from a JPEG's start-of-frame marker.
fn jpeg_info(bytes: &[u8]) -> Option<(u16, u16, u8)> {
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xFF {
            return None;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let length = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let height = u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]);
            let width = u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]);
            let components = bytes[i + 9];
            return (width > 0 && height > 0 && matches!(components, 1 | 3 | 4))
                .then_some((width, height, components));
        }
        i += 2 + length;
    }
    None
}

fn image_dict(width: u32, height: u32, color_space: &str) -> LoDictionary {
    LoDictionary::from_iter(vec![
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(i64::from(width))),
        ("Height", Object::Integer(i64::from(height))),
        ("BitsPerComponent", Object::Integer(8)),
        ("ColorSpace", Object::Name(color_space.as_bytes().to_vec())),
    ])
}

/// A JPEG embedded as is: no re-encoding, no loss.
fn jpeg_stream(bytes: Vec<u8>, width: u32, height: u32, components: u8) -> ImageStream {
    let color_space = match components {
        1 => "DeviceGray",
        4 => "DeviceCMYK",
        _ => "DeviceRGB",
    };
    let mut dict = image_dict(width, height, color_space);
    dict.set("Filter", Object::Name(b"DCTDecode".to_vec()));
    if components == 4 {
        // Adobe writes CMYK JPEGs inverted.
        dict.set(
            "Decode",
            Object::Array([1, 0, 1, 0, 1, 0, 1, 0].map(Object::Integer).to_vec()),
        );
    }
    plain(LoStream::new(dict, bytes).with_compression(false))
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 80 {
        let head: String = s.chars().take(77).collect();
        format!("{head}...")
    } else {
        s.to_string()
    }
}

/// A six-capital subset tag-like font resource name (printpdf uses the id's first six
/// characters as the subset tag), fixed per face so output is reproducible.
fn font_id(face: FaceId) -> FontId {
    let a = (b'A' + (face / 26 % 26) as u8) as char;
    let b = (b'A' + (face % 26) as u8) as char;
    FontId(format!("QUIR{a}{b}"))
}

/// The face a `QUIRxy` resource name stands for (the inverse of [`font_id`]).
fn face_of(name: &[u8]) -> Option<FaceId> {
    match name {
        [b'Q', b'U', b'I', b'R', a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => {
            Some(usize::from(a - b'A') * 26 + usize::from(b - b'A'))
        }
        _ => None,
    }
}

/// A written page: its content stream (Flate at the fastest level; glyph codes are the
/// fonts' own glyph ids until [`Emitter::finish`]) and its link areas, written at the end
/// when every page has an object id.
struct PageOut {
    content: Vec<u8>,
    links: Vec<([f32; 4], LinkTarget)>,
}

/// Writes a PDF page by page: [`Emitter::page`] for each laid-out page in order (as
/// [`super::layout::layout_pages`] makes them), then [`Emitter::finish`].
pub struct Emitter<'f, 'a> {
    fonts: &'f FontSet<'a>,
    width: f32,
    height: f32,
    images: Vec<ImageStream>,
    pages: Vec<PageOut>,
    /// Per face, every glyph drawn and the text it stands for (for ToUnicode); `None` when
    /// it was only drawn as the 2nd+ glyph of a cluster.
    glyphs: BTreeMap<FaceId, BTreeMap<u16, Option<String>>>,
    /// One page's content stream, reused from page to page.
    buffer: Vec<u8>,
}

/// The open `TJ` array of a line of text: further runs on the same baseline in the same
/// face, size and colour join it with a kern number instead of a new text matrix.
struct OpenLine {
    y: f32,
    face: FaceId,
    size: f32,
    /// Where the pen is, in points.
    pen: f32,
    /// Inside a `<...>` glyph string.
    in_hex: bool,
    /// Inside a `/Span <</ActualText …>> BDC` marked-content sequence.
    in_span: bool,
}

impl OpenLine {
    /// Ends the `TJ` array so that an operator can follow; [`OpenLine::reopen`] starts the
    /// next (the text position carries on where the glyphs shown left it).
    fn close_array(&mut self, out: &mut Vec<u8>) {
        if self.in_hex {
            out.push(b'>');
            self.in_hex = false;
        }
        out.extend_from_slice(b"] TJ\n");
    }

    fn reopen(out: &mut Vec<u8>) {
        out.push(b'[');
    }

    /// Starts a marked-content span whose glyphs read as `text` (`/ActualText`), ending any
    /// span already open.
    fn begin_span(&mut self, out: &mut Vec<u8>, text: &str) {
        self.close_array(out);
        if self.in_span {
            out.extend_from_slice(b"EMC\n");
        }
        out.extend_from_slice(b"/Span <</ActualText ");
        actual_text_string(out, text);
        out.extend_from_slice(b">> BDC\n");
        Self::reopen(out);
        self.in_span = true;
    }

    fn end_span(&mut self, out: &mut Vec<u8>) {
        if self.in_span {
            self.close_array(out);
            out.extend_from_slice(b"EMC\n");
            Self::reopen(out);
            self.in_span = false;
        }
    }
}

/// `text` as a PDF literal string in UTF-16BE with a byte-order mark, every byte written as
/// an octal escape: the content stream then has no `<`, `>` or `/` inside the string for
/// [`remap_glyphs`] to take for a glyph string or a font name.
fn actual_text_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'(');
    let units = [0xFEFFu16].into_iter().chain(text.encode_utf16());
    for unit in units {
        for byte in unit.to_be_bytes() {
            let _ = write!(out, "\\{byte:03o}");
        }
    }
    out.push(b')');
}

/// Writes `value` as four upper-case hex digits: a glyph string's code, written for every
/// glyph twice (once as the glyph id, once as the subset's code), so not through `fmt`.
fn push_hex4(out: &mut Vec<u8>, value: u16) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(&[
        DIGITS[usize::from(value >> 12)],
        DIGITS[usize::from((value >> 8) & 0xF)],
        DIGITS[usize::from((value >> 4) & 0xF)],
        DIGITS[usize::from(value & 0xF)],
    ]);
}

/// The value of four hex digits (either case), as [`push_hex4`] writes them.
fn parse_hex4(hex: &[u8]) -> Option<u16> {
    hex.iter().try_fold(0u16, |value, &b| {
        let digit = (b as char).to_digit(16)?;
        Some(value << 4 | digit as u16)
    })
}

/// Writes a number the way PDF reads it: at most three decimals, no exponent.
fn num(out: &mut Vec<u8>, v: f32) {
    let v = if v.is_finite() { f64::from(v) } else { 0.0 };
    let thousandths = (v * 1000.0).round() as i64;
    let sign = if thousandths < 0 { "-" } else { "" };
    let (whole, part) = (thousandths.abs() / 1000, thousandths.abs() % 1000);
    let _ = if part == 0 {
        write!(out, "{sign}{whole}")
    } else {
        let digits = format!("{part:03}");
        write!(out, "{sign}{whole}.{}", digits.trim_end_matches('0'))
    };
}

fn nums(out: &mut Vec<u8>, values: &[f32], operator: &str) {
    for &v in values {
        num(out, v);
        out.push(b' ');
    }
    out.extend_from_slice(operator.as_bytes());
    out.push(b'\n');
}

fn close_line(out: &mut Vec<u8>, line: &mut Option<OpenLine>) {
    if let Some(mut open) = line.take() {
        open.close_array(out);
        if open.in_span {
            out.extend_from_slice(b"EMC\n");
        }
    }
}

impl<'f, 'a> Emitter<'f, 'a> {
    pub fn new(fonts: &'f FontSet<'a>, images: ImageStreams, width: f32, height: f32) -> Self {
        Emitter {
            fonts,
            width,
            height,
            images: images.0,
            pages: Vec::new(),
            glyphs: BTreeMap::new(),
            buffer: Vec::new(),
        }
    }

    /// Writes one page's content stream and drops its layout.
    pub fn page(&mut self, page: Page) {
        let page_height = self.height;
        let mut out = std::mem::take(&mut self.buffer);
        out.clear();
        let mut links = Vec::new();
        let mut in_text = false;
        let mut line: Option<OpenLine> = None;
        // Text state and colours carry over BT/ET (they are graphics state).
        let mut current_font: Option<(FaceId, f32)> = None;
        let mut current_fill: Option<Color> = None;
        for item in page.items {
            if in_text && !matches!(item, Item::Text(_)) {
                close_line(&mut out, &mut line);
                out.extend_from_slice(b"ET\n");
                in_text = false;
            }
            match item {
                Item::Text(run) => {
                    if !in_text {
                        out.extend_from_slice(b"BT\n");
                        in_text = true;
                    }
                    if current_fill != Some(run.color) {
                        close_line(&mut out, &mut line);
                        let Color(r, g, b) = run.color;
                        nums(&mut out, &[r, g, b], "rg");
                        current_fill = Some(run.color);
                    }
                    if current_font != Some((run.face, run.size)) {
                        close_line(&mut out, &mut line);
                        out.push(b'/');
                        out.extend_from_slice(font_id(run.face).0.as_bytes());
                        out.push(b' ');
                        nums(&mut out, &[run.size], "Tf");
                        current_font = Some((run.face, run.size));
                    }
                    let size = run.size.max(0.01);
                    let y = page_height - run.y;
                    match &mut line {
                        Some(open) if open.y == y && open.face == run.face && open.size == size => {
                            // TJ numbers move the pen left by n/1000 em.
                            let kern = (open.pen - run.x) * 1000.0 / size;
                            if kern.abs() >= 0.001 {
                                if open.in_hex {
                                    out.push(b'>');
                                    open.in_hex = false;
                                }
                                out.push(b' ');
                                num(&mut out, kern);
                                out.push(b' ');
                                open.pen = run.x;
                            }
                        }
                        _ => {
                            close_line(&mut out, &mut line);
                            nums(&mut out, &[1.0, 0.0, 0.0, 1.0, run.x, y], "Tm");
                            out.push(b'[');
                            line = Some(OpenLine {
                                y,
                                face: run.face,
                                size,
                                pen: run.x,
                                in_hex: false,
                                in_span: false,
                            });
                        }
                    }
                    let Some(open) = line.as_mut() else {
                        continue;
                    };
                    let face = self.fonts.face(run.face);
                    let used = self.glyphs.entry(run.face).or_default();
                    for g in run.glyphs {
                        match g.actual_text.as_deref() {
                            // A span's later glyphs (its first went to another run: the glyphs
                            // read as their own text).
                            Some("") => {}
                            Some(text) => open.begin_span(&mut out, text),
                            None => open.end_span(&mut out),
                        }
                        let natural = pdf_width(face, g.gid);
                        let wanted = g.advance * 1000.0 / size;
                        let offset = natural - wanted;
                        let offset = if offset.abs() < 0.01 { 0.0 } else { offset };
                        if !open.in_hex {
                            out.push(b'<');
                            open.in_hex = true;
                        }
                        push_hex4(&mut out, g.gid);
                        if offset != 0.0 {
                            out.push(b'>');
                            open.in_hex = false;
                            out.push(b' ');
                            num(&mut out, offset);
                            out.push(b' ');
                        }
                        open.pen += (natural - offset) * size / 1000.0;
                        let text = (!g.text.is_empty()).then_some(g.text);
                        match used.get_mut(&g.gid) {
                            Some(known @ None) => *known = text,
                            Some(Some(_)) => {}
                            None => {
                                used.insert(g.gid, text);
                            }
                        }
                    }
                }
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color: Color(r, g, b),
                } => {
                    nums(&mut out, &[r, g, b], "RG");
                    nums(&mut out, &[width], "w");
                    out.extend_from_slice(b"0 J\n");
                    nums(&mut out, &[x1, page_height - y1], "m");
                    nums(&mut out, &[x2, page_height - y2], "l");
                    out.extend_from_slice(b"S\n");
                }
                Item::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill,
                    stroke,
                } => {
                    if let Some(f) = fill {
                        nums(&mut out, &[f.0, f.1, f.2], "rg");
                        current_fill = Some(f);
                    }
                    if let Some(s) = stroke {
                        nums(&mut out, &[s.0, s.1, s.2], "RG");
                        nums(&mut out, &[0.5], "w");
                    }
                    let paint = match (fill, stroke) {
                        (Some(_), Some(_)) => "re B",
                        (Some(_), None) => "re f",
                        _ => "re S",
                    };
                    nums(&mut out, &[x, page_height - y - h, w, h], paint);
                }
                Item::Image { index, x, y, w, h } => {
                    out.extend_from_slice(b"q\n");
                    nums(&mut out, &[w, 0.0, 0.0, h, x, page_height - y - h], "cm");
                    let _ = writeln!(out, "/Im{index} Do");
                    out.extend_from_slice(b"Q\n");
                }
                Item::Link { x, y, w, h, target } => {
                    let bottom = page_height - y - h;
                    links.push(([x, bottom, x + w, bottom + h], target));
                }
            }
        }
        if in_text {
            close_line(&mut out, &mut line);
            out.extend_from_slice(b"ET\n");
        }
        let content = deflate(&out, flate2::Compression::fast());
        self.buffer = out;
        self.pages.push(PageOut { content, links });
    }

    /// Embeds the fonts (subset to the glyphs drawn) and images, and writes the file.
    pub fn finish(
        self,
        document: &Document,
        places: &Places,
        timestamp: Option<i64>,
        warnings: &mut Vec<Warning>,
    ) -> Result<Vec<u8>> {
        let Emitter {
            fonts,
            width,
            height,
            images,
            pages,
            glyphs,
            buffer,
        } = self;
        drop(buffer);
        let page_count = pages.len();
        let (mut lo, codes, resources, pages_id) =
            fonts_document(document, fonts, &glyphs, width, height, timestamp, warnings)?;
        drop(glyphs);
        compress_streams(&mut lo);
        // Images: the shared XObject dictionary names them Im0, Im1…
        let mut image_refs = Vec::with_capacity(images.len());
        for image in images {
            let ImageStream { mut stream, mask } = image;
            if let Some(mask) = mask {
                let mask_id = lo.add_object(mask);
                stream.dict.set("SMask", Object::Reference(mask_id));
            }
            image_refs.push(lo.add_object(stream));
        }
        if !image_refs.is_empty() {
            let xobjects = resource_dict(&mut lo, &resources, b"XObject");
            for (i, id) in image_refs.into_iter().enumerate() {
                xobjects.set(format!("Im{i}"), Object::Reference(id));
            }
        }
        let page_ids: Vec<ObjectId> = (0..page_count).map(|_| lo.new_object_id()).collect();
        for (i, page) in pages.into_iter().enumerate() {
            let content = remap_glyphs(&inflate(&page.content), &codes);
            let mut dict = LoDictionary::new();
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            let stream = LoStream::new(dict, deflate(&content, flate2::Compression::default()))
                .with_compression(false);
            drop(content);
            let content_id = lo.add_object(stream);
            let mut dict = LoDictionary::from_iter(vec![
                ("Type", Object::Name(b"Page".to_vec())),
                ("Parent", Object::Reference(pages_id)),
                (
                    "MediaBox",
                    Object::Array(vec![
                        Object::Integer(0),
                        Object::Integer(0),
                        Object::Real(width),
                        Object::Real(height),
                    ]),
                ),
                ("Resources", resources.clone()),
                ("Contents", Object::Reference(content_id)),
            ]);
            let annots: Vec<Object> = page
                .links
                .into_iter()
                .filter_map(|(rect, target)| {
                    let target = places.resolve(target)?;
                    Some(link_annotation(rect, target, &page_ids, height))
                })
                .collect();
            if !annots.is_empty() {
                dict.set("Annots", Object::Array(annots));
            }
            lo.objects.insert(page_ids[i], Object::Dictionary(dict));
        }
        if let Ok(tree) = lo.get_object_mut(pages_id).and_then(|o| o.as_dict_mut()) {
            tree.set(
                "Kids",
                Object::Array(page_ids.iter().map(|&id| Object::Reference(id)).collect()),
            );
            tree.set("Count", Object::Integer(page_count as i64));
        }
        finish(&mut lo, &places.outline, &page_ids, height, document);
        let mut bytes = Vec::new();
        lo.save_to(&mut bytes)
            .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
        Ok(bytes)
    }
}

/// A link area: a URI action, or a jump to a place on a page.
fn link_annotation(rect: [f32; 4], target: LinkTarget, pages: &[ObjectId], height: f32) -> Object {
    let mut dict = LoDictionary::from_iter(vec![
        ("Type", Object::Name(b"Annot".to_vec())),
        ("Subtype", Object::Name(b"Link".to_vec())),
        ("Rect", Object::Array(rect.map(Object::Real).to_vec())),
        (
            "Border",
            Object::Array(vec![
                Object::Integer(0),
                Object::Integer(0),
                Object::Integer(0),
            ]),
        ),
        ("H", Object::Name(b"I".to_vec())),
    ]);
    let action = match target {
        LinkTarget::Uri(uri) => LoDictionary::from_iter(vec![
            ("S", Object::Name(b"URI".to_vec())),
            (
                "URI",
                Object::String(uri.into_bytes(), StringFormat::Literal),
            ),
        ]),
        LinkTarget::Internal { page, y } => {
            let Some(&page) = pages.get(page) else {
                return Object::Dictionary(dict);
            };
            LoDictionary::from_iter(vec![
                ("S", Object::Name(b"GoTo".to_vec())),
                (
                    "D",
                    Object::Array(vec![
                        Object::Reference(page),
                        Object::Name(b"XYZ".to_vec()),
                        Object::Null,
                        Object::Real(height - y + 12.0),
                        Object::Null,
                    ]),
                ),
            ])
        }
        LinkTarget::Note(_) | LinkTarget::Anchor(_) => return Object::Dictionary(dict),
    };
    dict.set("A", Object::Dictionary(action));
    Object::Dictionary(dict)
}

/// The entry `key` (`XObject`, `Font`) of the shared resources, as a dictionary to fill.
fn resource_dict<'d>(
    lo: &'d mut lopdf::Document,
    resources: &Object,
    key: &[u8],
) -> &'d mut LoDictionary {
    let resources_id = resources.as_reference().ok();
    let entry = resources_id
        .and_then(|id| lo.get_dictionary(id).ok())
        .and_then(|d| d.get(key).ok())
        .and_then(|o| o.as_reference().ok());
    let id = match entry {
        Some(id) => id,
        None => {
            let id = lo.add_object(LoDictionary::new());
            if let Some(rid) = resources_id {
                if let Ok(d) = lo.get_object_mut(rid).and_then(|o| o.as_dict_mut()) {
                    d.set(key.to_vec(), Object::Reference(id));
                }
            }
            id
        }
    };
    match lo.get_object_mut(id).and_then(|o| o.as_dict_mut()) {
        Ok(dict) => dict,
        Err(_) => unreachable!("the entry was just found or made as a dictionary"),
    }
}

/// Per face, each glyph id drawn → the code its subset font gives it.
type Codes = HashMap<FaceId, HashMap<u16, u16>>;

/// The document printpdf makes for the fonts: one page that shows every glyph drawn, in
/// glyph id order, so printpdf subsets each font and writes its dictionaries; the codes
/// it gives the glyphs are read back from that page, which is then removed. Returns the
/// document, the codes, the shared page resources and the page tree's id.
fn fonts_document(
    document: &Document,
    fonts: &FontSet<'_>,
    glyphs: &BTreeMap<FaceId, BTreeMap<u16, Option<String>>>,
    width: f32,
    height: f32,
    timestamp: Option<i64>,
    warnings: &mut Vec<Warning>,
) -> Result<(lopdf::Document, Codes, Object, ObjectId)> {
    let meta = &document.meta;
    let mut pdf = PdfDocument::new(meta.title.as_deref().unwrap_or(""));
    let mut ops = vec![Op::StartTextSection];
    for (n, (&face, used)) in glyphs.iter().enumerate() {
        let mut font_warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(
            fonts.face(face).bytes,
            fonts.face(face).index as usize,
            &mut font_warnings,
        )
        .ok_or_else(|| Error::Parse {
            format: "font",
            message: format!(
                "{} could not be parsed for embedding",
                fonts.face(face).name
            ),
        })?;
        pdf.resources
            .fonts
            .map
            .insert(font_id(face), printpdf::PdfFont::new(parsed));
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(font_id(face)),
            size: Pt(10.0),
        });
        ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(Pt(0.0), Pt(10.0 * n as f32)),
        });
        let codepoints = used
            .iter()
            .map(|(&gid, text)| match text {
                Some(text) => Codepoint::with_cid(gid, 0.0, text.clone()),
                None => Codepoint::new(gid, 0.0),
            })
            .collect();
        ops.push(Op::ShowText {
            items: vec![TextItem::GlyphIds(codepoints)],
        });
    }
    ops.push(Op::EndTextSection);
    pdf.with_pages(vec![PdfPage::new(Mm(width / MM), Mm(height / MM), ops)]);
    set_metadata(&mut pdf, document, timestamp);
    let options = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut pdf_warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&options, &mut pdf_warnings);
    drop(pdf);
    // printpdf reports problems it could not avoid (a font it could not subset) as
    // errors; pass those on, once each.
    let mut seen = BTreeSet::new();
    for w in pdf_warnings {
        if w.severity == printpdf::PdfParseErrorSeverity::Error && seen.insert(w.msg.clone()) {
            warnings.push(Warning::new(format!("PDF: {}", w.msg)));
        }
    }
    let broken = |what: &str| Error::Parse {
        format: "PDF",
        message: format!("the font page printpdf wrote has {what}"),
    };
    let page_id = *lo
        .get_pages()
        .values()
        .next()
        .ok_or_else(|| broken("no page"))?;
    let content = lo
        .get_and_decode_page_content(page_id)
        .map_err(|e| broken(&format!("unreadable content ({e})")))?;
    let mut shown: HashMap<FaceId, Vec<u16>> = HashMap::new();
    let mut current: Option<FaceId> = None;
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => {
                current = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(face_of);
            }
            "TJ" | "Tj" => {
                let Some(face) = current else { continue };
                let strings: Vec<&Object> = match op.operands.first() {
                    Some(Object::Array(items)) => items.iter().collect(),
                    Some(other) => vec![other],
                    None => Vec::new(),
                };
                let codes = shown.entry(face).or_default();
                for s in strings {
                    if let Object::String(bytes, _) = s {
                        codes.extend(
                            bytes
                                .chunks_exact(2)
                                .map(|c| u16::from_be_bytes([c[0], c[1]])),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    let mut codes: Codes = HashMap::new();
    for (face, used) in glyphs {
        let shown = shown.remove(face).unwrap_or_default();
        if shown.len() != used.len() {
            return Err(broken("a different number of glyphs than it was given"));
        }
        codes.insert(*face, used.keys().copied().zip(shown).collect());
    }
    let page = lo
        .get_dictionary(page_id)
        .map_err(|_| broken("no page dictionary"))?;
    let resources = page
        .get(b"Resources")
        .cloned()
        .map_err(|_| broken("no resources"))?;
    let pages_id = page
        .get(b"Parent")
        .and_then(|p| p.as_reference())
        .map_err(|_| broken("no page tree"))?;
    let contents: Vec<ObjectId> = match page.get(b"Contents") {
        Ok(Object::Reference(id)) => vec![*id],
        Ok(Object::Array(items)) => items.iter().filter_map(|o| o.as_reference().ok()).collect(),
        _ => Vec::new(),
    };
    for id in contents {
        lo.objects.remove(&id);
    }
    lo.objects.remove(&page_id);
    Ok((lo, codes, resources, pages_id))
}

/// Rewrites the glyph strings of a content stream this module wrote from glyph ids to the
/// subset fonts' codes. Such a stream has `<...>` only for glyph strings and names a font
/// only as `/QUIRxy` before the strings set in it.
fn remap_glyphs(content: &[u8], codes: &Codes) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len());
    let mut current: Option<&HashMap<u16, u16>> = None;
    let mut i = 0;
    while i < content.len() {
        match content[i] {
            b'/' => {
                let end = content[i + 1..]
                    .iter()
                    .position(|&b| b == b' ' || b == b'\n')
                    .map_or(content.len(), |p| i + 1 + p);
                if let Some(face) = face_of(&content[i + 1..end]) {
                    current = codes.get(&face);
                }
                out.extend_from_slice(&content[i..end]);
                i = end;
            }
            b'<' if content.get(i + 1) == Some(&b'<') => {
                // A dictionary (a marked-content span's properties), not a glyph string.
                out.extend_from_slice(b"<<");
                i += 2;
            }
            b'<' => {
                let end = content[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(content.len(), |p| i + p);
                out.push(b'<');
                for hex in content[i + 1..end].chunks_exact(4) {
                    let gid = parse_hex4(hex).unwrap_or(0);
                    let code = current.and_then(|c| c.get(&gid)).copied().unwrap_or(0);
                    push_hex4(&mut out, code);
                }
                i = end;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    out
}

/// Flate-compresses every stream that may be and is not yet: lopdf's own `compress` uses
/// the slowest level, which took a third of the writer's time for a 1–2% smaller file.
fn compress_streams(lo: &mut lopdf::Document) {
    for object in lo.objects.values_mut() {
        if let Object::Stream(stream) = object {
            if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
                continue;
            }
            let compressed = deflate(&stream.content, flate2::Compression::default());
            if compressed.len() + 19 < stream.content.len() {
                stream
                    .dict
                    .set("Filter", Object::Name(b"FlateDecode".to_vec()));
                stream.set_content(compressed);
            }
        }
    }
}

/// A glyph's width as the PDF's /W array states it: the hmtx advance in thousandths of an
/// em, truncated to a whole number as printpdf writes it.
fn pdf_width(face: &super::fonts::Face<'_>, gid: u16) -> f32 {
    (face.default_advance(gid) * 1000.0).trunc()
}

fn set_metadata(pdf: &mut PdfDocument, document: &Document, timestamp: Option<i64>) {
    let meta = &document.meta;
    let info = &mut pdf.metadata.info;
    info.document_title = meta.title.clone().unwrap_or_default();
    info.author = meta.authors.join(", ");
    info.subject = meta.description.clone().unwrap_or_default();
    info.keywords = meta.keywords.clone();
    info.creator = "quire".to_string();
    info.producer = format!("quire {}", env!("CARGO_PKG_VERSION"));
    let seconds = timestamp.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)
    });
    if let Ok(date) = printpdf::OffsetDateTime::from_unix_timestamp(seconds) {
        info.creation_date = date;
        info.modification_date = date;
        info.metadata_date = date;
    }
}

/// What printpdf does not write: the nested outline, the language, a reproducible ID.
fn finish(
    lo: &mut lopdf::Document,
    outline: &[OutlineEntry],
    page_ids: &[ObjectId],
    page_height: f32,
    document: &Document,
) {
    let Ok(root) = lo.trailer.get(b"Root").and_then(|r| r.as_reference()) else {
        return;
    };
    let outline = build_outline(lo, outline, page_ids, page_height);
    let lang = document
        .meta
        .language
        .clone()
        .filter(|l| !l.is_empty() && l.is_ascii());
    if let Ok(catalog) = lo.get_object_mut(root).and_then(|o| o.as_dict_mut()) {
        if let Some(outlines) = outline {
            catalog.set("Outlines", Object::Reference(outlines));
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        if let Some(lang) = lang {
            catalog.set(
                "Lang",
                Object::String(lang.into_bytes(), StringFormat::Literal),
            );
        }
    }
    // printpdf's Info claims PDF/X (GTS_PDFXVersion) and carries empty fields.
    if let Ok(info_id) = lo.trailer.get(b"Info").and_then(|r| r.as_reference()) {
        if let Ok(info) = lo.get_object_mut(info_id).and_then(|o| o.as_dict_mut()) {
            for key in ["GTS_PDFXVersion", "Identifier", "Trapped"] {
                info.remove(key.as_bytes());
            }
            for key in ["Subject", "Keywords", "Author", "Title"] {
                let empty = matches!(info.get(key.as_bytes()), Ok(Object::String(s, _)) if s.is_empty() || s == &[0xFE, 0xFF]);
                if empty {
                    info.remove(key.as_bytes());
                }
            }
        }
    }
    lo.version = "1.7".to_string();
    // /ID from the content, so the same input gives the same bytes.
    let digest = fingerprint(document, page_ids.len(), page_height);
    let id = Object::String(digest.to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
}

/// FNV-1a, 128 bits from two 64-bit lanes, fed as bytes are written: not cryptographic,
/// only reproducible.
struct Fnv {
    a: u64,
    b: u64,
}

impl Write for Fnv {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for &byte in bytes {
            self.a = (self.a ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            self.b = (self.b ^ u64::from(byte.rotate_left(3))).wrapping_mul(0x0100_0000_01b3);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn fingerprint(document: &Document, pages: usize, height: f32) -> [u8; 16] {
    let mut hash = Fnv {
        a: 0xcbf2_9ce4_8422_2325,
        b: 0x8422_2325_cbf2_9ce4,
    };
    // Streamed into the hash: a large document is never held as one JSON string.
    let _ = serde_json::to_writer(&mut hash, document);
    let _ = hash.write_all(&(pages as u64).to_le_bytes());
    let _ = hash.write_all(&height.to_le_bytes());
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&hash.a.to_be_bytes());
    out[8..].copy_from_slice(&hash.b.to_be_bytes());
    out
}

/// A PDF text string: PDFDocEncoding-safe ASCII as is, anything else UTF-16BE with a BOM.
fn text_string(s: &str) -> Object {
    if s.chars().all(|c| (' '..='~').contains(&c)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in s.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// Builds the outline tree from the headings (levels nest under the nearest shallower
/// heading) and returns the outline dictionary's id.
fn build_outline(
    lo: &mut lopdf::Document,
    entries: &[OutlineEntry],
    page_ids: &[ObjectId],
    page_height: f32,
) -> Option<ObjectId> {
    if entries.is_empty() {
        return None;
    }
    let root_id = lo.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| lo.new_object_id()).collect();
    // parent[i]: index of the entry it nests under, or None for the root.
    let mut parent: Vec<Option<usize>> = vec![None; entries.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if entries[top].level >= entry.level {
                stack.pop();
            } else {
                break;
            }
        }
        parent[i] = stack.last().copied();
        stack.push(i);
    }
    let mut children: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    for (i, p) in parent.iter().enumerate() {
        children.entry(*p).or_default().push(i);
    }
    // Descendant counts, deepest first (entries come in document order, children after parents).
    let mut count = vec![0i64; entries.len()];
    for i in (0..entries.len()).rev() {
        if let Some(p) = parent[i] {
            count[p] += 1 + count[i];
        }
    }
    for (i, entry) in entries.iter().enumerate() {
        let siblings = children
            .get(&parent[i])
            .map(|v| v.as_slice())
            .unwrap_or(&[]);
        let position = siblings.iter().position(|&s| s == i).unwrap_or(0);
        let mut dict = LoDictionary::new();
        dict.set("Title", text_string(&entry.title));
        dict.set(
            "Parent",
            Object::Reference(parent[i].map_or(root_id, |p| ids[p])),
        );
        if position > 0 {
            dict.set("Prev", Object::Reference(ids[siblings[position - 1]]));
        }
        if let Some(&next) = siblings.get(position + 1) {
            dict.set("Next", Object::Reference(ids[next]));
        }
        if let Some(kids) = children.get(&Some(i)) {
            if let (Some(first), Some(last)) = (kids.first(), kids.last()) {
                dict.set("First", Object::Reference(ids[*first]));
                dict.set("Last", Object::Reference(ids[*last]));
                // Top-level entries open (their children show), deeper ones closed.
                let open = if parent[i].is_none() {
                    count[i]
                } else {
                    -count[i]
                };
                dict.set("Count", Object::Integer(open));
            }
        }
        if let Some(page) = page_ids.get(entry.page) {
            dict.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(*page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(page_height - entry.y + 6.0),
                    Object::Null,
                ]),
            );
        }
        lo.objects.insert(ids[i], Object::Dictionary(dict));
    }
    let top = children.get(&None).cloned().unwrap_or_default();
    let mut root = LoDictionary::new();
    root.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = (top.first(), top.last()) {
        root.set("First", Object::Reference(ids[*first]));
        root.set("Last", Object::Reference(ids[*last]));
    }
    let visible: i64 = top.len() as i64 + top.iter().map(|&t| count[t]).sum::<i64>();
    root.set("Count", Object::Integer(visible));
    lo.objects.insert(root_id, Object::Dictionary(root));
    Some(root_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyph_codes_are_written_and_read_as_four_hex_digits() {
        for value in [0u16, 9, 0x0A, 0x1F3, 0xBEEF, u16::MAX] {
            let mut out = Vec::new();
            push_hex4(&mut out, value);
            assert_eq!(out, format!("{value:04X}").into_bytes());
            assert_eq!(parse_hex4(&out), Some(value));
        }
        assert_eq!(parse_hex4(b"beef"), Some(0xBEEF));
        assert_eq!(parse_hex4(b"12G4"), None);
    }

    #[test]
    fn actual_text_has_nothing_the_glyph_remapping_would_take_for_its_own() {
        let mut out = Vec::new();
        // U+092F's UTF-16 bytes are 09 2F: "/" unescaped.
        actual_text_string(&mut out, "य<>");
        assert!(!out.iter().any(|b| matches!(b, b'<' | b'>' | b'/')));
        assert!(out.starts_with(b"(\\376\\377\\011\\057"));
    }
}
