//! Notes numbered in the order writers number them: first the notes referenced from the
//! body, in document order; then the notes referenced from inside notes, each note's own after
//! those already numbered (they are written after the body, so numbers grow down the page).

use crate::model::{Block, Inline};

/// Every note of `blocks`, note `n` at index `n - 1`.
pub(crate) fn in_order(blocks: &[Block]) -> Vec<&[Block]> {
    in_order_outside(blocks, &|_| false)
}

/// The notes of `blocks` that are not inside a block `written_apart` picks, numbered the
/// same way: for a writer that writes some blocks in another format, with their own notes
/// (Markdown writes a table pipe syntax cannot hold as HTML, its notes inside it).
pub(crate) fn in_order_outside<'a>(
    blocks: &'a [Block],
    written_apart: &dyn Fn(&Block) -> bool,
) -> Vec<&'a [Block]> {
    let mut notes: Vec<&[Block]> = Vec::new();
    collect(blocks, written_apart, &mut notes);
    // Notes found while reading notes are appended, and read in their turn.
    let mut index = 0;
    while let Some(&note) = notes.get(index) {
        collect(note, written_apart, &mut notes);
        index += 1;
    }
    notes
}

/// The notes referenced in `blocks` (not inside those notes), in document order.
fn collect<'a>(
    blocks: &'a [Block],
    written_apart: &dyn Fn(&Block) -> bool,
    notes: &mut Vec<&'a [Block]>,
) {
    for block in blocks {
        if written_apart(block) {
            continue;
        }
        match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } => collect_inline(inlines, notes),
            Block::Quote(inner) | Block::Container { blocks: inner, .. } => {
                collect(inner, written_apart, notes)
            }
            Block::List(list) => {
                for item in &list.items {
                    collect(item, written_apart, notes);
                }
            }
            Block::Table(table) => {
                collect_inline(&table.caption, notes);
                for row in table.head.iter().chain(&table.body) {
                    for cell in &row.cells {
                        collect(&cell.content, written_apart, notes);
                    }
                }
            }
            Block::Figure(figure) => collect_inline(&figure.caption, notes),
            Block::Code { .. } | Block::Rule => {}
        }
    }
}

fn collect_inline<'a>(inlines: &'a [Inline], notes: &mut Vec<&'a [Block]>) {
    for inline in inlines {
        match inline {
            Inline::Note(blocks) => notes.push(blocks),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => collect_inline(c, notes),
            Inline::Link(link) => collect_inline(&link.content, notes),
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Image(_)
            | Inline::Math(_)
            | Inline::LineBreak => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::inlines_to_plain;

    fn note(text: &str, more: Vec<Inline>) -> Inline {
        let mut inlines = vec![Inline::text(text)];
        inlines.extend(more);
        Inline::Note(vec![Block::Paragraph(inlines)])
    }

    fn texts(notes: &[&[Block]]) -> Vec<String> {
        notes
            .iter()
            .map(|blocks| match blocks.first() {
                Some(Block::Paragraph(inlines)) => inlines_to_plain(inlines),
                _ => String::new(),
            })
            .collect()
    }

    /// Body notes first, in document order (inside links, emphasis, quotes), then the notes
    /// referenced from notes, in the order those notes come.
    #[test]
    fn notes_are_numbered_body_first_then_nested() {
        let blocks = vec![
            Block::Paragraph(vec![
                Inline::text("a"),
                note("one", vec![note("three", vec![note("five", vec![])])]),
                Inline::link("https://x.example/", None, vec![note("two", vec![])]),
            ]),
            Block::Quote(vec![Block::Paragraph(vec![Inline::Emphasis(vec![note(
                "four-a",
                vec![note("four-b", vec![])],
            )])])]),
        ];
        let order = in_order(&blocks);
        assert_eq!(
            texts(&order),
            ["one", "two", "four-a", "three", "four-b", "five"]
        );
    }
}
