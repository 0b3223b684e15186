//! Unlocking's second part: pupils' summaries show the register and home at once; their
//! full files are then opened in short slices between frames (input and painting go on),
//! or all at once when a page or a save needs them (see `shell::Unlocked`, `AppState::save`).

use super::frames::{next_task, yield_now};
use super::perf;
use super::state::{AppState, Notice};
use crate::store::{DeskStoreError, OpenDesk, Unlocking};
use crate::vault::{Header, Vault};
use leptos::prelude::*;

/// Longest a slice of opening runs before the page gets the main thread back.
const SLICE_MS: f64 = 8.0;

/// Longest a slice of reading summaries runs: the page shows only "Unlocking…" meanwhile,
/// so slices can be longer than the full files' (fewer gaps, Home sooner), and still far
/// below a long task.
const SUMMARY_SLICE_MS: f64 = 40.0;

/// Unlocking's first part, with the key derived: the desk-wide records and every pupil's
/// summary, read in slices so the page keeps painting. The open desk is not the app's
/// until it is whole.
pub async fn read_summaries(
    app: AppState,
    header: Header,
    vault: Vault,
) -> Result<OpenDesk, DeskStoreError> {
    let mut unlocking = app.with_store(|store| {
        // Another tab may have changed the keys while this one derived.
        if OpenDesk::read_header(store)? != header {
            return Err(DeskStoreError::ChangedElsewhere);
        }
        Unlocking::begin(store, header, vault, chrono::Utc::now())
    })?;
    loop {
        yield_now().await;
        let deadline = now() + SUMMARY_SLICE_MS;
        let done = app.with_store(|store| unlocking.read_more(store, || now() < deadline))?;
        if done {
            break;
        }
    }
    app.with_store(|store| unlocking.finish(store))
}

/// Opens the full files of the desk just unlocked, a slice at a time, then does what
/// unlocking did once everything was open (see [`after_fully_open`]).
pub fn open_in_slices(app: AppState) {
    perf::start("senco:open-full-files");
    leptos::task::spawn_local(async move {
        loop {
            next_task().await;
            let deadline = now() + SLICE_MS;
            let opened = app.with_store(|store| {
                app.session
                    .try_update_untracked(|open| match open {
                        Some(open) => open.open_more(store, || now() < deadline).map(|_| true),
                        None => Ok(false),
                    })
                    .unwrap_or(Ok(false))
            });
            match opened {
                // Locked meanwhile: nothing left to open.
                Ok(false) => return,
                Ok(true) if fully_open(app) => break,
                Ok(true) => {}
                // Storage failed under it: show the error; saves stay refused until a
                // page that needs every file tries again.
                Err(e) => {
                    app.notice.set(Some(Notice::error(e.to_string())));
                    return;
                }
            }
        }
        after_fully_open(app);
    });
}

/// Opens every full file still to open at once (a page or a save needs them). Returns
/// false if storage failed (the error is shown).
pub fn finish_now(app: AppState) -> bool {
    if app.session.with_untracked(|s| s.is_none()) || fully_open(app) {
        return true;
    }
    let opened = app.with_store(|store| {
        app.session
            .try_update_untracked(|open| match open {
                Some(open) => open.finish_opening(store).map(|_| ()),
                None => Ok(()),
            })
            .unwrap_or(Ok(()))
    });
    if let Err(e) = opened {
        app.notice.set(Some(Notice::error(e.to_string())));
        return false;
    }
    after_fully_open(app);
    true
}

fn fully_open(app: AppState) -> bool {
    app.session
        .with_untracked(|s| s.as_ref().is_none_or(|o| o.is_fully_open()))
}

/// Once every file is open: the check against this browser's generation marker, what was
/// found said, attached pieces no file names swept, summaries found missing or out of date
/// written again, and every page shown from the full files. Done once per unlock.
fn after_fully_open(app: AppState) {
    if !app.take_opening_checks() {
        return;
    }
    perf::end("senco:open-full-files");
    let summaries = app
        .session
        .try_update_untracked(|open| {
            let open = open.as_mut()?;
            let _ = app.with_local(|local| {
                super::integrity::check_and_keep_marker(open, local);
                Ok(())
            });
            let notice = found_notice(open);
            if notice.is_some() {
                app.notice.set(notice);
            }
            Some(open.integrity.is_empty().then(|| open.summaries_to_write()))
        })
        .flatten()
        .flatten()
        .unwrap_or(0);
    app.session.notify();
    super::pupil_files::sweep_after_unlock(app);
    if summaries > 0 {
        leptos::task::spawn_local(async move {
            // Kept for the next unlock; if it fails, that unlock opens the files instead.
            let _ = app.save(|open, store| open.save_summaries(store)).await;
        });
    }
}

/// What unlocking found, as it was said at unlock before files opened in slices.
fn found_notice(open: &crate::store::OpenDesk) -> Option<Notice> {
    let damaged = open.desk.damaged.len();
    let tampered = !open.integrity.is_empty();
    match damaged {
        0 if tampered => Some(Notice::error(
            "Signs of tampering or damage were found. They are listed on the home page: nothing can be saved until you choose what to do.",
        )),
        0 => None,
        n => Some(Notice::error(format!(
            "{n} pupil file{} could not be opened. They are listed on the home page{}.",
            if n == 1 { "" } else { "s" },
            if tampered {
                ", with signs of tampering or damage: nothing can be saved until you choose what to do"
            } else {
                ""
            }
        ))),
    }
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}
