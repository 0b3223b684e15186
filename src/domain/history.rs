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

/// The single-valued parts of a pupil's record, as the change history names them ("Details:
/// class, flags"). A merge takes the later edit of each, so its edit time is read from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Detail {
    LegalName,
    PreferredName,
    DateOfBirth,
    Upn,
    YearGroup,
    Class,
    Gender,
    AdmissionOrLeaving,
    Flags,
    /// Parents and carers: merged contact by contact, but their order follows the copy
    /// whose list was edited last.
    Contacts,
    /// Archived as a leaver, or taken out of the archive.
    Archive,
    Passport,
}

impl Detail {
    pub const ALL: [Detail; 12] = [
        Detail::LegalName,
        Detail::PreferredName,
        Detail::DateOfBirth,
        Detail::Upn,
        Detail::YearGroup,
        Detail::Class,
        Detail::Gender,
        Detail::AdmissionOrLeaving,
        Detail::Flags,
        Detail::Contacts,
        Detail::Archive,
        Detail::Passport,
    ];

    /// The words the change history uses for it.
    pub fn name(self) -> &'static str {
        match self {
            Detail::LegalName => "legal name",
            Detail::PreferredName => "preferred name",
            Detail::DateOfBirth => "date of birth",
            Detail::Upn => "UPN",
            Detail::YearGroup => "year group",
            Detail::Class => "class",
            Detail::Gender => "gender",
            Detail::AdmissionOrLeaving => "admission or leaving date",
            Detail::Flags => "flags",
            Detail::Contacts => "parents and carers",
            Detail::Archive => "archive",
            Detail::Passport => "pupil passport",
        }
    }

    /// The name as a label: "Class", "Legal name".
    pub fn label(self) -> &'static str {
        match self {
            Detail::LegalName => "Legal name",
            Detail::PreferredName => "Preferred name",
            Detail::DateOfBirth => "Date of birth",
            Detail::Upn => "UPN",
            Detail::YearGroup => "Year group",
            Detail::Class => "Class",
            Detail::Gender => "Gender",
            Detail::AdmissionOrLeaving => "Admission and leaving dates",
            Detail::Flags => "Flags",
            Detail::Contacts => "Parents and carers",
            Detail::Archive => "Archive",
            Detail::Passport => "Pupil passport",
        }
    }
}

/// How the change history begins the entry for an attached file ("File attached: x.pdf"):
/// the timeline shows the file's own line instead.
pub const FILE_ADDED: &str = "File attached";

/// The history entry a merge adds for a copy from before the change history was kept, at
/// its last edit: it stands for every detail, so later merges see that edit too.
pub const BEFORE_HISTORY: &str = "Edited before the change history was kept";

impl FileChange {
    /// Whether this save changed `detail` (a new record sets every detail).
    pub fn touches(&self, detail: Detail) -> bool {
        self.what.iter().any(|part| {
            part == "Record created"
                || part == BEFORE_HISTORY
                || match detail {
                    Detail::Archive => {
                        part.starts_with("Archived as a leaver")
                            || part == "Taken out of the archive"
                    }
                    Detail::Passport => part.starts_with("Pupil passport"),
                    _ => part
                        .strip_prefix("Details: ")
                        .is_some_and(|list| list.split(", ").any(|name| name == detail.name())),
                }
        })
    }
}

impl PupilFile {
    /// Notes a save in the file's history: what differs from `before` (None for a new
    /// pupil). A save that changes nothing adds nothing. Plans that changed are stamped with
    /// the time, and contacts, plans and notes that went get tombstones (see
    /// [`super::removal`]), so a merge keeps the later edit and applies the deletion.
    pub fn record_change(&mut self, before: Option<&PupilFile>, by: &str, at: DateTime<Utc>) {
        let what = match before {
            None => vec!["Record created".to_string()],
            Some(before) => changes_between(before, self),
        };
        if what.is_empty() {
            return;
        }
        for contact in &mut self.pupil.contacts {
            if contact.id.is_empty() && contact.added_at.is_none() {
                contact.added_at = Some(at);
            }
        }
        if let Some(before) = before {
            for plan in &mut self.plans {
                if before.plans.iter().all(|old| old != plan) {
                    plan.edited_at = Some(at);
                }
            }
            self.record_removals(before, at);
        }
        self.history.push(FileChange {
            at,
            by: by.to_string(),
            what,
        });
    }

    /// When `detail` was last changed, by the change history: for a file older than the
    /// history, its last edit; for a detail no entry names, when the file was made.
    pub fn edited_at(&self, detail: Detail) -> DateTime<Utc> {
        let latest = self
            .history
            .iter()
            .filter(|c| c.touches(detail))
            .map(|c| c.at)
            .max();
        match latest {
            Some(at) => at,
            None if self.history.is_empty() => self.updated_at,
            None => self.created_at,
        }
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
        Detail::LegalName.name(),
    );
    differs(
        old.preferred_forename == new.preferred_forename,
        Detail::PreferredName.name(),
    );
    differs(
        old.date_of_birth == new.date_of_birth,
        Detail::DateOfBirth.name(),
    );
    differs(
        old.upn == new.upn && old.unchecked_upn == new.unchecked_upn,
        Detail::Upn.name(),
    );
    differs(old.year_group == new.year_group, Detail::YearGroup.name());
    differs(old.class_name == new.class_name, Detail::Class.name());
    differs(old.gender == new.gender, Detail::Gender.name());
    differs(
        old.admitted == new.admitted && old.left == new.left,
        Detail::AdmissionOrLeaving.name(),
    );
    differs(old.flags == new.flags, Detail::Flags.name());
    differs(old.contacts == new.contacts, Detail::Contacts.name());
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
    for file in &after.attachments {
        if before.attachment(&file.id).is_none() {
            what.push(format!("{FILE_ADDED}: {}", file.name));
        }
    }
    for file in &before.attachments {
        if after.attachment(&file.id).is_none() {
            what.push(format!("File deleted: {}", file.name));
        }
    }
    match (&before.passport, &after.passport) {
        (None, Some(_)) => what.push("Pupil passport written".into()),
        (Some(a), Some(b)) if a != b => what.push("Pupil passport updated".into()),
        (Some(_), None) => what.push("Pupil passport removed".into()),
        _ => {}
    }
    what.extend(ehc_changes(&before.ehc, &after.ehc));
    what
}

/// The EHC records that were added or changed, in words for the change history.
fn ehc_changes(
    before: &super::ehc::record::EhcRecord,
    after: &super::ehc::record::EhcRecord,
) -> Vec<String> {
    fn compare<T: PartialEq>(
        kind: &str,
        before: &[T],
        after: &[T],
        id: impl Fn(&T) -> &str,
        what: &mut Vec<String>,
    ) {
        for record in after {
            match before.iter().find(|old| id(old) == id(record)) {
                None => what.push(format!("{kind} recorded")),
                Some(old) if old != record => what.push(format!("{kind} updated")),
                Some(_) => {}
            }
        }
    }
    let mut what = Vec::new();
    compare(
        "EHC needs assessment request",
        &before.requests,
        &after.requests,
        |r| &r.id,
        &mut what,
    );
    compare(
        "EHC plan",
        &before.plans,
        &after.plans,
        |p| &p.id,
        &mut what,
    );
    compare(
        "EHC annual review",
        &before.reviews,
        &after.reviews,
        |r| &r.id,
        &mut what,
    );
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
