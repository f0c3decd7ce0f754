//! `quire serve` in a real browser: headless Chromium, driven over WebDriver, uses the page
//! as a person would: pastes a URL, reads the preview, downloads the EPUB, and saves a page
//! whose text a script builds with the bookmarklet.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::kepub::kepub_rules::epubcheck_all;
use crate::net::{Reply, TestServer};
use crate::webdriver::Browser;

/// A page whose article text exists only after its script has run: a reader fetching it
/// sees "Loading…", the bookmarklet sends what the browser shows.
const SCRIPTED_PAGE: &str = r#"<!doctype html><html><head><title>Built by script</title></head>
<body><main id="app">Loading…</main><script>
document.getElementById('app').innerHTML = '<article><h1>Built by script</h1>' +
  '<p>The lighthouse keeper counted forty-one ships in the fog that morning, and wrote each ' +
  'name into the ledger that his father had kept before him.</p>' +
  '<p>By noon the fog had lifted, and the forty-second ship was nowhere to be seen.</p></article>';
</script></body></html>"#;

/// An ordinary article page for the paste-a-URL path.
fn article_page() -> String {
    let paragraph = "The river rose through the night, and by morning the lower town stood in \
                     water to the windows; the ferry ran on the high street until noon.";
    let body: String = (0..6).map(|_| format!("<p>{paragraph}</p>\n")).collect();
    format!(
        "<!doctype html><html lang=en><head><title>The Flood of the Lower Town</title>\
         <meta name=author content=\"Ada Marsh\"></head><body><nav><a href=/>Home</a></nav>\
         <article><h1>The Flood of the Lower Town</h1>{body}</article><footer>© Example</footer></body></html>"
    )
}

/// The saved article JSON files of a library folder, with their text.
fn stored_articles(library: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(library).into_iter().flatten().flatten() {
        let json = entry.path().join("article.json");
        if let Ok(text) = std::fs::read_to_string(&json) {
            found.push((json, text));
        }
    }
    found
}

#[test]
fn a_person_previews_downloads_and_clips_with_the_bookmarklet() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = TestServer::start(vec![
        (
            "/flood",
            Reply::ok("text/html; charset=utf-8", article_page()),
        ),
        (
            "/scripted",
            Reply::ok("text/html; charset=utf-8", SCRIPTED_PAGE),
        ),
    ]);
    let library = tempfile::tempdir().expect("library folder");
    let server = crate::serve::Server::start(library.path(), &["--allow-private"]);

    // Paste a URL, see the preview.
    browser.goto(&server.url("/"));
    let field = browser.wait_for("#url", Duration::from_secs(10));
    browser.type_into(&field, &site.url("/flood"));
    browser.click(&browser.find("#fetch"));
    let preview = browser.wait_for("#preview", Duration::from_secs(30));
    let shown = browser.text(&preview);
    assert!(shown.contains("ferry ran on the high street"), "{shown}");
    let page = browser.page_text();
    assert!(page.contains("The Flood of the Lower Town"), "{page}");
    assert!(page.contains("Ada Marsh"), "the byline: {page}");

    // Download the EPUB as the browser does, and check it.
    browser.click(&browser.find("#download-epub"));
    let book = browser.wait_for_download(".epub", Duration::from_secs(60));
    if let Some(failures) = epubcheck_all(std::slice::from_ref(&book)) {
        assert!(failures.is_empty(), "{failures:?}");
    }

    // The bookmarklet, run on a page built by script, saves what the browser shows.
    browser.goto(&server.url("/"));
    let link = browser.wait_for("#bookmarklet", Duration::from_secs(10));
    let href = browser
        .attribute(&link, "href")
        .expect("the bookmarklet's href");
    let code = href
        .strip_prefix("javascript:")
        .unwrap_or_else(|| panic!("a javascript: link, not {href}"));
    let code = percent_encoding::percent_decode_str(code)
        .decode_utf8()
        .expect("UTF-8 script")
        .into_owned();
    browser.goto(&site.url("/scripted"));
    browser.wait_for("article p", Duration::from_secs(10));
    let tabs = browser.tabs();
    browser.execute(&code);
    // The clip opens in a new tab (a form posted to the server), or in this one.
    std::thread::sleep(Duration::from_millis(300));
    if browser.tabs().len() > tabs.len() {
        browser.switch_to_new_tab(&tabs, Duration::from_secs(10));
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !browser.page_text().contains("forty-one ships") {
        assert!(
            std::time::Instant::now() < deadline,
            "the clipped article is not shown: {} at {}",
            browser.page_text(),
            browser.url()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(
        browser.url().starts_with(&server.url("/")),
        "{}",
        browser.url()
    );
    let saved = stored_articles(library.path());
    assert!(
        saved
            .iter()
            .any(|(_, json)| json.contains("forty-one ships") && !json.contains("Loading…")),
        "the library holds no article with the script's text: {saved:?}"
    );
    assert!(
        saved
            .iter()
            .any(|(_, json)| json.contains(&site.url("/scripted"))),
        "the clipped article keeps its URL as its source"
    );
}
