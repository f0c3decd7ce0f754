//! Dates as the header shows them: the `datetime` attribute's machine form and the reader's
//! "1 May 2024".

/// A date string HTML's `datetime` accepts: the whole value when it is a valid date or
/// date-time, else its leading `YYYY-MM-DD`, else `None`.
pub(super) fn machine_date(value: &str) -> Option<String> {
    let date = value.get(..10)?;
    parse_date(date)?;
    let rest = &value[10..];
    if rest.is_empty() {
        return Some(date.to_string());
    }
    if is_valid_time_suffix(rest) {
        Some(value.to_string())
    } else {
        Some(date.to_string())
    }
}

/// Year, month, day from a `YYYY-MM-DD` string.
pub(super) fn parse_date(date: &str) -> Option<(u32, u32, u32)> {
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: u32 = date.get(0..4)?.parse().ok()?;
    let month: u32 = date.get(5..7)?.parse().ok()?;
    let day: u32 = date.get(8..10)?.parse().ok()?;
    crate::model::date::calendar_date(i32::try_from(year).ok()?, month, day)?;
    Some((year, month, day))
}

/// `THH:MM[:SS[.fff]]` with an optional `Z` or `±HH:MM`, as HTML's global date-time wants.
pub(super) fn is_valid_time_suffix(rest: &str) -> bool {
    let Some(time) = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' ')) else {
        return false;
    };
    let (clock, zone) = match time.find(['Z', '+', '-']) {
        Some(i) => (&time[..i], &time[i..]),
        None => (time, ""),
    };
    let two_digits = |s: &str, max: u32| {
        s.len() == 2
            && s.bytes().all(|b| b.is_ascii_digit())
            && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    let mut fields = clock.splitn(3, ':');
    let (Some(h), Some(m)) = (fields.next(), fields.next()) else {
        return false;
    };
    let seconds_ok = match fields.next() {
        None => true,
        Some(s) => {
            let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
            two_digits(whole, 59)
                && !fraction.is_empty()
                && fraction.len() <= 3
                && fraction.bytes().all(|b| b.is_ascii_digit())
        }
    };
    let zone_ok = match zone {
        "" | "Z" => true,
        _ => zone
            .get(1..)
            .and_then(|z| z.split_once(':'))
            .is_some_and(|(zh, zm)| two_digits(zh, 23) && two_digits(zm, 59)),
    };
    two_digits(h, 23) && two_digits(m, 59) && seconds_ok && zone_ok
}

/// "1 May 2024" for a value starting `2024-05-01`; the value itself otherwise.
pub(crate) fn human_date(value: &str) -> String {
    value
        .get(..10)
        .and_then(crate::model::Date::parse_iso)
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
    }
}
