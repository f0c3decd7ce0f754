//! The faces a PDF is set in: the bundled Noto families plus the user's fallback fonts.
//!
//! Layout and emitting both refer to a face by its [`FaceId`] (an index into [`FontSet`]).
//! Metrics and shaping come from rustybuzz; only `emit.rs` hands the bytes to printpdf.

use crate::error::Warning;
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

const SERIF_REGULAR: &[u8] = include_bytes!("../../../fonts/NotoSerif-Regular.ttf");
const SERIF_ITALIC: &[u8] = include_bytes!("../../../fonts/NotoSerif-Italic.ttf");
const SERIF_BOLD: &[u8] = include_bytes!("../../../fonts/NotoSerif-Bold.ttf");
const SERIF_BOLD_ITALIC: &[u8] = include_bytes!("../../../fonts/NotoSerif-BoldItalic.ttf");
const SANS_REGULAR: &[u8] = include_bytes!("../../../fonts/NotoSans-Regular.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../../fonts/NotoSans-Bold.ttf");
const MONO_REGULAR: &[u8] = include_bytes!("../../../fonts/NotoSansMono-Regular.ttf");
const MONO_BOLD: &[u8] = include_bytes!("../../../fonts/NotoSansMono-Bold.ttf");

/// The bundled faces, in [`FaceId`] order.
const BUNDLED: [(&str, &[u8]); 8] = [
    ("NotoSerif-Regular", SERIF_REGULAR),
    ("NotoSerif-Italic", SERIF_ITALIC),
    ("NotoSerif-Bold", SERIF_BOLD),
    ("NotoSerif-BoldItalic", SERIF_BOLD_ITALIC),
    ("NotoSans-Regular", SANS_REGULAR),
    ("NotoSans-Bold", SANS_BOLD),
    ("NotoSansMono-Regular", MONO_REGULAR),
    ("NotoSansMono-Bold", MONO_BOLD),
];

/// One loaded face.
pub struct Face<'a> {
    pub name: String,
    pub bytes: &'a [u8],
    pub shaper: rustybuzz::Face<'a>,
    pub units_per_em: f32,
}

impl<'a> Face<'a> {
    fn parse(name: String, bytes: &'a [u8]) -> Option<Face<'a>> {
        let shaper = rustybuzz::Face::from_slice(bytes, 0)?;
        let units_per_em = f32::from(shaper.units_per_em().max(1) as u16);
        Some(Face {
            name,
            bytes,
            shaper,
            units_per_em,
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

/// The user's font files, read once so that faces can borrow their bytes.
#[derive(Debug, Default)]
pub struct UserFonts {
    pub files: Vec<(String, Vec<u8>)>,
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
        UserFonts { files }
    }
}

fn face_name_from_path(path: &Path) -> String {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("UserFont");
    let clean: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if clean.is_empty() {
        "UserFont".to_string()
    } else {
        clean
    }
}

/// All faces available to a document: the eight bundled ones first, then user fallbacks.
pub struct FontSet<'a> {
    faces: Vec<Face<'a>>,
}

impl<'a> FontSet<'a> {
    pub fn new(user: &'a UserFonts, warnings: &mut Vec<Warning>) -> FontSet<'a> {
        let mut faces = Vec::new();
        for (name, bytes) in BUNDLED {
            // The bundled files are known-good; a failure here is a broken build.
            if let Some(face) = Face::parse(name.to_string(), bytes) {
                faces.push(face);
            }
        }
        for (name, bytes) in &user.files {
            match Face::parse(name.clone(), bytes) {
                Some(face) => faces.push(face),
                None => warnings.push(Warning::new(format!(
                    "font {name}: not a TrueType/OpenType font; not used"
                ))),
            }
        }
        FontSet { faces }
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
    /// faces, then the user's fonts in order. `None` if no face has it.
    pub fn fallback_for(&self, primary: FaceId, c: char) -> Option<FaceId> {
        if self.face(primary).has_char(c) {
            return Some(primary);
        }
        // Same family first keeps weight and look as close as possible.
        let order = [0usize, 4, 6, 2, 5, 7, 1, 3];
        order
            .iter()
            .copied()
            .chain(BUNDLED.len()..self.faces.len())
            .find(|&id| id < self.faces.len() && self.faces[id].has_char(c))
    }
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
}
