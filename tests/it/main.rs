//! Integration tests: one binary, one module per area.

mod bad_input;
mod cli;
mod encoding;
mod epub;
mod extract;
mod golden;
mod html_reader;
mod html_writer;
mod markdown;
mod pdf;
mod support;
mod text_reader;
mod text_writer;
mod validate;
