//! Issue 14: every key the vault derives can be derived elsewhere (in the browser, a Web
//! Worker of its own) and awaited, so the page keeps painting while Argon2 runs. These tests
//! give the vault a deriver that counts its calls and makes the caller wait once, as a
//! worker does, and check each path derives through it, and only through it.

use super::*;
use chrono::Utc;
use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use zeroize::Zeroizing;

const PASS: &str = "a long enough passphrase";

/// Derives as the vault does, but answers only on the second poll (like a worker's message)
/// and records the salt of each derivation.
#[derive(Default)]
struct Elsewhere {
    salts: RefCell<Vec<Vec<u8>>>,
}

impl DeriveKey for Elsewhere {
    fn derive_key<'a>(
        &'a self,
        params: KdfParams,
        secret: &'a [u8],
        salt: &'a [u8],
    ) -> impl Future<Output = Result<Zeroizing<[u8; 32]>, VaultError>> + 'a {
        let mut waited = false;
        std::future::poll_fn(move |cx| {
            if !waited {
                waited = true;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            self.salts.borrow_mut().push(salt.to_vec());
            Poll::Ready(params.derive(secret, salt))
        })
    }
}

impl Elsewhere {
    fn count(&self) -> usize {
        self.salts.borrow().len()
    }
}

/// Polls to the end, counting the times the future had to wait.
fn run<T>(future: impl Future<Output = T>) -> (T, usize) {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    let mut waits = 0;
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(value) => return (value, waits),
            Poll::Pending => waits += 1,
        }
    }
}

fn new_desk() -> (Header, Vault, RecoveryKey) {
    static MADE: std::sync::OnceLock<(Header, Vault, RecoveryKey)> = std::sync::OnceLock::new();
    MADE.get_or_init(|| Header::create(PASS, KdfParams::for_tests(), Utc::now()).unwrap())
        .clone()
}

#[test]
fn unlocking_derives_elsewhere_and_waits_for_the_key() {
    let (header, vault, recovery) = new_desk();
    let kdf = Elsewhere::default();
    let (opened, waits) = run(header.unlock_with(PASS, &kdf));
    let opened = opened.unwrap();
    assert_eq!((kdf.count(), waits), (1, 1), "one derivation, awaited");
    assert_eq!(opened.unlocked_with, "SENCO");
    let sealed = vault.seal("pupil-1", b"record");
    assert_eq!(
        opened.open("pupil-1", &sealed).unwrap().as_slice(),
        b"record"
    );

    // A recovery key tries its own slot first: still one derivation.
    let kdf = Elsewhere::default();
    let (opened, _) = run(header.unlock_with(&recovery.display(), &kdf));
    assert_eq!(opened.unwrap().unlocked_with, "Recovery key");
    assert_eq!(kdf.count(), 1);

    // A wrong secret is told apart after trying the passphrase slot, and nothing opens.
    let kdf = Elsewhere::default();
    let (wrong, _) = run(header.unlock_with("not the passphrase", &kdf));
    assert_eq!(wrong.unwrap_err(), VaultError::WrongSecret);
    assert_eq!(kdf.count(), 1);
}

#[test]
fn a_key_derived_outside_opens_only_the_slot_of_its_salt_and_settings() {
    let (header, _, _) = new_desk();
    let slot = header
        .slots
        .iter()
        .find(|s| s.kind == SlotKind::Passphrase)
        .unwrap();
    let salt = b64::decode(&slot.kdf.salt).unwrap();
    let params = slot.kdf.params;
    let kek = params.derive(PASS.as_bytes(), &salt).unwrap();
    let opened = header.unlock_with_kek(&params, &salt, &kek).unwrap();
    assert_eq!(opened.unwrap().unlocked_with, "SENCO");
    // Another salt or other settings name no slot; a wrong key opens none.
    assert!(header
        .unlock_with_kek(&params, b"another salt!!!!", &kek)
        .unwrap()
        .is_none());
    let other = KdfParams {
        iterations: params.iterations + 1,
        ..params
    };
    assert!(header
        .unlock_with_kek(&other, &salt, &kek)
        .unwrap()
        .is_none());
    assert!(header
        .unlock_with_kek(&params, &salt, &[7; 32])
        .unwrap()
        .is_none());
}

#[test]
fn a_new_desk_and_a_backups_own_passphrase_derive_every_key_elsewhere() {
    let kdf = Elsewhere::default();
    let (keys, waits) = run(NewDeskKeys::make_with(
        PASS,
        KdfParams::for_tests(),
        Utc::now(),
        &kdf,
    ));
    let (header, _, recovery) = keys.unwrap().into_parts();
    assert_eq!(
        (kdf.count(), waits),
        (2, 2),
        "one key for each of the two slots"
    );
    // Each derivation used the salt its slot stores, so the secrets open the desk natively.
    let salts: Vec<Vec<u8>> = header
        .slots
        .iter()
        .map(|s| b64::decode(&s.kdf.salt).unwrap())
        .collect();
    assert_eq!(*kdf.salts.borrow(), salts);
    assert_eq!(header.unlock(PASS).unwrap().unlocked_with, "SENCO");
    assert!(header.unlock(&recovery.display()).is_ok());

    let kdf = Elsewhere::default();
    let (own, _) = run(Header::with_only_passphrase_with(
        "a colleague's own passphrase",
        KdfParams::for_tests(),
        Utc::now(),
        &kdf,
    ));
    let (own, _) = own.unwrap();
    assert_eq!(kdf.count(), 1);
    assert!(own.unlock("a colleague's own passphrase").is_ok());
}

#[test]
fn changing_a_secret_checks_the_current_one_and_derives_elsewhere() {
    let (header, _, recovery) = new_desk();
    let kdf = Elsewhere::default();
    let (change, waits) = run(header.change_secret_with(
        PASS,
        KeyChange::NewPassphrase("a brand new passphrase"),
        KdfParams::for_tests(),
        &kdf,
    ));
    let change = change.unwrap();
    assert_eq!(
        (kdf.count(), waits),
        (2, 2),
        "the current one checked, the new one made"
    );
    assert!(change.is_from(&header));
    let rotation = change.into_rotation();
    let changed = rotation.header;
    assert!(rotation.recovery.is_none());
    assert!(changed.unlock("a brand new passphrase").is_ok());
    assert_eq!(changed.unlock(PASS).unwrap_err(), VaultError::WrongSecret);
    assert!(changed.unlock(&recovery.display()).is_ok());

    let kdf = Elsewhere::default();
    let (change, _) = run(header.change_secret_with(
        PASS,
        KeyChange::NewRecoveryKey,
        KdfParams::for_tests(),
        &kdf,
    ));
    let rotation = change.unwrap().into_rotation();
    let (changed, fresh) = (rotation.header, rotation.recovery);
    assert_eq!(kdf.count(), 2);
    assert!(changed.unlock(&fresh.unwrap().display()).is_ok());
    assert!(changed.unlock(&recovery.display()).is_err());

    // A wrong current secret makes nothing, and derives no new slot's key.
    let kdf = Elsewhere::default();
    let (refused, _) = run(header.change_secret_with(
        "not the passphrase",
        KeyChange::NewPassphrase("a brand new passphrase"),
        KdfParams::for_tests(),
        &kdf,
    ));
    assert_eq!(refused.err(), Some(VaultError::WrongSecret));
    assert_eq!(kdf.count(), 1);
}

#[test]
fn the_sync_functions_still_derive_on_this_thread_at_once() {
    let (header, _, _) = new_desk();
    // `unlock` is `unlock_with` on this thread: one poll, no waiting.
    let (opened, waits) = run(header.unlock_with(PASS, &OnThisThread));
    assert_eq!(waits, 0);
    assert_eq!(
        opened.unwrap().unlocked_with,
        header.unlock(PASS).unwrap().unlocked_with
    );
}
