//! Tests that read ../shared (seed article, corpus). Run with `--features shared-tests`.

mod batch;
mod epub;
mod extract;
mod feed;
mod html_corpus;
mod kepub;
mod kindle;
mod pdf;
mod readability_meta;
mod seed;
