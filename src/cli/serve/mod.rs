//! `quire serve`: the reading library in a browser. A page to paste a URL or drop a file and
//! read what quire makes of it ([`routes`]), download it or save it to the [`Library`]; the
//! library's list with search, delete and "make a book"; a bookmarklet that sends the page a
//! browser shows. [`guard`] holds the safety rules (token, login, CSRF, origins).
//!
//! It lives in the binary, not the library crate, so a program embedding quire gets no async
//! runtime. The server is axum on tokio; every conversion (fetching with ureq, reading,
//! rendering) runs on tokio's blocking threads, at most [`AppState::conversions`] at a time.

mod guard;
mod pages;
mod reading;
mod routes;

use super::args::ServeArgs;
use super::library::Library;
use super::terminal::say;
use axum::Router;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// The blocking threads the server may use: the conversion slots (at most 8) and file
/// reads for downloads, which queue beyond this rather than each get a thread.
const MAX_BLOCKING_THREADS: usize = 32;

pub use reading::Previews;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub library: Arc<Library>,
    pub settings: Arc<ServeSettings>,
    /// Documents read but not saved, kept a while so their downloads work.
    pub previews: Arc<Mutex<Previews>>,
    /// Conversions run at a time (each holds a whole document and a blocking thread).
    pub conversions: Arc<Semaphore>,
}

/// The server's settings, checked.
#[derive(Debug, Clone)]
pub struct ServeSettings {
    /// The token changes need; `None` on loopback without `--token` (then the CSRF token
    /// and the origin check alone guard changes).
    pub token: Option<String>,
    /// Whether the server listens on loopback only (then requests must name a loopback
    /// host, which stops DNS rebinding).
    pub loopback: bool,
    /// Fetch from private and loopback addresses too.
    pub allow_private: bool,
    /// The largest upload, clipped page or fetched page, in bytes.
    pub max_upload: u64,
}

impl AppState {
    /// The state for a library and settings.
    pub fn new(library: Library, settings: ServeSettings) -> AppState {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        AppState {
            library: Arc::new(library),
            settings: Arc::new(settings),
            previews: Arc::new(Mutex::new(Previews::default())),
            conversions: Arc::new(Semaphore::new(cores.clamp(2, 8))),
        }
    }

    /// The options pages are fetched with: the size cap, and private addresses refused
    /// unless `--allow-private` (a page typed into a server is not typed by its owner).
    pub fn fetch_options(&self) -> quire::net::FetchOptions {
        quire::net::FetchOptions {
            max_bytes: self.settings.max_upload,
            private: if self.settings.allow_private {
                quire::net::PrivateAddresses::Allowed
            } else {
                quire::net::PrivateAddresses::Refused
            },
            ..quire::net::FetchOptions::default()
        }
    }

    /// The options images are downloaded with, under the same rule.
    pub fn image_options(&self) -> quire::net::ImageFetchOptions {
        quire::net::ImageFetchOptions {
            allow_private: self.settings.allow_private,
            ..quire::net::ImageFetchOptions::default()
        }
    }
}

/// Every route of the server, with the safety layers around them.
pub fn router(state: AppState) -> Router {
    routes::routes()
        .merge(super::opds::routes().with_state(Arc::clone(&state.library)))
        .fallback(routes::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            guard::check_host,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(
            usize::try_from(state.settings.max_upload)
                .unwrap_or(usize::MAX)
                // The form around a page (its URL, the keys, the encoding's escapes).
                .saturating_mul(3)
                .saturating_add(64 * 1024),
        ))
        .layer(axum::middleware::from_fn(guard::catch_panic))
        .with_state(state)
}

/// The download links of a library entry (HTML), one per format it has.
pub fn library_entry_links(entry: &super::library::Entry) -> String {
    routes::DOWNLOADS
        .iter()
        .filter(|(_, format, _)| entry.formats.contains(format))
        .map(|(name, _, label)| {
            format!(
                "<a class=\"button\" id=\"download-{name}-{id}\" href=\"/library/{id}/download/{name}\">{label}</a>",
                id = entry.id
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `$XDG_DATA_HOME/quire/library`, else `~/.local/share/quire/library`.
fn default_library() -> Option<PathBuf> {
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(data.join("quire").join("library"))
}

pub fn run(args: ServeArgs) -> ExitCode {
    let Some(root) = args.library.clone().or_else(default_library) else {
        say("quire: no library folder: give --library DIR (neither XDG_DATA_HOME nor HOME is set)");
        return ExitCode::from(2);
    };
    let library = match Library::open(&root) {
        Ok(library) => library,
        Err(e) => {
            say(&format!("quire: {e:#}"));
            return ExitCode::FAILURE;
        }
    };
    let loopback = args.bind.ip().is_loopback();
    // Beyond loopback a token is required: given, from the library's config, else made now.
    let mut printed_token = None;
    let token = match (args.token.clone(), library.config().token.clone()) {
        (Some(token), _) => Some(token),
        (None, Some(token)) if !loopback => Some(token),
        (None, _) if !loopback => {
            let token = super::library::random_hex(16);
            printed_token = Some(token.clone());
            Some(token)
        }
        (None, _) => None,
    };
    if token.as_deref().is_some_and(|t| t.trim().is_empty()) {
        say("quire: --token must not be empty");
        return ExitCode::from(2);
    }
    let settings = ServeSettings {
        token,
        loopback,
        allow_private: args.allow_private,
        max_upload: args.max_upload,
    };
    let state = AppState::new(library, settings);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        // Conversions (at most `conversions` at a time) and file reads run on blocking
        // threads. tokio's default allows 512 of them: under 200 downloads at once it made
        // a thread per read in flight, and the server's memory rose by half with them.
        .max_blocking_threads(MAX_BLOCKING_THREADS)
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            say(&format!("quire: cannot start the server: {e}"));
            return ExitCode::FAILURE;
        }
    };
    let header_timeout = std::time::Duration::from_millis(args.header_timeout_ms.max(1));
    let served = runtime.block_on(serve(state, args.bind, header_timeout, printed_token));
    // Conversions under way on blocking threads finish their atomic writes or are
    // abandoned whole: nothing half-written stays.
    runtime.shutdown_timeout(std::time::Duration::from_secs(5));
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say(&format!("quire: {e:#}"));
            ExitCode::FAILURE
        }
    }
}

/// Serves connections until a signal; then stops taking new ones and waits for the
/// requests under way. Each connection is served by hyper's HTTP/1 builder with a deadline
/// for a request's head: a client that sends it slowly (or opens a connection and says
/// nothing) is disconnected then, instead of holding a connection for ever.
async fn serve(
    state: AppState,
    bind: SocketAddr,
    header_timeout: std::time::Duration,
    printed_token: Option<String>,
) -> anyhow::Result<()> {
    use anyhow::Context;
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let address = listener.local_addr()?;
    let root = state.library.root().display().to_string();
    say(&format!("quire: serving the library {root}"));
    if let Some(token) = &printed_token {
        say(&format!(
            "quire: changes need this token (log in at /login, or send 'Authorization: Bearer {token}'): {token}"
        ));
    }
    // Tests and scripts read the address from this line (port 0 picks a free one).
    say(&format!("quire: listening on http://{address}/"));
    let app = router(state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    let connections = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(shutdown_signal());
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors, or a connection reset before it was taken:
                    // wait a moment rather than spin, and go on.
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let _ = stream.set_nodelay(true);
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = connections.watch(connection);
        tokio::spawn(async move {
            // A client that goes away or is too slow ends its own connection only.
            let _ = connection.await;
        });
    }
    drop(listener);
    connections.shutdown().await;
    say("quire: stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM (or SIGHUP): stop taking connections, finish the requests under way.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{signal, SignalKind};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) {
            (Ok(mut term), Ok(mut hup)) => {
                tokio::select! {
                    _ = term.recv() => {},
                    _ = hup.recv() => {},
                }
            }
            _ => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
