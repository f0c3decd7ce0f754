//! The table of contents: each chapter's entry with its headings nested under it, down to
//! [`super::EpubOptions::toc_depth`] levels. epub-builder writes it twice, as the EPUB 3 nav
//! document and as the EPUB 2 NCX.

use epub_builder::TocElement;

use crate::prepare::toc::TocHeading;

/// Nests `headings` (in document order) under `entry`, the chapter's own entry, keeping those
/// no deeper than `toc_depth`. A heading that skips levels hangs under the nearest shallower
/// one, so the nesting is always valid.
pub(crate) fn add_headings(
    entry: &mut TocElement,
    file: &str,
    headings: &[TocHeading],
    toc_depth: u8,
) {
    for heading in headings.iter().filter(|h| h.depth <= toc_depth) {
        let element = TocElement::new(format!("{file}#{}", heading.id), heading.text.clone())
            .level(entry.level + i32::from(heading.depth));
        entry.add(element);
    }
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

    #[test]
    fn nests_by_depth_and_stops_at_the_limit() {
        let mut entry = TocElement::new("c.xhtml", "Chapter");
        let headings = [
            heading(1, "a"),
            heading(3, "deep"),
            heading(2, "b"),
            heading(1, "c"),
            heading(2, "d"),
        ];
        add_headings(&mut entry, "c.xhtml", &headings, 2);
        let shape: Vec<(String, Vec<String>)> = entry
            .children
            .iter()
            .map(|c| {
                (
                    c.url.clone(),
                    c.children.iter().map(|g| g.url.clone()).collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                ("c.xhtml#a".to_string(), vec!["c.xhtml#b".to_string()]),
                ("c.xhtml#c".to_string(), vec!["c.xhtml#d".to_string()]),
            ]
        );
        let mut flat = TocElement::new("c.xhtml", "Chapter");
        add_headings(&mut flat, "c.xhtml", &headings, 0);
        assert!(flat.children.is_empty());
    }
}
