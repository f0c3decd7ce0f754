//! Tests that read ../shared (seed article, corpus). Run with `--features shared-tests`.

mod batch;
mod extract;
mod html_corpus;
mod readability_meta;
mod seed;
