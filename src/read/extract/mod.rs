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

mod byline;
mod clean;
pub(crate) mod hints;
pub mod metadata;
mod score;

use crate::dom::{self, CompactRows};
/// How the extraction counts a text, and from what length a block may be prose: compacted
/// table rows (`dom::compact`) must stay below it.
use crate::error::Warning;
pub use clean::Reason;
use markup5ever_rcdom::Handle;
use score::Table;

/// Below this much net prose (in characters) a page has no article.
const MIN_ARTICLE_VALUE: f32 = 200.0;

/// What extraction decided about a page.
#[derive(Debug)]
pub struct Extraction {
    /// The element to convert.
    pub root: Handle,
    /// The article's lead paragraph when the page sets it apart from the body: before
    /// `root`, or at its top before the first paragraph (in the headline's header).
    pub lead: Option<Handle>,
    /// The lead is inside `root` but in a part left out of it (else a lead inside `root`
    /// is converted where it stands, unless the reader leaves out the header it is in).
    pub lead_left_out: bool,
    /// Elements inside `root` to leave out, with why.
    pub pruned: Vec<(Handle, Reason)>,
    /// Set when the page had no article and `root` is the whole body.
    pub warning: Option<Warning>,
    /// The report behind `--explain` (empty unless asked for).
    pub explanation: String,
}

/// Finds the article in a parsed page (`document` is the rcdom document node, `rows` the
/// table rows compacted in it).
///
/// `article_body`, the publisher's own copy of the text (JSON-LD `articleBody`), is a
/// cross-check: when the chosen container holds little of it and an ancestor holds most of
/// it, the ancestor is the article. `description`, the page's summary of itself (its meta
/// description), finds the lead paragraph when the page sets it apart from the body (see
/// [`find_lead`]). With `explain`, [`Extraction::explanation`] says what was chosen and why.
pub fn extract(
    document: &Handle,
    rows: &CompactRows,
    article_body: Option<&str>,
    description: Option<&str>,
    explain: bool,
) -> Extraction {
    let table = Table::measure(document, rows);
    let body = table
        .rows
        .iter()
        .position(|r| r.tag() == "body")
        .unwrap_or(0);
    let mut explanation = String::new();
    let chosen = choose(&table, body).map(|(root, left_out)| {
        match stronger_rival(&table, body, root).and_then(|rival| choose(&table, rival)) {
            Some(better) => better,
            None => (root, left_out),
        }
    });
    let chosen = chosen.map(|(root, left_out)| {
        match article_body.and_then(|text| cross_check(&table, body, root, text)) {
            Some(better) => {
                if explain {
                    explanation
                        .push_str("JSON-LD articleBody: the first choice held little of it\n");
                }
                (better, Vec::new())
            }
            None => (root, left_out),
        }
    });
    let Some((chosen, left_out)) = chosen else {
        // No article: the part the author marked as the content (one `<main>`, else one
        // `<article>`), else the whole body. A snippet too short to judge is no news.
        let root = semantic_root(&table, body).unwrap_or(body);
        let root_handle = table
            .rows
            .get(root)
            .map_or_else(|| document.clone(), |r| r.handle.clone());
        let substantial = table
            .rows
            .get(body)
            .is_some_and(|r| r.chars >= MIN_ARTICLE_VALUE);
        if explain {
            explanation.push_str(&format!(
                "no article-like content: converting {}\n",
                if root == body {
                    "the whole page".to_string()
                } else {
                    table.describe(root)
                }
            ));
        }
        // Even so, what is chrome by its tag or names (a comment form, a sidebar, the site's
        // footer) and the furniture lines are no part of it; link lists and fragments may
        // be (an index is its links).
        let pruned = clean::prune(&table, root, &[])
            .into_iter()
            .filter(|&(i, reason)| {
                reason == Reason::Boilerplate
                    || (reason == Reason::Chrome && score::is_chrome_tag(table.rows[i].tag()))
            })
            .map(|(i, reason)| (table.rows[i].handle.clone(), reason))
            .collect();
        return Extraction {
            root: root_handle,
            lead: None,
            lead_left_out: false,
            pruned,
            warning: substantial.then(|| {
                Warning::new("no article-like content found on the page; converted the whole page")
            }),
            explanation,
        };
    };
    // An endless page (the next stories loaded below the first, each in a box of the same
    // kind) is the page of its first story: the one its description opens, not the longest.
    let mut lead = description.and_then(|d| find_lead(&table, body, chosen, d));
    let (chosen, left_out) = match lead
        .and_then(|l| same_kind_box_of(&table, chosen, l))
        .and_then(|other| choose(&table, other))
    {
        Some(other) => {
            if explain {
                explanation.push_str(
                    "the description opens another box of the same kind: that box's article\n",
                );
            }
            // The lead was looked for before the first choice; look again before this one.
            lead = description.and_then(|d| find_lead(&table, body, other.0, d));
            other
        }
        None => (chosen, left_out),
    };
    let mut pruned: Vec<(usize, Reason)> = left_out
        .into_iter()
        .map(|i| (i, Reason::NotArticle))
        .collect();
    pruned.extend(clean::prune(&table, chosen, &pruned));
    // A lead inside the article that pruning left out (a "teaser" by its names, taken for a
    // box beside the article) is the article's all the same: kept where it stands when it
    // was left out itself, converted ahead of the article when a part around it was.
    let mut lead_left_out = false;
    if let Some(inside) = lead.filter(|&l| table.contains(chosen, l)) {
        let before = pruned.len();
        pruned.retain(|&(i, _)| i != inside);
        lead_left_out = pruned.iter().any(|&(i, _)| table.contains(i, inside));
        if !lead_left_out && pruned.len() != before {
            lead = None;
        }
    }
    if explain {
        explanation.push_str(&explain_choice(&table, chosen, &pruned));
        if let Some(lead) = lead {
            explanation.push_str(&format!(
                "lead: {} (the page's description, before the article)\n",
                table.describe(lead)
            ));
        }
    }
    Extraction {
        root: table.rows[chosen].handle.clone(),
        lead: lead.map(|i| table.rows[i].handle.clone()),
        lead_left_out,
        pruned: pruned
            .iter()
            .map(|&(i, reason)| (table.rows[i].handle.clone(), reason))
            .collect(),
        warning: None,
        explanation,
    }
}

/// Shortest description taken for a lead: shorter ones are labels ("News", a site's motto).
const MIN_LEAD_CHARS: f32 = 40.0;

/// The block before the article's container, outside it, that holds the page's description:
/// the lead paragraph that news and blog pages set in their header, under the headline,
/// apart from the body. Its text must be the description, or open with it (descriptions are
/// often the lead cut short); a teaser elsewhere on the page repeating it is a link, or in
/// chrome.
fn find_lead(table: &Table, body: usize, root: usize, description: &str) -> Option<usize> {
    // Descriptions come with markup in them, other quotes and apostrophes, an ellipsis:
    // the letters and digits are compared alone.
    let wanted = letters_of(&without_tags(description));
    let wanted_chars = wanted.chars().count() as f32;
    if wanted_chars < MIN_LEAD_CHARS {
        return None;
    }
    let end = table.rows[root].last_descendant;
    let mut found = None;
    for i in body..=end {
        let row = &table.rows[i];
        if table.contains(i, root) || row.inline || row.in_chrome {
            continue;
        }
        // `chars` counts spaces and punctuation too: a lead holds about a fifth more.
        let candidate = row.link_density() < 0.2
            && row.chars >= wanted_chars
            && row.chars <= wanted_chars * 3.0 + 20.0;
        if candidate && holds(table, i, &wanted) {
            found = Some(i);
            break;
        }
        // Inside the article, the lead comes before its first paragraph (the reader takes
        // it from there only when it is in the title's header, which it leaves out).
        if i > root && row.own_good > 0.0 {
            break;
        }
    }
    // The innermost element of a chain of wrappers around it.
    found.map(|outer| {
        (outer + 1..=table.rows[outer].last_descendant)
            .rev()
            .find(|&i| !table.rows[i].inline && holds(table, i, &wanted))
            .unwrap_or(outer)
    })
}

/// The box around `lead` of the same kind (tag and class names) as `chosen` or one of its
/// nearest ancestors, beside it, that holds a story of its own, when the lead is outside
/// `chosen`.
fn same_kind_box_of(table: &Table, chosen: usize, lead: usize) -> Option<usize> {
    if table.contains(chosen, lead) {
        return None;
    }
    let class = |i: usize| dom::attr(&table.rows[i].handle, "class").unwrap_or_default();
    let mut mine = chosen;
    for _ in 0..3 {
        let parent = table.rows[mine].parent?;
        if table.contains(parent, lead) {
            let theirs = table
                .children(parent)
                .into_iter()
                .find(|&c| table.contains(c, lead))?;
            // A box with a story of its own: a few paragraphs (a standfirst's box, however
            // named like the body's, is not one).
            let same = table.rows[theirs].tag() == table.rows[mine].tag()
                && table.rows[theirs].paragraphs >= 3
                && {
                    let class_of_theirs = class(theirs);
                    !class_of_theirs.trim().is_empty() && class_of_theirs == class(mine)
                };
            return same.then_some(theirs);
        }
        mine = parent;
    }
    None
}

/// Whether an element's text holds `wanted` (letters and digits, lowercase).
fn holds(table: &Table, index: usize, wanted: &str) -> bool {
    letters_of(&dom::text_content(&table.rows[index].handle)).contains(wanted)
}

/// The letters and digits of a text, lowercase.
fn letters_of(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A text with anything between `<` and `>` left out.
fn without_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The page's own statement of where its content is: the `<main>` with the most text, else
/// the only `<article>`.
fn semantic_root(table: &Table, body: usize) -> Option<usize> {
    let end = table.rows.get(body)?.last_descendant;
    let main = (body..=end)
        .filter(|&i| table.rows[i].tag() == "main")
        .max_by(|&a, &b| table.rows[a].chars.total_cmp(&table.rows[b].chars));
    if main.is_some() {
        return main;
    }
    let mut articles = (body..=end).filter(|&i| table.rows[i].tag() == "article");
    match (articles.next(), articles.next()) {
        (Some(article), None) => Some(article),
        _ => None,
    }
}

/// An element beside the chosen container (neither inside nor around it) that holds far
/// more of an article: a short dense block (a ticker, a teaser's two paragraphs) can win
/// the paragraph-run measure over an article whose paragraphs a page builder wrapped one
/// by one. Needs twice the net prose and a paragraph run of its own.
fn stronger_rival(table: &Table, body: usize, root: usize) -> Option<usize> {
    let end = table.rows.get(body)?.last_descendant;
    let chosen = &table.rows[root];
    let best = (body..=end)
        .filter(|&i| {
            let row = &table.rows[i];
            !row.in_chrome && !row.inline && !table.contains(i, root) && !table.contains(root, i)
        })
        .max_by(|&a, &b| table.rows[a].value().total_cmp(&table.rows[b].value()))?;
    let rival = &table.rows[best];
    (rival.value() >= 2.0 * chosen.value().max(MIN_ARTICLE_VALUE)
        && rival.paragraphs >= 3
        && rival.max_dense_below >= 0.3 * table.density_score(root))
    .then_some(best)
}

/// The ancestor of `root` that holds most of the publisher's `articleBody` when `root` holds
/// little of it (and is not much more than it).
fn cross_check(table: &Table, body: usize, root: usize, article_body: &str) -> Option<usize> {
    let body_lower = article_body.to_lowercase();
    let words: std::collections::HashSet<&str> = words_of(&body_lower).collect();
    if words.len() < 50 {
        return None;
    }
    let coverage = |index: usize| {
        let text = dom::text_content(&table.rows[index].handle).to_lowercase();
        let mut found = std::collections::HashSet::new();
        let mut total = 0usize;
        for word in words_of(&text) {
            total += 1;
            if let Some(w) = words.get(word) {
                found.insert(*w);
            }
        }
        (found.len() as f32 / words.len() as f32, total)
    };
    let body_words = words_of(&body_lower).count();
    if coverage(root).0 >= 0.6 {
        return None;
    }
    let mut ancestor = table.rows[root].parent;
    while let Some(a) = ancestor.filter(|&a| a >= body) {
        let (found, total) = coverage(a);
        if total > 3 * body_words + 200 {
            return None;
        }
        if found >= 0.8 {
            return Some(a);
        }
        ancestor = table.rows[a].parent;
    }
    None
}

fn words_of(text: &str) -> impl Iterator<Item = &str> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The article: the element holding the strongest paragraph run, widened to its parent when
/// siblings hold more of the article (a body split by an ad slot, a lead paragraph apart).
/// Returns the root and the siblings left out when it was widened.
fn choose(table: &Table, body: usize) -> Option<(usize, Vec<usize>)> {
    let end = table.rows.get(body)?.last_descendant;
    let mut top: Option<(usize, f32)> = None;
    for i in body..=end {
        let row = &table.rows[i];
        if row.in_chrome || row.inline {
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
    let (root, by_name) = widen(table, body, top, top_score);
    if root != top {
        // Leave out what does not belong beside each part of the path from the top up.
        let mut node = top;
        while let Some(parent) = table.rows[node].parent.filter(|_| node != root) {
            let unrelated = unrelated_siblings(table, parent, node, threshold);
            if by_name {
                left_out.extend(unrelated.into_iter().filter(|&s| !is_prose_part(table, s)));
            } else {
                left_out.extend(unrelated);
            }
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
/// a paragraph run of its own: the article spread over separately wrapped sections. Also
/// says whether it was taken for being named as the content (then what it holds beyond
/// `top` is the article's unless it is chrome or links).
fn widen(table: &Table, body: usize, top: usize, top_score: f32) -> (usize, bool) {
    let mut best = top;
    let mut by_name = false;
    let mut ancestor = table.rows[top].parent;
    let t = &table.rows[top];
    for _ in 0..6 {
        let Some(a) = ancestor.filter(|&a| a > body) else {
            break;
        };
        let r = &table.rows[a];
        // A table row holds cells side by side: above it, a page laid out with a table
        // would join its article column to the navigation and sidebar columns.
        if r.in_chrome || r.tag() == "tr" {
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
        // The container the page names as its content ("entry-content", "article-body")
        // holds the article whole: the prose beyond `top` is more of it even where no part
        // of it is a paragraph run of its own (a page builder wraps each paragraph apart).
        if r.hint.positive
            && !r.hint.negative
            && added_good >= 200.0
            && added_good >= 3.0 * added_noise
        {
            best = a;
            by_name = true;
        }
        ancestor = r.parent;
    }
    (best, by_name)
}

/// The strongest paragraph run at or below `index`, not counting the subtree `except` (which
/// must be below `index`).
fn max_density(table: &Table, index: usize, except: Option<usize>) -> f32 {
    let Some(except) = except.filter(|&e| e != index && table.contains(index, e)) else {
        return table.rows[index].max_dense_below;
    };
    // Walk up from `except`: every node on the way counts itself and its other children.
    let mut best = 0.0f32;
    let mut child = except;
    while let Some(parent) = table.rows[child].parent {
        best = best.max(table.density_score(parent));
        for sibling in table.children(parent) {
            if sibling != child {
                best = best.max(table.rows[sibling].max_dense_below);
            }
        }
        if parent == index {
            break;
        }
        child = parent;
    }
    best
}

/// The children of `parent` other than `kept` that are not part of the article; structure
/// between parts that are (a subheading, a figure) stays.
fn unrelated_siblings(table: &Table, parent: usize, kept: usize, threshold: f32) -> Vec<usize> {
    let siblings = table.children(parent);
    // A page that splits its content into several <article> boxes (a recipe's header,
    // ingredients and steps) marks each of them as its content; teaser boxes are links.
    let in_articles = table.rows[kept].tag() == "article";
    let belongs: Vec<bool> = siblings
        .iter()
        .map(|&s| {
            s == kept
                || sibling_belongs(table, s, threshold)
                || (in_articles && is_article_box(table, s))
        })
        .collect();
    let first = belongs.iter().position(|&k| k);
    let last = belongs.iter().rposition(|&k| k);
    // At the run's edges (past blank anchors): the subheading that titles it, and code
    // shown before or after it (a section's example), are the article's too.
    let mut at_edge = vec![false; siblings.len()];
    let blank = |s: usize| table.rows[s].chars <= 0.0 && table.rows[s].media == 0;
    if let (Some(first), Some(last)) = (first, last) {
        for n in (0..first).rev() {
            let s = siblings[n];
            if is_subheading(table, s) || is_code_block(table, s) {
                at_edge[n] = true;
            } else if !blank(s) {
                break;
            }
        }
        for n in last + 1..siblings.len() {
            let s = siblings[n];
            if is_code_block(table, s) {
                at_edge[n] = true;
            } else if !blank(s) {
                break;
            }
        }
    }
    let mut out = Vec::new();
    for (n, &s) in siblings.iter().enumerate() {
        let between = first.is_some_and(|f| n > f) && last.is_some_and(|l| n < l);
        let kept = belongs[n] || at_edge[n] || (between && is_structure(table, s));
        if !kept {
            out.push(s);
        }
    }
    out
}

/// A subheading (`h2` to `h6`) that is not chrome.
fn is_subheading(table: &Table, index: usize) -> bool {
    let row = &table.rows[index];
    !row.in_chrome && matches!(row.tag(), "h2" | "h3" | "h4" | "h5" | "h6")
}

/// A block of code: a `pre`, or a wrapper whose text is (nearly) all a `pre`'s, not chrome
/// and not links.
fn is_code_block(table: &Table, index: usize) -> bool {
    let row = &table.rows[index];
    if row.in_chrome || row.chars <= 0.0 || row.link_density() >= 0.5 {
        return false;
    }
    (index..=row.last_descendant)
        .any(|i| table.rows[i].tag() == "pre" && table.rows[i].chars >= 0.9 * row.chars)
}

/// A part of a named content container that is more of the article: prose, not chrome,
/// next to no links.
fn is_prose_part(table: &Table, index: usize) -> bool {
    let row = &table.rows[index];
    !row.in_chrome && row.good >= 80.0 && row.good >= 3.0 * row.noise && row.link_density() < 0.2
}

/// An `<article>` whose names do not say chrome, with text and few links.
fn is_article_box(table: &Table, index: usize) -> bool {
    let row = &table.rows[index];
    row.tag() == "article" && !row.in_chrome && row.chars >= 20.0 && row.link_density() < 0.3
}

/// Whether a sibling of the article's container is more of the article.
fn sibling_belongs(table: &Table, sibling: usize, threshold: f32) -> bool {
    let row = &table.rows[sibling];
    // Cells beside the article's cell are other columns of a layout table (a sidebar), not
    // more of the article.
    if row.in_chrome || matches!(row.tag(), "td" | "th") {
        return false;
    }
    // A recipe's times, ingredients and nutrition are short fragments by measure, and often
    // set beside the steps rather than between them.
    if row.hint.recipe_data && !row.hint.negative && row.link_density() < 0.5 {
        return true;
    }
    if row.good <= row.noise {
        return false;
    }
    if max_density(table, sibling, None) >= threshold {
        return true;
    }
    if row.own_good > 0.0 && row.good >= 80.0 && row.link_density() < 0.25 {
        return true;
    }
    // Another wrapped part of the article (a page builder's column, the second half after a
    // block of product details): a few paragraphs of prose with next to no links or noise.
    // A teaser list has links; comments are chrome by their names.
    row.paragraphs >= 2
        && row.good >= 300.0
        && row.good >= 4.0 * row.noise
        && row.link_density() < 0.1
}

/// Headings, figures, lists, quotes and tables without many links, and the sections that
/// hold them: a recipe's ingredient list or a product's details are short fragments by
/// measure, but between parts of the article they are part of it.
fn is_structure(table: &Table, index: usize) -> bool {
    let row = &table.rows[index];
    !row.in_chrome
        && row.link_density() < 0.5
        && (row.media > 0
            || row.structure > 0
            || matches!(
                row.tag(),
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
                && !table.rows[i].inline
        })
        .collect();
    rivals.sort_by(|&a, &b| table.rows[b].value().total_cmp(&table.rows[a].value()));
    let mut seen: Vec<usize> = Vec::new();
    for i in rivals {
        if seen.len() >= 3 {
            break;
        }
        if seen
            .iter()
            .any(|&s| table.contains(s, i) || table.contains(i, s))
        {
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
mod test_support;

#[cfg(test)]
mod tests {
    use super::test_support::article_text;
    use super::*;

    const PARA: &str = "The council voted on Tuesday to extend the river walk, a project that \
        residents, shop owners and the school board had asked for since 2019.";

    fn paragraphs(n: usize, tag: &str) -> String {
        (0..n)
            .map(|i| format!("<{tag}>{i}: {PARA}</{tag}>"))
            .collect()
    }

    fn menu() -> String {
        let items: String = (0..12)
            .map(|i| format!("<li><a href='/s{i}'>Section {i}</a></li>"))
            .collect();
        format!("<ul class='menu'>{items}</ul>")
    }

    #[test]
    fn a_ruby_is_a_word_of_its_paragraph() {
        // Measured as a block of its own, a ruby was a short fragment and the span around it
        // pure noise (pruned, word and all). Its bases are the paragraph's text; its readings
        // are not measured, as the reader leaves them out.
        let sentence = "日本に前からある法律では、親には子どもを叱る権利があると決めています。";
        let paragraph = "<p><span class='colorL'><ruby>日本<rt>にっぽん</rt></ruby></span>\
            に前からある<ruby>法<rb>律</rb><rp>(</rp><rtc><rt>ほう</rt>りつ</rtc><rp>)</rp></ruby>\
            では、親には子どもを叱る権利があると決めています。</p>";
        let dom = test_support::parse(&format!("<body>{paragraph}</body>"));
        let table = Table::measure(&dom.document, &Default::default());
        let p = table.rows.iter().find(|r| r.tag() == "p").unwrap();
        assert_eq!(p.own_chars, dom::count_text(sentence).0);
        assert_eq!((p.paragraphs, p.noise), (1, 0.0));
        assert!(p.good > 0.0);
        let page = format!("<body>{}{paragraph}{}</body>", menu(), paragraphs(3, "p"));
        let text = article_text(&page);
        assert!(text.contains(sentence), "{text}");
    }

    #[test]
    fn keeps_the_article_and_drops_navigation_and_related_links() {
        let html = format!(
            "<body><header>{menu}</header><div class='wrap'><div class='story'>{p}</div>\
             <div class='related'><h3>Related</h3><ul><li><a href='/a'>Another story about rivers</a></li>\
             <li><a href='/b'>Yet another story</a></li></ul></div></div>\
             <footer><p>Copyright 2024 The Daily, all rights reserved, do not copy.</p></footer></body>",
            menu = menu(),
            p = paragraphs(6, "p")
        );
        let text = article_text(&html);
        assert!(text.contains("5: The council voted"), "{text}");
        assert!(!text.contains("Section 3"), "{text}");
        assert!(!text.contains("Another story"), "{text}");
        assert!(!text.contains("Copyright"), "{text}");
    }

    #[test]
    fn a_sidebar_named_layout_holding_most_of_the_article_is_the_article() {
        // Page builders name the wrapper of a two-column layout after its sidebar
        // ("c-fixed-sidebar-layout"): inside the page's <article> it holds the story itself.
        let aside: String = (0..10)
            .map(|i| format!("<li><a href='/p{i}'>Popular story number {i} of the week</a></li>"))
            .collect();
        // The links beside the <article> keep the layout under half of the page, so only
        // its share of the <article> can tell it from a sidebar.
        let related: String = (0..40)
            .map(|i| format!("<li><a href='/r{i}'>Related story number {i} of the week</a></li>"))
            .collect();
        let html = format!(
            "<body>{menu}<article><h1>River walk</h1><div class='c-fixed-sidebar-layout'>\
             <div class='c-article'>{p}</div><aside class='c-sidebar'><ul>{aside}</ul></aside>\
             </div></article><aside><ul>{related}</ul></aside>\
             <footer><p>All rights reserved.</p></footer></body>",
            menu = menu(),
            p = paragraphs(6, "p"),
        );
        let text = article_text(&html);
        assert!(text.contains("0: The council voted"), "{text}");
        assert!(text.contains("5: The council voted"), "{text}");
        assert!(!text.contains("Popular story"), "{text}");
        // A comment section stays chrome even when it is most of the <article>.
        let comment = "I think the council should have asked more people before it voted.";
        let comments: String = (0..5)
            .map(|i| format!("<p>{i} {comment} {comment}</p>"))
            .collect();
        // Again the links keep the comments under half of the page: only the strength of
        // their name keeps them out.
        let html = format!(
            "<body><article>{p}<div class='comments'>{comments}</div></article>\
             <aside><ul>{related}</ul></aside></body>",
            p = paragraphs(3, "p"),
        );
        let text = article_text(&html);
        assert!(text.contains("2: The council voted"), "{text}");
        assert!(!text.contains("asked more people"), "{text}");
    }

    #[test]
    fn comments_are_not_the_article() {
        let comment =
            "I disagree with this, and I think the council should have asked more people first.";
        let comments: String = (0..8)
            .map(|i| format!("<div class='comment'><p>{i} {comment} {comment}</p></div>"))
            .collect();
        let html = format!(
            "<body><div class='post'>{p}</div><div id='comments'>{comments}</div></body>",
            p = paragraphs(4, "p")
        );
        let text = article_text(&html);
        assert!(text.contains("3: The council voted"), "{text}");
        assert!(!text.contains("I disagree"), "{text}");
    }

    #[test]
    fn an_article_split_by_an_ad_slot_is_found_whole() {
        let html = format!(
            "<body>{menu}<article><div class='part'>{a}</div><div class='ad'>Advertisement</div>\
             <h2>What comes next</h2><div class='part'>{b}</div></article></body>",
            menu = menu(),
            a = paragraphs(3, "p"),
            b = paragraphs(3, "p").replace(": The", ": Later the"),
        );
        let text = article_text(&html);
        assert!(text.contains("0: The council"), "{text}");
        assert!(text.contains("2: Later the council"), "{text}");
        assert!(text.contains("What comes next"), "{text}");
        assert!(!text.contains("Advertisement"), "{text}");
    }

    #[test]
    fn keeps_figures_tables_code_and_quotes_inside_the_article() {
        let html = format!(
            "<body>{menu}<main>{p}<figure><img src='a.jpg'><figcaption>The river at dawn</figcaption></figure>\
             <table><tr><td>Year</td><td>Level</td></tr><tr><td>2019</td><td>3 m</td></tr></table>\
             <pre><code>let x = 1;</code></pre><blockquote><p>We waited years.</p></blockquote>{q}\
             <div class='share-bar'><a href='/t'>Tweet</a> <a href='/f'>Share</a></div></main></body>",
            menu = menu(),
            p = paragraphs(3, "p"),
            q = paragraphs(2, "p"),
        );
        let text = article_text(&html);
        for kept in [
            "The river at dawn",
            "2019",
            "let x = 1;",
            "We waited years.",
        ] {
            assert!(text.contains(kept), "{kept} missing: {text}");
        }
        assert!(!text.contains("Tweet"), "{text}");
    }

    #[test]
    fn words_of_code_headings_and_signatures_are_no_furniture_lines() {
        // Highlighted code and documentation markup wrap single words and numbers in spans;
        // alone, "print" and "9.1." would read as a print button and a date, and were pruned
        // out of the listing, the heading and the signature they are words of.
        let html = format!(
            "<body>{menu}<main><h2><span class='section-number'>9.1. </span>Names and Objects</h2>{p}\
             <pre><span class='gp'>&gt;&gt;&gt; </span><span class='nb'>print</span>(<span class='mf'>3.14</span>)\n\
             <span class='go'>3.14</span>\n</pre>\
             <dl><dt><span class='sig-name'>print</span>(<em>*objects</em>)</dt><dd>{q}</dd></dl>\
             <p><span class='date'>12.03.2021</span></p></main></body>",
            menu = menu(),
            p = paragraphs(3, "p"),
            q = paragraphs(2, "p"),
        );
        let text = article_text(&html);
        for kept in [
            "9.1. Names and Objects",
            ">>> print(3.14)\n3.14",
            "print(*objects)",
        ] {
            assert!(text.contains(kept), "{kept} missing: {text}");
        }
        // A date alone on its line is still furniture.
        assert!(!text.contains("12.03.2021"), "{text}");
    }

    #[test]
    fn a_bylines_spans_are_furniture_beside_each_other() {
        // A blog's post footer sets "Posted by" and the name in one span, "at" and the time
        // in the next, and icons (so the line is no boilerplate block of text alone): not
        // alone on their line, the spans are still a byline, not the article's words (the
        // rule for words of headings and signatures kept them).
        let html = format!(
            "<body>{menu}<div class='post'><div class='post-body'>{p}</div>\
             <div class='post-line'><span class='post-author'>Eingestellt von \
             <span class='fn'>der Michel</span></span> <span class='post-timestamp'>um \
             <a href='/2020/04/tach-auch.html'>21:11</a></span> <span class='post-icons'>\
             <a href='/email-post'><img alt='' src='/img/icon18_email.gif'></a></span>\
             </div></div></body>",
            menu = menu(),
            p = paragraphs(3, "p"),
        );
        let text = article_text(&html);
        assert!(!text.contains("Eingestellt von"), "{text}");
        assert!(text.contains(PARA), "{text}");
    }

    #[test]
    fn a_section_keeps_its_heading_and_closing_code() {
        // Documentation nests each section in the one above: the choice climbs from the
        // densest section, and what stood before the first part kept (the section's own
        // heading, after an empty anchor) or after the last (an example's code) was left out.
        let code =
            "<div class=highlight><pre><span class=gp>&gt;&gt;&gt; </span>2 + 2\n4\n</pre></div>";
        let html = format!(
            "<body>{menu}<div class=body role=main><section id=intro><h1>Introduction</h1>{p}\
             <section id=calc><span id=tut-calc></span><h2>Using Python as a Calculator</h2>{q}\
             <section id=numbers><h3>Numbers and Sums</h3>{long}{code}</section></section></section></div>\
             <div class=sidebar>{menu}</div></body>",
            menu = menu(),
            p = paragraphs(1, "p"),
            q = paragraphs(1, "p"),
            long = paragraphs(8, "p"),
        );
        let text = article_text(&html);
        for kept in [
            "Using Python as a Calculator",
            "Numbers and Sums",
            ">>> 2 + 2\n4",
        ] {
            assert!(text.contains(kept), "{kept} missing: {text}");
        }
    }

    #[test]
    fn a_table_of_the_article_keeps_its_cells_of_links() {
        // An index of API entries: each cell a column of links, judged on its own a link
        // list, and pruned out of the table the article kept.
        let column = |names: &[&str]| -> String {
            names
                .iter()
                .map(|n| format!("<div class=line><a href='#{n}'><code>{n}()</code></a></div>"))
                .collect()
        };
        let html = format!(
            "<body>{menu}<main>{p}<table><thead><tr><th colspan=2>Built-in Functions</th></tr></thead>\
             <tbody><tr><td><div class=line-block>{a}</div></td><td><div class=line-block>{b}</div></td>\
             </tr></tbody></table>{q}</main></body>",
            menu = menu(),
            p = paragraphs(3, "p"),
            q = paragraphs(2, "p"),
            a = column(&["abs", "aiter", "all", "any"]),
            b = column(&["bin", "bool", "breakpoint", "bytes"]),
        );
        let text = article_text(&html);
        for kept in ["abs()", "any()", "breakpoint()"] {
            assert!(text.contains(kept), "{kept} missing: {text}");
        }
    }

    #[test]
    fn definition_terms_named_like_chrome_stay() {
        // A reference page's entries have the API's names as ids: `print` and `next` said
        // "print button" and "next page", and the signatures went.
        let html = format!(
            "<body>{menu}<main>{p}<dl><dt id='print'>print(*objects, sep=' ')</dt><dd>{q}</dd>\
             <dt id='next'>next(iterator)</dt><dd>{q}</dd></dl></main></body>",
            menu = menu(),
            p = paragraphs(3, "p"),
            q = paragraphs(1, "p"),
        );
        let text = article_text(&html);
        for kept in ["print(*objects, sep=' ')", "next(iterator)"] {
            assert!(text.contains(kept), "{kept} missing: {text}");
        }
    }

    #[test]
    fn a_short_sentence_in_a_box_of_its_own_stays() {
        // Documentation sets "New in version 3.3." apart in a box under an API entry: too
        // short for prose, it was pruned as fragments with the labels and buttons.
        let html = format!(
            "<body>{menu}<main>{p}<div class=versionadded><p><span class=versionmodified>\
             New in version 3.3.</span></p></div>{q}<div class=label><span>Advertisement</span></div>\
             {q}</main></body>",
            menu = menu(),
            p = paragraphs(3, "p"),
            q = paragraphs(2, "p"),
        );
        let text = article_text(&html);
        assert!(text.contains("New in version 3.3."), "{text}");
        assert!(!text.contains("Advertisement"), "{text}");
    }

    #[test]
    fn a_section_named_after_its_heading_is_not_chrome_by_that_name() {
        // Documentation names each section by its heading: "more-on-lists" and
        // "tools-for-working-with-lists" read as a "more" box and a tool bar, and the
        // sections went whole. A section named for a role stays chrome.
        let html = format!(
            "<body>{menu}<main>{p}<section id=more-on-lists><h2>5.1. More on Lists</h2>{q}</section>\
             <section id=tools-for-working-with-lists><span id=tut-tools></span><h2>Tools for Working with Lists</h2>{q}</section>\
             {p}<section id=comments><h2>Comments</h2><p>Nice post, thanks for writing.</p></section></main></body>",
            menu = menu(),
            p = paragraphs(3, "p"),
            q = paragraphs(2, "p").replace("The council", "The list"),
        );
        let text = article_text(&html);
        for kept in [
            "More on Lists",
            "Tools for Working with Lists",
            "1: The list voted",
        ] {
            assert!(text.contains(kept), "{kept} missing: {text}");
        }
        assert!(!text.contains("Nice post"), "{text}");
    }

    #[test]
    fn a_sentence_that_introduces_a_list_or_goes_around_code_stays() {
        // AsciiDoc (git's manual pages) sets each paragraph in a box of its own; a short one
        // ending in a colon leads into the list or code after it, and tutorials break their
        // sentences around commands. Such pieces were pruned as fragments, leaving the list
        // or the code without its sense.
        let html = format!(
            "<body>{menu}<main>{p}\
             <div class=paragraph><p>The content can be given in several ways:</p></div>\
             <div class=olist><ol><li><p>by adding it to the index first, one file at a \
             time</p></li><li><p>by naming the files on the command line</p></li></ol></div>\
             <div class=paragraph><p>It is a rough equivalent for:</p></div>\
             <div class=listingblock><div class=content><pre><code>$ git reset --soft HEAD^\
             </code></pre></div></div>\
             <div class=paragraph><p>or:</p></div>\
             <div class=listingblock><div class=content><pre><code>$ git commit --amend\
             </code></pre></div></div>\
             <div class=paragraph><p>At any point you can view the history using</p></div>\
             <div class=listingblock><div class=content><pre><code>$ git log\
             </code></pre></div></div>\
             <div class=paragraph><p>will show it, newest first.</p></div>\
             <div class=toolbar><span>Copy to clipboard</span><button>Copy</button></div>\
             <div class=listingblock><div class=content><pre><code>$ git log -p\
             </code></pre></div></div>\
             <div class=paragraph><p>Share:</p></div><ul><li><a href=/fb>Facebook</a></li>\
             <li><a href=/x>X</a></li></ul>\
             {q}<div class=share><span>Follow us on:</span></div>\
             <div class=box><span>Sign up for our newsletter:</span></div><form><input></form>\
             {q}</main></body>",
            menu = menu(),
            p = paragraphs(3, "p"),
            q = paragraphs(2, "p"),
        );
        let text = article_text(&html);
        assert!(text.contains("in several ways:"), "{text}");
        assert!(text.contains("It is a rough equivalent for:"), "{text}");
        assert!(text.contains("or:"), "{text}");
        // A sentence broken around code, on both sides of it.
        assert!(text.contains("history using"), "{text}");
        assert!(text.contains("will show it, newest first."), "{text}");
        // A code panel's controls are not.
        assert!(!text.contains("clipboard"), "{text}");
        // Lead-ins to nothing that follows, or to a form, are still labels.
        assert!(!text.contains("Follow us"), "{text}");
        assert!(!text.contains("newsletter"), "{text}");
        // Under three words, only a lead-in to code is one: a label over share buttons is
        // not.
        assert!(!text.contains("Share:"), "{text}");
    }

    #[test]
    fn a_quote_keeps_its_footer_citation() {
        let html = format!(
            "<body><article>{p}<blockquote><p>We waited years.</p><footer>Ann Lee, resident</footer></blockquote>{p}</article>\
             <footer>Site footer text</footer></body>",
            p = paragraphs(2, "p")
        );
        let text = article_text(&html);
        assert!(text.contains("Ann Lee, resident"), "{text}");
        assert!(!text.contains("Site footer"), "{text}");
    }

    #[test]
    fn hidden_elements_never_count() {
        let html = format!(
            "<body><div style='display: none'>{hidden}</div><div class='body'>{p}</div></body>",
            hidden = paragraphs(10, "p").replace("council", "secret"),
            p = paragraphs(3, "p"),
        );
        let text = article_text(&html);
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("council"), "{text}");
    }

    #[test]
    fn a_page_without_an_article_is_kept_whole_with_a_warning() {
        let html = format!(
            "<body>{menu}{menu}{menu}<form><input name=q></form></body>",
            menu = menu()
        );
        let dom = super::test_support::parse(&html);
        let extraction = extract(&dom.document, &Default::default(), None, None, true);
        assert!(extraction.warning.is_some());
        assert_eq!(dom::tag_name(&extraction.root), Some("body"));
        assert!(extraction.explanation.contains("no article"));
        // The site's footer and sidebar are still no part of it; the link lists are.
        let html = format!(
            "<body>{menu}<div class='list'>{menu}</div><aside><p>About this site</p></aside>\
             <footer><p>Imprint</p></footer></body>",
            menu = menu().replace("class='menu'", "")
        );
        let text = article_text(&html);
        assert!(text.contains("Section 3"), "{text}");
        assert!(!text.contains("About this site"), "{text}");
        assert!(!text.contains("Imprint"), "{text}");
    }

    #[test]
    fn explain_names_the_chosen_container_and_what_was_pruned() {
        let html = format!(
            "<body><div id='main' class='article-body'>{p}<div class='newsletter'>Sign up now</div></div></body>",
            p = paragraphs(4, "p")
        );
        let dom = super::test_support::parse(&html);
        let extraction = extract(&dom.document, &Default::default(), None, None, true);
        assert!(
            extraction
                .explanation
                .contains("chosen: div#main.article-body"),
            "{}",
            extraction.explanation
        );
        assert!(
            extraction.explanation.contains("pruned: div.newsletter"),
            "{}",
            extraction.explanation
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!(
            "<body>{}{}</body>",
            "<div>".repeat(3_000),
            paragraphs(3, "p")
        );
        let text = article_text(&html);
        assert!(text.contains("council"));
    }

    #[test]
    fn a_recipes_ingredients_keep_their_quantities() {
        // Each part of an ingredient is a fragment ("1/4", "cup butter"), and "1/4 cup
        // butter" read as a date line; the names mark the whole ingredient as recipe data.
        let ingredient = |quantity: &str, what: &str| {
            format!(
                "<div class='recipePartIngredient' itemprop='recipeIngredient'>\
                 <div class='quantity'><span>{quantity}</span></div>\
                 <div class='description'><span>{what}</span></div></div>"
            )
        };
        let html = format!(
            "<body>{menu}<div class='recipe'><h1>Pineapple cake</h1>{p}<h2>Ingredients</h2>\
             <div class='ingredients'>{a}{b}</div>{steps}</div></body>",
            menu = menu(),
            p = paragraphs(2, "p"),
            a = ingredient("1/4", "cup butter"),
            b = ingredient("1", "cup packed brown sugar"),
            steps = paragraphs(3, "p"),
        );
        let text = article_text(&html);
        for part in ["1/4", "cup butter", "cup packed brown sugar"] {
            assert!(text.contains(part), "{part}: {text}");
        }
    }
}

#[cfg(test)]
mod cross_check_tests {
    use super::*;

    #[test]
    fn json_ld_article_body_widens_a_choice_that_holds_little_of_it() {
        let paragraph = "Officials said the bridge would reopen in spring, after the repairs, inspections and a final review.";
        let items: Vec<String> = (0..30)
            .map(|i| {
                format!(
                    "Step {i} of the plan covers the northern pier {}",
                    "and its footings ".repeat(3)
                )
            })
            .collect();
        let list: String = items
            .iter()
            .map(|t| format!("<li><a href='/x'>{t}</a></li>"))
            .collect();
        let html = format!(
            "<body><div id='story'><div id='text'><p>{paragraph}</p><p>{paragraph}</p></div><ul>{list}</ul></div></body>"
        );
        let article_body = format!("{paragraph} {}", items.join(" "));
        let dom = test_support::parse(&html);
        let plain = extract(&dom.document, &Default::default(), None, None, false);
        assert_eq!(dom::attr(&plain.root, "id").as_deref(), Some("text"));
        let checked = extract(
            &dom.document,
            &Default::default(),
            Some(&article_body),
            None,
            true,
        );
        assert_eq!(
            dom::attr(&checked.root, "id").as_deref(),
            Some("story"),
            "{}",
            checked.explanation
        );
    }
}

#[cfg(test)]
mod robustness_tests {
    use super::*;

    #[test]
    fn odd_pages_never_panic() {
        let wide = format!("<body>{}</body>", "<p>a, b. c</p>".repeat(20_000));
        let inputs = [
            "",
            "plain text, no markup at all, but a sentence.",
            "<html></html>",
            "<frameset><frame src=a></frameset>",
            "<body><article></article><article></article></body>",
            "<body><p>,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,</p></body>",
            "<svg><title>x</title></svg><table><td><table><td>deep, deeper.</td></table></td></table>",
            &wide,
        ];
        for input in inputs {
            let dom = test_support::parse(input);
            let extraction = extract(&dom.document, &Default::default(), None, None, true);
            assert!(!extraction.explanation.is_empty());
            let page = metadata::read(&dom::descendants(&dom.document), &|u| u.to_string());
            let _ = extract(
                &dom.document,
                &Default::default(),
                page.article_body.as_deref(),
                page.meta.description.as_deref(),
                false,
            );
        }
    }
}
