//! Where each part of the desk lives in storage. Everything is under one prefix so the app
//! can tell its own keys apart and measure its own use.

pub const PREFIX: &str = "senco-desk/";
pub const HEADER_KEY: &str = "senco-desk/header";
pub const JOURNAL_KEY: &str = "senco-desk/journal";
pub const RECORD_PREFIX: &str = "senco-desk/record/";
/// Sealed drafts of unsaved form text (see `drafts`): not records, never in a save.
pub const DRAFT_PREFIX: &str = "senco-desk/draft/";

/// Record ids of the desk-wide records.
pub const HEAD_RECORD: &str = "head";
pub const SETTINGS_RECORD: &str = "settings";
pub const ROSTER_RECORD: &str = "roster";
/// The list of backups made from this desk (optional: absent until the first).
pub const BACKUPS_RECORD: &str = "backups";
/// The pupils erased from the desk, by a one-way mark (optional: absent until the first).
pub const ERASED_RECORD: &str = "erased";
pub const PUPIL_RECORD_PREFIX: &str = "pupil-";
/// A pupil's sealed summary (see `domain::summary`), written with their file in the same
/// commit. Not in the manifest: every unlock checks it against the file and rebuilds it.
pub const SUMMARY_RECORD_PREFIX: &str = "summary-";
/// The sealed manifest: every other record's digest and revision, and the generation
/// (see `manifest`). Written by every commit from version 5.
pub const MANIFEST_RECORD: &str = "manifest";
/// Losses the SENCO accepted after tampering or damage was found (optional).
pub const ACCEPTED_LOSSES_RECORD: &str = "accepted-losses";
/// The highest generation this browser has seen, sealed (see `OpenDesk::generation_marker`).
/// In localStorage even when the desk is elsewhere, so a database rolled back alone is noticed.
pub const GENERATION_MARKER_KEY: &str = "senco-desk/highest-generation";
/// The id the marker is sealed under (its associated data), binding it to the desk.
pub const GENERATION_MARKER_RECORD: &str = "highest-generation";

pub fn record_key(record_id: &str) -> String {
    format!("{RECORD_PREFIX}{record_id}")
}

pub fn pupil_record_id(pupil_id: &str) -> String {
    format!("{PUPIL_RECORD_PREFIX}{pupil_id}")
}

pub fn summary_record_id(pupil_id: &str) -> String {
    format!("{SUMMARY_RECORD_PREFIX}{pupil_id}")
}

/// Each provision (issue 15) is a record of its own: `provision-<id>`.
pub const PROVISION_RECORD_PREFIX: &str = "provision-";

pub fn provision_record_id(provision_id: &str) -> String {
    format!("{PROVISION_RECORD_PREFIX}{provision_id}")
}

/// Each contact log entry (issue 17) is a record of its own: `log-<id>`.
pub const LOG_RECORD_PREFIX: &str = "log-";

pub fn log_record_id(entry_id: &str) -> String {
    format!("{LOG_RECORD_PREFIX}{entry_id}")
}
