//! Pruning inside the chosen container: what is left of the page's chrome (share bars,
//! "related" boxes, link lists, in-article promos, bylines marked as such), judged by the same
//! measurements that chose the container. Figures, tables, code, lists and quotes that read as
//! part of the article stay.

use super::score::Table;
use crate::dom::{is_inline_tag, text_content};
use crate::model::collapse_whitespace;
use markup5ever_rcdom::{Handle, NodeData};

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
    /// A short line that is page furniture whatever its markup: a copyright or timestamp
    /// line, a share/like/comment prompt, the heading of a "related" or newsletter box.
    Boilerplate,
    /// A heading with nothing left under it: the title of a box pruned
    /// below it, or the last thing in the article.
    Orphan,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Chrome => "chrome (tag or class/id names)",
            Reason::LinkList => "mostly links",
            Reason::Fragments => "short fragments, no prose",
            Reason::NotArticle => "beside the article, not part of it",
            Reason::Duplicate => "repeats an earlier block",
            Reason::Boilerplate => {
                "a boilerplate line (copyright, timestamp, share or related prompt)"
            }
            Reason::Orphan => "a heading with nothing kept under it",
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
    let in_recipe = recipe_data_rows(table, root, end);
    let in_table = table_data_rows(table, root, end);
    let mut i = root + 1;
    while i <= end {
        let Some(row) = table.rows.get(i) else { break };
        if already.contains(&i) {
            i = row.last_descendant + 1;
        } else if in_recipe[i - root] || in_table[i - root] {
            // An ingredient's parts ("1/4", "cup butter") are fragments and look like a
            // date by measure; inside a recipe's data only chrome goes. So inside a table
            // of the article: a cell of links (an index of API entries) is its data.
            if row.in_chrome {
                out.push((i, Reason::Chrome));
                i = row.last_descendant + 1;
            } else {
                i += 1;
            }
        } else if let Some(reason) = judge(table, i)
            .or_else(|| boilerplate(table, i))
            .or_else(|| duplicate(table, i, &mut seen_texts))
        {
            out.push((i, reason));
            i = row.last_descendant + 1;
        } else if row.tag() == "pre" {
            // Code is verbatim: a word or number of it ("print", "3.14") is no line of page
            // furniture, whatever it would be alone.
            i = row.last_descendant + 1;
        } else {
            i += 1;
        }
    }
    let orphans = orphan_headings(table, root, &already, &out);
    out.extend(orphans);
    out
}

/// For the rows `root..=end` (indexed from `root`), whether each is a recipe's data or inside
/// it: its ingredients, times or nutrition as the page names them (see
/// [`super::hints::Hint::recipe_data`]), not named chrome and not a list of links.
fn recipe_data_rows(table: &Table, root: usize, end: usize) -> Vec<bool> {
    let mut in_recipe = vec![false; end + 1 - root];
    for i in root + 1..=end {
        let Some(row) = table.rows.get(i) else { break };
        let inherited = row
            .parent
            .is_some_and(|p| p > root && p <= end && in_recipe[p - root]);
        in_recipe[i - root] =
            inherited || row.hint.recipe_data && !row.hint.negative && row.link_density() < 0.5;
    }
    in_recipe
}

/// For the rows `root..=end` (indexed from `root`), whether each is inside a table that is
/// inside the article (not the table the article is laid out in, which holds `root`).
fn table_data_rows(table: &Table, root: usize, end: usize) -> Vec<bool> {
    let mut in_table = vec![false; end + 1 - root];
    for i in root + 1..=end {
        let Some(row) = table.rows.get(i) else { break };
        in_table[i - root] = row.parent.is_some_and(|p| {
            p > root && p <= end && (in_table[p - root] || table.rows[p].tag() == "table")
        });
    }
    in_table
}

/// Longest heading (in characters) taken for a box's title.
const ORPHAN_CHARS: f32 = 100.0;

/// Headings whose section (up to the next heading of the same rank or higher, or the
/// article's end) keeps nothing: no text, no picture or table, only what was
/// pruned. They title a box that went ("Related", "Kategorien", "Weitere Informationen:")
/// or are left over at the article's end ("Kommentieren" above a login link). A heading
/// followed at once by another of its rank is a section without text, and stays.
fn orphan_headings(
    table: &Table,
    root: usize,
    already: &std::collections::HashSet<usize>,
    pruned: &[(usize, Reason)],
) -> Vec<(usize, Reason)> {
    let mut out = Vec::new();
    let Some(root_row) = table.rows.get(root) else {
        return out;
    };
    let end = root_row.last_descendant;
    let mut left_out: std::collections::HashMap<usize, usize> = pruned
        .iter()
        .map(|&(i, _)| (i, table.rows[i].last_descendant))
        .collect();
    for &i in already {
        if let Some(row) = table.rows.get(i) {
            left_out.insert(i, row.last_descendant);
        }
    }
    let mut i = root + 1;
    while i <= end {
        let Some(row) = table.rows.get(i) else { break };
        if let Some(&last) = left_out.get(&i) {
            i = last + 1;
            continue;
        }
        let Some(rank) = heading_rank(table, i) else {
            i += 1;
            continue;
        };
        // Bare text around the heading in a block above it belongs to no row after it.
        let text_around = ancestors(table, i, root).any(|a| table.rows[a].own_chars > 0.0);
        if !text_around && section_is_empty(table, row.last_descendant + 1, end, rank, &left_out) {
            out.push((i, Reason::Orphan));
        }
        i = row.last_descendant + 1;
    }
    out
}

/// A short heading's rank (1 for `h1` to 6 for `h6`). A heading that is a sentence (a pull
/// quote set as `h4`, ending with a full stop) is the article's text, never a box's title.
fn heading_rank(table: &Table, index: usize) -> Option<u8> {
    let row = table.rows.get(index)?;
    if row.chars <= 0.0 || row.chars > ORPHAN_CHARS || row.media > 0 {
        return None;
    }
    let level = row.tag().strip_prefix('h')?.parse::<u8>().ok()?;
    if !(1..=6).contains(&level) {
        return None;
    }
    let text = collapse_whitespace(&text_content(&row.handle));
    (!text.trim_end().ends_with('.')).then_some(level)
}

/// The rows strictly above `index`, up to (not including) `root`.
fn ancestors(table: &Table, index: usize, root: usize) -> impl Iterator<Item = usize> + '_ {
    std::iter::successors(table.rows[index].parent, |&p| table.rows[p].parent)
        .take_while(move |&p| p != root)
}

/// Whether the rows from `start` on, up to the next heading of `rank` or higher (or `end`),
/// keep nothing, and something was left out of them or they reach the article's end.
fn section_is_empty(
    table: &Table,
    start: usize,
    end: usize,
    rank: u8,
    left_out: &std::collections::HashMap<usize, usize>,
) -> bool {
    let mut j = start;
    let mut dropped = false;
    while j <= end {
        let Some(row) = table.rows.get(j) else { break };
        if let Some(&last) = left_out.get(&j) {
            dropped |= row.chars > 0.0 || row.media > 0;
            j = last + 1;
            continue;
        }
        if heading_rank(table, j).is_some_and(|r| r <= rank) {
            return dropped;
        }
        if matches!(
            row.tag(),
            "img"
                | "picture"
                | "figure"
                | "video"
                | "audio"
                | "iframe"
                | "svg"
                | "math"
                | "table"
                | "pre"
                | "canvas"
                | "object"
                | "embed"
        ) || (!row.inline && (row.own_chars > 0.0 || row.compact_cell_chars > 0.0))
        {
            return false;
        }
        j += 1;
    }
    true
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
        && !is_short_sentence(row)
    {
        return Some(Reason::Fragments);
    }
    None
}

/// Whether a block too short to count as prose is still one sentence of it, not a label:
/// three words or more without a link, from a capital to a full stop ("New in version
/// 3.3." under an API entry), or to a colon when what it introduces follows ("The possible
/// options are:" before a list). Labels and buttons have no stop ("Advertisement",
/// "Share"), and an ellipsis ("Loading…") is none.
///
/// Tutorials break their sentences around code, each piece in a box of its own (AsciiDoc's
/// `div.paragraph`): "or:" between two commands, "At any point you can view the history
/// using" before one, "will show this." after one. Before code, a lead-in ending in a colon
/// or of three words or more is one; after it, three words or more going on in lower case.
fn is_short_sentence(row: &super::score::Row) -> bool {
    if row.link_chars > 0.0 {
        return false;
    }
    let text = collapse_whitespace(&text_content(&row.handle));
    let text = text.trim();
    let words = text.split_whitespace().count();
    let capital = text.chars().next().is_some_and(char::is_uppercase);
    let lower = text.chars().next().is_some_and(char::is_lowercase);
    let controls = || {
        crate::dom::descendants(&row.handle).iter().any(|node| {
            matches!(
                crate::dom::tag_name(node),
                Some("button" | "input" | "select" | "textarea")
            )
        })
    };
    let is_code = |block: &Option<Handle>| {
        block
            .as_ref()
            .is_some_and(|b| crate::dom::tag_name(b) == Some("pre"))
    };
    let next = introduced_block(&row.handle, Side::After);
    if (text.ends_with(':') || words >= 3) && words > 0 && is_code(&next) && !controls() {
        return true;
    }
    if words >= 3 && lower && is_code(&introduced_block(&row.handle, Side::Before)) && !controls() {
        return true;
    }
    if words < 3 || !capital {
        return false;
    }
    (text.ends_with('.') || text.ends_with('!') || text.ends_with('?')) && !text.ends_with("..")
        || text.ends_with(':') && next.is_some()
}

/// Which side of a node [`introduced_block`] looks at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Before,
    After,
}

/// The thing next to `node` on `side` that shows (past white space), if it is one that a
/// sentence ending in a colon introduces: a list, a table, code or a quote, perhaps inside
/// wrappers of its own (`<div class="listingblock"><div class="content"><pre>`). Text, a
/// heading or a form is not.
fn introduced_block(node: &Handle, side: Side) -> Option<Handle> {
    let mut next = match side {
        Side::After => crate::dom::next_significant_sibling(node),
        Side::Before => crate::dom::previous_significant_sibling(node),
    };
    // A few levels of wrappers at most.
    for _ in 0..4 {
        let thing = next?;
        match crate::dom::tag_name(&thing)? {
            "ul" | "ol" | "dl" | "table" | "pre" | "blockquote" => return Some(thing),
            "div" | "section" => {
                next = match side {
                    Side::After => crate::dom::first_significant_child(&thing),
                    Side::Before => crate::dom::last_significant_child(&thing),
                }
            }
            _ => return None,
        }
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

/// Longest text (in characters) a boilerplate line may have: furniture lines are short, and a
/// sentence of the article that happens to start like one ("Copyright law says ...") is not.
const BOILERPLATE_CHARS: f32 = 100.0;

/// Whether a short block (no prose blocks inside) reads as page furniture: the same few
/// phrases recur across sites and languages, whatever the markup around them.
fn boilerplate(table: &Table, index: usize) -> Option<Reason> {
    let row = table.rows.get(index)?;
    // An inline element is judged as a line when it can be one: a link alone on its line; a
    // span, small or time alone on its line, or anywhere but in a heading or an API
    // signature, where it is a part of their words (a section number, a name). A byline's
    // spans ("Posted by" + a name + a time) are furniture wherever they stand.
    let judged = match row.tag() {
        "a" => lone_line(table, index),
        "span" | "small" | "time" => lone_line(table, index) || !in_heading_or_term(table, index),
        _ => false,
    };
    if row.inline && !judged {
        return None;
    }
    // Cells and list items are data (a date column, an ingredient), not furniture.
    if matches!(
        row.tag(),
        "td" | "th" | "li" | "dd" | "dt" | "tr" | "tbody" | "table"
    ) {
        return None;
    }
    if row.chars <= 0.0 || row.chars > NOTICE_CHARS || row.paragraphs > 1 || row.media > 0 {
        return None;
    }
    let text = collapse_whitespace(&text_content(&row.handle)).to_lowercase();
    let text = text.trim();
    if row.chars > BOILERPLATE_CHARS {
        return NOTICE_OPENINGS
            .iter()
            .any(|o| text.starts_with(o))
            .then_some(Reason::Boilerplate);
    }
    is_boilerplate_line(text).then_some(Reason::Boilerplate)
}

/// Longest text (in characters) of a notice that [`NOTICE_OPENINGS`] open: a sentence or two.
const NOTICE_CHARS: f32 = 250.0;

/// Openings (lowercase) of the site's notices set in an article, a sentence or two long:
/// a paywall's offer, a disclaimer, an embed's privacy notice, a follow-us line. No
/// sentence of an article opens like them, so they may be longer than a furniture line.
const NOTICE_OPENINGS: &[&str] = &[
    "to view the full story",
    "síguenos en",
    "siguenos en",
    "dieser beitrag gibt die meinung",
    "wir respektieren deine privatsphäre",
    "wir respektieren ihre privatsphäre",
];

/// Most nodes beside a link (tags and text runs) for it to be a line of its own.
const MAX_LONE_LINK_SIBLINGS: usize = 64;

/// Whether an inline element (a link, a span) is a line of its own: between blocks (or its
/// block's edges) with no other text beside it ("zurück zur Listenansicht" under the last
/// paragraph, "Rezept drucken", a date), judged like a block. Only blank inline neighbours
/// (an icon, the whitespace between tags) may share its line.
fn lone_line(table: &Table, index: usize) -> bool {
    let Some(row) = table.rows.get(index) else {
        return false;
    };
    let Some(parent) = row.parent.and_then(|p| table.rows.get(p)) else {
        return false;
    };
    if parent.inline {
        return false;
    }
    let siblings = parent.handle.children.borrow();
    // A line of its own has few neighbours; a block of many (prose with thousands of links)
    // is not searched, which would take time in the square of their number.
    if siblings.len() > MAX_LONE_LINK_SIBLINGS {
        return false;
    }
    let Some(at) = siblings
        .iter()
        .position(|c| std::rc::Rc::ptr_eq(c, &row.handle))
    else {
        return false;
    };
    let is_block = |n: &Handle| matches!(&n.data, NodeData::Element { name, .. } if !is_inline_tag(&name.local));
    let blank = |n: &Handle| match &n.data {
        NodeData::Text { contents } => contents.borrow().trim().is_empty(),
        NodeData::Element { .. } => text_content(n).trim().is_empty(),
        _ => true,
    };
    let before = siblings[..at].iter().rev().take_while(|n| !is_block(n));
    let after = siblings[at + 1..].iter().take_while(|n| !is_block(n));
    before.chain(after).all(blank)
}

/// Whether an inline element's block (its nearest ancestor that is no inline element) is a
/// heading or a definition term (an API entry's signature).
fn in_heading_or_term(table: &Table, index: usize) -> bool {
    let mut at = table.rows.get(index).and_then(|row| row.parent);
    while let Some(row) = at.and_then(|i| table.rows.get(i)) {
        if !row.inline {
            return matches!(row.tag(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dt");
        }
        at = row.parent;
    }
    false
}

/// Phrases that open a line of page furniture (lowercase). Kept to phrases that a sentence
/// of an article rarely opens with, in the languages the corpus pages are written in.
const BOILERPLATE_OPENINGS: &[&str] = &[
    "©",
    "copyright",
    "all rights reserved",
    "alle rechte vorbehalten",
    "tous droits réservés",
    "todos los derechos reservados",
    "comments are closed",
    "comments closed",
    "leave a comment",
    "leave a reply",
    "kommentar verfassen",
    "kommentare geschlossen",
    "share this",
    "share on",
    "like this:",
    "teilen mit:",
    "diese seite teilen",
    "artikel teilen",
    "sharing is caring",
    "gefällt mir",
    "related posts",
    "related articles",
    "related stories",
    "you may also like",
    "you might also like",
    "read more:",
    "mehr zum thema",
    "auch interessant",
    "lesen sie auch",
    "das könnte sie auch interessieren",
    "schon gelesen",
    "temas relacionados",
    "te puede interesar",
    "lire aussi",
    "à lire aussi",
    "sign up for our newsletter",
    "subscribe to our newsletter",
    "newsletter abonnieren",
    "suscríbete a nuestro newsletter",
    "rezept drucken",
    "print recipe",
    "[edit]",
    "[bearbeiten",
    "[modifier",
    // Rating, login and comment prompts.
    "wie bewerten sie",
    "artikel bewerten",
    "rate this article",
    "was this article helpful",
    "war dieser artikel hilfreich",
    "sie müssen sich einloggen",
    "sie müssen angemeldet sein",
    "sie sind aktuell nicht eingeloggt",
    "bitte registrieren sie sich",
    "bitte melden sie sich an",
    "you must be logged in",
    "you must log in",
    "log in to comment",
    "view comments",
    "write a comment",
    "kommentar schreiben",
    "this entry was posted",
    "dieser eintrag wurde veröffentlicht",
    // Subscription, donation and follow offers.
    "never miss",
    "subscribe now",
    "subscribe to",
    "to view the full story",
    "support our journalism",
    "jede kleine spende",
    "jetzt spenden",
    "jetzt abonnieren",
    "newsletter bestellen",
    "follow us on",
    "folgen sie uns",
    "folge uns",
    "síguenos en",
    "siguenos en",
    "suivez-nous",
    "artikel gefallen?",
    // Headings of recirculation boxes.
    "ähnliche beiträge",
    "ähnliche artikel",
    "weitere beiträge",
    "das könnte dich auch interessieren",
    "most read",
    "most popular",
    "meistgelesen",
    "lo más leído",
    "lo último",
    "puedes ver:",
    "热门推荐",
    "相关阅读",
    "zurück zur listenansicht",
    "zurück zur übersicht",
    "back to overview",
    "zum vergrößern",
    "click to enlarge",
    // A source line under a press release ("Quelle: Deutscher Jagdverband, 2. Februar").
    "quelle:",
    // Blog platforms' post footers ("Eingestellt von NAME um 21:11").
    "eingestellt von",
    "posted by",
];

/// Whole lines (lowercase, trailing punctuation aside) that are furniture: words that open
/// many sentences too, so only alone on their line.
const BOILERPLATE_LINES: &[&str] = &[
    "anzeige",
    "- anzeige-",
    "- anzeige -",
    "werbung",
    "advertisement",
    "kommentieren",
    "kommentare",
    "comments",
    "teilen",
    "drucken",
    "rezept drucken",
    "print recipe",
    "print",
    "imprimer",
    "imprimir",
    "view comments",
    "show comments",
    "add a comment",
    "post a comment",
    "write a comment",
    "kommentar schreiben",
];

/// Whether a (lowercase, trimmed) short line is furniture: an opening from the list, or a
/// line that is nothing but a date or time ("05:28 uhr", "january 13", "12.03.2021").
fn is_boilerplate_line(text: &str) -> bool {
    if text.is_empty() {
        return false;
    }
    if BOILERPLATE_OPENINGS.iter().any(|o| text.starts_with(o)) {
        return true;
    }
    let bare = text.trim_end_matches([':', '.', '!', ' ']);
    if BOILERPLATE_LINES.contains(&bare) {
        return true;
    }
    if text
        .strip_suffix(':')
        .is_some_and(|label| LABEL_LINES.contains(&label.trim_end()))
    {
        return true;
    }
    is_timestamp(text)
        || DATED_OPENINGS.iter().any(|opening| {
            text.strip_prefix(opening).is_some_and(|rest| {
                is_timestamp(rest.trim_start_matches([':', ' ']).trim_end_matches('.'))
            })
        })
}

/// Labels (lowercase, before the colon that must follow them) that head a box of page
/// furniture at an article's end: its contacts, further reading, sources, tags. Alone on
/// their line and with the colon; the box's own lines are judged on their own.
const LABEL_LINES: &[&str] = &[
    "kontakt",
    "pressekontakt",
    "weitere informationen",
    "zusatzinformationen",
    "weiterlesen",
    "zum weiterlesen",
    "quellenangaben",
    "auch lesen",
    "getaggt mit",
    "gefördert durch",
    "tags",
    "etiquetas",
    "schlagwörter",
    "further reading",
    "more information",
];

/// Openings of a line that states when the page was published or changed, followed by
/// nothing but the date ("Aktualisiert am 17.01.2021").
const DATED_OPENINGS: &[&str] = &[
    "aktualisiert am",
    "zuletzt aktualisiert",
    "veröffentlicht am",
    "erstellt am",
    "stand",
    "last updated",
    "updated",
    "published",
    "publié le",
    "mis à jour le",
    "actualizado",
    "publicado",
];

/// A line made of digits, date/time separators and at most two short words (a month,
/// "uhr", "am"/"pm"), with a time (`05:28`), a date (`12.03.2021`, `2021-03-12`) or a month
/// in it: a timestamp, not a sentence. (Quantities such as "500 g" have neither.)
fn is_timestamp(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if digits < 2 {
        return false;
    }
    let mut words = 0;
    let mut month = false;
    for word in text.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() {
            continue;
        }
        words += 1;
        if words > 2 || word.chars().count() > 9 {
            return false;
        }
        month |= MONTHS.iter().any(|m| word.starts_with(m));
    }
    let bytes = text.as_bytes();
    let separated = bytes.windows(3).any(|w| {
        w[0].is_ascii_digit() && matches!(w[1], b':' | b'.' | b'/' | b'-') && w[2].is_ascii_digit()
    });
    (month || separated)
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c.is_whitespace() || ".:/-,|–".contains(c))
}

/// Month names' openings (lowercase) in the corpus languages: enough to tell "January 13" or
/// "13. März 2021" from a quantity.
const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "mär", "apr", "may", "mai", "jun", "jul", "aug", "sep", "oct", "okt",
    "nov", "dec", "dez", "déc", "janv", "févr", "avr", "juil", "août", "ene", "abr", "ago", "dic",
];
