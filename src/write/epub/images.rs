//! The images a book embeds: taken from each chapter's media store, fitted to the e-reader
//! profile's screen, optionally turned gray, and re-encoded as PNG or JPEG where needed (the
//! formats every EPUB reader shows; WebP is not an EPUB 3.0 core type). Loading (files,
//! `data:` URIs, downloads) happened once, in [`crate::media`].
//!
//! An image that cannot be had never stops the book: the chapter shows its alt text and the
//! caller gets a warning.

use std::collections::HashMap;

use super::content::ImageRef;
use super::EpubOptions;
use crate::error::Warning;
use crate::media::{raster, shorten, ImageKind, Media, MediaStore};
use crate::model::Math;
use crate::write::html::MathImage;
use crate::write::pdf::fonts::UserFonts;

/// An image stored in the book.
#[derive(Debug, Clone)]
pub(crate) struct EmbeddedImage {
    /// Where it is inside the book's content folder (`images/image-3.jpg`).
    pub path: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

/// What became of an image source already asked for.
#[derive(Debug, Clone)]
enum Cached {
    /// The index in [`BookImages::images`], and the size a drawing states.
    Embedded(usize, Option<(u32, u32)>),
    /// A link to the remote image.
    Link(String),
    Missing,
}

/// Collects the book's images as chapters ask for them, each fitted once per chapter store
/// and address.
pub(crate) struct BookImages<'o> {
    options: &'o EpubOptions,
    pub images: Vec<EmbeddedImage>,
    /// By chapter and address.
    cache: HashMap<(usize, String), Cached>,
    /// Formulas drawn as pictures, by their TeX: the index in `images` and the picture's
    /// size.
    formulas: HashMap<String, Option<(usize, f32, f32)>>,
    pub warnings: Vec<Warning>,
}

impl<'o> BookImages<'o> {
    pub(crate) fn new(options: &'o EpubOptions) -> BookImages<'o> {
        BookImages {
            options,
            images: Vec::new(),
            cache: HashMap::new(),
            formulas: HashMap::new(),
            warnings: Vec::new(),
        }
    }

    /// The book path of chapter `chapter`'s image `src`, from that chapter's `store`,
    /// fitting and embedding it on first use.
    pub(crate) fn resolve(&mut self, src: &str, store: &MediaStore, chapter: usize) -> ImageRef {
        let key = (chapter, src.trim().to_string());
        let cached = match self.cache.get(&key) {
            Some(known) => known.clone(),
            None => {
                let made = self.embed(src.trim(), store);
                self.cache.insert(key, made.clone());
                made
            }
        };
        match cached {
            Cached::Embedded(index, drawn) => {
                ImageRef::Embedded(self.images[index].path.clone(), drawn)
            }
            Cached::Link(url) => ImageRef::Remote(url),
            Cached::Missing => ImageRef::Missing,
        }
    }

    /// A formula drawn as a PNG picture stored in the book (each formula once), for readers
    /// without MathML; `None` when it has nothing to draw.
    pub(crate) fn math(&mut self, math: &Math, fonts: &UserFonts) -> Option<MathImage> {
        let tex = math.tex_or_text();
        if !self.formulas.contains_key(&tex) {
            let stored = crate::write::math_image::render(&tex, fonts).map(|picture| {
                let index = self.images.len();
                self.images.push(EmbeddedImage {
                    path: format!("images/math-{}.png", index + 1),
                    media_type: ImageKind::Png.media_type(),
                    bytes: picture.png,
                });
                (index, picture.height_em, picture.depth_em)
            });
            self.formulas.insert(tex.clone(), stored);
        }
        let (index, height_em, depth_em) = self.formulas.get(&tex).copied().flatten()?;
        Some(MathImage {
            src: self.images[index].path.clone(),
            height_em,
            depth_em,
        })
    }

    /// Fits and stores one image, or says why not (the store's load has warned about what it
    /// could not have).
    fn embed(&mut self, src: &str, store: &MediaStore) -> Cached {
        let image = match store.get(src) {
            Some(Media::Image(image)) => image,
            Some(Media::Link(url)) => return Cached::Link(url.clone()),
            Some(Media::Missing) => return Cached::Missing,
            None => {
                self.warnings.push(Warning::new(format!(
                    "image '{}' left out: not in the media store",
                    shorten(src)
                )));
                return Cached::Missing;
            }
        };
        let fitted = image.bytes().and_then(|bytes| {
            raster::fit_to_screen(
                &bytes,
                image.kind(),
                self.options.profile.screen(),
                self.options.grayscale,
            )
        });
        match fitted {
            Ok((bytes, kind)) => {
                let index = self.images.len();
                self.images.push(EmbeddedImage {
                    path: format!("images/image-{}.{}", index + 1, kind.extension()),
                    media_type: kind.media_type(),
                    bytes,
                });
                Cached::Embedded(index, image.drawn_size())
            }
            Err(reason) => {
                self.warnings.push(Warning::new(format!(
                    "image '{}' left out: {reason}",
                    shorten(src)
                )));
                Cached::Missing
            }
        }
    }
}

/// The cover made from an image (the lead image or the user's file): fitted to the screen,
/// gray if asked, PNG when it was one or has alpha, else JPEG.
pub(crate) fn cover_from(
    bytes: &[u8],
    kind: ImageKind,
    options: &EpubOptions,
) -> Result<(Vec<u8>, ImageKind), String> {
    let (width, height) = options.profile.screen();
    let image = raster::decode(bytes, kind)?;
    let image = if image.width() > width || image.height() > height {
        image.resize(width, height, image::imageops::FilterType::Triangle)
    } else {
        image
    };
    let image = if options.grayscale {
        image.grayscale()
    } else {
        image
    };
    let kind = if kind == ImageKind::Png || image.color().has_alpha() {
        ImageKind::Png
    } else {
        ImageKind::Jpeg
    };
    raster::encode(&image, kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::{LoadPolicy, StandardSource};
    use crate::model::{Block, Document, Figure, Image, Meta};

    #[test]
    fn stored_images_are_embedded_once_and_the_rest_are_links_or_missing() {
        let png = raster::tests::png(4, 4);
        let data = format!("data:image/png;base64,{}", crate::media::base64(&png));
        let figure = |src: &str| {
            Block::Figure(Box::new(Figure {
                image: Image {
                    src: src.into(),
                    ..Image::default()
                },
                caption: vec![],
            }))
        };
        let doc = Document::new(
            Meta::default(),
            vec![
                figure(&data),
                figure("https://x.example/a.png"),
                figure("missing.png"),
            ],
        );
        let dir = tempfile::tempdir().unwrap();
        let policy = LoadPolicy {
            resource_dir: Some(dir.path().to_path_buf()),
            ..LoadPolicy::default()
        };
        let (store, warnings) = MediaStore::load(&doc, &StandardSource::new(None), &policy);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        let options = EpubOptions::default();
        let mut book = BookImages::new(&options);
        assert!(
            matches!(book.resolve(&data, &store, 0), ImageRef::Embedded(p, None) if p == "images/image-1.png")
        );
        assert!(matches!(
            book.resolve(&data, &store, 0),
            ImageRef::Embedded(..)
        ));
        assert_eq!(book.images.len(), 1);
        assert!(matches!(
            book.resolve("https://x.example/a.png", &store, 0),
            ImageRef::Remote(_)
        ));
        assert!(matches!(
            book.resolve("missing.png", &store, 0),
            ImageRef::Missing
        ));
        assert!(book.warnings.is_empty(), "the store warned, not the book");
    }
}
