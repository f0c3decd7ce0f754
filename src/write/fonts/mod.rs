//! Fonts for the scripts the bundled Noto faces lack (Arabic, Hebrew, Devanagari, Chinese…).
//!
//! - [`scan`]: which scripts a document needs that the faces at hand do not cover (a cheap
//!   pass; ASCII text is skipped whole), and the one warning per script when nothing does.
//! - [`chain`]: for a script and a style, the families to prefer, then any face covering it.
//!   Pure: it chooses among descriptors, so it is tested without any installed font.
//! - [`system`]: the installed fonts (fontdb), searched only when [`scan`] found a need.
//!
//! The PDF writer and the EPUB cover both use it, so they fall back alike.

pub(crate) mod chain;
pub(crate) mod scan;
pub(crate) mod system;

/// Shapes one run of `text` set in one face and one direction (rustybuzz: kerning,
/// ligatures, joining, marks). Right-to-left glyphs come in visual order.
pub(crate) fn shape_run(
    face: &rustybuzz::Face<'_>,
    text: &str,
    rtl: bool,
) -> rustybuzz::GlyphBuffer {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    rustybuzz::shape(face, &[], buffer)
}
