//! Integration tests: one binary, one module per area.

mod batch;
mod cli;
mod encoding;
mod golden;
mod hostile;
mod html_reader;
mod html_writer;
mod jsonl;
mod markdown;
mod net;
mod safety;
mod text_reader;
mod text_writer;
