//! Chapter bodies from the HTML writer: [`article_xhtml`] renders an article with
//! [`html::render_article`] in XHTML mode (EPUB 3 footnotes, `epub:type` semantics) and adapts
//! that markup into the [`ArticleXhtml`] the book is assembled from, by rewriting tags rather
//! than rendering the model a second time. [`adapt_xhtml`]
//! - gives every `id` a valid, unique XML name and records the map from the old ids;
//! - turns every `<a href>` into a link placeholder (resolved when the whole book is known);
//! - asks for every `<img src>` and rewrites it to the embedded copy, or replaces the element
//!   with its alt text (a link for remote images that were not downloaded);
//! - collects the headings outside the article header, quotes, lists, tables and asides for
//!   the table of contents (note reference numbers left out of their text);
//! - drops comments (a `--` inside one is invalid XML anyway).
//!
//! The input must be well-formed XML (as any XHTML writer's output is); text is copied as it
//! is, already escaped.

use std::fmt::Write as _;

use super::content::{
    escape_attr_into, escape_text_into, safe_external_url, ArticleXhtml, IdRegistry, ImageRef,
    TocHeading, LINK_CLOSE, LINK_OPEN,
};
use crate::error::Warning;
use crate::model::Document;
use crate::write::html;

/// An article (its header, body and footnotes) as the `<body>` content of a chapter, with the
/// HTML writer's warnings (unsafe links and images it left out).
pub(crate) fn article_xhtml(
    doc: &Document,
    images: &mut dyn FnMut(&str) -> ImageRef,
) -> (ArticleXhtml, Vec<Warning>) {
    let (xhtml, warnings) = html::render_article(doc, true);
    (adapt_xhtml(&xhtml, images), warnings)
}

/// See the module docs.
pub(crate) fn adapt_xhtml(xhtml: &str, images: &mut dyn FnMut(&str) -> ImageRef) -> ArticleXhtml {
    let mut out = ArticleXhtml::default();
    let mut ids = IdRegistry::default();
    let mut body = String::with_capacity(xhtml.len() + 256);
    // Elements whose headings stay out of the table of contents, and open links.
    let mut outside_flow = 0usize;
    let mut open_links = 0usize;
    // Inside a note reference, whose number is no part of a heading's text.
    let mut in_note_ref = false;
    // Inside the article header, whose one link (the source) points outside the book even when
    // the book holds that page: a link from a chapter to itself would be pointless.
    let mut in_header = 0usize;
    let mut heading: Option<(u8, String, String)> = None;
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    let mut rest = xhtml;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        // The placeholder marks must not come from the input, or its text would turn into links.
        body.extend(text.chars().filter(|&c| c != LINK_OPEN && c != LINK_CLOSE));
        if let Some((_, _, heading_text)) = heading.as_mut().filter(|_| !in_note_ref) {
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
                "header" => {
                    outside_flow = outside_flow.saturating_sub(1);
                    in_header = in_header.saturating_sub(1);
                }
                "a" => {
                    open_links = open_links.saturating_sub(1);
                    in_note_ref = false;
                }
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
            "header" if !self_closing => {
                outside_flow += 1;
                in_header += 1;
            }
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
                    write_tag(
                        &mut body,
                        &name,
                        &attributes,
                        &mut ids,
                        &mut out,
                        true,
                        false,
                    );
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
            in_note_ref = attribute(&attributes, "epub:type")
                .is_some_and(|t| t.split_whitespace().any(|t| t == "noteref"));
        }
        let written_id = write_tag(
            &mut body,
            &name,
            &attributes,
            &mut ids,
            &mut out,
            self_closing,
            in_header > 0,
        );
        if let (Some(level), false) = (heading_level(&lower), self_closing) {
            if outside_flow == 0 {
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
        .unwrap_or(1);
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

/// Writes a start tag back, with its id made valid and unique and its `href` a placeholder
/// (or, with `external_href`, the URL itself when it is a safe absolute one, else nothing).
/// Returns the id written.
fn write_tag(
    body: &mut String,
    name: &str,
    attributes: &[(String, String)],
    ids: &mut IdRegistry,
    out: &mut ArticleXhtml,
    self_closing: bool,
    external_href: bool,
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
            "href" if name.eq_ignore_ascii_case("a") && external_href => {
                if let Some(url) = safe_external_url(value) {
                    body.push_str(" href=\"");
                    escape_attr_into(&url, body);
                    body.push('"');
                }
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
}

#[cfg(test)]
mod pipeline {
    use super::super::content::{fill_links, ImageRef};
    use super::*;
    use crate::model::{Attr, Block, Document, Inline, Meta};

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

    fn render(doc: &Document) -> ArticleXhtml {
        article_xhtml(doc, &mut |_src: &str| ImageRef::Missing).0
    }

    fn filled(out: &ArticleXhtml) -> String {
        fill_links(&out.body, &mut |n| out.links.get(n).cloned())
    }

    #[test]
    fn escapes_text_and_drops_forbidden_characters() {
        let doc = Document::new(
            Meta::default(),
            vec![Block::Paragraph(vec![Inline::text(
                "a < b & \"c\" \u{1}\u{E000}d",
            )])],
        );
        let out = render(&doc);
        assert!(
            out.body.contains("<p>a &lt; b &amp; \"c\" d</p>"),
            "{}",
            out.body
        );
    }

    /// EPUB 3 footnotes: `noteref` links to `footnote` asides, which link back; notes
    /// referenced from notes follow, numbered on.
    #[test]
    fn footnotes_link_both_ways_and_nested_notes_follow() {
        let inner = Inline::Note(vec![Block::Paragraph(vec![Inline::text("inner")])]);
        let doc = Document::new(
            Meta::default(),
            vec![Block::Paragraph(vec![
                Inline::text("x"),
                Inline::Note(vec![Block::Paragraph(vec![Inline::text("outer"), inner])]),
            ])],
        );
        let out = render(&doc);
        let body = filled(&out);
        assert!(body.contains(
            "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" role=\"doc-noteref\" epub:type=\"noteref\">1</a></sup>"
        ), "{body}");
        assert!(body.contains(
            "<section class=\"footnotes\" epub:type=\"endnotes\" role=\"doc-endnotes\">\n\
             <aside id=\"fn-1\" epub:type=\"footnote\" role=\"doc-footnote\"><p>outer<sup class=\"footnote-ref\"><a href=\"#fn-2\" id=\"fnref-2\" role=\"doc-noteref\" epub:type=\"noteref\">2</a></sup> \
             <a href=\"#fnref-1\" class=\"footnote-back\" role=\"doc-backlink\">\u{21a9}</a></p></aside>\n\
             <aside id=\"fn-2\" epub:type=\"footnote\" role=\"doc-footnote\"><p>inner \
             <a href=\"#fnref-2\" class=\"footnote-back\" role=\"doc-backlink\">\u{21a9}</a></p></aside>\n\
             </section>\n"
        ), "{body}");
        assert!(!body.contains("<li") && !body.contains("<hr"), "{body}");
        for id in ["fn-1", "fn-2", "fnref-1", "fnref-2"] {
            assert_eq!(out.ids.get(id).map(String::as_str), Some(id));
        }
    }

    #[test]
    fn links_do_not_nest_and_resolve_later() {
        let doc = Document::new(
            Meta::default(),
            vec![Block::Paragraph(vec![Inline::Link(Box::new(
                crate::model::Link {
                    url: "https://a.example/".into(),
                    title: None,
                    content: vec![
                        Inline::text("outer "),
                        Inline::Link(Box::new(crate::model::Link {
                            url: "https://b.example/".into(),
                            title: None,
                            content: vec![Inline::text("inner")],
                        })),
                    ],
                },
            ))])],
        );
        let out = render(&doc);
        assert_eq!(out.links, vec!["https://a.example/".to_string()]);
        let body = filled(&out);
        assert!(
            body.contains("<a href=\"https://a.example/\">outer inner</a>"),
            "{body}"
        );
        let dropped = fill_links(&out.body, &mut |_| None);
        assert!(dropped.contains("<a>outer inner</a>"));
    }

    /// Body headings keep the HTML writer's levels; the table of contents takes them from the
    /// top level found (the header's title is not an entry), and leaves out quoted headings and
    /// note numbers.
    #[test]
    fn headings_feed_the_toc_with_xml_ids() {
        let doc = Document::new(
            Meta {
                title: Some("The title".into()),
                ..Meta::default()
            },
            vec![
                Block::Heading {
                    level: 1,
                    id: "2024".into(),
                    content: vec![
                        Inline::text("Top"),
                        Inline::Note(vec![Block::Paragraph(vec![Inline::text("n")])]),
                    ],
                },
                Block::Container {
                    attr: Box::new(Attr {
                        id: "box".into(),
                        ..Attr::default()
                    }),
                    blocks: vec![Block::Heading {
                        level: 2,
                        id: "sub".into(),
                        content: vec![Inline::text("Sub")],
                    }],
                },
                Block::Quote(vec![Block::Heading {
                    level: 2,
                    id: "q".into(),
                    content: vec![Inline::text("Quoted")],
                }]),
            ],
        );
        let out = render(&doc);
        assert!(out.body.contains("<h1>The title</h1>"), "{}", out.body);
        assert!(
            out.body.contains("<h1 id=\"id-2024\">Top<sup"),
            "{}",
            out.body
        );
        assert!(out.body.contains("<div id=\"box\">"));
        assert!(out.body.contains("<h2 id=\"sub\">Sub</h2>"));
        assert_eq!(out.ids.get("2024").map(String::as_str), Some("id-2024"));
        let toc: Vec<(u8, &str, &str)> = out
            .headings
            .iter()
            .map(|h| (h.depth, h.id.as_str(), h.text.as_str()))
            .collect();
        assert_eq!(toc, vec![(1, "id-2024", "Top"), (2, "sub", "Sub")]);
    }

    #[test]
    fn tables_keep_spans_and_alignment() {
        use crate::model::{Alignment, Cell, Row, Table};
        let mut wide = Cell::from_inlines(vec![Inline::text("wide")]);
        wide.colspan = 2;
        let table = Table {
            caption: vec![Inline::text("Cap")],
            alignments: vec![Alignment::Left, Alignment::Right],
            head: vec![Row { cells: vec![wide] }],
            body: vec![Row {
                cells: vec![
                    Cell::from_inlines(vec![Inline::text("a")]),
                    Cell::from_inlines(vec![Inline::text("b")]),
                ],
            }],
        };
        let body = render(&Document::new(
            Meta::default(),
            vec![Block::Table(Box::new(table))],
        ))
        .body;
        assert!(body.contains("<caption>Cap</caption>"), "{body}");
        assert!(
            body.contains("<th colspan=\"2\" style=\"text-align: left;\">wide</th>"),
            "{body}"
        );
        assert!(body.contains("<td style=\"text-align: right;\">b</td>"));
    }

    #[test]
    fn unsafe_links_warn_and_keep_their_text() {
        let doc = Document::new(
            Meta::default(),
            vec![Block::Paragraph(vec![Inline::Link(Box::new(
                crate::model::Link {
                    url: "javascript:alert(1)".into(),
                    title: None,
                    content: vec![Inline::text("click")],
                },
            ))])],
        );
        let (out, warnings) = article_xhtml(&doc, &mut |_src: &str| ImageRef::Missing);
        assert!(out.links.is_empty());
        assert!(out.body.contains("<p>click</p>"), "{}", out.body);
        assert_eq!(warnings.len(), 1);
    }
}
