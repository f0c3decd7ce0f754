//! The headings a table of contents lists, taken from the model: those of the body's flow
//! (not inside quotes, lists, tables or notes) that have an id, at the level the HTML
//! renderer writes them (a heading never more than one level below the one before it, the
//! title counting as level 1), counted from the top level found.

use crate::model::{collapse_whitespace, Block, Document, Inline};
use crate::xml::clean_text;

/// One entry of a table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TocHeading {
    /// 1 for the document's top heading level, 2 below it, …
    pub depth: u8,
    /// The heading's id (as prepared: see [`super::ids`]).
    pub id: String,
    /// The heading's text: no markup, no note numbers, whitespace collapsed.
    pub text: String,
}

/// The headings of `document` a table of contents lists, no deeper than `max_depth`.
pub(crate) fn headings(document: &Document, max_depth: u8) -> Vec<TocHeading> {
    let shows_title = document
        .meta
        .title
        .as_deref()
        .is_some_and(|title| !clean_text(title).trim().is_empty());
    let mut walk = Walk {
        last_level: shows_title.then_some(1),
        found: Vec::new(),
    };
    walk.blocks(&document.blocks, true, false);
    let top = walk
        .found
        .iter()
        .map(|(level, ..)| *level)
        .min()
        .unwrap_or(1);
    walk.found
        .into_iter()
        .filter_map(|(level, id, content)| {
            let depth = level - top + 1;
            let mut plain = String::new();
            push_text(content, &mut plain);
            let text = collapse_whitespace(&clean_text(&plain)).trim().to_string();
            (depth <= max_depth && !text.is_empty()).then(|| TocHeading {
                depth,
                id: id.to_string(),
                text,
            })
        })
        .collect()
}

/// A heading's text as a reader sees it in the chapter: link text and code included; images
/// (an `<img>` shows no text) and note references left out; line breaks are spaces.
fn push_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(text) | Inline::Code(text) => out.push_str(text),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => push_text(c, out),
            Inline::Link(link) => push_text(&link.content, out),
            Inline::LineBreak => out.push(' '),
            Inline::Image(_) | Inline::Note(_) => {}
        }
    }
}

/// The body's headings in writing order, with their levels as written.
struct Walk<'a> {
    /// The level of the last heading written (the title's, 1, when there is one).
    last_level: Option<u8>,
    found: Vec<(u8, &'a str, &'a [Inline])>,
}

impl<'a> Walk<'a> {
    /// `in_flow`: not inside a quote, list or table; `in_table_head`: inside a header cell,
    /// where headings are written as paragraphs.
    fn blocks(&mut self, blocks: &'a [Block], in_flow: bool, in_table_head: bool) {
        for block in blocks {
            match block {
                Block::Heading { level, id, content } if !in_table_head => {
                    let level = match self.last_level {
                        Some(previous) => (*level).clamp(1, previous + 1),
                        None => (*level).clamp(1, 6),
                    }
                    .min(6);
                    self.last_level = Some(level);
                    if in_flow && !id.is_empty() {
                        self.found.push((level, id, content));
                    }
                }
                Block::Quote(inner) => self.blocks(inner, false, in_table_head),
                Block::Container { blocks: inner, .. } => {
                    self.blocks(inner, in_flow, in_table_head)
                }
                Block::List(list) => {
                    for item in &list.items {
                        self.blocks(item, false, in_table_head);
                    }
                }
                Block::Table(table) => {
                    for row in &table.head {
                        for cell in &row.cells {
                            self.blocks(&cell.content, false, true);
                        }
                    }
                    for row in &table.body {
                        for cell in &row.cells {
                            self.blocks(&cell.content, false, in_table_head);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attr, Meta};

    fn heading(level: u8, id: &str, text: &str) -> Block {
        Block::Heading {
            level,
            id: id.into(),
            content: vec![Inline::text(text)],
        }
    }

    fn entries(document: &Document, depth: u8) -> Vec<(u8, String, String)> {
        headings(document, depth)
            .into_iter()
            .map(|h| (h.depth, h.id, h.text))
            .collect()
    }

    /// Levels as the renderer writes them (no skipped level), counted from the top one;
    /// quoted headings, headings without an id and note numbers left out; cut at the depth.
    #[test]
    fn toc_headings_to_the_requested_depth() {
        let mut top = heading(1, "top", "Top ");
        if let Block::Heading { content, .. } = &mut top {
            content.push(Inline::Note(vec![Block::Paragraph(vec![Inline::text(
                "note",
            )])]));
            content.push(Inline::Emphasis(vec![Inline::text(" &  more")]));
        }
        let document = Document::new(
            Meta {
                title: Some("The title".into()),
                ..Meta::default()
            },
            vec![
                top,
                // Written h2: one below the h1 before it.
                heading(4, "skipped", "Skipped"),
                Block::Container {
                    attr: Box::new(Attr::default()),
                    blocks: vec![heading(3, "deep", "Deep")],
                },
                Block::Quote(vec![heading(2, "quoted", "Quoted")]),
                heading(2, "", "No id"),
                // An image shows no text: a heading of one image has no entry.
                Block::Heading {
                    level: 2,
                    id: "picture".into(),
                    content: vec![Inline::image(crate::model::Image {
                        src: "a.png".into(),
                        alt: "alt".into(),
                        title: None,
                        ..Default::default()
                    })],
                },
                heading(2, "last", "Last"),
            ],
        );
        let all = entries(&document, 6);
        let expected = [
            (1, "top", "Top & more"),
            (2, "skipped", "Skipped"),
            (3, "deep", "Deep"),
            (2, "last", "Last"),
        ];
        let expected: Vec<(u8, String, String)> = expected
            .iter()
            .map(|(d, i, t)| (*d, i.to_string(), t.to_string()))
            .collect();
        assert_eq!(all, expected);
        let two: Vec<_> = expected.into_iter().filter(|(d, ..)| *d <= 2).collect();
        assert_eq!(entries(&document, 2), two);
        assert!(entries(&document, 0).is_empty());
    }

    /// Without a title, the first heading sets the top level.
    #[test]
    fn the_top_level_is_the_highest_found() {
        let document = Document::new(
            Meta::default(),
            vec![heading(3, "a", "A"), heading(4, "b", "B")],
        );
        assert_eq!(
            entries(&document, 1),
            [(1, "a".to_string(), "A".to_string())]
        );
    }
}
