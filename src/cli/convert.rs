//! Converting one input into all its outputs: read it, then write each output as it is made,
//! atomically, into its file or onto standard output. Prints nothing: what happened is the
//! [`JobReport`] returned, so a batch or a parallel runner decides how to show it.

use super::atomic::write_atomically_with;
use super::input::{folder_of, read_input, Input};
use super::job::{Job, Source, Target};
use super::manifest::OutputHasher;
use super::report::JobReport;
use super::settings::Settings;
use super::siblings::Siblings;
use super::terminal::io_error;
use anyhow::anyhow;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What [`convert_job`] did.
#[derive(Default)]
pub struct Converted {
    pub report: JobReport,
    /// The digest of a file input's bytes as read (see `manifest::input_digest`), when asked.
    pub input_digest: Option<String>,
    /// For each of the job's outputs, the digest of the bytes written to its file (see
    /// `manifest::OutputHasher`) when asked and they were all written.
    pub written: Vec<Option<String>>,
}

/// Converts one input into all its outputs: read the bytes, `quire::read`, apply the
/// metadata overrides, then `quire::write` and an atomic write for each output. An output
/// that fails does not stop the others. With `digests`, also the digests of a file input's
/// bytes as read and of each output as written (for the manifests).
pub fn convert_job(
    job: &Job,
    settings: &Settings,
    siblings: &Siblings,
    digests: bool,
) -> Converted {
    let mut report = JobReport::default();
    let Some(Input {
        mut document,
        private,
        digest,
    }) = read_input(&job.source, job.from, settings, digests, &mut report)
    else {
        return Converted {
            report,
            ..Converted::default()
        };
    };
    let mut written = Vec::with_capacity(job.outputs.len());

    let mut write_options = settings.write.clone();
    match &job.source {
        Source::File(path) => write_options.resource_dir = Some(folder_of(path)),
        // A page from the web has its images on the web too (on a private network too when
        // the page is: see `quire::net::PrivateAddresses`).
        Source::Url(_) => {
            write_options.fetch_images = true;
            write_options.remote_images.allow_private |= private;
        }
        // A page piped in with its address (`--url`) is a page from the web: its images
        // are fetched as a URL input's are.
        Source::Stdin if settings.stdin_url.is_some() => write_options.fetch_images = true,
        Source::Stdin => {}
    }
    // The input's images are loaded once, for every output format that embeds them.
    if job
        .outputs
        .iter()
        .any(|output| quire::write::uses_media(output.format, &write_options))
    {
        let (media, warnings) = write_options.load_media(&document);
        report.warnings(&job.source.label(), warnings);
        write_options.media = Some(std::sync::Arc::new(media));
    }
    // Links to the run's other inputs point at their outputs, in each output's format.
    let sibling_links = match &job.source {
        Source::File(path) => siblings.links_from(&mut document, path),
        _ => Default::default(),
    };
    for output in &job.outputs {
        let out_label = output.target.label();
        let pointed;
        let document = match &output.target {
            Target::File(path) if !sibling_links.is_empty() => {
                pointed =
                    siblings.pointed_at_outputs(&document, &sibling_links, output.format, path);
                &pointed
            }
            _ => &document,
        };
        // The output goes to its file (or standard output) as it is made, so a large one is
        // never all in memory. A writer's own failure and the destination's are told apart.
        let mut render_error = None;
        let mut warnings = Vec::new();
        let mut hasher = None;
        let mut render = |out: &mut dyn Write| -> io::Result<()> {
            let mut destination = Destination {
                out,
                failed: false,
                hasher: digests.then(OutputHasher::default),
            };
            let options = settings.options_for(output.format, &write_options);
            match quire::write_to(document, output.format, &options, &mut destination) {
                Ok(written) => {
                    warnings = written;
                    hasher = destination.hasher;
                    Ok(())
                }
                Err(quire::Error::Io(e)) if destination.failed => Err(e),
                Err(e) => {
                    render_error = Some(e);
                    Err(io::Error::other("the writer failed"))
                }
            }
        };
        let delivered = match &output.target {
            Target::Stdout => write_stdout(&mut render),
            Target::File(path) => create_parent(path)
                .and_then(|()| check_inside(path, settings.output_root.as_deref()))
                .and_then(|()| write_atomically_with(path, settings.durable, &mut render)),
        };
        written.push(
            hasher
                .filter(|_| delivered.is_ok() && render_error.is_none())
                .map(OutputHasher::finish),
        );
        if let Some(e) = render_error {
            report.error(
                out_label,
                anyhow!(e).context(format!("cannot write {}", output.format)),
            );
            continue;
        }
        report.warnings(&out_label, warnings);
        match delivered {
            // The reader of a pipe went away (`quire ... -o - | head`): it has what it wanted.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe && output.target == Target::Stdout => {}
            Err(e) => report.error(out_label, io_error(e)),
            Ok(()) => {}
        }
    }
    Converted {
        report,
        input_digest: digest,
        written,
    }
}

/// Outputs mirror the input folders, so their folder may not exist yet. Most outputs go
/// where earlier ones went: one look says so, where `create_dir_all` tries to make it first.
pub fn create_parent(path: &Path) -> io::Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() && !dir.is_dir() => fs::create_dir_all(dir),
        _ => Ok(()),
    }
}

/// An output mirrored under `-o DIR` stays inside it: a subfolder planted there as a link
/// to elsewhere is not written through.
fn check_inside(path: &Path, root: Option<&Path>) -> io::Result<()> {
    let Some(root) = root else {
        return Ok(());
    };
    // The output folder itself is the user's choice, wherever its links lead; only the
    // folders below it are checked.
    if folder_of(path) == root {
        return Ok(());
    }
    let root = canonical_root(root)?;
    if folder_of(path).canonicalize()?.starts_with(&root) {
        return Ok(());
    }
    Err(io::Error::other(format!(
        "its folder is a link out of the output folder '{}': quire does not write through it",
        root.display()
    )))
}

/// `root` with its links resolved, as it was the first time this run asked: the output
/// folder is the user's choice, and a batch asks once per output.
fn canonical_root(root: &Path) -> io::Result<PathBuf> {
    static RESOLVED: Mutex<Vec<(PathBuf, PathBuf)>> = Mutex::new(Vec::new());
    let mut resolved = RESOLVED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, canonical)) = resolved.iter().find(|(path, _)| path == root) {
        return Ok(canonical.clone());
    }
    let canonical = root.canonicalize()?;
    resolved.push((root.to_path_buf(), canonical.clone()));
    Ok(canonical)
}

/// The writer's destination, noting whether it failed (so that its I/O errors are told apart
/// from a writer's own), and hashing what it takes when asked (so that the manifest need not
/// read the file back).
struct Destination<'a> {
    out: &'a mut dyn Write,
    failed: bool,
    hasher: Option<OutputHasher>,
}

impl Write for Destination<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.out.write(buf);
        self.failed |= written.is_err();
        if let (Ok(n), Some(hasher)) = (&written, &mut self.hasher) {
            hasher.update(&buf[..*n]);
        }
        written
    }

    fn flush(&mut self) -> io::Result<()> {
        let flushed = self.out.flush();
        self.failed |= flushed.is_err();
        flushed
    }
}

fn write_stdout(write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    write(&mut stdout)?;
    stdout.flush()
}
