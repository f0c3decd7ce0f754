//! The XHTML documents inside the book (the chapter page around a body, the title page, the
//! cover page and the sources appendix), the e-reader stylesheet, and [`ChapterMarkup`], the
//! hooks through which the HTML renderer writes a chapter body as EPUB XHTML (EPUB 3
//! footnotes, images embedded in the book, absolute source links).

use std::fmt::Write as _;

use crate::locale::Labels;
use crate::model::{Direction, Meta};
pub(crate) use crate::prepare::links::safe_external_url;
pub(crate) use crate::write::html::ImageRef;
use crate::write::html::{safe_url, Hooks, MathImage, UrlUse};
pub(crate) use crate::xml::{clean_text as xml_clean, escape_attr_into, escape_text_into};

/// The book's stylesheet. It sets no font family and no absolute font size, so the reader's
/// own settings win; it avoids flexbox, grid and custom properties, which e-readers mishandle.
/// As in the HTML stylesheet, a wide table scrolls in its `div.table-wrap` (a page wider
/// than the screen is cut off by e-readers), and a task item's box hangs where its bullet
/// would be. Sides are logical (`inline-start`, `text-align: start`), so that a right-to-left
/// chapter (`dir="rtl"`) has its quote bar and list indents on the right.
pub(crate) const STYLESHEET: &str = r#"body { margin: 0 0.6em; line-height: 1.45; orphans: 2; widows: 2; word-wrap: break-word; overflow-wrap: break-word; }
p { margin: 0 0 0.8em 0; text-indent: 0; }
h1, h2, h3, h4, h5, h6 { line-height: 1.2; margin: 1.4em 0 0.6em 0; page-break-after: avoid; break-after: avoid; -webkit-hyphens: manual; hyphens: manual; }
h1 { font-size: 1.6em; margin-top: 0.4em; }
h2 { font-size: 1.35em; }
h3 { font-size: 1.15em; }
h4, h5, h6 { font-size: 1em; }
a { color: inherit; text-decoration: none; }
a[href] { text-decoration: underline; }
blockquote { margin: 1em 1.2em; padding-inline-start: 0.8em; border-inline-start: 2px solid #999; font-style: italic; }
blockquote em, blockquote i { font-style: normal; }
pre { white-space: pre-wrap; word-wrap: break-word; font-family: monospace; font-size: 0.85em; margin: 1em 0; padding: 0.5em; border: 1px solid #999; }
code { font-family: monospace; font-size: 0.9em; }
pre code { font-size: 1em; }
hr { border: 0; border-top: 1px solid #888; margin: 1.5em 20%; }
ul, ol { margin: 0 0 0.8em 0; padding-inline-start: 1.6em; }
li { margin: 0.2em 0; }
li > p { margin: 0 0 0.4em 0; }
li.task-list-item { list-style: none; }
li.task-list-item > .task-box:first-child, li.task-list-item > p:first-child > .task-box:first-child { display: inline-block; width: 1.05em; margin-inline-start: -1.3em; text-indent: 0; }
div.table-wrap { margin: 1em 0; max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; margin: 0; font-size: 0.9em; }
caption { caption-side: top; text-align: start; font-style: italic; margin-bottom: 0.4em; }
th, td { border: 1px solid #888; padding: 0.25em 0.5em; vertical-align: top; word-wrap: break-word; overflow-wrap: break-word; -webkit-hyphens: auto; hyphens: auto; }
th { font-weight: bold; }
td > p, th > p { margin: 0; }
figure { margin: 1em 0; text-align: center; page-break-inside: avoid; break-inside: avoid; }
figcaption { font-size: 0.85em; font-style: italic; margin-top: 0.3em; text-align: center; }
img { max-width: 100%; }
img[width] { height: auto; }
.image-alt { font-style: italic; }
sup, sub { line-height: 0; font-size: 0.75em; }
header.article-header { margin-bottom: 1.5em; }
header.article-header h1 { font-size: 1.8em; margin-top: 0.4em; }
header.article-header .subtitle { font-size: 1.15em; font-style: italic; margin: 0 0 0.6em 0; }
header.article-header .byline, header.article-header .dateline { font-size: 0.85em; margin: 0 0 0.3em 0; }
.dateline a, .source a { word-wrap: break-word; }
.footnote-ref a { text-decoration: none; padding: 0 0.1em; }
section.footnotes { margin-top: 2em; border-top: 1px solid #888; padding-top: 0.4em; font-size: 0.9em; counter-reset: footnote; }
section.footnotes > aside { margin: 0.6em 0; counter-increment: footnote; }
section.footnotes > aside > :first-child:before { content: counter(footnote) ". "; }
a.footnote-back { text-decoration: none; }
.titlepage { text-align: center; margin-top: 3em; }
.titlepage h1 { font-size: 2em; margin-bottom: 0.5em; }
.titlepage p { margin: 0.4em 0; }
.titlepage .subtitle { font-style: italic; font-size: 1.2em; margin-bottom: 1.5em; }
.titlepage .authors { font-weight: bold; margin-top: 1.5em; }
.titlepage .description { font-style: italic; margin: 2em 1em 0 1em; }
.titlepage .source { word-wrap: break-word; font-size: 0.85em; margin-top: 2em; }
body.cover { margin: 0; padding: 0; text-align: center; }
div.cover { margin: 0; padding: 0; height: 100%; text-align: center; }
div.cover img { display: block; margin: 0 auto; height: 100%; max-width: 100%; max-height: 100vh; }
ol.sources li { margin-bottom: 0.8em; }
"#;

/// The hooks a chapter body is rendered with: XHTML with EPUB 3 footnotes, each image
/// handed to `images` (which embeds it in the book and says where it went), and the header's
/// source link written only when it is an absolute URL a reader can follow.
pub(crate) struct ChapterMarkup<'a> {
    pub images: &'a mut dyn FnMut(&str) -> ImageRef,
    /// Draws a formula as a picture in the book (the Kindle profile); `None`: MathML.
    pub math: Option<&'a mut DrawFormula<'a>>,
}

/// What draws a formula as a picture in the book (`None`: it cannot be drawn).
pub(crate) type DrawFormula<'a> = dyn FnMut(&crate::model::Math) -> Option<MathImage> + 'a;

impl Hooks for ChapterMarkup<'_> {
    fn xhtml(&self) -> bool {
        true
    }

    fn image(&mut self, src: &str) -> ImageRef {
        match (self.images)(src) {
            ImageRef::Remote(url) => {
                safe_external_url(&url).map_or(ImageRef::Missing, ImageRef::Remote)
            }
            other => other,
        }
    }

    fn source_link(&self, url: &str) -> Option<String> {
        safe_url(url, UrlUse::Link).and_then(|url| safe_external_url(&url))
    }

    fn math_image(&mut self, math: &crate::model::Math) -> Option<MathImage> {
        self.math.as_mut().and_then(|draw| draw(math))
    }
}

/// A whole XHTML content document around `body`.
pub(crate) fn page(
    title: &str,
    lang: Option<&str>,
    dir: Option<Direction>,
    body_class: Option<&str>,
    body: &str,
) -> String {
    let mut out = String::with_capacity(body.len() + 512);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n");
    out.push_str(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"",
    );
    if let Some(lang) = lang {
        let _ = write!(out, " lang=\"{lang}\" xml:lang=\"{lang}\"");
    }
    if let Some(dir) = dir {
        let _ = write!(out, " dir=\"{}\"", dir.as_str());
    }
    out.push_str(">\n<head>\n<meta charset=\"utf-8\"/>\n<title>");
    escape_text_into(title, &mut out);
    out.push_str("</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n<body");
    if let Some(class) = body_class {
        let _ = write!(out, " class=\"{class}\"");
    }
    out.push_str(">\n");
    out.push_str(body);
    out.push_str("</body>\n</html>\n");
    out
}

/// The title page: title, subtitle, authors, site, dates, description and the source link.
/// Its one link (the source) is written directly: it is always absolute. Dates and words are
/// in `labels`' language; the text goes through `hooks` (the KEPUB's spans).
pub(crate) fn title_page_body(
    meta: &Meta,
    title: &str,
    article_count: Option<usize>,
    labels: &Labels,
    hooks: &mut dyn Hooks,
) -> String {
    let mut out = String::from("<section class=\"titlepage\" epub:type=\"titlepage\">\n<h1>");
    hooks.block_start();
    hooks.text(title, &mut out);
    hooks.block_end();
    out.push_str("</h1>\n");
    let mut push = |out: &mut String, class: &str, text: &str| {
        push_element(out, hooks, "p", class, text);
    };
    if let Some(subtitle) = nonempty(&meta.subtitle) {
        push(&mut out, "subtitle", subtitle);
    }
    if !meta.authors.is_empty() {
        push(&mut out, "authors", &labels.join_names(&meta.authors));
    }
    if let Some(site) = nonempty(&meta.site_name) {
        push(&mut out, "site", site);
    }
    if let Some(published) = &meta.published {
        push(&mut out, "date", &labels.date(published));
    }
    if let Some(modified) = &meta.modified {
        if meta.published.as_ref().map(display_date) != Some(display_date(modified)) {
            push(&mut out, "date", &labels.updated(&labels.date(modified)));
        }
    }
    if let Some(count) = article_count {
        push(&mut out, "count", &labels.count(&labels.articles, count));
    }
    if let Some(description) = nonempty(&meta.description) {
        push(&mut out, "description", description);
    }
    if let Some(url) = meta.source_url.as_deref().and_then(safe_external_url) {
        out.push_str("<p class=\"source\"><a href=\"");
        escape_attr_into(&url, &mut out);
        out.push_str("\">");
        hooks.block_start();
        hooks.text(&url, &mut out);
        hooks.block_end();
        out.push_str("</a></p>\n");
    }
    out.push_str("</section>\n");
    out
}

/// The cover page: the cover image, full screen, its alternative text in `labels`' language.
pub(crate) fn cover_page_body(image_href: &str, labels: &Labels, hooks: &mut dyn Hooks) -> String {
    let mut out = String::from("<div class=\"cover\">");
    hooks.image_start(&mut out);
    out.push_str("<img src=\"");
    escape_attr_into(image_href, &mut out);
    out.push_str("\" alt=\"");
    escape_attr_into(labels.cover, &mut out);
    out.push_str("\"/>");
    hooks.image_end(&mut out);
    out.push_str("</div>\n");
    out
}

/// One line of the sources appendix.
pub(crate) struct SourceEntry<'a> {
    pub href: String,
    pub title: &'a str,
    pub meta: &'a Meta,
}

/// The sources appendix of a bundle: every chapter's title, author, site, date and URL, under
/// a heading in `labels`' language; the text goes through `hooks` (the KEPUB's spans). A
/// title written the other way from the page (`direction`, the book's) states its own, as
/// its contents entry does.
pub(crate) fn sources_body(
    entries: &[SourceEntry],
    labels: &Labels,
    direction: Option<Direction>,
    hooks: &mut dyn Hooks,
) -> String {
    let mut out =
        String::from("<section epub:type=\"bibliography\" role=\"doc-bibliography\">\n<h1>");
    hooks.block_start();
    hooks.text(labels.sources, &mut out);
    hooks.block_end();
    out.push_str("</h1>\n<ol class=\"sources\">\n");
    for entry in entries {
        out.push_str("<li><a href=\"");
        hooks.block_start();
        escape_attr_into(&entry.href, &mut out);
        out.push('"');
        super::nav::push_dir_apart(entry.title, direction, &mut out);
        out.push('>');
        hooks.text(entry.title, &mut out);
        out.push_str("</a>");
        if let Some(details) = super::source_details(entry.meta, labels) {
            hooks.text(&details, &mut out);
        }
        if let Some(url) = entry.meta.source_url.as_deref().and_then(safe_external_url) {
            out.push_str("<br/><a class=\"source\" href=\"");
            escape_attr_into(&url, &mut out);
            out.push_str("\">");
            hooks.text(&url, &mut out);
            out.push_str("</a>");
        }
        hooks.block_end();
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n</section>\n");
    out
}

/// A date as readers want it: the day of an ISO timestamp, anything else as given.
pub(crate) fn display_date(date: &crate::model::Date) -> String {
    date.day()
        .map_or_else(|| date.to_iso(), |day| day.to_string())
}

fn nonempty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn push_element(out: &mut String, hooks: &mut dyn Hooks, tag: &str, class: &str, text: &str) {
    let _ = write!(out, "<{tag} class=\"{class}\">");
    hooks.block_start();
    hooks.text(text, out);
    hooks.block_end();
    let _ = writeln!(out, "</{tag}>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::html::Plain;

    /// An Arabic title in an English bundle's sources states its direction (it had none, so
    /// its final "؟" went to the English end of the line), and an English one in an Arabic
    /// bundle too; the rest of the line is the page's.
    #[test]
    fn a_source_titled_the_other_way_states_its_direction() {
        let meta = Meta {
            authors: vec!["ليلى حسن".into()],
            ..Meta::default()
        };
        let entries = [
            SourceEntry {
                href: "chapter-1.xhtml".into(),
                title: "Harbour news",
                meta: &Meta::default(),
            },
            SourceEntry {
                href: "chapter-2.xhtml".into(),
                title: "هل يعود الصيادون؟",
                meta: &meta,
            },
        ];
        let english = sources_body(
            &entries,
            Labels::for_language(Some("en")),
            None,
            &mut Plain { xhtml: true },
        );
        assert!(
            english.contains(
                "<li><a href=\"chapter-2.xhtml\" dir=\"rtl\">هل يعود الصيادون؟</a>. ليلى حسن.</li>"
            ),
            "{english}"
        );
        assert!(
            english.contains("<li><a href=\"chapter-1.xhtml\">Harbour news</a></li>"),
            "{english}"
        );
        let arabic = sources_body(
            &entries,
            Labels::for_language(Some("ar")),
            Some(Direction::Rtl),
            &mut Plain { xhtml: true },
        );
        assert!(
            arabic.contains("<li><a href=\"chapter-1.xhtml\" dir=\"ltr\">Harbour news</a></li>"),
            "{arabic}"
        );
        assert!(
            arabic.contains("<li><a href=\"chapter-2.xhtml\">هل"),
            "{arabic}"
        );
    }

    /// The authors on the title page and the sources page are listed as the book's language
    /// lists names: they were joined with ", " in any ("Ann, Bob, Cy").
    #[test]
    fn authors_are_listed_in_the_books_language() {
        let meta = |names: &[&str]| Meta {
            authors: names.iter().map(|n| n.to_string()).collect(),
            ..Meta::default()
        };
        let title_page = |tag: &str, names: &[&str]| {
            title_page_body(
                &meta(names),
                "T",
                None,
                Labels::for_language(Some(tag)),
                &mut Plain { xhtml: true },
            )
        };
        let cases = [
            ("en", &["Ann", "Bob", "Cy"][..], "Ann, Bob and Cy"),
            ("en", &["Ann", "Bob"][..], "Ann and Bob"),
            ("en", &["Ann"][..], "Ann"),
            (
                "de",
                &["Anna Schmidt", "Bernd Müller", "Clara Weber"][..],
                "Anna Schmidt, Bernd Müller und Clara Weber",
            ),
            (
                "ar",
                &["ليلى حسن", "أحمد علي", "سارة يوسف"][..],
                "ليلى حسن، أحمد علي وسارة يوسف",
            ),
            ("zh", &["张三", "李四", "王五"][..], "张三、李四和王五"),
        ];
        for (tag, names, listed) in cases {
            let page = title_page(tag, names);
            assert!(
                page.contains(&format!("<p class=\"authors\">{listed}</p>")),
                "{tag}: {page}"
            );
            let meta = meta(names);
            let sources = sources_body(
                &[SourceEntry {
                    href: "chapter-1.xhtml".into(),
                    title: "T",
                    meta: &meta,
                }],
                Labels::for_language(Some(tag)),
                None,
                &mut Plain { xhtml: true },
            );
            // Chinese ends the title's sentence and the details' with its own full stop.
            let details = if tag == "zh" {
                format!("</a>。{listed}。</li>")
            } else {
                format!("</a>. {listed}.</li>")
            };
            assert!(sources.contains(&details), "{tag}: {sources}");
        }
    }
}
