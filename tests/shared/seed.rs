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

/// Greedy word wrap at `width` columns, the way e-mail and Project Gutenberg texts are made.
fn hard_wrap(paragraph: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in paragraph.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

/// The article bodies of the AEB corpus, hard-wrapped at 72 columns, read back into the
/// same document as the unwrapped bodies: wrapping is undone, and nothing else changes.
#[test]
fn corpus_bodies_read_the_same_wrapped_and_unwrapped() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/aeb/ground-truth.json");
    let json = std::fs::read_to_string(&path).expect("the AEB ground truth is readable");
    let truth: serde_json::Value = serde_json::from_str(&json).expect("ground truth is JSON");
    let articles = truth
        .as_object()
        .expect("ground truth maps ids to articles");
    let mut differing = Vec::new();
    for (id, article) in articles {
        let body = article["articleBody"].as_str().unwrap_or("");
        let paragraphs: Vec<&str> = body
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .collect();
        let read_joined = |separator: &str, width: Option<usize>| {
            let text: Vec<String> = paragraphs
                .iter()
                .map(|p| match width {
                    Some(w) => hard_wrap(p, w),
                    None => p.split_whitespace().collect::<Vec<_>>().join(" "),
                })
                .collect();
            quire::read(
                text.join(separator).as_bytes(),
                InputFormat::Text,
                &ReadOptions::default(),
            )
            .expect("article bodies read")
            .document
        };
        let flat = read_joined("\n\n", None);
        let wrapped = read_joined("\n\n", Some(72));
        if flat.blocks != wrapped.blocks || flat.meta.title != wrapped.meta.title {
            differing.push(id.clone());
        }
    }
    // A body whose wrapping puts a list marker (`2)`, `–`) at the start of a line after a
    // short line cannot be told from a list; allow one in fifty.
    assert!(
        differing.len() * 50 <= articles.len(),
        "{} of {} differ: {differing:?}",
        differing.len(),
        articles.len()
    );
}
