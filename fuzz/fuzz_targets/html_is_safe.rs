//! Fuzz target: whatever HTML comes in, the clean HTML that goes out is safe to open, as the
//! safety tests judge it (no script, event handler, script URL, frame, form, meta refresh or
//! network CSS). Panics (a finding) when it is not.
#![no_main]

#[path = "../../tests/it/safety/scan.rs"]
mod scan;

use libfuzzer_sys::fuzz_target;
use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};

fuzz_target!(|data: &[u8]| {
    for whole_page in [false, true] {
        let options = ReadOptions {
            whole_page,
            ..ReadOptions::default()
        };
        let Ok(reading) = quire::read(data, InputFormat::Html, &options) else {
            return;
        };
        let Ok(rendered) = quire::write(
            &reading.document,
            OutputFormat::Html,
            &WriteOptions::default(),
        ) else {
            return;
        };
        let html = String::from_utf8_lossy(&rendered.bytes);
        let problems = scan::unsafe_parts(&html);
        assert!(problems.is_empty(), "{problems:?} in output:\n{html}");
    }
});
