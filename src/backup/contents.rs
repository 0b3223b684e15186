//! What a backup holds once opened, and the checks every record passes before it can touch
//! a desk. In the file, notes are records of their own that name their pupil, as plans and
//! reviews will, so references between records are checked here.

use super::error::BackupError;
use crate::domain::attachment::Attachment;
use crate::domain::contact_log::LogEntry;
use crate::domain::dates::{iso_date, timestamp};
use crate::domain::ehc::record::EhcRecord;
use crate::domain::history::FileChange;
use crate::domain::passport::Passport;
use crate::domain::plan::SupportPlan;
use crate::domain::provision::record::Provision;
use crate::domain::removal::MAX_REMOVALS;
use crate::domain::settings::MAX_AUTO_LOCK_MINUTES;
use crate::domain::{
    Concern, Desk, Erasure, Note, Pupil, PupilFile, PupilId, Removal, SenRecord, Settings,
};
use crate::vault::is_erasure_mark;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use zeroize::Zeroize;

/// The version of the contents JSON inside the sealed part of a backup. Version 2 added
/// each pupil's SEN history and concerns, version 3 support plans, the pupil passport,
/// the change history and the school's library, version 4 an id on every concern,
/// contact, note and plan, tombstones for records deleted on purpose and the list of
/// erased pupils, version 5 a pupil's date of birth as null when it is unknown ("to
/// correct", from an import), version 6 the school's provisions (issue 15: who is in each,
/// their measures, every session recorded) and its provision set-up in the settings, version 7
/// each pupil's EHC records (issue 16: needs assessment requests, plans, annual reviews),
/// version 8 each pupil's referrals to agencies and the agency directory in the settings.
/// Older files (without them) still open; an older app refuses a newer version rather than
/// drop or misread what it does not know.
pub const CONTENTS_VERSION: u32 = 8;
/// Generous for any real name; the pupil form allows the same.
const MAX_NAME_CHARS: usize = 100;
/// The highest revision a pupil's file in a backup may have, and the highest save counter
/// (generation) a storage snapshot's desk may have: a save every second for 31 million
/// years, so no real desk comes near it; below 2^53, so any JSON reader (JavaScript's
/// numbers included) keeps it exact; and so far below `u64::MAX` that adding one, as a
/// restore or the next save does, can never wrap.
pub const MAX_REVISION: u64 = 1_000_000_000_000_000;
pub const MAX_GENERATION: u64 = MAX_REVISION;

/// The contents JSON, as written inside a backup.
#[derive(Serialize, Deserialize)]
pub struct Contents {
    pub version: u32,
    pub settings: Settings,
    pub pupils: Vec<PupilEntry>,
    #[serde(default)]
    pub notes: Vec<NoteEntry>,
    /// Pupils erased from the desk, by a one-way mark of their id.
    #[serde(default)]
    pub erased: Vec<Erasure>,
    #[serde(default)]
    pub provisions: Vec<Provision>,
    /// The contact log (version 8).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact_log: Vec<LogEntry>,
}

#[derive(Serialize, Deserialize)]
pub struct PupilEntry {
    pub pupil: Pupil,
    #[serde(default)]
    pub sen: SenRecord,
    #[serde(default)]
    pub concerns: Vec<Concern>,
    #[serde(default)]
    pub plans: Vec<SupportPlan>,
    #[serde(default)]
    pub passport: Option<Passport>,
    #[serde(default)]
    pub history: Vec<FileChange>,
    #[serde(default)]
    pub removed: Vec<Removal>,
    /// Attached files' details and keys: only in a backup that carries their pieces
    /// (version 2); a records-only backup leaves them out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// EHC requests, plans and reviews (version 7).
    #[serde(default, skip_serializing_if = "EhcRecord::is_empty")]
    pub ehc: EhcRecord,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<crate::domain::referral::Referral>,
    pub revision: u64,
    #[serde(with = "timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "timestamp")]
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
pub struct NoteEntry {
    #[serde(default)]
    pub id: String,
    pub pupil_id: PupilId,
    #[serde(with = "iso_date")]
    pub date: NaiveDate,
    pub author: String,
    pub text: String,
}

/// A backup's records after every check: safe to show, merge or restore. Wiped when dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBackup {
    pub settings: Settings,
    /// Every pupil's file, by id.
    pub files: BTreeMap<PupilId, PupilFile>,
    /// Pupils erased on the desk the backup came from.
    pub erased: Vec<Erasure>,
    /// How many times in the file were later than a day from now, and were moved back to
    /// when it was made (see [`ValidBackup::clamp_future`]).
    pub clamped: usize,
    /// The backup carries attached files (version 2): the records name them, and restoring
    /// makes the desk's files the backup's. Otherwise the records name none, and restoring
    /// or merging keeps the files the desk has.
    pub with_files: bool,
    /// The school's provisions, by id (each checked, naming only pupils in `files`).
    pub provisions: BTreeMap<String, Provision>,
    /// The contact log, by id (each checked, naming only pupils in `files`).
    pub contact_log: BTreeMap<String, LogEntry>,
}

impl ValidBackup {
    /// The desk's records with every attached file's details and key, for a backup that
    /// carries the files' pieces too (version 2).
    pub fn from_desk_with_files(desk: &Desk) -> ValidBackup {
        ValidBackup {
            settings: desk.settings.clone(),
            files: desk
                .files()
                .map(|f| (f.pupil.id.clone(), f.clone()))
                .collect(),
            erased: desk.erased.clone(),
            clamped: 0,
            with_files: true,
            provisions: provisions_of(desk),
            contact_log: log_of(desk),
        }
    }

    /// The id and piece count of every attached file the records name, in the order a
    /// backup carries them (by pupil id, then as attached).
    pub fn attached_files(&self) -> impl Iterator<Item = &Attachment> {
        self.files.values().flat_map(|f| f.attachments.iter())
    }

    /// The desk's records, ready to write into a records-only backup: attached files'
    /// details and keys are left out too (a file listed without its pieces could never
    /// open). Merging or restoring such a backup keeps the files the desk has (see
    /// `OpenDesk::replace_with_backup` and `merge_files`).
    pub fn from_desk(desk: &Desk) -> ValidBackup {
        ValidBackup {
            settings: desk.settings.clone(),
            files: desk
                .files()
                .map(|f| {
                    let mut file = f.clone();
                    file.attachments.clear();
                    (f.pupil.id.clone(), file)
                })
                .collect(),
            erased: desk.erased.clone(),
            clamped: 0,
            with_files: false,
            provisions: provisions_of(desk),
            contact_log: log_of(desk),
        }
    }

    /// Moves every time later than a day from `now` back to `made` (or to `now`, if the
    /// file claims to be made later than that too): a backup from a computer whose clock
    /// ran years ahead would otherwise win every merge after it. Returns how many moved.
    pub fn clamp_future(&mut self, now: DateTime<Utc>, made: DateTime<Utc>) -> usize {
        let limit = now + chrono::Duration::days(1);
        let to = if made > limit { now } else { made };
        let moved: usize = self
            .files
            .values_mut()
            .map(|f| f.clamp_times(limit, to))
            .sum();
        self.clamped += moved;
        moved
    }

    pub fn note_count(&self) -> usize {
        self.files.values().map(|f| f.notes.len()).sum()
    }

    /// When the most recent edit in the backup was made.
    pub fn latest_change(&self) -> Option<DateTime<Utc>> {
        self.files.values().map(|f| f.updated_at).max()
    }

    /// The contents JSON. Notes go out as records of their own, in each pupil's order.
    pub fn to_json(&self) -> zeroize::Zeroizing<Vec<u8>> {
        let contents = Contents {
            version: CONTENTS_VERSION,
            settings: self.settings.clone(),
            pupils: self
                .files
                .values()
                .map(|f| PupilEntry {
                    pupil: f.pupil.clone(),
                    sen: f.sen.clone(),
                    concerns: f.concerns.clone(),
                    plans: f.plans.clone(),
                    passport: f.passport.clone(),
                    history: f.history.clone(),
                    removed: f.removed.clone(),
                    attachments: f.attachments.clone(),
                    ehc: f.ehc.clone(),
                    referrals: f.referrals.clone(),
                    revision: f.revision,
                    created_at: f.created_at,
                    updated_at: f.updated_at,
                })
                .collect(),
            notes: self
                .files
                .values()
                .flat_map(|f| {
                    f.notes.iter().map(|n| NoteEntry {
                        id: n.id.clone(),
                        pupil_id: f.pupil.id.clone(),
                        date: n.date,
                        author: n.author.clone(),
                        text: n.text.clone(),
                    })
                })
                .collect(),
            erased: self.erased.clone(),
            provisions: self.provisions.values().cloned().collect(),
            contact_log: self.contact_log.values().cloned().collect(),
        };
        let json = serde_json::to_vec(&contents).expect("contents always serialise");
        let mut contents = contents;
        contents.zeroize();
        zeroize::Zeroizing::new(json)
    }

    /// Reads and checks the contents JSON: its shape, version, ids and references.
    pub fn from_json(json: &[u8]) -> Result<ValidBackup, BackupError> {
        #[derive(Deserialize)]
        struct Outline {
            version: Option<u64>,
        }
        // serde's messages can quote a value (a date of birth, a UPN): say where, not what.
        let outline: Outline = serde_json::from_slice(json).map_err(|e| {
            BackupError::InvalidRecord(format!(
                "its records are not readable (at character {})",
                e.column()
            ))
        })?;
        match outline.version {
            Some(v) if (1..=u64::from(CONTENTS_VERSION)).contains(&v) => {}
            Some(v) if v > u64::from(CONTENTS_VERSION) => {
                return Err(BackupError::NewerFormat {
                    found: format!("contents {v}"),
                })
            }
            _ => {
                return Err(BackupError::InvalidRecord(
                    "its records have no version".into(),
                ))
            }
        }
        let mut contents: Contents = serde_json::from_slice(json).map_err(|e| {
            BackupError::InvalidRecord(format!(
                "a record has the wrong shape or a value that is not allowed (at character {})",
                e.column()
            ))
        })?;
        let checked = check(&mut contents);
        contents.zeroize();
        checked
    }
}

fn check(contents: &mut Contents) -> Result<ValidBackup, BackupError> {
    check_settings(&contents.settings)?;
    let mut files = BTreeMap::new();
    for (index, entry) in contents.pupils.iter().enumerate() {
        let pupil = &entry.pupil;
        let number = index + 1;
        if !is_pupil_id(&pupil.id.0) {
            return Err(BackupError::InvalidRecord(format!(
                "pupil {number} has a malformed id"
            )));
        }
        for (label, name) in [("forename", &pupil.forename), ("surname", &pupil.surname)] {
            let chars = name.chars().count();
            if name.trim().is_empty() || chars > MAX_NAME_CHARS || name.trim().len() != name.len() {
                return Err(BackupError::InvalidRecord(format!(
                    "pupil {number} ({}) has an empty, padded or overlong {label}",
                    pupil.id
                )));
            }
        }
        // Edit times are not checked against creation times: a laptop clock put back
        // makes such records honestly, and refusing them would block every backup.
        if entry.revision == 0 {
            wipe(&mut files);
            return Err(BackupError::InvalidRecord(format!(
                "pupil {number} ({}) has a revision of 0",
                pupil.id
            )));
        }
        if entry.revision > MAX_REVISION {
            wipe(&mut files);
            return Err(BackupError::InvalidRecord(format!(
                "pupil {number} ({}) has a revision of {}, more than any real file reaches",
                pupil.id, entry.revision
            )));
        }
        let file = PupilFile {
            pupil: pupil.clone(),
            notes: Vec::new(),
            sen: entry.sen.clone(),
            concerns: entry.concerns.clone(),
            plans: entry.plans.clone(),
            passport: entry.passport.clone(),
            history: entry.history.clone(),
            removed: entry.removed.clone(),
            // Kept only where the backup carries the files (see `BackupFile::open_at`).
            attachments: entry.attachments.clone(),
            ehc: entry.ehc.clone(),
            referrals: entry.referrals.clone(),
            revision: entry.revision,
            created_at: entry.created_at,
            updated_at: entry.updated_at,
            summary_only: false,
        };
        if files.insert(pupil.id.clone(), file).is_some() {
            wipe(&mut files);
            return Err(BackupError::DuplicatePupil {
                id: pupil.id.0.clone(),
            });
        }
    }
    for (index, note) in contents.notes.iter().enumerate() {
        let Some(file) = files.get_mut(&note.pupil_id) else {
            wipe(&mut files);
            return Err(BackupError::MissingPupil {
                record: format!("note {}", index + 1),
                pupil_id: note.pupil_id.0.clone(),
            });
        };
        file.notes.push(Note {
            id: note.id.clone(),
            date: note.date,
            author: note.author.clone(),
            text: note.text.clone(),
        });
    }
    // Limits are checked once each file is whole, notes included; records from an older
    // app get their ids first.
    for (index, entry) in contents.pupils.iter().enumerate() {
        let Some(file) = files.get_mut(&entry.pupil.id) else {
            continue;
        };
        file.tidy_after_reading();
        if let Err(problem) = file.check_limits() {
            wipe(&mut files);
            return Err(BackupError::InvalidRecord(format!(
                "pupil {} ({}): {problem}",
                index + 1,
                entry.pupil.id
            )));
        }
    }
    if contents.erased.len() > MAX_REMOVALS
        || contents.erased.iter().any(|e| !is_erasure_mark(&e.mark))
    {
        wipe(&mut files);
        return Err(BackupError::InvalidRecord(
            "its list of erased pupils is malformed".into(),
        ));
    }
    let provisions = match check_provisions(&contents.provisions, &files) {
        Ok(provisions) => provisions,
        Err(e) => {
            wipe(&mut files);
            return Err(e);
        }
    };
    let contact_log = match check_log(&contents.contact_log, &files) {
        Ok(log) => log,
        Err(e) => {
            wipe(&mut files);
            return Err(e);
        }
    };
    Ok(ValidBackup {
        settings: contents.settings.clone(),
        files,
        erased: contents.erased.clone(),
        clamped: 0,
        with_files: false,
        provisions,
        contact_log,
    })
}

fn log_of(desk: &Desk) -> BTreeMap<String, LogEntry> {
    desk.log_entries()
        .map(|e| (e.id.clone(), e.clone()))
        .collect()
}

/// Every log entry within its limits, with a well-made id, once, naming only pupils the
/// backup holds.
fn check_log(
    entries: &[LogEntry],
    files: &BTreeMap<PupilId, PupilFile>,
) -> Result<BTreeMap<String, LogEntry>, BackupError> {
    if entries.len() > crate::domain::contact_log::MAX_ENTRIES {
        return Err(BackupError::InvalidRecord(
            "its contact log has too many entries".into(),
        ));
    }
    let mut checked = BTreeMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let number = index + 1;
        let refuse = |problem: String| {
            BackupError::InvalidRecord(format!("contact log entry {number}: {problem}"))
        };
        if !is_pupil_id(&entry.id) {
            return Err(refuse("its id is malformed".into()));
        }
        if entry.revision == 0 || entry.revision > MAX_REVISION {
            return Err(refuse("its revision is out of range".into()));
        }
        entry.check().map_err(refuse)?;
        if entry.actions.iter().any(|a| !is_pupil_id(&a.id)) {
            return Err(refuse("an agreed action's id is malformed".into()));
        }
        if let Some(unknown) = entry.pupils.iter().find(|p| !files.contains_key(p)) {
            return Err(refuse(format!(
                "it names a pupil the backup does not hold ({})",
                unknown.0
            )));
        }
        if checked.insert(entry.id.clone(), entry.clone()).is_some() {
            return Err(refuse("its id is used twice".into()));
        }
    }
    Ok(checked)
}

fn provisions_of(desk: &Desk) -> BTreeMap<String, Provision> {
    desk.provisions()
        .map(|p| (p.id.clone(), p.clone()))
        .collect()
}

/// Every provision within its limits, with a well-made id, once, naming only pupils the
/// backup holds (an erased pupil was taken out of every provision with their file).
fn check_provisions(
    provisions: &[Provision],
    files: &BTreeMap<PupilId, PupilFile>,
) -> Result<BTreeMap<String, Provision>, BackupError> {
    if provisions.len() > MAX_PROVISIONS {
        return Err(BackupError::InvalidRecord(format!(
            "it holds more than {MAX_PROVISIONS} provisions"
        )));
    }
    let mut checked = BTreeMap::new();
    for (index, provision) in provisions.iter().enumerate() {
        let number = index + 1;
        let refuse =
            |problem: String| BackupError::InvalidRecord(format!("provision {number}: {problem}"));
        if !is_pupil_id(&provision.id) {
            return Err(refuse("it has a malformed id".into()));
        }
        if provision.revision == 0 || provision.revision > MAX_REVISION {
            return Err(refuse("its revision is out of range".into()));
        }
        provision.check().map_err(refuse)?;
        let unknown = provision
            .enrolments
            .iter()
            .map(|e| &e.pupil)
            .chain(provision.sessions.iter().flat_map(|s| s.attended()))
            .find(|p| !files.contains_key(p));
        if let Some(pupil) = unknown {
            return Err(BackupError::MissingPupil {
                record: format!("provision {number}"),
                pupil_id: pupil.0.clone(),
            });
        }
        if checked
            .insert(provision.id.clone(), provision.clone())
            .is_some()
        {
            return Err(refuse("it is in the file twice".into()));
        }
    }
    Ok(checked)
}

use crate::domain::provision::edit::MAX_PROVISIONS;

fn check_settings(settings: &Settings) -> Result<(), BackupError> {
    Settings::validate_school_name(&settings.school_name)
        .map_err(|e| BackupError::InvalidRecord(format!("the school name is not usable: {e}")))?;
    if !(1..=MAX_AUTO_LOCK_MINUTES).contains(&settings.auto_lock_minutes) {
        return Err(BackupError::InvalidRecord(
            "the auto-lock time is out of range".into(),
        ));
    }
    if let Some(library) = &settings.library {
        library
            .check()
            .map_err(|e| BackupError::InvalidRecord(format!("the settings are not usable: {e}")))?;
    }
    if settings.dismissed.len() > 10_000 || settings.dismissed.iter().any(|d| d.key.len() > 200) {
        return Err(BackupError::InvalidRecord(
            "the settings hide too many home-screen items".into(),
        ));
    }
    settings.provision.check().map_err(|e| {
        BackupError::InvalidRecord(format!("the provision set-up is not usable: {e}"))
    })?;
    settings
        .ehc
        .check()
        .map_err(|e| BackupError::InvalidRecord(format!("the EHC settings are not usable: {e}")))?;
    settings.agencies.check().map_err(|e| {
        BackupError::InvalidRecord(format!("the agency directory is not usable: {e}"))
    })?;
    Ok(())
}

/// Ids are 16 lowercase hex characters, as the app makes them; anything else was not.
pub fn is_pupil_id(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

fn wipe(files: &mut BTreeMap<PupilId, PupilFile>) {
    for file in files.values_mut() {
        file.zeroize();
    }
}

impl Drop for ValidBackup {
    fn drop(&mut self) {
        wipe(&mut self.files);
        for provision in self.provisions.values_mut() {
            provision.zeroize();
        }
        for entry in self.contact_log.values_mut() {
            entry.zeroize();
        }
        self.settings.zeroize();
    }
}

impl Zeroize for Contents {
    fn zeroize(&mut self) {
        for entry in &mut self.pupils {
            entry.pupil.zeroize();
            entry.sen.zeroize();
            for concern in &mut entry.concerns {
                concern.zeroize();
            }
            for plan in &mut entry.plans {
                plan.zeroize();
            }
            if let Some(passport) = &mut entry.passport {
                passport.zeroize();
            }
            for change in &mut entry.history {
                change.zeroize();
            }
            for attachment in &mut entry.attachments {
                attachment.zeroize();
            }
        }
        self.erased.clear();
        for provision in &mut self.provisions {
            provision.zeroize();
        }
        for entry in &mut self.contact_log {
            entry.zeroize();
        }
        for note in &mut self.notes {
            note.pupil_id.0.zeroize();
            note.author.zeroize();
            note.text.zeroize();
        }
        self.settings.zeroize();
    }
}
