//! The desk's data key and the randomness everything relies on.

use zeroize::{Zeroize, ZeroizeOnDrop};

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 12;
pub const SALT_LEN: usize = 16;

/// The random 256-bit key that seals every record. It never leaves memory unwrapped,
/// and is wiped when dropped (on lock).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DataKey(pub(super) [u8; KEY_LEN]);

impl DataKey {
    pub fn generate() -> DataKey {
        DataKey(random_bytes())
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

/// The secret half of the desk's own X25519 key pair, kept sealed in the `keys` record.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DeskSecret(pub(super) [u8; KEY_LEN]);

impl std::fmt::Debug for DeskSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeskSecret(..)")
    }
}

/// Cryptographically secure random bytes (the browser's crypto.getRandomValues on wasm).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    // A platform without a secure random source cannot keep records safe: stop, don't guess.
    getrandom::getrandom(&mut bytes).expect("no secure random number source");
    bytes
}

pub fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
