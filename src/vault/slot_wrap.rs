//! Key slots sealed to a public key (version 5).
//!
//! A slot's secret (passphrase, recovery key, a person's passphrase) gives, through Argon2id
//! and a hash, an X25519 secret; the slot keeps only the public half. The data key is
//! wrapped to that public key with a one-time key pair, so wrapping a NEW data key needs no
//! secret: rotating the data key re-wraps every slot, and someone holding an old data key
//! and an old secret learns nothing that opens the new wraps.

use super::key::{random_bytes, KEY_LEN, NONCE_LEN};
use super::VaultError;
use aes_gcm::aead::{Aead, Payload};
use aes_gcm::Nonce;
use sha2::{Digest, Sha256};
use x25519_dalek::{x25519, X25519_BASEPOINT_BYTES};
use zeroize::Zeroizing;

/// The X25519 secret of a slot, from the Argon2id output of its secret. Hashing first keeps
/// the Argon2id output (an AES key in a version 1 to 4 slot) apart from the scalar.
pub(super) fn slot_secret(derived: &[u8; KEY_LEN]) -> Zeroizing<[u8; KEY_LEN]> {
    let mut hash = Sha256::new();
    hash.update(b"senco-desk/slot-secret");
    hash.update(derived);
    Zeroizing::new(hash.finalize().into())
}

pub(super) fn public_key(secret: &[u8; KEY_LEN]) -> [u8; KEY_LEN] {
    x25519(*secret, X25519_BASEPOINT_BYTES)
}

/// A fresh X25519 key pair (the desk's own pair).
pub(super) fn key_pair() -> (Zeroizing<[u8; KEY_LEN]>, [u8; KEY_LEN]) {
    let secret = Zeroizing::new(random_bytes::<KEY_LEN>());
    let public = public_key(&secret);
    (secret, public)
}

/// The wrapping key for one wrap: SHA-256 over a fixed label, the shared secret, the
/// one-time public key and the slot's public key.
fn wrapping_key(
    shared: &[u8; KEY_LEN],
    ephemeral: &[u8; KEY_LEN],
    slot: &[u8; KEY_LEN],
) -> Result<Zeroizing<[u8; KEY_LEN]>, VaultError> {
    // A low-order point gives an all-zero secret: only a crafted header has one.
    if shared.iter().all(|b| *b == 0) {
        return Err(VaultError::DamagedHeader("a key slot's public key".into()));
    }
    let mut hash = Sha256::new();
    hash.update(b"senco-desk/slot-wrap");
    hash.update(shared);
    hash.update(ephemeral);
    hash.update(slot);
    Ok(Zeroizing::new(hash.finalize().into()))
}

/// A wrap of the data key to a slot's public key.
pub(super) struct Wrapped {
    pub ephemeral: [u8; KEY_LEN],
    pub nonce: [u8; NONCE_LEN],
    pub sealed: Vec<u8>,
}

pub(super) fn wrap(
    data_key: &[u8; KEY_LEN],
    slot_public: &[u8; KEY_LEN],
    aad: &str,
) -> Result<Wrapped, VaultError> {
    let one_time = Zeroizing::new(random_bytes::<KEY_LEN>());
    let ephemeral = public_key(&one_time);
    let shared = Zeroizing::new(x25519(*one_time, *slot_public));
    let key = wrapping_key(&shared, &ephemeral, slot_public)?;
    let nonce = random_bytes::<NONCE_LEN>();
    let sealed = super::header::cipher(&key)
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: data_key,
                aad: aad.as_bytes(),
            },
        )
        .expect("AES-GCM encryption of 32 bytes cannot fail");
    Ok(Wrapped {
        ephemeral,
        nonce,
        sealed,
    })
}

/// The data key, or None if `secret` is not the slot's (or the wrap was changed).
pub(super) fn unwrap(
    secret: &[u8; KEY_LEN],
    slot_public: &[u8; KEY_LEN],
    wrapped: &Wrapped,
    aad: &str,
) -> Result<Option<Zeroizing<Vec<u8>>>, VaultError> {
    if public_key(secret) != *slot_public {
        return Ok(None);
    }
    let shared = Zeroizing::new(x25519(*secret, wrapped.ephemeral));
    let key = wrapping_key(&shared, &wrapped.ephemeral, slot_public)?;
    Ok(super::header::cipher(&key)
        .decrypt(
            Nonce::from_slice(&wrapped.nonce),
            Payload {
                msg: &wrapped.sealed,
                aad: aad.as_bytes(),
            },
        )
        .ok()
        .map(Zeroizing::new))
}
