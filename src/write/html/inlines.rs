//! Inline markup: text, emphasis, code, links (never nested), images, note references and
//! spans.

use std::fmt::Write as _;

use super::hooks::ImageRef;
use super::render::Renderer;
use super::url::{safe_url, shorten, UrlUse};
use crate::model::{collapse_whitespace, inlines_to_plain, Figure, Image, Inline, Link};
use crate::xml::{escape_attr, escape_attr_into};

impl<'a> Renderer<'a> {
    /// Whether `figure`'s caption says what its image's alternative text does.
    pub(super) fn caption_tells_alt(figure: &Figure) -> bool {
        let key = |text: &str| collapse_whitespace(text).trim().to_lowercase();
        let alt = key(&figure.image.alt);
        !alt.is_empty() && key(&inlines_to_plain(&figure.caption)).contains(&alt)
    }

    /// An image whose source is safe goes where the hooks say: an `<img>`, or (not
    /// embedded) a link to the remote image or its alt text. An unsafe source leaves the alt
    /// text, with a warning. The alt text of a figure's image that its caption repeats is
    /// not written in place of the image: the link says the label, and no link says nothing.
    pub(super) fn image(&mut self, image: &Image) {
        let told_by_caption = self.image_told_by_caption;
        let placeholder = if told_by_caption {
            ""
        } else {
            image.alt.trim()
        };
        if safe_url(&image.src, UrlUse::Image).is_none() {
            self.warn(format!(
                "left out an image with an unsafe or empty source: {}",
                shorten(&image.src)
            ));
            if !told_by_caption {
                self.hooks.text(&image.alt, &mut self.out);
            }
            return;
        }
        // The hooks are asked with the model's source, as the media store knows it (not as
        // written: `^` in a URL is written `%5E`); what they answer is written safe.
        let written = |url: &str| safe_url(url, UrlUse::Image).unwrap_or_default();
        match self.hooks.image(image.src.trim()) {
            ImageRef::Embedded(href, drawn) => {
                let href = written(&href);
                self.hooks.image_start(&mut self.out);
                self.out.push_str("<img src=\"");
                escape_attr_into(&href, &mut self.out);
                self.out.push_str("\" alt=\"");
                escape_attr_into(&image.alt, &mut self.out);
                self.out.push('"');
                if let Some(title) = image.title.as_deref().filter(|t| !t.is_empty()) {
                    self.out.push_str(" title=\"");
                    escape_attr_into(title, &mut self.out);
                    self.out.push('"');
                }
                // The stated size, as the page gave it; the stylesheet's `max-width: 100%`
                // still keeps the image inside the text, and `height: auto` on an image with
                // a width its proportions (a height alone is kept: the width follows it).
                let (width, height) = crate::media::shown_size(image, drawn);
                for (name, pixels) in [("width", width), ("height", height)] {
                    if let Some(pixels) = pixels.filter(|p| *p > 0) {
                        let _ = write!(self.out, " {name}=\"{pixels}\"");
                    }
                }
                self.out.push_str(" />");
                self.hooks.image_end(&mut self.out);
            }
            // Links do not nest: inside one, the image's alt text stands alone.
            ImageRef::Remote(url) if !self.in_link => {
                let url = written(&url);
                self.out.push_str("<a class=\"image-alt\" href=\"");
                escape_attr_into(&url, &mut self.out);
                self.out.push_str("\">");
                let text = if placeholder.is_empty() {
                    self.image_label
                } else {
                    placeholder
                };
                self.hooks.text(text, &mut self.out);
                self.out.push_str("</a>");
            }
            ImageRef::Remote(_) | ImageRef::Missing => {
                if !placeholder.is_empty() {
                    self.out.push_str("<span class=\"image-alt\">");
                    self.hooks.text(placeholder, &mut self.out);
                    self.out.push_str("</span>");
                }
            }
        }
    }

    pub(super) fn inlines(&mut self, inlines: &'a [Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    pub(super) fn inline(&mut self, inline: &'a Inline) {
        if !self.enter() {
            return;
        }
        match inline {
            Inline::Text(text) => self.hooks.text(text, &mut self.out),
            Inline::Emphasis(c) => self.wrapped("em", c),
            Inline::Strong(c) => self.wrapped("strong", c),
            Inline::Strikethrough(c) => self.wrapped("del", c),
            Inline::Superscript(c) => self.wrapped("sup", c),
            Inline::Subscript(c) => self.wrapped("sub", c),
            Inline::Code(code) => {
                self.out.push_str("<code>");
                self.hooks.text(code, &mut self.out);
                self.out.push_str("</code>");
            }
            Inline::Link(link) => {
                let Link {
                    url,
                    title,
                    content,
                } = &**link;
                match safe_url(url, UrlUse::Link) {
                    Some(_) if self.in_link => self.inlines(content),
                    Some(href) => {
                        let _ = write!(self.out, "<a href=\"{}\"", escape_attr(&href));
                        if let Some(title) = title.as_deref().filter(|t| !t.is_empty()) {
                            let _ = write!(self.out, " title=\"{}\"", escape_attr(title));
                        }
                        self.out.push('>');
                        self.in_link = true;
                        self.inlines(content);
                        self.in_link = false;
                        self.out.push_str("</a>");
                        for n in std::mem::take(&mut self.deferred_note_refs) {
                            self.note_ref(n);
                        }
                    }
                    // A link to nowhere (`[#]()`) is its text; nothing unsafe was dropped.
                    None if url.trim().is_empty() => self.inlines(content),
                    None => {
                        self.warn(format!("dropped an unsafe link: {}", shorten(url)));
                        self.inlines(content);
                    }
                }
            }
            Inline::Image(image) => self.image(image),
            Inline::Math(math) => match self.hooks.math_image(math) {
                Some(picture) => self.math_picture(math, &picture),
                None => self.out.push_str(&math_markup(math)),
            },
            Inline::LineBreak => self.out.push_str("<br />\n"),
            Inline::Note(blocks) => {
                self.notes.push(blocks);
                let n = self.notes.len();
                if self.in_link {
                    self.deferred_note_refs.push(n);
                } else {
                    self.note_ref(n);
                }
            }
            Inline::Span { attr, content } => {
                self.out.push_str("<span");
                self.language_attrs(attr);
                self.out.push('>');
                self.inlines(content);
                self.out.push_str("</span>");
            }
        }
        self.leave();
    }

    /// A formula's picture: its TeX as the alternative text, set at the text's size on its
    /// baseline (a displayed formula on a line of its own, centred, by the stylesheet).
    fn math_picture(&mut self, math: &crate::model::Math, picture: &super::hooks::MathImage) {
        let class = if math.display {
            "math math-display"
        } else {
            "math"
        };
        let _ = write!(self.out, "<img class=\"{class}\" src=\"");
        escape_attr_into(&picture.src, &mut self.out);
        self.out.push_str("\" alt=\"");
        escape_attr_into(&math.tex_or_text(), &mut self.out);
        let _ = write!(
            self.out,
            "\" style=\"height: {:.2}em; vertical-align: -{:.2}em;\" />",
            picture.height_em, picture.depth_em
        );
    }

    pub(super) fn note_ref(&mut self, n: usize) {
        self.hooks.note_ref(n, &mut self.out);
    }

    pub(super) fn wrapped(&mut self, tag: &str, content: &'a [Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }
}

/// A formula as MathML with its TeX as `alttext`: the page's own MathML when it is clean
/// (readers keep only clean MathML; a document built by hand may not be), else MathML made
/// from the TeX. Both the HTML and the EPUB writer write this.
pub(crate) fn math_markup(math: &crate::model::Math) -> String {
    let tex = math.tex.as_deref().map(str::trim).unwrap_or_default();
    match math.mathml.as_deref() {
        Some(mathml) if crate::math::is_clean_mathml(mathml) => {
            let mathml = mathml.trim();
            let root_end = mathml.find('>').unwrap_or(0);
            if tex.is_empty() || mathml[..root_end].contains(" alttext=") {
                return mathml.to_string();
            }
            // `<math` is five bytes; the attribute goes right after the name.
            let mut out = String::with_capacity(mathml.len() + tex.len() + 12);
            out.push_str(&mathml[..5]);
            out.push_str(" alttext=\"");
            escape_attr_into(tex, &mut out);
            out.push('"');
            out.push_str(&mathml[5..]);
            out
        }
        _ => crate::math::tex_to_mathml(&math.tex_or_text(), math.display),
    }
}
