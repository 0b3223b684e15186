//! Pupils: the list in register order, and adding, editing and deleting a pupil.

use super::form::{ErrorSummary, Problem, TextField};
use super::shell::{set_title, Unlocked};
use super::state::{use_app, Notice};
use crate::domain::dates::format_uk;
use crate::domain::pupil::PupilField;
use crate::domain::text::thousands;
use crate::domain::{PupilDraft, PupilId, YearGroup};
use crate::store::OpenDesk;
use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    List,
    Add,
    /// Editing a pupil, from this revision of their file.
    Edit(PupilId, u64),
    ConfirmDelete(PupilId),
}

#[component]
pub fn Pupils() -> impl IntoView {
    view! { <Unlocked><PupilsPage/></Unlocked> }
}

#[component]
fn PupilsPage() -> impl IntoView {
    set_title("Pupils");
    let mode = RwSignal::new(Mode::List);
    // Kept here so the search and page survive opening and closing a form.
    let query = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let app = use_app();
    // Each step (list, form, confirmation) is a new view: take focus to its heading.
    Effect::new(move |first: Option<()>| {
        let opening_form = mode.with(|m| *m != Mode::List);
        if first.is_some() {
            if opening_form {
                app.notice.set(None);
            }
            request_animation_frame(super::shell::focus_heading);
        }
    });
    view! {
        {move || match mode.get() {
            Mode::List => view! { <PupilList mode=mode query=query page=page/> }.into_any(),
            Mode::Add => view! { <PupilForm mode=mode editing=None/> }.into_any(),
            Mode::Edit(id, revision) => {
                view! { <PupilForm mode=mode editing=Some((id, revision))/> }.into_any()
            }
            Mode::ConfirmDelete(id) => view! { <ConfirmDelete mode=mode id=id/> }.into_any(),
        }}
    }
}

fn field_id(field: PupilField) -> &'static str {
    match field {
        PupilField::Forename => "forename",
        PupilField::Surname => "surname",
        PupilField::DateOfBirth => "date-of-birth",
        PupilField::YearGroup => "year-group",
        PupilField::Upn => "upn",
    }
}

/// Rows per page: a whole school of 2,000 in one table is slow to draw and to read.
const PAGE_SIZE: usize = 50;

#[component]
fn PupilList(
    mode: RwSignal<Mode>,
    query: RwSignal<String>,
    page: RwSignal<usize>,
) -> impl IntoView {
    let app = use_app();
    let listing = Memo::new(move |_| {
        let query = query.get();
        let wanted = page.get();
        app.session.with(|s| {
            let Some(open) = s.as_ref() else {
                return (Vec::new(), 0, 0, 1);
            };
            let found = open.desk.find_pupils(&query);
            let pages = found.len().div_ceil(PAGE_SIZE).max(1);
            let page = wanted.min(pages - 1);
            let rows = found
                .iter()
                .skip(page * PAGE_SIZE)
                .take(PAGE_SIZE)
                .map(|p| {
                    let revision = open.desk.file(&p.id).map_or(0, |f| f.revision);
                    ((*p).clone(), revision)
                })
                .collect::<Vec<_>>();
            (rows, found.len(), page, pages)
        })
    });
    let on_roll = move || {
        app.session
            .with(|s| s.as_ref().map_or(0, |o| o.desk.pupil_count()))
    };
    let summary = move || {
        let (shown, total, page) =
            listing.with(|(rows, total, page, _)| (rows.len(), *total, *page));
        match (total, on_roll()) {
            (_, 0) => "No pupils yet. Add the first one with the button above.".to_string(),
            (0, _) => "No pupils match your search.".to_string(),
            (total, _) => format!(
                "Showing {} to {} of {} pupil{}",
                thousands(page * PAGE_SIZE + 1),
                thousands(page * PAGE_SIZE + shown),
                thousands(total),
                if total == 1 { "" } else { "s" }
            ),
        }
    };
    let turn =
        move |by: isize| {
            page.set(listing.with_untracked(|(_, _, page, pages)| {
                page.saturating_add_signed(by).min(pages - 1)
            }));
        };
    view! {
        <h1 tabindex="-1">"Pupils"</h1>
        <p>
            <button type="button" class="button" on:click=move |_| mode.set(Mode::Add)>
                "Add a pupil"
            </button>
        </p>
        <div class="field" role="search">
            <label for="pupil-search">"Find a pupil"</label>
            <p class="hint" id="pupil-search-hint">"Part of a name or a UPN."</p>
            <input id="pupil-search" type="search" autocomplete="off" spellcheck="false"
                aria-describedby="pupil-search-hint"
                prop:value=move || query.get()
                on:input=move |ev| {
                    query.set(event_target_value(&ev));
                    page.set(0);
                }/>
        </div>
        <p role="status" aria-live="polite">{summary}</p>
        {move || listing.with(|(rows, ..)| !rows.is_empty()).then(|| view! {
            <table class="table">
                <caption class="visually-hidden">"Pupils, sorted by surname"</caption>
                <thead>
                    <tr>
                        <th scope="col" aria-sort="ascending">"Name"</th>
                        <th scope="col">"Date of birth"</th>
                        <th scope="col">"Year group"</th>
                        <th scope="col">"UPN"</th>
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>
                    // A page is at most 50 rows, so redrawing it whole is quick and keeps
                    // the download smaller than a keyed list would.
                    {move || listing.with(|(rows, ..)| rows.iter().map(|(pupil, revision)| {
                        let revision = *revision;
                        let name = pupil.sort_name();
                        let full = pupil.full_name();
                        let (edit_id, delete_id) = (pupil.id.clone(), pupil.id.clone());
                        view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td>{format_uk(pupil.date_of_birth)}</td>
                                <td>{pupil.year_group.to_string()}</td>
                                <td>{pupil.upn.as_ref().map(|u| u.to_string()).unwrap_or_default()}</td>
                                <td class="row-actions">
                                    <button type="button" class="button button--link"
                                        on:click=move |_| mode.set(Mode::Edit(edit_id.clone(), revision))>
                                        "Edit" <span class="visually-hidden">{format!(" {full}")}</span>
                                    </button>
                                    <button type="button" class="button button--link button--danger"
                                        on:click=move |_| mode.set(Mode::ConfirmDelete(delete_id.clone()))>
                                        "Delete" <span class="visually-hidden">{format!(" {}", pupil.full_name())}</span>
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view())}
                </tbody>
            </table>
        })}
        {move || listing.with(|(_, _, _, pages)| *pages > 1).then(|| view! {
            <nav class="pager" aria-label="Pages of pupils">
                <button type="button" class="button button--secondary"
                    disabled=move || listing.with(|(_, _, page, _)| *page == 0)
                    on:click=move |_| turn(-1)>"Previous page"</button>
                <span>{move || listing.with(|(_, _, page, pages)| format!("Page {} of {}", page + 1, pages))}</span>
                <button type="button" class="button button--secondary"
                    disabled=move || listing.with(|(_, _, page, pages)| page + 1 >= *pages)
                    on:click=move |_| turn(1)>"Next page"</button>
            </nav>
        })}
    }
}

#[component]
fn PupilForm(mode: RwSignal<Mode>, editing: Option<(PupilId, u64)>) -> impl IntoView {
    let app = use_app();
    let start = editing
        .as_ref()
        .and_then(|(id, _)| {
            app.session.with_untracked(|s| {
                s.as_ref()
                    .and_then(|o| o.desk.file(id).map(|f| PupilDraft::from_pupil(&f.pupil)))
            })
        })
        .unwrap_or_default();
    let forename = RwSignal::new(start.forename);
    let surname = RwSignal::new(start.surname);
    let date_of_birth = RwSignal::new(start.date_of_birth);
    let year_group = RwSignal::new(start.year_group);
    let upn = RwSignal::new(start.upn);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            problems.with(|list| {
                list.iter()
                    .find(|(f, _)| f == field)
                    .map(|(_, message)| message.clone())
            })
        })
    };
    let title = if editing.is_some() {
        "Edit pupil"
    } else {
        "Add a pupil"
    };
    set_title(title);
    let editing_for_submit = editing.clone();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = PupilDraft {
            forename: forename.get_untracked(),
            surname: surname.get_untracked(),
            date_of_birth: date_of_birth.get_untracked(),
            year_group: year_group.get_untracked(),
            upn: upn.get_untracked(),
        };
        let id = editing_for_submit
            .as_ref()
            .map(|(id, _)| id.clone())
            .unwrap_or_else(OpenDesk::new_pupil_id);
        let today = chrono::Local::now().date_naive();
        let pupil = match draft.validate(id, today) {
            Ok(pupil) => pupil,
            Err(list) => {
                problems.set(
                    list.into_iter()
                        .map(|p| (field_id(p.field).to_string(), p.message))
                        .collect(),
                );
                return;
            }
        };
        let name = pupil.full_name();
        let now = chrono::Utc::now();
        let saved = match &editing_for_submit {
            Some((_, revision)) => {
                let revision = *revision;
                app.save(move |open, store| open.save_pupil(store, pupil, revision, now))
            }
            None => app.save(move |open, store| open.add_pupil(store, pupil, now)),
        };
        match saved {
            Ok(_) => {
                problems.set(Vec::new());
                app.notice.set(Some(Notice::info(format!("Saved {name}."))));
                mode.set(Mode::List);
            }
            // The form keeps everything typed; the problem (not any one field's) is shown
            // above it.
            Err(e) => problems.set(vec![(String::new(), e.to_string())]),
        }
    };

    let years = YearGroup::all();
    view! {
        <h1 tabindex="-1">{title}</h1>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <TextField id="forename" label="Forename" value=forename error=error_for("forename")
                autocomplete="off"/>
            <TextField id="surname" label="Surname" value=surname error=error_for("surname")
                autocomplete="off"/>
            <TextField id="date-of-birth" label="Date of birth" value=date_of_birth
                error=error_for("date-of-birth") hint="Day/month/year, for example 14/09/2017."/>
            <div class="field" class:field--error=move || error_for("year-group").with(|e| e.is_some())>
                <label for="year-group">"Year group"</label>
                {move || error_for("year-group").get().map(|m| view! {
                    <p class="field-error" id="year-group-error"><span class="visually-hidden">"Error: "</span>{m}</p>
                })}
                <select id="year-group" name="year-group"
                    aria-describedby=move || error_for("year-group").with(|e| e.is_some()).then_some("year-group-error")
                    prop:value=move || year_group.get()
                    on:change=move |ev| year_group.set(event_target_value(&ev))>
                    <option value="">"Choose a year group"</option>
                    {years.into_iter().map(|y| view! {
                        <option value=y.code() selected=move || year_group.get() == y.code()>{y.to_string()}</option>
                    }).collect_view()}
                </select>
            </div>
            <TextField id="upn" label="UPN (optional)" value=upn error=error_for("upn")
                hint="The unique pupil number: a letter and 12 digits, checked as you save."/>
            <div class="button-group">
                <button type="submit" class="button">"Save pupil"</button>
                <button type="button" class="button button--secondary"
                    on:click=move |_| mode.set(Mode::List)>"Cancel"</button>
            </div>
        </form>
    }
}

#[component]
fn ConfirmDelete(mode: RwSignal<Mode>, id: PupilId) -> impl IntoView {
    let app = use_app();
    set_title("Delete pupil");
    let name = app
        .session
        .with_untracked(|s| {
            s.as_ref().and_then(|o| {
                o.desk.file(&id).map(|f| f.pupil.full_name()).or_else(|| {
                    o.desk
                        .damaged
                        .iter()
                        .find(|d| d.id == id)
                        .map(|d| d.name.clone())
                })
            })
        })
        .unwrap_or_default();
    let error = RwSignal::new(None::<String>);
    let confirm = {
        let name = name.clone();
        move |_| {
            let id = id.clone();
            match app.save(move |open, store| open.delete_pupil(store, &id)) {
                Ok(()) => {
                    app.notice
                        .set(Some(Notice::info(format!("Deleted {name}'s record."))));
                    mode.set(Mode::List);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        }
    };
    view! {
        <h1 tabindex="-1">{format!("Delete {name}?")}</h1>
        <p>{format!("This removes {name}'s record from this desk completely. It cannot be undone, except from a backup file.")}</p>
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
        <div class="button-group">
            <button type="button" class="button button--danger" on:click=confirm>"Yes, delete this pupil"</button>
            <button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::List)>"No, keep this pupil"</button>
        </div>
    }
}
