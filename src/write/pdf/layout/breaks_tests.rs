//! Line breaking across scripts (issue 14, point 3): CJK line-start and line-end rules,
//! CJK justification by spacing between characters, dictionary breaks in Thai, no hyphens
//! where the language has none, grapheme clusters never cut. Set with the bundled faces:
//! glyphs they lack are `.notdef` boxes with a width, and what is checked is where lines
//! break and how their glyphs are spaced, not how they look.

use super::super::fonts::UserFonts;
use super::*;
use crate::write::breaks::{is_line_end_prohibited, is_line_start_prohibited, is_wide};
use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::WordSegmenter;

/// A glyph of a set line: its text, x from the paragraph's left edge, and advance.
#[derive(Debug, Clone)]
struct Glyph {
    text: String,
    x: f32,
    advance: f32,
}

/// Sets `text` as one paragraph of a document in `language`, `width` points wide, aligned
/// as `align` says (or as the layouter chooses), and returns each line's glyphs in order.
fn set(text: &str, language: &str, width: f32, align: Option<Align>) -> Vec<Vec<Glyph>> {
    let lines = with_layouter(language, |layouter| {
        let mut para = layouter.para_style(layouter.geo.left, width);
        if let Some(align) = align {
            para.align = align;
        }
        let piece = Piece::Text(text.to_string(), RunStyle::plain(FontStyle::BODY, BLACK));
        layouter.set_paragraph(&[piece], &para)
    });
    lines
        .iter()
        .map(|line| {
            let mut glyphs = Vec::new();
            for (x, fragment) in &line.fragments {
                let mut x = *x;
                for g in &fragment.glyphs {
                    glyphs.push(Glyph {
                        text: g.reading_text().to_string(),
                        x,
                        advance: g.advance,
                    });
                    x += g.advance;
                }
            }
            glyphs
        })
        .collect()
}

/// Runs `f` with a layouter for an A4 page in `language`, with the bundled faces.
fn with_layouter<R>(language: &str, f: impl FnOnce(&mut Layouter) -> R) -> R {
    let user = UserFonts::default();
    let fonts = FontSet::new(&user, &mut Vec::new());
    let mut shaper = Shaper::new(&fonts);
    let images = ImageInfo::default();
    let geo = Geometry::from_options(&PdfOptions::default());
    let meta = Meta {
        language: Some(language.to_string()),
        ..Meta::default()
    };
    let mut layouter = Layouter::new(&mut shaper, geo, &meta, false, &images);
    f(&mut layouter)
}

fn texts(lines: &[Vec<Glyph>]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l.iter().map(|g| g.text.as_str()).collect())
        .collect()
}

/// The right edge of a line: where its last glyph ends.
fn right_edge(line: &[Glyph]) -> f32 {
    line.last().map_or(0.0, |g| g.x + g.advance)
}

const CHINESE: &str =
    "北京时间昨天晚上，国家统计局发布了最新的经济数据。数据显示，今年前三个季度，\
    全国居民人均可支配收入比上年同期名义增长百分之六点三（扣除价格因素，实际增长百分之五点九）。\
    专家认为：「消费市场正在稳步恢复，但是仍然面临不少挑战。」他还指出，《报告》中提到的措施，\
    包括扩大内需、稳定就业和促进投资，将在未来几个月内陆续落实！你觉得呢？";

const JAPANESE: &str = "今日は朝から雨が降っていましたが、午後になるとすっかり晴れて、\
    気持ちのよい天気になりました。駅前の喫茶店で「ちょっと休憩しよう」と友達に言われ、\
    コーヒーを飲みながら、最近読んだ本（『吾輩は猫である』）について話しました。\
    ショッピングモールへ行ったのは、それから一時間ほど後のことです。ゆっくりできてよかった！";

/// No line of a Chinese or a Japanese paragraph starts with closing punctuation, an
/// iteration mark or a small kana, and none ends with an opening bracket, whatever the
/// measure and alignment (kinsoku).
#[test]
fn cjk_lines_neither_start_with_closing_marks_nor_end_with_opening_ones() {
    for (text, language) in [(CHINESE, "zh"), (JAPANESE, "ja")] {
        let plain: String = text.chars().filter(|c| *c != ' ').collect();
        for width in [60.0, 90.0, 120.0, 170.0, 230.0, 330.0] {
            for align in [Align::Justify, Align::Left] {
                let lines = set(text, language, width, Some(align));
                let texts = texts(&lines);
                assert!(texts.len() > 2, "{language} {width}: {texts:?}");
                assert_eq!(texts.concat(), plain, "{language} {width}: text changed");
                for (n, line) in texts.iter().enumerate() {
                    let first = line.chars().next().unwrap_or(' ');
                    let last = line.chars().next_back().unwrap_or(' ');
                    assert!(
                        n == 0 || !is_line_start_prohibited(first),
                        "{language} {width} {align:?}: line {n} starts with {first:?}: {texts:?}"
                    );
                    assert!(
                        n + 1 == texts.len() || !is_line_end_prohibited(last),
                        "{language} {width} {align:?}: line {n} ends with {last:?}: {texts:?}"
                    );
                }
            }
        }
    }
}

/// A justified CJK line reaches the measure by spacing its characters evenly: every
/// line but the last ends at the measure, and on each line every gap between two CJK
/// characters (also before "。" and after "「", where no line may break) is the same; a
/// space between Latin words stretches no more than a CJK gap does (plus its own width).
#[test]
fn justified_cjk_lines_reach_the_measure_with_even_gaps_between_characters() {
    let space = with_layouter("zh", |layouter| {
        let face = layouter.shaper.fonts.face_for(FontStyle::BODY);
        layouter.shaper.width(" ", face) * layouter.geo.size
    });
    let mixed = format!("{CHINESE}我们用 Rust 和 Python 写了一个小程序，它运行得很好。{JAPANESE}");
    for (text, language) in [(CHINESE, "zh"), (JAPANESE, "ja"), (mixed.as_str(), "zh")] {
        for width in [150.0, 230.0, 330.0, 425.0] {
            let lines = set(text, language, width, Some(Align::Justify));
            let texts = texts(&lines);
            assert!(lines.len() > 2, "{width}: {texts:?}");
            let mut stretched = 0;
            for (n, line) in lines[..lines.len() - 1].iter().enumerate() {
                let right = right_edge(line);
                assert!(
                    (right - width).abs() < 0.01,
                    "{language} {width}: line {n} ends at {right}: {:?}",
                    texts[n]
                );
                let gaps = line
                    .windows(2)
                    .map(|p| (p, p[1].x - (p[0].x + p[0].advance)));
                let cjk: Vec<f32> = gaps
                    .clone()
                    .filter(|(p, _)| {
                        p[0].text.chars().all(is_wide) && p[1].text.chars().all(is_wide)
                    })
                    .map(|(_, gap)| gap)
                    .collect();
                let widest = cjk.iter().copied().fold(0.0f32, f32::max);
                let narrowest = cjk.iter().copied().fold(f32::MAX, f32::min);
                assert!(
                    cjk.len() > 3 && widest - narrowest < 0.01,
                    "{language} {width}: line {n} has gaps from {narrowest} to {widest}: {:?}",
                    texts[n]
                );
                stretched += usize::from(widest > 0.01);
                // Spaces are glue, not glyphs: a gap next to a Latin letter is a space.
                for (pair, gap) in gaps.filter(|(p, gap)| {
                    *gap > 0.01
                        && !(p[0].text.chars().all(is_wide) && p[1].text.chars().all(is_wide))
                }) {
                    assert!(
                        gap - space <= widest * 1.2 + 0.01,
                        "{language} {width}: a space stretched by {} where CJK gaps are {widest}: {pair:?}",
                        gap - space
                    );
                }
            }
            assert!(stretched > 0, "{language} {width}: no line was stretched");
        }
    }
}

/// Thai has no spaces between words: a paragraph in a narrow measure breaks into several
/// lines, only where ICU's dictionary word segmentation puts a word boundary, and no
/// line runs past the measure.
#[test]
fn thai_breaks_between_dictionary_words_and_fits_the_measure() {
    let thai = "ภาษาไทยเป็นภาษาที่มีระดับเสียงของคำแน่นอนหรือวรรณยุกต์เช่นเดียวกับภาษาจีน\
                และออกเสียงแยกคำต่อคำ";
    let words: Vec<usize> = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default())
        .segment_str(thai)
        .collect();
    for language in ["th", "en"] {
        for width in [80.0, 120.0, 180.0] {
            for align in [Align::Justify, Align::Left] {
                let lines = set(thai, language, width, Some(align));
                let texts = texts(&lines);
                assert!(texts.len() >= 3, "{width}: {texts:?}");
                assert_eq!(
                    texts.concat(),
                    thai,
                    "{width}: the text changed (a hyphen?)"
                );
                let mut end = 0;
                for (n, line) in lines.iter().enumerate() {
                    end += texts[n].len();
                    assert!(
                        words.contains(&end),
                        "{language} {width}: line {n} ends inside a word: {texts:?}"
                    );
                    assert!(right_edge(line) <= width + 0.01, "{width}: {texts:?}");
                }
            }
        }
    }
    // Justified on a page's measure, the lines reach it by spacing the clusters a little,
    // not by gaps at the word breaks that would read (and copy) as spaces.
    let long = thai.repeat(4);
    let lines = set(&long, "th", 330.0, Some(Align::Justify));
    let texts = texts(&lines);
    assert!(lines.len() > 3, "{texts:?}");
    for (n, line) in lines[..lines.len() - 1].iter().enumerate() {
        assert!(
            (right_edge(line) - 330.0).abs() < 0.01,
            "line {n}: {texts:?}"
        );
        let widest = line
            .windows(2)
            .map(|p| p[1].x - (p[0].x + p[0].advance))
            .fold(0.0f32, f32::max);
        assert!(widest < 1.0, "line {n} has a gap of {widest}: {texts:?}");
    }
}

/// Where the language has no hyphenation (Chinese, Japanese, Korean, Thai, Lao, Khmer,
/// Burmese), no line ends with a hyphen, not even in the Latin words inside the text; an
/// English document hyphenates its own words but not the Thai ones.
#[test]
fn no_hyphens_where_the_language_has_none() {
    let latin = " internationalisation responsibilities characteristically \
                 incomprehensibilities ";
    let samples = [
        ("zh", CHINESE),
        ("ja", JAPANESE),
        (
            "ko",
            "대한민국의 수도는 서울특별시이며 가장 큰 도시이기도 합니다 경제와 문화의 중심지",
        ),
        (
            "th",
            "ภาษาไทยเป็นภาษาที่มีระดับเสียงของคำแน่นอนหรือวรรณยุกต์เช่นเดียวกับภาษาจีน",
        ),
        ("lo", "ພາສາລາວເປັນພາສາທີ່ມີສຽງວັນນະຍຸດຄືກັນກັບພາສາໄທ"),
        ("km", "ភាសាខ្មែរគឺជាភាសាផ្លូវការរបស់ប្រទេសកម្ពុជា"),
        ("my", "မြန်မာဘာသာစကားသည်မြန်မာနိုင်ငံ၏ရုံးသုံးဘာသာစကားဖြစ်သည်"),
    ];
    for (language, text) in samples {
        let text = format!("{text}{latin}{text}");
        for width in [120.0, 200.0, 330.0] {
            let lines = set(&text, language, width, Some(Align::Justify));
            let texts = texts(&lines);
            assert!(texts.len() > 1, "{language} {width}: {texts:?}");
            for line in &texts {
                assert!(
                    !line.ends_with('-'),
                    "{language} {width}: a hyphen: {texts:?}"
                );
            }
        }
    }
    // The same Latin words in an English document are hyphenated, so the test can see one.
    let english = format!("The words{latin}and again{latin}").repeat(3);
    let lines = texts(&set(&english, "en", 200.0, Some(Align::Justify)));
    assert!(lines.iter().any(|l| l.ends_with('-')), "{lines:?}");
    let thai_in_english = String::from(
        "The word ภาษาไทยเป็นภาษาที่มีระดับเสียงของคำแน่นอนหรือวรรณยุกต์ means Thai, and \
         Bangkokกรุงเทพมหานครอมรรัตนโกสินทร์ is a name.",
    );
    for width in [80.0, 120.0, 200.0] {
        let lines = texts(&set(&thai_in_english, "en", width, Some(Align::Justify)));
        for line in &lines {
            assert!(!line.ends_with('-'), "{width}: a hyphen in Thai: {lines:?}");
        }
    }
}

/// A Devanagari word wider than the measure is cut only between grapheme clusters: never
/// after a virama (inside a conjunct such as "क्ष") nor before a vowel sign or other mark.
#[test]
fn a_devanagari_word_wider_than_the_line_is_cut_between_clusters_only() {
    let word = "क्षत्रियविद्यार्थीस्वास्थ्यसंस्कृतिराष्ट्रीयक्षत्रिय".repeat(3);
    let is_mark = |c: char| matches!(c as u32, 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963);
    for width in [40.0, 60.0, 90.0] {
        for language in ["hi", "en"] {
            let lines = set(&word, language, width, None);
            let texts = texts(&lines);
            assert!(texts.len() > 2, "{width}: {texts:?}");
            assert_eq!(texts.concat(), word);
            for pair in texts.windows(2) {
                let last = pair[0].chars().next_back().unwrap_or(' ');
                let first = pair[1].chars().next().unwrap_or(' ');
                assert!(
                    last != '\u{094D}' && !is_mark(first),
                    "{width}: cut between {last:?} and {first:?}: {texts:?}"
                );
            }
        }
    }
}

/// A table whose cells hold Thai sentences is sized by the width of their longest word, not
/// of a whole sentence (which has no spaces): it fits the page in one piece and no text
/// runs out of the measure.
#[test]
fn a_table_of_thai_sentences_fits_the_page() {
    let sentence = "ภาษาไทยเป็นภาษาที่มีระดับเสียงของคำแน่นอนหรือวรรณยุกต์เช่นเดียวกับภาษาจีน";
    let markdown = format!(
        "| ปี | ภาษา | หมายเหตุ |\n| --- | --- | --- |\n| 2024 | {sentence} | {sentence} |\n\
         | 2025 | {sentence} | สั้น |\n"
    );
    let options = crate::ReadOptions {
        whole_page: true,
        ..crate::ReadOptions::default()
    };
    let mut document = crate::read(markdown.as_bytes(), crate::InputFormat::Markdown, &options)
        .expect("the table reads")
        .document;
    document.meta.language = Some("th".to_string());
    let user = UserFonts::default();
    let fonts = FontSet::new(&user, &mut Vec::new());
    let pdf = PdfOptions {
        page_size: super::super::PageSize::A5,
        ..PdfOptions::default()
    };
    let mut warnings = Vec::new();
    let laid = layout(
        &document,
        &pdf,
        &fonts,
        &ImageInfo::default(),
        &mut warnings,
    );
    let geo = Geometry::from_options(&pdf);
    let runs: Vec<&TextRun> = laid
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text(run) => Some(run),
            _ => None,
        })
        .collect();
    let thai: String = runs
        .iter()
        .flat_map(|r| r.glyphs.iter().map(|g| g.reading_text()))
        .filter(|t| t.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c)))
        .collect();
    assert!(thai.contains("ภาษา"), "the Thai text is on the page");
    for run in runs {
        let text: String = run.glyphs.iter().map(|g| g.reading_text()).collect();
        assert!(
            run.x >= geo.left - 0.5 && run.x + run.width() <= geo.width - geo.right + 0.5,
            "{text:?} runs out of the measure ({} to {}, warnings {warnings:?})",
            run.x,
            run.x + run.width()
        );
    }
}
