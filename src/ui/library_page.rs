//! The school's strategy and outcome library (`/library`): see it by broad area of need,
//! add, edit and remove entries.

use super::form::{choices_after, error_for, ErrorSummary, Problem, SelectField, TextArea};
use super::shell::{set_title, Unlocked};
use super::state::{use_app, AppState, Notice};
use crate::domain::library::{EntryKind, Library, LibraryEntry};
use crate::domain::BroadArea;
use leptos::prelude::*;

#[component]
pub fn LibraryPage() -> impl IntoView {
    view! { <Unlocked><LibraryScreen/></Unlocked> }
}

fn library_of(app: AppState) -> Library {
    app.settings()
        .map(|s| s.library())
        .unwrap_or_else(Library::seeded)
}

fn save_library(app: AppState, library: Library, then: impl FnOnce(Result<(), String>) + 'static) {
    let Some(mut settings) = app.settings() else {
        return then(Err("The desk is locked.".into()));
    };
    settings.library = Some(library);
    leptos::task::spawn_local(async move {
        let saved = app
            .save(move |open, store| open.save_settings(store, settings))
            .await;
        then(saved.map_err(|e| e.to_string()));
    });
}

fn kind_code(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Strategy => "strategy",
        EntryKind::Outcome => "outcome",
    }
}

#[component]
fn LibraryScreen() -> impl IntoView {
    let app = use_app();
    set_title("Strategy and outcome library");
    // Which entry the form edits: None adds a new one.
    let editing = RwSignal::new(None::<usize>);
    // The entry as it was when "Edit" was pressed: if another tab changed the library
    // since, the index may point elsewhere, and the save is refused rather than misplaced.
    let editing_entry = StoredValue::new(None::<LibraryEntry>);
    let kind = RwSignal::new("strategy".to_string());
    let area = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let criteria = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let library = move || {
        app.session.track();
        library_of(app)
    };
    let clear = move || {
        editing.set(None);
        text.set(String::new());
        criteria.set(String::new());
        problems.set(Vec::new());
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(chosen_area) = BroadArea::from_code(&area.get_untracked()) else {
            problems.set(vec![(
                "library-area".into(),
                "Choose the broad area of need.".into(),
            )]);
            return;
        };
        let entry_kind = if kind.get_untracked() == "outcome" {
            EntryKind::Outcome
        } else {
            EntryKind::Strategy
        };
        let entry = LibraryEntry {
            kind: entry_kind,
            area: chosen_area,
            text: text.get_untracked(),
            success_criteria: if entry_kind == EntryKind::Outcome {
                criteria.get_untracked()
            } else {
                String::new()
            },
        };
        let current = library_of(app);
        if let Some(index) = editing.get_untracked() {
            if current.entries.get(index) != editing_entry.get_value().as_ref() {
                problems.set(vec![(String::new(), "The library was changed in another tab: this entry is not where it was. Press Cancel and choose it again.".into())]);
                return;
            }
        }
        let next = match current.with_entry(editing.get_untracked(), entry) {
            Ok(next) => next,
            Err(message) => {
                problems.set(vec![("library-text".into(), message)]);
                return;
            }
        };
        let added = editing.get_untracked().is_none();
        save_library(app, next, move |saved| match saved {
            Ok(()) => {
                app.notice.set(Some(Notice::info(if added {
                    "Added to the library."
                } else {
                    "The library entry is saved."
                })));
                clear();
            }
            Err(message) => problems.set(vec![(String::new(), message)]),
        })
    };
    let edit = move |index: usize, entry: LibraryEntry| {
        editing.set(Some(index));
        editing_entry.set_value(Some(entry.clone()));
        kind.set(kind_code(entry.kind).into());
        area.set(entry.area.code().into());
        text.set(entry.text);
        criteria.set(entry.success_criteria);
        problems.set(Vec::new());
        super::plan_page::plan_form::focus_later("library-text".into());
    };
    let remove_entry = move |index: usize, entry: LibraryEntry, current: Library| {
        save_library(
            app,
            current.without_entry(index),
            move |saved| match saved {
                Ok(()) => {
                    app.notice.set(Some(Notice::info(format!(
                        "Removed from the library: {}",
                        entry.text
                    ))));
                    if editing.get_untracked().is_some() {
                        clear();
                    }
                }
                Err(message) => app.notice.set(Some(Notice::error(message))),
            },
        )
    };
    let remove = move |index: usize, entry: LibraryEntry| {
        let current = library_of(app);
        if current.entries.get(index) != Some(&entry) {
            app.notice.set(Some(Notice::error(
                "The library was changed in another tab, so nothing was removed. Check the list and try again.",
            )));
            return;
        }
        remove_entry(index, entry, current)
    };
    view! {
        <h1 tabindex="-1">"Strategy and outcome library"</h1>
        <p class="lead">"The strategies and outcomes offered when writing a support plan or a pupil passport, grouped by broad area of need. Senco Desk starts you with examples: change them to suit your school."</p>
        <section aria-labelledby="library-form-title" class="card">
            <h2 id="library-form-title">{move || if editing.get().is_some() { "Edit the entry" } else { "Add to the library" }}</h2>
            <ErrorSummary problems=problems/>
            <form on:submit=submit novalidate>
                <SelectField id="library-kind" label="Strategy or outcome" value=kind
                    options=vec![("strategy".into(), "Strategy".into()), ("outcome".into(), "Outcome".into())]/>
                <SelectField id="library-area" label="Broad area of need" value=area
                    options=choices_after("Choose an area", BroadArea::ALL.into_iter().map(|a| (a.code().to_string(), a.to_string())))
                    error=error_for(problems, "library-area")/>
                <TextArea limit=crate::domain::library::MAX_LIBRARY_TEXT id="library-text" label="Wording" value=text error=error_for(problems, "library-text")/>
                <Show when=move || kind.get() == "outcome">
                    <TextArea limit=crate::domain::library::MAX_LIBRARY_TEXT id="library-criteria" label="Success criteria" value=criteria/>
                </Show>
                <div class="button-group">
                    <button type="submit" class="button">{move || if editing.get().is_some() { "Save entry" } else { "Add to the library" }}</button>
                    <Show when=move || editing.get().is_some()>
                        <button type="button" class="button button--secondary" on:click=move |_| clear()>"Cancel"</button>
                    </Show>
                </div>
            </form>
        </section>
        {move || {
            let library = library();
            BroadArea::ALL.into_iter().map(|a| {
                let groups = [EntryKind::Strategy, EntryKind::Outcome].map(|k| {
                    (k, library.in_area(k, a).map(|(i, e)| (i, e.clone())).collect::<Vec<_>>())
                });
                view! {
                    <h2>{a.to_string()}</h2>
                    {groups.into_iter().map(|(k, entries)| view! {
                        <h3>{if k == EntryKind::Strategy { "Strategies" } else { "Outcomes" }}</h3>
                        {if entries.is_empty() {
                            view! { <p>"None yet."</p> }.into_any()
                        } else {
                            view! {
                                <ul class="library-entries">
                                    {entries.into_iter().map(|(index, entry)| {
                                        let for_edit = entry.clone();
                                        let for_remove = entry.clone();
                                        view! {
                                            <li>
                                                <span>{entry.text.clone()}</span>
                                                {(!entry.success_criteria.is_empty()).then(|| view! {
                                                    <span class="hint">{format!(" Success criteria: {}", entry.success_criteria)}</span>
                                                })}
                                                " "
                                                <button type="button" class="button button--link" aria-label=format!("Edit: {}", entry.text)
                                                    on:click=move |_| edit(index, for_edit.clone())>"Edit"</button>
                                                " "
                                                <button type="button" class="button button--link button--danger" aria-label=format!("Remove: {}", entry.text)
                                                    on:click=move |_| remove(index, for_remove.clone())>"Remove"</button>
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    }).collect_view()}
                }
            }).collect_view()
        }}
    }
}
