//! The server's safety rules, in one place:
//!
//! - **Host**: on loopback, a request must name a loopback host (`localhost`, `127.0.0.1`,
//!   `[::1]`), so a web page whose name was re-pointed at 127.0.0.1 (DNS rebinding) cannot
//!   use the server as its own origin.
//! - **Token**: when the server has one (any bind beyond loopback), every change needs it,
//!   from the login page's cookie (HttpOnly, SameSite=Strict) or an
//!   `Authorization: Bearer` header. Reading pages and downloading needs none.
//! - **CSRF**: every form carries a token that must match the browser's `quire_csrf` cookie
//!   (SameSite=Strict, so another site's page neither sends nor reads it), and a POST whose
//!   `Origin` or `Referer` names another host is refused. A request with a valid bearer
//!   token comes from a program, not a browser's ambient cookies: it needs no CSRF token.
//! - The bookmarklet's `/clip` is posted from the page it clips, another site: it proves
//!   itself with the library's clip key instead.
//! - A panic in a handler answers 500 and the server goes on.

use super::pages::{self, Problem};
use super::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};

pub const TOKEN_COOKIE: &str = "quire_token";
pub const CSRF_COOKIE: &str = "quire_csrf";

/// Compares secrets in time independent of where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A cookie's value from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// How a request is allowed to make changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authorized {
    /// Through the browser (no token needed, or the login cookie): forms need their CSRF
    /// token.
    Browser,
    /// With `Authorization: Bearer`: a program; no CSRF token needed.
    Bearer,
}

/// Whether the request may make changes; 401 with a page pointing to the login when not.
pub fn authorize(state: &AppState, headers: &HeaderMap) -> Result<Authorized, Problem> {
    let Some(token) = &state.settings.token else {
        return Ok(Authorized::Browser);
    };
    if let Some(given) = bearer(headers) {
        return if same_secret(given, token) {
            Ok(Authorized::Bearer)
        } else {
            Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "Wrong token",
                "The token sent in the Authorization header is not this server's.",
            ))
        };
    }
    match cookie(headers, TOKEN_COOKIE) {
        Some(given) if same_secret(&given, token) => Ok(Authorized::Browser),
        _ => Err(Problem::new(
            StatusCode::UNAUTHORIZED,
            "Log in first",
            "Changes to this library need its token: log in on the login page.",
        )
        .with_link("/login", "Log in")),
    }
}

/// Whether the request carries the token (for pages that show secrets, like the
/// bookmarklet's key, only to its owner).
pub fn is_owner(state: &AppState, headers: &HeaderMap) -> bool {
    authorize(state, headers).is_ok()
}

/// The CSRF token of this browser: its cookie, or a new one (then `Set-Cookie` is
/// returned with it, to put on the page's response).
pub fn csrf_token(headers: &HeaderMap) -> (String, Option<HeaderValue>) {
    match cookie(headers, CSRF_COOKIE).filter(|c| c.len() == 32) {
        Some(token) => (token, None),
        None => {
            let token = super::super::library::random_hex(16);
            let cookie = format!("{CSRF_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
            (token, HeaderValue::from_str(&cookie).ok())
        }
    }
}

/// The checks of every change made through a form: the token (when the server has one),
/// the origin, and the CSRF token `given` in the form.
pub fn check_change(
    state: &AppState,
    headers: &HeaderMap,
    given: Option<&str>,
) -> Result<(), Problem> {
    let how = authorize(state, headers)?;
    if how == Authorized::Bearer {
        return Ok(());
    }
    check_origin(headers)?;
    let expected = cookie(headers, CSRF_COOKIE);
    match (given, expected) {
        (Some(given), Some(expected)) if !given.is_empty() && same_secret(given, &expected) => {
            Ok(())
        }
        _ => Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Form expired",
            "The form's security token is missing or does not match this browser's: \
             reload the page and try again.",
        )
        .with_link("/", "Back to the start page")),
    }
}

/// A POST whose `Origin` (else `Referer`) names another host than the one asked is
/// refused: a page of another site submitted it.
pub fn check_origin(headers: &HeaderMap) -> Result<(), Problem> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    let Some(claimed) = claimed else {
        return Ok(());
    };
    if same_origin(claimed, host) {
        Ok(())
    } else {
        Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Sent from another site",
            "This form was submitted from a page of another site; quire only takes changes \
             from its own pages.",
        ))
    }
}

/// Whether the page address `claimed` (an Origin or a Referer) is on the server the `host`
/// header names. Host names compare case-insensitively and ports with the scheme's default
/// filled in: `Host: x:80` is the origin `http://x`, and `Host: x` (behind a proxy that
/// speaks TLS) is `https://x`.
fn same_origin(claimed: &str, host: &str) -> bool {
    let Ok(claimed) = url::Url::parse(claimed) else {
        return false;
    };
    // The Host header is an authority alone: anything else in it is no host of ours.
    if host.is_empty() || host.contains(['/', '\\', '@', '?', '#']) {
        return false;
    }
    // Read as an address of the claimed scheme, the host gets the same normalising (case,
    // IPv6 brackets, a default port dropped) as the claimed origin.
    let Ok(asked) = url::Url::parse(&format!("{}://{host}/", claimed.scheme())) else {
        return false;
    };
    claimed.host_str().is_some()
        && claimed.host_str() == asked.host_str()
        && claimed.port_or_known_default() == asked.port_or_known_default()
}

/// On a loopback bind, a request must name a loopback host.
pub async fn check_host(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if state.settings.loopback {
        let host = request
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let name = match host.rsplit_once(':') {
            Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
            _ => host,
        };
        let name = name.to_ascii_lowercase();
        let loopback = matches!(name.as_str(), "localhost" | "[::1]")
            || name
                .parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| ip.is_loopback());
        if !loopback {
            return Problem::new(
                StatusCode::MISDIRECTED_REQUEST,
                "Unknown host",
                "This server listens on loopback only and answers requests for localhost \
                 or 127.0.0.1.",
            )
            .into_response();
        }
    }
    next.run(request).await
}

/// Runs the rest of the stack, answering 500 if it panics (the server goes on).
pub async fn catch_panic(request: Request, next: Next) -> Response {
    match (CatchUnwind {
        inner: Box::pin(next.run(request)),
    })
    .await
    {
        Ok(response) => response,
        Err(()) => pages::internal_error().into_response(),
    }
}

/// A future that turns a panic while it is polled into `Err(())`.
struct CatchUnwind<F> {
    inner: Pin<Box<F>>,
}

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, ()>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.inner.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(_) => Poll::Ready(Err(())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
        assert!(!same_secret("", "a"));
    }

    #[test]
    fn origins_must_be_the_host_asked() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(
            check_origin(&headers).is_ok(),
            "no Origin: a plain form post"
        );
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:8080"),
        );
        assert!(check_origin(&headers).is_ok());
        headers.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example:8080"),
        );
        assert!(check_origin(&headers).is_err());
        headers.remove(header::ORIGIN);
        headers.insert(
            header::REFERER,
            HeaderValue::from_static("http://127.0.0.1:9999/page"),
        );
        assert!(
            check_origin(&headers).is_err(),
            "another port is another origin"
        );
    }

    #[test]
    fn origins_compare_with_default_ports_filled_in() {
        for (origin, host) in [
            ("http://x", "x:80"),
            ("http://x:80", "x"),
            ("http://X.example", "x.EXAMPLE"),
            ("https://x", "x:443"),
            ("https://x", "x"),
            ("http://[::1]:8080", "[::1]:8080"),
            ("http://[::1]", "[::1]:80"),
            ("http://127.0.0.1:8080/a/page?q=1", "127.0.0.1:8080"),
        ] {
            assert!(same_origin(origin, host), "{origin} on {host}");
        }
        for (origin, host) in [
            ("http://x", "x:8080"),
            ("http://x:8080", "x"),
            ("https://x", "x:80"),
            ("http://x", "y"),
            ("http://x", ""),
            ("http://x", "x/evil"),
            ("http://x", "evil@x"),
            ("null", "x"),
            ("file:///etc/passwd", "x"),
        ] {
            assert!(!same_origin(origin, host), "{origin} on {host}");
        }
    }

    #[test]
    fn a_panic_while_answering_becomes_an_error() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let panicked = runtime.block_on(CatchUnwind {
            inner: Box::pin(async { panic!("a handler's bug") }),
        });
        assert!(panicked.is_err());
        let answered = runtime.block_on(CatchUnwind {
            inner: Box::pin(async { 7 }),
        });
        assert_eq!(answered, Ok(7));
    }

    #[test]
    fn cookies_are_found_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; quire_csrf=xyz; quire_token=t"),
        );
        assert_eq!(cookie(&headers, CSRF_COOKIE).as_deref(), Some("xyz"));
        assert_eq!(cookie(&headers, "quire").as_deref(), None);
    }
}
