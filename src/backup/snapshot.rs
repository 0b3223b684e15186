//! Issue 2's emergency download ("storage snapshot", version 1): every sealed storage value
//! of a desk, as it was in the browser. Opened by replaying it into an in-memory store and
//! unlocking that like any desk, so a half-done save inside it is rolled back as usual.

use super::contents::{ValidBackup, MAX_GENERATION};
use super::envelope::{check_backup_kdf, classify, from_vault};
use super::error::BackupError;
use crate::domain::dates::timestamp;
use crate::store::keys::{HEADER_KEY, PREFIX};
use crate::store::{DeskStoreError, MemoryStore, OpenDesk};
use crate::vault::{Header, Vault};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
pub struct Snapshot {
    #[serde(with = "timestamp")]
    pub created: DateTime<Utc>,
    items: BTreeMap<String, String>,
}

impl Snapshot {
    pub fn parse(bytes: &[u8]) -> Result<Snapshot, BackupError> {
        let mut snapshot: Snapshot =
            serde_json::from_slice(bytes).map_err(|e| match classify(bytes, &e) {
                BackupError::OtherApp => {
                    BackupError::Damaged("a part is missing or has the wrong shape".into())
                }
                other => other,
            })?;
        snapshot.items.retain(|key, _| key.starts_with(PREFIX));
        check_backup_kdf(&snapshot.header()?.slots)?;
        Ok(snapshot)
    }

    pub fn header(&self) -> Result<Header, BackupError> {
        let text = self
            .items
            .get(HEADER_KEY)
            .ok_or_else(|| BackupError::Damaged("it has no desk header".into()))?;
        Header::parse(text).map_err(from_vault)
    }

    pub fn unlock(&self, secret: &str) -> Result<Vault, BackupError> {
        self.header()?.unlock(secret).map_err(from_vault)
    }

    /// Opens every record; any that will not open stops the import and is named.
    pub fn open(&self, vault: &Vault) -> Result<ValidBackup, BackupError> {
        let mut store = MemoryStore::with_items(self.items.clone());
        // Long after the snapshot: any journal in it is abandoned and rolled back.
        let later = self
            .created
            .checked_add_signed(chrono::Duration::days(1))
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let open = OpenDesk::open(&mut store, self.header()?, vault.clone(), later).map_err(
            |e| match e {
                DeskStoreError::Vault(v) => from_vault(v),
                other => BackupError::Damaged(other.to_string()),
            },
        )?;
        // Its desk is only read into a backup, but a counter no real desk reaches means the
        // snapshot was not made by Senco Desk.
        if open.generation() > MAX_GENERATION {
            return Err(BackupError::InvalidRecord(format!(
                "its desk's save counter is {}, more than any real desk reaches",
                open.generation()
            )));
        }
        if !open.desk.damaged.is_empty() {
            return Err(BackupError::Damaged(format!(
                "these records do not open: {}",
                open.desk
                    .damaged
                    .iter()
                    .map(|d| d.name.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            )));
        }
        // Through the same checks as a current backup.
        ValidBackup::from_json(&ValidBackup::from_desk(&open.desk).to_json())
    }
}
