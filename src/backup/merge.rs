//! Merging a backup into a desk: records match by id, the later edit wins, and nothing is
//! deleted. A pupil's notes are never lost to the losing side: notes missing from the
//! winner are kept too.

use super::contents::ValidBackup;
use crate::domain::plan::check_plan_history;
use crate::domain::{Desk, Note, PupilFile, PupilId};
use chrono::{DateTime, Utc};
use std::cmp::Ordering;

/// Which copy of a record is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    ThisDesk,
    Backup,
}

/// A record that differs between the desk and the backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub id: PupilId,
    /// The pupil's name as the kept copy has it.
    pub name: String,
    pub desk_updated: DateTime<Utc>,
    pub backup_updated: DateTime<Utc>,
    pub kept: Side,
    /// Notes only the other copy had, kept as well.
    pub notes_added: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergePlan {
    /// The desk's save counter the plan was made against: applied only to that desk.
    pub generation: u64,
    /// Pupils only the backup has, by name.
    pub added: Vec<String>,
    /// Records both sides have, in different versions.
    pub differing: Vec<Difference>,
    /// Files to write: the added ones and every merged one that differs from the desk's.
    pub writes: Vec<PupilFile>,
}

impl MergePlan {
    pub fn make(desk: &Desk, generation: u64, backup: &ValidBackup) -> MergePlan {
        let mut plan = MergePlan {
            generation,
            added: Vec::new(),
            differing: Vec::new(),
            writes: Vec::new(),
        };
        for theirs in backup.files.values() {
            let Some(ours) = desk.file(&theirs.pupil.id) else {
                plan.added.push(theirs.pupil.sort_name());
                plan.writes.push(theirs.clone());
                continue;
            };
            if same_content(ours, theirs) {
                continue;
            }
            // The later edit wins; on a tie the desk's copy stays, so merging is repeatable.
            let (kept, winner, loser) = match theirs.updated_at.cmp(&ours.updated_at) {
                Ordering::Greater => (Side::Backup, theirs, ours),
                _ => (Side::ThisDesk, ours, theirs),
            };
            let mut merged = winner.clone();
            // Notes the winner lacks, counted as a multiset: two identical notes on the losing
            // side and one on the winning side keep both.
            let mut unmatched: Vec<&Note> = winner.notes.iter().collect();
            let extra: Vec<Note> = loser
                .notes
                .iter()
                .filter(|note| match unmatched.iter().position(|w| w == note) {
                    Some(i) => {
                        unmatched.swap_remove(i);
                        false
                    }
                    None => true,
                })
                .cloned()
                .collect();
            let notes_added = extra.len();
            merged.notes.extend(extra);
            merge_plans_passport_history(&mut merged, ours, loser);
            merged.notes.sort_by_key(|n| n.date);
            merged.created_at = ours.created_at.min(theirs.created_at);
            merged.revision = ours.revision + 1;
            plan.differing.push(Difference {
                id: ours.pupil.id.clone(),
                name: merged.pupil.sort_name(),
                desk_updated: ours.updated_at,
                backup_updated: theirs.updated_at,
                kept,
                notes_added,
            });
            if !same_content(ours, &merged) {
                plan.writes.push(merged);
            }
        }
        plan.added.sort();
        plan.differing.sort_by(|a, b| a.name.cmp(&b.name));
        plan
    }

    /// Records both sides have that the merge rewrites.
    pub fn updated(&self) -> usize {
        self.writes.len() - self.added.len()
    }

    /// True when merging would write nothing (for example, the same file a second time).
    pub fn changes_nothing(&self) -> bool {
        self.writes.is_empty()
    }
}

/// Plans, passport and history from both copies, so a later edit on one side never wipes
/// a review recorded on the other. Of two copies of a plan, the one further through its
/// cycle wins, then the more corrected one; the later passport wins; history
/// is the union of both. If the two sides' plans cannot be combined within the rules (two
/// drafts, say), the desk keeps its own plans: the backup's stay in the file.
fn merge_plans_passport_history(merged: &mut PupilFile, ours: &PupilFile, loser: &PupilFile) {
    let mut plans = merged.plans.clone();
    for theirs in &loser.plans {
        match plans.iter_mut().find(|p| p.cycle == theirs.cycle) {
            None => plans.push(theirs.clone()),
            Some(kept) => {
                // Further through its cycle wins (draft, active, reviewed), then the more
                // corrected copy; otherwise the later edit's.
                let rank =
                    |p: &crate::domain::plan::SupportPlan| (p.status as u8, p.corrections.len());
                let better = rank(theirs) > rank(kept);
                if better {
                    *kept = theirs.clone();
                }
            }
        }
    }
    plans.sort_by_key(|p| p.cycle);
    merged.plans = if check_plan_history(&ours.plans, &plans).is_ok() {
        plans
    } else {
        ours.plans.clone()
    };
    if let Some(theirs) = &loser.passport {
        let later = merged
            .passport
            .as_ref()
            .is_none_or(|kept| theirs.updated_on > kept.updated_on);
        if later {
            merged.passport = Some(theirs.clone());
        }
    }
    for change in &loser.history {
        if !merged.history.contains(change) {
            merged.history.push(change.clone());
        }
    }
    merged.history.sort_by_key(|c| c.at);
}

/// Equal apart from the save counter, which each desk keeps for itself.
fn same_content(a: &PupilFile, b: &PupilFile) -> bool {
    a.pupil == b.pupil
        && a.notes == b.notes
        && a.plans == b.plans
        && a.passport == b.passport
        && a.history == b.history
        && a.updated_at == b.updated_at
        && a.created_at == b.created_at
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
