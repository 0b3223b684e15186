//! Two copies of one pupil's file made into one, losing nothing either holds.
//!
//! Histories are sets of dated changes, so both sides' status and needs changes are kept;
//! concerns (with every decision), contacts, notes and plans are matched by id; only the
//! single-valued details (name, year, class, flags, the passport...) take one side's value:
//! the later edit, detail by detail, with the edit time read from the change history. Every
//! choice depends only on the two copies, never on which is "ours", so merging A into B
//! and B into A give the same file. Deletions made on purpose travel as tombstones
//! ([`super::removal`]) and are applied, except that a tombstone for a draft plan never
//! removes a copy of it that was started or reviewed elsewhere.

use super::attachment::union_attachments;
use super::concern::{Concern, Decision};
use super::dates::format_uk;
use super::history::{Detail, FileChange, BEFORE_HISTORY};
use super::plan::{PlanStatus, SupportPlan};
use super::pupil::{Contact, Note, PupilFile};
use super::record_id::derived_id;
use super::removal::{Removal, Removed};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A single-valued detail that differs between the copies, with both values as shown to
/// the SENCO and which one the merge keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailChoice {
    pub detail: Detail,
    pub ours: String,
    pub theirs: String,
    pub ours_edited: DateTime<Utc>,
    pub theirs_edited: DateTime<Utc>,
    pub kept_theirs: bool,
}

/// The merged file, and the details where the copies disagreed (seen from `ours`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileMerge {
    pub file: PupilFile,
    pub details: Vec<DetailChoice>,
}

/// Merges two copies of the same pupil's file. The result's revision is the higher of the
/// two; the store sets its own when it writes.
pub fn merge_files(ours: &PupilFile, theirs: &PupilFile) -> FileMerge {
    let same = |a: &PupilFile, b: &PupilFile| {
        let mut b = b.clone();
        b.revision = a.revision;
        *a == b
    };
    if same(ours, theirs) {
        return FileMerge {
            file: ours.clone(),
            details: Vec::new(),
        };
    }
    let removed = merge_removals(&ours.removed, &theirs.removed);
    let mut file = ours.clone();
    let mut details = Vec::new();
    for detail in Detail::ALL {
        if detail == Detail::Contacts {
            continue;
        }
        let (a, b) = (detail_key(ours, detail), detail_key(theirs, detail));
        if a == b {
            continue;
        }
        let (ours_edited, theirs_edited) = (ours.edited_at(detail), theirs.edited_at(detail));
        // The later edit; at the same moment the larger value, so either order agrees.
        let kept_theirs = (theirs_edited, &b) > (ours_edited, &a);
        if kept_theirs {
            copy_detail(theirs, &mut file, detail);
        }
        details.push(DetailChoice {
            detail,
            ours: show_detail(ours, detail),
            theirs: show_detail(theirs, detail),
            ours_edited,
            theirs_edited,
            kept_theirs,
        });
    }
    file.pupil.contacts = merge_contacts(ours, theirs, &removed);
    file.sen.status_changes =
        union_sorted(&ours.sen.status_changes, &theirs.sen.status_changes, |c| {
            (c.from, c.recorded_at)
        });
    file.sen.needs_changes =
        union_sorted(&ours.sen.needs_changes, &theirs.sen.needs_changes, |c| {
            (c.from, c.recorded_at)
        });
    file.concerns = merge_concerns(&ours.concerns, &theirs.concerns);
    file.notes = merge_notes(&ours.notes, &theirs.notes, &removed);
    file.plans = merge_plans(&ours.plans, &theirs.plans, &removed);
    file.ehc = super::ehc::record::merge_ehc(&ours.ehc, &theirs.ehc);
    file.referrals = super::referral::merge::merge_referrals(&ours.referrals, &theirs.referrals);
    file.attachments = union_attachments(&ours.attachments, &theirs.attachments, |id| {
        is_removed(&removed, Removed::Attachment, id)
    });
    let mut history = union_sorted(&ours.history, &theirs.history, |c: &FileChange| c.at);
    // A copy from before the change history: its last edit, kept as an entry, so the
    // details it won keep their time in the merged file.
    for side in [ours, theirs] {
        if side.history.is_empty() {
            history.push(FileChange {
                at: side.updated_at,
                by: String::new(),
                what: vec![BEFORE_HISTORY.to_string()],
            });
        }
    }
    file.history = union_sorted(&history, &[], |c: &FileChange| c.at);
    file.removed = removed;
    file.created_at = ours.created_at.min(theirs.created_at);
    file.updated_at = ours.updated_at.max(theirs.updated_at);
    file.revision = ours.revision.max(theirs.revision);
    FileMerge { file, details }
}

/// JSON of a value: a total order for ties, and equality for "the same".
fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("records always serialise")
}

/// Both lists as one, ordered by `key` and then by content. An entry either list holds
/// twice (two saves alike to the millisecond) is kept as often as the list holding it more.
fn union_sorted<T: Clone + Serialize, K: Ord>(a: &[T], b: &[T], key: impl Fn(&T) -> K) -> Vec<T> {
    let mut counts: std::collections::BTreeMap<(K, String), (T, usize, usize)> =
        std::collections::BTreeMap::new();
    for (item, side) in a.iter().map(|i| (i, 0)).chain(b.iter().map(|i| (i, 1))) {
        let entry = counts
            .entry((key(item), json(item)))
            .or_insert_with(|| (item.clone(), 0, 0));
        if side == 0 {
            entry.1 += 1;
        } else {
            entry.2 += 1;
        }
    }
    counts
        .into_values()
        .flat_map(|(item, in_a, in_b)| std::iter::repeat_n(item, in_a.max(in_b)))
        .collect()
}

fn merge_removals(a: &[Removal], b: &[Removal]) -> Vec<Removal> {
    // One tombstone per record: the earliest deletion.
    let mut all = union_sorted(a, b, |r| (r.what, r.id.clone(), r.at));
    all.dedup_by(|later, earlier| later.what == earlier.what && later.id == earlier.id);
    all
}

fn is_removed(removed: &[Removal], what: Removed, id: &str) -> bool {
    removed.iter().any(|r| r.what == what && r.id == id)
}

/// Records from both copies matched by `id`, less those deleted on purpose; two copies of
/// one are combined by `both`.
fn by_id<T: Clone>(
    a: &[T],
    b: &[T],
    id: impl Fn(&T) -> &str,
    removed: impl Fn(&T) -> bool,
    both: impl Fn(&T, &T) -> T,
) -> Vec<T> {
    let mut kept: Vec<T> = Vec::new();
    for record in a.iter().chain(b) {
        if removed(record) {
            continue;
        }
        match kept.iter_mut().find(|k| id(k) == id(record)) {
            None => kept.push(record.clone()),
            Some(there) => *there = both(there, record),
        }
    }
    kept
}

/// Of two records with one id and different content (only a crafted file has them, for
/// contacts and notes, which are never edited), the same one whichever side it is on.
fn either<T: Clone + Serialize>(a: &T, b: &T) -> T {
    if json(a) >= json(b) { a } else { b }.clone()
}

/// Contacts from both copies, less those removed on purpose, in the order they were added
/// (contacts from before that was kept first, in the order the copies list them).
fn merge_contacts(ours: &PupilFile, theirs: &PupilFile, removed: &[Removal]) -> Vec<Contact> {
    let mut contacts = by_id(
        &ours.pupil.contacts,
        &theirs.pupil.contacts,
        |c| &c.id,
        |c| is_removed(removed, Removed::Contact, &c.id),
        either,
    );
    contacts.sort_by(|x, y| match (x.added_at, y.added_at) {
        (Some(a), Some(b)) => (a, &x.id).cmp(&(b, &y.id)),
        (a, b) => a.cmp(&b),
    });
    contacts
}

fn merge_notes(a: &[Note], b: &[Note], removed: &[Removal]) -> Vec<Note> {
    let mut notes = by_id(
        a,
        b,
        |n| &n.id,
        |n| is_removed(removed, Removed::Note, &n.id),
        either,
    );
    notes.sort_by(|x, y| (x.date, &x.id).cmp(&(y.date, &y.id)));
    notes
}

fn merge_concerns(a: &[Concern], b: &[Concern]) -> Vec<Concern> {
    let mut concerns = by_id(a, b, |c| &c.id, |_| false, merge_concern);
    concerns.sort_by(|x, y| (x.recorded_at, &x.id).cmp(&(y.recorded_at, &y.id)));
    concerns
}

/// One concern from two copies: every decision either recorded is kept, the latest as the
/// decision and the rest beside it.
fn merge_concern(a: &Concern, b: &Concern) -> Concern {
    if a == b {
        return a.clone();
    }
    let mut decisions: Vec<Decision> = Vec::new();
    for decision in [&a.decision, &b.decision]
        .into_iter()
        .flatten()
        .chain(a.other_decisions.iter())
        .chain(b.other_decisions.iter())
    {
        if !decisions.contains(decision) {
            decisions.push(decision.clone());
        }
    }
    decisions.sort_by_cached_key(|d| (d.recorded_at, json(d)));
    // What was raised is never edited: if the copies differ there, keep one of them, the
    // same one whichever side it is on.
    let strip = |c: &Concern| {
        let mut c = c.clone();
        c.decision = None;
        c.other_decisions.clear();
        c
    };
    let (sa, sb) = (strip(a), strip(b));
    let mut merged = if json(&sa) <= json(&sb) { sa } else { sb };
    merged.decision = decisions.pop();
    merged.other_decisions = decisions;
    merged
}

/// A plan's content apart from its number and clash mark, which a merge may change.
fn plan_core(plan: &SupportPlan) -> String {
    let mut core = plan.clone();
    core.cycle = 0;
    core.merge_clash = false;
    json(&core)
}

fn merge_plans(a: &[SupportPlan], b: &[SupportPlan], removed: &[Removal]) -> Vec<SupportPlan> {
    let mut plans: Vec<SupportPlan> = Vec::new();
    for plan in a.iter().chain(b) {
        // A deleted draft stays deleted; a copy started or reviewed elsewhere is kept.
        if plan.status == PlanStatus::Draft && is_removed(removed, Removed::Plan, &plan.id) {
            continue;
        }
        add_plan(&mut plans, plan.clone());
    }
    number_plans(&mut plans);
    plans
}

/// Adds a copy of a plan, merging it with the copy already there of the same id. A clash
/// copy has an id of its own, which an earlier merge may have added already.
fn add_plan(plans: &mut Vec<SupportPlan>, plan: SupportPlan) {
    match plans.iter().position(|p| p.id == plan.id) {
        None => plans.push(plan),
        Some(i) => {
            let there = plans.remove(i);
            for merged in merge_plan(&there, &plan) {
                add_plan(plans, merged);
            }
        }
    }
}

/// Two copies of one plan (the same id): the one further through its cycle, or the later
/// edit; two different reviews, or corrections that went separate ways, clash, and both
/// are kept (the second under a new id, to be renumbered).
fn merge_plan(a: &SupportPlan, b: &SupportPlan) -> Vec<SupportPlan> {
    let (core_a, core_b) = (plan_core(a), plan_core(b));
    let settle = |winner: &SupportPlan| {
        let mut plan = winner.clone();
        plan.cycle = a.cycle.max(b.cycle);
        plan.merge_clash = a.merge_clash || b.merge_clash;
        vec![plan]
    };
    if core_a == core_b {
        return settle(a);
    }
    let rank = |p: &SupportPlan| match p.status {
        PlanStatus::Draft => 0,
        PlanStatus::Active => 1,
        PlanStatus::Reviewed => 2,
    };
    if rank(a) != rank(b) {
        return settle(if rank(a) > rank(b) { a } else { b });
    }
    if a.status != PlanStatus::Reviewed {
        let later = (a.edited_at, &core_a) > (b.edited_at, &core_b);
        return settle(if later { a } else { b });
    }
    let extends = |long: &SupportPlan, short: &SupportPlan| {
        long.corrections.len() > short.corrections.len()
            && long.corrections.starts_with(&short.corrections)
    };
    if extends(a, b) {
        return settle(a);
    }
    if extends(b, a) {
        return settle(b);
    }
    let (keep, clash, clash_core) = if core_a <= core_b {
        (a, b, core_b)
    } else {
        (b, a, core_a)
    };
    let mut copy = clash.clone();
    copy.id = derived_id("plan-clash", &[&clash.id, &clash_core]);
    copy.merge_clash = true;
    vec![keep.clone(), copy]
}

/// Gives every plan a number of its own: where two share one, the first drafted keeps it
/// and the other takes the next free number and is marked as a clash. Then, of plans not so
/// marked, only the latest draft and the latest active plan stay unmarked.
fn number_plans(plans: &mut [SupportPlan]) {
    plans.sort_by(|x, y| {
        (x.cycle, x.merge_clash, x.drafted_on, &x.id).cmp(&(
            y.cycle,
            y.merge_clash,
            y.drafted_on,
            &y.id,
        ))
    });
    let mut next = plans.iter().map(|p| p.cycle).max().unwrap_or(0) + 1;
    let mut used = std::collections::BTreeSet::new();
    for plan in plans.iter_mut() {
        if !used.insert(plan.cycle) {
            plan.cycle = next;
            plan.merge_clash = true;
            used.insert(next);
            next += 1;
        }
    }
    plans.sort_by_key(|p| p.cycle);
    for status in [PlanStatus::Draft, PlanStatus::Active] {
        let mut open: Vec<&mut SupportPlan> = plans
            .iter_mut()
            .filter(|p| p.status == status && !p.merge_clash)
            .collect();
        open.pop();
        for plan in open {
            plan.merge_clash = true;
        }
    }
}

/// The detail's value, as JSON: equal means the same.
fn detail_key(file: &PupilFile, detail: Detail) -> String {
    let p = &file.pupil;
    match detail {
        Detail::LegalName => json(&(&p.forename, &p.surname)),
        Detail::PreferredName => json(&p.preferred_forename),
        Detail::DateOfBirth => json(&p.date_of_birth.map(super::dates::format_iso)),
        Detail::Upn => json(&(&p.upn, &p.unchecked_upn)),
        Detail::YearGroup => json(&p.year_group),
        Detail::Class => json(&p.class_name),
        Detail::Gender => json(&p.gender),
        Detail::AdmissionOrLeaving => json(&(
            p.admitted.map(super::dates::format_iso),
            p.left.map(super::dates::format_iso),
        )),
        Detail::Flags => json(&p.flags),
        Detail::Contacts => json(&p.contacts),
        Detail::Archive => json(&p.archived.map(super::dates::format_iso)),
        Detail::Passport => json(&file.passport),
    }
}

fn copy_detail(from: &PupilFile, to: &mut PupilFile, detail: Detail) {
    let (source, target) = (&from.pupil, &mut to.pupil);
    match detail {
        Detail::LegalName => {
            target.forename = source.forename.clone();
            target.surname = source.surname.clone();
        }
        Detail::PreferredName => target.preferred_forename = source.preferred_forename.clone(),
        Detail::DateOfBirth => target.date_of_birth = source.date_of_birth,
        Detail::Upn => {
            target.upn = source.upn.clone();
            target.unchecked_upn = source.unchecked_upn.clone();
        }
        Detail::YearGroup => target.year_group = source.year_group,
        Detail::Class => target.class_name = source.class_name.clone(),
        Detail::Gender => target.gender = source.gender,
        Detail::AdmissionOrLeaving => {
            target.admitted = source.admitted;
            target.left = source.left;
        }
        Detail::Flags => target.flags = source.flags,
        Detail::Contacts => target.contacts = source.contacts.clone(),
        Detail::Archive => target.archived = source.archived,
        Detail::Passport => to.passport = from.passport.clone(),
    }
}

/// The detail's value in words, for the merge preview.
pub fn show_detail(file: &PupilFile, detail: Detail) -> String {
    let p = &file.pupil;
    let or_none = |text: &str| {
        if text.is_empty() {
            "(none)".to_string()
        } else {
            text.to_string()
        }
    };
    match detail {
        Detail::LegalName => p.legal_name(),
        Detail::PreferredName => or_none(&p.preferred_forename),
        Detail::DateOfBirth => p.date_of_birth_text(),
        Detail::Upn => match (&p.upn, &p.unchecked_upn) {
            (Some(upn), _) => upn.to_string(),
            (None, Some(text)) => format!("{text} (check letter wrong)"),
            (None, None) => "(none)".into(),
        },
        Detail::YearGroup => p.year_group.to_string(),
        Detail::Class => or_none(&p.class_name),
        Detail::Gender => p.gender.label().into(),
        Detail::AdmissionOrLeaving => match (p.admitted, p.left) {
            (None, None) => "(none)".into(),
            (Some(a), None) => format!("admitted {}", format_uk(a)),
            (None, Some(l)) => format!("left {}", format_uk(l)),
            (Some(a), Some(l)) => format!("admitted {}, left {}", format_uk(a), format_uk(l)),
        },
        Detail::Flags => or_none(&p.flags.codes()),
        Detail::Contacts => p
            .contacts
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        Detail::Archive => match p.archived {
            Some(on) => format!("archived as a leaver on {}", format_uk(on)),
            None => "on roll".into(),
        },
        Detail::Passport => match &file.passport {
            Some(passport) => format!("written, last updated {}", format_uk(passport.updated_on)),
            None => "(none)".into(),
        },
    }
}

impl PupilFile {
    /// Moves every time later than `limit` back to `to`: a file made on a computer whose
    /// clock was years ahead would otherwise win every later merge. Returns how many moved.
    pub fn clamp_times(&mut self, limit: DateTime<Utc>, to: DateTime<Utc>) -> usize {
        let mut moved = 0;
        let mut clamp = |at: &mut DateTime<Utc>| {
            if *at > limit {
                *at = to;
                moved += 1;
            }
        };
        clamp(&mut self.created_at);
        clamp(&mut self.updated_at);
        self.history.iter_mut().for_each(|c| clamp(&mut c.at));
        self.removed.iter_mut().for_each(|r| clamp(&mut r.at));
        for change in &mut self.sen.status_changes {
            clamp(&mut change.recorded_at);
        }
        for change in &mut self.sen.needs_changes {
            clamp(&mut change.recorded_at);
        }
        for concern in &mut self.concerns {
            clamp(&mut concern.recorded_at);
            for decision in concern
                .decision
                .iter_mut()
                .chain(concern.other_decisions.iter_mut())
            {
                clamp(&mut decision.recorded_at);
            }
        }
        for plan in &mut self.plans {
            if let Some(at) = &mut plan.edited_at {
                clamp(at);
            }
            if let Some(review) = &mut plan.review {
                clamp(&mut review.recorded_at);
            }
            plan.corrections.iter_mut().for_each(|c| clamp(&mut c.at));
        }
        let ehc = &mut self.ehc;
        for at in ehc
            .requests
            .iter_mut()
            .filter_map(|r| r.edited_at.as_mut())
            .chain(ehc.plans.iter_mut().filter_map(|p| p.edited_at.as_mut()))
        {
            clamp(at);
        }
        for review in &mut ehc.reviews {
            if let Some(at) = &mut review.edited_at {
                clamp(at);
            }
            review.corrections.iter_mut().for_each(|c| clamp(&mut c.at));
        }
        for referral in &mut self.referrals {
            if let Some(at) = &mut referral.edited_at {
                clamp(at);
            }
        }
        // Clamping can put a history back out of order.
        if moved > 0 {
            self.sen.normalise();
            self.history.sort_by_cached_key(|c| (c.at, json(c)));
        }
        moved
    }
}
