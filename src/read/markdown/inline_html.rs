//! Raw HTML inside Markdown (inline tags that style text, HTML blocks read by the HTML
//! reader) and footnote references expanded in place.

use super::*;

use crate::model::{Block, Image, Inline, MAX_DEPTH};
use crate::{dom, xml};

impl<'a> BuildContext<'_, 'a, '_> {
    pub(super) fn inline_html(&mut self, stack: &mut Vec<Frame>, html: &str) {
        let Some((name, closing, self_closing)) = parse_tag(html) else {
            return;
        };
        match name.as_str() {
            "br" => {
                push_inline(stack, Inline::LineBreak);
                return;
            }
            "img" => {
                if !closing {
                    if let Some(image) = self.html_image(html) {
                        push_inline(stack, Inline::Image(Box::new(image)));
                    }
                }
                return;
            }
            // A list, a paragraph or a row written inline (in a table cell, where Markdown
            // has no blocks) starts a line of its own, as a browser shows it; an item starts
            // with its bullet.
            "li" | "p" | "div" | "tr" | "dt" | "dd" | "ul" | "ol" | "dl" | "table" => {
                if let Some(top) = stack.last_mut() {
                    start_line(top);
                    if name == "li" && !closing {
                        give_inline(top, Inline::text("• "));
                    }
                }
                return;
            }
            _ => {}
        }
        let known = matches!(
            name.as_str(),
            "sup"
                | "sub"
                | "kbd"
                | "code"
                | "del"
                | "s"
                | "strike"
                | "em"
                | "i"
                | "strong"
                | "b"
                | "a"
        );
        if !known || self_closing {
            return;
        }
        if closing {
            let open_tag = stack.last().and_then(|f| match &f.kind {
                FrameKind::HtmlCode { tag } => Some(tag.as_str()),
                FrameKind::Transparent {
                    html_tag: Some(tag),
                    ..
                } => Some(tag.as_str()),
                FrameKind::Emphasis
                | FrameKind::Strong
                | FrameKind::Strikethrough
                | FrameKind::Superscript
                | FrameKind::Subscript => f.text.as_str().into(),
                FrameKind::Link { .. } => Some("a"),
                _ => None,
            });
            let matches_top = stack.last().is_some_and(|f| f.from_html) && open_tag == Some(&name);
            if matches_top {
                pop_frame(stack, self);
            }
            return;
        }
        let level = current_level(stack) + 1;
        let mut frame = match name.as_str() {
            "kbd" | "code" => Frame::new(FrameKind::HtmlCode { tag: name.clone() }, level),
            "a" => {
                let href = dom::tag::start_tag_attribute(html, "href")
                    .map(|href| xml::decode_entities(href.trim()))
                    .filter(|href| !href.is_empty());
                // An anchor without a target (`<a name=x>`) is its text; so is a link inside
                // another (links cannot nest: the outer one is kept).
                let in_link = stack
                    .iter()
                    .any(|f| matches!(f.kind, FrameKind::Link { .. }));
                match href {
                    Some(url) if !in_link && wrapper_fits(level) => {
                        let title = dom::tag::start_tag_attribute(html, "title")
                            .map(|title| xml::decode_entities(&title))
                            .and_then(|title| non_empty(title.trim()));
                        Frame::new(FrameKind::Link { url, title }, level)
                    }
                    _ => Frame::new(
                        FrameKind::Transparent {
                            block: false,
                            html_tag: Some(name.clone()),
                        },
                        level - 1,
                    ),
                }
            }
            _ => {
                let kind = match name.as_str() {
                    "sup" => FrameKind::Superscript,
                    "sub" => FrameKind::Subscript,
                    "del" | "s" | "strike" => FrameKind::Strikethrough,
                    "em" | "i" => FrameKind::Emphasis,
                    _ => FrameKind::Strong,
                };
                if wrapper_fits(level) {
                    let mut frame = Frame::new(kind, level);
                    // Wrapper frames opened by HTML remember their tag here.
                    frame.text = name.clone();
                    frame
                } else {
                    Frame::new(
                        FrameKind::Transparent {
                            block: false,
                            html_tag: Some(name.clone()),
                        },
                        level - 1,
                    )
                }
            }
        };
        frame.from_html = true;
        stack.push(frame);
    }

    /// The note a reference stands for, or the reference as literal text when it has no
    /// definition (or refers to itself, or the document has expanded too many notes).
    /// An empty note is nothing.
    pub(super) fn expand_note(&mut self, label: &str, level: usize) -> Option<Inline> {
        let key = label.to_lowercase();
        let literal = Inline::text(format!("[^{label}]"));
        let notes = self.notes;
        let Some(&(start, end, cost)) = notes.by_label.get(&key) else {
            return Some(literal);
        };
        if self.expanding.contains(&key)
            || !container_fits(level)
            || self.expansions >= MAX_NOTE_EXPANSIONS
            || self.note_cost + cost > MAX_NOTE_COST
        {
            return Some(literal);
        }
        self.expansions += 1;
        self.note_cost += cost;
        self.expanding.push(key);
        let events = notes.events.get(start..end).unwrap_or_default();
        let blocks = self.build(events.iter().cloned(), level);
        self.expanding.pop();
        (!blocks.is_empty()).then_some(Inline::Note(blocks))
    }

    /// An `<img>` tag as the HTML reader reads it (its `srcset`, lazy-loading attributes
    /// and stated size; none for a tracking pixel).
    fn html_image(&self, tag: &str) -> Option<Image> {
        let reading = crate::read::html::read_fragment(tag, self.options).ok()?;
        let mut found = None;
        reading.document.for_each_image(&mut |image| {
            found.get_or_insert_with(|| image.clone());
        });
        found
    }

    /// Block HTML read by the HTML reader; when it cannot, its text as one paragraph.
    pub(super) fn html_block(&mut self, html: &str, level: usize) -> Vec<Block> {
        if let Ok(reading) = crate::read::html::read_fragment(html, self.options) {
            let mut doc = reading.document;
            if doc.depth() + level <= MAX_DEPTH {
                self.warnings.extend(reading.warnings);
                return std::mem::take(&mut doc.blocks);
            }
        }
        let inlines = finish_inlines(vec![Inline::text(strip_tags(html))]);
        if inlines.is_empty() {
            Vec::new()
        } else {
            vec![Block::Paragraph(inlines)]
        }
    }
}

/// Ends the line of text a frame holds so far, if it holds any: what follows starts a new
/// one.
fn start_line(frame: &mut Frame) {
    if frame
        .inlines
        .last()
        .is_some_and(|last| !matches!(last, Inline::LineBreak))
    {
        give_inline(frame, Inline::LineBreak);
    }
}

/// The lower-cased name of an HTML tag, whether it closes (`</b>`) and whether it closes
/// itself (`<br/>`). Comments, declarations and processing instructions give `None`.
pub(super) fn parse_tag(html: &str) -> Option<(String, bool, bool)> {
    let inner = html.trim().strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    Some((name, closing, inner.trim_end().ends_with('/')))
}

/// The text of an HTML fragment: tags and comments removed, the common entities decoded.
pub(super) fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let after = &rest[open..];
        let close = if after.starts_with("<!--") {
            after.find("-->").map(|i| i + 3)
        } else {
            after.find('>').map(|i| i + 1)
        };
        match close {
            Some(len) => {
                text.push(' ');
                rest = &after[len..];
            }
            None => {
                rest = "";
            }
        }
    }
    text.push_str(rest);
    text.replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
