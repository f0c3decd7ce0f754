//! Raw arguments → a validated [`Config`]: which inputs, which formats, and exactly which file
//! (or standard output) each output goes to. Every rule about how options combine lives here,
//! decided before anything is read or written, so a usage mistake costs nothing.

use super::args::{ConvertArgs, PdfArgs};
use super::walk::{self, Skipped, WalkOptions};
use quire::{InputFormat, Meta, OutputFormat, ReadOptions, WriteOptions};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

/// What the user asked for does not make sense (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where an input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
    /// An http(s) URL, fetched when its job runs.
    Url(String),
}

impl Source {
    /// How messages name this input.
    pub fn label(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File(path) => path.display().to_string(),
            Source::Url(url) => url.clone(),
        }
    }

    /// The name outputs are given: the file stem, the last URL path segment (else the
    /// host), `stdin`. Only characters safe in a file name on every system are kept.
    pub fn stem(&self) -> String {
        let raw = match self {
            Source::Stdin => "stdin".to_string(),
            Source::File(path) => path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            Source::Url(url) => url_stem(url),
        };
        let stem = if matches!(self, Source::Url(_)) {
            safe_file_name(&raw)
        } else {
            raw
        };
        if stem.is_empty() || stem == ".." || stem == "." {
            "output".to_string()
        } else {
            stem
        }
    }
}

/// Whether a command-line input names a URL rather than a file.
pub fn is_url(input: &str) -> bool {
    let lower = input.get(..8).unwrap_or(input).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// `https://example.org/news/tide-tables.html?x=1` → `tide-tables`; a URL ending in `/`
/// uses its last folder, a bare host its host name.
fn url_stem(url: &str) -> String {
    let Ok(parsed) = url::Url::parse(url) else {
        return String::new();
    };
    let segment = parsed
        .path_segments()
        .and_then(|mut segments| segments.rfind(|s| !s.is_empty()))
        .map(|s| {
            let decoded = percent_decode(s);
            Path::new(&decoded)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or(decoded)
        });
    match segment {
        Some(s) if !s.is_empty() => s,
        _ => parsed.host_str().unwrap_or("page").to_string(),
    }
}

/// `%20` → space; invalid escapes are kept as written, invalid UTF-8 replaced.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Letters, digits, `-`, `_` and `.` survive; anything else becomes `-` (runs merged).
fn safe_file_name(raw: &str) -> String {
    let mut out = String::new();
    for c in raw.chars() {
        if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches(|c| c == '-' || c == '.');
    trimmed.chars().take(120).collect()
}

/// Where one output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stdout,
    File(PathBuf),
}

impl Target {
    /// How messages name this output.
    pub fn label(&self) -> String {
        match self {
            Target::Stdout => "<stdout>".to_string(),
            Target::File(path) => path.display().to_string(),
        }
    }
}

/// One output of one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub format: OutputFormat,
    pub target: Target,
}

/// One input and everything made from it: the unit a batch or parallel runner hands out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub source: Source,
    /// Where the input sits relative to the folder it was found in (or its file name): its
    /// outputs mirror this path under `-o DIR`.
    pub relative: PathBuf,
    /// `--from`; `None` means: the file's extension, else sniff the content.
    pub from: Option<InputFormat>,
    pub outputs: Vec<Output>,
}

/// Metadata the user set on the command line; it beats what the input says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetaOverrides {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
}

impl MetaOverrides {
    pub fn apply(&self, meta: &mut Meta) {
        if let Some(title) = &self.title {
            meta.title = Some(title.clone());
        }
        if !self.authors.is_empty() {
            meta.authors = self.authors.clone();
        }
        if let Some(language) = &self.language {
            meta.language = Some(language.clone());
        }
    }
}

/// The options every job shares.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Read options without `source_url`, which each job sets to its own path.
    pub read: ReadOptions,
    pub write: WriteOptions,
    pub overrides: MetaOverrides,
    /// Limits for fetching URL inputs.
    pub fetch: quire::net::FetchOptions,
    /// Flush each output to disk before renaming it into place (see `run::write_atomically`).
    pub durable: bool,
    /// Print, for each HTML input, what article extraction chose and why.
    pub explain: bool,
    /// Leave images and figures out of every output.
    pub no_images: bool,
    /// The most bytes read from an input file or standard input (`--max-input-size`);
    /// `None` reads without a limit.
    pub max_input_size: Option<u64>,
    /// `-o DIR`: every output must land inside it, not down a link out of it.
    pub output_root: Option<PathBuf>,
}

/// A validated `quire convert` invocation.
#[derive(Debug, Clone)]
pub struct Config {
    pub jobs: Vec<Job>,
    pub settings: Settings,
    /// The output directory to create before writing, when `-o` names one.
    pub output_dir: Option<PathBuf>,
    pub quiet: bool,
    /// Name each file as it is done.
    pub verbose: bool,
    /// How many inputs are converted at a time (at least 1).
    pub threads: usize,
    /// Convert inputs even when up to date, and replace outputs edited since quire wrote them.
    pub force: bool,
    /// Where to write the JSON report of every input's outcome.
    pub report: Option<PathBuf>,
    /// Files found in folders but not converted, and why.
    pub skipped: Vec<Skipped>,
    /// A folder, a URL list or several inputs: show progress and a summary.
    pub batch: bool,
    /// Folders whose `.quire-outputs` manifest records this run's outputs.
    pub manifest_dirs: Vec<PathBuf>,
}

/// One input before its outputs are named.
struct Planned {
    source: Source,
    relative: PathBuf,
}

/// The most inputs converted at a time: more threads than this only cost memory (each
/// has a roomy stack and holds a whole document), and a million of them cannot start.
pub fn max_threads(cores: usize) -> usize {
    cores.saturating_mul(4).clamp(1, 256)
}

/// The number of inputs converted at a time: `--jobs` (at most [`max_threads`], with a
/// warning), else one per core.
pub fn thread_count(jobs: Option<usize>) -> Result<usize, UsageError> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    match jobs {
        Some(0) => Err(UsageError("--jobs must be at least 1".into())),
        Some(n) if n > max_threads(cores) => {
            let max = max_threads(cores);
            super::terminal::say(&format!(
                "quire: warning: --jobs {n} is more than this machine can use \
                 ({cores} cores); converting {max} files at a time"
            ));
            Ok(max)
        }
        Some(n) => Ok(n),
        None => Ok(cores),
    }
}

/// How much of the page margins may take: the rest is too narrow (or too short) to set
/// text in. The PDF layout keeps the same third for text whatever it is given.
const MAX_MARGIN_SHARE: f32 = 0.66;

/// Checks what clap cannot check alone: margins against the page they are for.
pub fn check_pdf_options(pdf: &PdfArgs) -> Result<(), UsageError> {
    let Some(margins) = pdf.margins else {
        return Ok(());
    };
    let (width, height) = pdf.page_size.dimensions();
    let mm = |points: f32| (points * 25.4 / 72.0).round();
    if margins.left + margins.right > width * MAX_MARGIN_SHARE
        || margins.top + margins.bottom > height * MAX_MARGIN_SHARE
    {
        return Err(UsageError(format!(
            "--margins leave no room for text on {} pages ({} x {} mm): left and right \
             together may take at most {} mm, top and bottom at most {} mm",
            pdf.page_size,
            mm(width),
            mm(height),
            mm(width * MAX_MARGIN_SHARE),
            mm(height * MAX_MARGIN_SHARE)
        )));
    }
    Ok(())
}

/// The URLs a `--urls` file lists: one a line, blank lines and `#` comments skipped.
fn read_url_list(path: &Path) -> Result<Vec<String>, UsageError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        UsageError(format!(
            "cannot read the URL list '{}': {}",
            path.display(),
            super::run::io_message(&e)
        ))
    })?;
    let mut urls = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !is_url(line) {
            return Err(UsageError(format!(
                "{}:{}: '{}' is not an http or https URL",
                path.display(),
                number + 1,
                line
            )));
        }
        urls.push(line.to_string());
    }
    Ok(urls)
}

/// What `-o` said, before the number of outputs decides between a file and a directory.
enum Destination {
    Stdout,
    Path { path: PathBuf, dir_like: bool },
    Beside,
}

impl Config {
    pub fn from_args(args: ConvertArgs) -> Result<Config, UsageError> {
        check_pdf_options(&args.pdf)?;
        let threads = thread_count(args.jobs)?;
        // The output folder is never walked as input, even when it lies inside an input folder.
        let exclude = args
            .output
            .as_ref()
            .filter(|p| p.as_os_str() != "-")
            .and_then(|p| p.canonicalize().ok());
        let walk_options = WalkOptions {
            hidden: args.hidden,
            no_ignore: args.no_ignore,
        };
        let folder_count = args.inputs.iter().filter(|p| p.is_dir()).count();
        // When a folder batch writes among its inputs (no -o, or -o naming an input folder),
        // it lists its outputs there so that a re-run does not take them for inputs. A
        // batch's separate output folder (-o DIR) gets its own list too (see run).
        let roots: Vec<&PathBuf> = args.inputs.iter().filter(|p| p.is_dir()).collect();
        let manifest_dirs: Vec<PathBuf> = match &args.output {
            _ if roots.is_empty() => Vec::new(),
            None => roots.iter().map(|r| r.to_path_buf()).collect(),
            Some(out) => roots
                .iter()
                .filter(|root| exclude.is_some() && root.canonicalize().ok() == exclude)
                .map(|_| out.clone())
                .take(1)
                .collect(),
        };
        let earlier_outputs: HashSet<PathBuf> = manifest_dirs
            .iter()
            .flat_map(|dir| walk::read_manifest(dir))
            .collect();
        let mut planned = Vec::new();
        let mut skipped = Vec::new();
        for input in &args.inputs {
            let text = input.to_string_lossy();
            if input.as_os_str() == "-" {
                planned.push(Planned {
                    source: Source::Stdin,
                    relative: PathBuf::from("stdin"),
                });
            } else if is_url(&text) {
                planned.push(Planned {
                    source: Source::Url(text.into_owned()),
                    relative: PathBuf::new(),
                });
            } else if input.is_dir() {
                let found = walk::walk(input, walk_options, exclude.as_deref(), &earlier_outputs);
                // Several folders into one -o DIR each get a subfolder named after them.
                let prefix = match input
                    .canonicalize()
                    .ok()
                    .and_then(|c| c.file_name().map(PathBuf::from))
                {
                    Some(name) if folder_count > 1 => name,
                    _ => PathBuf::new(),
                };
                planned.extend(found.found.into_iter().map(|f| Planned {
                    source: Source::File(f.path),
                    relative: prefix.join(f.relative),
                }));
                skipped.extend(found.skipped);
            } else {
                planned.push(Planned {
                    relative: input.file_name().map(PathBuf::from).unwrap_or_default(),
                    source: Source::File(input.clone()),
                });
            }
        }
        if let Some(list) = &args.urls {
            for url in read_url_list(list)? {
                planned.push(Planned {
                    source: Source::Url(url),
                    relative: PathBuf::new(),
                });
            }
        }
        let batch = folder_count > 0 || args.urls.is_some() || planned.len() > 1;
        if planned.is_empty() && skipped.is_empty() && folder_count == 0 {
            return Err(UsageError("nothing to convert: no inputs given".into()));
        }
        let sources: Vec<&Source> = planned.iter().map(|p| &p.source).collect();
        if sources.iter().filter(|s| ***s == Source::Stdin).count() > 1 {
            return Err(UsageError(
                "standard input ('-') can be given only once".into(),
            ));
        }

        let destination = match &args.output {
            Some(path) if path.as_os_str() == "-" => Destination::Stdout,
            Some(path) => Destination::Path {
                dir_like: path.is_dir() || ends_with_separator(path),
                path: path.clone(),
            },
            None => Destination::Beside,
        };
        let formats = choose_formats(&args.to, &destination)?;
        let input_ids: HashSet<PathBuf> = sources
            .iter()
            .filter_map(|s| match s {
                Source::File(path) => path.canonicalize().ok(),
                Source::Stdin | Source::Url(_) => None,
            })
            .collect();
        let is_input = |path: &Path| input_ids.contains(&identity(path));

        let outputs_wanted = sources.len() * formats.len();
        let mut output_dir = None;
        let mut jobs = Vec::with_capacity(sources.len());
        match destination {
            Destination::Stdout => {
                if outputs_wanted > 1 || folder_count > 0 {
                    return Err(UsageError(format!(
                        "'-o -' writes to standard output, which takes one input in one \
                         format (got {} input(s) and {}); use -o DIR",
                        sources.len(),
                        format_list(&formats)
                    )));
                }
                for input in &planned {
                    jobs.push(job(input, &args, &formats, |_, _| Ok(Target::Stdout))?);
                }
            }
            Destination::Path { path, dir_like } => {
                let as_dir = dir_like || outputs_wanted > 1 || folder_count > 0;
                if as_dir {
                    if path.exists() && !path.is_dir() {
                        return Err(UsageError(format!(
                            "'{}' is a file, but {} outputs need a directory",
                            path.display(),
                            outputs_wanted
                        )));
                    }
                    if !dir_like && OutputFormat::from_path(&path).is_some() {
                        return Err(UsageError(format!(
                            "'{}' looks like a file name, but there are {} outputs; \
                             name a directory (e.g. 'out/')",
                            path.display(),
                            outputs_wanted
                        )));
                    }
                    for input in &planned {
                        let dir = match input.relative.parent() {
                            Some(sub) => path.join(sub),
                            None => path.clone(),
                        };
                        jobs.push(job(input, &args, &formats, |source, format| {
                            Ok(Target::File(named_output(&dir, source, format, &is_input)?))
                        })?);
                    }
                    output_dir = Some(path);
                } else {
                    if is_input(&path) {
                        return Err(UsageError(format!(
                            "'{}' is an input; quire never overwrites its inputs",
                            path.display()
                        )));
                    }
                    for input in &planned {
                        let target = Target::File(path.clone());
                        jobs.push(job(input, &args, &formats, |_, _| Ok(target.clone()))?);
                    }
                }
            }
            Destination::Beside => {
                for input in &planned {
                    if input.source == Source::Stdin && formats.len() > 1 {
                        return Err(UsageError(format!(
                            "standard input goes to standard output, which takes one format \
                             (got {}); use -o DIR",
                            format_list(&formats)
                        )));
                    }
                    jobs.push(job(
                        input,
                        &args,
                        &formats,
                        |source, format| match source {
                            Source::Stdin => Ok(Target::Stdout),
                            // A page fetched without -o lands in the current folder.
                            Source::Url(_) => Ok(Target::File(named_output(
                                Path::new(""),
                                source,
                                format,
                                &is_input,
                            )?)),
                            Source::File(path) => {
                                let dir = path.parent().unwrap_or(Path::new(""));
                                Ok(Target::File(named_output(dir, source, format, &is_input)?))
                            }
                        },
                    )?);
                }
            }
        }
        resolve_collisions(&mut jobs, &is_input)?;
        if let Some(report) = &args.report {
            refuse_report_over_a_file_of_the_run(report, &jobs, &is_input)?;
        }

        let mut settings = settings_from(&args);
        // One conversion flushes its output to disk (it costs nothing noticeable); a batch
        // does so only when asked, since a flush per file would dominate its time.
        settings.durable |= !batch;
        settings.output_root.clone_from(&output_dir);
        Ok(Config {
            jobs,
            settings,
            output_dir,
            quiet: args.quiet,
            verbose: args.verbose,
            threads,
            force: args.force,
            report: args.report.clone(),
            skipped,
            batch,
            manifest_dirs,
        })
    }
}

/// Settings for `quire bundle`: defaults, with the PDF and EPUB options and the input size
/// limit given.
pub fn settings_from_parts(
    pdf: &PdfArgs,
    epub: &super::args::EpubArgs,
    max_input_size: u64,
) -> Settings {
    Settings {
        read: ReadOptions::default(),
        write: WriteOptions {
            timestamp: source_date_epoch(),
            pdf: pdf.options(),
            epub: epub.options(),
            fetch_images: epub.fetch_images,
            remote_images: epub.remote_images(),
            ..WriteOptions::default()
        },
        overrides: MetaOverrides::default(),
        fetch: epub.fetch_options(),
        durable: true,
        explain: false,
        no_images: false,
        max_input_size: Some(max_input_size),
        output_root: None,
    }
}

/// The options every input shares, from the command line.
pub fn settings_from(args: &ConvertArgs) -> Settings {
    Settings {
        read: ReadOptions {
            whole_page: args.whole_page || args.extract.as_deref() == Some("off"),
            ..ReadOptions::default()
        },
        write: WriteOptions {
            fragment: args.fragment || args.body_only,
            front_matter: !args.no_front_matter && !args.body_only,
            text_width: args.width.filter(|&w| w > 0),
            timestamp: source_date_epoch(),
            pdf: args.pdf.options(),
            epub: args.epub.options(),
            fetch_images: args.epub.fetch_images,
            remote_images: args.epub.remote_images(),
            ..WriteOptions::default()
        },
        overrides: MetaOverrides {
            title: args.title.clone(),
            authors: args.authors.clone(),
            language: args.lang.clone(),
        },
        fetch: args.epub.fetch_options(),
        durable: args.fsync,
        explain: args.explain,
        no_images: args.no_images,
        max_input_size: Some(args.max_input_size),
        output_root: None,
    }
}

/// `--to` as given (duplicates dropped); else the format `-o FILE`'s extension names; else
/// Markdown.
fn choose_formats(
    to: &[OutputFormat],
    destination: &Destination,
) -> Result<Vec<OutputFormat>, UsageError> {
    if !to.is_empty() {
        let mut formats = Vec::new();
        for &format in to {
            if !formats.contains(&format) {
                formats.push(format);
            }
        }
        return Ok(formats);
    }
    if let Destination::Path {
        path,
        dir_like: false,
    } = destination
    {
        if let Some(ext) = path.extension() {
            return OutputFormat::from_path(path)
                .map(|f| vec![f])
                .ok_or_else(|| {
                    UsageError(format!(
                        "cannot tell the output format from '{}': quire does not write \
                     '.{}' files; add --to (md, html, txt, json, epub, pdf)",
                        path.display(),
                        ext.to_string_lossy()
                    ))
                });
        }
    }
    Ok(vec![OutputFormat::Markdown])
}

fn job(
    input: &Planned,
    args: &ConvertArgs,
    formats: &[OutputFormat],
    mut target_for: impl FnMut(&Source, OutputFormat) -> Result<Target, UsageError>,
) -> Result<Job, UsageError> {
    let outputs = formats
        .iter()
        .map(|&format| {
            Ok(Output {
                format,
                target: target_for(&input.source, format)?,
            })
        })
        .collect::<Result<_, UsageError>>()?;
    Ok(Job {
        source: input.source.clone(),
        relative: input.relative.clone(),
        from: args.from,
        outputs,
    })
}

/// `DIR/STEM.EXT`, or `DIR/STEM.out.EXT` when that would be an input file.
fn named_output(
    dir: &Path,
    source: &Source,
    format: OutputFormat,
    is_input: &impl Fn(&Path) -> bool,
) -> Result<PathBuf, UsageError> {
    let stem = source.stem();
    let ext = format.extension();
    let plain = dir.join(format!("{stem}.{ext}"));
    if !is_input(&plain) {
        return Ok(plain);
    }
    let marked = dir.join(format!("{stem}.out.{ext}"));
    if !is_input(&marked) {
        return Ok(marked);
    }
    Err(UsageError(format!(
        "'{}' and '{}' are both inputs; quire never overwrites its inputs: use -o",
        plain.display(),
        marked.display()
    )))
}

/// Two outputs must never go to one file (the last would silently win). Every output in a
/// clash is renamed the same way, so the result does not depend on which input came first:
/// `a.html` and `a.txt` (both → `a.md`) become `a.html.md` and `a.txt.md`. What still clashes
/// (two `essay.md` from different folders into one flat `-o DIR`) is numbered in input order:
/// `essay.md`, `essay-2.md`, … No renamed output may be an input either.
fn resolve_collisions(
    jobs: &mut [Job],
    is_input: &impl Fn(&Path) -> bool,
) -> Result<(), UsageError> {
    let claims = |jobs: &[Job]| {
        let mut claims: HashMap<PathBuf, Vec<(usize, usize)>> = HashMap::new();
        for (j, job) in jobs.iter().enumerate() {
            for (o, output) in job.outputs.iter().enumerate() {
                if let Target::File(path) = &output.target {
                    claims.entry(identity(path)).or_default().push((j, o));
                }
            }
        }
        claims
    };
    // Pass 1: name clashing outputs after their whole input file name.
    let mut clashes: Vec<Vec<(usize, usize)>> =
        claims(jobs).into_values().filter(|c| c.len() > 1).collect();
    clashes.sort();
    for clash in &clashes {
        let names: HashSet<_> = clash
            .iter()
            .map(|&(j, _)| match &jobs[j].source {
                Source::File(path) => path.file_name().map(|n| n.to_os_string()),
                _ => None,
            })
            .collect();
        // Full names tell the clashing inputs apart only when those names differ.
        if names.len() < clash.len() {
            continue;
        }
        for &(j, o) in clash {
            let job = &jobs[j];
            let (Source::File(input), Target::File(path)) = (&job.source, &job.outputs[o].target)
            else {
                continue;
            };
            let Some(name) = input.file_name() else {
                continue;
            };
            let renamed = path.with_file_name(format!(
                "{}.{}",
                name.to_string_lossy(),
                job.outputs[o].format.extension()
            ));
            if !is_input(&renamed) {
                jobs[j].outputs[o].target = Target::File(renamed);
            }
        }
    }
    // Pass 2: number what still clashes, first claimant (in input order) keeping the name.
    let mut taken: HashSet<PathBuf> = claims(jobs).into_keys().collect();
    let mut clashes: Vec<Vec<(usize, usize)>> =
        claims(jobs).into_values().filter(|c| c.len() > 1).collect();
    clashes.sort();
    for clash in clashes {
        for &(j, o) in clash.iter().skip(1) {
            let output = &jobs[j].outputs[o];
            let Target::File(path) = &output.target else {
                continue;
            };
            let ext = output.format.extension();
            let stem = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .and_then(|n| n.strip_suffix(&format!(".{ext}")).map(str::to_string))
                .unwrap_or_else(|| "output".to_string());
            let mut n = 2;
            let renamed = loop {
                let candidate = path.with_file_name(format!("{stem}-{n}.{ext}"));
                let id = identity(&candidate);
                if !taken.contains(&id) && !is_input(&candidate) {
                    taken.insert(id);
                    break candidate;
                }
                n += 1;
                if n > 100_000 {
                    return Err(UsageError(format!(
                        "cannot find a free name for '{}'",
                        path.display()
                    )));
                }
            };
            jobs[j].outputs[o].target = Target::File(renamed);
        }
    }
    Ok(())
}

/// `--report FILE` must not replace an input or an output of the same run.
fn refuse_report_over_a_file_of_the_run(
    report: &Path,
    jobs: &[Job],
    is_input: &impl Fn(&Path) -> bool,
) -> Result<(), UsageError> {
    let id = identity(report);
    if report
        .file_name()
        .is_some_and(|name| name == walk::MANIFEST)
    {
        return Err(UsageError(format!(
            "--report '{}' would replace quire's list of outputs; name another file",
            report.display()
        )));
    }
    if is_input(report) {
        return Err(UsageError(format!(
            "--report '{}' is an input; quire never overwrites its inputs",
            report.display()
        )));
    }
    let is_output = jobs
        .iter()
        .flat_map(|j| &j.outputs)
        .any(|o| match &o.target {
            Target::File(path) => identity(path) == id,
            Target::Stdout => false,
        });
    if is_output {
        return Err(UsageError(format!(
            "--report '{}' is also an output of this run; name another file",
            report.display()
        )));
    }
    Ok(())
}

/// The real location of a path that may not exist yet: the canonical path when it exists,
/// else its canonical parent joined with its name, else the absolute path.
fn identity(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let (Ok(dir), Some(name)) = (parent.canonicalize(), path.file_name()) {
        return dir.join(name);
    }
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn ends_with_separator(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    matches!(bytes.last(), Some(b'/')) || cfg!(windows) && matches!(bytes.last(), Some(b'\\'))
}

fn format_list(formats: &[OutputFormat]) -> String {
    formats
        .iter()
        .map(|f| f.extension())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The build time reproducible builds ask for (`SOURCE_DATE_EPOCH`, seconds since the epoch),
/// so that the same input gives the same bytes; `None` when unset or not a number.
fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::super::args::{Cli, Command};
    use super::*;
    use clap::Parser;

    fn config(argv: &[&str]) -> Result<Config, UsageError> {
        let mut full = vec!["quire", "convert"];
        full.extend_from_slice(argv);
        let Command::Convert(args) = Cli::try_parse_from(full).expect("arguments parse").command
        else {
            panic!("not a convert command");
        };
        Config::from_args(args)
    }

    fn targets(config: &Config) -> Vec<(OutputFormat, Target)> {
        config
            .jobs
            .iter()
            .flat_map(|j| j.outputs.iter().map(|o| (o.format, o.target.clone())))
            .collect()
    }

    fn file(path: &str) -> Target {
        Target::File(PathBuf::from(path))
    }

    #[test]
    fn stdin_without_output_goes_to_stdout_as_markdown() {
        let c = config(&["-"]).unwrap();
        assert_eq!(targets(&c), [(OutputFormat::Markdown, Target::Stdout)]);
    }

    #[test]
    fn file_without_output_goes_beside_it() {
        let c = config(&["notes/essay.md", "--to", "html,txt"]).unwrap();
        assert_eq!(
            targets(&c),
            [
                (OutputFormat::Html, file("notes/essay.html")),
                (OutputFormat::Text, file("notes/essay.txt")),
            ]
        );
    }

    #[test]
    fn output_beside_an_existing_input_of_the_same_name_is_marked() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("essay.md");
        std::fs::write(&input, "# x").unwrap();
        let c = config(&[input.to_str().unwrap(), "--to", "md"]).unwrap();
        assert_eq!(
            targets(&c),
            [(
                OutputFormat::Markdown,
                Target::File(dir.path().join("essay.out.md"))
            )]
        );
    }

    #[test]
    fn output_file_format_comes_from_its_extension() {
        let c = config(&["a.md", "-o", "book.html"]).unwrap();
        assert_eq!(targets(&c), [(OutputFormat::Html, file("book.html"))]);
    }

    #[test]
    fn unknown_output_extension_without_to_is_a_usage_error() {
        let err = config(&["a.md", "-o", "book.docx"]).unwrap_err();
        assert!(err.0.contains("book.docx"), "{err}");
    }

    #[test]
    fn several_formats_make_output_a_directory() {
        let c = config(&["a/essay.md", "b/note.txt", "--to", "md,json", "-o", "out"]).unwrap();
        assert_eq!(
            targets(&c),
            [
                (OutputFormat::Markdown, file("out/essay.md")),
                (OutputFormat::Json, file("out/essay.json")),
                (OutputFormat::Markdown, file("out/note.md")),
                (OutputFormat::Json, file("out/note.json")),
            ]
        );
        assert_eq!(c.output_dir, Some(PathBuf::from("out")));
    }

    #[test]
    fn trailing_slash_makes_output_a_directory() {
        let c = config(&["-", "-o", "out/"]).unwrap();
        assert_eq!(
            targets(&c),
            [(OutputFormat::Markdown, file("out/stdin.md"))]
        );
    }

    #[test]
    fn file_name_for_several_outputs_is_refused() {
        let err = config(&["a.md", "--to", "md,html", "-o", "book.html"]).unwrap_err();
        assert!(err.0.contains("directory"), "{err}");
    }

    #[test]
    fn stdout_takes_one_format_and_one_input() {
        assert!(config(&["a.md", "--to", "md,html", "-o", "-"]).is_err());
        assert!(config(&["a.md", "b.md", "-o", "-"]).is_err());
        assert!(config(&["-", "--to", "md,html"]).is_err());
        assert!(config(&["a.md", "-o", "-"]).is_ok());
    }

    #[test]
    fn stdin_only_once() {
        assert!(config(&["-", "-"]).is_err());
    }

    #[test]
    fn inputs_with_the_same_name_into_one_directory_are_numbered() {
        let c = config(&["a/essay.md", "b/essay.md", "c/essay.md", "-o", "out/"]).unwrap();
        assert_eq!(
            targets(&c),
            [
                (OutputFormat::Markdown, file("out/essay.md")),
                (OutputFormat::Markdown, file("out/essay-2.md")),
                (OutputFormat::Markdown, file("out/essay-3.md")),
            ]
        );
    }

    #[test]
    fn inputs_with_the_same_stem_get_their_full_names() {
        let c = config(&["a.html", "a.txt", "b.md", "--to", "md", "-o", "out/"]).unwrap();
        assert_eq!(
            targets(&c),
            [
                (OutputFormat::Markdown, file("out/a.html.md")),
                (OutputFormat::Markdown, file("out/a.txt.md")),
                (OutputFormat::Markdown, file("out/b.md")),
            ]
        );
    }

    #[test]
    fn urls_are_named_after_their_last_path_segment() {
        assert_eq!(
            Source::Url("https://example.org/news/tide-tables.html?x=1".into()).stem(),
            "tide-tables"
        );
        assert_eq!(Source::Url("https://example.org/a/b/".into()).stem(), "b");
        assert_eq!(
            Source::Url("http://example.org".into()).stem(),
            "example.org"
        );
        assert_eq!(
            Source::Url("http://h/%2e%2e%2F%2e%2e%2Fetc".into()).stem(),
            "etc"
        );
        assert!(is_url("HTTPS://x"));
        assert!(!is_url("notes/https.md"));
    }

    #[test]
    fn jobs_zero_is_bad_usage() {
        let parsed = Cli::try_parse_from(["quire", "convert", "a.md", "--jobs", "0"]);
        assert!(parsed.unwrap_err().to_string().contains("at least 1"));
        assert!(thread_count(Some(0)).is_err());
        assert_eq!(config(&["a.md", "--jobs", "3"]).unwrap().threads, 3);
    }

    #[test]
    fn jobs_are_capped_to_a_few_per_core() {
        assert_eq!(max_threads(1), 4);
        assert_eq!(max_threads(8), 32);
        assert_eq!(max_threads(1000), 256);
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(thread_count(Some(1_000_000)), Ok(max_threads(cores)));
    }

    #[test]
    fn margins_must_leave_room_for_text() {
        let err = config(&["a.md", "--margins", "200mm"]).unwrap_err();
        assert!(err.0.contains("at most 139 mm"), "{err}");
        let err = config(&["a.md", "--page-size", "ereader", "--margins", "35mm"]).unwrap_err();
        assert!(err.0.contains("ereader"), "{err}");
        assert!(config(&["a.md", "--margins", "30mm 60mm"]).is_ok());
    }

    #[test]
    fn output_naming_an_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("essay.md");
        std::fs::write(&input, "# x").unwrap();
        let path = input.to_str().unwrap();
        let err = config(&[path, "--to", "md", "-o", path]).unwrap_err();
        assert!(err.0.contains("never overwrites"), "{err}");
    }

    #[test]
    fn duplicate_formats_are_dropped_and_options_carried() {
        let c = config(&[
            "a.md",
            "--to",
            "md",
            "--to",
            "md",
            "--width",
            "0",
            "--fragment",
            "--title",
            "T",
            "--author",
            "A",
            "--author",
            "B",
        ])
        .unwrap();
        assert_eq!(c.jobs[0].outputs.len(), 1);
        assert_eq!(c.settings.write.text_width, None);
        assert!(c.settings.write.fragment);
        assert_eq!(c.settings.overrides.authors, ["A", "B"]);
        let mut meta = Meta {
            authors: vec!["Old".into()],
            ..Meta::default()
        };
        c.settings.overrides.apply(&mut meta);
        assert_eq!(meta.title.as_deref(), Some("T"));
        assert_eq!(meta.authors, ["A", "B"]);
    }
}
