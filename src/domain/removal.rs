//! Deletions made on purpose, kept as tombstones so a merge with an older copy of the desk
//! applies them instead of bringing the record back: a removed contact, a deleted draft
//! plan, an erased pupil. A tombstone holds an id and a time, never what was deleted.

use super::dates::{iso_date, timestamp};
use super::pupil::PupilFile;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// What kind of record a tombstone stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Removed {
    Contact,
    Plan,
    Note,
    /// An attached file deleted on purpose.
    Attachment,
}

/// A record in a pupil's file deleted on purpose.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Removal {
    pub what: Removed,
    pub id: String,
    #[serde(with = "timestamp")]
    pub at: DateTime<Utc>,
}

/// A pupil erased from the desk. `mark` is a one-way fingerprint of the pupil's random id
/// (worked out by the vault), so an older backup holding the pupil is recognised without
/// the desk keeping their id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Erasure {
    pub mark: String,
    #[serde(with = "iso_date")]
    pub on: NaiveDate,
}

impl Erasure {
    /// Two desks' lists as one, one entry per pupil (the earliest erasure).
    pub fn combine(a: &[Erasure], b: &[Erasure]) -> Vec<Erasure> {
        let mut all: Vec<Erasure> = a.iter().chain(b).cloned().collect();
        all.sort();
        all.dedup_by(|later, earlier| later.mark == earlier.mark);
        all
    }
}

/// The most tombstones one file (or erasures one desk) may carry from outside.
pub const MAX_REMOVALS: usize = 10_000;

impl PupilFile {
    /// Whether a record of this kind and id was deleted on purpose.
    pub fn was_removed(&self, what: Removed, id: &str) -> bool {
        self.removed.iter().any(|r| r.what == what && r.id == id)
    }

    /// Adds a tombstone for every contact, plan or note that `before` had and this file no
    /// longer has: called on every save, so however a record goes, the deletion travels.
    pub fn record_removals(&mut self, before: &PupilFile, at: DateTime<Utc>) {
        let mut gone = Vec::new();
        for contact in &before.pupil.contacts {
            if !self.pupil.contacts.iter().any(|c| c.id == contact.id) {
                gone.push((Removed::Contact, contact.id.clone()));
            }
        }
        for plan in &before.plans {
            if !self.plans.iter().any(|p| p.id == plan.id) {
                gone.push((Removed::Plan, plan.id.clone()));
            }
        }
        for note in &before.notes {
            if !self.notes.iter().any(|n| n.id == note.id) {
                gone.push((Removed::Note, note.id.clone()));
            }
        }
        for file in &before.attachments {
            if self.attachment(&file.id).is_none() {
                gone.push((Removed::Attachment, file.id.clone()));
            }
        }
        for (what, id) in gone {
            if !id.is_empty() && !self.was_removed(what, &id) {
                self.removed.push(Removal { what, id, at });
            }
        }
    }
}
