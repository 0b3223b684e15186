//! Key derivation off the page's thread. Argon2id at 64 MiB and three passes takes about
//! half a second and cannot yield, so each derivation runs in a Web Worker of its own
//! (kdf-worker.js with senco-desk-kdf_bg.wasm, Argon2 only, from this site's own files):
//! the page keeps painting and answering while it runs. The worker is ended as soon as it
//! answers, so its 64 MiB and every copy of the secret go with it.

use super::perf;
use crate::vault::{DeriveKey, KdfParams, VaultError};
use js_sys::{Array, Object, Reflect, Uint8Array};
use std::future::Future;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};
use zeroize::Zeroizing;

/// The worker script, beside index.html (relative, as every asset: the app may be served
/// from a folder).
const WORKER_SCRIPT: &str = "kdf-worker.js";

/// The key length the vault uses.
const KEY_LEN: usize = 32;

/// Derives a key-encryption key in a worker. The settings are checked here first, as
/// [`KdfParams::derive`] would. If no worker can be started or it fails (a host that does
/// not serve its file, a browser that blocks it), the key is derived on this thread as
/// before: slower to paint, never wrong. Every current browser runs classic workers.
pub async fn derive_key(
    secret: &[u8],
    salt: &[u8],
    params: KdfParams,
) -> Result<Zeroizing<[u8; KEY_LEN]>, VaultError> {
    params.check()?;
    match in_worker(secret, salt, params).await {
        Ok(key) => {
            // The end-to-end test and the benchmark read this to know the worker was used.
            perf::mark("senco:kdf-worker");
            Ok(key)
        }
        Err(_) => {
            perf::mark("senco:kdf-main-thread");
            params.derive(secret, salt)
        }
    }
}

/// The vault's key derivation, done by [`derive_key`].
pub struct InWorker;

impl DeriveKey for InWorker {
    fn derive_key<'a>(
        &'a self,
        params: KdfParams,
        secret: &'a [u8],
        salt: &'a [u8],
    ) -> impl Future<Output = Result<Zeroizing<[u8; KEY_LEN]>, VaultError>> + 'a {
        derive_key(secret, salt, params)
    }
}

/// Starts a worker, sends it the secret (its buffer moved, not copied, and wiped by the
/// worker once read), awaits the key and ends the worker, whatever the answer.
async fn in_worker(
    secret: &[u8],
    salt: &[u8],
    params: KdfParams,
) -> Result<Zeroizing<[u8; KEY_LEN]>, JsValue> {
    let worker = Worker::new(WORKER_SCRIPT)?;
    let answer = ask(&worker, secret, salt, params).await;
    worker.terminate();
    let data = answer?.data();
    let key = Reflect::get(&data, &"key".into())?
        .dyn_into::<Uint8Array>()
        .map_err(|_| Reflect::get(&data, &"error".into()).unwrap_or(JsValue::NULL))?;
    if key.length() as usize != KEY_LEN {
        key.fill(0, 0, key.length());
        return Err("the worker's key has the wrong length".into());
    }
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    key.copy_to(&mut out[..]);
    key.fill(0, 0, key.length());
    Ok(out)
}

async fn ask(
    worker: &Worker,
    secret: &[u8],
    salt: &[u8],
    params: KdfParams,
) -> Result<MessageEvent, JsValue> {
    // The first message or error settles the promise: no closure is left behind.
    let answered = js_sys::Promise::new(&mut |resolve, reject| {
        worker.set_onmessage(Some(&resolve));
        worker.set_onerror(Some(&reject));
        worker.set_onmessageerror(Some(&reject));
    });
    let secret = Uint8Array::from(secret);
    let message = Object::new();
    Reflect::set(&message, &"secret".into(), &secret)?;
    Reflect::set(&message, &"salt".into(), &Uint8Array::from(salt))?;
    Reflect::set(&message, &"memoryKib".into(), &params.memory_kib.into())?;
    Reflect::set(&message, &"iterations".into(), &params.iterations.into())?;
    Reflect::set(&message, &"parallelism".into(), &params.parallelism.into())?;
    let sent = worker.post_message_with_transfer(&message, &Array::of1(&secret.buffer()));
    if sent.is_err() {
        // Not moved to the worker: wipe this thread's copy.
        secret.fill(0, 0, secret.length());
    }
    sent?;
    Ok(JsFuture::from(answered).await?.unchecked_into())
}
