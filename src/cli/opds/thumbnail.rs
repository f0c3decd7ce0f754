//! Cover thumbnails for the catalog: a reader's list shows many covers at once, over Wi-Fi, on
//! a slow device, so it gets a small one (at most [`THUMBNAIL_BOX`]) made from the entry's
//! cover once and kept beside it. The thumbnail is written atomically, so a request that
//! races a kill or another request reads a whole image or makes it again.

use crate::cli::atomic::write_atomically;
use anyhow::{anyhow, Context};
use quire::media::{fit_to_screen, ImageKind};
use std::path::{Path, PathBuf};

/// The box (width, height) a thumbnail fits in: about a finger's size on a 300 dpi screen,
/// the size KOReader's and Thorium's cover lists show.
pub const THUMBNAIL_BOX: (u32, u32) = (200, 200);

/// The thumbnail's file name before the extension, in the cover's folder.
const THUMBNAIL_STEM: &str = "cover-thumbnail";

/// The thumbnail of the cover at `cover` and its kind: the one kept beside the cover when it
/// is newer than the cover, else a new one, written there. A cover within the box is its own
/// thumbnail.
pub fn thumbnail(cover: &Path) -> anyhow::Result<(PathBuf, ImageKind)> {
    let folder = cover
        .parent()
        .ok_or_else(|| anyhow!("{}: a cover outside any folder", cover.display()))?;
    let cover_modified = std::fs::metadata(cover)
        .and_then(|m| m.modified())
        .with_context(|| format!("cannot read {}", cover.display()))?;
    for kind in [ImageKind::Jpeg, ImageKind::Png] {
        let path = thumbnail_path(folder, kind);
        let fresh = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .is_ok_and(|made| made >= cover_modified);
        if fresh {
            return Ok((path, kind));
        }
    }
    let bytes = std::fs::read(cover).with_context(|| format!("cannot read {}", cover.display()))?;
    let kind = ImageKind::sniff(&bytes)
        .ok_or_else(|| anyhow!("{}: not an image quire knows", cover.display()))?;
    let (small, small_kind) = fit_to_screen(&bytes, kind, THUMBNAIL_BOX, false)
        .map_err(|e| anyhow!("{}: {e}", cover.display()))?;
    let path = thumbnail_path(folder, small_kind);
    // Not durable: a thumbnail lost in a crash is made again on the next request.
    write_atomically(&path, &small, false)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok((path, small_kind))
}

fn thumbnail_path(folder: &Path, kind: ImageKind) -> PathBuf {
    folder.join(format!("{THUMBNAIL_STEM}.{}", kind.extension()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat, RgbImage};

    fn write_image(path: &Path, width: u32, height: u32, format: ImageFormat) {
        let image = RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        image.save_with_format(path, format).unwrap();
    }

    #[test]
    fn a_large_cover_is_made_small_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let cover = dir.path().join("cover.jpg");
        write_image(&cover, 1200, 1800, ImageFormat::Jpeg);
        let (path, kind) = thumbnail(&cover).unwrap();
        assert_eq!(kind, ImageKind::Jpeg);
        assert_eq!(path.parent(), Some(dir.path()));
        let small = image::open(&path).unwrap();
        assert!(small.height() <= THUMBNAIL_BOX.1 && small.width() <= THUMBNAIL_BOX.0);
        // The aspect ratio is kept: 2:3.
        assert_eq!(small.height(), 200);
        assert!((small.width() as i32 - 133).abs() <= 1, "{}", small.width());

        // The second request takes the kept one (it is not written again).
        let made = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let (again, _) = thumbnail(&cover).unwrap();
        assert_eq!(again, path);
        assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), made);
    }

    #[test]
    fn a_png_cover_keeps_its_kind_and_a_newer_cover_replaces_the_thumbnail() {
        let dir = tempfile::tempdir().unwrap();
        let cover = dir.path().join("cover.png");
        write_image(&cover, 600, 300, ImageFormat::Png);
        let (first, kind) = thumbnail(&cover).unwrap();
        assert_eq!(kind, ImageKind::Png);
        assert_eq!(image::open(&first).unwrap().width(), 200);

        std::thread::sleep(std::time::Duration::from_millis(20));
        write_image(&cover, 300, 600, ImageFormat::Png);
        let (second, _) = thumbnail(&cover).unwrap();
        let small = image::open(&second).unwrap();
        assert_eq!((small.width(), small.height()), (100, 200));
    }

    #[test]
    fn a_broken_cover_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let cover = dir.path().join("cover.png");
        std::fs::write(&cover, b"\x89PNG\r\n\x1a\nnot really").unwrap();
        let error = format!("{:#}", thumbnail(&cover).unwrap_err());
        assert!(error.contains("cover.png"), "{error}");
        let missing = format!("{:#}", thumbnail(&dir.path().join("none.png")).unwrap_err());
        assert!(missing.contains("none.png"), "{missing}");
    }
}
