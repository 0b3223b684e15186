//! A pupil's SEN status and needs, kept as a history of dated changes.
//!
//! Each change takes effect from its date until the next change, so periods can never
//! overlap, and back-dating is simply a change with an earlier date. Nothing is ever
//! overwritten: a second change on the same date supersedes the first but both are kept.

use super::dates::format_uk;
use super::need::{BroadArea, NeedType};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use zeroize::Zeroize;

/// SEN provision status. `Monitoring` is a concern being watched: not a census code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SenStatus {
    #[serde(rename = "N")]
    NoSen,
    Monitoring,
    #[serde(rename = "K")]
    SenSupport,
    #[serde(rename = "E")]
    EhcPlan,
}

impl SenStatus {
    pub const ALL: [SenStatus; 4] = [
        SenStatus::NoSen,
        SenStatus::Monitoring,
        SenStatus::SenSupport,
        SenStatus::EhcPlan,
    ];

    /// The school census code: a monitored pupil is N to the census.
    pub fn census_code(self) -> &'static str {
        match self {
            SenStatus::NoSen | SenStatus::Monitoring => "N",
            SenStatus::SenSupport => "K",
            SenStatus::EhcPlan => "E",
        }
    }

    /// A short stable code, for form values and files.
    pub fn code(self) -> &'static str {
        match self {
            SenStatus::NoSen => "N",
            SenStatus::Monitoring => "M",
            SenStatus::SenSupport => "K",
            SenStatus::EhcPlan => "E",
        }
    }

    pub fn from_code(code: &str) -> Option<SenStatus> {
        SenStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the census counts the pupil as having SEN (K or E).
    pub fn is_census_sen(self) -> bool {
        matches!(self, SenStatus::SenSupport | SenStatus::EhcPlan)
    }

    /// Reads a status as an MIS writes it: "K", "SEN Support", "K - SEN Support", "E",
    /// "EHC Plan", "Statement", "N", "No special educational need", or blank.
    pub fn from_text(text: &str) -> Option<SenStatus> {
        let simple: String = text
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(|c| c.to_lowercase())
            .collect();
        let first = text
            .trim()
            .split([' ', '-', ':', '('])
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        match first.as_str() {
            "K" => return Some(SenStatus::SenSupport),
            "E" | "S" => return Some(SenStatus::EhcPlan),
            "N" => return Some(SenStatus::NoSen),
            _ => {}
        }
        match simple.as_str() {
            ""
            | "none"
            | "no"
            | "nosen"
            | "nospecialeducationalneed"
            | "nospecialeducationalneeds" => Some(SenStatus::NoSen),
            "sensupport" | "support" | "schoolaction" | "schoolactionplus" => {
                Some(SenStatus::SenSupport)
            }
            "ehcplan" | "ehcp" | "educationhealthandcareplan" | "statement" | "statementofsen" => {
                Some(SenStatus::EhcPlan)
            }
            "monitoring" | "monitor" | "m" => Some(SenStatus::Monitoring),
            _ => None,
        }
    }
}

impl fmt::Display for SenStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SenStatus::NoSen => "No SEN (N)",
            SenStatus::Monitoring => "Monitoring",
            SenStatus::SenSupport => "SEN support (K)",
            SenStatus::EhcPlan => "EHC plan (E)",
        })
    }
}

/// The reason an import records when the MIS file gives no SEN start date. The change is
/// dated the day of the import, but the pupil was on the register before then: it is shown
/// as "on the register before 01/12/2026 (from the MIS)", never as "since".
pub const FROM_MIS_UNDATED: &str = "Imported from the MIS export";
/// The reason an import records when the MIS file gives the SEN start date it is dated from.
pub const FROM_MIS_DATED: &str = "Imported from the MIS export, with its SEN start date";

/// When a status or need began, in words: "since 01/09/2025", or for an import without a
/// start date "on the register before 01/12/2026 (from the MIS)".
pub fn start_words(from: NaiveDate, reason: &str) -> String {
    if reason == FROM_MIS_UNDATED {
        format!("on the register before {} (from the MIS)", format_uk(from))
    } else {
        format!("since {}", format_uk(from))
    }
}

/// The "From" of a period: "01/09/2025", or "Before 01/12/2026 (from the MIS)".
pub fn start_date_words(from: NaiveDate, reason: &str) -> String {
    if reason == FROM_MIS_UNDATED {
        format!("Before {} (from the MIS)", format_uk(from))
    } else {
        format_uk(from)
    }
}

/// A status from a date, until the next change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusChange {
    #[serde(with = "super::dates::iso_date")]
    pub from: NaiveDate,
    pub status: SenStatus,
    /// Why, in a few words: "Decision on a concern", "Imported from the MIS".
    #[serde(default)]
    pub reason: String,
    #[serde(with = "super::dates::timestamp")]
    pub recorded_at: DateTime<Utc>,
}

/// A need with its rank given by its place in the list (first is primary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub need_type: NeedType,
    #[serde(default)]
    pub description: String,
}

/// The ranked needs from a date, until the next change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedsChange {
    #[serde(with = "super::dates::iso_date")]
    pub from: NaiveDate,
    pub needs: Vec<Need>,
    #[serde(default)]
    pub reason: String,
    #[serde(with = "super::dates::timestamp")]
    pub recorded_at: DateTime<Utc>,
}

/// A period derived from the history: its start, its end (None while current), and
/// whether a same-day change replaced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period<'a, T> {
    pub change: &'a T,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub superseded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SenError {
    InTheFuture,
    BeforeBirth,
    Unchanged(String),
    DuplicateNeed(NeedType),
    NsaWithoutSenSupport,
    NoNeeds,
    TooManyNeeds,
    TooLong(&'static str),
}

/// The most needs a pupil can have ranked at once: generous, and keeps forms short.
pub const MAX_NEEDS: usize = 6;
/// The longest description of a need or reason.
pub const MAX_NEED_TEXT: usize = 500;

impl fmt::Display for SenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SenError::InTheFuture => write!(f, "The date is in the future: record changes from today or earlier."),
            SenError::BeforeBirth => write!(f, "The date is before the pupil's date of birth."),
            SenError::Unchanged(what) => write!(f, "{what}"),
            SenError::DuplicateNeed(need) => write!(f, "{} ({}) is listed twice: rank each need once.", need.name(), need.code()),
            SenError::NsaWithoutSenSupport => write!(f, "NSA (no specialist assessment) is only for pupils on SEN support (K) on that date."),
            SenError::NoNeeds => write!(f, "Choose at least the primary need."),
            SenError::TooManyNeeds => write!(f, "At most {MAX_NEEDS} needs can be ranked."),
            SenError::TooLong(what) => write!(f, "The {what} is too long: at most {MAX_NEED_TEXT} characters."),
        }
    }
}

impl std::error::Error for SenError {}

/// Status and needs history for one pupil.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SenRecord {
    #[serde(default)]
    pub status_changes: Vec<StatusChange>,
    #[serde(default)]
    pub needs_changes: Vec<NeedsChange>,
}

/// The change in force on `date`: the latest date not after it, and of those the last
/// recorded. Changes are kept sorted by (from, recorded_at).
fn in_force<T>(changes: &[T], date: NaiveDate, from: impl Fn(&T) -> NaiveDate) -> Option<&T> {
    let after = changes.partition_point(|c| from(c) <= date);
    after.checked_sub(1).map(|i| &changes[i])
}

fn periods<T>(changes: &[T], from: impl Fn(&T) -> NaiveDate) -> Vec<Period<'_, T>> {
    changes
        .iter()
        .enumerate()
        .map(|(i, change)| {
            let start = from(change);
            let next = changes.get(i + 1).map(&from);
            Period {
                change,
                start,
                superseded: next == Some(start),
                end: next.filter(|n| *n != start).map(|n| n - Duration::days(1)),
            }
        })
        .collect()
}

fn check_date(from: NaiveDate, born: Option<NaiveDate>, today: NaiveDate) -> Result<(), SenError> {
    if from > today {
        return Err(SenError::InTheFuture);
    }
    // An unknown date of birth ("to correct") checks nothing rather than guess.
    if born.is_some_and(|born| from < born) {
        return Err(SenError::BeforeBirth);
    }
    Ok(())
}

impl SenRecord {
    pub fn is_empty(&self) -> bool {
        self.status_changes.is_empty() && self.needs_changes.is_empty()
    }

    pub fn status_on(&self, date: NaiveDate) -> SenStatus {
        in_force(&self.status_changes, date, |c| c.from).map_or(SenStatus::NoSen, |c| c.status)
    }

    /// When the status in force on `date` began.
    pub fn status_since(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.status_start(date).map(|c| c.from)
    }

    /// When the status in force on `date` began, in words (see [`start_words`]).
    pub fn status_since_words(&self, date: NaiveDate) -> Option<String> {
        self.status_start(date)
            .map(|c| start_words(c.from, &c.reason))
    }

    fn status_start(&self, date: NaiveDate) -> Option<&StatusChange> {
        let status = self.status_on(date);
        let after = self.status_changes.partition_point(|c| c.from <= date);
        let mut since = None;
        let mut later_from = None;
        for change in self.status_changes[..after].iter().rev() {
            // Replaced the same day by a later entry: it never held.
            let superseded = later_from == Some(change.from);
            later_from = Some(change.from);
            if superseded {
                continue;
            }
            if change.status != status {
                break;
            }
            since = Some(change);
        }
        since
    }

    pub fn needs_on(&self, date: NaiveDate) -> &[Need] {
        in_force(&self.needs_changes, date, |c| c.from).map_or(&[], |c| &c.needs)
    }

    pub fn primary_need(&self, date: NaiveDate) -> Option<NeedType> {
        self.needs_on(date).first().map(|n| n.need_type)
    }

    pub fn secondary_need(&self, date: NaiveDate) -> Option<NeedType> {
        self.needs_on(date).get(1).map(|n| n.need_type)
    }

    /// The broad areas of the needs in force, primary first, without repeats.
    pub fn areas_on(&self, date: NaiveDate) -> Vec<BroadArea> {
        let mut areas = Vec::new();
        for need in self.needs_on(date) {
            if let Some(area) = need.need_type.area() {
                if !areas.contains(&area) {
                    areas.push(area);
                }
            }
        }
        areas
    }

    /// Since when a need in force on `date` has been continuously recorded (at any rank).
    pub fn need_since(&self, need: NeedType, date: NaiveDate) -> Option<NaiveDate> {
        self.need_start(need, date).map(|c| c.from)
    }

    /// Since when a need in force on `date` has been recorded, in words (see [`start_words`]).
    pub fn need_since_words(&self, need: NeedType, date: NaiveDate) -> Option<String> {
        self.need_start(need, date)
            .map(|c| start_words(c.from, &c.reason))
    }

    fn need_start(&self, need: NeedType, date: NaiveDate) -> Option<&NeedsChange> {
        let after = self.needs_changes.partition_point(|c| c.from <= date);
        let mut since = None;
        for change in self.needs_changes[..after].iter().rev() {
            if !change.needs.iter().any(|n| n.need_type == need) {
                // A same-day replacement does not break the run.
                if since.is_some_and(|s: &NeedsChange| s.from == change.from) {
                    continue;
                }
                break;
            }
            since = Some(change);
        }
        since
    }

    pub fn status_periods(&self) -> Vec<Period<'_, StatusChange>> {
        periods(&self.status_changes, |c| c.from)
    }

    pub fn needs_periods(&self) -> Vec<Period<'_, NeedsChange>> {
        periods(&self.needs_changes, |c| c.from)
    }

    /// Records a status from `change.from`, back-dated if need be.
    pub fn record_status(
        &mut self,
        change: StatusChange,
        born: impl Into<Option<NaiveDate>>,
        today: NaiveDate,
    ) -> Result<(), SenError> {
        check_date(change.from, born.into(), today)?;
        if change.reason.chars().count() > MAX_NEED_TEXT {
            return Err(SenError::TooLong("reason"));
        }
        if self.status_on(change.from) == change.status {
            return Err(SenError::Unchanged(format!(
                "The status on {} is already {}.",
                format_uk(change.from),
                change.status
            )));
        }
        let at = self
            .status_changes
            .partition_point(|c| (c.from, c.recorded_at) <= (change.from, change.recorded_at));
        self.status_changes.insert(at, change);
        Ok(())
    }

    /// Records the ranked needs from `change.from`, back-dated if need be.
    pub fn record_needs(
        &mut self,
        change: NeedsChange,
        born: impl Into<Option<NaiveDate>>,
        today: NaiveDate,
    ) -> Result<(), SenError> {
        check_date(change.from, born.into(), today)?;
        self.check_needs(&change)?;
        if self.needs_on(change.from) == change.needs.as_slice() {
            return Err(SenError::Unchanged(format!(
                "Those are already the needs recorded on {}.",
                format_uk(change.from)
            )));
        }
        let at = self
            .needs_changes
            .partition_point(|c| (c.from, c.recorded_at) <= (change.from, change.recorded_at));
        self.needs_changes.insert(at, change);
        Ok(())
    }

    fn check_needs(&self, change: &NeedsChange) -> Result<(), SenError> {
        if change.needs.len() > MAX_NEEDS {
            return Err(SenError::TooManyNeeds);
        }
        if change.reason.chars().count() > MAX_NEED_TEXT {
            return Err(SenError::TooLong("reason"));
        }
        for (i, need) in change.needs.iter().enumerate() {
            if change.needs[..i]
                .iter()
                .any(|n| n.need_type == need.need_type)
            {
                return Err(SenError::DuplicateNeed(need.need_type));
            }
            if need.description.chars().count() > MAX_NEED_TEXT {
                return Err(SenError::TooLong("description"));
            }
        }
        let has_nsa = change.needs.iter().any(|n| n.need_type == NeedType::Nsa);
        if has_nsa && self.status_on(change.from) != SenStatus::SenSupport {
            return Err(SenError::NsaWithoutSenSupport);
        }
        Ok(())
    }

    /// Puts a stored or imported history back in order; true if it was out of order.
    pub fn normalise(&mut self) -> bool {
        let status_sorted = self
            .status_changes
            .windows(2)
            .all(|w| (w[0].from, w[0].recorded_at) <= (w[1].from, w[1].recorded_at));
        let needs_sorted = self
            .needs_changes
            .windows(2)
            .all(|w| (w[0].from, w[0].recorded_at) <= (w[1].from, w[1].recorded_at));
        self.status_changes.sort_by_key(|c| (c.from, c.recorded_at));
        self.needs_changes.sort_by_key(|c| (c.from, c.recorded_at));
        !(status_sorted && needs_sorted)
    }
}

impl Zeroize for SenRecord {
    fn zeroize(&mut self) {
        for change in &mut self.status_changes {
            change.reason.zeroize();
        }
        for change in &mut self.needs_changes {
            change.reason.zeroize();
            for need in &mut change.needs {
                need.description.zeroize();
            }
        }
        self.status_changes.clear();
        self.needs_changes.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32, m: u32, y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
    fn born() -> NaiveDate {
        day(14, 5, 2018)
    }
    fn today() -> NaiveDate {
        day(23, 11, 2026)
    }
    fn at(n: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + n, 0).unwrap()
    }
    fn status(from: NaiveDate, status: SenStatus, n: i64) -> StatusChange {
        StatusChange {
            from,
            status,
            reason: String::new(),
            recorded_at: at(n),
        }
    }
    fn needs(from: NaiveDate, codes: &[NeedType], n: i64) -> NeedsChange {
        NeedsChange {
            from,
            needs: codes
                .iter()
                .map(|&need_type| Need {
                    need_type,
                    description: String::new(),
                })
                .collect(),
            reason: String::new(),
            recorded_at: at(n),
        }
    }

    #[test]
    fn the_current_status_comes_from_the_latest_change_and_periods_never_overlap() {
        let mut sen = SenRecord::default();
        assert_eq!(sen.status_on(today()), SenStatus::NoSen);
        sen.record_status(
            status(day(1, 9, 2025), SenStatus::Monitoring, 1),
            born(),
            today(),
        )
        .unwrap();
        sen.record_status(
            status(day(6, 1, 2026), SenStatus::SenSupport, 2),
            born(),
            today(),
        )
        .unwrap();
        // Back-dated: an EHC plan issued before the SEN support entry was typed in.
        sen.record_status(
            status(day(1, 10, 2026), SenStatus::EhcPlan, 3),
            born(),
            today(),
        )
        .unwrap();
        sen.record_status(
            status(day(1, 3, 2026), SenStatus::NoSen, 4),
            born(),
            today(),
        )
        .unwrap();
        assert_eq!(sen.status_on(today()), SenStatus::EhcPlan);
        assert_eq!(sen.status_on(day(2, 3, 2026)), SenStatus::NoSen);
        assert_eq!(sen.status_on(day(31, 8, 2025)), SenStatus::NoSen);
        let periods = sen.status_periods();
        let spans: Vec<_> = periods
            .iter()
            .map(|p| (p.change.status, p.start, p.end))
            .collect();
        assert_eq!(
            spans,
            vec![
                (
                    SenStatus::Monitoring,
                    day(1, 9, 2025),
                    Some(day(5, 1, 2026))
                ),
                (
                    SenStatus::SenSupport,
                    day(6, 1, 2026),
                    Some(day(28, 2, 2026))
                ),
                (SenStatus::NoSen, day(1, 3, 2026), Some(day(30, 9, 2026))),
                (SenStatus::EhcPlan, day(1, 10, 2026), None),
            ]
        );
        for pair in periods.windows(2) {
            assert!(pair[0].end.unwrap() < pair[1].start);
        }
    }

    #[test]
    fn a_same_day_change_supersedes_but_is_kept() {
        let mut sen = SenRecord::default();
        sen.record_status(
            status(day(1, 9, 2025), SenStatus::EhcPlan, 1),
            born(),
            today(),
        )
        .unwrap();
        sen.record_status(
            status(day(1, 9, 2025), SenStatus::SenSupport, 2),
            born(),
            today(),
        )
        .unwrap();
        assert_eq!(sen.status_on(day(1, 9, 2025)), SenStatus::SenSupport);
        let periods = sen.status_periods();
        assert_eq!(periods.len(), 2);
        assert!(periods[0].superseded);
        assert_eq!(periods[0].end, None);
        assert_eq!(sen.status_since(today()), Some(day(1, 9, 2025)));
        // K since 2024; E by mistake on 01/03/2026, put back to K the same day.
        let mut sen = SenRecord::default();
        for (from, s, n) in [
            (day(1, 9, 2024), SenStatus::SenSupport, 1),
            (day(1, 3, 2026), SenStatus::EhcPlan, 2),
        ] {
            sen.record_status(status(from, s, n), born(), today())
                .unwrap();
        }
        sen.record_status(
            status(day(1, 3, 2026), SenStatus::SenSupport, 3),
            born(),
            today(),
        )
        .unwrap();
        assert_eq!(sen.status_since(today()), Some(day(1, 9, 2024)));
    }

    #[test]
    fn refuses_future_dates_dates_before_birth_and_no_change() {
        let mut sen = SenRecord::default();
        let future = status(day(24, 11, 2026), SenStatus::SenSupport, 1);
        assert_eq!(
            sen.record_status(future, born(), today()),
            Err(SenError::InTheFuture)
        );
        let early = status(day(1, 1, 2018), SenStatus::SenSupport, 1);
        assert_eq!(
            sen.record_status(early, born(), today()),
            Err(SenError::BeforeBirth)
        );
        let same = status(day(1, 1, 2026), SenStatus::NoSen, 1);
        assert!(matches!(
            sen.record_status(same, born(), today()),
            Err(SenError::Unchanged(_))
        ));
        assert!(sen.status_changes.is_empty());
    }

    #[test]
    fn needs_are_ranked_by_order_and_keep_their_history() {
        let mut sen = SenRecord::default();
        sen.record_status(
            status(day(1, 9, 2024), SenStatus::SenSupport, 1),
            born(),
            today(),
        )
        .unwrap();
        sen.record_needs(
            needs(day(1, 9, 2024), &[NeedType::Slcn], 2),
            born(),
            today(),
        )
        .unwrap();
        sen.record_needs(
            needs(day(1, 2, 2026), &[NeedType::Asd, NeedType::Slcn], 3),
            born(),
            today(),
        )
        .unwrap();
        assert_eq!(sen.primary_need(today()), Some(NeedType::Asd));
        assert_eq!(sen.secondary_need(today()), Some(NeedType::Slcn));
        assert_eq!(sen.primary_need(day(1, 1, 2026)), Some(NeedType::Slcn));
        // SLCN has been recorded throughout, at whatever rank.
        assert_eq!(
            sen.need_since(NeedType::Slcn, today()),
            Some(day(1, 9, 2024))
        );
        assert_eq!(
            sen.need_since(NeedType::Asd, today()),
            Some(day(1, 2, 2026))
        );
        assert_eq!(
            sen.areas_on(today()),
            vec![BroadArea::CommunicationAndInteraction]
        );
        assert_eq!(sen.needs_periods().len(), 2);
        assert_eq!(sen.needs_periods()[0].end, Some(day(31, 1, 2026)));
    }

    #[test]
    fn needs_are_checked_for_repeats_and_nsa_only_goes_with_sen_support() {
        let mut sen = SenRecord::default();
        assert_eq!(
            sen.record_needs(needs(day(1, 9, 2025), &[NeedType::Nsa], 1), born(), today()),
            Err(SenError::NsaWithoutSenSupport)
        );
        sen.record_status(
            status(day(1, 9, 2025), SenStatus::SenSupport, 1),
            born(),
            today(),
        )
        .unwrap();
        sen.record_needs(needs(day(1, 9, 2025), &[NeedType::Nsa], 2), born(), today())
            .unwrap();
        sen.record_status(
            status(day(1, 10, 2026), SenStatus::EhcPlan, 3),
            born(),
            today(),
        )
        .unwrap();
        assert_eq!(
            sen.record_needs(
                needs(day(2, 10, 2026), &[NeedType::Nsa, NeedType::Hi], 4),
                born(),
                today()
            ),
            Err(SenError::NsaWithoutSenSupport)
        );
        assert_eq!(
            sen.record_needs(
                needs(day(2, 10, 2026), &[NeedType::Hi, NeedType::Hi], 4),
                born(),
                today()
            ),
            Err(SenError::DuplicateNeed(NeedType::Hi))
        );
        let seven = [
            NeedType::Hi,
            NeedType::Vi,
            NeedType::Pd,
            NeedType::Msi,
            NeedType::Asd,
            NeedType::Slcn,
            NeedType::Mld,
        ];
        assert_eq!(
            sen.record_needs(needs(day(2, 10, 2026), &seven, 4), born(), today()),
            Err(SenError::TooManyNeeds)
        );
        assert_eq!(sen.needs_changes.len(), 1);
    }

    #[test]
    fn reads_the_ways_an_mis_writes_a_status() {
        for (text, expected) in [
            ("K", SenStatus::SenSupport),
            ("k", SenStatus::SenSupport),
            ("SEN Support", SenStatus::SenSupport),
            ("K - SEN Support", SenStatus::SenSupport),
            ("E", SenStatus::EhcPlan),
            ("EHC Plan", SenStatus::EhcPlan),
            ("E - Education, Health and Care Plan", SenStatus::EhcPlan),
            ("Statement", SenStatus::EhcPlan),
            ("N", SenStatus::NoSen),
            ("", SenStatus::NoSen),
            ("N - No Special Educational Need", SenStatus::NoSen),
        ] {
            assert_eq!(SenStatus::from_text(text), Some(expected), "{text:?}");
        }
        assert_eq!(SenStatus::from_text("Q"), None);
        assert_eq!(SenStatus::from_text("Gifted"), None);
        assert_eq!(SenStatus::Monitoring.census_code(), "N");
        assert_eq!(
            serde_json::to_string(&SenStatus::SenSupport).unwrap(),
            "\"K\""
        );
    }

    #[test]
    fn an_out_of_order_stored_history_is_put_back_in_order() {
        let mut sen = SenRecord {
            status_changes: vec![
                status(day(1, 1, 2026), SenStatus::SenSupport, 2),
                status(day(1, 1, 2025), SenStatus::Monitoring, 1),
            ],
            needs_changes: vec![],
        };
        assert!(sen.normalise());
        assert_eq!(sen.status_on(day(1, 6, 2025)), SenStatus::Monitoring);
        assert!(!sen.normalise());
    }
}
