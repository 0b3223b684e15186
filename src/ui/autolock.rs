//! Locks the desk after a spell without use, so an unattended laptop shows nothing.
//!
//! Each tab keeps its own idle time and locks only itself: a tab left in the background
//! must not lock the one the SENCO is typing in. A laptop left alone still locks every tab,
//! each within the auto-lock time of its own last use. (The Lock button locks every tab.)

use super::crash_lock;
use super::state::use_app;
use leptos::prelude::*;
use std::time::Duration;

/// How often the idle time is checked.
const CHECK_EVERY: Duration = Duration::from_secs(5);

#[component]
pub fn AutoLock() -> impl IntoView {
    let app = use_app();
    let minutes = Memo::new(move |_| {
        app.session
            .with(|s| s.as_ref().map(|o| o.desk.settings.auto_lock_minutes))
    });
    // A crash still locks after this time (or at once when locked): see crash_lock.
    Effect::new(move |_| crash_lock::remember_auto_lock(minutes.get()));
    let touch = move || app.last_activity.set_value(js_sys::Date::now());
    let handles = ["keydown", "pointerdown", "wheel"]
        .map(|event| window_event_listener_untyped(event, move |_| touch()));
    let timer = set_interval_with_handle(
        move || {
            if crash_lock::has_crashed() {
                return;
            }
            let Some(minutes) = minutes.get_untracked() else {
                return;
            };
            let idle_ms = js_sys::Date::now() - app.last_activity.get_value();
            if idle_ms >= f64::from(minutes) * 60_000.0 {
                app.lock(Some(&format!(
                    "Senco Desk locked itself after {minutes} minute{} without use. Your records are safe.",
                    if minutes == 1 { "" } else { "s" }
                )));
            }
        },
        CHECK_EVERY,
    )
    .ok();
    on_cleanup(move || {
        for handle in handles {
            handle.remove();
        }
        if let Some(timer) = timer {
            timer.clear();
        }
    });
}
