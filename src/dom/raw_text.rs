//! Cutting what the reader never reads out of a page before parsing: the content of
//! `<script>`, `<style>` and `<svg>` elements, comments, and the `<link>` tags that only
//! load things for the browser (style sheets, icons, hints to its loader).
//!
//! On real pages more than half of the bytes are scripts and style sheets (27% and 29% of
//! the article-extraction benchmark's pages), and inline drawings are a tenth of the rest,
//! all of which the tokenizer would scan character by character and the tree builder copy
//! into the tree, only for the reader to ignore them. This pass finds them with a small
//! scanner that reads tags and attributes the way the tokenizer does, so it only sees an
//! element where one really starts (in text, not inside a comment, an attribute value or a
//! raw-text element such as `<textarea>`), and cuts their content, keeping the tags. It
//! leaves alone what it cannot be sure of: JSON-LD scripts (metadata reads them), a script
//! that opens an HTML comment (where the tokenizer's escape rules could end the element
//! elsewhere than the first `</script>`), and a drawing holding a tag that would make the
//! parser leave it (`<p>` after an unclosed `<svg>`). It also cuts the attributes of a tag
//! past the first [`MAX_ATTRIBUTES`], which the tokenizer would check in quadratic time.

use super::text::contains_ignore_case;
use memchr::memmem;
use std::borrow::Cow;

/// The most attributes of one start tag that reach the parser; the rest are cut. The
/// tokenizer compares each attribute's name with every earlier one of its tag (to drop
/// repeats), so one tag with 200,000 attributes took half a minute; no page needs more than
/// a few dozen.
pub const MAX_ATTRIBUTES: usize = 256;

/// The page with the content of its `<script>` (other than JSON-LD), `<style>` and `<svg>`
/// elements and its comments cut out. Borrows the input when there is nothing to cut.
pub fn without_unread_content(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied_to = 0;
    // Replaces `from..to` with `with` (cuts it when `with` is empty). Calls come in the
    // order of the page.
    let mut replace = |from: usize, to: usize, with: &str, copied_to: &mut usize| {
        if from < to {
            let buffer = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
            buffer.push_str(html.get(*copied_to..from).unwrap_or_default());
            buffer.push_str(with);
            *copied_to = to;
        }
    };
    // Where the `noscript` name of an end tag is to become `div` (see below).
    let mut noscript_ends: Vec<usize> = Vec::new();
    // How many `<pre>` (or `<listing>`) are open, as far as their tags say: inside one,
    // whitespace is kept as it is.
    let mut preformatted = 0usize;
    let mut at = 0;
    while let Some(offset) = bytes.get(at..).and_then(|rest| memchr::memchr(b'<', rest)) {
        let lt = at + offset;
        let rest = &bytes[lt..];
        // Indentation between tags ("\n        <div>") is a tenth of a page's markup once
        // scripts are gone, and the tokenizer and the tree builder copy every byte of it
        // into text nodes that only ever read as one space. Outside preformatted text a run
        // of whitespace between two tags is kept as its first character: the same tree,
        // with the same whitespace nodes, that reads the same.
        if preformatted == 0
            && lt > at + 1
            && bytes[at..lt].iter().all(|&b| is_tag_space(b))
            && (at == 0 || bytes[at - 1] == b'>')
        {
            replace(at + 1, lt, "", &mut copied_to);
        }
        if rest.starts_with(b"<!--") {
            let Some((content_end, end)) = comment_end(bytes, lt + 4) else {
                break;
            };
            replace(lt + 4, content_end, "", &mut copied_to);
            at = end;
            continue;
        }
        let Some(&first) = rest.get(1) else { break };
        if first == b'/' && noscript_ends.first() == Some(&lt) {
            noscript_ends.remove(0);
            replace(lt + 2, lt + 2 + "noscript".len(), "div", &mut copied_to);
        }
        if first == b'/' && is_preformatted_tag(&bytes[lt + 2..]) {
            preformatted = preformatted.saturating_sub(1);
        }
        if first == b'!' || first == b'?' || first == b'/' {
            // Doctype, bogus comment or end tag: nothing to cut inside.
            match memchr::memchr(b'>', &bytes[lt..]) {
                Some(end) => at = lt + end + 1,
                None => break,
            }
            continue;
        }
        if !first.is_ascii_alphabetic() {
            at = lt + 1;
            continue;
        }
        let mut unread = Vec::new();
        let mut kept = 0usize;
        let mut rel = None;
        let Some(tag) = start_tag(bytes, lt, |a| {
            if rel.is_none() && bytes[a.name_start..a.name_end].eq_ignore_ascii_case(b"rel") {
                rel = Some(a);
            }
            if kept >= MAX_ATTRIBUTES
                || bytes
                    .get(a.name_start..a.name_end)
                    .is_some_and(is_unread_attribute)
            {
                unread.push(a);
            } else {
                kept += 1;
            }
        }) else {
            break;
        };
        let name = &bytes[lt + 1..tag.name_end];
        if name.eq_ignore_ascii_case(b"link")
            && rel.is_some_and(|rel| loads_nothing_read(&bytes[rel.name_end..rel.end]))
        {
            // A void element: the whole tag goes, and the tree only lacks it.
            replace(lt, tag.end, "", &mut copied_to);
            at = tag.end;
            continue;
        }
        if name.eq_ignore_ascii_case(b"pre") || name.eq_ignore_ascii_case(b"listing") {
            preformatted += 1;
        }
        // A page that builds its article with a script (Blogger's templates) gives readers
        // without scripts a copy in `<noscript>`, which a browser with scripts reads as
        // text: it is the only copy of the article a converter can read, so it is parsed as
        // the `<div>` it would be without scripts.
        let article_copy = (name.eq_ignore_ascii_case(b"noscript") && !tag.self_closing)
            .then(|| closing_tag(bytes, tag.end, "noscript"))
            .flatten()
            .filter(|&close| holds_article(&bytes[tag.end..close]));
        if let Some(close) = article_copy {
            replace(
                lt + 1,
                tag.name_end,
                "div data-quire-noscript",
                &mut copied_to,
            );
            noscript_ends.push(close);
        }
        for a in unread {
            replace(a.name_start, a.end, "", &mut copied_to);
        }
        if article_copy.is_some() {
            at = tag.end;
            continue;
        }
        if name.eq_ignore_ascii_case(b"svg") {
            // Drawings are never read (icons, mostly, and long path data).
            match (!tag.self_closing)
                .then(|| svg_end(bytes, tag.end))
                .flatten()
            {
                Some(close) => {
                    replace(tag.end, close, "", &mut copied_to);
                    at = close;
                }
                None => at = tag.end,
            }
            continue;
        }
        let raw = [
            "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
            "noscript",
        ]
        .into_iter()
        .find(|raw| name.eq_ignore_ascii_case(raw.as_bytes()));
        let Some(raw) = raw else {
            if name.eq_ignore_ascii_case(b"plaintext") {
                break;
            }
            at = tag.end;
            continue;
        };
        let Some(close) = closing_tag(bytes, tag.end, raw) else {
            break;
        };
        let content = &bytes[tag.end..close];
        let attributes = html.get(tag.name_end..tag.end).unwrap_or_default();
        let cut_content = match raw {
            "style" => true,
            "script" => {
                // MathJax keeps a formula's TeX in `<script type="math/tex">`: content.
                !contains_ignore_case(attributes, "ld+json")
                    && !contains_ignore_case(attributes, "math/")
                    && memmem::find(content, b"<!--").is_none()
            }
            _ => false,
        };
        if cut_content {
            replace(tag.end, close, "", &mut copied_to);
        }
        at = close + 2 + raw.len();
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut buffer) => {
            buffer.push_str(html.get(copied_to..).unwrap_or_default());
            Cow::Owned(buffer)
        }
    }
}

/// Whether the markup inside a `<noscript>` is an article: a few paragraphs and some prose,
/// not an image fallback or a "turn on JavaScript" notice.
fn holds_article(content: &[u8]) -> bool {
    const MIN_PARAGRAPHS: usize = 3;
    const MIN_TEXT_BYTES: usize = 500;
    let paragraphs = content
        .windows(3)
        .filter(|w| {
            w[0] == b'<' && w[1].eq_ignore_ascii_case(&b'p') && (w[2] == b'>' || is_tag_space(w[2]))
        })
        .take(MIN_PARAGRAPHS)
        .count();
    if paragraphs < MIN_PARAGRAPHS {
        return false;
    }
    let mut text = 0usize;
    let mut in_tag = false;
    for &b in content {
        match b {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            _ if !in_tag && !b.is_ascii_whitespace() => text += 1,
            _ => {}
        }
    }
    text >= MIN_TEXT_BYTES
}

/// A comment whose `<!--` ends just before `from`: where its text ends and where the comment
/// ends, by the tokenizer's rules (`<!-->` and `<!--->` are empty comments; `-->` or `--!>`
/// ends any other).
fn comment_end(bytes: &[u8], from: usize) -> Option<(usize, usize)> {
    let rest = bytes.get(from..)?;
    if rest.starts_with(b">") {
        return Some((from, from + 1));
    }
    if rest.starts_with(b"->") {
        return Some((from, from + 2));
    }
    let mut at = from;
    loop {
        let dashes = at + memmem::find(bytes.get(at..)?, b"--")?;
        match bytes.get(dashes + 2..) {
            Some([b'>', ..]) => return Some((dashes, dashes + 3)),
            Some([b'!', b'>', ..]) => return Some((dashes, dashes + 4)),
            _ => at = dashes + 1,
        }
    }
}

/// A start tag as the tokenizer reads it.
struct StartTag {
    /// Just after the tag name.
    name_end: usize,
    /// Just after the closing `>`.
    end: usize,
    self_closing: bool,
}

/// Reads the start tag at `lt` (a `<` followed by a letter) with the tokenizer's attribute
/// rules, so that a `>` or a quote inside an attribute value is taken the way the parser
/// takes it. `None` when the input ends inside the tag.
fn start_tag(bytes: &[u8], lt: usize, mut on_attribute: impl FnMut(Attribute)) -> Option<StartTag> {
    #[derive(Clone, Copy)]
    enum State {
        Name,
        BeforeAttributeName,
        AttributeName,
        AfterAttributeName,
        BeforeValue,
        Unquoted,
        AfterQuotedValue,
        SelfClosing,
    }
    use State::*;
    let mut state = Name;
    let mut name_end = None;
    // The attribute being read, and where its name ended.
    let mut attribute: Option<Attribute> = None;
    let mut i = lt + 1;
    loop {
        // The runs inside a tag name, an attribute name and an unquoted value change nothing
        // but where they end: skipped in a tight loop rather than a step of the machine per
        // byte (every tag of the page passes here, and the step was a fortieth of the time).
        let run_end = |from: usize, stop: fn(u8) -> bool| {
            from + bytes[from..]
                .iter()
                .position(|&b| stop(b))
                .unwrap_or(bytes.len() - from)
        };
        match state {
            Name => i = run_end(i, |b| is_tag_space(b) || b == b'/' || b == b'>'),
            AttributeName => {
                let to = run_end(i, |b| is_tag_space(b) || matches!(b, b'/' | b'>' | b'='));
                if to > i {
                    if let Some(a) = attribute.as_mut() {
                        (a.name_end, a.end) = (to, to);
                    }
                    i = to;
                }
            }
            Unquoted => {
                let to = run_end(i, |b| is_tag_space(b) || b == b'>');
                if to > i {
                    if let Some(a) = attribute.as_mut() {
                        a.end = to;
                    }
                    i = to;
                }
            }
            _ => {}
        }
        let b = *bytes.get(i)?;
        let before = state;
        let mut end = None;
        // `None`: the same character again in the new state (the standard's "reconsume").
        let mut advance = true;
        state = match state {
            Name if is_tag_space(b) || b == b'/' || b == b'>' => {
                name_end = Some(i);
                advance = false;
                BeforeAttributeName
            }
            Name => Name,
            BeforeAttributeName | AfterAttributeName if is_tag_space(b) => state,
            BeforeAttributeName if b == b'/' || b == b'>' => {
                advance = false;
                AfterAttributeName
            }
            AttributeName if is_tag_space(b) || b == b'/' || b == b'>' => {
                advance = false;
                AfterAttributeName
            }
            AttributeName | AfterAttributeName if b == b'=' => BeforeValue,
            AfterAttributeName | AfterQuotedValue if b == b'/' => SelfClosing,
            AfterAttributeName | AfterQuotedValue | BeforeValue | Unquoted if b == b'>' => {
                end = Some(false);
                state
            }
            BeforeValue if is_tag_space(b) => BeforeValue,
            BeforeValue if b == b'"' || b == b'\'' => {
                i += 1 + memchr::memchr(b, bytes.get(i + 1..)?)?;
                AfterQuotedValue
            }
            BeforeValue => {
                advance = false;
                Unquoted
            }
            Unquoted if is_tag_space(b) => BeforeAttributeName,
            Unquoted => Unquoted,
            AfterQuotedValue if is_tag_space(b) => BeforeAttributeName,
            SelfClosing if b == b'>' => {
                end = Some(true);
                state
            }
            AfterQuotedValue | SelfClosing => {
                advance = false;
                BeforeAttributeName
            }
            // Any other character (an `=` too, before a name) starts or continues a name.
            BeforeAttributeName | AttributeName | AfterAttributeName => AttributeName,
        };
        // Where the attribute being read ends so far: after each character that belongs to
        // it (its name, the `=`, its value's characters and quotes; not the tag's `>`).
        match (before, state) {
            (BeforeAttributeName | AfterAttributeName, AttributeName) => {
                on_attribute_end(&mut attribute, &mut on_attribute);
                attribute = Some(Attribute {
                    name_start: i,
                    name_end: i + 1,
                    end: i + 1,
                });
            }
            (AttributeName, AttributeName) if advance => {
                if let Some(a) = attribute.as_mut() {
                    (a.name_end, a.end) = (i + 1, i + 1);
                }
            }
            (AttributeName | AfterAttributeName, BeforeValue) | (BeforeValue, AfterQuotedValue) => {
                if let Some(a) = attribute.as_mut() {
                    a.end = i + 1;
                }
            }
            (Unquoted, Unquoted) if advance && end.is_none() => {
                if let Some(a) = attribute.as_mut() {
                    a.end = i + 1;
                }
            }
            _ => {}
        }
        if let Some(self_closing) = end {
            on_attribute_end(&mut attribute, &mut on_attribute);
            return Some(StartTag {
                name_end: name_end.unwrap_or(i),
                end: i + 1,
                self_closing,
            });
        }
        if advance {
            i += 1;
        }
    }
}

/// Hands a finished attribute to the caller.
fn on_attribute_end(attribute: &mut Option<Attribute>, on_attribute: &mut impl FnMut(Attribute)) {
    if let Some(a) = attribute.take() {
        on_attribute(a);
    }
}

/// An attribute in a start tag: its name, then its value if it has one, up to `end`.
#[derive(Debug, Clone, Copy)]
struct Attribute {
    name_start: usize,
    name_end: usize,
    end: usize,
}

/// Attributes lazy-loading scripts keep an image's URL in while `src` holds a placeholder
/// (the HTML reader's converter reads them, so this pass keeps them).
pub const LAZY_SRC_ATTRIBUTES: &[&str] = &[
    "data-src",
    "data-lazy-src",
    "data-original",
    "data-original-src",
    "data-hi-res-src",
];

/// Attributes lazy-loading scripts keep a `srcset` in.
pub const LAZY_SRCSET_ATTRIBUTES: &[&str] = &["data-srcset", "data-lazy-srcset"];

/// Attributes the reader never reads, which are a tenth of what is left of a page once its
/// scripts and styles are gone: `data-*` (other than the lazy-loading image sources the
/// converter reads), `aria-*` (other than `aria-hidden`) and event handlers (`on*`).
fn is_unread_attribute(name: &[u8]) -> bool {
    let starts = |prefix: &[u8]| {
        name.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
    };
    let is = |other: &[u8]| name.eq_ignore_ascii_case(other);
    if starts(b"data-") {
        // Lazy-loading scripts of one site name theirs as they like (`data-lazyloader-src`):
        // any that says `src` may hold the picture.
        !(LAZY_SRC_ATTRIBUTES
            .iter()
            .chain(LAZY_SRCSET_ATTRIBUTES)
            .any(|lazy| is(lazy.as_bytes()))
            || memmem::find(&name.to_ascii_lowercase(), b"src").is_some())
    } else if starts(b"aria-") {
        !is(b"aria-hidden")
    } else {
        starts(b"on")
    }
}

/// What a `<link>` loads for the browser alone, by its `rel` tokens: style sheets, icons,
/// and hints to the browser's loader. Pages carry dozens of these tags in their head (a
/// twentieth of what is left of the markup once scripts are gone), and the reader never
/// reads them (it reads `canonical` and `next`, and the feed finder `alternate`).
const UNREAD_LINK_RELS: &[&[u8]] = &[
    b"stylesheet",
    b"preload",
    b"prefetch",
    b"preconnect",
    b"dns-prefetch",
    b"modulepreload",
    b"prerender",
    b"icon",
    b"shortcut",
    b"apple-touch-icon",
    b"apple-touch-icon-precomposed",
    b"mask-icon",
    b"manifest",
];

/// Whether a `rel` attribute (what follows its name: `="…"`, or nothing) names only
/// [`UNREAD_LINK_RELS`]. A value with a character reference is left to the parser.
fn loads_nothing_read(after_name: &[u8]) -> bool {
    let value = after_name
        .iter()
        .position(|&b| b == b'=')
        .map_or(&[][..], |eq| &after_name[eq + 1..]);
    let value = value.trim_ascii();
    let value = match value {
        [quote @ (b'"' | b'\''), inner @ .., last] if last == quote => inner,
        _ => value,
    };
    let mut tokens = value
        .split(|&b| is_tag_space(b))
        .filter(|token| !token.is_empty())
        .peekable();
    tokens.peek().is_some()
        && !value.contains(&b'&')
        && tokens.all(|token| {
            UNREAD_LINK_RELS
                .iter()
                .any(|rel| token.eq_ignore_ascii_case(rel))
        })
}

/// Where the `<svg>` element whose content starts at `from` ends (the position of its
/// `</svg`), counting nested drawings and skipping comments and CDATA sections. `None`
/// unless that is sure: when the content holds a tag that makes the parser leave the drawing
/// (`<p>`, `<div>`, … after an unclosed `<svg>`), or the input ends first.
fn svg_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut depth = 1usize;
    let mut at = from;
    loop {
        let lt = at + memchr::memchr(b'<', bytes.get(at..)?)?;
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            at = comment_end(bytes, lt + 4)?.1;
        } else if rest.starts_with(b"<![CDATA[") {
            at = lt + 9 + memmem::find(bytes.get(lt + 9..)?, b"]]>")? + 3;
        } else if rest.get(1) == Some(&b'/') {
            let name_end = lt
                + 2
                + rest[2..]
                    .iter()
                    .position(|b| is_tag_space(*b) || matches!(b, b'/' | b'>'))?;
            if bytes[lt + 2..name_end].eq_ignore_ascii_case(b"svg") {
                depth -= 1;
                if depth == 0 {
                    return Some(lt);
                }
            }
            at = lt + 2;
        } else if rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            let tag = start_tag(bytes, lt, |_| {})?;
            let name = bytes[lt + 1..tag.name_end].to_ascii_lowercase();
            if LEAVES_FOREIGN_CONTENT.contains(&&name[..]) {
                return None;
            }
            if name == b"svg" && !tag.self_closing {
                depth += 1;
            }
            at = tag.end;
        } else {
            at = lt + 1;
        }
    }
}

/// Start tags that end foreign content (the HTML standard's list, plus `font`, which does
/// with some attributes).
const LEAVES_FOREIGN_CONTENT: &[&[u8]] = &[
    b"b",
    b"big",
    b"blockquote",
    b"body",
    b"br",
    b"center",
    b"code",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"embed",
    b"font",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"hr",
    b"i",
    b"img",
    b"li",
    b"listing",
    b"menu",
    b"meta",
    b"nobr",
    b"ol",
    b"p",
    b"pre",
    b"ruby",
    b"s",
    b"small",
    b"span",
    b"strike",
    b"strong",
    b"sub",
    b"sup",
    b"table",
    b"tt",
    b"u",
    b"ul",
    b"var",
];

/// Whether `name_on` (what follows `</`) names `pre` or `listing`, whose whitespace the
/// parser keeps.
fn is_preformatted_tag(name_on: &[u8]) -> bool {
    ["pre", "listing"].iter().any(|name| {
        name_on
            .get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && name_on
                .get(name.len())
                .is_none_or(|&b| is_tag_space(b) || b == b'/' || b == b'>')
    })
}

/// The whitespace that ends a tag name or separates attributes (the tokenizer's list).
fn is_tag_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// The position of the `</name` that ends a raw-text element whose content starts at `from`
/// (case-insensitive, followed by a space, `/` or `>`, as the tokenizer requires).
fn closing_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    loop {
        let found = at + memmem::find(bytes.get(at..)?, b"</")?;
        let name_at = found + 2;
        let candidate = bytes.get(name_at..name_at + name.len())?;
        let after = bytes.get(name_at + name.len()).copied();
        if candidate.eq_ignore_ascii_case(name.as_bytes())
            && after.is_none_or(|b| b == b'>' || b == b'/' || is_tag_space(b))
        {
            return Some(found);
        }
        at = found + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::without_unread_content as cut;

    #[test]
    fn scripts_and_styles_lose_their_content_and_keep_their_tags() {
        assert_eq!(
            cut("<p>a</p><script>var x = '<p>';</script><STYLE type=x>p{}</STYLE><p>b</p>"),
            "<p>a</p><script></script><STYLE type=x></STYLE><p>b</p>"
        );
    }

    #[test]
    fn json_ld_and_commented_scripts_are_kept() {
        let ld = r#"<script type="application/ld+json">{"a":1}</script>"#;
        assert_eq!(cut(ld), ld);
        let escaped = "<script><!-- document.write('<script>x</script>') --></script><p>t</p>";
        assert_eq!(cut(escaped), escaped);
    }

    #[test]
    fn script_look_alikes_are_not_elements() {
        for input in [
            "<!-- <script> --><p>kept</p><script>x</script>",
            "<div title='<script>'>kept</div><script>x</script>",
            "<textarea><script></textarea><p>kept</p>",
            "<title>a <style> b</title><p>kept</p>",
        ] {
            let out = cut(input);
            assert!(out.contains("kept"), "{input} → {out}");
        }
        assert_eq!(
            cut("<div title=\"a>b\"><script>x</script>"),
            "<div title=\"a>b\"><script></script>"
        );
    }

    #[test]
    fn indentation_between_tags_shrinks_to_one_character_outside_preformatted_text() {
        assert_eq!(
            cut("<div>\n    <p>a  b</p>\n\n    <p>c</p> \t</div>"),
            "<div>\n<p>a  b</p>\n<p>c</p> </div>"
        );
        // Text with words, and whitespace after a `<` that opens no tag, is left alone.
        assert_eq!(cut("<p> x  </p>a <  \n <b>"), "<p> x  </p>a <  \n <b>");
        // Inside `<pre>` and `<listing>` (nested, in any case), every space is kept; after
        // the last one closes, indentation shrinks again.
        let pre = "<PRE class=x>\n  <b>a</b>\n    <i>b</i>\n  <pre>\n   </pre>\n  </pre>\n  <p>";
        assert_eq!(cut(pre), pre.replace("</pre>\n  <p>", "</pre>\n<p>"));
        let listing = "<listing>\n    <b>a</b>\n  </listing >  <p>";
        assert_eq!(cut(listing), "<listing>\n    <b>a</b>\n  </listing > <p>");
        // Names that only start like `pre` are not preformatted.
        assert_eq!(cut("<prefix>\n  <b>"), "<prefix>\n<b>");
    }

    #[test]
    fn shrinking_indentation_changes_no_text_that_reads() {
        use crate::dom::{parse, text_content};
        use crate::model::collapse_whitespace;
        let page = "<html>\n  <body>\n    <table>\n      <tr>\n        <td>a</td>\n        \
            <td>b</td>\n      </tr>\n    </table>\n    <p>\n      <b>x</b>\n      <i>y</i>\n    \
            </p>\n    <pre>\n  code\n    <b>more</b>\n</pre>\n  </body>\n</html>";
        let parsed = parse::parse(page);
        let text = text_content(&parsed.dom.document);
        // The words read the same, one space apart, and the code block keeps its lines.
        assert_eq!(collapse_whitespace(&text).trim(), "a b x y code more");
        assert!(text.contains("  code\n    more\n"), "{text:?}");
    }

    #[test]
    fn drawings_and_comments_lose_their_content() {
        assert_eq!(
            cut("<p>a</p><svg viewBox='0 0 1 1'><path d=\"M0 0\"/><title>x</title></svg><p>b</p>"),
            "<p>a</p><svg viewBox='0 0 1 1'></svg><p>b</p>"
        );
        assert_eq!(
            cut("<SVG><svg><g/></svg><![CDATA[</svg>]]><text>t</text></SVG><p>b</p>"),
            "<SVG></SVG><p>b</p>"
        );
        assert_eq!(cut("<p>a<!-- note --></p>"), "<p>a<!----></p>");
        assert_eq!(cut("<!-->kept<!-- x --!>b"), "<!-->kept<!----!>b");
        assert_eq!(cut("<!--->kept<!-- a --->"), "<!--->kept<!---->");
    }

    #[test]
    fn an_article_in_noscript_is_parsed_as_markup_and_a_fallback_is_not() {
        let prose = "<p>A paragraph of the article that is long enough to be prose, with \
            words and more words in it, as an article has.</p>";
        let article = format!(
            "<noscript class=x><h2>Title</h2>{}</noscript><p>after</p>",
            prose.repeat(8)
        );
        let out = cut(&article);
        assert!(
            out.starts_with("<div data-quire-noscript class=x><h2>"),
            "{out}"
        );
        assert!(out.ends_with("</div><p>after</p>"), "{out}");
        // Scripts inside the copy are still emptied.
        let with_script = article.replace("<h2>", "<script>var a = 1;</script><h2>");
        assert!(cut(&with_script).contains("<script></script><h2>"));
        for kept in [
            "<noscript><img src=a.jpg></noscript><p>b</p>",
            "<noscript><p>Please turn on JavaScript.</p></noscript>",
            "<noscript>text</noscript>",
        ] {
            assert_eq!(cut(kept), kept);
        }
    }

    #[test]
    fn drawings_the_parser_would_leave_are_kept() {
        for input in [
            "<svg><path d='M0'><p>article text</p></svg>",
            "<svg/><p>article text</p></svg>",
            "<svg><g><div>article text</div>",
        ] {
            assert_eq!(cut(input), input);
        }
    }

    #[test]
    fn attributes_are_read_the_way_the_tokenizer_reads_them() {
        // An unquoted value takes quotes as characters; a name may start with `=`.
        assert_eq!(
            cut("<div title=a\"b><script>x</script>\""),
            "<div title=a\"b><script></script>\""
        );
        assert_eq!(
            cut("<x =\"a><script>x</script>\""),
            "<x =\"a><script></script>\""
        );
        // A quote after `=` and spaces opens a value that may hold `>`.
        assert_eq!(
            cut("<a href = '>'><script>x</script>"),
            "<a href = '>'><script></script>"
        );
        // A tag name runs to a space, `/` or `>`: `<script:x>` is no script.
        let namespaced = "<script:x>kept</script><p>b</p>";
        assert_eq!(cut(namespaced), namespaced);
    }

    #[test]
    fn unread_attributes_are_cut() {
        assert_eq!(
            cut("<div data-x='1' class=a data-y=2 aria-label=\"x\" onclick=\"go()\">t</div>"),
            "<div  class=a   >t</div>"
        );
        assert_eq!(
            cut("<img data-src=a.png data-Track = \"x\" aria-hidden=true alt=b data-z>"),
            "<img data-src=a.png  aria-hidden=true alt=b >"
        );
        assert_eq!(cut("<p data-x=>a</p>"), "<p >a</p>");
        // Lazy-loading sources, under any name that says `src`, are read.
        assert_eq!(
            cut("<img data-lazy-srcset='a 2x' data-LazyLoader-Src=b data-id=7>"),
            "<img data-lazy-srcset='a 2x' data-LazyLoader-Src=b >"
        );
        // `/` belongs to an unquoted value: the tag is not self-closing.
        assert_eq!(cut("<p data-x=v/>a</p>"), "<p >a</p>");
    }

    #[test]
    fn attributes_past_the_cap_are_cut_and_unread_ones_do_not_count() {
        let many: String = (0..super::MAX_ATTRIBUTES + 50)
            .map(|i| format!(" data-u{i}=x a{i}=\"{i}\""))
            .collect();
        let page = format!("<p{many}>text</p><a href=x>b</a>");
        let out = cut(&page);
        let kept: String = (0..super::MAX_ATTRIBUTES)
            .map(|i| format!("  a{i}=\"{i}\""))
            .collect();
        let dropped = "  ".repeat(50);
        assert_eq!(out, format!("<p{kept}{dropped}>text</p><a href=x>b</a>"));
    }

    #[test]
    fn links_that_load_for_the_browser_alone_are_cut_and_links_the_reader_reads_are_kept() {
        assert_eq!(
            cut(
                "<head><link rel=stylesheet href=a.css><LINK REL='shortcut icon' href=i>\
                 <link rel=\"preload dns-prefetch\" href=x /><title>t</title></head>"
            ),
            "<head><title>t</title></head>"
        );
        for kept in [
            "<link rel=canonical href=https://a.example/x>",
            "<link rel=\"next\" href=2.html>",
            "<link rel=alternate type=application/rss+xml href=f>",
            // One token the reader reads keeps the tag.
            "<link rel=\"stylesheet alternate\" href=b.css>",
            // A character reference, an empty or a missing rel: left to the parser.
            "<link rel=\"icon&#32;x\" href=i>",
            "<link rel=\"\" href=i>",
            "<link href=i>",
            // Not a link tag.
            "<linker rel=stylesheet>",
        ] {
            assert_eq!(cut(kept), kept);
        }
        // Inside raw text a link tag is text.
        let text = "<textarea><link rel=stylesheet href=a></textarea>";
        assert_eq!(cut(text), text);
    }

    #[test]
    fn unclosed_and_odd_endings_are_left_to_the_parser() {
        assert_eq!(cut("<p>a<script>never closed"), "<p>a<script>never closed");
        assert_eq!(cut("<script>a</scripty>b</script >"), "<script></script >");
        assert_eq!(cut("<"), "<");
        assert_eq!(cut("<p"), "<p");
        assert_eq!(cut("<script"), "<script");
        assert_eq!(cut("é<script>ü</script>ß"), "é<script></script>ß");
    }
}
