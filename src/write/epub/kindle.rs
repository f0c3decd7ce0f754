//! What the Kindle profile (`--profile kindle`) adds to a book so that none of the causes
//! [`crate::check::kindle`] looks for can occur: the stylesheet's Kindle rules (code in dark
//! text on a light background, formulas drawn as pictures placed on the baseline) and the
//! user's CSS without custom properties, which Kindle's converter rejects, and without dark
//! backgrounds behind code.
//!
//! The rest is done where the book is made: a real language (`package::book_language`),
//! formulas as pictures (`images::BookImages::math`), images fitted to the screen (the
//! profile's size). quire writes no comments, no links to a `<body>` id and no `<img>`
//! without `src` in any profile.

/// Added after the book's stylesheet (and the user's): e-ink shows colours as grays and a
/// dark code background as a black block, so code is near-black on a pale gray whatever the
/// user's CSS says.
pub(crate) const STYLESHEET: &str = r#"
/* Kindle profile */
pre, code, pre code { color: #000000 !important; background-color: #f2f2f2 !important; }
img.math { max-width: 100%; border: 0; }
img.math-display { display: block; margin: 0.6em auto; }
"#;

/// The user's CSS as the Kindle profile takes it: without custom properties (see
/// [`without_custom_properties`]) and without dark backgrounds on `pre` and `code`.
pub(crate) fn user_css(css: &str) -> String {
    let css = without_custom_properties(css);
    let mut out = String::with_capacity(css.len());
    let mut copied = 0;
    for range in crate::check::kindle::dark_code_declarations(&css) {
        out.push_str(&css[copied..range.start]);
        copied = range.end;
    }
    out.push_str(&css[copied..]);
    out
}

/// `css` with every custom property declaration (`--ink: #333;`) removed and every `var()`
/// replaced by the value declared for it (the last declaration of that name anywhere), else
/// by its fallback, else by `unset`; a `var()` inside a value is replaced too, up to a few
/// levels deep.
pub(crate) fn without_custom_properties(css: &str) -> String {
    let mut values: std::collections::HashMap<String, String> = Default::default();
    let code = crate::check::kindle::css_code(css);
    let mut kept = String::with_capacity(css.len());
    let mut copied = 0;
    for (start, end, name, value) in custom_declarations(&code, css) {
        values.insert(name, value);
        kept.push_str(&css[copied..start]);
        copied = end;
    }
    kept.push_str(&css[copied..]);
    let mut out = kept;
    // A value may itself use var(): a few passes resolve chains; what is left is unset.
    for _ in 0..4 {
        let replaced = replace_vars(&out, &values);
        if replaced == out {
            break;
        }
        out = replaced;
    }
    out
}

/// Whether byte `b` can be part of a CSS identifier.
fn ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b >= 0x80
}

/// Each `--name: value;` of `css` (found in `code`, its blanked form): its byte range
/// (through the `;`, or up to the `}` that ends the block), name and value.
fn custom_declarations(code: &str, css: &str) -> Vec<(usize, usize, String, String)> {
    let bytes = code.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = memchr::memmem::find(&bytes[at..], b"--") {
        let start = at + offset;
        let starts_token = start == 0 || !ident_byte(bytes[start - 1]);
        let name_end = start
            + 2
            + bytes[start + 2..]
                .iter()
                .take_while(|&&b| ident_byte(b))
                .count();
        let colon = code[name_end..]
            .bytes()
            .position(|b| !b.is_ascii_whitespace())
            .map(|p| name_end + p)
            .filter(|&p| bytes[p] == b':');
        let (Some(colon), true, true) = (colon, starts_token, name_end > start + 2) else {
            at = name_end.max(start + 2);
            continue;
        };
        // The value runs to the `;` or `}` outside brackets.
        let mut depth = 0i32;
        let mut end = colon + 1;
        while end < bytes.len() {
            match bytes[end] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' => depth -= 1,
                b'}' if depth == 0 => break,
                b'}' => depth -= 1,
                b';' if depth == 0 => break,
                _ => {}
            }
            end += 1;
        }
        let value = css[colon + 1..end].trim().to_string();
        let through = if bytes.get(end) == Some(&b';') {
            end + 1
        } else {
            end
        };
        found.push((start, through, code[start..name_end].to_string(), value));
        at = through;
    }
    found
}

/// `css` with each `var(--name[, fallback])` replaced (one level).
fn replace_vars(css: &str, values: &std::collections::HashMap<String, String>) -> String {
    let code = crate::check::kindle::css_code(css);
    let lower = code.to_ascii_lowercase();
    let bytes = code.as_bytes();
    let mut out = String::with_capacity(css.len());
    let mut copied = 0;
    let mut at = 0;
    while let Some(offset) = lower[at..].find("var(") {
        let start = at + offset;
        if start > 0 && ident_byte(bytes[start - 1]) {
            at = start + 4;
            continue;
        }
        // The matching `)`.
        let mut depth = 0i32;
        let mut end = start + 3;
        while end < bytes.len() {
            match bytes[end] {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            end += 1;
        }
        let inner = &css[start + 4..end.min(css.len())];
        let (name, fallback) = match inner.split_once(',') {
            Some((name, fallback)) => (name.trim(), Some(fallback.trim())),
            None => (inner.trim(), None),
        };
        let value = values
            .get(name)
            .map(String::as_str)
            .or(fallback)
            .filter(|v| !v.is_empty())
            .unwrap_or("unset");
        out.push_str(&css[copied..start]);
        out.push_str(value);
        copied = (end + 1).min(css.len());
        at = copied;
    }
    out.push_str(&css[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_properties_are_resolved_and_removed() {
        let css = ":root {\n  --ink: #222;\n  --gap: var(--base, 1em);\n}\np { color: var(--ink); margin: var(--gap) 0; border-color: var(--none, gray); }\na { color: var(--unknown) }\n/* --not: a declaration */";
        let out = without_custom_properties(css);
        assert_eq!(
            out,
            ":root {\n  \n  \n}\np { color: #222; margin: 1em 0; border-color: gray; }\na { color: unset }\n/* --not: a declaration */"
        );
        let mut found = Vec::new();
        crate::check::kindle::check_css_for_tests(&out, &mut |line, message| {
            found.push((line, message))
        });
        assert_eq!(found, vec![]);
    }

    #[test]
    fn dark_code_backgrounds_are_dropped() {
        let css = "pre { color: #ddd; background: var(--bg); }\n:root { --bg: #111 }\ncode { background-color: #eee }";
        assert_eq!(
            user_css(css),
            "pre { color: #ddd;  }\n:root { }\ncode { background-color: #eee }"
        );
    }

    #[test]
    fn css_without_custom_properties_is_unchanged() {
        let css = "p { margin: -1px; content: \"--x: y\" }";
        assert_eq!(without_custom_properties(css), css);
    }
}
