//! What can be wrong with a backup file, worded for the person choosing it.

use crate::domain::text::thousands;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupError {
    /// The file has no bytes (or only spaces).
    Empty,
    /// Larger than a records-only backup can be, and not a backup with attached files.
    TooLarge { bytes: usize },
    /// Not JSON text at all.
    NotJson,
    /// JSON, but made by another program.
    OtherApp,
    /// Ends part-way through: cut short while copying.
    Truncated,
    /// Changed or corrupted since it was made; the detail says which part.
    Damaged(String),
    /// Made by a newer Senco Desk.
    NewerFormat { found: String },
    /// Key settings far beyond the app's own: trying them would freeze the tab.
    UnsafeKdfParams(String),
    /// Key settings below the least allowed: its passphrase would be cheap to guess.
    WeakKdfParams(String),
    /// No key slot opened with the secret given.
    WrongSecret,
    /// Two pupils in the file share one id.
    DuplicatePupil { id: String },
    /// A record refers to a pupil the file does not hold.
    MissingPupil { record: String, pupil_id: String },
    /// A record's contents break a rule (names, ids, settings).
    InvalidRecord(String),
    /// Export only: these records could not be opened, so no partial backup was made.
    Unreadable { names: Vec<String> },
    /// Export only: the file made did not read back the same as the desk.
    CheckFailed(String),
    /// Export only: an attached file's pieces could not all be read from this browser.
    FileUnreadable { name: String, detail: String },
    /// Restoring: the attached files' pieces could not be stored.
    Storage(String),
    /// Read as a backup with attached files, it did not start as one (no `chunks` member
    /// after the envelope): a large file is then too large for any other backup.
    NotWithFiles,
}

impl fmt::Display for BackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackupError::Empty => write!(
                f,
                "This file is empty. It may not have finished saving: choose another copy of the backup."
            ),
            BackupError::TooLarge { bytes } => write!(
                f,
                "This file is {} MB, larger than a records-only Senco Desk backup can be ({} MB at most), and it is not a backup with attached files, so it was not opened. Check you chose the right file.",
                megabytes(*bytes),
                super::MAX_BACKUP_BYTES / (1024 * 1024)
            ),
            BackupError::NotJson => write!(
                f,
                "This is not a Senco Desk backup: it is not a JSON file. Backups are named like senco-desk-your-school-2026-11-23-1405.json."
            ),
            BackupError::OtherApp => write!(
                f,
                "This JSON file was not made by Senco Desk, so it is not a backup this app can open."
            ),
            BackupError::Truncated => write!(
                f,
                "This backup file is incomplete: it stops part-way through, as if copying was interrupted. Try another copy."
            ),
            BackupError::Damaged(detail) => write!(
                f,
                "This backup file is damaged ({detail}), so it cannot be trusted and was not opened. Try another copy."
            ),
            BackupError::NewerFormat { found } => write!(
                f,
                "This backup was made by a newer version of Senco Desk (format {found}). Update Senco Desk, then open it again."
            ),
            BackupError::UnsafeKdfParams(detail) => write!(
                f,
                "This file asks for key settings far beyond what Senco Desk uses ({detail}). Senco Desk did not make it, and it was not opened."
            ),
            BackupError::WeakKdfParams(detail) => write!(
                f,
                "This file's key settings are weaker than Senco Desk allows ({detail}), so its passphrase would be quick to guess. Senco Desk did not make it, and it was not opened."
            ),
            BackupError::WrongSecret => write!(
                f,
                "That passphrase or recovery key does not open this backup. A backup opens with the desk's passphrase or recovery key as they were when it was made, or with the separate passphrase set for it. Check Caps Lock and try again."
            ),
            BackupError::DuplicatePupil { id } => write!(
                f,
                "This backup is not valid: two pupils in it share the id {id}, so it was not opened."
            ),
            BackupError::MissingPupil { record, pupil_id } => write!(
                f,
                "This backup is not valid: {record} belongs to a pupil ({pupil_id}) who is not in the file, so it was not opened."
            ),
            BackupError::InvalidRecord(detail) => write!(
                f,
                "This backup is not valid: {detail}. It was not opened."
            ),
            BackupError::Unreadable { names } => write!(
                f,
                "No backup was made, because these records cannot be opened: {}. A backup is never made with records missing. Restore those records from an earlier backup first.",
                names.join("; ")
            ),
            BackupError::CheckFailed(detail) => write!(
                f,
                "No backup was saved: the file did not read back the same as the desk ({detail}). Try again."
            ),
            BackupError::FileUnreadable { name, detail } => write!(
                f,
                "No backup was made: the attached file \u{201c}{name}\u{201d} cannot be read from this browser ({detail}). Delete it and attach it again from the original, or make a records-only backup."
            ),
            BackupError::NotWithFiles => write!(
                f,
                "This file is not a Senco Desk backup with attached files, so it was not opened."
            ),
            BackupError::Storage(detail) => write!(
                f,
                "The backup's attached files could not be stored in this browser ({detail}). Nothing was changed."
            ),
        }
    }
}

impl std::error::Error for BackupError {}

/// 52428800 bytes as "50.0".
fn megabytes(bytes: usize) -> String {
    let tenths = (bytes as u64 * 10 + 524_288) / 1_048_576;
    format!("{}.{}", thousands((tenths / 10) as usize), tenths % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_megabytes() {
        let message = BackupError::TooLarge {
            bytes: 50 * 1024 * 1024,
        }
        .to_string();
        assert!(message.contains("50.0 MB"), "{message}");
        assert!(message.contains("32 MB at most"), "{message}");
    }
}
