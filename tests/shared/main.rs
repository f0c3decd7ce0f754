//! Tests that read ../shared (seed article, corpus). Run with `--features shared-tests`.

mod html_corpus;
mod seed;
