//! Phase transfer (reg 18): a pupil with a plan moving to the next phase must have the
//! review, and the amended plan naming the next placement, by 15 February of the calendar
//! year of the move (31 March for a move from school to a post-16 institution).

use super::weeks_before;
use crate::domain::YearGroup;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The local authority may take 12 weeks from the review to the amended plan.
pub const LA_WEEKS_AFTER_REVIEW: u32 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transfer {
    EarlyYearsToSchool,
    InfantToJunior,
    MiddleSchool,
    PrimaryToSecondary,
    SchoolToPost16,
}

impl Transfer {
    /// The move a pupil makes at the end of `leaving`.
    pub fn from_year(leaving: YearGroup) -> Transfer {
        match leaving {
            YearGroup::N1 | YearGroup::N2 | YearGroup::Reception => Transfer::EarlyYearsToSchool,
            YearGroup::Year(2) => Transfer::InfantToJunior,
            YearGroup::Year(6) => Transfer::PrimaryToSecondary,
            YearGroup::Year(n) if n >= 11 => Transfer::SchoolToPost16,
            YearGroup::Year(_) => Transfer::MiddleSchool,
        }
    }

    /// The statutory deadline in the calendar year of the move.
    pub fn deadline(self, year_of_move: i32) -> Option<NaiveDate> {
        match self {
            Transfer::SchoolToPost16 => NaiveDate::from_ymd_opt(year_of_move, 3, 31),
            _ => NaiveDate::from_ymd_opt(year_of_move, 2, 15),
        }
    }
}

impl fmt::Display for Transfer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Transfer::EarlyYearsToSchool => "Early years to school",
            Transfer::InfantToJunior => "Infant to junior school",
            Transfer::MiddleSchool => "Into or out of a middle school",
            Transfer::PrimaryToSecondary => "Primary to secondary school",
            Transfer::SchoolToPost16 => "School to a post-16 institution",
        })
    }
}

/// The year groups pupils leave this school from (settings): Year 6 and Year 11 unless the
/// school says otherwise (Year 2 for an infant school, the middle school years, N2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferYears {
    pub leaving: Vec<YearGroup>,
}

impl Default for TransferYears {
    fn default() -> Self {
        TransferYears {
            leaving: vec![YearGroup::Year(6), YearGroup::Year(11)],
        }
    }
}

/// A pupil's coming phase transfer and its dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferDue {
    pub transfer: Transfer,
    pub leaving: YearGroup,
    /// The amended plan naming the next placement, by this day.
    pub deadline: NaiveDate,
    /// The review meeting, by this day, to leave the local authority its 12 weeks.
    pub review_by: NaiveDate,
    /// Warnings start with the summer term before the year of transfer.
    pub warn_from: NaiveDate,
}

/// The school year `date` is in, by the year it starts in (September).
fn school_year_of(date: NaiveDate) -> i32 {
    if date.month() >= 9 {
        date.year()
    } else {
        date.year() - 1
    }
}

/// The transfer a pupil in `year_now` faces this school year or next, if any.
/// `summer_term_starts(y)` gives the summer term's first day in calendar year `y` from the
/// school's term dates; without them, 15 April is taken. `staying_for_sixth_form` is a
/// Year 11 moving into the school's own sixth form, which is not a transfer.
pub fn coming_transfer(
    year_now: YearGroup,
    today: NaiveDate,
    years: &TransferYears,
    staying_for_sixth_form: bool,
    summer_term_starts: impl Fn(i32) -> Option<NaiveDate>,
) -> Option<TransferDue> {
    let this_year = school_year_of(today);
    years
        .leaving
        .iter()
        .filter_map(|&leaving| {
            let years_away = if leaving == year_now {
                0
            } else if year_now.next() == Some(leaving) {
                1
            } else {
                return None;
            };
            let transfer = Transfer::from_year(leaving);
            if transfer == Transfer::SchoolToPost16 && staying_for_sixth_form {
                return None;
            }
            let year_of_move = this_year + years_away + 1;
            let deadline = transfer.deadline(year_of_move)?;
            let warn_from = summer_term_starts(year_of_move - 1)
                .or_else(|| NaiveDate::from_ymd_opt(year_of_move - 1, 4, 15))?;
            let due = TransferDue {
                transfer,
                leaving,
                deadline,
                review_by: weeks_before(deadline, LA_WEEKS_AFTER_REVIEW),
                warn_from,
            };
            (today >= warn_from).then_some(due)
        })
        .min_by_key(|t| t.deadline)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ehc::d;

    fn no_terms(_: i32) -> Option<NaiveDate> {
        None
    }

    #[test]
    fn a_year_6_pupil_must_be_reviewed_by_23_november_for_15_february() {
        let due = coming_transfer(
            YearGroup::Year(6),
            d("01/10/2026"),
            &TransferYears::default(),
            false,
            no_terms,
        )
        .unwrap();
        assert_eq!(due.transfer, Transfer::PrimaryToSecondary);
        assert_eq!(due.deadline, d("15/02/2027"));
        assert_eq!(due.review_by, d("23/11/2026"));
    }

    #[test]
    fn the_warning_starts_in_the_summer_term_before() {
        let years = TransferYears::default();
        // Year 5 in the spring: not yet.
        assert_eq!(
            coming_transfer(YearGroup::Year(5), d("10/03/2026"), &years, false, no_terms),
            None
        );
        let summer = |y: i32| (y == 2026).then(|| d("13/04/2026"));
        let due =
            coming_transfer(YearGroup::Year(5), d("13/04/2026"), &years, false, summer).unwrap();
        assert_eq!(due.deadline, d("15/02/2027"));
        assert_eq!(due.warn_from, d("13/04/2026"));
        // Year 4 is two years off.
        assert_eq!(
            coming_transfer(YearGroup::Year(4), d("01/06/2026"), &years, false, no_terms),
            None
        );
    }

    #[test]
    fn year_11_moving_to_college_has_until_31_march_but_not_into_our_sixth_form() {
        let years = TransferYears::default();
        let due = coming_transfer(
            YearGroup::Year(11),
            d("01/12/2026"),
            &years,
            false,
            no_terms,
        )
        .unwrap();
        assert_eq!(due.transfer, Transfer::SchoolToPost16);
        assert_eq!(due.deadline, d("31/03/2027"));
        assert_eq!(due.review_by, d("06/01/2027"));
        assert_eq!(
            coming_transfer(YearGroup::Year(11), d("01/12/2026"), &years, true, no_terms),
            None
        );
    }

    #[test]
    fn infant_and_middle_schools_set_their_own_years() {
        let infant = TransferYears {
            leaving: vec![YearGroup::Year(2)],
        };
        let due = coming_transfer(
            YearGroup::Year(2),
            d("05/09/2027"),
            &infant,
            false,
            no_terms,
        )
        .unwrap();
        assert_eq!(due.transfer, Transfer::InfantToJunior);
        // A leap year: 15/02/2028 less 12 weeks.
        assert_eq!(due.deadline, d("15/02/2028"));
        assert_eq!(due.review_by, d("23/11/2027"));
        let middle = TransferYears {
            leaving: vec![YearGroup::Year(4), YearGroup::Year(8)],
        };
        let due = coming_transfer(
            YearGroup::Year(8),
            d("05/09/2027"),
            &middle,
            false,
            no_terms,
        )
        .unwrap();
        assert_eq!(due.transfer, Transfer::MiddleSchool);
        assert_eq!(
            coming_transfer(
                YearGroup::Year(6),
                d("05/09/2027"),
                &middle,
                false,
                no_terms
            ),
            None
        );
    }
}
