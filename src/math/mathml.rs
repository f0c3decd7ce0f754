//! Which MathML quire writes back out: presentation elements and the attributes that say
//! how they are set, nothing that runs, links or styles. The HTML reader keeps only these
//! when it copies a page's MathML; [`is_clean_mathml`] checks MathML that came from
//! elsewhere (JSON) before any writer copies it into its output.

/// MathML elements that are written back out (presentation MathML and `semantics`); any
/// other element is left out with its content kept, `annotation-xml` with its content.
pub fn is_mathml_element(name: &str) -> bool {
    matches!(
        name,
        "math"
            | "mrow"
            | "mi"
            | "mn"
            | "mo"
            | "ms"
            | "mtext"
            | "mspace"
            | "msup"
            | "msub"
            | "msubsup"
            | "mfrac"
            | "msqrt"
            | "mroot"
            | "mover"
            | "munder"
            | "munderover"
            | "mtable"
            | "mtr"
            | "mtd"
            | "mlabeledtr"
            | "mstyle"
            | "mpadded"
            | "mphantom"
            | "menclose"
            | "mfenced"
            | "merror"
            | "mmultiscripts"
            | "mprescripts"
            | "none"
            | "semantics"
            | "annotation"
    )
}

/// Attributes that say how MathML is set, and nothing else (no events, styles or links).
pub fn is_mathml_attribute(name: &str) -> bool {
    matches!(
        name,
        "mathvariant"
            | "encoding"
            | "stretchy"
            | "fence"
            | "separator"
            | "accent"
            | "accentunder"
            | "linethickness"
            | "columnalign"
            | "rowalign"
            | "columnspacing"
            | "rowspacing"
            | "columnlines"
            | "rowlines"
            | "lspace"
            | "rspace"
            | "width"
            | "height"
            | "depth"
            | "open"
            | "close"
            | "separators"
            | "notation"
            | "scriptlevel"
            | "displaystyle"
            | "movablelimits"
            | "largeop"
            | "symmetric"
            | "form"
            | "minsize"
            | "maxsize"
    )
}

/// Whether `mathml` is one `<math>` element, well-formed, of MathML elements and
/// attributes only (plus `xmlns`, `display` and `alttext` on the root), its text and values
/// free of markup: safe to copy into HTML and XHTML as it is.
pub fn is_clean_mathml(mathml: &str) -> bool {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = mathml.trim();
    let mut roots = 0;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            // Text after the root element.
            return false;
        };
        let text = &rest[..lt];
        if text.contains('>')
            || !references_are_clean(text)
            || (open.is_empty() && !text.trim().is_empty())
        {
            return false;
        }
        let Some(gt) = rest[lt..].find('>') else {
            return false;
        };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            if open.pop() != Some(name.trim()) {
                return false;
            }
            continue;
        }
        let (body, self_closing) = match tag.strip_suffix('/') {
            Some(body) => (body, true),
            None => (tag, false),
        };
        let name_end = body
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(body.len());
        let name = &body[..name_end];
        let is_root = open.is_empty();
        if is_root {
            roots += 1;
            if name != "math" || roots > 1 {
                return false;
            }
        } else if name == "math" || !is_mathml_element(name) {
            return false;
        }
        if !attributes_are_clean(&body[name_end..], is_root) {
            return false;
        }
        if !self_closing {
            open.push(name);
        }
    }
    open.is_empty() && roots == 1
}

/// Whether a tag's attributes are `name="value"` pairs of allowed names, values without `<`.
fn attributes_are_clean(mut attributes: &str, is_root: bool) -> bool {
    loop {
        attributes = attributes.trim_start();
        if attributes.is_empty() {
            return true;
        }
        let Some(eq) = attributes.find('=') else {
            return false;
        };
        let name = attributes[..eq].trim();
        let allowed = is_mathml_attribute(name)
            || (is_root && matches!(name, "xmlns" | "display" | "alttext"));
        if !allowed {
            return false;
        }
        let value = attributes[eq + 1..].trim_start();
        let Some(quote) = value.chars().next().filter(|q| *q == '"' || *q == '\'') else {
            return false;
        };
        let Some(end) = value[1..].find(quote) else {
            return false;
        };
        if value[1..1 + end].contains('<') || !references_are_clean(&value[1..1 + end]) {
            return false;
        }
        attributes = &value[end + 2..];
    }
}

/// Whether every `&` begins a character reference (`&amp;`, `&#955;`), as XML needs.
fn references_are_clean(text: &str) -> bool {
    text.split('&').skip(1).all(|after| {
        after.find(';').is_some_and(|end| {
            end > 0
                && end <= 10
                && after[..end]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '#')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_clean_mathml_passes() {
        assert!(is_clean_mathml(
            "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"block\"><msup><mi>x</mi><mn>2</mn></msup><mo>&lt;</mo><mspace width=\"1em\"/></math>"
        ));
        for bad in [
            "<math><script>alert(1)</script></math>",
            "<math><mi onclick=\"x()\">x</mi></math>",
            "<math><mi>x</mi>",
            "<math><mi>x</mo></math>",
            "<math><mi>a & b</mi></math>",
            "<math></math><math></math>",
            "text",
            "<math><mi href=\"javascript:x\">x</mi></math>",
            "<svg></svg>",
        ] {
            assert!(!is_clean_mathml(bad), "{bad}");
        }
    }
}
