//! Two copies of one entry made one (a merge of desks): nothing either side recorded is
//! lost.

use super::LogEntry;

fn json(entry: &LogEntry) -> String {
    serde_json::to_string(entry).expect("records always serialise")
}

/// The later edit's words and dates; every agreed action either copy holds (done where
/// either says so); every pupil either names; both change histories.
pub fn merge_entry(ours: &LogEntry, theirs: &LogEntry) -> LogEntry {
    if ours == theirs {
        return ours.clone();
    }
    let (later, earlier) = if (theirs.edited_at, json(theirs)) > (ours.edited_at, json(ours)) {
        (theirs, ours)
    } else {
        (ours, theirs)
    };
    let mut merged = later.clone();
    for action in &earlier.actions {
        let room = merged.actions.len() < super::MAX_ACTIONS;
        match merged.actions.iter_mut().find(|a| a.id == action.id) {
            Some(kept) if kept.done_on.is_none() => kept.done_on = action.done_on,
            Some(_) => {}
            None if room => merged.actions.push(action.clone()),
            None => {}
        }
    }
    for pupil in &earlier.pupils {
        if !merged.pupils.contains(pupil) && merged.pupils.len() < super::MAX_ENTRY_PUPILS {
            merged.pupils.push(pupil.clone());
        }
    }
    if merged.follow_up_done.is_none() {
        merged.follow_up_done = earlier
            .follow_up_done
            .filter(|_| merged.follow_up.is_some());
    }
    if let (Some(kept), Some(other)) = (&mut merged.enquiry, &earlier.enquiry) {
        if kept.replied_on.is_none() {
            kept.replied_on = other.replied_on;
        }
    }
    let mut history = later.history.clone();
    for change in &earlier.history {
        if !history.contains(change) {
            history.push(change.clone());
        }
    }
    history.sort_by_key(|c| c.at);
    let excess = history.len().saturating_sub(super::MAX_ENTRY_HISTORY);
    history.drain(..excess);
    merged.history = history;
    merged.revision = ours.revision.max(theirs.revision);
    if merged.check().is_err() {
        return later.clone();
    }
    merged
}
