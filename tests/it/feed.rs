//! `quire feed` against a server the tests start on 127.0.0.1, serving the feeds of
//! tests/data/feeds (RSS 2.0 served as text/html with an ETag, Atom gzipped with
//! Last-Modified, JSON Feed, RSS 0.91 behind a redirect, a malformed feed, a feed whose items
//! are a 404 and a page slower than the timeout) and their article pages.

// The zip reader and EPUBCheck runner of the KEPUB tests.
use crate::http::{read_request_head, RequestHead};
use crate::kepub::kepub_rules as kepub;

use assert_cmd::Command;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::collections::HashMap;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/feeds");

/// A request as the server read it: path and headers (names lowercased).
#[derive(Debug, Clone)]
struct Request {
    path: String,
    headers: HashMap<String, String>,
}

impl Request {
    fn conditional(&self) -> bool {
        self.headers.contains_key("if-none-match") || self.headers.contains_key("if-modified-since")
    }
}

/// The feeds' server. `extra` adds two items to rss.xml (and changes its ETag).
struct FeedServer {
    base: String,
    requests: Arc<Mutex<Vec<Request>>>,
    extra: Arc<AtomicBool>,
}

impl FeedServer {
    fn start() -> FeedServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let extra = Arc::new(AtomicBool::new(false));
        let (seen, more) = (Arc::clone(&requests), Arc::clone(&extra));
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (seen, more) = (Arc::clone(&seen), Arc::clone(&more));
                thread::spawn(move || serve(stream, &seen, &more));
            }
        });
        FeedServer {
            base,
            requests,
            extra,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn take_requests(&self) -> Vec<Request> {
        std::mem::take(&mut *self.requests.lock().unwrap())
    }
}

fn data(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(DATA).join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

struct Answer {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    delay: Duration,
}

fn ok(content_type: &str, body: Vec<u8>) -> Answer {
    Answer {
        status: 200,
        headers: vec![("Content-Type", content_type.to_string())],
        body,
        delay: Duration::ZERO,
    }
}

fn status(code: u16) -> Answer {
    Answer {
        status: code,
        headers: Vec::new(),
        body: Vec::new(),
        delay: Duration::ZERO,
    }
}

fn redirect(to: &str) -> Answer {
    let mut answer = status(301);
    answer.headers.push(("Location", to.to_string()));
    answer
}

fn answer(request: &Request, extra: bool) -> Answer {
    let path = request.path.split('?').next().unwrap_or("/");
    match path {
        // Served as text/html (a wrong type), validated by ETag.
        "/rss.xml" => {
            let etag = if extra { "\"rss-v2\"" } else { "\"rss-v1\"" };
            if request.headers.get("if-none-match").map(String::as_str) == Some(etag) {
                return status(304);
            }
            let mut text = String::from_utf8(data("rss.xml")).unwrap();
            if extra {
                let items = String::from_utf8(data("rss-extra.xml")).unwrap();
                text = text.replace("<!--EXTRA-->", &items);
            }
            let mut answer = ok("text/html; charset=utf-8", text.into_bytes());
            answer.headers.push(("ETag", etag.to_string()));
            answer
        }
        // Gzipped when asked, validated by Last-Modified.
        "/atom.xml" => {
            let stamp = "Wed, 02 Dec 2026 10:00:00 GMT";
            if request.headers.get("if-modified-since").map(String::as_str) == Some(stamp) {
                return status(304);
            }
            let body = data("atom.xml");
            let gzip = request
                .headers
                .get("accept-encoding")
                .is_some_and(|e| e.contains("gzip"));
            let mut answer = if gzip {
                let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
                encoder.write_all(&body).unwrap();
                let mut answer = ok("application/atom+xml", encoder.finish().unwrap());
                answer
                    .headers
                    .push(("Content-Encoding", "gzip".to_string()));
                answer
            } else {
                ok("application/atom+xml", body)
            };
            answer.headers.push(("Last-Modified", stamp.to_string()));
            answer
        }
        "/feed.json" => {
            if request.headers.get("if-none-match").map(String::as_str) == Some("\"json-1\"") {
                return status(304);
            }
            let mut answer = ok("application/feed+json", data("feed.json"));
            answer.headers.push(("ETag", "\"json-1\"".to_string()));
            answer
        }
        "/old.xml" => redirect("/rss091.xml"),
        "/rss091.xml" => {
            if request.headers.get("if-none-match").map(String::as_str) == Some("\"old\"") {
                return status(304);
            }
            let mut answer = ok("text/xml", data("rss091.xml"));
            answer.headers.push(("ETag", "\"old\"".to_string()));
            answer
        }
        "/broken.xml" => ok("application/rss+xml", data("broken.xml")),
        "/enclosure.xml" => ok("application/rss+xml", data("enclosure.xml")),
        "/trouble.xml" => ok("application/rss+xml", data("trouble.xml")),
        "/articles/redirected-old.html" => redirect("/articles/redirected.html"),
        "/articles/slow.html" => {
            let mut answer = ok("text/html", data("articles/harbour.html"));
            answer.delay = Duration::from_secs(4);
            answer
        }
        "/img/pic.png" => ok("image/png", data("img/pic.png")),
        _ => match path.strip_prefix("/articles/") {
            Some(name) if Path::new(DATA).join("articles").join(name).is_file() => ok(
                "text/html; charset=utf-8",
                data(&format!("articles/{name}")),
            ),
            _ => status(404),
        },
    }
}

fn serve(stream: TcpStream, seen: &Mutex<Vec<Request>>, extra: &AtomicBool) {
    let Some(RequestHead { path, headers }) = read_request_head(&stream) else {
        return;
    };
    let headers: HashMap<String, String> = headers.into_iter().collect();
    let request = Request { path, headers };
    seen.lock().unwrap().push(request.clone());
    let answer = answer(&request, extra.load(Ordering::SeqCst));
    thread::sleep(answer.delay);
    let reason = if answer.status < 400 { "OK" } else { "Error" };
    let mut head = format!(
        "HTTP/1.1 {} {reason}\r\nConnection: close\r\n",
        answer.status
    );
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", answer.body.len()));
    let mut out = stream;
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(&answer.body);
    let _ = out.flush();
}

fn quire() -> Command {
    Command::cargo_bin("quire").unwrap()
}

/// Runs `quire feed ARGS…`: exit code, stderr.
fn feed(args: &[&str]) -> (i32, String) {
    let output = quire()
        .arg("feed")
        .args(args)
        .args(["--timeout", "1", "--retries", "0"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn books_in(dir: &Path) -> Vec<PathBuf> {
    let mut books: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    let name = p.file_name().unwrap().to_string_lossy();
                    !name.starts_with('.')
                })
                .collect()
        })
        .unwrap_or_default();
    books.sort();
    books
}

/// The book's contents as (part, [article titles]).
fn contents(book: &Path) -> Vec<(String, Vec<String>)> {
    kepub::nav_parts(&std::fs::read(book).unwrap())
}

fn today() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    chrono::DateTime::from_timestamp(seconds as i64, 0)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string()
}

fn assert_epubcheck_clean(books: &[PathBuf]) {
    if let Some(failures) = kepub::epubcheck_all(books) {
        assert!(failures.is_empty(), "epubcheck: {failures:#?}");
    }
}

#[test]
fn a_newspaper_from_every_kind_of_feed_then_only_what_is_new() {
    let server = FeedServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("papers");
    let out_arg = format!("{}/", out.display());
    // An OPML file of some feeds (in folders), the rest on the command line.
    let opml = dir.path().join("feeds.opml");
    std::fs::write(
        &opml,
        format!(
            r#"<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline text="News"><outline text="Harbour" xmlUrl="{}"/><outline text="Lighthouse" xmlUrl="{}"/></outline>
<outline text="Broken" xmlUrl="{}"/></body></opml>"#,
            server.url("/rss.xml"),
            server.url("/atom.xml"),
            server.url("/broken.xml")
        ),
    )
    .unwrap();
    let opml_arg = opml.display().to_string();
    let (json, old, trouble) = (
        server.url("/feed.json"),
        server.url("/old.xml"),
        server.url("/trouble.xml"),
    );
    let (code, stderr) = feed(&[&opml_arg, &json, &old, &trouble, "-o", &out_arg]);
    // The malformed feed, the 404 and the slow page are reported and left out.
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("broken.xml: not valid feed"), "{stderr}");
    assert!(stderr.contains("/articles/missing.html"), "{stderr}");
    assert!(stderr.contains("/articles/slow.html"), "{stderr}");
    let books = books_in(&out);
    let book = out.join(format!("news-{}.epub", today()));
    assert_eq!(books, std::slice::from_ref(&book), "{stderr}");
    assert_epubcheck_clean(&books);
    // One part per feed that gave articles, in order, each with its articles; the article
    // in two feeds is under the first only.
    assert_eq!(
        contents(&book),
        [
            (
                "Harbour".to_string(),
                vec![
                    "The harbour wall".to_string(),
                    "The morning \u{201c}ferry\u{201d}".to_string(),
                    "One story, two feeds".to_string()
                ]
            ),
            (
                "Lighthouse".to_string(),
                vec![
                    "The lighthouse keeper".to_string(),
                    "Market day".to_string()
                ]
            ),
            (
                "JSON Notes".to_string(),
                vec!["Notes from JSON".to_string()]
            ),
            (
                "Old School".to_string(),
                vec!["Moved but found".to_string()]
            ),
        ]
    );
    let files = kepub::unzip(&std::fs::read(&book).unwrap()).unwrap();
    let chapter =
        |n: usize| String::from_utf8(files[&format!("OEBPS/chapter-{n}.xhtml")].clone()).unwrap();
    // The page was extracted (no site navigation), its image is in the book, its relative
    // link absolute.
    assert!(
        chapter(1).contains("harbour wall paragraph 4"),
        "{}",
        chapter(1)
    );
    assert!(!chapter(1).contains("About</a>"), "{}", chapter(1));
    assert!(chapter(1).contains("src=\"images/"), "{}", chapter(1));
    assert!(
        chapter(1).contains(&server.url("/about.html")),
        "{}",
        chapter(1)
    );
    // The Atom entry's own content is the whole article: its page (a 404) was not fetched.
    assert!(
        chapter(4).contains("lighthouse keeper paragraph 4"),
        "{}",
        chapter(4)
    );
    assert!(chapter(4).contains("Ada Keeper"), "{}", chapter(4));
    let first = server.take_requests();
    assert!(
        !first
            .iter()
            .any(|r| r.path.contains("lighthouse-not-fetched")),
        "{first:#?}"
    );
    assert!(
        first.iter().any(|r| r.path == "/rss091.xml"),
        "the redirect was followed"
    );
    let state_file = out.join(".quire-feed-state.json");
    let state = std::fs::read_to_string(&state_file).unwrap();
    assert!(state.contains("rss-v1"), "{state}");
    assert!(state.contains("Wed, 02 Dec 2026 10:00:00 GMT"), "{state}");

    // Right after: the feeds are asked for conditionally, nothing is new, no book.
    let list = dir.path().join("feeds.txt");
    std::fs::write(
        &list,
        format!(
            "# the same feeds, less the broken ones\n{}\n{}\n\n{} # json\n{}\n",
            server.url("/rss.xml"),
            server.url("/atom.xml"),
            json,
            old
        ),
    )
    .unwrap();
    let list_arg = list.display().to_string();
    let (code, stderr) = feed(&[&list_arg, "-o", &out_arg]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("nothing new"), "{stderr}");
    assert_eq!(books_in(&out), std::slice::from_ref(&book));
    let second = server.take_requests();
    for path in ["/rss.xml", "/atom.xml", "/feed.json", "/old.xml"] {
        let asked: Vec<&Request> = second.iter().filter(|r| r.path == path).collect();
        assert!(!asked.is_empty(), "{path} not asked for");
        assert!(asked.iter().all(|r| r.conditional()), "{path}: {asked:#?}");
    }
    assert!(
        !second.iter().any(|r| r.path.starts_with("/articles/")),
        "{second:#?}"
    );

    // Two new items: a book of exactly those two, the day's second.
    server.extra.store(true, Ordering::SeqCst);
    let (code, stderr) = feed(&[&list_arg, "-o", &out_arg]);
    assert_eq!(code, 0, "{stderr}");
    let second_book = out.join(format!("news-{}-2.epub", today()));
    assert_eq!(
        books_in(&out),
        [second_book.clone(), book.clone()],
        "{stderr}"
    );
    assert_eq!(
        contents(&second_book),
        [(
            "Harbour News & Views".to_string(),
            vec!["Extra two".to_string(), "Extra one".to_string()]
        )]
    );
    assert_epubcheck_clean(std::slice::from_ref(&second_book));
}

#[test]
fn since_and_max_per_feed_choose_items() {
    let server = FeedServer::start();
    let dir = tempfile::tempdir().unwrap();
    let rss = server.url("/rss.xml");
    // Dated 1 Dec (kept), 30 Nov (too old), undated (kept).
    let book = dir.path().join("since.epub");
    let (code, stderr) = feed(&[&rss, "-o", book.to_str().unwrap(), "--since", "2026-12-01"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        contents(&book),
        [(
            "Harbour News & Views".to_string(),
            vec![
                "The harbour wall".to_string(),
                "One story, two feeds".to_string()
            ]
        )]
    );
    // Another folder, no state: the newest one only.
    let book = dir.path().join("one/max.epub");
    let (code, stderr) = feed(&[&rss, "-o", book.to_str().unwrap(), "--max-per-feed", "1"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        contents(&book),
        [(
            "Harbour News & Views".to_string(),
            vec!["The harbour wall".to_string()]
        )]
    );
    let (code, stderr) = feed(&[&rss, "-o", "x.epub", "--since", "yesterday"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("'yesterday'"), "{stderr}");
}

/// A local feed file whose one item (with its content, no link) is number `n`.
fn write_local_feed(path: &Path, n: usize) {
    let paragraphs: String = (1..=4)
        .map(|p| {
            format!(
                "&lt;p&gt;Issue {n}, paragraph {p}: {}&lt;/p&gt;",
                "words that make it long ".repeat(10)
            )
        })
        .collect();
    std::fs::write(
        path,
        format!(
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title><link>https://local.example/</link><description>d</description>
<item><title>Issue {n}</title><guid isPermaLink="false">issue-{n}</guid><description>{paragraphs}</description></item>
</channel></rss>"#
        ),
    )
    .unwrap();
}

#[test]
fn keep_removes_only_older_papers_quire_made() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("papers");
    std::fs::create_dir_all(&out).unwrap();
    // Named like a paper, but not made by quire: never removed.
    let stranger = out.join("local-2020-01-01.epub");
    std::fs::write(&stranger, b"mine").unwrap();
    let source = dir.path().join("local.xml");
    let out_arg = format!("{}/", out.display());
    for n in 1..=3 {
        write_local_feed(&source, n);
        let (code, stderr) = feed(&[source.to_str().unwrap(), "-o", &out_arg, "--keep", "2"]);
        assert_eq!(code, 0, "{stderr}");
    }
    let day = today();
    assert_eq!(
        books_in(&out),
        [
            stranger.clone(),
            out.join(format!("local-{day}-2.epub")),
            out.join(format!("local-{day}-3.epub")),
        ]
    );
    // Nothing new: nothing written, nothing removed.
    let (code, stderr) = feed(&[source.to_str().unwrap(), "-o", &out_arg, "--keep", "1"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("nothing new"), "{stderr}");
    assert_eq!(books_in(&out).len(), 3);
}

#[test]
fn a_run_killed_midway_leaves_the_state_file_whole() {
    let server = FeedServer::start();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("papers");
    let out_arg = format!("{}/", out.display());
    let (code, stderr) = feed(&[&server.url("/feed.json"), "-o", &out_arg]);
    assert_eq!(code, 0, "{stderr}");
    let state_file = out.join(".quire-feed-state.json");
    let before = std::fs::read(&state_file).unwrap();
    // The slow page holds the run; it is killed while it waits.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("quire"))
        .args([
            "feed",
            &server.url("/trouble.xml"),
            &server.url("/rss.xml"),
            "-o",
            &out_arg,
        ])
        .args(["--timeout", "30", "-q"])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !server
        .take_requests()
        .iter()
        .any(|r| r.path == "/articles/slow.html")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the slow page was never asked for"
        );
        thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let after = std::fs::read(&state_file).unwrap();
    assert_eq!(after, before, "the state file changed");
    let parsed: serde_json::Value = serde_json::from_slice(&after).unwrap();
    assert!(parsed["delivered"].as_array().is_some_and(|d| d.len() == 2));
    // No temporary file, no book of the killed run.
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.iter().filter(|n| n.ends_with(".epub")).count(),
        1,
        "{names:?}"
    );
}

#[test]
fn bad_usage_exits_2() {
    let (code, stderr) = feed(&["feed.xml", "-o", "out.txt", "--to", "txt"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, stderr) = feed(&["feed.xml", "-o", "out/", "--max-per-feed", "0"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, stderr) = feed(&["feed.xml", "-o", "out/", "--keep", "0"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn kepub_and_html_papers_have_their_parts() {
    let server = FeedServer::start();
    let dir = tempfile::tempdir().unwrap();
    let (rss, json) = (server.url("/rss.xml"), server.url("/feed.json"));
    let book = dir.path().join("k/paper.kepub.epub");
    let (code, stderr) = feed(&[
        &rss,
        &json,
        "-o",
        book.to_str().unwrap(),
        "--title",
        "Morning",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let bytes = std::fs::read(&book).unwrap();
    kepub::check_kepub(&bytes).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        contents(&book),
        [
            (
                "Harbour News & Views".to_string(),
                vec![
                    "The harbour wall".to_string(),
                    "The morning \u{201c}ferry\u{201d}".to_string(),
                    "One story, two feeds".to_string()
                ]
            ),
            (
                "JSON Notes".to_string(),
                vec!["Notes from JSON".to_string()]
            ),
        ]
    );
    let files = kepub::unzip(&bytes).unwrap();
    let opf = String::from_utf8(files["OEBPS/content.opf"].clone()).unwrap();
    assert!(
        opf.contains(&format!("Morning \u{2014} {}", today())),
        "{opf}"
    );
    assert_epubcheck_clean(std::slice::from_ref(&book));

    // HTML: a heading per feed, the articles one level below.
    let page = dir.path().join("h/paper.html");
    let (code, stderr) = feed(&[&rss, &json, "-o", page.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let html = std::fs::read_to_string(&page).unwrap();
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle}: {html}"))
    };
    assert!(at(">Harbour News &amp; Views</h1>") < at(">The harbour wall</h2>"));
    assert!(at(">The harbour wall</h2>") < at(">JSON Notes</h1>"));
    assert!(at(">JSON Notes</h1>") < at(">Notes from JSON</h2>"));
}

#[test]
fn a_broken_state_file_or_missing_source_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("local.xml");
    write_local_feed(&source, 1);
    let out = dir.path().join("papers");
    std::fs::create_dir_all(&out).unwrap();
    let state = out.join(".quire-feed-state.json");
    std::fs::write(&state, b"{\"version\": 1, \"delivered\": [").unwrap();
    let out_arg = format!("{}/", out.display());
    let (code, stderr) = feed(&[source.to_str().unwrap(), "-o", &out_arg]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains(".quire-feed-state.json"), "{stderr}");
    assert!(stderr.contains("remove the file"), "{stderr}");
    // The broken file is left as it was, for the user to look at; no book.
    assert_eq!(
        std::fs::read(&state).unwrap(),
        b"{\"version\": 1, \"delivered\": ["
    );
    assert!(books_in(&out).is_empty());

    // A source that does not exist is reported; the others make the book.
    std::fs::remove_file(&state).unwrap();
    let missing = dir.path().join("nowhere.opml");
    let (code, stderr) = feed(&[
        missing.to_str().unwrap(),
        source.to_str().unwrap(),
        "-o",
        &out_arg,
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("nowhere.opml"), "{stderr}");
    assert_eq!(books_in(&out).len(), 1, "{stderr}");
}

#[test]
fn an_image_enclosure_leads_an_article_without_pictures() {
    let server = FeedServer::start();
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("pictures.epub");
    let (code, stderr) = feed(&[&server.url("/enclosure.xml"), "-o", book.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let files = kepub::unzip(&std::fs::read(&book).unwrap()).unwrap();
    let chapter = String::from_utf8(files["OEBPS/chapter-1.xhtml"].clone()).unwrap();
    // The feed held the whole article (its page is not fetched); the enclosure, relative to
    // the feed, comes first, inside the book.
    let figure = chapter
        .find("<img src=\"images/")
        .unwrap_or_else(|| panic!("{chapter}"));
    assert!(figure < chapter.find("Paragraph 1").unwrap(), "{chapter}");
    assert!(
        files
            .keys()
            .any(|name| name.starts_with("OEBPS/images/image-")),
        "{:?}",
        files.keys()
    );
    let requests = server.take_requests();
    assert!(
        requests.iter().any(|r| r.path == "/img/pic.png"),
        "{requests:#?}"
    );
    assert!(
        !requests.iter().any(|r| r.path.contains("not-fetched")),
        "{requests:#?}"
    );
}

/// A source file that names no feed (empty, or only comments), or a line that is neither a
/// URL nor a file (a file that is no feed, read as a list), is an error naming the file and
/// the line, not "nothing new since the last run".
#[test]
fn a_source_that_names_no_feed_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.xml");
    std::fs::write(&empty, "").unwrap();
    let comments = dir.path().join("comments.txt");
    std::fs::write(&comments, "# my feeds\n\n").unwrap();
    let words = dir.path().join("words.xml");
    std::fs::write(&words, "hello, this is not a feed\n").unwrap();
    let out = dir.path().join("papers");
    let out = out.to_str().unwrap();
    for source in [&empty, &comments] {
        let (code, stderr) = feed(&[source.to_str().unwrap(), "-o", out]);
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains(&format!("{}: names no feed", source.display())),
            "{stderr}"
        );
        assert!(!stderr.contains("nothing new"), "{stderr}");
    }
    let (code, stderr) = feed(&[words.to_str().unwrap(), "-o", out]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:1: 'hello, this is not a feed' is neither an http(s) feed URL nor a feed file",
            words.display()
        )),
        "{stderr}"
    );
}
