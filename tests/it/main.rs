//! Integration tests: one binary, one module per area.

mod bad_input;
mod batch;
mod bounds;
mod bundle;
mod cli;
mod encoding;
mod epub;
mod extract;
mod golden;
mod hostile;
mod html_reader;
mod html_writer;
mod json_form;
mod jsonl;
mod markdown;
mod media;
mod memory;
// The local test server and every test of fetching need the network client.
#[cfg(feature = "net")]
mod net;
#[cfg(feature = "net")]
mod net_bounds;
mod pdf;
mod pdf_images;
mod reader_safety;
mod safety;
mod stale;
mod streaming;
mod support;
mod table_streaming;
mod text_reader;
mod text_writer;
mod validate;
