//! The Backups page: download a backup, and restore or merge one into this desk.

use super::backup_files::{named_in, settle_staged, stage_named};
use super::choose_backup::{ChooseBackup, OpenedBackup};
use super::clock::{date_and_time, days_ago, local_now};
use super::download::download;
use super::form::{after_paint, after_paint_async, ErrorSummary, Problem, TextField};
use super::kdf_worker::InWorker;
use super::perf;
use super::shell::{set_title, Unlocked};
use super::state::{use_app, AppState, Notice};
use crate::backup::{compare_age, Age, MadeBackup, MergePlan, OpensWith, PupilMerge};
use crate::domain::text::{count, file_size, thousands};
use crate::store::DeskStoreError;
use crate::vault::{check_new_passphrase, Header, KdfParams};
use leptos::prelude::*;
use std::sync::Arc;
use zeroize::Zeroize;

#[component]
pub fn Backups() -> impl IntoView {
    view! { <Unlocked><BackupsPage/></Unlocked> }
}

#[component]
fn BackupsPage() -> impl IntoView {
    set_title("Backups");
    view! {
        <h1 tabindex="-1">"Backups"</h1>
        <p>"The backup file is the copy of record: this browser's storage can be cleared. Keep the file on a USB stick, away from the laptop."</p>
        <p>"A backup can hold the attached files too, sealed as they are in this browser, or the records only: a records-only backup is small, and restoring or merging it keeps the files this desk has."</p>
        <MakeBackup/>
        <RestoreOrMerge/>
    }
}

/// Makes a backup opened by the desk's own secrets, downloads it and notes it in the list.
/// Returns what to tell the user.
pub fn download_desk_backup(app: AppState) -> Result<String, String> {
    let made = app
        .session
        .with_untracked(|s| {
            s.as_ref().map(|open| {
                perf::measure("senco:backup-export", || {
                    open.make_backup(OpensWith::DeskSecrets, chrono::Utc::now(), local_now())
                })
            })
        })
        .ok_or_else(|| "The desk is locked.".to_string())?
        .map_err(|e| e.to_string())?;
    finish_download(app, &made)
}

fn finish_download(app: AppState, made: &MadeBackup) -> Result<String, String> {
    let downloaded = download(&made.file_name, &made.text);
    said_downloaded(app, made, downloaded, "the records only")
}

/// A backup with attached files, made and checked as a Blob.
fn finish_download_blob(
    app: AppState,
    made: &MadeBackup,
    blob: &web_sys::Blob,
) -> Result<String, String> {
    let downloaded = super::backup_files::download_blob(&made.file_name, blob);
    said_downloaded(app, made, downloaded, "the records and attached files")
}

/// What the page says once a backup holding `holds` was offered as a download.
fn said_downloaded<E: std::fmt::Display>(
    app: AppState,
    made: &MadeBackup,
    downloaded: Result<(), E>,
    holds: &str,
) -> Result<String, String> {
    downloaded.map_err(|e| {
        format!("The backup was made but could not be downloaded ({e}). Try again.")
    })?;
    let saved = format!(
        "Backup downloaded: {} ({}). Fingerprint {}. It holds {holds}. Copy it to your USB stick.",
        made.file_name,
        file_size(made.bytes()),
        made.fingerprint
    );
    note_in_list(app, made, saved)
}

fn note_in_list(app: AppState, made: &MadeBackup, saved: String) -> Result<String, String> {
    let made = made.clone();
    let said = saved.clone();
    leptos::task::spawn_local_scoped(async move {
        if let Err(e) = app
            .save(move |open, store| open.record_backup(store, &made))
            .await
        {
            app.notice.set(Some(Notice::error(format!(
                "{said} It could not be added to the list of backups: {e}"
            ))));
        }
    });
    Ok(saved)
}

#[component]
fn LastBackup() -> impl IntoView {
    let app = use_app();
    move || {
        app.session.with(|s| {
            let open = s.as_ref()?;
            let log = open.backup_log();
            Some(match log.latest() {
                None => "No backup has been made from this browser yet.".to_string(),
                Some(latest) => {
                    let changes = log.changes_since(open.generation()).unwrap_or(0);
                    format!(
                        "Last backup: {} ({}), {} since.",
                        date_and_time(latest.made),
                        days_ago(latest.made),
                        count(changes as usize, "change")
                    )
                }
            })
        })
    }
}

#[component]
fn MakeBackup() -> impl IntoView {
    let app = use_app();
    let separate = RwSignal::new(false);
    let passphrase = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let passphrase_error = RwSignal::new(None::<String>);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let failed = RwSignal::new(None::<String>);
    // What the desk's files add, and whether the backup carries them (the usual choice).
    let files = move || {
        app.session.with(|s| {
            s.as_ref().map_or((0, 0), |open| {
                (
                    open.desk.attachment_ids().len(),
                    open.desk.attachment_bytes(),
                )
            })
        })
    };
    let with_files = RwSignal::new(true);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        failed.set(None);
        if separate.get_untracked() {
            if let Err(e) = check_new_passphrase(
                &passphrase.get_untracked(),
                &again.get_untracked(),
                &app.settings().map(|s| s.school_name).unwrap_or_default(),
            ) {
                passphrase_error.set(Some(e.clone()));
                problems.set(vec![("file-passphrase".into(), e)]);
                return;
            }
        }
        passphrase_error.set(None);
        problems.set(Vec::new());
        busy.set(true);
        let carry = with_files.get_untracked() && files().0 > 0;
        after_paint_async(async move {
            let result = if carry {
                let keys = if separate.get_untracked() {
                    let mut typed = passphrase.get_untracked();
                    let keys = Header::with_only_passphrase_with(
                        &typed,
                        KdfParams::default(),
                        chrono::Utc::now(),
                        &InWorker,
                    )
                    .await;
                    typed.zeroize();
                    keys.map(Some).map_err(|e| e.to_string())
                } else {
                    Ok(None)
                };
                match keys {
                    Ok(keys) => match perf::measure_async(
                        "senco:backup-export",
                        super::backup_files::make_with_files(app, keys),
                    )
                    .await
                    {
                        Ok((made, blob)) => finish_download_blob(app, &made, &blob),
                        Err(e) => Err(e),
                    },
                    Err(e) => Err(e),
                }
            } else if separate.get_untracked() {
                let mut typed = passphrase.get_untracked();
                let now = chrono::Utc::now();
                // The file's own key slot: its key derived in a worker of its own.
                let keys =
                    Header::with_only_passphrase_with(&typed, KdfParams::default(), now, &InWorker)
                        .await;
                typed.zeroize();
                let made = match keys {
                    Ok((header, vault)) => app.session.with_untracked(|s| {
                        s.as_ref().map(|open| {
                            perf::measure("senco:backup-export", || {
                                open.make_backup(
                                    OpensWith::OwnKeys {
                                        header: &header,
                                        vault: &vault,
                                    },
                                    now,
                                    local_now(),
                                )
                                .map_err(|e| e.to_string())
                            })
                        })
                    }),
                    Err(e) => Some(Err(e.to_string())),
                };
                match made {
                    Some(Ok(made)) => finish_download(app, &made),
                    Some(Err(e)) => Err(e.to_string()),
                    None => Err("The desk is locked.".into()),
                }
            } else {
                download_desk_backup(app)
            };
            busy.set(false);
            match result {
                Ok(message) => {
                    passphrase.set(String::new());
                    again.set(String::new());
                    done.set(Some(message));
                }
                Err(message) => failed.set(Some(message)),
            }
        });
    };

    view! {
        <section aria-labelledby="make-backup-title">
            <h2 id="make-backup-title">"Download a backup"</h2>
            <p data-testid="last-backup"><LastBackup/></p>
            <ErrorSummary problems=problems/>
            <form on:submit=submit novalidate>
                {move || {
                    let (count_files, bytes) = files();
                    if count_files == 0 {
                        return view! { <p data-testid="backup-holds">"This desk has no attached files: the backup holds the records."</p> }.into_any();
                    }
                    view! {
                        <fieldset class="choices" data-testid="backup-holds">
                            <legend>"What the backup holds"</legend>
                            <div class="choice">
                                <input type="radio" autocomplete="off" id="holds-files" name="backup-holds"
                                    prop:checked=move || with_files.get()
                                    on:change=move |_| with_files.set(true)/>
                                <label for="holds-files">{format!(
                                    "Records and attached files (usual): {} of {}",
                                    count(count_files, "file"), file_size(bytes)
                                )}</label>
                            </div>
                            <div class="choice">
                                <input type="radio" autocomplete="off" id="holds-records" name="backup-holds"
                                    prop:checked=move || !with_files.get()
                                    on:change=move |_| with_files.set(false)/>
                                <label for="holds-records">"Records only: a small file; the attached files are left out, so keep their originals"</label>
                            </div>
                        </fieldset>
                    }.into_any()
                }}
                <fieldset class="choices">
                    <legend>"Who can open the file"</legend>
                    <div class="choice">
                        <input type="radio" autocomplete="off" id="opens-desk" name="opens-with"
                            prop:checked=move || !separate.get()
                            on:change=move |_| separate.set(false)/>
                        <label for="opens-desk">"Anyone with this desk's passphrase or recovery key (usual)"</label>
                    </div>
                    <div class="choice">
                        <input type="radio" autocomplete="off" id="opens-separate" name="opens-with"
                            prop:checked=move || separate.get()
                            on:change=move |_| separate.set(true)/>
                        <label for="opens-separate">"Only someone with a separate passphrase for this file, to give a copy to a colleague"</label>
                    </div>
                </fieldset>
                {move || separate.get().then(|| view! {
                    <TextField id="file-passphrase" label="Passphrase for this file" value=passphrase
                        input_type="password" error=passphrase_error autocomplete="new-password"
                        hint="At least 12 characters. Tell it to your colleague in person, not in the same email as the file."/>
                    <TextField id="file-passphrase-again" label="Passphrase for this file again"
                        value=again input_type="password" autocomplete="new-password"/>
                })}
                <button type="submit" class="button" disabled=move || busy.get()>"Download backup"</button>
            </form>
            <p role="status" data-testid="backup-result">
                {move || busy.get().then_some("Making and checking the backup\u{2026}")}
                {move || done.get()}
            </p>
            {move || failed.get().map(|message| view! {
                <div class="notice notice--error" role="alert"><p>{message}</p></div>
            })}
        </section>
    }
}

#[derive(Clone)]
enum Stage {
    Choose,
    Preview(Arc<OpenedBackup>),
    Merge(Arc<OpenedBackup>, Arc<MergePlan>),
    ConfirmReplace(Arc<OpenedBackup>),
}

#[component]
fn RestoreOrMerge() -> impl IntoView {
    let app = use_app();
    let stage = RwSignal::new_local(Stage::Choose);
    let error = RwSignal::new(None::<String>);
    let on_open = Callback::new(move |opened: Arc<OpenedBackup>| {
        error.set(None);
        stage.set(Stage::Preview(opened));
        request_animation_frame(|| focus_by_id("backup-preview-title"));
    });
    let cancel = move |_| {
        error.set(None);
        back_to_choose(stage);
    };
    view! {
        <section aria-labelledby="restore-title">
            <h2 id="restore-title" tabindex="-1">"Restore or merge a backup"</h2>
            <p>"Merge brings in everything a backup has that this desk lacks, keeps everything recorded on either copy, and takes the later edit of each detail; only records deleted on purpose on the other copy are deleted here, and they are listed first. Restore replaces everything on this desk with the backup."</p>
            {move || error.get().map(|message| view! {
                <div class="notice notice--error" role="alert"><p>{message}</p></div>
            })}
            {move || match stage.get() {
                Stage::Choose => view! { <ChooseBackup on_open=on_open/> }.into_any(),
                Stage::Preview(opened) => {
                    let merge_with = opened.clone();
                    let replace_with = opened.clone();
                    view! {
                        <Preview opened=opened/>
                        <div class="button-group">
                            <button type="button" class="button" on:click=move |_| {
                                let plan = app.session.with_untracked(|s| s.as_ref().map(|open| {
                                    perf::measure("senco:merge-plan", || {
                                        MergePlan::make(&open.desk, open.generation(), &merge_with.backup)
                                    })
                                }));
                                if let Some(plan) = plan {
                                    stage.set(Stage::Merge(merge_with.clone(), Arc::new(plan)));
                                    request_animation_frame(|| focus_by_id("merge-title"));
                                }
                            }>"Merge into this desk\u{2026}"</button>
                            <button type="button" class="button button--secondary" on:click=move |_| {
                                stage.set(Stage::ConfirmReplace(replace_with.clone()));
                                request_animation_frame(|| focus_by_id("replace-title"));
                            }>"Replace this desk with the backup\u{2026}"</button>
                            <button type="button" class="button button--link" on:click=cancel>"Choose another file"</button>
                        </div>
                    }.into_any()
                }
                Stage::Merge(opened, plan) => view! {
                    <MergePreview opened=opened plan=plan stage=stage error=error/>
                }.into_any(),
                Stage::ConfirmReplace(opened) => view! {
                    <ConfirmReplace opened=opened stage=stage error=error/>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
pub fn Preview(opened: Arc<OpenedBackup>) -> impl IntoView {
    let app = use_app();
    let backup = &opened.backup;
    let age = app.session.with_untracked(|s| {
        s.as_ref()
            .map(|open| match compare_age(&open.desk, backup) {
                Age::Older => {
                    "Older than this desk: this desk has edits made after the backup's latest."
                }
                Age::Newer => {
                    "Newer than this desk: the backup has edits made after this desk's latest."
                }
                Age::Same => "The same age as this desk: both end with the same latest edit.",
            })
    });
    let latest = backup
        .latest_change()
        .map_or_else(|| "No pupils yet".to_string(), date_and_time);
    view! {
        <h3 id="backup-preview-title" tabindex="-1">"What the backup holds"</h3>
        <dl class="summary-list" data-testid="backup-preview">
            <dt>"File"</dt><dd>{opened.file_name.clone()}</dd>
            <dt>"Fingerprint"</dt><dd><code>{opened.fingerprint.clone()}</code></dd>
            <dt>"School"</dt><dd>{backup.settings.school_name.clone()}</dd>
            <dt>"Pupils"</dt><dd>{thousands(backup.files.len())}</dd>
            <dt>"Records"</dt><dd>{format!("{} (pupil files and notes)", thousands(backup.files.len() + backup.note_count()))}</dd>
            <dt>"Attached files"</dt><dd>{if backup.with_files {
                let files: Vec<_> = backup.attached_files().collect();
                format!("{} ({})", thousands(files.len()), file_size(files.iter().map(|a| a.size).sum()))
            } else {
                "Not included: a records-only backup".to_string()
            }}</dd>
            <dt>"Backup made"</dt><dd>{date_and_time(opened.file.made())}</dd>
            <dt>"Latest edit in the backup"</dt><dd>{latest}</dd>
            {age.map(|age| view! { <dt>"Compared with this desk"</dt><dd>{age}</dd> })}
            {(backup.clamped > 0).then(|| view! {
                <dt>"Times from a wrong clock"</dt>
                <dd>{format!("{} later than tomorrow, treated as when the backup was made", count(backup.clamped, "time"))}</dd>
            })}
        </dl>
    }
}

#[component]
fn MergePreview(
    opened: Arc<OpenedBackup>,
    plan: Arc<MergePlan>,
    stage: RwSignal<Stage, LocalStorage>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let app = use_app();
    let busy = RwSignal::new(false);
    let progress = RwSignal::new(String::new());
    let nothing = plan.changes_nothing();
    let merge = {
        let plan = plan.clone();
        let opened = opened.clone();
        move |_| {
            busy.set(true);
            let plan = plan.clone();
            let opened = opened.clone();
            after_paint(move || {
                leptos::task::spawn_local_scoped(async move {
                    // The files the merged records name and this browser lacks, staged first.
                    let named = plan
                        .writes
                        .iter()
                        .flat_map(|f| f.attachments.iter().map(|a| a.id.clone()))
                        .collect();
                    let staged = match stage_named(&opened, named, progress).await {
                        Ok(staged) => staged,
                        Err(e) => {
                            busy.set(false);
                            error.set(Some(format!("Nothing was merged: {e}")));
                            return;
                        }
                    };
                    let result = app
                        .save(|open, store| open.merge_backup(store, &plan))
                        .await;
                    settle_staged(staged, result.is_ok()).await;
                    busy.set(false);
                    match result {
                        Ok(()) => {
                            back_to_choose(stage);
                            let erased = if plan.erasing.is_empty() {
                                String::new()
                            } else {
                                format!(
                                    " {} erased, as on the other copy.",
                                    count(plan.erasing.len(), "pupil")
                                )
                            };
                            app.notice.set(Some(Notice::info(format!(
                                "Merged {}: {} added, {} updated.{erased}",
                                opened.file_name,
                                count(plan.added.len(), "pupil"),
                                count(plan.updated(), "pupil"),
                            ))));
                        }
                        Err(DeskStoreError::ChangedElsewhere) => {
                            // Plan again against what is stored now, and show that instead.
                            let fresh = app.session.with_untracked(|s| {
                                s.as_ref().map(|open| {
                                    MergePlan::make(&open.desk, open.generation(), &opened.backup)
                                })
                            });
                            if let Some(fresh) = fresh {
                                stage.set(Stage::Merge(opened.clone(), Arc::new(fresh)));
                            }
                            error.set(Some("The desk was changed in another tab, so nothing was merged. The list below is now up to date: check it and merge again.".into()));
                        }
                        Err(e) => error.set(Some(format!("Nothing was merged: {e}"))),
                    }
                })
            });
        }
    };
    let clamped = opened.backup.clamped;
    let made = date_and_time(opened.file.made());
    view! {
        <h3 id="merge-title" tabindex="-1">"Merge: what will change"</h3>
        {if nothing {
            view! { <p data-testid="merge-nothing">"Nothing to change: this desk already has everything in this backup."</p> }.into_any()
        } else {
            view! {
                <p>{format!("{} will be added and {} updated. Nothing either copy recorded is lost: histories, concerns, notes, plans and reviews from both are kept, and where a detail differs the later edit of it is kept. Only records deleted on purpose on one copy are deleted on the other, and each is listed below.",
                    count(plan.added.len(), "pupil"), count(plan.updated(), "pupil"))}</p>
            }.into_any()
        }}
        {(clamped > 0).then(|| view! {
            <div class="notice notice--warning" data-testid="merge-clamped"><p>{format!(
                "{} in the backup {} later than tomorrow: the computer it came from had its clock set wrong. {} treated as {made}, when the backup was made, so it cannot outrank edits made since.",
                count(clamped, "time"), if clamped == 1 { "was" } else { "were" }, if clamped == 1 { "It is" } else { "They are" }
            )}</p></div>
        })}
        {(!plan.erasing.is_empty()).then(|| view! {
            <div class="notice notice--warning">
                <h4>{format!("Erased on the other copy ({})", plan.erasing.len())}</h4>
                <p>"These pupils were erased on the computer the backup came from. Merging erases them from this desk too, with everything recorded about them."</p>
                <ul data-testid="merge-erasing">{plan.erasing.iter().map(|e| view! {
                    <li>{format!("{} (erased {})", e.name, crate::domain::dates::format_uk(e.on))}</li>
                }).collect_view()}</ul>
            </div>
        })}
        {(!plan.kept_erased.is_empty()).then(|| view! {
            <h4>{format!("Erased here, so not brought back ({})", plan.kept_erased.len())}</h4>
            <ul data-testid="merge-kept-erased">{plan.kept_erased.iter().map(|e| view! {
                <li>{format!("{} (erased {})", e.name, crate::domain::dates::format_uk(e.on))}</li>
            }).collect_view()}</ul>
        })}
        {(!plan.added.is_empty()).then(|| view! {
            <h4>{format!("Pupils only in the backup ({})", plan.added.len())}</h4>
            <ul data-testid="merge-added">{plan.added.iter().map(|name| view! { <li>{name.clone()}</li> }).collect_view()}</ul>
        })}
        {(!plan.changed.is_empty()).then(|| view! {
            <h4>{format!("Pupils on both copies that change here ({})", plan.changed.len())}</h4>
            <div data-testid="merge-changed">
                {plan.changed.iter().map(pupil_changes).collect_view()}
            </div>
        })}
        {(!plan.setup_added.is_empty()).then(|| view! {
            <h4>{format!("Staff and term dates only in the backup, added here ({})", plan.setup_added.len())}</h4>
            <ul data-testid="merge-setup-added">{plan.setup_added.iter().map(|name| view! { <li>{name.clone()}</li> }).collect_view()}</ul>
        })}
        {plan.setup_not_added.clone().map(|why| view! {
            <p class="notice notice--warning" data-testid="merge-setup-not-added">
                {format!("{why}. Nothing of the backup's staff or term dates is added; its provisions that name those staff show no cost until you add them in Settings.")}
            </p>
        })}
        {(!plan.provisions_added.is_empty()).then(|| view! {
            <h4>{format!("Provisions only in the backup ({})", plan.provisions_added.len())}</h4>
            <ul data-testid="merge-provisions-added">{plan.provisions_added.iter().map(|name| view! { <li>{name.clone()}</li> }).collect_view()}</ul>
        })}
        {(!plan.provisions_changed.is_empty()).then(|| view! {
            <h4>{format!("Provisions on both copies, combined ({})", plan.provisions_changed.len())}</h4>
            <p>"Every pupil, session and measure either copy recorded is kept; where both changed the same thing, the later change is kept."</p>
            <ul data-testid="merge-provisions-changed">{plan.provisions_changed.iter().map(|name| view! { <li>{name.clone()}</li> }).collect_view()}</ul>
        })}
        {(!plan.not_merged.is_empty()).then(|| view! {
            <div class="notice notice--warning">
                <h4>{format!("Not merged ({})", plan.not_merged.len())}</h4>
                <p>"These records' two copies could not be combined within the desk's limits, so this desk's copy is kept as it is."</p>
                <ul>{plan.not_merged.iter().map(|(name, why)| view! { <li>{format!("{name}: {why}")}</li> }).collect_view()}</ul>
            </div>
        })}
        <div class="button-group">
            {(!nothing).then(|| view! {
                <button type="button" class="button" on:click=merge.clone() disabled=move || busy.get()>"Merge now"</button>
            })}
            <button type="button" class="button button--secondary" on:click=move |_| back_to_choose(stage)>
                {if nothing { "Done" } else { "Cancel" }}
            </button>
        </div>
        <p role="status">{move || busy.get().then_some("Merging\u{2026}")}" "{move || progress.get()}</p>
    }
}

/// One pupil's changes in the merge preview: every differing detail with both values and
/// which is kept, and what is added, deleted or renumbered.
fn pupil_changes(change: &PupilMerge) -> impl IntoView {
    let list = |label: &'static str, items: &[String]| {
        (!items.is_empty()).then(|| {
            let items = items.to_vec();
            view! { <p>{format!("{label}: {}.", items.join("; "))}</p> }
        })
    };
    view! {
        <section class="merge-pupil" aria-label=change.name.clone()>
            <h5>{change.name.clone()}</h5>
            {(!change.details.is_empty()).then(|| view! {
                <table class="table">
                    <caption>"Details that differ: the later edit of each is kept"</caption>
                    <thead><tr>
                        <th scope="col">"Detail"</th>
                        <th scope="col">"On this desk"</th>
                        <th scope="col">"In the backup"</th>
                        <th scope="col">"Kept"</th>
                    </tr></thead>
                    <tbody>
                        {change.details.iter().map(|d| view! { <tr>
                            <th scope="row">{d.detail.label()}</th>
                            <td>{format!("{} (changed {})", d.ours, date_and_time(d.ours_edited))}</td>
                            <td>{format!("{} (changed {})", d.theirs, date_and_time(d.theirs_edited))}</td>
                            <td>{if d.kept_theirs { "The backup's" } else { "This desk's" }}</td>
                        </tr> }).collect_view()}
                    </tbody>
                </table>
            })}
            {list("Added from the backup", &change.added)}
            {list("Deleted here, as they were deleted on purpose on the other copy", &change.removed)}
            {list("Not brought back, as they were deleted on purpose here", &change.not_brought_back)}
            {list("Support plans", &change.plans)}
        </section>
    }
}

#[component]
fn ConfirmReplace(
    opened: Arc<OpenedBackup>,
    stage: RwSignal<Stage, LocalStorage>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let app = use_app();
    let busy = RwSignal::new(false);
    let progress = RwSignal::new(String::new());
    let saved_first = RwSignal::new(None::<String>);
    // What the warning names, and the desk's save counter at that moment: if another tab
    // saves before the confirmation, nothing is replaced.
    let (pupils, notes, latest, generation) = app.session.with_untracked(|s| {
        s.as_ref().map_or((0, 0, None, 0), |open| {
            (
                open.desk.pupil_count() + open.desk.damaged.len(),
                open.desk.note_count(),
                open.desk.latest_change(),
                open.generation(),
            )
        })
    });
    // Pupils erased on this desk stay erased, even if the backup holds them.
    let erased_here = app.session.with_untracked(|s| {
        s.as_ref().map_or(0, |open| {
            opened
                .backup
                .files
                .keys()
                .filter(|id| {
                    let mark = crate::vault::erasure_mark(id);
                    open.desk.erased.iter().any(|e| e.mark == mark)
                })
                .count()
        })
    });
    let lost = format!(
        "This deletes everything on this desk now: {} and {}{}. In their place go the backup's {} and {}, as they were on {}.{} Provisions (with their sessions and measures) and settings (school name, auto-lock, staff, rates and term dates) come from the backup too: a backup from before provisions were kept holds none. The passphrase and recovery key stay as they are.",
        count(pupils, "pupil"),
        count(notes, "note"),
        latest.map(|l| format!(", last edited {}", date_and_time(l))).unwrap_or_default(),
        count(opened.backup.files.len() - erased_here, "pupil"),
        count(opened.backup.note_count(), "note"),
        date_and_time(opened.file.made()),
        if erased_here > 0 {
            format!(" {} in the backup {} erased on this desk and {} erased.", count(erased_here, "pupil"), if erased_here == 1 { "was" } else { "were" }, if erased_here == 1 { "stays" } else { "stay" })
        } else {
            String::new()
        },
    );
    // With the desk's attached files when it has any: replacing can remove them.
    let download_first = move |_| {
        saved_first.set(Some("Making and checking the backup\u{2026}".into()));
        leptos::task::spawn_local_scoped(async move {
            let has_files = app.session.with_untracked(|s| {
                s.as_ref()
                    .is_some_and(|open| !open.desk.attachment_ids().is_empty())
            });
            let result = if has_files {
                match super::backup_files::make_with_files(app, None).await {
                    Ok((made, blob)) => finish_download_blob(app, &made, &blob),
                    Err(e) => Err(e),
                }
            } else {
                download_desk_backup(app)
            };
            match result {
                Ok(message) => saved_first.set(Some(message)),
                Err(message) => {
                    saved_first.set(None);
                    error.set(Some(message))
                }
            }
        });
    };
    let replace = {
        let opened = opened.clone();
        move |_| {
            busy.set(true);
            let opened = opened.clone();
            after_paint(move || {
                leptos::task::spawn_local_scoped(async move {
                    perf::start("senco:backup-replace");
                    let staged = match stage_named(&opened, named_in(&opened), progress).await {
                        Ok(staged) => staged,
                        Err(e) => {
                            busy.set(false);
                            error.set(Some(format!(
                                "Nothing was replaced; the desk is as it was. {e}"
                            )));
                            return;
                        }
                    };
                    let result = app
                        .save(|open, store| {
                            open.replace_with_backup(store, &opened.backup, generation)
                        })
                        .await;
                    settle_staged(staged, result.is_ok()).await;
                    perf::end("senco:backup-replace");
                    busy.set(false);
                    match result {
                        Ok(()) => {
                            back_to_choose(stage);
                            app.notice.set(Some(Notice::info(format!(
                                "This desk now holds the backup {}: {}.",
                                opened.file_name,
                                count(opened.backup.files.len(), "pupil")
                            ))));
                        }
                        Err(DeskStoreError::ChangedElsewhere) => {
                            stage.set(Stage::Preview(opened.clone()));
                            error.set(Some("The desk was changed in another tab after the warning, so nothing was replaced. The newer records are loaded: choose again if you still want to replace them.".into()));
                        }
                        Err(e) => error.set(Some(format!(
                            "Nothing was replaced; the desk is as it was. {e}"
                        ))),
                    }
                })
            });
        }
    };
    view! {
        <h3 id="replace-title" tabindex="-1">"Replace this desk with the backup?"</h3>
        <div class="notice notice--warning">
            <p data-testid="replace-warning">{lost}</p>
            <p>"It cannot be undone, except from a backup. Download a backup of this desk first unless you are sure."</p>
            {if opened.backup.with_files {
                view! { <p>"The attached files become the backup's: files attached here since it was made go."</p> }.into_any()
            } else {
                view! { <p>"This backup holds the records only. Files attached to pupils who are in the backup are kept; files attached to pupils the backup does not hold go with them."</p> }.into_any()
            }}
        </div>
        <div class="button-group">
            <button type="button" class="button button--secondary" on:click=download_first>
                "Download a backup of this desk first"
            </button>
        </div>
        <p role="status">{move || saved_first.get()}</p>
        <div class="button-group">
            <button type="button" class="button button--danger" on:click=replace disabled=move || busy.get()>
                "Yes, replace this desk"
            </button>
            <button type="button" class="button button--secondary" on:click=move |_| back_to_choose(stage)>
                "Cancel"
            </button>
        </div>
        <p role="status">{move || busy.get().then_some("Replacing the desk\u{2026}")}" "{move || progress.get()}</p>
    }
}

/// Back to choosing a file; the buttons just pressed are gone, so focus goes to the section.
fn back_to_choose(stage: RwSignal<Stage, LocalStorage>) {
    stage.set(Stage::Choose);
    request_animation_frame(|| focus_by_id("restore-title"));
}

pub fn focus_by_id(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}
