//! Dates as an English school writes them: 23/11/2026.

use chrono::NaiveDate;

/// Formats a date the British way, day first, as the UI shows every date.
pub fn format_uk(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// Reads a date typed as dd/mm/yyyy, or as yyyy-mm-dd (what a browser date input gives).
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .ok()
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
    }
}
