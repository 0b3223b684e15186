//! Persistent storage: asking the browser not to clear this site's data when space is short.

use wasm_bindgen_futures::JsFuture;

/// Asks the browser to keep this site's storage (`request` true) or only whether it already
/// does, and passes on the answer (None if the browser cannot say).
pub fn storage_persistence(request: bool, on_answer: impl FnOnce(Option<bool>) + 'static) {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
        return on_answer(None);
    };
    let promise = if request {
        storage.persist()
    } else {
        storage.persisted()
    };
    match promise {
        Ok(promise) => leptos::task::spawn_local_scoped(async move {
            on_answer(JsFuture::from(promise).await.ok().and_then(|a| a.as_bool()));
        }),
        Err(_) => on_answer(None),
    }
}
