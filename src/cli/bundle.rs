//! `quire bundle`: several articles into one book (EPUB), or one PDF or HTML page, one chapter
//! each. A failed input is reported and left out; the book is made of the rest.

use super::args::BundleArgs;
use super::config::{is_url, settings_from_parts, Source};
use super::run::{folder_of, read_input, write_atomically, JobReport, Printer};
use super::walk::{walk, WalkOptions};
use anyhow::anyhow;
use quire::write::epub::{write_book, Book};
use quire::write::resources::embed_local_images;
use quire::{Meta, OutputFormat};
use std::collections::HashSet;
use std::process::ExitCode;

pub fn run(args: BundleArgs) -> ExitCode {
    let format = match args
        .to
        .or_else(|| OutputFormat::from_path(&args.output))
        .unwrap_or(OutputFormat::Epub)
    {
        format @ (OutputFormat::Epub | OutputFormat::Pdf | OutputFormat::Html) => format,
        other => {
            eprintln!(
                "quire: a bundle is an epub, pdf or html book, not {other}\n\n\
                 For more information, try 'quire bundle --help'."
            );
            return ExitCode::from(2);
        }
    };
    let mut settings = settings_from_parts(&args.pdf, &args.epub);
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
            let found = walk(input, WalkOptions::default(), None, &HashSet::new());
            sources.extend(found.found.into_iter().map(|f| Source::File(f.path)));
        } else {
            sources.push(Source::File(input.clone()));
        }
    }

    let mut book = Book::default();
    let mut any_failed = false;
    for source in &sources {
        match read_input(source, args.from, &settings, &mut report) {
            // Only a chapter read from the web has its remote images downloaded (unless
            // --fetch-images): one URL in the list does not turn it on for local files.
            Some((document, private)) => match source {
                Source::Url(_) => book.push_from_web(document, private),
                Source::File(path) => book.push(document, Some(folder_of(path))),
                Source::Stdin => book.push(document, None),
            },
            None => any_failed = true,
        }
    }
    let output_label = args.output.display().to_string();
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

    let rendered = match format {
        OutputFormat::Epub => write_book(&book, &settings.write),
        _ => {
            // One document has one image folder: each chapter's local images travel inside
            // it (as data: URIs), looked up in that chapter's own folder only.
            for (chapter, dir) in book.chapters.iter_mut().zip(&book.resource_dirs) {
                if let Some(dir) = dir {
                    let warnings = embed_local_images(chapter, dir);
                    report.warnings(&output_label, warnings);
                }
            }
            quire::write(&book.to_document(), format, &settings.write)
        }
    };
    match rendered {
        Ok(rendered) => {
            report.warnings(&output_label, rendered.warnings);
            if let Err(e) = write_atomically(&args.output, &rendered.bytes, true) {
                report.error(output_label, anyhow!(e));
                any_failed = true;
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
    if any_failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn print(printer: &mut Printer, report: &JobReport) {
    for line in printer.lines(report) {
        eprintln!("{line}");
    }
}
