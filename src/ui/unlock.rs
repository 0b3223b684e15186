//! Unlock with the passphrase or the recovery key; damage and newer formats are reported
//! before anything is asked, and nothing is written on any failure.

use super::form::{after_paint_async, ErrorSummary, Problem, TextField};
use super::kdf_worker::InWorker;
use super::perf;
use super::shell::set_title;
use super::state::use_app;
use crate::store::{DeskStoreError, OpenDesk};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use zeroize::Zeroize;

#[component]
pub fn Unlock() -> impl IntoView {
    let app = use_app();
    set_title("Unlock");
    let header = app.with_store(|s| OpenDesk::read_header(s));
    match header {
        _ if super::drafts::is_reloading() => view! { <p>"Locking\u{2026}"</p> }.into_any(),
        _ if app.is_unlocked() => view! { <super::shell::GoTo path=app.href("/")/> }.into_any(),
        Err(DeskStoreError::NoDesk) => {
            view! { <super::shell::GoTo path=app.href("/create")/> }.into_any()
        }
        Err(e) => view! {
            <h1 tabindex="-1">
                {match e {
                    DeskStoreError::Storage(_) => "Senco Desk cannot use this browser's storage",
                    _ => "The desk cannot be opened",
                }}
            </h1>
            <div class="notice notice--error" role="alert"><p>{e.to_string()}</p></div>
            {matches!(e, DeskStoreError::Vault(crate::vault::VaultError::DamagedHeader(_))).then(|| view! {
                <p><a href=app.href("/restore")>"Restore from a backup"</a></p>
            })}
        }
        .into_any(),
        Ok(_) => view! { <UnlockForm/> }.into_any(),
    }
}

#[component]
fn UnlockForm() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let secret = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let busy = RwSignal::new(false);
    // Where the desk was when it locked: only a page of the app, with record ids.
    let back_to = || super::drafts::take_return_path().unwrap_or_else(|| "/".to_string());
    Effect::new(move |_| perf::mark("senco:unlock-ready"));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if secret.with_untracked(|s| s.is_empty()) {
            let message = "Enter your passphrase or recovery key.".to_string();
            error.set(Some(message.clone()));
            problems.set(vec![("secret".into(), message)]);
            return;
        }
        busy.set(true);
        error.set(None);
        problems.set(Vec::new());
        let navigate = navigate.clone();
        after_paint_async(async move {
            let mut typed = secret.get_untracked();
            // The slow part in a worker of its own: the page keeps painting meanwhile.
            let header = app.with_store(|store| OpenDesk::read_header(store));
            let derived = match header {
                Ok(header) => {
                    perf::measure_async("senco:derive-key", header.unlock_with(&typed, &InWorker))
                        .await
                        .map(|vault| (header, vault))
                        .map_err(DeskStoreError::from)
                }
                Err(e) => Err(e),
            };
            typed.zeroize();
            // Summaries only: the register and home show from them, and the full files
            // open after (see `opening`). Both are read in slices between frames.
            perf::start("senco:open-and-parse");
            let opened = match derived {
                Ok((header, vault)) => super::opening::read_summaries(app, header, vault).await,
                Err(e) => Err(e),
            };
            perf::end("senco:open-and-parse");
            busy.set(false);
            match opened {
                Ok(open) => {
                    let recovered = open.recovered;
                    // Drafts another tab kept under the key before a change made elsewhere.
                    let _ = app.with_local(|local| Ok(open.reseal_earlier_drafts(local)));
                    secret.set(String::new());
                    app.expect_opening_checks();
                    app.session.set(Some(open));
                    super::drafts::set_locking(false);
                    app.last_activity.set_value(js_sys::Date::now());
                    // What the full files show (damage, tampering) is said once they are open.
                    app.notice.set(recovered.then(|| super::state::Notice::info(
                        "A save that was interrupted last time (the tab closed or the storage failed) has been undone. Everything saved before it is here. If that save was a change of passphrase or recovery key, the previous one still opens the desk.",
                    )));
                    navigate(&app.href(&back_to()), Default::default());
                    super::opening::open_in_slices(app);
                }
                Err(e) => {
                    let message = e.to_string();
                    error.set(Some(message.clone()));
                    problems.set(vec![("secret".into(), message)]);
                }
            }
        });
    };

    view! {
        <h1 tabindex="-1">"Unlock your desk"</h1>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <TextField id="secret" label="Passphrase or recovery key" value=secret
                input_type="password" error=error autocomplete="current-password"
                hint="If you have forgotten the passphrase, type the recovery key from your emergency sheet instead."/>
            <button type="submit" class="button" disabled=move || busy.get()>"Unlock"</button>
            <p role="status">{move || busy.get().then_some("Unlocking\u{2026}")}</p>
        </form>
    }
}
