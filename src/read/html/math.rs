//! Formulas on a page → [`Math`] nodes, one per formula whatever shape the page gives it:
//!
//! - MathML `<math>`: its TeX from an `application/x-tex` annotation or its `alttext`, else
//!   TeX made from the MathML; the MathML kept, sanitised.
//! - MathJax 2: the TeX in `<script type="math/tex">` (`; mode=display` for display); the
//!   rendered copy beside it (`.MathJax`, `.MathJax_Display`) and the preview
//!   (`.MathJax_Preview`) dropped. MathJax 3: `<mjx-container>` with its assistive MathML.
//! - KaTeX: `.katex` with its `.katex-mathml` (the `.katex-html` visual copy dropped);
//!   `.katex-display` for display.
//! - Wikipedia: `.mwe-math-element` (a hidden `<math>` beside an image whose `alt` is the
//!   TeX), or a bare `img.mwe-math-fallback-image-*`.
//!
//! Each is read once: the converter asks [`recognise`] before anything else of an element,
//! and a formula's copies never reach the rest of the walk.

use crate::dom::{attr, attr_matches, children, descendants, is_hidden, parent, text_content};
use crate::math::{clean_tex, is_mathml_attribute, is_mathml_element};
use crate::model::Math;
use crate::xml::{escape_attr_into, escape_text_into};
use markup5ever_rcdom::{Handle, NodeData};

/// What an element is, as far as formulas go.
pub enum Found {
    /// A formula.
    Math(Math),
    /// A copy of a formula read elsewhere (MathJax's preview or rendered output): left out.
    Copy,
}

/// Deeper MathML than this is kept as its text: no formula nests so deep, and the walks
/// below recurse.
const MAX_MATHML_DEPTH: usize = 40;

/// Whether the element's class attribute has this class (exact, case-sensitive token).
fn has_class(node: &Handle, class: &str) -> bool {
    attr_matches(node, "class", |value| {
        value.split_ascii_whitespace().any(|c| c == class)
    })
}

fn class_starts_with(node: &Handle, prefix: &str) -> bool {
    attr_matches(node, "class", |value| {
        value
            .split_ascii_whitespace()
            .any(|c| c.starts_with(prefix))
    })
}

fn local_name(node: &Handle) -> Option<&str> {
    match &node.data {
        NodeData::Element { name, .. } => Some(&name.local),
        _ => None,
    }
}

/// The first element below `node` (itself excluded) named `name`.
fn find(node: &Handle, name: &str) -> Option<Handle> {
    descendants(node)
        .into_iter()
        .skip(1)
        .find(|n| local_name(n) == Some(name))
}

/// The next sibling that is an element.
fn next_element(node: &Handle) -> Option<Handle> {
    let parent = parent(node)?;
    let siblings = children(&parent);
    let index = siblings.iter().position(|s| std::rc::Rc::ptr_eq(s, node))?;
    siblings[index + 1..]
        .iter()
        .find(|s| matches!(s.data, NodeData::Element { .. }))
        .cloned()
}

/// The previous sibling that is an element.
fn previous_element(node: &Handle) -> Option<Handle> {
    let parent = parent(node)?;
    let siblings = children(&parent);
    let index = siblings.iter().position(|s| std::rc::Rc::ptr_eq(s, node))?;
    siblings[..index]
        .iter()
        .rev()
        .find(|s| matches!(s.data, NodeData::Element { .. }))
        .cloned()
}

/// The script type MathJax 2 keeps TeX in: `math/tex`, `math/tex; mode=display`.
fn tex_script_type(node: &Handle) -> Option<String> {
    if local_name(node) != Some("script") {
        return None;
    }
    attr(node, "type")
        .map(|t| t.to_ascii_lowercase())
        .filter(|t| t.starts_with("math/tex"))
}

/// What the element is as far as formulas go; `None` for anything else.
pub fn recognise(node: &Handle) -> Option<Found> {
    let name = local_name(node)?;
    if name == "math" {
        return (!is_hidden(node)).then(|| Found::Math(from_mathml(node, false)));
    }
    if let Some(kind) = tex_script_type(node) {
        // The shared text walk leaves scripts out: read the script's own text.
        let source: String = children(node)
            .iter()
            .filter_map(|child| match &child.data {
                NodeData::Text { contents } => Some(contents.borrow().to_string()),
                _ => None,
            })
            .collect();
        let tex = clean_tex(&source);
        if tex.is_empty() {
            return Some(Found::Copy);
        }
        return Some(Found::Math(Math {
            display: kind.contains("mode=display"),
            tex: Some(tex),
            mathml: None,
        }));
    }
    if name == "mjx-container" {
        let display = attr_matches(node, "display", |d| d == "true" || d == "block");
        return Some(match find(node, "math") {
            Some(math) => Found::Math(from_mathml(&math, display)),
            // MathJax 3's glyphs are CSS content: without its MathML there is nothing to read.
            None => Found::Copy,
        });
    }
    // Every form below is known by a class naming MathJax, KaTeX or MediaWiki's math. Every
    // element of every page comes here: one look at its class rules the rest out, where the
    // tests below would each search the attributes again.
    let named_for_math = attr_matches(node, "class", |class| {
        ["MathJax", "katex", "mwe-math"]
            .iter()
            .any(|name| class.contains(name))
    });
    if !named_for_math {
        return None;
    }
    if has_class(node, "MathJax_Preview") {
        return Some(Found::Copy);
    }
    let mathjax_frame = [
        "MathJax",
        "MathJax_Display",
        "MathJax_SVG",
        "MathJax_SVG_Display",
        "MathJax_CHTML",
        "MathJax_MathML",
        "MathJax_PHTML",
    ]
    .iter()
    .any(|class| has_class(node, class));
    if mathjax_frame {
        // The script beside the rendered copy holds the TeX and is read on its own.
        let script_follows = std::iter::successors(Some(node.clone()), parent)
            .take(3)
            .any(|n| next_element(&n).is_some_and(|s| tex_script_type(&s).is_some()));
        if script_follows {
            return Some(Found::Copy);
        }
        return find(node, "math")
            .map(|math| Found::Math(from_mathml(&math, has_class(node, "MathJax_Display"))));
    }
    if has_class(node, "katex-display") {
        return find(node, "math").map(|math| Found::Math(from_mathml(&math, true)));
    }
    if has_class(node, "katex") {
        return find(node, "math").map(|math| Found::Math(from_mathml(&math, false)));
    }
    if has_class(node, "mwe-math-element") {
        let image = descendants(node)
            .into_iter()
            .find(|n| local_name(n) == Some("img") && class_starts_with(n, "mwe-math-fallback"));
        let display = image
            .as_ref()
            .is_some_and(|img| class_starts_with(img, "mwe-math-fallback-image-display"));
        if let Some(math) = find(node, "math") {
            return Some(Found::Math(from_mathml(&math, display)));
        }
        return image.and_then(|img| from_fallback_image(&img, None));
    }
    if name == "img" && class_starts_with(node, "mwe-math-fallback") {
        // Older markup: the hidden MathML is the image's previous sibling, not its parent's.
        let mathml = previous_element(node).and_then(|n| {
            if local_name(&n) == Some("math") {
                Some(n)
            } else {
                find(&n, "math")
            }
        });
        return from_fallback_image(node, mathml);
    }
    if has_class(node, "mwe-math-mathml-a11y")
        && next_element(node).is_some_and(|n| class_starts_with(&n, "mwe-math-fallback"))
    {
        // The MathML of the fallback image that follows, read with the image.
        return Some(Found::Copy);
    }
    None
}

/// Wikipedia's image of a formula, its TeX in `alt`; with the hidden MathML beside it.
fn from_fallback_image(img: &Handle, mathml: Option<Handle>) -> Option<Found> {
    let display = class_starts_with(img, "mwe-math-fallback-image-display");
    if let Some(mathml) = mathml {
        return Some(Found::Math(from_mathml(&mathml, display)));
    }
    let tex = clean_tex(&attr(img, "alt").unwrap_or_default());
    (!tex.is_empty()).then_some(Found::Math(Math {
        display,
        tex: Some(tex),
        mathml: None,
    }))
}

/// A `<math>` element as a formula: its TeX (annotation, `alttext`, or made from the
/// MathML), display (its own `display="block"`, or `display` from the wrapper), its MathML.
fn from_mathml(math: &Handle, display: bool) -> Math {
    let display = display || attr_matches(math, "display", |d| d == "block");
    let annotation = descendants(math).into_iter().find(|n| {
        local_name(n) == Some("annotation")
            && attr_matches(n, "encoding", |e| {
                matches!(
                    e.trim(),
                    "application/x-tex" | "TeX" | "text/x-tex" | "application/x-latex"
                )
            })
    });
    let tex = annotation
        .map(|a| text_content(&a))
        .or_else(|| attr(math, "alttext"))
        .map(|t| clean_tex(&t))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| tex_from_mathml(math, 0));
    let mut mathml = String::new();
    sanitised_mathml(math, display, &tex, &mut mathml);
    Math {
        display,
        tex: (!tex.is_empty()).then_some(tex),
        mathml: Some(mathml),
    }
}

/// The `<math>` element as well-formed MathML with the namespace on the root, only MathML
/// elements and presentation attributes in it; `alttext` and `display` on the root.
fn sanitised_mathml(math: &Handle, display: bool, tex: &str, out: &mut String) {
    out.push_str("<math xmlns=\"");
    out.push_str(crate::math::MATHML_NAMESPACE);
    out.push('"');
    if display {
        out.push_str(" display=\"block\"");
    }
    // The TeX, cleaned (not Wikipedia's `{\displaystyle …}`), is the alternative text.
    if !tex.trim().is_empty() {
        out.push_str(" alttext=\"");
        escape_attr_into(tex.trim(), out);
        out.push('"');
    }
    out.push('>');
    for child in children(math) {
        sanitised_node(&child, 1, out);
    }
    out.push_str("</math>");
}

fn sanitised_node(node: &Handle, depth: usize, out: &mut String) {
    match &node.data {
        NodeData::Text { contents } => escape_text_into(&contents.borrow(), out),
        NodeData::Element { name, attrs, .. } => {
            let name = &*name.local;
            if name == "annotation-xml" {
                return;
            }
            if depth > MAX_MATHML_DEPTH {
                escape_text_into(&text_content(node), out);
                return;
            }
            let keep = is_mathml_element(name) && name != "math";
            if keep {
                out.push('<');
                out.push_str(name);
                for a in attrs.borrow().iter() {
                    if a.name.prefix.is_none() && is_mathml_attribute(&a.name.local) {
                        out.push(' ');
                        out.push_str(&a.name.local);
                        out.push_str("=\"");
                        escape_attr_into(&a.value, out);
                        out.push('"');
                    }
                }
                out.push('>');
            }
            for child in children(node) {
                sanitised_node(&child, depth + 1, out);
            }
            if keep {
                out.push_str("</");
                out.push_str(name);
                out.push('>');
            }
        }
        _ => {}
    }
}

/// TeX for MathML that came without any: the structure (scripts, fractions, roots, tables)
/// in TeX, the characters as they are (`∑`, `α` read back as symbols).
fn tex_from_mathml(node: &Handle, depth: usize) -> String {
    let text = || collapse(&text_content(node));
    if depth > MAX_MATHML_DEPTH {
        return text();
    }
    let name = local_name(node).unwrap_or("");
    let parts = || -> Vec<String> {
        children(node)
            .iter()
            .filter(|c| matches!(c.data, NodeData::Element { .. }))
            .map(|c| tex_from_mathml(c, depth + 1))
            .filter(|part| !part.is_empty())
            .collect()
    };
    // A script's base or argument needs braces only when it is more than one character.
    let braced = |s: &String| {
        if s.chars().count() == 1 {
            s.clone()
        } else {
            format!("{{{s}}}")
        }
    };
    match name {
        "mi" | "mn" | "mo" | "ms" => escape_tex(&text()),
        "mtext" => format!("\\text{{{}}}", text()),
        "annotation" | "annotation-xml" | "none" | "mprescripts" => String::new(),
        "semantics" => parts().into_iter().next().unwrap_or_default(),
        "msup" | "msub" | "mover" | "munder" => {
            let p = parts();
            // An accent over a letter (`ẋ`, `v⃗`): the TeX accent, not a superscript.
            if let [base, over] = p.as_slice() {
                if let Some(accent) = accent_command(over).filter(|_| name == "mover") {
                    return format!("\\{accent}{{{base}}}");
                }
            }
            let mark = if matches!(name, "msup" | "mover") {
                '^'
            } else {
                '_'
            };
            match p.as_slice() {
                [base, script] => format!("{}{mark}{}", braced(base), braced(script)),
                _ => p.join(" "),
            }
        }
        "msubsup" | "munderover" => match parts().as_slice() {
            [base, sub, sup] => format!("{}_{}^{}", braced(base), braced(sub), braced(sup)),
            other => other.join(" "),
        },
        "mfrac" => match parts().as_slice() {
            [num, den] => format!("\\frac{{{num}}}{{{den}}}"),
            other => other.join(" "),
        },
        "msqrt" => format!("\\sqrt{{{}}}", parts().join(" ")),
        "mroot" => match parts().as_slice() {
            [base, index] => format!("\\sqrt[{index}]{{{base}}}"),
            other => other.join(" "),
        },
        "mtable" => format!("\\begin{{matrix}}{}\\end{{matrix}}", parts().join(" \\\\ ")),
        "mtr" | "mlabeledtr" => parts().join(" & "),
        _ => parts().join(" "),
    }
}

/// The text collapsed, without the invisible operators MathML puts between a function and
/// its argument or between factors (U+2061–U+2064), which show as boxes in many fonts.
/// The TeX accent command for a character MathML sets over a base.
fn accent_command(over: &str) -> Option<&'static str> {
    Some(match over {
        "˙" | "\u{307}" => "dot",
        "¨" | "\u{308}" => "ddot",
        "^" | "ˆ" | "\\^" | "\u{302}" => "hat",
        "¯" | "‾" | "\u{305}" => "bar",
        "→" | "\u{20d7}" => "vec",
        "~" | "˜" | "\u{303}" => "tilde",
        _ => return None,
    })
}

fn collapse(text: &str) -> String {
    let visible: String = text
        .chars()
        .filter(|c| !('\u{2061}'..='\u{2064}').contains(c))
        .collect();
    crate::model::collapse_whitespace(&visible)
        .trim()
        .to_string()
}

/// Characters TeX reads as commands, escaped so that the text reads back as itself.
fn escape_tex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\backslash "),
            '{' | '}' | '%' | '$' | '#' | '&' | '_' | '^' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}
