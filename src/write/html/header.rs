//! The article header: title, subtitle, byline and dateline.

use std::fmt::Write as _;

use super::dates::machine_date;
use super::render::Renderer;
use crate::locale::Labels;
use crate::model::Meta;
use crate::xml::{clean_text, escape_attr, escape_text};

impl Renderer<'_> {
    pub(super) fn header(&mut self, meta: &Meta) {
        // Cleaned before the emptiness checks, so no element is left empty.
        let cleaned = |text: Option<&String>| {
            text.map(|t| clean_text(t).trim().to_string())
                .unwrap_or_default()
        };
        let title = cleaned(meta.title.as_ref());
        let subtitle = cleaned(meta.subtitle.as_ref());
        let authors: Vec<String> = meta
            .authors
            .iter()
            .map(|a| cleaned(Some(a)))
            .filter(|a| !a.is_empty())
            .collect();
        let source = meta
            .source_url
            .as_deref()
            .and_then(|url| self.hooks.source_link(url));
        let labels = Labels::for_language(meta.language.as_deref());
        let dateline = dateline(meta, labels, source.as_deref());
        if title.is_empty() && subtitle.is_empty() && authors.is_empty() && dateline.is_empty() {
            return;
        }
        self.out.push_str("<header class=\"article-header\">\n");
        if !title.is_empty() {
            self.last_heading_level = Some(1);
            let _ = writeln!(self.out, "<h1>{}</h1>", escape_text(&title));
        }
        if !subtitle.is_empty() {
            let _ = writeln!(
                self.out,
                "<p class=\"subtitle\">{}</p>",
                escape_text(&subtitle)
            );
        }
        if !authors.is_empty() {
            let _ = writeln!(
                self.out,
                "<p class=\"byline\">{}</p>",
                escape_text(&labels.byline(&authors))
            );
        }
        if !dateline.is_empty() {
            let _ = writeln!(self.out, "<p class=\"dateline\">{dateline}</p>");
        }
        self.out.push_str("</header>\n");
    }
}

/// The dateline's inner markup: date, site name and the link to `source` (the `href` the
/// hooks gave for the source URL), separated by " · ", in the words of `labels`.
pub(super) fn dateline(meta: &Meta, labels: &Labels, source: Option<&str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(published) = &meta.published {
        parts.push(match machine_date(published) {
            Some(machine) => format!(
                "<time datetime=\"{}\">{}</time>",
                escape_attr(&machine),
                escape_text(&labels.date(published))
            ),
            None => escape_text(&published.to_iso()),
        });
    }
    if let Some(site) = meta.site_name.as_deref().map(str::trim) {
        if !site.is_empty() {
            parts.push(escape_text(site));
        }
    }
    if let Some(source) = source {
        parts.push(format!(
            "<a href=\"{}\">{}</a>",
            escape_attr(source),
            escape_text(&source_label(source, labels))
        ));
    }
    parts.join(" \u{b7} ")
}

/// What a source link says: the host without `www.`, or "Source" in `labels`' language.
pub(super) fn source_label(url: &str, labels: &Labels) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_string())
        })
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| labels.source.to_string())
}
