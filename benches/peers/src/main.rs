//! The dom_smoothie peer for `benches/extract.sh`: extracts the article text of every
//! `*.html` in a folder into `<id>.txt` files, in one process, and prints the time spent
//! extracting (reading and writing files left out).
//!
//! Usage: `extract-peers IN_DIR OUT_DIR`

use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(input), Some(output)) = (args.next(), args.next()) else {
        eprintln!("usage: extract-peers IN_DIR OUT_DIR");
        std::process::exit(2);
    };
    if let Err(e) = std::fs::create_dir_all(&output) {
        eprintln!("{output}: {e}");
        std::process::exit(1);
    }
    let mut paths: Vec<_> = match std::fs::read_dir(&input) {
        Ok(dir) => dir.flatten().map(|e| e.path()).collect(),
        Err(e) => {
            eprintln!("{input}: {e}");
            std::process::exit(1);
        }
    };
    paths.sort();
    let mut total = Duration::ZERO;
    let mut pages = 0;
    for path in paths {
        if path.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let Some(id) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let Ok(html) = std::fs::read_to_string(&path) else {
            continue;
        };
        let start = Instant::now();
        let text = dom_smoothie::Readability::new(html.as_str(), None, None)
            .and_then(|mut r| r.parse())
            .map(|article| article.text_content.to_string())
            .unwrap_or_default();
        total += start.elapsed();
        pages += 1;
        if let Err(e) = std::fs::write(format!("{output}/{id}.txt"), text) {
            eprintln!("{id}: {e}");
        }
    }
    println!(
        "dom_smoothie: {pages} pages in {:.3} s ({:.2} ms a page)",
        total.as_secs_f64(),
        total.as_secs_f64() * 1000.0 / pages.max(1) as f64
    );
}
