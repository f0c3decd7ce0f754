//! Tests that read ../shared (seed article, corpus). Run with `--features shared-tests`.

mod batch;
mod epub;
mod extract;
mod feed;
mod html_corpus;
#[path = "../common/http.rs"]
#[allow(dead_code)] // the corpus tests serve by path; the headers are for tests/it
mod http;
mod kepub;
mod kindle;
mod pdf;
mod readability_meta;
mod seed;
