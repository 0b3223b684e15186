//! Backup files: the whole desk in one encrypted JSON file, the copy of record on a USB
//! stick. Made, checked, opened, validated and merged here; pure Rust, tested natively.
//! The exact format is in docs/FORMAT.md.

mod contents;
mod envelope;
mod error;
mod log;
mod merge;
mod snapshot;
pub mod stream;
pub mod with_files;

pub use contents::{is_pupil_id, ValidBackup, CONTENTS_VERSION, MAX_GENERATION, MAX_REVISION};
pub use envelope::{fingerprint, Envelope, FileEntry, Probe, SNAPSHOT_FORMAT};
pub use error::BackupError;
pub use log::{BackupDue, BackupEntry, BackupLog, REMIND_AFTER_CHANGES, REMIND_AFTER_DAYS};
pub use merge::{compare_age, Age, ErasedPupil, MergePlan, PupilMerge};
pub use snapshot::Snapshot;

use crate::domain::Desk;
use crate::vault::{DeriveKey, Header, KdfParams, Vault};
use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};

pub const BACKUP_FORMAT: &str = "senco-desk/backup";
/// The backup format this app writes. Earlier formats it still opens: storage snapshot 1.
pub const BACKUP_VERSION: u32 = 1;
/// The format of a backup that carries attached files: version 1's envelope with a list of
/// the files, then their sealed pieces, read as a stream (docs/FORMAT.md).
pub const FILES_VERSION: u32 = 2;
/// A full browser desk is at most ~10 MB as a backup; anything far larger is not one,
/// and reading it would only risk the tab.
pub const MAX_BACKUP_BYTES: usize = 32 * 1024 * 1024;
/// The most the sealed contents may inflate to: a cap against a crafted "zip bomb".
const MAX_CONTENTS_BYTES: usize = 128 * 1024 * 1024;

/// A chosen file that passed the first checks, waiting for its passphrase.
#[derive(Debug, Clone)]
pub enum BackupFile {
    Current(Box<Envelope>),
    /// A backup with attached files: its envelope, checked with every piece in place (the
    /// pieces themselves are read again from the file when restoring or merging).
    WithFiles(Box<with_files::FilesHead>),
    /// The older "storage snapshot" format, converted on opening.
    Snapshot(Box<Snapshot>),
}

impl BackupFile {
    /// Checks a file's bytes: size, JSON, format, version, checksum, key settings.
    pub fn read(bytes: &[u8]) -> Result<BackupFile, BackupError> {
        if bytes.len() > MAX_BACKUP_BYTES {
            // Only a backup with attached files can be larger.
            return with_files::scan_bytes(bytes)
                .map(|head| BackupFile::WithFiles(Box::new(head)))
                .map_err(|e| match e {
                    BackupError::NotWithFiles => BackupError::TooLarge { bytes: bytes.len() },
                    other => other,
                });
        }
        match Envelope::probe(bytes)? {
            Probe::Backup(envelope) => Ok(BackupFile::Current(envelope)),
            Probe::WithFiles => with_files::scan_bytes(bytes)
                .map(|head| BackupFile::WithFiles(Box::new(head)))
                .map_err(|e| match e {
                    BackupError::NotWithFiles => {
                        BackupError::Damaged("its attached files are missing".into())
                    }
                    other => other,
                }),
            Probe::Snapshot => Ok(BackupFile::Snapshot(Box::new(Snapshot::parse(
                envelope::without_bom(bytes),
            )?))),
        }
    }

    /// When the file was made.
    pub fn made(&self) -> DateTime<Utc> {
        match self {
            BackupFile::Current(e) => e.made(),
            BackupFile::WithFiles(f) => f.envelope.made(),
            BackupFile::Snapshot(s) => s.created,
        }
    }

    /// The attached files it carries (none in a records-only backup).
    pub fn carried_files(&self) -> &[FileEntry] {
        match self {
            BackupFile::WithFiles(f) => &f.envelope.files,
            _ => &[],
        }
    }

    /// Whether this is an older format that is converted on opening.
    pub fn is_older_format(&self) -> bool {
        matches!(self, BackupFile::Snapshot(_))
    }

    /// The key slots that open it, as a desk header: a desk restored from this file in a
    /// fresh browser opens with the same passphrase (and recovery key, if it has one).
    pub fn header(&self) -> Result<Header, BackupError> {
        match self {
            BackupFile::Current(e) => Ok(e.header()),
            BackupFile::WithFiles(f) => Ok(f.envelope.header()),
            BackupFile::Snapshot(s) => s.header(),
        }
    }

    /// The slow step: derives the key from the passphrase or recovery key.
    pub fn unlock(&self, secret: &str) -> Result<Vault, BackupError> {
        match self {
            BackupFile::Current(e) => e.unlock(secret),
            BackupFile::WithFiles(f) => f.envelope.unlock(secret),
            BackupFile::Snapshot(s) => s.unlock(secret),
        }
    }

    /// As [`BackupFile::unlock`], the key derived by `kdf` (in the browser, a worker).
    pub async fn unlock_with(
        &self,
        secret: &str,
        kdf: &impl DeriveKey,
    ) -> Result<Vault, BackupError> {
        self.header()?
            .unlock_with(secret, kdf)
            .await
            .map_err(envelope::from_vault)
    }

    /// Decrypts and checks every record, with times from a wrong clock moved back (see
    /// [`ValidBackup::clamp_future`]).
    pub fn open(&self, vault: &Vault) -> Result<ValidBackup, BackupError> {
        self.open_at(vault, Utc::now())
    }

    /// As [`BackupFile::open`], with the time now given.
    pub fn open_at(&self, vault: &Vault, now: DateTime<Utc>) -> Result<ValidBackup, BackupError> {
        let mut backup = match self {
            BackupFile::Current(e) => {
                let mut backup = ValidBackup::from_json(&e.open(vault)?)?;
                // A records-only backup carries no pieces, so it may name no file.
                if backup.attached_files().next().is_some() {
                    return Err(BackupError::InvalidRecord(
                        "its records name attached files it does not carry".into(),
                    ));
                }
                backup.with_files = false;
                backup
            }
            BackupFile::WithFiles(f) => {
                let mut backup = ValidBackup::from_json(&f.envelope.open(vault)?)?;
                with_files::check_named(&backup, &f.envelope.files)?;
                backup.with_files = true;
                backup
            }
            BackupFile::Snapshot(s) => s.open(vault)?,
        };
        backup.clamp_future(now, self.made());
        Ok(backup)
    }
}

/// Which secret will open a new backup.
pub enum OpensWith<'a> {
    /// The desk's own passphrase or recovery key (as they are when the backup is made).
    DeskSecrets,
    /// A passphrase for this file alone, to hand a copy to a colleague.
    Passphrase {
        passphrase: &'a str,
        params: KdfParams,
    },
    /// Such a passphrase's keys, made first ([`Header::with_only_passphrase_with`]: in the
    /// browser, derived in a worker while the page keeps painting).
    OwnKeys {
        header: &'a Header,
        vault: &'a Vault,
    },
}

/// A backup made and checked, ready to download.
#[derive(Debug, Clone)]
pub struct MadeBackup {
    pub file_name: String,
    /// The file's text; empty for a backup with attached files, which is made as a stream
    /// (see [`with_files`]) and never held as one string.
    pub text: String,
    /// The file's length in bytes.
    pub size: usize,
    pub made: DateTime<Utc>,
    pub fingerprint: String,
    pub separate_passphrase: bool,
}

impl MadeBackup {
    pub fn bytes(&self) -> usize {
        self.size
    }
}

/// Makes a backup of `desk`, then reads back the exact text produced and checks it holds
/// the same records, so a backup that reports success is known to open.
pub fn make(
    desk: &Desk,
    header: &Header,
    vault: &Vault,
    opens_with: OpensWith,
    now: DateTime<Utc>,
    local_now: NaiveDateTime,
) -> Result<MadeBackup, BackupError> {
    if let Some(names) = unreadable(desk) {
        return Err(BackupError::Unreadable { names });
    }
    let separate = !matches!(opens_with, OpensWith::DeskSecrets);
    let (header, vault) = &opening_keys(header, vault, opens_with, now)?;
    let records = ValidBackup::from_desk(desk);
    let envelope = Envelope::seal(header, vault, now, &records.to_json());
    let text = envelope.to_json();

    // Read back the exact text, as a restore would (without re-deriving the key).
    let check = |detail: &str| BackupError::CheckFailed(detail.to_string());
    let Probe::Backup(read) =
        Envelope::probe(text.as_bytes()).map_err(|e| check(&e.to_string()))?
    else {
        return Err(check("it read back as another format"));
    };
    let opened = ValidBackup::from_json(&read.open(vault).map_err(|e| check(&e.to_string()))?)
        .map_err(|e| check(&e.to_string()))?;
    if opened != records || read.slots != header.slots {
        return Err(check("its records differ from the desk's"));
    }
    Ok(MadeBackup {
        file_name: file_name(&desk.settings.school_name, local_now),
        fingerprint: fingerprint(text.as_bytes()),
        size: text.len(),
        text,
        made: now,
        separate_passphrase: separate,
    })
}

/// The header and key a new backup is sealed with.
fn opening_keys(
    header: &Header,
    vault: &Vault,
    opens_with: OpensWith,
    now: DateTime<Utc>,
) -> Result<(Header, Vault), BackupError> {
    Ok(match opens_with {
        OpensWith::DeskSecrets => (header.clone(), vault.clone()),
        OpensWith::Passphrase { passphrase, params } => {
            Header::with_only_passphrase(passphrase, params, now).map_err(envelope::from_vault)?
        }
        OpensWith::OwnKeys { header, vault } => (header.clone(), vault.clone()),
    })
}

/// `senco-desk-<school>-<yyyy-mm-dd>-<hhmm>.json`, the school's name made safe for any
/// file system.
pub fn file_name(school_name: &str, local_now: NaiveDateTime) -> String {
    let mut slug = String::new();
    for c in school_name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(40).collect();
    slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        slug = "school".into();
    }
    format!(
        "senco-desk-{slug}-{:04}-{:02}-{:02}-{:02}{:02}.json",
        local_now.year(),
        local_now.month(),
        local_now.day(),
        local_now.hour(),
        local_now.minute()
    )
}

#[cfg(test)]
mod contact_log_tests;
#[cfg(test)]
mod ehc_tests;
#[cfg(test)]
mod provision_tests;
#[cfg(test)]
mod referral_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod with_files_tests;

/// The records that do not open, by name (pupils' files, then provisions'), if any: a
/// backup is never made without them.
pub(crate) fn unreadable(desk: &Desk) -> Option<Vec<String>> {
    let names: Vec<String> = desk
        .damaged
        .iter()
        .map(|d| d.name.clone())
        .chain(
            desk.damaged_provisions
                .iter()
                .map(|id| format!("a provision's record ({id})")),
        )
        .chain(
            desk.damaged_entries
                .iter()
                .map(|id| format!("a contact log entry ({id})")),
        )
        .collect();
    (!names.is_empty()).then_some(names)
}
