//! Running a validated [`Config`]: convert each input, write each output whole or not at all,
//! and collect what went wrong without stopping at the first failure.
//!
//! [`convert_job`] is the whole life of one input and prints nothing: it returns a
//! [`JobReport`], so a batch or parallel runner can call it and decide how to show the result.

use super::atomic;
use super::config::{Config, Job, Settings, Source, Target};
use super::manifest::{self, Made, Manifest};
use super::terminal::say;
use super::walk;
use anyhow::anyhow;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use quire::{InputFormat, ReadOptions, Warning};
use serde_json::json;
use std::collections::HashSet;
use std::fs;
use std::io::{self, IsTerminal, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Instant;

/// Something to tell the user about one input or output, in the order it happened.
#[derive(Debug)]
pub enum Message {
    Warning { path: String, warning: Warning },
    Error { path: String, error: anyhow::Error },
}

/// What converting one input did.
#[derive(Debug, Default)]
pub struct JobReport {
    pub messages: Vec<Message>,
}

impl JobReport {
    pub fn failed(&self) -> bool {
        self.messages
            .iter()
            .any(|m| matches!(m, Message::Error { .. }))
    }

    pub fn error(&mut self, path: String, error: anyhow::Error) {
        self.messages.push(Message::Error { path, error });
    }

    pub fn warnings(&mut self, path: &str, warnings: impl IntoIterator<Item = Warning>) {
        for warning in warnings {
            self.messages.push(Message::Warning {
                path: path.to_string(),
                warning,
            });
        }
    }
}

/// Set by the first Ctrl-C: no new input is started; those under way finish (each output
/// is renamed into place whole or not at all), and the summary says what was not done.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

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

/// What became of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Converted,
    UpToDate,
    Failed,
    /// Not started because of Ctrl-C.
    NotRun,
}

impl Status {
    fn name(self) -> &'static str {
        match self {
            Status::Converted => "converted",
            Status::UpToDate => "up to date",
            Status::Failed => "failed",
            Status::NotRun => "not run",
        }
    }
}

/// One input's outcome, as the summary and `--report` see it.
#[derive(Debug)]
struct Outcome {
    status: Status,
    report: JobReport,
    seconds: f64,
    /// The outputs written, for the `.quire-outputs` manifests.
    made: Vec<Made>,
}

/// Runs every job, `config.threads` at a time. Messages and the report come in input order
/// whatever the number of threads, so runs differ only in speed.
pub fn run(config: &Config) -> RunStatus {
    let started = Instant::now();
    let mut printer = Printer::new(config.quiet);
    if let Some(dir) = &config.output_dir {
        if let Err(e) = fs::create_dir_all(dir) {
            say(&error_line(&dir.display().to_string(), &io_error(e)));
            return RunStatus::SomeFailed;
        }
    }
    remove_stale_parts(config);
    let mut manifests = load_manifests(config);
    let manifests_ref = &manifests;
    let progress = progress_bar(config);
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
    let order = &order;
    let next = AtomicUsize::new(0);
    let (sender, receiver) = mpsc::channel::<(usize, Outcome)>();
    let mut outcomes: Vec<Option<Outcome>> = Vec::new();
    outcomes.resize_with(jobs.len(), || None);
    thread::scope(|scope| {
        for _ in 0..config.threads.min(jobs.len()) {
            let sender = sender.clone();
            let next = &next;
            let worker = move || loop {
                if INTERRUPTED.load(Ordering::SeqCst) {
                    break;
                }
                let Some(&index) = order.get(next.fetch_add(1, Ordering::SeqCst)) else {
                    break;
                };
                let Some(job) = jobs.get(index) else {
                    break;
                };
                let outcome = run_one(job, config, manifests_ref);
                if sender.send((index, outcome)).is_err() {
                    break;
                }
            };
            let spawned = thread::Builder::new()
                .name("quire-worker".into())
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, worker);
            if let Err(e) = spawned {
                say(&format!("quire: cannot start a worker thread: {e}"));
                break;
            }
        }
        drop(sender);
        // Print in input order: hold finished jobs until those before them are printed.
        let mut next_to_print = 0;
        for (index, outcome) in receiver {
            progress.inc(1);
            record_outputs(manifests_ref, &outcome.made, &progress);
            // indicatif's own {per_sec} prints four decimals; one is plenty.
            let seconds = started.elapsed().as_secs_f64();
            if !progress.is_hidden() && seconds > 0.0 {
                let rate = progress.position() as f64 / seconds;
                progress.set_message(format!("{rate:.1}/s"));
            }
            if let Some(slot) = outcomes.get_mut(index) {
                *slot = Some(outcome);
            }
            while let Some(Some(outcome)) = outcomes.get_mut(next_to_print) {
                let job = &jobs[next_to_print];
                let lines = outcome_lines(&mut printer, job, outcome, config.verbose);
                progress.suspend(|| lines.iter().for_each(|l| say(l)));
                next_to_print += 1;
            }
        }
    });
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
        manifests[made.manifest].insert(&made.path, made.fingerprint.clone());
    }
    for manifest in &manifests {
        if let Err(e) = manifest.save() {
            let path = manifest.dir().join(walk::MANIFEST).display().to_string();
            say(&error_line(&path, &io_error(e)));
        }
    }
    let mut report_failed = false;
    if let Some(path) = &config.report {
        let json = report_json(config, &outcomes, elapsed, interrupted);
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        let mut bytes = super::terminal::escape_json_controls(&text)
            .into_owned()
            .into_bytes();
        bytes.push(b'\n');
        if let Err(e) = create_parent(path).and_then(|()| write_atomically(path, &bytes, true)) {
            say(&error_line(&path.display().to_string(), &io_error(e)));
            report_failed = true;
        }
    }
    if interrupted {
        RunStatus::Interrupted
    } else if failed || report_failed {
        RunStatus::SomeFailed
    } else {
        RunStatus::AllConverted
    }
}

/// A progress bar on a terminal, for batches; hidden (drawing nothing) on a pipe or with
/// `--quiet`.
fn progress_bar(config: &Config) -> ProgressBar {
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

/// The manifests this run's outputs are listed in: a batch's output folder (`-o DIR`) and,
/// when a folder is converted in place, that folder's. A single conversion is always done, so
/// it needs no record of its own and creates no manifest; it only keeps an existing one true,
/// as does any run writing into a folder that has one.
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
        .into_iter()
        .filter(|dir| dir.join(walk::MANIFEST).is_file())
        .collect();
    existing.sort();
    let created: Vec<std::path::PathBuf> = match config.batch {
        true => config
            .manifest_dirs
            .iter()
            .chain(&config.output_dir)
            .cloned()
            .collect(),
        false => Vec::new(),
    };
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
        if let Err(e) = manifests[made.manifest].append(&made.path, &made.fingerprint) {
            let path = manifests[made.manifest].dir().join(walk::MANIFEST);
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
    let plan = manifest::plan(job, &config.settings, manifests, config.force, config.batch);
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
    let converted = panic::catch_unwind(AssertUnwindSafe(|| convert_job(job, &config.settings)))
        .unwrap_or_else(|payload| {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let mut report = JobReport::default();
            report.error(
                job.source.label(),
                anyhow!("internal error (a bug in quire, please report it): {what}"),
            );
            report
        });
    report.messages.extend(converted.messages);
    let failed = |label: &str| {
        report
            .messages
            .iter()
            .any(|m| matches!(m, Message::Error { path, .. } if path == label))
    };
    let made = plan.made(job, &config.settings, manifests, &failed);
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

/// A file input's size, for scheduling; other inputs count as small.
fn input_size(job: &Job) -> u64 {
    match &job.source {
        Source::File(path) => fs::metadata(path).map_or(0, |m| m.len()),
        Source::Stdin | Source::Url(_) => 0,
    }
}

fn outcome_lines(
    printer: &mut Printer,
    job: &Job,
    outcome: &Outcome,
    verbose: bool,
) -> Vec<String> {
    let mut lines = Vec::new();
    if verbose {
        let targets: Vec<String> = job.outputs.iter().map(|o| o.target.label()).collect();
        match outcome.status {
            Status::Converted => lines.push(format!(
                "quire: converted {} -> {}",
                job.source.label(),
                targets.join(", ")
            )),
            Status::UpToDate => lines.push(format!("quire: up to date: {}", job.source.label())),
            Status::Failed | Status::NotRun => {}
        }
    }
    lines.extend(printer.lines(&outcome.report));
    lines
}

/// `quire: 12 converted, 3 up to date, 1 failed, 5 skipped (3 hidden, 2 not a document (.png)) in 1.2 s`
fn summary(config: &Config, outcomes: &[Outcome], seconds: f64, interrupted: bool) -> String {
    let count = |status| outcomes.iter().filter(|o| o.status == status).count();
    let mut parts = vec![format!("{} converted", count(Status::Converted))];
    for status in [Status::UpToDate, Status::Failed, Status::NotRun] {
        let n = count(status);
        if n > 0 {
            parts.push(format!("{n} {}", status.name()));
        }
    }
    if !config.skipped.is_empty() {
        parts.push(format!(
            "{} skipped ({})",
            config.skipped.len(),
            walk::describe_skips(config.skipped.iter().map(|s| &s.reason))
        ));
    }
    let prefix = if interrupted { "interrupted: " } else { "" };
    format!("quire: {prefix}{} in {seconds:.1} s", parts.join(", "))
}

/// The `--report` document: totals, then every input (and every skipped path) in order.
fn report_json(
    config: &Config,
    outcomes: &[Outcome],
    seconds: f64,
    interrupted: bool,
) -> serde_json::Value {
    let count = |status| outcomes.iter().filter(|o| o.status == status).count();
    let mut files: Vec<serde_json::Value> = config
        .jobs
        .iter()
        .zip(outcomes)
        .map(|(job, outcome)| {
            let mut errors = Vec::new();
            let mut warnings = Vec::new();
            for message in &outcome.report.messages {
                match message {
                    Message::Error { path, error } => {
                        errors.push(json!({"path": path, "message": format!("{error:#}")}))
                    }
                    Message::Warning { path, warning } => {
                        warnings.push(json!({"path": path, "message": warning.message}))
                    }
                }
            }
            json!({
                "input": job.source.label(),
                "status": outcome.status.name(),
                "outputs": job.outputs.iter().map(|o| json!({
                    "format": o.format.extension(),
                    "path": o.target.label(),
                })).collect::<Vec<_>>(),
                "errors": errors,
                "warnings": warnings,
                "seconds": (outcome.seconds * 1000.0).round() / 1000.0,
            })
        })
        .collect();
    files.extend(config.skipped.iter().map(|s| {
        json!({
            "input": s.path.display().to_string(),
            "status": "skipped",
            "reason": s.reason.to_string(),
        })
    }));
    json!({
        "converted": count(Status::Converted),
        "up_to_date": count(Status::UpToDate),
        "failed": count(Status::Failed),
        "not_run": count(Status::NotRun),
        "skipped": config.skipped.len(),
        "interrupted": interrupted,
        "seconds": (seconds * 1000.0).round() / 1000.0,
        "files": files,
    })
}

/// Prints what article extraction decides about an HTML input (`--explain`), on standard
/// error so that it never mixes with output on standard output.
fn explain_extraction(label: &str, bytes: &[u8], format: InputFormat) {
    if format != InputFormat::Html {
        say(&format!("{label}: not HTML, no article extraction"));
        return;
    }
    match quire::read::decode::decode(bytes, true, None) {
        Ok(decoded) => {
            say(&format!("{label}: article extraction"));
            for line in quire::read::html::explain(&decoded.text).lines() {
                say(&format!("  {line}"));
            }
        }
        Err(e) => say(&format!("{label}: {e}")),
    }
}

/// Reads one input into a document: fetch or read the bytes, pick the format, `quire::read`,
/// then the metadata overrides and `--no-images`. What goes wrong is put in `report`. With the
/// document, whether it came from a private address (a URL the user typed that names one):
/// its images may then be fetched from private addresses too.
pub fn read_input(
    source: &Source,
    from: Option<InputFormat>,
    settings: &Settings,
    report: &mut JobReport,
) -> Option<(quire::Document, bool)> {
    let label = source.label();
    let mut read_options = settings.read.clone();
    let mut private = false;
    let (bytes, declared_format) =
        match read_source(source, settings, &mut read_options, &mut private) {
            Ok(read) => read,
            Err(e) => {
                report.error(label, e);
                return None;
            }
        };
    let format = from.unwrap_or_else(|| match source {
        Source::File(path) => {
            InputFormat::from_path(path).unwrap_or_else(|| InputFormat::sniff(&bytes))
        }
        Source::Url(url) => url::Url::parse(url)
            .ok()
            .and_then(|u| InputFormat::from_path(Path::new(u.path())))
            .or(declared_format)
            .unwrap_or_else(|| InputFormat::sniff(&bytes)),
        Source::Stdin => InputFormat::sniff(&bytes),
    });
    if settings.explain {
        explain_extraction(&label, &bytes, format);
    }
    // The bytes are given away: UTF-8 input becomes the text without a copy, and the reader
    // frees it as soon as it can, which lowers the peak on large inputs.
    let reading = match quire::read_owned(bytes, format, &read_options) {
        Ok(reading) => reading,
        Err(e) => {
            report.error(
                label,
                anyhow!(e).context(format!("cannot read it as {format}")),
            );
            return None;
        }
    };
    report.warnings(&label, reading.warnings);
    let mut document = reading.document;
    settings.overrides.apply(&mut document.meta);
    if settings.no_images {
        document.remove_images();
    }
    Some((document, private))
}

/// The folder an input's relative images are looked up in (and only there).
pub fn folder_of(path: &Path) -> std::path::PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    }
}

/// Converts one input into all its outputs: read the bytes, `quire::read`, apply the
/// metadata overrides, then `quire::write` and an atomic write for each output. An output
/// that fails does not stop the others.
pub fn convert_job(job: &Job, settings: &Settings) -> JobReport {
    let mut report = JobReport::default();
    let Some((document, private)) = read_input(&job.source, job.from, settings, &mut report) else {
        return report;
    };

    let mut write_options = settings.write.clone();
    match &job.source {
        Source::File(path) => write_options.resource_dir = Some(folder_of(path)),
        // A page from the web has its images on the web too (on a private network too when
        // the page is: see `quire::net::PrivateAddresses`).
        Source::Url(_) => {
            write_options.fetch_images = true;
            write_options.remote_images.allow_private |= private;
        }
        Source::Stdin => {}
    }
    // The input's images are loaded once, for every output format that embeds them.
    if job
        .outputs
        .iter()
        .any(|output| quire::write::uses_media(output.format, &write_options))
    {
        let (media, warnings) = write_options.load_media(&document);
        report.warnings(&job.source.label(), warnings);
        write_options.media = Some(std::sync::Arc::new(media));
    }
    for output in &job.outputs {
        let out_label = output.target.label();
        // The output goes to its file (or standard output) as it is made, so a large one is
        // never all in memory. A writer's own failure and the destination's are told apart.
        let mut render_error = None;
        let mut warnings = Vec::new();
        let mut render = |out: &mut dyn Write| -> io::Result<()> {
            let mut destination = Destination { out, failed: false };
            match quire::write_to(&document, output.format, &write_options, &mut destination) {
                Ok(written) => {
                    warnings = written;
                    Ok(())
                }
                Err(quire::Error::Io(e)) if destination.failed => Err(e),
                Err(e) => {
                    render_error = Some(e);
                    Err(io::Error::other("the writer failed"))
                }
            }
        };
        let delivered = match &output.target {
            Target::Stdout => write_stdout(&mut render),
            Target::File(path) => create_parent(path)
                .and_then(|()| check_inside(path, settings.output_root.as_deref()))
                .and_then(|()| write_atomically_with(path, settings.durable, &mut render)),
        };
        if let Some(e) = render_error {
            report.error(
                out_label,
                anyhow!(e).context(format!("cannot write {}", output.format)),
            );
            continue;
        }
        report.warnings(&out_label, warnings);
        match delivered {
            // The reader of a pipe went away (`quire ... -o - | head`): it has what it wanted.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe && output.target == Target::Stdout => {}
            Err(e) => report.error(out_label, io_error(e)),
            Ok(()) => {}
        }
    }
    report
}

/// The input's bytes, and for a URL the format its media type names. A fetched page's final
/// URL (after redirects) and declared charset go into `read_options`, and whether it came from
/// a private address into `private`.
fn read_source(
    source: &Source,
    settings: &Settings,
    read_options: &mut ReadOptions,
    private: &mut bool,
) -> anyhow::Result<(Vec<u8>, Option<InputFormat>)> {
    match source {
        Source::File(path) => {
            read_options.source_url = Some(recorded_path(path)).filter(|p| !p.is_empty());
            let file = fs::File::open(path).map_err(io_error)?;
            // A regular file's size says at once whether it is too large (and how much to
            // allocate); a device or a pipe is only found out by reading.
            let size = file
                .metadata()
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            let bytes = read_capped(file, size.unwrap_or(0), settings.max_input_size)?;
            Ok((bytes, None))
        }
        Source::Stdin => {
            let bytes = read_capped(io::stdin().lock(), 0, settings.max_input_size)?;
            Ok((bytes, None))
        }
        Source::Url(url) => {
            let fetched = quire::net::fetch(url, &settings.fetch).map_err(|e| match e {
                // The label already names the URL.
                quire::Error::Fetch { message, .. } => anyhow!("cannot fetch it: {message}"),
                other => anyhow!(other),
            })?;
            let format = fetched.input_format();
            read_options.source_url = Some(fetched.final_url);
            read_options.charset = fetched.charset;
            *private = fetched.private;
            Ok((fetched.bytes, format))
        }
    }
}

/// Reads `input` to its end, or fails as soon as it passes `limit` bytes (`/dev/zero` would
/// otherwise fill memory). `size` is what a regular file holds; 0 when unknown.
fn read_capped(mut input: impl Read, size: u64, limit: Option<u64>) -> anyhow::Result<Vec<u8>> {
    let limit = limit.unwrap_or(u64::MAX);
    let too_large = || {
        anyhow!(
            "input is larger than --max-input-size ({})",
            super::args::format_size(limit)
        )
    };
    if size > limit {
        return Err(too_large());
    }
    if size > 0 {
        // The size is known: one allocation (a byte over, so that finding the end costs no
        // reallocation), read straight into it.
        let mut bytes = Vec::with_capacity(usize::try_from(size.saturating_add(1)).unwrap_or(0));
        input
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(io_error)?;
        if bytes.len() as u64 > limit {
            return Err(too_large());
        }
        return Ok(bytes);
    }
    // A pipe or a device: the buffer grows by doubling, but never past the limit, so a
    // stream that hits it has cost `limit` bytes of memory, not twice that.
    let limit_bytes = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(e)),
        };
        let needed = bytes.len() + n;
        if needed > limit_bytes {
            return Err(too_large());
        }
        if needed > bytes.capacity() {
            let grown = bytes
                .capacity()
                .saturating_mul(2)
                .clamp(needed, limit_bytes);
            bytes.reserve_exact(grown - bytes.len());
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
}

/// How a file input is named inside its outputs (the document's source: a canonical link,
/// front matter, the PDF's Source line, JSON): its path relative to the current folder
/// when it lies inside it, else its bare file name. An absolute path would tell every
/// reader of the output where the user keeps their files.
pub fn recorded_path(path: &Path) -> String {
    use std::path::Component;
    let relative = if path.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
    } else {
        Some(path.to_path_buf())
    };
    let inside = relative.filter(|r| {
        !r.as_os_str().is_empty()
            && r.components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    });
    match (inside, path.file_name()) {
        (Some(relative), _) => relative.display().to_string(),
        (None, Some(name)) => name.to_string_lossy().into_owned(),
        (None, None) => String::new(),
    }
}

/// Outputs mirror the input folders, so their folder may not exist yet.
fn create_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => fs::create_dir_all(dir),
        _ => Ok(()),
    }
}

/// An output mirrored under `-o DIR` stays inside it: a subfolder planted there as a link
/// to elsewhere is not written through.
fn check_inside(path: &Path, root: Option<&Path>) -> io::Result<()> {
    let Some(root) = root else {
        return Ok(());
    };
    let root = root.canonicalize()?;
    if folder_of(path).canonicalize()?.starts_with(&root) {
        return Ok(());
    }
    Err(io::Error::other(format!(
        "its folder is a link out of the output folder '{}': quire does not write through it",
        root.display()
    )))
}

/// The writer's destination, noting whether it failed (so that its I/O errors are told apart
/// from a writer's own).
struct Destination<'a> {
    out: &'a mut dyn Write,
    failed: bool,
}

impl Write for Destination<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.out.write(buf);
        self.failed |= written.is_err();
        written
    }

    fn flush(&mut self) -> io::Result<()> {
        let flushed = self.out.flush();
        self.failed |= flushed.is_err();
        flushed
    }
}

fn write_stdout(write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    write(&mut stdout)?;
    stdout.flush()
}

/// Writes `bytes` to a temporary file in `path`'s folder and renames it over `path`. A kill,
/// a crash of quire or a full disk leaves the old file (or none), never half a file, and no
/// temporary file (see [`atomic`]). `durable` also flushes the data to disk before
/// the rename, so that a power cut cannot leave an empty file under the final name: it costs
/// a disk flush per file (most of a batch's time on small pages), so batches ask for it only
/// with `--fsync`.
pub fn write_atomically(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    write_atomically_with(path, durable, &mut |out| out.write_all(bytes))
}

/// [`write_atomically`], with the bytes written by `write` as they are made.
pub fn write_atomically_with(
    path: &Path,
    durable: bool,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    atomic::write_with(path, durable, write)
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
        .chain(config.report.as_deref());
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

/// An I/O error as users read it: `No such file or directory`, without `(os error 2)`.
fn io_error(error: io::Error) -> anyhow::Error {
    anyhow::Error::msg(io_message(&error))
}

/// The text of [`io_error`].
pub fn io_message(error: &io::Error) -> String {
    let text = error.to_string();
    match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    }
}

/// Turns reports into the lines users see on stderr, `quire: PATH: message`, showing each
/// warning once.
pub struct Printer {
    quiet: bool,
    seen_warnings: HashSet<(String, String)>,
}

impl Printer {
    pub fn new(quiet: bool) -> Printer {
        Printer {
            quiet,
            seen_warnings: HashSet::new(),
        }
    }

    pub fn lines(&mut self, report: &JobReport) -> Vec<String> {
        let mut lines = Vec::new();
        for message in &report.messages {
            match message {
                Message::Warning { path, warning } => {
                    let first_time = self
                        .seen_warnings
                        .insert((path.clone(), warning.message.clone()));
                    if !self.quiet && first_time {
                        lines.push(format!("quire: {path}: warning: {warning}"));
                    }
                }
                Message::Error { path, error } => lines.push(error_line(path, error)),
            }
        }
        lines
    }
}

fn error_line(path: &str, error: &anyhow::Error) -> String {
    // `{:#}` prints the context chain on one line: "cannot write html: ...".
    format!("quire: {path}: {error:#}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report_with(messages: &[(&str, &str, bool)]) -> JobReport {
        let mut report = JobReport::default();
        for &(path, text, is_error) in messages {
            if is_error {
                report.error(
                    path.into(),
                    anyhow!(text.to_string()).context("cannot write html"),
                );
            } else {
                report.warnings(path, [Warning::new(text)]);
            }
        }
        report
    }

    #[test]
    fn warnings_are_shown_once_and_errors_always() {
        let mut printer = Printer::new(false);
        let first = printer.lines(&report_with(&[
            ("a.html", "guessed windows-1252", false),
            ("a.html", "guessed windows-1252", false),
            ("out/a.html", "disk full", true),
        ]));
        assert_eq!(
            first,
            [
                "quire: a.html: warning: guessed windows-1252",
                "quire: out/a.html: cannot write html: disk full",
            ]
        );
        let again = printer.lines(&report_with(&[("a.html", "guessed windows-1252", false)]));
        assert!(again.is_empty(), "{again:?}");
    }

    #[test]
    fn quiet_hides_warnings_but_not_errors() {
        let mut printer = Printer::new(true);
        let lines = printer.lines(&report_with(&[
            ("a.txt", "odd encoding", false),
            ("a.txt", "broken", true),
        ]));
        assert_eq!(lines, ["quire: a.txt: cannot write html: broken"]);
        assert!(report_with(&[("a.txt", "broken", true)]).failed());
        assert!(!report_with(&[("a.txt", "odd", false)]).failed());
    }

    #[test]
    fn streams_are_read_up_to_the_limit_and_no_further() {
        let limit = 200_000;
        let at_limit = read_capped(io::repeat(7).take(limit), 0, Some(limit)).unwrap();
        assert_eq!(at_limit.len() as u64, limit);
        // The buffer never outgrows the limit: hitting it costs `limit` bytes, not twice.
        assert!(
            at_limit.capacity() as u64 <= limit,
            "{}",
            at_limit.capacity()
        );
        let over = read_capped(io::repeat(7), 0, Some(limit)).unwrap_err();
        assert_eq!(
            over.to_string(),
            "input is larger than --max-input-size (200000 bytes)"
        );
        let known = read_capped(&b"twelve bytes"[..], 12, Some(12)).unwrap();
        assert_eq!(known, b"twelve bytes");
        assert!(read_capped(&b"twelve bytes"[..], 12, Some(11)).is_err());
    }

    #[test]
    fn recorded_paths_are_relative_or_bare_names() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(recorded_path(&cwd.join("notes/a.html")), "notes/a.html");
        assert_eq!(recorded_path(Path::new("notes/a.html")), "notes/a.html");
        assert_eq!(
            recorded_path(Path::new("/elsewhere/private/a.html")),
            "a.html"
        );
        assert_eq!(recorded_path(Path::new("../up/a.html")), "a.html");
    }

    #[test]
    fn io_errors_lose_the_os_error_number() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(io_error(e).to_string(), "No such file or directory");
    }

    #[test]
    fn atomic_write_replaces_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.md");
        fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new contents", true).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new contents");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from("out.md")]);
    }

    #[test]
    fn failed_atomic_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("taken");
        fs::create_dir(target.join("")).unwrap();
        fs::write(target.join("keep"), "x").unwrap();
        assert!(write_atomically(&target, b"data", false).is_err());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from("taken")]);
    }
}
