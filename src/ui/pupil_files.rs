//! The Files section of a pupil's page, and the form that attaches a file: chosen or
//! dropped, up to 25 MB, sealed in pieces in this page (nothing is uploaded), then named in
//! the pupil's file. Opening and downloading decrypt in the page; a download's name is
//! neutral ("attachment-2026-12-01.pdf"), never the pupil's or the file's own name.

use super::form::{error_for, today, ErrorSummary, Problem, TextArea, TextField};
use super::pupil_page::file_of;
use super::shell::set_title;
use super::state::{use_app, AppState, Notice};
use crate::domain::attachment::{
    check_size, chunk_count, Attachment, AttachmentDraft, AttachmentField, CHUNK_BYTES,
    MAX_DESCRIPTION_CHARS,
};
use crate::domain::dates::format_uk;
use crate::domain::text::file_size;
use crate::domain::PupilId;
use crate::store::files::{
    browser_chunks, delete_files, read_attachment, sweep_orphans, FileChunks,
};
use crate::vault::attachment::{new_file_id, new_file_key, seal_chunk};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use zeroize::Zeroize;

/// The Files section: each file with its size and dates, Open, Download and Delete (with a
/// confirmation), and the button that opens the attach form.
#[component]
pub fn FilesSection(id: PupilId, editable: bool, on_attach: Callback<()>) -> impl IntoView {
    let app = use_app();
    let Some(file) = file_of(app, &id) else {
        return ().into_any();
    };
    let files: Vec<Attachment> = file.attachments.iter().rev().cloned().collect();
    // The file whose deletion is being confirmed.
    let confirming = RwSignal::new(None::<Attachment>);
    let busy = RwSignal::new(false);
    let rows = files
        .into_iter()
        .map(|a| {
            let delete_id = format!("delete-file-{}", a.id);
            let about = format_uk(a.about);
            let added = format!("{} by {}", format_uk(a.added_at.date_naive()), a.added_by);
            let open = {
                let a = a.clone();
                move |_| open_in_new_tab(app, a.clone())
            };
            let download = {
                let a = a.clone();
                move |_| download_file(app, a.clone())
            };
            let ask = {
                let a = a.clone();
                move |_| {
                    confirming.set(Some(a.clone()));
                    request_animation_frame(|| focus_by_id("confirm-delete-file-title"));
                }
            };
            let hidden = format!(" {}", a.name);
            view! {
                <tr>
                    <th scope="row">{a.name.clone()}
                        {(!a.description.is_empty()).then(|| view! { <br/><span class="hint">{a.description.clone()}</span> })}
                    </th>
                    <td>{about}</td>
                    <td>{a.size_text()}</td>
                    <td>{added}</td>
                    <td>
                        <div class="button-group">
                            <button type="button" class="button button--secondary" on:click=open>
                                "Open"<span class="visually-hidden">{hidden.clone()}</span>
                            </button>
                            <button type="button" class="button button--secondary" on:click=download>
                                "Download"<span class="visually-hidden">{hidden.clone()}</span>
                            </button>
                            {editable.then(|| view! {
                                <button type="button" id=delete_id class="button button--link button--danger" on:click=ask.clone()>
                                    "Delete"<span class="visually-hidden">{hidden.clone()}</span>
                                </button>
                            })}
                        </div>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let empty = file.attachments.is_empty();
    let pupil_id = id.clone();
    let confirm = move |_| {
        let Some(a) = confirming.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let pupil = pupil_id.clone();
        let now = chrono::Utc::now();
        // The record first, then the pieces: a failure between leaves pieces nobody names,
        // which the next unlock sweeps, never a listed file that cannot open.
        spawn_local(async move {
            let saved = app
                .save(|open, store| open.detach_file(store, &pupil, &a.id, now))
                .await;
            // The section is drawn again once the record is saved: these may be gone.
            busy.try_set(false);
            match saved {
                Ok(gone) => {
                    confirming.try_set(None);
                    delete_pieces(gone.into_iter().map(|g| g.id).collect());
                    app.notice
                        .set(Some(Notice::info(format!("{} was deleted.", a.name))));
                    request_animation_frame(|| focus_by_id("section-files"));
                }
                Err(e) => app.notice.set(Some(Notice::error(e.to_string()))),
            }
        });
    };
    let keep = move |_| {
        if let Some(a) = confirming.get_untracked() {
            confirming.set(None);
            let id = format!("delete-file-{}", a.id);
            request_animation_frame(move || focus_by_id(&id));
        }
    };
    view! {
        <h2 id="section-files" tabindex="-1">"Files"</h2>
        {editable.then(|| view! {
            <p><button type="button" class="button" on:click=move |_| on_attach.run(())>"Attach a file"</button></p>
        })}
        {if empty {
            view! { <p>"No files attached."</p> }.into_any()
        } else {
            view! {
                <table class="table">
                    <caption class="visually-hidden">"Attached files, newest first"</caption>
                    <thead><tr>
                        <th scope="col">"File"</th><th scope="col">"About"</th><th scope="col">"Size"</th>
                        <th scope="col">"Added"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            }.into_any()
        }}
        {move || confirming.get().map(|a| view! {
            <div class="notice notice--warning" role="group" aria-labelledby="confirm-delete-file-title">
                <h3 id="confirm-delete-file-title" tabindex="-1">{format!("Delete {}?", a.name)}</h3>
                <p>"The file is removed from this desk and its storage. It cannot be undone: keep the original if you may need it."</p>
                <div class="button-group">
                    <button type="button" class="button button--danger" on:click=confirm.clone() disabled=move || busy.get()>"Delete the file"</button>
                    <button type="button" class="button button--secondary" on:click=keep>"Keep the file"</button>
                </div>
            </div>
        })}
    }
    .into_any()
}

/// The attach form: a file (chosen or dropped), a description, the date it is about.
#[component]
pub fn AttachForm(id: PupilId, on_done: Callback<()>) -> impl IntoView {
    let app = use_app();
    set_title("Attach a file");
    let name = file_of(app, &id)
        .map(|f| crate::ui::names::page_name(app, &f))
        .unwrap_or_default();
    let added_by = app.session.with_untracked(|s| {
        s.as_ref()
            .map(|o| o.unlocked_with().to_string())
            .unwrap_or_default()
    });
    let chosen = StoredValue::new_local(None::<web_sys::File>);
    let chosen_text = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let about = RwSignal::new(format_uk(today()));
    let problems = RwSignal::new(Vec::<Problem>::new());
    let progress = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    // A file chosen or dropped: shown by name, and refused at once if too large.
    let take = move |file: Option<web_sys::File>| {
        problems.update(|list| list.retain(|(f, _)| f != AttachmentField::File.id()));
        match &file {
            Some(f) => {
                let size = f.size() as usize;
                chosen_text.set(format!("Chosen: {} ({})", f.name(), file_size(size)));
                if let Err(e) = check_size(size) {
                    problems.update(|list| list.push((AttachmentField::File.id().into(), e)));
                }
            }
            None => chosen_text.set(String::new()),
        }
        chosen.set_value(file);
    };
    let on_choose = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        take(input.files().and_then(|list| list.get(0)));
    };
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let file = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|list| list.get(0));
        if file.is_some() {
            take(file);
        }
    };

    let pupil = id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let file = chosen.get_value();
        let draft = AttachmentDraft {
            name: file.as_ref().map(|f| f.name()).unwrap_or_default(),
            size: file.as_ref().map(|f| f.size() as usize).unwrap_or(0),
            media_type: file.as_ref().map(|f| f.type_()).unwrap_or_default(),
            description: description.get_untracked(),
            about: about.get_untracked(),
        };
        let details = match draft.validate(today()) {
            Ok(details) => details,
            Err(list) => {
                problems.set(
                    list.into_iter()
                        .map(|(f, m)| (f.id().to_string(), m))
                        .collect(),
                );
                return;
            }
        };
        let Some(file) = file else { return };
        problems.set(Vec::new());
        busy.set(true);
        let pupil = pupil.clone();
        spawn_local(async move {
            let result = attach(app, &pupil, file, details, progress).await;
            busy.set(false);
            progress.set(String::new());
            match result {
                Ok(name) => {
                    app.notice
                        .set(Some(Notice::info(format!("{name} was attached."))));
                    on_done.run(());
                }
                Err(message) => problems.set(vec![(String::new(), message)]),
            }
        });
    };
    let title = format!("Attach a file to {name}'s record");
    view! {
        <h1 tabindex="-1">{title}</h1>
        <p>"The file is sealed in this browser with the desk's encryption: nothing is uploaded. Its name is shown only inside Senco Desk; a download is named by its date."</p>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <div class="field" class:field--error=move || error_for(problems, AttachmentField::File.id()).get().is_some()>
                <label for="attach-file">"File to attach"</label>
                <p class="hint" id="attach-file-hint">"A report, plan or letter: PDF, Word, an image or any other file, up to 25 MB."</p>
                {move || error_for(problems, AttachmentField::File.id()).get().map(|m| view! {
                    <p class="field-error" id="attach-file-error"><span class="visually-hidden">"Error: "</span>{m}</p>
                })}
                <input type="file" id="attach-file" name="attach-file"
                    aria-describedby=move || if error_for(problems, AttachmentField::File.id()).get().is_some() {
                        "attach-file-hint attach-file-chosen attach-file-error"
                    } else {
                        "attach-file-hint attach-file-chosen"
                    }
                    aria-invalid=move || error_for(problems, AttachmentField::File.id()).get().map(|_| "true")
                    on:change=on_choose/>
                <div class="drop-zone" class:drop-zone--active=move || dragging.get()
                    on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                    on:dragleave=move |_| dragging.set(false)
                    on:drop=on_drop>
                    "Or drop a file here."
                </div>
                <p id="attach-file-chosen" aria-live="polite">{move || chosen_text.get()}</p>
            </div>
            <TextArea id="attach-description" label="Description" limit=MAX_DESCRIPTION_CHARS value=description
                hint="What it is and who wrote it, for example: Educational psychologist's report."
                error=error_for(problems, AttachmentField::Description.id())/>
            <TextField date=true id="attach-about" label="Date the file is about" value=about
                hint="Day/month/year: the date of the report or letter."
                error=error_for(problems, AttachmentField::About.id())/>
            <p>{format!("Added by: {added_by}")}</p>
            <p role="status" aria-live="polite">{move || progress.get()}</p>
            <div class="button-group">
                <button type="submit" class="button" disabled=move || busy.get()>"Attach file"</button>
                <button type="button" class="button button--secondary" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

/// Removes the pieces of files no longer named (a deleted file, an erased pupil's files).
pub fn delete_pieces(file_ids: Vec<String>) {
    if !file_ids.is_empty() {
        spawn_local(async move {
            let _ = delete_files(&*browser_chunks(), file_ids).await;
        });
    }
}

/// After unlocking: removes stored pieces no record names (an add whose save failed, a
/// delete or erasure cut short, a restore that replaced the records). Not when any pupil's
/// file failed to open: the files it names are unknown. Files this browser began adding in
/// the last ten minutes (perhaps in another tab, still saving) are spared.
pub fn sweep_after_unlock(app: AppState) {
    let named = app.session.with_untracked(|s| {
        s.as_ref()
            // Summaries name no attached files: only once every full file is open.
            .filter(|o| o.is_fully_open() && o.desk.damaged.is_empty())
            .map(|o| o.desk.attachment_ids())
    });
    let Some(named) = named else { return };
    let spare = adding::recent();
    spawn_local(async move {
        let _ = sweep_orphans(&*browser_chunks(), &named, &spare).await;
    });
}

/// Files being added in this browser, by random id and start time, in localStorage so every
/// tab sees them: the ids name nothing about a pupil.
pub(super) mod adding {
    use std::collections::{BTreeMap, BTreeSet};

    const KEY: &str = "senco-desk-files-being-added";
    const SPARE_MS: f64 = 10.0 * 60.0 * 1000.0;

    fn read() -> BTreeMap<String, f64> {
        let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
        storage
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    fn write(map: &BTreeMap<String, f64>) {
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = if map.is_empty() {
                storage.remove_item(KEY)
            } else {
                storage.set_item(KEY, &serde_json::to_string(map).unwrap_or_default())
            };
        }
    }

    pub fn start(file_id: &str) {
        let now = js_sys::Date::now();
        let mut map = read();
        map.retain(|_, at| now - *at < SPARE_MS);
        map.insert(file_id.to_string(), now);
        write(&map);
    }

    pub fn done(file_id: &str) {
        let mut map = read();
        map.remove(file_id);
        write(&map);
    }

    pub fn recent() -> BTreeSet<String> {
        let now = js_sys::Date::now();
        read()
            .into_iter()
            .filter(|(_, at)| now - *at < SPARE_MS)
            .map(|(id, _)| id)
            .collect()
    }
}

/// Reads the chosen file, seals it piece by piece (letting the page paint between pieces),
/// stores the pieces, then saves the pupil's file naming it. Returns the file's name.
async fn attach(
    app: AppState,
    pupil: &PupilId,
    file: web_sys::File,
    details: crate::domain::attachment::AttachmentDetails,
    progress: RwSignal<String>,
) -> Result<String, String> {
    // The benchmark's "attach a file": from the form's submit to the pupil's file saved.
    super::perf::start("senco:attach-file");
    progress.set("Reading the file\u{2026}".into());
    let mut bytes = super::download::read_chosen_file(&file)
        .await
        .ok_or("The browser could not read that file. Choose it again.")?;
    if bytes.len() != details.size {
        bytes.zeroize();
        return Err("The file changed while it was being read. Choose it again.".into());
    }
    let file_id = new_file_id();
    let key = new_file_key();
    let count = chunk_count(bytes.len());
    let mut pieces = Vec::with_capacity(count as usize);
    for (index, plain) in bytes.chunks(CHUNK_BYTES).enumerate() {
        progress.set(format!("Sealing piece {} of {count}\u{2026}", index + 1));
        yield_to_page().await;
        pieces.push(seal_chunk(&key, &file_id, index as u32, count, plain));
    }
    bytes.zeroize();
    progress.set("Saving\u{2026}".into());
    let chunks = browser_chunks();
    adding::start(&file_id);
    if let Err(e) = chunks.put_file(&file_id, pieces).await {
        let _ = chunks.delete_file(&file_id).await;
        adding::done(&file_id);
        return Err(e.to_string());
    }
    let added_by = app.session.with_untracked(|s| {
        s.as_ref()
            .map(|o| o.unlocked_with().to_string())
            .unwrap_or_default()
    });
    let attachment = details.into_attachment(file_id.clone(), key, &added_by, chrono::Utc::now());
    let name = attachment.name.clone();
    let now = chrono::Utc::now();
    let saved = app
        .save(|open, store| open.attach_file(store, pupil, attachment, now))
        .await;
    adding::done(&file_id);
    match saved {
        Ok(()) => {
            super::perf::end("senco:attach-file");
            Ok(name)
        }
        Err(e) => {
            // Nobody names the pieces: remove them now (or the next unlock sweeps them).
            let _ = chunks.delete_file(&file_id).await;
            Err(e.to_string())
        }
    }
}

/// Waits for a zero-length timeout: the page paints and takes input before the next piece.
async fn yield_to_page() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Decrypts a file to a Blob of its type (None and an error notice if it does not open).
async fn decrypted_blob(app: AppState, attachment: &Attachment) -> Option<web_sys::Blob> {
    // The benchmark's "open a file": its pieces read, opened and made into a Blob.
    super::perf::start("senco:open-file");
    let bytes = match read_attachment(&*browser_chunks(), attachment).await {
        Ok(bytes) => bytes,
        Err(e) => {
            app.notice.set(Some(Notice::error(e.to_string())));
            return None;
        }
    };
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(attachment.shown_as());
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok();
    // The copy in the page's memory: wiped now (the Blob lives only until its URL goes).
    array.fill(0, 0, array.length());
    super::perf::end("senco:open-file");
    blob
}

/// Download: an `<a download>` with the neutral name, the object URL revoked after.
pub(super) fn download_file(app: AppState, attachment: Attachment) {
    spawn_local(async move {
        let Some(blob) = decrypted_blob(app, &attachment).await else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        let link = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("a").ok())
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        if let Some(link) = link {
            link.set_href(&url);
            link.set_download(&attachment.download_name());
            link.click();
        }
        revoke_later(url);
    });
}

/// Open: a new tab titled with the neutral name, showing the file in a frame (so the tab's
/// title is never the file's own, which a PDF may carry). The tab is opened at the click,
/// as browsers allow, and filled once the file is decrypted.
fn open_in_new_tab(app: AppState, attachment: Attachment) {
    let Some(tab) =
        web_sys::window().and_then(|w| w.open_with_url_and_target("", "_blank").ok().flatten())
    else {
        app.notice.set(Some(Notice::error(
            "The browser did not open a new tab: allow pop-ups for Senco Desk, or use Download.",
        )));
        return;
    };
    let title = attachment.download_name();
    if let Some(document) = tab.document() {
        document.set_title(&title);
        if let Some(body) = document.body() {
            body.set_text_content(Some("Opening\u{2026}"));
        }
    }
    spawn_local(async move {
        let Some(blob) = decrypted_blob(app, &attachment).await else {
            let _ = tab.close();
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        let shown = tab.document().and_then(|document| {
            document.set_title(&title);
            let body = document.body()?;
            body.set_text_content(None);
            body.set_attribute("style", "margin:0").ok()?;
            let frame = document.create_element("iframe").ok()?;
            frame.set_attribute("title", &title).ok()?;
            frame
                .set_attribute("style", "border:0;width:100vw;height:100vh;display:block")
                .ok()?;
            frame.set_attribute("src", &url).ok()?;
            body.append_child(&frame).ok()
        });
        if shown.is_none() {
            let _ = tab.location().set_href(&url);
        }
        revoke_later(url);
    });
}

/// Revokes an object URL once the browser has had time to read it.
fn revoke_later(url: String) {
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
}

fn focus_by_id(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}
