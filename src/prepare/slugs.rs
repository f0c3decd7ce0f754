//! The anchors a Markdown renderer gives a prepared document's headings, so that a Markdown
//! link to a heading can point where it will be: Markdown has no ids of its own, and GitHub
//! (like most renderers that follow it) names each heading by a slug of its text.
//!
//! GitHub's rule (github-slugger): lower-case the heading's text, drop every character that
//! is not a letter, a number, `_`, `-` or a space, turn spaces into `-`; a slug already given
//! gets `-1`, `-2`, … appended. Here Unicode's alphanumeric property stands for GitHub's
//! letter and number categories. Headings are counted in the order the Markdown has them:
//! the title when it is written as a heading, the body's, then those inside notes.

use std::collections::HashMap;

use crate::model::{Block, Inline};

/// Model heading id → the anchor (without `#`) its Markdown heading gets.
pub(crate) type Anchors<'a> = HashMap<&'a str, String>;

/// The anchors of the headings in `body` and then in `notes` (the notes the Markdown writes,
/// in its order), after the title heading when one is written (`title`). Headings inside
/// tables are left out: a table holding one is written as HTML, where no slug is made. A
/// heading whose slug would be empty has no anchor.
pub(crate) fn gfm_anchors<'a>(
    title: Option<&str>,
    body: &'a [Block],
    notes: &[&'a [Block]],
) -> Anchors<'a> {
    let mut slugger = Slugger::after_title(title);
    let mut anchors = Anchors::new();
    for blocks in std::iter::once(body).chain(notes.iter().copied()) {
        headings(blocks, &mut |id, content| {
            if let Some(anchor) = slugger.anchor(content) {
                if !id.is_empty() {
                    anchors.insert(id, anchor);
                }
            }
        });
    }
    anchors
}

/// Gives the headings of a document read from Markdown the ids GitHub gives them (see
/// [`gfm_anchors`], whose count this follows: after `title_heading`, the text of a title
/// written as a heading, then in document order; notes and tables are left out). A heading
/// that has an id keeps it, and one whose slug is empty is left for the model's own ids.
pub(crate) fn assign_gfm_ids(title_heading: Option<&str>, blocks: &mut [Block]) {
    let mut slugger = Slugger::after_title(title_heading);
    headings_mut(blocks, &mut |id, content| {
        if let Some(anchor) = slugger.anchor(content) {
            if id.is_empty() {
                *id = anchor.into_boxed_str();
            }
        }
    });
}

/// [`headings`], able to change each heading's id.
fn headings_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Box<str>, &[Inline])) {
    for block in blocks {
        match block {
            Block::Heading { id, content, .. } => f(id, content),
            Block::Quote(inner) | Block::Container { blocks: inner, .. } => headings_mut(inner, f),
            Block::List(list) => {
                for item in &mut list.items {
                    headings_mut(item, f);
                }
            }
            Block::Paragraph(_)
            | Block::Code { .. }
            | Block::Table(_)
            | Block::Figure(_)
            | Block::Rule => {}
        }
    }
}

/// Calls `f` on every heading of `blocks` outside tables and notes, in document order.
fn headings<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a str, &'a [Inline])) {
    for block in blocks {
        match block {
            Block::Heading { id, content, .. } => f(id, content),
            Block::Quote(inner) | Block::Container { blocks: inner, .. } => headings(inner, f),
            Block::List(list) => {
                for item in &list.items {
                    headings(item, f);
                }
            }
            Block::Paragraph(_)
            | Block::Code { .. }
            | Block::Table(_)
            | Block::Figure(_)
            | Block::Rule => {}
        }
    }
}

/// A heading's text as a rendered Markdown heading shows it: text, code and link text; no
/// image descriptions, note numbers or line breaks; a newline reads as a space.
fn push_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(text) | Inline::Code(text) => {
                out.extend(
                    text.chars()
                        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c }),
                )
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => push_text(c, out),
            Inline::Link(link) => push_text(&link.content, out),
            Inline::Math(math) => out.push_str(&math.linear()),
            Inline::Image(_) | Inline::Note(_) | Inline::LineBreak => {}
        }
    }
}

/// GitHub's slug of a heading's text (before duplicates are told apart).
#[cfg(test)]
fn slug(text: &str) -> String {
    let mut slug = String::new();
    slug_into(text, &mut slug);
    slug
}

/// [`slug`] into `slug`, cleared first.
fn slug_into(text: &str, slug: &mut String) {
    slug.clear();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c == ' ' {
            slug.push('-');
        } else if c.is_alphanumeric() || c == '_' || c == '-' {
            slug.push(c);
        }
    }
}

/// The slugs given so far, and how many times each base was taken.
#[derive(Default)]
struct Slugger {
    occurrences: HashMap<String, usize>,
    /// One heading's text and slug, the buffers reused.
    text: String,
    slug: String,
}

impl Slugger {
    /// A slugger that has given the title's slug, when the title is written as a heading.
    fn after_title(title: Option<&str>) -> Slugger {
        let mut slugger = Slugger::default();
        if let Some(title) = title {
            slug_into(title, &mut slugger.slug);
            if !slugger.slug.is_empty() {
                let base = std::mem::take(&mut slugger.slug);
                slugger.claim(&base);
            }
        }
        slugger
    }

    /// The anchor of the next heading, of `content`; `None` when its slug is empty.
    fn anchor(&mut self, content: &[Inline]) -> Option<String> {
        self.text.clear();
        push_text(content, &mut self.text);
        slug_into(&self.text, &mut self.slug);
        if self.slug.is_empty() {
            return None;
        }
        let base = std::mem::take(&mut self.slug);
        let anchor = self.claim(&base);
        self.slug = base;
        Some(anchor)
    }

    /// The anchor for a heading of slug `base`: `base`, or `base-N` for the first N not
    /// given yet.
    fn claim(&mut self, base: &str) -> String {
        let mut anchor = base.to_string();
        while self.occurrences.contains_key(&anchor) {
            let count = self.occurrences.entry(base.to_string()).or_insert(0);
            *count += 1;
            anchor = format!("{base}-{count}");
        }
        self.occurrences.insert(anchor.clone(), 0);
        anchor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(id: &str, content: Vec<Inline>) -> Block {
        Block::Heading {
            level: 2,
            id: id.into(),
            content,
        }
    }

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slug("Hello, World!"), "hello-world");
        assert_eq!(slug("1.2 Scope / aims"), "12-scope--aims");
        assert_eq!(slug("snake_case & kebab-case"), "snake_case--kebab-case");
        assert_eq!(slug("Что делать?"), "что-делать");
        assert_eq!(slug("!!!"), "");
    }

    /// Duplicates take `-1`, `-2` in Markdown order (title, body, notes); a slug that a
    /// suffix made is taken too; headings without text get no anchor and take no slug.
    #[test]
    fn anchors_are_unique_in_markdown_order() {
        let text = |t: &str| vec![Inline::text(t)];
        let body = vec![
            heading("a", text("Intro")),
            Block::Quote(vec![heading("b", text("Intro"))]),
            heading("c", text("Intro-1")),
            heading(
                "d",
                vec![Inline::Emphasis(text("Intro")), Inline::Code("x".into())],
            ),
            heading("e", text("?")),
            heading("", text("Untitled")),
            heading("f", vec![Inline::link("#a", None, text("Untitled"))]),
        ];
        let note = vec![heading("g", text("Intro"))];
        let anchors = gfm_anchors(Some("Intro"), &body, &[note.as_slice()]);
        let get = |id: &str| anchors.get(id).map(String::as_str);
        assert_eq!(get("a"), Some("intro-1"));
        assert_eq!(get("b"), Some("intro-2"));
        assert_eq!(get("c"), Some("intro-1-1"));
        assert_eq!(get("d"), Some("introx"));
        assert_eq!(get("e"), None);
        assert_eq!(get("f"), Some("untitled-1"));
        assert_eq!(get("g"), Some("intro-3"));
    }
}
