//! Fuzz target: any document (read from Markdown, JSON, HTML or text) through the PDF writer,
//! on each page size and with ragged or justified text. It must never panic, overflow the
//! stack or hang; when it succeeds, the bytes are a whole PDF (header and end-of-file marker).
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use quire::write::pdf::{PageSize, PdfOptions};
use quire::{OutputFormat, WriteOptions};

fuzz_target!(|data: &[u8]| {
    let Some((selector, document)) = common::read(data) else {
        return;
    };
    let page_size = match (selector >> 5) % 4 {
        0 => PageSize::A4,
        1 => PageSize::Ereader,
        2 => PageSize::A5,
        _ => PageSize::Letter,
    };
    let options = WriteOptions {
        timestamp: Some(0),
        pdf: PdfOptions {
            page_size,
            ragged: selector & 0x80 != 0,
            ..PdfOptions::default()
        },
        ..WriteOptions::default()
    };
    if let Ok(rendered) = quire::write(&document, OutputFormat::Pdf, &options) {
        let bytes = &rendered.bytes;
        assert!(bytes.starts_with(b"%PDF-"), "no PDF header");
        let tail = &bytes[bytes.len().saturating_sub(32)..];
        assert!(
            tail.windows(5).any(|w| w == b"%%EOF"),
            "no %%EOF at the end"
        );
    }
});
