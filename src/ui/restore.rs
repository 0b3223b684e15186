//! First run on a new laptop or a cleared browser, or a desk whose header is damaged: make
//! the desk from a backup file. The desk gets a key of its own and new key slots (the
//! passphrase chosen here and a new recovery key, confirmed as at creation), so nothing
//! else that opened the file opens the desk. Over a damaged header, records still intact
//! in this browser are kept and the backup merged into them, unless the SENCO chooses to
//! replace them.

use super::backups::{focus_by_id, Preview};
use super::choose_backup::{ChooseBackup, OpenedBackup};
use super::clock::date_and_time;
use super::create::{shown_key, RecoveryStep, ShownKey};
use super::form::{after_paint_async, ErrorSummary, Problem, TextField};
use super::kdf_worker::InWorker;
use super::perf;
use super::shell::{set_title, GoTo};
use super::state::use_app;
use crate::domain::text::count;
use crate::store::{DeskStoreError, OpenDesk, Salvage};
use crate::vault::{check_new_passphrase, strength_hint, KdfParams, NewDeskKeys, VaultError};
use leptos::prelude::*;
use std::sync::Arc;
use zeroize::Zeroize;

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
    let shown: RwSignal<Option<ShownKey>> = RwSignal::new(None);
    let done = RwSignal::new(String::new());
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
    let opened = RwSignal::new_local(None::<Arc<OpenedBackup>>);
    let salvage = RwSignal::new_local(None::<Arc<Salvage>>);
    let on_open = Callback::new(move |backup: Arc<OpenedBackup>| {
        if damaged {
            // What of the damaged desk still opens with the backup's key: nothing is written.
            let found = app.with_store(|store| OpenDesk::salvage(store, &backup.vault));
            salvage.set(found.ok().map(Arc::new));
        }
        opened.set(Some(backup));
        request_animation_frame(|| focus_by_id("backup-preview-title"));
    });
    view! {
        {move || match (shown.get(), opened.get()) {
            // Locked (by hand or auto-lock) while the key was shown: never leave it on screen.
            (Some(_), _) if !app.is_unlocked() => {
                view! { <GoTo path=app.href("/unlock")/> }.into_any()
            }
            (Some(key), _) => view! { <RecoveryStep key=key done=done.get_untracked()/> }.into_any(),
            (None, None) => view! {
                <h1 tabindex="-1">"Restore from a backup"</h1>
                <p>"Make this browser's desk from a backup file, for example on a new laptop. Nothing is sent anywhere."</p>
                {if damaged {
                    view! { <div class="notice notice--warning"><p>"The desk in this browser is damaged and cannot be opened. Choose a backup: the records still intact in this browser are shown before anything is changed, and can be kept."</p></div> }.into_any()
                } else {
                    view! { <p><a href=app.href("/create")>"Create a new, empty desk instead"</a></p> }.into_any()
                }}
                <ChooseBackup on_open=on_open/>
            }.into_any(),
            (None, Some(backup)) => view! {
                <h1 tabindex="-1">"Restore from a backup"</h1>
                <Preview opened=backup.clone()/>
                <RestoreSteps backup=backup salvage=salvage.get() opened=opened shown=shown done=done/>
            }.into_any(),
        }}
    }
    .into_any()
}

/// After the file is open: what is kept (over a damaged desk), then the passphrase for the
/// restored desk.
#[component]
fn RestoreSteps(
    backup: Arc<OpenedBackup>,
    salvage: Option<Arc<Salvage>>,
    opened: RwSignal<Option<Arc<OpenedBackup>>, LocalStorage>,
    shown: RwSignal<Option<ShownKey>>,
    done: RwSignal<String>,
) -> impl IntoView {
    let app = use_app();
    let keep = RwSignal::new(true);
    let passphrase = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let passphrase_error = RwSignal::new(None::<String>);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let busy = RwSignal::new(false);
    let progress = RwSignal::new(String::new());
    let intact = salvage.as_ref().map_or(0, |s| s.desk.pupil_count());
    let made = backup.file.made();

    let submit = {
        let backup = backup.clone();
        let salvage = salvage.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            if let Err(e) = check_new_passphrase(
                &passphrase.get_untracked(),
                &again.get_untracked(),
                &backup.backup.settings.school_name,
            ) {
                passphrase_error.set(Some(e.clone()));
                problems.set(vec![("restore-passphrase".into(), e)]);
                return;
            }
            passphrase_error.set(None);
            problems.set(Vec::new());
            busy.set(true);
            let backup = backup.clone();
            let salvage = salvage.clone();
            after_paint_async(async move {
                let keep_desk = salvage
                    .as_deref()
                    .filter(|s| keep.get_untracked() && s.desk.pupil_count() > 0);
                let mut secret = passphrase.get_untracked();
                // The slow step (a key for each new slot), in a worker, timed apart from the writing.
                let keys = perf::measure_async(
                    "senco:restore-derive-keys",
                    NewDeskKeys::make_with(
                        &secret,
                        KdfParams::default(),
                        chrono::Utc::now(),
                        &InWorker,
                    ),
                )
                .await;
                secret.zeroize();
                let result: Result<_, String> = match keys {
                    Err(e) => Err(DeskStoreError::from(e).to_string()),
                    Ok(keys) => {
                        // The attached files' pieces first, in transactions of their own.
                        let named = super::backup_files::named_in(&backup);
                        match super::backup_files::stage_named(&backup, named, progress).await {
                            Err(e) => Err(e),
                            Ok(staged) => {
                                perf::start("senco:backup-restore-write");
                                let written = app
                                    .write_desk(|store| {
                                        OpenDesk::create_from_backup(
                                            store,
                                            &backup.backup,
                                            keep_desk,
                                            keys,
                                            chrono::Utc::now(),
                                        )
                                    })
                                    .await;
                                perf::end("senco:backup-restore-write");
                                super::backup_files::settle_staged(staged, written.is_ok()).await;
                                written.map_err(|e| e.to_string())
                            }
                        }
                    }
                };
                busy.set(false);
                match result {
                    Ok((open, recovery)) => {
                        passphrase.set(String::new());
                        again.set(String::new());
                        let pupils = open.desk.pupil_count();
                        let school = open.desk.settings.school_name.clone();
                        app.session.set(Some(open));
                        app.last_activity.set_value(js_sys::Date::now());
                        done.set(format!(
                            "Restored {}: {}. The desk opens with the passphrase you chose and this new recovery key only.",
                            backup.file_name,
                            count(pupils, "pupil")
                        ));
                        shown.set(Some(shown_key(&recovery, &school)));
                    }
                    Err(e) => problems.set(vec![(
                        String::new(),
                        format!("The desk was not restored: {e}"),
                    )]),
                }
            });
        }
    };
    let school = backup.backup.settings.school_name.clone();
    let hint = move || {
        let p = passphrase.get();
        (!p.is_empty()).then(|| format!("Strength: {}", strength_hint(&p, &school)))
    };
    view! {
        {salvage.map(|found| view! { <StillHere found=found made=made keep=keep/> })}
        <h2>"Passphrase for this desk"</h2>
        <p>"The restored desk gets a key of its own and a new recovery key, shown next, so that nothing else that opened the backup file opens it. Choose the passphrase to unlock it with: you can keep the one the backup opened with by typing it twice."</p>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <TextField id="restore-passphrase" label="Passphrase" value=passphrase input_type="password"
                error=passphrase_error autocomplete="new-password"
                hint="At least 12 characters. A short sentence of unrelated words is strong and easy to remember."/>
            <p class="strength" aria-live="polite">{hint}</p>
            <TextField id="restore-passphrase-again" label="Passphrase again" value=again
                input_type="password" autocomplete="new-password"/>
            <div class="button-group">
                <button type="submit" class="button" disabled=move || busy.get()>
                    {if intact > 0 { "Restore and keep what is intact" } else { "Restore this desk" }}
                </button>
                <button type="button" class="button button--secondary" on:click=move |_| opened.set(None)>
                    "Choose another file"
                </button>
            </div>
            <p role="status">{move || busy.get().then_some("Restoring. This takes a few seconds\u{2026}")}" "{move || progress.get()}</p>
        </form>
    }
}

/// Over a damaged desk: which records still open, and whether to keep them.
#[component]
fn StillHere(
    found: Arc<Salvage>,
    made: chrono::DateTime<chrono::Utc>,
    keep: RwSignal<bool>,
) -> impl IntoView {
    let labels = found
        .desk
        .name_labels(crate::domain::names::NameOrder::SurnameFirst);
    let mut files: Vec<(String, chrono::DateTime<chrono::Utc>)> = found
        .desk
        .files()
        .map(|f| {
            let name = labels.get(&f.pupil.id).cloned();
            (name.unwrap_or_else(|| f.pupil.sort_name()), f.updated_at)
        })
        .collect();
    files.sort();
    let newer = files.iter().filter(|(_, at)| *at > made).count();
    let unreadable = found.unreadable;
    if files.is_empty() {
        return view! {
            <section aria-labelledby="still-here-title">
                <h2 id="still-here-title">"What is in this browser"</h2>
                <p>{format!(
                    "None of the {} in this browser opens with this backup's key (the backup may have a passphrase of its own, or come from another desk). Restoring replaces them.",
                    count(unreadable, "pupil file")
                )}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section aria-labelledby="still-here-title">
            <h2 id="still-here-title">"What is still intact in this browser"</h2>
            <p data-testid="still-here">{format!(
                "{} in this browser still open with this backup's key; {} changed after the backup was made ({}).{}",
                count(files.len(), "pupil file"),
                if newer == 1 { "1 was".to_string() } else { format!("{newer} were") },
                date_and_time(made),
                if unreadable > 0 { format!(" {} could not be opened.", count(unreadable, "pupil file")) } else { String::new() }
            )}</p>
            <ul>
                {files.into_iter().map(|(name, at)| {
                    let when = format!("{name}, last changed {}", date_and_time(at));
                    view! { <li>{when}</li> }
                }).collect_view()}
            </ul>
            <fieldset class="choices">
                <legend>"What to do with them"</legend>
                <div class="choice">
                    <input type="radio" autocomplete="off" id="keep-intact" name="keep-intact"
                        prop:checked=move || keep.get() on:change=move |_| keep.set(true)/>
                    <label for="keep-intact">"Keep them and merge the backup in (recommended): nothing recorded on either is lost"</label>
                </div>
                <div class="choice">
                    <input type="radio" autocomplete="off" id="replace-intact" name="keep-intact"
                        prop:checked=move || !keep.get() on:change=move |_| keep.set(false)/>
                    <label for="replace-intact">"Replace them with the backup: changes made after it are lost"</label>
                </div>
            </fieldset>
        </section>
    }
    .into_any()
}
