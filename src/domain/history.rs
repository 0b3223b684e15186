//! Each pupil file's change history: when, who (the key slot used to unlock) and what
//! changed, recorded on every save so the file can account for itself.

use super::dates::{format_uk, timestamp};
use super::pupil::PupilFile;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChange {
    #[serde(with = "timestamp")]
    pub at: DateTime<Utc>,
    /// The label of the key slot the desk was unlocked with: "SENCO", "Recovery key".
    pub by: String,
    /// What changed, one part per item: "Details: class", "Support plan 2 reviewed".
    pub what: Vec<String>,
}

impl PupilFile {
    /// Notes a save in the file's history: what differs from `before` (None for a new
    /// pupil). A save that changes nothing adds nothing.
    pub fn record_change(&mut self, before: Option<&PupilFile>, by: &str, at: DateTime<Utc>) {
        let what = match before {
            None => vec!["Record created".to_string()],
            Some(before) => changes_between(before, self),
        };
        if what.is_empty() {
            return;
        }
        self.history.push(FileChange {
            at,
            by: by.to_string(),
            what,
        });
    }
}

/// The parts of a pupil's file that differ, in words a SENCO reads in the timeline.
pub fn changes_between(before: &PupilFile, after: &PupilFile) -> Vec<String> {
    let mut what = Vec::new();
    let (old, new) = (&before.pupil, &after.pupil);
    let mut details = Vec::new();
    let mut differs = |same: bool, name: &'static str| {
        if !same {
            details.push(name);
        }
    };
    differs(
        old.forename == new.forename && old.surname == new.surname,
        "legal name",
    );
    differs(
        old.preferred_forename == new.preferred_forename,
        "preferred name",
    );
    differs(old.date_of_birth == new.date_of_birth, "date of birth");
    differs(
        old.upn == new.upn && old.unchecked_upn == new.unchecked_upn,
        "UPN",
    );
    differs(old.year_group == new.year_group, "year group");
    differs(old.class_name == new.class_name, "class");
    differs(old.gender == new.gender, "gender");
    differs(
        old.admitted == new.admitted && old.left == new.left,
        "admission or leaving date",
    );
    differs(old.flags == new.flags, "flags");
    differs(old.contacts == new.contacts, "parents and carers");
    if !details.is_empty() {
        what.push(format!("Details: {}", details.join(", ")));
    }
    if old.archived != new.archived {
        what.push(match new.archived {
            Some(on) => format!("Archived as a leaver on {}", format_uk(on)),
            None => "Taken out of the archive".into(),
        });
    }
    if before.sen.status_changes != after.sen.status_changes {
        what.push("SEN status".into());
    }
    if before.sen.needs_changes != after.sen.needs_changes {
        what.push("Needs".into());
    }
    if before.concerns.len() < after.concerns.len() {
        what.push("Concern raised".into());
    } else if before.concerns != after.concerns {
        what.push("Concern decided or changed".into());
    }
    if before.notes.len() < after.notes.len() {
        what.push("Note added".into());
    } else if before.notes != after.notes {
        what.push("Notes changed".into());
    }
    for plan in &after.plans {
        match before.plan(plan.cycle) {
            None => what.push(format!("Support plan {} drafted", plan.cycle)),
            Some(old) if old == plan => {}
            Some(old) if old.status != plan.status => {
                what.push(format!(
                    "Support plan {} {}",
                    plan.cycle,
                    match plan.status {
                        super::plan::PlanStatus::Active => "started",
                        super::plan::PlanStatus::Reviewed => "reviewed",
                        super::plan::PlanStatus::Draft => "returned to draft",
                    }
                ));
            }
            Some(old) if plan.corrections.len() > old.corrections.len() => {
                what.push(format!(
                    "Support plan {} corrected: {}",
                    plan.cycle,
                    plan.corrections
                        .last()
                        .map(|c| c.what.as_str())
                        .unwrap_or("")
                ));
            }
            Some(old) => what.push(format!(
                "Support plan {} edited: {}",
                plan.cycle,
                old.changed_parts(plan).join(", ")
            )),
        }
    }
    for plan in &before.plans {
        if after.plan(plan.cycle).is_none() {
            what.push(format!("Draft support plan {} deleted", plan.cycle));
        }
    }
    match (&before.passport, &after.passport) {
        (None, Some(_)) => what.push("Pupil passport written".into()),
        (Some(a), Some(b)) if a != b => what.push("Pupil passport updated".into()),
        (Some(_), None) => what.push("Pupil passport removed".into()),
        _ => {}
    }
    what
}

impl Zeroize for FileChange {
    fn zeroize(&mut self) {
        self.by.zeroize();
        for part in &mut self.what {
            part.zeroize();
        }
    }
}
