//! The lists of feeds a user keeps: OPML files (as feed readers export them, outlines nested
//! in folders) and plain list files (one feed URL or path a line, `#` comments).

use crate::error::{Error, Result};

/// What a source file holds, told from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// An OPML document: a list of feeds.
    Opml,
    /// A feed itself (XML or JSON).
    Feed,
    /// A plain list of feed URLs or paths.
    List,
}

/// Tells an OPML file, a feed and a plain list apart by their start: a list never starts
/// with `<` or `{`.
pub fn kind_of(bytes: &[u8]) -> SourceKind {
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let trimmed = start.trim_ascii_start();
    match trimmed.first() {
        Some(b'<') => {
            let head = &trimmed[..trimmed.len().min(2048)];
            let head = String::from_utf8_lossy(head).to_ascii_lowercase();
            if head.contains("<opml") {
                SourceKind::Opml
            } else {
                SourceKind::Feed
            }
        }
        Some(b'{') => SourceKind::Feed,
        _ => SourceKind::List,
    }
}

/// A feed an OPML file or a list names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// The feed's URL, or a path as written.
    pub address: String,
    /// The name the list gives it (OPML `title`/`text`), if any.
    pub title: Option<String>,
}

/// The feeds of an OPML file, in document order, from outlines at any depth (folders are
/// outlines holding outlines); an outline without `xmlUrl` is a folder, not a feed.
pub fn parse_opml(text: &str) -> Result<Vec<Listed>> {
    let document = roxmltree::Document::parse(text).map_err(|e| Error::Parse {
        format: "OPML",
        message: e.to_string(),
    })?;
    if !document.root_element().has_tag_name("opml") {
        return Err(Error::Parse {
            format: "OPML",
            message: format!(
                "the root element is <{}>, not <opml>",
                document.root_element().tag_name().name()
            ),
        });
    }
    // `descendants` walks the tree without recursion, in document order.
    Ok(document
        .descendants()
        .filter(|n| n.has_tag_name("outline"))
        .filter_map(|outline| {
            let address = outline
                .attribute("xmlUrl")
                .or_else(|| outline.attribute("xmlurl"))?
                .trim();
            (!address.is_empty()).then(|| Listed {
                address: address.to_string(),
                title: outline
                    .attribute("title")
                    .or_else(|| outline.attribute("text"))
                    .map(|t| t.trim().to_string())
                    .filter(|t| !t.is_empty()),
            })
        })
        .collect())
}

/// The feeds of a plain list: one URL or path a line; blank lines and lines starting with
/// `#` are skipped, as is anything after ` #` on a line.
pub fn parse_list(text: &str) -> Vec<Listed> {
    parse_numbered_list(text)
        .into_iter()
        .map(|(_, listed)| listed)
        .collect()
}

/// [`parse_list`], each feed with the number of its line (from 1), for messages about it.
pub fn parse_numbered_list(text: &str) -> Vec<(usize, Listed)> {
    text.lines()
        .enumerate()
        .map(|(index, line)| match line.find(" #") {
            Some(at) => (index + 1, &line[..at]),
            None => (index + 1, line),
        })
        .map(|(number, line)| (number, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(number, line)| {
            (
                number,
                Listed {
                    address: line.to_string(),
                    title: None,
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opml_outlines_nest_and_folders_are_not_feeds() {
        let opml = r#"<?xml version="1.0"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="Tech">
    <outline text="A &amp; B" type="rss" xmlUrl="https://a.example/feed.xml"/>
    <outline text="Deeper"><outline title="C" xmlUrl=" https://c.example/atom "/></outline>
  </outline>
  <outline text="No feed here" htmlUrl="https://d.example/"/>
  <outline text="Top" xmlUrl="https://e.example/feed.json"/>
</body></opml>"#;
        assert_eq!(kind_of(opml.as_bytes()), SourceKind::Opml);
        let feeds = parse_opml(opml).unwrap();
        let addresses: Vec<&str> = feeds.iter().map(|f| f.address.as_str()).collect();
        assert_eq!(
            addresses,
            [
                "https://a.example/feed.xml",
                "https://c.example/atom",
                "https://e.example/feed.json"
            ]
        );
        assert_eq!(feeds[0].title.as_deref(), Some("A & B"));
    }

    #[test]
    fn broken_opml_is_an_error_naming_the_format() {
        let e = parse_opml("<opml><body><outline></body>").unwrap_err();
        assert!(e.to_string().starts_with("not valid OPML"), "{e}");
        let e = parse_opml("<rss/>").unwrap_err();
        assert!(e.to_string().contains("<rss>"), "{e}");
    }

    #[test]
    fn lists_skip_comments_and_blanks() {
        let list = "# my feeds\n\nhttps://a.example/rss  # news\n  feeds/local.xml\n#https://off.example/\n";
        assert_eq!(kind_of(list.as_bytes()), SourceKind::List);
        let feeds: Vec<String> = parse_list(list).into_iter().map(|f| f.address).collect();
        assert_eq!(feeds, ["https://a.example/rss", "feeds/local.xml"]);
        assert_eq!(
            kind_of(b"\xEF\xBB\xBF  <rss version=\"2.0\">"),
            SourceKind::Feed
        );
        assert_eq!(
            kind_of(b"{\"version\": \"https://jsonfeed.org/version/1.1\"}"),
            SourceKind::Feed
        );
    }
}
