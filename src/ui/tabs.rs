//! Another tab on the same desk saved something: load the newer records here at once, so
//! this tab never saves over them (the store also checks before every save).

use super::state::{use_app, Notice};
use crate::store::keys::{record_key, HEAD_RECORD, JOURNAL_KEY};
use leptos::ev;
use leptos::prelude::*;

#[component]
pub fn OtherTabs() -> impl IntoView {
    let app = use_app();
    let head = record_key(HEAD_RECORD);
    let handle = window_event_listener(ev::storage, move |event| {
        // A save ends with the head changing and the journal going; either may arrive last.
        let key = event.key();
        let relevant = key.as_deref() == Some(head.as_str()) || key.as_deref() == Some(JOURNAL_KEY);
        if !relevant || !app.is_unlocked() {
            return;
        }
        let reloaded = app.with_store(|store| {
            app.session
                .try_update(|open| match open {
                    Some(open) => open.refresh(store),
                    None => Ok(false),
                })
                .unwrap_or(Ok(false))
        });
        match reloaded {
            Ok(true) => app.notice.set(Some(Notice::info(
                "Changes saved in another tab or window have been loaded here.",
            ))),
            Ok(false) => {}
            Err(e) => app.notice.set(Some(Notice::error(e.to_string()))),
        }
    });
    on_cleanup(move || handle.remove());
}
