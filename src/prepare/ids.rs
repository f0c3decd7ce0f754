//! Ids a writer can write as they are: valid XML names (EPUB content is XML), each used once,
//! none shaped like the note ids writers make (`fn-N`, `fnref-N`) or the KEPUB's sentence
//! spans (`kobo.P.S`).
//!
//! [`make_unique`] renames the ids on the model (headings' and containers', the ids writers
//! write) and returns the map from each old id to its new one, so links can follow.

use std::collections::{HashMap, HashSet};

use crate::model::{Block, Document, Inline};

/// A model id → the id it was given (the first element with that id wins the link target).
pub(crate) type IdMap = HashMap<String, String>;

/// The ids given so far in one document.
#[derive(Debug, Default)]
pub(crate) struct IdRegistry {
    used: HashSet<String>,
    /// The next suffix to try for each base, so a thousand repeats of one id stay linear.
    next_suffix: HashMap<String, usize>,
}

impl IdRegistry {
    /// An id for `wanted`: made a valid XML name and unique (`-1`, `-2`, … appended). A name
    /// shaped like a note id (`fn-1`) or a KEPUB span's (`kobo.1.1`) gets a suffix too, so it
    /// cannot collide with one.
    pub(crate) fn claim(&mut self, wanted: &str) -> String {
        // Most ids are good as they are: one copy, not two.
        let base = if is_xml_name(wanted) {
            wanted.to_string()
        } else {
            xml_name(wanted)
        };
        if !is_note_id(&base) && !is_kobo_span_id(&base) && self.used.insert(base.clone()) {
            return base;
        }
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(1);
        let mut candidate = format!("{base}-{n}");
        while !self.used.insert(candidate.clone()) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        self.next_suffix.insert(base, n + 1);
        candidate
    }
}

/// Whether `id` is shaped like the ids writers give notes and their references.
pub(crate) fn is_note_id(id: &str) -> bool {
    let digits = id.strip_prefix("fnref-").or_else(|| id.strip_prefix("fn-"));
    digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `id` is shaped like the ids the KEPUB writer gives its sentence spans
/// (`kobo.1.2`), which the same page must not carry twice.
pub(crate) fn is_kobo_span_id(id: &str) -> bool {
    let numbers = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    id.strip_prefix("kobo.")
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(p, s)| numbers(p) && numbers(s))
}

/// Gives every heading and container id of `document` a valid, unique XML name, on the
/// model, and returns the map from old ids to new. The body's ids are claimed first, then
/// those inside notes (which writers put after the body). Empty ids stay empty.
pub(crate) fn make_unique(document: &mut Document) -> IdMap {
    let mut registry = IdRegistry::default();
    let mut map = IdMap::new();
    let mut claim = |id: &mut String| {
        if id.is_empty() {
            return;
        }
        let new = registry.claim(id);
        let old = std::mem::replace(id, new);
        map.entry(old).or_insert_with(|| id.clone());
    };
    crate::model::for_each_block_mut(&mut document.blocks, &mut |block| {
        claim_block(block, &mut claim)
    });
    for_each_note_mut(&mut document.blocks, &mut |note| {
        crate::model::for_each_block_mut(note, &mut |block| claim_block(block, &mut claim))
    });
    map
}

fn claim_block(block: &mut Block, claim: &mut dyn FnMut(&mut String)) {
    match block {
        Block::Heading { id, .. } if !id.is_empty() => {
            let mut owned = String::from(std::mem::take(id));
            claim(&mut owned);
            *id = owned.into_boxed_str();
        }
        Block::Container { attr, .. } => claim(&mut attr.id),
        _ => {}
    }
}

/// Calls `f` on the blocks of every note in `blocks`, notes inside notes included (each
/// after the note holding it).
fn for_each_note_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut [Block])) {
    crate::model::for_each_block_mut(blocks, &mut |block| match block {
        Block::Paragraph(inlines)
        | Block::Heading {
            content: inlines, ..
        } => inline_notes_mut(inlines, f),
        Block::Figure(figure) => inline_notes_mut(&mut figure.caption, f),
        Block::Table(table) => inline_notes_mut(&mut table.caption, f),
        Block::Quote(_)
        | Block::List(_)
        | Block::Code { .. }
        | Block::Rule
        | Block::Container { .. } => {}
    });
}

fn inline_notes_mut(inlines: &mut [Inline], f: &mut dyn FnMut(&mut [Block])) {
    for inline in inlines {
        match inline {
            Inline::Note(blocks) => {
                f(blocks);
                for_each_note_mut(blocks, f);
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => inline_notes_mut(c, f),
            Inline::Link(link) => inline_notes_mut(&mut link.content, f),
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Image(_)
            | Inline::Math(_)
            | Inline::LineBreak => {}
        }
    }
}

/// A valid XML name (NCName) for an id: characters outside the name set become `-`, and a
/// name that would start with a digit, `-` or `.` gets an `id-` prefix.
pub(crate) fn xml_name(wanted: &str) -> String {
    let mut name = String::with_capacity(wanted.len());
    for c in wanted.chars() {
        if is_name_char(c) {
            name.push(c);
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_matches('-');
    match name.chars().next() {
        None => "section".to_string(),
        Some(first) if first.is_ascii_digit() || first == '.' || !is_name_char(first) => {
            format!("id-{name}")
        }
        Some(first) if is_name_start_char(first) => name.to_string(),
        Some(_) => format!("id-{name}"),
    }
}

/// Whether `id` is already what [`xml_name`] makes of it (the cheap check that spares a
/// document with good ids the copy renaming would need).
pub(crate) fn is_xml_name(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(is_name_start_char) && !id.ends_with('-') && chars.all(is_name_char)
}

fn is_name_start_char(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || (c >= '\u{C0}' && is_name_char(c) && c.is_alphabetic())
}

/// Characters that are safe in an XML name everywhere but the start: ASCII letters, digits,
/// `-`, `_`, `.`, and letters and digits of other scripts from the XML name ranges.
fn is_name_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    }
    c >= '\u{C0}'
        && c != '\u{D7}'
        && c != '\u{F7}'
        && !('\u{2000}'..='\u{206F}').contains(&c)
        && !('\u{E000}'..='\u{F8FF}').contains(&c)
        && c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attr, Meta};

    #[test]
    fn ids_are_valid_xml_names_and_unique() {
        let mut ids = IdRegistry::default();
        assert_eq!(ids.claim("1-intro"), "id-1-intro");
        assert_eq!(ids.claim("intro"), "intro");
        assert_eq!(ids.claim("intro"), "intro-1");
        assert_eq!(ids.claim("a b:c"), "a-b-c");
        assert_eq!(ids.claim(""), "section");
        assert_eq!(ids.claim("что"), "что");
        assert_eq!(ids.claim("-x"), "x");
        assert_eq!(ids.claim("·y"), "y");
        assert_eq!(ids.claim("٣x"), "id-٣x");
        assert_eq!(ids.claim("fn-1"), "fn-1-1");
        assert_eq!(ids.claim("fnref 2"), "fnref-2-1");
        assert_eq!(ids.claim("kobo.1.12"), "kobo.1.12-1");
        assert_eq!(ids.claim("kobo.intro"), "kobo.intro");
        let many: HashSet<String> = (0..2000).map(|_| ids.claim("dup")).collect();
        assert_eq!(many.len(), 2000);
    }

    /// The cheap check agrees with the renaming: an id passes exactly when renaming would
    /// leave it as it is.
    #[test]
    fn the_check_agrees_with_the_renaming() {
        let cases = [
            "intro",
            "Intro_2",
            "a.b",
            "a-b",
            "a--b",
            "a-",
            "-a",
            "1a",
            ".a",
            "_a",
            "a b",
            "a:b",
            "что",
            "٣x",
            "·y",
            "x·y",
            "",
            "section",
            "é",
            "a\u{2010}b",
            "a\u{E000}",
            "x\u{D7}",
            "\u{C0}",
            "id-1",
        ];
        for case in cases {
            assert_eq!(is_xml_name(case), xml_name(case) == case, "{case:?}");
        }
    }

    fn heading(id: &str) -> Block {
        Block::Heading {
            level: 2,
            id: id.into(),
            content: vec![Inline::text("h")],
        }
    }

    fn heading_ids(blocks: &[Block]) -> Vec<String> {
        let mut ids = Vec::new();
        crate::model::for_each_block_mut(&mut blocks.to_vec(), &mut |block| match block {
            Block::Heading { id, .. } => ids.push(id.to_string()),
            Block::Container { attr, .. } => ids.push(attr.id.clone()),
            _ => {}
        });
        ids
    }

    /// Duplicate and invalid ids are renamed on the model; the map sends each old id to the
    /// element that had it first; the body's ids win over those inside notes.
    #[test]
    fn duplicate_and_invalid_ids_are_made_unique_on_the_model() {
        let mut document = Document::new(
            Meta::default(),
            vec![
                Block::Paragraph(vec![Inline::Note(vec![heading("intro")])]),
                heading("intro"),
                heading("2024 plans"),
                Block::Container {
                    attr: Box::new(Attr {
                        id: "intro".into(),
                        ..Attr::default()
                    }),
                    blocks: vec![heading("")],
                },
            ],
        );
        let map = make_unique(&mut document);
        assert_eq!(
            heading_ids(&document.blocks),
            ["intro", "id-2024-plans", "intro-1", ""]
        );
        let Block::Paragraph(inlines) = &document.blocks[0] else {
            unreachable!()
        };
        let Inline::Note(note) = &inlines[0] else {
            unreachable!()
        };
        assert_eq!(heading_ids(note), ["intro-2"]);
        assert_eq!(map.get("intro").map(String::as_str), Some("intro"));
        assert_eq!(
            map.get("2024 plans").map(String::as_str),
            Some("id-2024-plans")
        );
        assert_eq!(map.len(), 2);
    }
}
