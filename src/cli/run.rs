//! Running a validated [`Config`]: every job on the worker pool, `config.threads` at a time,
//! each output listed in its folder's manifest as soon as it is made, messages printed in input
//! order, then the manifests saved, the summary and the `--report` document.

use super::atomic::{self, write_atomically};
use super::config::Config;
use super::convert::{convert_job, create_parent, Converted};
use super::input::folder_of;
use super::interrupt::INTERRUPTED;
use super::job::{Job, Source, Target, REPORT_TO_STDOUT};
use super::manifest::{self, Made, Manifest, MANIFEST};
use super::progress;
use super::report::{
    error_line, outcome_lines, report_json, summary, JobReport, Message, Outcome, Printer, Status,
};
use super::terminal::{escape_json_controls, io_error, say};
use anyhow::anyhow;
use indicatif::ProgressBar;
use quire::pool::{self, Pool};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Workers get a roomy stack: readers and writers may recurse down to the model's
/// `MAX_DEPTH`, and a batch must not die of a stack overflow where one `quire` would not.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// How a whole run ended, which decides the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    AllConverted,
    SomeFailed,
    Interrupted,
}

/// How a run ended, and the files it wrote (in input order), which `--send` mails.
#[derive(Debug)]
pub struct Ran {
    pub status: RunStatus,
    pub written: Vec<PathBuf>,
}

/// Runs every job, `config.threads` at a time. Messages and the report come in input order
/// whatever the number of threads, so runs differ only in speed.
pub fn run(config: &Config) -> Ran {
    let (status, outcomes) = run_jobs(config);
    let written = written_files(&config.jobs, &outcomes);
    Ran { status, written }
}

/// The output files of the jobs that ran: those of a job without an error on its input or on
/// the output itself (an output kept because the user edited it is reported as an error).
fn written_files(jobs: &[Job], outcomes: &[Outcome]) -> Vec<PathBuf> {
    let mut written = Vec::new();
    for (job, outcome) in jobs.iter().zip(outcomes) {
        if !matches!(outcome.status, Status::Converted | Status::Failed) {
            continue;
        }
        let failed = |label: &str| {
            outcome
                .report
                .messages
                .iter()
                .any(|m| matches!(m, Message::Error { path, .. } if path == label))
        };
        if failed(&job.source.label()) {
            continue;
        }
        for output in &job.outputs {
            if let Target::File(path) = &output.target {
                if !failed(&output.target.label()) {
                    written.push(path.clone());
                }
            }
        }
    }
    written
}

/// Runs the jobs; the outcomes are in input order.
fn run_jobs(config: &Config) -> (RunStatus, Vec<Outcome>) {
    let started = Instant::now();
    let mut printer = Printer::new(config.quiet);
    if let Some(dir) = &config.output_dir {
        if let Err(e) = fs::create_dir_all(dir) {
            say(&error_line(&dir.display().to_string(), &io_error(e)));
            return (RunStatus::SomeFailed, Vec::new());
        }
    }
    remove_stale_parts(config);
    let mut manifests = load_manifests(config);
    let manifests_ref = &manifests;
    let progress = progress::progress_bar(config);
    if config.verbose {
        for skipped in &config.skipped {
            progress.suspend(|| {
                say(&format!(
                    "quire: skipped {}: {}",
                    skipped.path.display(),
                    skipped.reason
                ))
            });
        }
    }

    let jobs = &config.jobs;
    // Biggest inputs first: a large page started last would leave the other workers idle
    // at the end. Only the order of work changes; results are still reported in input order.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    if config.threads > 1 {
        let sizes: Vec<u64> = jobs.iter().map(input_size).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    }
    let mut outcomes: Vec<Option<Outcome>> = Vec::new();
    outcomes.resize_with(jobs.len(), || None);
    // Print in input order: hold finished jobs until those before them are printed.
    let mut next_to_print = 0;
    let pool = Pool::new(config.threads)
        .stack_size(WORKER_STACK)
        .stop_when(&INTERRUPTED);
    let ran = pool.run(
        order.iter().copied(),
        |index| run_one(&jobs[index], config, manifests_ref),
        |position, outcome| {
            let index = order[position];
            let outcome =
                outcome.unwrap_or_else(|panicked| failed_outcome(&jobs[index], &panicked.message));
            progress::one_done(&progress, started);
            record_outputs(manifests_ref, &outcome.made, &progress);
            outcomes[index] = Some(outcome);
            while let Some(Some(outcome)) = outcomes.get(next_to_print) {
                let job = &jobs[next_to_print];
                let lines = outcome_lines(&mut printer, job, outcome, config.verbose);
                progress.suspend(|| lines.iter().for_each(|l| say(l)));
                next_to_print += 1;
            }
        },
    );
    if let Err(e) = ran {
        say(&format!("quire: cannot start a worker thread: {e}"));
    }
    progress.finish_and_clear();

    let outcomes: Vec<Outcome> = outcomes
        .into_iter()
        .map(|o| {
            o.unwrap_or(Outcome {
                status: Status::NotRun,
                report: JobReport::default(),
                seconds: 0.0,
                made: Vec::new(),
            })
        })
        .collect();
    let interrupted = outcomes.iter().any(|o| o.status == Status::NotRun);
    let failed = outcomes.iter().any(|o| o.status == Status::Failed);
    let elapsed = started.elapsed().as_secs_f64();
    if (config.batch || interrupted) && !config.quiet {
        say(&summary(config, &outcomes, elapsed, interrupted));
    }
    for made in outcomes.iter().flat_map(|o| &o.made) {
        manifests[made.manifest].insert_named(made.name.clone(), made.fingerprint.clone());
    }
    for manifest in &manifests {
        if let Err(e) = manifest.save() {
            let path = manifest.dir().join(MANIFEST).display().to_string();
            say(&error_line(&path, &io_error(e)));
        }
    }
    let mut report_failed = false;
    if let Some(path) = &config.report {
        let json = report_json(config, &outcomes, elapsed, interrupted);
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        let mut bytes = escape_json_controls(&text).into_owned().into_bytes();
        bytes.push(b'\n');
        let written = if path == Path::new(REPORT_TO_STDOUT) {
            write_report_to_stdout(&bytes)
        } else {
            create_parent(path).and_then(|()| write_atomically(path, &bytes, true))
        };
        if let Err(e) = written {
            say(&error_line(&path.display().to_string(), &io_error(e)));
            report_failed = true;
        }
    }
    let status = if interrupted {
        RunStatus::Interrupted
    } else if failed || report_failed {
        RunStatus::SomeFailed
    } else {
        RunStatus::AllConverted
    };
    (status, outcomes)
}

/// Writes the report (`--report -`) to standard output, whole.
fn write_report_to_stdout(bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()
}

/// The manifests this run's outputs are listed in: a batch's output folder (`-o DIR`), the
/// folder a folder is converted in, and the folders of outputs quire names beside their
/// inputs (no `-o`), so that a later run knows which files there are its own. A conversion
/// to a file the user named (`-o FILE`) creates no manifest; it only keeps an existing one
/// true, as does any run writing into a folder that has one.
fn load_manifests(config: &Config) -> Vec<Manifest> {
    let output_folders: HashSet<std::path::PathBuf> = config
        .jobs
        .iter()
        .flat_map(|job| &job.outputs)
        .filter_map(|output| match &output.target {
            Target::File(path) => Some(folder_of(path)),
            Target::Stdout => None,
        })
        .collect();
    let mut existing: Vec<std::path::PathBuf> = output_folders
        .iter()
        .filter(|dir| dir.join(MANIFEST).is_file())
        .cloned()
        .collect();
    existing.sort();
    let mut created: Vec<std::path::PathBuf> = match config.batch {
        true => config
            .manifest_dirs
            .iter()
            .chain(&config.output_dir)
            .cloned()
            .collect(),
        false => Vec::new(),
    };
    if config.beside {
        // Each folder outputs land in, unless a folder converted in place holds it (its
        // manifest lists the outputs of its subfolders too).
        let mut beside: Vec<_> = output_folders
            .iter()
            .filter(|folder| !created.iter().any(|root| folder.starts_with(root)))
            .cloned()
            .collect();
        beside.sort();
        created.extend(beside);
    }
    let mut manifests: Vec<Manifest> = Vec::new();
    for dir in created.iter().chain(&existing) {
        if let Some(manifest) = Manifest::load(dir) {
            if !manifests.iter().any(|m| m.same_folder(&manifest)) {
                manifests.push(manifest);
            }
        }
    }
    manifests
}

/// Lists a job's outputs in their manifests as soon as it is done (see `manifest`).
fn record_outputs(manifests: &[Manifest], made: &[Made], progress: &ProgressBar) {
    for made in made {
        if let Err(e) = manifests[made.manifest].append_named(&made.name, &made.fingerprint) {
            let path = manifests[made.manifest].dir().join(MANIFEST);
            let line = error_line(&path.display().to_string(), &io_error(e));
            progress.suspend(|| say(&line));
        }
    }
}

/// Converts one job unless it is up to date; a panic in the library (a bug) fails the job
/// instead of the batch. Only a batch skips what is up to date: a conversion the user named
/// (one input) is always done, as asked. Outputs the user changed since quire wrote them are
/// never replaced without `--force` (see [`manifest::plan`]).
fn run_one(job: &Job, config: &Config, manifests: &[Manifest]) -> Outcome {
    let started = Instant::now();
    let plan = manifest::plan(
        job,
        &config.settings,
        manifests,
        config.force,
        config.batch,
        config.beside,
    );
    let mut report = JobReport::default();
    for (output, why) in &plan.kept {
        report.error(output.target.label(), anyhow!(*why));
    }
    if plan.up_to_date || plan.to_write.is_empty() {
        return Outcome {
            status: if report.failed() {
                Status::Failed
            } else {
                Status::UpToDate
            },
            report,
            seconds: started.elapsed().as_secs_f64(),
            made: Vec::new(),
        };
    }
    let job = &Job {
        outputs: plan.to_write.clone(),
        ..job.clone()
    };
    // Digests are only recorded in a manifest.
    let digests = !manifests.is_empty();
    let converted = pool::catch(|| convert_job(job, &config.settings, &config.siblings, digests))
        .unwrap_or_else(|panicked| Converted {
            report: failed_outcome(job, &panicked.message).report,
            ..Converted::default()
        });
    report.messages.extend(converted.report.messages);
    let failed = |label: &str| {
        report
            .messages
            .iter()
            .any(|m| matches!(m, Message::Error { path, .. } if path == label))
    };
    let made = plan.made(
        job,
        &config.settings,
        manifests,
        converted.input_digest.as_deref(),
        &converted.written,
        &failed,
    );
    Outcome {
        status: if report.failed() {
            Status::Failed
        } else {
            Status::Converted
        },
        report,
        seconds: started.elapsed().as_secs_f64(),
        made,
    }
}

/// A job that panicked (a bug in quire): failed, with the panic's message.
fn failed_outcome(job: &Job, message: &str) -> Outcome {
    let mut report = JobReport::default();
    report.error(
        job.source.label(),
        anyhow!("internal error (a bug in quire, please report it): {message}"),
    );
    Outcome {
        status: Status::Failed,
        report,
        seconds: 0.0,
        made: Vec::new(),
    }
}

/// A file input's size, for scheduling; other inputs count as small.
fn input_size(job: &Job) -> u64 {
    match &job.source {
        Source::File(path) => fs::metadata(path).map_or(0, |m| m.len()),
        Source::Stdin | Source::Url(_) => 0,
    }
}

/// Removes what killed quire processes left in the folders this run writes to (see
/// [`atomic::remove_stale_parts`]).
fn remove_stale_parts(config: &Config) {
    let mut folders: HashSet<&Path> = HashSet::new();
    let outputs = config.jobs.iter().flat_map(|job| &job.outputs);
    let files = outputs
        .filter_map(|output| match &output.target {
            Target::File(path) => Some(path.as_path()),
            Target::Stdout => None,
        })
        .chain(
            config
                .report
                .as_deref()
                .filter(|report| *report != Path::new(REPORT_TO_STDOUT)),
        );
    for file in files {
        let folder = match file.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        if folders.insert(folder) {
            atomic::remove_stale_parts(folder);
        }
    }
}
