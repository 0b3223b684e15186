//! The desk as the app holds it between IndexedDB commits: every sealed value in memory, and
//! the changes of one save gathered into one batch.
//!
//! `OpenDesk` works synchronously against a [`KeyValueStore`]; in the browser that store is
//! this mirror. A save changes the mirror, and the batch it made is then written to
//! IndexedDB in one transaction (`idb_desk`). If that transaction fails, the batch is
//! reverted here, so memory never claims more than storage holds.

use super::journal::Write;
use super::keys::{record_key, HEAD_RECORD};
use super::kv::{KeyValueStore, StoreError};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default)]
pub struct DeskMirror {
    items: BTreeMap<String, String>,
    /// Each key changed since the last batch was taken, with its value before the first change.
    before: BTreeMap<String, Option<String>>,
    /// The changed keys in the order they were first changed.
    order: Vec<String>,
}

/// The changes of one save, to be written together or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Each changed key's final value (None removes it), in the order first changed.
    pub writes: Vec<Write>,
    /// The stored head this batch was built on (None: no desk yet). The commit refuses the
    /// batch if storage holds another, so a save from another tab is never overwritten.
    pub expected_head: Option<String>,
    before: BTreeMap<String, Option<String>>,
    /// The open desk's highest generation seen before the change: a commit that fails
    /// must not leave the desk believing a newer one was ever stored.
    pub(crate) highest_seen_before: u64,
}

impl Batch {
    /// A batch made directly (moving a desk), with nothing to revert.
    pub fn new(writes: Vec<Write>, expected_head: Option<String>) -> Batch {
        Batch {
            writes,
            expected_head,
            before: BTreeMap::new(),
            highest_seen_before: 0,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }
}

impl DeskMirror {
    pub fn new(items: BTreeMap<String, String>) -> DeskMirror {
        DeskMirror {
            items,
            ..DeskMirror::default()
        }
    }

    pub fn items(&self) -> &BTreeMap<String, String> {
        &self.items
    }

    /// Replaces everything (after reading the database again); any batch under way is dropped.
    pub fn replace_all(&mut self, items: BTreeMap<String, String>) {
        self.items = items;
        self.before.clear();
        self.order.clear();
    }

    /// Takes the changes made since the last batch.
    pub fn take_batch(&mut self) -> Batch {
        let head = record_key(HEAD_RECORD);
        let expected_head = match self.before.get(&head) {
            Some(before) => before.clone(),
            None => self.items.get(&head).cloned(),
        };
        let writes = self
            .order
            .drain(..)
            .map(|key| {
                let value = self.items.get(&key).cloned();
                (key, value)
            })
            .collect();
        Batch {
            writes,
            expected_head,
            before: std::mem::take(&mut self.before),
            highest_seen_before: 0,
        }
    }

    /// Puts back what a batch changed: its commit failed.
    pub fn revert(&mut self, batch: Batch) {
        for (key, value) in batch.before {
            match value {
                Some(value) => self.items.insert(key, value),
                None => self.items.remove(&key),
            };
        }
    }

    /// Bytes held, as a rough measure of the desk's size.
    pub fn bytes(&self) -> usize {
        self.items.iter().map(|(k, v)| k.len() + v.len()).sum()
    }

    fn remember(&mut self, key: &str) {
        if !self.before.contains_key(key) {
            self.before
                .insert(key.to_string(), self.items.get(key).cloned());
            self.order.push(key.to_string());
        }
    }
}

impl KeyValueStore for DeskMirror {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.items.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.remember(key);
        self.items.insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.remember(key);
        self.items.remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.items.keys().cloned().collect())
    }

    /// A batch reaches storage in one transaction, so the undo journal is not needed.
    fn writes_batches_whole(&self) -> bool {
        true
    }
}
