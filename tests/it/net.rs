//! Fetching over HTTP, against a server the test starts on 127.0.0.1 (never the internet):
//! redirects and the final URL as the base for links, charsets from headers, timeouts, the
//! size limit, error statuses, the user agent; and `quire convert URL` / `--urls FILE`.
//! Then private addresses: refused for a public page's images and redirects, in every
//! spelling, allowed for a page the user typed on one, or with `--allow-private`.

use assert_cmd::Command;
use quire::net::{fetch, fetch_page, FetchOptions, ImageFetchOptions, PrivateAddresses};
use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

/// One canned answer.
#[derive(Clone, Default)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Sleep this long after the headers, before the body (for timeouts).
    pub stall: Duration,
    /// Send no Content-Length (the body ends when the connection closes).
    pub no_length: bool,
    /// Sleep this long before answering at all (a slow server).
    pub delay: Duration,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            ..Reply::default()
        }
    }

    pub fn redirect(to: &str) -> Reply {
        Reply {
            status: 302,
            headers: vec![("Location".into(), to.into())],
            ..Reply::default()
        }
    }
}

/// A tiny HTTP/1.1 server on 127.0.0.1 with fixed routes; unknown paths get 404. It records
/// each request's head so tests can check what the client sent.
pub struct TestServer {
    pub base: String,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl TestServer {
    pub fn start(routes: Vec<(&str, Reply)>) -> TestServer {
        TestServer::start_on("127.0.0.1:0", routes)
    }

    /// A server listening on `address` (`[::1]:0` for IPv6 loopback).
    pub fn start_on(address: &str, routes: Vec<(&str, Reply)>) -> TestServer {
        let listener = TcpListener::bind(address).unwrap_or_else(|e| panic!("bind {address}: {e}"));
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let routes: Arc<HashMap<String, Reply>> = Arc::new(
            routes
                .into_iter()
                .map(|(path, reply)| (path.to_string(), reply))
                .collect(),
        );
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let routes = Arc::clone(&routes);
                let seen = Arc::clone(&seen);
                thread::spawn(move || serve(stream, &routes, &seen));
            }
        });
        TestServer { base, requests }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The socket address it listens on.
    pub fn address(&self) -> std::net::SocketAddr {
        self.base
            .trim_start_matches("http://")
            .parse()
            .expect("a socket address")
    }

    /// The paths requested so far, in order.
    pub fn paths(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .map(|head| head.split_whitespace().nth(1).unwrap_or("").to_string())
            .collect()
    }
}

fn serve(stream: TcpStream, routes: &HashMap<String, Reply>, seen: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        if line == "\r\n" || line == "\n" {
            break;
        }
        head.push_str(&line);
    }
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    seen.lock().unwrap().push(head);
    let reply = routes.get(&path).cloned().unwrap_or(Reply {
        status: 404,
        body: b"not here".to_vec(),
        ..Reply::default()
    });
    thread::sleep(reply.delay);
    let mut out = stream;
    let mut response = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", reply.status);
    for (name, value) in &reply.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    if !reply.no_length {
        response.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    response.push_str("\r\n");
    if out.write_all(response.as_bytes()).is_err() {
        return;
    }
    let _ = out.flush();
    thread::sleep(reply.stall);
    let _ = out.write_all(&reply.body);
    let _ = out.flush();
}

fn quick() -> FetchOptions {
    FetchOptions {
        timeout: Duration::from_secs(10),
        ..FetchOptions::default()
    }
}

const PAGE: &str = "<!DOCTYPE html><html><head><title>Tides</title></head><body><article>\
    <h1>Tide tables</h1><p>High water comes later every day, about fifty minutes later, \
    as the moon moves on. See <a href=\"notes.html\">the notes</a> and the chart.</p>\
    <p><img src=\"chart.png\" alt=\"Chart\"></p></article></body></html>";

#[test]
fn redirects_are_followed_and_the_final_url_is_reported() {
    let server = TestServer::start(vec![
        ("/old", Reply::redirect("/news/2024/tides.html")),
        ("/news/2024/tides.html", Reply::ok("text/html", PAGE)),
    ]);
    let fetched = fetch(&server.url("/old"), &quick()).expect("fetched");
    assert_eq!(fetched.final_url, server.url("/news/2024/tides.html"));
    assert_eq!(fetched.media_type.as_deref(), Some("text/html"));
    assert_eq!(fetched.input_format(), Some(quire::InputFormat::Html));
    assert_eq!(fetched.bytes, PAGE.as_bytes());
}

/// A page that sends its reader on at once (a moved page's stub, a shortener's answer) is
/// followed as a browser follows it; the final URL is the page's, for its links.
fn refresh_to(target: &str) -> Reply {
    Reply::ok(
        "text/html; charset=utf-8",
        format!(
            "<!DOCTYPE html><html><head><title>Redirecting...</title>\
             <meta http-equiv=\"refresh\" content=\"0; URL={target}\"></head>\
             <body><p>Redirecting to <a href=\"{target}\">{target}</a>.</p></body></html>"
        ),
    )
}

#[test]
fn a_page_that_refreshes_to_another_at_once_is_followed() {
    let server = TestServer::start(vec![
        ("/t/abc", refresh_to("/old/tides.html")),
        ("/old/tides.html", refresh_to("/news/2024/tides.html")),
        ("/news/2024/tides.html", Reply::ok("text/html", PAGE)),
        ("/loop/a", refresh_to("/loop/b")),
        ("/loop/b", refresh_to("/loop/a")),
    ]);
    let fetched = fetch_page(&server.url("/t/abc"), &quick()).expect("fetched");
    assert_eq!(fetched.final_url, server.url("/news/2024/tides.html"));
    assert_eq!(fetched.bytes, PAGE.as_bytes());
    // `fetch` itself gives what the server sent.
    let stub = fetch(&server.url("/t/abc"), &quick()).expect("fetched");
    assert_eq!(stub.final_url, server.url("/t/abc"));
    // Pages that send each other on end after a few hops with the last one fetched.
    let before = server.paths().len();
    let looped = fetch_page(&server.url("/loop/a"), &quick()).expect("fetched");
    assert!(looped.final_url.contains("/loop/"), "{}", looped.final_url);
    assert_eq!(server.paths().len() - before, 4, "{:?}", server.paths());
}

#[test]
fn a_public_page_cannot_refresh_to_a_private_address_nor_take_its_headers_elsewhere() {
    let inside = TestServer::start(vec![("/secret", Reply::ok("text/html", PAGE))]);
    let site = TestServer::start(vec![(
        "/go",
        refresh_to(&format!(
            "http://localhost:{}/secret",
            inside.address().port()
        )),
    )]);
    let options = FetchOptions {
        treat_as_public: vec![site.address()],
        ..quick()
    };
    let err = fetch_page(&site.url("/go"), &options)
        .unwrap_err()
        .to_string();
    assert!(err.contains("refused") && err.contains("loopback"), "{err}");
    assert!(inside.paths().is_empty(), "{:?}", inside.paths());

    // A header given for the typed URL's host is not sent to another host.
    let elsewhere = TestServer::start(vec![("/page", Reply::ok("text/html", PAGE))]);
    let typed = TestServer::start(vec![(
        "/go",
        refresh_to(&format!(
            "http://localhost:{}/page",
            elsewhere.address().port()
        )),
    )]);
    let options = FetchOptions {
        headers: vec![("Authorization".into(), "Bearer secret-token".into())],
        ..quick()
    };
    let fetched = fetch_page(&typed.url("/go"), &options).expect("fetched");
    assert_eq!(fetched.bytes, PAGE.as_bytes());
    let sent = elsewhere.requests.lock().unwrap().join("\n");
    assert!(!sent.contains("secret-token"), "{sent}");
    let typed_sent = typed.requests.lock().unwrap().join("\n");
    assert!(typed_sent.contains("secret-token"), "{typed_sent}");
}

#[test]
fn cli_converts_the_page_a_stub_refreshes_to() {
    let server = TestServer::start(vec![
        ("/t/abc", refresh_to("/news/2024/tides.html")),
        ("/news/2024/tides.html", Reply::ok("text/html", PAGE)),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = quire()
        .args(["convert", &server.url("/t/abc"), "--to", "json", "-o"])
        .arg(out.path().join(""))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc = json_file(&out.path().join("abc.json"));
    assert_eq!(doc["meta"]["title"], "Tides", "{doc}");
    let mut all = Vec::new();
    strings(&doc, &mut all);
    let expected = server.url("/news/2024/notes.html");
    assert!(all.contains(&expected), "no {expected} in {all:?}");
}

#[test]
fn too_many_redirects_fail() {
    let server = TestServer::start(vec![
        ("/a", Reply::redirect("/b")),
        ("/b", Reply::redirect("/a")),
    ]);
    let options = FetchOptions {
        max_redirects: 3,
        ..quick()
    };
    let err = fetch(&server.url("/a"), &options).unwrap_err().to_string();
    assert!(err.contains("redirects") && err.contains("/a"), "{err}");
}

#[test]
fn charset_from_the_header_is_reported() {
    let server = TestServer::start(vec![(
        "/ru",
        Reply::ok(
            "text/html; charset=windows-1251",
            b"<p>\xcf\xf0\xe8\xe2\xe5\xf2</p>".to_vec(),
        ),
    )]);
    let fetched = fetch(&server.url("/ru"), &quick()).expect("fetched");
    assert_eq!(fetched.charset.as_deref(), Some("windows-1251"));
}

#[test]
fn a_stalled_server_times_out() {
    let server = TestServer::start(vec![(
        "/slow",
        Reply {
            stall: Duration::from_secs(5),
            ..Reply::ok("text/html", PAGE)
        },
    )]);
    let options = FetchOptions {
        timeout: Duration::from_millis(700),
        ..FetchOptions::default()
    };
    let started = Instant::now();
    let err = fetch(&server.url("/slow"), &options)
        .unwrap_err()
        .to_string();
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "took {:?}",
        started.elapsed()
    );
    assert!(err.contains("timed out"), "{err}");
}

#[test]
fn bodies_over_the_limit_are_refused_with_or_without_a_length() {
    let big = vec![b'a'; 300_000];
    let server = TestServer::start(vec![
        ("/declared", Reply::ok("text/plain", big.clone())),
        (
            "/streamed",
            Reply {
                no_length: true,
                ..Reply::ok("text/plain", big)
            },
        ),
        ("/small", Reply::ok("text/plain", "small")),
    ]);
    let options = FetchOptions {
        max_bytes: 100_000,
        ..quick()
    };
    for path in ["/declared", "/streamed"] {
        let err = fetch(&server.url(path), &options).unwrap_err().to_string();
        assert!(
            err.contains("larger than the limit of 100000 bytes"),
            "{path}: {err}"
        );
    }
    assert_eq!(
        fetch(&server.url("/small"), &options).unwrap().bytes,
        b"small"
    );
}

#[test]
fn error_statuses_fail_naming_the_status() {
    let server = TestServer::start(vec![]);
    let err = fetch(&server.url("/missing"), &quick())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("HTTP 404") && err.contains("/missing"),
        "{err}"
    );
}

#[test]
fn a_refused_connection_fails_cleanly() {
    // Bind and drop to get a port nobody listens on.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = fetch(&format!("http://127.0.0.1:{port}/"), &quick()).unwrap_err();
    assert!(err.to_string().starts_with("cannot fetch"), "{err}");
}

#[test]
fn the_user_agent_names_quire() {
    let server = TestServer::start(vec![("/p", Reply::ok("text/plain", "x"))]);
    fetch(&server.url("/p"), &quick()).expect("fetched");
    let requests = server.requests.lock().unwrap();
    let head = requests[0].to_ascii_lowercase();
    assert!(head.contains("user-agent: quire/"), "{head}");
}

fn quire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_quire"))
}

/// The model's JSON as a value.
fn json_file(path: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .expect("valid JSON")
}

/// Every string in a JSON value, for "does the output mention X" checks.
fn strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[test]
fn cli_converts_a_url_with_links_resolved_against_the_final_url() {
    let server = TestServer::start(vec![
        ("/start", Reply::redirect("/news/2024/tides.html")),
        ("/news/2024/tides.html", Reply::ok("text/html", PAGE)),
    ]);
    let out = tempfile::tempdir().unwrap();
    let output = quire()
        .args(["convert", &server.url("/start"), "--to", "json", "-o"])
        .arg(out.path().join(""))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let doc = json_file(&out.path().join("start.json"));
    let mut all = Vec::new();
    strings(&doc, &mut all);
    let expected = server.url("/news/2024/notes.html");
    assert!(all.contains(&expected), "no {expected} in {all:?}");
    assert!(
        all.iter().any(|s| s.contains("High water comes later")),
        "{all:?}"
    );
}

#[test]
fn cli_url_list_converts_each_and_reports_the_failures() {
    let server = TestServer::start(vec![
        ("/a/first.html", Reply::ok("text/html", PAGE)),
        (
            "/second",
            Reply::ok("text/html; charset=windows-1251", {
                let mut page = b"<html><body><article><h1>".to_vec();
                // "Привет, мир" in windows-1251, with enough text to be the article.
                page.extend_from_slice(b"\xcf\xf0\xe8\xe2\xe5\xf2</h1><p>");
                for _ in 0..20 {
                    page.extend_from_slice(b"\xcf\xf0\xe8\xe2\xe5\xf2, \xec\xe8\xf0. ");
                }
                page.extend_from_slice(b"</p></article></body></html>");
                page
            }),
        ),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("urls.txt");
    fs::write(
        &list,
        format!(
            "# reading list\n{}\n\n{}\n{}\n",
            server.url("/a/first.html"),
            server.url("/gone"),
            server.url("/second")
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = quire()
        .args(["convert", "--to", "json", "--urls"])
        .arg(&list)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: cannot fetch it: the server answered HTTP 404",
            server.url("/gone")
        )),
        "{stderr}"
    );
    assert!(stderr.contains("2 converted, 1 failed"), "{stderr}");
    let first = json_file(&out.join("first.json"));
    assert_eq!(first["meta"]["title"], "Tides", "{first}");
    let second = json_file(&out.join("second.json"));
    let mut all = Vec::new();
    strings(&second, &mut all);
    assert!(all.iter().any(|s| s.contains("Привет, мир")), "{all:?}");
    assert!(!out.join("gone.json").exists());
}

#[test]
fn cli_rejects_a_url_list_with_a_non_url() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("urls.txt");
    fs::write(&list, "https://example.org/a\nftp://example.org/b\n").unwrap();
    let output = quire()
        .args(["convert", "--urls"])
        .arg(&list)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("urls.txt:2") && stderr.contains("ftp://"),
        "{stderr}"
    );
}

#[test]
fn test_server_reads_request_bodies_it_does_not_need() {
    // The helper must not choke on a request with a body; keeps the server honest.
    let server = TestServer::start(vec![("/p", Reply::ok("text/plain", "x"))]);
    let mut stream = TcpStream::connect(server.base.trim_start_matches("http://")).unwrap();
    stream
        .write_all(b"GET /p HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.ends_with('x'),
        "{answer}"
    );
}

// Private addresses. The test servers all listen on loopback; one of them plays a public
// site through `treat_as_public`, so the rules for public pages can be exercised. The
// "private" servers record every request: the checks are that none arrived.

/// A small valid PNG.
fn png() -> Vec<u8> {
    crate::support::png_bytes(8, 6)
}

/// A page whose figures are the given image URLs.
fn page_with_images(urls: &[String]) -> String {
    let mut page = String::from(
        "<!DOCTYPE html><html><head><title>Harbour</title></head><body><article>\
         <h1>Harbour news</h1><p>The harbour master reports calm seas, a busy week of \
         ferries and a new light on the north pier, visible for twelve miles.</p>",
    );
    for (i, url) in urls.iter().enumerate() {
        page.push_str(&format!(
            "<figure><img src=\"{url}\" alt=\"picture {i}\"><figcaption>Picture {i}\
             </figcaption></figure><p>More words about the harbour after picture {i}, \
             so that the article goes on.</p>"
        ));
    }
    page.push_str("</article></body></html>");
    page
}

/// Fetches `page_url` as a library user would, reads it, and makes a book of it with the
/// page's images downloaded; `public` is the server taken as a public site.
fn book_of_page(page_url: &str, public: SocketAddr, allow_private: bool) -> quire::Rendered {
    let fetched = fetch(
        page_url,
        &FetchOptions {
            treat_as_public: vec![public],
            ..quick()
        },
    )
    .expect("the page");
    assert!(!fetched.private, "the page is taken as public");
    let reading = quire::read(
        &fetched.bytes,
        quire::InputFormat::Html,
        &quire::ReadOptions {
            source_url: Some(fetched.final_url),
            ..quire::ReadOptions::default()
        },
    )
    .expect("read");
    let options = quire::WriteOptions {
        fetch_images: true,
        remote_images: ImageFetchOptions {
            allow_private: allow_private || fetched.private,
            treat_as_public: vec![public],
            ..ImageFetchOptions::default()
        },
        ..quire::WriteOptions::default()
    };
    quire::write(&reading.document, quire::OutputFormat::Epub, &options).expect("a book")
}

#[test]
fn a_public_page_cannot_make_quire_fetch_private_addresses() {
    let inside = TestServer::start(vec![
        ("/internal-admin/delete?id=1", Reply::ok("image/png", png())),
        ("/a.png", Reply::ok("image/png", png())),
    ]);
    let inside_v6 =
        TestServer::start_on("[::1]:0", vec![("/a.png", Reply::ok("image/png", png()))]);
    let port = inside.address().port();
    let v6_port = inside_v6.address().port();
    let images = vec![
        format!("http://127.1:{port}/internal-admin/delete?id=1"),
        format!("http://0x7f000001:{port}/a.png"),
        format!("http://2130706433:{port}/a.png"),
        format!("http://localhost:{port}/a.png"),
        format!("http://[::ffff:127.0.0.1]:{port}/a.png"),
        format!("http://[::1]:{v6_port}/a.png"),
        // The public site's own image, and one of its images that redirects inside.
        "/site/ok.png".to_string(),
        "/site/moved.png".to_string(),
    ];
    let site = TestServer::start(vec![
        (
            "/site/page.html",
            Reply::ok("text/html", page_with_images(&images)),
        ),
        ("/site/ok.png", Reply::ok("image/png", png())),
        (
            "/site/moved.png",
            Reply::redirect(&format!("http://127.0.0.1:{port}/a.png")),
        ),
    ]);

    let rendered = book_of_page(&site.url("/site/page.html"), site.address(), false);
    assert!(
        inside.paths().is_empty(),
        "requests inside: {:?}",
        inside.paths()
    );
    assert!(
        inside_v6.paths().is_empty(),
        "requests to [::1]: {:?}",
        inside_v6.paths()
    );
    let site_paths = site.paths();
    assert!(
        site_paths.contains(&"/site/ok.png".to_string()),
        "{site_paths:?}"
    );
    assert!(
        site_paths.contains(&"/site/moved.png".to_string()),
        "{site_paths:?}"
    );
    let refused: Vec<&str> = rendered
        .warnings
        .iter()
        .map(|w| w.message.as_str())
        .filter(|m| m.contains("refused") && m.contains("--allow-private"))
        .collect();
    // One warning per image: the reader writes `0x7f000001` and `2130706433` as 127.0.0.1,
    // so those two are one image.
    let mut private_images: Vec<String> = images[..6]
        .iter()
        .map(|u| url::Url::parse(u).unwrap().to_string())
        .collect();
    private_images.sort();
    private_images.dedup();
    assert_eq!(
        refused.len(),
        private_images.len() + 1,
        "{:?}",
        rendered.warnings
    );
    let files = crate::epub::unzip(&rendered.bytes);
    let embedded = files
        .iter()
        .filter(|(name, _)| name.starts_with("OEBPS/images/image-"))
        .count();
    assert_eq!(embedded, 1, "only the public image is in the book");

    // The same page with private addresses allowed reaches them: the refusals above were the
    // rule's doing, not an unreachable server.
    let rendered = book_of_page(&site.url("/site/page.html"), site.address(), true);
    assert!(
        inside
            .paths()
            .contains(&"/internal-admin/delete?id=1".to_string()),
        "{:?}",
        inside.paths()
    );
    assert_eq!(inside_v6.paths(), vec!["/a.png".to_string()]);
    assert!(
        rendered
            .warnings
            .iter()
            .all(|w| !w.message.contains("refused")),
        "{:?}",
        rendered.warnings
    );
}

#[test]
fn a_public_url_that_redirects_to_a_private_address_is_refused() {
    let inside = TestServer::start(vec![("/secret", Reply::ok("text/html", PAGE))]);
    let site = TestServer::start(vec![(
        "/go",
        Reply::redirect(&format!(
            "http://localhost:{}/secret",
            inside.address().port()
        )),
    )]);
    let options = FetchOptions {
        treat_as_public: vec![site.address()],
        ..quick()
    };
    let err = fetch(&site.url("/go"), &options).unwrap_err().to_string();
    assert!(err.contains("refused") && err.contains("loopback"), "{err}");
    assert!(inside.paths().is_empty(), "{:?}", inside.paths());

    // Typed by the user, a private URL is fetched, redirects inside it too, and says so.
    let same = TestServer::start(vec![
        ("/start", Reply::redirect("/secret")),
        ("/secret", Reply::ok("text/html", PAGE)),
    ]);
    let fetched = fetch(&same.url("/start"), &quick()).expect("typed private URL");
    assert!(fetched.private);
    // Unless everything private is refused.
    let refused = FetchOptions {
        private: PrivateAddresses::Refused,
        ..quick()
    };
    let err = fetch(&same.url("/secret"), &refused)
        .unwrap_err()
        .to_string();
    assert!(err.contains("refused"), "{err}");
}

#[test]
fn cli_fetches_private_images_only_for_private_pages_or_with_allow_private() {
    let inside = TestServer::start(vec![("/pic.png", Reply::ok("image/png", png()))]);
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("local.html");
    fs::write(&local, page_with_images(&[inside.url("/pic.png")])).unwrap();

    // A local file's page is not a private web page: its loopback image is refused.
    let output = quire()
        .args(["convert", "--fetch-images", "--to", "epub", "-o"])
        .arg(dir.path().join("a.epub"))
        .arg(&local)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("--allow-private"), "{stderr}");
    assert!(inside.paths().is_empty(), "{:?}", inside.paths());

    let output = quire()
        .args([
            "convert",
            "--fetch-images",
            "--allow-private",
            "--to",
            "epub",
            "-o",
        ])
        .arg(dir.path().join("b.epub"))
        .arg(&local)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(inside.paths(), vec!["/pic.png".to_string()]);

    // A page the user typed on a private address has its images there fetched.
    let site = TestServer::start(vec![
        (
            "/page.html",
            Reply::ok("text/html", page_with_images(&["pic.png".into()])),
        ),
        ("/pic.png", Reply::ok("image/png", png())),
    ]);
    let output = quire()
        .args(["convert", "--to", "epub", "-o"])
        .arg(dir.path().join("c.epub"))
        .arg(site.url("/page.html"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(site.paths(), vec!["/page.html", "/pic.png"], "{stderr}");
}

#[test]
fn a_bundle_with_one_url_does_not_fetch_the_local_chapters_images() {
    let images = TestServer::start(vec![
        ("/local-pic.png", Reply::ok("image/png", png())),
        ("/web-pic.png", Reply::ok("image/png", png())),
    ]);
    let site = TestServer::start(vec![(
        "/page.html",
        Reply::ok("text/html", page_with_images(&[images.url("/web-pic.png")])),
    )]);
    let dir = tempfile::tempdir().unwrap();
    let local = dir.path().join("local.html");
    fs::write(&local, page_with_images(&[images.url("/local-pic.png")])).unwrap();
    let output = quire()
        .args(["bundle", "--allow-private", "-o"])
        .arg(dir.path().join("book.epub"))
        .arg(&local)
        .arg(site.url("/page.html"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(images.paths(), vec!["/web-pic.png"], "{stderr}");
    assert!(stderr.contains("1 remote image left as links"), "{stderr}");
}

/// A run killed while an image is downloading leaves no file in the temporary folder. Each
/// download went to a named temporary file, removed only when quire dropped it: a killed run
/// (ctrl-c during a download, SIGKILL, a crash) left it behind, and test runs had left dozens
/// in `/tmp`. A download now goes to a file with no name, which the system removes.
#[cfg(target_os = "linux")]
#[test]
fn a_run_killed_mid_download_leaves_nothing_in_the_temporary_folder() {
    let site = TestServer::start(vec![(
        "/pic.png",
        Reply {
            // Headers at once, the body never (within the test): the download is under way.
            stall: Duration::from_secs(60),
            ..Reply::ok("image/png", png())
        },
    )]);
    let dir = tempfile::tempdir().unwrap();
    let temporary = dir.path().join("tmp");
    fs::create_dir(&temporary).unwrap();
    let page = dir.path().join("page.html");
    fs::write(&page, page_with_images(&[site.url("/pic.png")])).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
        .args([
            "convert",
            "--fetch-images",
            "--allow-private",
            "--to",
            "epub",
        ])
        .arg("-o")
        .arg(dir.path().join("page.epub"))
        .arg(&page)
        .env("TMPDIR", &temporary)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until quire holds a file in the temporary folder open: the download's.
    let fd_dir = format!("/proc/{}/fd", child.id());
    let holds_temporary_file = || {
        fs::read_dir(&fd_dir).is_ok_and(|fds| {
            fds.flatten().any(|fd| {
                fs::read_link(fd.path()).is_ok_and(|target| target.starts_with(&temporary))
            })
        })
    };
    let started = Instant::now();
    while !holds_temporary_file() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "quire ended before it downloaded"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no download began: {:?}",
            site.paths()
        );
        thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let left: Vec<_> = fs::read_dir(&temporary)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    assert!(!dir.path().join("page.epub").exists());
}
