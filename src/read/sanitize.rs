//! What every reader's document passes through before anyone sees it: control characters
//! out, and every URL through the one policy ([`crate::model::url`]).
//!
//! Doing it here, once, for all readers means a writer never meets a NUL, an ESC or a
//! `javascript:` link, whichever reader (or hand-edited JSON) the document came from. A refused
//! link becomes its text, a refused image its alt text, a refused metadata URL is left empty;
//! each kind is said once, in a warning.

use crate::error::{counted, Warning};
use crate::model::url::{is_allowed, is_external_link, UrlUse};
use crate::model::{is_stray_control, normalize_inlines, Attr, Block, Document, Inline, Meta};

/// Removes stray control characters from decoded input before a reader sees it, in place.
/// Carriage returns and form feeds are kept here: readers take them for line and block
/// breaks (the model pass then removes any left in text). Returns how many were removed.
pub(crate) fn strip_input_controls(text: &mut String) -> usize {
    let is_removed = |c: char| is_stray_control(c) && c != '\r' && c != '\u{c}';
    // Most inputs have none: one scan of the bytes, no copy.
    if !has_input_control(text.as_bytes()) {
        return 0;
    }
    let mut removed = 0;
    text.retain(|c| {
        let remove = is_removed(c);
        removed += usize::from(remove);
        !remove
    });
    removed
}

/// Whether `bytes` (UTF-8) hold a character [`strip_input_controls`] removes: a C0 control
/// other than tab, line feed, carriage return and form feed, DEL, or a C1 control (U+0080 to
/// U+009F, which UTF-8 writes as 0xC2 then 0x80..=0x9F).
///
/// Byte by byte rather than char by char: every page read passes here, and decoding each
/// character cost about as much as parsing the page's tags. A block of bytes is first tested
/// with plain comparisons the compiler turns into vector code; only a block with a candidate
/// (any byte under 0x20, DEL, or 0xC2, which also starts common letters like U+00A0) is looked
/// at closely. A UTF-8 continuation byte is never under 0x80, so a match is never mid-character.
/// The line breaks and tabs that every page has are no candidates: with them, nearly every
/// block was looked at byte by byte.
fn has_input_control(bytes: &[u8]) -> bool {
    const BLOCK: usize = 64;
    let candidate = |b: u8| {
        (b < 0x20 && b != b'\t' && b != b'\n' && b != b'\r' && b != 0x0c) || b == 0x7f || b == 0xc2
    };
    let exact = |at: usize| match bytes[at] {
        b'\t' | b'\n' | b'\r' | 0x0c => false,
        0xc2 => bytes
            .get(at + 1)
            .is_some_and(|next| (0x80..=0x9f).contains(next)),
        b => b < 0x20 || b == 0x7f,
    };
    for (index, block) in bytes.chunks(BLOCK).enumerate() {
        // `fold`, not `any`: no early exit, so the whole block is compared at once.
        if block.iter().fold(false, |seen, &b| seen | candidate(b)) {
            let start = index * BLOCK;
            if (start..start + block.len()).any(|at| candidate(bytes[at]) && exact(at)) {
                return true;
            }
        }
    }
    false
}

/// What the pass removed, for the warnings.
#[derive(Default)]
struct Sanitizer {
    controls: usize,
    refused_links: usize,
    refused_images: usize,
    first_refused_link: Option<String>,
    first_refused_image: Option<String>,
    warnings: Vec<Warning>,
}

/// Cleans `document` in place: control characters out of every string, URLs that the policy
/// refuses out of links, images and metadata. `controls_removed` is what was already taken out
/// of the input text, so that one warning tells the whole count.
pub(crate) fn sanitize(document: &mut Document, controls_removed: usize) -> Vec<Warning> {
    let mut pass = Sanitizer {
        controls: controls_removed,
        ..Sanitizer::default()
    };
    pass.meta(&mut document.meta);
    pass.blocks(&mut document.blocks);
    pass.finish()
}

impl Sanitizer {
    fn finish(mut self) -> Vec<Warning> {
        if self.controls > 0 {
            self.warnings.insert(
                0,
                Warning::new(format!(
                    "removed {} (such as NUL or ESC) that {} not text",
                    counted(self.controls, "control character", "control characters"),
                    if self.controls == 1 { "is" } else { "are" }
                )),
            );
        }
        if self.refused_links > 0 {
            self.warnings.push(Warning::new(format!(
                "{} with a URL that is not allowed (such as {}) became plain text",
                counted(self.refused_links, "link", "links"),
                shown(self.first_refused_link.as_deref().unwrap_or_default())
            )));
        }
        if self.refused_images > 0 {
            self.warnings.push(Warning::new(format!(
                "{} with a URL that is not allowed (such as {}) {} left out",
                counted(self.refused_images, "image", "images"),
                shown(self.first_refused_image.as_deref().unwrap_or_default()),
                if self.refused_images == 1 {
                    "was"
                } else {
                    "were"
                }
            )));
        }
        self.warnings
    }

    fn text(&mut self, text: &mut String) -> bool {
        if !text.chars().any(is_stray_control) {
            return false;
        }
        let mut removed = 0;
        text.retain(|c| {
            let remove = is_stray_control(c);
            removed += usize::from(remove);
            !remove
        });
        self.controls += removed;
        true
    }

    fn boxed(&mut self, text: &mut Box<str>) {
        if text.chars().any(is_stray_control) {
            let mut owned = String::from(std::mem::take(text));
            self.text(&mut owned);
            *text = owned.into_boxed_str();
        }
    }

    fn option(&mut self, text: &mut Option<String>) {
        if let Some(text) = text {
            self.text(text);
        }
    }

    fn attr(&mut self, attr: &mut Attr) {
        self.text(&mut attr.id);
        for class in &mut attr.classes {
            self.text(class);
        }
        for (key, value) in &mut attr.attributes {
            self.text(key);
            self.text(value);
        }
    }

    fn meta(&mut self, meta: &mut Meta) {
        for field in [
            &mut meta.title,
            &mut meta.subtitle,
            &mut meta.language,
            &mut meta.site_name,
            &mut meta.description,
        ] {
            self.option(field);
        }
        for text in meta.authors.iter_mut().chain(&mut meta.keywords) {
            self.text(text);
        }
        self.meta_url(&mut meta.source_url, "source", UrlUse::Link);
        // A source is a page a reader can open: a path (`in/tech.html`, as older quire wrote
        // in front matter) names no page on the web.
        if let Some(path) = meta.source_url.take_if(|u| !is_external_link(u)) {
            self.warnings.push(Warning::new(format!(
                "the source {} is not a URL (a local file has none); it was left out",
                shown(&path)
            )));
        }
        self.meta_url(&mut meta.lead_image, "lead image", UrlUse::Image);
    }

    fn meta_url(&mut self, url: &mut Option<String>, what: &str, use_: UrlUse) {
        self.option(url);
        if let Some(refused) = url.take_if(|u| !is_allowed(u, use_)) {
            self.warnings.push(Warning::new(format!(
                "the {what} URL {} is not allowed; it was left out",
                shown(&refused)
            )));
        }
    }

    fn blocks(&mut self, blocks: &mut Vec<Block>) {
        let mut refused_figures = false;
        for block in blocks.iter_mut() {
            match block {
                Block::Paragraph(inlines) => self.root_inlines(inlines),
                Block::Heading { id, content, .. } => {
                    self.boxed(id);
                    self.root_inlines(content);
                }
                Block::Quote(inner) => self.blocks(inner),
                Block::List(list) => {
                    for item in &mut list.items {
                        self.blocks(item);
                    }
                }
                Block::Code { language, text } => {
                    if let Some(language) = language {
                        self.boxed(language);
                    }
                    self.text(text);
                }
                Block::Table(table) => {
                    self.root_inlines(&mut table.caption);
                    for row in table.head.iter_mut().chain(&mut table.body) {
                        for cell in &mut row.cells {
                            self.blocks(&mut cell.content);
                        }
                    }
                }
                Block::Figure(figure) => {
                    self.text(&mut figure.image.alt);
                    self.option(&mut figure.image.title);
                    self.root_inlines(&mut figure.caption);
                    if !self.image_allowed(&mut figure.image.src) {
                        refused_figures = true;
                    }
                }
                Block::Rule => {}
                Block::Container { attr, blocks } => {
                    self.attr(attr);
                    self.blocks(blocks);
                }
            }
        }
        if refused_figures {
            // A figure whose image is refused keeps its words: the caption, else the alt text.
            let old = std::mem::take(blocks);
            for block in old {
                match block {
                    Block::Figure(figure) if !is_allowed(&figure.image.src, UrlUse::Image) => {
                        let words = if figure.caption.is_empty() {
                            normalize_inlines(vec![Inline::Text(figure.image.alt)])
                        } else {
                            figure.caption
                        };
                        if !words.is_empty() {
                            blocks.push(Block::Paragraph(words));
                        }
                    }
                    other => blocks.push(other),
                }
            }
        }
    }

    /// A paragraph's worth of inlines: cleaned, and normalised again when that changed
    /// anything (a removed control can leave two spaces or an empty text behind).
    fn root_inlines(&mut self, inlines: &mut Vec<Inline>) {
        if self.inlines(inlines) {
            *inlines = normalize_inlines(std::mem::take(inlines));
        }
    }

    /// Cleans inlines; says whether anything changed, so that the paragraph they belong to is
    /// normalised again.
    fn inlines(&mut self, inlines: &mut Vec<Inline>) -> bool {
        let mut changed = false;
        let mut refused = false;
        for inline in inlines.iter_mut() {
            match inline {
                Inline::Text(text) | Inline::Code(text) => changed |= self.text(text),
                Inline::Emphasis(inner)
                | Inline::Strong(inner)
                | Inline::Strikethrough(inner)
                | Inline::Superscript(inner)
                | Inline::Subscript(inner) => changed |= self.inlines(inner),
                Inline::Link(link) => {
                    self.option(&mut link.title);
                    changed |= self.inlines(&mut link.content);
                    if !self.link_allowed(&mut link.url) {
                        refused = true;
                    }
                }
                Inline::Image(image) => {
                    self.text(&mut image.alt);
                    self.option(&mut image.title);
                    if !self.image_allowed(&mut image.src) {
                        refused = true;
                    }
                }
                Inline::LineBreak => {}
                Inline::Math(math) => {
                    self.option(&mut math.tex);
                    if let Some(mathml) = &mut math.mathml {
                        self.text(mathml);
                    }
                    // MathML that is not the well-formed, script-free kind readers write
                    // (hand-edited JSON) is dropped: writers make it again from the TeX.
                    if let Some(mathml) = math
                        .mathml
                        .take_if(|mathml| !crate::math::is_clean_mathml(mathml))
                    {
                        if math.tex.as_deref().is_none_or(|t| t.trim().is_empty()) {
                            math.tex = Some(crate::math::mathml_text(&mathml));
                        }
                    }
                }
                Inline::Note(blocks) => self.blocks(blocks),
                Inline::Span { attr, content } => {
                    self.attr(attr);
                    changed |= self.inlines(content);
                }
            }
        }
        if refused {
            // A refused link becomes its text; a refused image its alt text.
            let old = std::mem::take(inlines);
            for inline in old {
                match inline {
                    Inline::Link(link) if !is_allowed(&link.url, UrlUse::Link) => {
                        inlines.extend(link.content)
                    }
                    Inline::Image(image) if !is_allowed(&image.src, UrlUse::Image) => {
                        if !image.alt.is_empty() {
                            inlines.push(Inline::Text(image.alt));
                        }
                    }
                    other => inlines.push(other),
                }
            }
        }
        changed || refused
    }

    /// Cleans a link's URL; false when the policy refuses it (counted for the warning).
    fn link_allowed(&mut self, url: &mut String) -> bool {
        self.text(url);
        let allowed = is_allowed(url, UrlUse::Link);
        if !allowed {
            self.refused_links += 1;
            self.first_refused_link.get_or_insert_with(|| url.clone());
        }
        allowed
    }

    /// Cleans an image's URL; false when the policy refuses it (counted for the warning).
    fn image_allowed(&mut self, src: &mut String) -> bool {
        self.text(src);
        let allowed = is_allowed(src, UrlUse::Image);
        if !allowed {
            self.refused_images += 1;
            self.first_refused_image.get_or_insert_with(|| src.clone());
        }
        allowed
    }
}

/// A refused URL as a warning shows it: quoted, control characters escaped, at most 60
/// characters (a `data:` URL can be megabytes).
fn shown(url: &str) -> String {
    let mut out: String = url.chars().take(60).flat_map(char::escape_debug).collect();
    if url.chars().nth(60).is_some() {
        out.push('…');
    }
    format!("\"{out}\"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Image;

    /// The byte scan agrees with the character-by-character definition for every character
    /// from U+0000 to U+0800 (all controls, and every character whose UTF-8 starts with 0xC2),
    /// wherever it falls against the scan's 64-byte blocks, in text with other letters around.
    #[test]
    fn the_byte_scan_finds_exactly_the_removed_characters() {
        let removed = |c: char| is_stray_control(c) && c != '\r' && c != '\u{c}';
        for c in (0..0x800u32).filter_map(char::from_u32) {
            for before in [0, 1, 62, 63, 64, 127] {
                let text = format!("{}{c}é\u{a0}x", "a".repeat(before));
                assert_eq!(
                    has_input_control(text.as_bytes()),
                    removed(c),
                    "U+{:04X} after {before} bytes",
                    c as u32
                );
            }
        }
        // A lone 0xC2 lead at the very end (not valid UTF-8, but the scan must not read past).
        assert!(!has_input_control(&[b'a', 0xc2]));
        assert!(has_input_control("\u{a0}\u{85}".as_bytes()));
    }

    #[test]
    fn refused_links_become_text_and_controls_go() {
        let mut document = Document::new(
            Meta {
                source_url: Some("java\tscript:alert(1)".into()),
                lead_image: Some("https://ex.org/a.png".into()),
                ..Meta::default()
            },
            vec![Block::Paragraph(vec![
                Inline::text("a\u{0}b "),
                Inline::link("java\u{1}script:x", None, vec![Inline::text("here")]),
                Inline::text(" and "),
                Inline::image(Image {
                    src: "file:///etc/passwd".into(),
                    alt: "pic".into(),
                    title: None,
                    ..Default::default()
                }),
            ])],
        );
        let warnings = sanitize(&mut document, 0);
        assert_eq!(document.meta.source_url, None);
        assert_eq!(
            document.meta.lead_image.as_deref(),
            Some("https://ex.org/a.png")
        );
        assert_eq!(
            document.blocks,
            [Block::Paragraph(vec![Inline::text("ab here and pic")])]
        );
        assert_eq!(warnings.len(), 4, "{warnings:?}");
    }
}
