//! The formats quire reads and writes, and how they are recognised.

use crate::error::{Error, Result};
use std::fmt;
use std::path::Path;

/// A format quire can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// A plain-text article (title line, paragraphs, maybe a trailer of page chrome).
    Text,
    /// An HTML page or fragment.
    Html,
    /// CommonMark with GitHub extensions and YAML front matter.
    Markdown,
    /// quire's own model as JSON (what `--to json` writes).
    Json,
}

const INPUT_NAMES: &str = "text, html, markdown, json";

impl InputFormat {
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Text => "text",
            InputFormat::Html => "html",
            InputFormat::Markdown => "markdown",
            InputFormat::Json => "json",
        }
    }

    /// Parses a format name as users type it (`--from md`).
    pub fn from_name(name: &str) -> Result<InputFormat> {
        match name.to_ascii_lowercase().as_str() {
            "txt" | "text" | "plain" => Ok(InputFormat::Text),
            "html" | "htm" | "xhtml" => Ok(InputFormat::Html),
            "md" | "markdown" | "gfm" | "commonmark" => Ok(InputFormat::Markdown),
            "json" => Ok(InputFormat::Json),
            _ => Err(Error::Unknown {
                what: "input format",
                name: name.to_string(),
                expected: INPUT_NAMES,
            }),
        }
    }

    /// The format a file name's extension stands for, if it is one quire reads.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "txt" | "text" => Some(InputFormat::Text),
            "html" | "htm" | "xhtml" | "shtml" => Some(InputFormat::Html),
            "md" | "markdown" | "mdown" | "mkd" => Some(InputFormat::Markdown),
            "json" => Some(InputFormat::Json),
            _ => None,
        }
    }

    /// Guesses the format from the content, for stdin and files without a known extension.
    pub fn sniff(bytes: &[u8]) -> InputFormat {
        let head = &bytes[..bytes.len().min(4096)];
        let head = String::from_utf8_lossy(head);
        let trimmed = head.trim_start_matches('\u{feff}').trim_start();
        let lower = trimmed.to_ascii_lowercase();
        if lower.starts_with("<!doctype html")
            || lower.starts_with("<html")
            || lower.starts_with("<?xml") && lower.contains("<html")
            || [
                "<head", "<body", "<article", "<div", "<p>", "<p ", "<meta", "<!--",
            ]
            .iter()
            .any(|tag| lower.starts_with(tag))
        {
            return InputFormat::Html;
        }
        if trimmed.starts_with('{') && trimmed.contains("\"blocks\"") {
            return InputFormat::Json;
        }
        let markdown_signs = trimmed.starts_with("---\n")
            || trimmed.starts_with("# ")
            || trimmed.contains("\n## ")
            || trimmed.contains("\n```")
            || trimmed.contains("](");
        if markdown_signs {
            InputFormat::Markdown
        } else {
            InputFormat::Text
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A format quire can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutputFormat {
    Markdown,
    Html,
    Text,
    Json,
    /// An EPUB 3 e-book (with the EPUB 2 NCX for older readers).
    Epub,
    /// A typeset PDF (see `write::pdf`).
    Pdf,
}

const OUTPUT_NAMES: &str = "md, html, txt, json, epub, pdf";

impl OutputFormat {
    pub const ALL: [OutputFormat; 6] = [
        OutputFormat::Markdown,
        OutputFormat::Html,
        OutputFormat::Text,
        OutputFormat::Json,
        OutputFormat::Epub,
        OutputFormat::Pdf,
    ];

    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Markdown => "markdown",
            OutputFormat::Html => "html",
            OutputFormat::Text => "text",
            OutputFormat::Json => "json",
            OutputFormat::Epub => "epub",
            OutputFormat::Pdf => "pdf",
        }
    }

    /// The file extension outputs of this format get.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Markdown => "md",
            OutputFormat::Html => "html",
            OutputFormat::Text => "txt",
            OutputFormat::Json => "json",
            OutputFormat::Epub => "epub",
            OutputFormat::Pdf => "pdf",
        }
    }

    pub fn from_name(name: &str) -> Result<OutputFormat> {
        match name.to_ascii_lowercase().as_str() {
            "md" | "markdown" | "gfm" => Ok(OutputFormat::Markdown),
            "html" | "htm" => Ok(OutputFormat::Html),
            "txt" | "text" | "plain" => Ok(OutputFormat::Text),
            "json" => Ok(OutputFormat::Json),
            "epub" | "epub3" => Ok(OutputFormat::Epub),
            "pdf" => Ok(OutputFormat::Pdf),
            _ => Err(Error::Unknown {
                what: "output format",
                name: name.to_string(),
                expected: OUTPUT_NAMES,
            }),
        }
    }

    pub fn from_path(path: &Path) -> Option<OutputFormat> {
        OutputFormat::from_name(path.extension()?.to_str()?).ok()
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

// Here, not in `net`: the network layer knows nothing of input formats.
impl crate::net::Fetched {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_name_input_formats() {
        let fetched = |media: &str| crate::net::Fetched {
            bytes: Vec::new(),
            final_url: String::new(),
            charset: None,
            media_type: Some(media.to_string()),
            private: false,
        };
        assert_eq!(fetched("text/html").input_format(), Some(InputFormat::Html));
        assert_eq!(
            fetched("text/markdown").input_format(),
            Some(InputFormat::Markdown)
        );
        assert_eq!(fetched("image/png").input_format(), None);
    }

    #[test]
    fn sniffs_common_shapes() {
        assert_eq!(
            InputFormat::sniff(b"<!DOCTYPE html><p>x"),
            InputFormat::Html
        );
        assert_eq!(InputFormat::sniff(b"\xef\xbb\xbf<html>"), InputFormat::Html);
        assert_eq!(
            InputFormat::sniff(b"# Title\n\ntext"),
            InputFormat::Markdown
        );
        assert_eq!(
            InputFormat::sniff(b"{\"meta\":{},\"blocks\":[]}"),
            InputFormat::Json
        );
        assert_eq!(
            InputFormat::sniff(b"A title\n\nSome text."),
            InputFormat::Text
        );
    }
}
