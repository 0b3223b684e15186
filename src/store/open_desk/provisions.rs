//! Provisions in storage. Each is a sealed record of its own (`provision-<id>`), listed in
//! the manifest like every desk-wide record, read at unlock after the pupils' summaries,
//! and written alone: recording a week of sessions seals one provision, not the desk.

use super::*;
use crate::domain::provision::record::Provision;

/// Storage keys of every provision record.
pub(super) fn provision_keys(keys: &[String]) -> Vec<String> {
    keys.iter()
        .filter(|key| {
            key.strip_prefix(RECORD_PREFIX)
                .is_some_and(|record_id| record_id.starts_with(PROVISION_RECORD_PREFIX))
        })
        .cloned()
        .collect()
}

/// Opens one provision into `desk`. One that does not open (or is not the record its
/// key names) is listed as damaged: the rest of the desk still opens, and the manifest
/// check names what happened to it.
pub(super) fn read_provision(
    vault: &Vault,
    store: &impl KeyValueStore,
    key: &str,
    desk: &mut Desk,
) -> Result<(), StoreError> {
    let record_id = key.strip_prefix(RECORD_PREFIX).unwrap_or(key);
    let id = record_id
        .strip_prefix(PROVISION_RECORD_PREFIX)
        .unwrap_or(record_id);
    let Some(value) = store.get(key)? else {
        return Ok(());
    };
    let opened: Result<Provision, DeskStoreError> = open_stored(vault, record_id, &value);
    match opened {
        Ok(provision) if provision.id == id && provision.check().is_ok() => {
            desk.put_provision(provision)
        }
        _ => desk.damaged_provisions.push(id.to_string()),
    }
    Ok(())
}

impl OpenDesk {
    /// Saves a provision, new (`base_revision` None) or edited from the revision the form
    /// was filled from; an edit begun before another tab saved it is refused, not lost.
    /// `what` goes in its change history, with who (the key slot unlocked with) and when.
    pub fn save_provision(
        &mut self,
        store: &mut impl KeyValueStore,
        mut provision: Provision,
        base_revision: Option<u64>,
        what: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DeskStoreError> {
        provision.note_change(&self.vault.unlocked_with, what, now);
        let next = self.desk.edited_provision(provision, base_revision)?;
        let writes = vec![self.sealed_provision(&next)];
        self.commit(store, writes)?;
        self.desk.put_provision(next);
        Ok(())
    }

    /// Saves a provision and a pupil's file in one all-or-nothing commit: a support plan's
    /// provision row made into (or linked to) a provision, the pupil put in it.
    #[allow(clippy::too_many_arguments)]
    pub fn save_provision_and_file(
        &mut self,
        store: &mut impl KeyValueStore,
        mut provision: Provision,
        base_revision: Option<u64>,
        file: PupilFile,
        file_revision: u64,
        what: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DeskStoreError> {
        provision.note_change(&self.vault.unlocked_with, what, now);
        let next = self.desk.edited_provision(provision, base_revision)?;
        let mut next_file = self.desk.edited_file(file, file_revision, now)?;
        next_file.record_change(
            self.desk.file(&next_file.pupil.id),
            &self.vault.unlocked_with,
            now,
        );
        let writes = vec![
            self.sealed_provision(&next),
            self.sealed_file(&mut next_file),
        ];
        self.commit(store, writes)?;
        self.desk.put_provision(next);
        self.desk.put(next_file);
        Ok(())
    }

    /// A random id for a new provision, made as pupils' ids are.
    pub fn new_provision_id() -> String {
        OpenDesk::new_pupil_id().0
    }

    pub(super) fn sealed_provision(&self, provision: &Provision) -> Write {
        self.sealed_json(&provision_record_id(&provision.id), provision)
    }

    /// Every provision a pupil is in, without them, sealed for the commit that erases them.
    pub(super) fn provisions_without(&self, pupil: &PupilId) -> (Vec<Write>, Vec<Provision>) {
        let mut writes = Vec::new();
        let mut changed = Vec::new();
        for provision in self.desk.provisions() {
            let mut without = provision.clone();
            if without.forget_pupil(pupil) {
                without.revision = without.revision.saturating_add(1);
                writes.push(self.sealed_provision(&without));
                changed.push(without);
            }
        }
        (writes, changed)
    }

    /// Sealed writes that make the desk's provisions the backup's (restore): each one
    /// that differs, and the removal of those the backup does not hold. Pupils erased
    /// here are taken out of them.
    pub(super) fn provision_writes_for(
        &self,
        backup: &ValidBackup,
        erased: &[Erasure],
    ) -> Vec<Write> {
        let mut writes = Vec::new();
        for provision in backup.provisions.values() {
            let mut restored = provision.clone();
            for enrolment in &provision.enrolments {
                if is_erased(erased, &enrolment.pupil) {
                    restored.forget_pupil(&enrolment.pupil);
                }
            }
            match self.desk.provision(&restored.id) {
                Some(current) if *current == restored => continue,
                Some(current) => {
                    restored.revision = current.revision.max(restored.revision).saturating_add(1)
                }
                None => {}
            }
            writes.push(self.sealed_provision(&restored));
            restored.zeroize();
        }
        for provision in self.desk.provisions() {
            if !backup.provisions.contains_key(&provision.id) {
                writes.push((record_key(&provision_record_id(&provision.id)), None));
            }
        }
        for id in &self.desk.damaged_provisions {
            if !backup.provisions.contains_key(id) {
                writes.push((record_key(&provision_record_id(id)), None));
            }
        }
        writes
    }
}
