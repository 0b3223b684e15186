//! Sealing records: deflate, then AES-256-GCM under the data key with a fresh nonce, bound
//! to the desk and the record's id so a blob moved elsewhere fails to open.

use super::error::VaultError;
use super::header::{cipher, Vault};
use super::key::{random_bytes, NONCE_LEN};
use super::{b64, dense, AAD_VERSION, RECORD_TEXT_VERSION, STORE_FORMAT};
use aes_gcm::aead::{Aead, Payload};
use aes_gcm::Nonce;
use miniz_oxide::deflate::compress_to_vec;
use miniz_oxide::inflate::decompress_to_vec_with_limit;
use zeroize::Zeroizing;

/// Every sealed value starts with a version prefix, so a later format can be told apart.
/// This app writes dense text (15 bits per UTF-16 unit, see [`dense`]): in localStorage,
/// which counts UTF-16 units, a record takes about 40% of the room base64 took.
pub const RECORD_PREFIX: &str = "v2.";
/// Records written by earlier apps: base64 of the same bytes. Read for good, never written.
pub const BASE64_RECORD_PREFIX: &str = "v1.";
/// No real record is this large once opened; the limit stops a crafted one eating memory.
const MAX_OPENED_BYTES: usize = 32 * 1024 * 1024;
/// Deflate level: 6 is zlib's default balance of size and speed.
const DEFLATE_LEVEL: u8 = 6;

impl Vault {
    pub fn desk_id(&self) -> &str {
        &self.desk_id
    }

    /// Seals a record's plaintext (JSON) for storage as text.
    pub fn seal(&self, record_id: &str, plaintext: &[u8]) -> String {
        let aad = record_aad(&self.desk_id, record_id);
        let blob = self.seal_bytes(&aad, plaintext, DEFLATE_LEVEL);
        format!("{RECORD_PREFIX}{}", dense::encode(&blob))
    }

    /// Deflates and seals bytes bound to `aad`: `nonce || ciphertext || tag`.
    pub fn seal_bytes(&self, aad: &str, plaintext: &[u8], level: u8) -> Vec<u8> {
        let compressed = Zeroizing::new(compress_to_vec(plaintext, level));
        self.seal_deflated(aad, &compressed)
    }

    /// Seals bytes already deflated, with a fresh nonce.
    fn seal_deflated(&self, aad: &str, compressed: &[u8]) -> Vec<u8> {
        let nonce = random_bytes::<NONCE_LEN>();
        let sealed = cipher(&self.key.0)
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: compressed,
                    aad: aad.as_bytes(),
                },
            )
            .expect("AES-GCM encryption cannot fail");
        let mut blob = Vec::with_capacity(NONCE_LEN + sealed.len());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&sealed);
        blob
    }

    /// The deflated bytes inside a sealed blob; None if it does not open with this key.
    fn open_deflated(&self, aad: &str, blob: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if blob.len() < NONCE_LEN + 16 {
            return None;
        }
        let (nonce, sealed) = blob.split_at(NONCE_LEN);
        cipher(&self.key.0)
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: aad.as_bytes(),
                },
            )
            .ok()
            .map(Zeroizing::new)
    }

    /// Opens what [`Vault::seal_bytes`] made; None if it was changed, belongs elsewhere, or
    /// would inflate beyond `limit` bytes.
    pub fn open_bytes(&self, aad: &str, blob: &[u8], limit: usize) -> Option<Zeroizing<Vec<u8>>> {
        let compressed = self.open_deflated(aad, blob)?;
        decompress_to_vec_with_limit(&compressed, limit)
            .ok()
            .map(Zeroizing::new)
    }

    /// Opens a sealed record, checking it belongs to this desk and this record id.
    pub fn open(&self, record_id: &str, stored: &str) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let damaged = || VaultError::DamagedRecord {
            record_id: record_id.to_string(),
        };
        let blob = match sealed_bytes(stored) {
            Some(blob) => blob,
            None => {
                return Err(match newer_version(stored) {
                    Some(found) => VaultError::NewerFormat { found },
                    None => damaged(),
                })
            }
        };
        self.open_sealed(record_id, &blob)
    }

    /// Opens a record's sealed bytes (see [`sealed_bytes`]).
    pub fn open_sealed(
        &self,
        record_id: &str,
        blob: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let aad = record_aad(&self.desk_id, record_id);
        self.open_bytes(&aad, blob, MAX_OPENED_BYTES)
            .ok_or_else(|| VaultError::DamagedRecord {
                record_id: record_id.to_string(),
            })
    }

    /// A stored record sealed again under `to`'s key (a rotation), with a fresh nonce: the
    /// deflated bytes are decrypted and encrypted again, never inflated, so a rotation does
    /// not deflate the whole desk anew. None if it does not open with this key.
    pub fn reseal(&self, record_id: &str, stored: &str, to: &Vault) -> Option<String> {
        let compressed = self.open_deflated(
            &record_aad(&self.desk_id, record_id),
            &sealed_bytes(stored)?,
        )?;
        let blob = to.seal_deflated(&record_aad(&to.desk_id, record_id), &compressed);
        Some(format!("{RECORD_PREFIX}{}", dense::encode(&blob)))
    }
}

/// A stored record's sealed bytes (`nonce || ciphertext || tag`), whichever text encoding
/// holds them (dense `v2.` or base64 `v1.`): None if the text is neither.
pub fn sealed_bytes(stored: &str) -> Option<Vec<u8>> {
    if let Some(body) = stored.strip_prefix(RECORD_PREFIX) {
        dense::decode(body)
    } else if let Some(body) = stored.strip_prefix(BASE64_RECORD_PREFIX) {
        b64::decode(body).ok()
    } else {
        None
    }
}

/// "v7.…" from a later app: the version number, if the value is shaped that way.
fn newer_version(stored: &str) -> Option<String> {
    let rest = stored.strip_prefix('v')?;
    let (number, _) = rest.split_once('.')?;
    let number: u32 = number.parse().ok()?;
    (number > RECORD_TEXT_VERSION).then(|| number.to_string())
}

pub(super) fn record_aad(desk_id: &str, record_id: &str) -> String {
    format!("{STORE_FORMAT}/v{AAD_VERSION}/{desk_id}/record/{record_id}")
}
