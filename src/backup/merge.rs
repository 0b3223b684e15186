//! Merging a backup into a desk. Pupils are matched by id and each pupil's two copies are
//! combined record by record (see [`crate::domain::merge`]): nothing either side recorded
//! is lost. The only records that go are those deleted on purpose on one side (a removed
//! contact, a deleted draft, an erased pupil), and the preview lists each of them before
//! anything is written.

use super::contents::ValidBackup;
use crate::domain::merge::{merge_files, DetailChoice};
use crate::domain::names::{name_labels, NameOrder};
use crate::domain::plan::SupportPlan;
use crate::domain::provision::merge::merge_provisions;
use crate::domain::provision::record::Provision;
use crate::domain::text::count;
use crate::domain::{Desk, Erasure, Pupil, PupilFile, PupilId, Removed};
use crate::vault::erasure_mark;
use std::cmp::Ordering;

/// What a merge does to one pupil both sides hold, seen from this desk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilMerge {
    pub id: PupilId,
    /// The pupil's name as the merged file has it.
    pub name: String,
    /// Single-valued details that differ, with both values and which is kept.
    pub details: Vec<DetailChoice>,
    /// What the backup adds to this desk's copy, in words: "2 notes", "1 status change".
    pub added: Vec<String>,
    /// Records this desk loses because they were deleted on purpose on the other copy.
    pub removed: Vec<String>,
    /// Records in the backup not brought back, because they were deleted here.
    pub not_brought_back: Vec<String>,
    /// Plans renumbered, or kept as a clash for the SENCO to check.
    pub plans: Vec<String>,
}

/// A pupil erased on one side and still on the other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErasedPupil {
    pub id: PupilId,
    pub name: String,
    pub on: chrono::NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergePlan {
    /// The desk's save counter the plan was made against: applied only to that desk.
    pub generation: u64,
    /// Pupils only the backup has, by name.
    pub added: Vec<String>,
    /// Pupils both sides hold whose merged file differs from this desk's.
    pub changed: Vec<PupilMerge>,
    /// Pupils on this desk that were erased on the copy the backup came from: erased here.
    pub erasing: Vec<ErasedPupil>,
    /// Pupils in the backup that were erased on this desk: they do not come back.
    pub kept_erased: Vec<ErasedPupil>,
    /// Pupils whose copies could not be combined within the desk's limits (a crafted or
    /// enormous file): this desk's copy is kept as it is, and the reason given.
    pub not_merged: Vec<(String, String)>,
    /// Files to write: the added ones and every merged one that differs from the desk's.
    pub writes: Vec<PupilFile>,
    /// The desk's list of erased pupils after the merge.
    pub erased: Vec<Erasure>,
    /// Whether that list changes.
    pub erased_changed: bool,
    /// Provisions only the backup has, by name.
    pub provisions_added: Vec<String>,
    /// Provisions both sides hold that the merge changes here, by name.
    pub provisions_changed: Vec<String>,
    /// Provisions to write: added, combined, or with an erased pupil taken out.
    pub provision_writes: Vec<Provision>,
    /// Staff and school years' term dates only the backup has: added to this desk's
    /// settings (which a merge otherwise keeps), so its provisions are still costed and
    /// planned. Where both have one, this desk's is kept.
    pub setup_added: Vec<String>,
    /// Why the staff and term dates only the backup has could not be added (together with
    /// this desk's they break a limit): none is added, and the preview says so.
    pub setup_not_added: Option<String>,
    pub settings: Option<crate::domain::Settings>,
    /// Contact log entries to write: added, combined, or with an erased pupil taken out.
    pub log_writes: Vec<crate::domain::contact_log::LogEntry>,
    /// Entries to delete: about only pupils erased on the other copy.
    pub log_removals: Vec<String>,
    /// How many entries only the backup had.
    pub log_added: usize,
}

impl MergePlan {
    pub fn make(desk: &Desk, generation: u64, backup: &ValidBackup) -> MergePlan {
        let erased = Erasure::combine(&desk.erased, &backup.erased);
        let mut plan = MergePlan {
            generation,
            added: Vec::new(),
            changed: Vec::new(),
            erasing: Vec::new(),
            kept_erased: Vec::new(),
            not_merged: Vec::new(),
            writes: Vec::new(),
            erased_changed: erased != desk.erased,
            erased: erased.clone(),
            provisions_added: Vec::new(),
            provisions_changed: Vec::new(),
            provision_writes: Vec::new(),
            setup_added: Vec::new(),
            setup_not_added: None,
            settings: None,
            log_writes: Vec::new(),
            log_removals: Vec::new(),
            log_added: 0,
        };
        plan.merge_provisions(desk, backup, &erased);
        plan.merge_log(desk, backup, &erased);
        plan.merge_setup(desk, backup);
        // Names as the register shows them, told apart among both copies' pupils.
        let labels = name_labels(
            desk.files().map(|f| &f.pupil).chain(
                backup
                    .files
                    .values()
                    .filter(|t| desk.file(&t.pupil.id).is_none())
                    .map(|t| &t.pupil),
            ),
            NameOrder::SurnameFirst,
        );
        let label = |pupil: &Pupil| {
            labels
                .get(&pupil.id)
                .cloned()
                .unwrap_or_else(|| pupil.sort_name())
        };
        let erased_on = |list: &[Erasure], id: &PupilId| {
            let mark = erasure_mark(id);
            list.iter().find(|e| e.mark == mark).map(|e| e.on)
        };
        for ours in desk.files() {
            if let Some(on) = erased_on(&backup.erased, &ours.pupil.id) {
                plan.erasing.push(ErasedPupil {
                    id: ours.pupil.id.clone(),
                    name: label(&ours.pupil),
                    on,
                });
            }
        }
        for theirs in backup.files.values() {
            if let Some(on) = erased_on(&erased, &theirs.pupil.id) {
                if desk.file(&theirs.pupil.id).is_none() {
                    plan.kept_erased.push(ErasedPupil {
                        id: theirs.pupil.id.clone(),
                        name: label(&theirs.pupil),
                        on,
                    });
                }
                continue;
            }
            let Some(ours) = desk.file(&theirs.pupil.id) else {
                plan.added.push(label(&theirs.pupil));
                plan.writes.push(theirs.clone());
                continue;
            };
            let merge = merge_files(ours, theirs);
            let mut merged = merge.file;
            merged.revision = ours.revision;
            if merged == *ours {
                continue;
            }
            if let Err(problem) = merged.check_limits() {
                plan.not_merged.push((label(&ours.pupil), problem));
                continue;
            }
            // An edit begun on this desk's copy must be refused as changed elsewhere.
            merged.revision = ours.revision.max(theirs.revision).saturating_add(1);
            let mut change = describe(ours, theirs, &merged, merge.details);
            change.name = label(&merged.pupil);
            plan.changed.push(change);
            plan.writes.push(merged);
        }
        plan.added.sort();
        plan.changed.sort_by(|a, b| a.name.cmp(&b.name));
        plan.erasing.sort_by(|a, b| a.name.cmp(&b.name));
        plan.kept_erased.sort_by(|a, b| a.name.cmp(&b.name));
        plan
    }

    /// Records both sides have that the merge rewrites.
    pub fn updated(&self) -> usize {
        self.writes.len() - self.added.len()
    }

    /// True when merging would write nothing (for example, the same file a second time).
    pub fn changes_nothing(&self) -> bool {
        self.writes.is_empty()
            && self.erasing.is_empty()
            && !self.erased_changed
            && self.provision_writes.is_empty()
            && self.settings.is_none()
            && self.log_writes.is_empty()
            && self.log_removals.is_empty()
    }

    /// The backup's staff and term dates this desk lacks, added to its settings.
    fn merge_setup(&mut self, desk: &Desk, backup: &ValidBackup) {
        let mut settings = desk.settings.clone();
        let ours = &mut settings.provision;
        let theirs = &backup.settings.provision;
        for member in &theirs.staff {
            if ours.member(&member.id).is_none() {
                self.setup_added
                    .push(format!("{} ({})", member.name, member.role.label()));
                ours.staff.push(member.clone());
            }
        }
        for year in &theirs.calendar.years {
            if !ours
                .calendar
                .years
                .iter()
                .any(|y| y.starts_in == year.starts_in)
            {
                self.setup_added.push(format!(
                    "Term dates for {} to {}",
                    year.starts_in,
                    year.starts_in + 1
                ));
                ours.calendar.years.push(year.clone());
            }
        }
        ours.calendar.years.sort_by_key(|y| y.starts_in);
        // Agencies the other copy's referrals name, so none of them is left without one.
        for agency in &backup.settings.agencies.agencies {
            if settings.agencies.agency(&agency.id).is_none() {
                self.setup_added
                    .push(format!("The agency {}", agency.label()));
            }
        }
        settings.agencies.add_missing(&backup.settings.agencies);
        if self.setup_added.is_empty() {
            return;
        }
        match settings
            .provision
            .check()
            .and_then(|()| settings.agencies.check())
        {
            Ok(()) => self.settings = Some(settings),
            Err(problem) => {
                self.setup_not_added = Some(format!(
                    "{} from the backup could not be added: with this desk's, {problem}",
                    self.setup_added.join(", ")
                ));
                self.setup_added.clear();
            }
        }
    }

    /// Each log entry either side holds, combined (see `merge_entry`), with every pupil
    /// erased on either side taken out; an entry left about none of the pupils it was
    /// about is deleted. Written where it differs from this desk's.
    fn merge_log(&mut self, desk: &Desk, backup: &ValidBackup, erased: &[Erasure]) {
        use crate::domain::contact_log::{merge::merge_entry, LogEntry};
        let marks: std::collections::BTreeSet<_> = erased.iter().map(|e| &e.mark).collect();
        // False when the entry was about pupils and all of them are erased.
        let forget_erased = |entry: &mut LogEntry| {
            let before = entry.pupils.len();
            entry.pupils.retain(|p| !marks.contains(&erasure_mark(p)));
            before == 0 || !entry.pupils.is_empty()
        };
        for theirs in backup.contact_log.values() {
            let ours = desk.log_entry(&theirs.id);
            let mut merged = match ours {
                Some(ours) => merge_entry(ours, theirs),
                None => theirs.clone(),
            };
            if !forget_erased(&mut merged) {
                if ours.is_some() {
                    self.log_removals.push(theirs.id.clone());
                }
                continue;
            }
            match ours {
                None => {
                    self.log_added += 1;
                    self.log_writes.push(merged);
                }
                Some(ours) => {
                    merged.revision = ours.revision;
                    if merged == *ours {
                        continue;
                    }
                    merged.revision = ours.revision.max(theirs.revision).saturating_add(1);
                    self.log_writes.push(merged);
                }
            }
        }
        for ours in desk.log_entries() {
            if backup.contact_log.contains_key(&ours.id) {
                continue;
            }
            let mut kept = ours.clone();
            if !forget_erased(&mut kept) {
                self.log_removals.push(ours.id.clone());
            } else if kept != *ours {
                kept.revision = ours.revision.saturating_add(1);
                self.log_writes.push(kept);
            }
        }
    }

    /// Each provision either side holds, combined (see [`merge_provisions`]), with every
    /// pupil erased on either side taken out; written where it differs from this desk's.
    fn merge_provisions(&mut self, desk: &Desk, backup: &ValidBackup, erased: &[Erasure]) {
        let marks: std::collections::BTreeSet<_> = erased.iter().map(|e| &e.mark).collect();
        let forget_erased = |provision: &mut Provision| {
            let pupils: Vec<PupilId> = provision
                .enrolments
                .iter()
                .map(|e| e.pupil.clone())
                .filter(|p| marks.contains(&erasure_mark(p)))
                .collect();
            for pupil in &pupils {
                provision.forget_pupil(pupil);
            }
        };
        for theirs in backup.provisions.values() {
            let mut merged = match desk.provision(&theirs.id) {
                Some(ours) => merge_provisions(ours, theirs),
                None => theirs.clone(),
            };
            forget_erased(&mut merged);
            match desk.provision(&theirs.id) {
                None => {
                    self.provisions_added.push(merged.name.clone());
                    self.provision_writes.push(merged);
                }
                Some(ours) => {
                    merged.revision = ours.revision;
                    if merged == *ours {
                        continue;
                    }
                    if merged.check().is_err() {
                        // Beyond a provision's limits once combined: this desk's is kept.
                        self.not_merged.push((
                            merged.name.clone(),
                            "the two copies together hold more than a provision can".into(),
                        ));
                        continue;
                    }
                    merged.revision = ours.revision.max(theirs.revision).saturating_add(1);
                    self.provisions_changed.push(merged.name.clone());
                    self.provision_writes.push(merged);
                }
            }
        }
        // This desk's own provisions lose only the pupils erased on the other copy.
        for ours in desk.provisions() {
            if backup.provisions.contains_key(&ours.id) {
                continue;
            }
            let mut kept = ours.clone();
            forget_erased(&mut kept);
            if kept != *ours {
                kept.revision = ours.revision.saturating_add(1);
                self.provision_writes.push(kept);
            }
        }
        self.provisions_added.sort();
        self.provisions_changed.sort();
    }
}

/// The change to one pupil in words, for the preview.
fn describe(
    ours: &PupilFile,
    theirs: &PupilFile,
    merged: &PupilFile,
    details: Vec<DetailChoice>,
) -> PupilMerge {
    let mut added = Vec::new();
    let mut add = |n: usize, what: &str| {
        if n > 0 {
            added.push(count(n, what));
        }
    };
    let new = |a: &[String], b: &[String]| b.iter().filter(|id| !a.contains(id)).count();
    add(
        merged
            .sen
            .status_changes
            .iter()
            .filter(|c| !ours.sen.status_changes.contains(c))
            .count(),
        "status change",
    );
    add(
        merged
            .sen
            .needs_changes
            .iter()
            .filter(|c| !ours.sen.needs_changes.contains(c))
            .count(),
        "change of needs",
    );
    add(new(&concern_ids(ours), &concern_ids(merged)), "concern");
    let decisions = |f: &PupilFile| -> Vec<String> {
        f.concerns
            .iter()
            .flat_map(|c| c.decision.iter().chain(c.other_decisions.iter()))
            .map(|d| format!("{d:?}"))
            .collect()
    };
    add(new(&decisions(ours), &decisions(merged)), "decision");
    add(new(&note_ids(ours), &note_ids(merged)), "note");
    add(
        new(&contact_ids(ours), &contact_ids(merged)),
        "parent or carer",
    );
    add(new(&plan_ids(ours), &plan_ids(merged)), "support plan");
    let reviewed = |f: &PupilFile| -> Vec<String> {
        f.plans
            .iter()
            .filter(|p| p.review.is_some())
            .map(|p| p.id.clone())
            .collect()
    };
    add(
        new(&reviewed(ours), &reviewed(merged))
            .saturating_sub(new(&plan_ids(ours), &plan_ids(merged))),
        "review",
    );
    add(
        merged
            .history
            .iter()
            .filter(|c| !ours.history.contains(c))
            .count(),
        "change-history entry",
    );

    let mut removed = Vec::new();
    let mut not_brought_back = Vec::new();
    for contact in &ours.pupil.contacts {
        if !merged.pupil.contacts.iter().any(|c| c.id == contact.id) {
            removed.push(format!("Parent or carer {}", contact.name));
        }
    }
    for contact in &theirs.pupil.contacts {
        if ours.was_removed(Removed::Contact, &contact.id) {
            not_brought_back.push(format!("Parent or carer {}", contact.name));
        }
    }
    for note in &ours.notes {
        if !merged.notes.iter().any(|n| n.id == note.id) {
            removed.push(format!(
                "Note of {}",
                crate::domain::dates::format_uk(note.date)
            ));
        }
    }
    for draft in &ours.plans {
        if !merged.plans.iter().any(|p| p.id == draft.id) {
            removed.push(format!("Draft support plan {}", draft.cycle));
        }
    }
    for draft in &theirs.plans {
        if ours.was_removed(Removed::Plan, &draft.id)
            && !merged.plans.iter().any(|p| p.id == draft.id)
        {
            not_brought_back.push(format!("Draft support plan {}", draft.cycle));
        }
    }
    let plans = merged
        .plans
        .iter()
        .filter_map(|p| plan_note(ours, theirs, p))
        .collect();
    PupilMerge {
        id: merged.pupil.id.clone(),
        name: merged.pupil.sort_name(),
        details,
        added,
        removed,
        not_brought_back,
        plans,
    }
}

/// A plan renumbered or marked as a clash by the merge, in words.
fn plan_note(ours: &PupilFile, theirs: &PupilFile, plan: &SupportPlan) -> Option<String> {
    let here = ours.plans.iter().find(|p| p.id == plan.id);
    let there = theirs.plans.iter().find(|p| p.id == plan.id);
    let was = here.or(there).map(|p| p.cycle);
    match (here, was) {
        (Some(p), _) if p.cycle == plan.cycle && p.merge_clash == plan.merge_clash => None,
        (_, Some(was)) if was != plan.cycle => Some(format!(
            "Support plan {was} from the {} is now plan {}: it clashed with another plan {was}. Check it.",
            if here.is_some() { "desk" } else { "backup" },
            plan.cycle
        )),
        _ if plan.merge_clash => Some(format!(
            "Support plan {} is kept from {}: it clashed with a plan here. Check it.",
            plan.cycle,
            if here.is_some() { "this desk" } else { "the backup" }
        )),
        _ => None,
    }
}

fn concern_ids(f: &PupilFile) -> Vec<String> {
    f.concerns.iter().map(|c| c.id.clone()).collect()
}
fn note_ids(f: &PupilFile) -> Vec<String> {
    f.notes.iter().map(|n| n.id.clone()).collect()
}
fn contact_ids(f: &PupilFile) -> Vec<String> {
    f.pupil.contacts.iter().map(|c| c.id.clone()).collect()
}
fn plan_ids(f: &PupilFile) -> Vec<String> {
    f.plans.iter().map(|p| p.id.clone()).collect()
}

/// Whether a backup holds older or newer work than the desk, by each side's latest edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Age {
    Older,
    Newer,
    Same,
}

pub fn compare_age(desk: &Desk, backup: &ValidBackup) -> Age {
    match backup.latest_change().cmp(&desk.latest_change()) {
        Ordering::Less => Age::Older,
        Ordering::Greater => Age::Newer,
        Ordering::Equal => Age::Same,
    }
}
