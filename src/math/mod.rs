//! Formulas: the small TeX subset quire understands, and what writers make of it.
//!
//! Readers keep a formula's TeX (and MathML) as the page gave it ([`crate::model::Math`]).
//! Writers that cannot show MathML need something else: a readable line of Unicode for text
//! (`x^2` → `x²`, `\alpha` → `α`), styled inlines for the PDF (italic variables, real
//! sub- and superscripts), MathML for HTML and EPUB when the page had only TeX. All three come
//! from one parse of the TeX into [`Node`]s, so they agree (the PDF's inlines are made in
//! `write::math_inlines`, as this module knows nothing of the model).
//!
//! The subset: letters, digits and symbols; `^` and `_`; `{…}` groups; `\frac`, `\sqrt`
//! (with an index), `\text` and the font commands, accents, `\left`/`\right`, environments
//! (their cells side by side), Greek letters, operators, relations, arrows and the usual
//! function names. An unknown command is shown as its name, never dropped.

mod mathml;
pub(crate) mod symbols;
mod tex;

pub use mathml::{is_clean_mathml, is_mathml_attribute, is_mathml_element};
pub use tex::{parse, Node};

use crate::xml::{decode_entities, escape_attr, escape_text};

/// The MathML namespace, written on every `<math>` quire makes.
pub const MATHML_NAMESPACE: &str = "http://www.w3.org/1998/Math/MathML";

/// TeX as pages wrap it, unwrapped: Wikipedia writes `{\displaystyle x^{2}}` in its alt
/// texts, which says nothing the display flag does not, and would show in every writer.
pub fn clean_tex(tex: &str) -> String {
    let mut tex = tex.trim();
    loop {
        let inner = tex
            .strip_prefix('{')
            .and_then(|t| t.strip_suffix('}'))
            .map(str::trim_start)
            .and_then(|t| {
                t.strip_prefix("\\displaystyle")
                    .or_else(|| t.strip_prefix("\\textstyle"))
            })
            .filter(|t| !t.starts_with(|c: char| c.is_ascii_alphabetic()));
        match inner {
            Some(inner) if braces_balance(inner) => tex = inner.trim(),
            _ => break,
        }
    }
    for style in ["\\displaystyle", "\\textstyle"] {
        if let Some(rest) = tex.strip_prefix(style) {
            if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
                tex = rest.trim();
            }
        }
    }
    tex.to_string()
}

/// Whether every `{` of `text` is closed and no `}` closes what it did not open.
fn braces_balance(text: &str) -> bool {
    let mut depth = 0i64;
    let mut escaped = false;
    for c in text.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// The text of a MathML string: its characters without the tags, annotations left out
/// (they repeat the formula in another notation). For a formula that has no TeX.
pub fn mathml_text(mathml: &str) -> String {
    let mut out = String::new();
    let mut rest = mathml;
    // Inside an annotation: its text is skipped until its end tag.
    let mut skipping = 0usize;
    while let Some(lt) = rest.find('<') {
        if skipping == 0 {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        if name.starts_with("annotation") && !tag.ends_with('/') {
            if tag.starts_with('/') {
                skipping = skipping.saturating_sub(1);
            } else {
                skipping += 1;
            }
        }
        rest = &rest[lt + gt + 1..];
    }
    if skipping == 0 {
        out.push_str(&decode_entities(rest));
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A readable line of Unicode for the TeX: `x^2` → `x²`, `\alpha` → `α`, `\frac{a}{b}` →
/// `a/b`, `\sqrt{x+1}` → `√(x+1)`; relations spaced as they would be set.
pub fn tex_to_unicode(tex: &str) -> String {
    let mut out = String::new();
    unicode_row(&parse(tex), &mut out);
    out.trim().to_string()
}

fn unicode_row(nodes: &[Node], out: &mut String) {
    for (index, node) in nodes.iter().enumerate() {
        match node {
            Node::Op(op) => {
                let spaced = symbols::is_spaced_operator(op)
                    && index > 0
                    && !matches!(nodes[index - 1], Node::Op(_));
                if spaced {
                    push_spaced(op, out);
                } else {
                    out.push_str(op);
                }
            }
            _ => {
                unicode_node(node, out);
                if sets_apart(node, nodes.get(index + 1)) {
                    out.push(' ');
                }
            }
        }
    }
}

/// Whether a space follows `node` before `next`: after a large operator, and between a
/// function name and its argument (`sin x`, not `sinx`).
pub(crate) fn sets_apart(node: &Node, next: Option<&Node>) -> bool {
    let Some(next) = next else { return false };
    is_large_operator(node)
        || (matches!(node, Node::Word(_)) && !matches!(next, Node::Op(_) | Node::Space))
}

/// A sum, product or integral (with its limits): what follows it is its operand, set apart.
pub(crate) fn is_large_operator(node: &Node) -> bool {
    let op = match node {
        Node::Scripts { base, .. } => base.as_ref(),
        other => other,
    };
    matches!(op, Node::Op(s) if matches!(s.as_str(), "∑" | "∏" | "∐" | "∫" | "∬" | "∭" | "∮" | "⋃" | "⋂" | "⨁" | "⨂"))
}

/// Whether a node reads as one operand without parentheses: a symbol, or a symbol with
/// its scripts or accent (`n²`, `x̂`).
pub(crate) fn is_single_operand(node: &Node) -> bool {
    match node {
        Node::Ident(_) | Node::Number(_) | Node::Word(_) => true,
        Node::Scripts { base, .. } | Node::Accent(base, _) => is_single_operand(base),
        other => flat_text(other).trim().chars().count() == 1,
    }
}

/// Pushes an operator with a space each side (one space, whatever is there already).
fn push_spaced(op: &str, out: &mut String) {
    if !out.ends_with(' ') && !out.is_empty() {
        out.push(' ');
    }
    out.push_str(op);
    out.push(' ');
}

fn unicode_node(node: &Node, out: &mut String) {
    match node {
        Node::Ident(s) | Node::Number(s) | Node::Op(s) | Node::Word(s) | Node::Text(s) => {
            out.push_str(s)
        }
        Node::Space => {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        }
        Node::Row(nodes) => unicode_row(nodes, out),
        Node::Scripts { base, sub, sup } => {
            unicode_node(base, out);
            if let Some(sub) = sub {
                unicode_script(sub, symbols::subscript_char, '_', out);
            }
            if let Some(sup) = sup {
                unicode_script(sup, symbols::superscript_char, '^', out);
            }
        }
        Node::Frac(num, den) => {
            unicode_operand(num, out);
            out.push('/');
            unicode_operand(den, out);
        }
        Node::Root(index, body) => {
            match index.as_deref().map(flat_text).as_deref() {
                None => out.push('√'),
                Some("3") => out.push('∛'),
                Some("4") => out.push('∜'),
                Some(index) => {
                    match index
                        .chars()
                        .map(symbols::superscript_char)
                        .collect::<Option<String>>()
                    {
                        Some(small) => out.push_str(&small),
                        None => {
                            out.push_str(index);
                            out.push(' ');
                        }
                    }
                    out.push('√');
                }
            }
            unicode_operand(body, out);
        }
        Node::Accent(base, mark) => {
            unicode_node(base, out);
            out.push(*mark);
        }
    }
}

/// A script: in small Unicode characters when it has them all (`²`, `ₙ`), else after
/// `^`/`_`, in parentheses when it is more than one symbol.
fn unicode_script(node: &Node, small: fn(char) -> Option<char>, mark: char, out: &mut String) {
    let text = {
        let mut text = String::new();
        unicode_node(node, &mut text);
        text
    };
    let simple = matches!(
        node,
        Node::Ident(_) | Node::Number(_) | Node::Op(_) | Node::Word(_)
    ) || matches!(node, Node::Row(nodes) if nodes.iter().all(|n| matches!(n, Node::Ident(_) | Node::Number(_) | Node::Op(_))));
    if simple {
        if let Some(smalls) = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(small)
            .collect::<Option<String>>()
        {
            out.push_str(&smalls);
            return;
        }
    }
    out.push(mark);
    if text.chars().count() == 1 {
        out.push_str(&text);
    } else {
        out.push('(');
        out.push_str(&text);
        out.push(')');
    }
}

/// An operand of `/` or `√`: in parentheses when it is more than one symbol.
fn unicode_operand(node: &Node, out: &mut String) {
    let mut text = String::new();
    unicode_node(node, &mut text);
    let text = text.trim();
    if is_single_operand(node) {
        out.push_str(text);
    } else {
        out.push('(');
        out.push_str(text);
        out.push(')');
    }
}

/// The characters of a node, without any markup.
pub(crate) fn flat_text(node: &Node) -> String {
    let mut out = String::new();
    unicode_node(node, &mut out);
    out
}

/// MathML for a formula that has only TeX: the structure quire understands, the TeX kept as
/// `alttext` and as an annotation.
pub fn tex_to_mathml(tex: &str, display: bool) -> String {
    let mut out = String::new();
    out.push_str("<math xmlns=\"");
    out.push_str(MATHML_NAMESPACE);
    out.push('"');
    if display {
        out.push_str(" display=\"block\"");
    }
    out.push_str(" alttext=\"");
    out.push_str(&escape_attr(tex));
    out.push_str("\"><semantics><mrow>");
    for node in &parse(tex) {
        mathml_node(node, &mut out);
    }
    out.push_str("</mrow><annotation encoding=\"application/x-tex\">");
    out.push_str(&escape_text(tex));
    out.push_str("</annotation></semantics></math>");
    out
}

fn mathml_leaf(tag: &str, attrs: &str, text: &str, out: &mut String) {
    out.push('<');
    out.push_str(tag);
    out.push_str(attrs);
    out.push('>');
    out.push_str(&escape_text(text));
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// One node as MathML: every node is one element, as the script and fraction elements need.
fn mathml_node(node: &Node, out: &mut String) {
    match node {
        Node::Ident(s) => mathml_leaf("mi", "", s, out),
        Node::Number(s) => mathml_leaf("mn", "", s, out),
        Node::Op(s) => mathml_leaf("mo", "", s, out),
        // A multi-letter `mi` is upright, as function names are set.
        Node::Word(s) => mathml_leaf("mi", " mathvariant=\"normal\"", s, out),
        Node::Text(s) => mathml_leaf("mtext", "", s, out),
        Node::Space => out.push_str("<mspace width=\"0.3em\"/>"),
        Node::Row(nodes) => {
            out.push_str("<mrow>");
            for node in nodes {
                mathml_node(node, out);
            }
            out.push_str("</mrow>");
        }
        Node::Scripts { base, sub, sup } => {
            let tag = match (sub, sup) {
                (Some(_), Some(_)) => "msubsup",
                (Some(_), None) => "msub",
                _ => "msup",
            };
            out.push('<');
            out.push_str(tag);
            out.push('>');
            mathml_node(base, out);
            for script in [sub, sup].into_iter().flatten() {
                mathml_node(script, out);
            }
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
        }
        Node::Frac(num, den) => {
            out.push_str("<mfrac>");
            mathml_node(num, out);
            mathml_node(den, out);
            out.push_str("</mfrac>");
        }
        Node::Root(None, body) => {
            out.push_str("<msqrt>");
            mathml_node(body, out);
            out.push_str("</msqrt>");
        }
        Node::Root(Some(index), body) => {
            out.push_str("<mroot>");
            mathml_node(body, out);
            mathml_node(index, out);
            out.push_str("</mroot>");
        }
        Node::Accent(base, mark) => {
            out.push_str("<mover accent=\"true\">");
            mathml_node(base, out);
            let spacing = symbols::spacing_accent(*mark);
            mathml_leaf("mo", "", &spacing.to_string(), out);
            out.push_str("</mover>");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_tex_reads_as_unicode() {
        assert_eq!(tex_to_unicode("x^2 + y_1 = z^{n+1}"), "x² + y₁ = zⁿ⁺¹");
        assert_eq!(tex_to_unicode("\\alpha \\leq \\beta"), "α ≤ β");
        assert_eq!(tex_to_unicode("\\frac{a+b}{2}"), "(a + b)/2");
        assert_eq!(tex_to_unicode("\\sqrt{x}"), "√x");
        assert_eq!(tex_to_unicode("\\sqrt[3]{x+1}"), "∛(x + 1)");
        assert_eq!(tex_to_unicode("e^{i\\pi}"), "e^(iπ)");
        assert_eq!(tex_to_unicode("\\sin x"), "sin x");
        assert_eq!(tex_to_unicode("\\mathbb{R}"), "ℝ");
        // An unknown command is shown as its name.
        assert_eq!(tex_to_unicode("\\frobnicate{x}"), "frobnicate x");
    }

    #[test]
    fn wikipedia_wrappers_are_unwrapped() {
        assert_eq!(clean_tex("{\\displaystyle x^{2}}"), "x^{2}");
        assert_eq!(clean_tex(" {\\textstyle a} "), "a");
        assert_eq!(clean_tex("\\displaystyle a+b"), "a+b");
        // Braces that are not one group stay.
        assert_eq!(clean_tex("{a}+{b}"), "{a}+{b}");
        assert_eq!(
            clean_tex("{\\displaystyle a}+{b}"),
            "{\\displaystyle a}+{b}"
        );
    }

    #[test]
    fn mathml_is_made_from_tex() {
        let mathml = tex_to_mathml("x^2 < \\frac{1}{2}", true);
        assert!(mathml.starts_with("<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\" alttext=\"x^2 &lt; \\frac{1}{2}\">"), "{mathml}");
        assert!(
            mathml.contains(
                "<msup><mi>x</mi><mn>2</mn></msup><mo>&lt;</mo><mfrac><mn>1</mn><mn>2</mn></mfrac>"
            ),
            "{mathml}"
        );
        assert!(mathml.contains(
            "<annotation encoding=\"application/x-tex\">x^2 &lt; \\frac{1}{2}</annotation>"
        ));
    }

    #[test]
    fn mathml_text_leaves_out_tags_and_annotations() {
        let mathml = "<math><semantics><mrow><mi>x</mi><mo>&lt;</mo><mn>2</mn></mrow><annotation encoding=\"application/x-tex\">x&lt;2</annotation></semantics></math>";
        assert_eq!(mathml_text(mathml), "x<2");
    }
}
