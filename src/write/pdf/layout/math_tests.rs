//! Formulas on the page: italic variables, real (smaller, raised) superscripts, symbols
//! from TeX commands, a displayed formula centred on its own line.

use super::super::fonts::UserFonts;
use super::*;
use crate::model::{Inline, Math, Meta};

fn lay(document: &Document) -> Laid {
    let user = UserFonts::default();
    let fonts = FontSet::new(&user, &mut Vec::new());
    layout(
        document,
        &PdfOptions::default(),
        &fonts,
        &ImageInfo::default(),
        &mut Vec::new(),
    )
}

fn math(tex: &str, display: bool) -> Inline {
    Inline::Math(Box::new(Math {
        display,
        tex: Some(tex.to_string()),
        mathml: None,
    }))
}

/// The text runs of the page as (text, x, baseline, size, right edge, face).
fn runs(page: &Page) -> Vec<(String, f32, f32, f32, f32, String)> {
    page.items
        .iter()
        .filter_map(|item| match item {
            Item::Text(run) => Some((
                run.glyphs.iter().map(|g| g.text.as_str()).collect(),
                run.x,
                run.y,
                run.size,
                run.x + run.width(),
                format!("{:?}", run.face),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn a_formula_is_set_with_a_raised_smaller_superscript_and_its_symbols() {
    let document = Document::new(
        Meta::default(),
        vec![
            Block::Paragraph(vec![
                Inline::text("Einstein wrote "),
                math("E = mc^2", false),
                Inline::text(" and "),
                math("\\alpha \\leq \\beta", false),
                Inline::text(" in the text."),
            ]),
            Block::Paragraph(vec![math("\\sum_{n=1}^{N} x_n", true)]),
        ],
    );
    let laid = lay(&document);
    let geo = Geometry::from_options(&PdfOptions::default());
    let runs = runs(&laid.pages[0]);
    let find = |text: &str| {
        runs.iter()
            .find(|r| r.0.contains(text))
            .unwrap_or_else(|| panic!("{text} not set: {runs:?}"))
    };
    let base = runs
        .iter()
        .find(|r| r.0 == "c")
        .unwrap_or_else(|| panic!("no c: {runs:?}"));
    // The variables are italic: another face than the text's.
    assert_ne!(base.5, find("wrote").5, "{base:?}");
    let two = runs
        .iter()
        .find(|r| r.0 == "2")
        .unwrap_or_else(|| panic!("no superscript run: {runs:?}"));
    assert!(two.2 < base.2 - 1.0, "raised: {two:?} over {base:?}");
    assert!(two.3 < base.3 * 0.8, "smaller: {two:?} beside {base:?}");
    for symbol in ["α", "≤", "β", "∑"] {
        find(symbol);
    }
    // The displayed sum stands centred in the measure.
    let sum = find("∑");
    let line: Vec<_> = runs.iter().filter(|r| (r.2 - sum.2).abs() < 6.0).collect();
    let left = line.iter().map(|r| r.1).fold(f32::MAX, f32::min);
    let right = line.iter().map(|r| r.4).fold(f32::MIN, f32::max);
    let middle = (geo.left + geo.width - geo.right) / 2.0;
    assert!(
        ((left + right) / 2.0 - middle).abs() < 3.0 && left > geo.left + 20.0,
        "centred: {left}..{right} around {middle}"
    );
}
