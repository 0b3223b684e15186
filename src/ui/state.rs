//! The app's state: the open desk (only while unlocked), the browser store and notices.

use super::drafts;
use super::perf;
use super::tabs::LockChannel;
use crate::domain::draft::{DraftsKept, LockReason};
use crate::domain::register::{RegisterFilter, Sort};
use crate::domain::Settings;
use crate::store::{DeskStoreError, LocalStore, OpenDesk, StoreError};
use leptos::prelude::*;

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

#[derive(Clone, Copy)]
pub struct AppState {
    pub register_view: RwSignal<RegisterView>,
    /// The unlocked desk. None when locked: dropping it wipes the data key and the records
    /// it holds.
    pub session: RwSignal<Option<OpenDesk>, LocalStorage>,
    store: StoredValue<Result<LocalStore, StoreError>, LocalStorage>,
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
}

impl AppState {
    pub fn new(base: String) -> AppState {
        AppState {
            register_view: RwSignal::new(RegisterView::default()),
            session: RwSignal::new_local(None),
            store: StoredValue::new_local(LocalStore::open()),
            // After a lock that reloaded the page: say why, and where unsaved text went.
            notice: RwSignal::new(drafts::take_lock_notice().map(Notice::info)),
            base: StoredValue::new(base),
            last_activity: StoredValue::new(js_sys::Date::now()),
            quiet_navigation: StoredValue::new(false),
            lock_channel: StoredValue::new_local(LockChannel::open()),
            last_import: RwSignal::new(None),
            pending_recovery: RwSignal::new(None),
        }
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

    /// Runs something against the browser store without the desk (create, unlock).
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut LocalStore) -> Result<T, DeskStoreError>,
    ) -> Result<T, DeskStoreError> {
        self.store
            .try_update_value(|store| match store {
                Ok(store) => f(store),
                Err(e) => Err(DeskStoreError::Storage(e.clone())),
            })
            .unwrap_or(Err(DeskStoreError::NoDesk))
    }

    /// Saves a change to the open desk. A failure leaves memory and storage as they were
    /// and is returned for the form to show; a full store also raises the backup offer.
    pub fn save<T>(
        &self,
        change: impl FnOnce(&mut OpenDesk, &mut LocalStore) -> Result<T, DeskStoreError>,
    ) -> Result<T, DeskStoreError> {
        let session = self.session;
        let result = perf::measure("senco:save", || {
            self.with_store(|store| {
                session
                    .try_update(|open| match open {
                        Some(open) => change(open, store)
                            .inspect(|_| super::integrity::keep_marker(open, store)),
                        None => Err(DeskStoreError::NoDesk),
                    })
                    .unwrap_or(Err(DeskStoreError::NoDesk))
            })
        });
        if let Err(DeskStoreError::Storage(StoreError::QuotaExceeded)) = &result {
            self.notice.set(Some(Notice {
                kind: NoticeKind::Error,
                text: StoreError::QuotaExceeded.to_string(),
                offer_backup: true,
            }));
        }
        result
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
