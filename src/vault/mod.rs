//! The vault: key derivation, key slots and sealed records. Pure Rust, tested natively.
//! The exact format is in docs/FORMAT.md.

mod argon2id;
pub mod attachment;
pub mod dense;
mod desk_keys;
mod erasure;
mod error;
mod header;
mod kdf;
mod key;
mod recovery;
mod seal;
mod slot_wrap;
#[cfg(target_arch = "wasm32")]
pub mod web_crypto;

pub use desk_keys::{KeysRecord, SlotListing, KEYS_RECORD};
pub use erasure::{erasure_mark, is_erasure_mark};
pub use error::VaultError;
pub use header::{
    check_label, check_new_passphrase, strength_hint, Header, KeyChange, KeySlot, NewDeskKeys,
    Opened, Rotation, SecretChange, SlotKind, Vault, MAX_LABEL_CHARS, MAX_SLOTS,
    MIN_PASSPHRASE_CHARS,
};
pub use kdf::{at_once, DeriveKey, KdfParams, OnThisThread};
pub use key::random_bytes;
pub use key::to_hex;
pub use recovery::RecoveryKey;
pub use seal::{sealed_bytes, BASE64_RECORD_PREFIX, RECORD_PREFIX};

/// The name in every header and every associated-data string.
pub const STORE_FORMAT: &str = "senco-desk/store";
/// The store format this app writes: the header's `version`. Version 2 desks may hold
/// dense (`v2.`) records; version 3 desks may hold records with ids and tombstones and an
/// erased-pupils record, which an older app would drop on saving, so it must refuse them;
/// version 4 desks may hold a pupil whose date of birth is unknown (null, "to correct"),
/// which an older app would take for a damaged file; version 5 desks live in IndexedDB (a
/// version 5 header left in localStorage only says the desk has moved there). It reads
/// every version up to this one.
pub const FORMAT_VERSION: u32 = 5;
/// The newest record text this app reads and writes (`v2.`, dense text).
pub const RECORD_TEXT_VERSION: u32 = 2;
/// The version inside every associated-data string (`senco-desk/store/v1/...`). Fixed at 1
/// for good: every key slot and record already sealed is bound to it, and a record's
/// text encoding (the thing version 2 changed) is outside what is sealed.
pub const AAD_VERSION: u32 = 1;

/// Standard base64 with padding, as stored.
pub mod b64 {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;

    pub fn encode(bytes: &[u8]) -> String {
        STANDARD.encode(bytes)
    }

    pub fn decode(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
        decode_bytes(text.as_bytes())
    }

    /// As [`decode`], from the text's bytes (a piece of a backup, read as bytes).
    pub fn decode_bytes(text: &[u8]) -> Result<Vec<u8>, base64::DecodeError> {
        STANDARD.decode(text)
    }
}

#[cfg(test)]
mod derive_elsewhere_tests;
#[cfg(test)]
mod tests;
