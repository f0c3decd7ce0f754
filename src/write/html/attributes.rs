//! Attributes taken from the model: ids (each written once, never a footnote's), a
//! container's classes, language, direction, title and `data-*` attributes; everything else
//! (event handlers, styles, URLs) is dropped.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::Write as _;

use super::render::Renderer;
use crate::model::Attr;
use crate::xml::{clean_text, escape_attr, is_xml_char};

impl<'a> Renderer<'a> {
    /// Writes ` id="…"` for an id from the model, unless it is unusable, already written, or
    /// could collide with the footnote ids this writer makes.
    pub(super) fn id_attr(&mut self, id: &'a str) {
        let id = if id.chars().all(|c| c != '\r' && is_xml_char(c)) {
            Cow::Borrowed(id)
        } else {
            Cow::Owned(clean_text(id))
        };
        if id.is_empty()
            || id.chars().any(char::is_whitespace)
            || is_footnote_id(&id)
            || !self.ids.insert(id.clone())
        {
            return;
        }
        let _ = write!(self.out, " id=\"{}\"", escape_attr(&id));
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

pub(super) fn is_footnote_id(id: &str) -> bool {
    let digits = id.strip_prefix("fnref-").or_else(|| id.strip_prefix("fn-"));
    digits.is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
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
