//! Tamper evidence on screen: what unlocking found that Senco Desk did not save (a pupil's
//! file missing, an older copy, a record changed or added, an older desk), the two ways on
//! (restore from a backup, or accept the loss), and the losses accepted before. Only inside
//! the unlocked app: the findings name pupils.

use super::state::{use_app, Notice};
use crate::domain::dates::format_uk;
use crate::store::{KeyValueStore, OpenDesk};
use leptos::prelude::*;

/// After unlock: checks the desk against this browser's generation marker, and writes it
/// when it is missing or behind. A marker that cannot be written (storage full) is not
/// worth failing the unlock for: the next save tries again.
pub fn check_and_keep_marker(open: &mut OpenDesk, store: &mut impl KeyValueStore) {
    let (key, _) = open.generation_marker();
    let marker = store.get(&key).ok().flatten();
    if open.check_generation_marker(marker.as_deref()) {
        keep_marker(open, store);
    }
}

/// After a save: the marker follows the desk's generation.
pub fn keep_marker(open: &OpenDesk, store: &mut impl KeyValueStore) {
    let (key, value) = open.generation_marker();
    let _ = store.set(&key, &value);
}

/// Each finding as (who, what), for the lists below.
fn findings() -> Vec<(String, String)> {
    use_app().session.with(|s| {
        s.as_ref()
            .map(|open| open.integrity.iter().map(|f| (f.who(), f.what())).collect())
            .unwrap_or_default()
    })
}

/// The panel on Home: what was found, why it matters, and the two choices.
#[component]
pub fn IntegrityPanel() -> impl IntoView {
    let app = use_app();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let unlocked_with = move || {
        app.session.with(|s| {
            s.as_ref()
                .map(|o| o.unlocked_with().to_string())
                .unwrap_or_default()
        })
    };
    let ask = move |_| {
        confirming.set(true);
        request_animation_frame(|| focus("integrity-confirm-title"));
    };
    let cancel = move |_| {
        confirming.set(false);
        request_animation_frame(|| focus("integrity-accept"));
    };
    let accept = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let now = chrono::Utc::now();
        let by = unlocked_with();
        leptos::task::spawn_local_scoped(async move {
            match app
                .save(move |open, store| open.accept_the_loss(store, now))
                .await
            {
                Ok(()) => {
                    confirming.set(false);
                    app.notice.set(Some(Notice::info(format!(
                        "The loss was accepted and recorded in the change history on {} by {by}. \
                     The desk can be saved again.",
                        format_uk(super::form::today())
                    ))));
                    request_animation_frame(super::shell::focus_heading);
                }
                Err(e) => app.notice.set(Some(Notice::error(e.to_string()))),
            }
            busy.set(false);
        });
    };
    view! {
        {move || {
            let found = findings();
            (!found.is_empty()).then(|| view! {
                <section class="notice notice--error integrity" id="integrity" aria-labelledby="integrity-title">
                    <h2 id="integrity-title" tabindex="-1">"Signs of tampering or damage"</h2>
                    <p>"When the desk was unlocked, some of what is stored in this browser was not as Senco Desk last saved it. Someone may have changed the browser's storage (tampering), or the storage may be damaged. Everything else opened normally."</p>
                    <ul data-testid="integrity-findings">
                        {found.into_iter().map(|(who, what)| view! {
                            <li><strong>{who}</strong>": "{what}</li>
                        }).collect_view()}
                    </ul>
                    <p><strong>"Nothing can be saved until you choose what to do."</strong></p>
                    <h3>"Restore from a backup"</h3>
                    <p>"If you have a backup file made before this happened, merge it to bring back the missing or older records, or restore it to replace the desk. What it brings back is cleared from this list."</p>
                    <p><a href=app.href("/backups")>"Go to Backups to merge or restore a backup"</a></p>
                    <h3>"Accept the loss"</h3>
                    <p>"Carry on with the desk as it is now. Each item above is recorded in the change history (the pupil's own, or the desk's list of losses in Settings) with today's date and who accepted it."</p>
                    <Show when=move || !confirming.get()>
                        <p><button type="button" id="integrity-accept" class="button button--secondary" on:click=ask>
                            "Accept the loss"
                        </button></p>
                    </Show>
                    <Show when=move || confirming.get()>
                        <div class="confirm" role="group" aria-labelledby="integrity-confirm-title">
                            <p id="integrity-confirm-title" tabindex="-1"><strong>
                                {move || format!("Accept the loss as {}? What is missing or older stays so, unless a backup brings it back later.", unlocked_with())}
                            </strong></p>
                            <p>
                                <button type="button" class="button button--danger" on:click=accept
                                    disabled=move || busy.get()>"Yes, accept the loss"</button>" "
                                <button type="button" class="button button--secondary" on:click=cancel>"Cancel"</button>
                            </p>
                        </div>
                    </Show>
                </section>
            })
        }}
    }
}

/// On every other page while findings are open: says so, and leads to the panel on Home.
#[component]
pub fn IntegrityReminder() -> impl IntoView {
    let app = use_app();
    let location = leptos_router::hooks::use_location();
    let at_home = move || {
        let here = location.pathname.get();
        here.trim_end_matches('/') == app.href("/").trim_end_matches('/')
    };
    let open = move || {
        app.session
            .with(|s| s.as_ref().is_some_and(|o| !o.integrity.is_empty()))
    };
    view! {
        <Show when=move || open() && !at_home()>
            <section class="notice notice--error" aria-labelledby="integrity-reminder-title">
                <p><strong id="integrity-reminder-title">"Signs of tampering or damage were found at unlock"</strong></p>
                <p>"Nothing can be saved until you choose what to do. "
                    <a href=app.href("/")>"See what was found, and choose, on the home page"</a></p>
            </section>
        </Show>
    }
}

/// In Settings: losses accepted that were about no pupil file still on the desk.
#[component]
pub fn AcceptedLosses() -> impl IntoView {
    let app = use_app();
    let losses = move || {
        app.session.with(|s| {
            s.as_ref()
                .map(|open| open.accepted_losses().to_vec())
                .unwrap_or_default()
        })
    };
    view! {
        {move || {
            let losses = losses();
            (!losses.is_empty()).then(|| view! {
                <section aria-labelledby="accepted-losses-title">
                    <h2 id="accepted-losses-title">"Losses accepted after tampering or damage"</h2>
                    <p>"What unlocking found and was accepted, when no pupil's own file could hold it. Losses about a pupil whose file opens are in that pupil's change history."</p>
                    <ul data-testid="accepted-losses">
                        {losses.into_iter().rev().map(|loss| view! {
                            <li>
                                {format!("{}, accepted by {}:", super::clock::date_and_time(loss.at), loss.by)}
                                <ul>{loss.what.into_iter().map(|what| view! { <li>{what}</li> }).collect_view()}</ul>
                            </li>
                        }).collect_view()}
                    </ul>
                </section>
            })
        }}
    }
}

fn focus(id: &str) {
    if let Some(element) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        use wasm_bindgen::JsCast;
        if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    }
}
