//! The sealed manifest: with every commit, the id of every record on the desk with a digest
//! of its sealed value (and a pupil file's revision), and the generation. It is sealed like
//! any record and written in the same commit as the records it lists, so at unlock a record
//! deleted, added, altered or put back from an older copy can be named (see `integrity`).
//! Kept in memory by `OpenDesk` and updated only for the records a commit writes.

use super::journal::Write;
use super::keys::{HEAD_RECORD, MANIFEST_RECORD, RECORD_PREFIX};
use crate::vault::sealed_bytes;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;

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

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The head's generation written in the same commit.
    pub generation: u64,
    /// Every record but the head and the manifest itself, by record id.
    pub records: BTreeMap<String, Entry>,
}

/// Whether a record belongs in the manifest: all but the head (whose generation the
/// manifest holds) and the manifest itself.
pub fn is_listed(record_id: &str) -> bool {
    record_id != HEAD_RECORD && record_id != MANIFEST_RECORD
}

impl Manifest {
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
}
