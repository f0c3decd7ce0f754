//! `quire serve` over HTTP: the binary started on 127.0.0.1:0 with a temporary library and
//! `--allow-private`, pages served by a local test server, ureq as the browser. Every route,
//! the error cases (bad URL, too large, wrong token, CSRF missing, path traversal, a page that
//! fails to extract), the bookmarklet, the token beyond loopback, a kill during saves, and the
//! graceful stop.

use crate::kepub::kepub_rules::epubcheck_all;
use crate::net::{Reply, TestServer};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running `quire serve`; killed when dropped.
pub(crate) struct Server {
    child: Child,
    base: String,
    /// What it printed on standard error before it listened.
    banner: String,
    lines: mpsc::Receiver<String>,
}

impl Server {
    pub(crate) fn start(library: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
            .arg("serve")
            .arg("--library")
            .arg(library)
            .args(extra)
            .args(if extra.contains(&"--bind") {
                &[][..]
            } else {
                &["--bind", "127.0.0.1:0"][..]
            })
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("quire serve starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut banner = String::new();
        let base = loop {
            let line = lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("quire serve did not start; it said:\n{banner}"));
            banner.push_str(&line);
            banner.push('\n');
            if let Some(address) = line.strip_prefix("quire: listening on ") {
                break address.trim_end_matches('/').to_string();
            }
        };
        Server {
            child,
            base,
            banner,
            lines,
        }
    }

    /// The address of `path` on this server.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn port(&self) -> u16 {
        self.base.rsplit(':').next().unwrap().parse().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer: status, headers and body.
struct Answer {
    status: u16,
    location: Option<String>,
    content_type: String,
    set_cookies: Vec<String>,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A browser of one server: keeps its cookies, follows nothing by itself.
struct Browser {
    agent: ureq::Agent,
    base: String,
    cookies: Vec<(String, String)>,
    /// Extra headers sent with every request (Authorization, Origin, Host).
    headers: Vec<(String, String)>,
}

impl Browser {
    fn new(base: &str) -> Browser {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Browser {
            agent,
            base: base.to_string(),
            cookies: Vec::new(),
            headers: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn take(&mut self, response: ureq::http::Response<ureq::Body>) -> Answer {
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let location = header("location");
        let content_type = header("content-type").unwrap_or_default();
        let set_cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_string))
            .collect();
        for cookie in &set_cookies {
            let pair = cookie.split(';').next().unwrap_or("");
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.retain(|(k, _)| k != name);
                if !value.is_empty() {
                    self.cookies.push((name.to_string(), value.to_string()));
                }
            }
        }
        let body = response
            .into_body()
            .with_config()
            .limit(200 * 1024 * 1024)
            .read_to_vec()
            .expect("the body");
        Answer {
            status,
            location,
            content_type,
            set_cookies,
            body,
        }
    }

    fn get(&mut self, path: &str) -> Answer {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        if !self.cookies.is_empty() {
            request = request.header("Cookie", self.cookie_header());
        }
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let response = request.call().expect("the server answers");
        self.take(response)
    }

    fn post_raw(&mut self, path: &str, content_type: &str, body: &[u8]) -> Answer {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Content-Type", content_type);
        if !self.cookies.is_empty() {
            request = request.header("Cookie", self.cookie_header());
        }
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let response = request.send(body).expect("the server answers");
        self.take(response)
    }

    fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.post_raw(path, "application/x-www-form-urlencoded", body.as_bytes())
    }

    /// The CSRF token of this browser (fetching a page sets it).
    fn csrf(&mut self) -> String {
        if let Some((_, token)) = self.cookies.iter().find(|(k, _)| k == "quire_csrf") {
            return token.clone();
        }
        let page = self.get("/");
        assert_eq!(page.status, 200);
        let token = self
            .cookies
            .iter()
            .find(|(k, _)| k == "quire_csrf")
            .map(|(_, v)| v.clone())
            .expect("a CSRF cookie");
        assert!(
            page.text()
                .contains(&format!("name=\"csrf\" value=\"{token}\"")),
            "the form carries the cookie's token"
        );
        token
    }

    /// Posts a form with this browser's CSRF token.
    fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let csrf = self.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.post(path, &all)
    }

    fn upload(&mut self, name: &str, content: &[u8]) -> Answer {
        let csrf = self.csrf();
        let boundary = "quire-test-boundary-7f3a";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
                 --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.post_raw(
            "/upload",
            &format!("multipart/form-data; boundary={boundary}"),
            &body,
        )
    }
}

const ARTICLE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Tide tables of the harbour</title>\
<meta property=\"og:site_name\" content=\"Harbour News\">\
<meta name=\"author\" content=\"Ada Quay\">\
<meta property=\"article:published_time\" content=\"2026-11-02T08:00:00Z\"></head><body>\
<nav><a href=\"/\">Home</a> <a href=\"/sport\">Sport</a></nav>\
<article><h1>Tide tables of the harbour</h1>\
<p>The moon pulls the sea twice a day, and the harbour master writes the times in a ledger \
that only the fishermen read, each morning before the boats go out past the breakwater.</p>\
<figure><img src=\"/red.png\" alt=\"a red buoy\"><figcaption>The red buoy.</figcaption></figure>\
<p>Spring tides come with the new and the full moon; neap tides between them, when the sun \
and the moon pull at right angles and the water hardly rises at the quay.</p>\
<p>In winter the storms add their own surge, and the ledger gains a column for the wind.</p>\
<div class=\"newsletter\"><p>Subscribe to our newsletter for more harbour news!</p></div>\
</article></body></html>";

fn red_png() -> Vec<u8> {
    let mut png = Vec::new();
    image::RgbImage::from_pixel(320, 200, image::Rgb([200, 30, 30]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

fn pages() -> TestServer {
    TestServer::start(vec![
        (
            "/tides.html",
            Reply::ok("text/html; charset=utf-8", ARTICLE),
        ),
        ("/red.png", Reply::ok("image/png", red_png())),
        (
            "/empty.html",
            Reply::ok(
                "text/html",
                "<html><head><title>x</title></head><body></body></html>",
            ),
        ),
        (
            "/big.html",
            Reply::ok(
                "text/html",
                format!(
                    "<html><body><p>{}</p></body></html>",
                    "word ".repeat(40_000)
                ),
            ),
        ),
    ])
}

/// The id in a `/library/ID` redirect.
fn saved_id(answer: &Answer) -> String {
    assert_eq!(answer.status, 303, "{}", answer.text());
    let location = answer.location.clone().expect("a Location");
    location
        .strip_prefix("/library/")
        .unwrap_or_else(|| panic!("{location}"))
        .to_string()
}

fn epubcheck(book: &[u8], dir: &Path, name: &str) {
    let path = dir.join(name);
    std::fs::write(&path, book).unwrap();
    if let Some(failures) = epubcheck_all(&[path]) {
        assert!(failures.is_empty(), "epubcheck: {failures:#?}");
    }
}

#[test]
fn a_url_is_read_previewed_downloaded_and_saved() {
    let library = tempfile::tempdir().unwrap();
    let site = pages();
    let server = Server::start(library.path(), &["--allow-private"]);
    let mut browser = Browser::new(&server.base);

    let home = browser.get("/");
    assert_eq!(home.status, 200);
    let text = home.text();
    for id in [
        "id=\"url\"",
        "id=\"fetch\"",
        "id=\"file\"",
        "id=\"bookmarklet\"",
    ] {
        assert!(text.contains(id), "{id} on the start page");
    }
    assert!(home.set_cookies.iter().any(|c| c.starts_with("quire_csrf=")
        && c.contains("HttpOnly")
        && c.contains("SameSite=Strict")));

    let read = browser.submit("/read", &[("url", &site.url("/tides.html"))]);
    assert_eq!(read.status, 303, "{}", read.text());
    let preview_path = read.location.clone().unwrap();
    let preview = browser.get(&preview_path);
    assert_eq!(preview.status, 200);
    let page = preview.text();
    assert!(page.contains("<article id=\"preview\">"));
    assert!(
        page.contains("<h1 id=\"title\">Tide tables of the harbour</h1>"),
        "{page}"
    );
    assert!(
        page.contains("Ada Quay") && page.contains("Harbour News"),
        "{page}"
    );
    assert!(
        page.contains("<time id=\"date\" datetime=\"2026-11-02T08:00:00Z\">2 November 2026</time>"),
        "the date, written for people: {page}"
    );
    assert!(page.contains("neap tides between them"));
    // The downloads and the save button are under the title, before the text: on a phone the
    // end of a long article is far away.
    let save = page.find("id=\"save\"").expect("a save button");
    assert!(page.find("id=\"download-epub\"").unwrap() < page.find("neap tides").unwrap());
    assert!(save < page.find("neap tides").unwrap());
    let article =
        &page[page.find("<article id=\"preview\">").unwrap()..page.find("<details").unwrap()];
    assert!(
        !article.contains("Subscribe to our newsletter for more"),
        "extraction left it out"
    );
    assert!(page.contains("<details id=\"dropped\">"));
    assert!(page.contains("chosen: article"), "{page}");
    let dropped = &page[page
        .find("<ol id=\"dropped-blocks\">")
        .expect("a list of what was dropped")..];
    let dropped = &dropped[..dropped.find("</ol>").unwrap()];
    assert!(
        dropped.contains("Subscribe to our newsletter for more harbour news!"),
        "{dropped}"
    );
    assert!(!dropped.contains("neap tides"), "{dropped}");

    // Downloads work without saving.
    let scratch = tempfile::tempdir().unwrap();
    for (name, media, magic) in [
        ("epub", "application/epub+zip", &b"PK"[..]),
        ("kepub", "application/kepub+zip", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
        ("md", "text/markdown", b"---"),
        ("html", "text/html", b"<!DOCTYPE html>"),
    ] {
        assert!(page.contains(&format!("id=\"download-{name}\"")));
        let file = browser.get(&format!("{preview_path}/download/{name}"));
        assert_eq!(file.status, 200, "{name}");
        assert!(
            file.content_type.starts_with(media),
            "{name}: {}",
            file.content_type
        );
        assert!(file.body.starts_with(magic), "{name}");
        if name == "epub" {
            epubcheck(&file.body, scratch.path(), "preview.epub");
        }
    }
    let image_fetches = site.paths().iter().filter(|p| *p == "/red.png").count();
    assert_eq!(
        image_fetches, 1,
        "the image is fetched once for every download"
    );
    assert!(library.path().join("config.toml").is_file());
    assert_eq!(
        std::fs::read_dir(library.path()).unwrap().count(),
        1,
        "nothing saved by previewing"
    );

    let id = saved_id(&browser.submit(&format!("{preview_path}/save"), &[]));
    assert_eq!(
        saved_id(&browser.submit(&format!("{preview_path}/save"), &[])),
        id,
        "saving twice keeps one entry"
    );
    let entry = browser.get(&format!("/library/{id}"));
    assert_eq!(entry.status, 200);
    let page = entry.text();
    assert!(page.contains("neap tides between them"));
    // Its image was saved with it and is served from the library.
    let image_path = format!("/library/{id}/image/img-1.png");
    assert!(page.contains(&image_path), "{page}");
    let image = browser.get(&image_path);
    assert_eq!(
        (image.status, image.content_type.as_str()),
        (200, "image/png")
    );
    assert_eq!(image.body, red_png());

    let list = browser.get("/library").text();
    assert!(list.contains(&format!("id=\"entry-{id}\"")));
    assert!(list.contains("Harbour News") && list.contains("2026-11-02"));
    assert!(browser.get("/library?q=NEAP+tides").text().contains(&id));
    assert!(!browser.get("/library?q=volcano").text().contains(&id));

    // The saved article's EPUB, rendered from the library without the test site.
    drop(site);
    let book = browser.get(&format!("/library/{id}/download/epub"));
    assert_eq!(book.status, 200);
    epubcheck(&book.body, scratch.path(), "saved.epub");
    for name in ["kepub", "pdf", "md", "html"] {
        let file = browser.get(&format!("/library/{id}/download/{name}"));
        assert_eq!(file.status, 200, "{name}");
    }
    assert!(
        library.path().join(&id).join("article.epub").is_file(),
        "kept"
    );

    // The stored model is quire's JSON: `quire convert` reads it, images included.
    let out = scratch.path().join("again.html");
    let converted = Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("convert")
        .arg(library.path().join(&id).join("article.json"))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(converted.status.success(), "{converted:?}");
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("neap tides between them"));
    assert!(
        html.contains("data:image/png;base64,"),
        "the saved image is embedded"
    );
}

#[test]
fn uploads_are_read_by_their_name_and_capped() {
    let library = tempfile::tempdir().unwrap();
    let server = Server::start(library.path(), &["--max-upload", "4K"]);
    let mut browser = Browser::new(&server.base);
    let read = browser.upload("notes.md", b"# Field notes\n\nThe *heron* stood still.\n");
    assert_eq!(read.status, 303, "{}", read.text());
    let preview = browser.get(&read.location.unwrap()).text();
    assert!(preview.contains("<h1 id=\"title\">Field notes</h1>"));
    assert!(
        preview.contains("<em>heron</em>"),
        "read as Markdown: {preview}"
    );
    let text = browser.upload("plain.txt", b"Just a line of *text*.\n");
    let preview = browser.get(&text.location.unwrap()).text();
    assert!(preview.contains("Just a line of *text*."), "read as text");

    let empty = browser.upload("empty.html", b"");
    assert_eq!(empty.status, 400);
    let big = browser.upload("big.txt", "word ".repeat(2000).as_bytes());
    assert_eq!(big.status, 413, "{}", big.text());
    assert!(
        big.text().contains("larger than this server takes (4 KiB"),
        "{}",
        big.text()
    );
    let json = browser.upload("model.json", b"{\"version\": 1}");
    assert_eq!(json.status, 415);
}

#[test]
fn errors_answer_with_their_status_and_a_page() {
    let library = tempfile::tempdir().unwrap();
    std::fs::write(library.path().join("secret.txt"), "the secret").unwrap();
    let site = pages();
    let server = Server::start(library.path(), &["--allow-private", "--max-upload", "100K"]);
    let mut browser = Browser::new(&server.base);

    for (url, status) in [
        ("not a url", 400),
        ("ftp://example.org/x", 400),
        ("", 400),
        (&site.url("/missing.html") as &str, 502),
        (&site.url("/empty.html"), 422),
        (&site.url("/big.html"), 413),
    ] {
        let answer = browser.submit("/read", &[("url", url)]);
        assert_eq!(answer.status, status, "{url}: {}", answer.text());
        assert!(
            answer.text().contains("id=\"problem\""),
            "{url}: a page says why"
        );
        assert!(answer.content_type.starts_with("text/html"));
    }
    // A refused URL echoed back is escaped.
    let answer = browser.submit("/read", &[("url", "<script>alert(1)</script>")]);
    assert!(answer
        .text()
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!answer.text().contains("<script>alert(1)"));

    // CSRF: missing, wrong, and from another site.
    let csrf = browser.csrf();
    let url = site.url("/tides.html");
    assert_eq!(browser.post("/read", &[("url", &url)]).status, 403);
    assert_eq!(
        browser
            .post("/read", &[("url", &url), ("csrf", "0".repeat(32).as_str())])
            .status,
        403
    );
    browser.headers = vec![("Origin".into(), "http://evil.example".into())];
    assert_eq!(
        browser
            .post("/read", &[("url", &url), ("csrf", csrf.as_str())])
            .status,
        403
    );
    browser.headers = vec![("Host".into(), "evil.example".into())];
    assert_eq!(
        browser.get("/").status,
        421,
        "DNS rebinding: a foreign Host"
    );
    browser.headers = vec![("Host".into(), "LocalHost:8080".into())];
    assert_eq!(browser.get("/").status, 200, "a loopback name");
    browser.headers.clear();
    let mut stranger = Browser::new(&server.base);
    assert_eq!(
        stranger
            .post("/read", &[("url", &url), ("csrf", csrf.as_str())])
            .status,
        403,
        "a token without its cookie"
    );

    // Unknown ids, previews, formats and paths; traversal attempts.
    for path in [
        "/preview/0123456789abcdef0123456789abcdef",
        "/preview/../config.toml",
        "/library/no-such-entry",
        "/library/no-such-entry/download/epub",
        "/library/..%2f..%2fetc%2fpasswd/download/epub",
        "/library/%2e%2e/download/epub",
        "/library/%2E%2E%2Fsecret.txt/download/md",
        "/library/..%5csecret.txt/download/md",
        "/library/config.toml",
        "/library/x/image/..%2f..%2fsecret.txt",
        "/library/x/image/config.toml",
        "/nowhere",
    ] {
        let answer = browser.get(path);
        assert_eq!(answer.status, 404, "{path}");
        assert!(!answer.text().contains("the secret"), "{path}");
        assert!(!answer.text().contains("clip_key"), "{path}");
    }
    let read = browser.submit("/read", &[("url", &url)]);
    let preview = read.location.unwrap();
    assert_eq!(browser.get(&format!("{preview}/download/json")).status, 404);
    assert_eq!(
        browser.get(&format!("{preview}/download/..%2fepub")).status,
        404
    );
    let id = saved_id(&browser.submit(&format!("{preview}/save"), &[]));
    for path in [
        format!("/library/{id}/download/txt"),
        format!("/library/{id}/image/article.json"),
        format!("/library/{id}/image/img-1.png%2f..%2f..%2fsecret.txt"),
    ] {
        assert_eq!(browser.get(&path).status, 404, "{path}");
    }
    assert_eq!(
        browser.submit("/library/no-such-entry/delete", &[]).status,
        404
    );
    assert_eq!(
        browser
            .submit("/library/..%2fsecret.txt/delete", &[])
            .status,
        404
    );
    assert!(library.path().join("secret.txt").is_file());

    // Fetching loopback addresses is refused without --allow-private.
    let strict_library = tempfile::tempdir().unwrap();
    let strict = Server::start(strict_library.path(), &[]);
    let mut browser = Browser::new(&strict.base);
    let refused = browser.submit("/read", &[("url", &url)]);
    assert_eq!(refused.status, 403, "{}", refused.text());
    assert!(refused.text().contains("--allow-private"));
}

#[test]
fn the_bookmarklet_saves_the_page_the_browser_sent() {
    let library = tempfile::tempdir().unwrap();
    let server = Server::start(library.path(), &["--allow-private"]);
    let mut browser = Browser::new(&server.base);
    let config = std::fs::read_to_string(library.path().join("config.toml")).unwrap();
    let key = config
        .lines()
        .find_map(|l| l.strip_prefix("clip_key = \""))
        .and_then(|l| l.strip_suffix('"'))
        .expect("a clip key")
        .to_string();
    let home = browser.get("/").text();
    assert!(home.contains(&key), "the bookmarklet carries the key");
    assert!(home.contains(&format!("{}/clip", server.base)));

    // What a page built by JavaScript looks like once the browser ran it.
    let dom = "<html><head><title>Built late</title></head><body><div id=\"app\"><article>\
               <h1>Built late</h1><p>This text was written by a script after the page \
               loaded, so only the browser's DOM has it; a fetch of the page would not.</p>\
               <p>A second paragraph, to make an article of it, about scripts and pages.</p>\
               </article></div></body></html>";
    let page_url = "https://app.example.org/notes/42";
    // The bookmarklet posts from the page's own origin, with no cookie of quire's.
    let mut page = Browser::new(&server.base);
    page.headers = vec![("Origin".into(), "https://app.example.org".into())];
    let saved = page.post("/clip", &[("key", &key), ("url", page_url), ("html", dom)]);
    let id = saved_id(&saved);
    let entry = browser.get(&format!("/library/{id}")).text();
    assert!(entry.contains("written by a script after the page"));
    assert!(
        entry.contains("app.example.org"),
        "the site is the page's host"
    );
    let meta = std::fs::read_to_string(library.path().join(&id).join("meta.json")).unwrap();
    assert!(meta.contains(page_url), "{meta}");

    for fields in [
        vec![("key", "wrong"), ("url", page_url), ("html", dom)],
        vec![("url", page_url), ("html", dom)],
    ] {
        assert_eq!(page.post("/clip", &fields).status, 403);
    }
    assert_eq!(
        page.post(
            "/clip",
            &[("key", &key), ("url", "javascript:alert(1)"), ("html", dom)]
        )
        .status,
        400
    );
    assert_eq!(
        page.post(
            "/clip",
            &[("key", &key), ("url", page_url), ("html", "<html></html>")]
        )
        .status,
        422
    );
}

#[test]
fn books_are_made_of_selected_articles_and_entries_deleted() {
    let library = tempfile::tempdir().unwrap();
    let server = Server::start(library.path(), &[]);
    let mut browser = Browser::new(&server.base);
    let mut ids = Vec::new();
    for (title, text) in [
        (
            "Herons",
            "The heron stood in the shallows for an hour without moving once.",
        ),
        (
            "Otters",
            "Two otters slid down the muddy bank and into the river, again and again.",
        ),
    ] {
        let read = browser.upload(
            &format!("{title}.md"),
            format!("# {title}\n\n{text}\n").as_bytes(),
        );
        let preview = read.location.unwrap();
        ids.push(saved_id(&browser.submit(&format!("{preview}/save"), &[])));
    }
    let list = browser.get("/library").text();
    assert!(list.contains("id=\"make-book\"") && list.contains("type=\"checkbox\""));
    assert_eq!(
        browser.submit("/library/book", &[]).status,
        400,
        "nothing selected"
    );
    let book = saved_id(&browser.submit(
        "/library/book",
        &[("id", &ids[0]), ("id", &ids[1]), ("title", "River notes")],
    ));
    let page = browser.get(&format!("/library/{book}")).text();
    assert!(page.contains("River notes"));
    assert!(browser
        .get("/library")
        .text()
        .contains(&format!("id=\"newest\" href=\"/library/{book}\"")));
    let cover = browser.get(&format!("/library/{book}/cover"));
    assert_eq!(
        (cover.status, cover.content_type.as_str()),
        (200, "image/png")
    );
    assert!(cover.body.starts_with(b"\x89PNG"));
    assert!(
        library.path().join(&book).join("cover.png").is_file(),
        "kept"
    );
    let meta = std::fs::read_to_string(library.path().join(&book).join("meta.json")).unwrap();
    assert!(meta.contains("\"kind\": \"book\""), "{meta}");
    let epub = browser.get(&format!("/library/{book}/download/epub"));
    assert_eq!(epub.status, 200);
    let scratch = tempfile::tempdir().unwrap();
    epubcheck(&epub.body, scratch.path(), "book.epub");
    assert_eq!(
        browser
            .get(&format!("/library/{book}/download/kepub"))
            .status,
        200
    );
    assert_eq!(
        browser.get(&format!("/library/{book}/download/pdf")).status,
        404
    );
    assert!(
        browser.get("/library?q=otters").text().contains(&book),
        "a book's text is searched"
    );
    assert_eq!(
        browser.submit("/library/book", &[("id", &book)]).status,
        400,
        "a book is made of articles"
    );

    let deleted = browser.submit(&format!("/library/{}/delete", ids[0]), &[]);
    assert_eq!(
        (deleted.status, deleted.location.as_deref()),
        (303, Some("/library"))
    );
    assert_eq!(browser.get(&format!("/library/{}", ids[0])).status, 404);
    assert!(!library.path().join(&ids[0]).exists());
    assert!(!browser.get("/library").text().contains(&ids[0]));
    // Without the CSRF token nothing is deleted.
    assert_eq!(
        browser
            .post(&format!("/library/{}/delete", ids[1]), &[])
            .status,
        403
    );
    assert!(library.path().join(&ids[1]).exists());
}

#[test]
fn beyond_loopback_changes_need_the_token() {
    let library = tempfile::tempdir().unwrap();
    let server = Server::start(library.path(), &["--bind", "0.0.0.0:0", "--allow-private"]);
    let token = server
        .banner
        .lines()
        .find_map(|l| l.rsplit_once("): ").map(|(_, t)| t.to_string()))
        .unwrap_or_else(|| panic!("a token printed: {}", server.banner));
    assert_eq!(token.len(), 32, "{}", server.banner);
    let mut browser = Browser::new(&format!("http://127.0.0.1:{}", server.port()));
    let home = browser.get("/").text();
    assert!(
        !home.contains("id=\"bookmarklet\""),
        "the key is shown only to the owner"
    );
    let site = pages();
    let url = site.url("/tides.html");
    let refused = browser.submit("/read", &[("url", &url)]);
    assert_eq!(refused.status, 401);
    assert!(refused.text().contains("/login"));

    // The login page: a wrong token, then the right one (an HttpOnly, SameSite cookie).
    assert!(browser.get("/login").text().contains("id=\"token\""));
    assert_eq!(browser.submit("/login", &[("token", "nope")]).status, 401);
    assert_eq!(
        browser.post("/login", &[("token", &token)]).status,
        403,
        "CSRF"
    );
    let login = browser.submit("/login", &[("token", &token)]);
    assert_eq!(login.status, 303);
    assert!(login
        .set_cookies
        .iter()
        .any(|c| c.starts_with("quire_token=")
            && c.contains("HttpOnly")
            && c.contains("SameSite=Strict")));
    assert!(browser.get("/").text().contains("id=\"bookmarklet\""));
    let read = browser.submit("/read", &[("url", &url)]);
    assert_eq!(read.status, 303, "{}", read.text());
    // Reading needs no token.
    let mut reader = Browser::new(&browser.base);
    assert_eq!(reader.get(&read.location.clone().unwrap()).status, 200);
    assert_eq!(reader.get("/library").status, 200);

    // Logging out forgets the token: changes are refused again.
    let logout = browser.submit("/logout", &[]);
    assert_eq!(logout.status, 303);
    assert!(!browser.cookies.iter().any(|(k, _)| k == "quire_token"));
    assert_eq!(browser.submit("/read", &[("url", &url)]).status, 401);

    // A program: the bearer token, no CSRF token needed; a wrong one is refused.
    let mut program = Browser::new(&browser.base);
    program.headers = vec![("Authorization".into(), "Bearer wrong".into())];
    assert_eq!(program.post("/read", &[("url", &url)]).status, 401);
    program.headers = vec![("Authorization".into(), format!("Bearer {token}"))];
    assert_eq!(program.post("/read", &[("url", &url)]).status, 303);

    // A token given on the command line is the one used.
    let other = tempfile::tempdir().unwrap();
    let given = Server::start(
        other.path(),
        &["--bind", "0.0.0.0:0", "--token", "s3cret-token"],
    );
    assert!(
        !given.banner.contains("s3cret-token"),
        "a given token is not printed"
    );
    let mut program = Browser::new(&format!("http://127.0.0.1:{}", given.port()));
    program.headers = vec![("Authorization".into(), "Bearer s3cret-token".into())];
    assert_eq!(
        program.upload("a.md", b"# A\n\nSome text here.\n").status,
        303
    );
}

/// Saves `count` clipped pages as fast as it can (errors ignored: the server may be killed).
fn clip_many(base: &str, key: &str, count: usize) {
    let mut browser = Browser::new(base);
    let dom = format!(
        "<html><body><article><h1>Clipped</h1>{}</article></body></html>",
        "<p>Words enough to make an article of this clipped page, about tides.</p>".repeat(200)
    );
    for i in 0..count {
        let url = format!("https://example.org/{i}");
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs([("key", key), ("url", &url), ("html", &dom)])
            .finish();
        let request = browser
            .agent
            .post(format!("{}/clip", browser.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(body.as_bytes());
        match request {
            Ok(response) => {
                browser.take(response);
            }
            Err(_) => return,
        }
    }
}

#[test]
fn a_kill_during_saves_leaves_the_library_readable() {
    let library = tempfile::tempdir().unwrap();
    let mut killed_during_saves = 0;
    for round in 0..4u64 {
        let mut server = Server::start(library.path(), &[]);
        let key = read_key(library.path());
        let clients: Vec<_> = (0..3)
            .map(|_| {
                let base = server.base.clone();
                let key = key.clone();
                std::thread::spawn(move || clip_many(&base, &key, 50))
            })
            .collect();
        std::thread::sleep(Duration::from_millis(300 + 150 * round));
        let before = std::fs::read_dir(library.path()).unwrap().count();
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        for client in clients {
            client.join().unwrap();
        }
        if before > 1 {
            killed_during_saves += 1;
        }
    }
    assert!(
        killed_during_saves > 0,
        "the saves were under way when killed"
    );
    // Every entry the restarted server lists is whole: its files download.
    let server = Server::start(library.path(), &[]);
    let mut browser = Browser::new(&server.base);
    let list = browser.get("/library").text();
    let ids: Vec<String> = list
        .split("id=\"entry-")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect();
    assert!(!ids.is_empty());
    for id in ids.iter().take(10) {
        let md = browser.get(&format!("/library/{id}/download/md"));
        assert_eq!(md.status, 200, "{id}");
        assert!(md.text().contains("about tides"));
    }
    // Whatever the kills left half-made was removed when the library was opened again.
    let leftovers: Vec<PathBuf> = std::fs::read_dir(library.path())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with('.')
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let folders = std::fs::read_dir(library.path())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .count();
    // The list comes 50 a page: its count says how many entries there are in all.
    let count: usize = list
        .split("<p class=\"meta\" id=\"count\">")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the entry count");
    assert!(ids.len() == count.min(50), "{} ids of {count}", ids.len());
    assert_eq!(folders, count, "every folder is an entry listed");
}

fn read_key(library: &Path) -> String {
    let config = std::fs::read_to_string(library.join("config.toml")).unwrap();
    config
        .lines()
        .find_map(|l| l.strip_prefix("clip_key = \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap()
        .to_string()
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let library = tempfile::tempdir().unwrap();
    let mut server = Server::start(library.path(), &[]);
    assert_eq!(Browser::new(&server.base).get("/").status, 200);
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(sent.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still running after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    // The server has exited, but the thread reading its standard error may not have passed
    // on its last lines yet: read until that thread ends (the channel closes at the end of
    // the stream).
    let mut said: Vec<String> = Vec::new();
    while let Ok(line) = server.lines.recv_timeout(Duration::from_secs(10)) {
        said.push(line);
    }
    assert!(said.iter().any(|l| l == "quire: stopped"), "{said:?}");
}

#[test]
fn a_library_that_cannot_be_opened_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["serve", "--bind", "127.0.0.1:0", "--library"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("not-a-folder: cannot make the library folder"),
        "{said}"
    );
    let broken = dir.path().join("broken");
    std::fs::create_dir(&broken).unwrap();
    std::fs::write(broken.join("config.toml"), "clip_key = [").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(["serve", "--bind", "127.0.0.1:0", "--library"])
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(said.contains("config.toml: not a library config"), "{said}");
}

/// A library of one article whose EPUB is a 30 MB file already on disk.
fn library_with_a_large_book(dir: &Path) -> (PathBuf, String, Vec<u8>) {
    let library = dir.join("library");
    std::fs::create_dir_all(&library).unwrap();
    let model = crate::opds::article_model(dir);
    let id = crate::opds::add_article(
        &library,
        &model,
        1,
        "big.example",
        "2026-11-02T08:00:00.000Z",
    );
    // Not a real book: the route sends the file as it is, and any byte out of place shows.
    let book: Vec<u8> = (0..30 * 1024 * 1024 + 7)
        .map(|i: usize| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(library.join(&id).join("article.epub"), &book).unwrap();
    (library, id, book)
}

#[test]
fn a_large_file_on_disk_is_sent_whole_with_its_length() {
    let dir = tempfile::tempdir().unwrap();
    let (library, id, book) = library_with_a_large_book(dir.path());
    let server = Server::start(&library, &[]);
    // The server's peak memory (Linux): the file is sent in chunks, never held whole.
    let peak_kib = || {
        let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))?
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse::<u64>()
            .ok()
    };
    let peak_before = peak_kib();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into();
    for path in [
        format!("/library/{id}/download/epub"),
        "/latest.epub".into(),
    ] {
        let response = agent.get(server.url(&path)).call().unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_string()
        };
        assert_eq!(header("content-length"), book.len().to_string(), "{path}");
        assert_eq!(header("content-type"), "application/epub+zip", "{path}");
        assert_eq!(
            header("content-disposition"),
            format!("attachment; filename=\"{id}.epub\""),
            "{path}"
        );
        let body = response
            .into_body()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .unwrap();
        assert!(body == book, "{path}: {} bytes, not the file", body.len());
    }
    if let (Some(before), Some(after)) = (peak_before, peak_kib()) {
        assert!(
            after < before + 12 * 1024,
            "the server's peak memory grew from {before} KiB to {after} KiB sending a 30 MB file"
        );
    }
}

#[test]
fn a_client_that_sends_its_request_slowly_is_disconnected() {
    use std::io::{Read, Write};
    let library = tempfile::tempdir().unwrap();
    let server = Server::start(library.path(), &["--header-timeout-ms", "1000"]);
    let mut slow = std::net::TcpStream::connect(("127.0.0.1", server.port())).unwrap();
    let started = std::time::Instant::now();
    slow.write_all(b"GET /libr").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    // Other clients are answered meanwhile.
    assert_eq!(Browser::new(&server.base).get("/").status, 200);
    let mut answer = Vec::new();
    let read = slow.read_to_end(&mut answer);
    let waited = started.elapsed();
    assert!(
        read.is_ok(),
        "the slow connection was still open after {waited:?}: {read:?}"
    );
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(10),
        "closed after {waited:?}"
    );
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    assert_eq!(Browser::new(&server.base).get("/library").status, 200);
}

/// The ids of the entries a library page lists, in order.
fn listed_ids(page: &str) -> Vec<String> {
    page.split("<tr id=\"entry-")
        .skip(1)
        .map(|row| row.split('"').next().unwrap().to_string())
        .collect()
}

#[test]
fn the_library_page_shows_fifty_entries_a_page_newest_first_and_so_do_searches() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library");
    std::fs::create_dir_all(&library).unwrap();
    let model = crate::opds::article_model(dir.path());
    // 120 articles, article n added on minute n: the newest is 119.
    let ids: Vec<String> = (0..120)
        .map(|n| {
            let site = ["alpha.example", "beta.example"][n % 2];
            let added = format!("2026-11-02T{:02}:{:02}:00.000Z", n / 60, n % 60);
            crate::opds::add_article(&library, &model, n, site, &added)
        })
        .collect();
    let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
    let server = Server::start(&library, &[]);
    let mut browser = Browser::new(&server.base);

    let first = browser.get("/library");
    assert_eq!(first.status, 200);
    let first = first.text();
    assert!(first.contains("<p class=\"meta\" id=\"count\">120 entries</p>"));
    assert!(first.contains("<span id=\"page-number\">Page 1 of 3</span>"));
    assert!(first.contains("<a id=\"older\" rel=\"next\" href=\"/library?page=2\">"));
    assert!(!first.contains("id=\"newer\""));
    let mut seen = listed_ids(&first);
    assert_eq!(seen.len(), 50);
    let last = browser.get("/library?page=3").text();
    assert!(last.contains("<a id=\"newer\" rel=\"prev\" href=\"/library?page=2\">"));
    assert!(last.contains("<a id=\"first-page\" href=\"/library\">"));
    assert!(!last.contains("id=\"older\""));
    let second = browser.get("/library?page=2").text();
    seen.extend(listed_ids(&second));
    seen.extend(listed_ids(&last));
    assert_eq!(seen, newest_first, "every entry once, newest first");
    // A page past the end shows the last; a page that is not a number is refused.
    assert_eq!(
        listed_ids(&browser.get("/library?page=99").text()).len(),
        20
    );
    let bad = browser.get("/library?page=two");
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("not &#39;two&#39;"), "{}", bad.text());

    // A search's results are paged the same way, the terms kept in the links.
    let found = browser.get("/library?q=alpha.example").text();
    assert!(found.contains("<p class=\"meta\" id=\"count\">60 entries</p>"));
    assert!(found.contains("href=\"/library?q=alpha.example&amp;page=2\""));
    let mut found_ids = listed_ids(&found);
    assert_eq!(found_ids.len(), 50);
    let more = browser.get("/library?q=alpha.example&page=2").text();
    assert!(more.contains("href=\"/library?q=alpha.example\""));
    found_ids.extend(listed_ids(&more));
    let alpha: Vec<String> = newest_first
        .iter()
        .filter(|id| {
            id.starts_with("article-") && {
                let n: usize = id.split('-').nth(1).unwrap().parse().unwrap();
                n % 2 == 0
            }
        })
        .cloned()
        .collect();
    assert_eq!(found_ids, alpha);
    // One page: no page links.
    let one = browser.get("/library?q=word7end").text();
    assert_eq!(listed_ids(&one), [ids[7].clone()]);
    assert!(!one.contains("id=\"pages\""));
}
