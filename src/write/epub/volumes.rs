//! A bundle too large for its destination (Send to Kindle takes 50 MB) written as volumes:
//! each a complete book of consecutive chapters, with its own title ("Weekly (1/3)"),
//! cover, contents and a note on its title page saying which volume it is.
//!
//! Chapters are never split. Each chapter's share of the size is measured by writing it as a
//! book alone; volumes are then filled in order, and one that still comes out over the limit
//! is split further. A single chapter larger than the limit becomes a volume of its own, over
//! the limit, with a warning.

use super::{write_book, Book, CoverChoice};
use crate::error::{Result, Warning};
use crate::write::{Rendered, WriteOptions};

/// The book as one file when it is at most `limit` bytes, else as volumes each at most
/// `limit` bytes where the chapters allow, in order.
pub fn write_book_volumes(
    book: &Book,
    options: &WriteOptions,
    limit: u64,
) -> Result<Vec<Rendered>> {
    let whole = write_book(book, options)?;
    if whole.bytes.len() as u64 <= limit || book.chapters.len() < 2 {
        let mut whole = whole;
        if whole.bytes.len() as u64 > limit {
            whole
                .warnings
                .push(too_large_warning(whole.bytes.len(), limit, None));
        }
        return Ok(vec![whole]);
    }
    // Each chapter's size alone (without a cover, which every volume has once).
    let mut alone_options = options.clone();
    alone_options.epub.cover = CoverChoice::None;
    let mut sizes = Vec::with_capacity(book.chapters.len());
    for index in 0..book.chapters.len() {
        sizes.push(
            write_book(&volume_of(book, index..index + 1, None), &alone_options)?
                .bytes
                .len() as u64,
        );
    }
    // What a book of no chapter costs (the package, the title page, the cover), measured as
    // the whole book's size beyond its chapters' sum, at least nothing.
    let overhead = (whole.bytes.len() as u64).saturating_sub(sizes.iter().sum());
    let mut groups = fill(&sizes, limit.saturating_sub(overhead).max(1));
    // A volume that still comes out too large is split in two, and the volumes are written
    // again (their titles count the volumes).
    loop {
        let count = groups.len();
        let mut volumes = Vec::with_capacity(count);
        let mut split = None;
        for (number, range) in groups.iter().enumerate() {
            let volume = volume_of(book, range.clone(), Some((number + 1, count)));
            let rendered = write_book(&volume, options)?;
            if rendered.bytes.len() as u64 > limit && range.len() > 1 {
                split = Some(number);
                break;
            }
            volumes.push(rendered);
        }
        match split {
            Some(number) => {
                let range = groups[number].clone();
                let middle = range.start + range.len() / 2;
                groups.splice(number..=number, [range.start..middle, middle..range.end]);
            }
            None => {
                for (number, volume) in volumes.iter_mut().enumerate() {
                    if volume.bytes.len() as u64 > limit {
                        let size = volume.bytes.len();
                        volume
                            .warnings
                            .push(too_large_warning(size, limit, Some(number + 1)));
                    }
                }
                return Ok(volumes);
            }
        }
    }
}

fn too_large_warning(size: usize, limit: u64, volume: Option<usize>) -> Warning {
    let what = volume.map_or_else(|| "the book".to_string(), |n| format!("volume {n}"));
    Warning::new(format!(
        "{what} is {size} bytes, over the limit of {limit}: one chapter is that large alone"
    ))
}

/// Consecutive chapters, filled in order up to `room` bytes each (at least one chapter).
fn fill(sizes: &[u64], room: u64) -> Vec<std::ops::Range<usize>> {
    let mut groups = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (index, size) in sizes.iter().enumerate() {
        if index > start && used + size > room {
            groups.push(start..index);
            start = index;
            used = 0;
        }
        used += size;
    }
    groups.push(start..sizes.len());
    groups
}

/// The book of chapters `range`; `volume` (number, count) titles it as a volume and puts a
/// note saying so, in the book's language, first in its description, which the title page
/// shows.
pub(super) fn volume_of(
    book: &Book,
    range: std::ops::Range<usize>,
    volume: Option<(usize, usize)>,
) -> Book {
    let mut meta = book.meta.clone();
    if let Some((number, count)) = volume {
        // A bundle named nothing is called what the whole book would be, in its language
        // (the book's, else its first article's, as the book's language is decided).
        let language = meta.language.as_deref().or_else(|| {
            book.chapters
                .iter()
                .find_map(|c| c.meta.language.as_deref())
        });
        let labels = crate::locale::Labels::for_language(language);
        let title = meta.title.as_deref().unwrap_or(labels.collected_articles);
        meta.title = Some(format!("{title} ({number}/{count})"));
        // The note is the book's words, in its language.
        let note = labels.volume(
            number,
            count,
            range.start + 1..=range.end.max(range.start + 1),
            book.chapters.len(),
        );
        meta.description = Some(match meta.description.as_deref().map(str::trim) {
            Some(description) if !description.is_empty() => format!("{note} {description}"),
            _ => note,
        });
    }
    let pick = |i: usize| i >= range.start && i < range.end;
    Book {
        meta,
        chapters: book.chapters[range.clone()].to_vec(),
        resource_dirs: (0..book.chapters.len())
            .filter(|&i| pick(i))
            .map(|i| book.resource_dirs.get(i).cloned().flatten())
            .collect(),
        origins: (0..book.chapters.len())
            .filter(|&i| pick(i))
            .map(|i| book.origins.get(i).copied().unwrap_or_default())
            .collect(),
        files: (0..book.chapters.len())
            .filter(|&i| pick(i))
            .map(|i| book.files.get(i).cloned().flatten())
            .collect(),
        // A part split between volumes starts again, under its title, in the next one.
        sections: book
            .sections
            .iter()
            .enumerate()
            .filter_map(|(n, section)| {
                let end = book
                    .sections
                    .get(n + 1)
                    .map_or(book.chapters.len(), |next| next.first_chapter);
                let first = section.first_chapter.max(range.start);
                (first < end.min(range.end)).then(|| super::Section {
                    title: section.title.clone(),
                    first_chapter: first - range.start,
                })
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chapters_fill_volumes_in_order() {
        assert_eq!(fill(&[4, 4, 4, 4], 8), vec![0..2, 2..4]);
        assert_eq!(fill(&[4, 9, 1], 8), vec![0..1, 1..2, 2..3]);
        assert_eq!(fill(&[1, 1, 1], 8), vec![0..3]);
    }

    /// A volume of a bundle named nothing is titled in its articles' language: it was
    /// "Collected articles (1/2)" in every book, while the book it was split from was not.
    #[test]
    fn a_volume_of_an_untitled_bundle_is_titled_in_its_language() {
        let chapter = |language: &str| {
            crate::model::Document::new(
                crate::model::Meta {
                    language: Some(language.into()),
                    ..Default::default()
                },
                Vec::new(),
            )
        };
        let book = Book {
            meta: crate::model::Meta::default(),
            chapters: vec![chapter("de"), chapter("de")],
            resource_dirs: Vec::new(),
            origins: Vec::new(),
            files: Vec::new(),
            sections: Vec::new(),
        };
        let volume = volume_of(&book, 0..1, Some((1, 2)));
        assert_eq!(
            volume.meta.title.as_deref(),
            Some("Gesammelte Artikel (1/2)")
        );
    }

    /// The note on a volume's title page is in the book's language: it was English ("Volume 1
    /// of 2: articles 1–2 of 3.") in every book.
    #[test]
    fn a_volumes_note_is_in_its_language() {
        let chapter = |language: &str| {
            crate::model::Document::new(
                crate::model::Meta {
                    language: Some(language.into()),
                    ..Default::default()
                },
                Vec::new(),
            )
        };
        let book = |language: &str| Book {
            meta: crate::model::Meta {
                title: Some("Lektüre".into()),
                description: Some("Woche 49.".into()),
                ..Default::default()
            },
            chapters: vec![chapter(language), chapter(language), chapter(language)],
            resource_dirs: Vec::new(),
            origins: Vec::new(),
            files: Vec::new(),
            sections: Vec::new(),
        };
        let description = |language: &str, range, volume| {
            volume_of(&book(language), range, Some(volume))
                .meta
                .description
        };
        assert_eq!(
            description("de", 0..2, (1, 2)).as_deref(),
            Some("Band 1 von 2: Artikel 1–2 von 3. Woche 49.")
        );
        assert_eq!(
            description("de", 2..3, (2, 2)).as_deref(),
            Some("Band 2 von 2: Artikel 3 von 3. Woche 49.")
        );
        assert_eq!(
            description("en", 0..2, (1, 2)).as_deref(),
            Some("Volume 1 of 2: articles 1–2 of 3. Woche 49.")
        );
        assert_eq!(
            description("ar", 2..3, (2, 2)).as_deref(),
            Some("المجلد 2 من 2: المقالة 3 من 3. Woche 49.")
        );
    }
}
