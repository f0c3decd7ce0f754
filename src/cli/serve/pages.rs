//! The server's HTML: one layout, plain markup that works on a phone and on an e-reader's
//! browser (no script needed except to drop a file), every text escaped on its way in.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::fmt::Write;

/// Escapes text for HTML content and attribute values (the crate's one escaper; line breaks
/// become spaces, which is how HTML shows them outside `<pre>` anyway).
pub fn esc(text: &str) -> String {
    quire::xml::escape_attr(text)
}

const STYLE: &str = "\
body{font:17px/1.5 Georgia,serif;max-width:42em;margin:0 auto;padding:0 1em 3em;color:#111;background:#fff}\
nav{border-bottom:1px solid #888;padding:.6em 0;margin-bottom:1em}nav a{margin-right:1.2em}\
input[type=url],input[type=search],input[type=password],input[type=text]{width:100%;box-sizing:border-box;font-size:1em;padding:.4em}\
button,.button{font-size:1em;padding:.35em .9em;margin:.3em .3em .3em 0;border:1px solid #444;background:#eee;color:#111;text-decoration:none;display:inline-block}\
.meta{color:#444}.downloads a{margin-right:.4em}#drop{border:2px dashed #888;padding:1em;margin:1em 0}\
#drop.over{background:#eef}article img{max-width:100%;height:auto}\
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ccc;padding:.3em;text-align:left;vertical-align:top}\
.problem{border-left:4px solid #a00;padding-left:1em}pre{white-space:pre-wrap}\
td .button,button.small{font-size:.8em;padding:.15em .5em}.actions{margin:.5em 0 1.5em}.actions form{display:inline}td.date{white-space:nowrap}";

/// A whole page: the title, the navigation and `body` (already HTML).
pub fn layout(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · quire</title><style>{STYLE}</style></head><body>\
         <nav><a href=\"/\">Read</a><a href=\"/library\">Library</a><a href=\"/opds\">OPDS</a></nav>\
         {body}</body></html>\n",
        esc(title)
    )
}

/// A page as a response, with a `Set-Cookie` (a new CSRF cookie) when there is one.
pub fn page(title: &str, body: &str, set_cookie: Option<HeaderValue>) -> Response {
    let mut response = Html(layout(title, body)).into_response();
    if let Some(cookie) = set_cookie {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The hidden CSRF field every form starts with.
pub fn csrf_field(token: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(token)
    )
}

/// Something that went wrong, answered with its status and a page saying what.
#[derive(Debug, Clone)]
pub struct Problem {
    pub status: StatusCode,
    pub title: String,
    pub detail: String,
    pub link: Option<(String, String)>,
}

impl Problem {
    pub fn new(status: StatusCode, title: &str, detail: &str) -> Problem {
        Problem {
            status,
            title: title.to_string(),
            detail: detail.to_string(),
            link: None,
        }
    }

    pub fn with_link(mut self, href: &str, text: &str) -> Problem {
        self.link = Some((href.to_string(), text.to_string()));
        self
    }

    pub fn not_found(what: &str) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "Not found", what)
            .with_link("/library", "Back to the library")
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut body = format!(
            "<div class=\"problem\" id=\"problem\"><h1>{}</h1><p>{}</p></div>",
            esc(&self.title),
            esc(&self.detail)
        );
        let (href, text) = self
            .link
            .unwrap_or_else(|| ("/".to_string(), "Back to the start page".to_string()));
        let _ = write!(body, "<p><a href=\"{}\">{}</a></p>", esc(&href), esc(&text));
        let mut response = page(&self.title, &body, None);
        *response.status_mut() = self.status;
        response
    }
}

/// The page of a panic caught in a handler.
pub fn internal_error() -> Problem {
    Problem::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "quire failed on this request (a bug: please report it). The library is unchanged.",
    )
}

/// A byte count for people: `20 MB`.
pub fn size(bytes: u64) -> String {
    super::super::args::format_size(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(esc("two\nlines"), "two lines");
        let page = layout("<script>", "");
        assert!(page.contains("<title>&lt;script&gt; · quire</title>"));
    }
}
