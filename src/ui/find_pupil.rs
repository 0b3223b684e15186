//! "Find a pupil" in the header of every unlocked page: a combobox (name or UPN), the
//! arrow keys move through the matches, Enter opens the pupil, Escape closes the list.
//! "/" anywhere outside a field jumps to it.

use super::form::today;
use super::state::use_app;
use crate::domain::register::Register;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use wasm_bindgen::JsCast;

/// Matches listed at once: enough to pick from, short enough to read out.
const MOST_SHOWN: usize = 8;

#[derive(Clone, PartialEq)]
struct Found {
    id: String,
    label: String,
}

#[component]
pub fn FindPupil() -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let query = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let input: NodeRef<leptos::html::Input> = NodeRef::new();
    // Built only once something is typed, and again after a change to the desk.
    let register = Memo::new(move |_| {
        app.session.with(|s| {
            s.as_ref()
                .map(|o| Register::build(&o.desk, today()))
                .unwrap_or_default()
        })
    });
    let found = Memo::new(move |_| {
        let q = query.get();
        if q.trim().is_empty() {
            return Vec::new();
        }
        register.with(|r| {
            r.find(&q, MOST_SHOWN)
                .into_iter()
                .map(|row| Found {
                    id: row.id.to_string(),
                    label: format!(
                        "{}, {}{}{}",
                        row.name,
                        row.year,
                        if row.class_name.is_empty() {
                            String::new()
                        } else {
                            format!(", class {}", row.class_name)
                        },
                        if row.archived { " (left)" } else { "" }
                    ),
                })
                .collect()
        })
    });
    let showing = move || open.get() && !query.with(|q| q.trim().is_empty());

    let location = use_location();
    let go = {
        let navigate = navigate.clone();
        move |id: String| {
            query.set(String::new());
            open.set(false);
            active.set(None);
            let target = app.href(&format!("/pupil?id={id}"));
            let here = location.pathname.get_untracked();
            if here.trim_end_matches('/') == app.href("/pupil") {
                // Another pupil from a pupil's page: the page does not redraw for a change
                // of query alone, so pass through the list (in place of this page in the
                // history) to open the pupil afresh.
                navigate(
                    &app.href("/pupils"),
                    leptos_router::NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
                let navigate = navigate.clone();
                request_animation_frame(move || navigate(&target, Default::default()));
            } else {
                navigate(&target, Default::default());
            }
        }
    };
    let keydown = {
        let go = go.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            let count = found.with(Vec::len);
            match ev.key().as_str() {
                "ArrowDown" => {
                    ev.prevent_default();
                    open.set(true);
                    if count > 0 {
                        active.set(Some(active.get_untracked().map_or(0, |i| (i + 1) % count)));
                    }
                }
                "ArrowUp" => {
                    ev.prevent_default();
                    open.set(true);
                    if count > 0 {
                        active.set(Some(
                            active
                                .get_untracked()
                                .map_or(count - 1, |i| (i + count - 1) % count),
                        ));
                    }
                }
                "Enter" => {
                    // The highlighted match, or the first.
                    let pick = found.with_untracked(|f| {
                        f.get(active.get_untracked().unwrap_or(0))
                            .map(|p| p.id.clone())
                    });
                    if let Some(id) = pick {
                        ev.prevent_default();
                        go(id);
                    }
                }
                "Escape" => {
                    if showing() {
                        open.set(false);
                        active.set(None);
                    } else {
                        query.set(String::new());
                    }
                }
                _ => {}
            }
        }
    };

    // "/" outside a field: jump to the box.
    let shortcut = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            .is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || el.is_content_editable()
            });
        if !typing {
            if let Some(input) = input.get_untracked() {
                ev.prevent_default();
                let _ = input.focus();
            }
        }
    });
    on_cleanup(move || shortcut.remove());

    let option_id = |i: usize| format!("find-pupil-option-{i}");
    view! {
        <div class="finder">
            <label for="find-pupil">"Find a pupil"</label>
            <input id="find-pupil" node_ref=input type="text" role="combobox"
                autocomplete="off" spellcheck="false" aria-autocomplete="list"
                aria-controls="find-pupil-list" aria-describedby="find-pupil-hint"
                aria-expanded=move || if showing() { "true" } else { "false" }
                aria-activedescendant=move || showing().then(|| active.get().map(option_id)).flatten()
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    open.set(true);
                    active.set(None);
                }
                on:keydown=keydown
                on:blur=move |_| {
                    // After a click on a match has been handled, and only if the focus
                    // has not come straight back (a page taking it for its heading).
                    set_timeout(
                        move || {
                            let active = web_sys::window()
                                .and_then(|w| w.document())
                                .and_then(|d| d.active_element())
                                .is_some_and(|el| el.id() == "find-pupil");
                            if !active {
                                open.set(false);
                            }
                        },
                        std::time::Duration::from_millis(200),
                    );
                }/>
            <span id="find-pupil-hint" class="visually-hidden">
                "Name or UPN. Arrow keys move through the matches, Enter opens the pupil, Escape closes the list. Press / to come here from anywhere."
            </span>
            <ul id="find-pupil-list" class="finder__list" role="listbox" aria-label="Pupils found"
                hidden=move || !showing()>
                {move || {
                    let go = go.clone();
                    found.get().into_iter().enumerate().map(|(i, pupil)| {
                        let go = go.clone();
                        let id = pupil.id.clone();
                        let selected = move || active.get() == Some(i);
                        view! {
                            <li id=option_id(i) role="option" class="finder__option"
                                class:finder__option--active=selected
                                aria-selected=move || if selected() { "true" } else { "false" }
                                on:mousedown=|ev| ev.prevent_default()
                                on:click=move |_| go(id.clone())>
                                {pupil.label}
                            </li>
                        }
                    }).collect_view()
                }}
                {move || (showing() && found.with(Vec::is_empty)).then(|| view! {
                    <li class="finder__none" role="option" aria-disabled="true" aria-selected="false">"No pupil matches"</li>
                })}
            </ul>
            <span class="visually-hidden" aria-live="polite">
                {move || showing().then(|| match found.with(Vec::len) {
                    0 => "No pupil matches.".to_string(),
                    1 => "1 pupil found.".to_string(),
                    n => format!("{n} pupils found."),
                })}
            </span>
        </div>
    }
}
