//! An in-memory store for tests, able to fail on cue like a full or closing browser.

use super::kv::{KeyValueStore, StoreError};
use std::collections::BTreeMap;

/// How the store should fail, counting writes (set and remove) from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The nth write throws; later writes work (a full quota, an exception).
    Once(usize),
    /// The nth write and every later one are lost (the tab closed mid-save).
    From(usize),
}

#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    items: BTreeMap<String, String>,
    writes: usize,
    failure: Option<Failure>,
    /// Like localStorage: UTF-16 units of keys and values together.
    quota_units: Option<usize>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    pub fn with_items(items: BTreeMap<String, String>) -> MemoryStore {
        MemoryStore {
            items,
            ..MemoryStore::default()
        }
    }

    pub fn items(&self) -> &BTreeMap<String, String> {
        &self.items
    }

    pub fn fail(&mut self, failure: Failure) {
        self.writes = 0;
        self.failure = Some(failure);
    }

    /// Stops failing: the next tab, or the quota freed.
    pub fn heal(&mut self) {
        self.failure = None;
    }

    pub fn set_quota_units(&mut self, units: Option<usize>) {
        self.quota_units = units;
    }

    /// Writes made since the last `fail` call (or since creation).
    pub fn writes(&self) -> usize {
        self.writes
    }

    fn used_units(&self) -> usize {
        self.items
            .iter()
            .map(|(k, v)| k.encode_utf16().count() + v.encode_utf16().count())
            .sum()
    }

    fn count_write(&mut self) -> Result<(), StoreError> {
        self.writes += 1;
        match self.failure {
            Some(Failure::Once(n)) if self.writes == n => {
                Err(StoreError::Failed("injected failure".into()))
            }
            Some(Failure::From(n)) if self.writes >= n => {
                Err(StoreError::Failed("tab closed".into()))
            }
            _ => Ok(()),
        }
    }
}

impl KeyValueStore for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.items.get(key).cloned())
    }

    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.count_write()?;
        if let Some(quota) = self.quota_units {
            let old = self
                .items
                .get(key)
                .map(|v| key.encode_utf16().count() + v.encode_utf16().count())
                .unwrap_or(0);
            let new = key.encode_utf16().count() + value.encode_utf16().count();
            if self.used_units() - old + new > quota {
                return Err(StoreError::QuotaExceeded);
            }
        }
        self.items.insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&mut self, key: &str) -> Result<(), StoreError> {
        self.count_write()?;
        self.items.remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.items.keys().cloned().collect())
    }
}
