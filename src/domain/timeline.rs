//! Everything recorded about a pupil as one list, newest first.

use super::dates::format_uk;
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

impl PupilFile {
    /// Every dated thing in the file, newest first; same-day entries keep the order they
    /// happened in, latest first.
    pub fn timeline(&self) -> Vec<TimelineEntry> {
        let mut entries = Vec::new();
        let mut add =
            |date: NaiveDate, at: Option<DateTime<Utc>>, kind: &'static str, text: String| {
                entries.push(TimelineEntry {
                    date,
                    recorded_at: at,
                    kind,
                    text,
                })
            };
        let pupil = &self.pupil;
        add(
            self.created_at.date_naive(),
            Some(self.created_at),
            "Record created",
            "Added to Senco Desk.".into(),
        );
        if let Some(admitted) = pupil.admitted {
            add(admitted, None, "Admitted", "Joined the school.".into());
        }
        for change in &self.sen.status_changes {
            let why = in_brackets(&change.reason);
            add(
                change.from,
                Some(change.recorded_at),
                "SEN status",
                format!(
                    "{}{why}{}.",
                    change.status,
                    undated_import(change.from, &change.reason)
                ),
            );
        }
        for change in &self.sen.needs_changes {
            let needs = if change.needs.is_empty() {
                "none recorded".to_string()
            } else {
                change
                    .needs
                    .iter()
                    .enumerate()
                    .map(|(i, n)| format!("{}. {}", i + 1, n.need_type.code()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let why = in_brackets(&change.reason);
            add(
                change.from,
                Some(change.recorded_at),
                "Needs",
                format!(
                    "Ranked needs: {needs}{why}{}.",
                    undated_import(change.from, &change.reason)
                ),
            );
        }
        for concern in &self.concerns {
            add(
                concern.raised_on,
                Some(concern.recorded_at),
                "Concern raised",
                format!("By {}: {}", concern.raised_by_name, concern.seen),
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
                    format!(
                        "{} (concern raised {}).{note}",
                        decision.outcome,
                        format_uk(concern.raised_on)
                    ),
                );
            }
        }
        for note in &self.notes {
            add(
                note.date,
                None,
                "Note",
                format!("{}: {}", note.author, note.text),
            );
        }
        for plan in &self.plans {
            if plan.status != PlanStatus::Draft {
                add(
                    plan.starts_on,
                    None,
                    "Support plan",
                    format!(
                        "Plan {} started; review due {}.",
                        plan.cycle,
                        format_uk(plan.review_on)
                    ),
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
                    format!(
                        "Plan {}: {met} of {of} outcomes achieved or exceeded; {parents}.",
                        plan.cycle
                    ),
                );
            }
            for correction in &plan.corrections {
                add(
                    correction.at.date_naive(),
                    Some(correction.at),
                    "Plan corrected",
                    format!(
                        "Plan {} corrected by {}: {} ({}).",
                        plan.cycle, correction.by, correction.what, correction.reason
                    ),
                );
            }
        }
        if let Some(passport) = &self.passport {
            add(
                passport.updated_on,
                None,
                "Pupil passport",
                "Passport last updated.".into(),
            );
        }
        for change in &self.history {
            // A copy from before the change history, as a merge notes it: nobody to name.
            let text = if change.by.is_empty() {
                format!("{}.", change.what.join("; "))
            } else {
                format!("By {}: {}.", change.by, change.what.join("; "))
            };
            add(change.at.date_naive(), Some(change.at), "Changed", text);
        }
        if let Some(left) = pupil.left {
            add(left, None, "Left", "Left the school.".into());
        }
        if let Some(archived) = pupil.archived {
            add(archived, None, "Archived", "Archived as a leaver.".into());
        }
        // Same date: in the order recorded, untimed entries (notes) last; then newest first.
        entries.sort_by_key(|e| (e.date, e.recorded_at.is_none(), e.recorded_at));
        entries.reverse();
        entries
    }
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
}
