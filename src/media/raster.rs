//! What an image is and how it is reshaped: sniffing the format from the first bytes, reading
//! the size from the header, decoding within limits, fitting to a screen and encoding again.
//!
//! Writers fit lazily from the stored bytes (the EPUB profile's screen here; the PDF writer
//! fits to 300 dpi in its own emitter, which knows the PDF image encodings), so a store holds
//! each image once as loaded and never all of them decoded at once.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

/// The raster formats writers know how to embed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageKind {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF (maybe animated).
    Gif,
    /// WebP.
    Webp,
}

impl ImageKind {
    /// Recognises an image by its first bytes (extensions and media types lie).
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(b"\xff\xd8\xff") {
            Some(ImageKind::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageKind::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    /// The IANA media type (`image/png`).
    pub fn media_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
        }
    }

    /// The kind a media type names (`image/png`, `image/jpg`; parameters and case ignored).
    pub fn from_media_type(media_type: &str) -> Option<ImageKind> {
        let essence = media_type.split(';').next().unwrap_or("").trim();
        match essence.to_ascii_lowercase().as_str() {
            "image/png" | "image/apng" => Some(ImageKind::Png),
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(ImageKind::Jpeg),
            "image/gif" => Some(ImageKind::Gif),
            "image/webp" => Some(ImageKind::Webp),
            _ => None,
        }
    }

    /// The kind a file extension names (`jpg`, `PNG`).
    pub fn from_extension(extension: &str) -> Option<ImageKind> {
        match extension.to_ascii_lowercase().as_str() {
            "png" | "apng" => Some(ImageKind::Png),
            "jpg" | "jpeg" | "jpe" | "jfif" | "pjpeg" => Some(ImageKind::Jpeg),
            "gif" => Some(ImageKind::Gif),
            "webp" => Some(ImageKind::Webp),
            _ => None,
        }
    }

    /// Whether every writer embeds this kind as it is: WebP is re-encoded for EPUB (not an
    /// EPUB 3.0 core type) and GIF decoded for PDF, while PNG and JPEG pass through.
    pub fn embeds_as_is(self) -> bool {
        matches!(self, ImageKind::Png | ImageKind::Jpeg)
    }

    fn format(self) -> ImageFormat {
        match self {
            ImageKind::Png => ImageFormat::Png,
            ImageKind::Jpeg => ImageFormat::Jpeg,
            ImageKind::Gif => ImageFormat::Gif,
            ImageKind::Webp => ImageFormat::WebP,
        }
    }
}

/// Image formats pages offer (as a media type's subtype or a file extension) that no writer
/// can show: the store cannot read them, so a page's other candidates are better. (SVG is
/// drawn by the store; compressed SVG is not read.)
const FORMATS_NO_WRITER_SHOWS: &[&str] = &[
    "avif",
    "jxl",
    "heic",
    "heif",
    "svgz",
    "tif",
    "tiff",
    "bmp",
    "ico",
    "x-icon",
    "vnd.microsoft.icon",
    "jp2",
    "jpx",
];

/// Whether a media type (`image/avif`) or file extension (`avif`) names a format no writer
/// can show.
pub fn no_writer_shows(type_or_extension: &str) -> bool {
    let essence = type_or_extension.split(';').next().unwrap_or("").trim();
    let name = essence.strip_prefix("image/").unwrap_or(essence);
    FORMATS_NO_WRITER_SHOWS
        .iter()
        .any(|format| format.eq_ignore_ascii_case(name))
}

/// Decoding limits: no image may make quire allocate more than this, whatever its header says.
fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(512 * 1024 * 1024);
    limits
}

fn reader(bytes: &[u8], kind: ImageKind) -> ImageReader<Cursor<&[u8]>> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), kind.format());
    reader.limits(limits());
    reader
}

/// The width and height the image's header states (nothing is decoded).
pub(crate) fn dimensions(bytes: &[u8], kind: ImageKind) -> Result<(u32, u32), String> {
    let (width, height) = reader(bytes, kind)
        .into_dimensions()
        .map_err(|e| format!("unreadable image: {e}"))?;
    if width == 0 || height == 0 {
        return Err("empty image".to_string());
    }
    Ok((width, height))
}

/// Decodes an image within the limits.
pub(crate) fn decode(bytes: &[u8], kind: ImageKind) -> Result<DynamicImage, String> {
    reader(bytes, kind)
        .decode()
        .map_err(|e| format!("unreadable image: {e}"))
}

/// Fits an image into a `screen` (width, height) and makes it gray if asked. An image that
/// needs no change keeps its bytes (and a GIF its animation); otherwise it is decoded and
/// written as JPEG (photos: JPEG and opaque WebP sources) or PNG (everything else). WebP is
/// always converted (it is not an EPUB 3.0 core type).
pub fn fit_to_screen(
    bytes: &[u8],
    kind: ImageKind,
    screen: (u32, u32),
    grayscale: bool,
) -> Result<(Vec<u8>, ImageKind), String> {
    let (max_w, max_h) = screen;
    let (width, height) = dimensions(bytes, kind)?;
    let too_big = width > max_w || height > max_h;
    let convert = kind == ImageKind::Webp;
    if !too_big && !grayscale && !convert {
        // Decode anyway: a broken file must not reach the book.
        decode(bytes, kind)?;
        return Ok((bytes.to_vec(), kind));
    }
    let mut image = decode(bytes, kind)?;
    if too_big {
        image = image.resize(max_w, max_h, image::imageops::FilterType::Triangle);
    }
    if grayscale {
        image = image.grayscale();
    }
    let photo = kind == ImageKind::Jpeg || (kind == ImageKind::Webp && !image.color().has_alpha());
    encode(
        &image,
        if photo {
            ImageKind::Jpeg
        } else {
            ImageKind::Png
        },
    )
}

/// Encodes as PNG or JPEG (quality 85; JPEG has no alpha, so it is dropped).
pub(crate) fn encode(
    image: &DynamicImage,
    kind: ImageKind,
) -> Result<(Vec<u8>, ImageKind), String> {
    let mut bytes = Vec::new();
    let gray = matches!(
        image,
        DynamicImage::ImageLuma8(_)
            | DynamicImage::ImageLumaA8(_)
            | DynamicImage::ImageLuma16(_)
            | DynamicImage::ImageLumaA16(_)
    );
    let result = match kind {
        ImageKind::Jpeg => {
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85);
            if gray {
                DynamicImage::ImageLuma8(image.to_luma8()).write_with_encoder(encoder)
            } else {
                DynamicImage::ImageRgb8(image.to_rgb8()).write_with_encoder(encoder)
            }
        }
        _ => {
            let eight_bit = match image {
                DynamicImage::ImageLuma8(_)
                | DynamicImage::ImageLumaA8(_)
                | DynamicImage::ImageRgb8(_)
                | DynamicImage::ImageRgba8(_) => image.clone(),
                _ if image.color().has_alpha() => DynamicImage::ImageRgba8(image.to_rgba8()),
                _ => DynamicImage::ImageRgb8(image.to_rgb8()),
            };
            eight_bit.write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        }
    };
    result.map_err(|e| format!("could not encode image: {e}"))?;
    let kind = if kind == ImageKind::Jpeg {
        ImageKind::Jpeg
    } else {
        ImageKind::Png
    };
    Ok((bytes, kind))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use image::GenericImageView;

    pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            width,
            height,
            image::Rgb([200, 10, 10]),
        ));
        encode(&image, ImageKind::Png).unwrap().0
    }

    #[test]
    fn large_images_shrink_to_the_screen_and_turn_gray() {
        let (bytes, kind) =
            fit_to_screen(&png(3000, 1000), ImageKind::Png, (1072, 1448), true).unwrap();
        assert_eq!(kind, ImageKind::Png);
        let image = decode(&bytes, kind).unwrap();
        assert_eq!(image.dimensions(), (1072, 357));
        assert!(matches!(image, DynamicImage::ImageLuma8(_)));
    }

    #[test]
    fn small_images_keep_their_bytes_and_broken_ones_are_refused() {
        let bytes = png(10, 10);
        let screen = (1200, 1600);
        assert_eq!(
            fit_to_screen(&bytes, ImageKind::Png, screen, false)
                .unwrap()
                .0,
            bytes
        );
        assert!(fit_to_screen(&bytes[..30], ImageKind::Png, screen, false).is_err());
    }

    #[test]
    fn names_of_formats_are_told_apart() {
        assert_eq!(
            ImageKind::from_media_type("IMAGE/JPG"),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(
            ImageKind::from_media_type("image/webp; q=1"),
            Some(ImageKind::Webp)
        );
        assert_eq!(ImageKind::from_media_type("image/avif"), None);
        assert_eq!(ImageKind::from_extension("JPEG"), Some(ImageKind::Jpeg));
        assert!(no_writer_shows("image/avif"));
        assert!(no_writer_shows("image/avif"));
        assert!(!no_writer_shows("image/svg+xml"));
        assert!(no_writer_shows("JXL"));
        assert!(!no_writer_shows("image/png"));
        assert!(!no_writer_shows("html"));
        assert!(ImageKind::Png.embeds_as_is() && !ImageKind::Webp.embeds_as_is());
    }

    #[test]
    fn sniffs_image_kinds() {
        assert_eq!(ImageKind::sniff(b"\xff\xd8\xff\xe0"), Some(ImageKind::Jpeg));
        assert_eq!(ImageKind::sniff(b"GIF89a.."), Some(ImageKind::Gif));
        assert_eq!(
            ImageKind::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
        assert_eq!(ImageKind::sniff(b"<svg"), None);
    }
}
