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
    // Chinese or Japanese with its reading beside it in Latin letters (pinyin, romaji: lyrics,
    // textbooks) has more Latin letters than Han characters, but one Han character says as
    // much as a word: a good share of them makes the text theirs, and its CJK part decides
    // which language it is.
    if info.script() == whatlang::Script::Latin {
        let (cjk, latin) = sample.chars().fold((0usize, 0usize), |(cjk, latin), c| {
            if is_cjk(c) {
                (cjk + 1, latin)
            } else if c.is_alphabetic() {
                (cjk, latin + 1)
            } else {
                (cjk, latin)
            }
        });
        if cjk * 5 >= latin && cjk >= 10 {
            let cjk_text: String = sample
                .chars()
                .map(|c| if is_cjk(c) { c } else { ' ' })
                .collect();
            let info = whatlang::detect(&cjk_text).filter(whatlang::Info::is_reliable)?;
            return iso_639_1(info.lang()).map(str::to_string);
        }
    }
    if !info.is_reliable() {
        return None;
    }
    // A language few documents are in, guessed without much certainty, is more often a
    // wrong guess for a mixed or short text than the truth: no language is better than a
    // wrong one (it picks the hyphenation and the fonts).
    if is_rarely_written(info.lang()) && info.confidence() < RARE_LANGUAGE_CONFIDENCE {
        return None;
    }
    iso_639_1(info.lang()).map(str::to_string)
}

/// How sure whatlang must be of a language [`is_rarely_written`].
const RARE_LANGUAGE_CONFIDENCE: f64 = 0.95;

/// Han ideographs, kana and Hangul: the letters of Chinese, Japanese and Korean.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'     // hiragana, katakana
        | '\u{3400}'..='\u{4dbf}'   // Han, extension A
        | '\u{4e00}'..='\u{9fff}'   // Han
        | '\u{ac00}'..='\u{d7af}'   // Hangul syllables
        | '\u{f900}'..='\u{faff}'   // Han compatibility
    )
}

/// Latin-script languages whatlang knows that few web pages or books are written in, and
/// that its trigrams confuse with the text of others (pinyin read as Javanese, lists of
/// names as Latin).
fn is_rarely_written(lang: whatlang::Lang) -> bool {
    use whatlang::Lang::*;
    matches!(lang, Jav | Aka | Sna | Tuk | Zul | Lat | Epo)
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

#[cfg(test)]
mod tests {
    use super::detect_language;
    use crate::model::{Block, Document, Inline, Meta};

    fn language_of(title: &str, lines: &[&str]) -> Option<String> {
        let meta = Meta {
            title: Some(title.to_string()),
            ..Meta::default()
        };
        let blocks = lines
            .iter()
            .map(|line| Block::Paragraph(vec![Inline::text(*line)]))
            .collect();
        detect_language(&Document::new(meta, blocks))
    }

    #[test]
    fn chinese_with_its_pinyin_is_chinese() {
        let lines = [
            "爱 逝去的爱 讨不回来",
            "ai shi qu de ai tao bu hui lai",
            "只能想念你 只能想念你",
            "zhi neng xiang nian ni zhi neng xiang nian ni",
            "我的心 还在等你回来",
            "wo de xin hai zai deng ni hui lai",
            "你说过的话 我都记得",
            "ni shuo guo de hua wo dou ji de",
            "一个人走在 回家的路上",
            "yi ge ren zou zai hui jia de lu shang",
        ];
        assert_eq!(
            language_of("Zhi Neng Xiang Nian Ni (只能想念你)", &lines).as_deref(),
            Some("zh")
        );
    }

    #[test]
    fn plain_text_keeps_its_language() {
        let lines = [
            "The harbour board agreed on Monday to dredge the channel, a job that fishermen, \
             ferry crews and the lifeboat station had asked for since the storms of 2021.",
            "Work starts in May and should be finished before the summer season begins.",
        ];
        assert_eq!(
            language_of("Channel to be dredged", &lines).as_deref(),
            Some("en")
        );
    }
}
