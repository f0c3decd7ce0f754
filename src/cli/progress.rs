//! The progress bar of a batch on a terminal: files done, rate, time left.

use super::config::Config;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal};
use std::time::Instant;

/// A progress bar on a terminal, for batches; hidden (drawing nothing) on a pipe or with
/// `--quiet`.
pub fn progress_bar(config: &Config) -> ProgressBar {
    if !config.batch || config.quiet || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(
        Some(config.jobs.len() as u64),
        ProgressDrawTarget::stderr_with_hz(8),
    );
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:30.cyan/blue} {pos}/{len} files  {msg:.dim}  ETA {eta}  {elapsed:.dim}",
    ) {
        bar.set_style(style.progress_chars("█▉▊▋▌▍▎▏ "));
    }
    bar
}

/// Counts one more file done, and shows the rate since `started`.
pub fn one_done(bar: &ProgressBar, started: Instant) {
    bar.inc(1);
    // indicatif's own {per_sec} prints four decimals; one is plenty.
    let seconds = started.elapsed().as_secs_f64();
    if !bar.is_hidden() && seconds > 0.0 {
        let rate = bar.position() as f64 / seconds;
        bar.set_message(format!("{rate:.1}/s"));
    }
}
