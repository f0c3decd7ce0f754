//! Pipeline mode (`quire convert --jsonl`): JSON lines in on stdin, one JSON line out on stdout
//! per input line, in input order, streaming, with bounded memory. That makes quire a stage in
//! Spark's `RDD.pipe`, Hadoop Streaming or any queue worker.
//!
//! In: `{"id": ANY, "html" | "text" | "markdown" | "json" | "url": STRING, "options": {...}}`.
//! Out: `{"id": ANY, "meta": {...}, "markdown" | "text" | "html" | "json": ..., "warnings":
//! [...], "error": null}`, or `{"id": ANY, "error": "what went wrong"}`. A bad item is an
//! error line, never the end of the stream, and the exit status stays 0 (an engine would
//! otherwise fail the whole partition for one bad page).
//!
//! Threads: the worker pool ([`quire::pool`]) reads lines on one thread, converts them on
//! `threads` and hands the answers back in input order to the main thread, which writes them.
//! At most `threads * 4` lines are between being read and being written, so memory stays
//! bounded whatever the input size, and a worker that sends one line and waits for its answer
//! gets it at once.

use super::args::ConvertArgs;
use super::settings::{check_pdf_options, settings_from, thread_count, Settings, UsageError};
use anyhow::anyhow;
use quire::pool::{Delivery, Pool};
use quire::{InputFormat, OutputFormat, ReadOptions};
use serde_json::{json, Map, Value};
use std::io::{self, BufRead, Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// A line longer than this is answered with an error instead of being held in memory.
pub const MAX_LINE_BYTES: u64 = 256 * 1024 * 1024;

/// Validated pipeline options.
#[derive(Debug, Clone)]
pub struct JsonlConfig {
    pub settings: Settings,
    /// The output format when an item's options do not name one.
    pub to: OutputFormat,
    pub threads: usize,
    pub from: Option<InputFormat>,
}

impl JsonlConfig {
    pub fn from_args(args: &ConvertArgs) -> Result<JsonlConfig, UsageError> {
        let to = match args.to.as_slice() {
            [] => OutputFormat::Markdown,
            [one] => text_format(*one).map_err(UsageError)?,
            _ => {
                return Err(UsageError(
                    "--jsonl writes one format per line: give one --to (or set \"to\" in each \
                     line's options)"
                        .into(),
                ))
            }
        };
        if output_key(to).is_none() {
            return Err(UsageError(format!(
                "--jsonl answers in text: --to must be one of {}, not {to}",
                OutputFormat::text_names()
            )));
        }
        check_pdf_options(&args.pdf)?;
        Ok(JsonlConfig {
            settings: settings_from(args),
            to,
            threads: thread_count(args.jobs)?,
            from: args.from,
        })
    }
}

/// Streams stdin to stdout until the input ends (or Ctrl-C). Fails only when stdin or stdout
/// fails.
pub fn run(config: &JsonlConfig) -> anyhow::Result<()> {
    let stdin = io::stdin();
    let stdout = io::stdout();
    pipe(config, io::BufReader::new(stdin), &mut stdout.lock())
}

/// Workers get a roomy stack, as the batch's do: readers and writers may recurse down to the
/// model's `MAX_DEPTH`.
const WORKER_STACK: usize = 64 * 1024 * 1024;

/// The pipeline over any reader and writer (tests drive it directly).
pub fn pipe(
    config: &JsonlConfig,
    input: impl BufRead + Send,
    output: &mut impl Write,
) -> anyhow::Result<()> {
    let threads = config.threads.max(1);
    // Set when nobody reads the answers any more: stop reading questions.
    let stop = AtomicBool::new(false);
    let read_error = Mutex::new(None);
    let lines = Lines {
        input,
        buffer: Vec::new(),
        stop: &stop,
        error: &read_error,
    };
    let mut write_error = None;
    Pool::new(threads)
        .name("quire-jsonl")
        .stack_size(WORKER_STACK)
        .window(threads * 4)
        .stop_when(&stop)
        .delivery(Delivery::InputOrder)
        .run(
            lines,
            |line| answer_line(&line, config),
            |_, answer| {
                let answer = answer.unwrap_or_else(|panicked| internal_error(&panicked.message));
                if write_error.is_none() {
                    if let Err(e) = writeln!(output, "{answer}").and_then(|()| output.flush()) {
                        write_error = Some(e);
                        stop.store(true, Ordering::SeqCst);
                    }
                }
            },
        )?;
    let read_result = match read_error.into_inner() {
        Ok(None) => Ok(()),
        Ok(Some(e)) => Err(e),
        Err(_) => Err(anyhow!("the input reader failed")),
    };
    match write_error {
        Some(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        Some(e) => Err(anyhow!("cannot write to standard output: {e}")),
        None => read_result,
    }
}

/// The answer to a line whose conversion panicked (a bug in quire): still one line.
fn internal_error(message: &str) -> String {
    json!({
        "id": null,
        "error": format!("internal error (a bug in quire, please report it): {message}"),
    })
    .to_string()
}

/// A line as read: its text, or why it could not be taken.
enum Line {
    Text(String),
    TooLong,
}

/// The lines of the input, blank ones skipped (they are owed no answer). Ends at the end of
/// the input, when `stop` is set, or at a read error, which it leaves in `error`.
struct Lines<'a, R> {
    input: R,
    buffer: Vec<u8>,
    stop: &'a AtomicBool,
    error: &'a Mutex<Option<anyhow::Error>>,
}

impl<R: BufRead> Iterator for Lines<'_, R> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        loop {
            if self.stop.load(Ordering::SeqCst) {
                return None;
            }
            match read_line(&mut self.input, &mut self.buffer) {
                Ok(None) => return None,
                Ok(Some(Line::Text(text))) if text.trim().is_empty() => continue,
                Ok(Some(line)) => return Some(line),
                Err(e) => {
                    if let Ok(mut error) = self.error.lock() {
                        *error = Some(e);
                    }
                    return None;
                }
            }
        }
    }
}

/// One line, or `None` at the end of the input. A line over [`MAX_LINE_BYTES`] is skipped
/// through to its end without being kept.
fn read_line(input: &mut impl BufRead, buffer: &mut Vec<u8>) -> anyhow::Result<Option<Line>> {
    let failed = |e: io::Error| anyhow!("cannot read standard input: {e}");
    buffer.clear();
    let read = input
        .take(MAX_LINE_BYTES + 1)
        .read_until(b'\n', buffer)
        .map_err(failed)?;
    if read == 0 {
        return Ok(None);
    }
    if buffer.len() as u64 <= MAX_LINE_BYTES || buffer.last() == Some(&b'\n') {
        return Ok(Some(Line::Text(
            String::from_utf8_lossy(buffer).into_owned(),
        )));
    }
    loop {
        buffer.clear();
        let n = input
            .take(1024 * 1024)
            .read_until(b'\n', buffer)
            .map_err(failed)?;
        if n == 0 || buffer.last() == Some(&b'\n') {
            buffer.clear();
            return Ok(Some(Line::TooLong));
        }
    }
}

/// The answer to one line, as one line of JSON.
fn answer_line(line: &Line, config: &JsonlConfig) -> String {
    let answer = match line {
        Line::Text(text) => answer(text, config),
        Line::TooLong => json!({
            "id": null,
            "error": format!("the line is longer than {MAX_LINE_BYTES} bytes"),
        }),
    };
    // Serializing a Value cannot fail; the fallback keeps the one-line-per-input promise.
    serde_json::to_string(&answer)
        .unwrap_or_else(|_| r#"{"id":null,"error":"cannot serialize the answer"}"#.to_string())
}

/// Converts one item.
fn answer(text: &str, config: &JsonlConfig) -> Value {
    let item: Value = match serde_json::from_str(text) {
        Ok(item) => item,
        Err(e) => return json!({"id": null, "error": format!("not a JSON line: {e}")}),
    };
    let Value::Object(item) = item else {
        return json!({"id": null, "error": "a line must be a JSON object"});
    };
    let id = item.get("id").cloned().unwrap_or(Value::Null);
    match convert_item(&item, config) {
        Ok(mut answer) => {
            answer.insert("id".into(), id);
            answer.insert("error".into(), Value::Null);
            Value::Object(answer)
        }
        Err(e) => json!({"id": id, "error": format!("{e:#}")}),
    }
}

/// Where an item's input is: one of these keys (an input format's name, or `url`).
fn source_keys() -> impl Iterator<Item = &'static str> {
    InputFormat::ALL
        .into_iter()
        .map(InputFormat::name)
        .chain(["url"])
}

fn convert_item(
    item: &Map<String, Value>,
    config: &JsonlConfig,
) -> anyhow::Result<Map<String, Value>> {
    let present: Vec<&str> = source_keys().filter(|k| item.contains_key(*k)).collect();
    let key = match present.as_slice() {
        [one] => *one,
        [] => {
            let keys: Vec<String> = source_keys().map(|k| format!("\"{k}\"")).collect();
            return Err(anyhow!("no input: give one of {}", keys.join(", ")));
        }
        _ => {
            return Err(anyhow!(
                "several inputs ({}): give exactly one",
                present.join(", ")
            ))
        }
    };
    let Some(value) = item.get(key).and_then(Value::as_str) else {
        return Err(anyhow!("\"{key}\" must be a string"));
    };
    let empty = Map::new();
    let options = match item.get("options") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(options)) => options,
        Some(_) => return Err(anyhow!("\"options\" must be an object")),
    };
    let mut settings = config.settings.clone();
    let to = apply_options(options, &mut settings, config.to)?;
    let Some(key_out) = output_key(to) else {
        return Err(anyhow!(
            "--jsonl answers in text: \"to\" must be one of {}, not {to}",
            OutputFormat::text_names()
        ));
    };

    let mut read_options = ReadOptions {
        source_url: string_option(options, "base_url")?,
        ..settings.read.clone()
    };
    let (bytes, format) = if key == "url" {
        let fetched = quire::net::fetch_page(value, &settings.fetch)?;
        let format = config
            .from
            .or_else(|| {
                url::Url::parse(&fetched.final_url)
                    .ok()
                    .and_then(|u| InputFormat::from_path(std::path::Path::new(u.path())))
            })
            .or(fetched.input_format())
            .unwrap_or_else(|| InputFormat::sniff(&fetched.bytes));
        if read_options.source_url.is_none() {
            read_options.source_url = Some(fetched.final_url);
        }
        read_options.charset = fetched.charset;
        (fetched.bytes, format)
    } else {
        let format = InputFormat::from_name(key)?;
        (value.as_bytes().to_vec(), format)
    };
    let reading = quire::read_owned(bytes, format, &read_options)?;
    let mut document = reading.document;
    settings.overrides.apply(&mut document.meta);
    let rendered = quire::write(&document, to, &settings.write)?;

    let mut answer = Map::new();
    answer.insert("meta".into(), serde_json::to_value(&document.meta)?);
    let body = match to {
        OutputFormat::Json => serde_json::from_slice(&rendered.bytes)?,
        _ => Value::String(String::from_utf8_lossy(&rendered.bytes).into_owned()),
    };
    answer.insert(key_out.into(), body);
    let warnings: Vec<Value> = reading
        .warnings
        .iter()
        .chain(&rendered.warnings)
        .map(|w| Value::String(w.message.clone()))
        .collect();
    answer.insert("warnings".into(), Value::Array(warnings));
    Ok(answer)
}

/// The answer's key for a format: `markdown`, `text`, `html`, `json`; `None` for the binary
/// formats (EPUB, PDF), which a line of JSON does not carry.
fn output_key(format: OutputFormat) -> Option<&'static str> {
    format.is_text().then(|| format.name())
}

/// Refuses an output format a JSON line cannot carry, saying which ones it can.
fn text_format(format: OutputFormat) -> Result<OutputFormat, String> {
    match output_key(format) {
        Some(_) => Ok(format),
        None => Err(format!(
            "--jsonl answers carry text: {format} is not one (use {})",
            OutputFormat::text_names()
        )),
    }
}

/// Applies an item's `options` over the command line's; returns the output format.
fn apply_options(
    options: &Map<String, Value>,
    settings: &mut Settings,
    default_to: OutputFormat,
) -> anyhow::Result<OutputFormat> {
    for key in options.keys() {
        if !matches!(
            key.as_str(),
            "to" | "base_url"
                | "whole_page"
                | "fragment"
                | "front_matter"
                | "width"
                | "title"
                | "authors"
                | "lang"
        ) {
            return Err(anyhow!("unknown option \"{key}\""));
        }
    }
    let to = match string_option(options, "to")? {
        Some(name) => OutputFormat::from_name(&name)?,
        None => default_to,
    };
    if let Some(v) = bool_option(options, "whole_page")? {
        settings.read.whole_page = v;
    }
    if let Some(v) = bool_option(options, "fragment")? {
        settings.write.fragment = v;
    }
    if let Some(v) = bool_option(options, "front_matter")? {
        settings.write.front_matter = v;
    }
    if let Some(v) = options.get("width") {
        let width = v
            .as_u64()
            .ok_or_else(|| anyhow!("\"width\" must be a whole number"))?;
        settings.write.text_width = usize::try_from(width).ok().filter(|&w| w > 0);
    }
    if let Some(title) = string_option(options, "title")? {
        settings.overrides.title = Some(title);
    }
    if let Some(lang) = string_option(options, "lang")? {
        settings.overrides.language = Some(lang);
    }
    if let Some(authors) = options.get("authors") {
        settings.overrides.authors = authors
            .as_array()
            .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect())
            .ok_or_else(|| anyhow!("\"authors\" must be a list of strings"))?;
    }
    Ok(to)
}

fn string_option(options: &Map<String, Value>, key: &str) -> anyhow::Result<Option<String>> {
    match options.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(anyhow!("\"{key}\" must be a string")),
    }
}

fn bool_option(options: &Map<String, Value>, key: &str) -> anyhow::Result<Option<bool>> {
    match options.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(anyhow!("\"{key}\" must be true or false")),
    }
}
