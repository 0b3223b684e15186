//! Exceptions to the needs assessment time limits (regs 5(4), 10(4) and 13(3)): the limit
//! then does not apply. The record says which exception and why; the timeline says the
//! limit is lifted rather than moving its date.

use super::days_after;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Four weeks, the shortest closure or absence the regulations count.
pub const FOUR_WEEKS_IN_DAYS: i64 = 28;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionKind {
    /// The school's advice was asked for from a week before a closure of 4 weeks or more
    /// to a week before it reopens (the summer holiday; never Christmas or Easter).
    SchoolClosure,
    /// Exceptional personal circumstances affecting the child or a parent.
    PersonalCircumstances,
    /// The child or a parent away from the area for 4 weeks or more.
    AwayFromArea,
}

impl ExceptionKind {
    pub const ALL: [ExceptionKind; 3] = [
        ExceptionKind::SchoolClosure,
        ExceptionKind::PersonalCircumstances,
        ExceptionKind::AwayFromArea,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ExceptionKind::SchoolClosure => "school-closure",
            ExceptionKind::PersonalCircumstances => "personal-circumstances",
            ExceptionKind::AwayFromArea => "away-from-area",
        }
    }

    pub fn from_code(code: &str) -> Option<ExceptionKind> {
        ExceptionKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for ExceptionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExceptionKind::SchoolClosure => "School closed for 4 weeks or more",
            ExceptionKind::PersonalCircumstances => "Exceptional personal circumstances",
            ExceptionKind::AwayFromArea => "Child or parent away from the area for 4 weeks or more",
        })
    }
}

/// An exception as recorded: which, why, and the days it covers (first and last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exception {
    pub kind: ExceptionKind,
    pub reason: String,
    #[serde(with = "crate::domain::dates::iso_date")]
    pub from: NaiveDate,
    #[serde(with = "crate::domain::dates::iso_date")]
    pub to: NaiveDate,
}

/// Why an exception cannot be recorded, in words for the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExceptionProblem {
    NoReason,
    EndsBeforeItStarts,
    /// A closure or absence shorter than 4 weeks: Christmas and Easter are not exceptions.
    ShorterThanFourWeeks {
        days: i64,
    },
    /// A closure counts only if the school's advice was asked for within its window.
    AdviceDateNeeded {
        window: (NaiveDate, NaiveDate),
    },
    AdviceOutsideClosure {
        asked: NaiveDate,
        window: (NaiveDate, NaiveDate),
    },
}

impl fmt::Display for ExceptionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::domain::dates::format_uk;
        match self {
            ExceptionProblem::NoReason => f.write_str("Say why the exception applies."),
            ExceptionProblem::EndsBeforeItStarts => {
                f.write_str("The last day must be on or after the first.")
            }
            ExceptionProblem::ShorterThanFourWeeks { days } => write!(
                f,
                "This covers {days} days. Only a closure or absence of 4 weeks (28 days) or more is an exception: Christmas and Easter holidays are not."
            ),
            ExceptionProblem::AdviceDateNeeded { window } => write!(
                f,
                "Record the date the local authority asked the school for advice first: a closure is an exception only if it asked between {} and {}.",
                format_uk(window.0),
                format_uk(window.1)
            ),
            ExceptionProblem::AdviceOutsideClosure { asked, window } => write!(
                f,
                "The school was asked for advice on {}. A closure is an exception only if it asked between {} and {} (a week before the closure to a week before the school reopens).",
                format_uk(*asked),
                format_uk(window.0),
                format_uk(window.1)
            ),
        }
    }
}

impl Exception {
    /// Days covered, first and last included.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// For a closure: from a week before its first day to a week before the school
    /// reopens (the day after its last).
    pub fn closure_window(&self) -> (NaiveDate, NaiveDate) {
        let reopens = days_after(self.to, 1);
        (
            self.from - chrono::Days::new(7),
            reopens - chrono::Days::new(7),
        )
    }

    /// Whether the regulations allow this exception; `advice_asked` is when the local
    /// authority asked the school for its advice, if recorded.
    pub fn check(&self, advice_asked: Option<NaiveDate>) -> Result<(), ExceptionProblem> {
        if self.reason.trim().is_empty() {
            return Err(ExceptionProblem::NoReason);
        }
        if self.to < self.from {
            return Err(ExceptionProblem::EndsBeforeItStarts);
        }
        match self.kind {
            ExceptionKind::PersonalCircumstances => Ok(()),
            ExceptionKind::AwayFromArea if self.days() < FOUR_WEEKS_IN_DAYS => {
                Err(ExceptionProblem::ShorterThanFourWeeks { days: self.days() })
            }
            ExceptionKind::AwayFromArea => Ok(()),
            ExceptionKind::SchoolClosure => {
                if self.days() < FOUR_WEEKS_IN_DAYS {
                    return Err(ExceptionProblem::ShorterThanFourWeeks { days: self.days() });
                }
                let window = self.closure_window();
                match advice_asked {
                    None => Err(ExceptionProblem::AdviceDateNeeded { window }),
                    Some(asked) if asked < window.0 || asked > window.1 => {
                        Err(ExceptionProblem::AdviceOutsideClosure { asked, window })
                    }
                    Some(_) => Ok(()),
                }
            }
        }
    }

    /// Whether this exception bears on a limit running from `start` to `due`: it arose
    /// before the limit passed and covers some of that time.
    pub fn bears_on(&self, start: NaiveDate, due: NaiveDate) -> bool {
        self.from <= due && self.to >= start
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ehc::d;

    fn exception(kind: ExceptionKind, from: &str, to: &str) -> Exception {
        Exception {
            kind,
            reason: "Summer holiday".into(),
            from: d(from),
            to: d(to),
        }
    }

    #[test]
    fn the_summer_holiday_is_an_exception_when_advice_was_asked_in_its_window() {
        let summer = exception(ExceptionKind::SchoolClosure, "22/07/2027", "31/08/2027");
        assert_eq!(summer.days(), 41);
        assert_eq!(summer.closure_window(), (d("15/07/2027"), d("25/08/2027")));
        assert_eq!(summer.check(Some(d("15/07/2027"))), Ok(()));
        assert_eq!(summer.check(Some(d("25/08/2027"))), Ok(()));
        assert_eq!(
            summer.check(Some(d("14/07/2027"))),
            Err(ExceptionProblem::AdviceOutsideClosure {
                asked: d("14/07/2027"),
                window: (d("15/07/2027"), d("25/08/2027"))
            })
        );
        assert!(matches!(
            summer.check(None),
            Err(ExceptionProblem::AdviceDateNeeded { .. })
        ));
    }

    #[test]
    fn a_christmas_closure_is_refused_as_an_exception() {
        let christmas = exception(ExceptionKind::SchoolClosure, "19/12/2026", "03/01/2027");
        assert_eq!(
            christmas.check(Some(d("14/12/2026"))),
            Err(ExceptionProblem::ShorterThanFourWeeks { days: 16 })
        );
        let message = christmas
            .check(Some(d("14/12/2026")))
            .unwrap_err()
            .to_string();
        assert!(message.contains("Christmas"), "{message}");
        // Exactly four weeks counts; a day less does not.
        let four = exception(ExceptionKind::AwayFromArea, "01/02/2027", "28/02/2027");
        assert_eq!(four.check(None), Ok(()));
        let short = exception(ExceptionKind::AwayFromArea, "01/02/2027", "27/02/2027");
        assert_eq!(
            short.check(None),
            Err(ExceptionProblem::ShorterThanFourWeeks { days: 27 })
        );
    }

    #[test]
    fn an_exception_needs_a_reason_and_dates_in_order() {
        let mut personal = exception(
            ExceptionKind::PersonalCircumstances,
            "03/03/2027",
            "05/03/2027",
        );
        assert_eq!(personal.check(None), Ok(()));
        personal.reason = "  ".into();
        assert_eq!(personal.check(None), Err(ExceptionProblem::NoReason));
        let backwards = exception(
            ExceptionKind::PersonalCircumstances,
            "05/03/2027",
            "03/03/2027",
        );
        assert_eq!(
            backwards.check(None),
            Err(ExceptionProblem::EndsBeforeItStarts)
        );
    }

    #[test]
    fn a_leap_year_february_counts_its_29th_day() {
        let away = exception(ExceptionKind::AwayFromArea, "02/02/2028", "29/02/2028");
        assert_eq!(away.days(), 28);
        assert_eq!(away.check(None), Ok(()));
    }
}
