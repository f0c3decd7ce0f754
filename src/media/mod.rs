//! The media store: every image a document uses, resolved once, before any writer runs.
//!
//! [`MediaStore::load`] walks the document (figures and inline images, notes included, and
//! the lead image when the cover may use it), asks an [`ImageSource`] for each distinct
//! address once (files inside the input's folder tree, `data:` URIs, and remote URLs when
//! fetching is on; remote ones several at a time), sniffs each answer and reads its size from
//! the header. Writers get the store read-only (`WriteOptions::media`) and take their
//! images only from it: HTML embeds the bytes as they are, EPUB fits them to the e-reader
//! profile (`raster`), PDF to 300 dpi. Fitting is per writer and lazy, from the stored bytes;
//! reading, fetching and sniffing happen once.
//!
//! An image that cannot be had never stops a conversion: it is left out (writers show its alt
//! text) with a warning, or, when it is remote and not fetched, stays a link to itself.

pub(crate) mod raster;
mod source;
mod svg;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub use raster::{fit_to_screen, no_writer_shows, ImageKind};
pub(crate) use source::{absolute_remote, base64, is_data, read_capped};
pub use source::{
    is_local, load_data_uri, load_local, ImageData, ImageRequest, ImageSource, LoadError,
    StandardSource, MAX_RESOURCE_BYTES,
};

use crate::error::{counted, Warning};
use crate::model::url::UrlUse;
use crate::model::Document;

/// What a store loads for one document, besides the source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadPolicy {
    /// The folder relative paths resolve in (the input's folder). `None`: no local file is
    /// read, and a page from the web (an `http(s)` `source_url`) resolves relative images
    /// against its own URL.
    pub resource_dir: Option<PathBuf>,
    /// Ask the source for remote images; otherwise they stay links.
    pub fetch_remote: bool,
    /// Remote images may come from private addresses (the page itself came from one, or the
    /// user allowed it).
    pub allow_private: bool,
    /// Load `Meta::lead_image` too (an EPUB cover made from it).
    pub lead_image: bool,
}

/// One loaded image: its bytes as the source gave them (an SVG as the PNG it was drawn as),
/// its format and its size in pixels. Cloning shares the bytes.
#[derive(Debug, Clone)]
pub struct StoredImage {
    data: std::sync::Arc<ImageData>,
    kind: ImageKind,
    width: u32,
    height: u32,
    /// The size in CSS pixels a drawing (an SVG) states, rendered sharper than that; `None`
    /// for a raster, whose pixels are its size.
    stated: Option<(u32, u32)>,
}

impl StoredImage {
    /// The format, sniffed from the bytes.
    pub fn kind(&self) -> ImageKind {
        self.kind
    }

    /// Width and height in pixels, from the header.
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// For a drawing (an SVG, rendered sharper than it states), the size in CSS pixels it
    /// states, which writers give it so that it takes the room it takes in a browser;
    /// `None` for a raster, whose pixels are its size.
    pub fn drawn_size(&self) -> Option<(u32, u32)> {
        self.stated
    }

    /// The bytes as loaded (read back from disk for a download). The error says why, for a
    /// warning.
    pub fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, String> {
        self.data.bytes()
    }
}

/// What became of one image address.
#[derive(Debug, Clone)]
pub enum Media {
    /// Loaded.
    Image(StoredImage),
    /// A remote image not fetched (fetching is off, or a limit on all downloads ran out):
    /// shown as a link to this absolute URL.
    Link(String),
    /// Could not be had (the load reported a warning): shown as its alt text.
    Missing,
}

/// Every image of one document, by the address the document writes (trimmed).
/// Immutable once loaded; share it between writers with an `Arc`.
#[derive(Debug, Default)]
pub struct MediaStore {
    entries: HashMap<String, Media>,
}

impl MediaStore {
    /// Loads every image `document` uses from `source`, each distinct address once, as
    /// `policy` says; returns the store and the warnings about images left out or left as
    /// links.
    pub fn load(
        document: &Document,
        source: &dyn ImageSource,
        policy: &LoadPolicy,
    ) -> (MediaStore, Vec<Warning>) {
        let mut tally = Tally::default();
        let store = MediaStore::load_counted(document, None, source, policy, &mut tally);
        (store, tally.into_warnings())
    }

    /// [`MediaStore::load`] with an extra address (a book's own lead image) and the warnings
    /// added to `tally`, so a book of several stores says each limit once.
    pub(crate) fn load_counted(
        document: &Document,
        extra: Option<&str>,
        source: &dyn ImageSource,
        policy: &LoadPolicy,
        tally: &mut Tally,
    ) -> MediaStore {
        let page = policy
            .resource_dir
            .is_none()
            .then_some(document.meta.source_url.as_deref())
            .flatten()
            .and_then(|u| url::Url::parse(u.trim()).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        let mut sources = Vec::new();
        document.for_each_image(&mut |image| sources.push(image.src.trim().to_string()));
        let lead = document
            .meta
            .lead_image
            .as_deref()
            .filter(|_| policy.lead_image);
        sources.extend(lead.into_iter().chain(extra).map(|s| s.trim().to_string()));
        let mut seen = HashSet::new();
        sources.retain(|src| seen.insert(src.clone()));

        // What each address is, in document order; remote ones are fetched together.
        let mut remote: Vec<String> = Vec::new();
        let mut plan: Vec<(String, Address)> = Vec::new();
        for src in sources {
            let address = classify(&src, page.as_ref());
            if let Address::Remote(url) = &address {
                if policy.fetch_remote {
                    remote.push(url.clone());
                }
            }
            plan.push((src, address));
        }
        let mut fetched = fetch_all(&remote, source, policy.allow_private);

        let mut entries = HashMap::new();
        // Two addresses of one remote image (`x.png` on a page, and its absolute URL) share
        // what the one download gave.
        let mut by_url: HashMap<String, Media> = HashMap::new();
        for (src, address) in plan {
            if let Some(known) = match &address {
                Address::Remote(url) => by_url.get(url),
                _ => None,
            } {
                entries.insert(src, known.clone());
                continue;
            }
            let loaded = match &address {
                Address::Refused => {
                    entries.insert(src, Media::Missing);
                    continue;
                }
                Address::Data => source.load(&ImageRequest::Data(&src)),
                Address::File => source.load(&ImageRequest::File {
                    src: &src,
                    base_dir: policy.resource_dir.as_deref(),
                }),
                Address::Remote(_) if !policy.fetch_remote => Err(LoadError::NotFetched),
                Address::Remote(url) => fetched
                    .remove(url.as_str())
                    .unwrap_or(Err(LoadError::NotFetched)),
                Address::Other => Err(LoadError::Failed(
                    "not a file path or http(s) URL".to_string(),
                )),
            };
            let media = match loaded.and_then(|data| stored(data).map_err(LoadError::Failed)) {
                Ok(image) => Media::Image(image),
                Err(error) => {
                    let link = match &address {
                        Address::Remote(url) => Some(url.clone()),
                        _ => None,
                    };
                    tally.count(&src, error, link)
                }
            };
            if let Address::Remote(url) = address {
                by_url.insert(url, media.clone());
            }
            entries.insert(src, media);
        }
        MediaStore { entries }
    }

    /// What became of the image the document writes as `src`; `None` when the store was not
    /// loaded from a document using it.
    pub fn get(&self, src: &str) -> Option<&Media> {
        self.entries.get(src.trim())
    }

    /// The loaded image at `src`, if it was had.
    pub fn image(&self, src: &str) -> Option<&StoredImage> {
        match self.get(src)? {
            Media::Image(image) => Some(image),
            _ => None,
        }
    }

    /// The first image of `document`, in reading order, that is a picture worth a cover:
    /// loaded and no drawing (an SVG is a logo or a diagram), at least [`MIN_PICTURE_SIDE`]
    /// pixels on each side both
    /// as stored and as the page shows it (its stated size: a big file shown as a 24-pixel
    /// icon is an icon), and no longer than [`MAX_PICTURE_ASPECT`] times its width or height
    /// (a banner, a rule, a spacer). Tracking pixels, icons and avatars are none of these.
    pub fn first_picture(&self, document: &Document) -> Option<&StoredImage> {
        let mut found: Option<&StoredImage> = None;
        document.for_each_image(&mut |image| {
            if found.is_some() {
                return;
            }
            let shown_small = [image.width, image.height]
                .into_iter()
                .flatten()
                .any(|side| side < MIN_PICTURE_SIDE);
            found = self.image(&image.src).filter(|stored| {
                !shown_small && stored.drawn_size().is_none() && is_picture(stored.size())
            });
        });
        found
    }

    /// How many distinct addresses were loaded as images.
    pub fn len(&self) -> usize {
        self.entries
            .values()
            .filter(|m| matches!(m, Media::Image(_)))
            .count()
    }

    /// Whether no image was loaded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The widest image any output uses, in pixels: the tablet profile's screen is 2048 pixels
/// tall (a portrait image fitted to it) and a PDF page's text at 300 dpi about 1900 wide. A
/// reader choosing among a page's sizes of one image takes the smallest at least this wide:
/// anything larger is only a longer download.
pub const WIDEST_USED_IMAGE: u32 = 2048;

/// The fewest pixels a picture has on its short side (and as the page shows it): icons,
/// avatars and tracking pixels have fewer.
pub const MIN_PICTURE_SIDE: u32 = 100;

/// How many times its short side a picture's long side may be: longer is a banner, a rule
/// or a spacer.
pub const MAX_PICTURE_ASPECT: u32 = 4;

/// Whether an image of `width` × `height` pixels is a picture rather than an icon, a pixel
/// or a strip (see [`MediaStore::first_picture`]).
fn is_picture((width, height): (u32, u32)) -> bool {
    let (short, long) = (width.min(height), width.max(height));
    short >= MIN_PICTURE_SIDE && long <= short.saturating_mul(MAX_PICTURE_ASPECT)
}

/// An image address, classified.
enum Address {
    /// Empty, or refused by the model's URL policy (`javascript:`, SVG `data:`): never
    /// loaded, and no warning here (writers drop it and say so).
    Refused,
    Data,
    File,
    /// An absolute http(s) URL (scheme-relative ones made https, a web page's relative ones
    /// made absolute against it).
    Remote(String),
    Other,
}

fn classify(src: &str, page: Option<&url::Url>) -> Address {
    if src.is_empty() || !crate::model::url::is_allowed(src, UrlUse::Image) {
        return Address::Refused;
    }
    if source::is_data(src) {
        return Address::Data;
    }
    if source::is_remote(src) {
        return Address::Remote(absolute_remote(src));
    }
    // `ftp://…`, `mailto:…`: not an image quire can have (a one-letter scheme is a drive).
    let scheme = src.find(':').map(|colon| &src[..colon]);
    if !is_local(src)
        || scheme.is_some_and(|s| {
            s.len() > 1
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
    {
        return Address::Other;
    }
    match page.and_then(|p| p.join(src).ok()) {
        Some(absolute) => Address::Remote(absolute.into()),
        None => Address::File,
    }
}

/// Sniffs and sizes what a source gave; an SVG is drawn (see [`svg`]).
fn stored(data: ImageData) -> Result<StoredImage, String> {
    let head = data.head()?;
    if let Some(kind) = ImageKind::sniff(&head) {
        let (width, height) = raster::dimensions(&data.bytes()?, kind)?;
        return Ok(StoredImage {
            data: std::sync::Arc::new(data),
            kind,
            width,
            height,
            stated: None,
        });
    }
    if !svg::is_svg(&head) {
        return Err(NOT_AN_IMAGE.to_string());
    }
    let drawn = svg::render(&data.bytes()?)?;
    Ok(StoredImage {
        data: std::sync::Arc::new(ImageData::Bytes(drawn.png)),
        kind: ImageKind::Png,
        width: drawn.pixels.0,
        height: drawn.pixels.1,
        stated: Some(drawn.stated),
    })
}

/// What is said of a file that is no image quire reads.
pub(crate) const NOT_AN_IMAGE: &str = "not a PNG, JPEG, GIF, WebP or SVG image";

/// Asks `source` for `urls` a few at a time, each once, in document order, so that when the
/// budget or the deadline for all downloads runs out it is the later images that are left
/// out. The one place the store uses threads (scoped, six at most).
fn fetch_all(
    urls: &[String],
    source: &dyn ImageSource,
    allow_private: bool,
) -> HashMap<String, Result<ImageData, LoadError>> {
    let mut seen = HashSet::new();
    let unique: Vec<&String> = urls.iter().filter(|url| seen.insert(*url)).collect();
    let load = |url: &String| source.load(&ImageRequest::Remote { url, allow_private });
    let mut results = HashMap::with_capacity(unique.len());
    // A few downloads at a time: servers throttle more, and the byte budget and deadline
    // are shared anyway.
    let pool = crate::pool::Pool::new(unique.len().clamp(1, 6))
        .name("quire-images")
        .delivery(crate::pool::Delivery::AsFinished);
    let ran = pool.run(unique.iter().copied(), load, |position, result| {
        let Some(url) = unique.get(position) else {
            return;
        };
        let result = result.unwrap_or_else(|panicked| {
            Err(LoadError::Failed(format!(
                "internal error: {}",
                panicked.message
            )))
        });
        results.insert((*url).clone(), result);
    });
    // No thread could be started: load them here, one after another.
    if ran.is_err() {
        for url in unique {
            if !results.contains_key(url) {
                results.insert(url.clone(), load(url));
            }
        }
    }
    results
}

/// The warnings of one or several loads: one per image left out, one line for the remote
/// images not fetched, one for each limit on all downloads that left images out.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    warnings: Vec<Warning>,
    not_fetched: usize,
    over_budget: Option<(usize, String)>,
    past_deadline: Option<(usize, String)>,
}

impl Tally {
    /// Records why `src` was not had and says what it becomes (`link`: its absolute URL
    /// when it is remote).
    fn count(&mut self, src: &str, error: LoadError, link: Option<String>) -> Media {
        match (error, link) {
            (LoadError::NotFetched, Some(url)) => {
                self.not_fetched += 1;
                Media::Link(url)
            }
            (LoadError::OverBudget(why), Some(url)) => {
                self.over_budget.get_or_insert((0, why)).0 += 1;
                Media::Link(url)
            }
            (LoadError::PastDeadline(why), Some(url)) => {
                self.past_deadline.get_or_insert((0, why)).0 += 1;
                Media::Link(url)
            }
            (LoadError::Failed(why), _) => {
                self.warnings.push(Warning::new(format!(
                    "image '{}' left out: {why}",
                    shorten(src)
                )));
                Media::Missing
            }
            (_, None) => {
                self.warnings.push(Warning::new(format!(
                    "image '{}' left out: the image source does not have it",
                    shorten(src)
                )));
                Media::Missing
            }
        }
    }

    pub(crate) fn into_warnings(self) -> Vec<Warning> {
        let mut warnings = self.warnings;
        if self.not_fetched > 0 {
            warnings.push(Warning::new(format!(
                "{} left as links (not downloaded; --fetch-images embeds them)",
                counted(self.not_fetched, "remote image", "remote images")
            )));
        }
        for (count, why) in [self.over_budget, self.past_deadline].into_iter().flatten() {
            warnings.push(Warning::new(format!(
                "{} left as links: {why}",
                counted(count, "remote image", "remote images")
            )));
        }
        warnings
    }
}

/// Addresses in warnings are cut short: `data:` URLs can be megabytes.
pub(crate) fn shorten(src: &str) -> String {
    if src.chars().count() > 100 {
        let cut: String = src.chars().take(80).collect();
        format!("{cut}…")
    } else {
        src.to_string()
    }
}

/// An image as a `data:` URI, and the size it states when it is a drawing (see
/// [`shown_size`]).
pub(crate) type Embedded = (String, Option<(u32, u32)>);

/// The width and height an image is shown at: those the document states, else (it states
/// neither) the size a drawing states (see [`StoredImage::drawn_size`]), so that a picture
/// drawn at a higher density takes the room it takes in a browser.
pub(crate) fn shown_size(
    image: &crate::model::Image,
    drawn: Option<(u32, u32)>,
) -> (Option<u32>, Option<u32>) {
    match drawn {
        Some((width, height)) if image.width.is_none() && image.height.is_none() => {
            (Some(width), Some(height))
        }
        _ => (image.width, image.height),
    }
}

/// Writes [`shown_size`] into the image, for writers that read the size from the model.
pub(crate) fn state_size(image: &mut crate::model::Image, drawn: Option<(u32, u32)>) {
    (image.width, image.height) = shown_size(image, drawn);
}

/// A `data:` URI carrying `image`'s bytes as they are.
pub(crate) fn data_uri(image: &StoredImage) -> Result<String, String> {
    Ok(data_uri_of(image.kind.media_type(), &image.bytes()?))
}

/// A `data:` URI of `bytes` with their media type.
fn data_uri_of(media_type: &str, bytes: &[u8]) -> String {
    format!("data:{media_type};base64,{}", base64(bytes))
}

/// Replaces every local image reference with a `data:` URI of the file's bytes (found inside
/// `base_dir` only), so that a document merged from several folders (a bundle as one HTML
/// or PDF) carries its images with it. An image that cannot be had keeps its reference and
/// gets a warning.
pub fn embed_local_images(document: &mut Document, base_dir: &Path) -> Vec<Warning> {
    let mut warnings = Vec::new();
    // Each file's data: URI and the size a drawing states, or nothing when it cannot be had.
    let mut embedded: HashMap<String, Option<Embedded>> = HashMap::new();
    document.for_each_image_mut(&mut |image| {
        if !is_local(&image.src) || image.src.trim().is_empty() {
            return;
        }
        let data_uri = embedded.entry(image.src.clone()).or_insert_with(|| {
            let loaded =
                load_local(&image.src, base_dir).and_then(|bytes| match ImageKind::sniff(&bytes) {
                    Some(kind) => Ok((data_uri_of(kind.media_type(), &bytes), None)),
                    // An SVG goes in as the PNG it is drawn as, with the size it states.
                    None => {
                        let drawn = stored(ImageData::Bytes(bytes))?;
                        Ok((data_uri(&drawn)?, drawn.drawn_size()))
                    }
                });
            match loaded {
                Ok(embedded) => Some(embedded),
                Err(why) => {
                    warnings.push(Warning::new(format!("image not embedded: {why}")));
                    None
                }
            }
        });
        if let Some((uri, drawn)) = data_uri {
            image.src = uri.clone();
            state_size(image, *drawn);
        }
    });
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Figure, Image, Inline, Meta};
    use std::sync::Mutex;

    fn figure(src: &str) -> Block {
        Block::Figure(Box::new(Figure {
            image: Image {
                src: src.into(),
                ..Image::default()
            },
            caption: vec![],
        }))
    }

    /// Answers from a table and records what it was asked.
    struct Table {
        images: HashMap<String, Vec<u8>>,
        asked: Mutex<Vec<String>>,
    }

    impl ImageSource for Table {
        fn load(&self, request: &ImageRequest<'_>) -> Result<ImageData, LoadError> {
            let key = match request {
                ImageRequest::Data(s) => s.to_string(),
                ImageRequest::File { src, .. } => src.to_string(),
                ImageRequest::Remote { url, .. } => url.to_string(),
            };
            self.asked.lock().unwrap().push(key.clone());
            match self.images.get(&key) {
                Some(bytes) => Ok(ImageData::Bytes(bytes.clone())),
                None => Err(LoadError::Failed("not in the table".into())),
            }
        }
    }

    #[test]
    fn each_address_is_asked_once_and_web_pages_resolve_relative_images() {
        let png = raster::tests::png(4, 3);
        let source = Table {
            images: [
                ("https://example.com/a/x.png".to_string(), png.clone()),
                ("https://cdn.example/y.png".to_string(), png.clone()),
            ]
            .into(),
            asked: Mutex::default(),
        };
        let doc = Document::new(
            Meta {
                source_url: Some("https://example.com/a/page.html".into()),
                ..Meta::default()
            },
            vec![
                figure("x.png"),
                Block::Paragraph(vec![
                    Inline::image(Image {
                        src: "//cdn.example/y.png".into(),
                        ..Image::default()
                    }),
                    Inline::Note(vec![figure("x.png")]),
                ]),
                figure("https://example.com/missing.png"),
                // Refused by the model's URL policy: not even asked for.
                figure("file:///etc/passwd"),
                figure("javascript:alert(1)"),
            ],
        );
        let policy = LoadPolicy {
            fetch_remote: true,
            ..LoadPolicy::default()
        };
        let (store, warnings) = MediaStore::load(&doc, &source, &policy);
        let mut asked = source.asked.lock().unwrap().clone();
        asked.sort();
        assert_eq!(
            asked,
            [
                "https://cdn.example/y.png",
                "https://example.com/a/x.png",
                "https://example.com/missing.png"
            ]
        );
        assert_eq!(store.image("x.png").unwrap().size(), (4, 3));
        assert_eq!(
            store.image(" //cdn.example/y.png").unwrap().kind(),
            ImageKind::Png
        );
        assert!(matches!(
            store.get("https://example.com/missing.png"),
            Some(Media::Missing)
        ));
        assert!(matches!(
            store.get("javascript:alert(1)"),
            Some(Media::Missing)
        ));
        assert_eq!(store.len(), 2);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn the_first_picture_is_no_icon_pixel_strip_or_missing_image() {
        let images: HashMap<String, Vec<u8>> = [
            ("pixel.png", raster::tests::png(1, 1)),
            ("icon.png", raster::tests::png(32, 32)),
            ("shown-small.png", raster::tests::png(600, 600)),
            ("banner.png", raster::tests::png(900, 90)),
            ("photo.png", raster::tests::png(400, 300)),
            ("second.png", raster::tests::png(500, 500)),
        ]
        .into_iter()
        .map(|(name, bytes)| (name.to_string(), bytes))
        .collect();
        let source = Table {
            images,
            asked: Mutex::default(),
        };
        let inline = |src: &str, width: Option<u32>| {
            Inline::image(Image {
                src: src.into(),
                width,
                ..Image::default()
            })
        };
        let doc = Document::new(
            Meta::default(),
            vec![
                Block::Paragraph(vec![
                    inline("pixel.png", None),
                    inline("icon.png", None),
                    inline("logo.svg", None),
                    inline("shown-small.png", Some(24)),
                ]),
                figure("banner.png"),
                figure("missing.png"),
                figure("photo.png"),
                figure("second.png"),
            ],
        );
        let (store, _) = MediaStore::load(&doc, &source, &LoadPolicy::default());
        let picture = store.first_picture(&doc).expect("a picture");
        assert_eq!(picture.size(), (400, 300));
        // Without the photo, the next picture; with none, nothing.
        let mut without = doc.clone();
        without.blocks.remove(3);
        assert_eq!(store.first_picture(&without).unwrap().size(), (500, 500));
        without.blocks.truncate(3);
        assert!(store.first_picture(&without).is_none());
    }

    #[test]
    fn without_fetching_remote_images_stay_links_and_are_not_asked_for() {
        let source = Table {
            images: HashMap::new(),
            asked: Mutex::default(),
        };
        let doc = Document::new(
            Meta::default(),
            vec![
                figure("//x.example/a.png"),
                figure("https://x.example/b.png"),
            ],
        );
        let (store, warnings) = MediaStore::load(&doc, &source, &LoadPolicy::default());
        assert!(source.asked.lock().unwrap().is_empty());
        assert!(
            matches!(store.get("//x.example/a.png"), Some(Media::Link(u)) if u == "https://x.example/a.png")
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0]
            .message
            .starts_with("2 remote images left as links"));
    }

    #[test]
    fn what_is_not_an_image_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.png"), b"not an image").unwrap();
        let doc = Document::new(
            Meta::default(),
            vec![figure("a.png"), figure("data:image/png;base64,aGVsbG8=")],
        );
        let policy = LoadPolicy {
            resource_dir: Some(dir.path().to_path_buf()),
            ..LoadPolicy::default()
        };
        let (store, warnings) = MediaStore::load(&doc, &StandardSource::new(None), &policy);
        assert!(store.is_empty());
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }

    #[test]
    fn embeds_local_images_and_warns_about_the_rest() {
        const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.png"), PNG).unwrap();
        let image = |src: &str| Image {
            src: src.into(),
            ..Image::default()
        };
        let mut doc = Document::new(
            Meta::default(),
            vec![
                figure("a.png"),
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
}
