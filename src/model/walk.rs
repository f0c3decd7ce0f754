//! Walking the model: visiting blocks, flattening inlines to text, measuring depth.
//!
//! Recursion here is bounded by [`super::MAX_DEPTH`], which every reader enforces and every
//! writer checks first; measuring depth and dropping a document use explicit stacks instead,
//! as they run on documents of any depth.

use super::{Block, Image, Inline};

/// Calls `f` on every block, depth first, including blocks inside quotes, lists, containers
/// and table cells (not those inside footnotes, which are inlines).
pub(crate) fn for_each_block<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Block)) {
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

/// One slice of the tree still to visit, with the level its elements are at.
enum Pending<'a> {
    Blocks(&'a [Block], usize),
    Inlines(&'a [Inline], usize),
}

/// The deepest nesting of blocks and inlines (a paragraph of plain text has depth 2), or,
/// once it passes `limit`, any depth above `limit`. An explicit stack, not recursion: this is
/// what a writer calls on a document it did not read, which may be of any depth.
pub(crate) fn depth_up_to(blocks: &[Block], limit: usize) -> usize {
    let mut deepest = 0;
    let mut stack = vec![Pending::Blocks(blocks, 1)];
    while let Some(pending) = stack.pop() {
        match pending {
            Pending::Blocks(blocks, level) => {
                if !blocks.is_empty() {
                    deepest = deepest.max(level);
                }
                for block in blocks {
                    push_children_of_block(block, level + 1, &mut stack);
                }
            }
            Pending::Inlines(inlines, level) => {
                if !inlines.is_empty() {
                    deepest = deepest.max(level);
                }
                for inline in inlines {
                    push_children_of_inline(inline, level + 1, &mut stack);
                }
            }
        }
        if deepest > limit {
            break;
        }
    }
    deepest
}

fn push_children_of_block<'a>(block: &'a Block, level: usize, stack: &mut Vec<Pending<'a>>) {
    match block {
        Block::Paragraph(inl) | Block::Heading { content: inl, .. } => {
            stack.push(Pending::Inlines(inl, level));
        }
        Block::Quote(inner) | Block::Container { blocks: inner, .. } => {
            stack.push(Pending::Blocks(inner, level));
        }
        Block::List(list) => {
            stack.extend(list.items.iter().map(|item| Pending::Blocks(item, level)));
        }
        Block::Table(table) => {
            stack.push(Pending::Inlines(&table.caption, level));
            stack.extend(
                table
                    .head
                    .iter()
                    .chain(&table.body)
                    .flat_map(|row| &row.cells)
                    .map(|cell| Pending::Blocks(&cell.content, level)),
            );
        }
        Block::Figure(figure) => stack.push(Pending::Inlines(&figure.caption, level)),
        Block::Code { .. } | Block::Rule => {}
    }
}

fn push_children_of_inline<'a>(inline: &'a Inline, level: usize, stack: &mut Vec<Pending<'a>>) {
    match inline {
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Strikethrough(c)
        | Inline::Superscript(c)
        | Inline::Subscript(c)
        | Inline::Span { content: c, .. } => stack.push(Pending::Inlines(c, level)),
        Inline::Link(link) => stack.push(Pending::Inlines(&link.content, level)),
        Inline::Note(blocks) => stack.push(Pending::Blocks(blocks, level)),
        Inline::Text(_) | Inline::Code(_) | Inline::Image(_) | Inline::LineBreak => {}
    }
}

/// Takes a tree of blocks apart without recursion, so that dropping a document of any depth
/// cannot overflow the stack (the compiler's drop glue recurses once per level). Each block
/// is emptied of its children before it is dropped, so no drop goes deeper than one level.
pub(crate) fn dismantle(blocks: Vec<Block>) {
    let mut block_lists = vec![blocks];
    let mut inline_lists: Vec<Vec<Inline>> = Vec::new();
    loop {
        if let Some(blocks) = block_lists.pop() {
            for mut block in blocks {
                match &mut block {
                    Block::Paragraph(inl) | Block::Heading { content: inl, .. } => {
                        take_if_nested(inl, &mut inline_lists);
                    }
                    Block::Quote(inner) | Block::Container { blocks: inner, .. } => {
                        block_lists.push(std::mem::take(inner));
                    }
                    Block::List(list) => block_lists.append(&mut list.items),
                    Block::Table(table) => {
                        take_if_nested(&mut table.caption, &mut inline_lists);
                        for row in table.head.iter_mut().chain(&mut table.body) {
                            for cell in &mut row.cells {
                                block_lists.push(std::mem::take(&mut cell.content));
                            }
                        }
                    }
                    Block::Figure(figure) => take_if_nested(&mut figure.caption, &mut inline_lists),
                    Block::Code { .. } | Block::Rule => {}
                }
            }
        } else if let Some(inlines) = inline_lists.pop() {
            for mut inline in inlines {
                match &mut inline {
                    Inline::Emphasis(c)
                    | Inline::Strong(c)
                    | Inline::Strikethrough(c)
                    | Inline::Superscript(c)
                    | Inline::Subscript(c)
                    | Inline::Span { content: c, .. } => take_if_nested(c, &mut inline_lists),
                    Inline::Link(link) => take_if_nested(&mut link.content, &mut inline_lists),
                    Inline::Note(blocks) => block_lists.push(std::mem::take(blocks)),
                    Inline::Text(_) | Inline::Code(_) | Inline::Image(_) | Inline::LineBreak => {}
                }
            }
        } else {
            break;
        }
    }
}

/// Moves `inlines` to `pending` when any of them holds more inlines or blocks; a flat run of
/// text (the common case) is left to be dropped where it is.
fn take_if_nested(inlines: &mut Vec<Inline>, pending: &mut Vec<Vec<Inline>>) {
    let nested = inlines.iter().any(|inline| {
        !matches!(
            inline,
            Inline::Text(_) | Inline::Code(_) | Inline::Image(_) | Inline::LineBreak
        )
    });
    if nested {
        pending.push(std::mem::take(inlines));
    }
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
