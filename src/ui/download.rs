//! Saving a file to the user's computer, made in the page: no network request.

use wasm_bindgen::JsCast;

/// Reads a file the user chose, in the page (no upload). None if the browser could not
/// read it (a USB stick pulled out, a file moved).
pub async fn read_chosen_file(file: &web_sys::File) -> Option<Vec<u8>> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Offers JSON text as a file download without any network request.
pub fn download(file_name: &str, text: &str) -> Result<(), String> {
    download_as(file_name, text, "application/json")
}

/// Offers text of a given type (a CSV file) as a download without any network request.
pub fn download_as(file_name: &str, text: &str, mime: &str) -> Result<(), String> {
    let fail = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
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
