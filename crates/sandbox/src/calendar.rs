//! Calendar arithmetic for the sandbox's UTC times (`yyyy-MM-ddTHH:mm:ssZ`), without a date
//! library: day numbers (days since 1970-01-01), seconds since the epoch, strict parsing and
//! formatting. Every group uses these, so a time means the same thing in all of them.

use crate::ApiError;

/// Seconds in an hour.
pub const HOUR: i64 = 3_600;
/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a calendar date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date of a day number (days since 1970-01-01).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The number of days in month `m` of year `y`.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    (days_from_civil(ny, nm, 1) - days_from_civil(y, m, 1)) as u32
}

/// `t` (seconds) plus `months` calendar months, the day clamped to the month's end and the time
/// of day kept.
pub fn add_months(t: i64, months: i64) -> i64 {
    let (y, m, d) = civil_from_days(t.div_euclid(DAY));
    let index = y * 12 + i64::from(m) - 1 + months;
    let (y, m) = (index.div_euclid(12), (index.rem_euclid(12) + 1) as u32);
    days_from_civil(y, m, d.min(days_in_month(y, m))) * DAY + t.rem_euclid(DAY)
}

/// Parses a strict `YYYY-MM-DD` into a day number.
pub fn parse_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i64 = digits(&text[0..4])?;
    let m: u32 = digits(&text[5..7])?;
    let d: u32 = digits(&text[8..10])?;
    if !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let days = days_from_civil(y, m, d);
    (civil_from_days(days) == (y, m, d)).then_some(days)
}

/// Parses a strict UTC `yyyy-MM-ddTHH:mm:ssZ` into seconds since the epoch.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let days = parse_date(text.get(0..10)?)?;
    let h: i64 = digits(&text[11..13])?;
    let m: i64 = digits(&text[14..16])?;
    let s: i64 = digits(&text[17..19])?;
    (h < 24 && m < 60 && s < 60).then_some(days * DAY + h * HOUR + m * 60 + s)
}

/// Seconds since the epoch as a UTC `yyyy-MM-ddTHH:mm:ssZ`.
pub fn timestamp(seconds: i64) -> String {
    let (y, m, d) = civil_from_days(seconds.div_euclid(DAY));
    let s = seconds.rem_euclid(DAY);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / HOUR,
        s / 60 % 60,
        s % 60
    )
}

/// Checks a month `YYYY-MM` given as `name`: its year and month.
pub fn month(name: &str, text: &str) -> Result<(i64, u32), ApiError> {
    parse_date(&format!("{text}-01"))
        .filter(|_| text.len() == 7)
        .map(|days| {
            let (y, m, _) = civil_from_days(days);
            (y, m)
        })
        .ok_or_else(|| ApiError::invalid(format!("{name}: must be a month YYYY-MM (got `{text}`)")))
}

fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_and_bad_ones_are_refused() {
        for text in [
            "2024-06-01T00:00:00Z",
            "2024-02-29T15:59:59Z",
            "1999-12-31T23:00:01Z",
        ] {
            assert_eq!(timestamp(parse_timestamp(text).unwrap()), text);
        }
        let jan31 = parse_timestamp("2024-01-31T08:00:00Z").unwrap();
        assert_eq!(timestamp(add_months(jan31, 1)), "2024-02-29T08:00:00Z");
        assert_eq!(timestamp(add_months(jan31, -18)), "2022-07-31T08:00:00Z");
        assert_eq!(parse_date("2024-02-30"), None);
        for bad in [
            "2024-06-01T24:00:00Z",
            "2024-06-01T+1:00:00Z",
            "2024-6-01T00:00:00Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert_eq!([2, 4, 12].map(|m| days_in_month(2024, m)), [29, 30, 31]);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(month("bill_cycle", "2024-02").unwrap(), (2024, 2));
        assert!(
            month("bill_cycle", "2024-13")
                .unwrap_err()
                .message
                .starts_with("bill_cycle: must be a month")
        );
    }
}
