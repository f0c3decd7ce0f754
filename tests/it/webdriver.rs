//! A small W3C WebDriver client for headless Chromium through Debian's `chromedriver`: just
//! what the browser tests of `quire serve` need (open a page, find elements, type, click, run
//! a script, switch tabs, wait for downloads).
//!
//! Every call is a JSON request to the driver on 127.0.0.1; errors come back as the driver's
//! message, so a failing test says what the browser refused.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::program;

/// The key W3C WebDriver uses for an element reference in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A running `chromedriver` with one headless Chromium session; both end when it drops.
pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    agent: ureq::Agent,
    downloads: tempfile::TempDir,
    _profile: tempfile::TempDir,
}

/// An element of the current page, as the driver names it.
#[derive(Clone, Debug)]
pub struct Element(String);

impl Browser {
    /// Starts the driver and a session, or `None` when Chromium or its driver is missing (a
    /// skip with a note, or a failure when `CI` is set: see `support::program`).
    pub fn start() -> Option<Browser> {
        let driver_path = program("chromedriver", "chromium-driver")?;
        let chromium = program("chromium", "chromium")?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let profile = tempfile::tempdir().expect("profile folder");
        let downloads = tempfile::tempdir().expect("download folder");
        let mut browser = Browser {
            driver,
            base: format!("http://127.0.0.1:{port}"),
            session: String::new(),
            agent,
            downloads,
            _profile: profile,
        };
        browser.wait_until_ready();
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": chromium,
                    "args": [
                        "--headless=new", "--no-sandbox", "--disable-gpu",
                        "--disable-dev-shm-usage", "--window-size=1280,900",
                        format!("--user-data-dir={}", browser._profile.path().display()),
                    ],
                    "prefs": {
                        "download.default_directory": browser.downloads.path(),
                        "download.prompt_for_download": false,
                        "safebrowsing.enabled": false,
                    },
                },
            }}
        });
        let reply = browser
            .call("POST", "/session", Some(capabilities))
            .unwrap_or_else(|e| panic!("a Chromium session: {e}"));
        browser.session = reply["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        Some(browser)
    }

    fn wait_until_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(status) = self.call("GET", "/status", None) {
                if status["ready"].as_bool() == Some(true) {
                    return;
                }
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("chromedriver did not become ready in 20 s");
    }

    /// One driver command: `path` is below the server root (`/status`) or, starting with
    /// `~`, below the session (`~/url`). Returns the reply's `value`.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = match path.strip_prefix('~') {
            Some(rest) => format!("{}/session/{}{rest}", self.base, self.session),
            None => format!("{}{path}", self.base),
        };
        let response = match method {
            "GET" => self.agent.get(&url).call(),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or_else(|| json!({})).to_string()),
        };
        let mut response = response.map_err(|e| format!("{method} {path}: {e}"))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| format!("{method} {path}: {e}"))?;
        let reply: Value =
            serde_json::from_str(&text).map_err(|e| format!("{method} {path}: {e}: {text}"))?;
        let value = reply.get("value").cloned().unwrap_or(Value::Null);
        if status >= 400 {
            return Err(format!(
                "{method} {path}: {} ({})",
                value["error"].as_str().unwrap_or("error"),
                value["message"].as_str().unwrap_or(&text)
            ));
        }
        Ok(value)
    }

    fn must(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, path, body)
            .unwrap_or_else(|e| panic!("browser: {e}"))
    }

    /// Opens `url` in the current tab and waits for it to load.
    pub fn goto(&self, url: &str) {
        self.must("POST", "~/url", Some(json!({ "url": url })));
    }

    /// The current tab's address.
    pub fn url(&self) -> String {
        self.must("GET", "~/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The first element matching a CSS selector, waiting up to `timeout` for it to appear.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> Element {
        let deadline = Instant::now() + timeout;
        loop {
            let found = self.call(
                "POST",
                "~/element",
                Some(json!({ "using": "css selector", "value": css })),
            );
            match found {
                Ok(value) => {
                    return Element(
                        value[ELEMENT_KEY]
                            .as_str()
                            .unwrap_or_else(|| panic!("an element: {value}"))
                            .to_string(),
                    )
                }
                Err(e) if Instant::now() >= deadline => {
                    panic!(
                        "no element {css} after {timeout:?} on {}: {e}\n{}",
                        self.url(),
                        self.page_text()
                    )
                }
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        }
    }

    /// The first element matching a CSS selector, now.
    pub fn find(&self, css: &str) -> Element {
        self.wait_for(css, Duration::ZERO)
    }

    /// An element's rendered text.
    pub fn text(&self, element: &Element) -> String {
        let path = format!("~/element/{}/text", element.0);
        self.must("GET", &path, None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// An element's attribute (`None` when it has none).
    pub fn attribute(&self, element: &Element, name: &str) -> Option<String> {
        let path = format!("~/element/{}/attribute/{name}", element.0);
        self.must("GET", &path, None).as_str().map(str::to_string)
    }

    /// Clicks an element, as a user would.
    pub fn click(&self, element: &Element) {
        let path = format!("~/element/{}/click", element.0);
        self.must("POST", &path, None);
    }

    /// Types `text` into an element.
    pub fn type_into(&self, element: &Element, text: &str) {
        let path = format!("~/element/{}/value", element.0);
        self.must("POST", &path, Some(json!({ "text": text })));
    }

    /// Runs a script in the page (its body: `return …` gives a value back).
    pub fn execute(&self, script: &str) -> Value {
        self.must(
            "POST",
            "~/execute/sync",
            Some(json!({ "script": script, "args": [] })),
        )
    }

    /// The whole page's visible text (for failure messages).
    pub fn page_text(&self) -> String {
        self.call(
            "POST",
            "~/execute/sync",
            Some(json!({ "script": "return document.body ? document.body.innerText : ''", "args": [] })),
        )
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
    }

    /// The handles of the open tabs.
    pub fn tabs(&self) -> Vec<String> {
        self.must("GET", "~/window/handles", None)
            .as_array()
            .map(|handles| {
                handles
                    .iter()
                    .filter_map(|h| h.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Makes the tab `handle` the current one.
    pub fn switch_to(&self, handle: &str) {
        self.must("POST", "~/window", Some(json!({ "handle": handle })));
    }

    /// Waits until a tab other than `known` opens, and switches to it.
    pub fn switch_to_new_tab(&self, known: &[String], timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(new) = self.tabs().into_iter().find(|t| !known.contains(t)) {
                self.switch_to(&new);
                return;
            }
            assert!(Instant::now() < deadline, "no new tab after {timeout:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The folder Chromium downloads into.
    pub fn downloads(&self) -> &Path {
        self.downloads.path()
    }

    /// Waits for a finished download whose name ends with `suffix` (Chromium writes
    /// `*.crdownload` until it is whole).
    pub fn wait_for_download(&self, suffix: &str, timeout: Duration) -> PathBuf {
        let deadline = Instant::now() + timeout;
        loop {
            let finished = std::fs::read_dir(self.downloads())
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .find(|p| {
                    p.to_string_lossy().ends_with(suffix)
                        && !p.to_string_lossy().ends_with(".crdownload")
                });
            if let Some(path) = finished {
                return path;
            }
            assert!(
                Instant::now() < deadline,
                "no *{suffix} download after {timeout:?}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.call("DELETE", "~", None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
