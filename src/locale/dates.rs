//! Dates with month names from CLDR (ICU4X compiled data), in the Gregorian calendar the
//! model's dates are in: a locale whose default calendar is another (Persian for `fa`) still
//! shows the day the article gave, not a converted one.
//!
//! Only the three field sets used here are linked (year-month-day, year-month and year, long
//! forms), which keeps the data in the binary to what these need.

use crate::model::Date;
use icu_calendar::{Date as IcuDate, Gregorian};
use icu_datetime::fieldsets::{Y, YM, YMD};
use icu_datetime::pattern::FixedCalendarDateTimeNames;
use icu_datetime::{DateTimeFormatterPreferences, FixedCalendarDateTimeFormatter};
use icu_locale_core::Locale;

/// Formats `$input` with the field set `$fields` in `$locale`, or `None`. The formatter's
/// names get the decimal formatter added after it is made: ICU4X 2.4 leaves it out for
/// Portuguese year-month ("dezembro de 2026") and then writes a cut string (a panic in
/// debug builds).
macro_rules! format_with {
    ($locale:expr, $fields:expr, $input:expr) => {{
        let prefs: DateTimeFormatterPreferences = (&$locale).into();
        let formatter =
            FixedCalendarDateTimeFormatter::<Gregorian, _>::try_new(prefs, $fields).ok()?;
        let mut names = FixedCalendarDateTimeNames::from_formatter(prefs, formatter);
        names.include_decimal_formatter().ok()?;
        let formatter = names.try_into_formatter($fields).ok()?;
        Some(formatter.format(&$input).to_string())
    }};
}

/// The date in `language`'s long form (as precise as the date: day, month or year), or `None`
/// when ICU4X has no data for the language or the date is outside its range.
pub(super) fn format(language: &str, date: &Date) -> Option<String> {
    let locale = Locale::try_from_str(language).ok()?;
    let year = date.year();
    let month = date.month().and_then(|m| u8::try_from(m).ok());
    let day = date
        .day()
        .and_then(|d| u8::try_from(chrono::Datelike::day(&d)).ok());
    match (month, day) {
        (Some(month), Some(day)) => {
            let input = IcuDate::try_new_gregorian(year, month, day).ok()?;
            format_with!(locale, YMD::long(), input)
        }
        (Some(month), None) => {
            let input = IcuDate::try_new_gregorian(year, month, 1).ok()?;
            format_with!(locale, YM::long(), input)
        }
        _ => {
            let input = IcuDate::try_new_gregorian(year, 1, 1).ok()?;
            format_with!(locale, Y::long(), input)
        }
    }
}
