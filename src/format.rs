//! The formats quire reads and writes, each declared once.
//!
//! [`INPUTS`] and [`OUTPUTS`] hold one entry a format: its name, the names users may type for
//! it, its file extensions, its media types, what its writer can do. Everything that names or
//! recognises a format (`--from`/`--to`, a file's extension, an HTTP media type, the lists in
//! error messages and in the command line's help) reads these tables, so adding a format is one
//! entry here, one enum variant, and its module (the compiler then asks for its arm in
//! [`crate::read::reader_for`] or [`crate::write::writer_for`]). The readers and writers
//! themselves are not in the tables: `read` and `write` import this module, so it imports
//! neither of them.

use crate::error::{Error, Result};
use std::fmt;
use std::path::Path;
use std::sync::LazyLock;

/// A format quire can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
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

/// What quire knows about an input format. Read-only outside quire (`#[non_exhaustive]`), so
/// that a new fact about formats is not a breaking change.
#[derive(Debug)]
#[non_exhaustive]
pub struct InputSpec {
    /// The format this entry is about.
    pub format: InputFormat,
    /// Its name, as messages and `--jsonl` keys spell it.
    pub name: &'static str,
    /// Other names users may type for it (`--from md`).
    pub aliases: &'static [&'static str],
    /// File extensions (lowercase, without the dot) that mark a file of this format.
    pub extensions: &'static [&'static str],
    /// Media types (HTTP `Content-Type` without parameters) that name this format.
    pub media_types: &'static [&'static str],
}

/// Every input format, in the order of the enum.
pub const INPUTS: [InputSpec; 4] = [
    InputSpec {
        format: InputFormat::Text,
        name: "text",
        aliases: &["txt", "plain"],
        extensions: &["txt", "text"],
        media_types: &["text/plain"],
    },
    InputSpec {
        format: InputFormat::Html,
        name: "html",
        aliases: &["htm", "xhtml"],
        extensions: &["html", "htm", "xhtml", "shtml"],
        media_types: &["text/html", "application/xhtml+xml"],
    },
    InputSpec {
        format: InputFormat::Markdown,
        name: "markdown",
        aliases: &["md", "gfm", "commonmark"],
        extensions: &["md", "markdown", "mdown", "mkd"],
        media_types: &["text/markdown", "text/x-markdown"],
    },
    InputSpec {
        format: InputFormat::Json,
        name: "json",
        aliases: &[],
        extensions: &["json"],
        media_types: &["application/json"],
    },
];

/// The input format names, for messages: `text, html, markdown, json`.
static INPUT_NAMES: LazyLock<String> = LazyLock::new(|| list(INPUTS.iter().map(|spec| spec.name)));

impl InputFormat {
    /// Every input format.
    pub const ALL: [InputFormat; INPUTS.len()] = {
        let mut all = [InputFormat::Text; INPUTS.len()];
        let mut i = 0;
        while i < INPUTS.len() {
            all[i] = INPUTS[i].format;
            i += 1;
        }
        all
    };

    /// This format's entry in [`INPUTS`].
    pub fn spec(self) -> &'static InputSpec {
        &INPUTS[self as usize]
    }

    /// The format's name: `text`, `html`, `markdown`, `json`.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The input format names, comma-separated (for help and error messages).
    pub fn names() -> &'static str {
        &INPUT_NAMES
    }

    /// Parses a format name as users type it (`--from md`).
    pub fn from_name(name: &str) -> Result<InputFormat> {
        INPUTS
            .iter()
            .find(|spec| {
                spec.name.eq_ignore_ascii_case(name)
                    || spec.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
            })
            .map(|spec| spec.format)
            .ok_or_else(|| Error::Unknown {
                what: "input format",
                name: name.to_string(),
                expected: InputFormat::names(),
            })
    }

    /// The format a file name's extension stands for, if it is one quire reads.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?;
        INPUTS
            .iter()
            .find(|spec| spec.extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)))
            .map(|spec| spec.format)
    }

    /// The format a media type (without parameters, lowercase) names, if it names one quire
    /// reads.
    pub fn from_media_type(media_type: &str) -> Option<InputFormat> {
        INPUTS
            .iter()
            .find(|spec| spec.media_types.contains(&media_type))
            .map(|spec| spec.format)
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
#[non_exhaustive]
pub enum OutputFormat {
    /// CommonMark with GitHub extensions, optionally with YAML front matter.
    Markdown,
    /// An HTML page or fragment.
    Html,
    /// Plain text, optionally wrapped.
    Text,
    /// quire's own model as JSON.
    Json,
    /// An EPUB 3 e-book (with the EPUB 2 NCX for older readers).
    Epub,
    /// A typeset PDF (see `write::pdf`).
    Pdf,
    /// A Kobo KEPUB: the EPUB with every sentence in a `koboSpan` (see
    /// `write::epub::KepubWriter`), written as `NAME.kepub.epub`.
    Kepub,
}

/// What quire knows about an output format. Read-only outside quire, like [`InputSpec`].
#[derive(Debug)]
#[non_exhaustive]
pub struct OutputSpec {
    /// The format this entry is about.
    pub format: OutputFormat,
    /// Its name, as messages and `--jsonl` answer keys spell it.
    pub name: &'static str,
    /// Its short name, which lists in messages and reports use; also its outputs' file
    /// extension, unless [`OutputSpec::file_suffix`] says otherwise.
    pub extension: &'static str,
    /// What its outputs' file names end with after the stem and a dot: the extension, or
    /// `kepub.epub` (Kobo's readers know a KEPUB by that double extension).
    pub file_suffix: &'static str,
    /// Other names users may type for it (`--to md`), besides the name and the extension.
    pub aliases: &'static [&'static str],
    /// Whether the output is text (a JSON line can carry it) rather than binary.
    pub text: bool,
    /// Whether its writer sends the output as it is made instead of making it whole first
    /// (see [`crate::write::Writer::write_to`]).
    pub streams: bool,
}

/// Every output format, in the order of the enum.
pub const OUTPUTS: [OutputSpec; 7] = [
    OutputSpec {
        format: OutputFormat::Markdown,
        name: "markdown",
        extension: "md",
        file_suffix: "md",
        aliases: &["gfm"],
        text: true,
        streams: true,
    },
    OutputSpec {
        format: OutputFormat::Html,
        name: "html",
        extension: "html",
        file_suffix: "html",
        aliases: &["htm"],
        text: true,
        streams: true,
    },
    OutputSpec {
        format: OutputFormat::Text,
        name: "text",
        extension: "txt",
        file_suffix: "txt",
        aliases: &["plain"],
        text: true,
        streams: true,
    },
    OutputSpec {
        format: OutputFormat::Json,
        name: "json",
        extension: "json",
        file_suffix: "json",
        aliases: &[],
        text: true,
        streams: true,
    },
    OutputSpec {
        format: OutputFormat::Epub,
        name: "epub",
        extension: "epub",
        file_suffix: "epub",
        aliases: &["epub3"],
        text: false,
        streams: false,
    },
    OutputSpec {
        format: OutputFormat::Pdf,
        name: "pdf",
        extension: "pdf",
        file_suffix: "pdf",
        aliases: &[],
        text: false,
        streams: false,
    },
    OutputSpec {
        format: OutputFormat::Kepub,
        name: "kepub",
        extension: "kepub",
        file_suffix: "kepub.epub",
        aliases: &["kobo"],
        text: false,
        streams: false,
    },
];

/// The output format names (their extensions), for messages: `md, html, txt, json, epub, pdf,
/// kepub`.
static OUTPUT_NAMES: LazyLock<String> =
    LazyLock::new(|| list(OUTPUTS.iter().map(|spec| spec.extension)));
/// The same for the text formats alone.
static TEXT_OUTPUT_NAMES: LazyLock<String> = LazyLock::new(|| {
    list(
        OUTPUTS
            .iter()
            .filter(|spec| spec.text)
            .map(|spec| spec.extension),
    )
});

impl OutputFormat {
    /// Every output format.
    pub const ALL: [OutputFormat; OUTPUTS.len()] = {
        let mut all = [OutputFormat::Markdown; OUTPUTS.len()];
        let mut i = 0;
        while i < OUTPUTS.len() {
            all[i] = OUTPUTS[i].format;
            i += 1;
        }
        all
    };

    /// This format's entry in [`OUTPUTS`].
    pub fn spec(self) -> &'static OutputSpec {
        &OUTPUTS[self as usize]
    }

    /// The format's name: `markdown`, `html`, `text`, `json`, `epub`, `pdf`, `kepub`.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// The format's short name (`md`, `kepub`): the file extension of its outputs, except
    /// where [`OutputFormat::file_suffix`] is longer.
    pub fn extension(self) -> &'static str {
        self.spec().extension
    }

    /// What output file names end with after the stem and a dot: `md`, `kepub.epub`.
    pub fn file_suffix(self) -> &'static str {
        self.spec().file_suffix
    }

    /// Whether the output is text rather than binary (EPUB, PDF).
    pub fn is_text(self) -> bool {
        self.spec().text
    }

    /// The output format names, comma-separated (for help and error messages).
    pub fn names() -> &'static str {
        &OUTPUT_NAMES
    }

    /// The names of the formats whose output is text, comma-separated.
    pub fn text_names() -> &'static str {
        &TEXT_OUTPUT_NAMES
    }

    /// Parses a format name as users type it (`--to md`): its name, extension or an alias.
    pub fn from_name(name: &str) -> Result<OutputFormat> {
        OUTPUTS
            .iter()
            .find(|spec| {
                spec.name.eq_ignore_ascii_case(name)
                    || spec.extension.eq_ignore_ascii_case(name)
                    || spec.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
            })
            .map(|spec| spec.format)
            .ok_or_else(|| Error::Unknown {
                what: "output format",
                name: name.to_string(),
                expected: OutputFormat::names(),
            })
    }

    /// The format a file name's extension stands for (any name [`OutputFormat::from_name`]
    /// takes, or a longer suffix: `book.kepub.epub` is a KEPUB), if it is one quire writes.
    pub fn from_path(path: &Path) -> Option<OutputFormat> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let long_suffix = OUTPUTS.iter().find(|spec| {
            spec.file_suffix != spec.extension
                && name
                    .strip_suffix(spec.file_suffix)
                    .is_some_and(|stem| stem.len() > 1 && stem.ends_with('.'))
        });
        if let Some(spec) = long_suffix {
            return Some(spec.format);
        }
        OutputFormat::from_name(path.extension()?.to_str()?).ok()
    }
}

impl fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `a, b, c`.
fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.collect::<Vec<_>>().join(", ")
}

// Here, not in `net`: the network layer knows nothing of input formats.
impl crate::net::Fetched {
    /// The input format the media type names, if it names one quire reads. Servers often
    /// send `text/plain` or `application/octet-stream` for anything, so callers should still
    /// let a file-like extension or the content decide when this is `None`.
    pub fn input_format(&self) -> Option<InputFormat> {
        InputFormat::from_media_type(self.media_type.as_deref()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_follow_the_enums() {
        for (i, spec) in INPUTS.iter().enumerate() {
            assert_eq!(spec.format as usize, i, "{}", spec.name);
            assert_eq!(InputFormat::ALL[i].spec().name, spec.name);
        }
        for (i, spec) in OUTPUTS.iter().enumerate() {
            assert_eq!(spec.format as usize, i, "{}", spec.name);
            assert_eq!(OutputFormat::ALL[i].spec().name, spec.name);
        }
    }

    #[test]
    fn every_name_reads_back_as_its_format() {
        for format in InputFormat::ALL {
            let spec = format.spec();
            for name in std::iter::once(&spec.name).chain(spec.aliases) {
                assert_eq!(InputFormat::from_name(name).unwrap(), format);
                assert_eq!(
                    InputFormat::from_name(&name.to_uppercase()).unwrap(),
                    format
                );
            }
            for ext in spec.extensions {
                let path = format!("a/b.{}", ext.to_uppercase());
                assert_eq!(InputFormat::from_path(Path::new(&path)), Some(format));
            }
            for media_type in spec.media_types {
                assert_eq!(InputFormat::from_media_type(media_type), Some(format));
            }
        }
        for format in OutputFormat::ALL {
            let spec = format.spec();
            let names = [spec.name, spec.extension]
                .into_iter()
                .chain(spec.aliases.iter().copied());
            for name in names {
                assert_eq!(OutputFormat::from_name(name).unwrap(), format);
                let path = format!("out.{name}");
                assert_eq!(OutputFormat::from_path(Path::new(&path)), Some(format));
            }
        }
        // A KEPUB is known by its double extension, an EPUB by its single one.
        let kepub = Path::new("shelf/Book.KEPUB.epub");
        assert_eq!(OutputFormat::from_path(kepub), Some(OutputFormat::Kepub));
        let epub = Path::new("shelf/book.epub");
        assert_eq!(OutputFormat::from_path(epub), Some(OutputFormat::Epub));
        assert_eq!(OutputFormat::Kepub.file_suffix(), "kepub.epub");
        // No name stands for two formats.
        let mut seen = std::collections::HashSet::new();
        for spec in &OUTPUTS {
            for name in [spec.name, spec.extension].iter().chain(spec.aliases) {
                assert!(seen.insert(*name) || *name == spec.extension, "{name}");
            }
        }
    }

    #[test]
    fn messages_list_the_formats() {
        assert_eq!(InputFormat::names(), "text, html, markdown, json");
        assert_eq!(
            OutputFormat::names(),
            "md, html, txt, json, epub, pdf, kepub"
        );
        assert_eq!(OutputFormat::text_names(), "md, html, txt, json");
        let err = OutputFormat::from_name("docx").unwrap_err().to_string();
        assert!(
            err.contains("md, html, txt, json, epub, pdf, kepub"),
            "{err}"
        );
        assert!(InputFormat::from_name("").is_err());
        assert_eq!(InputFormat::from_media_type("image/png"), None);
    }

    #[test]
    fn media_types_name_input_formats() {
        let fetched = |media: &str| crate::net::Fetched {
            bytes: Vec::new(),
            final_url: String::new(),
            charset: None,
            media_type: Some(media.to_string()),
            private: false,
            validators: Default::default(),
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
