//! The KEPUB checks both test targets share (`tests/it/kepub.rs` on the samples,
//! `tests/shared/kepub.rs` on corpus pages): Kobo's span rules in every content document of
//! the spine, the zip's byte layout, and EPUBCheck run over many books at once.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Elements whose content is not running text: no span may be inside them, and their text
/// needs none.
const UNSPANNED: &[&str] = &["pre", "svg", "math", "script", "style"];

/// What a checked book holds.
#[derive(Debug, Default)]
pub struct KepubFacts {
    /// The content documents checked (the spine's XHTML).
    pub documents: usize,
    /// `koboSpan`s in them.
    pub spans: usize,
    /// Images in them (each in a span of its own).
    pub images: usize,
}

/// Checks a KEPUB's bytes: the zip layout, then every content document of the spine.
/// Returns what it found, or every broken rule, one a line, with the file it is in.
pub fn check_kepub(bytes: &[u8]) -> Result<KepubFacts, String> {
    check_zip_layout(bytes)?;
    let files = unzip(bytes)?;
    let opf_path = "OEBPS/content.opf";
    let opf = files
        .get(opf_path)
        .ok_or_else(|| format!("no {opf_path} in the book"))?;
    let mut facts = KepubFacts::default();
    let mut problems = Vec::new();
    for href in spine(opf)? {
        let name = format!("OEBPS/{href}");
        let Some(bytes) = files.get(&name) else {
            problems.push(format!("{name}: in the spine but not in the zip"));
            continue;
        };
        let text = std::str::from_utf8(bytes).map_err(|e| format!("{name}: not UTF-8: {e}"))?;
        facts.documents += 1;
        match check_document(text, &mut facts) {
            Ok(()) => {}
            Err(found) => problems.extend(found.into_iter().map(|p| format!("{name}: {p}"))),
        }
    }
    if facts.documents == 0 {
        problems.push("the spine lists no content document".to_string());
    }
    if problems.is_empty() {
        Ok(facts)
    } else {
        Err(problems.join("\n"))
    }
}

/// The zip as Kobo wants it, byte by byte: the first local header is `mimetype`, stored
/// (method 0), holding `application/epub+zip`; the end of the central directory is the last
/// 22 bytes, with a comment length of 0.
pub fn check_zip_layout(bytes: &[u8]) -> Result<(), String> {
    let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    if bytes.len() < 30 + 8 + 20 + 22 || !bytes.starts_with(b"PK\x03\x04") {
        return Err("not a zip that starts with a local file header".into());
    }
    let method = u16_at(8);
    let name_len = usize::from(u16_at(26));
    let extra_len = usize::from(u16_at(28));
    let name = &bytes[30..30 + name_len];
    if name != b"mimetype" {
        return Err(format!(
            "the first entry is {:?}, not mimetype",
            String::from_utf8_lossy(name)
        ));
    }
    if method != 0 {
        return Err(format!(
            "mimetype is kept with method {method}, not stored (0)"
        ));
    }
    let data = 30 + name_len + extra_len;
    let content = b"application/epub+zip";
    if bytes.get(data..data + content.len()) != Some(&content[..]) {
        return Err("mimetype does not hold application/epub+zip".into());
    }
    let end = bytes.len() - 22;
    if &bytes[end..end + 4] != b"PK\x05\x06" {
        return Err(
            "the end of the central directory is not the last 22 bytes (a comment?)".into(),
        );
    }
    let comment_len = u16_at(end + 20);
    if comment_len != 0 {
        return Err(format!("the zip has a comment of {comment_len} bytes"));
    }
    Ok(())
}

/// Every file of the zip by name.
pub fn unzip(bytes: &[u8]) -> Result<HashMap<String, Vec<u8>>, String> {
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("zip: {e}"))?;
    let mut files = HashMap::new();
    for i in 0..archive.len() {
        let mut file = archive
            .by_index(i)
            .map_err(|e| format!("zip entry {i}: {e}"))?;
        let mut content = Vec::new();
        file.read_to_end(&mut content)
            .map_err(|e| format!("zip entry {}: {e}", file.name()))?;
        files.insert(file.name().to_string(), content);
    }
    Ok(files)
}

fn parse(text: &str) -> Result<roxmltree::Document<'_>, String> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| format!("XML: {e}"))
}

/// The hrefs of the spine's XHTML documents, in reading order.
fn spine(opf: &[u8]) -> Result<Vec<String>, String> {
    let text = std::str::from_utf8(opf).map_err(|e| format!("content.opf: {e}"))?;
    let doc = parse(text).map_err(|e| format!("content.opf: {e}"))?;
    let items: HashMap<&str, (&str, &str)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("item"))
        .filter_map(|n| {
            Some((
                n.attribute("id")?,
                (n.attribute("href")?, n.attribute("media-type")?),
            ))
        })
        .collect();
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name("itemref"))
        .filter_map(|n| items.get(n.attribute("idref")?))
        .filter(|(_, media)| *media == "application/xhtml+xml")
        .map(|(href, _)| href.to_string())
        .collect())
}

fn is_kobo_span(node: roxmltree::Node) -> bool {
    node.has_tag_name("span")
        && node
            .attribute("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == "koboSpan"))
}

/// `kobo.P.S` as (P, S).
fn kobo_numbers(id: &str) -> Option<(u64, u64)> {
    let rest = id.strip_prefix("kobo.")?;
    let (p, s) = rest.split_once('.')?;
    Some((p.parse().ok()?, s.parse().ok()?))
}

/// The span rules in one content document.
fn check_document(text: &str, facts: &mut KepubFacts) -> Result<(), Vec<String>> {
    let doc = parse(text).map_err(|e| vec![e])?;
    let mut problems = Vec::new();
    let Some(body) = doc.descendants().find(|n| n.has_tag_name("body")) else {
        return Err(vec!["no body".into()]);
    };
    // body > div#book-columns > div#book-inner, and nothing else in the body.
    let children: Vec<_> = body.children().filter(|n| n.is_element()).collect();
    let body_text = body
        .children()
        .filter(|n| n.is_text())
        .any(|n| !n.text().unwrap_or_default().trim().is_empty());
    match children.as_slice() {
        [columns]
            if columns.has_tag_name("div") && columns.attribute("id") == Some("book-columns") =>
        {
            let inner: Vec<_> = columns.children().filter(|n| n.is_element()).collect();
            if !matches!(inner.as_slice(), [inner] if inner.has_tag_name("div") && inner.attribute("id") == Some("book-inner"))
            {
                problems.push("div#book-columns does not hold div#book-inner alone".into());
            }
        }
        _ => problems.push("the body is not div#book-columns alone".into()),
    }
    if body_text {
        problems.push("text in the body outside div#book-columns".into());
    }

    // Every id in the page once, the spans' and the model's together.
    let mut all_ids = HashSet::new();
    for id in doc.descendants().filter_map(|n| n.attribute("id")) {
        if !all_ids.insert(id) {
            problems.push(format!("the id {id} on two elements"));
        }
    }
    let mut ids = HashSet::new();
    let mut last: Option<(u64, u64)> = None;
    for node in body.descendants() {
        let unspanned_ancestor = node
            .ancestors()
            .skip(1)
            .find(|a| UNSPANNED.iter().any(|name| a.has_tag_name(*name)));
        if is_kobo_span(node) {
            facts.spans += 1;
            if let Some(a) = unspanned_ancestor {
                problems.push(format!("a koboSpan inside <{}>", a.tag_name().name()));
            }
            let id = node.attribute("id").unwrap_or_default();
            match kobo_numbers(id) {
                None => problems.push(format!("a koboSpan with the id {id:?}, not kobo.P.S")),
                Some(numbers) => {
                    if !ids.insert(id.to_string()) {
                        problems.push(format!("the id {id} twice"));
                    }
                    if last.is_some_and(|last| numbers <= last) {
                        problems.push(format!(
                            "{id} after kobo.{}.{}",
                            last.unwrap().0,
                            last.unwrap().1
                        ));
                    }
                    last = Some(numbers);
                }
            }
            if node.ancestors().skip(1).any(is_kobo_span) {
                problems.push(format!("the koboSpan {id} inside another"));
            }
        }
        if node.has_tag_name("img") {
            facts.images += 1;
            let own_span = node.parent().is_some_and(|p| {
                is_kobo_span(p)
                    && p.children().all(|c| {
                        c == node || c.is_text() && c.text().unwrap_or_default().trim().is_empty()
                    })
            });
            if !own_span {
                problems.push(format!(
                    "the image {:?} is not alone in a koboSpan",
                    node.attribute("src").unwrap_or_default()
                ));
            }
        }
        if node.is_text() && unspanned_ancestor.is_none() {
            let text = node.text().unwrap_or_default();
            if text.trim().is_empty() {
                continue;
            }
            let spans = node.ancestors().filter(|a| is_kobo_span(*a)).count();
            if spans != 1 {
                let short: String = text.trim().chars().take(60).collect();
                problems.push(format!(
                    "the text {short:?} is in {spans} koboSpans, not one"
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

const EPUBCHECK_JAR: &str = "/usr/share/java/epubcheck.jar";

/// Runs EPUBCheck on every book and returns each book's report where it found anything (an
/// error, a warning or a fatal error); an empty list means all are clean. The books go through
/// `tests/tools/EpubCheckBatch.java`, two Java processes for the two halves: a process a book
/// pays Java's start and EPUBCheck's schema loading each time, most of its time. `None` when
/// EPUBCheck or the JDK that launches the program is not installed, which fails under CI (`CI`
/// set) and is a loud skip elsewhere.
pub fn epubcheck_all(books: &[PathBuf]) -> Option<Vec<(PathBuf, String)>> {
    let installed = Path::new(EPUBCHECK_JAR).exists()
        && Command::new("javac")
            .arg("-version")
            .output()
            .is_ok_and(|o| o.status.success());
    if !installed {
        assert!(
            std::env::var_os("CI").is_none(),
            "epubcheck ({EPUBCHECK_JAR}) and a JDK (javac) are required under CI but are not installed"
        );
        eprintln!("!!!!! SKIPPED: epubcheck or the JDK is not installed; the books were not validated !!!!!");
        return None;
    }
    let (first, second) = books.split_at(books.len() / 2);
    let failures = std::thread::scope(|scope| {
        let other = scope.spawn(|| epubcheck_batch(second));
        let mut failures = epubcheck_batch(first);
        failures.extend(other.join().expect("the epubcheck thread"));
        failures
    });
    Some(failures)
}

/// One Java process over `books`: the reports of those that are not clean.
fn epubcheck_batch(books: &[PathBuf]) -> Vec<(PathBuf, String)> {
    if books.is_empty() {
        return Vec::new();
    }
    let program = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tools/EpubCheckBatch.java");
    let output = Command::new("java")
        .args(["-cp", EPUBCHECK_JAR])
        .arg(&program)
        .args(books)
        .output()
        .expect("java runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "EpubCheckBatch failed ({}):\n{stdout}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    // Each book's messages, then "== RESULT <errors> <warnings> <fatal> <path>".
    let mut failures = Vec::new();
    let mut seen = 0;
    let mut messages = String::new();
    for line in stdout.lines() {
        if line.starts_with("== BOOK ") {
            messages.clear();
        } else if let Some(result) = line.strip_prefix("== RESULT ") {
            let mut fields = result.splitn(4, ' ');
            let counts: Vec<u32> = (0..3)
                .map(|_| fields.next().and_then(|n| n.parse().ok()).expect("a count"))
                .collect();
            let path = PathBuf::from(fields.next().expect("the book's path"));
            assert_eq!(
                path, books[seen],
                "EpubCheckBatch reports the books in order"
            );
            seen += 1;
            if counts != [0, 0, 0] {
                failures.push((
                    path,
                    format!(
                        "{messages}errors {}, warnings {}, fatal {}",
                        counts[0], counts[1], counts[2]
                    ),
                ));
            }
        } else {
            messages.push_str(line);
            messages.push('\n');
        }
    }
    assert_eq!(seen, books.len(), "a result for every book:\n{stdout}");
    failures
}

/// An EPUB's table of contents by parts, as (part, [its entries]): the top entries of the
/// nav's toc that have entries nested under them.
pub fn nav_parts(book: &[u8]) -> Vec<(String, Vec<String>)> {
    let files = unzip(book).unwrap();
    let nav = String::from_utf8(files["OEBPS/nav.xhtml"].clone()).unwrap();
    let doc = roxmltree::Document::parse_with_options(
        &nav,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        },
    )
    .unwrap();
    let toc = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("nav")
                && n.attribute(("http://www.idpf.org/2007/ops", "type")) == Some("toc")
        })
        .expect("a toc nav");
    let top = toc.children().find(|n| n.has_tag_name("ol")).unwrap();
    let text = |n: roxmltree::Node| -> String {
        n.children()
            .find(|c| c.has_tag_name("a"))
            .map(|a| {
                a.descendants()
                    .filter(|t| t.is_text())
                    .filter_map(|t| t.text())
                    .collect::<String>()
            })
            .unwrap_or_default()
    };
    top.children()
        .filter(|n| n.has_tag_name("li"))
        .filter_map(|li| {
            let nested = li.children().find(|c| c.has_tag_name("ol"))?;
            Some((
                text(li),
                nested
                    .children()
                    .filter(|c| c.has_tag_name("li"))
                    .map(text)
                    .collect(),
            ))
        })
        .collect()
}
