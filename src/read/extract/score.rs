//! Measuring a page: one table row per visible element with how much text it holds, how much
//! of that is link text, and how much reads as prose. Built with one iterative walk and one
//! bottom-up pass, so every later question ("how good is this container?") is a lookup.
//!
//! A *text block* is an element that is not inline and holds inline text of its own (a `p`, a
//! `li`, a `td`, a `div` with bare text). Each block is judged on its own text: prose (long, or
//! sentence-like and not mostly links) counts as *good*; link text and short fragments count as
//! *noise*. A container's value is its good text minus its noise, so the container that
//! maximises it holds the article and as little else as possible (merging sibling parts of a
//! split article for free, since their common parent then scores higher).

use super::hints::{Hint, HintCache};
use crate::dom::{
    attr, count_text, is_heading_tag, is_hidden, is_inline_tag, is_invisible_tag, CompactRows,
    SENTENCE_CHARS,
};
use html5ever::LocalName;
use markup5ever_rcdom::{Handle, NodeData};

/// A block with at least this many characters of non-link text is prose whatever it ends with.
const PROSE_CHARS: f32 = 80.0;
/// How much a character of short non-prose text (labels, dates, buttons) counts as noise.
const FRAGMENT_NOISE: f32 = 0.3;

/// Elements whose whole content is chrome however it reads.
pub fn is_chrome_tag(name: &str) -> bool {
    matches!(name, "nav" | "aside" | "footer" | "form" | "menu")
}

/// One visible element and what it holds.
#[derive(Debug, Clone)]
pub struct Row {
    pub handle: Handle,
    /// The row of the parent element (`None` for the top).
    pub parent: Option<usize>,
    pub depth: u32,
    pub name: LocalName,
    pub hint: Hint,
    /// Its class or id says caption.
    pub hint_caption: bool,
    /// An inline element (its text belongs to the enclosing block).
    pub inline: bool,
    /// `itemprop="articleBody"` or `role="main"`/`"article"`: the page says this is it.
    pub marked_main: bool,
    /// Inside a chrome element or one whose names say chrome (then its text is all noise).
    pub in_chrome: bool,
    /// All visible characters below (whitespace runs count once).
    pub chars: f32,
    /// Characters inside links.
    pub link_chars: f32,
    /// Characters of inline text directly in this element (not inside child blocks).
    pub own_chars: f32,
    pub own_link_chars: f32,
    pub own_commas: f32,
    pub own_stops: f32,
    /// Text judged as prose, below and including this element.
    pub good: f32,
    /// Text judged as link lists and fragments, below and including this element.
    pub noise: f32,
    /// Prose in this element's own text (0 unless it is a prose block itself).
    pub own_good: f32,
    /// Prose credited from the blocks close below: in full from its own children's text,
    /// half from grandchildren's, less from further down. High for the element that holds a
    /// run of paragraphs, low for a list of teasers that each hold one.
    pub dense: f32,
    /// The highest [`Table::density_score`] at or below this element.
    pub max_dense_below: f32,
    /// Paragraph-like blocks below (prose blocks).
    pub paragraphs: u32,
    /// Images, figures, tables, code blocks below: things that are never noise in an article.
    pub media: u32,
    /// Headings, lists, quotes at or below: structure worth keeping even when short.
    pub structure: u32,
    pub last_descendant: usize,
    /// A row compacted by the parser (see `dom::compact`) holds its cells as text:
    /// their visible characters, all cells and `td`s alone. The cells are short fragments by
    /// construction, so these two numbers are all their measurement needs.
    pub compact_cell_chars: f32,
    pub compact_td_chars: f32,
}

impl Row {
    /// The element's tag name.
    pub fn tag(&self) -> &str {
        &self.name
    }

    pub fn link_density(&self) -> f32 {
        if self.chars <= 0.0 {
            0.0
        } else {
            self.link_chars / self.chars
        }
    }

    /// Good text minus noise: how much of an article this element is.
    pub fn value(&self) -> f32 {
        self.good - self.noise
    }
}

/// The measured page.
#[derive(Debug, Default)]
pub struct Table {
    pub rows: Vec<Row>,
}

impl Table {
    /// Measures every visible element below `root` (hidden and never-shown elements, and
    /// everything inside them, get no row); `compact` holds the table rows compacted in it.
    pub fn measure(root: &Handle, compact: &CompactRows) -> Table {
        let mut rows = collect_rows(root, compact);
        // Bottom-up (children come after their parent, so the reverse order sees every child
        // first): inline elements hand their text to the enclosing block; note which elements
        // hold content-marked elements or paragraphs.
        let mut protected = vec![false; rows.len()];
        let mut total = vec![0.0f32; rows.len()];
        let mut holds_paragraph = vec![false; rows.len()];
        for i in (0..rows.len()).rev() {
            let row = &rows[i];
            // Only strong marks protect: words like "content" or "text" are common in
            // comment sections too.
            let self_protects =
                (matches!(row.tag(), "article" | "main") && !row.hint.negative) || row.marked_main;
            let protects = self_protects || protected[i];
            let paragraph = row.tag() == "p" || holds_paragraph[i];
            let inline = row.inline;
            let own = (
                row.own_chars,
                row.own_link_chars,
                row.own_commas,
                row.own_stops,
            );
            if !inline {
                total[i] += own.0;
            }
            if let Some(p) = row.parent {
                total[p] += total[i];
                protected[p] |= protects;
                holds_paragraph[p] |= paragraph;
                if inline {
                    let pr = &mut rows[p];
                    pr.own_chars += own.0;
                    pr.own_link_chars += own.1;
                    pr.own_commas += own.2;
                    pr.own_stops += own.3;
                }
            }
        }
        // Top-down (parents first): what is chrome. Names alone never make chrome of a
        // container that holds a content-marked element, nor of one holding half the page
        // (page builders name every wrapper "widget"), nor of the page's outer elements.
        let page = total.first().copied().unwrap_or(0.0);
        // The text of the nearest element the page marks as its article (`<article>`,
        // `<main>`, `articleBody`, role main): inside it, a chrome name on an element that
        // holds most of that text names a layout ("c-fixed-sidebar-layout", "has-sidebar"),
        // not a sidebar.
        let mut article_text = vec![0.0f32; rows.len()];
        for i in 0..rows.len() {
            let row = &rows[i];
            let marks_article =
                (matches!(row.tag(), "article" | "main") && !row.hint.negative) || row.marked_main;
            article_text[i] = if marks_article {
                total[i]
            } else {
                row.parent.map_or(0.0, |p| article_text[p])
            };
        }
        for i in 0..rows.len() {
            let parent_chrome = rows[i].parent.is_some_and(|p| rows[p].in_chrome);
            let row = &rows[i];
            let in_quote = row
                .parent
                .is_some_and(|p| matches!(rows[p].tag(), "blockquote" | "figure"));
            let by_tag = match row.tag() {
                "form" => !holds_paragraph[i],
                // A quote's or figure's footer is its citation.
                "footer" if in_quote => false,
                name => is_chrome_tag(name),
            };
            // Words in a paragraph's sentence ("<span class=dateline>KOBE –</span> A
            // total of…") are the paragraph's, whatever their names.
            let in_sentence = row.inline
                && row.parent.is_some_and(|p| {
                    rows[p].tag() == "p" && rows[p].own_chars > 2.0 * row.own_chars
                });
            let by_name = row.hint.negative
                && !row.hint.positive
                && !in_sentence
                && !protected[i]
                && total[i] < 0.5 * page
                && (row.hint.strong || total[i] < 0.5 * article_text[i] || article_text[i] <= 0.0)
                && !matches!(row.tag(), "html" | "body" | "main" | "article");
            rows[i].in_chrome = parent_chrome || by_tag || by_name;
        }
        // Bottom-up: judge each block's own text, then add everything up.
        for i in (0..rows.len()).rev() {
            let inline = rows[i].inline;
            if !inline {
                judge_block(&mut rows[i]);
            }
            let row = &mut rows[i];
            if row.compact_cell_chars > 0.0 {
                // What each cell's own judgement (`judge_block`, a fragment) would add.
                row.chars += row.compact_cell_chars;
                row.noise += if row.in_chrome {
                    row.compact_cell_chars
                } else {
                    FRAGMENT_NOISE * row.compact_td_chars
                };
            }
            row.chars += row.own_chars;
            row.link_chars += row.own_link_chars;
            let Some(p) = row.parent else { continue };
            // An inline element's own text already went to its block.
            let (chars, link) = if inline {
                (
                    row.chars - row.own_chars,
                    row.link_chars - row.own_link_chars,
                )
            } else {
                (row.chars, row.link_chars)
            };
            let (good, noise, paras, media, structure, last) = (
                row.good,
                row.noise,
                row.paragraphs,
                row.media,
                row.structure,
                row.last_descendant,
            );
            let pr = &mut rows[p];
            pr.chars += chars;
            pr.link_chars += link;
            pr.good += good;
            pr.noise += noise;
            pr.paragraphs += paras;
            pr.media += media;
            pr.structure += structure;
            pr.last_descendant = pr.last_descendant.max(last);
        }
        // Paragraph runs: credit each prose block's text to the elements just above it.
        for i in 0..rows.len() {
            let own = rows[i].own_good;
            if own <= 0.0 {
                continue;
            }
            // A `div` of bare text (lines split by `<br>`) is its own paragraph run.
            if matches!(
                rows[i].tag(),
                "div" | "section" | "article" | "main" | "td" | "dd"
            ) {
                rows[i].dense += own;
            }
            let mut ancestor = rows[i].parent;
            for level in 1..=5u8 {
                let Some(a) = ancestor else { break };
                let divider = match level {
                    1 => 1.0,
                    2 => 2.0,
                    _ => 3.0 * f32::from(level - 1),
                };
                rows[a].dense += own / divider;
                ancestor = rows[a].parent;
            }
        }
        let mut table = Table { rows };
        for i in (0..table.rows.len()).rev() {
            let own = table.density_score(i);
            let row = &mut table.rows[i];
            row.max_dense_below = row.max_dense_below.max(own);
            let (best, parent) = (row.max_dense_below, row.parent);
            if let Some(p) = parent {
                let pr = &mut table.rows[p];
                pr.max_dense_below = pr.max_dense_below.max(best);
            }
        }
        table
    }

    /// How strongly a row looks like the article's own container: its paragraph run, less
    /// the part that is links.
    pub fn density_score(&self, index: usize) -> f32 {
        let Some(row) = self.rows.get(index) else {
            return 0.0;
        };
        let mut score = row.dense * (1.0 - row.link_density());
        if row.hint.positive && !row.hint.negative {
            score *= 1.1;
        } else if row.hint.negative && !row.hint.positive {
            score *= 0.5;
        }
        score
    }

    /// The rows whose parent is `index`, in document order.
    pub fn children(&self, index: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let Some(row) = self.rows.get(index) else {
            return out;
        };
        let mut i = index + 1;
        while i <= row.last_descendant && i < self.rows.len() {
            out.push(i);
            i = self.rows[i].last_descendant + 1;
        }
        out
    }

    /// Whether `inner` is `outer` or below it.
    pub fn contains(&self, outer: usize, inner: usize) -> bool {
        self.rows
            .get(outer)
            .is_some_and(|o| inner >= outer && inner <= o.last_descendant)
    }

    /// A short human name for an element: `div#main.article-body`.
    pub fn describe(&self, index: usize) -> String {
        let Some(row) = self.rows.get(index) else {
            return String::new();
        };
        let mut out = row.tag().to_string();
        if let Some(id) = attr(&row.handle, "id").filter(|s| !s.trim().is_empty()) {
            out.push('#');
            out.push_str(id.trim());
        }
        if let Some(class) = attr(&row.handle, "class") {
            for c in class.split_whitespace().take(3) {
                out.push('.');
                out.push_str(c);
            }
        }
        out
    }
}

/// Whether a section's id is its heading's words, three or more ("more-on-lists" for "5.1.
/// More on Lists", as documentation generators name sections): an anchor named after the
/// heading, which says nothing of chrome ("more", "tools", "next steps" would). A shorter
/// id may be a role ("comments", "related-posts"), and stays read.
fn id_names_its_heading(section: &Handle, id: &str) -> bool {
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let id_words = words(id);
    if id_words.len() < 3 {
        return false;
    }
    // The first element child that is not an empty anchor: the section's heading.
    let children = section.children.borrow();
    let Some(heading) = children
        .iter()
        .find(|c| matches!(&c.data, NodeData::Element { .. }) && !c.children.borrow().is_empty())
    else {
        return false;
    };
    if !crate::dom::tag_name(heading).is_some_and(crate::dom::is_heading_tag) {
        return false;
    }
    let heading_words = words(&crate::dom::text_content(heading));
    heading_words
        .windows(id_words.len())
        .any(|window| window == id_words.as_slice())
}

/// One row per visible element, in document order, with the text directly inside it.
fn collect_rows(root: &Handle, compact: &CompactRows) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut hints = HintCache::default();
    // (node, parent row, inside a link)
    let mut stack: Vec<(Handle, Option<usize>, bool)> = vec![(root.clone(), None, false)];
    while let Some((node, parent, in_link)) = stack.pop() {
        match &node.data {
            NodeData::Text { contents } => {
                let Some(row) = parent.and_then(|p| rows.get_mut(p)) else {
                    continue;
                };
                let (chars, commas, stops) = count_text(&contents.borrow());
                row.own_chars += chars;
                row.own_commas += commas;
                row.own_stops += stops;
                if in_link {
                    row.own_link_chars += chars;
                }
            }
            NodeData::Element { name, attrs, .. } => {
                let name = name.local.clone();
                if is_invisible_tag(&name) || is_hidden(&node) {
                    continue;
                }
                let (mut class, mut id, mut role, mut itemprop) = ("", "", "", "");
                let mut has_href = false;
                let attrs = attrs.borrow();
                for a in attrs.iter().filter(|a| a.name.prefix.is_none()) {
                    match &*a.name.local {
                        "class" => class = &a.value,
                        "id" => id = &a.value,
                        "role" => role = &a.value,
                        "itemprop" => itemprop = &a.value,
                        "href" => has_href = true,
                        _ => {}
                    }
                }
                // A heading's id is an anchor named after its text ("nav_nur_die_folie",
                // "what-are-you-looking-forward-to-next"), and so is a definition term's (an
                // API entry's `print`, `object.__next__`): it says nothing of chrome.
                if crate::dom::is_heading_tag(&name)
                    || &*name == "dt"
                    || (&*name == "section" && id_names_its_heading(&node, id))
                {
                    id = "";
                }
                let (hint, hint_caption) = hints.hint(class, id, role, itemprop);
                let marked_main = itemprop.contains("articleBody")
                    || role
                        .split_whitespace()
                        .any(|r| r == "main" || r == "article");
                drop(attrs);
                let index = rows.len();
                let depth = parent.and_then(|p| rows.get(p)).map_or(0, |r| r.depth + 1);
                let media = u32::from(matches!(
                    &*name,
                    "img" | "picture" | "table" | "pre" | "figure" | "video" | "math"
                ));
                // An `<a>` without `href` is an anchor to link to, not a link.
                let link = in_link || (&*name == "a" && has_href);
                rows.push(Row {
                    handle: node.clone(),
                    parent,
                    depth,
                    hint,
                    hint_caption,
                    marked_main,
                    inline: is_inline_tag(&name),
                    in_chrome: false,
                    chars: 0.0,
                    link_chars: 0.0,
                    own_chars: 0.0,
                    own_link_chars: 0.0,
                    own_commas: 0.0,
                    own_stops: 0.0,
                    good: 0.0,
                    noise: 0.0,
                    own_good: 0.0,
                    dense: 0.0,
                    max_dense_below: 0.0,
                    paragraphs: 0,
                    media,
                    structure: u32::from(matches!(
                        &*name,
                        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "blockquote" | "dl"
                    )),
                    last_descendant: index,
                    compact_cell_chars: 0.0,
                    compact_td_chars: 0.0,
                    name,
                });
                let row = &mut rows[index];
                let compacted = compact.for_each_cell(&node, |is_th, text| {
                    let chars = count_text(text).0;
                    row.compact_cell_chars += chars;
                    if !is_th {
                        row.compact_td_chars += chars;
                    }
                });
                if compacted {
                    // Its one text node is the cells' text, measured above.
                    continue;
                }
                for child in node.children.borrow().iter().rev() {
                    stack.push((child.clone(), Some(index), link));
                }
            }
            NodeData::Document => {
                for child in node.children.borrow().iter().rev() {
                    stack.push((child.clone(), parent, in_link));
                }
            }
            _ => {}
        }
    }
    rows
}

/// Judges a block's own inline text as prose (good) or fragments and links (noise).
fn judge_block(row: &mut Row) {
    let own = row.own_chars;
    if own <= 0.0 {
        return;
    }
    let link = row.own_link_chars.min(own);
    let plain = own - link;
    if row.in_chrome {
        row.noise += own;
        return;
    }
    if is_heading_tag(row.tag())
        || matches!(
            row.tag(),
            "figcaption" | "caption" | "th" | "pre" | "code" | "dt"
        )
    {
        // Structure or captions: neither article nor chrome by its text alone.
        row.noise += link;
        return;
    }
    let sentence = row.own_stops > 0.0 || row.own_commas > 0.0;
    if plain >= PROSE_CHARS || (plain >= SENTENCE_CHARS && sentence) {
        row.good += plain + 10.0 * row.own_commas.min(plain / 20.0);
        row.own_good = row.good;
        row.noise += link;
        row.paragraphs += 1;
    } else {
        row.noise += link + FRAGMENT_NOISE * plain;
    }
}
