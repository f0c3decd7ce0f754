//! The Markdown reader: CommonMark + GFM (tables, strikethrough, footnotes, task lists, bare-URL
//! autolinks) and YAML front matter, via pulldown-cmark's event stream. No `{#id}` heading
//! attributes: GFM has none.
//!
//! pulldown-cmark is iterative; the event → model builder here is too: it keeps an explicit
//! stack of open frames. Nesting deeper than the model allows is flattened (a quote or list
//! past the limit gives its content to its parent), so no input can exceed
//! [`MAX_DEPTH`]. Footnote definitions are collected first and placed as [`Inline::Note`](crate::model::Inline::Note) at
//! every reference; only notes recurse, and each level of notes costs depth, so that
//! recursion is bounded too.
//!
//! Here: the reader, reading a document whole or in pieces, the quote cap and the title taken
//! from a heading. `pieces` cuts long documents for the parser; `frames` builds the model
//! from the events; `inline_html` handles raw HTML and footnote references; `front_matter`
//! reads the YAML front matter. Bare URLs are linked as each paragraph is built, as GFM has
//! them (`crate::model::autolink`).

use pulldown_cmark::{Event, Options, Parser};

use super::{ReadOptions, Reader, Reading};
use crate::error::{Result, Warning};
use crate::model::{inlines_to_plain, Block, Document, Meta, MAX_DEPTH};

mod frames;
mod front_matter;
mod inline_html;
mod pieces;

use frames::*;
use front_matter::*;
use pieces::*;

/// Reads CommonMark/GFM Markdown with optional YAML front matter.
pub struct MarkdownReader;

/// How many footnote copies, and how many events in all of them, one document may expand
/// to: a note referenced twice is copied, and notes that reference notes (or one long note
/// referenced thousands of times) could otherwise multiply the input without end.
const MAX_NOTE_EXPANSIONS: usize = 10_000;
/// The budget for all note copies together, in events plus bytes of text.
const MAX_NOTE_COST: usize = 8_000_000;

impl Reader for MarkdownReader {
    fn read_text(&self, input: &str, options: &ReadOptions) -> Result<Reading> {
        read_markdown(input, options, KEEP_EVENTS_LEN)
    }

    fn read_text_owned(&self, input: String, options: &ReadOptions) -> Result<Reading> {
        read_markdown_owned(input, options, PIECE_LEN)
    }
}

/// The extensions the reader turns on. No heading attributes: GFM has none, and
/// pulldown-cmark reads `{#x}` at the end of a heading as attributes even when its `{` is
/// escaped, so a heading whose text ends that way could not be written so that it reads back.
const PARSER_OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_TASKLISTS)
    // `$…$` and `$$…$$` (pandoc's rule: no space inside either dollar), as the writer writes.
    .union(Options::ENABLE_MATH)
    // GitHub's alerts (`> [!NOTE]`): pulldown-cmark's "GFM" option turns on only these.
    .union(Options::ENABLE_GFM);

/// Reads Markdown; a document that can hold footnotes keeps all its events when it is no
/// longer than `keep_events_len`, and is parsed twice otherwise.
fn read_markdown(input: &str, options: &ReadOptions, keep_events_len: usize) -> Result<Reading> {
    let capped = cap_quote_nesting(input);
    let input = capped.as_deref().unwrap_or(input);
    // Front matter is split off here rather than by pulldown-cmark, which takes any `---`
    // line followed by text and a later `---` for a metadata block, anywhere in a document.
    let (front_matter, body) = split_front_matter(input);
    let defused = without_false_formulas(body);
    let body = defused.as_deref().unwrap_or(body);
    read_split_markdown(front_matter, body, options, keep_events_len)
}

/// [`read_markdown`] once the front matter is split from the body.
fn read_split_markdown(
    front_matter: Option<&str>,
    body: &str,
    options: &ReadOptions,
    keep_events_len: usize,
) -> Result<Reading> {
    let (meta, mut warnings) = read_front_matter_of(front_matter);
    // Footnotes are placed at their references, which may come before their definitions,
    // so the definitions' events are found first when the text can hold footnotes (they
    // all start with `[^`). A short document keeps all its events for that; a long one
    // is parsed twice instead, keeping the definitions alone: the list of all events is
    // 20 times the size of the text.
    let can_hold_notes = body.contains("[^");
    let all_events: Option<Vec<Event<'_>>> = (can_hold_notes && body.len() <= keep_events_len)
        .then(|| Parser::new_ext(body, PARSER_OPTIONS).collect());
    let notes = match &all_events {
        Some(events) => FootnoteDefinitions::find(events.iter().cloned()),
        None if can_hold_notes => FootnoteDefinitions::find(Parser::new_ext(body, PARSER_OPTIONS)),
        None => FootnoteDefinitions::default(),
    };
    let mut ctx = BuildContext::new(body, &notes, options, &mut warnings);
    let blocks = match all_events {
        Some(events) => ctx.build(events.into_iter(), 0),
        None => {
            // Otherwise the events are built into the model as they come. pulldown-cmark
            // keeps a tree of the whole text (12 times its size for dense Markdown), so a
            // long document is parsed piece by piece where that is sure to make the same
            // events (see `Pieces`).
            let events = Pieces::new(body, PIECE_LEN)
                .flat_map(|piece| Parser::new_ext(piece, PARSER_OPTIONS));
            ctx.build(events, 0)
        }
    };
    Ok(finish_reading(meta, blocks, warnings, options))
}

/// Reads Markdown that the reader owns, the same as [`read_markdown`]. A long document that
/// can be cut into pieces of `piece_len` (see [`Pieces`]) is built from its last piece to
/// its first, and the text is cut short after each: the model owns all its strings, so the
/// pieces already built need no text, and with the text shrinking while the model grows,
/// the two are never both whole (20 MB of dense Markdown makes a model of some 180 MB;
/// holding the text to the end added its 20 MB to the peak). Other documents are read as
/// they would be from borrowed text.
fn read_markdown_owned(
    mut text: String,
    options: &ReadOptions,
    piece_len: usize,
) -> Result<Reading> {
    if let Some(capped) = cap_quote_nesting(&text) {
        text = capped;
    }
    let (_, body) = split_front_matter(&text);
    if let Some(defused) = without_false_formulas(body) {
        let body_start = text.len() - body.len();
        text.truncate(body_start);
        text.push_str(&defused);
    }
    let (front_matter, body) = split_front_matter(&text);
    // The body is the end of the text; pieces are kept as where they start in it, so that
    // nothing borrows the text when it is cut short.
    let body_start = text.len().saturating_sub(body.len());
    let mut piece_starts = Vec::new();
    if body.len() > piece_len {
        let mut start = body_start;
        for piece in Pieces::new(body, piece_len) {
            piece_starts.push(start);
            start += piece.len();
        }
    }
    // One piece: the text could not be cut (or is short). More than one means that
    // `can_be_cut` found no `[^`, so there are no footnotes, whose definitions every piece
    // would need.
    if piece_starts.len() < 2 {
        return read_split_markdown(front_matter, body, options, KEEP_EVENTS_LEN);
    }
    let (meta, mut warnings) = read_front_matter_of(front_matter);
    // A piece starts a top-level block and ends with all its blocks closed, so building the
    // pieces one by one makes the blocks that building all their events at once makes: the
    // builder holds nothing but its finished blocks between them.
    let mut blocks_backwards: Vec<Block> = Vec::new();
    // Each piece's warnings, the last piece's first.
    let mut piece_warnings: Vec<Vec<Warning>> = Vec::new();
    let text_len = text.len();
    for &start in piece_starts.iter().rev() {
        let mut warnings_here = Vec::new();
        let blocks = {
            let piece = text.get(start..).unwrap_or_default();
            let notes = FootnoteDefinitions::default();
            let mut ctx = BuildContext::new(piece, &notes, options, &mut warnings_here);
            ctx.build(Parser::new_ext(piece, PARSER_OPTIONS), 0)
        };
        make_room(
            &mut blocks_backwards,
            blocks.len(),
            text_len.saturating_sub(start),
            start.saturating_sub(body_start),
        );
        blocks_backwards.extend(blocks.into_iter().rev());
        if !warnings_here.is_empty() {
            piece_warnings.push(warnings_here);
        }
        // The piece is built: its text goes. Allocators shrink a large allocation in place
        // (jemalloc, the binary's, does), so the freed end serves the next pieces' model.
        if text.is_char_boundary(start) {
            text.truncate(start);
            text.shrink_to_fit();
        }
    }
    drop(text);
    blocks_backwards.reverse();
    let mut blocks = blocks_backwards;
    // Whatever room is left is dropped: the model keeps the vector as it is.
    blocks.shrink_to_fit();
    warnings.extend(piece_warnings.into_iter().rev().flatten());
    Ok(finish_reading(meta, blocks, warnings, options))
}

/// Makes room in the document's top-level blocks for `more` blocks from a piece, when
/// `done` bytes of text have made them (this piece's included) and `remaining` bytes are
/// still to read. The vector holds a long document's many top-level blocks (56 bytes each:
/// 32 MB for 20 MB of headings and short paragraphs). Grown by doubling, it last moved with
/// 30 MB to copy, and the old and the new copies both held then added 10 MB to the peak.
/// So it grows to what the rest of the text will likely make at the rate the text read so
/// far made blocks, with an eighth more: in a document of even density it moves once or
/// twice, early, while small (room it does not fill is never touched, so never resident,
/// and goes at the end).
fn make_room(blocks: &mut Vec<Block>, more: usize, done: usize, remaining: usize) {
    if blocks.capacity() - blocks.len() >= more {
        return;
    }
    let made = blocks.len() + more;
    // The guess is capped at a block for every 16 bytes of the rest (blocks are rarely
    // denser), so that a dense end of a document cannot make it reserve many times the text;
    // a denser rest only makes the vector move more often.
    let expected_rest = (made.saturating_mul(remaining) / done.max(1)).min(remaining / 16);
    let slack = if remaining == 0 {
        0
    } else {
        (expected_rest + expected_rest / 8).max(blocks.len() / 8)
    };
    blocks.reserve_exact(more.saturating_add(slack));
}

/// The reading, once the blocks are built: a leading level-1 heading becomes the title when
/// the front matter has none, and is dropped when it repeats the front matter's; headings
/// take the ids GitHub gives them, so that a link to one (`#c--rust`) finds it; and a
/// sentence heading right under the title becomes its standfirst. A file read from the web
/// has its relative links and images resolved where it was found.
fn finish_reading(
    mut meta: Meta,
    mut blocks: Vec<Block>,
    warnings: Vec<Warning>,
    options: &ReadOptions,
) -> Reading {
    super::web_source::resolve_against(&mut meta, &mut blocks, options.source_url.as_deref());
    // The text of the heading a renderer shows as the title, whose anchor it takes first.
    let title_heading = if meta.title.is_none() {
        take_title_from_heading(&mut meta, &mut blocks)
    } else {
        drop_heading_repeating_title(&meta, &mut blocks)
    };
    crate::prepare::slugs::assign_gfm_ids(title_heading.as_deref(), &mut blocks);
    crate::read::standfirst::take_standfirst(&mut meta, &mut blocks);
    Reading::new(Document::new(meta, blocks), warnings)
}

/// How many times a document is parsed again for [`without_false_formulas`]: each pass
/// takes out the false formulas the last one found, and a formula taken out can let its
/// closing dollar open another (`$1$2$3$4`).
const MOST_FORMULA_PASSES: usize = 4;

/// The text with the opening dollar of every false formula escaped, or `None` when it has
/// none. pulldown-cmark ends a formula at any dollar after a non-space, and reads formulas
/// as it reads code spans, before links. So a formula could end right before a digit
/// (`It costs $5-$10`: the formula "5-"), which pandoc never ends one at, and could hold
/// the end of a link whose text starts with a dollar (`[$http service](…/$http)`), where
/// GitHub and pandoc read the link first. Escaping the opening dollar of such a formula
/// lets the parser read the text as the text it is, links and emphasis included. Only text
/// where a dollar after a non-space comes before a digit or after a `](` pays the parses.
fn without_false_formulas(body: &str) -> Option<String> {
    if !may_hold_false_formula(body) {
        return None;
    }
    let mut defused: Option<String> = None;
    for _ in 0..MOST_FORMULA_PASSES {
        let text = defused.as_deref().unwrap_or(body);
        let openings = false_formula_openings(text);
        if openings.is_empty() {
            break;
        }
        let mut escaped = String::with_capacity(text.len() + openings.len());
        let mut copied = 0;
        for at in openings {
            escaped.push_str(&text[copied..at]);
            escaped.push('\\');
            copied = at;
        }
        escaped.push_str(&text[copied..]);
        defused = Some(escaped);
    }
    defused
}

/// Whether some dollar that could close a formula (after a non-space) comes right before a
/// digit, or after a `](` since the dollar before it: the only text a false formula can be
/// in.
fn may_hold_false_formula(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut previous_dollar = None;
    for at in memchr::memchr_iter(b'$', bytes) {
        let can_close = at > 0 && !bytes[at - 1].is_ascii_whitespace();
        if can_close {
            let before_digit = bytes.get(at + 1).is_some_and(u8::is_ascii_digit);
            let after_link_end = previous_dollar
                .is_some_and(|from| memchr::memmem::find(&bytes[from..at], b"](").is_some());
            if before_digit || after_link_end {
                return true;
            }
        }
        previous_dollar = Some(at);
    }
    false
}

/// Where the false formulas of `text` open (see [`without_false_formulas`]): those that end
/// right before a digit or hold a `](`. `text` is parsed in the pieces the reader parses it
/// in.
fn false_formula_openings(text: &str) -> Vec<usize> {
    let mut openings = Vec::new();
    for piece in Pieces::new(text, PIECE_LEN) {
        let piece_start = piece.as_ptr() as usize - text.as_ptr() as usize;
        for (event, range) in Parser::new_ext(piece, PARSER_OPTIONS).into_offset_iter() {
            let Event::InlineMath(tex) = event else {
                continue;
            };
            let before_digit = piece
                .as_bytes()
                .get(range.end)
                .is_some_and(u8::is_ascii_digit);
            if (before_digit || tex.contains("](")) && piece[range.start..].starts_with('$') {
                openings.push(piece_start + range.start);
            }
        }
    }
    openings
}

/// Block quotes nested deeper than this are cut to this depth before parsing.
/// pulldown-cmark keeps a node and a stack entry for every level (about 100 bytes each, so
/// a line of 100,000 `>` took 13 MB), while the model flattens every quote past
/// [`MAX_DEPTH`] into the one above: past this depth, more levels change nothing read.
const MAX_QUOTE_MARKERS: usize = 4 * MAX_DEPTH;

/// The text with every line's run of block-quote markers cut to [`MAX_QUOTE_MARKERS`], or
/// `None` when no line has more. Only runs of `>` with spaces are cut: a tab's width
/// depends on its column, which a cut would move.
fn cap_quote_nesting(text: &str) -> Option<String> {
    // Cheap test first: no line can have that many markers without that many `>`.
    if text.bytes().filter(|&b| b == b'>').count() <= MAX_QUOTE_MARKERS {
        return None;
    }
    let mut cuts = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if let Some((from, to)) = excess_quote_markers(line.as_bytes()) {
            cuts.push((line_start + from, line_start + to));
        }
        line_start += line.len();
    }
    if cuts.is_empty() {
        return None;
    }
    let mut capped = String::with_capacity(text.len());
    let mut at = 0;
    for (from, to) in cuts {
        capped.push_str(text.get(at..from)?);
        at = to;
    }
    capped.push_str(text.get(at..)?);
    Some(capped)
}

/// The byte range of a line's block-quote markers past the [`MAX_QUOTE_MARKERS`]th (each
/// marker: up to 3 spaces, `>`, an optional space), if it has more.
fn excess_quote_markers(line: &[u8]) -> Option<(usize, usize)> {
    let mut at = 0;
    let mut markers = 0;
    let mut keep_end = 0;
    loop {
        let spaces = line.get(at..)?.iter().take_while(|&&b| b == b' ').count();
        match line.get(at + spaces) {
            Some(b'>') if spaces <= 3 => {}
            Some(b'\t') => return None,
            _ => break,
        }
        at += spaces + 1;
        match line.get(at) {
            Some(b' ') => at += 1,
            Some(b'\t') => return None,
            _ => {}
        }
        markers += 1;
        if markers == MAX_QUOTE_MARKERS {
            keep_end = at;
        }
    }
    (markers > MAX_QUOTE_MARKERS).then_some((keep_end, at))
}

/// Without a front-matter title, a leading level-1 heading that is the document's only one
/// is its title (the way most Markdown articles are written). Returns the heading's text.
fn take_title_from_heading(meta: &mut Meta, blocks: &mut Vec<Block>) -> Option<String> {
    let title = leading_h1_text(blocks)?;
    if count_h1(blocks) != 1 || title.is_empty() {
        return None;
    }
    meta.title = Some(title.clone());
    blocks.remove(0);
    Some(title)
}

/// A leading level-1 heading that says what the front matter's title says is that title
/// written again (notes often have both): it goes, or every output would show the title
/// twice. Returns the heading's text.
fn drop_heading_repeating_title(meta: &Meta, blocks: &mut Vec<Block>) -> Option<String> {
    let title = crate::model::collapse_whitespace(meta.title.as_deref()?.trim());
    let heading = leading_h1_text(blocks)?;
    if heading.is_empty() || heading.to_lowercase() != title.to_lowercase() {
        return None;
    }
    blocks.remove(0);
    Some(heading)
}

/// The text of the first block, when it is a level-1 heading.
fn leading_h1_text(blocks: &[Block]) -> Option<String> {
    match blocks.first() {
        Some(Block::Heading {
            level: 1, content, ..
        }) => Some(
            crate::model::collapse_whitespace(&inlines_to_plain(content))
                .trim()
                .to_string(),
        ),
        _ => None,
    }
}

/// How many level-1 headings the blocks hold, at any depth (an explicit stack, no recursion).
fn count_h1(blocks: &[Block]) -> usize {
    let mut count = 0;
    let mut pending: Vec<&Block> = blocks.iter().collect();
    while let Some(block) = pending.pop() {
        match block {
            Block::Heading { level: 1, .. } => count += 1,
            Block::Quote(inner) | Block::Container { blocks: inner, .. } => {
                pending.extend(inner.iter())
            }
            Block::List(list) => pending.extend(list.items.iter().flatten()),
            Block::Table(table) => pending.extend(
                table
                    .head
                    .iter()
                    .chain(&table.body)
                    .flat_map(|row| &row.cells)
                    .flat_map(|cell| &cell.content),
            ),
            _ => {}
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines that start, continue and end every kind of block, in CR LF and LF.
    const LINES: &[&str] = &[
        "",
        "   ",
        "\t",
        "para text",
        "more *emphasis",
        "still* and **strong**",
        "a hard break  ",
        "a backslash break\\",
        "- item",
        "* star item",
        "+ plus item",
        "1. one",
        "2) two",
        "10. ten",
        "  continued in the item",
        "  - nested item",
        "    - deeper item",
        "    indented code",
        "      more code",
        "> quote",
        ">",
        "> - quoted item",
        "> > nested quote",
        "lazy continuation",
        "# heading",
        "### heading ###",
        "Setext",
        "===",
        "---",
        "***",
        "___",
        "| a | b |",
        "|---|:-:|",
        "| 1 | 2 |",
        "<div>",
        "</div>",
        "<span>inline html</span>",
        "<p>para in html</p>",
        "[a link](https://example.org) and <https://example.org>",
        "[shortcut] and [full][ref]",
        "- [ ] task",
        "-",
        "1.",
        "`code span",
        "still code`",
        "\\- escaped marker",
        "~~strike~~",
        "Ünïcödé text — “quoted”",
    ];

    /// A small deterministic generator (no dependency for a test).
    fn next(state: &mut u64) -> usize {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*state >> 33) as usize
    }

    #[test]
    fn pieces_parse_to_the_events_of_the_whole() {
        let mut state = 7;
        let mut cuts = 0;
        for doc in 0..4000 {
            let lines = 2 + next(&mut state) % 40;
            let ending = if doc % 5 == 0 { "\r\n" } else { "\n" };
            let mut text = generated_document(&mut state, lines, ending);
            if doc % 7 == 0 {
                text.pop();
            }
            let whole: Vec<Event<'_>> = Parser::new_ext(&text, PARSER_OPTIONS).collect();
            let pieces: Vec<&str> = Pieces::new(&text, 1).collect();
            assert_eq!(pieces.concat(), text);
            cuts += pieces.len() - 1;
            let in_pieces: Vec<Event<'_>> = pieces
                .iter()
                .flat_map(|piece| Parser::new_ext(piece, PARSER_OPTIONS))
                .collect();
            assert_eq!(in_pieces, whole, "{text:?} cut into {pieces:?}");
        }
        assert!(cuts > 10_000, "only {cuts} cuts");
    }

    /// A generated document of `lines` lines from [`LINES`], blank lines often.
    /// Fences of every kind, and lines that look like one but are not, mixed with the other
    /// lines except those that could start an HTML block (a document with those and fences
    /// is not cut at all).
    const FENCE_LINES: &[&str] = &[
        "```",
        "```rust",
        "``` not `a fence",
        "````",
        "```   ",
        "~~~",
        "~~~~ tilde info with ` backtick",
        "  ```",
        "   ~~~",
        "    ```",
        "\t```",
        "- ```",
        "1. ~~~",
        "> ```",
        "``",
        "code line",
    ];

    #[test]
    fn pieces_cut_around_fenced_code_parse_to_the_events_of_the_whole() {
        let mut state = 11;
        let (mut cuts, mut cuts_with_fences) = (0, 0);
        let lines: Vec<&str> = FENCE_LINES
            .iter()
            .chain(LINES.iter().filter(|l| !l.starts_with('<')))
            .copied()
            .collect();
        for _ in 0..6000 {
            let mut text = String::new();
            for _ in 0..2 + next(&mut state) % 50 {
                if next(&mut state) % 3 == 0 {
                    text.push('\n');
                    continue;
                }
                // Fences half the time, so that most documents have some.
                let line = if next(&mut state) % 2 == 0 {
                    FENCE_LINES[next(&mut state) % FENCE_LINES.len()]
                } else {
                    lines[next(&mut state) % lines.len()]
                };
                text.push_str(line);
                text.push('\n');
            }
            let whole: Vec<Event<'_>> = Parser::new_ext(&text, PARSER_OPTIONS).collect();
            let pieces: Vec<&str> = Pieces::new(&text, 1).collect();
            assert_eq!(pieces.concat(), text);
            cuts += pieces.len() - 1;
            if text.contains("```") || text.contains("~~~") {
                cuts_with_fences += pieces.len() - 1;
            }
            let in_pieces: Vec<Event<'_>> = pieces
                .iter()
                .flat_map(|piece| Parser::new_ext(piece, PARSER_OPTIONS))
                .collect();
            assert_eq!(in_pieces, whole, "{text:?} cut into {pieces:?}");
        }
        assert!(
            cuts_with_fences > 5_000,
            "only {cuts_with_fences} of {cuts} cuts"
        );
    }

    /// Bare URLs are links wherever the Markdown has text: paragraphs, list items, table
    /// cells, notes, and in long documents read in pieces too; code is left alone.
    #[test]
    fn bare_urls_are_links_as_gfm_has_them() {
        let text = "Intro https://example.com/a.[^1]\n\n- www.example.org\n\n\
                    | a |\n|---|\n| x@example.com |\n\n`www.code.org`\n\n\
                    [^1]: See ftp://files.example.net/\n";
        let options = ReadOptions::default();
        let reading = read_markdown(text, &options, KEEP_EVENTS_LEN).unwrap();
        let json = serde_json::to_string(&reading.document).unwrap();
        for url in [
            "https://example.com/a",
            "http://www.example.org",
            "mailto:x@example.com",
            "ftp://files.example.net/",
        ] {
            assert!(
                json.contains(&format!("\"url\":\"{url}\"")),
                "{url}: {json}"
            );
        }
        assert!(!json.contains("http://www.code.org"), "{json}");
        let long = "Para https://example.com/x here.\n\n".repeat(2000);
        let reading = read_markdown_owned(long, &options, 4096).unwrap();
        assert_eq!(reading.document.blocks.len(), 2000);
        assert!(reading.document.blocks.iter().all(|b| matches!(
            b,
            Block::Paragraph(inlines) if matches!(&inlines[1], crate::model::Inline::Link(_))
        )));
    }

    #[test]
    fn quotes_nested_past_the_cap_read_as_they_would_uncut() {
        let options = ReadOptions::default();
        let json = |reading: Reading| {
            serde_json::to_string(&reading.document).expect("serialises")
                + &format!("{:?}", reading.warnings)
        };
        for (depth, marker) in [(MAX_QUOTE_MARKERS + 1, ">"), (3000, "> "), (2500, " >")] {
            let text = format!(
                "Before.\n\n{} deep *text*\nlazy line\n{}  - item\n\n{}\n\nAfter.\n",
                marker.repeat(depth),
                marker.repeat(depth / 2),
                "> ".repeat(depth + 7)
            );
            let capped = cap_quote_nesting(&text).expect("cut");
            assert!(capped.len() < text.len());
            // read_split_markdown does not cut: it reads the text as pulldown-cmark does.
            let uncut = json(read_split_markdown(None, &text, &options, KEEP_EVENTS_LEN).unwrap());
            let cut = json(read_markdown(&text, &options, KEEP_EVENTS_LEN).unwrap());
            assert_eq!(cut, uncut, "{depth} x {marker:?}");
            let owned = json(read_markdown_owned(text.clone(), &options, PIECE_LEN).unwrap());
            assert_eq!(owned, uncut);
        }
        // Tabs, and runs no deeper than the cap, are left as they are.
        let tabbed = format!("{}x\n", ">\t".repeat(MAX_QUOTE_MARKERS + 5));
        assert_eq!(cap_quote_nesting(&tabbed), None);
        assert_eq!(cap_quote_nesting(&"> ".repeat(MAX_QUOTE_MARKERS)), None);
    }

    fn generated_document(state: &mut u64, lines: usize, ending: &str) -> String {
        let mut text = String::new();
        for _ in 0..lines {
            // Blank lines often, so that there is much to cut.
            let line = if next(state) % 3 == 0 {
                ""
            } else {
                LINES[next(state) % LINES.len()]
            };
            text.push_str(line);
            text.push_str(ending);
        }
        text
    }

    #[test]
    fn pieces_built_backwards_read_as_the_whole() {
        let options = ReadOptions::default();
        let front_matters = [
            "",
            "---\ntitle: From the front matter\n---\n",
            "---\ntitle: [not closed\n---\n",
            "\u{feff}",
            "# The only title\n\n",
        ];
        let mut state = 11;
        let mut cut = 0;
        for doc in 0..3000 {
            let lines = 2 + next(&mut state) % 60;
            let ending = if doc % 5 == 0 { "\r\n" } else { "\n" };
            let mut text = front_matters[doc % front_matters.len()].to_string();
            text.push_str(&generated_document(&mut state, lines, ending));
            if doc % 7 == 0 {
                text.pop();
            }
            let whole = read_markdown(&text, &options, usize::MAX).unwrap();
            let whole_json = serde_json::to_string(&whole.document).unwrap();
            for piece_len in [1, 16, 100] {
                let pieces = Pieces::new(split_front_matter(&text).1, piece_len).count();
                if pieces > 1 {
                    cut += 1;
                }
                let backwards = read_markdown_owned(text.clone(), &options, piece_len).unwrap();
                assert_eq!(
                    serde_json::to_string(&backwards.document).unwrap(),
                    whole_json,
                    "{text:?} in pieces of {piece_len}"
                );
                assert_eq!(backwards.document, whole.document);
                assert_eq!(backwards.warnings, whole.warnings, "{text:?}");
            }
        }
        assert!(cut > 5_000, "only {cut} documents cut");
    }

    #[test]
    fn a_long_document_reads_the_same_owned_or_borrowed() {
        let mut state = 3;
        let mut text = String::from("---\ntitle: [not closed\n---\n");
        while text.len() < 4 * PIECE_LEN {
            text.push_str(&generated_document(&mut state, 40, "\n"));
            text.push_str("\n<div>\n\n*html* block</div>\n\nSetext\n---\n\n");
        }
        let options = ReadOptions::default();
        assert!(Pieces::new(&text, PIECE_LEN).count() >= 4);
        let borrowed = MarkdownReader.read_text(&text, &options).unwrap();
        let owned = MarkdownReader
            .read_text_owned(text.clone(), &options)
            .unwrap();
        assert_eq!(owned.document, borrowed.document);
        assert_eq!(owned.warnings, borrowed.warnings);
        assert_eq!(owned.warnings.len(), 1, "{:?}", owned.warnings);
        let blocks = &owned.document.blocks;
        assert!(blocks.len() > 1000, "{}", blocks.len());
        assert_eq!(blocks.capacity(), blocks.len());
        assert!(matches!(
            blocks.last(),
            Some(Block::Heading { level: 2, .. })
        ));
    }

    #[test]
    fn the_blocks_grow_in_few_moves_to_little_more_than_they_hold() {
        // 200 pieces of 1,000 bytes making 30 blocks each, built last to first.
        let pieces = 200;
        let mut blocks: Vec<Block> = Vec::new();
        let mut moves = 0;
        for built in 1..=pieces {
            let capacity = blocks.capacity();
            make_room(&mut blocks, 30, built * 1000, (pieces - built) * 1000);
            if blocks.capacity() != capacity {
                moves += 1;
            }
            blocks.extend(std::iter::repeat_with(|| Block::Rule).take(30));
        }
        assert_eq!(blocks.len(), 6000);
        assert!(moves <= 2, "{moves} moves");
        assert!(
            blocks.capacity() <= 6000 + 6000 / 8,
            "{}",
            blocks.capacity()
        );
        // A dense end guesses no more than a block for every 16 bytes of the rest.
        let mut blocks: Vec<Block> = Vec::new();
        make_room(&mut blocks, 1000, 1000, 160_000);
        assert!(
            blocks.capacity() <= 1000 + 10_000 * 9 / 8,
            "{}",
            blocks.capacity()
        );
    }

    #[test]
    fn footnotes_read_the_same_parsed_once_or_twice() {
        let mut text = String::from("Intro[^late] and[^x].\n\n[^x]: Early *note*[^late].\n\n");
        for i in 0..200 {
            text.push_str(&format!("- item {i}[^x]\n\n> quoted[^late]\n\n"));
        }
        text.push_str("[^late]: Late note\n    with a second paragraph[^x].\n\n    More.\n");
        let options = ReadOptions::default();
        let once = read_markdown(&text, &options, usize::MAX).unwrap().document;
        let twice = read_markdown(&text, &options, 0).unwrap().document;
        assert_eq!(twice, once);
        let plain = once.plain_text(usize::MAX);
        assert!(plain.starts_with("Intro and.\n"), "{plain}");
        let json = serde_json::to_string(&once).unwrap();
        assert_eq!(json.matches("Late note").count(), 402, "{json}");
    }

    #[test]
    fn what_reaches_across_blank_lines_is_never_cut() {
        for text in [
            "[x]\n\npara\n\n[x]: https://example.org\n",
            "a[^1]\n\npara\n\n[^1]: note\n",
            "```\ncode\n\nmore\n```\n",
            "~~~\ncode\n\nmore\n~~~\n",
            "<!--\n\ncomment\n-->\n",
            "<PRE>\n\nkept\n</PRE>\n",
        ] {
            assert_eq!(Pieces::new(text, 1).count(), 1, "{text:?}");
        }
        assert_eq!(Pieces::new("a\n\nb\n\n- c\n\nd\n", 1).count(), 3);
    }
}
