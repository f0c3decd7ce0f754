//! The OPDS 1.2 catalog as documents: pure functions from the library's entries to Atom
//! feeds and the OpenSearch description, no I/O. The routes ([`super`]) pick the entries and
//! answer with what these functions write.
//!
//! The catalog's shape (every feed has a `self` and a `start` link, every feed but the root an
//! `up` link):
//!
//! ```text
//! /opds                        navigation: Newest, By date, By site, Books; search
//! ├─ /opds/new                 acquisition: every entry, newest added first, 50 a page
//! ├─ /opds/dates               navigation: one entry per month an entry was added, newest first
//! │  └─ /opds/dates/2026-12    acquisition: that month's entries
//! ├─ /opds/sites               navigation: one entry per site, the site added to last first
//! │  └─ /opds/sites/SITE       acquisition: that site's entries
//! ├─ /opds/books               acquisition: the books (feed issues, collections)
//! ├─ /opds/search?q=…          acquisition: what the library's search finds
//! └─ /opds/opensearch.xml      the OpenSearch description that names the search URL
//! ```
//!
//! Every acquisition entry links its EPUB, KEPUB and PDF (`http://opds-spec.org/acquisition`)
//! and, when it has a cover, the cover and its thumbnail (`http://opds-spec.org/image`,
//! `…/image/thumbnail`). Hrefs are absolute paths, which Atom resolves against the feed's own
//! address; only the OpenSearch template is a whole URL, because its clients do not resolve it.
//! Text goes through the crate's one XML escaper ([`quire::xml`]).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use quire::OutputFormat;
use sha2::{Digest, Sha256};

/// The media type of a navigation feed (OPDS 1.2, section 2).
pub const NAVIGATION_TYPE: &str = "application/atom+xml;profile=opds-catalog;kind=navigation";
/// The media type of an acquisition feed.
pub const ACQUISITION_TYPE: &str = "application/atom+xml;profile=opds-catalog;kind=acquisition";
/// The media type of the OpenSearch description document.
pub const OPENSEARCH_TYPE: &str = "application/opensearchdescription+xml";
/// The link relation of a download.
pub const REL_ACQUISITION: &str = "http://opds-spec.org/acquisition";
/// The link relation of a cover.
pub const REL_IMAGE: &str = "http://opds-spec.org/image";
/// The link relation of a cover's small version.
pub const REL_THUMBNAIL: &str = "http://opds-spec.org/image/thumbnail";
/// The link relation OPDS gives a feed of the newest entries.
pub const REL_SORT_NEW: &str = "http://opds-spec.org/sort/new";

/// Entries in one page of an acquisition feed.
pub const PAGE_SIZE: usize = 50;

/// The formats a device can take, in the order their links are listed (the first is what a
/// client that takes the first acquisition link downloads).
pub const DEVICE_FORMATS: [OutputFormat; 3] =
    [OutputFormat::Epub, OutputFormat::Kepub, OutputFormat::Pdf];

/// The root of the catalog.
pub const ROOT: &str = "/opds";
/// The OpenSearch description's path.
pub const OPENSEARCH_PATH: &str = "/opds/opensearch.xml";

/// The media type of a downloadable format, as e-readers know it: KOReader and Kobo's own
/// software take `application/kepub+zip` for a KEPUB. It is the type the download answers
/// with (one table, [`crate::cli::download::media_type`]). None for the formats a device
/// does not download from the catalog.
pub fn media_type(format: OutputFormat) -> Option<&'static str> {
    matches!(
        format,
        OutputFormat::Epub | OutputFormat::Kepub | OutputFormat::Pdf
    )
    .then(|| crate::cli::download::media_type(format))
}

/// What the catalog shows of one library entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogEntry {
    /// The library's id of the entry (the download and cover paths carry it).
    pub id: String,
    pub title: String,
    pub authors: Vec<String>,
    /// The site the article came from (its host).
    pub site: Option<String>,
    /// The language, a BCP 47 tag.
    pub language: Option<String>,
    /// The day the article was published, ISO 8601.
    pub published: Option<String>,
    /// When the entry was added to the library, RFC 3339 (Atom's `updated`).
    pub added: String,
    pub words: usize,
    pub description: Option<String>,
    /// Whether it is a book (a feed issue, a collection) rather than one article.
    pub is_book: bool,
    /// The device formats it can be downloaded as, in [`DEVICE_FORMATS`] order.
    pub formats: Vec<OutputFormat>,
    /// The cover's media type, when it has one.
    pub cover_type: Option<&'static str>,
}

impl CatalogEntry {
    /// The month it was added, `YYYY-MM` (the By date grouping).
    pub fn added_month(&self) -> &str {
        self.added.get(..7).unwrap_or(&self.added)
    }
}

/// Which page of how many entries an acquisition feed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// 1-based.
    pub number: usize,
    pub total_entries: usize,
}

impl Page {
    /// The page `requested` of `total_entries` entries, kept within the pages there are (an
    /// empty feed has one empty page).
    pub fn of(requested: usize, total_entries: usize) -> Page {
        Page {
            number: requested.clamp(1, Page::count_for(total_entries)),
            total_entries,
        }
    }

    fn count_for(total_entries: usize) -> usize {
        total_entries.div_ceil(PAGE_SIZE).max(1)
    }

    /// How many pages there are.
    pub fn count(&self) -> usize {
        Page::count_for(self.total_entries)
    }

    /// The range of entries this page shows.
    pub fn range(&self) -> std::ops::Range<usize> {
        let start = (self.number - 1) * PAGE_SIZE;
        start.min(self.total_entries)..(start + PAGE_SIZE).min(self.total_entries)
    }
}

/// A feed's address: its path and query without the page, so that each page's link is made
/// from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedAddress {
    pub path: String,
    /// Query pairs other than the page (the search terms), unencoded.
    pub query: Vec<(String, String)>,
}

impl FeedAddress {
    pub fn new(path: impl Into<String>) -> FeedAddress {
        FeedAddress {
            path: path.into(),
            query: Vec::new(),
        }
    }

    /// The href of page `page` (page 1 without a page parameter).
    pub fn href(&self, page: usize) -> String {
        let mut href = self.path.clone();
        let mut pairs: Vec<(&str, String)> = self
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        if page > 1 {
            pairs.push(("page", page.to_string()));
        }
        for (i, (key, value)) in pairs.iter().enumerate() {
            href.push(if i == 0 { '?' } else { '&' });
            href.push_str(&encode_component(key));
            href.push('=');
            href.push_str(&encode_component(value));
        }
        href
    }
}

/// Percent-encodes everything but the unreserved characters of RFC 3986.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One path segment or query value, percent-encoded.
pub fn encode_component(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}

/// The path of a month's feed.
pub fn month_path(month: &str) -> String {
    format!("{ROOT}/dates/{}", encode_component(month))
}

/// The path of a site's feed.
pub fn site_path(site: &str) -> String {
    format!("{ROOT}/sites/{}", encode_component(site))
}

/// The path an entry's file is downloaded from: the server's one download route
/// (`/library/{id}/download/{format}`, formats by their short names), whose answer names the
/// file `ID.epub`, `ID.kepub.epub`, `ID.pdf`.
pub fn download_path(id: &str, format: OutputFormat) -> String {
    format!(
        "/library/{}/download/{}",
        encode_component(id),
        format.extension()
    )
}

/// The path of an entry's cover (the server's cover route).
pub fn cover_path(id: &str) -> String {
    format!("/library/{}/cover", encode_component(id))
}

/// The path of an entry's cover thumbnail (see [`super::thumbnail`]).
pub fn thumbnail_path(id: &str) -> String {
    format!("/library/{}/thumbnail", encode_component(id))
}

/// A stable Atom id for a name: a `urn:uuid` made from its SHA-256, so the same entry or feed
/// has the same id in every answer and on every run.
pub fn stable_id(name: &str) -> String {
    let digest = Sha256::digest(format!("quire opds\0{name}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    format!(
        "urn:uuid:{}",
        uuid::Builder::from_custom_bytes(bytes).into_uuid()
    )
}

/// What a navigation feed lists: a link to another feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NavigationItem {
    pub title: String,
    /// A line about what is behind it ("12 articles").
    pub content: String,
    pub href: String,
    /// The type of the feed it leads to ([`NAVIGATION_TYPE`] or [`ACQUISITION_TYPE`]).
    pub kind: &'static str,
    /// The link's relation: `subsection`, or [`REL_SORT_NEW`] for the newest entries.
    pub rel: &'static str,
    /// When what is behind it last changed (RFC 3339).
    pub updated: String,
}

/// The head of a feed: what every feed says about itself.
#[derive(Debug, Clone)]
pub struct FeedHead<'a> {
    pub title: &'a str,
    pub address: &'a FeedAddress,
    /// The parent feed's href and type; none for the root.
    pub up: Option<(&'a str, &'static str)>,
    /// When it last changed (RFC 3339): its newest entry, or now for an empty one.
    pub updated: &'a str,
}

/// The root navigation feed.
pub fn root_feed(entries: &[CatalogEntry], now: &str) -> String {
    let updated = entries.first().map_or(now, |e| e.added.as_str());
    let books: Vec<&CatalogEntry> = entries.iter().filter(|e| e.is_book).collect();
    let items = vec![
        NavigationItem {
            title: "Newest".to_string(),
            content: count_text(entries.len(), "entry", "entries"),
            href: format!("{ROOT}/new"),
            kind: ACQUISITION_TYPE,
            rel: REL_SORT_NEW,
            updated: updated.to_string(),
        },
        NavigationItem {
            title: "By date".to_string(),
            content: "The entries by the month they were added, newest first".to_string(),
            href: format!("{ROOT}/dates"),
            kind: NAVIGATION_TYPE,
            rel: "subsection",
            updated: updated.to_string(),
        },
        NavigationItem {
            title: "By site".to_string(),
            content: "The articles by the site they came from".to_string(),
            href: format!("{ROOT}/sites"),
            kind: NAVIGATION_TYPE,
            rel: "subsection",
            updated: updated.to_string(),
        },
        NavigationItem {
            title: "Books".to_string(),
            content: count_text(books.len(), "book", "books"),
            href: format!("{ROOT}/books"),
            kind: ACQUISITION_TYPE,
            rel: "subsection",
            updated: books
                .first()
                .map_or(updated, |e| e.added.as_str())
                .to_string(),
        },
    ];
    let address = FeedAddress::new(ROOT);
    navigation_feed(
        &FeedHead {
            title: "quire library",
            address: &address,
            up: None,
            updated,
        },
        &items,
    )
}

/// The By date feed: one item per month an entry was added, newest first.
pub fn months_feed(entries: &[CatalogEntry], now: &str) -> String {
    // Entries come newest first, so each month's first entry is its newest.
    let mut months: Vec<(&str, usize, &str)> = Vec::new();
    for entry in entries {
        let month = entry.added_month();
        match months.iter_mut().find(|(m, _, _)| *m == month) {
            Some((_, count, _)) => *count += 1,
            None => months.push((month, 1, &entry.added)),
        }
    }
    months.sort_by(|a, b| b.0.cmp(a.0));
    let items: Vec<NavigationItem> = months
        .iter()
        .map(|(month, count, updated)| NavigationItem {
            title: month_title(month),
            content: count_text(*count, "entry", "entries"),
            href: month_path(month),
            kind: ACQUISITION_TYPE,
            rel: "subsection",
            updated: updated.to_string(),
        })
        .collect();
    let address = FeedAddress::new(format!("{ROOT}/dates"));
    navigation_feed(
        &FeedHead {
            title: "By date",
            address: &address,
            up: Some((ROOT, NAVIGATION_TYPE)),
            updated: entries.first().map_or(now, |e| e.added.as_str()),
        },
        &items,
    )
}

/// The By site feed: one item per site, the site an article was added from last first.
pub fn sites_feed(entries: &[CatalogEntry], now: &str) -> String {
    let mut sites: Vec<(&str, usize, &str)> = Vec::new();
    for entry in entries {
        let Some(site) = entry.site.as_deref() else {
            continue;
        };
        match sites.iter_mut().find(|(s, _, _)| *s == site) {
            Some((_, count, _)) => *count += 1,
            None => sites.push((site, 1, &entry.added)),
        }
    }
    let items: Vec<NavigationItem> = sites
        .iter()
        .map(|(site, count, updated)| NavigationItem {
            title: site.to_string(),
            content: count_text(*count, "article", "articles"),
            href: site_path(site),
            kind: ACQUISITION_TYPE,
            rel: "subsection",
            updated: updated.to_string(),
        })
        .collect();
    let address = FeedAddress::new(format!("{ROOT}/sites"));
    navigation_feed(
        &FeedHead {
            title: "By site",
            address: &address,
            up: Some((ROOT, NAVIGATION_TYPE)),
            updated: entries.first().map_or(now, |e| e.added.as_str()),
        },
        &items,
    )
}

/// "December 2026" for `2026-12`; the text itself when it is not a month.
pub fn month_title(month: &str) -> String {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let parsed = month
        .split_once('-')
        .and_then(|(year, m)| Some((year, m.parse::<usize>().ok()?)));
    match parsed {
        Some((year, m)) if (1..=12).contains(&m) => format!("{} {year}", NAMES[m - 1]),
        _ => month.to_string(),
    }
}

fn count_text(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// A navigation feed of `items`.
pub fn navigation_feed(head: &FeedHead, items: &[NavigationItem]) -> String {
    let mut xml = Xml::feed(head, NAVIGATION_TYPE, None);
    for item in items {
        xml.open("entry", &[]);
        xml.element("title", &[], &item.title);
        xml.element("id", &[], &stable_id(&format!("navigation {}", item.href)));
        xml.element("updated", &[], &item.updated);
        xml.element("content", &[("type", "text")], &item.content);
        xml.empty(
            "link",
            &[("rel", item.rel), ("type", item.kind), ("href", &item.href)],
        );
        xml.close("entry");
    }
    xml.finish()
}

/// One page of an acquisition feed: `shown` are the page's entries (`page.range()` of all).
pub fn acquisition_feed(head: &FeedHead, shown: &[CatalogEntry], page: Page) -> String {
    let mut xml = Xml::feed(head, ACQUISITION_TYPE, Some(page));
    for entry in shown {
        write_entry(&mut xml, entry);
    }
    xml.finish()
}

fn write_entry(xml: &mut Xml, entry: &CatalogEntry) {
    xml.open("entry", &[]);
    xml.element("title", &[], &entry.title);
    xml.element("id", &[], &stable_id(&format!("entry {}", entry.id)));
    xml.element("updated", &[], &entry.added);
    for author in &entry.authors {
        xml.open("author", &[]);
        xml.element("name", &[], author);
        xml.close("author");
    }
    if let Some(language) = &entry.language {
        xml.element("dc:language", &[], language);
    }
    if let Some(published) = &entry.published {
        xml.element("dc:issued", &[], published);
    }
    if let Some(site) = &entry.site {
        xml.empty("category", &[("term", site), ("label", site)]);
    }
    if let Some(description) = &entry.description {
        xml.element("summary", &[("type", "text")], description);
    }
    // Atom wants content or an alternate link in every entry; this line is what a reader's
    // list shows under the title.
    xml.element("content", &[("type", "text")], &entry_line(entry));
    for format in &entry.formats {
        let Some(media_type) = media_type(*format) else {
            continue;
        };
        xml.empty(
            "link",
            &[
                ("rel", REL_ACQUISITION),
                ("type", media_type),
                ("href", &download_path(&entry.id, *format)),
            ],
        );
    }
    if let Some(cover_type) = entry.cover_type {
        xml.empty(
            "link",
            &[
                ("rel", REL_IMAGE),
                ("type", cover_type),
                ("href", &cover_path(&entry.id)),
            ],
        );
        xml.empty(
            "link",
            &[
                ("rel", REL_THUMBNAIL),
                // A PNG or JPEG cover's thumbnail is of its kind (see `thumbnail`).
                ("type", cover_type),
                ("href", &thumbnail_path(&entry.id)),
            ],
        );
    }
    xml.close("entry");
}

/// "example.com · 2026-12-01 · 1,234 words".
fn entry_line(entry: &CatalogEntry) -> String {
    let mut parts: Vec<String> = Vec::new();
    if entry.is_book {
        parts.push("Book".to_string());
    }
    if let Some(site) = &entry.site {
        parts.push(site.clone());
    }
    if let Some(published) = &entry.published {
        parts.push(published.clone());
    }
    let unit = if entry.words == 1 { "word" } else { "words" };
    parts.push(format!("{} {unit}", thousands(entry.words)));
    parts.join(" \u{b7} ")
}

/// 1234567 as "1,234,567".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The OpenSearch 1.1 description: the search feed's URL template, whole (`base` is the
/// scheme and host the client asked, `http://192.168.1.5:8080`).
pub fn opensearch_description(base: &str) -> String {
    let mut xml = Xml {
        out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
    };
    xml.open(
        "OpenSearchDescription",
        &[("xmlns", "http://a9.com/-/spec/opensearch/1.1/")],
    );
    xml.element("ShortName", &[], "quire");
    xml.element("Description", &[], "Search the quire library");
    xml.element("InputEncoding", &[], "UTF-8");
    xml.element("OutputEncoding", &[], "UTF-8");
    let template = format!(
        "{}{ROOT}/search?q={{searchTerms}}",
        base.trim_end_matches('/')
    );
    xml.empty(
        "Url",
        &[("type", ACQUISITION_TYPE), ("template", &template)],
    );
    xml.close("OpenSearchDescription");
    xml.out
}

/// A small XML writer: elements in, escaped text out, through the crate's one escaper.
struct Xml {
    out: String,
}

impl Xml {
    /// The opening of a feed: namespaces, id, title, updated, author, and its links (self,
    /// start, up, search, and the paging links of an acquisition feed).
    fn feed(head: &FeedHead, kind: &'static str, page: Option<Page>) -> Xml {
        let mut xml = Xml {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
        };
        xml.open(
            "feed",
            &[
                ("xmlns", "http://www.w3.org/2005/Atom"),
                ("xmlns:dc", "http://purl.org/dc/terms/"),
                ("xmlns:opds", "http://opds-spec.org/2010/catalog"),
                ("xmlns:opensearch", "http://a9.com/-/spec/opensearch/1.1/"),
            ],
        );
        let page_number = page.map_or(1, |p| p.number);
        let self_href = head.address.href(page_number);
        xml.element(
            "id",
            &[],
            &stable_id(&format!("feed {}", head.address.href(1))),
        );
        xml.element("title", &[], head.title);
        xml.element("updated", &[], head.updated);
        xml.open("author", &[]);
        xml.element("name", &[], "quire");
        xml.close("author");
        xml.empty(
            "link",
            &[("rel", "self"), ("type", kind), ("href", &self_href)],
        );
        xml.empty(
            "link",
            &[("rel", "start"), ("type", NAVIGATION_TYPE), ("href", ROOT)],
        );
        if let Some((up, up_kind)) = head.up {
            xml.empty("link", &[("rel", "up"), ("type", up_kind), ("href", up)]);
        }
        xml.empty(
            "link",
            &[
                ("rel", "search"),
                ("type", OPENSEARCH_TYPE),
                ("href", OPENSEARCH_PATH),
                ("title", "Search"),
            ],
        );
        if let Some(page) = page {
            let last = page.count();
            let mut paging = vec![("first", 1)];
            if page.number > 1 {
                paging.push(("previous", page.number - 1));
            }
            if page.number < last {
                paging.push(("next", page.number + 1));
            }
            paging.push(("last", last));
            for (rel, number) in paging {
                xml.empty(
                    "link",
                    &[
                        ("rel", rel),
                        ("type", kind),
                        ("href", &head.address.href(number)),
                    ],
                );
            }
            // OpenSearch's paging figures, which clients use to show "page 2 of 7".
            xml.element(
                "opensearch:totalResults",
                &[],
                &page.total_entries.to_string(),
            );
            xml.element(
                "opensearch:startIndex",
                &[],
                &(page.range().start + 1).to_string(),
            );
            xml.element("opensearch:itemsPerPage", &[], &PAGE_SIZE.to_string());
        }
        xml
    }

    fn start_tag(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (key, value) in attributes {
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            quire::xml::escape_attr_into(value, &mut self.out);
            self.out.push('"');
        }
    }

    fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.start_tag(name, attributes);
        self.out.push('>');
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        self.start_tag(name, attributes);
        self.out.push_str("/>");
    }

    fn close(&mut self, name: &str) {
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn element(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) {
        self.open(name, attributes);
        quire::xml::escape_text_into(text, &mut self.out);
        self.close(name);
    }

    fn finish(mut self) -> String {
        self.close("feed");
        self.out.push('\n');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use roxmltree::{Document, Node};

    const ATOM: &str = "http://www.w3.org/2005/Atom";
    const DC: &str = "http://purl.org/dc/terms/";
    const NOW: &str = "2026-12-03T09:00:00Z";

    fn entry(n: usize) -> CatalogEntry {
        // Newest first: entry 0 was added last.
        let day = 28 - (n % 28);
        let month = 12 - (n / 28) % 12;
        CatalogEntry {
            id: format!("2026{month:02}{day:02}-article-{n}"),
            title: format!("Article {n}"),
            authors: vec![format!("Author {n}")],
            site: Some(format!("site{}.example", n % 3)),
            language: Some("en".to_string()),
            published: Some(format!("2026-{month:02}-{day:02}")),
            added: format!("2026-{month:02}-{day:02}T10:00:00Z"),
            words: 1234 + n,
            description: Some(format!("About {n}")),
            is_book: n % 10 == 0,
            formats: DEVICE_FORMATS.to_vec(),
            cover_type: (n % 2 == 0).then_some("image/png"),
        }
    }

    /// A page of an acquisition feed of `entries` (newest first), headed `title`, under the feed
    /// `up`: the page asked for, or the nearest there is.
    fn entries_feed(
        title: &str,
        address: &FeedAddress,
        up: (&str, &'static str),
        entries: &[CatalogEntry],
        requested_page: usize,
        now: &str,
    ) -> String {
        let page = Page::of(requested_page, entries.len());
        acquisition_feed(
            &FeedHead {
                title,
                address,
                up: Some(up),
                updated: entries.first().map_or(now, |e| e.added.as_str()),
            },
            &entries[page.range()],
            page,
        )
    }

    fn entries(count: usize) -> Vec<CatalogEntry> {
        (0..count).map(entry).collect()
    }

    fn atom<'a>(node: Node<'a, 'a>, name: &str) -> Vec<Node<'a, 'a>> {
        node.children()
            .filter(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(ATOM))
            .collect()
    }

    fn text<'a>(node: Node<'a, 'a>, name: &str) -> &'a str {
        atom(node, name)
            .first()
            .and_then(|n| n.text())
            .unwrap_or_else(|| panic!("no {name} in {:?}", node.tag_name()))
    }

    /// A link's rel, type and href.
    fn links<'a>(node: Node<'a, 'a>) -> Vec<(&'a str, &'a str, &'a str)> {
        atom(node, "link")
            .iter()
            .map(|l| {
                (
                    l.attribute("rel").expect("every link has a rel"),
                    l.attribute("type").expect("every link has a type"),
                    l.attribute("href").expect("every link has an href"),
                )
            })
            .collect()
    }

    fn link<'a>(node: Node<'a, 'a>, rel: &str) -> Option<(&'a str, &'a str)> {
        links(node)
            .into_iter()
            .find(|(r, _, _)| *r == rel)
            .map(|(_, t, h)| (t, h))
    }

    /// Parses a feed and checks what Atom (RFC 4287) and OPDS 1.2 ask of every feed and entry;
    /// returns the document.
    fn check_feed<'a>(xml: &'a str, kind: &str) -> Document<'a> {
        let doc = Document::parse(xml).unwrap_or_else(|e| panic!("{e}\n{xml}"));
        let feed = doc.root_element();
        assert_eq!(feed.tag_name().name(), "feed");
        assert_eq!(feed.tag_name().namespace(), Some(ATOM));
        for required in ["id", "title", "updated"] {
            assert_eq!(atom(feed, required).len(), 1, "feed {required}");
        }
        assert!(text(feed, "id").starts_with("urn:uuid:"));
        assert!(!atom(feed, "author").is_empty(), "feed author");
        assert_eq!(link(feed, "self").unwrap().0, kind);
        assert_eq!(link(feed, "start"), Some((NAVIGATION_TYPE, ROOT)));
        assert_eq!(
            link(feed, "search"),
            Some((OPENSEARCH_TYPE, OPENSEARCH_PATH))
        );
        let mut ids = std::collections::HashSet::new();
        for entry in atom(feed, "entry") {
            for required in ["id", "title", "updated"] {
                assert_eq!(atom(entry, required).len(), 1, "entry {required}");
            }
            assert!(ids.insert(text(entry, "id")), "ids are unique");
            chrono::DateTime::parse_from_rfc3339(text(entry, "updated")).unwrap();
            assert!(!atom(entry, "content").is_empty() || link(entry, "alternate").is_some());
            for (rel, media_type, href) in links(entry) {
                assert!(href.starts_with('/'), "{href}");
                match rel {
                    "subsection" | REL_SORT_NEW => {
                        assert_eq!(kind, NAVIGATION_TYPE, "only navigation feeds lead on");
                        assert!(
                            media_type == NAVIGATION_TYPE || media_type == ACQUISITION_TYPE,
                            "{media_type}"
                        );
                    }
                    REL_ACQUISITION => assert!(
                        [
                            "application/epub+zip",
                            "application/kepub+zip",
                            "application/pdf"
                        ]
                        .contains(&media_type),
                        "{media_type}"
                    ),
                    REL_IMAGE | REL_THUMBNAIL => assert!(media_type.starts_with("image/")),
                    other => panic!("unexpected link rel {other}"),
                }
            }
        }
        doc
    }

    #[test]
    fn the_root_leads_to_the_four_feeds() {
        let all = entries(7);
        let xml = root_feed(&all, NOW);
        let doc = check_feed(&xml, NAVIGATION_TYPE);
        let feed = doc.root_element();
        assert!(link(feed, "up").is_none(), "the root has no parent");
        assert_eq!(text(feed, "updated"), all[0].added);
        let titles: Vec<_> = atom(feed, "entry")
            .iter()
            .map(|e| text(*e, "title"))
            .collect();
        assert_eq!(titles, ["Newest", "By date", "By site", "Books"]);
        let newest = atom(feed, "entry")[0];
        assert_eq!(
            link(newest, REL_SORT_NEW),
            Some((ACQUISITION_TYPE, "/opds/new"))
        );
        assert_eq!(text(newest, "content"), "7 entries");
        let books = atom(feed, "entry")[3];
        assert_eq!(text(books, "content"), "1 book");
    }

    #[test]
    fn an_empty_library_has_a_valid_catalog() {
        check_feed(&root_feed(&[], NOW), NAVIGATION_TYPE);
        check_feed(&months_feed(&[], NOW), NAVIGATION_TYPE);
        check_feed(&sites_feed(&[], NOW), NAVIGATION_TYPE);
        let address = FeedAddress::new("/opds/new");
        let xml = entries_feed("Newest", &address, (ROOT, NAVIGATION_TYPE), &[], 3, NOW);
        let doc = check_feed(&xml, ACQUISITION_TYPE);
        let feed = doc.root_element();
        assert_eq!(text(feed, "updated"), NOW);
        assert_eq!(link(feed, "self").unwrap().1, "/opds/new");
        assert_eq!(link(feed, "last").unwrap().1, "/opds/new");
        assert!(link(feed, "next").is_none());
        assert!(atom(feed, "entry").is_empty());
    }

    #[test]
    fn months_and_sites_are_newest_first_with_their_counts() {
        let all = entries(60);
        let xml = months_feed(&all, NOW);
        let doc = check_feed(&xml, NAVIGATION_TYPE);
        let feed = doc.root_element();
        assert_eq!(link(feed, "up"), Some((NAVIGATION_TYPE, ROOT)));
        let months: Vec<_> = atom(feed, "entry")
            .iter()
            .map(|e| {
                (
                    text(*e, "title"),
                    text(*e, "content"),
                    link(*e, "subsection").unwrap().1,
                )
            })
            .collect();
        assert_eq!(
            months,
            [
                ("December 2026", "28 entries", "/opds/dates/2026-12"),
                ("November 2026", "28 entries", "/opds/dates/2026-11"),
                ("October 2026", "4 entries", "/opds/dates/2026-10"),
            ]
        );

        let xml = sites_feed(&all, NOW);
        let doc = check_feed(&xml, NAVIGATION_TYPE);
        let sites: Vec<_> = atom(doc.root_element(), "entry")
            .iter()
            .map(|e| (text(*e, "title"), text(*e, "content")))
            .collect();
        assert_eq!(
            sites,
            [
                ("site0.example", "20 articles"),
                ("site1.example", "20 articles"),
                ("site2.example", "20 articles"),
            ]
        );
    }

    #[test]
    fn acquisition_pages_link_each_other_and_show_fifty_entries() {
        let all = entries(120);
        let address = FeedAddress::new("/opds/new");
        let page = |n| entries_feed("Newest", &address, (ROOT, NAVIGATION_TYPE), &all, n, NOW);

        let first = page(1);
        let doc = check_feed(&first, ACQUISITION_TYPE);
        let feed = doc.root_element();
        assert_eq!(atom(feed, "entry").len(), PAGE_SIZE);
        assert_eq!(link(feed, "self").unwrap().1, "/opds/new");
        assert_eq!(link(feed, "first").unwrap().1, "/opds/new");
        assert!(link(feed, "previous").is_none());
        assert_eq!(
            link(feed, "next").unwrap(),
            (ACQUISITION_TYPE, "/opds/new?page=2")
        );
        assert_eq!(link(feed, "last").unwrap().1, "/opds/new?page=3");
        assert_eq!(link(feed, "up"), Some((NAVIGATION_TYPE, ROOT)));

        let second = page(2);
        let doc = check_feed(&second, ACQUISITION_TYPE);
        let feed = doc.root_element();
        assert_eq!(link(feed, "self").unwrap().1, "/opds/new?page=2");
        assert_eq!(link(feed, "previous").unwrap().1, "/opds/new");
        assert_eq!(link(feed, "next").unwrap().1, "/opds/new?page=3");
        assert_eq!(text(atom(feed, "entry")[0], "title"), "Article 50");

        // Past the end: the last page, 20 entries, no next.
        let last = page(99);
        let doc = check_feed(&last, ACQUISITION_TYPE);
        let feed = doc.root_element();
        assert_eq!(atom(feed, "entry").len(), 20);
        assert_eq!(link(feed, "self").unwrap().1, "/opds/new?page=3");
        assert!(link(feed, "next").is_none());
        let total = feed
            .children()
            .find(|n| n.tag_name().name() == "totalResults")
            .and_then(|n| n.text());
        assert_eq!(total, Some("120"));
    }

    #[test]
    fn an_entry_has_its_downloads_cover_and_metadata() {
        let all = entries(1);
        let address = FeedAddress::new("/opds/new");
        let xml = entries_feed("Newest", &address, (ROOT, NAVIGATION_TYPE), &all, 1, NOW);
        let doc = check_feed(&xml, ACQUISITION_TYPE);
        let entry = atom(doc.root_element(), "entry")[0];
        let id = &all[0].id;
        assert_eq!(
            links(entry),
            [
                (
                    REL_ACQUISITION,
                    "application/epub+zip",
                    format!("/library/{id}/download/epub").as_str()
                ),
                (
                    REL_ACQUISITION,
                    "application/kepub+zip",
                    format!("/library/{id}/download/kepub").as_str()
                ),
                (
                    REL_ACQUISITION,
                    "application/pdf",
                    format!("/library/{id}/download/pdf").as_str()
                ),
                (
                    REL_IMAGE,
                    "image/png",
                    format!("/library/{id}/cover").as_str()
                ),
                (
                    REL_THUMBNAIL,
                    "image/png",
                    format!("/library/{id}/thumbnail").as_str()
                ),
            ]
        );
        let author = atom(entry, "author")[0];
        assert_eq!(text(author, "name"), "Author 0");
        let dc = |name: &str| {
            entry
                .children()
                .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(DC))
                .and_then(|c| c.text())
        };
        assert_eq!(dc("language"), Some("en"));
        assert_eq!(dc("issued"), Some("2026-12-28"));
        assert_eq!(text(entry, "summary"), "About 0");
        assert_eq!(
            text(entry, "content"),
            "Book \u{b7} site0.example \u{b7} 2026-12-28 \u{b7} 1,234 words"
        );
        // The same entry has the same id in every feed and on every run; others differ.
        assert_eq!(text(entry, "id"), stable_id(&format!("entry {id}")));
        assert_ne!(stable_id("entry a"), stable_id("entry b"));
    }

    #[test]
    fn text_and_paths_are_escaped() {
        let mut odd = entry(1);
        odd.id = "a b/..&c".to_string();
        odd.title = "Fish & <chips> \"quoted\" \u{1}control".to_string();
        odd.site = Some("caf\u{e9}.example/&x".to_string());
        let all = vec![odd];
        let address = FeedAddress {
            path: "/opds/search".to_string(),
            query: vec![("q".to_string(), "fish & chips?".to_string())],
        };
        let xml = entries_feed("Search", &address, (ROOT, NAVIGATION_TYPE), &all, 1, NOW);
        let doc = check_feed(&xml, ACQUISITION_TYPE);
        let feed = doc.root_element();
        assert_eq!(
            link(feed, "self").unwrap().1,
            "/opds/search?q=fish%20%26%20chips%3F"
        );
        let entry = atom(feed, "entry")[0];
        assert_eq!(text(entry, "title"), "Fish & <chips> \"quoted\" control");
        assert_eq!(
            link(entry, REL_ACQUISITION).unwrap().1,
            "/library/a%20b%2F..%26c/download/epub"
        );
        let sites = sites_feed(&all, NOW);
        let doc = check_feed(&sites, NAVIGATION_TYPE);
        let site = atom(doc.root_element(), "entry")[0];
        assert_eq!(text(site, "title"), "caf\u{e9}.example/&x");
        assert_eq!(
            link(site, "subsection").unwrap().1,
            "/opds/sites/caf%C3%A9.example%2F%26x"
        );
    }

    #[test]
    fn the_opensearch_description_names_the_search_feed() {
        let xml = opensearch_description("http://192.168.1.5:8080/");
        let doc = Document::parse(&xml).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "OpenSearchDescription");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://a9.com/-/spec/opensearch/1.1/")
        );
        let url = root
            .children()
            .find(|c| c.tag_name().name() == "Url")
            .unwrap();
        assert_eq!(url.attribute("type"), Some(ACQUISITION_TYPE));
        assert_eq!(
            url.attribute("template"),
            Some("http://192.168.1.5:8080/opds/search?q={searchTerms}")
        );
        assert!(root.children().any(|c| c.tag_name().name() == "ShortName"));
    }

    #[test]
    fn months_are_named_and_odd_ones_kept() {
        assert_eq!(month_title("2026-01"), "January 2026");
        assert_eq!(month_title("2026-13"), "2026-13");
        assert_eq!(month_title("unknown"), "unknown");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
