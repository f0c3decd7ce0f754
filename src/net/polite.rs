//! Fetching many URLs like a good citizen: what `quire feed` (and later `quire serve`) needs
//! on top of [`fetch`](super::fetch) when it asks the same servers for dozens of feeds and
//! articles.
//!
//! - At most [`PoliteOptions::per_host`] requests in flight to one host (by host and port),
//!   counted on every hop of a redirect; a thread past the limit sleeps until a slot frees.
//! - A failure that may pass (a timeout, a dropped connection, 429, 500, 502, 503, 504) is
//!   tried again after a wait that doubles each time, with jitter so that many clients told
//!   off at once do not come back at once; a server's `Retry-After` is waited out when it is
//!   within [`PoliteOptions::max_retry_after`], and taken as "not today" when it is longer.
//!   Other statuses (404, 410, 403…) fail at once. A request that waits gives its slot back.
//! - Conditional requests: the [`Validators`] a response carried (`ETag`, `Last-Modified`)
//!   are sent back as `If-None-Match` / `If-Modified-Since`, and a 304 is
//!   [`Conditional::NotModified`], so an unchanged feed costs the server a few headers.
//! - gzip: asked for and decoded (ureq's `gzip` feature); the size cap counts the decoded
//!   bytes, so a small compressed body that inflates past it is refused.
//!
//! Everything else (timeouts, the size cap, the User-Agent, headers, cookies, the
//! private-address policy on every hop) is [`FetchOptions`]' and works as in `fetch`, through
//! the same code: one place opens a request.

#[cfg(feature = "net")]
use super::{open, read_body, FetchFailure, HopExtras};
use super::{FetchOptions, Fetched};
#[cfg(feature = "net")]
use crate::error::Error;
use crate::error::Result;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// What a server said about a resource's version, remembered for the next conditional request.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validators {
    /// The `ETag` header, as sent (quotes and a weak `W/` prefix included).
    pub etag: Option<String>,
    /// The `Last-Modified` header, as sent (an HTTP date, sent back unchanged).
    pub last_modified: Option<String>,
}

impl Validators {
    /// Neither validator: a request with these is not conditional.
    pub fn is_empty(&self) -> bool {
        self.etag.is_none() && self.last_modified.is_none()
    }

    #[cfg(feature = "net")]
    /// The validators of a response; a header that is not visible ASCII is left out (it
    /// could not be sent back as it came).
    pub(super) fn of_response<B>(response: &ureq::http::Response<B>) -> Validators {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_string)
        };
        Validators {
            etag: header("etag"),
            last_modified: header("last-modified"),
        }
    }
}

/// The outcome of [`PoliteFetcher::fetch_if_changed`].
#[derive(Debug, Clone)]
pub enum Conditional {
    /// The resource changed (or no validators were known): its body and new validators.
    Changed(Fetched),
    /// The server answered 304: what the validators name is still current.
    NotModified,
}

/// How polite a [`PoliteFetcher`] is. `Default` suits fetching feeds and articles.
#[derive(Debug, Clone)]
pub struct PoliteOptions {
    /// Most requests in flight to one host (host and port) at once; 0 is taken as 1.
    pub per_host: usize,
    /// Further attempts after a failure that may pass.
    pub retries: u32,
    /// The first wait before trying again; it doubles each retry, plus up to half again at
    /// random.
    pub backoff: Duration,
    /// The longest `Retry-After` waited out; a server asking for longer gets no retry (the
    /// fetch fails, saying how long it asked for).
    pub max_retry_after: Duration,
}

impl Default for PoliteOptions {
    fn default() -> PoliteOptions {
        PoliteOptions {
            per_host: 2,
            retries: 3,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// A fetcher shared by many threads (Send + Sync): per-host concurrency limit, retries with
/// backoff, conditional requests, gzip; everything else (timeouts, size caps, User-Agent,
/// headers, cookies, the private-address policy) from FetchOptions as `fetch` does.
#[derive(Debug)]
// Without the client only `fetch` is read: every fetch fails saying why.
#[cfg_attr(not(feature = "net"), allow(dead_code))]
pub struct PoliteFetcher {
    fetch: FetchOptions,
    polite: PoliteOptions,
    slots: HostSlots,
    requests: AtomicU64,
}

impl PoliteFetcher {
    /// A fetcher with no request made yet.
    pub fn new(fetch: FetchOptions, polite: PoliteOptions) -> PoliteFetcher {
        let slots = HostSlots::new(polite.per_host);
        PoliteFetcher {
            fetch,
            polite,
            slots,
            requests: AtomicU64::new(0),
        }
    }

    /// Fetches `url` with a GET, as [`fetch`](super::fetch) does, within the per-host limit
    /// and with retries. The error names the URL, why the last attempt failed and, after
    /// retries, how many attempts were made.
    pub fn fetch(&self, url: &str) -> Result<Fetched> {
        self.fetch_with(url, &self.fetch)
    }

    /// Fetches a web page as [`PoliteFetcher::fetch`] does, following a refresh that sends
    /// its reader on at once as [`fetch_page`](super::fetch_page) does (a feed's link to a
    /// shortener or to a moved page leads to the article).
    pub fn fetch_page(&self, url: &str) -> Result<Fetched> {
        let fetched = self.fetch(url)?;
        super::follow_refreshes(url, fetched, &self.fetch, |next, options| {
            self.fetch_with(next, options)
        })
    }

    /// [`PoliteFetcher::fetch`] with the options of one hop.
    fn fetch_with(&self, url: &str, options: &FetchOptions) -> Result<Fetched> {
        #[cfg(feature = "net")]
        {
            let extras = self.extras(None);
            self.with_retries(url, || {
                open(url, options, &extras).and_then(|opened| read_body(opened, options))
            })
        }
        #[cfg(not(feature = "net"))]
        {
            super::fetch(url, options)
        }
    }

    /// Fetches `url` unless it is unchanged since `known` was had: `If-None-Match` and
    /// `If-Modified-Since` are sent from `known`, and a 304 is [`Conditional::NotModified`].
    /// With empty validators this is a plain [`PoliteFetcher::fetch`].
    pub fn fetch_if_changed(&self, url: &str, known: &Validators) -> Result<Conditional> {
        #[cfg(feature = "net")]
        {
            let conditional = !known.is_empty();
            let extras = self.extras(conditional.then_some(known));
            self.with_retries(url, || {
                let opened = open(url, &self.fetch, &extras)?;
                if conditional && opened.response.status().as_u16() == 304 {
                    return Ok(Conditional::NotModified);
                }
                read_body(opened, &self.fetch).map(Conditional::Changed)
            })
        }
        #[cfg(not(feature = "net"))]
        {
            let _ = known;
            super::fetch(url, &self.fetch).map(Conditional::Changed)
        }
    }

    /// Requests made so far (each attempt counts), for tests and reports. Every HTTP request
    /// sent is one: each attempt, and each redirect hop within an attempt.
    pub fn requests_made(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    #[cfg(feature = "net")]
    fn extras<'a>(&'a self, known: Option<&'a Validators>) -> HopExtras<'a> {
        HopExtras {
            known,
            slots: Some(&self.slots),
            requests: Some(&self.requests),
        }
    }

    #[cfg(feature = "net")]
    /// Runs `attempt` until it succeeds, fails for good, or the retries are spent. The slot
    /// at the host is not held while waiting: `attempt` drops it with its failure.
    fn with_retries<T>(
        &self,
        url: &str,
        mut attempt: impl FnMut() -> std::result::Result<T, FetchFailure>,
    ) -> Result<T> {
        let mut made: u32 = 0;
        loop {
            let failure = match attempt() {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            made += 1;
            let fail = |message: String| {
                let message = if made > 1 {
                    format!("{message} (gave up after {made} attempts)")
                } else {
                    message
                };
                Err(Error::Fetch {
                    url: url.to_string(),
                    message,
                })
            };
            if !failure.transient || made > self.polite.retries {
                return fail(failure.message);
            }
            let backoff = backoff_wait(self.polite.backoff, made - 1, fastrand::f64());
            let wait = match failure.retry_after {
                Some(asked) if asked > self.polite.max_retry_after => {
                    return fail(format!(
                        "{}, and asked to be left alone for {} s (more than the {} s quire waits)",
                        failure.message,
                        asked.as_secs(),
                        self.polite.max_retry_after.as_secs()
                    ));
                }
                Some(asked) => asked.max(backoff),
                None => backoff,
            };
            std::thread::sleep(wait);
        }
    }
}

/// The wait before retry number `retry` (0 for the first): `first` doubled `retry` times,
/// plus `jitter` (0 to 1) of half of that.
#[cfg_attr(not(feature = "net"), allow(dead_code))]
fn backoff_wait(first: Duration, retry: u32, jitter: f64) -> Duration {
    let doubled = first.saturating_mul(1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX));
    doubled.saturating_add(doubled.mul_f64(jitter.clamp(0.0, 1.0) / 2.0))
}

#[cfg(feature = "net")]
/// A response's `Retry-After`: seconds, or an HTTP date (a date past is no wait).
pub(super) fn retry_after<B>(response: &ureq::http::Response<B>) -> Option<Duration> {
    let value = response.headers().get("retry-after")?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The requests in flight per host, with a limit: a thread past it waits on a condition
/// variable (no polling) until one ends.
#[derive(Debug)]
pub(super) struct HostSlots {
    shared: Arc<SlotTable>,
}

#[derive(Debug)]
struct SlotTable {
    limit: usize,
    /// Requests in flight by `host:port`; a host with none has no entry.
    in_flight: Mutex<HashMap<String, usize>>,
    freed: Condvar,
}

/// One request's slot at a host, given back when dropped.
#[derive(Debug)]
pub(super) struct HostSlot {
    shared: Arc<SlotTable>,
    host: String,
}

impl HostSlots {
    fn new(limit: usize) -> HostSlots {
        HostSlots {
            shared: Arc::new(SlotTable {
                limit: limit.max(1),
                in_flight: Mutex::new(HashMap::new()),
                freed: Condvar::new(),
            }),
        }
    }

    /// Waits for a slot at `url`'s host and port and takes it.
    #[cfg_attr(not(feature = "net"), allow(dead_code))]
    pub(super) fn acquire(&self, url: &url::Url) -> HostSlot {
        let host = format!(
            "{}:{}",
            url.host_str().unwrap_or_default(),
            url.port_or_known_default().unwrap_or(0)
        );
        let table = &self.shared;
        let mut in_flight = table.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        while in_flight.get(&host).copied().unwrap_or(0) >= table.limit {
            in_flight = table
                .freed
                .wait(in_flight)
                .unwrap_or_else(|e| e.into_inner());
        }
        *in_flight.entry(host.clone()).or_insert(0) += 1;
        HostSlot {
            shared: Arc::clone(&self.shared),
            host,
        }
    }
}

impl Drop for HostSlot {
    fn drop(&mut self) {
        let mut in_flight = self
            .shared
            .in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if let Some(count) = in_flight.get_mut(&self.host) {
            *count -= 1;
            if *count == 0 {
                in_flight.remove(&self.host);
            }
        }
        drop(in_flight);
        // Waiters for other hosts wake and sleep again; a waiter for this one takes the slot.
        self.shared.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn a_fetcher_is_shared_by_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<PoliteFetcher>();
    }

    #[test]
    fn the_wait_doubles_with_jitter_on_top() {
        let first = Duration::from_millis(100);
        assert_eq!(backoff_wait(first, 0, 0.0), first);
        assert_eq!(backoff_wait(first, 1, 0.0), Duration::from_millis(200));
        assert_eq!(backoff_wait(first, 2, 0.0), Duration::from_millis(400));
        assert_eq!(backoff_wait(first, 2, 1.0), Duration::from_millis(600));
        let jittered = backoff_wait(first, 1, 0.5);
        assert_eq!(jittered, Duration::from_millis(250));
        // A huge retry count saturates instead of overflowing.
        assert!(backoff_wait(first, 200, 1.0) >= backoff_wait(first, 20, 0.0));
    }

    #[test]
    fn empty_validators_make_no_conditional_request() {
        assert!(Validators::default().is_empty());
        let etag = Validators {
            etag: Some("\"v1\"".into()),
            last_modified: None,
        };
        assert!(!etag.is_empty());
        let json = serde_json::to_string(&etag).unwrap();
        assert_eq!(serde_json::from_str::<Validators>(&json).unwrap(), etag);
    }

    #[test]
    fn slots_are_per_host_and_port_and_freed_on_drop() {
        let slots = HostSlots::new(2);
        let a = url::Url::parse("http://example.org/a").unwrap();
        let same = url::Url::parse("http://EXAMPLE.org:80/b").unwrap();
        let other_port = url::Url::parse("http://example.org:8080/").unwrap();
        let first = slots.acquire(&a);
        let second = slots.acquire(&same);
        // A third at the same host would wait; another port is another host.
        let _elsewhere = slots.acquire(&other_port);
        let waiting = Arc::new(AtomicUsize::new(0));
        let got = std::thread::scope(|scope| {
            let handle = scope.spawn(|| {
                waiting.store(1, std::sync::atomic::Ordering::SeqCst);
                let _third = slots.acquire(&a);
                2
            });
            while waiting.load(std::sync::atomic::Ordering::SeqCst) == 0 {
                std::thread::yield_now();
            }
            std::thread::sleep(Duration::from_millis(50));
            assert!(
                !handle.is_finished(),
                "a third slot was given past the limit"
            );
            drop(first);
            handle.join().unwrap()
        });
        assert_eq!(got, 2);
        drop(second);
        let table = slots.shared.in_flight.lock().unwrap();
        assert_eq!(table.get("example.org:80"), None, "{table:?}");
        assert_eq!(table.get("example.org:8080"), Some(&1));
    }
}
