//! Where a desk's sealed values are kept for good: IndexedDB in the browser (`idb_desk`), a
//! memory double in native tests. Both store a batch whole or not at all.
//!
//! A save runs in two steps around one asynchronous commit: [`prepare`] applies the change to
//! the open desk and the mirror and takes the batch; the caller awaits
//! [`DeskDatabase::commit`]; [`settle`] then either keeps the change or puts the desk and
//! the mirror back as they were.

use super::kv::StoreError;
use super::mirror::{Batch, DeskMirror};
use super::open_desk::{DeskStoreError, OpenDesk};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Storage that applies a batch in one transaction.
pub trait DeskDatabase {
    /// Stores every write of the batch, or none of them. Refuses with [`StoreError::Stale`]
    /// when the stored head is not the batch's `expected_head` (another tab saved first).
    fn commit(&self, batch: &Batch) -> impl Future<Output = Result<(), StoreError>>;
    /// Every stored value of the desk, by mirror key.
    fn read_all(&self) -> impl Future<Output = Result<BTreeMap<String, String>, StoreError>>;
}

/// Applies a change to the open desk and the mirror, and takes the batch to commit. On a
/// refusal nothing is left changed.
pub fn prepare<T>(
    open: &mut OpenDesk,
    mirror: &mut DeskMirror,
    change: impl FnOnce(&mut OpenDesk, &mut DeskMirror) -> Result<T, DeskStoreError>,
) -> Result<(T, Batch), DeskStoreError> {
    let seen = open.highest_seen();
    let result = change(open, mirror);
    let mut batch = mirror.take_batch();
    batch.highest_seen_before = seen;
    match result {
        Ok(value) => Ok((value, batch)),
        Err(error) => {
            open.undo_key_change();
            if !batch.is_empty() {
                open.set_highest_seen(seen);
                mirror.revert(batch);
                open.reload(mirror)?;
            }
            Err(error)
        }
    }
}

/// After the commit: a failure puts back the mirror, and the open desk is loaded again from
/// it, so memory shows only what storage holds.
pub fn settle(
    open: &mut OpenDesk,
    mirror: &mut DeskMirror,
    batch: Batch,
    outcome: Result<(), StoreError>,
) -> Result<(), DeskStoreError> {
    let Err(error) = outcome else {
        return Ok(());
    };
    open.set_highest_seen(batch.highest_seen_before);
    open.undo_key_change();
    mirror.revert(batch);
    open.reload(mirror)?;
    Err(match error {
        StoreError::Stale => DeskStoreError::ChangedElsewhere,
        other => DeskStoreError::Storage(other),
    })
}

/// How the memory double should fail, counting the values a commit writes from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseFailure {
    /// The commit that reaches the nth value aborts (a full quota, an unknown error).
    AbortAt(usize),
    /// The commit never finishes: the tab closed or the lid shut mid-save.
    NeverResolve,
    /// The storage quota is reached.
    Quota,
}

/// A database in memory that stores batches whole, and fails on cue.
#[derive(Debug, Default)]
pub struct MemoryDatabase {
    items: RefCell<BTreeMap<String, String>>,
    failure: Cell<Option<DatabaseFailure>>,
    commits: Cell<usize>,
}

impl MemoryDatabase {
    pub fn new(items: BTreeMap<String, String>) -> MemoryDatabase {
        MemoryDatabase {
            items: RefCell::new(items),
            ..MemoryDatabase::default()
        }
    }

    pub fn items(&self) -> BTreeMap<String, String> {
        self.items.borrow().clone()
    }

    /// Another tab (or someone with the laptop) changes a value directly.
    pub fn put_directly(&self, key: &str, value: Option<&str>) {
        let mut items = self.items.borrow_mut();
        match value {
            Some(value) => items.insert(key.to_string(), value.to_string()),
            None => items.remove(key),
        };
    }

    pub fn fail(&self, failure: Option<DatabaseFailure>) {
        self.failure.set(failure);
    }

    /// Commits that stored their batch.
    pub fn commits(&self) -> usize {
        self.commits.get()
    }
}

impl DeskDatabase for MemoryDatabase {
    async fn commit(&self, batch: &Batch) -> Result<(), StoreError> {
        match self.failure.get() {
            Some(DatabaseFailure::NeverResolve) => Pending.await,
            Some(DatabaseFailure::Quota) => return Err(StoreError::QuotaExceeded),
            Some(DatabaseFailure::AbortAt(n)) if n <= batch.writes.len() => {
                return Err(StoreError::Failed("AbortError: injected".into()))
            }
            _ => {}
        }
        let head = super::keys::record_key(super::keys::HEAD_RECORD);
        if self.items.borrow().get(&head) != batch.expected_head.as_ref() {
            return Err(StoreError::Stale);
        }
        let mut items = self.items.borrow_mut();
        for (key, value) in &batch.writes {
            match value {
                Some(value) => items.insert(key.clone(), value.clone()),
                None => items.remove(key),
            };
        }
        self.commits.set(self.commits.get() + 1);
        Ok(())
    }

    async fn read_all(&self) -> Result<BTreeMap<String, String>, StoreError> {
        Ok(self.items())
    }
}

/// A future that never finishes.
struct Pending;

impl Future for Pending {
    type Output = ();
    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        Poll::Pending
    }
}

/// Polls a future once, natively: Some if it finished, None if it is still waiting.
#[cfg(test)]
pub fn poll_once<F: Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut context = Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(value) => Some(value),
        Poll::Pending => None,
    }
}
