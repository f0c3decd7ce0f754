//! The notes section after the article's blocks: endnotes in HTML, EPUB 3 footnotes in XHTML.

use std::fmt::Write as _;

use super::render::Renderer;
use crate::model::Block;

impl Renderer<'_> {
    /// Writes the notes; notes referenced from notes are appended while this runs.
    pub(super) fn footnotes(&mut self) {
        if self.notes.is_empty() {
            return;
        }
        // XHTML (EPUB) notes are EPUB 3 footnotes: asides that reading systems show as
        // pop-ups and may hide from the flow; numbers come from the book's stylesheet, so the
        // note's text stays the note's text. HTML notes are an ordered list.
        let (section_open, note_tag, section_close) = if self.xhtml {
            (
                "<section class=\"footnotes\" epub:type=\"endnotes\" role=\"doc-endnotes\">\n",
                "aside",
                "</section>\n",
            )
        } else {
            (
                "<section class=\"footnotes\" role=\"doc-endnotes\">\n<hr />\n<ol>\n",
                "li",
                "</ol>\n</section>\n",
            )
        };
        let note_semantics = if self.xhtml {
            " epub:type=\"footnote\" role=\"doc-footnote\""
        } else {
            ""
        };
        self.out.push_str(section_open);
        let mut index = 0;
        while let Some(&blocks) = self.notes.get(index) {
            let n = index + 1;
            let _ = write!(self.out, "<{note_tag} id=\"fn-{n}\"{note_semantics}>");
            let back = format!(
                "<a href=\"#fnref-{n}\" class=\"footnote-back\" role=\"doc-backlink\">\u{21a9}</a>"
            );
            match blocks.split_last() {
                Some((Block::Paragraph(last), before)) => {
                    self.blocks(before);
                    self.out.push_str("<p>");
                    self.inlines(last);
                    self.out.push(' ');
                    self.out.push_str(&back);
                    self.out.push_str("</p>");
                }
                _ => {
                    self.blocks(blocks);
                    let _ = write!(self.out, "<p>{back}</p>");
                }
            }
            let _ = writeln!(self.out, "</{note_tag}>");
            index += 1;
        }
        self.out.push_str(section_close);
    }
}
