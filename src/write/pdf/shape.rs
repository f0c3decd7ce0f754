//! Shaping: text in a face → positioned glyphs, with kerning and ligatures (rustybuzz).
//!
//! Characters the face lacks are set in the first fallback face that has them; characters
//! no face has are drawn as the primary face's `.notdef` box and remembered, so the writer
//! can warn once per script.

use super::fonts::{is_invisible, FaceId, FontSet};
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

/// One glyph after shaping. Advances and offsets are in ems (multiply by the font size).
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedGlyph {
    pub face: FaceId,
    pub gid: u16,
    pub advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// Byte offset, in the shaped text, of the cluster this glyph belongs to.
    pub cluster: usize,
}

/// Shapes text, remembering results: articles repeat their words a lot.
pub struct Shaper<'f, 'a> {
    pub fonts: &'f FontSet<'a>,
    cache: HashMap<(FaceId, bool, String), Rc<[ShapedGlyph]>>,
    /// Characters no face has, in code point order.
    pub missing: BTreeSet<char>,
}

impl<'f, 'a> Shaper<'f, 'a> {
    pub fn new(fonts: &'f FontSet<'a>) -> Shaper<'f, 'a> {
        Shaper {
            fonts,
            cache: HashMap::new(),
            missing: BTreeSet::new(),
        }
    }

    /// Shapes `text` (one direction, no line breaks) starting in face `primary`. Glyphs come
    /// in visual order: for right-to-left text the first glyph is the rightmost character.
    pub fn shape(&mut self, text: &str, primary: FaceId, rtl: bool) -> Rc<[ShapedGlyph]> {
        let key = (primary, rtl, text.to_string());
        if let Some(hit) = self.cache.get(&key) {
            return Rc::clone(hit);
        }
        let shaped: Rc<[ShapedGlyph]> = self.shape_uncached(text, primary, rtl).into();
        self.cache.insert(key, Rc::clone(&shaped));
        shaped
    }

    fn shape_uncached(&mut self, text: &str, primary: FaceId, rtl: bool) -> Vec<ShapedGlyph> {
        // Split into runs that one face can set.
        let mut runs: Vec<(FaceId, usize, usize)> = Vec::new();
        for (i, c) in text.char_indices() {
            let face = if is_invisible(c) || c.is_whitespace() {
                runs.last().map_or(primary, |r| r.0)
            } else {
                match self.fonts.fallback_for(primary, c) {
                    Some(f) => f,
                    None => {
                        self.missing.insert(c);
                        primary
                    }
                }
            };
            match runs.last_mut() {
                Some(run) if run.0 == face => run.2 = i + c.len_utf8(),
                _ => runs.push((face, i, i + c.len_utf8())),
            }
        }
        if rtl {
            runs.reverse();
        }
        let mut out = Vec::with_capacity(text.len());
        for (face_id, start, end) in runs {
            let face = self.fonts.face(face_id);
            let mut buffer = rustybuzz::UnicodeBuffer::new();
            buffer.push_str(&text[start..end]);
            buffer.set_direction(if rtl {
                rustybuzz::Direction::RightToLeft
            } else {
                rustybuzz::Direction::LeftToRight
            });
            let glyphs = rustybuzz::shape(&face.shaper, &[], buffer);
            let scale = 1.0 / face.units_per_em;
            for (info, pos) in glyphs.glyph_infos().iter().zip(glyphs.glyph_positions()) {
                out.push(ShapedGlyph {
                    face: face_id,
                    gid: u16::try_from(info.glyph_id).unwrap_or(0),
                    advance: pos.x_advance as f32 * scale,
                    x_offset: pos.x_offset as f32 * scale,
                    y_offset: pos.y_offset as f32 * scale,
                    cluster: start + info.cluster as usize,
                });
            }
        }
        out
    }

    /// The width of `text` in ems.
    pub fn width(&mut self, text: &str, primary: FaceId) -> f32 {
        self.shape(text, primary, false)
            .iter()
            .map(|g| g.advance)
            .sum()
    }
}

/// The text each glyph stands for, for the PDF's ToUnicode map. A cluster of as many glyphs
/// as characters (a base and its marks) maps one character to each glyph in logical order;
/// otherwise (a ligature, a decomposition) the first glyph gets the whole cluster's text
/// and the others none.
pub fn cluster_texts(text: &str, glyphs: &[ShapedGlyph]) -> Vec<String> {
    // Glyph indices grouped by cluster, clusters in text order, glyphs in visual order
    // within each: one sort, so a word of any length costs n·log n (not a scan of every
    // glyph for each cluster).
    let mut by_cluster: Vec<usize> = (0..glyphs.len()).collect();
    by_cluster.sort_by_key(|&i| (glyphs[i].cluster, i));
    // Right-to-left runs come in visual order: clusters decrease along the glyphs.
    let rtl = glyphs
        .first()
        .zip(glyphs.last())
        .is_some_and(|(a, b)| a.cluster > b.cluster);
    let mut texts = vec![String::new(); glyphs.len()];
    let mut group_start = 0;
    while group_start < by_cluster.len() {
        let start = glyphs[by_cluster[group_start]].cluster;
        let group_end = by_cluster[group_start..]
            .iter()
            .position(|&i| glyphs[i].cluster != start)
            .map_or(by_cluster.len(), |p| group_start + p);
        // The cluster runs to the next cluster's start (or the end of the text).
        let end = by_cluster
            .get(group_end)
            .map_or(text.len(), |&i| glyphs[i].cluster);
        let members = &mut by_cluster[group_start..group_end];
        if rtl {
            members.reverse();
        }
        let cluster = text.get(start..end).unwrap_or("");
        if cluster.chars().count() == members.len() {
            for (&glyph, c) in members.iter().zip(cluster.chars()) {
                texts[glyph] = c.to_string();
            }
        } else if let Some(&first) = members.first() {
            texts[first] = cluster.to_string();
        }
        group_start = group_end;
    }
    texts
}

#[cfg(test)]
mod tests {
    use super::super::fonts::UserFonts;
    use super::*;

    #[test]
    fn ligatures_and_kerning_apply() {
        let user = UserFonts::default();
        let fonts = FontSet::new(&user, &mut Vec::new());
        let mut shaper = Shaper::new(&fonts);
        let fi = shaper.shape("fi", 0, false);
        assert_eq!(fi.len(), 1, "fi should become one ligature glyph");
        let texts = cluster_texts("fi", &fi);
        assert_eq!(texts, vec!["fi".to_string()]);
        // Kerning: "AV" is narrower than "A" + "V".
        let av = shaper.width("AV", 0);
        let sum = shaper.width("A", 0) + shaper.width("V", 0);
        assert!(av < sum, "{av} < {sum}");
    }

    #[test]
    fn marks_keep_their_own_text() {
        let user = UserFonts::default();
        let fonts = FontSet::new(&user, &mut Vec::new());
        let mut shaper = Shaper::new(&fonts);
        // No precomposed q-acute exists: base and mark are two glyphs of one cluster.
        let text = "q\u{301}x";
        let glyphs = shaper.shape(text, 0, false);
        assert_eq!(glyphs.len(), 3);
        assert_eq!(cluster_texts(text, &glyphs), vec!["q", "\u{301}", "x"]);
    }

    #[test]
    fn missing_characters_are_remembered() {
        let user = UserFonts::default();
        let fonts = FontSet::new(&user, &mut Vec::new());
        let mut shaper = Shaper::new(&fonts);
        let glyphs = shaper.shape("a中b", 0, false);
        assert_eq!(glyphs.len(), 3);
        assert_eq!(glyphs[1].gid, 0);
        assert!(shaper.missing.contains(&'中'));
    }
}
