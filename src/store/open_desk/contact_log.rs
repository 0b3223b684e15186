//! Contact log entries in storage. Each is a sealed record of its own (`log-<id>`), listed
//! in the manifest like every desk-wide record, read at unlock with the provisions after
//! Home shows, and written alone: logging a call seals one entry, not the desk.

use super::*;
use crate::domain::contact_log::LogEntry;

/// Storage keys of every log entry.
pub(super) fn log_keys(keys: &[String]) -> Vec<String> {
    keys.iter()
        .filter(|key| {
            key.strip_prefix(RECORD_PREFIX)
                .is_some_and(|record_id| record_id.starts_with(LOG_RECORD_PREFIX))
        })
        .cloned()
        .collect()
}

/// Opens one entry into `desk`. One that does not open (or is not the record its key
/// names) is listed as damaged: the rest of the desk still opens.
pub(super) fn read_log_entry(
    vault: &Vault,
    store: &impl KeyValueStore,
    key: &str,
    desk: &mut Desk,
) -> Result<(), StoreError> {
    let record_id = key.strip_prefix(RECORD_PREFIX).unwrap_or(key);
    let id = record_id
        .strip_prefix(LOG_RECORD_PREFIX)
        .unwrap_or(record_id);
    let Some(value) = store.get(key)? else {
        return Ok(());
    };
    let opened: Result<LogEntry, DeskStoreError> = open_stored(vault, record_id, &value);
    match opened {
        Ok(entry) if entry.id == id && entry.check().is_ok() => desk.put_log_entry(entry),
        _ => desk.damaged_entries.push(id.to_string()),
    }
    Ok(())
}

impl OpenDesk {
    /// Saves a log entry, new (`base_revision` None) or edited from the revision the form
    /// was filled from; an edit begun before another tab saved it is refused, not lost.
    pub fn save_log_entry(
        &mut self,
        store: &mut impl KeyValueStore,
        mut entry: LogEntry,
        base_revision: Option<u64>,
        what: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DeskStoreError> {
        if entry.id.is_empty() {
            entry.id = OpenDesk::new_provision_id();
        }
        entry.give_ids(OpenDesk::new_provision_id);
        entry.note_change(&self.vault.unlocked_with, what, now);
        let next = self.desk.edited_log_entry(entry, base_revision)?;
        let writes = vec![self.sealed_log_entry(&next)];
        self.commit(store, writes)?;
        self.desk.put_log_entry(next);
        Ok(())
    }

    /// Saves many new entries in one all-or-nothing commit (a bulk import, and the
    /// benchmark's fictional school): each checked as a single save is.
    pub fn save_new_log_entries(
        &mut self,
        store: &mut impl KeyValueStore,
        entries: Vec<LogEntry>,
        what: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DeskStoreError> {
        let mut checked = Vec::with_capacity(entries.len());
        for mut entry in entries {
            if entry.id.is_empty() {
                entry.id = OpenDesk::new_provision_id();
            }
            entry.give_ids(OpenDesk::new_provision_id);
            entry.note_change(&self.vault.unlocked_with, what, now);
            checked.push(self.desk.edited_log_entry(entry, None)?);
        }
        let writes = checked.iter().map(|e| self.sealed_log_entry(e)).collect();
        self.commit(store, writes)?;
        for entry in checked {
            self.desk.put_log_entry(entry);
        }
        Ok(())
    }

    pub(super) fn sealed_log_entry(&self, entry: &LogEntry) -> Write {
        self.sealed_json(&log_record_id(&entry.id), entry)
    }

    /// Every entry about a pupil, without them, sealed for the commit that erases them:
    /// an entry about only them is deleted; one about others too loses only them.
    pub(super) fn log_without(&self, pupil: &PupilId) -> (Vec<Write>, Vec<LogEntry>, Vec<String>) {
        let mut writes = Vec::new();
        let mut changed = Vec::new();
        let mut deleted = Vec::new();
        for entry in self.desk.log_entries() {
            if !entry.is_about(pupil) {
                continue;
            }
            if entry.pupils.len() == 1 {
                writes.push((record_key(&log_record_id(&entry.id)), None));
                deleted.push(entry.id.clone());
                continue;
            }
            let mut without = entry.clone();
            without.forget_pupil(pupil);
            without.revision = without.revision.saturating_add(1);
            writes.push(self.sealed_log_entry(&without));
            changed.push(without);
        }
        (writes, changed, deleted)
    }

    /// Sealed writes that make the desk's log the backup's (restore): each entry that
    /// differs, and the removal of those the backup does not hold. Pupils erased here are
    /// taken out (an entry left about nobody it was about is not restored).
    pub(super) fn log_writes_for(&self, backup: &ValidBackup, erased: &[Erasure]) -> Vec<Write> {
        let mut writes = Vec::new();
        for entry in backup.contact_log.values() {
            let mut restored = entry.clone();
            let before = restored.pupils.len();
            restored.pupils.retain(|p| !is_erased(erased, p));
            if before > 0 && restored.pupils.is_empty() {
                continue;
            }
            match self.desk.log_entry(&restored.id) {
                Some(current) if *current == restored => continue,
                Some(current) => {
                    restored.revision = current.revision.max(restored.revision).saturating_add(1)
                }
                None => {}
            }
            writes.push(self.sealed_log_entry(&restored));
            restored.zeroize();
        }
        for entry in self.desk.log_entries() {
            let kept = backup.contact_log.get(&entry.id).is_some_and(|e| {
                e.pupils.is_empty() || e.pupils.iter().any(|p| !is_erased(erased, p))
            });
            if !kept {
                writes.push((record_key(&log_record_id(&entry.id)), None));
            }
        }
        for id in &self.desk.damaged_entries {
            if !backup.contact_log.contains_key(id) {
                writes.push((record_key(&log_record_id(id)), None));
            }
        }
        writes
    }
}
