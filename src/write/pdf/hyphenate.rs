//! Language-aware hyphenation (Knuth–Liang patterns) for English and Russian.
//!
//! The pattern dictionaries are those the `hyphenation` crate ships (built from the TeX
//! `hyph-utf8` patterns), kept in `data/hyphenation/` and embedded: the crate can only embed
//! English or all ~70 languages (3 MB), and quire needs two. A document whose language is
//! English or Russian is hyphenated, each word with the patterns of its script; other
//! languages are not hyphenated at all: bad breaks are worse than loose lines.

use hyphenation::{Hyphenator, Language, Load, Standard};
use std::sync::OnceLock;

const EN_US: &[u8] = include_bytes!("../../../data/hyphenation/en-us.standard.bincode");
const RU: &[u8] = include_bytes!("../../../data/hyphenation/ru.standard.bincode");

/// Finds hyphenation points in the words of an English or Russian document. Each word is
/// hyphenated by its script: Russian articles quote English names and English ones quote
/// Russian, and each set of patterns only knows its own alphabet.
#[derive(Clone, Copy)]
pub struct Hyphenation {
    english: &'static Standard,
    russian: &'static Standard,
}

fn load(language: Language, bytes: &'static [u8]) -> Option<Standard> {
    Standard::from_reader(language, &mut &bytes[..]).ok()
}

impl Hyphenation {
    /// The hyphenator for a BCP 47 tag (`en`, `en-GB`, `ru`), if quire has patterns for it.
    pub fn for_language(tag: Option<&str>) -> Option<Hyphenation> {
        static ENGLISH: OnceLock<Option<Standard>> = OnceLock::new();
        static RUSSIAN: OnceLock<Option<Standard>> = OnceLock::new();
        let tag = tag?.trim().to_ascii_lowercase();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        if !matches!(primary, "en" | "ru") {
            return None;
        }
        let english = ENGLISH
            .get_or_init(|| load(Language::EnglishUS, EN_US))
            .as_ref()?;
        let russian = RUSSIAN
            .get_or_init(|| load(Language::Russian, RU))
            .as_ref()?;
        Some(Hyphenation { english, russian })
    }

    /// Byte offsets in `word` where it may be broken with a hyphen. Only words made of
    /// letters are hyphenated (not numbers, URLs or words with inner punctuation), and
    /// never within two letters of either end.
    pub fn points(&self, word: &str) -> Vec<usize> {
        let letters = word.chars().count();
        if letters < 5 || !word.chars().all(char::is_alphabetic) {
            return Vec::new();
        }
        let cyrillic = word.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}'));
        let dictionary = if cyrillic { self.russian } else { self.english };
        let breaks = dictionary.hyphenate(word).breaks;
        breaks
            .into_iter()
            .filter(|&at| {
                word.is_char_boundary(at)
                    && word[..at].chars().count() >= 2
                    && word[at..].chars().count() >= 3
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_and_russian_words_get_points() {
        let en = Hyphenation::for_language(Some("en-GB")).expect("english");
        let points = en.points("hyphenation");
        assert!(!points.is_empty());
        assert!(points
            .iter()
            .all(|&p| p >= 2 && p <= "hyphenation".len() - 3));
        let ru = Hyphenation::for_language(Some("ru")).expect("russian");
        let word = "государственный";
        let points = ru.points(word);
        assert!(!points.is_empty());
        assert!(points.iter().all(|&p| word.is_char_boundary(p)));
        assert!(Hyphenation::for_language(Some("de")).is_none());
        assert!(Hyphenation::for_language(None).is_none());
        assert!(en.points("http").is_empty());
        // Each script gets its own patterns, whichever the document's language.
        assert_eq!(en.points(word), points);
        assert!(!ru.points("hyphenation").is_empty());
    }
}
