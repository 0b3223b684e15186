//! First run on a new laptop or a cleared browser: make the desk from a backup file. It
//! opens afterwards with the same passphrase (and recovery key) as the backup.

use super::backups::{focus_by_id, Preview};
use super::choose_backup::{ChooseBackup, OpenedBackup};
use super::form::after_paint;
use super::perf;
use super::shell::{set_title, GoTo};
use super::state::{use_app, Notice};
use crate::domain::text::count;
use crate::store::{DeskStoreError, OpenDesk};
use crate::vault::VaultError;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::sync::Arc;

#[component]
pub fn RestoreDesk() -> impl IntoView {
    let app = use_app();
    set_title("Restore from a backup");
    // Only an empty browser, or one whose desk header is damaged beyond opening.
    let damaged = matches!(
        app.with_store(|s| OpenDesk::read_header(s).map(|_| ())),
        Err(DeskStoreError::Vault(VaultError::DamagedHeader(_)))
    );
    let exists = app
        .with_store(|s| Ok(OpenDesk::exists(s)?))
        .unwrap_or(false);
    if exists && !damaged {
        // A desk is here already: restoring over it is done from the Backups page, with a
        // confirmation naming what would be lost.
        let to = if app.is_unlocked() {
            "/backups"
        } else {
            "/unlock"
        };
        return view! { <GoTo path=app.href(to)/> }.into_any();
    }
    let opened = RwSignal::new(None::<Arc<OpenedBackup>>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let on_open = Callback::new(move |backup: Arc<OpenedBackup>| {
        opened.set(Some(backup));
        request_animation_frame(|| focus_by_id("backup-preview-title"));
    });
    let restore = move |_| {
        let Some(backup) = opened.get_untracked() else {
            return;
        };
        busy.set(true);
        let navigate = navigate.clone();
        after_paint(move || {
            let result = perf::measure("senco:backup-restore-write", || {
                app.with_store(|store| {
                    let header = backup
                        .file
                        .header()
                        .map_err(|e| crate::store::StoreError::Failed(e.to_string()))?;
                    OpenDesk::create_from_backup(
                        store,
                        header,
                        backup.vault.clone(),
                        &backup.backup,
                        chrono::Utc::now(),
                    )
                })
            });
            busy.set(false);
            match result {
                Ok(open) => {
                    let no_recovery = !open.header().has_recovery_key();
                    app.session.set(Some(open));
                    app.last_activity.set_value(js_sys::Date::now());
                    let mut message = format!(
                        "Restored {}: {}.",
                        backup.file_name,
                        count(backup.backup.files.len(), "pupil")
                    );
                    if no_recovery {
                        message.push_str(" This desk opens with the backup's own passphrase and has no recovery key yet: make one in Settings now.");
                    } else {
                        message.push_str(" It opens with the same passphrase and recovery key as the desk the backup came from.");
                    }
                    app.notice.set(Some(Notice::info(message)));
                    navigate(&app.href("/"), Default::default());
                }
                Err(e) => error.set(Some(format!("The desk was not restored: {e}"))),
            }
        });
    };
    view! {
        <h1 tabindex="-1">"Restore from a backup"</h1>
        <p>"Make this browser's desk from a backup file, for example on a new laptop. Nothing is sent anywhere."</p>
        {if damaged {
            view! { <div class="notice notice--warning"><p>"The desk in this browser is damaged and cannot be opened. Restoring a backup replaces it."</p></div> }.into_any()
        } else {
            view! { <p><a href=app.href("/create")>"Create a new, empty desk instead"</a></p> }.into_any()
        }}
        {move || error.get().map(|message| view! {
            <div class="notice notice--error" role="alert"><p>{message}</p></div>
        })}
        {move || match opened.get() {
            None => view! { <ChooseBackup on_open=on_open/> }.into_any(),
            Some(backup) => view! {
                <Preview opened=backup/>
                <div class="button-group">
                    <button type="button" class="button" on:click=restore.clone() disabled=move || busy.get()>
                        "Restore this desk"
                    </button>
                    <button type="button" class="button button--secondary" on:click=move |_| opened.set(None)>
                        "Choose another file"
                    </button>
                </div>
                <p role="status">{move || busy.get().then_some("Restoring\u{2026}")}</p>
            }.into_any(),
        }}
    }
    .into_any()
}
