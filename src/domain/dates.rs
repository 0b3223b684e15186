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
    text.contains('-').then(|| parse_date(text)).flatten()
}

/// Reads a date typed as dd/mm/yyyy, or as yyyy-mm-dd (what a browser date input gives).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let number = |part: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    let (year, month, day) = if let Some((y, rest)) = text.split_once('-') {
        let (m, d) = rest.split_once('-')?;
        (number(y, 4..=4)?, number(m, 1..=2)?, number(d, 1..=2)?)
    } else {
        let mut parts = text.split('/');
        let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        (number(y, 4..=4)?, number(m, 1..=2)?, number(d, 1..=2)?)
    };
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
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
        assert_eq!(parse_date("23/11/26"), None);
        assert_eq!(parse_date("23/11/2026/1"), None);
        assert_eq!(parse_date("2026-11-23-1"), None);
        assert_eq!(parse_date("+2026-11-23"), None);
        assert_eq!(format_iso(expected.unwrap()), "2026-11-23");
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
