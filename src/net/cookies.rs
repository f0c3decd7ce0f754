//! Cookies from a Netscape `cookies.txt` file (what browsers' cookie exporters and `curl -c`
//! write), for pages behind a login: each request gets the cookies whose domain, path and
//! `secure` flag match its URL, on every hop of a redirect and for the page's images.
//!
//! The format: one cookie a line, seven tab-separated fields (domain, include-subdomains
//! flag, path, secure flag, expiry in seconds since the epoch, name, value). Lines starting
//! with `#` are comments, except `#HttpOnly_`, which prefixes the domain of a cookie that
//! scripts may not read (it is sent like any other). Expired cookies are left out when the
//! file is read; an expiry of 0 is a session cookie and is kept.

use std::fmt;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// One cookie of the jar.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cookie {
    /// Lowercased, without a leading dot.
    domain: String,
    /// Sent to the domain's subdomains too.
    subdomains: bool,
    path: String,
    secure: bool,
    name: String,
    value: String,
}

/// The cookies of a `cookies.txt` file that had not expired when it was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CookieJar {
    cookies: Vec<Cookie>,
}

/// What is wrong with a cookies file, and on which line (1-based; 0 when the file could
/// not be read at all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CookieFileError {
    /// The line the problem is on (1-based), or 0 for the file as a whole.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CookieFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

impl CookieJar {
    /// Reads the cookies file at `path`; the error names the file (and the line).
    pub fn load(path: &Path) -> Result<CookieJar, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let text = String::from_utf8_lossy(&bytes);
        CookieJar::parse(&text, now())
            .map_err(|e| format!("{}:{}: {}", path.display(), e.line, e.message))
    }

    /// Parses the text of a cookies file; cookies that expired before `now` (seconds since
    /// the epoch) are left out.
    pub fn parse(text: &str, now: i64) -> Result<CookieJar, CookieFileError> {
        let mut cookies = Vec::new();
        // A byte order mark (some editors write one) is not part of the first line.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (index, raw) in text.lines().enumerate() {
            let fail = |message: String| CookieFileError {
                line: index + 1,
                message,
            };
            let line = raw.trim_end_matches(['\r', '\n']);
            let line = match line.strip_prefix("#HttpOnly_") {
                Some(rest) => rest,
                None if line.trim_start().starts_with('#') || line.trim().is_empty() => continue,
                None => line,
            };
            let fields: Vec<&str> = line.split('\t').collect();
            let [domain, subdomains, path, secure, expiry, name, value] = fields[..] else {
                return Err(fail(format!(
                    "expected 7 tab-separated fields (domain, include-subdomains, path, \
                     secure, expiry, name, value), found {}",
                    fields.len()
                )));
            };
            let flag = |field: &str, what: &str| match field.trim() {
                f if f.eq_ignore_ascii_case("TRUE") => Ok(true),
                f if f.eq_ignore_ascii_case("FALSE") => Ok(false),
                other => Err(fail(format!("{what} must be TRUE or FALSE, not '{other}'"))),
            };
            let subdomains = flag(subdomains, "the include-subdomains flag")?;
            let secure = flag(secure, "the secure flag")?;
            let expiry = parse_expiry(expiry.trim()).ok_or_else(|| {
                fail(format!(
                    "the expiry must be seconds since 1970 (0 for a session cookie), not '{}'",
                    expiry.trim()
                ))
            })?;
            let domain = domain.trim();
            let bare = domain.trim_start_matches('.').to_ascii_lowercase();
            if bare.is_empty() || bare.contains(|c: char| c.is_whitespace() || c == '/') {
                return Err(fail(format!("'{domain}' is not a domain")));
            }
            let path = path.trim();
            if !path.starts_with('/') {
                return Err(fail(format!("the path must start with '/', not '{path}'")));
            }
            let name = name.trim();
            // A cookie travels in one header line: anything that would end it, or split
            // it into another cookie, is not a cookie value.
            if name.is_empty() || !name.bytes().all(is_token_byte) {
                return Err(fail(format!("'{name}' is not a cookie name")));
            }
            if value.bytes().any(|b| b.is_ascii_control() || b == b';') {
                return Err(fail(format!(
                    "the value of cookie '{name}' holds a control character or ';'"
                )));
            }
            if expiry != 0 && expiry < now {
                continue;
            }
            cookies.push(Cookie {
                // A leading dot means "and its subdomains" in old files whatever the flag.
                subdomains: subdomains || domain.starts_with('.'),
                domain: bare,
                path: path.to_string(),
                secure,
                name: name.to_string(),
                value: value.to_string(),
            });
        }
        Ok(CookieJar { cookies })
    }

    /// How many cookies the jar holds.
    pub fn len(&self) -> usize {
        self.cookies.len()
    }

    /// Whether the jar holds no cookie.
    pub fn is_empty(&self) -> bool {
        self.cookies.is_empty()
    }

    /// The `Cookie` header for a request to `url`: the cookies whose domain, path and secure
    /// flag match it, longest paths first (as browsers send them); `None` when none does.
    pub fn header_for(&self, url: &url::Url) -> Option<String> {
        let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
        let https = url.scheme() == "https";
        let path = url.path();
        let mut matching: Vec<&Cookie> = self
            .cookies
            .iter()
            .filter(|c| {
                (!c.secure || https) && domain_matches(c, &host) && path_matches(&c.path, path)
            })
            .collect();
        if matching.is_empty() {
            return None;
        }
        matching.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        let pairs: Vec<String> = matching
            .iter()
            .map(|c| format!("{}={}", c.name, c.value))
            .collect();
        Some(pairs.join("; "))
    }
}

fn domain_matches(cookie: &Cookie, host: &str) -> bool {
    host == cookie.domain
        || (cookie.subdomains
            && host
                .strip_suffix(cookie.domain.as_str())
                .is_some_and(|head| head.ends_with('.')))
}

/// RFC 6265 §5.1.4: `/docs` matches `/docs`, `/docs/` and `/docs/a`, not `/docsx`.
fn path_matches(cookie_path: &str, request_path: &str) -> bool {
    match request_path.strip_prefix(cookie_path) {
        Some(rest) => rest.is_empty() || cookie_path.ends_with('/') || rest.starts_with('/'),
        None => false,
    }
}

/// Seconds since the epoch; some exporters write a fraction.
fn parse_expiry(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().or_else(|| {
        text.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| f as i64)
    })
}

/// An RFC 7230 token character (header and cookie names).
pub(crate) fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "# Netscape HTTP Cookie File\n\
        # a comment\n\
        \n\
        .example.org\tTRUE\t/\tFALSE\t0\tsession\tabc\n\
        #HttpOnly_example.org\tFALSE\t/account\tTRUE\t4102444800\tlogin\tt0k\n\
        example.org\tFALSE\t/\tFALSE\t1000\told\tgone\n\
        other.net\tFALSE\t/\tFALSE\t0\tnope\tx\n";

    fn header(jar: &CookieJar, url: &str) -> Option<String> {
        jar.header_for(&url::Url::parse(url).unwrap())
    }

    #[test]
    fn cookies_match_by_domain_path_and_scheme() {
        let jar = CookieJar::parse(FILE, 2000).unwrap();
        let with_bom = CookieJar::parse(&format!("\u{feff}{FILE}"), 2000).unwrap();
        assert_eq!(with_bom, jar);
        // The expired cookie is gone; the comment lines are not cookies.
        assert_eq!(jar.len(), 3);
        assert_eq!(
            header(&jar, "http://example.org/a").as_deref(),
            Some("session=abc")
        );
        assert_eq!(
            header(&jar, "http://news.example.org/a").as_deref(),
            Some("session=abc")
        );
        // Secure: only over https; the longer path first.
        assert_eq!(
            header(&jar, "https://example.org/account/x").as_deref(),
            Some("login=t0k; session=abc")
        );
        assert_eq!(
            header(&jar, "http://example.org/account/x").as_deref(),
            Some("session=abc")
        );
        // Not a subdomain cookie; not a path boundary.
        assert_eq!(
            header(&jar, "https://www.example.org/account").as_deref(),
            Some("session=abc")
        );
        assert_eq!(
            header(&jar, "https://example.org/accounts").as_deref(),
            Some("session=abc")
        );
        assert_eq!(header(&jar, "http://badexample.org/"), None);
        assert_eq!(header(&jar, "http://example.com/"), None);
    }

    #[test]
    fn bad_lines_are_errors_with_their_number() {
        let cases = [
            ("example.org\tTRUE\t/\n", 1, "7 tab-separated"),
            (
                "# c\nexample.org\tMAYBE\t/\tFALSE\t0\ta\tb\n",
                2,
                "TRUE or FALSE",
            ),
            ("example.org\tTRUE\t/\tFALSE\tsoon\ta\tb\n", 1, "expiry"),
            ("example.org\tTRUE\tx\tFALSE\t0\ta\tb\n", 1, "path"),
            ("example.org\tTRUE\t/\tFALSE\t0\ta b\tc\n", 1, "cookie name"),
            ("example.org\tTRUE\t/\tFALSE\t0\ta\tb;c=d\n", 1, "';'"),
        ];
        for (text, line, says) in cases {
            let err = CookieJar::parse(text, 0).unwrap_err();
            assert_eq!(err.line, line, "{text:?}");
            assert!(err.message.contains(says), "{text:?}: {err}");
        }
    }

    #[test]
    fn a_file_error_names_the_file_and_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cookies.txt");
        std::fs::write(&path, "# ok\nexample.org TRUE / FALSE 0 a b\n").unwrap();
        let err = CookieJar::load(&path).unwrap_err();
        assert!(err.starts_with(&format!("{}:2: ", path.display())), "{err}");
        let missing = CookieJar::load(&dir.path().join("none.txt")).unwrap_err();
        assert!(missing.contains("none.txt"), "{missing}");
    }
}
