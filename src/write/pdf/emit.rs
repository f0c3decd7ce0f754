//! Emitting: laid-out pages → PDF bytes. The only file that knows printpdf (and lopdf,
//! for what printpdf cannot do: a nested outline, `/Lang`, a reproducible `/ID`).
//!
//! Text is drawn as glyph ids (`TextItem::GlyphIds`) with each glyph's cluster text, so the
//! fonts are subset, kerning and ligatures survive, and the ToUnicode map gives text
//! extraction the original characters.

use super::fonts::{FaceId, FontSet};
use super::layout::{Color, ImageInfo, Item, Laid, LinkTarget, OutlineEntry};
use super::MM;
use crate::error::{Error, Result, Warning};
use crate::model::{Block, Document};
use crate::write::resources;
use crate::write::WriteOptions;
use lopdf::{Dictionary as LoDictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, Codepoint, ColorArray, Destination, DictItem, ExternalStream,
    ExternalXObject, FontId, HighlightingMode, Line, LineCapStyle, LinePoint, LinkAnnotation, Mm,
    Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Px,
    RawImage, RawImageData, RawImageFormat, Rect, Rgb, TextItem, TextMatrix, WindingOrder, XObject,
    XObjectId, XObjectTransform,
};
use std::collections::{BTreeMap, BTreeSet};

/// Images ready to embed, and their sizes (what layout needs to know).
pub struct Images {
    pub info: ImageInfo,
    streams: Vec<ExternalXObject>,
}

/// Loads every figure's image that can be embedded. JPEGs go in as they are (DCT), other
/// formats as lossless Flate-compressed pixels with an alpha mask. Remote images are not
/// fetched; an image that cannot be loaded is a warning (layout shows its alt text).
pub fn load_images(
    document: &Document,
    options: &WriteOptions,
    warnings: &mut Vec<Warning>,
) -> Images {
    let mut images = Images {
        info: ImageInfo::default(),
        streams: Vec::new(),
    };
    let mut failed: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<&Block> = document.blocks.iter().rev().collect();
    while let Some(block) = stack.pop() {
        match block {
            Block::Figure(figure) => {
                let src = &figure.image.src;
                if images.info.by_src.contains_key(src) || failed.contains(src) {
                    continue;
                }
                match load_image(src, options) {
                    Ok((stream, width, height)) => {
                        images.info.by_src.insert(src.clone(), images.streams.len());
                        images.info.sizes.push((width, height));
                        images.streams.push(stream);
                    }
                    Err(why) => {
                        warnings.push(Warning::new(format!(
                            "image not embedded: {why}; its alt text is shown"
                        )));
                        failed.insert(src.clone());
                    }
                }
            }
            Block::Quote(inner) | Block::Container { blocks: inner, .. } => {
                stack.extend(inner.iter().rev())
            }
            Block::List(list) => {
                for item in list.items.iter().rev() {
                    stack.extend(item.iter().rev());
                }
            }
            Block::Table(table) => {
                for row in table.head.iter().chain(&table.body) {
                    for cell in &row.cells {
                        stack.extend(cell.content.iter().rev());
                    }
                }
            }
            _ => {}
        }
    }
    images
}

/// The largest image, in pixels, quire embeds (a 12,000 × 8,000 photo).
const MAX_PIXELS: u64 = 96_000_000;

fn load_image(src: &str, options: &WriteOptions) -> Result<(ExternalXObject, u32, u32), String> {
    if !resources::is_local(src) {
        return Err(format!(
            "'{}' is remote (quire does not fetch images)",
            shorten(src)
        ));
    }
    let dir = options
        .resource_dir
        .as_deref()
        .ok_or_else(|| format!("'{}': no folder to load local images from", shorten(src)))?;
    let resource = resources::load_local(src, dir)?;
    if resource.kind == resources::ImageKind::Jpeg {
        if let Some((width, height, components)) = jpeg_info(&resource.bytes) {
            if u64::from(width) * u64::from(height) <= MAX_PIXELS {
                return Ok((
                    jpeg_stream(resource.bytes, width, height, components),
                    u32::from(width),
                    u32::from(height),
                ));
            }
        }
    }
    if resource.kind == resources::ImageKind::Png {
        if let Some((stream, width, height)) = png_stream(&resource.bytes) {
            return Ok((stream, width, height));
        }
    }
    let mut decode_warnings = Vec::new();
    let raw = RawImage::decode_from_bytes(&resource.bytes, &mut decode_warnings)
        .map_err(|e| format!("'{}': cannot decode: {e}", shorten(src)))?;
    if raw.width == 0 || raw.height == 0 || (raw.width as u64) * (raw.height as u64) > MAX_PIXELS {
        return Err(format!(
            "'{}': empty or too large ({}x{})",
            shorten(src),
            raw.width,
            raw.height
        ));
    }
    let (width, height) = (raw.width as u32, raw.height as u32);
    let stream = pixel_stream(&raw)
        .ok_or_else(|| format!("'{}': unsupported pixel format", shorten(src)))?;
    Ok((stream, width, height))
}

/// A PNG embedded without decoding: its zlib data is already what PDF's FlateDecode with
/// PNG predictors reads. Only for opaque, non-interlaced grey, RGB or palette images; the
/// rest (alpha, 16-bit, interlaced) are decoded.
fn png_stream(bytes: &[u8]) -> Option<(ExternalXObject, u32, u32)> {
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
            dict.insert(
                "ColorSpace".to_string(),
                DictItem::Array(vec![
                    DictItem::Name(b"Indexed".to_vec()),
                    DictItem::Name(b"DeviceRGB".to_vec()),
                    DictItem::Int(entries as i64 - 1),
                    DictItem::String {
                        data: palette[..entries * 3].to_vec(),
                        literal: false,
                    },
                ]),
            );
            (1, dict)
        }
    };
    dict.insert(
        "BitsPerComponent".to_string(),
        DictItem::Int(i64::from(depth)),
    );
    dict.insert(
        "Filter".to_string(),
        DictItem::Name(b"FlateDecode".to_vec()),
    );
    dict.insert(
        "DecodeParms".to_string(),
        DictItem::Dict {
            map: BTreeMap::from([
                ("Predictor".to_string(), DictItem::Int(15)),
                ("Colors".to_string(), DictItem::Int(colors)),
                (
                    "BitsPerComponent".to_string(),
                    DictItem::Int(i64::from(depth)),
                ),
                ("Columns".to_string(), DictItem::Int(i64::from(width))),
            ]),
        },
    );
    Some((external(dict, data, false, width, height), width, height))
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

fn image_dict(width: u32, height: u32, color_space: &str) -> BTreeMap<String, DictItem> {
    BTreeMap::from([
        ("Type".to_string(), DictItem::Name(b"XObject".to_vec())),
        ("Subtype".to_string(), DictItem::Name(b"Image".to_vec())),
        ("Width".to_string(), DictItem::Int(i64::from(width))),
        ("Height".to_string(), DictItem::Int(i64::from(height))),
        ("BitsPerComponent".to_string(), DictItem::Int(8)),
        (
            "ColorSpace".to_string(),
            DictItem::Name(color_space.as_bytes().to_vec()),
        ),
    ])
}

fn external(
    dict: BTreeMap<String, DictItem>,
    content: Vec<u8>,
    compress: bool,
    width: u32,
    height: u32,
) -> ExternalXObject {
    ExternalXObject {
        stream: ExternalStream {
            dict,
            content,
            compress,
        },
        width: Some(Px(width as usize)),
        height: Some(Px(height as usize)),
        dpi: None,
    }
}

/// A JPEG embedded as is: no re-encoding, no loss.
fn jpeg_stream(bytes: Vec<u8>, width: u16, height: u16, components: u8) -> ExternalXObject {
    let color_space = match components {
        1 => "DeviceGray",
        4 => "DeviceCMYK",
        _ => "DeviceRGB",
    };
    let mut dict = image_dict(u32::from(width), u32::from(height), color_space);
    dict.insert("Filter".to_string(), DictItem::Name(b"DCTDecode".to_vec()));
    if components == 4 {
        // Adobe writes CMYK JPEGs inverted.
        dict.insert(
            "Decode".to_string(),
            DictItem::Array(
                [1, 0, 1, 0, 1, 0, 1, 0]
                    .iter()
                    .map(|&v| DictItem::Int(v))
                    .collect(),
            ),
        );
    }
    external(dict, bytes, false, u32::from(width), u32::from(height))
}

/// Decoded pixels as an 8-bit RGB (or grey) image, its alpha channel as a soft mask;
/// lopdf Flate-compresses both when the file is written.
fn pixel_stream(raw: &RawImage) -> Option<ExternalXObject> {
    let (width, height) = (raw.width as u32, raw.height as u32);
    let to_u8: Vec<u8> = match &raw.pixels {
        RawImageData::U8(v) => v.clone(),
        RawImageData::U16(v) => v.iter().map(|x| (x >> 8) as u8).collect(),
        RawImageData::F32(v) => v
            .iter()
            .map(|x| (x.clamp(0.0, 1.0) * 255.0).round() as u8)
            .collect(),
    };
    let (channels, gray, alpha_at, bgr) = match raw.data_format {
        RawImageFormat::R8 | RawImageFormat::R16 => (1, true, None, false),
        RawImageFormat::RG8 | RawImageFormat::RG16 => (2, true, Some(1), false),
        RawImageFormat::RGB8 | RawImageFormat::RGB16 | RawImageFormat::RGBF32 => {
            (3, false, None, false)
        }
        RawImageFormat::RGBA8 | RawImageFormat::RGBA16 | RawImageFormat::RGBAF32 => {
            (4, false, Some(3), false)
        }
        RawImageFormat::BGR8 => (3, false, None, true),
        RawImageFormat::BGRA8 => (4, false, Some(3), true),
    };
    let pixels = (width as usize).checked_mul(height as usize)?;
    if to_u8.len() < pixels.checked_mul(channels)? {
        return None;
    }
    let color_channels = if gray { 1 } else { 3 };
    let mut color = Vec::with_capacity(pixels * color_channels);
    let mut alpha = Vec::with_capacity(if alpha_at.is_some() { pixels } else { 0 });
    let mut opaque = true;
    for px in to_u8.chunks_exact(channels).take(pixels) {
        if gray {
            color.push(px[0]);
        } else if bgr {
            color.extend_from_slice(&[px[2], px[1], px[0]]);
        } else {
            color.extend_from_slice(&px[..3]);
        }
        if let Some(a) = alpha_at {
            opaque &= px[a] == 255;
            alpha.push(px[a]);
        }
    }
    let mut dict = image_dict(width, height, if gray { "DeviceGray" } else { "DeviceRGB" });
    if alpha_at.is_some() && !opaque {
        let mask = ExternalStream {
            dict: image_dict(width, height, "DeviceGray"),
            content: alpha,
            compress: true,
        };
        dict.insert("SMask".to_string(), DictItem::Stream { stream: mask });
    }
    Some(external(dict, color, true, width, height))
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 80 {
        let head: String = s.chars().take(77).collect();
        format!("{head}...")
    } else {
        s.to_string()
    }
}

fn color(c: Color) -> printpdf::Color {
    printpdf::Color::Rgb(Rgb {
        r: c.0,
        g: c.1,
        b: c.2,
        icc_profile: None,
    })
}

/// A six-capital subset tag-like font resource name (printpdf uses the id's first six
/// characters as the subset tag), fixed per face so output is reproducible.
fn font_id(face: FaceId) -> FontId {
    let a = (b'A' + (face / 26 % 26) as u8) as char;
    let b = (b'A' + (face % 26) as u8) as char;
    FontId(format!("QUIR{a}{b}"))
}

/// Writes the PDF.
pub fn emit(
    document: &Document,
    laid: &Laid,
    fonts: &FontSet<'_>,
    images: Images,
    timestamp: Option<i64>,
    warnings: &mut Vec<Warning>,
) -> Result<Vec<u8>> {
    let meta = &document.meta;
    let mut pdf = PdfDocument::new(meta.title.as_deref().unwrap_or(""));
    // Only the faces that were used are embedded.
    let mut used: BTreeSet<FaceId> = BTreeSet::new();
    for page in &laid.pages {
        for item in &page.items {
            if let Item::Text(run) = item {
                used.insert(run.face);
            }
        }
    }
    for &face in &used {
        let mut font_warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(fonts.face(face).bytes, 0, &mut font_warnings)
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
    }
    for (i, stream) in images.streams.into_iter().enumerate() {
        pdf.resources
            .xobjects
            .map
            .insert(XObjectId(format!("Im{i}")), XObject::External(stream));
    }
    let page_height = laid.height;
    let mut pages = Vec::with_capacity(laid.pages.len());
    for page in &laid.pages {
        let mut ops: Vec<Op> = Vec::new();
        let mut in_text = false;
        let mut current_font: Option<(FaceId, f32)> = None;
        let mut current_fill: Option<Color> = None;
        for item in &page.items {
            let is_text = matches!(item, Item::Text(_));
            if in_text && !is_text {
                ops.push(Op::EndTextSection);
                in_text = false;
            }
            match item {
                Item::Text(run) => {
                    if !in_text {
                        ops.push(Op::StartTextSection);
                        in_text = true;
                    }
                    let face = fonts.face(run.face);
                    // Only state changes: printpdf then merges the runs of a line into one
                    // TJ, which keeps content streams (and the file) small.
                    if current_font != Some((run.face, run.size)) {
                        ops.push(Op::SetFont {
                            font: PdfFontHandle::External(font_id(run.face)),
                            size: Pt(run.size),
                        });
                        current_font = Some((run.face, run.size));
                    }
                    if current_fill != Some(run.color) {
                        ops.push(Op::SetFillColor {
                            col: color(run.color),
                        });
                        current_fill = Some(run.color);
                    }
                    ops.push(Op::SetTextMatrix {
                        matrix: TextMatrix::Translate(Pt(run.x), Pt(page_height - run.y)),
                    });
                    let size = run.size.max(0.01);
                    let glyphs = run
                        .glyphs
                        .iter()
                        .map(|g| {
                            let natural = pdf_width(face, g.gid);
                            let wanted = g.advance * 1000.0 / size;
                            let offset = natural - wanted;
                            let offset = if offset.abs() < 0.01 { 0.0 } else { offset };
                            if g.text.is_empty() {
                                Codepoint::new(g.gid, offset)
                            } else {
                                Codepoint::with_cid(g.gid, offset, g.text.clone())
                            }
                        })
                        .collect();
                    ops.push(Op::ShowText {
                        items: vec![TextItem::GlyphIds(glyphs)],
                    });
                }
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color: c,
                } => {
                    ops.push(Op::SetOutlineColor { col: color(*c) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                    ops.push(Op::SetLineCapStyle {
                        cap: LineCapStyle::Butt,
                    });
                    ops.push(Op::DrawLine {
                        line: Line {
                            points: vec![
                                LinePoint {
                                    p: Point {
                                        x: Pt(*x1),
                                        y: Pt(page_height - y1),
                                    },
                                    bezier: false,
                                },
                                LinePoint {
                                    p: Point {
                                        x: Pt(*x2),
                                        y: Pt(page_height - y2),
                                    },
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    });
                }
                Item::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill,
                    stroke,
                } => {
                    let mode = match (fill, stroke) {
                        (Some(_), Some(_)) => PaintMode::FillStroke,
                        (Some(_), None) => PaintMode::Fill,
                        _ => PaintMode::Stroke,
                    };
                    if let Some(f) = fill {
                        ops.push(Op::SetFillColor { col: color(*f) });
                        current_fill = Some(*f);
                    }
                    if let Some(s) = stroke {
                        ops.push(Op::SetOutlineColor { col: color(*s) });
                        ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
                    }
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            x: Pt(*x),
                            y: Pt(page_height - y - h),
                            width: Pt(*w),
                            height: Pt(*h),
                            mode: Some(mode),
                            winding_order: Some(WindingOrder::NonZero),
                        },
                    });
                }
                Item::Image { index, x, y, w, h } => {
                    ops.push(Op::UseXobject {
                        id: XObjectId(format!("Im{index}")),
                        transform: XObjectTransform {
                            translate_x: Some(Pt(*x)),
                            translate_y: Some(Pt(page_height - y - h)),
                            scale_x: Some(*w),
                            scale_y: Some(*h),
                            no_auto_scale: true,
                            ..XObjectTransform::default()
                        },
                    });
                }
                Item::Link { x, y, w, h, target } => {
                    let action = match target {
                        LinkTarget::Uri(uri) => Actions::uri(uri.clone()),
                        LinkTarget::Internal { page, y } => Actions::go_to(Destination::Xyz {
                            page: page + 1,
                            left: None,
                            top: Some(page_height - y + 12.0),
                            zoom: None,
                        }),
                        LinkTarget::Note(_) | LinkTarget::Anchor(_) => continue,
                    };
                    ops.push(Op::LinkAnnotation {
                        link: LinkAnnotation::new(
                            Rect::from_xywh(Pt(*x), Pt(page_height - y - h), Pt(*w), Pt(*h)),
                            action,
                            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                            Some(ColorArray::Transparent),
                            Some(HighlightingMode::Invert),
                        ),
                    });
                }
            }
        }
        if in_text {
            ops.push(Op::EndTextSection);
        }
        pages.push(PdfPage::new(Mm(laid.width / MM), Mm(laid.height / MM), ops));
    }
    pdf.with_pages(pages);
    set_metadata(&mut pdf, document, timestamp);
    let options = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut pdf_warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&options, &mut pdf_warnings);
    finish(&mut lo, laid, document);
    compress_streams(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    // printpdf reports problems it could not avoid (a font it could not subset, an op it
    // dropped) as errors; pass those on, once each.
    let mut seen = BTreeSet::new();
    for w in pdf_warnings {
        if w.severity == printpdf::PdfParseErrorSeverity::Error && seen.insert(w.msg.clone()) {
            warnings.push(Warning::new(format!("PDF: {}", w.msg)));
        }
    }
    Ok(bytes)
}

/// Flate-compresses every stream that may be and is not yet: lopdf's own `compress` uses
/// the slowest level, which took a third of the writer's time for a 1–2% smaller file.
fn compress_streams(lo: &mut lopdf::Document) {
    use std::io::Write;
    for object in lo.objects.values_mut() {
        if let Object::Stream(stream) = object {
            if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
                continue;
            }
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            let compressed = encoder
                .write_all(&stream.content)
                .and_then(|()| encoder.finish());
            if let Ok(compressed) = compressed {
                if compressed.len() + 19 < stream.content.len() {
                    stream
                        .dict
                        .set("Filter", Object::Name(b"FlateDecode".to_vec()));
                    stream.set_content(compressed);
                }
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
fn finish(lo: &mut lopdf::Document, laid: &Laid, document: &Document) {
    let page_ids: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    let Ok(root) = lo.trailer.get(b"Root").and_then(|r| r.as_reference()) else {
        return;
    };
    let outline = build_outline(lo, &laid.outline, &page_ids, laid.height);
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
    let digest = fingerprint(document, laid);
    let id = Object::String(digest.to_vec(), StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id.clone(), id]));
}

fn fingerprint(document: &Document, laid: &Laid) -> [u8; 16] {
    // FNV-1a, 128 bits from two 64-bit lanes: not cryptographic, only reproducible.
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x8422_2325_cbf2_9ce4;
    let mut feed = |bytes: &[u8]| {
        for &byte in bytes {
            a = (a ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
            b = (b ^ u64::from(byte.rotate_left(3))).wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(
        serde_json::to_string(document)
            .unwrap_or_default()
            .as_bytes(),
    );
    feed(&(laid.pages.len() as u64).to_le_bytes());
    feed(&laid.width.to_le_bytes());
    feed(&laid.height.to_le_bytes());
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&a.to_be_bytes());
    out[8..].copy_from_slice(&b.to_be_bytes());
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
