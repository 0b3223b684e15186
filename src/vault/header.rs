//! The desk header: desk id, key slots and the desk's public key, the only thing stored
//! unsealed.
//!
//! Each key slot wraps the data key for one secret (the passphrase, the recovery key, or
//! later a person's passphrase). Slots made by this version are sealed to a public key
//! (see `slot_wrap`), so changing a secret ROTATES the data key: a fresh key, every slot
//! re-wrapped from its public key, every record re-sealed (see `OpenDesk::rotate_keys`).

use super::error::VaultError;
use super::kdf::{at_once, DeriveKey, KdfParams, OnThisThread};
use super::key::{random_bytes, to_hex, DataKey, DeskSecret, KEY_LEN, NONCE_LEN, SALT_LEN};
use super::recovery::RecoveryKey;
use super::slot_wrap::{self, Wrapped};
use super::{b64, AAD_VERSION, FORMAT_VERSION, STORE_FORMAT};
use crate::domain::passphrase;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// The shortest passphrase a desk accepts.
pub const MIN_PASSPHRASE_CHARS: usize = 12;
/// The longest label (a person's name, or "SENCO") or role a key slot may have: it is written
/// as "by" in every change history, and must fit a backup's read-back.
pub const MAX_LABEL_CHARS: usize = 60;
/// At most this many key slots: a crafted header cannot make parsing or a rotation long
/// (an unlock tries at most the passphrase and recovery-key slots, one derivation each).
pub const MAX_SLOTS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    Passphrase,
    RecoveryKey,
    /// One person's own passphrase (version 5 format; the app makes none yet).
    Person,
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
    /// Shown in the change history as who unlocked: "SENCO", "Recovery key", or a person's
    /// name. At most 60 characters, and bound to the sealed `keys` record.
    pub label: String,
    /// A person slot's role ("Class teacher"); absent on other slots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub kdf: SlotKdf,
    /// base64 of the slot's X25519 public key (version 5 slots; absent on older ones, which
    /// wrap the data key under the derived key itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    /// base64 of the one-time X25519 public key of the wrap (version 5 slots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_key: Option<String>,
    /// base64 of the 12-byte nonce.
    pub nonce: String,
    /// base64 of the data key sealed with AES-256-GCM (32 bytes + 16-byte tag).
    pub wrapped_key: String,
}

impl KeySlot {
    /// Made by this version: sealed to a public key, so it can be re-wrapped without its secret.
    pub fn is_sealed_to_key(&self) -> bool {
        self.public_key.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub desk_id: String,
    #[serde(with = "crate::domain::dates::timestamp")]
    pub created: DateTime<Utc>,
    pub slots: Vec<KeySlot>,
    /// base64 of the desk's X25519 public key (version 5); its secret key is in the sealed
    /// `keys` record. Absent on a desk not yet saved by this version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desk_public_key: Option<String>,
}

/// An unlocked desk's key. Dropping it wipes the key.
#[derive(Debug, Clone)]
pub struct Vault {
    pub(super) desk_id: String,
    pub(super) key: DataKey,
    /// The label of the slot that opened the desk.
    pub unlocked_with: String,
    /// The desk key pair's secret, once read from the `keys` record (or made).
    pub(super) desk_secret: Option<DeskSecret>,
    /// Data keys this desk had before its latest changes of key, newest first, from the
    /// `keys` record: only for drafts a tab kept under an earlier key while another tab
    /// changed it (see `OpenDesk::reseal_earlier_drafts`). No record is sealed with them.
    pub(super) earlier: Vec<DataKey>,
}

/// A desk opened by one secret, with what a rotation needs to keep that secret's slot
/// (an older slot can be re-made sealed to a key only by someone who knows its secret).
pub struct Opened {
    pub vault: Vault,
    slot_id: String,
    derived: Zeroizing<[u8; KEY_LEN]>,
}

/// What changes the data key: every one rotates it.
#[derive(Debug, Clone, Copy)]
pub enum KeyChange<'a> {
    NewPassphrase(&'a str),
    NewRecoveryKey,
    /// Removes the key slot with this id.
    RemoveSlot(&'a str),
}

/// A rotated header and the new data key; `recovery` is a recovery key made on the way
/// (asked for, or because an older recovery-key slot could not be kept).
pub struct Rotation {
    pub header: Header,
    pub vault: Vault,
    pub recovery: Option<RecoveryKey>,
    /// False when a slot is removed: the key it opened must not stay usable for anything,
    /// not even drafts (see `Vault::earlier`).
    pub keeps_earlier_keys: bool,
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
    /// Makes a new desk: a fresh data key and desk key pair, one passphrase slot and one
    /// recovery-key slot.
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
        let (mut header, mut vault) =
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
        header.give_desk_key_pair(&mut vault);
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
            desk_public_key: None,
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
            desk_secret: None,
            earlier: Vec::new(),
        };
        Ok((header, vault))
    }

    /// A fresh desk key pair: the public key here, the secret in `vault` (to be sealed in
    /// the `keys` record).
    fn give_desk_key_pair(&mut self, vault: &mut Vault) {
        let (secret, public) = slot_wrap::key_pair();
        self.desk_public_key = Some(b64::encode(&public));
        vault.desk_secret = Some(DeskSecret(*secret));
    }

    /// Whether the header has a recovery-key slot (a desk restored from a separately
    /// protected backup has none until one is made).
    pub fn has_recovery_key(&self) -> bool {
        self.slots.iter().any(|s| s.kind == SlotKind::RecoveryKey)
    }

    /// Whether the recovery-key slot was made by an older version: changing the passphrase
    /// (typed as the current secret) cannot keep it, so a new recovery key is made with it.
    pub fn recovery_key_is_older(&self) -> bool {
        self.slots
            .iter()
            .any(|s| s.kind == SlotKind::RecoveryKey && !s.is_sealed_to_key())
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

    /// Checks ids, slots, labels and key settings: everything but the keys themselves.
    pub fn check(&self) -> Result<(), VaultError> {
        let header = self;
        let damaged = |what: &str| Err(VaultError::DamagedHeader(what.into()));
        if header.desk_id.len() != 32 || !header.desk_id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return damaged("its desk id is wrong");
        }
        let count = |kind| header.slots.iter().filter(|s| s.kind == kind).count();
        if count(SlotKind::Passphrase) + count(SlotKind::Person) == 0 {
            return damaged("it has no passphrase slot");
        }
        // One passphrase and one recovery-key slot at most, as an unlock tries each; any
        // number of person slots up to the limit (each person picks their own slot).
        if count(SlotKind::Passphrase) > 1
            || count(SlotKind::RecoveryKey) > 1
            || header.slots.len() > MAX_SLOTS
        {
            return damaged("it has the wrong number of key slots");
        }
        if let Some(key) = &header.desk_public_key {
            if decode_key(key).is_none() {
                return damaged("its desk key is not 32 bytes");
            }
        }
        for (i, slot) in header.slots.iter().enumerate() {
            if slot.id.is_empty()
                || slot.id.len() > 64
                || header.slots[..i].iter().any(|s| s.id == slot.id)
            {
                return damaged("a key slot's id is missing or repeated");
            }
            if let Err(problem) = check_label(&slot.label) {
                return Err(VaultError::DamagedHeader(format!(
                    "a key slot's label {problem}"
                )));
            }
            match (&slot.role, slot.kind) {
                (Some(role), SlotKind::Person) => {
                    if let Err(problem) = check_label(role) {
                        return Err(VaultError::DamagedHeader(format!(
                            "a key slot's role {problem}"
                        )));
                    }
                }
                (None, SlotKind::Person) => return damaged("a person's key slot has no role"),
                (Some(_), _) => return damaged("a key slot that is not a person's has a role"),
                (None, _) => {}
            }
            match (&slot.public_key, &slot.ephemeral_key) {
                (None, None) if slot.kind != SlotKind::Person => {}
                (Some(public), Some(ephemeral))
                    if decode_key(public).is_some() && decode_key(ephemeral).is_some() => {}
                _ => return damaged("a key slot's public key"),
            }
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
        self.open_with(secret).map(|opened| opened.vault)
    }

    /// As [`Header::unlock`], each key derived by `kdf` (in the browser, a worker of its own).
    pub async fn unlock_with(
        &self,
        secret: &str,
        kdf: &impl DeriveKey,
    ) -> Result<Vault, VaultError> {
        self.open_with_kdf(secret, kdf)
            .await
            .map(|opened| opened.vault)
    }

    /// As [`Header::unlock`], keeping what a rotation needs (see [`Opened`]).
    pub fn open_with(&self, secret: &str) -> Result<Opened, VaultError> {
        at_once(self.open_with_kdf(secret, &OnThisThread))
    }

    /// As [`Header::open_with`], each key derived by `kdf`.
    pub async fn open_with_kdf(
        &self,
        secret: &str,
        kdf: &impl DeriveKey,
    ) -> Result<Opened, VaultError> {
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
            let derived = kdf.derive_key(slot.kdf.params, bytes, &salt).await?;
            if let Some(opened) = self.open_slot(slot, derived)? {
                return Ok(opened);
            }
        }
        Err(VaultError::WrongSecret)
    }

    /// Opens the desk with a key already derived (the slow part, done elsewhere) from
    /// `params` and `salt`: tries each passphrase or recovery-key slot made with those.
    /// Ok(None) when none opens (a wrong secret, or a slot tampered with: the two look alike).
    pub fn unlock_with_kek(
        &self,
        params: &KdfParams,
        salt: &[u8],
        kek: &[u8; KEY_LEN],
    ) -> Result<Option<Vault>, VaultError> {
        for slot in &self.slots {
            if slot.kind == SlotKind::Person
                || slot.kdf.params != *params
                || slot_salt(slot)? != salt
            {
                continue;
            }
            if let Some(opened) = self.open_slot(slot, Zeroizing::new(*kek))? {
                return Ok(Some(opened.vault));
            }
        }
        Ok(None)
    }

    /// Opens one person's slot with their passphrase (one derivation).
    pub fn unlock_person(&self, slot_id: &str, secret: &str) -> Result<Vault, VaultError> {
        let slot = self
            .slots
            .iter()
            .find(|s| s.id == slot_id && s.kind == SlotKind::Person)
            .ok_or(VaultError::WrongSecret)?;
        let salt = slot_salt(slot)?;
        let derived = slot.kdf.params.derive(secret.as_bytes(), &salt)?;
        match self.open_slot(slot, derived)? {
            Some(opened) => Ok(opened.vault),
            None => Err(VaultError::WrongSecret),
        }
    }

    /// A header with a person's slot added, wrapping the current data key. Their name is
    /// the slot's label. The `keys` record must be written with it.
    pub fn with_person(
        &self,
        vault: &Vault,
        name: &str,
        role: &str,
        secret: &str,
        params: KdfParams,
    ) -> Result<Header, VaultError> {
        check_label(name).map_err(|p| VaultError::BadLabel(format!("The name {p}.")))?;
        check_label(role).map_err(|p| VaultError::BadLabel(format!("The role {p}.")))?;
        if self.slots.len() >= MAX_SLOTS {
            return Err(VaultError::BadLabel(format!(
                "A desk holds at most {MAX_SLOTS} key slots."
            )));
        }
        let mut header = self.upgraded();
        at_once(header.add_slot(
            &vault.key,
            SlotKind::Person,
            secret.as_bytes(),
            params,
            &OnThisThread,
        ))?;
        let slot = header.slots.last_mut().expect("just added");
        slot.label = name.to_string();
        slot.role = Some(role.to_string());
        Ok(header)
    }

    /// A header with a NEW data key: every slot re-wrapped for it (from its public key;
    /// an older slot from the secret in `opened`, or, for an older recovery-key slot whose
    /// key was not typed, a new recovery key), with `change` applied and a fresh desk key
    /// pair. Someone holding the old data key and any old secret cannot open the result.
    pub fn rotated(
        &self,
        opened: &Opened,
        change: KeyChange<'_>,
        params: KdfParams,
    ) -> Result<Rotation, VaultError> {
        at_once(self.rotated_with(opened, change, params, &OnThisThread))
    }

    /// As [`Header::rotated`], each new slot's key derived by `kdf`.
    pub async fn rotated_with(
        &self,
        opened: &Opened,
        change: KeyChange<'_>,
        params: KdfParams,
        kdf: &impl DeriveKey,
    ) -> Result<Rotation, VaultError> {
        if let KeyChange::RemoveSlot(id) = change {
            if !self.slots.iter().any(|s| s.id == id) {
                return Err(VaultError::DamagedHeader(
                    "the key slot to remove is gone".into(),
                ));
            }
        }
        let key = DataKey::generate();
        let mut header = Header {
            slots: Vec::new(),
            ..self.upgraded()
        };
        let mut recovery = None;
        for slot in &self.slots {
            match (change, slot.kind) {
                (KeyChange::NewPassphrase(passphrase), SlotKind::Passphrase) => {
                    header
                        .add_slot(
                            &key,
                            SlotKind::Passphrase,
                            passphrase.as_bytes(),
                            params,
                            kdf,
                        )
                        .await?;
                    let made = header.slots.last_mut().expect("just added");
                    made.label = slot.label.clone();
                    continue;
                }
                (KeyChange::NewRecoveryKey, SlotKind::RecoveryKey) => {
                    recovery = Some(header.add_recovery_slot(&key, params, kdf).await?);
                    continue;
                }
                (KeyChange::RemoveSlot(id), _) if slot.id == id => continue,
                _ => {}
            }
            if let Some(public) = slot.public_key.as_deref().and_then(decode_key) {
                header
                    .slots
                    .push(rewrapped(&self.desk_id, slot, &key, &public)?);
            } else if slot.id == opened.slot_id {
                let secret = slot_wrap::slot_secret(&opened.derived);
                let public = slot_wrap::public_key(&secret);
                let mut kept = rewrapped(&self.desk_id, slot, &key, &public)?;
                kept.public_key = Some(b64::encode(&public));
                header.slots.push(kept);
            } else if slot.kind == SlotKind::RecoveryKey {
                recovery = Some(header.add_recovery_slot(&key, params, kdf).await?);
            } else {
                return Err(VaultError::PassphraseNeeded);
            }
        }
        // A desk without a slot of the kind asked for (a recovery key never made) gains one.
        match change {
            KeyChange::NewRecoveryKey if !header.has_recovery_key() => {
                recovery = Some(header.add_recovery_slot(&key, params, kdf).await?);
            }
            KeyChange::NewPassphrase(passphrase)
                if !header.slots.iter().any(|s| s.kind == SlotKind::Passphrase) =>
            {
                header
                    .add_slot(
                        &key,
                        SlotKind::Passphrase,
                        passphrase.as_bytes(),
                        params,
                        kdf,
                    )
                    .await?
            }
            _ => {}
        }
        // Removing the last way in is refused here, before anything is written.
        header.check()?;
        let mut vault = Vault {
            desk_id: self.desk_id.clone(),
            key,
            unlocked_with: opened.vault.unlocked_with.clone(),
            desk_secret: None,
            earlier: Vec::new(),
        };
        header.give_desk_key_pair(&mut vault);
        Ok(Rotation {
            header,
            vault,
            recovery,
            keeps_earlier_keys: !matches!(change, KeyChange::RemoveSlot(_)),
        })
    }

    /// Checks `current` (the passphrase or recovery key) opens this desk, then makes the
    /// rotation `change` asks for: the slow part of changing a secret, done before the desk
    /// saves it ([`SecretChange`]).
    pub async fn change_secret_with(
        &self,
        current: &str,
        change: KeyChange<'_>,
        params: KdfParams,
        kdf: &impl DeriveKey,
    ) -> Result<SecretChange, VaultError> {
        let opened = self.open_with_kdf(current, kdf).await?;
        let rotation = self.rotated_with(&opened, change, params, kdf).await?;
        Ok(SecretChange {
            from: self.clone(),
            rotation,
        })
    }

    /// A new recovery key's slot wrapping `key`.
    async fn add_recovery_slot(
        &mut self,
        key: &DataKey,
        params: KdfParams,
        kdf: &impl DeriveKey,
    ) -> Result<RecoveryKey, VaultError> {
        let made = RecoveryKey::generate();
        self.add_slot(key, SlotKind::RecoveryKey, made.secret(), params, kdf)
            .await?;
        Ok(made)
    }

    /// Adds a slot sealed to a key derived from `secret`, wrapping `key`.
    async fn add_slot(
        &mut self,
        key: &DataKey,
        kind: SlotKind,
        secret: &[u8],
        params: KdfParams,
        kdf: &impl DeriveKey,
    ) -> Result<(), VaultError> {
        let salt = random_bytes::<SALT_LEN>();
        let derived = kdf.derive_key(params, secret, &salt).await?;
        let public = slot_wrap::public_key(&slot_wrap::slot_secret(&derived));
        let template = KeySlot {
            id: to_hex(&random_bytes::<8>()),
            kind,
            label: kind.label().into(),
            role: None,
            kdf: SlotKdf {
                algorithm: "argon2id".into(),
                params,
                salt: b64::encode(&salt),
            },
            public_key: Some(b64::encode(&public)),
            ephemeral_key: None,
            nonce: String::new(),
            wrapped_key: String::new(),
        };
        let slot = rewrapped(&self.desk_id, &template, key, &public)?;
        self.slots.push(slot);
        Ok(())
    }

    /// Whether this header is older than the records this app writes: an older desk must
    /// take this app's version in the same save as its first record written by this app,
    /// so an older app asks to be updated instead of calling that record damaged, or
    /// dropping what it does not know when it saves. A desk without a desk key pair gets
    /// one in that save too (with its `keys` record).
    pub fn needs_upgrade(&self) -> bool {
        self.version < FORMAT_VERSION || self.desk_public_key.is_none()
    }

    /// The same header at this app's version. Slots and desk id are unchanged: their
    /// associated data names version 1 whatever the header's version.
    pub fn upgraded(&self) -> Header {
        Header {
            version: FORMAT_VERSION,
            ..self.clone()
        }
    }

    /// [`Header::upgraded`], with a desk key pair made if it has none (its secret put in
    /// `vault`).
    pub fn upgraded_with_desk_keys(&self, vault: &Vault) -> (Header, Vault) {
        let mut header = self.upgraded();
        let mut vault = vault.clone();
        if header.desk_public_key.is_none() {
            header.give_desk_key_pair(&mut vault);
        }
        (header, vault)
    }

    /// Opens `slot` with the key derived from its secret and salt. Ok(None) when the secret
    /// was wrong (or the slot was tampered with: the two look alike).
    fn open_slot(
        &self,
        slot: &KeySlot,
        derived: Zeroizing<[u8; KEY_LEN]>,
    ) -> Result<Option<Opened>, VaultError> {
        let damaged = |what: &str| VaultError::DamagedHeader(format!("a key slot's {what}"));
        let nonce = b64::decode(&slot.nonce).map_err(|_| damaged("nonce"))?;
        let wrapped = b64::decode(&slot.wrapped_key).map_err(|_| damaged("wrapped key"))?;
        if nonce.len() != NONCE_LEN {
            return Err(damaged("nonce or salt length"));
        }
        let aad = slot_aad(&self.desk_id, &slot.id);
        let opened = match (&slot.public_key, &slot.ephemeral_key) {
            (Some(public), Some(ephemeral)) => {
                let public = decode_key(public).ok_or_else(|| damaged("public key"))?;
                let wrap = Wrapped {
                    ephemeral: decode_key(ephemeral).ok_or_else(|| damaged("public key"))?,
                    nonce: nonce.try_into().map_err(|_| damaged("nonce"))?,
                    sealed: wrapped,
                };
                let secret = slot_wrap::slot_secret(&derived);
                slot_wrap::unwrap(&secret, &public, &wrap, &aad)?
            }
            // Version 1 to 4: the derived key wraps the data key itself.
            _ => cipher(&derived)
                .decrypt(
                    Nonce::from_slice(&nonce),
                    Payload {
                        msg: &wrapped,
                        aad: aad.as_bytes(),
                    },
                )
                .ok()
                .map(Zeroizing::new),
        };
        match opened {
            Some(bytes) if bytes.len() == KEY_LEN => {
                let mut key = [0u8; KEY_LEN];
                key.copy_from_slice(&bytes);
                Ok(Some(Opened {
                    vault: Vault {
                        desk_id: self.desk_id.clone(),
                        key: DataKey(key),
                        unlocked_with: slot.label.clone(),
                        desk_secret: None,
                        earlier: Vec::new(),
                    },
                    slot_id: slot.id.clone(),
                    derived,
                }))
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

/// A change of secret with its slow part done (the current secret checked, the data key
/// rotated and every new slot's key derived), for the open desk to save in one step. It
/// names the header it was made from, so it is refused if the desk's keys changed meanwhile.
pub struct SecretChange {
    from: Header,
    rotation: Rotation,
}

impl SecretChange {
    /// Whether this change was made from `header` (the desk's keys as they are now).
    pub fn is_from(&self, header: &Header) -> bool {
        self.from == *header
    }

    pub fn into_rotation(self) -> Rotation {
        self.rotation
    }
}

/// `slot` (id, kind, label, settings and public key kept) wrapping `key` to `public`.
fn rewrapped(
    desk_id: &str,
    slot: &KeySlot,
    key: &DataKey,
    public: &[u8; KEY_LEN],
) -> Result<KeySlot, VaultError> {
    let wrap = slot_wrap::wrap(&key.0, public, &slot_aad(desk_id, &slot.id))?;
    Ok(KeySlot {
        ephemeral_key: Some(b64::encode(&wrap.ephemeral)),
        nonce: b64::encode(&wrap.nonce),
        wrapped_key: b64::encode(&wrap.sealed),
        ..slot.clone()
    })
}

/// A base64 X25519 key: exactly 32 bytes.
fn decode_key(text: &str) -> Option<[u8; KEY_LEN]> {
    b64::decode(text).ok()?.try_into().ok()
}

/// A slot's label or role: 1 to 60 characters, no control characters, not padded.
/// Err says what is wrong, to follow "The name" or "a key slot's label".
pub fn check_label(text: &str) -> Result<(), String> {
    let chars = text.chars().count();
    if chars == 0 || text.trim() != text {
        return Err("is empty or starts or ends with a space".into());
    }
    if chars > MAX_LABEL_CHARS {
        return Err(format!(
            "is {chars} characters long; at most {MAX_LABEL_CHARS} are allowed"
        ));
    }
    if text.chars().any(char::is_control) {
        return Err("holds a control character".into());
    }
    Ok(())
}

impl SlotKind {
    pub fn label(self) -> &'static str {
        match self {
            SlotKind::Passphrase => "SENCO",
            SlotKind::RecoveryKey => "Recovery key",
            SlotKind::Person => "Person",
        }
    }
}

/// How many earlier data keys a desk keeps (drafts older than this many changes of key
/// are not worth a key kept for ever).
pub const MAX_EARLIER_KEYS: usize = 8;

impl Vault {
    /// Keeps `before`'s data key (and the ones it kept) as this one's earlier keys: a
    /// change of key made from `before`.
    pub fn remember_earlier(&mut self, before: &Vault) {
        let mut earlier = vec![before.key.clone()];
        earlier.extend(before.earlier.iter().cloned());
        earlier.retain(|key| key.0 != self.key.0);
        earlier.truncate(MAX_EARLIER_KEYS);
        self.earlier = earlier;
    }

    /// A vault for each earlier data key, newest first (see `earlier`).
    pub fn earlier_vaults(&self) -> Vec<Vault> {
        self.earlier
            .iter()
            .map(|key| Vault {
                desk_id: self.desk_id.clone(),
                key: key.clone(),
                unlocked_with: self.unlocked_with.clone(),
                desk_secret: None,
                earlier: Vec::new(),
            })
            .collect()
    }

    /// Whether `other` holds the same data key (the secret typed opens this desk as it is).
    pub fn same_key(&self, other: &Vault) -> bool {
        self.desk_id == other.desk_id && self.key.0 == other.key.0
    }
}

pub(super) fn slot_aad(desk_id: &str, slot_id: &str) -> String {
    format!("{STORE_FORMAT}/v{AAD_VERSION}/{desk_id}/slot/{slot_id}")
}

pub(super) fn cipher(key: &[u8; KEY_LEN]) -> Aes256Gcm {
    Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key))
}
