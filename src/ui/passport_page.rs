//! Pupil passports: one pupil's (`/passport?id=…`) to read, print and update, and every
//! passport for a class or year group printed at once (`/passports`).

use super::form::{today, ErrorSummary, Problem, SelectField, TextArea, TextField};
use super::library_picker::LibraryPicker;
use super::plan_page::plan_form::focus_later;
use super::plan_page::PrintHeader;
use super::pupil_page::{file_of, save_change};
use super::shell::{set_title, Unlocked};
use super::state::{use_app, Notice};
use crate::domain::dates::format_uk;
use crate::domain::library::{EntryKind, LibraryEntry};
use crate::domain::names::NameOrder;
use crate::domain::passport::{
    expects_passport, printed_needs, Passport, PassportSection, MAX_KEY_STRATEGIES,
    MAX_SECTION_CHARS, MAX_STRATEGY_CHARS,
};
use crate::domain::{PupilFile, PupilId, Settings};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PassportPage() -> impl IntoView {
    view! { <Unlocked><PassportScreen/></Unlocked> }
}

#[component]
pub fn PassportsPage() -> impl IntoView {
    view! { <Unlocked><PrintAll/></Unlocked> }
}

#[component]
fn PassportScreen() -> impl IntoView {
    let app = use_app();
    let query = use_query_map();
    let id = Memo::new(move |_| PupilId(query.with(|q| q.get("id").unwrap_or_default())));
    let editing = RwSignal::new(false);
    Effect::new(move |first: Option<()>| {
        editing.track();
        if first.is_some() {
            request_animation_frame(super::shell::focus_heading);
        }
    });
    let (exists, revision) = super::pupil_page::watch_file(app, id);
    view! {
        {move || {
            if !exists.get() {
                set_title("Pupil not found");
                return view! {
                    <h1 tabindex="-1">"Pupil not found"</h1>
                    <p><a href=app.href("/pupils")>"Back to pupils"</a></p>
                }.into_any();
            }
            let id = id.get();
            let Some(file) = file_of(app, &id) else { return ().into_any() };
            if editing.get() {
                view! { <PassportForm file=file on_done=Callback::new(move |_| editing.set(false))/> }.into_any()
            } else {
                view! {
                // Text kept from the form when the desk locked (issue 13, point 2).
                <super::drafts::DraftOffer open=move |form: String| editing.set(form == "passport")/>
                {move || {
                    // get, not track: a memo never read is never computed, so never changes.
                    let _ = revision.get();
                    let Some(file) = file_of(app, &id) else { return ().into_any() };
                    let name = crate::ui::names::page_name(app, &file);
                    set_title("Pupil passport");
                    let editable = !file.pupil.is_archived();
                    let has_passport = file.passport.is_some();
                    view! {
                        <p class="no-print"><a href=app.href(&format!("/pupil?id={}", id.0))>{format!("Back to {name}")}</a></p>
                        <h1 tabindex="-1" class="no-print">{format!("Pupil passport: {name}")}</h1>
                        <div class="button-group no-print">
                            {editable.then(|| view! {
                                <button type="button" class="button" on:click=move |_| editing.set(true)>
                                    {if has_passport { "Update the passport" } else { "Write the passport" }}
                                </button>
                            })}
                            {has_passport.then(|| view! {
                                <button type="button" class="button button--secondary" on:click=move |_| print_page()>"Print"</button>
                            })}
                            <a class="button button--secondary" href=app.href("/passports")>"Print passports for a class or year"</a>
                        </div>
                        {if has_passport {
                            view! { <PassportSheet file=file/> }.into_any()
                        } else {
                            view! { <p>"No passport has been written for this pupil yet."</p> }.into_any()
                        }}
                    }.into_any()
                }}
                }.into_any()
            }
        }}
    }
}

fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// One passport as staff read it: one A4 page when printed.
#[component]
fn PassportSheet(file: PupilFile) -> impl IntoView {
    let Some(passport) = file.passport.clone() else {
        return ().into_any();
    };
    let pupil = &file.pupil;
    let class = if pupil.class_name.is_empty() {
        String::new()
    } else {
        format!(", {}", pupil.class_name)
    };
    let settings = use_app().settings().unwrap_or_else(|| Settings::new(""));
    let needs = printed_needs(&file, today(), &settings);
    // The name the pupil is known by, with a date of birth where another reads the same.
    let name = crate::ui::names::page_name(use_app(), &file);
    view! {
        <article class="passport-sheet" aria-label=format!("Pupil passport: {name}")>
            <PrintHeader/>
            <header class="passport-sheet__head">
                <h2>{name.clone()}</h2>
                <p>{format!("{}{class}", pupil.year_group)}</p>
                {(!needs.is_empty()).then(|| view! { <p class="passport-sheet__needs">{format!("Needs: {}", needs.join("; "))}</p> })}
            </header>
            <div class="passport-sheet__grid">
                {PassportSection::WRITTEN.into_iter().map(|section| view! {
                    <section>
                        <h3>{section.heading()}</h3>
                        <p class="prose">{
                            let text = passport.section(section).to_string();
                            if text.trim().is_empty() { "Not written yet.".to_string() } else { text }
                        }</p>
                    </section>
                }).collect_view()}
                <section>
                    <h3>{PassportSection::KeyStrategies.heading()}</h3>
                    {if passport.key_strategies.is_empty() {
                        view! { <p>"None listed yet."</p> }.into_any()
                    } else {
                        view! { <ul>{passport.key_strategies.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view()}</ul> }.into_any()
                    }}
                </section>
            </div>
            <p class="passport-sheet__foot">{format!("Last updated {}", format_uk(passport.updated_on))}</p>
        </article>
    }
    .into_any()
}

#[derive(Clone, Copy)]
struct StrategyRow {
    key: usize,
    text: RwSignal<String>,
}

#[component]
fn PassportForm(file: PupilFile, on_done: Callback<()>) -> impl IntoView {
    let app = use_app();
    super::drafts::FormDraft::provide("passport");
    let id = file.pupil.id.clone();
    let name = crate::ui::names::page_name(app, &file);
    set_title("Update a pupil passport");
    let start = file
        .passport
        .clone()
        .unwrap_or_else(|| Passport::blank(today()));
    let sections: Vec<(PassportSection, RwSignal<String>)> = PassportSection::WRITTEN
        .into_iter()
        .map(|s| (s, RwSignal::new(start.section(s).to_string())))
        .collect();
    let next_key = StoredValue::new(0usize);
    let row = move |text: &str| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        StrategyRow {
            key,
            text: RwSignal::new(text.to_string()),
        }
    };
    let strategies = RwSignal::new(
        start
            .key_strategies
            .iter()
            .map(|s| row(s))
            .collect::<Vec<_>>(),
    );
    let problems = RwSignal::new(Vec::<Problem>::new());
    // What the form started from: a save made elsewhere since is never overwritten unseen.
    let original = StoredValue::new(file.passport.clone());
    let add = move |text: &str| {
        let listed: Vec<String> =
            strategies.with_untracked(|rows| rows.iter().map(|r| r.text.get_untracked()).collect());
        if let Err(message) = Passport::check_new_strategy(&listed, text) {
            problems.set(vec![("passport-strategies".into(), message)]);
            return;
        }
        let new = row(text);
        strategies.update(|rows| rows.push(new));
        focus_later(format!("passport-strategy-{}", new.key));
    };
    let from_library = Callback::new(move |entry: LibraryEntry| add(&entry.text));
    let plan_strategies: Vec<String> = file
        .active_plan()
        .or_else(|| file.plans.iter().max_by_key(|p| p.cycle))
        .map(|p| p.strategies.clone())
        .unwrap_or_default();

    let submit = {
        let sections = sections.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut passport = Passport::blank(today());
            for (section, text) in &sections {
                if let Some(slot) = passport.section_mut(*section) {
                    *slot = text.get_untracked().trim().to_string();
                }
            }
            passport.key_strategies = strategies
                .get_untracked()
                .iter()
                .map(|r| r.text.get_untracked().trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if let Err((section, message)) = passport.check() {
                problems.set(vec![(field_id(section).to_string(), message)]);
                return;
            }
            let base = original.get_value();
            if let Some(before) = &base {
                // Unchanged text keeps its date: "last updated" means the words changed.
                let same = Passport {
                    updated_on: before.updated_on,
                    ..passport.clone()
                };
                if same == *before {
                    on_done.run(());
                    return;
                }
            }
            let id_after = id.clone();
            save_change(
                app,
                &id,
                |f| {
                    if f.passport != base {
                        return Err("The passport was changed in another tab while you were editing. \
                                Your text is still in the form: check it against the latest passport and save again."
                        .to_string());
                    }
                    f.passport = Some(passport.clone());
                    Ok(())
                },
                move |saved| match saved {
                    Ok(()) => {
                        problems.set(Vec::new());
                        app.notice
                            .set(Some(Notice::info("The pupil passport is saved.")));
                        on_done.run(());
                    }
                    Err(message) => {
                        if let Some(latest) = file_of(app, &id_after) {
                            original.set_value(latest.passport);
                        }
                        problems.set(vec![(String::new(), message)]);
                    }
                },
            )
        }
    };
    view! {
        <h1 tabindex="-1">{format!("Update pupil passport: {name}")}</h1>
        <p class="lead">"Write it in the pupil's own words where you can. Each section is at most "{MAX_SECTION_CHARS}" characters so the passport prints on one page."</p>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            {sections.iter().map(|(section, text)| view! {
                <TextArea limit=MAX_SECTION_CHARS id=field_id(*section) label=section.heading() value=*text
                    error=super::form::error_for(problems, field_id(*section))/>
            }).collect_view()}
            <fieldset id="passport-strategies" tabindex="-1">
                <legend>"Key strategies"</legend>
                {move || super::form::error_for(problems, "passport-strategies").get().map(|m| view! { <p class="field-error"><span class="visually-hidden">"Error: "</span>{m}</p> })}
                <p class="hint">{format!("At most {MAX_KEY_STRATEGIES}, each at most {MAX_STRATEGY_CHARS} characters.")}</p>
                <For each=move || strategies.get() key=|row| row.key let:row>
                    {
                        let number = move || strategies.with(|rows| rows.iter().position(|r| r.key == row.key).map(|i| i + 1).unwrap_or(0));
                        view! {
                            <div class="repeat-row repeat-row--inline">
                                <TextField id=format!("passport-strategy-{}", row.key) label="Key strategy" value=row.text/>
                                <button type="button" class="button button--link"
                                    on:click=move |_| {
                                        strategies.update(|rows| rows.retain(|r| r.key != row.key));
                                        focus_later("passport-strategies".into());
                                    }>
                                    {move || format!("Remove key strategy {}", number())}
                                </button>
                            </div>
                        }
                    }
                </For>
                <p><button type="button" class="button button--secondary" on:click=move |_| add("")>"Add a key strategy"</button></p>
                {(!plan_strategies.is_empty()).then(|| view! {
                    <details class="library-picker">
                        <summary>"Add strategies from the support plan"</summary>
                        <ul class="library-list">
                            {plan_strategies.into_iter().map(|s| {
                                let label = format!("Add key strategy: {s}");
                                let text = s.clone();
                                view! { <li><button type="button" class="button button--link" aria-label=label on:click=move |_| add(&s)>{text}</button></li> }
                            }).collect_view()}
                        </ul>
                    </details>
                })}
                <LibraryPicker kind=EntryKind::Strategy on_pick=from_library/>
            </fieldset>
            <div class="button-group">
                <button type="submit" class="button">"Save passport"</button>
                <button type="button" class="button button--secondary" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

fn field_id(section: PassportSection) -> &'static str {
    match section {
        PassportSection::AboutMe => "passport-about",
        PassportSection::ImportantToMe => "passport-important",
        PassportSection::PeopleLike => "passport-like",
        PassportSection::HelpsMe => "passport-helps",
        PassportSection::DoesNotHelp => "passport-not-help",
        PassportSection::KeyStrategies => "passport-strategies",
    }
}

/// Every passport in a class or year group, one per printed page.
#[component]
fn PrintAll() -> impl IntoView {
    let app = use_app();
    set_title("Print pupil passports");
    let group = RwSignal::new(String::new());
    // Groups on roll: "year:4" for Year 4, "class:4B" for a class.
    let (years, classes) = app
        .session
        .with_untracked(|s| {
            s.as_ref().map(|o| {
                let mut years = Vec::new();
                let mut classes = Vec::new();
                for f in o.desk.files().filter(|f| !f.pupil.is_archived()) {
                    if !years.contains(&f.pupil.year_group) {
                        years.push(f.pupil.year_group);
                    }
                    if !f.pupil.class_name.is_empty() && !classes.contains(&f.pupil.class_name) {
                        classes.push(f.pupil.class_name.clone());
                    }
                }
                years.sort();
                classes.sort();
                (years, classes)
            })
        })
        .unwrap_or_default();
    let options = super::form::choices_after(
        "Choose a class or year group",
        years
            .iter()
            .map(|y| (format!("year:{}", y.code()), y.to_string()))
            .chain(
                classes
                    .iter()
                    .map(|c| (format!("class:{c}"), format!("Class {c}"))),
            ),
    );
    let chosen = move || {
        let group = group.get();
        let (kind, value) = group.split_once(':')?;
        let (kind, value) = (kind.to_string(), value.to_string());
        app.session.with(|s| {
            let open = s.as_ref()?;
            let mut files: Vec<PupilFile> = open
                .desk
                .files()
                .filter(|f| !f.pupil.is_archived())
                .filter(|f| match kind.as_str() {
                    "year" => f.pupil.year_group.code() == value,
                    _ => f.pupil.class_name == value,
                })
                .cloned()
                .collect();
            // Pupils with one name in date-of-birth order, as their labels tell them apart.
            files.sort_by_key(|f| (f.pupil.sort_name(), f.pupil.date_of_birth));
            let labels = open.desk.name_labels(NameOrder::KnownAs);
            Some((files, labels))
        })
    };
    view! {
        <h1 tabindex="-1" class="no-print">"Print pupil passports"</h1>
        <div class="no-print">
            <SelectField id="passport-group" label="Class or year group" value=group options=options/>
        </div>
        {move || chosen().map(|(files, labels)| {
            let today = today();
            let (with, without): (Vec<PupilFile>, Vec<PupilFile>) =
                files.into_iter().partition(|f| f.passport.is_some());
            // Only pupils who should have one: on the SEN register or with a plan in force.
            let without: Vec<(PupilId, String)> = without
                .into_iter()
                .filter(|f| expects_passport(f, today))
                .map(|f| {
                    let label = labels.get(&f.pupil.id).cloned().unwrap_or_else(|| f.pupil.full_name());
                    (f.pupil.id, label)
                })
                .collect();
            let count = with.len();
            view! {
                <p class="no-print" role="status">{format!("{} to print.", crate::domain::text::count(count, "passport"))}</p>
                {(count > 0).then(|| view! {
                    <p class="no-print"><button type="button" class="button" on:click=move |_| print_page()>"Print these passports"</button></p>
                })}
                {(!without.is_empty()).then(|| view! {
                    <details class="no-print">
                        <summary>{format!("{} on the SEN register without a passport", crate::domain::text::count(without.len(), "pupil"))}</summary>
                        <ul aria-label="Pupils on the SEN register without a passport">{without.into_iter().map(|(id, label)| view! {
                            <li><a href=app.href(&format!("/passport?id={}", id.0))>{label}</a></li>
                        }).collect_view()}</ul>
                    </details>
                })}
                <div class="passport-sheets">
                    {with.into_iter().map(|file| view! { <PassportSheet file=file/> }).collect_view()}
                </div>
            }
        })}
    }
}
