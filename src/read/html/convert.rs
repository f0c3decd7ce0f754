//! DOM → model: blocks, inlines, tables, figures, footnotes.
//!
//! Two mutually recursive walks, one for block context (where a run of inline content becomes
//! a paragraph) and one for inline context. Recursion is bounded twice: by the DOM depth
//! ([`DOM_RECURSION_LIMIT`], past which a subtree is reduced to its text, gathered
//! iteratively) and by the model depth ([`MAX_DEPTH`], past which wrappers such as quotes,
//! lists and emphasis are dropped and their content kept in place).

use super::meta::clean;
use super::urls::{
    best_candidate, is_placeholder, is_unsafe_link, single_candidate, srcset_candidates, Candidate,
    Resolver,
};
use crate::dom::raw_text::{LAZY_SRCSET_ATTRIBUTES, LAZY_SRC_ATTRIBUTES};
use crate::dom::{
    attr, attr_matches, children, class_contains, contains_ignore_case, descendants, is,
    is_heading_tag, is_hidden, is_mark_link, key, parent, tag, text_content, text_content_where,
    CompactRows, NodeMap, NodeSet,
};
use crate::model::{
    classes, collapse_whitespace, inlines_to_plain, normalize_inlines, Alignment, Attr, Block,
    Cell, Figure, Image, Inline, List, Row, Table, MAX_DEPTH,
};
use html5ever::{local_name, LocalName};
use markup5ever_rcdom::{Handle, NodeData};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// How deep the walks follow the DOM before reducing a subtree to its text. Real pages nest
/// 30–60 elements; the parser caps nesting near 500.
const DOM_RECURSION_LIMIT: usize = 160;

/// Columns beyond this many get no alignment (colspans can claim millions of columns).
const MAX_ALIGNED_COLUMNS: usize = 4096;

/// Where a walk is: model levels used by the ancestors, DOM levels descended.
#[derive(Debug, Clone, Copy, Default)]
pub struct Depth {
    model: usize,
    dom: usize,
}

impl Depth {
    fn deeper_dom(self) -> Depth {
        Depth {
            dom: self.dom + 1,
            ..self
        }
    }

    fn nested(self) -> Depth {
        Depth {
            model: self.model + 1,
            dom: self.dom + 1,
        }
    }

    /// Whether a block wrapper fits: it, a paragraph inside it, and text.
    fn block_wrapper_fits(self) -> bool {
        self.model + 3 <= MAX_DEPTH
    }

    /// Whether an inline wrapper fits: it and text inside it.
    fn inline_wrapper_fits(self) -> bool {
        self.model + 2 <= MAX_DEPTH
    }
}

/// The DOM → model conversion of one page.
pub struct Converter<'a> {
    resolver: &'a Resolver,
    /// Footnote bodies by id.
    notes: HashMap<String, Handle>,
    /// Footnote containers and the ids of the notes they hold.
    note_containers: NodeMap<Vec<String>>,
    /// Notes referenced from outside the notes' lists: placed at the reference, their bodies
    /// leave the flow (decided before converting, so a list before its references goes too).
    used_notes: HashSet<String>,
    /// Notes being converted, so a note that refers to itself cannot loop.
    notes_in_progress: HashSet<String>,
    /// Nodes never released (see [`Converter::release`]): those inside a footnote body, which
    /// is converted at each reference, and those holding one.
    keep: NodeSet,
    /// Ids some `href="#id"` points at.
    link_targets: HashSet<String>,
    /// Elements that hold block-level elements somewhere inside.
    holds_blocks: NodeSet,
    /// Elements left out on purpose (the title header).
    skipped: NodeSet,
    /// Table rows the parser compacted, put back as each is converted.
    compact: CompactRows,
}

impl<'a> Converter<'a> {
    /// Prepares the conversion: one pass over every node of the document (`nodes`, in document
    /// order) to find footnotes, link targets and which elements hold blocks. `compact` holds
    /// the table rows compacted in the document.
    pub fn new(nodes: &[Handle], resolver: &'a Resolver, compact: CompactRows) -> Converter<'a> {
        let mut converter = Converter {
            resolver,
            notes: HashMap::new(),
            note_containers: NodeMap::default(),
            used_notes: HashSet::new(),
            notes_in_progress: HashSet::new(),
            keep: NodeSet::default(),
            link_targets: HashSet::new(),
            holds_blocks: NodeSet::default(),
            skipped: NodeSet::default(),
            compact,
        };
        // Children follow their parent in document order, so the reverse order sees every
        // child before its parent.
        for node in nodes.iter().rev() {
            // Text, comments and doctypes hold nothing (and are most of a page's nodes).
            if !matches!(node.data, NodeData::Element { .. } | NodeData::Document) {
                continue;
            }
            // A compacted row holds its cells, which are blocks, once put back. Only
            // elements are in the set: other children need no lookup.
            let holds = converter.compact.has_cells(node)
                || node.children.borrow().iter().any(|child| {
                    tag(child).is_some_and(|name| {
                        is_block_tag(name) || converter.holds_blocks.contains(&key(child))
                    })
                });
            if holds {
                converter.holds_blocks.insert(key(node));
            }
        }
        for node in nodes {
            if tag(node) == Some(&local_name!("a")) {
                if let Some(target) = attr(node, "href").and_then(|h| fragment_of(&h)) {
                    converter.link_targets.insert(target);
                }
            }
            if is_note_container(node) {
                let mut ids = Vec::new();
                for inner in descendants(node).iter().skip(1) {
                    if matches!(
                        tag(inner),
                        Some(
                            &local_name!("li")
                                | &local_name!("div")
                                | &local_name!("aside")
                                | &local_name!("p")
                                | &local_name!("section")
                        )
                    ) {
                        if let Some(id) = attr(inner, "id").filter(|id| !id.is_empty()) {
                            converter.notes.entry(id.clone()).or_insert(inner.clone());
                            ids.push(id);
                        }
                    }
                }
                converter.note_containers.insert(key(node), ids);
            } else if is_standalone_note(node) {
                if let Some(id) = attr(node, "id").filter(|id| !id.is_empty()) {
                    converter.notes.entry(id).or_insert(node.clone());
                }
            }
        }
        // A `NodeKey` hashes by the node's address, which the node's inner cells never change.
        #[allow(clippy::mutable_key_type)]
        let mut in_notes = NodeSet::default();
        for note in converter.notes.values() {
            in_notes.extend(descendants(note).iter().map(key));
        }
        for node in nodes {
            if !is(node, local_name!("a")) || in_notes.contains(&key(node)) {
                continue;
            }
            if let Some(id) = attr(node, "href").and_then(|h| fragment_of(&h)) {
                if converter.notes.contains_key(&id) && is_note_reference(node) {
                    converter.used_notes.insert(id);
                }
            }
        }
        // Dropping a node empties the child lists of everything below it, even of nodes held
        // elsewhere (markup5ever_rcdom drops iteratively): the notes' ancestors stay too.
        for note in converter.notes.values() {
            let mut ancestor = parent(note);
            while let Some(node) = ancestor {
                if !in_notes.insert(key(&node)) {
                    break;
                }
                ancestor = parent(&node);
            }
        }
        converter.keep = in_notes;
        converter
    }

    /// A subtree too deep to walk, as its text with block boundaries kept as spaces (iterative).
    fn flattened_text(&mut self, root: &Handle) -> String {
        let mut out = String::new();
        let mut stack = vec![root.clone()];
        while let Some(node) = stack.pop() {
            match &node.data {
                NodeData::Text { contents } => out.push_str(&contents.borrow()),
                NodeData::Element { name, .. } => {
                    if is_ignored_tag(&name.local) || is_hidden(&node) {
                        continue;
                    }
                    // Its cells are blocks: put them back to space them out.
                    self.compact.expand(&node);
                    if is_block_tag(&name.local) || name.local == local_name!("br") {
                        out.push(' ');
                    }
                    stack.extend(node.children.borrow().iter().rev().cloned());
                }
                _ => {}
            }
        }
        out
    }

    /// The table rows compacted in the document (for the extraction).
    pub fn compact_rows(&self) -> &CompactRows {
        &self.compact
    }

    /// Leaves an element out of the conversion.
    pub fn skip(&mut self, node: &Handle) {
        self.skipped.insert(key(node));
    }

    /// Converts the children of `root` as blocks.
    pub fn convert(&mut self, root: &Handle) -> Vec<Block> {
        self.blocks(&children(root), Depth::default())
    }

    /// The blocks of one element of the page and its content (nothing when it was skipped).
    pub fn convert_element(&mut self, element: &Handle) -> Vec<Block> {
        self.blocks(std::slice::from_ref(element), Depth::default())
    }

    /// Block context: sibling nodes → blocks; runs of inline content become paragraphs.
    fn blocks(&mut self, nodes: &[Handle], depth: Depth) -> Vec<Block> {
        let mut out = Vec::new();
        let mut pending = Vec::new();
        for node in nodes {
            match &node.data {
                NodeData::Text { contents } => {
                    pending.push(Inline::text(&*without_soft_hyphens(&contents.borrow())))
                }
                NodeData::Element { name, .. } => {
                    // Before the hidden and ignored elements are left out: a formula's TeX
                    // may be in a script, its MathML hidden beside an image of it.
                    if let Some(found) = super::math::recognise(node) {
                        if let super::math::Found::Math(math) = found {
                            pending.push(Inline::Math(Box::new(math)));
                        }
                        continue;
                    }
                    if name.local == local_name!("noscript") {
                        pending.extend(self.unpaired_noscript_images(node).map(Inline::image));
                        continue;
                    }
                    if self.is_left_out(node) {
                        continue;
                    }
                    self.compact.expand(node);
                    if depth.dom < DOM_RECURSION_LIMIT
                        && self.beside_figure(node, depth, &mut pending, &mut out)
                    {
                        continue;
                    }
                    if depth.dom >= DOM_RECURSION_LIMIT {
                        flush_run(&mut pending, &mut out);
                        let text = self.flattened_text(node);
                        pending.push(Inline::Text(text));
                        flush_run(&mut pending, &mut out);
                    } else if is_block_tag(&name.local) || self.holds_blocks.contains(&key(node)) {
                        flush_run(&mut pending, &mut out);
                        self.block_element(node, &name.local, depth.deeper_dom(), &mut out);
                    } else {
                        // The run becomes a paragraph: one model level below this one.
                        self.inline_node(node, depth.nested(), &mut pending);
                    }
                }
                _ => {}
            }
        }
        flush_run(&mut pending, &mut out);
        // The same picture twice in a row (one copy per layout, or a fallback beside it).
        out.dedup_by(|later, earlier| match (later, earlier) {
            (Block::Figure(later), Block::Figure(earlier))
                if later.image.src == earlier.image.src =>
            {
                if earlier.caption.is_empty() {
                    earlier.caption = std::mem::take(&mut later.caption);
                }
                true
            }
            _ => false,
        });
        // Most runs are one or two blocks (a table cell's paragraph) in a vector that grew to
        // room for four: fit it, since millions of cells can be kept.
        out.shrink_to_fit();
        out
    }

    /// Whether an element never reaches the model (scripts, forms, hidden, used notes).
    fn is_left_out(&self, node: &Handle) -> bool {
        let Some(name) = tag(node) else { return false };
        if is_ignored_tag(name) || is_hidden(node) || self.skipped.contains(&key(node)) {
            return true;
        }
        // A form holding paragraphs is a page wrapper (ASP.NET pages), not a form.
        if *name == local_name!("form") && !holds_prose(node) {
            return true;
        }
        if let Some(id) = attr(node, "id") {
            if self.used_notes.contains(&id)
                && self.notes.get(&id).is_some_and(|n| Rc::ptr_eq(n, node))
            {
                return true;
            }
        }
        if let Some(ids) = self.note_containers.get(&key(node)) {
            return !ids.is_empty() && ids.iter().all(|id| self.used_notes.contains(id));
        }
        false
    }

    fn block_element(
        &mut self,
        node: &Handle,
        name: &LocalName,
        depth: Depth,
        out: &mut Vec<Block>,
    ) {
        match *name {
            local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6") => {
                let level = name
                    .chars()
                    .nth(1)
                    .and_then(|c| c.to_digit(10))
                    .unwrap_or(1) as u8;
                // A permalink beside the heading's words ("#", "¶") is the page's control,
                // not the heading's text; the anchor it names is the heading's.
                let mut id = attr(node, "id").unwrap_or_default().trim().to_string();
                for permalink in self.permalinks(node) {
                    if id.is_empty() {
                        id = attr(&permalink, "id")
                            .or_else(|| attr(&permalink, "href").and_then(|h| fragment_of(&h)))
                            .unwrap_or_default()
                            .trim()
                            .to_string();
                    }
                    self.skip(&permalink);
                }
                let mut content = self.paragraph_inlines(node, depth);
                // A heading whose words are all one link to itself (mdBook's) is its words.
                if let [Inline::Link(link)] = content.as_slice() {
                    if !id.is_empty() && fragment_of(&link.url).as_deref() == Some(id.as_str()) {
                        content = link.content.clone();
                    }
                }
                if !content.is_empty() {
                    out.push(Block::Heading {
                        level,
                        id: id.into(),
                        content,
                    });
                }
            }
            local_name!("p") if !self.holds_blocks.contains(&key(node)) => {
                let content = self.paragraph_inlines(node, depth);
                match <[Inline; 1]>::try_from(content) {
                    // A paragraph that is one picture shows it as a block, as wide as it
                    // is (a diagram in documentation), not in a line of text: a figure
                    // without a caption, as Markdown makes an image alone in a paragraph.
                    Ok([Inline::Image(image)]) if !is_icon(&image) => {
                        out.push(Block::Figure(Box::new(Figure {
                            image: *image,
                            caption: Vec::new(),
                        })));
                    }
                    Ok(content) => out.push(Block::Paragraph(content.into())),
                    Err(content) if content.is_empty() => {}
                    Err(content) => out.push(Block::Paragraph(content)),
                }
            }
            local_name!("ul") | local_name!("ol") | local_name!("menu") => {
                self.list(node, depth, out)
            }
            local_name!("dl") => self.definition_list(node, depth, out),
            local_name!("blockquote") => {
                if depth.block_wrapper_fits() {
                    let inner = self.blocks(&children(node), depth.nested());
                    if !inner.is_empty() {
                        out.push(Block::Quote(inner));
                    }
                } else {
                    out.extend(self.blocks(&children(node), depth));
                }
            }
            local_name!("pre") => out.extend(code_blocks(node)),
            local_name!("table") => self.table(node, depth, out),
            local_name!("figure") => self.figure(node, depth, out),
            local_name!("hr") => out.push(Block::Rule),
            _ => {
                let id = attr(node, "id").unwrap_or_default();
                let wrap =
                    !id.is_empty() && self.link_targets.contains(&id) && depth.block_wrapper_fits();
                if wrap {
                    let blocks = self.blocks(&children(node), depth.nested());
                    out.push(Block::Container {
                        attr: Box::new(Attr {
                            id,
                            ..Attr::default()
                        }),
                        blocks,
                    });
                } else {
                    out.extend(self.blocks(&children(node), depth));
                }
            }
        }
    }

    /// The normalised inline content of a paragraph-like element.
    fn paragraph_inlines(&mut self, node: &Handle, depth: Depth) -> Vec<Inline> {
        let inlines = self.inlines(&children(node), depth.nested());
        trim_line_breaks(normalize_inlines(inlines))
    }

    fn list(&mut self, node: &Handle, depth: Depth, out: &mut Vec<Block>) {
        if !depth.block_wrapper_fits() {
            out.extend(self.blocks(&children(node), depth));
            return;
        }
        let inner = depth.nested();
        let mut items: Vec<Vec<Block>> = Vec::new();
        // Each item's task-list checkbox, beside `items`.
        let mut checked: Vec<Option<bool>> = Vec::new();
        let mut tight = true;
        let mut strays: Vec<Handle> = Vec::new();
        for child in children(node) {
            if is(&child, local_name!("li")) && !self.is_left_out(&child) {
                self.attach_strays(&mut strays, &mut items, inner);
                if child
                    .children
                    .borrow()
                    .iter()
                    .any(|c| is(c, local_name!("p")))
                {
                    tight = false;
                }
                checked.resize(items.len(), None);
                checked.push(task_box(&child));
                items.push(self.blocks(&children(&child), inner));
            } else if !is_blank_text(&child) {
                strays.push(child);
            }
        }
        self.attach_strays(&mut strays, &mut items, inner);
        // An item with nothing left in it (an empty `<li>`, or one whose content was left
        // out as page furniture) would be a bare bullet: it goes, with its checkbox.
        checked.resize(items.len(), None);
        let mut kept_boxes = checked.iter();
        let mut checked: Vec<Option<bool>> = Vec::with_capacity(items.len());
        items.retain(|item| {
            let task = kept_boxes.next().copied().flatten();
            if !item.is_empty() {
                checked.push(task);
            }
            !item.is_empty()
        });
        items.shrink_to_fit();
        if items.is_empty() {
            return;
        }
        let ordered = *tag(node).unwrap_or(&local_name!("ul")) == local_name!("ol");
        let start = if ordered {
            attr(node, "start")
                .and_then(|s| s.trim().parse::<u32>().ok())
                .unwrap_or(1)
        } else {
            1
        };
        checked.resize(items.len(), None);
        let checked = if checked.iter().all(Option::is_none) {
            Vec::new()
        } else {
            checked
        };
        out.push(Block::List(List {
            checked: checked.into(),
            ordered,
            start,
            tight,
            items,
        }));
    }

    /// Content between list items that is not an item joins the item before it.
    fn attach_strays(
        &mut self,
        strays: &mut Vec<Handle>,
        items: &mut Vec<Vec<Block>>,
        depth: Depth,
    ) {
        if strays.is_empty() {
            return;
        }
        let blocks = self.blocks(&std::mem::take(strays), depth);
        if blocks.is_empty() {
            return;
        }
        match items.last_mut() {
            Some(item) => item.extend(blocks),
            None => items.push(blocks),
        }
    }

    /// `dl`: each term a paragraph in bold, each definition its blocks; in a
    /// [`classes::DEFINITION_LIST`] container, each definition in a [`classes::DEFINITION`]
    /// one, so writers can set terms and definitions apart (flat where nesting runs out).
    fn definition_list(&mut self, node: &Handle, depth: Depth, out: &mut Vec<Block>) {
        if depth.nested().block_wrapper_fits() {
            let mut inner = Vec::new();
            self.definition_entries(node, depth.nested(), true, &mut inner);
            if !inner.is_empty() {
                out.push(Block::Container {
                    attr: Box::new(Attr::class(classes::DEFINITION_LIST)),
                    blocks: inner,
                });
            }
        } else {
            self.definition_entries(node, depth, false, out);
        }
    }

    /// The terms and definitions of a `dl`; `wrap`: each definition in a container.
    fn definition_entries(
        &mut self,
        node: &Handle,
        depth: Depth,
        wrap: bool,
        out: &mut Vec<Block>,
    ) {
        let mut entries = Vec::new();
        for child in children(node) {
            // HTML allows a `div` around each term group.
            if is(&child, local_name!("div")) && !self.is_left_out(&child) {
                entries.extend(children(&child));
            } else {
                entries.push(child);
            }
        }
        for entry in entries {
            if self.is_left_out(&entry) {
                continue;
            }
            if is(&entry, local_name!("dt")) {
                let term = self.paragraph_inlines(&entry, depth);
                if !term.is_empty() {
                    let content = if depth.model + 4 <= MAX_DEPTH {
                        vec![Inline::Strong(term)]
                    } else {
                        term
                    };
                    // A term that links point at (an API entry of a reference page, a
                    // glossary's word) keeps its id, so the links keep their target.
                    let id = attr(&entry, "id")
                        .map(|id| id.trim().to_string())
                        .filter(|id| self.link_targets.contains(id));
                    match id {
                        Some(id) if depth.nested().block_wrapper_fits() => {
                            out.push(Block::Container {
                                attr: Box::new(Attr {
                                    id,
                                    ..Attr::default()
                                }),
                                blocks: vec![Block::Paragraph(content)],
                            })
                        }
                        _ => out.push(Block::Paragraph(content)),
                    }
                }
            } else if is(&entry, local_name!("dd")) {
                if wrap {
                    let blocks = self.blocks(&children(&entry), depth.nested());
                    if !blocks.is_empty() {
                        out.push(Block::Container {
                            attr: Box::new(Attr::class(classes::DEFINITION)),
                            blocks,
                        });
                    }
                } else {
                    out.extend(self.blocks(&children(&entry), depth));
                }
            } else if !is_blank_text(&entry) {
                out.extend(self.blocks(&[entry], depth));
            }
        }
    }

    fn table(&mut self, node: &Handle, depth: Depth, out: &mut Vec<Block>) {
        if !depth.block_wrapper_fits() {
            out.extend(self.blocks(&children(node), depth));
            return;
        }
        let inner = depth.nested();
        let mut caption = Vec::new();
        let mut head = Vec::new();
        let mut body = Vec::new();
        let mut foot = Vec::new();
        let mut alignments: Vec<Alignment> = Vec::new();
        for child in children(node) {
            if self.is_left_out(&child) {
                continue;
            }
            let (target, rows) = match tag(&child) {
                Some(&local_name!("caption")) => {
                    caption = self.paragraph_inlines(&child, depth);
                    continue;
                }
                Some(&local_name!("thead")) => (&mut head, children(&child)),
                Some(&local_name!("tbody")) => (&mut body, children(&child)),
                Some(&local_name!("tfoot")) => (&mut foot, children(&child)),
                Some(&local_name!("tr")) => (&mut body, vec![child.clone()]),
                _ => continue,
            };
            for tr in rows {
                if !is(&tr, local_name!("tr")) || self.is_left_out(&tr) {
                    continue;
                }
                self.compact.expand(&tr);
                let (row, cell_alignments, all_th) = self.row(&tr, inner);
                self.release(&tr);
                // Each column takes the first alignment a cell in it states, in document
                // order: merged row by row, so no row's list is kept.
                merge_alignments(&mut alignments, &cell_alignments);
                target.push((row, all_th));
            }
        }
        // Without a thead, leading rows of header cells are the head.
        if head.is_empty() {
            let leading = body.iter().take_while(|(_, all_th)| *all_th).count();
            if leading < body.len() {
                head = body.drain(..leading).collect();
            }
        }
        body.extend(foot);
        let table = Table {
            caption,
            alignments,
            head: head.into_iter().map(|(row, _)| row).collect(),
            body: body.into_iter().map(|(row, _)| row).collect(),
        };
        if table.head.is_empty() && table.body.is_empty() {
            if !table.caption.is_empty() {
                out.push(Block::Paragraph(table.caption));
            }
            return;
        }
        let mut table = table;
        if !table.alignments.is_empty() {
            let columns = table.column_count();
            table.alignments.resize(columns, Alignment::Default);
        }
        out.push(Block::Table(Box::new(table)));
    }

    /// Frees the nodes below a converted element, so that a large table's DOM goes row by
    /// row as its model is built instead of staying beside all of it. Never inside a footnote
    /// body (converted again at each reference) nor above one.
    fn release(&self, node: &Handle) {
        if !self.keep.contains(&key(node)) {
            // Taken, not cleared: the emptied list's room would stay with every row.
            drop(std::mem::take(&mut *node.children.borrow_mut()));
        }
    }

    /// One table row: its cells, each cell's (colspan, alignment), and whether all are `th`.
    fn row(&mut self, tr: &Handle, depth: Depth) -> (Row, Vec<(u32, Alignment)>, bool) {
        let mut row = Row::default();
        let mut alignments = Vec::new();
        let mut all_th = true;
        for cell in children(tr) {
            let is_th = is(&cell, local_name!("th"));
            if !(is_th || is(&cell, local_name!("td"))) || self.is_left_out(&cell) {
                continue;
            }
            all_th &= is_th;
            let span = |name| {
                attr(&cell, name)
                    .and_then(|s| s.trim().parse::<u32>().ok())
                    .filter(|n| *n >= 1)
                    .unwrap_or(1)
                    .min(1000)
            };
            let colspan = span("colspan");
            let rowspan = span("rowspan");
            alignments.push((colspan, cell_alignment(&cell)));
            row.cells.push(Cell {
                content: self.blocks(&children(&cell), depth),
                colspan,
                rowspan,
            });
        }
        row.cells.shrink_to_fit();
        let all_th = all_th && !row.cells.is_empty();
        (row, alignments, all_th)
    }

    /// `figure`: its images (lazy-loaded ones and `<noscript>` fallbacks included, each
    /// once) with the caption on the last: the `figcaption`, else an element classed as a
    /// caption, and the photo credits inside the figure but outside that caption after it.
    /// A figure without an image is its content, less the caption of a picture that could
    /// not be read.
    fn figure(&mut self, node: &Handle, depth: Depth, out: &mut Vec<Block>) {
        let all = descendants(node);
        let mut images: Vec<Image> = Vec::new();
        for inner in &all {
            let found: Vec<Image> = if is(inner, local_name!("img")) && !is_hidden(inner) {
                self.image(inner).into_iter().collect()
            } else if is(inner, local_name!("noscript")) {
                self.unpaired_noscript_images(inner).collect()
            } else {
                Vec::new()
            };
            for image in found {
                if !images.iter().any(|seen| seen.src == image.src) {
                    images.push(image);
                }
            }
        }
        if images.is_empty() {
            // A picture was there but none could be read (a placeholder a script swaps,
            // a source we cannot follow): its caption would caption nothing.
            if all
                .iter()
                .any(|n| is(n, local_name!("img")) || is(n, local_name!("picture")))
            {
                for caption in all.iter().filter(|n| is(n, local_name!("figcaption"))) {
                    self.skip(caption);
                }
            }
            out.extend(self.blocks(&children(node), depth));
            return;
        }
        let caption_node = all
            .iter()
            .find(|n| is(n, local_name!("figcaption")))
            .or_else(|| all.iter().find(|n| is_caption_classed(n)))
            .cloned();
        let mut caption = caption_node
            .as_ref()
            .map(|fc| self.paragraph_inlines(fc, depth))
            .unwrap_or_default();
        let credits: Vec<&Handle> = all
            .iter()
            .skip(1)
            .filter(|n| is_credit_in_figure(n) && !holds_image(n))
            .filter(|n| {
                // Not inside the caption (already in it) nor inside another credit.
                !ancestors_below(n, node).any(|a| {
                    caption_node.as_ref().is_some_and(|c| Rc::ptr_eq(&a, c))
                        || is_credit_in_figure(&a)
                }) && !caption_node.as_ref().is_some_and(|c| Rc::ptr_eq(n, c))
            })
            .collect();
        for credit in credits {
            let inlines = self.paragraph_inlines(credit, depth);
            append_caption(&mut caption, inlines);
        }
        let count = images.len();
        for (index, image) in images.into_iter().enumerate() {
            let caption = if index + 1 == count {
                std::mem::take(&mut caption)
            } else {
                Vec::new()
            };
            out.push(Block::Figure(Box::new(Figure { image, caption })));
        }
    }

    /// A caption or photo credit standing right after a picture (`<div class=wp-caption>`'s
    /// text, a credit line under a `<figure>`, a block that opens with the picture's alt
    /// text, as a `<figcaption>` outside a `<figure>` does): joins that figure's caption. A credit with no
    /// picture shown before it (its figure left out or never loaded) is dropped: it would
    /// credit nothing. Only where the run so far holds nothing or a lone image, so no
    /// paragraph is split. Whether `node` was taken.
    fn beside_figure(
        &mut self,
        node: &Handle,
        depth: Depth,
        pending: &mut Vec<Inline>,
        out: &mut Vec<Block>,
    ) -> bool {
        // Asked of every element in block context: the cheap tests first, the walk of the
        // element's subtree for a picture last.
        if !is_lone_image(pending) {
            return false;
        }
        let credit = is_credit(node);
        if !(credit || is_caption_classed(node) || repeats_alt(node, pending, out))
            || holds_image(node)
        {
            return false;
        }
        flush_run(pending, out);
        match out.last_mut() {
            Some(Block::Figure(figure)) => {
                if !credit && !figure.caption.is_empty() {
                    return false;
                }
                let inlines = self.paragraph_inlines(node, depth.nested());
                append_caption(&mut figure.caption, inlines);
                true
            }
            last => credit && !last.is_some_and(|block| shows_image(block)),
        }
    }

    /// The images of a `<noscript>` that no picture beside it stands for (where one does, it
    /// is that picture's fallback, taken by [`Converter::image`] when the picture is only a
    /// placeholder): so each picture appears once. The fallback of a script has none (see
    /// [`follows_a_script`]).
    fn unpaired_noscript_images(&self, noscript: &Handle) -> std::vec::IntoIter<Image> {
        if self.skipped.contains(&key(noscript))
            || is_hidden(noscript)
            || adjacent_elements(noscript).iter().any(holds_image)
            || follows_a_script(noscript)
        {
            return Vec::new().into_iter();
        }
        self.noscript_images(noscript).into_iter()
    }

    /// The images inside a `<noscript>`. The parser reads its content as text (a browser
    /// with scripts does), so that text is parsed on its own.
    fn noscript_images(&self, noscript: &Handle) -> Vec<Image> {
        let markup: String = children(noscript)
            .iter()
            .filter_map(|child| match &child.data {
                NodeData::Text { contents } => Some(contents.borrow().to_string()),
                _ => None,
            })
            .collect();
        let fragment;
        let nodes = if markup.contains('<') {
            fragment = crate::dom::parse(&markup);
            descendants(&fragment.dom.document)
        } else {
            // Parsed without scripting: the elements are there already.
            descendants(noscript)
        };
        nodes
            .iter()
            .filter(|n| is(n, local_name!("img")) && !is_hidden(n))
            .filter_map(|n| self.image_from(n, false))
            .collect()
    }

    /// An `img` as a model image (see [`Converter::image_from`]).
    fn image(&self, node: &Handle) -> Option<Image> {
        self.image_from(node, true)
    }

    /// An `img` as a model image: the largest candidate every output can use among its
    /// lazy-loading attributes, `srcset`s, its `<picture>`'s `<source>`s and its `src`
    /// (see [`best_candidate`]), placeholders left out; else, if `use_noscript`, the image
    /// of the `<noscript>` fallback beside it; a `data:` image only as the last resort. An
    /// image stated as one pixel wide or high is a tracking pixel or a spacer: none.
    fn image_from(&self, node: &Handle, use_noscript: bool) -> Option<Image> {
        let width = attr(node, "width").and_then(|w| css_pixels(&w));
        let height = attr(node, "height").and_then(|h| css_pixels(&h));
        if width == Some(1) || height == Some(1) {
            return None;
        }
        let alt = attr(node, "alt")
            .and_then(|a| clean(&a))
            .unwrap_or_default();
        let candidates = image_candidates(node, width);
        let url = match best_candidate(&candidates) {
            Some(candidate) => self.resolver.resolve(&candidate.url),
            None => {
                if use_noscript {
                    if let Some(mut fallback) = self.noscript_fallback(node) {
                        if fallback.alt.is_empty() {
                            fallback.alt = alt;
                        }
                        return Some(fallback);
                    }
                }
                attr(node, "src")
                    .map(|s| s.trim().to_string())
                    .filter(|s| s.to_ascii_lowercase().starts_with("data:image/"))?
            }
        };
        Some(Image {
            src: url,
            alt,
            title: attr(node, "title").and_then(|t| clean(&t)),
            width,
            height,
        })
    }

    /// The image of the `<noscript>` right beside a placeholder `img` (or beside the
    /// wrapper, a `<picture>` or a link, that holds only it).
    fn noscript_fallback(&self, img: &Handle) -> Option<Image> {
        let mut node = img.clone();
        for _ in 0..3 {
            for sibling in adjacent_elements(&node) {
                if is(&sibling, local_name!("noscript")) {
                    if let Some(image) = self.noscript_images(&sibling).into_iter().next() {
                        return Some(image);
                    }
                }
            }
            node = parent(&node)?;
            let images = descendants(&node)
                .iter()
                .filter(|n| is(n, local_name!("img")))
                .count();
            if images > 1 {
                return None;
            }
        }
        None
    }

    /// Inline context: sibling nodes → inlines (not yet normalised).
    fn inlines(&mut self, nodes: &[Handle], depth: Depth) -> Vec<Inline> {
        let mut out = Vec::new();
        for node in nodes {
            self.inline_node(node, depth, &mut out);
        }
        out
    }

    fn inline_node(&mut self, node: &Handle, depth: Depth, out: &mut Vec<Inline>) {
        let name = match &node.data {
            NodeData::Text { contents } => {
                out.push(Inline::text(&*without_soft_hyphens(&contents.borrow())));
                return;
            }
            NodeData::Element { name, .. } => name.local.clone(),
            _ => return,
        };
        // Before the hidden and ignored elements are left out (see `blocks`).
        if let Some(found) = super::math::recognise(node) {
            if let super::math::Found::Math(math) = found {
                out.push(Inline::Math(Box::new(math)));
            }
            return;
        }
        if name == local_name!("noscript") {
            out.extend(self.unpaired_noscript_images(node).map(Inline::image));
            return;
        }
        if self.is_left_out(node) {
            return;
        }
        if depth.dom >= DOM_RECURSION_LIMIT {
            let text = self.flattened_text(node);
            out.push(Inline::Text(text));
            return;
        }
        let inner = depth.deeper_dom();
        match name {
            local_name!("em") | local_name!("i") | local_name!("cite") | local_name!("dfn") => {
                self.wrapped(node, inner, out, Inline::Emphasis)
            }
            local_name!("strong") | local_name!("b") => {
                self.wrapped(node, inner, out, Inline::Strong)
            }
            local_name!("s") | local_name!("del") | local_name!("strike") => {
                self.wrapped(node, inner, out, Inline::Strikethrough)
            }
            local_name!("sub") => self.wrapped(node, inner, out, Inline::Subscript),
            local_name!("sup") => {
                let content = self.inlines(&children(node), inner.nested());
                // A superscript holding only footnote references is the reference's styling.
                let only_notes = content.iter().any(|i| matches!(i, Inline::Note(_)))
                    && content.iter().all(|i| match i {
                        Inline::Note(_) => true,
                        Inline::Text(t) => t.trim().is_empty(),
                        _ => false,
                    });
                if only_notes {
                    out.extend(content.into_iter().filter(|i| matches!(i, Inline::Note(_))));
                } else if inner.inline_wrapper_fits() {
                    out.push(Inline::Superscript(content));
                } else {
                    out.extend(content);
                }
            }
            local_name!("code") | local_name!("kbd") | local_name!("samp") | local_name!("tt") => {
                out.push(Inline::Code(collapse_whitespace(&text_content(node))))
            }
            local_name!("a") => self.link(node, inner, out),
            local_name!("img") => out.extend(self.image(node).map(Inline::image)),
            local_name!("br") => out.push(Inline::LineBreak),
            local_name!("span") => {
                // A credit set right after the caption's text (`Harbour<span
                // class=credit>Photo: A. Lee</span>`) is a phrase of its own.
                if is_credit(node) {
                    out.push(Inline::text(" "));
                }
                let mut attributes = Vec::new();
                for key in ["lang", "dir"] {
                    if let Some(value) = attr(node, key).filter(|v| !v.trim().is_empty()) {
                        attributes.push((key.to_string(), value.trim().to_string()));
                    }
                }
                if attributes.is_empty() || !inner.inline_wrapper_fits() {
                    out.extend(self.inlines(&children(node), inner));
                } else {
                    let content = self.inlines(&children(node), inner.nested());
                    out.push(Inline::Span {
                        attr: Box::new(Attr {
                            attributes,
                            ..Attr::default()
                        }),
                        content,
                    });
                }
            }
            ref other if is_block_tag(other) => {
                // Block content where only inlines may go: keep its words apart.
                out.push(Inline::text(" "));
                if *other == local_name!("pre") {
                    out.push(Inline::Text(text_content(node)));
                } else {
                    out.extend(self.inlines(&children(node), inner));
                }
                out.push(Inline::text(" "));
            }
            _ => out.extend(self.inlines(&children(node), inner)),
        }
    }

    /// An inline wrapper, or just its content when the model has no room for another level.
    fn wrapped(
        &mut self,
        node: &Handle,
        depth: Depth,
        out: &mut Vec<Inline>,
        wrap: fn(Vec<Inline>) -> Inline,
    ) {
        if depth.inline_wrapper_fits() {
            let content = self.inlines(&children(node), depth.nested());
            out.push(wrap(content));
        } else {
            out.extend(self.inlines(&children(node), depth));
        }
    }

    /// `a`: a footnote reference becomes the note; a back-link disappears; a script link or
    /// an anchor without `href` is its content; anything else a link, resolved.
    fn link(&mut self, node: &Handle, depth: Depth, out: &mut Vec<Inline>) {
        if is_back_link(node) {
            return;
        }
        // A permalink to the element it is in (an API entry's "¶", a caption's): the
        // page's control, not the text's.
        if self.is_permalink(node) && links_to_an_ancestor(node) {
            return;
        }
        let Some(href) = attr(node, "href").filter(|h| !h.trim().is_empty()) else {
            out.extend(self.inlines(&children(node), depth));
            return;
        };
        if let Some(id) = fragment_of(&href) {
            if self.notes.contains_key(&id) && is_note_reference(node) {
                if let Some(note) = self.note(&id, depth) {
                    out.push(note);
                    return;
                }
            }
        }
        // A link the URL policy refuses is still made: the model pass turns it into its text
        // and says so (see read::sanitize).
        if !depth.inline_wrapper_fits() {
            out.extend(self.inlines(&children(node), depth));
            return;
        }
        let content = self.inlines(&children(node), depth.nested());
        let title = attr(node, "title").and_then(|t| clean(&t));
        out.push(Inline::link(self.resolver.resolve(&href), title, content));
    }

    /// The permalinks in a heading: [mark links](is_mark_link) that are no footnote
    /// reference.
    fn permalinks(&self, heading: &Handle) -> Vec<Handle> {
        descendants(heading)
            .into_iter()
            .filter(|node| self.is_permalink(node))
            .collect()
    }

    /// Whether a link is a permalink: a [mark link](is_mark_link) to no footnote.
    fn is_permalink(&self, link: &Handle) -> bool {
        is_mark_link(link)
            && attr(link, "href")
                .and_then(|href| fragment_of(&href))
                .is_some_and(|id| !self.notes.contains_key(&id))
    }

    /// The footnote `id` as an inline note, unless it is already being converted (a loop) or
    /// there is no room for its blocks.
    fn note(&mut self, id: &str, depth: Depth) -> Option<Inline> {
        if !depth.block_wrapper_fits() || self.notes_in_progress.contains(id) {
            return None;
        }
        let body = self.notes.get(id)?.clone();
        self.notes_in_progress.insert(id.to_string());
        let mut blocks = self.blocks(&children(&body), depth.nested());
        self.notes_in_progress.remove(id);
        // The note's own label without its back link ("[", "]" around it, Docutils'): the
        // number is the writer's to give.
        while blocks
            .first()
            .is_some_and(|b| matches!(b, Block::Paragraph(inlines) if is_bare_label(inlines)))
        {
            blocks.remove(0);
        }
        Some(Inline::Note(blocks))
    }
}

/// Everything an `img` offers as its picture (`width`: its stated width), placeholders and
/// URLs the policy refuses left out: lazy-loading attributes, `srcset`s, the `<source>`s of
/// its `<picture>` (not the dark-scheme ones: a printed page is light), and `src` unless a
/// lazy-loading attribute says `src` is only a placeholder or a blurred preview.
fn image_candidates(img: &Handle, width: Option<u32>) -> Vec<Candidate> {
    let looks_like_url = |url: &String| {
        let url = url.trim();
        !url.is_empty() && url.contains(['.', '/']) && !url.contains(char::is_whitespace)
    };
    let mut out = Vec::new();
    for name in LAZY_SRC_ATTRIBUTES {
        if let Some(url) = attr(img, name).filter(looks_like_url) {
            out.push(single_candidate(&url, width));
        }
    }
    for name in LAZY_SRCSET_ATTRIBUTES {
        if let Some(set) = attr(img, name) {
            out.extend(srcset_candidates(&set, width, None));
        }
    }
    let lazy = !out.is_empty();
    if let Some(set) = attr(img, "srcset") {
        out.extend(srcset_candidates(&set, width, None));
    }
    let src = attr(img, "src").filter(|s| !s.trim().is_empty());
    if !lazy {
        if let Some(src) = &src {
            out.push(single_candidate(src, width));
        }
    }
    // Without a known lazy-loading attribute and with only a placeholder, a `data-*`
    // attribute named for a source (`data-lazyloader-src`, `data-td-src-property`) holds it.
    if !lazy && src.as_deref().is_none_or(is_placeholder) {
        if let NodeData::Element { attrs, .. } = &img.data {
            for attribute in attrs.borrow().iter() {
                let name = attribute.name.local.to_ascii_lowercase();
                if !name.starts_with("data-") || !name.contains("src") {
                    continue;
                }
                let value = attribute.value.to_string();
                if name.contains("srcset") {
                    out.extend(srcset_candidates(&value, width, None));
                } else if looks_like_url(&value) {
                    out.push(single_candidate(&value, width));
                }
            }
        }
    }
    if let Some(picture) = parent(img).filter(|p| is(p, local_name!("picture"))) {
        for source in children(&picture) {
            let dark = attr(&source, "media").is_some_and(|m| {
                let m: String = m.chars().filter(|c| !c.is_whitespace()).collect();
                m.to_ascii_lowercase().contains("prefers-color-scheme:dark")
            });
            if !is(&source, local_name!("source")) || dark {
                continue;
            }
            let media_type = attr(&source, "type");
            let source_width = attr(&source, "width")
                .and_then(|w| css_pixels(&w))
                .or(width);
            for name in ["srcset", "data-srcset", "data-lazy-srcset"] {
                if let Some(set) = attr(&source, name) {
                    out.extend(srcset_candidates(&set, source_width, media_type.as_deref()));
                }
            }
        }
    }
    out.retain(|c| !is_unsafe_link(&c.url) && !is_placeholder(&c.url));
    out
}

/// The element siblings right before and after `node` (blank text and comments between
/// skipped).
fn adjacent_elements(node: &Handle) -> Vec<Handle> {
    let Some(parent) = parent(node) else {
        return Vec::new();
    };
    let siblings = children(&parent);
    let Some(at) = siblings.iter().position(|s| Rc::ptr_eq(s, node)) else {
        return Vec::new();
    };
    let element = |s: &&Handle| !is_blank_text(s);
    let before = siblings[..at].iter().rev().find(element);
    let after = siblings[at + 1..].iter().find(element);
    before
        .into_iter()
        .chain(after)
        .filter(|s| tag(s).is_some())
        .cloned()
        .collect()
}

/// Whether a `<noscript>` comes right after a `<script>`: it stands for what that script
/// puts in the page, which is an ad server's banner, a counter's pixel or an embed, never
/// a picture of the article (a lazy picture's fallback sits beside the picture, and is
/// taken with it). Empty elements between (a `<p></p>` the parser closed around the
/// script) are passed over.
fn follows_a_script(noscript: &Handle) -> bool {
    let Some(parent) = parent(noscript) else {
        return false;
    };
    let siblings = children(&parent);
    let Some(at) = siblings.iter().position(|s| Rc::ptr_eq(s, noscript)) else {
        return false;
    };
    let empty = |s: &Handle| {
        is_blank_text(s)
            || tag(s).is_some() && !is(s, local_name!("script")) && children(s).is_empty()
    };
    siblings[..at]
        .iter()
        .rev()
        .find(|s| !empty(s))
        .is_some_and(|s| is(s, local_name!("script")))
}

/// Whether an element is or holds an `img` or `<picture>`.
fn holds_image(node: &Handle) -> bool {
    // A walk that stops at the first picture, without listing the subtree first.
    let mut stack = vec![node.clone()];
    while let Some(node) = stack.pop() {
        if is(&node, local_name!("img")) || is(&node, local_name!("picture")) {
            return true;
        }
        stack.extend(node.children.borrow().iter().rev().cloned());
    }
    false
}

/// The ancestors of `node` strictly below `top`.
fn ancestors_below<'n>(node: &Handle, top: &'n Handle) -> impl Iterator<Item = Handle> + 'n {
    std::iter::successors(parent(node), parent).take_while(move |n| !Rc::ptr_eq(n, top))
}

/// Whether a run of inlines is empty (blank text, line breaks) or one image.
fn is_lone_image(run: &[Inline]) -> bool {
    let mut images = 0;
    run.iter().all(|inline| match inline {
        Inline::Image(_) => {
            images += 1;
            images == 1
        }
        Inline::Text(text) => text.trim().is_empty(),
        Inline::LineBreak => true,
        _ => false,
    })
}

/// Whether a block shows a picture (a figure, or a paragraph holding an image or a linked one).
fn shows_image(block: &Block) -> bool {
    match block {
        Block::Figure(_) => true,
        Block::Paragraph(inlines) => inlines.iter().any(|inline| match inline {
            Inline::Image(_) => true,
            Inline::Link(link) => link.content.iter().any(|i| matches!(i, Inline::Image(_))),
            _ => false,
        }),
        _ => false,
    }
}

/// Adds `more` to a caption, a space between.
fn append_caption(caption: &mut Vec<Inline>, more: Vec<Inline>) {
    if more.is_empty() {
        return;
    }
    if !caption.is_empty() {
        caption.push(Inline::text(" "));
    }
    caption.extend(more);
    *caption = normalize_inlines(std::mem::take(caption));
}

/// Whether `node`'s text opens with the alt text of the lone picture before it (in the
/// run, or the figure just made) and is short: the caption the page writes under the
/// picture from the same field ("Lee Elder in 1975. | © Getty Images"). A picture's alt
/// text of a few words ("Foto") says too little to tell.
fn repeats_alt(node: &Handle, pending: &[Inline], out: &[Block]) -> bool {
    let alt = pending
        .iter()
        .find_map(|inline| match inline {
            Inline::Image(image) => Some(image.alt.as_str()),
            _ => None,
        })
        .or_else(|| match out.last() {
            Some(Block::Figure(figure)) if figure.caption.is_empty() => {
                Some(figure.image.alt.as_str())
            }
            _ => None,
        });
    let Some(alt) = alt.map(|a| collapse_whitespace(a).trim().to_string()) else {
        return false;
    };
    // A heading repeating the alt text (a teaser's title under its picture) is no caption.
    if alt.chars().count() < MIN_ALT_CAPTION_CHARS
        || tag(node).is_some_and(|name| is_heading_tag(name))
        || !text_within(node, MAX_CAPTION_CHARS)
    {
        return false;
    }
    collapse_whitespace(&text_content(node))
        .trim()
        .starts_with(&alt)
}

/// The shortest alt text that a caption repeating it is known by (characters).
const MIN_ALT_CAPTION_CHARS: usize = 20;

/// The longest caption or credit taken from beside a picture (characters): longer is prose.
const MAX_CAPTION_CHARS: usize = 600;

/// The longest credit line (characters).
const MAX_CREDIT_CHARS: usize = 160;

/// An element named as an image's caption by its class (`wp-caption-text`, `image-caption`,
/// `caption`) holding a short text; not a table's `<caption>`.
fn is_caption_classed(node: &Handle) -> bool {
    !is(node, local_name!("caption"))
        && !is(node, local_name!("table"))
        && names_contain(node, &["caption"])
        && text_within(node, MAX_CAPTION_CHARS)
        && !holds_image(node)
}

/// A photo credit: an element classed as one (`credit`, `image-credit`, `photographer`,
/// `copyright`) holding a short text, or a short line that reads as one ("Photo: A. Lee",
/// "Photograph by…", "© Reuters").
fn is_credit(node: &Handle) -> bool {
    credit_named(node, &["credit", "photographer", "copyright"])
}

/// A photo credit inside a `<figure>`, where an `attribution` is the picture's too (outside
/// one it is as often the reporters': "Reporting by…").
fn is_credit_in_figure(node: &Handle) -> bool {
    credit_named(
        node,
        &["credit", "photographer", "copyright", "attribution"],
    )
}

/// An element that may hold a credit, with a short text, classed with one of `names` or
/// reading as a credit.
fn credit_named(node: &Handle, names: &[&str]) -> bool {
    if !matches!(
        tag(node),
        Some(
            &local_name!("p")
                | &local_name!("div")
                | &local_name!("span")
                | &local_name!("small")
                | &local_name!("cite")
                | &local_name!("em")
                | &local_name!("i")
                | &local_name!("figcaption")
        )
    ) {
        return false;
    }
    let named = names_contain(node, names);
    short_text(node, MAX_CREDIT_CHARS)
        .is_some_and(|text| !text.trim().is_empty() && (named || reads_as_credit(&text)))
}

/// Whether the element's class or id holds one of `words` (lowercase) in any of its names.
fn names_contain(node: &Handle, words: &[&str]) -> bool {
    ["class", "id"].iter().any(|name| {
        attr_matches(node, name, |value| {
            words.iter().any(|word| contains_ignore_case(value, word))
        })
    })
}

/// Whether an element's text is there and at most `max` characters (not counting the
/// spaces around it). Stops reading as soon as it is longer: asked of every block.
fn text_within(node: &Handle, max: usize) -> bool {
    short_text(node, max).is_some_and(|text| !text.trim().is_empty())
}

/// An element's text when it is at most `max` characters after trimming and collapsing
/// its whitespace; `None` as soon as it is longer (an iterative walk that stops there).
/// Characters are counted as they come, each run of whitespace as one, so the markup's
/// indentation never makes a text count as longer than it reads.
fn short_text(node: &Handle, max: usize) -> Option<String> {
    let mut text = String::new();
    // Characters after the leading whitespace, runs of whitespace counted once.
    let mut count = 0usize;
    let mut in_space = true;
    let mut stack = vec![node.clone()];
    while let Some(node) = stack.pop() {
        match &node.data {
            NodeData::Text { contents } => {
                let contents = contents.borrow();
                for c in contents.chars() {
                    let space = c.is_whitespace();
                    if !(space && in_space) {
                        count += 1;
                    }
                    in_space = space;
                }
                // One trailing space may still be trimmed.
                if count > max + 1 {
                    return None;
                }
                text.push_str(&contents);
            }
            NodeData::Element { .. } => {
                stack.extend(node.children.borrow().iter().rev().cloned());
            }
            _ => {}
        }
    }
    let trimmed = collapse_whitespace(&text);
    (trimmed.trim().chars().count() <= max).then_some(trimmed)
}

/// How credit lines open ("Photo: …", "Photograph by …"), lowercase.
const CREDIT_OPENINGS: &[&str] = &[
    "photo:",
    "photos:",
    "photo by ",
    "photos by ",
    "photo credit",
    "photograph:",
    "photograph by ",
    "photographs by ",
    "photography:",
    "photography by ",
    "image:",
    "images:",
    "image by ",
    "image credit",
    "image source:",
    "picture:",
    "credit:",
    "illustration:",
    "illustration by ",
    "foto:",
    "fotos:",
    "bild:",
    "©",
    "(photo:",
    "(photo by ",
    "(image:",
];

/// Whether a short text reads as a photo credit.
fn reads_as_credit(text: &str) -> bool {
    let text = collapse_whitespace(text).to_lowercase();
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_CREDIT_CHARS {
        return false;
    }
    // "© 2024 The Courier. All rights reserved." is the page's copyright, not a credit.
    if text.contains("rights reserved") {
        return false;
    }
    CREDIT_OPENINGS
        .iter()
        .any(|opening| text.starts_with(opening))
}

/// Gives each column of `alignments` that has none yet the alignment a row's cell states
/// (cells given as (colspan, alignment)).
fn merge_alignments(alignments: &mut Vec<Alignment>, cells: &[(u32, Alignment)]) {
    let mut column = 0usize;
    for (span, alignment) in cells {
        // Past a few thousand columns an alignment is noise, not worth the memory.
        if *alignment != Alignment::Default && column < MAX_ALIGNED_COLUMNS {
            if alignments.len() <= column {
                alignments.resize(column + 1, Alignment::Default);
            }
            if alignments[column] == Alignment::Default {
                alignments[column] = *alignment;
            }
        }
        column += *span as usize;
    }
}

/// Ends a run of inline content: a paragraph, or a figure when the run is one lone image.
fn flush_run(pending: &mut Vec<Inline>, out: &mut Vec<Block>) {
    if pending.is_empty() {
        return;
    }
    let inlines = trim_line_breaks(normalize_inlines(std::mem::take(pending)));
    match inlines.as_slice() {
        [] => {}
        [Inline::Image(image)] => out.push(Block::Figure(Box::new(Figure {
            image: (**image).clone(),
            caption: Vec::new(),
        }))),
        _ => out.push(Block::Paragraph(inlines)),
    }
}

fn trim_line_breaks(mut inlines: Vec<Inline>) -> Vec<Inline> {
    while matches!(inlines.last(), Some(Inline::LineBreak)) {
        inlines.pop();
    }
    let leading = inlines
        .iter()
        .take_while(|i| matches!(i, Inline::LineBreak))
        .count();
    inlines.drain(..leading);
    inlines
}

/// `pre` → a code block, with the language from a `language-x`/`lang-x` class. A `pre`
/// holding several `<code>`s side by side gives one block each: they are versions of one
/// example a page shows one at a time (Node's documentation has each in ES module and
/// CommonJS form, a toggle between them), and run together they are neither.
fn code_blocks(pre: &Handle) -> Vec<Block> {
    let children = pre.children.borrow();
    let shown: Vec<&Handle> = children
        .iter()
        .filter(|c| !is_blank_text(c) && shows(c))
        .collect();
    if shown.len() > 1 && shown.iter().all(|c| is(c, local_name!("code"))) {
        return shown
            .into_iter()
            .filter_map(|code| code_block(shown_text(code), pre, Some(code)))
            .collect();
    }
    let code = shown.into_iter().find(|c| is(c, local_name!("code")));
    code_block(shown_text(pre), pre, code).into_iter().collect()
}

/// Whether an image states a size a line of text holds (an icon, a badge): such an image
/// alone in a paragraph is still set in the line.
fn is_icon(image: &Image) -> bool {
    [image.width, image.height]
        .into_iter()
        .flatten()
        .any(|side| side <= ICON_SIDE)
}

/// The largest side, in CSS pixels, of an image a line of text holds.
const ICON_SIDE: u32 = 48;

/// A code block of `text`, in the language the classes of `code` or else `pre` name.
fn code_block(mut text: String, pre: &Handle, code: Option<&Handle>) -> Option<Block> {
    if text.ends_with('\n') {
        text.pop();
    }
    if text.trim().is_empty() {
        return None;
    }
    let language = code
        .into_iter()
        .chain(std::iter::once(pre))
        .filter_map(|n| attr(n, "class"))
        .flat_map(|class| {
            class
                .split_whitespace()
                .filter_map(|c| {
                    c.strip_prefix("language-")
                        .or_else(|| c.strip_prefix("lang-"))
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                })
                .collect::<Vec<_>>()
        })
        .next();
    Some(Block::Code {
        language: language.map(String::into_boxed_str),
        text,
    })
}

/// The text of an element as a reader sees it: [`text_content`] less controls (a code
/// panel's "Copy" button, a toggle's checkbox), icons and hidden elements.
fn shown_text(root: &Handle) -> String {
    text_content_where(root, shows)
}

/// Whether a reader sees a node: no control, script or other left-out tag, nor hidden.
fn shows(node: &Handle) -> bool {
    !tag(node).is_some_and(is_ignored_tag) && !is_hidden(node)
}

fn cell_alignment(cell: &Handle) -> Alignment {
    let from_style = attr(cell, "style").and_then(|style| {
        style.split(';').find_map(|decl| {
            let (prop, value) = decl.split_once(':')?;
            (prop.trim().eq_ignore_ascii_case("text-align"))
                .then(|| value.trim().to_ascii_lowercase())
        })
    });
    match from_style
        .or_else(|| attr(cell, "align").map(|a| a.trim().to_ascii_lowercase()))
        .as_deref()
    {
        Some("left" | "start") => Alignment::Left,
        Some("center") => Alignment::Center,
        Some("right" | "end") => Alignment::Right,
        _ => Alignment::Default,
    }
}

/// An `<img width>` or `height` in CSS pixels, read as browsers do: the leading digits
/// ("60", "60px", "60.5"); a percentage, zero or no number is no stated size. Sizes past
/// [`MAX_STATED_PIXELS`] are not sizes a page means.
pub(super) fn css_pixels(value: &str) -> Option<u32> {
    let value = value.trim();
    let digits = value.len() - value.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || value[digits..].trim_start().starts_with('%') {
        return None;
    }
    let pixels = value[..digits].bytes().fold(0u32, |n, digit| {
        n.saturating_mul(10).saturating_add(u32::from(digit - b'0'))
    });
    Some(pixels).filter(|p| (1..=MAX_STATED_PIXELS).contains(p))
}

/// The largest stated image size kept (CSS pixels): many screens wide.
const MAX_STATED_PIXELS: u32 = 20_000;

/// Whether a run of inlines is only marks and brackets: no word, number or picture.
fn is_bare_label(inlines: &[Inline]) -> bool {
    !inlines
        .iter()
        .any(|i| matches!(i, Inline::Image(_) | Inline::Math(_)))
        && !inlines_to_plain(inlines).chars().any(char::is_alphanumeric)
}

/// Whether a same-document link points at an element it is inside.
fn links_to_an_ancestor(link: &Handle) -> bool {
    let Some(id) = attr(link, "href").and_then(|href| fragment_of(&href)) else {
        return false;
    };
    std::iter::successors(parent(link), parent)
        .any(|ancestor| attr(&ancestor, "id").is_some_and(|own| own.trim() == id))
}

/// The id a same-document link points at.
fn fragment_of(href: &str) -> Option<String> {
    let id = href.trim().strip_prefix('#')?;
    (!id.is_empty()).then(|| id.to_string())
}

/// A task-list item's checkbox (`<li><input type="checkbox" checked>`, as GitHub and quire
/// write them, the box first in the item or in its first paragraph): whether it is ticked.
fn task_box(item: &Handle) -> Option<bool> {
    let first_element = |node: &Handle| {
        node.children
            .borrow()
            .iter()
            .find(|c| !is_blank_text(c))
            .cloned()
    };
    let mut first = first_element(item)?;
    if is(&first, local_name!("p")) {
        first = first_element(&first)?;
    }
    let is_box = is(&first, local_name!("input"))
        && attr(&first, "type").is_some_and(|t| t.trim().eq_ignore_ascii_case("checkbox"));
    is_box.then(|| attr(&first, "checked").is_some())
}

fn is_blank_text(node: &Handle) -> bool {
    match &node.data {
        NodeData::Text { contents } => contents.borrow().trim().is_empty(),
        NodeData::Comment { .. } => true,
        _ => false,
    }
}

/// A text without its soft hyphens (U+00AD): they only say where a browser may break a word,
/// and left in they split the word for search, copying and every writer but a browser.
fn without_soft_hyphens(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\u{ad}') {
        std::borrow::Cow::Owned(text.replace('\u{ad}', ""))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Elements whose content is never document content. A ruby's annotations (`<rt>`, a
/// container of them `<rtc>`, and the `<rp>` parentheses around them) are readings set
/// above the base text: written inline they would split every annotated word ("子こども"),
/// so the base text stands alone.
fn is_ignored_tag(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("noscript")
            | local_name!("template")
            | local_name!("input")
            | local_name!("button")
            | local_name!("select")
            | local_name!("option")
            | local_name!("optgroup")
            | local_name!("datalist")
            | local_name!("textarea")
            | local_name!("iframe")
            | local_name!("object")
            | local_name!("embed")
            | local_name!("svg")
            | local_name!("canvas")
            | local_name!("head")
            | local_name!("title")
            | local_name!("meta")
            | local_name!("link")
            | local_name!("base")
            | local_name!("audio")
            | local_name!("video")
            | local_name!("source")
            | local_name!("track")
            | local_name!("param")
            | local_name!("map")
            | local_name!("rt")
            | local_name!("rtc")
            | local_name!("rp")
    )
}

/// Whether a form holds prose (and so wraps a page rather than being a form).
fn holds_prose(form: &Handle) -> bool {
    descendants(form).iter().any(|n| {
        matches!(
            tag(n),
            Some(
                &local_name!("p")
                    | &local_name!("article")
                    | &local_name!("h1")
                    | &local_name!("h2")
            )
        )
    })
}

/// Elements that make blocks (anything else is inline content).
pub fn is_block_tag(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("p")
            | local_name!("div")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("ul")
            | local_name!("ol")
            | local_name!("menu")
            | local_name!("li")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("dd")
            | local_name!("blockquote")
            | local_name!("pre")
            | local_name!("table")
            | local_name!("caption")
            | local_name!("thead")
            | local_name!("tbody")
            | local_name!("tfoot")
            | local_name!("tr")
            | local_name!("td")
            | local_name!("th")
            | local_name!("figure")
            | local_name!("figcaption")
            | local_name!("hr")
            | local_name!("section")
            | local_name!("article")
            | local_name!("aside")
            | local_name!("header")
            | local_name!("footer")
            | local_name!("nav")
            | local_name!("main")
            | local_name!("address")
            | local_name!("details")
            | local_name!("summary")
            | local_name!("fieldset")
            | local_name!("legend")
            | local_name!("form")
            | local_name!("center")
            | local_name!("hgroup")
            | local_name!("body")
            | local_name!("html")
    )
}

/// A list of footnotes (`role="doc-endnotes"`, a `footnotes` class, `epub:type`).
fn is_note_container(node: &Handle) -> bool {
    if !matches!(
        tag(node),
        Some(
            &local_name!("section")
                | &local_name!("div")
                | &local_name!("ol")
                | &local_name!("ul")
                | &local_name!("aside")
                | &local_name!("footer")
        )
    ) {
        return false;
    }
    attr_matches(node, "role", |role| {
        role.eq_ignore_ascii_case("doc-endnotes")
    }) || class_contains(node, "footnotes")
        || epub_type_is(node, &["footnotes", "endnotes", "rearnotes"])
}

/// A footnote or endnote outside a notes' list (`role="doc-footnote"`, `epub:type`, or a
/// `footnote` class as Docutils and Sphinx write them, `<aside class="footnote brackets">`).
/// It is a note only where a note reference points at it.
fn is_standalone_note(node: &Handle) -> bool {
    attr_matches(node, "role", |role| {
        role.eq_ignore_ascii_case("doc-footnote") || role.eq_ignore_ascii_case("doc-endnote")
    }) || epub_type_is(node, &["footnote", "endnote", "rearnote"])
        || (matches!(
            tag(node),
            Some(&local_name!("aside") | &local_name!("div") | &local_name!("section"))
        ) && attr_matches(node, "class", |class| {
            class
                .split_whitespace()
                .any(|word| word.eq_ignore_ascii_case("footnote"))
        }))
}

/// Whether the element's `epub:type` holds one of `types` (lowercase).
fn epub_type_is(node: &Handle, types: &[&str]) -> bool {
    attr_matches(node, "epub:type", |value| {
        value
            .split_whitespace()
            .any(|t| types.iter().any(|wanted| t.eq_ignore_ascii_case(wanted)))
    })
}

/// Whether a link to a note looks like a note reference: marked as one, set in superscript,
/// or as short as a number or a mark (`1`, `[12]`, `*`).
fn is_note_reference(link: &Handle) -> bool {
    if attr(link, "role").is_some_and(|r| r.trim().eq_ignore_ascii_case("doc-noteref"))
        || ["footnote", "fnref", "noteref"]
            .iter()
            .any(|c| class_contains(link, c))
    {
        return true;
    }
    if parent(link).is_some_and(|p| is(&p, local_name!("sup")))
        || link
            .children
            .borrow()
            .iter()
            .any(|c| is(c, local_name!("sup")))
    {
        return true;
    }
    let text = text_content(link);
    let mark = text
        .trim()
        .trim_matches(|c| matches!(c, '[' | ']' | '(' | ')'));
    !mark.is_empty() && mark.chars().count() <= 4
}

/// A link from a footnote back to its reference.
fn is_back_link(node: &Handle) -> bool {
    if attr(node, "role").is_some_and(|r| r.trim().eq_ignore_ascii_case("doc-backlink")) {
        return true;
    }
    if [
        "footnote-back",
        "reversefootnote",
        "footnote-backref",
        "fn-back",
    ]
    .iter()
    .any(|c| class_contains(node, c))
    {
        return true;
    }
    let internal = attr(node, "href").is_some_and(|h| h.trim().starts_with('#'));
    internal
        && matches!(
            text_content(node).trim(),
            "↩" | "↩\u{fe0e}" | "↩\u{fe0f}" | "↑" | "^"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first element `name` of a parsed fragment.
    fn element(html: &str, name: LocalName) -> Handle {
        let page = crate::dom::parse(html);
        let found = descendants(&page.dom.document)
            .into_iter()
            .find(|n| is(n, name.clone()))
            .expect("the element");
        // The page's tree lives as long as a handle into it.
        std::mem::forget(page);
        found
    }

    #[test]
    fn credit_lines_are_told_from_prose() {
        for line in [
            "Photo: A. Lee",
            "Photograph by B. Moss/Harbour Press",
            "© Reuters",
            "(Photo: C. Dunn)",
            "Foto: D. Ray",
            "Image credit: Getty Images",
        ] {
            assert!(reads_as_credit(line), "{line}");
        }
        for line in [
            "© 2025 Harbour Press. All rights reserved.",
            "The photographer waited for the light.",
            "Photos of the harbour fill the town's museum, room after room of them, from the \
             first glass plates to the colour prints of the seventies, and the curator knows \
             every one.",
        ] {
            assert!(!reads_as_credit(line), "{line}");
        }
    }

    #[test]
    fn credits_by_class_need_a_short_text_and_attributions_a_figure() {
        let credit = element("<p class=credit>A. Lee</p>", local_name!("p"));
        assert!(is_credit(&credit) && is_credit_in_figure(&credit));
        let attribution = element(
            "<p class=attribution>Reporting by A. Writer</p>",
            local_name!("p"),
        );
        assert!(!is_credit(&attribution) && is_credit_in_figure(&attribution));
        let long = format!("<div class=credits>{}</div>", "Many names. ".repeat(40));
        assert!(!is_credit(&element(&long, local_name!("div"))));
        let caption = element("<p class=wp-caption-text>Dawn</p>", local_name!("p"));
        assert!(is_caption_classed(&caption));
        let table = element(
            "<table><caption class=caption>T</caption><tr><td>1</td></tr></table>",
            local_name!("caption"),
        );
        assert!(!is_caption_classed(&table));
    }

    #[test]
    fn a_lone_image_run_is_blank_text_and_at_most_one_image() {
        let image = Inline::image(Image {
            src: "a.jpg".into(),
            ..Image::default()
        });
        assert!(is_lone_image(&[]));
        assert!(is_lone_image(&[
            Inline::text(" "),
            image.clone(),
            Inline::LineBreak
        ]));
        assert!(!is_lone_image(&[image.clone(), image.clone()]));
        assert!(!is_lone_image(&[Inline::text("words"), image]));
    }
}
