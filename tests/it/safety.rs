//! Safe output: whatever the input, clean HTML (full page and fragment) never carries scripts,
//! event handlers, `javascript:`/`vbscript:` or HTML `data:` URLs, frames, objects, forms,
//! meta refreshes or CSS that loads from the network.
//!
//! The vectors are our own, modelled on the OWASP XSS filter evasion cheat sheet: case tricks,
//! entity- and whitespace-hidden schemes, broken markup, CSS channels, SVG/MathML, mutation
//! tricks. Each goes through every reader (HTML as article and whole page, Markdown with raw
//! HTML and links, plain text, and the JSON model, where anything can be written directly)
//! and then the HTML writer; [`scan::unsafe_parts`] judges the output.

mod scan;

use quire::model::{Attr, Block, Document, Image, Inline, Meta};
use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};

/// HTML vectors (each also goes into Markdown as raw HTML).
const HTML_VECTORS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<a href=\"java\u{0}script:alert(1)\">nul in scheme</a>",
    "<a href=\"java&#0;script:alert(1)\">nul entity in scheme</a>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<SCRIPT SRC=http://xss.example/xss.js?< B >",
    "<SCRIPT SRC=//xss.example/.j>",
    "<iframe src=http://xss.example/scriptlet.html <",
    "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<svg/onload=alert('XSS')>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">XSS</text></a></svg>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<LINK REL=\"stylesheet\" HREF=\"http://xss.example/xss.css\">",
    "<STYLE>@import'http://xss.example/xss.css';</STYLE>",
    "<STYLE>@im\\port'\\ja\\vasc\\ript:alert(\"XSS\")';</STYLE>",
    "<META HTTP-EQUIV=\"Link\" Content=\"<http://xss.example/xss.css>; REL=stylesheet\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
    "<META HTTP-EQUIV=\"Set-Cookie\" Content=\"USERID=<SCRIPT>alert('XSS')</SCRIPT>\">",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<IFRAME SRC=# onmouseover=\"alert(document.cookie)\"></IFRAME>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\"><TR><TD>cell</TD></TR></TABLE>",
    "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">cell</TD></TABLE>",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">div</DIV>",
    "<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028.1027\\0058.1053\\0053\\0027\\0029'\\0029\">div</DIV>",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">div</DIV>",
    "<p style=\"background:url(http://tracker.example/pixel.gif)\">tracked</p>",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "<XSS STYLE=\"behavior: url(xss.htc);\">",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.example/scriptlet.html\"></OBJECT>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv\" type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>",
    "<APPLET CODE=\"xss.class\"></APPLET>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data link</a>",
    "<form action=\"javascript:alert(1)\"><input type=submit><button formaction=javascript:alert(1)>go</button></form>",
    "<a href=\"&#x6a;avascript:alert(1)\">entity scheme</a>",
    "<a href=\"java&Tab;script:alert(1)\">tab entity</a>",
    "<a href=\"javascript&colon;alert(1)\">colon entity</a>",
    "<a href=\"  javascript:alert(1)\">leading spaces</a>",
    "<a href=\" JAVASCRIPT:alert(1)\">upper case</a>",
    "<a href=\"vbscript:msgbox(1)\">vbscript</a>",
    "<a href=\"javascript://%0Aalert(1)\">comment trick</a>",
    "<img src=\"x\" srcset=\"javascript:alert(1) 1x, http://ok.example/a.png 2x\">",
    "<video><source onerror=\"alert(1)\"></video><audio src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>details</details>",
    "<img alt='\"><script>alert(1)</script>' src=\"http://ok.example/a.png\">",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<template><script>alert(1)</script></template>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<img src=1 href=1 onerror=\"javascript:alert(1)\"></img>",
    "<a href=\"http://ok.example/\" onclick=\"alert(1)\" style=\"color:red\">styled link</a>",
    "<object data=\"javascript:alert(1)\">",
    "<isindex type=image src=1 onerror=alert(1)>",
    "<marquee onstart=alert(1)>m</marquee>",
    "<a href=\"#\" title=\"x\" onmouseover=alert(1)//\">x</a>",
    "<div onclick\n=alert(1)>newline before equals</div>",
    "<span style=\"font-family:'x';background:u\\rl(http://t.example/p.gif)\">escaped url</span>",
    "<table><caption onmouseover=alert(1)>cap</caption><tr><th onclick=alert(1)>h</th></tr></table>",
    "<figure><img src=\"javascript:alert(1)\" alt=\"fig\"><figcaption onclick=alert(1)>cap</figcaption></figure>",
    "<blockquote cite=\"javascript:alert(1)\">quoted</blockquote>",
    "<q cite=\"javascript:alert(1)\">q</q><ins cite=\"javascript:alert(1)\">i</ins>",
    "<a ping=\"http://tracker.example/\" href=\"http://ok.example/\">ping</a>",
    "<img src=\"data:text/html,<script>alert(1)</script>\">",
    "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
];

/// Markdown-only vectors: links and images with script URLs in every syntax.
const MARKDOWN_VECTORS: &[&str] = &[
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    "[x](<javascript:alert(1)>)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#9;script:alert(1))",
    "[x](http://ok.example \"\\\" onmouseover=\\\"alert(1)\")",
    "![x](http://ok.example/a.png \"\\\" onerror=\\\"alert(1)\")",
    "<a href=\"javascript:alert(1)\">raw</a> and *emphasis*",
    "```html\n<script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
];

fn padded_html(vector: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Vector page</title></head><body><article>\
         <h1>Vector page</h1><p>{words}</p>{vector}<p>{words}</p></article></body></html>",
        words = "The harbour master writes about the tides and the boats every day. ".repeat(5)
    )
}

fn padded_markdown(vector: &str) -> String {
    format!("# Vector page\n\nThe harbour master writes about tides.\n\n{vector}\n\nMore words after it.\n")
}

fn padded_text(vector: &str) -> String {
    format!("Vector page\n\nThe harbour master writes about tides.\n\n{vector}\n\nMore words after it.\n")
}

/// Reads `input`, writes full and fragment HTML, and returns every problem found (with
/// where), plus whether the reader accepted the input.
fn problems(input: &str, format: InputFormat, whole_page: bool) -> Vec<String> {
    let options = ReadOptions {
        whole_page,
        ..ReadOptions::default()
    };
    let reading = match quire::read(input.as_bytes(), format, &options) {
        Ok(reading) => reading,
        // Refusing binary input (a NUL byte) outright is safe too.
        Err(quire::Error::Binary(_)) => return Vec::new(),
        Err(e) => return vec![format!("reader failed: {e}")],
    };
    written_problems(&reading.document)
}

fn written_problems(document: &Document) -> Vec<String> {
    let mut found = Vec::new();
    for fragment in [false, true] {
        let options = WriteOptions {
            fragment,
            ..WriteOptions::default()
        };
        match quire::write(document, OutputFormat::Html, &options) {
            Ok(rendered) => {
                let html = String::from_utf8_lossy(&rendered.bytes);
                found.extend(
                    scan::unsafe_parts(&html)
                        .into_iter()
                        .map(|p| format!("{p}\n--- output ---\n{html}")),
                );
            }
            Err(e) => found.push(format!("writer failed: {e}")),
        }
    }
    found
}

fn check_all(cases: Vec<(String, Vec<String>)>) {
    let failures: Vec<String> = cases
        .into_iter()
        .filter(|(_, problems)| !problems.is_empty())
        .map(|(case, problems)| format!("== {case}\n{}", problems[0]))
        .collect();
    assert!(
        failures.is_empty(),
        "{} unsafe outputs:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn the_scanner_catches_what_it_must_and_spares_plain_text() {
    assert!(scan::unsafe_parts("<p>Say &lt;script&gt; and onclick=x freely.</p>").is_empty());
    assert!(
        scan::unsafe_parts("<a href=\"https://ok.example/\" title=\"a onclick=b\">x</a>")
            .is_empty()
    );
    assert!(scan::unsafe_parts("<img src=\"data:image/png;base64,AAAA\" alt=\"\">").is_empty());
    assert!(scan::unsafe_parts("<link rel=\"canonical\" href=\"https://ok.example/\">").is_empty());
    // A book's own stylesheet is part of the package, not the network.
    assert!(scan::unsafe_parts("<link rel=\"stylesheet\" href=\"stylesheet.css\"/>").is_empty());
    for bad in [
        "<script>x</script>",
        "<p onclick=\"x\">",
        "<a href=\"jav&#x09;ascript:x\">",
        "<a href=\"java&Tab;script&colon;x\">",
        "<img src=\"data:text/html,x\">",
        "<meta http-equiv=\"refresh\" content=\"0\">",
        "<div style=\"background:\\75 rl(http://t/x)\">",
        "<style>p{background:url(//t/x)}</style>",
        "<link rel=\"stylesheet\" href=\"http://t/x.css\">",
        "<link rel=\"stylesheet\" href=\"//t/x.css\">",
        "<iframe src=\"x\"></iframe>",
        "<form>",
    ] {
        assert!(!scan::unsafe_parts(bad).is_empty(), "missed: {bad}");
    }
}

#[test]
fn html_vectors_as_articles_give_safe_html() {
    check_all(
        HTML_VECTORS
            .iter()
            .map(|v| {
                (
                    v.to_string(),
                    problems(&padded_html(v), InputFormat::Html, false),
                )
            })
            .collect(),
    );
}

#[test]
fn html_vectors_as_whole_pages_give_safe_html() {
    check_all(
        HTML_VECTORS
            .iter()
            .map(|v| {
                (
                    v.to_string(),
                    problems(&padded_html(v), InputFormat::Html, true),
                )
            })
            .collect(),
    );
}

#[test]
fn html_vectors_alone_give_safe_html() {
    // No article around them: the reader must still keep nothing dangerous.
    check_all(
        HTML_VECTORS
            .iter()
            .map(|v| (v.to_string(), problems(v, InputFormat::Html, false)))
            .collect(),
    );
}

#[test]
fn markdown_vectors_give_safe_html() {
    check_all(
        MARKDOWN_VECTORS
            .iter()
            .chain(HTML_VECTORS)
            .map(|v| {
                (
                    v.to_string(),
                    problems(&padded_markdown(v), InputFormat::Markdown, false),
                )
            })
            .collect(),
    );
}

#[test]
fn text_vectors_give_safe_html() {
    check_all(
        MARKDOWN_VECTORS
            .iter()
            .chain(HTML_VECTORS)
            .map(|v| {
                (
                    v.to_string(),
                    problems(&padded_text(v), InputFormat::Text, false),
                )
            })
            .collect(),
    );
}

/// The JSON reader takes any model, so every field a writer turns into markup gets a vector.
#[test]
fn hostile_models_give_safe_html() {
    let script_urls = [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "\"><script>alert(1)</script>",
        "x\" onerror=\"alert(1)",
    ];
    let mut cases = Vec::new();
    for url in script_urls {
        let attr = Attr {
            id: format!("{url}\" onclick=\"alert(1)"),
            classes: vec![url.to_string(), "a\" onmouseover=\"alert(1)".into()],
            attributes: vec![
                ("onclick".into(), "alert(1)".into()),
                ("href".into(), url.into()),
                ("src".into(), url.into()),
                (
                    "style".into(),
                    "background:url(http://t.example/p.gif)".into(),
                ),
                ("x\" onload=\"alert(1)".into(), "y".into()),
                ("data-x".into(), url.into()),
            ],
        };
        let image = Image {
            src: url.into(),
            alt: url.into(),
            title: Some(url.into()),
            ..Default::default()
        };
        let document = Document {
            meta: Meta {
                title: Some(format!("</title><script>alert(1)</script>{url}")),
                subtitle: Some(url.into()),
                authors: vec![url.into()],
                language: Some("en\" onload=\"alert(1)".to_string()),
                site_name: Some(url.into()),
                source_url: Some(url.into()),
                description: Some(url.into()),
                lead_image: Some(url.into()),
                keywords: vec![url.into()],
                // A typed date cannot carry markup: what is not a date is no date.
                published: quire::model::Date::parse_iso(url),
                modified: quire::model::Date::parse_iso(url),
                direction: None,
            },
            blocks: vec![
                Block::Heading {
                    level: 2,
                    id: format!("{url}\" onclick=\"alert(1)").into(),
                    content: vec![Inline::Text("<script>alert(1)</script>".into())],
                },
                Block::Paragraph(vec![
                    Inline::Link(Box::new(quire::model::Link {
                        url: url.into(),
                        title: Some(url.into()),
                        content: vec![Inline::Text("link".into())],
                    })),
                    Inline::image(image.clone()),
                    Inline::Span {
                        attr: Box::new(attr.clone()),
                        content: vec![Inline::Text("span".into())],
                    },
                    Inline::Code("<script>alert(1)</script>".into()),
                ]),
                Block::Container {
                    attr: Box::new(attr),
                    blocks: vec![Block::Code {
                        language: Some("js\" onclick=\"alert(1)".into()),
                        text: "</code><script>alert(1)</script>".into(),
                    }],
                },
                Block::Figure(Box::new(quire::model::Figure {
                    image,
                    caption: vec![Inline::Text("caption".into())],
                })),
            ],
        };
        // Through the JSON reader, as `--from json` would take it.
        let json = serde_json::to_string(&document).unwrap();
        cases.push((
            format!("model with {url}"),
            problems(&json, InputFormat::Json, false),
        ));
    }
    check_all(cases);
}

#[test]
fn text_is_kept_while_scripts_go() {
    let html = padded_html("<p>Keep <b>this</b> sentence.</p><script>alert('gone')</script>");
    let reading = quire::read(html.as_bytes(), InputFormat::Html, &ReadOptions::default()).unwrap();
    let out = quire::write(
        &reading.document,
        OutputFormat::Html,
        &WriteOptions::default(),
    )
    .unwrap();
    let out = String::from_utf8(out.bytes).unwrap();
    assert!(
        out.contains("Keep <strong>this</strong> sentence."),
        "{out}"
    );
    assert!(!out.contains("gone"), "{out}");
}

/// Every vector at once into an EPUB (once the EPUB writer exists): each XHTML and CSS file in
/// the book must pass the same scanner. The book is unpacked with Python's zipfile.
#[test]
fn epub_output_is_safe() {
    let dir = tempfile::tempdir().unwrap();
    // A NUL byte makes the decoder refuse the whole file as binary (the one-vector-a-page
    // tests cover those vectors); the rest go into one book.
    let page: String = HTML_VECTORS
        .iter()
        .filter(|v| !v.contains('\0'))
        .map(|v| format!("<p>Vector follows.</p>{v}\n"))
        .collect();
    let markdown: String = MARKDOWN_VECTORS
        .iter()
        .filter(|v| !v.contains('\0'))
        .map(|v| format!("{v}\n\n"))
        .collect();
    let inputs = [
        ("vectors.html", padded_html(&page)),
        ("vectors.md", padded_markdown(&markdown)),
    ];
    for (name, text) in inputs {
        let input = dir.path().join(name);
        std::fs::write(&input, text).unwrap();
        let book = dir.path().join(format!("{name}.epub"));
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
            .args(["convert", "--to", "epub", "-o"])
            .arg(&book)
            .arg(&input)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if output.status.code() == Some(2) && stderr.contains("epub") {
            eprintln!("\n*** SKIPPED epub_output_is_safe: this build writes no EPUB ***\n");
            return;
        }
        assert!(output.status.success(), "{name}: {stderr}");
        let unpack = std::process::Command::new("python3")
            .arg("-c")
            .arg(
                "import sys, zipfile\n\
                 z = zipfile.ZipFile(sys.argv[1])\n\
                 for n in z.namelist():\n\
                 \x20   if n.endswith(('.xhtml', '.html', '.htm', '.css', '.opf', '.ncx')):\n\
                 \x20       sys.stdout.write('\\x00' + n + '\\x00' + z.read(n).decode('utf-8', 'replace'))\n",
            )
            .arg(&book)
            .output()
            .expect("python3 runs");
        assert!(
            unpack.status.success(),
            "{}",
            String::from_utf8_lossy(&unpack.stderr)
        );
        let listing = String::from_utf8_lossy(&unpack.stdout);
        let mut parts = listing.split('\u{0}').skip(1);
        let mut problems = Vec::new();
        while let (Some(file), Some(content)) = (parts.next(), parts.next()) {
            let content = if file.ends_with(".css") {
                format!("<style>{content}</style>")
            } else {
                content.to_string()
            };
            problems.extend(
                scan::unsafe_parts(&content)
                    .into_iter()
                    .map(|p| format!("{name} → {file}: {p}")),
            );
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}
