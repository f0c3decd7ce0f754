//! Plain table rows kept small while a page is parsed, and expanded again one at a time.
//!
//! markup5ever_rcdom spends two nodes of about 150 bytes on a cell of short text: a
//! `<td>r1c2</td>` of 16 bytes becomes 300 bytes of tree, and a 10,000 × 100 table of them
//! (16 MB of HTML) 300 MB. So when the parser closes a row whose cells hold nothing but short
//! text, the row's children are replaced by one text node holding the same text (so the text
//! of the row and of everything above it reads as before), and the cells' extents in it and
//! their attributes are kept on the side, about 12 bytes a cell ([`CompactRows`]).
//!
//! Nothing downstream may tell the difference:
//! - the extraction measures a compacted row from [`CompactRows::for_each_cell`];
//! - the converter calls [`CompactRows::expand`] before it converts a row, which puts back the
//!   very nodes the parser made (the cells and the whitespace between them), so the row is
//!   converted by the one code path every row takes, and then freed as any converted row is.
//!
//! That holds because only cells that no later step looks into are compacted: `td`/`th` of
//! text alone (no elements, no comments), shorter than a sentence (so the extraction judges
//! them as fragments, never as prose or repeats), with no attribute a reader reads apart
//! from spans and alignment (no `class`, `id` or `hidden`, which could make chrome, a link
//! target or a hidden cell of them).

use super::node::{key, NodeMap};
use super::text::{count_text, SENTENCE_CHARS};
use html5ever::tendril::StrTendril;
use html5ever::{local_name, ns, Attribute, QualName};
use markup5ever_rcdom::{Handle, Node, NodeData};
use std::cell::RefCell;
use std::rc::Rc;

/// The rows compacted while parsing, by the address of their `tr` node.
#[derive(Debug, Default)]
pub struct CompactRows {
    rows: NodeMap<CompactRow>,
}

/// One compacted row: where each cell's text is in the row's text node.
#[derive(Debug)]
struct CompactRow {
    cells: Box<[CellExtent]>,
    /// The attributes of the cells that have any, by cell index (most cells have none).
    attrs: Box<[(u32, Vec<Attribute>)]>,
}

#[derive(Debug, Clone, Copy)]
struct CellExtent {
    /// Byte range of the cell's text in the row's text; the bytes between two cells are
    /// the whitespace text node that stood between them.
    start: u32,
    end: u32,
    header: bool,
}

impl CompactRows {
    /// Compacts `tr` if it is a plain row (see the module docs); called when the parser
    /// closes it, so nothing is added to it afterwards.
    pub fn compact(&mut self, tr: &Handle) {
        if let Some(row) = compact_row(tr) {
            self.rows.insert(key(tr), row);
        }
    }

    /// How many rows are compacted.
    #[cfg(all(test, feature = "shared-tests"))]
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether `node` is a compacted row with at least one cell.
    pub fn has_cells(&self, node: &Handle) -> bool {
        !self.rows.is_empty()
            && self
                .rows
                .get(&key(node))
                .is_some_and(|row| !row.cells.is_empty())
    }

    /// Calls `each(is_th, text)` for every cell of a compacted row, in order; false (and no
    /// call) when `tr` is not one.
    pub fn for_each_cell(&self, tr: &Handle, mut each: impl FnMut(bool, &str)) -> bool {
        // Asked for every element the extraction measures: most pages compact nothing.
        if self.rows.is_empty() {
            return false;
        }
        let Some(row) = self.rows.get(&key(tr)) else {
            return false;
        };
        let text = row_text(tr);
        for cell in row.cells.iter() {
            each(cell.header, text.get(range(cell)).unwrap_or_default());
        }
        true
    }

    /// Puts back a compacted row's cells and whitespace as the parser made them, and forgets
    /// the row. Does nothing for other nodes.
    pub fn expand(&mut self, tr: &Handle) {
        if self.rows.is_empty() {
            return;
        }
        let Some(row) = self.rows.remove(&key(tr)) else {
            return;
        };
        let text = row_text(tr);
        let mut attrs = Vec::from(row.attrs).into_iter().peekable();
        let mut children = Vec::with_capacity(row.cells.len() * 2 + 1);
        let mut at = 0usize;
        for (index, cell) in row.cells.iter().enumerate() {
            let range = range(cell);
            push_text(&mut children, tr, text.get(at..range.start));
            let cell_attrs = match attrs.peek() {
                Some((i, _)) if *i as usize == index => attrs.next().map(|(_, a)| a),
                _ => None,
            };
            let name = if cell.header {
                local_name!("th")
            } else {
                local_name!("td")
            };
            let element = Node::new(NodeData::Element {
                name: QualName::new(None, ns!(html), name),
                attrs: RefCell::new(cell_attrs.unwrap_or_default()),
                template_contents: RefCell::new(None),
                mathml_annotation_xml_integration_point: false,
            });
            let mut inner = Vec::new();
            push_text(&mut inner, &element, text.get(range.clone()));
            *element.children.borrow_mut() = inner;
            element.parent.set(Some(Rc::downgrade(tr)));
            children.push(element);
            at = range.end;
        }
        push_text(&mut children, tr, text.get(at..));
        *tr.children.borrow_mut() = children;
    }
}

fn range(cell: &CellExtent) -> std::ops::Range<usize> {
    cell.start as usize..cell.end as usize
}

/// The text of a compacted row (its one text node; empty when all its text was empty).
fn row_text(tr: &Handle) -> StrTendril {
    match tr.children.borrow().first().map(|n| &n.data) {
        Some(NodeData::Text { contents }) => contents.borrow().clone(),
        _ => StrTendril::new(),
    }
}

/// Appends a text node under `parent` unless the text is empty (the parser never makes an
/// empty one).
fn push_text(children: &mut Vec<Handle>, parent: &Handle, text: Option<&str>) {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return;
    };
    let node = Node::new(NodeData::Text {
        contents: RefCell::new(StrTendril::from_slice(text)),
    });
    node.parent.set(Some(Rc::downgrade(parent)));
    children.push(node);
}

/// Replaces a plain row's children by one text node and says where its cells were; `None`
/// (and the row untouched) for any other row.
fn compact_row(tr: &Handle) -> Option<CompactRow> {
    let NodeData::Element { name, .. } = &tr.data else {
        return None;
    };
    if name.local != local_name!("tr") || name.ns != ns!(html) {
        return None;
    }
    let children = tr.children.borrow();
    if children.is_empty() {
        return None;
    }
    let mut text = String::new();
    let mut cells = Vec::new();
    let mut attrs = Vec::new();
    for child in children.iter() {
        match &child.data {
            NodeData::Text { contents } => {
                let contents = contents.borrow();
                if !contents.chars().all(char::is_whitespace) {
                    return None;
                }
                text.push_str(&contents);
            }
            NodeData::Element {
                name,
                attrs: cell_attrs,
                ..
            } => {
                let header = match name.local {
                    local_name!("td") => false,
                    local_name!("th") => true,
                    _ => return None,
                };
                let cell_attrs = cell_attrs.borrow();
                if name.ns != ns!(html) || !cell_attrs.iter().all(is_plain_cell_attribute) {
                    return None;
                }
                let start = text.len();
                match child.children.borrow().as_slice() {
                    [] => {}
                    [only] => match &only.data {
                        NodeData::Text { contents } => {
                            let contents = contents.borrow();
                            // From this length the extraction may judge a cell's text as a
                            // sentence of prose, which it measures in its own way.
                            if count_text(&contents).0 >= SENTENCE_CHARS {
                                return None;
                            }
                            text.push_str(&contents);
                        }
                        _ => return None,
                    },
                    _ => return None,
                }
                if !cell_attrs.is_empty() {
                    attrs.push((u32::try_from(cells.len()).ok()?, cell_attrs.clone()));
                }
                cells.push(CellExtent {
                    start: u32::try_from(start).ok()?,
                    end: u32::try_from(text.len()).ok()?,
                    header,
                });
            }
            _ => return None,
        }
    }
    drop(children);
    let mut row_children = Vec::new();
    push_text(&mut row_children, tr, Some(&text));
    *tr.children.borrow_mut() = row_children;
    Some(CompactRow {
        cells: cells.into_boxed_slice(),
        attrs: attrs.into_boxed_slice(),
    })
}

/// Attributes no step of the reader looks at on a cell, or that the converter reads as
/// they are put back: spans and alignment. A `style` only when it cannot hide the cell.
fn is_plain_cell_attribute(attribute: &Attribute) -> bool {
    if attribute.name.prefix.is_some() {
        return false;
    }
    match &*attribute.name.local {
        "colspan" | "rowspan" | "align" | "valign" | "width" | "height" | "nowrap" | "bgcolor"
        | "scope" | "headers" | "abbr" | "axis" | "char" | "charoff" => true,
        "style" => {
            let style = attribute.value.to_ascii_lowercase();
            !style.contains("display") && !style.contains("visibility")
        }
        _ => false,
    }
}
