//! Readers: input bytes → [`Document`].
//!
//! A reader takes the input's bytes ([`Reader::read`]); the readers of text formats (all of
//! today's) leave decoding to the trait's provided step, which decodes (see [`decode`]), takes
//! out control characters and calls [`Reader::read_text`]. [`read`] picks the reader and then
//! does what all formats share: heading ids, language detection, the depth limit.

pub mod decode;
pub(crate) mod extract;
pub mod html;
pub mod json;
pub mod markdown;
pub mod pages;
mod sanitize;
mod standfirst;
pub mod text;
mod web_source;

use crate::error::{Error, Result, Warning};
use crate::format::InputFormat;
use crate::model::{Document, MAX_DEPTH};

/// How to read an input.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Where the input came from (its URL or file path); relative links and images in HTML
    /// resolve against it unless the page has a `<base>`. Only a web address becomes the
    /// document's `source_url`: a file has no canonical URL.
    pub source_url: Option<String>,
    /// The charset the transport declared (an HTTP `Content-Type`), which beats a guess.
    pub charset: Option<String>,
    /// For HTML: convert the whole page instead of extracting the article.
    pub whole_page: bool,
}

/// What a reader made, and what it noticed on the way.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// The document read.
    pub document: Document,
    /// What the reader noticed on the way (a guessed encoding, dropped content, ...).
    pub warnings: Vec<Warning>,
    /// How many control characters the text step took out of the input before reading, so
    /// that the sanitizing pass tells the whole count in one warning.
    controls_removed: usize,
}

impl Reading {
    /// A reading of `document` with these warnings.
    pub fn new(document: Document, warnings: Vec<Warning>) -> Reading {
        Reading {
            document,
            warnings,
            controls_removed: 0,
        }
    }
}

/// One input format's reader.
///
/// A reader of a text format implements [`Reader::read_text`] (and maybe
/// [`Reader::read_text_owned`]) and keeps the provided [`Reader::read`] and
/// [`Reader::read_owned`], which decode the bytes first. A reader of a binary format overrides
/// `read` and `read_owned` and has no use for `read_text` (it can return an error).
///
/// A reader of your own (one paragraph per non-blank line):
///
/// ```
/// use quire::read::{ReadOptions, Reader, Reading};
/// use quire::{Block, Document, Inline};
///
/// struct Lines;
///
/// impl Reader for Lines {
///     fn read_text(&self, input: &str, _options: &ReadOptions) -> quire::Result<Reading> {
///         let mut document = Document::default();
///         for line in input.lines().map(str::trim).filter(|line| !line.is_empty()) {
///             document.blocks.push(Block::Paragraph(vec![Inline::text(line)]));
///         }
///         Ok(Reading::new(document, Vec::new()))
///     }
/// }
///
/// // The provided `read` decodes the bytes (here Latin-1, as the transport declared).
/// let options = ReadOptions { charset: Some("iso-8859-1".into()), ..ReadOptions::default() };
/// let reading = Lines.read(b"caf\xe9\n\nbar\n", &options)?;
/// assert_eq!(
///     reading.document.blocks,
///     [Block::Paragraph(vec![Inline::text("café")]), Block::Paragraph(vec![Inline::text("bar")])]
/// );
/// # Ok::<(), quire::Error>(())
/// ```
pub trait Reader {
    /// Reads decoded text into a document. Readers never panic on bad input: they make the
    /// best document they can, or return an error that says what is wrong.
    fn read_text(&self, input: &str, options: &ReadOptions) -> Result<Reading>;

    /// Reads text that the caller gives away. A reader that is done with its input before it
    /// has built the document (the HTML reader, once the page is parsed) frees it early,
    /// which lowers the peak memory on large inputs.
    fn read_text_owned(&self, input: String, options: &ReadOptions) -> Result<Reading> {
        self.read_text(&input, options)
    }

    /// Whether decoding looks for a charset the markup declares (`<meta charset>`), for
    /// formats where the text can say its own encoding.
    fn charset_in_markup(&self) -> bool {
        false
    }

    /// Reads the input's bytes. By default: decodes them as text (the transport's charset
    /// in `options` first, then a byte order mark, the markup's declaration where
    /// [`Reader::charset_in_markup`], UTF-8, a guess), takes out control characters, and
    /// calls [`Reader::read_text_owned`].
    fn read(&self, input: &[u8], options: &ReadOptions) -> Result<Reading> {
        read_decoded(self, input.into(), options)
    }

    /// [`Reader::read`], taking the bytes over: by default, UTF-8 input becomes the text
    /// without a copy, and [`Reader::read_text_owned`] may free it as soon as it is done.
    fn read_owned(&self, input: Vec<u8>, options: &ReadOptions) -> Result<Reading> {
        read_decoded(self, input.into(), options)
    }
}

/// The text step of [`Reader::read`]: decode, take out control characters, read the text.
fn read_decoded<R: Reader + ?Sized>(
    reader: &R,
    bytes: std::borrow::Cow<'_, [u8]>,
    options: &ReadOptions,
) -> Result<Reading> {
    let decoded = decode::decode(
        bytes,
        reader.charset_in_markup(),
        options.charset.as_deref(),
    )?;
    let mut text = decoded.text;
    let controls_removed = sanitize::strip_input_controls(&mut text);
    let mut reading = reader.read_text_owned(text, options)?;
    reading.warnings.extend(decoded.warning);
    reading.controls_removed += controls_removed;
    Ok(reading)
}

/// The reader for a format.
pub fn reader_for(format: InputFormat) -> &'static dyn Reader {
    match format {
        InputFormat::Text => &text::TextReader,
        InputFormat::Html => &html::HtmlReader,
        InputFormat::Markdown => &markdown::MarkdownReader,
        InputFormat::Json => &json::JsonReader,
    }
}

/// Decodes `bytes`, reads them as `format`, and finishes the document: control characters
/// removed and every URL checked (see `sanitize`), unique heading ids, the language detected
/// when the input does not state it, and the depth limit checked.
///
/// ```
/// use quire::{Block, InputFormat, ReadOptions};
///
/// let page = b"<html><head><title>Notes</title></head>\
///     <body><article><h1>Notes</h1><p>The first paragraph.</p></article></body></html>";
/// let reading = quire::read(page, InputFormat::Html, &ReadOptions::default())?;
/// assert_eq!(reading.document.meta.title.as_deref(), Some("Notes"));
/// assert!(reading.document.blocks.iter().any(|block| matches!(block, Block::Paragraph(_))));
/// # Ok::<(), quire::Error>(())
/// ```
pub fn read(bytes: &[u8], format: InputFormat, options: &ReadOptions) -> Result<Reading> {
    let reading = reader_for(format).read(bytes, options)?;
    finish(reading)
}

/// [`read`], taking the bytes over: UTF-8 input becomes the text without a copy, and a reader
/// may free it as soon as it is done with it. What the command line uses on large files.
///
/// ```
/// use quire::{InputFormat, ReadOptions};
///
/// let bytes: Vec<u8> = b"# Title\n\nSome *Markdown*.\n".to_vec();
/// let reading = quire::read_owned(bytes, InputFormat::Markdown, &ReadOptions::default())?;
/// assert!(reading.document.plain_text(1000).contains("Some Markdown."));
/// # Ok::<(), quire::Error>(())
/// ```
pub fn read_owned(bytes: Vec<u8>, format: InputFormat, options: &ReadOptions) -> Result<Reading> {
    let reading = reader_for(format).read_owned(bytes, options)?;
    finish(reading)
}

/// What every format shares once its reader is done (see [`read`]).
fn finish(mut reading: Reading) -> Result<Reading> {
    let controls_removed = reading.controls_removed;
    let doc = &mut reading.document;
    if doc.depth() > MAX_DEPTH {
        return Err(Error::TooDeep { max: MAX_DEPTH });
    }
    // Before anything else looks at the document: no control characters and no URL that
    // the policy refuses, whichever reader made it.
    let cleaning = sanitize::sanitize(doc, controls_removed);
    reading.warnings.extend(cleaning);
    let doc = &mut reading.document;
    doc.canonicalize();
    doc.assign_heading_ids();
    if doc.meta.language.is_none() {
        doc.meta.language = crate::locale::detect_language(doc);
    }
    Ok(reading)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Inline, Meta};

    /// A reader of a made-up binary format: a length byte, then that many bytes of Latin-1
    /// title. Decoding it as text would fail (it is mostly NUL bytes), so it overrides the
    /// byte methods and has no text form.
    struct LengthPrefixedTitle;

    impl Reader for LengthPrefixedTitle {
        fn read_text(&self, _input: &str, _options: &ReadOptions) -> Result<Reading> {
            Err(Error::Parse {
                format: "length-prefixed title",
                message: "is binary, not text".into(),
            })
        }

        fn read(&self, input: &[u8], _options: &ReadOptions) -> Result<Reading> {
            let len = usize::from(*input.first().unwrap_or(&0));
            let title: String = input
                .iter()
                .skip(1)
                .take(len)
                .map(|&b| char::from(b))
                .collect();
            let meta = Meta {
                title: Some(title),
                ..Meta::default()
            };
            Ok(Reading::new(Document::new(meta, Vec::new()), Vec::new()))
        }

        fn read_owned(&self, input: Vec<u8>, options: &ReadOptions) -> Result<Reading> {
            self.read(&input, options)
        }
    }

    #[test]
    fn a_reader_of_a_binary_format_takes_the_bytes() {
        let mut input = vec![4, b'C', b'a', b'f', 0xe9];
        input.extend([0u8; 64]);
        let options = ReadOptions::default();
        // The text step refuses these bytes as binary data...
        assert!(decode::decode(input.as_slice(), false, None).is_err());
        // ... which a binary reader never goes through.
        let reading = LengthPrefixedTitle.read(&input, &options).unwrap();
        assert_eq!(reading.document.meta.title.as_deref(), Some("Café"));
        let owned = LengthPrefixedTitle.read_owned(input, &options).unwrap();
        assert_eq!(owned.document.meta.title.as_deref(), Some("Café"));
    }

    #[test]
    fn the_provided_text_step_decodes_and_counts_controls() {
        // UTF-16 with a byte order mark, holding a NUL the text step takes out.
        let text = "Title\n\nA paragraph\u{0} here.";
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let options = ReadOptions::default();
        for reading in [
            text::TextReader.read(&bytes, &options).unwrap(),
            text::TextReader
                .read_owned(bytes.clone(), &options)
                .unwrap(),
        ] {
            assert_eq!(reading.controls_removed, 1);
            let para = reading.document.blocks.iter().find_map(|b| match b {
                Block::Paragraph(inlines) => Some(inlines.clone()),
                _ => None,
            });
            assert_eq!(
                para,
                Some(vec![Inline::Text("A paragraph here.".into())]),
                "{:?}",
                reading.document
            );
        }
        // And `read` tells the count in one warning.
        let finished = read(&bytes, InputFormat::Text, &options).unwrap();
        assert!(
            finished
                .warnings
                .iter()
                .any(|w| w.message.contains("removed 1 control")),
            "{:?}",
            finished.warnings
        );
    }
}
