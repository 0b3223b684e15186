//! Unlocking's first part in steps: the desk-wide records, then each pupil's summary a
//! few at a time, so the page can paint between steps (no long task at unlock). The
//! full files follow in the same way ([`OpenDesk::open_more`]).

use super::*;
use std::collections::BTreeSet;

/// The desk being read, summaries first, before it becomes the open desk.
pub(super) struct SummaryReading {
    /// The stored head when reading began: if another tab saves meanwhile, reading
    /// starts again, so one unlock never mixes two saves.
    head_value: Option<String>,
    desk: Desk,
    roster: Roster,
    backups: BackupLog,
    opening: Opening,
    /// Storage keys of the pupil files whose summary is still to read, the next one last.
    to_read: Vec<String>,
    summaries_to_write: BTreeSet<PupilId>,
    summaries_to_remove: Vec<String>,
}

/// A reading given up (another tab saved, or unlocking failed part-way) wipes the pupils'
/// details and names it had opened, as the open desk does when it is dropped.
impl Drop for SummaryReading {
    fn drop(&mut self) {
        self.desk.zeroize();
        self.roster.zeroize_names();
    }
}

impl SummaryReading {
    /// Reads the desk-wide records and lists the pupils' files.
    pub(super) fn begin(
        open: &mut OpenDesk,
        store: &impl KeyValueStore,
    ) -> Result<SummaryReading, DeskStoreError> {
        let head_value = store.get(&record_key(HEAD_RECORD))?;
        let head: Head = open.read_record(store, HEAD_RECORD)?;
        let settings: Settings = open.read_record(store, SETTINGS_RECORD)?;
        let roster: Roster = open.read_record(store, ROSTER_RECORD)?;
        // The header's labels and public keys are believed only if the sealed list agrees.
        let keys: Option<KeysRecord> = match store.get(&record_key(KEYS_RECORD))? {
            None => None,
            Some(_) => Some(open.read_record(store, KEYS_RECORD)?),
        };
        open.vault.check_keys(&open.header, keys)?;
        // Only a list of past backups: if it is damaged, start it again rather than keep the
        // whole desk shut.
        let backups: BackupLog = open.read_record(store, BACKUPS_RECORD).unwrap_or_default();
        let mut desk = Desk::new(settings);
        // Absent until the first pupil is erased; if it cannot be read, the desk must not
        // open as if nobody had been erased.
        desk.erased = match store.get(&record_key(ERASED_RECORD))? {
            None => Vec::new(),
            Some(_) => open.read_record(store, ERASED_RECORD)?,
        };
        let keys = store.keys()?;
        let files: BTreeSet<&str> = keys
            .iter()
            .filter_map(|key| key.strip_prefix(RECORD_PREFIX))
            .filter_map(|record_id| record_id.strip_prefix(PUPIL_RECORD_PREFIX))
            .collect();
        let summaries_to_remove = keys
            .iter()
            .filter(|key| {
                key.strip_prefix(RECORD_PREFIX)
                    .and_then(|record_id| record_id.strip_prefix(SUMMARY_RECORD_PREFIX))
                    .is_some_and(|id| !files.contains(id))
            })
            .cloned()
            .collect();
        let mut to_read: Vec<String> = keys
            .iter()
            .filter(|key| {
                key.strip_prefix(RECORD_PREFIX)
                    .is_some_and(|record_id| record_id.starts_with(PUPIL_RECORD_PREFIX))
            })
            .cloned()
            .collect();
        to_read.reverse();
        // Provisions are opened with the full files, after Home shows: Home's pupils'
        // lists need none of them.
        let mut provisions = super::provisions::provision_keys(&keys);
        provisions.extend(super::contact_log::log_keys(&keys));
        Ok(SummaryReading {
            head_value,
            desk,
            roster,
            backups,
            opening: Opening {
                head,
                pending: provisions,
                stored: BTreeMap::new(),
                unreadable: Vec::new(),
            },
            to_read,
            summaries_to_write: BTreeSet::new(),
            summaries_to_remove,
        })
    }

    /// Whether another tab has saved since reading began.
    fn is_stale(&self, store: &impl KeyValueStore) -> Result<bool, DeskStoreError> {
        Ok(store.get(&record_key(HEAD_RECORD))? != self.head_value)
    }

    /// Reads pupils' summaries (a full file where no summary opens) while `more()` says to
    /// go on, at least one each call. Ok(true) once every pupil is read.
    pub(super) fn read(
        &mut self,
        open: &OpenDesk,
        store: &impl KeyValueStore,
        mut more: impl FnMut() -> bool,
    ) -> Result<bool, DeskStoreError> {
        while let Some(key) = self.to_read.pop() {
            let id = pupil_id_of(&key);
            match read_summary(&open.vault, store, &id)? {
                Some(summary) => {
                    self.desk.put(summary);
                    self.opening.pending.push(key);
                }
                None => {
                    self.summaries_to_write.insert(id);
                    self.opening
                        .open_file(&open.vault, store, &key, &mut self.desk)?;
                }
            }
            if !more() {
                break;
            }
        }
        Ok(self.to_read.is_empty())
    }

    /// Makes what was read the open desk's (its full files still to open).
    pub(super) fn finish(
        mut self,
        open: &mut OpenDesk,
        store: &impl KeyValueStore,
    ) -> Result<(), DeskStoreError> {
        let desk = std::mem::replace(&mut self.desk, Desk::new(Settings::new("")));
        let roster = std::mem::take(&mut self.roster);
        let backups = std::mem::take(&mut self.backups);
        let summaries_to_write = std::mem::take(&mut self.summaries_to_write);
        let summaries_to_remove = std::mem::take(&mut self.summaries_to_remove);
        let mut opening = std::mem::replace(
            &mut self.opening,
            Opening {
                head: Head::at(0),
                pending: Vec::new(),
                stored: BTreeMap::new(),
                unreadable: Vec::new(),
            },
        );
        // Opened from the end: in the order storage lists them.
        opening.pending.reverse();
        open.accepted_losses = open
            .read_record(store, ACCEPTED_LOSSES_RECORD)
            .unwrap_or_default();
        open.desk.zeroize();
        open.desk = desk;
        open.roster.zeroize_names();
        open.roster = roster;
        open.generation = opening.head.generation;
        open.backups = backups;
        open.manifest = Manifest::default();
        open.summaries_to_write = summaries_to_write;
        open.summaries_to_remove = summaries_to_remove;
        open.opening = Some(opening);
        Ok(())
    }
}

/// Restarts after which the summaries left are read in one step.
const MAX_RESTARTS: u32 = 3;

/// Unlocking with the key derived, in steps: [`Unlocking::read_more`] between frames,
/// then [`Unlocking::finish`] gives the open desk, showing pupils' summaries (as
/// [`OpenDesk::open_summaries`], which does it all at once).
pub struct Unlocking {
    open: OpenDesk,
    reading: SummaryReading,
    /// How many times reading started again because another tab saved.
    restarts: u32,
    /// A half-done save was rolled back to a header other than the one the key came
    /// from: a failure to read means that key no longer opens the desk.
    header_changed: bool,
}

impl Unlocking {
    /// Rolls back any half-done save, then reads the desk-wide records.
    pub fn begin(
        store: &mut impl KeyValueStore,
        header: Header,
        vault: Vault,
        now: DateTime<Utc>,
    ) -> Result<Unlocking, DeskStoreError> {
        // A save under way (or cut short seconds ago) must not be read half-done: wait.
        let recovered = match journal::recover_abandoned(store, now.timestamp_millis())? {
            Recovery::InProgress => return Err(StoreError::Busy.into()),
            Recovery::RolledBack => true,
            Recovery::Clean => false,
        };
        // The rollback may have restored an older header, and with a rotation cut short,
        // an older data key that `vault` does not hold.
        let opened_header = header.clone();
        let header = match recovered {
            true => OpenDesk::read_header(store)?,
            false => header,
        };
        let header_changed = header != opened_header;
        let mut open = OpenDesk::blank(header, vault, Settings::new(""), recovered);
        let reading = SummaryReading::begin(&mut open, store);
        let reading = Unlocking::said(header_changed, reading)?;
        Ok(Unlocking {
            open,
            reading,
            restarts: 0,
            header_changed,
        })
    }

    /// Reads pupils' summaries while `more()` says to go on. Ok(true) once all are read.
    /// If another tab saved since the last step, reading starts again from its save.
    pub fn read_more(
        &mut self,
        store: &impl KeyValueStore,
        mut more: impl FnMut() -> bool,
    ) -> Result<bool, DeskStoreError> {
        if self.reading.is_stale(store)? {
            // Another tab changed the keys: this key may not open its records.
            if OpenDesk::read_header(store)? != self.open.header {
                return Err(DeskStoreError::ChangedElsewhere);
            }
            let reading = SummaryReading::begin(&mut self.open, store);
            self.reading = Unlocking::said(self.header_changed, reading)?;
            self.restarts += 1;
        }
        // Another tab saving faster than a reading takes: read the rest at once, so
        // unlocking always ends.
        let at_once = self.restarts >= MAX_RESTARTS;
        let read = self.reading.read(&self.open, store, || at_once || more());
        Unlocking::said(self.header_changed, read)
    }

    /// The open desk, with every summary read (any still unread are read now).
    pub fn finish(mut self, store: &impl KeyValueStore) -> Result<OpenDesk, DeskStoreError> {
        while !self.read_more(store, || true)? {}
        let finished = self.reading.finish(&mut self.open, store);
        Unlocking::said(self.header_changed, finished)?;
        Ok(self.open)
    }

    fn said<T>(
        header_changed: bool,
        result: Result<T, DeskStoreError>,
    ) -> Result<T, DeskStoreError> {
        match result {
            Err(_) if header_changed => Err(DeskStoreError::KeyChangeUndone),
            other => other,
        }
    }
}
