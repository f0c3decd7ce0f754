//! The page that opens a part of a book (one feed of `quire feed`'s newspaper): the part's
//! title and a list of its articles, linked. The contents entry of the part points here, so
//! that the part and its first article are two places (EPUB 2's NCX refuses two entries with
//! one target), and a reader paging through the book sees where each feed begins.

use crate::write::html::Hooks;
use crate::xml::escape_attr_into;

/// The body of a part's page: `title`, then each `(file, title)` of `articles` as a link; the
/// text goes through `hooks` (the KEPUB's spans).
pub(crate) fn part_body(title: &str, articles: &[(&str, &str)], hooks: &mut dyn Hooks) -> String {
    let mut out = String::from("<section class=\"part\">\n<h1>");
    hooks.block_start();
    hooks.text(title, &mut out);
    hooks.block_end();
    out.push_str("</h1>\n<ol class=\"part-contents\">\n");
    for (file, article) in articles {
        out.push_str("<li><a href=\"");
        hooks.block_start();
        escape_attr_into(file, &mut out);
        out.push_str("\">");
        hooks.text(article, &mut out);
        hooks.block_end();
        out.push_str("</a></li>\n");
    }
    out.push_str("</ol>\n</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::html::Plain;

    #[test]
    fn a_part_lists_its_articles_escaped() {
        let body = part_body(
            "News & <Views>",
            &[
                ("chapter-1.xhtml", "A \"quoted\" title"),
                ("chapter-2.xhtml", "B"),
            ],
            &mut Plain { xhtml: true },
        );
        assert!(body.contains("<h1>News &amp; &lt;Views&gt;</h1>"), "{body}");
        assert!(
            body.contains("<li><a href=\"chapter-1.xhtml\">A \"quoted\" title</a></li>"),
            "{body}"
        );
        assert!(
            body.contains("<li><a href=\"chapter-2.xhtml\">B</a></li>"),
            "{body}"
        );
    }
}
