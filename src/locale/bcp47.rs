//! BCP 47 language tags as a book's package states them (`dc:language`, `xml:lang`).
//!
//! Pages and users give languages in many shapes: `en-US`, `en_US`, `en_US.UTF-8`, `EN`, and
//! also things that are no language at all: `us` (a country), `C` and `POSIX` (the
//! locale of a system that has none), `english`. epubcheck accepts any well-formed tag, but
//! Kindle's converter rejects a book whose language it does not know (the opaque E999). So a
//! tag is accepted here only when its primary subtag is a real language: a two-letter code
//! must be in ISO 639-1 (the list below); a three-letter one must be well formed (ISO 639-2
//! and 639-3 hold thousands, all three letters). Subtags after it are checked for form and
//! given their conventional case (`zh-hant-tw` → `zh-Hant-TW`).

/// The ISO 639-1 two-letter language codes (the withdrawn `iw`, `in`, `ji` and `jw` are
/// mapped to their replacements in [`normalize`]).
const ISO_639_1: &[&str] = &[
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bh",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da",
    "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr",
    "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz",
    "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj",
    "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln",
    "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi",
    "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk",
    "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti",
    "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo",
    "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu",
];

/// The tag for a language whose language is not known (valid BCP 47, but it names no
/// language, so Kindle takes it for none).
pub const UNDETERMINED: &str = "und";

/// `tag` as a valid BCP 47 tag with a real primary language, in canonical case, or `None`
/// when it is not one. Underscores become hyphens and a POSIX locale's encoding and
/// modifier are dropped (`en_US.UTF-8@euro` → `en-US`); `C` and `POSIX` are no language.
pub fn normalize(tag: &str) -> Option<String> {
    let tag = tag.trim();
    let tag = tag.split(['.', '@']).next().unwrap_or_default();
    let tag = tag.replace('_', "-");
    let mut subtags = tag.split('-');
    let primary = subtags.next()?.to_ascii_lowercase();
    let primary = match primary.as_str() {
        "iw" => "he".to_string(),
        "in" => "id".to_string(),
        "ji" => "yi".to_string(),
        "jw" => "jv".to_string(),
        _ => primary,
    };
    let known = match primary.len() {
        2 => ISO_639_1.binary_search(&primary.as_str()).is_ok(),
        3 => primary.bytes().all(|b| b.is_ascii_lowercase()),
        _ => false,
    };
    if !known {
        return None;
    }
    let mut out = primary;
    // After a singleton (`x`, `u`…) subtags are an extension's own, kept in lower case.
    let mut in_extension = false;
    for subtag in subtags {
        if subtag.is_empty()
            || subtag.len() > 8
            || !subtag.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return None;
        }
        out.push('-');
        let lower = subtag.to_ascii_lowercase();
        if in_extension {
            out.push_str(&lower);
        } else if subtag.len() == 1 {
            in_extension = true;
            out.push_str(&lower);
        } else if subtag.len() == 2 && subtag.bytes().all(|b| b.is_ascii_alphabetic()) {
            out.push_str(&subtag.to_ascii_uppercase());
        } else if subtag.len() == 4 && subtag.bytes().all(|b| b.is_ascii_alphabetic()) {
            out.push_str(&lower[..1].to_ascii_uppercase());
            out.push_str(&lower[1..]);
        } else {
            out.push_str(&lower);
        }
    }
    Some(out)
}

/// Whether `tag` is, as written, a valid BCP 47 tag with a real primary language: what
/// [`normalize`] keeps, up to letter case (which BCP 47 ignores). `en_US`, `us` and `C` are
/// not; `und` is (it is well formed), which callers that need a known language check apart.
pub fn is_valid(tag: &str) -> bool {
    normalize(tag).is_some_and(|normal| normal.eq_ignore_ascii_case(tag))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_for_the_binary_search() {
        assert!(ISO_639_1.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn real_languages_are_kept_in_canonical_case() {
        assert_eq!(normalize("en").as_deref(), Some("en"));
        assert_eq!(normalize(" EN-us ").as_deref(), Some("en-US"));
        assert_eq!(normalize("zh-hant-tw").as_deref(), Some("zh-Hant-TW"));
        assert_eq!(normalize("es-419").as_deref(), Some("es-419"));
        assert_eq!(normalize("gsw").as_deref(), Some("gsw"));
        assert_eq!(normalize("de-CH-1996").as_deref(), Some("de-CH-1996"));
    }

    #[test]
    fn locale_spellings_are_repaired() {
        assert_eq!(normalize("en_US").as_deref(), Some("en-US"));
        assert_eq!(normalize("pt_BR.UTF-8").as_deref(), Some("pt-BR"));
        assert_eq!(normalize("de_DE@euro").as_deref(), Some("de-DE"));
        assert_eq!(normalize("iw").as_deref(), Some("he"));
    }

    #[test]
    fn what_is_no_language_is_refused() {
        for tag in [
            "us",
            "C",
            "POSIX",
            "english",
            "",
            "e n",
            "x-klingon",
            "en--US",
            "en-toolongsubtag",
        ] {
            assert_eq!(normalize(tag), None, "{tag}");
        }
    }

    #[test]
    fn validity_is_the_tag_as_written() {
        assert!(is_valid("en-US"));
        assert!(is_valid("en-us"));
        assert!(is_valid("und"));
        assert!(!is_valid("en_US"));
        assert!(!is_valid("us"));
        assert!(!is_valid("C"));
    }
}
