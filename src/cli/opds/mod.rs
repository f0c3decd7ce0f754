//! The catalog for devices: an OPDS 1.2 catalog at `/opds` that KOReader, Calibre, Thorium
//! and other reading apps browse, and the stable links `/latest.epub` and
//! `/latest.kepub.epub` for readers with only a web browser. [`catalog`] writes the documents;
//! [`thumbnail`] makes the covers small.

pub mod catalog;
pub mod thumbnail;
