//! An independent check of the glyphs a PDF shows: the PDF is parsed with lopdf (not with
//! anything quire's writer uses to build it), every page's content stream is walked (`Tf`
//! selects a font; `Tj`, `TJ`, `'` and `"` show strings; `q`/`Q` save and restore the font;
//! form XObjects are entered), each shown code is mapped through its font to a glyph id, and
//! the glyph is looked up in the font program embedded in the PDF. A glyph is a problem when
//! it is `.notdef` (glyph 0, the empty box), when the font has no such glyph, or when it has no
//! outline although the font's ToUnicode map says it stands for a visible character
//! (whitespace and invisible format characters have none) and it takes up room (a blank glyph
//! of no width is left by fonts where another glyph of the cluster draws the character).
//!
//! The fonts read are the ones quire writes (Type0 with `Identity-H`/`Identity-V`, a
//! `CIDFontType2` with `FontFile2` or a `CIDFontType0` with `FontFile3`, `CIDToGIDMap`
//! `Identity` or a stream). Any other font is reported as one the checker cannot read, never
//! passed as clean.

use std::collections::HashMap;
use std::fmt;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use rustybuzz::ttf_parser;

/// What is wrong with one shown glyph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum What {
    /// Glyph 0: the font's `.notdef`, drawn as an empty box.
    NotDef,
    /// A glyph id past the end of the font.
    NoSuchGlyph,
    /// A glyph without an outline, for a character that should be seen.
    NoOutline,
    /// The font (or its program) is of a kind this checker cannot read, or is broken.
    Unreadable(String),
}

/// One glyph shown on a page that a reader will not see as the character it stands for.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// The page, from 1.
    pub(crate) page: u32,
    /// The font's resource name and base font, e.g. `QUIRAA (QUIRAA+NotoSerif-Regular)`.
    pub(crate) font: String,
    /// The code shown (for `Identity-H`, the CID).
    pub(crate) code: u32,
    /// What the font's ToUnicode map says the code stands for, if it says.
    pub(crate) text: Option<String>,
    pub(crate) what: What,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match &self.text {
            Some(text) => {
                let codes: Vec<String> = text
                    .chars()
                    .map(|c| format!("U+{:04X}", c as u32))
                    .collect();
                format!("{text:?} ({})", codes.join(" "))
            }
            None => "no ToUnicode entry".to_string(),
        };
        write!(
            f,
            "page {}, font {}, code {:#06x} = {text}: {:?}",
            self.page, self.font, self.code, self.what
        )
    }
}

/// What the check found: how many glyphs it looked at, and the problems among them.
#[derive(Debug, Default)]
pub(crate) struct Report {
    pub(crate) glyphs: usize,
    pub(crate) problems: Vec<Problem>,
}

impl Report {
    /// The problems, one a line, the same glyph in the same font said once (with a count).
    pub(crate) fn summary(&self) -> String {
        let mut seen: Vec<(String, u32, usize)> = Vec::new();
        let mut lines: Vec<String> = Vec::new();
        for problem in &self.problems {
            if let Some(entry) = seen
                .iter_mut()
                .find(|(font, code, _)| *font == problem.font && *code == problem.code)
            {
                entry.2 += 1;
                continue;
            }
            seen.push((problem.font.clone(), problem.code, 1));
            lines.push(problem.to_string());
        }
        let mut out = String::new();
        for (line, (_, _, count)) in lines.iter().zip(&seen) {
            out.push_str(line);
            if *count > 1 {
                out.push_str(&format!(" (×{count})"));
            }
            out.push('\n');
        }
        out
    }
}

/// Checks every glyph every page of `pdf` shows (see the module docs). A PDF that does not
/// parse is one problem on page 0.
pub(crate) fn check(pdf: &[u8]) -> Report {
    let mut report = Report::default();
    let doc = match Document::load_mem(pdf) {
        Ok(doc) => doc,
        Err(e) => {
            report.problems.push(Problem {
                page: 0,
                font: String::new(),
                code: 0,
                text: None,
                what: What::Unreadable(format!("the PDF does not parse: {e}")),
            });
            return report;
        }
    };
    let mut fonts: HashMap<ObjectId, Font> = HashMap::new();
    for (page, page_id) in doc.get_pages() {
        let content = doc.get_page_content(page_id);
        let resources = page_resources(&doc, page_id);
        walk(&doc, &content, &resources, page, 0, &mut fonts, &mut report);
    }
    report
}

/// Form XObjects nest; a PDF that nests them deeper than this is not quire's.
const MAX_FORM_DEPTH: usize = 8;

/// The page's resource dictionary (its own, else the nearest inherited one).
fn page_resources(doc: &Document, page_id: ObjectId) -> Dictionary {
    let Ok((own, inherited)) = doc.get_page_resources(page_id) else {
        return Dictionary::new();
    };
    if let Some(own) = own {
        return own.clone();
    }
    inherited
        .first()
        .and_then(|id| doc.get_dictionary(*id).ok())
        .cloned()
        .unwrap_or_default()
}

/// `dict[key]`, a reference followed.
fn get<'d>(doc: &'d Document, dict: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    let object = dict.get(key).ok()?;
    doc.dereference(object).ok().map(|(_, o)| o)
}

fn get_dict<'d>(doc: &'d Document, dict: &'d Dictionary, key: &[u8]) -> Option<&'d Dictionary> {
    get(doc, dict, key).and_then(|o| o.as_dict().ok())
}

fn name_of(object: Option<&Object>) -> Option<String> {
    object
        .and_then(|o| o.as_name().ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
}

/// Walks one content stream with its resources: the font state and the text it shows.
fn walk(
    doc: &Document,
    content: &[u8],
    resources: &Dictionary,
    page: u32,
    depth: usize,
    fonts: &mut HashMap<ObjectId, Font>,
    report: &mut Report,
) {
    let operations = match Content::decode(content) {
        Ok(content) => content.operations,
        Err(e) => {
            report.problems.push(Problem {
                page,
                font: String::new(),
                code: 0,
                text: None,
                what: What::Unreadable(format!("a content stream does not parse: {e}")),
            });
            return;
        }
    };
    let font_resources = get_dict(doc, resources, b"Font");
    // The font in use, with the fonts `q` saved.
    let mut current: Option<(String, Option<ObjectId>)> = None;
    let mut saved: Vec<Option<(String, Option<ObjectId>)>> = Vec::new();
    for op in operations {
        let shown: Vec<&[u8]> = match op.operator.as_str() {
            "q" => {
                saved.push(current.clone());
                continue;
            }
            "Q" => {
                current = saved.pop().unwrap_or_default();
                continue;
            }
            "Tf" => {
                let name = name_of(op.operands.first()).unwrap_or_default();
                let id = font_resources
                    .and_then(|f| f.get(name.as_bytes()).ok())
                    .and_then(|o| o.as_reference().ok());
                current = Some((name, id));
                continue;
            }
            "Tj" | "'" => op.operands.iter().filter_map(string_bytes).collect(),
            "\"" => op
                .operands
                .get(2)
                .and_then(string_bytes)
                .into_iter()
                .collect(),
            "TJ" => op
                .operands
                .first()
                .and_then(|o| o.as_array().ok())
                .map(|items| items.iter().filter_map(string_bytes).collect())
                .unwrap_or_default(),
            "Do" if depth < MAX_FORM_DEPTH => {
                enter_form(doc, resources, &op.operands, page, depth, fonts, report);
                continue;
            }
            _ => continue,
        };
        if shown.is_empty() {
            continue;
        }
        let Some((name, id)) = &current else {
            report.problems.push(Problem {
                page,
                font: String::new(),
                code: 0,
                text: None,
                what: What::Unreadable("text shown with no font selected".into()),
            });
            continue;
        };
        let Some(id) = id else {
            report.problems.push(Problem {
                page,
                font: name.clone(),
                code: 0,
                text: None,
                what: What::Unreadable(
                    "the font is not an indirect object of the page's resources".into(),
                ),
            });
            continue;
        };
        let font = fonts
            .entry(*id)
            .or_insert_with(|| Font::read(doc, *id, name));
        for bytes in shown {
            font.check(bytes, page, report);
        }
    }
}

/// The bytes of a string operand.
fn string_bytes(object: &Object) -> Option<&[u8]> {
    match object {
        Object::String(bytes, _) => Some(bytes),
        _ => None,
    }
}

/// `Do` with a form XObject: its content is walked with its own resources (or the caller's).
fn enter_form(
    doc: &Document,
    resources: &Dictionary,
    operands: &[Object],
    page: u32,
    depth: usize,
    fonts: &mut HashMap<ObjectId, Font>,
    report: &mut Report,
) {
    let Some(name) = name_of(operands.first()) else {
        return;
    };
    let Some(stream) = get_dict(doc, resources, b"XObject")
        .and_then(|x| get(doc, x, name.as_bytes()))
        .and_then(|o| o.as_stream().ok())
    else {
        return;
    };
    if name_of(get(doc, &stream.dict, b"Subtype")).as_deref() != Some("Form") {
        return;
    }
    let content = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let own = get_dict(doc, &stream.dict, b"Resources").cloned();
    walk(
        doc,
        &content,
        own.as_ref().unwrap_or(resources),
        page,
        depth + 1,
        fonts,
        report,
    );
}

/// How a CID becomes a glyph id.
enum CidToGid {
    Identity,
    /// A `CIDToGIDMap` stream: two bytes a CID.
    Map(Vec<u16>),
    /// A CID-keyed CFF font: its own charset maps CIDs to glyphs.
    Cff(HashMap<u16, u16>),
}

/// The embedded program of a font.
enum Program {
    /// TrueType or OpenType (`FontFile2`, `FontFile3` of subtype `OpenType`).
    Sfnt(Vec<u8>),
    /// A bare CFF font (`FontFile3` of subtype `CIDFontType0C` or `Type1C`).
    Cff(Vec<u8>),
}

/// A Type0 font as the checker reads it, or why it cannot.
struct Font {
    label: String,
    readable: Result<Readable, String>,
    /// Whether the font was already reported as unreadable (once is enough).
    reported: bool,
    /// Each code's verdict, once looked up.
    verdicts: HashMap<u32, Option<What>>,
}

struct Readable {
    program: Program,
    cid_to_gid: CidToGid,
    to_unicode: HashMap<u32, String>,
}

impl Font {
    fn read(doc: &Document, id: ObjectId, name: &str) -> Font {
        let dict = doc.get_dictionary(id).ok();
        let base = dict
            .and_then(|d| name_of(get(doc, d, b"BaseFont")))
            .unwrap_or_default();
        Font {
            label: format!("{name} ({base})"),
            readable: dict
                .ok_or_else(|| "the font is not a dictionary".to_string())
                .and_then(|d| Readable::read(doc, d)),
            reported: false,
            verdicts: HashMap::new(),
        }
    }

    fn check(&mut self, bytes: &[u8], page: u32, report: &mut Report) {
        let readable = match &self.readable {
            Ok(readable) => readable,
            Err(why) => {
                if !self.reported {
                    self.reported = true;
                    report.problems.push(Problem {
                        page,
                        font: self.label.clone(),
                        code: 0,
                        text: None,
                        what: What::Unreadable(why.clone()),
                    });
                }
                return;
            }
        };
        if bytes.len() % 2 != 0 {
            report.problems.push(Problem {
                page,
                font: self.label.clone(),
                code: bytes.len() as u32,
                text: None,
                what: What::Unreadable(
                    "a string of an odd number of bytes in a two-byte encoding".into(),
                ),
            });
        }
        for pair in bytes.chunks_exact(2) {
            let code = u32::from(u16::from_be_bytes([pair[0], pair[1]]));
            report.glyphs += 1;
            let verdict = self
                .verdicts
                .entry(code)
                .or_insert_with(|| readable.verdict(code))
                .clone();
            if let Some(what) = verdict {
                report.problems.push(Problem {
                    page,
                    font: self.label.clone(),
                    code,
                    text: readable.to_unicode.get(&code).cloned(),
                    what,
                });
            }
        }
    }
}

impl Readable {
    fn read(doc: &Document, font: &Dictionary) -> Result<Readable, String> {
        let subtype = name_of(get(doc, font, b"Subtype")).unwrap_or_default();
        if subtype != "Type0" {
            return Err(format!(
                "a {subtype} font: the checker reads Type0 (composite) fonts only"
            ));
        }
        let encoding = get(doc, font, b"Encoding");
        match name_of(encoding).as_deref() {
            Some("Identity-H" | "Identity-V") => {}
            _ => return Err(format!("encoding {encoding:?}: only Identity-H/V is read")),
        }
        let descendant = get(doc, font, b"DescendantFonts")
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok())
            .ok_or("no descendant font")?;
        let descriptor =
            get_dict(doc, descendant, b"FontDescriptor").ok_or("no font descriptor")?;
        let program = if let Some(stream) = get(doc, descriptor, b"FontFile2") {
            Program::Sfnt(stream_content(stream)?)
        } else if let Some(stream) = get(doc, descriptor, b"FontFile3") {
            let bytes = stream_content(stream)?;
            let kind = stream
                .as_stream()
                .ok()
                .and_then(|s| name_of(get(doc, &s.dict, b"Subtype")));
            match kind.as_deref() {
                Some("OpenType") => Program::Sfnt(bytes),
                Some("CIDFontType0C" | "Type1C") => Program::Cff(bytes),
                other => return Err(format!("a FontFile3 of subtype {other:?}")),
            }
        } else {
            return Err("the font is not embedded (no FontFile2 or FontFile3)".into());
        };
        // The program must parse, or every glyph would be reported for the same reason.
        match &program {
            Program::Sfnt(bytes) => {
                ttf_parser::Face::parse(bytes, 0)
                    .map_err(|e| format!("the embedded font does not parse: {e}"))?;
            }
            Program::Cff(bytes) => {
                ttf_parser::cff::Table::parse(bytes).ok_or("the embedded CFF does not parse")?;
            }
        }
        let cid_to_gid = match (&program, get(doc, descendant, b"CIDToGIDMap")) {
            (Program::Cff(bytes), _) => cff_cid_map(bytes),
            (_, None) => CidToGid::Identity,
            (_, Some(Object::Name(name))) if name == b"Identity" => CidToGid::Identity,
            (_, Some(object @ Object::Stream(_))) => CidToGid::Map(
                stream_content(object)?
                    .chunks_exact(2)
                    .map(|p| u16::from_be_bytes([p[0], p[1]]))
                    .collect(),
            ),
            (_, Some(other)) => return Err(format!("CIDToGIDMap {other:?}")),
        };
        let to_unicode = get(doc, font, b"ToUnicode")
            .map(stream_content)
            .transpose()?
            .map(|bytes| parse_to_unicode(&bytes))
            .unwrap_or_default();
        Ok(Readable {
            program,
            cid_to_gid,
            to_unicode,
        })
    }

    /// What is wrong with the glyph `code` shows, if anything.
    fn verdict(&self, code: u32) -> Option<What> {
        let gid = match &self.cid_to_gid {
            CidToGid::Identity => u16::try_from(code).ok(),
            CidToGid::Map(map) => map.get(code as usize).copied(),
            CidToGid::Cff(map) => u16::try_from(code).ok().and_then(|c| map.get(&c).copied()),
        };
        let Some(gid) = gid else {
            return Some(What::NoSuchGlyph);
        };
        if gid == 0 {
            return Some(What::NotDef);
        }
        let mut sink = Sink;
        let (count, outlined) = match &self.program {
            Program::Sfnt(bytes) => {
                let face = ttf_parser::Face::parse(bytes, 0).expect("parsed when read");
                let id = ttf_parser::GlyphId(gid);
                // A blank glyph of no width is part of a cluster drawn by its other glyphs
                // (a font may leave a mark's glyph blank where a ligature draws the mark).
                let zero_width = face.glyph_hor_advance(id) == Some(0);
                (
                    face.number_of_glyphs(),
                    gid < face.number_of_glyphs()
                        && (zero_width || face.outline_glyph(id, &mut sink).is_some()),
                )
            }
            Program::Cff(bytes) => {
                let table = ttf_parser::cff::Table::parse(bytes).expect("parsed when read");
                let id = ttf_parser::GlyphId(gid);
                (
                    table.number_of_glyphs(),
                    gid < table.number_of_glyphs() && table.outline(id, &mut sink).is_ok(),
                )
            }
        };
        if gid >= count {
            return Some(What::NoSuchGlyph);
        }
        let invisible = self
            .to_unicode
            .get(&code)
            .is_some_and(|text| !text.is_empty() && text.chars().all(is_invisible));
        (!outlined && !invisible).then_some(What::NoOutline)
    }
}

/// Characters drawn with no ink: whitespace and the format characters that shape or steer
/// text (joiners, marks of direction, the word joiner, the byte order mark).
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{00AD}')
}

/// CIDs to glyphs in a CFF font: its charset when it is CID-keyed, else the identity.
fn cff_cid_map(bytes: &[u8]) -> CidToGid {
    let Some(table) = ttf_parser::cff::Table::parse(bytes) else {
        return CidToGid::Identity;
    };
    let map: HashMap<u16, u16> = (0..table.number_of_glyphs())
        .filter_map(|gid| {
            table
                .glyph_cid(ttf_parser::GlyphId(gid))
                .map(|cid| (cid, gid))
        })
        .collect();
    if map.is_empty() {
        CidToGid::Identity
    } else {
        CidToGid::Cff(map)
    }
}

/// The decoded bytes of a stream object.
fn stream_content(object: &Object) -> Result<Vec<u8>, String> {
    let stream = object
        .as_stream()
        .map_err(|_| "a font stream that is not a stream".to_string())?;
    if stream.dict.get(b"Filter").is_ok() {
        stream
            .decompressed_content()
            .map_err(|e| format!("a font stream does not decode: {e}"))
    } else {
        Ok(stream.content.clone())
    }
}

/// An outline builder that keeps nothing: whether there is an outline is all that matters.
struct Sink;

impl ttf_parser::OutlineBuilder for Sink {
    fn move_to(&mut self, _: f32, _: f32) {}
    fn line_to(&mut self, _: f32, _: f32) {}
    fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
    fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
    fn close(&mut self) {}
}

/// A token of a CMap: a hex string, an array bracket or a word (names, numbers, operators).
#[derive(Debug, PartialEq)]
enum Token {
    Hex(Vec<u8>),
    Open,
    Close,
    Word(String),
}

fn cmap_tokens(data: &[u8]) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < data.len() {
        match data[i] {
            b'%' => {
                while i < data.len() && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'<' => {
                let end = data[i..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(data.len(), |p| i + p);
                let digits: Vec<u8> = data[i + 1..end]
                    .iter()
                    .filter(|b| b.is_ascii_hexdigit())
                    .copied()
                    .collect();
                let bytes = digits
                    .chunks(2)
                    .map(|pair| {
                        let text = std::str::from_utf8(pair).unwrap_or("0");
                        // An odd last digit is followed by an implied 0.
                        u8::from_str_radix(&format!("{text:0<2}"), 16).unwrap_or(0)
                    })
                    .collect();
                tokens.push(Token::Hex(bytes));
                i = end + 1;
            }
            b'[' => {
                tokens.push(Token::Open);
                i += 1;
            }
            b']' => {
                tokens.push(Token::Close);
                i += 1;
            }
            b if b.is_ascii_whitespace() => i += 1,
            _ => {
                let start = i;
                while i < data.len()
                    && !data[i].is_ascii_whitespace()
                    && !matches!(data[i], b'<' | b'[' | b']' | b'%' | b'(' | b'/')
                    || i == start
                {
                    i += 1;
                }
                tokens.push(Token::Word(
                    String::from_utf8_lossy(&data[start..i]).into_owned(),
                ));
            }
        }
    }
    tokens
}

fn be_number(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b))
}

fn utf16_text(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// A ToUnicode CMap's `bfchar` and `bfrange` entries: code → text.
pub(crate) fn parse_to_unicode(data: &[u8]) -> HashMap<u32, String> {
    let tokens = cmap_tokens(data);
    let mut map = HashMap::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            Token::Word(w) if w == "beginbfchar" => {
                i += 1;
                while let (Some(Token::Hex(src)), Some(Token::Hex(dst))) =
                    (tokens.get(i), tokens.get(i + 1))
                {
                    map.insert(be_number(src), utf16_text(dst));
                    i += 2;
                }
            }
            Token::Word(w) if w == "beginbfrange" => {
                i += 1;
                while let (Some(Token::Hex(lo)), Some(Token::Hex(hi))) =
                    (tokens.get(i), tokens.get(i + 1))
                {
                    let (lo, hi) = (be_number(lo), be_number(hi));
                    // A hostile range must not make the map huge.
                    let hi = hi.min(lo.saturating_add(0xFFFF));
                    match tokens.get(i + 2) {
                        Some(Token::Hex(dst)) => {
                            let mut units: Vec<u16> = dst
                                .chunks(2)
                                .map(|p| u16::from_be_bytes([p[0], *p.get(1).unwrap_or(&0)]))
                                .collect();
                            for code in lo..=hi {
                                map.insert(code, String::from_utf16_lossy(&units));
                                if let Some(last) = units.last_mut() {
                                    *last = last.wrapping_add(1);
                                }
                            }
                            i += 3;
                        }
                        Some(Token::Open) => {
                            i += 3;
                            let mut code = lo;
                            while let Some(Token::Hex(dst)) = tokens.get(i) {
                                if code <= hi {
                                    map.insert(code, utf16_text(dst));
                                }
                                code += 1;
                                i += 1;
                            }
                            if tokens.get(i) == Some(&Token::Close) {
                                i += 1;
                            }
                        }
                        _ => break,
                    }
                }
            }
            _ => i += 1,
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::{dictionary, Stream};
    use quire::{InputFormat, OutputFormat, ReadOptions, WriteOptions};

    /// A font quire bundles, read from the repository, for PDFs made by hand.
    fn bundled_font() -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/NotoSans-Regular.ttf");
        std::fs::read(path).expect("the bundled font")
    }

    /// A one-page PDF made without quire: `glyphs` (with the text each stands for) shown in
    /// `font` as a Type0 font with Identity-H and an identity CIDToGIDMap.
    fn hand_made_pdf(font: &[u8], glyphs: &[(u16, &str)]) -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let program = doc.add_object(Stream::new(
            dictionary! { "Length1" => font.len() as i64 },
            font.to_vec(),
        ));
        let descriptor = doc.add_object(dictionary! {
            "Type" => "FontDescriptor",
            "FontName" => "NotoSans-Regular",
            "Flags" => 32,
            "FontBBox" => vec![0.into(), 0.into(), 1000.into(), 1000.into()],
            "ItalicAngle" => 0,
            "Ascent" => 1000,
            "Descent" => -200,
            "CapHeight" => 700,
            "StemV" => 80,
            "FontFile2" => program,
        });
        let descendant = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "CIDFontType2",
            "BaseFont" => "NotoSans-Regular",
            "CIDSystemInfo" => dictionary! {
                "Registry" => Object::string_literal("Adobe"),
                "Ordering" => Object::string_literal("Identity"),
                "Supplement" => 0,
            },
            "FontDescriptor" => descriptor,
            "CIDToGIDMap" => "Identity",
        });
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
             1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        cmap.push_str(&format!("{} beginbfchar\n", glyphs.len()));
        for (gid, text) in glyphs {
            let units: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
            cmap.push_str(&format!("<{gid:04X}> <{units}>\n"));
        }
        cmap.push_str("endbfchar\nendcmap\nend\nend\n");
        let to_unicode = doc.add_object(Stream::new(dictionary! {}, cmap.into_bytes()));
        let font_id = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type0",
            "BaseFont" => "NotoSans-Regular",
            "Encoding" => "Identity-H",
            "DescendantFonts" => vec![descendant.into()],
            "ToUnicode" => to_unicode,
        });
        let shown: Vec<u8> = glyphs
            .iter()
            .flat_map(|(gid, _)| gid.to_be_bytes())
            .collect();
        let content = format!(
            "BT /F1 12 Tf 72 700 Td <{}> Tj ET",
            shown.iter().map(|b| format!("{b:02X}")).collect::<String>()
        );
        let content = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let pages = doc.new_object_id();
        let page = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => content,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        });
        doc.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages",
                "Kids" => vec![page.into()],
                "Count" => 1,
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).expect("the PDF is written");
        bytes
    }

    /// The glyph `c` has in `font` (0 when it has none).
    fn glyph(font: &[u8], c: char) -> u16 {
        let face = ttf_parser::Face::parse(font, 0).unwrap();
        face.glyph_index(c).map_or(0, |g| g.0)
    }

    /// Latin text in a font that has it is clean, spaces (no outline) included.
    #[test]
    fn a_hand_made_latin_pdf_is_clean() {
        let font = bundled_font();
        let glyphs: Vec<(u16, String)> = "Hi there, PDF 2024."
            .chars()
            .map(|c| (glyph(&font, c), c.to_string()))
            .collect();
        let glyphs: Vec<(u16, &str)> = glyphs.iter().map(|(g, t)| (*g, t.as_str())).collect();
        let report = check(&hand_made_pdf(&font, &glyphs));
        assert_eq!(report.glyphs, glyphs.len());
        assert!(report.problems.is_empty(), "{}", report.summary());
    }

    /// Chinese text in a Latin font shows `.notdef`; a glyph id past the font's end, and a
    /// blank glyph standing for a letter, are caught too; the good glyphs around them (a
    /// space among them) are not.
    #[test]
    fn a_hand_made_pdf_of_chinese_in_a_latin_font_is_reported() {
        let font = bundled_font();
        let face = ttf_parser::Face::parse(&font, 0).unwrap();
        let past_the_end = face.number_of_glyphs();
        let space = glyph(&font, ' ');
        let em_space = glyph(&font, '\u{2003}');
        assert_eq!(glyph(&font, '你'), 0, "the bundled font has no Chinese");
        assert!(em_space != 0 && em_space != space, "an own blank glyph");
        let glyphs = [
            (glyph(&font, 'O'), "O"),
            (0, "你"),
            (space, " "),
            (past_the_end, "好"),
            (em_space, "A"),
            (glyph(&font, 'k'), "k"),
        ];
        let report = check(&hand_made_pdf(&font, &glyphs));
        assert_eq!(report.glyphs, glyphs.len());
        let found: Vec<(u32, Option<&str>, &What)> = report
            .problems
            .iter()
            .map(|p| (p.code, p.text.as_deref(), &p.what))
            .collect();
        assert_eq!(
            found,
            vec![
                (0, Some("你"), &What::NotDef),
                (u32::from(past_the_end), Some("好"), &What::NoSuchGlyph),
                (u32::from(em_space), Some("A"), &What::NoOutline),
            ],
            "{}",
            report.summary()
        );
    }

    fn quire_pdf(markdown: &str) -> quire::Rendered {
        let document = quire::read(
            markdown.as_bytes(),
            InputFormat::Markdown,
            &ReadOptions::default(),
        )
        .expect("reads")
        .document;
        let options = WriteOptions {
            timestamp: Some(1_700_000_000),
            ..WriteOptions::default()
        };
        quire::write(&document, OutputFormat::Pdf, &options).expect("a PDF")
    }

    /// The sample essay (English, the bundled fonts) shows thousands of glyphs, all clean.
    #[test]
    fn quire_s_english_pdf_is_clean() {
        let essay = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/essay.md");
        let rendered = quire_pdf(&std::fs::read_to_string(essay).unwrap());
        let report = check(&rendered.bytes);
        assert!(report.glyphs > 2000, "only {} glyphs seen", report.glyphs);
        assert!(report.problems.is_empty(), "{}", report.summary());
    }

    /// Chinese text made into a PDF by quire: where quire says a character has no font (with
    /// only the bundled fonts, as on main before font discovery), the checker finds the
    /// missing glyphs; where quire found a font for everything, the checker agrees.
    #[test]
    fn quire_s_chinese_pdf_is_reported_when_quire_has_no_font_for_it() {
        let rendered = quire_pdf(
            "---\ntitle: 城市里的共享单车\nlang: zh-Hans\n---\n\n早上七点，地铁站门口已经停满了共享单车。\n",
        );
        let report = check(&rendered.bytes);
        assert!(report.glyphs > 20, "only {} glyphs seen", report.glyphs);
        let quire_warned = !rendered.warnings.is_empty();
        if quire_warned {
            assert!(
                report.problems.iter().any(|p| p.what == What::NotDef),
                "quire warned {:?} but the checker found nothing",
                rendered.warnings
            );
        } else {
            assert!(report.problems.is_empty(), "{}", report.summary());
        }
    }

    #[test]
    fn to_unicode_ranges_and_arrays_are_read() {
        let cmap = b"2 beginbfrange\n<0010> <0012> <0041>\n<0020> <0021> [<00660069> <05D0>]\nendbfrange\n\
                     1 beginbfchar <0003> <0020> endbfchar";
        let map = parse_to_unicode(cmap);
        assert_eq!(map.get(&0x10).map(String::as_str), Some("A"));
        assert_eq!(map.get(&0x12).map(String::as_str), Some("C"));
        assert_eq!(map.get(&0x20).map(String::as_str), Some("fi"));
        assert_eq!(map.get(&0x21).map(String::as_str), Some("א"));
        assert_eq!(map.get(&0x03).map(String::as_str), Some(" "));
        assert_eq!(map.len(), 6);
    }
}
