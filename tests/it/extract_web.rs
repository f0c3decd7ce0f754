//! Article extraction on the kinds of page issue 15 names, each a small page written for the
//! test: a recipe keeps its ingredients and steps, a product page its details, a page laid
//! out with a table gives its article cell, and each kind of boilerplate line is dropped
//! while the article around it stays.

use quire::{InputFormat, ReadOptions};

const PARAGRAPH: &str = "The orchard cooperative picked its first apples on Saturday, a week \
    earlier than last year, after a warm spring and a dry, sunny August.";

fn paragraphs(n: usize, lead: &str) -> String {
    (0..n)
        .map(|i| format!("<p>{lead} {i}: {PARAGRAPH}</p>"))
        .collect()
}

fn menu() -> String {
    let items: String = (0..12)
        .map(|i| format!("<li><a href='/s{i}'>Section {i}</a></li>"))
        .collect();
    format!("<nav><ul>{items}</ul></nav>")
}

fn text_of(html: &str) -> String {
    quire::read(html.as_bytes(), InputFormat::Html, &ReadOptions::default())
        .expect("readable")
        .document
        .plain_text(usize::MAX)
}

#[test]
fn a_recipe_keeps_its_ingredients_and_steps() {
    // One intro paragraph, the ingredient list in a section of its own, then the steps:
    // the list is short fragments by measure, between two parts of the article.
    let html = format!(
        "<body>{menu}<div class='page'><article class='recipe'><h1>Apple cake</h1>\
         <p>Intro: {PARAGRAPH}</p><h2>Zutaten</h2>\
         <section class='ingredients'><ul><li>250 g Mehl</li><li>125 g Butter</li>\
         <li>2 Eier</li><li>1 Prise Salz</li></ul></section>\
         <div class='steps'>{steps}</div></article></div></body>",
        menu = menu(),
        steps = paragraphs(4, "Step"),
    );
    let text = text_of(&html);
    for kept in ["250 g Mehl", "1 Prise Salz", "Intro:", "Step 3"] {
        assert!(text.contains(kept), "{kept} lost: {text}");
    }
    assert!(!text.contains("Section 3"), "{text}");
}

#[test]
fn a_product_page_keeps_its_details() {
    let html = format!(
        "<body>{menu}<div class='product'><div class='description'>{about}</div>\
         <div class='specs'><h3>Details zum Artikel</h3><ul><li>Rebsorte: Zinfandel</li>\
         <li>Alkohol: 14,5 %</li><li>Trinktemperatur: 16 bis 18 °C</li></ul></div>\
         <div class='notes'>{more}</div></div>\
         <div class='related'><h3>Related</h3><ul><li><a href='/p1'>Another wine from the region</a></li>\
         <li><a href='/p2'>A third wine we sell</a></li></ul></div></body>",
        menu = menu(),
        about = paragraphs(2, "About"),
        more = paragraphs(3, "Tasting"),
    );
    let text = text_of(&html);
    for kept in [
        "Rebsorte: Zinfandel",
        "Trinktemperatur",
        "About 1",
        "Tasting 2",
    ] {
        assert!(text.contains(kept), "{kept} lost: {text}");
    }
    assert!(!text.contains("Another wine"), "{text}");
}

#[test]
fn a_page_laid_out_with_a_table_gives_its_article_cell() {
    let nav: String = (0..12)
        .map(|i| format!("<a href='/n{i}'>Section {i}</a><br>"))
        .collect();
    let events: String = (0..4)
        .map(|i| {
            format!(
                "<p>Event {i}: a conference in the city, with talks, workshops and a \
                 hallway track for developers.</p>"
            )
        })
        .collect();
    let html = format!(
        "<body><table><tr><td colspan=3>Weekly Edition banner</td></tr><tr><td>{nav}</td>\
         <td><h2>Harvest report</h2>{article}</td><td><h3>Upcoming events</h3>{events}</td></tr>\
         </table></body>",
        article = paragraphs(6, "Harvest"),
    );
    let reading =
        quire::read(html.as_bytes(), InputFormat::Html, &ReadOptions::default()).expect("readable");
    let text = reading.document.plain_text(usize::MAX);
    assert!(text.contains("Harvest 5"), "{text}");
    for chrome in ["Event 2", "Section 3", "Weekly Edition banner"] {
        assert!(!text.contains(chrome), "{chrome} kept: {text}");
    }
    // The article cell's paragraphs are paragraphs, not one table cell.
    assert!(
        !reading
            .document
            .blocks
            .iter()
            .any(|b| matches!(b, quire::model::Block::Table(_))),
        "{:?}",
        reading.document.blocks
    );
}

/// A page whose article holds one piece of boilerplate in the middle of it and another at
/// its end: the boilerplate goes, both halves of the article stay.
fn with_junk(middle: &str, end: &str) -> String {
    format!(
        "<body>{menu}<article><h1>Apples early</h1>{a}{middle}{b}{end}</article></body>",
        menu = menu(),
        a = paragraphs(3, "First"),
        b = paragraphs(3, "Second"),
    )
}

#[test]
fn boilerplate_lines_are_dropped_and_the_article_kept() {
    let cases = [
        ("<p>© 2024 Orchard News Ltd.</p>", "© 2024"),
        ("<div>Copyright Orchard News</div>", "Copyright Orchard"),
        ("<div class='time'>05:28 Uhr</div>", "05:28"),
        ("<p>January 13, 2024</p>", "January 13"),
        ("<p>Comments are closed.</p>", "Comments are closed"),
        ("<h3>Share this:</h3>", "Share this"),
        ("<div>Like this:</div>", "Like this"),
        ("<h3>Related Posts</h3>", "Related Posts"),
        ("<h3>Mehr zum Thema</h3>", "Mehr zum Thema"),
        (
            "<p><strong>Sign up for our newsletter</strong></p>",
            "Sign up for our newsletter",
        ),
        (
            "<div class='sharedaddy'><a href='/x'>Twitter</a> <a href='/f'>Facebook</a> Loading</div>",
            "Loading",
        ),
        ("<h2>Wie bewerten Sie diesen Artikel?</h2>", "Wie bewerten"),
        (
            "<p>Sie müssen sich einloggen, um sich an einer Diskussion beteiligen zu können.</p>",
            "einloggen",
        ),
        (
            "<p>To view the full story, please subscribe to The Orchard News.</p>",
            "full story",
        ),
        ("<p><i>Síguenos en Telegram, Instagram y Facebook</i></p>", "Telegram"),
        ("<h3>Ähnliche Beiträge</h3>", "Ähnliche"),
        ("<h4>热门推荐</h4>", "热门推荐"),
        ("<center>- Anzeige-</center>", "Anzeige"),
        ("<p>Rezept drucken</p>", "Rezept drucken"),
        ("<div>View Comments</div>", "View Comments"),
        ("<p>This entry was posted in Harvest by Ann.</p>", "entry was posted"),
        ("<p><strong>Kontakt:</strong></p>", "Kontakt"),
        ("<p><b>Weitere Informationen:</b></p>", "Weitere Informationen"),
        ("<p><b>Aktualisiert am</b> 17.01.2021.</p>", "Aktualisiert"),
        (
            "<div class='notice'>Dieser Beitrag gibt die Meinung des Autors wieder, nicht \
             notwendigerweise die der Redaktion des Orchard Journal.</div>",
            "Meinung des Autors",
        ),
        (
            "<p>To view the full story, please subscribe to The Orchard News. You can choose \
             a yearly or a monthly subscription.</p>",
            "full story",
        ),
        (
            "<p><em>Quelle: Deutscher Obstbauverband, 2. Februar 2024</em></p>",
            "Obstbauverband",
        ),
        (
            "<div class='post-footer'><span>Eingestellt von Ann um 21:11</span></div>",
            "Eingestellt",
        ),
        (
            "<a href='/presse'><i class='icon'></i>zurück zur Listenansicht</a>",
            "Listenansicht",
        ),
    ];
    for (junk, words) in cases {
        let text = text_of(&with_junk(junk, junk));
        assert!(!text.contains(words), "{words} kept: {text}");
        assert!(text.contains("First 2:"), "{junk}: first half lost: {text}");
        assert!(
            text.contains("Second 2:"),
            "{junk}: second half lost: {text}"
        );
    }
}

#[test]
fn labels_and_dates_inside_sentences_stay() {
    let html = with_junk(
        "<p>Kontakt: Ann Smith runs the orchard.</p><p>Updated 3 times since 2019.</p>\
         <p>Stand: 12 Bäume wurden gepflanzt, mehr als je zuvor.</p>",
        "",
    );
    let text = text_of(&html);
    for kept in ["Kontakt: Ann", "Updated 3 times", "Stand: 12 Bäume"] {
        assert!(text.contains(kept), "{kept} lost: {text}");
    }
}

#[test]
fn a_heading_with_nothing_kept_under_it_goes_with_its_box() {
    // "Read more from" titles a list of links (pruned), "Unterstütze das Projekt:" is the
    // last thing in the article; the pull quote set as a heading, a heading above a section
    // and one right above another heading stay.
    let related: String = (0..5)
        .map(|i| format!("<li><a href='/r{i}'>Another story about apples, part {i}</a></li>"))
        .collect();
    let html = format!(
        "<body>{menu}<article><h1>Apples early</h1>{a}<h2>Harvest</h2><h3>In the valley</h3>{b}\
         <h4>The trees were heavy with fruit.</h4><h4>Read more from Ann Smith</h4>\
         <ul>{related}</ul><div><h4>Unterstütze das Projekt:</h4></div></article></body>",
        menu = menu(),
        a = paragraphs(3, "First"),
        b = paragraphs(3, "Second"),
    );
    let text = text_of(&html);
    for kept in [
        "Harvest",
        "In the valley",
        "The trees were heavy",
        "First 2:",
        "Second 2:",
    ] {
        assert!(text.contains(kept), "{kept} lost: {text}");
    }
    for junk in ["Read more from", "Unterstütze", "Another story"] {
        assert!(!text.contains(junk), "{junk} kept: {text}");
    }
}

#[test]
fn wikipedia_style_edit_links_leave_the_heading() {
    let html = format!(
        "<body>{menu}<div id='content'>{a}<h2><span class='mw-headline'>History</span>\
         <span class='mw-editsection'><span class='mw-editsection-bracket'>[</span>\
         <a href='/edit'>edit</a><span class='mw-editsection-bracket'>]</span></span></h2>{b}</div></body>",
        menu = menu(),
        a = paragraphs(3, "First"),
        b = paragraphs(3, "Second"),
    );
    let text = text_of(&html);
    assert!(text.contains("History"), "{text}");
    assert!(!text.contains("edit"), "{text}");
    assert!(text.contains("Second 2:"), "{text}");
}

#[test]
fn quantities_and_data_cells_are_not_timestamps() {
    let html = format!(
        "<body>{menu}<article>{a}<ul><li>12.5 kg</li><li>3/4 cup sugar</li></ul>\
         <table><tr><td>2019-05</td><td>12:30</td></tr></table>{b}</article></body>",
        menu = menu(),
        a = paragraphs(3, "First"),
        b = paragraphs(3, "Second"),
    );
    let text = text_of(&html);
    for kept in ["12.5 kg", "3/4 cup sugar", "2019-05", "12:30"] {
        assert!(text.contains(kept), "{kept} lost: {text}");
    }
}

#[test]
fn a_lead_set_apart_from_the_body_opens_it() {
    // News pages put the lead under the headline, in a header block apart from the body; the
    // page's description repeats it (here cut short, as descriptions often are). A teaser
    // link elsewhere repeating it is not the lead.
    let lead = "Growers across the valley expect the biggest harvest in a decade, and the \
        cooperative is hiring forty pickers for the season.";
    let html = format!(
        "<html><head><title>A record harvest</title>\
         <meta name='description' content='Growers across the valley expect the biggest \
         harvest in a decade, and the cooperative…'></head>\
         <body>{menu}<div class='header'><h1>A record harvest</h1><div class='intro'>\
         <div class='summary'>{lead}</div></div></div>\
         <div class='body'><div class='text'>{body}</div></div>\
         <div class='teasers'><a href='/x'>{lead}</a></div></body></html>",
        menu = menu(),
        body = paragraphs(4, "Body"),
    );
    let text = text_of(&html);
    assert!(text.contains("Body 3"), "{text}");
    let at = text.find("Growers across the valley").expect("lead lost");
    assert!(
        at < text.find("Body 0").unwrap(),
        "lead after the body: {text}"
    );
    assert_eq!(text.matches("Growers across").count(), 1, "{text}");
    // Without the description nothing says the block is the lead.
    let plain = html.replace("name='description'", "name='keywords'");
    assert!(!text_of(&plain).contains("Growers across"));
}

#[test]
fn a_lead_in_the_headline_header_is_kept_when_the_header_is_left_out() {
    // The header holding the headline is left out of the body (the title is the document's);
    // a lead inside it, between the headline and the byline, is the article's first words.
    let lead = "Growers across the valley expect the biggest harvest in a decade this autumn.";
    let html = format!(
        "<html><head><title>A record harvest | The Valley News</title>\
         <meta name='description' content='{lead}'></head>\
         <body>{menu}<article><header><h1>A record harvest</h1>\
         <div class='summary'>{lead}</div><div class='byline'>By Ann Lee</div></header>\
         {body}</article></body></html>",
        menu = menu(),
        body = paragraphs(4, "Body"),
    );
    let text = text_of(&html);
    let at = text.find("Growers across the valley").expect("lead lost");
    assert!(at < text.find("Body 0").unwrap(), "{text}");
    assert_eq!(text.matches("Growers across").count(), 1, "{text}");
}

#[test]
fn a_short_dense_block_does_not_beat_an_article_wrapped_paragraph_by_paragraph() {
    // A page builder wraps each paragraph of the article in its own row and columns, so no
    // element holds a run of them; a market ticker of two long paragraphs in the page's
    // header does. The article is many times the ticker's prose.
    let ticker = "Markets: the apple price index rose by three points this week, pears fell \
        by two, and the cooperative's shares, traded since May, closed at 41.20, up 0.8 percent \
        on the day, their best week since the spring, while cherries, plums and quinces held \
        steady at the levels of the week before.";
    let parts: String = (0..14)
        .map(|i| {
            format!(
                "<div class='row'><div class='col'><div class='inner'><div class='text'>\
                 <p>Part {i}: {PARAGRAPH}</p></div></div></div></div>"
            )
        })
        .collect();
    let links: String = (0..40)
        .map(|i| format!("<li><a href='/s{i}'>Section number {i}</a></li>"))
        .collect();
    let html = format!(
        "<body><div class='top'><ul class='menu'>{links}</ul><div class='ticker'>\
         <p>{ticker}</p><p>{ticker}</p></div></div><div class='article-body'>{parts}</div>\
         <footer><p>Imprint</p></footer></body>"
    );
    let text = text_of(&html);
    assert!(text.contains("Part 0:"), "{text}");
    assert!(text.contains("Part 13:"), "{text}");
    assert!(!text.contains("apple price index"), "{text}");
}

#[test]
fn a_lead_named_teaser_beside_the_body_parts_stays() {
    // News systems name the lead "teaser": by its name a box beside the article, but the
    // page's description says it is the lead.
    let lead = "Growers across the valley expect the biggest harvest in a decade, and the \
        cooperative is hiring forty pickers for the season.";
    let html = format!(
        "<html><head><title>A record harvest</title><meta name='description' content='{lead}'>\
         </head><body>{menu}<div class='news'><h1>A record harvest</h1>\
         <div class='teaser-text'><p>{lead}</p></div><div class='news-text'>{first}</div>\
         <h2>Next</h2><div class='news-text'>{second}</div></div></body></html>",
        menu = menu(),
        first = paragraphs(4, "Body"),
        second = paragraphs(4, "Later"),
    );
    let text = text_of(&html);
    let at = text.find("Growers across the valley").expect("lead lost");
    assert!(at < text.find("Body 0").unwrap(), "{text}");
    assert!(text.contains("Later 3"), "{text}");
    assert_eq!(text.matches("Growers across").count(), 1, "{text}");
}

#[test]
fn a_page_split_into_article_boxes_keeps_each_box() {
    // A recipe page sets its header, ingredients and steps in <article> boxes side by side;
    // the teasers after them are <article>s too, but of links.
    let teasers: String = (0..4)
        .map(|i| {
            format!("<article class='box'><a href='/r{i}'>Another cake recipe {i}</a></article>")
        })
        .collect();
    let html = format!(
        "<body>{menu}<main><article class='box'><h1>Apple cake</h1><p>The juiciest cake.</p></article>\
         <article class='box'><h2>Zutaten</h2><table><tr><td>250 g</td><td>Mehl</td></tr>\
         <tr><td>125 g</td><td>Butter</td></tr></table></article>\
         <article class='box'><h2>Zubereitung</h2>{steps}</article>{teasers}</main></body>",
        menu = menu(),
        steps = paragraphs(3, "Step"),
    );
    let text = text_of(&html);
    for kept in ["The juiciest cake", "Mehl", "Butter", "Step 2"] {
        assert!(text.contains(kept), "{kept} lost: {text}");
    }
    assert!(!text.contains("Another cake recipe"), "{text}");
}

#[test]
fn a_lead_is_found_when_the_description_has_markup_and_other_quotes() {
    // The description is written with markup and a straight apostrophe; the page sets the
    // lead with a typographic one, in a box named like a teaser, beside the body.
    let html = format!(
        "<html><head><title>A record harvest</title><meta name='description' \
         content='&lt;p&gt;The valley&#039;s growers expect the biggest harvest in a decade this autumn.&lt;/p&gt;'>\
         </head><body>{menu}<div class='news'><h1>A record harvest</h1>\
         <div class='sommario'><p>The valley’s growers expect the biggest harvest in a decade \
         this autumn.</p></div><div class='story'>{body}</div></div></body></html>",
        menu = menu(),
        body = paragraphs(5, "Body"),
    );
    let text = text_of(&html);
    let at = text.find("growers expect").expect("lead lost");
    assert!(at < text.find("Body 0").unwrap(), "{text}");
}

#[test]
fn ruby_readings_do_not_split_the_words_they_annotate() {
    // Pages for learners set the reading over each word: `<rt>` (and the `<rp>` parentheses
    // for browsers without ruby) would otherwise be read inline, "子こども" for "子ども".
    let html = format!(
        "<body>{menu}<article><h1>法律</h1><p><ruby>子<rp>(</rp><rt>こ</rt><rp>)</rp></ruby>どもを\
         <ruby>守<rt>まも</rt></ruby>るための<ruby>法律<rt>ほうりつ</rt></ruby>ができました。</p>{body}</article></body>",
        menu = menu(),
        body = paragraphs(4, "Body"),
    );
    let text = text_of(&html);
    assert!(
        text.contains("子どもを守るための法律ができました。"),
        "{text}"
    );
    assert!(!text.contains("こ") && !text.contains("ほうりつ"), "{text}");
}

/// A page for learners whose one Japanese paragraph opens with `word` (markup around a
/// ruby), among enough prose for the extraction to run.
fn ruby_page(word: &str) -> String {
    format!(
        "<body>{menu}<article><h1>法律</h1><p>{word}に前からある法律では、親には子どもを叱る\
         権利があると決めています。</p>{body}</article></body>",
        menu = menu(),
        body = paragraphs(4, "Body"),
    )
}

#[test]
fn a_ruby_inside_a_span_keeps_its_word() {
    // NHK's easy news sets names as `<span class='colorC'><ruby>…</ruby></span>`: the ruby was
    // measured as a block of its own (a short fragment), so the span around it held nothing
    // but noise and was pruned, word and all ("に前からある…" for "日本に前からある…").
    let bare = text_of(&ruby_page("<ruby>日本<rt>にっぽん</rt></ruby>"));
    assert!(
        bare.contains("日本に前からある法律では、親には子どもを叱る権利があると決めています。"),
        "{bare}"
    );
    assert!(!bare.contains("にっぽん"), "{bare}");
    for (open, close) in [
        ("<span>", "</span>"),
        ("<span class='colorC'>", "</span>"),
        ("<span class='colorL'><span>", "</span></span>"),
        ("<a href='/word/nihon'>", "</a>"),
        ("<a>", "</a>"),
        ("<em>", "</em>"),
        ("<strong>", "</strong>"),
        ("<b>", "</b>"),
        ("<i>", "</i>"),
        ("<u>", "</u>"),
        ("<font color='red'>", "</font>"),
        ("<mark>", "</mark>"),
        ("<small>", "</small>"),
    ] {
        let text = text_of(&ruby_page(&format!(
            "{open}<ruby>日本<rt>にっぽん</rt></ruby>{close}"
        )));
        assert_eq!(text, bare, "{open}");
    }
}

#[test]
fn a_ruby_of_several_pairs_keeps_every_base() {
    // Base and reading in pairs, bases in `<rb>`, readings in an `<rtc>` (in `<rt>`s or as
    // its own text), parentheses in `<rp>`: the bases are the word, in a span or not.
    for ruby in [
        "<ruby>日<rt>に</rt>本<rt>ほん</rt></ruby>",
        "<ruby><rb>日</rb><rb>本</rb><rt>に</rt><rt>ほん</rt></ruby>",
        "<ruby><rb>日</rb><rb>本</rb><rtc><rt>に</rt><rt>ほん</rt></rtc></ruby>",
        "<ruby><rb>日</rb><rb>本</rb><rtc>に ほん</rtc></ruby>",
        "<ruby>日<rp>(</rp><rt>に</rt><rp>)</rp>本<rp>(</rp><rt>ほん</rt><rp>)</rp></ruby>",
    ] {
        for word in [
            ruby.to_string(),
            format!("<span class='colorL'>{ruby}</span>"),
        ] {
            let text = text_of(&ruby_page(&word));
            assert!(text.contains("日本に前からある法律では"), "{word}: {text}");
            assert!(
                !text.contains('(') && !text.contains("ほん"),
                "{word}: {text}"
            );
        }
    }
}

#[test]
fn the_markdown_keeps_a_ruby_inside_a_span() {
    let html = ruby_page("<span><ruby>日本<rt>にっぽん</rt></ruby></span>");
    let reading =
        quire::read(html.as_bytes(), InputFormat::Html, &ReadOptions::default()).expect("readable");
    let rendered = quire::write(
        &reading.document,
        quire::OutputFormat::Markdown,
        &quire::WriteOptions::default(),
    )
    .expect("written");
    let text = String::from_utf8(rendered.bytes).unwrap();
    assert!(text.contains("\n日本に前からある法律では"), "{text}");
}

#[test]
fn soft_hyphens_do_not_stay_inside_words() {
    // A soft hyphen (U+00AD, `&shy;`) only says where a browser may break the word.
    let html = format!(
        "<body>{menu}<article><h1>Wein</h1><p>Schon im Mit&shy;tel\u{ad}al&#173;ter war \
         der St. Mag&shy;da&shy;le&shy;ner bekannt.</p>{body}</article></body>",
        menu = menu(),
        body = paragraphs(4, "Body"),
    );
    let text = text_of(&html);
    assert!(
        text.contains("Schon im Mittelalter war der St. Magdalener bekannt."),
        "{text}"
    );
    assert!(!text.contains('\u{ad}'), "{text}");
}

#[test]
fn a_recipe_keeps_its_times_and_nutrition_set_beside_the_steps() {
    // The steps are the article's prose; the preparation time and the nutrition per piece
    // are short fragments beside them, known by their names.
    let html = format!(
        "<body>{menu}<article class='recipe'><h1>Kirschkuchen</h1>\
         <div class='nutrients'><span>1 Stück ca.:</span><ul class='list list--nutrients'>\
         <li>390 kcal</li><li>8 g Eiweiß</li><li>13 g Fett</li></ul></div>\
         <div class='social-bar'><a href='/share'>Pin it</a> <a href='/mail'>Versenden</a></div>\
         <div class='preparation'><div class='preparation__time'><span>120 Minuten</span>\
         <span>( + 300 Minuten Wartezeit )</span></div><div class='steps'>{steps}</div></div>\
         </article></body>",
        menu = menu(),
        steps = paragraphs(5, "Step"),
    );
    let text = text_of(&html);
    for kept in ["390 kcal", "13 g Fett", "300 Minuten Wartezeit", "Step 4"] {
        assert!(text.contains(kept), "{kept} lost: {text}");
    }
    assert!(!text.contains("Pin it"), "{text}");
}

#[test]
fn an_article_built_by_a_script_is_read_from_its_noscript_copy() {
    // Blogger's templates: the post is a script template, with a copy for readers without
    // scripts in <noscript>. Without that copy the page has no article at all.
    let copy = paragraphs(6, "Copy");
    let html = format!(
        "<html><body>{}<div class='post'><h2>The post</h2>\
         <script type='text/template'>{copy}</script><noscript>{copy}</noscript></div>\
         <aside><h2>Labels</h2>{}</aside></body></html>",
        menu(),
        menu()
    );
    let text = text_of(&html);
    assert!(
        text.contains("Copy 0: The orchard") && text.contains("Copy 5:"),
        "{text}"
    );
    assert!(!text.contains("Section 3"), "{text}");
}

#[test]
fn the_named_content_container_keeps_parts_wrapped_one_paragraph_at_a_time() {
    // A page builder's post: the opening paragraphs together, then each later paragraph in
    // its own stack of wrappers (rows, columns, text widgets). No part after the opening is
    // a paragraph run of its own, but the container the page names as its content holds
    // them, and they are prose.
    let wrapped: String = (0..4)
        .map(|i| {
            format!(
                "<div class='row'><div class='col'><div class='widget'><div class='inner'>\
                 <div class='txt'><p>Later part {i}: {PARAGRAPH}</p></div>\
                 </div></div></div></div>"
            )
        })
        .collect();
    let html = format!(
        "<html><body>{}<div class='entry-content'><div class='intro'>{}</div>{wrapped}</div>\
         <aside class='sidebar'>{}</aside></body></html>",
        menu(),
        paragraphs(8, "Opening"),
        menu()
    );
    let text = text_of(&html);
    assert!(text.contains("Opening 7:"), "{text}");
    for i in 0..4 {
        assert!(text.contains(&format!("Later part {i}:")), "{text}");
    }
    assert!(!text.contains("Section 3"), "{text}");
}

#[test]
fn headings_whose_anchor_ids_hold_chrome_words_stay() {
    // Ids made from a heading's text ("nav" in "nav_the_next_step", "more", "next"): anchors
    // to link to, not names of navigation.
    let html = format!(
        "<html><body>{}<article>{}<h3 id='nav_the_next_step__1'>The next step</h3>{}\
         <h2 id='what-are-you-looking-forward-to-next'>Looking forward to more</h2>{}</article>\
         </body></html>",
        menu(),
        paragraphs(4, "First"),
        paragraphs(3, "Second"),
        paragraphs(3, "Third")
    );
    let text = text_of(&html);
    assert!(text.contains("The next step"), "{text}");
    assert!(text.contains("Looking forward to more"), "{text}");
    assert!(text.contains("Third 2:"), "{text}");
}

#[test]
fn a_paragraph_inside_a_named_anchor_is_prose_not_a_link() {
    // `<a name>` (no href) marks a place to link to; its text is the paragraph's.
    let html = format!(
        "<html><body>{}<article>{}<p><a name='question'>One of the questions asked most \
         often by listeners is this one: what does the professor say about it?</a></p>{}\
         </article></body></html>",
        menu(),
        paragraphs(4, "Before"),
        paragraphs(3, "After")
    );
    let text = text_of(&html);
    assert!(text.contains("asked most often by listeners"), "{text}");
}

#[test]
fn a_dateline_inside_the_first_sentence_stays_with_it() {
    // A dateline set in a span inside the paragraph is the sentence's first words; a
    // dateline on a line of its own is still furniture.
    let html = format!(
        "<html><body>{}<article><div class='dateline'>Updated 3 minutes ago</div>\
         <p><span class='dateline'>KOBE – </span>A total of 6,000 surgical masks have been lost \
         at a hospital in Kobe, it was learned Tuesday.</p>{}</article></body></html>",
        menu(),
        paragraphs(4, "Body")
    );
    let text = text_of(&html);
    assert!(
        text.contains("KOBE – A total of 6,000 surgical masks"),
        "{text}"
    );
    assert!(!text.contains("Updated 3 minutes ago"), "{text}");
}

#[test]
fn an_endless_page_gives_its_first_story_not_the_longest() {
    // The next stories are loaded below the first, each in a box of the same kind with its
    // links to more; the page (its address, title and description) is the first one's,
    // though a later one is longer.
    let cards: String = (0..10)
        .map(|i| {
            format!(
                "<article class='card'><h3><a href='/story/{i}'>Another headline number {i} \
                 of the day</a></h3><p>Teaser {i}.</p></article>"
            )
        })
        .collect();
    let story = |n: usize, lead: &str, body: &str| {
        format!(
            "<div class='scrollblock'><article class='entry'><h1>Story {n}</h1>\
             <p class='lead'>{lead}</p><div class='entry-text'>{body}</div></article>{cards}</div>"
        )
    };
    let first_lead = "Drivers of every kind of vehicle are invited to the yearly blessing that \
        the friars hold tomorrow on the avenue.";
    let html = format!(
        "<html><head><title>Story 0</title><meta name='description' content='{first_lead}'>\
         </head><body>{}<section class='column'>{}{}</section></body></html>",
        menu(),
        story(0, first_lead, &paragraphs(4, "First story")),
        story(
            1,
            "The prosecutor general spoke about the work of the office.",
            &paragraphs(12, "Next story")
        ),
    );
    let text = text_of(&html);
    assert!(text.contains("First story 3:"), "{text}");
    assert!(!text.contains("Next story 0:"), "{text}");
    // A standfirst in a box named like the body's box is not another story.
    let standfirst = format!(
        "<html><head><title>Wind power</title><meta name='description' content='{first_lead}'>\
         </head><body>{}<div class='article'><div class='container'><p>{first_lead}</p></div>\
         <div class='container'>{}</div></div></body></html>",
        menu(),
        paragraphs(8, "Body")
    );
    let text = text_of(&standfirst);
    assert!(
        text.contains("Body 7:") && text.contains("Drivers of every kind"),
        "{text}"
    );
}

#[test]
fn a_block_repeating_a_pictures_alt_text_is_its_caption() {
    // The page writes the caption under the picture from its alt text, in a plain block
    // outside any figure (here after a linked picture); a heading repeating a picture's alt
    // text and a paragraph opening with a short one stay what they are.
    let html = format!(
        "<body>{menu}<article>{a}<div><a href=''><div><img src='tree.jpg' \
         alt='The old pear tree in the north orchard'></div></a>\
         <div class='note'>The old pear tree in the north orchard, planted by the founders \
         in 1931 and still bearing fruit.</div></div>\
         <img src='map.png' alt='Orchard map of the northern valley'>\
         <h3>Orchard map of the northern valley</h3>\
         <img src='crate.jpg' alt='Crates'><p>Crates of apples stood in the yard all week.</p>\
         {b}</article></body>",
        menu = menu(),
        a = paragraphs(3, "First"),
        b = paragraphs(3, "Second"),
    );
    let reading =
        quire::read(html.as_bytes(), InputFormat::Html, &ReadOptions::default()).expect("readable");
    let blocks = &reading.document.blocks;
    let captions: Vec<String> = blocks
        .iter()
        .filter_map(|b| match b {
            quire::model::Block::Figure(figure) => Some(format!("{:?}", figure.caption)),
            _ => None,
        })
        .collect();
    assert!(
        captions
            .iter()
            .any(|c| c.contains("planted by the founders")),
        "{blocks:?}"
    );
    let outside = |words: &str| {
        blocks.iter().any(|b| {
            matches!(
                b,
                quire::model::Block::Paragraph(_) | quire::model::Block::Heading { .. }
            ) && format!("{b:?}").contains(words)
        })
    };
    assert!(!outside("planted by the founders"), "{blocks:?}");
    assert!(outside("Orchard map of the northern valley"), "{blocks:?}");
    assert!(outside("Crates of apples stood"), "{blocks:?}");
}

#[test]
fn the_caption_of_a_picture_that_could_not_be_read_goes() {
    // The picture is a script's placeholder with no source; the quote's figure has no
    // picture, and its caption (the quote's source) stays.
    let html = format!(
        "<body>{menu}<article>{a}<figure><img class='lazyloading' alt=''>\
         <figcaption>Figure 4: the largest avalanche of the week, near the pass.</figcaption>\
         </figure><figure><blockquote><p>An apple a day keeps the doctor away, they say.</p>\
         </blockquote><figcaption>Old proverb from the valley</figcaption></figure>{b}\
         </article></body>",
        menu = menu(),
        a = paragraphs(3, "First"),
        b = paragraphs(3, "Second"),
    );
    let text = text_of(&html);
    assert!(!text.contains("largest avalanche"), "{text}");
    for kept in ["An apple a day", "Old proverb", "First 2:", "Second 2:"] {
        assert!(text.contains(kept), "{kept} lost: {text}");
    }
}

#[test]
fn a_forum_thread_keeps_its_first_post_whole() {
    // A thread page: the first post, then replies, each with its poster's box (name, post
    // count, join date), buttons and a signature; the forum's navigation around them.
    let post = |n: usize, text: &str| {
        format!(
            "<li class='postbit' id='post_{n}'><div class='userinfo'><a href='/u/{n}'>user{n}</a>\
             <span class='usertitle'>Member</span><dl><dt>Posts</dt><dd>{n}42</dd>\
             <dt>Joined</dt><dd>Mar 2019</dd></dl></div><div class='postbody'>\
             <div class='content'><blockquote class='postcontent'>{text}</blockquote></div>\
             <div class='signature'>-- greetings from the lake</div></div>\
             <div class='postfoot'><a href='/reply/{n}'>Reply</a> <a href='/quote/{n}'>Quote</a>\
             </div></li>"
        )
    };
    let first = "My phone got the update yesterday evening. It took about twenty minutes to \
        install, and since then the battery lasts a whole day again. The camera app also \
        starts faster. <br><br>Has anyone else noticed that the keyboard feels slower after \
        the update? I have tried restarting the phone twice, and clearing the cache of the \
        keyboard app, but typing still lags behind my fingers.";
    let html = format!(
        "<html><head><title>Update arrived - Phone forum</title></head><body>{}\
         <div class='breadcrumb'><a href='/'>Forum</a> › <a href='/phones'>Phones</a></div>\
         <h1>Update arrived</h1><ol id='posts'>{}{}{}</ol>\
         <div class='pagenav'><a href='?page=2'>2</a> <a href='?page=3'>3</a> \
         <a href='?page=2'>Next ›</a></div>{}</body></html>",
        menu(),
        post(1, first),
        post(
            2,
            "Same here, the keyboard lags a little, but only in some apps."
        ),
        post(
            3,
            "Thanks for the tip about the cache, I will try it tonight."
        ),
        menu()
    );
    let text = text_of(&html);
    assert!(
        text.contains("took about twenty minutes to install"),
        "{text}"
    );
    assert!(
        text.contains("typing still lags behind my fingers"),
        "{text}"
    );
    for junk in ["Section 3", "Next ›", "Joined"] {
        assert!(!text.contains(junk), "{junk} kept: {text}");
    }
}

#[test]
fn a_how_to_page_keeps_its_steps_and_a_documentation_page_its_code() {
    // A how-to: an introduction, what you need, numbered steps each with a heading and a
    // sentence or two; a documentation page: prose, a code block and a table of options,
    // with the docs' navigation tree beside it.
    let steps: String = (1..=6)
        .map(|i| {
            format!(
                "<li><h3>Step {i}</h3><p>Loosen the screw {i} by half a turn, then lift the \
                 panel gently.</p></li>"
            )
        })
        .collect();
    let how_to = format!(
        "<html><body>{}<main><h1>How to replace a bicycle chain</h1>{}\
         <h2>What you need</h2><ul><li>A chain tool</li><li>A new chain</li><li>Gloves</li></ul>\
         <h2>Steps</h2><ol class='steps'>{steps}</ol></main>{}</body></html>",
        menu(),
        paragraphs(2, "Intro"),
        menu()
    );
    let text = text_of(&how_to);
    for kept in [
        "A chain tool",
        "Gloves",
        "Step 1",
        "Step 6",
        "Loosen the screw 6",
        "Intro 1:",
    ] {
        assert!(text.contains(kept), "{kept} lost: {text}");
    }
    assert!(!text.contains("Section 3"), "{text}");

    let tree: String = (0..20)
        .map(|i| format!("<li><a href='/docs/page{i}'>Reference page {i}</a></li>"))
        .collect();
    let docs = format!(
        "<html><body>{}<div class='docs'><nav class='sidebar'><ul>{tree}</ul></nav>\
         <div class='markdown-body'><h1>Configuration</h1>{}\
         <pre><code>[server]\nbind = \"127.0.0.1:8080\"\nworkers = 4</code></pre>\
         <table><tr><th>Option</th><th>Meaning</th></tr>\
         <tr><td>bind</td><td>The address to listen on</td></tr>\
         <tr><td>workers</td><td>How many requests run at once</td></tr></table>{}</div></div>\
         </body></html>",
        menu(),
        paragraphs(2, "Docs"),
        paragraphs(1, "After")
    );
    // The model's plain text leaves code out: the Markdown shows the code block.
    let reading =
        quire::read(docs.as_bytes(), InputFormat::Html, &ReadOptions::default()).expect("readable");
    let rendered = quire::write(
        &reading.document,
        quire::OutputFormat::Markdown,
        &quire::WriteOptions::default(),
    )
    .expect("written");
    let text = String::from_utf8(rendered.bytes).unwrap();
    assert!(text.contains("```\n[server]"), "{text}");
    for kept in [
        "bind = \"127.0.0.1:8080\"",
        "workers = 4",
        "The address to listen on",
        "After 0:",
    ] {
        assert!(text.contains(kept), "{kept} lost: {text}");
    }
    assert!(!text.contains("Reference page 7"), "{text}");
}
