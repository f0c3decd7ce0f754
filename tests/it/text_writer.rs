//! The plain-text writer: exact output for every block and inline kind, the header lines,
//! footnotes, tables, wrapping, and the single final newline.

use super::html_writer::{para, rich_document, t};
use quire::model::{
    Alignment, Attr, Block, Cell, Document, Figure, Image, Inline, List, Meta, Row, Table,
};
use quire::write::text::TextWriter;
use quire::write::{WriteOptions, Writer};

fn text_with(document: &Document, width: Option<usize>) -> String {
    let options = WriteOptions {
        text_width: width,
        ..WriteOptions::default()
    };
    let rendered = TextWriter.write(document, &options).expect("text writes");
    String::from_utf8(rendered.bytes).expect("utf-8")
}

fn text_of(blocks: Vec<Block>) -> String {
    text_with(&Document::new(Meta::default(), blocks), None)
}

#[test]
fn header_lines_then_blank_line() {
    let document = Document::new(
        Meta {
            title: Some("The Title".into()),
            subtitle: Some("A subtitle".into()),
            authors: vec!["Ann".into(), "Bob".into()],
            published: quire::model::Date::parse_iso("2024-05-01"),
            site_name: Some("Not shown".into()),
            ..Meta::default()
        },
        vec![para(vec![t("Body.")])],
    );
    assert_eq!(
        text_with(&document, None),
        "The Title\nA subtitle\nBy Ann and Bob\n1 May 2024\n\nBody.\n"
    );
}

#[test]
fn inline_kinds_become_their_text() {
    assert_eq!(
        text_of(vec![para(vec![
            Inline::Emphasis(vec![t("em")]),
            t(" "),
            Inline::Strong(vec![t("strong")]),
            t(" "),
            Inline::Strikethrough(vec![t("del")]),
            t(" x"),
            Inline::Superscript(vec![t("2")]),
            t(" H"),
            Inline::Subscript(vec![t("2")]),
            t("O "),
            Inline::Code("a<b".into()),
            t(" "),
            Inline::Link(Box::new(quire::model::Link {
                url: "https://example.org".into(),
                title: Some("title".into()),
                content: vec![t("link text")],
            })),
            t(" "),
            Inline::Image(Box::new(Image {
                src: "a.png".into(),
                alt: "alt text".into(),
                title: None,
                ..Default::default()
            })),
            t(" "),
            Inline::Span {
                attr: Box::new(Attr::default()),
                content: vec![t("span")],
            },
            Inline::LineBreak,
            t("next line \u{7}bell"),
        ])]),
        "em strong del x² H₂O a<b link text [alt text] span\nnext line bell\n"
    );
}

#[test]
fn headings_are_underlined_at_levels_one_and_two() {
    assert_eq!(
        text_of(vec![
            Block::Heading {
                level: 1,
                id: "a".into(),
                content: vec![t("Größe")],
            },
            Block::Heading {
                level: 2,
                id: "b".into(),
                content: vec![t("Second")],
            },
            Block::Heading {
                level: 3,
                id: "c".into(),
                content: vec![t("Third")],
            },
            para(vec![t("p")]),
        ]),
        "Größe\n=====\n\nSecond\n------\n\nThird\n\np\n"
    );
}

#[test]
fn lists_nest_with_indentation() {
    let nested = Block::List(List {
        checked: Default::default(),
        ordered: false,
        start: 1,
        tight: true,
        items: vec![vec![para(vec![t("inner")])]],
    });
    assert_eq!(
        text_of(vec![
            Block::List(List {
                checked: Default::default(),
                ordered: false,
                start: 1,
                tight: true,
                items: vec![vec![para(vec![t("a")]), nested], vec![para(vec![t("b")])]],
            }),
            Block::List(List {
                checked: Default::default(),
                ordered: true,
                start: 9,
                tight: false,
                items: vec![
                    vec![para(vec![t("nine")])],
                    vec![para(vec![t("ten")]), para(vec![t("more")])],
                ],
            }),
        ]),
        "- a\n  - inner\n- b\n\n9. nine\n\n10. ten\n\n    more\n"
    );
}

fn image(alt: &str) -> Inline {
    Inline::Image(Box::new(Image {
        src: "i.png".into(),
        alt: alt.into(),
        ..Default::default()
    }))
}

/// Inline images' alt texts are set off in brackets: bare, three share buttons read
/// "facebooktwitterreddit" and an alt ran into the link text before it (QA, web §10).
#[test]
fn inline_images_are_set_off_from_the_words_around_them() {
    assert_eq!(
        text_of(vec![
            para(vec![image("facebook"), image("twitter"), image("reddit")]),
            para(vec![
                t("犬の顔の折り紙"),
                Inline::Link(Box::new(quire::model::Link {
                    url: "https://example.org".into(),
                    title: None,
                    content: vec![image("いぬのかお"), t(" 犬の顔")],
                })),
                image(""),
                t("."),
            ]),
        ]),
        "[facebook] [twitter] [reddit]\n\n犬の顔の折り紙[いぬのかお] 犬の顔.\n"
    );
}

/// A list item whose only content is an image without alt text is left out, not written
/// as a bare `-` (QA, web §10); an ordered list numbers on from the items written.
#[test]
fn list_items_that_show_nothing_are_left_out() {
    let linked_image = |alt: &str| {
        para(vec![Inline::Link(Box::new(quire::model::Link {
            url: "https://example.org".into(),
            title: None,
            content: vec![image(alt), t(" ")],
        }))])
    };
    let list = |ordered, tight| {
        Block::List(List {
            checked: Default::default(),
            ordered,
            start: 1,
            tight,
            items: vec![
                vec![para(vec![t("first")])],
                vec![linked_image("")],
                vec![para(vec![image(""), Inline::LineBreak])],
                vec![linked_image("Amazon")],
            ],
        })
    };
    assert_eq!(
        text_of(vec![list(false, true), list(true, false)]),
        "- first\n- [Amazon]\n\n1. first\n\n2. [Amazon]\n"
    );
    let only_blank = Block::List(List {
        checked: Default::default(),
        ordered: false,
        start: 1,
        tight: true,
        items: vec![vec![linked_image("")]],
    });
    assert_eq!(
        text_of(vec![para(vec![t("a")]), only_blank, para(vec![t("b")])]),
        "a\n\nb\n"
    );
}

#[test]
fn quotes_code_rules_and_containers() {
    assert_eq!(
        text_of(vec![
            Block::Quote(vec![
                para(vec![t("one")]),
                Block::Quote(vec![para(vec![t("two")])]),
            ]),
            Block::Code {
                language: Some("rust".into()),
                text: "fn x() {\n\n  y();\n}".into(),
            },
            Block::Rule,
            Block::Container {
                attr: Box::new(Attr::default()),
                blocks: vec![para(vec![t("in")])],
            },
        ]),
        "> one\n>\n> > two\n\n    fn x() {\n\n      y();\n    }\n\n* * *\n\nin\n"
    );
}

#[test]
fn figures_show_their_alt_text_and_caption() {
    assert_eq!(
        text_of(vec![
            Block::Figure(Box::new(Figure {
                image: Image {
                    src: "a.png".into(),
                    alt: "A map".into(),
                    title: None,
                    ..Default::default()
                },
                caption: vec![t("The "), Inline::Emphasis(vec![t("caption")])],
            })),
            Block::Figure(Box::new(Figure {
                image: Image::default(),
                caption: vec![],
            })),
            Block::Figure(Box::new(Figure {
                image: Image {
                    src: "b.png".into(),
                    alt: "Tides".into(),
                    title: None,
                    ..Default::default()
                },
                caption: vec![t("Tides")],
            })),
        ]),
        "[A map]\nThe caption\n\n[Image]\n\n[Tides]\n"
    );
}

#[test]
fn tables_are_aligned_columns() {
    let table = Table {
        caption: vec![t("Caption")],
        alignments: vec![Alignment::Left, Alignment::Right, Alignment::Center],
        head: vec![Row {
            cells: vec![
                Cell::from_inlines(vec![t("Name")]),
                Cell::from_inlines(vec![t("Count")]),
                Cell::from_inlines(vec![t("Mid")]),
            ],
        }],
        body: vec![
            Row {
                cells: vec![
                    Cell::from_inlines(vec![t("apples")]),
                    Cell::from_inlines(vec![t("7")]),
                    Cell::from_inlines(vec![t("x")]),
                ],
            },
            Row {
                cells: vec![
                    Cell {
                        content: vec![para(vec![t("both")])],
                        colspan: 2,
                        rowspan: 1,
                    },
                    Cell::from_inlines(vec![t("yy")]),
                ],
            },
        ],
    };
    assert_eq!(
        text_of(vec![Block::Table(Box::new(table))]),
        "Caption\n\
         Name    Count  Mid\n\
         ------  -----  ---\n\
         apples      7   x\n\
         both           yy\n"
    );
}

#[test]
fn table_row_spans_leave_the_column_empty_below() {
    let table = Table {
        caption: vec![],
        alignments: vec![],
        head: vec![],
        body: vec![
            Row {
                cells: vec![
                    Cell {
                        content: vec![para(vec![t("tall")])],
                        colspan: 1,
                        rowspan: 2,
                    },
                    Cell::from_inlines(vec![t("a")]),
                ],
            },
            Row {
                cells: vec![Cell::from_inlines(vec![t("b")])],
            },
        ],
    };
    assert_eq!(
        text_of(vec![Block::Table(Box::new(table))]),
        "tall  a\n      b\n"
    );
}

#[test]
fn footnotes_become_markers_and_a_list_after_a_rule() {
    assert_eq!(
        text_of(vec![para(vec![
            t("Claim"),
            Inline::Note(vec![para(vec![
                t("Source"),
                Inline::Note(vec![para(vec![t("Inner.")])]),
                t("."),
            ])]),
            t(" and"),
            Inline::Note(vec![para(vec![t("Second.")]), para(vec![t("More.")])]),
            t("."),
        ])]),
        "Claim[1] and[2].\n\n----------\n\n[1] Source[3].\n\n[2] Second.\n\n    More.\n\n[3] Inner.\n"
    );
}

#[test]
fn text_width_wraps_paragraphs_lists_and_quotes() {
    let words = "one two three four five six seven";
    let document = Document::new(
        Meta::default(),
        vec![
            para(vec![t(words)]),
            Block::List(List {
                checked: Default::default(),
                ordered: false,
                start: 1,
                tight: true,
                items: vec![vec![para(vec![t(words)])]],
            }),
            Block::Quote(vec![para(vec![t(words)])]),
        ],
    );
    assert_eq!(
        text_with(&document, Some(14)),
        "one two three\nfour five six\nseven\n\n\
         - one two\n  three four\n  five six\n  seven\n\n\
         > one two\n> three four\n> five six\n> seven\n"
    );
    // Without a width, a paragraph is one line.
    assert_eq!(
        text_with(&document, None).lines().next(),
        Some("one two three four five six seven")
    );
}

#[test]
fn output_ends_with_exactly_one_newline() {
    assert_eq!(text_of(vec![]), "\n");
    let rich = text_with(&rich_document(), Some(60));
    assert!(rich.ends_with("[3] A note inside a note.\n"));
    assert!(!rich.ends_with("\n\n"));
    assert!(rich.lines().all(|l| l == l.trim_end()), "trailing spaces");
    assert!(rich
        .lines()
        .all(|l| l.chars().count() <= 60 || l.starts_with("    ")));
    assert!(!rich.chars().any(|c| c.is_control() && c != '\n'));
    let code_only = text_of(vec![Block::Code {
        language: None,
        text: "x\n\n\n".into(),
    }]);
    assert_eq!(code_only, "    x\n");
}

#[test]
fn rich_document_reads_as_text() {
    let text = text_with(&rich_document(), None);
    assert!(text.starts_with(
        "Odd <Title> & \"quotes\" 'too'\nA subtitle with a control character\n\
         By Ann Author, Bob <B> Builder and Cy\n1 May 2024\n\n\
         Plain text with <angle> brackets, & ampersands, \"double\" and 'single' quotes, \
         and control characters removed. Emphasis, strong, struck, x², H₂O, a < b && c, \
         a link, a bad link, an image [a dot] and a note[1].\n\
         After a line break, Arabic: مرحبا بالعالم.\n\n\
         A body heading\n==============\n"
    ));
    assert!(text.contains(
        "Results by region\n\
         Region     Votes & seats\n\
         ---------  -----  ------\n\
         North      1,204    12\n\
         \x20            998    9\n\
         South <x>     17\n"
    ));
    assert!(text.contains("[A single dot]\nThe caption, with emphasis.\n"));
}
