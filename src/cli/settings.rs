//! The options every job shares ([`Settings`]), made from the command line, and the checks clap
//! cannot make alone (margins against the page, `--jobs` against the machine): a mistake is a
//! [`UsageError`], found before anything is read or written.

use super::args::{ConvertArgs, EpubArgs, PdfArgs};
use super::terminal::say;
use quire::write::epub::Profile;
use quire::{Meta, OutputFormat, ReadOptions, WriteOptions};
use std::borrow::Cow;
use std::fmt;
use std::path::PathBuf;

/// What the user asked for does not make sense (exit status 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
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
    /// Flush each output to disk before renaming it into place (see `atomic::write_atomically`).
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
    /// `--url`: standard input's address (its base and source).
    pub stdin_url: Option<String>,
    /// `--follow-pages`: the most pages of one article read (1: only the page given).
    pub follow_pages: usize,
    /// `--profile` was given: KEPUBs are made for it too, not for Kobo's screens.
    pub profile_given: bool,
}

impl Settings {
    /// `base` as `format` takes it: a KEPUB is made for Kobo's screens unless `--profile`
    /// named another.
    pub fn options_for<'a>(
        &self,
        format: OutputFormat,
        base: &'a WriteOptions,
    ) -> Cow<'a, WriteOptions> {
        if format == OutputFormat::Kepub && !self.profile_given {
            let mut options = base.clone();
            options.epub.profile = Profile::Kobo;
            Cow::Owned(options)
        } else {
            Cow::Borrowed(base)
        }
    }
}

/// The most inputs converted at a time: more threads than this only cost memory (each
/// has a roomy stack and holds a whole document), and a million of them cannot start.
pub fn max_threads(cores: usize) -> usize {
    cores.saturating_mul(4).clamp(1, 256)
}

/// The number of inputs converted at a time: `--jobs` (at most [`max_threads`], with a
/// warning), else one per core.
pub fn thread_count(jobs: Option<usize>) -> Result<usize, UsageError> {
    let cores = || std::thread::available_parallelism().map_or(1, |n| n.get());
    match jobs {
        Some(0) => Err(UsageError("--jobs must be at least 1".into())),
        // Every machine allows this many: no need to count the cores.
        Some(n) if n <= max_threads(1) => Ok(n),
        Some(n) if n > max_threads(cores()) => {
            let cores = cores();
            let max = max_threads(cores);
            say(&format!(
                "quire: warning: --jobs {n} is more than this machine can use \
                 ({cores} cores); converting {max} files at a time"
            ));
            Ok(max)
        }
        Some(n) => Ok(n),
        None => Ok(cores()),
    }
}

/// How much of the page margins may take: the rest is too narrow (or too short) to set
/// text in. The PDF layout keeps the same third for text whatever it is given.
const MAX_MARGIN_SHARE: f32 = 0.66;

/// Checks the options for fetching pages: `--url` is standard input's address, so it needs
/// `-` among the inputs; without the network client the options that fetch are refused.
pub fn check_fetch_options(args: &ConvertArgs) -> Result<(), UsageError> {
    if args.url.is_some() && !args.inputs.iter().any(|input| input.as_os_str() == "-") {
        return Err(UsageError(
            "--url is the address of the page on standard input: give '-' as an input".into(),
        ));
    }
    let fetching =
        args.cookies.is_some() || !args.headers.is_empty() || args.follow_pages > Some(1);
    if fetching && !cfg!(feature = "net") {
        return Err(UsageError(
            "--cookies, --header and --follow-pages fetch pages, and this quire was built \
             without network support (the `net` feature)"
                .into(),
        ));
    }
    Ok(())
}

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

/// Settings for `quire bundle`: defaults, with the PDF and EPUB options and the input size
/// limit given.
pub fn settings_from_parts(pdf: &PdfArgs, epub: &EpubArgs, max_input_size: u64) -> Settings {
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
        stdin_url: None,
        follow_pages: 1,
        profile_given: epub.profile.is_some(),
    }
}

/// The options every input shares, from the command line.
pub fn settings_from(args: &ConvertArgs) -> Settings {
    let mut fetch = args.epub.fetch_options();
    fetch.headers.clone_from(&args.headers);
    fetch.cookies.clone_from(&args.cookies);
    let mut remote_images = args.epub.remote_images();
    remote_images.cookies.clone_from(&args.cookies);
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
            remote_images,
            ..WriteOptions::default()
        },
        overrides: MetaOverrides {
            title: args.title.clone(),
            authors: args.authors.clone(),
            language: args.lang.clone(),
        },
        fetch,
        durable: args.fsync,
        explain: args.explain,
        no_images: args.no_images,
        max_input_size: Some(args.max_input_size),
        output_root: None,
        stdin_url: args.url.clone(),
        follow_pages: args.follow_pages.map_or(1, usize::from),
        profile_given: args.epub.profile.is_some(),
    }
}

/// The build time reproducible builds ask for (`SOURCE_DATE_EPOCH`, seconds since the epoch),
/// so that the same input gives the same bytes; `None` when unset or not a number.
fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}
