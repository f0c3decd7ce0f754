//! What a flavour of the markup decides, as hooks the renderer calls: note markup, where an
//! image goes, and the header's source link. HTML pages use the defaults ([`Plain`]); the EPUB
//! writer renders its chapters through its own hooks (XHTML, images embedded in the book),
//! and a KEPUB writer can extend them the same way.

use std::fmt::Write as _;

use super::url::{safe_url, UrlUse};

/// How a chapter gets an image: the hook embeds it (or not) and says where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImageRef {
    /// Embedded at this path (relative to the page): written as `<img src>`.
    Embedded(String),
    /// A remote image that was not downloaded: shown as a link to it.
    Remote(String),
    /// Could not be had (the hook has made the warning): shown as its alt text.
    Missing,
}

/// A formula drawn as a picture the book embeds (for readers without MathML).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MathImage {
    /// Where it is, relative to the page.
    pub src: String,
    /// Its height and how far it reaches below the baseline, in ems of the text.
    pub height_em: f32,
    pub depth_em: f32,
}

/// The renderer's hooks. Every method but [`Hooks::xhtml`] has the plain HTML behaviour as
/// its default.
pub(crate) trait Hooks {
    /// XHTML for an EPUB: `xml:lang` beside every `lang`, EPUB 3 semantics on notes (the
    /// page must declare the `epub` namespace).
    fn xhtml(&self) -> bool;

    /// Where an image goes, given its source (already judged safe to write).
    fn image(&mut self, src: &str) -> ImageRef {
        ImageRef::Embedded(src.to_string())
    }

    /// A formula as a picture instead of MathML, or `None` (the default) for MathML.
    fn math_image(&mut self, _math: &crate::model::Math) -> Option<MathImage> {
        None
    }

    /// The `href` of the header's link to the article's source, or `None` to leave it out.
    fn source_link(&self, url: &str) -> Option<String> {
        safe_url(url, UrlUse::Link)
    }

    /// A reference to note `n` (numbered from 1).
    fn note_ref(&self, n: usize, out: &mut String) {
        let epub = if self.xhtml() {
            " epub:type=\"noteref\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"fnref-{n}\" \
             role=\"doc-noteref\"{epub}>{n}</a></sup>"
        );
    }

    /// Opens the notes section. XHTML (EPUB) notes are EPUB 3 footnotes: asides that reading
    /// systems show as pop-ups and may hide from the flow; numbers come from the book's
    /// stylesheet, so the note's text stays the note's text. HTML notes are an ordered list.
    fn notes_start(&self, out: &mut String) {
        out.push_str(if self.xhtml() {
            "<section class=\"footnotes\" epub:type=\"endnotes\" role=\"doc-endnotes\">\n"
        } else {
            "<section class=\"footnotes\" role=\"doc-endnotes\">\n<hr />\n<ol>\n"
        });
    }

    /// Opens note `n`.
    fn note_start(&self, n: usize, out: &mut String) {
        if self.xhtml() {
            let _ = write!(
                out,
                "<aside id=\"fn-{n}\" epub:type=\"footnote\" role=\"doc-footnote\">"
            );
        } else {
            let _ = write!(out, "<li id=\"fn-{n}\">");
        }
    }

    /// The link from note `n` back to its reference.
    fn note_back_link(&self, n: usize, out: &mut String) {
        let _ = write!(
            out,
            "<a href=\"#fnref-{n}\" class=\"footnote-back\" role=\"doc-backlink\">\u{21a9}</a>"
        );
    }

    /// Closes a note.
    fn note_end(&self, out: &mut String) {
        out.push_str(if self.xhtml() {
            "</aside>\n"
        } else {
            "</li>\n"
        });
    }

    /// Closes the notes section.
    fn notes_end(&self, out: &mut String) {
        out.push_str(if self.xhtml() {
            "</section>\n"
        } else {
            "</ol>\n</section>\n"
        });
    }
}

/// The plain flavours: HTML (`xhtml: false`), or XHTML with EPUB semantics and images left
/// where the model has them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plain {
    pub(crate) xhtml: bool,
}

impl Hooks for Plain {
    fn xhtml(&self) -> bool {
        self.xhtml
    }
}
