//! Block markup: paragraphs, headings, quotes, lists, code, tables (a row at a time),
//! figures and containers.

use std::fmt::Write as _;

use super::attributes::clean_code_language;
use super::render::Renderer;
use crate::model::{Alignment, Block, Figure, List, Table};
use crate::write::table_layout::{layout, GridRows};
use crate::xml::escape_text;

impl<'a> Renderer<'a> {
    pub(super) fn blocks(&mut self, blocks: &'a [Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    /// The level to write a heading of `level` at: at most one deeper than the heading it
    /// falls under (checkers reject skipped levels, and a contents page built from them
    /// would nest), and the same as an earlier heading of the same level under that one
    /// (four `####` in a row stay siblings, not a staircase).
    fn heading_level(&mut self, level: u8) -> u8 {
        let level = level.max(1);
        while self.outline.last().is_some_and(|&(open, _)| open >= level) {
            self.outline.pop();
        }
        let written = match self.outline.last() {
            Some(&(_, parent)) => level.min(parent + 1),
            None => level,
        }
        .min(6);
        self.outline.push((level, written));
        written
    }

    pub(super) fn block(&mut self, block: &'a Block) {
        if !self.enter() {
            return;
        }
        self.hooks.block_start();
        match block {
            Block::Paragraph(inlines) => {
                self.out.push_str("<p>");
                self.inlines(inlines);
                self.out.push_str("</p>\n");
            }
            Block::Heading { id, content, .. } if self.in_table_head => {
                self.out.push_str("<p");
                self.id_attr(id);
                self.out.push('>');
                self.inlines(content);
                self.out.push_str("</p>\n");
            }
            Block::Heading { level, id, content } => {
                let level = self.heading_level(*level);
                let _ = write!(self.out, "<h{level}");
                self.id_attr(id);
                self.out.push('>');
                self.inlines(content);
                let _ = writeln!(self.out, "</h{level}>");
            }
            Block::Quote(inner) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(inner);
                self.out.push_str("</blockquote>\n");
            }
            Block::List(list) => self.list(list),
            Block::Code { language, text } => {
                self.out.push_str("<pre><code");
                if let Some(lang) = language.as_deref().map(clean_code_language) {
                    if !lang.is_empty() {
                        let _ = write!(self.out, " class=\"language-{lang}\"");
                    }
                }
                self.out.push('>');
                self.out.push_str(&escape_text(text));
                self.out.push_str("</code></pre>\n");
            }
            // In a `div` that scrolls sideways (see the stylesheets): a table wider than the
            // screen scrolls instead of running off its edge, where e-readers cut it, and the
            // table stays a table (a `<table>` styled as a scrolling block loses its table
            // semantics in some browsers). A table the Markdown writer writes as HTML has
            // none: Markdown has no stylesheet.
            Block::Table(table) => {
                self.out.push_str("<div class=\"table-wrap\">\n");
                self.table(table);
                self.out.push_str("</div>\n");
            }
            Block::Figure(figure) => self.figure(figure),
            Block::Rule => self.out.push_str("<hr />\n"),
            Block::Container { attr, blocks } => {
                self.out.push_str("<div");
                self.container_attrs(attr);
                self.out.push_str(">\n");
                self.blocks(blocks);
                self.out.push_str("</div>\n");
            }
        }
        self.hooks.block_end();
        self.leave();
    }

    pub(super) fn list(&mut self, list: &'a List) {
        if list.ordered {
            self.out.push_str("<ol");
            if list.start != 1 {
                let _ = write!(self.out, " start=\"{}\"", list.start);
            }
            self.out.push_str(">\n");
        } else {
            self.out.push_str("<ul>\n");
        }
        for (index, item) in list.items.iter().enumerate() {
            let task = list.task(index);
            self.out.push_str(if task.is_some() {
                "<li class=\"task-list-item\">"
            } else {
                "<li>"
            });
            self.hooks.block_start();
            match item.split_first() {
                // A tight item's leading paragraph is written bare, as Markdown renderers do.
                Some((Block::Paragraph(inlines), rest)) if list.tight => {
                    self.task_box(task);
                    self.inlines(inlines);
                    if !rest.is_empty() {
                        self.out.push('\n');
                        self.blocks(rest);
                    }
                }
                // A loose item's box goes in its first paragraph, on the line of its text.
                Some((Block::Paragraph(inlines), rest)) if task.is_some() => {
                    self.out.push_str("\n<p>");
                    self.task_box(task);
                    self.inlines(inlines);
                    self.out.push_str("</p>\n");
                    self.blocks(rest);
                }
                _ => {
                    self.task_box(task);
                    if !item.is_empty() {
                        self.out.push('\n');
                    }
                    self.blocks(item);
                }
            }
            self.hooks.block_end();
            self.out.push_str("</li>\n");
        }
        self.out
            .push_str(if list.ordered { "</ol>\n" } else { "</ul>\n" });
    }

    /// A task-list item's box (nothing for an item without one). HTML gets a disabled
    /// checkbox, as GitHub writes it: browsers show it, screen readers say its state, and
    /// readers of HTML (quire's, pandoc's) take it back. An EPUB gets a character, ☑ or ☐:
    /// e-readers that show no form controls (Kindle, Adobe's engine in many others) would
    /// drop the input and the state with it, while a character is text that every reading
    /// system shows and a screen reader names ("ballot box with check").
    fn task_box(&mut self, task: Option<bool>) {
        let Some(done) = task else {
            return;
        };
        match (self.xhtml, done) {
            (false, true) => self
                .out
                .push_str("<input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\" /> "),
            (false, false) => self
                .out
                .push_str("<input type=\"checkbox\" disabled=\"disabled\" /> "),
            (true, done) => {
                self.out.push_str("<span class=\"task-box\">");
                let mark = if done { "\u{2611}" } else { "\u{2610}" };
                self.hooks.text(mark, &mut self.out);
                self.out.push_str("</span> ");
            }
        }
    }

    pub(super) fn table(&mut self, table: &'a Table) {
        self.out.push_str("<table>\n");
        if !table.caption.is_empty() {
            self.out.push_str("<caption>");
            self.hooks.block_start();
            self.inlines(&table.caption);
            self.hooks.block_end();
            self.out.push_str("</caption>\n");
        }
        let grid = layout(table);
        if grid.head_rows() > 0 {
            self.out.push_str("<thead>\n");
            self.rows(grid.head(), &table.alignments, true);
            self.out.push_str("</thead>\n");
        }
        if grid.body_rows() > 0 {
            self.out.push_str("<tbody>\n");
            self.rows(grid.body(), &table.alignments, false);
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table>\n");
    }

    /// One row group, laid out on a regular grid (see [`layout`]) a row at a time; the
    /// output is sent on after each row.
    pub(super) fn rows(
        &mut self,
        mut rows: GridRows<'a, '_>,
        alignments: &[Alignment],
        head: bool,
    ) {
        let tag = if head { "th" } else { "td" };
        while let Some(row) = rows.next_row() {
            self.out.push_str("<tr>");
            for placed in row {
                let _ = write!(self.out, "<{tag}");
                if placed.colspan > 1 {
                    let _ = write!(self.out, " colspan=\"{}\"", placed.colspan);
                }
                if placed.rowspan > 1 {
                    let _ = write!(self.out, " rowspan=\"{}\"", placed.rowspan);
                }
                let align = match alignments.get(placed.column) {
                    Some(Alignment::Left) => "left",
                    Some(Alignment::Center) => "center",
                    Some(Alignment::Right) => "right",
                    Some(Alignment::Default) | None => "",
                };
                if !align.is_empty() {
                    let _ = write!(self.out, " style=\"text-align: {align};\"");
                }
                self.out.push('>');
                let content = placed.cell.map(|c| c.content.as_slice()).unwrap_or(&[]);
                // Headings are not allowed inside a header cell.
                let was_in_head = self.in_table_head;
                self.in_table_head = was_in_head || head;
                self.hooks.block_start();
                match content {
                    [Block::Paragraph(inlines)] => self.inlines(inlines),
                    blocks => {
                        if !blocks.is_empty() {
                            self.out.push('\n');
                        }
                        self.blocks(blocks);
                    }
                }
                self.hooks.block_end();
                self.in_table_head = was_in_head;
                let _ = write!(self.out, "</{tag}>");
            }
            self.out.push_str("</tr>\n");
            if !self.send_row() {
                return;
            }
        }
    }

    pub(super) fn figure(&mut self, figure: &'a Figure) {
        self.out.push_str("<figure>\n");
        self.image_told_by_caption = !figure.caption.is_empty() && Self::caption_tells_alt(figure);
        self.image(&figure.image);
        self.image_told_by_caption = false;
        self.out.push('\n');
        if !figure.caption.is_empty() {
            self.out.push_str("<figcaption>");
            self.hooks.block_start();
            self.inlines(&figure.caption);
            self.hooks.block_end();
            self.out.push_str("</figcaption>\n");
        }
        self.out.push_str("</figure>\n");
    }
}
