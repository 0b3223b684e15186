//! The store: where the sealed desk lives, and how changes reach it all-or-nothing.

pub mod database;
pub mod drafts;
pub mod files;
#[cfg(target_arch = "wasm32")]
mod files_idb;
#[cfg(target_arch = "wasm32")]
pub mod idb;
mod integrity;
mod journal;
pub mod keys;
mod kv;
#[cfg(target_arch = "wasm32")]
mod local;
mod manifest;
mod memory;
mod mirror;
pub mod moving;
mod open_desk;

pub use database::{prepare, settle, DatabaseFailure, DeskDatabase, MemoryDatabase};
pub use integrity::{IntegrityFinding, RecordName};
pub use journal::{commit, is_pending, recover_abandoned, Recovery, Write, ABANDONED_AFTER_MS};
pub use kv::{KeyValueStore, StoreError};
#[cfg(target_arch = "wasm32")]
pub use local::LocalStore;
pub use manifest::part_of as manifest_part_of;
pub use memory::{Failure, MemoryStore};
pub use mirror::{Batch, DeskMirror};
pub use open_desk::{storage_used, DeskStoreError, KeysChanged, OpenDesk, Salvage, Unlocking};

/// localStorage's quota per site in Chromium and Firefox: 5 MiB of UTF-16 units
/// (keys and values together). Safari allows about the same.
pub const LOCAL_STORAGE_QUOTA_UNITS: usize = 5 * 1024 * 1024;

#[cfg(test)]
mod database_tests;
#[cfg(test)]
mod files_tests;
#[cfg(test)]
mod manifest_tests;
#[cfg(test)]
mod tests;
