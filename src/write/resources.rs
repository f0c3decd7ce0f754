//! Files a document refers to (images), loaded safely for writers that embed them.
//!
//! A page may point at any path (`/etc/passwd`, `../../secret.png`); only files inside the
//! input's own folder tree are ever read, so converting an untrusted page cannot leak a file
//! into a book or PDF.

use crate::error::Warning;
use crate::model::Document;
use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest image file quire embeds.
pub const MAX_RESOURCE_BYTES: u64 = 32 * 1024 * 1024;

/// An image file's bytes and what kind of image they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    pub bytes: Vec<u8>,
    pub kind: ImageKind,
}

/// The raster formats writers know how to embed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageKind {
    /// Recognises an image by its first bytes (extensions lie).
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

    pub fn media_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
        }
    }
}

/// Is `src` a reference to a local file (a relative path or `file:` URL), as opposed to a
/// remote (`http:`) or inline (`data:`) one?
pub fn is_local(src: &str) -> bool {
    let lower = src.trim().to_ascii_lowercase();
    lower.starts_with("file:")
        || !(lower.contains("://") || lower.starts_with("data:") || lower.starts_with("//"))
}

/// Loads the image `src` refers to, resolved against `base_dir` (the input's folder).
/// Refuses anything outside `base_dir`'s tree (after following `..` and symlinks), anything
/// larger than [`MAX_RESOURCE_BYTES`], and anything that is not a PNG, JPEG, GIF or WebP.
/// The error says why, for a warning.
pub fn load_local(src: &str, base_dir: &Path) -> Result<Resource, String> {
    let path = local_path(src).ok_or_else(|| format!("'{src}' is not a local file path"))?;
    let base = base_dir
        .canonicalize()
        .map_err(|e| format!("{}: {e}", base_dir.display()))?;
    let joined = if path.is_absolute() {
        path
    } else {
        base.join(path)
    };
    let real = joined
        .canonicalize()
        .map_err(|e| format!("{}: {e}", joined.display()))?;
    if !real.starts_with(&base) {
        return Err(format!(
            "'{src}' is outside the input's folder ({}); not embedded",
            base.display()
        ));
    }
    let file = fs::File::open(&real).map_err(|e| format!("{}: {e}", real.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_RESOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", real.display()))?;
    if bytes.len() as u64 > MAX_RESOURCE_BYTES {
        return Err(format!(
            "{}: larger than {} MiB",
            real.display(),
            MAX_RESOURCE_BYTES >> 20
        ));
    }
    let kind = ImageKind::sniff(&bytes)
        .ok_or_else(|| format!("{}: not a PNG, JPEG, GIF or WebP image", real.display()))?;
    Ok(Resource { bytes, kind })
}

/// Whether the document refers to a local image that [`embed_local_images`] would embed.
pub fn has_local_images(document: &Document) -> bool {
    let mut found = false;
    document.for_each_image(&mut |image| {
        found |= is_local(&image.src) && !image.src.trim().is_empty();
    });
    found
}

/// Replaces every local image reference with a `data:` URI of the file's bytes, so that one
/// HTML file carries its images with it. Files are found as `load_local` finds them (inside
/// `base_dir` only); an image that cannot be had keeps its reference and gets a warning.
pub fn embed_local_images(document: &mut Document, base_dir: &Path) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut embedded: HashMap<String, Option<String>> = HashMap::new();
    document.for_each_image_mut(&mut |image| {
        if !is_local(&image.src) || image.src.trim().is_empty() {
            return;
        }
        let data_uri = embedded.entry(image.src.clone()).or_insert_with(|| {
            match load_local(&image.src, base_dir) {
                Ok(resource) => Some(format!(
                    "data:{};base64,{}",
                    resource.kind.media_type(),
                    base64(&resource.bytes)
                )),
                Err(why) => {
                    warnings.push(Warning::new(format!("image not embedded: {why}")));
                    None
                }
            }
        });
        if let Some(uri) = data_uri {
            image.src = uri.clone();
        }
    });
    warnings
}

/// Standard base64 with padding (RFC 4648), for `data:` URIs.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes an image `data:[type];base64,payload` URI (the only inline form worth embedding:
/// SVG and text ones are refused), with the same size limit and kinds as files.
pub fn load_data_uri(src: &str) -> Result<Resource, String> {
    let comma = src.find(',').ok_or("malformed data: URL")?;
    let header = &src[5..comma];
    let payload = &src[comma + 1..];
    let bytes = if header.to_ascii_lowercase().ends_with(";base64") {
        decode_base64(payload).ok_or("invalid base64 in data: URL")?
    } else {
        return Err("data: URL is not base64 (SVG or text)".to_string());
    };
    if bytes.len() as u64 > MAX_RESOURCE_BYTES {
        return Err("data: URL image too large".to_string());
    }
    let kind = ImageKind::sniff(&bytes).ok_or("not a PNG, JPEG, GIF or WebP image")?;
    Ok(Resource { bytes, kind })
}

/// Standard or URL-safe base64, padding and whitespace tolerated.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            b'%' => return None,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The file path in a relative reference or `file:` URL: query and fragment cut,
/// percent-escapes decoded.
fn local_path(src: &str) -> Option<PathBuf> {
    let src = src.trim();
    if !is_local(src) {
        return None;
    }
    // `get` rather than indexing: the fifth byte may fall inside a multi-byte character.
    let src = if src
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("file:"))
    {
        let rest = &src[5..];
        rest.strip_prefix("//").map_or(rest, |r| {
            // file://host/path: only an empty host or localhost is this machine.
            let slash = r.find('/').unwrap_or(r.len());
            let host = &r[..slash];
            if host.is_empty() || host.eq_ignore_ascii_case("localhost") {
                &r[slash..]
            } else {
                ""
            }
        })
    } else {
        src
    };
    let end = src.find(['?', '#']).unwrap_or(src.len());
    let decoded = percent_decode(&src[..end])?;
    if decoded.is_empty() {
        return None;
    }
    Some(PathBuf::from(decoded))
}

/// Decodes `%XX` escapes; `None` when they do not make UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn loads_inside_and_refuses_outside_the_base() {
        let root = tempfile::tempdir().unwrap();
        let base = root.path().join("article");
        fs::create_dir_all(base.join("img")).unwrap();
        fs::write(base.join("img/a b.png"), PNG).unwrap();
        fs::write(root.path().join("secret.png"), PNG).unwrap();
        fs::write(base.join("notes.txt"), "text").unwrap();

        let ok = load_local("img/a%20b.png?v=2#x", &base).unwrap();
        assert_eq!(ok.kind, ImageKind::Png);
        assert!(load_local("../secret.png", &base)
            .unwrap_err()
            .contains("outside"));
        let abs = root.path().join("secret.png");
        assert!(load_local(abs.to_str().unwrap(), &base)
            .unwrap_err()
            .contains("outside"));
        assert!(load_local("/etc/passwd", &base).is_err());
        assert!(load_local("notes.txt", &base)
            .unwrap_err()
            .contains("not a PNG"));
        assert!(load_local("https://example.com/a.png", &base).is_err());
        assert!(load_local("missing.png", &base).is_err());
        // Multi-byte characters around byte 5 must not panic.
        assert!(load_local("&#0;Привет.png", &base).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn refuses_symlinks_that_leave_the_base() {
        let root = tempfile::tempdir().unwrap();
        let base = root.path().join("article");
        fs::create_dir_all(&base).unwrap();
        fs::write(root.path().join("secret.png"), PNG).unwrap();
        std::os::unix::fs::symlink(root.path().join("secret.png"), base.join("link.png")).unwrap();
        assert!(load_local("link.png", &base)
            .unwrap_err()
            .contains("outside"));
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn embeds_local_images_and_warns_about_the_rest() {
        use crate::model::{Block, Figure, Image, Inline};
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.png"), PNG).unwrap();
        let image = |src: &str| Image {
            src: src.into(),
            ..Image::default()
        };
        let mut doc = Document::new(
            Default::default(),
            vec![
                Block::Figure(Box::new(Figure {
                    image: image("a.png"),
                    caption: vec![],
                })),
                Block::Paragraph(vec![
                    Inline::image(image("https://example.com/b.png")),
                    Inline::Note(vec![Block::Paragraph(vec![Inline::image(image("a.png"))])]),
                    Inline::image(image("../secret.png")),
                ]),
            ],
        );
        let warnings = embed_local_images(&mut doc, dir.path());
        let mut srcs = Vec::new();
        doc.for_each_image_mut(&mut |img| srcs.push(img.src.clone()));
        let png_uri = format!("data:image/png;base64,{}", base64(PNG));
        assert_eq!(
            srcs,
            vec![
                png_uri.clone(),
                "https://example.com/b.png".into(),
                png_uri,
                "../secret.png".into()
            ]
        );
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn data_uris_decode_and_refuse_what_is_not_an_image() {
        let uri = format!("data:image/png;base64,{}", base64(PNG));
        assert_eq!(load_data_uri(&uri).unwrap().kind, ImageKind::Png);
        assert_eq!(decode_base64("aGVs\nbG8=").unwrap(), b"hello");
        assert!(decode_base64("a*b").is_none());
        assert!(load_data_uri("data:image/svg+xml,<svg/>").is_err());
        assert!(load_data_uri("data:text/plain;base64,aGVsbG8=").is_err());
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
