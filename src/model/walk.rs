//! Walking the model: visiting blocks, flattening inlines to text, measuring depth.
//!
//! Recursion here is bounded by [`super::MAX_DEPTH`], which every reader enforces.

use super::{Block, Image, Inline};

/// Calls `f` on every block, depth first, including blocks inside quotes, lists, containers
/// and table cells (not those inside footnotes, which are inlines).
pub(crate) fn for_each_block(blocks: &[Block], f: &mut dyn FnMut(&Block)) {
    for block in blocks {
        f(block);
        match block {
            Block::Quote(inner) | Block::Container { blocks: inner, .. } => {
                for_each_block(inner, f)
            }
            Block::List(list) => {
                for item in &list.items {
                    for_each_block(item, f);
                }
            }
            Block::Table(table) => {
                for row in table.head.iter().chain(&table.body) {
                    for cell in &row.cells {
                        for_each_block(&cell.content, f);
                    }
                }
            }
            Block::Paragraph(_)
            | Block::Heading { .. }
            | Block::Code { .. }
            | Block::Figure(_)
            | Block::Rule => {}
        }
    }
}

/// Like [`for_each_block`], with mutable access.
pub(crate) fn for_each_block_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Block)) {
    for block in blocks {
        f(block);
        match block {
            Block::Quote(inner) | Block::Container { blocks: inner, .. } => {
                for_each_block_mut(inner, f)
            }
            Block::List(list) => {
                for item in &mut list.items {
                    for_each_block_mut(item, f);
                }
            }
            Block::Table(table) => {
                for row in table.head.iter_mut().chain(&mut table.body) {
                    for cell in &mut row.cells {
                        for_each_block_mut(&mut cell.content, f);
                    }
                }
            }
            Block::Paragraph(_)
            | Block::Heading { .. }
            | Block::Code { .. }
            | Block::Figure(_)
            | Block::Rule => {}
        }
    }
}

/// Calls `f` on every image reference in the blocks: figures' images and inline images in
/// every run of inlines (captions, table cells, links, footnotes included).
pub(crate) fn for_each_image(blocks: &[Block], f: &mut dyn FnMut(&Image)) {
    for_each_block(blocks, &mut |block| match block {
        Block::Paragraph(inlines)
        | Block::Heading {
            content: inlines, ..
        } => inline_images(inlines, f),
        Block::Figure(figure) => {
            f(&figure.image);
            inline_images(&figure.caption, f);
        }
        Block::Table(table) => inline_images(&table.caption, f),
        Block::Quote(_)
        | Block::List(_)
        | Block::Code { .. }
        | Block::Rule
        | Block::Container { .. } => {}
    });
}

fn inline_images(inlines: &[Inline], f: &mut dyn FnMut(&Image)) {
    for inline in inlines {
        match inline {
            Inline::Image(image) => f(image),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => inline_images(c, f),
            Inline::Link(link) => inline_images(&link.content, f),
            Inline::Note(blocks) => for_each_image(blocks, f),
            Inline::Text(_) | Inline::Code(_) | Inline::LineBreak => {}
        }
    }
}

/// Like [`for_each_image`], with mutable access.
pub(crate) fn for_each_image_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Image)) {
    for_each_block_mut(blocks, &mut |block| match block {
        Block::Paragraph(inlines)
        | Block::Heading {
            content: inlines, ..
        } => inline_images_mut(inlines, f),
        Block::Figure(figure) => {
            f(&mut figure.image);
            inline_images_mut(&mut figure.caption, f);
        }
        Block::Table(table) => inline_images_mut(&mut table.caption, f),
        Block::Quote(_)
        | Block::List(_)
        | Block::Code { .. }
        | Block::Rule
        | Block::Container { .. } => {}
    });
}

fn inline_images_mut(inlines: &mut [Inline], f: &mut dyn FnMut(&mut Image)) {
    for inline in inlines {
        match inline {
            Inline::Image(image) => f(image),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => inline_images_mut(c, f),
            Inline::Link(link) => inline_images_mut(&mut link.content, f),
            Inline::Note(blocks) => for_each_image_mut(blocks, f),
            Inline::Text(_) | Inline::Code(_) | Inline::LineBreak => {}
        }
    }
}

/// The inlines without images (and without wrappers, such as a link, left empty by that).
pub(crate) fn without_images(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out = Vec::with_capacity(inlines.len());
    for inline in inlines {
        let rebuilt = match inline {
            Inline::Image(_) => continue,
            Inline::Emphasis(c) => wrap_nonempty(c, Inline::Emphasis),
            Inline::Strong(c) => wrap_nonempty(c, Inline::Strong),
            Inline::Strikethrough(c) => wrap_nonempty(c, Inline::Strikethrough),
            Inline::Superscript(c) => wrap_nonempty(c, Inline::Superscript),
            Inline::Subscript(c) => wrap_nonempty(c, Inline::Subscript),
            Inline::Link(mut link) => {
                let content = std::mem::take(&mut link.content);
                wrap_nonempty(content, |content| {
                    link.content = content;
                    Inline::Link(link)
                })
            }
            Inline::Span { attr, content } => {
                wrap_nonempty(content, |content| Inline::Span { attr, content })
            }
            other => Some(other),
        };
        out.extend(rebuilt);
    }
    out
}

fn wrap_nonempty(content: Vec<Inline>, wrap: impl FnOnce(Vec<Inline>) -> Inline) -> Option<Inline> {
    let content = without_images(content);
    (!content.is_empty()).then(|| wrap(content))
}

/// Moves every heading `by` levels down (capped at 6), for documents nested in another.
pub fn shift_headings(blocks: &mut [Block], by: u8) {
    for_each_block_mut(blocks, &mut |block| {
        if let Block::Heading { level, .. } = block {
            *level = level.saturating_add(by).min(6);
        }
    });
}

/// Replaces every link URL for which `f` gives a new one (in every run of inlines: captions,
/// table cells, footnotes included).
pub fn rewrite_links(blocks: &mut [Block], f: &mut dyn FnMut(&str) -> Option<String>) {
    for_each_block_mut(blocks, &mut |block| match block {
        Block::Paragraph(inlines)
        | Block::Heading {
            content: inlines, ..
        } => inline_links_mut(inlines, f),
        Block::Figure(figure) => inline_links_mut(&mut figure.caption, f),
        Block::Table(table) => inline_links_mut(&mut table.caption, f),
        Block::Quote(_)
        | Block::List(_)
        | Block::Code { .. }
        | Block::Rule
        | Block::Container { .. } => {}
    });
}

fn inline_links_mut(inlines: &mut [Inline], f: &mut dyn FnMut(&str) -> Option<String>) {
    for inline in inlines {
        match inline {
            Inline::Link(link) => {
                if let Some(new) = f(&link.url) {
                    link.url = new;
                }
                inline_links_mut(&mut link.content, f);
            }
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => inline_links_mut(c, f),
            Inline::Note(blocks) => rewrite_links(blocks, f),
            Inline::Text(_) | Inline::Code(_) | Inline::Image(_) | Inline::LineBreak => {}
        }
    }
}

/// The inlines' text without markup: link text, code, image alt text; line breaks become
/// spaces; footnotes are left out.
pub fn inlines_to_plain(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => push_plain(c, out),
            Inline::Link(link) => push_plain(&link.content, out),
            Inline::Image(img) => out.push_str(&img.alt),
            Inline::LineBreak => out.push(' '),
            Inline::Note(_) => {}
        }
    }
}

/// A URL- and id-friendly form of a heading's text: lower case, letters and digits of any
/// script kept, runs of anything else turned into one `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else if c.is_whitespace() || c == '-' || c == '.' || c == '/' {
            pending_dash = true;
        }
    }
    slug
}

/// The deepest nesting of blocks and inlines (a paragraph of plain text has depth 2).
pub(crate) fn depth(blocks: &[Block]) -> usize {
    blocks.iter().map(block_depth).max().unwrap_or(0)
}

fn block_depth(block: &Block) -> usize {
    1 + match block {
        Block::Paragraph(inl) | Block::Heading { content: inl, .. } => inline_depth(inl),
        Block::Quote(inner) | Block::Container { blocks: inner, .. } => depth(inner),
        Block::List(list) => list.items.iter().map(|i| depth(i)).max().unwrap_or(0),
        Block::Table(table) => table
            .head
            .iter()
            .chain(&table.body)
            .flat_map(|r| &r.cells)
            .map(|c| depth(&c.content))
            .max()
            .unwrap_or(0)
            .max(inline_depth(&table.caption)),
        Block::Figure(fig) => inline_depth(&fig.caption),
        Block::Code { .. } | Block::Rule => 0,
    }
}

fn inline_depth(inlines: &[Inline]) -> usize {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::Span { content: c, .. } => 1 + inline_depth(c),
            Inline::Link(link) => 1 + inline_depth(&link.content),
            Inline::Note(blocks) => 1 + depth(blocks),
            Inline::Text(_) | Inline::Code(_) | Inline::Image(_) | Inline::LineBreak => 1,
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_letters_of_any_script() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  Что делать?  "), "что-делать");
        assert_eq!(slugify("1.2 Scope / aims"), "1-2-scope-aims");
        assert_eq!(slugify("!!!"), "");
    }
}
