//! Locks the desk after a spell without use, so an unattended laptop shows nothing.
//!
//! Use is any key press, click, touch, wheel, typing (including dictation and pasting),
//! scrolling or a change of focus. A minute before it locks, a warning with "Stay unlocked"
//! appears (read out by screen readers, without taking focus). Whatever is being typed is
//! kept as an encrypted draft when it locks (see drafts.rs).
//!
//! Each tab keeps its own idle time and locks only itself: a tab left in the background
//! must not lock the one the SENCO is typing in. A laptop left alone still locks every tab,
//! each within the auto-lock time of its own last use. (The Lock button locks every tab.)

use super::crash_lock;
use super::drafts;
use super::state::use_app;
use crate::domain::draft::{lock_warning, warn_before_ms, LockReason};
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// How often the idle time is checked.
const CHECK_EVERY: Duration = Duration::from_secs(5);

/// Events that count as use. Scrolling does not bubble: it is heard while capturing.
const USE_EVENTS: [&str; 6] = [
    "keydown",
    "pointerdown",
    "wheel",
    "input",
    "focusin",
    "touchstart",
];

#[component]
pub fn AutoLock() -> impl IntoView {
    let app = use_app();
    let minutes = Memo::new(move |_| {
        app.session
            .with(|s| s.as_ref().map(|o| o.desk.settings.auto_lock_minutes))
    });
    let warning = RwSignal::new(false);
    // Where focus was when the warning appeared, to return it after "Stay unlocked".
    let focus_before = StoredValue::new_local(None::<web_sys::HtmlElement>);
    // A crash still locks after this time (or at once when locked): see crash_lock.
    Effect::new(move |_| crash_lock::remember_auto_lock(minutes.get()));
    let touch = move || app.last_activity.set_value(js_sys::Date::now());
    let handles = USE_EVENTS.map(|event| window_event_listener_untyped(event, move |_| touch()));
    let on_scroll = Closure::<dyn Fn()>::new(touch);
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        let _ = document.add_event_listener_with_callback_and_bool(
            "scroll",
            on_scroll.as_ref().unchecked_ref(),
            true,
        );
    }
    // Like the app, the listener lasts as long as the page.
    on_scroll.forget();
    // A closed lid or a hidden tab: keep what is being typed now, not a moment later.
    let hidden = window_event_listener_untyped("visibilitychange", move |_| {
        let hidden = web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.hidden());
        if hidden && app.is_unlocked() {
            drafts::keep_every_draft();
        }
    });
    let timer = set_interval_with_handle(
        move || {
            if crash_lock::has_crashed() {
                return;
            }
            let Some(minutes) = minutes.get_untracked() else {
                warning.set(false);
                return;
            };
            let idle_ms = js_sys::Date::now() - app.last_activity.get_value();
            let lock_ms = f64::from(minutes) * 60_000.0;
            if idle_ms >= lock_ms {
                warning.set(false);
                app.lock(LockReason::Idle(minutes));
            } else if idle_ms >= lock_ms - warn_before_ms(minutes) {
                if !warning.get_untracked() {
                    focus_before.set_value(active_element());
                    warning.set(true);
                }
            } else if warning.get_untracked() && !focus_in_warning() {
                // Used again: the warning goes (unless it is being reached by keyboard).
                warning.set(false);
            }
        },
        CHECK_EVERY,
    )
    .ok();
    on_cleanup(move || {
        for handle in handles {
            handle.remove();
        }
        hidden.remove();
        if let Some(timer) = timer {
            timer.clear();
        }
    });
    let stay = move |_| {
        touch();
        warning.set(false);
        if let Some(element) = focus_before.get_value() {
            let _ = element.focus();
        }
    };
    view! {
        <Show when=move || warning.get() && minutes.get().is_some()>
            <aside class="idle-warning" aria-label="Auto-lock">
                <p role="alert">{move || minutes.get().map(lock_warning)}</p>
                <button type="button" class="button" on:click=stay>"Stay unlocked"</button>
            </aside>
        </Show>
    }
}

fn active_element() -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .active_element()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()
}

fn focus_in_warning() -> bool {
    active_element().is_some_and(|e| e.closest(".idle-warning").ok().flatten().is_some())
}
