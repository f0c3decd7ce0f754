//! The language of a document's text, guessed when the document names none (or names
//! something that is no language): readers set it on the model, and the EPUB writer uses it
//! for a book whose stated language is not a real one.

use crate::model::Document;

/// Guesses the document's language from its text (whatlang), when the guess is reliable.
pub(crate) fn detect_language(doc: &Document) -> Option<String> {
    // The title counts too: on a short article it can be what makes the guess reliable.
    let mut sample = doc.meta.title.clone().unwrap_or_default();
    sample.push('\n');
    // A few thousand characters decide as reliably as a whole long text, for far less time.
    sample.push_str(&doc.plain_text(4 * 1024));
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    iso_639_1(info.lang()).map(str::to_string)
}

/// whatlang names languages by ISO 639-3; documents use the two-letter BCP 47 tags.
fn iso_639_1(lang: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang::*;
    Some(match lang {
        Eng => "en",
        Rus => "ru",
        Ukr => "uk",
        Bel => "be",
        Bul => "bg",
        Srp => "sr",
        Mkd => "mk",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Nld => "nl",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Slv => "sl",
        Hrv => "hr",
        Hun => "hu",
        Ron => "ro",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Ell => "el",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Pes => "fa",
        Urd => "ur",
        Hin => "hi",
        Ben => "bn",
        Mar => "mr",
        Tam => "ta",
        Tel => "te",
        Kan => "kn",
        Mal => "ml",
        Guj => "gu",
        Pan => "pa",
        Tha => "th",
        Vie => "vi",
        Ind => "id",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Kat => "ka",
        Hye => "hy",
        Epo => "eo",
        Lat => "la",
        Afr => "af",
        Cat => "ca",
        Aze => "az",
        Uzb => "uz",
        Amh => "am",
        Yid => "yi",
        Zul => "zu",
        Tgl => "tl",
        Jav => "jv",
        Khm => "km",
        Mya => "my",
        Sin => "si",
        Nep => "ne",
        Ori => "or",
        Aka => "ak",
        Sna => "sn",
        Tuk => "tk",
        _ => return None,
    })
}
