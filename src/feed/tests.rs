use super::*;

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>News &amp; Views</title><link>https://news.example/</link>
<item>
  <title>Caf&#233; &amp; bar</title>
  <link>/2026/cafe?utm_source=rss#top</link>
  <guid isPermaLink="false">cafe-1</guid>
  <description><![CDATA[<p>A short <b>teaser</b>…</p>]]></description>
  <enclosure url="/img/cafe.jpg" type="image/jpeg" length="100"/>
  <pubDate>Tue, 01 Dec 2026 08:00:00 GMT</pubDate>
</item>
<item>
  <title>No date, no link</title>
  <guid>https://news.example/2026/nodate</guid>
</item>
</channel></rss>"#;

#[test]
fn rss_items_resolve_links_decode_entities_and_take_enclosures() {
    let feed = parse(RSS.as_bytes(), "https://news.example/feeds/rss.xml").unwrap();
    assert_eq!(feed.title.as_deref(), Some("News & Views"));
    let first = &feed.items[0];
    assert_eq!(first.title.as_deref(), Some("Café & bar"));
    assert_eq!(
        first.url.as_deref(),
        Some("https://news.example/2026/cafe?utm_source=rss#top")
    );
    assert_eq!(first.guid, "cafe-1");
    assert_eq!(
        first.image.as_deref(),
        Some("https://news.example/img/cafe.jpg")
    );
    assert!(first.summary.as_deref().unwrap().contains("<b>teaser</b>"));
    assert_eq!(
        first.published.map(|d| d.to_rfc3339()).as_deref(),
        Some("2026-12-01T08:00:00+00:00")
    );
    // A permalink GUID stands in for the link; no date is none.
    let second = &feed.items[1];
    assert_eq!(
        second.url.as_deref(),
        Some("https://news.example/2026/nodate")
    );
    assert_eq!(second.published, None);
}

#[test]
fn atom_xml_base_and_html_titles() {
    let atom = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example/base/">
  <title type="html">Blog &lt;i&gt;of&lt;/i&gt; things</title>
  <id>urn:blog</id><updated>2026-12-02T10:00:00Z</updated>
  <entry xml:base="posts/">
    <title>Post</title><id>urn:post:1</id>
    <link rel="alternate" href="one.html"/>
    <link rel="enclosure" type="image/png" href="one.png"/>
    <updated>2026-12-02T10:00:00Z</updated>
    <content type="html">&lt;p&gt;Body&lt;/p&gt;</content>
  </entry>
</feed>"#;
    let feed = parse(atom.as_bytes(), "https://blog.example/atom.xml").unwrap();
    assert_eq!(feed.title.as_deref(), Some("Blog of things"));
    let entry = &feed.items[0];
    assert_eq!(
        entry.url.as_deref(),
        Some("https://blog.example/base/posts/one.html")
    );
    assert_eq!(
        entry.image.as_deref(),
        Some("https://blog.example/base/posts/one.png")
    );
    assert_eq!(entry.base, "https://blog.example/base/posts/one.html");
    assert_eq!(entry.content.as_deref(), Some("<p>Body</p>"));
}

#[test]
fn json_feed_items() {
    let json = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "J",
      "home_page_url": "https://j.example/",
      "items": [{"id": "1", "url": "https://j.example/a", "title": "A",
                 "content_html": "<p>x</p>", "image": "https://j.example/a.png",
                 "authors": [{"name": "Ann"}], "date_published": "2026-12-01T00:00:00Z"}]}"#;
    let feed = parse(json.as_bytes(), "https://j.example/feed.json").unwrap();
    assert_eq!(feed.title.as_deref(), Some("J"));
    let item = &feed.items[0];
    assert_eq!(item.guid, "1");
    assert_eq!(item.url.as_deref(), Some("https://j.example/a"));
    assert_eq!(item.authors, ["Ann"]);
    assert_eq!(item.content.as_deref(), Some("<p>x</p>"));
}

#[test]
fn a_broken_feed_is_a_parse_error() {
    let e = parse(
        b"<rss><channel><item><title>x</channel>",
        "https://x.example/",
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("not valid feed"), "{e}");
    let e = parse(
        b"<html><body>Not a feed</body></html>",
        "https://x.example/",
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("not valid feed"), "{e}");
}

fn paragraphs(count: usize, words: usize) -> String {
    let sentence = "word ".repeat(words);
    (0..count).map(|_| format!("<p>{sentence}</p>")).collect()
}

#[test]
fn full_article_needs_words_paragraphs_and_no_teaser_end() {
    assert!(is_full_article(&paragraphs(4, 60)));
    // Many words in one paragraph: an excerpt.
    assert!(!is_full_article(&paragraphs(1, 400)));
    // Many short paragraphs: not enough words.
    assert!(!is_full_article(&paragraphs(5, 10)));
    // Long, but cut off.
    let cut = paragraphs(4, 60) + "<p>And then…</p>";
    assert!(!is_full_article(&cut));
    let more = paragraphs(4, 60) + "<p><a href=\"/x\">Continue reading</a></p>";
    assert!(!is_full_article(&more));
}

#[test]
fn canonical_urls_drop_tracking_and_fragments() {
    assert_eq!(
        canonical_url("HTTPS://News.Example:443/a?utm_source=rss&id=3&UTM_medium=x#c"),
        "https://news.example/a?id=3"
    );
    assert_eq!(
        canonical_url("https://news.example/a?utm_campaign=z"),
        "https://news.example/a"
    );
    assert_eq!(canonical_url(" not a url "), "not a url");
}

#[test]
fn text_hashes_ignore_case_and_spacing() {
    assert_eq!(text_hash("Hello   world\n"), text_hash("hello world"));
    assert_ne!(text_hash("hello world"), text_hash("hello there"));
    assert_eq!(text_hash("x").len(), 32);
}
