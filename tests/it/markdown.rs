//! The Markdown reader and writer: construct-by-construct mapping, escaping, front matter,
//! and the round trip (model → Markdown → model) as a property.

use quire::model::{
    normalize_inlines, Alignment, Block, Cell, Direction, Document, Figure, Image, Inline, List,
    Meta, Row, Table,
};
use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};

fn read_md(text: &str) -> Document {
    quire::read(text.as_bytes(), InputFormat::Markdown, &ReadOptions::default())
        .expect("markdown reads")
        .document
}

fn blocks(text: &str) -> Vec<Block> {
    read_md(text).blocks
}

fn write_md(doc: &Document) -> String {
    let rendered = quire::write(doc, OutputFormat::Markdown, &WriteOptions::default())
        .expect("markdown writes");
    String::from_utf8(rendered.bytes).expect("utf-8")
}

/// The body a document of these blocks is written as (no metadata, so no front matter).
fn write_blocks(blocks: Vec<Block>) -> String {
    write_md(&Document::new(Meta::default(), blocks))
}

fn t(s: &str) -> Inline {
    Inline::text(s)
}

fn p(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(inlines)
}

fn pt(s: &str) -> Block {
    p(vec![t(s)])
}

mod roundtrip {
    use super::*;
    use proptest::prelude::*;

    fn text_strategy() -> impl Strategy<Value = String> {
        proptest::string::string_regex(
            "[a-z0-9 *_`\\[\\]<>&#!|~\\\\+.=:(){}^\"'é«»—\u{a0}-]{1,10}",
        )
        .expect("regex")
    }

    fn url_strategy() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("https://example.com/a".to_string()),
            Just("https://example.com/a b".to_string()),
            Just("/p(1)".to_string()),
            Just("x.png".to_string()),
            Just("https://e.org/?a=1&amp;b".to_string()),
            Just("".to_string()),
        ]
    }

    fn title_strategy() -> impl Strategy<Value = Option<String>> {
        prop_oneof![
            Just(None),
            Just(Some("A \"title\"".to_string())),
            Just(Some("t\\&amp;".to_string())),
        ]
    }

    /// Inlines for link text and captions: no links (they cannot nest) and no notes.
    fn plain_inline() -> impl Strategy<Value = Inline> {
        let leaf = prop_oneof![
            4 => text_strategy().prop_map(Inline::Text),
            1 => "[a-z `]{1,5}".prop_map(Inline::Code),
        ];
        leaf.prop_recursive(3, 12, 3, |inner| {
            let run = prop::collection::vec(inner, 1..3);
            prop_oneof![
                run.clone().prop_map(Inline::Emphasis),
                run.clone().prop_map(Inline::Strong),
                run.clone().prop_map(Inline::Strikethrough),
                run.clone().prop_map(Inline::Superscript),
                run.prop_map(Inline::Subscript),
            ]
        })
    }

    fn inline() -> impl Strategy<Value = Inline> {
        let leaf = prop_oneof![
            6 => text_strategy().prop_map(Inline::Text),
            1 => "[a-z `|]{1,5}".prop_map(Inline::Code),
            1 => Just(Inline::LineBreak),
            1 => (url_strategy(), "[a-z *]{0,5}", title_strategy()).prop_map(|(src, alt, title)| {
                Inline::Image(Image { src, alt: quire::model::collapse_whitespace(alt.trim()), title })
            }),
            1 => text_strategy().prop_map(|s| {
                let mut run = normalize_inlines(vec![Inline::Text(s)]);
                if run.is_empty() {
                    run.push(Inline::text("n"));
                }
                Inline::Note(vec![Block::Paragraph(run)])
            }),
            1 => Just(Inline::Link {
                url: "https://example.com".into(),
                title: None,
                content: vec![Inline::text("https://example.com")],
            }),
        ];
        leaf.prop_recursive(3, 16, 3, |inner| {
            let run = prop::collection::vec(inner, 1..3);
            prop_oneof![
                run.clone().prop_map(Inline::Emphasis),
                run.clone().prop_map(Inline::Strong),
                run.clone().prop_map(Inline::Strikethrough),
                run.clone().prop_map(Inline::Superscript),
                run.prop_map(Inline::Subscript),
                (url_strategy(), title_strategy(), prop::collection::vec(plain_inline(), 1..3))
                    .prop_map(|(url, title, content)| Inline::Link { url, title, content }),
            ]
        })
    }

    /// What a reader would make of a run: normalised, no line breaks at the edges, and never
    /// a lone image (that would be a figure).
    fn paragraph_run(inlines: Vec<Inline>) -> Vec<Inline> {
        let mut run = normalize_inlines(inlines);
        loop {
            let before = run.len();
            while matches!(run.last(), Some(Inline::LineBreak)) {
                run.pop();
            }
            while matches!(run.first(), Some(Inline::LineBreak)) {
                run.remove(0);
            }
            run = normalize_inlines(run);
            if run.len() == before {
                break;
            }
        }
        if matches!(run.as_slice(), [Inline::Image(_)]) {
            run.push(Inline::text(" x"));
            run = normalize_inlines(run);
        }
        run
    }

    fn paragraph() -> impl Strategy<Value = Block> {
        prop::collection::vec(inline(), 1..5)
            .prop_map(paragraph_run)
            .prop_filter("non-empty", |run| !run.is_empty())
            .prop_map(Block::Paragraph)
    }

    fn leaf_block() -> impl Strategy<Value = Block> {
        prop_oneof![
            6 => paragraph(),
            2 => (1u8..=6, prop::collection::vec(inline(), 0..3)).prop_map(|(level, content)| {
                Block::Heading { level, id: String::new(), content: paragraph_run(content) }
            }),
            2 => (
                prop_oneof![Just(None), Just(Some("rust".to_string())), Just(Some("c++".to_string()))],
                "[a-z `~ #>*-]{0,8}(\n[a-z `~ #>*-]{0,8}){0,3}",
            )
                .prop_map(|(language, text)| Block::Code { language, text }),
            1 => Just(Block::Rule),
            1 => (url_strategy(), title_strategy(), prop::collection::vec(plain_inline(), 0..3)).prop_map(
                |(src, title, caption)| {
                    let caption = normalize_inlines(caption);
                    let alt = quire::model::inlines_to_plain(&caption);
                    Block::Figure(Box::new(Figure { image: Image { src, alt, title }, caption }))
                }
            ),
            1 => table(),
        ]
    }

    fn table() -> impl Strategy<Value = Block> {
        (1usize..4).prop_flat_map(|columns| {
            let cell = prop::collection::vec(plain_inline(), 0..3)
                .prop_map(|inl| Cell::from_inlines(normalize_inlines(inl)));
            let row = prop::collection::vec(cell, columns)
                .prop_map(|cells| Row { cells })
                .boxed();
            let alignment = prop_oneof![
                Just(Alignment::Default),
                Just(Alignment::Left),
                Just(Alignment::Center),
                Just(Alignment::Right)
            ];
            (
                prop::collection::vec(alignment, columns),
                row.clone(),
                prop::collection::vec(row, 0..3),
            )
                .prop_map(|(alignments, head, body)| {
                    Block::Table(Box::new(Table {
                        caption: Vec::new(),
                        alignments,
                        head: vec![head],
                        body,
                    }))
                })
        })
    }

    fn block() -> impl Strategy<Value = Block> {
        leaf_block().prop_recursive(3, 24, 4, |inner| {
            let tight_item = (paragraph(), prop::option::of(inner.clone())).prop_map(|(para, sub)| {
                let mut item = vec![para];
                if let Some(Block::List(list)) = sub {
                    if !list.ordered || list.start == 1 {
                        item.push(Block::List(list));
                    }
                }
                item
            });
            let loose_item = (paragraph(), prop::collection::vec(inner.clone(), 0..2))
                .prop_map(|(para, rest)| {
                    let mut item = vec![para];
                    item.extend(rest);
                    item
                });
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..3).prop_map(Block::Quote),
                (any::<bool>(), 0u32..12, prop::collection::vec(tight_item, 1..4)).prop_map(
                    |(ordered, start, items)| Block::List(List {
                        ordered,
                        start: if ordered { start } else { 1 },
                        tight: true,
                        items
                    })
                ),
                (any::<bool>(), 0u32..12, prop::collection::vec(loose_item, 2..4)).prop_map(
                    |(ordered, start, items)| Block::List(List {
                        ordered,
                        start: if ordered { start } else { 1 },
                        tight: false,
                        items
                    })
                ),
            ]
        })
    }

    fn document() -> impl Strategy<Value = Document> {
        (text_strategy(), prop::collection::vec(block(), 0..5)).prop_map(|(title, blocks)| {
            let title = quire::model::collapse_whitespace(title.trim());
            let meta = Meta {
                title: Some(if title.is_empty() { "T".into() } else { title }),
                language: Some("en".into()),
                ..Meta::default()
            };
            let mut doc = Document::new(meta, blocks);
            doc.assign_heading_ids();
            doc
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]
        #[test]
        fn write_then_read_gives_the_same_document(doc in document()) {
            let markdown = write_md(&doc);
            let back = read_md(&markdown);
            if back != doc {
                let want = serde_json::to_string(&doc).unwrap_or_default();
                let got = serde_json::to_string(&back).unwrap_or_default();
                prop_assert!(false, "markdown was:\n{}\nwant {}\ngot  {}", markdown, want, got);
            }
        }
    }
}
