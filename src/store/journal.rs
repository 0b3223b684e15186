//! All-or-nothing writes across several keys, on a store that only promises one key at a time.
//!
//! An undo journal: (1) save the old value of every key about to change, (2) write the new
//! values, (3) remove the journal; that removal is the commit point. If anything fails
//! before it, the old values are put back at once, or (if the tab closed) at the next unlock.
//! Values are already sealed, so the journal holds nothing readable.
//!
//! Another tab may see a journal while its owner is still writing (tabs see each other's
//! writes a moment late), so only a journal older than [`ABANDONED_AFTER_MS`] is rolled
//! back by anyone but its owner.

use super::keys::JOURNAL_KEY;
use super::kv::{KeyValueStore, StoreError};
use serde::{Deserialize, Serialize};

/// One key's new value; None removes the key.
pub type Write = (String, Option<String>);

/// A save takes milliseconds; a journal this old was left by a tab that closed mid-save.
pub const ABANDONED_AFTER_MS: i64 = 30_000;

#[derive(Serialize, Deserialize)]
struct Journal {
    /// When the save began, in milliseconds since 1970.
    #[serde(default)]
    started_ms: i64,
    /// The value each key had before the change; None means the key did not exist.
    previous: Vec<(String, Option<String>)>,
}

/// What was found when looking for a half-done save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// No journal: the store is consistent.
    Clean,
    /// An abandoned save was rolled back.
    RolledBack,
    /// Another tab is saving right now.
    InProgress,
}

/// Writes every change or none of them.
pub fn commit(
    store: &mut impl KeyValueStore,
    writes: &[Write],
    now_ms: i64,
) -> Result<(), StoreError> {
    if store.writes_batches_whole() {
        return writes
            .iter()
            .try_for_each(|(key, value)| apply(store, key, value.as_deref()));
    }
    if recover_abandoned(store, now_ms)? == Recovery::InProgress {
        return Err(StoreError::Busy);
    }
    let mut previous = Vec::with_capacity(writes.len());
    for (key, _) in writes {
        previous.push((key.clone(), store.get(key)?));
    }
    let journal = serde_json::to_string(&Journal {
        started_ms: now_ms,
        previous,
    })
    .map_err(|e| StoreError::Failed(e.to_string()))?;
    store.set(JOURNAL_KEY, &journal)?;
    let applied = writes
        .iter()
        .try_for_each(|(key, value)| apply(store, key, value.as_deref()))
        .and_then(|()| store.remove(JOURNAL_KEY));
    if let Err(error) = applied {
        // Our own journal: put the old values back now. If that fails too, the journal
        // stays, and the next unlock finishes the job.
        let _ = roll_back(store);
        return Err(error);
    }
    Ok(())
}

/// Rolls back a save abandoned by a closed tab, if there is one.
pub fn recover_abandoned(
    store: &mut impl KeyValueStore,
    now_ms: i64,
) -> Result<Recovery, StoreError> {
    let Some(text) = store.get(JOURNAL_KEY)? else {
        return Ok(Recovery::Clean);
    };
    // A journal that cannot be read was tampered with (setItem is atomic); every record is
    // still authenticated on its own, so it is treated as abandoned and dropped.
    let started =
        serde_json::from_slice::<Journal>(text.as_bytes()).map_or(i64::MIN, |j| j.started_ms);
    // A journal dated in the future was left before the clock was put back: abandoned too.
    if (0..ABANDONED_AFTER_MS).contains(&now_ms.saturating_sub(started)) {
        return Ok(Recovery::InProgress);
    }
    roll_back(store)?;
    Ok(Recovery::RolledBack)
}

/// Whether a journal is visible (a save is under way, or was abandoned).
pub fn is_pending(store: &impl KeyValueStore) -> Result<bool, StoreError> {
    Ok(store.get(JOURNAL_KEY)?.is_some())
}

fn roll_back(store: &mut impl KeyValueStore) -> Result<(), StoreError> {
    if let Some(text) = store.get(JOURNAL_KEY)? {
        if let Ok(journal) = serde_json::from_slice::<Journal>(text.as_bytes()) {
            for (key, value) in journal.previous.iter().rev() {
                apply(store, key, value.as_deref())?;
            }
        }
        store.remove(JOURNAL_KEY)?;
    }
    Ok(())
}

fn apply(store: &mut impl KeyValueStore, key: &str, value: Option<&str>) -> Result<(), StoreError> {
    match value {
        Some(value) => store.set(key, value),
        None => store.remove(key),
    }
}
