//! Links between the files of one run. A folder of documents that link to each other
//! (`[Setup](guide/setup.md#linux)`) is converted together; each link to another input of
//! the run is pointed at that input's output in the same format (`guide/setup.html#linux`),
//! so that the converted folder still links up. Links to anything else are left as they are.

use super::job::{Job, Source, Target};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use quire::{Document, OutputFormat};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// What a relative link's path may hold unencoded: the path characters of RFC 3986.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// A document's links to other inputs of its run: each URL as written, with the linked
/// input's canonical path and the link's fragment.
pub type SiblingLinks = HashMap<String, (PathBuf, Option<String>)>;

/// The outputs of every file input of a run, by the input's canonical path.
#[derive(Debug, Clone, Default)]
pub struct Siblings {
    outputs: HashMap<PathBuf, Vec<(OutputFormat, PathBuf)>>,
}

impl Siblings {
    /// The file inputs of `jobs` and the files their outputs go to. With fewer than two
    /// such inputs there is no link to point elsewhere, and nothing is kept.
    pub fn of(jobs: &[Job]) -> Siblings {
        let files = jobs
            .iter()
            .filter(|job| matches!(job.source, Source::File(_)))
            .count();
        if files < 2 {
            return Siblings::default();
        }
        let outputs = jobs
            .iter()
            .filter_map(|job| {
                let Source::File(path) = &job.source else {
                    return None;
                };
                let made: Vec<(OutputFormat, PathBuf)> = job
                    .outputs
                    .iter()
                    .filter_map(|output| match &output.target {
                        Target::File(file) => Some((output.format, absolute(file))),
                        Target::Stdout => None,
                    })
                    .collect();
                Some((std::fs::canonicalize(path).ok()?, made))
            })
            .collect();
        Siblings { outputs }
    }

    /// The links of `document`, read from `input`, that go to another input of the run: by
    /// URL, that input's canonical path and the link's fragment. (The document is only read:
    /// its links are walked by the model's one link walk, which takes it mutably.)
    pub fn links_from(&self, document: &mut Document, input: &Path) -> SiblingLinks {
        let mut links = SiblingLinks::new();
        if self.outputs.is_empty() {
            return links;
        }
        let Ok(own) = std::fs::canonicalize(input) else {
            return links;
        };
        document.rewrite_links(&mut |url| {
            if !links.contains_key(url) {
                if let Some(found) = self.linked_input(input, &own, url) {
                    links.insert(url.to_string(), found);
                }
            }
            None
        });
        links
    }

    /// `document` with each of its `links` (see [`Siblings::links_from`]) pointed at the
    /// linked input's `format` output, as a path relative to `output`'s folder.
    pub fn pointed_at_outputs(
        &self,
        document: &Document,
        links: &SiblingLinks,
        format: OutputFormat,
        output: &Path,
    ) -> Document {
        let mut document = document.clone();
        let from_dir = absolute(output)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        document.rewrite_links(&mut |url| {
            let (target, fragment) = links.get(url)?;
            let (_, made) = self
                .outputs
                .get(target)?
                .iter()
                .find(|(made_format, _)| *made_format == format)?;
            let relative = relative_path(&from_dir, made);
            let mut new = relative
                .components()
                .map(|c| utf8_percent_encode(&c.as_os_str().to_string_lossy(), PATH).to_string())
                .collect::<Vec<_>>()
                .join("/");
            if let Some(fragment) = fragment {
                new.push('#');
                new.push_str(fragment);
            }
            Some(new)
        });
        document
    }

    /// The input of the run (canonical path) that `url`, a link in the document read from
    /// `input` (canonical path `own`), goes to, and the link's fragment.
    fn linked_input(
        &self,
        input: &Path,
        own: &Path,
        url: &str,
    ) -> Option<(PathBuf, Option<String>)> {
        let url = url.trim();
        // Only a relative path: no scheme, no site-absolute path, no query (a page that
        // takes one is no file), not only a fragment.
        let is_relative_path = !url.is_empty()
            && !url.starts_with(['#', '/', '?', '\\'])
            && !url.contains('?')
            && url::Url::parse(url).is_err();
        if !is_relative_path {
            return None;
        }
        let (path, fragment) = match url.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (url, None),
        };
        let path = percent_decode_str(path).decode_utf8().ok()?;
        let linked = input.parent()?.join(path.as_ref());
        let canonical = std::fs::canonicalize(linked).ok()?;
        (self.outputs.contains_key(&canonical) && canonical != own)
            .then(|| (canonical, fragment.map(str::to_string)))
    }
}

/// `path` made absolute against the current folder, `..` and `.` worked out on the names.
fn absolute(path: &Path) -> PathBuf {
    let joined = match std::env::current_dir() {
        Ok(here) if path.is_relative() => here.join(path),
        _ => path.to_path_buf(),
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The path from the folder `from_dir` to `to`, both absolute.
fn relative_path(from_dir: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from_dir.components().collect();
    let target: Vec<Component> = to.components().collect();
    let shared = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in shared..from.len() {
        out.push("..");
    }
    for component in &target[shared..] {
        out.push(component);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_out_of_the_folder_and_down_again() {
        let path = |s: &str| PathBuf::from(s);
        assert_eq!(
            relative_path(&path("/out/sub"), &path("/out/a.html")),
            path("../a.html")
        );
        assert_eq!(
            relative_path(&path("/out"), &path("/out/sub/b.html")),
            path("sub/b.html")
        );
        assert_eq!(
            relative_path(&path("/out/x/y"), &path("/out/z/b.html")),
            path("../../z/b.html")
        );
        assert_eq!(absolute(&path("/a/./b/../c.md")), path("/a/c.md"));
    }
}
