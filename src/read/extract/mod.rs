//! Article extraction: which part of a full web page is the article, and what inside it is
//! still page chrome.
//!
//! 1. [`score::Table::measure`] measures every visible element once: its text, link text, and
//!    how much of its text reads as prose (good) or as links and fragments (noise).
//! 2. The container with the most good text net of noise is the article ([`choose`]). Because
//!    a parent adds up its children, an article split over sibling blocks is found whole when
//!    the blocks between are not noise; chrome around it (menus, link lists, comments marked
//!    as such) lowers every container that takes it in.
//! 3. [`clean::prune`] leaves out what is still chrome inside the container.
//!
//! A page with no article-like text (an index, a form) is converted whole, with a warning.
//! [`Extraction::explain`] says what was chosen and why, for users who report a bad result.

mod clean;
pub mod dom;
mod hints;
pub mod metadata;
mod score;

use crate::error::Warning;
use markup5ever_rcdom::Handle;
pub use clean::Reason;
use score::Table;

/// Below this much net prose (in characters) a page has no article.
const MIN_ARTICLE_VALUE: f32 = 200.0;

/// What extraction decided about a page.
#[derive(Debug)]
pub struct Extraction {
    /// The element to convert.
    pub root: Handle,
    /// Elements inside `root` to leave out, with why.
    pub pruned: Vec<(Handle, Reason)>,
    /// Set when the page had no article and `root` is the whole body.
    pub warning: Option<Warning>,
    /// The report behind `--explain` (empty unless asked for).
    pub explanation: String,
}

impl Extraction {
    /// The report of what was chosen and why.
    pub fn explain(&self) -> &str {
        &self.explanation
    }
}

/// Finds the article in a parsed page (`document` is the rcdom document node). With
/// `explain`, [`Extraction::explanation`] says what was chosen and why.
pub fn extract(document: &Handle, explain: bool) -> Extraction {
    let table = Table::measure(document);
    let body = table
        .rows
        .iter()
        .position(|r| r.name == "body")
        .unwrap_or(0);
    let mut explanation = String::new();
    let Some((chosen, left_out)) = choose(&table, body) else {
        let root = table
            .rows
            .get(body)
            .map_or_else(|| document.clone(), |r| r.handle.clone());
        explanation.push_str("no article-like content: converting the whole page\n");
        return Extraction {
            root,
            pruned: Vec::new(),
            warning: Some(Warning::new(
                "no article-like content found on the page; converted the whole page",
            )),
            explanation,
        };
    };
    let mut pruned: Vec<(usize, Reason)> =
        left_out.into_iter().map(|i| (i, Reason::NotArticle)).collect();
    pruned.extend(clean::prune(&table, chosen, &pruned));
    if explain {
        explanation.push_str(&explain_choice(&table, chosen, &pruned));
    }
    Extraction {
        root: table.rows[chosen].handle.clone(),
        pruned: pruned
            .iter()
            .map(|&(i, reason)| (table.rows[i].handle.clone(), reason))
            .collect(),
        warning: None,
        explanation,
    }
}

/// The article: the element holding the strongest paragraph run, widened to its parent when
/// siblings hold more of the article (a body split by an ad slot, a lead paragraph apart).
/// Returns the root and the siblings left out when it was widened.
fn choose(table: &Table, body: usize) -> Option<(usize, Vec<usize>)> {
    let end = table.rows.get(body)?.last_descendant;
    let mut top: Option<(usize, f32)> = None;
    for i in body..=end {
        let row = &table.rows[i];
        if row.in_chrome || dom::is_inline_tag(&row.name) {
            continue;
        }
        let score = table.density_score(i);
        if top.is_none_or(|(_, best)| score > best) {
            top = Some((i, score));
        }
    }
    let (mut top, top_score) = top?;
    // Climb through wrappers that add (almost) no text, so that an article split over several
    // wrapped parts (a column per few paragraphs) is found whole by the sibling test below.
    while let Some(parent) = table.rows[top].parent.filter(|&p| p > body) {
        if table.rows[parent].chars > table.rows[top].chars * 1.05 + 20.0 {
            break;
        }
        top = parent;
    }
    let threshold = (0.2 * top_score).max(10.0);
    let mut left_out = Vec::new();
    let root = widen(table, body, top, top_score);
    if root != top {
        // Leave out what does not belong beside each part of the path from the top up.
        let mut node = top;
        while let Some(parent) = table.rows[node].parent.filter(|_| node != root) {
            left_out.extend(unrelated_siblings(table, parent, node, threshold));
            node = parent;
        }
        return (table.rows[root].good >= MIN_ARTICLE_VALUE).then_some((root, left_out));
    }
    let mut root = top;
    if let Some(parent) = table.rows[top].parent.filter(|&p| p >= body) {
        let out = unrelated_siblings(table, parent, top, threshold);
        if out.len() + 1 < table.children(parent).len() {
            root = parent;
            left_out = out;
        }
    }
    (table.rows[root].good >= MIN_ARTICLE_VALUE).then_some((root, left_out))
}

/// The highest ancestor (a few levels up) whose text beyond `top` is mostly prose and holds
/// a paragraph run of its own: the article spread over separately wrapped sections.
fn widen(table: &Table, body: usize, top: usize, top_score: f32) -> usize {
    let mut best = top;
    let mut ancestor = table.rows[top].parent;
    let t = &table.rows[top];
    for _ in 0..6 {
        let Some(a) = ancestor.filter(|&a| a > body) else { break };
        let r = &table.rows[a];
        if r.in_chrome {
            break;
        }
        let added_good = r.good - t.good;
        let added_noise = r.noise - t.noise;
        if added_good >= 200.0
            && added_good >= 3.0 * added_noise
            && max_density(table, a, Some(top)) >= 0.25 * top_score
        {
            best = a;
        }
        ancestor = r.parent;
    }
    best
}

/// The strongest paragraph run at or below `index`, not counting the subtree `except`.
fn max_density(table: &Table, index: usize, except: Option<usize>) -> f32 {
    let last = table.rows[index].last_descendant.min(table.rows.len() - 1);
    (index..=last)
        .filter(|&i| except.is_none_or(|e| !table.contains(e, i)))
        .map(|i| table.density_score(i))
        .fold(0.0, f32::max)
}

/// The children of `parent` other than `kept` that are not part of the article; structure
/// between parts that are (a subheading, a figure) stays.
fn unrelated_siblings(table: &Table, parent: usize, kept: usize, threshold: f32) -> Vec<usize> {
    let siblings = table.children(parent);
    let belongs: Vec<bool> = siblings
        .iter()
        .map(|&s| s == kept || sibling_belongs(table, s, threshold))
        .collect();
    let first = belongs.iter().position(|&k| k);
    let last = belongs.iter().rposition(|&k| k);
    let mut out = Vec::new();
    for (n, &s) in siblings.iter().enumerate() {
        let between = first.is_some_and(|f| n > f) && last.is_some_and(|l| n < l);
        if !belongs[n] && !(between && is_structure(table, s)) {
            out.push(s);
        }
    }
    out
}

/// Whether a sibling of the article's container is more of the article.
fn sibling_belongs(table: &Table, sibling: usize, threshold: f32) -> bool {
    let row = &table.rows[sibling];
    if row.in_chrome || row.good <= row.noise {
        return false;
    }
    if max_density(table, sibling, None) >= threshold {
        return true;
    }
    row.own_good > 0.0 && row.good >= 80.0 && row.link_density() < 0.25
}

/// Headings, figures, lists, quotes and tables without many links.
fn is_structure(table: &Table, index: usize) -> bool {
    let row = &table.rows[index];
    !row.in_chrome
        && row.link_density() < 0.5
        && (row.media > 0
            || matches!(
                row.name.as_str(),
                "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "blockquote" | "table" | "figure"
            ))
}

/// The `--explain` report: the chosen container, its ancestors and rivals, what was pruned.
fn explain_choice(table: &Table, chosen: usize, pruned: &[(usize, Reason)]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let row = &table.rows[chosen];
    let _ = writeln!(
        out,
        "chosen: {} (prose {:.0}, noise {:.0}, net {:.0}; {} paragraphs, link density {:.2})",
        table.describe(chosen),
        row.good,
        row.noise,
        row.value(),
        row.paragraphs,
        row.link_density()
    );
    let mut ancestor = row.parent;
    let mut shown = 0;
    while let (Some(a), true) = (ancestor, shown < 3) {
        let r = &table.rows[a];
        let _ = writeln!(
            out,
            "  inside: {} (net {:.0}: adds {:.0} prose, {:.0} noise)",
            table.describe(a),
            r.value(),
            r.good - row.good,
            r.noise - row.noise
        );
        ancestor = r.parent;
        shown += 1;
    }
    let mut rivals: Vec<usize> = (0..table.rows.len())
        .filter(|&i| {
            !table.contains(i, chosen)
                && !table.contains(chosen, i)
                && table.rows[i].good > 0.0
                && !dom::is_inline_tag(&table.rows[i].name)
        })
        .collect();
    rivals.sort_by(|&a, &b| table.rows[b].value().total_cmp(&table.rows[a].value()));
    let mut seen: Vec<usize> = Vec::new();
    for i in rivals {
        if seen.len() >= 3 {
            break;
        }
        if seen.iter().any(|&s| table.contains(s, i) || table.contains(i, s)) {
            continue;
        }
        seen.push(i);
        let r = &table.rows[i];
        let _ = writeln!(
            out,
            "  rival: {} (net {:.0}{})",
            table.describe(i),
            r.value(),
            if r.in_chrome { ", chrome" } else { "" }
        );
    }
    for &(i, reason) in pruned {
        let r = &table.rows[i];
        let _ = writeln!(
            out,
            "  pruned: {} ({}; {:.0} chars)",
            table.describe(i),
            reason.as_str(),
            r.chars
        );
    }
    out
}

#[cfg(test)]
mod bench;
