//! One start tag read on its own, without parsing a page: for the places that meet a tag as
//! a string (a fetched page's head before it is parsed, raw HTML inside Markdown).

/// The attributes of a start tag (`<a href="x" title='y' hidden>`, its `>` optional), as
/// `name=value`, `name="value"`, `name='value'` or a bare `name` (an empty value), in the
/// order written. Names are as written; values are as written too, character references
/// left for the caller to decode.
pub fn start_tag_attributes(tag: &str) -> Vec<(String, String)> {
    let tag = tag.trim();
    let tag = tag.strip_suffix('>').unwrap_or(tag);
    let Some(after_open) = tag.strip_prefix('<') else {
        return Vec::new();
    };
    let name_len = after_open
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(after_open.len());
    let mut text = &after_open[name_len..];
    let mut out = Vec::new();
    loop {
        text = text.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        let name_end = text
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(text.len());
        if name_end == 0 {
            return out;
        }
        let name = text[..name_end].to_string();
        text = text[name_end..].trim_start();
        let Some(after) = text.strip_prefix('=') else {
            out.push((name, String::new()));
            continue;
        };
        let after = after.trim_start();
        let (value, rest) = match after.chars().next() {
            Some(quote @ ('"' | '\'')) => match after[1..].find(quote) {
                Some(end) => (&after[1..1 + end], &after[end + 2..]),
                None => (&after[1..], ""),
            },
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        out.push((name, value.to_string()));
        text = rest;
    }
}

/// The value of the attribute `name` (any case) of a start tag, as written.
pub fn start_tag_attribute(tag: &str, name: &str) -> Option<String> {
    start_tag_attributes(tag)
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_tags_attributes_are_read_in_every_quoting() {
        let attributes = start_tag_attributes(
            r#"<a href="https://x.org/?a=1&amp;b=2" title='Say "hi"' data-x=plain hidden/>"#,
        );
        let pairs: Vec<(&str, &str)> = attributes
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("href", "https://x.org/?a=1&amp;b=2"),
                ("title", "Say \"hi\""),
                ("data-x", "plain"),
                ("hidden", ""),
            ]
        );
        assert_eq!(
            start_tag_attribute("<IMG SRC=a.png ALT = 'A b'>", "alt").as_deref(),
            Some("A b")
        );
        assert_eq!(start_tag_attribute("<br>", "class"), None);
        // An unclosed quote runs to the end; text that is no tag has none.
        assert_eq!(
            start_tag_attribute("<a title=\"open", "title").as_deref(),
            Some("open")
        );
        assert!(start_tag_attributes("plain text").is_empty());
    }
}
