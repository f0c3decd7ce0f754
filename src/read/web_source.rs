//! What a document of a text format (Markdown, plain text) takes from the web address it was
//! read from. A README fetched by its URL names that address as its source, and its relative
//! links and images (`docs/shot.png`, `../LICENSE`) point beside it on the web, where they
//! are, not beside the reader's own files. HTML resolves its references itself, against its
//! `<base>` as well.

use super::html::urls::Resolver;
use crate::model::url::{is_allowed, UrlUse};
use crate::model::{for_each_image_mut, rewrite_links, Block, Meta};

/// Resolves the relative references of `blocks` (link targets, image sources, the lead
/// image) against `source_url` when it is a web address, and makes it the source when the
/// document states none of its own. References that are absolute already, or point into the
/// document (`#notes`), are left as written, and so is what the URL policy refuses
/// (`icu_calendar::Date`), which the sanitizer then makes text as it does for a file.
pub(crate) fn resolve_against(meta: &mut Meta, blocks: &mut [Block], source_url: Option<&str>) {
    let resolver = Resolver::new(None, source_url);
    if !resolver.has_base() {
        return;
    }
    if meta.source_url.is_none() {
        meta.source_url = source_url.map(|url| url.trim().to_string());
    }
    let resolve = |reference: &str, use_: UrlUse| -> Option<String> {
        let relative = matches!(
            url::Url::parse(reference.trim()),
            Err(url::ParseError::RelativeUrlWithoutBase)
        );
        (relative && !reference.trim().starts_with('#') && is_allowed(reference, use_))
            .then(|| resolver.resolve(reference))
    };
    rewrite_links(blocks, &mut |url| resolve(url, UrlUse::Link));
    for_each_image_mut(blocks, &mut |image| {
        if let Some(src) = resolve(&image.src, UrlUse::Image) {
            image.src = src;
        }
    });
    if let Some(lead) = meta.lead_image.as_mut() {
        if let Some(resolved) = resolve(lead, UrlUse::Image) {
            *lead = resolved;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Figure, Image, Inline};

    fn image(src: &str) -> Image {
        Image {
            src: src.into(),
            ..Image::default()
        }
    }

    fn sample() -> (Meta, Vec<Block>) {
        let blocks = vec![
            Block::Paragraph(vec![
                Inline::link("other.md", None, vec![Inline::text("other")]),
                Inline::link("/root.html", None, vec![Inline::text("root")]),
                Inline::link("#notes", None, vec![Inline::text("notes")]),
                Inline::link("https://example.com/x", None, vec![Inline::text("x")]),
                Inline::link("icu_calendar::Date", None, vec![Inline::text("Date")]),
                Inline::image(image("img/a.png")),
                Inline::image(image("data:image/gif;base64,R0lGOD")),
            ]),
            Block::Figure(Box::new(Figure {
                image: image("../shots/b.png"),
                caption: vec![Inline::link("c d.html", None, vec![Inline::text("c")])],
            })),
        ];
        let meta = Meta {
            lead_image: Some("cover.jpg".into()),
            ..Meta::default()
        };
        (meta, blocks)
    }

    fn urls(blocks: &[Block]) -> Vec<String> {
        let mut found = Vec::new();
        crate::model::for_each_block(blocks, &mut |block| {
            let inlines = match block {
                Block::Paragraph(inlines) => inlines.as_slice(),
                Block::Figure(figure) => {
                    found.push(figure.image.src.clone());
                    figure.caption.as_slice()
                }
                _ => &[],
            };
            for inline in inlines {
                match inline {
                    Inline::Link(link) => found.push(link.url.clone()),
                    Inline::Image(image) => found.push(image.src.clone()),
                    _ => {}
                }
            }
        });
        found
    }

    #[test]
    fn references_resolve_beside_the_file_on_the_web() {
        let (mut meta, mut blocks) = sample();
        let source = "https://example.org/project/docs/README.md";
        resolve_against(&mut meta, &mut blocks, Some(source));
        assert_eq!(
            urls(&blocks),
            [
                "https://example.org/project/docs/other.md",
                "https://example.org/root.html",
                "#notes",
                "https://example.com/x",
                // Refused by the policy: left for the sanitizer, not made a dead link.
                "icu_calendar::Date",
                "https://example.org/project/docs/img/a.png",
                "data:image/gif;base64,R0lGOD",
                "https://example.org/project/shots/b.png",
                "https://example.org/project/docs/c%20d.html",
            ]
        );
        assert_eq!(meta.source_url.as_deref(), Some(source));
        assert_eq!(
            meta.lead_image.as_deref(),
            Some("https://example.org/project/docs/cover.jpg")
        );
    }

    #[test]
    fn a_file_read_from_disk_or_a_stated_source_is_left_as_it_is() {
        for source in [
            None,
            Some("notes/README.md"),
            Some("file:///home/a/README.md"),
        ] {
            let (mut meta, mut blocks) = sample();
            let before = urls(&blocks);
            resolve_against(&mut meta, &mut blocks, source);
            assert_eq!(urls(&blocks), before, "{source:?}");
            assert_eq!(meta.source_url, None);
        }
        // The document's own statement of its source stands; references still resolve
        // where the file was found.
        let (mut meta, mut blocks) = sample();
        meta.source_url = Some("https://blog.example.net/post".into());
        resolve_against(&mut meta, &mut blocks, Some("https://example.org/a/b.md"));
        assert_eq!(
            meta.source_url.as_deref(),
            Some("https://blog.example.net/post")
        );
        assert_eq!(urls(&blocks)[0], "https://example.org/a/other.md");
    }
}

#[cfg(test)]
mod reader_tests {
    use crate::{InputFormat, ReadOptions};

    /// Both text formats name the web address they were read from, and the Markdown
    /// reader's references resolve against it (the text reader's links are all absolute).
    #[test]
    fn text_formats_read_from_the_web_name_their_address_and_resolve_against_it() {
        let options = ReadOptions {
            source_url: Some("https://example.org/a/notes.md".into()),
            ..ReadOptions::default()
        };
        let markdown = b"# Notes\n\n[Next](b.md) and ![map](img/map.png).\n";
        let read = crate::read(markdown, InputFormat::Markdown, &options).unwrap();
        let json = serde_json::to_string(&read.document).unwrap();
        assert!(json.contains("\"https://example.org/a/b.md\""), "{json}");
        assert!(
            json.contains("\"https://example.org/a/img/map.png\""),
            "{json}"
        );
        assert_eq!(
            read.document.meta.source_url.as_deref(),
            Some("https://example.org/a/notes.md")
        );
        let text = b"Notes\n\nA paragraph of the article, long enough to be one.\n";
        let read = crate::read(text, InputFormat::Text, &options).unwrap();
        assert_eq!(
            read.document.meta.source_url.as_deref(),
            Some("https://example.org/a/notes.md")
        );
        // A file's path is not a source.
        let options = ReadOptions {
            source_url: Some("notes/a.md".into()),
            ..ReadOptions::default()
        };
        let read = crate::read(markdown, InputFormat::Markdown, &options).unwrap();
        assert_eq!(read.document.meta.source_url, None);
        let json = serde_json::to_string(&read.document).unwrap();
        assert!(json.contains("\"b.md\""), "{json}");
    }
}
