//! The command line: [`args`] (what clap parses) → [`config`] (validated: every input, folders
//! walked by [`walk`], and the exact place each output goes) → [`run`] (convert in parallel,
//! write atomically, report). `--jsonl` is [`jsonl`]'s streaming pipeline mode instead.
//!
//! Exit status: 0 when everything converted, 1 when some input or output failed (the others
//! are still done), 2 for bad usage, which is caught before anything is read or written,
//! 130 when Ctrl-C, SIGTERM or SIGHUP stopped the run (in a batch, after the inputs under way
//! were finished).

mod args;
mod atomic;
mod bundle;
mod config;
mod jsonl;
mod manifest;
mod run;
mod terminal;
mod walk;

/// Pipeline mode over `input` (JSON lines) with one worker, answering into a buffer: the entry
/// of the fuzz target `fuzz/fuzz_targets/jsonl.rs`, which compiles this module tree as its own
/// (the command line is not part of the library).
#[cfg(fuzzing)]
pub fn fuzz_jsonl(input: &[u8]) -> Vec<u8> {
    let cli = args::Cli::try_parse_from(["quire", "convert", "--jsonl", "--jobs", "1"])
        .expect("fixed arguments parse");
    let Command::Convert(args) = cli.command else {
        unreachable!("the arguments name convert")
    };
    let config = jsonl::JsonlConfig::from_args(&args).expect("fixed arguments are valid");
    let mut output = Vec::new();
    jsonl::pipe(&config, input, &mut output).expect("a buffer takes every answer");
    output
}

use args::{Cli, Command};
use clap::Parser;
use config::Config;
use std::process::ExitCode;
use std::sync::atomic::Ordering;

/// The conventional status of a program stopped by SIGINT.
const INTERRUPTED: u8 = 130;

pub fn main() -> ExitCode {
    terminal::install_panic_hook();
    // clap prints its own errors and exits 2 (0 for --help and --version).
    let cli = Cli::try_parse().unwrap_or_else(|e| e.exit());
    let args = match cli.command {
        Command::Convert(args) => args,
        Command::Bundle(args) => {
            install_interrupt_handler(false);
            return bundle::run(args);
        }
    };
    if args.jsonl {
        return match jsonl::JsonlConfig::from_args(&args) {
            // No Ctrl-C handler: the reader may be blocked on stdin, and answers already
            // written are whole lines, so stopping at once loses nothing.
            Ok(config) => match jsonl::run(&config) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    terminal::say(&format!("quire: {e:#}"));
                    ExitCode::FAILURE
                }
            },
            Err(usage) => usage_error(&usage),
        };
    }
    let config = match Config::from_args(args) {
        Ok(config) => config,
        Err(usage) => return usage_error(&usage),
    };
    install_interrupt_handler(config.batch);
    match run::run(&config) {
        run::RunStatus::AllConverted => ExitCode::SUCCESS,
        run::RunStatus::SomeFailed => ExitCode::FAILURE,
        run::RunStatus::Interrupted => ExitCode::from(INTERRUPTED),
    }
}

fn usage_error(usage: &config::UsageError) -> ExitCode {
    terminal::say(&format!("quire: {usage}"));
    terminal::say("");
    terminal::say("For more information, try 'quire convert --help'.");
    ExitCode::from(2)
}

/// Ctrl-C, SIGTERM and SIGHUP. In a batch the first one asks the run to stop after the
/// inputs under way (their outputs are renamed into place whole), and a second one stops at
/// once; one conversion (perhaps waiting on a terminal's stdin) stops at the first, as
/// programs do. Stopping at once removes this process's temporary files first, so no signal
/// leaves a `.quire-*.part` file.
fn install_interrupt_handler(batch: bool) {
    let result = ctrlc::set_handler(move || {
        if !batch || run::INTERRUPTED.swap(true, Ordering::SeqCst) {
            atomic::exit_removing_temporary_files(i32::from(INTERRUPTED));
        }
    });
    // Without a handler a signal simply kills the process: outputs are still whole or
    // absent, and a later run removes the temporary files left.
    let _ = result;
}
