//! What makes Kindle reject or mangle an EPUB: Amazon's converter (behind "Send to Kindle")
//! answers such books with the opaque error E999, or shows them without what was meant.
//! [`check_kindle`] opens any EPUB and lists each such problem with the file inside the book
//! and the line.
//!
//! First what every e-reader rejects (this is no epubcheck: well-formedness and missing files
//! only):
//! - a container, package, navigation (NCX too) or XHTML document that is not well-formed XML;
//! - a manifest item whose file is not in the zip;
//! - a spine `itemref` that names no manifest item.
//!
//! Then the causes particular to Kindle, from Amazon's guidance and from books seen to fail
//! (many of them pass epubcheck):
//! - no `dc:language`, or one that is no BCP 47 language (`us`, `C`, `en_US`);
//! - an XHTML file without `<?xml version="1.0" encoding="utf-8"?>`;
//! - a link to the `id` of a `<body>`;
//! - an `<img>` without `src`;
//! - CSS custom properties (`--name: …`, `var(…)`);
//! - `--` inside an XML comment;
//! - a book over 50 MB (what Send to Kindle takes);
//! - MathML, which Kindle does not render;
//! - code on a dark background, which e-ink screens show as a black block.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::{Cursor, Read};

use super::markup::{local_name, scan, Lines, Token};
use super::well_formed;
use crate::error::{Error, Result};
use crate::locale::bcp47;
use crate::xml::decode_entities;

/// The largest book Send to Kindle takes (its documented limit is 50 MB).
pub const KINDLE_MAX_BYTES: u64 = 50_000_000;

/// No single file inside a book is read past this (a zip bomb is a problem of its own, not a
/// reason to fill memory).
const MAX_ENTRY_BYTES: u64 = 256 * 1024 * 1024;

/// Why Kindle would fail on a book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cause {
    /// `dc:language` missing, empty, or not a real BCP 47 language.
    Language,
    /// An XHTML file without the XML declaration naming UTF-8.
    XmlDeclaration,
    /// A link whose target is the `id` of a `<body>`.
    BodyLink,
    /// An `<img>` without a `src`.
    ImageWithoutSource,
    /// A CSS custom property or `var()`.
    CssCustomProperty,
    /// `--` inside an XML comment.
    CommentDashes,
    /// The book is larger than [`KINDLE_MAX_BYTES`].
    TooLarge,
    /// MathML, which Kindle shows as nothing or as loose characters.
    MathMl,
    /// Code set on a dark background.
    DarkCode,
    /// A container, package, navigation or XHTML document that is not well-formed XML.
    NotWellFormed,
    /// A manifest item whose file is not in the book.
    MissingFile,
    /// A spine `itemref` whose `idref` names no manifest item.
    UnknownSpineItem,
}

/// One problem: where it is and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Which cause it is.
    pub cause: Cause,
    /// The file inside the book (its zip path), or `None` for the book as a whole.
    pub file: Option<String>,
    /// The line in that file, from 1, when the problem has one.
    pub line: Option<usize>,
    /// The column in that line, from 1 (in characters), when the problem has one.
    pub column: Option<usize>,
    /// What is wrong, for people.
    pub message: String,
}

impl Problem {
    /// A problem on `line` of `file` (a line, no column: most causes are found by line).
    fn at(cause: Cause, file: &str, line: Option<usize>, message: String) -> Problem {
        Problem {
            cause,
            file: Some(file.to_string()),
            line,
            column: None,
            message,
        }
    }
}

impl fmt::Display for Problem {
    /// `OEBPS/ch1.xhtml:12:7: message`, `OEBPS/ch1.xhtml:12: message`,
    /// `OEBPS/ch1.xhtml: message`, or the message alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.line, self.column) {
            (Some(file), Some(line), Some(column)) => {
                write!(f, "{file}:{line}:{column}: {}", self.message)
            }
            (Some(file), Some(line), None) => write!(f, "{file}:{line}: {}", self.message),
            (Some(file), None, _) => write!(f, "{file}: {}", self.message),
            (None, _, _) => f.write_str(&self.message),
        }
    }
}

/// Every Kindle problem of the EPUB `bytes`, in the order of the book's files. An empty list
/// means none was found. An error when the bytes are no EPUB (not a zip, no container, no
/// package document).
pub fn check_kindle(bytes: &[u8]) -> Result<Vec<Problem>> {
    let mut book = OpenBook::new(bytes)?;
    let mut problems = Vec::new();
    if bytes.len() as u64 > KINDLE_MAX_BYTES {
        problems.push(Problem {
            cause: Cause::TooLarge,
            file: None,
            line: None,
            column: None,
            message: format!(
                "the book is {:.1} MB; Send to Kindle takes at most {} MB (write it as volumes)",
                bytes.len() as f64 / 1e6,
                KINDLE_MAX_BYTES / 1_000_000
            ),
        });
    }
    let opf_path = book.package_path(&mut problems)?;
    let opf = book.text(&opf_path)?.ok_or_else(|| {
        not_epub(format!(
            "the package document {opf_path} named by META-INF/container.xml is missing"
        ))
    })?;
    check_well_formed(&opf_path, &opf, &mut problems);
    let package = Package::read(&opf_path, &opf);
    check_language(&opf_path, &package, &mut problems);
    check_comments(&opf_path, &opf, &mut problems);
    check_manifest_and_spine(&opf_path, &package, &book, &mut problems);

    // The XHTML files first (the links between them need every file's body id), then
    // the rest in manifest order.
    let mut pages: Vec<(String, String)> = Vec::new();
    for item in &package.items {
        if item.media_type == "application/xhtml+xml" {
            if let Some(text) = book.text(&item.path)? {
                pages.push((item.path.clone(), text));
            }
        }
    }
    let body_ids: HashMap<&str, String> = pages
        .iter()
        .filter_map(|(path, text)| Some((path.as_str(), body_id(text)?)))
        .collect();
    for (path, text) in &pages {
        check_well_formed(path, text, &mut problems);
        check_page(path, text, &body_ids, &mut problems);
    }
    for item in &package.items {
        match item.media_type.as_str() {
            "text/css" => {
                if let Some(css) = book.text(&item.path)? {
                    check_css(&item.path, &css, 1, &mut problems);
                }
            }
            "application/x-dtbncx+xml" => {
                if let Some(ncx) = book.text(&item.path)? {
                    check_well_formed(&item.path, &ncx, &mut problems);
                    check_comments(&item.path, &ncx, &mut problems);
                    check_ncx_links(&item.path, &ncx, &body_ids, &mut problems);
                }
            }
            _ => {}
        }
    }
    Ok(problems)
}

fn not_epub(message: String) -> Error {
    Error::Parse {
        format: "EPUB",
        message,
    }
}

const CONTAINER: &str = "META-INF/container.xml";

/// An entry's bytes as text: UTF-8 (without its byte order mark), or UTF-16 after its byte
/// order mark; what is no such text is read with U+FFFD in place of the bytes it cannot read.
fn decode(bytes: &[u8]) -> String {
    let utf16 = |bytes: &[u8], unit: fn([u8; 2]) -> u16| {
        let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        utf16(rest, u16::from_le_bytes)
    } else if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        utf16(rest, u16::from_be_bytes)
    } else {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// The book's zip, read entry by entry.
struct OpenBook<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
}

impl<'a> OpenBook<'a> {
    fn new(bytes: &'a [u8]) -> Result<OpenBook<'a>> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| not_epub(format!("not a zip archive ({e})")))?;
        Ok(OpenBook { zip })
    }

    /// The text of the entry at `path`, `None` when the book has no such entry.
    fn text(&mut self, path: &str) -> Result<Option<String>> {
        let mut entry = match self.zip.by_name(path) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(not_epub(format!("cannot read {path} in the zip ({e})"))),
        };
        let mut bytes = Vec::new();
        (&mut entry)
            .take(MAX_ENTRY_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| not_epub(format!("cannot read {path} in the zip ({e})")))?;
        Ok(Some(decode(&bytes)))
    }

    /// Whether the book has an entry at `path`.
    fn has(&self, path: &str) -> bool {
        self.zip.index_for_name(path).is_some()
    }

    /// The package document's path, from `META-INF/container.xml`, whose own problems go to
    /// `problems`.
    fn package_path(&mut self, problems: &mut Vec<Problem>) -> Result<String> {
        let container = self.text(CONTAINER)?.ok_or_else(|| {
            not_epub("no META-INF/container.xml (a zip, but not an EPUB)".to_string())
        })?;
        check_well_formed(CONTAINER, &container, problems);
        check_comments(CONTAINER, &container, problems);
        let mut path = None;
        scan(&container, |token| {
            if let Token::Start { name, attrs, .. } = token {
                if local_name(name) == "rootfile" && path.is_none() {
                    path = attrs
                        .into_iter()
                        .find(|(n, _)| *n == "full-path")
                        .map(|(_, v)| v);
                }
            }
        });
        path.filter(|p| !p.is_empty())
            .ok_or_else(|| not_epub("META-INF/container.xml names no package document".to_string()))
    }
}

/// What the checks need from the package document.
struct Package {
    /// Each `dc:language`: its text and line.
    languages: Vec<(String, usize)>,
    /// The manifest's items in the book, paths resolved from the package's folder.
    items: Vec<Item>,
    /// The `id` of every manifest item, those out of the book (a URL) too.
    ids: HashSet<String>,
    /// Each spine `itemref`: its `idref` and line.
    spine: Vec<(String, usize)>,
}

struct Item {
    id: String,
    path: String,
    media_type: String,
    /// Where the package document lists it.
    line: usize,
}

impl Package {
    fn read(opf_path: &str, opf: &str) -> Package {
        let mut languages = Vec::new();
        let mut items = Vec::new();
        let mut ids = HashSet::new();
        let mut spine = Vec::new();
        let mut open_language: Option<(String, usize)> = None;
        scan(opf, |token| match token {
            Token::Start { name, attrs, line } => {
                let get = |key: &str| {
                    attrs
                        .iter()
                        .find(|(n, _)| *n == key)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_default()
                };
                match local_name(name) {
                    "language" => {
                        // A self-closed `<dc:language/>` is never closed: see below.
                        if let Some(unclosed) = open_language.replace((String::new(), line)) {
                            languages.push(unclosed);
                        }
                    }
                    "item" => {
                        let id = get("id");
                        if let Some(path) = resolve(opf_path, &get("href")) {
                            items.push(Item {
                                id: id.clone(),
                                path,
                                media_type: get("media-type").trim().to_ascii_lowercase(),
                                line,
                            });
                        }
                        ids.insert(id);
                    }
                    "itemref" => spine.push((get("idref"), line)),
                    _ => {}
                }
            }
            Token::Text { text, .. } => {
                if let Some((value, _)) = &mut open_language {
                    value.push_str(text);
                }
            }
            Token::End { name } if local_name(name) == "language" => {
                if let Some((value, line)) = open_language.take() {
                    languages.push((decode_entities(value.trim()), line));
                }
            }
            _ => {}
        });
        languages.extend(open_language);
        Package {
            languages,
            items,
            ids,
            spine,
        }
    }
}

/// `href` (percent-encoded, relative to the file `from`) as a zip path, without its
/// fragment; `None` for a link out of the book (a scheme) or out of the zip (`..` past the
/// root).
fn resolve(from: &str, href: &str) -> Option<String> {
    let href = href.trim();
    let path = href.split('#').next().unwrap_or_default();
    if path.is_empty() {
        return Some(from.to_string());
    }
    let scheme = path.find(':');
    if scheme.is_some_and(|colon| !path[..colon].contains('/')) {
        return None;
    }
    let path = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?
        .into_owned();
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        from.split('/').collect::<Vec<_>>()
    };
    // The file itself is not a folder.
    parts.pop();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// The first well-formedness error of the XML file at `path` (one the comment check does not
/// report already).
fn check_well_formed(path: &str, text: &str, problems: &mut Vec<Problem>) {
    if let Some(error) = well_formed::first_error(text).filter(|e| !e.in_comment) {
        problems.push(Problem {
            cause: Cause::NotWellFormed,
            file: Some(path.to_string()),
            line: Some(error.line),
            column: Some(error.column),
            message: error.message,
        });
    }
}

/// Manifest items whose file is not in the book, and spine entries that name no item.
fn check_manifest_and_spine(
    opf_path: &str,
    package: &Package,
    book: &OpenBook,
    problems: &mut Vec<Problem>,
) {
    let mut problem = |cause: Cause, line: usize, message: String| {
        problems.push(Problem::at(cause, opf_path, Some(line), message))
    };
    let in_spine: HashSet<&str> = package.spine.iter().map(|(id, _)| id.as_str()).collect();
    for item in &package.items {
        if !book.has(&item.path) {
            let listed = if in_spine.contains(item.id.as_str()) {
                "the manifest and the spine list"
            } else {
                "the manifest lists"
            };
            problem(
                Cause::MissingFile,
                item.line,
                format!("{listed} {}, which is not in the book", item.path),
            );
        }
    }
    for (idref, line) in &package.spine {
        if !package.ids.contains(idref) {
            problem(
                Cause::UnknownSpineItem,
                *line,
                format!("the spine names the item '{idref}', which the manifest does not list"),
            );
        }
    }
}

fn check_language(opf_path: &str, package: &Package, problems: &mut Vec<Problem>) {
    let mut problem = |line: Option<usize>, message: String| {
        problems.push(Problem::at(Cause::Language, opf_path, line, message))
    };
    match package.languages.first() {
        None => problem(
            None,
            "no dc:language: Kindle needs the book's language".to_string(),
        ),
        Some((tag, line)) if tag.is_empty() => {
            problem(Some(*line), "dc:language is empty".to_string())
        }
        Some((tag, line)) if tag.eq_ignore_ascii_case(bcp47::UNDETERMINED) => problem(
            Some(*line),
            "dc:language is 'und' (undetermined): Kindle needs a real language".to_string(),
        ),
        Some((tag, line)) if !bcp47::is_valid(tag) => {
            let fix = bcp47::normalize(tag)
                .map(|t| format!(" (write '{t}')"))
                .unwrap_or_default();
            problem(
                Some(*line),
                format!("dc:language '{tag}' is not a valid BCP 47 language tag{fix}"),
            )
        }
        Some(_) => {}
    }
}

/// `--` in comments of any XML file (XML forbids it; Kindle's parser stops at it).
fn check_comments(path: &str, text: &str, problems: &mut Vec<Problem>) {
    scan(text, |token| {
        if let Token::Comment { body, line } = token {
            if body.contains("--") || body.ends_with('-') {
                problems.push(Problem::at(
                    Cause::CommentDashes,
                    path,
                    Some(line),
                    "'--' inside an XML comment".to_string(),
                ));
            }
        }
    });
}

/// The `id` of the page's `<body>`, if it has one.
fn body_id(text: &str) -> Option<String> {
    let mut id = None;
    scan(text, |token| {
        if let Token::Start { name, attrs, .. } = token {
            if id.is_none() && local_name(name).eq_ignore_ascii_case("body") {
                id = Some(attrs.into_iter().find(|(n, _)| *n == "id").map(|(_, v)| v));
            }
        }
    });
    id.flatten().filter(|id| !id.is_empty())
}

/// Whether `href` (in `from`) points at a body id; the target file's path when it does.
fn links_to_body(from: &str, href: &str, body_ids: &HashMap<&str, String>) -> Option<String> {
    let (_, fragment) = href.split_once('#')?;
    let fragment = percent_encoding::percent_decode_str(fragment)
        .decode_utf8()
        .ok()?;
    let target = resolve(from, href)?;
    (body_ids.get(target.as_str())? == fragment.as_ref()).then_some(target)
}

fn check_page(
    path: &str,
    text: &str,
    body_ids: &HashMap<&str, String>,
    problems: &mut Vec<Problem>,
) {
    let mut problem = |cause: Cause, line: usize, message: String| {
        problems.push(Problem::at(cause, path, Some(line), message))
    };
    match xml_declaration(text) {
        Ok(()) => {}
        Err(message) => problem(Cause::XmlDeclaration, 1, message),
    }
    let mut math: Option<(usize, usize)> = None;
    let mut in_style: Option<usize> = None;
    let mut style_text = String::new();
    scan(text, |token| match token {
        Token::Start { name, attrs, line } => {
            let local = local_name(name).to_ascii_lowercase();
            let attr = |key: &str| {
                attrs
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(key))
                    .map(|(_, v)| v.as_str())
            };
            match local.as_str() {
                "img" if attr("src").is_none_or(|s| s.trim().is_empty()) => problem(
                    Cause::ImageWithoutSource,
                    line,
                    "<img> without src".to_string(),
                ),
                "math" => math.get_or_insert((line, 0)).1 += 1,
                "style" if !name.ends_with('/') => {
                    in_style = Some(line);
                    style_text.clear();
                }
                _ => {}
            }
            for key in ["href", "xlink:href"] {
                if let Some(target) = attr(key).and_then(|h| links_to_body(path, h, body_ids)) {
                    problem(
                        Cause::BodyLink,
                        line,
                        format!(
                            "a link to the <body> id of {target} (link to an element inside it)"
                        ),
                    );
                }
            }
            if let Some(style) = attr("style") {
                check_css_into(style, line, &mut |line, message| {
                    problem(Cause::CssCustomProperty, line, message)
                });
            }
        }
        Token::Text { text, .. } if in_style.is_some() => style_text.push_str(text),
        Token::End { name } if local_name(name).eq_ignore_ascii_case("style") => {
            if let Some(line) = in_style.take() {
                check_css_into(&style_text, line, &mut |line, message| {
                    problem(Cause::CssCustomProperty, line, message)
                });
                for (line, message) in dark_code(&style_text, line) {
                    problem(Cause::DarkCode, line, message);
                }
            }
        }
        Token::Comment { body, line } if body.contains("--") || body.ends_with('-') => problem(
            Cause::CommentDashes,
            line,
            "'--' inside an XML comment".to_string(),
        ),
        _ => {}
    });
    if let Some((line, count)) = math {
        let formulas = if count == 1 {
            "a MathML formula".to_string()
        } else {
            format!("{count} MathML formulas")
        };
        problem(
            Cause::MathMl,
            line,
            format!("{formulas} (Kindle renders no MathML: use images with alt text)"),
        );
    }
}

/// Links of the NCX (`<content src>`) to a body id.
fn check_ncx_links(
    path: &str,
    text: &str,
    body_ids: &HashMap<&str, String>,
    problems: &mut Vec<Problem>,
) {
    scan(text, |token| {
        if let Token::Start { name, attrs, line } = token {
            if local_name(name) != "content" {
                return;
            }
            let src = attrs
                .iter()
                .find(|(n, _)| *n == "src")
                .map(|(_, v)| v.as_str());
            if let Some(target) = src.and_then(|s| links_to_body(path, s, body_ids)) {
                problems.push(Problem::at(
                    Cause::BodyLink,
                    path,
                    Some(line),
                    format!("a contents entry points at the <body> id of {target}"),
                ));
            }
        }
    });
}

/// `Ok` when `text` opens with an XML declaration that names UTF-8, else what is wrong.
fn xml_declaration(text: &str) -> std::result::Result<(), String> {
    let Some(rest) = text.strip_prefix("<?xml") else {
        return Err(
            "no XML declaration: the file must begin with <?xml version=\"1.0\" encoding=\"utf-8\"?>"
                .to_string(),
        );
    };
    let declaration = &rest[..rest.find("?>").unwrap_or(rest.len())];
    let encoding = declaration.find("encoding").map(|at| {
        declaration[at + "encoding".len()..]
            .trim_start()
            .trim_start_matches('=')
            .trim_start()
            .trim_start_matches(['"', '\''])
            .split(['"', '\''])
            .next()
            .unwrap_or_default()
            .to_string()
    });
    match encoding {
        None => Err("the XML declaration names no encoding (add encoding=\"utf-8\")".to_string()),
        Some(encoding) if encoding.eq_ignore_ascii_case("utf-8") => Ok(()),
        Some(encoding) => Err(format!(
            "the XML declaration names the encoding '{encoding}', not utf-8"
        )),
    }
}

fn check_css(path: &str, css: &str, first_line: usize, problems: &mut Vec<Problem>) {
    check_css_into(css, first_line, &mut |line, message| {
        problems.push(Problem::at(
            Cause::CssCustomProperty,
            path,
            Some(line),
            message,
        ))
    });
    for (line, message) in dark_code(css, first_line) {
        problems.push(Problem::at(Cause::DarkCode, path, Some(line), message));
    }
}

/// Calls `report` with the line and message of each custom property and `var()` in `css`,
/// whose first line is `first_line` of its file.
fn check_css_into(css: &str, first_line: usize, report: &mut dyn FnMut(usize, String)) {
    let code = css_code(css);
    let lines = Lines::new(&code);
    let bytes = code.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80;
    let mut at = 0;
    while at < bytes.len() {
        let before = at.checked_sub(1).map(|i| bytes[i]);
        let starts_token = before.is_none_or(|b| !ident(b));
        if starts_token && bytes[at..].starts_with(b"--") {
            let end = at + 2 + bytes[at + 2..].iter().take_while(|&&b| ident(b)).count();
            let after = code[end..].trim_start();
            if end > at + 2 && after.starts_with(':') {
                report(
                    first_line + lines.line_of(at) - 1,
                    format!("CSS custom property '{}'", &code[at..end]),
                );
            }
            at = end.max(at + 2);
            continue;
        }
        if starts_token && bytes[at..].len() >= 4 && bytes[at..at + 4].eq_ignore_ascii_case(b"var(")
        {
            report(
                first_line + lines.line_of(at) - 1,
                "CSS var() (custom properties)".to_string(),
            );
            at += 4;
            continue;
        }
        at += 1;
    }
}

/// [`check_css_into`] from the first line, for the writer's tests.
#[cfg(test)]
pub(crate) fn check_css_for_tests(css: &str, report: &mut dyn FnMut(usize, String)) {
    check_css_into(css, 1, report);
}

/// `css` with comments and the insides of strings blanked: each byte but a newline becomes a
/// space, so offsets and lines are those of `css`.
pub(crate) fn css_code(css: &str) -> String {
    let bytes = css.as_bytes();
    let mut out = bytes.to_vec();
    let blank = |out: &mut Vec<u8>, range: std::ops::Range<usize>| {
        for b in &mut out[range] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    };
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                let end = memchr::memmem::find(&bytes[at + 2..], b"*/")
                    .map_or(bytes.len(), |e| at + 2 + e + 2);
                blank(&mut out, at..end);
                at = end;
            }
            quote @ (b'"' | b'\'') => {
                let mut end = at + 1;
                while end < bytes.len() && bytes[end] != quote {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                let end = end.min(bytes.len());
                blank(&mut out, at + 1..end);
                at = end + 1;
            }
            _ => at += 1,
        }
    }
    // Only ASCII bytes were replaced, by ASCII: still UTF-8 (a multibyte character is
    // blanked whole, every byte of it lies inside the range).
    String::from_utf8(out).unwrap_or_else(|_| " ".repeat(css.len()))
}

/// Rules for `pre` or `code` that set a dark background, as (line, message).
fn dark_code(css: &str, first_line: usize) -> Vec<(usize, String)> {
    let lines = Lines::new(css);
    dark_code_declarations(css)
        .into_iter()
        .map(|range| {
            (
                first_line + lines.line_of(range.start) - 1,
                format!(
                    "code on a dark background ('{}'): e-ink shows it as a black block",
                    css[range].trim().trim_end_matches(';').trim()
                ),
            )
        })
        .collect()
}

/// The byte ranges of the declarations (through their `;`, when they have one) that give a
/// `pre` or `code` rule a dark background.
pub(crate) fn dark_code_declarations(css: &str) -> Vec<std::ops::Range<usize>> {
    let code = css_code(css);
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(open) = code[at..].find('{').map(|o| at + o) {
        let close = code[open..].find('}').map_or(code.len(), |c| open + c);
        let selector = code[at..open].rsplit([';', '}']).next().unwrap_or_default();
        let names_code = selector
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
            .any(|word| word.eq_ignore_ascii_case("pre") || word.eq_ignore_ascii_case("code"));
        let mut start = open + 1;
        while names_code && start < close {
            let end = code[start..close].find(';').map_or(close, |e| start + e);
            let declaration = &code[start..end];
            let dark = declaration
                .split_once(':')
                .is_some_and(|(property, value)| {
                    let property = property.trim().to_ascii_lowercase();
                    (property == "background" || property == "background-color")
                        && value
                            .split_whitespace()
                            .filter_map(color_lightness)
                            .any(|l| l < 0.5)
                });
            if dark {
                let leading = declaration.len() - declaration.trim_start().len();
                found.push(start + leading..(end + 1).min(close));
            }
            start = end + 1;
        }
        at = close + 1;
        if at >= code.len() {
            break;
        }
    }
    found
}

/// The relative lightness (0 black, 1 white) of a CSS colour quire can read: `#rgb`,
/// `#rrggbb` (with or without alpha), `rgb()`/`rgba()` and a few names.
fn color_lightness(value: &str) -> Option<f32> {
    let value = value
        .trim()
        .trim_end_matches("!important")
        .to_ascii_lowercase();
    let rgb: [u8; 3] = if let Some(hex) = value.strip_prefix('#') {
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()?;
        match digits.len() {
            3 | 4 => [digits[0] * 17, digits[1] * 17, digits[2] * 17],
            6 | 8 => [
                digits[0] * 16 + digits[1],
                digits[2] * 16 + digits[3],
                digits[4] * 16 + digits[5],
            ],
            _ => return None,
        }
    } else if let Some(args) = value
        .strip_prefix("rgb(")
        .or_else(|| value.strip_prefix("rgba("))
    {
        let mut parts = args
            .trim_end_matches(')')
            .split([',', ' ', '/'])
            .filter(|p| !p.is_empty())
            .map(|p| p.parse::<f32>().ok().map(|v| v.clamp(0.0, 255.0) as u8));
        [parts.next()??, parts.next()??, parts.next()??]
    } else {
        match value.as_str() {
            "black" => [0, 0, 0],
            "navy" => [0, 0, 128],
            "maroon" => [128, 0, 0],
            "darkslategray" | "darkslategrey" => [47, 79, 79],
            "dimgray" | "dimgrey" => [105, 105, 105],
            "white" => [255, 255, 255],
            _ => return None,
        }
    };
    let [r, g, b] = rgb.map(|c| f32::from(c) / 255.0);
    Some(0.2126 * r + 0.7152 * g + 0.0722 * b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_resolve_inside_the_book() {
        assert_eq!(
            resolve("OEBPS/a.xhtml", "b.xhtml#x").as_deref(),
            Some("OEBPS/b.xhtml")
        );
        assert_eq!(
            resolve("OEBPS/t/a.xhtml", "../b%20c.xhtml").as_deref(),
            Some("OEBPS/b c.xhtml")
        );
        assert_eq!(
            resolve("OEBPS/a.xhtml", "#x").as_deref(),
            Some("OEBPS/a.xhtml")
        );
        assert_eq!(resolve("OEBPS/a.xhtml", "https://example.org/a"), None);
        assert_eq!(resolve("a.xhtml", "../../b.xhtml"), None);
    }

    #[test]
    fn utf16_entries_are_read_as_text() {
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<a>\u{e9}\u{1d11e}</a>";
        let le = text.encode_utf16().flat_map(u16::to_le_bytes);
        let be = text.encode_utf16().flat_map(u16::to_be_bytes);
        assert_eq!(
            decode(&[0xff, 0xfe].into_iter().chain(le).collect::<Vec<_>>()),
            text
        );
        assert_eq!(
            decode(&[0xfe, 0xff].into_iter().chain(be).collect::<Vec<_>>()),
            text
        );
        assert_eq!(decode(b"\xef\xbb\xbfa\xff"), "a\u{fffd}");
    }

    #[test]
    fn declarations_must_name_utf8() {
        assert!(xml_declaration("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").is_ok());
        assert!(xml_declaration("<?xml version='1.0' encoding='utf-8'?>").is_ok());
        assert!(xml_declaration("<?xml version=\"1.0\"?>").is_err());
        assert!(xml_declaration("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>").is_err());
        assert!(xml_declaration("<!DOCTYPE html>").is_err());
    }

    #[test]
    fn custom_properties_are_found_with_their_lines() {
        let mut found = Vec::new();
        check_css_into(
            ":root {\n  --ink: #333;\n}\np { color: var(--ink); }\n/* --x: 1 */ a { content: \"--y: 2\"; margin: -1px }",
            10,
            &mut |line, message| found.push((line, message)),
        );
        assert_eq!(
            found,
            vec![
                (11, "CSS custom property '--ink'".to_string()),
                (13, "CSS var() (custom properties)".to_string()),
            ]
        );
    }

    #[test]
    fn dark_code_backgrounds_are_found() {
        let found = dark_code("p { background: #000 }\npre code {\n background-color: #1e1e1e;\n}\ncode { background: #f4f4f4 }\npre { color: #eee;\n  background: black }", 1);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, 3);
        assert_eq!(
            found[1],
            (
                7,
                "code on a dark background ('background: black'): e-ink shows it as a black block"
                    .to_string()
            )
        );
        assert_eq!(color_lightness("rgb(255, 255, 255)"), Some(1.0));
    }
}
