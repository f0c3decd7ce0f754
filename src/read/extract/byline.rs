//! A writer's name as pages print it, made clean: the credit label before it ("By",
//! "Posted by", "Rezept von", "Texte :"), the separators and the date around it
//! ("/ Cory Doctorow / Jul 19, 2013"), the word that leads into a date left out
//! ("Von Jane Doe am"), a name printed twice (a link's text and its label), and the dot of
//! a login name ("Isabella.DiBiase").
//!
//! One place for the rules, so that a byline element and an `author` tag are cleaned alike.

/// The name in a byline's text, or `None` when nothing is left of it or what is left is a
/// placeholder some publishing systems fill the author tag with ("publisher", "admin").
pub fn clean_name(text: &str) -> Option<String> {
    clean(text, date_start)
}

/// [`clean_name`] for the text of a byline element, where any digit ends the name: what
/// follows it is a date, a time, a count of comments or an "Edit" link ("Emily Burack 11
/// Edit"), which pages put beside the name, not in it.
pub fn clean_byline(text: &str) -> Option<String> {
    clean(text, |part| part.find(|c: char| c.is_ascii_digit()))
}

/// The name in `text`, where `date_at` says where a date starts in a part of it.
fn clean(text: &str, date_at: fn(&str) -> Option<usize>) -> Option<String> {
    let text = crate::model::collapse_whitespace(&text.replace('\u{a0}', " "));
    // "/ Cory Doctorow / Jul 19, 2013": the first part that is not a date, nor a label
    // alone ("By | Jane Doe", a label and a name in blocks of their own).
    let name = parts(&text)
        .into_iter()
        .map(|part| without_date(part, date_at))
        .filter(|part| !part.is_empty())
        .map(strip_by)
        .map(without_follow_button)
        .find(|name| !is_label(name))?;
    let name = once(name);
    let name = login_as_name(&name);
    // A label with no name after it ("Текст:", "Posted on …") names no one either.
    let lower = name.to_lowercase();
    // A hashtag is a series or a topic some systems put in the author's place, no name.
    let placeholder = PLACEHOLDERS.contains(&lower.as_str())
        || CREDITS.contains(&lower.as_str())
        || LABEL_WORDS.contains(&lower.as_str())
        || FOLLOW_WORDS.contains(&lower.trim_start_matches(['+', ' ']))
        || name.starts_with('#');
    // A name has a letter or a digit: "+" or "—" left of a byline names no one.
    let has_word = name.chars().any(char::is_alphanumeric);
    (has_word && !placeholder && !is_phrase(&name)).then_some(name)
}

/// Whether a part of a byline is only the label of a name ("By", "Posted by", "Von:").
fn is_label(text: &str) -> bool {
    text.split_whitespace().all(|word| {
        let word = word.trim_end_matches([':', '：']).to_lowercase();
        BY_WORDS.contains(&word.as_str()) || LABEL_WORDS.contains(&word.as_str())
    })
}

/// Whether a text reads as a phrase, not a name: of three words or more, more begin with a
/// small letter than with a capital (a profile link's label, "Afficher mon profil
/// complet", "View my complete profile"). A name holds a few small particles at most
/// ("Ursula von der Leyen"); words of scripts without case count neither way.
fn is_phrase(text: &str) -> bool {
    let (mut words, mut small, mut capital) = (0, 0, 0);
    for word in text.split_whitespace() {
        words += 1;
        match word.chars().next() {
            Some(c) if c.is_lowercase() => small += 1,
            Some(c) if c.is_uppercase() => capital += 1,
            _ => {}
        }
    }
    words >= 3 && small > capital
}

/// A name without the label of the button beside it that follows or subscribes to the
/// writer ("Inga Hoeltmann Follow", "Jane Doe + Folgen"), which profile cards put in the
/// byline element. A button's label alone is left for the label rules to refuse.
fn without_follow_button(text: &str) -> &str {
    let mut name = text;
    while let Some((rest, last)) = name.trim_end().rsplit_once(' ') {
        let last = last.trim_start_matches('+').to_lowercase();
        if !FOLLOW_WORDS.contains(&last.as_str()) && !last.is_empty() {
            break;
        }
        name = rest.trim_end();
    }
    name
}

/// The labels of a button that follows or subscribes to a writer, in the languages pages
/// most often show them in.
const FOLLOW_WORDS: &[&str] = &[
    "follow",
    "following",
    "unfollow",
    "subscribe",
    "folgen",
    "abonnieren",
    "suivre",
    "s'abonner",
    "seguir",
    "segui",
    "volgen",
    "obserwuj",
    "подписаться",
];

/// A byline's parts between separators: `|`, `•`, `·`, and a `/` with a space beside it (one
/// inside a word, as in "AC/DC" or a profile's address, separates nothing).
fn parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        let spaced =
            || text[..at].ends_with(' ') || text[at + 1..].starts_with(' ') || at + 1 == text.len();
        if matches!(c, '|' | '•' | '·') || c == '/' && (at == 0 || spaced()) {
            parts.push(&text[start..at]);
            start = at + c.len_utf8();
        }
    }
    parts.push(&text[start..]);
    parts
}

/// What publishing systems write in an author tag when they know no author.
const PLACEHOLDERS: &[&str] = &[
    "publisher",
    "admin",
    "administrator",
    "author",
    "unknown",
    "webmaster",
    "null",
    "none",
    "undefined",
];

/// A part of a byline up to the date or time run into it ("Jane Doe May 20, 2019"), without
/// the month or weekday names of that date before it and without a word that leads into a
/// date at its end ("am", "on", "le"), or the separators around it.
fn without_date(part: &str, date_at: fn(&str) -> Option<usize>) -> &str {
    let (mut text, cut) = match date_at(part) {
        Some(at) => (&part[..at], true),
        None => (part, false),
    };
    // After a date, any punctuation is the date's ("Jane Doe, 12. Mai"); else only the
    // separators are no part of the name ("Kooman, F.", "Deutsche Welle (dw.com)").
    let trimmed = |c: char| {
        c.is_whitespace()
            || matches!(c, ',' | ';' | ':' | '-' | '–' | '—' | '/' | '|' | '*' | '»')
            || cut && c.is_ascii_punctuation()
    };
    loop {
        text = text.trim_end_matches(trimmed);
        let (rest, last) = match text.rsplit_once(' ') {
            Some((rest, last)) => (rest, last),
            None => ("", text),
        };
        // A month or a weekday is a date's only when a date was cut after it ("Theresa May"
        // is a name).
        let date_word = cut && crate::model::date::is_english_month_or_weekday(last);
        if last.is_empty() || !(date_word || DATE_LEADS.contains(&last)) {
            break;
        }
        text = rest;
    }
    text.trim_start_matches(|c: char| {
        c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–' | '—' | '/' | '|')
    })
}

/// Where a date or a time starts in a byline: the first word that begins with a digit, when
/// from there on it holds a year (four digits) or a time ("5:11"). Digits in a name stay
/// ("user5105", "oe24.at", "Bündnis 90/Die Grünen").
fn date_start(text: &str) -> Option<usize> {
    let at = text.char_indices().find_map(|(at, c)| {
        let starts_word = text[..at].ends_with(|p: char| p.is_whitespace() || p == ',') || at == 0;
        (c.is_ascii_digit() && starts_word).then_some(at)
    })?;
    let rest = &text.as_bytes()[at..];
    let year = rest
        .split(|b| !b.is_ascii_digit())
        .any(|run| run.len() == 4);
    let time = rest.windows(4).any(|w| {
        w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit() && w[3].is_ascii_digit()
    }) || rest
        .windows(3)
        .any(|w| w[0] == b':' && w[1].is_ascii_digit() && w[2].is_ascii_digit());
    (year || time).then_some(at)
}

/// The lowercase words that lead into a date after a name, in the languages bylines
/// are most often in ("am 19. Oktober", "on May 5", "le 5 mai", "el 5 de mayo").
const DATE_LEADS: &[&str] = &[
    "am", "um", "on", "at", "le", "el", "il", "em", "op", "den", "du", "vom",
];

/// The words that say "by" before a name.
const BY_WORDS: &[&str] = &["by", "von", "par", "por", "door", "av", "af", "przez", "от"];

/// The words of a label that may come before a "by" ("Posted by", "Rezept von",
/// "Ein Beitrag von", "Publié par").
const LABEL_WORDS: &[&str] = &[
    "posted",
    "written",
    "published",
    "story",
    "words",
    "text",
    "article",
    "recipe",
    "photos",
    "reported",
    "edited",
    "rezept",
    "artikel",
    "ein",
    "beitrag",
    "gepostet",
    "eingestellt",
    "geschrieben",
    "verfasst",
    "veröffentlicht",
    "publié",
    "écrit",
    "rédigé",
    "recette",
    "publicado",
    "escrito",
    "receta",
    "pubblicato",
    "scritto",
    "ricetta",
];

/// "By Jane Doe", "Posted by Jane Doe", "di Mario Rossi" → the name, and the credit labels
/// pages put before a writer's name with a colon ("Текст: Иван Петров", "Texte : Marie
/// Dupont") → the name (a few languages).
fn strip_by(text: &str) -> &str {
    let text = text.trim();
    let words: Vec<&str> = text.split(' ').take(4).collect();
    if let Some(by) = words.iter().position(|w| {
        // "Von: Moritz Pieczewski-Freimuth": the word may end the label with a colon.
        let w = w.trim_end_matches([':', '：']);
        BY_WORDS.iter().any(|b| w.eq_ignore_ascii_case(b))
    }) {
        let label = words[..by]
            .iter()
            .all(|w| LABEL_WORDS.contains(&w.to_lowercase().as_str()));
        let rest = text.splitn(by + 2, ' ').nth(by + 1).unwrap_or("").trim();
        if label && !rest.is_empty() {
            return rest;
        }
    }
    // Italian "di" is also how surnames begin ("Di Maio"): taken for "by" when lowercase, or
    // when a whole name follows.
    if let Some(rest) = text.strip_prefix("di ").or_else(|| {
        text.strip_prefix("Di ")
            .filter(|rest| rest.split_whitespace().count() >= 2)
    }) {
        return rest.trim();
    }
    if let Some((label, rest)) = text.split_once([':', '：']) {
        let label = label.trim().to_lowercase();
        if CREDITS.contains(&label.as_str()) && !rest.trim().is_empty() {
            return rest.trim();
        }
    }
    text
}

/// "Text", "Author" and their kin in the languages quire has labels for: before a colon,
/// the label of the name after it.
const CREDITS: &[&str] = &[
    "text",
    "texte",
    "texto",
    "testo",
    "tekst",
    "metin",
    "author",
    "auteur",
    "autor",
    "autore",
    "auteurs",
    "authors",
    "autoren",
    "текст",
    "автор",
    "авторы",
    "автори",
    "yazar",
    "yazan",
];

/// A name printed twice in a row ("jesusfreak jesusfreak": a link's label and its text),
/// once.
fn once(name: &str) -> String {
    let words: Vec<&str> = name.split_whitespace().collect();
    let half = words.len() / 2;
    if half > 0 && words.len() % 2 == 0 && words[..half] == words[half..] {
        words[..half].join(" ")
    } else {
        words.join(" ")
    }
}

/// A login name that is a first and a last name joined by a dot ("Isabella.DiBiase"), as the
/// name; anything else as it is ("J.R.R. Tolkien", "jane.doe").
fn login_as_name(name: &str) -> String {
    if let Some((first, last)) = name.split_once('.') {
        // Written as a name: a capital, then some small letters ("PL" is a domain's).
        let is_name_part = |part: &str| {
            part.chars().count() >= 2
                && part.chars().all(char::is_alphabetic)
                && part.chars().next().is_some_and(char::is_uppercase)
                && part.chars().any(char::is_lowercase)
        };
        if is_name_part(first) && is_name_part(last) {
            return format!("{first} {last}");
        }
    }
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(text: &str) -> Option<String> {
        clean_name(text)
    }

    #[test]
    fn labels_before_the_name_go() {
        assert_eq!(name("Posted by Ned Deily").as_deref(), Some("Ned Deily"));
        assert_eq!(name("Rezept von jesusfreak").as_deref(), Some("jesusfreak"));
        assert_eq!(name("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(
            name("Publié par Marie Dupont").as_deref(),
            Some("Marie Dupont")
        );
        assert_eq!(name("di Mario Rossi").as_deref(), Some("Mario Rossi"));
        assert_eq!(
            name("Texte : Marie Dupont").as_deref(),
            Some("Marie Dupont")
        );
        assert_eq!(name("Текст: Иван Петров").as_deref(), Some("Иван Петров"));
        assert_eq!(name("Autor: Jan Kowalski").as_deref(), Some("Jan Kowalski"));
        assert_eq!(
            name("Von: Moritz Pieczewski-Freimuth").as_deref(),
            Some("Moritz Pieczewski-Freimuth")
        );
        assert_eq!(name("#Krótko o przepisach prawa"), None);
        // Names that hold such words stay whole.
        assert_eq!(
            name("Ursula von der Leyen").as_deref(),
            Some("Ursula von der Leyen")
        );
        assert_eq!(name("Di Maio").as_deref(), Some("Di Maio"));
        assert_eq!(name("Re: Jane").as_deref(), Some("Re: Jane"));
        assert_eq!(name("Текст:"), None);
        // A phrase is no name, however it is marked.
        assert_eq!(name("View my complete profile"), None);
        assert_eq!(name("Afficher mon profil complet"), None);
        assert_eq!(
            name("Jean de la Fontaine").as_deref(),
            Some("Jean de la Fontaine")
        );
    }

    #[test]
    fn separators_and_dates_around_the_name_go() {
        assert_eq!(
            name("/ Cory Doctorow / Jul 19, 2013").as_deref(),
            Some("Cory Doctorow")
        );
        assert_eq!(
            name("/ Cory Doctorow / Jul").as_deref(),
            Some("Cory Doctorow")
        );
        assert_eq!(
            name("Von Isabella.DiBiase am").as_deref(),
            Some("Isabella DiBiase")
        );
        assert_eq!(name("Jane Doe May 20, 2019").as_deref(), Some("Jane Doe"));
        assert_eq!(
            name("Posted by Ned Deily at 5:11 AM").as_deref(),
            Some("Ned Deily")
        );
        assert_eq!(name("By Jane Doe | Staff").as_deref(), Some("Jane Doe"));
        // A month name is a date's only before a date.
        assert_eq!(name("By Theresa May").as_deref(), Some("Theresa May"));
    }

    #[test]
    fn a_name_said_twice_and_placeholders() {
        assert_eq!(name("jesusfreak jesusfreak").as_deref(), Some("jesusfreak"));
        assert_eq!(name("Ned Deily Ned Deily").as_deref(), Some("Ned Deily"));
        assert_eq!(name("publisher"), None);
        assert_eq!(name("Admin"), None);
        assert_eq!(name(" / "), None);
        assert_eq!(name("J.R.R. Tolkien").as_deref(), Some("J.R.R. Tolkien"));
        assert_eq!(name("jane.doe").as_deref(), Some("jane.doe"));
        assert_eq!(name("AC/DC Fan").as_deref(), Some("AC/DC Fan"));
        assert_eq!(name("INTERIA.PL").as_deref(), Some("INTERIA.PL"));
        assert_eq!(name("Posted on"), None);
        assert_eq!(name("Eingestellt von Unknown"), None);
    }

    #[test]
    fn in_a_byline_element_a_digit_ends_the_name() {
        assert_eq!(
            clean_byline("Emily Burack 11 Edit").as_deref(),
            Some("Emily Burack")
        );
        assert_eq!(
            clean_byline("Jane Doe May 20 2019").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(clean_byline("Name *").as_deref(), Some("Name"));
    }

    #[test]
    fn digits_and_punctuation_of_a_name_stay() {
        for kept in [
            "user5105",
            "oe24.at",
            "Bündnis 90/Die Grünen Bundestagsfraktion",
            "Kooman, F.",
            "Deutsche Welle (www.dw.com)",
        ] {
            assert_eq!(name(kept).as_deref(), Some(kept));
        }
        assert_eq!(name("von\u{a0} lupa am").as_deref(), Some("lupa"));
    }

    #[test]
    fn the_label_of_a_follow_button_beside_the_name_goes() {
        assert_eq!(
            clean_byline("Inga Hoeltmann Follow").as_deref(),
            Some("Inga Hoeltmann")
        );
        assert_eq!(name("Jane Doe + Folgen").as_deref(), Some("Jane Doe"));
        assert_eq!(
            name("Marie Dupont +Suivre").as_deref(),
            Some("Marie Dupont")
        );
        assert_eq!(name("Follow"), None);
        assert_eq!(name("+ Follow"), None);
        // Only a last word that is a button's label: a name that holds such a word
        // elsewhere stays whole.
        assert_eq!(name("Follow Smith Jr").as_deref(), Some("Follow Smith Jr"));
    }
}
