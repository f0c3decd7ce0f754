//! Language-aware hyphenation (Knuth–Liang patterns from TeX's `hyph-utf8`, as the
//! `hyphenation` crate embeds them).
//!
//! The document's language picks the patterns for words in its own script; words in another
//! script (an English name in a Russian article, a Russian one in an English article) use
//! that script's main patterns (English for Latin, Russian for Cyrillic, modern Greek for
//! Greek). A language quire has no patterns for is not hyphenated at all: bad breaks are worse
//! than loose lines.

use hyphenation::{Hyphenator, Language, Load, Standard};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The alphabets hyphenation tells apart.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Cyrillic,
    Greek,
    Armenian,
    Georgian,
}

impl Script {
    /// The script of a word's letters, if they are all of one script that has patterns: a
    /// word that mixes in Thai, Devanagari or Han letters (which have no hyphenation) is
    /// not hyphenated, as the patterns would put breaks inside those letters too.
    fn of(word: &str) -> Option<Script> {
        let mut found = None;
        for c in word.chars() {
            let script = Script::of_char(c)?;
            if *found.get_or_insert(script) != script {
                return None;
            }
        }
        found
    }

    /// The script of one letter, if it is one that has patterns.
    fn of_char(c: char) -> Option<Script> {
        Some(match c {
            'a'..='z' | 'A'..='Z' | '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' => {
                Script::Latin
            }
            '\u{0400}'..='\u{052F}' => Script::Cyrillic,
            '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}' => Script::Greek,
            '\u{0531}'..='\u{0587}' | '\u{FB13}'..='\u{FB17}' => Script::Armenian,
            '\u{10A0}'..='\u{10FF}' | '\u{1C90}'..='\u{1CBF}' | '\u{2D00}'..='\u{2D2F}' => {
                Script::Georgian
            }
            _ => return None,
        })
    }

    /// The patterns for a word of this script in a document of another language.
    fn default_language(self) -> Language {
        match self {
            Script::Latin => Language::EnglishUS,
            Script::Cyrillic => Language::Russian,
            Script::Greek => Language::GreekMono,
            Script::Armenian => Language::Armenian,
            Script::Georgian => Language::Georgian,
        }
    }
}

/// Whether `c` is a letter of an alphabet whose words are broken with a hyphen (Latin,
/// Cyrillic, Greek, Armenian, Georgian): a word cut between two such letters shows a hyphen;
/// Chinese, Thai or Arabic cut between letters does not.
pub(crate) fn takes_hyphen(c: char) -> bool {
    c.is_alphabetic() && Script::of_char(c).is_some()
}

/// The patterns for a BCP 47 tag, and the script they are for.
fn language_for(tag: &str) -> Option<(Language, Script)> {
    let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
    let primary = tag.split('-').next().unwrap_or("");
    use Language::*;
    let (lat, cyr, grk) = (Script::Latin, Script::Cyrillic, Script::Greek);
    Some(match primary {
        "en" if tag == "en-gb" || tag.starts_with("en-gb-") => (EnglishGB, lat),
        "en" => (EnglishUS, lat),
        "ru" => (Russian, cyr),
        "uk" => (Ukrainian, cyr),
        "be" => (Belarusian, cyr),
        "bg" => (Bulgarian, cyr),
        "mk" => (Macedonian, cyr),
        "sr" => (SerbianCyrillic, cyr),
        "el" => (GreekMono, grk),
        "de" if tag.starts_with("de-ch") => (GermanSwiss, lat),
        "de" => (German1996, lat),
        "fr" => (French, lat),
        "es" => (Spanish, lat),
        "it" => (Italian, lat),
        "pt" => (Portuguese, lat),
        "nl" => (Dutch, lat),
        "pl" => (Polish, lat),
        "cs" => (Czech, lat),
        "sk" => (Slovak, lat),
        "sl" => (Slovenian, lat),
        "hr" => (Croatian, lat),
        "hu" => (Hungarian, lat),
        "ro" => (Romanian, lat),
        "sv" => (Swedish, lat),
        "da" => (Danish, lat),
        "nb" | "no" => (NorwegianBokmal, lat),
        "nn" => (NorwegianNynorsk, lat),
        "fi" => (Finnish, lat),
        "et" => (Estonian, lat),
        "lv" => (Latvian, lat),
        "lt" => (Lithuanian, lat),
        "ca" => (Catalan, lat),
        "gl" => (Galician, lat),
        "eu" => (Basque, lat),
        "tr" => (Turkish, lat),
        "id" => (Indonesian, lat),
        "is" => (Icelandic, lat),
        "ga" => (Irish, lat),
        "cy" => (Welsh, lat),
        "la" => (Latin, lat),
        "eo" => (Esperanto, lat),
        "af" => (Afrikaans, lat),
        // Alphabets with hyphenation of their own: without it a justified line of their
        // long words opens wide gaps.
        "hy" => (Armenian, Script::Armenian),
        "ka" => (Georgian, Script::Georgian),
        _ => return None,
    })
}

/// A language's patterns, loaded once per process from the embedded dictionaries.
fn dictionary(language: Language) -> Option<&'static Standard> {
    static LOADED: OnceLock<Mutex<HashMap<Language, Option<&'static Standard>>>> = OnceLock::new();
    let mut loaded = LOADED.get_or_init(Default::default).lock().ok()?;
    *loaded.entry(language).or_insert_with(|| {
        // Leaked once per language and process: dictionaries live as long as the program.
        Standard::from_embedded(language)
            .ok()
            .map(|d| &*Box::leak(Box::new(d)))
    })
}

/// Finds hyphenation points in the words of a document in a language quire has patterns for.
#[derive(Clone, Copy)]
pub struct Hyphenation {
    own: &'static Standard,
    script: Script,
}

impl Hyphenation {
    /// The hyphenator for a BCP 47 tag (`en`, `en-GB`, `ru`, `de-CH`), if there are patterns.
    pub fn for_language(tag: Option<&str>) -> Option<Hyphenation> {
        let (language, script) = language_for(tag?)?;
        Some(Hyphenation {
            own: dictionary(language)?,
            script,
        })
    }

    /// Byte offsets in `word` where it may be broken with a hyphen. Only words made of
    /// letters are hyphenated (not numbers, URLs or words with inner punctuation), and
    /// never within two letters of the start or three of the end.
    pub fn points(&self, word: &str) -> Vec<usize> {
        let letters = word.chars().count();
        if letters < 5 || !word.chars().all(char::is_alphabetic) {
            return Vec::new();
        }
        let Some(script) = Script::of(word) else {
            return Vec::new();
        };
        let dictionary = if script == self.script {
            Some(self.own)
        } else {
            dictionary(script.default_language())
        };
        let Some(dictionary) = dictionary else {
            return Vec::new();
        };
        // At least two letters before a break and three after it, as byte offsets: found
        // once, not counted again for each break (a long word has thousands).
        let first = word.char_indices().nth(2).map_or(word.len(), |(i, _)| i);
        let last = word.char_indices().nth_back(2).map_or(0, |(i, _)| i);
        dictionary
            .hyphenate(word)
            .breaks
            .into_iter()
            .filter(|&at| word.is_char_boundary(at) && at >= first && at <= last)
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
        assert!(Hyphenation::for_language(None).is_none());
        assert!(Hyphenation::for_language(Some("ja")).is_none());
        assert!(en.points("http").is_empty());
        // Each script gets its own patterns, whichever the document's language.
        assert_eq!(en.points(word), points);
        assert!(!ru.points("hyphenation").is_empty());
    }

    #[test]
    fn other_languages_use_their_own_patterns() {
        let de = Hyphenation::for_language(Some("de")).expect("german");
        assert!(!de.points("Silbentrennung").is_empty());
        let fr = Hyphenation::for_language(Some("fr-CA")).expect("french");
        assert!(!fr.points("extraordinaire").is_empty());
        let el = Hyphenation::for_language(Some("el")).expect("greek");
        assert!(!el.points("καλημέρα").is_empty());
        let hy = Hyphenation::for_language(Some("hy")).expect("armenian");
        let word = "կազմակերպել";
        let points = hy.points(word);
        assert!(!points.is_empty());
        assert!(points.iter().all(|&p| word.is_char_boundary(p)));
        let ka = Hyphenation::for_language(Some("ka")).expect("georgian");
        assert!(!ka.points("ბიბლიოთეკაში").is_empty());
    }

    /// Patterns are for one script: a word that mixes a hyphenating script with one that
    /// has no hyphenation (Thai, Devanagari, Han) is not hyphenated, nor is a word of the
    /// latter alone, whatever the document's language.
    #[test]
    fn words_of_scripts_without_hyphenation_get_no_points() {
        let en = Hyphenation::for_language(Some("en")).expect("english");
        for word in [
            "Bangkokกรุงเทพมหานคร",
            "กรุงเทพมหานครBangkok",
            "internationalकरण",
            "Москваमास्को",
            "ภาษาไทยเป็นภาษาที่มี",
            "वाराणसीविश्वविद्यालय",
        ] {
            assert_eq!(en.points(word), Vec::<usize>::new(), "{word}");
        }
        for language in ["zh", "ja", "ko", "th", "lo", "km", "my", "hi"] {
            assert!(
                Hyphenation::for_language(Some(language)).is_none(),
                "{language}"
            );
        }
    }
}
