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
}
