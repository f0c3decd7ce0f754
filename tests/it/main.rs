//! Integration tests: one binary, one module per area.

mod architecture;
mod bad_input;
mod batch;
mod bounds;
mod browser;
mod bundle;
mod cli;
mod dates;
mod deep_write;
mod encoding;
mod epub;
mod epub_chapters;
mod extract;
mod extract_web;
mod feed;
mod fidelity_media;
mod fidelity_text;
mod format_table;
mod golden;
mod hostile;
mod html_layers;
mod html_reader;
mod html_writer;
#[path = "../common/http.rs"]
mod http;
mod json_form;
mod json_version;
mod jsonl;
mod kepub;
mod kindle_check;
mod labels;
mod lazy_images;
mod markdown;
mod math;
mod media;
mod memory;
// Started through the serve tests' launcher, which lives beside the network tests.
#[cfg(feature = "net")]
mod opds;
// The local test server and every test of fetching need the network client.
#[cfg(feature = "net")]
mod net;
#[cfg(feature = "net")]
mod net_bounds;
#[cfg(feature = "net")]
mod net_login;
mod pdf;
mod pdf_glyphs;
mod pdf_images;
#[cfg(feature = "net")]
mod polite_fetch;
mod prepare_writers;
mod reader_safety;
mod safety;
mod scripts;
mod scripts_direction;
mod scripts_fonts;
mod send;
// `quire serve` over HTTP; its pages are fetched from the local test server.
#[cfg(feature = "net")]
mod serve;
#[cfg(feature = "net")]
mod serve_browser;
mod stale;
mod streaming;
mod support;
mod table_streaming;
mod text_reader;
mod text_writer;
mod url_policy;
mod validate;
#[cfg(feature = "net")]
mod webdriver;
