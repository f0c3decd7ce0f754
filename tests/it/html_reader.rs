//! The HTML reader: each element mapping, links and images, footnotes, metadata, robustness.

use quire::model::{Alignment, Attr, Cell, Direction, Figure, Image, List, Row, Table};
use quire::{Block, Document, Inline, InputFormat, ReadOptions};

fn read_with(html: &str, options: &ReadOptions) -> Document {
    quire::read(html.as_bytes(), InputFormat::Html, options)
        .expect("reads")
        .document
}

fn read(html: &str) -> Document {
    read_with(html, &ReadOptions::default())
}

fn blocks(html: &str) -> Vec<Block> {
    read(html).into_parts().1
}

fn t(s: &str) -> Inline {
    Inline::text(s)
}

fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(inlines)
}

fn p(s: &str) -> Block {
    para(vec![t(s)])
}

fn cell(s: &str) -> Cell {
    Cell::from_inlines(vec![t(s)])
}

#[test]
fn headings_keep_ids_and_paragraphs_normalise() {
    assert_eq!(
        blocks("<h2 id=intro>Intro  duction</h2><p> Hello\n <em> world </em>!</p><h3>Next</h3>"),
        vec![
            Block::Heading {
                level: 2,
                id: "intro".into(),
                content: vec![t("Intro duction")]
            },
            para(vec![
                t("Hello "),
                Inline::Emphasis(vec![t("world")]),
                t(" !")
            ]),
            Block::Heading {
                level: 3,
                id: "next".into(),
                content: vec![t("Next")]
            },
        ]
    );
}

#[test]
fn lists_nested_start_and_tightness() {
    let got = blocks(
        "<ol start=3><li>one<ul><li>a</li></ul></li><li>two</li></ol><ul><li><p>x</p></li></ul>",
    );
    assert_eq!(
        got,
        vec![
            Block::List(List {
                checked: Default::default(),
                ordered: true,
                start: 3,
                tight: true,
                items: vec![
                    vec![
                        p("one"),
                        Block::List(List {
                            checked: Default::default(),
                            ordered: false,
                            start: 1,
                            tight: true,
                            items: vec![vec![p("a")]]
                        })
                    ],
                    vec![p("two")],
                ],
            }),
            Block::List(List {
                checked: Default::default(),
                ordered: false,
                start: 1,
                tight: false,
                items: vec![vec![p("x")]]
            }),
        ]
    );
}

#[test]
fn quote_rule_and_code_block() {
    let got = blocks(
        "<blockquote><p>Q</p></blockquote><hr><pre><code class=\"language-rust\">fn main() {\n    x\n}\n</code></pre><pre class=lang-py>a  b</pre>",
    );
    assert_eq!(
        got,
        vec![
            Block::Quote(vec![p("Q")]),
            Block::Rule,
            Block::Code {
                language: Some("rust".into()),
                text: "fn main() {\n    x\n}".into()
            },
            Block::Code {
                language: Some("py".into()),
                text: "a  b".into()
            },
        ]
    );
}

/// A rule that separates nothing goes: DocBook's title page sets an `<hr>` under the `<h1>`,
/// which left the book opening with a rule once the title was shown apart; rules in a row
/// are one, and one that ends the body separates nothing either.
#[test]
fn rules_that_separate_nothing_are_left_out() {
    let document = read(
        "<title>Git User Manual</title><body><div class=titlepage><h1>Git User Manual</h1>\
         <hr></div><h2>Introduction</h2><p>Git is a fast distributed revision control \
         system.</p><hr><hr><p>Part two.</p><hr></body>",
    );
    assert_eq!(document.meta.title.as_deref(), Some("Git User Manual"));
    let (_, blocks) = document.into_parts();
    assert_eq!(
        blocks.first().map(|b| matches!(b, Block::Heading { .. })),
        Some(true),
        "{blocks:?}"
    );
    assert_eq!(
        blocks[1..].to_vec(),
        vec![
            p("Git is a fast distributed revision control system."),
            Block::Rule,
            p("Part two."),
        ]
    );
}

/// A code panel's controls are no code, and the versions of one example a page shows one
/// at a time (Node's ES module and CommonJS forms) are blocks of their own.
#[test]
fn code_panels_lose_their_buttons_and_keep_each_version_apart() {
    let got = blocks(
        "<pre><input type=checkbox checked aria-label=\"Show modern syntax\">\
         <code class=\"language-js mjs\">import fs from 'node:fs';</code>\
         <code class=\"language-js cjs\">const fs = require('node:fs');</code>\
         <button class=copy-button>copy</button></pre>\
         <pre><code class=language-sh>ls -l</code><button>Copy</button></pre>",
    );
    let code = |language: &str, text: &str| Block::Code {
        language: Some(language.into()),
        text: text.into(),
    };
    assert_eq!(
        got,
        vec![
            code("js", "import fs from 'node:fs';"),
            code("js", "const fs = require('node:fs');"),
            code("sh", "ls -l"),
        ]
    );
}

/// A heading's permalink ("#", "¶", an icon) is no part of its words, and gives the
/// heading its anchor when the heading has none; a heading that is all one link to
/// itself (mdBook) is its words.
#[test]
fn headings_lose_their_permalinks_and_links_to_themselves() {
    let got = blocks(
        "<h2>File system<span><a class=mark href=\"#file-system\" id=file-system>#</a></span></h2>\
         <p>See <a href=\"#file-system\">above</a>.</p>\
         <h2 id=ownership><a class=header href=\"#ownership\">What Is Ownership?</a></h2>\
         <h3 id=rules>Rules<a class=headerlink href=\"#rules\" title=\"Link to this heading\">¶</a></h3>\
         <h3 id=icon>Icon<a href=\"#icon\" aria-label=Permalink><svg viewBox=\"0 0 16 16\"><path d=M0/></svg></a></h3>\
         <h3 id=elsewhere><a href=\"#rules\">Back to the rules</a></h3>",
    );
    let heading = |level: u8, id: &str, content: Vec<Inline>| Block::Heading {
        level,
        id: id.into(),
        content,
    };
    assert_eq!(
        got,
        vec![
            heading(2, "file-system", vec![t("File system")]),
            para(vec![
                t("See "),
                Inline::link("#file-system", None, vec![t("above")]),
                t("."),
            ]),
            heading(2, "ownership", vec![t("What Is Ownership?")]),
            heading(3, "rules", vec![t("Rules")]),
            heading(3, "icon", vec![t("Icon")]),
            heading(
                3,
                "elsewhere",
                vec![Inline::link("#rules", None, vec![t("Back to the rules")])]
            ),
        ]
    );
}

#[test]
fn tables_with_head_spans_alignment_and_caption() {
    let got = blocks(
        "<table><caption>Cap</caption><thead><tr><th>A</th><th style='text-align: right'>B</th></tr></thead>\
         <tbody><tr><td colspan=2 align=center>wide</td></tr><tr><td rowspan=2>r</td><td>x</td></tr></tbody>\
         <tfoot><tr><td>f</td><td>g</td></tr></tfoot></table>",
    );
    let table = Table {
        caption: vec![t("Cap")],
        alignments: vec![Alignment::Center, Alignment::Right],
        head: vec![Row {
            cells: vec![cell("A"), cell("B")],
        }],
        body: vec![
            Row {
                cells: vec![Cell {
                    colspan: 2,
                    ..cell("wide")
                }],
            },
            Row {
                cells: vec![
                    Cell {
                        rowspan: 2,
                        ..cell("r")
                    },
                    cell("x"),
                ],
            },
            Row {
                cells: vec![cell("f"), cell("g")],
            },
        ],
    };
    assert_eq!(got, vec![Block::Table(Box::new(table))]);
}

#[test]
fn th_rows_without_thead_become_the_head() {
    let got = blocks("<table><tr><th>H</th></tr><tr><td>b</td></tr></table>");
    let Block::Table(table) = &got[0] else {
        panic!("{got:?}")
    };
    assert_eq!(
        table.head,
        vec![Row {
            cells: vec![cell("H")]
        }]
    );
    assert_eq!(
        table.body,
        vec![Row {
            cells: vec![cell("b")]
        }]
    );
    assert!(table.alignments.is_empty());
}

#[test]
fn figures_and_standalone_images() {
    let got = blocks(
        "<figure><img src=a.png alt=' An  A '><figcaption>The <b>A</b></figcaption></figure>\
         <figure><blockquote>Said.</blockquote><figcaption>Someone</figcaption></figure>\
         <div><img src=b.png></div><p><img src=c.png alt=c></p>\
         <p><img src=icon.png width=16 height=16 alt=i></p>",
    );
    assert_eq!(
        got,
        vec![
            Block::Figure(Box::new(Figure {
                image: Image {
                    src: "a.png".into(),
                    alt: "An A".into(),
                    title: None,
                    ..Default::default()
                },
                caption: vec![t("The "), Inline::Strong(vec![t("A")])],
            })),
            Block::Quote(vec![p("Said.")]),
            p("Someone"),
            Block::Figure(Box::new(Figure {
                image: Image {
                    src: "b.png".into(),
                    alt: String::new(),
                    title: None,
                    ..Default::default()
                },
                caption: vec![],
            })),
            // A paragraph that is one picture shows it as a block, as a browser does.
            Block::Figure(Box::new(Figure {
                image: Image {
                    src: "c.png".into(),
                    alt: "c".into(),
                    title: None,
                    ..Default::default()
                },
                caption: vec![],
            })),
            // An icon stays in its line.
            para(vec![Inline::Image(Box::new(Image {
                src: "icon.png".into(),
                alt: "i".into(),
                width: Some(16),
                height: Some(16),
                ..Default::default()
            }))]),
        ]
    );
}

#[test]
fn containers_flatten_and_loose_text_becomes_paragraphs() {
    let got = blocks(
        "<div>before<p>x</p>after <b>bold</b><section><nav>n</nav><aside>a</aside></section></div>\
         <div id=target><p>kept</p></div><a href=#target>go</a>",
    );
    assert_eq!(
        got,
        vec![
            p("before"),
            p("x"),
            para(vec![t("after "), Inline::Strong(vec![t("bold")])]),
            p("n"),
            p("a"),
            Block::Container {
                attr: Box::new(Attr {
                    id: "target".into(),
                    ..Attr::default()
                }),
                blocks: vec![p("kept")]
            },
            para(vec![Inline::Link(Box::new(quire::model::Link {
                url: "#target".into(),
                title: None,
                content: vec![t("go")]
            }))]),
        ]
    );
}

/// A definition list keeps its shape (issue 13, point 6): its terms bold paragraphs, each
/// definition in a container of its own, so writers can indent definitions and not terms.
#[test]
fn definition_lists_and_line_breaks() {
    use quire::model::classes;
    let container = |class: &str, blocks: Vec<Block>| Block::Container {
        attr: Box::new(Attr::class(class)),
        blocks,
    };
    assert_eq!(
        blocks(
            "<dl><dt>Term</dt><dd>Def</dd><dt>Second</dt><dd><p>One</p><p>Two</p></dd></dl>\
             <p>a<br>b<br></p>"
        ),
        vec![
            container(
                classes::DEFINITION_LIST,
                vec![
                    para(vec![Inline::Strong(vec![t("Term")])]),
                    container(classes::DEFINITION, vec![p("Def")]),
                    para(vec![Inline::Strong(vec![t("Second")])]),
                    container(classes::DEFINITION, vec![p("One"), p("Two")]),
                ]
            ),
            para(vec![t("a"), Inline::LineBreak, t("b")]),
        ]
    );
}

/// An API entry of a reference page (Sphinx's `<dt id=os.getcwd>`) keeps its id, so the
/// links to it keep their target, and loses its permalink mark; a caption's permalink goes
/// too. A term no link names stays a plain paragraph.
#[test]
fn terms_that_links_name_keep_their_ids_and_lose_their_permalinks() {
    use quire::model::classes;
    let got = blocks(
        "<dl><dt id=\"os.getcwd\"><span class=descname>getcwd</span>()\
         <a class=headerlink href=\"#os.getcwd\" title=\"Permalink to this definition\">¶</a></dt>\
         <dd><p>Return the directory.</p></dd><dt id=unnamed>Plain</dt><dd>Def</dd></dl>\
         <p>See <a href=\"#os.getcwd\"><code>getcwd()</code></a>.</p>\
         <table id=t1><caption>Modes<a class=headerlink href=\"#t1\">¶</a></caption>\
         <tr><td>r</td></tr></table>",
    );
    let container = |attr: Attr, blocks: Vec<Block>| Block::Container {
        attr: Box::new(attr),
        blocks,
    };
    let with_id = Attr {
        id: "os.getcwd".into(),
        ..Attr::default()
    };
    assert_eq!(
        got[..2],
        vec![
            container(
                Attr::class(classes::DEFINITION_LIST),
                vec![
                    container(
                        with_id,
                        vec![para(vec![Inline::Strong(vec![t("getcwd()")])])]
                    ),
                    container(
                        Attr::class(classes::DEFINITION),
                        vec![p("Return the directory.")]
                    ),
                    para(vec![Inline::Strong(vec![t("Plain")])]),
                    container(Attr::class(classes::DEFINITION), vec![p("Def")]),
                ]
            ),
            para(vec![
                t("See "),
                Inline::link("#os.getcwd", None, vec![Inline::Code("getcwd()".into())]),
                t("."),
            ]),
        ]
    );
    let Block::Table(table) = &got[2] else {
        panic!("a table: {got:?}")
    };
    assert_eq!(table.caption, vec![t("Modes")]);
}

#[test]
fn inline_mappings() {
    let got = blocks(
        "<p><i>i</i> <cite>c</cite> <dfn>d</dfn> <b>b</b> <s>s</s> <del>d</del> <strike>k</strike> \
         x<sup>2</sup> H<sub>2</sub>O <code>a  b</code> <kbd>K</kbd> <samp>S</samp> <tt>T</tt> \
         <span>plain</span> <span lang=fr>oui</span> <abbr>ab</abbr></p>",
    );
    use Inline::*;
    assert_eq!(
        got,
        vec![para(vec![
            Emphasis(vec![t("i")]),
            t(" "),
            Emphasis(vec![t("c")]),
            t(" "),
            Emphasis(vec![t("d")]),
            t(" "),
            Strong(vec![t("b")]),
            t(" "),
            Strikethrough(vec![t("s")]),
            t(" "),
            Strikethrough(vec![t("d")]),
            t(" "),
            Strikethrough(vec![t("k")]),
            t(" x"),
            Superscript(vec![t("2")]),
            t(" H"),
            Subscript(vec![t("2")]),
            t("O "),
            Code("a b".into()),
            t(" "),
            Code("K".into()),
            t(" "),
            Code("S".into()),
            t(" "),
            Code("T".into()),
            t(" plain "),
            Span {
                attr: Box::new(Attr {
                    attributes: vec![("lang".into(), "fr".into())],
                    ..Attr::default()
                }),
                content: vec![t("oui")]
            },
            t(" ab"),
        ])]
    );
}

#[test]
fn hidden_scripts_and_forms_never_reach_the_model() {
    let got = blocks(
        "<p>keep</p><script>var x = 1;</script><style>p{}</style><noscript>ns</noscript>\
         <template><p>tpl</p></template><form><input value=v><button>Go</button><select><option>o</select></form>\
         <iframe src=x>if</iframe><object>ob</object><svg><text>sv</text></svg><canvas>cv</canvas>\
         <!-- comment --><p hidden>h1</p><p aria-hidden=true>h2</p><p style='display: none'>h3</p>\
         <p style='VISIBILITY:hidden'>h4</p><p>also <span hidden>no</span>kept</p>\
         <amp-lightbox layout=nodisplay><p>Rate this picture</p></amp-lightbox>",
    );
    assert_eq!(got, vec![p("keep"), p("also kept")]);
}

#[test]
fn links_resolve_against_base_and_source_url() {
    let html = "<head><base href='/docs/'></head><p><a href='page.html' title=' T '>x</a> \
                <a href='javascript:alert(1)'>js</a> <a href=' DATA:text/html,x'>d</a> <a name=n>anchor</a> \
                <img src='i.png'></p>";
    let options = ReadOptions {
        source_url: Some("https://example.org/a/b.html".into()),
        ..ReadOptions::default()
    };
    let got = read_with(html, &options).into_parts().1;
    assert_eq!(
        got,
        vec![para(vec![
            Inline::Link(Box::new(quire::model::Link {
                url: "https://example.org/docs/page.html".into(),
                title: Some("T".into()),
                content: vec![t("x")]
            })),
            t(" js d anchor "),
            Inline::Image(Box::new(Image {
                src: "https://example.org/docs/i.png".into(),
                ..Image::default()
            })),
        ])]
    );
    let got = read_with("<p><a href='../up.html'>u</a></p>", &options)
        .into_parts()
        .1;
    assert_eq!(
        got,
        vec![para(vec![Inline::Link(Box::new(quire::model::Link {
            url: "https://example.org/up.html".into(),
            title: None,
            content: vec![t("u")]
        }))])]
    );
    // No absolute base: references stay as written.
    assert_eq!(
        blocks("<p><a href='x/y.html'>r</a></p>"),
        vec![para(vec![Inline::Link(Box::new(quire::model::Link {
            url: "x/y.html".into(),
            title: None,
            content: vec![t("r")]
        }))])]
    );
}

fn image_src(html: &str) -> String {
    match blocks(html).as_slice() {
        [Block::Paragraph(inl)] => match inl.as_slice() {
            [Inline::Image(img)] => img.src.clone(),
            other => panic!("{other:?}"),
        },
        [Block::Figure(figure)] => figure.image.src.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn image_sources_srcset_and_lazy() {
    // The largest candidate (issue 15): `src` is the 1x one.
    assert_eq!(
        image_src("<p><img src=a.png srcset='b.png 2x'></p>"),
        "b.png"
    );
    assert_eq!(
        image_src("<p><img srcset='s.jpg 320w, l.jpg 1280w, m.jpg 640w'></p>"),
        "l.jpg"
    );
    assert_eq!(
        image_src("<p><img srcset='a.jpg, b.jpg 3x, c.jpg 2x'></p>"),
        "b.jpg"
    );
    assert_eq!(
        image_src("<p><img src='data:image/gif;base64,R0lGOD' data-src=real.jpg></p>"),
        "real.jpg"
    );
    assert_eq!(image_src("<p><img data-original=o.jpg></p>"), "o.jpg");
    assert_eq!(image_src("<p><img data-lazy-src=z.jpg></p>"), "z.jpg");
    assert_eq!(
        image_src("<p><img src='data:image/png;base64,AAAA'></p>"),
        "data:image/png;base64,AAAA"
    );
    assert!(blocks("<p><img src='javascript:x'></p>").is_empty());
}

#[test]
fn footnotes_in_quires_own_form() {
    let html = "<p>Text<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\" role=\"doc-noteref\">1</a></sup> more.</p>\
        <section class=\"footnotes\" role=\"doc-endnotes\"><hr /><ol><li id=\"fn-1\"><p>Note text. \
        <a href=\"#fnref-1\" class=\"footnote-back\" role=\"doc-backlink\">↩</a></p></li></ol></section>";
    assert_eq!(
        blocks(html),
        vec![para(vec![
            t("Text"),
            Inline::Note(vec![p("Note text.")]),
            t(" more.")
        ])]
    );
}

#[test]
fn footnotes_in_a_common_blog_form() {
    let html = "<p>Claim<a href=\"#fn1\" class=\"footnote-ref\"><sup>1</sup></a>.</p>\
        <div class=\"footnotes\"><hr><ol><li id=\"fn1\">Source, <em>p. 4</em>. <a href=\"#fnref1\">↩</a></li></ol></div>\
        <p>After.</p>";
    assert_eq!(
        blocks(html),
        vec![
            para(vec![
                t("Claim"),
                Inline::Note(vec![para(vec![
                    t("Source, "),
                    Inline::Emphasis(vec![t("p. 4")]),
                    t(".")
                ])]),
                t(".")
            ]),
            p("After."),
        ]
    );
}

#[test]
fn unreferenced_notes_stay_in_the_flow() {
    let got = blocks("<p>x</p><div class=footnotes><ol><li id=n1>Lonely</li></ol></div>");
    assert_eq!(
        got,
        vec![
            p("x"),
            Block::List(List {
                checked: Default::default(),
                ordered: true,
                start: 1,
                tight: true,
                items: vec![vec![p("Lonely")]]
            })
        ]
    );
}

#[test]
fn a_note_that_refers_to_itself_does_not_loop() {
    let html =
        "<p>a<a href=#f>1</a></p><ol class=footnotes><li id=f>see <a href=#f>1</a></li></ol>";
    let got = blocks(html);
    // Inside its own body the reference stays a plain link.
    let link = Inline::Link(Box::new(quire::model::Link {
        url: "#f".into(),
        title: None,
        content: vec![t("1")],
    }));
    assert_eq!(
        got,
        vec![para(vec![
            t("a"),
            Inline::Note(vec![para(vec![t("see "), link])])
        ])]
    );
}

#[test]
fn metadata_fields() {
    let html = r#"<html lang="ru" dir="rtl"><head><title> The  Title </title>
        <meta name="description" content="Desc">
        <meta name="author" content="Ann Author">
        <meta name="keywords" content="one, two ,, three">
        <meta property="og:title" content="OG title">
        <meta property="og:site_name" content="Site">
        <meta property="og:image" content="/lead.jpg">
        <meta property="og:description" content="OG desc">
        <meta property="article:published_time" content="2024-05-01T10:00:00Z">
        <meta property="article:modified_time" content="2024-05-02">
        <meta name="subtitle" content="Sub">
        <link rel="canonical" href="/canon">
        </head><body><p>Body text.</p></body></html>"#;
    let options = ReadOptions {
        source_url: Some("https://ex.org/x/page".into()),
        ..ReadOptions::default()
    };
    let meta = read_with(html, &options).into_parts().0;
    // OpenGraph is trusted before the `<title>` (which often carries the site's name).
    assert_eq!(meta.title.as_deref(), Some("OG title"));
    assert_eq!(meta.subtitle.as_deref(), Some("Sub"));
    assert_eq!(meta.authors, vec!["Ann Author".to_string()]);
    assert_eq!(meta.keywords, vec!["one", "two", "three"]);
    assert_eq!(meta.description.as_deref(), Some("OG desc"));
    assert_eq!(meta.site_name.as_deref(), Some("Site"));
    assert_eq!(meta.lead_image.as_deref(), Some("https://ex.org/lead.jpg"));
    assert_eq!(
        meta.published.map(|d| d.to_iso()).as_deref(),
        Some("2024-05-01T10:00:00Z")
    );
    assert_eq!(
        meta.modified.map(|d| d.to_iso()).as_deref(),
        Some("2024-05-02")
    );
    assert_eq!(meta.language.as_deref(), Some("ru"));
    assert_eq!(meta.direction, Some(Direction::Rtl));
    assert_eq!(meta.source_url.as_deref(), Some("https://ex.org/canon"));
}

#[test]
fn title_falls_back_to_og_then_h1_and_date_meta() {
    let meta =
        read("<meta property=og:title content=OG><meta name=date content=2020-01-02><p>x</p>")
            .into_parts()
            .0;
    assert_eq!(meta.title.as_deref(), Some("OG"));
    assert_eq!(
        meta.published.map(|d| d.to_iso()).as_deref(),
        Some("2020-01-02")
    );
    let meta = read("<html dir=ltr><body dir=rtl><p>x</p>").into_parts().0;
    assert_eq!(meta.direction, Some(Direction::Rtl));
    // RDFa: several properties in one attribute.
    let meta = read("<meta property='dc:description og:description' content=Both><p>x</p>")
        .into_parts()
        .0;
    assert_eq!(meta.description.as_deref(), Some("Both"));
    let doc = read("<p>lead</p><h1>Heading One</h1><p>x</p>");
    assert_eq!(doc.meta.title.as_deref(), Some("Heading One"));
}

#[test]
fn a_header_repeating_the_title_is_not_repeated() {
    let html = "<html><head><title>My Title</title></head><body><article>\
        <header class=\"article-header\"><h1>My Title</h1><p class=\"subtitle\">The sub</p>\
        <p class=\"byline\">By Someone · 2024-01-01</p></header><p>Body.</p></article></body></html>";
    let doc = read(html);
    assert_eq!(doc.blocks, vec![p("Body.")]);
    assert_eq!(doc.meta.subtitle.as_deref(), Some("The sub"));
    // A leading h1 equal to the title goes too; a different one stays.
    assert_eq!(blocks("<title>T</title><h1>T</h1><p>b</p>"), vec![p("b")]);
    let kept = blocks("<title>T</title><h1>Other</h1><p>b</p>");
    assert_eq!(kept.len(), 2);
}

/// A documentation page (Sphinx) opens its section with an empty anchor before the title's
/// heading, and ends the heading with a permalink mark: the heading still repeats the
/// title, and was shown twice.
#[test]
fn a_title_heading_after_an_anchor_and_with_a_permalink_is_not_repeated() {
    let html = "<title>9. Classes — Python 3.11.2 documentation</title><div class=body role=main>\
        <section id=classes><span id=tut-classes></span><h1><span class=section-number>9. </span>\
        Classes<a class=headerlink href=#classes title=\"Permalink to this heading\">¶</a></h1>\
        <p>Classes provide a means of bundling data and functionality together.</p></section></div>";
    let doc = read(html);
    assert_eq!(doc.meta.title.as_deref(), Some("9. Classes"));
    let text = all_text(&doc);
    assert!(!text.contains("9. Classes"), "{text}");
    assert!(text.contains("Classes provide"), "{text}");
}

/// Issue 15, point 6: a news page that opens with a video blurb and then its title as a
/// heading shows the title once (from the metadata), not again in the body; a heading that
/// repeats the title after the article's text has begun stays.
#[test]
fn a_title_heading_after_a_short_opening_is_not_repeated() {
    let article = "<p>The storm reached the coast late on Tuesday, flooding streets in three \
        towns and cutting power to thousands of homes while crews worked through the night to \
        clear fallen trees from the main roads.</p><p>Officials said the water would recede \
        by Thursday, though more rain was expected, and schools would stay closed for the rest \
        of the week as a precaution against further flooding in low areas.</p>";
    let html = format!(
        "<html><head><title>Storm Hits the Coast | Daily</title>\
        <meta property=og:site_name content=Daily></head><body><article>\
        <div class=media><p>Video: the storm as it arrived</p></div>\
        <h1>Storm Hits the Coast</h1>{article}</article></body></html>"
    );
    let doc = read(&html);
    assert_eq!(doc.meta.title.as_deref(), Some("Storm Hits the Coast"));
    let headings = |doc: &Document| -> Vec<String> {
        doc.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { content, .. } => Some(quire::model::inlines_to_plain(content)),
                _ => None,
            })
            .collect()
    };
    assert_eq!(headings(&doc), Vec::<String>::new());
    assert!(doc.plain_text(10_000).contains("schools would stay closed"));
    // After the text has begun, a heading of the same words is the article's own.
    let html = format!(
        "<html><head><title>Storm Hits the Coast</title></head><body><article>{article}\
        <h2>Storm Hits the Coast</h2>{article}</article></body></html>"
    );
    assert_eq!(headings(&read(&html)), ["Storm Hits the Coast"]);
}

/// Issue 13, point 10: a standfirst under the title is read as the subtitle, however the page
/// sets it (a sentence-like `<h2>`, a heading or `<p>` in the title's `<hgroup>`, a class that
/// names it), and leaves the body; a section heading right under the title stays one.
#[test]
fn a_standfirst_under_the_title_is_read_as_the_subtitle() {
    let standfirst = "For a century the town lived on herring, and now the quay is a car park.";
    let page = |head: &str, rest: &str| {
        format!(
            "<html><head><title>The harbour</title></head><body><article>{head}{rest}\
             <p>The last trawler left in the spring of 1987.</p></article></body></html>"
        )
    };
    for (head, rest) in [
        (
            format!("<h1>The harbour</h1><h2>{standfirst}</h2>"),
            String::new(),
        ),
        (
            format!("<header><h1>The harbour</h1><h2>{standfirst}</h2></header>"),
            String::new(),
        ),
        (
            format!("<hgroup><h1>The harbour</h1><p>{standfirst}</p></hgroup>"),
            String::new(),
        ),
        (
            "<header><h1>The harbour</h1></header>".to_string(),
            format!("<p class=\"article__dek\">{standfirst}</p>"),
        ),
        (
            "<h1>The harbour</h1>".to_string(),
            format!("<div class=\"c-standfirst\"><p>{standfirst}</p></div>"),
        ),
    ] {
        let doc = read(&page(&head, &rest));
        assert_eq!(
            doc.meta.subtitle.as_deref(),
            Some(standfirst),
            "{head}{rest}"
        );
        assert_eq!(
            doc.blocks,
            vec![p("The last trawler left in the spring of 1987.")],
            "{head}{rest}"
        );
    }
    // Extraction leaves the header out of the article's body (the body is the div of
    // paragraphs): the standfirst beside the title's <h1> is still found.
    let body: String = (0..8)
        .map(|i| {
            format!(
                "<p>Paragraph {i} of the story, long enough to be the article's text, \
             with commas, full stops, and the rest of what prose is made of.</p>"
            )
        })
        .collect();
    let doc = read(&format!(
        "<html><head><title>The harbour</title></head><body><main><article>\
         <header><p class=\"kicker\">Towns</p><h1>The harbour</h1>\
         <p class=\"standfirst\">{standfirst}</p><p class=\"byline\">By A. Writer</p></header>\
         <div class=\"story-body\">{body}</div></article></main></body></html>"
    ));
    assert_eq!(doc.meta.subtitle.as_deref(), Some(standfirst));
    assert_eq!(doc.blocks.len(), 8);
    // A line of post details that a theme classes as a subhead, and a heading that repeats
    // the title, are no standfirst.
    let details = "<header><h1>The harbour</h1><div class=\"subhead\">by <span class=\"author\">\
                   A. Writer</span> | Filed under: towns, harbours and the sea | 4 comments</div></header>";
    assert_eq!(read(&page(details, "")).meta.subtitle, None);
    let repeated = "<h2>The harbour was quiet until the storm came to the town that spring.</h2>";
    let doc = read(&format!(
        "<html><head><title>The harbour was quiet until the storm came to the town that \
         spring.</title></head><body><article>{repeated}<p>Text.</p></article></body></html>"
    ));
    assert_eq!(doc.meta.subtitle, None);
    // A section heading right under the title, and a sentence heading after some text, stay.
    for (head, rest) in [
        ("<h1>The harbour</h1><h2>The last boats</h2>", ""),
        (
            "<h1>The harbour</h1><p>Spring.</p>",
            "<h2>The quay was quiet for the first time in years.</h2>",
        ),
    ] {
        let doc = read(&page(head, rest));
        assert_eq!(doc.meta.subtitle, None, "{head}{rest}");
        assert!(
            doc.blocks
                .iter()
                .any(|b| matches!(b, Block::Heading { level: 2, .. })),
            "{head}{rest}"
        );
    }
}

#[test]
fn content_root_prefers_main_then_single_article() {
    let html = "<body><nav>menu</nav><main><p>main text</p></main><footer>foot</footer></body>";
    assert_eq!(blocks(html), vec![p("main text")]);
    let whole = read_with(
        html,
        &ReadOptions {
            whole_page: true,
            ..ReadOptions::default()
        },
    );
    assert_eq!(whole.blocks, vec![p("menu"), p("main text"), p("foot")]);
    assert_eq!(
        blocks("<div>side</div><article><p>art</p></article>"),
        vec![p("art")]
    );
    assert_eq!(
        blocks("<article><p>one</p></article><article><p>two</p></article>"),
        vec![p("one"), p("two")]
    );
}

fn all_text(doc: &Document) -> String {
    doc.plain_text(usize::MAX)
}

#[test]
fn deep_nesting_is_capped_and_keeps_the_text() {
    for n in [10_000, 100_000] {
        for (open, close) in [
            ("<div>", "</div>"),
            ("<blockquote>", "</blockquote>"),
            ("<b>", "</b>"),
        ] {
            let html = format!("{}inner words{}", open.repeat(n), close.repeat(n));
            let doc = read(&html);
            assert!(all_text(&doc).contains("inner words"), "{open} x {n}");
            assert!(doc.depth() <= quire::model::MAX_DEPTH);
        }
    }
    // Unclosed deep nesting too.
    let doc = read(&format!("{}tail", "<blockquote><p>x".repeat(3000)));
    assert!(all_text(&doc).contains("tail"));
}

#[test]
fn broken_markup_reads() {
    // A stray `li` outside a list is read as a plain block.
    assert_eq!(
        blocks("<p>a<p>b</div></span><li>c"),
        vec![p("a"), p("b"), p("c")]
    );
    let huge = "x".repeat(1_000_000);
    let got = blocks(&format!("<p title='{huge}' data-a=\"{huge}\">ok</p>"));
    assert_eq!(got, vec![p("ok")]);
}

#[test]
fn a_two_megabyte_page_reads() {
    let para = "<p>Some <b>bold</b> text with <a href='/x'>a link</a> in it.</p>\n";
    let html = format!(
        "<html><body><div>{}</div></body></html>",
        para.repeat(2_000_000 / para.len())
    );
    let doc = read(&html);
    assert!(doc.blocks.len() > 30_000);
}

#[test]
fn content_after_a_meta_charset_is_kept() {
    // The tokenizer pauses at an encoding indicator; the parse must resume after it.
    let html = "<html><head><meta charset=utf-8><meta http-equiv=content-type content='text/html; charset=utf-8'>\
                <script>var a = '</p>';</script></head><body><p>Still here.</p></body></html>";
    assert_eq!(blocks(html), vec![p("Still here.")]);
}

#[test]
fn a_notes_list_before_its_references_is_still_removed() {
    let html = "<aside class=footnotes><ol><li id=a>First note.</li></ol></aside>\
                <p>Body<sup><a href=#a>1</a></sup>.</p>";
    assert_eq!(
        blocks(html),
        vec![para(vec![
            t("Body"),
            Inline::Note(vec![p("First note.")]),
            t(".")
        ])]
    );
}

#[test]
fn epub_footnotes_and_noteref_roles() {
    let html = "<p>See<a epub:type=noteref role=doc-noteref href=#n1>note</a> here.</p>\
                <aside epub:type=footnote id=n1><p>Aside note.</p></aside><p>End.</p>";
    assert_eq!(
        blocks(html),
        vec![
            para(vec![
                t("See"),
                Inline::Note(vec![p("Aside note.")]),
                t(" here.")
            ]),
            p("End."),
        ]
    );
}

/// Docutils and Sphinx (0.18 on) write each footnote as `<aside class="footnote brackets"
/// role=note>` in an `<aside class=footnote-list>`: the note's text was lost with the aside.
#[test]
fn docutils_footnotes_become_notes() {
    let html = "<p>One thing. <a class=\"footnote-reference brackets\" href=#id2 id=id1 \
                role=doc-noteref><span class=fn-bracket>[</span>1<span class=fn-bracket>]</span></a></p>\
                <aside class=\"footnote-list brackets\"><aside class=\"footnote brackets\" id=id2 role=note>\
                <span class=label><span class=fn-bracket>[</span><a role=doc-backlink href=#id1>1</a>\
                <span class=fn-bracket>]</span></span><p>Except for one thing.</p></aside></aside>";
    assert_eq!(
        blocks(html),
        vec![para(vec![
            t("One thing. "),
            Inline::Note(vec![p("Except for one thing.")]),
        ])]
    );
}

#[test]
fn ordinary_links_into_a_notes_section_stay_links() {
    // A long link text is not a note mark: it stays a link and the notes stay in the flow.
    let html = "<p><a href=#n1>read the full explanation below</a></p>\
                <div class=footnotes><p id=n1>Explanation.</p></div>";
    assert_eq!(
        blocks(html),
        vec![
            para(vec![Inline::Link(Box::new(quire::model::Link {
                url: "#n1".into(),
                title: None,
                content: vec![t("read the full explanation below")]
            }))]),
            p("Explanation."),
        ]
    );
}

#[test]
fn deeply_nested_mixed_structure_reads() {
    let unit = "<div><span><blockquote><i><table><tr><td><ul><li>";
    let html = format!("{}core text", unit.repeat(3000));
    let doc = read(&html);
    assert!(all_text(&doc).contains("core text"));
    assert!(doc.depth() <= quire::model::MAX_DEPTH);
}

/// An item with nothing in it (an empty `<li>`, or one whose only content is left out) is
/// no bullet of its own; the task boxes stay with their items.
#[test]
fn empty_list_items_are_left_out() {
    let list = |html: &str| match blocks(html).as_slice() {
        [Block::List(list)] => list.clone(),
        other => panic!("not one list: {other:?}"),
    };
    let plain = list("<ul><li></li><li>One</li><li> </li><li><span></span></li><li>Two</li></ul>");
    assert_eq!(plain.items, vec![vec![p("One")], vec![p("Two")]]);
    let tasks = list(
        "<ul><li><input type=checkbox checked> Done</li><li></li>\
         <li><input type=checkbox> Open</li></ul>",
    );
    assert_eq!(tasks.items, vec![vec![p("Done")], vec![p("Open")]]);
    assert_eq!(&*tasks.checked, &[Some(true), Some(false)]);
    // A list of nothing but empty items is no list.
    assert_eq!(
        blocks("<ul><li></li><li> </li></ul><p>After</p>"),
        vec![p("After")]
    );
}

/// A page that only sends its reader on (a moved page's stub, read from a file) is
/// converted as it is, with a warning naming where it points; a page that reloads itself
/// every few minutes is a page like any other.
#[test]
fn a_redirect_stub_says_where_it_points() {
    let stub = "<html><head><title>Redirecting...</title>\
        <meta http-equiv=\"refresh\" content=\"0; URL=ch18-00-oop.html\"></head>\
        <body><p>Redirecting to <a href=\"ch18-00-oop.html\">ch18-00-oop.html</a>.</p></body></html>";
    let options = ReadOptions {
        source_url: Some("https://doc.example/book/ch17-00-oop.html".into()),
        ..ReadOptions::default()
    };
    let reading = quire::read(stub.as_bytes(), InputFormat::Html, &options).expect("reads");
    let warnings: Vec<String> = reading.warnings.iter().map(|w| w.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("https://doc.example/book/ch18-00-oop.html")),
        "{warnings:?}"
    );
    // Nor does a page that sends only browsers without scripts elsewhere.
    for head in [
        "<meta http-equiv=\"refresh\" content=\"300; url=https://news.example/\">",
        "<noscript><meta http-equiv=\"refresh\" content=\"0; url=/nojs.html\"></noscript>",
    ] {
        let news = format!(
            "<html><head><title>Front page</title>{head}</head><body><article>\
             <p>Today's news, at length, in a paragraph of its own.</p></article></body></html>"
        );
        let reading = quire::read(news.as_bytes(), InputFormat::Html, &options).expect("reads");
        assert!(
            reading
                .warnings
                .iter()
                .all(|w| !w.to_string().contains("sends its reader on")),
            "{head}: {:?}",
            reading.warnings
        );
    }
}
