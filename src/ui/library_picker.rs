//! The strategy and outcome library inside a form: entries grouped by broad area of need,
//! each added to the plan or passport with one press.

use super::state::use_app;
use crate::domain::library::{EntryKind, Library, LibraryEntry};
use crate::domain::BroadArea;
use leptos::prelude::*;

#[component]
pub fn LibraryPicker(kind: EntryKind, on_pick: Callback<LibraryEntry>) -> impl IntoView {
    let app = use_app();
    let library = app
        .settings()
        .map(|s| s.library())
        .unwrap_or_else(Library::seeded);
    let noun = kind.noun();
    let areas: Vec<(BroadArea, Vec<LibraryEntry>)> = BroadArea::ALL
        .into_iter()
        .map(|area| {
            (
                area,
                library
                    .in_area(kind, area)
                    .map(|(_, e)| e.clone())
                    .collect(),
            )
        })
        .filter(|(_, entries): &(BroadArea, Vec<LibraryEntry>)| !entries.is_empty())
        .collect();
    view! {
        <details class="library-picker">
            <summary>{format!("Add {} from the library", kind.plural())}</summary>
            {if areas.is_empty() {
                view! { <p>{format!("The library has no {}. Add some on the library page, linked from Home.", kind.plural())}</p> }.into_any()
            } else {
                areas.into_iter().map(|(area, entries)| view! {
                    <h3 class="library-area">{area.to_string()}</h3>
                    <ul class="library-list">
                        {entries.into_iter().map(|entry| {
                            let label = format!("Add {noun}: {}", entry.text);
                            let text = entry.text.clone();
                            view! {
                                <li>
                                    <button type="button" class="button button--link" aria-label=label
                                        on:click=move |_| on_pick.run(entry.clone())>{text}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }).collect_view().into_any()
            }}
        </details>
    }
}
