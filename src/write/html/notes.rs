//! The notes section after the article's blocks: endnotes in HTML, EPUB 3 footnotes in XHTML.

use super::render::Renderer;
use crate::model::Block;

impl Renderer<'_> {
    /// Writes the notes; notes referenced from notes are appended while this runs.
    pub(super) fn footnotes(&mut self) {
        if self.notes.is_empty() {
            return;
        }
        self.hooks.notes_start(&mut self.out);
        let mut index = 0;
        while let Some(&blocks) = self.notes.get(index) {
            let n = index + 1;
            self.hooks.note_start(n, &mut self.out);
            match blocks.split_last() {
                Some((Block::Paragraph(last), before)) => {
                    self.blocks(before);
                    self.out.push_str("<p>");
                    self.hooks.block_start();
                    self.inlines(last);
                    self.out.push(' ');
                    self.hooks.note_back_link(n, &mut self.out);
                    self.hooks.block_end();
                    self.out.push_str("</p>");
                }
                _ => {
                    self.blocks(blocks);
                    self.out.push_str("<p>");
                    self.hooks.block_start();
                    self.hooks.note_back_link(n, &mut self.out);
                    self.hooks.block_end();
                    self.out.push_str("</p>");
                }
            }
            self.hooks.note_end(&mut self.out);
            index += 1;
        }
        self.hooks.notes_end(&mut self.out);
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{inlines_to_plain, Block, Inline};

    fn note(text: &str, more: Vec<Inline>) -> Inline {
        let mut inlines = vec![Inline::text(text)];
        inlines.extend(more);
        Inline::Note(vec![Block::Paragraph(inlines)])
    }

    /// The renderer numbers its notes in the order the preparation stage gives them.
    #[test]
    fn notes_are_numbered_as_prepared() {
        let blocks = vec![
            Block::Paragraph(vec![
                note("outer", vec![note("inner", vec![])]),
                Inline::link("https://x.example/", None, vec![note("linked", vec![])]),
            ]),
            Block::Quote(vec![Block::Paragraph(vec![note("quoted", vec![])])]),
        ];
        let (html, _) = super::super::render_blocks(&blocks, false);
        let prepared = crate::prepare::notes::in_order(&blocks);
        assert_eq!(prepared.len(), 4);
        for (index, note) in prepared.iter().enumerate() {
            let Some(Block::Paragraph(inlines)) = note.first() else {
                unreachable!()
            };
            let first_word = inlines_to_plain(&inlines[..1]);
            let n = index + 1;
            assert!(
                html.contains(&format!("<li id=\"fn-{n}\"><p>{first_word}")),
                "note {n} is {first_word}:\n{html}"
            );
        }
    }
}
