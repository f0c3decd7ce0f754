//! Formulas (issue 15, point 2): MathML, MathJax, KaTeX and Wikipedia's math images read
//! into one math node each, with their TeX; each writer's output: MathML in HTML and EPUB
//! (EPUBCheck clean), `$…$` in Markdown (read back the same), a linear form in text, the
//! symbols in the PDF.

use crate::epub::{assert_epubcheck_clean, file_text, unzip};
use crate::support::program;
use quire::model::Math;
use quire::{Block, Document, Inline, InputFormat, Meta, OutputFormat, ReadOptions, WriteOptions};

/// A page with a formula in each form that pages carry, in paragraphs long enough to be
/// the article.
const PAGE: &str = r#"<!doctype html><html lang="en"><head><title>Formulas</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article>
<h1>Formulas in every form</h1>
<p>The MathML form says that <math alttext="x^2+y^2=z^2"><mrow><msup><mi>x</mi><mn>2</mn></msup><mo>+</mo><msup><mi>y</mi><mn>2</mn></msup><mo>=</mo><msup><mi>z</mi><mn>2</mn></msup></mrow></math> holds for every right triangle, which the ancients knew well.</p>
<p>KaTeX writes <span class="katex"><span class="katex-mathml"><math xmlns="http://www.w3.org/1998/Math/MathML"><semantics><mrow><mi>α</mi><mo>≤</mo><mi>β</mi></mrow><annotation encoding="application/x-tex">\alpha \leq \beta</annotation></semantics></math></span><span class="katex-html" aria-hidden="true"><span class="base"><span class="mord mathnormal">α</span><span class="mrel">≤</span><span class="mord mathnormal">β</span></span></span></span> in the middle of a sentence of ordinary prose.</p>
<p>MathJax keeps <span class="MathJax_Preview">e^{i\pi}</span><span class="MathJax" id="MathJax-Element-1-Frame"><nobr><span class="math">eiπ+1=0</span></nobr></span><script type="math/tex" id="MathJax-Element-1">e^{i\pi}+1=0</script> in a script beside its rendering, and readers should see it once.</p>
<div class="MathJax_Display"><span class="MathJax" id="MathJax-Element-2-Frame">rendered sum</span></div><script type="math/tex; mode=display" id="MathJax-Element-2">\sum_{n=1}^{\infty} \frac{1}{n^2} = \frac{\pi^2}{6}</script>
<p>Wikipedia shows <span class="mwe-math-element"><span class="mwe-math-mathml-inline mwe-math-mathml-a11y" style="display: none;"><math xmlns="http://www.w3.org/1998/Math/MathML" alttext="{\displaystyle \sqrt{2}}"><semantics><mrow><mstyle displaystyle="true" scriptlevel="0"><msqrt><mn>2</mn></msqrt></mstyle></mrow><annotation encoding="application/x-tex">{\displaystyle \sqrt{2}}</annotation></semantics></math></span><img src="https://wikimedia.org/api/rest_v1/media/math/render/svg/abc" class="mwe-math-fallback-image-inline" aria-hidden="true" alt="{\displaystyle \sqrt{2}}"></span> as an image with the formula hidden beside it, and that number is irrational.</p>
<p>An image alone: <img src="https://wikimedia.org/math/def.svg" class="mwe-math-fallback-image-inline" alt="{\displaystyle a_{n}}"> is the nth term, and MathJax 3 renders <mjx-container class="MathJax" jax="CHTML"><mjx-math class="MJX-TEX"><mjx-mi class="mjx-i"></mjx-mi></mjx-math><mjx-assistive-mml display="inline"><math xmlns="http://www.w3.org/1998/Math/MathML"><msub><mi>b</mi><mi>k</mi></msub></math></mjx-assistive-mml></mjx-container> with assistive MathML for screen readers.</p>
<p>That is all there is to say about formulas on web pages today, and the article ends here with a final sentence or two.</p>
</article>
<footer>Copyright the formula society</footer>
</body></html>"#;

fn maths(document: &Document) -> Vec<Math> {
    fn collect(inlines: &[Inline], out: &mut Vec<Math>) {
        for inline in inlines {
            match inline {
                Inline::Math(math) => out.push((**math).clone()),
                Inline::Emphasis(c) | Inline::Strong(c) | Inline::Span { content: c, .. } => {
                    collect(c, out)
                }
                Inline::Link(link) => collect(&link.content, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for block in &document.blocks {
        if let Block::Paragraph(inlines) = block {
            collect(inlines, &mut out);
        }
    }
    out
}

fn read_page(options: &ReadOptions) -> Document {
    quire::read(PAGE.as_bytes(), InputFormat::Html, options)
        .expect("reads")
        .document
}

fn write(document: &Document, format: OutputFormat) -> Vec<u8> {
    quire::write(document, format, &WriteOptions::default())
        .expect("writes")
        .bytes
}

fn formula(tex: &str, display: bool) -> Inline {
    Inline::Math(Box::new(Math {
        display,
        tex: Some(tex.to_string()),
        mathml: None,
    }))
}

/// A document of formulas, written by hand: inline ones in a sentence, a displayed one.
fn formula_document() -> Document {
    Document::new(
        Meta {
            title: Some("Formulas".into()),
            language: Some("en".into()),
            ..Meta::default()
        },
        vec![
            Block::Paragraph(vec![
                Inline::text("Einstein wrote "),
                formula("E = mc^2", false),
                Inline::text(" and we know "),
                formula("\\alpha \\leq \\beta", false),
                Inline::text(" for costs of $5-$10."),
            ]),
            Block::Paragraph(vec![formula("\\sum_{n=1}^{N} \\frac{1}{n^2}", true)]),
        ],
    )
}

#[test]
fn each_form_of_formula_becomes_one_math_node_with_its_tex() {
    for whole_page in [false, true] {
        let options = ReadOptions {
            whole_page,
            ..ReadOptions::default()
        };
        let document = read_page(&options);
        let found: Vec<(Option<String>, bool)> = maths(&document)
            .into_iter()
            .map(|m| (m.tex, m.display))
            .collect();
        let expected = [
            ("x^2+y^2=z^2", false),
            ("\\alpha \\leq \\beta", false),
            ("e^{i\\pi}+1=0", false),
            (
                "\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}",
                true,
            ),
            ("\\sqrt{2}", false),
            ("a_{n}", false),
            ("b_k", false),
        ];
        let expected: Vec<(Option<String>, bool)> = expected
            .iter()
            .map(|(tex, display)| (Some(tex.to_string()), *display))
            .collect();
        assert_eq!(found, expected, "whole page: {whole_page}");
        // No copy of any formula is left as text (KaTeX's visual copy, MathJax's preview
        // and rendering, Wikipedia's hidden MathML).
        let text = String::from_utf8(write(&document, OutputFormat::Text)).unwrap();
        for copy in ["rendered sum", "eiπ+1=0", "e^{i\\pi}", "αβ", "α≤β"] {
            assert!(!text.contains(copy), "{copy} left in:\n{text}");
        }
    }
}

#[test]
fn mathml_from_the_page_is_kept_sanitised() {
    let html = r#"<p>A formula <math display="block" onclick="steal()"><mi href="javascript:x()">x</mi><script>alert(1)</script><mo>&lt;</mo><mn>1</mn></math> here.</p>"#;
    let options = ReadOptions {
        whole_page: true,
        ..ReadOptions::default()
    };
    let document = quire::read(html.as_bytes(), InputFormat::Html, &options)
        .unwrap()
        .document;
    let [math] = maths(&document).try_into().expect("one formula");
    assert!(math.display);
    let mathml = math.mathml.expect("MathML kept");
    assert_eq!(
        mathml,
        "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\" alttext=\"x &lt; 1\"><mi>x</mi><mo>&lt;</mo><mn>1</mn></math>"
    );
    // TeX is made from the MathML when the page gives none.
    assert_eq!(math.tex.as_deref(), Some("x < 1"));
}

#[test]
fn html_writes_mathml_with_alt_text() {
    let html = String::from_utf8(write(&formula_document(), OutputFormat::Html)).unwrap();
    assert!(
        html.contains("<math xmlns=\"http://www.w3.org/1998/Math/MathML\" alttext=\"E = mc^2\">"),
        "{html}"
    );
    assert!(html.contains("<msup><mi>c</mi><mn>2</mn></msup>"), "{html}");
    assert!(
        html.contains("<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\""),
        "{html}"
    );
    // The page's own MathML is written as it was read, with its TeX as alt text.
    let page = read_page(&ReadOptions::default());
    let html = String::from_utf8(write(&page, OutputFormat::Html)).unwrap();
    assert!(
        html.contains("alttext=\"\\alpha \\leq \\beta\"><semantics><mrow><mi>α</mi><mo>≤</mo>"),
        "{html}"
    );
    assert_eq!(html.matches("<math ").count(), 7, "{html}");
}

#[test]
fn epub_with_formulas_is_mathml_and_epubcheck_clean() {
    let bytes = write(&formula_document(), OutputFormat::Epub);
    let files = unzip(&bytes);
    let opf = file_text(&files, "OEBPS/content.opf");
    assert!(opf.contains("properties=\"mathml\""), "{opf}");
    let chapter = files
        .iter()
        .find(|(name, bytes)| {
            name.ends_with(".xhtml") && String::from_utf8_lossy(bytes).contains("<math")
        })
        .expect("a page with MathML");
    assert!(String::from_utf8_lossy(&chapter.1).contains("alttext=\"E = mc^2\""));
    assert_epubcheck_clean(&bytes, "formulas");
    // The page's own MathML too.
    let page = read_page(&ReadOptions::default());
    assert_epubcheck_clean(&write(&page, OutputFormat::Epub), "formulas-from-page");
}

#[test]
fn markdown_writes_dollars_and_reads_them_back() {
    let document = formula_document();
    let markdown = String::from_utf8(write(&document, OutputFormat::Markdown)).unwrap();
    assert!(
        markdown.contains("Einstein wrote $E = mc^2$ and"),
        "{markdown}"
    );
    assert!(
        markdown.contains("$$\\sum_{n=1}^{N} \\frac{1}{n^2}$$"),
        "{markdown}"
    );
    // A dollar in the text that could open a formula is escaped.
    assert!(markdown.contains("\\$5-\\$10"), "{markdown}");
    let back = read_markdown(markdown.as_bytes());
    assert_eq!(back.blocks, document.blocks, "{markdown}");
    // Pandoc's rules: no formula where a space follows the opening dollar.
    let prices = read_markdown("It costs $ 5 and $10, or $x$ for short.");
    let found: Vec<Option<String>> = maths(&prices).into_iter().map(|m| m.tex).collect();
    assert_eq!(found, [Some("x".to_string())]);
}

#[test]
fn text_writes_a_readable_line() {
    let text = String::from_utf8(write(&formula_document(), OutputFormat::Text)).unwrap();
    assert!(
        text.contains("Einstein wrote E = mc² and we know α ≤ β"),
        "{text}"
    );
    assert!(text.contains("∑ₙ₌₁^N 1/n²"), "{text}");
}

#[test]
fn json_keeps_the_node() {
    let json = String::from_utf8(write(&formula_document(), OutputFormat::Json)).unwrap();
    assert!(
        json.contains(r#"{"type":"math","c":{"tex":"E = mc^2"}}"#)
            || json.contains("\"type\": \"math\""),
        "{json}"
    );
    let back = quire::read(json.as_bytes(), InputFormat::Json, &ReadOptions::default())
        .unwrap()
        .document;
    assert_eq!(back.blocks, formula_document().blocks);
}

#[test]
fn json_with_unsafe_mathml_keeps_only_the_tex() {
    let json = r#"{"meta": {}, "blocks": [{"type": "paragraph", "c": [{"type": "math", "c": {"tex": "x", "mathml": "<math><script>alert(1)</script></math>"}}]}]}"#;
    let document = quire::read(json.as_bytes(), InputFormat::Json, &ReadOptions::default())
        .unwrap()
        .document;
    let html = String::from_utf8(write(&document, OutputFormat::Html)).unwrap();
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains("alttext=\"x\"><semantics><mrow><mi>x</mi>"),
        "{html}"
    );
}

#[test]
fn pdf_sets_the_formulas_symbols() {
    let Some(pdftotext) = program("pdftotext", "poppler-utils") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("formulas.pdf");
    std::fs::write(&pdf, write(&formula_document(), OutputFormat::Pdf)).unwrap();
    let out = std::process::Command::new(pdftotext)
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for symbol in ["E = mc", "α ≤ β", "∑", "Einstein wrote"] {
        assert!(text.contains(symbol), "{symbol} missing from:\n{text}");
    }
}

#[test]
fn tex_made_from_mathml_keeps_fractions_and_accents() {
    let html = "<p>Rate <math><mover><mi>x</mi><mo>˙</mo></mover><mo>=</mo><mfrac><mi>n</mi><mi>k</mi></mfrac></math> here.</p>";
    let options = ReadOptions {
        whole_page: true,
        ..ReadOptions::default()
    };
    let document = quire::read(html.as_bytes(), InputFormat::Html, &options)
        .unwrap()
        .document;
    let [math] = maths(&document).try_into().expect("one formula");
    assert_eq!(math.tex.as_deref(), Some("\\dot{x} = \\frac{n}{k}"));
    let text = String::from_utf8(write(&document, OutputFormat::Text)).unwrap();
    // x and a combining dot above.
    assert!(text.contains("Rate x\u{307} = n/k here."), "{text}");
}

/// A Markdown text's document.
fn read_markdown(markdown: impl AsRef<[u8]>) -> Document {
    quire::read(
        markdown.as_ref(),
        InputFormat::Markdown,
        &ReadOptions::default(),
    )
    .unwrap()
    .document
}

/// The formulas of a Markdown text, as their TeX, and the text around them as plain text.
fn markdown_formulas(markdown: &str) -> (Vec<String>, String) {
    let document = read_markdown(markdown.as_bytes());
    let tex = maths(&document).into_iter().filter_map(|m| m.tex).collect();
    let text = String::from_utf8(write(&document, OutputFormat::Text)).unwrap();
    (tex, text)
}

#[test]
fn a_dollar_before_a_digit_or_inside_a_link_ends_no_formula() {
    // Prices are no formulas: a closing dollar never comes right before a digit (pandoc's
    // rule). A link whose text starts with a dollar was a formula that swallowed half the
    // link: the link is read first, as GitHub and pandoc read it.
    let (tex, text) = markdown_formulas(concat!(
        "It costs $5-$10 a month, or $a$1 each.\n\n",
        "Inspired by the [$http service](https://docs.example/api/$http) in Angular.\n",
    ));
    assert!(tex.is_empty(), "{tex:?}");
    assert!(
        text.contains("It costs $5-$10 a month, or $a$1 each"),
        "{text}"
    );
    assert!(text.contains("Inspired by the $http service"), "{text}");
    let document = read_markdown("the [$http service](https://docs.example/api/$http) in");
    let Some(Block::Paragraph(inlines)) = document.blocks.first() else {
        panic!("a paragraph: {:?}", document.blocks);
    };
    assert!(
        matches!(&inlines[1], Inline::Link(link) if link.url == "https://docs.example/api/$http"),
        "{inlines:?}"
    );
    // Formulas stay formulas, however many a paragraph holds and whatever letter follows
    // them (the $n$th term).
    let (tex, _) = markdown_formulas("Let $x$ and $y$, ($z^2$), the $n$th term, $a$. Then $$b$$\n");
    assert_eq!(tex, ["x", "y", "z^2", "n", "a", "b"]);
    // A chain of false ones leaves a true one at its end.
    let (tex, text) = markdown_formulas("a $1$2$3$4$ z\n");
    assert_eq!(tex, ["4"]);
    assert!(text.contains("$1$2$3"), "{text}");
}

#[test]
fn a_formula_before_a_digit_is_written_so_that_it_reads_back() {
    let math = |tex: &str| {
        Inline::Math(Box::new(Math {
            display: false,
            tex: Some(tex.into()),
            mathml: None,
        }))
    };
    let blocks = vec![Block::Paragraph(vec![
        Inline::text("Take "),
        math("x^2"),
        Inline::text("2 times, then "),
        math("n"),
        Inline::text("th."),
    ])];
    let document = Document::new(Meta::default(), blocks);
    let markdown = String::from_utf8(write(&document, OutputFormat::Markdown)).unwrap();
    assert!(markdown.contains("$x^2$&#50; times"), "{markdown}");
    let back = read_markdown(markdown.as_bytes());
    assert_eq!(back.blocks, document.blocks, "{markdown}");
}

#[test]
fn code_written_as_html_holds_no_formula() {
    // A template string in `<code>` is code: its dollars and braces are kept as written.
    let (tex, text) = markdown_formulas(
        "It defaults to <code>Mozilla (${platform || \"unknown OS\"}) jsdom/${version}</code>, and <code>$2a$</code> too.\n",
    );
    assert!(tex.is_empty(), "{tex:?}");
    assert!(
        text.contains("Mozilla (${platform || \"unknown OS\"}) jsdom/${version}"),
        "{text}"
    );
    assert!(text.contains("$2a$ too"), "{text}");
}
