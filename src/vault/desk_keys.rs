//! The sealed `keys` record: the list of the header's key slots (id, kind, label, role,
//! public key) and the desk key pair, sealed with the data key. The header is unsealed, so
//! its labels (written as "by" in every change history) and public keys (a rotation wraps
//! the new data key to them) are believed only when they match this record.

use super::header::{Header, KeySlot, SlotKind, Vault, MAX_EARLIER_KEYS};
use super::key::{DataKey, DeskSecret};
use super::{b64, slot_wrap, VaultError};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

/// The record id of the sealed list.
pub const KEYS_RECORD: &str = "keys";

/// What the header says of one slot, apart from the wrap itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotListing {
    pub id: String,
    pub kind: SlotKind,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
}

impl From<&KeySlot> for SlotListing {
    fn from(slot: &KeySlot) -> Self {
        SlotListing {
            id: slot.id.clone(),
            kind: slot.kind,
            label: slot.label.clone(),
            role: slot.role.clone(),
            public_key: slot.public_key.clone(),
        }
    }
}

#[derive(Serialize, Deserialize)]
pub struct KeysRecord {
    slots: Vec<SlotListing>,
    desk_public_key: String,
    /// base64 of the desk key pair's secret key.
    desk_secret_key: String,
    /// base64 of each earlier data key, newest first (absent until the first change).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    earlier_data_keys: Vec<String>,
}

impl Drop for KeysRecord {
    fn drop(&mut self) {
        self.desk_secret_key.zeroize();
        self.earlier_data_keys.zeroize();
    }
}

impl Header {
    pub fn listing(&self) -> Vec<SlotListing> {
        self.slots.iter().map(SlotListing::from).collect()
    }
}

impl Vault {
    /// The record to seal beside `header`; None until the desk has its key pair.
    pub fn keys_record(&self, header: &Header) -> Option<KeysRecord> {
        let secret = self.desk_secret.as_ref()?;
        Some(KeysRecord {
            slots: header.listing(),
            desk_public_key: header.desk_public_key.clone()?,
            desk_secret_key: b64::encode(&secret.0),
            earlier_data_keys: self.earlier.iter().map(|key| b64::encode(&key.0)).collect(),
        })
    }

    /// Checks the header against the sealed record (None: the desk has none) and keeps the
    /// desk's secret key. A desk from before the record existed (no desk key in its header)
    /// holds only slots an older app made: labelled "SENCO" and "Recovery key", no public
    /// keys, no person. Anything else was changed outside Senco Desk.
    pub fn check_keys(
        &mut self,
        header: &Header,
        record: Option<KeysRecord>,
    ) -> Result<(), VaultError> {
        let Some(public) = &header.desk_public_key else {
            let as_an_older_app_made_it = record.is_none()
                && header.slots.iter().all(|s| {
                    s.kind != SlotKind::Person
                        && s.public_key.is_none()
                        && s.role.is_none()
                        && s.label == s.kind.label()
                });
            return match as_an_older_app_made_it {
                true => Ok(()),
                false => Err(VaultError::SlotsChanged),
            };
        };
        let record = record.ok_or(VaultError::SlotsChanged)?;
        let secret: [u8; 32] = b64::decode(&record.desk_secret_key)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(VaultError::SlotsChanged)?;
        let secret = DeskSecret(secret);
        let pair_matches = b64::encode(&slot_wrap::public_key(&secret.0)) == *public;
        if record.slots != header.listing() || record.desk_public_key != *public || !pair_matches {
            return Err(VaultError::SlotsChanged);
        }
        let earlier: Option<Vec<DataKey>> = record
            .earlier_data_keys
            .iter()
            .take(MAX_EARLIER_KEYS)
            .map(|text| {
                let bytes = zeroize::Zeroizing::new(b64::decode(text).ok()?);
                Some(DataKey(bytes.as_slice().try_into().ok()?))
            })
            .collect();
        self.earlier = earlier.ok_or(VaultError::SlotsChanged)?;
        self.desk_secret = Some(secret);
        Ok(())
    }

    /// The desk's public key, once its key pair is known.
    pub fn has_desk_key_pair(&self) -> bool {
        self.desk_secret.is_some()
    }
}
