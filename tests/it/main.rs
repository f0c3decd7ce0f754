//! Integration tests: one binary, one module per area.

mod bad_input;
mod batch;
mod bundle;
mod cli;
mod encoding;
mod epub;
mod extract;
mod golden;
mod hostile;
mod html_reader;
mod html_writer;
mod jsonl;
mod markdown;
mod memory;
mod net;
mod net_bounds;
mod pdf;
mod safety;
mod streaming;
mod support;
mod table_streaming;
mod text_reader;
mod text_writer;
mod validate;
