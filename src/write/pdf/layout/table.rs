//! Tables: column widths from the content, cells laid out as little vertical lists, rows
//! taller than a page cut between lines, header rows kept for repeating.

use super::*;

impl Layouter<'_, '_, '_> {
    /// Lays out a table: column widths from the content, cells wrapped, header rows
    /// repeated when the table continues on a new page.
    pub(super) fn table(&mut self, table: &crate::model::Table, x: f32, width: f32, depth: usize) {
        let columns = table.column_count().max(1);
        // Smaller type for tables whose words do not fit side by side at the normal size.
        let mut size = self.geo.size * 0.9;
        let (mut natural, mut minimum) = self.measure_columns(table, columns, size, width);
        for scale in [0.8, 0.7] {
            if minimum.iter().sum::<f32>() <= width {
                break;
            }
            size = self.geo.size * scale;
            (natural, minimum) = self.measure_columns(table, columns, size, width);
        }
        let leading = size * 1.3;
        let pad = size * 0.4;
        let widths = column_widths(&natural, &minimum, width);
        let placement = cell_columns(table, columns);
        let head_index = if table.head.is_empty() {
            None
        } else {
            self.table_heads.push(Vec::new());
            Some(self.table_heads.len() - 1)
        };
        let total_width: f32 = widths.iter().sum();
        let start_box = self.boxes.len();
        let rows: Vec<(bool, &crate::model::Row)> = table
            .head
            .iter()
            .map(|r| (true, r))
            .chain(table.body.iter().map(|r| (false, r)))
            .collect();
        for (i, (header, row)) in rows.iter().enumerate() {
            let mut items = Vec::new();
            let mut height = leading + 2.0 * pad;
            let mut notes = Vec::new();
            // Where the cells' lines are, to cut a row taller than a page between them.
            let mut cell_spans: Vec<(f32, f32)> = Vec::new();
            let places = placement.get(i).map(Vec::as_slice).unwrap_or(&[]);
            for (cell, place) in row.cells.iter().zip(places) {
                let Some((col, span)) = *place else { continue };
                let cell_x = x + widths[..col].iter().sum::<f32>();
                let cell_width: f32 = widths[col..col + span].iter().sum();
                let align = table.alignments.get(col).copied().unwrap_or_default();
                // Lay the cell out as its own little vertical list, then stack it.
                let saved = std::mem::take(&mut self.boxes);
                let saved_prev = self.prev;
                let saved_bars = std::mem::take(&mut self.bars);
                self.prev = Prev::Heading;
                let inner_x = cell_x + pad;
                let inner_w = (cell_width - 2.0 * pad).max(size);
                // Everything in the cell (figures, lists) is set at the table's size.
                let saved_geo = self.geo;
                self.geo.size = size;
                self.geo.leading = leading;
                for block in &cell.content {
                    self.cell_block(
                        block, inner_x, inner_w, size, leading, *header, align, depth,
                    );
                }
                self.geo = saved_geo;
                let cell_boxes = std::mem::replace(&mut self.boxes, saved);
                self.prev = saved_prev;
                self.bars = saved_bars;
                let mut y = pad;
                for (k, b) in cell_boxes.into_iter().enumerate() {
                    if k > 0 {
                        y += b.space_before.min(leading * 0.5);
                    }
                    cell_spans.push((y, y + b.height));
                    for mut item in b.items {
                        item.shift(y);
                        items.push(item);
                    }
                    notes.extend(b.notes);
                    y += b.height;
                }
                height = height.max(y + pad);
            }
            if *header {
                items.insert(
                    0,
                    Item::Rect {
                        x,
                        y: 0.0,
                        w: total_width,
                        h: height,
                        fill: Some(CODE_BACKGROUND),
                        stroke: None,
                    },
                );
            }
            let line_color = if *header { GREY } else { LIGHT };
            items.push(Item::Line {
                x1: x,
                y1: height,
                x2: x + total_width,
                y2: height,
                width: 0.5,
                color: line_color,
            });
            if i == 0 {
                items.push(Item::Line {
                    x1: x,
                    y1: 0.0,
                    x2: x + total_width,
                    y2: 0.0,
                    width: 0.8,
                    color: GREY,
                });
            }
            let vbox = VBox {
                height,
                space_before: if i == 0 { self.geo.leading * 0.6 } else { 0.0 },
                items,
                keep_with_next: *header || i == 0 || i + 2 == rows.len(),
                notes,
                table_head: if *header { None } else { head_index },
                bars: self.bars.clone(),
                ..VBox::default()
            };
            if *header {
                if let Some(h) = head_index {
                    let mut copy = vbox.clone();
                    copy.space_before = 0.0;
                    copy.notes.clear();
                    // The copy at the top of a later page needs the top rule too.
                    copy.items.push(Item::Line {
                        x1: x,
                        y1: 0.0,
                        x2: x + total_width,
                        y2: 0.0,
                        width: 0.8,
                        color: GREY,
                    });
                    self.table_heads[h].push(copy);
                }
                self.boxes.push(vbox);
            } else {
                let page_body = self.geo.height - self.geo.top - self.geo.bottom;
                self.boxes
                    .extend(split_tall_row(vbox, &cell_spans, page_body * 0.75));
            }
        }
        if !table.caption.is_empty() {
            let base = RunStyle::plain(
                FontStyle {
                    family: Family::Serif,
                    bold: false,
                    italic: true,
                },
                GREY,
            );
            let pieces = self.pieces(&table.caption, base, depth);
            let para = ParaStyle {
                size: self.geo.size * 0.88,
                leading: self.geo.size * 1.25,
                align: Align::Center,
                ..self.para_style(x, width)
            };
            let at = self.boxes.len();
            self.paragraph_boxes(&pieces, para, self.geo.size * 0.4, true);
            // Caption goes above the table, kept with it.
            let caption: Vec<VBox> = self.boxes.drain(at..).collect();
            let n = caption.len();
            for (k, mut b) in caption.into_iter().enumerate() {
                b.keep_with_next = true;
                if k == 0 {
                    b.space_before = self.geo.leading * 0.6;
                }
                self.boxes.insert(start_box + k, b);
            }
            if let Some(b) = self.boxes.get_mut(start_box + n) {
                b.space_before = self.geo.size * 0.3;
            }
        }
        if let Some(last) = self.boxes.last_mut() {
            last.keep_with_next = false;
        }
        self.prev = Prev::Other;
    }

    /// Natural (all on one line) and minimum (longest word) width of each column.
    pub(super) fn measure_columns(
        &mut self,
        table: &crate::model::Table,
        columns: usize,
        size: f32,
        width: f32,
    ) -> (Vec<f32>, Vec<f32>) {
        let pad = size * 0.4;
        let mut natural = vec![size; columns];
        let mut minimum = vec![size; columns];
        let placement = cell_columns(table, columns);
        for (row_index, row) in table.head.iter().chain(&table.body).enumerate() {
            let header = row_index < table.head.len();
            let places = placement.get(row_index).map(Vec::as_slice).unwrap_or(&[]);
            for (cell, place) in row.cells.iter().zip(places) {
                let Some((col, span)) = *place else { continue };
                let text = cell_text(&cell.content);
                let face = self.shaper.fonts.face_for(FontStyle {
                    family: Family::Serif,
                    bold: header,
                    italic: false,
                });
                let line_width = self.shaper.width(text.trim(), face) * size + 2.0 * pad;
                let word_width = text
                    .split_whitespace()
                    .map(|w| self.shaper.width(w, face) * size)
                    .fold(0.0f32, f32::max)
                    + 2.0 * pad;
                if span == 1 {
                    natural[col] = natural[col].max(line_width.min(width));
                    minimum[col] = minimum[col].max(word_width.min(width * 0.5));
                }
            }
        }
        (natural, minimum)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn cell_block(
        &mut self,
        block: &Block,
        x: f32,
        width: f32,
        size: f32,
        leading: f32,
        header: bool,
        align: Alignment,
        depth: usize,
    ) {
        match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } => {
                let base = RunStyle::plain(
                    FontStyle {
                        family: Family::Serif,
                        bold: header,
                        italic: false,
                    },
                    BLACK,
                );
                let pieces = self.pieces(inlines, base, depth);
                let para = ParaStyle {
                    size,
                    leading,
                    align: match align {
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                        _ if self.rtl => Align::Right,
                        _ => Align::Left,
                    },
                    hyphenate: true,
                    ..self.para_style(x, width)
                };
                let space = if self.boxes.is_empty() {
                    0.0
                } else {
                    leading * 0.3
                };
                self.paragraph_boxes(&pieces, para, space, false);
            }
            other => self.block(other, x, width, depth + 1),
        }
    }
}

/// Cuts a table row taller than `limit` into slices no taller than it, between lines of
/// every cell where possible (else through them), so no row runs off the bottom of a page.
pub(super) fn split_tall_row(row: VBox, spans: &[(f32, f32)], limit: f32) -> Vec<VBox> {
    if row.height <= limit || limit <= 1.0 {
        return vec![row];
    }
    let safe = |y: f32| spans.iter().all(|&(a, b)| y <= a + 0.01 || y >= b - 0.01);
    let mut cuts = vec![0.0f32];
    let mut start = 0.0f32;
    while row.height - start > limit {
        let best = spans
            .iter()
            .flat_map(|&(a, b)| [a, b])
            .filter(|&y| y > start + limit * 0.25 && y <= start + limit && safe(y))
            .fold(None, |m: Option<f32>, y| Some(m.map_or(y, |m| m.max(y))));
        start = best.unwrap_or(start + limit);
        cuts.push(start);
    }
    cuts.push(row.height);
    let mut slices: Vec<VBox> = cuts
        .windows(2)
        .map(|w| VBox {
            height: w[1] - w[0],
            bars: row.bars.clone(),
            table_head: row.table_head,
            ..VBox::default()
        })
        .collect();
    let last = slices.len() - 1;
    for item in row.items {
        let top = item.bounds().1;
        let k = cuts[1..]
            .iter()
            .position(|&c| top < c - 0.01)
            .unwrap_or(last)
            .min(last);
        let mut item = item;
        item.shift(-cuts[k]);
        slices[k].items.push(item);
    }
    slices[0].space_before = row.space_before;
    slices[last].keep_with_next = row.keep_with_next;
    // Notes go with the first slice (their markers are most likely there).
    slices[0].notes = row.notes;
    slices
}

/// Where each cell of each row (head rows first) starts and how many columns it spans,
/// skipping the columns a cell above still covers with its rowspan; `None` for a cell
/// that finds no column left. (A spanning cell's content stays in its first row.)
pub(super) fn cell_columns(
    table: &crate::model::Table,
    columns: usize,
) -> Vec<Vec<Option<(usize, usize)>>> {
    let mut busy = vec![0u32; columns];
    let mut rows = Vec::new();
    for row in table.head.iter().chain(&table.body) {
        let mut col = 0;
        let mut places = Vec::with_capacity(row.cells.len());
        for cell in &row.cells {
            while col < columns && busy[col] > 0 {
                col += 1;
            }
            if col >= columns {
                places.push(None);
                continue;
            }
            let wanted = (cell.colspan.max(1) as usize).min(columns - col);
            let span = (col..col + wanted)
                .position(|c| busy[c] > 0)
                .unwrap_or(wanted)
                .max(1);
            for b in &mut busy[col..col + span] {
                *b = cell.rowspan.clamp(1, 10_000);
            }
            places.push(Some((col, span)));
            col += span;
        }
        for b in &mut busy {
            *b = b.saturating_sub(1);
        }
        rows.push(places);
    }
    rows
}

/// A cell's text as it will be set, images included (as their alt-text frames).
pub(super) fn cell_text(blocks: &[Block]) -> String {
    let mut text = crate::model::Document::new(Meta::default(), blocks.to_vec()).plain_text(4096);
    let mut stack: Vec<&Block> = blocks.iter().collect();
    while let Some(block) = stack.pop() {
        match block {
            Block::Figure(figure) => {
                text.push_str(" [image: ");
                text.push_str(if figure.image.alt.trim().is_empty() {
                    &figure.image.src
                } else {
                    &figure.image.alt
                });
                text.push(']');
            }
            Block::Quote(inner) | Block::Container { blocks: inner, .. } => stack.extend(inner),
            Block::List(list) => stack.extend(list.items.iter().flatten()),
            _ => {}
        }
    }
    text
}

/// Column widths: natural widths if they fit, else minimums plus the rest shared in
/// proportion to how much more each column would like; scaled down if even that is too wide.
pub(super) fn column_widths(natural: &[f32], minimum: &[f32], available: f32) -> Vec<f32> {
    let natural_total: f32 = natural.iter().sum();
    if natural_total <= available {
        // Spread the spare room so the table spans the column.
        let spare = available - natural_total;
        return natural
            .iter()
            .map(|w| w + spare * w / natural_total.max(1.0))
            .collect();
    }
    let min_total: f32 = minimum.iter().sum();
    if min_total >= available {
        // Not even the longest words fit: keep narrow columns whole and cap the wide ones
        // at one common width (their words will be broken), found by bisection.
        let (mut low, mut high) = (0.0f32, minimum.iter().copied().fold(0.0, f32::max));
        for _ in 0..40 {
            let cap = (low + high) / 2.0;
            let total: f32 = minimum.iter().map(|m| m.min(cap)).sum();
            if total > available {
                high = cap;
            } else {
                low = cap;
            }
        }
        return minimum.iter().map(|m| m.min(low)).collect();
    }
    let want: f32 = natural
        .iter()
        .zip(minimum)
        .map(|(n, m)| (n - m).max(0.0))
        .sum();
    let spare = available - min_total;
    natural
        .iter()
        .zip(minimum)
        .map(|(n, m)| {
            m + if want > 0.0 {
                spare * (n - m).max(0.0) / want
            } else {
                spare / natural.len() as f32
            }
        })
        .collect()
}
