//! The store: where the sealed desk lives, and how changes reach it all-or-nothing.

pub mod drafts;
mod journal;
pub mod keys;
mod kv;
#[cfg(target_arch = "wasm32")]
mod local;
mod memory;
mod open_desk;

pub use journal::{commit, is_pending, recover_abandoned, Recovery, Write, ABANDONED_AFTER_MS};
pub use kv::{KeyValueStore, StoreError};
#[cfg(target_arch = "wasm32")]
pub use local::LocalStore;
pub use memory::{Failure, MemoryStore};
pub use open_desk::{storage_used, DeskStoreError, KeysChanged, OpenDesk, Salvage};

/// localStorage's quota per site in Chromium and Firefox: 5 MiB of UTF-16 units
/// (keys and values together). Safari allows about the same.
pub const LOCAL_STORAGE_QUOTA_UNITS: usize = 5 * 1024 * 1024;

#[cfg(test)]
mod tests;
