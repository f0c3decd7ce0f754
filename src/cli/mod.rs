//! The command line: [`args`] (what clap parses) → [`config`] (validated: every input and the
//! exact place each output goes) → [`run`] (convert, write atomically, report).
//!
//! Exit status: 0 when everything converted, 1 when some input or output failed (the others
//! are still done), 2 for bad usage, which is caught before anything is read or written.

mod args;
mod config;
mod run;

use args::{Cli, Command};
use clap::Parser;
use config::Config;
use std::process::ExitCode;

pub fn main() -> ExitCode {
    // clap prints its own errors and exits 2 (0 for --help and --version).
    let cli = Cli::try_parse().unwrap_or_else(|e| e.exit());
    let Command::Convert(args) = cli.command;
    let config = match Config::from_args(args) {
        Ok(config) => config,
        Err(usage) => {
            eprintln!("quire: {usage}\n\nFor more information, try 'quire convert --help'.");
            return ExitCode::from(2);
        }
    };
    if run::run(&config) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
