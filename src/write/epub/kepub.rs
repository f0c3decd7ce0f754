//! KEPUB: the EPUB that Kobo readers give their full features to (highlights, bookmarks,
//! reading statistics, fast page turns).
//!
//! A KEPUB is the same book as the EPUB, rendered through [`KoboSpans`], hooks that wrap the
//! EPUB hooks: every sentence-like run of text becomes
//! `<span class="koboSpan" id="kobo.P.S">`, P counting the blocks of a content document from
//! 1 and S the runs inside each; each embedded image gets a span of its own. What the renderer
//! writes without the text hook (code blocks, formulas) is never wrapped, so nothing inside
//! `pre` or `math` carries a span. The package writer wraps each body in
//! `div#book-columns > div#book-inner` ([`book_columns`]), which Kobo's renderer lays its
//! pages out in. The zip needs nothing more: `archive` already writes `mimetype` first and
//! stored, and no zip comment (which Kobo takes for DRM).

use std::fmt::Write as _;

use crate::write::html::{Hooks, ImageRef};
use crate::xml::escape_text_into;

/// Hooks that add Kobo's spans to another flavour's markup (`inner` decides everything
/// else: images, notes, the source link). Make one per content document: the numbers start
/// again in each.
pub(crate) struct KoboSpans<H> {
    inner: H,
    /// The block the last span was in (P).
    paragraph: usize,
    /// The last span's number inside it (S).
    sentence: usize,
    /// A block started or ended since the last span: the next span opens a new P.
    new_block: bool,
}

impl<H: Hooks> KoboSpans<H> {
    pub(crate) fn new(inner: H) -> KoboSpans<H> {
        KoboSpans {
            inner,
            paragraph: 0,
            sentence: 0,
            new_block: true,
        }
    }

    /// Opens the next span.
    fn open(&mut self, out: &mut String) {
        if std::mem::take(&mut self.new_block) {
            self.paragraph += 1;
            self.sentence = 0;
        }
        self.sentence += 1;
        let _ = write!(
            out,
            "<span class=\"koboSpan\" id=\"kobo.{}.{}\">",
            self.paragraph, self.sentence
        );
    }
}

impl<H: Hooks> Hooks for KoboSpans<H> {
    fn xhtml(&self) -> bool {
        self.inner.xhtml()
    }

    fn image(&mut self, src: &str) -> ImageRef {
        self.inner.image(src)
    }

    fn source_link(&self, url: &str) -> Option<String> {
        self.inner.source_link(url)
    }

    /// Each sentence its own span; a run of whitespace alone (between two inline elements)
    /// stays bare, as it carries nothing to highlight.
    fn text(&mut self, text: &str, out: &mut String) {
        for run in sentences(text) {
            if run.trim().is_empty() {
                escape_text_into(run, out);
            } else {
                self.open(out);
                escape_text_into(run, out);
                out.push_str("</span>");
            }
        }
    }

    fn block_start(&mut self) {
        self.new_block = true;
    }

    fn block_end(&mut self) {
        self.new_block = true;
    }

    fn image_start(&mut self, out: &mut String) {
        self.open(out);
    }

    fn image_end(&mut self, out: &mut String) {
        out.push_str("</span>");
    }

    // Notes keep the inner flavour's markup; their numbers and back links come through
    // `text`, as the defaults write them.
    fn notes_start(&self, out: &mut String) {
        self.inner.notes_start(out);
    }

    fn note_start(&self, n: usize, out: &mut String) {
        self.inner.note_start(n, out);
    }

    fn note_end(&self, out: &mut String) {
        self.inner.note_end(out);
    }

    fn notes_end(&self, out: &mut String) {
        self.inner.notes_end(out);
    }
}

/// `body` inside the two `div`s Kobo's reader paginates.
pub(crate) fn book_columns(body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 64);
    out.push_str("<div id=\"book-columns\"><div id=\"book-inner\">\n");
    out.push_str(body);
    out.push_str("</div></div>\n");
    out
}

/// Characters that end a sentence. The CJK full stops and marks end one where they stand;
/// the others only before whitespace (or the end of the text).
fn ends_sentence(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '\u{2026}' | '\u{203c}' | '\u{2047}' | '\u{2048}' | '\u{2049}'
    ) || is_cjk_end(c)
}

fn is_cjk_end(c: char) -> bool {
    matches!(
        c,
        '\u{3002}' | '\u{ff01}' | '\u{ff1f}' | '\u{ff0e}' | '\u{ff61}'
    )
}

/// Closing quotes and brackets that belong to the sentence they follow.
fn closes(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | ')'
            | ']'
            | '}'
            | '\u{2019}'
            | '\u{201d}'
            | '\u{00bb}'
            | '\u{203a}'
            | '\u{300d}'
            | '\u{300f}'
            | '\u{ff09}'
            | '\u{3011}'
            | '\u{300b}'
            | '\u{3009}'
    )
}

/// Words that end with a full stop without ending the sentence (compared in lower case,
/// without their final full stop).
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "prof", "sr", "jr", "st", "mt", "ft", "gen", "gov", "sen",
    "rep", "rev", "hon", "capt", "col", "lt", "sgt", "cpt", "vs", "etc", "cf", "al", "approx",
    "no", "nos", "nr", "vol", "vols", "fig", "figs", "pp", "ch", "sec", "ed", "eds", "est", "inc",
    "ltd", "co", "corp", "dept", "univ", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "ca", "viz",
    "resp", "e.g", "i.e", "u.s", "u.k", "u.n", "a.m", "p.m", "ph.d", "b.a", "m.a", "d.c",
];

/// Whether the word before a single full stop (at byte `dot` of `text`) makes it an
/// abbreviation's stop: a known abbreviation, a single letter (an initial), or letters
/// joined by full stops (`U.S.A.`).
fn is_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = before[word_start..].trim_start_matches(|c: char| !c.is_alphanumeric());
    if word.is_empty() {
        return false;
    }
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    let mut letters = word.split('.');
    let all_single_letters = letters.all(|part| {
        let mut chars = part.chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic())
    });
    all_single_letters
}

/// Cuts `text` into sentence-like runs that together are `text`: each ends after `.`, `!`,
/// `?` or an ellipsis (`…`, `...`) with the closing quotes and brackets after it, and the
/// whitespace that follows; or after `。`, `！`, `？` (which need no space after them). A
/// full stop after a common abbreviation or an initial (`Mr.`, `e.g.`, `U.S.`, `J.`) does
/// not end a sentence, nor does a stop followed by a lower-case word.
pub(crate) fn sentences(text: &str) -> Vec<&str> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if !ends_sentence(c) {
            continue;
        }
        let mut cjk = is_cjk_end(c);
        let mut marks = 1;
        // The end marks and closing quotes and brackets that follow.
        let mut end = index + c.len_utf8();
        while let Some(&(i, next)) = chars.peek() {
            if ends_sentence(next) {
                cjk |= is_cjk_end(next);
                marks += 1;
            } else if !closes(next) {
                break;
            }
            end = i + next.len_utf8();
            chars.next();
        }
        let mut cut = end;
        let mut spaced = false;
        while let Some(&(i, next)) = chars.peek() {
            if !next.is_whitespace() {
                break;
            }
            spaced = true;
            cut = i + next.len_utf8();
            chars.next();
        }
        if cut == text.len() {
            break;
        }
        if !cjk {
            if !spaced {
                continue;
            }
            if c == '.' && marks == 1 && is_abbreviation(text, index) {
                continue;
            }
            if text[cut..].chars().next().is_some_and(char::is_lowercase) {
                continue;
            }
        }
        runs.push(&text[start..cut]);
        start = cut;
    }
    if start < text.len() {
        runs.push(&text[start..]);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::html::Plain;

    #[test]
    fn sentences_end_after_stops_and_keep_their_spaces() {
        assert_eq!(
            sentences("One. Two! Three? Four"),
            ["One. ", "Two! ", "Three? ", "Four"]
        );
        assert_eq!(sentences("Only one."), ["Only one."]);
        assert_eq!(sentences("Trailing.  "), ["Trailing.  "]);
        assert_eq!(sentences(""), Vec::<&str>::new());
        // No space, no end: numbers, file names, URLs.
        assert_eq!(
            sentences("Version 3.5 of quire.rs is at example.com today."),
            ["Version 3.5 of quire.rs is at example.com today."]
        );
    }

    #[test]
    fn closing_quotes_and_brackets_stay_with_their_sentence() {
        assert_eq!(
            sentences("He said \u{201c}Go.\u{201d} She went."),
            ["He said \u{201c}Go.\u{201d} ", "She went."]
        );
        assert_eq!(
            sentences("(This is an aside.) Then more. 'Quoted!' Done"),
            ["(This is an aside.) ", "Then more. ", "'Quoted!' ", "Done"]
        );
        assert_eq!(
            sentences("\u{ab}Bonjour.\u{bb} Au revoir."),
            ["\u{ab}Bonjour.\u{bb} ", "Au revoir."]
        );
    }

    #[test]
    fn ellipses_and_repeated_marks_end_once() {
        assert_eq!(
            sentences("Wait... Then it came. Really?! Yes\u{2026} Good."),
            [
                "Wait... ",
                "Then it came. ",
                "Really?! ",
                "Yes\u{2026} ",
                "Good."
            ]
        );
        // An ellipsis inside a sentence (a lower-case word after it) does not end it.
        assert_eq!(
            sentences("And then... nothing happened."),
            ["And then... nothing happened."]
        );
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        assert_eq!(
            sentences("Mr. Smith met Dr. Jones. They talked."),
            ["Mr. Smith met Dr. Jones. ", "They talked."]
        );
        assert_eq!(
            sentences("The U.S. Senate voted. J. R. R. Tolkien wrote it."),
            ["The U.S. Senate voted. ", "J. R. R. Tolkien wrote it."]
        );
        assert_eq!(
            sentences("Use a tool, e.g. A hammer. Or not (i.e. None)."),
            ["Use a tool, e.g. A hammer. ", "Or not (i.e. None)."]
        );
        assert_eq!(
            sentences("See Fig. 3 and No. 5. Then stop."),
            ["See Fig. 3 and No. 5. ", "Then stop."]
        );
    }

    #[test]
    fn cjk_marks_end_sentences_without_spaces() {
        assert_eq!(
            sentences("今日は晴れです。明日は雨？そうです！はい"),
            ["今日は晴れです。", "明日は雨？", "そうです！", "はい"]
        );
        assert_eq!(
            sentences("他说：\u{300c}走吧。\u{300d}我们走了。"),
            ["他说：\u{300c}走吧。\u{300d}", "我们走了。"]
        );
    }

    #[test]
    fn runs_put_together_are_the_text() {
        for text in [
            "A. B. C.",
            "  lead and trail  ",
            "?!?!",
            "x.\u{2026}\u{201d}) y",
            "。。。a",
            "e.g.",
        ] {
            assert_eq!(sentences(text).concat(), text, "{text:?}");
        }
    }

    #[test]
    fn spans_are_numbered_per_block_and_images_get_their_own() {
        let mut hooks = KoboSpans::new(Plain { xhtml: true });
        let mut out = String::new();
        hooks.block_start();
        hooks.text("One. Two.", &mut out);
        hooks.text(" ", &mut out);
        hooks.image_start(&mut out);
        out.push_str("<img/>");
        hooks.image_end(&mut out);
        hooks.block_end();
        hooks.block_start();
        hooks.text("a < b", &mut out);
        assert_eq!(
            out,
            "<span class=\"koboSpan\" id=\"kobo.1.1\">One. </span>\
             <span class=\"koboSpan\" id=\"kobo.1.2\">Two.</span> \
             <span class=\"koboSpan\" id=\"kobo.1.3\"><img/></span>\
             <span class=\"koboSpan\" id=\"kobo.2.1\">a &lt; b</span>"
        );
    }
}
