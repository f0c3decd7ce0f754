//! Tests that read ../shared (seed article, corpus). Run with `--features shared-tests`.

mod batch;
mod html_corpus;
mod seed;
