//! Where a line may end: break opportunities in a paragraph's text, and the points where a
//! word too wide for any line may be cut.
//!
//! - UAX #14 (`unicode-linebreak`) gives the opportunities of every script. It gives none
//!   inside Thai, Lao, Khmer and Myanmar words, which are written without spaces: there
//!   ICU4X's dictionary segmenter finds the word boundaries. ICU is run only on paragraphs
//!   that hold such text: on 5,000 English words it gives the same opportunities as
//!   `unicode-linebreak` but takes 2.4–3.4 times as long (0.35–0.57 ms against 0.15–0.17 ms,
//!   release build), and a Latin document's speed is to stay what it was. The dictionaries
//!   (not ICU's LSTM models, which are smaller but slower to run) are compiled in.
//! - CJK line-start and line-end rules (kinsoku): UAX #14's strict rules already keep
//!   closing punctuation, iteration marks and small kana off a line's start and opening
//!   brackets off its end; [`opportunities`] checks the result against the same lists, so
//!   no other source of breaks (a dictionary, a tailoring) can put one there.
//! - Emergency cuts go only between extended grapheme clusters ([`grapheme_boundaries`]):
//!   an Indic conjunct or a base with its marks is never split.
//! - Hyphenation ([`hyphenate`]): where a word of the document's language may take a hyphen.
//! - A line too long for its room, cut and ended with "…" ([`fit_with_ellipsis`]).
//!
//! The PDF writer and the EPUB cover both use it, so they break and hyphenate alike.

pub(crate) mod hyphenate;

use icu_segmenter::options::LineBreakOptions;
use icu_segmenter::{GraphemeClusterSegmenter, LineSegmenter};

/// The line-break opportunities of `text`: each is a byte offset where a line may end, and
/// whether it must. In order, without repeats; the last is `text.len()` for a non-empty text.
pub(crate) fn opportunities(text: &str) -> Vec<(usize, bool)> {
    let mut found: Vec<(usize, bool)> = unicode_linebreak::linebreaks(text)
        .map(|(at, op)| (at, op == unicode_linebreak::BreakOpportunity::Mandatory))
        .collect();
    if text.chars().any(is_complex_context) {
        add_dictionary_breaks(text, &mut found);
    }
    // Kinsoku: a break UAX #14 allows here is rare (a space before a closing mark), but a
    // line that starts with "。" or ends with "「" is wrong in every CJK text.
    found.retain(|&(at, mandatory)| mandatory || !forbidden_by_kinsoku(text, at));
    found
}

/// Adds the word boundaries ICU's dictionaries find inside runs of Thai, Lao, Khmer and
/// Myanmar text (where UAX #14 has none) to `found`, keeping it sorted.
fn add_dictionary_breaks(text: &str, found: &mut Vec<(usize, bool)>) {
    let segmenter = LineSegmenter::new_dictionary(LineBreakOptions::default());
    let inside_words = segmenter.segment_str(text).filter(|&at| {
        0 < at
            && at < text.len()
            && text[..at]
                .chars()
                .next_back()
                .is_some_and(is_complex_context)
            && text[at..].chars().next().is_some_and(is_complex_context)
    });
    found.extend(inside_words.map(|at| (at, false)));
    found.sort_by_key(|&(at, mandatory)| (at, !mandatory));
    found.dedup_by_key(|o| o.0);
}

/// Is `c` of a script written without spaces between words, whose line breaks need a
/// dictionary (UAX #14's class SA): Thai, Lao, Myanmar, Khmer, and their extensions.
pub(crate) fn is_complex_context(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF            // Thai, Lao
        | 0x1000..=0x109F          // Myanmar
        | 0x1780..=0x17FF          // Khmer
        | 0x19E0..=0x19FF          // Khmer symbols
        | 0xA9E0..=0xA9FF          // Myanmar extended-B
        | 0xAA60..=0xAA7F) // Myanmar extended-A
}

/// Is `c` a CJK character (Han, kana, Hangul, fullwidth forms): set without spaces, each
/// one a unit that justification may space out.
pub(crate) fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Characters that may not start a line in CJK text (JIS X 4051's line-start prohibited
/// class, strict: closing brackets and quotes, full stops and commas, middle dots, iteration
/// marks, the prolonged sound mark and small kana).
pub(crate) fn is_line_start_prohibited(c: char) -> bool {
    matches!(
        c,
        '、' | '。'
            | '，'
            | '．'
            | '：'
            | '；'
            | '！'
            | '？'
            | '」'
            | '』'
            | '）'
            | '］'
            | '｝'
            | '〕'
            | '〉'
            | '》'
            | '】'
            | '〙'
            | '〗'
            | '〟'
            | '’'
            | '”'
            | '｣'
            | '・'
            | '･'
            | 'ー'
            | 'ｰ'
            | '゛'
            | '゜'
            | 'ヽ'
            | 'ヾ'
            | 'ゝ'
            | 'ゞ'
            | '々'
            | '〻'
            | '‐'
            | '゠'
            | '–'
            | '〜'
            | '～'
            | '‥'
            | '…'
            | '⋯'
            | '｡'
            | '､'
            | '﹐'
            | '﹑'
            | '﹒'
            | '﹔'
            | '﹕'
            | '﹖'
            | '﹗'
            | '﹚'
            | '﹜'
            | '﹞'
    ) || is_small_kana(c)
}

/// Characters that may not end a line in CJK text: opening brackets and quotes.
pub(crate) fn is_line_end_prohibited(c: char) -> bool {
    matches!(
        c,
        '「' | '『'
            | '（'
            | '［'
            | '｛'
            | '〔'
            | '〈'
            | '《'
            | '【'
            | '〘'
            | '〖'
            | '〝'
            | '‘'
            | '“'
            | '｢'
            | '﹙'
            | '﹛'
            | '﹝'
    )
}

fn is_small_kana(c: char) -> bool {
    matches!(
        c,
        'ぁ' | 'ぃ' | 'ぅ' | 'ぇ' | 'ぉ' | 'っ' | 'ゃ' | 'ゅ' | 'ょ' | 'ゎ' | 'ゕ' | 'ゖ' | 'ァ'
            | 'ィ' | 'ゥ' | 'ェ' | 'ォ' | 'ッ' | 'ャ' | 'ュ' | 'ョ' | 'ヮ' | 'ヵ' | 'ヶ'
            | 'ㇰ'..='ㇿ' | 'ｧ'..='ｯ'
    )
}

/// Would a break at byte `at` of `text` start a line with a character that may not start
/// one, or end a line with one that may not end one? Only in CJK context: a Latin "…" or
/// "–" after a space is left to UAX #14.
fn forbidden_by_kinsoku(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches(' ').chars().next_back();
    let after = text[at..].chars().next();
    let cjk_context = before.is_some_and(is_wide) || after.is_some_and(is_wide);
    cjk_context
        && (after.is_some_and(is_line_start_prohibited)
            || before.is_some_and(is_line_end_prohibited))
}

/// The byte offsets inside `word` (not 0, not its length) between its extended grapheme
/// clusters: the only places a word may be cut when nothing else fits. A cluster (a letter
/// with its marks, an Indic conjunct such as "क्ष", an emoji sequence) is never split.
pub(crate) fn grapheme_boundaries(word: &str) -> impl Iterator<Item = usize> + '_ {
    GraphemeClusterSegmenter::new()
        .segment_str(word)
        .filter(move |&at| 0 < at && at < word.len())
}

/// `text` as it fits in `limit` (as `width` measures it): whole if it fits, else shortened
/// and ended with "…". The cut goes after the last whole word that fits, unless that keeps
/// less than half of what a cut between characters would (one short word before a long one, a title in
/// Chinese or Japanese with no spaces): then it goes between the last two grapheme clusters
/// that fit, so a cluster (a letter and its marks) is never split. Spaces and separators
/// left before the ellipsis go ("Proteste:…" would read as "Proteste…" does). Never empty
/// for a text that is not: at the least, the ellipsis alone.
pub(crate) fn fit_with_ellipsis(
    text: &str,
    limit: f32,
    mut width: impl FnMut(&str) -> f32,
) -> String {
    let shortened = |end: usize| format!("{}…", text[..end].trim_end_matches(dangles));
    // The places a cut may go (after each grapheme cluster), read only as far as the line
    // can reach: the first 32, then twice as many until a prefix is too wide, so a very
    // long title costs what a line of it costs.
    let mut ends = grapheme_boundaries(text).chain((!text.is_empty()).then_some(text.len()));
    let mut known: Vec<usize> = Vec::new();
    let mut wanted = 32;
    loop {
        known.extend(ends.by_ref().take(wanted - known.len()));
        match known.last() {
            None => return String::new(),
            Some(&end) if end == text.len() => {
                if width(text) <= limit {
                    return text.to_string();
                }
                break;
            }
            Some(&end) if width(&text[..end]) > limit => break,
            Some(_) => wanted *= 2,
        }
    }
    // Wider prefixes are never narrower (shaping only kerns within a few hundredths of an
    // em), so the cuts that fit come first.
    let fitting = known.partition_point(|&end| width(&shortened(end)) <= limit);
    let Some(&at_grapheme) = fitting.checked_sub(1).and_then(|i| known.get(i)) else {
        return "…".to_string();
    };
    // The end of the last whole word before that cut: the cut itself if a space follows.
    let at_word = if text[at_grapheme..].starts_with(char::is_whitespace) {
        Some(at_grapheme)
    } else {
        text[..at_grapheme].rfind(char::is_whitespace)
    }
    .filter(|&end| !text[..end].trim_end_matches(dangles).is_empty());
    let by_grapheme = shortened(at_grapheme);
    if let Some(at_word) = at_word {
        let by_word = shortened(at_word);
        if width(&by_word) * 2.0 >= width(&by_grapheme) {
            return by_word;
        }
    }
    by_grapheme
}

/// What is left out before an ellipsis: spaces, and separators that read as broken off
/// without the words after them (commas, colons, dashes, opening brackets and quotes).
fn dangles(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | ';'
                | ':'
                | '-'
                | '‐'
                | '–'
                | '—'
                | '、'
                | '，'
                | '；'
                | '：'
                | '،'
                | '؛'
                | '('
                | '['
                | '{'
                | '«'
                | '‹'
                | '“'
                | '‘'
                | '„'
                | '（'
                | '「'
                | '『'
                | '《'
                | '〈'
                | '【'
                | '〔'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaks(text: &str) -> Vec<usize> {
        opportunities(text).into_iter().map(|(at, _)| at).collect()
    }

    #[test]
    fn thai_words_get_breaks_between_them_and_latin_text_is_as_uax14_says() {
        // "Thai is a tonal language": five words, no spaces.
        let thai = "ภาษาไทยเป็นภาษาที่มีวรรณยุกต์";
        let found = breaks(thai);
        assert!(found.len() >= 4, "{found:?}");
        assert_eq!(found.last(), Some(&thai.len()));
        assert!(found.contains(&"ภาษาไทย".len()), "{found:?}");
        assert!(found.iter().all(|&at| thai.is_char_boundary(at)));
        // Lao, Khmer and Burmese have their dictionaries too.
        for text in [
            "ພາສາລາວເປັນພາສາທີ່ມີສຽງວັນນະຍຸດ",
            "ភាសាខ្មែរគឺជាភាសាផ្លូវការរបស់ប្រទេសកម្ពុជា",
            "မြန်မာဘာသာစကားသည်မြန်မာနိုင်ငံ၏ရုံးသုံးဘာသာစကားဖြစ်သည်",
        ] {
            assert!(breaks(text).len() >= 3, "{text}: {:?}", breaks(text));
        }
        let latin = "Plain words, one-two and a line\nbreak.";
        let uax14: Vec<(usize, bool)> = unicode_linebreak::linebreaks(latin)
            .map(|(at, op)| (at, op == unicode_linebreak::BreakOpportunity::Mandatory))
            .collect();
        assert_eq!(opportunities(latin), uax14);
    }

    #[test]
    fn no_cjk_line_starts_with_closing_marks_or_ends_with_opening_ones() {
        let text = "他说：「今天的天气很好。」我们走吧！（好的）ちょっと待ってください。";
        for at in breaks(text) {
            let next = text[at..].chars().next();
            let prev = text[..at].chars().next_back();
            assert!(
                !next.is_some_and(is_line_start_prohibited),
                "break before {next:?}"
            );
            assert!(
                !prev.is_some_and(is_line_end_prohibited),
                "break after {prev:?}"
            );
        }
        // A space before a closing mark is a UAX #14 break; in CJK text it is none.
        assert!(!breaks("天气 。").contains(&"天气 ".len()));
    }

    #[test]
    fn a_devanagari_conjunct_is_one_cluster() {
        let word = "क्षत्रिय";
        let cuts: Vec<usize> = grapheme_boundaries(word).collect();
        assert!(!cuts.is_empty());
        // "क्ष" (ka, virama, ssa) and "त्रि" (ta, virama, ra, i) stay whole.
        assert!(!cuts.contains(&"क".len()) && !cuts.contains(&"क्".len()));
        assert!(!cuts.contains(&"क्षत".len()) && !cuts.contains(&"क्षत्".len()));
    }
}
