//! Dates as the header shows them: the `datetime` attribute's machine form here, the reader's
//! "1 May 2024" (in the document's language) from [`crate::locale::Labels::date`].

use crate::model::Date;

/// The date as HTML's `datetime` takes it: the whole date when it has a day (a time with
/// more than three digits of fraction is cut to the day, which HTML requires), else `None`.
pub(super) fn machine_date(date: &Date) -> Option<String> {
    let day = date.day()?;
    Some(if date.fraction_digits() <= 3 {
        date.to_iso()
    } else {
        day.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_for_the_datetime_attribute() {
        let machine = |text: &str| machine_date(&Date::parse_iso(text).unwrap());
        assert_eq!(machine("2024-05-01").as_deref(), Some("2024-05-01"));
        assert_eq!(
            machine("2024-05-01T10:00:00Z").as_deref(),
            Some("2024-05-01T10:00:00Z")
        );
        assert_eq!(
            machine("2024-05-01T10:00:00.123+02:00").as_deref(),
            Some("2024-05-01T10:00:00.123+02:00")
        );
        assert_eq!(
            machine("2024-05-01T10:00:00.123456Z").as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(machine("2024-05"), None);
        assert_eq!(machine("2024-02-29").as_deref(), Some("2024-02-29"));
    }
}
