//! A book split into chapters, each prepared for writing: a copy of its document that shows
//! a title, with unique XML ids, links that point inside the book where they can (a fragment
//! follows its renamed id; a link to another chapter's source URL goes to that chapter's
//! file), its table-of-contents headings, and the title it is known by.

use std::collections::HashMap;

use super::ids::{self, IdMap};
use super::links::{self, absolute_url, fragment_target, safe_external_url, url_key, LinkTarget};
use super::notes;
use super::toc::{self, TocHeading};
use crate::model::url::{is_allowed, UrlUse};
use crate::model::{collapse_whitespace, inlines_to_plain, Block, Document, Meta};
use crate::xml::clean_text;

/// One chapter, prepared.
#[derive(Debug)]
pub(crate) struct Chapter {
    /// The chapter's document as it is written.
    pub doc: Document,
    /// Its file in the book (what links from other chapters point at).
    pub file: String,
    /// The title it is known by (see [`document_title`]).
    pub title: String,
    /// The headings its table-of-contents entry lists.
    pub toc: Vec<TocHeading>,
}

/// What links from any chapter need to know about a chapter.
struct LinkTargets {
    file: String,
    ids: IdMap,
    /// How many notes it has: `#fn-N` and `#fnref-N` name them.
    notes: usize,
    /// Where it is (its source URL, or its file's), for relative links and links to it.
    source: Option<url::Url>,
}

/// Prepares `documents` as the chapters of one book, chapter `i` in the file `file_name(i)`,
/// with table-of-contents headings down to `toc_depth`.
pub(crate) fn chapters(
    documents: &[&Document],
    locations: &[Option<url::Url>],
    file_name: &dyn Fn(usize) -> String,
    toc_depth: u8,
) -> Vec<Chapter> {
    let mut docs = Vec::with_capacity(documents.len());
    let mut targets = Vec::with_capacity(documents.len());
    let mut titles = Vec::with_capacity(documents.len());
    for (index, document) in documents.iter().enumerate() {
        let title = document_title(document);
        let mut doc = Document {
            meta: Meta {
                // A chapter shows its title: one made from the text (no title, no heading)
                // is given to the header, where the renderer shows titles.
                title: if needs_shown_title(document) {
                    Some(title.clone())
                } else {
                    document.meta.title.clone()
                },
                ..document.meta.clone()
            },
            blocks: document.blocks.clone(),
        };
        let ids = ids::make_unique(&mut doc);
        targets.push(LinkTargets {
            file: file_name(index),
            ids,
            notes: notes::in_order(&doc.blocks).len(),
            source: locations.get(index).cloned().flatten(),
        });
        docs.push(doc);
        titles.push(title);
    }
    // Links between chapters point inside the book; the first chapter with a URL wins.
    let mut by_source: HashMap<String, usize> = HashMap::new();
    for (index, target) in targets.iter().enumerate() {
        if let Some(key) = target.source.as_ref().and_then(url_key) {
            by_source.entry(key).or_insert(index);
        }
    }
    docs.into_iter()
        .zip(titles)
        .enumerate()
        .map(|(index, (mut doc, title))| {
            links::rewrite(&mut doc.blocks, &mut |url| {
                resolve_link(url, index, &targets, &by_source)
            });
            Chapter {
                toc: toc::headings(&doc, toc_depth),
                file: targets[index].file.clone(),
                title,
                doc,
            }
        })
        .collect()
}

/// Where a link in chapter `current` points in the book: a fragment of this chapter, another
/// chapter (for a link to a bundled article), or the web. A link the model's URL policy
/// refuses is kept for the writer to drop (with its warning); one that goes nowhere (a
/// fragment that names nothing, a relative link with nothing to resolve it against, a scheme
/// a book cannot follow) is unwrapped.
fn resolve_link(
    raw: &str,
    current: usize,
    targets: &[LinkTargets],
    by_source: &HashMap<String, usize>,
) -> LinkTarget {
    if !is_allowed(raw, UrlUse::Link) {
        return LinkTarget::Keep;
    }
    let raw = raw.trim();
    let resolved = if let Some(fragment) = raw.strip_prefix('#') {
        target(targets, current, current, Some(fragment))
    } else {
        let base = targets.get(current).and_then(|here| here.source.as_ref());
        absolute_url(raw, base).and_then(|url| {
            match url_key(&url).and_then(|key| by_source.get(&key)) {
                Some(&index) => target(targets, current, index, url.fragment()),
                None => safe_external_url(url.as_str()),
            }
        })
    };
    match resolved {
        Some(href) => LinkTarget::To(href),
        None => LinkTarget::Unwrap,
    }
}

/// A link to chapter `index` (at its element with model id `fragment`, if it has one).
fn target(
    targets: &[LinkTargets],
    current: usize,
    index: usize,
    fragment: Option<&str>,
) -> Option<String> {
    let chapter = targets.get(index)?;
    let fragment = fragment.filter(|f| !f.is_empty());
    let id = fragment.and_then(|fragment| fragment_target(fragment, &chapter.ids, chapter.notes));
    match (index == current, id) {
        (true, Some(id)) => Some(format!("#{id}")),
        (false, Some(id)) => Some(format!("{}#{id}", chapter.file)),
        // A fragment that names nothing here would be a broken link: drop it in this
        // chapter, point at the chapter's top in another.
        (true, None) if fragment.is_some() => None,
        (_, None) => Some(chapter.file.clone()),
    }
}

/// Whether an article has neither a title nor a heading of its own, so that its chapter would
/// show no title.
fn needs_shown_title(doc: &Document) -> bool {
    let has_title = doc
        .meta
        .title
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty());
    !has_title
        && !doc
            .blocks
            .iter()
            .any(|block| matches!(block, Block::Heading { .. }))
}

/// The title a chapter is known by: its own, else its first heading, else its first words;
/// always something XML can carry.
pub(crate) fn document_title(doc: &Document) -> String {
    let clean = |text: &str| {
        clean_text(collapse_whitespace(text).trim())
            .trim()
            .to_string()
    };
    if let Some(title) = doc
        .meta
        .title
        .as_deref()
        .map(clean)
        .filter(|t| !t.is_empty())
    {
        return title;
    }
    let first_heading = doc.blocks.iter().find_map(|block| match block {
        Block::Heading { content, .. } => Some(clean(&inlines_to_plain(content))),
        _ => None,
    });
    if let Some(heading) = first_heading.filter(|h| !h.is_empty()) {
        return heading;
    }
    let first_text = doc.blocks.iter().find_map(|block| match block {
        Block::Paragraph(inlines) => Some(clean(&inlines_to_plain(inlines))),
        _ => None,
    });
    if let Some(text) = first_text {
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.len() > 8 {
            return format!("{}…", words[..8].join(" "));
        }
        if !words.is_empty() {
            return words.join(" ");
        }
    }
    "Untitled".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inline;

    fn heading(id: &str, text: &str) -> Block {
        Block::Heading {
            level: 2,
            id: id.into(),
            content: vec![Inline::text(text)],
        }
    }

    fn link(url: &str) -> Inline {
        Inline::link(url, None, vec![Inline::text("x")])
    }

    fn doc(source: Option<&str>, blocks: Vec<Block>) -> Document {
        Document::new(
            Meta {
                title: Some("T".into()),
                source_url: source.map(str::to_string),
                ..Meta::default()
            },
            blocks,
        )
    }

    /// The URL of every link (or the text that took its place) in the first paragraph.
    fn links_of(document: &Document) -> Vec<String> {
        let paragraph = document
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Paragraph(inlines) => Some(inlines),
                _ => None,
            })
            .unwrap();
        paragraph
            .iter()
            .map(|inline| match inline {
                Inline::Link(link) => link.url.clone(),
                Inline::Text(text) => format!("text:{text}"),
                other => format!("{other:?}"),
            })
            .collect()
    }

    fn prepare(documents: &[Document]) -> Vec<Chapter> {
        let refs: Vec<&Document> = documents.iter().collect();
        let locations: Vec<Option<url::Url>> =
            refs.iter().map(|doc| links::location(doc, None)).collect();
        chapters(
            &refs,
            &locations,
            &|i| format!("chapter-{}.xhtml", i + 1),
            2,
        )
    }

    /// `#id` links follow the id they named to its new name (the first element with it); a
    /// fragment that names nothing loses its link; the writer's note ids stay link targets.
    #[test]
    fn internal_links_follow_renamed_ids() {
        let one = doc(
            None,
            vec![
                heading("1 intro", "Intro"),
                heading("1 intro", "Again"),
                Block::Paragraph(vec![
                    link("#1 intro"),
                    link("#1%20intro"),
                    link("#nowhere"),
                    link("#fn-1"),
                    link("#fn-2"),
                    link("javascript:alert(1)"),
                    Inline::Note(vec![Block::Paragraph(vec![Inline::text("n")])]),
                ]),
            ],
        );
        let prepared = prepare(&[one]);
        assert_eq!(
            links_of(&prepared[0].doc),
            [
                "#id-1-intro",
                "#id-1-intro",
                "text:x",
                "#fn-1",
                "text:x",
                // Left for the writer, which drops it with a warning.
                "javascript:alert(1)",
                "Note([Paragraph([Text(\"n\")])])",
            ]
        );
        let toc: Vec<&str> = prepared[0].toc.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(toc, ["id-1-intro", "id-1-intro-1"]);
    }

    /// A link to another chapter's source URL goes to that chapter's file (at the renamed id
    /// its fragment names, else at its top); relative links resolve against the chapter's own
    /// URL; other links are written absolute and normalised.
    #[test]
    fn links_between_chapters_point_inside_the_book() {
        let first = doc(
            Some("https://a.example/one"),
            vec![Block::Paragraph(vec![
                link("https://www.a.example/two/#2 part"),
                link("http://a.example/two"),
                link("two#nothing"),
                link("three"),
                link("https://elsewhere.example/x y"),
                link("https://a.example/one#top"),
            ])],
        );
        let second = doc(
            Some("https://a.example/two"),
            vec![heading("2 part", "Part"), heading("top", "Top")],
        );
        let prepared = prepare(&[first, second]);
        assert_eq!(prepared[1].file, "chapter-2.xhtml");
        assert_eq!(
            links_of(&prepared[0].doc),
            [
                "chapter-2.xhtml#id-2-part",
                "chapter-2.xhtml",
                "chapter-2.xhtml",
                "https://a.example/three",
                "https://elsewhere.example/x%20y",
                // Its own URL with a fragment that names nothing here: no link.
                "text:x",
            ]
        );
    }

    /// A chapter with neither a title nor a heading shows the title made from its words.
    #[test]
    fn untitled_chapters_show_a_title() {
        let untitled = Document::new(
            Meta::default(),
            vec![Block::Paragraph(vec![Inline::text("Some opening words")])],
        );
        let prepared = prepare(&[untitled]);
        assert_eq!(prepared[0].title, "Some opening words");
        assert_eq!(
            prepared[0].doc.meta.title.as_deref(),
            Some("Some opening words")
        );
    }
}
