//! Fetching over HTTP(S): documents (`quire convert https://…`, `--urls FILE`, JSONL `"url"`
//! items) and remote images for the books that embed them.
//!
//! One blocking GET with the limits a converter needs against an arbitrary server: a total
//! timeout, a cap on redirects and on the body size, a user agent, only `http` and `https`.
//! The caller gets the bytes as sent plus what the response said about them (the final URL
//! after redirects, which is the base for relative links; the declared charset and media type),
//! and decodes them like any other input. Nothing here prints, and nothing here knows about
//! readers or writers: `net` is below them (the media store uses its image fetcher).
//!
//! The client (ureq) is the cargo feature `net`, on by default. Without it the types remain
//! and [`fetch`] fails with a message saying so.
//!
//! Addresses: a page must not make quire reach into the network it runs in (a router's admin
//! page, a cloud metadata service, `http://127.1/internal-admin/delete?id=1`). Every hop of a
//! fetch (redirects included) is checked after DNS resolution, and quire connects only to the
//! addresses it checked, so a name that resolves differently the second time (DNS rebinding)
//! cannot slip through. [`PrivateAddresses`] says what is allowed: the URL a user typed may
//! itself be private (`http://localhost:8000/page`), and then so may its redirects and images;
//! a public page's images and redirects may not, unless the user allows it (`--allow-private`).
//! Behind an HTTP proxy (`HTTP_PROXY`…) the proxy resolves names, so only hosts written as
//! addresses (and `localhost`) can be judged; the proxy itself is reached wherever it is.
//!
//! Logins: a [`CookieJar`] (`--cookies FILE`) adds the cookies that match each request, on
//! every hop and for the page's images; [`FetchOptions::headers`] (`--header`) go with the
//! page's requests to the host the URL names (not to another host a redirect leads to, as
//! curl does with credentials), never with images.
//!
//! Many fetches (`quire feed`): a [`PoliteFetcher`] shared by threads adds a per-host limit,
//! retries with backoff, conditional requests and gzip on top of the same request opener
//! (see `net/polite.rs`); [`Fetched::validators`] is what it sends back next time.
//!
//! Images: `ImageFetcher` downloads one book's remote images within a per-image size cap, a
//! byte budget for all of them and a deadline for all of them, and streams each to a temporary
//! file, so a page of a hundred huge images neither fills memory nor takes forever.

mod cookies;
mod polite;

pub use cookies::{CookieFileError, CookieJar};
pub use polite::{Conditional, PoliteFetcher, PoliteOptions, Validators};

use crate::error::{Error, Result};
#[cfg(feature = "net")]
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
#[cfg(feature = "net")]
use std::sync::atomic::{AtomicU64, Ordering};
#[cfg(feature = "net")]
use std::sync::{Arc, Mutex};
use std::time::Duration;
#[cfg(feature = "net")]
use std::time::Instant;
#[cfg(feature = "net")]
use ureq::http::Uri;
#[cfg(feature = "net")]
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
#[cfg(feature = "net")]
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};

/// Which addresses a fetch may connect to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum PrivateAddresses {
    /// Only public (globally routable) addresses, on every hop: a page's images.
    Refused,
    /// Any address (`--allow-private`, or the images of a page that was itself private).
    Allowed,
    /// The URL the user typed: when its host is private (all its addresses are), the whole
    /// exchange may be; when it is public, its redirects may not lead to a private address.
    #[default]
    IfTyped,
}

/// Limits and identity for a fetch. `Default` suits fetching articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchOptions {
    /// The whole exchange (connect, redirects, headers, body) must finish within this.
    pub timeout: Duration,
    /// Connecting to one host must finish within this.
    pub connect_timeout: Duration,
    /// A body larger than this is refused, not truncated.
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// Which addresses may be connected to.
    pub private: PrivateAddresses,
    /// Socket addresses taken as public though their IP is not: for tests that serve a
    /// "public" page from 127.0.0.1 to check the rules above. Empty by default.
    pub treat_as_public: Vec<SocketAddr>,
    /// Headers sent with every request to the typed URL's host (checked by [`parse_header`]).
    pub headers: Vec<(String, String)>,
    /// Cookies sent where they match, on every hop.
    pub cookies: Option<std::sync::Arc<CookieJar>>,
}

/// Reads a `Name: value` header as `--header` takes it. Refuses what is not a header: a
/// missing colon, a name that is not an HTTP token, a value holding a line break or another
/// control character (which would smuggle a second header or request into the exchange),
/// and the headers that frame the message itself.
pub fn parse_header(text: &str) -> std::result::Result<(String, String), String> {
    let Some((name, value)) = text.split_once(':') else {
        return Err(format!("'{text}' is not a header: expected 'Name: value'"));
    };
    let name = name.trim();
    if name.is_empty() || !name.bytes().all(cookies::is_token_byte) {
        return Err(format!(
            "'{name}' is not a header name (letters, digits and -)"
        ));
    }
    let value = value.trim_matches([' ', '\t']);
    if value.bytes().any(|b| b.is_ascii_control() && b != b'\t') {
        return Err(format!(
            "the value of header '{name}' holds a line break or control character"
        ));
    }
    for framing in ["content-length", "transfer-encoding", "connection", "host"] {
        if name.eq_ignore_ascii_case(framing) {
            return Err(format!(
                "header '{name}' cannot be set: quire sends its own"
            ));
        }
    }
    Ok((name.to_string(), value.to_string()))
}

/// The body limit by default: far above any article, well below what would strain memory.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: DEFAULT_MAX_BYTES,
            max_redirects: 10,
            user_agent: concat!("quire/", env!("CARGO_PKG_VERSION")).to_string(),
            private: PrivateAddresses::IfTyped,
            treat_as_public: Vec::new(),
            headers: Vec::new(),
            cookies: None,
        }
    }
}

/// A fetched body and what the server said about it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Fetched {
    /// The response body (at most `FetchOptions::max_bytes`).
    pub bytes: Vec<u8>,
    /// The URL the body came from after redirects: the base for the page's relative links.
    pub final_url: String,
    /// The `charset` parameter of `Content-Type`, when the server sent one.
    pub charset: Option<String>,
    /// The media type of `Content-Type` without parameters (`text/html`), lowercased.
    pub media_type: Option<String>,
    /// The body came from a private address (the user typed a private URL, or allowed private
    /// addresses): the page's images may then be fetched from private addresses too.
    pub private: bool,
    /// The response's `ETag` and `Last-Modified`, for a later conditional request
    /// ([`PoliteFetcher::fetch_if_changed`]).
    pub validators: Validators,
}

#[cfg(feature = "net")]
/// Fetches `url` with a GET. Fails with [`Error::Fetch`] (naming the URL) on a scheme other
/// than http/https, an address the options refuse, a network failure, a timeout, too many
/// redirects, a status other than 2xx, or a body over the limit.
pub fn fetch(url: &str, options: &FetchOptions) -> Result<Fetched> {
    open(url, options, &HopExtras::default())
        .and_then(|opened| read_body(opened, options))
        .map_err(|failure| Error::Fetch {
            url: url.to_string(),
            message: failure.message,
        })
}

#[cfg(feature = "net")]
/// Reads an opened response's body within `options.max_bytes` (counted after gzip is
/// decoded, so a small compressed body that inflates past the cap is refused).
fn read_body(
    mut opened: Opened,
    options: &FetchOptions,
) -> std::result::Result<Fetched, FetchFailure> {
    let validators = Validators::of_response(&opened.response);
    let body = opened.response.body_mut();
    let charset = body.charset().map(str::to_string);
    let media_type = body.mime_type().map(str::to_ascii_lowercase);
    // A declared length is of the bytes as sent: past the cap, the body is too big whether
    // or not it is compressed.
    if let Some(length) = body.content_length() {
        if length > options.max_bytes {
            return Err(FetchFailure::permanent(too_big(options.max_bytes)));
        }
    }
    let bytes = body
        .with_config()
        .limit(options.max_bytes)
        .read_to_vec()
        .map_err(|e| FetchFailure::of_error(e, options))?;
    Ok(Fetched {
        bytes,
        final_url: opened.final_url,
        charset,
        media_type,
        private: opened.private,
        validators,
    })
}

/// How many times [`fetch_page`] follows a page's refresh: a stub may lead to another (a
/// shortener's to a moved page's), no further.
const MAX_REFRESHES: u32 = 3;

/// Fetches a web page as [`fetch`] does, and when what comes back is an HTML page that sends
/// its reader on at once (`<meta http-equiv="refresh" content="0; url=…">`: a moved page's
/// stub, a link shortener's answer to a client that is no browser), fetches where it points,
/// as a browser would: a few times at most, under the rules of an HTTP redirect (a public
/// page cannot lead to a private address; headers given for the typed URL's host are sent
/// to that host only).
pub fn fetch_page(url: &str, options: &FetchOptions) -> Result<Fetched> {
    let fetched = fetch(url, options)?;
    follow_refreshes(url, fetched, options, fetch)
}

/// What [`fetch_page`] does once `typed`, the URL the user gave, has been fetched: follows
/// the refreshes of what came back with `fetch_next`, under the options the rules leave for
/// each hop.
fn follow_refreshes(
    typed: &str,
    mut fetched: Fetched,
    options: &FetchOptions,
    mut fetch_next: impl FnMut(&str, &FetchOptions) -> Result<Fetched>,
) -> Result<Fetched> {
    let typed_host = url::Url::parse(typed)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string));
    let mut options = options.clone();
    for _ in 0..MAX_REFRESHES {
        let html = fetched
            .media_type
            .as_deref()
            .is_none_or(|t| t.contains("html"));
        let Some(target) = html
            .then(|| crate::dom::refresh::refresh_in_head(&fetched.bytes))
            .flatten()
        else {
            break;
        };
        let Ok(next) = url::Url::parse(&fetched.final_url).and_then(|base| base.join(&target))
        else {
            break;
        };
        let without_fragment = |u: &str| u.split('#').next().unwrap_or_default().to_string();
        if without_fragment(next.as_str()) == without_fragment(&fetched.final_url) {
            break;
        }
        if options.private == PrivateAddresses::IfTyped {
            options.private = if fetched.private {
                PrivateAddresses::Allowed
            } else {
                PrivateAddresses::Refused
            };
        }
        if next.host_str() != typed_host.as_deref() {
            options.headers.clear();
        }
        fetched = fetch_next(next.as_str(), &options)?;
    }
    Ok(fetched)
}

/// Without the `net` feature nothing is fetched: the error says so.
#[cfg(not(feature = "net"))]
pub fn fetch(url: &str, options: &FetchOptions) -> Result<Fetched> {
    let _ = options;
    Err(Error::Fetch {
        url: url.to_string(),
        message: "this quire was built without network support (the `net` feature)".to_string(),
    })
}

#[cfg(feature = "net")]
/// A response whose body is still to be read, and where it came from.
struct Opened {
    response: ureq::http::Response<ureq::Body>,
    final_url: String,
    /// Some hop connected to a private address.
    private: bool,
    /// The slot at the final host, held until the body has been read (dropped with this).
    _slot: Option<polite::HostSlot>,
}

#[cfg(feature = "net")]
/// What a caller may add to the hops of [`open`]; nothing by default, as [`fetch`] does.
#[derive(Default)]
struct HopExtras<'a> {
    /// Sent as `If-None-Match` / `If-Modified-Since` on every hop.
    known: Option<&'a Validators>,
    /// Each hop waits for a slot at its host and holds it while it is in flight.
    slots: Option<&'a polite::HostSlots>,
    /// Counts every request sent.
    requests: Option<&'a AtomicU64>,
}

#[cfg(feature = "net")]
/// Why a request failed: the message for the user, and whether trying again may help.
#[derive(Debug)]
struct FetchFailure {
    message: String,
    /// A timeout, a dropped connection, 429 or a 5xx that says the server is busy or down
    /// for a while; not a refusal, a 4xx, a body too big or a bad URL.
    transient: bool,
    /// The server's `Retry-After`, when it sent one with the status.
    retry_after: Option<Duration>,
}

#[cfg(feature = "net")]
impl FetchFailure {
    fn permanent(message: String) -> FetchFailure {
        FetchFailure {
            message,
            transient: false,
            retry_after: None,
        }
    }

    /// A ureq error: timeouts and failed or dropped connections may pass.
    fn of_error(error: ureq::Error, options: &FetchOptions) -> FetchFailure {
        let transient = match &error {
            ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed | ureq::Error::BodyStalled => {
                true
            }
            ureq::Error::Io(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::InvalidData
            ),
            _ => false,
        };
        FetchFailure {
            message: describe(error, options),
            transient,
            retry_after: None,
        }
    }
}

#[cfg(feature = "net")]
/// Sends the GET and follows redirects one hop at a time, each hop's host checked before
/// and after DNS resolution. A status of 400 or more fails here, with its `Retry-After`.
fn open(
    url: &str,
    options: &FetchOptions,
    extras: &HopExtras<'_>,
) -> std::result::Result<Opened, FetchFailure> {
    let started = Instant::now();
    // Time spent waiting for a slot at a host is not the exchange's: the timeout is not
    // shortened by a queue.
    let mut queued = Duration::ZERO;
    let mut current =
        url::Url::parse(url).map_err(|e| FetchFailure::permanent(format!("not a URL: {e}")))?;
    // Whether the hops to come may connect to private addresses; `None` until the typed
    // URL's own hop has said (`IfTyped`).
    let mut allow_private = match options.private {
        PrivateAddresses::Refused => Some(false),
        PrivateAddresses::Allowed => Some(true),
        PrivateAddresses::IfTyped => None,
    };
    let mut any_private = false;
    let mut redirects = 0;
    let typed_origin = current.origin();
    let mut slot = None;
    loop {
        if !matches!(current.scheme(), "http" | "https") {
            return Err(FetchFailure::permanent(format!(
                "only http and https URLs can be fetched, not {}:",
                current.scheme()
            )));
        }
        // A literal address or `localhost` is refused before any connection; this is also
        // the only check possible when a proxy resolves names.
        let literal = host_kind(&current, &options.treat_as_public);
        if let (Some(false), Some(kind)) = (allow_private, literal) {
            return Err(FetchFailure::permanent(refusal(
                current.host_str().unwrap_or_default(),
                kind,
                None,
            )));
        }
        if let Some(slots) = extras.slots {
            // The previous hop's slot goes first: holding one host's while waiting for
            // another's could deadlock two redirects that cross.
            drop(slot.take());
            let waiting = Instant::now();
            slot = Some(slots.acquire(&current));
            queued += waiting.elapsed();
        }
        let remaining = options
            .timeout
            .checked_sub(started.elapsed().saturating_sub(queued))
            .filter(|left| !left.is_zero())
            .ok_or_else(|| FetchFailure {
                message: timed_out(options),
                transient: true,
                retry_after: None,
            })?;
        let hop = Arc::new(Mutex::new(Hop::default()));
        let resolver = CheckingResolver {
            allow_private,
            treat_as_public: options.treat_as_public.clone(),
            hop: Arc::clone(&hop),
        };
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(remaining))
            .timeout_connect(Some(options.connect_timeout))
            // Redirects are followed here, so that each hop is checked.
            .max_redirects(0)
            .user_agent(options.user_agent.as_str())
            // Statuses are judged below, where the response's headers (Retry-After) are
            // still at hand.
            .http_status_as_error(false)
            .build();
        let agent = ureq::Agent::with_parts(config, DefaultConnector::default(), resolver);
        let mut request = agent.get(current.as_str());
        let mut cookie = options
            .cookies
            .as_ref()
            .and_then(|jar| jar.header_for(&current));
        let mut accept_given = false;
        if current.origin() == typed_origin {
            for (name, value) in &options.headers {
                if name.eq_ignore_ascii_case("cookie") {
                    // One Cookie header: the user's own, then the jar's.
                    cookie = Some(match cookie {
                        Some(jar) => format!("{value}; {jar}"),
                        None => value.clone(),
                    });
                    continue;
                }
                accept_given |= name.eq_ignore_ascii_case("accept");
                request = request.header(name.as_str(), value.as_str());
            }
        }
        if !accept_given {
            request = request.header(
                "Accept",
                "text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.8,*/*;q=0.5",
            );
        }
        if let Some(cookie) = cookie {
            request = request.header("Cookie", cookie);
        }
        if let Some(known) = extras.known {
            if let Some(etag) = &known.etag {
                request = request.header("If-None-Match", etag.as_str());
            }
            if let Some(date) = &known.last_modified {
                request = request.header("If-Modified-Since", date.as_str());
            }
        }
        if let Some(requests) = extras.requests {
            requests.fetch_add(1, Ordering::SeqCst);
        }
        let result = request.call();
        let hop = std::mem::take(&mut *hop.lock().unwrap_or_else(|e| e.into_inner()));
        let response = match result {
            Ok(response) => response,
            Err(e) => {
                return Err(match hop.refused {
                    Some(refused) => FetchFailure::permanent(refused),
                    None => FetchFailure::of_error(e, options),
                })
            }
        };
        let private_hop = hop.private || literal.is_some();
        any_private |= private_hop;
        if allow_private.is_none() {
            allow_private = Some(private_hop);
        }
        let status = response.status().as_u16();
        if status >= 400 {
            return Err(FetchFailure {
                message: format!("the server answered HTTP {status}"),
                transient: matches!(status, 429 | 500 | 502 | 503 | 504),
                retry_after: polite::retry_after(&response),
            });
        }
        let location = matches!(status, 301 | 302 | 303 | 307 | 308)
            .then(|| response.headers().get("location"))
            .flatten()
            .and_then(|value| value.to_str().ok());
        let Some(location) = location else {
            return Ok(Opened {
                response,
                final_url: current.to_string(),
                private: any_private,
                _slot: slot,
            });
        };
        if redirects >= options.max_redirects {
            return Err(FetchFailure::permanent(format!(
                "more than {} redirects",
                options.max_redirects
            )));
        }
        redirects += 1;
        current = current
            .join(location.trim())
            .map_err(|e| FetchFailure::permanent(format!("a redirect to a bad address ({e})")))?;
    }
}

#[cfg(feature = "net")]
/// What the resolver found on one hop.
#[derive(Debug, Default)]
struct Hop {
    /// It connected to a private address (allowed).
    private: bool,
    /// Why every address the host has was refused.
    refused: Option<String>,
}

#[cfg(feature = "net")]
/// Resolves names as ureq does, then keeps only the addresses the policy allows: the
/// connection is made to those and no others.
#[derive(Debug)]
struct CheckingResolver {
    /// `None`: the typed URL's hop, private if all its addresses are.
    allow_private: Option<bool>,
    treat_as_public: Vec<SocketAddr>,
    hop: Arc<Mutex<Hop>>,
}

#[cfg(feature = "net")]
impl Resolver for CheckingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> std::result::Result<ResolvedSocketAddrs, ureq::Error> {
        let resolved = DefaultResolver::default().resolve(uri, config, timeout)?;
        // The user's own proxy is reached wherever it is.
        let is_proxy = config.proxy().is_some_and(|proxy| {
            uri.host()
                .is_some_and(|host| host.eq_ignore_ascii_case(proxy.host()))
                && uri.port_u16().is_none_or(|port| port == proxy.port())
        });
        let kind = |addr: &SocketAddr| {
            if self.treat_as_public.contains(addr) {
                None
            } else {
                non_public_kind(addr.ip())
            }
        };
        let all_private = resolved.iter().all(|addr| kind(addr).is_some());
        let keep_private = is_proxy || self.allow_private.unwrap_or(all_private);
        let mut kept = self.empty();
        let mut first_refused = None;
        for addr in resolved.iter() {
            match kind(addr) {
                Some(_) if keep_private => kept.push(*addr),
                Some(why) => {
                    first_refused.get_or_insert((*addr, why));
                }
                None => kept.push(*addr),
            }
        }
        let mut hop = self.hop.lock().unwrap_or_else(|e| e.into_inner());
        if !is_proxy {
            hop.private |= kept.iter().any(|addr| kind(addr).is_some());
        }
        if kept.is_empty() {
            let (ip, why) =
                first_refused.map_or((None, "non-public"), |(addr, why)| (Some(addr.ip()), why));
            hop.refused = Some(refusal(uri.host().unwrap_or_default(), why, ip));
            return Err(ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "private address refused",
            )));
        }
        Ok(kept)
    }
}

#[cfg(feature = "net")]
fn refusal(host: &str, kind: &str, ip: Option<IpAddr>) -> String {
    let resolved = match ip {
        Some(ip) if ip.to_string() != host.trim_matches(['[', ']']) => format!(" ({ip})"),
        _ => String::new(),
    };
    format!(
        "refused: {host}{resolved} is a {kind} address, not a public one (--allow-private fetches it)"
    )
}

/// What kind of non-public address a URL's host literally names (an IP address, `localhost`),
/// before any DNS lookup.
#[cfg_attr(not(feature = "net"), allow(dead_code))]
fn host_kind(url: &url::Url, treat_as_public: &[SocketAddr]) -> Option<&'static str> {
    let ip = match url.host()? {
        url::Host::Ipv4(ip) => IpAddr::V4(ip),
        url::Host::Ipv6(ip) => IpAddr::V6(ip),
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            return (name == "localhost" || name.ends_with(".localhost")).then_some("loopback");
        }
    };
    let port = url.port_or_known_default().unwrap_or(0);
    if treat_as_public.contains(&SocketAddr::new(ip, port)) {
        return None;
    }
    non_public_kind(ip)
}

/// Why `ip` is not a public internet address ("loopback", "private", …), or `None` when it is
/// one. IPv4 addresses inside IPv6 ones (mapped, 6to4, NAT64) are judged as IPv4.
pub(crate) fn non_public_kind(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(ip) => ipv4_kind(ip),
        IpAddr::V6(ip) => ipv6_kind(ip),
    }
}

fn ipv4_kind(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, _, _) => "unspecified",
        (10, _, _) | (172, 16..=31, _) | (192, 168, _) => "private",
        (100, 64..=127, _) => "shared (carrier-grade NAT)",
        (127, _, _) => "loopback",
        (169, 254, _) => "link-local",
        (192, 0, 0) => "protocol-assignment",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (198, 18..=19, _) => "benchmarking",
        (224..=239, _, _) => "multicast",
        (240..=255, _, _) => "reserved",
        _ => return None,
    })
}

fn ipv6_kind(ip: Ipv6Addr) -> Option<&'static str> {
    let s = ip.segments();
    let embedded = |high: u16, low: u16| {
        let [a, b] = high.to_be_bytes();
        let [c, d] = low.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    if let Some(v4) = ip.to_ipv4_mapped() {
        return ipv4_kind(v4);
    }
    Some(match s {
        [0, 0, 0, 0, 0, 0, 0, 0] => "unspecified",
        [0, 0, 0, 0, 0, 0, 0, 1] => "loopback",
        // IPv4-compatible (deprecated) and other addresses in ::/8.
        [0, ..] => "reserved",
        [0x64, 0xff9b, 0, 0, 0, 0, high, low] => return ipv4_kind(embedded(high, low)),
        [0x64, 0xff9b, 1, ..] => "private",
        [0x2002, high, low, ..] => return ipv4_kind(embedded(high, low)),
        [0x2001, 0xdb8, ..] => "documentation",
        [0x2001, 0..=0x1ff, ..] => "protocol-assignment",
        [first, ..] if first & 0xfe00 == 0xfc00 => "private (unique local)",
        [first, ..] if first & 0xffc0 == 0xfe80 => "link-local",
        [first, ..] if first & 0xffc0 == 0xfec0 => "site-local",
        [first, ..] if first & 0xff00 == 0xff00 => "multicast",
        // Only 2000::/3 is handed out as global unicast.
        [first, ..] if first & 0xe000 != 0x2000 => "reserved",
        _ => return None,
    })
}

/// Limits on the remote images one document or book downloads, on top of each request's
/// own; `Default` is what the command line uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageFetchOptions {
    /// An image larger than this is left out, with a warning naming it.
    pub max_image_bytes: u64,
    /// All images together: an image that would take the total past this is left out (one
    /// warning for all of them).
    pub max_total_bytes: u64,
    /// All downloads together end this long after the first starts; images not had by then
    /// are left out (one warning for all of them).
    pub deadline: Duration,
    /// One image's download, start to end.
    pub timeout: Duration,
    /// Fetch from private, loopback and link-local addresses too (`--allow-private`).
    pub allow_private: bool,
    /// See [`FetchOptions::treat_as_public`].
    pub treat_as_public: Vec<SocketAddr>,
    /// Cookies sent with the images whose URLs they match (`--cookies`).
    pub cookies: Option<std::sync::Arc<CookieJar>>,
}

impl Default for ImageFetchOptions {
    fn default() -> ImageFetchOptions {
        ImageFetchOptions {
            max_image_bytes: 20 * 1024 * 1024,
            max_total_bytes: 256 * 1024 * 1024,
            deadline: Duration::from_secs(60),
            timeout: Duration::from_secs(20),
            allow_private: false,
            treat_as_public: Vec::new(),
            cookies: None,
        }
    }
}

/// Why a remote image was not had.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "net"), allow(dead_code))]
pub(crate) enum ImageFetchError {
    /// This image failed (refused address, network, status, too large, …).
    Failed(String),
    /// The byte budget for all images was spent.
    OverBudget { limit: u64 },
    /// The deadline for all images passed.
    PastDeadline { limit: Duration },
}

impl std::fmt::Display for ImageFetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImageFetchError::Failed(why) => f.write_str(why),
            ImageFetchError::OverBudget { limit } => write!(
                f,
                "the {} budget for all downloaded images was spent",
                mebibytes(*limit)
            ),
            ImageFetchError::PastDeadline { limit } => write!(
                f,
                "downloading images took longer than the {} s limit for all of them",
                limit.as_secs_f64()
            ),
        }
    }
}

#[cfg(feature = "net")]
/// A downloaded image, in a temporary file.
#[derive(Debug)]
pub(crate) struct DownloadedImage {
    /// The file holding the image's bytes (at most the per-image cap). It has no name, so the
    /// system removes it when it is closed, or when the process ends however it ends: a run
    /// killed mid-download leaves nothing in the temporary folder.
    pub file: std::fs::File,
}

#[cfg(feature = "net")]
/// Downloads one book's remote images within [`ImageFetchOptions`]. Shared by the threads
/// that download: the budget and the deadline are for all of them together. Each download
/// streams to its own temporary file, which the caller owns (`DownloadedImage::file`).
#[derive(Debug)]
pub(crate) struct ImageFetcher {
    options: ImageFetchOptions,
    started: Instant,
    /// Bytes of the images downloaded or being downloaded.
    spent: AtomicU64,
}

#[cfg(feature = "net")]
impl ImageFetcher {
    /// A fetcher whose deadline runs from now.
    pub fn new(options: ImageFetchOptions) -> ImageFetcher {
        ImageFetcher {
            options,
            started: Instant::now(),
            spent: AtomicU64::new(0),
        }
    }

    /// Downloads the image at `url`; private addresses only when `allow_private` or the
    /// options say so.
    pub fn fetch(
        &self,
        url: &str,
        allow_private: bool,
    ) -> std::result::Result<DownloadedImage, ImageFetchError> {
        let limits = &self.options;
        let past_deadline = ImageFetchError::PastDeadline {
            limit: limits.deadline,
        };
        let over_budget = ImageFetchError::OverBudget {
            limit: limits.max_total_bytes,
        };
        let Some(remaining) = limits
            .deadline
            .checked_sub(self.started.elapsed())
            .filter(|left| !left.is_zero())
        else {
            return Err(past_deadline);
        };
        if self.spent.load(Ordering::SeqCst) >= limits.max_total_bytes {
            return Err(over_budget);
        }
        let options = FetchOptions {
            timeout: limits.timeout.min(remaining),
            max_bytes: limits.max_image_bytes,
            private: if allow_private || limits.allow_private {
                PrivateAddresses::Allowed
            } else {
                PrivateAddresses::Refused
            },
            treat_as_public: limits.treat_as_public.clone(),
            cookies: limits.cookies.clone(),
            ..FetchOptions::default()
        };
        // A failure once the deadline has passed is the deadline's doing (the request's own
        // timeout was cut to it).
        let failed = |why: String| {
            if self.started.elapsed() >= limits.deadline {
                past_deadline.clone()
            } else {
                ImageFetchError::Failed(why)
            }
        };
        let mut opened =
            open(url, &options, &HopExtras::default()).map_err(|e| failed(e.message))?;
        let too_large = || ImageFetchError::Failed(too_big_image(limits.max_image_bytes));
        let body = opened.response.body_mut();
        if let Some(length) = body.content_length() {
            if length > limits.max_image_bytes {
                return Err(too_large());
            }
            if self.spent.load(Ordering::SeqCst).saturating_add(length) > limits.max_total_bytes {
                return Err(over_budget);
            }
        }
        let mut file = tempfile::tempfile()
            .map_err(|e| ImageFetchError::Failed(format!("cannot store the download: {e}")))?;
        let mut reader = body.as_reader();
        let mut buffer = vec![0; 64 * 1024];
        let mut len: u64 = 0;
        // What this download has added to `spent`, given back if it is not kept.
        let mut counted: u64 = 0;
        let result = loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => break Err(failed(format!("the download failed: {e}"))),
            };
            len += n as u64;
            if len > limits.max_image_bytes {
                break Err(too_large());
            }
            let before = self.spent.fetch_add(n as u64, Ordering::SeqCst);
            counted += n as u64;
            if before + n as u64 > limits.max_total_bytes {
                break Err(over_budget.clone());
            }
            if let Err(e) = file.write_all(&buffer[..n]) {
                break Err(ImageFetchError::Failed(format!(
                    "cannot store the download: {e}"
                )));
            }
        };
        match result {
            Ok(()) => Ok(DownloadedImage { file }),
            Err(e) => {
                // What was not kept does not count against the budget.
                self.spent.fetch_sub(counted, Ordering::SeqCst);
                Err(e)
            }
        }
    }
}

#[cfg(feature = "net")]
/// A ureq error as a user reads it.
fn describe(error: ureq::Error, options: &FetchOptions) -> String {
    match error {
        ureq::Error::StatusCode(code) => format!("the server answered HTTP {code}"),
        ureq::Error::Timeout(_) => timed_out(options),
        ureq::Error::TooManyRedirects => {
            format!("more than {} redirects", options.max_redirects)
        }
        ureq::Error::BodyExceedsLimit(_) => too_big(options.max_bytes),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        other => other.to_string(),
    }
}

#[cfg(feature = "net")]
fn timed_out(options: &FetchOptions) -> String {
    let limit = options.timeout;
    // Whole seconds as users set them; a test's or a caller's sub-second limit as such.
    if limit >= Duration::from_secs(1) {
        format!("timed out (limit {} s)", limit.as_secs_f64().round())
    } else {
        format!("timed out (limit {} ms)", limit.as_millis())
    }
}

#[cfg(feature = "net")]
fn too_big(limit: u64) -> String {
    format!("the body is larger than the limit of {limit} bytes")
}

#[cfg(feature = "net")]
fn too_big_image(limit: u64) -> String {
    format!("larger than the {} limit for one image", mebibytes(limit))
}

/// `20 MiB`, or bytes when under one.
#[cfg_attr(not(feature = "net"), allow(dead_code))]
fn mebibytes(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes}-byte")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(feature = "net"))]
    #[test]
    fn without_the_client_a_fetch_says_why() {
        let err = fetch("https://example.org/", &FetchOptions::default()).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("https://example.org/"), "{message}");
        assert!(message.contains("without network support"), "{message}");
    }

    #[cfg(feature = "net")]
    #[test]
    fn only_http_schemes_are_fetched() {
        let err = fetch("file:///etc/passwd", &FetchOptions::default()).unwrap_err();
        assert!(err.to_string().contains("only http and https"), "{err}");
        let err = fetch("not a url", &FetchOptions::default()).unwrap_err();
        assert!(err.to_string().contains("not a URL"), "{err}");
    }

    #[test]
    fn headers_are_checked() {
        assert_eq!(
            parse_header("X-Token:  a b ").unwrap(),
            ("X-Token".to_string(), "a b".to_string())
        );
        assert_eq!(parse_header("X-Empty:").unwrap().1, "");
        for bad in [
            "no colon",
            ": value",
            "Bad Name: v",
            "X-A: one\r\nX-B: two",
            "X-A: one\nGET / HTTP/1.1",
            "X-A: nul\0",
            "Content-Length: 5",
            "host: elsewhere",
        ] {
            assert!(parse_header(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn non_public_addresses_are_recognised() {
        let private = [
            "0.0.0.0",
            "10.1.2.3",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.255.0.9",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "192.0.0.8",
            "198.18.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "2001:db8::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "ff02::1",
        ];
        for text in private {
            let ip: IpAddr = text.parse().unwrap();
            assert!(non_public_kind(ip).is_some(), "{text} taken as public");
        }
        let public = [
            "1.1.1.1",
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "192.169.0.1",
            "::ffff:93.184.216.34",
            "2606:4700::1111",
            "2a00:1450:4001::200e",
            "64:ff9b::808:808",
        ];
        for text in public {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(non_public_kind(ip), None, "{text} taken as private");
        }
    }

    #[test]
    fn odd_spellings_of_loopback_are_caught_before_dns() {
        for url in [
            "http://127.1/",
            "http://0x7f000001/",
            "http://2130706433/",
            "http://0177.0.0.1/",
            "http://localhost:8000/",
            "http://LOCALHOST./",
            "http://app.localhost/",
            "http://[::1]/",
            "http://[::ffff:7f00:1]/",
            "http://169.254.169.254/latest/meta-data/",
        ] {
            let parsed = url::Url::parse(url).unwrap();
            assert!(host_kind(&parsed, &[]).is_some(), "{url}");
        }
        let parsed = url::Url::parse("http://127.0.0.1:8000/").unwrap();
        let exempt: SocketAddr = "127.0.0.1:8000".parse().unwrap();
        assert_eq!(host_kind(&parsed, &[exempt]), None);
        assert!(host_kind(&url::Url::parse("http://example.com/").unwrap(), &[]).is_none());
    }

    #[cfg(feature = "net")]
    #[test]
    fn a_refused_image_address_is_never_connected_to() {
        let fetcher = ImageFetcher::new(ImageFetchOptions::default());
        for url in [
            "http://127.1:9/admin",
            "http://[::1]:9/",
            "http://localhost:9/",
        ] {
            match fetcher.fetch(url, false) {
                Err(ImageFetchError::Failed(why)) => {
                    assert!(
                        why.contains("refused") && why.contains("--allow-private"),
                        "{why}"
                    )
                }
                other => panic!("{url}: {other:?}"),
            }
        }
    }

    #[cfg(feature = "net")]
    #[test]
    fn a_spent_deadline_fetches_nothing() {
        let fetcher = ImageFetcher::new(ImageFetchOptions {
            deadline: Duration::ZERO,
            ..ImageFetchOptions::default()
        });
        assert!(matches!(
            fetcher.fetch("http://example.com/a.png", false),
            Err(ImageFetchError::PastDeadline { .. })
        ));
    }
}
