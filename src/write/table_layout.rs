//! Placing a table's cells on a regular grid, for writers that must show or emit one.
//!
//! The model keeps cells as readers found them: rows of different lengths, spans that run past
//! the table or overlap. HTML checkers reject such tables, and aligned text needs a grid, so
//! this module resolves them the same way for every writer: spans are clipped so cells never
//! overlap, row spans stay inside their row group (head or body) and column spans end at the
//! last column any cell begins in; short rows are padded with empty cells, and columns or rows
//! in which no cell begins are removed by shrinking the spans that cover them.

use crate::model::{Cell, Table};

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

/// A table laid out on a grid: `head` and `body` rows of placed cells (in column order), and
/// the number of columns.
#[derive(Debug, Clone, Default)]
pub(crate) struct TableLayout<'a> {
    pub head: Vec<Vec<PlacedCell<'a>>>,
    pub body: Vec<Vec<PlacedCell<'a>>>,
    pub columns: usize,
}

/// The largest spans HTML allows.
const MAX_COLSPAN: usize = 1000;
const MAX_ROWSPAN: usize = 65534;

/// Lays out a table; see the module docs.
pub(crate) fn layout(table: &Table) -> TableLayout<'_> {
    let mut head = place_group(&table.head);
    let mut body = place_group(&table.body);
    // The table is as wide as the last column a cell begins in: a span reaching further (a
    // stray `colspan="7"`) is cut back rather than padding every row with empty cells.
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
    TableLayout {
        head,
        body,
        columns,
    }
}

/// Places one row group's cells, clipping spans so that nothing overlaps.
fn place_group(rows: &[crate::model::Row]) -> Vec<Vec<PlacedCell<'_>>> {
    // occupied[r][c]: the slot is taken by a cell placed in an earlier row (or this one).
    let mut occupied: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
    let mut placed_rows = Vec::with_capacity(rows.len());
    for (row_index, row) in rows.iter().enumerate() {
        let rows_left = rows.len() - row_index;
        let mut placed = Vec::with_capacity(row.cells.len());
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

/// Which slots of each row are covered by some cell (beginning there or spanning into it).
fn coverage(rows: &[Vec<PlacedCell<'_>>], columns: usize) -> Vec<Vec<bool>> {
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
    covered
}

/// Fills every uncovered slot with an empty one-by-one cell.
fn pad_group(rows: &mut [Vec<PlacedCell<'_>>], columns: usize) {
    let covered = coverage(rows, columns);
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

/// Removes columns in which no cell begins (only spans pass through them); returns the new
/// column count.
fn drop_dead_columns<'a>(
    head: &mut [Vec<PlacedCell<'a>>],
    body: &mut [Vec<PlacedCell<'a>>],
    columns: usize,
) -> usize {
    let mut begins = vec![false; columns];
    for cell in head.iter().chain(body.iter()).flatten() {
        if let Some(slot) = begins.get_mut(cell.column) {
            *slot = true;
        }
    }
    // dead_before[c]: how many dead columns lie before column c.
    let mut dead_before = vec![0usize; columns + 1];
    for c in 0..columns {
        dead_before[c + 1] = dead_before[c] + usize::from(!begins[c]);
    }
    for cell in head.iter_mut().chain(body.iter_mut()).flatten() {
        let end = (cell.column + cell.colspan).min(columns);
        let dead_inside = dead_before[end] - dead_before[cell.column.min(columns)];
        cell.colspan = cell.colspan.saturating_sub(dead_inside).max(1);
        cell.column -= dead_before[cell.column.min(columns)];
    }
    columns - dead_before[columns]
}

/// Removes rows in which no cell begins (all covered from above), shortening the row spans
/// that cover them.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Inline, Row};

    fn cell(text: &str, colspan: u32, rowspan: u32) -> Cell {
        Cell {
            content: vec![Block::Paragraph(vec![Inline::text(text)])],
            colspan,
            rowspan,
        }
    }

    fn shape(rows: &[Vec<PlacedCell<'_>>]) -> Vec<Vec<(usize, usize, usize, bool)>> {
        rows.iter()
            .map(|r| {
                r.iter()
                    .map(|c| (c.column, c.colspan, c.rowspan, c.cell.is_some()))
                    .collect()
            })
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
        assert_eq!(
            shape(&layout.body),
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
        assert_eq!(shape(&layout.head), vec![vec![(0, 1, 1, true)]]);
        assert_eq!(shape(&layout.body), vec![vec![(0, 1, 1, true)]]);
    }
}
