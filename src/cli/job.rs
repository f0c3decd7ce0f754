//! What one conversion is: where its input comes from ([`Source`]), and the format and place of
//! each output ([`Output`], [`Target`]). Planning makes [`Job`]s; running them, the manifest
//! and the report read them.

use quire::{InputFormat, OutputFormat};
use std::path::{Path, PathBuf};

/// Where an input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
    /// An http(s) URL, fetched when its job runs.
    Url(String),
}

impl Source {
    /// How messages name this input.
    pub fn label(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File(path) => path.display().to_string(),
            Source::Url(url) => url.clone(),
        }
    }

    /// The name outputs are given: the file stem, the last URL path segment (else the
    /// host), `stdin`. Only characters safe in a file name on every system are kept.
    pub fn stem(&self) -> String {
        let raw = match self {
            Source::Stdin => "stdin".to_string(),
            Source::File(path) => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Source::Url(url) => url_stem(url),
        };
        let stem = if matches!(self, Source::Url(_)) {
            safe_file_name(&raw)
        } else {
            raw
        };
        if stem.is_empty() || stem == ".." || stem == "." {
            "output".to_string()
        } else {
            stem
        }
    }
}

/// Whether a command-line input names a URL rather than a file.
pub fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// `https://example.org/news/tide-tables.html?x=1` → `tide-tables`; a URL ending in `/`
/// uses its last folder, a bare host its host name.
fn url_stem(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return String::new();
    };
    let segment = parsed
        .path_segments()
        .and_then(|mut segments| segments.rfind(|s| !s.is_empty()))
        .map(|s| {
            let decoded = percent_decode(s);
            Path::new(&decoded)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or(decoded)
        });
    match segment {
        Some(s) if !s.is_empty() => s,
        _ => parsed.host_str().unwrap_or("page").to_string(),
    }
}

/// `%20` → space; an escape that is not `%` and two hex digits (`%+1`, `%g0`, a `%` at the end)
/// is kept as written, invalid UTF-8 replaced.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Letters, digits, `-`, `_` and `.` survive; anything else becomes `-` (runs merged).
fn safe_file_name(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches(|c| c == '-' || c == '.');
    trimmed.chars().take(120).collect()
}

/// The `--report` value that writes the report to standard output.
pub const REPORT_TO_STDOUT: &str = "-";

/// Where one output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stdout,
    File(PathBuf),
}

impl Target {
    /// How messages name this output.
    pub fn label(&self) -> String {
        match self {
            Target::Stdout => "<stdout>".to_string(),
            Target::File(path) => path.display().to_string(),
        }
    }
}

/// One output of one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub format: OutputFormat,
    pub target: Target,
}

/// One input and everything made from it: the unit a batch or parallel runner hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub source: Source,
    /// Where the input sits relative to the folder it was found in (or its file name): its
    /// outputs mirror this path under `-o DIR`.
    pub relative: PathBuf,
    /// `--from`; `None` means: the file's extension, else sniff the content.
    pub from: Option<InputFormat>,
    pub outputs: Vec<Output>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_named_after_their_last_path_segment() {
        assert_eq!(
            Source::Url("https://example.org/news/tide-tables.html?x=1".into()).stem(),
            "tide-tables"
        );
        assert_eq!(Source::Url("https://example.org/a/b/".into()).stem(), "b");
        assert_eq!(
            Source::Url("http://example.org".into()).stem(),
            "example.org"
        );
        assert_eq!(
            Source::Url("http://h/%2e%2e%2F%2e%2e%2Fetc".into()).stem(),
            "etc"
        );
        assert!(is_url("HTTPS://x"));
        assert!(!is_url("notes/https.md"));
    }

    #[test]
    fn only_a_percent_and_two_hex_digits_are_decoded() {
        assert_eq!(percent_decode("tide%20tables"), "tide tables");
        assert_eq!(percent_decode("%e2%82%AC"), "\u{20ac}");
        // `%+1` is no escape: `+1` reads as a number, but it is not two hex digits.
        assert_eq!(percent_decode("a%+1b"), "a%+1b");
        assert_eq!(percent_decode("%-1%g0%4"), "%-1%g0%4");
        assert_eq!(percent_decode("%ff"), "\u{fffd}");
        assert_eq!(Source::Url("http://h/a%+1b".into()).stem(), "a-1b");
    }
}
