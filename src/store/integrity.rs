//! What unlocking found when it compared storage with the sealed manifest and this browser's
//! generation marker: each record missing, added, altered or older, by name. Storage cannot
//! tell tampering from damage, so the words say both.

use super::keys::*;
use super::manifest::{is_listed, part_of, Entry, Manifest};
use crate::domain::PupilId;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Which record a finding is about, in words a SENCO knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordName {
    /// A pupil's file, with their name from the roster when it is there.
    Pupil { id: PupilId, name: Option<String> },
    /// A desk-wide record, by its record id.
    Desk(String),
}

impl RecordName {
    pub fn of(record_id: &str, roster: &BTreeMap<PupilId, String>) -> RecordName {
        match record_id.strip_prefix(PUPIL_RECORD_PREFIX) {
            Some(id) => {
                let id = PupilId(id.to_string());
                RecordName::Pupil {
                    name: roster.get(&id).cloned(),
                    id,
                }
            }
            None => RecordName::Desk(record_id.to_string()),
        }
    }

    pub fn record_id(&self) -> String {
        match self {
            RecordName::Pupil { id, .. } => pupil_record_id(&id.0),
            RecordName::Desk(record_id) => record_id.clone(),
        }
    }
}

impl fmt::Display for RecordName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordName::Pupil {
                name: Some(name), ..
            } => f.write_str(name),
            RecordName::Pupil { id, name: None } => write!(f, "an unnamed pupil ({})", id.0),
            RecordName::Desk(id) => match id.as_str() {
                SETTINGS_RECORD => f.write_str("The desk's settings"),
                ROSTER_RECORD => f.write_str("The desk's list of pupils"),
                BACKUPS_RECORD => f.write_str("The list of backups made"),
                ERASED_RECORD => f.write_str("The list of erased pupils"),
                ACCEPTED_LOSSES_RECORD => f.write_str("The list of losses accepted"),
                other if other.starts_with(PROVISION_RECORD_PREFIX) => {
                    write!(f, "A provision's record ({other})")
                }
                other if other.starts_with(LOG_RECORD_PREFIX) => {
                    write!(f, "A contact log entry ({other})")
                }
                other => write!(f, "A record named \u{201c}{other}\u{201d}"),
            },
        }
    }
}

/// One thing found at unlock that Senco Desk did not save.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrityFinding {
    /// A record the manifest lists is not in storage.
    Missing(RecordName),
    /// A record in storage that the manifest does not list.
    Extra(RecordName),
    /// A record whose stored value is not the one saved; it may still open.
    Altered { record: RecordName, opens: bool },
    /// A pupil's file put back from an older copy: its revision is below the one saved.
    Older {
        record: RecordName,
        found: u64,
        saved: u64,
    },
    /// Storage holds an older desk than this desk (or this browser) last saved.
    OlderGeneration { found: u64, saved: u64 },
    /// The manifest is older than the head written with it.
    OlderManifest { found: u64, saved: u64 },
    /// The desk keeps a manifest (its head says so), but there is none.
    ManifestMissing,
    /// The manifest is there but does not open.
    ManifestDamaged,
    /// This browser's generation marker is there but does not open.
    MarkerDamaged,
}

impl IntegrityFinding {
    /// Who or what it is about: a pupil's name, or the part of the desk.
    pub fn who(&self) -> String {
        match self {
            IntegrityFinding::Missing(record)
            | IntegrityFinding::Extra(record)
            | IntegrityFinding::Altered { record, .. }
            | IntegrityFinding::Older { record, .. } => record.to_string(),
            IntegrityFinding::OlderGeneration { .. } => "The whole desk".into(),
            IntegrityFinding::OlderManifest { .. }
            | IntegrityFinding::ManifestMissing
            | IntegrityFinding::ManifestDamaged => "The desk's list of records".into(),
            IntegrityFinding::MarkerDamaged => {
                "This browser's note of the desk's latest save".into()
            }
        }
    }

    /// What was found, to follow [`IntegrityFinding::who`].
    pub fn what(&self) -> String {
        let pupil = matches!(
            self,
            IntegrityFinding::Missing(RecordName::Pupil { .. })
                | IntegrityFinding::Extra(RecordName::Pupil { .. })
                | IntegrityFinding::Altered {
                    record: RecordName::Pupil { .. },
                    ..
                }
        );
        let subject = if pupil { "their file " } else { "" };
        match self {
            IntegrityFinding::Missing(_) => format!("{subject}is missing from storage."),
            IntegrityFinding::Extra(_) if pupil => {
                "a file for them was added to storage outside Senco Desk.".into()
            }
            IntegrityFinding::Extra(_) => "was added to storage outside Senco Desk.".into(),
            IntegrityFinding::Altered { opens: true, .. } => {
                format!("{subject}was changed outside Senco Desk after it was last saved.")
            }
            IntegrityFinding::Altered { opens: false, .. } => {
                format!("{subject}was changed outside Senco Desk and no longer opens.")
            }
            IntegrityFinding::Older { found, saved, .. } => format!(
                "their file is an older copy (version {found}; version {saved} was saved), \
                 so anything recorded since is missing."
            ),
            IntegrityFinding::OlderGeneration { found, saved } => format!(
                "storage holds an older copy of the desk (save {found}; save {saved} was made), \
                 so changes saved since may be missing."
            ),
            IntegrityFinding::OlderManifest { found, saved } => format!(
                "it is an older copy (save {found}; save {saved} was made), so records \
                 changed since cannot be checked."
            ),
            IntegrityFinding::ManifestMissing => {
                "it is missing, so records removed with it cannot be named.".into()
            }
            IntegrityFinding::ManifestDamaged => {
                "it, or part of it, was changed or removed outside Senco Desk, so records \
                 removed cannot all be named."
                    .into()
            }
            IntegrityFinding::MarkerDamaged => {
                "it was changed outside Senco Desk and no longer opens.".into()
            }
        }
    }

    /// The record the finding is about, if it is about one record.
    pub fn record(&self) -> Option<&RecordName> {
        match self {
            IntegrityFinding::Missing(record)
            | IntegrityFinding::Extra(record)
            | IntegrityFinding::Altered { record, .. }
            | IntegrityFinding::Older { record, .. } => Some(record),
            _ => None,
        }
    }

    /// The pupil the finding is about, if any.
    pub fn pupil(&self) -> Option<&PupilId> {
        match self.record() {
            Some(RecordName::Pupil { id, .. }) => Some(id),
            _ => None,
        }
    }
}

impl fmt::Display for IntegrityFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.who(), self.what())
    }
}

/// What unlocking found of the manifest.
pub enum ManifestFound {
    /// None stored: a desk from before version 5, or one just moved.
    Absent,
    /// Stored, but it does not open.
    Damaged,
    /// Stored; the parts in the set were missing, changed or did not open, so the records
    /// that fall in them cannot be checked.
    Found(Manifest, BTreeSet<u8>),
}

/// Compares what storage holds (`stored`: each listed record's digest, and a pupil file's
/// revision when it opens) with the manifest and the head. `opens` says whether a record
/// whose digest differs still opens. `keeps_manifest` is the head's word that a manifest
/// was written with it.
pub fn compare(
    stored: &BTreeMap<String, Entry>,
    manifest: &ManifestFound,
    head_generation: u64,
    keeps_manifest: bool,
    roster: &BTreeMap<PupilId, String>,
    opens: impl Fn(&str) -> bool,
) -> Vec<IntegrityFinding> {
    let manifest = match manifest {
        ManifestFound::Absent if keeps_manifest => return vec![IntegrityFinding::ManifestMissing],
        ManifestFound::Absent => return Vec::new(),
        ManifestFound::Damaged => return vec![IntegrityFinding::ManifestDamaged],
        ManifestFound::Found(manifest, unchecked) => (manifest, unchecked),
    };
    let (manifest, unchecked) = manifest;
    let mut findings = Vec::new();
    if !unchecked.is_empty() {
        findings.push(IntegrityFinding::ManifestDamaged);
    }
    if manifest.generation > head_generation {
        findings.push(IntegrityFinding::OlderGeneration {
            found: head_generation,
            saved: manifest.generation,
        });
    } else if manifest.generation < head_generation {
        findings.push(IntegrityFinding::OlderManifest {
            found: manifest.generation,
            saved: head_generation,
        });
    }
    let name = |record_id: &str| RecordName::of(record_id, roster);
    let mut about_records = Vec::new();
    for (record_id, saved) in &manifest.records {
        match stored.get(record_id) {
            None => about_records.push(IntegrityFinding::Missing(name(record_id))),
            Some(found) if found.digest == saved.digest => {}
            Some(found) => about_records.push(match (found.revision, saved.revision) {
                (Some(found), Some(saved)) if found < saved => IntegrityFinding::Older {
                    record: name(record_id),
                    found,
                    saved,
                },
                _ => IntegrityFinding::Altered {
                    record: name(record_id),
                    opens: opens(record_id),
                },
            }),
        }
    }
    for record_id in stored.keys() {
        if is_listed(record_id)
            && !manifest.records.contains_key(record_id)
            && !unchecked.contains(&part_of(record_id))
        {
            about_records.push(IntegrityFinding::Extra(name(record_id)));
        }
    }
    // Desk-wide records first, then pupils by name.
    // (The record id settles two pupils of one name in the same order at every unlock.)
    about_records.sort_by_key(|f| {
        (
            f.pupil().is_some(),
            f.who(),
            f.record().map(RecordName::record_id),
        )
    });
    findings.extend(about_records);
    findings
}
