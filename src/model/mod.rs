//! The document model: the one thing readers and writers share.
//!
//! A [`Document`] is metadata plus a list of [`Block`]s; blocks hold [`Inline`]s. Blocks and
//! inlines are separate types so the type system says what may nest in what (after pandoc).
//! Anything that needs an id, classes or extra attributes and has no field for them goes in a
//! [`Block::Container`] or [`Inline::Span`] with an [`Attr`].
//!
//! [`Block`] and [`Inline`] are exhaustive on purpose (unlike [`crate::Error`] and the format
//! and option enums, which are `#[non_exhaustive]`): a writer of your own that matches every
//! kind is told by the compiler when quire adds one, instead of dropping it silently.
//!
//! Invariants that readers establish (with [`normalize_inlines`] and the depth limit) and that
//! writers may rely on:
//! - Inline text is whitespace-normalised: no runs of ASCII/Unicode collapsible whitespace, no
//!   text that starts or ends a paragraph with a space, no empty text, adjacent texts merged.
//!   Emphasis-like wrappers never begin or end with a space (the space is moved outside).
//! - Nesting is at most [`MAX_DEPTH`] levels of blocks and inlines together, so writers can
//!   recurse without any input being able to overflow the stack.
//! - Heading ids are unique within a document (readers call [`Document::assign_heading_ids`]).
//!
//! The JSON form (`--to json`) is this model serialized with serde: every enum value is an
//! object `{"type": "...", "c": ...}` whose `c` holds the variant's fields, in the manner of
//! pandoc's JSON. It is kept compact where documents are large (see `serde_form.rs`): fields
//! of blocks and inlines that hold their default are left out, a table row is an array of
//! cells, and a cell that is one plain text (or empty) is just that string. The metadata
//! keeps every field, so scripts can count on them. The document object begins with
//! `"version"` ([`JSON_VERSION`]); the JSON reader reads this form, the same form without the
//! version (as quire wrote it before), and the older one where every field and every cell
//! was written out, and refuses a version newer than it knows.

pub(crate) mod autolink;
pub mod date;
mod normalize;
pub(crate) mod serde_form;
pub mod url;
mod walk;

pub use date::Date;
pub(crate) use normalize::is_stray_control;
pub use normalize::{collapse_whitespace, normalize_inlines};
pub use serde_form::JSON_VERSION;
pub use walk::inlines_to_plain;
pub(crate) use walk::{for_each_block, for_each_block_mut};
pub(crate) use walk::{for_each_image_mut, rewrite_links, shift_headings, slugify};

use serde::{Deserialize, Serialize};

/// The deepest nesting of blocks and inlines a document may have. Readers flatten anything
/// deeper; the JSON reader rejects it. Browsers stop nesting HTML at 512 elements, but no real
/// article nests structure this deep, and writers recurse over the model.
pub const MAX_DEPTH: usize = 64;

/// A whole document: what it is (metadata) and what it says (blocks). Deserializing needs
/// an object with `blocks` (see `serde_form.rs`), so that any other JSON is an error.
///
/// Serialized, it starts with a `"version"` field (see [`JSON_VERSION`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// What is known about the document: title, authors, dates, language...
    pub meta: Meta,
    /// The body, in reading order.
    pub blocks: Vec<Block>,
}

/// What is known about a document. Every field is optional: readers fill what the input states.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Meta {
    /// The title, without the site's name.
    pub title: Option<String>,
    /// A subtitle or standfirst, when the input marks one.
    pub subtitle: Option<String>,
    /// The authors' names, in the order given.
    pub authors: Vec<String>,
    /// Publication date (`2024-05-01` or `2024-05-01T10:00:00Z` in the JSON form).
    #[serde(deserialize_with = "date::deserialize_lenient")]
    pub published: Option<Date>,
    /// Last modification date.
    #[serde(deserialize_with = "date::deserialize_lenient")]
    pub modified: Option<Date>,
    /// BCP 47 language tag (`en`, `ru`, `pt-BR`).
    pub language: Option<String>,
    /// The text direction the input declares.
    pub direction: Option<Direction>,
    /// The publication or site the document belongs to ("The Guardian").
    pub site_name: Option<String>,
    /// Where the document came from: a URL, or the canonical URL a page declares.
    pub source_url: Option<String>,
    /// A one- or two-sentence summary (meta description, excerpt).
    pub description: Option<String>,
    /// The image that represents the article (og:image), as a URL or path.
    pub lead_image: Option<String>,
    /// Subject keywords or tags.
    pub keywords: Vec<String>,
}

/// Text direction of the document as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left (Arabic, Hebrew).
    Rtl,
    /// Decided from the text by the reading system.
    Auto,
}

impl Meta {
    /// The direction the document is written in: the one it states, else right-to-left for
    /// a language written so (`ar`, `he`, `fa`…), else none (left-to-right, or unknown).
    pub fn written_direction(&self) -> Option<Direction> {
        self.direction.or_else(|| {
            self.language
                .as_deref()
                .is_some_and(is_rtl_language)
                .then_some(Direction::Rtl)
        })
    }
}

/// Whether the language of BCP 47 tag `tag` is written right to left (by its primary
/// subtag: `ar`, `he`, `fa`, `ur`, `yi`…).
pub fn is_rtl_language(tag: &str) -> bool {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "ar" | "he" | "iw" | "fa" | "ur" | "yi" | "ps" | "sd" | "ug" | "dv" | "ckb" | "syr"
    )
}

impl Direction {
    /// The HTML `dir` value: `ltr`, `rtl` or `auto`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
            Direction::Auto => "auto",
        }
    }
}

/// Generic attributes: an id, classes and key/value pairs. The escape hatch that keeps the
/// enums small.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Attr {
    /// The element's id (empty: none).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Its class names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub classes: Vec<String>,
    /// Other attributes, as name/value pairs in their input order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<(String, String)>,
}

impl Attr {
    /// Whether there is no id, class or attribute.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty() && self.classes.is_empty() && self.attributes.is_empty()
    }

    /// An attribute list of one class.
    pub fn class(name: &str) -> Attr {
        Attr {
            classes: vec![name.to_string()],
            ..Attr::default()
        }
    }

    /// Whether the classes include `name`.
    pub fn has_class(&self, name: &str) -> bool {
        self.classes.iter().any(|c| c == name)
    }
}

/// Class names that give a [`Block::Container`] a meaning writers may lay out (the HTML writer
/// writes them as `div` classes; writers that know nothing of them show the blocks inside).
pub mod classes {
    /// A definition list: its paragraphs are the terms, its [`DEFINITION`] containers what
    /// they mean.
    pub const DEFINITION_LIST: &str = "definition-list";
    /// One definition of a [`DEFINITION_LIST`]'s term.
    pub const DEFINITION: &str = "definition";
    /// A bundled article's heading and byline: the article starts a new page.
    pub const CHAPTER_HEADER: &str = "chapter-header";
    /// A book's table of contents: a list whose items start with a link to a heading
    /// (`#id`), sub-entries in a nested list.
    pub const CONTENTS: &str = "contents";
}

/// Block-level content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "c", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph of running text.
    Paragraph(Vec<Inline>),
    /// A section heading. `level` is 1–6; `id` is unique in the document (may be empty only
    /// before [`Document::assign_heading_ids`] has run).
    Heading {
        /// 1 to 6.
        level: u8,
        /// A boxed `str`, not a `String`: its length is fixed once read, and the 8 bytes
        /// saved keep every `Block` at 48 bytes (a jemalloc size class of its own).
        id: Box<str>,
        /// The heading's text.
        content: Vec<Inline>,
    },
    /// A block quotation.
    Quote(Vec<Block>),
    /// A bullet or numbered list.
    List(List),
    /// Preformatted code. `text` keeps its line breaks and ends without a newline.
    Code {
        /// Boxed for the same reason as a heading's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        language: Option<Box<str>>,
        /// The code, its line breaks kept.
        text: String,
    },
    /// A table (boxed: tables are large and rare).
    Table(Box<Table>),
    /// An image with its caption (boxed).
    Figure(Box<Figure>),
    /// A thematic break (HTML `<hr>`).
    Rule,
    /// A generic division (HTML `div`, `section`, `aside`) whose attributes are worth keeping.
    /// (The attributes are boxed, as are other big and rare parts of blocks and inlines, to
    /// keep every node of the model small: a document may hold millions.)
    Container {
        /// Its id, classes and attributes.
        attr: Box<Attr>,
        /// What it holds.
        blocks: Vec<Block>,
    },
}

/// A bullet (`ordered == false`) or numbered list. Each item is a list of blocks; a tight list
/// (no blank lines between items in Markdown) has items of one paragraph each rendered compactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct List {
    /// Numbered (`true`) or bulleted.
    pub ordered: bool,
    /// The number of the first item (ordered lists only; 1 by default).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub start: u32,
    /// Items are single paragraphs shown without space between them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tight: bool,
    /// Each item's blocks.
    pub items: Vec<Vec<Block>>,
    /// Each item's task-list checkbox (GFM `- [x]` / `- [ ]`), by item index: `Some(true)`
    /// ticked, `Some(false)` not, `None` an item without a box. Empty (and left out of the
    /// JSON) for a list without task items, so that JSON written before this field reads the
    /// same; an item past its end has no box.
    #[serde(default, skip_serializing_if = "TaskBoxes::is_empty")]
    pub checked: TaskBoxes,
}

/// The task-list boxes of a list's items (see [`List::checked`]), read as a slice (it
/// dereferences to `[Option<bool>]`) and made from a `Vec`. In JSON, an array of `true`,
/// `false` and `null`. Held behind one thin pointer, so that a [`Block`] stays 48 bytes
/// (a boxed slice or a `Vec` would make every block of every document 56).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<Option<bool>>", into = "Vec<Option<bool>>")]
// The box around the Vec is the point: a thin pointer where a Vec would be three words.
#[allow(clippy::box_collection)]
pub struct TaskBoxes(Option<Box<Vec<Option<bool>>>>);

impl TaskBoxes {
    /// Whether no item has an entry (a list without task items).
    pub fn is_empty(&self) -> bool {
        self.0.as_ref().is_none_or(|boxes| boxes.is_empty())
    }
}

impl std::ops::Deref for TaskBoxes {
    type Target = [Option<bool>];

    fn deref(&self) -> &[Option<bool>] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl From<Vec<Option<bool>>> for TaskBoxes {
    fn from(boxes: Vec<Option<bool>>) -> TaskBoxes {
        TaskBoxes((!boxes.is_empty()).then(|| Box::new(boxes)))
    }
}

impl From<TaskBoxes> for Vec<Option<bool>> {
    fn from(boxes: TaskBoxes) -> Vec<Option<bool>> {
        boxes.0.map(|boxes| *boxes).unwrap_or_default()
    }
}

impl List {
    /// Item `index`'s task-list checkbox: ticked (`Some(true)`), not (`Some(false)`), or no
    /// box (`None`, also for an index past [`List::checked`]).
    pub fn task(&self, index: usize) -> Option<bool> {
        self.checked.get(index).copied().flatten()
    }
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// A table. Rows are grouped into header rows and body rows; each cell may span columns and
/// rows. `alignments` has one entry per column (it may be shorter than the widest row), or is
/// empty when no column is aligned (the canonical form readers produce).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// The table's caption (empty: none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caption: Vec<Inline>,
    /// Each column's alignment.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alignments: Vec<Alignment>,
    /// Header rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub head: Vec<Row>,
    /// Body rows.
    #[serde(default)]
    pub body: Vec<Row>,
}

impl Table {
    /// The number of columns the table occupies, counting column spans; at most
    /// [`MAX_TABLE_COLUMNS`], whatever the spans say.
    pub fn column_count(&self) -> usize {
        self.head
            .iter()
            .chain(&self.body)
            .map(|row| {
                row.cells
                    .iter()
                    .map(|c| (c.colspan as usize).clamp(1, MAX_TABLE_COLUMNS))
                    .sum()
            })
            .max()
            .unwrap_or(0)
            .max(self.alignments.len())
            .min(MAX_TABLE_COLUMNS)
    }

    /// Keeps spans to what HTML allows (a column span of at most 1,000, a row span of at
    /// most 65,534, both at least 1) and cuts a row's column spans so that the row ends by
    /// column [`MAX_TABLE_COLUMNS`], or by its own cell count when it has more cells. Every
    /// cell is kept. Without it, a few bytes of `colspan` make every row below as wide:
    /// 8 KB of HTML made 267 MB of Markdown and took a PDF writer 800 MB.
    pub fn limit_spans(&mut self) {
        self.alignments.truncate(MAX_TABLE_COLUMNS);
        for row in self.head.iter_mut().chain(&mut self.body) {
            let cells = row.cells.len();
            let mut used = 0usize;
            for (index, cell) in row.cells.iter_mut().enumerate() {
                // Room for this cell's span, leaving a column for each cell after it.
                let room = MAX_TABLE_COLUMNS
                    .saturating_sub(used)
                    .saturating_sub(cells - index - 1)
                    .max(1);
                let colspan = (cell.colspan as usize).clamp(1, MAX_COLSPAN.min(room));
                cell.colspan = u32::try_from(colspan).unwrap_or(1);
                cell.rowspan = cell.rowspan.clamp(1, MAX_ROWSPAN as u32);
                used += colspan;
            }
        }
    }
}

/// The widest table the model holds, in columns (HTML's largest column span).
pub const MAX_TABLE_COLUMNS: usize = 1000;
/// The largest spans HTML allows.
pub const MAX_COLSPAN: usize = 1000;
/// The largest row span HTML allows.
pub const MAX_ROWSPAN: usize = 65534;

/// How a table column's cells are aligned.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Alignment {
    /// The reader's or writer's default.
    #[default]
    Default,
    /// Left-aligned.
    Left,
    /// Centred.
    Center,
    /// Right-aligned.
    Right,
}

/// A table row. In JSON, an array of its cells (formerly `{"cells": [...]}`, still read).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// The row's cells, left to right.
    pub cells: Vec<Cell>,
}

/// A table cell. In JSON, a one-by-one cell of one plain text paragraph (or of nothing) is
/// that string; any other is `{"content": [...], "colspan": n, "rowspan": n}` with spans of 1
/// left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The cell's blocks (empty: an empty cell).
    pub content: Vec<Block>,
    /// How many columns the cell spans (at least 1).
    pub colspan: u32,
    /// How many rows the cell spans (at least 1).
    pub rowspan: u32,
}

impl Cell {
    /// A one-by-one cell holding a single paragraph (or nothing, for empty inlines).
    pub fn from_inlines(inlines: Vec<Inline>) -> Cell {
        let content = if inlines.is_empty() {
            Vec::new()
        } else {
            vec![Block::Paragraph(inlines)]
        };
        Cell {
            content,
            colspan: 1,
            rowspan: 1,
        }
    }
}

/// An image with its caption, shown apart from the running text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figure {
    /// The image shown.
    pub image: Image,
    /// The caption (empty: none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caption: Vec<Inline>,
}

/// A reference to an image: where it is, what it shows (alt text) and an optional title.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Where the image is: a URL, a path relative to the input, or a `data:` URI.
    pub src: String,
    /// What the image shows, for readers who cannot see it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub alt: String,
    /// A tooltip title, when the input gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The width the input asks for, in CSS pixels (an `<img width>`); `None`: the image's
    /// own. Writers show the image at this size, never wider than the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// The height the input asks for, in CSS pixels (an `<img height>`); `None`: the image's
    /// own, or in proportion to a stated width.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "c", rename_all = "snake_case")]
pub enum Inline {
    /// Plain text (whitespace-normalised, see the module docs).
    Text(String),
    /// Emphasis (usually italic).
    Emphasis(Vec<Inline>),
    /// Strong importance (usually bold).
    Strong(Vec<Inline>),
    /// Struck-out text.
    Strikethrough(Vec<Inline>),
    /// Superscript.
    Superscript(Vec<Inline>),
    /// Subscript.
    Subscript(Vec<Inline>),
    /// Inline code.
    Code(String),
    /// A link (boxed: see [`Link`]).
    Link(Box<Link>),
    /// An image in the running text (boxed).
    Image(Box<Image>),
    /// A hard line break.
    LineBreak,
    /// A footnote, placed where it is referenced. Writers choose how to show it (page
    /// footnotes, endnotes, pop-ups).
    Note(Vec<Block>),
    /// A formula (boxed: see [`Math`]).
    Math(Box<Math>),
    /// A generic inline (HTML `span`) whose attributes are worth keeping.
    Span {
        /// Its id, classes and attributes.
        attr: Box<Attr>,
        /// What it holds.
        content: Vec<Inline>,
    },
}

/// A link: where it goes, its title and its text. Boxed in [`Inline::Link`], so that every
/// inline is 32 bytes instead of 96 (the JSON is the same as for fields of the variant).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Where the link goes.
    pub url: String,
    /// A tooltip title, when the input gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The link's text.
    pub content: Vec<Inline>,
}

/// A formula, as the input gave it: its TeX source, its MathML, or both (at least one is
/// non-empty). A formula set on a line of its own (`display`) is still an inline: a paragraph
/// holding only it is a displayed equation, as in pandoc. Writers that cannot show MathML
/// use the TeX; writers that need MathML and have only TeX make it from the TeX.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Math {
    /// Set on a line of its own (TeX `$$…$$`, MathML `display="block"`), not in the text.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub display: bool,
    /// The TeX source (without the `$` delimiters), when the input has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tex: Option<String>,
    /// The MathML (`<math>…</math>`), sanitised: MathML elements and their presentation
    /// attributes only, no scripts, styles or links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mathml: Option<String>,
}

impl Math {
    /// The formula as a line of text: Unicode for the TeX that quire understands (`x^2` →
    /// `x²`, `\alpha` → `α`), TeX as written for the rest. What text output shows, and what
    /// word counts count.
    pub fn linear(&self) -> String {
        crate::math::tex_to_unicode(&self.tex_or_text())
    }

    /// The TeX to show where no MathML can be: the TeX source, else the text of the MathML.
    pub fn tex_or_text(&self) -> String {
        match (&self.tex, &self.mathml) {
            (Some(tex), _) if !tex.trim().is_empty() => tex.trim().to_string(),
            (_, Some(mathml)) => crate::math::mathml_text(mathml),
            _ => String::new(),
        }
    }
}

impl Inline {
    /// An [`Inline::Text`].
    pub fn text(s: impl Into<String>) -> Inline {
        Inline::Text(s.into())
    }

    /// An [`Inline::Link`].
    pub fn link(url: impl Into<String>, title: Option<String>, content: Vec<Inline>) -> Inline {
        Inline::Link(Box::new(Link {
            url: url.into(),
            title,
            content,
        }))
    }

    /// An [`Inline::Image`].
    pub fn image(image: Image) -> Inline {
        Inline::Image(Box::new(image))
    }
}

impl Document {
    /// A document of this metadata and these blocks.
    pub fn new(meta: Meta, blocks: Vec<Block>) -> Document {
        Document { meta, blocks }
    }

    /// Gives every heading a unique id: its own if it has one, else a slug of its text;
    /// duplicates get `-1`, `-2`, … appended (the GitHub convention).
    pub fn assign_heading_ids(&mut self) {
        use std::hash::{Hash, Hasher};
        // The ids given so far, as 64-bit hashes rather than copies (a long document has
        // hundreds of thousands of headings). An id is only given when its hash is free, so
        // ids stay unique; two different ids with one hash (odds about 10^-8 for a million
        // headings) only make the later one take a suffix. DefaultHasher::new() hashes alike
        // in every run, so the output does not vary.
        let mut taken = std::collections::HashSet::new();
        let hash = |id: &str| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            id.hash(&mut hasher);
            hasher.finish()
        };
        // The last suffix tried per base, so n headings with one text cost O(n), not O(n²).
        let mut last_suffix: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        walk::for_each_block_mut(&mut self.blocks, &mut |block| {
            if let Block::Heading { id, content, .. } = block {
                let base = if id.is_empty() {
                    let slug = slugify(&inlines_to_plain(content));
                    if slug.is_empty() {
                        "section".to_string()
                    } else {
                        slug
                    }
                } else {
                    String::from(std::mem::take(id))
                };
                let mut candidate = base;
                if !taken.insert(hash(&candidate)) {
                    let base = candidate;
                    let n = last_suffix.entry(base.clone()).or_insert(0);
                    loop {
                        *n += 1;
                        candidate = format!("{base}-{n}");
                        if taken.insert(hash(&candidate)) {
                            break;
                        }
                    }
                }
                *id = candidate.into_boxed_str();
            }
        });
    }

    /// Leaves out every image: figures (with their captions, which describe an image no
    /// longer there) and inline images; a paragraph or link left empty goes too. For text
    /// pipelines that want the article's words alone (`quire convert --no-images`).
    pub fn remove_images(&mut self) {
        // Readers give normalised text: only a run that loses a picture needs rebuilding (and
        // its spaces joined again where the picture stood).
        walk::for_each_block_mut(&mut self.blocks, &mut |block| match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } if walk::holds_image(inlines) => {
                *inlines = normalize_inlines(walk::without_images(std::mem::take(inlines)));
            }
            _ => {}
        });
        let keep = |b: &Block| {
            !matches!(b, Block::Figure(_))
                && !matches!(b, Block::Paragraph(inlines) if inlines.is_empty())
        };
        self.blocks.retain(keep);
        walk::for_each_block_mut(&mut self.blocks, &mut |block| match block {
            Block::Quote(inner) | Block::Container { blocks: inner, .. } => inner.retain(keep),
            Block::List(list) => {
                for item in &mut list.items {
                    item.retain(keep);
                }
            }
            Block::Table(table) => {
                for row in table.head.iter_mut().chain(&mut table.body) {
                    for cell in &mut row.cells {
                        cell.content.retain(keep);
                    }
                }
            }
            _ => {}
        });
    }

    /// The document's text, without markup, for language detection and word counts.
    /// Stops after roughly `limit` bytes.
    pub fn plain_text(&self, limit: usize) -> String {
        let mut out = String::new();
        walk::for_each_block(&self.blocks, &mut |block| {
            if out.len() >= limit {
                return;
            }
            match block {
                Block::Paragraph(inl) | Block::Heading { content: inl, .. } => {
                    out.push_str(&inlines_to_plain(inl));
                    out.push('\n');
                }
                Block::Figure(fig) => {
                    out.push_str(&inlines_to_plain(&fig.caption));
                    out.push('\n');
                }
                _ => {}
            }
        });
        if out.len() > limit {
            let mut end = limit;
            while !out.is_char_boundary(end) {
                end -= 1;
            }
            out.truncate(end);
        }
        out
    }

    /// Puts the parts of the model that can be said in several ways into their one canonical
    /// form, so that documents from different readers compare equal: tables whose columns
    /// are all unaligned have no alignments, lists without task boxes no
    /// [`List::checked`] (and no entries past their items). It also keeps spans within
    /// bounds (see [`Table::limit_spans`]).
    pub fn canonicalize(&mut self) {
        walk::for_each_block_mut(&mut self.blocks, &mut |block| match block {
            Block::Table(table) => {
                if table.alignments.iter().all(|a| *a == Alignment::Default) {
                    table.alignments.clear();
                }
                table.limit_spans();
            }
            Block::List(list) => {
                let boxes = list
                    .checked
                    .get(..list.items.len())
                    .unwrap_or(&list.checked);
                if boxes.iter().all(Option::is_none) {
                    list.checked = TaskBoxes::default();
                } else if boxes.len() < list.checked.len() {
                    list.checked = boxes.to_vec().into();
                }
            }
            _ => {}
        });
    }

    /// Calls `f` on every image the document refers to (figures and inline images, in
    /// captions, cells, links and footnotes too).
    pub fn for_each_image(&self, f: &mut dyn FnMut(&Image)) {
        walk::for_each_image(&self.blocks, f);
    }

    /// Calls `f` on every image the document refers to (figures and inline images, in
    /// captions, cells, links and footnotes too), to rewrite or embed them.
    pub fn for_each_image_mut(&mut self, f: &mut dyn FnMut(&mut Image)) {
        walk::for_each_image_mut(&mut self.blocks, f);
    }

    /// Gives every link's URL to `f` (in captions, cells and footnotes too) and replaces it
    /// with what `f` returns, when that is `Some`.
    pub fn rewrite_links(&mut self, f: &mut dyn FnMut(&str) -> Option<String>) {
        walk::rewrite_links(&mut self.blocks, f);
    }

    /// The metadata and the blocks, taken out of the document (which has a [`Drop`], so its
    /// fields cannot be moved out one by one).
    pub fn into_parts(mut self) -> (Meta, Vec<Block>) {
        (
            std::mem::take(&mut self.meta),
            std::mem::take(&mut self.blocks),
        )
    }

    /// Whether the document holds a formula anywhere (EPUB marks such pages `mathml`).
    pub fn has_math(&self) -> bool {
        walk::has_math(&self.blocks)
    }

    /// The deepest nesting of blocks and inlines in the document.
    pub fn depth(&self) -> usize {
        walk::depth_up_to(&self.blocks, usize::MAX)
    }

    /// Whether the document nests deeper than [`MAX_DEPTH`], as a hand-built or deserialized
    /// document may: measured with an explicit stack that stops as soon as it knows, so it
    /// costs little and cannot overflow whatever the depth. Every writer is entered through it.
    pub fn check_depth(&self) -> crate::error::Result<()> {
        if walk::depth_up_to(&self.blocks, MAX_DEPTH) > MAX_DEPTH {
            return Err(crate::error::Error::TooDeep { max: MAX_DEPTH });
        }
        Ok(())
    }
}

/// Dropping a document takes it apart with an explicit stack (see `walk::dismantle`): the
/// drop the compiler writes recurses once per level, and a document built by hand may be
/// deeper than any stack.
impl Drop for Document {
    fn drop(&mut self) {
        walk::dismantle(std::mem::take(&mut self.blocks));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A picture at any depth is found and taken out, with the spaces on either side of it
    /// joined; a run without one is left exactly as it was (not rebuilt).
    #[test]
    fn remove_images_rebuilds_only_runs_that_hold_one() {
        let image = || {
            Inline::image(Image {
                src: "a.jpg".into(),
                ..Image::default()
            })
        };
        let deep = vec![
            Inline::text("Before "),
            Inline::Emphasis(vec![Inline::Link(Box::new(Link {
                url: "https://example.com/".into(),
                title: None,
                content: vec![image()],
            }))]),
            Inline::text(" after."),
        ];
        let plain = vec![
            Inline::text("No"),
            Inline::Strong(vec![Inline::text(" picture ")]),
            Inline::text("here."),
        ];
        assert!(walk::holds_image(&deep));
        assert!(!walk::holds_image(&plain));
        let mut document = Document::new(
            Meta::default(),
            vec![
                Block::Paragraph(deep),
                Block::Paragraph(plain.clone()),
                Block::Paragraph(vec![image()]),
            ],
        );
        document.remove_images();
        assert_eq!(
            document.blocks,
            vec![
                Block::Paragraph(vec![Inline::text("Before after.")]),
                Block::Paragraph(plain),
            ]
        );
    }

    #[test]
    fn spans_stay_within_bounds_and_every_cell_is_kept() {
        let cell = |colspan, rowspan| Cell {
            content: Vec::new(),
            colspan,
            rowspan,
        };
        let mut table = Table {
            caption: Vec::new(),
            alignments: vec![Alignment::Left; 5000],
            head: vec![Row {
                cells: vec![cell(u32::MAX, 0), cell(0, u32::MAX), cell(3, 2)],
            }],
            body: vec![Row {
                cells: (0..1500).map(|_| cell(2, 1)).collect(),
            }],
        };
        assert_eq!(table.column_count(), MAX_TABLE_COLUMNS);
        table.limit_spans();
        let head: Vec<(u32, u32)> = table.head[0]
            .cells
            .iter()
            .map(|c| (c.colspan, c.rowspan))
            .collect();
        assert_eq!(head, [(998, 1), (1, 65534), (1, 2)]);
        assert_eq!(table.body[0].cells.len(), 1500);
        assert!(table.body[0].cells.iter().all(|c| c.colspan == 1));
        assert_eq!(table.alignments.len(), MAX_TABLE_COLUMNS);
    }

    #[test]
    fn task_boxes_are_canonical_none_for_a_list_without_any() {
        let list = |checked: Vec<Option<bool>>| {
            Block::List(List {
                ordered: false,
                start: 1,
                tight: true,
                items: vec![Vec::new(), Vec::new()],
                checked: checked.into(),
            })
        };
        let mut document = Document::new(
            Meta::default(),
            vec![
                list(vec![None, None]),
                list(vec![None, Some(true), Some(false)]),
                list(vec![None, None, Some(true)]),
                list(vec![Some(false)]),
            ],
        );
        document.canonicalize();
        let checked: Vec<Vec<Option<bool>>> = document
            .blocks
            .iter()
            .map(|b| match b {
                Block::List(list) => list.checked.to_vec(),
                _ => Vec::new(),
            })
            .collect();
        assert_eq!(
            checked,
            [vec![], vec![None, Some(true)], vec![], vec![Some(false)]]
        );
        if let Block::List(list) = &document.blocks[3] {
            assert_eq!((list.task(0), list.task(1)), (Some(false), None));
        }
    }

    #[test]
    fn heading_ids_are_unique_and_follow_the_github_convention() {
        let heading = |id: &str, text: &str| Block::Heading {
            level: 2,
            id: id.into(),
            content: vec![Inline::Text(text.to_string())],
        };
        let mut document = Document::new(
            Meta::default(),
            vec![
                heading("", "Notes"),
                heading("", "Notes"),
                heading("notes-1", "Mine"),
                heading("", "Notes"),
                heading("", "!!"),
                heading("", "??"),
                Block::Quote(vec![heading("", "Notes")]),
            ],
        );
        document.assign_heading_ids();
        let mut ids = Vec::new();
        walk::for_each_block_mut(&mut document.blocks, &mut |block| {
            if let Block::Heading { id, .. } = block {
                ids.push(id.to_string());
            }
        });
        assert_eq!(
            ids,
            [
                "notes",
                "notes-1",
                "notes-1-1",
                "notes-2",
                "section",
                "section-1",
                "notes-3"
            ]
        );
    }

    /// A large document is millions of these: a new variant with big fields inline (rather
    /// than boxed, as `Link`, `Image` and `Attr` are) would make every node pay for it.
    #[test]
    fn nodes_stay_small() {
        assert!(
            std::mem::size_of::<Inline>() <= 32,
            "{}",
            std::mem::size_of::<Inline>()
        );
        assert!(
            std::mem::size_of::<Block>() <= 48,
            "{}",
            std::mem::size_of::<Block>()
        );
        assert!(
            std::mem::size_of::<Cell>() <= 32,
            "{}",
            std::mem::size_of::<Cell>()
        );
    }
}
