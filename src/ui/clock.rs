//! The time as the person at the desk reads it: their own time zone, dates as 23/11/2026.

use crate::domain::dates::format_uk;
use chrono::{DateTime, Local, NaiveDateTime, Timelike, Utc};

pub fn local_now() -> NaiveDateTime {
    Local::now().naive_local()
}

/// "23/11/2026 at 14:05" in local time.
pub fn date_and_time(moment: DateTime<Utc>) -> String {
    let local = moment.with_timezone(&Local);
    format!(
        "{} at {:02}:{:02}",
        format_uk(local.date_naive()),
        local.hour(),
        local.minute()
    )
}

/// "today", "yesterday", "5 days ago".
pub fn days_ago(moment: DateTime<Utc>) -> String {
    let today = Local::now().date_naive();
    let then = moment.with_timezone(&Local).date_naive();
    match (today - then).num_days() {
        i64::MIN..=0 => "today".into(),
        1 => "yesterday".into(),
        n => format!("{n} days ago"),
    }
}
