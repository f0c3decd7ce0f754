//! The installed fonts: found with fontdb in the system's font folders and the user's
//! `--font-dir`s, and chosen per script and style by [`super::chain`].
//!
//! Only called when a document needs a script the bundled faces lack, so a Latin, Greek or
//! Cyrillic document never pays for the scan of the font folders.

use super::chain::{self, Candidate, Want};
use super::scan::Needs;
use std::path::{Path, PathBuf};
use unicode_script::{Script, UnicodeScript};

/// Where to look for fonts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Search<'o> {
    /// The system's font folders (on Linux /usr/share/fonts, /usr/local/share/fonts and the
    /// user's; on macOS /Library/Fonts and /System/Library/Fonts).
    pub system: bool,
    /// More folders, searched recursively.
    pub dirs: &'o [PathBuf],
}

impl Search<'_> {
    pub fn is_off(&self) -> bool {
        !self.system && self.dirs.is_empty()
    }
}

/// A face chosen for a script: where it is and which styles it sets.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub path: PathBuf,
    /// The face's index in a collection (`.ttc`); 0 in a single-face file.
    pub index: u32,
    /// The PostScript name, for the PDF's font name.
    pub name: String,
    pub script: Script,
    /// The styles this face was chosen for.
    pub wants: Vec<Want>,
}

/// For each script in `needs` and each of `wants`, the face the chain picks among the fonts
/// `search` finds. A face chosen for several styles is listed once. Scripts no face covers
/// are left out: the writer's missing-glyph warning names them.
pub(crate) fn find(
    needs: &Needs,
    language: Option<&str>,
    search: Search<'_>,
    wants: &[Want],
) -> Vec<Found> {
    if needs.is_empty() || search.is_off() {
        return Vec::new();
    }
    let mut db = fontdb::Database::new();
    if search.system {
        db.load_system_fonts();
    }
    for dir in search.dirs {
        db.load_fonts_dir(dir);
    }
    let faces: Vec<&fontdb::FaceInfo> = db.faces().filter(|f| path_of(f).is_some()).collect();
    let candidates: Vec<Candidate> = faces
        .iter()
        .map(|f| Candidate {
            families: f.families.iter().map(|(name, _)| name.clone()).collect(),
            bold: f.weight.0 >= 600,
            italic: f.style != fontdb::Style::Normal,
            monospaced: f.monospaced,
        })
        .collect();
    let has = |i: usize, chars: &[char]| -> Vec<bool> {
        db.with_face_data(faces[i].id, |data, index| {
            rustybuzz::ttf_parser::Face::parse(data, index)
                .ok()
                .map(|face| {
                    chars
                        .iter()
                        .map(|&c| face.glyph_index(c).is_some())
                        .collect()
                })
        })
        .flatten()
        .unwrap_or_else(|| vec![false; chars.len()])
    };
    let mut found: Vec<Found> = Vec::new();
    for (script, chars) in &needs.scripts {
        // A script's letters are all in one face, found for a few of them. The symbols
        // among them (met in text of that script) are spread over many faces: mathematical
        // letters in one, dingbats in another. So what the first faces lack takes more
        // rounds, each picking faces for the first character still uncovered.
        let mut left: Vec<char> = chars.iter().copied().collect();
        for round in 0..MAX_ROUNDS {
            // Symbols are probed one at a time from the start: few faces have any three.
            let probe = if round == 0 && *script != Script::Common {
                probe_chars(*script, chars)
            } else {
                left.first().copied().into_iter().collect()
            };
            if probe.is_empty() {
                break;
            }
            // Reading a face's cmap is the costly part: remember the answer per face.
            let mut coverage: Vec<Option<bool>> = vec![None; faces.len()];
            let mut covers =
                |i: usize| *coverage[i].get_or_insert_with(|| has(i, &probe).iter().all(|&h| h));
            let mut chosen = Vec::new();
            for &want in wants {
                let preferred = chain::preferred_families(*script, language, want.sans);
                let Some(i) = chain::pick(&candidates, &preferred, want, &mut covers) else {
                    continue;
                };
                let Some(path) = path_of(faces[i]) else {
                    continue;
                };
                chosen.push(i);
                let index = faces[i].index;
                match found
                    .iter_mut()
                    .find(|f| f.path == path && f.index == index && f.script == *script)
                {
                    Some(existing) if !existing.wants.contains(&want) => existing.wants.push(want),
                    Some(_) => {}
                    None => found.push(Found {
                        path: path.to_path_buf(),
                        index,
                        name: faces[i].post_script_name.clone(),
                        script: *script,
                        wants: vec![want],
                    }),
                }
            }
            // What the faces chosen have needs no other. When none was chosen, no face has
            // all of the probe: its first character is given up, the others tried alone.
            if chosen.is_empty() {
                left.retain(|c| Some(c) != probe.first());
            } else {
                left.retain(|c| !probe.contains(c));
            }
            chosen.sort_unstable();
            chosen.dedup();
            for i in chosen {
                let covered = has(i, &left);
                let mut covered = covered.into_iter();
                left.retain(|_| !covered.next().unwrap_or(false));
            }
            if round == 0 {
                // What no face has at all (an emoji, with no emoji font) is dropped in one
                // pass over the faces, not one round for each such character.
                keep_what_some_face_has(&mut left, faces.len(), &has);
            }
        }
    }
    found
}

/// Drops from `left` the characters none of the `count` faces has, reading each face's
/// cmap once at most and stopping when every character has been seen.
fn keep_what_some_face_has(
    left: &mut Vec<char>,
    count: usize,
    has: &impl Fn(usize, &[char]) -> Vec<bool>,
) {
    if left.is_empty() {
        return;
    }
    let mut anywhere = vec![false; left.len()];
    for i in 0..count {
        for (seen, has) in anywhere.iter_mut().zip(has(i, left)) {
            *seen |= has;
        }
        if anywhere.iter().all(|&seen| seen) {
            break;
        }
    }
    let mut anywhere = anywhere.into_iter();
    left.retain(|_| anywhere.next().unwrap_or(false));
}

fn path_of(face: &fontdb::FaceInfo) -> Option<&Path> {
    match &face.source {
        fontdb::Source::File(path) | fontdb::Source::SharedFile(path, _) => Some(path),
        fontdb::Source::Binary(_) => None,
    }
}

/// The most rounds of faces chosen for one script's text (see [`find`]): its letters, then
/// enough for mathematical letters, arrows, dingbats and technical signs among them, and a
/// bound on the cmap reads.
const MAX_ROUNDS: usize = 6;

/// The characters a face must have to be taken for `script`: a few of the script's own
/// letters (punctuation shared with other scripts says little about a face).
fn probe_chars(script: Script, chars: &std::collections::BTreeSet<char>) -> Vec<char> {
    let own: Vec<char> = chars
        .iter()
        .copied()
        .filter(|c| c.script() == script)
        .take(3)
        .collect();
    if own.is_empty() {
        chars.iter().copied().take(1).collect()
    } else {
        own
    }
}
