//! The fallback chain: for a script and a style, which installed face sets it.
//!
//! First the families made for the script, in the style's kind (serif for body text, sans
//! for headings), then the other kind; within a family the face nearest in weight and
//! slant (a real bold or italic where the family has one; nothing is synthesised); then
//! any face that covers the text at all.

use super::scan::is_cjk;
use unicode_script::Script;

/// What a run of text asks for, as far as choosing a family goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Want {
    pub sans: bool,
    pub bold: bool,
    pub italic: bool,
}

impl Want {
    /// The four styles a document's text is set in (body and headings, regular and bold):
    /// the faces a writer loads for a script. Italic falls back on the upright face, as
    /// few of these scripts' families have one.
    pub const USED: [Want; 4] = [
        Want::new(false, false),
        Want::new(false, true),
        Want::new(true, false),
        Want::new(true, true),
    ];

    pub const fn new(sans: bool, bold: bool) -> Want {
        Want {
            sans,
            bold,
            italic: false,
        }
    }

    pub const fn italic_if(self, italic: bool) -> Want {
        Want { italic, ..self }
    }

    /// How far a face chosen for `self` is from what `other` asks: kind (serif or sans)
    /// first, then weight, then slant.
    pub fn distance(self, other: Want) -> u8 {
        4 * u8::from(self.sans != other.sans)
            + 2 * u8::from(self.bold != other.bold)
            + u8::from(self.italic != other.italic)
    }
}

/// One installed face as the chain sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Candidate {
    /// Family names (a face may have several: localized, typographic).
    pub families: Vec<String>,
    pub bold: bool,
    pub italic: bool,
    pub monospaced: bool,
}

/// The families to prefer for `script` in `want`'s kind, best first: the script's serif
/// (or sans) families, then those of the other kind. `language` (BCP 47) picks the Han
/// variant: Simplified and Traditional Chinese and Japanese draw some characters
/// differently.
pub(crate) fn preferred_families(
    script: Script,
    language: Option<&str>,
    sans: bool,
) -> Vec<String> {
    let (serif, sans_families) = families_of(script, language);
    let (first, second) = if sans {
        (sans_families, serif)
    } else {
        (serif, sans_families)
    };
    first.into_iter().chain(second).collect()
}

/// (serif families, sans families) for a script: Noto first (what Debian and Fedora
/// install), then the faces macOS and Windows ship.
fn families_of(script: Script, language: Option<&str>) -> (Vec<String>, Vec<String>) {
    let owned = |names: &[&str]| names.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    if is_cjk(script) {
        let region = cjk_region(script, language);
        let mac_serif = match region {
            "JP" => "Hiragino Mincho ProN",
            "KR" => "AppleMyungjo",
            "TC" | "HK" => "Songti TC",
            _ => "Songti SC",
        };
        let mac_sans = match region {
            "JP" => "Hiragino Sans",
            "KR" => "Apple SD Gothic Neo",
            "TC" => "PingFang TC",
            "HK" => "PingFang HK",
            _ => "PingFang SC",
        };
        return (
            vec![format!("Noto Serif CJK {region}"), mac_serif.to_string()],
            vec![format!("Noto Sans CJK {region}"), mac_sans.to_string()],
        );
    }
    match script {
        Script::Arabic => {
            let urdu = language.is_some_and(|l| primary_language(l) == "ur");
            let mut serif = owned(&["Noto Naskh Arabic", "Noto Serif Arabic"]);
            if urdu {
                serif.insert(0, "Noto Nastaliq Urdu".to_string());
            }
            (
                serif,
                owned(&["Noto Sans Arabic", "Noto Kufi Arabic", "Geeza Pro"]),
            )
        }
        Script::Hebrew => (
            owned(&["Noto Serif Hebrew", "Times New Roman"]),
            owned(&["Noto Sans Hebrew", "Arial Hebrew"]),
        ),
        Script::Devanagari => (
            owned(&["Noto Serif Devanagari"]),
            owned(&["Noto Sans Devanagari", "Kohinoor Devanagari"]),
        ),
        Script::Thai => (
            owned(&["Noto Serif Thai"]),
            owned(&["Noto Sans Thai", "Noto Sans Thai Looped", "Thonburi"]),
        ),
        _ => {
            // The Noto families are named after the script: "Noto Serif Tamil",
            // "Noto Sans Georgian", "Noto Sans Old_Italic" spelt with a space.
            let name = script.full_name().replace('_', " ");
            (
                vec![format!("Noto Serif {name}")],
                vec![format!("Noto Sans {name}")],
            )
        }
    }
}

fn primary_language(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The Noto CJK variant ("SC", "TC", "HK", "JP", "KR") for a script and language.
pub(crate) fn cjk_region(script: Script, language: Option<&str>) -> &'static str {
    match script {
        Script::Hiragana | Script::Katakana => return "JP",
        Script::Hangul => return "KR",
        Script::Bopomofo => return "TC",
        _ => {}
    }
    let Some(tag) = language else { return "SC" };
    let lower = tag.to_ascii_lowercase().replace('_', "-");
    match primary_language(&lower).as_str() {
        "ja" => "JP",
        "ko" => "KR",
        "zh" | "yue" | "lzh" => {
            let parts: Vec<&str> = lower.split('-').skip(1).collect();
            if parts.contains(&"hk") || parts.contains(&"mo") {
                "HK"
            } else if parts.contains(&"hant") || parts.contains(&"tw") {
                "TC"
            } else {
                "SC"
            }
        }
        _ => "SC",
    }
}

/// The candidate that sets `script` in `want`: the first preferred family that has a face
/// covering the text (the nearest in weight and slant), else the nearest face that covers
/// it. `covers(i)` says whether candidate `i` has the script's characters; it is asked only
/// of the candidates that could win, as it may have to read the font.
pub(crate) fn pick(
    candidates: &[Candidate],
    preferred: &[String],
    want: Want,
    covers: &mut dyn FnMut(usize) -> bool,
) -> Option<usize> {
    for family in preferred {
        let best = best_of(
            candidates,
            want,
            |c| c.families.iter().any(|f| f.eq_ignore_ascii_case(family)),
            covers,
        );
        if best.is_some() {
            return best;
        }
    }
    best_of(candidates, want, |c| !c.monospaced, covers)
}

/// Among the candidates `eligible` accepts, the one nearest `want` that covers the text;
/// ties go to the first (fontdb lists faces in a stable order).
fn best_of(
    candidates: &[Candidate],
    want: Want,
    eligible: impl Fn(&Candidate) -> bool,
    covers: &mut dyn FnMut(usize) -> bool,
) -> Option<usize> {
    let mut order: Vec<(u8, usize)> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| eligible(c))
        .map(|(i, c)| {
            // Weight matters more than slant: a bold heading in a regular face loses more
            // than an emphasis set upright.
            let mismatch = 2 * u8::from(c.bold != want.bold) + u8::from(c.italic != want.italic);
            (mismatch, i)
        })
        .collect();
    order.sort_unstable();
    order.into_iter().map(|(_, i)| i).find(|&i| covers(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn face(family: &str, bold: bool, italic: bool) -> Candidate {
        Candidate {
            families: vec![family.to_string()],
            bold,
            italic,
            monospaced: false,
        }
    }

    fn installed() -> Vec<Candidate> {
        vec![
            face("DejaVu Sans", false, false),
            face("Noto Sans Arabic", false, false),
            face("Noto Sans Arabic", true, false),
            face("Noto Naskh Arabic", false, false),
            face("Noto Sans Hebrew", false, false),
            face("Noto Sans CJK JP", false, false),
            face("Noto Sans CJK SC", false, false),
            face("Noto Serif CJK SC", true, false),
            face("Noto Serif CJK TC", false, false),
        ]
    }

    fn choose(script: Script, language: Option<&str>, want: Want) -> Option<String> {
        let faces = installed();
        let preferred = preferred_families(script, language, want.sans);
        // DejaVu covers Arabic and Hebrew but not Han; the rest cover their own script.
        let mut covers = |i: usize| {
            let family = &faces[i].families[0];
            match script {
                Script::Han => family.contains("CJK"),
                Script::Arabic => family.contains("Arabic") || family == "DejaVu Sans",
                Script::Hebrew => family.contains("Hebrew") || family == "DejaVu Sans",
                _ => false,
            }
        };
        pick(&faces, &preferred, want, &mut covers).map(|i| {
            let f = &faces[i];
            format!("{}{}", f.families[0], if f.bold { " Bold" } else { "" })
        })
    }

    const SERIF: Want = Want::new(false, false);
    const SERIF_BOLD: Want = Want::new(false, true);
    const SANS: Want = Want::new(true, false);
    const SANS_BOLD: Want = Want::new(true, true);

    #[test]
    fn arabic_body_is_naskh_and_headings_sans_bold() {
        assert_eq!(
            choose(Script::Arabic, Some("ar"), SERIF).unwrap(),
            "Noto Naskh Arabic"
        );
        // Naskh has no bold installed: the regular Naskh, not a synthesised bold.
        assert_eq!(
            choose(Script::Arabic, Some("ar"), SERIF_BOLD).unwrap(),
            "Noto Naskh Arabic"
        );
        assert_eq!(
            choose(Script::Arabic, Some("ar"), SANS_BOLD).unwrap(),
            "Noto Sans Arabic Bold"
        );
    }

    #[test]
    fn hebrew_serif_falls_back_on_the_sans_family() {
        assert_eq!(
            choose(Script::Hebrew, Some("he"), SERIF).unwrap(),
            "Noto Sans Hebrew"
        );
    }

    #[test]
    fn han_follows_the_document_language() {
        assert_eq!(
            choose(Script::Han, Some("zh-CN"), SANS).unwrap(),
            "Noto Sans CJK SC"
        );
        assert_eq!(
            choose(Script::Han, Some("ja"), SANS).unwrap(),
            "Noto Sans CJK JP"
        );
        assert_eq!(
            choose(Script::Han, Some("zh-TW"), SERIF).unwrap(),
            "Noto Serif CJK TC"
        );
        assert_eq!(
            choose(Script::Han, None, SERIF_BOLD).unwrap(),
            "Noto Serif CJK SC Bold"
        );
        assert_eq!(cjk_region(Script::Han, Some("zh-Hant-HK")), "HK");
        assert_eq!(cjk_region(Script::Hangul, Some("en")), "KR");
    }

    #[test]
    fn with_no_family_of_the_script_any_covering_face_serves() {
        let faces = vec![
            face("DejaVu Sans", false, false),
            face("Noto Sans Mono", false, false),
        ];
        let preferred = preferred_families(Script::Hebrew, None, false);
        assert_eq!(pick(&faces, &preferred, SERIF, &mut |i| i == 0), Some(0));
        // Nothing covers it: no face, rather than a face of boxes.
        assert_eq!(pick(&faces, &preferred, SERIF, &mut |_| false), None);
    }

    #[test]
    fn families_follow_noto_names_for_other_scripts() {
        assert_eq!(
            preferred_families(Script::Tamil, None, false),
            ["Noto Serif Tamil", "Noto Sans Tamil"]
        );
        assert_eq!(
            preferred_families(Script::Georgian, None, true),
            ["Noto Sans Georgian", "Noto Serif Georgian"]
        );
    }
}
