//! Shared by the writer targets: the first input byte picks the reader and the writer's
//! options, the rest is the document. Markdown and JSON reach the most model shapes (tables,
//! notes, nesting, spans); HTML and text reach the extraction and the text reader.

use quire::{InputFormat, ReadOptions};

/// The reader the selector byte names, and the rest of the input.
pub fn split(data: &[u8]) -> Option<(u8, InputFormat, &[u8])> {
    let (&selector, rest) = data.split_first()?;
    let format = match selector % 4 {
        0 => InputFormat::Markdown,
        1 => InputFormat::Json,
        2 => InputFormat::Html,
        _ => InputFormat::Text,
    };
    Some((selector, format, rest))
}

/// Reads the rest of the input with the reader the selector names; `None` when it is refused.
pub fn read(data: &[u8]) -> Option<(u8, quire::Document)> {
    let (selector, format, rest) = split(data)?;
    let options = ReadOptions {
        whole_page: selector & 0x10 != 0,
        ..ReadOptions::default()
    };
    quire::read(rest, format, &options)
        .ok()
        .map(|reading| (selector, reading.document))
}
