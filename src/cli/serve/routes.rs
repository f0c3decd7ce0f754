//! The pages and their actions.
//!
//! | route                                  | what                                           |
//! |----------------------------------------|------------------------------------------------|
//! | `GET /`                                | URL form, file drop, the bookmarklet           |
//! | `POST /read`, `POST /upload`           | read a URL / a file → its preview              |
//! | `GET /preview/{p}`                     | the article as read, what extraction dropped   |
//! | `GET /preview/{p}/download/{format}`   | a download of it, without saving               |
//! | `POST /preview/{p}/save`               | save it to the library                         |
//! | `GET /library?q=`                      | the list, searched                             |
//! | `GET /library/{id}`                    | one entry: its text, downloads, delete         |
//! | `GET /library/{id}/download/{format}`  | an entry's file                                |
//! | `GET /library/{id}/image/{img-N.ext}`  | an article's saved image                       |
//! | `GET /library/{id}/cover`              | its cover (lead image, else generated)         |
//! | `POST /library/{id}/delete`            | delete it                                      |
//! | `POST /library/book`                   | a book of the checked entries                  |
//! | `POST /clip`                           | the bookmarklet: save the page sent            |
//! | `GET/POST /login`, `POST /logout`      | the token, as a cookie                         |
//!
//! Formats in URLs are `epub`, `kepub`, `pdf`, `md` and `html`.

use super::guard::{self, check_change, csrf_token};
use super::library_entry_links;
use super::pages::{csrf_field, esc, page, Problem};
use super::reading::{self, check_url, Preview};
use super::AppState;
use crate::cli::download::{self, attachment};
use crate::cli::library::{Entry, EntryKind, ImageSourcing, NewBook};
use crate::cli::opds::catalog::Page;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use quire::OutputFormat;
use std::fmt::Write;
use std::sync::Arc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/read", post(read_url))
        .route("/upload", post(upload))
        .route("/preview/{preview}", get(preview_page))
        .route(
            "/preview/{preview}/download/{format}",
            get(preview_download),
        )
        .route("/preview/{preview}/save", post(preview_save))
        .route("/library", get(library_page))
        .route("/library/book", post(make_book))
        .route("/library/{id}", get(entry_page))
        .route("/library/{id}/download/{format}", get(entry_download))
        .route("/library/{id}/image/{name}", get(entry_image))
        .route("/library/{id}/cover", get(entry_cover))
        .route("/library/{id}/delete", post(delete_entry))
        .route("/clip", post(clip))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
}

/// The formats offered for download, by the name URLs and element ids use.
pub const DOWNLOADS: [(&str, OutputFormat, &str); 5] = [
    ("epub", OutputFormat::Epub, "EPUB"),
    ("kepub", OutputFormat::Kepub, "KEPUB"),
    ("pdf", OutputFormat::Pdf, "PDF"),
    ("md", OutputFormat::Markdown, "Markdown"),
    ("html", OutputFormat::Html, "HTML"),
];

fn download_format(name: &str) -> Result<OutputFormat, Problem> {
    DOWNLOADS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, f, _)| *f)
        .ok_or_else(|| {
            Problem::new(
                StatusCode::NOT_FOUND,
                "No such format",
                &format!("'{name}' is not a format quire offers (epub, kepub, pdf, md, html)."),
            )
        })
}

/// Runs blocking work (fetching, reading, rendering) on a blocking thread, at most
/// `state.conversions` at a time; a panic in it becomes the 500 page.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let permit = Arc::clone(&state.conversions)
        .acquire_owned()
        .await
        .map_err(|_| super::pages::internal_error())?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .unwrap_or_else(|_| Err(super::pages::internal_error()))
}

/// A form body's fields, in order (a name may repeat: the checked entries).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn parse(body: Result<Bytes, BytesRejection>, state: &AppState) -> Result<Fields, Problem> {
        let body = body.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                reading::too_large(state.settings.max_upload, "What was sent")
            } else {
                Problem::new(rejection.status(), "Bad request", &rejection.body_text())
            }
        })?;
        Ok(Fields(
            url::form_urlencoded::parse(&body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        ))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The server's own address as the browser names it (for the bookmarklet).
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// The bookmarklet: posts the tab's DOM and address to `/clip` with the library's key, as a
/// form into a new tab (a form submit is not bound by CORS, and the saved article opens).
fn bookmarklet(base: &str, key: &str) -> String {
    let action = serde_json::to_string(&format!("{base}/clip")).unwrap_or_default();
    let key = serde_json::to_string(key).unwrap_or_default();
    format!(
        "javascript:(function(){{var f=document.createElement('form');f.method='post';\
         f.action={action};f.target='_blank';f.acceptCharset='utf-8';f.style.display='none';\
         [['key',{key}],['url',location.href],['html',document.documentElement.outerHTML]]\
         .forEach(function(p){{var i=document.createElement('textarea');i.name=p[0];\
         i.value=p[1];f.appendChild(i);}});document.body.appendChild(f);f.submit();\
         f.remove();}})();"
    )
}

async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (csrf, cookie) = csrf_token(&headers);
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>Read an article</h1>\
         <form method=\"post\" action=\"/read\" id=\"read-form\">{csrf}\
         <label for=\"url\">Web address</label>\
         <input type=\"url\" name=\"url\" id=\"url\" required placeholder=\"https://…\">\
         <button type=\"submit\" id=\"fetch\">Read</button></form>\
         <h2>Or a file</h2>\
         <form method=\"post\" action=\"/upload\" enctype=\"multipart/form-data\" id=\"upload-form\">{csrf}\
         <div id=\"drop\"><p>Drop an HTML, text or Markdown file here, or choose one:</p>\
         <input type=\"file\" name=\"file\" id=\"file\" \
         accept=\".html,.htm,.xhtml,.txt,.text,.md,.markdown,text/html,text/plain,text/markdown\"></div>\
         <button type=\"submit\" id=\"upload\">Read the file</button> \
         <span class=\"meta\">(at most {max})</span></form>\
         <script>(function(){{var d=document.getElementById('drop'),i=document.getElementById('file');\
         d.addEventListener('dragover',function(e){{e.preventDefault();d.className='over';}});\
         d.addEventListener('dragleave',function(){{d.className='';}});\
         d.addEventListener('drop',function(e){{e.preventDefault();d.className='';\
         if(e.dataTransfer.files.length){{i.files=e.dataTransfer.files;\
         document.getElementById('upload-form').submit();}}}});}})();</script>",
        csrf = csrf_field(&csrf),
        max = super::pages::size(state.settings.max_upload),
    );
    if guard::is_owner(&state, &headers) {
        let link = bookmarklet(&base_url(&headers), &state.library.config().clip_key);
        let _ = write!(
            body,
            "<h2>Bookmarklet</h2><p>Drag this link to your bookmarks bar: \
             <a id=\"bookmarklet\" class=\"button\" href=\"{}\">Save to quire</a>. \
             On a page (one behind a login, or built by JavaScript), click it: the page as \
             your browser shows it is saved to the library. It holds this library's key: \
             keep it to yourself.</p>",
            esc(&link)
        );
        if state.settings.token.is_some() {
            let _ = write!(
                body,
                "<form method=\"post\" action=\"/logout\">{}\
                 <button type=\"submit\" id=\"logout\">Log out</button></form>",
                csrf_field(&csrf)
            );
        }
    } else {
        body.push_str(
            "<p class=\"meta\"><a href=\"/login\">Log in</a> to save articles and get the \
             bookmarklet.</p>",
        );
    }
    page("Read", &body, cookie)
}

/// The preview a form's post made: 303 to its page.
fn to_preview(state: &AppState, preview: Preview) -> Response {
    let id = state
        .previews
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(preview);
    Redirect::to(&format!("/preview/{id}")).into_response()
}

async fn read_url(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let fields = Fields::parse(body, &state)?;
    check_change(&state, &headers, fields.get("csrf"))?;
    let url = check_url(fields.get("url").unwrap_or(""))?;
    let fetch = state.fetch_options();
    let preview = blocking(&state, move || reading::read_url(&url, &fetch)).await?;
    Ok(to_preview(&state, preview))
}

async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, Problem> {
    let mut multipart = multipart.map_err(|r| {
        Problem::new(
            r.status(),
            "Not a file upload",
            "Send the file with the page's form (multipart/form-data).",
        )
    })?;
    let too_large = || reading::too_large(state.settings.max_upload, "The file");
    let field_error = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            Problem::new(StatusCode::BAD_REQUEST, "Bad upload", &e.body_text())
        }
    };
    let mut csrf = None;
    let mut file = None;
    while let Some(field) = multipart.next_field().await.map_err(field_error)? {
        match field.name() {
            Some("csrf") => csrf = Some(field.text().await.map_err(field_error)?),
            Some("file") => {
                // The CSRF token comes first in the form: nothing is read from anyone else.
                check_change(&state, &headers, csrf.as_deref())?;
                let name = field.file_name().unwrap_or("upload").to_string();
                let bytes = field.bytes().await.map_err(field_error)?;
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    check_change(&state, &headers, csrf.as_deref())?;
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "No file",
            "Choose (or drop) an HTML, text or Markdown file first.",
        ));
    };
    if bytes.len() as u64 > state.settings.max_upload {
        return Err(too_large());
    }
    let preview = blocking(&state, move || reading::read_upload(&name, bytes.to_vec())).await?;
    Ok(to_preview(&state, preview))
}

fn find_preview(state: &AppState, id: &str) -> Result<Arc<Preview>, Problem> {
    state
        .previews
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(id)
        .ok_or_else(|| {
            Problem::new(
                StatusCode::NOT_FOUND,
                "Preview expired",
                "This preview is no longer kept (they last an hour): read the article again.",
            )
        })
}

/// A date as people write it in the article's language ("2 October 2025", "2. Oktober
/// 2025"), with the ISO form for machines in `datetime`.
fn time_html(date: &quire::model::Date, language: Option<&str>) -> String {
    format!(
        "<time id=\"date\" datetime=\"{}\">{}</time>",
        esc(&date.to_iso()),
        esc(&quire::locale::Labels::for_language(language).date(date))
    )
}

/// The authors of an article or book, "By Ann, Bob and Cy", their names listed as its own
/// language lists them ("张三、李四和王五"), whatever the language of the page around it;
/// `None` for no authors.
fn byline_html(authors: &[String], language: Option<&str>) -> Option<String> {
    if authors.is_empty() {
        return None;
    }
    let names = quire::locale::Labels::for_language(language).join_names(authors);
    Some(format!("<span id=\"byline\">By {}</span>", esc(&names)))
}

/// Title, byline, site and date of a document's metadata.
fn header_html(meta: &quire::Meta, fallback_site: Option<&str>) -> String {
    let title = meta.title.as_deref().unwrap_or("Untitled");
    let mut parts = Vec::new();
    parts.extend(byline_html(&meta.authors, meta.language.as_deref()));
    let site = meta.site_name.as_deref().or(fallback_site);
    if let Some(site) = site {
        parts.push(format!("<span id=\"site\">{}</span>", esc(site)));
    }
    if let Some(date) = &meta.published {
        parts.push(time_html(date, meta.language.as_deref()));
    }
    format!(
        "<h1 id=\"title\">{}</h1><p class=\"meta\">{}</p>",
        esc(title),
        parts.join(" · ")
    )
}

async fn preview_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let preview = find_preview(&state, &id)?;
    let (csrf, cookie) = csrf_token(&headers);
    let meta = &preview.document.meta;
    let host = meta
        .source_url
        .as_deref()
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_string));
    // The actions come right under the title, not after the whole text: on a phone the
    // end of a long article is far away.
    let mut actions = String::from("<div class=\"actions\"><p class=\"downloads\">Download: ");
    for (name, _, label) in DOWNLOADS {
        let _ = write!(
            actions,
            "<a class=\"button\" id=\"download-{name}\" href=\"/preview/{id}/download/{name}\">{label}</a>"
        );
    }
    let _ = write!(
        actions,
        "</p><form method=\"post\" action=\"/preview/{id}/save\">{}\
         <button type=\"submit\" id=\"save\">Save to the library</button></form></div>",
        csrf_field(&csrf)
    );
    let mut body = format!(
        "<article id=\"preview\">{}{actions}{}</article>",
        header_html(meta, host.as_deref()),
        preview.body_html
    );
    if !preview.extraction.is_empty() {
        let _ = write!(
            body,
            "<details id=\"dropped\"><summary>What extraction dropped ({} blocks)</summary>",
            preview.dropped.len()
        );
        if !preview.dropped.is_empty() {
            body.push_str("<ol id=\"dropped-blocks\">");
            for block in &preview.dropped {
                let _ = write!(
                    body,
                    "<li><span class=\"meta\">{}:</span> {}</li>",
                    esc(block.reason),
                    esc(&block.text)
                );
            }
            body.push_str("</ol>");
        }
        let _ = write!(
            body,
            "<p class=\"meta\">How the article was chosen:</p><pre>{}</pre></details>",
            // Element text: its line breaks kept for the <pre>.
            quire::xml::escape_text(&preview.extraction.join("\n"))
        );
    }
    let title = meta.title.clone().unwrap_or_else(|| "Preview".to_string());
    Ok(page(&title, &body, cookie))
}

/// The file stem of a download: the title's slug.
fn download_stem(title: Option<&str>) -> String {
    let stem: String = title
        .unwrap_or("article")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let stem: String = stem.chars().take(60).collect();
    if stem.is_empty() {
        "article".to_string()
    } else {
        stem
    }
}

async fn preview_download(
    State(state): State<AppState>,
    Path((id, format)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let format = download_format(&format)?;
    let preview = find_preview(&state, &id)?;
    let mut options = quire::WriteOptions {
        fetch_images: true,
        remote_images: state.image_options(),
        ..quire::WriteOptions::default()
    };
    options.remote_images.allow_private |= preview.private;
    if format == OutputFormat::Kepub {
        options.epub.profile = quire::write::epub::Profile::Kobo;
    }
    let stem = download_stem(preview.document.meta.title.as_deref());
    let rendered = blocking(&state, move || {
        // The images are fetched once for all the formats downloaded.
        let media = preview
            .media
            .get_or_init(|| Arc::new(options.load_media(&preview.document).0));
        options.media = Some(Arc::clone(media));
        quire::write(&preview.document, format, &options).map_err(|e| {
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Could not write it",
                &format!("It could not be written as {format}: {e}"),
            )
        })
    })
    .await?;
    Ok(attachment(rendered.bytes, format, &stem))
}

async fn preview_save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let fields = Fields::parse(body, &state)?;
    check_change(&state, &headers, fields.get("csrf"))?;
    let preview = find_preview(&state, &id)?;
    let earlier = preview
        .saved
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone()
        .filter(|id| state.library.entry(id).is_some());
    if let Some(earlier) = earlier {
        return Ok(Redirect::to(&format!("/library/{earlier}")).into_response());
    }
    let mut remote = state.image_options();
    remote.allow_private |= preview.private;
    let library = Arc::clone(&state.library);
    let saving = Arc::clone(&preview);
    let entry = blocking(&state, move || {
        library
            .add_article(
                saving.document.clone(),
                &ImageSourcing {
                    resource_dir: None,
                    remote: Some(remote),
                },
            )
            .map_err(|e| save_failed(&e))
    })
    .await?;
    *preview.saved.lock().unwrap_or_else(|p| p.into_inner()) = Some(entry.id.clone());
    Ok(Redirect::to(&format!("/library/{}", entry.id)).into_response())
}

fn save_failed(e: &anyhow::Error) -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Could not save it",
        &format!("The library could not take it: {e:#}"),
    )
}

#[derive(serde::Deserialize)]
struct Search {
    q: Option<String>,
    page: Option<String>,
}

/// The page of the list asked for: 1 when none, an error page for one that is not a number.
fn requested_page(page: Option<&str>) -> Result<usize, Problem> {
    match page.map(str::trim) {
        None | Some("") => Ok(1),
        Some(text) => text.parse::<usize>().map_err(|_| {
            Problem::new(
                StatusCode::BAD_REQUEST,
                "No such page",
                &format!("The page must be a number from 1, not '{text}'."),
            )
            .with_link("/library", "The library")
        }),
    }
}

/// The links between the pages of the list (the search kept in them).
fn page_links(page: Page, query: &str) -> String {
    let address = |number: usize| {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        if !query.trim().is_empty() {
            pairs.append_pair("q", query);
        }
        if number > 1 {
            pairs.append_pair("page", &number.to_string());
        }
        let pairs = pairs.finish();
        if pairs.is_empty() {
            "/library".to_string()
        } else {
            esc(&format!("/library?{pairs}"))
        }
    };
    let mut links = Vec::new();
    if page.number > 1 {
        links.push(format!(
            "<a id=\"first-page\" href=\"{}\">« Newest</a>",
            address(1)
        ));
        links.push(format!(
            "<a id=\"newer\" rel=\"prev\" href=\"{}\">‹ Newer</a>",
            address(page.number - 1)
        ));
    }
    links.push(format!(
        "<span id=\"page-number\">Page {} of {}</span>",
        page.number,
        page.count()
    ));
    if page.number < page.count() {
        links.push(format!(
            "<a id=\"older\" rel=\"next\" href=\"{}\">Older ›</a>",
            address(page.number + 1)
        ));
        links.push(format!(
            "<a id=\"last-page\" href=\"{}\">Oldest »</a>",
            address(page.count())
        ));
    }
    format!("<p class=\"pages\" id=\"pages\">{}</p>", links.join(" · "))
}

/// The library's list (or a search's results), newest first, a page of 50 entries at a time
/// (the catalog's pages): an e-reader's browser gets a small page from a library of
/// thousands.
async fn library_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Search>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Problem> {
    let (csrf, cookie) = csrf_token(&headers);
    let search = query.ok().map(|Query(s)| s);
    let requested = requested_page(search.as_ref().and_then(|s| s.page.as_deref()))?;
    let query = search.and_then(|s| s.q).unwrap_or_default();
    let library = Arc::clone(&state.library);
    let terms = query.clone();
    // The index is read (and refreshed from the folder) on a blocking thread.
    let entries = tokio::task::spawn_blocking(move || {
        if terms.trim().is_empty() {
            library.list()
        } else {
            library.search(&terms)
        }
    })
    .await
    .map_err(|_| super::pages::internal_error())?;
    let mut body = format!(
        "<h1>Library</h1><form method=\"get\" action=\"/library\" id=\"search-form\">\
         <input type=\"search\" name=\"q\" id=\"q\" value=\"{}\" placeholder=\"Search titles, sites, text\">\
         <button type=\"submit\" id=\"search\">Search</button></form>",
        esc(&query)
    );
    if entries.is_empty() {
        body.push_str(if query.trim().is_empty() {
            "<p id=\"empty\">Nothing saved yet: <a href=\"/\">read an article</a> and save it.</p>"
        } else {
            "<p id=\"empty\">Nothing matches.</p>"
        });
        return Ok(page("Library", &body, cookie));
    }
    let shown = Page::of(requested, entries.len());
    let _ = write!(
        body,
        "<p class=\"meta\" id=\"count\">{} {}</p>",
        entries.len(),
        if entries.len() == 1 {
            "entry"
        } else {
            "entries"
        }
    );
    let newest_book = entries.iter().find(|e| e.kind == EntryKind::Book);
    if let Some(newest) = newest_book.filter(|_| query.trim().is_empty() && shown.number == 1) {
        let _ = write!(
            body,
            "<p class=\"meta\">Newest book: <a id=\"newest\" href=\"/library/{}\">{}</a></p>",
            newest.id,
            esc(&newest.title)
        );
    }
    let _ = write!(
        body,
        "<form method=\"post\" action=\"/library/book\" id=\"book-form\">{}\
         <table id=\"entries\"><tr><th></th><th>Title</th><th>Site</th><th>Date</th><th>Words</th></tr>",
        csrf_field(&csrf)
    );
    for entry in &entries[shown.range()] {
        let id = &entry.id;
        let date = entry.published.as_deref().unwrap_or(&entry.added);
        let date = date.get(..10).unwrap_or(date);
        let kind = if entry.kind == EntryKind::Book {
            " <em>(book)</em>"
        } else {
            ""
        };
        let _ = write!(
            body,
            "<tr id=\"entry-{id}\"><td><input type=\"checkbox\" name=\"id\" value=\"{id}\" \
             aria-label=\"select\"></td><td><a href=\"/library/{id}\">{title}</a>{kind}<br>\
             <span class=\"downloads\">{links}</span> \
             <button type=\"submit\" formaction=\"/library/{id}/delete\" id=\"delete-{id}\" class=\"small\" onclick=\"return confirm('Delete this entry?')\">Delete</button></td>\
             <td>{site}</td><td class=\"date\">{date}</td><td>{words}</td></tr>",
            title = esc(&entry.title),
            links = library_entry_links(entry),
            site = esc(entry.site.as_deref().unwrap_or("")),
            date = esc(date),
            words = entry.words,
        );
    }
    body.push_str(
        "</table><p><label for=\"book-title\">Book title</label>\
         <input type=\"text\" name=\"title\" id=\"book-title\" placeholder=\"Reading list\">\
         <button type=\"submit\" id=\"make-book\">Make a book of the selected ones</button></p></form>",
    );
    if shown.count() > 1 {
        body.push_str(&page_links(shown, &query));
    }
    Ok(page("Library", &body, cookie))
}

fn entry_or_404(state: &AppState, id: &str) -> Result<Entry, Problem> {
    state
        .library
        .entry(id)
        .ok_or_else(|| Problem::not_found(&format!("There is no entry '{id}' in the library.")))
}

async fn entry_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let entry = entry_or_404(&state, &id)?;
    let (csrf, cookie) = csrf_token(&headers);
    let library = Arc::clone(&state.library);
    let shown = entry.clone();
    // An article's text, its images pointed at the image route.
    let text = blocking(&state, move || {
        if shown.kind == EntryKind::Book {
            return Ok(String::new());
        }
        let mut document = library.document(&shown.id).map_err(|e| {
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Could not read the entry",
                &format!("{e:#}"),
            )
        })?;
        document.for_each_image_mut(&mut |image| {
            if library.image(&shown.id, &image.src).is_some() {
                image.src = format!("/library/{}/image/{}", shown.id, image.src);
            }
        });
        Ok(reading::fragment(&document))
    })
    .await?;
    let mut parts = Vec::new();
    parts.extend(byline_html(&entry.authors, entry.language.as_deref()));
    if let Some(site) = &entry.site {
        parts.push(format!("<span id=\"site\">{}</span>", esc(site)));
    }
    if let Some(date) = &entry.published {
        match quire::model::Date::parse_iso(date) {
            Some(date) => parts.push(time_html(&date, entry.language.as_deref())),
            None => parts.push(format!("<time id=\"date\">{}</time>", esc(date))),
        }
    }
    parts.push(format!("{} words", entry.words));
    let mut body = format!(
        "<article id=\"article\"><h1 id=\"title\">{}</h1><p class=\"meta\">{}</p>",
        esc(&entry.title),
        parts.join(" · ")
    );
    if let Some(source) = &entry.source_url {
        let _ = write!(
            body,
            "<p class=\"meta\">From <a href=\"{0}\" id=\"source\">{0}</a></p>",
            esc(source)
        );
    }
    if entry.kind == EntryKind::Book {
        let _ = write!(
            body,
            "<p><img id=\"cover\" src=\"/library/{}/cover\" alt=\"cover\" width=\"180\"></p>",
            entry.id
        );
    }
    if let Some(description) = &entry.description.as_ref().filter(|_| text.is_empty()) {
        let _ = write!(body, "<p>{}</p>", esc(description));
    }
    let _ = write!(
        body,
        "<p class=\"downloads\">Download: {}</p>{text}</article>\
         <form method=\"post\" action=\"/library/{}/delete\">{}\
         <button type=\"submit\" id=\"delete\">Delete from the library</button></form>",
        library_entry_links(&entry),
        entry.id,
        csrf_field(&csrf)
    );
    Ok(page(&entry.title, &body, cookie))
}

/// A file could not be read from the library's folder.
fn unreadable(e: &std::io::Error) -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Could not read it",
        &e.to_string(),
    )
}

/// An entry's file. One already in the library's folder (a book, an output made before) is
/// streamed from it without a conversion slot; a missing output is rendered (in a slot) and
/// kept first.
async fn entry_download(
    State(state): State<AppState>,
    Path((id, format)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let format = download_format(&format)?;
    let entry = entry_or_404(&state, &id)?;
    let Some(path) = state.library.output_path(&entry.id, format) else {
        return Err(Problem::not_found(&format!(
            "'{}' is not available as {format}.",
            entry.title
        )));
    };
    match download::file_attachment(&path, format, &entry.id).await {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        answer => return answer.map_err(|e| unreadable(&e)),
    }
    let library = Arc::clone(&state.library);
    let entry_id = entry.id.clone();
    let path = blocking(&state, move || {
        library.file(&entry_id, format).map_err(|e| {
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Could not write it",
                &format!("{e:#}"),
            )
        })
    })
    .await?;
    download::file_attachment(&path, format, &entry.id)
        .await
        .map_err(|e| unreadable(&e))
}

async fn entry_image(
    State(state): State<AppState>,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let path = state
        .library
        .image(&id, &name)
        .ok_or_else(|| Problem::not_found("No such image."))?;
    download::image(&path)
        .await
        .map_err(|_| Problem::not_found("No such image."))
}

async fn entry_cover(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    entry_or_404(&state, &id)?;
    let no_cover = || Problem::not_found("This entry has no cover.");
    let path = match state.library.saved_cover(&id) {
        Some(path) => path,
        None => {
            // A generated cover is drawn on first use: blocking work, in a slot.
            let library = Arc::clone(&state.library);
            blocking(&state, move || library.cover(&id).ok_or_else(no_cover)).await?
        }
    };
    download::image(&path).await.map_err(|_| no_cover())
}

async fn delete_entry(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let fields = Fields::parse(body, &state)?;
    check_change(&state, &headers, fields.get("csrf"))?;
    entry_or_404(&state, &id)?;
    let library = Arc::clone(&state.library);
    blocking(&state, move || {
        library.delete(&id).map_err(|e| {
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Could not delete it",
                &format!("{e:#}"),
            )
        })
    })
    .await?;
    Ok(Redirect::to("/library").into_response())
}

async fn make_book(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let fields = Fields::parse(body, &state)?;
    check_change(&state, &headers, fields.get("csrf"))?;
    let mut ids = Vec::new();
    for id in fields.all("id") {
        let entry = entry_or_404(&state, id)?;
        if entry.kind == EntryKind::Book {
            return Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "Not an article",
                &format!("'{}' is a book; a book is made of articles.", entry.title),
            ));
        }
        ids.push(entry.id);
    }
    if ids.is_empty() {
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "Nothing selected",
            "Check the articles the book is to hold, then make it.",
        )
        .with_link("/library", "Back to the library"));
    }
    let title = fields
        .get("title")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    let library = Arc::clone(&state.library);
    let entry = blocking(&state, move || {
        bind_book(&library, &ids, title).map_err(|e| {
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Could not make the book",
                &format!("{e:#}"),
            )
        })
    })
    .await?;
    Ok(Redirect::to(&format!("/library/{}", entry.id)).into_response())
}

/// A book (EPUB and KEPUB, as `quire bundle` makes them) of the articles `ids`, added to the
/// library as a Book entry.
fn bind_book(
    library: &crate::cli::library::Library,
    ids: &[String],
    title: Option<String>,
) -> anyhow::Result<Entry> {
    use quire::write::epub::{write_book, write_kepub_book, Book};
    let mut book = Book::default();
    let mut text = String::new();
    for id in ids {
        let document = library.document(id)?;
        let plain = quire::write(
            &document,
            OutputFormat::Text,
            &quire::WriteOptions::default(),
        )?;
        text.push_str(&String::from_utf8_lossy(&plain.bytes));
        text.push('\n');
        book.push(document, library.entry_dir(id));
    }
    let title = title.unwrap_or_else(|| match book.chapters.as_slice() {
        [one] => one
            .meta
            .title
            .clone()
            .unwrap_or_else(|| "Reading list".into()),
        _ => "Reading list".to_string(),
    });
    book.meta = quire::Meta {
        title: Some(title),
        description: Some(
            book.chapters
                .iter()
                .filter_map(|c| c.meta.title.clone())
                .collect::<Vec<_>>()
                .join(" · "),
        ),
        ..quire::Meta::default()
    };
    let options = quire::WriteOptions::default();
    let epub = write_book(&book, &options)?;
    let mut kobo = options.clone();
    kobo.epub.profile = quire::write::epub::Profile::Kobo;
    let kepub = write_kepub_book(&book, &kobo)?;
    library.add_book(NewBook {
        meta: book.meta.clone(),
        text,
        files: vec![
            (OutputFormat::Epub, epub.bytes),
            (OutputFormat::Kepub, kepub.bytes),
        ],
        cover: None,
    })
}

async fn clip(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let fields = Fields::parse(body, &state)?;
    let key = fields.get("key").unwrap_or("");
    if !guard::same_secret(key, &state.library.config().clip_key) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Wrong bookmarklet key",
            "This bookmarklet's key is not this library's: get the bookmarklet again from \
             the start page.",
        ));
    }
    let url = check_url(fields.get("url").unwrap_or(""))?;
    let html = fields.get("html").unwrap_or("").to_string();
    if html.len() as u64 > state.settings.max_upload {
        return Err(reading::too_large(state.settings.max_upload, "The page"));
    }
    let library = Arc::clone(&state.library);
    let remote = state.image_options();
    let entry = blocking(&state, move || {
        let preview = reading::read_clip(&url, html)?;
        library
            .add_article(
                preview.document,
                &ImageSourcing {
                    resource_dir: None,
                    remote: Some(remote),
                },
            )
            .map_err(|e| save_failed(&e))
    })
    .await?;
    Ok(Redirect::to(&format!("/library/{}", entry.id)).into_response())
}

async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let (csrf, cookie) = csrf_token(&headers);
    let body = if state.settings.token.is_none() {
        "<h1>Log in</h1><p>This server listens on loopback without a token: nothing to log \
         in to.</p>"
            .to_string()
    } else {
        format!(
            "<h1>Log in</h1><form method=\"post\" action=\"/login\" id=\"login-form\">{}\
             <label for=\"token\">Token (printed when the server started, or in the \
             library's config.toml)</label>\
             <input type=\"password\" name=\"token\" id=\"token\" required autocomplete=\"current-password\">\
             <button type=\"submit\" id=\"login\">Log in</button></form>",
            csrf_field(&csrf)
        )
    };
    page("Log in", &body, cookie)
}

async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let fields = Fields::parse(body, &state)?;
    guard::check_origin(&headers)?;
    let expected_csrf = guard::cookie(&headers, guard::CSRF_COOKIE);
    let csrf_ok = matches!((fields.get("csrf"), expected_csrf), (Some(g), Some(e)) if guard::same_secret(g, &e));
    if !csrf_ok {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Form expired",
            "The form's security token is missing or does not match: reload the page.",
        )
        .with_link("/login", "Log in"));
    }
    let Some(token) = &state.settings.token else {
        return Ok(Redirect::to("/").into_response());
    };
    let given = fields.get("token").unwrap_or("").trim();
    if !guard::same_secret(given, token) {
        return Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            "Wrong token",
            "That is not this server's token.",
        )
        .with_link("/login", "Try again"));
    }
    let mut response = Redirect::to("/").into_response();
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Strict",
        guard::TOKEN_COOKIE
    )) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    Ok(response)
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Problem> {
    let fields = Fields::parse(body, &state)?;
    check_change(&state, &headers, fields.get("csrf"))?;
    let mut response = Redirect::to("/").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("quire_token=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"),
    );
    Ok(response)
}

pub async fn not_found() -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "Not found",
        "There is no page at this address.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::library::valid_id;

    #[test]
    fn downloads_are_named_after_the_title() {
        assert_eq!(download_stem(Some("Tide tables: 1887")), "tide-tables-1887");
        assert_eq!(download_stem(Some("../..")), "article");
        assert_eq!(download_stem(None), "article");
    }

    #[test]
    fn the_bookmarklet_quotes_what_it_embeds() {
        let link = bookmarklet("http://127.0.0.1:8080", "k\"ey");
        assert!(link.starts_with("javascript:"));
        assert!(link.contains("f.action=\"http://127.0.0.1:8080/clip\""));
        assert!(link.contains("['key',\"k\\\"ey\"]"));
    }

    /// A server state over a library holding one article, its EPUB made, with every
    /// conversion slot taken.
    fn state_with_no_free_slot(dir: &std::path::Path) -> (AppState, String) {
        let library = crate::cli::library::Library::open(dir).unwrap();
        let document = quire::read(
            b"# Tide tables\n\nThe moon pulls the sea twice a day.\n",
            quire::InputFormat::Markdown,
            &quire::ReadOptions::default(),
        )
        .unwrap()
        .document;
        let entry = library
            .add_article(document, &ImageSourcing::default())
            .unwrap();
        library.file(&entry.id, OutputFormat::Epub).unwrap();
        let mut state = AppState::new(
            library,
            super::super::ServeSettings {
                token: None,
                loopback: true,
                allow_private: false,
                max_upload: 1 << 20,
            },
        );
        state.conversions = Arc::new(tokio::sync::Semaphore::new(0));
        (state, entry.id)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn files_on_disk_download_while_every_conversion_slot_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let (state, id) = state_with_no_free_slot(dir.path());
        let wait = std::time::Duration::from_secs(10);
        let epub = tokio::time::timeout(
            wait,
            entry_download(State(state.clone()), Path((id.clone(), "epub".to_string()))),
        )
        .await
        .expect("a kept EPUB is sent without waiting for a slot")
        .unwrap_or_else(|p| panic!("{}: {}", p.title, p.detail));
        assert_eq!(epub.status(), StatusCode::OK);
        let length = std::fs::metadata(dir.path().join(&id).join("article.epub"))
            .unwrap()
            .len();
        assert_eq!(
            epub.headers()[header::CONTENT_LENGTH],
            length.to_string().as_str()
        );
        assert_eq!(epub.headers()[header::CONTENT_TYPE], "application/epub+zip");
        // The generated cover is drawn in a slot the first time, then sent from disk.
        std::fs::write(
            dir.path().join(&id).join("cover.png"),
            b"\x89PNG\r\n\x1a\nrest",
        )
        .unwrap();
        let cover = tokio::time::timeout(wait, entry_cover(State(state.clone()), Path(id.clone())))
            .await
            .expect("a kept cover is sent without waiting for a slot")
            .unwrap_or_else(|p| panic!("{}: {}", p.title, p.detail));
        assert_eq!(cover.headers()[header::CONTENT_TYPE], "image/png");
        // A PDF not made yet must be rendered: that waits for a slot.
        let pdf = tokio::time::timeout(
            std::time::Duration::from_millis(500),
            entry_download(State(state), Path((id, "pdf".to_string()))),
        )
        .await;
        assert!(pdf.is_err(), "rendering a missing output takes a slot");
    }

    /// The authors in a page's header are listed as the article's own language lists names,
    /// each entry in its own: they were joined with ", " in every language ("张三, 李四, 王五").
    #[test]
    fn the_byline_lists_authors_in_the_articles_language() {
        let header = |language: &str, authors: &[&str]| {
            header_html(
                &quire::Meta {
                    title: Some("T".into()),
                    language: Some(language.into()),
                    authors: authors.iter().map(|a| a.to_string()).collect(),
                    ..quire::Meta::default()
                },
                None,
            )
        };
        let cases = [
            ("en", &["Ann", "Bob", "Cy"][..], "By Ann, Bob and Cy"),
            (
                "zh-CN",
                &["张三", "李四", "王五"][..],
                "By 张三、李四和王五",
            ),
            ("ar", &["ليلى حسن", "أحمد علي"][..], "By ليلى حسن وأحمد علي"),
        ];
        for (language, authors, byline) in cases {
            let page = header(language, authors);
            assert!(
                page.contains(&format!("<span id=\"byline\">{byline}</span>")),
                "{language}: {page}"
            );
        }
        assert!(!header("en", &[]).contains("byline"));
    }

    /// A saved entry's page lists its authors in its own language, the next entry's in its
    /// own.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_entry_page_lists_authors_in_the_entrys_language() {
        let dir = tempfile::tempdir().unwrap();
        let library = crate::cli::library::Library::open(dir.path()).unwrap();
        let mut ids = Vec::new();
        for (language, authors) in [
            ("zh", ["张三", "李四", "王五"]),
            ("de", ["Anna", "Bernd", "Clara"]),
        ] {
            let mut document = quire::read(
                b"# Tide tables\n\nThe moon pulls the sea twice a day.\n",
                quire::InputFormat::Markdown,
                &quire::ReadOptions::default(),
            )
            .unwrap()
            .document;
            document.meta.language = Some(language.into());
            document.meta.authors = authors.iter().map(|a| a.to_string()).collect();
            let entry = library
                .add_article(document, &ImageSourcing::default())
                .unwrap();
            ids.push(entry.id);
        }
        let state = AppState::new(
            library,
            super::super::ServeSettings {
                token: None,
                loopback: true,
                allow_private: false,
                max_upload: 1 << 20,
            },
        );
        let mut pages = Vec::new();
        for id in ids {
            let response = entry_page(State(state.clone()), HeaderMap::new(), Path(id))
                .await
                .unwrap_or_else(|p| panic!("{}: {}", p.title, p.detail));
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            pages.push(String::from_utf8(body.to_vec()).unwrap());
        }
        assert!(
            pages[0].contains("<span id=\"byline\">By 张三、李四和王五</span>"),
            "{}",
            pages[0]
        );
        assert!(
            pages[1].contains("<span id=\"byline\">By Anna, Bernd und Clara</span>"),
            "{}",
            pages[1]
        );
    }

    #[test]
    fn only_known_formats_download() {
        assert_eq!(download_format("kepub").unwrap(), OutputFormat::Kepub);
        assert!(download_format("json").is_err());
        assert!(download_format("../epub").is_err());
        assert!(valid_id("abc-1"));
    }
}
