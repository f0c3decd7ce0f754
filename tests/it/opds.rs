//! The OPDS catalog of `quire serve` over HTTP: every feed reached from `/opds` parses as
//! Atom and follows the OPDS 1.2 rules (namespaces, required elements, link relations and
//! their types), paging and search lead where they say, every kind of download and cover
//! answers what its link promised (the EPUB passes EPUBCheck), `/latest.epub` and
//! `/latest.kepub.epub` follow the newest issue `quire feed --library` wrote, and an OPDS
//! client library from npm reads the catalog and downloads a book.
//!
//! The libraries are filled the way the library's folder format (src/cli/library) lays them
//! out: an entry's `meta.json`, its model as `article.json` (made by `quire convert --to
//! json`) and its text; books through `quire feed --library`, the real path.

use crate::kepub::kepub_rules::{check_kepub, epubcheck_all, unzip};
use assert_cmd::cargo::cargo_bin;
use roxmltree::{Document, Node};
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const ATOM: &str = "http://www.w3.org/2005/Atom";
const DC: &str = "http://purl.org/dc/terms/";
const OPENSEARCH: &str = "http://a9.com/-/spec/opensearch/1.1/";
const NAVIGATION: &str = "application/atom+xml;profile=opds-catalog;kind=navigation";
const ACQUISITION: &str = "application/atom+xml;profile=opds-catalog;kind=acquisition";
const REL_ACQUISITION: &str = "http://opds-spec.org/acquisition";
const REL_IMAGE: &str = "http://opds-spec.org/image";
const REL_THUMBNAIL: &str = "http://opds-spec.org/image/thumbnail";
const REL_SORT_NEW: &str = "http://opds-spec.org/sort/new";

/// A running `quire serve` (started by the serve tests' launcher), with its `127.0.0.1:PORT`
/// for the raw HTTP requests below; stopped when dropped.
struct Server {
    _serve: crate::serve::Server,
    address: String,
}

impl Server {
    fn start(library: &Path) -> Server {
        let serve = crate::serve::Server::start(library, &[]);
        let address = serve.url("").trim_start_matches("http://").to_string();
        Server {
            _serve: serve,
            address,
        }
    }

    fn get(&self, path: &str) -> Answer {
        get(&self.address, path)
    }
}

/// An HTTP answer.
struct Answer {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", String::as_str)
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("a UTF-8 body")
    }
}

/// GET `path` from `address` (HTTP/1.1, one request a connection).
fn get(address: &str, path: &str) -> Answer {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("{path}: no end of the head"));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("{path}: no status in {head}"));
    let headers: BTreeMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let body = raw[split + 4..].to_vec();
    assert!(
        !headers.contains_key("transfer-encoding"),
        "{path}: the server sends whole bodies"
    );
    if let Some(length) = headers.get("content-length") {
        assert_eq!(length.parse::<usize>().ok(), Some(body.len()), "{path}");
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn quire() -> Command {
    Command::new(cargo_bin("quire"))
}

/// The model of an article, as `quire convert --to json` writes it.
pub(crate) fn article_model(dir: &Path) -> serde_json::Value {
    let markdown = dir.join("seed.md");
    std::fs::write(
        &markdown,
        "---\ntitle: Seed\nauthor: Ann Writer\nlang: en\n---\n\n\
         The first paragraph of the article, with enough words to read.\n\n\
         The second paragraph, where the argument ends.\n",
    )
    .unwrap();
    let json = dir.join("seed.json");
    let status = quire()
        .args(["convert", "--to", "json", "-o"])
        .arg(&json)
        .arg(&markdown)
        .status()
        .unwrap();
    assert!(status.success());
    serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap()
}

/// Adds article `n` to the library at `library`, from `site`, added at `added` (RFC 3339);
/// its text holds the word `word{n}end`, which search finds. Returns its id.
pub(crate) fn add_article(
    library: &Path,
    model: &serde_json::Value,
    n: usize,
    site: &str,
    added: &str,
) -> String {
    let id = format!("article-{n}-{:04x}", n * 7919 % 65536);
    let dir = library.join(&id);
    std::fs::create_dir_all(&dir).unwrap();
    let title = format!("Article {n} from {site}");
    let mut model = model.clone();
    model["meta"]["title"] = title.clone().into();
    model["meta"]["site_name"] = site.into();
    std::fs::write(
        dir.join("article.json"),
        serde_json::to_vec(&model).unwrap(),
    )
    .unwrap();
    std::fs::write(
        dir.join("text.txt"),
        format!("{title}\n\nThe article's text, word{n}end."),
    )
    .unwrap();
    let meta = serde_json::json!({
        "id": id,
        "kind": "article",
        "title": title,
        "site": site,
        "source_url": format!("https://{site}/{n}"),
        "authors": ["Ann Writer"],
        "language": "en",
        "published": added.get(..10),
        "added": added,
        "words": 20,
        "description": format!("What article {n} says."),
        "formats": ["epub", "kepub", "pdf", "markdown", "html"],
    });
    std::fs::write(dir.join("meta.json"), serde_json::to_vec(&meta).unwrap()).unwrap();
    id
}

/// A local feed file whose one item is issue `n`.
fn write_issue_feed(path: &Path, n: usize) {
    let paragraphs: String = (1..=3)
        .map(|p| {
            format!("&lt;p&gt;Issue {n}, paragraph {p}: the council met on Tuesday to discuss the harbour and the ferry timetable, and the residents asked their questions for two hours before the vote.&lt;/p&gt;")
        })
        .collect();
    std::fs::write(
        path,
        format!(
            r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title><link>https://local.example/</link><description>d</description>
<item><title>Issue {n}</title><guid isPermaLink="false">issue-{n}</guid><description>{paragraphs}</description></item>
</channel></rss>"#
        ),
    )
    .unwrap();
}

/// Runs `quire feed FEED --library LIBRARY`.
fn feed_into_library(feed: &Path, library: &Path) {
    let output = quire()
        .arg("feed")
        .arg(feed)
        .arg("--library")
        .arg(library)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("added to the library"), "{stderr}");
}

/// A library of 60 articles from three sites over two months, and one feed issue.
fn filled_library(dir: &Path) -> PathBuf {
    let library = dir.join("library");
    std::fs::create_dir_all(&library).unwrap();
    let model = article_model(dir);
    for n in 0..60 {
        let site = ["alpha.example", "beta.example", "gamma.example"][n % 3];
        // Years before the issue, which is added today.
        let (month, day) = if n < 30 { (11, 30 - n) } else { (10, 60 - n) };
        let added = format!("2020-{month:02}-{day:02}T08:00:00.000Z");
        add_article(&library, &model, n, site, &added);
    }
    let feed = dir.join("local.xml");
    write_issue_feed(&feed, 1);
    feed_into_library(&feed, &library);
    library
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
        .unwrap_or_else(|| panic!("no atom:{name}"))
}

/// Every link of a node: (rel, type, href).
fn links(node: Node) -> Vec<Link> {
    atom(node, "link")
        .iter()
        .map(|l| {
            let get = |name: &str| {
                l.attribute(name)
                    .unwrap_or_else(|| panic!("a link without {name}"))
                    .to_string()
            };
            (get("rel"), get("type"), get("href"))
        })
        .collect()
}

fn link(node: Node, rel: &str) -> Option<(String, String)> {
    links(node)
        .into_iter()
        .find(|(r, _, _)| r == rel)
        .map(|(_, t, h)| (t, h))
}

/// A link: rel, type, href.
type Link = (String, String, String);
/// An entry: id, title, links.
type FeedEntry = (String, String, Vec<Link>);

/// What one feed held.
struct Feed {
    kind: String,
    /// (rel, type, href) of the feed's own links.
    links: Vec<Link>,
    /// Per entry: id, title, links.
    entries: Vec<FeedEntry>,
}

/// Fetches a feed that a link of type `kind` leads to and checks it against Atom (RFC 4287)
/// and OPDS 1.2.
fn fetch_feed(server: &Server, href: &str, kind: &str) -> Feed {
    let answer = server.get(href);
    assert_eq!(answer.status, 200, "{href}: {}", answer.text());
    assert_eq!(answer.header("content-type"), kind, "{href}");
    let xml = answer.text();
    let doc = Document::parse(&xml).unwrap_or_else(|e| panic!("{href}: {e}\n{xml}"));
    let feed = doc.root_element();
    assert_eq!(
        (feed.tag_name().name(), feed.tag_name().namespace()),
        ("feed", Some(ATOM)),
        "{href}"
    );
    assert_eq!(feed.lookup_namespace_uri(Some("dc")), Some(DC));
    for required in ["id", "title", "updated"] {
        assert_eq!(atom(feed, required).len(), 1, "{href}: feed {required}");
    }
    assert!(text(feed, "id").starts_with("urn:uuid:"), "{href}");
    chrono::DateTime::parse_from_rfc3339(text(feed, "updated")).unwrap();
    let feed_links = links(feed);
    // self names this very feed, with its type; start is the root, a navigation feed.
    assert_eq!(
        link(feed, "self"),
        Some((kind.to_string(), href.to_string())),
        "{href}"
    );
    assert_eq!(
        link(feed, "start"),
        Some((NAVIGATION.to_string(), "/opds".to_string()))
    );
    assert_eq!(
        link(feed, "search").map(|(t, _)| t).as_deref(),
        Some("application/opensearchdescription+xml")
    );
    if href != "/opds" {
        assert!(link(feed, "up").is_some(), "{href}: no up link");
    }
    let has_authors = !atom(feed, "author").is_empty();
    let mut entries = Vec::new();
    for entry in atom(feed, "entry") {
        for required in ["id", "title", "updated"] {
            assert_eq!(atom(entry, required).len(), 1, "{href}: entry {required}");
        }
        chrono::DateTime::parse_from_rfc3339(text(entry, "updated")).unwrap();
        assert!(has_authors || !atom(entry, "author").is_empty());
        assert!(
            !atom(entry, "content").is_empty() || link(entry, "alternate").is_some(),
            "{href}: an entry needs content or an alternate link"
        );
        let entry_links = links(entry);
        for (rel, media_type, target) in &entry_links {
            match rel.as_str() {
                "subsection" | REL_SORT_NEW => {
                    assert_eq!(kind, NAVIGATION, "{href}: only navigation feeds lead on");
                    assert!(media_type == NAVIGATION || media_type == ACQUISITION);
                }
                REL_ACQUISITION => {
                    assert_eq!(kind, ACQUISITION, "{href}");
                    assert!(
                        [
                            "application/epub+zip",
                            "application/kepub+zip",
                            "application/pdf"
                        ]
                        .contains(&media_type.as_str()),
                        "{href}: {media_type}"
                    );
                }
                REL_IMAGE | REL_THUMBNAIL => {
                    assert!(
                        media_type == "image/png" || media_type == "image/jpeg",
                        "{media_type}"
                    )
                }
                other => panic!("{href}: unexpected link rel {other} to {target}"),
            }
        }
        if kind == ACQUISITION {
            assert!(
                entry_links.iter().any(|(rel, _, _)| rel == REL_ACQUISITION),
                "{href}: an acquisition feed's entry has a download"
            );
            let language = entry.children().find(|c| {
                c.tag_name().name() == "language" && c.tag_name().namespace() == Some(DC)
            });
            if text(entry, "title").starts_with("Article") {
                assert_eq!(language.and_then(|l| l.text()), Some("en"));
            }
        }
        entries.push((
            text(entry, "id").to_string(),
            text(entry, "title").to_string(),
            entry_links,
        ));
    }
    if kind == ACQUISITION {
        let total = feed
            .children()
            .find(|c| {
                c.tag_name().name() == "totalResults"
                    && c.tag_name().namespace() == Some(OPENSEARCH)
            })
            .and_then(|c| c.text())
            .expect("an acquisition feed says how many entries it has");
        assert!(total.parse::<usize>().unwrap() >= entries.len());
    }
    Feed {
        kind: kind.to_string(),
        links: feed_links,
        entries,
    }
}

/// Follows every link between feeds from the root; returns each feed by its href.
fn crawl(server: &Server) -> BTreeMap<String, Feed> {
    let mut feeds = BTreeMap::new();
    let mut queue = VecDeque::from([("/opds".to_string(), NAVIGATION.to_string())]);
    while let Some((href, kind)) = queue.pop_front() {
        if feeds.contains_key(&href) {
            continue;
        }
        let feed = fetch_feed(server, &href, &kind);
        let mut next: Vec<(String, String)> = Vec::new();
        for (rel, media_type, target) in &feed.links {
            if rel != "search" {
                next.push((target.clone(), media_type.clone()));
            }
        }
        for (_, _, entry_links) in &feed.entries {
            for (rel, media_type, target) in entry_links {
                if rel == "subsection" || rel == REL_SORT_NEW {
                    next.push((target.clone(), media_type.clone()));
                }
            }
        }
        for (target, media_type) in next {
            if let Some(known) = feeds.get(&target) {
                let known: &Feed = known;
                assert_eq!(known.kind, media_type, "{target}: two types");
            }
            queue.push_back((target, media_type));
        }
        feeds.insert(href, feed);
    }
    feeds
}

/// The entries of an acquisition feed on all its pages, following `next` from the first.
fn all_pages(server: &Server, first: &str) -> Vec<FeedEntry> {
    let mut entries = Vec::new();
    let mut href = Some(first.to_string());
    let mut pages = 0;
    while let Some(current) = href {
        let feed = fetch_feed(server, &current, ACQUISITION);
        pages += 1;
        assert!(pages < 100, "paging never ends");
        href = feed
            .links
            .iter()
            .find(|(rel, _, _)| rel == "next")
            .map(|(_, _, h)| h.clone());
        entries.extend(feed.entries);
    }
    entries
}

#[test]
fn every_feed_from_the_root_follows_atom_and_opds_rules_and_pages_and_downloads_work() {
    let dir = tempfile::tempdir().unwrap();
    let library = filled_library(dir.path());
    let server = Server::start(&library);

    let feeds = crawl(&server);
    // Root, Newest (2 pages), By date, 3 months, By site, 3 sites, Books.
    for href in [
        "/opds",
        "/opds/new",
        "/opds/new?page=2",
        "/opds/dates",
        "/opds/dates/2020-11",
        "/opds/dates/2020-10",
        "/opds/sites",
        "/opds/sites/alpha.example",
        "/opds/sites/gamma.example",
        "/opds/books",
    ] {
        assert!(
            feeds.contains_key(href),
            "{href} not reached: {:?}",
            feeds.keys()
        );
    }
    let root_titles: Vec<&str> = feeds["/opds"]
        .entries
        .iter()
        .map(|(_, title, _)| title.as_str())
        .collect();
    assert_eq!(root_titles, ["Newest", "By date", "By site", "Books"]);
    let months: Vec<&str> = feeds["/opds/dates"]
        .entries
        .iter()
        .map(|(_, title, _)| title.as_str())
        .collect();
    assert_eq!(months.len(), 3, "{months:?}");
    assert_eq!(&months[1..], ["November 2020", "October 2020"]);

    // Newest: 61 entries on two pages, each once, newest first (the issue was added last).
    let newest = all_pages(&server, "/opds/new");
    assert_eq!(newest.len(), 61);
    let ids: HashSet<&str> = newest.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids.len(), 61);
    assert!(
        newest[0].1.starts_with("Local \u{2014} "),
        "{}",
        newest[0].1
    );
    assert_eq!(newest[1].1, "Article 0 from alpha.example");
    assert_eq!(newest[60].1, "Article 59 from gamma.example");
    let second = &feeds["/opds/new?page=2"];
    let previous = second.links.iter().find(|(rel, _, _)| rel == "previous");
    assert_eq!(previous.map(|(_, _, h)| h.as_str()), Some("/opds/new"));
    // A site's feed holds its 20 articles, the same entries (same ids) as Newest.
    let alpha = all_pages(&server, "/opds/sites/alpha.example");
    assert_eq!(alpha.len(), 20);
    assert!(alpha.iter().all(|(id, _, _)| ids.contains(id.as_str())));
    assert!(alpha.iter().all(|(_, t, _)| t.ends_with("alpha.example")));
    let books = &feeds["/opds/books"];
    assert_eq!(books.entries.len(), 1);

    // Downloads: every link of an article and of the issue answers what it promised.
    let mut epubs = Vec::new();
    for (n, (_, title, entry_links)) in [&newest[0], &newest[1]].into_iter().enumerate() {
        for (rel, media_type, href) in entry_links {
            let answer = server.get(href);
            assert_eq!(
                answer.status,
                200,
                "{title}: {href}: {}",
                String::from_utf8_lossy(&answer.body)
            );
            // A client picks a download by the link's type: the file comes with that type.
            if rel == REL_ACQUISITION {
                assert_eq!(answer.header("content-type"), media_type, "{title}: {href}");
            }
            match (rel.as_str(), media_type.as_str()) {
                (REL_ACQUISITION, "application/epub+zip") => {
                    assert_eq!(answer.header("content-type"), "application/epub+zip");
                    assert!(answer.header("content-disposition").ends_with(".epub\""));
                    let path = dir.path().join(format!("download-{n}.epub"));
                    std::fs::write(&path, &answer.body).unwrap();
                    epubs.push(path);
                }
                (REL_ACQUISITION, "application/kepub+zip") => {
                    assert!(answer
                        .header("content-disposition")
                        .ends_with(".kepub.epub\""));
                    let facts = check_kepub(&answer.body).unwrap_or_else(|e| panic!("{href}: {e}"));
                    assert!(facts.spans > 0);
                }
                (REL_ACQUISITION, "application/pdf") => {
                    assert_eq!(answer.header("content-type"), "application/pdf");
                    assert!(answer.body.starts_with(b"%PDF-"), "{href}");
                }
                (REL_IMAGE | REL_THUMBNAIL, _) => {
                    assert_eq!(answer.header("content-type"), media_type, "{href}");
                    let image = image::load_from_memory(&answer.body).unwrap();
                    if rel == REL_THUMBNAIL {
                        assert!(image.width() <= 200 && image.height() <= 200, "{href}");
                    } else {
                        assert!(image.height() > 200, "{href}: the cover itself");
                    }
                }
                other => panic!("unexpected link {other:?}"),
            }
        }
    }
    assert_eq!(epubs.len(), 2);
    if let Some(failures) = epubcheck_all(&epubs) {
        assert!(failures.is_empty(), "epubcheck: {failures:#?}");
    }
}

#[test]
fn search_goes_through_the_opensearch_description() {
    let dir = tempfile::tempdir().unwrap();
    let library = filled_library(dir.path());
    let server = Server::start(&library);

    let description = server.get("/opds/opensearch.xml");
    assert_eq!(description.status, 200);
    assert_eq!(
        description.header("content-type"),
        "application/opensearchdescription+xml"
    );
    let xml = description.text();
    let doc = Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().namespace(), Some(OPENSEARCH));
    let url = root
        .children()
        .find(|c| c.tag_name().name() == "Url")
        .expect("a Url");
    assert_eq!(url.attribute("type"), Some(ACQUISITION));
    let template = url.attribute("template").unwrap();
    let prefix = format!("http://{}", server.address);
    assert!(template.starts_with(&prefix), "{template}");
    let search = |terms: &str| template[prefix.len()..].replace("{searchTerms}", terms);

    let found = all_pages(&server, &search("word7end"));
    let titles: Vec<&str> = found.iter().map(|(_, t, _)| t.as_str()).collect();
    assert_eq!(titles, ["Article 7 from beta.example"]);
    // Every word must be found; the terms are percent-encoded in the feed's own links.
    let both = all_pages(&server, &search("gamma%20article"));
    assert_eq!(both.len(), 20);
    assert!(all_pages(&server, &search("nowhere%20word7end")).is_empty());
    // A search finding many pages of entries pages like any feed.
    let many = all_pages(&server, &search("article"));
    assert_eq!(many.len(), 60);
    let feed = fetch_feed(&server, &search("article"), ACQUISITION);
    let next = feed.links.iter().find(|(rel, _, _)| rel == "next").unwrap();
    assert_eq!(next.2, "/opds/search?q=article&page=2");
}

/// The dc:title of an EPUB's package document.
fn epub_title(bytes: &[u8]) -> String {
    let files = unzip(bytes).unwrap();
    let opf = String::from_utf8(files["OEBPS/content.opf"].clone()).unwrap();
    let doc = Document::parse(&opf).unwrap();
    doc.descendants()
        .find(|n| n.tag_name().name() == "title")
        .and_then(|n| n.text())
        .unwrap()
        .to_string()
}

#[test]
fn latest_follows_the_newest_issue_quire_feed_adds() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library");
    let server = Server::start(&library);

    // Empty: a clear 404.
    for path in ["/latest.epub", "/latest.kepub.epub"] {
        let answer = server.get(path);
        assert_eq!(answer.status, 404);
        assert!(
            answer.text().contains("library is empty"),
            "{}",
            answer.text()
        );
        assert!(answer.text().contains("quire feed"), "{}", answer.text());
    }

    // An article alone: it is the newest.
    let model = article_model(dir.path());
    add_article(
        &library,
        &model,
        1,
        "alpha.example",
        "2026-12-01T08:00:00.000Z",
    );
    let latest = server.get("/latest.epub");
    assert_eq!(
        latest.status,
        200,
        "{}",
        String::from_utf8_lossy(&latest.body)
    );
    assert_eq!(epub_title(&latest.body), "Article 1 from alpha.example");

    // An issue written by quire feed while the server runs: now the issue.
    let feed = dir.path().join("local.xml");
    write_issue_feed(&feed, 1);
    feed_into_library(&feed, &library);
    let epub = server.get("/latest.epub");
    assert_eq!(epub.status, 200);
    assert_eq!(epub.header("content-type"), "application/epub+zip");
    assert_eq!(epub.header("cache-control"), "no-cache");
    let first_issue = epub_title(&epub.body);
    assert!(first_issue.starts_with("Local \u{2014} "), "{first_issue}");
    let kepub = server.get("/latest.kepub.epub");
    assert_eq!(kepub.status, 200);
    assert_eq!(kepub.header("content-type"), "application/kepub+zip");
    assert!(kepub
        .header("content-disposition")
        .ends_with(".kepub.epub\""));
    check_kepub(&kepub.body).unwrap();
    let path = dir.path().join("latest.epub");
    std::fs::write(&path, &epub.body).unwrap();
    if let Some(failures) = epubcheck_all(&[path]) {
        assert!(failures.is_empty(), "epubcheck: {failures:#?}");
    }

    // A newer article does not replace the issue; the next issue does.
    add_article(
        &library,
        &model,
        2,
        "beta.example",
        "2099-01-01T08:00:00.000Z",
    );
    let disposition = server
        .get("/latest.epub")
        .header("content-disposition")
        .to_string();
    let first_id = epub.header("content-disposition").to_string();
    assert_eq!(disposition, first_id);
    write_issue_feed(&feed, 2);
    feed_into_library(&feed, &library);
    let newer = server.get("/latest.epub");
    assert_ne!(newer.header("content-disposition"), first_id);
    let files = unzip(&newer.body).unwrap();
    assert!(files
        .values()
        .any(|bytes| String::from_utf8_lossy(bytes).contains("Issue 2")));
}

#[test]
fn bad_catalog_requests_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library");
    std::fs::create_dir_all(&library).unwrap();
    let model = article_model(dir.path());
    let id = add_article(
        &library,
        &model,
        1,
        "alpha.example",
        "2026-12-01T08:00:00.000Z",
    );
    let server = Server::start(&library);
    let cases: [(&str, u16, &str); 8] = [
        ("/opds/new?page=abc", 400, "page must be a number"),
        (
            "/opds/dates/1999-01",
            404,
            "no entry was added in '1999-01'",
        ),
        ("/opds/sites/nowhere.example", 404, "nowhere.example"),
        ("/library/no-such-entry/cover", 404, ""),
        ("/library/no-such-entry/thumbnail", 404, "no cover"),
        ("/library/..%2Fconfig.toml/thumbnail", 404, "no cover"),
        ("/library/%2E%2E/thumbnail", 404, "no cover"),
        ("/library/no-such-entry/download/epub", 404, ""),
    ];
    for (path, status, message) in cases {
        let answer = server.get(path);
        assert_eq!(
            answer.status,
            status,
            "{path}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        assert!(
            String::from_utf8_lossy(&answer.body).contains(message),
            "{path}: {}",
            String::from_utf8_lossy(&answer.body)
        );
    }
    // Past the last page: the last page.
    let feed = fetch_feed(&server, "/opds/new", ACQUISITION);
    assert_eq!(feed.entries.len(), 1);
    let beyond = server.get("/opds/new?page=9");
    assert_eq!(beyond.status, 200);
    assert!(beyond
        .text()
        .contains(&format!("/library/{id}/download/epub")));
}

/// The npm package the client test drives, and where CI installs it.
const CLIENT_PACKAGE: &str = "opds-feed-parser";
const CLIENT_MODULES: &str = "/opt/quire-tools/opds-client/node_modules";

#[test]
fn an_opds_client_library_reads_the_catalog_and_downloads_a_book() {
    let modules = std::env::var_os("QUIRE_OPDS_CLIENT_MODULES")
        .map_or_else(|| PathBuf::from(CLIENT_MODULES), PathBuf::from);
    let node_found = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_found || !modules.join(CLIENT_PACKAGE).is_dir() {
        let what = format!(
            "node and the npm package {CLIENT_PACKAGE} (in {})",
            modules.display()
        );
        assert!(
            std::env::var_os("CI").is_none(),
            "{what} are required under CI but are not installed (set QUIRE_OPDS_CLIENT_MODULES)"
        );
        eprintln!("\n!!! SKIPPED: {what} not installed !!!\n");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let library = filled_library(dir.path());
    let server = Server::start(&library);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/opds_client.js");
    let output = Command::new("node")
        .arg(&script)
        .arg(format!("http://{}/opds", server.address))
        .arg(dir.path())
        .env("NODE_PATH", &modules)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    // The parser took the root and By site for navigation feeds, a site for an acquisition
    // feed, and found its entries, their downloads and covers.
    assert_eq!(report["root"], "NavigationFeed");
    assert_eq!(report["sites"], "NavigationFeed");
    assert_eq!(report["site"], "AcquisitionFeed");
    assert_eq!(report["site_entries"], 20);
    assert_eq!(report["language"], "en");
    assert_eq!(report["search"], "application/opensearchdescription+xml");
    let book = PathBuf::from(report["book"].as_str().unwrap());
    let bytes = std::fs::read(&book).unwrap();
    assert_eq!(
        epub_title(&bytes),
        report["title"].as_str().unwrap(),
        "the book downloaded is the entry's"
    );
    if let Some(failures) = epubcheck_all(&[book]) {
        assert!(failures.is_empty(), "epubcheck: {failures:#?}");
    }
}

#[test]
fn quire_feed_writes_the_issue_into_the_library_as_well_as_to_o_and_needs_one_of_them() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("local.xml");
    write_issue_feed(&feed, 1);
    let library = dir.path().join("library");
    let papers = dir.path().join("papers");

    let neither = quire().arg("feed").arg(&feed).output().unwrap();
    assert_eq!(neither.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&neither.stderr);
    assert!(stderr.contains("--output"), "{stderr}");

    let both = quire()
        .arg("feed")
        .arg(&feed)
        .arg("--library")
        .arg(&library)
        .arg("-o")
        .arg(format!("{}/", papers.display()))
        .args(["--to", "pdf"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&both.stderr);
    assert!(both.status.success(), "{stderr}");
    let written: Vec<_> = std::fs::read_dir(&papers)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| !name.starts_with('.'))
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert!(written[0].ends_with(".pdf"), "{written:?}");
    // The library has the issue as a book in EPUB, KEPUB and the PDF asked for.
    let entries: Vec<PathBuf> = std::fs::read_dir(&library)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("meta.json").is_file())
        .collect();
    assert_eq!(entries.len(), 1);
    let meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(entries[0].join("meta.json")).unwrap()).unwrap();
    assert_eq!(meta["kind"], "book");
    assert_eq!(meta["language"], "en", "the articles' language");
    assert_eq!(meta["formats"], serde_json::json!(["epub", "kepub", "pdf"]));
    for file in ["book.epub", "book.kepub.epub", "book.pdf"] {
        assert!(entries[0].join(file).is_file(), "{file}");
    }
    // The state is beside the -o books: the same items are not delivered twice.
    let again = quire()
        .arg("feed")
        .arg(&feed)
        .arg("--library")
        .arg(&library)
        .arg("-o")
        .arg(format!("{}/", papers.display()))
        .output()
        .unwrap();
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("nothing new"));
}
