//! The desk header: desk id and key slots, the only thing stored unsealed.
//!
//! Each key slot wraps the same data key under a key derived from one secret (the
//! passphrase or the recovery key), so changing the passphrase rewraps one slot and
//! touches no record.

use super::error::VaultError;
use super::kdf::{at_once, DeriveKey, KdfParams, OnThisThread};
use super::key::{random_bytes, to_hex, DataKey, KEY_LEN, NONCE_LEN, SALT_LEN};
use super::recovery::RecoveryKey;
use super::{b64, AAD_VERSION, FORMAT_VERSION, STORE_FORMAT};
use crate::domain::passphrase;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The shortest passphrase a desk accepts.
pub const MIN_PASSPHRASE_CHARS: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    Passphrase,
    RecoveryKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotKdf {
    pub algorithm: String,
    #[serde(flatten)]
    pub params: KdfParams,
    /// base64
    pub salt: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySlot {
    pub id: String,
    pub kind: SlotKind,
    /// Shown in the change history as who unlocked: "SENCO" or "Recovery key".
    pub label: String,
    pub kdf: SlotKdf,
    /// base64 of the 12-byte nonce.
    pub nonce: String,
    /// base64 of the data key sealed with AES-256-GCM (32 bytes + 16-byte tag).
    pub wrapped_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub desk_id: String,
    #[serde(with = "crate::domain::dates::timestamp")]
    pub created: DateTime<Utc>,
    pub slots: Vec<KeySlot>,
}

/// An unlocked desk's key. Dropping it wipes the key.
#[derive(Debug, Clone)]
pub struct Vault {
    pub(super) desk_id: String,
    pub(super) key: DataKey,
    /// The label of the slot that opened the desk.
    pub unlocked_with: String,
}

/// Checks a new passphrase as typed twice: long enough, not one an attacker would try
/// early (see [`crate::domain::passphrase`]; `school` is the school's name, if known), and
/// the same both times.
pub fn check_new_passphrase(passphrase: &str, again: &str, school: &str) -> Result<(), String> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(format!(
            "Use at least {MIN_PASSPHRASE_CHARS} characters. A short sentence is easy to remember and hard to guess."
        ));
    }
    if let Some(refusal) = passphrase::assess(passphrase, school).refusal() {
        return Err(refusal);
    }
    if passphrase != again {
        return Err("The two passphrases are not the same.".into());
    }
    Ok(())
}

/// A plain hint about how hard a passphrase is to guess, shown as it is typed.
pub fn strength_hint(passphrase: &str, school: &str) -> String {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        "Too short".to_string()
    } else {
        passphrase::assess(passphrase, school).hint()
    }
}

/// The keys of a desk made now: a fresh data key and desk id, a passphrase slot and a
/// recovery-key slot. Only [`NewDeskKeys::make`] makes one, so whatever takes it (a restore)
/// is sure its keys come from no file.
pub struct NewDeskKeys {
    header: Header,
    vault: Vault,
    recovery: RecoveryKey,
}

impl NewDeskKeys {
    /// The slow step: derives a key for each slot.
    pub fn make(
        passphrase: &str,
        params: KdfParams,
        now: DateTime<Utc>,
    ) -> Result<NewDeskKeys, VaultError> {
        at_once(NewDeskKeys::make_with(
            passphrase,
            params,
            now,
            &OnThisThread,
        ))
    }

    /// As [`NewDeskKeys::make`], each key derived by `kdf`.
    pub async fn make_with(
        passphrase: &str,
        params: KdfParams,
        now: DateTime<Utc>,
        kdf: &impl DeriveKey,
    ) -> Result<NewDeskKeys, VaultError> {
        let (header, vault, recovery) = Header::create_with(passphrase, params, now, kdf).await?;
        Ok(NewDeskKeys {
            header,
            vault,
            recovery,
        })
    }

    pub fn into_parts(self) -> (Header, Vault, RecoveryKey) {
        (self.header, self.vault, self.recovery)
    }
}

impl Header {
    /// Makes a new desk: a fresh data key, one passphrase slot and one recovery-key slot.
    pub fn create(
        passphrase: &str,
        params: KdfParams,
        now: DateTime<Utc>,
    ) -> Result<(Header, Vault, RecoveryKey), VaultError> {
        at_once(Header::create_with(passphrase, params, now, &OnThisThread))
    }

    /// As [`Header::create`], each key derived by `kdf`.
    pub async fn create_with(
        passphrase: &str,
        params: KdfParams,
        now: DateTime<Utc>,
        kdf: &impl DeriveKey,
    ) -> Result<(Header, Vault, RecoveryKey), VaultError> {
        let recovery = RecoveryKey::generate();
        let (mut header, vault) =
            Header::with_only_passphrase_with(passphrase, params, now, kdf).await?;
        header
            .add_slot(
                &vault.key,
                SlotKind::RecoveryKey,
                recovery.secret(),
                params,
                kdf,
            )
            .await?;
        Ok((header, vault, recovery))
    }

    /// A fresh data key and desk id with a passphrase slot only: the start of a new desk, and
    /// the whole header of a backup file handed to a colleague (it reveals nothing about the
    /// desk's own secrets).
    pub fn with_only_passphrase(
        passphrase: &str,
        params: KdfParams,
        now: DateTime<Utc>,
    ) -> Result<(Header, Vault), VaultError> {
        at_once(Header::with_only_passphrase_with(
            passphrase,
            params,
            now,
            &OnThisThread,
        ))
    }

    /// As [`Header::with_only_passphrase`], the key derived by `kdf`.
    pub async fn with_only_passphrase_with(
        passphrase: &str,
        params: KdfParams,
        now: DateTime<Utc>,
        kdf: &impl DeriveKey,
    ) -> Result<(Header, Vault), VaultError> {
        let key = DataKey::generate();
        let desk_id = to_hex(&random_bytes::<16>());
        let mut header = Header {
            format: STORE_FORMAT.into(),
            version: FORMAT_VERSION,
            desk_id: desk_id.clone(),
            created: now,
            slots: Vec::new(),
        };
        header
            .add_slot(
                &key,
                SlotKind::Passphrase,
                passphrase.as_bytes(),
                params,
                kdf,
            )
            .await?;
        let vault = Vault {
            desk_id,
            key,
            unlocked_with: SlotKind::Passphrase.label().into(),
        };
        Ok((header, vault))
    }

    /// Whether the header has a recovery-key slot (a desk restored from a separately
    /// protected backup has none until one is made).
    pub fn has_recovery_key(&self) -> bool {
        self.slots.iter().any(|s| s.kind == SlotKind::RecoveryKey)
    }

    /// Reads a stored header, telling damage apart from a newer format.
    pub fn parse(text: &str) -> Result<Header, VaultError> {
        // Format and version first, so a newer header is named as such even if its
        // other fields changed shape.
        #[derive(Deserialize)]
        struct Probe {
            format: Option<String>,
            version: Option<u64>,
        }
        let probe: Probe = serde_json::from_slice(text.as_bytes())
            .map_err(|_| VaultError::DamagedHeader("it is not readable".into()))?;
        if probe.format.as_deref() != Some(STORE_FORMAT) {
            return Err(VaultError::DamagedHeader(
                "it is not a Senco Desk header".into(),
            ));
        }
        // Version 1 desks hold base64 records only; version 2 may hold dense ones too;
        // version 3 records with ids and tombstones. Each older app refuses a newer desk.
        match probe.version {
            Some(v) if (1..=u64::from(FORMAT_VERSION)).contains(&v) => {}
            Some(v) if v > u64::from(FORMAT_VERSION) => {
                return Err(VaultError::NewerFormat {
                    found: v.to_string(),
                })
            }
            _ => return Err(VaultError::DamagedHeader("its version is missing".into())),
        }
        let header: Header = serde_json::from_slice(text.as_bytes())
            .map_err(|e| VaultError::DamagedHeader(format!("a part is missing: {e}")))?;
        header.check()?;
        Ok(header)
    }

    /// Checks ids, slots and key settings: everything but the keys themselves.
    pub fn check(&self) -> Result<(), VaultError> {
        let header = self;
        if header.desk_id.len() != 32 || !header.desk_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(VaultError::DamagedHeader("its desk id is wrong".into()));
        }
        if !header.slots.iter().any(|s| s.kind == SlotKind::Passphrase) {
            return Err(VaultError::DamagedHeader(
                "it has no passphrase slot".into(),
            ));
        }
        // One slot of each kind: an unlock tries each, so more would multiply the wait.
        let passphrase_slots = header
            .slots
            .iter()
            .filter(|s| s.kind == SlotKind::Passphrase)
            .count();
        if passphrase_slots != 1 || header.slots.len() > 2 {
            return Err(VaultError::DamagedHeader(
                "it has the wrong number of key slots".into(),
            ));
        }
        for slot in &header.slots {
            if slot.kdf.algorithm != "argon2id" {
                return Err(VaultError::NewerFormat {
                    found: format!("key algorithm {}", slot.kdf.algorithm),
                });
            }
            slot.kdf.params.check()?;
        }
        Ok(())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a header always serialises")
    }

    pub fn desk_id(&self) -> &str {
        &self.desk_id
    }

    /// Opens the desk with a passphrase or a recovery key. A secret shaped like a
    /// recovery key tries the recovery slot first, so each attempt costs one derivation.
    pub fn unlock(&self, secret: &str) -> Result<Vault, VaultError> {
        at_once(self.unlock_with(secret, &OnThisThread))
    }

    /// As [`Header::unlock`], each key derived by `kdf` (in the browser, a worker of its own).
    pub async fn unlock_with(
        &self,
        secret: &str,
        kdf: &impl DeriveKey,
    ) -> Result<Vault, VaultError> {
        let recovery = RecoveryKey::parse(secret);
        let mut order: Vec<&KeySlot> = Vec::new();
        if recovery.is_some() {
            order.extend(
                self.slots
                    .iter()
                    .filter(|s| s.kind == SlotKind::RecoveryKey),
            );
        }
        order.extend(self.slots.iter().filter(|s| s.kind == SlotKind::Passphrase));
        for slot in order {
            let bytes = match (&slot.kind, &recovery) {
                (SlotKind::RecoveryKey, Some(key)) => key.secret(),
                _ => secret.as_bytes(),
            };
            let salt = slot_salt(slot)?;
            let kek = kdf.derive_key(slot.kdf.params, bytes, &salt).await?;
            if let Some(vault) = self.unlock_with_kek(&slot.kdf.params, &salt, &kek)? {
                return Ok(vault);
            }
        }
        Err(VaultError::WrongSecret)
    }

    /// Opens the desk with a key-encryption key already derived (the slow part, done
    /// elsewhere) from `params` and `salt`: tries each slot made with those. Ok(None) when
    /// none opens (a wrong secret, or a slot tampered with: the two look alike).
    pub fn unlock_with_kek(
        &self,
        params: &KdfParams,
        salt: &[u8],
        kek: &[u8; KEY_LEN],
    ) -> Result<Option<Vault>, VaultError> {
        for slot in &self.slots {
            if slot.kdf.params != *params || slot_salt(slot)? != salt {
                continue;
            }
            if let Some(key) = self.open_slot(slot, kek)? {
                return Ok(Some(Vault {
                    desk_id: self.desk_id.clone(),
                    key,
                    unlocked_with: slot.label.clone(),
                }));
            }
        }
        Ok(None)
    }

    /// Checks `current` (the passphrase or recovery key) opens this desk, then makes the
    /// header whose passphrase slot opens with `new_passphrase`: the slow part of changing
    /// the passphrase, done before the desk saves it ([`SecretChange`]).
    pub async fn change_passphrase_with(
        &self,
        current: &str,
        new_passphrase: &str,
        params: KdfParams,
        kdf: &impl DeriveKey,
    ) -> Result<SecretChange, VaultError> {
        let vault = self.unlock_with(current, kdf).await?;
        let header = self
            .with_new_passphrase_with(&vault, new_passphrase, params, kdf)
            .await?;
        Ok(SecretChange {
            from: self.clone(),
            header,
            recovery: None,
        })
    }

    /// Checks `current` opens this desk, then makes a header with a new recovery key: the
    /// slow part of making one, done before the desk saves it ([`SecretChange`]).
    pub async fn new_recovery_key_with(
        &self,
        current: &str,
        params: KdfParams,
        kdf: &impl DeriveKey,
    ) -> Result<SecretChange, VaultError> {
        let vault = self.unlock_with(current, kdf).await?;
        let (header, recovery) = self.with_new_recovery_key_with(&vault, params, kdf).await?;
        Ok(SecretChange {
            from: self.clone(),
            header,
            recovery: Some(recovery),
        })
    }

    /// A header whose passphrase slot opens with `new_passphrase`; the data key and every
    /// record stay as they are.
    pub fn with_new_passphrase(
        &self,
        vault: &Vault,
        new_passphrase: &str,
        params: KdfParams,
    ) -> Result<Header, VaultError> {
        at_once(self.with_new_passphrase_with(vault, new_passphrase, params, &OnThisThread))
    }

    async fn with_new_passphrase_with(
        &self,
        vault: &Vault,
        new_passphrase: &str,
        params: KdfParams,
        kdf: &impl DeriveKey,
    ) -> Result<Header, VaultError> {
        let mut header = self.upgraded();
        header.slots.retain(|s| s.kind != SlotKind::Passphrase);
        header
            .add_slot(
                &vault.key,
                SlotKind::Passphrase,
                new_passphrase.as_bytes(),
                params,
                kdf,
            )
            .await?;
        Ok(header)
    }

    /// A header with a new recovery key; the old recovery key stops working.
    pub fn with_new_recovery_key(
        &self,
        vault: &Vault,
        params: KdfParams,
    ) -> Result<(Header, RecoveryKey), VaultError> {
        at_once(self.with_new_recovery_key_with(vault, params, &OnThisThread))
    }

    async fn with_new_recovery_key_with(
        &self,
        vault: &Vault,
        params: KdfParams,
        kdf: &impl DeriveKey,
    ) -> Result<(Header, RecoveryKey), VaultError> {
        let recovery = RecoveryKey::generate();
        let mut header = self.upgraded();
        header.slots.retain(|s| s.kind != SlotKind::RecoveryKey);
        header
            .add_slot(
                &vault.key,
                SlotKind::RecoveryKey,
                recovery.secret(),
                params,
                kdf,
            )
            .await?;
        Ok((header, recovery))
    }

    async fn add_slot(
        &mut self,
        key: &DataKey,
        kind: SlotKind,
        secret: &[u8],
        params: KdfParams,
        kdf: &impl DeriveKey,
    ) -> Result<(), VaultError> {
        let salt = random_bytes::<SALT_LEN>();
        let nonce = random_bytes::<NONCE_LEN>();
        let id = to_hex(&random_bytes::<8>());
        let kek = kdf.derive_key(params, secret, &salt).await?;
        let aad = slot_aad(&self.desk_id, &id);
        let wrapped = cipher(&kek)
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &key.0,
                    aad: aad.as_bytes(),
                },
            )
            .expect("AES-GCM encryption of 32 bytes cannot fail");
        self.slots.push(KeySlot {
            id,
            kind,
            label: kind.label().into(),
            kdf: SlotKdf {
                algorithm: "argon2id".into(),
                params,
                salt: b64::encode(&salt),
            },
            nonce: b64::encode(&nonce),
            wrapped_key: b64::encode(&wrapped),
        });
        Ok(())
    }

    /// Whether this header is older than the records this app writes: an older desk must
    /// take this app's version in the same save as its first record written by this app,
    /// so an older app asks to be updated instead of calling that record damaged, or
    /// dropping what it does not know when it saves.
    pub fn needs_upgrade(&self) -> bool {
        self.version < FORMAT_VERSION
    }

    /// The same header at this app's version. Slots and desk id are unchanged: their
    /// associated data names version 1 whatever the header's version.
    pub fn upgraded(&self) -> Header {
        Header {
            version: FORMAT_VERSION,
            ..self.clone()
        }
    }

    /// Ok(None) when the key-encryption key is wrong (or the slot was tampered with: the
    /// two look alike).
    fn open_slot(
        &self,
        slot: &KeySlot,
        kek: &[u8; KEY_LEN],
    ) -> Result<Option<DataKey>, VaultError> {
        let damaged = |what: &str| VaultError::DamagedHeader(format!("a key slot's {what}"));
        let nonce = b64::decode(&slot.nonce).map_err(|_| damaged("nonce"))?;
        let wrapped = b64::decode(&slot.wrapped_key).map_err(|_| damaged("wrapped key"))?;
        if nonce.len() != NONCE_LEN {
            return Err(damaged("nonce or salt length"));
        }
        let aad = slot_aad(&self.desk_id, &slot.id);
        let opened = cipher(kek).decrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &wrapped,
                aad: aad.as_bytes(),
            },
        );
        match opened {
            Ok(bytes) if bytes.len() == KEY_LEN => {
                let bytes = Zeroizing::new(bytes);
                let mut key = [0u8; KEY_LEN];
                key.copy_from_slice(&bytes);
                Ok(Some(DataKey(key)))
            }
            _ => Ok(None),
        }
    }
}

/// A slot's salt, with the slot's other parts checked before any key is derived for it.
fn slot_salt(slot: &KeySlot) -> Result<Vec<u8>, VaultError> {
    let damaged = |what: &str| VaultError::DamagedHeader(format!("a key slot's {what}"));
    let salt = b64::decode(&slot.kdf.salt).map_err(|_| damaged("salt"))?;
    let nonce = b64::decode(&slot.nonce).map_err(|_| damaged("nonce"))?;
    b64::decode(&slot.wrapped_key).map_err(|_| damaged("wrapped key"))?;
    if nonce.len() != NONCE_LEN || salt.len() < 8 {
        return Err(damaged("nonce or salt length"));
    }
    Ok(salt)
}

/// A new passphrase or recovery key with its slow part done (the current secret checked
/// and the new slot's key derived), for the open desk to save in one step. It names the
/// header it was made from, so it is refused if the desk's keys changed meanwhile.
pub struct SecretChange {
    from: Header,
    header: Header,
    recovery: Option<RecoveryKey>,
}

impl SecretChange {
    /// Whether this change was made from `header` (the desk's keys as they are now).
    pub fn is_from(&self, header: &Header) -> bool {
        self.from == *header
    }

    /// The header to save, and the new recovery key if one was made.
    pub fn into_parts(self) -> (Header, Option<RecoveryKey>) {
        (self.header, self.recovery)
    }
}

impl SlotKind {
    pub fn label(self) -> &'static str {
        match self {
            SlotKind::Passphrase => "SENCO",
            SlotKind::RecoveryKey => "Recovery key",
        }
    }
}

pub(super) fn slot_aad(desk_id: &str, slot_id: &str) -> String {
    format!("{STORE_FORMAT}/v{AAD_VERSION}/{desk_id}/slot/{slot_id}")
}

pub(super) fn cipher(key: &[u8; KEY_LEN]) -> Aes256Gcm {
    Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key))
}
