//! Extraction through the library, timed the way `benches/extract.sh` times trafilatura: the
//! pages are read into memory first, then only the conversion loop is timed (page bytes →
//! `quire::read` → article text, as `quire convert --to txt --body-only --no-images` makes
//! it), on one thread. The CLI figure in that script also counts the process, reading and
//! writing files; this one is the like-for-like match for trafilatura's extraction loop.
//!
//! `cargo bench --bench extract_loop -- [PAGES_DIR] [RUNS]` prints one line:
//! `PAGES CPU_SECONDS WALL_SECONDS` for the run with the least CPU time (default: the AEB
//! corpus at `../shared/corpus/aeb/html`, 3 runs).

use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

// The allocator the `quire` binary uses.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    // `cargo bench` passes `--bench`; the rest are ours.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let dir = args.first().map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/aeb/html"),
        PathBuf::from,
    );
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3).max(1);
    let mut pages = Vec::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            eprintln!("extract_loop: cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "html") {
            match std::fs::read(&path) {
                Ok(bytes) => pages.push(bytes),
                Err(e) => eprintln!("extract_loop: skipping {}: {e}", path.display()),
            }
        }
    }
    let read_options = ReadOptions::default();
    let write_options = WriteOptions {
        fragment: true,
        front_matter: false,
        ..WriteOptions::default()
    };
    let mut best: Option<(f64, f64)> = None;
    let mut words = 0usize;
    for _ in 0..runs {
        let (cpu_start, wall_start) = (process_cpu_seconds(), Instant::now());
        words = 0;
        for page in &pages {
            let Ok(reading) = quire::read(page, InputFormat::Html, &read_options) else {
                continue;
            };
            let mut document = reading.document;
            document.remove_images();
            if let Ok(text) = quire::write(&document, OutputFormat::Text, &write_options) {
                words += text.bytes.split(u8::is_ascii_whitespace).count();
            }
        }
        let cpu = process_cpu_seconds() - cpu_start;
        let wall = wall_start.elapsed().as_secs_f64();
        if best.is_none_or(|(best_cpu, _)| cpu < best_cpu) {
            best = Some((cpu, wall));
        }
    }
    let (cpu, wall) = best.unwrap_or_default();
    eprintln!(
        "extract_loop: {} pages, {words} words of text a run",
        pages.len()
    );
    println!("{} {cpu:.3} {wall:.3}", pages.len());
    ExitCode::SUCCESS
}

/// CPU time (user + system) this process has used, from `/proc/self/schedstat`'s nanosecond
/// run time where there is one, else wall-clock time (the loop runs on one thread).
fn process_cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or_else(
            || {
                static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
                START.get_or_init(Instant::now).elapsed().as_secs_f64()
            },
            |ns| ns as f64 / 1e9,
        )
}
