//! Walking the model: visiting blocks, flattening inlines to text, measuring depth.
//!
//! Recursion here is bounded by [`super::MAX_DEPTH`], which every reader enforces and every
//! writer checks first; measuring depth and dropping a document use explicit stacks instead,
//! as they run on documents of any depth.

use super::{Block, Cell, Image, Inline, Row};

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
            Inline::Text(_) | Inline::Code(_) | Inline::Math(_) | Inline::LineBreak => {}
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
            Inline::Text(_) | Inline::Code(_) | Inline::Math(_) | Inline::LineBreak => {}
        }
    }
}

/// Whether any run of inlines (captions, cells and footnotes included) holds a formula.
pub(crate) fn has_math(blocks: &[Block]) -> bool {
    let mut found = false;
    for_each_block(blocks, &mut |block| {
        found = found
            || match block {
                Block::Paragraph(inlines)
                | Block::Heading {
                    content: inlines, ..
                } => inlines_have_math(inlines),
                Block::Figure(figure) => inlines_have_math(&figure.caption),
                Block::Table(table) => inlines_have_math(&table.caption),
                _ => false,
            };
    });
    found
}

fn inlines_have_math(inlines: &[Inline]) -> bool {
    inlines.iter().any(|inline| match inline {
        Inline::Math(_) => true,
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Strikethrough(c)
        | Inline::Superscript(c)
        | Inline::Subscript(c)
        | Inline::Span { content: c, .. } => inlines_have_math(c),
        Inline::Link(link) => inlines_have_math(&link.content),
        Inline::Note(blocks) => has_math(blocks),
        Inline::Text(_) | Inline::Code(_) | Inline::Image(_) | Inline::LineBreak => false,
    })
}

/// Whether a run of inlines holds an image, at any depth (footnotes included).
pub(crate) fn holds_image(inlines: &[Inline]) -> bool {
    let mut found = false;
    inline_images(inlines, &mut |_| found = true);
    found
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
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::Image(_)
            | Inline::Math(_)
            | Inline::LineBreak => {}
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
            Inline::Math(math) => out.push_str(&math.linear()),
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

/// The deepest nesting of blocks and inlines (a paragraph of plain text has depth 2), or,
/// once it passes `limit`, any depth above `limit`. An explicit stack, not recursion: this is
/// what a writer calls on a document it did not read, which may be of any depth.
///
/// Depth first, one iterator per level under way, so the stack holds the path down to the
/// current element and not its siblings' children: every write checks the depth, and
/// gathering all of a wide document's lists and cells first made a 20 MB Markdown input
/// peak 30 MB higher.
pub(crate) fn depth_up_to(blocks: &[Block], limit: usize) -> usize {
    use std::slice::Iter;
    /// The elements still to visit at one level, and that level.
    enum Level<'a> {
        Blocks(Iter<'a, Block>, usize),
        Items(Iter<'a, Vec<Block>>, usize),
        Rows(Iter<'a, Row>, usize),
        Cells(Iter<'a, Cell>, usize),
        Inlines(Iter<'a, Inline>, usize),
    }
    /// The next element taken from a level, with its level.
    enum Next<'a> {
        Block(&'a Block, usize),
        Blocks(&'a [Block], usize),
        Cells(&'a [Cell], usize),
        Inline(&'a Inline, usize),
    }
    let mut deepest = 0;
    let mut levels = vec![Level::Blocks(blocks.iter(), 1)];
    while let Some(top) = levels.last_mut() {
        let next = match top {
            Level::Blocks(blocks, level) => blocks.next().map(|b| Next::Block(b, *level)),
            Level::Items(items, level) => items.next().map(|i| Next::Blocks(i, *level)),
            Level::Rows(rows, level) => rows.next().map(|r| Next::Cells(&r.cells, *level)),
            Level::Cells(cells, level) => cells.next().map(|c| Next::Blocks(&c.content, *level)),
            Level::Inlines(inlines, level) => inlines.next().map(|i| Next::Inline(i, *level)),
        };
        let Some(next) = next else {
            levels.pop();
            continue;
        };
        match next {
            Next::Block(block, level) => {
                deepest = deepest.max(level);
                let inner = level + 1;
                match block {
                    Block::Paragraph(inlines)
                    | Block::Heading {
                        content: inlines, ..
                    } => levels.push(Level::Inlines(inlines.iter(), inner)),
                    Block::Quote(blocks) | Block::Container { blocks, .. } => {
                        levels.push(Level::Blocks(blocks.iter(), inner));
                    }
                    Block::List(list) => levels.push(Level::Items(list.items.iter(), inner)),
                    Block::Table(table) => {
                        levels.push(Level::Rows(table.body.iter(), inner));
                        levels.push(Level::Rows(table.head.iter(), inner));
                        levels.push(Level::Inlines(table.caption.iter(), inner));
                    }
                    Block::Figure(figure) => {
                        levels.push(Level::Inlines(figure.caption.iter(), inner));
                    }
                    Block::Code { .. } | Block::Rule => {}
                }
            }
            Next::Blocks(blocks, level) => levels.push(Level::Blocks(blocks.iter(), level)),
            Next::Cells(cells, level) => levels.push(Level::Cells(cells.iter(), level)),
            Next::Inline(inline, level) => {
                deepest = deepest.max(level);
                let inner = level + 1;
                match inline {
                    Inline::Emphasis(c)
                    | Inline::Strong(c)
                    | Inline::Strikethrough(c)
                    | Inline::Superscript(c)
                    | Inline::Subscript(c)
                    | Inline::Span { content: c, .. } => {
                        levels.push(Level::Inlines(c.iter(), inner));
                    }
                    Inline::Link(link) => levels.push(Level::Inlines(link.content.iter(), inner)),
                    Inline::Note(blocks) => levels.push(Level::Blocks(blocks.iter(), inner)),
                    Inline::Text(_)
                    | Inline::Code(_)
                    | Inline::Image(_)
                    | Inline::Math(_)
                    | Inline::LineBreak => {}
                }
            }
        }
        if deepest > limit {
            break;
        }
    }
    deepest
}

/// Takes a tree of blocks apart without recursion, so that dropping a document of any depth
/// cannot overflow the stack (the compiler's drop glue recurses once per level). Each block
/// is emptied of its children before it is dropped, so no drop goes deeper than one level.
///
/// Depth first, with one iterator per level under way: each block's children are dropped
/// before its next sibling is looked at, so the work list never holds more than the path
/// down to the current block. (Gathering every list's items or every table's cells first
/// made a 10,000 × 100 table cost 60 MB more at its peak than the document itself.)
///
/// Returns the most levels it held at once (the tests check it stays the depth, not the width).
pub(crate) fn dismantle(blocks: Vec<Block>) -> usize {
    use std::vec::IntoIter;
    /// What is left to take apart at one level.
    enum Level {
        Blocks(IntoIter<Block>),
        Items(IntoIter<Vec<Block>>),
        Rows(IntoIter<Row>),
        Cells(IntoIter<Cell>),
        Inlines(IntoIter<Inline>),
    }
    /// `inlines` as a level, when any of them holds more inlines or blocks; a flat run of
    /// text (the common case) is dropped where it is.
    fn nested(inlines: Vec<Inline>) -> Option<Level> {
        let nested = inlines.iter().any(|inline| {
            !matches!(
                inline,
                Inline::Text(_) | Inline::Code(_) | Inline::Image(_) | Inline::LineBreak
            )
        });
        nested.then(|| Level::Inlines(inlines.into_iter()))
    }
    /// The next thing taken from a level.
    enum Next {
        Block(Block),
        Item(Vec<Block>),
        Row(Row),
        Cell(Cell),
        Inline(Inline),
    }
    let mut levels = vec![Level::Blocks(blocks.into_iter())];
    let mut most = 0;
    while let Some(level) = levels.last_mut() {
        let next = match level {
            Level::Blocks(blocks) => blocks.next().map(Next::Block),
            Level::Items(items) => items.next().map(Next::Item),
            Level::Rows(rows) => rows.next().map(Next::Row),
            Level::Cells(cells) => cells.next().map(Next::Cell),
            Level::Inlines(inlines) => inlines.next().map(Next::Inline),
        };
        let Some(next) = next else {
            most = most.max(levels.len());
            levels.pop();
            continue;
        };
        // Its children become the next level down; it is dropped here, emptied of them.
        match next {
            Next::Block(block) => match block {
                Block::Paragraph(inlines)
                | Block::Heading {
                    content: inlines, ..
                } => levels.extend(nested(inlines)),
                Block::Quote(inner) | Block::Container { blocks: inner, .. } => {
                    levels.push(Level::Blocks(inner.into_iter()));
                }
                Block::List(mut list) => {
                    levels.push(Level::Items(std::mem::take(&mut list.items).into_iter()));
                }
                Block::Table(mut table) => {
                    levels.push(Level::Rows(std::mem::take(&mut table.body).into_iter()));
                    levels.push(Level::Rows(std::mem::take(&mut table.head).into_iter()));
                    levels.extend(nested(std::mem::take(&mut table.caption)));
                }
                Block::Figure(mut figure) => {
                    levels.extend(nested(std::mem::take(&mut figure.caption)));
                }
                Block::Code { .. } | Block::Rule => {}
            },
            Next::Item(blocks) => levels.push(Level::Blocks(blocks.into_iter())),
            Next::Row(row) => levels.push(Level::Cells(row.cells.into_iter())),
            Next::Cell(cell) => levels.push(Level::Blocks(cell.content.into_iter())),
            Next::Inline(inline) => match inline {
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::Span { content: c, .. } => levels.extend(nested(c)),
                Inline::Link(mut link) => {
                    levels.extend(nested(std::mem::take(&mut link.content)));
                }
                Inline::Note(blocks) => levels.push(Level::Blocks(blocks.into_iter())),
                Inline::Text(_)
                | Inline::Code(_)
                | Inline::Image(_)
                | Inline::Math(_)
                | Inline::LineBreak => {}
            },
        }
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The depth the walk finds is the one a plain recursion finds, through lists, tables
    /// (caption, head and body), figures, links and notes.
    #[test]
    fn depth_counts_every_kind_of_nesting() {
        use crate::model::{Alignment, List, Table};
        fn by_recursion(blocks: &[Block]) -> usize {
            fn inlines(run: &[Inline]) -> usize {
                let inner = run.iter().map(|inline| match inline {
                    Inline::Emphasis(c)
                    | Inline::Strong(c)
                    | Inline::Strikethrough(c)
                    | Inline::Superscript(c)
                    | Inline::Subscript(c)
                    | Inline::Span { content: c, .. } => inlines(c),
                    Inline::Link(link) => inlines(&link.content),
                    Inline::Note(blocks) => by_recursion(blocks),
                    _ => 0,
                });
                if run.is_empty() {
                    0
                } else {
                    1 + inner.max().unwrap_or(0)
                }
            }
            let inner = blocks.iter().map(|block| match block {
                Block::Paragraph(c) | Block::Heading { content: c, .. } => inlines(c),
                Block::Quote(b) | Block::Container { blocks: b, .. } => by_recursion(b),
                Block::List(list) => list
                    .items
                    .iter()
                    .map(|i| by_recursion(i))
                    .max()
                    .unwrap_or(0),
                Block::Table(t) => t
                    .head
                    .iter()
                    .chain(&t.body)
                    .flat_map(|r| &r.cells)
                    .map(|c| by_recursion(&c.content))
                    .chain([inlines(&t.caption)])
                    .max()
                    .unwrap_or(0),
                Block::Figure(f) => inlines(&f.caption),
                Block::Code { .. } | Block::Rule => 0,
            });
            if blocks.is_empty() {
                0
            } else {
                1 + inner.max().unwrap_or(0)
            }
        }
        let paragraph = |inline: Inline| Block::Paragraph(vec![inline]);
        let deep_inline = |levels: usize| {
            (0..levels).fold(Inline::text("x"), |inner, _| Inline::Strong(vec![inner]))
        };
        let cell = |blocks: Vec<Block>| Cell {
            content: blocks,
            colspan: 1,
            rowspan: 1,
        };
        let table = |caption: Vec<Inline>, head: Vec<Block>, body: Vec<Block>| {
            Block::Table(Box::new(Table {
                caption,
                alignments: vec![Alignment::Left],
                head: vec![Row {
                    cells: vec![cell(head)],
                }],
                body: vec![Row {
                    cells: vec![cell(vec![]), cell(body)],
                }],
            }))
        };
        let list = |items: Vec<Vec<Block>>| {
            Block::List(List {
                items,
                ordered: false,
                start: 1,
                tight: true,
                checked: Default::default(),
            })
        };
        let note = |blocks: Vec<Block>| Inline::Note(blocks);
        let documents = vec![
            vec![],
            vec![paragraph(Inline::text("x"))],
            vec![Block::Rule, Block::Quote(vec![paragraph(deep_inline(3))])],
            vec![table(vec![deep_inline(5)], vec![], vec![])],
            vec![table(vec![], vec![paragraph(deep_inline(4))], vec![])],
            vec![table(
                vec![],
                vec![],
                vec![list(vec![vec![], vec![paragraph(deep_inline(2))]])],
            )],
            vec![paragraph(note(vec![list(vec![vec![paragraph(
                deep_inline(6),
            )]])]))],
            vec![
                list(vec![vec![Block::Quote(vec![])], vec![Block::Rule]]),
                paragraph(deep_inline(1)),
            ],
        ];
        for blocks in documents {
            assert_eq!(
                depth_up_to(&blocks, usize::MAX),
                by_recursion(&blocks),
                "{blocks:?}"
            );
        }
    }

    /// Taking apart a wide document holds the path down to the current block, not every
    /// list item or table cell at once.
    #[test]
    fn dismantling_holds_the_depth_not_the_width() {
        use crate::model::{Alignment, List, Table};
        let cell = || Cell {
            content: vec![Block::Paragraph(vec![Inline::Strong(vec![Inline::text(
                "c",
            )])])],
            colspan: 1,
            rowspan: 1,
        };
        let row = || Row {
            cells: (0..100).map(|_| cell()).collect(),
        };
        let table = Block::Table(Box::new(Table {
            caption: Vec::new(),
            alignments: vec![Alignment::Left; 100],
            head: vec![row()],
            body: (0..1000).map(|_| row()).collect(),
        }));
        let list = Block::List(List {
            items: (0..10_000)
                .map(|_| vec![Block::Paragraph(vec![Inline::text("item")])])
                .collect(),
            ordered: false,
            start: 1,
            tight: true,
            checked: Default::default(),
        });
        let most = dismantle(vec![table, list]);
        // Blocks, rows, cells, a cell's blocks, its paragraph's inlines, the strong's.
        assert!(most <= 6, "{most} levels held at once");
    }

    #[test]
    fn slugs_keep_letters_of_any_script() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  Что делать?  "), "что-делать");
        assert_eq!(slugify("1.2 Scope / aims"), "1-2-scope-aims");
        assert_eq!(slugify("!!!"), "");
    }
}
