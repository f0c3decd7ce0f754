//! `quire feed` on real pages: an RSS feed and an Atom feed whose items carry only summaries
//! point at pages of the Readability corpus, served from 127.0.0.1. The paper has each page's
//! article (fetched and extracted), one part per feed, an article shared by both feeds once,
//! and EPUBCheck finds nothing wrong with it.

use crate::http::{read_request_head, RequestHead};
use crate::kepub::kepub_rules::{epubcheck_all, nav_parts, unzip};
use std::collections::HashMap;
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Serves `files` (path → content type and body) on 127.0.0.1; 404 for anything else.
fn serve(files: HashMap<String, (&'static str, Vec<u8>)>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let files = Arc::new(files);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let files = Arc::clone(&files);
            std::thread::spawn(move || answer(stream, &files));
        }
    });
    base
}

fn answer(stream: TcpStream, files: &HashMap<String, (&'static str, Vec<u8>)>) {
    let Some(RequestHead { path, .. }) = read_request_head(&stream) else {
        return;
    };
    let (status, content_type, body) = match files.get(&path) {
        Some((content_type, body)) => ("200 OK", *content_type, body.as_slice()),
        None => ("404 Not Found", "text/plain", b"not found".as_slice()),
    };
    let mut out = stream;
    let head = format!(
        "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(body);
}

/// A page of the corpus: its source, and a run of six plain words from the middle of its
/// expected article, which the paper must hold.
struct Page {
    source: Vec<u8>,
    title: String,
    words: String,
}

fn corpus_pages(count: usize) -> Vec<Page> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/readability");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("the Readability corpus")
        .map(|e| e.unwrap().path())
        .filter(|d| d.join("source.html").is_file())
        .collect();
    dirs.sort();
    let mut pages = Vec::new();
    for dir in dirs {
        let expected = std::fs::read(dir.join("expected.html")).unwrap();
        let text = quire::read(
            &expected,
            quire::InputFormat::Html,
            &quire::ReadOptions::default(),
        )
        .and_then(|read| {
            quire::write(
                &read.document,
                quire::OutputFormat::Text,
                &quire::WriteOptions::default(),
            )
        })
        .map(|written| String::from_utf8_lossy(&written.bytes).into_owned())
        .unwrap_or_default();
        // Six words of letters in a row from the longest line: no punctuation or entity
        // that the book's markup could spell differently.
        let longest = text.lines().max_by_key(|l| l.len()).unwrap_or("");
        let words: Vec<&str> = longest.split_whitespace().collect();
        let plain = |w: &&str| w.chars().all(char::is_alphabetic);
        let start = words.len() / 2;
        let run = (start..words.len().saturating_sub(6))
            .chain(0..start)
            .filter(|&i| i + 6 <= words.len())
            .find(|&i| words[i..i + 6].iter().all(plain));
        let Some(run) = run else {
            continue;
        };
        let metadata: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("expected-metadata.json")).unwrap())
                .unwrap();
        pages.push(Page {
            source: std::fs::read(dir.join("source.html")).unwrap(),
            title: metadata["title"].as_str().unwrap_or("").to_string(),
            words: words[run..run + 6].join(" "),
        });
        if pages.len() == count {
            break;
        }
    }
    assert_eq!(pages.len(), count, "enough corpus pages with prose");
    pages
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[test]
fn feeds_of_corpus_pages_make_one_clean_paper_of_their_articles() {
    let pages = corpus_pages(6);
    let mut files: HashMap<String, (&'static str, Vec<u8>)> = HashMap::new();
    for (n, page) in pages.iter().enumerate() {
        files.insert(format!("/a/{n}.html"), ("text/html", page.source.clone()));
    }
    // Summaries only: every article must come from its page.
    let item = |n: usize| {
        format!(
            "<item><title>{}</title><link>/a/{n}.html</link><guid>page-{n}</guid>\
             <description>A short summary of story {n}…</description></item>",
            escape(&pages[n].title)
        )
    };
    let rss = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Corpus news</title>\
         <link>/</link><description>Pages</description>{}</channel></rss>",
        (0..5).map(item).collect::<String>()
    );
    // The Atom feed shares page 4 with the RSS feed and adds page 5.
    let entry = |n: usize| {
        format!(
            "<entry><title>{}</title><link href=\"/a/{n}.html\"/><id>urn:corpus:{n}</id>\
             <updated>2026-12-01T08:00:00Z</updated><summary>Summary {n}…</summary></entry>",
            escape(&pages[n].title)
        )
    };
    let atom = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>Corpus weekly</title><id>urn:corpus</id><updated>2026-12-01T08:00:00Z</updated>{}{}</feed>",
        entry(4),
        entry(5)
    );
    files.insert("/rss.xml".into(), ("application/rss+xml", rss.into_bytes()));
    files.insert(
        "/atom.xml".into(),
        ("application/atom+xml", atom.into_bytes()),
    );
    let base = serve(files);

    let out = tempfile::tempdir().unwrap();
    let output = assert_cmd::Command::cargo_bin("quire")
        .unwrap()
        .args([
            "feed",
            &format!("{base}/rss.xml"),
            &format!("{base}/atom.xml"),
        ])
        .arg("-o")
        .arg(out.path())
        .args(["--allow-private", "--title", "Corpus"])
        .timeout(Duration::from_secs(300))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let books: Vec<PathBuf> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "epub"))
        .collect();
    assert_eq!(books.len(), 1, "{books:?}");
    let bytes = std::fs::read(&books[0]).unwrap();

    let parts = nav_parts(&bytes);
    let names: Vec<&str> = parts.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["Corpus news", "Corpus weekly"], "{parts:?}");
    assert_eq!(parts[0].1.len(), 5, "{parts:?}");
    assert_eq!(
        parts[1].1.len(),
        1,
        "the shared article appears once: {parts:?}"
    );

    // Each page's article is in the paper: its words, not the feed's summary.
    let files = unzip(&bytes).unwrap();
    let mut text = String::new();
    for (name, content) in &files {
        if name.ends_with(".xhtml") {
            let markup = String::from_utf8_lossy(content);
            let mut inside = false;
            for c in markup.chars() {
                match c {
                    '<' => inside = true,
                    '>' => {
                        inside = false;
                        text.push(' ');
                    }
                    _ if !inside => text.push(c),
                    _ => {}
                }
            }
        }
    }
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for (n, page) in pages.iter().enumerate() {
        assert!(
            text.contains(&page.words),
            "page {n} ({}): {:?} is not in the paper",
            page.title,
            page.words
        );
    }
    assert!(
        !text.contains("A short summary of story"),
        "a summary instead of the article"
    );

    if let Some(failures) = epubcheck_all(&books) {
        assert!(failures.is_empty(), "epubcheck: {failures:#?}");
    }
}
