//! `quire serve` in a real browser: headless Chromium, driven over WebDriver, uses the page
//! as a person would.

use std::time::Duration;

use crate::net::{Reply, TestServer};
use crate::webdriver::Browser;

/// A page whose article text exists only after its script has run.
const SCRIPTED_PAGE: &str = r#"<!doctype html><html><head><title>Built by script</title></head>
<body><main id="app">Loading…</main><script>
document.getElementById('app').innerHTML = '<article><h1>Built by script</h1>' +
  '<p>The lighthouse keeper counted forty-one ships in the fog that morning.</p></article>';
</script></body></html>"#;

#[test]
fn the_driver_sees_text_a_script_built() {
    let Some(browser) = Browser::start() else {
        return;
    };
    let site = TestServer::start(vec![("/scripted", Reply::ok("text/html", SCRIPTED_PAGE))]);
    browser.goto(&site.url("/scripted"));
    let article = browser.wait_for("article p", Duration::from_secs(10));
    assert!(browser.text(&article).contains("forty-one ships"));
}
