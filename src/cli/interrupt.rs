//! Ctrl-C, SIGTERM and SIGHUP: the first asks a batch to stop after the inputs under way
//! ([`INTERRUPTED`]); stopping at once leaves no temporary file behind.

use super::atomic;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the first Ctrl-C: no new input is started; those under way finish (each output
/// is renamed into place whole or not at all), and the summary says what was not done.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The conventional status of a program stopped by SIGINT.
pub const EXIT_STATUS: u8 = 130;

/// Ctrl-C, SIGTERM and SIGHUP. In a batch the first one asks the run to stop after the
/// inputs under way (their outputs are renamed into place whole), and a second one stops at
/// once; one conversion (perhaps waiting on a terminal's stdin) stops at the first, as
/// programs do. Stopping at once removes this process's temporary files first, so no signal
/// leaves a `.quire-*.part` file.
pub fn install_handler(batch: bool) {
    let result = ctrlc::set_handler(move || {
        if !batch || INTERRUPTED.swap(true, Ordering::SeqCst) {
            atomic::exit_removing_temporary_files(i32::from(EXIT_STATUS));
        }
    });
    // Without a handler a signal simply kills the process: outputs are still whole or
    // absent, and a later run removes the temporary files left.
    let _ = result;
}
