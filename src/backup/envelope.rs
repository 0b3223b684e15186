//! The backup file's outer JSON: what it is, which keys open it, and the sealed contents.
//! Everything in the clear here is about the file, never about a pupil or a person.

use super::error::BackupError;
use super::{BACKUP_FORMAT, BACKUP_VERSION, MAX_BACKUP_BYTES};
use crate::domain::dates::timestamp;
use crate::vault::{Header, KeySlot, SlotKind, Vault, VaultError, FORMAT_VERSION, STORE_FORMAT};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The format of issue 2's emergency download: raw sealed storage values. Still opened.
pub const SNAPSHOT_FORMAT: &str = "senco-desk/storage-snapshot";

/// Deflate level for a backup's records: on the benchmark's large school, 6 makes a file
/// within 1% of 9's size in well under 9's time.
const BACKUP_DEFLATE_LEVEL: u8 = 6;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    pub format: String,
    pub version: u32,
    /// The Senco Desk version that wrote the file, for support questions.
    pub app_version: String,
    /// When it was made (RFC 3339, UTC). Kept as written: the checksum and the contents'
    /// associated data use this exact text.
    pub created: String,
    /// Random; the same as the desk's when the backup opens with the desk's own secrets.
    pub desk_id: String,
    /// Key slots exactly as in a desk header: each holds its Argon2id settings and salt.
    pub slots: Vec<KeySlot>,
    /// base64 of `nonce || ciphertext || tag`: the deflated contents, AES-256-GCM sealed.
    pub contents: String,
    /// Version 2: the attached files whose sealed pieces follow in `"chunks"`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileEntry>,
    /// SHA-256 (hex) of [`Envelope::checksum_text`]: tells a damaged file from a wrong
    /// passphrase before any key is derived.
    pub checksum: String,
}

/// One attached file a version 2 backup carries: its id and how many pieces follow for it.
/// Nothing here names a pupil or the file: its name and key are in the sealed records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub id: String,
    pub chunks: u32,
}

/// What the first look at a file found.
pub enum Probe {
    Backup(Box<Envelope>),
    /// A backup with attached files (version 2): read as a stream ([`super::with_files`]).
    WithFiles,
    Snapshot,
}

impl Envelope {
    /// Seals `plaintext` (the contents JSON) into a new envelope (version 1: records only).
    pub fn seal(header: &Header, vault: &Vault, created: DateTime<Utc>, plaintext: &[u8]) -> Self {
        Envelope::seal_with_files(header, vault, created, plaintext, Vec::new())
    }

    /// As [`Envelope::seal`], listing the attached files whose pieces follow (version 2
    /// when there are any).
    pub fn seal_with_files(
        header: &Header,
        vault: &Vault,
        created: DateTime<Utc>,
        plaintext: &[u8],
        files: Vec<FileEntry>,
    ) -> Self {
        let mut envelope = Envelope {
            format: BACKUP_FORMAT.into(),
            version: if files.is_empty() {
                BACKUP_VERSION
            } else {
                super::FILES_VERSION
            },
            app_version: env!("CARGO_PKG_VERSION").into(),
            created: timestamp::format(&created),
            desk_id: header.desk_id().to_string(),
            slots: header.slots.clone(),
            contents: String::new(),
            files,
            checksum: String::new(),
        };
        // Level 9: a backup is made rarely and kept long, so smaller beats faster.
        let blob = vault.seal_bytes(&envelope.contents_aad(), plaintext, BACKUP_DEFLATE_LEVEL);
        envelope.contents = crate::vault::b64::encode(&blob);
        envelope.checksum = envelope.expected_checksum();
        envelope
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("an envelope always serialises")
    }

    /// Reads a chosen file's bytes, refusing anything that is not an intact backup.
    /// Cheap: nothing is derived or decrypted here.
    pub fn probe(bytes: &[u8]) -> Result<Probe, BackupError> {
        if bytes.len() > MAX_BACKUP_BYTES {
            return Err(BackupError::TooLarge { bytes: bytes.len() });
        }
        // A copy saved by an editor such as Notepad may start with a byte-order mark.
        let bytes = without_bom(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(BackupError::Empty);
        }
        #[derive(Deserialize)]
        struct Outline {
            format: Option<String>,
            version: Option<u64>,
        }
        let outline: Outline = serde_json::from_slice(bytes).map_err(|e| classify(bytes, &e))?;
        let format = outline.format.unwrap_or_default();
        if format == SNAPSHOT_FORMAT {
            return match outline.version {
                Some(1) => Ok(Probe::Snapshot),
                Some(v) if v > 1 => Err(BackupError::NewerFormat {
                    found: format!("snapshot {v}"),
                }),
                _ => Err(BackupError::Damaged("its version is missing".into())),
            };
        }
        if format != BACKUP_FORMAT {
            return Err(BackupError::OtherApp);
        }
        match outline.version {
            Some(v) if v == u64::from(BACKUP_VERSION) => {}
            Some(v) if v == u64::from(super::FILES_VERSION) => return Ok(Probe::WithFiles),
            Some(v) if v > u64::from(super::FILES_VERSION) => {
                return Err(BackupError::NewerFormat {
                    found: v.to_string(),
                })
            }
            _ => return Err(BackupError::Damaged("its version is missing".into())),
        }
        let envelope: Envelope = serde_json::from_slice(bytes)
            .map_err(|_| BackupError::Damaged("a part is missing or has the wrong shape".into()))?;
        if !envelope.files.is_empty() {
            return Err(BackupError::Damaged(
                "it lists attached files but is in the records-only format".into(),
            ));
        }
        envelope.check()?;
        Ok(Probe::Backup(Box::new(envelope)))
    }

    /// The checks every envelope passes before a key is derived: checksum, time, key slots.
    pub(super) fn check(&self) -> Result<(), BackupError> {
        let envelope = self;
        if envelope.checksum != envelope.expected_checksum() {
            return Err(BackupError::Damaged(
                "its contents do not match its checksum".into(),
            ));
        }
        if timestamp::parse(&envelope.created).is_none() {
            return Err(BackupError::Damaged(
                "its creation time is not a time".into(),
            ));
        }
        envelope.header().check().map_err(from_vault)?;
        check_backup_kdf(&envelope.slots)
    }

    /// When the file was made (checked to parse when the file was read).
    pub fn made(&self) -> DateTime<Utc> {
        timestamp::parse(&self.created).unwrap_or_default()
    }

    /// The key slots as a header, so the desk's own unlock code opens them.
    pub fn header(&self) -> Header {
        Header {
            format: STORE_FORMAT.into(),
            version: FORMAT_VERSION,
            desk_id: self.desk_id.clone(),
            created: self.made(),
            slots: self.slots.clone(),
            desk_public_key: None,
        }
    }

    /// Whether the desk's recovery key opens this file (not so for a separate passphrase).
    pub fn opens_with_recovery_key(&self) -> bool {
        self.slots.iter().any(|s| s.kind == SlotKind::RecoveryKey)
    }

    /// Derives the key from a passphrase or recovery key: the slow step.
    pub fn unlock(&self, secret: &str) -> Result<Vault, BackupError> {
        self.header().unlock(secret).map_err(from_vault)
    }

    /// Decrypts and inflates the contents JSON.
    pub fn open(&self, vault: &Vault) -> Result<zeroize::Zeroizing<Vec<u8>>, BackupError> {
        let blob = crate::vault::b64::decode(&self.contents)
            .map_err(|_| BackupError::Damaged("its contents are not readable".into()))?;
        vault
            .open_bytes(&self.contents_aad(), &blob, super::MAX_CONTENTS_BYTES)
            .ok_or_else(|| BackupError::Damaged("its contents fail their integrity check".into()))
    }

    /// The associated data binding the contents to this envelope's description.
    fn contents_aad(&self) -> String {
        format!(
            "{BACKUP_FORMAT}/v{}/{}/{}/contents",
            self.version, self.desk_id, self.created
        )
    }

    /// One field per line, in a fixed order (docs/FORMAT.md), so any reader can recompute it.
    pub fn checksum_text(&self) -> String {
        let mut lines = vec![
            self.format.clone(),
            self.version.to_string(),
            self.app_version.clone(),
            self.created.clone(),
            self.desk_id.clone(),
        ];
        for slot in &self.slots {
            let kind = match slot.kind {
                SlotKind::Passphrase => "passphrase",
                SlotKind::RecoveryKey => "recovery_key",
                SlotKind::Person => "person",
            };
            let kdf = &slot.kdf;
            lines.extend([
                slot.id.clone(),
                kind.into(),
                slot.label.clone(),
                kdf.algorithm.clone(),
                kdf.params.memory_kib.to_string(),
                kdf.params.iterations.to_string(),
                kdf.params.parallelism.to_string(),
                kdf.salt.clone(),
                slot.nonce.clone(),
                slot.wrapped_key.clone(),
            ]);
            // Version 5 slots' extra fields, each only when present, so older files' sums
            // are unchanged.
            for (name, value) in [
                ("role", &slot.role),
                ("public_key", &slot.public_key),
                ("ephemeral_key", &slot.ephemeral_key),
            ] {
                if let Some(value) = value {
                    lines.push(format!("{name}={value}"));
                }
            }
        }
        lines.push(self.contents.clone());
        // Version 2: each attached file carried, so none can be added or dropped unseen.
        for file in &self.files {
            lines.push(format!("file={}/{}", file.id, file.chunks));
        }
        lines.join("\n")
    }

    fn expected_checksum(&self) -> String {
        crate::vault::to_hex(&Sha256::digest(self.checksum_text().as_bytes()))
    }
}

/// Key settings a backup may ask for: at most four times the work of the app's own
/// (64 MiB, 3 passes), since deriving runs while the page waits. Tighter than a stored desk's
/// limits, because a file can come from anywhere.
pub const MAX_BACKUP_KDF_MEMORY_KIB: u32 = 128 * 1024;
pub const MAX_BACKUP_KDF_WORK: u64 = 4 * 64 * 1024 * 3;

pub(super) fn check_backup_kdf(slots: &[KeySlot]) -> Result<(), BackupError> {
    for slot in slots {
        let params = slot.kdf.params;
        let work = u64::from(params.memory_kib) * u64::from(params.iterations);
        if params.memory_kib > MAX_BACKUP_KDF_MEMORY_KIB || work > MAX_BACKUP_KDF_WORK {
            return Err(BackupError::UnsafeKdfParams(format!(
                "{} KiB of memory and {} passes",
                params.memory_kib, params.iterations
            )));
        }
    }
    Ok(())
}

pub(super) fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// The short fingerprint shown after a download and in the list of backups: the first
/// eight bytes of the file's SHA-256, in four groups, so two copies can be compared by eye.
pub fn fingerprint(file: &[u8]) -> String {
    short_fingerprint(&Sha256::digest(file).into())
}

/// The fingerprint from a file's SHA-256, for a file read as a stream.
pub fn short_fingerprint(sha256: &[u8; 32]) -> String {
    let hex = crate::vault::to_hex(&sha256[..8]);
    hex.as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).expect("hex is ASCII"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Tells a cut-short file from one that is not JSON, or JSON of another shape.
pub(super) fn classify(bytes: &[u8], error: &serde_json::Error) -> BackupError {
    let text = String::from_utf8_lossy(bytes);
    let looks_like_ours = text.trim_start().starts_with('{') && text.contains("\"senco-desk/");
    if error.is_eof() {
        if looks_like_ours {
            BackupError::Truncated
        } else {
            BackupError::NotJson
        }
    } else if error.is_data() {
        BackupError::OtherApp
    } else if looks_like_ours {
        BackupError::Damaged("it is no longer valid JSON".into())
    } else {
        BackupError::NotJson
    }
}

pub(super) fn from_vault(error: VaultError) -> BackupError {
    match error {
        VaultError::WrongSecret => BackupError::WrongSecret,
        VaultError::UnsafeKdfParams(detail) => BackupError::UnsafeKdfParams(detail),
        VaultError::WeakKdfParams(detail) => BackupError::WeakKdfParams(detail),
        VaultError::NewerFormat { found } => BackupError::NewerFormat { found },
        VaultError::DamagedHeader(detail) => BackupError::Damaged(detail),
        VaultError::DamagedRecord { record_id } => {
            BackupError::Damaged(format!("record {record_id} does not open"))
        }
        // Not met opening a file (no keys record, no label typed), but named all the same.
        VaultError::SlotsChanged | VaultError::BadLabel(_) | VaultError::PassphraseNeeded => {
            BackupError::Damaged("its key slots".into())
        }
    }
}
