//! Reads a file and writes it as an EPUB: the library's two steps, `read` and `write`.
//!
//! ```text
//! cargo run --example convert -- article.html article.epub
//! ```
//!
//! The input format is taken from the file's extension, or sniffed from its bytes.

use std::path::Path;
use std::process::ExitCode;

use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: convert INPUT OUTPUT.epub");
        return ExitCode::from(2);
    };
    match convert(Path::new(input), Path::new(output)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("convert: {error}");
            ExitCode::FAILURE
        }
    }
}

fn convert(input: &Path, output: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let bytes = std::fs::read(input)?;
    let format = InputFormat::from_path(input).unwrap_or_else(|| InputFormat::sniff(&bytes));
    let read_options = ReadOptions {
        source_url: Some(input.display().to_string()),
        ..ReadOptions::default()
    };
    let reading = quire::read_owned(bytes, format, &read_options)?;
    let write_options = WriteOptions {
        // Relative image paths resolve in the input's folder.
        resource_dir: input.parent().map(Path::to_path_buf),
        ..WriteOptions::default()
    };
    let rendered = quire::write(&reading.document, OutputFormat::Epub, &write_options)?;
    for warning in reading.warnings.iter().chain(&rendered.warnings) {
        eprintln!("convert: warning: {warning}");
    }
    std::fs::write(output, rendered.bytes)?;
    Ok(())
}
