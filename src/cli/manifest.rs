//! `.quire-outputs`: what quire wrote into a folder, and from what.
//!
//! One line per output, its path relative to the manifest's folder, then the output's
//! fingerprint: the quire version that made it, a digest of the input bytes (XXH3-128), and
//! the SHA-256 of the settings that shape the output and of the output bytes as written. The
//! manifest answers three questions, none of them by file times:
//!
//! - Is this file one of quire's outputs? Then a walk never takes it as an input.
//! - Is it up to date? Only when the whole fingerprint matches what this run would make.
//! - Has the user changed it since? Then its bytes no longer hash to what quire wrote, and
//!   it is not replaced without `--force`.
//!
//! During a run each finished output is appended to the manifest at once (the last line for
//! a path wins), so that a killed run still knows what it wrote; at the end the manifest is
//! rewritten whole, one line per output that still exists. Lines of older quire versions (a
//! bare path) still mark a file as an output, but without a checksum it counts as possibly
//! edited.

use super::atomic::write_atomically;
use super::job::{Job, Output, Source, Target};
use super::settings::Settings;
use quire::OutputFormat;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// The manifest's file name; hidden, so never walked.
pub const MANIFEST: &str = ".quire-outputs";

const HEADER: &str =
    "# quire-outputs: path, quire version, input (XXH3-128), SHA-256 of settings, output";

/// The version recorded with every output: another quire may write other bytes.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How one output was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub version: String,
    /// [`input_digest`] of the input's bytes as converted (a change during the run then
    /// only makes the next run convert it again).
    pub input: String,
    /// SHA-256 of every setting that shapes this output ([`settings_digest`]).
    pub settings: String,
    /// SHA-256 of the output's bytes as quire wrote them.
    pub output: String,
}

/// One folder's manifest, as loaded at the start of a run.
#[derive(Debug)]
pub struct Manifest {
    dir: PathBuf,
    canonical_dir: PathBuf,
    /// Relative path → fingerprint; `None` for a line without one (an older quire's).
    entries: BTreeMap<String, Option<Fingerprint>>,
    /// Whether this run has appended to the file yet (the first append checks its end).
    appended: AtomicBool,
    /// The manifest file, open for appending since this run's first append (a batch appends
    /// a line per output; [`Manifest::save`] closes it, as it replaces the file).
    appender: Mutex<Option<fs::File>>,
}

impl Manifest {
    /// `dir`'s manifest (empty when it has none or it cannot be read). `None` when `dir`
    /// itself does not exist.
    pub fn load(dir: &Path) -> Option<Manifest> {
        let canonical_dir = dir.canonicalize().ok()?;
        let mut entries = BTreeMap::new();
        let text = fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
        for line in text.lines() {
            // The header, this version's or an older one's.
            if line.is_empty() || line.starts_with("# quire-outputs:") {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            let fingerprint = match fields.as_slice() {
                [_, version, input, settings, output] => Some(Fingerprint {
                    version: version.to_string(),
                    input: input.to_string(),
                    settings: settings.to_string(),
                    output: output.to_string(),
                }),
                _ => None,
            };
            entries.insert(fields[0].to_string(), fingerprint);
        }
        Some(Manifest {
            dir: dir.to_path_buf(),
            canonical_dir,
            entries,
            appended: AtomicBool::new(false),
            appender: Mutex::new(None),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether two manifests are the same folder's.
    pub fn same_folder(&self, other: &Manifest) -> bool {
        self.canonical_dir == other.canonical_dir
    }

    /// Where a path is listed in this manifest: its path relative to the folder, when it
    /// exists and lies inside it (links resolved), and when it can be written on one line.
    pub fn name_of(&self, path: &Path) -> Option<String> {
        self.name_of_canonical(&path.canonicalize().ok()?)
    }

    /// [`Manifest::name_of`] a path already canonical (links resolved).
    fn name_of_canonical(&self, canonical: &Path) -> Option<String> {
        let relative = canonical.strip_prefix(&self.canonical_dir).ok()?;
        let name = relative.to_str()?;
        // A name that would break the line format is simply not remembered.
        (!name.is_empty() && !name.contains(['\n', '\r', '\t'])).then(|| name.to_string())
    }

    /// Whether `path` is listed, and with what fingerprint (`Some(None)`: listed without one).
    pub fn lookup(&self, path: &Path) -> Option<Option<&Fingerprint>> {
        let name = self.name_of(path)?;
        self.entries.get(&name).map(Option::as_ref)
    }

    /// The listed files that still exist, canonical.
    pub fn listed(&self) -> HashSet<PathBuf> {
        self.entries
            .keys()
            .filter_map(|name| self.dir.join(name).canonicalize().ok())
            .collect()
    }

    /// Appends the fingerprint of the output listed as `name` ([`Manifest::name_of`],
    /// [`locate`]) to the manifest file now, so that a run killed later still knows it wrote
    /// it (see the module docs); [`Manifest::insert_named`] then keeps it for
    /// [`Manifest::save`].
    pub fn append_named(&self, name: &str, fingerprint: &Fingerprint) -> io::Result<()> {
        let mut line = String::new();
        let mut appender = self.appender.lock().unwrap_or_else(|e| e.into_inner());
        let out = match &mut *appender {
            Some(out) => out,
            None => {
                let file = self.dir.join(MANIFEST);
                let out = fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&file)?;
                // A manifest cut short (or written by hand) may lack its last line break.
                if !self.appended.swap(true, Ordering::Relaxed) && !ends_with_newline(&file)? {
                    line.push('\n');
                }
                appender.insert(out)
            }
        };
        line.push_str(&entry_line(name, Some(fingerprint)));
        line.push('\n');
        out.write_all(line.as_bytes())
    }

    /// Remembers the fingerprint of the output listed as `name` for [`Manifest::save`].
    pub fn insert_named(&mut self, name: String, fingerprint: Fingerprint) {
        self.entries.insert(name, Some(fingerprint));
    }

    /// [`Manifest::append_named`] and [`Manifest::insert_named`] for `path`, resolved once;
    /// nothing when the path has no name here.
    pub fn record(&mut self, path: &Path, fingerprint: Fingerprint) -> io::Result<()> {
        let Some(name) = self.name_of(path) else {
            return Ok(());
        };
        self.append_named(&name, &fingerprint)?;
        self.insert_named(name, fingerprint);
        Ok(())
    }

    /// Rewrites the manifest whole: one line per listed output that still exists. Nothing is
    /// written when that is what the file already says, or when there is nothing to list.
    pub fn save(&self) -> io::Result<()> {
        // Later appends go to the file that replaces this one.
        *self.appender.lock().unwrap_or_else(|e| e.into_inner()) = None;
        let file = self.dir.join(MANIFEST);
        let lines: Vec<String> = self
            .entries
            .iter()
            .filter(|(name, _)| self.dir.join(name).exists())
            .map(|(name, fingerprint)| entry_line(name, fingerprint.as_ref()))
            .collect();
        let old = fs::read_to_string(&file).ok();
        if lines.is_empty() && old.is_none() {
            return Ok(());
        }
        let mut text = format!("{HEADER}\n");
        for line in lines {
            text.push_str(&line);
            text.push('\n');
        }
        if old.as_deref() == Some(text.as_str()) {
            return Ok(());
        }
        write_atomically(&file, text.as_bytes(), false)
    }
}

/// Whether a file is empty or ends with a line break (only its last byte is read).
fn ends_with_newline(path: &Path) -> io::Result<bool> {
    let mut file = fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(true);
    }
    file.seek(io::SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

fn entry_line(name: &str, fingerprint: Option<&Fingerprint>) -> String {
    match fingerprint {
        Some(f) => format!(
            "{name}\t{}\t{}\t{}\t{}",
            f.version, f.input, f.settings, f.output
        ),
        None => name.to_string(),
    }
}

/// The files `dir`'s manifest lists that still exist, canonical (empty without a manifest).
pub fn listed_in(dir: &Path) -> HashSet<PathBuf> {
    if !dir.join(MANIFEST).is_file() {
        return HashSet::new();
    }
    Manifest::load(dir).map(|m| m.listed()).unwrap_or_default()
}

/// The manifest among `manifests` that `path` belongs to, the innermost folder holding it,
/// and the name it is listed under there ([`Manifest::name_of`]); the path is resolved once.
pub fn locate(manifests: &[Manifest], path: &Path) -> Option<(usize, String)> {
    let canonical = canonical_output(manifests, path)?;
    let (index, manifest) = manifests
        .iter()
        .enumerate()
        .filter(|(_, m)| canonical.starts_with(&m.canonical_dir))
        .max_by_key(|(_, m)| m.canonical_dir.components().count())?;
    Some((index, manifest.name_of_canonical(&canonical)?))
}

/// `path` with its links resolved, `None` when nothing is there. An output straight inside a
/// manifest's folder (as that folder was named) that is no link itself is that folder's
/// canonical path and its name: one look at the file, where resolving the whole path again
/// took one system call per component, for every output of a batch.
fn canonical_output(manifests: &[Manifest], path: &Path) -> Option<PathBuf> {
    let meta = fs::symlink_metadata(path).ok()?;
    let known_folder = path
        .parent()
        .and_then(|parent| manifests.iter().find(|m| m.dir == parent));
    match (known_folder, path.file_name()) {
        (Some(manifest), Some(name)) if !meta.file_type().is_symlink() => {
            Some(manifest.canonical_dir.join(name))
        }
        _ => path.canonicalize().ok(),
    }
}

/// What to do with one input's outputs, decided from the manifests before converting.
#[derive(Debug, Default)]
pub struct Plan {
    /// The outputs to write.
    pub to_write: Vec<Output>,
    /// Outputs not to be replaced, and why: the user changed them since quire wrote them.
    pub kept: Vec<(Output, &'static str)>,
    /// Every output to write is already what this run would make: nothing to convert.
    pub up_to_date: bool,
    /// The input's digest, when it was read before converting to tell whether it is up to
    /// date; `None` otherwise, and for a URL or standard input.
    input: Option<String>,
    /// Each output in `to_write` as it stood before converting (`None`: no such file).
    before: Vec<Option<FileState>>,
}

const NOT_OURS: &str =
    "exists, and quire did not write it: not replaced (--force replaces it; -o names another file)";
const CHANGED: &str = "changed since quire wrote it: not replaced (--force replaces it)";
const UNCHECKED: &str = "listed in .quire-outputs by an older quire without a checksum, so it \
                         may have been edited: not replaced (--force replaces it)";

/// Looks up each of `job`'s outputs in `manifests`. An output that is listed but whose bytes
/// are no longer those quire wrote is kept, unless `force`; so is, with `only_own` (outputs
/// quire named, beside their inputs), a file that is not listed at all: the user's own
/// `notes.md` beside `notes.txt`. With `incremental` (a batch, not `--force`), the job is up
/// to date when every output to write is listed with the very fingerprint this run would
/// give it: same quire, same input bytes, same settings, and the file still as written.
pub fn plan(
    job: &Job,
    settings: &Settings,
    manifests: &[Manifest],
    force: bool,
    incremental: bool,
    only_own: bool,
) -> Plan {
    if manifests.is_empty() {
        // Nothing was recorded, and nothing will be: convert, as before any manifest.
        return Plan {
            before: vec![None; job.outputs.len()],
            to_write: job.outputs.clone(),
            ..Plan::default()
        };
    }
    // The input can only be up to date from a file, in a run that skips what is.
    let mut fresh = incremental && !force && matches!(job.source, Source::File(_));
    let mut plan = Plan::default();
    let mut recorded_inputs = Vec::new();
    for output in &job.outputs {
        let Target::File(path) = &output.target else {
            fresh = false;
            plan.to_write.push(output.clone());
            plan.before.push(None);
            continue;
        };
        let state = FileState::of(path);
        // An existing output's manifest entry (`None`: not listed) only matters when it may
        // be kept, which `--force` rules out. Looked up once: finding the manifest resolves
        // the path.
        let entry = match (&state, force) {
            (Some(_), false) => locate(manifests, path)
                .and_then(|(index, name)| manifests[index].entries.get(&name)),
            _ => None,
        };
        if only_own && !force && state.as_ref().is_some_and(|s| s.len > 0) && entry.is_none() {
            plan.kept.push((output.clone(), NOT_OURS));
            continue;
        }
        // Its bytes, likewise, when it may be kept as edited or found up to date.
        let current = match (&state, force) {
            (Some(_), false) => file_digest(path).ok().flatten(),
            _ => None,
        };
        let listed = current.as_ref().and(entry).map(Option::as_ref);
        // An empty file holds nothing to lose, and is what a power cut after an unflushed
        // write can leave: it is replaced, never kept as edited.
        let empty = state.as_ref().is_some_and(|s| s.len == 0);
        if let (Some(entry), Some(current), false, false) = (listed, &current, force, empty) {
            match entry {
                None => {
                    plan.kept.push((output.clone(), UNCHECKED));
                    continue;
                }
                Some(recorded) if recorded.output != *current => {
                    plan.kept.push((output.clone(), CHANGED));
                    continue;
                }
                Some(_) => {}
            }
        }
        fresh = fresh
            && matches!(listed, Some(Some(recorded))
            if recorded.version == VERSION
                && recorded.settings == settings_digest(settings, job, output.format)
                && Some(&recorded.output) == current.as_ref());
        if fresh {
            if let Some(Some(recorded)) = listed {
                recorded_inputs.push(recorded.input.clone());
            }
        }
        plan.to_write.push(output.clone());
        plan.before.push(state);
    }
    // The input is read and hashed here only when that decides something: every output is
    // listed as made from some input by this quire with these settings. Otherwise its digest
    // is taken from the bytes the conversion reads (see [`Plan::made`]), and a large batch
    // reads each input once.
    if fresh && !plan.to_write.is_empty() {
        if let Source::File(path) = &job.source {
            plan.input = file_input_digest(path).ok().flatten();
        }
        plan.up_to_date = plan
            .input
            .as_ref()
            .is_some_and(|input| recorded_inputs.iter().all(|recorded| recorded == input));
    }
    plan
}

/// One output written by this run, with the manifest (an index into the run's manifests)
/// that lists it.
#[derive(Debug)]
pub struct Made {
    pub manifest: usize,
    /// The output's name in that manifest ([`Manifest::name_of`]).
    pub name: String,
    pub fingerprint: Fingerprint,
}

impl Plan {
    /// The outputs of `job` that this run wrote, fingerprinted. `failed(label)` says whether
    /// an error was reported under a label: an output with an error was not written, and
    /// after an error on the input itself (a read error, a bug) only an output whose file
    /// was replaced was. `input` is the digest of the bytes the conversion read, when it read a
    /// file: what the outputs were made from, even if the file changed since [`plan`].
    /// `written` holds, for each output to write, the [`OutputHasher`] digest of the bytes
    /// written to it when they were all written (`None` when that is not known, as after a
    /// bug stopped the conversion: the file is then read back).
    pub fn made(
        &self,
        job: &Job,
        settings: &Settings,
        manifests: &[Manifest],
        input: Option<&str>,
        written: &[Option<String>],
        failed: &dyn Fn(&str) -> bool,
    ) -> Vec<Made> {
        let input_failed = failed(&job.source.label());
        let mut made = Vec::new();
        for (index, (output, before)) in self.to_write.iter().zip(&self.before).enumerate() {
            let Target::File(path) = &output.target else {
                continue;
            };
            if failed(&output.target.label()) {
                continue;
            }
            let Some((manifest, name)) = locate(manifests, path) else {
                continue;
            };
            // Only a regular file is listed (not a device or pipe written through).
            let after = match written.get(index) {
                Some(Some(digest)) if fs::metadata(path).is_ok_and(|m| m.is_file()) => {
                    digest.clone()
                }
                Some(Some(_)) => continue,
                _ => match file_digest(path) {
                    Ok(Some(after)) => after,
                    _ => continue,
                },
            };
            if input_failed && *before == FileState::of(path) {
                continue;
            }
            made.push(Made {
                manifest,
                name,
                fingerprint: Fingerprint {
                    version: VERSION.to_string(),
                    // No digest for a page fetched or standard input: never up to date.
                    input: input.or(self.input.as_deref()).unwrap_or("-").to_string(),
                    settings: settings_digest(settings, job, output.format),
                    output: after,
                },
            });
        }
        made
    }
}

/// A file as it stands: which file it is, its size and when it last changed. An atomic
/// write puts a new file under the path, so a file that stands the same was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileState {
    #[cfg(unix)]
    id: (u64, u64),
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl FileState {
    /// `None` when there is no such file (links are followed).
    fn of(path: &Path) -> Option<FileState> {
        let meta = fs::metadata(path).ok()?;
        Some(FileState {
            #[cfg(unix)]
            id: {
                use std::os::unix::fs::MetadataExt;
                (meta.dev(), meta.ino())
            },
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// The digest of an output's bytes (as [`file_digest`] gives it), taken as they are written.
#[derive(Default)]
pub struct OutputHasher(Sha256);

impl OutputHasher {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

/// SHA-256 of a regular file's bytes, in hex; `Ok(None)` when there is no such file (or it is
/// not a regular file: a device or a pipe is never read to be hashed).
pub fn file_digest(path: &Path) -> io::Result<Option<String>> {
    let mut hasher = OutputHasher::default();
    let read = read_regular_file(path, |bytes| hasher.update(bytes))?;
    Ok(read.then(|| hasher.finish()))
}

/// [`input_digest`] of a regular file's bytes; `Ok(None)` as for [`file_digest`].
fn file_input_digest(path: &Path) -> io::Result<Option<String>> {
    let mut hasher = xxhash_rust::xxh3::Xxh3Default::new();
    let read = read_regular_file(path, |bytes| hasher.update(bytes))?;
    Ok(read.then(|| input_digest_text(hasher.digest128())))
}

/// Passes a regular file's bytes to `take`, a block at a time; `Ok(false)` when there is no
/// such file or it is not a regular one.
fn read_regular_file(path: &Path, mut take: impl FnMut(&[u8])) -> io::Result<bool> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => {}
        Ok(_) => return Ok(false),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    }
    let mut file = fs::File::open(path)?;
    let mut buffer = [0; 16 * 1024];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok(true);
        }
        take(&buffer[..n]);
    }
}

/// The digest an input is recorded with: XXH3-128, which tells a changed input apart as well
/// as SHA-256 does here (nobody gains by making two of their own files collide), at many times
/// the speed. Inputs are the bytes a batch reads most of (a web page is a hundred times
/// its text), and SHA-256 of them was a twentieth of converting a folder of pages. Written
/// with its name, so that a digest of an older quire (bare SHA-256 hex) never equals one.
pub fn input_digest(bytes: &[u8]) -> String {
    input_digest_text(xxhash_rust::xxh3::xxh3_128(bytes))
}

fn input_digest_text(digest: u128) -> String {
    format!("xxh3-128:{digest:032x}")
}

/// SHA-256 of everything that decides what bytes one output gets, other than the input's
/// content: the resolved settings, the input's path (links and the source line name it, and
/// images are looked up beside it), `--from`, and the output format.
///
/// The settings are taken whole, through their `Debug` form, so that an option added later
/// is part of the fingerprint without anyone having to remember it. Only the settings known
/// not to touch the bytes are cleared first. The form may differ between builds of
/// quire; that only makes outputs convert again, and the version is recorded anyway.
pub fn settings_digest(settings: &Settings, job: &Job, format: OutputFormat) -> String {
    let mut shaping = settings.clone();
    // How the file reaches the disk, and what is printed about extraction: same bytes.
    shaping.durable = false;
    shaping.explain = false;
    // Limits on what is read, and where outputs may go: an input is read whole or refused,
    // an output written or refused, so neither changes the bytes written.
    shaping.max_input_size = None;
    shaping.output_root = None;
    let source = match &job.source {
        Source::File(path) => format!("file {}", path.display()),
        Source::Url(url) => format!("url {url}"),
        Source::Stdin => "stdin".to_string(),
    };
    let text = format!("{shaping:?}\n{source}\nfrom {:?}\nto {format:?}", job.from);
    hex(&Sha256::digest(text.as_bytes()))
}

/// SHA-256 of some bytes, in hex.
pub fn digest_of(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut text = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(text, "{b:02x}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output is named as resolving its whole path would name it: a plain file straight
    /// in the folder by the folder's canonical path, a link by where it leads, a missing
    /// file not at all.
    #[cfg(unix)]
    #[test]
    fn locate_names_outputs_as_their_resolved_path() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir_all(out.join("sub")).unwrap();
        fs::write(out.join("a.txt"), "a").unwrap();
        fs::write(out.join("sub/b.txt"), "b").unwrap();
        std::os::unix::fs::symlink(out.join("sub/b.txt"), out.join("link.txt")).unwrap();
        // The folder as the run names it, through a link of its own.
        let alias = dir.path().join("alias");
        std::os::unix::fs::symlink(&out, &alias).unwrap();
        let manifests = vec![Manifest::load(&alias).unwrap()];
        let name = |p: &Path| locate(&manifests, p).map(|(_, name)| name);
        assert_eq!(name(&alias.join("a.txt")).as_deref(), Some("a.txt"));
        assert_eq!(name(&alias.join("sub/b.txt")).as_deref(), Some("sub/b.txt"));
        assert_eq!(name(&alias.join("link.txt")).as_deref(), Some("sub/b.txt"));
        assert_eq!(name(&alias.join("missing.txt")), None);
        assert_eq!(name(&dir.path().join("elsewhere.txt")), None);
    }

    fn fingerprint(output: &str) -> Fingerprint {
        Fingerprint {
            version: VERSION.to_string(),
            input: "i".repeat(64),
            settings: "s".repeat(64),
            output: output.to_string(),
        }
    }

    #[test]
    fn records_survive_a_reload_and_the_last_line_wins() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sub/a.html");
        fs::create_dir_all(out.parent().unwrap()).unwrap();
        fs::write(&out, "a").unwrap();
        let mut manifest = Manifest::load(dir.path()).unwrap();
        manifest.record(&out, fingerprint("first")).unwrap();
        manifest.record(&out, fingerprint("second")).unwrap();
        // Appended, not yet compacted: two lines, the last one counts.
        let reloaded = Manifest::load(dir.path()).unwrap();
        assert_eq!(reloaded.lookup(&out), Some(Some(&fingerprint("second"))));
        reloaded.save().unwrap();
        let text = fs::read_to_string(dir.path().join(MANIFEST)).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains("sub/a.html\t"), "{text}");
    }

    #[test]
    fn a_bare_path_from_an_older_quire_is_listed_without_a_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.html"), "a").unwrap();
        fs::write(dir.path().join(MANIFEST), "a.html").unwrap();
        let mut manifest = Manifest::load(dir.path()).unwrap();
        assert_eq!(manifest.lookup(&dir.path().join("a.html")), Some(None));
        fs::write(dir.path().join("b.html"), "b").unwrap();
        manifest
            .record(&dir.path().join("b.html"), fingerprint("b"))
            .unwrap();
        // The missing line break was added before the new line.
        let reloaded = Manifest::load(dir.path()).unwrap();
        assert_eq!(reloaded.lookup(&dir.path().join("a.html")), Some(None));
        assert!(reloaded.lookup(&dir.path().join("b.html")).is_some());
    }

    #[test]
    fn the_settings_digest_sees_every_option_that_shapes_the_bytes() {
        let job = Job {
            source: Source::File(PathBuf::from("notes/essay.md")),
            relative: PathBuf::from("essay.md"),
            from: None,
            outputs: Vec::new(),
        };
        let base = Settings::default();
        let digest =
            |settings: &Settings, job: &Job, format| settings_digest(settings, job, format);
        let pdf = digest(&base, &job, OutputFormat::Pdf);
        assert_eq!(pdf.len(), 64);

        let mut ereader = base.clone();
        ereader.write.pdf.page_size = quire::write::pdf::PageSize::Ereader;
        let mut titled = base.clone();
        titled.overrides.title = Some("Other".into());
        let mut imageless = base.clone();
        imageless.no_images = true;
        let mut whole = base.clone();
        whole.read.whole_page = true;
        for other in [ereader, titled, imageless, whole] {
            assert_ne!(digest(&other, &job, OutputFormat::Pdf), pdf, "{other:?}");
        }
        assert_ne!(digest(&base, &job, OutputFormat::Epub), pdf);
        let moved = Job {
            source: Source::File(PathBuf::from("elsewhere/essay.md")),
            ..job.clone()
        };
        assert_ne!(digest(&base, &moved, OutputFormat::Pdf), pdf);
        let from = Job {
            from: Some(quire::InputFormat::Text),
            ..job.clone()
        };
        assert_ne!(digest(&base, &from, OutputFormat::Pdf), pdf);

        // How the file reaches the disk and what --explain prints do not change the bytes.
        let mut quiet = base.clone();
        quiet.durable = true;
        quiet.explain = true;
        quiet.max_input_size = Some(1);
        assert_eq!(digest(&quiet, &job, OutputFormat::Pdf), pdf);
    }

    /// A job converting `page.md` in `dir` into `a.txt` and `b.txt` there, planned against
    /// `dir`'s manifest.
    fn planned(dir: &Path, force: bool) -> (Job, Settings, Vec<Manifest>, Plan) {
        let output = |name: &str| Output {
            format: OutputFormat::Text,
            target: Target::File(dir.join(name)),
        };
        let job = Job {
            source: Source::File(dir.join("page.md")),
            relative: PathBuf::from("page.md"),
            from: None,
            outputs: vec![output("a.txt"), output("b.txt")],
        };
        let settings = Settings::default();
        let manifests = vec![Manifest::load(dir).unwrap()];
        let plan = plan(&job, &settings, &manifests, force, true, false);
        (job, settings, manifests, plan)
    }

    #[test]
    fn outputs_are_listed_with_the_digest_of_what_was_written_or_else_of_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let (job, settings, manifests, plan) = planned(dir.path(), false);
        fs::write(dir.path().join("a.txt"), "alpha").unwrap();
        fs::write(dir.path().join("b.txt"), "beta").unwrap();
        let mut hasher = OutputHasher::default();
        hasher.update(b"al");
        hasher.update(b"pha");
        let written = hasher.finish();
        assert_eq!(
            Some(&written),
            file_digest(&dir.path().join("a.txt")).unwrap().as_ref()
        );
        // `b.txt`'s digest is not known (a bug stopped the job): the file is read back.
        let made = plan.made(
            &job,
            &settings,
            &manifests,
            Some("in"),
            &[Some(written.clone()), None],
            &|_| false,
        );
        let names: Vec<&str> = made.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["a.txt", "b.txt"]);
        assert_eq!(made[0].fingerprint.output, written);
        assert_eq!(
            Some(&made[1].fingerprint.output),
            file_digest(&dir.path().join("b.txt")).unwrap().as_ref()
        );
        assert_eq!(made[0].fingerprint.input, "in");
    }

    #[test]
    fn after_an_input_error_only_outputs_replaced_during_the_job_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.txt"), "old a").unwrap();
        fs::write(dir.path().join("b.txt"), "old b").unwrap();
        for force in [false, true] {
            let (job, settings, manifests, plan) = planned(dir.path(), force);
            assert_eq!(plan.to_write.len(), 2);
            // `a.txt` was replaced (a new file under its name) before the job failed; `b.txt`
            // was not touched.
            let a = dir.path().join("a.txt");
            crate::cli::atomic::write_atomically(&a, b"new a", false).unwrap();
            let input_failed = |label: &str| label == job.source.label();
            let made = plan.made(&job, &settings, &manifests, None, &[], &input_failed);
            let names: Vec<&str> = made.iter().map(|m| m.name.as_str()).collect();
            assert_eq!(names, ["a.txt"], "force: {force}");
            // Without the error, both are listed.
            let made = plan.made(&job, &settings, &manifests, None, &[], &|_| false);
            assert_eq!(made.len(), 2);
        }
    }

    #[test]
    fn file_digest_is_sha256_and_skips_what_is_not_a_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x");
        fs::write(&path, "abc").unwrap();
        assert_eq!(
            file_digest(&path).unwrap().unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(file_digest(&dir.path().join("none")).unwrap(), None);
        assert_eq!(file_digest(dir.path()).unwrap(), None);
    }

    #[test]
    fn an_input_digest_is_the_same_from_the_file_and_from_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("page.html");
        // Over several read blocks, so the streaming digest is checked against the one-shot.
        let bytes: Vec<u8> = (0..100_000u32).map(|i| (i * 7 % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        let from_file = file_input_digest(&path).unwrap().unwrap();
        assert_eq!(from_file, input_digest(&bytes));
        assert!(from_file.starts_with("xxh3-128:") && from_file.len() == 9 + 32);
        assert_ne!(input_digest(b"abc"), input_digest(b"abd"));
        assert_eq!(file_input_digest(&dir.path().join("none")).unwrap(), None);
    }
}
