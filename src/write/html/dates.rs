//! Dates as the header shows them: the `datetime` attribute's machine form and the reader's
//! "1 May 2024". Both come from the model's [`Date`].

use crate::model::Date;

/// A date string HTML's `datetime` accepts: the whole value when it is a valid date or
/// date-time, else its leading `YYYY-MM-DD`, else `None`.
pub(super) fn machine_date(value: &str) -> Option<String> {
    // HTML's global date-time allows at most three digits of fraction.
    let whole = Date::parse_iso(value).filter(|date| date.fraction_digits() <= 3);
    whole
        .or_else(|| Date::parse_iso(value.get(..10)?))
        .filter(|date| date.day().is_some())
        .map(|date| date.to_iso())
}

/// "1 May 2024" for a value starting `2024-05-01`; the value itself otherwise.
pub(crate) fn human_date(value: &str) -> String {
    value
        .get(..10)
        .and_then(Date::parse_iso)
        .map(|date| date.human())
        .unwrap_or_else(|| value.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_for_the_datetime_attribute() {
        assert_eq!(machine_date("2024-05-01").as_deref(), Some("2024-05-01"));
        assert_eq!(
            machine_date("2024-05-01T10:00:00Z").as_deref(),
            Some("2024-05-01T10:00:00Z")
        );
        assert_eq!(
            machine_date("2024-05-01T10:00:00.123+02:00").as_deref(),
            Some("2024-05-01T10:00:00.123+02:00")
        );
        assert_eq!(
            machine_date("2024-05-01 whenever").as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(machine_date("2023-02-29"), None);
        assert_eq!(machine_date("May 2024"), None);
        assert_eq!(human_date("2024-05-01T10:00Z"), "1 May 2024");
        assert_eq!(human_date("spring"), "spring");
        assert_eq!(machine_date("2024-05").as_deref(), None);
        assert_eq!(
            machine_date("2024-05-01T10:00:00.123456Z").as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(machine_date("2024-02-29").as_deref(), Some("2024-02-29"));
    }
}
