//! The catalog for devices: an OPDS 1.2 catalog at `/opds` that KOReader, Calibre, Thorium
//! and other reading apps browse, and the stable links `/latest.epub` and
//! `/latest.kepub.epub` for readers with only a web browser. [`catalog`] writes the documents;
//! [`thumbnail`] makes the covers small; this module answers the requests.
//!
//! Every route only reads: the library's folder is read on tokio's blocking threads (a book
//! rendered on its first download, a thumbnail made on its first request), never on the
//! threads that serve connections; files are then streamed from disk ([`super::download`]).

pub mod catalog;
pub mod thumbnail;

use super::download;
use super::library::{Entry, EntryKind, Library};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use catalog::{CatalogEntry, FeedAddress, ACQUISITION_TYPE, NAVIGATION_TYPE, ROOT};
use quire::OutputFormat;
use serde::Deserialize;
use std::sync::Arc;

/// The catalog's routes. They need the library alone: the server gives it with
/// `routes().with_state(library)`, and this module knows nothing of the server's own state.
pub fn routes() -> Router<Arc<Library>> {
    Router::new()
        .route("/opds", get(root))
        .route("/opds/", get(root))
        .route("/opds/new", get(newest))
        .route("/opds/dates", get(months))
        .route("/opds/dates/{month}", get(month))
        .route("/opds/sites", get(sites))
        .route("/opds/sites/{site}", get(site))
        .route("/opds/books", get(books))
        .route("/opds/search", get(search))
        .route("/opds/opensearch.xml", get(opensearch))
        .route("/library/{id}/thumbnail", get(cover_thumbnail))
        .route("/latest.epub", get(latest_epub))
        .route("/latest.kepub.epub", get(latest_kepub))
}

/// The query of a catalog page: the page, and the terms of a search.
#[derive(Debug, Deserialize)]
struct FeedQuery {
    page: Option<String>,
    q: Option<String>,
}

impl FeedQuery {
    /// The page asked for (1 when none); an error answer for one that is not a number.
    #[allow(clippy::result_large_err)]
    fn page(&self) -> Result<usize, Response> {
        match self.page.as_deref().map(str::trim) {
            None | Some("") => Ok(1),
            Some(text) => text.parse::<usize>().map_err(|_| {
                plain(
                    StatusCode::BAD_REQUEST,
                    format!("page must be a number from 1, not '{text}'"),
                )
            }),
        }
    }
}

/// Runs `work` (which reads the library's folder) on a blocking thread.
async fn blocking(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|_| failed())
}

/// The answer when work on a blocking thread panicked.
fn failed() -> Response {
    plain(
        StatusCode::INTERNAL_SERVER_ERROR,
        "quire failed on this request (a bug)".to_string(),
    )
}

fn plain(status: StatusCode, message: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message + "\n",
    )
        .into_response()
}

fn feed_response(kind: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, kind),
            // A catalog changes whenever an entry is added: clients ask again each time.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// Now, RFC 3339 UTC: the `updated` of a feed with no entries.
fn now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(seconds).unwrap_or(0), 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// What the catalog shows of a library entry, without its cover (see [`with_cover_type`]).
fn catalog_entry(entry: &Entry) -> CatalogEntry {
    CatalogEntry {
        id: entry.id.clone(),
        title: entry.title.clone(),
        authors: entry.authors.clone(),
        site: entry.site.clone(),
        language: entry.language.clone(),
        published: entry.published.clone(),
        added: entry.added.clone(),
        words: entry.words,
        description: entry.description.clone(),
        is_book: entry.kind == EntryKind::Book,
        formats: catalog::DEVICE_FORMATS
            .into_iter()
            .filter(|format| entry.formats.contains(format))
            .collect(),
        cover_type: None,
    }
}

/// Sets the cover's type of the entries a page shows. Every entry has a cover (its lead
/// image, else the generated one, made on first request), and a saved cover is a JPEG only
/// when the library kept a JPEG: one look at the folder, not a cover made for a list.
fn with_cover_type(library: &Library, entry: &mut CatalogEntry) {
    let jpeg = library.root().join(&entry.id).join("cover.jpg").is_file();
    entry.cover_type = Some(if jpeg { "image/jpeg" } else { "image/png" });
}

/// Answers a page of an acquisition feed of `entries` (newest first): only the page's
/// entries are made into catalog entries, so a page costs the same in a library of any size.
fn entries_response(
    library: &Library,
    title: &str,
    address: &FeedAddress,
    up: (&str, &'static str),
    entries: &[Entry],
    requested_page: usize,
) -> Response {
    let page = catalog::Page::of(requested_page, entries.len());
    let shown: Vec<CatalogEntry> = entries[page.range()]
        .iter()
        .map(|entry| {
            let mut shown = catalog_entry(entry);
            with_cover_type(library, &mut shown);
            shown
        })
        .collect();
    let now = now();
    let head = catalog::FeedHead {
        title,
        address,
        up: Some(up),
        updated: entries.first().map_or(now.as_str(), |e| e.added.as_str()),
    };
    feed_response(
        ACQUISITION_TYPE,
        catalog::acquisition_feed(&head, &shown, page),
    )
}

fn all_entries(library: &Library) -> Vec<CatalogEntry> {
    library.list().iter().map(catalog_entry).collect()
}

async fn root(State(library): State<Arc<Library>>) -> Response {
    blocking(move || {
        feed_response(
            NAVIGATION_TYPE,
            catalog::root_feed(&all_entries(&library), &now()),
        )
    })
    .await
}

async fn months(State(library): State<Arc<Library>>) -> Response {
    blocking(move || {
        feed_response(
            NAVIGATION_TYPE,
            catalog::months_feed(&all_entries(&library), &now()),
        )
    })
    .await
}

async fn sites(State(library): State<Arc<Library>>) -> Response {
    blocking(move || {
        feed_response(
            NAVIGATION_TYPE,
            catalog::sites_feed(&all_entries(&library), &now()),
        )
    })
    .await
}

async fn newest(State(library): State<Arc<Library>>, Query(query): Query<FeedQuery>) -> Response {
    let page = match query.page() {
        Ok(page) => page,
        Err(answer) => return answer,
    };
    blocking(move || {
        let address = FeedAddress::new(format!("{ROOT}/new"));
        let entries = library.list();
        entries_response(
            &library,
            "Newest",
            &address,
            (ROOT, NAVIGATION_TYPE),
            &entries,
            page,
        )
    })
    .await
}

async fn books(State(library): State<Arc<Library>>, Query(query): Query<FeedQuery>) -> Response {
    let page = match query.page() {
        Ok(page) => page,
        Err(answer) => return answer,
    };
    blocking(move || {
        let address = FeedAddress::new(format!("{ROOT}/books"));
        let mut entries = library.list();
        entries.retain(|e| e.kind == EntryKind::Book);
        entries_response(
            &library,
            "Books",
            &address,
            (ROOT, NAVIGATION_TYPE),
            &entries,
            page,
        )
    })
    .await
}

async fn month(
    State(library): State<Arc<Library>>,
    Path(month): Path<String>,
    Query(query): Query<FeedQuery>,
) -> Response {
    let page = match query.page() {
        Ok(page) => page,
        Err(answer) => return answer,
    };
    blocking(move || {
        let mut entries = library.list();
        entries.retain(|e| e.added.get(..7) == Some(month.as_str()));
        if entries.is_empty() {
            return plain(
                StatusCode::NOT_FOUND,
                format!("no entry was added in '{month}' (months are written YYYY-MM)"),
            );
        }
        let address = FeedAddress::new(catalog::month_path(&month));
        let up = format!("{ROOT}/dates");
        let title = catalog::month_title(&month);
        entries_response(
            &library,
            &title,
            &address,
            (&up, NAVIGATION_TYPE),
            &entries,
            page,
        )
    })
    .await
}

async fn site(
    State(library): State<Arc<Library>>,
    Path(site): Path<String>,
    Query(query): Query<FeedQuery>,
) -> Response {
    let page = match query.page() {
        Ok(page) => page,
        Err(answer) => return answer,
    };
    blocking(move || {
        let mut entries = library.list();
        entries.retain(|e| e.site.as_deref() == Some(site.as_str()));
        if entries.is_empty() {
            return plain(
                StatusCode::NOT_FOUND,
                format!("no article in the library comes from '{site}'"),
            );
        }
        let address = FeedAddress::new(catalog::site_path(&site));
        let up = format!("{ROOT}/sites");
        entries_response(
            &library,
            &site,
            &address,
            (&up, NAVIGATION_TYPE),
            &entries,
            page,
        )
    })
    .await
}

async fn search(State(library): State<Arc<Library>>, Query(query): Query<FeedQuery>) -> Response {
    let page = match query.page() {
        Ok(page) => page,
        Err(answer) => return answer,
    };
    let terms = query.q.unwrap_or_default();
    blocking(move || {
        let entries = library.search(&terms);
        let address = FeedAddress {
            path: format!("{ROOT}/search"),
            query: vec![("q".to_string(), terms.clone())],
        };
        let title = format!("Search: {}", terms.trim());
        entries_response(
            &library,
            &title,
            &address,
            (ROOT, NAVIGATION_TYPE),
            &entries,
            page,
        )
    })
    .await
}

/// The OpenSearch description, whose template names this server as the client reached it
/// (the Host header: a device on the network reaches it by the address it was given).
async fn opensearch(headers: HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
        });
    let Some(host) = host else {
        return plain(
            StatusCode::BAD_REQUEST,
            "the request names no valid Host".to_string(),
        );
    };
    (
        [(header::CONTENT_TYPE, catalog::OPENSEARCH_TYPE)],
        catalog::opensearch_description(&format!("http://{host}")),
    )
        .into_response()
}

/// An entry's file in `format`, as a download: the path found (and a missing output
/// rendered) on a blocking thread, the file then streamed from disk.
async fn file_response(library: &Arc<Library>, entry: Entry, format: OutputFormat) -> Response {
    let lookup = Arc::clone(library);
    let id = entry.id.clone();
    let path = tokio::task::spawn_blocking(move || lookup.file(&id, format)).await;
    let path = match path {
        Ok(Ok(path)) => path,
        Ok(Err(e)) => {
            return plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot make '{}' as {format}: {e:#}", entry.title),
            )
        }
        Err(_) => return failed(),
    };
    match download::file_attachment(&path, format, &entry.id).await {
        Ok(response) => response,
        Err(e) => plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot read '{}' as {format}: {e}", entry.title),
        ),
    }
}

/// The newest book (a feed issue) in `format`, else the newest article; served whole under
/// a stable address, so a reader's browser bookmark always fetches today's issue.
async fn latest(library: Arc<Library>, format: OutputFormat) -> Response {
    let listing = Arc::clone(&library);
    let Ok(entries) = tokio::task::spawn_blocking(move || listing.list()).await else {
        return failed();
    };
    let newest = entries
        .iter()
        .find(|e| e.kind == EntryKind::Book && e.formats.contains(&format))
        .or_else(|| entries.iter().find(|e| e.formats.contains(&format)));
    let Some(entry) = newest else {
        let message = if entries.is_empty() {
            "the library is empty: save an article on the server's page, or add a feed's \
             issue with 'quire feed SOURCES --library DIR'"
                .to_string()
        } else {
            format!("no entry of the library is available as {format}")
        };
        return plain(StatusCode::NOT_FOUND, message);
    };
    let mut response = file_response(&library, entry.clone(), format).await;
    // The same address answers with another book tomorrow.
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

async fn latest_epub(State(library): State<Arc<Library>>) -> Response {
    latest(library, OutputFormat::Epub).await
}

async fn latest_kepub(State(library): State<Arc<Library>>) -> Response {
    latest(library, OutputFormat::Kepub).await
}

async fn cover_thumbnail(State(library): State<Arc<Library>>, Path(id): Path<String>) -> Response {
    let made = tokio::task::spawn_blocking(move || {
        let Some(cover) = library.cover(&id) else {
            return Err((StatusCode::NOT_FOUND, format!("no cover for '{id}'")));
        };
        thumbnail::thumbnail(&cover)
            .map(|(path, _)| path)
            .map_err(|e| {
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("cannot make the thumbnail: {e:#}"),
                )
            })
    })
    .await;
    let path = match made {
        Ok(Ok(path)) => path,
        Ok(Err((status, message))) => return plain(status, message),
        Err(_) => return failed(),
    };
    match download::image(&path).await {
        Ok(mut response) => {
            // A cover never changes once made (an entry is never edited).
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("max-age=86400"),
            );
            response
        }
        Err(e) => plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot read the cover: {e}"),
        ),
    }
}
