//! The seed article (`../shared/seeds/russia-nato.txt`) read as plain text.

use std::path::Path;

use quire::model::inlines_to_plain;
use quire::{Block, InputFormat, ReadOptions};

fn read_seed() -> quire::Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds/russia-nato.txt");
    let bytes = std::fs::read(&path).expect("the seed article is readable");
    quire::read(&bytes, InputFormat::Text, &ReadOptions::default())
        .expect("the seed article reads")
        .document
}

#[test]
fn seed_title_is_meta_not_a_block() {
    let doc = read_seed();
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("Relations between Russia and NATO are worsening and threaten global security")
    );
}

#[test]
fn seed_body_is_twelve_paragraphs_starting_with_the_dateline() {
    let doc = read_seed();
    let paragraphs: Vec<String> = doc
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(inlines) => inlines_to_plain(inlines),
            other => panic!("only paragraphs expected, got {other:?}"),
        })
        .collect();
    assert_eq!(paragraphs.len(), 12, "{paragraphs:#?}");
    assert!(paragraphs[0].starts_with("MOSCOW – Russia is ready"));
    assert!(paragraphs[11].starts_with("According to the Russian Ministry of Defense"));
    assert!(paragraphs[11].ends_with("strengthening the Northern Fleet."));
}

#[test]
fn seed_page_chrome_is_dropped() {
    let doc = read_seed();
    let json = serde_json::to_string(&doc).expect("the document serializes");
    assert!(!json.contains("Comments (0)"));
    assert!(!json.contains("Add Comment"));
    assert!(json.contains("Northern Fleet"));
}
