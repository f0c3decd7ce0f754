//! Fuzz target: any bytes through `quire::read` as html, then every writer. Must never
//! panic, overflow the stack or hang; errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};

fuzz_target!(|data: &[u8]| {
    let options = ReadOptions::default();
    if let Ok(reading) = quire::read(data, InputFormat::Html, &options) {
        for format in OutputFormat::ALL {
            let _ = quire::write(&reading.document, format, &WriteOptions::default());
        }
    }
});
