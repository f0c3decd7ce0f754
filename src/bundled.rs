//! The fonts quire carries in its binary (`fonts/`, Noto under the SIL Open Font License):
//! Latin, Greek and Cyrillic in serif, sans and mono. The PDF writer sets text in them, the
//! EPUB cover draws its title with them, and the media store renders an SVG's text with them.
//! Each file is included once, here.

pub(crate) const SERIF_REGULAR: &[u8] = include_bytes!("../fonts/NotoSerif-Regular.ttf");
pub(crate) const SERIF_ITALIC: &[u8] = include_bytes!("../fonts/NotoSerif-Italic.ttf");
pub(crate) const SERIF_BOLD: &[u8] = include_bytes!("../fonts/NotoSerif-Bold.ttf");
pub(crate) const SERIF_BOLD_ITALIC: &[u8] = include_bytes!("../fonts/NotoSerif-BoldItalic.ttf");
pub(crate) const SANS_REGULAR: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
pub(crate) const SANS_BOLD: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");
pub(crate) const MONO_REGULAR: &[u8] = include_bytes!("../fonts/NotoSansMono-Regular.ttf");
pub(crate) const MONO_BOLD: &[u8] = include_bytes!("../fonts/NotoSansMono-Bold.ttf");

/// Every bundled face with its PostScript-style name, serif, sans, then mono.
pub(crate) const ALL: [(&str, &[u8]); 8] = [
    ("NotoSerif-Regular", SERIF_REGULAR),
    ("NotoSerif-Italic", SERIF_ITALIC),
    ("NotoSerif-Bold", SERIF_BOLD),
    ("NotoSerif-BoldItalic", SERIF_BOLD_ITALIC),
    ("NotoSans-Regular", SANS_REGULAR),
    ("NotoSans-Bold", SANS_BOLD),
    ("NotoSansMono-Regular", MONO_REGULAR),
    ("NotoSansMono-Bold", MONO_BOLD),
];
