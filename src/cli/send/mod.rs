//! Mailing books: `quire send FILE…`, and `--send ADDRESS` after `convert` and `bundle`. The
//! settings come from the user's config file ([`config`]); each file is looked at ([`book`]:
//! title, type, size); [`plan`] puts them into messages within Kindle's limits; each message
//! (a short plain-text body, the books attached) goes through the user's SMTP server.
//!
//! A message the server refuses, or that cannot be sent, is reported with the server's answer
//! and the others are still sent; the caller turns any failure into exit status 1.

mod book;
mod config;
mod plan;

use book::Book;
use config::MailConfig;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};
use plan::Limits;
use std::error::Error as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use super::args::{SendAfterArgs, SendArgs};
use super::terminal::{say, show};

/// A send's settings, checked before any book is written or read: the server, the sender,
/// the recipient and the limits of a message.
#[derive(Debug)]
pub struct Mailer {
    config: MailConfig,
    to: Mailbox,
    limits: Limits,
}

/// How a list of books is sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct SendOptions {
    /// As many books a message as the limits allow.
    pub batch: bool,
    /// Print what would be sent; send nothing.
    pub dry_run: bool,
    /// Print only errors.
    pub quiet: bool,
}

impl Mailer {
    /// The mailer that `--send ADDRESS` asks for (`None` without it), its settings read and
    /// checked before anything is converted; a mistake is a usage error, printed here, and
    /// the exit status to return.
    pub fn for_send_option(args: &SendAfterArgs) -> Result<Option<Mailer>, ExitCode> {
        let Some(to) = &args.send else {
            return Ok(None);
        };
        Mailer::new(Some(to.as_str()), args.limit.max_message_size)
            .map(Some)
            .map_err(|e| {
                say(&format!("quire: --send: {e:#}"));
                ExitCode::from(2)
            })
    }

    /// Reads the mail settings and names the recipient: `to` (from `--to` or `--send`), else
    /// the config file's `to`.
    pub fn new(to: Option<&str>, max_message_size: Option<u64>) -> anyhow::Result<Mailer> {
        let config = config::load()?;
        let to = match to {
            Some(text) => text
                .trim()
                .parse::<Mailbox>()
                .map_err(|e| anyhow::anyhow!("'{text}' is not an email address ({e})"))?,
            None => config.to.clone().ok_or_else(|| {
                anyhow::anyhow!(
                    "no recipient: give --to ADDRESS, or set [mail] to in {}",
                    config.file.display()
                )
            })?,
        };
        let limits = Limits {
            max_bytes: max_message_size.unwrap_or(plan::KINDLE.max_bytes),
            ..plan::KINDLE
        };
        Ok(Mailer { config, to, limits })
    }

    /// Sends `files`; prints what happened to each. False when any file could not be sent.
    pub fn send(&self, files: &[PathBuf], options: SendOptions) -> bool {
        let mut all_sent = true;
        let mut books = Vec::new();
        for path in files {
            match Book::inspect(path) {
                Ok(book) => books.push(book),
                Err(e) => {
                    say(&format!("quire: {e:#}: not sent"));
                    all_sent = false;
                }
            }
        }
        let sizes: Vec<u64> = books.iter().map(|book| book.size).collect();
        let plan = plan::plan(&sizes, options.batch, self.limits);
        for &index in &plan.too_large {
            let book = &books[index];
            say(&format!(
                "quire: {}: not sent: {} is more than a message may carry ({}); \
                 make it smaller (fewer articles a bundle, or several volumes) and send those",
                book.path.display(),
                human_size(book.size),
                human_size(self.limits.max_bytes)
            ));
            all_sent = false;
        }
        let messages: Vec<Vec<&Book>> = plan
            .messages
            .iter()
            .map(|message| message.iter().map(|&i| &books[i]).collect())
            .collect();
        if options.dry_run {
            for line in self.dry_run_text(&messages).lines() {
                show(line);
            }
            return all_sent;
        }
        if messages.is_empty() {
            return all_sent;
        }
        let transport = match self.transport() {
            Ok(transport) => transport,
            Err(e) => {
                say(&format!("quire: {e:#}: nothing sent"));
                return false;
            }
        };
        for message in &messages {
            let files = names(message);
            match self.send_one(&transport, message) {
                Ok(()) => {
                    if !options.quiet {
                        say(&format!(
                            "quire: sent \"{}\" to {} ({files})",
                            subject(message),
                            self.to
                        ));
                    }
                }
                Err(e) => {
                    say(&format!("quire: {files}: not sent to {}: {e}", self.to));
                    all_sent = false;
                }
            }
        }
        all_sent
    }

    /// The connection, with the password read now.
    fn transport(&self) -> anyhow::Result<SmtpTransport> {
        let config = &self.config;
        let tls = || TlsParameters::new(config.host.clone());
        let tls = match config.security {
            config::Security::Starttls => Tls::Required(tls()?),
            config::Security::Tls => Tls::Wrapper(tls()?),
            config::Security::None => Tls::None,
        };
        let mut builder = SmtpTransport::builder_dangerous(config.host.as_str())
            .port(config.port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(120)));
        if let Some((user, source)) = &config.login {
            if let config::PasswordSource::File(path) = source {
                warn_if_others_can_read(path);
            }
            builder = builder.credentials(Credentials::new(user.clone(), config.password(source)?));
        }
        Ok(builder.build())
    }

    /// Builds and sends one message; the error says what the server answered.
    fn send_one(&self, transport: &SmtpTransport, books: &[&Book]) -> Result<(), String> {
        let mut parts = MultiPart::mixed().singlepart(SinglePart::plain(body(books)));
        for book in books {
            let bytes = std::fs::read(&book.path)
                .map_err(|e| format!("cannot read {}: {e}", book.path.display()))?;
            let content_type = ContentType::parse(book.content_type)
                .map_err(|e| format!("bad content type {}: {e}", book.content_type))?;
            parts =
                parts.singlepart(Attachment::new(book.file_name.clone()).body(bytes, content_type));
        }
        let message = Message::builder()
            .from(self.config.from.clone())
            .to(self.to.clone())
            .subject(subject(books))
            .message_id(None)
            .user_agent(format!("quire {}", env!("CARGO_PKG_VERSION")))
            .multipart(parts)
            .map_err(|e| format!("cannot build the message: {e}"))?;
        transport
            .send(&message)
            .map(|_| ())
            .map_err(|e| self.describe(&e))
    }

    /// The server's answer (code and text) when it gave one, else what went wrong on the way.
    fn describe(&self, error: &lettre::transport::smtp::Error) -> String {
        let server = format!("{}:{}", self.config.host, self.config.port);
        match error.status() {
            Some(code) => {
                let text = error.source().map(|s| s.to_string()).unwrap_or_default();
                let verdict = if error.is_permanent() {
                    "refused by"
                } else {
                    "turned away for now by"
                };
                format!("{verdict} {server}: {code} {text}")
            }
            None => {
                let mut text = error.to_string();
                // A port that speaks the other kind of TLS fails in ways that name neither.
                if error.is_tls() || error.is_client() || tls_failed(error) {
                    match self.config.security {
                        config::Security::Tls => text.push_str(
                            " (does the server speak TLS from the first byte on this port? \
                             port 587 usually wants security = \"starttls\")",
                        ),
                        config::Security::Starttls => {
                            text.push_str(" (port 465 usually wants security = \"tls\")")
                        }
                        config::Security::None => {}
                    }
                }
                format!(
                    "cannot send through {server} ({}): {text}",
                    self.config.security.label()
                )
            }
        }
    }

    fn dry_run_text(&self, messages: &[Vec<&Book>]) -> String {
        let config = &self.config;
        let mut text = format!(
            "Dry run: nothing is sent.\nserver: {}:{} ({})\n",
            config.host,
            config.port,
            config.security.label()
        );
        match &config.login {
            Some((user, config::PasswordSource::Env(var))) => {
                text.push_str(&format!("login:  {user} (password from ${var})\n"))
            }
            Some((user, config::PasswordSource::File(path))) => text.push_str(&format!(
                "login:  {user} (password from {})\n",
                path.display()
            )),
            None => text.push_str("login:  none\n"),
        }
        text.push_str(&format!("from:   {}\nto:     {}\n", config.from, self.to));
        if messages.is_empty() {
            text.push_str("no message to send\n");
        }
        for (number, books) in messages.iter().enumerate() {
            let bytes: u64 = books.iter().map(|book| book.size).sum();
            text.push_str(&format!(
                "message {} of {}: \"{}\" ({} attachment{}, {})\n",
                number + 1,
                messages.len(),
                subject(books),
                books.len(),
                if books.len() == 1 { "" } else { "s" },
                human_size(bytes)
            ));
            for book in books {
                text.push_str(&format!(
                    "  {}  {}  {}\n",
                    book.file_name,
                    human_size(book.size),
                    book.content_type
                ));
            }
        }
        text
    }
}

/// A password file other users can read is a password shared with them: say so (and send;
/// refusing would not make the file private).
fn warn_if_others_can_read(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(metadata) = std::fs::metadata(path) {
            if metadata.permissions().mode() & 0o077 != 0 {
                say(&format!(
                    "quire: warning: {}: other users can read this password file \
                     (chmod 600 it)",
                    path.display()
                ));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Whether the connection broke in the TLS layer: rustls reports a handshake with a server
/// that speaks something else as invalid data.
fn tls_failed(error: &lettre::transport::smtp::Error) -> bool {
    let mut source = error.source();
    while let Some(e) = source {
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::InvalidData;
        }
        source = e.source();
    }
    false
}

/// `quire send`.
pub fn run(args: SendArgs) -> ExitCode {
    let mailer = match Mailer::new(args.to.as_deref(), args.limit.max_message_size) {
        Ok(mailer) => mailer,
        Err(e) => {
            say(&format!("quire: {e:#}"));
            return ExitCode::from(2);
        }
    };
    let options = SendOptions {
        batch: args.batch,
        dry_run: args.dry_run,
        quiet: args.quiet,
    };
    match mailer.send(&args.files, options) {
        true => ExitCode::SUCCESS,
        false => ExitCode::FAILURE,
    }
}

/// Whether a written output is an e-book `--send` mails (EPUB, KEPUB, PDF).
pub fn is_ebook(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name.ends_with(".epub") || name.ends_with(".pdf")
}

/// `--send` after a command wrote `written`: mails its e-books, one a message. False when any
/// could not be sent.
pub fn send_written(mailer: &Mailer, written: &[PathBuf], quiet: bool) -> bool {
    let books: Vec<PathBuf> = written.iter().filter(|p| is_ebook(p)).cloned().collect();
    if books.is_empty() {
        if !quiet {
            say(
                "quire: --send: no e-book (EPUB, PDF) was written, so nothing was sent \
                 (an output already up to date is not sent again; --force rewrites it)",
            );
        }
        return true;
    }
    mailer.send(
        &books,
        SendOptions {
            quiet,
            ..SendOptions::default()
        },
    )
}

/// The subject: the book's title; for several, as many titles as read well in a subject line.
fn subject(books: &[&Book]) -> String {
    match books {
        [] => String::new(),
        [one] => one.title.clone(),
        [first, rest @ ..] => {
            let all = books
                .iter()
                .map(|book| book.title.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            if all.chars().count() <= 120 {
                all
            } else {
                format!("{} and {} more", first.title, rest.len())
            }
        }
    }
}

/// The plain-text body: never empty (Kindle refuses mail without one).
fn body(books: &[&Book]) -> String {
    let mut text = match books {
        [one] => format!(
            "{}\n\nAttached: {} ({}).\n",
            one.title,
            one.file_name,
            human_size(one.size)
        ),
        _ => {
            let mut text = format!("{} books attached:\n\n", books.len());
            for book in books {
                text.push_str(&format!(
                    "- {} ({}, {})\n",
                    book.title,
                    book.file_name,
                    human_size(book.size)
                ));
            }
            text
        }
    };
    text.push_str("\nSent by quire.\n");
    text
}

fn names(books: &[&Book]) -> String {
    books
        .iter()
        .map(|book| book.path.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `950 bytes`, `12.3 kB`, `48.0 MB`: decimal units, as the 50 MB limit is.
fn human_size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} bytes"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.1} GB", bytes as f64 / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(title: &str, size: u64) -> Book {
        Book {
            path: PathBuf::from(format!("{title}.epub")),
            file_name: format!("{title}.epub"),
            size,
            content_type: "application/epub+zip",
            title: title.to_string(),
        }
    }

    #[test]
    fn subjects_name_the_books() {
        let (a, b) = (book("Tides", 10), book("Harbours", 20));
        assert_eq!(subject(&[&a]), "Tides");
        assert_eq!(subject(&[&a, &b]), "Tides; Harbours");
        let long = book(&"x".repeat(130), 1);
        assert_eq!(
            subject(&[&long, &a, &b]),
            format!("{} and 2 more", "x".repeat(130))
        );
    }

    #[test]
    fn bodies_are_never_empty_and_list_the_books() {
        let (a, b) = (book("Tides", 1500), book("Harbours", 20));
        let one = body(&[&a]);
        assert!(
            one.contains("Tides") && one.contains("Tides.epub") && one.contains("1.5 kB"),
            "{one}"
        );
        let two = body(&[&a, &b]);
        assert!(two.starts_with("2 books attached"), "{two}");
        assert!(
            two.contains("- Harbours (Harbours.epub, 20 bytes)"),
            "{two}"
        );
    }

    #[test]
    fn sizes_read_in_decimal_units() {
        assert_eq!(human_size(999), "999 bytes");
        assert_eq!(human_size(12_345), "12.3 kB");
        assert_eq!(human_size(50_000_000), "50.0 MB");
    }

    #[test]
    fn only_ebooks_are_sent_after_a_conversion() {
        assert!(is_ebook(Path::new("out/a.epub")));
        assert!(is_ebook(Path::new("out/a.kepub.epub")));
        assert!(is_ebook(Path::new("A.PDF")));
        assert!(!is_ebook(Path::new("a.html")));
        assert!(!is_ebook(Path::new("a.md")));
    }
}
