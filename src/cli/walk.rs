//! Walking input folders: which files under a folder are documents to convert, and why the
//! others were skipped (so the summary can say so).
//!
//! Our own walk over `read_dir` with an explicit stack, not a recursive one and not a library
//! walker: libraries drop hidden and ignored entries silently, and we must count them. The
//! `.gitignore` / `.ignore` rules themselves are matched by the `ignore` crate's `Gitignore`,
//! one matcher per folder that has such a file, the deepest match winning as in git.
//! Entries are visited in name order so a batch is the same on every machine.

use super::manifest::MANIFEST;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use quire::InputFormat;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What the walk may enter.
#[derive(Debug, Clone, Copy, Default)]
pub struct WalkOptions {
    /// Also take hidden files and enter hidden folders.
    pub hidden: bool,
    /// Also take what `.gitignore` / `.ignore` files exclude.
    pub no_ignore: bool,
}

/// A document found under a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    /// Its path relative to the folder walked: where its outputs go under `-o DIR`.
    pub relative: PathBuf,
}

/// Why a file or folder was not converted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SkipReason {
    /// A hidden file or folder (name starting with '.'); `--hidden` takes them.
    Hidden,
    /// Excluded by a `.gitignore` or `.ignore` file; `--no-ignore` takes them.
    Ignored,
    /// Not a format quire reads; holds the extension (empty when there is none).
    NotADocument(String),
    /// The output folder lies inside the folder walked: its files are outputs, not inputs.
    OutputFolder,
    /// A symbolic link to a folder (not followed, so the walk cannot loop).
    FolderLink,
    /// Listed in the folder's `.quire-outputs`: quire wrote it in an earlier run.
    EarlierOutput,
    /// The folder or entry could not be read; holds the error.
    Unreadable(String),
    /// A FIFO, socket or device (or a link to one): reading it could block forever or
    /// never end, so only regular files are taken from folders.
    NotAFile,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Hidden => f.write_str("hidden (use --hidden)"),
            SkipReason::Ignored => f.write_str("excluded by .gitignore (use --no-ignore)"),
            SkipReason::NotADocument(ext) if ext.is_empty() => {
                f.write_str("not a document (no extension)")
            }
            SkipReason::NotADocument(ext) => write!(f, "not a document (.{ext})"),
            SkipReason::OutputFolder => f.write_str("the output folder"),
            SkipReason::FolderLink => f.write_str("a link to a folder (not followed)"),
            SkipReason::EarlierOutput => f.write_str("output of an earlier run"),
            SkipReason::Unreadable(error) => write!(f, "unreadable ({error})"),
            SkipReason::NotAFile => f.write_str("not a regular file (FIFO, socket or device)"),
        }
    }
}

/// A path not converted, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: SkipReason,
}

/// Everything a walk found.
#[derive(Debug, Default)]
pub struct Walk {
    pub found: Vec<Found>,
    pub skipped: Vec<Skipped>,
}

/// The files `dir`'s manifest lists that still exist, canonical.
pub fn read_manifest(dir: &Path) -> HashSet<PathBuf> {
    super::manifest::listed_in(dir)
}

/// Walks `root`, never entering `exclude` (the output folder, canonical) and skipping the
/// files in `earlier_outputs` (canonical) and those listed in the `.quire-outputs` of any
/// folder walked: quire's own outputs are never inputs, wherever an earlier run put them.
/// Hidden and ignored entries are skipped as whole folders, counted once.
pub fn walk(
    root: &Path,
    options: WalkOptions,
    exclude: Option<&Path>,
    earlier_outputs: &HashSet<PathBuf>,
) -> Walk {
    let mut walk = Walk::default();
    let mut earlier_outputs = earlier_outputs.clone();
    // Each pending folder carries the ignore matchers that apply inside it, outermost first.
    let mut stack: Vec<(PathBuf, Vec<std::rc::Rc<Gitignore>>)> =
        vec![(root.to_path_buf(), Vec::new())];
    while let Some((dir, mut matchers)) = stack.pop() {
        if !options.no_ignore {
            for name in [".gitignore", ".ignore"] {
                let file = dir.join(name);
                if file.is_file() {
                    let mut builder = GitignoreBuilder::new(&dir);
                    // A bad line is ignored (as git does), the rest still apply.
                    let _ = builder.add(&file);
                    if let Ok(matcher) = builder.build() {
                        matchers.push(std::rc::Rc::new(matcher));
                    }
                }
            }
        }
        // A folder's manifest may list files of its subfolders too: it is read before them.
        earlier_outputs.extend(read_manifest(&dir));
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => {
                walk.skipped.push(Skipped {
                    path: dir,
                    reason: SkipReason::Unreadable(super::terminal::io_message(&e)),
                });
                continue;
            }
        };
        let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        entries.sort_by_key(|e| e.file_name());
        let mut subdirs = Vec::new();
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            // A link is judged by what it points to; a link to a folder is never entered.
            let (is_dir, is_link) = if file_type.is_symlink() {
                (path.is_dir(), true)
            } else {
                (file_type.is_dir(), false)
            };
            let skip = |reason| Skipped {
                path: path.clone(),
                reason,
            };
            // quire's own list of outputs is neither an input nor a skip worth counting.
            if name == MANIFEST && !is_dir {
                continue;
            }
            if !options.hidden && name.to_string_lossy().starts_with('.') {
                walk.skipped.push(skip(SkipReason::Hidden));
                continue;
            }
            if !options.no_ignore && is_ignored(&matchers, &path, is_dir) {
                walk.skipped.push(skip(SkipReason::Ignored));
                continue;
            }
            if is_dir {
                if is_link {
                    walk.skipped.push(skip(SkipReason::FolderLink));
                } else if exclude
                    .is_some_and(|out| path.canonicalize().ok().as_deref() == Some(out))
                {
                    walk.skipped.push(skip(SkipReason::OutputFolder));
                } else {
                    subdirs.push(path);
                }
                continue;
            }
            // Judged without opening it (opening a FIFO waits for a writer). A broken link
            // is left to fail when read, which names the problem.
            let special = if is_link {
                fs::metadata(&path).is_ok_and(|m| !m.is_file())
            } else {
                !file_type.is_file()
            };
            if special {
                walk.skipped.push(skip(SkipReason::NotAFile));
                continue;
            }
            if !earlier_outputs.is_empty()
                && path
                    .canonicalize()
                    .is_ok_and(|c| earlier_outputs.contains(&c))
            {
                walk.skipped.push(skip(SkipReason::EarlierOutput));
                continue;
            }
            if is_document(&path) {
                let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                walk.found.push(Found { path, relative });
            } else {
                let ext = path
                    .extension()
                    .map(|e| e.to_string_lossy().to_ascii_lowercase())
                    .unwrap_or_default();
                walk.skipped.push(skip(SkipReason::NotADocument(ext)));
            }
        }
        // Reversed so the stack pops them in name order.
        for sub in subdirs.into_iter().rev() {
            stack.push((sub, matchers.clone()));
        }
    }
    // Folders are visited depth-first but files were pushed per folder: put the whole list in
    // path order, the order outputs are planned and reported in.
    walk.found.sort_by(|a, b| a.relative.cmp(&b.relative));
    walk
}

/// The deepest `.gitignore` with an opinion decides, as in git.
fn is_ignored(matchers: &[std::rc::Rc<Gitignore>], path: &Path, is_dir: bool) -> bool {
    for matcher in matchers.iter().rev() {
        let verdict = matcher.matched(path, is_dir);
        if verdict.is_ignore() {
            return true;
        }
        if verdict.is_whitelist() {
            return false;
        }
    }
    false
}

/// A file quire reads: by extension, or, without one, by content that is clearly HTML (saved
/// pages and mail dumps often have no extension). Extensions of other kinds are never
/// sniffed: an image or a PDF is not a document to convert.
pub fn is_document(path: &Path) -> bool {
    if InputFormat::from_path(path).is_some() {
        return true;
    }
    if path.extension().is_some() {
        return false;
    }
    let mut head = [0u8; 1024];
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let Ok(n) = file.read(&mut head) else {
        return false;
    };
    let head = &head[..n];
    !head.is_empty() && !head.contains(&0) && InputFormat::sniff(head) == InputFormat::Html
}

/// `3 hidden (use --hidden), 2 not a document (.png)`: skip reasons with their counts, most
/// frequent first, for the summary line.
pub fn describe_skips<'a>(skipped: impl IntoIterator<Item = &'a SkipReason>) -> String {
    let mut counts: BTreeMap<&SkipReason, usize> = BTreeMap::new();
    for reason in skipped {
        *counts.entry(reason).or_default() += 1;
    }
    let mut counts: Vec<_> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
        .iter()
        .map(|(reason, n)| format!("{n} {reason}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    fn relatives(walk: &Walk) -> Vec<String> {
        walk.found
            .iter()
            .map(|f| f.relative.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn walks_in_path_order_and_skips_with_reasons() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(&root.join("b.md"), "# b");
        touch(&root.join("a/z.html"), "<p>z");
        touch(&root.join("a/y.txt"), "y");
        touch(&root.join("a/pic.png"), "\u{89}PNG");
        touch(&root.join(".hidden/x.md"), "# x");
        touch(&root.join(".notes.md"), "# n");
        touch(&root.join("drafts/d.md"), "# d");
        touch(&root.join("keep.md"), "# k");
        touch(&root.join("saved-page"), "<!DOCTYPE html><p>saved");
        touch(&root.join("README"), "plain words");
        touch(&root.join(".gitignore"), "drafts/\n*.txt\n");
        let walk = walk(root, WalkOptions::default(), None, &HashSet::new());
        assert_eq!(
            relatives(&walk),
            ["a/z.html", "b.md", "keep.md", "saved-page"]
        );
        let reasons: Vec<_> = walk.skipped.iter().map(|s| &s.reason).collect();
        assert_eq!(
            describe_skips(reasons),
            "3 hidden (use --hidden), 2 excluded by .gitignore (use --no-ignore), \
             1 not a document (no extension), 1 not a document (.png)"
        );
    }

    #[test]
    fn hidden_and_ignored_are_taken_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(&root.join(".hidden/x.md"), "# x");
        touch(&root.join("drafts/d.md"), "# d");
        touch(&root.join(".gitignore"), "drafts/\n");
        let options = WalkOptions {
            hidden: true,
            no_ignore: true,
        };
        let walk = walk(root, options, None, &HashSet::new());
        assert_eq!(relatives(&walk), [".hidden/x.md", "drafts/d.md"]);
    }

    #[test]
    fn a_nested_gitignore_can_take_back_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(&root.join(".gitignore"), "*.txt\n");
        touch(&root.join("sub/.gitignore"), "!keep.txt\n");
        touch(&root.join("sub/keep.txt"), "k");
        touch(&root.join("sub/drop.txt"), "d");
        let walk = walk(root, WalkOptions::default(), None, &HashSet::new());
        assert_eq!(relatives(&walk), ["sub/keep.txt"]);
    }

    #[test]
    fn the_output_folder_is_not_walked() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(&root.join("a.md"), "# a");
        touch(&root.join("out/a.html"), "<p>a");
        let out = root.join("out").canonicalize().unwrap();
        let walk = walk(root, WalkOptions::default(), Some(&out), &HashSet::new());
        assert_eq!(relatives(&walk), ["a.md"]);
        assert_eq!(walk.skipped[0].reason, SkipReason::OutputFolder);
    }

    #[test]
    fn files_listed_in_any_walked_folders_manifest_are_earlier_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        touch(&root.join("a.md"), "# a");
        touch(&root.join("a.html"), "<p>a");
        touch(&root.join("sub/b.md"), "# b");
        touch(&root.join("sub/out/b.html"), "<p>b");
        touch(&root.join(MANIFEST), "a.html\n");
        touch(&root.join("sub/out").join(MANIFEST), "b.html\n");
        let walk = walk(root, WalkOptions::default(), None, &HashSet::new());
        assert_eq!(relatives(&walk), ["a.md", "sub/b.md"]);
        let earlier = walk
            .skipped
            .iter()
            .filter(|s| s.reason == SkipReason::EarlierOutput)
            .count();
        assert_eq!(earlier, 2);
    }
}
