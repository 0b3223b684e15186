//! A pupil's summary: the part of their file the register, the home page's lists and the
//! search read, so unlocking can show them before every full file is opened.
//!
//! A summary is a [`PupilFile`] with the long text left out (notes, the change history,
//! the passport, attached files' details, and the words of each plan and review), so every
//! screen that reads the register or the lists reads it unchanged. It is marked
//! `summary_only`: the store refuses to save a file built on one.

use super::pupil::PupilFile;

impl PupilFile {
    /// This file's summary: the pupil, their SEN record and concerns whole; each plan's
    /// number, status, dates and needs, and whether parents came to its review.
    pub fn summary(&self) -> PupilFile {
        let plans = self
            .plans
            .iter()
            .map(|plan| {
                let mut plan = plan.clone();
                plan.pupil_views.clear();
                plan.parent_views.clear();
                plan.strengths.clear();
                plan.outcomes.clear();
                plan.strategies.clear();
                plan.provision.clear();
                plan.corrections.clear();
                if let Some(review) = &mut plan.review {
                    review.attended.clear();
                    review.outcomes.clear();
                    review.strategies_worked.clear();
                    review.pupil_views.clear();
                    review.parent_views.clear();
                    review.next_steps.clear();
                }
                plan
            })
            .collect();
        PupilFile {
            pupil: self.pupil.clone(),
            notes: Vec::new(),
            sen: self.sen.clone(),
            concerns: self.concerns.clone(),
            plans,
            passport: None,
            history: Vec::new(),
            removed: Vec::new(),
            attachments: Vec::new(),
            ehc: self.ehc.summary(),
            // What the home list's follow-ups need: the agency and the dated steps.
            referrals: self
                .referrals
                .iter()
                .map(|r| super::referral::Referral {
                    reason: String::new(),
                    professional: String::new(),
                    tried: Vec::new(),
                    consent: None,
                    recommendations: Vec::new(),
                    ..r.clone()
                })
                .collect(),
            revision: self.revision,
            created_at: self.created_at,
            updated_at: self.updated_at,
            summary_only: true,
        }
    }

    /// Whether `summary` (as read from storage) is this file's summary now.
    pub fn is_summarised_by(&self, summary: &PupilFile) -> bool {
        let mut expected = self.summary();
        expected.summary_only = summary.summary_only;
        expected == *summary
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::concern::{Concern, RaisedBy};
    use crate::domain::due::what_is_due;
    use crate::domain::history::FileChange;
    use crate::domain::plan::{OutcomeReview, PlanOutcome, PlanStatus, Progress, Review};
    use crate::domain::pupil::{Note, PupilFile, PupilId};
    use crate::domain::register::Register;
    use crate::domain::sen::StatusChange;
    use crate::domain::{Desk, SenStatus, Settings};
    use crate::test_support::pupil;
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
    }

    /// A pupil on SEN support with a reviewed plan (parents came), an active plan past its
    /// review date, an open concern, notes and a change history: long text everywhere.
    fn full_file(forename: &str, id: &str) -> PupilFile {
        let mut p = pupil(forename, "Lovelace");
        p.id = PupilId(id.into());
        let mut file = PupilFile::new(p, now());
        file.sen.status_changes.push(StatusChange {
            from: day(2025, 9, 1),
            status: SenStatus::SenSupport,
            reason: "Assessed by the SENCO".into(),
            recorded_at: now(),
        });
        let long = "Words about the pupil that only the pupil's page shows. ".repeat(20);
        let mut first = file
            .new_plan(day(2025, 9, 8), false, day(2025, 9, 1))
            .unwrap();
        first.status = PlanStatus::Reviewed;
        first.pupil_views = long.clone();
        first.outcomes = vec![PlanOutcome {
            text: long.clone(),
            success_criteria: long.clone(),
            target_on: None,
        }];
        first.strategies = vec![long.clone()];
        first.review = Some(Review {
            held_on: day(2026, 10, 1),
            attended: "Mrs Lovelace (mum), SENCO".into(),
            parents_attended: true,
            outcomes: vec![OutcomeReview {
                progress: Progress::Achieved,
                evidence: long.clone(),
            }],
            strategies_worked: vec![true],
            pupil_views: long.clone(),
            parent_views: long.clone(),
            next_steps: long.clone(),
            recorded_at: now(),
        });
        file.plans.push(first);
        let mut second = file
            .new_plan(day(2026, 10, 2), true, day(2026, 10, 2))
            .unwrap();
        second.status = PlanStatus::Active;
        second.review_on = day(2026, 11, 1);
        file.plans.push(second);
        file.concerns.push(Concern {
            id: String::new(),
            raised_on: day(2026, 9, 1),
            raised_by: RaisedBy::Staff,
            raised_by_name: "Mrs Patel (Year 3 teacher)".into(),
            area: None,
            seen: "Struggles to settle after lunch".into(),
            evidence: "Seen by two staff".into(),
            actions: String::new(),
            decision: None,
            other_decisions: Vec::new(),
            recorded_at: now(),
        });
        file.notes.push(Note {
            id: String::new(),
            date: day(2026, 9, 2),
            author: "SENCO".into(),
            text: long.clone(),
        });
        file.history.push(FileChange {
            at: now(),
            by: "SENCO".into(),
            what: vec!["plan 2".into()],
        });
        file.tidy_after_reading();
        file
    }

    fn desk_of(files: Vec<PupilFile>) -> Desk {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        for file in files {
            desk.put(file);
        }
        desk
    }

    #[test]
    fn a_summary_gives_the_same_register_lists_and_search_as_the_file() {
        let files = vec![
            full_file("Ada", "00000000000000aa"),
            full_file("Ann", "00000000000000bb"),
        ];
        let full = desk_of(files.clone());
        let summaries = desk_of(files.iter().map(PupilFile::summary).collect());
        let today = day(2026, 11, 23);
        assert_eq!(
            Register::build(&summaries, today).rows(),
            Register::build(&full, today).rows()
        );
        let due = what_is_due(&full, today, &[]);
        assert!(due.iter().any(|list| !list.items.is_empty()), "{due:?}");
        assert_eq!(what_is_due(&summaries, today, &[]), due);
    }

    #[test]
    fn a_summary_leaves_out_the_long_text_and_is_marked() {
        let file = full_file("Ada", "00000000000000aa");
        let summary = file.summary();
        assert!(summary.summary_only && !file.summary_only);
        let full_json = serde_json::to_string(&file).unwrap();
        let summary_json = serde_json::to_string(&summary).unwrap();
        assert!(summary_json.len() * 4 < full_json.len(), "{summary_json}");
        assert!(!summary_json.contains("only the pupil's page shows"));
        assert!(summary.notes.is_empty() && summary.history.is_empty());
        // The mark is never stored: a summary read back is marked by whoever reads it.
        let read: PupilFile = serde_json::from_str(&summary_json).unwrap();
        assert!(!read.summary_only);
        assert!(file.is_summarised_by(&read));
    }

    #[test]
    fn a_summary_that_disagrees_with_its_file_is_told_apart() {
        let file = full_file("Ada", "00000000000000aa");
        let mut older = file.summary();
        older.plans[1].review_on = day(2027, 1, 1);
        assert!(!file.is_summarised_by(&older));
        let mut dropped = file.summary();
        dropped.concerns.clear();
        assert!(!file.is_summarised_by(&dropped));
        let mut renamed = file.summary();
        renamed.pupil.forename = "Eve".into();
        assert!(!file.is_summarised_by(&renamed));
    }
}
