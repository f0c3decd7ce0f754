//! Whitespace normalisation of inline content, the way a browser would render it.
//!
//! Readers build inlines loosely (text pieces as they come, spaces at element edges) and pass
//! them through [`normalize_inlines`], so every writer sees one canonical form: collapsed
//! spaces, merged texts, no spaces at paragraph edges, and no spaces just inside emphasis or
//! links (so `*word *` can never be written).

use super::Inline;

/// Characters that collapse into one space. No-break spaces are content and are kept.
fn is_collapsible(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')
}

/// Collapses every run of whitespace into one space (no trimming).
///
/// Byte by byte, copying the stretches between changes whole: a text's characters are only
/// decoded where a collapsible one can start (the lead bytes of U+0085, U+1680, U+2000 to
/// U+205F and U+3000), so curly quotes or accents no longer send a whole paragraph down a
/// character-by-character path. A space that stands alone stays where it is.
pub fn collapse_whitespace(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // Where the stretch not yet copied to `out` starts.
    let mut copied_to = 0;
    let mut in_space = false;
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        // Most of a text is printable ASCII between single spaces: step over it in a tight
        // loop that only compares.
        if b > b' ' && b < 0x7f {
            at += 1;
            while bytes.get(at).is_some_and(|&b| b > b' ' && b < 0x7f) {
                at += 1;
            }
            in_space = false;
            continue;
        }
        let (space, len) = match b {
            b'\t'..=b'\r' | b' ' => (true, 1),
            0..=0x7f => (false, 1),
            0xc2 | 0xe1 | 0xe2 | 0xe3 => {
                let c = text[at..].chars().next().unwrap_or(' ');
                (is_collapsible(c), c.len_utf8())
            }
            0xf0.. => (false, 4),
            0xe0.. => (false, 3),
            _ => (false, 2),
        };
        if space {
            if in_space || b != b' ' {
                // Dropped, or (a first tab, line break or wide space) made a plain space.
                out.push_str(&text[copied_to..at]);
                if !in_space {
                    out.push(' ');
                }
                copied_to = at + len;
            }
            in_space = true;
        } else {
            in_space = false;
        }
        at += len;
    }
    out.push_str(&text[copied_to..]);
    out
}

/// Whether `c` is a control character that text never holds: C0 controls other than tab and
/// line feed, DEL, and the C1 controls. Readers remove them; writers drop any that a document
/// built by hand still has.
pub fn is_stray_control(c: char) -> bool {
    (c < ' ' && c != '\t' && c != '\n') || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// Normalises a paragraph's worth of inlines: see the module docs. Idempotent.
pub fn normalize_inlines(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out = normalize_run(inlines);
    trim_start(&mut out);
    trim_end(&mut out);
    out
}

/// Normalises a run without trimming its edges.
fn normalize_run(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match inline {
            Inline::Text(t) => push_text(&mut out, &collapse_whitespace(&t)),
            Inline::LineBreak => {
                trim_end(&mut out);
                out.push(Inline::LineBreak);
            }
            Inline::Emphasis(c) => push_wrapped(&mut out, c, Inline::Emphasis),
            Inline::Strong(c) => push_wrapped(&mut out, c, Inline::Strong),
            Inline::Strikethrough(c) => push_wrapped(&mut out, c, Inline::Strikethrough),
            Inline::Superscript(c) => push_wrapped(&mut out, c, Inline::Superscript),
            Inline::Subscript(c) => push_wrapped(&mut out, c, Inline::Subscript),
            Inline::Link(mut link) => {
                let content = std::mem::take(&mut link.content);
                push_wrapped(&mut out, content, |content| {
                    link.content = content;
                    Inline::Link(link)
                })
            }
            Inline::Span { attr, content } => {
                push_wrapped(&mut out, content, |content| Inline::Span { attr, content })
            }
            Inline::Code(code) => {
                if !code.is_empty() {
                    out.push(Inline::Code(code));
                }
            }
            other @ (Inline::Image(_) | Inline::Note(_) | Inline::Math(_)) => out.push(other),
        }
    }
    // Merging leaves room behind in the texts and in the vector, and a document keeps
    // millions of them: give it back.
    for inline in &mut out {
        if let Inline::Text(text) = inline {
            text.shrink_to_fit();
        }
    }
    out.shrink_to_fit();
    out
}

/// Normalises a wrapper's content, moves its edge spaces outside, and drops it if empty.
fn push_wrapped(
    out: &mut Vec<Inline>,
    content: Vec<Inline>,
    wrap: impl FnOnce(Vec<Inline>) -> Inline,
) {
    let mut content = normalize_run(content);
    let leading = trim_start(&mut content);
    let trailing = trim_end(&mut content);
    if leading {
        push_text(out, " ");
    }
    if !content.is_empty() {
        out.push(wrap(content));
    }
    if trailing {
        push_text(out, " ");
    }
}

/// Appends collapsed text, merging it with a preceding text and never doubling a space.
fn push_text(out: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    let after_space_or_break = match out.last() {
        Some(Inline::Text(prev)) => prev.ends_with(' '),
        Some(Inline::LineBreak) => true,
        _ => false,
    };
    let text = if after_space_or_break {
        text.strip_prefix(' ').unwrap_or(text)
    } else {
        text
    };
    if text.is_empty() {
        return;
    }
    match out.last_mut() {
        Some(Inline::Text(prev)) => prev.push_str(text),
        _ => out.push(Inline::Text(text.to_string())),
    }
}

/// Removes a leading space; says whether there was one.
fn trim_start(inlines: &mut Vec<Inline>) -> bool {
    if let Some(Inline::Text(t)) = inlines.first_mut() {
        if let Some(rest) = t.strip_prefix(' ') {
            *t = rest.to_string();
            if t.is_empty() {
                inlines.remove(0);
            }
            return true;
        }
    }
    false
}

/// Removes a trailing space; says whether there was one.
fn trim_end(inlines: &mut Vec<Inline>) -> bool {
    if let Some(Inline::Text(t)) = inlines.last_mut() {
        if t.ends_with(' ') {
            t.pop();
            if t.is_empty() {
                inlines.pop();
            }
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_and_other_text_collapse_alike() {
        for text in ["a  b", " \t\n\x0b\x0c\r x ", "plain", "", "  ", "a,\n\nb."] {
            let general = collapse_whitespace(&format!("{text}é"));
            assert_eq!(collapse_whitespace(text) + "é", general, "{text:?}");
        }
        assert_eq!(collapse_whitespace("a \t\n b"), "a b");
    }

    #[test]
    fn collapsing_matches_the_rule_character_by_character() {
        // The rule, one character at a time: what the byte-wise version must equal.
        fn by_chars(text: &str) -> String {
            let mut out = String::new();
            let mut in_space = false;
            for c in text.chars() {
                if is_collapsible(c) {
                    if !in_space {
                        out.push(' ');
                    }
                    in_space = true;
                } else {
                    out.push(c);
                    in_space = false;
                }
            }
            out
        }
        let pieces = [
            " ", "  ", "\t", "\n", "\r\n", "a", "é", "“", "—", "\u{a0}", "\u{85}", "\u{1680}",
            "\u{2003}", "\u{2007}", "\u{2028}", "\u{202f}", "\u{205f}", "\u{3000}", "日", "🙂",
            "\u{e000}", "\u{2010}", "\u{c2}",
        ];
        // Every sequence of three pieces, so each kind of character meets each other kind.
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let text = format!("{a}{b}{c}x{c}{b}{a}");
                    assert_eq!(collapse_whitespace(&text), by_chars(&text), "{text:?}");
                }
            }
        }
    }
    use Inline::*;

    fn t(s: &str) -> Inline {
        Text(s.to_string())
    }

    #[test]
    fn collapses_and_merges() {
        let got = normalize_inlines(vec![t("  a \n\t b"), t("  c "), t(" ")]);
        assert_eq!(got, vec![t("a b c")]);
    }

    #[test]
    fn keeps_no_break_spaces() {
        assert_eq!(
            normalize_inlines(vec![t("10\u{a0} km")]),
            vec![t("10\u{a0} km")]
        );
    }

    #[test]
    fn hoists_spaces_out_of_emphasis() {
        let got = normalize_inlines(vec![t("a"), Emphasis(vec![t(" b ")]), t(" c")]);
        assert_eq!(got, vec![t("a "), Emphasis(vec![t("b")]), t(" c")]);
    }

    #[test]
    fn drops_empty_wrappers_and_spaces_around_breaks() {
        let got = normalize_inlines(vec![t("a "), Strong(vec![t("  ")]), LineBreak, t(" b")]);
        assert_eq!(got, vec![t("a"), LineBreak, t("b")]);
    }

    #[test]
    fn is_idempotent() {
        let once = normalize_inlines(vec![
            t(" x "),
            Emphasis(vec![Strong(vec![t(" y ")])]),
            t("z "),
        ]);
        assert_eq!(normalize_inlines(once.clone()), once);
        assert_eq!(
            once,
            vec![t("x "), Emphasis(vec![Strong(vec![t("y")])]), t(" z")]
        );
    }
}
