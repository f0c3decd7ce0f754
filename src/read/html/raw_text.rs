//! Emptying `<script>` and `<style>` elements before parsing.
//!
//! On real pages more than half of the bytes are scripts and style sheets (27% and 29% of
//! the article-extraction benchmark's pages), which the tokenizer would scan character by
//! character and the tree builder copy into text nodes, only for the reader to ignore them.
//! This pass finds them with a small scanner that knows just enough HTML to find where an
//! element really starts (in text, not inside a comment, an attribute value or a raw-text
//! element such as `<textarea>`) and cuts their content, keeping the tags. JSON-LD scripts
//! are kept (metadata reads them), and so is any script that opens an HTML comment, where the
//! tokenizer's escape rules could end the element elsewhere than the first `</script>`.

use std::borrow::Cow;

/// The page with the content of its `<script>` (other than JSON-LD) and `<style>` elements
/// cut out. Borrows the input when there is nothing to cut.
pub fn without_scripts_and_styles(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied_to = 0;
    let mut at = 0;
    while let Some(offset) = html.get(at..).and_then(|rest| rest.find('<')) {
        let lt = at + offset;
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            match html[lt + 4..].find("-->") {
                Some(end) => at = lt + 4 + end + 3,
                None => break,
            }
            continue;
        }
        let Some(&first) = rest.get(1) else { break };
        if first == b'!' || first == b'?' || first == b'/' {
            // Doctype, bogus comment or end tag: nothing to cut inside.
            match html[lt..].find('>') {
                Some(end) => at = lt + end + 1,
                None => break,
            }
            continue;
        }
        if !first.is_ascii_alphabetic() {
            at = lt + 1;
            continue;
        }
        let name_end = rest
            .iter()
            .skip(1)
            .position(|b| !b.is_ascii_alphanumeric() && *b != b'-')
            .map_or(bytes.len(), |p| lt + 1 + p);
        let name = &html[lt + 1..name_end];
        let Some(tag_end) = start_tag_end(bytes, name_end) else {
            break;
        };
        let raw = [
            "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
            "noscript",
        ]
        .into_iter()
        .find(|raw| name.eq_ignore_ascii_case(raw));
        let Some(raw) = raw else {
            if name.eq_ignore_ascii_case("plaintext") {
                break;
            }
            at = tag_end;
            continue;
        };
        let Some(close) = closing_tag(html, tag_end, raw) else {
            break;
        };
        let content = &html[tag_end..close];
        let attributes = &html[name_end..tag_end];
        let cut = match raw {
            "style" => true,
            "script" => {
                !attributes.to_ascii_lowercase().contains("ld+json") && !content.contains("<!--")
            }
            _ => false,
        };
        if cut && !content.is_empty() {
            let buffer = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
            buffer.push_str(&html[copied_to..tag_end]);
            copied_to = close;
        }
        at = close + 2 + raw.len();
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut buffer) => {
            buffer.push_str(&html[copied_to..]);
            Cow::Owned(buffer)
        }
    }
}

/// Where a start tag ends (just after its `>`), skipping quoted attribute values.
fn start_tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'>' => return Some(i + 1),
            b'"' | b'\'' => {
                let close = bytes.get(i + 1..)?.iter().position(|&c| c == b)?;
                i += close + 2;
            }
            _ => i += 1,
        }
    }
    None
}

/// The position of the `</name` that ends a raw-text element whose content starts at `from`
/// (case-insensitive, followed by a space, `/` or `>`, as the tokenizer requires).
fn closing_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut at = from;
    loop {
        let found = at + html.get(at..)?.find("</")?;
        let name_at = found + 2;
        let candidate = bytes.get(name_at..name_at + name.len())?;
        let after = bytes.get(name_at + name.len()).copied();
        if candidate.eq_ignore_ascii_case(name.as_bytes())
            && matches!(
                after,
                Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') | None
            )
        {
            return Some(found);
        }
        at = found + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::without_scripts_and_styles as cut;

    #[test]
    fn scripts_and_styles_lose_their_content_and_keep_their_tags() {
        assert_eq!(
            cut("<p>a</p><script>var x = '<p>';</script><STYLE type=x>p{}</STYLE><p>b</p>"),
            "<p>a</p><script></script><STYLE type=x></STYLE><p>b</p>"
        );
    }

    #[test]
    fn json_ld_and_commented_scripts_are_kept() {
        let ld = r#"<script type="application/ld+json">{"a":1}</script>"#;
        assert_eq!(cut(ld), ld);
        let escaped = "<script><!-- document.write('<script>x</script>') --></script><p>t</p>";
        assert_eq!(cut(escaped), escaped);
    }

    #[test]
    fn script_look_alikes_are_not_elements() {
        for input in [
            "<!-- <script> --><p>kept</p><script>x</script>",
            "<div title='<script>'>kept</div><script>x</script>",
            "<textarea><script></textarea><p>kept</p>",
            "<title>a <style> b</title><p>kept</p>",
        ] {
            let out = cut(input);
            assert!(out.contains("kept"), "{input} → {out}");
        }
        assert_eq!(
            cut("<div data-x=\"a>b\"><script>x</script>"),
            "<div data-x=\"a>b\"><script></script>"
        );
    }

    #[test]
    fn unclosed_and_odd_endings_are_left_to_the_parser() {
        assert_eq!(cut("<p>a<script>never closed"), "<p>a<script>never closed");
        assert_eq!(cut("<script>a</scripty>b</script >"), "<script></script >");
        assert_eq!(cut("<"), "<");
        assert_eq!(cut("<p"), "<p");
        assert_eq!(cut("<script"), "<script");
        assert_eq!(cut("é<script>ü</script>ß"), "é<script></script>ß");
    }
}
