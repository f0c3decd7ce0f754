//! Tables: cells placed on the grid every writer shares (`write::table_layout`), column
//! widths from the words of the content, smaller type and then groups of columns (the first
//! column repeated) for a table too wide for the page, cells laid out as little vertical lists
//! (a cell spanning rows set across them), rows taller than a page cut between lines, header
//! rows kept for repeating.

use super::*;
use crate::model::{Inline, Table};
use crate::write::table_layout::{self, PlacedCell, TableLayout};
use std::ops::Range;

/// The sizes a table's type is tried at, as fractions of the body size, largest first. The
/// last is the floor: a table whose words do not fit side by side at it is split into groups
/// of columns rather than set smaller still.
const TABLE_SCALES: [f32; 3] = [0.9, 0.8, 0.7];

/// A cell's padding on each side, in ems of the table's type.
const CELL_PAD: f32 = 0.4;

/// What a table's columns need, in ems of the table's type without padding: each column's
/// natural (unwrapped) and minimum (longest unbreakable word) width from the cells that span
/// only it, and the same for each cell that spans columns.
struct ColumnNeeds {
    natural: Vec<f32>,
    minimum: Vec<f32>,
    /// (first column, columns spanned, natural, minimum) of each cell spanning columns, in
    /// order of their first column.
    spanning: Vec<(usize, usize, f32, f32)>,
    /// The most columns a cell spans.
    widest_span: usize,
    /// Whether a cell of the table begins in the column. The grid pads short rows, so a
    /// column can hold nothing but padding (beside a cell that spans it): it is left out.
    used: Vec<bool>,
}

impl ColumnNeeds {
    /// The natural and minimum widths in points, padding included, of the grid columns
    /// `columns` (increasing) set at `size`. A spanning cell counts for the columns it covers
    /// among them; what it needs beyond their widths is shared evenly between them.
    fn widths(&self, columns: &[usize], size: f32) -> (Vec<f32>, Vec<f32>) {
        let pad = 2.0 * CELL_PAD;
        // A hair more than the words need, so rounding never makes one wider than its cell.
        let slack = 0.05;
        let points = |ems: &[f32]| -> Vec<f32> {
            columns
                .iter()
                .map(|&c| (ems.get(c).copied().unwrap_or(0.0) + pad) * size + slack)
                .collect()
        };
        let (mut natural, mut minimum) = (points(&self.natural), points(&self.minimum));
        for &(first, span, wants_natural, wants_minimum) in self.spanning_into(columns) {
            let Some(range) = part_range(columns, first, span) else {
                continue;
            };
            for (widths, wanted) in [(&mut minimum, wants_minimum), (&mut natural, wants_natural)] {
                let lack =
                    (wanted + pad) * size + slack - widths[range.clone()].iter().sum::<f32>();
                if lack > 0.0 {
                    let share = lack / range.len() as f32;
                    widths[range.clone()].iter_mut().for_each(|w| *w += share);
                }
            }
        }
        for (n, m) in natural.iter_mut().zip(&minimum) {
            *n = n.max(*m);
        }
        (natural, minimum)
    }

    /// The spanning cells that may cover any of `columns`: for each run of consecutive
    /// columns, those beginning from as far left of it as the widest span reaches to its
    /// end. The spans are sorted by their first column, so a part of a split table (its
    /// first column and a run further right) looks only at its neighbourhood.
    fn spanning_into(&self, columns: &[usize]) -> impl Iterator<Item = &(usize, usize, f32, f32)> {
        let mut windows: Vec<Range<usize>> = Vec::new();
        let mut k = 0;
        while k < columns.len() {
            let first = columns[k];
            while k + 1 < columns.len() && columns[k + 1] == columns[k] + 1 {
                k += 1;
            }
            let last = columns[k];
            k += 1;
            let from = first.saturating_sub(self.widest_span);
            let start = self.spanning.partition_point(|s| s.0 < from);
            let end = self.spanning.partition_point(|s| s.0 <= last).max(start);
            match windows.last_mut() {
                // Windows come in order; overlapping ones are merged so no span counts twice.
                Some(window) if start <= window.end => window.end = window.end.max(end),
                _ => windows.push(start..end),
            }
        }
        windows
            .into_iter()
            .flat_map(move |window| &self.spanning[window])
    }
}

/// A cell's content laid out: items and line extents with y from the content's top.
struct LaidCell {
    items: Vec<Item>,
    /// Where the content's lines are (top, bottom), to cut a tall row between them.
    lines: Vec<(f32, f32)>,
    notes: Vec<usize>,
    height: f32,
}

/// A row being built: it stays pending while a cell spanning it and later rows is open.
struct PendingRow {
    header: bool,
    /// The row's index in the table (head rows first).
    index: usize,
    height: f32,
    items: Vec<Item>,
    lines: Vec<(f32, f32)>,
    notes: Vec<usize>,
    /// Per column of the part: whether the rule under the row is drawn there (not where a
    /// cell spans on into the next row).
    ruled: Vec<bool>,
}

/// The rows of a part being laid out: those waiting for a span to end, the spans open, and
/// the index of the next row in the table.
#[derive(Default)]
struct RowState {
    pending: Vec<PendingRow>,
    open: Vec<OpenSpan>,
    index: usize,
}

/// Where a part's rows come from.
#[derive(Clone, Copy)]
enum PartRows<'g, 'a> {
    /// The grid, placed row by row as the part is laid out (a table set in one part).
    Streamed(&'g TableLayout<'a>),
    /// The rows placed once (header or not, cells in column order) for all the parts of a
    /// split table: each part picks its cells out of a row by their columns, so splitting a
    /// table of many columns costs no more than setting it.
    Placed(&'g [(bool, Vec<PlacedCell<'a>>)]),
}

/// A cell spanning rows, laid out, waiting for the last of its rows.
struct OpenSpan {
    /// Its first and last row, as indexes into the pending rows.
    first: usize,
    last: usize,
    /// The part's columns it covers.
    columns: Range<usize>,
    laid: LaidCell,
}

/// How a table is set: its type size and the parts its columns go in.
struct TablePlan {
    size: f32,
    /// The grid columns of each part (one part unless the table is split).
    parts: Vec<Vec<usize>>,
}

impl Layouter<'_, '_, '_> {
    /// Lays out a table: column widths from the content at the largest type size at which
    /// no word has to be broken; a table too wide even at the smallest is split into groups
    /// of columns, each set as a table of its own under a notice of its columns, with the
    /// first (key) column repeated in each, and a warning says so.
    pub(super) fn table(&mut self, table: &Table, x: f32, width: f32, depth: usize) {
        let grid = table_layout::layout(table);
        let needs = self.column_needs(&grid, depth);
        let plan = plan_table(&needs, self.geo.size, width);
        if plan.parts.len() == 1 {
            let (natural, minimum) = needs.widths(&plan.parts[0], plan.size);
            let widths = column_widths(&natural, &minimum, width);
            let part = (plan.parts[0].as_slice(), widths.as_slice());
            let rows = PartRows::Streamed(&grid);
            let x = self.table_start(x, width, &widths);
            self.table_part(table, rows, part, plan.size, &table.caption, x, depth);
            return;
        }
        let names: Vec<String> = plan.parts.iter().map(|p| column_numbers(p)).collect();
        let shown = names.iter().take(6).cloned().collect::<Vec<_>>().join("; ");
        let more = if names.len() > 6 { "; …" } else { "" };
        self.warnings.push(Warning::new(format!(
            "a table of {} columns is too wide for the page even in smaller type: it is set \
             as {} tables of columns {shown}{more} (the first column repeated in each)",
            grid.columns,
            plan.parts.len()
        )));
        let mut placed: Vec<(bool, Vec<PlacedCell<'_>>)> = Vec::new();
        for (header, mut rows) in [(true, grid.head()), (false, grid.body())] {
            while let Some(cells) = rows.next_row() {
                placed.push((header, cells.to_vec()));
            }
        }
        for (columns, name) in plan.parts.iter().zip(&names) {
            let (natural, minimum) = needs.widths(columns, plan.size);
            let widths = column_widths(&natural, &minimum, width);
            let mut caption = if table.caption.is_empty() {
                vec![Inline::text(self.labels.table)]
            } else {
                table.caption.clone()
            };
            caption.push(Inline::text(format!(
                " {}",
                self.labels.columns(name, grid.columns)
            )));
            let part = (columns.as_slice(), widths.as_slice());
            let rows = PartRows::Placed(&placed);
            let x = self.table_start(x, width, &widths);
            self.table_part(table, rows, part, plan.size, &caption, x, depth);
        }
    }

    /// The left edge of a table of columns `widths` in the measure `x`, `width`: a table
    /// narrower than the measure starts at the measure's start edge, the right one on a
    /// right-to-left page.
    fn table_start(&self, x: f32, width: f32, widths: &[f32]) -> f32 {
        let total: f32 = widths.iter().sum();
        if self.rtl {
            x + (width - total).max(0.0)
        } else {
            x
        }
    }

    /// What each column of the grid needs, in ems (see [`ColumnNeeds`]).
    fn column_needs(&mut self, grid: &TableLayout<'_>, depth: usize) -> ColumnNeeds {
        // Even an empty column keeps a little room.
        let mut needs = ColumnNeeds {
            natural: vec![1.0; grid.columns],
            minimum: vec![1.0; grid.columns],
            spanning: Vec::new(),
            used: vec![false; grid.columns],
            widest_span: 1,
        };
        for (header, mut rows) in [(true, grid.head()), (false, grid.body())] {
            while let Some(cells) = rows.next_row() {
                for placed in cells {
                    let Some(cell) = placed.cell else { continue };
                    if let Some(used) = needs.used.get_mut(placed.column) {
                        *used = true;
                    }
                    let (natural, minimum) = self.cell_ems(&cell.content, header, depth);
                    if placed.colspan == 1 {
                        if let (Some(n), Some(m)) = (
                            needs.natural.get_mut(placed.column),
                            needs.minimum.get_mut(placed.column),
                        ) {
                            *n = n.max(natural);
                            *m = m.max(minimum);
                        }
                    } else {
                        needs
                            .spanning
                            .push((placed.column, placed.colspan, natural, minimum));
                        needs.widest_span = needs.widest_span.max(placed.colspan);
                    }
                }
            }
        }
        needs.spanning.sort_by_key(|s| s.0);
        needs
    }

    /// A cell's natural width (its lines unwrapped) and its longest unbreakable word, in
    /// ems of the table's type.
    fn cell_ems(&mut self, blocks: &[Block], header: bool, depth: usize) -> (f32, f32) {
        let (mut natural, mut minimum) = (0.0f32, 0.0f32);
        for block in blocks {
            let (n, m) = match block {
                Block::Paragraph(inlines)
                | Block::Heading {
                    content: inlines, ..
                } => {
                    // The pieces are made as the cell will make them; what making them adds
                    // (links, notes, warnings of a table in a note) is taken back.
                    let marks = (self.links.len(), self.notes.len(), self.warnings.len());
                    let pieces = self.pieces(inlines, cell_run_style(header), depth);
                    self.links.truncate(marks.0);
                    self.notes.truncate(marks.1);
                    self.warnings.truncate(marks.2);
                    self.piece_ems(&pieces)
                }
                other => {
                    // Lists, figures and code: measured by their text's words.
                    let text = cell_text(std::slice::from_ref(other));
                    let face = self.shaper.fonts.face_for(cell_run_style(header).font);
                    let line = self.shaper.width(text.trim(), face);
                    let word = text
                        .split_whitespace()
                        .map(|w| self.shaper.width(w, face))
                        .fold(0.0f32, f32::max);
                    (line, word)
                }
            };
            natural = natural.max(n);
            minimum = minimum.max(m);
        }
        (natural, minimum)
    }

    /// The natural width and the widest unbreakable word of a paragraph's pieces, in ems: the
    /// words are what lies between the line-break opportunities the paragraph breaker uses.
    fn piece_ems(&mut self, pieces: &[Piece]) -> (f32, f32) {
        let mut text = String::new();
        let mut spans: Vec<(usize, usize, RunStyle)> = Vec::new();
        let mut forced: Vec<usize> = Vec::new();
        let mut images: Vec<(usize, f32)> = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Text(t, style) => {
                    let start = text.len();
                    if let Some(rest) = t.strip_prefix(NOTE_MARK) {
                        // A note marker shows its number.
                        text.push_str(rest.split_once(NOTE_MARK).map_or(rest, |(_, n)| n));
                    } else {
                        for c in t.chars() {
                            if c == '\n' || c == '\t' {
                                text.push(' ');
                            } else if c != '\u{AD}' && !c.is_control() {
                                text.push(c);
                            }
                        }
                    }
                    spans.push((start, text.len(), *style));
                }
                Piece::Break => forced.push(text.len()),
                // An inline image is one unbreakable object (the paragraph breaker sets it as
                // U+FFFC too), as wide as it is set, in ems of the body size.
                Piece::Image(image, _) => {
                    images.push((text.len(), image.width / self.geo.size));
                    text.push('\u{FFFC}');
                }
            }
        }
        let mut width_of = |from: usize, to: usize| -> f32 {
            let text_width: f32 = spans
                .iter()
                .filter(|&&(start, end, _)| start < to && end > from)
                .map(|&(start, end, style)| {
                    let part = text.get(start.max(from)..end.min(to)).unwrap_or("");
                    let face = self.shaper.fonts.face_for(style.font);
                    self.shaper.width(part, face) * style.scale
                })
                .sum();
            let image_width: f32 = images
                .iter()
                .filter(|&&(at, _)| (from..to).contains(&at))
                .map(|&(_, width)| width)
                .sum();
            text_width + image_width
        };
        let mut ends: Vec<usize> = unicode_linebreak::linebreaks(&text)
            .map(|(at, _)| at)
            .chain(forced.iter().copied())
            .collect();
        ends.sort_unstable();
        ends.dedup();
        let (mut natural, mut minimum, mut line) = (0.0f32, 0.0f32, 0.0f32);
        let mut start = 0;
        for end in ends {
            if end <= start {
                continue;
            }
            let segment = &text[start..end];
            let word_end = start + segment.trim_end().len();
            minimum = minimum.max(width_of(start, word_end));
            line += width_of(start, end);
            if forced.contains(&end) {
                natural = natural.max(line);
                line = 0.0;
            }
            start = end;
        }
        (natural.max(line), minimum)
    }

    /// Lays out the grid columns `part.0` of a table, `part.1` wide, from `rows`, as one
    /// table under `caption`: rows kept together while a cell spans them, header rows kept
    /// for repeating on the pages the table continues on.
    #[allow(clippy::too_many_arguments)]
    fn table_part(
        &mut self,
        table: &Table,
        rows: PartRows<'_, '_>,
        (columns, widths): (&[usize], &[f32]),
        size: f32,
        caption: &[Inline],
        x: f32,
        depth: usize,
    ) {
        let (head_rows, body_rows) = match rows {
            PartRows::Streamed(grid) => (grid.head_rows(), grid.body_rows()),
            PartRows::Placed(placed) => {
                let head = placed.iter().filter(|(header, _)| *header).count();
                (head, placed.len() - head)
            }
        };
        let head_index = if head_rows == 0 {
            None
        } else {
            self.table_heads.push(Vec::new());
            Some(self.table_heads.len() - 1)
        };
        // Columns follow the page's direction: on a right-to-left page the first column is
        // the rightmost.
        let total: f32 = widths.iter().sum();
        let lefts: Vec<f32> = widths
            .iter()
            .scan(0.0, |before, w| {
                let this = *before;
                *before += w;
                Some(if self.rtl {
                    x + total - this - w
                } else {
                    x + this
                })
            })
            .collect();
        let part = PartGeometry {
            table,
            columns,
            x,
            lefts: &lefts,
            widths,
            size,
            depth,
            rows: head_rows + body_rows,
            head_index,
        };
        let start_box = self.boxes.len();
        let mut state = RowState::default();
        match rows {
            PartRows::Streamed(grid) => {
                for (header, mut group) in [(true, grid.head()), (false, grid.body())] {
                    while let Some(cells) = group.next_row() {
                        self.part_row(&mut state, header, cells, &part);
                    }
                    self.end_row_group(&mut state, &part);
                }
            }
            PartRows::Placed(placed) => {
                let mut mine = Vec::new();
                for header in [true, false] {
                    for (_, cells) in placed.iter().filter(|(h, _)| *h == header) {
                        cells_in_part(cells, columns, &mut mine);
                        self.part_row(&mut state, header, &mine, &part);
                    }
                    self.end_row_group(&mut state, &part);
                }
            }
        }
        if !caption.is_empty() {
            let base = RunStyle::plain(
                FontStyle {
                    family: Family::Serif,
                    bold: false,
                    italic: true,
                },
                GREY,
            );
            let width: f32 = widths.iter().sum::<f32>().max(self.geo.size * 10.0);
            let pieces = self.pieces(caption, base, depth);
            let para = ParaStyle {
                size: self.geo.size * 0.88,
                leading: self.geo.size * 1.25,
                align: Align::Center,
                ..self.para_style(x, width.min(self.geo.measure()))
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

    /// Lays out one row of a part: its cells that begin in it, the cells spanning it and
    /// later rows held open until their last row; rows go out as boxes once no span is open.
    fn part_row(
        &mut self,
        state: &mut RowState,
        header: bool,
        cells: &[PlacedCell<'_>],
        part: &PartGeometry<'_>,
    ) {
        let (size, columns) = (part.size, part.columns);
        let leading = size * 1.3;
        let pad = size * CELL_PAD;
        let mut row = PendingRow {
            header,
            index: state.index,
            height: leading + 2.0 * pad,
            items: Vec::new(),
            lines: Vec::new(),
            notes: Vec::new(),
            ruled: vec![true; columns.len()],
        };
        state.index += 1;
        for placed in cells {
            let Some(cell) = placed.cell else { continue };
            let Some(range) = part_range(columns, placed.column, placed.colspan) else {
                continue;
            };
            let cell_width: f32 = part.widths[range.clone()].iter().sum();
            let align = part
                .table
                .alignments
                .get(placed.column)
                .copied()
                .unwrap_or_default();
            let inner = (
                part.left_of(range.clone()) + pad,
                (cell_width - 2.0 * pad).max(size),
            );
            let laid = self.cell_content(&cell.content, inner, size, header, align, part.depth);
            if placed.rowspan > 1 {
                state.open.push(OpenSpan {
                    first: state.pending.len(),
                    last: state.pending.len() + placed.rowspan - 1,
                    columns: range,
                    laid,
                });
                continue;
            }
            row.height = row.height.max(laid.height + 2.0 * pad);
            for mut item in laid.items {
                item.shift(pad);
                row.items.push(item);
            }
            row.lines
                .extend(laid.lines.iter().map(|&(a, b)| (a + pad, b + pad)));
            row.notes.extend(laid.notes);
        }
        state.pending.push(row);
        let here = state.pending.len() - 1;
        let mut k = 0;
        while k < state.open.len() {
            if state.open[k].last <= here {
                let span = state.open.swap_remove(k);
                place_span(&mut state.pending, span, pad);
            } else {
                k += 1;
            }
        }
        if state.open.is_empty() {
            self.push_rows(std::mem::take(&mut state.pending), part);
        }
    }

    /// Ends a row group (the head or the body). The grid keeps row spans inside their
    /// group; should one reach past it, it ends with the group's last row.
    fn end_row_group(&mut self, state: &mut RowState, part: &PartGeometry<'_>) {
        let last = state.pending.len().saturating_sub(1);
        for mut span in std::mem::take(&mut state.open) {
            span.last = last;
            place_span(&mut state.pending, span, part.size * CELL_PAD);
        }
        self.push_rows(std::mem::take(&mut state.pending), part);
    }

    /// Lays out a cell's blocks at `inner` (x, width) as a little vertical list.
    fn cell_content(
        &mut self,
        content: &[Block],
        inner: (f32, f32),
        size: f32,
        header: bool,
        align: Alignment,
        depth: usize,
    ) -> LaidCell {
        let leading = size * 1.3;
        let saved = std::mem::take(&mut self.boxes);
        let saved_prev = self.prev;
        let saved_bars = std::mem::take(&mut self.bars);
        self.prev = Prev::Heading;
        // Everything in the cell (figures, lists) is set at the table's size.
        let saved_geo = self.geo;
        self.geo.size = size;
        self.geo.leading = leading;
        for block in content {
            self.cell_block(block, inner.0, inner.1, size, leading, header, align, depth);
        }
        self.geo = saved_geo;
        let cell_boxes = std::mem::replace(&mut self.boxes, saved);
        self.prev = saved_prev;
        self.bars = saved_bars;
        let mut laid = LaidCell {
            items: Vec::new(),
            lines: Vec::new(),
            notes: Vec::new(),
            height: 0.0,
        };
        let mut y = 0.0;
        for (k, b) in cell_boxes.into_iter().enumerate() {
            if k > 0 {
                y += b.space_before.min(leading * 0.5);
            }
            laid.lines.push((y, y + b.height));
            for mut item in b.items {
                item.shift(y);
                laid.items.push(item);
            }
            laid.notes.extend(b.notes);
            y += b.height;
        }
        laid.height = y;
        laid
    }

    /// Turns finished rows into boxes: rules under them (broken where a cell spans on),
    /// the head's shading, rows that a cell spans kept together.
    fn push_rows(&mut self, rows: Vec<PendingRow>, part: &PartGeometry<'_>) {
        let total_width: f32 = part.widths.iter().sum();
        let count = rows.len();
        for (k, row) in rows.into_iter().enumerate() {
            let mut items = row.items;
            if row.header {
                items.insert(
                    0,
                    Item::Rect {
                        x: part.x,
                        y: 0.0,
                        w: total_width,
                        h: row.height,
                        fill: Some(CODE_BACKGROUND),
                        stroke: None,
                    },
                );
            }
            let color = if row.header { GREY } else { LIGHT };
            // One rule per run of columns under which no cell spans on.
            let mut column = 0;
            while column < row.ruled.len() {
                if !row.ruled[column] {
                    column += 1;
                    continue;
                }
                let from = column;
                while column < row.ruled.len() && row.ruled[column] {
                    column += 1;
                }
                let left = part.left_of(from..column);
                items.push(Item::Line {
                    x1: left,
                    y1: row.height,
                    x2: left + part.widths[from..column].iter().sum::<f32>(),
                    y2: row.height,
                    width: 0.5,
                    color,
                });
            }
            let top_rule = Item::Line {
                x1: part.x,
                y1: 0.0,
                x2: part.x + total_width,
                y2: 0.0,
                width: 0.8,
                color: GREY,
            };
            if row.index == 0 {
                items.push(top_rule.clone());
            }
            let i = row.index;
            let vbox = VBox {
                height: row.height,
                space_before: if i == 0 { self.geo.leading * 0.6 } else { 0.0 },
                items,
                keep_with_next: row.header || i == 0 || i + 2 == part.rows || k + 1 < count,
                notes: row.notes,
                table_head: if row.header { None } else { part.head_index },
                bars: self.bars.clone(),
                ..VBox::default()
            };
            if row.header {
                if let Some(h) = part.head_index {
                    let mut copy = vbox.clone();
                    copy.space_before = 0.0;
                    copy.notes.clear();
                    // The copy at the top of a later page needs the top rule too.
                    copy.items.push(top_rule);
                    self.table_heads[h].push(copy);
                }
                self.boxes.push(vbox);
            } else {
                let page_body = self.geo.height - self.geo.top - self.geo.bottom;
                self.boxes
                    .extend(split_tall_row(vbox, &row.lines, page_body * 0.75));
            }
        }
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
                let pieces = self.pieces(inlines, cell_run_style(header), depth);
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

/// What laying out a part's rows needs: the table, the part's grid columns and where they
/// are (the table's left edge, each column's left edge and width), the type size, how many
/// rows the table has and which header rows repeat.
struct PartGeometry<'a> {
    table: &'a Table,
    columns: &'a [usize],
    size: f32,
    depth: usize,
    x: f32,
    lefts: &'a [f32],
    widths: &'a [f32],
    rows: usize,
    head_index: Option<usize>,
}

impl PartGeometry<'_> {
    /// The left edge of the (part's) columns `range`: its first column's on a
    /// left-to-right page, its last one's on a right-to-left page.
    fn left_of(&self, range: std::ops::Range<usize>) -> f32 {
        let left = range.map(|c| self.lefts[c]).fold(f32::INFINITY, f32::min);
        if left.is_finite() {
            left
        } else {
            self.x
        }
    }
}

/// The style a cell's text starts from: serif, bold in header rows.
fn cell_run_style(header: bool) -> RunStyle {
    RunStyle::plain(
        FontStyle {
            family: Family::Serif,
            bold: header,
            italic: false,
        },
        BLACK,
    )
}

/// Sets a cell that spans rows across them: the last row grows if the rows are too low for
/// it, the content is centred in their height and each line goes to the row it starts in
/// (so each is drawn on the page of its row), and no rule is drawn under the rows inside it.
fn place_span(pending: &mut [PendingRow], span: OpenSpan, pad: f32) {
    let last = span.last.min(pending.len().saturating_sub(1));
    let Some(rows) = pending.get_mut(span.first..=last) else {
        return;
    };
    let have: f32 = rows.iter().map(|r| r.height).sum();
    let need = span.laid.height + 2.0 * pad;
    if need > have {
        if let Some(row) = rows.last_mut() {
            row.height += need - have;
        }
    }
    let top = pad + (have.max(need) - need) / 2.0;
    let tops: Vec<f32> = rows
        .iter()
        .scan(0.0, |y, r| {
            let this = *y;
            *y += r.height;
            Some(this)
        })
        .collect();
    let row_of = |y: f32| tops.partition_point(|&t| t <= y + 0.01).saturating_sub(1);
    for mut item in span.laid.items {
        let k = row_of(item.bounds().1 + top);
        item.shift(top - tops[k]);
        rows[k].items.push(item);
    }
    for (a, b) in span.laid.lines {
        let k = row_of(a + top);
        rows[k].lines.push((a + top - tops[k], b + top - tops[k]));
    }
    rows[0].notes.extend(span.laid.notes);
    let inner = rows.len() - 1;
    for row in &mut rows[..inner] {
        for ruled in row.ruled.get_mut(span.columns.clone()).unwrap_or_default() {
            *ruled = false;
        }
    }
}

/// Chooses a table's type size and, if its words do not fit side by side even at the
/// smallest, groups of columns that do, the first (key) column repeated in each.
fn plan_table(needs: &ColumnNeeds, body_size: f32, width: f32) -> TablePlan {
    let all: Vec<usize> = (0..needs.used.len()).filter(|&c| needs.used[c]).collect();
    for scale in TABLE_SCALES {
        let size = body_size * scale;
        let fits = needs.widths(&all, size).1.iter().sum::<f32>() <= width;
        if fits || all.len() <= 1 {
            return TablePlan {
                size,
                parts: vec![all],
            };
        }
    }
    let size = body_size * TABLE_SCALES[TABLE_SCALES.len() - 1];
    let (_, minimum) = needs.widths(&all, size);
    let parts = column_groups(&minimum, width)
        .into_iter()
        .map(|group| group.into_iter().map(|k| all[k]).collect())
        .collect();
    TablePlan { size, parts }
}

/// Packs columns 1.. (indexes into `minimum`) in order into groups that fit `width` beside
/// column 0, which starts each group; a column too wide to share the width with column 0
/// gets a group of its own. As few groups as packing them full gives, but evened out, so the
/// last is not a lone column.
pub(super) fn column_groups(minimum: &[f32], width: f32) -> Vec<Vec<usize>> {
    let key = minimum.first().copied().unwrap_or(0.0);
    let room = width - key;
    let packed = pack_columns(minimum, room);
    // The same number of groups, each holding the columns whose middles fall in its share
    // of the total width; packing stands if that leaves a group empty or too wide.
    let count = packed.len();
    let total: f32 = minimum.iter().skip(1).sum();
    let share = total / count as f32;
    let mut even: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut before = 0.0;
    for (column, &w) in minimum.iter().enumerate().skip(1) {
        let k = ((before + w / 2.0) / share.max(f32::MIN_POSITIVE)) as usize;
        even[k.min(count - 1)].push(column);
        before += w;
    }
    let fits = |group: &Vec<usize>| {
        !group.is_empty()
            && (group.len() == 1 || group.iter().map(|&c| minimum[c]).sum::<f32>() <= room)
    };
    let groups = if count > 1 && even.iter().all(fits) {
        even
    } else {
        packed
    };
    groups
        .into_iter()
        .map(|group| {
            let used: f32 = group.iter().map(|&c| minimum[c]).sum();
            if group.is_empty() || key + used <= width {
                std::iter::once(0).chain(group).collect()
            } else {
                group
            }
        })
        .collect()
}

/// Columns 1.. of `minimum` in order, in groups filled up to `room` (a column wider than
/// `room` alone).
fn pack_columns(minimum: &[f32], room: f32) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    let mut used = 0.0;
    for (column, &w) in minimum.iter().enumerate().skip(1) {
        if !current.is_empty() && used + w > room {
            groups.push(std::mem::take(&mut current));
            used = 0.0;
        }
        current.push(column);
        used += w;
    }
    if !current.is_empty() || groups.is_empty() {
        groups.push(current);
    }
    groups
}

/// Grid columns (increasing, from 0) as the numbers a reader counts (from 1), runs joined:
/// "1, 5–8".
pub(super) fn column_numbers(columns: &[usize]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut k = 0;
    while k < columns.len() {
        let mut end = k;
        while end + 1 < columns.len() && columns[end + 1] == columns[end] + 1 {
            end += 1;
        }
        out.push(if end > k {
            format!("{}–{}", columns[k] + 1, columns[end] + 1)
        } else {
            format!("{}", columns[k] + 1)
        });
        k = end + 1;
    }
    out.join(", ")
}

/// The cells of a row (in column order, none overlapping) that cover any of `columns`
/// (increasing), found by their columns, into `out`.
fn cells_in_part<'a>(row: &[PlacedCell<'a>], columns: &[usize], out: &mut Vec<PlacedCell<'a>>) {
    out.clear();
    let mut k = 0;
    while k < columns.len() {
        // A run of consecutive columns.
        let first = columns[k];
        let mut last = first;
        while k + 1 < columns.len() && columns[k + 1] == last + 1 {
            k += 1;
            last += 1;
        }
        k += 1;
        let start = row.partition_point(|c| c.column + c.colspan <= first);
        let end = row.partition_point(|c| c.column <= last);
        for cell in row.get(start..end).unwrap_or_default() {
            // A cell covering two runs is taken once.
            if out.last().is_none_or(|c| c.column < cell.column) {
                out.push(*cell);
            }
        }
    }
}

/// The columns of a part (`columns`: increasing grid columns) that a cell spanning `span`
/// grid columns from `first` covers, as a range of the part's indexes; `None` if none.
fn part_range(columns: &[usize], first: usize, span: usize) -> Option<Range<usize>> {
    let start = columns.partition_point(|&c| c < first);
    let end = columns.partition_point(|&c| c < first + span);
    (start < end).then_some(start..end)
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
