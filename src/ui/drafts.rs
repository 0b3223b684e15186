//! Unsaved text is never thrown away: each open form keeps what is typed in it as an
//! encrypted draft (sealed with the desk's data key, see `store::drafts`), within about a
//! second of typing, so auto-lock, Lock, a crash or a closed lid keeps it. After unlocking,
//! the page offers it back: "You have unsaved text from 14:05 on 01/12/2026: Restore / Discard".
//!
//! A form joins in with one line, [`FormDraft::provide`]; its fields (form.rs) then register
//! themselves by id. Saving or cancelling the form (which closes it) removes its draft.
//! If storage is full the sealed draft is held in this tab's memory instead, and the form
//! says so: its text stays where it is.

use super::state::{use_app, AppState};
use crate::domain::draft::{draft_page, has_changes, Draft, DraftsKept, LockReason};
use crate::store::KeyValueStore;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Duration;

/// Typing is kept this long after the first unsaved key press (then again while typing
/// goes on): well within the two seconds promised.
const KEEP_AFTER: Duration = Duration::from_millis(800);

/// sessionStorage: why this tab locked, for the notice after the reload. Fixed words only.
const LOCK_FLAG: &str = "senco-desk/locked-because";
/// sessionStorage: the page to return to after unlocking (path and query: record ids only).
/// Kept here rather than in the unlock page's address, so no request to the server carries it.
const RETURN_TO: &str = "senco-desk/return-to";

thread_local! {
    /// The forms open now, for keeping every draft at once before a lock.
    static OPEN_FORMS: RefCell<Vec<FormDraft>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u64> = const { Cell::new(0) };
    /// Set while the tab locks: forms closing then keep their drafts.
    static LOCKING: Cell<bool> = const { Cell::new(false) };
    /// Set once the page is being replaced by a fresh unlock page.
    static RELOADING: Cell<bool> = const { Cell::new(false) };
    /// A draft the page's offer is restoring: the form it opens fills itself from it.
    static RESTORING: RefCell<Option<Draft>> = const { RefCell::new(None) };
    /// Sealed drafts that storage refused (full): kept in this tab only.
    static IN_MEMORY: RefCell<BTreeMap<String, String>> = const { RefCell::new(BTreeMap::new()) };
}

/// Puts a value back into a field.
type Setter = Rc<dyn Fn(&str)>;

struct Field {
    id: String,
    start: String,
    get: Rc<dyn Fn() -> Option<String>>,
    set: Setter,
}

struct Inner {
    page: String,
    form: String,
    fields: Vec<Field>,
    timer: Option<TimeoutHandle>,
}

/// Whether the form's unsaved text is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// Nothing to keep, or kept in storage.
    Fine,
    /// Storage refused it: kept in this tab's memory only.
    NotStored,
}

/// One open form's draft. Provided as context, so the form's fields find it.
#[derive(Clone, Copy)]
pub struct FormDraft {
    id: u64,
    app: AppState,
    inner: StoredValue<Inner, LocalStorage>,
    pub kept: RwSignal<Kept>,
    /// A draft kept earlier for this form, offered until restored or discarded.
    pub offered: RwSignal<Option<Draft>>,
}

impl FormDraft {
    /// Called by a form before its fields: `form` names it on its page ("note", "plan").
    /// The form's draft while the form is open (a context can outlive its form).
    pub fn open_form() -> Option<FormDraft> {
        use_context::<FormDraft>().filter(|d| d.inner.try_with_value(|_| ()).is_some())
    }

    pub fn provide(form: impl Into<String>) -> FormDraft {
        let app = use_app();
        let form = form.into();
        let page = draft_page(&current_page(app));
        let restoring = RESTORING.with(|r| {
            let mut r = r.borrow_mut();
            match r.as_ref() {
                Some(d) if d.page == page && d.form == form => r.take(),
                _ => None,
            }
        });
        let offered = match restoring {
            Some(_) => None,
            None => kept_drafts(app, &page)
                .into_iter()
                .rfind(|d| d.form == form),
        };
        let id = NEXT_ID.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        let draft = FormDraft {
            id,
            app,
            inner: StoredValue::new_local(Inner {
                page: page.clone(),
                form: form.clone(),
                fields: Vec::new(),
                timer: None,
            }),
            kept: RwSignal::new(Kept::Fine),
            offered: RwSignal::new(offered),
        };
        provide_context(draft);
        OPEN_FORMS.with(|f| f.borrow_mut().push(draft));
        if let Some(restoring) = restoring {
            // The fields register as the form is built: fill them once it is.
            request_animation_frame(move || draft.fill(&restoring));
        }
        on_cleanup(move || {
            OPEN_FORMS.with(|f| f.borrow_mut().retain(|d| d.id != id));
            draft.inner.try_update_value(|i| {
                if let Some(timer) = i.timer.take() {
                    timer.clear();
                }
            });
            // Saved, cancelled or left: the draft goes. Locking: it stays for after unlocking.
            if !LOCKING.with(Cell::get) {
                remove_kept(app, &page, &form);
            }
        });
        draft
    }

    /// A text field (or a choice) of the form, by its id.
    pub fn register_text(&self, id: &str, value: RwSignal<String>) {
        self.register(
            id,
            value.get_untracked(),
            Rc::new(move || value.try_get_untracked()),
            Rc::new(move |v: &str| {
                value.try_set(v.to_string());
            }),
        );
    }

    /// A checkbox of the form, by its id.
    pub fn register_check(&self, id: &str, checked: RwSignal<bool>) {
        self.register(
            id,
            checked.get_untracked().to_string(),
            Rc::new(move || checked.try_get_untracked().map(|c| c.to_string())),
            Rc::new(move |v: &str| {
                checked.try_set(v == "true");
            }),
        );
    }

    fn register(
        &self,
        id: &str,
        start: String,
        get: Rc<dyn Fn() -> Option<String>>,
        set: Rc<dyn Fn(&str)>,
    ) {
        self.inner.try_update_value(|i| {
            i.fields.retain(|f| f.id != id);
            i.fields.push(Field {
                id: id.to_string(),
                start,
                get,
                set,
            });
        });
    }

    /// A field changed: keep the draft shortly (at most one write per interval).
    pub fn changed(&self) {
        let waiting = self
            .inner
            .try_with_value(|i| i.timer.is_some())
            .unwrap_or(true);
        if waiting {
            return;
        }
        let draft = *self;
        let timer = set_timeout_with_handle(
            move || {
                draft.inner.try_update_value(|i| i.timer = None);
                draft.keep_now();
            },
            KEEP_AFTER,
        )
        .ok();
        self.inner.try_update_value(|i| i.timer = timer);
    }

    /// Keeps the draft now. None: nothing unsaved (any kept draft removed); Some(true):
    /// kept in storage; Some(false): storage refused it, kept in this tab's memory.
    fn keep_now(&self) -> Option<bool> {
        let (page, form, start, now) = self.inner.try_with_value(|i| {
            let start: Vec<(String, String)> = i
                .fields
                .iter()
                .map(|f| (f.id.clone(), f.start.clone()))
                .collect();
            let now: Vec<(String, String)> = i
                .fields
                .iter()
                .filter_map(|f| (f.get)().map(|v| (f.id.clone(), v)))
                .collect();
            (i.page.clone(), i.form.clone(), start, now)
        })?;
        if !has_changes(&start, &now) {
            remove_kept(self.app, &page, &form);
            self.kept.try_set(Kept::Fine);
            return None;
        }
        let draft = Draft {
            page,
            form,
            saved_at: chrono::Utc::now(),
            fields: now,
        };
        let app = self.app;
        let stored = app
            .with_local(|store| {
                Ok(app.session.with_untracked(|s| {
                    s.as_ref().map(|open| {
                        let (key, sealed) = open.seal_draft(&draft);
                        match store.set(&key, &sealed) {
                            Ok(()) => {
                                IN_MEMORY.with(|m| m.borrow_mut().remove(&key));
                                true
                            }
                            Err(_) => {
                                IN_MEMORY.with(|m| m.borrow_mut().insert(key, sealed));
                                false
                            }
                        }
                    })
                }))
            })
            .ok()
            .flatten()?;
        self.kept
            .try_set(if stored { Kept::Fine } else { Kept::NotStored });
        Some(stored)
    }

    /// Puts a kept draft's text back in the fields.
    fn fill(&self, draft: &Draft) {
        let setters: Vec<(String, Setter)> = self
            .inner
            .try_with_value(|i| {
                i.fields
                    .iter()
                    .map(|f| (f.id.clone(), f.set.clone()))
                    .collect()
            })
            .unwrap_or_default();
        for (id, set) in setters {
            if let Some(value) = draft.value(&id) {
                set(value);
            }
        }
        self.offered.try_set(None);
        self.changed();
    }

    /// The offer's Restore.
    pub fn restore(&self) {
        if let Some(draft) = self.offered.get_untracked() {
            self.fill(&draft);
        }
    }

    /// The offer's Discard.
    pub fn discard(&self) {
        if let Some(draft) = self.offered.get_untracked() {
            remove_kept(self.app, &draft.page, &draft.form);
        }
        self.offered.set(None);
    }
}

/// The page open now, inside the app: path and query (which hold record ids only).
pub fn current_page(app: AppState) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return "/".into();
    };
    let path = location.pathname().unwrap_or_default();
    let base = app.base.get_value();
    let path = path.strip_prefix(base.as_str()).unwrap_or(&path);
    let path = if path.is_empty() { "/" } else { path };
    format!("{path}{}", location.search().unwrap_or_default())
}

/// The drafts kept for `page`: in storage, and any held in this tab's memory (newer).
fn kept_drafts(app: AppState, page: &str) -> Vec<Draft> {
    app.with_local(|store| {
        Ok(app.session.with_untracked(|s| {
            let Some(open) = s.as_ref() else {
                return Vec::new();
            };
            let mut drafts = open.drafts_for(store, page);
            IN_MEMORY.with(|m| {
                for (key, sealed) in m.borrow().iter() {
                    if let Some(draft) = open.open_draft(key, sealed) {
                        if draft.page == page {
                            drafts.retain(|d| d.form != draft.form);
                            drafts.push(draft);
                        }
                    }
                }
            });
            drafts.sort_by_key(|d| d.saved_at);
            drafts
        }))
    })
    .unwrap_or_default()
}

fn remove_kept(app: AppState, page: &str, form: &str) {
    let _ = app.with_local(|store| {
        app.session.with_untracked(|s| {
            if let Some(open) = s.as_ref() {
                let key = open.draft_key(page, form);
                IN_MEMORY.with(|m| m.borrow_mut().remove(&key));
                if store.get(&key).ok().flatten().is_some() {
                    let _ = store.remove(&key);
                }
            }
        });
        Ok(())
    });
}

/// Before a lock: every open form's unsaved text kept now, and where it went.
pub fn keep_every_draft() -> DraftsKept {
    let forms: Vec<FormDraft> = OPEN_FORMS.with(|f| f.borrow().clone());
    let mut kept = DraftsKept::None;
    for form in forms {
        form.inner.try_update_value(|i| {
            if let Some(timer) = i.timer.take() {
                timer.clear();
            }
        });
        match form.keep_now() {
            Some(true) if kept == DraftsKept::None => kept = DraftsKept::Stored,
            Some(false) => kept = DraftsKept::InThisTabOnly,
            _ => {}
        }
    }
    if IN_MEMORY.with(|m| !m.borrow().is_empty()) {
        kept = DraftsKept::InThisTabOnly;
    }
    kept
}

/// The tab is locking (true) or has been unlocked (false).
pub fn set_locking(locking: bool) {
    LOCKING.with(|l| l.set(locking));
}

/// Ends a lock by loading the unlock page afresh, so nothing of the desk stays in this
/// tab's memory; the reason goes with it in sessionStorage (a few fixed words). Unlocking
/// then returns to `page`. False if the browser refused (the tab stays as it is, locked).
pub fn reload_to_unlock(app: AppState, reason: LockReason, kept: DraftsKept, page: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    if let Ok(Some(session)) = window.session_storage() {
        let _ = session.set_item(LOCK_FLAG, &reason.flag(kept));
    }
    let reloading = window
        .location()
        .replace(&app.href(&to_unlock(page)))
        .is_ok();
    RELOADING.with(|r| r.set(reloading));
    reloading
}

/// Whether this page is about to be replaced by a fresh unlock page: it shows no form
/// meanwhile (what was typed into it would be lost with the page).
pub fn is_reloading() -> bool {
    RELOADING.with(Cell::get)
}

/// The unlock page's path, remembering `page` (when it is a page of the app with record ids
/// only in its query) so that unlocking returns there.
pub fn to_unlock(page: &str) -> String {
    if let Some(session) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
        let _ = match crate::domain::draft::safe_return_path(page) {
            Some(page) => session.set_item(RETURN_TO, &page),
            None => session.remove_item(RETURN_TO),
        };
    }
    "/unlock".to_string()
}

/// Where unlocking returns to (read once): the page that was open when the desk locked.
pub fn take_return_path() -> Option<String> {
    let session = web_sys::window()?.session_storage().ok()??;
    let page = session.get_item(RETURN_TO).ok()??;
    let _ = session.remove_item(RETURN_TO);
    crate::domain::draft::safe_return_path(&page)
}

/// The notice for a lock that ended in a reload (read once, then forgotten).
pub fn take_lock_notice() -> Option<String> {
    let session = web_sys::window()?.session_storage().ok()??;
    let flag = session.get_item(LOCK_FLAG).ok()??;
    let _ = session.remove_item(LOCK_FLAG);
    let (reason, kept) = LockReason::from_flag(&flag)?;
    Some(reason.notice(kept))
}

/// A form's draft notes, at the top of the form (in its error summary's place): the offer
/// of text kept earlier, and a warning when storage refused to keep what is typed.
#[component]
pub fn DraftNotes() -> impl IntoView {
    let Some(draft) = FormDraft::open_form() else {
        return ().into_any();
    };
    view! {
        {move || draft.offered.get().map(|kept| view! {
            <div class="notice notice--info draft-offer" role="region" aria-label="Unsaved text">
                <p>{kept.offer()}" Restore puts it back in this form."</p>
                <div class="button-group">
                    <button type="button" class="button" on:click=move |_| draft.restore()>"Restore"</button>
                    <button type="button" class="button button--secondary" on:click=move |_| draft.discard()>"Discard"</button>
                </div>
            </div>
        })}
        <div role="status">
            {move || (draft.kept.get() == Kept::NotStored).then(|| view! {
                <p class="notice notice--error">
                    "Your unsaved text could not be kept as a draft, because the browser's storage is full. "
                    "It is still here in the form: save it now, or copy it somewhere safe. "
                    "If the desk locks, it is kept encrypted in this tab only, until the tab is closed."
                </p>
            })}
        </div>
    }
    .into_any()
}

/// On a page: the drafts kept for its forms, each offered back. Restore opens the form
/// (through `open`, given the form's name) and fills it; Discard removes the draft.
#[component]
pub fn DraftOffer(#[prop(into)] open: Callback<String>) -> impl IntoView {
    let app = use_app();
    let page = draft_page(&current_page(app));
    let drafts = RwSignal::new(kept_drafts(app, &page));
    view! {
        {move || drafts.get().into_iter().map(|kept| {
            let (restore, discard) = (kept.clone(), kept.clone());
            view! {
                <div class="notice notice--info draft-offer" role="region" aria-label="Unsaved text">
                    <p>{kept.offer()}</p>
                    <div class="button-group">
                        <button type="button" class="button" on:click=move |_| {
                            let form = restore.form.clone();
                            RESTORING.with(|r| *r.borrow_mut() = Some(restore.clone()));
                            open.run(form);
                        }>"Restore"</button>
                        <button type="button" class="button button--secondary" on:click=move |_| {
                            remove_kept(app, &discard.page, &discard.form);
                            drafts.update(|list| list.retain(|d| d.form != discard.form));
                        }>"Discard"</button>
                    </div>
                </div>
            }
        }).collect_view()}
    }
}
