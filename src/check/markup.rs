//! A forgiving scanner over XML and XHTML text: start tags with their attributes, end tags,
//! comments, processing instructions and text, each with the line it starts on. It never
//! fails: an unclosed tag or comment runs to the end of the text.

use crate::xml::decode_entities;

/// One piece of markup, borrowed from the scanned text.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Token<'a> {
    /// `<name a="v">` (or self-closing): the name as written (with any prefix) and the
    /// attributes, values with the five XML entities decoded.
    Start {
        name: &'a str,
        attrs: Vec<(&'a str, String)>,
        line: usize,
    },
    /// `</name>`.
    End { name: &'a str },
    /// `<!--body-->` (to the end of the text when it is not closed).
    Comment { body: &'a str, line: usize },
    /// Character data between tags (entities left as written).
    Text { text: &'a str, line: usize },
}

/// Line numbers (from 1) of byte offsets in one text.
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1));
        Lines { starts }
    }

    /// The line of byte `offset`.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

/// Calls `visit` with every token of `text`, in order.
pub(crate) fn scan<'a>(text: &'a str, mut visit: impl FnMut(Token<'a>)) {
    let lines = Lines::new(text);
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let Some(open) = memchr::memchr(b'<', &bytes[at..]).map(|o| at + o) else {
            visit(Token::Text {
                text: &text[at..],
                line: lines.line_of(at),
            });
            break;
        };
        if open > at {
            visit(Token::Text {
                text: &text[at..open],
                line: lines.line_of(at),
            });
        }
        let rest = &text[open..];
        let line = lines.line_of(open);
        if let Some(after) = rest.strip_prefix("<!--") {
            let (body, len) = match after.find("-->") {
                Some(end) => (&after[..end], 4 + end + 3),
                None => (after, rest.len()),
            };
            visit(Token::Comment { body, line });
            at = open + len;
        } else if rest.starts_with("<![CDATA[") {
            let len = rest.find("]]>").map_or(rest.len(), |end| end + 3);
            visit(Token::Text {
                text: &rest[9..len.saturating_sub(3).max(9)],
                line,
            });
            at = open + len;
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            let len = rest.find('>').map_or(rest.len(), |end| end + 1);
            at = open + len;
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').unwrap_or(after.len());
            visit(Token::End {
                name: after[..end].trim(),
            });
            at = open + 2 + end + 1;
        } else {
            let end = tag_end(rest);
            let inner = rest[1..end].trim_end_matches('>').trim_end_matches('/');
            let name_end = inner
                .find(|c: char| c.is_whitespace() || c == '/')
                .unwrap_or(inner.len());
            let name = &inner[..name_end];
            if name.is_empty() {
                // A lone `<` in text: not a tag.
                visit(Token::Text {
                    text: &text[open..open + 1],
                    line,
                });
                at = open + 1;
                continue;
            }
            visit(Token::Start {
                name,
                attrs: attributes(&inner[name_end..]),
                line,
            });
            at = open + end;
        }
    }
}

/// The length of the tag at the start of `rest` up to and including its `>`, skipping `>`
/// inside quoted attribute values.
fn tag_end(rest: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, &b) in rest.as_bytes().iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return i + 1,
            None => {}
        }
    }
    rest.len()
}

/// `a="1" b='2' c` as name/value pairs.
fn attributes(text: &str) -> Vec<(&str, String)> {
    let mut attrs = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return attrs;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let Some(after_eq) = rest.strip_prefix('=') else {
            attrs.push((name, String::new()));
            if name_end == 0 {
                // Nothing consumed: skip one character so the loop ends.
                rest = rest.get(1..).unwrap_or_default();
            }
            continue;
        };
        rest = after_eq.trim_start();
        let value;
        match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let end = rest[1..].find(q).map_or(rest.len(), |e| e + 1);
                value = &rest[1..end];
                rest = rest.get(end + 1..).unwrap_or_default();
            }
            _ => {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                value = &rest[..end];
                rest = &rest[end..];
            }
        }
        attrs.push((name, decode_entities(value)));
    }
}

/// The local name of a possibly prefixed name (`dc:language` → `language`).
pub(crate) fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token<'_>> {
        let mut out = Vec::new();
        scan(text, |t| out.push(t));
        out
    }

    #[test]
    fn tags_attributes_and_lines() {
        let found =
            tokens("<?xml version=\"1.0\"?>\n<a href=\"x.xhtml#b&amp;c\" id='q'>t</a>\n<img/>");
        assert_eq!(
            found,
            vec![
                Token::Text {
                    text: "\n",
                    line: 1
                },
                Token::Start {
                    name: "a",
                    attrs: vec![("href", "x.xhtml#b&c".into()), ("id", "q".into())],
                    line: 2
                },
                Token::Text { text: "t", line: 2 },
                Token::End { name: "a" },
                Token::Text {
                    text: "\n",
                    line: 2
                },
                Token::Start {
                    name: "img",
                    attrs: vec![],
                    line: 3
                },
            ]
        );
    }

    #[test]
    fn comments_and_quoted_angle_brackets() {
        let found = tokens("<!-- a -- b --><p title=\"1 > 0\">x</p><!-- open");
        assert_eq!(
            found[0],
            Token::Comment {
                body: " a -- b ",
                line: 1
            }
        );
        assert!(
            matches!(&found[1], Token::Start { name: "p", attrs, .. } if attrs[0].1 == "1 > 0")
        );
        assert_eq!(
            found.last(),
            Some(&Token::Comment {
                body: " open",
                line: 1
            })
        );
    }

    #[test]
    fn broken_markup_never_panics() {
        for text in [
            "<",
            "</",
            "<!--",
            "<![CDATA[",
            "<![CDATA[x",
            "<a b=\"",
            "<a b='x",
            "<a =x>",
            "<é=\"x\">",
            "&éééééééé;",
            "<p title=\"&ééé\">",
            "<a\u{0}>",
            "<?xml",
            "<!DOCTYPE",
            "text < more",
        ] {
            let mut count = 0;
            scan(text, |_| count += 1);
            assert!(count <= text.len() + 1);
        }
    }
}
