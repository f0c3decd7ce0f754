//! What a flavour of the markup decides, as hooks the renderer calls: note markup, where an
//! image goes, the header's source link, and how a run of text, a block and an image are
//! marked. HTML pages use the defaults ([`Plain`]); the EPUB writer renders its chapters
//! through its own hooks (XHTML, images embedded in the book), and the KEPUB writer extends
//! those with Kobo's sentence spans (`write::epub::kepub`).

use std::fmt::Write as _;

use super::url::{safe_url, UrlUse};
use crate::xml::escape_text_into;

/// How a chapter gets an image: the hook embeds it (or not) and says where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImageRef {
    /// Embedded at this path (relative to the page): written as `<img src>`, with the size a
    /// drawing states when the document states none (see `media::shown_size`).
    Embedded(String, Option<(u32, u32)>),
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

    /// Where an image goes, given the model's source (already judged safe to write; the
    /// renderer percent-encodes what it answers as it writes it).
    fn image(&mut self, src: &str) -> ImageRef {
        ImageRef::Embedded(src.to_string(), None)
    }

    /// A formula as a picture instead of MathML, or `None` (the default) for MathML.
    fn math_image(&mut self, _math: &crate::model::Math) -> Option<MathImage> {
        None
    }

    /// The `href` of the header's link to the article's source, or `None` to leave it out.
    fn source_link(&self, url: &str) -> Option<String> {
        safe_url(url, UrlUse::Link)
    }

    /// A run of visible text (not escaped yet) in the flow of a block: the model's text, a
    /// header line, an image's alternative text, a note's number. Code blocks and formulas
    /// are not text runs: what they hold is written as it is.
    fn text(&mut self, text: &str, out: &mut String) {
        escape_text_into(text, out);
    }

    /// A block that holds text starts (a paragraph, heading, list item, table cell, caption,
    /// a line of the header); blocks nest (a paragraph in a list item).
    fn block_start(&mut self) {}

    /// The block started last ends; text after it belongs to the block around it.
    fn block_end(&mut self) {}

    /// Just before an embedded image's `<img>`.
    fn image_start(&mut self, _out: &mut String) {}

    /// Just after an embedded image's `<img>`.
    fn image_end(&mut self, _out: &mut String) {}

    /// A reference to note `n` (numbered from 1).
    fn note_ref(&mut self, n: usize, out: &mut String) {
        let epub = if self.xhtml() {
            " epub:type=\"noteref\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"fnref-{n}\" \
             role=\"doc-noteref\"{epub}>"
        );
        self.text(&n.to_string(), out);
        out.push_str("</a></sup>");
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
    fn note_back_link(&mut self, n: usize, out: &mut String) {
        let _ = write!(
            out,
            "<a href=\"#fnref-{n}\" class=\"footnote-back\" role=\"doc-backlink\">"
        );
        self.text("\u{21a9}", out);
        out.push_str("</a>");
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
