//! Fuzz target: any document (read from Markdown, JSON, HTML or text) through the EPUB
//! writer. It must never panic, overflow the stack or hang; when it succeeds, the book is a
//! zip whose first entry is the stored `mimetype`, and every XML entry (package, navigation,
//! NCX, each chapter's XHTML) is well-formed XML, which is what reading systems insist on.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use quire::write::epub::{CoverChoice, EpubOptions};
use quire::{OutputFormat, WriteOptions};
use std::io::{Cursor, Read};

fuzz_target!(|data: &[u8]| {
    let Some((selector, document)) = common::read(data) else {
        return;
    };
    let options = WriteOptions {
        timestamp: Some(0),
        epub: EpubOptions {
            // The generated cover rasterises text: kept on some runs, off for speed on most.
            cover: if selector & 0xe0 == 0 {
                CoverChoice::Generated
            } else {
                CoverChoice::None
            },
            toc_depth: 1 + (selector >> 5) % 6,
            ..EpubOptions::default()
        },
        ..WriteOptions::default()
    };
    let Ok(rendered) = quire::write(&document, OutputFormat::Epub, &options) else {
        return;
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(&rendered.bytes)).expect("the EPUB is a zip");
    assert_eq!(zip.by_index(0).expect("an entry").name(), "mimetype");
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index).expect("the entry reads");
        let name = entry.name().to_string();
        if !(name.ends_with(".xhtml")
            || name.ends_with(".opf")
            || name.ends_with(".ncx")
            || name.ends_with(".xml"))
        {
            continue;
        }
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
        let options = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        if let Err(e) = roxmltree::Document::parse_with_options(&text, options) {
            panic!("{name} is not well-formed XML: {e}\n{text}");
        }
    }
});
