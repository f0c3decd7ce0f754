//! What an element's class, id and role say about it: article body, or page chrome.
//!
//! Names are split into lowercase words (`articleBody`, `article-body`, `article_body` all give
//! `article`, `body`), so a short word such as `ad` matches only as a whole word (never inside
//! `header` or `download`). Longer words that are rarely part of others (`comment`,
//! `newsletter`) also match inside compounds such as `commentlist`.

use crate::dom::contains_ignore_case;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Whether a lowercase word leans to content (`Some(true)`) or chrome (`Some(false)`).
/// Chrome words match only whole (`ad` never inside `header` or `download`).
fn word_lean(word: &str) -> Option<bool> {
    match word {
        "article" | "blog" | "body" | "content" | "entry" | "hentry" | "main" | "markdown"
        | "post" | "prose" | "richtext" | "story" | "text" => Some(true),
        "ad" | "ads" | "adv" | "advert" | "affiliate" | "also" | "author" | "banner"
        | "breadcrumb" | "breadcrumbs" | "byline" | "comment" | "comments" | "consent"
        | "cookie" | "cookies" | "dateline" | "disqus" | "donate" | "editsection" | "follow"
        | "footer" | "forum" | "gdpr" | "hidden" | "jump" | "login" | "masthead" | "menu"
        | "meta" | "modal" | "more" | "nav" | "newsletter" | "next" | "outbrain" | "pager"
        | "pagination" | "partner" | "popular" | "popup" | "prev" | "print" | "promo" | "rail"
        | "recirc" | "recommended" | "register" | "related" | "share" | "sharing" | "sidebar"
        | "signup" | "skip" | "social" | "sponsor" | "sponsored" | "subscribe" | "subscription"
        | "taboola" | "tag" | "tags" | "teaser" | "teasers" | "timestamp" | "toolbar" | "tools"
        | "trending" | "utility" | "cta" | "toc" | "donation" | "spenden" => Some(false),
        _ => None,
    }
}

/// Fragments that mark chrome even inside a compound word (`commentlist`, `sharebar`).
const NEGATIVE_FRAGMENTS: &[&str] = &[
    "comment",
    "sidebar",
    "newsletter",
    "subscribe",
    "advert",
    "sponsor",
    "related",
    "promo",
    "social",
    "sharebar",
    "sharing",
    "breadcrumb",
    "cookie",
    "disqus",
    "outbrain",
    "taboola",
    "recommend",
    "footer",
    "navbar",
    "navigation",
    "dropdown",
    // WordPress (Jetpack) share and like buttons, and edit links after headings.
    "sharedaddy",
    "editsection",
    "edit-link",
    // Author boxes and newsletter offers under other spellings.
    "authorbox",
    "author-bio",
    "author-info",
    "about-author",
    "news-letter",
];

/// Fragments that mark chrome even beside a content word.
const STRONG_NEGATIVE_FRAGMENTS: &[&str] = &["comment", "disqus", "respond", "reply"];

/// Fragments of class and id names that mark a recipe's data, in the languages the names
/// come in ("recipe" alone is not one: "related-recipes" is a teaser list).
const RECIPE_DATA_FRAGMENTS: &[&str] = &[
    "ingredient",
    "zutat",
    "nutri",
    "naehrwert",
    "nährwert",
    "preparation",
    "zubereitung",
    "preptime",
    "prep-time",
    "prep_time",
    "cooktime",
    "cook-time",
    "cook_time",
    "totaltime",
    "total-time",
    "cooking-time",
];

/// schema.org Recipe properties (itemprop), lowercase fragments.
const RECIPE_ITEMPROP_FRAGMENTS: &[&str] = &[
    "recipe",
    "preptime",
    "cooktime",
    "totaltime",
    "nutrition",
    "calories",
];

/// Roles that mark chrome.
const NEGATIVE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "menu",
    "menubar",
    "search",
    "dialog",
    "alert",
    "alertdialog",
    "toolbar",
];

/// How an element's names lean: > 0 content, < 0 chrome, 0 no opinion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hint {
    pub positive: bool,
    pub negative: bool,
    /// The names say comments (or replies): chrome however the element is placed.
    pub strong: bool,
    /// The names (or schema.org itemprop) say a recipe's data: its ingredients, times,
    /// preparation or nutrition, short fragments by measure that are the recipe all the same.
    pub recipe_data: bool,
}

/// The hint from an element's class, id, role and itemprop, for every element of a page,
/// remembering what each class and id said (pages
/// repeat the same class lists hundreds of times, and reading one costs a few thousand
/// instructions).
///
/// Only class lists are remembered: ids are mostly unique on a page, and remembering one cost
/// more than reading it. The map hashes with foldhash, seeded per process (a page chooses
/// the keys, so not a fixed hash, but not SipHash either: hashing was most of a lookup).
#[derive(Debug, Default)]
pub struct HintCache {
    class_leans: HashMap<Box<str>, NamesLean, foldhash::fast::RandomState>,
}

impl HintCache {
    /// The element's hint, and whether its class says caption.
    pub fn hint(&mut self, class: &str, id: &str, role: &str, itemprop: &str) -> (Hint, bool) {
        let class = self.class_lean(class);
        let id = names_lean(id);
        (combine(role, itemprop, class, id), class.caption)
    }

    fn class_lean(&mut self, names: &str) -> NamesLean {
        if names.is_empty() {
            return NamesLean::default();
        }
        if let Some(lean) = self.class_leans.get(names) {
            return *lean;
        }
        let lean = names_lean(names);
        self.class_leans.insert(names.into(), lean);
        lean
    }
}

/// What one class or id value says, word by word and fragment by fragment.
#[derive(Debug, Clone, Copy, Default)]
struct NamesLean {
    /// A whole word marks content.
    positive: bool,
    /// A whole word marks chrome.
    negative: bool,
    /// A [`NEGATIVE_FRAGMENTS`] fragment occurs.
    fragment: bool,
    /// A [`STRONG_NEGATIVE_FRAGMENTS`] fragment occurs.
    strong: bool,
    /// `caption` occurs.
    caption: bool,
    /// A [`RECIPE_DATA_FRAGMENTS`] fragment occurs.
    recipe_data: bool,
}

fn names_lean(names: &str) -> NamesLean {
    let mut lean = NamesLean::default();
    if names.is_empty() {
        return lean;
    }
    for_each_word(names, |word| {
        // No listed word is longer than this.
        let mut buffer = [0u8; 16];
        let lean_of_word = if word.len() > buffer.len() {
            None
        } else if word.bytes().any(|b| b.is_ascii_uppercase()) {
            let lower = &mut buffer[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            std::str::from_utf8(lower).ok().and_then(word_lean)
        } else {
            word_lean(word)
        };
        match lean_of_word {
            Some(true) => lean.positive = true,
            Some(false) => lean.negative = true,
            None => {}
        }
    });
    FRAGMENT_FINDER.each_kind(names, |kind| match kind {
        FragmentKind::Negative => lean.fragment = true,
        FragmentKind::StrongNegative => lean.strong = true,
        FragmentKind::Caption => lean.caption = true,
        FragmentKind::RecipeData => lean.recipe_data = true,
    });
    lean
}

fn combine(role: &str, itemprop: &str, class: NamesLean, id: NamesLean) -> Hint {
    let mut result = Hint::default();
    for word in role.split_whitespace() {
        if NEGATIVE_ROLES.iter().any(|r| r.eq_ignore_ascii_case(word)) {
            result.negative = true;
        }
        if word.eq_ignore_ascii_case("main") || word.eq_ignore_ascii_case("article") {
            result.positive = true;
        }
    }
    if itemprop.split_whitespace().any(|w| w == "articleBody") {
        result.positive = true;
    }
    // schema.org's author: a byline or an author box with a biography.
    if itemprop.split_whitespace().any(|w| w == "author") {
        result.negative = true;
    }
    let itemprop_recipe = !itemprop.is_empty()
        && RECIPE_ITEMPROP_FRAGMENTS
            .iter()
            .any(|f| contains_ignore_case(itemprop, f));
    result.recipe_data = class.recipe_data || id.recipe_data || itemprop_recipe;
    result.positive |= class.positive || id.positive;
    result.negative |= class.negative || id.negative;
    if class.fragment || id.fragment {
        result.negative = true;
    }
    // Comments are written like articles and named like them ("comment-body",
    // "user-post"): the comment names win.
    if class.strong || id.strong {
        result.positive = false;
        result.negative = true;
        result.strong = true;
    }
    result
}

/// What a fragment found in a name says.
#[derive(Debug, Clone, Copy)]
enum FragmentKind {
    Negative,
    StrongNegative,
    Caption,
    RecipeData,
}

/// Every fragment list in one table, searched in one pass over a name (pages have thousands
/// of named elements: a substring search per fragment per name was a tenth of extraction
/// time, and a pass per list still about 4% of converting a folder of pages).
///
/// The fragments are grouped by their first byte, and each group keeps the set of bytes that
/// can follow it: at a position of the name, the byte there picks the group and the next byte
/// rules out nearly every start at once, so few comparisons are made. It replaced a DFA
/// (aho-corasick), which searched about as fast but took most of a one-page conversion's
/// extraction time to build: every `quire` process builds this table, and building it is
/// sorting a few dozen words.
struct FragmentFinder {
    /// Every fragment (lowercase) with its kind, sorted by first byte.
    fragments: Vec<(&'static [u8], FragmentKind)>,
    /// For each first byte, the range of `fragments` that start with it.
    starts: [(u8, u8); 256],
    /// For each first byte, the bytes that follow it in some fragment (a bit per byte).
    seconds: [[u64; 4]; 256],
}

/// Whether bit `byte` is set in a set of bytes.
fn holds(set: &[u64; 4], byte: u8) -> bool {
    set[usize::from(byte / 64)] & (1 << (byte % 64)) != 0
}

impl FragmentFinder {
    fn new(lists: &[(&[&'static str], FragmentKind)]) -> FragmentFinder {
        let mut fragments: Vec<(&'static [u8], FragmentKind)> = lists
            .iter()
            .flat_map(|(fragments, kind)| fragments.iter().map(|f| (f.as_bytes(), *kind)))
            .collect();
        // Two bytes at least (the next byte is checked before any comparison), lowercase
        // (names are lowered byte by byte to compare), and few enough for the ranges.
        assert!(fragments.len() < 256, "too many fragments");
        assert!(
            fragments
                .iter()
                .all(|(f, _)| f.len() >= 2 && !f.iter().any(u8::is_ascii_uppercase)),
            "fragments are lowercase and two bytes or more"
        );
        fragments.sort_by_key(|(f, _)| f[0]);
        let mut starts = [(0u8, 0u8); 256];
        let mut seconds = [[0u64; 4]; 256];
        for (index, (fragment, _)) in fragments.iter().enumerate() {
            let (first, second) = (usize::from(fragment[0]), fragment[1]);
            let index = index as u8;
            if starts[first].0 == starts[first].1 {
                starts[first] = (index, index);
            }
            starts[first].1 = index + 1;
            seconds[first][usize::from(second / 64)] |= 1 << (second % 64);
        }
        FragmentFinder {
            fragments,
            starts,
            seconds,
        }
    }

    /// Calls `found` with the kind of every fragment that occurs in `names`, ASCII letters
    /// compared without case (as often as it occurs, overlapping ones included).
    fn each_kind(&self, names: &str, mut found: impl FnMut(FragmentKind)) {
        let bytes = names.as_bytes();
        for (at, pair) in bytes.windows(2).enumerate() {
            let first = usize::from(pair[0].to_ascii_lowercase());
            let (from, to) = self.starts[first];
            if from == to || !holds(&self.seconds[first], pair[1].to_ascii_lowercase()) {
                continue;
            }
            for (fragment, kind) in &self.fragments[usize::from(from)..usize::from(to)] {
                if bytes
                    .get(at..at + fragment.len())
                    .is_some_and(|here| here.eq_ignore_ascii_case(fragment))
                {
                    found(*kind);
                }
            }
        }
    }
}

static FRAGMENT_FINDER: LazyLock<FragmentFinder> = LazyLock::new(|| {
    FragmentFinder::new(&[
        (NEGATIVE_FRAGMENTS, FragmentKind::Negative),
        (STRONG_NEGATIVE_FRAGMENTS, FragmentKind::StrongNegative),
        (&["caption"], FragmentKind::Caption),
        (RECIPE_DATA_FRAGMENTS, FragmentKind::RecipeData),
    ])
});

/// Calls `f` with each word of class/id text: split at non-alphanumerics and camelCase humps.
fn for_each_word(names: &str, mut f: impl FnMut(&str)) {
    if names.is_ascii() {
        // The common case, byte by byte (the same rules as below, without decoding chars).
        let bytes = names.as_bytes();
        let mut start = None;
        let mut prev_lower = false;
        for (i, &b) in bytes.iter().enumerate() {
            if !b.is_ascii_alphanumeric() {
                if let Some(s) = start.take() {
                    f(&names[s..i]);
                }
                prev_lower = false;
                continue;
            }
            if b.is_ascii_uppercase() && prev_lower {
                if let Some(s) = start.take() {
                    f(&names[s..i]);
                }
            }
            if start.is_none() {
                start = Some(i);
            }
            prev_lower = b.is_ascii_lowercase();
        }
        if let Some(s) = start {
            f(&names[s..]);
        }
        return;
    }
    let mut start = None;
    let mut prev_lower = false;
    for (i, c) in names.char_indices() {
        if !c.is_alphanumeric() {
            if let Some(s) = start.take() {
                f(&names[s..i]);
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower {
            if let Some(s) = start.take() {
                f(&names[s..i]);
            }
        }
        if start.is_none() {
            start = Some(i);
        }
        prev_lower = c.is_lowercase();
    }
    if let Some(s) = start {
        f(&names[s..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which kinds of fragment `names` holds, by the finder and by a plain search of the
    /// name lowered (ASCII letters only, as the finder compares).
    fn kinds_both_ways(names: &str) -> ([bool; 4], [bool; 4]) {
        let slot = |kind: FragmentKind| kind as usize;
        let mut by_finder = [false; 4];
        FRAGMENT_FINDER.each_kind(names, |kind| by_finder[slot(kind)] = true);
        let lowered = names.to_ascii_lowercase();
        let mut by_search = [false; 4];
        for (fragment, kind) in &FRAGMENT_FINDER.fragments {
            let fragment = std::str::from_utf8(fragment).unwrap();
            if lowered.contains(fragment) {
                by_search[slot(*kind)] = true;
            }
        }
        (by_finder, by_search)
    }

    #[test]
    fn the_fragment_finder_finds_what_a_plain_search_finds() {
        // Fragments whole, cut short, in other cases and run together; the bytes that follow
        // a fragment's first byte; non-ASCII letters (the finder folds ASCII only).
        let mut pieces: Vec<String> = Vec::new();
        for (fragment, _) in &FRAGMENT_FINDER.fragments {
            let fragment = std::str::from_utf8(fragment).unwrap();
            pieces.push(fragment.to_string());
            pieces.push(fragment.to_ascii_uppercase());
            let mut cut = fragment.to_string();
            cut.pop();
            pieces.push(cut);
            pieces.push(fragment[1..].to_string());
        }
        for piece in [
            "-",
            "_",
            " ",
            "c",
            "co",
            "n",
            "p",
            "re",
            "x",
            "Ä",
            "ä",
            "nä",
            "NÄHRWERT",
            "ö",
            "\u{1F600}",
        ] {
            pieces.push(piece.to_string());
        }
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        let mut found = [0usize; 4];
        for _ in 0..20_000 {
            let mut names = String::new();
            for _ in 0..1 + next(6) {
                names.push_str(&pieces[next(pieces.len())]);
            }
            let (by_finder, by_search) = kinds_both_ways(&names);
            assert_eq!(by_finder, by_search, "{names:?}");
            for (count, hit) in found.iter_mut().zip(by_finder) {
                *count += usize::from(hit);
            }
        }
        // Every kind was found many times, and missed many times.
        assert!(found.iter().all(|&n| n > 500 && n < 19_500), "{found:?}");
        for names in [
            "",
            "c",
            "COMMENTS",
            "xcomment",
            "commen",
            "nährwert",
            "NäHRWERT",
            "NÄHRWERT",
        ] {
            let (by_finder, by_search) = kinds_both_ways(names);
            assert_eq!(by_finder, by_search, "{names:?}");
        }
        assert!(kinds_both_ways("NäHRWERT").0[FragmentKind::RecipeData as usize]);
        assert!(!kinds_both_ways("NÄHRWERT").0[FragmentKind::RecipeData as usize]);
    }

    fn hint_of(class: &str, id: &str, role: &str, itemprop: &str) -> Hint {
        HintCache::default().hint(class, id, role, itemprop).0
    }

    #[test]
    fn the_cache_answers_like_a_fresh_reading() {
        let mut cache = HintCache::default();
        for _ in 0..2 {
            assert_eq!(
                cache.hint("comment-body", "", "", "").0,
                hint_of("comment-body", "", "", "")
            );
            assert!(cache.hint("photo-Caption", "", "", "").1);
            assert!(cache.hint("post", "sidebar", "", "").0.negative);
            assert!(!cache.hint("post", "", "", "").0.negative);
        }
    }

    fn words(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(s, |w| out.push(w.to_lowercase()));
        out
    }

    #[test]
    fn words_lean_by_the_lists() {
        assert_eq!(word_lean("article"), Some(true));
        assert_eq!(word_lean("timestamp"), Some(false));
        assert_eq!(word_lean("header"), None);
    }

    #[test]
    fn names_lean_one_way_or_the_other() {
        assert!(hint_of("article-body", "", "", "").positive);
        assert!(hint_of("ad-slot", "", "", "").negative);
        assert!(!hint_of("header download", "", "", "").negative);
        let comment = hint_of("comment-body", "", "", "");
        assert!(comment.negative && !comment.positive);
        assert!(hint_of("", "", "navigation", "").negative);
    }

    #[test]
    fn author_boxes_calls_to_action_and_donation_boxes_are_chrome() {
        for class in [
            "authorbox",
            "author-bio mt-2",
            "c-letters-cta",
            "news-letter-section",
            "toc_container",
            "Teasers u-container",
        ] {
            assert!(hint_of(class, "", "", "").negative, "{class}");
        }
        assert!(hint_of("", "achgut_spenden", "", "").negative);
        assert!(hint_of("saboxplugin-wrap", "", "", "author").negative);
        assert!(!hint_of("entry-content", "", "", "text").negative);
    }

    #[test]
    fn a_blog_s_forum_of_reader_comments_is_chrome() {
        // SPIP names a post's comments and comment form its forum.
        for class in [
            "forum",
            "forum-fil",
            "formulaire_spip formulaire_forum ajax",
        ] {
            assert!(hint_of(class, "", "", "").negative, "{class}");
        }
        // Only the whole word: a forum host's name is no comment.
        assert!(!hint_of("forumieren-content", "", "", "").negative);
    }

    #[test]
    fn recipe_data_is_known_by_class_and_itemprop() {
        assert!(hint_of("preparation__time", "", "", "").recipe_data);
        assert!(hint_of("list list--nutrients", "", "", "").recipe_data);
        assert!(hint_of("wprm-recipe-ingredients", "", "", "").recipe_data);
        assert!(hint_of("", "", "", "totalTime").recipe_data);
        assert!(hint_of("", "", "", "recipeIngredient").recipe_data);
        assert!(!hint_of("related-recipes", "", "", "").recipe_data);
        assert!(!hint_of("entry-content", "", "", "").recipe_data);
    }

    #[test]
    fn splits_compounds_and_camel_case() {
        assert_eq!(
            words("articleBody post-content"),
            ["article", "body", "post", "content"]
        );
        assert_eq!(words("AD_slot"), ["ad", "slot"]);
        assert_eq!(words("header download"), ["header", "download"]);
        assert_eq!(words("Éditeur-adBox ad"), ["éditeur", "ad", "box", "ad"]);
    }
}
