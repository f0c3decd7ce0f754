//! The model as JSON: lets other programs read, change and feed back (`--from json`) what
//! quire read.
//!
//! Pretty-printed, so that a person can read it and a diff shows what changed, except inside
//! table rows: each row is written on one line. Indenting every cell of a large table put
//! dozens of spaces before each few bytes of text.

use super::{Rendered, WriteOptions, Writer, STREAM_CHUNK};
use crate::error::{Result, Warning};
use crate::model::Document;
use serde::Serialize;
use std::io::{self, Write};

/// Writes the model as pretty-printed JSON, table rows one to a line.
pub struct JsonWriter;

impl Writer for JsonWriter {
    fn render(&self, document: &Document, options: &WriteOptions) -> Result<Rendered> {
        let mut bytes = Vec::new();
        self.write_to(document, options, &mut bytes)?;
        Ok(Rendered {
            bytes,
            warnings: Vec::new(),
        })
    }

    fn render_to(
        &self,
        document: &Document,
        _options: &WriteOptions,
        out: &mut dyn io::Write,
    ) -> Result<Vec<Warning>> {
        // serde_json writes token by token: gather them into chunks.
        let mut out = io::BufWriter::with_capacity(STREAM_CHUNK, out);
        let mut serializer =
            serde_json::Serializer::with_formatter(&mut out, RowsOnOneLine::default());
        document
            .serialize(&mut serializer)
            .map_err(io::Error::from)?;
        out.write_all(b"\n")?;
        out.flush()?;
        Ok(Vec::new())
    }
}

/// serde_json's pretty printing (two spaces an indent), except that everything inside the
/// rows of a table's `head` and `body` is written compactly, so each row is one line.
#[derive(Default)]
struct RowsOnOneLine {
    /// Open arrays and objects.
    level: usize,
    /// Whether the innermost open container has had a value (an empty one prints `[]`).
    has_value: bool,
    /// The level of table rows, while inside a `head` or `body`: containers at this level or
    /// deeper are compact. Nested tables stay inside their outer table's row.
    rows_level: Option<usize>,
    /// Inside an object key, and the key so far (to see `head` and `body`).
    in_key: bool,
    key: String,
    /// The value about to be written is a table's `head` or `body`.
    rows_next: bool,
}

impl RowsOnOneLine {
    fn compact(&self, level: usize) -> bool {
        self.rows_level.is_some_and(|rows| level >= rows)
    }

    fn newline_and_indent<W: ?Sized + io::Write>(w: &mut W, level: usize) -> io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        if std::mem::take(&mut self.rows_next) && self.rows_level.is_none() {
            // This container holds the rows; the rows are one level further in.
            self.rows_level = Some(self.level + 2);
        }
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        let closing = self.level;
        self.level -= 1;
        if self.has_value && !self.compact(closing) {
            Self::newline_and_indent(w, self.level)?;
        }
        if self.rows_level.is_some_and(|rows| closing < rows) {
            self.rows_level = None;
        }
        w.write_all(bracket)
    }

    fn separator<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.compact(self.level) {
            Ok(())
        } else {
            Self::newline_and_indent(w, self.level)
        }
    }
}

impl serde_json::ser::Formatter for RowsOnOneLine {
    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.separator(w, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.in_key = true;
        self.key.clear();
        self.separator(w, first)
    }

    fn end_object_key<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.in_key = false;
        self.rows_next = matches!(self.key.as_str(), "head" | "body");
        Ok(())
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.compact(self.level) {
            b":"
        } else {
            b": "
        })
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.rows_next = false;
        self.has_value = true;
        Ok(())
    }

    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        if self.in_key && self.key.len() < 8 {
            self.key.push_str(fragment);
        }
        w.write_all(fragment.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Cell, Inline, Meta, Row, Table};

    #[test]
    fn rows_are_one_line_each_and_the_rest_is_indented() {
        let row = |a: &str, b: &str| Row {
            cells: vec![
                Cell::from_inlines(vec![Inline::text(a)]),
                Cell::from_inlines(vec![Inline::text(b)]),
            ],
        };
        let document = Document {
            blocks: vec![Block::Table(Box::new(Table {
                caption: Vec::new(),
                alignments: Vec::new(),
                head: vec![row("h1", "h2")],
                body: vec![row("a", "b"), row("c", "d")],
            }))],
            meta: Meta::default(),
        };
        let json = String::from_utf8(
            JsonWriter
                .write(&document, &WriteOptions::default())
                .unwrap()
                .bytes,
        )
        .unwrap();
        let expected = r#"    {
      "type": "table",
      "c": {
        "head": [
          ["h1","h2"]
        ],
        "body": [
          ["a","b"],
          ["c","d"]
        ]
      }
    }
  ]
}
"#;
        assert!(json.ends_with(expected), "{json}");
        let back: Document = serde_json::from_str(&json).unwrap();
        assert_eq!(back, document);
    }
}
