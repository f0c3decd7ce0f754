//! Pruning inside the chosen container: what is left of the page's chrome (share bars,
//! "related" boxes, link lists, in-article promos, bylines marked as such), judged by the same
//! measurements that chose the container. Figures, tables, code, lists and quotes that read as
//! part of the article stay.

use super::score::Table;
use crate::dom::text_content;
use crate::model::collapse_whitespace;

/// Why an element inside the article was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A chrome element (`nav`, `aside`, `footer`, a form) or one whose names say chrome.
    Chrome,
    /// Mostly link text: a list of links, a "related stories" box.
    LinkList,
    /// Short fragments with no sentence in them (labels, buttons, "Advertisement").
    Fragments,
    /// Beside the article's container, not part of it.
    NotArticle,
    /// The same text as an earlier block (a caption or teaser repeated for another layout).
    Duplicate,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Chrome => "chrome (tag or class/id names)",
            Reason::LinkList => "mostly links",
            Reason::Fragments => "short fragments, no prose",
            Reason::NotArticle => "beside the article, not part of it",
            Reason::Duplicate => "repeats an earlier block",
        }
    }
}

/// The rows below `root` to leave out, outermost first, with the reason.
pub fn prune(table: &Table, root: usize, already: &[(usize, Reason)]) -> Vec<(usize, Reason)> {
    let mut out = Vec::new();
    let Some(root_row) = table.rows.get(root) else {
        return out;
    };
    let end = root_row.last_descendant;
    let mut seen_texts = std::collections::HashSet::new();
    let already: std::collections::HashSet<usize> = already.iter().map(|&(i, _)| i).collect();
    let mut i = root + 1;
    while i <= end {
        let Some(row) = table.rows.get(i) else { break };
        if already.contains(&i) {
            i = row.last_descendant + 1;
        } else if let Some(reason) =
            judge(table, i).or_else(|| duplicate(table, i, &mut seen_texts))
        {
            out.push((i, reason));
            i = row.last_descendant + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Whether one element inside the article is chrome.
fn judge(table: &Table, index: usize) -> Option<Reason> {
    let row = table.rows.get(index)?;
    let name = row.tag();
    if row.in_chrome {
        return Some(Reason::Chrome);
    }
    // A formula is content, however short (it counts as media, so its wrappers stay too).
    if matches!(
        name,
        "a" | "img" | "picture" | "figure" | "br" | "hr" | "math"
    ) {
        return None;
    }
    if row.chars <= 0.0 {
        return None;
    }
    let density = row.link_density();
    let is_block_list = matches!(
        name,
        "ul" | "ol" | "dl" | "table" | "div" | "section" | "p" | "li"
    );
    // Prose with many links in it (a news digest) is still prose.
    if is_block_list && density > 0.5 && row.media == 0 && row.good < 0.25 * row.chars {
        return Some(Reason::LinkList);
    }
    if matches!(name, "div" | "section" | "span")
        && row.good <= 0.0
        && row.noise > 0.0
        && row.media == 0
        && row.structure == 0
    {
        return Some(Reason::Fragments);
    }
    None
}

/// Whether a block without blocks inside repeats the text of an earlier one. Pages repeat
/// captions and teasers for other layouts (one copy per screen size).
fn duplicate(
    table: &Table,
    index: usize,
    seen: &mut std::collections::HashSet<String>,
) -> Option<Reason> {
    let row = table.rows.get(index)?;
    if row.chars < 30.0 || row.own_chars < row.chars || row.inline {
        return None;
    }
    // Texts repeat on purpose in tables, lists and recipes (a row label, a step); captions
    // only when the page holds copies of a figure for other layouts.
    if !in_figure(table, index) {
        return None;
    }
    let text = collapse_whitespace(&text_content(&row.handle))
        .trim()
        .to_string();
    (!seen.insert(text)).then_some(Reason::Duplicate)
}

/// Whether an element is a caption or sits in a figure (a few levels up).
fn in_figure(table: &Table, index: usize) -> bool {
    let mut at = Some(index);
    for _ in 0..4 {
        let Some(i) = at else { return false };
        let Some(row) = table.rows.get(i) else {
            return false;
        };
        if matches!(row.tag(), "figure" | "figcaption") || row.hint_caption {
            return true;
        }
        at = row.parent;
    }
    false
}
