//! Element categories: which elements never show, which flow inside a line, which are
//! headings. The converter and the extraction sort elements by the same lists.

use super::text::contains_ignore_case;
use markup5ever_rcdom::{Handle, NodeData};

/// Elements whose content never shows as the document's text: never shown on the page, or
/// a ruby's readings (`<rt>`, `<rtc>`, and the `<rp>` parentheses for browsers without
/// ruby), which the reader leaves out so that they do not split the words they annotate.
/// Measured, they would be text the document does not hold.
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
            | "rt"
            | "rtc"
            | "rp"
    )
}

/// `hidden`, `aria-hidden="true"`, AMP's `layout="nodisplay"`, or an inline style that hides
/// the element. (Pages hide
/// mobile menus and templates this way; `aria-hidden` alone also marks decorative copies.)
pub fn is_hidden(node: &Handle) -> bool {
    let NodeData::Element { attrs, .. } = &node.data else {
        return false;
    };
    for a in attrs.borrow().iter() {
        match &*a.name.local {
            "hidden" => return true,
            "aria-hidden" if a.value.trim().eq_ignore_ascii_case("true") => return true,
            // AMP's layout for what shows only when an action opens it (a lightbox, a
            // rating or login prompt).
            "layout" if a.value.trim().eq_ignore_ascii_case("nodisplay") => return true,
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

/// Elements that flow inside a line of text: their text belongs to the enclosing block. A
/// ruby is a word of its line (its bases in `<rb>`, its readings in `<rt>` and `<rtc>`):
/// measured as a block of its own it would be a short fragment, and the span around it
/// (`<span class=name><ruby>…</ruby></span>`) nothing but noise.
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
            | "ruby"
            | "rb"
            | "rt"
            | "rtc"
            | "rp"
    )
}

/// Headings: short text that is structure, not noise.
pub fn is_heading_tag(name: &str) -> bool {
    matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// A link to an anchor on the page whose text is a mark ("#", "¶", "§", "🔗") or nothing (an
/// icon): the permalink a documentation page sets beside a heading, an API entry or a
/// caption, which belongs to the page's controls, not to the text it follows. (A footnote
/// reference can look the same: the converter tells them apart by their targets.)
pub fn is_mark_link(node: &Handle) -> bool {
    let NodeData::Element { name, .. } = &node.data else {
        return false;
    };
    name.local == *"a"
        && super::node::attr(node, "href").is_some_and(|href| {
            href.trim()
                .strip_prefix('#')
                .is_some_and(|id| !id.is_empty())
        })
        && !super::node::text_content_where(node, |n| {
            !super::node::tag_name(n).is_some_and(is_invisible_tag) && !is_hidden(n)
        })
        .chars()
        .any(char::is_alphanumeric)
}

/// Whether a node shows: not blank text, a comment, a script, a hidden element or an empty
/// anchor (`<span id=label></span>`, which documentation sets before a section's heading).
pub fn is_significant(node: &Handle) -> bool {
    match &node.data {
        NodeData::Text { contents } => !contents.borrow().trim().is_empty(),
        NodeData::Element { name, .. } => {
            let local: &str = &name.local;
            let empty_anchor = matches!(local, "span" | "a") && node.children.borrow().is_empty();
            !matches!(
                local,
                "script" | "style" | "noscript" | "template" | "link" | "meta"
            ) && !is_hidden(node)
                && !empty_anchor
        }
        _ => false,
    }
}

/// The first child of `node` that shows (see [`is_significant`]).
pub fn first_significant_child(node: &Handle) -> Option<Handle> {
    node.children
        .borrow()
        .iter()
        .find(|c| is_significant(c))
        .cloned()
}

/// The last child of `node` that shows (see [`is_significant`]).
pub fn last_significant_child(node: &Handle) -> Option<Handle> {
    node.children
        .borrow()
        .iter()
        .rev()
        .find(|c| is_significant(c))
        .cloned()
}

/// The next sibling of `node` that shows (see [`is_significant`]).
pub fn next_significant_sibling(node: &Handle) -> Option<Handle> {
    let parent = super::node::parent(node)?;
    let siblings = parent.children.borrow();
    let at = siblings.iter().position(|s| std::rc::Rc::ptr_eq(s, node))?;
    siblings[at + 1..]
        .iter()
        .find(|s| is_significant(s))
        .cloned()
}

/// The sibling before `node` that shows (see [`is_significant`]).
pub fn previous_significant_sibling(node: &Handle) -> Option<Handle> {
    let parent = super::node::parent(node)?;
    let siblings = parent.children.borrow();
    let at = siblings.iter().position(|s| std::rc::Rc::ptr_eq(s, node))?;
    siblings[..at]
        .iter()
        .rev()
        .find(|s| is_significant(s))
        .cloned()
}
