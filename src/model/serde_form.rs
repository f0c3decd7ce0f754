//! The hand-written parts of the model's JSON form: a document must be one (an object with
//! `blocks`), rows are arrays of cells, and a cell that is one plain text is a string.
//!
//! A table of a million cells was a million `{"content": [{"type": "paragraph", "c":
//! [{"type": "text", "c": "…"}]}], "colspan": 1, "rowspan": 1}` objects: 195 times the
//! Markdown it came from. The compact forms keep that near the input's size, and the old
//! forms are still read, so JSON written by earlier versions loads.

use super::{Block, Cell, Document, Inline, Meta, Row};
use serde::de::{self, value::MapAccessDeserializer, value::SeqAccessDeserializer, IgnoredAny};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// What a JSON document must be, said when it is not.
pub const NOT_A_DOCUMENT: &str =
    "not a quire document: expected an object with \"meta\" and \"blocks\" as written by --to json";

/// The version of the JSON form that this quire writes, in a `"version"` field ahead of the
/// metadata. 1 was the first form (every field and cell written out, `tests/fixtures/json-v1`),
/// which had no version field, as the compact form had none before it gained this one; JSON
/// without the field is read as either. A later version is refused rather than misread.
///
/// A new kind of node (`math`) does not change the version: JSON without one reads as
/// before, and a quire that does not know the kind refuses it by name ("unknown variant
/// `math`") rather than misreading it. The version changes when the same JSON would mean
/// something else.
pub const JSON_VERSION: u64 = 2;

/// How the error for a JSON form newer than [`JSON_VERSION`] begins; the version follows.
pub(crate) const NEWER_VERSION: &str = "written by a newer quire: JSON form version ";

impl Serialize for Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut document = serializer.serialize_struct("Document", 3)?;
        document.serialize_field("version", &JSON_VERSION)?;
        document.serialize_field("meta", &self.meta)?;
        document.serialize_field("blocks", &self.blocks)?;
        document.end()
    }
}

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Document, D::Error> {
        struct DocumentVisitor;
        impl<'de> de::Visitor<'de> for DocumentVisitor {
            type Value = Document;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(NOT_A_DOCUMENT)
            }

            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
                let mut meta = None;
                let mut blocks = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "meta" => meta = Some(map.next_value::<Meta>()?),
                        "blocks" => blocks = Some(map.next_value::<Vec<Block>>()?),
                        // Checked where it is met (quire writes it first): blocks of a newer
                        // form may not parse, and the version is the better thing to say.
                        // Anything but a whole number is someone else's field (a
                        // package.json's `"version": "1.0.0"`).
                        "version" => {
                            let version = map.next_value::<serde_json::Value>()?;
                            if let Some(version) = version.as_u64() {
                                if version > JSON_VERSION {
                                    return Err(de::Error::custom(format!(
                                        "{NEWER_VERSION}{version}"
                                    )));
                                }
                            }
                        }
                        // Other programs may add their own fields; they are not ours to refuse.
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                // Without blocks it is some other JSON object (a package.json), not an empty
                // document: converting it to nothing would hide the mistake.
                let blocks = blocks.ok_or_else(|| de::Error::custom(NOT_A_DOCUMENT))?;
                Ok(Document {
                    meta: meta.unwrap_or_default(),
                    blocks,
                })
            }
        }
        deserializer.deserialize_map(DocumentVisitor)
    }
}

impl Serialize for Row {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.cells.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Row, D::Error> {
        struct RowVisitor;
        impl<'de> de::Visitor<'de> for RowVisitor {
            type Value = Row;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table row: an array of cells")
            }

            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Row, A::Error> {
                let cells = Vec::<Cell>::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(Row { cells })
            }

            /// The older form, `{"cells": [...]}`.
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Row, A::Error> {
                #[derive(Deserialize)]
                struct RowObject {
                    cells: Vec<Cell>,
                }
                let row = RowObject::deserialize(MapAccessDeserializer::new(map))?;
                Ok(Row { cells: row.cells })
            }
        }
        deserializer.deserialize_any(RowVisitor)
    }
}

impl Cell {
    /// The text of a one-by-one cell of one plain, non-empty text paragraph, or `""` for an
    /// empty one-by-one cell: what the compact form writes as a string. `None` for any other.
    fn as_plain_text(&self) -> Option<&str> {
        if self.colspan != 1 || self.rowspan != 1 {
            return None;
        }
        match self.content.as_slice() {
            [] => Some(""),
            [Block::Paragraph(inlines)] => match inlines.as_slice() {
                [Inline::Text(text)] if !text.is_empty() => Some(text),
                _ => None,
            },
            _ => None,
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let Some(text) = self.as_plain_text() {
            return serializer.serialize_str(text);
        }
        let spans = usize::from(self.colspan != 1) + usize::from(self.rowspan != 1);
        let mut cell = serializer.serialize_struct("Cell", 1 + spans)?;
        cell.serialize_field("content", &self.content)?;
        if self.colspan != 1 {
            cell.serialize_field("colspan", &self.colspan)?;
        } else {
            cell.skip_field("colspan")?;
        }
        if self.rowspan != 1 {
            cell.serialize_field("rowspan", &self.rowspan)?;
        } else {
            cell.skip_field("rowspan")?;
        }
        cell.end()
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Cell, D::Error> {
        struct CellVisitor;
        impl<'de> de::Visitor<'de> for CellVisitor {
            type Value = Cell;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table cell: a string, or an object with \"content\"")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Cell, E> {
                Ok(Cell::from_inlines(if text.is_empty() {
                    Vec::new()
                } else {
                    vec![Inline::Text(text.to_string())]
                }))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Cell, E> {
                Ok(Cell::from_inlines(if text.is_empty() {
                    Vec::new()
                } else {
                    vec![Inline::Text(text)]
                }))
            }

            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Cell, A::Error> {
                #[derive(Deserialize)]
                struct CellObject {
                    #[serde(default)]
                    content: Vec<Block>,
                    #[serde(default = "super::one")]
                    colspan: u32,
                    #[serde(default = "super::one")]
                    rowspan: u32,
                }
                let cell = CellObject::deserialize(MapAccessDeserializer::new(map))?;
                Ok(Cell {
                    content: cell.content,
                    colspan: cell.colspan,
                    rowspan: cell.rowspan,
                })
            }
        }
        deserializer.deserialize_any(CellVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_cells_are_strings_and_others_objects_and_both_come_back() {
        let cells = vec![
            Cell::from_inlines(vec![Inline::text("plain")]),
            Cell::from_inlines(Vec::new()),
            Cell::from_inlines(vec![Inline::Strong(vec![Inline::text("bold")])]),
            Cell {
                colspan: 2,
                ..Cell::from_inlines(vec![Inline::text("wide")])
            },
            Cell {
                content: vec![Block::Paragraph(Vec::new())],
                colspan: 1,
                rowspan: 3,
            },
        ];
        let row = Row { cells };
        let json = serde_json::to_string(&row).unwrap();
        assert_eq!(
            json,
            r#"["plain","",{"content":[{"type":"paragraph","c":[{"type":"strong","c":[{"type":"text","c":"bold"}]}]}]},{"content":[{"type":"paragraph","c":[{"type":"text","c":"wide"}]}],"colspan":2},{"content":[{"type":"paragraph","c":[]}],"rowspan":3}]"#
        );
        assert_eq!(serde_json::from_str::<Row>(&json).unwrap(), row);
        let old = r#"{"cells":[{"content":[{"type":"paragraph","c":[{"type":"text","c":"plain"}]}],"colspan":1,"rowspan":1},{"content":[],"colspan":1,"rowspan":1}]}"#;
        assert_eq!(
            serde_json::from_str::<Row>(old).unwrap().cells,
            row.cells[..2]
        );
    }

    #[test]
    fn only_an_object_with_blocks_is_a_document() {
        for json in [
            r#"{"name": "left-pad", "version": "1.0.0"}"#,
            "[1, 2]",
            "42",
            r#""text""#,
            "{}",
        ] {
            let error = serde_json::from_str::<Document>(json).unwrap_err();
            assert!(
                error.to_string().contains(NOT_A_DOCUMENT),
                "{json}: {error}"
            );
        }
        let document: Document = serde_json::from_str(r#"{"blocks": [], "x": 1}"#).unwrap();
        assert_eq!(document, Document::default());
    }
}
