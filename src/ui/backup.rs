//! The emergency download: every sealed value of the desk as one JSON file. Still encrypted,
//! so it is safe on a USB stick; it opens only with the passphrase or the recovery key.

use crate::store::keys::PREFIX;
use crate::store::KeyValueStore;
use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

#[derive(Serialize)]
struct Snapshot {
    format: &'static str,
    version: u32,
    #[serde(with = "crate::domain::dates::timestamp")]
    created: chrono::DateTime<chrono::Utc>,
    items: BTreeMap<String, String>,
}

/// Builds the file's text from whatever the store holds now.
pub fn encrypted_snapshot(store: &impl KeyValueStore) -> Result<String, String> {
    let mut items = BTreeMap::new();
    let mut keys = store.keys().map_err(|e| e.to_string())?;
    keys.sort();
    for key in keys.into_iter().filter(|k| k.starts_with(PREFIX)) {
        if let Some(value) = store.get(&key).map_err(|e| e.to_string())? {
            items.insert(key, value);
        }
    }
    let file = Snapshot {
        format: "senco-desk/storage-snapshot",
        version: 1,
        created: chrono::Utc::now(),
        items,
    };
    serde_json::to_string(&file).map_err(|e| e.to_string())
}

/// Offers text as a file download without any network request.
pub fn download(file_name: &str, text: &str) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // Revoking at once can cancel the download in some browsers.
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}
