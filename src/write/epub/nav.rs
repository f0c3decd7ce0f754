//! The table of contents and the landmarks, written by quire from the prepared chapters: the
//! EPUB 3 navigation document (`nav.xhtml`) and the EPUB 2 NCX (`toc.ncx`), both from one
//! [`Contents`]. Each chapter's entry has its headings nested under it, down to
//! [`super::EpubOptions::toc_depth`] levels; an entry whose title runs the other way from
//! the book states its own direction ([`direction_apart`]).
//!
//! epub-builder writes the package document, whose manifest lists both files (`nav.xhtml`
//! with the `nav` property); its own versions of them are replaced by these when the zip is
//! rewritten.

use std::fmt::Write as _;

use crate::model::Direction;
use crate::prepare::toc::TocHeading;
use crate::xml::{escape_attr_into, escape_text_into};

/// One entry of the contents: a page or a place in one, its title, and the entries under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Where it leads (`chapter-1.xhtml`, `chapter-1.xhtml#costs`).
    pub href: String,
    /// Its title as the reader sees it (shortened already, not escaped).
    pub title: String,
    /// 1 for the book's own parts and pages; deeper entries nest under shallower ones.
    level: u8,
    pub children: Vec<Entry>,
}

/// The book's contents: its entries in reading order, nested by level.
#[derive(Debug, Default)]
pub(crate) struct Contents {
    pub entries: Vec<Entry>,
}

impl Contents {
    /// Adds an entry at `level`: under the last entry when that one is shallower (and, the
    /// same way, under its last child…), else after it. An entry with an empty title is left
    /// out: a link with no text names nothing.
    pub(crate) fn add(&mut self, href: &str, title: &str, level: u8) {
        if title.trim().is_empty() {
            return;
        }
        let mut list = &mut self.entries;
        while list.last().is_some_and(|last| level > last.level) {
            let last = list.len() - 1;
            list = &mut list[last].children;
        }
        list.push(Entry {
            href: href.to_string(),
            title: title.to_string(),
            level,
            children: Vec::new(),
        });
    }

    /// Adds the headings of the chapter in `file` (in document order) under its entry, added
    /// last at `level`, keeping those no deeper than `toc_depth`. A heading that skips levels
    /// hangs under the nearest shallower one, so the nesting is always valid.
    pub(crate) fn add_headings(
        &mut self,
        file: &str,
        level: u8,
        headings: &[TocHeading],
        toc_depth: u8,
    ) {
        for heading in headings.iter().filter(|h| h.depth <= toc_depth) {
            self.add(
                &format!("{file}#{}", heading.id),
                &heading.text,
                level.saturating_add(heading.depth),
            );
        }
    }

    /// How many levels deep the entries go (0 for none).
    fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack: Vec<(&Entry, usize)> = self.entries.iter().map(|e| (e, 1)).collect();
        while let Some((entry, depth)) = stack.pop() {
            deepest = deepest.max(depth);
            stack.extend(entry.children.iter().map(|c| (c, depth + 1)));
        }
        deepest
    }

    /// Every entry in reading order with how deep it is (0 at the top), each that has
    /// entries under it closed after its last descendant.
    fn walk(&self) -> Vec<Step<'_>> {
        let mut out = Vec::new();
        // The entries left at each open level, and below the top the depth of the entry
        // they nest under.
        let mut stack: Vec<(std::slice::Iter<Entry>, Option<usize>)> =
            vec![(self.entries.iter(), None)];
        while let Some((iter, _)) = stack.last_mut() {
            match iter.next() {
                Some(entry) => {
                    let depth = stack.len() - 1;
                    out.push(Step::Entry(entry, depth));
                    if !entry.children.is_empty() {
                        stack.push((entry.children.iter(), Some(depth)));
                    }
                }
                None => {
                    if let Some((_, Some(depth))) = stack.pop() {
                        out.push(Step::Close(depth));
                    }
                }
            }
        }
        out
    }
}

/// A step of [`Contents::walk`].
enum Step<'a> {
    /// An entry, at this depth.
    Entry(&'a Entry, usize),
    /// The end of the entries under the entry at this depth.
    Close(usize),
}

/// A landmark of the book (EPUB 3's `landmarks` nav): where its title page, body and
/// bibliography begin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Landmark {
    /// The `epub:type` it has (`titlepage`, `bodymatter`, `bibliography`).
    pub kind: &'static str,
    pub href: String,
    pub title: String,
}

/// What the navigation document and the NCX state about the book.
pub(crate) struct Book<'a> {
    /// The book's title, the NCX's `docTitle`.
    pub title: &'a str,
    /// The package identifier (`urn:uuid:…`), which the NCX repeats as `dtb:uid`.
    pub identifier: &'a str,
    /// The book's BCP 47 language tag.
    pub language: &'a str,
    /// The book's direction, stated on the navigation document as on the book's other pages;
    /// an entry written the other way states its own.
    pub direction: Option<Direction>,
    /// The name of the contents ("Contents", "Inhalt").
    pub toc_name: &'a str,
}

/// The direction `title` is written in, by its first strong letter, when that is not the
/// direction of what is around it (`around`; none: left to right): an English title in an
/// Arabic book, an Arabic one in an English book. Stating it keeps the title's punctuation
/// and a shortened title's "…" at its own end, and sets it apart (isolates it) from what is
/// around it. A title with no strong letter (a number) goes the way around it does.
pub(crate) fn direction_apart(title: &str, around: Option<Direction>) -> Option<Direction> {
    let own = match unicode_bidi::get_base_direction(title) {
        unicode_bidi::Direction::Ltr => Direction::Ltr,
        unicode_bidi::Direction::Rtl => Direction::Rtl,
        unicode_bidi::Direction::Mixed => return None,
    };
    (own != around.unwrap_or(Direction::Ltr)).then_some(own)
}

/// Appends ` dir="…"` for `title` when it runs the other way from `around`
/// ([`direction_apart`]).
pub(crate) fn push_dir_apart(title: &str, around: Option<Direction>, out: &mut String) {
    if let Some(dir) = direction_apart(title, around) {
        let _ = write!(out, " dir=\"{}\"", dir.as_str());
    }
}

/// A link to `href` titled `title`, with `attributes` (written as given) and its own
/// direction where it runs the other way from the book.
fn push_link(out: &mut String, attributes: &str, href: &str, title: &str, book: &Book) {
    out.push_str("<a");
    out.push_str(attributes);
    out.push_str(" href=\"");
    escape_attr_into(href, out);
    out.push('"');
    push_dir_apart(title, book.direction, out);
    out.push('>');
    escape_text_into(title, out);
    out.push_str("</a>");
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// The EPUB 3 navigation document: the contents as nested numbered lists, then the
/// landmarks.
pub(crate) fn nav_document(contents: &Contents, landmarks: &[Landmark], book: &Book) -> String {
    let mut out = String::with_capacity(1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    out.push_str(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"",
    );
    out.push_str(" lang=\"");
    escape_attr_into(book.language, &mut out);
    out.push_str("\" xml:lang=\"");
    escape_attr_into(book.language, &mut out);
    out.push('"');
    if let Some(dir) = book.direction {
        let _ = write!(out, " dir=\"{}\"", dir.as_str());
    }
    out.push_str(">\n<head>\n  <meta charset=\"utf-8\"/>\n");
    out.push_str("  <meta name=\"generator\" content=\"quire\"/>\n  <title>");
    escape_text_into(book.toc_name, &mut out);
    out.push_str(
        "</title>\n  <link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n",
    );
    out.push_str("</head>\n<body>\n  <nav epub:type=\"toc\" id=\"toc\">\n");
    out.push_str("    <h1 id=\"toc-title\">");
    escape_text_into(book.toc_name, &mut out);
    out.push_str("</h1>\n");
    if !contents.entries.is_empty() {
        out.push_str("    <ol>\n");
        // Each entry two deeper than its list; a list of entries nested in an `li` one more.
        for step in contents.walk() {
            match step {
                Step::Entry(entry, depth) => {
                    indent(&mut out, 3 + depth * 2);
                    if entry.children.is_empty() {
                        out.push_str("<li>");
                        push_link(&mut out, "", &entry.href, &entry.title, book);
                        out.push_str("</li>\n");
                    } else {
                        out.push_str("<li>\n");
                        indent(&mut out, 4 + depth * 2);
                        push_link(&mut out, "", &entry.href, &entry.title, book);
                        out.push('\n');
                        indent(&mut out, 4 + depth * 2);
                        out.push_str("<ol>\n");
                    }
                }
                Step::Close(depth) => {
                    indent(&mut out, 4 + depth * 2);
                    out.push_str("</ol>\n");
                    indent(&mut out, 3 + depth * 2);
                    out.push_str("</li>\n");
                }
            }
        }
        out.push_str("    </ol>\n");
    }
    out.push_str("  </nav>\n");
    if !landmarks.is_empty() {
        out.push_str("  <nav epub:type=\"landmarks\">\n    <ol>\n");
        for landmark in landmarks {
            out.push_str("      <li>");
            let kind = format!(" epub:type=\"{}\"", landmark.kind);
            push_link(&mut out, &kind, &landmark.href, &landmark.title, book);
            out.push_str("</li>\n");
        }
        out.push_str("    </ol>\n  </nav>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The EPUB 2 NCX: the same contents as navigation points, numbered in reading order.
pub(crate) fn ncx_document(contents: &Contents, book: &Book) -> String {
    let mut out = String::with_capacity(1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<ncx version=\"2005-1\" xmlns=\"http://www.daisy.org/z3986/2005/ncx/\">\n");
    out.push_str("  <head>\n    <meta name=\"dtb:uid\" content=\"");
    escape_attr_into(book.identifier, &mut out);
    let _ = writeln!(
        out,
        "\" />\n    <meta name=\"dtb:depth\" content=\"{}\" />",
        contents.depth().max(1)
    );
    out.push_str("    <meta name=\"dtb:totalPageCount\" content=\"0\" />\n");
    out.push_str("    <meta name=\"dtb:maxPageNumber\" content=\"0\" />\n  </head>\n");
    out.push_str("  <docTitle>\n    <text>");
    escape_text_into(book.title, &mut out);
    out.push_str("</text>\n  </docTitle>\n  <navMap>\n");
    let mut order = 0;
    for step in contents.walk() {
        match step {
            Step::Entry(entry, depth) => {
                order += 1;
                indent(&mut out, 2 + depth);
                let _ = writeln!(
                    out,
                    "<navPoint playOrder=\"{order}\" id=\"navPoint-{order}\">"
                );
                indent(&mut out, 3 + depth);
                out.push_str("<navLabel>\n");
                indent(&mut out, 3 + depth);
                out.push_str(" <text>");
                escape_text_into(entry.title.trim(), &mut out);
                out.push_str("</text>\n");
                indent(&mut out, 3 + depth);
                out.push_str("</navLabel>\n");
                indent(&mut out, 3 + depth);
                out.push_str("<content src=\"");
                escape_attr_into(&entry.href, &mut out);
                out.push_str("\"/>\n");
                if entry.children.is_empty() {
                    indent(&mut out, 2 + depth);
                    out.push_str("</navPoint>\n");
                }
            }
            Step::Close(depth) => {
                indent(&mut out, 2 + depth);
                out.push_str("</navPoint>\n");
            }
        }
    }
    out.push_str("  </navMap>\n</ncx>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(depth: u8, id: &str) -> TocHeading {
        TocHeading {
            depth,
            id: id.to_string(),
            text: id.to_uppercase(),
        }
    }

    fn shape(entries: &[Entry]) -> Vec<(String, Vec<String>)> {
        entries
            .iter()
            .map(|c| {
                (
                    c.href.clone(),
                    c.children.iter().map(|g| g.href.clone()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn nests_by_depth_and_stops_at_the_limit() {
        let headings = [
            heading(1, "a"),
            heading(3, "deep"),
            heading(2, "b"),
            heading(1, "c"),
            heading(2, "d"),
        ];
        let mut contents = Contents::default();
        contents.add("c.xhtml", "Chapter", 1);
        contents.add_headings("c.xhtml", 1, &headings, 2);
        assert_eq!(
            shape(&contents.entries[0].children),
            vec![
                ("c.xhtml#a".to_string(), vec!["c.xhtml#b".to_string()]),
                ("c.xhtml#c".to_string(), vec!["c.xhtml#d".to_string()]),
            ]
        );
        let mut flat = Contents::default();
        flat.add("c.xhtml", "Chapter", 1);
        flat.add_headings("c.xhtml", 1, &headings, 0);
        assert!(flat.entries[0].children.is_empty());
    }

    fn book(direction: Option<Direction>) -> Book<'static> {
        Book {
            title: "A & B",
            identifier: "urn:uuid:1",
            language: "en",
            direction,
            toc_name: "Contents",
        }
    }

    /// A book of two parts, the first with a chapter that has a heading, then the sources.
    fn parted() -> Contents {
        let mut contents = Contents::default();
        contents.add("title.xhtml", "Title page", 1);
        contents.add("part-1.xhtml", "News & Views", 1);
        contents.add("chapter-1.xhtml", "First", 2);
        contents.add_headings("chapter-1.xhtml", 2, &[heading(1, "costs")], 2);
        contents.add("chapter-2.xhtml", "Second", 2);
        contents.add("part-2.xhtml", "Log", 1);
        contents.add("chapter-3.xhtml", "Third", 2);
        contents.add("sources.xhtml", "Sources", 1);
        contents.add("nowhere.xhtml", " ", 1);
        contents
    }

    #[test]
    fn the_navigation_document_nests_the_entries_and_lists_the_landmarks() {
        let landmarks = [Landmark {
            kind: "bodymatter",
            href: "part-1.xhtml".into(),
            title: "News & Views".into(),
        }];
        let nav = nav_document(&parted(), &landmarks, &book(None));
        let expected = "    <ol>
      <li><a href=\"title.xhtml\">Title page</a></li>
      <li>
        <a href=\"part-1.xhtml\">News &amp; Views</a>
        <ol>
          <li>
            <a href=\"chapter-1.xhtml\">First</a>
            <ol>
              <li><a href=\"chapter-1.xhtml#costs\">COSTS</a></li>
            </ol>
          </li>
          <li><a href=\"chapter-2.xhtml\">Second</a></li>
        </ol>
      </li>
      <li>
        <a href=\"part-2.xhtml\">Log</a>
        <ol>
          <li><a href=\"chapter-3.xhtml\">Third</a></li>
        </ol>
      </li>
      <li><a href=\"sources.xhtml\">Sources</a></li>
    </ol>
  </nav>
  <nav epub:type=\"landmarks\">
    <ol>
      <li><a epub:type=\"bodymatter\" href=\"part-1.xhtml\">News &amp; Views</a></li>
    </ol>
  </nav>
";
        assert!(nav.contains(expected), "{nav}");
        assert!(nav.contains(" lang=\"en\" xml:lang=\"en\">"), "{nav}");
        assert!(!nav.contains("nowhere"), "{nav}");
    }

    /// Each entry states its own direction where it is not the book's, set directly on the
    /// link, the landmarks' too; the page states the book's.
    #[test]
    fn entries_written_the_other_way_state_their_direction() {
        let mut contents = Contents::default();
        contents.add("chapter-1.xhtml", "Hello, world!", 1);
        contents.add("chapter-2.xhtml", "الميناء في الشتاء", 1);
        contents.add_headings(
            "chapter-2.xhtml",
            1,
            &[TocHeading {
                depth: 1,
                id: "waves".into(),
                text: "الأمواج".into(),
            }],
            2,
        );
        contents.add("chapter-3.xhtml", "2024", 1);
        let landmarks = [Landmark {
            kind: "bodymatter",
            href: "chapter-1.xhtml".into(),
            title: "Hello, world!".into(),
        }];
        let english = nav_document(&contents, &landmarks, &book(None));
        for expected in [
            "<a href=\"chapter-1.xhtml\">Hello, world!</a>",
            "<a href=\"chapter-2.xhtml\" dir=\"rtl\">الميناء في الشتاء</a>",
            "<a href=\"chapter-2.xhtml#waves\" dir=\"rtl\">الأمواج</a>",
            "<a href=\"chapter-3.xhtml\">2024</a>",
        ] {
            assert!(english.contains(expected), "{expected}\n{english}");
        }
        assert!(!english.contains("<html dir"), "{english}");
        let arabic = nav_document(&contents, &landmarks, &book(Some(Direction::Rtl)));
        for expected in [
            "xml:lang=\"en\" dir=\"rtl\">",
            "<a href=\"chapter-1.xhtml\" dir=\"ltr\">Hello, world!</a>",
            "<a href=\"chapter-2.xhtml\">الميناء في الشتاء</a>",
            "<a href=\"chapter-3.xhtml\">2024</a>",
            "<a epub:type=\"bodymatter\" href=\"chapter-1.xhtml\" dir=\"ltr\">Hello, world!</a>",
        ] {
            assert!(arabic.contains(expected), "{expected}\n{arabic}");
        }
    }

    #[test]
    fn the_ncx_numbers_the_same_entries_in_reading_order() {
        let ncx = ncx_document(&parted(), &book(None));
        assert!(ncx.contains("<meta name=\"dtb:uid\" content=\"urn:uuid:1\" />"));
        assert!(
            ncx.contains("<meta name=\"dtb:depth\" content=\"3\" />"),
            "{ncx}"
        );
        assert!(
            ncx.contains("<docTitle>\n    <text>A &amp; B</text>"),
            "{ncx}"
        );
        let expected = "    <navPoint playOrder=\"2\" id=\"navPoint-2\">
      <navLabel>
       <text>News &amp; Views</text>
      </navLabel>
      <content src=\"part-1.xhtml\"/>
      <navPoint playOrder=\"3\" id=\"navPoint-3\">
        <navLabel>
         <text>First</text>
        </navLabel>
        <content src=\"chapter-1.xhtml\"/>
        <navPoint playOrder=\"4\" id=\"navPoint-4\">
          <navLabel>
           <text>COSTS</text>
          </navLabel>
          <content src=\"chapter-1.xhtml#costs\"/>
        </navPoint>
      </navPoint>
      <navPoint playOrder=\"5\" id=\"navPoint-5\">
        <navLabel>
         <text>Second</text>
        </navLabel>
        <content src=\"chapter-2.xhtml\"/>
      </navPoint>
    </navPoint>
    <navPoint playOrder=\"6\" id=\"navPoint-6\">";
        assert!(ncx.contains(expected), "{ncx}");
        assert!(ncx.contains("playOrder=\"8\" id=\"navPoint-8\""), "{ncx}");
        assert!(!ncx.contains("playOrder=\"9\""), "{ncx}");
        let opened = ncx.matches("<navPoint ").count();
        assert_eq!(opened, ncx.matches("</navPoint>").count(), "{ncx}");
    }
}
