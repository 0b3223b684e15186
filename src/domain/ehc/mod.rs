//! EHC plans (Education, Health and Care): the statutory dates of a needs assessment, an
//! annual review and a phase transfer, from the SEND Regulations 2014. Days are calendar days.

pub mod appeal;
pub mod calendar;
pub mod cases;
pub mod delivery;
pub mod exception;
pub mod forms;
pub mod in_file;
pub mod plan;
pub mod record;
pub mod request;
pub mod request_dates;
pub mod review;
pub mod review_dates;
pub mod transfer;

use chrono::{Days, Months, NaiveDate};

/// `date` plus `weeks` weeks; the far future if that is past the calendar's end.
pub(crate) fn weeks_after(date: NaiveDate, weeks: u32) -> NaiveDate {
    days_after(date, u64::from(weeks) * 7)
}

pub(crate) fn days_after(date: NaiveDate, days: u64) -> NaiveDate {
    date.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

pub(crate) fn weeks_before(date: NaiveDate, weeks: u32) -> NaiveDate {
    date.checked_sub_days(Days::new(u64::from(weeks) * 7))
        .unwrap_or(NaiveDate::MIN)
}

/// `date` plus whole months; a day the shorter month lacks becomes its last day, as a
/// tribunal counts (31 December plus 2 months is 28 or 29 February).
pub(crate) fn months_after(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Where a dated step stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Done on the day given, on time or this many days late.
    Done { on: NaiveDate, days_late: u32 },
    /// Not done; this many days left (0 means due today).
    Due { days_left: u32 },
    /// Not done, and this many days past its date.
    Late { days_late: u32 },
    /// A recorded exception means the statutory limit does not apply.
    LimitLifted,
}

impl Standing {
    /// Where a step due on `due` stands on `today`, done on `done` if it has been.
    pub fn of(due: NaiveDate, done: Option<NaiveDate>, today: NaiveDate) -> Standing {
        match done {
            Some(on) => Standing::Done {
                on,
                days_late: days_between(due, on),
            },
            None if today <= due => Standing::Due {
                days_left: days_between(today, due),
            },
            None => Standing::Late {
                days_late: days_between(due, today),
            },
        }
    }

    /// Plain words for the step's state, for a timeline.
    pub fn describe(&self) -> String {
        use crate::domain::text::count;
        match *self {
            Standing::Done { days_late: 0, .. } => "Done on time".into(),
            Standing::Done { days_late, .. } => {
                format!("Done {} late", count(days_late as usize, "day"))
            }
            Standing::Due { days_left: 0 } => "Due today".into(),
            Standing::Due { days_left } => format!("{} left", count(days_left as usize, "day")),
            Standing::Late { days_late } => format!("{} late", count(days_late as usize, "day")),
            Standing::LimitLifted => "The time limit does not apply (exception recorded)".into(),
        }
    }
}

/// Days from `a` to `b`, 0 if `b` is not after `a`.
fn days_between(a: NaiveDate, b: NaiveDate) -> u32 {
    u32::try_from((b - a).num_days().max(0)).unwrap_or(u32::MAX)
}

#[cfg(test)]
pub(crate) fn d(text: &str) -> NaiveDate {
    crate::domain::dates::parse_date(text).expect("a test date as dd/mm/yyyy")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_is_due_then_late_then_done_with_its_lateness() {
        let due = d("04/01/2027");
        assert_eq!(
            Standing::of(due, None, d("01/01/2027")),
            Standing::Due { days_left: 3 }
        );
        assert_eq!(Standing::of(due, None, due), Standing::Due { days_left: 0 });
        assert_eq!(
            Standing::of(due, None, d("11/01/2027")),
            Standing::Late { days_late: 7 }
        );
        assert_eq!(
            Standing::of(due, Some(d("06/01/2027")), d("20/01/2027")),
            Standing::Done {
                on: d("06/01/2027"),
                days_late: 2
            }
        );
        assert_eq!(
            Standing::of(due, Some(d("02/01/2027")), d("20/01/2027")).describe(),
            "Done on time"
        );
        assert_eq!(
            Standing::of(due, None, d("05/01/2027")).describe(),
            "1 day late"
        );
    }

    #[test]
    fn months_clamp_to_the_end_of_a_shorter_month() {
        assert_eq!(months_after(d("31/12/2026"), 2), d("28/02/2027"));
        assert_eq!(months_after(d("31/12/2027"), 2), d("29/02/2028"));
        assert_eq!(months_after(d("30/01/2027"), 1), d("28/02/2027"));
    }
}
