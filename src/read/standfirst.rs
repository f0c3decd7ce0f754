//! The standfirst (subtitle, dek) that opens an article, told from a section heading.
//!
//! Pages and Markdown files often set the sentence or two that sums up an article as a
//! heading right under the title (`<h1>` then `<h2>`, `# Title` then `## ...`). Left a
//! heading, it shows as a second and third headline before any text, and it enters the table
//! of contents. Read as [`Meta::subtitle`], every writer shows it as the standfirst it is.
//!
//! The rule is the same for every reader and every site: a heading that opens the body (no
//! text between it and the title) is a standfirst when it reads as a sentence (see
//! [`reads_as_standfirst`]). The HTML reader also takes an element whose class names a
//! standfirst ([`is_standfirst_class`]), which the model cannot see.

use crate::model::{collapse_whitespace, inlines_to_plain, Block, Inline, Meta};

/// Whether a heading's text reads as a standfirst rather than a section heading. Section
/// headings are short and rarely end in a full stop; a standfirst is a sentence. So: a
/// sentence ending in `.`, `!` or `…` of five words or more, a question of ten or more
/// (a section may well be headed by a short question), or any text of fourteen words or more,
/// which no headline-style heading runs to.
pub(crate) fn reads_as_standfirst(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let end = text
        .trim_end()
        .trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', '\u{bb}', ')', ']'])
        .chars()
        .last();
    match end {
        Some('.' | '!' | '\u{2026}' | '\u{3002}' | '\u{ff01}') => words >= 5,
        Some('?' | '\u{ff1f}') => words >= 10,
        _ => words >= 14,
    }
}

/// Whether a class attribute names a standfirst: a class whose last part (after `-` or `_`,
/// as in `article__dek` or `c-standfirst`) is one of the names sites give it. `lead` counts
/// only as a whole class (Bootstrap's lead paragraph): as a part it names lead images too.
pub(crate) fn is_standfirst_class(classes: &str) -> bool {
    const NAMES: [&str; 8] = [
        "standfirst",
        "dek",
        "deck",
        "subtitle",
        "subheadline",
        "subhead",
        "lede",
        "strapline",
    ];
    classes.split_ascii_whitespace().any(|class| {
        let class = class.to_ascii_lowercase();
        let last = class.rsplit(['-', '_']).next().unwrap_or("");
        class == "lead" || NAMES.contains(&last)
    })
}

/// Takes a heading that opens `blocks` into `meta.subtitle` when the document has a title and
/// no subtitle yet, and the heading reads as a standfirst. A heading that holds a link, a note
/// or an image stays: the subtitle is plain text, and they would be lost.
pub(crate) fn take_standfirst(meta: &mut Meta, blocks: &mut Vec<Block>) {
    let Some(title) = meta.title.as_deref() else {
        return;
    };
    if meta.subtitle.is_some() {
        return;
    }
    let Some(Block::Heading { level, content, .. }) = blocks.first() else {
        return;
    };
    if *level < 2 || content.iter().any(holds_more_than_text) {
        return;
    }
    let text = collapse_whitespace(&inlines_to_plain(content))
        .trim()
        .to_string();
    if text == title.trim() || !reads_as_standfirst(&text) {
        return;
    }
    meta.subtitle = Some(text);
    blocks.remove(0);
}

/// Whether an inline holds something a plain-text subtitle cannot keep: a link's target, a
/// note, an image.
fn holds_more_than_text(inline: &Inline) -> bool {
    match inline {
        Inline::Link(_) | Inline::Note(_) | Inline::Image(_) | Inline::Math(_) => true,
        Inline::Emphasis(inner)
        | Inline::Strong(inner)
        | Inline::Strikethrough(inner)
        | Inline::Superscript(inner)
        | Inline::Subscript(inner)
        | Inline::Span { content: inner, .. } => inner.iter().any(holds_more_than_text),
        Inline::Text(_) | Inline::Code(_) | Inline::LineBreak => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_read_as_standfirsts_and_headlines_do_not() {
        for (text, standfirst) in [
            ("Methods", false),
            ("What we found", false),
            ("Part 2.", false),
            ("Why does the sea glow?", false),
            ("The harbour was quiet until the storm came.", true),
            ("Five buoys, three winters and a great deal of rust.", true),
            (
                "\u{201c}We did not expect the ice to go so fast.\u{201d}",
                true,
            ),
            (
                "Can a town that lived on fishing learn to live without it?",
                true,
            ),
            (
                "How a small team of volunteers mapped every reef on the coast in one summer",
                true,
            ),
        ] {
            assert_eq!(reads_as_standfirst(text), standfirst, "{text:?}");
        }
    }

    #[test]
    fn standfirst_classes_are_told_by_their_last_part() {
        for (classes, standfirst) in [
            ("standfirst", true),
            ("article__dek", true),
            ("c-entry-summary p-dek", true),
            ("Article-Standfirst", true),
            ("lead", true),
            ("lead-image", false),
            ("leaderboard", false),
            ("subtitles-toggle", false),
            ("", false),
        ] {
            assert_eq!(is_standfirst_class(classes), standfirst, "{classes:?}");
        }
    }

    fn heading(level: u8, text: &str) -> Block {
        Block::Heading {
            level,
            id: "".into(),
            content: vec![Inline::text(text)],
        }
    }

    #[test]
    fn only_an_opening_sentence_heading_under_a_title_is_taken() {
        let standfirst = "The harbour was quiet until the storm came.";
        let titled = || Meta {
            title: Some("Storm".into()),
            ..Meta::default()
        };
        let body = || vec![heading(2, standfirst), Block::Paragraph(vec![])];

        let (mut meta, mut blocks) = (titled(), body());
        take_standfirst(&mut meta, &mut blocks);
        assert_eq!(meta.subtitle.as_deref(), Some(standfirst));
        assert_eq!(blocks.len(), 1);

        // No title: nothing for it to stand under.
        let (mut meta, mut blocks) = (Meta::default(), body());
        take_standfirst(&mut meta, &mut blocks);
        assert_eq!((meta.subtitle, blocks.len()), (None, 2));

        // Text before it: a section heading, wherever it reads like a sentence.
        let (mut meta, mut blocks) = (titled(), body());
        blocks.reverse();
        take_standfirst(&mut meta, &mut blocks);
        assert_eq!((meta.subtitle, blocks.len()), (None, 2));

        // A headline-style heading stays a heading.
        let (mut meta, mut blocks) = (titled(), vec![heading(2, "What we found")]);
        take_standfirst(&mut meta, &mut blocks);
        assert_eq!((meta.subtitle, blocks.len()), (None, 1));

        // A link would lose its target in a plain-text subtitle.
        let linked = Block::Heading {
            level: 2,
            id: "".into(),
            content: vec![Inline::link(
                "https://example.org/",
                None,
                vec![Inline::text(standfirst)],
            )],
        };
        let (mut meta, mut blocks) = (titled(), vec![linked]);
        take_standfirst(&mut meta, &mut blocks);
        assert_eq!((meta.subtitle, blocks.len()), (None, 1));
    }
}
