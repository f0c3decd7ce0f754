//! Turning input bytes into text: BOMs, declared charsets, detection for legacy pages.
//!
//! The order is the one browsers use: a byte order mark wins (UTF-32's too, which browsers
//! do not know); then the charset the transport declared; then UTF-16 or UTF-32 without a
//! byte order mark, told by where the NUL bytes of ASCII-range text fall; then, for HTML, a
//! `<meta>` prescan of the first 1024 bytes; then valid UTF-8 is taken as is; then, for HTML,
//! a `<meta>` further on in the `<head>` (see below); then UTF-8 with a few invalid bytes
//! among many valid multi-byte characters (replaced, with a warning giving where); only then
//! is the encoding guessed (chardetng), with a warning. Binary data is refused before any of
//! that, so a PNG never turns into a page of mojibake.
//!
//! A `<meta>` past the first 1024 bytes (after a long run of scripts and links in the head)
//! is what browsers honour too: the tree builder meets it and the page is decoded again. It is
//! looked for up to the end of the `<head>` (`</head>` or `<body`), within the first 64 KB,
//! and only when it can change the text: when the bytes are not valid UTF-8, or are 7-bit
//! with escape sequences (ISO-2022-JP) in those 64 KB. Valid UTF-8 is taken as UTF-8 without
//! that second scan, so a UTF-8 page costs what it did (but a look for an ESC byte in its
//! first 64 KB), and a late declaration of a legacy encoding on valid UTF-8 with multi-byte
//! characters would lose to the bytes anyway (see below), as an early one does.
//!
//! One exception to the browsers' order: when a declaration (the transport's charset or the
//! page's `<meta>`) names a legacy single- or multi-byte encoding but the bytes are valid UTF-8
//! with multi-byte sequences, the bytes win. Text in windows-1252, GBK or Shift_JIS that has
//! any non-ASCII character is almost never valid UTF-8 by chance, while pages saved as UTF-8
//! that keep their old `<meta charset=gb2312>`, and servers that stamp every page with a
//! default charset, are common; a browser would show them garbled, a reading copy should not.
//! This holds for the HTTP header too, for the same reason: the header is a server-wide
//! default far more often than the page's own truth. Pure-ASCII bytes keep the declaration
//! (they read the same either way, and ISO-2022-JP is 7-bit), and so does a declared UTF-16,
//! whose bytes are of another shape. [`Decoded::encoding`] says what was chosen and why
//! (`quire convert --explain`).

use crate::error::{Error, Result, Warning};
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// Decoded input text, with a warning when the encoding had to be guessed.
#[derive(Debug)]
#[non_exhaustive]
pub struct Decoded {
    /// The decoded text.
    pub text: String,
    /// Set when the encoding was guessed or the bytes were not valid in it.
    pub warning: Option<Warning>,
    /// The encoding used and why, for `--explain`: `UTF-8 (the bytes are valid UTF-8; the
    /// page's <meta> says gb2312)`.
    pub encoding: String,
}

/// Where an encoding was told from, before the bytes are checked against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Told {
    ByteOrderMark,
    /// The transport's charset (an HTTP `Content-Type`), as written there.
    Transport,
    /// UTF-16 without a byte order mark, from where its NUL bytes fall.
    NulBytes,
    /// The page's `<meta charset>` or `http-equiv` content type, in its first 1024 bytes.
    Meta,
    /// The same, past the first 1024 bytes but still in the `<head>`.
    LateMeta,
}

impl Told {
    fn reason(self, declared_label: &str) -> String {
        match self {
            Told::ByteOrderMark => "its byte order mark".to_string(),
            Told::Transport => format!("the transport (HTTP header) says {declared_label}"),
            Told::NulBytes => "where its NUL bytes fall".to_string(),
            Told::Meta => format!("the page's <meta> says {declared_label}"),
            Told::LateMeta => {
                format!("the page's <meta>, past its first 1024 bytes, says {declared_label}")
            }
        }
    }
}

/// How many leading bytes the binary check looks at.
const BINARY_SNIFF_LEN: usize = 8 * 1024;
/// How many leading bytes the `<meta charset>` prescan looks at (the HTML standard's figure).
const META_PRESCAN_LEN: usize = 1024;
/// How many leading bytes a late `<meta charset>` is looked for in, up to the end of the
/// `<head>`: heads padded with scripts, styles and links run to a few KB, seldom more.
const LATE_META_SCAN_LEN: usize = 64 * 1024;
/// The share of control bytes above which input is taken for binary data.
const MAX_CONTROL_SHARE: f64 = 0.1;
/// The most NUL bytes the first 8 KB of text may have: a few strays are removed with the
/// other control characters (see `read::sanitize`); more mean binary data (compressed data
/// has one NUL in 256 bytes, 32 in 8 KB).
const MAX_TEXT_NULS: usize = 8;
/// The share of invalid bytes below which input with valid multi-byte UTF-8 is taken for
/// UTF-8 (one byte in a hundred): a stray bad byte in a UTF-8 file, not another encoding.
const MAX_INVALID_UTF8_SHARE: f64 = 0.01;

/// Gives the detector what decides its guess: every non-ASCII byte with the ASCII around it,
/// but of a long ASCII stretch (markup, mostly) only its two ends, joined by a line break.
/// The detector weighs each byte in each of its two dozen candidate encodings, which for a
/// page of markup cost more than parsing it; its scores come from non-ASCII bytes and their
/// neighbours, which the ends keep.
fn feed_detector(detector: &mut EncodingDetector, input: &[u8]) {
    const CONTEXT: usize = 16;
    let mut at = 0;
    while at < input.len() {
        let ascii = Encoding::ascii_valid_up_to(&input[at..]);
        if ascii > 2 * CONTEXT + 1 {
            detector.feed(&input[at..at + CONTEXT], false);
            detector.feed(b"\n", false);
            detector.feed(&input[at + ascii - CONTEXT..at + ascii], false);
        } else {
            detector.feed(&input[at..at + ascii], false);
        }
        at += ascii;
        let other = input[at..]
            .iter()
            .position(u8::is_ascii)
            .unwrap_or(input.len() - at);
        detector.feed(&input[at..at + other], false);
        at += other;
    }
    detector.feed(&[], true);
}

/// Decodes input. `html` enables the `<meta charset>` prescan; `declared` is a charset from
/// the transport (HTTP header). Binary input is refused.
///
/// Given owned bytes (a `Vec<u8>`) that are valid UTF-8, the text takes them over instead of
/// copying them: on a large input that is one whole copy fewer at the peak.
pub fn decode<'a>(
    bytes: impl Into<Cow<'a, [u8]>>,
    html: bool,
    declared: Option<&str>,
) -> Result<Decoded> {
    let input = bytes.into();
    if let Some((big_endian, skip)) = utf32_bom(&input) {
        let encoding = format!(
            "UTF-32{} (its byte order mark)",
            if big_endian { "BE" } else { "LE" }
        );
        return Ok(decode_utf32(&input[skip..], big_endian, None, encoding));
    }
    if declared.is_none() {
        if let Some(big_endian) = sniff_utf32(&input) {
            let name = if big_endian { "UTF-32BE" } else { "UTF-32LE" };
            let warning = Warning::new(format!(
                "the input has no byte order mark; read as {name} from where its NUL bytes fall"
            ));
            let encoding = format!("{name} (where its NUL bytes fall)");
            return Ok(decode_utf32(&input, big_endian, Some(warning), encoding));
        }
    }
    if let Some((encoding, skip, told, label)) = known_encoding(&input, html, declared)? {
        if overruled_by_utf8(encoding, told, &input) {
            let reason = told.reason(&label);
            let mut decoded = decode_with(UTF_8, input, 0);
            decoded.encoding = format!("UTF-8 (the bytes are valid UTF-8; {reason})");
            return Ok(decoded);
        }
        let mut decoded = decode_with(encoding, input, skip);
        if told == Told::NulBytes {
            decoded.warning.get_or_insert_with(|| {
                Warning::new(format!(
                    "the input has no byte order mark; read as {} from where its NUL bytes fall",
                    encoding.name()
                ))
            });
        }
        decoded.encoding = format!("{} ({})", encoding.name(), told.reason(&label));
        return Ok(decoded);
    }
    let input = match take_utf8(input) {
        Ok(text) => {
            // ISO-2022-JP is 7-bit, so valid UTF-8: only its escapes tell it, and only then
            // can a late declaration change the text. They are looked for where a late
            // declaration is (a Japanese page's title has them): no pass over a whole page.
            let window = &text.as_bytes()[..text.len().min(LATE_META_SCAN_LEN)];
            if html && memchr::memchr(0x1b, window).is_some() && text.is_ascii() {
                if let Ok(decoded) = decode_by_late_meta(Cow::Borrowed(text.as_bytes())) {
                    return Ok(decoded);
                }
            }
            let encoding = if html {
                "UTF-8 (the bytes are valid UTF-8; nothing in the first 1024 bytes declares an encoding)"
            } else {
                "UTF-8 (the bytes are valid UTF-8; nothing declares an encoding)"
            };
            return Ok(Decoded {
                text,
                warning: None,
                encoding: encoding.to_string(),
            });
        }
        Err(input) => input,
    };
    let input = if html {
        match decode_by_late_meta(input) {
            Ok(decoded) => return Ok(decoded),
            Err(input) => input,
        }
    } else {
        input
    };
    let errors = utf8_errors(&input);
    if errors.mostly_utf8() && (errors.invalid as f64) < input.len() as f64 * MAX_INVALID_UTF8_SHARE
    {
        return Ok(Decoded {
            text: String::from_utf8_lossy(&input).into_owned(),
            warning: Some(errors.warning()),
            encoding: format!(
                "UTF-8 (valid UTF-8 but for {} byte(s); nothing declares an encoding)",
                errors.invalid
            ),
        });
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    feed_detector(&mut detector, &input);
    let encoding = detector.guess(None, Utf8Detection::Allow);
    let (text, _) = encoding.decode_without_bom_handling(&input);
    Ok(Decoded {
        text: text.into_owned(),
        warning: Some(Warning::new(format!(
            "the input declares no character encoding and is not UTF-8; guessed {}",
            encoding.name()
        ))),
        encoding: format!(
            "{} (guessed: nothing declares an encoding and the bytes are not UTF-8)",
            encoding.name()
        ),
    })
}

/// Decodes HTML by a `<meta>` charset past its first 1024 bytes (see [`late_meta_charset`]);
/// without one, gives the input back. For input that is not UTF-8, or is 7-bit: a declaration
/// is not checked against valid UTF-8 here (see the module notes).
fn decode_by_late_meta(input: Cow<'_, [u8]>) -> std::result::Result<Decoded, Cow<'_, [u8]>> {
    let Some((encoding, label)) = late_meta_charset(&input) else {
        return Err(input);
    };
    let mut decoded = decode_with(encoding, input, 0);
    decoded.encoding = format!("{} ({})", encoding.name(), Told::LateMeta.reason(&label));
    Ok(decoded)
}

/// Whether bytes declared to be in `encoding` are to be read as UTF-8 instead: the
/// declaration (the transport's or the page's) names an encoding other than UTF-8 and UTF-16,
/// and the bytes are valid UTF-8 with at least one multi-byte sequence (see the module notes).
fn overruled_by_utf8(encoding: &'static Encoding, told: Told, bytes: &[u8]) -> bool {
    matches!(told, Told::Transport | Told::Meta)
        && encoding != UTF_8
        && encoding != UTF_16LE
        && encoding != UTF_16BE
        && !bytes.is_ascii()
        && std::str::from_utf8(bytes).is_ok()
}

/// The encoding that the input names, how many leading bytes (a byte order mark) to skip, how
/// it was told, and the label a declaration gave: a byte order mark, the transport's charset,
/// UTF-16 without a byte order mark, or (for HTML) a `<meta>` charset. Refuses empty and
/// binary input first.
fn known_encoding(
    bytes: &[u8],
    html: bool,
    declared: Option<&str>,
) -> Result<Option<(&'static Encoding, usize, Told, String)>> {
    if bytes.is_empty() {
        return Err(Error::Empty);
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom_len..).unwrap_or_default();
        if encoding != UTF_16LE && encoding != UTF_16BE {
            check_not_binary(body)?;
        }
        return Ok(Some((
            encoding,
            bom_len,
            Told::ByteOrderMark,
            String::new(),
        )));
    }
    let declared = declared.and_then(|label| {
        let label = label.trim();
        Encoding::for_label(label.as_bytes()).map(|encoding| (encoding, label))
    });
    if let Some((encoding, label)) = declared {
        // UTF-16 without a BOM is full of NUL bytes; the declaration vouches for it.
        if encoding != UTF_16LE && encoding != UTF_16BE {
            check_not_binary(bytes)?;
        }
        return Ok(Some((encoding, 0, Told::Transport, label.to_string())));
    }
    if let Some(encoding) = sniff_utf16(bytes) {
        return Ok(Some((encoding, 0, Told::NulBytes, String::new())));
    }
    check_not_binary(bytes)?;
    if html {
        if let Some((encoding, label)) = prescan_meta_charset(bytes) {
            return Ok(Some((encoding, 0, Told::Meta, label)));
        }
    }
    Ok(None)
}

/// UTF-16 without a byte order mark, told by its NUL bytes: text in the ASCII range has a NUL
/// in every other byte (the odd ones in little-endian, the even ones in big-endian) and almost
/// never in the others. At least half the characters of the first 8 KB must be ASCII-range
/// for this to see it (markup always is; text in a non-Latin script may not be).
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(BINARY_SNIFF_LEN) & !1];
    let pairs = head.len() / 2;
    if pairs < 2 {
        return None;
    }
    let (mut nul_even, mut nul_odd) = (0usize, 0usize);
    // Control characters among the ASCII-range units of each order: text has few, while
    // binary data of small 16-bit numbers (audio, tables) has NULs in the same places.
    let (mut controls_le, mut controls_be) = (0usize, 0usize);
    for pair in head.chunks_exact(2) {
        nul_even += usize::from(pair[0] == 0);
        nul_odd += usize::from(pair[1] == 0);
        controls_le += usize::from(pair[1] == 0 && is_binary_control(pair[0]));
        controls_be += usize::from(pair[0] == 0 && is_binary_control(pair[1]));
    }
    let rare = pairs / 20;
    let few_controls = |controls: usize| controls as f64 <= pairs as f64 * MAX_CONTROL_SHARE;
    if nul_odd * 2 >= pairs && nul_even <= rare && few_controls(controls_le) {
        Some(UTF_16LE)
    } else if nul_even * 2 >= pairs && nul_odd <= rare && few_controls(controls_be) {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// A byte that text does not have: a C0 control other than tab, LF, FF, CR and ESC (ISO-2022
/// escapes), or NUL.
fn is_binary_control(byte: u8) -> bool {
    byte < 0x20 && !matches!(byte, b'\t' | b'\n' | 0x0c | b'\r' | 0x1b)
}

/// A UTF-32 byte order mark (`FF FE 00 00` little-endian, `00 00 FE FF` big-endian): whether
/// big-endian, and its length. Checked before UTF-16's, whose mark is a prefix of the first.
fn utf32_bom(bytes: &[u8]) -> Option<(bool, usize)> {
    match bytes.get(..4)? {
        [0xff, 0xfe, 0, 0] => Some((false, 4)),
        [0, 0, 0xfe, 0xff] => Some((true, 4)),
        _ => None,
    }
}

/// UTF-32 without a byte order mark: every 4-byte unit of the first 8 KB is a code point
/// (at most U+10FFFF: the top byte zero, the next at most 0x10), and at least half of them
/// have their low byte set (so a run of NULs is not UTF-32). Whether big-endian.
fn sniff_utf32(bytes: &[u8]) -> Option<bool> {
    if bytes.len() % 4 != 0 || bytes.len() < 8 {
        return None;
    }
    let head = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    let units = head.len() / 4;
    let fits = |big_endian: bool| {
        let (mut low_set, mut controls) = (0usize, 0usize);
        for unit in head.chunks_exact(4) {
            let [b0, b1, b2, b3] = [unit[0], unit[1], unit[2], unit[3]];
            let (top, next, second, low) = if big_endian {
                (b0, b1, b2, b3)
            } else {
                (b3, b2, b1, b0)
            };
            if top != 0 || next > 0x10 {
                return false;
            }
            low_set += usize::from(low != 0);
            controls += usize::from(next == 0 && second == 0 && is_binary_control(low));
        }
        low_set * 2 >= units && controls as f64 <= units as f64 * MAX_CONTROL_SHARE
    };
    if fits(false) {
        Some(false)
    } else if fits(true) {
        Some(true)
    } else {
        None
    }
}

/// Decodes UTF-32 (encoding_rs, following the web, has no decoder for it): a unit that is not
/// a scalar value, and a trailing partial unit, become U+FFFD, with a warning.
fn decode_utf32(
    bytes: &[u8],
    big_endian: bool,
    warning: Option<Warning>,
    encoding: String,
) -> Decoded {
    let mut text = String::with_capacity(bytes.len() / 4);
    let mut invalid = 0usize;
    let units = bytes.chunks_exact(4);
    let partial = !units.remainder().is_empty();
    for unit in units {
        let unit = [unit[0], unit[1], unit[2], unit[3]];
        let value = if big_endian {
            u32::from_be_bytes(unit)
        } else {
            u32::from_le_bytes(unit)
        };
        text.push(char::from_u32(value).unwrap_or_else(|| {
            invalid += 1;
            char::REPLACEMENT_CHARACTER
        }));
    }
    if partial {
        invalid += 1;
        text.push(char::REPLACEMENT_CHARACTER);
    }
    let warning = warning.or_else(|| {
        (invalid > 0).then(|| {
            Warning::new(format!(
                "the input has {invalid} unit(s) that are not valid UTF-32; they were replaced with U+FFFD"
            ))
        })
    });
    Decoded {
        text,
        warning,
        encoding,
    }
}

/// Where input that is not valid UTF-8 goes wrong: how many invalid bytes, in how many
/// places, the offset of the first, and how many multi-byte characters the valid part has
/// (evidence of UTF-8).
struct Utf8Errors {
    invalid: usize,
    /// Places where the bytes are not UTF-8, each what `str::from_utf8` reports one error
    /// for: a Latin-1 `ä` is one, and so is a multi-byte sequence cut short.
    breaks: usize,
    first: usize,
    multibyte: usize,
}

impl Utf8Errors {
    /// Whether the input is UTF-8 with stray bytes rather than text in another encoding: its
    /// valid multi-byte characters outnumber the places where it breaks. A Latin-1 page
    /// holding a widget's `für` in UTF-8 breaks at each of its own accents instead.
    fn mostly_utf8(&self) -> bool {
        self.multibyte > self.breaks
    }

    fn warning(&self) -> Warning {
        Warning::new(format!(
            "the input is UTF-8 except for {} invalid byte(s), the first at byte offset {}; \
             they were replaced with U+FFFD",
            self.invalid, self.first
        ))
    }
}

/// Scans `bytes` as UTF-8, once.
fn utf8_errors(bytes: &[u8]) -> Utf8Errors {
    let mut errors = Utf8Errors {
        invalid: 0,
        breaks: 0,
        first: 0,
        multibyte: 0,
    };
    // Lead bytes: one per multi-byte character of valid UTF-8.
    let multibyte = |valid: &[u8]| valid.iter().filter(|&&b| b >= 0xc0).count();
    let mut offset = 0;
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                errors.multibyte += multibyte(valid.as_bytes());
                return errors;
            }
            Err(e) => {
                let valid = e.valid_up_to();
                errors.multibyte += multibyte(&rest[..valid]);
                let bad = e.error_len().unwrap_or(rest.len() - valid);
                if errors.invalid == 0 {
                    errors.first = offset + valid;
                }
                errors.invalid += bad;
                errors.breaks += 1;
                offset += valid + bad;
                rest = &rest[valid + bad..];
            }
        }
    }
}

/// The input as a `String` if it is valid UTF-8 (owned bytes are taken over, not copied);
/// else the input back.
fn take_utf8(input: Cow<'_, [u8]>) -> std::result::Result<String, Cow<'_, [u8]>> {
    match input {
        Cow::Owned(bytes) => String::from_utf8(bytes).map_err(|e| Cow::Owned(e.into_bytes())),
        Cow::Borrowed(bytes) => match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.to_string()),
            Err(_) => Err(Cow::Borrowed(bytes)),
        },
    }
}

/// Decodes with a known encoding after skipping `skip` bytes (a byte order mark); malformed
/// sequences become U+FFFD, with a warning. The caller fills in [`Decoded::encoding`].
fn decode_with(encoding: &'static Encoding, input: Cow<'_, [u8]>, skip: usize) -> Decoded {
    let input = match input {
        Cow::Owned(mut bytes) => {
            bytes.drain(..skip.min(bytes.len()));
            Cow::Owned(bytes)
        }
        Cow::Borrowed(bytes) => Cow::Borrowed(bytes.get(skip..).unwrap_or_default()),
    };
    let input = if encoding == UTF_8 {
        match take_utf8(input) {
            Ok(text) => {
                return Decoded {
                    text,
                    warning: None,
                    encoding: String::new(),
                }
            }
            Err(input) => {
                return Decoded {
                    text: String::from_utf8_lossy(&input).into_owned(),
                    warning: Some(utf8_errors(&input).warning()),
                    encoding: String::new(),
                }
            }
        }
    } else {
        input
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(&input);
    let warning = had_errors.then(|| {
        Warning::new(format!(
            "the input has bytes that are not valid {}; they were replaced with U+FFFD",
            encoding.name()
        ))
    });
    Decoded {
        text: text.into_owned(),
        warning,
        encoding: String::new(),
    }
}

/// Refuses data that is not text: more than a few NUL bytes early on (text in an
/// ASCII-compatible encoding has none; UTF-16 and UTF-32 were told before), or many control
/// characters.
fn check_not_binary(bytes: &[u8]) -> Result<()> {
    let head = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    let nuls = memchr::memchr_iter(0, head).count();
    if nuls > MAX_TEXT_NULS {
        return Err(Error::Binary(format!(
            "{nuls} NUL bytes in the first {} KB",
            BINARY_SNIFF_LEN.min(head.len()).div_ceil(1024)
        )));
    }
    // Tab, LF, FF, CR and ESC (ISO-2022 escapes) appear in text; other C0 controls do not.
    let controls = head.iter().filter(|&&b| is_binary_control(b)).count();
    if !head.is_empty() && controls as f64 / head.len() as f64 > MAX_CONTROL_SHARE {
        return Err(Error::Binary(format!(
            "{controls} control characters in the first {} bytes",
            head.len()
        )));
    }
    Ok(())
}

/// Finds a charset declared by a `<meta charset>` or `<meta http-equiv="content-type"
/// content="…; charset=…">` in the first 1024 bytes, as the HTML standard's prescan does.
/// With the encoding, the label as the page wrote it (lower-cased), for `--explain`.
fn prescan_meta_charset(bytes: &[u8]) -> Option<(&'static Encoding, String)> {
    meta_charset(&bytes[..bytes.len().min(META_PRESCAN_LEN)], false)
}

/// [`prescan_meta_charset`] further on: up to the end of the `<head>` (`</head>` or `<body`),
/// within the first 64 KB. What a browser's tree builder meets before the page's text, and
/// re-decodes the page for.
fn late_meta_charset(bytes: &[u8]) -> Option<(&'static Encoding, String)> {
    meta_charset(&bytes[..bytes.len().min(LATE_META_SCAN_LEN)], true)
}

/// The first `<meta>` in `bytes` that declares an encoding encoding_rs knows, skipping
/// comments (old pages keep a commented-out declaration); with `head_only`, none after the
/// end of the `<head>`. As the HTML standard says, a declared UTF-16 means UTF-8 (a real
/// UTF-16 page has a BOM, or NUL bytes told before) and x-user-defined means windows-1252.
fn meta_charset(bytes: &[u8], head_only: bool) -> Option<(&'static Encoding, String)> {
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let rest = &bytes[at + found..];
        if rest.starts_with(b"<!--") {
            // `<!-->` is a whole comment: its `-->` may share the opening dashes.
            let end = memchr::memmem::find(&rest[2..], b"-->")?;
            at += found + 2 + end + 3;
        } else if starts_with_tag(rest, b"<meta") {
            let tag = &rest[5..];
            let end = memchr::memchr(b'>', tag).unwrap_or(tag.len());
            let attributes = tag[..end].to_ascii_lowercase();
            if let Some(label) = charset_in(&attributes) {
                if let Some(encoding) = Encoding::for_label(label) {
                    let encoding = if encoding == UTF_16LE || encoding == UTF_16BE {
                        UTF_8
                    } else if encoding.name() == "x-user-defined" {
                        WINDOWS_1252
                    } else {
                        encoding
                    };
                    return Some((encoding, String::from_utf8_lossy(label).into_owned()));
                }
            }
            at += found + 5 + end;
        } else if head_only && (starts_with_tag(rest, b"</head") || starts_with_tag(rest, b"<body"))
        {
            return None;
        } else {
            at += found + 1;
        }
    }
    None
}

/// Whether `bytes` open with the tag `name` (`<meta`, `</head`), in any case, and the name
/// ends there (`<metadata>` is not `<meta>`).
fn starts_with_tag(bytes: &[u8], name: &[u8]) -> bool {
    bytes.len() >= name.len()
        && bytes[..name.len()].eq_ignore_ascii_case(name)
        && bytes
            .get(name.len())
            .is_none_or(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
}

/// The value after `charset=` inside a (lower-cased) meta tag, if any.
fn charset_in(tag: &[u8]) -> Option<&[u8]> {
    let mut rest = tag;
    while let Some(at) = find(rest, b"charset") {
        let after = &rest[at + 7..];
        let after = trim_start_ascii(after);
        if let Some(value) = after.strip_prefix(b"=") {
            let value = trim_start_ascii(value);
            let value = value
                .strip_prefix(b"\"")
                .or_else(|| value.strip_prefix(b"'"))
                .unwrap_or(value);
            let len = value
                .iter()
                .position(|&b| matches!(b, b'"' | b'\'' | b';' | b'/' | b'>') || b <= b' ')
                .unwrap_or(value.len());
            if len > 0 {
                return Some(&value[..len]);
            }
        }
        rest = after;
    }
    None
}

fn trim_start_ascii(bytes: &[u8]) -> &[u8] {
    let skip = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[skip..]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_detector_guesses_from_the_ends_of_markup_as_from_the_whole_page() {
        let texts = [
            ("windows-1252", "Le café était très crème, déjà à l'été. Où êtes-vous ?"),
            ("windows-1251", "Съешь же ещё этих мягких французских булок, да выпей чаю."),
            ("windows-1253", "Ξεσκεπάζω την ψυχοφθόρα βδελυγμία και το ζήτημα."),
            (
                "Shift_JIS",
                "日本語の文章です。東京都の天気は晴れで、気温は二十度でした。今日は図書館で本を読みました。",
            ),
            ("GBK", "我能吞下玻璃而不伤身体。这是一段中文的文章，用来测试。"),
            ("EUC-KR", "다람쥐 헌 쳇바퀴에 타고파. 한국어 문장을 시험합니다."),
            ("windows-1250", "Příliš žluťoučký kůň úpěl ďábelské ódy. Zażółć gęślą jaźń."),
        ];
        for (label, text) in texts {
            let encoding = Encoding::for_label(label.as_bytes()).unwrap();
            let mut page = String::from("<!doctype html><html><head><title>t</title>");
            page.push_str(&"<link rel=\"stylesheet\" href=\"/assets/site.css\">\n".repeat(40));
            page.push_str("</head><body><nav><ul>");
            page.push_str(&"<li><a href=\"/section/news\">News</a></li>\n".repeat(60));
            page.push_str("</ul></nav><article>");
            for _ in 0..5 {
                page.push_str(&format!("<p class=\"article-paragraph\">{text}</p>\n"));
            }
            page.push_str("</article></body></html>");
            let (bytes, _, _) = encoding.encode(&page);
            let mut whole = EncodingDetector::new(Iso2022JpDetection::Deny);
            whole.feed(&bytes, true);
            let mut ends = EncodingDetector::new(Iso2022JpDetection::Deny);
            feed_detector(&mut ends, &bytes);
            let guess = ends.guess(None, Utf8Detection::Allow);
            assert_eq!(guess, whole.guess(None, Utf8Detection::Allow), "{label}");
            assert_eq!(guess, encoding, "{label}");
        }
    }

    #[test]
    fn prescan_reads_both_meta_forms() {
        let prescan = |bytes: &[u8]| prescan_meta_charset(bytes).map(|(encoding, _)| encoding);
        assert_eq!(
            prescan(b"<html><meta charset=\"windows-1251\">"),
            Some(encoding_rs::WINDOWS_1251)
        );
        assert_eq!(
            prescan_meta_charset(
                b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=Shift_JIS'>"
            ),
            Some((encoding_rs::SHIFT_JIS, "shift_jis".to_string()))
        );
        assert_eq!(prescan(b"<meta charset=utf-16>"), Some(UTF_8));
        assert_eq!(prescan(b"<meta name=x content=y>"), None);
    }

    #[test]
    fn prescan_skips_comments_and_other_tags_named_meta_something() {
        let prescan = |bytes: &[u8]| prescan_meta_charset(bytes).map(|(encoding, _)| encoding);
        assert_eq!(
            prescan(b"<!-- <meta charset=koi8-r> --><META\tcharset=windows-1251>"),
            Some(encoding_rs::WINDOWS_1251)
        );
        assert_eq!(
            prescan(b"<!--><meta charset=koi8-r>"),
            Some(encoding_rs::KOI8_R)
        );
        assert_eq!(prescan(b"<!-- <meta charset=koi8-r>"), None);
        assert_eq!(
            prescan(b"<metadata charset=koi8-r><meta/charset=gbk>"),
            Some(encoding_rs::GBK)
        );
        // A tag that the 1024th byte cuts before its charset is left to the late scan.
        let mut late = vec![b' '; 1020];
        late.extend(b"<meta charset=koi8-r>");
        assert_eq!(prescan(&late), None);
        assert_eq!(
            late_meta_charset(&late),
            Some((encoding_rs::KOI8_R, "koi8-r".to_string()))
        );
    }

    #[test]
    fn a_late_meta_is_looked_for_in_the_head_only_and_within_64_kb() {
        let page = |padding: usize, before: &str| {
            let mut page = b"<html><head>".to_vec();
            page.resize(page.len() + padding, b' ');
            page.extend(before.as_bytes());
            page.extend(b"<meta charset=\"utf-16le\"><title>t</title>");
            page
        };
        let late = |bytes: &[u8]| late_meta_charset(bytes).map(|(encoding, _)| encoding);
        // A declared UTF-16 means UTF-8, late as early.
        assert_eq!(late(&page(2000, "<link rel=x>")), Some(UTF_8));
        assert_eq!(late(&page(2000, "</HEAD>")), None);
        assert_eq!(late(&page(2000, "<body class=x>")), None);
        assert_eq!(late(&page(2000, "<bodyguard>")), Some(UTF_8));
        assert_eq!(late(&page(LATE_META_SCAN_LEN, "")), None);
        // Within the first 1024 bytes, the prescan does not stop at the head's end.
        assert_eq!(
            prescan_meta_charset(b"</head><body><meta charset=gbk>").map(|(e, _)| e),
            Some(encoding_rs::GBK)
        );
    }

    #[test]
    fn utf8_with_stray_bytes_is_told_from_latin1_with_a_stray_utf8_character() {
        let mut bytes = "Россия и НАТО, ".as_bytes().to_vec();
        bytes.push(0xff);
        assert!(utf8_errors(&bytes).mostly_utf8());
        let mut bytes = b"pr\xe4sentiert, S\xe4ngerin, gegr\xfcndet ".to_vec();
        bytes.extend("für".as_bytes());
        let errors = utf8_errors(&bytes);
        assert_eq!((errors.multibyte, errors.breaks, errors.invalid), (1, 3, 3));
        assert!(!errors.mostly_utf8());
    }

    #[test]
    fn binary_16_bit_numbers_are_not_utf16() {
        // Small little-endian numbers: NULs in the odd bytes, as in UTF-16LE text, but the
        // even bytes are controls.
        let samples: Vec<u8> = (0..2000u16).flat_map(|i| (i % 20).to_le_bytes()).collect();
        assert_eq!(sniff_utf16(&samples), None);
        assert_eq!(sniff_utf32(&[1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]), None);
        let text: Vec<u8> = "Plain text.\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(sniff_utf16(&text), Some(UTF_16LE));
    }

    #[test]
    fn control_characters_mean_binary() {
        let bytes: Vec<u8> = (0..100u8)
            .map(|i| if i % 3 == 0 { 1 } else { b'a' })
            .collect();
        assert!(matches!(check_not_binary(&bytes), Err(Error::Binary(_))));
        assert!(check_not_binary(b"plain\ttext\r\n").is_ok());
    }
}
