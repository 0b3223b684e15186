//! Form pieces used on every screen: labelled fields with their hint and error beside them,
//! and an error summary that takes focus when a form is refused.

use super::drafts::{DraftNotes, FormDraft};
use crate::domain::dates::{format_uk, parse_date};
use crate::domain::text::characters_left;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The open form's draft, if the form keeps one (see drafts.rs).
fn form_draft() -> Option<FormDraft> {
    FormDraft::open_form()
}

#[component]
pub fn TextField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// A date: typed as 1/12/26 or 1.12.2026, it is shown back as 01/12/2026 on leaving.
    #[prop(optional)]
    date: bool,
) -> impl IntoView {
    let described_by = described_by(id.clone(), hint.is_some(), error);
    let tidy_date = move || {
        if date {
            if let Some(day) = value.with_untracked(|text| parse_date(text)) {
                value.set(format_uk(day));
            }
        }
    };
    // A secret is never kept, not even sealed.
    let draft = form_draft().filter(|_| input_type != "password");
    if let Some(draft) = draft {
        draft.register_text(&id, value);
    }
    view! {
        <div class="field" class:field--error=move || error.with(|e| e.is_some())>
            <label for=id.clone()>{label}</label>
            {field_notes(id.clone(), hint, error)}
            <input
                id=id.clone()
                name=id
                type=input_type
                autocomplete=autocomplete.unwrap_or("off")
                // Never "true": cloud spell checkers (Chrome, Edge) would send what is typed away.
                spellcheck="false"
                aria-invalid=move || error.with(|e| e.is_some()).then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    if let Some(draft) = draft {
                        draft.changed();
                    }
                }
                on:change=move |_| tidy_date()
            />
        </div>
    }
}

/// The ids a field's hint and (when shown) error have, for `aria-describedby`.
fn described_by(
    id: String,
    has_hint: bool,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{id}-hint"));
        }
        if error.with(|e| e.is_some()) {
            ids.push(format!("{id}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// A field's hint and its error (when there is one), between its label and its control.
fn field_notes(id: String, hint: Option<String>, error: Signal<Option<String>>) -> impl IntoView {
    view! {
        {hint.map(|hint| view! { <p class="hint" id=format!("{id}-hint")>{hint}</p> })}
        {move || error.get().map(|message| view! {
            <p class="field-error" id=format!("{id}-error")>
                <span class="visually-hidden">"Error: "</span>{message}
            </p>
        })}
    }
}

/// Choices for a [`SelectField`], after a first, empty-valued one ("Choose a status").
pub fn choices_after(
    placeholder: &str,
    items: impl IntoIterator<Item = (String, String)>,
) -> Vec<(String, String)> {
    std::iter::once((String::new(), placeholder.to_string()))
        .chain(items)
        .collect()
}

/// One problem in the summary: the field's id (for the link) and the message. An empty id
/// is a problem with the whole form (storage full, another tab saved): shown without a link.
pub type Problem = (String, String);

/// The list of problems at the top of a refused form; it takes focus so the user hears it.
#[component]
pub fn ErrorSummary(problems: RwSignal<Vec<Problem>>) -> impl IntoView {
    let summary: NodeRef<leptos::html::Div> = NodeRef::new();
    Effect::new(move |_| {
        if !problems.with(|p| p.is_empty()) {
            request_animation_frame(move || {
                if let Some(el) = summary.get_untracked() {
                    let _ = el.focus();
                }
            });
        }
    });
    view! {
        <DraftNotes/>
        {move || (!problems.with(|p| p.is_empty())).then(|| view! {
            <div class="error-summary" role="alert" tabindex="-1" node_ref=summary
                aria-labelledby="error-summary-title">
                <h2 id="error-summary-title">"There is a problem"</h2>
                <ul>
                    {move || problems.get().into_iter().map(|(field, message)| if field.is_empty() {
                        view! { <li>{message}</li> }.into_any()
                    } else {
                        view! {
                            <li><a href=format!("#{field}") on:click=move |ev| focus_field(ev, &field)>{message}</a></li>
                        }.into_any()
                    }).collect_view()}
                </ul>
            </div>
        })}
    }
}

/// Fragment links would change the route; move focus to the field instead.
fn focus_field(ev: leptos::ev::MouseEvent, field: &str) {
    ev.prevent_default();
    let input = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(field))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(input) = input {
        let _ = input.focus();
    }
}

/// Lets the browser paint (a "please wait" message) before slow work on the main thread.
pub fn after_paint(work: impl FnOnce() + 'static) {
    request_animation_frame(move || {
        set_timeout(work, std::time::Duration::from_millis(20));
    });
}

/// As [`after_paint`], for work that awaits (key derivation in its worker, for one).
pub fn after_paint_async(work: impl std::future::Future<Output = ()> + 'static) {
    after_paint(move || leptos::task::spawn_local(work));
}

/// A labelled drop-down list: `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    options: Vec<(String, String)>,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, optional)] hint: Option<String>,
) -> impl IntoView {
    let described_by = described_by(id.clone(), hint.is_some(), error);
    let draft = form_draft();
    if let Some(draft) = draft {
        draft.register_text(&id, value);
    }
    view! {
        <div class="field" class:field--error=move || error.with(|e| e.is_some())>
            <label for=id.clone()>{label}</label>
            {field_notes(id.clone(), hint, error)}
            <select id=id.clone() name=id autocomplete="off"
                aria-invalid=move || error.with(|e| e.is_some()).then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    if let Some(draft) = draft {
                        draft.changed();
                    }
                }>
                {options.into_iter().map(|(code, text)| {
                    let selected = code.clone();
                    view! { <option value=code selected=move || value.with(|v| *v == selected)>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A labelled box for longer text, with the characters left before `limit` (the limit
/// the save checks) shown under it as the SENCO types. Spell check stays off unless the
/// school turned it on in Settings (see `Settings::spell_check_long_text`).
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    limit: usize,
    #[prop(into, optional)] error: Signal<Option<String>>,
    #[prop(into, optional)] hint: Option<String>,
) -> impl IntoView {
    let count_id = format!("{id}-count");
    let hint_and_error = described_by(id.clone(), hint.is_some(), error);
    let described_by = {
        let count_id = count_id.clone();
        move || match hint_and_error() {
            Some(ids) => format!("{ids} {count_id}"),
            None => count_id.clone(),
        }
    };
    let spell_check = use_context::<super::state::AppState>().is_some_and(|app| {
        app.session.with_untracked(|s| {
            s.as_ref()
                .is_some_and(|o| o.desk.settings.spell_check_long_text)
        })
    });
    let left = move || value.with(|text| characters_left(text, limit));
    let over = move || value.with(|text| text.chars().count() > limit);
    // Read out once typing pauses, not at every key.
    let announced = RwSignal::new(String::new());
    let typed = StoredValue::new(0u32);
    let announce_later = move || {
        typed.update_value(|n| *n = n.wrapping_add(1));
        let now = typed.get_value();
        set_timeout(
            move || {
                if typed.try_get_value() == Some(now) {
                    announced.set(value.with_untracked(|text| characters_left(text, limit)));
                }
            },
            std::time::Duration::from_millis(1500),
        );
    };
    let draft = form_draft();
    if let Some(draft) = draft {
        draft.register_text(&id, value);
    }
    view! {
        <div class="field" class:field--error=move || error.with(|e| e.is_some())>
            <label for=id.clone()>{label}</label>
            {field_notes(id.clone(), hint, error)}
            <textarea id=id.clone() name=id rows="4" autocomplete="off"
                spellcheck=if spell_check { "true" } else { "false" }
                aria-invalid=move || error.with(|e| e.is_some()).then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    announce_later();
                    if let Some(draft) = draft {
                        draft.changed();
                    }
                }></textarea>
            <p class="hint char-count" id=count_id class:char-count--over=over>{left}</p>
            <p class="visually-hidden" aria-live="polite">{move || announced.get()}</p>
        </div>
    }
}

/// A single labelled checkbox.
#[component]
pub fn CheckField(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    checked: RwSignal<bool>,
) -> impl IntoView {
    let draft = form_draft();
    if let Some(draft) = draft {
        draft.register_check(&id, checked);
    }
    view! {
        <div class="choice">
            <input type="checkbox" id=id.clone() name=id.clone() autocomplete="off"
                prop:checked=move || checked.get()
                on:change=move |ev| {
                    checked.set(event_target_checked(&ev));
                    if let Some(draft) = draft {
                        draft.changed();
                    }
                }/>
            <label for=id.clone()>{label}</label>
        </div>
    }
}

/// A signal of the first message for `field` among the form's problems.
pub fn error_for(
    problems: RwSignal<Vec<Problem>>,
    field: impl Into<String>,
) -> Signal<Option<String>> {
    let field: String = field.into();
    Signal::derive(move || {
        problems.with(|list| {
            list.iter()
                .find(|(f, _)| *f == field)
                .map(|(_, message)| message.clone())
        })
    })
}

/// Today's date on this computer's clock.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
