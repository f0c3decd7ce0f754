//! A formula as inlines that the PDF writer sets like any text (and the font scan reads):
//! single-letter variables in italics, scripts as real (smaller, raised or lowered) sub- and
//! superscripts, fractions as `a/b` and roots as `√(…)`. Made from the one TeX parse of
//! [`crate::math`].

use crate::math::{is_single_operand, parse, sets_apart, Node};
use crate::model::{normalize_inlines, Inline};

/// The formula as inlines the PDF writer sets like any text: single-letter variables in
/// italics, scripts as real (smaller, raised or lowered) sub- and superscripts, fractions
/// as `a/b` and roots as `√(…)`.
pub(crate) fn tex_to_inlines(tex: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    inline_row(&parse(tex), false, &mut out);
    normalize_inlines(out)
}

fn inline_row(nodes: &[Node], script: bool, out: &mut Vec<Inline>) {
    for (index, node) in nodes.iter().enumerate() {
        match node {
            // Relations are spaced in the line, not in scripts (`∑ₙ₌₁`).
            Node::Op(op)
                if !script
                    && crate::math::symbols::is_spaced_operator(op)
                    && index > 0
                    && !matches!(nodes[index - 1], Node::Op(_)) =>
            {
                out.push(Inline::text(format!(" {op} ")));
            }
            _ => {
                inline_node(node, script, out);
                if sets_apart(node, nodes.get(index + 1)) {
                    out.push(Inline::text(" "));
                }
            }
        }
    }
}

fn inline_node(node: &Node, script: bool, out: &mut Vec<Inline>) {
    match node {
        Node::Ident(s) if s.chars().all(|c| c.is_alphabetic()) => {
            out.push(Inline::Emphasis(vec![Inline::text(s.clone())]))
        }
        Node::Ident(s) | Node::Number(s) | Node::Op(s) | Node::Word(s) | Node::Text(s) => {
            out.push(Inline::text(s.clone()))
        }
        Node::Space => out.push(Inline::text(" ")),
        Node::Row(nodes) => inline_row(nodes, script, out),
        Node::Scripts { base, sub, sup } => {
            inline_node(base, script, out);
            if let Some(sub) = sub {
                let mut inner = Vec::new();
                inline_node(sub, true, &mut inner);
                out.push(Inline::Subscript(inner));
            }
            if let Some(sup) = sup {
                let mut inner = Vec::new();
                inline_node(sup, true, &mut inner);
                out.push(Inline::Superscript(inner));
            }
        }
        Node::Frac(num, den) => {
            inline_operand(num, script, out);
            out.push(Inline::text("/"));
            inline_operand(den, script, out);
        }
        Node::Root(index, body) => {
            if let Some(index) = index {
                let mut inner = Vec::new();
                inline_node(index, true, &mut inner);
                out.push(Inline::Superscript(inner));
            }
            out.push(Inline::text("√"));
            inline_operand(body, script, out);
        }
        Node::Accent(base, mark) => {
            inline_node(base, script, out);
            out.push(Inline::text(mark.to_string()));
        }
    }
}

fn inline_operand(node: &Node, script: bool, out: &mut Vec<Inline>) {
    if is_single_operand(node) {
        inline_node(node, script, out);
    } else {
        out.push(Inline::text("("));
        inline_node(node, script, out);
        out.push(Inline::text(")"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_inlines_have_italic_variables_and_real_scripts() {
        assert_eq!(
            tex_to_inlines("x^2"),
            vec![
                Inline::Emphasis(vec![Inline::text("x")]),
                Inline::Superscript(vec![Inline::text("2")])
            ]
        );
    }
}
