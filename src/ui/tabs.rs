//! Other tabs on the same desk. Another tab saved something: load the newer records here at
//! once (the database also refuses, inside its transaction, a save built on older records).
//! Another tab was locked by hand: lock this one too.

use super::crash_lock;
use super::state::{use_app, Notice};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{BroadcastChannel, MessageEvent};

/// Every tab of this origin shares the desk (localStorage is per origin), so the channel is
/// named for the app, not for the folder it is served from.
pub const LOCK_CHANNEL: &str = "senco-desk/lock";
pub const LOCK_MESSAGE: &str = "lock";
/// Sent after a commit completes: the other tabs read the database again.
pub const SAVED_MESSAGE: &str = "saved";

/// Lock in one tab locks every tab of the desk, through a BroadcastChannel. A browser without
/// one (every current browser has it) locks only the tab where Lock was pressed; the others
/// still lock on their own auto-lock time.
pub struct LockChannel(Option<BroadcastChannel>);

impl LockChannel {
    pub fn open() -> LockChannel {
        LockChannel(BroadcastChannel::new(LOCK_CHANNEL).ok())
    }

    /// Tells the other tabs to lock (a channel never hears its own messages).
    pub fn announce(&self) {
        if let Some(channel) = &self.0 {
            let _ = channel.post_message(&JsValue::from_str(LOCK_MESSAGE));
        }
    }

    /// Tells the other tabs that a save reached the database.
    pub fn announce_saved(&self) {
        if let Some(channel) = &self.0 {
            let _ = channel.post_message(&JsValue::from_str(SAVED_MESSAGE));
        }
    }
}

#[component]
pub fn OtherTabs() -> impl IntoView {
    let app = use_app();
    let on_lock = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        // Only this app's own message counts; anything else on the channel is ignored. After a
        // crash, the lock armed by the panic hook hears it instead.
        let message = event.data().as_string();
        if message.as_deref() == Some(SAVED_MESSAGE) && !crash_lock::has_crashed() {
            leptos::task::spawn_local_scoped(async move {
                match app.reload_from_database().await {
                    Ok(true) => app.notice.set(Some(Notice::info(
                        "Changes saved in another tab or window have been loaded here.",
                    ))),
                    Ok(false) => {}
                    // Another tab rotated the data key: this tab's key opens nothing now.
                    Err(crate::store::DeskStoreError::KeysChangedElsewhere) => {
                        app.lock(crate::domain::draft::LockReason::OtherTab)
                    }
                    Err(e) => app.notice.set(Some(Notice::error(e.to_string()))),
                }
            });
            return;
        }
        let lock = message.as_deref() == Some(LOCK_MESSAGE);
        if lock && !crash_lock::has_crashed() && app.is_unlocked() {
            app.lock(crate::domain::draft::LockReason::OtherTab);
        }
    });
    app.lock_channel.with_value(|channel| {
        if let Some(channel) = &channel.0 {
            channel.set_onmessage(Some(on_lock.as_ref().unchecked_ref()));
        }
    });
    // Like the app it belongs to, the listener lasts as long as the page.
    on_lock.forget();
}
