//! What the server reads: a URL it fetches, a file uploaded, a page the bookmarklet sends;
//! each becomes a [`Preview`] (the document and what extraction decided), kept a while in
//! [`Previews`] so that its downloads work without saving it. These functions block
//! (fetching, parsing): handlers call them on tokio's blocking threads.

use super::pages::{size, Problem};
use axum::http::StatusCode;
use quire::{Document, InputFormat, ReadOptions};
use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The previews kept: enough for a few people reading at once; the oldest go first.
const MAX_PREVIEWS: usize = 32;
/// How long a preview's downloads keep working.
const PREVIEW_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// A document read and not (yet) saved.
pub struct Preview {
    pub document: Document,
    /// The article as an HTML fragment, for the preview page.
    pub body_html: String,
    /// What article extraction chose and left out, line by line (HTML inputs only).
    pub extraction: Vec<String>,
    /// The blocks extraction left out, with their text (HTML inputs only).
    pub dropped: Vec<quire::read::html::DroppedBlock>,
    /// It came from a private address (its images may come from one too).
    pub private: bool,
    /// The entry it was saved as: saving it again leads there instead of saving a copy.
    pub saved: std::sync::Mutex<Option<String>>,
    /// Its images, loaded (downloaded) by the first download and shared by the others.
    pub media: std::sync::OnceLock<Arc<quire::media::MediaStore>>,
}

/// The recent previews, by random id; the oldest are dropped past [`MAX_PREVIEWS`] or
/// after [`PREVIEW_LIFETIME`].
#[derive(Default)]
pub struct Previews {
    order: VecDeque<String>,
    kept: HashMap<String, (Instant, Arc<Preview>)>,
}

impl Previews {
    /// Keeps `preview`; returns its id (32 hex digits).
    pub fn insert(&mut self, preview: Preview) -> String {
        self.expire();
        while self.order.len() >= MAX_PREVIEWS {
            if let Some(oldest) = self.order.pop_front() {
                self.kept.remove(&oldest);
            }
        }
        let id = super::super::library::random_hex(16);
        self.order.push_back(id.clone());
        self.kept
            .insert(id.clone(), (Instant::now(), Arc::new(preview)));
        id
    }

    pub fn get(&mut self, id: &str) -> Option<Arc<Preview>> {
        self.expire();
        self.kept.get(id).map(|(_, p)| Arc::clone(p))
    }

    fn expire(&mut self) {
        while let Some(oldest) = self.order.front() {
            let expired = self
                .kept
                .get(oldest)
                .is_none_or(|(made, _)| made.elapsed() > PREVIEW_LIFETIME);
            if !expired {
                break;
            }
            if let Some(oldest) = self.order.pop_front() {
                self.kept.remove(&oldest);
            }
        }
    }
}

/// An absolute http(s) URL, or the 400 page saying what is wrong with it.
pub fn check_url(text: &str) -> Result<url::Url, Problem> {
    let text = text.trim();
    let bad = |why: &str| {
        Problem::new(
            StatusCode::BAD_REQUEST,
            "Not a web address",
            &format!("'{text}' {why}: give an address starting with http:// or https://."),
        )
    };
    if text.is_empty() {
        return Err(bad("is empty"));
    }
    match url::Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(url),
        Ok(_) => Err(bad("is not an http or https address")),
        Err(e) => Err(bad(&format!("is not a URL ({e})"))),
    }
}

/// Fetches and reads the page at `url`.
pub fn read_url(url: &url::Url, fetch: &quire::net::FetchOptions) -> Result<Preview, Problem> {
    let fetched = quire::net::fetch(url.as_str(), fetch).map_err(|e| {
        let message = match e {
            quire::Error::Fetch { message, .. } => message,
            other => other.to_string(),
        };
        if message.contains("larger than the limit") {
            too_large(fetch.max_bytes, "The page")
        } else if message.starts_with("refused:") {
            Problem::new(
                StatusCode::FORBIDDEN,
                "Address refused",
                &format!(
                    "{url}: {}",
                    message.replace(
                        "(--allow-private fetches it)",
                        "(the server was not started with --allow-private)"
                    )
                ),
            )
        } else {
            Problem::new(
                StatusCode::BAD_GATEWAY,
                "Could not fetch the page",
                &format!("{url}: {message}"),
            )
        }
    })?;
    let format = fetched
        .input_format()
        .or_else(|| InputFormat::from_path(Path::new(url.path())))
        .unwrap_or_else(|| InputFormat::sniff(&fetched.bytes));
    let options = ReadOptions {
        source_url: Some(fetched.final_url.clone()),
        charset: fetched.charset.clone(),
        ..ReadOptions::default()
    };
    read_bytes(fetched.bytes, format, &options, fetched.private)
}

/// Reads an uploaded file, its format from its name (else from its bytes).
pub fn read_upload(name: &str, bytes: Vec<u8>) -> Result<Preview, Problem> {
    let format =
        InputFormat::from_path(Path::new(name)).unwrap_or_else(|| InputFormat::sniff(&bytes));
    if format == InputFormat::Json {
        // The model's JSON form is quire's own; an upload is a page, text or Markdown.
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Not a page, text or Markdown file",
            &format!("{name}: upload an HTML, text or Markdown file."),
        ));
    }
    read_bytes(bytes, format, &ReadOptions::default(), false)
}

/// Reads the page a browser sent (the bookmarklet), with its address as base and source.
pub fn read_clip(url: &url::Url, html: String) -> Result<Preview, Problem> {
    let options = ReadOptions {
        source_url: Some(url.to_string()),
        ..ReadOptions::default()
    };
    read_bytes(html.into_bytes(), InputFormat::Html, &options, false)
}

fn read_bytes(
    bytes: Vec<u8>,
    format: InputFormat,
    options: &ReadOptions,
    private: bool,
) -> Result<Preview, Problem> {
    let (extraction, dropped) = if format == InputFormat::Html {
        quire::read::decode::decode(&bytes, true, options.charset.as_deref())
            .map(|decoded| {
                let report = quire::read::html::explain(&decoded.text)
                    .lines()
                    .map(str::to_string)
                    .collect();
                (report, quire::read::html::dropped(&decoded.text))
            })
            .unwrap_or_default()
    } else {
        (Vec::new(), Vec::new())
    };
    let reading = quire::read_owned(bytes, format, options).map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Could not read it",
            &format!("It could not be read as {format}: {e}"),
        )
    })?;
    let document = reading.document;
    if document.blocks.is_empty() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "No article found",
            "quire found no article text in it (an empty page, or one that builds its text \
             with JavaScript: the bookmarklet saves such pages as the browser shows them).",
        ));
    }
    let body_html = fragment(&document);
    Ok(Preview {
        document,
        body_html,
        extraction,
        dropped,
        private,
        saved: std::sync::Mutex::new(None),
        media: std::sync::OnceLock::new(),
    })
}

/// The 413 page.
pub fn too_large(limit: u64, what: &str) -> Problem {
    Problem::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "Too large",
        &format!(
            "{what} is larger than this server takes ({}; see --max-upload).",
            size(limit)
        ),
    )
}

/// A document's body as the HTML fragment pages show under their own header (its images
/// stay where they are).
pub fn fragment(document: &Document) -> String {
    let options = quire::WriteOptions {
        fragment: true,
        ..quire::WriteOptions::default()
    };
    // The page shows title, byline and date itself: the body is written without them.
    let body = Document {
        meta: quire::Meta {
            language: document.meta.language.clone(),
            direction: document.meta.direction,
            ..quire::Meta::default()
        },
        blocks: document.blocks.clone(),
    };
    quire::write(&body, quire::OutputFormat::Html, &options)
        .map(|r| String::from_utf8_lossy(&r.bytes).into_owned())
        .unwrap_or_default()
}
