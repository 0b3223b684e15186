//! National Curriculum year groups, nursery to year 14.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A pupil's year group: nursery 1 and 2, reception, then years 1 to 14.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum YearGroup {
    N1,
    N2,
    Reception,
    Year(u8),
}

impl YearGroup {
    /// Every year group in school order, for pickers.
    pub fn all() -> Vec<YearGroup> {
        let mut all = vec![YearGroup::N1, YearGroup::N2, YearGroup::Reception];
        all.extend((1..=14).map(YearGroup::Year));
        all
    }

    /// The short code a census or MIS uses: N1, N2, R, 1 … 14.
    pub fn code(self) -> String {
        match self {
            YearGroup::N1 => "N1".into(),
            YearGroup::N2 => "N2".into(),
            YearGroup::Reception => "R".into(),
            YearGroup::Year(n) => n.to_string(),
        }
    }

    /// Reads a code as written by [`YearGroup::code`].
    pub fn from_code(code: &str) -> Option<YearGroup> {
        match code.trim() {
            "N1" => Some(YearGroup::N1),
            "N2" => Some(YearGroup::N2),
            "R" => Some(YearGroup::Reception),
            other => match other.parse::<u8>() {
                Ok(n) if (1..=14).contains(&n) => Some(YearGroup::Year(n)),
                _ => None,
            },
        }
    }
}

impl YearGroup {
    /// Years after reception: N1 is -2, N2 -1, reception 0, year 3 is 3.
    fn rank(self) -> i32 {
        match self {
            YearGroup::N1 => -2,
            YearGroup::N2 => -1,
            YearGroup::Reception => 0,
            YearGroup::Year(n) => i32::from(n),
        }
    }

    /// The year group a child born on `born` is in, in England, in the school year that
    /// holds `today` (September to August; a child starts reception in the September after
    /// turning four). None when that is before nursery 1 or after year 14.
    pub fn expected_for(born: NaiveDate, today: NaiveDate) -> Option<YearGroup> {
        let school_year = |d: NaiveDate| {
            if d.month() >= 9 {
                d.year()
            } else {
                d.year() - 1
            }
        };
        let rank = school_year(today) - school_year(born) - 5;
        match rank {
            -2 => Some(YearGroup::N1),
            -1 => Some(YearGroup::N2),
            0 => Some(YearGroup::Reception),
            1..=14 => Some(YearGroup::Year(rank as u8)),
            _ => None,
        }
    }

    /// Whether a date of birth fits this year group within a year either way (a child
    /// taught out of their age group by one year is common; more is a likely mistake).
    pub fn fits_birth_date(self, born: NaiveDate, today: NaiveDate) -> bool {
        let school_year = |d: NaiveDate| {
            if d.month() >= 9 {
                d.year()
            } else {
                d.year() - 1
            }
        };
        let expected = school_year(today) - school_year(born) - 5;
        (self.rank() - expected).abs() <= 1
    }
}

impl YearGroup {
    /// Reads a year group as an MIS or a person writes it: "Year 3", "Y3", "Yr 3", "3",
    /// "03", "R", "Reception", "YR", "N2", "Nursery 2".
    pub fn from_text(text: &str) -> Option<YearGroup> {
        let simple: String = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(|c| c.to_uppercase())
            .collect();
        let rest = ["YEAR", "YR", "Y", "NCYEAR", "NC"]
            .iter()
            .find_map(|prefix| simple.strip_prefix(prefix).filter(|r| !r.is_empty()))
            .unwrap_or(&simple);
        match rest {
            "R" | "RECEPTION" | "REC" => Some(YearGroup::Reception),
            "N1" | "NURSERY1" | "F1" => Some(YearGroup::N1),
            "N2" | "NURSERY2" | "F2" => Some(YearGroup::N2),
            digits if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
                match digits.parse::<u8>() {
                    Ok(n) if (1..=14).contains(&n) => Some(YearGroup::Year(n)),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The year group after this one at year end; None after year 14.
    pub fn next(self) -> Option<YearGroup> {
        match self {
            YearGroup::N1 => Some(YearGroup::N2),
            YearGroup::N2 => Some(YearGroup::Reception),
            YearGroup::Reception => Some(YearGroup::Year(1)),
            YearGroup::Year(n) if n < 14 => Some(YearGroup::Year(n + 1)),
            YearGroup::Year(_) => None,
        }
    }
}

impl fmt::Display for YearGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YearGroup::N1 => write!(f, "Nursery 1"),
            YearGroup::N2 => write!(f, "Nursery 2"),
            YearGroup::Reception => write!(f, "Reception"),
            YearGroup::Year(n) => write!(f, "Year {n}"),
        }
    }
}

impl TryFrom<String> for YearGroup {
    type Error = String;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        YearGroup::from_code(&code).ok_or_else(|| format!("unknown year group {code:?}"))
    }
}

impl From<YearGroup> for String {
    fn from(year: YearGroup) -> String {
        year.code()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_seventeen_year_groups_in_school_order() {
        let all = YearGroup::all();
        assert_eq!(all.len(), 17);
        assert_eq!(all[0], YearGroup::N1);
        assert_eq!(all[2], YearGroup::Reception);
        assert_eq!(all[16], YearGroup::Year(14));
        assert!(all.windows(2).all(|pair| pair[0] < pair[1]));
    }

    #[test]
    fn codes_round_trip_and_out_of_range_years_are_refused() {
        for year in YearGroup::all() {
            assert_eq!(YearGroup::from_code(&year.code()), Some(year));
        }
        assert_eq!(YearGroup::from_code("0"), None);
        assert_eq!(YearGroup::from_code("15"), None);
        assert_eq!(YearGroup::from_code("Y3"), None);
    }

    #[test]
    fn reads_the_ways_an_mis_writes_a_year_group() {
        for (text, year) in [
            ("Year 3", YearGroup::Year(3)),
            ("Y3", YearGroup::Year(3)),
            ("y3", YearGroup::Year(3)),
            ("Yr 3", YearGroup::Year(3)),
            ("3", YearGroup::Year(3)),
            ("03", YearGroup::Year(3)),
            ("NC Year 11", YearGroup::Year(11)),
            ("R", YearGroup::Reception),
            ("Reception", YearGroup::Reception),
            ("Year R", YearGroup::Reception),
            ("YR", YearGroup::Reception),
            ("N2", YearGroup::N2),
            ("Nursery 1", YearGroup::N1),
        ] {
            assert_eq!(YearGroup::from_text(text), Some(year), "{text}");
        }
        for bad in ["", "Year", "0", "Year 15", "Y", "Class 3", "3B"] {
            assert_eq!(YearGroup::from_text(bad), None, "{bad}");
        }
    }

    #[test]
    fn year_end_moves_each_group_up_one() {
        assert_eq!(YearGroup::N1.next(), Some(YearGroup::N2));
        assert_eq!(YearGroup::N2.next(), Some(YearGroup::Reception));
        assert_eq!(YearGroup::Reception.next(), Some(YearGroup::Year(1)));
        assert_eq!(YearGroup::Year(6).next(), Some(YearGroup::Year(7)));
        assert_eq!(YearGroup::Year(14).next(), None);
    }

    #[test]
    fn stored_as_its_code() {
        assert_eq!(
            serde_json::to_string(&YearGroup::Reception).unwrap(),
            "\"R\""
        );
        assert!(serde_json::from_str::<YearGroup>("\"15\"").is_err());
    }

    #[test]
    fn point_1_the_expected_year_group_follows_the_september_cut_off() {
        let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let today = d(2026, 12, 1);
        // Born in August: the youngest of year 5; born in September: the oldest of year 4.
        assert_eq!(
            YearGroup::expected_for(d(2017, 8, 31), today),
            Some(YearGroup::Year(5))
        );
        assert_eq!(
            YearGroup::expected_for(d(2017, 9, 1), today),
            Some(YearGroup::Year(4))
        );
        assert_eq!(
            YearGroup::expected_for(d(2022, 1, 10), today),
            Some(YearGroup::Reception)
        );
        assert_eq!(
            YearGroup::expected_for(d(2023, 5, 1), today),
            Some(YearGroup::N2)
        );
        assert_eq!(YearGroup::expected_for(d(2026, 1, 1), today), None);
        // One year out fits (held back or moved up); two years out does not.
        let born = d(2016, 10, 3); // year 5 in 2026-27
        assert!(YearGroup::Year(5).fits_birth_date(born, today));
        assert!(YearGroup::Year(4).fits_birth_date(born, today));
        assert!(YearGroup::Year(6).fits_birth_date(born, today));
        assert!(!YearGroup::Year(3).fits_birth_date(born, today));
        assert!(!YearGroup::Reception.fits_birth_date(born, today));
        assert!(!YearGroup::Year(7).fits_birth_date(born, today));
    }
}
