//! Fidelity of the text formats (issue 13, points 13 and 14): GFM task lists read into the
//! model and written back by every writer, a figure's alt text and caption both kept through
//! Markdown, and sub- and superscripts in plain text.

use quire::model::{Figure, Image, List};
use quire::{Block, Document, Inline, InputFormat, Meta, OutputFormat, ReadOptions, WriteOptions};

fn read(text: &str, format: InputFormat) -> Document {
    quire::read(text.as_bytes(), format, &ReadOptions::default())
        .expect("input reads")
        .document
}

fn write(document: &Document, format: OutputFormat) -> String {
    let options = WriteOptions {
        front_matter: false,
        fragment: true,
        ..WriteOptions::default()
    };
    let rendered = quire::write(document, format, &options).expect("document writes");
    String::from_utf8(rendered.bytes).expect("utf-8")
}

fn body(blocks: Vec<Block>) -> Document {
    Document::new(Meta::default(), blocks)
}

fn t(s: &str) -> Inline {
    Inline::text(s)
}

fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(inlines)
}

/// The lists of a document's top level.
fn lists(document: &Document) -> Vec<&List> {
    document
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::List(list) => Some(list),
            _ => None,
        })
        .collect()
}

const TASKS: &str = "- [x] done\n- [ ] to do\n- no box\n\n1. [ ] loose\n\n   second paragraph\n2. [x]\n   ```\n   code first\n   ```\n";

#[test]
fn markdown_task_lists_are_read_as_task_states_not_text() {
    let document = read(TASKS, InputFormat::Markdown);
    let found = lists(&document);
    assert_eq!(found.len(), 2);
    assert_eq!(&*found[0].checked, [Some(true), Some(false), None]);
    assert_eq!(found[0].items[0], [para(vec![t("done")])]);
    assert_eq!(found[0].items[2], [para(vec![t("no box")])]);
    assert_eq!(&*found[1].checked, [Some(false), Some(true)]);
    assert!(!found[1].tight);
    assert!(matches!(found[1].items[1].as_slice(), [Block::Code { .. }]));
    // A list without boxes has none, and its JSON no field for them (older quires read it).
    let plain = read("- a\n- b\n", InputFormat::Markdown);
    assert!(lists(&plain)[0].checked.is_empty());
    assert!(!write(&plain, OutputFormat::Json).contains("checked"));
}

#[test]
fn the_projects_own_note_keeps_its_boxes_in_every_format() {
    let note = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/note.md"),
    )
    .unwrap();
    let document = read(&note, InputFormat::Markdown);
    let markdown = write(&document, OutputFormat::Markdown);
    assert!(
        markdown.contains("\n- [x] Book the hall from 9am"),
        "{markdown}"
    );
    assert!(
        markdown.contains("\n- [ ] Print the tide tables"),
        "{markdown}"
    );
    assert!(!markdown.contains("\\["), "{markdown}");
    let text = write(&document, OutputFormat::Text);
    assert!(text.contains("\n- [x] Book the hall from 9am"), "{text}");
    assert!(text.contains("\n- [ ] Print the tide tables"), "{text}");
}

#[test]
fn task_lists_written_as_markdown_read_back_the_same() {
    let document = read(TASKS, InputFormat::Markdown);
    let markdown = write(&document, OutputFormat::Markdown);
    assert!(
        markdown.starts_with("- [x] done\n- [ ] to do\n- no box\n"),
        "{markdown}"
    );
    assert!(markdown.contains("1. [ ] loose\n"), "{markdown}");
    // A box before a block that is not a paragraph stands on its own line.
    assert!(markdown.contains("2. [x]\n   ```"), "{markdown}");
    assert_eq!(read(&markdown, InputFormat::Markdown), document);
    // Text that looks like a box in an item without one stays text.
    let lookalike = body(vec![Block::List(List {
        ordered: false,
        start: 1,
        tight: true,
        items: vec![vec![para(vec![t("[x] not a task")])]],
        checked: Default::default(),
    })]);
    let markdown = write(&lookalike, OutputFormat::Markdown);
    assert_eq!(read(&markdown, InputFormat::Markdown), lookalike);
}

#[test]
fn html_shows_a_disabled_checkbox_that_reads_back_and_epub_a_ballot_box() {
    let document = read(TASKS, InputFormat::Markdown);
    let html = write(&document, OutputFormat::Html);
    assert!(html.contains("<li class=\"task-list-item\"><input type=\"checkbox\" disabled=\"disabled\" checked=\"checked\" /> done</li>"), "{html}");
    assert!(html.contains("<li class=\"task-list-item\"><input type=\"checkbox\" disabled=\"disabled\" /> to do</li>"), "{html}");
    assert!(html.contains("<li>no box</li>"), "{html}");
    // A loose item's box sits in its first paragraph, beside the text.
    assert!(
        html.contains("<p><input type=\"checkbox\" disabled=\"disabled\" /> loose</p>"),
        "{html}"
    );
    let back = read(&html, InputFormat::Html);
    let back_lists = lists(&back);
    assert_eq!(&*back_lists[0].checked, [Some(true), Some(false), None]);
    assert_eq!(&*back_lists[1].checked, [Some(false), Some(true)]);
    let (xhtml, _) = quire::write::html::render_article(&document, true);
    assert!(
        xhtml.contains("<span class=\"task-box\">\u{2611}</span> done"),
        "{xhtml}"
    );
    assert!(
        xhtml.contains("<span class=\"task-box\">\u{2610}</span> to do"),
        "{xhtml}"
    );
    assert!(!xhtml.contains("<input"), "{xhtml}");
}

fn figure(alt: &str, caption: Vec<Inline>) -> Block {
    Block::Figure(Box::new(Figure {
        image: Image {
            src: "https://example.org/ferry.jpg".into(),
            alt: alt.into(),
            title: Some("Ferry".into()),
            ..Default::default()
        },
        caption,
    }))
}

#[test]
fn a_figure_keeps_its_alt_text_and_its_caption_through_markdown() {
    let document = body(vec![
        figure(
            "A white catamaran leaving a quay at dusk",
            vec![
                t("The "),
                Inline::Emphasis(vec![t("Morwenna")]),
                t(" leaves Porthaven."),
            ],
        ),
        para(vec![t("Between.")]),
        figure("Tide chart", vec![t("Tide chart")]),
    ]);
    let markdown = write(&document, OutputFormat::Markdown);
    assert!(
        markdown.starts_with(
            "![A white catamaran leaving a quay at dusk](https://example.org/ferry.jpg \"Ferry\")\n*The _Morwenna_ leaves Porthaven.*\n"
        ),
        "{markdown}"
    );
    // A caption that says what the alt text says is written once.
    assert!(
        markdown.ends_with("\n![Tide chart](https://example.org/ferry.jpg \"Ferry\")\n"),
        "{markdown}"
    );
    assert_eq!(read(&markdown, InputFormat::Markdown), document);
    // The same from HTML, where alt text and caption are apart.
    let html = "<figure><img src=\"https://example.org/ferry.jpg\" alt=\"A white catamaran\"><figcaption>Leaving Porthaven</figcaption></figure><p>Some words after the figure to make an article of it.</p>";
    let from_html = read(html, InputFormat::Html);
    let back = read(
        &write(&from_html, OutputFormat::Markdown),
        InputFormat::Markdown,
    );
    let Some(Block::Figure(figure)) = back.blocks.first() else {
        panic!("no figure: {back:?}");
    };
    assert_eq!(figure.image.alt, "A white catamaran");
    assert_eq!(figure.caption, [t("Leaving Porthaven")]);
    // Plain text shows the alt text for the picture and the caption under it.
    let text = write(&document, OutputFormat::Text);
    assert!(
        text.starts_with("[A white catamaran leaving a quay at dusk]\nThe Morwenna leaves Porthaven.\n\nBetween.\n\n[Tide chart]\n"),
        "{text}"
    );
}

#[test]
fn plain_text_raises_and_lowers_sub_and_superscripts() {
    let document = body(vec![
        para(vec![
            t("H"),
            Inline::Subscript(vec![t("2")]),
            Inline::Superscript(vec![t("18")]),
            t("O; kg m"),
            Inline::Superscript(vec![t("\u{2212}3")]),
            t("; e"),
            Inline::Superscript(vec![t("0.06T")]),
            t("; x"),
            Inline::Superscript(vec![t("(n+1)")]),
            t("; 1"),
            Inline::Superscript(vec![t("st")]),
            t("; T"),
            Inline::Subscript(vec![t("max")]),
            t("; v"),
            Inline::Subscript(vec![t("W")]),
            t("; a"),
            Inline::Subscript(vec![t("i,j")]),
        ]),
        // A footnote mark set as a superscript stays the note's number.
        para(vec![
            t("Noted"),
            Inline::Superscript(vec![Inline::Note(vec![para(vec![t("The note.")])])]),
        ]),
    ]);
    let text = write(&document, OutputFormat::Text);
    assert_eq!(
        text,
        "H₂¹⁸O; kg m⁻³; e^(0.06T); x⁽ⁿ⁺¹⁾; 1ˢᵗ; Tₘₐₓ; v_W; a_(i,j)\n\nNoted[1]\n\n----------\n\n[1] The note.\n",
    );
}

#[test]
fn body_only_text_keeps_the_standfirst_and_leaves_out_title_and_byline() {
    let meta = Meta {
        title: Some("A record harvest".into()),
        subtitle: Some("Growers expect the biggest harvest in a decade.".into()),
        authors: vec!["Ann Lee".into()],
        ..Meta::default()
    };
    let document = Document::new(meta, vec![para(vec![t("The orchard opened.")])]);
    let text = write(&document, OutputFormat::Text);
    assert_eq!(
        text,
        "Growers expect the biggest harvest in a decade.\n\nThe orchard opened.\n"
    );
}
