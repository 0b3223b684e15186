//! The desk's own list of backups made from it, and when to remind that one is due.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A reminder (never a block) once the last backup is this old…
pub const REMIND_AFTER_DAYS: i64 = 7;
/// …or this many changes have been saved since it.
pub const REMIND_AFTER_CHANGES: u64 = 50;
/// How many backups settings lists.
const KEEP: usize = 10;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupLog {
    /// Newest first.
    pub entries: Vec<BackupEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupEntry {
    #[serde(with = "crate::domain::dates::timestamp")]
    pub made: DateTime<Utc>,
    pub bytes: usize,
    pub fingerprint: String,
    /// The desk's save counter once this entry was saved: later saves are changes since.
    pub generation: u64,
    /// Opens with its own passphrase rather than the desk's.
    pub separate_passphrase: bool,
}

/// Why a backup is due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BackupDue {
    Never,
    Days(i64),
    Changes(u64),
}

impl BackupLog {
    pub fn latest(&self) -> Option<&BackupEntry> {
        self.entries.first()
    }

    pub fn add(&mut self, entry: BackupEntry) {
        self.entries.insert(0, entry);
        self.entries.truncate(KEEP);
    }

    /// Saves made since the latest backup.
    pub fn changes_since(&self, generation: u64) -> Option<u64> {
        self.latest()
            .map(|e| generation.saturating_sub(e.generation))
    }

    /// Whether to remind about a backup: none yet (once there is something to lose), a week
    /// old, or 50 changes behind.
    pub fn due(&self, now: DateTime<Utc>, generation: u64, has_records: bool) -> Option<BackupDue> {
        let Some(latest) = self.latest() else {
            return has_records.then_some(BackupDue::Never);
        };
        let changes = generation.saturating_sub(latest.generation);
        let days = (now - latest.made).num_days();
        if changes >= REMIND_AFTER_CHANGES {
            Some(BackupDue::Changes(changes))
        } else if days >= REMIND_AFTER_DAYS && changes > 0 {
            Some(BackupDue::Days(days))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap()
    }

    fn log_with_backup_on(day: u32, generation: u64) -> BackupLog {
        let mut log = BackupLog::default();
        log.add(BackupEntry {
            made: at(day),
            bytes: 1000,
            fingerprint: "aaaa bbbb cccc dddd".into(),
            generation,
            separate_passphrase: false,
        });
        log
    }

    #[test]
    fn a_desk_never_backed_up_is_due_once_it_holds_records() {
        let log = BackupLog::default();
        assert_eq!(log.due(at(20), 5, true), Some(BackupDue::Never));
        assert_eq!(log.due(at(20), 1, false), None);
    }

    #[test]
    fn a_week_old_backup_is_due_if_anything_changed() {
        let log = log_with_backup_on(10, 30);
        assert_eq!(log.due(at(16), 31, true), None, "six days");
        assert_eq!(log.due(at(17), 31, true), Some(BackupDue::Days(7)));
        assert_eq!(log.due(at(24), 30, true), None, "nothing changed since");
    }

    #[test]
    fn fifty_changes_make_a_backup_due_the_same_day() {
        let log = log_with_backup_on(20, 30);
        assert_eq!(log.due(at(20), 79, true), None);
        assert_eq!(log.due(at(20), 80, true), Some(BackupDue::Changes(50)));
        assert_eq!(log.changes_since(80), Some(50));
    }

    #[test]
    fn the_list_keeps_the_ten_newest_first() {
        let mut log = BackupLog::default();
        for day in 1..=12 {
            log.add(BackupEntry {
                made: at(day),
                bytes: day as usize,
                fingerprint: String::new(),
                generation: day as u64,
                separate_passphrase: false,
            });
        }
        assert_eq!(log.entries.len(), 10);
        assert_eq!(log.latest().unwrap().made, at(12));
        assert_eq!(log.entries.last().unwrap().made, at(3));
    }
}
