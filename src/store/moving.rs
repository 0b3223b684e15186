//! Moving a desk kept in localStorage by Senco Desk 0.6 and earlier into IndexedDB.
//!
//! Each step leaves either the old desk complete or the new one: (1) roll back any save an
//! older app abandoned; (2) copy the header and every record into the database in one
//! commit; (3) read them back and compare; (4) replace the localStorage header with a
//! "moved" header of a newer version (an older app then says "update", and never writes
//! there again); (5) remove the old records. A crash after (2) repeats the move from the
//! intact old desk; a crash after (4) only leaves old records, removed next time.

use super::database::DeskDatabase;
use super::journal::{self, Recovery};
use super::keys::{record_key, HEADER_KEY, HEAD_RECORD, JOURNAL_KEY, RECORD_PREFIX};
use super::kv::{KeyValueStore, StoreError};
use super::mirror::Batch;
use super::open_desk::DeskStoreError;
use crate::vault::{dense, Header, VaultError, FORMAT_VERSION, STORE_FORMAT};
use std::collections::BTreeMap;

/// What loading found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loaded {
    /// The desk was already in the database (or there is none yet).
    InDatabase,
    /// A desk in localStorage was moved into the database just now.
    Moved,
}

/// The localStorage header left by a move: a version no older app opens.
pub fn moved_header(desk_id: &str) -> String {
    serde_json::json!({
        "format": STORE_FORMAT,
        "version": FORMAT_VERSION,
        "moved_to": "indexeddb",
        "desk_id": desk_id,
    })
    .to_string()
}

pub fn is_moved_header(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .is_ok_and(|v| v.get("moved_to").and_then(|m| m.as_str()) == Some("indexeddb"))
}

/// Reads the desk from the database, first moving an older app's desk out of localStorage.
pub async fn load_desk<D: DeskDatabase>(
    db: &D,
    local: &mut impl KeyValueStore,
    now_ms: i64,
) -> Result<(BTreeMap<String, String>, Loaded), DeskStoreError> {
    let stored = db.read_all().await?;
    let Some(old_header) = local.get(HEADER_KEY)? else {
        return Ok((stored, Loaded::InDatabase));
    };
    if is_moved_header(&old_header) {
        // A move cut short after its marker: only the old records are left to remove.
        remove_old_records(local);
        return Ok((stored, Loaded::InDatabase));
    }
    let not_moved = |why: &str| DeskStoreError::NotMoved(why.to_string());
    // A newer desk is refused as it always was; a damaged header is moved as it is, so the
    // unlock screen reports it just as before.
    if let Err(VaultError::NewerFormat { found }) = Header::parse(&old_header) {
        return Err(VaultError::NewerFormat { found }.into());
    }
    match journal::recover_abandoned(local, now_ms)? {
        Recovery::InProgress => return Err(StoreError::Busy.into()),
        Recovery::RolledBack | Recovery::Clean => {}
    }
    let old = old_desk(local)?;
    if let (Some(here), Some(there)) = (stored.get(HEADER_KEY), old.get(HEADER_KEY)) {
        if desk_id(here) != desk_id(there) {
            return Err(not_moved(
                "this browser already holds a different desk in the new storage",
            ));
        }
    }
    let mut writes: Vec<_> = old
        .iter()
        .map(|(key, value)| (key.clone(), Some(value.clone())))
        .collect();
    writes.extend(
        stored
            .keys()
            .filter(|key| !old.contains_key(*key))
            .map(|key| (key.clone(), None)),
    );
    let batch = Batch::new(writes, stored.get(&record_key(HEAD_RECORD)).cloned());
    db.commit(&batch).await?;
    let moved = db.read_all().await?;
    if !same_desk(&old, &moved) {
        return Err(not_moved("the copy read back differs from the desk"));
    }
    let id = old.get(HEADER_KEY).map(|h| desk_id(h)).unwrap_or_default();
    local.set(HEADER_KEY, &moved_header(&id))?;
    remove_old_records(local);
    Ok((moved, Loaded::Moved))
}

/// The header and records of the desk in localStorage (drafts and view settings stay).
fn old_desk(local: &impl KeyValueStore) -> Result<BTreeMap<String, String>, StoreError> {
    let mut old = BTreeMap::new();
    for key in local.keys()? {
        if key == HEADER_KEY || key.starts_with(RECORD_PREFIX) {
            if let Some(value) = local.get(&key)? {
                // The database holds bytes: a record whose text is not readable is kept as
                // the bytes of its text, so it still fails to open and is named as damaged.
                let value = match key == HEADER_KEY || record_bytes(&value).is_some() {
                    true => value,
                    false => format!(
                        "{}{}",
                        crate::vault::RECORD_PREFIX,
                        dense::encode(value.as_bytes())
                    ),
                };
                old.insert(key, value);
            }
        }
    }
    Ok(old)
}

/// Equal header text and equal sealed bytes for every record, whatever their text form.
fn same_desk(old: &BTreeMap<String, String>, moved: &BTreeMap<String, String>) -> bool {
    old.len() == moved.len()
        && old.iter().all(|(key, value)| match moved.get(key) {
            Some(copy) if key == HEADER_KEY => copy == value,
            Some(copy) => record_bytes(copy).is_some() && record_bytes(copy) == record_bytes(value),
            None => false,
        })
}

fn remove_old_records(local: &mut impl KeyValueStore) {
    let Ok(keys) = local.keys() else { return };
    for key in keys {
        if key.starts_with(RECORD_PREFIX) || key == JOURNAL_KEY {
            // Left for next time if it fails: they are sealed, and the marker says they moved.
            let _ = local.remove(&key);
        }
    }
}

fn desk_id(header: &str) -> String {
    serde_json::from_str::<serde_json::Value>(header)
        .ok()
        .and_then(|v| {
            v.get("desk_id")
                .and_then(|d| d.as_str())
                .map(str::to_string)
        })
        .unwrap_or_default()
}

/// Sealed record text (`v1.` base64 or `v2.` dense) to its bytes.
pub fn record_bytes(text: &str) -> Option<Vec<u8>> {
    use crate::vault::{b64, BASE64_RECORD_PREFIX, RECORD_PREFIX};
    if let Some(rest) = text.strip_prefix(RECORD_PREFIX) {
        dense::decode(rest)
    } else {
        b64::decode(text.strip_prefix(BASE64_RECORD_PREFIX)?).ok()
    }
}
