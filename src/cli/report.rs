//! What became of each input, told to the user: the messages of one job ([`JobReport`]), the
//! lines printed for them ([`Printer`]), the summary line and the `--report` JSON document.

use super::config::Config;
use super::job::Job;
use super::manifest::Made;
use super::walk;
use quire::Warning;
use serde_json::json;
use std::collections::HashSet;

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
pub struct Outcome {
    pub status: Status,
    pub report: JobReport,
    pub seconds: f64,
    /// The outputs written, for the `.quire-outputs` manifests.
    pub made: Vec<Made>,
}

pub fn outcome_lines(
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
pub fn summary(config: &Config, outcomes: &[Outcome], seconds: f64, interrupted: bool) -> String {
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
pub fn report_json(
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

pub fn error_line(path: &str, error: &anyhow::Error) -> String {
    // `{:#}` prints the context chain on one line: "cannot write html: ...".
    format!("quire: {path}: {error:#}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::anyhow;

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
}
