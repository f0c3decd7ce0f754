//! A tokenizer for the pages the pre-pass leaves ([`raw_text`](super::raw_text)): tags,
//! attributes, text and character references, found with `memchr` rather than one state
//! transition per character.
//!
//! html5ever's tokenizer reads every character through its state machine, pushing tag and
//! attribute names into buffers one character at a time; on the extraction benchmarks that
//! was a third of quire's time. Once the pre-pass has cut scripts, style sheets, drawings and
//! comments, what is left is nearly all plain markup, which this scanner reads in runs: text
//! up to the next `<` or `&`, a quoted attribute value up to its quote. It hands the tree
//! builder the tokens html5ever's tokenizer would (text may come in longer runs, which the
//! tree builder joins the same way), and obeys the tree builder's switches into raw text
//! (`<title>`, `<textarea>`, `<style>`, `<script>`, `<plaintext>`).
//!
//! It follows the HTML standard's tokenizer (the escaped states of a script that opens an
//! HTML comment, malformed DOCTYPEs and the quirks they imply, CDATA sections in SVG and
//! MathML included) and leaves one rare thing to html5ever ([`Unsupported`]): a page that
//! ends inside a tag, a comment or a DOCTYPE. The caller then parses the page again with
//! html5ever's tokenizer, so such a page costs more time, never a different tree. The tests
//! compare the two trees on written pages and on every page of the shared corpus (none of
//! whose 695 pages is left to html5ever).
//!
//! The input must hold no NUL (the reader removes control characters) and no carriage return
//! (the caller turns CR LF and lone CR into LF, as the standard's input stream does).

use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    CharacterTokens, CommentToken, Doctype, DoctypeToken, EOFToken, EndTag, ParseError, StartTag,
    Tag, TagKind, TagToken, Token, TokenSink, TokenSinkResult,
};
use html5ever::{ns, Attribute, LocalName, QualName};
use memchr::memmem;

/// The page holds something this scanner leaves to html5ever's tokenizer (see the module
/// docs). Tokens already given to the sink are not taken back: the caller starts over.
#[derive(Debug, PartialEq, Eq)]
pub struct Unsupported(pub &'static str);

const ENDS_IN_DOCTYPE: &str = "a DOCTYPE that the page ends in";

/// How many bytes of the page one shared buffer holds. Text and attribute values are views of
/// such a buffer (html5ever's tokenizer does the same with the chunks it is fed), so the tree
/// never holds a second copy of the whole page, only of the segments whose text it still uses.
const SEGMENT_LEN: usize = 64 * 1024;

/// Tendrils this short are stored inline (no shared buffer, no allocation).
const INLINE_LEN: usize = 8;

/// Tokenizes `html` into `sink`, ending with the end-of-file token (the caller then calls
/// `sink.end()`). `html` holds no NUL and no carriage return.
pub fn tokenize<S: TokenSink>(html: &str, sink: &S) -> Result<(), Unsupported> {
    debug_assert!(!html.contains(['\0', '\r']));
    if u32::try_from(html.len()).is_err() {
        return Err(Unsupported("a page over 4 GiB"));
    }
    // The tokenizer's default drops a byte order mark at the start.
    let start = if html.starts_with('\u{feff}') { 3 } else { 0 };
    let mut scanner = Scanner {
        html,
        bytes: html.as_bytes(),
        pos: start,
        sink,
        text: PendingText::Empty,
        segment: Segment {
            start: 0,
            buffer: StrTendril::new(),
        },
    };
    scanner.run()
}

struct Scanner<'a, S> {
    html: &'a str,
    bytes: &'a [u8],
    /// The next byte to read.
    pos: usize,
    sink: &'a S,
    /// Character data read and not yet given to the sink: it goes as one token before the
    /// next tag, comment, DOCTYPE or the end.
    text: PendingText,
    segment: Segment,
}

/// Character data waiting for the sink: a range of the page, or, once a character reference
/// or a gap broke the range, a string of its own.
enum PendingText {
    Empty,
    Range(usize, usize),
    Owned(String),
}

/// The shared buffer that ranges of the page are taken from (see [`SEGMENT_LEN`]).
struct Segment {
    /// Where the buffer starts in the page.
    start: usize,
    buffer: StrTendril,
}

/// A decoded character reference.
struct CharRef {
    chars: (char, Option<char>),
    /// Where the reference ends in the page.
    end: usize,
    /// Whether the standard calls it a parse error (no semicolon, or a number that is no
    /// character): see [`Scanner::parse_error_before_text`].
    error: bool,
}

/// The whitespace of the tokenizer's tag states (CR is gone already).
fn is_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | b'\x0c' | b' ')
}

/// Whether the byte ends a tag's name: a space, `/` or `>`.
fn ends_tag_name(byte: u8) -> bool {
    is_space(byte) || matches!(byte, b'/' | b'>')
}

/// `at`, or the first byte after it that is not a space.
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).copied().is_some_and(is_space) {
        at += 1;
    }
    at
}

/// The value of a parsed attribute: a range of the page, or decoded text.
enum Value {
    Range(usize, usize),
    Owned(String),
}

impl<S: TokenSink> Scanner<'_, S> {
    fn run(&mut self) -> Result<(), Unsupported> {
        while self.pos < self.bytes.len() {
            let rest = &self.bytes[self.pos..];
            let Some(offset) = memchr::memchr2(b'<', b'&', rest) else {
                self.push_range(self.pos, self.bytes.len());
                self.pos = self.bytes.len();
                break;
            };
            let at = self.pos + offset;
            self.push_range(self.pos, at);
            if self.bytes[at] == b'&' {
                self.pos = at + 1;
                match self.char_ref(at + 1, self.bytes.len(), false) {
                    Some(reference) => {
                        if reference.error {
                            self.parse_error_before_text();
                        }
                        self.push_chars(reference.chars);
                        self.pos = reference.end;
                    }
                    None => self.push_range(at, at + 1),
                }
            } else {
                self.pos = at;
                self.markup()?;
            }
        }
        self.flush_text();
        self.emit(EOFToken);
        Ok(())
    }

    /// Gives the sink a token that is not a tag (only tags switch the tokenizer's state).
    fn emit(&self, token: Token) {
        let _ = self.emit_tag(token);
    }

    /// Tells the sink of a parse error that html5ever's tokenizer reports between tokens
    /// (a character reference without its semicolon, `</>`), when no text has come since the
    /// last token. The tree builder drops the line feed that opens a `<pre>`, `<listing>` or
    /// `<textarea>` only when it is the very next token, and html5ever's error token comes
    /// between them: `<pre>&#10x` keeps its line feed there. Other parse errors are not
    /// reported: nothing else in the tree depends on them.
    fn parse_error_before_text(&self) {
        if matches!(self.text, PendingText::Empty) {
            self.emit(ParseError(std::borrow::Cow::Borrowed("parse error")));
        }
    }

    /// Gives the sink a token and returns what it asks of the tokenizer.
    fn emit_tag(&self, token: Token) -> TokenSinkResult<S::Handle> {
        // The line number only goes into parse errors, which nothing reads.
        self.sink.process_token(token, 1)
    }

    // ---- character data ----

    fn push_range(&mut self, from: usize, to: usize) {
        if from >= to {
            return;
        }
        match &mut self.text {
            PendingText::Empty => self.text = PendingText::Range(from, to),
            PendingText::Range(_, end) if *end == from => *end = to,
            PendingText::Range(start, end) => {
                let mut owned = String::with_capacity(*end - *start + to - from);
                owned.push_str(&self.html[*start..*end]);
                owned.push_str(&self.html[from..to]);
                self.text = PendingText::Owned(owned);
            }
            PendingText::Owned(owned) => owned.push_str(&self.html[from..to]),
        }
    }

    fn push_chars(&mut self, chars: (char, Option<char>)) {
        let mut buffer = [0; 8];
        let first = chars.0.encode_utf8(&mut buffer).len();
        let len = first
            + chars
                .1
                .map_or(0, |c| c.encode_utf8(&mut buffer[first..]).len());
        let text = std::str::from_utf8(&buffer[..len]).unwrap_or_default();
        self.push_str(text);
    }

    /// Adds text that is not a range of the page (decoded references).
    fn push_str(&mut self, text: &str) {
        let mut owned = match std::mem::replace(&mut self.text, PendingText::Empty) {
            PendingText::Empty => String::new(),
            PendingText::Range(start, end) => self.html[start..end].to_owned(),
            PendingText::Owned(owned) => owned,
        };
        owned.push_str(text);
        self.text = PendingText::Owned(owned);
    }

    fn flush_text(&mut self) {
        let tendril = match std::mem::replace(&mut self.text, PendingText::Empty) {
            PendingText::Empty => return,
            PendingText::Range(start, end) => self.tendril(start, end),
            PendingText::Owned(owned) => StrTendril::from(owned),
        };
        self.emit(CharacterTokens(tendril));
    }

    /// `from..to` of the page as a tendril: a view of the current segment, or of a new one
    /// that starts at `from`.
    fn tendril(&mut self, from: usize, to: usize) -> StrTendril {
        if to - from <= INLINE_LEN {
            return StrTendril::from_slice(&self.html[from..to]);
        }
        let segment_end = self.segment.start + self.segment.buffer.len();
        if from < self.segment.start {
            // Ranges come in the order of the page; one that does not is copied on its own
            // rather than starting a segment behind the current one.
            return StrTendril::from_slice(&self.html[from..to]);
        }
        if self.segment.buffer.is_empty() || to > segment_end {
            let mut end = (from + SEGMENT_LEN).max(to).min(self.html.len());
            while !self.html.is_char_boundary(end) {
                end += 1;
            }
            self.segment = Segment {
                start: from,
                buffer: StrTendril::from_slice(&self.html[from..end]),
            };
        }
        // Both fit in u32: the page does (checked in `tokenize`).
        let offset = (from - self.segment.start) as u32;
        self.segment.buffer.subtendril(offset, (to - from) as u32)
    }

    // ---- character references ----

    /// The character reference that starts at `at` (just after its `&`), read no further than
    /// `limit`: its characters and where it ends, or `None` when the `&` is a plain character.
    fn char_ref(&self, at: usize, limit: usize, in_attribute: bool) -> Option<CharRef> {
        let bytes = &self.bytes[..limit];
        match bytes.get(at)? {
            b'#' => self.numeric_ref(at + 1, limit),
            byte if byte.is_ascii_alphanumeric() => {
                // The longest name in the table that the input starts with. The table also
                // holds every prefix of every name (with no characters), so the search stops
                // at the first prefix that leads nowhere.
                let mut matched = None;
                let mut len = 0;
                while at + len < bytes.len()
                    && (bytes[at + len].is_ascii_alphanumeric() || bytes[at + len] == b';')
                {
                    len += 1;
                    match NAMED_ENTITIES.get(&self.html[at..at + len]) {
                        None => break,
                        Some(&(0, _)) => {}
                        Some(&chars) => matched = Some((len, chars)),
                    }
                    if bytes[at + len - 1] == b';' {
                        break;
                    }
                }
                let (len, (first, second)) = matched?;
                let end = at + len;
                // In an attribute, a name without its semicolon followed by `=` or a letter
                // or digit is left as it is ("?a=1&copy=2"), for historical reasons.
                if in_attribute
                    && bytes[end - 1] != b';'
                    && bytes
                        .get(end)
                        .is_some_and(|b| *b == b'=' || b.is_ascii_alphanumeric())
                {
                    return None;
                }
                let first = char::from_u32(first)?;
                let second = if second == 0 {
                    None
                } else {
                    Some(char::from_u32(second)?)
                };
                Some(CharRef {
                    chars: (first, second),
                    end,
                    error: bytes[end - 1] != b';',
                })
            }
            _ => None,
        }
    }

    /// A numeric reference after its `&#`.
    fn numeric_ref(&self, at: usize, limit: usize) -> Option<CharRef> {
        let bytes = &self.bytes[..limit];
        let (radix, digits) = match bytes.get(at) {
            Some(b'x' | b'X') => (16, at + 1),
            _ => (10, at),
        };
        let mut end = digits;
        let mut value: u32 = 0;
        let mut too_big = false;
        while let Some(digit) = bytes.get(end).and_then(|b| (*b as char).to_digit(radix)) {
            value = value.saturating_mul(radix).saturating_add(digit);
            too_big |= value > 0x10FFFF;
            end += 1;
        }
        if end == digits {
            return None;
        }
        let semicolon = bytes.get(end) == Some(&b';');
        end += usize::from(semicolon);
        let (c, bad_value) = match value {
            _ if too_big => ('\u{fffd}', true),
            0 | 0xD800..=0xDFFF => ('\u{fffd}', true),
            0x80..=0x9F => (
                C1_REPLACEMENTS[(value - 0x80) as usize]
                    .or_else(|| char::from_u32(value))
                    .unwrap_or('\u{fffd}'),
                true,
            ),
            0x01..=0x08 | 0x0B | 0x0D..=0x1F | 0x7F | 0xFDD0..=0xFDEF => {
                (char::from_u32(value).unwrap_or('\u{fffd}'), true)
            }
            _ => (
                char::from_u32(value).unwrap_or('\u{fffd}'),
                value & 0xFFFE == 0xFFFE,
            ),
        };
        Some(CharRef {
            chars: (c, None),
            end,
            error: !semicolon || bad_value,
        })
    }

    /// `from..to` with its character references decoded (for attribute values and RCDATA).
    fn decoded(&self, from: usize, to: usize, in_attribute: bool) -> Value {
        let Some(first) = memchr::memchr(b'&', &self.bytes[from..to]) else {
            return Value::Range(from, to);
        };
        let mut out = String::with_capacity(to - from);
        let mut copied = from;
        let mut at = from + first;
        loop {
            if let Some(reference) = self.char_ref(at + 1, to, in_attribute) {
                out.push_str(&self.html[copied..at]);
                out.push(reference.chars.0);
                out.extend(reference.chars.1);
                copied = reference.end;
                at = reference.end;
            } else {
                at += 1;
            }
            match memchr::memchr(b'&', &self.bytes[at..to]) {
                Some(offset) => at += offset,
                None => break,
            }
        }
        out.push_str(&self.html[copied..to]);
        Value::Owned(out)
    }

    // ---- markup ----

    /// What starts with the `<` at `self.pos`.
    fn markup(&mut self) -> Result<(), Unsupported> {
        let at = self.pos;
        match self.bytes.get(at + 1) {
            Some(b) if b.is_ascii_alphabetic() => self.tag(StartTag, at + 1),
            Some(b'/') => match self.bytes.get(at + 2) {
                Some(b) if b.is_ascii_alphabetic() => self.tag(EndTag, at + 2),
                // `</>` is dropped.
                Some(b'>') => {
                    self.parse_error_before_text();
                    self.pos = at + 3;
                    Ok(())
                }
                Some(_) => {
                    self.bogus_comment(at + 2);
                    Ok(())
                }
                None => {
                    self.push_range(at, at + 2);
                    self.pos = at + 2;
                    Ok(())
                }
            },
            Some(b'!') => self.declaration(at + 2),
            Some(b'?') => {
                self.bogus_comment(at + 1);
                Ok(())
            }
            // A `<` that starts nothing is text.
            _ => {
                self.push_range(at, at + 1);
                self.pos = at + 1;
                Ok(())
            }
        }
    }

    /// A comment that runs from `from` to the next `>` (`<?xml …>`, `</3>`, `<!x>`).
    fn bogus_comment(&mut self, from: usize) {
        let end = memchr::memchr(b'>', &self.bytes[from..]).map_or(self.bytes.len(), |o| from + o);
        self.comment_token(from, end);
        self.pos = (end + 1).min(self.bytes.len());
    }

    fn comment_token(&mut self, from: usize, to: usize) {
        self.flush_text();
        let data = self.tendril(from, to);
        self.emit(CommentToken(data));
    }

    /// What follows `<!`: a comment, a DOCTYPE, or a bogus comment.
    fn declaration(&mut self, at: usize) -> Result<(), Unsupported> {
        let rest = &self.bytes[at..];
        if rest.starts_with(b"--") {
            self.comment(at + 2)
        } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            self.doctype(at + 7)
        } else if rest.starts_with(b"[CDATA[") {
            // A CDATA section in SVG or MathML, a bogus comment elsewhere: which one depends
            // on the tree builder's current node, which the text before may move.
            self.flush_text();
            if !self
                .sink
                .adjusted_current_node_present_but_not_in_html_namespace()
            {
                self.bogus_comment(at);
                return Ok(());
            }
            let from = at + 7;
            let end =
                memmem::find(&self.bytes[from..], b"]]>").map_or(self.bytes.len(), |o| from + o);
            self.push_range(from, end);
            self.pos = (end + 3).min(self.bytes.len());
            Ok(())
        } else {
            self.bogus_comment(at);
            Ok(())
        }
    }

    /// A comment whose data starts at `from` (after `<!--`). It ends at the first `-->` or
    /// `--!>`; `<!-->` and `<!--->` are empty comments.
    fn comment(&mut self, from: usize) -> Result<(), Unsupported> {
        let rest = &self.bytes[from..];
        for opening in [&b">"[..], b"->"] {
            if rest.starts_with(opening) {
                self.comment_token(from, from);
                self.pos = from + opening.len();
                return Ok(());
            }
        }
        let mut search = 0;
        loop {
            let dashes = search
                + memmem::find(&rest[search..], b"--")
                    .ok_or(Unsupported("a comment that the page ends in"))?;
            // Dashes beyond two belong to the data.
            let mut after = dashes + 2;
            while rest.get(after) == Some(&b'-') {
                after += 1;
            }
            let close = match rest.get(after..) {
                Some([b'>', ..]) => 1,
                Some([b'!', b'>', ..]) => 2,
                Some([]) | None => return Err(Unsupported("a comment that the page ends in")),
                Some(_) => {
                    search = after;
                    continue;
                }
            };
            self.comment_token(from, from + after - 2);
            self.pos = from + after + close;
            return Ok(());
        }
    }

    /// A DOCTYPE after its `<!DOCTYPE`, missing and stray parts handled as the standard says
    /// (most make the page quirky); one that the page ends in is left to html5ever.
    fn doctype(&mut self, mut at: usize) -> Result<(), Unsupported> {
        let bytes = self.bytes;
        let mut doctype = Doctype {
            name: None,
            public_id: None,
            system_id: None,
            force_quirks: false,
        };
        at = skip_space(bytes, at);
        match bytes.get(at) {
            None => return Err(Unsupported(ENDS_IN_DOCTYPE)),
            Some(b'>') => {
                doctype.force_quirks = true;
                self.finish_doctype(doctype, at + 1);
                return Ok(());
            }
            Some(_) => {}
        }
        let name_start = at;
        while bytes.get(at).is_some_and(|b| !is_space(*b) && *b != b'>') {
            at += 1;
        }
        if at == bytes.len() {
            return Err(Unsupported(ENDS_IN_DOCTYPE));
        }
        doctype.name = Some(StrTendril::from(
            self.html[name_start..at].to_ascii_lowercase(),
        ));
        at = skip_space(bytes, at);
        match bytes.get(at) {
            None => return Err(Unsupported(ENDS_IN_DOCTYPE)),
            Some(b'>') => {
                self.finish_doctype(doctype, at + 1);
                return Ok(());
            }
            Some(_) => {}
        }
        let keyword = bytes.get(at..at + 6);
        let public = keyword.is_some_and(|k| k.eq_ignore_ascii_case(b"public"));
        if !public && !keyword.is_some_and(|k| k.eq_ignore_ascii_case(b"system")) {
            doctype.force_quirks = true;
            return self.bogus_doctype(doctype, at);
        }
        at = skip_space(bytes, at + 6);
        match bytes.get(at) {
            Some(b'"' | b'\'') => {}
            Some(b'>') => {
                doctype.force_quirks = true;
                self.finish_doctype(doctype, at + 1);
                return Ok(());
            }
            None => return Err(Unsupported(ENDS_IN_DOCTYPE)),
            Some(_) => {
                doctype.force_quirks = true;
                return self.bogus_doctype(doctype, at);
            }
        }
        let (id, after, abrupt) = self.doctype_id(at)?;
        if public {
            doctype.public_id = Some(id);
        } else {
            doctype.system_id = Some(id);
        }
        if abrupt {
            doctype.force_quirks = true;
            self.finish_doctype(doctype, after);
            return Ok(());
        }
        at = skip_space(bytes, after);
        if public {
            match bytes.get(at) {
                Some(b'"' | b'\'') => {
                    let (id, after, abrupt) = self.doctype_id(at)?;
                    doctype.system_id = Some(id);
                    if abrupt {
                        doctype.force_quirks = true;
                        self.finish_doctype(doctype, after);
                        return Ok(());
                    }
                    at = skip_space(bytes, after);
                }
                Some(b'>') | None => {}
                Some(_) => {
                    doctype.force_quirks = true;
                    return self.bogus_doctype(doctype, at);
                }
            }
        }
        match bytes.get(at) {
            Some(b'>') => {
                self.finish_doctype(doctype, at + 1);
                Ok(())
            }
            None => Err(Unsupported(ENDS_IN_DOCTYPE)),
            // After the system identifier, stray characters leave the mode alone.
            Some(_) => self.bogus_doctype(doctype, at),
        }
    }

    /// A quoted identifier of a DOCTYPE at `at` (which is its quote), where it ends, and
    /// whether a `>` cut it short (which ends the DOCTYPE and makes the page quirky; the
    /// identifier so far stays).
    fn doctype_id(&self, at: usize) -> Result<(StrTendril, usize, bool), Unsupported> {
        let quote = self.bytes[at];
        let rest = &self.bytes[at + 1..];
        let close = memchr::memchr2(quote, b'>', rest).ok_or(Unsupported(ENDS_IN_DOCTYPE))?;
        let id = StrTendril::from_slice(&self.html[at + 1..at + 1 + close]);
        Ok((id, at + 1 + close + 1, rest[close] == b'>'))
    }

    /// The rest of a DOCTYPE with stray characters, up to its `>`, is dropped.
    fn bogus_doctype(&mut self, doctype: Doctype, at: usize) -> Result<(), Unsupported> {
        let close = memchr::memchr(b'>', &self.bytes[at..]).ok_or(Unsupported(ENDS_IN_DOCTYPE))?;
        self.finish_doctype(doctype, at + close + 1);
        Ok(())
    }

    fn finish_doctype(&mut self, doctype: Doctype, end: usize) {
        self.flush_text();
        self.emit(DoctypeToken(doctype));
        self.pos = end;
    }

    /// A start or end tag whose name starts at `name_start`.
    fn tag(&mut self, kind: TagKind, name_start: usize) -> Result<(), Unsupported> {
        let bytes = self.bytes;
        let len = bytes.len();
        let mut at = name_start;
        while at < len && !ends_tag_name(bytes[at]) {
            at += 1;
        }
        if at == len {
            return Err(Unsupported("a tag that the page ends in"));
        }
        // The text before the tag goes first: the tendrils of the page are then taken in
        // its order (see `tendril`).
        self.flush_text();
        let name = lowercase_name(&self.html[name_start..at]);
        let mut attrs: Vec<Attribute> = Vec::new();
        let mut had_duplicate_attributes = false;
        let mut self_closing = false;
        loop {
            at = skip_space(bytes, at);
            match bytes.get(at) {
                None => return Err(Unsupported("a tag that the page ends in")),
                Some(b'>') => {
                    at += 1;
                    break;
                }
                Some(b'/') => {
                    if bytes.get(at + 1) == Some(&b'>') {
                        self_closing = true;
                        at += 2;
                        break;
                    }
                    at += 1;
                    continue;
                }
                Some(_) => {}
            }
            // An attribute's name; its first character may be `=`.
            let attr_start = at;
            at += 1;
            while at < len && !ends_tag_name(bytes[at]) && bytes[at] != b'=' {
                at += 1;
            }
            let attr_end = at;
            at = skip_space(bytes, at);
            let mut value = Value::Range(at, at);
            if bytes.get(at) == Some(&b'=') {
                at += 1;
                at = skip_space(bytes, at);
                match bytes.get(at) {
                    None => return Err(Unsupported("a tag that the page ends in")),
                    Some(&quote @ (b'"' | b'\'')) => {
                        let close = memchr::memchr(quote, &bytes[at + 1..])
                            .ok_or(Unsupported("a tag that the page ends in"))?;
                        value = self.decoded(at + 1, at + 1 + close, true);
                        at += close + 2;
                    }
                    // `name=>`: an empty value, and the `>` ends the tag.
                    Some(b'>') => {}
                    Some(_) => {
                        let start = at;
                        while at < len && !is_space(bytes[at]) && bytes[at] != b'>' {
                            at += 1;
                        }
                        if at == len {
                            return Err(Unsupported("a tag that the page ends in"));
                        }
                        value = self.decoded(start, at, true);
                    }
                }
            }
            // The tree builder reads no attributes of end tags.
            if kind == StartTag {
                let name = lowercase_name(&self.html[attr_start..attr_end]);
                if attrs.iter().any(|a| a.name.local == name) {
                    had_duplicate_attributes = true;
                } else {
                    let value = match value {
                        Value::Range(from, to) => self.tendril(from, to),
                        Value::Owned(owned) => StrTendril::from(owned),
                    };
                    attrs.push(Attribute {
                        name: QualName::new(None, ns!(), name),
                        value,
                    });
                }
            }
        }
        self.pos = at;
        let result = self.emit_tag(TagToken(Tag {
            kind,
            name: name.clone(),
            self_closing,
            attrs,
            had_duplicate_attributes,
        }));
        match result {
            TokenSinkResult::Continue
            | TokenSinkResult::Script(_)
            | TokenSinkResult::EncodingIndicator(_) => Ok(()),
            TokenSinkResult::Plaintext => {
                self.push_range(self.pos, len);
                self.pos = len;
                Ok(())
            }
            TokenSinkResult::RawData(kind) => self.raw_text(kind, &name),
        }
    }

    /// The content of a raw-text element (`<title>`, `<style>`, `<script>`…) up to its end tag.
    fn raw_text(&mut self, kind: RawKind, name: &LocalName) -> Result<(), Unsupported> {
        let start = self.pos;
        let end = match kind {
            RawKind::ScriptData => self.script_end(start),
            RawKind::ScriptDataEscaped(_) => return Err(Unsupported("an escaped script")),
            RawKind::Rcdata | RawKind::Rawtext => self.end_tag_of(start, name),
        };
        if kind == RawKind::Rcdata {
            if self.bytes.get(start) == Some(&b'&')
                && self
                    .char_ref(start + 1, end, false)
                    .is_some_and(|reference| reference.error)
            {
                self.parse_error_before_text();
            }
            match self.decoded(start, end, false) {
                Value::Range(from, to) => self.push_range(from, to),
                Value::Owned(owned) => self.push_str(&owned),
            }
        } else {
            self.push_range(start, end);
        }
        self.pos = end;
        Ok(())
    }

    /// Where the end tag of the script whose text starts at `from` starts, or the end of the
    /// page. A script that opens an HTML comment (`<!--`) is in the standard's escaped states:
    /// there, a `<script` opens a nested script whose `</script>` does not end the element.
    fn script_end(&self, from: usize) -> usize {
        let bytes = self.bytes;
        let name = b"script";
        // Whether the letters from `at` spell `script` and end its name, and where they end.
        let script_word = |at: usize| {
            let mut end = at;
            while bytes.get(end).is_some_and(u8::is_ascii_alphabetic) {
                end += 1;
            }
            let script = bytes[at..end].eq_ignore_ascii_case(name)
                && bytes.get(end).copied().is_some_and(ends_tag_name);
            (script, end)
        };
        // Outside the escaped states (`escaped` None), the first end tag ends the script.
        // Inside, `double` says whether a nested `<script` was opened, and `dashes` counts
        // the dashes just read (up to two): `-->` leaves the escaped states.
        let mut escaped: Option<(bool, u8)> = None;
        let mut at = from;
        while at < bytes.len() {
            let Some((double, dashes)) = escaped.as_mut() else {
                let Some(offset) = memchr::memchr(b'<', &bytes[at..]) else {
                    break;
                };
                at += offset;
                if self.is_end_tag_at(at, name) {
                    return at;
                }
                if bytes[at..].starts_with(b"<!--") {
                    escaped = Some((false, 2));
                    at += 4;
                } else {
                    at += 1;
                }
                continue;
            };
            match bytes[at] {
                b'-' => *dashes = (*dashes + 1).min(2),
                b'>' if *dashes == 2 => escaped = None,
                b'<' => {
                    *dashes = 0;
                    if !*double && self.is_end_tag_at(at, name) {
                        return at;
                    }
                    // `<script` opens a nested script (the double-escaped states), and
                    // `</script` closes it.
                    let word = if *double && bytes.get(at + 1) == Some(&b'/') {
                        at + 2
                    } else if !*double {
                        at + 1
                    } else {
                        at += 1;
                        continue;
                    };
                    let (script, end) = script_word(word);
                    if end > word {
                        *double ^= script;
                        at = end + usize::from(script);
                        continue;
                    }
                }
                _ => *dashes = 0,
            }
            at += 1;
        }
        bytes.len()
    }

    /// Where the end tag of the raw-text element `name` starts (`</name` followed by a space,
    /// `/` or `>`, in any case), or the end of the page.
    fn end_tag_of(&self, from: usize, name: &LocalName) -> usize {
        let mut search = from;
        while let Some(offset) = memmem::find(&self.bytes[search..], b"</") {
            let at = search + offset;
            if self.is_end_tag_at(at, name.as_bytes()) {
                return at;
            }
            search = at + 2;
        }
        self.bytes.len()
    }

    /// Whether an end tag of `name` (the standard's "appropriate end tag") starts at `at`.
    fn is_end_tag_at(&self, at: usize, name: &[u8]) -> bool {
        let after = at + 2 + name.len();
        self.bytes.get(at..at + 2) == Some(b"</")
            && self
                .bytes
                .get(at + 2..after)
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && self.bytes.get(after).copied().is_some_and(ends_tag_name)
    }
}

/// A tag or attribute name with ASCII capitals made small (the tokenizer's rule).
fn lowercase_name(name: &str) -> LocalName {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        LocalName::from(name.to_ascii_lowercase())
    } else {
        LocalName::from(name)
    }
}
