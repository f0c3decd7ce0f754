//! The plain-text reader, rule by rule, through `quire::read` with exact expected models.

use quire::model::{Block, Inline, List, Meta};
use quire::{Document, InputFormat, ReadOptions};

fn read(text: &str) -> Document {
    quire::read(text.as_bytes(), InputFormat::Text, &ReadOptions::default())
        .expect("plain text always reads")
        .document
}

fn t(s: &str) -> Inline {
    Inline::text(s)
}

fn para(s: &str) -> Block {
    Block::Paragraph(vec![t(s)])
}

fn heading(level: u8, id: &str, s: &str) -> Block {
    Block::Heading {
        level,
        id: id.into(),
        content: vec![t(s)],
    }
}

fn list(ordered: bool, start: u32, tight: bool, items: Vec<Vec<Block>>) -> Block {
    Block::List(List {
        checked: Default::default(),
        ordered,
        start,
        tight,
        items,
    })
}

fn link(url: &str, shown: &str) -> Inline {
    Inline::Link(Box::new(quire::model::Link {
        url: url.to_string(),
        title: None,
        content: vec![t(shown)],
    }))
}

const LONG: &str = "This paragraph is long enough to be body text, and it ends with a period.";

#[test]
fn title_from_first_line_is_meta_only() {
    let doc = read(&format!("A Quiet Title\n\n{LONG}\n"));
    assert_eq!(doc.meta.title.as_deref(), Some("A Quiet Title"));
    assert_eq!(doc.blocks, vec![para(LONG)]);
}

#[test]
fn sentence_first_line_is_not_a_title() {
    let doc = read(&format!("This starts with a sentence.\n\n{LONG}\n"));
    assert_eq!(doc.meta.title, None);
    assert_eq!(
        doc.blocks,
        vec![para("This starts with a sentence."), para(LONG)]
    );
}

#[test]
fn title_subtitle_byline_and_date() {
    let doc = read(&format!(
        "The Long Road Home\nA story of return\n\nBy Jane Doe and John Roe\nMay 1, 2024\n\n{LONG}\n"
    ));
    let expected = Meta {
        title: Some("The Long Road Home".into()),
        subtitle: Some("A story of return".into()),
        authors: vec!["Jane Doe".into(), "John Roe".into()],
        published: quire::model::Date::parse_iso("2024-05-01"),
        language: doc.meta.language.clone(),
        ..Meta::default()
    };
    assert_eq!(doc.meta, expected);
    assert_eq!(doc.blocks, vec![para(LONG)]);
}

#[test]
fn subtitle_on_its_own_before_the_byline_and_cyrillic_byline() {
    let doc = read(&format!(
        "Заголовок статьи\n\nПодзаголовок статьи\n\nАвтор: Иван Петров | 1 мая 2024 г.\n\n{LONG}\n"
    ));
    assert_eq!(doc.meta.title.as_deref(), Some("Заголовок статьи"));
    assert_eq!(doc.meta.subtitle.as_deref(), Some("Подзаголовок статьи"));
    assert_eq!(doc.meta.authors, vec!["Иван Петров".to_string()]);
    assert_eq!(
        doc.meta.published.map(|d| d.to_iso()).as_deref(),
        Some("2024-05-01")
    );
    assert_eq!(doc.blocks, vec![para(LONG)]);
}

#[test]
fn setext_underlined_title() {
    let doc = read(&format!("Underlined Title\n================\n\n{LONG}\n"));
    assert_eq!(doc.meta.title.as_deref(), Some("Underlined Title"));
    assert_eq!(doc.blocks, vec![para(LONG)]);
}

#[test]
fn dateline_and_typography_kept_as_written() {
    let body = "MOSCOW – Russia is ready to talk, “officials” say — and that’s all.";
    let doc = read(&format!("Some Headline Here\n\n{body}\n\n{LONG}\n"));
    assert_eq!(doc.blocks, vec![para(body), para(LONG)]);
}

const GUTENBERG: &str = "\
The Tale of the Wrapped Lines

by A. Writer

It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief, it
was the epoch of incredulity, it was the season of Light, it was the
season of Darkness, it was the spring of hope, it was the winter of de-
spair, we had everything before us, we had nothing before us.

There were a king with a large jaw and a queen with a plain face, on
the throne of England; there were a king with a large jaw and a queen
with a fair face, on the throne of France.

Roses are red,
Violets are blue,
Lines that are short
Keep their breaks too.
";

#[test]
fn gutenberg_wrapped_paragraphs_are_joined_and_verse_kept() {
    let doc = read(GUTENBERG);
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("The Tale of the Wrapped Lines")
    );
    assert_eq!(doc.meta.authors, vec!["A. Writer".to_string()]);
    assert_eq!(
        doc.blocks,
        vec![
            para(
                "It was the best of times, it was the worst of times, it was the age of \
                 wisdom, it was the age of foolishness, it was the epoch of belief, it \
                 was the epoch of incredulity, it was the season of Light, it was the \
                 season of Darkness, it was the spring of hope, it was the winter of \
                 despair, we had everything before us, we had nothing before us."
            ),
            para(
                "There were a king with a large jaw and a queen with a plain face, on \
                 the throne of England; there were a king with a large jaw and a queen \
                 with a fair face, on the throne of France."
            ),
            Block::Paragraph(vec![
                t("Roses are red,"),
                Inline::LineBreak,
                t("Violets are blue,"),
                Inline::LineBreak,
                t("Lines that are short"),
                Inline::LineBreak,
                t("Keep their breaks too."),
            ]),
        ]
    );
}

#[test]
fn crlf_and_lone_cr_line_endings() {
    let unix = read(GUTENBERG);
    assert_eq!(read(&GUTENBERG.replace('\n', "\r\n")), unix);
    assert_eq!(read(&GUTENBERG.replace('\n', "\r")), unix);
}

#[test]
fn bullet_list_with_continuation_and_nesting() {
    let doc = read("Intro line that is a sentence:\n\n- first item\n  continues here\n- second item\n  * nested one\n  * nested two\n• third item\n");
    assert_eq!(
        doc.blocks,
        vec![
            para("Intro line that is a sentence:"),
            list(
                false,
                1,
                true,
                vec![
                    vec![Block::Paragraph(vec![
                        t("first item"),
                        Inline::LineBreak,
                        t("continues here")
                    ])],
                    vec![
                        para("second item"),
                        list(
                            false,
                            1,
                            true,
                            vec![vec![para("nested one")], vec![para("nested two")]]
                        )
                    ],
                    vec![para("third item")],
                ]
            ),
        ]
    );
}

#[test]
fn numbered_list_keeps_start_and_is_not_headings() {
    let doc = read(&format!(
        "{LONG}\n\n3. Buy milk\n4. Buy eggs\n5. Go home\n\n{LONG}\n"
    ));
    assert_eq!(
        doc.blocks,
        vec![
            para(LONG),
            list(
                true,
                3,
                true,
                vec![
                    vec![para("Buy milk")],
                    vec![para("Buy eggs")],
                    vec![para("Go home")]
                ]
            ),
            para(LONG),
        ]
    );
}

#[test]
fn letter_items_and_paren_numbers() {
    let doc = read("a) apples\nb) pears\n\n1) one\n2) two\n");
    assert_eq!(
        doc.blocks,
        vec![
            list(
                true,
                1,
                true,
                vec![vec![para("apples")], vec![para("pears")]]
            ),
            list(true, 1, true, vec![vec![para("one")], vec![para("two")]]),
        ]
    );
}

#[test]
fn one_item_numbered_list_is_not_a_heading() {
    let doc = read(&format!("{LONG}\n\n1. Introduction\n\n{LONG}\n"));
    assert_eq!(
        doc.blocks,
        vec![
            para(LONG),
            list(true, 1, true, vec![vec![para("Introduction")]]),
            para(LONG)
        ]
    );
}

#[test]
fn numbered_section_headings() {
    let doc = read(&format!(
        "{LONG}\n\n1. Introduction\n\n{LONG}\n\n2. Methods\n\n{LONG}\n\n2.1 Sampling\n\n{LONG}\n"
    ));
    assert_eq!(
        doc.blocks,
        vec![
            para(LONG),
            heading(2, "1-introduction", "1. Introduction"),
            para(LONG),
            heading(2, "2-methods", "2. Methods"),
            para(LONG),
            heading(3, "2-1-sampling", "2.1 Sampling"),
            para(LONG),
        ]
    );
}

#[test]
fn chapter_and_caps_headings_but_not_short_sentences() {
    let doc = read(&format!(
        "{LONG}\n\nChapter IV\n\n{LONG}\n\nTHE NEXT MORNING\n\n{LONG}\n\nHe left.\n\n{LONG}\n"
    ));
    assert_eq!(
        doc.blocks,
        vec![
            para(LONG),
            heading(2, "chapter-iv", "Chapter IV"),
            para(LONG),
            heading(2, "the-next-morning", "THE NEXT MORNING"),
            para(LONG),
            para("He left."),
            para(LONG),
        ]
    );
}

#[test]
fn setext_headings_in_body() {
    let doc = read(&format!(
        "{LONG}\n\nPart One\n========\n\n{LONG}\n\nA Section\n---------\n\n{LONG}\n"
    ));
    assert_eq!(
        doc.blocks,
        vec![
            para(LONG),
            heading(1, "part-one", "Part One"),
            para(LONG),
            heading(2, "a-section", "A Section"),
            para(LONG),
        ]
    );
}

#[test]
fn quotes_nest() {
    let doc = read(&format!(
        "{LONG}\n\n> said once\n>> said before\n> said again\n"
    ));
    assert_eq!(
        doc.blocks,
        vec![
            para(LONG),
            Block::Quote(vec![
                para("said once"),
                Block::Quote(vec![para("said before")]),
                para("said again"),
            ]),
        ]
    );
}

#[test]
fn deep_quote_nesting_is_clamped() {
    let text = format!("{}deep\n", ">".repeat(10_000));
    let reading = quire::read(text.as_bytes(), InputFormat::Text, &ReadOptions::default())
        .expect("deep quotes are flattened, not rejected");
    assert!(reading
        .warnings
        .iter()
        .any(|w| w.message.contains("flattened")));
    let doc = reading.document;
    assert!(doc.depth() <= quire::model::MAX_DEPTH);
    assert!(serde_json::to_string(&doc).unwrap().contains("deep"));
}

#[test]
fn deep_list_nesting_is_clamped() {
    let text: String = (0..500)
        .map(|level| format!("{}- item {level}\n", " ".repeat(level * 2)))
        .collect();
    let doc = read(&text);
    assert!(doc.depth() <= quire::model::MAX_DEPTH);
    assert!(serde_json::to_string(&doc).unwrap().contains("item 499"));
}

#[test]
fn indented_code_and_rules() {
    let doc = read(&format!(
        "{LONG}\n\n    fn main() {{\n        println!(\"hi\");\n    }}\n\n* * *\n\n{LONG}\n"
    ));
    assert_eq!(
        doc.blocks,
        vec![
            para(LONG),
            Block::Code {
                language: None,
                text: "fn main() {\n    println!(\"hi\");\n}".into()
            },
            Block::Rule,
            para(LONG),
        ]
    );
}

#[test]
fn indented_paragraphs_are_not_code() {
    let doc = read(&format!("    {LONG}\n\n    {LONG}\n\n{LONG}\n"));
    assert_eq!(doc.blocks, vec![para(LONG), para(LONG), para(LONG)]);
}

#[test]
fn bare_urls_and_emails_become_links() {
    let doc =
        read("See https://example.com/path, www.example.org and write to jane@example.com.\n");
    assert_eq!(
        doc.blocks,
        vec![Block::Paragraph(vec![
            t("See "),
            link("https://example.com/path", "https://example.com/path"),
            t(", "),
            link("https://www.example.org", "www.example.org"),
            t(" and write to "),
            link("mailto:jane@example.com", "jane@example.com"),
            t("."),
        ])]
    );
}

#[test]
fn trailing_web_chrome_is_dropped() {
    let doc = read(&format!(
        "A Headline\n\n{LONG}\n\nShare this article\nComments (3)\nAdd Comment\nTags: politics, world\n© 2024 Example Media. All rights reserved.\nMost read: Town hall roof repaired at last\nYou may also like\n"
    ));
    assert_eq!(doc.blocks, vec![para(LONG)]);
}

#[test]
fn sentence_like_last_paragraph_is_kept() {
    let doc = read(&format!(
        "A Headline\n\n{LONG}\n\nFollow the river to the sea.\n"
    ));
    assert_eq!(
        doc.blocks,
        vec![para(LONG), para("Follow the river to the sea.")]
    );
}

#[test]
fn header_chrome_before_the_title_is_dropped() {
    let doc = read(&format!(
        "Skip to content\nHome | News | Sport\nMenu\nSign in\n\nThe Real Title\n\n{LONG}\n"
    ));
    assert_eq!(doc.meta.title.as_deref(), Some("The Real Title"));
    assert_eq!(doc.blocks, vec![para(LONG)]);
}

#[test]
fn tabs_and_form_feeds() {
    let doc = read(&format!("{LONG}\n\u{c}\tcode line\n\n{LONG}\n"));
    assert_eq!(
        doc.blocks,
        vec![
            para(LONG),
            Block::Code {
                language: None,
                text: "code line".into()
            },
            para(LONG)
        ]
    );
}

#[test]
fn odd_inputs_do_not_panic() {
    for input in [
        "\n\n\n",
        "-",
        "1.",
        "> ",
        "a)",
        "    ",
        "===\n---",
        "x\n=",
        "By",
        "http://",
        "www.",
        "@",
        "(https://a.b/c))",
        "\u{c}\u{c}\r\r\n",
        "–",
        "ÿ-\nä",
    ] {
        let _ = quire::read(input.as_bytes(), InputFormat::Text, &ReadOptions::default());
    }
}

#[test]
fn first_line_indents_split_paragraphs() {
    let doc = read(&format!(
        "{LONG}\n\n  It was a dark night, and the wind blew hard against the old shutters\nof the house on the hill.\n  She rose and went to the window, where the rain ran down the glass in\nlong grey streaks.\n"
    ));
    assert_eq!(
        doc.blocks,
        vec![
            para(LONG),
            para("It was a dark night, and the wind blew hard against the old shutters of the house on the hill."),
            para("She rose and went to the window, where the rain ran down the glass in long grey streaks."),
        ]
    );
}

const EMAIL: &str = "\
Home | World | Business | Sport
Skip to main content

Notes on the Migration
======================

Posted by Alex Smith on 12 March 2023

The migration took three weekends. Here is what we learned, in order of
how much it hurt.

Jane Doe wrote:
> We should move the database first.
>
>> Are you sure about that order?

WHAT WENT WRONG

1. The backups were stale
2. DNS took two days

Lessons

We now keep a runbook. The commands we ran:

    pg_dump -Fc prod > prod.dump

Our address for complaints:
Example Ltd
London

Thanks for reading!

Related articles
Share on Twitter
Comments (14)
Leave a comment
© 2023 Example Ltd
";

#[test]
fn web_article_saved_as_text() {
    let doc = read(EMAIL);
    assert_eq!(doc.meta.title.as_deref(), Some("Notes on the Migration"));
    assert_eq!(doc.meta.authors, vec!["Alex Smith".to_string()]);
    assert_eq!(
        doc.meta.published.map(|d| d.to_iso()).as_deref(),
        Some("2023-03-12")
    );
    assert_eq!(
        doc.blocks,
        vec![
            para("The migration took three weekends. Here is what we learned, in order of how much it hurt."),
            para("Jane Doe wrote:"),
            Block::Quote(vec![
                para("We should move the database first."),
                Block::Quote(vec![para("Are you sure about that order?")]),
            ]),
            heading(2, "what-went-wrong", "WHAT WENT WRONG"),
            list(
                true,
                1,
                true,
                vec![vec![para("The backups were stale")], vec![para("DNS took two days")]]
            ),
            heading(2, "lessons", "Lessons"),
            para("We now keep a runbook. The commands we ran:"),
            Block::Code {
                language: None,
                text: "pg_dump -Fc prod > prod.dump".into()
            },
            Block::Paragraph(vec![
                t("Our address for complaints:"),
                Inline::LineBreak,
                t("Example Ltd"),
                Inline::LineBreak,
                t("London"),
            ]),
            para("Thanks for reading!"),
        ]
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
    /// Any mix of the characters that drive structure reads without a panic, within depth.
    #[test]
    fn structural_noise_never_panics(input in "[a-zA-Z0-9 \\-*•–>.)(:/@w=\t\r\n\u{c}“”é]{0,400}") {
        let doc = quire::read(input.as_bytes(), InputFormat::Text, &ReadOptions::default())
            .map(|r| r.document);
        if let Ok(doc) = doc {
            proptest::prop_assert!(doc.depth() <= quire::model::MAX_DEPTH);
        }
    }
}

#[test]
fn gutenberg_licence_around_the_book_is_dropped() {
    let doc = read(&format!(
        "The Project Gutenberg eBook of Something\n\nThis ebook is for the use of anyone anywhere.\n\n*** START OF THE PROJECT GUTENBERG EBOOK SOMETHING ***\n\nSomething Wonderful\n\n{LONG}\n\n*** END OF THE PROJECT GUTENBERG EBOOK SOMETHING ***\n\nUpdated editions will replace the previous one.\n"
    ));
    assert_eq!(doc.meta.title.as_deref(), Some("Something Wonderful"));
    assert_eq!(doc.blocks, vec![para(LONG)]);
}

#[test]
fn dialogue_dashes_are_not_list_items() {
    let line = "– Здравствуйте, – сказал он и сел у окна, не снимая пальто.";
    let doc = read(&format!("{LONG}\n\n{line}\n"));
    assert_eq!(doc.blocks, vec![para(LONG), para(line)]);
}

#[test]
fn a_lone_short_line_is_text_not_a_title() {
    let doc = read("Hello world\n\n");
    assert_eq!(doc.meta.title, None);
    assert_eq!(doc.blocks, vec![para("Hello world")]);
}

#[test]
fn one_long_line_per_paragraph_without_blank_lines() {
    let first = "The first paragraph of a page copied as text runs on for a long while on a single line, with no wrapping at all, until it finally ends here.";
    let second = "The second paragraph follows on the very next line, again unwrapped and long enough that no one could mistake it for a line of verse or an address.";
    let doc = read(&format!("A Copied Page\n{first}\n{second}\n"));
    assert_eq!(doc.meta.title.as_deref(), Some("A Copied Page"));
    assert_eq!(doc.blocks, vec![para(first), para(second)]);
}

#[test]
fn a_sentence_over_dashes_is_a_paragraph_and_a_rule() {
    let doc = read(&format!(
        "{LONG}\n\nThat was the end of it.\n---\n\n{LONG}\n"
    ));
    assert_eq!(
        doc.blocks,
        vec![
            para(LONG),
            para("That was the end of it."),
            Block::Rule,
            para(LONG)
        ]
    );
}

#[test]
fn wrapped_copyright_notice_goes_as_a_whole() {
    let doc = read(&format!(
        "{LONG}\n\n© 2019 Example Press. All Rights Reserved. This material may not be\npublished, broadcast, rewritten, or redistributed.\n"
    ));
    assert_eq!(doc.blocks, vec![para(LONG)]);
}

#[test]
fn two_sentences_or_a_link_are_not_a_title() {
    for first in [
        "We were paid for this post. All opinions are ours",
        "More at www.example.com",
        "Wait? Nobody told me",
    ] {
        let doc = read(&format!("{first}\n\n{LONG}\n"));
        assert_eq!(doc.meta.title, None, "{first}");
    }
    let doc = read(&format!("Mr. Smith Goes to Washington\n\n{LONG}\n"));
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("Mr. Smith Goes to Washington")
    );
}

#[test]
fn credits_and_handles_are_not_headings() {
    let credit = "— Jane Roe (@janeroe) October 9, 2018";
    let handle = "Account: @janeroe";
    let doc = read(&format!(
        "{LONG}\n\n{credit}\n\n{LONG}\n\n{handle}\n\n{LONG}\n"
    ));
    assert_eq!(
        doc.blocks,
        vec![
            para(LONG),
            para(credit),
            para(LONG),
            Block::Paragraph(vec![t("Account: @janeroe")]),
            para(LONG),
        ]
    );
}

#[test]
fn wrapped_lines_inside_lists_and_quotes_are_joined() {
    let text = "\
The committee met on Tuesday and agreed the following points after a long
and sometimes heated discussion about the budget for the coming year.

- The harbour wall will be rebuilt before the winter storms arrive, using
  the original granite facing wherever it can be saved.
- Boats longer than twelve metres will moor at the deep-water berth.

> The honest answer is that patching has run its course, and that the
> core behind the stone has been washed out along most of its length.
";
    let doc = read(text);
    assert_eq!(
        doc.blocks,
        vec![
            para(
                "The committee met on Tuesday and agreed the following points after a long \
                 and sometimes heated discussion about the budget for the coming year."
            ),
            list(
                false,
                1,
                true,
                vec![
                    vec![para(
                        "The harbour wall will be rebuilt before the winter storms arrive, using \
                         the original granite facing wherever it can be saved."
                    )],
                    vec![para(
                        "Boats longer than twelve metres will moor at the deep-water berth."
                    )],
                ]
            ),
            Block::Quote(vec![para(
                "The honest answer is that patching has run its course, and that the \
                 core behind the stone has been washed out along most of its length."
            )]),
        ]
    );
}
