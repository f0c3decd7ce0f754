//! Raw arguments → a validated [`Config`]: every input (folders walked by [`walk`], URL lists
//! read), each output named by [`plan`], the shared [`Settings`]. Every rule about how options
//! combine is decided here, before anything is read or written, so a usage mistake costs
//! nothing.

use super::args::ConvertArgs;
use super::job::{is_url, Job, Source};
use super::plan::{plan, Plan, Planned};
use super::settings::{
    check_fetch_options, check_pdf_options, settings_from, thread_count, Settings, UsageError,
};
use super::siblings::Siblings;
use super::terminal::io_message;
use super::walk::{self, Skipped, WalkOptions};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

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
    /// No `-o`: quire named the outputs, beside their inputs. There a file quire has no
    /// record of writing is the user's, and is not replaced without `--force`.
    pub beside: bool,
    /// The outputs of the run's file inputs, for links from one to another.
    pub siblings: Siblings,
}

/// The URLs a `--urls` file lists: one a line, blank lines and `#` comments skipped.
fn read_url_list(path: &Path) -> Result<Vec<String>, UsageError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        UsageError(format!(
            "cannot read the URL list '{}': {}",
            path.display(),
            io_message(&e)
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

impl Config {
    pub fn from_args(args: ConvertArgs) -> Result<Config, UsageError> {
        check_pdf_options(&args.pdf)?;
        check_fetch_options(&args)?;
        // `--jobs` is checked now; without it, a batch gets one thread per core, counted only
        // when there is a batch (counting reads the cgroup files, a cost for one conversion).
        let jobs_asked = args.jobs.map(|n| thread_count(Some(n))).transpose()?;
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
        // Which inputs are folders, looked at once (a batch of files names thousands).
        let is_folder: Vec<bool> = args.inputs.iter().map(|p| p.is_dir()).collect();
        let folder_count = is_folder.iter().filter(|&&f| f).count();
        // When a folder batch writes among its inputs (no -o, or -o naming an input folder),
        // it lists its outputs there so that a re-run does not take them for inputs. A
        // batch's separate output folder (-o DIR) gets its own list too (see run).
        let roots: Vec<&PathBuf> = args
            .inputs
            .iter()
            .zip(&is_folder)
            .filter_map(|(p, &folder)| folder.then_some(p))
            .collect();
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
        for (input, &is_folder) in args.inputs.iter().zip(&is_folder) {
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
            } else if is_folder {
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
        let Plan { jobs, output_dir } = plan(&planned, &args, folder_count)?;

        let threads = match jobs_asked {
            Some(n) => n,
            None if batch => thread_count(None)?,
            None => 1,
        };
        let mut settings = settings_from(&args);
        // Outputs are flushed to disk only with --fsync, for one conversion as for a batch:
        // the flush took longer than the conversion itself (a 50 KB page to EPUB: 9 ms of
        // work, 21 ms with the flush on this machine's disk), and the rename already makes a
        // file whole or absent to everything but a power cut.
        settings.output_root.clone_from(&output_dir);
        let siblings = Siblings::of(&jobs);
        Ok(Config {
            siblings,
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
            beside: args.output.is_none(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::args::{Cli, Command};
    use super::*;
    use crate::cli::job::Target;
    use crate::cli::settings::max_threads;
    use clap::Parser;
    use quire::{Meta, OutputFormat};

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
    fn url_is_for_standard_input_and_fetching_options_need_the_client() {
        let err = config(&["a.html", "--url", "https://example.org/a"]).unwrap_err();
        assert!(err.0.contains("--url"), "{err}");
        let c = config(&["-", "--url", "https://example.org/a", "--follow-pages", "3"]);
        if cfg!(feature = "net") {
            let c = c.unwrap();
            assert_eq!(
                c.settings.stdin_url.as_deref(),
                Some("https://example.org/a")
            );
            assert_eq!(c.settings.follow_pages, 3);
        } else {
            assert!(c.unwrap_err().0.contains("network support"));
        }
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
    fn jobs_zero_is_bad_usage() {
        let parsed = Cli::try_parse_from(["quire", "convert", "a.md", "--jobs", "0"]);
        assert!(parsed.unwrap_err().to_string().contains("at least 1"));
        assert!(thread_count(Some(0)).is_err());
        assert_eq!(config(&["a.md", "--jobs", "3"]).unwrap().threads, 3);
    }

    #[test]
    fn one_conversion_takes_one_thread_and_a_batch_one_per_core() {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        assert_eq!(config(&["a.md"]).unwrap().threads, 1);
        assert_eq!(config(&["a.md", "b.md"]).unwrap().threads, cores);
        assert_eq!(config(&["a.md", "b.md", "--jobs", "2"]).unwrap().threads, 2);
    }

    #[test]
    fn outputs_are_flushed_to_disk_only_when_asked() {
        for inputs in [&["a.md"][..], &["a.md", "b.md"]] {
            let plain = config(inputs).unwrap();
            assert!(!plain.settings.durable, "{inputs:?}");
            let asked = config(&[inputs, &["--fsync"]].concat()).unwrap();
            assert!(asked.settings.durable, "{inputs:?}");
        }
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
