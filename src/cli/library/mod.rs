//! The reading library of `quire serve` (and of `quire feed --library`): plain files in one
//! folder, one folder per entry.
//!
//! ```text
//! DIR/config.toml                 the bookmarklet's key, an optional access token
//! DIR/<id>/meta.json              the Entry
//! DIR/<id>/article.json           an article: the JSON model (`quire convert` reads it)
//! DIR/<id>/img-1.jpg …            its images, saved when it was added (it renders offline)
//! DIR/<id>/article.epub …         outputs, rendered from the model on first use and kept
//! DIR/<id>/book.epub …            a book: the files it was added with
//! DIR/<id>/cover.png|jpg          the cover (the lead image, else the generated one)
//! DIR/<id>/text.txt               the plain text, for search
//! ```
//!
//! Nothing is ever half there: every file is written atomically (`atomic`), and an entry is
//! made whole in a hidden `.tmp-PID-…` folder and renamed into place, so a kill leaves either
//! the entry or a temporary folder that the next [`Library::open`] removes (when the process
//! that made it is gone). A deletion renames the folder out of sight before removing it.
//!
//! Ids are checked ([`valid_id`]: `[a-z0-9-]`, no dots or slashes) before they become paths,
//! so no request can name anything outside the library folder.
//!
//! The list is held in memory and read again (only the new entries) when the folder changes:
//! `quire feed` may add issues while a server runs.

use super::atomic::{self, write_atomically};
use anyhow::{anyhow, bail, Context};
use quire::media::{ImageKind, LoadPolicy, MediaStore, StandardSource};
use quire::{Document, InputFormat, Meta, OutputFormat, WriteOptions};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

/// What an entry is: one article, or a book (a feed issue, or articles bound together).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    Article,
    Book,
}

/// One entry of the library, as `meta.json` holds it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Entry {
    /// The folder's name: `[a-z0-9-]` only (a slug of the title and a short random suffix).
    pub id: String,
    pub kind: EntryKind,
    pub title: String,
    /// The site's name, else its host.
    pub site: Option<String>,
    pub source_url: Option<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
    /// The publication date as the model's JSON form writes it.
    pub published: Option<String>,
    /// When it entered the library (RFC 3339, UTC).
    pub added: String,
    pub words: usize,
    pub description: Option<String>,
    /// What can be downloaded (by name in `meta.json`: `epub`, `kepub`, `pdf`, …).
    #[serde(with = "format_names")]
    pub formats: Vec<OutputFormat>,
}

/// Formats by their names (`OutputFormat::name`), as `meta.json` lists them.
mod format_names {
    use quire::OutputFormat;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(formats: &[OutputFormat], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(formats.iter().map(|f| f.name()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<OutputFormat>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|name| OutputFormat::from_name(name).map_err(serde::de::Error::custom))
            .collect()
    }
}

/// The formats an article can be downloaded in (rendered from its model on first use).
pub const ARTICLE_FORMATS: [OutputFormat; 5] = [
    OutputFormat::Epub,
    OutputFormat::Kepub,
    OutputFormat::Pdf,
    OutputFormat::Markdown,
    OutputFormat::Html,
];

const CONFIG: &str = "config.toml";
const META: &str = "meta.json";
const ARTICLE: &str = "article.json";
const TEXT: &str = "text.txt";
const TEMP_PREFIX: &str = ".tmp-";
const DELETED_PREFIX: &str = ".del-";
/// The longest id: a slug of at most 48 characters, a dash and eight hex digits.
const MAX_ID_LEN: usize = 64;
/// The size of a generated cover (a 3:4 page, enough for a catalog thumbnail and a device).
const COVER_SIZE: (u32, u32) = (600, 800);

/// The library's own settings (`DIR/config.toml`).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LibraryConfig {
    /// The secret the bookmarklet sends with a page: any web page could post to `/clip`,
    /// only the user's bookmarklet knows this.
    pub clip_key: String,
    /// The token required for changes when the server listens beyond loopback (`--token`
    /// beats it; without either a random one is made at each start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// Where an article's images come from when it is added.
#[derive(Clone, Debug, Default)]
pub struct ImageSourcing {
    /// The folder relative image paths resolve in (an uploaded file has none).
    pub resource_dir: Option<PathBuf>,
    /// Download remote images within these limits; `None` leaves them as links.
    pub remote: Option<quire::net::ImageFetchOptions>,
}

/// A book to add: its metadata, its text (for search and the word count) and its files.
#[derive(Clone, Debug, Default)]
pub struct NewBook {
    pub meta: Meta,
    /// The plain text of the whole book.
    pub text: String,
    /// The rendered book, one file per format (at least one).
    pub files: Vec<(OutputFormat, Vec<u8>)>,
    /// A cover image (PNG or JPEG); `None`: the generated one is made when asked for.
    pub cover: Option<Vec<u8>>,
}

/// An entry as the index keeps it: with the lowercased text search looks in.
struct Indexed {
    entry: Entry,
    haystack: String,
}

#[derive(Default)]
struct Index {
    /// What the folder looked like when it was last read; `None`: read it again.
    stamp: Option<(std::time::SystemTime, u64)>,
    /// Newest first.
    entries: Vec<std::sync::Arc<Indexed>>,
}

/// The library: its folder and the index of its entries. Shared between request handlers.
pub struct Library {
    root: PathBuf,
    config: LibraryConfig,
    index: RwLock<Index>,
}

/// Whether `id` can be an entry's id: 1 to 64 of `[a-z0-9-]`, starting with a letter or a
/// digit. Nothing else ever becomes a path (`..`, `/`, `%2e`, `.tmp-…` are all refused).
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

/// `n` random bytes as hex, from the system's generator.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    let filled = fs::File::open("/dev/urandom").and_then(|mut f| {
        use std::io::Read;
        f.read_exact(&mut bytes)
    });
    if filled.is_err() {
        // No /dev/urandom (not a Unix system): the clock and the process id, hashed. Only
        // ids fall back to this in practice; tokens are made where /dev/urandom exists.
        use sha2::Digest;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let seed = format!("{now:?}{}{:p}", std::process::id(), &bytes);
        let digest = sha2::Sha256::digest(seed.as_bytes());
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = digest[i % digest.len()];
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Now, as RFC 3339 UTC with milliseconds (entries added in the same second keep their order).
fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    chrono::DateTime::from_timestamp(now.as_secs() as i64, now.subsec_nanos())
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `The Tide Tables of 1887!` → `the-tide-tables-of-1887` (at most 48 characters; letters
/// outside ASCII are dropped, so a title in another script gives an empty slug).
fn slug(title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 48 {
            break;
        }
    }
    slug.trim_end_matches('-').to_string()
}

fn new_id(title: &str) -> String {
    let slug = slug(title);
    let suffix = random_hex(4);
    if slug.is_empty() {
        format!("entry-{suffix}")
    } else {
        format!("{slug}-{suffix}")
    }
}

/// The host of a URL, for an entry without a site name.
fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .host_str()
        .map(|h| h.trim_start_matches("www.").to_string())
}

fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The file an entry's output in `format` is kept in.
fn output_name(kind: EntryKind, format: OutputFormat) -> String {
    let stem = match kind {
        EntryKind::Article => "article",
        EntryKind::Book => "book",
    };
    format!("{stem}.{}", format.file_suffix())
}

/// The process a temporary folder's name says made it.
fn temp_owner(name: &str) -> Option<u32> {
    name.strip_prefix(TEMP_PREFIX)?
        .split('-')
        .next()?
        .parse()
        .ok()
}

impl Library {
    /// Opens the library in `root`, making the folder and its config file if missing, and
    /// removing what killed processes left (temporary folders and files, deletions begun).
    pub fn open(root: &Path) -> anyhow::Result<Library> {
        fs::create_dir_all(root)
            .with_context(|| format!("{}: cannot make the library folder", root.display()))?;
        let root = root
            .canonicalize()
            .with_context(|| format!("{}: cannot open the library folder", root.display()))?;
        let config_path = root.join(CONFIG);
        let config = match fs::read_to_string(&config_path) {
            Ok(text) => toml::from_str::<LibraryConfig>(&text)
                .with_context(|| format!("{}: not a library config", config_path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let config = LibraryConfig {
                    clip_key: random_hex(16),
                    token: None,
                };
                let text = toml::to_string(&config)?;
                write_atomically(&config_path, text.as_bytes(), true)
                    .with_context(|| format!("{}: cannot write", config_path.display()))?;
                // It holds the bookmarklet's key (and perhaps a token): the owner's only.
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    let _ = fs::set_permissions(&config_path, fs::Permissions::from_mode(0o600));
                }
                config
            }
            Err(e) => {
                return Err(anyhow!(e).context(format!("{}: cannot read", config_path.display())))
            }
        };
        let library = Library {
            root,
            config,
            index: RwLock::new(Index::default()),
        };
        library.remove_leftovers();
        Ok(library)
    }

    /// The library folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The library's settings (the bookmarklet key, the token).
    pub fn config(&self) -> &LibraryConfig {
        &self.config
    }

    /// Removes the temporary folders of processes that are gone, deletions a kill
    /// interrupted, and temporary files (of outputs being cached) in the entries.
    fn remove_leftovers(&self) {
        atomic::remove_stale_parts(&self.root);
        let Ok(read) = fs::read_dir(&self.root) else {
            return;
        };
        for item in read.flatten() {
            let name = item.file_name();
            let Some(name) = name.to_str() else { continue };
            let stale = name.starts_with(DELETED_PREFIX)
                || temp_owner(name).is_some_and(|pid| {
                    pid != std::process::id() && !atomic::process_is_running(pid)
                });
            if stale {
                let _ = fs::remove_dir_all(item.path());
            } else if valid_id(name) {
                atomic::remove_stale_parts(&item.path());
            }
        }
    }

    /// What the folder looks like now: its modification time and link count (which counts
    /// its subfolders, so an entry added or removed within one clock tick is still seen).
    fn stamp(&self) -> Option<(std::time::SystemTime, u64)> {
        let meta = fs::metadata(&self.root).ok()?;
        #[cfg(unix)]
        let links = std::os::unix::fs::MetadataExt::nlink(&meta);
        #[cfg(not(unix))]
        let links = 0;
        Some((meta.modified().ok()?, links))
    }

    /// Reads the folder again if it changed since the index was made: entries already
    /// known are kept (an entry never changes once added), new ones read.
    fn refresh(&self) {
        let stamp = self.stamp();
        {
            let index = self.index.read().unwrap_or_else(|p| p.into_inner());
            if index.stamp.is_some() && index.stamp == stamp {
                return;
            }
        }
        let mut index = self.index.write().unwrap_or_else(|p| p.into_inner());
        if index.stamp.is_some() && index.stamp == stamp {
            return;
        }
        let known: HashMap<String, std::sync::Arc<Indexed>> = index
            .entries
            .drain(..)
            .map(|e| (e.entry.id.clone(), e))
            .collect();
        let mut entries = Vec::new();
        if let Ok(read) = fs::read_dir(&self.root) {
            for item in read.flatten() {
                let name = item.file_name();
                let Some(id) = name.to_str().filter(|n| valid_id(n)) else {
                    continue;
                };
                if let Some(indexed) = known.get(id) {
                    entries.push(std::sync::Arc::clone(indexed));
                } else if let Some(indexed) = self.load_entry(id) {
                    entries.push(std::sync::Arc::new(indexed));
                }
            }
        }
        entries.sort_by(|a, b| {
            b.entry
                .added
                .cmp(&a.entry.added)
                .then_with(|| a.entry.id.cmp(&b.entry.id))
        });
        index.entries = entries;
        index.stamp = stamp;
    }

    /// Reads one entry's `meta.json` and text; `None` for a folder that is not an entry.
    fn load_entry(&self, id: &str) -> Option<Indexed> {
        let dir = self.root.join(id);
        let entry: Entry = serde_json::from_slice(&fs::read(dir.join(META)).ok()?).ok()?;
        if entry.id != id {
            return None;
        }
        let text = fs::read_to_string(dir.join(TEXT)).unwrap_or_default();
        let haystack = [
            entry.title.as_str(),
            entry.site.as_deref().unwrap_or(""),
            &entry.authors.join(" "),
            entry.description.as_deref().unwrap_or(""),
            &text,
        ]
        .join("\n")
        .to_lowercase();
        Some(Indexed { entry, haystack })
    }

    /// Marks the index stale (after this process changed the folder).
    fn invalidate(&self) {
        self.index.write().unwrap_or_else(|p| p.into_inner()).stamp = None;
    }

    /// Every entry, newest first.
    pub fn list(&self) -> Vec<Entry> {
        self.refresh();
        let index = self.index.read().unwrap_or_else(|p| p.into_inner());
        index.entries.iter().map(|e| e.entry.clone()).collect()
    }

    /// The entries whose title, site, authors, description or text hold every word of
    /// `query` (case-insensitive), newest first. An empty query finds everything.
    pub fn search(&self, query: &str) -> Vec<Entry> {
        self.refresh();
        let query = query.to_lowercase();
        let words: Vec<&str> = query.split_whitespace().collect();
        let index = self.index.read().unwrap_or_else(|p| p.into_inner());
        index
            .entries
            .iter()
            .filter(|e| words.iter().all(|w| e.haystack.contains(w)))
            .map(|e| e.entry.clone())
            .collect()
    }

    /// The entry with this id; `None` for an id that is not one (or not a valid id).
    pub fn entry(&self, id: &str) -> Option<Entry> {
        if !valid_id(id) {
            return None;
        }
        self.refresh();
        let index = self.index.read().unwrap_or_else(|p| p.into_inner());
        index
            .entries
            .iter()
            .find(|e| e.entry.id == id)
            .map(|e| e.entry.clone())
    }

    /// Where an entry's file in `format` is kept, whether or not it has been made yet (see
    /// [`Library::file`]); `None` when there is no such entry or it is not offered in
    /// `format`. No file is read: a server tries this path first and renders only when it
    /// is missing.
    pub fn output_path(&self, id: &str, format: OutputFormat) -> Option<PathBuf> {
        let entry = self.entry(id)?;
        entry.formats.contains(&format).then(|| {
            self.root
                .join(&entry.id)
                .join(output_name(entry.kind, format))
        })
    }

    /// An entry's cover if one is saved (its lead image, or a generated one made before);
    /// `None` when [`Library::cover`] would have to draw it.
    pub fn saved_cover(&self, id: &str) -> Option<PathBuf> {
        let dir = self.entry_dir(id)?;
        ["cover.jpg", "cover.png"]
            .into_iter()
            .map(|name| dir.join(name))
            .find(|path| path.is_file())
    }

    /// The path of an entry's output in `format`: kept from an earlier request, else
    /// rendered now from the stored model (and kept, written atomically).
    pub fn file(&self, id: &str, format: OutputFormat) -> anyhow::Result<PathBuf> {
        let entry = self
            .entry(id)
            .ok_or_else(|| anyhow!("no entry '{id}' in the library"))?;
        if !entry.formats.contains(&format) {
            bail!("'{}' is not available as {format}", entry.title);
        }
        let dir = self.root.join(&entry.id);
        let path = dir.join(output_name(entry.kind, format));
        if path.is_file() {
            return Ok(path);
        }
        if entry.kind == EntryKind::Book {
            bail!("{}: missing from the library folder", path.display());
        }
        let document = self.document(&entry.id)?;
        let mut options = WriteOptions {
            resource_dir: Some(dir.clone()),
            ..WriteOptions::default()
        };
        if format == OutputFormat::Kepub {
            options.epub.profile = quire::write::epub::Profile::Kobo;
        }
        let rendered = quire::write(&document, format, &options)
            .with_context(|| format!("cannot write '{}' as {format}", entry.title))?;
        write_atomically(&path, &rendered.bytes, true)
            .with_context(|| format!("{}: cannot write", path.display()))?;
        Ok(path)
    }

    /// An article's model, read from its `article.json`.
    pub fn document(&self, id: &str) -> anyhow::Result<Document> {
        if !valid_id(id) {
            bail!("no entry '{id}' in the library");
        }
        let path = self.root.join(id).join(ARTICLE);
        let bytes = fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
        let reading = quire::read(&bytes, InputFormat::Json, &quire::ReadOptions::default())
            .with_context(|| format!("{}: not quire's JSON model", path.display()))?;
        Ok(reading.document)
    }

    /// The folder an entry's files are in (its images resolve there).
    pub fn entry_dir(&self, id: &str) -> Option<PathBuf> {
        self.entry(id).map(|e| self.root.join(e.id))
    }

    /// An entry's cover: its lead image saved with it, else the cover EPUB writing
    /// generates (made on first use and kept).
    pub fn cover(&self, id: &str) -> Option<PathBuf> {
        let entry = self.entry(id)?;
        if let Some(saved) = self.saved_cover(id) {
            return Some(saved);
        }
        let dir = self.root.join(&entry.id);
        // The date goes through the model's JSON form, which wrote it.
        let mut meta: Meta =
            serde_json::from_value(serde_json::json!({ "published": entry.published }))
                .unwrap_or_default();
        meta.title = Some(entry.title.clone());
        meta.authors.clone_from(&entry.authors);
        meta.site_name.clone_from(&entry.site);
        meta.language.clone_from(&entry.language);
        let png =
            quire::write::epub::generated_cover(&entry.title, &meta, COVER_SIZE.0, COVER_SIZE.1)
                .ok()?;
        let path = dir.join("cover.png");
        write_atomically(&path, &png, true).ok()?;
        Some(path)
    }

    /// One of an article's saved images (`img-N.ext`, as its model names them); `None` for
    /// any other name.
    pub fn image(&self, id: &str, name: &str) -> Option<PathBuf> {
        let (stem, extension) = name.split_once('.')?;
        let numbered = stem
            .strip_prefix("img-")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let known = ["png", "jpg", "gif", "webp"].contains(&extension);
        if !numbered || !known {
            return None;
        }
        let path = self.entry_dir(id)?.join(name);
        path.is_file().then_some(path)
    }

    /// A new hidden folder to build an entry in.
    fn temp_dir(&self) -> anyhow::Result<PathBuf> {
        let path = self.root.join(format!(
            "{TEMP_PREFIX}{}-{}",
            std::process::id(),
            random_hex(6)
        ));
        fs::create_dir(&path).with_context(|| format!("{}: cannot make", path.display()))?;
        Ok(path)
    }

    /// Renames a finished temporary folder into place as entry `entry.id` (writing its
    /// `meta.json` first); removes it on failure.
    fn publish(&self, temp: &Path, entry: &Entry) -> anyhow::Result<()> {
        let result = (|| {
            let meta = serde_json::to_vec_pretty(entry)?;
            write_atomically(&temp.join(META), &meta, true)?;
            let target = self.root.join(&entry.id);
            fs::rename(temp, &target)
                .with_context(|| format!("{}: cannot move into place", target.display()))?;
            anyhow::Ok(())
        })();
        if result.is_err() {
            let _ = fs::remove_dir_all(temp);
        }
        self.invalidate();
        result
    }

    /// Adds an article: its images are loaded once (files, `data:` URIs and, when
    /// `images.remote` says so, downloads) and saved beside its model, which then points
    /// at those copies, so it renders later without the network.
    pub fn add_article(&self, document: Document, images: &ImageSourcing) -> anyhow::Result<Entry> {
        let mut document = document;
        let source = StandardSource::new(images.remote.clone());
        let policy = LoadPolicy {
            resource_dir: images.resource_dir.clone(),
            fetch_remote: images.remote.is_some(),
            allow_private: images.remote.as_ref().is_some_and(|r| r.allow_private),
            lead_image: true,
        };
        let (store, _warnings) = MediaStore::load(&document, &source, &policy);
        let temp = self.temp_dir()?;
        let result = self.fill_article(&temp, &mut document, &store);
        match result {
            Ok(entry) => {
                self.publish(&temp, &entry)?;
                Ok(entry)
            }
            Err(e) => {
                let _ = fs::remove_dir_all(&temp);
                Err(e)
            }
        }
    }

    /// Writes an article's files into `temp`; returns its entry.
    fn fill_article(
        &self,
        temp: &Path,
        document: &mut Document,
        store: &MediaStore,
    ) -> anyhow::Result<Entry> {
        // Each loaded image once, under a name of its own; the model points at the copies.
        let mut saved: HashMap<String, String> = HashMap::new();
        let mut failure = None;
        let mut save = |src: &str| -> Option<String> {
            let key = src.trim().to_string();
            if let Some(name) = saved.get(&key) {
                return Some(name.clone());
            }
            let image = store.image(&key)?;
            let bytes = image.bytes().ok()?;
            let name = format!("img-{}.{}", saved.len() + 1, image.kind().extension());
            if let Err(e) = write_atomically(&temp.join(&name), &bytes, true) {
                failure = Some(e);
                return None;
            }
            saved.insert(key, name.clone());
            Some(name)
        };
        document.for_each_image_mut(&mut |image| {
            if let Some(name) = save(&image.src) {
                image.src = name;
            }
        });
        let mut cover = None;
        if let Some(lead) = document.meta.lead_image.clone() {
            if let Some(name) = save(&lead) {
                document.meta.lead_image = Some(name.clone());
                cover = Some(name);
            }
        }
        if let Some(e) = failure {
            return Err(anyhow!(e).context("cannot save an image"));
        }
        if let Some(name) = cover {
            save_cover(&temp.join(&name), temp);
        }
        let json = quire::write(document, OutputFormat::Json, &WriteOptions::default())?;
        write_atomically(&temp.join(ARTICLE), &json.bytes, true)?;
        let text = quire::write(document, OutputFormat::Text, &WriteOptions::default())?;
        write_atomically(&temp.join(TEXT), &text.bytes, true)?;
        let text = String::from_utf8_lossy(&text.bytes);
        let meta = &document.meta;
        Ok(entry_for(
            meta,
            EntryKind::Article,
            count_words(&text),
            ARTICLE_FORMATS.to_vec(),
        ))
    }

    /// Adds a book made elsewhere (a feed issue, a bundle of articles), with its files.
    pub fn add_book(&self, book: NewBook) -> anyhow::Result<Entry> {
        if book.files.is_empty() {
            bail!("a book needs at least one file");
        }
        let temp = self.temp_dir()?;
        let filled = (|| {
            for (format, bytes) in &book.files {
                write_atomically(
                    &temp.join(output_name(EntryKind::Book, *format)),
                    bytes,
                    true,
                )?;
            }
            write_atomically(&temp.join(TEXT), book.text.as_bytes(), true)?;
            if let Some(cover) = &book.cover {
                let name = match ImageKind::sniff(cover) {
                    Some(ImageKind::Jpeg) => "cover.jpg",
                    _ => "cover.png",
                };
                let path = temp.join(name);
                write_atomically(&path, cover, true)?;
                if name == "cover.png" {
                    save_cover(&path, &temp);
                }
            }
            anyhow::Ok(())
        })();
        if let Err(e) = filled {
            let _ = fs::remove_dir_all(&temp);
            return Err(e);
        }
        let mut formats: Vec<OutputFormat> = book.files.iter().map(|(f, _)| *f).collect();
        formats.dedup();
        let entry = entry_for(
            &book.meta,
            EntryKind::Book,
            count_words(&book.text),
            formats,
        );
        self.publish(&temp, &entry)?;
        Ok(entry)
    }

    /// Removes an entry: its folder is renamed out of sight, then removed (a kill in
    /// between leaves a `.del-` folder the next open removes).
    pub fn delete(&self, id: &str) -> anyhow::Result<()> {
        if !valid_id(id) || !self.root.join(id).join(META).is_file() {
            bail!("no entry '{id}' in the library");
        }
        let hidden = self
            .root
            .join(format!("{DELETED_PREFIX}{id}-{}", random_hex(4)));
        fs::rename(self.root.join(id), &hidden)
            .with_context(|| format!("cannot remove '{id}' from the library"))?;
        self.invalidate();
        let _ = fs::remove_dir_all(&hidden);
        Ok(())
    }
}

/// Makes `cover.jpg` / `cover.png` in `dir` from the image at `path`: a JPEG or PNG as it
/// is, other formats (GIF, WebP) as PNG, so catalogs get a format every reader shows.
/// A cover that cannot be made is left out (the generated one is used).
fn save_cover(path: &Path, dir: &Path) {
    let Ok(bytes) = fs::read(path) else { return };
    let (name, bytes) = match ImageKind::sniff(&bytes) {
        Some(ImageKind::Jpeg) => ("cover.jpg", bytes),
        Some(ImageKind::Png) => ("cover.png", bytes),
        Some(_) => {
            let Ok(decoded) = image::load_from_memory(&bytes) else {
                return;
            };
            let mut png = Vec::new();
            if decoded
                .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                .is_err()
            {
                return;
            }
            ("cover.png", png)
        }
        None => return,
    };
    let target = dir.join(name);
    if target != path {
        let _ = write_atomically(&target, &bytes, true);
    }
}

/// The entry for a document's metadata.
fn entry_for(meta: &Meta, kind: EntryKind, words: usize, formats: Vec<OutputFormat>) -> Entry {
    let title = meta
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| "Untitled".to_string());
    let source_url = meta
        .source_url
        .clone()
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let site = meta
        .site_name
        .clone()
        .or_else(|| source_url.as_deref().and_then(host_of));
    let published = meta
        .published
        .as_ref()
        .and_then(|d| serde_json::to_value(d).ok())
        .and_then(|v| v.as_str().map(str::to_string));
    Entry {
        id: new_id(&title),
        kind,
        title,
        site,
        source_url,
        authors: meta.authors.clone(),
        language: meta.language.clone(),
        published,
        added: now_rfc3339(),
        words,
        description: meta.description.clone(),
        formats,
    }
}

#[cfg(test)]
mod tests;
