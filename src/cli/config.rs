//! Raw arguments → a validated [`Config`]: which inputs, which formats, and exactly which file
//! (or standard output) each output goes to. Every rule about how options combine lives here,
//! decided before anything is read or written, so a usage mistake costs nothing.

use super::args::ConvertArgs;
use quire::{InputFormat, Meta, OutputFormat, ReadOptions, WriteOptions};
use std::collections::HashMap;
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
}

impl Source {
    /// How messages name this input.
    pub fn label(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File(path) => path.display().to_string(),
        }
    }
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
    /// Print, for each HTML input, what article extraction chose and why.
    pub explain: bool,
    /// Leave images and figures out of every output.
    pub no_images: bool,
}

/// A validated `quire convert` invocation.
#[derive(Debug, Clone)]
pub struct Config {
    pub jobs: Vec<Job>,
    pub settings: Settings,
    /// The output directory to create before writing, when `-o` names one.
    pub output_dir: Option<PathBuf>,
    pub quiet: bool,
}

/// What `-o` said, before the number of outputs decides between a file and a directory.
enum Destination {
    Stdout,
    Path { path: PathBuf, dir_like: bool },
    Beside,
}

impl Config {
    pub fn from_args(args: ConvertArgs) -> Result<Config, UsageError> {
        let sources: Vec<Source> = args
            .inputs
            .iter()
            .map(|path| {
                if path.as_os_str() == "-" {
                    Source::Stdin
                } else {
                    Source::File(path.clone())
                }
            })
            .collect();
        if sources.iter().filter(|s| **s == Source::Stdin).count() > 1 {
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
        let input_ids: Vec<PathBuf> = sources
            .iter()
            .filter_map(|s| match s {
                Source::File(path) => path.canonicalize().ok(),
                Source::Stdin => None,
            })
            .collect();
        let is_input = |path: &Path| input_ids.contains(&identity(path));

        let outputs_wanted = sources.len() * formats.len();
        let mut output_dir = None;
        let mut jobs = Vec::with_capacity(sources.len());
        match destination {
            Destination::Stdout => {
                if outputs_wanted > 1 {
                    return Err(UsageError(format!(
                        "'-o -' writes to standard output, which takes one input in one \
                         format (got {} input(s) and {}); use -o DIR",
                        sources.len(),
                        format_list(&formats)
                    )));
                }
                for source in sources {
                    jobs.push(job(source, &args, &formats, |_, _| Ok(Target::Stdout))?);
                }
            }
            Destination::Path { path, dir_like } => {
                let as_dir = dir_like || outputs_wanted > 1;
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
                    for source in sources {
                        jobs.push(job(source, &args, &formats, |source, format| {
                            Ok(Target::File(named_output(
                                &path, source, format, &is_input,
                            )?))
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
                    for source in sources {
                        let target = Target::File(path.clone());
                        jobs.push(job(source, &args, &formats, |_, _| Ok(target.clone()))?);
                    }
                }
            }
            Destination::Beside => {
                for source in sources {
                    if source == Source::Stdin && formats.len() > 1 {
                        return Err(UsageError(format!(
                            "standard input goes to standard output, which takes one format \
                             (got {}); use -o DIR",
                            format_list(&formats)
                        )));
                    }
                    jobs.push(job(
                        source,
                        &args,
                        &formats,
                        |source, format| match source {
                            Source::Stdin => Ok(Target::Stdout),
                            Source::File(path) => {
                                let dir = path.parent().unwrap_or(Path::new(""));
                                Ok(Target::File(named_output(dir, source, format, &is_input)?))
                            }
                        },
                    )?);
                }
            }
        }
        check_no_collisions(&jobs)?;

        let settings = Settings {
            read: ReadOptions {
                whole_page: args.whole_page || args.extract.as_deref() == Some("off"),
                ..ReadOptions::default()
            },
            write: WriteOptions {
                fragment: args.fragment || args.body_only,
                front_matter: !args.no_front_matter && !args.body_only,
                text_width: args.width.filter(|&w| w > 0),
                timestamp: source_date_epoch(),
                ..WriteOptions::default()
            },
            overrides: MetaOverrides {
                title: args.title,
                authors: args.authors,
                language: args.lang,
            },
            explain: args.explain,
            no_images: args.no_images,
        };
        Ok(Config {
            jobs,
            settings,
            output_dir,
            quiet: args.quiet,
        })
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
                     '.{}' files; add --to (md, html, txt, json)",
                        path.display(),
                        ext.to_string_lossy()
                    ))
                });
        }
    }
    Ok(vec![OutputFormat::Markdown])
}

fn job(
    source: Source,
    args: &ConvertArgs,
    formats: &[OutputFormat],
    mut target_for: impl FnMut(&Source, OutputFormat) -> Result<Target, UsageError>,
) -> Result<Job, UsageError> {
    let outputs = formats
        .iter()
        .map(|&format| {
            Ok(Output {
                format,
                target: target_for(&source, format)?,
            })
        })
        .collect::<Result<_, UsageError>>()?;
    Ok(Job {
        source,
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
    let stem = match source {
        Source::Stdin => "stdin".to_string(),
        Source::File(path) => path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.is_empty() && s != "..")
            .unwrap_or_else(|| "output".to_string()),
    };
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

/// Two outputs going to one file would leave only the last: refuse before writing either.
fn check_no_collisions(jobs: &[Job]) -> Result<(), UsageError> {
    let mut seen: HashMap<PathBuf, (&Source, &Path)> = HashMap::new();
    for job in jobs {
        for output in &job.outputs {
            let Target::File(path) = &output.target else {
                continue;
            };
            if let Some((other, other_path)) = seen.insert(identity(path), (&job.source, path)) {
                return Err(UsageError(if *other == job.source {
                    format!("'{}' would be written twice", path.display())
                } else {
                    format!(
                        "inputs '{}' and '{}' would both write '{}'; convert them separately",
                        other.label(),
                        job.source.label(),
                        other_path.display()
                    )
                }));
            }
        }
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
        let Command::Convert(args) = Cli::try_parse_from(full).expect("arguments parse").command;
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
    fn inputs_with_the_same_stem_into_one_directory_collide() {
        let err = config(&["a/essay.md", "b/essay.md", "-o", "out/"]).unwrap_err();
        assert!(err.0.contains("out/essay.md"), "{err}");
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
