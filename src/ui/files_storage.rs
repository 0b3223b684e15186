//! Settings: the space attached files take, what the browser says is used and left (where
//! it says: `navigator.storage` is missing on a plain-http intranet), and the largest files.

use super::names::page_name;
use super::state::use_app;
use crate::domain::dates::format_uk;
use crate::domain::text::{count, file_size};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// How many of the largest files are listed.
const LARGEST_SHOWN: usize = 10;

#[component]
pub fn FilesStorage() -> impl IntoView {
    let app = use_app();
    // None while asking; Some(None) when the browser cannot say.
    let estimate = RwSignal::new(None::<Option<(f64, f64)>>);
    leptos::task::spawn_local(async move {
        let answer = storage_estimate().await;
        estimate.try_set(Some(answer));
    });
    let summary = move || {
        app.session.with(|s| {
            s.as_ref().map(|o| {
                let files = o.desk.files().map(|f| f.attachments.len()).sum::<usize>();
                (files, o.desk.attachment_bytes())
            })
        })
    };
    let largest = move || {
        app.session.with(|s| {
            s.as_ref()
                .map(|o| {
                    o.desk
                        .largest_attachments()
                        .into_iter()
                        .take(LARGEST_SHOWN)
                        .map(|(pupil, a)| {
                            let name = o
                                .desk
                                .file(&pupil.id)
                                .map(|f| page_name(app, f))
                                .unwrap_or_default();
                            (a.name.clone(), name, a.size_text(), format_uk(a.about))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section aria-labelledby="files-storage-title">
            <h2 id="files-storage-title">"Attached files and browser storage"</h2>
            <dl class="summary-list">
                <dt>"Attached files"</dt>
                <dd data-testid="files-total">{move || summary().map(|(n, bytes)| {
                    if n == 0 { "None".to_string() } else { format!("{}, {} in all", count(n, "file"), file_size(bytes)) }
                })}</dd>
                <dt>"Browser storage used"</dt>
                <dd data-testid="browser-storage-used">{move || match estimate.get() {
                    None => "Checking\u{2026}".to_string(),
                    Some(None) => "This browser does not say (a desk served over plain http cannot ask).".to_string(),
                    Some(Some((usage, _))) => file_size(usage as usize),
                }}</dd>
                <dt>"Browser storage left"</dt>
                <dd data-testid="browser-storage-left">{move || match estimate.get() {
                    None => "Checking\u{2026}".to_string(),
                    Some(None) => "This browser does not say.".to_string(),
                    Some(Some((usage, quota))) => format!("About {}", file_size((quota - usage).max(0.0) as usize)),
                }}</dd>
            </dl>
            {move || {
                let rows = largest();
                (!rows.is_empty()).then(|| view! {
                    <table class="table">
                        <caption>"The largest attached files"</caption>
                        <thead><tr><th scope="col">"File"</th><th scope="col">"Pupil"</th><th scope="col">"Size"</th><th scope="col">"About"</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|(file, pupil, size, about)| view! {
                                <tr><th scope="row">{file}</th><td>{pupil}</td><td>{size}</td><td>{about}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })
            }}
        </section>
    }
}

/// `navigator.storage.estimate()`: (bytes used, quota) for this site, or None where the
/// browser lacks it.
async fn storage_estimate() -> Option<(f64, f64)> {
    let navigator = web_sys::window()?.navigator();
    let storage = js_sys::Reflect::get(&navigator, &"storage".into()).ok()?;
    if storage.is_undefined() || storage.is_null() {
        return None;
    }
    let storage: web_sys::StorageManager = storage.unchecked_into();
    let estimate = JsFuture::from(storage.estimate().ok()?).await.ok()?;
    let estimate: web_sys::StorageEstimate = estimate.unchecked_into();
    Some((estimate.get_usage()?, estimate.get_quota()?))
}
