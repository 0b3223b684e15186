//! Backups with attached files in the browser: the text is gathered into a Blob a file at a
//! time (never one string), read back from that Blob in slices to check it, and a chosen
//! backup's pieces are read from the File in slices and staged in IndexedDB before the
//! records are committed (a restore cannot be one transaction while it reads a file).

use super::choose_backup::OpenedBackup;
use super::clock::local_now;
use super::perf;
use super::pupil_files::adding;
use super::state::AppState;
use crate::backup::with_files::{self, ByteSource, PartSink, PART_BYTES};
use crate::backup::{BackupError, MadeBackup, OpensWith};
use crate::domain::text::file_size;
use crate::store::files::{browser_chunks, delete_files, FileChunks};
use crate::vault::web_crypto::WebCryptoCheck;
use crate::vault::{Header, Vault};
use leptos::prelude::*;
use std::collections::BTreeSet;
use wasm_bindgen::JsValue;

/// Text parts joined into a Blob every few MB, so no string larger than one file's pieces
/// is ever made; the browser keeps a large Blob on disk as it needs.
pub struct BlobSink {
    blob: Option<web_sys::Blob>,
    parts: js_sys::Array,
    pending: usize,
}

const FLUSH_BYTES: usize = 16 * 1024 * 1024;

impl BlobSink {
    pub fn new() -> BlobSink {
        BlobSink {
            blob: None,
            parts: js_sys::Array::new(),
            pending: 0,
        }
    }

    fn flush(&mut self) {
        if self.pending == 0 && self.blob.is_some() {
            return;
        }
        let all = js_sys::Array::new();
        if let Some(blob) = &self.blob {
            all.push(blob);
        }
        for part in self.parts.iter() {
            all.push(&part);
        }
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/json");
        self.blob = web_sys::Blob::new_with_str_sequence_and_options(&all, &options).ok();
        self.parts = js_sys::Array::new();
        self.pending = 0;
    }

    pub fn finish(mut self) -> Option<web_sys::Blob> {
        self.flush();
        self.blob
    }
}

impl PartSink for BlobSink {
    fn push(&mut self, part: String) {
        self.pending += part.len();
        self.parts.push(&JsValue::from_str(&part));
        if self.pending >= FLUSH_BYTES {
            self.flush();
        }
    }
}

/// A Blob (a chosen File, or a backup just made) read a slice at a time, the next slice
/// asked for before this one is used, so the browser reads the disk meanwhile.
pub struct BlobSource {
    blob: web_sys::Blob,
    /// Where the next slice to ask for begins.
    at: f64,
    ahead: Option<wasm_bindgen_futures::JsFuture>,
}

impl BlobSource {
    pub fn new(blob: &web_sys::Blob) -> BlobSource {
        BlobSource {
            blob: blob.clone(),
            at: 0.0,
            ahead: None,
        }
    }

    /// Asks the browser for the next slice; None at the end.
    fn ask(&mut self) -> Result<Option<wasm_bindgen_futures::JsFuture>, BackupError> {
        let size = self.blob.size();
        if self.at >= size {
            return Ok(None);
        }
        let end = (self.at + PART_BYTES as f64).min(size);
        let slice = self
            .blob
            .slice_with_f64_and_f64(self.at, end)
            .map_err(|_| unreadable())?;
        self.at = end;
        Ok(Some(wasm_bindgen_futures::JsFuture::from(
            slice.array_buffer(),
        )))
    }
}

fn unreadable() -> BackupError {
    BackupError::Damaged("it could not be read: check the USB stick is still plugged in".into())
}

impl ByteSource for BlobSource {
    async fn read_part(&mut self) -> Result<Option<Vec<u8>>, BackupError> {
        let current = match self.ahead.take() {
            Some(asked) => asked,
            None => match self.ask()? {
                Some(asked) => asked,
                None => return Ok(None),
            },
        };
        self.ahead = self.ask()?;
        let buffer = current.await.map_err(|_| unreadable())?;
        Ok(Some(js_sys::Uint8Array::new(&buffer).to_vec()))
    }
}

/// Makes a backup with the attached files, reads it back from the Blob and checks every
/// record and piece, then offers it as a download. `keys` is a separate passphrase's.
pub async fn make_with_files(
    app: AppState,
    keys: Option<(Header, Vault)>,
) -> Result<(MadeBackup, web_sys::Blob), String> {
    let now = chrono::Utc::now();
    let prepared = app
        .session
        .with_untracked(|s| {
            s.as_ref().map(|open| {
                let opens_with = match &keys {
                    Some((header, vault)) => OpensWith::OwnKeys { header, vault },
                    None => OpensWith::DeskSecrets,
                };
                open.prepare_backup_with_files(opens_with, now, local_now())
            })
        })
        .ok_or("The desk is locked.")?
        .map_err(|e| e.to_string())?;
    let chunks = browser_chunks();
    let mut sink = BlobSink::new();
    perf::start("senco:backup-files-write");
    prepared
        .write(&*chunks, &mut sink)
        .await
        .map_err(|e| e.to_string())?;
    let blob = sink
        .finish()
        .ok_or("No backup was saved: the browser could not make the file. Try again.")?;
    perf::end("senco:backup-files-write");
    let made = perf::measure_async(
        "senco:backup-files-check",
        with_files::make_checked(&prepared, || BlobSource::new(&blob), &WebCryptoCheck::new()),
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok((made, blob))
}

/// Offers a Blob as a download (no network request); the object URL is revoked later.
pub fn download_blob(file_name: &str, blob: &web_sys::Blob) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let fail = |e: JsValue| format!("{e:?}");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(fail)?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// The files `named` (by the records about to be written) that this browser does not
/// store yet: those a restore or merge must stage.
pub async fn missing_here(named: BTreeSet<String>) -> Result<BTreeSet<String>, String> {
    let have = browser_chunks()
        .file_ids()
        .await
        .map_err(|e| e.to_string())?;
    Ok(named.into_iter().filter(|id| !have.contains(id)).collect())
}

/// Reads the chosen backup again, proving every piece with its key, and stores the pieces
/// of the files in `wanted`. Returns the ids stored (to remove again if the records'
/// commit fails). On failure nothing stays stored. Each staged id is marked as being added,
/// so another tab's orphan sweep spares it until the records name it.
pub async fn stage_files(
    opened: &OpenedBackup,
    wanted: BTreeSet<String>,
    progress: RwSignal<String>,
) -> Result<Vec<String>, String> {
    let (Some(file), Some(head)) = (opened.source.as_ref(), opened.files_head()) else {
        return Ok(Vec::new());
    };
    for id in &wanted {
        adding::start(id);
    }
    let total = file.size();
    let chunks = browser_chunks();
    let copied = perf::measure_async(
        "senco:backup-files-stage",
        with_files::copy_files(
            BlobSource::new(file),
            head,
            &opened.backup,
            Some((&*chunks, &wanted)),
            &WebCryptoCheck::new(),
            |read| {
                progress.set(format!(
                    "Reading attached files: {} of {}\u{2026}",
                    file_size(read as usize),
                    file_size(total as usize)
                ))
            },
        ),
    )
    .await;
    progress.set(String::new());
    match copied {
        Ok(copied) => Ok(copied.written),
        Err(e) => {
            for id in &wanted {
                adding::done(id);
            }
            Err(e.to_string())
        }
    }
}

/// Stages what a restore or merge of `opened` needs: the files `named` by the records it
/// writes that this browser lacks. Nothing for a records-only backup.
pub async fn stage_named(
    opened: &OpenedBackup,
    named: BTreeSet<String>,
    progress: RwSignal<String>,
) -> Result<Vec<String>, String> {
    if !opened.backup.with_files {
        return Ok(Vec::new());
    }
    let wanted = missing_here(named).await?;
    stage_files(opened, wanted, progress).await
}

/// Every file the backup's records name.
pub fn named_in(opened: &OpenedBackup) -> BTreeSet<String> {
    opened
        .backup
        .attached_files()
        .map(|a| a.id.clone())
        .collect()
}

/// After the records' commit: the staged files are named now (Ok), or are removed (Err).
pub async fn settle_staged(staged: Vec<String>, committed: bool) {
    if !committed {
        let _ = delete_files(&*browser_chunks(), staged.clone()).await;
    }
    for id in &staged {
        adding::done(id);
    }
}
