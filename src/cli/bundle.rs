//! `quire bundle`: several articles into one book (EPUB), or one PDF or HTML page, one chapter
//! each. A failed input is reported and left out; the book is made of the rest.
//!
//! The book is listed in its folder's `.quire-outputs`, so that a folder walk (this command's
//! next run included) never takes it for an article; and it never replaces an input, nor a
//! book the user edited since quire wrote it.

use super::args::BundleArgs;
use super::atomic::{self, write_atomically};
use super::input::{folder_of, read_input, Input};
use super::job::{is_url, Source};
use super::manifest::{self, Fingerprint, Manifest};
use super::report::{JobReport, Printer};
use super::send::{send_written, Mailer};
use super::settings::{check_pdf_options, settings_from_parts};
use super::terminal::say;
use super::walk::{walk, WalkOptions};
use anyhow::anyhow;
use quire::media::embed_local_images;
use quire::write::epub::{write_book, write_book_volumes, write_kepub_book, Book, Profile};
use quire::{Meta, OutputFormat, Rendered};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(args: BundleArgs) -> ExitCode {
    let usage = |message: &str| {
        say(&format!("quire: {message}"));
        say("");
        say("For more information, try 'quire bundle --help'.");
        ExitCode::from(2)
    };
    if let Err(message) = check_output_name(&args.output, args.to) {
        return usage(&message);
    }
    let format = match args
        .to
        .or_else(|| OutputFormat::from_path(&args.output))
        .unwrap_or(OutputFormat::Epub)
    {
        format @ (OutputFormat::Epub
        | OutputFormat::Kepub
        | OutputFormat::Pdf
        | OutputFormat::Html) => format,
        other => {
            return usage(&format!(
                "a bundle is an epub, kepub, pdf or html book, not {other}"
            ))
        }
    };
    if let Err(message) = check_pdf_options(&args.pdf) {
        return usage(&message.to_string());
    }
    // The mail settings are checked before anything is read.
    let mailer = match Mailer::for_send_option(&args.mail) {
        Ok(mailer) => mailer,
        Err(status) => return status,
    };
    let mut settings = settings_from_parts(&args.pdf, &args.epub, args.max_input_size);
    settings.durable = true;
    let mut printer = Printer::new(args.quiet);
    let mut report = JobReport::default();

    // Every input in order; a folder's documents in path order.
    let mut sources = Vec::new();
    for input in &args.inputs {
        let text = input.to_string_lossy();
        if is_url(&text) {
            sources.push(Source::Url(text.into_owned()));
        } else if input.is_dir() {
            // Earlier books listed in .quire-outputs are left out by the walk.
            let found = walk(input, WalkOptions::default(), None, &HashSet::new());
            sources.extend(found.found.into_iter().map(|f| Source::File(f.path)));
        } else {
            sources.push(Source::File(input.clone()));
        }
    }

    if let Some(message) = overwrites_an_input(&args.output, &sources) {
        return usage(&message);
    }
    let output_label = args.output.display().to_string();
    let output_dir = folder_of(&args.output);
    let manifest = Manifest::load(&output_dir);
    if let Some(why) = manifest
        .as_ref()
        .and_then(|m| edited_since_written(m, &args.output))
    {
        report.error(output_label, anyhow!(why));
        print(&mut printer, &report);
        return ExitCode::FAILURE;
    }

    let mut book = Book::default();
    let mut any_failed = false;
    // The books (every volume) written whole, which --send mails.
    let mut written: Vec<PathBuf> = Vec::new();
    for source in &sources {
        match read_input(source, args.from, &settings, false, &mut report) {
            // Only a chapter read from the web has its remote images downloaded (unless
            // --fetch-images): one URL in the list does not turn it on for local files.
            Some(Input {
                document, private, ..
            }) => match source {
                Source::Url(_) => book.push_from_web(document, private),
                Source::File(path) => match std::fs::canonicalize(path) {
                    Ok(file) => book.push_file(document, file),
                    Err(_) => book.push(document, Some(folder_of(path))),
                },
                Source::Stdin => book.push(document, None),
            },
            None => any_failed = true,
        }
    }
    if book.chapters.is_empty() {
        report.error(
            output_label,
            anyhow!("no input could be read: no book written"),
        );
        print(&mut printer, &report);
        return ExitCode::FAILURE;
    }
    book.meta = Meta {
        title: args
            .title
            .clone()
            .or_else(|| match book.chapters.as_slice() {
                [one] => one.meta.title.clone(),
                _ => Some("Reading list".to_string()),
            }),
        authors: args.authors.clone(),
        language: args.lang.clone(),
        ..Meta::default()
    };

    let options = settings.options_for(format, &settings.write);
    let rendered = render(
        &mut book,
        format,
        &options,
        &settings,
        args.volume_limit,
        &args.output,
        &mut report,
    );
    match rendered {
        Ok(outputs) => {
            atomic::remove_stale_parts(&output_dir);
            let mut manifest = manifest;
            let volumes = outputs.len();
            for (path, rendered) in outputs {
                let label = path.display().to_string();
                report.warnings(&label, rendered.warnings);
                // A volume the user edited since quire wrote it is not replaced.
                if let Some(why) = manifest
                    .as_ref()
                    .filter(|_| path != args.output)
                    .and_then(|m| edited_since_written(m, &path))
                {
                    report.error(label, anyhow!(why));
                    any_failed = true;
                    continue;
                }
                let saved = std::fs::create_dir_all(&output_dir)
                    .and_then(|()| write_atomically(&path, &rendered.bytes, true));
                if let Err(e) = saved {
                    report.error(label, anyhow!(e));
                    any_failed = true;
                    continue;
                }
                written.push(path.clone());
                if manifest.is_none() {
                    manifest = Manifest::load(&output_dir);
                }
                let fingerprint = Fingerprint {
                    version: manifest::VERSION.to_string(),
                    input: manifest::digest_of(
                        sources
                            .iter()
                            .map(Source::label)
                            .collect::<Vec<_>>()
                            .join("\n")
                            .as_bytes(),
                    ),
                    settings: manifest::digest_of(
                        format!("{:?}\n{format:?}\n{args:?}", settings).as_bytes(),
                    ),
                    output: manifest::digest_of(&rendered.bytes),
                };
                let listed = manifest.as_mut().map(|m| {
                    m.record(&path, fingerprint)
                        .and_then(|()| m.save())
                        .map_err(|e| (m.dir().join(manifest::MANIFEST), e))
                });
                // The book is whole; a later walk may take it for an article, so say so.
                if let Some(Err((path, e))) = listed {
                    let e = anyhow!(e).context("cannot list the book");
                    report.error(path.display().to_string(), e);
                    any_failed = true;
                }
            }
            if let Some(manifest) = &manifest {
                remove_stale_volumes(manifest, &args.output, volumes);
            }
        }
        Err(e) => {
            report.error(
                output_label,
                anyhow!(e).context(format!("cannot write {format}")),
            );
            any_failed = true;
        }
    }
    print(&mut printer, &report);
    if let (Some(mailer), false) = (&mailer, written.is_empty()) {
        any_failed |= !send_written(mailer, &written, args.quiet);
    }
    if any_failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Renders `book` as `format`, to `output`: an EPUB over `volume_limit` (Kindle's limit under
/// its profile) as volumes, each with its path; a PDF or HTML page as one document with the
/// chapters' local images inside it (their warnings go into `report`).
pub(super) fn render(
    book: &mut Book,
    format: OutputFormat,
    options: &quire::WriteOptions,
    settings: &super::settings::Settings,
    volume_limit: Option<u64>,
    output: &Path,
    report: &mut JobReport,
) -> quire::Result<Vec<(PathBuf, Rendered)>> {
    // An EPUB over the size limit (Kindle's under its profile) is written as volumes.
    let volume_limit = volume_limit.or_else(|| {
        (options.epub.profile == Profile::Kindle).then_some(quire::check::KINDLE_MAX_BYTES)
    });
    match format {
        OutputFormat::Epub => match volume_limit {
            Some(limit) => write_book_volumes(book, options, limit).map(|volumes| {
                let count = volumes.len();
                volumes
                    .into_iter()
                    .enumerate()
                    .map(|(i, volume)| {
                        let path = if count == 1 {
                            output.to_path_buf()
                        } else {
                            volume_path(output, i + 1)
                        };
                        (path, volume)
                    })
                    .collect()
            }),
            None => write_book(book, options).map(|r| vec![(output.to_path_buf(), r)]),
        },
        // Kobo readers take books of any size: a KEPUB is one file.
        OutputFormat::Kepub => {
            write_kepub_book(book, options).map(|r| vec![(output.to_path_buf(), r)])
        }
        _ => {
            // One document has one image folder: each chapter's local images travel inside
            // it (as data: URIs), looked up in that chapter's own folder only.
            for (chapter, dir) in book.chapters.iter_mut().zip(&book.resource_dirs) {
                if let Some(dir) = dir {
                    let warnings = embed_local_images(chapter, dir);
                    report.warnings(&output.display().to_string(), warnings);
                }
            }
            quire::write(
                &book.to_document(settings.write.epub.toc_depth),
                format,
                &settings.write,
            )
            .map(|r| vec![(output.to_path_buf(), r)])
        }
    }
}

/// Why `output` cannot name the book, if it cannot: a bundle is one file (not standard
/// output, not a folder), and without `--to` its extension must name a format (no extension
/// is an EPUB, the default).
fn check_output_name(output: &Path, to: Option<OutputFormat>) -> Result<(), String> {
    let shown = output.display();
    if output.as_os_str() == "-" {
        return Err(
            "a bundle is written to a file, not to standard output: name it with -o (book.epub)"
                .to_string(),
        );
    }
    let text = output.as_os_str().as_encoded_bytes();
    if text.ends_with(b"/") || output.is_dir() {
        return Err(format!(
            "'{shown}' is a folder, and a bundle is one file: name the book (-o {}book.epub)",
            Path::new(output.to_string_lossy().trim_end_matches('/'))
                .join("")
                .display()
        ));
    }
    if to.is_none() && output.extension().is_some() && OutputFormat::from_path(output).is_none() {
        return Err(format!(
            "cannot tell the book's format from '{shown}': name it .epub, .kepub.epub, .pdf or \
             .html, or add --to"
        ));
    }
    Ok(())
}

/// Volume `number` of the book `output`: `weekly.epub` → `weekly-2.epub`.
fn volume_path(output: &Path, number: usize) -> PathBuf {
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match output.extension() {
        Some(extension) => format!("{stem}-{number}.{}", extension.to_string_lossy()),
        None => format!("{stem}-{number}"),
    };
    output.with_file_name(name)
}

/// After a run that wrote `volumes` files (1: the book whole), removes the volumes an earlier
/// run wrote beyond them (`NAME-4.epub` when there are now three), but only those quire
/// listed and nobody changed since; the rest are left alone.
fn remove_stale_volumes(manifest: &Manifest, output: &Path, volumes: usize) {
    let first_stale = if volumes == 1 { 1 } else { volumes + 1 };
    for number in first_stale.. {
        let path = volume_path(output, number);
        if !path.is_file() {
            break;
        }
        let ours = matches!(manifest.lookup(&path), Some(Some(_)))
            && edited_since_written(manifest, &path).is_none();
        if ours {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The usage error when the book would be written over one of its inputs.
fn overwrites_an_input(output: &Path, sources: &[Source]) -> Option<String> {
    let output = output.canonicalize().ok()?;
    sources.iter().find_map(|source| match source {
        Source::File(path) if path.canonicalize().ok().as_ref() == Some(&output) => Some(format!(
            "'{}' is an input; quire never overwrites its inputs: choose another -o",
            path.display()
        )),
        _ => None,
    })
}

/// Why an existing book listed in `.quire-outputs` must not be replaced: its bytes are no
/// longer those quire wrote (or an older quire listed it without a checksum).
pub(super) fn edited_since_written(manifest: &Manifest, output: &Path) -> Option<String> {
    let entry = manifest.lookup(output)?;
    let current = manifest::file_digest(output).ok().flatten()?;
    match entry {
        Some(recorded) if recorded.output == current => None,
        _ => Some(
            "changed since quire wrote it: not replaced (remove it or choose another -o)"
                .to_string(),
        ),
    }
}

/// Prints the report's lines (the printer decides which, by `--quiet`).
pub(super) fn print(printer: &mut Printer, report: &JobReport) {
    for line in printer.lines(report) {
        say(&line);
    }
}
