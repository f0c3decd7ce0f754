//! Attributes taken from the model: ids (as prepared: see `crate::prepare`), a
//! container's classes, language, direction, title and `data-*` attributes; everything else
//! (event handlers, styles, URLs) is dropped.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::render::Renderer;
use crate::model::Attr;
use crate::xml::{clean_text, escape_attr, escape_attr_into};

impl<'a> Renderer<'a> {
    /// Writes ` id="…"` for an id from the model. Every document reaches the renderer
    /// prepared (`crate::prepare`: the HTML writer's entry, `render_article`, a book's
    /// chapters), so its ids are unique, valid XML names and never a note's: they are
    /// written as they are. Escaping stays, a cheap guard for the markup's sake.
    pub(super) fn id_attr(&mut self, id: &str) {
        if id.is_empty() {
            return;
        }
        self.out.push_str(" id=\"");
        escape_attr_into(id, &mut self.out);
        self.out.push('"');
    }

    /// A container's id and classes, its language and direction, a title and `data-*`
    /// attributes. Everything else (event handlers, styles, URLs) is dropped.
    pub(super) fn container_attrs(&mut self, attr: &'a Attr) {
        self.id_attr(&attr.id);
        let classes: Vec<String> = attr
            .classes
            .iter()
            .map(|c| clean_text(c))
            .filter(|c| !c.is_empty() && !c.chars().any(char::is_whitespace))
            .collect();
        if !classes.is_empty() {
            let _ = write!(self.out, " class=\"{}\"", escape_attr(&classes.join(" ")));
        }
        self.language_attrs(attr);
        let mut written: HashSet<&str> = HashSet::new();
        for (name, value) in &attr.attributes {
            let allowed = name == "title" || is_safe_data_attribute(name);
            if allowed && written.insert(name.as_str()) {
                let _ = write!(self.out, " {name}=\"{}\"", escape_attr(value));
            }
        }
    }

    /// ` lang`/`dir` from an attribute list (`xml:lang` too in XHTML mode).
    pub(super) fn language_attrs(&mut self, attr: &Attr) {
        let lookup = |key: &str| {
            attr.attributes
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(key))
                .map(|(_, value)| value.as_str())
        };
        if let Some(lang) = lookup("lang").and_then(clean_language_tag) {
            let _ = write!(self.out, " lang=\"{lang}\"");
            if self.xhtml {
                let _ = write!(self.out, " xml:lang=\"{lang}\"");
            }
        }
        if let Some(dir) = lookup("dir").map(|d| d.trim().to_ascii_lowercase()) {
            if matches!(dir.as_str(), "ltr" | "rtl" | "auto") {
                let _ = write!(self.out, " dir=\"{dir}\"");
            }
        }
    }
}

/// `data-*` names that are valid in both HTML and XML: lower-case letters, digits, `-`, `_`, `.`.
pub(super) fn is_safe_data_attribute(name: &str) -> bool {
    name.strip_prefix("data-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_'))
    })
}

/// The language tag if it has BCP 47's shape (a two- or three-letter language, then subtags
/// of letters and digits), with `_` read as `-`; `None` otherwise. Whether the subtags are
/// registered is not checked.
pub(super) fn clean_language_tag(tag: &str) -> Option<String> {
    let tag = tag.trim().replace('_', "-");
    let valid = !tag.is_empty()
        && tag.len() <= 35
        && tag.split('-').all(|part| {
            !part.is_empty() && part.len() <= 8 && part.bytes().all(|b| b.is_ascii_alphanumeric())
        })
        && tag.split('-').next().is_some_and(|primary| {
            (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic())
        });
    valid.then_some(tag)
}

/// A code language reduced to characters safe in a class name.
pub(super) fn clean_code_language(language: &str) -> String {
    language
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '#' | '.'))
        .collect()
}
