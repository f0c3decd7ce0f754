//! Page metadata, from the most trusted source that states each field:
//! JSON-LD (`Article`, `NewsArticle`, `BlogPosting`, … also inside `@graph`), OpenGraph,
//! Twitter cards, other `<meta>` tags (`author`, `article:published_time`, `citation_*`, Dublin
//! Core, Parse.ly), microdata (`itemprop`), and last the content itself (the `<title>` without
//! its site-name suffix, an `h1`, a byline element, a `<time>` element).
//!
//! Every source fills a [`Found`] record; [`read`] merges them in that order, field by field.

use crate::dom::{
    attr, contains_ignore_case, descendants, is_mark_link, tag_name, text_content,
    text_content_where,
};
use crate::model::{collapse_whitespace, Direction, Meta};
use markup5ever_rcdom::Handle;
use serde_json::Value;

/// What the page says about itself, with the article text JSON-LD may carry.
#[derive(Debug, Default)]
pub struct PageMeta {
    pub meta: Meta,
    /// JSON-LD `articleBody`: the publisher's own copy of the text, a cross-check for
    /// extraction.
    pub article_body: Option<String>,
    /// Where a refresh in the head sends the reader at once (a redirect stub's target),
    /// resolved.
    pub refresh: Option<String>,
}

/// One source's findings.
#[derive(Debug, Default, Clone)]
struct Found {
    title: Option<String>,
    authors: Vec<String>,
    published: Option<String>,
    modified: Option<String>,
    site_name: Option<String>,
    description: Option<String>,
    image: Option<String>,
    url: Option<String>,
    language: Option<String>,
    subtitle: Option<String>,
    /// JSON-LD `name` when it differs from `headline` (the one `<title>` repeats wins).
    title_alt: Option<String>,
}

impl Found {
    /// Fills what `self` lacks from a less trusted source.
    fn or(mut self, other: Found) -> Found {
        self.title = self.title.or(other.title);
        if self.authors.is_empty() {
            self.authors = other.authors;
        }
        self.published = self.published.or(other.published);
        self.modified = self.modified.or(other.modified);
        self.site_name = self.site_name.or(other.site_name);
        self.description = self.description.or(other.description);
        self.image = self.image.or(other.image);
        self.url = self.url.or(other.url);
        self.language = self.language.or(other.language);
        self.title_alt = self.title_alt.or(other.title_alt);
        self.subtitle = self.subtitle.or(other.subtitle);
        self
    }
}

/// Reads the page's metadata from its nodes in document order (see [`descendants`]).
/// `resolve` makes a page-relative URL absolute (canonical link, lead image).
pub fn read(nodes: &[Handle], resolve: &dyn Fn(&str) -> String) -> PageMeta {
    let mut json_ld = Found::default();
    let mut article_body = None;
    let mut og = Found::default();
    let mut twitter = Found::default();
    let mut named = Found::default();
    let mut citation = Found::default();
    let mut dublin = Found::default();
    let mut microdata = Found::default();
    let mut content = Found::default();
    let mut title_element = None;
    let mut canonical = None;
    let mut keywords = Vec::new();
    let mut direction = None;
    let mut body_direction = None;
    let mut html_lang = None;
    let mut h1s = Vec::new();
    // The `h1`s and `h2`s after the first `h1`: a chapter's heading under a book's name.
    let mut under_first_h1 = Vec::new();
    let mut byline = None;
    let mut time = None;
    let mut hatom_published = None;
    let mut hatom_updated = None;
    let mut content_language = None;
    let mut refresh = None;

    for node in nodes {
        let Some(name) = tag_name(node) else { continue };
        match name {
            "html" => {
                html_lang = attr(node, "lang")
                    .or_else(|| attr(node, "xml:lang"))
                    .and_then(|l| clean(&l));
                direction = attr(node, "dir").and_then(|d| parse_direction(&d));
            }
            "body" => body_direction = attr(node, "dir").and_then(|d| parse_direction(&d)),
            "title" if title_element.is_none() && !in_svg(node) => {
                title_element = clean(&text_content(node));
            }
            "link" => {
                let rel = attr(node, "rel").unwrap_or_default().to_ascii_lowercase();
                if canonical.is_none() && rel.split_whitespace().any(|r| r == "canonical") {
                    canonical = attr(node, "href").and_then(|h| clean(&h));
                }
            }
            "script" => {
                let kind = attr(node, "type").unwrap_or_default().to_ascii_lowercase();
                if kind.trim() == "application/ld+json" {
                    let (found, body) = read_json_ld(&text_content_raw(node));
                    json_ld = json_ld.or(found);
                    if article_body.is_none() {
                        article_body = body;
                    }
                }
            }
            "meta"
                if attr(node, "http-equiv")
                    .is_some_and(|h| h.trim().eq_ignore_ascii_case("content-language")) =>
            {
                // One language only: a list names the audiences, not the page's language.
                content_language = attr(node, "content")
                    .and_then(|c| clean(&c))
                    .filter(|c| !c.contains(','));
            }
            "meta"
                if refresh.is_none()
                    && attr(node, "http-equiv")
                        .is_some_and(|h| h.trim().eq_ignore_ascii_case("refresh")) =>
            {
                refresh = attr(node, "content")
                    .and_then(|c| crate::dom::refresh::refresh_target(&c))
                    .map(|url| resolve(&url));
            }
            "meta" => read_meta_tag(
                node,
                &mut og,
                &mut twitter,
                &mut named,
                &mut citation,
                &mut dublin,
                &mut keywords,
            ),
            "h1" | "h2" => {
                let as_h1 = name == "h1" && h1s.len() < 4;
                let under = !h1s.is_empty() && under_first_h1.len() < 8;
                // Without a permalink's mark ("Classes¶"), which is no word of the heading.
                if let Some(text) = (as_h1 || under)
                    .then(|| clean(&text_content_where(node, |n| !is_mark_link(n))))
                    .flatten()
                {
                    if under {
                        under_first_h1.push(text.clone());
                    }
                    if as_h1 {
                        h1s.push(text);
                    }
                }
            }
            "time" if time.is_none() => {
                time = attr(node, "datetime").and_then(|d| iso_date(&d));
            }
            // hAtom (Blogger, older WordPress themes): the date in the `title` of an element
            // classed `published` or `updated`.
            "abbr" | "span" if hatom_published.is_none() || hatom_updated.is_none() => {
                let class = attr(node, "class").unwrap_or_default();
                let date = || attr(node, "title").and_then(|t| iso_date(&t));
                for word in class.split_whitespace() {
                    match word {
                        "published" if hatom_published.is_none() => hatom_published = date(),
                        "updated" if hatom_updated.is_none() => hatom_updated = date(),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        read_microdata(node, name, &mut microdata);
        if byline.is_none() {
            byline = byline_of(node, name);
        }
    }

    // The content: `<title>` less its site suffix, confirmed by an `h1` when one matches.
    let site_hint = json_ld
        .site_name
        .clone()
        .or_else(|| og.site_name.clone())
        .or_else(|| named.site_name.clone());
    content.title = title_element.as_deref().map(|t| {
        chapter_title(t, &h1s, &under_first_h1)
            .unwrap_or_else(|| strip_site_suffix(t, site_hint.as_deref(), &h1s))
    });
    if content.title.is_none() {
        content.title = h1s.first().cloned();
    }
    content.authors = byline.into_iter().collect();
    // A date named as the post's beats the page's first `<time>` (which may be a sidebar's).
    content.published = hatom_published.or(time);
    content.modified = hatom_updated;
    content.url = canonical;
    content.language = html_lang;

    // JSON-LD `headline` and `name` differ: the one the `<title>` states (less its site name).
    if let (Some(alt), Some(page_title)) = (&json_ld.title_alt, &title_element) {
        let stated = strip_site_suffix(page_title, site_hint.as_deref(), &[]);
        let headline_stated = json_ld
            .title
            .as_ref()
            .is_some_and(|t| page_title.contains(t.as_str()));
        let alt_then_site = page_title
            .strip_prefix(alt.as_str())
            .is_some_and(|rest| TITLE_SEPARATORS.iter().any(|s| rest.starts_with(s)));
        if !headline_stated && (stated == *alt || page_title == alt || alt_then_site) {
            json_ld.title = Some(alt.clone());
        }
    }
    // A JSON-LD headline shorter than the title the page's other sources agree on, and
    // sharing no word with it, is a publishing system's placeholder ("escenic"), not the
    // article's: they win.
    if json_ld.title.is_some() {
        let stated = title_element
            .as_deref()
            .map(|t| strip_site_suffix(t, site_hint.as_deref(), &h1s));
        let others = [
            &stated,
            &og.title,
            &twitter.title,
            &named.title,
            &dublin.title,
            &citation.title,
            &microdata.title,
        ];
        let others: Vec<&str> = others.into_iter().flatten().map(String::as_str).collect();
        let agreed = agreed_title(&others, &h1s);
        if json_ld
            .title
            .as_deref()
            .zip(agreed)
            .is_some_and(|(headline, agreed)| {
                let words = |t: &str| t.split_whitespace().count();
                words(headline) < words(agreed) && !shares_a_word(headline, agreed)
            })
        {
            json_ld.title = None;
        }
    }
    // A page's URL is a web address: a relative canonical link with nothing to resolve it
    // against (a saved page read from disk) names no page, so a less trusted source's
    // absolute URL is taken over it.
    for source in [
        &mut json_ld,
        &mut dublin,
        &mut citation,
        &mut og,
        &mut twitter,
        &mut named,
        &mut microdata,
        &mut content,
    ] {
        source.url = source
            .url
            .take()
            .map(|u| resolve(&u))
            .filter(|u| is_web_url(u));
    }
    // The language the page declares on its root element is the one it is written in;
    // `og:locale` is the audience of a link preview (`en_US` on a page in `en`), so it comes
    // last, after the structured statements and the HTTP header's stand-in.
    let language = [
        content.language.take(),
        json_ld.language.clone(),
        dublin.language.clone(),
        citation.language.clone(),
        content_language,
        og.language.clone(),
    ]
    .into_iter()
    .flatten()
    .map(|l| l.trim().replace('_', "-"))
    .find(|l| is_language_tag(l));
    let site_names: Vec<String> = [
        &json_ld.site_name,
        &og.site_name,
        &named.site_name,
        &dublin.site_name,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    // Dublin Core and citation tags are deliberate, structured statements; OpenGraph and
    // Twitter cards are written for link previews (and sometimes say less precise things).
    let found = json_ld
        .or(dublin)
        .or(citation)
        .or(og)
        .or(twitter)
        .or(named)
        .or(microdata)
        .or(content);
    let mut meta = Meta {
        title: found.title,
        subtitle: found.subtitle,
        authors: dedupe(found.authors),
        published: found.published.and_then(|d| page_date(&d)),
        modified: found.modified.and_then(|d| page_date(&d)),
        language,
        direction: body_direction.or(direction),
        site_name: found.site_name,
        source_url: found.url,
        description: found.description,
        lead_image: found.image.map(|u| resolve(&u)),
        keywords: without_repeats(keywords, |k| k.clone()),
    };
    if meta.title.is_none() {
        meta.title = title_element;
    }
    // Any source may carry the site's name around the title ("Title | Site" in `og:title`):
    // cut only what names the site (its stated name or its domain).
    // The page's own address, else where it was read from (what "/" resolves to).
    let host = meta
        .source_url
        .clone()
        .or_else(|| Some(resolve("/")).filter(|u| is_web_url(u)))
        .and_then(|u| url::Url::parse(&u).ok())
        .and_then(|u| u.host_str().map(str::to_string));
    meta.title = meta
        .title
        .map(|t| without_site_name(&t, &site_names, host.as_deref(), &h1s));
    PageMeta {
        meta,
        article_body: article_body.and_then(|b| clean(&b)),
        refresh,
    }
}

/// A title two of the page's statements of it agree on (the same words, or one holding the
/// other, as a title holds its site's name): `titles` from separate sources, and the page's
/// `h1`s, which count as one source.
fn agreed_title<'a>(titles: &[&'a str], h1s: &'a [String]) -> Option<&'a str> {
    let agree = |a: &str, b: &str| {
        let (a, b) = (name_key(a), name_key(b));
        let shorter = a.chars().count().min(b.chars().count());
        !a.is_empty() && (a == b || shorter >= 8 && (a.contains(&b) || b.contains(&a)))
    };
    titles.iter().enumerate().find_map(|(i, title)| {
        let others = titles.iter().skip(i + 1).any(|other| agree(title, other));
        let heading = h1s.iter().any(|h1| agree(title, h1));
        (others || heading).then_some(*title)
    })
}

/// Whether one of `title`'s words is in `other` (ignoring case). A word written without
/// spaces around it (Chinese, Japanese) counts when it is anywhere in `other`.
fn shares_a_word(title: &str, other: &str) -> bool {
    let other = other.to_lowercase();
    title
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| !word.is_empty() && other.contains(word))
}

/// Whether `url` is an absolute `http(s)` URL: the only kind a document's source can be.
/// A file path (`in/tech.html`), a relative reference or a `file:` URL is not.
pub(crate) fn is_web_url(url: &str) -> bool {
    url::Url::parse(url.trim()).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// `<meta>`: OpenGraph, Twitter, plain names, `citation_*`, Dublin Core.
#[allow(clippy::too_many_arguments)]
fn read_meta_tag(
    node: &Handle,
    og: &mut Found,
    twitter: &mut Found,
    named: &mut Found,
    citation: &mut Found,
    dublin: &mut Found,
    keywords: &mut Vec<String>,
) {
    let keys = attr(node, "property")
        .into_iter()
        .chain(attr(node, "name"))
        .chain(attr(node, "itemprop"))
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase();
    let Some(value) = attr(node, "content").and_then(|c| clean(&c)) else {
        return;
    };
    // RDFa allows several properties in one attribute (`dc:description og:description`).
    for key in keys.split_whitespace() {
        let value = value.clone();
        match key {
            "og:title" => set(&mut og.title, value),
            "og:site_name" => set(&mut og.site_name, value),
            "og:description" => set(&mut og.description, value),
            "og:image" | "og:image:url" | "og:image:secure_url" => set(&mut og.image, value),
            "og:url" => set(&mut og.url, value),
            "og:locale" => set(&mut og.language, value.replace('_', "-")),
            "article:published_time" | "og:article:published_time" => set(&mut og.published, value),
            "article:modified_time" | "og:updated_time" => set(&mut og.modified, value),
            "article:author" | "og:article:author" if !looks_like_url(&value) => {
                push_author(&mut og.authors, &value)
            }
            "twitter:title" => set(&mut twitter.title, value),
            "twitter:description" => set(&mut twitter.description, value),
            "twitter:image" | "twitter:image:src" => set(&mut twitter.image, value),
            "author" | "byl" | "parsely-author" | "sailthru.author" | "article.author"
                if !looks_like_url(&value) =>
            {
                push_author(&mut named.authors, &value)
            }
            "description" => set(&mut named.description, value),
            "subtitle" => set(&mut named.subtitle, value),
            "keywords" | "news_keywords" => {
                // Repeats are dropped once, at the end (a page can have 100,000 tags).
                keywords.extend(value.split(',').filter_map(clean));
            }
            "title" | "parsely-title" | "sailthru.title" | "headline" => {
                set(&mut named.title, value)
            }
            "application-name" | "apple-mobile-web-app-title" => set(&mut named.site_name, value),
            "date"
            | "pubdate"
            | "publishdate"
            | "publish-date"
            | "publish_date"
            | "parsely-pub-date"
            | "sailthru.date"
            | "article.published"
            | "datepublished"
            | "article_date_original"
            | "original-publish-date" => set(&mut named.published, value),
            "citation_title" => set(&mut citation.title, value),
            "citation_author" => push_author(&mut citation.authors, &value),
            "citation_publication_date" | "citation_date" | "citation_online_date" => {
                set(&mut citation.published, value)
            }
            "citation_journal_title" | "citation_conference_title" | "citation_publisher" => {
                set(&mut citation.site_name, value)
            }
            "citation_language" => set(&mut citation.language, value),
            "citation_abstract" => set(&mut citation.description, value),
            "dc.title" | "dcterms.title" | "dc:title" | "dcterm:title" | "dcterms:title" => {
                set(&mut dublin.title, value)
            }
            "dc.creator" | "dcterms.creator" | "dc:creator" | "dcterm:creator"
            | "dcterms:creator" => push_author(&mut dublin.authors, &value),
            "dc.date" | "dc.date.issued" | "dcterms.issued" | "dcterms.created" | "dc:date"
            | "dcterms:created" | "dcterms:issued" => set(&mut dublin.published, value),
            "dc.description" | "dcterms.description" | "dc:description" | "dcterms:description" => {
                set(&mut dublin.description, value)
            }
            "dc.publisher" | "dcterms.publisher" | "dc:publisher" => {
                set(&mut dublin.site_name, value)
            }
            "dc.language" | "dcterms.language" | "dc:language" => set(&mut dublin.language, value),
            _ => {}
        }
    }
}

/// Microdata on an element: `itemprop="headline"`, `author`, `datePublished`, `publisher`.
fn read_microdata(node: &Handle, name: &str, found: &mut Found) {
    let Some(props) = attr(node, "itemprop") else {
        return;
    };
    if name == "meta" && found.published.is_some() || in_comment(node) {
        return;
    }
    let value = || {
        attr(node, "content")
            .or_else(|| attr(node, "datetime"))
            .and_then(|v| clean(&v))
            .or_else(|| clean(&text_content(node)))
    };
    // A date is in whichever attribute holds one: Blogger writes
    // `<abbr itemprop="datePublished" title="2019-10-16T14:33:00-07:00">2:33 PM</abbr>`.
    let date = || {
        ["content", "datetime", "title"]
            .into_iter()
            .filter_map(|name| attr(node, name))
            .chain(std::iter::once(text_content(node)))
            .find(|v| page_date(v).is_some())
            .and_then(|v| clean(&v))
    };
    for prop in props.split_whitespace() {
        match prop {
            "headline" if found.title.is_none() => found.title = value(),
            "datePublished" if found.published.is_none() => found.published = date(),
            "dateModified" if found.modified.is_none() => found.modified = date(),
            "author" | "creator" if found.authors.is_empty() => {
                // The name inside an `author` item, else the element's own text.
                let inner = descendants(node).into_iter().skip(1).find(|n| {
                    attr(n, "itemprop").is_some_and(|p| p.split_whitespace().any(|w| w == "name"))
                });
                let text = match inner {
                    Some(n) => attr(&n, "content")
                        .and_then(|v| clean(&v))
                        .or_else(|| clean(&text_content(&n))),
                    None => value(),
                };
                if let Some(text) = text.filter(|t| t.chars().count() <= 100) {
                    push_author(&mut found.authors, &text);
                }
            }
            _ => {}
        }
    }
}

/// The words of a class or id that name a byline element: "author" in English and in the
/// languages whose sites name it in their own (SPIP's `auteurs`, `autor`, `autore`).
const AUTHOR_WORDS: &[&[u8]] = &[
    b"author",
    b"authors",
    b"authorname",
    b"auteur",
    b"auteurs",
    b"autor",
    b"autores",
    b"autoren",
    b"autore",
    b"autori",
];

/// Most visible characters (spaces aside) of a byline element: a name with its label, date,
/// links and phone number, not a biography nor an article.
const MAX_BYLINE_ELEMENT_CHARS: usize = 200;

/// A byline element: `rel="author"`, or an element whose class or id says byline/author and
/// whose text is short enough to be a name.
fn byline_of(node: &Handle, name: &str) -> Option<String> {
    if matches!(name, "meta" | "link" | "script" | "style" | "html" | "body") {
        return None;
    }
    let markup5ever_rcdom::NodeData::Element { attrs, .. } = &node.data else {
        return None;
    };
    let (mut rel_author, mut named) = (false, false);
    for a in attrs.borrow().iter() {
        match &*a.name.local {
            "rel" => rel_author |= a.value.split_whitespace().any(|w| w == "author"),
            // A comment's author, or the name field of the comment form, is not the
            // article's ("comment-author", "comment-form-author").
            "class" | "id" if contains_ignore_case(&a.value, "comment") => return None,
            // Nor is a menu's entry for an author's page ("menu-item-object-autor").
            "class" | "id" if contains_ignore_case(&a.value, "menu") => return None,
            "class" | "id" => {
                // Split on bytes: a non-ASCII character is no letter of these words either,
                // and every element of a page without a byline is asked.
                named |= contains_ignore_case(&a.value, "byline")
                    || a.value
                        .as_bytes()
                        .split(|b| !b.is_ascii_alphanumeric())
                        .any(|w| AUTHOR_WORDS.iter().any(|a| w.eq_ignore_ascii_case(a)))
            }
            _ => {}
        }
    }
    if !rel_author && !named {
        return None;
    }
    let text = text_without_dates(node);
    // A container whose names say author (a post's section classed with its authors'
    // slugs) holds the article, not a byline: its first part would pass for one.
    if text.chars().filter(|c| !c.is_whitespace()).count() > MAX_BYLINE_ELEMENT_CHARS {
        return None;
    }
    let text = super::byline::clean_byline(&text)?;
    let words = text.split_whitespace().count();
    (text.chars().count() <= 100 && (1..=12).contains(&words)).then_some(text)
}

/// An element's text without the `<time>` elements and date-named elements inside it, and
/// without what does not show (a screen reader's label: "Zum Profil von jesusfreak"), its
/// blocks and lines set apart by ` | ` (a separator of the byline's parts).
fn text_without_dates(root: &Handle) -> String {
    let mut out = String::new();
    let mut stack = vec![root.clone()];
    while let Some(node) = stack.pop() {
        match &node.data {
            markup5ever_rcdom::NodeData::Text { contents } => out.push_str(&contents.borrow()),
            markup5ever_rcdom::NodeData::Element { name, .. } => {
                let class = attr(&node, "class")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if matches!(&*name.local, "time" | "script" | "style")
                    || class.contains("date")
                    || class.contains("time")
                    || is_screen_reader_only(&class)
                    // A byline may be hidden itself (kept for machines): its text is the name.
                    || !std::rc::Rc::ptr_eq(&node, root) && crate::dom::is_hidden(&node)
                {
                    continue;
                }
                // A block (or a line break) ends a part of the byline: an author box's
                // name heading, then its links ("Alles von Martin Junker", "Kontakt").
                if crate::dom::is_inline_tag(&name.local) && &*name.local != "br" {
                    out.push(' ');
                } else {
                    out.push_str(" | ");
                }
                stack.extend(node.children.borrow().iter().rev().cloned());
            }
            _ => {}
        }
    }
    out
}

/// Whether a (lowercase) class says that only screen readers read the element
/// (`sr-only`, `visually-hidden`, `screen-reader-text`).
fn is_screen_reader_only(class: &str) -> bool {
    [
        "sr-only",
        "visually-hidden",
        "visuallyhidden",
        "screen-reader",
    ]
    .iter()
    .any(|name| class.contains(name))
}

/// The JSON-LD of one `<script>`: the first article-like item's fields and `articleBody`.
fn read_json_ld(text: &str) -> (Found, Option<String>) {
    let mut found = Found::default();
    let mut body = None;
    // Pages wrap JSON-LD in comment or CDATA markers, with or without `//` before them.
    let mut text = text.trim();
    for marker in ["<!--", "//<![CDATA[", "<![CDATA["] {
        text = text.trim_start_matches(marker).trim_start();
    }
    for marker in ["-->", "//]]>", "]]>"] {
        text = text.trim_end_matches(marker).trim_end();
    }
    let text = text.strip_suffix("//").unwrap_or(text).trim_end();
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return (found, body);
    };
    let mut website_name = None;
    let mut article: Option<&serde_json::Map<String, Value>> = None;
    // An explicit stack: JSON-LD nests items in `@graph`, arrays and properties.
    let mut stack = vec![(&value, 0usize)];
    while let Some((value, depth)) = stack.pop() {
        if depth > 16 {
            continue;
        }
        match value {
            Value::Array(items) => stack.extend(items.iter().rev().map(|v| (v, depth + 1))),
            Value::Object(map) => {
                let types = types_of(map);
                if article.is_none() && types.iter().any(|t| is_article_type(t)) {
                    article = Some(map);
                } else if website_name.is_none() && types.iter().any(|t| t == "WebSite") {
                    website_name = map.get("name").and_then(as_text);
                }
                if let Some(graph) = map.get("@graph") {
                    stack.push((graph, depth + 1));
                }
                if let Some(main) = map.get("mainEntity") {
                    stack.push((main, depth + 1));
                }
            }
            _ => {}
        }
    }
    if let Some(map) = article {
        found.title = map
            .get("headline")
            .or_else(|| map.get("name"))
            .and_then(as_text);
        found.title_alt = map
            .get("name")
            .and_then(as_text)
            .filter(|n| Some(n) != found.title.as_ref());
        for key in ["author", "creator"] {
            if found.authors.is_empty() {
                if let Some(author) = map.get(key) {
                    collect_names(author, &mut found.authors);
                }
            }
        }
        found.published = map.get("datePublished").and_then(as_text);
        found.modified = map.get("dateModified").and_then(as_text);
        found.site_name = map
            .get("publisher")
            .and_then(|p| match p {
                Value::Object(o) => o.get("name").and_then(as_text),
                other => as_text(other),
            })
            .or(website_name);
        found.description = map.get("description").and_then(as_text);
        found.image = map.get("image").and_then(url_of);
        found.url = map
            .get("url")
            .and_then(as_text)
            .or_else(|| map.get("mainEntityOfPage").and_then(url_of));
        found.language = map.get("inLanguage").and_then(as_text);
        body = map.get("articleBody").and_then(as_text);
    } else {
        found.site_name = website_name;
    }
    (found, body)
}

fn types_of(map: &serde_json::Map<String, Value>) -> Vec<String> {
    match map.get("@type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// `Article` and its kinds (`NewsArticle`, `ReportageNewsArticle`, `BlogPosting`, …).
fn is_article_type(t: &str) -> bool {
    let t = t.rsplit('/').next().unwrap_or(t);
    t.ends_with("Article") || t.ends_with("BlogPosting") || t == "Report" || t == "Review"
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => clean(&decode_entities(s)),
        Value::Array(items) => items.iter().find_map(as_text),
        _ => None,
    }
}

/// An image or page reference: a string, `{ "url": … }`, `{ "@id": … }`, or a list of them.
fn url_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => clean(s),
        Value::Array(items) => items.iter().find_map(url_of),
        Value::Object(map) => map
            .get("url")
            .or_else(|| map.get("@id"))
            .or_else(|| map.get("contentUrl"))
            .and_then(url_of),
        _ => None,
    }
}

/// Names from an `author` value: a string, a `Person`, or a list of them.
fn collect_names(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) if !looks_like_url(s) => push_author(out, &decode_entities(s)),
        Value::String(_) => {}
        Value::Array(items) => {
            for item in items.iter().take(20) {
                match item {
                    Value::String(_) | Value::Object(_) => collect_names(item, out),
                    _ => {}
                }
            }
        }
        Value::Object(map) => {
            if let Some(name) = map.get("name").and_then(as_text) {
                push_author(out, &name);
            }
        }
        _ => {}
    }
}

/// Adds an author. Repeats are dropped by [`dedupe`], once all are in: a search of the
/// list for each tag would make a page of 100,000 author tags cost quadratic time.
fn push_author(out: &mut Vec<String>, value: &str) {
    if let Some(name) = super::byline::clean_name(value) {
        out.push(name);
    }
}

/// The authors without repeats (ignoring ASCII case), the first spelling kept.
fn dedupe(authors: Vec<String>) -> Vec<String> {
    without_repeats(authors, |a| a.to_ascii_lowercase())
}

/// `items` in order without the ones whose `key` came before.
fn without_repeats(items: Vec<String>, key: impl Fn(&String) -> String) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items.into_iter().filter(|i| seen.insert(key(i))).collect()
}

fn set(slot: &mut Option<String>, value: String) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

/// Whether an author value is a link rather than a name: with a scheme, or written without
/// one ("facebook.com/vegolosi", "www.example.org": one word whose part before any `/` is a
/// dotted host name; "John.Smith" and "AC/DC" are names).
fn looks_like_url(s: &str) -> bool {
    let s = s.trim();
    if s.starts_with("http://") || s.starts_with("https://") || s.starts_with("//") {
        return true;
    }
    if s.contains(char::is_whitespace) {
        return false;
    }
    let host = s.split('/').next().unwrap_or_default();
    (s.contains('/') || host.starts_with("www."))
        && host.rsplit_once('.').is_some_and(|(name, top)| {
            !name.is_empty() && top.len() >= 2 && top.chars().all(|c| c.is_ascii_alphabetic())
        })
}

/// The few entities JSON-LD writers leave in strings.
fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#039;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
}

/// The chapter's title when `<title>` is "Chapter - Book" and the page's first `h1` is the
/// book's name with the chapter's heading under it, as documentation books set them
/// (mdBook's menu bar, Node's): the `h1` names the site there, not the page. The heading's
/// spelling is taken when it differs only in case ("What Is Ownership?"), so the body's
/// heading is known as the title's; else the title's (a heading may end in a "#" mark).
fn chapter_title(title: &str, h1s: &[String], under_first_h1: &[String]) -> Option<String> {
    let book = h1s.first()?;
    TITLE_SEPARATORS.iter().find_map(|separator| {
        let (head, tail) = title.rsplit_once(separator)?;
        let head = head.trim();
        if name_key(book) != name_key(tail) || name_key(head).is_empty() {
            return None;
        }
        let heading = under_first_h1
            .iter()
            .find(|heading| name_key(heading) == name_key(head))?;
        Some(if heading.to_lowercase() == head.to_lowercase() {
            heading.clone()
        } else {
            head.to_string()
        })
    })
}

/// Separators between a title and the site's name.
const TITLE_SEPARATORS: &[&str] = &[
    " | ", " - ", " – ", " — ", " :: ", " » ", " · ", " / ", " _ ",
];

/// A `<title>` without the site's name: the part before the last separator, when what is
/// cut is the site name, or short while what remains is a real title. An `h1` that equals a
/// part confirms it.
pub fn strip_site_suffix(title: &str, site_name: Option<&str>, h1s: &[String]) -> String {
    // A heading that states the whole title: its separators are its own ("Covid-19 - a year on").
    if h1s.iter().any(|h| h == title) {
        return title.to_string();
    }
    // "Site | Heading": the page's heading closes the title.
    if let Some(h1) = h1s
        .iter()
        .find(|h| h.len() >= 10 && title.ends_with(h.as_str()) && title.len() > h.len() + 2)
    {
        let lead = title[..title.len() - h1.len()].trim_end();
        if TITLE_SEPARATORS
            .iter()
            .any(|s| lead.ends_with(s.trim_end()))
        {
            return h1.clone();
        }
    }
    if let Some(h1) = h1s
        .iter()
        .find(|h| h.len() >= 10 && title.starts_with(h.as_str()) && title.len() > h.len() + 2)
    {
        let rest = title[h1.len()..].trim_start();
        if TITLE_SEPARATORS
            .iter()
            .any(|s| rest.starts_with(s.trim_start()))
        {
            return h1.clone();
        }
    }
    let mut best = title.to_string();
    if let Some((sep_at, sep)) = TITLE_SEPARATORS
        .iter()
        .filter_map(|s| title.rfind(s).map(|i| (i, *s)))
        .max_by_key(|(i, _)| *i)
    {
        let (head, tail) = (&title[..sep_at], &title[sep_at + sep.len()..]);
        let tail_is_site = site_name.is_some_and(|s| {
            let (s, t) = (s.to_lowercase(), tail.trim().to_lowercase());
            !s.is_empty() && (t == s || t.contains(&s) || s.contains(&t))
        });
        let head_words = head.split_whitespace().count();
        let tail_words = tail.split_whitespace().count();
        if tail_is_site || head_words > 4 || (head_words >= 3 && tail_words < head_words) {
            best = head.trim().to_string();
        } else if let Some((lead_at, lead_sep)) = TITLE_SEPARATORS
            .iter()
            .filter_map(|s| title.find(s).map(|i| (i, *s)))
            .min_by_key(|(i, _)| *i)
        {
            // "Site | Title": the site name first.
            let (lead, rest) = (&title[..lead_at], &title[lead_at + lead_sep.len()..]);
            if site_name.is_some_and(|s| lead.trim().eq_ignore_ascii_case(s.trim())) {
                best = rest.trim().to_string();
            }
        }
    }
    best
}

/// `title` without a leading or trailing part that names the site: a part set off by a
/// separator that is one of `site_names` or spells the name in `host` ("Ars Technica" on
/// `arstechnica.com`). Unlike [`strip_site_suffix`] nothing is cut for being short, so this
/// is safe on any source's title; a heading that states the whole title keeps it whole.
pub fn without_site_name(
    title: &str,
    site_names: &[String],
    host: Option<&str>,
    h1s: &[String],
) -> String {
    let mut title = title.trim().to_string();
    // A page whose title is the site's own name (a home page, "Site - Tagline") has
    // nothing else to keep.
    if site_names.iter().any(|s| name_key(s) == name_key(&title)) {
        return title;
    }
    // Both ends may name it ("Site: Title | Site"), no more.
    for _ in 0..2 {
        if h1s.contains(&title) {
            break;
        }
        match cut_site_part(&title, site_names, host) {
            Some(cut) => title = cut,
            None => break,
        }
    }
    title
}

/// The title less its last part, or else its first, when that part names the site.
fn cut_site_part(title: &str, site_names: &[String], host: Option<&str>) -> Option<String> {
    let last = TITLE_SEPARATORS
        .iter()
        .filter_map(|s| title.rfind(s).map(|i| (i, *s)))
        .max_by_key(|(i, _)| *i);
    if let Some((at, sep)) = last {
        let (head, tail) = (title[..at].trim(), &title[at + sep.len()..]);
        if !head.is_empty() && names_site(tail, site_names, host) {
            return Some(head.to_string());
        }
    }
    // A colon sets off a site's name only at the front ("Site: Title"); in the middle or
    // at the end it belongs to the title.
    let first = TITLE_SEPARATORS
        .iter()
        .chain(&[": "])
        .filter_map(|s| title.find(s).map(|i| (i, *s)))
        .min_by_key(|(i, _)| *i);
    if let Some((at, sep)) = first {
        let (lead, rest) = (&title[..at], title[at + sep.len()..].trim());
        if !rest.is_empty() && names_site(lead, site_names, host) {
            return Some(rest.to_string());
        }
    }
    None
}

/// Whether a part of a title names the site: equal to a stated site name or a part of it
/// (ignoring case, spaces and punctuation), or the domain's name spelled out in a few
/// words.
fn names_site(part: &str, site_names: &[String], host: Option<&str>) -> bool {
    let key = name_key(part);
    let words = part.split_whitespace().count();
    if key.chars().count() < 2 || words > 6 {
        return false;
    }
    // A part that holds the site's name and more ("Title @ Blog") is not the name.
    let stated = site_names
        .iter()
        .map(|s| name_key(s))
        .any(|site| site == key || key.chars().count() >= 4 && site.contains(&key));
    if stated {
        return true;
    }
    let Some(host) = host else { return false };
    let host = host.to_lowercase();
    if name_key(&host) == key || name_key(host.trim_start_matches("www.")) == key {
        return true;
    }
    // The labels that name the site, not its kind or country (`bbc` in `www.bbc.co.uk`).
    let labels: Vec<&str> = host.split('.').collect();
    let named = labels[..labels.len().saturating_sub(1)]
        .iter()
        .filter(|l| l.len() >= 3 && !matches!(**l, "www" | "com" | "org" | "net" | "gov" | "edu"))
        .map(|l| name_key(l));
    named.into_iter().any(|label| {
        key == label
            || words <= 3 && key.starts_with(&label)
            || key.len() >= 4 && label.contains(&key)
    })
}

/// A name compared without case, spaces or punctuation ("Ars Technica" ~ `arstechnica`).
fn name_key(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A date as ISO 8601 (`2024-05-01`, `2024-05-01T10:00:00Z`, kept with its offset), from
/// the forms pages use; `None` when it is not a date.
pub fn iso_date(text: &str) -> Option<String> {
    page_date(text).map(|date| date.to_iso())
}

/// The [`Date`](crate::model::Date) a page's date text names, when the calendar has that day:
/// a day with the time when it is a valid ISO time, else the day alone.
fn page_date(text: &str) -> Option<crate::model::Date> {
    use crate::model::{date::calendar_date, Date};
    let text = text.trim();
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range.clone())
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    // 2024-05-01…, 2024/05/01
    if digits(0..4)
        && matches!(bytes.get(4), Some(b'-' | b'/'))
        && digits(5..7)
        && bytes.get(7) == bytes.get(4)
        && digits(8..10)
    {
        let date = format!("{}-{}-{}", &text[0..4], &text[5..7], &text[8..10]);
        let rest = text.get(10..).unwrap_or("");
        if rest.starts_with('T') || rest.starts_with(' ') && rest.len() > 5 {
            let time = rest[1..].trim();
            if time.len() >= 5 && time.as_bytes()[..2].iter().all(u8::is_ascii_digit) {
                let stamp = format!("{date}T{}", time.replace(' ', ""));
                if let Some(stamp) = Date::parse_iso(&stamp) {
                    return Some(stamp);
                }
            }
        }
        return Date::parse_iso(&date);
    }
    // 20240501
    if bytes.len() == 8 && digits(0..8) {
        return Date::parse_iso(&format!("{}-{}-{}", &text[0..4], &text[4..6], &text[6..8]));
    }
    // "May 1, 2024", "1 May 2024"
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let month = words.iter().find_map(|w| month_number(w))?;
    let year = words
        .iter()
        .find(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))?;
    let day = words
        .iter()
        .find(|w| (1..=2).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|w| w.parse::<u32>().ok())
        .filter(|d| (1..=31).contains(d))?;
    Some(Date::from_day(calendar_date(
        year.parse().ok()?,
        month,
        day,
    )?))
}

/// The month of a lowercase word starting like an English month name (`nov`, `novembre`).
fn month_number(word: &str) -> Option<u32> {
    crate::model::date::month_from_english_prefix(word)
}

/// A plausible BCP 47 tag (`en`, `pt-BR`, `zh-Hant-TW`).
fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The direction `node` states with its `dir`, else the one an element that holds all of
/// its content states (`<main><article dir="rtl">…</article></main>`), else the nearest
/// element around it that states one: an article's own beats the page's.
pub fn direction_around(node: &Handle) -> Option<Direction> {
    let stated = |n: &Handle| attr(n, "dir").and_then(|d| parse_direction(&d));
    // Down through wrappers that hold nothing else; the walks are as long as the tree is
    // deep, which the parser caps.
    let mut at = Some(node.clone());
    while let Some(element) = at {
        if let Some(direction) = stated(&element) {
            return Some(direction);
        }
        at = only_child_element(&element);
    }
    let mut at = crate::dom::parent(node);
    while let Some(element) = at {
        if let Some(direction) = stated(&element) {
            return Some(direction);
        }
        at = crate::dom::parent(&element);
    }
    None
}

/// The one element inside `node` when nothing else in it shows (no text beside it).
fn only_child_element(node: &Handle) -> Option<Handle> {
    let mut only = None;
    for child in node.children.borrow().iter() {
        match &child.data {
            markup5ever_rcdom::NodeData::Element { .. } if only.is_none() => {
                only = Some(child.clone())
            }
            markup5ever_rcdom::NodeData::Element { .. } => return None,
            markup5ever_rcdom::NodeData::Text { contents }
                if !contents.borrow().trim().is_empty() =>
            {
                return None
            }
            _ => {}
        }
    }
    only
}

fn parse_direction(dir: &str) -> Option<Direction> {
    match dir.trim().to_ascii_lowercase().as_str() {
        "ltr" => Some(Direction::Ltr),
        "rtl" => Some(Direction::Rtl),
        "auto" => Some(Direction::Auto),
        _ => None,
    }
}

/// Whether an element sits in SVG or MathML (whose `<title>` is a tooltip, not the page's).
fn in_svg(node: &Handle) -> bool {
    match &node.data {
        markup5ever_rcdom::NodeData::Element { name, .. } => name.ns != html5ever::ns!(html),
        _ => false,
    }
}

/// Whether microdata belongs to a comment or review (whose author is not the article's).
fn in_comment(node: &Handle) -> bool {
    has_ancestor(node, |a| {
        attr(a, "itemtype").is_some_and(|t| t.ends_with("Comment") || t.ends_with("Review"))
    })
}

/// Whether an ancestor (up to 64 levels up) satisfies `test`.
fn has_ancestor(node: &Handle, test: impl Fn(&Handle) -> bool) -> bool {
    let mut parent = node.parent.take();
    node.parent.set(parent.clone());
    for _ in 0..64 {
        let Some(weak) = parent else { return false };
        let Some(p) = weak.upgrade() else {
            return false;
        };
        if test(&p) {
            return true;
        }
        parent = p.parent.take();
        p.parent.set(parent.clone());
    }
    false
}

/// A script's text, unchanged.
fn text_content_raw(node: &Handle) -> String {
    let mut out = String::new();
    for child in node.children.borrow().iter() {
        if let markup5ever_rcdom::NodeData::Text { contents } = &child.data {
            out.push_str(&contents.borrow());
        }
    }
    out
}

/// Whitespace collapsed and trimmed; `None` when nothing is left.
pub fn clean(text: &str) -> Option<String> {
    let text = collapse_whitespace(text).trim().to_string();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use html5ever::tendril::TendrilSink;
    use markup5ever_rcdom::RcDom;

    fn meta_of(html: &str) -> PageMeta {
        let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
        read(&descendants(&dom.document), &|u| {
            if u.starts_with("https://") {
                u.to_string()
            } else {
                format!("https://example.org/{}", u.trim_start_matches('/'))
            }
        })
    }

    /// A byline classed "author" in the page's own language is a byline: a French blog's
    /// `<span class="auteurs">par Didier Roy</span>` was not read.
    #[test]
    fn bylines_classed_author_in_other_languages() {
        // A menu's entry for an author's page is no byline.
        let page = meta_of(
            r#"<html><body><ul><li class="menu-item menu-item-object-autor"><a>Reflexiones de
            Fidel</a></li></ul><article><h1>T</h1><p>Text.</p></article></body></html>"#,
        );
        assert!(page.meta.authors.is_empty(), "{:?}", page.meta.authors);
        for class in ["auteurs", "autor-name", "entry-autore"] {
            let page = meta_of(&format!(
                r#"<html><head><title>T</title></head><body><article><h1>T</h1>
                <p class="{class}">par Didier Roy</p><p>Text.</p></article></body></html>"#
            ));
            assert_eq!(page.meta.authors, ["Didier Roy"], "{class}");
        }
    }

    /// An author tag holding a link without its scheme names no one: a page gave
    /// `article:author` "facebook.com/vegolosi", which became the book's author.
    #[test]
    fn an_author_that_is_a_link_without_a_scheme_is_no_name() {
        let page = meta_of(
            r#"<html><head><title>T</title>
            <meta property="article:author" content="facebook.com/vegolosi">
            <meta property="article:author" content="www.example.org">
            <meta name="author" content="Jane Doe">
            <script type="application/ld+json">{"@type":"Article","author":["John.Smith","AC/DC"]}
            </script></head><body></body></html>"#,
        );
        assert!(
            !page
                .meta
                .authors
                .iter()
                .any(|a| a.contains("vegolosi") || a.contains("www.")),
            "{:?}",
            page.meta.authors
        );
        for name in ["John Smith", "AC/DC"] {
            assert!(
                page.meta.authors.iter().any(|a| a == name),
                "{:?}",
                page.meta.authors
            );
        }
        assert!(looks_like_url("facebook.com/vegolosi"));
        assert!(looks_like_url(" www.example.org "));
        assert!(!looks_like_url("John.Smith"));
        assert!(!looks_like_url("AC/DC"));
        assert!(!looks_like_url("Jane Doe / Reuters.com"));
    }

    #[test]
    fn json_ld_article_in_a_graph_beats_opengraph() {
        let page = meta_of(
            r#"<html><head><title>Page | Site</title>
            <meta property="og:title" content="OG title">
            <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
              {"@type":"WebSite","name":"The Site"},
              {"@type":["NewsArticle"],"headline":"LD headline","datePublished":"2024-05-01T10:00:00Z",
               "author":[{"@type":"Person","name":"Jane Doe"},{"@type":"Person","name":"John Roe"}],
               "image":{"@type":"ImageObject","url":"https://img.example/lead.jpg"},
               "articleBody":"The body text."}]}</script></head><body></body></html>"#,
        );
        assert_eq!(page.meta.title.as_deref(), Some("LD headline"));
        assert_eq!(page.meta.authors, ["Jane Doe", "John Roe"]);
        assert_eq!(
            page.meta.published.map(|d| d.to_iso()).as_deref(),
            Some("2024-05-01T10:00:00Z")
        );
        assert_eq!(page.meta.site_name.as_deref(), Some("The Site"));
        assert_eq!(
            page.meta.lead_image.as_deref(),
            Some("https://img.example/lead.jpg")
        );
        assert_eq!(page.article_body.as_deref(), Some("The body text."));
    }

    #[test]
    fn json_ld_in_cdata_is_read() {
        let page = meta_of(
            "<script type=\"application/ld+json\">\n<![CDATA[\n{\"@type\":\"BlogPosting\",\"headline\":\"In CDATA\"}\n]]>\n</script>",
        );
        assert_eq!(page.meta.title.as_deref(), Some("In CDATA"));
    }

    #[test]
    fn opengraph_and_twitter_fill_what_json_ld_lacks() {
        let page = meta_of(
            r#"<head><title>T</title>
            <meta property="og:site_name" content="OG Site">
            <meta property="og:image" content="/img/a.png">
            <meta property="article:published_time" content="2023-01-02T03:04:05+01:00">
            <meta name="twitter:title" content="Twitter title">
            <meta name="twitter:description" content="From Twitter."></head>"#,
        );
        assert_eq!(page.meta.title.as_deref(), Some("Twitter title"));
        assert_eq!(page.meta.site_name.as_deref(), Some("OG Site"));
        assert_eq!(
            page.meta.lead_image.as_deref(),
            Some("https://example.org/img/a.png")
        );
        assert_eq!(
            page.meta.published.map(|d| d.to_iso()).as_deref(),
            Some("2023-01-02T03:04:05+01:00")
        );
        assert_eq!(page.meta.description.as_deref(), Some("From Twitter."));
    }

    #[test]
    fn citation_and_dublin_core_tags() {
        let page = meta_of(
            r#"<head><meta name="citation_title" content="A Paper">
            <meta name="citation_author" content="Curie, Marie">
            <meta name="citation_author" content="Curie, Pierre">
            <meta name="citation_publication_date" content="1903/06/25">
            <meta name="DC.language" content="fr"></head>"#,
        );
        assert_eq!(page.meta.title.as_deref(), Some("A Paper"));
        assert_eq!(page.meta.authors, ["Curie, Marie", "Curie, Pierre"]);
        assert_eq!(
            page.meta.published.map(|d| d.to_iso()).as_deref(),
            Some("1903-06-25")
        );
        assert_eq!(page.meta.language.as_deref(), Some("fr"));
    }

    #[test]
    fn dublin_core_creator_beats_plain_author_and_properties_split() {
        let page = meta_of(
            r#"<head><meta property="dc:creator twitter:site_name" content="Creator Name">
            <meta name="author" content="Other"></head>"#,
        );
        assert_eq!(page.meta.authors, ["Creator Name"]);
    }

    #[test]
    fn microdata_author_and_date() {
        let page = meta_of(
            r#"<body><article itemscope itemtype="https://schema.org/Article">
            <span itemprop="author" itemscope><span itemprop="name">Ada Lovelace</span></span>
            <time itemprop="datePublished" datetime="1843-09-01">1 Sep</time></article></body>"#,
        );
        assert_eq!(page.meta.authors, ["Ada Lovelace"]);
        assert_eq!(
            page.meta.published.map(|d| d.to_iso()).as_deref(),
            Some("1843-09-01")
        );
    }

    #[test]
    fn byline_and_time_elements_and_title_without_site_suffix() {
        let page = meta_of(
            r#"<html lang="en-GB" dir="ltr"><head><title>Rivers Are Rising Again This Spring | The Daily Site</title>
            <link rel="canonical" href="/news/rivers"></head>
            <body><h1>Rivers Are Rising Again This Spring</h1>
            <p class="byline">By Sam Smith <time>May 3</time></p>
            <time datetime="2022-05-03T08:00">May 3</time><p>Text.</p></body></html>"#,
        );
        assert_eq!(
            page.meta.title.as_deref(),
            Some("Rivers Are Rising Again This Spring")
        );
        assert_eq!(page.meta.authors, ["Sam Smith"]);
        assert_eq!(
            page.meta.published.map(|d| d.to_iso()).as_deref(),
            Some("2022-05-03T08:00")
        );
        assert_eq!(page.meta.language.as_deref(), Some("en-GB"));
        assert_eq!(page.meta.direction, Some(Direction::Ltr));
        assert_eq!(
            page.meta.source_url.as_deref(),
            Some("https://example.org/news/rivers")
        );
    }

    #[test]
    fn bylines_lose_their_labels_separators_dates_and_hidden_text() {
        let authors = |html: &str| meta_of(html).meta.authors;
        // Blogger.
        assert_eq!(
            authors(
                "<body><div class='post-footer'><span class='post-author vcard'>Posted by \
                 <span class='fn'>Ned Deily</span></span></div></body>"
            ),
            ["Ned Deily"]
        );
        // A line of logo, author and date.
        assert_eq!(
            authors(
                r#"<body><div class="navbyline"><span class="logo"><a href="/"><img src="l.png"></a></span> /
                <span class="author"><a href="/author/cd">Cory Doctorow</a></span> /
                <span class="date">10:08 am Fri</span> <span id="metadata">Jul 19, 2013</span></div></body>"#
            ),
            ["Cory Doctorow"]
        );
        // A heading as the label, and a screen reader's words beside the name.
        assert_eq!(
            authors(
                r#"<body><div class="recipe-author"><h2>Rezept von</h2><a href="/u/j">
                <img alt="Profilbild von jesusfreak"><span class="ds-sr-only">Zum Profil von jesusfreak</span></a>
                <a href="/u/j"><span>jesusfreak</span></a></div></body>"#
            ),
            ["jesusfreak"]
        );
        // "Von … am <date>", the name a login.
        assert_eq!(
            authors(
                r#"<body><div class="group-author-inner">Von <a href="/r/i" class="username">Isabella.DiBiase</a>
                am <span class="date-display-single">Samstag, 19. Oktober 2019 um 11:14 Uhr</span></div></body>"#
            ),
            ["Isabella DiBiase"]
        );
        // The comment form's name field is no byline.
        assert!(authors(
            r#"<body><p class="comment-form-author"><label for="author">Name</label>
            <span class="required">*</span><input id="author" name="author"></p></body>"#
        )
        .is_empty());
        // A placeholder in the author tag is no author.
        assert!(authors(r#"<head><meta name="author" content="publisher"></head>"#).is_empty());
        // An author box: the name's heading, not the links under it.
        assert_eq!(
            authors(
                r##"<body><div class="author-bio footer"><h3>Martin Junker</h3><h4>&nbsp;</h4>
                <p><a href="/author/martin">Alles von Martin Junker</a><br><br>
                <a href="#">Kontakt</a></p></div></body>"##
            ),
            ["Martin Junker"]
        );
        // The label in a block of its own.
        assert_eq!(
            authors(r#"<body><div class="byline"><div>By</div><div>Jane Doe</div></div></body>"#),
            ["Jane Doe"]
        );
        // A post's section classed with its author's slug is the article, no byline.
        let story = "The council met on Tuesday and voted to extend the river walk. ".repeat(5);
        assert!(authors(&format!(
            "<body><section class='post autor-jane-doe'><div><span><a href='/c'>Noticias</a>\
             </span></div><p>{story}</p></section></body>"
        ))
        .is_empty());
        // A profile link's label, after a placeholder name, names no one.
        assert!(authors(
            r#"<body><aside><dl><dt><a rel="author" href="/profile/1">Unknown</a></dt></dl>
            <a class="profile-link" rel="author" href="/profile/1">Afficher mon profil complet</a>
            </aside></body>"#
        )
        .is_empty());
    }

    #[test]
    fn dates_in_title_attributes() {
        let dates = |html: &str| {
            let meta = meta_of(html).meta;
            (
                meta.published.map(|d| d.to_iso()),
                meta.modified.map(|d| d.to_iso()),
            )
        };
        // Microdata on any element, its date in `title`.
        assert_eq!(
            dates(
                "<body><abbr class='published' itemprop='datePublished' \
                 title='2019-10-16T14:33:00-07:00'>2:33 PM</abbr>\
                 <span itemprop='dateModified' content='2019-10-17'>yesterday</span></body>"
            ),
            (
                Some("2019-10-16T14:33:00-07:00".to_string()),
                Some("2019-10-17".to_string())
            )
        );
        // hAtom: the post's `published` element, over a sidebar's `<time>` before it.
        assert_eq!(
            dates(
                "<body><aside><time datetime='2020-01-01'>1 Jan</time></aside>\
                 <span class='post-timestamp'><a href='/p'><abbr class='published' \
                 title='2016-12-23T05:11:00-05:00'>5:11 AM</abbr></a></span></body>"
            )
            .0,
            Some("2016-12-23T05:11:00-05:00".to_string())
        );
    }

    #[test]
    fn a_page_url_must_be_a_web_address() {
        // Nothing to resolve against (a saved page read from disk): a relative canonical
        // link names no page, and an absolute one from a less trusted source is taken.
        let read_unresolved = |html: &str| {
            let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
            read(&descendants(&dom.document), &|u| u.to_string())
                .meta
                .source_url
        };
        assert_eq!(
            read_unresolved(r#"<head><link rel="canonical" href="/news/rivers"></head>"#),
            None
        );
        assert_eq!(
            read_unresolved(
                r#"<head><script type="application/ld+json">{"@type": "Article", "url": "rivers.html"}</script>
                <link rel="canonical" href="file:///home/me/rivers.html">
                <meta property="og:url" content="https://example.org/news/rivers"></head>"#
            )
            .as_deref(),
            Some("https://example.org/news/rivers")
        );
    }

    #[test]
    fn site_suffix_rules() {
        assert_eq!(
            strip_site_suffix("A Long Article Title - CNN", None, &[]),
            "A Long Article Title"
        );
        assert_eq!(
            strip_site_suffix("Site | Real Title Here", Some("Site"), &[]),
            "Real Title Here"
        );
        // Too little would be left: keep the whole title.
        assert_eq!(
            strip_site_suffix("Home - My Blog", None, &[]),
            "Home - My Blog"
        );
    }

    #[test]
    fn dates_become_iso_8601() {
        assert_eq!(
            iso_date("2019-11-19T09:00:00-05:00").as_deref(),
            Some("2019-11-19T09:00:00-05:00")
        );
        assert_eq!(iso_date("November 19, 2019").as_deref(), Some("2019-11-19"));
        assert_eq!(iso_date("19 Nov 2019 10:00").as_deref(), Some("2019-11-19"));
        assert_eq!(iso_date("20191119").as_deref(), Some("2019-11-19"));
        assert_eq!(iso_date("yesterday"), None);
        // Only days the calendar has: a leap day in a leap year, not otherwise.
        assert_eq!(iso_date("2024-02-29").as_deref(), Some("2024-02-29"));
        assert_eq!(iso_date("Feb 29, 2024").as_deref(), Some("2024-02-29"));
        assert_eq!(iso_date("2023-02-29"), None);
        assert_eq!(iso_date("29 February 2023"), None);
        assert_eq!(iso_date("20231345"), None);
    }

    #[test]
    fn broken_json_ld_is_ignored() {
        let page = meta_of(
            r#"<head><title>Fallback Title Of The Page</title><script type="application/ld+json">{"@type": "Article", "headline": </script></head>"#,
        );
        assert_eq!(
            page.meta.title.as_deref(),
            Some("Fallback Title Of The Page")
        );
    }
}

#[cfg(test)]
mod comment_tests {
    use super::*;
    use html5ever::tendril::TendrilSink;
    use markup5ever_rcdom::RcDom;

    #[test]
    fn a_comment_author_is_not_the_article_author() {
        let html = r#"<body><p>Text.</p><ol><li><article itemscope itemtype="https://schema.org/Comment">
            <span itemprop="author">Commenter</span></article></li></ol></body>"#;
        let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
        let page = read(&descendants(&dom.document), &|u| u.to_string());
        assert!(page.meta.authors.is_empty(), "{:?}", page.meta.authors);
    }
}

#[cfg(test)]
mod title_and_language_tests {
    use super::*;
    use html5ever::tendril::TendrilSink;
    use markup5ever_rcdom::RcDom;

    /// The page read as if fetched from `https://news.example.com/a`.
    fn meta_of(html: &str) -> Meta {
        let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
        read(&descendants(&dom.document), &|u| {
            if u.starts_with("https://") {
                u.to_string()
            } else {
                format!("https://news.example.com/{}", u.trim_start_matches('/'))
            }
        })
        .meta
    }

    fn title_of(html: &str) -> String {
        meta_of(html).title.unwrap_or_default()
    }

    #[test]
    fn the_site_name_after_any_separator_is_cut_from_og_title() {
        for sep in ["|", "-", "–", "—", "::", "»", "·"] {
            let html = format!(
                r#"<head><meta property="og:site_name" content="The Daily Planet">
                <meta property="og:title" content="Rain Again {sep} The Daily Planet"></head>"#
            );
            assert_eq!(title_of(&html), "Rain Again", "separator {sep}");
        }
    }

    #[test]
    fn the_site_name_before_the_title_is_cut() {
        for sep in ["|", "-", "»", ":"] {
            let html = format!(
                r#"<head><meta property="og:site_name" content="Planet">
                <meta property="og:title" content="Planet {sep} Rain Again"></head>"#
            );
            assert_eq!(title_of(&html), "Rain Again", "separator {sep}");
        }
        // Named at both ends.
        assert_eq!(
            title_of(
                r#"<head><meta property="og:site_name" content="Planet">
                <meta property="og:title" content="Planet: Rain Again | Planet"></head>"#
            ),
            "Rain Again"
        );
    }

    #[test]
    fn a_part_that_spells_the_domain_is_the_site_name() {
        // No stated site name: the domain names it (`example` in news.example.com).
        assert_eq!(
            title_of(
                r#"<head><meta property="og:title" content="Rain Again - Example News"></head>"#
            ),
            "Rain Again"
        );
        assert_eq!(
            title_of(
                r#"<head><link rel="canonical" href="https://www.arstechnica.com/x">
                <meta property="og:title" content="Rain Again | Ars Technica"></head>"#
            ),
            "Rain Again"
        );
    }

    #[test]
    fn a_title_keeps_its_own_dashes_and_colons() {
        // The part after the dash is no site name.
        assert_eq!(
            title_of(
                r#"<head><meta property="og:site_name" content="Planet">
                <meta property="og:title" content="Spider-Man – a hero for every age"></head>"#
            ),
            "Spider-Man – a hero for every age"
        );
        assert_eq!(
            title_of(
                r#"<head><meta property="og:site_name" content="Planet">
                <meta property="og:title" content="Rivers: why they rise - Planet"></head>"#
            ),
            "Rivers: why they rise"
        );
        // A `<title>` the page's heading states whole is kept whole, however long its
        // last part.
        assert_eq!(
            title_of(
                "<head><title>Lessons from ten years of writing Rust - a retrospective</title></head>
                <body><h1>Lessons from ten years of writing Rust - a retrospective</h1></body>"
            ),
            "Lessons from ten years of writing Rust - a retrospective"
        );
        // A part that holds the site's name and more is the title's.
        assert_eq!(
            title_of(
                r#"<head><meta property="og:site_name" content="Planet">
                <meta property="og:title" content="Planet of the Apes returns :: Reviews"></head>"#
            ),
            "Planet of the Apes returns :: Reviews"
        );
    }

    #[test]
    fn a_placeholder_json_ld_headline_loses_to_the_title_the_page_agrees_on() {
        let headline = "Plumber jailed after boiler killed millionaire's daughter";
        let html = format!(
            r#"<head><title>{headline}</title>
            <meta property="og:title" content="{headline} ">
            <script type="application/ld+json">{{"@type":"NewsArticle","headline":"escenic"}}</script>
            </head><body><h1 itemprop="headline">{headline}</h1></body>"#
        );
        assert_eq!(title_of(&html), headline);
        // The title and the heading alone agree too.
        let html = format!(
            r#"<head><title>{headline} | The Paper</title>
            <script type="application/ld+json">{{"@type":"NewsArticle","headline":"escenic"}}</script>
            </head><body><h1>{headline}</h1></body>"#
        );
        assert_eq!(title_of(&html), headline);
    }

    #[test]
    fn a_json_ld_headline_sharing_words_or_unopposed_stays() {
        // A shorter headline of the same story is the publisher's own.
        let html = r#"<head><title>Plumber jailed after boiler death | The Paper</title>
            <meta property="og:title" content="Plumber jailed after boiler death">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Plumber jailed"}</script>
            </head>"#;
        assert_eq!(title_of(html), "Plumber jailed");
        // Only one other source: no agreement to outvote it.
        let html = r#"<head><title>Home</title>
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Channel dredged"}</script>
            </head>"#;
        assert_eq!(title_of(html), "Channel dredged");
        // Two sources that agree on the site's front page, a real headline that is longer.
        let html = r#"<head><title>The Harbour News</title>
            <meta property="og:title" content="The Harbour News">
            <script type="application/ld+json">{"@type":"NewsArticle","headline":"Channel to be dredged in May"}</script>
            </head>"#;
        assert_eq!(title_of(html), "Channel to be dredged in May");
    }

    #[test]
    fn a_title_that_is_the_site_name_stays() {
        assert_eq!(
            title_of(
                r#"<head><meta property="og:site_name" content="Planet - News for all">
                <meta property="og:title" content="Planet - News for all"></head>"#
            ),
            "Planet - News for all"
        );
    }

    #[test]
    fn the_heading_after_a_site_name_in_the_title_element() {
        assert_eq!(
            title_of(
                "<head><title>Some Weekly Paper » Rivers Are Rising Again</title></head>
                <body><h1>Rivers Are Rising Again</h1></body>"
            ),
            "Rivers Are Rising Again"
        );
    }

    /// A documentation page's heading ends in its permalink's mark ("9. Classes¶"): the
    /// heading still confirms the title's part, and the site's name after it goes.
    #[test]
    fn a_heading_confirms_the_title_without_its_permalink_mark() {
        assert_eq!(
            title_of(
                "<head><title>9. Classes — Python 3.11.2 documentation</title></head>
                <body><h1><span class=section-number>9. </span>Classes<a class=headerlink \
                href=#classes title='Permalink to this heading'>¶</a></h1></body>"
            ),
            "9. Classes"
        );
    }

    /// A documentation book names itself in its menu bar's `h1` and the chapter in an `h2`
    /// under it: `<title>` "Chapter - Book" gives the chapter, as the `h2` spells it.
    #[test]
    fn the_chapter_under_a_book_named_in_the_h1() {
        let page = |title: &str| {
            format!(
                "<head><title>{title}</title></head><body><h2>Keyboard shortcuts</h2>\
                 <h1 class=menu-title>The Rust Programming Language</h1>\
                 <main><h2 id=ownership>What Is Ownership?</h2><p>Text.</p></main></body>"
            )
        };
        assert_eq!(
            title_of(&page("What is Ownership? - The Rust Programming Language")),
            "What Is Ownership?"
        );
        // A title that is not the chapter's keeps the rules it had.
        assert_eq!(
            title_of(&page("Foreword - The Rust Programming Language")),
            "The Rust Programming Language"
        );
        // The chapter's heading may be an `h1` of its own (the Rust Reference), and one
        // with a permalink's mark gives the title's spelling (Node's documentation).
        assert_eq!(
            title_of(
                "<head><title>Notation - The Rust Reference</title></head><body>\
                 <h1 class=menu-title>The Rust Reference</h1><main><h1 id=notation>\
                 <a href=\"#notation\">Notation</a></h1><p>Text.</p></main></body>"
            ),
            "Notation"
        );
        assert_eq!(
            title_of(
                "<head><title>Zlib | Node.js v20.20.2 Documentation</title></head><body>\
                 <h1>Node.js v20.20.2 documentation</h1><h2>Zlib<span><a href=\"#zlib\">#</a>\
                 </span></h2><p>Text.</p></body>"
            ),
            "Zlib"
        );
    }

    #[test]
    fn the_language_the_root_element_declares_beats_og_locale() {
        let html =
            r#"<html lang="cs"><head><meta property="og:locale" content="cs_CZ"></head></html>"#;
        assert_eq!(meta_of(html).language.as_deref(), Some("cs"));
        let html = r#"<html xml:lang="en"><head><meta property="og:locale" content="en_US"></head></html>"#;
        assert_eq!(meta_of(html).language.as_deref(), Some("en"));
        // Without one, the header's stand-in, then the preview's locale.
        let html = r#"<head><meta http-equiv="Content-Language" content="de-AT">
            <meta property="og:locale" content="en_US"></head>"#;
        assert_eq!(meta_of(html).language.as_deref(), Some("de-AT"));
        let html = r#"<head><meta property="og:locale" content="pt_BR"></head>"#;
        assert_eq!(meta_of(html).language.as_deref(), Some("pt-BR"));
        // A list of languages names no one language; a broken tag is passed over.
        let html = r#"<html lang="x"><head><meta http-equiv="content-language" content="en, fr"></head></html>"#;
        assert_eq!(meta_of(html).language, None);
    }

    #[test]
    fn authors_from_json_ld_meta_and_rel_author() {
        let json_ld = r#"<head><script type="application/ld+json">{"@type":"Article",
            "author":{"@type":"Person","name":"Ann Ray"}}</script>
            <meta name="author" content="Meta Name"></head>"#;
        assert_eq!(meta_of(json_ld).authors, ["Ann Ray"]);
        let named = r#"<head><meta name="author" content="Meta Name"></head>
            <body><a rel="author" href="/x">Link Name</a></body>"#;
        assert_eq!(meta_of(named).authors, ["Meta Name"]);
        let linked = r#"<body><p>By <a rel="author" href="/x">Link Name</a></p></body>"#;
        assert_eq!(meta_of(linked).authors, ["Link Name"]);
    }

    #[test]
    fn dates_from_json_ld_article_tags_and_time() {
        let date = |html: &str| meta_of(html).published.map(|d| d.to_iso());
        assert_eq!(
            date(
                r#"<head><script type="application/ld+json">{"@type":"NewsArticle",
                "datePublished":"2021-03-04"}</script>
                <meta property="article:published_time" content="2020-01-01"></head>"#
            )
            .as_deref(),
            Some("2021-03-04")
        );
        assert_eq!(
            date(
                r#"<head><meta property="article:published_time" content="2020-01-02T10:00:00Z"></head>
                <body><time datetime="2019-01-01">then</time></body>"#
            )
            .as_deref(),
            Some("2020-01-02T10:00:00Z")
        );
        assert_eq!(
            date(r#"<body><time datetime="2019-05-06">6 May</time></body>"#).as_deref(),
            Some("2019-05-06")
        );
    }
}
