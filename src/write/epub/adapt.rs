//! Adapting XHTML made elsewhere (the HTML writer's XHTML/EPUB mode) into a chapter body:
//! the same [`ArticleXhtml`] contract as [`super::content::article_xhtml`], reached by
//! rewriting tags instead of rendering the model.
//!
//! For the integrator: once the HTML writer renders articles as polyglot XHTML, the adapter in
//! `content.rs` can become `adapt_xhtml(&html::render_article(doc, true).0, images)`. This pass
//! then
//! - gives every `id` a valid, unique XML name and records the map from the old ids;
//! - turns every `<a href>` into a link placeholder (resolved when the whole book is known);
//! - asks for every `<img src>` and rewrites it to the embedded copy, or replaces the element
//!   with its alt text (a link for remote images that were not downloaded);
//! - collects `h2`–`h6` outside quotes, lists, tables and asides for the table of contents;
//! - drops comments (a `--` inside one is invalid XML anyway).
//!
//! The input must be well-formed XML (as any XHTML writer's output is); text is copied as it
//! is, already escaped.

use std::fmt::Write as _;

use super::content::{
    escape_attr_into, escape_text_into, ArticleXhtml, IdRegistry, ImageRef, TocHeading, LINK_CLOSE,
    LINK_OPEN,
};

/// See the module docs.
#[allow(dead_code)] // Wired in by the integrator, with the HTML writer.
pub(crate) fn adapt_xhtml(xhtml: &str, images: &mut dyn FnMut(&str) -> ImageRef) -> ArticleXhtml {
    let mut out = ArticleXhtml::default();
    let mut ids = IdRegistry::default();
    let mut body = String::with_capacity(xhtml.len() + 256);
    // Elements whose headings stay out of the table of contents, and open links.
    let mut outside_flow = 0usize;
    let mut open_links = 0usize;
    let mut heading: Option<(u8, String, String)> = None;
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    let mut rest = xhtml;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        // The placeholder marks must not come from the input, or its text would turn into links.
        body.extend(text.chars().filter(|&c| c != LINK_OPEN && c != LINK_CLOSE));
        if let Some((_, _, heading_text)) = heading.as_mut() {
            heading_text.push_str(&unescape(text));
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some(gt) = tag_end(rest) else {
            // Not a tag after all: keep the text, escaped.
            body.push_str("&lt;");
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[..=gt];
        rest = &rest[gt + 1..];
        if tag.starts_with("<!") || tag.starts_with("<?") {
            body.push_str(tag);
            continue;
        }
        if let Some(name) = tag.strip_prefix("</") {
            let name = name.trim_end_matches('>').trim().to_ascii_lowercase();
            match name.as_str() {
                "blockquote" | "li" | "table" | "aside" => {
                    outside_flow = outside_flow.saturating_sub(1)
                }
                "a" => open_links = open_links.saturating_sub(1),
                _ => {}
            }
            if heading_level(&name).is_some() {
                if let Some(done) = heading.take() {
                    headings.push(done);
                }
            }
            body.push_str(tag);
            continue;
        }
        let (name, attributes, self_closing) = parse_start_tag(tag);
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "blockquote" | "li" | "table" | "aside" if !self_closing => outside_flow += 1,
            _ => {}
        }
        if lower == "img" {
            let src = attribute(&attributes, "src").unwrap_or_default();
            let alt = attribute(&attributes, "alt").unwrap_or_default();
            match images(&src) {
                ImageRef::Embedded(href) => {
                    let attributes: Vec<(String, String)> = attributes
                        .into_iter()
                        .map(|(k, v)| {
                            if k == "src" {
                                (k, href.clone())
                            } else {
                                (k, v)
                            }
                        })
                        .collect();
                    write_tag(&mut body, &name, &attributes, &mut ids, &mut out, true);
                }
                ImageRef::Remote(url) if open_links == 0 => {
                    let label = if alt.trim().is_empty() {
                        "Image"
                    } else {
                        alt.trim()
                    };
                    let n = out.links.len();
                    out.links.push(url);
                    let _ = write!(body, "<a class=\"image-alt\"{LINK_OPEN}{n}{LINK_CLOSE}>");
                    escape_text_into(label, &mut body);
                    body.push_str("</a>");
                }
                ImageRef::Remote(_) | ImageRef::Missing => {
                    if !alt.trim().is_empty() {
                        body.push_str("<span class=\"image-alt\">");
                        escape_text_into(alt.trim(), &mut body);
                        body.push_str("</span>");
                    }
                }
            }
            continue;
        }
        if lower == "a" && !self_closing {
            open_links += 1;
        }
        let written_id = write_tag(
            &mut body,
            &name,
            &attributes,
            &mut ids,
            &mut out,
            self_closing,
        );
        if let (Some(level), false) = (heading_level(&lower), self_closing) {
            if level >= 2 && outside_flow == 0 {
                if let Some(id) = written_id {
                    heading = Some((level, id, String::new()));
                }
            }
        }
    }
    body.extend(rest.chars().filter(|&c| c != LINK_OPEN && c != LINK_CLOSE));
    let top = headings
        .iter()
        .map(|(level, _, _)| *level)
        .min()
        .unwrap_or(2);
    out.headings = headings
        .into_iter()
        .filter_map(|(level, id, text)| {
            let text = crate::model::collapse_whitespace(&text).trim().to_string();
            (!text.is_empty()).then(|| TocHeading {
                depth: level - top + 1,
                id,
                text,
            })
        })
        .collect();
    out.body = body;
    out
}

fn heading_level(name: &str) -> Option<u8> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// The index of the `>` that ends the tag starting at `tag[0] == '<'`, skipping quoted
/// attribute values.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in tag.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// A start tag's name, its attributes (values unescaped) and whether it closes itself.
fn parse_start_tag(tag: &str) -> (String, Vec<(String, String)>, bool) {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    let self_closing = inner.ends_with('/');
    let inner = inner.trim_end_matches('/');
    let name_end = inner
        .find(|c: char| c.is_whitespace())
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_string();
    let mut attributes = Vec::new();
    let mut rest = inner[name_end..].trim_start();
    while !rest.is_empty() {
        let key_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = rest[..key_end].to_string();
        rest = rest[key_end..].trim_start();
        let Some(after_eq) = rest.strip_prefix('=') else {
            attributes.push((key.clone(), key));
            continue;
        };
        let after_eq = after_eq.trim_start();
        let Some(quote) = after_eq.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let value_start = &after_eq[1..];
        let value_end = value_start.find(quote).unwrap_or(value_start.len());
        attributes.push((key, unescape(&value_start[..value_end])));
        rest = value_start.get(value_end + 1..).unwrap_or("").trim_start();
    }
    (name, attributes, self_closing)
}

fn attribute(attributes: &[(String, String)], name: &str) -> Option<String> {
    attributes
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

/// Writes a start tag back, with its id made valid and unique and its `href` a placeholder.
/// Returns the id written.
fn write_tag(
    body: &mut String,
    name: &str,
    attributes: &[(String, String)],
    ids: &mut IdRegistry,
    out: &mut ArticleXhtml,
    self_closing: bool,
) -> Option<String> {
    let mut written_id = None;
    body.push('<');
    body.push_str(name);
    for (key, value) in attributes {
        match key.as_str() {
            "id" => {
                let id = ids.claim(value);
                out.ids.entry(value.clone()).or_insert_with(|| id.clone());
                let _ = write!(body, " id=\"{id}\"");
                written_id = Some(id);
            }
            "href" if name.eq_ignore_ascii_case("a") => {
                let n = out.links.len();
                out.links.push(value.clone());
                let _ = write!(body, "{LINK_OPEN}{n}{LINK_CLOSE}");
            }
            _ => {
                let _ = write!(body, " {key}=\"");
                escape_attr_into(value, body);
                body.push('"');
            }
        }
    }
    body.push_str(if self_closing { "/>" } else { ">" });
    written_id
}

/// Decodes the five XML entities and numeric character references.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|s| *s <= 12) else {
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
    use super::super::content::fill_links;
    use super::*;

    #[test]
    fn rewrites_ids_links_images_and_collects_headings() {
        let xhtml = r##"<header><h1 id="title">T</h1></header>
<!-- a -- comment -->
<h2 id="1-intro">Intro &amp; <em>more</em></h2>
<p>See <a href="#1-intro" title="x &quot;y&quot;">here</a> and <a href="https://e.example/?a=1&amp;b=2">there</a>.</p>
<p><img src="pic.png" alt="a pic"/> <img src="gone.png" alt="gone &lt;alt&gt;"/> <img src="https://r.example/x.png" alt=""/></p>
<blockquote><h3 id="q">Quoted</h3></blockquote>
<h3 id="1-intro">Again</h3>"##;
        let mut images = |src: &str| match src {
            "pic.png" => ImageRef::Embedded("images/image-1.png".into()),
            "gone.png" => ImageRef::Missing,
            other => ImageRef::Remote(other.to_string()),
        };
        let out = adapt_xhtml(xhtml, &mut images);
        let body = fill_links(&out.body, &mut |n| {
            out.links.get(n).map(|u| {
                if let Some(frag) = u.strip_prefix('#') {
                    format!("#{}", out.ids.get(frag).cloned().unwrap_or_default())
                } else {
                    u.clone()
                }
            })
        });
        assert!(!body.contains("comment"));
        assert!(
            body.contains("<h2 id=\"id-1-intro\">Intro &amp; <em>more</em></h2>"),
            "{body}"
        );
        assert!(body.contains("<a href=\"#id-1-intro\" title=\"x &quot;y&quot;\">here</a>"));
        assert!(body.contains("<a href=\"https://e.example/?a=1&amp;b=2\">there</a>"));
        assert!(body.contains("<img src=\"images/image-1.png\" alt=\"a pic\"/>"));
        assert!(body.contains("<span class=\"image-alt\">gone &lt;alt&gt;</span>"));
        assert!(body.contains("<a class=\"image-alt\" href=\"https://r.example/x.png\">Image</a>"));
        assert!(body.contains("<h3 id=\"id-1-intro-1\">Again</h3>"));
        let toc: Vec<(u8, &str, &str)> = out
            .headings
            .iter()
            .map(|h| (h.depth, h.id.as_str(), h.text.as_str()))
            .collect();
        assert_eq!(
            toc,
            vec![
                (1, "id-1-intro", "Intro & more"),
                (2, "id-1-intro-1", "Again")
            ]
        );
    }

    #[test]
    fn survives_broken_markup() {
        let mut images = |_: &str| ImageRef::Missing;
        for (input, expected) in [
            ("a < b", "a &lt; b"),
            ("<p", "&lt;p"),
            ("<!-- open", ""),
            ("x <!-- c --> y", "x  y"),
            (
                "<img src='x' alt='y'>",
                "<span class=\"image-alt\">y</span>",
            ),
        ] {
            assert_eq!(adapt_xhtml(input, &mut images).body, expected, "{input}");
        }
        for input in [
            "<p a=\"x>",
            "&",
            "&#xZZ;",
            "</>",
            "<a href=>x</a>",
            "<a =\"\">",
        ] {
            adapt_xhtml(input, &mut images);
        }
        assert_eq!(
            unescape("a &amp; &#65;&#x42; &bogus; &"),
            "a & AB &bogus; &"
        );
    }

    /// The renderer in `content.rs` and this adapter agree: adapting the renderer's output
    /// (links filled with their own URLs) gives the same ids and table of contents.
    #[test]
    fn agrees_with_the_built_in_renderer() {
        use crate::model::{Block, Document, Inline, Meta};
        let doc = Document::new(
            Meta::default(),
            vec![
                Block::Heading {
                    level: 1,
                    id: "2".into(),
                    content: vec![Inline::text("One")],
                },
                Block::Paragraph(vec![Inline::Link {
                    url: "#2".into(),
                    title: None,
                    content: vec![Inline::text("back")],
                }]),
                Block::Heading {
                    level: 2,
                    id: "2".into(),
                    content: vec![Inline::text("Two")],
                },
                Block::Quote(vec![Block::Heading {
                    level: 2,
                    id: "q".into(),
                    content: vec![Inline::text("Q")],
                }]),
            ],
        );
        let mut images = |_: &str| ImageRef::Missing;
        let rendered = super::super::content::article_xhtml(&doc, "Title", &mut images);
        let raw = fill_links(&rendered.body, &mut |n| rendered.links.get(n).cloned());
        let adapted = adapt_xhtml(&raw, &mut images);
        assert_eq!(adapted.headings, rendered.headings);
        assert_eq!(adapted.links, vec!["#2".to_string()]);
        assert_eq!(
            fill_links(&adapted.body, &mut |n| adapted.links.get(n).cloned()),
            raw
        );
    }
}
#[cfg(test)]
mod html_writer {
    use super::super::content::{fill_links, ImageRef};
    use super::*;
    use crate::model::{Block, Document, Inline, Meta};

    /// Text that carries the placeholder marks (the HTML writer keeps them) must stay text.
    #[test]
    fn placeholder_marks_in_text_do_not_become_links() {
        let doc = Document::new(
            Meta::default(),
            vec![Block::Paragraph(vec![
                Inline::text("x"),
                Inline::Note(vec![Block::Paragraph(vec![Inline::text(
                    "a\u{E000}0\u{E001}b",
                )])]),
            ])],
        );
        let (xhtml, _) = crate::write::html::render_article(&doc, true);
        let mut images = |_: &str| ImageRef::Missing;
        let out = adapt_xhtml(&xhtml, &mut images);
        let body = fill_links(&out.body, &mut |n| out.links.get(n).cloned());
        assert!(body.contains("a0b"), "{body}");
        assert!(body.contains("<a href=\"#fnref-1\""), "{body}");
    }
}
