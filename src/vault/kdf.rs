//! Passphrase to key: Argon2id with parameters kept in the header so they can be raised later.

use super::argon2id::argon2id;
use super::error::VaultError;
use super::key::KEY_LEN;
use argon2::Params;
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::task::{Context, Poll, Waker};
use zeroize::Zeroizing;

/// Argon2id cost settings, stored beside each key slot's salt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

/// Upper bounds on parameters read from storage or a file: beyond these a tab would
/// freeze or run out of memory, so such a header is refused rather than tried.
pub const MAX_MEMORY_KIB: u32 = 256 * 1024;
pub const MAX_ITERATIONS: u32 = 16;
pub const MAX_PARALLELISM: u32 = 8;

/// Lower bounds: OWASP's minimum for Argon2id, 19 MiB and 2 passes. Senco Desk has only
/// ever made slots with 64 MiB and 3 passes; a header or file asking for less would make
/// each guess at its passphrase cheap, so it is refused before any key is derived.
pub const MIN_MEMORY_KIB: u32 = 19 * 1024;
pub const MIN_ITERATIONS: u32 = 2;

impl Default for KdfParams {
    /// What a new desk uses: OWASP's Argon2id minimum is 19 MiB; we use 64 MiB, t = 3, p = 1.
    fn default() -> KdfParams {
        KdfParams {
            memory_kib: 64 * 1024,
            iterations: 3,
            parallelism: 1,
        }
    }
}

impl KdfParams {
    /// The least any key slot may ask for (OWASP's minimum).
    pub const MINIMUM: KdfParams = KdfParams {
        memory_kib: MIN_MEMORY_KIB,
        iterations: MIN_ITERATIONS,
        parallelism: 1,
    };

    /// The settings the tests make key slots with: the minimum, the quickest allowed.
    /// Never used by the app.
    pub const fn for_tests() -> KdfParams {
        KdfParams::MINIMUM
    }

    /// Refuses parameters that are absurd, too weak, or that Argon2 itself rejects.
    pub fn check(&self) -> Result<(), VaultError> {
        if self.memory_kib > MAX_MEMORY_KIB {
            return Err(VaultError::UnsafeKdfParams(format!(
                "memory {} KiB is more than {} KiB",
                self.memory_kib, MAX_MEMORY_KIB
            )));
        }
        if self.iterations > MAX_ITERATIONS {
            return Err(VaultError::UnsafeKdfParams(format!(
                "{} passes, more than {}",
                self.iterations, MAX_ITERATIONS
            )));
        }
        if self.parallelism == 0 || self.parallelism > MAX_PARALLELISM {
            return Err(VaultError::UnsafeKdfParams(format!(
                "parallelism {}, allowed 1 to {}",
                self.parallelism, MAX_PARALLELISM
            )));
        }
        if self.memory_kib < MIN_MEMORY_KIB || self.iterations < MIN_ITERATIONS {
            return Err(VaultError::WeakKdfParams(format!(
                "{} KiB of memory and {} pass{}, where at least {} KiB and {} passes are needed",
                self.memory_kib,
                self.iterations,
                if self.iterations == 1 { "" } else { "es" },
                MIN_MEMORY_KIB,
                MIN_ITERATIONS
            )));
        }
        // (Argon2's own floor, 8 KiB a lane, is far below the minimum memory at 8 lanes.)
        Ok(())
    }

    /// Derives a 256-bit key-encryption key from a secret and a salt.
    pub fn derive(
        &self,
        secret: &[u8],
        salt: &[u8],
    ) -> Result<Zeroizing<[u8; KEY_LEN]>, VaultError> {
        self.check()?;
        #[cfg(test)]
        if let Some(key) = remembered::get(self, secret, salt) {
            return Ok(key);
        }
        // Argon2's own refusal of the settings, told apart from its refusal of the inputs.
        Params::new(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            Some(KEY_LEN),
        )
        .map_err(|e| VaultError::UnsafeKdfParams(e.to_string()))?;
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        argon2id(
            self.memory_kib,
            self.iterations,
            self.parallelism,
            secret,
            salt,
            &mut out,
        )
        .map_err(|e| VaultError::DamagedHeader(format!("key settings: {e}")))?;
        #[cfg(test)]
        remembered::put(self, secret, salt, &out);
        Ok(out)
    }
}

/// Where a key is derived: here and now ([`OnThisThread`]), or somewhere it is awaited (in
/// the browser, a Web Worker of its own, so the page keeps painting while Argon2 runs). The
/// vault's unlock and key-slot code is written once, against this, and natively runs at once.
pub trait DeriveKey {
    /// Derives the key-encryption key for `secret` and `salt` with `params`, as
    /// [`KdfParams::derive`] does (and with the same checks first).
    fn derive_key<'a>(
        &'a self,
        params: KdfParams,
        secret: &'a [u8],
        salt: &'a [u8],
    ) -> impl Future<Output = Result<Zeroizing<[u8; KEY_LEN]>, VaultError>> + 'a;
}

/// Derives on the calling thread, before the future is even polled: natively, in tests and
/// in the command-line tools.
pub struct OnThisThread;

impl DeriveKey for OnThisThread {
    fn derive_key<'a>(
        &'a self,
        params: KdfParams,
        secret: &'a [u8],
        salt: &'a [u8],
    ) -> impl Future<Output = Result<Zeroizing<[u8; KEY_LEN]>, VaultError>> + 'a {
        std::future::ready(params.derive(secret, salt))
    }
}

/// Runs vault code written against [`DeriveKey`] with [`OnThisThread`] to its end: such a
/// future never waits, so one poll finishes it. (Anything else awaited would be a bug.)
pub fn at_once<T>(future: impl Future<Output = T>) -> T {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(value) => value,
        Poll::Pending => unreachable!("key derivation on this thread never waits"),
    }
}

/// The unit tests unlock the same few key slots hundreds of times, and each derivation at
/// the least settings allowed takes a tenth of a second there. Argon2 is a pure function of
/// its settings, secret and salt, so in test builds a result is remembered and given again
/// for the same three; everything before it (the checks) and after it runs as always.
#[cfg(test)]
mod remembered {
    use super::{KdfParams, KEY_LEN};
    use std::collections::HashMap;
    use std::sync::Mutex;
    use zeroize::Zeroizing;

    type Inputs = (KdfParams, Vec<u8>, Vec<u8>);
    static KEYS: Mutex<Option<HashMap<Inputs, [u8; KEY_LEN]>>> = Mutex::new(None);

    pub fn get(params: &KdfParams, secret: &[u8], salt: &[u8]) -> Option<Zeroizing<[u8; KEY_LEN]>> {
        let keys = KEYS.lock().unwrap_or_else(|e| e.into_inner());
        let inputs = (*params, secret.to_vec(), salt.to_vec());
        keys.as_ref()?.get(&inputs).copied().map(Zeroizing::new)
    }

    pub fn put(params: &KdfParams, secret: &[u8], salt: &[u8], key: &[u8; KEY_LEN]) {
        let mut keys = KEYS.lock().unwrap_or_else(|e| e.into_inner());
        let inputs = (*params, secret.to_vec(), salt.to_vec());
        keys.get_or_insert_with(HashMap::new).insert(inputs, *key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{Algorithm, Argon2, Version};

    #[test]
    fn new_desks_use_at_least_64_mib_and_three_passes() {
        let p = KdfParams::default();
        assert!(p.memory_kib >= 65536 && p.iterations >= 3 && p.parallelism == 1);
    }

    #[test]
    fn derivation_is_argon2id_and_depends_on_secret_and_salt() {
        let p = KdfParams::for_tests();
        let a = p.derive(b"correct horse", b"salt-one-16bytes").unwrap();
        let c = p.derive(b"correct horsf", b"salt-one-16bytes").unwrap();
        let d = p.derive(b"correct horse", b"salt-two-16bytes").unwrap();
        // Argon2id v1.3 itself, with the same settings (not through `derive`, whose results
        // test builds remember).
        let mut expected = [0u8; KEY_LEN];
        Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(p.memory_kib, p.iterations, p.parallelism, Some(KEY_LEN)).unwrap(),
        )
        .hash_password_into(b"correct horse", b"salt-one-16bytes", &mut expected)
        .unwrap();
        assert_eq!(*a, expected);
        assert_eq!(
            *p.derive(b"correct horse", b"salt-one-16bytes").unwrap(),
            expected
        );
        assert_ne!(*a, *c);
        assert_ne!(*a, *d);
    }

    #[test]
    fn point_7_settings_below_owasps_minimum_are_refused_before_any_work() {
        for weak in [
            KdfParams {
                memory_kib: 64,
                iterations: 1,
                parallelism: 1,
            },
            KdfParams {
                memory_kib: MIN_MEMORY_KIB - 1,
                ..KdfParams::default()
            },
            KdfParams {
                iterations: 1,
                ..KdfParams::default()
            },
            KdfParams {
                iterations: 0,
                ..KdfParams::default()
            },
        ] {
            match weak.check() {
                Err(VaultError::WeakKdfParams(detail)) => {
                    assert!(detail.contains(&weak.memory_kib.to_string()), "{detail}")
                }
                other => panic!("{weak:?}: {other:?}"),
            }
            assert!(matches!(
                weak.derive(b"x", b"salt-salt-salt-1"),
                Err(VaultError::WeakKdfParams(_))
            ));
        }
        assert_eq!(KdfParams::MINIMUM.check(), Ok(()));
        let message = VaultError::WeakKdfParams("64 KiB".into()).to_string();
        assert!(message.contains("weaker") && message.contains("Nothing has been changed"));
    }

    #[test]
    fn absurd_parameters_are_refused_before_any_work() {
        for params in [
            KdfParams {
                memory_kib: u32::MAX,
                ..KdfParams::default()
            },
            KdfParams {
                iterations: 1_000_000,
                ..KdfParams::default()
            },
            KdfParams {
                parallelism: 0,
                ..KdfParams::default()
            },
        ] {
            assert!(matches!(
                params.derive(b"x", b"salt-salt-salt-1"),
                Err(VaultError::UnsafeKdfParams(_))
            ));
        }
    }
}
