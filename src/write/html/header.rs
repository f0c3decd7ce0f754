//! The article header: title, subtitle, byline and dateline.

use std::fmt::Write as _;

use super::dates::machine_date;
use super::render::Renderer;
use crate::locale::Labels;
use crate::model::Meta;
use crate::xml::{clean_text, escape_attr};

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
        let site = meta
            .site_name
            .as_deref()
            .map(str::trim)
            .filter(|site| !site.is_empty());
        let has_dateline = meta.published.is_some() || site.is_some() || source.is_some();
        if title.is_empty() && subtitle.is_empty() && authors.is_empty() && !has_dateline {
            return;
        }
        self.out.push_str("<header class=\"article-header\">\n");
        if !title.is_empty() {
            self.outline.push((0, 1));
            self.header_line("<h1>", &title, "</h1>\n");
        }
        if !subtitle.is_empty() {
            self.header_line("<p class=\"subtitle\">", &subtitle, "</p>\n");
        }
        if !authors.is_empty() {
            let byline = labels.byline(&authors);
            self.header_line("<p class=\"byline\">", &byline, "</p>\n");
        }
        if has_dateline {
            self.out.push_str("<p class=\"dateline\">");
            self.hooks.block_start();
            self.dateline(meta, labels, site, source.as_deref());
            self.hooks.block_end();
            self.out.push_str("</p>\n");
        }
        self.out.push_str("</header>\n");
    }

    /// One line of the header: `open`, the text, `close`.
    fn header_line(&mut self, open: &str, text: &str, close: &str) {
        self.out.push_str(open);
        self.hooks.block_start();
        self.hooks.text(text, &mut self.out);
        self.hooks.block_end();
        self.out.push_str(close);
    }

    /// The dateline's inner markup: date, site name and the link to `source` (the `href`
    /// the hooks gave for the source URL), separated by " · ", in the words of `labels`.
    fn dateline(&mut self, meta: &Meta, labels: &Labels, site: Option<&str>, source: Option<&str>) {
        let separator = |renderer: &mut Self, first: &mut bool| {
            if !std::mem::take(first) {
                renderer.hooks.text(" \u{b7} ", &mut renderer.out);
            }
        };
        let mut first = true;
        if let Some(published) = &meta.published {
            separator(self, &mut first);
            match machine_date(published) {
                Some(machine) => {
                    let _ = write!(self.out, "<time datetime=\"{}\">", escape_attr(&machine));
                    self.hooks.text(&labels.date(published), &mut self.out);
                    self.out.push_str("</time>");
                }
                None => self.hooks.text(&published.to_iso(), &mut self.out),
            }
        }
        if let Some(site) = site {
            separator(self, &mut first);
            self.hooks.text(site, &mut self.out);
        }
        if let Some(source) = source {
            separator(self, &mut first);
            let _ = write!(self.out, "<a href=\"{}\">", escape_attr(source));
            self.hooks
                .text(&source_label(source, labels), &mut self.out);
            self.out.push_str("</a>");
        }
    }
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
