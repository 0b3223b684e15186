//! The key-derivation worker's WebAssembly: Argon2id and its glue, nothing else, so it loads
//! in a few milliseconds. `kdf-worker.js` runs it in a Web Worker of its own, because Argon2
//! cannot yield: on the page's thread it would freeze the page for half a second.
//!
//! The Argon2 call is the vault's own file (src/vault/argon2id.rs), not the whole crate:
//! the worker and the vault derive the same keys, and the settings are checked by the page
//! (`KdfParams::check`) before they are sent here.

#[path = "../vault/argon2id.rs"]
#[allow(dead_code)]
mod argon2id;

#[cfg(target_arch = "wasm32")]
mod worker {
    use super::argon2id::{argon2id, KEY_BYTES};
    use js_sys::Uint8Array;
    use wasm_bindgen::prelude::*;
    use zeroize::Zeroizing;

    /// Derives the 32-byte key from a secret and a salt. The secret's bytes are copied into
    /// memory wiped when this returns, and the caller's array is overwritten with zeros; the
    /// key is handed back in a new array (which the page wipes once read).
    #[wasm_bindgen(js_name = deriveKey)]
    pub fn derive_key(
        secret: &Uint8Array,
        salt: &Uint8Array,
        memory_kib: u32,
        iterations: u32,
        parallelism: u32,
    ) -> Result<Uint8Array, JsError> {
        let bytes = Zeroizing::new(secret.to_vec());
        secret.fill(0, 0, secret.length());
        let mut key = Zeroizing::new([0u8; KEY_BYTES]);
        argon2id(
            memory_kib,
            iterations,
            parallelism,
            &bytes,
            &salt.to_vec(),
            &mut key,
        )
        .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Uint8Array::from(&key[..]))
    }
}

fn main() {}

#[cfg(test)]
mod tests {
    use super::argon2id::{argon2id, KEY_BYTES};
    use senco_desk::vault::KdfParams;

    /// The worker derives exactly the key the vault derives natively, at the settings every
    /// new desk uses.
    #[test]
    fn the_worker_derives_the_vaults_key() {
        let params = KdfParams::default();
        let (secret, salt) = (b"correct horse battery", b"sixteen byte salt");
        let mut worker = [0u8; KEY_BYTES];
        argon2id(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            secret,
            salt,
            &mut worker,
        )
        .unwrap();
        assert_eq!(worker, *params.derive(secret, salt).unwrap());
    }
}
