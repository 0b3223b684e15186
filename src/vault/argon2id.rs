//! The Argon2id call itself, with no other part of the crate: the key-derivation worker's
//! WebAssembly (src/bin/senco_desk_kdf.rs) takes this file alone, so it stays small, and the
//! worker and [`super::KdfParams::derive`] cannot drift apart.

use argon2::{Algorithm, Argon2, Params, Version};

/// The length of every derived key, in bytes.
pub const KEY_BYTES: usize = 32;

/// Argon2id v1.3 of `secret` and `salt` into `out`. Settings are checked by the caller
/// (`KdfParams::check`); Argon2's own refusals come back as its message.
pub fn argon2id(
    memory_kib: u32,
    iterations: u32,
    parallelism: u32,
    secret: &[u8],
    salt: &[u8],
    out: &mut [u8; KEY_BYTES],
) -> Result<(), argon2::Error> {
    let params = Params::new(memory_kib, iterations, parallelism, Some(KEY_BYTES))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params).hash_password_into(secret, salt, out)
}
