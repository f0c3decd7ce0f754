//! Small questions asked of an rcdom node: its tag, attributes, parent, children, the
//! elements below it in document order, and its text. All walks are iterative.

use super::text::contains_ignore_case;
use html5ever::{local_name, LocalName};
use markup5ever_rcdom::{Handle, NodeData};

/// The element's local name as a string, if the node is an element.
pub fn tag_name(node: &Handle) -> Option<&str> {
    match &node.data {
        NodeData::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

/// The element's local name, if the node is an element.
pub fn tag(node: &Handle) -> Option<&LocalName> {
    match &node.data {
        NodeData::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

/// Whether the node is an element with this local name.
pub fn is(node: &Handle, name: LocalName) -> bool {
    tag(node) == Some(&name)
}

/// An attribute's value.
pub fn attr(node: &Handle, name: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| a.name.prefix.is_none() && &*a.name.local == name)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

/// Whether the class attribute contains `needle` (case-insensitive substring).
pub fn class_contains(node: &Handle, needle: &str) -> bool {
    attr_matches(node, "class", |class| contains_ignore_case(class, needle))
}

/// Whether the element has the attribute and its value passes `test` (no copy of the value,
/// for checks run on every element of a page).
pub fn attr_matches(node: &Handle, name: &str, test: impl FnOnce(&str) -> bool) -> bool {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| a.name.prefix.is_none() && &*a.name.local == name)
            .is_some_and(|a| test(&a.value)),
        _ => false,
    }
}

/// A node's identity for sets and maps of nodes: equal for the same node, hashed by its
/// address. The key holds the node, so the address cannot be reused while the key exists: the
/// HTML reader frees converted subtrees as it goes and then makes new nodes (expanded table
/// cells), and a bare address kept in a set would name such a new node by accident.
#[derive(Clone)]
pub struct NodeKey(Handle);

impl PartialEq for NodeKey {
    fn eq(&self, other: &NodeKey) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for NodeKey {}

impl std::hash::Hash for NodeKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::rc::Rc::as_ptr(&self.0).hash(state);
    }
}

/// A map keyed by node. Its hasher is a fast one rather than SipHash: the keys are
/// addresses, which a page cannot choose, and hashing them was a percent of a conversion.
pub type NodeMap<V> = std::collections::HashMap<NodeKey, V, foldhash::fast::RandomState>;

/// A set of nodes (see [`NodeMap`]).
pub type NodeSet = std::collections::HashSet<NodeKey, foldhash::fast::RandomState>;

impl std::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeKey({:p})", std::rc::Rc::as_ptr(&self.0))
    }
}

/// The key of a node for sets and maps (see [`NodeKey`]).
pub fn key(node: &Handle) -> NodeKey {
    NodeKey(node.clone())
}

/// The node's children (cloned handles, so the DOM is not borrowed while they are used).
pub fn children(node: &Handle) -> Vec<Handle> {
    node.children.borrow().clone()
}

/// The node's parent element or document.
pub fn parent(node: &Handle) -> Option<Handle> {
    // RcDom keeps the parent in a `Cell`: take it out to look, then put it back.
    let weak = node.parent.take();
    let parent = weak.as_ref().and_then(|w| w.upgrade());
    node.parent.set(weak);
    parent
}

/// Every element below `root` in document order (iterative; `root` itself first).
pub fn descendants(root: &Handle) -> Vec<Handle> {
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(node) = stack.pop() {
        stack.extend(node.children.borrow().iter().rev().cloned());
        out.push(node);
    }
    out
}

/// The text of a subtree with `<br>` as a newline; scripts, styles and templates left out
/// (iterative). The one text walk of the crate: the converter and the extraction both read
/// text this way. (The parser already empties scripts and styles, except JSON-LD, whose
/// text is data, not prose; metadata reads it on its own.)
pub fn text_content(root: &Handle) -> String {
    text_content_where(root, |_| true)
}

/// [`text_content`] of the elements `keep` accepts: one it refuses is left out with all it
/// holds (the converter leaves out a code panel's buttons and hidden elements this way).
pub fn text_content_where(root: &Handle, keep: impl Fn(&Handle) -> bool) -> String {
    let mut out = String::new();
    let mut stack = vec![root.clone()];
    while let Some(node) = stack.pop() {
        match &node.data {
            NodeData::Text { contents } => out.push_str(&contents.borrow()),
            NodeData::Element { name, .. } => match name.local {
                local_name!("br") => out.push('\n'),
                local_name!("script") | local_name!("style") | local_name!("template") => {}
                _ if !keep(&node) => {}
                _ => stack.extend(node.children.borrow().iter().rev().cloned()),
            },
            NodeData::Document => stack.extend(node.children.borrow().iter().rev().cloned()),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use markup5ever_rcdom::Node;

    fn text_node(text: &str) -> Handle {
        Node::new(NodeData::Text {
            contents: std::cell::RefCell::new(text.into()),
        })
    }

    /// A key outlives the handle it was taken from without naming a node made later at the
    /// same address (the reader freed converted rows and then expanded other rows' cells into
    /// new nodes: a bare address set made the corpus readings differ from run to run).
    #[test]
    fn a_key_never_names_a_node_made_after_its_own_was_dropped() {
        let first = text_node("a");
        let first_key = key(&first);
        drop(first);
        let later: Vec<Handle> = (0..64).map(|_| text_node("b")).collect();
        assert!(later.iter().all(|node| key(node) != first_key));
        assert_eq!(key(&later[0]), key(&later[0].clone()));
        assert!(key(&later[0]) != key(&later[1]));
    }
}
