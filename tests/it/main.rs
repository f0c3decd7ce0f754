//! Integration tests: one binary, one module per area.

mod cli;
mod encoding;
mod extract;
mod golden;
mod html_reader;
mod html_writer;
mod markdown;
mod text_reader;
mod text_writer;
