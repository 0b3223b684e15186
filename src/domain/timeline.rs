//! Everything recorded about a pupil as one list, newest first.

use super::dates::format_uk;
use super::history::FileChange;
use super::need::NeedType;
use super::plan::PlanStatus;
use super::pupil::PupilFile;
use chrono::{DateTime, NaiveDate, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub date: NaiveDate,
    /// When it was recorded, to order entries on the same date; notes have no time and
    /// come last in a day.
    pub recorded_at: Option<DateTime<Utc>>,
    /// A short heading: "SEN status", "Concern raised", "Note".
    pub kind: &'static str,
    pub text: String,
}

/// What a timeline event is, so the change-history entry that recorded it can be
/// merged into it rather than shown as a second line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Created,
    Status,
    Needs,
    ConcernRaised,
    Decision,
    PlanStarted(u32),
    PlanReviewed(u32),
    Passport,
    Archived,
    Other,
}

/// An event before the change history is merged in: the text is `head`, then ", by
/// SENCO" when a history entry names who recorded it, then `tail`.
struct Event {
    entry: TimelineEntry,
    source: Source,
    head: String,
    tail: String,
    by: Option<String>,
}

/// How long before or after a save an event's own "recorded at" time may fall and
/// still be the event that save recorded (forms stamp the event a moment before saving).
const SAVE_WINDOW_SECONDS: i64 = 10 * 60;
const SAVE_SLACK_SECONDS: i64 = 60;

impl PupilFile {
    /// Every dated thing in the file, newest first; same-day entries keep the order they
    /// happened in, latest first. Each event shows once: the change-history entry that
    /// recorded it is merged into it ("Need added: SLCN, by SENCO."), and only what no
    /// event describes is left as a "Changed" line.
    pub fn timeline(&self) -> Vec<TimelineEntry> {
        let mut events: Vec<Event> = Vec::new();
        let mut add = |date: NaiveDate,
                       at: Option<DateTime<Utc>>,
                       kind: &'static str,
                       source: Source,
                       head: String,
                       tail: String| {
            events.push(Event {
                entry: TimelineEntry {
                    date,
                    recorded_at: at,
                    kind,
                    text: String::new(),
                },
                source,
                head,
                tail,
                by: None,
            })
        };
        let pupil = &self.pupil;
        add(
            self.created_at.date_naive(),
            Some(self.created_at),
            "Record created",
            Source::Created,
            "Added to Senco Desk".into(),
            String::new(),
        );
        if let Some(admitted) = pupil.admitted {
            add(
                admitted,
                None,
                "Admitted",
                Source::Other,
                "Joined the school".into(),
                String::new(),
            );
        }
        for change in &self.sen.status_changes {
            let why = in_brackets(&change.reason);
            add(
                change.from,
                Some(change.recorded_at),
                "SEN status",
                Source::Status,
                format!(
                    "{}{why}{}",
                    change.status,
                    undated_import(change.from, &change.reason)
                ),
                String::new(),
            );
        }
        let mut before: Vec<NeedType> = Vec::new();
        for change in &self.sen.needs_changes {
            let now: Vec<NeedType> = change.needs.iter().map(|n| n.need_type).collect();
            let ranked = if now.is_empty() {
                "none recorded".to_string()
            } else {
                now.iter()
                    .enumerate()
                    .map(|(i, n)| format!("{}. {}", i + 1, n.code()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let why = in_brackets(&change.reason);
            add(
                change.from,
                Some(change.recorded_at),
                "Needs",
                Source::Needs,
                format!(
                    "{}{why}{}",
                    needs_difference(&before, &now),
                    undated_import(change.from, &change.reason)
                ),
                format!(" Ranked needs: {ranked}."),
            );
            before = now;
        }
        for concern in &self.concerns {
            add(
                concern.raised_on,
                Some(concern.recorded_at),
                "Concern raised",
                Source::ConcernRaised,
                format!("By {}: {}", concern.raised_by_name, concern.seen),
                String::new(),
            );
            for decision in concern.decision.iter().chain(&concern.other_decisions) {
                let note = if decision.note.is_empty() {
                    String::new()
                } else {
                    format!(" {}", decision.note)
                };
                add(
                    decision.on,
                    Some(decision.recorded_at),
                    "Concern decided",
                    Source::Decision,
                    format!(
                        "{} (concern raised {})",
                        decision.outcome,
                        format_uk(concern.raised_on)
                    ),
                    note,
                );
            }
        }
        for note in &self.notes {
            add(
                note.date,
                None,
                "Note",
                Source::Other,
                format!("{}: {}", note.author, note.text),
                String::new(),
            );
        }
        for plan in &self.plans {
            if plan.status != PlanStatus::Draft {
                add(
                    plan.starts_on,
                    None,
                    "Support plan",
                    Source::PlanStarted(plan.cycle),
                    format!("Plan {} started", plan.cycle),
                    format!(" Review due {}.", format_uk(plan.review_on)),
                );
            }
            if let (Some(review), Some((met, of))) = (&plan.review, plan.achieved()) {
                let parents = if review.parents_attended {
                    "parents attended"
                } else {
                    "parents did not attend"
                };
                add(
                    review.held_on,
                    Some(review.recorded_at),
                    "Plan reviewed",
                    Source::PlanReviewed(plan.cycle),
                    format!(
                        "Plan {}: {met} of {of} outcomes achieved or exceeded; {parents}",
                        plan.cycle
                    ),
                    String::new(),
                );
            }
            for correction in &plan.corrections {
                add(
                    correction.at.date_naive(),
                    Some(correction.at),
                    "Plan corrected",
                    Source::Other,
                    format!(
                        "Plan {} corrected by {}: {} ({})",
                        plan.cycle, correction.by, correction.what, correction.reason
                    ),
                    String::new(),
                );
            }
        }
        if let Some(passport) = &self.passport {
            add(
                passport.updated_on,
                None,
                "Pupil passport",
                Source::Passport,
                "Passport last updated".into(),
                String::new(),
            );
        }
        for file in &self.attachments {
            let description = if file.description.is_empty() {
                String::new()
            } else {
                format!(": {}", file.description)
            };
            add(
                file.added_at.date_naive(),
                Some(file.added_at),
                "File added",
                Source::Other,
                format!(
                    "{} (about {}, {}){description}, added by {}",
                    file.name,
                    format_uk(file.about),
                    file.size_text(),
                    file.added_by
                ),
                String::new(),
            );
        }
        if let Some(left) = pupil.left {
            add(
                left,
                None,
                "Left",
                Source::Other,
                "Left the school".into(),
                String::new(),
            );
        }
        if let Some(archived) = pupil.archived {
            add(
                archived,
                None,
                "Archived",
                Source::Archived,
                "Archived as a leaver".into(),
                String::new(),
            );
        }
        for (date, text) in self.ehc.timeline() {
            add(date, None, "EHC", Source::Other, text, String::new());
        }
        for referral in &self.referrals {
            for (date, text) in referral.timeline() {
                add(date, None, "Referral", Source::Other, text, String::new());
            }
        }
        let leftovers = merge_history(&mut events, &self.history);
        let mut entries: Vec<TimelineEntry> = events
            .into_iter()
            .map(|e| {
                // A concern names who raised it; the save names who recorded it.
                let by = match (e.by, e.source) {
                    (Some(by), Source::ConcernRaised) => format!(" (recorded by {by})"),
                    (Some(by), _) => format!(", by {by}"),
                    (None, _) => String::new(),
                };
                TimelineEntry {
                    text: format!("{}{by}.{}", e.head, e.tail),
                    ..e.entry
                }
            })
            .chain(leftovers)
            .collect();
        // Same date: in the order recorded, untimed entries (notes) last; then newest first.
        entries.sort_by_key(|e| (e.date, e.recorded_at.is_none(), e.recorded_at));
        entries.reverse();
        entries
    }
}

/// "Need added: SLCN", "Need removed: SEMH", "Needs re-ranked", between two rankings.
fn needs_difference(before: &[NeedType], after: &[NeedType]) -> String {
    let codes = |list: Vec<&NeedType>| list.iter().map(|n| n.code()).collect::<Vec<_>>().join(", ");
    let added: Vec<&NeedType> = after.iter().filter(|n| !before.contains(n)).collect();
    let removed: Vec<&NeedType> = before.iter().filter(|n| !after.contains(n)).collect();
    let mut parts = Vec::new();
    match added.len() {
        0 => {}
        1 => parts.push(format!("Need added: {}", codes(added))),
        _ => parts.push(format!("Needs added: {}", codes(added))),
    }
    match removed.len() {
        0 => {}
        1 => parts.push(format!("Need removed: {}", codes(removed))),
        _ => parts.push(format!("Needs removed: {}", codes(removed))),
    }
    if parts.is_empty() {
        if before == after {
            parts.push("Needs recorded again".to_string());
        } else {
            parts.push("Needs re-ranked".to_string());
        }
    }
    parts.join("; ")
}

/// Merges each change-history entry into the events it recorded (oldest first, so each
/// save claims the events it made), and returns "Changed" lines for what is left: edits
/// no event describes, or a history entry whose event cannot be found.
fn merge_history(events: &mut [Event], history: &[FileChange]) -> Vec<TimelineEntry> {
    let mut claimed = vec![false; events.len()];
    let mut order: Vec<&FileChange> = history.iter().collect();
    order.sort_by_key(|c| c.at);
    let last_passport_save = order
        .iter()
        .rev()
        .find(|c| c.what.iter().any(|p| p.starts_with("Pupil passport")))
        .map(|c| c.at);
    let mut leftovers = Vec::new();
    for change in order {
        let mut left = Vec::new();
        for part in &change.what {
            let target = event_for(part, change.at, last_passport_save);
            let found = match target {
                Target::Keep => None,
                Target::Shown => Some(None),
                Target::Timed(source) => {
                    latest_unclaimed(events, &claimed, source, change.at).map(Some)
                }
                Target::Untimed(source) => events
                    .iter()
                    .enumerate()
                    .find(|(i, e)| !claimed[*i] && e.source == source)
                    .map(|(i, _)| Some(i)),
            };
            match found {
                Some(Some(i)) => {
                    claimed[i] = true;
                    if !change.by.is_empty() {
                        events[i].by = Some(change.by.clone());
                    }
                }
                Some(None) => {}
                None => left.push(part.clone()),
            }
        }
        if !left.is_empty() {
            // A copy from before the change history, as a merge notes it: nobody to name.
            let text = if change.by.is_empty() {
                format!("{}.", left.join("; "))
            } else {
                format!("By {}: {}.", change.by, left.join("; "))
            };
            leftovers.push(TimelineEntry {
                date: change.at.date_naive(),
                recorded_at: Some(change.at),
                kind: "Changed",
                text,
            });
        }
    }
    leftovers
}

enum Target {
    /// No event describes it: it stays a "Changed" line.
    Keep,
    /// An event already says it and who did it (a note's author, a plan correction).
    Shown,
    /// The event of this kind the save recorded, found by its own time.
    Timed(Source),
    /// The one event of this kind.
    Untimed(Source),
}

fn event_for(part: &str, at: DateTime<Utc>, last_passport_save: Option<DateTime<Utc>>) -> Target {
    if part == "Record created" {
        return Target::Untimed(Source::Created);
    }
    if part == "SEN status" {
        return Target::Timed(Source::Status);
    }
    if part == "Needs" {
        return Target::Timed(Source::Needs);
    }
    if part == "Concern raised" {
        return Target::Timed(Source::ConcernRaised);
    }
    if part == "Concern decided or changed" {
        return Target::Timed(Source::Decision);
    }
    if part == "Note added" || part.starts_with(super::history::FILE_ADDED) {
        return Target::Shown;
    }
    if part.starts_with("Archived as a leaver") {
        return Target::Untimed(Source::Archived);
    }
    if part.starts_with("Pupil passport written") || part.starts_with("Pupil passport updated") {
        // The timeline shows the passport's latest update only; earlier ones stay lines.
        return if Some(at) == last_passport_save {
            Target::Untimed(Source::Passport)
        } else {
            Target::Keep
        };
    }
    if let Some(rest) = part.strip_prefix("Support plan ") {
        let mut words = rest.splitn(2, ' ');
        if let (Some(Ok(cycle)), Some(what)) = (words.next().map(str::parse::<u32>), words.next()) {
            if what == "started" {
                return Target::Untimed(Source::PlanStarted(cycle));
            }
            if what == "reviewed" {
                return Target::Untimed(Source::PlanReviewed(cycle));
            }
            if what.starts_with("corrected") {
                return Target::Shown;
            }
        }
    }
    Target::Keep
}

/// The latest event of `source` not yet claimed whose own time falls just before (or a
/// moment after) the save at `at`.
fn latest_unclaimed(
    events: &[Event],
    claimed: &[bool],
    source: Source,
    at: DateTime<Utc>,
) -> Option<usize> {
    events
        .iter()
        .enumerate()
        .filter(|(i, e)| !claimed[*i] && e.source == source)
        .filter_map(|(i, e)| {
            let recorded = e.entry.recorded_at?;
            let seconds = (at - recorded).num_seconds();
            (-SAVE_SLACK_SECONDS..=SAVE_WINDOW_SECONDS)
                .contains(&seconds)
                .then_some((recorded, i))
        })
        .max()
        .map(|(_, i)| i)
}

/// " (reason)", or nothing when there is no reason.
fn in_brackets(reason: &str) -> String {
    if reason.is_empty() {
        String::new()
    } else {
        format!(" ({reason})")
    }
}

/// For a status or need an import recorded without a start date: its date is the import,
/// not when it began, and the timeline says so.
fn undated_import(from: chrono::NaiveDate, reason: &str) -> String {
    if reason == super::sen::FROM_MIS_UNDATED {
        format!(": {}", super::sen::start_words(from, reason))
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::concern::{Concern, Decision, Outcome, RaisedBy};
    use crate::domain::sen::StatusChange;
    use crate::domain::{Note, Pupil, PupilFile, PupilId, SenStatus, YearGroup};
    use chrono::{DateTime, NaiveDate};

    #[test]
    fn lists_everything_recorded_newest_first() {
        let day = |d, m, y| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let at = DateTime::from_timestamp(1_756_684_800, 0).unwrap(); // 01/09/2025
        let pupil = Pupil::new(
            PupilId("a".into()),
            "Amira",
            "Okafor",
            day(14, 5, 2018),
            YearGroup::Year(3),
        );
        let mut file = PupilFile::new(pupil, at);
        file.concerns.push(Concern {
            id: String::new(),
            other_decisions: Vec::new(),
            raised_on: day(2, 10, 2026),
            raised_by: RaisedBy::Staff,
            raised_by_name: "Mrs Patel".into(),
            area: None,
            seen: "Not following instructions".into(),
            evidence: String::new(),
            actions: String::new(),
            decision: Some(Decision {
                outcome: Outcome::Monitor,
                on: day(9, 10, 2026),
                note: "Review at half term".into(),
                recorded_at: at,
            }),
            recorded_at: at,
        });
        file.sen.status_changes.push(StatusChange {
            from: day(9, 10, 2026),
            status: SenStatus::Monitoring,
            reason: "Decision".into(),
            recorded_at: at,
        });
        file.notes.push(Note {
            id: String::new(),
            date: day(1, 11, 2026),
            author: "SENCO".into(),
            text: "Met parents".into(),
        });
        let timeline = file.timeline();
        let kinds: Vec<(&str, NaiveDate)> = timeline.iter().map(|e| (e.kind, e.date)).collect();
        assert_eq!(
            kinds,
            [
                ("Note", day(1, 11, 2026)),
                ("Concern decided", day(9, 10, 2026)),
                ("SEN status", day(9, 10, 2026)),
                ("Concern raised", day(2, 10, 2026)),
                ("Record created", day(1, 9, 2025)),
            ]
        );
        assert!(
            timeline[1].text.contains("Monitor")
                && timeline[1].text.contains("Review at half term")
        );
    }

    #[test]
    fn point_10_a_change_history_entry_is_merged_into_the_event_it_recorded() {
        use crate::domain::history::FileChange;
        use crate::domain::{Need, NeedType, NeedsChange};
        let day = |d, m, y| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let created = DateTime::from_timestamp(1_756_684_800, 0).unwrap(); // 01/09/2025
        let later = DateTime::from_timestamp(1_764_547_200, 0).unwrap(); // 01/12/2025
        let pupil = Pupil::new(
            PupilId("a".into()),
            "Amira",
            "Okafor",
            day(14, 5, 2018),
            YearGroup::Year(3),
        );
        let mut file = PupilFile::new(pupil, created);
        file.history.push(FileChange {
            at: created,
            by: "SENCO".into(),
            what: vec!["Record created".into()],
        });
        let need = |t| Need {
            need_type: t,
            description: String::new(),
        };
        file.sen.needs_changes.push(NeedsChange {
            from: day(1, 12, 2025),
            needs: vec![need(NeedType::Semh)],
            reason: String::new(),
            recorded_at: later,
        });
        file.history.push(FileChange {
            at: later + chrono::Duration::seconds(1),
            by: "SENCO".into(),
            what: vec!["Needs".into()],
        });
        file.sen.needs_changes.push(NeedsChange {
            from: day(2, 12, 2025),
            needs: vec![need(NeedType::Semh), need(NeedType::Slcn)],
            reason: String::new(),
            recorded_at: later + chrono::Duration::days(1),
        });
        file.history.push(FileChange {
            at: later + chrono::Duration::days(1) + chrono::Duration::seconds(1),
            by: "Recovery key".into(),
            what: vec!["Details: class".into(), "Needs".into()],
        });
        let timeline = file.timeline();
        let lines: Vec<(&str, &str)> = timeline.iter().map(|e| (e.kind, e.text.as_str())).collect();
        assert_eq!(
            lines,
            [
                ("Changed", "By Recovery key: Details: class."),
                (
                    "Needs",
                    "Need added: SLCN, by Recovery key. Ranked needs: 1. SEMH, 2. SLCN."
                ),
                (
                    "Needs",
                    "Need added: SEMH, by SENCO. Ranked needs: 1. SEMH."
                ),
                ("Record created", "Added to Senco Desk, by SENCO."),
            ]
        );
    }

    #[test]
    fn point_10_a_change_whose_event_cannot_be_found_is_still_shown_once() {
        use crate::domain::history::FileChange;
        let day = |d, m, y| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let created = DateTime::from_timestamp(1_756_684_800, 0).unwrap();
        let pupil = Pupil::new(
            PupilId("a".into()),
            "Amira",
            "Okafor",
            day(14, 5, 2018),
            YearGroup::Year(3),
        );
        let mut file = PupilFile::new(pupil, created);
        // A status history corrected long after it was recorded: no new event to merge into.
        file.sen.status_changes.push(StatusChange {
            from: day(1, 9, 2025),
            status: SenStatus::SenSupport,
            reason: String::new(),
            recorded_at: created,
        });
        file.history.push(FileChange {
            at: created + chrono::Duration::days(30),
            by: "SENCO".into(),
            what: vec!["SEN status".into()],
        });
        let texts: Vec<String> = file.timeline().iter().map(|e| e.text.clone()).collect();
        assert_eq!(
            texts,
            [
                "By SENCO: SEN status.",
                "SEN support (K).",
                "Added to Senco Desk."
            ]
        );
    }
}
