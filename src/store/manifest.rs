//! The sealed manifest: with every commit, the id of every record on the desk with a digest
//! of its sealed value (and a pupil file's revision), and the generation. It is sealed like
//! any record and written in the same commit as the records it lists, so at unlock a record
//! deleted, added, altered or put back from an older copy can be named (see `integrity`).
//! Kept in memory by `OpenDesk` and updated only for the records a commit writes.
//!
//! Stored in parts, so that saving one edit at 2,000 pupils seals a few kilobytes, not the
//! whole list: each record id falls in one of [`PARTS`] parts (`manifest-<n>`, the records
//! whose ids hash to it), and the `manifest` record itself holds the generation and the
//! digest of every part. A commit rewrites the parts holding the records it writes, and
//! the `manifest` record.

use super::journal::Write;
use super::keys::{HEAD_RECORD, MANIFEST_RECORD, RECORD_PREFIX, SUMMARY_RECORD_PREFIX};
use crate::vault::sealed_bytes;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The first 16 bytes of SHA-256 of a record's sealed bytes (`nonce || ciphertext ||
/// tag`), hex in the manifest's JSON. Of the bytes, not of the text that holds them, so
/// the same sealed record in another encoding (base64, dense text, bytes) is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordDigest([u8; 16]);

impl RecordDigest {
    /// Of a stored value; a value that is not sealed text is digested as it is (it
    /// differs from anything saved, and does not open).
    pub fn of(stored: &str) -> RecordDigest {
        match sealed_bytes(stored) {
            Some(blob) => RecordDigest::of_sealed(&blob),
            None => RecordDigest::of_sealed(stored.as_bytes()),
        }
    }

    pub fn of_sealed(blob: &[u8]) -> RecordDigest {
        let full = Sha256::digest(blob);
        let mut first = [0u8; 16];
        first.copy_from_slice(&full[..16]);
        RecordDigest(first)
    }
}

impl Serialize for RecordDigest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::vault::to_hex(&self.0))
    }
}

impl<'de> Deserialize<'de> for RecordDigest {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <&str>::deserialize(d)?;
        let bad = || serde::de::Error::custom("a digest is 32 hex digits");
        if text.len() != 32 || !text.is_ascii() {
            return Err(bad());
        }
        let mut bytes = [0u8; 16];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
        }
        Ok(RecordDigest(bytes))
    }
}

/// What the manifest holds for one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub digest: RecordDigest,
    /// A pupil file's revision, so a copy put back from before can be told from one
    /// changed: absent for records without one (and for a file that did not open).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<u64>,
}

/// The manifest as a whole, in memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// The head's generation written in the same commit.
    pub generation: u64,
    /// Every record but the head and the manifest itself, by record id.
    pub records: Listed,
    /// The digest of each part as stored.
    pub parts: BTreeMap<u8, RecordDigest>,
    /// Whether the stored parts hold exactly `records`; if not (no manifest yet, or
    /// something found at unlock), the next commit rewrites every part.
    pub parts_current: bool,
}

/// How many parts the manifest is stored in.
pub const PARTS: u8 = 64;

/// The records a manifest lists, kept by part, each part shared with the manifest it was
/// copied from until one of its records changes: the manifest of the next commit then
/// costs the parts it touches, not a copy of every record of a large school.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listed {
    parts: BTreeMap<u8, std::sync::Arc<BTreeMap<String, Entry>>>,
}

impl Listed {
    pub fn get(&self, record_id: &str) -> Option<&Entry> {
        self.parts.get(&part_of(record_id))?.get(record_id)
    }

    pub fn contains_key(&self, record_id: &str) -> bool {
        self.get(record_id).is_some()
    }

    pub fn insert(&mut self, record_id: String, entry: Entry) {
        let part = self.parts.entry(part_of(&record_id)).or_default();
        std::sync::Arc::make_mut(part).insert(record_id, entry);
    }

    pub fn remove(&mut self, record_id: &str) {
        let part = part_of(record_id);
        let Some(records) = self.parts.get_mut(&part) else {
            return;
        };
        if records.contains_key(record_id) {
            std::sync::Arc::make_mut(records).remove(record_id);
            if records.is_empty() {
                self.parts.remove(&part);
            }
        }
    }

    /// The records of one part (none if it has none).
    pub fn part(&self, part: u8) -> Option<&BTreeMap<String, Entry>> {
        self.parts.get(&part).map(|records| &**records)
    }

    /// Every record, part by part.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Entry)> {
        self.parts.values().flat_map(|records| records.iter())
    }

    pub fn len(&self) -> usize {
        self.parts.values().map(|records| records.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

impl Extend<(String, Entry)> for Listed {
    fn extend<I: IntoIterator<Item = (String, Entry)>>(&mut self, records: I) {
        for (record_id, entry) in records {
            self.insert(record_id, entry);
        }
    }
}

impl FromIterator<(String, Entry)> for Listed {
    fn from_iter<I: IntoIterator<Item = (String, Entry)>>(records: I) -> Listed {
        let mut listed = Listed::default();
        listed.extend(records);
        listed
    }
}

impl<'a> IntoIterator for &'a Listed {
    type Item = (&'a String, &'a Entry);
    type IntoIter = Box<dyn Iterator<Item = (&'a String, &'a Entry)> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// The `manifest` record: the generation and the digest of every part.
#[derive(Debug, Serialize, Deserialize)]
pub struct Root {
    pub generation: u64,
    pub parts: BTreeMap<u8, RecordDigest>,
}

/// A `manifest-<n>` record, as read.
#[derive(Debug, Deserialize)]
pub struct Part {
    pub records: BTreeMap<String, Entry>,
}

#[derive(Serialize)]
struct PartToWrite<'a> {
    records: BTreeMap<&'a str, &'a Entry>,
}

/// The part a record id falls in: FNV-1a (32 bits) of its UTF-8 bytes, modulo [`PARTS`].
pub fn part_of(record_id: &str) -> u8 {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in record_id.bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    (hash % u32::from(PARTS)) as u8
}

/// The record id of a part: `manifest-<n>`.
pub fn part_record_id(part: u8) -> String {
    format!("{MANIFEST_RECORD}-{part}")
}

/// Whether a record belongs in the manifest: all but the head (whose generation the
/// manifest holds), the manifest's own records, and pupils' summaries (each checked
/// against the pupil's file, which is listed, at every unlock, and rebuilt from it).
pub fn is_listed(record_id: &str) -> bool {
    record_id != HEAD_RECORD
        && !record_id.starts_with(SUMMARY_RECORD_PREFIX)
        && record_id != MANIFEST_RECORD
        && !record_id
            .strip_prefix(MANIFEST_RECORD)
            .is_some_and(|rest| rest.starts_with('-'))
}

impl Manifest {
    /// This manifest, with every part to be sealed again by the next commit (a new key).
    pub fn with_every_part_rewritten(&self) -> Manifest {
        Manifest {
            parts_current: false,
            ..self.clone()
        }
    }

    /// The manifest once `writes` are committed as `generation`: only the records written
    /// or removed change. `revisions` holds the revision of each pupil file written.
    pub fn after(
        &self,
        writes: &[Write],
        revisions: &BTreeMap<String, u64>,
        generation: u64,
    ) -> Manifest {
        let mut next = self.clone();
        next.generation = generation;
        for (key, value) in writes {
            let Some(record_id) = key.strip_prefix(RECORD_PREFIX) else {
                continue;
            };
            if !is_listed(record_id) {
                continue;
            }
            match value {
                Some(stored) => {
                    next.records.insert(
                        record_id.to_string(),
                        Entry {
                            digest: RecordDigest::of(stored),
                            revision: revisions.get(record_id).copied(),
                        },
                    );
                }
                None => {
                    next.records.remove(record_id);
                }
            }
        }
        next
    }

    /// The manifest once `writes` are committed as `generation`, with the writes that
    /// store it added to `writes`: the parts holding a record written (every part, if the
    /// stored parts are not current), then the `manifest` record. `seal` seals a record.
    pub fn seal_after(
        &self,
        writes: &mut Vec<Write>,
        revisions: &BTreeMap<String, u64>,
        generation: u64,
        seal: impl Fn(&str, &[u8]) -> String,
    ) -> Manifest {
        let mut next = self.after(writes, revisions, generation);
        let touched: BTreeSet<u8> = if self.parts_current {
            writes
                .iter()
                .filter_map(|(key, _)| key.strip_prefix(RECORD_PREFIX))
                .filter(|id| is_listed(id))
                .map(part_of)
                .collect()
        } else {
            (0..PARTS).collect()
        };
        let mut digests = next.parts.clone();
        for part in &touched {
            let key = format!("{RECORD_PREFIX}{}", part_record_id(*part));
            let records = next.records.part(*part).map(|records| PartToWrite {
                records: records
                    .iter()
                    .map(|(id, entry)| (id.as_str(), entry))
                    .collect(),
            });
            match &records {
                None => {
                    digests.remove(part);
                    // Nothing to remove when it was never written.
                    if self.parts.contains_key(part) || !self.parts_current {
                        writes.push((key, None));
                    }
                }
                Some(records) => {
                    let json = serde_json::to_vec(records).expect("a manifest always serialises");
                    let sealed = seal(&part_record_id(*part), &json);
                    digests.insert(*part, RecordDigest::of(&sealed));
                    writes.push((key, Some(sealed)));
                }
            }
        }
        let root = Root {
            generation,
            parts: digests,
        };
        let json = serde_json::to_vec(&root).expect("a manifest always serialises");
        writes.push((
            format!("{RECORD_PREFIX}{MANIFEST_RECORD}"),
            Some(seal(MANIFEST_RECORD, &json)),
        ));
        next.parts = root.parts;
        next.parts_current = true;
        next
    }
}
