//! Integration tests: one binary, one module per area.

mod encoding;
mod html_reader;
