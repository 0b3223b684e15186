//! Dates as an English school writes them: 23/11/2026.

//!
//! Written by hand rather than with chrono's strftime, which would add its whole
//! format-string machinery to the download.

use chrono::{Datelike, NaiveDate};

/// Formats a date the British way, day first, as the UI shows every date.
pub fn format_uk(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

/// Formats a date as yyyy-mm-dd.
pub fn format_iso(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Reads a stored date: yyyy-mm-dd only.
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    let mut parts = text.trim().split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    ymd(number(y, 4..=4)?, number(m, 1..=2)?, number(d, 1..=2)?)
}

/// Reads a date as people type it: day first, with "/", "." or "-" between the parts
/// (23/11/2026, 1.12.2026, 1-12-26), or yyyy-mm-dd (what a browser date input gives).
/// A two-digit year is this century's, so 1/12/26 is 01/12/2026: every date a school
/// types (a review, a meeting, a pupil's birth) falls in it.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.split('-').next().is_some_and(|y| y.len() == 4) {
        return parse_iso(text);
    }
    let separator = text.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let mut parts = text.split(separator);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let year = match y.len() {
        2 => 2000 + number(y, 2..=2)?,
        _ => number(y, 4..=4)?,
    };
    ymd(year, number(m, 1..=2)?, number(d, 1..=2)?)
}

/// Digits only (no sign, no spaces), as many as `digits` allows.
fn number(part: &str, digits: std::ops::RangeInclusive<usize>) -> Option<u32> {
    (digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
        .then(|| part.parse::<u32>().ok())
        .flatten()
}

fn ymd(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// Reads a date from a file another program wrote: dd/mm/yyyy, d/m/yy, yyyy-mm-dd, with
/// "/", "-" or "." between the parts, and a trailing time ("00:00:00") ignored. A
/// two-digit year is taken as the latest year not after `today`'s year (so "14/05/18"
/// is 2018, and "01/01/95" is 1995).
pub fn parse_date_loose(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let text = text.trim();
    let date = text.split([' ', 'T']).next()?;
    if let Some(date) = parse_iso(date) {
        return Some(date);
    }
    let parts: Vec<&str> = date.split(['/', '-', '.']).collect();
    let [d, m, y] = parts[..] else {
        return None;
    };
    let number = |part: &str| {
        (!part.is_empty() && part.len() <= 4 && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let (day, month, year) = (number(d)?, number(m)?, number(y)?);
    if d.len() > 2 || m.len() > 2 {
        return None;
    }
    let year = match y.len() {
        4 => i32::try_from(year).ok()?,
        2 => {
            let century = today.year() - today.year().rem_euclid(100);
            let guess = century + year as i32;
            if guess > today.year() {
                guess - 100
            } else {
                guess
            }
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Serde for optional dates as "yyyy-mm-dd" or null.
pub mod option_iso_date {
    use chrono::NaiveDate;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        date: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => serializer.serialize_str(&super::format_iso(*date)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<&str>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) => super::parse_iso(text)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("not a yyyy-mm-dd date: {text}"))),
        }
    }
}

/// Serde for dates as "yyyy-mm-dd", written by hand (see the module note).
pub mod iso_date {
    use chrono::NaiveDate;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format_iso(*date))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let text = <&str>::deserialize(deserializer)?;
        super::parse_iso(text)
            .ok_or_else(|| D::Error::custom(format!("not a yyyy-mm-dd date: {text}")))
    }
}

/// Serde for a time of day as "HH:MM" (sessions start on the minute).
pub mod hh_mm {
    use chrono::{NaiveTime, Timelike};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn format(time: NaiveTime) -> String {
        format!("{:02}:{:02}", time.hour(), time.minute())
    }

    /// "9:05" or "09:05", 24-hour; None for anything else.
    pub fn parse(text: &str) -> Option<NaiveTime> {
        let (h, m) = text.trim().split_once(':')?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        if !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
    }

    pub fn serialize<S: Serializer>(time: &NaiveTime, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(*time))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveTime, D::Error> {
        let text = <&str>::deserialize(deserializer)?;
        parse(text).ok_or_else(|| D::Error::custom(format!("not an HH:MM time: {text}")))
    }
}

/// Serde for moments as RFC 3339 in UTC, "2026-11-23T09:15:00.123Z", by hand.
pub mod timestamp {
    use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    /// Milliseconds, or nanoseconds when there are any, so a moment reads back exactly.
    pub fn format(moment: &DateTime<Utc>) -> String {
        let nanos = moment.timestamp_subsec_nanos();
        let fraction = match nanos % 1_000_000 {
            0 => format!("{:03}", nanos / 1_000_000),
            _ => format!("{nanos:09}"),
        };
        format!(
            "{}T{:02}:{:02}:{:02}.{fraction}Z",
            super::format_iso(moment.date_naive()),
            moment.hour(),
            moment.minute(),
            moment.second(),
        )
    }

    /// Reads "yyyy-mm-ddThh:mm:ss[.fraction](Z|+00:00)".
    pub fn parse(text: &str) -> Option<DateTime<Utc>> {
        let (date, time) = text.split_once('T')?;
        let date = super::parse_iso(date).filter(|d| d.year() >= 1)?;
        let time = time
            .strip_suffix('Z')
            .or_else(|| time.strip_suffix("+00:00"))?;
        let (hms, fraction) = time.split_once('.').unwrap_or((time, ""));
        let mut parts = hms.split(':');
        let mut number = || -> Option<u32> {
            let part = parts.next()?;
            (part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse().ok())
                .flatten()
        };
        let (h, m, s) = (number()?, number()?, number()?);
        if parts.next().is_some()
            || fraction.len() > 9
            || !fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let nanos = if fraction.is_empty() {
            0
        } else {
            fraction.parse::<u32>().ok()? * 10u32.pow(9 - fraction.len() as u32)
        };
        let time = NaiveTime::from_hms_nano_opt(h, m, s, nanos)?;
        Some(NaiveDate::and_time(&date, time).and_utc())
    }

    pub fn serialize<S: Serializer>(
        moment: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format(moment))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let text = <&str>::deserialize(deserializer)?;
        parse(text).ok_or_else(|| D::Error::custom(format!("not an RFC 3339 UTC time: {text}")))
    }
}

/// Serde for optional moments, as [`timestamp`] or null.
pub mod option_timestamp {
    use chrono::{DateTime, Utc};
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        moment: &Option<DateTime<Utc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match moment {
            Some(moment) => serializer.serialize_str(&super::timestamp::format(moment)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<&str>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) => super::timestamp::parse(text)
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("not an RFC 3339 UTC time: {text}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_day_first_with_leading_zeros() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 7).unwrap();
        assert_eq!(format_uk(date), "07/03/2026");
    }

    #[test]
    fn parses_both_input_forms_and_rejects_nonsense() {
        let expected = NaiveDate::from_ymd_opt(2026, 11, 23);
        assert_eq!(parse_date("23/11/2026"), expected);
        assert_eq!(parse_date(" 2026-11-23 "), expected);
        assert_eq!(parse_date("31/02/2026"), None);
        assert_eq!(parse_date("next week"), None);
        assert_eq!(parse_date("3/7/2026"), NaiveDate::from_ymd_opt(2026, 7, 3));
        assert_eq!(parse_date("23/11/2026/1"), None);
        assert_eq!(parse_date("2026-11-23-1"), None);
        assert_eq!(parse_date("+2026-11-23"), None);
        assert_eq!(format_iso(expected.unwrap()), "2026-11-23");
    }

    #[test]
    fn point_9_typed_dates_take_two_digit_years_dots_and_dashes() {
        let first_december = NaiveDate::from_ymd_opt(2026, 12, 1);
        for typed in [
            "1/12/26",
            "01/12/2026",
            "1.12.2026",
            "1.12.26",
            "01-12-2026",
            "1-12-26",
        ] {
            assert_eq!(parse_date(typed), first_december, "{typed}");
            assert_eq!(format_uk(parse_date(typed).unwrap()), "01/12/2026");
        }
        assert_eq!(parse_date("14/5/18"), NaiveDate::from_ymd_opt(2018, 5, 14));
        for bad in [
            "1/12/2026.",
            "1/12.2026",
            "1/12/226",
            "1/12/",
            "1.12",
            "01/12/+26",
            "1//26",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        // Stored dates stay strict: only yyyy-mm-dd.
        assert_eq!(parse_iso("2026-12-01"), first_december);
        assert_eq!(parse_iso("01-12-2026"), None);
        assert_eq!(parse_iso("01/12/2026"), None);
    }

    #[test]
    fn reads_the_date_forms_other_programs_write() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let may = NaiveDate::from_ymd_opt(2018, 5, 14);
        for text in [
            "14/05/2018",
            "14/5/2018",
            "14/5/18",
            "2018-05-14",
            "14-05-2018",
            "14.05.2018",
            "14/05/2018 00:00:00",
            "2018-05-14T00:00:00",
        ] {
            assert_eq!(parse_date_loose(text, today), may, "{text}");
        }
        assert_eq!(
            parse_date_loose("01/01/95", today),
            NaiveDate::from_ymd_opt(1995, 1, 1)
        );
        assert_eq!(
            parse_date_loose("01/01/26", today),
            NaiveDate::from_ymd_opt(2026, 1, 1)
        );
        for bad in [
            "",
            "14/13/2018",
            "30/02/2019",
            "14/05/218",
            "May 14th",
            "14/05",
        ] {
            assert_eq!(parse_date_loose(bad, today), None, "{bad}");
        }
    }

    #[test]
    fn moments_round_trip_as_rfc3339_utc() {
        let moment = timestamp::parse("2026-11-23T09:15:00.123Z").unwrap();
        assert_eq!(timestamp::format(&moment), "2026-11-23T09:15:00.123Z");
        assert_eq!(
            timestamp::parse("2026-11-23T09:15:00.123456789Z")
                .unwrap()
                .timestamp_subsec_nanos(),
            123_456_789
        );
        assert_eq!(
            timestamp::parse("2026-11-23T09:15:00+00:00"),
            timestamp::parse("2026-11-23T09:15:00.000Z")
        );
        for bad in [
            "2026-11-23",
            "2026-11-23T25:00:00Z",
            "2026-11-23T09:15:00",
            "2026-11-23T09:15:00+01:00",
            "23/11/2026T09:15:00Z",
            "2026-11-23T9:15:00Z",
        ] {
            assert_eq!(timestamp::parse(bad), None, "{bad}");
        }
    }
}
