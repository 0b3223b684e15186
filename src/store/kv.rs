//! The key-value storage the desk is kept in: localStorage in the browser, memory in tests.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The browser's storage for this site is full.
    QuotaExceeded,
    /// Storage is switched off or blocked (private mode, browser settings).
    Unavailable(String),
    /// Another tab or window is in the middle of saving to this desk.
    Busy,
    /// Another tab saved first: the save was refused inside its transaction.
    Stale,
    /// The database was opened by a newer Senco Desk in another tab, which closed it here.
    Upgraded,
    /// Any other failed read or write.
    Failed(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::QuotaExceeded => write!(
                f,
                "The browser's storage for Senco Desk is full, so this was not saved. \
                 Your earlier records are safe. Download a backup now, then free some space."
            ),
            StoreError::Unavailable(detail) => write!(
                f,
                "This browser is not letting Senco Desk use its storage ({detail}). \
                 Check that storage is allowed for this site and that it is not a private window."
            ),
            StoreError::Busy => write!(
                f,
                "Another tab or window is saving to this desk at this moment, or a save was cut \
                 short seconds ago. Nothing has been lost: try again in half a minute."
            ),
            StoreError::Stale => write!(
                f,
                "The desk was changed in another tab or window, so this was not saved. \
                 Your earlier records are safe."
            ),
            StoreError::Upgraded => write!(
                f,
                "Senco Desk was updated in another tab: reload this page to go on. \
                 Nothing saved has been lost."
            ),
            StoreError::Failed(detail) => write!(
                f,
                "The browser could not save this ({detail}). Your earlier records are safe."
            ),
        }
    }
}

impl std::error::Error for StoreError {}

/// Text values under text keys. Each call either happens completely or not at all,
/// as localStorage's setItem does; atomicity across keys is built on top (see `journal`).
pub trait KeyValueStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&mut self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&mut self, key: &str) -> Result<(), StoreError>;
    /// Every key in the store, in no particular order.
    fn keys(&self) -> Result<Vec<String>, StoreError>;
    /// True when the store gathers a save's writes and stores them in one transaction
    /// (IndexedDB, through the mirror): then no undo journal is written.
    fn writes_batches_whole(&self) -> bool {
        false
    }
}
