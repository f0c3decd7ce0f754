//! Fetching over HTTP(S): remote images for books. Every request has a timeout and a size
//! limit, follows a few redirects, and speaks only `http:` and `https:`.

use std::sync::OnceLock;
use std::time::Duration;

use crate::write::resources::MAX_RESOURCE_BYTES;

/// How long one image download may take, start to end.
pub const IMAGE_TIMEOUT: Duration = Duration::from_secs(20);

/// A configured HTTP client: one timeout and one size limit for everything it fetches.
pub struct Fetcher {
    agent: ureq::Agent,
    limit: u64,
}

impl Fetcher {
    pub fn new(timeout: Duration, limit: u64) -> Fetcher {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .max_redirects(5)
            .user_agent(concat!("quire/", env!("CARGO_PKG_VERSION")))
            .build();
        Fetcher {
            agent: config.into(),
            limit,
        }
    }

    /// The body of `url`, or why it could not be had (for a warning).
    pub fn get(&self, url: &str) -> Result<Vec<u8>, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("bad URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!("not an http(s) URL: {url}"));
        }
        let mut response = self
            .agent
            .get(parsed.as_str())
            .call()
            .map_err(|e| match e {
                ureq::Error::StatusCode(code) => format!("the server answered {code}"),
                ureq::Error::Timeout(_) => format!("no answer within {} s", self.timeout_secs()),
                other => other.to_string(),
            })?;
        response
            .body_mut()
            .with_config()
            .limit(self.limit)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => {
                    format!("larger than {} MiB", self.limit >> 20)
                }
                ureq::Error::Timeout(_) => format!("no answer within {} s", self.timeout_secs()),
                other => other.to_string(),
            })
    }

    fn timeout_secs(&self) -> f64 {
        self.agent
            .config()
            .timeouts()
            .global
            .map_or(0.0, |t| t.as_secs_f64())
    }
}

/// Downloads an image with the standard timeout and size limit (one shared client).
pub fn fetch_image(url: &str) -> Result<Vec<u8>, String> {
    static IMAGES: OnceLock<Fetcher> = OnceLock::new();
    IMAGES
        .get_or_init(|| Fetcher::new(IMAGE_TIMEOUT, MAX_RESOURCE_BYTES))
        .get(url)
}
