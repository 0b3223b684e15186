//! Clocks that count school days: a referral's follow-up and an enquiry's reply. A school
//! day is a teaching day in the school's term dates; for a school year with no dates
//! entered, any weekday.

use crate::domain::provision::calendar::SchoolCalendar;
use chrono::{Datelike, Days, NaiveDate, Weekday};

/// Whether `date` is a school day: from the term dates when that year's are entered.
pub fn is_school_day(calendar: &SchoolCalendar, date: NaiveDate) -> bool {
    match calendar.year_of(date) {
        Some(year) => year.is_teaching_day(date),
        None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
    }
}

/// School days after `from` up to and including `to` (0 when `to` is not later).
pub fn school_days_after(calendar: &SchoolCalendar, from: NaiveDate, to: NaiveDate) -> u32 {
    from.iter_days()
        .skip(1)
        .take_while(|d| *d <= to)
        .filter(|d| is_school_day(calendar, *d))
        .count() as u32
}

/// The day on which `days` school days have passed since `from`: the clock runs out at
/// its end. A long holiday pushes it on; a year with no school days at all stops at a
/// year and a half so a bad calendar cannot loop.
pub fn after_school_days(calendar: &SchoolCalendar, from: NaiveDate, days: u32) -> NaiveDate {
    let mut counted = 0;
    let mut day = from;
    for _ in 0..550 {
        if counted == days {
            return day;
        }
        day = day + Days::new(1);
        if is_school_day(calendar, day) {
            counted += 1;
        }
    }
    day
}
