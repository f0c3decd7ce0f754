//! The command line: [`args`] (what clap parses) → [`config`] (validated: every input, folders
//! walked by [`walk`], [`settings`] checked, each output named by [`plan`]) → [`run`] (the jobs
//! on the worker pool: [`convert`] reads each with [`input`] and writes its outputs through
//! [`atomic`]; [`manifest`] records them; [`progress`] and [`report`] tell the user).
//! `--jsonl` is [`jsonl`]'s streaming pipeline mode instead; `quire bundle` is [`bundle`];
//! `quire send` and `--send` are [`send`]; `quire serve` is [`serve`], over the
//! [`library`].
//!
//! Dependencies go one way, from the top of that chain down: [`job`], [`settings`],
//! [`terminal`] and [`atomic`] are at the bottom and import no other part of the command line.
//!
//! Exit status: 0 when everything converted, 1 when some input or output failed or a book
//! could not be mailed (the others are still done), 2 for bad usage or mail settings, which
//! are caught before anything is read, written or sent,
//! 130 when Ctrl-C, SIGTERM or SIGHUP stopped the run (in a batch, after the inputs under way
//! were finished).

mod args;
mod atomic;
mod bundle;
mod check;
mod config;
mod convert;
mod download;
mod feed;
mod input;
mod interrupt;
mod job;
mod jsonl;
mod library;
mod manifest;
mod opds;
mod plan;
mod progress;
mod report;
mod run;
mod send;
mod serve;
mod settings;
mod siblings;
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

pub fn main() -> ExitCode {
    terminal::install_panic_hook();
    // clap prints its own errors and exits 2 (0 for --help and --version).
    let cli = Cli::try_parse().unwrap_or_else(|e| e.exit());
    let args = match cli.command {
        Command::Convert(args) => args,
        Command::Bundle(args) => {
            interrupt::install_handler(false);
            return bundle::run(args);
        }
        Command::Check(args) => return check::run(&args),
        Command::Send(args) => return send::run(args),
        // Ctrl-C and SIGTERM stop the server gracefully (its own handler, not the batch's).
        Command::Serve(args) => return serve::run(args),
        Command::Feed(args) => {
            interrupt::install_handler(false);
            return feed::run(args);
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
    // The mail settings are checked before anything is converted.
    let mailer = match send::Mailer::for_send_option(&args.mail) {
        Ok(mailer) => mailer,
        Err(status) => return status,
    };
    let config = match Config::from_args(args) {
        Ok(config) => config,
        Err(usage) => return usage_error(&usage),
    };
    interrupt::install_handler(config.batch);
    let ran = run::run(&config);
    let sent = match (&mailer, ran.status) {
        (Some(mailer), run::RunStatus::AllConverted | run::RunStatus::SomeFailed) => {
            send::send_written(mailer, &ran.written, config.quiet)
        }
        _ => true,
    };
    match ran.status {
        run::RunStatus::AllConverted if sent => ExitCode::SUCCESS,
        run::RunStatus::AllConverted | run::RunStatus::SomeFailed => ExitCode::FAILURE,
        run::RunStatus::Interrupted => ExitCode::from(interrupt::EXIT_STATUS),
    }
}

fn usage_error(usage: &settings::UsageError) -> ExitCode {
    terminal::say(&format!("quire: {usage}"));
    terminal::say("");
    terminal::say("For more information, try 'quire convert --help'.");
    ExitCode::from(2)
}
