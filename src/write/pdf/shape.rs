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
    /// In a cluster of more than one character or glyph: the character of the cluster that
    /// the face's own character map gives this glyph (a letter or mark drawn as itself), so
    /// its text can be told from its neighbours' whatever order shaping put them in.
    pub own_char: Option<char>,
    /// Shaped right to left (the glyphs of the run come in visual order).
    pub rtl: bool,
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
            let glyphs = crate::write::fonts::shape_run(&face.shaper, &text[start..end], rtl);
            let scale = 1.0 / face.units_per_em;
            let infos = glyphs.glyph_infos();
            // Cluster starts in text order, to find where each glyph's cluster ends.
            let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
            starts.sort_unstable();
            starts.dedup();
            let run_text = &text[start..end];
            // Glyphs per cluster, by the cluster's place in `starts` (a word of 300,000
            // letters has as many clusters: no scan of every glyph for each).
            let mut glyph_counts = vec![0u32; starts.len()];
            for info in infos {
                let at = starts.partition_point(|&s| s < info.cluster as usize);
                if let Some(count) = glyph_counts.get_mut(at) {
                    *count += 1;
                }
            }
            for (info, pos) in infos.iter().zip(glyphs.glyph_positions()) {
                let gid = u16::try_from(info.glyph_id).unwrap_or(0);
                let from = info.cluster as usize;
                let to = starts
                    .get(starts.partition_point(|&s| s <= from))
                    .copied()
                    .unwrap_or(run_text.len());
                let cluster = run_text.get(from..to).unwrap_or("");
                let glyph_count = glyph_counts
                    .get(starts.partition_point(|&s| s < from))
                    .copied()
                    .unwrap_or(1);
                // The usual one-letter, one-glyph cluster needs no look-up.
                let simple = glyph_count == 1 && cluster.chars().nth(1).is_none();
                let own_char = if simple {
                    None
                } else {
                    cluster.chars().find(|&c| {
                        face.shaper
                            .glyph_index(c)
                            .is_some_and(|g| g.0 == gid && gid != 0)
                    })
                };
                out.push(ShapedGlyph {
                    face: face_id,
                    gid,
                    advance: pos.x_advance as f32 * scale,
                    x_offset: pos.x_offset as f32 * scale,
                    y_offset: pos.y_offset as f32 * scale,
                    cluster: start + from,
                    own_char,
                    rtl,
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

/// What one glyph stands for in the PDF's text: its own characters, for the ToUnicode map
/// (one entry per glyph for the whole file, so only what the glyph always means), and, on the
/// first glyph of a cluster whose glyphs do not spell its text in order, the cluster's text
/// as `/ActualText` (the glyphs after it in the same cluster carry `Some("")`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GlyphText {
    pub text: String,
    pub actual: Option<Box<str>>,
}

/// The text each glyph stands for. A glyph drawn as one of its cluster's characters (the
/// face's character map says so) stands for that character; the cluster's other characters
/// go to its first glyph that is no character's own (a ligature, a conjunct, a decomposed
/// vowel), else to its first glyph. When the glyphs, read in order, do not give the cluster's
/// text (a Devanagari vowel sign drawn before its consonant, a Thai vowel drawn in two parts),
/// the cluster also gets its text as `/ActualText`, so copying and searching give the
/// characters in the order they were written.
pub fn cluster_texts(text: &str, glyphs: &[ShapedGlyph]) -> Vec<GlyphText> {
    // Glyph indices grouped by cluster, clusters in text order, glyphs in visual order
    // within each: one sort, so a word of any length costs n·log n (not a scan of every
    // glyph for each cluster).
    let mut by_cluster: Vec<usize> = (0..glyphs.len()).collect();
    by_cluster.sort_by_key(|&i| (glyphs[i].cluster, i));
    // Right-to-left runs come in visual order: clusters decrease along the glyphs.
    let rtl = glyphs.first().is_some_and(|g| g.rtl);
    let mut texts = vec![GlyphText::default(); glyphs.len()];
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
        if let [only] = members {
            texts[*only].text = cluster.to_string();
        } else if !members.is_empty() {
            assign_cluster(cluster, members, glyphs, rtl, &mut texts);
        }
        group_start = group_end;
    }
    texts
}

/// The texts of a cluster of several glyphs (`members`, in logical order for left-to-right
/// text, see [`cluster_texts`]).
fn assign_cluster(
    cluster: &str,
    members: &[usize],
    glyphs: &[ShapedGlyph],
    rtl: bool,
    texts: &mut [GlyphText],
) {
    let mut left: Vec<char> = cluster.chars().collect();
    let mut own = vec![false; members.len()];
    for (k, &g) in members.iter().enumerate() {
        if let Some(c) = glyphs[g].own_char {
            if let Some(at) = left.iter().position(|&l| l == c) {
                left.remove(at);
                texts[g].text = c.to_string();
                own[k] = true;
            }
        }
    }
    if !left.is_empty() {
        let unowned: Vec<usize> = (0..members.len()).filter(|&k| !own[k]).collect();
        if left.len() == unowned.len() {
            // As many characters as glyphs not their own (a right-to-left letter in its
            // joining form and its marks): one character each, in order.
            for (&k, c) in unowned.iter().zip(&left) {
                texts[members[k]].text = c.to_string();
            }
        } else {
            let k = own.iter().position(|o| !o).unwrap_or(0);
            let rest: String = left.iter().collect();
            texts[members[k]].text.push_str(&rest);
        }
    }
    // Right-to-left text is read back by its readers' own reordering, which takes a span's
    // text for one character and turns it around (pdftotext gave "ًل" for "لً"): it keeps
    // its glyphs' texts, which a joining form's one-to-one shaping makes reliable.
    if rtl {
        return;
    }
    // Do the glyphs, in the order they are drawn, spell the cluster, each glyph its own?
    let spelled: String = members.iter().map(|&g| texts[g].text.as_str()).collect();
    // Only a glyph's own character is what it means everywhere: the ToUnicode map has one
    // entry per glyph for the whole file, so a cluster that needs a guess (a ligature of a
    // vowel sign and a nasal mark, which reads "ें" in one word and "ं" in another) gets
    // its text in a span instead.
    let all_own = own.iter().all(|&o| o);
    let drawn_in_order =
        members.windows(2).all(|w| w[0] < w[1]) || members.windows(2).all(|w| w[0] > w[1]);
    if spelled == cluster && all_own && drawn_in_order {
        return;
    }
    // The span covers the cluster's glyphs as drawn: from the first drawn to the last.
    // Inside it a glyph keeps only the character it is drawn as: what the others were given
    // above is a guess that holds for this cluster, and the ToUnicode map would give it to
    // the glyph everywhere (a conjunct given "ত্রী" here read as "ত্রীী" beside its own ী).
    let first = *members.iter().min().unwrap_or(&members[0]);
    for (k, &g) in members.iter().enumerate() {
        texts[g].actual = Some(if g == first {
            cluster.into()
        } else {
            "".into()
        });
        if !own[k] {
            texts[g].text.clear();
        }
    }
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
        assert_eq!(texts[0].text, "fi");
        assert_eq!(texts[0].actual, None);
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
        let texts = cluster_texts(text, &glyphs);
        let own: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(own, vec!["q", "\u{301}", "x"]);
        assert!(texts.iter().all(|t| t.actual.is_none()));
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

    fn glyph(gid: u16, cluster: usize, own_char: Option<char>) -> ShapedGlyph {
        ShapedGlyph {
            face: 0,
            gid,
            advance: 0.5,
            x_offset: 0.0,
            y_offset: 0.0,
            cluster,
            own_char,
            rtl: false,
        }
    }

    #[test]
    fn a_vowel_sign_drawn_before_its_consonant_reads_in_written_order() {
        // "हि": the vowel sign I (U+093F) is drawn left of HA, so the glyphs alone read "िह".
        let text = "हि";
        let glyphs = [glyph(7, 0, Some('ि')), glyph(5, 0, Some('ह'))];
        let texts = cluster_texts(text, &glyphs);
        assert_eq!(texts[0].text, "ि");
        assert_eq!(texts[1].text, "ह");
        assert_eq!(texts[0].actual.as_deref(), Some("हि"));
        assert_eq!(texts[1].actual.as_deref(), Some(""));
    }

    #[test]
    fn a_vowel_drawn_in_two_parts_keeps_one_text_and_each_glyph_its_own() {
        // Thai "น้ำ": SARA AM is drawn as NIKHAHIT and SARA AA, neither its own glyph.
        let text = "น้ำ";
        let glyphs = [
            glyph(10, 0, Some('น')),
            glyph(11, 0, None),
            glyph(12, 0, Some('\u{E49}')),
            glyph(13, 0, None),
        ];
        let texts = cluster_texts(text, &glyphs);
        let own: Vec<&str> = texts.iter().map(|t| t.text.as_str()).collect();
        // The consonant is never given the whole cluster (it would read so everywhere), nor
        // a glyph that is no character's own a guess.
        assert_eq!(own, vec!["น", "", "\u{E49}", ""]);
        assert_eq!(texts[0].actual.as_deref(), Some(text));
        assert!(texts[1..].iter().all(|t| t.actual.as_deref() == Some("")));
    }

    #[test]
    fn a_conjunct_reads_through_a_span_and_its_glyph_gets_no_guess() {
        // "क्षा": one glyph for KA+VIRAMA+SSA, no character's own, then AA. The conjunct's
        // text holds for this cluster only, so it goes in the span, not in the glyph's map.
        let text = "क्षा";
        let glyphs = [glyph(20, 0, None), glyph(21, 0, Some('ा'))];
        let texts = cluster_texts(text, &glyphs);
        assert_eq!(texts[0].text, "");
        assert_eq!(texts[1].text, "ा");
        assert_eq!(texts[0].actual.as_deref(), Some(text));
        assert_eq!(texts[1].actual.as_deref(), Some(""));
    }

    #[test]
    fn a_right_to_left_letter_and_its_mark_keep_their_own_texts_in_order() {
        // "لً" in one cluster, drawn right to left: the mark, then LAM in its joining form
        // (no character's own glyph). Readers of right-to-left text reorder it themselves
        // and turn a span's text around, so no span: each glyph its character.
        let text = "لً";
        let mut glyphs = [glyph(31, 0, Some('\u{64B}')), glyph(30, 0, None)];
        for g in &mut glyphs {
            g.rtl = true;
        }
        let texts = cluster_texts(text, &glyphs);
        assert_eq!(texts[0].text, "\u{64B}");
        assert_eq!(texts[1].text, "ل");
        assert!(texts.iter().all(|t| t.actual.is_none()));
    }
}
