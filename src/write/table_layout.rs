//! Placing a table's cells on a regular grid, for writers that must show or emit one.
//!
//! The model keeps cells as readers found them: rows of different lengths, spans that run past
//! the table or overlap. HTML checkers reject such tables, and aligned text needs a grid, so
//! this module resolves them the same way for every writer: spans are clipped so cells never
//! overlap, row spans stay inside their row group (head or body) and column spans end at the
//! last column any cell begins in; short rows are padded with empty cells, and columns or rows
//! in which no cell begins are removed by shrinking the spans that cover them.
//!
//! A table can be huge (a million cells), so the grid is never built whole: [`layout`] makes
//! two passes over the rows keeping only per-column numbers (and the rows to drop, which are
//! rare), and a writer then walks the rows with [`GridRows`], which places one row at a time.

use crate::model::{Cell, Row, Table, MAX_COLSPAN, MAX_ROWSPAN};

/// One cell on the grid: the model's cell, or a filler that pads a short row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PlacedCell<'a> {
    /// `None` for a filler.
    pub cell: Option<&'a Cell>,
    /// The grid column the cell begins in.
    pub column: usize,
    pub colspan: usize,
    pub rowspan: usize,
}

/// What placing a table's rows needs to know beyond the rows above each: the grid's width,
/// the columns and rows to drop. The rows themselves come from [`TableLayout::head`] and
/// [`TableLayout::body`].
#[derive(Debug, Clone)]
pub(crate) struct TableLayout<'a> {
    table: &'a Table,
    /// The number of columns of the grid.
    pub columns: usize,
    /// The number of columns before dead ones are dropped: one past the last column a cell
    /// begins in.
    placed_columns: usize,
    /// `dead_before[c]`: how many dead columns lie before column `c` (`placed_columns + 1`
    /// entries).
    dead_before: Vec<usize>,
    /// The head's and the body's rows in which no cell begins, as indexes into the group, in
    /// order.
    head_dead: Vec<usize>,
    body_dead: Vec<usize>,
}

/// Lays out a table; see the module docs.
pub(crate) fn layout(table: &Table) -> TableLayout<'_> {
    let mut cells = Vec::new();
    // The table is as wide as the last column a cell begins in: a span reaching further (a
    // stray `colspan="7"`) is cut back rather than padding every row with empty cells.
    let mut placed_columns = 0;
    for rows in [&table.head, &table.body] {
        let mut placer = Placer::new(rows);
        while placer.place_next(&mut cells).is_some() {
            // Cells are placed in column order.
            if let Some(last) = cells.last() {
                placed_columns = placed_columns.max(last.column + 1);
            }
        }
    }
    // Padded, which columns have a cell beginning in them, and which rows have none.
    let mut begins = vec![false; placed_columns];
    let mut dead_rows = [Vec::new(), Vec::new()];
    for (rows, dead) in [&table.head, &table.body].into_iter().zip(&mut dead_rows) {
        let mut placer = Placer::new(rows);
        while let Some(row) = placer.place_next(&mut cells) {
            placer.pad(row, placed_columns, &mut cells);
            if cells.is_empty() {
                dead.push(row);
            }
            for cell in &cells {
                if let Some(slot) = begins.get_mut(cell.column) {
                    *slot = true;
                }
            }
        }
    }
    let mut dead_before = Vec::with_capacity(placed_columns + 1);
    let mut dead = 0;
    dead_before.push(dead);
    for &begun in &begins {
        dead += usize::from(!begun);
        dead_before.push(dead);
    }
    let [head_dead, body_dead] = dead_rows;
    TableLayout {
        table,
        columns: placed_columns - dead,
        placed_columns,
        dead_before,
        head_dead,
        body_dead,
    }
}

impl<'a> TableLayout<'a> {
    /// How many rows the head has on the grid.
    pub fn head_rows(&self) -> usize {
        self.table.head.len() - self.head_dead.len()
    }

    /// How many rows the body has on the grid.
    pub fn body_rows(&self) -> usize {
        self.table.body.len() - self.body_dead.len()
    }

    /// The head's rows, one at a time.
    pub fn head(&self) -> GridRows<'a, '_> {
        GridRows::new(self, &self.table.head, &self.head_dead)
    }

    /// The body's rows, one at a time.
    pub fn body(&self) -> GridRows<'a, '_> {
        GridRows::new(self, &self.table.body, &self.body_dead)
    }

    /// Moves a cell placed (and padded around) in row `row` of a group onto the final grid:
    /// its column span clipped to the grid and both spans shrunk by the dead columns and rows
    /// they cover.
    fn finish(&self, cell: &mut PlacedCell<'_>, row: usize, dead_rows: &[usize]) {
        let columns = self.placed_columns;
        let dead_before = |column: usize| self.dead_before.get(column.min(columns)).copied();
        let start = cell.column.min(columns);
        cell.colspan = cell.colspan.min(columns - start);
        let end = cell.column + cell.colspan;
        let (Some(dead_to_start), Some(dead_to_end)) = (dead_before(start), dead_before(end))
        else {
            return;
        };
        cell.colspan = cell
            .colspan
            .saturating_sub(dead_to_end - dead_to_start)
            .max(1);
        cell.column -= dead_to_start;
        let below = dead_rows.partition_point(|&dead| dead <= row);
        let covered = dead_rows
            .get(below..)
            .unwrap_or_default()
            .partition_point(|&dead| dead < row + cell.rowspan);
        cell.rowspan = cell.rowspan.saturating_sub(covered).max(1);
    }
}

/// A row group's rows on the grid, placed one at a time: the memory it holds is one row's
/// cells and a number per column.
pub(crate) struct GridRows<'a, 'l> {
    layout: &'l TableLayout<'a>,
    dead_rows: &'l [usize],
    placer: Placer<'a>,
    cells: Vec<PlacedCell<'a>>,
}

impl<'a, 'l> GridRows<'a, 'l> {
    fn new(layout: &'l TableLayout<'a>, rows: &'a [Row], dead_rows: &'l [usize]) -> Self {
        GridRows {
            layout,
            dead_rows,
            placer: Placer::new(rows),
            cells: Vec::new(),
        }
    }

    /// The next row's cells, in column order; `None` after the last row.
    pub fn next_row(&mut self) -> Option<&[PlacedCell<'a>]> {
        loop {
            let row = self.placer.place_next(&mut self.cells)?;
            self.placer
                .pad(row, self.layout.placed_columns, &mut self.cells);
            // A dead row: every slot is covered from above.
            if self.cells.is_empty() {
                continue;
            }
            for cell in &mut self.cells {
                self.layout.finish(cell, row, self.dead_rows);
            }
            return Some(&self.cells);
        }
    }
}

/// Places one row group's cells row by row, clipping spans so that nothing overlaps.
struct Placer<'a> {
    rows: &'a [Row],
    /// The row to place next.
    next: usize,
    /// `occupied_until[c]`: the first row, from the last placed on, whose slot in column `c`
    /// no cell placed so far covers. A cell is only placed in free slots, so what covers a
    /// column from the current row on is always one run of rows, and this is its end. (A
    /// `u32`: a colspan can make a million columns, and no table has 2^32 rows.)
    occupied_until: Vec<u32>,
}

impl<'a> Placer<'a> {
    fn new(rows: &'a [Row]) -> Self {
        Placer {
            rows,
            next: 0,
            occupied_until: Vec::new(),
        }
    }

    /// Whether a cell placed so far covers the slot; `row` is the last row placed or a
    /// later one.
    fn is_occupied(&self, row: usize, column: usize) -> bool {
        self.occupied_until
            .get(column)
            .is_some_and(|&until| until as usize > row)
    }

    /// Places the next row's cells into `cells` (in column order) and returns the row's
    /// index; `None` after the last row.
    fn place_next(&mut self, cells: &mut Vec<PlacedCell<'a>>) -> Option<usize> {
        let row_index = self.next;
        let row = self.rows.get(row_index)?;
        self.next += 1;
        cells.clear();
        let rows_left = self.rows.len() - row_index;
        let mut column = 0;
        for cell in &row.cells {
            while self.is_occupied(row_index, column) {
                column += 1;
            }
            let wanted = (cell.colspan as usize).clamp(1, MAX_COLSPAN);
            let mut colspan = 1;
            while colspan < wanted && !self.is_occupied(row_index, column + colspan) {
                colspan += 1;
            }
            let rowspan = (cell.rowspan as usize).clamp(1, MAX_ROWSPAN).min(rows_left);
            let end = column + colspan;
            if self.occupied_until.len() < end {
                self.occupied_until.resize(end, 0);
            }
            let until_row = u32::try_from(row_index + rowspan).unwrap_or(u32::MAX);
            for until in self.occupied_until.iter_mut().take(end).skip(column) {
                *until = until_row;
            }
            cells.push(PlacedCell {
                cell: Some(cell),
                column,
                colspan,
                rowspan,
            });
            column = end;
        }
        Some(row_index)
    }

    /// Fills each of the first `columns` slots of the row just placed that no cell covers
    /// with an empty one-by-one cell, keeping `cells` in column order.
    fn pad(&self, row: usize, columns: usize, cells: &mut Vec<PlacedCell<'a>>) {
        let placed = cells.len();
        for column in 0..columns {
            if !self.is_occupied(row, column) {
                cells.push(PlacedCell {
                    cell: None,
                    column,
                    colspan: 1,
                    rowspan: 1,
                });
            }
        }
        // No two cells begin in one slot, so the order is total.
        if placed > 0 && cells.len() > placed {
            cells.sort_unstable_by_key(|c| c.column);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Inline};

    fn cell(text: &str, colspan: u32, rowspan: u32) -> Cell {
        Cell {
            content: vec![Block::Paragraph(vec![Inline::text(text)])],
            colspan,
            rowspan,
        }
    }

    type Shape = Vec<Vec<(usize, usize, usize, Option<String>)>>;

    /// Each row's cells as (column, colspan, rowspan, text of a model cell).
    fn shape(mut rows: GridRows<'_, '_>) -> Shape {
        let mut shape = Vec::new();
        while let Some(row) = rows.next_row() {
            shape.push(
                row.iter()
                    .map(|c| {
                        let text = c.cell.map(|cell| match cell.content.as_slice() {
                            [Block::Paragraph(inlines)] => crate::model::inlines_to_plain(inlines),
                            _ => String::new(),
                        });
                        (c.column, c.colspan, c.rowspan, text)
                    })
                    .collect(),
            );
        }
        shape
    }

    fn marks(shape: &Shape) -> Vec<Vec<(usize, usize, usize, bool)>> {
        shape
            .iter()
            .map(|r| r.iter().map(|c| (c.0, c.1, c.2, c.3.is_some())).collect())
            .collect()
    }

    #[test]
    fn pads_short_rows_and_clips_overlaps() {
        let table = Table {
            caption: vec![],
            alignments: vec![],
            head: vec![],
            body: vec![
                Row {
                    cells: vec![cell("a", 1, 2), cell("b", 1, 1), cell("c", 1, 1)],
                },
                // Wants 3 columns from column 1, but the table is 3 wide: spans 1..3; its row
                // span stops at the end of the group.
                Row {
                    cells: vec![cell("d", 3, 9)],
                },
                // Beside it, a short row would be padded.
                Row {
                    cells: vec![cell("e", 1, 1)],
                },
            ],
        };
        let layout = layout(&table);
        assert_eq!(layout.columns, 3);
        assert_eq!((layout.head_rows(), layout.body_rows()), (0, 3));
        assert_eq!(
            marks(&shape(layout.body())),
            vec![
                vec![(0, 1, 2, true), (1, 1, 1, true), (2, 1, 1, true)],
                vec![(1, 2, 2, true)],
                vec![(0, 1, 1, true)],
            ]
        );
    }

    #[test]
    fn removes_columns_and_rows_where_nothing_begins() {
        let table = Table {
            caption: vec![],
            alignments: vec![],
            head: vec![Row {
                cells: vec![cell("wide", 3, 1)],
            }],
            body: vec![
                Row {
                    cells: vec![cell("tall", 3, 3)],
                },
                Row { cells: vec![] },
                Row { cells: vec![] },
            ],
        };
        let layout = layout(&table);
        assert_eq!(layout.columns, 1);
        assert_eq!((layout.head_rows(), layout.body_rows()), (1, 1));
        assert_eq!(marks(&shape(layout.head())), vec![vec![(0, 1, 1, true)]]);
        assert_eq!(marks(&shape(layout.body())), vec![vec![(0, 1, 1, true)]]);
    }

    /// The grid built whole, as this module did before it placed rows one at a time: the
    /// reference the streamed layout must match.
    mod whole {
        use super::super::{PlacedCell, MAX_COLSPAN, MAX_ROWSPAN};
        use crate::model::{Row, Table};

        pub fn layout(
            table: &Table,
        ) -> (Vec<Vec<PlacedCell<'_>>>, Vec<Vec<PlacedCell<'_>>>, usize) {
            let mut head = place_group(&table.head);
            let mut body = place_group(&table.body);
            let columns = head
                .iter()
                .chain(&body)
                .flat_map(|row| row.iter().map(|c| c.column + 1))
                .max()
                .unwrap_or(0);
            for cell in head.iter_mut().chain(body.iter_mut()).flatten() {
                cell.colspan = cell.colspan.min(columns - cell.column);
            }
            pad_group(&mut head, columns);
            pad_group(&mut body, columns);
            let columns = drop_dead_columns(&mut head, &mut body, columns);
            drop_dead_rows(&mut head);
            drop_dead_rows(&mut body);
            (head, body, columns)
        }

        fn place_group(rows: &[Row]) -> Vec<Vec<PlacedCell<'_>>> {
            let mut occupied: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
            let mut placed_rows = Vec::new();
            for (row_index, row) in rows.iter().enumerate() {
                let rows_left = rows.len() - row_index;
                let mut placed = Vec::new();
                let mut column = 0;
                for cell in &row.cells {
                    while is_occupied(&occupied, row_index, column) {
                        column += 1;
                    }
                    let wanted = (cell.colspan as usize).clamp(1, MAX_COLSPAN);
                    let mut colspan = 1;
                    while colspan < wanted && !is_occupied(&occupied, row_index, column + colspan) {
                        colspan += 1;
                    }
                    let rowspan = (cell.rowspan as usize).clamp(1, MAX_ROWSPAN).min(rows_left);
                    for taken in occupied.iter_mut().skip(row_index).take(rowspan) {
                        if taken.len() < column + colspan {
                            taken.resize(column + colspan, false);
                        }
                        for slot in taken.iter_mut().skip(column).take(colspan) {
                            *slot = true;
                        }
                    }
                    placed.push(PlacedCell {
                        cell: Some(cell),
                        column,
                        colspan,
                        rowspan,
                    });
                    column += colspan;
                }
                placed_rows.push(placed);
            }
            placed_rows
        }

        fn is_occupied(occupied: &[Vec<bool>], row: usize, column: usize) -> bool {
            occupied
                .get(row)
                .and_then(|r| r.get(column))
                .copied()
                .unwrap_or(false)
        }

        fn pad_group(rows: &mut [Vec<PlacedCell<'_>>], columns: usize) {
            let mut covered = vec![vec![false; columns]; rows.len()];
            for (row_index, row) in rows.iter().enumerate() {
                for cell in row {
                    for taken in covered.iter_mut().skip(row_index).take(cell.rowspan) {
                        for slot in taken.iter_mut().skip(cell.column).take(cell.colspan) {
                            *slot = true;
                        }
                    }
                }
            }
            for (row, covered_row) in rows.iter_mut().zip(&covered) {
                for (column, &is_covered) in covered_row.iter().enumerate() {
                    if !is_covered {
                        row.push(PlacedCell {
                            cell: None,
                            column,
                            colspan: 1,
                            rowspan: 1,
                        });
                    }
                }
                row.sort_by_key(|c| c.column);
            }
        }

        fn drop_dead_columns<'a>(
            head: &mut [Vec<PlacedCell<'a>>],
            body: &mut [Vec<PlacedCell<'a>>],
            columns: usize,
        ) -> usize {
            let mut begins = vec![false; columns];
            for cell in head.iter().chain(body.iter()).flatten() {
                begins[cell.column] = true;
            }
            let mut dead_before = vec![0usize; columns + 1];
            for c in 0..columns {
                dead_before[c + 1] = dead_before[c] + usize::from(!begins[c]);
            }
            for cell in head.iter_mut().chain(body.iter_mut()).flatten() {
                let end = (cell.column + cell.colspan).min(columns);
                let dead_inside = dead_before[end] - dead_before[cell.column];
                cell.colspan = cell.colspan.saturating_sub(dead_inside).max(1);
                cell.column -= dead_before[cell.column];
            }
            columns - dead_before[columns]
        }

        fn drop_dead_rows(rows: &mut Vec<Vec<PlacedCell<'_>>>) {
            let mut row_index = 0;
            while row_index < rows.len() {
                if rows[row_index].is_empty() {
                    for (above_index, above) in rows.iter_mut().enumerate().take(row_index) {
                        for cell in above.iter_mut() {
                            if above_index + cell.rowspan > row_index {
                                cell.rowspan = cell.rowspan.saturating_sub(1).max(1);
                            }
                        }
                    }
                    rows.remove(row_index);
                } else {
                    row_index += 1;
                }
            }
        }
    }

    /// Tables of ragged rows with spans of every kind, from a fixed seed.
    fn random_tables() -> Vec<Table> {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |below: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % below
        };
        let mut tables = Vec::new();
        for _ in 0..3000 {
            let head_rows = next(3);
            let body_rows = next(7);
            let mut group = |rows: u64| -> Vec<Row> {
                (0..rows)
                    .map(|_| Row {
                        cells: (0..next(5))
                            .map(|_| {
                                let colspan = [1, 1, 1, 2, 3, 0, 2000][next(7) as usize];
                                let rowspan = [1, 1, 1, 2, 3, 0, 70000][next(7) as usize];
                                cell("x", colspan, rowspan)
                            })
                            .collect(),
                    })
                    .collect()
            };
            tables.push(Table {
                caption: vec![],
                alignments: vec![],
                head: group(head_rows),
                body: group(body_rows),
            });
        }
        tables
    }

    fn whole_shape(rows: &[Vec<PlacedCell<'_>>]) -> Vec<Vec<(usize, usize, usize, bool)>> {
        rows.iter()
            .map(|r| {
                r.iter()
                    .map(|c| (c.column, c.colspan, c.rowspan, c.cell.is_some()))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn rows_placed_one_at_a_time_match_the_whole_grid() {
        let mut with_dead_rows = 0;
        let mut with_dead_columns = 0;
        for table in random_tables() {
            let (head, body, columns) = whole::layout(&table);
            let streamed = layout(&table);
            assert_eq!(streamed.columns, columns, "{table:?}");
            assert_eq!(streamed.head_rows(), head.len(), "{table:?}");
            assert_eq!(streamed.body_rows(), body.len(), "{table:?}");
            assert_eq!(
                marks(&shape(streamed.head())),
                whole_shape(&head),
                "{table:?}"
            );
            assert_eq!(
                marks(&shape(streamed.body())),
                whole_shape(&body),
                "{table:?}"
            );
            with_dead_rows +=
                usize::from(head.len() + body.len() < table.head.len() + table.body.len());
            with_dead_columns += usize::from(streamed.placed_columns > columns);
        }
        // The tables exercise what the layout removes.
        assert!(
            with_dead_rows > 100 && with_dead_columns > 100,
            "{with_dead_rows} {with_dead_columns}"
        );
    }
}
