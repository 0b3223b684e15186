//! All-or-nothing writes across several keys, on a store that only promises one key at a time.
//!
//! An undo journal: (1) save the old value of every key about to change, (2) write the new
//! values, (3) remove the journal; that removal is the commit point. If anything fails
//! before it, the old values are put back at once, or (if the tab closed) at the next unlock.
//! Values are already sealed, so the journal holds nothing readable.

use super::keys::JOURNAL_KEY;
use super::kv::{KeyValueStore, StoreError};
use serde::{Deserialize, Serialize};

/// One key's new value; None removes the key.
pub type Write = (String, Option<String>);

#[derive(Serialize, Deserialize)]
struct Journal {
    /// The value each key had before the change; None means the key did not exist.
    previous: Vec<(String, Option<String>)>,
}

/// Writes every change or none of them.
pub fn commit(store: &mut impl KeyValueStore, writes: &[Write]) -> Result<(), StoreError> {
    recover(store)?;
    let mut previous = Vec::with_capacity(writes.len());
    for (key, _) in writes {
        previous.push((key.clone(), store.get(key)?));
    }
    let journal = serde_json::to_string(&Journal { previous })
        .map_err(|e| StoreError::Failed(e.to_string()))?;
    store.set(JOURNAL_KEY, &journal)?;
    let applied = writes
        .iter()
        .try_for_each(|(key, value)| apply(store, key, value.as_deref()))
        .and_then(|()| store.remove(JOURNAL_KEY));
    if let Err(error) = applied {
        // Put the old values back now; if that fails too the journal stays for next unlock.
        let _ = recover(store);
        return Err(error);
    }
    Ok(())
}

/// Rolls back a half-done commit, if one was left behind. Ok(true) when it did.
pub fn recover(store: &mut impl KeyValueStore) -> Result<bool, StoreError> {
    let Some(text) = store.get(JOURNAL_KEY)? else {
        return Ok(false);
    };
    // A journal that cannot be read was never completely written (setItem is atomic) or was
    // tampered with; every record is still authenticated on its own, so it is dropped.
    if let Ok(journal) = serde_json::from_str::<Journal>(&text) {
        for (key, value) in journal.previous.iter().rev() {
            apply(store, key, value.as_deref())?;
        }
    }
    store.remove(JOURNAL_KEY)?;
    Ok(true)
}

fn apply(store: &mut impl KeyValueStore, key: &str, value: Option<&str>) -> Result<(), StoreError> {
    match value {
        Some(value) => store.set(key, value),
        None => store.remove(key),
    }
}
