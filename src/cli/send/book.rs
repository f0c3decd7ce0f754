//! A file to mail: its name, size, content type and title. The title (the message's subject)
//! comes from the book itself: an EPUB's `dc:title`, a PDF's Title, else the file's stem.

use anyhow::{bail, Context, Result};
use quire::OutputFormat;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// One file to attach.
#[derive(Debug, Clone)]
pub struct Book {
    pub path: PathBuf,
    /// The attachment's file name (the file's own).
    pub file_name: String,
    pub size: u64,
    pub content_type: &'static str,
    pub title: String,
}

impl Book {
    /// Looks at the file: it must be a readable regular file. A title that cannot be read
    /// (a damaged book) falls back to the file's stem; the server or the reader will say
    /// what is wrong with the book itself.
    pub fn inspect(path: &Path) -> Result<Book> {
        let metadata =
            std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
        if !metadata.is_file() {
            bail!("{}: not a file", path.display());
        }
        File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_else(|| "book".to_string());
        let content_type = content_type(&file_name);
        let title = match content_type {
            EPUB => epub_title(path).ok().flatten(),
            PDF => pdf_title(path),
            _ => None,
        }
        .unwrap_or_else(|| clean_title(&stem(&file_name)));
        Ok(Book {
            path: path.to_path_buf(),
            file_name,
            size: metadata.len(),
            content_type,
            title,
        })
    }
}

const EPUB: &str = "application/epub+zip";
const PDF: &str = "application/pdf";

/// The MIME type a file is sent as, from its extension. `application/octet-stream` only for
/// what is not known here: Kindle refuses books typed so.
pub fn content_type(file_name: &str) -> &'static str {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        // `.kepub.epub` too.
        "epub" => EPUB,
        "pdf" => PDF,
        "mobi" | "prc" => "application/x-mobipocket-ebook",
        "azw" | "azw3" => "application/vnd.amazon.ebook",
        "fb2" => "application/x-fictionbook+xml",
        "cbz" => "application/vnd.comicbook+zip",
        "txt" | "text" => "text/plain; charset=utf-8",
        "md" | "markdown" => "text/markdown; charset=utf-8",
        "html" | "htm" | "xhtml" => "text/html; charset=utf-8",
        "json" => "application/json",
        "rtf" => "application/rtf",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "odt" => "application/vnd.oasis.opendocument.text",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "bmp" => "image/bmp",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// `essay.kepub.epub` → `essay`, `notes.pdf` → `notes`.
fn stem(file_name: &str) -> String {
    // A suffix of two parts that quire writes (`kepub.epub`) goes whole; the format table
    // knows which there are.
    let double_suffix = OutputFormat::from_path(Path::new(file_name))
        .map(OutputFormat::file_suffix)
        .filter(|suffix| suffix.contains('.'));
    let cut = match double_suffix {
        Some(suffix) => file_name.len() - suffix.len() - 1,
        None => file_name
            .rfind('.')
            .filter(|&dot| dot > 0)
            .unwrap_or(file_name.len()),
    };
    file_name[..cut].to_string()
}

/// Container and package documents are small; a larger entry is not read (a zip bomb).
const MAX_XML_ENTRY: u64 = 4 << 20;

/// The EPUB's first `dc:title`, found through `META-INF/container.xml` and the package
/// document it names.
fn epub_title(path: &Path) -> Result<Option<String>> {
    let mut zip = zip::ZipArchive::new(File::open(path)?)?;
    let container = read_entry(&mut zip, "META-INF/container.xml")?;
    let options = || roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let container = roxmltree::Document::parse_with_options(&container, options())?;
    let Some(package_path) = container
        .descendants()
        .find(|node| node.tag_name().name() == "rootfile")
        .and_then(|node| node.attribute("full-path"))
    else {
        return Ok(None);
    };
    let package = read_entry(&mut zip, package_path)?;
    let package = roxmltree::Document::parse_with_options(&package, options())?;
    let title = package
        .descendants()
        .find(|node| {
            node.tag_name().name() == "title"
                && node.tag_name().namespace() == Some("http://purl.org/dc/elements/1.1/")
        })
        .map(|node| {
            let text: String = node
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            clean_title(&text)
        });
    Ok(title.filter(|title| !title.is_empty()))
}

fn read_entry(zip: &mut zip::ZipArchive<File>, name: &str) -> Result<String> {
    let entry = zip.by_name(name)?;
    let mut text = String::new();
    entry.take(MAX_XML_ENTRY).read_to_string(&mut text)?;
    Ok(text)
}

/// The PDF's Title in its document information.
fn pdf_title(path: &Path) -> Option<String> {
    let metadata = lopdf::Document::load_metadata(path).ok()?;
    let title = clean_title(&metadata.title?);
    (!title.is_empty()).then_some(title)
}

/// A title fit for a subject line: one line, spaces collapsed, no control characters.
fn clean_title(text: &str) -> String {
    let visible: String = text
        .chars()
        .filter(|c| c.is_whitespace() || !c.is_control())
        .collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_types_are_never_octet_stream() {
        assert_eq!(content_type("a.epub"), "application/epub+zip");
        assert_eq!(content_type("a.kepub.epub"), "application/epub+zip");
        assert_eq!(content_type("A.EPUB"), "application/epub+zip");
        assert_eq!(content_type("a.pdf"), "application/pdf");
        assert_eq!(content_type("a.txt"), "text/plain; charset=utf-8");
        assert!(content_type("a.docx").contains("wordprocessingml"));
        assert_eq!(content_type("a.unknown"), "application/octet-stream");
        assert_eq!(content_type("README"), "application/octet-stream");
    }

    #[test]
    fn titles_are_one_clean_line() {
        assert_eq!(
            clean_title("  Tides\n and\u{1b}[2K  times\t"),
            "Tides and[2K times"
        );
    }

    #[test]
    fn stems_drop_the_book_extensions() {
        assert_eq!(stem("essay.kepub.epub"), "essay");
        assert_eq!(stem("Essay.KEPUB.EPUB"), "Essay");
        assert_eq!(stem("notes.pdf"), "notes");
        assert_eq!(stem("a.b.epub"), "a.b");
        assert_eq!(stem(".hidden"), ".hidden");
        assert_eq!(stem("plain"), "plain");
    }
}
