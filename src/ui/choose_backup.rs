//! Choosing a backup file (button or drag and drop), then its passphrase: the file is
//! checked before anything is asked, and every record before anything is shown.

use super::form::{after_paint_async, ErrorSummary, Problem, TextField};
use super::kdf_worker::InWorker;
use super::perf;
use crate::backup::{fingerprint, BackupError, BackupFile, ValidBackup, MAX_BACKUP_BYTES};
use crate::vault::Vault;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use zeroize::Zeroize;

/// A backup unlocked and checked, ready to preview, merge or restore.
pub struct OpenedBackup {
    pub file: BackupFile,
    pub file_name: String,
    /// The short SHA-256 fingerprint of the file's bytes, to compare with the list of backups.
    pub fingerprint: String,
    pub vault: Vault,
    pub backup: ValidBackup,
    /// The chosen file, read again for its attached files' pieces when restoring or
    /// merging a backup with files.
    pub source: Option<web_sys::File>,
}

impl OpenedBackup {
    /// What the first reading found of a backup with attached files.
    pub fn files_head(&self) -> Option<&crate::backup::with_files::FilesHead> {
        match &self.file {
            BackupFile::WithFiles(head) => Some(head),
            _ => None,
        }
    }
}

#[component]
pub fn ChooseBackup(
    /// Called with the backup once it has opened and every record passed its checks.
    on_open: Callback<Arc<OpenedBackup>>,
) -> impl IntoView {
    let chosen = RwSignal::new(None::<Arc<(String, BackupFile, String)>>);
    let chosen_file = StoredValue::new_local(None::<web_sys::File>);
    let file_error = RwSignal::new(None::<String>);
    let secret = RwSignal::new(String::new());
    let secret_error = RwSignal::new(None::<String>);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let reading = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let dragging = RwSignal::new(false);

    let show_file_error = move |message: String| {
        chosen.set(None);
        file_error.set(Some(message.clone()));
        problems.set(vec![("backup-file".into(), message)]);
    };
    let take_file = move |file: web_sys::File| {
        file_error.set(None);
        secret_error.set(None);
        problems.set(Vec::new());
        chosen.set(None);
        let name = file.name();
        // The size is known before reading: a large file is never loaded into the tab whole,
        // only read as a stream (a backup with attached files).
        let size = file.size() as usize;
        chosen_file.set_value(Some(file.clone()));
        reading.set(true);
        if size > MAX_BACKUP_BYTES {
            wasm_bindgen_futures::spawn_local(async move {
                let scanned = perf::measure_async(
                    "senco:backup-files-scan",
                    crate::backup::with_files::scan(super::backup_files::BlobSource::new(&file)),
                )
                .await;
                reading.set(false);
                match scanned {
                    Ok(head) => {
                        let print = head.fingerprint.clone();
                        chosen.set(Some(Arc::new((
                            name,
                            BackupFile::WithFiles(Box::new(head)),
                            print,
                        ))))
                    }
                    // Not a backup with files: too large for any other backup.
                    Err(BackupError::NotWithFiles) => {
                        show_file_error(BackupError::TooLarge { bytes: size }.to_string())
                    }
                    Err(e) => show_file_error(e.to_string()),
                }
            });
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let bytes = match super::download::read_chosen_file(&file).await {
                Some(bytes) => bytes,
                None => {
                    reading.set(false);
                    return show_file_error(format!(
                        "The file \u{201c}{name}\u{201d} could not be read. Check the USB stick is still plugged in, then choose it again."
                    ));
                }
            };
            reading.set(false);
            match BackupFile::read(&bytes) {
                Ok(file) => chosen.set(Some(Arc::new((name, file, fingerprint(&bytes))))),
                Err(e) => show_file_error(e.to_string()),
            }
        });
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|files| files.get(0)) {
            take_file(file);
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|files| files.get(0))
        {
            take_file(file);
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen) = chosen.get_untracked() else {
            return show_file_error("Choose a backup file first.".into());
        };
        if secret.with_untracked(|s| s.is_empty()) {
            let message = "Enter the passphrase or recovery key for this backup.".to_string();
            secret_error.set(Some(message.clone()));
            problems.set(vec![("backup-secret".into(), message)]);
            return;
        }
        secret_error.set(None);
        problems.set(Vec::new());
        busy.set(true);
        after_paint_async(async move {
            let (file_name, file, print) = (&chosen.0, &chosen.1, &chosen.2);
            let mut typed = secret.get_untracked();
            // The slow part in a worker of its own: the page keeps painting meanwhile.
            let unlocked = perf::measure_async(
                "senco:backup-derive-key",
                file.unlock_with(&typed, &InWorker),
            )
            .await;
            typed.zeroize();
            let opened = unlocked.and_then(|vault| {
                perf::measure("senco:backup-open", || file.open(&vault)).map(|backup| {
                    OpenedBackup {
                        file: file.clone(),
                        file_name: file_name.clone(),
                        fingerprint: print.clone(),
                        vault,
                        backup,
                        source: chosen_file.get_value(),
                    }
                })
            });
            busy.set(false);
            match opened {
                Ok(opened) => {
                    secret.set(String::new());
                    on_open.run(Arc::new(opened));
                }
                Err(BackupError::WrongSecret) => {
                    let message = BackupError::WrongSecret.to_string();
                    secret_error.set(Some(message.clone()));
                    problems.set(vec![("backup-secret".into(), message)]);
                }
                Err(e) => show_file_error(e.to_string()),
            }
        });
    };

    view! {
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <div class="field drop-zone" class:drop-zone--active=move || dragging.get()
                class:field--error=move || file_error.with(|e| e.is_some())
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); dragging.set(true); }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop>
                <label for="backup-file">"Backup file"</label>
                <p class="hint" id="backup-file-hint">"A file named like senco-desk-your-school-2026-11-23-1405.json. Choose it, or drop it here."</p>
                {move || file_error.get().map(|message| view! {
                    <p class="field-error" id="backup-file-error">
                        <span class="visually-hidden">"Error: "</span>{message}
                    </p>
                })}
                <input id="backup-file" name="backup-file" type="file" accept=".json,application/json"
                    aria-describedby=move || if file_error.with(|e| e.is_some()) {
                        "backup-file-hint backup-file-error"
                    } else {
                        "backup-file-hint"
                    }
                    aria-invalid=move || file_error.with(|e| e.is_some()).then_some("true")
                    on:change=on_change/>
                <p role="status">
                    {move || reading.get().then_some("Checking the file\u{2026}")}
                    {move || chosen.get().map(|c| {
                        let made = super::clock::date_and_time(c.1.made());
                        let older = if c.1.is_older_format() {
                            " It is in an older backup format, which is converted as it opens."
                        } else {
                            ""
                        };
                        let files = c.1.carried_files().len();
                        let carried = if files > 0 {
                            format!(" It holds the records and {}.", crate::domain::text::count(files, "attached file"))
                        } else {
                            " It holds the records only.".to_string()
                        };
                        format!("\u{201c}{}\u{201d} is a Senco Desk backup made on {made} (fingerprint {}).{carried}{older}", c.0, c.2)
                    })}
                </p>
            </div>
            {move || chosen.get().is_some().then(|| view! {
                <TextField id="backup-secret" label="Passphrase or recovery key for this backup"
                    value=secret input_type="password" error=secret_error
                    hint="The desk's passphrase or recovery key when the backup was made, or the separate passphrase set for this file."/>
                <button type="submit" class="button" disabled=move || busy.get()>"Open backup"</button>
                <p role="status">{move || busy.get().then_some("Opening the backup\u{2026}")}</p>
            })}
        </form>
    }
}

fn event_target<T: JsCast>(ev: &leptos::ev::Event) -> T {
    ev.target()
        .expect("a change event has a target")
        .unchecked_into()
}
