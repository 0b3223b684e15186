//! The app's state: the open desk (only while unlocked), the browser store and notices.

use super::drafts;
use super::perf;
use super::tabs::LockChannel;
use crate::domain::draft::{DraftsKept, LockReason};
use crate::domain::register::{RegisterFilter, Sort};
use crate::domain::Settings;
use crate::store::idb::Database;
use crate::store::moving::{load_desk, Loaded};
use crate::store::{
    prepare, settle, DeskMirror, DeskStoreError, KeysChanged, LocalStore, OpenDesk, StoreError,
};
use crate::vault::SecretChange;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::JsValue;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// A message for the whole app, read out by screen readers through a live region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
    /// Storage is full: offer the encrypted backup download beside the message.
    pub offer_backup: bool,
}

impl Notice {
    pub fn info(text: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Info,
            text: text.into(),
            offer_backup: false,
        }
    }

    pub fn error(text: impl Into<String>) -> Notice {
        Notice {
            kind: NoticeKind::Error,
            text: text.into(),
            offer_backup: false,
        }
    }
}

/// How the register was last shown, so coming back to it keeps the filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterView {
    pub filter: RegisterFilter,
    pub sort: Sort,
    pub page: usize,
}

/// Where the desk's storage is while the page starts.
#[derive(Debug, Clone, PartialEq)]
pub enum Storage {
    /// The database is being opened and read (and an older desk moved into it).
    Opening,
    Ready,
    /// Storage cannot be used: the message says why; nothing was changed.
    Failed(DeskStoreError),
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub register_view: RwSignal<RegisterView>,
    /// The unlocked desk. None when locked: dropping it wipes the data key and the records
    /// it holds.
    pub session: RwSignal<Option<OpenDesk>, LocalStorage>,
    /// localStorage: drafts, the generation marker, and desks older apps left there.
    local: StoredValue<Result<LocalStore, StoreError>, LocalStorage>,
    /// Every sealed value of the desk, as IndexedDB holds it (see store::mirror).
    mirror: StoredValue<DeskMirror, LocalStorage>,
    database: StoredValue<Option<Rc<Database>>, LocalStorage>,
    pub storage: RwSignal<Storage>,
    /// Settles when the last commit asked for has finished: saves take turns behind it.
    commits: StoredValue<js_sys::Promise, LocalStorage>,
    pub notice: RwSignal<Option<Notice>>,
    /// Where the app is served from, without a trailing slash ("" at a site's root).
    pub base: StoredValue<String>,
    /// Date.now() of the last key press, click or touch, for auto-lock.
    pub last_activity: StoredValue<f64>,
    /// Set by a redirect, so focus stays where a fresh page starts (before the skip link).
    pub quiet_navigation: StoredValue<bool>,
    /// Where Lock is announced to the desk's other tabs.
    pub lock_channel: StoredValue<LockChannel, LocalStorage>,
    /// The last import's summary and report, shown on the import page until Lock.
    pub last_import: RwSignal<Option<super::import::LastImport>>,
    /// A recovery key just made and not yet confirmed, while this tab is unlocked, so the
    /// reminder on every page can lead back to it. Forgotten on lock.
    pub pending_recovery: RwSignal<Option<super::create::ShownKey>>,
    /// What unlocking does once every full file is open is still to do (see `opening`).
    opening_checks: StoredValue<bool>,
    /// The home screen's provision list, kept between visits (see `DueCache`); it names
    /// provisions and pupils' ids, so it is forgotten with the desk.
    pub provision_due: StoredValue<crate::domain::provision::due::DueCache, LocalStorage>,
}

impl AppState {
    pub fn new(base: String) -> AppState {
        AppState {
            register_view: RwSignal::new(RegisterView::default()),
            session: RwSignal::new_local(None),
            local: StoredValue::new_local(LocalStore::open()),
            mirror: StoredValue::new_local(DeskMirror::default()),
            database: StoredValue::new_local(None),
            storage: RwSignal::new(Storage::Opening),
            commits: StoredValue::new_local(js_sys::Promise::resolve(&JsValue::UNDEFINED)),
            // After a lock that reloaded the page: say why, and where unsaved text went.
            notice: RwSignal::new(drafts::take_lock_notice().map(Notice::info)),
            base: StoredValue::new(base),
            last_activity: StoredValue::new(js_sys::Date::now()),
            quiet_navigation: StoredValue::new(false),
            lock_channel: StoredValue::new_local(LockChannel::open()),
            last_import: RwSignal::new(None),
            pending_recovery: RwSignal::new(None),
            opening_checks: StoredValue::new(false),
            provision_due: StoredValue::new_local(Default::default()),
        }
    }

    /// Opens the database and reads the desk into memory, moving an older app's desk out
    /// of localStorage first. Pages wait for this (see `Storage`).
    pub fn open_storage(&self) {
        let app = *self;
        leptos::task::spawn_local_scoped(async move {
            let opened = Database::open(
                move || {
                    app.notice.set(Some(Notice::info(
                        "Senco Desk is waiting for its other tabs: close them, or reload them, to go on.",
                    )))
                },
                move || {
                    app.notice
                        .set(Some(Notice::error(StoreError::Upgraded.to_string())))
                },
            )
            .await;
            let db = match opened {
                Ok(db) => Rc::new(db),
                Err(e) => return app.storage.set(Storage::Failed(e.into())),
            };
            let now = js_sys::Date::now() as i64;
            // The benchmark's "read the desk": every sealed record out of IndexedDB into
            // memory at page load (and, the first time, the move out of localStorage).
            perf::start("senco:read-database");
            let loaded = match app.local.with_value(|l| l.clone()) {
                Ok(mut local) => load_desk(db.as_ref(), &mut local, now).await,
                // No localStorage (blocked): nothing older to move.
                Err(_) => crate::store::DeskDatabase::read_all(db.as_ref())
                    .await
                    .map(|items| (items, Loaded::InDatabase))
                    .map_err(DeskStoreError::from),
            };
            perf::end("senco:read-database");
            match loaded {
                Ok((items, how)) => {
                    app.mirror.update_value(|m| m.replace_all(items));
                    app.database.set_value(Some(db));
                    if how == Loaded::Moved {
                        perf::mark("senco:moved-to-indexeddb");
                    }
                    app.storage.set(Storage::Ready);
                }
                Err(e) => app.storage.set(Storage::Failed(e)),
            }
        });
    }

    /// Reads the desk from the database again (another tab saved), and loads it into the
    /// open desk. Ok(true) if the open desk changed.
    pub async fn reload_from_database(&self) -> Result<bool, DeskStoreError> {
        let Some(db) = self.database.get_value() else {
            return Ok(false);
        };
        let items = db.read_desk().await?;
        self.mirror.update_value(|m| m.replace_all(items));
        self.with_store(|mirror| {
            self.session
                .try_update(|open| match open {
                    Some(open) => open.refresh(mirror),
                    None => Ok(false),
                })
                .unwrap_or(Ok(false))
        })
    }

    /// Unlocking opened summaries: the checks made once every file is open are due.
    pub fn expect_opening_checks(&self) {
        self.opening_checks.set_value(true);
    }

    /// True once per unlock: the checks made once every file is open are due now.
    pub fn take_opening_checks(&self) -> bool {
        self.opening_checks
            .try_update_value(|due| std::mem::replace(due, false))
            .unwrap_or(false)
    }

    pub fn is_unlocked(&self) -> bool {
        self.session.with(|s| s.is_some())
    }

    /// A path inside the app, for links and navigation.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.base.get_value(), path)
    }

    /// The open desk has a recovery key nobody has confirmed keeping.
    pub fn recovery_key_unconfirmed(&self) -> bool {
        self.session.with(|s| {
            s.as_ref()
                .is_some_and(|open| open.desk.settings.recovery_key_unconfirmed)
        })
    }

    pub fn settings(&self) -> Option<Settings> {
        self.session
            .with(|s| s.as_ref().map(|open| open.desk.settings.clone()))
    }

    /// Reads the desk's sealed values without the open desk (unlock, the first-run checks).
    /// Anything written here is kept only by [`AppState::write_desk`].
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut DeskMirror) -> Result<T, DeskStoreError>,
    ) -> Result<T, DeskStoreError> {
        self.mirror
            .try_update_value(f)
            .unwrap_or(Err(DeskStoreError::NoDesk))
    }

    /// localStorage, for drafts and the generation marker.
    pub fn with_local<T>(
        &self,
        f: impl FnOnce(&mut LocalStore) -> Result<T, DeskStoreError>,
    ) -> Result<T, DeskStoreError> {
        self.local
            .try_update_value(|store| match store {
                Ok(store) => f(store),
                Err(e) => Err(DeskStoreError::Storage(e.clone())),
            })
            .unwrap_or(Err(DeskStoreError::NoDesk))
    }

    /// Takes a turn: waits until every commit asked for before has finished, so saves
    /// reach storage in order. Call the returned function when this commit has finished.
    async fn wait_turn(&self) -> js_sys::Function {
        let mut finish = None;
        let mine = js_sys::Promise::new(&mut |resolve, _| finish = Some(resolve));
        let before = self
            .commits
            .try_update_value(|tail| std::mem::replace(tail, mine));
        if let Some(before) = before {
            let _ = wasm_bindgen_futures::JsFuture::from(before).await;
        }
        finish.expect("a promise's executor runs at once")
    }

    async fn commit(&self, batch: &crate::store::Batch) -> Result<(), StoreError> {
        match self.database.get_value() {
            Some(db) => db.commit_batch(batch).await,
            None => Err(StoreError::Unavailable("the database is not open".into())),
        }
    }

    /// Writes to the desk's storage without an open desk (creating or restoring one): what
    /// `write` changed is committed in one transaction, or put back.
    pub async fn write_desk<T>(
        &self,
        write: impl FnOnce(&mut DeskMirror) -> Result<T, DeskStoreError>,
    ) -> Result<T, DeskStoreError> {
        let turn = self.wait_turn().await;
        let result = self.with_store(write);
        let batch = self.mirror.try_update_value(|m| m.take_batch());
        let Some(batch) = batch else {
            let _ = turn.call0(&JsValue::NULL);
            return result;
        };
        let value = match result {
            Ok(value) => value,
            Err(e) => {
                self.mirror.update_value(|m| m.revert(batch));
                let _ = turn.call0(&JsValue::NULL);
                return Err(e);
            }
        };
        let outcome = self.commit(&batch).await;
        let _ = turn.call0(&JsValue::NULL);
        match outcome {
            Ok(()) => {
                self.announce_saved();
                // A new desk: a marker left by an earlier one in this browser does not apply.
                let _ = self.with_local(|local| {
                    let _ = crate::store::KeyValueStore::remove(
                        local,
                        crate::store::keys::GENERATION_MARKER_KEY,
                    );
                    Ok(())
                });
                Ok(value)
            }
            Err(e) => {
                self.mirror.update_value(|m| m.revert(batch));
                if e == StoreError::Stale {
                    let _ = self.reload_from_database().await;
                    return Err(DeskStoreError::DeskExists);
                }
                Err(self.reported(DeskStoreError::Storage(e)))
            }
        }
    }

    /// Saves a change to the open desk. The change is made in memory at once (so a bug
    /// shows where the user acted), then committed to the database in one transaction,
    /// after any save before it, and only then shown. A failure leaves memory and storage as
    /// storage is, and is returned for the form to show; a full store also raises the
    /// backup offer.
    pub fn save<T: 'static>(
        &self,
        change: impl FnOnce(&mut OpenDesk, &mut DeskMirror) -> Result<T, DeskStoreError>,
    ) -> impl std::future::Future<Output = Result<T, DeskStoreError>> {
        perf::start("senco:save");
        let app = *self;
        let session = self.session;
        // A save is built on full files only: any still opening are opened first.
        super::opening::finish_now(app);
        // The benchmark splits a save: sealing what changed, then the commit itself.
        let prepared = perf::measure("senco:save-seal", || {
            self.with_store(|mirror| {
                session
                    .try_update_untracked(|open| match open {
                        Some(open) => prepare(open, mirror, change),
                        None => Err(DeskStoreError::NoDesk),
                    })
                    .unwrap_or(Err(DeskStoreError::NoDesk))
            })
        });
        async move {
            let (value, batch) = match prepared {
                Ok(prepared) => prepared,
                Err(e) => {
                    session.notify();
                    return Err(app.reported(e));
                }
            };
            if batch.is_empty() {
                session.notify();
                perf::end("senco:save");
                return Ok(value);
            }
            let turn = app.wait_turn().await;
            let outcome = perf::measure_async("senco:save-commit", app.commit(&batch)).await;
            let _ = turn.call0(&JsValue::NULL);
            let failed = outcome.is_err();
            let settled = app.with_store(|mirror| {
                session
                    .try_update_untracked(|open| match open {
                        Some(open) => settle(open, mirror, batch, outcome),
                        None => Err(DeskStoreError::NoDesk),
                    })
                    .unwrap_or(Err(DeskStoreError::NoDesk))
            });
            if failed {
                // Storage is the truth: a save made on top of this one meanwhile, or
                // another tab's, is read back from it. If another tab changed the keys,
                // this tab's key opens nothing there: lock, keeping what was typed as drafts.
                if let Err(DeskStoreError::KeysChangedElsewhere) = app.reload_from_database().await
                {
                    app.lock(LockReason::OtherTab);
                }
            } else {
                perf::end("senco:save");
                app.announce_saved();
                // The highest generation this browser has seen, kept apart from the database.
                session.with_untracked(|open| {
                    if let Some(open) = open {
                        let _ = app.with_local(|local| {
                            super::integrity::keep_marker(open, local);
                            Ok(())
                        });
                    }
                });
            }
            session.notify();
            settled.map(|()| value).map_err(|e| app.reported(e))
        }
    }

    /// Saves a change of keys (the data key rotated, every record re-sealed: see
    /// `OpenDesk::save_key_change`), then re-seals the drafts kept in localStorage under
    /// the new key.
    pub async fn save_key_change(
        &self,
        change: SecretChange,
    ) -> Result<KeysChanged, DeskStoreError> {
        // The benchmark's "rotating the data key": every record re-sealed and committed.
        let mut changed = perf::measure_async(
            "senco:key-change-save",
            self.save(|open, store| open.save_key_change(store, change)),
        )
        .await?;
        let app = *self;
        changed.drafts_lost = self
            .session
            .try_update_untracked(|open| {
                let open = open.as_mut()?;
                let old = open.key_change_reached_storage()?;
                app.with_local(|local| Ok(open.reseal_drafts(local, &old)))
                    .ok()
            })
            .flatten()
            .unwrap_or(0);
        Ok(changed)
    }

    /// Raises the backup offer beside a full-storage error.
    fn reported(&self, error: DeskStoreError) -> DeskStoreError {
        if let DeskStoreError::Storage(StoreError::QuotaExceeded) = &error {
            self.notice.set(Some(Notice {
                kind: NoticeKind::Error,
                text: StoreError::QuotaExceeded.to_string(),
                offer_backup: true,
            }));
        }
        error
    }

    /// Tells the desk's other tabs to read the database again.
    fn announce_saved(&self) {
        self.lock_channel.with_value(LockChannel::announce_saved);
    }

    /// The Lock button: locks this tab and every other tab of the desk.
    pub fn lock_every_tab(&self) {
        // Told first: this tab reloads as it locks.
        self.lock_channel.with_value(LockChannel::announce);
        self.lock(LockReason::Button);
    }

    /// Locks this tab. Every open form's unsaved text is first kept as an encrypted draft;
    /// then the open desk is dropped, wiping the data key and the records it holds, and the
    /// page reloads on the unlock screen, so nothing of the desk is left in this tab's
    /// memory. Unlocking returns to the page that was open. Only when storage was full and
    /// unsaved text is held (sealed) in this tab's memory does the page stay, locked.
    pub fn lock(&self, reason: LockReason) {
        let kept = drafts::keep_every_draft();
        let page = drafts::current_page(*self);
        drafts::set_locking(true);
        self.session.set(None);
        self.pending_recovery.set(None);
        // A search can hold a pupil's name: forget it with the desk.
        self.register_view.set(RegisterView::default());
        // The import report names pupils: forget it with the desk.
        self.last_import.set(None);
        self.provision_due.set_value(Default::default());
        // The fresh page says why (see drafts::take_lock_notice); this one only if it stays.
        let reloading = kept != DraftsKept::InThisTabOnly
            && drafts::reload_to_unlock(*self, reason, kept, &page);
        if !reloading {
            self.notice.set(Some(Notice::info(reason.notice(kept))));
        }
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
