//! Whether a file of the book is well-formed XML, and where and why not: every e-reader parses
//! the container, package, navigation and XHTML documents as XML and refuses the book (or the
//! chapter) at the first error.
//!
//! The parser (roxmltree) reads a document's internal DTD subset but never fetches an external
//! one. A reference to an entity it has not seen declared (`&nbsp;`) is an error in a document
//! whose DTD is all in the file (`<!DOCTYPE html>`, or none), as XML says; in one that names an
//! external DTD (an EPUB 2 page with the XHTML 1.1 DOCTYPE), the entity may be declared there,
//! and XML leaves it to a validating parser, so it is not reported.

/// Where a document stops being well-formed, and what is wrong there.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct XmlError {
    /// From 1.
    pub line: usize,
    /// From 1, in characters.
    pub column: usize,
    pub message: String,
    /// `--` inside a comment, which [`super::kindle`]'s comment check reports on its own.
    pub in_comment: bool,
}

/// The first well-formedness error of `text`, `None` when it is well-formed XML.
pub(crate) fn first_error(text: &str) -> Option<XmlError> {
    let error = parse(text)?;
    let error = match error {
        roxmltree::Error::UnknownEntityReference(..) if may_declare_entities_elsewhere(text) => {
            // Whatever follows the reference still has to be well-formed: parse again with
            // each named reference read as declared (blanked, so positions stay the same).
            parse(&named_references_blanked(text))?
        }
        error => error,
    };
    Some(describe(text, &error))
}

fn parse(text: &str) -> Option<roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options).err()
}

/// Whether an undeclared entity is no well-formedness error in `text` (XML 1.0, WFC: Entity
/// Declared): its DOCTYPE names an external DTD and the document is not `standalone="yes"`.
fn may_declare_entities_elsewhere(text: &str) -> bool {
    let prolog = &text[..text.find("<!DOCTYPE").unwrap_or(0)];
    if prolog.starts_with("<?xml") {
        let declaration = &prolog[..prolog.find("?>").unwrap_or(prolog.len())];
        if declaration.contains("standalone=\"yes\"") || declaration.contains("standalone='yes'") {
            return false;
        }
    }
    let Some(doctype) = text.find("<!DOCTYPE") else {
        return false;
    };
    // `<!DOCTYPE name PUBLIC "…" "…"` or `<!DOCTYPE name SYSTEM "…"`.
    let mut words = text[doctype + "<!DOCTYPE".len()..]
        .split(|c: char| c.is_ascii_whitespace() || c == '[' || c == '>')
        .filter(|w| !w.is_empty());
    words.next();
    matches!(words.next(), Some("PUBLIC" | "SYSTEM"))
}

/// `text` with every named entity reference (`&name;`) replaced by as many spaces as it has
/// characters; character references and a lone `&` stay.
fn named_references_blanked(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let name_len = after
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')))
            .unwrap_or(after.len());
        let starts_name = after
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':');
        if starts_name && after[name_len..].starts_with(';') {
            let reference = &rest[amp..amp + 1 + name_len + 1];
            out.extend(std::iter::repeat_n(' ', reference.chars().count()));
            rest = &rest[amp + reference.len()..];
        } else {
            out.push('&');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The error's place, and what is wrong, for people.
fn describe(text: &str, error: &roxmltree::Error) -> XmlError {
    use roxmltree::Error as E;
    let at_end = || {
        let line = text.lines().count().max(1);
        let last = text.lines().last().unwrap_or_default();
        (line, last.chars().count() + 1)
    };
    let pos = error.pos();
    let (mut line, mut column) = (pos.row as usize, pos.col as usize);
    let message = match error {
        E::UnexpectedCloseTag(expected, actual, _) => {
            format!("</{actual}> where </{expected}> was expected")
        }
        E::UnknownEntityReference(name, _) => format!(
            "the entity &{name}; is not declared (XML knows only &amp; &lt; &gt; &quot; \
             &apos;: write the character, or a reference such as &#160;)"
        ),
        E::MalformedEntityReference(_) => "a '&' that starts no reference (write &amp;)".into(),
        E::InvalidAttributeValue(_) => "a '<' in an attribute value (write &lt;)".into(),
        E::DuplicatedAttribute(name, _) => format!("the attribute '{name}' is given twice"),
        E::UnknownNamespace(prefix, _) => {
            format!("the namespace prefix '{prefix}' is not declared")
        }
        E::NonXmlChar(c, _) => format!("the character U+{:04X}, which XML forbids", *c as u32),
        E::InvalidComment(_) => "'--' inside a comment".into(),
        E::UnexpectedDeclaration(_) => {
            "an XML declaration that is not at the start of the file".into()
        }
        E::NoRootNode => {
            (line, column) = at_end();
            "no root element".into()
        }
        E::UnclosedRootNode => {
            (line, column) = at_end();
            "the file ends before its root element is closed".into()
        }
        E::UnexpectedEndOfStream => {
            (line, column) = at_end();
            "the file ends inside a tag, comment or declaration".into()
        }
        // The rest are rare: the parser's own words, without the position it appends.
        error => error.to_string().replace(&format!(" at {pos}"), ""),
    };
    XmlError {
        line,
        column,
        message: format!("not well-formed XML: {message}"),
        in_comment: matches!(error, E::InvalidComment(_)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n<head><title>T</title></head>\n<body>\n<p>BODY</p>\n</body>\n</html>\n";

    fn page(body: &str) -> String {
        PAGE.replace("BODY", body)
    }

    fn error_of(text: &str) -> Option<(usize, usize, String)> {
        first_error(text).map(|e| (e.line, e.column, e.message))
    }

    #[test]
    fn well_formed_pages_pass() {
        assert_eq!(error_of(&page("a &amp; b &#160; &#x2014; <b>c</b>")), None);
        let declared = PAGE
            .replace(
                "<!DOCTYPE html>",
                "<!DOCTYPE html [\n<!ENTITY nbsp \"&#160;\">\n]>",
            )
            .replace("BODY", "a&nbsp;b");
        assert_eq!(error_of(&declared), None);
    }

    #[test]
    fn errors_have_their_place_and_cause() {
        assert_eq!(
            error_of(&page("unclosed <b>bold")),
            Some((
                6,
                20,
                "not well-formed XML: </p> where </b> was expected".to_string()
            ))
        );
        let (line, column, message) = error_of(&page("a&nbsp;b")).unwrap();
        assert_eq!((line, column), (6, 5));
        assert!(
            message.starts_with("not well-formed XML: the entity &nbsp; is not declared"),
            "{message}"
        );
        assert_eq!(
            error_of(&page("a & b")).map(|e| e.2),
            Some("not well-formed XML: a '&' that starts no reference (write &amp;)".to_string())
        );
        assert_eq!(
            error_of(&PAGE.replace("</html>\n", "")),
            Some((
                7,
                8,
                "not well-formed XML: the file ends before its root element is closed".to_string()
            ))
        );
        assert_eq!(
            error_of("").map(|e| e.2),
            Some("not well-formed XML: no root element".to_string())
        );
        let duplicated = error_of(&page("<a id=\"x\" id=\"y\">z</a>")).unwrap();
        assert_eq!(
            duplicated.2,
            "not well-formed XML: the attribute 'id' is given twice"
        );
        assert!(first_error(&page("<!-- a -- b -->")).unwrap().in_comment);
    }

    /// An entity the external DTD may declare is not reported; what follows it still is.
    #[test]
    fn entities_of_an_external_dtd_are_not_errors() {
        let xhtml11 = "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.1//EN\" \"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd\">";
        let epub2 = PAGE.replace("<!DOCTYPE html>", xhtml11);
        assert_eq!(
            error_of(&epub2.replace("BODY", "a&nbsp;b &mdash; &é;")),
            None
        );
        assert_eq!(
            error_of(&epub2.replace("BODY", "a&nbsp;b <i>c")),
            Some((
                6,
                17,
                "not well-formed XML: </p> where </i> was expected".to_string()
            ))
        );
        let standalone = epub2
            .replace(
                "encoding=\"utf-8\"",
                "encoding=\"utf-8\" standalone=\"yes\"",
            )
            .replace("BODY", "a&nbsp;b");
        assert!(error_of(&standalone).is_some());
    }

    #[test]
    fn blanking_keeps_positions() {
        assert_eq!(
            named_references_blanked("a&nbsp;b &#160; & &amp; &é;&"),
            format!(
                "a{}b &#160; & {} {}&",
                " ".repeat(6),
                " ".repeat(5),
                " ".repeat(3)
            )
        );
    }
}
