//! One document prepared for writing, the entry every single-document writer (HTML,
//! Markdown, PDF) calls: ids made unique and XML-safe ([`super::ids`]), `#fragment` links
//! following renamed ids, `#fragment` links that name nothing unwrapped (their text stays;
//! the note ids writers make, `fn-N` and `fnref-N` within the number of notes, are kept).
//! Writers number the prepared document's notes in the order [`super::notes::in_order`]
//! gives (the HTML renderer as it meets them, in that order; Markdown by that list).
//!
//! Most documents need none of it: a cheap look (one walk over ids and links, no copy)
//! decides, and only a document that needs a change is copied and changed. A library user
//! cannot reach a renderer around it: `HtmlWriter`, `render_article`, the Markdown and PDF
//! writers prepare on entry, and EPUB chapters come from [`super::book`].

use std::borrow::Cow;
use std::collections::HashSet;

use super::ids::{self, is_kobo_span_id, is_note_id, is_xml_name};
use super::links::{self, fragment_target, is_note_in_range, LinkTarget};
use crate::model::url::{is_allowed, UrlUse};
use crate::model::{for_each_block, Block, Document, Inline};

/// A document as writers write it: the reader's own when it needed no change, else a changed
/// copy.
#[derive(Debug)]
pub(crate) struct Prepared<'a> {
    document: Cow<'a, Document>,
}

impl<'a> Prepared<'a> {
    /// The prepared document.
    pub(crate) fn document(&self) -> &Document {
        &self.document
    }

    /// The prepared document, to change further (images a writer embeds): copying it only
    /// then, if it is still the caller's.
    pub(crate) fn into_cow(self) -> Cow<'a, Document> {
        self.document
    }

    /// Whether preparing changed (and so copied) the document.
    #[cfg(test)]
    pub(crate) fn changed(&self) -> bool {
        matches!(self.document, Cow::Owned(_))
    }
}

/// Prepares `document` for writing (see the module's docs). Its depth must have been checked
/// ([`Document::check_depth`]): the walks recurse over the model.
pub(crate) fn document(document: &Document) -> Prepared<'_> {
    let Err(note_count) = is_prepared(document) else {
        return Prepared {
            document: Cow::Borrowed(document),
        };
    };
    let mut copy = document.clone();
    prepare_in_place(&mut copy, note_count);
    Prepared {
        document: Cow::Owned(copy),
    }
}

/// The `#fragment` of a link URL that points inside the document, if it is one: what
/// follows `#` (possibly empty: the top of the page).
fn internal_fragment(url: &str) -> Option<&str> {
    let fragment = url.trim().strip_prefix('#')?;
    is_allowed(url, UrlUse::Link).then_some(fragment)
}

/// Whether preparing would change nothing: every id a valid XML name, used once and not shaped
/// like a note id; every `#fragment` link naming one of them or a note id within range.
/// `Err` holds the number of notes, for the preparing.
///
/// One walk over the body and every note (this runs on every conversion): ids are checked as
/// they come, `#fragment` links kept to be looked up once every id is known.
fn is_prepared(document: &Document) -> Result<(), usize> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut fragments: Vec<&str> = Vec::new();
    // Slices of blocks still to look at: the body, then each note as it is found.
    let mut pending: Vec<&[Block]> = vec![&document.blocks];
    let mut note_count = 0;
    let mut good = true;
    while let Some(blocks) = pending.pop() {
        for_each_block(blocks, &mut |block| {
            let (id, inlines): (&str, &[Inline]) = match block {
                Block::Heading { id, content, .. } => (id, content),
                Block::Container { attr, .. } => (&attr.id, &[]),
                Block::Paragraph(inlines) => ("", inlines),
                Block::Figure(figure) => ("", &figure.caption),
                Block::Table(table) => ("", &table.caption),
                Block::Quote(_) | Block::List(_) | Block::Code { .. } | Block::Rule => return,
            };
            if !id.is_empty()
                && (!is_xml_name(id) || is_note_id(id) || is_kobo_span_id(id) || !seen.insert(id))
            {
                good = false;
            }
            look_at_inlines(inlines, &mut fragments, &mut pending, &mut note_count);
        });
    }
    good = good
        && fragments.iter().all(|fragment| {
            fragment.is_empty() || seen.contains(fragment) || is_note_in_range(fragment, note_count)
        });
    if good {
        Ok(())
    } else {
        Err(note_count)
    }
}

/// Keeps the `#fragment` of every internal link in `inlines`, and queues their notes.
fn look_at_inlines<'a>(
    inlines: &'a [Inline],
    fragments: &mut Vec<&'a str>,
    notes: &mut Vec<&'a [Block]>,
    note_count: &mut usize,
) {
    for inline in inlines {
        match inline {
            Inline::Link(link) => {
                if let Some(fragment) = internal_fragment(&link.url) {
                    fragments.push(fragment);
                }
                look_at_inlines(&link.content, fragments, notes, note_count);
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => look_at_inlines(c, fragments, notes, note_count),
            Inline::Note(blocks) => {
                *note_count += 1;
                notes.push(blocks);
            }
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Image(_)
            | Inline::Math(_)
            | Inline::LineBreak => {}
        }
    }
}

/// Renames ids on the model and points `#fragment` links at the new names, unwrapping those
/// that name nothing.
fn prepare_in_place(document: &mut Document, note_count: usize) {
    let renamed = ids::make_unique(document);
    links::rewrite(
        &mut document.blocks,
        &mut |url| match internal_fragment(url) {
            None => LinkTarget::Keep,
            // `#` alone is the top of the page.
            Some("") => LinkTarget::Keep,
            Some(fragment) => match fragment_target(fragment, &renamed, note_count) {
                Some(id) => LinkTarget::To(format!("#{id}")),
                None => LinkTarget::Unwrap,
            },
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attr, Inline, Meta};

    fn heading(id: &str) -> Block {
        Block::Heading {
            level: 2,
            id: id.into(),
            content: vec![Inline::text("h")],
        }
    }

    fn link(url: &str) -> Inline {
        Inline::link(url, None, vec![Inline::text("x")])
    }

    fn note(blocks: Vec<Block>) -> Inline {
        Inline::Note(blocks)
    }

    /// Every link URL (or `text:` for one unwrapped) of the document's paragraphs, notes
    /// included, in document order.
    fn urls(blocks: &[Block]) -> Vec<String> {
        let mut found = Vec::new();
        for_each_block(blocks, &mut |block| {
            if let Block::Paragraph(inlines) = block {
                for inline in inlines {
                    match inline {
                        Inline::Link(link) => found.push(link.url.clone()),
                        Inline::Text(text) => found.push(format!("text:{text}")),
                        Inline::Note(inner) => found.extend(urls(inner)),
                        _ => {}
                    }
                }
            }
        });
        found
    }

    /// A document with good ids and links is the caller's own, not a copy.
    #[test]
    fn a_document_that_needs_nothing_is_not_copied() {
        let document = Document::new(
            Meta::default(),
            vec![
                heading("intro"),
                Block::Container {
                    attr: Box::new(Attr {
                        id: "box".into(),
                        ..Attr::default()
                    }),
                    blocks: vec![heading("")],
                },
                Block::Paragraph(vec![
                    link("#intro"),
                    link("#box"),
                    link("#"),
                    link("#fn-1"),
                    link("#fnref-1"),
                    link("https://example.com/#nowhere"),
                    link("other.html#nowhere"),
                    note(vec![Block::Paragraph(vec![link("#intro")])]),
                ]),
            ],
        );
        let prepared = super::document(&document);
        assert!(!prepared.changed());
        assert!(std::ptr::eq(prepared.document(), &document));
    }

    /// Each thing that needs a change makes a prepared copy, in which it is changed.
    #[test]
    fn each_kind_of_problem_is_fixed_on_a_copy() {
        let cases: Vec<(Vec<Block>, Vec<&str>)> = vec![
            // A duplicate id: the link names the first.
            (
                vec![
                    heading("a"),
                    heading("a"),
                    Block::Paragraph(vec![link("#a")]),
                ],
                vec!["#a"],
            ),
            // An id XML cannot carry: the link follows the new name, written or encoded.
            (
                vec![
                    heading("1 a:b"),
                    Block::Paragraph(vec![link("#1 a:b"), link("#1%20a:b")]),
                ],
                vec!["#id-1-a-b", "#id-1-a-b"],
            ),
            // An id shaped like a note id.
            (
                vec![heading("fn-1"), Block::Paragraph(vec![link("#fn-1")])],
                vec!["#fn-1-1"],
            ),
            // A fragment naming nothing, and a note id out of range: their text stays.
            (
                vec![Block::Paragraph(vec![
                    link("#missing"),
                    link("#fn-2"),
                    note(vec![Block::Paragraph(vec![link("#fnref-1")])]),
                ])],
                vec!["text:x", "text:x", "#fnref-1"],
            ),
            // A dangling link inside a note inside a note.
            (
                vec![Block::Paragraph(vec![note(vec![Block::Paragraph(vec![
                    note(vec![Block::Paragraph(vec![link("#gone")])]),
                ])])])],
                vec!["text:x"],
            ),
        ];
        for (blocks, expected) in cases {
            let document = Document::new(Meta::default(), blocks);
            let prepared = super::document(&document);
            assert!(prepared.changed(), "{:?}", document.blocks);
            assert_eq!(urls(&prepared.document().blocks), expected);
        }
    }

    /// A duplicate id inside a note (ids in notes are claimed after the body's).
    #[test]
    fn ids_inside_notes_are_made_unique_too() {
        let document = Document::new(
            Meta::default(),
            vec![
                Block::Paragraph(vec![note(vec![heading("x")])]),
                heading("x"),
            ],
        );
        let prepared = super::document(&document);
        assert!(prepared.changed());
        let notes = super::super::notes::in_order(&prepared.document().blocks);
        assert!(matches!(&notes[0][0], Block::Heading { id, .. } if &**id == "x-1"));
        assert!(
            matches!(&prepared.document().blocks[1], Block::Heading { id, .. } if &**id == "x")
        );
    }
}
