//! Writing a document built in code that nests far deeper than any reader allows: every
//! writer's entry checks the depth once and fails with `TooDeep`, on a thread with a 2 MB
//! stack, and dropping such a document does not recurse either.

use quire::model::{Block, Inline, Meta, MAX_DEPTH};
use quire::write::{writer_for, WriteOptions};
use quire::{Document, Error, OutputFormat};

/// The output formats, every one.
const FORMATS: [OutputFormat; 6] = [
    OutputFormat::Markdown,
    OutputFormat::Html,
    OutputFormat::Text,
    OutputFormat::Json,
    OutputFormat::Epub,
    OutputFormat::Pdf,
];

/// `levels` quotes, one inside the other, around a paragraph, with a note (which nests
/// blocks in inlines) at every tenth level; built with a loop, never recursion.
fn deep_document(levels: usize) -> Document {
    let mut blocks = vec![Block::Paragraph(vec![Inline::text("bottom")])];
    for level in 0..levels {
        if level % 10 == 9 {
            blocks = vec![Block::Paragraph(vec![
                Inline::text("note"),
                Inline::Note(blocks),
            ])];
        } else {
            blocks = vec![Block::Quote(blocks)];
        }
    }
    Document::new(Meta::default(), blocks)
}

/// Runs `job` on a thread with a 2 MB stack, as an embedding program might.
fn on_small_stack(job: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(job)
        .expect("spawns")
        .join()
        .expect("the job did not panic or overflow");
}

#[test]
fn a_document_100000_levels_deep_is_an_error_in_every_format_on_a_2_mb_stack() {
    on_small_stack(|| {
        let document = deep_document(100_000);
        assert!(document.depth() > 100_000);
        let options = WriteOptions::default();
        for format in FORMATS {
            let written = quire::write(&document, format, &options);
            assert!(
                matches!(written, Err(Error::TooDeep { max: MAX_DEPTH })),
                "{format:?}: {:?}",
                written.map(|r| r.bytes.len())
            );
            let mut out = Vec::new();
            let streamed = quire::write_to(&document, format, &options, &mut out);
            assert!(
                matches!(streamed, Err(Error::TooDeep { .. })),
                "{format:?} streamed"
            );
            assert!(
                out.is_empty(),
                "{format:?}: nothing is written before the check"
            );
            // The writer itself, used through its trait, checks the same way.
            let direct = writer_for(format).write(&document, &options);
            assert!(
                matches!(direct, Err(Error::TooDeep { .. })),
                "{format:?} direct"
            );
        }
        drop(document);
    });
}

#[test]
fn a_deep_document_is_dropped_without_recursion() {
    on_small_stack(|| {
        // Inline nesting too: 100,000 emphases inside one another in a link in a paragraph.
        let mut inlines = vec![Inline::text("x")];
        for _ in 0..100_000 {
            inlines = vec![Inline::Emphasis(inlines)];
        }
        let document = Document::new(
            Meta::default(),
            vec![
                Block::Paragraph(vec![Inline::link("https://example.org/", None, inlines)]),
                deep_document(100_000).into_parts().1.remove(0),
            ],
        );
        drop(document);
    });
}

/// `levels` quotes, one inside the other, around a paragraph of text: `levels + 2` deep.
fn nested_quotes(levels: usize) -> Document {
    let mut blocks = vec![Block::Paragraph(vec![Inline::text("bottom")])];
    for _ in 0..levels {
        blocks = vec![Block::Quote(blocks)];
    }
    Document::new(Meta::default(), blocks)
}

#[test]
fn a_document_at_the_depth_limit_is_written_in_every_format() {
    // Depth counts blocks and inlines: a paragraph of text is 2, each quote adds 1.
    let document = nested_quotes(MAX_DEPTH - 2);
    assert_eq!(document.depth(), MAX_DEPTH);
    let options = WriteOptions::default();
    for format in FORMATS {
        let rendered =
            quire::write(&document, format, &options).unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert!(!rendered.bytes.is_empty(), "{format:?}");
    }
    let deeper = nested_quotes(MAX_DEPTH - 1);
    assert_eq!(deeper.depth(), MAX_DEPTH + 1);
    for format in FORMATS {
        assert!(
            matches!(
                quire::write(&deeper, format, &options),
                Err(Error::TooDeep { .. })
            ),
            "{format:?}"
        );
    }
}
