//! Proving attached files' pieces with the browser's own AES-GCM (WebCrypto), where the
//! page has it: a backup's check and a restore read every piece of every file, and
//! WebAssembly has no AES instructions, so this code's AES-GCM runs at about 25 MB/s here
//! where the browser's runs at hundreds. A page served over plain http has no
//! `crypto.subtle`; there, and whenever the browser does not open a piece (damaged, or any
//! error), this crate's AES-GCM ([`RustCheck`]) decides, so a piece is never called damaged
//! on the browser's word alone.
//!
//! The file key is copied into the browser's key store (not extractable) for as long as
//! its file's pieces are being read, and the copy made to import it is wiped at once. The
//! plain bytes the browser returns are zeroed at once: only their length is used.

use super::attachment::{PieceCheck, RustCheck};
use crate::domain::attachment::FileKey;
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use zeroize::Zeroizing;

/// A checker that uses WebCrypto when the page has it.
pub struct WebCryptoCheck {
    subtle: Option<web_sys::SubtleCrypto>,
    /// The last file key imported, and the browser's handle to it.
    imported: RefCell<Option<(Zeroizing<[u8; 32]>, web_sys::CryptoKey)>>,
}

impl Default for WebCryptoCheck {
    fn default() -> Self {
        WebCryptoCheck::new()
    }
}

impl WebCryptoCheck {
    pub fn new() -> WebCryptoCheck {
        WebCryptoCheck {
            subtle: subtle(),
            imported: RefCell::new(None),
        }
    }

    /// Whether the browser's AES-GCM is used (false over plain http).
    pub fn uses_browser(&self) -> bool {
        self.subtle.is_some()
    }

    async fn key(
        &self,
        subtle: &web_sys::SubtleCrypto,
        key: &FileKey,
    ) -> Option<web_sys::CryptoKey> {
        if let Some((bytes, handle)) = self.imported.borrow().as_ref() {
            if bytes.as_slice() == key.0.as_slice() {
                return Some(handle.clone());
            }
        }
        let raw = js_sys::Uint8Array::from(key.0.as_slice());
        let usages = js_sys::Array::of1(&JsValue::from_str("decrypt"));
        let imported = subtle
            .import_key_with_str("raw", &raw, "AES-GCM", false, &usages)
            .ok()
            .map(JsFuture::from);
        raw.fill(0, 0, raw.length());
        let handle: web_sys::CryptoKey = imported?.await.ok()?.dyn_into().ok()?;
        *self.imported.borrow_mut() = Some((Zeroizing::new(key.0), handle.clone()));
        Some(handle)
    }

    /// Some(length) when the browser opened it; None otherwise (then Rust decides).
    async fn browser_opens(
        &self,
        key: &FileKey,
        nonce: &[u8],
        sealed: &[u8],
        aad: &[u8],
    ) -> Option<usize> {
        let subtle = self.subtle.as_ref()?;
        let handle = self.key(subtle, key).await?;
        let params =
            web_sys::AesGcmParams::new_with_u8_array("AES-GCM", &js_sys::Uint8Array::from(nonce));
        params.set_additional_data_u8_array(&js_sys::Uint8Array::from(aad));
        params.set_tag_length(128);
        let data = js_sys::Uint8Array::from(sealed);
        let promise = subtle
            .decrypt_with_object_and_js_u8_array(&params, &handle, &data)
            .ok()?;
        // A refusal ("does not open", or any error) is left to Rust to confirm: it is the
        // rare path, and so the answer never rests on the browser alone.
        let plain: js_sys::ArrayBuffer = JsFuture::from(promise).await.ok()?.dyn_into().ok()?;
        let length = plain.byte_length();
        js_sys::Uint8Array::new(&plain).fill(0, 0, length);
        Some(length as usize)
    }
}

impl PieceCheck for WebCryptoCheck {
    async fn opens(&self, key: &FileKey, nonce: &[u8], sealed: &[u8], aad: &[u8]) -> Option<usize> {
        match self.browser_opens(key, nonce, sealed, aad).await {
            Some(length) => Some(length),
            None => RustCheck.opens(key, nonce, sealed, aad).await,
        }
    }
}

/// `crypto.subtle` of the page or worker, if it has one (a secure context).
fn subtle() -> Option<web_sys::SubtleCrypto> {
    let global = js_sys::global();
    let crypto = js_sys::Reflect::get(&global, &JsValue::from_str("crypto")).ok()?;
    let subtle = js_sys::Reflect::get(&crypto, &JsValue::from_str("subtle")).ok()?;
    match subtle.is_undefined() || subtle.is_null() {
        true => None,
        false => Some(subtle.unchecked_into()),
    }
}
