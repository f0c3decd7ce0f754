//! Where image bytes come from: the [`ImageSource`] trait, and [`StandardSource`], which reads
//! files inside the input's folder tree, decodes `data:` URIs and (with the `net` feature)
//! downloads remote images within [`ImageFetchOptions`].
//!
//! A page may point at any path (`/etc/passwd`, `../../secret.png`); only files inside the
//! input's own folder tree are ever read, so converting an untrusted page cannot leak a file
//! into a book or PDF.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::net::ImageFetchOptions;

/// The largest image file quire embeds from a file or a `data:` URI.
pub const MAX_RESOURCE_BYTES: u64 = 32 * 1024 * 1024;

/// One image a document asks for, as the store hands it to an [`ImageSource`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageRequest<'a> {
    /// A `data:` URI, as written.
    Data(&'a str),
    /// A relative path or `file:` URL, as written, to be found in `base_dir` (the input's
    /// folder; `None` when the input has none).
    File {
        /// The reference as the document writes it.
        src: &'a str,
        /// The folder it resolves in, and the only tree it may be read from.
        base_dir: Option<&'a Path>,
    },
    /// An absolute `http`/`https` URL.
    Remote {
        /// The URL.
        url: &'a str,
        /// Whether private, loopback and link-local addresses may be connected to.
        allow_private: bool,
    },
}

/// An image's bytes as a source hands them over: in memory, or in a temporary file (a
/// download streamed to disk), closed when the store holding it is dropped.
#[derive(Debug)]
pub enum ImageData {
    /// The bytes themselves.
    Bytes(Vec<u8>),
    /// A temporary file holding them, from its start to its end. Make it with
    /// `tempfile::tempfile()`: a file with no name is removed by the system when it is closed,
    /// or when the process is killed, where a named one would be left behind.
    File(fs::File),
}

impl ImageData {
    /// The bytes (read back from the file when they are in one).
    pub fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, String> {
        match self {
            ImageData::Bytes(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            ImageData::File(file) => read_from_start(file, u64::MAX)
                .map(std::borrow::Cow::Owned)
                .map_err(|e| format!("cannot read the download back: {e}")),
        }
    }

    /// The first bytes, enough to sniff the format (an SVG's may follow an XML declaration,
    /// a DOCTYPE and comments).
    pub(crate) fn head(&self) -> Result<Vec<u8>, String> {
        match self {
            ImageData::Bytes(bytes) => Ok(bytes[..bytes.len().min(HEAD_BYTES)].to_vec()),
            ImageData::File(file) => read_from_start(file, HEAD_BYTES as u64)
                .map_err(|e| format!("cannot read the download back: {e}")),
        }
    }
}

/// How many of a file's first bytes tell its format.
const HEAD_BYTES: usize = 1024;

/// Up to `limit` bytes of `file` from its start. Positioned reads, so writers reading one
/// stored image at once on several threads do not move each other's place in it.
fn read_from_start(file: &fs::File, limit: u64) -> std::io::Result<Vec<u8>> {
    let len = file.metadata()?.len().min(limit);
    let mut bytes = vec![0; usize::try_from(len).map_err(std::io::Error::other)?];
    #[cfg(unix)]
    std::os::unix::fs::FileExt::read_exact_at(file, &mut bytes, 0)?;
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < bytes.len() {
            match std::os::windows::fs::FileExt::seek_read(file, &mut bytes[done..], done as u64)? {
                0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
                n => done += n,
            }
        }
    }
    #[cfg(not(any(unix, windows)))]
    {
        use std::io::Seek;
        let mut reader = file;
        reader.seek(std::io::SeekFrom::Start(0))?;
        reader.read_exact(&mut bytes)?;
    }
    Ok(bytes)
}

/// Why an image was not had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// This image failed (outside the folder, missing, refused address, too large, …): it is
    /// left out with a warning naming it.
    Failed(String),
    /// The source does not fetch remote images: the image stays a link to itself.
    NotFetched,
    /// The byte budget for all downloads was spent: the image stays a link (one warning for
    /// all of them).
    OverBudget(String),
    /// The deadline for all downloads passed: the image stays a link (one warning for all).
    PastDeadline(String),
}

/// Gives the bytes of the images a document refers to. The store asks once per distinct
/// address; remote ones may be asked from several threads at once.
///
/// A library user can supply images without any network: map each request to bytes, and
/// answer [`LoadError::NotFetched`] for what it does not have.
///
/// ```
/// use std::sync::Arc;
/// use quire::media::{ImageData, ImageRequest, ImageSource, LoadError, LoadPolicy, MediaStore};
/// use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};
///
/// /// Images kept in memory by name (a database, an archive, a cache…).
/// struct InMemory(Vec<(&'static str, Vec<u8>)>);
///
/// impl ImageSource for InMemory {
///     fn load(&self, request: &ImageRequest<'_>) -> Result<ImageData, LoadError> {
///         let name = match request {
///             ImageRequest::File { src, .. } => *src,
///             ImageRequest::Remote { url, .. } => *url,
///             ImageRequest::Data(_) => return Err(LoadError::NotFetched),
///         };
///         self.0
///             .iter()
///             .find(|(known, _)| *known == name)
///             .map(|(_, bytes)| ImageData::Bytes(bytes.clone()))
///             .ok_or_else(|| LoadError::Failed(format!("no image named {name}")))
///     }
/// }
///
/// # fn png() -> Vec<u8> {
/// #     let mut bytes = Vec::new();
/// #     let image = image::RgbImage::from_pixel(4, 3, image::Rgb([200, 30, 30]));
/// #     image.write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
/// #     bytes
/// # }
/// let markdown = b"# Chart\n\n![The chart](chart.png)\n";
/// let doc = quire::read(markdown, InputFormat::Markdown, &ReadOptions::default())?.document;
/// let source = InMemory(vec![("chart.png", png())]);
/// let policy = LoadPolicy {
///     resource_dir: Some(".".into()),
///     ..LoadPolicy::default()
/// };
/// // Loaded once, then used by every format written from this store.
/// let (store, warnings) = MediaStore::load(&doc, &source, &policy);
/// assert!(warnings.is_empty(), "{warnings:?}");
/// assert_eq!(store.image("chart.png").map(|image| image.size()), Some((4, 3)));
/// let options = WriteOptions {
///     media: Some(Arc::new(store)),
///     ..WriteOptions::default()
/// };
/// let html = quire::write(&doc, OutputFormat::Html, &options)?;
/// assert!(String::from_utf8_lossy(&html.bytes).contains("data:image/png;base64,"));
/// let pdf = quire::write(&doc, OutputFormat::Pdf, &options)?;
/// assert!(pdf.bytes.starts_with(b"%PDF"));
/// # Ok::<(), quire::Error>(())
/// ```
pub trait ImageSource: Sync {
    /// The bytes `request` names, or why not.
    fn load(&self, request: &ImageRequest<'_>) -> Result<ImageData, LoadError>;
}

/// quire's own source: files inside their input's folder tree, `data:` URIs and, when the
/// `net` feature is on and fetching was asked for, downloads within one budget and deadline
/// for all of them (streamed to temporary files).
#[derive(Debug, Default)]
pub struct StandardSource {
    #[cfg(feature = "net")]
    fetcher: Option<crate::net::ImageFetcher>,
}

impl StandardSource {
    /// A source that reads files and `data:` URIs; `remote`: downloads within these limits
    /// (their deadline runs from now). Without the `net` feature remote images are never
    /// fetched.
    pub fn new(remote: Option<ImageFetchOptions>) -> StandardSource {
        #[cfg(feature = "net")]
        {
            StandardSource {
                fetcher: remote.map(crate::net::ImageFetcher::new),
            }
        }
        #[cfg(not(feature = "net"))]
        {
            let _ = remote;
            StandardSource {}
        }
    }
}

impl ImageSource for StandardSource {
    fn load(&self, request: &ImageRequest<'_>) -> Result<ImageData, LoadError> {
        match *request {
            ImageRequest::Data(uri) => load_data_uri(uri)
                .map(ImageData::Bytes)
                .map_err(LoadError::Failed),
            ImageRequest::File { src, base_dir } => {
                let base = base_dir.ok_or_else(|| {
                    LoadError::Failed("no input folder to find local files in".to_string())
                })?;
                load_local(src, base)
                    .map(ImageData::Bytes)
                    .map_err(LoadError::Failed)
            }
            #[cfg(feature = "net")]
            ImageRequest::Remote { url, allow_private } => {
                use crate::net::ImageFetchError;
                let fetcher = self.fetcher.as_ref().ok_or(LoadError::NotFetched)?;
                match fetcher.fetch(url, allow_private) {
                    Ok(downloaded) => Ok(ImageData::File(downloaded.file)),
                    Err(ImageFetchError::Failed(why)) => Err(LoadError::Failed(why)),
                    Err(limit @ ImageFetchError::OverBudget { .. }) => {
                        Err(LoadError::OverBudget(limit.to_string()))
                    }
                    Err(limit @ ImageFetchError::PastDeadline { .. }) => {
                        Err(LoadError::PastDeadline(limit.to_string()))
                    }
                }
            }
            #[cfg(not(feature = "net"))]
            ImageRequest::Remote { .. } => Err(LoadError::NotFetched),
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

/// Is `src` an `http`, `https` or scheme-relative (`//host/…`) address?
pub(crate) fn is_remote(src: &str) -> bool {
    let lower = src.get(..8).unwrap_or(src).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || src.starts_with("//")
}

/// Is `src` a `data:` URI?
pub(crate) fn is_data(src: &str) -> bool {
    src.get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case("data:"))
}

/// Scheme-relative `//host/x.png` is taken as https.
pub(crate) fn absolute_remote(src: &str) -> String {
    if src.starts_with("//") {
        format!("https:{src}")
    } else {
        src.to_string()
    }
}

/// Loads the image file `src` refers to, resolved against `base_dir` (the input's folder).
/// Refuses anything outside `base_dir`'s tree (after following `..` and symlinks), anything
/// larger than [`MAX_RESOURCE_BYTES`], and anything that is not a PNG, JPEG, GIF, WebP or
/// SVG image.
/// The error says why, for a warning.
pub fn load_local(src: &str, base_dir: &Path) -> Result<Vec<u8>, String> {
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
    let bytes = read_capped(&real)?;
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    if crate::media::ImageKind::sniff(head).is_none() && !super::svg::is_svg(head) {
        return Err(format!("{}: {}", real.display(), super::NOT_AN_IMAGE));
    }
    Ok(bytes)
}

/// A file's bytes, refused past [`MAX_RESOURCE_BYTES`] (read no further than that).
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    let file = fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_RESOURCE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() as u64 > MAX_RESOURCE_BYTES {
        return Err(format!(
            "{}: larger than {} MiB",
            path.display(),
            MAX_RESOURCE_BYTES >> 20
        ));
    }
    Ok(bytes)
}

/// Decodes an image `data:[type];base64,payload` URI (the only inline form worth embedding:
/// SVG and text ones are refused), with the same size limit as files.
pub fn load_data_uri(src: &str) -> Result<Vec<u8>, String> {
    let src = src.trim();
    let comma = src.find(',').ok_or("malformed data: URL")?;
    let header = src.get(5..comma).ok_or("malformed data: URL")?;
    let payload = &src[comma + 1..];
    let bytes = if header.to_ascii_lowercase().ends_with(";base64") {
        decode_base64(payload).ok_or("invalid base64 in data: URL")?
    } else {
        return Err("data: URL is not base64 (SVG or text)".to_string());
    };
    if bytes.len() as u64 > MAX_RESOURCE_BYTES {
        return Err("data: URL image too large".to_string());
    }
    Ok(bytes)
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

/// Decodes `%XX` escapes (the `percent-encoding` crate: a `%` not followed by two hex digits,
/// as in `%+1`, stays as it is); `None` when the result is not UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    /// A download's file is read from its start, wherever writing it left its cursor, and by
    /// several threads at once.
    #[test]
    fn a_file_is_read_from_its_start_by_every_reader() {
        let mut file = tempfile::tempfile().unwrap();
        let body: Vec<u8> = PNG.iter().copied().cycle().take(100_000).collect();
        std::io::Write::write_all(&mut file, &body).unwrap();
        let data = ImageData::File(file);
        assert_eq!(data.head().unwrap(), &body[..HEAD_BYTES]);
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| assert_eq!(data.bytes().unwrap().as_ref(), body.as_slice()));
            }
        });
    }

    #[test]
    fn loads_inside_and_refuses_outside_the_base() {
        let root = tempfile::tempdir().unwrap();
        let base = root.path().join("article");
        fs::create_dir_all(base.join("img")).unwrap();
        fs::write(base.join("img/a b.png"), PNG).unwrap();
        fs::write(root.path().join("secret.png"), PNG).unwrap();
        fs::write(base.join("notes.txt"), "text").unwrap();

        assert_eq!(load_local("img/a%20b.png?v=2#x", &base).unwrap(), PNG);
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

    #[test]
    fn malformed_percent_escapes_stay_as_written() {
        // The hand-written decoder this replaced read `%+1` as the byte 0x01.
        assert_eq!(percent_decode("a%+1.png").as_deref(), Some("a%+1.png"));
        assert_eq!(percent_decode("a%2").as_deref(), Some("a%2"));
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
        assert_eq!(percent_decode("%ff"), None);
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a%+1.png"), PNG).unwrap();
        fs::write(dir.path().join("a\u{1}.png"), b"GIF89a").unwrap();
        assert_eq!(load_local("a%+1.png", dir.path()).unwrap(), PNG);
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
    fn data_uris_decode_and_refuse_what_is_not_base64() {
        let uri = format!("data:image/png;base64,{}", base64(PNG));
        assert_eq!(load_data_uri(&uri).unwrap(), PNG);
        assert_eq!(decode_base64("aGVs\nbG8=").unwrap(), b"hello");
        assert!(decode_base64("a*b").is_none());
        assert!(load_data_uri("data:image/svg+xml,<svg/>").is_err());
    }

    #[test]
    fn the_standard_source_without_fetching_leaves_remote_images_alone() {
        let source = StandardSource::new(None);
        let request = ImageRequest::Remote {
            url: "http://127.0.0.1:9/a.png",
            allow_private: true,
        };
        assert_eq!(source.load(&request).unwrap_err(), LoadError::NotFetched);
        let file = ImageRequest::File {
            src: "a.png",
            base_dir: None,
        };
        assert!(matches!(source.load(&file), Err(LoadError::Failed(_))));
    }
}
