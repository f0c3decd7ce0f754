//! The headings a table of contents lists, taken from the model: those of the body's flow
//! (not inside quotes, lists, tables or notes) that have an id, at the level the HTML
//! renderer writes them (a heading never more than one level below the one before it, the
//! title counting as level 1), counted from the top level found. A standfirst set as a
//! heading is not listed, and long entries are shortened ([`entry_text`]).

use crate::model::{classes, collapse_whitespace, Block, Document, Inline};
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
    headings_in(&document.blocks, shows_title, max_depth)
}

/// The headings of `blocks` a table of contents lists, no deeper than `max_depth`, under a
/// title when `shows_title`.
pub(crate) fn headings_in(blocks: &[Block], shows_title: bool, max_depth: u8) -> Vec<TocHeading> {
    let mut walk = Walk {
        last_level: shows_title.then_some(1),
        found: Vec::new(),
        title_seen: shows_title,
        passed_text: false,
    };
    walk.blocks(blocks, true, false);
    // A standfirst that a page marks up as a heading (a sentence or two right under the
    // title) is not a section: the contents list only real headings.
    walk.found.retain(|(_, _, content, under_title)| {
        let mut plain = String::new();
        push_text(content, &mut plain);
        !(*under_title && reads_as_standfirst(&collapse_whitespace(&plain)))
    });
    let top = walk
        .found
        .iter()
        .map(|(level, ..)| *level)
        .min()
        .unwrap_or(1);
    walk.found
        .into_iter()
        .filter_map(|(level, id, content, _)| {
            let depth = level - top + 1;
            let mut plain = String::new();
            push_text(content, &mut plain);
            let text = collapse_whitespace(&clean_text(&plain)).trim().to_string();
            (depth <= max_depth && !text.is_empty()).then(|| TocHeading {
                depth,
                id: id.to_string(),
                text: entry_text(&text),
            })
        })
        .collect()
}

/// The longest contents entry, in characters: longer ones are shortened.
pub(crate) const MAX_ENTRY_CHARS: usize = 80;

/// A title or heading as a contents entry: whitespace collapsed, and one longer than
/// [`MAX_ENTRY_CHARS`] cut at the last word boundary that leaves room for "…" (mid-word
/// only when a single word is that long).
pub(crate) fn entry_text(text: &str) -> String {
    let text = collapse_whitespace(text);
    let text = text.trim();
    if text.chars().count() <= MAX_ENTRY_CHARS {
        return text.to_string();
    }
    let limit = text
        .char_indices()
        .nth(MAX_ENTRY_CHARS - 1)
        .map_or(text.len(), |(at, _)| at);
    let head = &text[..limit];
    // Cut before the word that runs past the limit (the one at `limit` if it starts there).
    let cut = match text[limit..].chars().next() {
        Some(c) if c.is_whitespace() => head,
        _ => head
            .rfind(char::is_whitespace)
            .map_or(head, |at| &head[..at]),
    };
    let cut = cut.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—')
    });
    let cut = if cut.is_empty() { head } else { cut };
    format!("{cut}…")
}

/// Whether a heading's text reads as a standfirst rather than a section title: prose that
/// ends a sentence and runs longer than section titles do.
fn reads_as_standfirst(text: &str) -> bool {
    let text = text.trim();
    let ends_sentence = text
        .trim_end_matches(['"', '\'', '”', '’', ')'])
        .ends_with(['.', '!', '?', '…']);
    ends_sentence && text.chars().count() > 60 && text.split_whitespace().count() >= 10
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
            Inline::Math(math) => out.push_str(&math.linear()),
            Inline::LineBreak => out.push(' '),
            Inline::Image(_) | Inline::Note(_) => {}
        }
    }
}

/// The body's headings in writing order, with their levels as written.
struct Walk<'a> {
    /// The level of the last heading written (the title's, 1, when there is one).
    last_level: Option<u8>,
    /// Level, id, text, and whether the heading comes right under a title (a title or a
    /// heading before it, no text between): where a standfirst stands.
    found: Vec<(u8, &'a str, &'a [Inline], bool)>,
    /// Whether a title has been shown: the document's, or (in a book made one document) the
    /// current article's heading.
    title_seen: bool,
    /// Whether a block other than a heading has been passed since the title.
    passed_text: bool,
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
                        let under_title = self.title_seen && !self.passed_text;
                        self.found.push((level, id, content, under_title));
                    }
                    self.title_seen = true;
                }
                Block::Quote(inner) => self.blocks(inner, false, in_table_head),
                Block::Container {
                    attr,
                    blocks: inner,
                } if attr.has_class(classes::CHAPTER_HEADER) => {
                    // A bundled article's heading and byline: its own title, then its text.
                    self.title_seen = false;
                    self.blocks(inner, in_flow, in_table_head);
                    self.passed_text = false;
                }
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
            // A lead image or a rule between the title and a standfirst is not text.
            if matches!(
                block,
                Block::Paragraph(_)
                    | Block::Quote(_)
                    | Block::List(_)
                    | Block::Code { .. }
                    | Block::Table(_)
            ) {
                self.passed_text = true;
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

    /// Issue 13, point 8: entries longer than 80 characters are cut at a word boundary and
    /// end with "…"; shorter ones are left alone.
    #[test]
    fn long_entries_are_shortened_at_a_word() {
        let short = "Storm-damaged harbour wall to be rebuilt";
        assert_eq!(entry_text(short), short);
        let long = "Officials say the storm-damaged harbour wall will be rebuilt by spring, \
                    although the fishermen doubt it and the council has not found the money";
        let entry = entry_text(long);
        assert!(entry.ends_with('…'), "{entry}");
        assert!(entry.chars().count() <= MAX_ENTRY_CHARS, "{entry}");
        let kept = entry.trim_end_matches('…');
        assert!(long.starts_with(kept), "{entry}");
        // The cut falls between words, and no dangling comma is left before the ellipsis.
        assert!(long[kept.len()..].starts_with([' ', ',']), "{entry}");
        assert!(!kept.ends_with(','), "{entry}");
        // One word longer than an entry is cut inside it.
        let word = "x".repeat(120);
        assert_eq!(entry_text(&word).chars().count(), MAX_ENTRY_CHARS);
    }

    /// Issue 13, point 8: a standfirst set as a heading right under the title (a sentence
    /// or two of prose) is not a contents entry; a heading after text, or a short one, is.
    #[test]
    fn a_standfirst_heading_is_not_an_entry() {
        let standfirst = "The council says the wall will be rebuilt by the spring, but the \
                          fishermen who use the harbour every day are not so sure of that.";
        let document = Document::new(
            Meta {
                title: Some("Wall plans".into()),
                ..Meta::default()
            },
            vec![
                heading(2, "standfirst", standfirst),
                Block::Paragraph(vec![Inline::text("Text.")]),
                heading(2, "what-next", "What next?"),
                heading(2, "prose", standfirst),
            ],
        );
        let ids: Vec<String> = entries(&document, 2).into_iter().map(|e| e.1).collect();
        assert_eq!(ids, ["what-next", "prose"]);
        // In a book made one document, each article's header starts a new title.
        let chapter = |n: &str| {
            vec![
                Block::Container {
                    attr: Box::new(Attr::class(classes::CHAPTER_HEADER)),
                    blocks: vec![
                        heading(1, n, n),
                        Block::Paragraph(vec![Inline::text("A byline")]),
                    ],
                },
                heading(2, &format!("{n}-standfirst"), standfirst),
                Block::Paragraph(vec![Inline::text("Text.")]),
                heading(2, &format!("{n}-section"), "A section"),
            ]
        };
        let mut blocks = chapter("one");
        blocks.extend(chapter("two"));
        let ids: Vec<String> = headings_in(&blocks, true, 2)
            .into_iter()
            .map(|e| e.id)
            .collect();
        assert_eq!(ids, ["one", "one-section", "two", "two-section"]);
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
