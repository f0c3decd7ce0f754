//! The one XML/HTML escaper: which characters a document may carry, and how text and
//! attribute values are written. The HTML writer (polyglot HTML5, well-formed XML) and the
//! EPUB writer (XHTML, package and navigation documents) both escape through here, so a
//! character XML forbids is dropped the same way in every output.
//!
//! The rules:
//! - characters XML 1.0 (and HTML) cannot carry are dropped: C0 controls other than tab and
//!   newline, DEL and the C1 controls, and noncharacters;
//! - a carriage return (alone or before a newline) becomes one newline, as an XML parser
//!   would read it;
//! - text escapes `&`, `<` and `>`; an attribute value (always written double-quoted) also
//!   escapes `"` and `'`, and its tabs and newlines become spaces (XML attribute-value
//!   normalisation would make them spaces anyway).
//!
//! Everything else, private-use characters included, is the reader's text and stays.

/// Whether XML 1.0 (and HTML) allows the character in a document: no C0 controls other than
/// tab, newline and carriage return (which [`clean_text`] turns into a newline), no C1
/// controls or DEL, no noncharacters.
pub(crate) fn is_xml_char(c: char) -> bool {
    match c {
        '\t' | '\n' => true,
        '\r' => false,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => false,
        '\u{fdd0}'..='\u{fdef}' => false,
        c => (c as u32) & 0xfffe != 0xfffe,
    }
}

/// Calls `push` with each character of `text` as XML reads it: carriage returns made
/// newlines (a `\r\n` pair one newline), characters XML forbids left out.
fn for_each_xml_char(text: &str, mut push: impl FnMut(char)) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            push('\n');
        } else if is_xml_char(c) {
            push(c);
        }
    }
}

/// Text with the characters XML forbids removed (carriage returns become newlines).
pub(crate) fn clean_text(text: &str) -> String {
    if text.chars().all(|c| c != '\r' && is_xml_char(c)) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for_each_xml_char(text, |c| out.push(c));
    out
}

/// Appends element text, escaped: `&`, `<`, `>`; characters XML forbids dropped.
pub fn escape_text_into(text: &str, out: &mut String) {
    out.reserve(text.len());
    for_each_xml_char(text, |c| match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        c => out.push(c),
    });
}

/// Appends a double-quoted attribute value, escaped: `&`, `<`, `>`, `"`, `'`; tabs and
/// newlines become spaces; characters XML forbids dropped.
pub fn escape_attr_into(text: &str, out: &mut String) {
    out.reserve(text.len());
    for_each_xml_char(text, |c| match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        '\t' | '\n' => out.push(' '),
        c => out.push(c),
    });
}

/// [`escape_text_into`] into a new string.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_text_into(text, &mut out);
    out
}

/// [`escape_attr_into`] into a new string.
pub fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_attr_into(text, &mut out);
    out
}

/// The text of XML character data or an attribute value with its references decoded:
/// the five predefined entities (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;`) and numeric ones;
/// any other `&name;` (an HTML entity XML does not define) stays as written.
pub(crate) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // An entity is short: its `;` is within a few bytes (found by byte, as a character
        // may straddle any fixed length).
        let Some(semi) = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&b| b == b';')
        else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_predefined_and_numeric_references_decode_and_others_stay() {
        assert_eq!(decode_entities("a&amp;b&#x41;&#66;&nbsp;&"), "a&bAB&nbsp;&");
        assert_eq!(decode_entities("&lt;&gt;&quot;&apos;&#X42;"), "<>\"'B");
        // A reference without its `;` nearby, or to no character, is text.
        assert_eq!(decode_entities("&amp &#xD800; &#;"), "&amp &#xD800; &#;");
        assert_eq!(decode_entities("é&amp;ü"), "é&ü");
    }

    use super::*;

    #[test]
    fn text_escapes_markup_and_drops_what_xml_forbids() {
        assert_eq!(
            escape_text("a\u{0}b\u{8}c\u{7f}\u{85}\u{ffff}\u{fdd0}\u{1fffe}<&>\"'"),
            "abc&lt;&amp;&gt;\"'"
        );
        assert_eq!(
            escape_text("one\r\ntwo\rthree\tfour"),
            "one\ntwo\nthree\tfour"
        );
    }

    #[test]
    fn attributes_escape_quotes_and_flatten_line_breaks() {
        assert_eq!(escape_attr("\"'\n"), "&quot;&#39; ");
        assert_eq!(escape_attr("a\r\nb\tc<&>\u{1}"), "a b c&lt;&amp;&gt;");
    }

    /// The reader's own characters stay, private-use ones included (they once marked links).
    #[test]
    fn private_use_and_other_scripts_stay() {
        let text = "\u{E000}0\u{E001} Привет 😀 \u{a0}";
        assert_eq!(escape_text(text), text);
        assert_eq!(escape_attr(text), text);
        assert_eq!(clean_text(text), text);
    }

    #[test]
    fn cleaning_matches_escaping() {
        let text = "x\u{0}\r\ny\u{b}\u{fffe}z";
        assert_eq!(clean_text(text), "x\nyz");
        assert_eq!(escape_text(text), clean_text(text));
    }
}
