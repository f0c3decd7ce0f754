//! Fetching over HTTP(S), with a timeout, a size limit, a few redirects, a user agent, and
//! only `http:` and `https:`.
//!
//! [`fetch`] gets documents (`quire convert https://…`, `--urls FILE`, JSONL `"url"` items);
//! [`Fetcher`] and [`fetch_image`] get remote images for books.
//!
//! One blocking GET with the limits a converter needs against an arbitrary server: a total
//! timeout, a cap on redirects and on the body size, a user agent, only `http` and `https`.
//! The caller gets the bytes as sent plus what the response said about them (the final URL
//! after redirects, which is the base for relative links; the declared charset and media type),
//! and decodes them through [`crate::read`] like any other input. Nothing here prints.

use crate::error::{Error, Result};
use crate::format::InputFormat;
use crate::write::resources::MAX_RESOURCE_BYTES;
use std::sync::OnceLock;
use std::time::Duration;
use ureq::ResponseExt;

/// Limits and identity for a fetch. `Default` suits fetching articles.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// The whole exchange (connect, redirects, headers, body) must finish within this.
    pub timeout: Duration,
    /// Connecting to one host must finish within this.
    pub connect_timeout: Duration,
    /// A body larger than this is refused, not truncated.
    pub max_bytes: u64,
    /// Redirects followed before giving up.
    pub max_redirects: u32,
    /// The `User-Agent` header.
    pub user_agent: String,
}

/// The body limit by default: far above any article, well below what would strain memory.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

impl Default for FetchOptions {
    fn default() -> FetchOptions {
        FetchOptions {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_bytes: DEFAULT_MAX_BYTES,
            max_redirects: 10,
            user_agent: concat!("quire/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }
}

/// A fetched body and what the server said about it.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    /// The URL the body came from after redirects: the base for the page's relative links.
    pub final_url: String,
    /// The `charset` parameter of `Content-Type`, when the server sent one.
    pub charset: Option<String>,
    /// The media type of `Content-Type` without parameters (`text/html`), lowercased.
    pub media_type: Option<String>,
}

impl Fetched {
    /// The input format the media type names, if it names one quire reads. Servers often
    /// send `text/plain` or `application/octet-stream` for anything, so callers should still
    /// let a file-like extension or the content decide when this is `None`.
    pub fn input_format(&self) -> Option<InputFormat> {
        match self.media_type.as_deref()? {
            "text/html" | "application/xhtml+xml" => Some(InputFormat::Html),
            "text/markdown" | "text/x-markdown" => Some(InputFormat::Markdown),
            "application/json" => Some(InputFormat::Json),
            "text/plain" => Some(InputFormat::Text),
            _ => None,
        }
    }
}

/// Fetches `url` with a GET. Fails with [`Error::Fetch`] (naming the URL) on a scheme other
/// than http/https, a network failure, a timeout, too many redirects, a status other than
/// 2xx, or a body over the limit.
pub fn fetch(url: &str, options: &FetchOptions) -> Result<Fetched> {
    let fail = |message: String| Error::Fetch {
        url: url.to_string(),
        message,
    };
    let parsed = url::Url::parse(url).map_err(|e| fail(format!("not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(fail(format!(
            "only http and https URLs can be fetched, not {}:",
            parsed.scheme()
        )));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(options.timeout))
        .timeout_connect(Some(options.connect_timeout))
        .max_redirects(options.max_redirects)
        .user_agent(options.user_agent.as_str())
        .http_status_as_error(true)
        .build()
        .into();
    let mut response = agent
        .get(parsed.as_str())
        .header(
            "Accept",
            "text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.8,*/*;q=0.5",
        )
        .call()
        .map_err(|e| fail(describe(e, options)))?;
    let final_url = response.get_uri().to_string();
    let body = response.body_mut();
    let charset = body.charset().map(str::to_string);
    let media_type = body.mime_type().map(str::to_ascii_lowercase);
    if let Some(length) = body.content_length() {
        if length > options.max_bytes {
            return Err(fail(too_big(options.max_bytes)));
        }
    }
    let bytes = body
        .with_config()
        .limit(options.max_bytes)
        .read_to_vec()
        .map_err(|e| fail(describe(e, options)))?;
    Ok(Fetched {
        bytes,
        final_url,
        charset,
        media_type,
    })
}

/// A ureq error as a user reads it.
fn describe(error: ureq::Error, options: &FetchOptions) -> String {
    match error {
        ureq::Error::StatusCode(code) => format!("the server answered HTTP {code}"),
        ureq::Error::Timeout(_) => format!(
            "timed out (limit {} s)",
            options.timeout.as_secs_f64().round()
        ),
        ureq::Error::TooManyRedirects => {
            format!("more than {} redirects", options.max_redirects)
        }
        ureq::Error::BodyExceedsLimit(_) => too_big(options.max_bytes),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        other => other.to_string(),
    }
}

fn too_big(limit: u64) -> String {
    format!("the body is larger than the limit of {limit} bytes")
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_schemes_are_fetched() {
        let err = fetch("file:///etc/passwd", &FetchOptions::default()).unwrap_err();
        assert!(err.to_string().contains("only http and https"), "{err}");
        let err = fetch("not a url", &FetchOptions::default()).unwrap_err();
        assert!(err.to_string().contains("not a URL"), "{err}");
    }

    #[test]
    fn media_types_name_input_formats() {
        let fetched = |media: &str| Fetched {
            bytes: Vec::new(),
            final_url: String::new(),
            charset: None,
            media_type: Some(media.to_string()),
        };
        assert_eq!(fetched("text/html").input_format(), Some(InputFormat::Html));
        assert_eq!(
            fetched("text/markdown").input_format(),
            Some(InputFormat::Markdown)
        );
        assert_eq!(fetched("image/png").input_format(), None);
    }
}
