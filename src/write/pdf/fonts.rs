//! The faces a PDF is set in: the bundled Noto families plus the user's fallback fonts.
//!
//! Layout and emitting both refer to a face by its [`FaceId`] (an index into [`FontSet`]).
//! Metrics and shaping come from rustybuzz; only `emit.rs` hands the bytes to printpdf.
//!
//! For scripts none of these cover, [`UserFonts::discover`] adds installed faces chosen
//! per script and style (see `write::fonts`), before the set is built.

use crate::error::Warning;
use crate::model::Document;
use crate::write::fonts::chain::Want;
use crate::write::fonts::scan::{Covered, Needs};
use crate::write::fonts::system::{self, Search};
use std::path::{Path, PathBuf};

/// Index of a face in a [`FontSet`].
pub type FaceId = usize;

/// The three families a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Body text.
    Serif,
    /// Headings, running header, page numbers.
    Sans,
    /// Code.
    Mono,
}

/// What a run of text asks for; [`FontSet::face_for`] turns it into a face.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FontStyle {
    pub family: Family,
    pub bold: bool,
    pub italic: bool,
}

impl FontStyle {
    pub const BODY: FontStyle = FontStyle {
        family: Family::Serif,
        bold: false,
        italic: false,
    };
}

pub(crate) use crate::bundled::{MONO_REGULAR, SANS_REGULAR, SERIF_ITALIC, SERIF_REGULAR};

/// The bundled faces, in [`FaceId`] order.
const BUNDLED: [(&str, &[u8]); 8] = crate::bundled::ALL;

/// One loaded face.
pub struct Face<'a> {
    pub name: String,
    pub bytes: &'a [u8],
    pub shaper: rustybuzz::Face<'a>,
    pub units_per_em: f32,
    /// The face's index in `bytes` when they are a collection (`.ttc`), else 0.
    pub index: u32,
}

impl<'a> Face<'a> {
    fn parse(name: String, bytes: &'a [u8], index: u32) -> Option<Face<'a>> {
        let shaper = rustybuzz::Face::from_slice(bytes, index)?;
        let units_per_em = f32::from(shaper.units_per_em().max(1) as u16);
        Some(Face {
            name,
            bytes,
            shaper,
            units_per_em,
            index,
        })
    }

    pub fn has_char(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some()
    }

    /// The glyph's advance as the font's `hmtx` table states it, in ems.
    pub fn default_advance(&self, gid: u16) -> f32 {
        self.shaper
            .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid))
            .map_or(0.0, |a| f32::from(a) / self.units_per_em)
    }
}

/// The user's font files, and the installed faces found for the document's scripts, read
/// once so that faces can borrow their bytes.
#[derive(Debug, Default)]
pub struct UserFonts {
    pub files: Vec<(String, Vec<u8>)>,
    /// The files discovered faces are in, each read once (a collection serves several).
    pub sources: Vec<Vec<u8>>,
    /// Faces found by [`UserFonts::discover`], tried after the user's own.
    pub discovered: Vec<DiscoveredFace>,
    /// Where each of `sources` was read from.
    source_paths: Vec<PathBuf>,
}

/// An installed face chosen for a script the bundled faces lack.
#[derive(Debug, Clone)]
pub struct DiscoveredFace {
    pub name: String,
    /// Index into [`UserFonts::sources`].
    pub source: usize,
    /// The face's index in a collection.
    pub index: u32,
    /// The styles it was chosen to set.
    pub wants: Vec<Want>,
}

impl UserFonts {
    /// Reads the files; one that cannot be read becomes a warning.
    pub fn load(paths: &[PathBuf], warnings: &mut Vec<Warning>) -> UserFonts {
        let mut files = Vec::new();
        for path in paths {
            match std::fs::read(path) {
                Ok(bytes) => files.push((face_name_from_path(path), bytes)),
                Err(e) => warnings.push(Warning::new(format!(
                    "font {}: {e}; not used",
                    path.display()
                ))),
            }
        }
        UserFonts {
            files,
            ..UserFonts::default()
        }
    }

    /// Finds installed faces for the scripts of `document` that neither the bundled faces
    /// nor the user's fonts cover, and reads them. Returns whether the font folders were
    /// searched: a document the faces at hand cover costs one pass over its text and
    /// nothing more.
    pub fn discover(
        &mut self,
        document: &Document,
        search: Search<'_>,
        warnings: &mut Vec<Warning>,
    ) -> bool {
        let language = document.meta.language.as_deref();
        self.discover_for(
            &mut |covered| Needs::of_document(document, covered),
            language,
            search,
            warnings,
        )
    }

    /// Like [`UserFonts::discover`], for the text `needs` scans (given what the faces at
    /// hand cover).
    pub fn discover_for(
        &mut self,
        needs: &mut dyn FnMut(&mut Covered) -> Needs,
        language: Option<&str>,
        search: Search<'_>,
        warnings: &mut Vec<Warning>,
    ) -> bool {
        if search.is_off() {
            return false;
        }
        let needs = {
            // Parsing the faces at hand is most of this call's time; text that stays within
            // what the bundled fonts surely have (most covers and most pages) needs none.
            let mut at_hand: Option<FontSet> = None;
            let user: &UserFonts = self;
            needs(&mut |c| {
                is_invisible(c)
                    || surely_bundled(c)
                    || at_hand
                        .get_or_insert_with(|| FontSet::new(user, &mut Vec::new()))
                        .covers(c)
            })
        };
        if needs.is_empty() {
            return false;
        }
        for found in system::find(&needs, language, search, &Want::USED) {
            let source = match self.source_of(&found.path) {
                Ok(source) => source,
                Err(e) => {
                    warnings.push(Warning::new(format!(
                        "font {}: {e}; not used",
                        found.path.display()
                    )));
                    continue;
                }
            };
            self.discovered.push(DiscoveredFace {
                name: clean_name(&found.name),
                source,
                index: found.index,
                wants: found.wants,
            });
        }
        true
    }

    /// The index in `sources` of the file at `path`, reading it the first time.
    fn source_of(&mut self, path: &Path) -> std::io::Result<usize> {
        if let Some(i) = self.source_paths.iter().position(|p| p == path) {
            return Ok(i);
        }
        self.sources.push(std::fs::read(path)?);
        self.source_paths.push(path.to_path_buf());
        Ok(self.sources.len() - 1)
    }
}

/// A name fit for a PDF font name: letters, digits and hyphens.
fn clean_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if clean.is_empty() {
        "SystemFont".to_string()
    } else {
        clean
    }
}

fn face_name_from_path(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("UserFont");
    match clean_name(stem).as_str() {
        "SystemFont" => "UserFont".to_string(),
        clean => clean.to_string(),
    }
}

/// All faces available to a document: the eight bundled ones first, then the user's
/// fonts, then the discovered ones.
pub struct FontSet<'a> {
    faces: Vec<Face<'a>>,
    /// Where the discovered faces start in `faces`.
    discovered_start: usize,
    /// For each discovered face (from `discovered_start`), the styles it sets.
    discovered_wants: Vec<Vec<Want>>,
}

impl<'a> FontSet<'a> {
    pub fn new(user: &'a UserFonts, warnings: &mut Vec<Warning>) -> FontSet<'a> {
        let mut faces = Vec::new();
        for (name, bytes) in BUNDLED {
            // The bundled files are known-good; a failure here is a broken build.
            if let Some(face) = Face::parse(name.to_string(), bytes, 0) {
                faces.push(face);
            }
        }
        for (name, bytes) in &user.files {
            match Face::parse(name.clone(), bytes, 0) {
                Some(face) => faces.push(face),
                None => warnings.push(Warning::new(format!(
                    "font {name}: not a TrueType/OpenType font; not used"
                ))),
            }
        }
        let discovered_start = faces.len();
        let mut discovered_wants = Vec::new();
        for found in &user.discovered {
            let bytes = user
                .sources
                .get(found.source)
                .map_or(&[][..], Vec::as_slice);
            match Face::parse(found.name.clone(), bytes, found.index) {
                Some(face) => {
                    faces.push(face);
                    discovered_wants.push(found.wants.clone());
                }
                None => warnings.push(Warning::new(format!(
                    "font {}: could not be read; not used",
                    found.name
                ))),
            }
        }
        FontSet {
            faces,
            discovered_start,
            discovered_wants,
        }
    }

    /// Whether any face of the set has `c`.
    pub fn covers(&self, c: char) -> bool {
        self.faces.iter().any(|face| face.has_char(c))
    }

    pub fn face(&self, id: FaceId) -> &Face<'a> {
        // Ids only come from this set; fall back to the first face rather than panic.
        self.faces.get(id).unwrap_or(&self.faces[0])
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.faces.len()
    }

    /// The face that sets a style.
    pub fn face_for(&self, style: FontStyle) -> FaceId {
        match (style.family, style.bold, style.italic) {
            (Family::Serif, false, false) => 0,
            (Family::Serif, false, true) => 1,
            (Family::Serif, true, false) => 2,
            (Family::Serif, true, true) => 3,
            (Family::Sans, false, _) => 4,
            (Family::Sans, true, _) => 5,
            (Family::Mono, false, _) => 6,
            (Family::Mono, true, _) => 7,
        }
    }

    /// The face to set `c` in when the style's own face lacks it: the other bundled
    /// faces, then the user's fonts in order, then the discovered face chosen for the
    /// primary face's style (else any discovered face that has it). `None` if no face has it.
    pub fn fallback_for(&self, primary: FaceId, c: char) -> Option<FaceId> {
        if self.face(primary).has_char(c) {
            return Some(primary);
        }
        // Same family first keeps weight and look as close as possible.
        let order = [0usize, 4, 6, 2, 5, 7, 1, 3];
        let at_hand = order
            .iter()
            .copied()
            .chain(BUNDLED.len()..self.discovered_start)
            .find(|&id| id < self.faces.len() && self.faces[id].has_char(c));
        at_hand.or_else(|| self.discovered_for(bundled_want(primary), c))
    }

    /// The discovered face with `c` chosen for `want`, else the nearest in style.
    fn discovered_for(&self, want: Want, c: char) -> Option<FaceId> {
        let distance = |wants: &[Want]| {
            wants
                .iter()
                .map(|w| w.distance(want))
                .min()
                .unwrap_or(u8::MAX)
        };
        self.discovered_wants
            .iter()
            .enumerate()
            .map(|(i, wants)| (distance(wants), self.discovered_start + i))
            .filter(|&(_, id)| self.faces[id].has_char(c))
            .min()
            .map(|(_, id)| id)
    }
}

/// The style a bundled face sets, as the fallback chain sees it: code is set like headings
/// (sans), as no script's monospaced face is likely to be installed.
fn bundled_want(id: FaceId) -> Want {
    match id {
        0 | 1 => Want::new(false, false),
        2 | 3 => Want::new(false, true),
        5 | 7 => Want::new(true, true),
        _ => Want::new(true, false),
    }
    .italic_if(id == 1 || id == 3)
}

/// Characters the bundled faces have (a test checks each of them): printable ASCII,
/// the Latin-1 and Latin Extended-A letters and signs, and the common punctuation of
/// General Punctuation (dashes, quotes, ellipsis, bullet, per mille, guillemets).
fn surely_bundled(c: char) -> bool {
    matches!(
        c,
        ' '..='~'
            | '\u{00A0}'..='\u{017F}'
            | '\u{2010}'..='\u{2027}'
            | '\u{2030}'..='\u{203A}'
            | '\u{20AC}'
    )
}

/// Characters that never need a glyph: layout turns them into space or nothing.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}'
    ) || c.is_control()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_faces_have_what_they_surely_have() {
        let bundled_only = UserFonts::default();
        let at_hand = FontSet::new(&bundled_only, &mut Vec::new());
        let sure: Vec<char> = (0..=0x2FFF_u32)
            .filter_map(char::from_u32)
            .filter(|&c| surely_bundled(c))
            .collect();
        assert_eq!(sure.len(), 355);
        let missing: Vec<char> = sure
            .iter()
            .copied()
            .filter(|&c| !at_hand.covers(c))
            .collect();
        assert!(missing.is_empty(), "{missing:?}");
        // And the fast path is no wider than that: Greek, Cyrillic, CJK and the Latin
        // Extended-B letters go to the faces.
        for c in ['α', 'Ж', '中', 'ǅ', '\u{2044}'] {
            assert!(!surely_bundled(c), "{c}");
        }
    }

    #[test]
    fn bundled_faces_load_and_cover_cyrillic_and_greek() {
        let user = UserFonts::default();
        let mut warnings = Vec::new();
        let set = FontSet::new(&user, &mut warnings);
        assert_eq!(set.len(), 8);
        assert!(warnings.is_empty());
        for c in ['a', 'Ж', 'λ', '—', '“'] {
            assert_eq!(set.fallback_for(0, c), Some(0), "{c}");
        }
        assert_eq!(set.fallback_for(0, '中'), None);
        assert!(set.face(0).units_per_em > 0.0);
    }

    fn document(title: &str, text: &str) -> Document {
        use crate::model::{Block, Inline, Meta};
        let meta = Meta {
            title: Some(title.to_string()),
            ..Meta::default()
        };
        Document::new(meta, vec![Block::Paragraph(vec![Inline::text(text)])])
    }

    #[test]
    fn documents_the_bundled_faces_cover_search_no_font_folder() {
        // The system's folders may be searched here: a search would report it.
        let search = Search {
            system: true,
            dirs: &[],
        };
        for (title, text) in [
            ("Plain", "ASCII only."),
            ("Ελληνικά", "Кириллица и “кавычки” — café, naïve, Øre, ſ."),
        ] {
            let mut user = UserFonts::default();
            let mut warnings = Vec::new();
            assert!(
                !user.discover(&document(title, text), search, &mut warnings),
                "{text}"
            );
            assert!(user.discovered.is_empty() && user.sources.is_empty());
            assert!(warnings.is_empty());
        }
    }

    #[test]
    fn other_scripts_search_the_folders_given() {
        let empty = tempfile::tempdir().unwrap();
        let dirs = [empty.path().to_path_buf()];
        let search = Search {
            system: false,
            dirs: &dirs,
        };
        let mut user = UserFonts::default();
        let chinese = document("标题", "中文段落。");
        assert!(user.discover(&chinese, search, &mut Vec::new()));
        // The folder is empty: nothing found, and the set is the bundled faces alone.
        assert!(user.discovered.is_empty());
        assert_eq!(FontSet::new(&user, &mut Vec::new()).len(), 8);
        // Searching nowhere is not searching.
        let nowhere = Search {
            system: false,
            dirs: &[],
        };
        assert!(!user.discover(&chinese, nowhere, &mut Vec::new()));
    }
}
