use super::Labels;
use crate::model::Date;

/// The languages issue 14 names, each with what it must be matched from.
const LANGUAGES: [&str; 18] = [
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "ar", "he", "fa", "hi", "zh",
    "ja", "ko",
];

/// Every label of a language, with the field's name.
fn fields(labels: &Labels) -> [(&'static str, &'static str); 15] {
    [
        ("by_one", labels.by_one),
        ("by_many", labels.by_many),
        ("list_separator", labels.list_separator),
        ("list_and", labels.list_and),
        ("contents", labels.contents),
        ("sources", labels.sources),
        ("notes", labels.notes),
        ("figure", labels.figure),
        ("table", labels.table),
        ("image", labels.image),
        ("cover", labels.cover),
        ("title_page", labels.title_page),
        ("source", labels.source),
        ("updated", labels.updated),
        ("columns", labels.columns),
    ]
}

#[test]
fn every_language_has_every_label_and_only_english_is_english() {
    let english = Labels::for_language(Some("en"));
    for tag in LANGUAGES {
        let labels = Labels::for_language(Some(tag));
        assert_eq!(labels.language, tag, "{tag} matched other labels");
        for ((name, word), (_, english_word)) in fields(labels).into_iter().zip(fields(english)) {
            assert!(
                !word.trim().is_empty() || name == "list_separator",
                "{tag}.{name} is empty"
            );
            // Separators may be the same punctuation; words may not be English.
            let is_word = !matches!(name, "list_separator" | "list_and");
            if tag != "en" && is_word && word == english_word {
                // A few words are spelt the same in English and French.
                assert!(
                    tag == "fr"
                        && matches!(name, "sources" | "notes" | "figure" | "image" | "source"),
                    "{tag}.{name} is the English {word:?}"
                );
            }
        }
        assert!(labels.by_one.contains("{names}") && labels.by_many.contains("{names}"));
        assert!(labels.updated.contains("{date}"), "{tag}");
        assert!(labels.source_details.contains("{details}"), "{tag}");
        assert!(!labels.detail_separator.trim().is_empty(), "{tag}");
        assert!(labels.columns.contains("{columns}") && labels.columns.contains("{total}"));
        // A bundle's words: its default title and its counts, in the language's own words.
        if tag != "en" {
            assert_ne!(
                labels.collected_articles, english.collected_articles,
                "{tag}"
            );
            // "article" is French too.
            let articles = labels.articles.forms().filter(|_| tag != "fr");
            for form in articles.chain(labels.more_articles.forms()) {
                assert!(
                    !english.articles.forms().any(|english| english == form)
                        && !english.more_articles.forms().any(|english| english == form),
                    "{tag}: {form:?} is English"
                );
            }
        }
        // A volume's note says which volume and which articles, in the language's words.
        let one = labels.volume_one_article;
        for (place, form) in std::iter::once(("volume_one_article", one)).chain(
            labels
                .volume_articles
                .forms()
                .map(|f| ("volume_articles", f)),
        ) {
            let needs: &[&str] = if place == "volume_one_article" {
                &["{number}", "{volumes}", "{first}", "{total}"]
            } else {
                &["{number}", "{volumes}", "{first}", "{last}", "{total}"]
            };
            for placeholder in needs {
                assert!(form.contains(placeholder), "{tag}.{place} {form:?}");
            }
            if tag != "en" {
                assert!(
                    one != english.volume_one_article
                        && !english.volume_articles.forms().any(|e| e == form),
                    "{tag}: {form:?} is English"
                );
            }
        }
        // `other`, the form for any number, has the number in it.
        assert!(labels.articles.other.contains("{count}"), "{tag}");
        assert!(labels.more_articles.other.contains("{count}"), "{tag}");
    }
    assert_eq!(Labels::all().len(), LANGUAGES.len() + 1, "and zh-Hant");
}

#[test]
fn tags_match_by_language_and_chinese_by_script() {
    let language = |tag: &str| Labels::for_language(Some(tag)).language;
    assert_eq!(language("pt-BR"), "pt");
    assert_eq!(language("DE-at"), "de");
    assert_eq!(language("en_GB"), "en");
    assert_eq!(language("zh-CN"), "zh");
    assert_eq!(language("zh-Hans-HK"), "zh");
    assert_eq!(language("zh-Hant"), "zh-Hant");
    assert_eq!(language("zh-TW"), "zh-Hant");
    assert_eq!(language("xx"), "en");
    assert_eq!(language(""), "en");
    assert_eq!(Labels::for_language(None).language, "en");
    assert_eq!(Labels::for_language(Some("zh")).contents, "目录");
    assert_eq!(Labels::for_language(Some("zh-Hant-TW")).contents, "目錄");
}

#[test]
fn spot_checks() {
    let labels = |tag: &str| Labels::for_language(Some(tag));
    assert_eq!(
        labels("en").byline(&["Ann", "Bob", "Cy"]),
        "By Ann, Bob and Cy"
    );
    assert_eq!(labels("de").byline(&["Anna"]), "Von Anna");
    assert_eq!(labels("ru").byline(&["Анна"]), "Автор: Анна");
    assert_eq!(
        labels("ru").byline(&["Анна", "Борис"]),
        "Авторы: Анна и Борис"
    );
    assert_eq!(labels("ar").byline(&["أحمد", "محمد"]), "بقلم أحمد ومحمد");
    assert_eq!(labels("hi").byline(&["राम"]), "राम द्वारा");
    assert_eq!(
        labels("zh").byline(&["张三", "李四", "王五"]),
        "作者：张三、李四和王五"
    );
    assert_eq!(
        labels("ko").byline(&["김철수", "이영희", "박민수"]),
        "글: 김철수, 이영희 및 박민수"
    );
    assert_eq!(labels("fr").contents, "Table des matières");
    assert_eq!(labels("ru").sources, "Источники");
    assert_eq!(labels("ja").contents, "目次");
    assert_eq!(labels("en").columns("1, 5–8", 12), "(columns 1, 5–8 of 12)");
    assert_eq!(
        labels("de").columns("1, 5–8", 12),
        "(Spalten 1, 5–8 von 12)"
    );
    assert_eq!(labels("zh").columns("1、5–8", 12), "（第1、5–8列，共12列）");
    assert_eq!(
        labels("de").updated("3. Mai 2024"),
        "Aktualisiert am 3. Mai 2024"
    );
}

/// The details after a title in the Sources appendix are punctuated as the language
/// punctuates a sentence: they were ". A, B." in every language, so a Chinese book read
/// "标题. 王芳, 新闻网, 2026年12月2日." and an Arabic one put Latin commas between Arabic words.
#[test]
fn source_details_take_the_languages_punctuation() {
    let details =
        |tag: &str, details: &[&str]| Labels::for_language(Some(tag)).source_details(details);
    assert_eq!(
        details("en", &["Ann and Bob", "Site One", "2 January 2024"]).as_deref(),
        Some(". Ann and Bob, Site One, 2 January 2024.")
    );
    assert_eq!(details("en", &["Ann"]).as_deref(), Some(". Ann."));
    assert_eq!(details("en", &[]), None);
    // An abbreviation's full stop ends the sentence too.
    assert_eq!(
        details("ru", &["Анна Петрова", "2 декабря 2026 г."]).as_deref(),
        Some(". Анна Петрова, 2 декабря 2026 г.")
    );
    assert_eq!(
        details("en", &["Acme Inc."]).as_deref(),
        Some(". Acme Inc.")
    );
    // The names keep their enumeration comma 、; the site and the date follow after ，.
    assert_eq!(
        details("zh", &["张三、李四和王五", "新闻网", "2026年12月2日"]).as_deref(),
        Some("。张三、李四和王五，新闻网，2026年12月2日。")
    );
    assert_eq!(
        details("zh-TW", &["王芳", "新聞網"]).as_deref(),
        Some("。王芳，新聞網。")
    );
    assert_eq!(
        details("ja", &["山田花子", "ニュース", "2026年12月2日"]).as_deref(),
        Some("。山田花子、ニュース、2026年12月2日。")
    );
    assert_eq!(
        details("ar", &["ليلى حسن", "الجزيرة", "2 ديسمبر 2026"]).as_deref(),
        Some(". ليلى حسن، الجزيرة، 2 ديسمبر 2026.")
    );
    assert_eq!(
        details("fa", &["علی", "همشهری"]).as_deref(),
        Some(". علی، همشهری.")
    );
    assert_eq!(
        details("hi", &["राम", "समाचार"]).as_deref(),
        Some("। राम, समाचार।")
    );
}

/// Counts take the plural form CLDR's rules give the number in the language.
#[test]
fn counts_take_the_languages_plural_forms() {
    let count = |tag: &str, n: usize| {
        let labels = Labels::for_language(Some(tag));
        labels.count(&labels.articles, n)
    };
    assert_eq!(count("en", 1), "1 article");
    assert_eq!(count("en", 12), "12 articles");
    assert_eq!(count("xx", 2), "2 articles");
    assert_eq!(count("de", 1), "1 Artikel");
    assert_eq!(count("de", 3), "3 Artikel");
    assert_eq!(count("fr", 0), "0 article");
    assert_eq!(count("ru", 1), "1 статья");
    assert_eq!(count("ru", 3), "3 статьи");
    assert_eq!(count("ru", 5), "5 статей");
    assert_eq!(count("ru", 21), "21 статья");
    assert_eq!(count("pl", 22), "22 artykuły");
    assert_eq!(count("pl", 25), "25 artykułów");
    assert_eq!(count("ar", 1), "مقالة واحدة");
    assert_eq!(count("ar", 2), "مقالتان");
    assert_eq!(count("ar", 3), "3 مقالات");
    assert_eq!(count("ar", 11), "11 مقالة");
    assert_eq!(count("ar", 100), "100 مقالة");
    assert_eq!(count("he", 2), "שני מאמרים");
    assert_eq!(count("zh-TW", 4), "4篇文章");
    let labels = Labels::for_language(Some("de"));
    assert_eq!(labels.count(&labels.more_articles, 7), "und 7 weitere");
}

/// A volume's note, for a volume of one article and of several, in the language's words and
/// plural forms (Arabic's dual for two).
#[test]
fn volume_notes_are_in_the_language() {
    let note = |tag: &str, number, volumes, articles, total| {
        Labels::for_language(Some(tag)).volume(number, volumes, articles, total)
    };
    assert_eq!(
        note("en", 2, 3, 5..=8, 12),
        "Volume 2 of 3: articles 5–8 of 12."
    );
    assert_eq!(
        note("en", 3, 3, 12..=12, 12),
        "Volume 3 of 3: article 12 of 12."
    );
    assert_eq!(
        note("xx", 1, 2, 1..=2, 3),
        "Volume 1 of 2: articles 1–2 of 3."
    );
    assert_eq!(
        note("de", 2, 3, 5..=8, 12),
        "Band 2 von 3: Artikel 5–8 von 12."
    );
    assert_eq!(note("de", 1, 2, 1..=1, 2), "Band 1 von 2: Artikel 1 von 2.");
    assert_eq!(
        note("ar", 2, 3, 5..=8, 12),
        "المجلد 2 من 3: المقالات 5–8 من 12."
    );
    assert_eq!(
        note("ar", 1, 3, 1..=2, 5),
        "المجلد 1 من 3: المقالتان 1 و2 من 5."
    );
    assert_eq!(note("ar", 3, 3, 5..=5, 5), "المجلد 3 من 3: المقالة 5 من 5.");
    assert_eq!(note("zh", 1, 2, 1..=4, 9), "第1册，共2册：第1–4篇，共9篇。");
}

#[test]
fn dates_come_from_cldr_in_the_documents_language() {
    let date =
        |tag: &str, iso: &str| Labels::for_language(Some(tag)).date(&Date::parse_iso(iso).unwrap());
    // English keeps quire's own form (the golden files).
    assert_eq!(date("en", "2026-12-02T10:00Z"), "2 December 2026");
    assert_eq!(date("en", "2026-12"), "2026-12");
    assert_eq!(date("xx", "2026-12-02"), "2 December 2026");
    assert_eq!(date("de", "2026-12-02"), "2. Dezember 2026");
    assert_eq!(date("fr", "2026-12-02"), "2 décembre 2026");
    assert_eq!(date("es", "2026-12-02"), "2 de diciembre de 2026");
    assert_eq!(date("ru", "2026-12-02"), "2 декабря 2026\u{202f}г.");
    assert_eq!(date("zh", "2026-12-02"), "2026年12月2日");
    assert_eq!(date("ja", "2026-12-02"), "2026年12月2日");
    assert_eq!(date("ko", "2026-12-02"), "2026년 12월 2일");
    assert_eq!(date("de", "2026-12"), "Dezember 2026");
    assert_eq!(date("de", "2026"), "2026");
    // ICU4X's formatter alone cuts this one short (see dates.rs).
    assert_eq!(date("pt", "2026-12"), "dezembro de 2026");
    assert_eq!(date("ru", "2026-12"), "декабрь 2026\u{202f}г.");
    // Persian in the Gregorian calendar the article gave, not converted.
    assert!(
        date("fa", "2026-12-02").contains("دسامبر"),
        "{}",
        date("fa", "2026-12-02")
    );
    for tag in LANGUAGES {
        let written = date(tag, "2026-12-02");
        assert!(
            !written.is_empty() && written != "2026-12-02",
            "{tag}: {written}"
        );
        if tag != "en" {
            assert!(!written.contains("December"), "{tag}: {written}");
        }
    }
}
