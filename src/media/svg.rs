//! SVG images, rendered to PNG when the store loads them.
//!
//! Diagrams in documentation and articles are often SVG. No writer passes an SVG through: a
//! PDF cannot hold one, e-readers show them unevenly, and an SVG may carry scripts and links
//! that a sanitised page must not. A raster at twice the drawing's size is sharp on a phone,
//! an e-ink screen and a printed page, and the store tells writers the size the drawing
//! states, so the picture takes the room it takes in a browser.
//!
//! Nothing outside the file is read: `<image>` elements that link to files are ignored (only
//! `data:` pictures inside the SVG are drawn), and text is set in the bundled fonts.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

/// Pixels for each CSS pixel of the drawing.
const DENSITY: f32 = 2.0;

/// The longest side of a rendering in pixels: a drawing that states a huge size is rendered
/// smaller (its stated size still holds).
const MOST_PIXELS: f32 = 4096.0;

/// Whether the first bytes of a file are an SVG document: `<svg`, after an XML declaration,
/// a DOCTYPE, comments and white space as an editor leaves them.
pub(crate) fn is_svg(head: &[u8]) -> bool {
    let mut rest = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    loop {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"<svg") {
            return true;
        }
        let end: &[u8] = if rest.starts_with(b"<?") {
            b"?>"
        } else if rest.starts_with(b"<!--") {
            b"-->"
        } else if rest.starts_with(b"<!") {
            b">"
        } else {
            return false;
        };
        match memchr::memmem::find(rest, end) {
            Some(at) => rest = &rest[at + end.len()..],
            None => return false,
        }
    }
}

/// An SVG drawn as PNG.
#[derive(Debug)]
pub(crate) struct Rendered {
    /// The PNG file.
    pub png: Vec<u8>,
    /// Its width and height in pixels.
    pub pixels: (u32, u32),
    /// The size the drawing states, in CSS pixels.
    pub stated: (u32, u32),
}

/// Draws an SVG file as PNG at [`DENSITY`] (less for a huge drawing). The error says why
/// it cannot be drawn, for a warning.
pub(crate) fn render(svg: &[u8]) -> Result<Rendered, String> {
    let options = usvg::Options {
        fontdb: bundled_fonts(),
        font_family: "Noto Serif".to_string(),
        font_resolver: usvg::FontResolver {
            select_font: Box::new(select_font),
            ..usvg::FontResolver::default()
        },
        ..usvg::Options::default()
    };
    // `from_data_nested` draws no `<image>` that links to a file: an SVG from the web must
    // not make quire read the machine's files.
    let tree = usvg::Tree::from_data_nested(svg, &options)
        .map_err(|e| format!("unreadable SVG image: {e}"))?;
    let size = tree.size();
    let (width, height) = (size.width(), size.height());
    if !(width >= 1.0 && height >= 1.0) {
        return Err("empty SVG image".to_string());
    }
    let density = DENSITY.min(MOST_PIXELS / width.max(height));
    let pixels = (
        (width * density).round().max(1.0) as u32,
        (height * density).round().max(1.0) as u32,
    );
    let mut pixmap = tiny_skia::Pixmap::new(pixels.0, pixels.1)
        .ok_or_else(|| "SVG image too large to draw".to_string())?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(density, density),
        &mut pixmap.as_mut(),
    );
    let png = pixmap
        .encode_png()
        .map_err(|e| format!("could not encode the drawn SVG image: {e}"))?;
    Ok(Rendered {
        png,
        pixels,
        stated: (
            width.round().max(1.0) as u32,
            height.round().max(1.0) as u32,
        ),
    })
}

/// The bundled faces, loaded once a process: the generic families name them.
fn bundled_fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            for (_, bytes) in crate::bundled::ALL {
                db.load_font_source(fontdb::Source::Binary(Arc::new(bytes)));
            }
            db.set_serif_family("Noto Serif");
            db.set_sans_serif_family("Noto Sans");
            db.set_monospace_family("Noto Sans Mono");
            db.set_cursive_family("Noto Serif");
            db.set_fantasy_family("Noto Sans");
            Arc::new(db)
        })
        .clone()
}

/// The bundled face for a font an SVG names: its families in order, each named font read
/// as the generic family it most likely belongs to (Helvetica and Arial are sans, Courier
/// is mono), then serif, the SVG default.
fn select_font(font: &usvg::Font, db: &mut Arc<fontdb::Database>) -> Option<fontdb::ID> {
    let mut families = Vec::new();
    for family in font.families() {
        families.push(match family {
            usvg::FontFamily::Serif => fontdb::Family::Serif,
            usvg::FontFamily::SansSerif => fontdb::Family::SansSerif,
            usvg::FontFamily::Cursive => fontdb::Family::Cursive,
            usvg::FontFamily::Fantasy => fontdb::Family::Fantasy,
            usvg::FontFamily::Monospace => fontdb::Family::Monospace,
            usvg::FontFamily::Named(name) => generic_family(name),
        });
    }
    families.push(fontdb::Family::Serif);
    let style = match font.style() {
        usvg::FontStyle::Normal => fontdb::Style::Normal,
        usvg::FontStyle::Italic => fontdb::Style::Italic,
        usvg::FontStyle::Oblique => fontdb::Style::Oblique,
    };
    db.query(&fontdb::Query {
        families: &families,
        weight: fontdb::Weight(font.weight()),
        stretch: fontdb::Stretch::Normal,
        style,
    })
}

/// The generic family a named font most likely belongs to.
fn generic_family(name: &str) -> fontdb::Family<'static> {
    let name = name.to_ascii_lowercase();
    let any = |words: &[&str]| words.iter().any(|word| name.contains(word));
    if any(&["mono", "courier", "consol", "menlo", "code", "terminal"]) {
        fontdb::Family::Monospace
    } else if any(&[
        "sans",
        "helvetica",
        "arial",
        "verdana",
        "tahoma",
        "segoe",
        "roboto",
    ]) {
        fontdb::Family::SansSerif
    } else if any(&[
        "serif", "times", "georgia", "garamond", "palatino", "cambria",
    ]) {
        fontdb::Family::Serif
    } else {
        fontdb::Family::SansSerif
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_files_are_told_by_their_start() {
        assert!(is_svg(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"));
        assert!(is_svg(
            b"\xef\xbb\xbf<?xml version=\"1.0\"?>\n<!-- Generated by graphviz -->\n\
              <!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x.dtd\">\n<svg width=\"2pt\">"
        ));
        assert!(!is_svg(b"<html><svg></svg></html>"));
        assert!(!is_svg(b"\x89PNG\r\n\x1a\n"));
        assert!(!is_svg(b"<?xml version=\"1.0\"?><rss>"));
        assert!(!is_svg(b"<!-- never closed"));
    }

    #[test]
    fn a_drawing_is_rendered_at_twice_its_size_with_its_text() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">
            <rect width="120" height="40" fill="#fff"/>
            <text x="4" y="30" font-family="Helvetica" font-size="28">Stack</text></svg>"##;
        let rendered = render(svg).expect("rendered");
        assert_eq!(rendered.pixels, (240, 80));
        assert_eq!(rendered.stated, (120, 40));
        let image = image::load_from_memory(&rendered.png)
            .expect("a PNG")
            .to_luma8();
        assert_eq!(image.dimensions(), (240, 80));
        // The word is drawn: dark pixels where the text runs, none past it.
        let dark = |x0: u32, x1: u32| {
            (x0..x1)
                .flat_map(|x| (0..80).map(move |y| (x, y)))
                .filter(|&(x, y)| image.get_pixel(x, y).0[0] < 100)
                .count()
        };
        assert!(dark(8, 120) > 200, "{}", dark(8, 120));
        assert_eq!(dark(200, 240), 0);
    }

    #[test]
    fn a_huge_drawing_is_rendered_smaller_and_files_it_links_are_not_read() {
        let huge = br#"<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="10"/>"#;
        let rendered = render(huge).expect("rendered");
        assert_eq!(rendered.pixels.0, 4096);
        assert_eq!(rendered.stated, (100_000, 10));

        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("secret.png");
        std::fs::write(&secret, crate::media::raster::tests::png(4, 4)).unwrap();
        let linking = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
                width="4" height="4"><image width="4" height="4" xlink:href="{}"/></svg>"#,
            secret.display()
        );
        let rendered = render(linking.as_bytes()).expect("rendered");
        let image = image::load_from_memory(&rendered.png).unwrap().to_rgba8();
        assert!(
            image.pixels().all(|p| p.0[3] == 0),
            "the linked file was drawn"
        );

        assert!(render(b"<svg").is_err());
        assert!(
            render(br#"<svg xmlns="http://www.w3.org/2000/svg" width="0" height="5"/>"#).is_err()
        );
    }
}
