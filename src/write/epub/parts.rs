//! The page that opens a part of a book (one feed of `quire feed`'s newspaper): the part's
//! title and a list of its articles, linked. The contents entry of the part points here, so
//! that the part and its first article are two places (EPUB 2's NCX refuses two entries with
//! one target), and a reader paging through the book sees where each feed begins.

use super::nav::push_dir_apart;
use crate::model::Direction;
use crate::write::html::Hooks;
use crate::xml::escape_attr_into;

/// The body of a part's page: `title`, then each `(file, title)` of `articles` as a link; the
/// text goes through `hooks` (the KEPUB's spans). A title written the other way from the
/// page (`direction`, the book's) states its own, as its contents entry does.
pub(crate) fn part_body(
    title: &str,
    articles: &[(&str, &str)],
    direction: Option<Direction>,
    hooks: &mut dyn Hooks,
) -> String {
    let mut out = String::from("<section class=\"part\">\n<h1>");
    hooks.block_start();
    hooks.text(title, &mut out);
    hooks.block_end();
    out.push_str("</h1>\n<ol class=\"part-contents\">\n");
    for (file, article) in articles {
        out.push_str("<li><a href=\"");
        hooks.block_start();
        escape_attr_into(file, &mut out);
        out.push('"');
        push_dir_apart(article, direction, &mut out);
        out.push('>');
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
            None,
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

    /// An Arabic article's title in an English feed's part states its direction (it had none,
    /// so its final "؟" went to the English end), and an English one in an Arabic part too.
    #[test]
    fn an_article_written_the_other_way_states_its_direction() {
        let articles = [
            ("chapter-1.xhtml", "Harbour news"),
            ("chapter-2.xhtml", "هل يعود الصيادون؟"),
        ];
        let english = part_body("Feed", &articles, None, &mut Plain { xhtml: true });
        assert!(
            english
                .contains("<li><a href=\"chapter-2.xhtml\" dir=\"rtl\">هل يعود الصيادون؟</a></li>"),
            "{english}"
        );
        assert!(
            english.contains("<li><a href=\"chapter-1.xhtml\">Harbour news</a></li>"),
            "{english}"
        );
        let arabic = part_body(
            "أخبار",
            &articles,
            Some(Direction::Rtl),
            &mut Plain { xhtml: true },
        );
        assert!(
            arabic.contains("<li><a href=\"chapter-1.xhtml\" dir=\"ltr\">Harbour news</a></li>"),
            "{arabic}"
        );
        assert!(
            arabic.contains("<li><a href=\"chapter-2.xhtml\">هل"),
            "{arabic}"
        );
    }
}
