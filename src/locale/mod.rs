//! The words a reader sees around the article, in the article's language: the byline ("By
//! …"), "Contents", "Sources", "Notes", captions, and dates with month names.
//!
//! Writers take one [`Labels`] for the document's language ([`Labels::for_language`] with
//! `Meta::language`) and format dates with [`Labels::date`]. A language tag is matched on its
//! primary language subtag, as BCP 47 lookup does (`pt-BR` → `pt`), with one script told
//! apart: Chinese in traditional characters (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`) has its
//! own forms where they differ (目錄, not 目录). A language quire has no labels for gets
//! English, never a mix.
//!
//! The dates come from CLDR through ICU4X's compiled data (the Gregorian calendar's long
//! form: "2. Dezember 2026", "2026年12月2日"). CLDR has no words for "Contents", "Sources" or
//! the other labels, so those are written here, per language, in the `labels` module.

pub mod bcp47;
mod dates;
mod detect;
mod labels;

pub(crate) use detect::detect_language;

/// The words for one language. Patterns hold `{names}`, `{date}`, `{columns}` and `{total}`
/// where the values go, since word order differs between languages ("By {names}",
/// "{names} द्वारा").
#[derive(Debug, PartialEq, Eq)]
pub struct Labels {
    /// The BCP 47 tag these labels are for (`en`, `de`, `zh-Hant`…).
    pub language: &'static str,
    /// The byline for one author: "By {names}".
    pub by_one: &'static str,
    /// The byline for several authors (languages that say "Author:" need the plural).
    pub by_many: &'static str,
    /// What joins names but the last two: ", ".
    pub list_separator: &'static str,
    /// What joins the last two names: " and ".
    pub list_and: &'static str,
    /// What follows a title in the Sources appendix when the article has details to give
    /// (its authors, site and date, `{details}`): ". {details}." makes "Title. Ann, Site,
    /// 2 May 2024."; Chinese and Japanese end a sentence with 。 and no space.
    pub source_details: &'static str,
    /// What joins those details: ", ". Not `list_separator`: Chinese joins names with the
    /// enumeration comma 、 but things of different kinds (the names, then the site) with ，,
    /// so that the last name does not read as one more list item with the site.
    pub detail_separator: &'static str,
    /// The heading of a table of contents (the EPUB navigation, a bundle's contents page).
    pub contents: &'static str,
    /// The heading of the appendix that lists each article's origin.
    pub sources: &'static str,
    /// The heading of a list of notes.
    pub notes: &'static str,
    /// What a figure is called in a caption.
    pub figure: &'static str,
    /// What a table is called in a caption (a split table with no caption of its own).
    pub table: &'static str,
    /// The alternative text of an image that has none.
    pub image: &'static str,
    /// The name of the cover page and its image.
    pub cover: &'static str,
    /// The name of a book's title page (in the EPUB's landmarks).
    pub title_page: &'static str,
    /// A link to the article's origin when it has no host name to show.
    pub source: &'static str,
    /// The date an article was last changed: "Updated {date}".
    pub updated: &'static str,
    /// The part of a table's caption that says which columns a part shows, when a table is
    /// too wide for the page: "(columns {columns} of {total})".
    pub columns: &'static str,
    /// A bundle's title when neither the user nor its articles give one.
    pub collected_articles: &'static str,
    /// How many articles a bundle holds, on its title page: "{count} articles".
    pub articles: Counted,
    /// The line under the titles a bundle's cover lists, when not all fit: "and {count} more".
    pub more_articles: Counted,
    /// The note that opens the description of a volume of a split bundle holding one
    /// article: "Volume {number} of {volumes}: article {first} of {total}."
    pub volume_one_article: &'static str,
    /// The same note for a volume of several articles, in the form for how many it holds
    /// (`{count}`): "Volume {number} of {volumes}: articles {first}–{last} of {total}."
    pub volume_articles: Counted,
}

/// A phrase about a number of things, in each of the plural forms the language tells apart
/// (CLDR's categories: Russian says "1 статья", "3 статьи", "5 статей"); `{count}` is where
/// the number goes. A form a language has but that is not written here is `other`'s.
#[derive(Debug, PartialEq, Eq)]
pub struct Counted {
    /// The form for none, in languages that have one (Arabic).
    pub zero: Option<&'static str>,
    /// The form for one (and what a language counts with it: 21 in Russian).
    pub one: Option<&'static str>,
    /// The form for two, in languages that have one (Arabic, Hebrew).
    pub two: Option<&'static str>,
    /// The form for a few (2–4 in Russian and Polish, 3–10 in Arabic).
    pub few: Option<&'static str>,
    /// The form for many (5–20 in Russian and Polish, 11–99 in Arabic).
    pub many: Option<&'static str>,
    /// The form for any other number, and for a form not written here.
    pub other: &'static str,
}

impl Counted {
    /// The phrase with one form for every number.
    pub(crate) const fn always(other: &'static str) -> Counted {
        Counted {
            zero: None,
            one: None,
            two: None,
            few: None,
            many: None,
            other,
        }
    }

    const fn one(mut self, one: &'static str) -> Counted {
        self.one = Some(one);
        self
    }

    const fn two(mut self, two: &'static str) -> Counted {
        self.two = Some(two);
        self
    }

    const fn few(mut self, few: &'static str) -> Counted {
        self.few = Some(few);
        self
    }

    const fn many(mut self, many: &'static str) -> Counted {
        self.many = Some(many);
        self
    }

    const fn zero(mut self, zero: &'static str) -> Counted {
        self.zero = Some(zero);
        self
    }

    /// Every form written.
    pub fn forms(&self) -> impl Iterator<Item = &'static str> + '_ {
        [
            self.zero,
            self.one,
            self.two,
            self.few,
            self.many,
            Some(self.other),
        ]
        .into_iter()
        .flatten()
    }
}

impl Labels {
    /// The labels for a BCP 47 language tag; English for no tag and for a language without
    /// labels.
    pub fn for_language(tag: Option<&str>) -> &'static Labels {
        tag.and_then(labels::lookup).unwrap_or(&labels::EN)
    }

    /// Every language with labels, English first.
    pub fn all() -> &'static [&'static Labels] {
        labels::ALL
    }

    /// The byline: "By Ann", "By Ann and Bob", "Автор: Анна", "Авторы: Анна и Борис".
    pub fn byline<S: AsRef<str>>(&self, names: &[S]) -> String {
        let pattern = if names.len() > 1 {
            self.by_many
        } else {
            self.by_one
        };
        pattern.replace("{names}", &self.join_names(names))
    }

    /// "A", "A and B", "A, B and C", in this language.
    pub fn join_names<S: AsRef<str>>(&self, names: &[S]) -> String {
        match names {
            [] => String::new(),
            [one] => one.as_ref().to_string(),
            [init @ .., last] => {
                let init: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
                format!(
                    "{}{}{}",
                    init.join(self.list_separator),
                    self.list_and,
                    last.as_ref()
                )
            }
        }
    }

    /// What follows an article's title in the Sources appendix: its `details` (authors, site,
    /// date, already written out) between this language's punctuation: ". Ann, Site, 2 May
    /// 2024.", "。王芳，新闻网，2026年12月2日。"; `None` for no details. Details that end
    /// with the closing full stop already (the Russian date "2 декабря 2026 г.", a site
    /// "Acme Inc.") are not given a second one.
    pub fn source_details<S: AsRef<str>>(&self, details: &[S]) -> Option<String> {
        if details.is_empty() {
            return None;
        }
        let details: Vec<&str> = details.iter().map(AsRef::as_ref).collect();
        let details = details.join(self.detail_separator);
        let (before, after) = self
            .source_details
            .split_once("{details}")
            .unwrap_or((self.source_details, ""));
        let after = if !after.is_empty() && details.ends_with(after) {
            ""
        } else {
            after
        };
        Some(format!("{before}{details}{after}"))
    }

    /// "3 articles", "3 статьи", "٣ مقالات" (the count in Western digits, as everywhere in
    /// quire): the form `counted` has for `count` in this language.
    pub fn count(&self, counted: &Counted, count: usize) -> String {
        use icu_plurals::PluralCategory;
        let category = icu_locale_core::Locale::try_from_str(self.language)
            .ok()
            .and_then(|locale| icu_plurals::PluralRules::try_new_cardinal((&locale).into()).ok())
            .map_or(PluralCategory::Other, |rules| rules.category_for(count));
        let form = match category {
            PluralCategory::Zero => counted.zero,
            PluralCategory::One => counted.one,
            PluralCategory::Two => counted.two,
            PluralCategory::Few => counted.few,
            PluralCategory::Many => counted.many,
            PluralCategory::Other => None,
        };
        form.unwrap_or(counted.other)
            .replace("{count}", &count.to_string())
    }

    /// The note saying which volume of a split bundle a book is, and which of the bundle's
    /// `total` articles it holds (`articles`, numbered from 1): "Volume 2 of 3: articles
    /// 5–8 of 12.", "Band 2 von 3: Artikel 5–8 von 12."
    pub fn volume(
        &self,
        number: usize,
        volumes: usize,
        articles: std::ops::RangeInclusive<usize>,
        total: usize,
    ) -> String {
        let (first, last) = (*articles.start(), *articles.end());
        let pattern = if first >= last {
            self.volume_one_article.to_string()
        } else {
            self.count(&self.volume_articles, last - first + 1)
        };
        pattern
            .replace("{number}", &number.to_string())
            .replace("{volumes}", &volumes.to_string())
            .replace("{first}", &first.to_string())
            .replace("{last}", &last.to_string())
            .replace("{total}", &total.to_string())
    }

    /// "Updated 2 May 2024", with the date already written out.
    pub fn updated(&self, date: &str) -> String {
        self.updated.replace("{date}", date)
    }

    /// "(columns 1, 5–8 of 12)", with the column numbers already written out.
    pub fn columns(&self, columns: &str, total: usize) -> String {
        self.columns
            .replace("{columns}", columns)
            .replace("{total}", &total.to_string())
    }

    /// A date for people, in this language: the day, month and year ("2. Dezember 2026"), or
    /// as much of it as the date has ("Dezember 2026", "2026"). English keeps quire's own
    /// form ("2 December 2026"; a month or year alone in ISO form, "2026-12").
    pub fn date(&self, date: &crate::model::Date) -> String {
        if self.language == "en" {
            return english_date(date);
        }
        dates::format(self.language, date).unwrap_or_else(|| english_date(date))
    }
}

/// quire's English date: "1 May 2024" for a date with a day, the ISO form otherwise.
fn english_date(date: &crate::model::Date) -> String {
    if date.day().is_some() {
        date.human()
    } else {
        date.to_iso()
    }
}

#[cfg(test)]
mod tests;
