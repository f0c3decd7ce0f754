//! Reading one input: its bytes from a file, standard input or a URL (`--max-input-size`
//! enforced while reading), its format, and the document `quire::read` makes of it.

use super::job::Source;
use super::report::JobReport;
use super::settings::Settings;
use super::terminal::{io_error, say};
use anyhow::anyhow;
use quire::{InputFormat, ReadOptions};
use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// Prints how the input was decoded and what article extraction decides about an HTML input
/// (`--explain`), on standard error so that it never mixes with output on standard output.
/// `declared` is the transport's charset, as the reader gets it.
fn explain_reading(label: &str, bytes: &[u8], format: InputFormat, declared: Option<&str>) {
    let html = format == InputFormat::Html;
    let decoded = match quire::read::decode::decode(bytes, html, declared) {
        Ok(decoded) => decoded,
        Err(e) => return say(&format!("{label}: {e}")),
    };
    say(&format!("{label}: encoding: {}", decoded.encoding));
    if !html {
        say(&format!("{label}: not HTML, no article extraction"));
        return;
    }
    say(&format!("{label}: article extraction"));
    for line in quire::read::html::explain(&decoded.text).lines() {
        say(&format!("  {line}"));
    }
}

/// One input, read.
pub struct Input {
    pub document: quire::Document,
    /// Whether it came from a private address (a URL the user typed that names one): its
    /// images may then be fetched from private addresses too.
    pub private: bool,
    /// [`input_digest`](super::manifest::input_digest) of a file input's bytes as read, when
    /// asked for (see
    /// [`manifest::Plan::made`](super::manifest::Plan::made)).
    pub digest: Option<String>,
}

/// Reads one input into a document: fetch or read the bytes, pick the format, `quire::read`,
/// then the metadata overrides and `--no-images`. What goes wrong is put in `report`. With
/// `digest`, a file's bytes are hashed on the way.
pub fn read_input(
    source: &Source,
    from: Option<InputFormat>,
    settings: &Settings,
    digest: bool,
    report: &mut JobReport,
) -> Option<Input> {
    let label = source.label();
    let mut read_options = settings.read.clone();
    let mut private = false;
    let (bytes, declared_format) =
        match read_source(source, settings, &mut read_options, &mut private) {
            Ok(read) => read,
            Err(e) => {
                report.error(label, e);
                return None;
            }
        };
    let digest = (digest && matches!(source, Source::File(_)))
        .then(|| super::manifest::input_digest(&bytes));
    let format = from.unwrap_or_else(|| match source {
        Source::File(path) => {
            InputFormat::from_path(path).unwrap_or_else(|| InputFormat::sniff(&bytes))
        }
        Source::Url(url) => url::Url::parse(url)
            .ok()
            .and_then(|u| InputFormat::from_path(Path::new(u.path())))
            .or(declared_format)
            .unwrap_or_else(|| InputFormat::sniff(&bytes)),
        Source::Stdin => InputFormat::sniff(&bytes),
    });
    if settings.explain {
        explain_reading(&label, &bytes, format, read_options.charset.as_deref());
    }
    // An article over several pages (`--follow-pages`) is read page by page from its web
    // address. The later pages of a fetched page may reach a private address only when the
    // first did; a page on standard input has its address from the user (`--url`), as typed.
    let follow = settings.follow_pages > 1
        && format == InputFormat::Html
        && read_options.source_url.is_some()
        && !matches!(source, Source::File(_));
    let read = if follow {
        let mut fetch = settings.fetch.clone();
        if matches!(source, Source::Url(_))
            && !private
            && fetch.private != quire::net::PrivateAddresses::Allowed
        {
            fetch.private = quire::net::PrivateAddresses::Refused;
        }
        quire::read::pages::read_pages(bytes, &read_options, &fetch, settings.follow_pages)
    } else {
        // The bytes are given away: UTF-8 input becomes the text without a copy, and the
        // reader frees it as soon as it can, which lowers the peak on large inputs.
        quire::read_owned(bytes, format, &read_options)
    };
    let reading = match read {
        Ok(reading) => reading,
        Err(e) => {
            report.error(
                label,
                anyhow!(e).context(format!("cannot read it as {format}")),
            );
            return None;
        }
    };
    report.warnings(&label, reading.warnings);
    let mut document = reading.document;
    settings.overrides.apply(&mut document.meta);
    if settings.no_images {
        document.remove_images();
    }
    Some(Input {
        document,
        private,
        digest,
    })
}

/// The folder an input's relative images are looked up in (and only there).
pub fn folder_of(path: &Path) -> std::path::PathBuf {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    }
}

/// The input's bytes, and for a URL the format its media type names. A fetched page's final
/// URL (after redirects) and declared charset go into `read_options`, and whether it came from
/// a private address into `private`.
fn read_source(
    source: &Source,
    settings: &Settings,
    read_options: &mut ReadOptions,
    private: &mut bool,
) -> anyhow::Result<(Vec<u8>, Option<InputFormat>)> {
    match source {
        Source::File(path) => {
            read_options.source_url = Some(recorded_path(path)).filter(|p| !p.is_empty());
            let file = fs::File::open(path).map_err(io_error)?;
            // A regular file's size says at once whether it is too large (and how much to
            // allocate); a device or a pipe is only found out by reading.
            let size = file
                .metadata()
                .ok()
                .filter(|m| m.is_file())
                .map(|m| m.len());
            let bytes = read_capped(file, size.unwrap_or(0), settings.max_input_size)?;
            Ok((bytes, None))
        }
        Source::Stdin => {
            // `--url`: where the page came from (a browser's dump of it), for its links.
            read_options.source_url.clone_from(&settings.stdin_url);
            let bytes = read_capped(io::stdin().lock(), 0, settings.max_input_size)?;
            Ok((bytes, None))
        }
        Source::Url(url) => {
            let fetched = quire::net::fetch_page(url, &settings.fetch).map_err(|e| match e {
                // The label already names the URL.
                quire::Error::Fetch { message, .. } => anyhow!("cannot fetch it: {message}"),
                other => anyhow!(other),
            })?;
            let format = fetched.input_format();
            read_options.source_url = Some(fetched.final_url);
            read_options.charset = fetched.charset;
            *private = fetched.private;
            Ok((fetched.bytes, format))
        }
    }
}

/// Reads `input` to its end, or fails as soon as it passes `limit` bytes (`/dev/zero` would
/// otherwise fill memory). `size` is what a regular file holds; 0 when unknown.
fn read_capped(mut input: impl Read, size: u64, limit: Option<u64>) -> anyhow::Result<Vec<u8>> {
    let limit = limit.unwrap_or(u64::MAX);
    if size > limit {
        return Err(too_large(limit));
    }
    if size == 0 {
        return read_rest_capped(input, Vec::new(), limit);
    }
    // The size is known: one allocation, a byte over so that the end is found without
    // growing it, read straight into (in one call for a regular file, where `read_to_end`
    // through a capped reader would read it in growing pieces).
    let expected = usize::try_from(size.saturating_add(1)).map_err(|_| too_large(limit))?;
    let mut bytes = vec![0; expected];
    let mut filled = 0;
    while filled < expected {
        match input.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(e)),
        }
    }
    bytes.truncate(filled);
    if filled < expected {
        return Ok(bytes);
    }
    // The file grew while it was read (a log being written, say): the rest is read as a
    // stream's would be, so that a file that never stops growing is refused at the limit.
    if filled as u64 > limit {
        return Err(too_large(limit));
    }
    read_rest_capped(input, bytes, limit)
}

/// The error for an input over `limit` bytes.
fn too_large(limit: u64) -> anyhow::Error {
    anyhow!(
        "input is larger than --max-input-size ({})",
        super::args::format_size(limit)
    )
}

/// Reads the rest of `input` after `bytes` (what was read of it already), failing as soon as
/// the whole passes `limit` bytes. The buffer grows by doubling, but never past the limit, so
/// a stream that hits it has cost `limit` bytes of memory, not twice that.
fn read_rest_capped(
    mut input: impl Read,
    mut bytes: Vec<u8>,
    limit: u64,
) -> anyhow::Result<Vec<u8>> {
    let limit_bytes = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_error(e)),
        };
        let needed = bytes.len() + n;
        if needed > limit_bytes {
            return Err(too_large(limit));
        }
        if needed > bytes.capacity() {
            let grown = bytes
                .capacity()
                .saturating_mul(2)
                .clamp(needed, limit_bytes);
            bytes.reserve_exact(grown - bytes.len());
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
}

/// How a file input is named inside its outputs (the document's source: a canonical link,
/// front matter, the PDF's Source line, JSON): its path relative to the current folder
/// when it lies inside it, else its bare file name. An absolute path would tell every
/// reader of the output where the user keeps their files.
pub fn recorded_path(path: &Path) -> String {
    use std::path::Component;
    let relative = if path.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
    } else {
        Some(path.to_path_buf())
    };
    let inside = relative.filter(|r| {
        !r.as_os_str().is_empty()
            && r.components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    });
    match (inside, path.file_name()) {
        (Some(relative), _) => relative.display().to_string(),
        (None, Some(name)) => name.to_string_lossy().into_owned(),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_read_up_to_the_limit_and_no_further() {
        let limit = 200_000;
        let at_limit = read_capped(io::repeat(7).take(limit), 0, Some(limit)).unwrap();
        assert_eq!(at_limit.len() as u64, limit);
        // The buffer never outgrows the limit: hitting it costs `limit` bytes, not twice.
        assert!(
            at_limit.capacity() as u64 <= limit,
            "{}",
            at_limit.capacity()
        );
        let over = read_capped(io::repeat(7), 0, Some(limit)).unwrap_err();
        assert_eq!(
            over.to_string(),
            "input is larger than --max-input-size (200000 bytes)"
        );
        let known = read_capped(&b"twelve bytes"[..], 12, Some(12)).unwrap();
        assert_eq!(known, b"twelve bytes");
        assert!(read_capped(&b"twelve bytes"[..], 12, Some(11)).is_err());
        // A file that turns out shorter than its size said is read as it is.
        let shrunk = read_capped(&b"six b."[..], 12, Some(12)).unwrap();
        assert_eq!(shrunk, b"six b.");
    }

    /// A reader that counts the bytes taken from it, and fails once 10 MB are (so that a
    /// reader that does not stop at the limit fails the test instead of filling memory).
    struct Counted<R> {
        inner: R,
        taken: u64,
    }

    impl<R: Read> Read for Counted<R> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.taken > 10_000_000 {
                return Err(io::Error::other("read far past the limit"));
            }
            let n = self.inner.read(buf)?;
            self.taken += n as u64;
            Ok(n)
        }
    }

    #[test]
    fn a_file_growing_while_it_is_read_is_refused_at_the_limit_not_read_whole() {
        let limit = 200_000;
        // Its size said 1,000 bytes, and it never ends.
        let mut growing = Counted {
            inner: io::repeat(7),
            taken: 0,
        };
        let refused = read_capped(&mut growing, 1_000, Some(limit)).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "input is larger than --max-input-size (200000 bytes)"
        );
        // Reading stopped at the first chunk past the limit.
        assert!(growing.taken <= limit + 64 * 1024, "{}", growing.taken);
        // One that grew but stayed within the limit is read whole.
        let grown = read_capped(io::repeat(7).take(5_000), 1_000, Some(limit)).unwrap();
        assert_eq!(grown.len(), 5_000);
        assert!(grown.iter().all(|&b| b == 7));
        // A file that grew past a limit its first read already reached is refused too.
        let at_once = read_capped(io::repeat(7).take(13), 12, Some(12)).unwrap_err();
        assert!(at_once.to_string().contains("--max-input-size"));
    }

    #[test]
    fn recorded_paths_are_relative_or_bare_names() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(recorded_path(&cwd.join("notes/a.html")), "notes/a.html");
        assert_eq!(recorded_path(Path::new("notes/a.html")), "notes/a.html");
        assert_eq!(
            recorded_path(Path::new("/elsewhere/private/a.html")),
            "a.html"
        );
        assert_eq!(recorded_path(Path::new("../up/a.html")), "a.html");
    }
}
