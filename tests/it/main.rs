//! Integration tests: one binary, one module per area.

mod html_writer;
mod text_writer;
