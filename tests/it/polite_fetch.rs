//! `net::PoliteFetcher` against servers the tests start on 127.0.0.1: conditional requests
//! (ETag, Last-Modified, 304), gzip and a gzip bomb, retries (503, Retry-After, timeouts) and
//! what is never retried (404, a refused address), and the per-host limit, counted by the
//! server itself.

use crate::http::{read_request_head, RequestHead};
use flate2::write::GzEncoder;
use flate2::Compression;
use quire::net::{
    Conditional, FetchOptions, PoliteFetcher, PoliteOptions, PrivateAddresses, Validators,
};
use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// A request as the server read it: the path and the headers (names lowercased).
#[derive(Debug, Clone)]
struct Request {
    path: String,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// What the server sends back.
#[derive(Debug, Clone, Default)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Held this long before answering (the request counts as open meanwhile).
    delay: Duration,
}

impl Answer {
    fn ok(body: &str) -> Answer {
        Answer {
            status: 200,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: body.as_bytes().to_vec(),
            ..Answer::default()
        }
    }

    fn status(status: u16) -> Answer {
        Answer {
            status,
            ..Answer::default()
        }
    }

    fn with(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// Requests open at a server (or at several sharing it) now, and the most there ever were.
#[derive(Default)]
struct Gauge {
    now: AtomicUsize,
    most: AtomicUsize,
}

type Handler = dyn Fn(&Request, usize) -> Answer + Send + Sync;

/// A small HTTP/1.1 server on 127.0.0.1: `handler` gets each request and how many came
/// before it; every request is recorded.
struct Server {
    base: String,
    address: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    gauge: Arc<Gauge>,
}

impl Server {
    fn start(handler: impl Fn(&Request, usize) -> Answer + Send + Sync + 'static) -> Server {
        Server::start_counted(Arc::new(Gauge::default()), handler)
    }

    fn start_counted(
        gauge: Arc<Gauge>,
        handler: impl Fn(&Request, usize) -> Answer + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let (seen, counted) = (Arc::clone(&requests), Arc::clone(&gauge));
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (handler, seen, counted) = (
                    Arc::clone(&handler),
                    Arc::clone(&seen),
                    Arc::clone(&counted),
                );
                thread::spawn(move || serve(stream, &*handler, &seen, &counted));
            }
        });
        Server {
            base: format!("http://{address}"),
            address,
            requests,
            gauge,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, seen: &Mutex<Vec<Request>>, gauge: &Gauge) {
    let Some(RequestHead { path, headers }) = read_request_head(&stream) else {
        return;
    };
    let now = gauge.now.fetch_add(1, Ordering::SeqCst) + 1;
    gauge.most.fetch_max(now, Ordering::SeqCst);
    let request = Request { path, headers };
    let before = {
        let mut seen = seen.lock().unwrap();
        seen.push(request.clone());
        seen.iter().filter(|r| r.path == request.path).count() - 1
    };
    let answer = handler(&request, before);
    thread::sleep(answer.delay);
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", answer.status);
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", answer.body.len()));
    // No longer open once the answer starts: the client may have the whole body, give its
    // slot to the next request and have that one counted here before this thread would get
    // to count this one closed after the write.
    gauge.now.fetch_sub(1, Ordering::SeqCst);
    let mut out = stream;
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&answer.body);
    let _ = out.flush();
}

/// Loopback allowed, short timeouts and waits.
fn options() -> FetchOptions {
    FetchOptions {
        timeout: Duration::from_secs(5),
        private: PrivateAddresses::Allowed,
        ..FetchOptions::default()
    }
}

fn quick() -> PoliteOptions {
    PoliteOptions {
        backoff: Duration::from_millis(5),
        ..PoliteOptions::default()
    }
}

fn fetcher() -> PoliteFetcher {
    PoliteFetcher::new(options(), quick())
}

const ETAG: &str = "\"v7-abc\"";
const LAST_MODIFIED: &str = "Wed, 02 Dec 2026 10:00:00 GMT";

/// A feed that is unchanged for a client that names its current version either way.
fn versioned(request: &Request, _: usize) -> Answer {
    let etag_matches = request.header("if-none-match") == Some(ETAG);
    let date_matches = request.header("if-modified-since") == Some(LAST_MODIFIED);
    if etag_matches || date_matches {
        return Answer::status(304).with("ETag", ETAG);
    }
    Answer::ok("<rss>the feed</rss>")
        .with("ETag", ETAG)
        .with("Last-Modified", LAST_MODIFIED)
}

#[test]
fn validators_are_captured_from_a_200_and_a_matching_etag_gets_not_modified() {
    let server = Server::start(versioned);
    let fetcher = fetcher();
    let url = server.url("/feed.xml");
    let first = match fetcher.fetch_if_changed(&url, &Validators::default()) {
        Ok(Conditional::Changed(fetched)) => fetched,
        other => panic!("{other:?}"),
    };
    assert_eq!(first.bytes, b"<rss>the feed</rss>");
    assert_eq!(first.validators.etag.as_deref(), Some(ETAG));
    assert_eq!(
        first.validators.last_modified.as_deref(),
        Some(LAST_MODIFIED)
    );
    // The first request was not conditional, and said who is asking.
    let sent = server.requests();
    assert_eq!(sent[0].header("if-none-match"), None);
    let agent = sent[0].header("user-agent").unwrap_or_default();
    assert!(agent.starts_with("quire/"), "{agent}");

    let by_etag = Validators {
        etag: Some(ETAG.into()),
        last_modified: None,
    };
    assert!(matches!(
        fetcher.fetch_if_changed(&url, &by_etag),
        Ok(Conditional::NotModified)
    ));
    let sent = server.requests();
    assert_eq!(sent[1].header("if-none-match"), Some(ETAG));
    assert_eq!(sent[1].header("if-modified-since"), None);

    // An old version is sent the new body.
    let old = Validators {
        etag: Some("\"v6\"".into()),
        last_modified: None,
    };
    assert!(matches!(
        fetcher.fetch_if_changed(&url, &old),
        Ok(Conditional::Changed(_))
    ));
    assert_eq!(fetcher.requests_made(), 3);
}

#[test]
fn a_matching_last_modified_gets_not_modified() {
    let server = Server::start(versioned);
    let fetcher = fetcher();
    let by_date = Validators {
        etag: None,
        last_modified: Some(LAST_MODIFIED.into()),
    };
    assert!(matches!(
        fetcher.fetch_if_changed(&server.url("/feed.xml"), &by_date),
        Ok(Conditional::NotModified)
    ));
    let sent = server.requests();
    assert_eq!(sent[0].header("if-modified-since"), Some(LAST_MODIFIED));
    assert_eq!(sent[0].header("if-none-match"), None);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn a_gzip_body_is_asked_for_and_decoded() {
    let text = "The tide comes in twice a day. ".repeat(200);
    let compressed = gzip(text.as_bytes());
    assert!(compressed.len() < text.len() / 10);
    let server = Server::start(move |request, _| {
        let accepts = request.header("accept-encoding").unwrap_or_default();
        if !accepts.contains("gzip") {
            return Answer::status(406);
        }
        Answer {
            body: compressed.clone(),
            ..Answer::ok("")
        }
        .with("Content-Encoding", "gzip")
    });
    let fetched = fetcher().fetch(&server.url("/page")).expect("fetched");
    assert_eq!(fetched.bytes, text.as_bytes());
}

#[test]
fn a_gzip_bomb_past_the_cap_is_refused_and_not_retried() {
    // 16 MiB of zeros in a few kilobytes.
    let bomb = gzip(&vec![0u8; 16 * 1024 * 1024]);
    assert!(bomb.len() < 64 * 1024, "{}", bomb.len());
    let server = Server::start(move |_, _| {
        Answer {
            body: bomb.clone(),
            ..Answer::ok("")
        }
        .with("Content-Encoding", "gzip")
    });
    let fetcher = PoliteFetcher::new(
        FetchOptions {
            max_bytes: 1024 * 1024,
            ..options()
        },
        quick(),
    );
    let err = fetcher.fetch(&server.url("/bomb")).unwrap_err().to_string();
    assert!(err.contains("larger than the limit"), "{err}");
    assert!(err.contains("/bomb"), "{err}");
    assert_eq!(fetcher.requests_made(), 1);
}

#[test]
fn two_503s_then_a_200_succeed_on_the_third_request() {
    let server = Server::start(|_, before| match before {
        0 | 1 => Answer::status(503),
        _ => Answer::ok("at last"),
    });
    let fetcher = fetcher();
    let fetched = fetcher.fetch(&server.url("/busy")).expect("fetched");
    assert_eq!(fetched.bytes, b"at last");
    assert_eq!(fetcher.requests_made(), 3);
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn retries_run_out() {
    let server = Server::start(|_, _| Answer::status(502));
    let fetcher = PoliteFetcher::new(
        options(),
        PoliteOptions {
            retries: 2,
            ..quick()
        },
    );
    let err = fetcher.fetch(&server.url("/down")).unwrap_err().to_string();
    assert!(
        err.contains("HTTP 502") && err.contains("3 attempts"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn a_404_fails_at_once_naming_the_url_and_status() {
    let server = Server::start(|_, _| Answer::status(404));
    let fetcher = fetcher();
    let url = server.url("/gone");
    let err = fetcher.fetch(&url).unwrap_err().to_string();
    assert!(err.contains(&url) && err.contains("HTTP 404"), "{err}");
    assert!(!err.contains("attempts"), "{err}");
    assert_eq!(fetcher.requests_made(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn retry_after_is_waited_out() {
    let server = Server::start(|_, before| match before {
        0 => Answer::status(429).with("Retry-After", "1"),
        _ => Answer::ok("now"),
    });
    let fetcher = fetcher();
    let started = Instant::now();
    let fetched = fetcher.fetch(&server.url("/limited")).expect("fetched");
    assert_eq!(fetched.bytes, b"now");
    // The backoff alone is 5 ms.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(fetcher.requests_made(), 2);
}

#[test]
fn a_retry_after_past_the_cap_is_not_waited_for() {
    let server = Server::start(|_, _| Answer::status(503).with("Retry-After", "3600"));
    let fetcher = fetcher();
    let started = Instant::now();
    let err = fetcher
        .fetch(&server.url("/maintenance"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("HTTP 503") && err.contains("3600 s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(fetcher.requests_made(), 1);
}

#[test]
fn a_slow_response_times_out_after_the_retries() {
    let server = Server::start(|_, _| Answer {
        delay: Duration::from_secs(3),
        ..Answer::ok("too late")
    });
    let fetcher = PoliteFetcher::new(
        FetchOptions {
            timeout: Duration::from_millis(300),
            ..options()
        },
        PoliteOptions {
            retries: 2,
            ..quick()
        },
    );
    let started = Instant::now();
    let err = fetcher.fetch(&server.url("/slow")).unwrap_err().to_string();
    let took = started.elapsed();
    assert!(
        err.contains("timed out") && err.contains("3 attempts"),
        "{err}"
    );
    assert_eq!(fetcher.requests_made(), 3);
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[test]
fn eight_threads_keep_at_most_two_requests_open_at_one_host() {
    let server = Server::start(|_, _| Answer {
        delay: Duration::from_millis(150),
        ..Answer::ok("page")
    });
    let fetcher = fetcher();
    thread::scope(|scope| {
        for i in 0..8 {
            let (fetcher, url) = (&fetcher, server.url(&format!("/item/{i}")));
            scope.spawn(move || fetcher.fetch(&url).expect("fetched"));
        }
    });
    assert_eq!(server.requests().len(), 8);
    assert_eq!(server.gauge.most.load(Ordering::SeqCst), 2);
}

#[test]
fn two_hosts_are_fetched_from_in_parallel() {
    let both = Arc::new(Gauge::default());
    let slow = |_: &Request, _| Answer {
        delay: Duration::from_millis(400),
        ..Answer::ok("page")
    };
    let one = Server::start_counted(Arc::clone(&both), slow);
    let two = Server::start_counted(Arc::clone(&both), slow);
    let fetcher = fetcher();
    thread::scope(|scope| {
        for i in 0..4 {
            let server = if i % 2 == 0 { &one } else { &two };
            let (fetcher, url) = (&fetcher, server.url(&format!("/item/{i}")));
            scope.spawn(move || fetcher.fetch(&url).expect("fetched"));
        }
    });
    // Two at each host, all four at once.
    assert_eq!(both.most.load(Ordering::SeqCst), 4);
    assert_eq!(one.requests().len() + two.requests().len(), 4);
}

#[test]
fn a_request_waiting_to_retry_gives_its_slot_back() {
    let server = Server::start(|request, before| match (request.path.as_str(), before) {
        ("/flaky", 0) => Answer::status(503),
        _ => Answer::ok("fine"),
    });
    let fetcher = PoliteFetcher::new(
        options(),
        PoliteOptions {
            per_host: 1,
            backoff: Duration::from_millis(600),
            ..PoliteOptions::default()
        },
    );
    let (flaky_done, quick_done) = thread::scope(|scope| {
        let flaky = scope.spawn(|| {
            fetcher.fetch(&server.url("/flaky")).expect("fetched");
            Instant::now()
        });
        // Once the first attempt has failed, the other request goes while it waits.
        while server.requests().is_empty() {
            thread::sleep(Duration::from_millis(5));
        }
        thread::sleep(Duration::from_millis(50));
        fetcher.fetch(&server.url("/quick")).expect("fetched");
        let quick_done = Instant::now();
        (flaky.join().unwrap(), quick_done)
    });
    assert!(quick_done < flaky_done);
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/flaky", "/quick", "/flaky"]);
}

#[test]
fn a_redirect_into_a_private_address_is_refused_and_not_retried() {
    let private = Server::start(|_, _| Answer::ok("admin"));
    let target = private.url("/admin");
    let public = Server::start(move |_, _| Answer::status(302).with("Location", &target));
    let fetcher = PoliteFetcher::new(
        FetchOptions {
            private: PrivateAddresses::IfTyped,
            treat_as_public: vec![public.address],
            ..options()
        },
        quick(),
    );
    let err = fetcher.fetch(&public.url("/go")).unwrap_err().to_string();
    assert!(err.contains("refused"), "{err}");
    assert_eq!(fetcher.requests_made(), 1);
    assert!(private.requests().is_empty());
}

#[test]
fn a_page_that_refreshes_to_another_is_followed_with_retries_on_each_hop() {
    // A feed's link to a shortener or a moved page answers with a refresh stub; the article
    // is where it points. The hop is fetched politely too: a busy answer is tried again.
    let server = Server::start(|request, _| {
        match request.path.as_str() {
        "/t/abc" => Answer {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: br#"<html><head><meta http-equiv="refresh" content="0; url=/news/tides.html"></head></html>"#.to_vec(),
            ..Answer::default()
        },
        "/news/tides.html" => Answer::ok("<p>The article.</p>").with("Content-Type", "text/html"),
        _ => Answer::status(404),
    }
    });
    let busy_once = {
        let answered = Arc::new(AtomicUsize::new(0));
        Server::start(move |request, _| match request.path.as_str() {
            "/go" => Answer {
                status: 200,
                headers: vec![("Content-Type".into(), "text/html".into())],
                body: br#"<meta http-equiv="refresh" content="0;URL='/article'">"#.to_vec(),
                ..Answer::default()
            },
            _ if answered.fetch_add(1, Ordering::SeqCst) == 0 => Answer::status(503),
            _ => Answer::ok("<p>Here at last.</p>").with("Content-Type", "text/html"),
        })
    };
    let fetcher = fetcher();
    let fetched = fetcher.fetch_page(&server.url("/t/abc")).expect("fetched");
    assert_eq!(fetched.final_url, server.url("/news/tides.html"));
    assert!(String::from_utf8_lossy(&fetched.bytes).contains("The article."));
    // `fetch` gives the stub itself.
    let stub = fetcher.fetch(&server.url("/t/abc")).expect("fetched");
    assert_eq!(stub.final_url, server.url("/t/abc"));
    assert_eq!(fetcher.requests_made(), 3);
    // The hop is tried again when the server is busy.
    let fetched = fetcher.fetch_page(&busy_once.url("/go")).expect("fetched");
    assert_eq!(fetched.final_url, busy_once.url("/article"));
    assert!(String::from_utf8_lossy(&fetched.bytes).contains("Here at last."));
    let paths: Vec<String> = busy_once.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/go", "/article", "/article"]);
}
