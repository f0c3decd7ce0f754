//! The raw command line, as clap parses it. Nothing here checks how options combine: that is
//! the job of `config` and `settings`, which read these types (this module reads none of theirs),
//! so that every rule lives in one place and can be unit-tested.

use clap::{Args, Parser, Subcommand};
use quire::write::epub::{CoverChoice, EpubOptions, Profile};
use quire::write::pdf::{Margins, PageSize, PdfOptions};
use quire::{InputFormat, OutputFormat};
use std::path::PathBuf;

const CONVERT_HELP: &str = "\
Output formats:
  With --to, those formats (a comma list; --to may repeat). Without it, the
  format -o FILE's extension names (out.html -> html), else Markdown (md).

Where outputs go:
  -o -      standard output (one input, one format)
  -o DIR    DIR/STEM.EXT for each input and format; -o is a directory when it
            exists as one, ends in '/', or there are several inputs or formats
            (DIR is created if missing)
  -o FILE   exactly FILE (one input, one format)
  no -o     standard input goes to standard output (one format); a file goes
            beside itself as STEM.EXT (essay.md -> essay.html)

  An input file is never overwritten: when STEM.EXT would be the input itself
  (essay.md --to md) the output is STEM.out.EXT (essay.out.md), and -o naming
  an input is an error. Every output is written to a temporary file beside
  it and renamed into place, so it is whole or absent, never half-written;
  it is never written through a link out of its folder or to a FIFO.

Input formats:
  --from for every input; else a file's extension (.txt .html .md .json);
  else the content is sniffed. '-' reads standard input (STEM 'stdin').

Folders and batches:
  A folder is walked recursively; files are taken by extension, hidden and
  .gitignored ones skipped (--hidden, --no-ignore take them). Outputs mirror
  the folders under -o DIR. Clashing names become STEM.SRCEXT.EXT (a.html.md,
  a.txt.md). --jobs N converts N files at a time with the same results for
  any N. A re-run skips inputs whose outputs were made from the same bytes
  with the same options, and keeps outputs edited since (--force: redo all).
  A progress bar shows on a terminal; a summary at the end; --report FILE
  writes every outcome as JSON. Ctrl-C (or SIGTERM, SIGHUP) finishes the
  files under way, prints the summary and exits 130. Only regular files are
  taken from folders; files and stdin over --max-input-size are refused.

URLs:
  http(s) URLs are fetched (redirects, 30 s limit, 64 MiB limit); the final
  URL is the base for links. --urls FILE reads one URL a line. An EPUB of a
  page embeds its images (20 MiB each, 256 MiB and 60 s for all). Images and
  redirects to private, loopback or link-local addresses are refused unless
  the page you typed is on one, or --allow-private. --cookies FILE (Netscape
  cookies.txt) and --header 'Name: value' fetch pages behind a login;
  --follow-pages N joins an article's next pages (same site, N in all).
  '-' with --url URL reads a page a browser dumped, links resolved against URL.

Pipeline mode (--jsonl):
  Reads JSON lines {\"id\", \"html\"|\"text\"|\"markdown\"|\"json\"|\"url\", \"options\"}
  on stdin; writes one line {\"id\", \"meta\", \"markdown\"|\"text\"|\"html\", \"error\"}
  per input on stdout, in order, streaming. Bad lines get an \"error\".

Exit status: 0 all converted, 1 some input or output failed (the others are
still converted) or --send could not mail a book, 2 bad usage or mail settings,
130 stopped by Ctrl-C, SIGTERM or SIGHUP.

Examples:
  quire convert essay.md --to html              writes essay.html
  quire convert essay.md --to md,html,txt,json -o out/
  quire convert page.html -o article.md         format from the extension
  curl -s https://example.org/a | quire convert - --from html --to txt
  quire convert notes.txt --title 'Harbour notes' --author 'A. Writer' --lang en
  quire convert a.md b.md c.html --to html -o site/
  quire convert saved-pages/ --to md,html -o converted/ --report report.json
  quire convert https://example.org/news/tides.html --to txt
  quire convert --jsonl < pages.jsonl > answers.jsonl";

/// quire: turn web articles, plain text and Markdown into clean Markdown, HTML, text, JSON and PDF.
#[derive(Debug, Parser)]
#[command(
    name = "quire",
    version,
    about,
    subcommand_required = true,
    arg_required_else_help = true,
    after_help = "Run 'quire convert --help' for formats, output naming and examples."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Each subcommand's arguments are made only when that subcommand is run (or its help
/// shown): every run would otherwise build all of them, a tenth of a one-page conversion.
/// The argument structs carry no doc comments: made that late, a struct's doc comment
/// would replace the subcommand's description here in its help.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Convert documents from one format into others.
    #[command(after_help = CONVERT_HELP)]
    Convert(ConvertArgs),
    /// Make one e-book (or PDF or HTML page) of several articles, one chapter each.
    #[command(after_help = BUNDLE_HELP)]
    Bundle(BundleArgs),
    /// Check EPUBs for what e-readers reject (--kindle: Kindle's causes of error E999).
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Mail e-books (to a Kindle, say) through your SMTP server.
    #[command(after_help = SEND_HELP)]
    Send(SendArgs),
    /// Make a dated newspaper (one book) of the new articles of RSS, Atom and JSON feeds.
    #[command(after_help = FEED_HELP)]
    Feed(FeedArgs),
    /// A reading library in the browser: paste a URL or drop a file, read it, download it
    /// or save it; a bookmarklet for pages behind a login.
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
}

const SERVE_HELP: &str = "\
Safety: listens on loopback (127.0.0.1) unless --bind names another address; then every change
needs the token (--token, the library's config.toml, else a random one printed at start),
given at the login page or as 'Authorization: Bearer TOKEN'. Pages from private and loopback
addresses are not fetched unless --allow-private.

Example:
  quire serve --library ~/reading --bind 127.0.0.1:8080";

// `quire serve`'s arguments (not a doc comment: see `Command`).
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The library folder [default: $XDG_DATA_HOME/quire/library, ~/.local/share/quire/library].
    #[arg(long, value_name = "DIR")]
    pub library: Option<PathBuf>,

    /// The address and port to listen on (port 0: any free port, printed at start).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub bind: std::net::SocketAddr,

    /// The token changes need when listening beyond loopback.
    #[arg(long, value_name = "T")]
    pub token: Option<String>,

    /// Fetch pages and images from private and loopback addresses too.
    #[arg(long)]
    pub allow_private: bool,

    /// The largest upload, clipped page or fetched page (e.g. 20M).
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value = "20M")]
    pub max_upload: u64,

    /// How long a client may take to send a request's head, in milliseconds (hidden: the
    /// tests shorten it).
    #[arg(long, hide = true, value_name = "MS", default_value_t = 30_000)]
    pub header_timeout_ms: u64,
}

const CHECK_HELP: &str = "\
Lists each problem as 'BOOK: FILE-IN-BOOK:LINE: what is wrong'. What every reader rejects:
XML that is not well-formed (container, package, XHTML, navigation, NCX), files the manifest
lists that are not in the book, spine entries that name no manifest item. Kindle problems: a
missing or invalid dc:language, XHTML without <?xml ... encoding=\"utf-8\"?>, links to a
<body> id, <img> without src, CSS custom properties, '--' in XML comments, a book over 50 MB,
MathML, code on a dark background.

Exit status: 0 no problem found, 1 problems found (or a book could not be read), 2 bad usage.

Example:
  quire check book.epub --kindle";

// `quire check`'s arguments (not a doc comment: see `Command`).
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The EPUB files to check.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// Check for what makes Kindle (Send to Kindle) reject or mangle the book.
    #[arg(long, required = true)]
    pub kindle: bool,
}

const SEND_HELP: &str = "\
The mail settings are the [mail] table of $QUIRE_CONFIG, else
$XDG_CONFIG_HOME/quire/config.toml, else ~/.config/quire/config.toml:

  [mail]
  host = \"smtp.example.org\"
  port = 587                            # default: 587, 465 with tls, 25 with none
  security = \"starttls\"                 # starttls (default), tls, none (localhost)
  username = \"me@example.org\"
  password_env = \"QUIRE_SMTP_PASSWORD\"  # or password_file = \"PATH\"
  from = \"me@example.org\"               # approve it on the Kindle side
  to = \"me_abc123@kindle.com\"           # default recipient (--to replaces it)

A message holds at most 25 books and 50 MB (Kindle's limits); a larger book is refused
(write it as volumes). A message the server refuses is reported with the server's answer
and exit status 1; the other messages are still sent.

Examples:
  quire send essay.epub --dry-run
  quire send *.epub --batch --to me_abc123@kindle.com";

// `quire send`'s arguments (not a doc comment: see `Command`).
#[derive(Debug, Args)]
pub struct SendArgs {
    /// The e-books (or other files) to send.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// The recipient (default: the config file's `to`).
    #[arg(long, value_name = "ADDRESS")]
    pub to: Option<String>,

    /// Print what would be sent (server, sender, recipient, each message) and send nothing.
    #[arg(long)]
    pub dry_run: bool,

    /// Put as many books in each message as the 25-attachment and 50 MB limits allow
    /// (default: one book a message).
    #[arg(long)]
    pub batch: bool,

    /// Print errors only.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    #[command(flatten)]
    pub limit: MessageSizeArg,
}

// The largest message, in bytes of books; hidden: the tests lower it to check the split
// without mailing 50 MB (not a doc comment: see `Command`).
#[derive(Debug, Args)]
pub struct MessageSizeArg {
    #[arg(long, value_name = "SIZE", hide = true, value_parser = parse_size)]
    pub max_message_size: Option<u64>,
}

// `--send ADDRESS` on the commands that write e-books (not a doc comment: see `Command`).
#[derive(Debug, Args)]
pub struct SendAfterArgs {
    /// Mail the e-books written (EPUB, KEPUB, PDF) to ADDRESS through the SMTP server of the
    /// config file (see 'quire send --help').
    #[arg(long = "send", value_name = "ADDRESS")]
    pub send: Option<String>,

    #[command(flatten)]
    pub limit: MessageSizeArg,
}

const BUNDLE_HELP: &str = "\
Inputs are files, folders (walked recursively, hidden and .gitignore'd files left out) and
http(s) URLs, in any mix of formats. Each becomes a chapter, in the order given (a folder's
files in path order). An input that cannot be read is reported and left out; the book is made
of the rest (exit status 1 then). Links from one bundled article to another point inside the
book. The format comes from --to, else from -o's extension (epub, kepub.epub, pdf, html).

Examples:
  quire bundle saved/ -o weekly.epub --title 'Weekly reading'
  quire bundle a.html b.md https://example.org/essay -o reading.pdf --page-size ereader";

// `quire bundle`'s arguments (not a doc comment: see `Command`).
#[derive(Debug, Args)]
pub struct BundleArgs {
    /// Files, folders or http(s) URLs: one chapter each.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    /// The book to write (its extension names the format unless --to does).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: PathBuf,

    /// The format: epub (the default), kepub (for Kobo readers), pdf or html.
    #[arg(long = "to", short = 't', value_name = "FORMAT", value_parser = parse_output_format)]
    pub to: Option<OutputFormat>,

    #[arg(long, short = 'f', value_name = "FORMAT", value_parser = parse_input_format,
          help = format!("Input format for every input: {}.", InputFormat::names()))]
    pub from: Option<InputFormat>,

    /// The book's title (default: "Reading list", or the one article's title).
    #[arg(long, value_name = "T")]
    pub title: Option<String>,

    /// The book's author or editor (repeat for several).
    #[arg(long = "author", value_name = "A")]
    pub authors: Vec<String>,

    /// The book's language (a BCP 47 tag; default: the first article's).
    #[arg(long, value_name = "L", value_parser = parse_language)]
    pub lang: Option<String>,

    /// Do not print warnings (errors are still printed).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Refuse an input file larger than SIZE (bytes, or with a unit: 512K, 64M, 2G).
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    pub max_input_size: u64,

    /// Write an EPUB larger than SIZE as volumes NAME-1.epub, NAME-2.epub… (default under
    /// --profile kindle: 50 MB, what Send to Kindle takes). For tests.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, hide = true)]
    pub volume_limit: Option<u64>,

    #[command(flatten)]
    pub mail: SendAfterArgs,

    #[command(flatten)]
    pub epub: EpubArgs,

    #[command(flatten)]
    pub pdf: PdfArgs,
}

const FEED_HELP: &str = "\
SOURCE is a feed's URL or file (RSS, Atom, JSON Feed), an OPML file of feeds, or a list file (one
feed URL or path a line, '#' comments). Each item's page is fetched and its article extracted,
unless the feed itself holds the whole article. Items delivered by an earlier run (the state file
.quire-feed-state.json beside the book) are left out, and so is an article reached through a
second feed. With -o FOLDER the book is FOLDER/NAME-YYYY-MM-DD.epub (-2, -3... for later runs
the same day); --keep N then removes all but the newest N of those. With --library DIR the issue
(EPUB and KEPUB, and the --to format) becomes a book of the library `quire serve` shows: its
/latest.epub and /latest.kepub.epub then serve it.

Exit status: 0 a book was made, or nothing was new (no book); 1 a feed or article was left out
(the book is made of the rest); 2 bad usage.

Examples:
  quire feed https://example.org/feed.xml -o papers/
  quire feed ~/feeds.opml -o ~/papers --to epub --profile kindle --keep 7 --send me@kindle.com
  quire feed ~/feeds.opml --library ~/reading";

// `quire feed`'s arguments (not a doc comment: see `Command`).
#[derive(Debug, Args)]
pub struct FeedArgs {
    /// Feed URLs or files, OPML files, list files.
    #[arg(value_name = "SOURCE", required = true)]
    pub sources: Vec<String>,

    /// A folder (the book is named after its title and day) or the book's file.
    #[arg(
        long,
        short = 'o',
        value_name = "DIR|FILE",
        required_unless_present = "library"
    )]
    pub output: Option<PathBuf>,

    /// Add the issue to this library of `quire serve` (as well as to -o, when given).
    #[arg(long, value_name = "DIR")]
    pub library: Option<PathBuf>,

    /// The format: epub (the default), kepub (for Kobo readers), pdf or html.
    #[arg(long = "to", short = 't', value_name = "FORMAT", value_parser = parse_output_format)]
    pub to: Option<OutputFormat>,

    /// The name before the date in the book's title (default: the feed's title, or "News"
    /// for several feeds): --title 'Morning paper' makes "Morning paper — 2026-12-03".
    #[arg(long, value_name = "T")]
    pub title: Option<String>,

    /// Only items published since: an age (12h, 1d, 2w) or a day (2026-12-01). Items without
    /// a date are taken.
    #[arg(long, value_name = "AGE|DAY", value_parser = parse_since)]
    pub since: Option<Since>,

    /// At most N items (the newest) from each feed.
    #[arg(long, value_name = "N")]
    pub max_per_feed: Option<usize>,

    /// Keep only the newest N books quire made in the output folder (removes older ones).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub keep: Option<u64>,

    /// Send the cookies in FILE (Netscape cookies.txt) with the requests they match.
    #[arg(long, value_name = "FILE", value_parser = read_cookies)]
    pub cookies: Option<std::sync::Arc<quire::net::CookieJar>>,

    /// Send this header with every feed's and article's request ('Name: value'; repeat for
    /// several).
    #[arg(long = "header", value_name = "'NAME: VALUE'", value_parser = quire::net::parse_header)]
    pub headers: Vec<(String, String)>,

    /// Do not print progress and warnings (errors are still printed).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Give up on one request after SECONDS (default 30). For tests.
    #[arg(long, value_name = "SECONDS", hide = true)]
    pub timeout: Option<f64>,

    /// Attempts after a failure that may pass (default 3). For tests.
    #[arg(long, value_name = "N", hide = true)]
    pub retries: Option<u32>,

    #[command(flatten)]
    pub mail: SendAfterArgs,

    #[command(flatten)]
    pub epub: EpubArgs,

    #[command(flatten)]
    pub pdf: PdfArgs,
}

/// `--since`: an age before now, or a day (from its start, UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// This many seconds before now.
    Ago(u64),
    /// From this day on.
    Day(chrono::NaiveDate),
}

fn parse_since(text: &str) -> Result<Since, String> {
    let text = text.trim();
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(Since::Day(day));
    }
    let unit_at = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(unit_at);
    let seconds = match unit.trim() {
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 24 * 3600,
        "w" => 7 * 24 * 3600,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(n) if seconds > 0 => Ok(Since::Ago(n.saturating_mul(seconds))),
        _ => Err(format!(
            "'{text}' is neither an age (30m, 12h, 1d, 2w) nor a day (2026-12-01)"
        )),
    }
}

// How EPUBs are made (not a doc comment: see `Command`).
#[derive(Debug, Args)]
#[command(next_help_heading = "EPUB")]
pub struct EpubArgs {
    /// The cover: an image FILE, or 'lead' for the article's lead image, else its first
    /// picture (default: one generated from the title, site, author and date).
    #[arg(long, value_name = "FILE|lead", conflicts_with = "no_cover", value_parser = parse_cover)]
    pub cover: Option<String>,

    /// No cover.
    #[arg(long)]
    pub no_cover: bool,

    /// The e-reader images are fitted to: kindle, kobo, generic, tablet (default: generic;
    /// kobo for a KEPUB). kindle also makes the book Kindle-safe: see 'quire check --help'.
    #[arg(long, value_name = "DEVICE", value_parser = parse_profile)]
    pub profile: Option<Profile>,

    /// Turn images and the cover to grayscale, for e-ink screens.
    #[arg(long)]
    pub grayscale: bool,

    /// How many levels of headings the table of contents lists (0: only the articles; at
    /// most 6).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = parse_toc_depth)]
    pub toc_depth: u8,

    /// A CSS file added to the book's stylesheet.
    #[arg(long = "css", value_name = "FILE", value_parser = read_css)]
    pub css: Option<String>,

    /// Download remote images into the book, PDF or HTML page (always done for URL inputs).
    #[arg(long)]
    pub fetch_images: bool,

    /// Fetch images (and redirects) from private, loopback and link-local addresses too.
    #[arg(long)]
    pub allow_private: bool,
}

impl EpubArgs {
    /// The EPUB writer's options.
    pub fn options(&self) -> EpubOptions {
        EpubOptions {
            cover: if self.no_cover {
                CoverChoice::None
            } else {
                self.cover
                    .as_deref()
                    .map_or(CoverChoice::Generated, CoverChoice::from_arg)
            },
            profile: self.profile.unwrap_or_default(),
            grayscale: self.grayscale,
            toc_depth: self.toc_depth,
            css: self.css.clone(),
        }
    }

    /// Limits for downloading remote images (every output format that embeds images).
    pub fn remote_images(&self) -> quire::net::ImageFetchOptions {
        quire::net::ImageFetchOptions {
            allow_private: self.allow_private,
            ..quire::net::ImageFetchOptions::default()
        }
    }

    /// Limits for fetching URL inputs; `--allow-private` lets their redirects reach private
    /// addresses too.
    pub fn fetch_options(&self) -> quire::net::FetchOptions {
        quire::net::FetchOptions {
            private: if self.allow_private {
                quire::net::PrivateAddresses::Allowed
            } else {
                quire::net::PrivateAddresses::IfTyped
            },
            ..quire::net::FetchOptions::default()
        }
    }
}

impl PdfArgs {
    pub fn options(&self) -> PdfOptions {
        PdfOptions {
            page_size: self.page_size,
            font_size: self.font_size,
            margins: self.margins,
            ragged: self.ragged,
            fonts: self.fonts.clone(),
            no_system_fonts: self.no_system_fonts,
            font_dirs: self.font_dirs.clone(),
        }
    }
}

fn parse_profile(text: &str) -> Result<Profile, String> {
    text.parse().map_err(|e: quire::Error| e.to_string())
}

/// A `--lang` value in canonical form (`pt_br` → `pt-BR`); anything that is not a BCP 47 tag
/// naming a real language is a usage error rather than a tag the outputs would drop or
/// replace.
fn parse_language(text: &str) -> Result<String, String> {
    quire::locale::bcp47::normalize(text).ok_or_else(|| {
        format!(
            "'{text}' is not a language tag (BCP 47 with a known language: en, ru, pt-BR, zh-Hant)"
        )
    })
}

/// A `--cover` value: a word (`lead`, `generated`, `none`…) or an image file, which must be
/// there when the arguments are parsed: a mistyped name would otherwise give a book with
/// the generated cover and only a warning.
fn parse_cover(text: &str) -> Result<String, String> {
    if let CoverChoice::File(path) = CoverChoice::from_arg(text) {
        existing_file(&path.to_string_lossy())?;
    }
    Ok(text.to_string())
}

/// A file the user named (a font, a cover image): it must be a readable file.
fn existing_file(text: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(text);
    match std::fs::metadata(&path) {
        Ok(meta) if meta.is_dir() => Err(format!("{text} is a folder, not a file")),
        Ok(_) => std::fs::File::open(&path)
            .map(|_| path)
            .map_err(|e| format!("cannot read {text}: {e}")),
        Err(e) => Err(format!("cannot read {text}: {e}")),
    }
}

/// A folder the user named (`--font-dir`): it must be one.
fn existing_folder(text: &str) -> Result<PathBuf, String> {
    match std::fs::metadata(text) {
        Ok(meta) if meta.is_dir() => Ok(PathBuf::from(text)),
        Ok(_) => Err(format!("{text} is a file, not a folder")),
        Err(e) => Err(format!("cannot read {text}: {e}")),
    }
}

/// Reads the user's stylesheet when the arguments are parsed, so a missing file is a usage
/// error that names it before anything is converted.
fn read_css(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

// `quire convert`'s arguments, unvalidated (not a doc comment: see `Command`).
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Files, folders (walked recursively) or http(s) URLs to convert; '-' reads standard input.
    #[arg(value_name = "INPUT", required_unless_present_any = ["urls", "jsonl"])]
    pub inputs: Vec<PathBuf>,

    #[arg(long = "to", short = 't', value_name = "FORMATS", value_delimiter = ',',
          help = format!("Output formats: {} (comma-separated; may repeat).", OutputFormat::names()),
          value_parser = parse_output_format)]
    pub to: Vec<OutputFormat>,

    /// Where to write: '-' for standard output, a directory, or a file.
    #[arg(long, short = 'o', value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,

    #[arg(long, short = 'f', value_name = "FORMAT", value_parser = parse_input_format,
          help = format!("Input format for every input: {}.", InputFormat::names()))]
    pub from: Option<InputFormat>,

    /// Set the document's title.
    #[arg(long, value_name = "T")]
    pub title: Option<String>,

    /// Set the document's author (repeat for several); replaces the authors the input names.
    #[arg(long = "author", value_name = "A")]
    pub authors: Vec<String>,

    /// Set the document's language (a BCP 47 tag such as en, ru, pt-BR).
    #[arg(long, value_name = "L", value_parser = parse_language)]
    pub lang: Option<String>,

    /// HTML: write the article body only, without <html>, <head> or styles.
    #[arg(long)]
    pub fragment: bool,

    /// Markdown: leave out the YAML front matter holding the metadata.
    #[arg(long)]
    pub no_front_matter: bool,

    /// HTML input: convert the whole page instead of extracting the article.
    #[arg(long, conflicts_with = "extract")]
    pub whole_page: bool,

    /// HTML input: extract the article (on, the default) or convert the whole page (off).
    #[arg(long, value_name = "on|off", value_parser = ["on", "off"])]
    pub extract: Option<String>,

    /// HTML input: say on standard error which part of the page was taken for the article,
    /// and why (for reporting a bad extraction).
    #[arg(long)]
    pub explain: bool,

    /// Write the body alone in every format: no HTML page around it, no Markdown front
    /// matter, no title and byline lines in text.
    #[arg(long)]
    pub body_only: bool,

    /// Leave out images and figures (with their captions): the article's words alone.
    #[arg(long)]
    pub no_images: bool,

    /// Text: wrap paragraphs at N columns, 10 to 1000 (0, the default, keeps one line per
    /// paragraph).
    #[arg(long, value_name = "N", value_parser = parse_width)]
    pub width: Option<usize>,

    /// Also convert the URLs listed in FILE (one a line; blank lines and '#' comments skipped).
    #[arg(long, value_name = "FILE")]
    pub urls: Option<PathBuf>,

    /// URL inputs: send the cookies in FILE (the Netscape cookies.txt format browsers'
    /// exporters write) with every request they match, the page's images included.
    #[arg(long, value_name = "FILE", value_parser = read_cookies)]
    pub cookies: Option<std::sync::Arc<quire::net::CookieJar>>,

    /// URL inputs: send this header with the page's requests ('Name: value'; repeat for
    /// several). Not sent to another host a redirect leads to, nor with images.
    #[arg(long = "header", value_name = "'NAME: VALUE'", value_parser = quire::net::parse_header)]
    pub headers: Vec<(String, String)>,

    /// Standard input: the page's address, which its relative links and images resolve
    /// against and which becomes the document's source
    /// (chromium --headless --dump-dom URL | quire convert - --url URL).
    #[arg(long, value_name = "URL", value_parser = parse_web_url)]
    pub url: Option<String>,

    /// HTML from a URL (or from standard input with --url): follow "next page" links on the
    /// same site and join the pages' articles, N pages at most (1 to 100; the first counts).
    #[arg(long, value_name = "N", value_parser = parse_follow_pages)]
    pub follow_pages: Option<u8>,

    /// Pipeline mode: read JSON lines from standard input, write one JSON line per input to
    /// standard output (see 'Pipeline mode' below).
    #[arg(long, conflicts_with_all = ["inputs", "urls", "output", "report", "force", "send"])]
    pub jsonl: bool,

    /// Convert N files at a time (default: one per core; at most 4 per core, and 256).
    #[arg(long, short = 'j', value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<usize>,

    /// Refuse a file or standard input larger than SIZE (bytes, or with a unit: 512K,
    /// 64M, 2G).
    #[arg(long, value_name = "SIZE", default_value = "1G", value_parser = parse_size)]
    pub max_input_size: u64,

    /// Reconvert every input, even when up to date, and replace outputs edited since quire
    /// wrote them.
    #[arg(long)]
    pub force: bool,

    /// Folders: also convert hidden files and enter hidden folders.
    #[arg(long)]
    pub hidden: bool,

    /// Folders: also convert files that .gitignore / .ignore files exclude.
    #[arg(long)]
    pub no_ignore: bool,

    /// Flush every output to disk before renaming it into place (survives a power cut, at the
    /// cost of a disk flush per file, which takes longer than most conversions).
    #[arg(long)]
    pub fsync: bool,

    /// Write each input's outcome (converted, up to date, skipped, failed) to FILE as JSON
    /// ('-': standard output).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Name every file as it is converted or skipped.
    #[arg(long, short = 'v', conflicts_with = "quiet")]
    pub verbose: bool,

    /// No progress bar, summary or warnings (errors are still printed).
    #[arg(long, short = 'q')]
    pub quiet: bool,

    #[command(flatten)]
    pub mail: SendAfterArgs,

    #[command(flatten)]
    pub epub: EpubArgs,

    #[command(flatten)]
    pub pdf: PdfArgs,
}

// How PDFs are laid out (not a doc comment: see `Command`).
#[derive(Debug, Args)]
#[command(next_help_heading = "PDF")]
pub struct PdfArgs {
    /// Page size: a4, letter, a5, ereader (a 6-7" screen: small page, larger type) or
    /// WIDTHxHEIGHT with a unit (148x210mm, 6x8in).
    #[arg(long, value_name = "SIZE", default_value = "a4", value_parser = parse_page_size)]
    pub page_size: PageSize,

    /// Body type size in points, 4 to 72 (default: the page size's own).
    #[arg(long, value_name = "PT", value_parser = parse_font_size)]
    pub font_size: Option<f32>,

    /// Page margins, 1 to 4 lengths as in CSS (20mm, "15mm 20mm", 0.75in; mm without a unit).
    #[arg(long, value_name = "LENGTHS", value_parser = parse_margins)]
    pub margins: Option<Margins>,

    /// Ragged-right lines instead of justified ones.
    #[arg(long)]
    pub ragged: bool,

    /// A font file for characters the bundled fonts lack (CJK, Arabic, Hebrew…); repeat
    /// for a fallback list, tried in order.
    #[arg(long = "font", value_name = "FILE", value_parser = existing_file)]
    pub fonts: Vec<PathBuf>,

    /// Do not look in the system's font folders for scripts the bundled fonts lack (fonts
    /// given with --font and --font-dir are still used).
    #[arg(long)]
    pub no_system_fonts: bool,

    /// A folder to look in for fonts for scripts the bundled fonts lack, after the
    /// system's; repeat for several.
    #[arg(long = "font-dir", value_name = "DIR", value_parser = existing_folder)]
    pub font_dirs: Vec<PathBuf>,
}

/// The body type sizes the PDF layout can set: smaller is unreadable, larger leaves a few
/// words a line.
pub const FONT_SIZES: std::ops::RangeInclusive<f32> = 4.0..=72.0;

fn parse_font_size(text: &str) -> Result<f32, String> {
    match text.trim().trim_end_matches("pt").parse::<f32>() {
        Ok(size) if FONT_SIZES.contains(&size) => Ok(size),
        _ => Err(format!(
            "must be a size in points from {} to {}",
            FONT_SIZES.start(),
            FONT_SIZES.end()
        )),
    }
}

/// Headings go down to level 6.
fn parse_toc_depth(text: &str) -> Result<u8, String> {
    match text.trim().parse::<u8>() {
        Ok(depth) if depth <= 6 => Ok(depth),
        _ => Err("must be a heading depth from 0 to 6".into()),
    }
}

/// Reads the cookies file when the arguments are parsed: a bad line is a usage error that
/// names the file and the line before anything is fetched.
fn read_cookies(path: &str) -> Result<std::sync::Arc<quire::net::CookieJar>, String> {
    quire::net::CookieJar::load(std::path::Path::new(path)).map(std::sync::Arc::new)
}

/// An absolute http(s) address.
fn parse_web_url(text: &str) -> Result<String, String> {
    match url::Url::parse(text.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(url.into()),
        _ => Err(format!("'{text}' is not an absolute http or https URL")),
    }
}

/// The most pages one article is followed over: far beyond any article split into pages,
/// short of crawling a site.
pub const MAX_FOLLOW_PAGES: u8 = 100;

/// A `u8` (the arguments' enum is kept small): the limit fits.
fn parse_follow_pages(text: &str) -> Result<u8, String> {
    match text.trim().parse::<u8>() {
        Ok(n) if (1..=MAX_FOLLOW_PAGES).contains(&n) => Ok(n),
        _ => Err(format!(
            "must be a number of pages from 1 to {MAX_FOLLOW_PAGES}"
        )),
    }
}

fn parse_width(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(width) if width == 0 || (10..=1000).contains(&width) => Ok(width),
        _ => Err("must be 0 (no wrapping) or from 10 to 1000 columns".into()),
    }
}

/// At least one; the upper bound (a few per core) is applied with a warning by
/// `config::thread_count`, which knows the number of cores.
fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(jobs) if jobs >= 1 => Ok(jobs),
        _ => Err("must be a number of files at a time, at least 1".into()),
    }
}

/// A number of bytes: `1048576`, `512K`, `64M`, `2G`, `1T` (binary units: 1K = 1024 bytes;
/// `KiB`, `MB`, `GiB` and the like are read the same).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let bad = || {
        format!("'{text}' is not a size: give bytes or a number with K, M, G or T (e.g. 512M, 2G)")
    };
    let trimmed = text.trim();
    let split = trimmed
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(trimmed.len());
    let (number, unit) = trimmed.split_at(split);
    let shift = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        "t" | "tb" | "tib" => 40,
        _ => return Err(bad()),
    };
    let number: f64 = number.trim().parse().map_err(|_| bad())?;
    let bytes = number * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
        return Err(bad());
    }
    Ok(bytes as u64)
}

/// `1 GiB`, `512 MiB`, `1000 bytes`: a size as [`parse_size`] reads it back.
pub fn format_size(bytes: u64) -> String {
    for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

fn parse_page_size(text: &str) -> Result<PageSize, String> {
    text.parse().map_err(|e: quire::Error| e.to_string())
}

fn parse_margins(text: &str) -> Result<Margins, String> {
    text.parse().map_err(|e: quire::Error| e.to_string())
}

fn parse_output_format(name: &str) -> Result<OutputFormat, String> {
    OutputFormat::from_name(name.trim()).map_err(|e| e.to_string())
}

fn parse_input_format(name: &str) -> Result<InputFormat, String> {
    InputFormat::from_name(name.trim()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn to_takes_comma_lists_and_repeats() {
        let cli = Cli::try_parse_from([
            "quire", "convert", "a.md", "--to", "md,html", "--to", "json",
        ])
        .expect("valid arguments");
        let Command::Convert(args) = cli.command else {
            panic!("not a convert command");
        };
        assert_eq!(
            args.to,
            [
                OutputFormat::Markdown,
                OutputFormat::Html,
                OutputFormat::Json
            ]
        );
    }

    #[test]
    fn unknown_format_is_a_parse_error() {
        let err = Cli::try_parse_from(["quire", "convert", "a.md", "--to", "docx"])
            .expect_err("docx is not a format");
        assert!(err.to_string().contains("docx"), "{err}");
    }
}
