//! `quire feed`: a dated newspaper of the new articles of a person's feeds, one book a run.
//!
//! A run: the sources become a list of feeds (OPML and list files expanded); the feeds are
//! fetched in parallel, each with the validators its server sent last time (a 304 costs
//! nothing); the items not delivered before (the state file, by GUID, canonical URL and text
//! hash) and not already taken from an earlier feed of this run are chosen (`--since`,
//! `--max-per-feed`); their articles are read in parallel (the feed's own content when it is
//! the whole article, else the page, extracted); the book is made with a part per feed,
//! written atomically and listed in `.quire-outputs`; then the state file is written
//! atomically, so a run killed before that leaves the last state whole and delivers its items
//! again next time (twice rather than never).
//!
//! Every request goes through one [`PoliteFetcher`] per address policy: at most two requests
//! to a host at once, retries with backoff, conditional requests, gzip.

use super::args::{FeedArgs, Since};
use super::atomic::{self, write_atomically};
use super::bundle::{edited_since_written, print, render};
use super::input::folder_of;
use super::job::is_url;
use super::library::{Entry, Library, NewBook};
use super::manifest::{self, Fingerprint, Manifest};
use super::report::{JobReport, Printer};
use super::send::{send_written, Mailer};
use super::settings::{check_pdf_options, settings_from_parts, Settings};
use super::terminal::say;
use anyhow::{anyhow, Context};
use chrono::{DateTime, NaiveDate, Utc};
use quire::feed::sources::{self, Listed, SourceKind};
use quire::feed::state::{self, Delivered, FeedRecord, State};
use quire::feed::{self as feeds, Item};
use quire::net::{Conditional, PoliteFetcher, PoliteOptions, PrivateAddresses, Validators};
use quire::pool::Pool;
use quire::write::epub::Book;
use quire::{Block, Document, InputFormat, Meta, OutputFormat, ReadOptions};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// How many articles are read at once (the fetcher keeps each host to two of them).
const ARTICLE_WORKERS: usize = 8;

/// The title's name part when several feeds make the book and `--title` is not given.
const DEFAULT_NAME: &str = "News";

pub fn run(args: FeedArgs) -> ExitCode {
    let usage = |message: &str| {
        say(&format!("quire: {message}"));
        say("");
        say("For more information, try 'quire feed --help'.");
        ExitCode::from(2)
    };
    // -o names a folder when it is one, ends in a separator or has no extension.
    let into_folder = args.output.as_ref().is_some_and(|output| {
        let output_text = output.to_string_lossy();
        output.is_dir()
            || output_text.ends_with(std::path::MAIN_SEPARATOR)
            || output_text.ends_with('/')
            || output.extension().is_none()
    });
    let format = args
        .to
        .or_else(|| {
            (!into_folder)
                .then(|| args.output.as_deref().and_then(OutputFormat::from_path))
                .flatten()
        })
        .unwrap_or(OutputFormat::Epub);
    if !PAPER_FORMATS.contains(&format) {
        return usage(&format!(
            "a newspaper is an epub, kepub, pdf or html book, not {format}"
        ));
    }
    if let Err(message) = check_pdf_options(&args.pdf) {
        return usage(&message.to_string());
    }
    if args.max_per_feed == Some(0) {
        return usage("--max-per-feed must be at least 1");
    }
    if args.timeout.is_some_and(|t| !(t > 0.0 && t < 86_400.0)) {
        return usage("--timeout takes a number of seconds above 0");
    }
    let mailer = match Mailer::for_send_option(&args.mail) {
        Ok(mailer) => mailer,
        Err(status) => return status,
    };

    let mut settings = settings_from_parts(&args.pdf, &args.epub, quire::net::DEFAULT_MAX_BYTES);
    settings.durable = true;
    settings.fetch.headers.clone_from(&args.headers);
    settings.fetch.cookies.clone_from(&args.cookies);
    settings
        .write
        .remote_images
        .cookies
        .clone_from(&args.cookies);
    if let Some(seconds) = args.timeout {
        settings.fetch.timeout = Duration::from_secs_f64(seconds);
        settings.fetch.connect_timeout = settings.fetch.timeout.min(settings.fetch.connect_timeout);
        settings.write.remote_images.timeout = settings.fetch.timeout;
    }
    let polite = PoliteOptions {
        retries: args.retries.unwrap_or(PoliteOptions::default().retries),
        ..PoliteOptions::default()
    };
    let fetchers = Fetchers::new(&settings, polite);

    // The library is opened first: a folder that cannot be one fails before any fetching.
    let library = match args.library.as_deref().map(Library::open).transpose() {
        Ok(library) => library,
        Err(e) => {
            say(&format!("quire: {e:#}"));
            return ExitCode::FAILURE;
        }
    };
    // The state file is beside the book, or in the library when there is no -o.
    let output_dir = match (&args.output, &library) {
        (Some(output), _) if into_folder => output.clone(),
        (Some(output), _) => folder_of(output),
        (None, Some(library)) => library.root().to_path_buf(),
        (None, None) => unreachable!("clap requires -o or --library"),
    };
    let state_path = output_dir.join(state::STATE_FILE);
    let mut state = match read_state(&state_path) {
        Ok(state) => state,
        Err(e) => {
            say(&format!("quire: {e:#}"));
            return ExitCode::FAILURE;
        }
    };
    let now = current_time();
    let mut printer = Printer::new(args.quiet);
    let mut report = JobReport::default();
    let mut any_failed = false;
    let progress = |line: &str| {
        if !args.quiet {
            say(&format!("quire: {line}"));
        }
    };

    // 1. The feeds.
    let listed = list_feeds(&args.sources, &mut report);
    any_failed |= report.failed();
    let read_feeds = read_feeds(&listed, &fetchers, &state);
    // 2. The items to deliver, feed by feed; the first feed that has an article keeps it.
    let since = args.since.map(|since| match since {
        Since::Ago(seconds) => now - chrono::Duration::seconds(seconds as i64),
        Since::Day(day) => day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
    });
    let mut taken_guids = HashSet::new();
    let mut taken_urls = HashSet::new();
    let mut work: Vec<Job> = Vec::new();
    let mut sections: Vec<String> = Vec::new();
    for (listed, outcome) in listed.iter().zip(read_feeds) {
        let feed_label = &listed.address;
        let read = match outcome {
            Ok(Some(read)) => read,
            Ok(None) => {
                progress(&format!("{feed_label}: not changed since the last run"));
                touch_record(&mut state, feed_label, now);
                continue;
            }
            Err(e) => {
                report.error(feed_label.clone(), e);
                any_failed = true;
                continue;
            }
        };
        if is_url(feed_label) {
            state.feeds.insert(
                feed_label.clone(),
                FeedRecord {
                    etag: read.validators.etag.clone(),
                    last_modified: read.validators.last_modified.clone(),
                    checked_at: now.timestamp(),
                },
            );
        }
        let title = listed
            .title
            .clone()
            .or_else(|| read.feed.title.clone())
            .unwrap_or_else(|| feed_label.clone());
        let mut items: Vec<Item> = read
            .feed
            .items
            .into_iter()
            .filter(|item| match (since, item.published) {
                (Some(since), Some(published)) => published >= since,
                _ => true,
            })
            .filter(|item| {
                let url = item.url.as_deref().map(feeds::canonical_url);
                !state.knows(feed_label, &item.guid, url.as_deref())
            })
            .collect();
        // The newest first (undated items after the dated, in the feed's order).
        items.sort_by_key(|item| std::cmp::Reverse(item.published));
        let mut count = 0;
        for item in items {
            if args.max_per_feed.is_some_and(|max| count >= max) {
                break;
            }
            let url = item.url.as_deref().map(feeds::canonical_url);
            let seen = !taken_guids.insert((feed_label.clone(), item.guid.clone()))
                || url.as_ref().is_some_and(|u| !taken_urls.insert(u.clone()));
            if seen {
                continue;
            }
            count += 1;
            work.push(Job {
                section: sections.len(),
                feed: feed_label.clone(),
                feed_title: title.clone(),
                feed_private: read.private,
                item,
                canonical_url: url,
            });
        }
        progress(&format!("{feed_label}: {count} new"));
        sections.push(title);
    }

    // 3. The articles, in parallel; kept in feed order.
    let mut articles: Vec<Option<anyhow::Result<(Document, bool)>>> =
        (0..work.len()).map(|_| None).collect();
    let pool = Pool::new(ARTICLE_WORKERS.min(work.len().max(1))).name("quire-feed");
    let ran = pool.run(
        work.iter(),
        |job| read_article(job, &fetchers, &settings),
        |index, result| {
            articles[index] = Some(match result {
                Ok(read) => read,
                Err(panicked) => Err(anyhow!("quire failed on it (a bug): {}", panicked.message)),
            });
        },
    );
    if let Err(e) = ran {
        say(&format!("quire: cannot start threads: {e}"));
        return ExitCode::FAILURE;
    }

    let mut book = Book::default();
    let mut delivered: Vec<Delivered> = Vec::new();
    let mut hashes = HashSet::new();
    let mut section_started = usize::MAX;
    for (job, article) in work.iter().zip(articles) {
        let label = job
            .item
            .url
            .clone()
            .unwrap_or_else(|| job.item.guid.clone());
        let (document, private) = match article.unwrap_or_else(|| Err(anyhow!("not read"))) {
            Ok(read) => read,
            Err(e) => {
                report.error(label, e);
                any_failed = true;
                // The feed is asked for in full next time, so that the item is tried again
                // even when the feed has not changed.
                if let Some(record) = state.feeds.get_mut(&job.feed) {
                    record.etag = None;
                    record.last_modified = None;
                }
                continue;
            }
        };
        let hash = feeds::text_hash(&document.plain_text(usize::MAX));
        if state.knows_text(&hash) || !hashes.insert(hash.clone()) {
            progress(&format!("{label}: delivered before (same text), left out"));
            continue;
        }
        if section_started != job.section {
            book.start_section(job.feed_title.clone());
            section_started = job.section;
        }
        book.push_from_web(document, private);
        delivered.push(Delivered {
            guid: job.item.guid.clone(),
            url: job.canonical_url.clone(),
            text_hash: Some(hash),
            feed: job.feed.clone(),
            delivered_at: now.timestamp(),
        });
    }

    state.prune(now.timestamp(), state::DEFAULT_MAX_AGE);
    let mut written: Vec<PathBuf> = Vec::new();
    if book.chapters.is_empty() {
        print(&mut printer, &report);
        if any_failed {
            say("quire: nothing could be read: no book written");
        } else {
            say("quire: nothing new since the last run: no book written");
        }
        any_failed |= !save_state(&state, &state_path, &output_dir);
        return exit(any_failed);
    }

    // 4. The book.
    let day = now.date_naive();
    let name = args
        .title
        .clone()
        // The name depends on the feeds asked for, not on which had news, so that a paper
        // of the same feeds always has the same name (which --keep counts by).
        .unwrap_or_else(|| match (listed.len(), sections.as_slice()) {
            (1, [one]) => one.clone(),
            _ => DEFAULT_NAME.to_string(),
        });
    book.meta = Meta {
        title: Some(format!("{name} \u{2014} {}", day.format("%Y-%m-%d"))),
        published: quire::model::Date::parse_iso(&day.format("%Y-%m-%d").to_string()),
        ..Meta::default()
    };
    // Into the library first: its book is what /latest.epub serves.
    let mut added_to_library = false;
    if let Some(library) = &library {
        match add_to_library(library, &mut book, format, &settings, &mut report) {
            Ok(entry) => {
                added_to_library = true;
                progress(&format!(
                    "{}: added to the library as '{}' ({})",
                    library.root().display(),
                    entry.title,
                    entry.id
                ));
            }
            Err(e) => {
                report.error(library.root().display().to_string(), e);
                any_failed = true;
            }
        }
    }
    let mut manifest = None;
    if let Some(output) = &args.output {
        let output = if into_folder {
            next_book_path(&output_dir, &slug(&name), day, format)
        } else {
            output.clone()
        };
        if let Err(e) = std::fs::create_dir_all(&output_dir) {
            report.error(output_dir.display().to_string(), anyhow!(e));
            print(&mut printer, &report);
            return ExitCode::FAILURE;
        }
        manifest = Manifest::load(&output_dir);
        if let Some(why) = manifest
            .as_ref()
            .and_then(|m| edited_since_written(m, &output))
        {
            report.error(output.display().to_string(), anyhow!(why));
            print(&mut printer, &report);
            return ExitCode::FAILURE;
        }
        let options = settings.options_for(format, &settings.write);
        let rendered = render(
            &mut book,
            format,
            &options,
            &settings,
            None,
            &output,
            &mut report,
        );
        let outputs = match rendered {
            Ok(outputs) => outputs,
            Err(e) => {
                report.error(
                    output.display().to_string(),
                    anyhow!(e).context(format!("cannot write {format}")),
                );
                print(&mut printer, &report);
                return ExitCode::FAILURE;
            }
        };
        atomic::remove_stale_parts(&output_dir);
        for (path, rendered) in outputs {
            let label = path.display().to_string();
            report.warnings(&label, rendered.warnings);
            if let Err(e) = write_atomically(&path, &rendered.bytes, true) {
                report.error(label, anyhow!(e));
                any_failed = true;
                continue;
            }
            written.push(path.clone());
            let fingerprint = Fingerprint {
                version: manifest::VERSION.to_string(),
                input: manifest::digest_of(args.sources.join("\n").as_bytes()),
                settings: manifest::digest_of(format!("{settings:?}\n{format:?}").as_bytes()),
                output: manifest::digest_of(&rendered.bytes),
            };
            if manifest.is_none() {
                manifest = Manifest::load(&output_dir);
            }
            if let Some(Err(e)) = manifest
                .as_mut()
                .map(|m| m.record(&path, fingerprint).and_then(|()| m.save()))
            {
                report.error(
                    output_dir.join(manifest::MANIFEST).display().to_string(),
                    anyhow!(e).context("cannot list the book"),
                );
                any_failed = true;
            }
        }
    }
    print(&mut printer, &report);
    if written.is_empty() && !added_to_library {
        return ExitCode::FAILURE;
    }
    for path in &written {
        progress(&format!(
            "{}: {} articles from {} feeds",
            path.display(),
            book.chapters.len(),
            book.sections.len()
        ));
    }
    // The book is whole on disk (or in the library): now its items count as delivered.
    for item in delivered {
        state.record(item);
    }
    any_failed |= !save_state(&state, &state_path, &output_dir);
    if let (Some(keep), Some(manifest)) = (args.keep, &manifest) {
        if into_folder {
            remove_old_books(manifest, &slug(&name), &written, keep as usize, &progress);
        }
    }
    if let Some(mailer) = &mailer {
        any_failed |= !send_written(mailer, &written, args.quiet);
    }
    exit(any_failed)
}

/// The formats an issue is added to a library in: what devices take from its catalog and
/// its `/latest.*` links, and the format asked for when it is another.
fn library_formats(format: OutputFormat) -> Vec<OutputFormat> {
    let mut formats = vec![OutputFormat::Epub, OutputFormat::Kepub];
    if !formats.contains(&format) {
        formats.push(format);
    }
    formats
}

/// Renders the issue in the library's formats and adds it to the library as a book.
fn add_to_library(
    library: &Library,
    book: &mut Book,
    format: OutputFormat,
    settings: &Settings,
    report: &mut JobReport,
) -> anyhow::Result<Entry> {
    let mut files = Vec::new();
    for format in library_formats(format) {
        let options = settings.options_for(format, &settings.write);
        // The path only labels warnings: nothing is written there.
        let label = library
            .root()
            .join(format!("book.{}", format.file_suffix()));
        let mut outputs = render(book, format, &options, settings, None, &label, report)
            .map_err(|e| anyhow!(e).context(format!("cannot write {format}")))?;
        if outputs.len() != 1 {
            // Kindle's profile splits a large EPUB; a library entry has one file a format.
            return Err(anyhow!(
                "the issue is too large for one {format} file under this profile"
            ));
        }
        let (_, rendered) = outputs.remove(0);
        report.warnings(&label.display().to_string(), rendered.warnings);
        files.push((format, rendered.bytes));
    }
    let text = book
        .chapters
        .iter()
        .map(|chapter| chapter.plain_text(usize::MAX))
        .collect::<Vec<_>>()
        .join("\n\n");
    // The catalog shows the language the book is in: its articles', as the EPUB says.
    let mut meta = book.meta.clone();
    if meta.language.is_none() {
        meta.language = book
            .chapters
            .iter()
            .find_map(|chapter| chapter.meta.language.clone());
    }
    library.add_book(NewBook {
        meta,
        text,
        files,
        cover: None,
    })
}

fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The fetchers of a run. Feeds are addresses the user gave, and so are the articles of a
/// feed that is itself on a private address (an intranet feed links to its intranet); the
/// articles of a public feed may not lead into private addresses unless `--allow-private`.
struct Fetchers {
    typed: PoliteFetcher,
    from_public_feeds: PoliteFetcher,
}

impl Fetchers {
    fn new(settings: &Settings, polite: PoliteOptions) -> Fetchers {
        let mut public = settings.fetch.clone();
        if public.private != PrivateAddresses::Allowed {
            public.private = PrivateAddresses::Refused;
        }
        Fetchers {
            typed: PoliteFetcher::new(settings.fetch.clone(), polite.clone()),
            from_public_feeds: PoliteFetcher::new(public, polite),
        }
    }
}

/// A feed read this run.
struct ReadFeed {
    feed: quire::feed::Feed,
    validators: Validators,
    /// It came from a private address, or is a file: its articles may be on one too.
    private: bool,
}

/// One article to read.
struct Job {
    section: usize,
    feed: String,
    feed_title: String,
    feed_private: bool,
    item: Item,
    canonical_url: Option<String>,
}

/// The current time (chrono's `clock` feature is not built).
fn current_time() -> DateTime<Utc> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    DateTime::from_timestamp(i64::try_from(seconds).unwrap_or(0), 0).unwrap_or_default()
}

fn read_state(path: &Path) -> anyhow::Result<State> {
    match std::fs::read(path) {
        Ok(bytes) => State::from_json(&bytes, &path.display().to_string()).map_err(|e| {
            anyhow!(e).context("remove the file to start afresh (every item then counts as new)")
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::new()),
        Err(e) => Err(anyhow!(e).context(format!("cannot read {}", path.display()))),
    }
}

/// Writes the state atomically; false (and says why) when it cannot.
fn save_state(state: &State, path: &Path, dir: &Path) -> bool {
    let saved =
        std::fs::create_dir_all(dir).and_then(|()| write_atomically(path, &state.to_json(), true));
    match saved {
        Ok(()) => true,
        Err(e) => {
            say(&format!(
                "quire: {}: cannot write the state: {e}",
                path.display()
            ));
            false
        }
    }
}

/// A feed not changed since the last run keeps its validators; the check is noted.
fn touch_record(state: &mut State, feed: &str, now: DateTime<Utc>) {
    if let Some(record) = state.feeds.get_mut(feed) {
        record.checked_at = now.timestamp();
    }
}

/// The feeds the sources name, in order, each once: URLs as they are, files that are feeds,
/// and the feeds of OPML and list files (their relative paths resolved in their folder).
fn list_feeds(sources: &[String], report: &mut JobReport) -> Vec<Listed> {
    let mut out: Vec<Listed> = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |listed: Listed, out: &mut Vec<Listed>| {
        if seen.insert(listed.address.clone()) {
            out.push(listed);
        }
    };
    for source in sources {
        if is_url(source) {
            push(
                Listed {
                    address: source.clone(),
                    title: None,
                },
                &mut out,
            );
            continue;
        }
        let path = Path::new(source);
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                report.error(source.clone(), anyhow!(super::terminal::io_error(e)));
                continue;
            }
        };
        let folder = folder_of(path);
        let resolve = |listed: Listed| Listed {
            address: if is_url(&listed.address) {
                listed.address
            } else {
                folder.join(&listed.address).display().to_string()
            },
            title: listed.title,
        };
        match sources::kind_of(&bytes) {
            SourceKind::Feed => push(
                Listed {
                    address: source.clone(),
                    title: None,
                },
                &mut out,
            ),
            SourceKind::Opml => match sources::parse_opml(&String::from_utf8_lossy(&bytes)) {
                Ok(listed) => listed
                    .into_iter()
                    .map(resolve)
                    .for_each(|l| push(l, &mut out)),
                Err(e) => report.error(source.clone(), anyhow!(e)),
            },
            SourceKind::List => {
                let listed = sources::parse_numbered_list(&String::from_utf8_lossy(&bytes));
                if listed.is_empty() {
                    report.error(
                        source.clone(),
                        anyhow!("names no feed: it is empty, or holds only comments"),
                    );
                    continue;
                }
                // A line that is neither a URL nor a file is most likely a file that is no
                // feed, read as a list because it starts with neither `<` nor `{`.
                for (line, listed) in listed {
                    let written = listed.address.clone();
                    let listed = resolve(listed);
                    if !is_url(&listed.address) && !Path::new(&listed.address).is_file() {
                        report.error(
                            format!("{source}:{line}"),
                            anyhow!(
                                "'{written}' is neither an http(s) feed URL nor a feed file \
                                 (a file that starts with neither '<' nor '{{' is read as a \
                                 list of feeds, one a line)"
                            ),
                        );
                        continue;
                    }
                    push(listed, &mut out);
                }
            }
        }
    }
    out
}

/// Reads every feed, in parallel: `Ok(None)` for a feed its server says has not changed.
fn read_feeds(
    listed: &[Listed],
    fetchers: &Fetchers,
    state: &State,
) -> Vec<anyhow::Result<Option<ReadFeed>>> {
    let mut out: Vec<Option<anyhow::Result<Option<ReadFeed>>>> =
        (0..listed.len()).map(|_| None).collect();
    let pool = Pool::new(ARTICLE_WORKERS.min(listed.len().max(1))).name("quire-feed");
    let ran = pool.run(
        listed.iter(),
        |listed| read_feed(&listed.address, fetchers, state),
        |index, result| {
            out[index] = Some(
                result
                    .unwrap_or_else(|p| Err(anyhow!("quire failed on it (a bug): {}", p.message))),
            );
        },
    );
    if let Err(e) = ran {
        return listed
            .iter()
            .map(|_| Err(anyhow!("cannot start threads: {e}")))
            .collect();
    }
    out.into_iter()
        .map(|r| r.unwrap_or_else(|| Err(anyhow!("not read"))))
        .collect()
}

fn read_feed(
    address: &str,
    fetchers: &Fetchers,
    state: &State,
) -> anyhow::Result<Option<ReadFeed>> {
    if !is_url(address) {
        let bytes = std::fs::read(address).map_err(super::terminal::io_error)?;
        let feed = feeds::parse(&bytes, address)?;
        // A feed file is the user's own: its links are judged as addresses the user typed.
        return Ok(Some(ReadFeed {
            feed,
            validators: Validators::default(),
            private: true,
        }));
    }
    let known = state
        .feeds
        .get(address)
        .map(|record| Validators {
            etag: record.etag.clone(),
            last_modified: record.last_modified.clone(),
        })
        .unwrap_or_default();
    let fetched = match fetchers.typed.fetch_if_changed(address, &known) {
        Ok(Conditional::Changed(fetched)) => fetched,
        Ok(Conditional::NotModified) => return Ok(None),
        Err(e) => return Err(fetch_error(e)),
    };
    // A feed served as text/html or text/plain is still read as a feed: the bytes decide.
    let feed = feeds::parse(&fetched.bytes, &fetched.final_url)?;
    Ok(Some(ReadFeed {
        feed,
        validators: fetched.validators,
        private: fetched.private,
    }))
}

fn fetch_error(e: quire::Error) -> anyhow::Error {
    match e {
        // The label already names the URL.
        quire::Error::Fetch { message, .. } => anyhow!("cannot fetch it: {message}"),
        other => anyhow!(other),
    }
}

/// Reads one item's article: the feed's own content when it is the whole article (or the
/// item has no page), else its page, fetched and extracted. The item's title, authors, date,
/// feed name and image fill what the article lacks. With the document: whether its images
/// may come from private addresses.
fn read_article(
    job: &Job,
    fetchers: &Fetchers,
    settings: &Settings,
) -> anyhow::Result<(Document, bool)> {
    let item = &job.item;
    let own = item.content.as_deref().or(item.summary.as_deref());
    let use_own = match (&item.url, item.content.as_deref()) {
        (None, _) => true,
        (Some(_), Some(content)) => feeds::is_full_article(content),
        (Some(_), None) => false,
    };
    let (mut document, private) = if use_own {
        let html = own.ok_or_else(|| anyhow!("the item has neither a link nor content"))?;
        let options = ReadOptions {
            source_url: Some(item.base.clone()),
            whole_page: true,
            ..settings.read.clone()
        };
        let reading = quire::read(html.as_bytes(), InputFormat::Html, &options)
            .context("cannot read the item's content")?;
        (reading.document, job.feed_private)
    } else {
        let url = item.url.as_deref().unwrap_or_default();
        let fetcher = if job.feed_private {
            &fetchers.typed
        } else {
            &fetchers.from_public_feeds
        };
        let fetched = fetcher.fetch_page(url).map_err(fetch_error)?;
        let options = ReadOptions {
            source_url: Some(fetched.final_url.clone()),
            charset: fetched.charset.clone(),
            ..settings.read.clone()
        };
        let reading = quire::read_owned(fetched.bytes, InputFormat::Html, &options)
            .context("cannot read it as html")?;
        (reading.document, fetched.private)
    };
    if document.plain_text(64).trim().is_empty() && !has_image(&document) {
        return Err(anyhow!("no article text found"));
    }
    let meta = &mut document.meta;
    if let Some(title) = &item.title {
        meta.title = Some(title.clone());
    }
    if meta.authors.is_empty() {
        meta.authors.clone_from(&item.authors);
    }
    if meta.published.is_none() {
        meta.published = item.published.and_then(|d| {
            quire::model::Date::parse_iso(&d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        });
    }
    if meta.site_name.is_none() {
        meta.site_name = Some(job.feed_title.clone());
    }
    if let Some(url) = &item.url {
        meta.source_url = Some(url.clone());
    }
    // An enclosure is the article's lead image when it has none; an article without any
    // picture shows it first.
    if let Some(image) = &item.image {
        if meta.lead_image.is_none() {
            meta.lead_image = Some(image.clone());
        }
        if !has_image(&document) {
            document.blocks.insert(
                0,
                Block::Figure(Box::new(quire::model::Figure {
                    image: quire::model::Image {
                        src: image.clone(),
                        ..quire::model::Image::default()
                    },
                    caption: Vec::new(),
                })),
            );
        }
    }
    if settings.no_images {
        document.remove_images();
    }
    Ok((document, private))
}

fn has_image(document: &Document) -> bool {
    let mut any = false;
    document.for_each_image(&mut |_| any = true);
    any
}

/// A file name's stem from a title: lowercase letters and digits, words joined by `-`.
fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 60 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "news".to_string()
    } else {
        out
    }
}

/// The formats a paper is made in. KEPUB comes before EPUB: its file suffix (`kepub.epub`)
/// ends with EPUB's, so a paper's name is matched against it first.
const PAPER_FORMATS: [OutputFormat; 4] = [
    OutputFormat::Kepub,
    OutputFormat::Epub,
    OutputFormat::Pdf,
    OutputFormat::Html,
];

/// `DIR/SLUG-DAY.EXT`, or `SLUG-DAY-2.EXT`, `-3`… when a run the same day made it already:
/// an earlier paper holds other articles (each is delivered once), so it is never replaced.
fn next_book_path(dir: &Path, slug: &str, day: NaiveDate, format: OutputFormat) -> PathBuf {
    let ext = format.file_suffix();
    let day = day.format("%Y-%m-%d");
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{slug}-{day}.{ext}")),
            n => dir.join(format!("{slug}-{day}-{n}.{ext}")),
        })
        .find(|path| !path.exists())
        .unwrap_or_else(|| dir.join(format!("{slug}-{day}.{ext}")))
}

/// The day and run number in a book name this command makes (`SLUG-2026-12-03-2.epub`), for
/// this slug; `None` for any other file.
fn paper_order(name: &str, slug: &str) -> Option<(NaiveDate, u32)> {
    let rest = name.strip_prefix(slug)?.strip_prefix('-')?;
    let stem = PAPER_FORMATS
        .iter()
        .find_map(|format| rest.strip_suffix(format.file_suffix())?.strip_suffix('.'))?;
    let day = NaiveDate::parse_from_str(stem.get(..10)?, "%Y-%m-%d").ok()?;
    let run = match &stem[10..] {
        "" => 1,
        more => more.strip_prefix('-')?.parse().ok()?,
    };
    Some((day, run))
}

/// `--keep N`: removes all but the newest `keep` papers in the folder, counting only files
/// named as this command names them (same title), listed in `.quire-outputs` and not changed
/// since quire wrote them; other files are never touched.
fn remove_old_books(
    manifest: &Manifest,
    slug: &str,
    written: &[PathBuf],
    keep: usize,
    progress: &dyn Fn(&str),
) {
    let Ok(entries) = std::fs::read_dir(manifest.dir()) else {
        return;
    };
    let mut papers: Vec<((NaiveDate, u32), PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let order = paper_order(&name, slug)?;
            Some((order, entry.path()))
        })
        .filter(|(_, path)| {
            written.contains(path)
                || (matches!(manifest.lookup(path), Some(Some(_)))
                    && edited_since_written(manifest, path).is_none())
        })
        .collect();
    papers.sort_by_key(|paper| std::cmp::Reverse(paper.0));
    for (_, path) in papers.into_iter().skip(keep) {
        if written.contains(&path) {
            continue;
        }
        match std::fs::remove_file(&path) {
            Ok(()) => progress(&format!("{}: removed (--keep {keep})", path.display())),
            Err(e) => say(&format!("quire: {}: cannot remove it: {e}", path.display())),
        }
    }
    // The manifest lists only files that exist: saving it forgets the removed ones.
    let _ = manifest.save();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_paper_names() {
        assert_eq!(slug("Morning paper — 2026"), "morning-paper-2026");
        assert_eq!(slug("  !!  "), "news");
        let day = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        assert_eq!(paper_order("news-2026-12-03.epub", "news"), Some((day, 1)));
        assert_eq!(
            paper_order("news-2026-12-03-12.kepub.epub", "news"),
            Some((day, 12))
        );
        assert_eq!(paper_order("news-2026-12-03.txt", "news"), None);
        assert_eq!(paper_order("news-extra-2026-12-03.epub", "news"), None);
        assert_eq!(paper_order("other-2026-12-03.epub", "news"), None);
    }
}
