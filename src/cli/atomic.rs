//! Writing an output whole or not at all, leaving no temporary file behind whatever stops
//! quire, and never writing through a link planted where an output goes.
//!
//! The bytes go to a temporary file in the output's folder, which is renamed over the output
//! at the end. On Linux that file is made with `O_TMPFILE`: it has no name while it is
//! written, so a kill, a crash or an out-of-memory abort takes it with the process. It gets
//! a name (`.quire-PID-N.part`) only to be renamed: both happen under [`LIVE`]'s lock, which
//! a signal handler takes before it exits, so no name outlives them. Elsewhere, and on file
//! systems without `O_TMPFILE`, the temporary file is named from the start; its name is
//! recorded in [`LIVE`] until it is renamed or removed, so [`exit_removing_temporary_files`]
//! can remove it on a signal, and [`remove_stale_parts`] removes those of quire processes
//! that died without that chance (the PID in the name says whose it is).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// The named temporary files this process has now, and whether it is exiting (then no new
/// one may be made: the handler has already removed what there was).
struct Live {
    parts: Vec<PathBuf>,
    exiting: bool,
}

static LIVE: Mutex<Live> = Mutex::new(Live {
    parts: Vec::new(),
    exiting: false,
});

/// Numbers temporary file names within this process.
static NEXT_PART: AtomicU64 = AtomicU64::new(0);

const PART_PREFIX: &str = ".quire-";
const PART_SUFFIX: &str = ".part";

fn live() -> MutexGuard<'static, Live> {
    // A worker that panicked while holding the lock left the list whole: every change to it
    // is one push or one removal.
    LIVE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn exiting_error() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "quire is stopping")
}

/// Removes this process's named temporary files and exits with `code`. Called by the signal
/// handler: it holds the lock until the process is gone, so no worker names another file.
pub fn exit_removing_temporary_files(code: i32) -> ! {
    let mut live = live();
    live.exiting = true;
    for part in live.parts.drain(..) {
        let _ = fs::remove_file(part);
    }
    std::process::exit(code)
}

/// `dir/.quire-PID-N.part`, a name no other process uses.
fn part_name(dir: &Path) -> PathBuf {
    let n = NEXT_PART.fetch_add(1, Ordering::Relaxed);
    dir.join(format!(
        "{PART_PREFIX}{}-{n}{PART_SUFFIX}",
        std::process::id()
    ))
}

/// The process a temporary file's name says made it, when it is one of quire's.
fn part_owner(name: &str) -> Option<u32> {
    let middle = name.strip_prefix(PART_PREFIX)?.strip_suffix(PART_SUFFIX)?;
    let (pid, n) = middle.split_once('-')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}

/// Whether a process with this id is running (or cannot be told apart from one that is).
pub fn process_is_running(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        // SAFETY: signal 0 only checks that the process exists; it sends nothing.
        let result = unsafe { libc::kill(pid, 0) };
        result == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Removes from `dir` the temporary files of quire processes that are gone (killed, or
/// aborted out of memory, before they could remove them). Returns how many were removed.
pub fn remove_stale_parts(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mine = std::process::id();
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(owner) = name.to_str().and_then(part_owner) else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file
            && owner != mine
            && !process_is_running(owner)
            && fs::remove_file(entry.path()).is_ok()
        {
            removed += 1;
        }
    }
    removed
}

/// What is at an output's path now, and so how it is written.
enum Existing {
    /// Nothing, a regular file, or a link that may be replaced: write beside, rename over.
    Replace,
    /// A stream the system names (`-o /dev/null`, `-o /dev/stdout`): written into, never
    /// replaced (a file renamed over /dev/null would break it for the whole system).
    Stream,
}

/// Whether `path` (of type `kind`, its link not followed) is one of the system's own names
/// for a stream: a device or a link under `/dev` (`/dev/null`; `/dev/stdout`, which may even
/// lead to a regular file, the shell's `> file`) or a descriptor under `/proc/self/fd`. A
/// regular file under `/dev` (the `/dev/shm` memory file system) is an ordinary output.
fn is_system_stream(path: &Path, kind: &fs::FileType) -> bool {
    path.starts_with("/proc/self/fd")
        || (path.starts_with("/dev") && !kind.is_file() && !kind.is_dir())
}

/// Outputs are not written through a link to somewhere else, nor into a FIFO or device,
/// except the system's own (`/dev/null`, `/dev/stdout`, `/dev/fd/N` of a shell's `>(…)`).
fn check_destination(path: &Path) -> io::Result<Existing> {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(Existing::Replace);
    };
    if is_system_stream(path, &meta.file_type()) {
        return Ok(Existing::Stream);
    }
    let refuse = |why: String| {
        Err(io::Error::other(format!(
            "{why}: quire does not write through it (remove it or choose another output)"
        )))
    };
    if !meta.file_type().is_symlink() {
        return if meta.is_file() || meta.is_dir() {
            Ok(Existing::Replace)
        } else {
            refuse("it is a FIFO, socket or device, not a regular file".into())
        };
    }
    // A dangling link is replaced by the output, as a file would be.
    let Ok(target) = fs::metadata(path) else {
        return Ok(Existing::Replace);
    };
    if !target.is_file() && !target.is_dir() {
        return refuse("it is a link to a FIFO, socket or device".into());
    }
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let inside = match (path.canonicalize(), folder.canonicalize()) {
        (Ok(resolved), Ok(folder)) => resolved.starts_with(folder),
        _ => false,
    };
    if !inside {
        let resolved = fs::read_link(path).unwrap_or_default();
        return refuse(format!(
            "it is a link to '{}', outside the output's folder",
            resolved.display()
        ));
    }
    Ok(Existing::Replace)
}

/// Writes what `write` makes to `path` whole or not at all (see the module docs). `durable`
/// also flushes the data to disk before the rename.
pub fn write_with(
    path: &Path,
    durable: bool,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    if let Existing::Stream = check_destination(path)? {
        let mut stream = fs::OpenOptions::new().write(true).open(path)?;
        write(&mut stream)?;
        return stream.flush();
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    #[cfg(target_os = "linux")]
    if let Some(mut unnamed) = unnamed::create(dir) {
        write(&mut unnamed)?;
        if durable {
            unnamed.sync_all()?;
        }
        return unnamed::link_over(&mut unnamed, dir, path);
    }
    let mut part = NamedPart::create(dir)?;
    write(&mut part.file)?;
    if durable {
        part.file.sync_all()?;
    }
    part.rename_over(path)
}

/// Writes `bytes` to a temporary file in `path`'s folder and renames it over `path`. A kill,
/// a crash of quire or a full disk leaves the old file (or none), never half a file, and no
/// temporary file (see the module docs). `durable` also flushes the data to disk before
/// the rename, so that a power cut cannot leave an empty file under the final name: it costs
/// a disk flush per file (most of a batch's time on small pages), so batches ask for it only
/// with `--fsync`.
pub fn write_atomically(path: &Path, bytes: &[u8], durable: bool) -> io::Result<()> {
    write_atomically_with(path, durable, &mut |out| out.write_all(bytes))
}

/// [`write_atomically`], with the bytes written by `write` as they are made.
pub fn write_atomically_with(
    path: &Path,
    durable: bool,
    write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    write_with(path, durable, write)
}

/// A named temporary file, removed when dropped unless it was renamed into place.
struct NamedPart {
    path: PathBuf,
    file: fs::File,
    placed: bool,
}

impl NamedPart {
    fn create(dir: &Path) -> io::Result<NamedPart> {
        let mut live = live();
        if live.exiting {
            return Err(exiting_error());
        }
        loop {
            let path = part_name(dir);
            let mut options = fs::OpenOptions::new();
            options.read(true).write(true).create_new(true);
            // What a plain file creation gets (0666 minus the umask), kept by the output.
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt;
                options.mode(0o666);
            }
            match options.open(&path) {
                Ok(file) => {
                    live.parts.push(path.clone());
                    return Ok(NamedPart {
                        path,
                        file,
                        placed: false,
                    });
                }
                // Left by an earlier process with the same id: take the next number.
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn rename_over(mut self, target: &Path) -> io::Result<()> {
        let mut live = live();
        if live.exiting {
            return Err(exiting_error());
        }
        let renamed = fs::rename(&self.path, target);
        if renamed.is_ok() {
            self.placed = true;
            live.parts.retain(|p| *p != self.path);
        }
        // Released before `self` is dropped: a failed rename's drop removes the file.
        drop(live);
        renamed
    }
}

impl Drop for NamedPart {
    fn drop(&mut self) {
        if self.placed {
            return;
        }
        let mut live = live();
        let _ = fs::remove_file(&self.path);
        live.parts.retain(|p| *p != self.path);
    }
}

/// `O_TMPFILE`: a file with no name until [`link_over`] gives it one to rename.
#[cfg(target_os = "linux")]
mod unnamed {
    use super::{exiting_error, live, part_name, NamedPart};
    use std::ffi::CString;
    use std::fs;
    use std::io::{self, Seek};
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::OpenOptionsExt;
    use std::os::unix::io::AsRawFd;
    use std::path::Path;

    /// An unnamed file in `dir`, or `None` where the file system (or kernel) has no
    /// `O_TMPFILE`, or anything else stops it: the named way then says what is wrong.
    pub fn create(dir: &Path) -> Option<fs::File> {
        fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_TMPFILE)
            .mode(0o666)
            .open(dir)
            .ok()
    }

    /// Names `file` in `dir` and renames it over `target`, both under the lock the signal
    /// handler takes, so the name never outlives them.
    pub fn link_over(file: &mut fs::File, dir: &Path, target: &Path) -> io::Result<()> {
        let proc_path = CString::new(format!("/proc/self/fd/{}", file.as_raw_fd()))
            .map_err(io::Error::other)?;
        {
            let live = live();
            if live.exiting {
                return Err(exiting_error());
            }
            // Where nothing has the output's name yet (the first run into a folder), the file
            // is linked under it at once, whole: no temporary name, no rename. Anything there
            // (a file, a link) makes this fail, and the rename below replaces it.
            let c_target = CString::new(target.as_os_str().as_bytes()).map_err(io::Error::other)?;
            // SAFETY: both paths are NUL-terminated strings that outlive the call.
            let linked = unsafe {
                libc::linkat(
                    libc::AT_FDCWD,
                    proc_path.as_ptr(),
                    libc::AT_FDCWD,
                    c_target.as_ptr(),
                    libc::AT_SYMLINK_FOLLOW,
                )
            };
            if linked == 0 {
                return Ok(());
            }
            loop {
                let name = part_name(dir);
                let c_name = CString::new(name.as_os_str().as_bytes()).map_err(io::Error::other)?;
                // SAFETY: both paths are NUL-terminated strings that outlive the call.
                let linked = unsafe {
                    libc::linkat(
                        libc::AT_FDCWD,
                        proc_path.as_ptr(),
                        libc::AT_FDCWD,
                        c_name.as_ptr(),
                        libc::AT_SYMLINK_FOLLOW,
                    )
                };
                if linked == 0 {
                    let renamed = fs::rename(&name, target);
                    if renamed.is_err() {
                        let _ = fs::remove_file(&name);
                    }
                    return renamed;
                }
                let error = io::Error::last_os_error();
                if error.kind() != io::ErrorKind::AlreadyExists {
                    break;
                }
            }
        }
        // No /proc to link through: copy into a named temporary file instead.
        let mut part = NamedPart::create(dir)?;
        file.rewind()?;
        io::copy(file, &mut part.file)?;
        part.rename_over(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn only_devices_and_links_under_dev_are_streams() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        fs::write(&file, "x").unwrap();
        let regular = fs::symlink_metadata(&file).unwrap().file_type();
        let folder = fs::symlink_metadata(dir.path()).unwrap().file_type();
        // A file in /dev/shm is replaced atomically like any other output.
        assert!(!is_system_stream(Path::new("/dev/shm/out/a.txt"), &regular));
        assert!(!is_system_stream(Path::new("/dev/shm/out"), &folder));
        assert!(is_system_stream(Path::new("/proc/self/fd/1"), &regular));
        assert!(!is_system_stream(&file, &regular));
        #[cfg(unix)]
        {
            let link = dir.path().join("link");
            std::os::unix::fs::symlink(&file, &link).unwrap();
            let kind = fs::symlink_metadata(&link).unwrap().file_type();
            assert!(is_system_stream(Path::new("/dev/stdout"), &kind));
            assert!(!is_system_stream(&link, &kind));
            let null = fs::symlink_metadata("/dev/null").unwrap().file_type();
            assert!(is_system_stream(Path::new("/dev/null"), &null));
        }
    }

    #[test]
    fn part_names_carry_the_process_id() {
        let name = part_name(Path::new("d"));
        let file = name.file_name().unwrap().to_str().unwrap();
        assert_eq!(part_owner(file), Some(std::process::id()));
        assert_eq!(part_owner(".quire-12-3.part"), Some(12));
        assert_eq!(part_owner(".quire-abcdef.part"), None);
        assert_eq!(part_owner("quire-12-3.part"), None);
    }

    #[test]
    fn stale_parts_of_dead_processes_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // A process that has exited: its id is free (until reused, which would only keep
        // its file a little longer).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale = format!(".quire-{dead}-0.part");
        let running = format!(".quire-{}-7.part", std::process::id());
        for name in [&stale, &running, &"notes.md".to_string()] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        assert_eq!(remove_stale_parts(dir.path()), 1);
        let mut expected = vec![running, "notes.md".to_string()];
        expected.sort();
        assert_eq!(names(dir.path()), expected);
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.md");
        let failed = write_with(&path, false, &mut |out| {
            out.write_all(b"half")?;
            Err(io::Error::other("the writer failed"))
        });
        assert!(failed.is_err());
        assert!(names(dir.path()).is_empty(), "{:?}", names(dir.path()));
        assert!(!live().parts.iter().any(|p| p.starts_with(dir.path())));
    }

    #[test]
    fn a_named_part_is_listed_while_it_exists() {
        let dir = tempfile::tempdir().unwrap();
        let part = NamedPart::create(dir.path()).unwrap();
        assert!(live().parts.contains(&part.path));
        let path = part.path.clone();
        part.rename_over(&dir.path().join("done")).unwrap();
        assert!(!live().parts.contains(&path));
        assert_eq!(names(dir.path()), ["done"]);
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_folder_and_to_fifos_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let secret = outside.path().join("secret.txt");
        fs::write(&secret, "keep").unwrap();
        let link = dir.path().join("a.md");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        let error = write_with(&link, false, &mut |out| out.write_all(b"new")).unwrap_err();
        assert!(error.to_string().contains("outside"), "{error}");
        assert_eq!(fs::read_to_string(&secret).unwrap(), "keep");

        let inside = dir.path().join("real.md");
        fs::write(&inside, "old").unwrap();
        let near = dir.path().join("near.md");
        std::os::unix::fs::symlink(&inside, &near).unwrap();
        write_with(&near, false, &mut |out| out.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&near).unwrap(), "new");
    }

    #[test]
    fn atomic_write_replaces_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.md");
        fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new contents", true).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new contents");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from("out.md")]);
    }

    #[test]
    fn failed_atomic_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("taken");
        fs::create_dir(target.join("")).unwrap();
        fs::write(target.join("keep"), "x").unwrap();
        assert!(write_atomically(&target, b"data", false).is_err());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [std::ffi::OsString::from("taken")]);
    }
}
