//! Which scripts a text needs a font for, and the one warning per script no font covers.

use crate::error::{counted, Warning};
use crate::model::{Block, Document, Inline};
use std::collections::BTreeSet;
use unicode_script::{Script, UnicodeScript};

/// Whether some face at hand has a character.
pub(crate) type Covered<'c> = dyn FnMut(char) -> bool + 'c;

/// The characters of a text that no face at hand has, grouped by script.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Needs {
    /// Scripts in the order they were first met, each with its uncovered characters.
    pub scripts: Vec<(Script, BTreeSet<char>)>,
}

impl Needs {
    pub fn is_empty(&self) -> bool {
        self.scripts.is_empty()
    }

    fn add(&mut self, script: Script, c: char) {
        match self.scripts.iter_mut().find(|(s, _)| *s == script) {
            Some((_, chars)) => {
                chars.insert(c);
            }
            None => self.scripts.push((script, BTreeSet::from([c]))),
        }
    }

    /// Adds the characters of `text` that `covered` says no face has (it also answers for
    /// characters that need no glyph). Punctuation and other
    /// characters of no one script (`，`, `۔`, combining marks) count for the script of the
    /// letter before them, as a font itemizer would set them.
    pub fn scan_text(&mut self, text: &str, covered: &mut dyn FnMut(char) -> bool) {
        // Latin-script documents are mostly ASCII, which the bundled faces have: this check
        // is what keeps the scan free for them.
        if text.is_ascii() {
            return;
        }
        let mut context: Option<Script> = None;
        for c in text.chars() {
            if c.is_ascii() {
                if c.is_ascii_alphabetic() {
                    context = Some(Script::Latin);
                }
                continue;
            }
            let own = c.script();
            let script = match own {
                Script::Common | Script::Inherited | Script::Unknown => context.unwrap_or(own),
                _ => {
                    context = Some(own);
                    own
                }
            };
            if c.is_whitespace() || covered(c) {
                continue;
            }
            self.add(script, c);
        }
    }

    /// The needs of a whole document: its metadata shown on pages and covers, and every
    /// block's text (captions, cells, alt text and footnotes included).
    pub fn of_document(document: &Document, covered: &mut dyn FnMut(char) -> bool) -> Needs {
        let mut needs = Needs::default();
        let meta = &document.meta;
        for text in meta
            .title
            .iter()
            .chain(&meta.subtitle)
            .chain(&meta.authors)
            .chain(&meta.site_name)
        {
            needs.scan_text(text, covered);
        }
        needs.scan_blocks(&document.blocks, covered);
        needs
    }

    // Recursion here and in `scan_inlines` is bounded by the model's depth limit, which
    // every writer checks first.
    fn scan_blocks(&mut self, blocks: &[Block], covered: &mut dyn FnMut(char) -> bool) {
        for block in blocks {
            match block {
                Block::Paragraph(inlines)
                | Block::Heading {
                    content: inlines, ..
                } => self.scan_inlines(inlines, covered),
                Block::Code { text, .. } => self.scan_text(text, covered),
                Block::Table(table) => {
                    self.scan_inlines(&table.caption, covered);
                    for row in table.head.iter().chain(&table.body) {
                        for cell in &row.cells {
                            self.scan_blocks(&cell.content, covered);
                        }
                    }
                }
                Block::Figure(figure) => {
                    self.scan_text(&figure.image.alt, covered);
                    self.scan_inlines(&figure.caption, covered);
                }
                Block::Quote(inner) | Block::Container { blocks: inner, .. } => {
                    self.scan_blocks(inner, covered)
                }
                Block::List(list) => {
                    for item in &list.items {
                        self.scan_blocks(item, covered);
                    }
                }
                Block::Rule => {}
            }
        }
    }

    fn scan_inlines(&mut self, inlines: &[Inline], covered: &mut dyn FnMut(char) -> bool) {
        for inline in inlines {
            match inline {
                Inline::Text(t) | Inline::Code(t) => self.scan_text(t, covered),
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Span { content: c, .. } => self.scan_inlines(c, covered),
                Inline::Link(link) => self.scan_inlines(&link.content, covered),
                Inline::Image(image) => self.scan_text(&image.alt, covered),
                Inline::Math(math) => {
                    // Text shows the linear form, the PDF the styled one (`x` and a raised
                    // `2` rather than `²`): either may be set.
                    self.scan_text(&math.linear(), covered);
                    let styled = crate::write::math_inlines::tex_to_inlines(&math.tex_or_text());
                    self.scan_text(&crate::model::inlines_to_plain(&styled), covered);
                }
                Inline::Note(blocks) => self.scan_blocks(blocks, covered),
                Inline::LineBreak => {}
            }
        }
    }
}

/// Groups characters no face had by script: a character of no one script (`。`, `،`) joins
/// a script it is used with, else the largest group, so Chinese punctuation does not make
/// a warning of its own.
pub(crate) fn group_missing(missing: &BTreeSet<char>) -> Needs {
    let mut needs = Needs::default();
    let mut shared = Vec::new();
    for &c in missing {
        match c.script() {
            Script::Common | Script::Inherited | Script::Unknown => shared.push(c),
            script => needs.add(script, c),
        }
    }
    for c in shared {
        let extensions = c.script_extension();
        let home = needs
            .scripts
            .iter()
            .find(|(s, _)| extensions.contains_script(*s))
            .or_else(|| needs.scripts.iter().max_by_key(|(_, chars)| chars.len()))
            .map_or(Script::Common, |(s, _)| *s);
        needs.add(home, c);
    }
    needs
}

/// One warning per script that characters in `missing` belong to, naming the packages that
/// fix it. `language` (the document's) names what Han text is.
pub(crate) fn missing_warnings(missing: &BTreeSet<char>, language: Option<&str>) -> Vec<Warning> {
    // Emoji get a warning of their own: the fonts most systems have for them are colour
    // bitmaps, which a PDF cannot embed, so the fix is another font than the symbols'.
    let (emoji, others): (BTreeSet<char>, BTreeSet<char>) =
        missing.iter().partition(|&&c| is_emoji(c));
    let mut warnings: Vec<Warning> = group_missing(&others)
        .scripts
        .iter()
        .map(|(script, chars)| missing_warning(*script, chars, language))
        .collect();
    if !emoji.is_empty() {
        let examples: Vec<String> = emoji.iter().take(3).map(char::to_string).collect();
        warnings.push(Warning::new(format!(
            "no font for emoji ({}, e.g. {}); they are drawn as empty \
             boxes; install fonts-symbola (Debian/Ubuntu) or gdouros-symbola-fonts (Fedora), \
             or give --font FILE with a black-and-white emoji font (colour emoji fonts cannot \
             be embedded)",
            counted(emoji.len(), "character", "characters"),
            examples.join(" ")
        )));
    }
    warnings
}

/// Whether `c` is an emoji from the pictograph blocks (faces, animals, transport, the
/// symbols of Unicode 6 onwards), which text fonts do not have.
fn is_emoji(c: char) -> bool {
    ('\u{1F000}'..='\u{1FAFF}').contains(&c)
}

fn missing_warning(script: Script, chars: &BTreeSet<char>, language: Option<&str>) -> Warning {
    // The script's own letters say more than the punctuation that joined them.
    let own = chars.iter().filter(|c| c.script() == script);
    let shared = chars.iter().filter(|c| c.script() != script);
    let examples: Vec<String> = own.chain(shared).take(3).map(char::to_string).collect();
    let examples = examples.join(" ");
    let (debian, fedora, mac) = packages(script);
    Warning::new(format!(
        "no font for {} text ({}, e.g. {examples}); they are drawn as \
         empty boxes; install {debian} (Debian/Ubuntu), {fedora} (Fedora), {mac} (macOS), or \
         give --font FILE",
        script_label(script, language),
        counted(chars.len(), "character", "characters")
    ))
}

/// The script's name as a reader knows it: "Han (Chinese)", "Hangul (Korean)", "Arabic".
pub(crate) fn script_label(script: Script, language: Option<&str>) -> String {
    let primary = language
        .and_then(|l| l.split(['-', '_']).next())
        .map(str::to_ascii_lowercase);
    let language_name = match script {
        Script::Han => Some(match primary.as_deref() {
            Some("ja") => "Japanese",
            Some("ko") => "Korean",
            _ => "Chinese",
        }),
        Script::Hiragana | Script::Katakana => Some("Japanese"),
        Script::Hangul => Some("Korean"),
        Script::Bopomofo => Some("Chinese"),
        _ => None,
    };
    match (script, language_name) {
        (Script::Common, _) => "symbol".to_string(),
        (_, Some(name)) => format!("{} ({name})", script.full_name()),
        (_, None) => script.full_name().replace('_', " "),
    }
}

/// The Debian, Fedora and macOS (Homebrew) packages of Noto fonts that cover `script`.
fn packages(script: Script) -> (String, String, String) {
    if is_cjk(script) {
        return (
            "fonts-noto-cjk".into(),
            "google-noto-sans-cjk-fonts".into(),
            "brew install --cask font-noto-sans-cjk".into(),
        );
    }
    if script == Script::Common {
        return (
            "fonts-noto-core".into(),
            "google-noto-sans-symbols-fonts".into(),
            "brew install --cask font-noto-sans-symbols".into(),
        );
    }
    let name = script.full_name().to_ascii_lowercase().replace('_', "-");
    (
        "fonts-noto-core".into(),
        format!("google-noto-sans-{name}-fonts"),
        format!("brew install --cask font-noto-sans-{name}"),
    )
}

/// Scripts the Noto CJK collections cover.
pub(crate) fn is_cjk(script: Script) -> bool {
    matches!(
        script,
        Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the bundled faces roughly cover: these scripts and general punctuation.
    fn latin_greek_cyrillic(c: char) -> bool {
        matches!(c.script(), Script::Latin | Script::Greek | Script::Cyrillic)
            || ('\u{2000}'..='\u{206F}').contains(&c)
    }

    #[test]
    fn ascii_and_covered_text_needs_nothing() {
        let mut needs = Needs::default();
        let mut asked = 0;
        needs.scan_text("Plain ASCII text, all of it.", &mut |_| {
            asked += 1;
            true
        });
        assert_eq!(
            asked, 0,
            "ASCII text is not looked at character by character"
        );
        needs.scan_text("Ζωή и жизнь, café — “quoted”", &mut latin_greek_cyrillic);
        assert!(needs.is_empty());
    }

    #[test]
    fn scripts_are_found_and_punctuation_joins_its_letters() {
        let mut needs = Needs::default();
        needs.scan_text("中文，日本語。 עברית, नमस्ते", &mut latin_greek_cyrillic);
        let scripts: Vec<Script> = needs.scripts.iter().map(|(s, _)| *s).collect();
        // 日本語 is Han too; the fullwidth comma and full stop count as Han.
        assert_eq!(scripts, [Script::Han, Script::Hebrew, Script::Devanagari]);
        let han = &needs.scripts[0].1;
        assert!(han.contains(&'，') && han.contains(&'。'));
        // The virama is a Devanagari mark: it needs the Devanagari font.
        assert!(needs.scripts[2].1.contains(&'्'));
    }

    #[test]
    fn emoji_get_a_warning_of_their_own_naming_a_font_a_pdf_can_embed() {
        let missing: BTreeSet<char> = "⚙🐛🚀".chars().collect();
        let warnings: Vec<String> = missing_warnings(&missing, Some("en"))
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(
            warnings[0].contains("symbol text (1 character, e.g. ⚙)"),
            "{warnings:?}"
        );
        assert!(
            warnings[1].contains("emoji (2 characters, e.g. 🐛 🚀)"),
            "{warnings:?}"
        );
        assert!(warnings[1].contains("fonts-symbola"), "{warnings:?}");
        assert!(!warnings[1].contains("fonts-noto-core"), "{warnings:?}");
    }

    #[test]
    fn one_warning_per_script_naming_the_fix() {
        let missing: BTreeSet<char> = "中文字，。ab".chars().filter(|c| !c.is_ascii()).collect();
        let warnings = missing_warnings(&missing, Some("zh-CN"));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let text = warnings[0].to_string();
        assert!(text.contains("Han (Chinese)"), "{text}");
        assert!(text.contains("5 characters"), "{text}");
        assert!(text.contains("fonts-noto-cjk"), "{text}");
        assert!(text.contains("google-noto-sans-cjk-fonts"), "{text}");
        assert!(text.contains("--font"), "{text}");

        let missing: BTreeSet<char> = "שלוםمرحبا".chars().collect();
        let warnings = missing_warnings(&missing, None);
        assert_eq!(warnings.len(), 2);
        assert!(warnings[0]
            .to_string()
            .contains("google-noto-sans-hebrew-fonts"));
        assert!(warnings[1].to_string().contains("Arabic"));
    }
}
