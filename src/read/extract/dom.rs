//! The few DOM questions extraction asks of an rcdom tree: tag names, visible text, and which
//! elements never show (scripts, hidden elements). Attributes and document order come from
//! the HTML reader's [`crate::read::html::dom`]. All walks here are iterative.

use html5ever::local_name;
use markup5ever_rcdom::{Handle, NodeData};

/// The element's local name, if the node is an element.
pub fn tag(node: &Handle) -> Option<&str> {
    match &node.data {
        NodeData::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

use super::hints::contains_ignore_case;
pub use crate::read::html::dom::{attr, descendants};

/// The text of a subtree with `<br>` as a newline; scripts and styles left out (iterative).
pub fn text_content(root: &Handle) -> String {
    let mut out = String::new();
    let mut stack = vec![root.clone()];
    while let Some(node) = stack.pop() {
        match &node.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            NodeData::Element { name, .. } => match name.local {
                local_name!("br") => out.push('\n'),
                local_name!("script") | local_name!("style") | local_name!("template") => {}
                _ => stack.extend(node.children.borrow().iter().rev().cloned()),
            },
            NodeData::Document => stack.extend(node.children.borrow().iter().rev().cloned()),
            _ => {}
        }
    }
    out
}

/// Elements whose content never shows as text.
pub fn is_invisible_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "svg"
            | "canvas"
            | "iframe"
            | "object"
            | "embed"
            | "select"
            | "option"
            | "textarea"
            | "button"
            | "input"
            | "audio"
            | "video"
            | "map"
            | "dialog"
    )
}

/// `hidden`, `aria-hidden="true"`, or an inline style that hides the element. (Pages hide
/// mobile menus and templates this way; `aria-hidden` alone also marks decorative copies.)
pub fn is_hidden(node: &Handle) -> bool {
    let NodeData::Element { attrs, .. } = &node.data else {
        return false;
    };
    for a in attrs.borrow().iter() {
        match &*a.name.local {
            "hidden" => return true,
            "aria-hidden" if a.value.trim().eq_ignore_ascii_case("true") => return true,
            // Only a style that names one of the properties needs a closer look.
            "style"
                if contains_ignore_case(&a.value, "display")
                    || contains_ignore_case(&a.value, "visibility") =>
            {
                let style: String = a
                    .value
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .flat_map(char::to_lowercase)
                    .collect();
                if style.contains("display:none") || style.contains("visibility:hidden") {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// Elements that flow inside a line of text: their text belongs to the enclosing block.
pub fn is_inline_tag(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strike"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "tt"
            | "u"
            | "var"
            | "wbr"
            | "br"
            | "img"
            | "picture"
            | "label"
            | "del"
            | "ins"
    )
}

/// Headings: short text that is structure, not noise.
pub fn is_heading_tag(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}
