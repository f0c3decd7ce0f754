//! Files a document refers to (images), loaded safely for writers that embed them.
//!
//! A page may point at any path (`/etc/passwd`, `../../secret.png`); only files inside the
//! input's own folder tree are ever read, so converting an untrusted page cannot leak a file
//! into a book or PDF.

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
