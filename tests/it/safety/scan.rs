//! A small, strict scanner that lists what makes an HTML output unsafe to open: script-capable
//! elements, event-handler attributes, script or HTML `data:` URLs (however encoded), meta
//! refreshes, forms, and CSS that loads from the network. Shared by the safety tests and the
//! `html_is_safe` fuzz target (which includes this file by path), so both judge alike.
//!
//! It tokenizes tags itself (quotes, unquoted values, entities) instead of searching for
//! substrings, so text that merely mentions `onclick=` or `<script>` (escaped) is not flagged.

/// Elements that run code, load other documents or submit data.
const FORBIDDEN_ELEMENTS: [&str; 16] = [
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "textarea", "select", "base", "portal", "noscript", "template",
];

/// `<link rel>` values that load something into the page (a canonical link loads nothing);
/// unsafe when the href leaves the document's own package.
const LOADING_LINK_RELS: [&str; 7] = [
    "stylesheet",
    "import",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "prerender",
];

/// Everything unsafe found in `html`, described; empty when it is safe.
pub fn unsafe_parts(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    let mut in_style = false;
    while let Some(offset) = html[i..].find('<') {
        let start = i + offset;
        if html[start..].starts_with("<!--") {
            i = html[start..]
                .find("-->")
                .map_or(html.len(), |e| start + e + 3);
            continue;
        }
        let Some(tag) = parse_tag(html, start) else {
            i = start + 1;
            continue;
        };
        i = tag.end;
        if in_style {
            // Inside <style>, everything up to </style> is CSS.
            if tag.closing && tag.name == "style" {
                let css = &html[style_start(html, start)..start];
                found.extend(
                    css_problems(css)
                        .into_iter()
                        .map(|p| format!("<style>: {p}")),
                );
                in_style = false;
            }
            continue;
        }
        if tag.closing {
            continue;
        }
        if FORBIDDEN_ELEMENTS.contains(&tag.name.as_str()) {
            found.push(format!("<{}> element", tag.name));
        }
        if tag.name == "style" {
            in_style = true;
        }
        if tag.name == "link" {
            let rel = tag
                .attributes
                .iter()
                .find(|(name, _)| name == "rel")
                .map(|(_, v)| v.to_ascii_lowercase())
                .unwrap_or_default();
            let href = tag
                .attributes
                .iter()
                .find(|(name, _)| name == "href")
                .map(|(_, v)| v.trim().to_ascii_lowercase())
                .unwrap_or_default();
            // A relative href loads a file of the same package (an EPUB's own stylesheet);
            // anything with a scheme or a host loads from elsewhere.
            let scheme_end = href.find(':').filter(|&c| !href[..c].contains('/'));
            let from_elsewhere = scheme_end.is_some() || href.starts_with("//");
            if from_elsewhere
                && rel
                    .split_whitespace()
                    .any(|r| LOADING_LINK_RELS.contains(&r))
            {
                found.push(format!("<link rel=\"{rel}\" href=\"{href}\">"));
            }
        }
        if tag.name == "meta" && tag.attributes.iter().any(|(name, _)| name == "http-equiv") {
            found.push("<meta http-equiv>".to_string());
        }
        for (name, value) in &tag.attributes {
            if name.starts_with("on") {
                found.push(format!("event handler {name}= on <{}>", tag.name));
            }
            if URL_ATTRIBUTES.contains(&name.as_str()) {
                // srcset is a list of "URL width" pairs; other attributes hold one URL.
                let urls: Vec<&str> = if name == "srcset" {
                    value
                        .split(',')
                        .map(|c| c.split_whitespace().next().unwrap_or(""))
                        .collect()
                } else {
                    vec![value.as_str()]
                };
                for url in urls {
                    if let Some(problem) = url_problem(url) {
                        found.push(format!("{name}= on <{}>: {problem}", tag.name));
                    }
                }
            }
            if name == "style" {
                found.extend(
                    css_problems(value)
                        .into_iter()
                        .map(|p| format!("style= on <{}>: {p}", tag.name)),
                );
            }
        }
    }
    found
}

/// Attributes whose value is fetched or followed as a URL.
const URL_ATTRIBUTES: [&str; 14] = [
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "data",
    "background",
    "poster",
    "dynsrc",
    "lowsrc",
    "xlink:href",
    "cite",
    "longdesc",
    "ping",
];

struct Tag {
    name: String,
    closing: bool,
    attributes: Vec<(String, String)>,
    end: usize,
}

/// Parses the tag at `start` (which holds `<`) the way an HTML tokenizer would, reading only
/// as far as the tag goes (so scanning a page stays linear).
fn parse_tag(html: &str, start: usize) -> Option<Tag> {
    let base = start + 1;
    let mut chars = html[base..].char_indices().peekable();
    let closing = chars.next_if(|&(_, c)| c == '/').is_some();
    let mut name = String::new();
    while let Some((_, c)) =
        chars.next_if(|&(_, c)| c.is_ascii_alphanumeric() || c == '-' || c == ':')
    {
        name.push(c.to_ascii_lowercase());
    }
    if name.is_empty() {
        return None;
    }
    let mut attributes = Vec::new();
    loop {
        while chars
            .next_if(|&(_, c)| c.is_whitespace() || c == '/')
            .is_some()
        {}
        let &(at, c) = chars.peek()?;
        if c == '>' {
            return Some(Tag {
                name,
                closing,
                attributes,
                end: base + at + 1,
            });
        }
        let mut attr = String::new();
        while let Some((_, c)) =
            chars.next_if(|&(_, c)| !c.is_whitespace() && !matches!(c, '=' | '>' | '/'))
        {
            attr.push(c.to_ascii_lowercase());
        }
        while chars.next_if(|&(_, c)| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if(|&(_, c)| c == '=').is_some() {
            while chars.next_if(|&(_, c)| c.is_whitespace()).is_some() {}
            if let Some((_, quote)) = chars.next_if(|&(_, c)| matches!(c, '"' | '\'')) {
                for (_, c) in chars.by_ref() {
                    if c == quote {
                        break;
                    }
                    value.push(c);
                }
            } else {
                while let Some((_, c)) = chars.next_if(|&(_, c)| !c.is_whitespace() && c != '>') {
                    value.push(c);
                }
            }
        }
        if attr.is_empty() {
            // A stray '=' or '/': step over it.
            chars.next_if(|&(_, c)| c != '>');
            continue;
        }
        attributes.push((attr, decode_entities(&value)));
    }
}

/// Where the CSS of the `<style>` element open before `close` starts.
fn style_start(html: &str, close: usize) -> usize {
    let lower = html[..close].to_ascii_lowercase();
    lower
        .rfind("<style")
        .and_then(|s| html[s..close].find('>').map(|e| s + e + 1))
        .unwrap_or(close)
}

/// Numeric references and the named ones that matter for hiding a scheme.
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |e| e + 1);
        let entity = &rest[1..end];
        let decoded = if let Some(num) = entity.strip_prefix("#x").or(entity.strip_prefix("#X")) {
            u32::from_str_radix(num, 16).ok().and_then(char::from_u32)
        } else if let Some(num) = entity.strip_prefix('#') {
            num.parse::<u32>().ok().and_then(char::from_u32)
        } else {
            match entity.to_ascii_lowercase().as_str() {
                "colon" => Some(':'),
                "tab" => Some('\t'),
                "newline" => Some('\n'),
                "amp" => Some('&'),
                "lpar" => Some('('),
                "rpar" => Some(')'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "lt" => Some('<'),
                "gt" => Some('>'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest[end..].strip_prefix(';').unwrap_or(&rest[end..]);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A URL a browser would run as script or render as an HTML document.
fn url_problem(url: &str) -> Option<String> {
    // Browsers drop ASCII whitespace and control characters inside the scheme.
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .collect::<String>()
        .to_ascii_lowercase();
    for scheme in ["javascript:", "vbscript:", "livescript:", "mocha:"] {
        if squeezed.starts_with(scheme) {
            return Some(format!("{scheme} URL"));
        }
    }
    if squeezed.starts_with("data:")
        && ![
            "data:image/png",
            "data:image/jpeg",
            "data:image/gif",
            "data:image/webp",
        ]
        .iter()
        .any(|ok| squeezed.starts_with(ok))
    {
        return Some("data: URL that is not a plain image".to_string());
    }
    None
}

/// CSS that runs script or loads from the network.
fn css_problems(css: &str) -> Vec<String> {
    let lower = decode_css_escapes(css).to_ascii_lowercase();
    let squeezed: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    let mut found = Vec::new();
    // url() may only hold an inline image or a fragment: anything else is fetched.
    for (at, _) in squeezed.match_indices("url(") {
        let argument = squeezed[at + 4..].trim_start_matches(['"', '\'']);
        if !(argument.starts_with("data:image/") || argument.starts_with('#')) {
            found.push(format!(
                "CSS url() that loads {}",
                argument.chars().take(40).collect::<String>()
            ));
        }
    }
    for (needle, what) in [
        ("@import", "@import"),
        ("expression(", "expression()"),
        ("behavior:", "behavior:"),
        ("-moz-binding", "-moz-binding"),
        ("javascript:", "javascript:"),
        ("image-set(", "image-set()"),
    ] {
        if squeezed.contains(needle) {
            found.push(format!("CSS {what}"));
        }
    }
    found
}

/// `\75 rl(` → `url(`: CSS hex escapes, so they cannot hide a function name.
fn decode_css_escapes(css: &str) -> String {
    let mut out = String::new();
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
            hex.extend(chars.next());
        }
        if hex.is_empty() {
            out.extend(chars.next());
        } else {
            if chars.peek().is_some_and(|c| c.is_whitespace()) {
                chars.next();
            }
            out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
        }
    }
    out
}
