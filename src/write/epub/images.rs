//! The images a book embeds: found (local file, `data:` URL or download), checked, fitted to
//! the e-reader profile's screen, optionally turned gray, and re-encoded as PNG or JPEG (the
//! formats every EPUB reader shows; WebP is not an EPUB 3.0 core type).
//!
//! An image that cannot be had never stops the book: the chapter shows its alt text and the
//! caller gets a warning.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use super::content::ImageRef;
use super::EpubOptions;
use crate::error::Warning;
use crate::net::{DownloadedImage, ImageFetchError, ImageFetcher};
use crate::write::resources::{self, ImageKind, Resource};

/// An image stored in the book.
#[derive(Debug, Clone)]
pub(crate) struct EmbeddedImage {
    /// Where it is inside the book's content folder (`images/image-3.jpg`).
    pub path: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Fetches remote images (the URL, and whether private addresses are allowed); `net`
/// provides the real one, tests may provide others.
pub(crate) type Fetch<'f> = &'f dyn Fn(&str, bool) -> Result<Vec<u8>, ImageFetchError>;

/// What is done with one chapter's remote images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Remote {
    /// Left as links to them.
    Links,
    /// Downloaded; from private addresses too when allowed.
    Fetch { allow_private: bool },
}

/// What became of an image source already asked for.
#[derive(Debug, Clone, Copy)]
enum Cached {
    /// The index in [`ImageStore::images`].
    Embedded(usize),
    /// A link to the remote image.
    Link,
    Missing,
}

/// Collects the book's images as chapters ask for them, each source loaded once.
pub(crate) struct ImageStore<'o> {
    options: &'o EpubOptions,
    fetch: Option<Fetch<'o>>,
    pub images: Vec<EmbeddedImage>,
    cache: HashMap<(Option<PathBuf>, String, Remote), Cached>,
    pub warnings: Vec<Warning>,
    /// Remote images left as links because fetching is off.
    not_fetched: usize,
    /// Remote images left out because the budget or the deadline for all of them ran out:
    /// one warning each, with how many.
    over_budget: Option<(usize, ImageFetchError)>,
    past_deadline: Option<(usize, ImageFetchError)>,
}

impl<'o> ImageStore<'o> {
    pub(crate) fn new(options: &'o EpubOptions, fetch: Option<Fetch<'o>>) -> ImageStore<'o> {
        ImageStore {
            options,
            fetch,
            images: Vec::new(),
            cache: HashMap::new(),
            warnings: Vec::new(),
            not_fetched: 0,
            over_budget: None,
            past_deadline: None,
        }
    }

    /// The warnings, with one line for the remote images that were not downloaded and one
    /// for each limit on all downloads that left images out.
    pub(crate) fn take_warnings(&mut self) -> Vec<Warning> {
        let mut warnings = std::mem::take(&mut self.warnings);
        let noun = |count: usize| if count == 1 { "image" } else { "images" };
        if self.not_fetched > 0 {
            let count = self.not_fetched;
            warnings.push(Warning::new(format!(
                "{count} remote {} left as links (not downloaded; --fetch-images embeds them)",
                noun(count)
            )));
        }
        for (count, why) in [self.over_budget.take(), self.past_deadline.take()]
            .into_iter()
            .flatten()
        {
            warnings.push(Warning::new(format!(
                "{count} remote {} left as links: {why}",
                noun(count)
            )));
        }
        warnings
    }

    /// The book path of the image `src` (relative files resolve in `base_dir`; remote ones are
    /// treated as `remote` says), embedding it on first use.
    pub(crate) fn resolve(
        &mut self,
        src: &str,
        base_dir: Option<&Path>,
        remote: Remote,
    ) -> ImageRef {
        let src = src.trim();
        let remote = if self.fetch.is_none() {
            Remote::Links
        } else {
            remote
        };
        let key = (base_dir.map(Path::to_path_buf), src.to_string(), remote);
        let cached = match self.cache.get(&key) {
            Some(known) => *known,
            None => {
                let made = self.embed(src, base_dir, remote);
                self.cache.insert(key, made);
                made
            }
        };
        match cached {
            Cached::Embedded(index) => ImageRef::Embedded(self.images[index].path.clone()),
            Cached::Link => ImageRef::Remote(absolute_remote(src)),
            Cached::Missing => ImageRef::Missing,
        }
    }

    /// Loads, fits and stores one image, or says why not (a warning, or a count for the
    /// summary lines).
    fn embed(&mut self, src: &str, base_dir: Option<&Path>, remote: Remote) -> Cached {
        if is_remote(src) && remote == Remote::Links {
            self.not_fetched += 1;
            return Cached::Link;
        }
        let loaded = self
            .load_checked(src, base_dir, remote)
            .and_then(|resource| fit(resource, self.options).map_err(ImageFetchError::Failed));
        match loaded {
            Ok((bytes, kind)) => {
                let index = self.images.len();
                self.images.push(EmbeddedImage {
                    path: format!("images/image-{}.{}", index + 1, kind.extension()),
                    media_type: kind.media_type(),
                    bytes,
                });
                Cached::Embedded(index)
            }
            Err(ImageFetchError::Failed(reason)) => {
                self.warnings.push(Warning::new(format!(
                    "image '{}' left out: {reason}",
                    shorten(src)
                )));
                Cached::Missing
            }
            // Out of budget or time: the image is still there to follow, as a link.
            Err(limit) => {
                let slot = match limit {
                    ImageFetchError::OverBudget { .. } => &mut self.over_budget,
                    _ => &mut self.past_deadline,
                };
                slot.get_or_insert((0, limit)).0 += 1;
                Cached::Link
            }
        }
    }

    /// The raw image `src` names: a `data:` URL, a download, or a file inside `base_dir`.
    pub(crate) fn load(
        &self,
        src: &str,
        base_dir: Option<&Path>,
        remote: Remote,
    ) -> Result<Resource, String> {
        self.load_checked(src, base_dir, remote)
            .map_err(|e| e.to_string())
    }

    fn load_checked(
        &self,
        src: &str,
        base_dir: Option<&Path>,
        remote: Remote,
    ) -> Result<Resource, ImageFetchError> {
        let failed = |why: &str| ImageFetchError::Failed(why.to_string());
        if src.is_empty() {
            return Err(failed("empty image address"));
        }
        if src
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
        {
            return resources::load_data_uri(src).map_err(ImageFetchError::Failed);
        }
        if is_remote(src) {
            let (Some(fetch), Remote::Fetch { allow_private }) = (self.fetch, remote) else {
                return Err(failed("remote images are not fetched"));
            };
            let bytes = fetch(&absolute_remote(src), allow_private)?;
            let kind = ImageKind::sniff(&bytes)
                .ok_or_else(|| failed("not a PNG, JPEG, GIF or WebP image"))?;
            return Ok(Resource { bytes, kind });
        }
        if !resources::is_local(src) {
            return Err(failed("not a file path or http(s) URL"));
        }
        let base = base_dir.ok_or_else(|| failed("no input folder to find local files in"))?;
        resources::load_local(src, base).map_err(ImageFetchError::Failed)
    }
}

/// Every image address a document uses (figures and inline images, notes included), in
/// document order. An explicit stack: no recursion over input-shaped trees.
pub(crate) fn image_sources(blocks: &[crate::model::Block]) -> Vec<&str> {
    use crate::model::{Block, Inline};
    enum Node<'a> {
        Blocks(&'a [Block]),
        Inlines(&'a [Inline]),
    }
    let mut sources = Vec::new();
    let mut stack = vec![Node::Blocks(blocks)];
    while let Some(node) = stack.pop() {
        match node {
            Node::Blocks(blocks) => {
                for block in blocks.iter().rev() {
                    match block {
                        Block::Paragraph(inlines)
                        | Block::Heading {
                            content: inlines, ..
                        } => stack.push(Node::Inlines(inlines)),
                        Block::Quote(inner) | Block::Container { blocks: inner, .. } => {
                            stack.push(Node::Blocks(inner))
                        }
                        Block::List(list) => {
                            stack.extend(list.items.iter().rev().map(|item| Node::Blocks(item)))
                        }
                        Block::Table(table) => {
                            for row in table.body.iter().rev().chain(table.head.iter().rev()) {
                                stack.extend(
                                    row.cells.iter().rev().map(|c| Node::Blocks(&c.content)),
                                );
                            }
                            stack.push(Node::Inlines(&table.caption));
                        }
                        Block::Figure(figure) => {
                            stack.push(Node::Inlines(&figure.caption));
                            sources.push(figure.image.src.as_str());
                        }
                        Block::Code { .. } | Block::Rule => {}
                    }
                }
            }
            Node::Inlines(inlines) => {
                for inline in inlines.iter().rev() {
                    match inline {
                        Inline::Image(image) => sources.push(image.src.as_str()),
                        Inline::Note(blocks) => stack.push(Node::Blocks(blocks)),
                        Inline::Emphasis(c)
                        | Inline::Strong(c)
                        | Inline::Strikethrough(c)
                        | Inline::Superscript(c)
                        | Inline::Subscript(c)
                        | Inline::Span { content: c, .. } => stack.push(Node::Inlines(c)),
                        Inline::Link(link) => stack.push(Node::Inlines(&link.content)),
                        Inline::Text(_) | Inline::Code(_) | Inline::LineBreak => {}
                    }
                }
            }
        }
    }
    sources
}

/// Downloads `urls` (each with whether private addresses are allowed) a few at a time, each
/// once, in document order, so that when the budget or the deadline runs out it is the later
/// images that are left out. Each download is a file on disk, not bytes in memory.
pub(crate) fn prefetch(
    urls: Vec<(String, bool)>,
    fetcher: &ImageFetcher,
) -> HashMap<(String, bool), Result<DownloadedImage, ImageFetchError>> {
    let mut seen = std::collections::HashSet::new();
    let unique: std::collections::VecDeque<(String, bool)> = urls
        .into_iter()
        .filter(|url| seen.insert(url.clone()))
        .collect();
    let workers = unique.len().min(6);
    let queue = std::sync::Mutex::new(unique);
    let results = std::sync::Mutex::new(HashMap::new());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            // The guard is consumed inside `and_then`, so no lock is held while fetching.
            scope.spawn(|| {
                while let Some((url, allow_private)) =
                    queue.lock().ok().and_then(|mut q| q.pop_front())
                {
                    let result = fetcher.fetch(&url, allow_private);
                    if let Ok(mut results) = results.lock() {
                        results.insert((url, allow_private), result);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

/// For a document read from the web (no input folder): a relative image address made absolute
/// against the page's URL, so it can be fetched like any remote image.
pub(crate) fn against_page(src: &str, page: Option<&url::Url>) -> Option<String> {
    let page = page.filter(|p| matches!(p.scheme(), "http" | "https"))?;
    let src = src.trim();
    if src.is_empty()
        || !resources::is_local(src)
        || src
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("file:"))
    {
        return None;
    }
    page.join(src).ok().map(String::from)
}

pub(crate) fn is_remote(src: &str) -> bool {
    let lower = src.get(..8).unwrap_or(src).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || src.starts_with("//")
}

/// Scheme-relative `//host/x.png` is taken as https.
pub(crate) fn absolute_remote(src: &str) -> String {
    if src.starts_with("//") {
        format!("https:{src}")
    } else {
        src.to_string()
    }
}

/// Addresses in warnings are cut short: `data:` URLs can be megabytes.
fn shorten(src: &str) -> String {
    if src.chars().count() > 100 {
        let cut: String = src.chars().take(80).collect();
        format!("{cut}…")
    } else {
        src.to_string()
    }
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
    let format = match kind {
        ImageKind::Png => ImageFormat::Png,
        ImageKind::Jpeg => ImageFormat::Jpeg,
        ImageKind::Gif => ImageFormat::Gif,
        ImageKind::Webp => ImageFormat::WebP,
    };
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    reader
}

/// Fits an image to the profile's screen and makes it gray if asked. An image that needs no
/// change keeps its bytes (and a GIF its animation); otherwise it is decoded and written as
/// JPEG (photos: JPEG and opaque WebP sources) or PNG (everything else).
pub(crate) fn fit(
    resource: Resource,
    options: &EpubOptions,
) -> Result<(Vec<u8>, ImageKind), String> {
    let (max_w, max_h) = options.profile.screen();
    let (width, height) = reader(&resource.bytes, resource.kind)
        .into_dimensions()
        .map_err(|e| format!("unreadable image: {e}"))?;
    if width == 0 || height == 0 {
        return Err("empty image".to_string());
    }
    let too_big = width > max_w || height > max_h;
    let convert = resource.kind == ImageKind::Webp;
    if !too_big && !options.grayscale && !convert {
        // Decode anyway: a broken file must not reach the book.
        reader(&resource.bytes, resource.kind)
            .decode()
            .map_err(|e| format!("unreadable image: {e}"))?;
        return Ok((resource.bytes, resource.kind));
    }
    let mut image = reader(&resource.bytes, resource.kind)
        .decode()
        .map_err(|e| format!("unreadable image: {e}"))?;
    if too_big {
        image = image.resize(max_w, max_h, image::imageops::FilterType::Triangle);
    }
    if options.grayscale {
        image = image.grayscale();
    }
    let photo = resource.kind == ImageKind::Jpeg
        || (resource.kind == ImageKind::Webp && !image.color().has_alpha());
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

/// Decodes an image for the cover (lead image or user file), within the same limits.
pub(crate) fn decode(resource: &Resource) -> Result<DynamicImage, String> {
    reader(&resource.bytes, resource.kind)
        .decode()
        .map_err(|e| format!("unreadable image: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::epub::Profile;
    use image::GenericImageView;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
            width,
            height,
            image::Rgb([200, 10, 10]),
        ));
        encode(&image, ImageKind::Png).unwrap().0
    }

    #[test]
    fn relative_images_of_web_pages_become_urls() {
        let page = url::Url::parse("https://example.com/a/page.html").unwrap();
        assert_eq!(
            against_page("../img/x.png", Some(&page)).as_deref(),
            Some("https://example.com/img/x.png")
        );
        assert_eq!(against_page("https://cdn.example/x.png", Some(&page)), None);
        assert_eq!(against_page("data:image/png;base64,AA", Some(&page)), None);
        assert_eq!(against_page("x.png", None), None);
    }

    #[test]
    fn large_images_shrink_to_the_profile_and_turn_gray() {
        let options = EpubOptions {
            profile: Profile::Kindle,
            grayscale: true,
            ..EpubOptions::default()
        };
        let resource = Resource {
            bytes: png(3000, 1000),
            kind: ImageKind::Png,
        };
        let (bytes, kind) = fit(resource, &options).unwrap();
        assert_eq!(kind, ImageKind::Png);
        let image = decode(&Resource { bytes, kind }).unwrap();
        assert_eq!(image.dimensions(), (1072, 357));
        assert!(matches!(image, DynamicImage::ImageLuma8(_)));
    }

    #[test]
    fn small_images_keep_their_bytes_and_broken_ones_are_refused() {
        let bytes = png(10, 10);
        let resource = Resource {
            bytes: bytes.clone(),
            kind: ImageKind::Png,
        };
        assert_eq!(fit(resource, &EpubOptions::default()).unwrap().0, bytes);
        let broken = Resource {
            bytes: bytes[..30].to_vec(),
            kind: ImageKind::Png,
        };
        assert!(fit(broken, &EpubOptions::default()).is_err());
    }

    #[test]
    fn data_urls_and_missing_files_resolve() {
        let options = EpubOptions::default();
        let mut store = ImageStore::new(&options, None);
        let links = Remote::Links;
        let data = format!(
            "data:image/png;base64,{}",
            crate::write::resources::base64(&png(4, 4))
        );
        assert!(
            matches!(store.resolve(&data, None, links), ImageRef::Embedded(p) if p == "images/image-1.png")
        );
        assert!(matches!(
            store.resolve("https://x.example/a.png", None, links),
            ImageRef::Remote(_)
        ));
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            store.resolve("missing.png", Some(dir.path()), links),
            ImageRef::Missing
        ));
        assert_eq!(store.warnings.len(), 1);
        assert!(matches!(
            store.resolve("missing.png", Some(dir.path()), links),
            ImageRef::Missing
        ));
        assert_eq!(store.warnings.len(), 1, "one warning per image");
    }
}
