//! Naming the outputs: from the inputs found and `-o`/`--to`, the exact file (or standard
//! output) each output goes to, clashes renamed the same way whatever the input order, and no
//! input ever overwritten.

use super::args::ConvertArgs;
use super::job::{Job, Output, Source, Target, REPORT_TO_STDOUT};
use super::manifest::MANIFEST;
use super::settings::UsageError;
use quire::OutputFormat;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Every job of a run, each output in its place, and the output folder to create.
pub struct Plan {
    pub jobs: Vec<Job>,
    /// The output directory to create before writing, when `-o` names one.
    pub output_dir: Option<PathBuf>,
}

/// Names every output of the `planned` inputs as `args` ask (`-o`, `--to`, `--report`);
/// `folder_count` is how many input folders were walked (their outputs need a directory).
pub fn plan(
    planned: &[Planned],
    args: &ConvertArgs,
    folder_count: usize,
) -> Result<Plan, UsageError> {
    let _folders = FolderMemo::start();
    let sources: Vec<&Source> = planned.iter().map(|p| &p.source).collect();
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
            Source::File(path) => existing_identity(path),
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
            for input in planned {
                jobs.push(job(input, args, &formats, |_, _| Ok(Target::Stdout))?);
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
                for input in planned {
                    let dir = match input.relative.parent() {
                        Some(sub) => path.join(sub),
                        None => path.clone(),
                    };
                    jobs.push(job(input, args, &formats, |source, format| {
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
                for input in planned {
                    let target = Target::File(path.clone());
                    jobs.push(job(input, args, &formats, |_, _| Ok(target.clone()))?);
                }
            }
        }
        Destination::Beside => {
            for input in planned {
                if input.source == Source::Stdin && formats.len() > 1 {
                    return Err(UsageError(format!(
                        "standard input goes to standard output, which takes one format \
                         (got {}); use -o DIR",
                        format_list(&formats)
                    )));
                }
                jobs.push(job(input, args, &formats, |source, format| match source {
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
                })?);
            }
        }
    }
    resolve_collisions(&mut jobs, &is_input)?;
    if let Some(report) = &args.report {
        refuse_report_over_a_file_of_the_run(report, &jobs, &is_input)?;
    }
    Ok(Plan { jobs, output_dir })
}

/// One input before its outputs are named.
pub struct Planned {
    pub source: Source,
    pub relative: PathBuf,
}

/// What `-o` said, before the number of outputs decides between a file and a directory.
enum Destination {
    Stdout,
    Path { path: PathBuf, dir_like: bool },
    Beside,
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
                     '.{}' files; add --to ({})",
                        path.display(),
                        ext.to_string_lossy(),
                        OutputFormat::names()
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
    let ext = format.file_suffix();
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
                job.outputs[o].format.file_suffix()
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
            let ext = output.format.file_suffix();
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

/// `--report FILE` must not replace an input or an output of the same run; `--report -`
/// (standard output) must not be mixed with an output written there.
fn refuse_report_over_a_file_of_the_run(
    report: &Path,
    jobs: &[Job],
    is_input: &impl Fn(&Path) -> bool,
) -> Result<(), UsageError> {
    if report == Path::new(REPORT_TO_STDOUT) {
        let to_stdout = jobs
            .iter()
            .flat_map(|j| &j.outputs)
            .any(|o| o.target == Target::Stdout);
        return match to_stdout {
            true => Err(UsageError(
                "--report - and an output would both go to standard output; name a report file"
                    .to_string(),
            )),
            false => Ok(()),
        };
    }
    let id = identity(report);
    if report.file_name().is_some_and(|name| name == MANIFEST) {
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
///
/// A name that is not a link is where its canonical folder says, so only the folder is
/// resolved, and while a run is planned each folder and each path only once ([`FolderMemo`]): resolving
/// every path whole took a few dozen system calls per output, a fiftieth of converting a
/// folder of pages.
fn identity(path: &Path) -> PathBuf {
    if let Some(known) = memo_get(path) {
        return known;
    }
    let parent = parent_of(path);
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let found = if let (false, Some(name), Some(dir)) =
        (is_link, path.file_name(), canonical_folder(parent))
    {
        dir.join(name)
    } else if let Ok(canonical) = path.canonicalize() {
        canonical
    } else if let (Some(dir), Some(name)) = (canonical_folder(parent), path.file_name()) {
        dir.join(name)
    } else {
        std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
    };
    memo_put(path, &found);
    found
}

/// An existing path's canonical form (what `canonicalize` gives), resolved as [`identity`]
/// resolves: only its folder, when the name itself is no link. `None` when nothing is there
/// (or a link leads nowhere).
fn existing_identity(path: &Path) -> Option<PathBuf> {
    let meta = fs::symlink_metadata(path).ok()?;
    if !meta.file_type().is_symlink() {
        if let (Some(name), Some(dir)) = (path.file_name(), canonical_folder(parent_of(path))) {
            return Some(dir.join(name));
        }
    }
    path.canonicalize().ok()
}

/// The folder a path's name is looked up in (`.` for a bare name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

thread_local! {
    /// Folders resolved while a run is planned (see [`FolderMemo`]).
    static CANONICAL_FOLDERS: std::cell::RefCell<Option<HashMap<PathBuf, Option<PathBuf>>>> =
        const { std::cell::RefCell::new(None) };
    /// Each output path's [`identity`] while a run is planned: a path is asked about up to
    /// three times (its own name, the collisions, the report).
    static IDENTITIES: std::cell::RefCell<Option<HashMap<PathBuf, PathBuf>>> =
        const { std::cell::RefCell::new(None) };
}

fn memo_get(path: &Path) -> Option<PathBuf> {
    IDENTITIES.with(|memo| memo.borrow().as_ref()?.get(path).cloned())
}

fn memo_put(path: &Path, identity: &Path) {
    IDENTITIES.with(|memo| {
        if let Some(map) = memo.borrow_mut().as_mut() {
            map.insert(path.to_path_buf(), identity.to_path_buf());
        }
    });
}

/// Remembers each folder's canonical path while it lives: planning writes nothing, so a
/// folder resolves the same way throughout. Without one, every call resolves afresh.
struct FolderMemo;

impl FolderMemo {
    fn start() -> FolderMemo {
        CANONICAL_FOLDERS.with(|memo| *memo.borrow_mut() = Some(HashMap::new()));
        IDENTITIES.with(|memo| *memo.borrow_mut() = Some(HashMap::new()));
        FolderMemo
    }
}

impl Drop for FolderMemo {
    fn drop(&mut self) {
        CANONICAL_FOLDERS.with(|memo| *memo.borrow_mut() = None);
        IDENTITIES.with(|memo| *memo.borrow_mut() = None);
    }
}

fn canonical_folder(dir: &Path) -> Option<PathBuf> {
    CANONICAL_FOLDERS.with(|memo| {
        let mut memo = memo.borrow_mut();
        match memo.as_mut() {
            Some(map) => map
                .entry(dir.to_path_buf())
                .or_insert_with(|| dir.canonicalize().ok())
                .clone(),
            None => dir.canonicalize().ok(),
        }
    })
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
