//! Running a validated [`Config`]: convert each input, write each output whole or not at all,
//! and collect what went wrong without stopping at the first failure.
//!
//! [`convert_job`] is the whole life of one input and prints nothing: it returns a
//! [`JobReport`], so a batch or parallel runner can call it and decide how to show the result.

use super::config::{Config, Job, Settings, Source, Target};
use anyhow::{anyhow, Context};
use quire::{InputFormat, Warning};
use std::collections::HashSet;
use std::fs;
use std::io::{self, Read, Write};
use std::path::Path;

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

    fn error(&mut self, path: String, error: anyhow::Error) {
        self.messages.push(Message::Error { path, error });
    }

    fn warnings(&mut self, path: &str, warnings: impl IntoIterator<Item = Warning>) {
        for warning in warnings {
            self.messages.push(Message::Warning {
                path: path.to_string(),
                warning,
            });
        }
    }
}

/// Runs every job; returns whether all of them succeeded.
pub fn run(config: &Config) -> bool {
    let mut printer = Printer::new(config.quiet);
    if let Some(dir) = &config.output_dir {
        if let Err(e) = fs::create_dir_all(dir) {
            eprintln!("{}", error_line(&dir.display().to_string(), &io_error(e)));
            return false;
        }
    }
    let mut all_ok = true;
    for job in &config.jobs {
        let report = convert_job(job, &config.settings);
        all_ok &= !report.failed();
        printer.print(report);
    }
    all_ok
}

/// Prints what article extraction decides about an HTML input (`--explain`), on standard
/// error so that it never mixes with output on standard output.
fn explain_extraction(label: &str, bytes: &[u8], format: InputFormat) {
    if format != InputFormat::Html {
        eprintln!("{label}: not HTML, no article extraction");
        return;
    }
    match quire::read::decode::decode(bytes, true, None) {
        Ok(decoded) => {
            eprintln!("{label}: article extraction");
            for line in quire::read::html::explain(&decoded.text).lines() {
                eprintln!("  {line}");
            }
        }
        Err(e) => eprintln!("{label}: {e}"),
    }
}

/// Converts one input into all its outputs: read the bytes, `quire::read`, apply the
/// metadata overrides, then `quire::write` and an atomic write for each output. An output
/// that fails does not stop the others.
pub fn convert_job(job: &Job, settings: &Settings) -> JobReport {
    let mut report = JobReport::default();
    let label = job.source.label();
    let bytes = match read_source(&job.source) {
        Ok(bytes) => bytes,
        Err(e) => {
            report.error(label, io_error(e));
            return report;
        }
    };
    let format = job.from.unwrap_or_else(|| match &job.source {
        Source::File(path) => {
            InputFormat::from_path(path).unwrap_or_else(|| InputFormat::sniff(&bytes))
        }
        Source::Stdin => InputFormat::sniff(&bytes),
    });
    if settings.explain {
        explain_extraction(&label, &bytes, format);
    }
    let mut read_options = settings.read.clone();
    let mut write_options = settings.write.clone();
    if let Source::File(path) = &job.source {
        read_options.source_url = Some(path.display().to_string());
        // Images the input refers to are looked up beside it, and only there.
        write_options.resource_dir = Some(
            path.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."))
                .to_path_buf(),
        );
    }
    let reading = match quire::read(&bytes, format, &read_options) {
        Ok(reading) => reading,
        Err(e) => {
            report.error(
                label,
                anyhow!(e).context(format!("cannot read it as {format}")),
            );
            return report;
        }
    };
    report.warnings(&label, reading.warnings);
    let mut document = reading.document;
    settings.overrides.apply(&mut document.meta);
    if settings.no_images {
        document.remove_images();
    }

    for output in &job.outputs {
        let out_label = output.target.label();
        let rendered = match quire::write(&document, output.format, &write_options)
            .with_context(|| format!("cannot write {}", output.format))
        {
            Ok(rendered) => rendered,
            Err(e) => {
                report.error(out_label, e);
                continue;
            }
        };
        report.warnings(&out_label, rendered.warnings);
        let delivered = match &output.target {
            Target::Stdout => write_stdout(&rendered.bytes),
            Target::File(path) => write_atomically(path, &rendered.bytes),
        };
        match delivered {
            // The reader of a pipe went away (`quire ... -o - | head`): it has what it wanted.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe && output.target == Target::Stdout => {}
            Err(e) => report.error(out_label, io_error(e)),
            Ok(()) => {}
        }
    }
    report
}

fn read_source(source: &Source) -> io::Result<Vec<u8>> {
    match source {
        Source::File(path) => fs::read(path),
        Source::Stdin => {
            let mut bytes = Vec::new();
            io::stdin().lock().read_to_end(&mut bytes)?;
            Ok(bytes)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(bytes)?;
    stdout.flush()
}

/// Writes `bytes` to a temporary file in `path`'s folder, flushes it to disk and renames it
/// over `path`. A crash or full disk leaves the old file (or none), never half a file; the
/// temporary file is removed on any failure.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".quire-").suffix(".part");
    // NamedTempFile's default 0600 would stay on the renamed output; ask for what a plain
    // file creation gets (0666 minus the umask).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// An I/O error as users read it: `No such file or directory`, without `(os error 2)`.
fn io_error(error: io::Error) -> anyhow::Error {
    let text = error.to_string();
    let text = match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => text[..at].to_string(),
        _ => text,
    };
    anyhow::Error::msg(text)
}

/// Turns reports into the lines users see on stderr, `quire: PATH: message`, showing each
/// warning once.
struct Printer {
    quiet: bool,
    seen_warnings: HashSet<(String, String)>,
}

impl Printer {
    fn new(quiet: bool) -> Printer {
        Printer {
            quiet,
            seen_warnings: HashSet::new(),
        }
    }

    fn print(&mut self, report: JobReport) {
        for line in self.lines(report) {
            eprintln!("{line}");
        }
    }

    fn lines(&mut self, report: JobReport) -> Vec<String> {
        let mut lines = Vec::new();
        for message in report.messages {
            match message {
                Message::Warning { path, warning } => {
                    let first_time = self
                        .seen_warnings
                        .insert((path.clone(), warning.message.clone()));
                    if !self.quiet && first_time {
                        lines.push(format!("quire: {path}: warning: {warning}"));
                    }
                }
                Message::Error { path, error } => lines.push(error_line(&path, &error)),
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
        let first = printer.lines(report_with(&[
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
        let again = printer.lines(report_with(&[("a.html", "guessed windows-1252", false)]));
        assert!(again.is_empty(), "{again:?}");
    }

    #[test]
    fn quiet_hides_warnings_but_not_errors() {
        let mut printer = Printer::new(true);
        let lines = printer.lines(report_with(&[
            ("a.txt", "odd encoding", false),
            ("a.txt", "broken", true),
        ]));
        assert_eq!(lines, ["quire: a.txt: cannot write html: broken"]);
        assert!(report_with(&[("a.txt", "broken", true)]).failed());
        assert!(!report_with(&[("a.txt", "odd", false)]).failed());
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
        write_atomically(&path, b"new contents").unwrap();
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
        assert!(write_atomically(&target, b"data").is_err());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from("taken")]);
    }
}
