//! Fonts for scripts the bundled Noto faces lack, found on the machine (issue 14, point 1).
//!
//! Needs the Debian Noto fonts (fonts-noto-core, fonts-noto-cjk), which CI installs: when
//! `CI` is set and they are missing the tests fail; elsewhere they say loudly that they
//! skipped. The tests with discovery off need no font at all.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn quire() -> Command {
    Command::new(env!("CARGO_BIN_EXE_quire"))
}

const NOTO_CORE: &str = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf";
const NOTO_CJK: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// Whether the Debian Noto fonts are installed (a failure in CI if not).
fn noto_installed() -> bool {
    let missing: Vec<&str> = [NOTO_CORE, NOTO_CJK]
        .into_iter()
        .filter(|p| !Path::new(p).is_file())
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{missing:?} missing: CI must install fonts-noto-core and fonts-noto-cjk");
    }
    eprintln!("\n!!! SKIPPED: the Noto fonts are not installed ({missing:?}) !!!\n");
    false
}

fn tool(name: &str, args: &[&str]) -> Option<String> {
    match Command::new(name).args(args).output() {
        Ok(out) => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("{name} is required in CI: {e}");
            }
            eprintln!("!!! SKIPPED: {name} is not installed ({e}) !!!");
            None
        }
    }
}

/// Converts Markdown `source` (with `lang` in its front matter) to PDF with `args`.
fn convert(dir: &Path, name: &str, lang: &str, source: &str, args: &[&str]) -> (PathBuf, Output) {
    let input = dir.join(format!("{name}.md"));
    fs::write(&input, format!("---\nlang: {lang}\n---\n\n{source}")).unwrap();
    let pdf = dir.join(format!("{name}.pdf"));
    let output = quire()
        .arg("convert")
        .arg(&input)
        .args(["--to", "pdf", "-o"])
        .arg(&pdf)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (pdf, output)
}

fn warnings(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| l.contains("warning"))
        .map(str::to_string)
        .collect()
}

const CHINESE: &str = "# 中文标题\n\n这是一个中文段落，**用于**测试字体。\n";
const ARABIC: &str = "# عنوان عربي\n\nهذه فقرة **باللغة** العربية للاختبار\n";
const HINDI: &str = "# हिन्दी शीर्षक\n\nयह हिन्दी में **एक** अनुच्छेद है\n";

#[test]
fn chinese_arabic_and_hindi_are_set_in_installed_fonts() {
    if !noto_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (name, lang, source, family) in [
        ("zh", "zh-CN", CHINESE, "CJKsc"),
        ("ar", "ar", ARABIC, "Arabic"),
        ("hi", "hi", HINDI, "Devanagari"),
    ] {
        let (pdf, output) = convert(dir.path(), name, lang, source, &[]);
        assert_eq!(warnings(&output), Vec::<String>::new(), "{name}");
        let Some(fonts) = tool("pdffonts", &[pdf.to_str().unwrap()]) else {
            return;
        };
        // Every font is embedded (subset), the script's own among them.
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(rows.iter().any(|r| r.contains(family)), "{name}: {fonts}");
        for row in &rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert_eq!(cols[cols.len() - 5], "yes", "{name}: not embedded: {row}");
        }
        let text = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]).unwrap();
        // Hindi's vowel signs drawn before their consonant come back in drawing order
        // (a ToUnicode map is per glyph), so for Hindi only the letters are compared.
        let letters = |s: &str| {
            let mut v: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
            v.sort_unstable();
            v
        };
        for line in source.lines().filter(|l| !l.is_empty()) {
            let words = line.trim_start_matches("# ").replace("**", "");
            for word in words.split_whitespace() {
                if name == "hi" {
                    continue;
                }
                assert!(text.contains(word), "{name}: {word:?} not in {text:?}");
            }
        }
        if name == "hi" {
            let expected: String = source.replace("**", "");
            let wanted = letters(&expected);
            let got = letters(&text);
            assert!(
                wanted.iter().all(|c| got.contains(c)),
                "{name}: letters missing from {text:?}"
            );
        }
    }
}

#[test]
fn a_collection_face_other_than_the_first_is_embedded_and_drawn() {
    // Simplified Chinese is not the first face of the Noto CJK collections: the face
    // index must reach both the shaper and the embedded font.
    if !noto_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (pdf, _) = convert(dir.path(), "zh", "zh-CN", CHINESE, &[]);
    let Some(fonts) = tool("pdffonts", &[pdf.to_str().unwrap()]) else {
        return;
    };
    assert!(fonts.contains("CJKsc-"), "{fonts}");
    assert!(!fonts.contains("CJKjp-"), "{fonts}");
    // pdftoppm draws the glyphs: the heading's area is not blank.
    let png = dir.path().join("page");
    let Some(_) = tool(
        "pdftoppm",
        &[
            "-r",
            "30",
            "-png",
            "-gray",
            "-f",
            "1",
            "-l",
            "1",
            pdf.to_str().unwrap(),
            png.to_str().unwrap(),
        ],
    ) else {
        return;
    };
    let image = image::open(dir.path().join("page-1.png"))
        .unwrap()
        .to_luma8();
    let dark = image.pixels().filter(|p| p.0[0] < 128).count();
    assert!(
        dark > 100,
        "only {dark} dark pixels: the CJK glyphs were not drawn"
    );
}

#[test]
fn with_discovery_off_chinese_gets_one_warning_naming_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    for args in [
        vec!["--no-system-fonts"],
        vec![
            "--no-system-fonts",
            "--font-dir",
            empty.path().to_str().unwrap(),
        ],
    ] {
        let (_, output) = convert(dir.path(), "zh", "zh-CN", CHINESE, &args);
        let warnings = warnings(&output);
        assert_eq!(warnings.len(), 1, "{args:?}: {warnings:#?}");
        let warning = &warnings[0];
        for part in [
            "Han (Chinese)",
            "fonts-noto-cjk",
            "google-noto-sans-cjk-fonts",
            "--font",
        ] {
            assert!(warning.contains(part), "{part} not in {warning}");
        }
    }
}

/// The issue's own check: the Chinese test article, with no CJK font to be found, gives one
/// warning naming the fix, in the PDF and in the EPUB (whose cover draws the title).
#[test]
fn the_chinese_article_with_no_cjk_font_gets_exactly_one_warning() {
    let dir = tempfile::tempdir().unwrap();
    let article = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scripts/zh-Hans.md");
    for format in ["pdf", "epub"] {
        let output = quire()
            .arg("convert")
            .arg(&article)
            .args(["--to", format, "--no-system-fonts", "-o"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        let warnings = warnings(&output);
        assert_eq!(warnings.len(), 1, "{format}: {warnings:#?}");
        assert!(
            warnings[0].contains("Han (Chinese)") && warnings[0].contains("fonts-noto-cjk"),
            "{format}: {}",
            warnings[0]
        );
    }
}

#[test]
fn a_font_given_with_font_comes_before_discovery() {
    if !noto_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let given = "/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf";
    let (pdf, output) = convert(dir.path(), "he", "he", "שלום עולם\n", &["--font", given]);
    assert_eq!(warnings(&output), Vec::<String>::new());
    let Some(fonts) = tool("pdffonts", &[pdf.to_str().unwrap()]) else {
        return;
    };
    // The body is serif: discovery alone would take Noto Serif Hebrew.
    assert!(fonts.contains("NotoSansHebrew-Regular"), "{fonts}");
    assert!(!fonts.contains("NotoSerifHebrew"), "{fonts}");
}

/// The generated cover of an EPUB of `source`, decoded.
fn cover_of(dir: &Path, name: &str, source: &str, args: &[&str]) -> (image::RgbImage, Output) {
    let input = dir.join(format!("{name}.md"));
    fs::write(&input, source).unwrap();
    let epub = dir.join(format!("{name}.epub"));
    let output = quire()
        .arg("convert")
        .arg(&input)
        .args(["--to", "epub", "-o"])
        .arg(&epub)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut zip = zip::ZipArchive::new(fs::File::open(&epub).unwrap()).unwrap();
    let name = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().to_string())
        .find(|n| n.ends_with("cover.png"))
        .expect("a generated cover");
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name(&name).unwrap(), &mut bytes).unwrap();
    (image::load_from_memory(&bytes).unwrap().to_rgb8(), output)
}

#[test]
fn a_chinese_cover_title_is_drawn_in_an_installed_font_not_boxes() {
    if !noto_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let source = "---\ntitle: 中文标题\nlang: zh-CN\n---\n\n正文。\n";
    let (drawn, output) = cover_of(dir.path(), "found", source, &[]);
    assert_eq!(warnings(&output), Vec::<String>::new());
    let (boxes, output) = cover_of(dir.path(), "boxes", source, &["--no-system-fonts"]);
    let warned = warnings(&output);
    assert_eq!(warned.len(), 1, "{warned:#?}");
    assert!(warned[0].contains("cover") && warned[0].contains("fonts-noto-cjk"));
    // The title's band: ink in both, but the glyphs of 中文标题 are not four boxes.
    let background = *drawn.get_pixel(drawn.width() / 2, drawn.height() / 2);
    let band = |image: &image::RgbImage| -> Vec<bool> {
        let (w, h) = image.dimensions();
        (h * 15 / 100..h * 30 / 100)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| *image.get_pixel(x, y) != background)
            .collect()
    };
    let (with_font, with_boxes) = (band(&drawn), band(&boxes));
    let ink = with_font.iter().filter(|&&p| p).count();
    assert!(ink > 1000, "only {ink} title pixels");
    let differing = with_font
        .iter()
        .zip(&with_boxes)
        .filter(|(a, b)| a != b)
        .count();
    assert!(
        differing > ink / 4,
        "the title looks like the boxes: {differing} of {ink}"
    );
}

#[test]
fn an_arabic_cover_title_is_shaped_and_set_from_the_right() {
    if !noto_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let source = "---\ntitle: عنوان عربي\nlang: ar\n---\n\nنص.\n";
    let (cover, output) = cover_of(dir.path(), "ar", source, &[]);
    assert_eq!(warnings(&output), Vec::<String>::new());
    let (w, h) = cover.dimensions();
    let background = *cover.get_pixel(w / 2, h / 2);
    // Inside the frame (drawn at 4% of the width from each side).
    let ink_columns: Vec<u32> = (w / 20..w - w / 20)
        .filter(|&x| (h * 15 / 100..h * 30 / 100).any(|y| *cover.get_pixel(x, y) != background))
        .collect();
    let (first, last) = (ink_columns[0], *ink_columns.last().unwrap());
    // The column runs from a tenth of the width to nine tenths: a right-to-left title ends
    // at its right edge and leaves its left part empty.
    let right = w - w / 10;
    assert!(
        last + w / 50 >= right && last <= right + 2,
        "ink ends at {last} of {w}"
    );
    assert!(first > w / 4, "ink starts at {first} of {w}");
}

/// Symbols in Latin text that no single installed face has together (a Fraktur letter, a
/// coffee cup) are each set in a face that has them: the symbols after the first face chosen
/// were left as empty boxes, with a warning to install fonts that were installed.
#[test]
fn symbols_spread_over_several_installed_faces_are_all_set() {
    if !noto_installed() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let source = "# Symbols\n\nA cup ☕ beside ℌ𝔢𝔩𝔭 in Fraktur.\n";
    let (pdf, output) = convert(dir.path(), "symbols", "en", source, &[]);
    assert_eq!(warnings(&output), Vec::<String>::new());
    let Some(fonts) = tool("pdffonts", &[pdf.to_str().unwrap()]) else {
        return;
    };
    let bundled = ["NotoSerif", "NotoSans-", "NotoSansMono"];
    let found: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|row| !bundled.iter().any(|b| row.contains(b)))
        .collect();
    assert!(
        found.len() >= 2,
        "a face for the cup, one for Fraktur:\n{fonts}"
    );
    let text = tool("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]).unwrap();
    assert!(text.contains("☕") && text.contains("ℌ𝔢𝔩𝔭"), "{text}");
}
