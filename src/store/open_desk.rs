//! An unlocked desk tied to its storage: loading, saving through the journal, and noticing
//! saves made by another tab.

use super::integrity::{self, IntegrityFinding, ManifestFound};
use super::journal::{self, Recovery, Write};
use super::keys::*;
use super::kv::{KeyValueStore, StoreError};
use super::manifest::{is_listed, part_record_id, Entry, Manifest, Part, RecordDigest, Root};
use crate::backup::{
    self, BackupEntry, BackupError, BackupLog, MadeBackup, MergePlan, OpensWith, ValidBackup,
};
use crate::domain::attachment::{union_attachments, Attachment};
use crate::domain::history::FileChange;
use crate::domain::{
    DamagedFile, Desk, DeskError, Erasure, Pupil, PupilFile, PupilId, Removed, Settings,
};
use crate::vault::{
    at_once, erasure_mark, random_bytes, sealed_bytes, to_hex, Header, KdfParams, KeyChange,
    KeysRecord, NewDeskKeys, OnThisThread, RecoveryKey, SecretChange, Vault, VaultError,
    KEYS_RECORD,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use zeroize::Zeroize;

mod contact_log;
mod provisions;
use crate::domain::provision::record::Provision;
mod summaries;
use summaries::SummaryReading;
pub use summaries::Unlocking;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeskStoreError {
    /// No desk has been created in this browser.
    NoDesk,
    Vault(VaultError),
    Storage(StoreError),
    Pupil(DeskError),
    /// Another tab saved first; the newer records are now loaded.
    ChangedElsewhere,
    /// A desk already exists here: creating another would replace it.
    DeskExists,
    /// Moving a desk from localStorage to IndexedDB could not finish; the old desk is intact.
    NotMoved(String),
    /// Unlocking found signs of tampering or damage, and the SENCO has not yet chosen
    /// what to do: nothing is written until then.
    Unresolved,
    /// Another tab changed the passphrase or recovery key, so the data key changed: this
    /// tab's key opens nothing now and it must be unlocked again.
    KeysChangedElsewhere,
    /// The secret typed opened the header of a change of keys that was cut short; undoing
    /// it put back the header before, which that secret may not open.
    KeyChangeUndone,
    /// Unlocking has not yet opened every pupil's full file (their summaries show until
    /// then), or a save was built on a summary: nothing is written.
    StillOpening,
}

impl fmt::Display for DeskStoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeskStoreError::NoDesk => write!(f, "There is no desk in this browser yet."),
            DeskStoreError::Vault(e) => e.fmt(f),
            DeskStoreError::Storage(e) => e.fmt(f),
            DeskStoreError::Pupil(e) => e.fmt(f),
            DeskStoreError::DeskExists => write!(
                f,
                "There is already a desk in this browser, so a new one was not made. \
                 Unlock it with its passphrase or recovery key."
            ),
            DeskStoreError::NotMoved(why) => write!(
                f,
                "Senco Desk keeps records in a new, larger part of this browser's storage now, \
                 but moving them there could not finish ({why}). Nothing has been changed or \
                 lost: your desk is still where it was. Reload the page to try again."
            ),
            DeskStoreError::Unresolved => write!(
                f,
                "Nothing was saved. When the desk was unlocked it found signs of tampering or \
                 damage, listed on the home page. Choose there whether to restore from a backup \
                 or accept the loss; until then nothing can be saved."
            ),
            DeskStoreError::KeysChangedElsewhere => write!(
                f,
                "The desk's passphrase or recovery key was changed in another tab or window, \
                 so this one has been locked. Unlock it with the new passphrase."
            ),
            DeskStoreError::KeyChangeUndone => write!(
                f,
                "A change of passphrase or recovery key was interrupted last time and has been \
                 undone, so everything saved before it is here. Unlock with the passphrase or \
                 recovery key from before that change."
            ),
            DeskStoreError::ChangedElsewhere => write!(
                f,
                "The desk was changed in another tab, so the latest records have been loaded. \
                 Your changes are still in the form: check them and save again."
            ),
            DeskStoreError::StillOpening => write!(
                f,
                "Nothing was saved: the desk was still opening pupils' files. \
                 Your changes are still in the form: save again in a moment."
            ),
        }
    }
}

impl std::error::Error for DeskStoreError {}

impl From<VaultError> for DeskStoreError {
    fn from(e: VaultError) -> Self {
        DeskStoreError::Vault(e)
    }
}
impl From<StoreError> for DeskStoreError {
    fn from(e: StoreError) -> Self {
        DeskStoreError::Storage(e)
    }
}
impl From<DeskError> for DeskStoreError {
    fn from(e: DeskError) -> Self {
        DeskStoreError::Pupil(e)
    }
}

/// The head record: bumped by every commit, so a tab can tell its copy is out of date.
/// It is sealed, so the counter is authenticated like everything else.
#[derive(Serialize, Deserialize)]
struct Head {
    generation: u64,
    /// A manifest was written with this head (every commit from version 5 writes one), so
    /// a missing manifest is reported. Absent in heads written before.
    #[serde(default)]
    manifest: bool,
}

impl Head {
    fn at(generation: u64) -> Head {
        Head {
            generation,
            manifest: true,
        }
    }
}

/// The sealed content of this browser's generation marker.
#[derive(Serialize, Deserialize)]
struct Marker {
    generation: u64,
}

type Roster = BTreeMap<PupilId, String>;

pub struct OpenDesk {
    header: Header,
    pub(super) vault: Vault,
    pub desk: Desk,
    generation: u64,
    /// Pupils' names by id, so a file that cannot be opened can still be named.
    roster: Roster,
    /// True when a half-done save was rolled back while opening.
    pub recovered: bool,
    backups: BackupLog,
    /// Every record as stored now (digest, and revision of a pupil file): the next
    /// commit's manifest is this with the records it writes changed.
    manifest: Manifest,
    /// The revision of each pupil file sealed for the commit being built.
    pending_revisions: BTreeMap<String, u64>,
    /// The sealed summaries of the pupil files sealed for the commit being built.
    pending_summaries: Vec<Write>,
    /// A file sealed for the commit being built was only a summary: the commit is refused.
    pending_summary_only: bool,
    /// Unlocking's second part, while pupils' summaries stand in for their files (see
    /// [`OpenDesk::open_summaries`]). Nothing is written until it is done.
    opening: Option<Opening>,
    /// Pupils whose stored summary is missing or disagrees with their file: the next
    /// commit writes them anew (see [`OpenDesk::save_summaries`]).
    summaries_to_write: std::collections::BTreeSet<PupilId>,
    /// Storage keys of summaries with no pupil file beside them (left by a file deleted
    /// outside the app): [`OpenDesk::save_summaries`] removes them.
    summaries_to_remove: Vec<String>,
    /// What unlocking found that Senco Desk did not save. While it is not empty, nothing
    /// is written but a restore or merge (which may resolve findings) or an acceptance.
    pub integrity: Vec<IntegrityFinding>,
    /// The highest generation seen: the head's, the manifest's, this browser's marker's.
    /// The next commit goes above it, so an accepted rollback is not reported again.
    highest_seen: u64,
    /// Losses the SENCO accepted that are about no pupil file still on the desk.
    accepted_losses: Vec<FileChange>,
    /// The data key before a change of keys, until that change has reached storage.
    previous_vault: Option<Vault>,
}

impl OpenDesk {
    /// Whether this browser holds a desk (even a damaged one).
    pub fn exists(store: &impl KeyValueStore) -> Result<bool, StoreError> {
        Ok(store.get(HEADER_KEY)?.is_some())
    }

    /// Reads the header, so the unlock screen can report damage before asking for a secret.
    pub fn read_header(store: &impl KeyValueStore) -> Result<Header, DeskStoreError> {
        let text = store.get(HEADER_KEY)?.ok_or(DeskStoreError::NoDesk)?;
        Ok(Header::parse(&text)?)
    }

    /// Creates a new desk. The header is written last: until it exists there is no desk, so
    /// a failure part-way leaves the first-run screen, not a broken desk.
    pub fn create(
        store: &mut impl KeyValueStore,
        settings: Settings,
        passphrase: &str,
        params: KdfParams,
        now: DateTime<Utc>,
    ) -> Result<(OpenDesk, RecoveryKey), DeskStoreError> {
        if OpenDesk::exists(store)? {
            return Err(DeskStoreError::DeskExists);
        }
        let keys = NewDeskKeys::make(passphrase, params, now)?;
        OpenDesk::create_with_keys(store, settings, keys, now)
    }

    /// As [`OpenDesk::create`], with the keys made first ([`NewDeskKeys::make_with`]: in the
    /// browser, derived in a worker while the page keeps painting).
    pub fn create_with_keys(
        store: &mut impl KeyValueStore,
        settings: Settings,
        keys: NewDeskKeys,
        now: DateTime<Utc>,
    ) -> Result<(OpenDesk, RecoveryKey), DeskStoreError> {
        if OpenDesk::exists(store)? {
            return Err(DeskStoreError::DeskExists);
        }
        let (header, vault, recovery) = keys.into_parts();
        let settings = Settings {
            recovery_key_unconfirmed: true,
            ..settings
        };
        let mut open = OpenDesk::blank(header, vault, settings, false);
        remove_leftovers(store)?;
        let mut writes = vec![
            open.sealed_json(SETTINGS_RECORD, &open.desk.settings),
            open.sealed_json(ROSTER_RECORD, &open.roster),
            open.sealed_keys(&open.vault, &open.header),
        ];
        let manifest = open.seal_manifest_and_head(&mut writes, 1, None);
        writes.push((HEADER_KEY.into(), Some(open.header.to_json())));
        journal::commit(store, &writes, now.timestamp_millis())?;
        open.generation = 1;
        open.highest_seen = 1;
        open.manifest = manifest;
        Ok((open, recovery))
    }

    /// Unlocks with a passphrase or recovery key and loads everything.
    pub fn unlock(
        store: &mut impl KeyValueStore,
        secret: &str,
        now: DateTime<Utc>,
    ) -> Result<OpenDesk, DeskStoreError> {
        // A change of keys cut short is undone before its header is tried: the secret
        // typed is the one from before it.
        let recovered = match journal::recover_abandoned(store, now.timestamp_millis())? {
            Recovery::InProgress => return Err(StoreError::Busy.into()),
            Recovery::RolledBack => true,
            Recovery::Clean => false,
        };
        let header = OpenDesk::read_header(store)?;
        let vault = header.unlock(secret)?;
        let mut open = OpenDesk::open(store, header, vault, now)?;
        open.recovered |= recovered;
        Ok(open)
    }

    /// Loads the desk with a key already derived (the slow part is done by then). First
    /// rolls back any half-done save left by a closed tab. A save another tab is making at
    /// this moment is left alone: its storage events reload this tab when it is done.
    pub fn open(
        store: &mut impl KeyValueStore,
        header: Header,
        vault: Vault,
        now: DateTime<Utc>,
    ) -> Result<OpenDesk, DeskStoreError> {
        let mut open = OpenDesk::open_summaries(store, header, vault, now)?;
        open.finish_opening(store)?;
        Ok(open)
    }

    /// As [`OpenDesk::open`], with each pupil's summary standing in for their full file
    /// where one is stored: enough for the register, the home page's lists and the search.
    /// [`OpenDesk::open_more`] then opens the full files and checks the desk against the
    /// manifest; nothing is written until it has finished.
    pub fn open_summaries(
        store: &mut impl KeyValueStore,
        header: Header,
        vault: Vault,
        now: DateTime<Utc>,
    ) -> Result<OpenDesk, DeskStoreError> {
        Unlocking::begin(store, header, vault, now)?.finish(store)
    }

    fn blank(header: Header, vault: Vault, settings: Settings, recovered: bool) -> OpenDesk {
        OpenDesk {
            header,
            vault,
            desk: Desk::new(settings),
            generation: 0,
            roster: Roster::new(),
            recovered,
            backups: BackupLog::default(),
            manifest: Manifest::default(),
            pending_revisions: BTreeMap::new(),
            pending_summaries: Vec::new(),
            pending_summary_only: false,
            opening: None,
            summaries_to_write: std::collections::BTreeSet::new(),
            summaries_to_remove: Vec::new(),
            integrity: Vec::new(),
            highest_seen: 0,
            accepted_losses: Vec::new(),
            previous_vault: None,
        }
    }

    /// Loads everything: the desk-wide records, then every pupil's full file, then the
    /// check against the manifest.
    fn load(&mut self, store: &impl KeyValueStore) -> Result<(), DeskStoreError> {
        self.load_summaries(store)?;
        self.finish_opening(store)?;
        Ok(())
    }

    /// Loads the desk-wide records and, for each pupil, their summary where one opens
    /// (their full file otherwise). The full files are opened by [`OpenDesk::open_more`].
    fn load_summaries(&mut self, store: &impl KeyValueStore) -> Result<(), DeskStoreError> {
        let mut reading = SummaryReading::begin(self, store)?;
        reading.read(self, store, || true)?;
        reading.finish(self, store)
    }

    /// Whether every pupil's full file has been opened and the desk checked against the
    /// manifest (until then, summaries stand in for files and nothing is written).
    pub fn is_fully_open(&self) -> bool {
        self.opening.is_none()
    }

    /// Opens pupils' full files, in place of their summaries, while `more()` says to go on
    /// (at least one each call); once all are open, checks the desk against the manifest.
    /// Returns true when this call finished opening the desk.
    pub fn open_more(
        &mut self,
        store: &impl KeyValueStore,
        mut more: impl FnMut() -> bool,
    ) -> Result<bool, DeskStoreError> {
        let Some(mut opening) = self.opening.take() else {
            return Ok(false);
        };
        let result = (|| {
            loop {
                let Some(key) = opening.pending.pop() else {
                    return Ok(true);
                };
                if key
                    .strip_prefix(RECORD_PREFIX)
                    .is_some_and(|r| r.starts_with(LOG_RECORD_PREFIX))
                {
                    contact_log::read_log_entry(&self.vault, store, &key, &mut self.desk)?;
                    if opening.pending.is_empty() {
                        return Ok(true);
                    }
                    if !more() {
                        return Ok(false);
                    }
                    continue;
                }
                if key
                    .strip_prefix(RECORD_PREFIX)
                    .is_some_and(|r| r.starts_with(PROVISION_RECORD_PREFIX))
                {
                    provisions::read_provision(&self.vault, store, &key, &mut self.desk)?;
                    if opening.pending.is_empty() {
                        return Ok(true);
                    }
                    if !more() {
                        return Ok(false);
                    }
                    continue;
                }
                let summary = opening.open_file(&self.vault, store, &key, &mut self.desk)?;
                let id = pupil_id_of(&key);
                // A summary that disagrees with its file is rebuilt from the file (which
                // now stands in the desk) and written again.
                let agrees = match (&summary, self.desk.file(&id)) {
                    (Some(summary), Some(file)) => file.is_summarised_by(summary),
                    (None, Some(_)) => false,
                    // Not opened: named as damaged, with no summary to write.
                    (_, None) => true,
                };
                if !agrees {
                    self.summaries_to_write.insert(id);
                }
                if let Some(mut summary) = summary {
                    summary.zeroize();
                }
                if opening.pending.is_empty() {
                    return Ok(true);
                }
                if !more() {
                    return Ok(false);
                }
            }
        })();
        match result {
            Ok(true) => {
                self.finish_check(store, opening)?;
                Ok(true)
            }
            Ok(false) => {
                self.opening = Some(opening);
                Ok(false)
            }
            Err(e) => {
                self.opening = Some(opening);
                Err(e)
            }
        }
    }

    /// Opens every full file still to open (see [`OpenDesk::open_more`]). Returns true when
    /// this call finished opening the desk.
    pub fn finish_opening(&mut self, store: &impl KeyValueStore) -> Result<bool, DeskStoreError> {
        self.open_more(store, || true)
    }

    /// Names the files that did not open and checks the desk against the manifest.
    fn finish_check(
        &mut self,
        store: &impl KeyValueStore,
        opening: Opening,
    ) -> Result<(), DeskStoreError> {
        let Opening {
            head,
            stored,
            unreadable,
            ..
        } = opening;
        for id in unreadable {
            self.summaries_to_write.remove(&id);
            self.desk.damaged.push(DamagedFile {
                name: self
                    .roster
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| format!("an unnamed pupil ({id})")),
                id,
            });
        }
        self.desk.damaged.sort_by(|a, b| a.name.cmp(&b.name));
        let desk = std::mem::replace(&mut self.desk, Desk::new(Settings::new("")));
        let roster = std::mem::take(&mut self.roster);
        let checked = self.check_integrity(store, &desk, &roster, &head, stored);
        self.desk = desk;
        self.roster = roster;
        self.manifest = checked?;
        Ok(())
    }

    /// Pupils whose stored summary is missing or out of date (rebuilt from their file in
    /// memory already), to be written by [`OpenDesk::save_summaries`].
    pub fn summaries_to_write(&self) -> usize {
        self.summaries_to_write.len() + self.summaries_to_remove.len()
    }

    /// Writes the summaries found missing or out of date when the desk was opened, from the
    /// pupils' files, in one commit (nothing else changes).
    pub fn save_summaries(&mut self, store: &mut impl KeyValueStore) -> Result<(), DeskStoreError> {
        let ids: Vec<PupilId> = std::mem::take(&mut self.summaries_to_write)
            .into_iter()
            .collect();
        let mut summaries = Vec::with_capacity(ids.len());
        for id in &ids {
            if let Some(file) = self.desk.file(id) {
                summaries.push(seal_json(
                    &self.vault,
                    &summary_record_id(&id.0),
                    &file.summary(),
                ));
            }
        }
        self.pending_summaries = summaries;
        let removed = std::mem::take(&mut self.summaries_to_remove);
        let writes = removed.iter().map(|key| (key.clone(), None)).collect();
        let committed = self.commit(store, writes);
        if committed.is_err() {
            self.summaries_to_write.extend(ids);
            self.summaries_to_remove = removed;
        }
        committed
    }

    fn read_record<T: serde::de::DeserializeOwned>(
        &self,
        store: &impl KeyValueStore,
        record_id: &str,
    ) -> Result<T, DeskStoreError> {
        open_record(&self.vault, store, record_id)
    }

    /// A pupil's file sealed for storage, after giving a random id to every record in it
    /// that has none yet (one just added by a form or an import).
    /// Its summary is sealed too, for the same commit (see `pending_summaries`).
    fn sealed_file(&mut self, file: &mut PupilFile) -> Write {
        file.give_ids(|| to_hex(&random_bytes::<8>()));
        let record_id = pupil_record_id(&file.pupil.id.0);
        self.pending_revisions
            .insert(record_id.clone(), file.revision);
        self.pending_summary_only |= file.summary_only;
        self.pending_summaries
            .push(self.sealed_json(&summary_record_id(&file.pupil.id.0), &file.summary()));
        self.summaries_to_write.remove(&file.pupil.id);
        self.sealed_json(&record_id, file)
    }

    fn sealed_json<T: Serialize>(&self, record_id: &str, value: &T) -> Write {
        seal_json(&self.vault, record_id, value)
    }

    /// The sealed `keys` record for `header` under `vault` (which holds the desk key pair).
    fn sealed_keys(&self, vault: &Vault, header: &Header) -> Write {
        let record = vault
            .keys_record(header)
            .expect("a desk written by this version has its key pair");
        seal_json(vault, KEYS_RECORD, &record)
    }

    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The key slot label used to unlock ("SENCO" or "Recovery key").
    pub fn unlocked_with(&self) -> &str {
        &self.vault.unlocked_with
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether another tab has saved since this copy was loaded.
    pub fn is_stale(&self, store: &impl KeyValueStore) -> Result<bool, DeskStoreError> {
        match self.read_record::<Head>(store, HEAD_RECORD) {
            Ok(head) => Ok(head.generation != self.generation),
            // A head this key cannot open under a header that is not ours: another tab
            // rotated the data key (a damaged head leaves the header as it was).
            Err(e) => match OpenDesk::read_header(store) {
                Ok(header) if header != self.header => Err(DeskStoreError::KeysChangedElsewhere),
                _ => Err(e),
            },
        }
    }

    /// Loads the latest records (after another tab saved).
    /// The highest generation this desk has seen (see `highest_seen`).
    pub(crate) fn highest_seen(&self) -> u64 {
        self.highest_seen
    }

    /// Puts back the highest generation seen, after a commit that never reached storage.
    pub(crate) fn set_highest_seen(&mut self, generation: u64) {
        self.highest_seen = generation;
    }

    pub fn reload(&mut self, store: &impl KeyValueStore) -> Result<(), DeskStoreError> {
        self.header = OpenDesk::read_header(store)?;
        self.load(store)
    }

    /// Called when another tab writes: reloads if it finished a save. Ok(true) if it did.
    /// While its journal is still visible the save is under way, so this waits for the
    /// next storage event rather than reading half of it.
    pub fn refresh(&mut self, store: &impl KeyValueStore) -> Result<bool, DeskStoreError> {
        if journal::is_pending(store)? || !self.is_stale(store)? {
            return Ok(false);
        }
        self.reload(store)?;
        Ok(true)
    }

    /// Commits `writes`, unless unlocking found tampering or damage not yet resolved.
    fn commit(
        &mut self,
        store: &mut impl KeyValueStore,
        writes: Vec<Write>,
    ) -> Result<(), DeskStoreError> {
        if !self.integrity.is_empty() {
            self.pending_revisions.clear();
            self.pending_summaries.clear();
            self.pending_summary_only = false;
            return Err(DeskStoreError::Unresolved);
        }
        self.commit_batch(store, writes, None)
    }

    /// Commits `writes` plus the next manifest and head, refusing if another tab saved
    /// first (and then loading its newer records). With `rotated` (the new data key, when
    /// the writes re-seal the whole desk under it: see [`OpenDesk::save_key_change`]) the
    /// head and every part of the manifest are sealed under it.
    fn commit_batch(
        &mut self,
        store: &mut impl KeyValueStore,
        mut writes: Vec<Write>,
        rotated: Option<&Vault>,
    ) -> Result<(), DeskStoreError> {
        let revisions = std::mem::take(&mut self.pending_revisions);
        let summaries = std::mem::take(&mut self.pending_summaries);
        // Never written on summaries: only on a desk whose every file is open, and never
        // a file built on a summary (which would lose what the summary leaves out).
        if std::mem::take(&mut self.pending_summary_only) || self.opening.is_some() {
            return Err(DeskStoreError::StillOpening);
        }
        match journal::recover_abandoned(store, Utc::now().timestamp_millis())? {
            Recovery::InProgress => return Err(StoreError::Busy.into()),
            // Storage went back to before an abandoned save: show what is stored now.
            Recovery::RolledBack => {
                self.reload(store)?;
                return Err(DeskStoreError::ChangedElsewhere);
            }
            Recovery::Clean => {}
        }
        if self.is_stale(store)? {
            self.reload(store)?;
            return Err(DeskStoreError::ChangedElsewhere);
        }
        // Every commit writes at least the head as a dense (v2) record, so a version-1 header
        // becomes version 2 in the same all-or-nothing save. It goes first: no v2 record is
        // ever stored under a version-1 header, even by a save cut short. (A change of
        // passphrase or recovery key writes its own header, already upgraded.) A desk from
        // before the desk key pair gets one, with its sealed `keys` record, in the same save.
        let writes_header = writes.iter().any(|(key, _)| key == HEADER_KEY);
        let upgraded = (self.header.needs_upgrade() && !writes_header)
            .then(|| self.header.upgraded_with_desk_keys(&self.vault));
        if let Some((header, vault)) = &upgraded {
            writes.insert(0, (HEADER_KEY.into(), Some(header.to_json())));
            writes.push(self.sealed_keys(vault, header));
        }
        let next = self.next_generation()?;
        self.pending_revisions = revisions;
        self.pending_summaries = summaries;
        let manifest = self.seal_manifest_and_head(&mut writes, next, rotated);
        journal::commit(store, &writes, Utc::now().timestamp_millis())?;
        if let Some((header, vault)) = upgraded {
            self.header = header;
            self.vault = vault;
        }
        self.generation = next;
        self.highest_seen = next;
        self.manifest = manifest;
        Ok(())
    }

    /// Adds to `writes` the manifest they make (the records as stored with `writes`
    /// applied) and the head, both for `generation`. Returns the manifest, to keep once
    /// the commit succeeds.
    fn seal_manifest_and_head(
        &mut self,
        writes: &mut Vec<Write>,
        generation: u64,
        rotated: Option<&Vault>,
    ) -> Manifest {
        let revisions = std::mem::take(&mut self.pending_revisions);
        // Each file's summary goes in the same commit; a file removed takes its summary.
        let removed: Vec<Write> = writes
            .iter()
            .filter(|(_, value)| value.is_none())
            .filter_map(|(key, _)| key.strip_prefix(RECORD_PREFIX))
            .filter_map(|record_id| record_id.strip_prefix(PUPIL_RECORD_PREFIX))
            .map(|pupil_id| (record_key(&summary_record_id(pupil_id)), None))
            .collect();
        writes.append(&mut std::mem::take(&mut self.pending_summaries));
        writes.extend(removed);
        let vault = rotated.unwrap_or(&self.vault);
        // Under a new key, every part is sealed again, whether or not its records changed.
        let rewritten;
        let base = match rotated {
            Some(_) => {
                rewritten = self.manifest.with_every_part_rewritten();
                &rewritten
            }
            None => &self.manifest,
        };
        let manifest = base.seal_after(writes, &revisions, generation, |id, json| {
            vault.seal(id, json)
        });
        writes.push(seal_json(vault, HEAD_RECORD, &Head::at(generation)));
        manifest
    }

    /// The save counter after the next save. Never wraps: a counter at the limit (which no
    /// real desk reaches, a save a second for ages) can only be a damaged head record.
    fn next_generation(&self) -> Result<u64, DeskStoreError> {
        self.generation
            .max(self.highest_seen)
            .checked_add(1)
            .ok_or_else(|| {
                DeskStoreError::Vault(VaultError::DamagedRecord {
                    record_id: HEAD_RECORD.into(),
                })
            })
    }

    /// A commit made to resolve what unlocking found: a merge or restore from a backup,
    /// allowed while findings are open. A finding about a record the commit writes or
    /// removes is resolved by it; a finding about the whole desk only by a restore
    /// (`replaces_desk`). Returns the findings left, which are also kept.
    fn commit_resolving(
        &mut self,
        store: &mut impl KeyValueStore,
        writes: Vec<Write>,
        replaces_desk: bool,
    ) -> Result<Vec<IntegrityFinding>, DeskStoreError> {
        let written: Vec<String> = writes
            .iter()
            .filter_map(|(key, _)| key.strip_prefix(RECORD_PREFIX).map(str::to_string))
            .collect();
        self.commit_batch(store, writes, None)?;
        self.integrity.retain(|finding| match finding.record() {
            Some(record) => !written.contains(&record.record_id()),
            None => !replaces_desk,
        });
        Ok(self.integrity.clone())
    }

    /// Compares storage with the manifest, names what differs in `self.integrity`, and
    /// returns the manifest of storage as it is (the base of the next commit's).
    fn check_integrity(
        &mut self,
        store: &impl KeyValueStore,
        desk: &Desk,
        roster: &Roster,
        head: &Head,
        mut stored: BTreeMap<String, Entry>,
    ) -> Result<Manifest, DeskStoreError> {
        for key in store.keys()? {
            let Some(record_id) = key.strip_prefix(RECORD_PREFIX) else {
                continue;
            };
            if !is_listed(record_id) || record_id.starts_with(PUPIL_RECORD_PREFIX) {
                continue;
            }
            if let Some(value) = store.get(&key)? {
                let entry = Entry {
                    digest: RecordDigest::of(&value),
                    revision: None,
                };
                stored.insert(record_id.to_string(), entry);
            }
        }
        let found = match store.get(&record_key(MANIFEST_RECORD))? {
            None => ManifestFound::Absent,
            Some(_) => match self.read_record::<Root>(store, MANIFEST_RECORD) {
                Ok(root) => self.read_manifest_parts(store, root)?,
                Err(_) => ManifestFound::Damaged,
            },
        };
        let opens = |record_id: &str| match record_id.strip_prefix(PUPIL_RECORD_PREFIX) {
            Some(id) => desk.file(&PupilId(id.to_string())).is_some(),
            None => store
                .get(&record_key(record_id))
                .ok()
                .flatten()
                .is_some_and(|value| self.vault.open(record_id, &value).is_ok()),
        };
        let mut findings = integrity::compare(
            &stored,
            &found,
            head.generation,
            head.manifest,
            roster,
            opens,
        );
        let mut parts = BTreeMap::new();
        if let ManifestFound::Found(manifest, _) = &found {
            self.highest_seen = self.highest_seen.max(manifest.generation);
            parts = manifest.parts.clone();
        }
        // A marker seen earlier in this session still counts after a reload.
        if self.highest_seen > head.generation
            && !findings
                .iter()
                .any(|f| matches!(f, IntegrityFinding::OlderGeneration { .. }))
        {
            findings.insert(
                0,
                IntegrityFinding::OlderGeneration {
                    found: head.generation,
                    saved: self.highest_seen,
                },
            );
        }
        // A damaged marker stays reported on a reload, unless another tab has committed
        // since (which it could do only once resolved, writing a fresh marker).
        if self.integrity.contains(&IntegrityFinding::MarkerDamaged)
            && head.generation == self.generation
        {
            findings.push(IntegrityFinding::MarkerDamaged);
        }
        // The stored parts hold exactly what is stored only when nothing was found.
        let parts_current = findings.is_empty() && matches!(found, ManifestFound::Found(..));
        self.integrity = findings;
        Ok(Manifest {
            generation: head.generation,
            records: stored.into_iter().collect(),
            parts,
            parts_current,
        })
    }

    /// The manifest's records from the parts `root` lists; a part missing, changed or not
    /// opening leaves its records unchecked (reported as a damaged manifest).
    fn read_manifest_parts(
        &self,
        store: &impl KeyValueStore,
        root: Root,
    ) -> Result<ManifestFound, DeskStoreError> {
        let mut manifest = Manifest {
            generation: root.generation,
            ..Manifest::default()
        };
        let mut unchecked = std::collections::BTreeSet::new();
        for (part, digest) in &root.parts {
            let record_id = part_record_id(*part);
            let read = store
                .get(&record_key(&record_id))?
                .filter(|value| RecordDigest::of(value) == *digest)
                .and_then(|value| open_stored::<Part>(&self.vault, &record_id, &value).ok());
            match read {
                Some(read) => manifest.records.extend(read.records),
                None => {
                    unchecked.insert(*part);
                }
            }
        }
        manifest.parts = root.parts;
        Ok(ManifestFound::Found(manifest, unchecked))
    }

    /// The SENCO accepts the desk as it is now after tampering or damage was found: a
    /// fresh manifest is committed, and each finding is recorded, with the date and who
    /// (the key slot unlocked with), in the change history of the pupil it is about, or
    /// in the desk's list of accepted losses when no file of theirs opens.
    pub fn accept_the_loss(
        &mut self,
        store: &mut impl KeyValueStore,
        now: DateTime<Utc>,
    ) -> Result<(), DeskStoreError> {
        if self.integrity.is_empty() {
            return Ok(());
        }
        let by = self.vault.unlocked_with.clone();
        let mut files: BTreeMap<PupilId, PupilFile> = BTreeMap::new();
        let mut desk_wide = Vec::new();
        for finding in &self.integrity {
            let what = format!(
                "Loss accepted after tampering or damage: {}",
                finding.what()
            );
            match finding.pupil().and_then(|id| self.desk.file(id)) {
                Some(file) => {
                    let file = files
                        .entry(file.pupil.id.clone())
                        .or_insert_with(|| file.clone());
                    file.history.push(FileChange {
                        at: now,
                        by: by.clone(),
                        what: vec![what],
                    });
                }
                None => desk_wide.push(finding.to_string()),
            }
        }
        let mut files: Vec<PupilFile> = files.into_values().collect();
        let mut writes = Vec::with_capacity(files.len() + 1);
        for file in &mut files {
            file.revision = file.revision.saturating_add(1);
            writes.push(self.sealed_file(file));
        }
        let mut losses = self.accepted_losses.clone();
        if !desk_wide.is_empty() {
            losses.push(FileChange {
                at: now,
                by,
                what: desk_wide,
            });
            writes.push(self.sealed_json(ACCEPTED_LOSSES_RECORD, &losses));
        }
        self.commit_batch(store, writes, None)?;
        self.integrity.clear();
        self.accepted_losses = losses;
        for file in files {
            self.desk.put(file);
        }
        Ok(())
    }

    /// Losses accepted that were about no pupil file still on the desk, oldest first.
    pub fn accepted_losses(&self) -> &[FileChange] {
        &self.accepted_losses
    }

    /// This browser's marker of the highest generation it has seen, to keep in
    /// localStorage (outside the desk's database) after every commit and unlock: its key
    /// and its value, sealed with the data key and bound to this desk.
    pub fn generation_marker(&self) -> (String, String) {
        let marker = Marker {
            generation: self.generation.max(self.highest_seen),
        };
        let value = self.sealed_json(GENERATION_MARKER_RECORD, &marker).1;
        (GENERATION_MARKER_KEY.to_string(), value.unwrap_or_default())
    }

    /// Checks the desk against this browser's marker (None: there is none yet). A higher
    /// marker means storage was rolled back: an "older generation" finding. A marker that
    /// does not open is reported as damage. Returns whether the marker should be written
    /// now: only when there is none or it is below the desk, so an unlock writes nothing
    /// otherwise, and a damaged or higher marker stays as evidence until the SENCO chooses
    /// (the commit that accepts the loss is followed by a new marker, as every commit is).
    pub fn check_generation_marker(&mut self, sealed: Option<&str>) -> bool {
        let Some(sealed) = sealed else {
            return true;
        };
        let marker = self
            .vault
            .open(GENERATION_MARKER_RECORD, sealed)
            .ok()
            .and_then(|plain| serde_json::from_slice::<Marker>(&plain).ok());
        let Some(marker) = marker else {
            if !self.integrity.contains(&IntegrityFinding::MarkerDamaged) {
                self.integrity.push(IntegrityFinding::MarkerDamaged);
            }
            return false;
        };
        if marker.generation <= self.generation {
            return marker.generation < self.generation;
        }
        self.highest_seen = self.highest_seen.max(marker.generation);
        self.integrity
            .retain(|f| !matches!(f, IntegrityFinding::OlderGeneration { .. }));
        self.integrity.insert(
            0,
            IntegrityFinding::OlderGeneration {
                found: self.generation,
                saved: self.highest_seen,
            },
        );
        false
    }

    /// Adds a new pupil with a fresh id.
    pub fn add_pupil(
        &mut self,
        store: &mut impl KeyValueStore,
        mut pupil: Pupil,
        now: DateTime<Utc>,
    ) -> Result<PupilId, DeskStoreError> {
        pupil.id = PupilId(to_hex(&random_bytes::<8>()));
        let mut file = PupilFile::new(pupil, now);
        file.record_change(None, self.unlocked_with(), now);
        self.write_file(store, file, true)
    }

    /// A new, unsaved pupil's id, for forms that need one before saving.
    pub fn new_pupil_id() -> PupilId {
        PupilId(to_hex(&random_bytes::<8>()))
    }

    /// Saves an edit made from `base_revision` of the pupil's file.
    pub fn save_pupil(
        &mut self,
        store: &mut impl KeyValueStore,
        pupil: Pupil,
        base_revision: u64,
        now: DateTime<Utc>,
    ) -> Result<PupilId, DeskStoreError> {
        self.save_edit(store, now, |desk| {
            desk.edited(pupil.clone(), base_revision, now)
        })
    }

    /// Saves a whole file (the pupil and everything about them) edited from `base_revision`.
    pub fn save_file(
        &mut self,
        store: &mut impl KeyValueStore,
        file: PupilFile,
        base_revision: u64,
        now: DateTime<Utc>,
    ) -> Result<PupilId, DeskStoreError> {
        self.save_edit(store, now, |desk| {
            desk.edited_file(file.clone(), base_revision, now)
        })
    }

    /// Adds an attached file's details (and key) to a pupil's file, applied to the latest
    /// copy of it. The file's sealed pieces must be stored first (see `store::files`): if
    /// this save fails, they are swept at the next unlock.
    pub fn attach_file(
        &mut self,
        store: &mut impl KeyValueStore,
        pupil: &PupilId,
        attachment: Attachment,
        now: DateTime<Utc>,
    ) -> Result<(), DeskStoreError> {
        self.save_edit(store, now, |desk| {
            let mut file = desk
                .file(pupil)
                .cloned()
                .ok_or_else(|| DeskError::NoSuchPupil(pupil.clone()))?;
            let revision = file.revision;
            file.attach(attachment.clone())
                .map_err(DeskError::Refused)?;
            desk.edited_file(file, revision, now)
        })?;
        Ok(())
    }

    /// Takes an attached file off a pupil's file and saves it; returns the file's details,
    /// so its pieces can be deleted after (None when it was already gone, from another tab).
    pub fn detach_file(
        &mut self,
        store: &mut impl KeyValueStore,
        pupil: &PupilId,
        file_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Attachment>, DeskStoreError> {
        let Some(found) = self
            .desk
            .file(pupil)
            .and_then(|f| f.attachment(file_id))
            .cloned()
        else {
            return Ok(None);
        };
        self.save_edit(store, now, |desk| {
            let mut file = desk
                .file(pupil)
                .cloned()
                .ok_or_else(|| DeskError::NoSuchPupil(pupil.clone()))?;
            let revision = file.revision;
            file.detach(file_id);
            desk.edited_file(file, revision, now)
        })?;
        Ok(Some(found))
    }

    /// Writes an edit, noted in the file's change history; if another tab saved first,
    /// reloads and tries once more, where the revision check decides whether the edit
    /// still applies.
    fn save_edit(
        &mut self,
        store: &mut impl KeyValueStore,
        now: DateTime<Utc>,
        edit: impl Fn(&Desk) -> Result<PupilFile, DeskError>,
    ) -> Result<PupilId, DeskStoreError> {
        for attempt in 0..2 {
            let mut file = edit(&self.desk)?;
            file.record_change(
                self.desk.file(&file.pupil.id),
                &self.vault.unlocked_with,
                now,
            );
            match self.write_file(store, file, false) {
                Err(DeskStoreError::ChangedElsewhere) if attempt == 0 => continue,
                other => return other,
            }
        }
        Err(DeskStoreError::ChangedElsewhere)
    }

    /// Writes a file (and the roster if its name is new or changed), then puts it in the desk.
    fn write_file(
        &mut self,
        store: &mut impl KeyValueStore,
        mut file: PupilFile,
        is_new: bool,
    ) -> Result<PupilId, DeskStoreError> {
        for attempt in 0..2 {
            let id = file.pupil.id.clone();
            let name = file.pupil.sort_name();
            let mut writes = vec![self.sealed_file(&mut file)];
            let mut roster = None;
            if self.roster.get(&id) != Some(&name) {
                let mut next = self.roster.clone();
                next.insert(id.clone(), name);
                writes.push(self.sealed_json(ROSTER_RECORD, &next));
                roster = Some(next);
            }
            match self.commit(store, writes) {
                Ok(()) => {
                    if let Some(next) = roster {
                        self.roster = next;
                    }
                    self.desk.put(file);
                    return Ok(id);
                }
                // A new pupil cannot clash with another tab's edits: try once more.
                Err(DeskStoreError::ChangedElsewhere) if is_new && attempt == 0 => continue,
                Err(e) => return Err(e),
            }
        }
        Err(DeskStoreError::ChangedElsewhere)
    }

    /// Writes many files in one all-or-nothing save (an import, a year-end rollover).
    /// Each file names the revision it was planned from, or None for a new pupil; if any
    /// pupil has moved on since (another tab), nothing is written and the plan must be
    /// made again. Returns how many files were written.
    pub fn save_files(
        &mut self,
        store: &mut impl KeyValueStore,
        files: Vec<(PupilFile, Option<u64>)>,
        now: DateTime<Utc>,
    ) -> Result<usize, DeskStoreError> {
        self.save_files_and_settings(store, files, None, now)
    }

    /// As [`OpenDesk::save_files`], with new settings in the same save (a rollover
    /// records its date).
    pub fn save_files_and_settings(
        &mut self,
        store: &mut impl KeyValueStore,
        files: Vec<(PupilFile, Option<u64>)>,
        settings: Option<Settings>,
        now: DateTime<Utc>,
    ) -> Result<usize, DeskStoreError> {
        let mut next_files = Vec::with_capacity(files.len());
        for (file, base_revision) in files {
            let mut next = match base_revision {
                Some(base) => self.desk.edited_file(file, base, now)?,
                None if self.desk.file(&file.pupil.id).is_some() => {
                    return Err(DeskStoreError::ChangedElsewhere)
                }
                None => file,
            };
            next.record_change(
                self.desk.file(&next.pupil.id),
                &self.vault.unlocked_with,
                now,
            );
            next_files.push(next);
        }
        let mut roster = self.roster.clone();
        let mut writes = Vec::with_capacity(next_files.len() + 1);
        for file in &mut next_files {
            writes.push(self.sealed_file(file));
            roster.insert(file.pupil.id.clone(), file.pupil.sort_name());
        }
        if roster != self.roster {
            writes.push(self.sealed_json(ROSTER_RECORD, &roster));
        }
        if let Some(settings) = &settings {
            writes.push(self.sealed_json(SETTINGS_RECORD, settings));
        }
        self.commit(store, writes)?;
        self.roster = roster;
        if let Some(settings) = settings {
            self.desk.settings = settings;
        }
        let written = next_files.len();
        for file in next_files {
            self.desk.put(file);
        }
        Ok(written)
    }

    /// Every record's plain text, for tests that check what storage holds.
    #[cfg(test)]
    pub(crate) fn every_plaintext(&self, store: &impl KeyValueStore) -> Vec<(String, String)> {
        store
            .keys()
            .unwrap()
            .into_iter()
            .filter_map(|key| {
                let record_id = key.strip_prefix(RECORD_PREFIX)?.to_string();
                let stored = store.get(&key).unwrap()?;
                let plain = self.vault.open(&record_id, &stored).ok()?;
                Some((record_id, String::from_utf8(plain.to_vec()).unwrap()))
            })
            .collect()
    }

    /// Erases a pupil's file completely. What remains is a one-way mark of their random id
    /// and the date, so a backup made before cannot bring them back by a merge or restore.
    pub fn delete_pupil(
        &mut self,
        store: &mut impl KeyValueStore,
        id: &PupilId,
        today: NaiveDate,
    ) -> Result<(), DeskStoreError> {
        // Erasure promises the pupil is gone from every record: one that cannot be opened
        // cannot be cleared of them, so it must be restored first.
        if !self.desk.damaged_entries.is_empty() {
            return Err(DeskError::Refused(
                "A contact log entry on this desk cannot be opened, so the pupil cannot be taken out of it. Restore it from a backup (Backups) first, then erase the pupil.".into(),
            )
            .into());
        }
        if !self.desk.damaged_provisions.is_empty() {
            return Err(DeskError::Refused(
                "A provision's record on this desk cannot be opened, so the pupil cannot be taken out of it. Restore it from a backup (Backups) first, then erase the pupil.".into(),
            )
            .into());
        }
        for attempt in 0..2 {
            if self.desk.file(id).is_none() && !self.desk.damaged.iter().any(|d| &d.id == id) {
                return Err(DeskError::NoSuchPupil(id.clone()).into());
            }
            let mut roster = self.roster.clone();
            roster.remove(id);
            // The erasure travels with the desk's backups, so no older backup merged or
            // restored later brings the pupil back.
            let mut erased = self.desk.erased.clone();
            erased.push(Erasure {
                mark: erasure_mark(id),
                on: today,
            });
            let mut writes = vec![
                (record_key(&pupil_record_id(&id.0)), None),
                self.sealed_json(ROSTER_RECORD, &roster),
                self.sealed_json(ERASED_RECORD, &erased),
            ];
            // Out of every provision too: their place in it and in each session's register.
            let (provision_writes, provisions) = self.provisions_without(id);
            writes.extend(provision_writes);
            // Out of the contact log: entries about only them go, others lose only them.
            let (log_writes, kept_entries, deleted_entries) = self.log_without(id);
            writes.extend(log_writes);
            match self.commit(store, writes) {
                Ok(()) => {
                    self.roster = roster;
                    self.desk.erased = erased;
                    for provision in provisions {
                        self.desk.put_provision(provision);
                    }
                    for entry in kept_entries {
                        self.desk.put_log_entry(entry);
                    }
                    for entry in deleted_entries {
                        self.desk.remove_log_entry(&entry);
                    }
                    if let Some(mut file) = self.desk.remove(id) {
                        file.zeroize();
                    }
                    // Unsaved text about the pupil goes too (it is sealed, but erasure
                    // promises every record about them is gone).
                    self.remove_drafts_about(store, &id.0);
                    return Ok(());
                }
                Err(DeskStoreError::ChangedElsewhere) if attempt == 0 => continue,
                Err(e) => return Err(e),
            }
        }
        Err(DeskStoreError::ChangedElsewhere)
    }

    pub fn save_settings(
        &mut self,
        store: &mut impl KeyValueStore,
        settings: Settings,
    ) -> Result<(), DeskStoreError> {
        let writes = vec![self.sealed_json(SETTINGS_RECORD, &settings)];
        self.commit(store, writes)?;
        self.desk.settings = settings;
        Ok(())
    }

    /// Changes the passphrase, once the current passphrase (or recovery key) is given, and
    /// rotates the data key (see [`OpenDesk::save_key_change`]): the old passphrase opens
    /// nothing written from now on. The recovery key keeps working, unless an older version
    /// made it and the passphrase was typed: then a new one is made in the same save and
    /// returned, to be shown and confirmed.
    pub fn change_passphrase(
        &mut self,
        store: &mut impl KeyValueStore,
        current: &str,
        new_passphrase: &str,
        params: KdfParams,
    ) -> Result<KeysChanged, DeskStoreError> {
        self.change_keys(
            store,
            current,
            KeyChange::NewPassphrase(new_passphrase),
            params,
        )
    }

    /// Makes a new recovery key, once the current passphrase or recovery key is given (a
    /// minute at an unlocked desk must not be enough to gain lasting access), and rotates
    /// the data key. The old key no longer unlocks this desk once this returns; backups
    /// made before still open with it, as they carry the key slots of their time, but the
    /// key they hold opens nothing written since.
    pub fn new_recovery_key(
        &mut self,
        store: &mut impl KeyValueStore,
        current: &str,
        params: KdfParams,
    ) -> Result<KeysChanged, DeskStoreError> {
        self.change_keys(store, current, KeyChange::NewRecoveryKey, params)
    }

    /// Removes a key slot (by id), rotating the data key so its secret opens nothing
    /// written from now on. Removing the last passphrase slot is refused.
    pub fn remove_key_slot(
        &mut self,
        store: &mut impl KeyValueStore,
        current: &str,
        slot_id: &str,
        params: KdfParams,
    ) -> Result<KeysChanged, DeskStoreError> {
        self.change_keys(store, current, KeyChange::RemoveSlot(slot_id), params)
    }

    /// A change of keys all at once, on this thread, with the drafts in `store` too (tools
    /// and tests; the browser derives keys in a worker and keeps drafts apart).
    fn change_keys(
        &mut self,
        store: &mut impl KeyValueStore,
        current: &str,
        change: KeyChange<'_>,
        params: KdfParams,
    ) -> Result<KeysChanged, DeskStoreError> {
        let change =
            at_once(
                self.header
                    .change_secret_with(current, change, params, &OnThisThread),
            )?;
        let mut changed = self.save_key_change(store, change)?;
        changed.drafts_lost = self.finish_key_change(store);
        Ok(changed)
    }

    /// Saves a change of keys whose slow part was done first
    /// ([`Header::change_secret_with`]), refused if the desk's keys changed meanwhile.
    /// It rotates the data key: a fresh key, every slot re-wrapped for it, a fresh desk
    /// key pair, and every record re-sealed under it (attached files' keys with them, as
    /// they live inside the records), all in ONE commit with the header and the manifest.
    /// A record that does not open with the current key (a damaged file) is left as it
    /// is. The key before is kept until [`OpenDesk::finish_key_change`] (the commit
    /// reached storage: re-seal the drafts) or [`OpenDesk::undo_key_change`] (it did not).
    pub fn save_key_change(
        &mut self,
        store: &mut impl KeyValueStore,
        change: SecretChange,
    ) -> Result<KeysChanged, DeskStoreError> {
        if !self.integrity.is_empty() {
            return Err(DeskStoreError::Unresolved);
        }
        if !change.is_from(&self.header) {
            // The header in memory is not the one the change was made from.
            self.reload(store)?;
            return Err(DeskStoreError::ChangedElsewhere);
        }
        let rotation = change.into_rotation();
        let keeps_earlier_keys = rotation.keeps_earlier_keys;
        let (header, mut vault) = (rotation.header, rotation.vault);
        vault.unlocked_with = self.vault.unlocked_with.clone();
        // A recovery key made here is not confirmed until the SENCO says it is kept.
        let settings = match rotation.recovery.is_some() {
            true => Settings {
                recovery_key_unconfirmed: true,
                ..self.desk.settings.clone()
            },
            false => self.desk.settings.clone(),
        };
        let mut writes = vec![(HEADER_KEY.into(), Some(header.to_json()))];
        for key in store.keys()? {
            let Some(record_id) = key.strip_prefix(RECORD_PREFIX) else {
                continue;
            };
            // Written below, or by the commit (the head and the manifest).
            // Summaries are not in the manifest but are re-sealed all the same: nothing
            // stays under the old key.
            let summary = record_id.starts_with(SUMMARY_RECORD_PREFIX);
            if (!is_listed(record_id) && !summary)
                || [KEYS_RECORD, SETTINGS_RECORD].contains(&record_id)
            {
                continue;
            }
            let Some(stored) = store.get(&key)? else {
                continue;
            };
            if let Some(resealed) = self.vault.reseal(record_id, &stored, &vault) {
                writes.push((key.clone(), Some(resealed)));
            }
        }
        writes.push(seal_json(&vault, SETTINGS_RECORD, &settings));
        // Another tab may still keep drafts under the key being replaced: kept, sealed
        // under the new one, so the next unlock can move those drafts across. Not when a
        // slot is removed: its holder's key is then good for nothing, drafts included.
        if keeps_earlier_keys {
            vault.remember_earlier(&self.vault);
        }
        writes.push(self.sealed_keys(&vault, &header));
        self.commit_batch(store, writes, Some(&vault))?;
        self.previous_vault = Some(std::mem::replace(&mut self.vault, vault));
        self.header = header;
        self.desk.settings = settings;
        Ok(KeysChanged {
            new_recovery_key: rotation.recovery,
            drafts_lost: 0,
        })
    }

    /// After a change of keys reached storage: the drafts kept in `drafts` (localStorage in
    /// the browser) are re-sealed under the new key and the old key is dropped. Returns how
    /// many drafts could not be kept.
    pub fn finish_key_change(&mut self, drafts: &mut impl KeyValueStore) -> usize {
        match self.key_change_reached_storage() {
            Some(old) => self.reseal_drafts(drafts, &old),
            None => 0,
        }
    }

    /// The change of keys reached storage: the key before it, if one was kept, for the
    /// drafts to be re-sealed (see [`OpenDesk::reseal_drafts`]); it is no longer kept here.
    pub fn key_change_reached_storage(&mut self) -> Option<Vault> {
        self.previous_vault.take()
    }

    /// A change of keys that did not reach storage: the key before it is the desk's again
    /// (storage still holds the records sealed under it).
    pub fn undo_key_change(&mut self) {
        if let Some(old) = self.previous_vault.take() {
            self.vault = old;
        }
    }

    /// The SENCO has shown they kept the recovery key: the reminder on every page stops.
    pub fn confirm_recovery_key(
        &mut self,
        store: &mut impl KeyValueStore,
    ) -> Result<(), DeskStoreError> {
        if !self.desk.settings.recovery_key_unconfirmed {
            return Ok(());
        }
        let settings = Settings {
            recovery_key_unconfirmed: false,
            ..self.desk.settings.clone()
        };
        self.save_settings(store, settings)
    }

    /// Backups made from this desk, newest first.
    pub fn backup_log(&self) -> &BackupLog {
        &self.backups
    }

    /// Makes and checks a backup of everything on the desk. Nothing is written.
    pub fn make_backup(
        &self,
        opens_with: OpensWith,
        now: DateTime<Utc>,
        local_now: NaiveDateTime,
    ) -> Result<MadeBackup, BackupError> {
        self.check_fully_open()?;
        backup::make(
            &self.desk,
            &self.header,
            &self.vault,
            opens_with,
            now,
            local_now,
        )
    }

    /// Seals the records for a backup with attached files; the pieces are written after
    /// ([`crate::backup::with_files::Prepared::write`]). Nothing is written here.
    pub fn prepare_backup_with_files(
        &self,
        opens_with: OpensWith,
        now: DateTime<Utc>,
        local_now: NaiveDateTime,
    ) -> Result<crate::backup::with_files::Prepared, BackupError> {
        self.check_fully_open()?;
        crate::backup::with_files::prepare(
            &self.desk,
            &self.header,
            &self.vault,
            opens_with,
            now,
            local_now,
        )
    }

    /// A backup is of full files only, never of the summaries shown while unlocking.
    fn check_fully_open(&self) -> Result<(), BackupError> {
        match self.opening.is_some() {
            true => Err(BackupError::CheckFailed(
                "the desk was still opening pupils' files".into(),
            )),
            false => Ok(()),
        }
    }

    #[cfg(test)]
    pub fn vault_for_tests(&self) -> Vault {
        self.vault.clone()
    }

    /// Notes a downloaded backup in the desk's list, for the reminder and settings.
    pub fn record_backup(
        &mut self,
        store: &mut impl KeyValueStore,
        made: &MadeBackup,
    ) -> Result<(), DeskStoreError> {
        let mut log = self.backups.clone();
        log.add(BackupEntry {
            made: made.made,
            bytes: made.bytes(),
            fingerprint: made.fingerprint.clone(),
            generation: self.next_generation()?,
            separate_passphrase: made.separate_passphrase,
        });
        let writes = vec![self.sealed_json(BACKUPS_RECORD, &log)];
        self.commit(store, writes)?;
        self.backups = log;
        Ok(())
    }

    /// Writes a merge planned against this desk, all or nothing. A plan made before another
    /// tab saved is refused, so the preview always showed what is written.
    pub fn merge_backup(
        &mut self,
        store: &mut impl KeyValueStore,
        plan: &MergePlan,
    ) -> Result<(), DeskStoreError> {
        if plan.generation != self.generation || self.is_stale(store)? {
            self.reload(store)?;
            return Err(DeskStoreError::ChangedElsewhere);
        }
        if plan.changes_nothing() {
            return Ok(());
        }
        let mut roster = self.roster.clone();
        let mut files = plan.writes.clone();
        let mut writes = Vec::with_capacity(files.len() + 3);
        for file in &mut files {
            writes.push(self.sealed_file(file));
            roster.insert(file.pupil.id.clone(), file.pupil.sort_name());
        }
        // Pupils erased on the copy the backup came from are erased here too.
        for pupil in &plan.erasing {
            writes.push((record_key(&pupil_record_id(&pupil.id.0)), None));
            roster.remove(&pupil.id);
        }
        writes.push(self.sealed_json(ROSTER_RECORD, &roster));
        if plan.erased_changed {
            writes.push(self.sealed_json(ERASED_RECORD, &plan.erased));
        }
        for provision in &plan.provision_writes {
            writes.push(self.sealed_provision(provision));
        }
        for entry in &plan.log_writes {
            writes.push(self.sealed_log_entry(entry));
        }
        for id in &plan.log_removals {
            writes.push((record_key(&log_record_id(id)), None));
        }
        if let Some(settings) = &plan.settings {
            writes.push(self.sealed_json(SETTINGS_RECORD, settings));
        }
        self.commit_resolving(store, writes, false)?;
        if let Some(settings) = &plan.settings {
            self.desk.settings = settings.clone();
        }
        self.roster = roster;
        self.desk.erased = plan.erased.clone();
        for provision in &plan.provision_writes {
            self.desk.put_provision(provision.clone());
        }
        for entry in &plan.log_writes {
            self.desk.put_log_entry(entry.clone());
        }
        for id in &plan.log_removals {
            self.desk.remove_log_entry(id);
        }
        for pupil in &plan.erasing {
            if let Some(mut file) = self.desk.remove(&pupil.id) {
                file.zeroize();
            }
        }
        for file in files {
            self.desk.put(file);
        }
        Ok(())
    }

    /// Replaces every record on the desk with the backup's, all or nothing. The desk keeps
    /// its own passphrase, recovery key and list of backups. Pupils erased on this desk stay
    /// erased even if the backup holds them. `generation` is the desk's when the user was
    /// told what would be lost: if another tab has saved since, nothing is replaced and the
    /// newer desk is loaded.
    pub fn replace_with_backup(
        &mut self,
        store: &mut impl KeyValueStore,
        backup: &ValidBackup,
        generation: u64,
    ) -> Result<(), DeskStoreError> {
        if generation != self.generation || self.is_stale(store)? {
            self.reload(store)?;
            return Err(DeskStoreError::ChangedElsewhere);
        }
        let erased = Erasure::combine(&self.desk.erased, &backup.erased);
        let mut writes = self.writes_for(backup, &erased);
        writes.extend(self.provision_writes_for(backup, &erased));
        writes.extend(self.log_writes_for(backup, &erased));
        for key in store.keys()? {
            let Some(pupil_id) = key
                .strip_prefix(RECORD_PREFIX)
                .and_then(|r| r.strip_prefix(PUPIL_RECORD_PREFIX))
            else {
                continue;
            };
            let id = PupilId(pupil_id.to_string());
            if !backup.files.contains_key(&id) || is_erased(&erased, &id) {
                writes.push((key, None));
            }
        }
        let unresolved = self.commit_resolving(store, writes, true)?;
        self.load(store)?;
        self.integrity = unresolved;
        Ok(())
    }

    /// Makes a desk in this browser from a backup: in an empty browser, or over a desk
    /// whose header is damaged beyond opening. The desk gets fresh keys ([`NewDeskKeys`]:
    /// a new data key, desk id and key slots; the recovery key returned is shown and
    /// confirmed as at creation), so no key slot carried in the file, whoever made it,
    /// opens the new desk. `keep` holds what was salvaged from the damaged desk
    /// (see [`OpenDesk::salvage`]): the backup is merged into its records rather than
    /// replacing them. Everything, the header last, is one all-or-nothing save.
    pub fn create_from_backup(
        store: &mut impl KeyValueStore,
        backup: &ValidBackup,
        keep: Option<&Salvage>,
        keys: NewDeskKeys,
        now: DateTime<Utc>,
    ) -> Result<(OpenDesk, RecoveryKey), DeskStoreError> {
        // A desk whose header is damaged cannot be opened by anyone: restoring replaces it.
        // Any other desk here (even one from a newer app) is never replaced this way.
        if OpenDesk::exists(store)? {
            match OpenDesk::read_header(store) {
                Err(DeskStoreError::Vault(VaultError::DamagedHeader(_))) => {}
                _ => return Err(DeskStoreError::DeskExists),
            }
        }
        let (header, vault, recovery) = keys.into_parts();
        let (settings, mut files, erased, provisions, log) = match keep {
            None => (
                backup.settings.clone(),
                backup.files.values().cloned().collect::<Vec<_>>(),
                backup.erased.clone(),
                backup.provisions.values().cloned().collect::<Vec<_>>(),
                backup.contact_log.values().cloned().collect::<Vec<_>>(),
            ),
            Some(salvage) => {
                let kept = &salvage.desk;
                let plan = MergePlan::make(kept, 0, backup);
                let mut provisions: BTreeMap<String, Provision> = kept
                    .provisions()
                    .map(|p| (p.id.clone(), p.clone()))
                    .collect();
                for provision in &plan.provision_writes {
                    provisions.insert(provision.id.clone(), provision.clone());
                }
                let mut log: BTreeMap<String, crate::domain::contact_log::LogEntry> = kept
                    .log_entries()
                    .map(|e| (e.id.clone(), e.clone()))
                    .collect();
                for entry in &plan.log_writes {
                    log.insert(entry.id.clone(), entry.clone());
                }
                for id in &plan.log_removals {
                    log.remove(id);
                }
                let mut files: BTreeMap<PupilId, PupilFile> = kept
                    .files()
                    .filter(|f| !plan.erasing.iter().any(|e| e.id == f.pupil.id))
                    .map(|f| (f.pupil.id.clone(), f.clone()))
                    .collect();
                for file in &plan.writes {
                    files.insert(file.pupil.id.clone(), file.clone());
                }
                (
                    // The desk's own settings if they still open, as a merge keeps them.
                    if salvage.settings_intact {
                        kept.settings.clone()
                    } else {
                        backup.settings.clone()
                    },
                    files.into_values().collect(),
                    plan.erased.clone(),
                    provisions.into_values().collect(),
                    log.into_values().collect(),
                )
            }
        };
        // The restored desk has a new recovery key, not yet confirmed.
        let settings = Settings {
            recovery_key_unconfirmed: true,
            ..settings
        };
        let mut open = OpenDesk::blank(header, vault, settings, false);
        let roster: Roster = files
            .iter()
            .map(|f| (f.pupil.id.clone(), f.pupil.sort_name()))
            .collect();
        let mut writes = vec![
            open.sealed_json(SETTINGS_RECORD, &open.desk.settings),
            open.sealed_json(ROSTER_RECORD, &roster),
        ];
        for file in &mut files {
            writes.push(open.sealed_file(file));
        }
        for mut provision in provisions {
            writes.push(open.sealed_provision(&provision));
            provision.zeroize();
        }
        for mut entry in log {
            writes.push(open.sealed_log_entry(&entry));
            entry.zeroize();
        }
        if !erased.is_empty() {
            writes.push(open.sealed_json(ERASED_RECORD, &erased));
        }
        for file in &mut files {
            file.zeroize();
        }
        writes.push(open.sealed_keys(&open.vault, &open.header));
        open.seal_manifest_and_head(&mut writes, 1, None);
        writes.push((HEADER_KEY.into(), Some(open.header.to_json())));
        // The damaged desk's leftovers go in the same all-or-nothing save: if it fails, the
        // damaged desk is still there for another try (or an expert).
        for key in store.keys()? {
            if key.starts_with(PREFIX)
                && key != JOURNAL_KEY
                && !writes.iter().any(|(k, _)| *k == key)
            {
                writes.push((key, None));
            }
        }
        journal::commit(store, &writes, now.timestamp_millis())?;
        open.load(store)?;
        Ok((open, recovery))
    }

    /// What can still be read of a desk whose header is damaged, with the data key from a
    /// backup of it (a backup opened by the desk's own passphrase or recovery key carries
    /// the same key): every pupil file that opens, the settings and the erased list if
    /// they open, and how many pupil files do not. Nothing is written.
    pub fn salvage(store: &impl KeyValueStore, vault: &Vault) -> Result<Salvage, DeskStoreError> {
        let settings: Option<Settings> = open_record(vault, store, SETTINGS_RECORD).ok();
        let mut desk = Desk::new(settings.clone().unwrap_or_else(|| Settings::new("")));
        desk.erased = open_record(vault, store, ERASED_RECORD).unwrap_or_default();
        let unreadable = read_pupil_files(vault, store, &mut desk, &mut BTreeMap::new())?.len();
        for key in provisions::provision_keys(&store.keys()?) {
            provisions::read_provision(vault, store, &key, &mut desk)?;
        }
        for key in contact_log::log_keys(&store.keys()?) {
            contact_log::read_log_entry(vault, store, &key, &mut desk)?;
        }
        Ok(Salvage {
            desk,
            settings_intact: settings.is_some(),
            unreadable,
        })
    }

    /// Sealed settings, roster, erased list and every file of a backup that the desk does
    /// not already hold exactly (fewer writes, and a smaller journal, when restoring a
    /// recent backup), leaving out pupils in `erased`.
    fn writes_for(&mut self, backup: &ValidBackup, erased: &[Erasure]) -> Vec<Write> {
        let restored = backup
            .files
            .values()
            .filter(|f| !is_erased(erased, &f.pupil.id));
        let roster: Roster = restored
            .clone()
            .map(|f| (f.pupil.id.clone(), f.pupil.sort_name()))
            .collect();
        let mut writes = vec![
            self.sealed_json(SETTINGS_RECORD, &backup.settings),
            self.sealed_json(ROSTER_RECORD, &roster),
        ];
        if *erased != self.desk.erased {
            writes.push(self.sealed_json(ERASED_RECORD, &erased));
        }
        for file in restored {
            let mut restored = file.clone();
            // A backup with files brings the desk's files as they were; a records-only one
            // keeps the files this desk has, as it carries none.
            let kept = |current: &PupilFile| {
                if backup.with_files {
                    file.clone()
                } else {
                    with_files_kept(file, current)
                }
            };
            match self.desk.file(&file.pupil.id) {
                Some(current) if *current == kept(current) => continue,
                // A restored version gets a revision above the desk's, so an edit begun on the
                // old version is refused as changed elsewhere rather than saved over it.
                Some(current) => {
                    restored = kept(current);
                    restored.revision = current.revision.max(file.revision).saturating_add(1);
                }
                None => {}
            }
            writes.push(self.sealed_file(&mut restored));
            restored.zeroize();
        }
        writes
    }
}

/// A restored copy of a pupil's file that keeps the files attached on the desk: a
/// records-only backup does not carry them, and their pieces are here, so replacing the
/// records must not leave them unnamed. Files deleted on purpose in either copy stay deleted.
fn with_files_kept(restored: &PupilFile, current: &PupilFile) -> PupilFile {
    let mut file = restored.clone();
    file.attachments = union_attachments(&current.attachments, &restored.attachments, |id| {
        restored.was_removed(Removed::Attachment, id)
            || current.was_removed(Removed::Attachment, id)
    });
    file
}

/// What a change of keys did besides rotating the data key.
#[derive(Debug)]
pub struct KeysChanged {
    /// A recovery key made in the change: asked for, or because an older version made the
    /// one it replaces (show it once, as at creation).
    pub new_recovery_key: Option<RecoveryKey>,
    /// Drafts of unsaved text that could not be re-sealed under the new key (storage
    /// full) and were removed.
    pub drafts_lost: usize,
}

/// What [`OpenDesk::salvage`] found in a desk whose header is damaged.
pub struct Salvage {
    /// The pupil files that still open, with the settings and erased list if they do.
    pub desk: Desk,
    pub settings_intact: bool,
    /// Pupil files that could not be opened with the backup's key.
    pub unreadable: usize,
}

/// Unlocking's second part: pupil files still to open in place of their summaries, and
/// what opening them finds, for the check against the manifest at the end.
struct Opening {
    head: Head,
    /// Storage keys of the pupil files still to open, the next one last.
    pending: Vec<String>,
    /// Each pupil file's digest and revision as stored.
    stored: BTreeMap<String, Entry>,
    /// Pupils whose file did not open.
    unreadable: Vec<PupilId>,
}

impl Opening {
    /// Opens the pupil file stored under `key` into `desk`, in place of the summary there
    /// (which is returned); a file that does not open takes its summary off the desk.
    fn open_file(
        &mut self,
        vault: &Vault,
        store: &impl KeyValueStore,
        key: &str,
        desk: &mut Desk,
    ) -> Result<Option<PupilFile>, StoreError> {
        let id = pupil_id_of(key);
        let summary = desk.remove(&id);
        let Some(value) = store.get(key)? else {
            return Ok(summary);
        };
        let record_id = key.strip_prefix(RECORD_PREFIX).unwrap_or(key);
        let (entry, opened) = open_pupil_file(vault, record_id, &id, &value);
        match opened {
            Some(file) => desk.put(file),
            None => self.unreadable.push(id),
        }
        self.stored.insert(record_id.to_string(), entry);
        Ok(summary)
    }
}

/// The pupil id in a pupil file's storage key.
fn pupil_id_of(key: &str) -> PupilId {
    let record_id = key.strip_prefix(RECORD_PREFIX).unwrap_or(key);
    PupilId(
        record_id
            .strip_prefix(PUPIL_RECORD_PREFIX)
            .unwrap_or(record_id)
            .to_string(),
    )
}

/// A pupil's summary, if one is stored for them and opens, marked as only a summary.
fn read_summary(
    vault: &Vault,
    store: &impl KeyValueStore,
    id: &PupilId,
) -> Result<Option<PupilFile>, StoreError> {
    let record_id = summary_record_id(&id.0);
    let Some(value) = store.get(&record_key(&record_id))? else {
        return Ok(None);
    };
    Ok(open_stored::<PupilFile>(vault, &record_id, &value)
        .ok()
        .filter(|summary| summary.pupil.id == *id)
        .map(|mut summary| {
            summary.tidy_after_reading();
            summary.summary_only = true;
            summary
        }))
}

/// Opens `id`'s stored pupil file (histories in date order, ids for records an older app
/// saved without), with its entry for the manifest check (its revision only if it opened).
fn open_pupil_file(
    vault: &Vault,
    record_id: &str,
    id: &PupilId,
    value: &str,
) -> (Entry, Option<PupilFile>) {
    // Decoded once, for the digest and for opening.
    let blob = sealed_bytes(value);
    let mut entry = Entry {
        digest: match &blob {
            Some(blob) => RecordDigest::of_sealed(blob),
            None => RecordDigest::of(value),
        },
        revision: None,
    };
    let opened: Result<PupilFile, DeskStoreError> = match &blob {
        Some(blob) => vault
            .open_sealed(record_id, blob)
            .map_err(DeskStoreError::from)
            .and_then(|plain| parse_record(record_id, &plain)),
        None => open_stored(vault, record_id, value),
    };
    let file = opened
        .ok()
        .filter(|file| file.pupil.id == *id)
        .map(|mut file| {
            entry.revision = Some(file.revision);
            file.tidy_after_reading();
            file
        });
    (entry, file)
}

/// Puts every pupil file in storage that opens with `vault` into `desk` (histories in date
/// order, and ids for records an older app saved); returns the ids of those that do not.
fn read_pupil_files(
    vault: &Vault,
    store: &impl KeyValueStore,
    desk: &mut Desk,
    stored: &mut BTreeMap<String, Entry>,
) -> Result<Vec<PupilId>, StoreError> {
    let mut unreadable = Vec::new();
    for key in store.keys()? {
        let Some(record_id) = key.strip_prefix(RECORD_PREFIX) else {
            continue;
        };
        if !record_id.starts_with(PUPIL_RECORD_PREFIX) {
            continue;
        }
        let id = pupil_id_of(&key);
        let Some(value) = store.get(&key)? else {
            continue;
        };
        let (entry, opened) = open_pupil_file(vault, record_id, &id, &value);
        match opened {
            Some(file) => desk.put(file),
            None => unreadable.push(id),
        }
        stored.insert(record_id.to_string(), entry);
    }
    Ok(unreadable)
}

fn seal_json<T: Serialize>(vault: &Vault, record_id: &str, value: &T) -> Write {
    let mut json = serde_json::to_vec(value).expect("records always serialise");
    let sealed = vault.seal(record_id, &json);
    json.zeroize();
    (record_key(record_id), Some(sealed))
}

/// Opens one sealed record with `vault`.
fn open_record<T: serde::de::DeserializeOwned>(
    vault: &Vault,
    store: &impl KeyValueStore,
    record_id: &str,
) -> Result<T, DeskStoreError> {
    let damaged = || {
        DeskStoreError::Vault(VaultError::DamagedRecord {
            record_id: record_id.to_string(),
        })
    };
    let stored = store.get(&record_key(record_id))?.ok_or_else(damaged)?;
    open_stored(vault, record_id, &stored)
}

/// Opens a sealed value already read from storage.
fn open_stored<T: serde::de::DeserializeOwned>(
    vault: &Vault,
    record_id: &str,
    stored: &str,
) -> Result<T, DeskStoreError> {
    let plain = vault.open(record_id, stored)?;
    parse_record(record_id, &plain)
}

fn parse_record<T: serde::de::DeserializeOwned>(
    record_id: &str,
    plain: &[u8],
) -> Result<T, DeskStoreError> {
    serde_json::from_slice(plain).map_err(|_| {
        DeskStoreError::Vault(VaultError::DamagedRecord {
            record_id: record_id.to_string(),
        })
    })
}

fn is_erased(erased: &[Erasure], id: &PupilId) -> bool {
    let mark = erasure_mark(id);
    erased.iter().any(|e| e.mark == mark)
}

/// Before a new desk is written: leftovers of an earlier, abandoned (or damaged) desk must
/// not mix with it.
fn remove_leftovers(store: &mut impl KeyValueStore) -> Result<(), StoreError> {
    for key in store.keys()? {
        if key.starts_with(PREFIX) {
            store.remove(&key)?;
        }
    }
    Ok(())
}

trait ZeroizeNames {
    fn zeroize_names(&mut self);
}

impl ZeroizeNames for Roster {
    fn zeroize_names(&mut self) {
        for name in self.values_mut() {
            name.zeroize();
        }
        self.clear();
    }
}

/// Locking drops the open desk: every decrypted record and the data key are wiped.
impl Drop for OpenDesk {
    fn drop(&mut self) {
        self.desk.zeroize();
        self.roster.zeroize_names();
    }
}

/// UTF-16 units of the desk's keys and values: what localStorage counts against its quota.
pub fn storage_used(store: &impl KeyValueStore) -> Result<usize, StoreError> {
    let mut units = 0;
    for key in store.keys()? {
        if key.starts_with(PREFIX) {
            let value = store.get(&key)?.unwrap_or_default();
            units += key.encode_utf16().count() + value.encode_utf16().count();
        }
    }
    Ok(units)
}
