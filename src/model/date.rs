//! Dates as the model means them: a year, optionally a month, a day and a time of day with its
//! offset, as precise as the input was. Calendar facts (days in a month, leap years) come from
//! `chrono`, never from hand-written rules.
//!
//! Readers turn what a page says into a [`Date`] once (`Meta::published`, `Meta::modified`);
//! writers format it with its methods: ISO 8601 for machines ([`Date::to_iso`]), a
//! written-out form for people ([`Date::human`]). The JSON form is the ISO string, as it was
//! when the model kept dates as text.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike, Utc};
use std::fmt;

/// A calendar date, as precise as its source: `2024`, `2024-05`, `2024-05-01`, or a date with
/// a time of day (`2024-05-01T10:00:00Z`, `2024-05-01T10:00+02:00`, or with no offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
    /// The time of day, and its offset from UTC when the source gave one. Only with a day.
    time: Option<(NaiveTime, Option<FixedOffset>)>,
    /// How the source wrote the seconds: `None` for `HH:MM`, `Some(0)` for `HH:MM:SS`,
    /// `Some(n)` for `n` digits of fraction. Kept so that a date read and written back (the
    /// JSON form, HTML `datetime`) is the text it was.
    seconds_digits: Option<u8>,
}

/// The English month names, for [`Date::human`].
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The names a month goes by in the dates of English and Russian articles (full, abbreviated,
/// and the Russian genitive `1 мая`), lowercase, January first.
const MONTH_NAMES: [&[&str]; 12] = [
    &["january", "jan", "января", "январь"],
    &["february", "feb", "февраля", "февраль"],
    &["march", "mar", "марта", "март"],
    &["april", "apr", "апреля", "апрель"],
    &["may", "мая", "май"],
    &["june", "jun", "июня", "июнь"],
    &["july", "jul", "июля", "июль"],
    &["august", "aug", "августа", "август"],
    &["september", "sep", "sept", "сентября", "сентябрь"],
    &["october", "oct", "октября", "октябрь"],
    &["november", "nov", "ноября", "ноябрь"],
    &["december", "dec", "декабря", "декабрь"],
];

/// The names a weekday goes by in the dates of English and Russian articles (the English name
/// first, then its abbreviations, then the Russian name), lowercase, Monday first.
const WEEKDAY_NAMES: [&[&str]; 7] = [
    &["monday", "mon", "понедельник"],
    &["tuesday", "tue", "tues", "вторник"],
    &["wednesday", "wed", "среда"],
    &["thursday", "thu", "thurs", "четверг"],
    &["friday", "fri", "пятница"],
    &["saturday", "sat", "суббота"],
    &["sunday", "sun", "воскресенье"],
];

/// Whether a word names a weekday exactly, in any case and with a trailing `.` (`Tues.`,
/// `Sunday`, `среда`).
pub fn is_weekday_name(word: &str) -> bool {
    let word = word.trim_end_matches('.').to_lowercase();
    WEEKDAY_NAMES
        .iter()
        .any(|names| names.contains(&word.as_str()))
}

/// Whether a word is an English month or weekday name, whole or cut to a short form of three
/// or four letters, in any case and with a trailing `.` (`July`, `Sept.`, `Fri`). Stricter
/// than [`month_from_english_prefix`]: a longer word that starts like a name (`Mayer`, `Mars`,
/// `Sunny`) is none, which matters where the word may be a person's name.
pub fn is_english_month_or_weekday(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    let mut names = MONTHS
        .iter()
        .copied()
        .chain(WEEKDAY_NAMES.iter().map(|names| names[0]));
    word.len() >= 3
        && names.any(|name| {
            name.eq_ignore_ascii_case(word)
                || word.len() <= 4
                    && name
                        .get(..word.len())
                        .is_some_and(|start| start.eq_ignore_ascii_case(word))
        })
}

/// The month (1 to 12) a word names exactly, in any case and with a trailing `.`
/// (`May`, `sept.`, `мая`).
pub fn month_from_name(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_lowercase();
    MONTH_NAMES
        .iter()
        .position(|names| names.contains(&word.as_str()))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The month (1 to 12) of a lowercase word that starts with the first three letters of an
/// English month name (`nov`, `november`, `novembre`): the lenient match page metadata needs.
pub fn month_from_english_prefix(word: &str) -> Option<u32> {
    if word.chars().count() < 3 {
        return None;
    }
    let prefix = word.get(..3)?;
    MONTHS
        .iter()
        .position(|name| name[..3].eq_ignore_ascii_case(prefix))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The day `year-month-day` when the calendar has it (years 1 to 9999).
pub fn calendar_date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1..=9999).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

impl Date {
    /// A whole day.
    pub fn from_day(day: NaiveDate) -> Date {
        Date {
            year: day.year(),
            month: Some(day.month()),
            day: Some(day.day()),
            time: None,
            seconds_digits: None,
        }
    }

    /// Reads an ISO 8601 date as the model stores it: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or a
    /// day followed by `T` (or a space) and `HH:MM[:SS[.fff…]]` with an optional `Z` or
    /// `±HH:MM`. `None` for anything else, including days the calendar does not have.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let text = text.trim();
        let year_text = text.get(..4)?;
        if !year_text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = year_text.parse().ok()?;
        let rest = &text[4..];
        if rest.is_empty() {
            return (year >= 1).then_some(Date {
                year,
                month: None,
                day: None,
                time: None,
                seconds_digits: None,
            });
        }
        let month_text = rest.strip_prefix('-')?.get(..2)?;
        let month: u32 = two_digits(month_text)?;
        let rest = &rest[3..];
        if rest.is_empty() {
            return (year >= 1 && (1..=12).contains(&month)).then_some(Date {
                year,
                month: Some(month),
                day: None,
                time: None,
                seconds_digits: None,
            });
        }
        let day: u32 = two_digits(rest.strip_prefix('-')?.get(..2)?)?;
        let date = Date::from_day(calendar_date(year, month, day)?);
        let rest = &rest[3..];
        if rest.is_empty() {
            return Some(date);
        }
        let time = rest.strip_prefix(['T', ' '])?;
        let (clock, zone) = match time.find(['Z', '+', '-']) {
            Some(i) => (&time[..i], Some(&time[i..])),
            None => (time, None),
        };
        let seconds_digits = match clock.get(5..) {
            Some("") => None,
            Some(seconds) => {
                let fraction = seconds.split_once('.').map_or(0, |(_, f)| f.len());
                Some(u8::try_from(fraction).ok().filter(|&n| n <= 9)?)
            }
            None => return None,
        };
        let clock = NaiveTime::parse_from_str(clock, "%H:%M:%S%.f")
            .or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M"))
            .ok()?;
        let offset = match zone {
            None => None,
            Some("Z") => Some(FixedOffset::east_opt(0)?),
            Some(zone) => {
                let sign = if zone.starts_with('-') { -1 } else { 1 };
                let (hours, minutes) = zone[1..].split_once(':')?;
                let (hours, minutes) = (two_digits(hours)?, two_digits(minutes)?);
                if hours > 23 || minutes > 59 {
                    return None;
                }
                Some(FixedOffset::east_opt(
                    sign * (hours as i32 * 3600 + minutes as i32 * 60),
                )?)
            }
        };
        Some(Date {
            time: Some((clock, offset)),
            seconds_digits,
            ..date
        })
    }

    /// The moment the date stands for, for formats that want a timestamp (EPUB's
    /// `dc:date`): its time at its offset when it has both, else the start of its day in UTC.
    /// `None` without a day.
    pub fn instant(&self) -> Option<DateTime<Utc>> {
        let day = self.day()?;
        match self.time {
            Some((time, Some(offset))) => day
                .and_time(time)
                .and_local_timezone(offset)
                .single()
                .map(|moment| moment.with_timezone(&Utc)),
            _ => Some(day.and_hms_opt(0, 0, 0)?.and_utc()),
        }
    }

    /// How many digits of a fraction of a second the date was written with (0 when none).
    pub fn fraction_digits(&self) -> u8 {
        self.seconds_digits.unwrap_or(0)
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month (1 to 12), when the date names one.
    pub fn month(&self) -> Option<u32> {
        self.month
    }

    /// The day, when the date names one.
    pub fn day(&self) -> Option<NaiveDate> {
        calendar_date(self.year, self.month?, self.day?)
    }

    /// The date in ISO 8601, as precise as it is: what machines (HTML `datetime`, EPUB
    /// `dc:date`, the JSON form) are given. Seconds and their fraction are written as the
    /// source wrote them; a space before the time becomes `T`.
    pub fn to_iso(&self) -> String {
        let mut out = format!("{:04}", self.year);
        if let Some(month) = self.month {
            out.push_str(&format!("-{month:02}"));
            if let Some(day) = self.day {
                out.push_str(&format!("-{day:02}"));
                if let Some((time, offset)) = self.time {
                    out.push_str(&format!("T{:02}:{:02}", time.hour(), time.minute()));
                    if let Some(digits) = self.seconds_digits {
                        out.push_str(&format!(":{:02}", time.second()));
                        if digits > 0 {
                            let nanos = format!("{:09}", time.nanosecond());
                            out.push('.');
                            out.push_str(&nanos[..usize::from(digits)]);
                        }
                    }
                    match offset.map(|o| o.local_minus_utc()) {
                        None => {}
                        Some(0) => out.push('Z'),
                        Some(seconds) => {
                            let sign = if seconds < 0 { '-' } else { '+' };
                            let seconds = seconds.abs();
                            out.push_str(&format!(
                                "{sign}{:02}:{:02}",
                                seconds / 3600,
                                seconds / 60 % 60
                            ));
                        }
                    }
                }
            }
        }
        out
    }

    /// The date for people, in English: `1 May 2024`, `May 2024`, `2024` (the time of day is
    /// left out: articles are dated by the day). Other languages: `locale::Labels::date`.
    pub fn human(&self) -> String {
        let month_name = |month: u32| MONTHS[(month - 1) as usize];
        match (self.month, self.day) {
            (Some(month), Some(day)) => format!("{day} {} {}", month_name(month), self.year),
            (Some(month), None) => format!("{} {}", month_name(month), self.year),
            _ => self.year.to_string(),
        }
    }
}

/// In the JSON form a date is its ISO string, as it was before the model had a type for it.
impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_iso())
    }
}

/// Reads a metadata date from its JSON string. A string that is not an ISO date reads as no
/// date: quire before the typed date passed Markdown front matter through as written (`date:
/// Spring 2024`), and that JSON must still read; such text was never a date a writer could
/// put in `datetime` or `dc:date`, and keeping it would bring back a second, untyped date.
pub(crate) fn deserialize_lenient<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Date>, D::Error> {
    let text: Option<String> = serde::Deserialize::deserialize(deserializer)?;
    Ok(text.as_deref().and_then(Date::parse_iso))
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

/// Two ASCII digits as a number.
fn two_digits(text: &str) -> Option<u32> {
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_or_weekday_is_a_whole_name_or_a_short_form_never_a_word_that_starts_like_one() {
        for word in ["Sept", "sept.", "Tuesday", "Tues", "May", "JULY", "Fri."] {
            assert!(is_english_month_or_weekday(word), "{word}");
        }
        for word in [
            "Mayer", "Mars", "Mays", "Sunny", "Ma", "Augusta", "Junior", "Mär",
        ] {
            assert!(!is_english_month_or_weekday(word), "{word}");
        }
        assert!(is_weekday_name("Thurs.") && is_weekday_name("среда"));
        assert!(!is_weekday_name("Thursd"));
    }

    #[test]
    fn iso_dates_of_every_precision_read_and_write_back_the_same() {
        for text in [
            "2024",
            "2024-05",
            "2024-05-01",
            "2024-05-01T10:00",
            "2024-05-01T10:00:30Z",
            "2024-05-01T10:00:30.250+02:00",
            "2024-05-01T23:59:59-05:30",
            "2024-02-29",
            "2000-02-29",
            "2024-05-01T10:00:00Z",
            "2024-05-01T10:00:00.000Z",
            "2024-05-01T10:00:00.123456789-05:00",
        ] {
            let date = Date::parse_iso(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(date.to_iso(), text);
        }
        assert_eq!(
            Date::parse_iso("2024-05-01 10:00:00Z").unwrap().to_iso(),
            "2024-05-01T10:00:00Z"
        );
        assert_eq!(Date::parse_iso("2024-05-01T10:00:00.1234567890Z"), None);
    }

    #[test]
    fn days_the_calendar_lacks_and_other_text_are_not_dates() {
        for text in [
            "2023-02-29",
            "1900-02-29",
            "2024-04-31",
            "2024-13-01",
            "2024-00-10",
            "0000-01-01",
            "2024-05-01T25:00",
            "2024-05-01T10:00+24:00",
            "2024-05-01junk",
            "May 1, 2024",
            "20240501",
            "",
        ] {
            assert_eq!(Date::parse_iso(text), None, "{text}");
        }
    }

    #[test]
    fn people_read_the_day_month_and_year() {
        let human = |text: &str| Date::parse_iso(text).unwrap().human();
        assert_eq!(human("2024-05-01T10:00:00Z"), "1 May 2024");
        assert_eq!(human("2024-12-25"), "25 December 2024");
        assert_eq!(human("2024-02"), "February 2024");
        assert_eq!(human("2024"), "2024");
    }

    #[test]
    fn a_date_is_a_moment_from_its_day_time_and_offset() {
        let instant = |text: &str| Date::parse_iso(text).and_then(|d| d.instant());
        assert_eq!(
            instant("2024-05-01T10:30:00+02:00").unwrap().to_rfc3339(),
            "2024-05-01T08:30:00+00:00"
        );
        assert_eq!(
            instant("2024-05-01T10:30").unwrap().to_rfc3339(),
            "2024-05-01T00:00:00+00:00"
        );
        assert_eq!(
            instant("2024-02-29").unwrap().to_rfc3339(),
            "2024-02-29T00:00:00+00:00"
        );
        assert_eq!(instant("2024-05"), None);
    }

    #[test]
    fn months_are_known_by_their_names() {
        assert_eq!(month_from_name("May"), Some(5));
        assert_eq!(month_from_name("sept."), Some(9));
        assert_eq!(month_from_name("мая"), Some(5));
        assert_eq!(month_from_name("Декабря"), Some(12));
        assert_eq!(month_from_name("novembre"), None);
        assert_eq!(month_from_english_prefix("novembre"), Some(11));
        assert_eq!(month_from_english_prefix("jan"), Some(1));
        assert_eq!(month_from_english_prefix("ja"), None);
        assert_eq!(month_from_english_prefix("мая"), None);
    }

    #[test]
    fn calendar_dates_follow_the_gregorian_calendar() {
        assert!(calendar_date(2024, 2, 29).is_some());
        assert!(calendar_date(2100, 2, 29).is_none());
        assert!(calendar_date(2000, 2, 29).is_some());
        assert!(calendar_date(0, 1, 1).is_none());
        assert!(calendar_date(2024, 6, 31).is_none());
    }
}
