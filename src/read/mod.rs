//! Readers: input bytes → [`Document`].
//!
//! Every reader works on decoded text (see [`decode`]); [`read`] picks the reader, decodes,
//! and then does what all formats share: heading ids, language detection, the depth limit.

pub mod decode;
pub(crate) mod extract;
pub mod html;
pub mod json;
pub mod markdown;
mod sanitize;
pub mod text;

use crate::error::{Error, Result, Warning};
use crate::format::InputFormat;
use crate::model::{Document, MAX_DEPTH};

/// How to read an input.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Where the input came from (its URL or file path); relative links and images in HTML
    /// resolve against it unless the page has a `<base>`.
    pub source_url: Option<String>,
    /// The charset the transport declared (an HTTP `Content-Type`), which beats a guess.
    pub charset: Option<String>,
    /// For HTML: convert the whole page instead of extracting the article.
    pub whole_page: bool,
}

/// What a reader made, and what it noticed on the way.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub document: Document,
    pub warnings: Vec<Warning>,
}

/// One input format's reader.
pub trait Reader {
    /// Reads decoded text into a document. Readers never panic on bad input: they make the
    /// best document they can, or return an error that says what is wrong.
    fn read(&self, input: &str, options: &ReadOptions) -> Result<Reading>;

    /// Reads text that the caller gives away. A reader that is done with its input before it
    /// has built the document (the HTML reader, once the page is parsed) frees it early,
    /// which lowers the peak memory on large inputs.
    fn read_owned(&self, input: String, options: &ReadOptions) -> Result<Reading> {
        self.read(&input, options)
    }
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
pub fn read(bytes: &[u8], format: InputFormat, options: &ReadOptions) -> Result<Reading> {
    read_input(bytes.into(), format, options)
}

/// [`read`], taking the bytes over: UTF-8 input becomes the text without a copy, and a reader
/// may free it as soon as it is done with it. What the command line uses on large files.
pub fn read_owned(bytes: Vec<u8>, format: InputFormat, options: &ReadOptions) -> Result<Reading> {
    read_input(bytes.into(), format, options)
}

fn read_input(
    bytes: std::borrow::Cow<'_, [u8]>,
    format: InputFormat,
    options: &ReadOptions,
) -> Result<Reading> {
    let decoded = decode::decode(
        bytes,
        format == InputFormat::Html,
        options.charset.as_deref(),
    )?;
    let mut text = decoded.text;
    let controls_removed = sanitize::strip_input_controls(&mut text);
    let mut reading = reader_for(format).read_owned(text, options)?;
    reading.warnings.extend(decoded.warning);
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
        doc.meta.language = detect_language(doc);
    }
    Ok(reading)
}

/// Guesses the document's language from its text (whatlang), when the guess is reliable.
fn detect_language(doc: &Document) -> Option<String> {
    // The title counts too: on a short article it can be what makes the guess reliable.
    let mut sample = doc.meta.title.clone().unwrap_or_default();
    sample.push('\n');
    // A few thousand characters decide as reliably as a whole long text, for far less time.
    sample.push_str(&doc.plain_text(4 * 1024));
    let info = whatlang::detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    iso_639_1(info.lang()).map(str::to_string)
}

/// whatlang names languages by ISO 639-3; documents use the two-letter BCP 47 tags.
fn iso_639_1(lang: whatlang::Lang) -> Option<&'static str> {
    use whatlang::Lang::*;
    Some(match lang {
        Eng => "en",
        Rus => "ru",
        Ukr => "uk",
        Bel => "be",
        Bul => "bg",
        Srp => "sr",
        Mkd => "mk",
        Deu => "de",
        Fra => "fr",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Nld => "nl",
        Swe => "sv",
        Dan => "da",
        Nob => "nb",
        Fin => "fi",
        Pol => "pl",
        Ces => "cs",
        Slk => "sk",
        Slv => "sl",
        Hrv => "hr",
        Hun => "hu",
        Ron => "ro",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Ell => "el",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Pes => "fa",
        Urd => "ur",
        Hin => "hi",
        Ben => "bn",
        Mar => "mr",
        Tam => "ta",
        Tel => "te",
        Kan => "kn",
        Mal => "ml",
        Guj => "gu",
        Pan => "pa",
        Tha => "th",
        Vie => "vi",
        Ind => "id",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Kat => "ka",
        Hye => "hy",
        Epo => "eo",
        Lat => "la",
        Afr => "af",
        Cat => "ca",
        Aze => "az",
        Uzb => "uz",
        Amh => "am",
        Yid => "yi",
        Zul => "zu",
        Tgl => "tl",
        Jav => "jv",
        Khm => "km",
        Mya => "my",
        Sin => "si",
        Nep => "ne",
        Ori => "or",
        Aka => "ak",
        Sna => "sn",
        Tuk => "tk",
        _ => return None,
    })
}
