//! `quire check FILE.epub… --kindle`: lists each Kindle problem of each book on standard
//! output, one line each (`book.epub: OEBPS/ch1.xhtml:12: …`), from the library's
//! [`quire::check::check_kindle`]. A book that cannot be read is an error naming it; the
//! other books are still checked.
//!
//! Exit status: 0 when no book has a problem, 1 when one has (or could not be read).

use super::args::CheckArgs;
use super::terminal::{escape_controls, io_message, say};
use std::io::Write as _;
use std::process::ExitCode;

pub fn run(args: &CheckArgs) -> ExitCode {
    let mut failed = false;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in &args.files {
        let label = file.display().to_string();
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(e) => {
                say(&format!("quire: {label}: cannot read: {}", io_message(&e)));
                failed = true;
                continue;
            }
        };
        match quire::check::check_kindle(&bytes) {
            Ok(problems) if problems.is_empty() => {
                say(&format!("{label}: no Kindle problems found"));
            }
            Ok(problems) => {
                failed = true;
                for problem in &problems {
                    let line = format!("{label}: {problem}");
                    if writeln!(out, "{}", escape_controls(&line)).is_err() {
                        // Standard output is gone (a closed pipe): nothing more to say.
                        return ExitCode::FAILURE;
                    }
                }
            }
            Err(e) => {
                say(&format!("quire: {label}: {e}"));
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
