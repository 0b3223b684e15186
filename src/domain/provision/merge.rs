//! Two copies of one provision made into one, losing nothing either holds: the details
//! (name to funding) from the copy edited later; each pupil's part (dates, measures,
//! rating, note) from the copy where it was edited later, keeping any measure, rating or
//! note only the other copy has; every session either recorded,
//! the later record where both did; extra costs and the change history from both, less any
//! cost either copy deleted. Every
//! choice depends only on the two copies, so merging A into B and B into A agree.

use super::record::{Enrolment, Provision, SessionRecord};
use crate::domain::PupilId;
use std::collections::BTreeMap;

pub fn merge_provisions(ours: &Provision, theirs: &Provision) -> Provision {
    // The later details; on a tie, the copy that sorts first as text, so both sides agree.
    let details_from_theirs = match theirs.details_edited.cmp(&ours.details_edited) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => details_key(theirs) < details_key(ours),
    };
    let mut merged = if details_from_theirs {
        theirs.clone()
    } else {
        ours.clone()
    };
    let mut costs: BTreeMap<String, super::record::ExtraCost> = BTreeMap::new();
    let (first, second) = if details_from_theirs {
        (theirs, ours)
    } else {
        (ours, theirs)
    };
    // A cost deleted on either copy stays deleted.
    let mut removed: Vec<String> = ours
        .removed_costs
        .iter()
        .chain(&theirs.removed_costs)
        .cloned()
        .collect();
    removed.sort();
    removed.dedup();
    for cost in second.extra_costs.iter().chain(&first.extra_costs) {
        let key = cost.key();
        if removed.binary_search(&key).is_err() {
            costs.insert(key, cost.clone());
        }
    }
    merged.extra_costs = costs.into_values().collect();
    merged.removed_costs = removed;
    merged
        .extra_costs
        .sort_by(|a, b| (a.on, &a.id).cmp(&(b.on, &b.id)));

    let mut enrolments: BTreeMap<PupilId, Enrolment> = BTreeMap::new();
    for e in ours.enrolments.iter().chain(&theirs.enrolments) {
        let merged = match enrolments.get(&e.pupil) {
            None => e.clone(),
            Some(kept) if later_enrolment(e, kept) => keep_measures(e, kept),
            Some(kept) => keep_measures(kept, e),
        };
        enrolments.insert(e.pupil.clone(), merged);
    }
    merged.enrolments = enrolments.into_values().collect();

    let mut sessions: BTreeMap<(chrono::NaiveDate, chrono::NaiveTime), SessionRecord> =
        BTreeMap::new();
    for s in ours.sessions.iter().chain(&theirs.sessions) {
        match sessions.get(&(s.on, s.starts)) {
            Some(kept) if !later_session(s, kept) => {}
            _ => {
                sessions.insert((s.on, s.starts), s.clone());
            }
        }
    }
    merged.sessions = sessions.into_values().collect();

    let mut history = ours.history.clone();
    history.extend(theirs.history.iter().cloned());
    history.sort();
    history.dedup();
    merged.history = history;
    merged.revision = ours.revision.max(theirs.revision);
    merged
}

/// The later copy of a pupil's part, with any measure, rating or note only the earlier
/// copy has kept: a measure recorded on one computer is never lost to a change of dates
/// on the other.
fn keep_measures(later: &Enrolment, earlier: &Enrolment) -> Enrolment {
    let mut merged = later.clone();
    if merged.entry.is_none() {
        merged.entry = earlier.entry;
    }
    if merged.exit.is_none() {
        merged.exit = earlier.exit;
    }
    if merged.rating.is_none() {
        merged.rating = earlier.rating;
    }
    if merged.note.is_empty() {
        merged.note = earlier.note.clone();
    }
    merged
}

fn details_key(p: &Provision) -> String {
    let mut copy = p.clone();
    copy.enrolments.clear();
    copy.sessions.clear();
    copy.history.clear();
    copy.extra_costs.clear();
    copy.removed_costs.clear();
    copy.revision = 0;
    serde_json::to_string(&copy).unwrap_or_default()
}

fn later_enrolment(candidate: &Enrolment, kept: &Enrolment) -> bool {
    match candidate.edited.cmp(&kept.edited) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => {
            serde_json::to_string(candidate).unwrap_or_default()
                < serde_json::to_string(kept).unwrap_or_default()
        }
    }
}

fn later_session(candidate: &SessionRecord, kept: &SessionRecord) -> bool {
    match candidate.recorded.cmp(&kept.recorded) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => {
            serde_json::to_string(candidate).unwrap_or_default()
                < serde_json::to_string(kept).unwrap_or_default()
        }
    }
}
