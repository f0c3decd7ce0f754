//! YAML front matter: split from the body, and read into the metadata.

use yaml_rust2::{Yaml, YamlLoader};

use crate::error::Warning;
use crate::model::{Date, Direction, Meta};

/// Splits `---` YAML front matter (closed by `---` or `...`) from the body. A first block
/// that parses as YAML but not as a mapping is no front matter (it is a rule and text).
pub(super) fn split_front_matter(input: &str) -> (Option<&str>, &str) {
    let text = input.strip_prefix('\u{feff}').unwrap_or(input);
    let Some(first_end) = text.find('\n') else {
        return (None, input);
    };
    if text[..first_end].trim_end() != "---" {
        return (None, input);
    }
    let yaml_start = first_end + 1;
    let mut line_start = yaml_start;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = text[line_start..line_end].trim_end();
        if line_start == yaml_start && line.trim().is_empty() {
            return (None, input);
        }
        if line == "---" || line == "..." {
            let yaml = &text[yaml_start..line_start];
            let body = text.get(line_end + 1..).unwrap_or("");
            return match YamlLoader::load_from_str(yaml) {
                Ok(docs) if !matches!(docs.first(), Some(Yaml::Hash(_))) => (None, input),
                _ => (Some(yaml), body),
            };
        }
        line_start = line_end + 1;
    }
    (None, input)
}

/// Fills `meta` from YAML front matter; malformed YAML is a warning, not an error.
/// The metadata of the front matter, if any, and the warnings reading it gave.
pub(super) fn read_front_matter_of(front_matter: Option<&str>) -> (Meta, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut meta = Meta::default();
    if let Some(yaml) = front_matter {
        read_front_matter(yaml, &mut meta, &mut warnings);
    }
    (meta, warnings)
}

pub(super) fn read_front_matter(yaml: &str, meta: &mut Meta, warnings: &mut Vec<Warning>) {
    let docs = match YamlLoader::load_from_str(yaml) {
        Ok(docs) => docs,
        Err(err) => {
            warnings.push(Warning::new(format!(
                "front matter is not valid YAML and was ignored: {err}"
            )));
            return;
        }
    };
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return;
    };
    for (key, value) in map {
        let Some(key) = key.as_str() else { continue };
        match key.to_ascii_lowercase().as_str() {
            "title" => set_string(&mut meta.title, &value),
            "subtitle" => set_string(&mut meta.subtitle, &value),
            "author" | "authors" => meta.authors = string_list(&value, false),
            "date" | "published" => set_date(&mut meta.published, &value, warnings),
            "modified" | "updated" => set_date(&mut meta.modified, &value, warnings),
            "lang" | "language" => set_string(&mut meta.language, &value),
            "dir" => {
                meta.direction = match scalar(&value).as_deref().map(str::to_ascii_lowercase) {
                    Some(d) if d == "ltr" => Some(Direction::Ltr),
                    Some(d) if d == "rtl" => Some(Direction::Rtl),
                    Some(d) if d == "auto" => Some(Direction::Auto),
                    _ => meta.direction,
                }
            }
            "site" | "site_name" => set_string(&mut meta.site_name, &value),
            "url" | "source" | "source_url" => set_string(&mut meta.source_url, &value),
            "description" | "excerpt" | "summary" => set_string(&mut meta.description, &value),
            "image" | "lead_image" => set_string(&mut meta.lead_image, &value),
            "keywords" | "tags" => meta.keywords = string_list(&value, true),
            _ => {}
        }
    }
}

/// A YAML scalar as text (dates and numbers as written), trimmed; `None` when empty.
pub(super) fn scalar(value: &Yaml) -> Option<String> {
    let text = match value {
        Yaml::String(s) | Yaml::Real(s) => s.trim().to_string(),
        Yaml::Integer(n) => n.to_string(),
        Yaml::Boolean(b) => b.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

pub(super) fn set_string(field: &mut Option<String>, value: &Yaml) {
    if let Some(text) = scalar(value) {
        *field = Some(text);
    }
}

/// An ISO 8601 date (`2024-05-01`, `2024-05-01T10:00:00Z`), read once into the model's
/// [`Date`]. Other text (`Spring 2024`) is no date a writer could use: it is left out with a
/// warning rather than kept as a second, untyped date.
fn set_date(field: &mut Option<Date>, value: &Yaml, warnings: &mut Vec<Warning>) {
    let Some(text) = scalar(value) else { return };
    match Date::parse_iso(&text) {
        Some(date) => *field = Some(date),
        None => warnings.push(Warning::new(format!(
            "front matter date {text:?} is not an ISO 8601 date and was left out"
        ))),
    }
}

/// A list of strings from a YAML sequence or a single scalar (split at commas when asked).
pub(super) fn string_list(value: &Yaml, split_commas: bool) -> Vec<String> {
    match value {
        Yaml::Array(values) => values.iter().filter_map(scalar).collect(),
        other => match scalar(other) {
            Some(text) if split_commas => text
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            Some(text) => vec![text],
            None => Vec::new(),
        },
    }
}
