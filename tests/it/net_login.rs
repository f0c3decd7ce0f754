//! Pages behind a login, pages a browser rendered, and articles over several pages, against
//! the local test server (`net::TestServer`): `--cookies` sent only where they match (path,
//! host, secure flag, expiry; redirects and images included), `--header` sent with the
//! page's requests only, `--url` giving standard input its base, and `--follow-pages`
//! joining pages on one site, at most N, without loops or repeated text.

use super::net::{Reply, TestServer};
use assert_cmd::Command;
use std::fs;

fn quire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_quire"))
}

fn png() -> Vec<u8> {
    crate::support::png_bytes(8, 6)
}

/// The head of the request for `path`, lowercased ("" when it was not requested).
fn head_of(server: &TestServer, path: &str) -> String {
    server
        .requests
        .lock()
        .unwrap()
        .iter()
        .find(|head| head.split_whitespace().nth(1) == Some(path))
        .map(|head| head.to_ascii_lowercase())
        .unwrap_or_default()
}

/// The `cookie:` line of a request head, or "".
fn cookie_line(head: &str) -> String {
    head.lines()
        .find(|line| line.starts_with("cookie:"))
        .unwrap_or_default()
        .to_string()
}

fn article(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><article>\
         <h1>{title}</h1>{body}</article></body></html>"
    )
}

const WORDS: &str = "The harbour master reports calm seas, a busy week of ferries and a new \
    light on the north pier, visible for twelve miles on a clear night.";

#[test]
fn cookies_and_headers_go_only_where_they_match() {
    // Another host: the same machine under another loopback address.
    let other = TestServer::start_on(
        "127.0.0.2:0",
        vec![
            ("/other.png", Reply::ok("image/png", png())),
            (
                "/elsewhere.html",
                Reply::ok(
                    "text/html",
                    article("Elsewhere", &format!("<p>{WORDS}</p>")),
                ),
            ),
        ],
    );
    let page = article(
        "Members",
        &format!(
            "<p>{WORDS}</p><figure><img src=\"pic.png\" alt=\"a\"><figcaption>Here\
             </figcaption></figure><figure><img src=\"{}\" alt=\"b\"><figcaption>There\
             </figcaption></figure><p>{WORDS}</p>",
            other.url("/other.png")
        ),
    );
    let site = TestServer::start(vec![
        ("/start", Reply::redirect("/members/story.html")),
        ("/members/story.html", Reply::ok("text/html", page)),
        ("/members/pic.png", Reply::ok("image/png", png())),
        ("/away", Reply::redirect(&other.url("/elsewhere.html"))),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let cookies = dir.path().join("cookies.txt");
    fs::write(
        &cookies,
        "# Netscape HTTP Cookie File\n\
         127.0.0.1\tFALSE\t/members\tFALSE\t0\tsession\tabc\n\
         #HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t0\tlogin\tyes\n\
         127.0.0.1\tFALSE\t/\tTRUE\t0\tsecure\tno\n\
         127.0.0.1\tFALSE\t/\tFALSE\t1\texpired\told\n\
         .example.org\tTRUE\t/\tFALSE\t0\tother\tsite\n",
    )
    .unwrap();
    let output = quire()
        .args([
            "convert",
            "--to",
            "epub",
            "--header",
            "X-Token: t1",
            "--cookies",
        ])
        .arg(&cookies)
        .arg("-o")
        .arg(dir.path().join("a.epub"))
        .arg(site.url("/start"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");

    // Every hop of the redirect gets the cookies of its own path, longest path first; the
    // secure cookie (plain http), the expired one and another site's never go.
    let start = head_of(&site, "/start");
    assert_eq!(cookie_line(&start), "cookie: login=yes", "{start}");
    let story = head_of(&site, "/members/story.html");
    assert_eq!(
        cookie_line(&story),
        "cookie: session=abc; login=yes",
        "{story}"
    );
    // The page's image on the same host gets them too; the image on another host none.
    let pic = head_of(&site, "/members/pic.png");
    assert_eq!(cookie_line(&pic), "cookie: session=abc; login=yes", "{pic}");
    let foreign = head_of(&other, "/other.png");
    assert!(
        !foreign.is_empty(),
        "the other host's image was not fetched"
    );
    assert_eq!(cookie_line(&foreign), "", "{foreign}");
    // The header goes with the page's requests, not with its images.
    assert!(
        start.contains("x-token: t1") && story.contains("x-token: t1"),
        "{story}"
    );
    assert!(
        !pic.contains("x-token") && !foreign.contains("x-token"),
        "{pic}"
    );

    // A redirect to another host takes neither the header nor the cookies along.
    let output = quire()
        .args([
            "convert",
            "--to",
            "md",
            "--header",
            "Authorization: Bearer s3cret",
        ])
        .arg("--cookies")
        .arg(&cookies)
        .arg("-o")
        .arg(dir.path().join("b.md"))
        .arg(site.url("/away"))
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let away = head_of(&site, "/away");
    assert!(away.contains("authorization: bearer s3cret"), "{away}");
    assert_eq!(cookie_line(&away), "cookie: login=yes", "{away}");
    let landed = head_of(&other, "/elsewhere.html");
    assert!(!landed.is_empty(), "the redirect was not followed");
    assert!(
        !landed.contains("authorization") && cookie_line(&landed).is_empty(),
        "{landed}"
    );
}

#[test]
fn a_bad_cookies_file_is_an_error_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cookies = dir.path().join("cookies.txt");
    // Spaces instead of tabs, as a hand-edited file might have.
    fs::write(
        &cookies,
        "# Netscape HTTP Cookie File\n\n127.0.0.1 FALSE / FALSE 0 session abc\n",
    )
    .unwrap();
    let output = quire()
        .args(["convert", "http://127.0.0.1:9/page", "--cookies"])
        .arg(&cookies)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:3:", cookies.display())) && stderr.contains("tab-separated"),
        "{stderr}"
    );
    let missing = dir.path().join("none.txt");
    let output = quire()
        .args(["convert", "http://127.0.0.1:9/page", "--cookies"])
        .arg(&missing)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("none.txt"), "{stderr}");
}

#[test]
fn malformed_headers_and_injections_are_refused() {
    for bad in [
        "no colon here",
        "Bad Name: value",
        "X-A: one\r\nX-B: two",
        "X-A: one\nGET /admin HTTP/1.1",
        "Content-Length: 0",
    ] {
        let output = quire()
            .args(["convert", "http://127.0.0.1:9/page", "--header", bad])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{bad:?}: {stderr}");
        assert!(stderr.contains("--header"), "{bad:?}: {stderr}");
    }
}

#[test]
fn url_gives_standard_input_its_base_and_source() {
    let page = article(
        "Tides",
        &format!(
            "<p>{WORDS} See <a href=\"notes.html\">the notes</a>.</p>\
             <p><img src=\"img/chart.png\" alt=\"Chart\"></p><p>{WORDS}</p>"
        ),
    );
    let output = quire()
        .args([
            "convert",
            "-",
            "--to",
            "md",
            "--url",
            "https://example.org/news/tides.html",
        ])
        .write_stdin(page.clone())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("(https://example.org/news/notes.html)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("(https://example.org/news/img/chart.png)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("https://example.org/news/tides.html"),
        "no source: {stdout}"
    );

    // Without it the links stay relative: nothing to resolve them against.
    let output = quire()
        .args(["convert", "-", "--to", "md"])
        .write_stdin(page)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("(notes.html)"), "{stdout}");

    // --url names standard input's address: with no '-' it is a usage error, and it must
    // be a web address.
    for args in [
        &["convert", "a.html", "--url", "https://example.org/"][..],
        &["convert", "-", "--url", "notes.html"],
        &["convert", "-", "--url", "file:///etc/passwd"],
    ] {
        let output = quire().args(args).write_stdin("x").output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("--url"), "{args:?}: {stderr}");
    }
}

/// Page `n` of a story: the same masthead and title on every page, its own paragraph, and a
/// pager with a link to `next` (in the form `link`).
fn story_page(n: usize, pager: &str) -> Reply {
    let body = format!(
        "<p>The Harbour Gazette: tide tables, ferry times and the weather, every week.</p>\
         <p>Part {n} of the story. {WORDS} The keeper counted {n} ships today.</p>\
         <p>{WORDS} This was page number {n}.</p>{pager}"
    );
    Reply::ok("text/html", article("The long story", &body))
}

#[test]
fn follow_pages_joins_n_pages_without_repeated_text() {
    // Each page names the next its own way: rel=next, a "Next ›" word, a page number.
    let site = TestServer::start(vec![
        (
            "/story",
            story_page(
                1,
                "<p><a rel=\"next\" href=\"/story?page=2\">Continue</a></p>",
            ),
        ),
        (
            "/story?page=2",
            story_page(
                2,
                "<nav><a href=\"/story\">1</a> <a href=\"/story/3/\">3</a> \
                 <a href=\"/story/3/\">Next ›</a></nav>",
            ),
        ),
        (
            "/story/3/",
            story_page(
                3,
                "<nav><a href=\"/story/2/\">2</a> <a href=\"/story/4/\">4</a></nav>",
            ),
        ),
        ("/story/4/", story_page(4, "")),
    ]);
    let output = quire()
        .args([
            "convert",
            "--to",
            "txt",
            "--body-only",
            "--follow-pages",
            "3",
            "-o",
            "-",
        ])
        .arg(site.url("/story"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for n in 1..=3 {
        assert!(
            text.contains(&format!("Part {n} of the story")),
            "page {n}: {text}"
        );
    }
    // At most three pages: the fourth is never asked for.
    assert!(!text.contains("Part 4"), "{text}");
    assert_eq!(site.paths(), ["/story", "/story?page=2", "/story/3/"]);
    // What every page repeats is there once; the pager is gone.
    assert_eq!(text.matches("The Harbour Gazette").count(), 1, "{text}");
    assert!(text.matches("The long story").count() <= 1, "{text}");
    assert!(!text.contains("Next ›"), "{text}");
    // The order is the pages' order.
    let at = |needle: &str| text.find(needle).unwrap();
    assert!(
        at("Part 1") < at("Part 2") && at("Part 2") < at("Part 3"),
        "{text}"
    );

    // Without the option only the page given is read.
    let output = quire()
        .args(["convert", "--to", "txt", "-o", "-"])
        .arg(site.url("/story"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("Part 1") && !text.contains("Part 2"),
        "{text}"
    );
}

#[test]
fn follow_pages_stops_at_loops_and_other_sites() {
    let other = TestServer::start_on(
        "127.0.0.2:0",
        vec![("/next", story_page(9, "<a href=\"/more\">Next</a>"))],
    );
    let site = TestServer::start(vec![
        ("/a", story_page(1, "<a rel=\"next\" href=\"/b\">Next</a>")),
        // Back to the first page (a loop), written another way.
        ("/b", story_page(2, "<a rel=\"next\" href=\"/c\">Next</a>")),
        ("/c", Reply::redirect("/a#top")),
        (
            "/d",
            story_page(
                1,
                &format!("<a rel=\"next\" href=\"{}\">Next</a>", other.url("/next")),
            ),
        ),
    ]);
    // The library API: the first page's bytes and address, then the pages after it.
    let options = quire::net::FetchOptions::default();
    let first = quire::net::fetch(&site.url("/a"), &options).unwrap();
    let reading = quire::read::pages::read_pages(
        first.bytes,
        &quire::ReadOptions {
            source_url: Some(first.final_url),
            ..quire::ReadOptions::default()
        },
        &options,
        10,
    )
    .unwrap();
    let text = reading.document.plain_text(usize::MAX);
    assert_eq!(text.matches("Part 1 of").count(), 1, "{text}");
    assert!(text.contains("Part 2 of"), "{text}");
    // The redirect back to the first page is followed once, and ends the article.
    assert_eq!(site.paths(), ["/a", "/b", "/c", "/a"]);

    // A next page on another site is not followed.
    let output = quire()
        .args(["convert", "--to", "txt", "--follow-pages", "5", "-o", "-"])
        .arg(site.url("/d"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        text.contains("Part 1") && !text.contains("Part 9"),
        "{text}"
    );
    assert!(other.paths().is_empty(), "{:?}", other.paths());
}

#[test]
fn follow_pages_reads_on_from_a_page_on_standard_input() {
    let site = TestServer::start(vec![("/story/2/", story_page(2, ""))]);
    let first = article(
        "The long story",
        &format!("<p>Part 1 of the story. {WORDS}</p><p>{WORDS}</p><a href=\"2/\">Next page</a>"),
    );
    let output = quire()
        .args([
            "convert",
            "-",
            "--to",
            "txt",
            "--follow-pages",
            "2",
            "--url",
        ])
        .arg(site.url("/story/"))
        .write_stdin(first)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(text.contains("Part 1") && text.contains("Part 2"), "{text}");
}
