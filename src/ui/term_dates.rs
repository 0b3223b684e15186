//! Term dates on the staff, rates and term dates page: each school year's terms and closure
//! days, its teaching days and weeks, and a year copied forward (to check, since Easter
//! moves). The reading and checking is the domain's (provision::entry, calendar).

use super::form::{error_for, Problem, SelectField, TextField};
use super::plan_page::plan_form::focus_later;
use super::provision_setup::{form_error, save_setup};
use super::state::use_app;
use crate::domain::provision::calendar::DayPart;
use crate::domain::provision::entry::{
    read_year, year_entries, ClosureEntry, TermEntry, YearField, USUAL_TERMS,
};
use crate::domain::provision::setup::{school_year_label, teaching_weeks_text, ProvisionSetup};
use crate::domain::settings::school_year;
use crate::domain::text::count;
use leptos::prelude::*;

#[derive(Clone, Copy)]
struct TermRow {
    key: usize,
    name: RwSignal<String>,
    starts: RwSignal<String>,
    ends: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct ClosureRow {
    key: usize,
    on: RwSignal<String>,
    part: RwSignal<String>,
    reason: RwSignal<String>,
}

fn heading_id(starts_in: i32) -> String {
    format!("year-{starts_in}-title")
}

#[component]
pub fn TermDatesSection(setup: Memo<ProvisionSetup>) -> impl IntoView {
    // Years added here whose dates are not saved yet.
    let pending = RwSignal::new(Vec::<i32>::new());
    let years = Memo::new(move |_| {
        let mut years: Vec<i32> =
            setup.with(|s| s.calendar.years.iter().map(|y| y.starts_in).collect());
        years.extend(pending.get());
        years.sort_unstable();
        years.dedup();
        years
    });
    let this_year = school_year(super::form::today());
    let choice = RwSignal::new(String::new());
    let choices = move || {
        let taken = years.get();
        (this_year - 1..=this_year + 3)
            .filter(|y| !taken.contains(y))
            .map(|y| (y.to_string(), school_year_label(y)))
            .collect::<Vec<_>>()
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let offered = choices();
        let picked = choice
            .get_untracked()
            .parse::<i32>()
            .ok()
            .filter(|y| offered.iter().any(|(code, _)| *code == y.to_string()))
            .or_else(|| offered.first().and_then(|(code, _)| code.parse().ok()));
        if let Some(year) = picked {
            pending.update(|p| p.push(year));
            choice.set(String::new());
            focus_later(heading_id(year));
        }
    };
    view! {
        <section aria-labelledby="term-dates-title" class="card">
            <h2 id="term-dates-title">"Term dates"</h2>
            <p>"Enter each school year's terms and the days the school is closed to pupils within them (INSET days, bank holidays). Every count of weeks for provision comes from these teaching days, not a flat 38 weeks. Dates are typed as dd/mm/yyyy, such as 03/09/2026."</p>
            {move || years.with(Vec::is_empty).then(|| view! { <p>"No term dates yet: add a school year below."</p> })}
            <For each=move || years.get() key=|y| *y let:starts_in>
                <YearDates setup=setup starts_in=starts_in/>
            </For>
            <h3 id="add-year-title">"Add a school year"</h3>
            {move || {
                let offered = choices();
                if offered.is_empty() {
                    return view! { <p>"Term dates are entered for every school year that can be added now."</p> }.into_any();
                }
                if choice.with_untracked(String::is_empty) {
                    choice.set(offered[0].0.clone());
                }
                view! {
                    <form on:submit=add novalidate aria-labelledby="add-year-title">
                        <SelectField id="add-year" label="School year" value=choice options=offered/>
                        <button type="submit" class="button button--secondary">"Add school year"</button>
                    </form>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn YearDates(setup: Memo<ProvisionSetup>, starts_in: i32) -> impl IntoView {
    let app = use_app();
    let label = school_year_label(starts_in);
    let next_label = school_year_label(starts_in + 1);
    let next_key = StoredValue::new(0usize);
    let key = move || {
        let k = next_key.get_value();
        next_key.set_value(k + 1);
        k
    };
    let term_row = move |t: TermEntry| TermRow {
        key: key(),
        name: RwSignal::new(t.name),
        starts: RwSignal::new(t.starts),
        ends: RwSignal::new(t.ends),
    };
    let closure_row = move |c: ClosureEntry| ClosureRow {
        key: key(),
        on: RwSignal::new(c.on),
        part: RwSignal::new(c.part),
        reason: RwSignal::new(c.reason),
    };
    let blank_closure = move || {
        closure_row(ClosureEntry {
            on: String::new(),
            part: DayPart::Whole.code().to_string(),
            reason: String::new(),
        })
    };
    let (first_terms, first_closures) = match setup.with_untracked(|s| s.year(starts_in).cloned()) {
        Some(dates) => year_entries(&dates),
        None => (
            USUAL_TERMS
                .iter()
                .map(|name| TermEntry {
                    name: name.to_string(),
                    ..TermEntry::default()
                })
                .collect(),
            Vec::new(),
        ),
    };
    let terms = RwSignal::new(first_terms.into_iter().map(term_row).collect::<Vec<_>>());
    let closures = RwSignal::new(
        first_closures
            .into_iter()
            .map(closure_row)
            .collect::<Vec<_>>(),
    );
    let problems = RwSignal::new(Vec::<Problem>::new());
    let failed = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);

    let to_check = move || setup.with(|s| s.year(starts_in).is_some_and(|y| y.to_check));
    let can_copy =
        move || setup.with(|s| s.year(starts_in).is_some() && s.year(starts_in + 1).is_none());
    let teaching = move || {
        setup.with(|s| {
            s.year(starts_in).map(|_| {
                let days = s.teaching_days_in(starts_in);
                format!(
                    "{}, {}.",
                    count(days as usize, "teaching day"),
                    teaching_weeks_text(days)
                )
            })
        })
    };

    // The id of the box a problem belongs to; None when its row is gone (every term
    // removed), and the problem is then said beside the save button.
    let field_id = move |field: YearField| -> Option<String> {
        let term_key = |i: usize| terms.with_untracked(|rows| rows.get(i).map(|r| r.key));
        let closure_key = |i: usize| closures.with_untracked(|rows| rows.get(i).map(|r| r.key));
        Some(match field {
            YearField::TermName(i) => format!("y{starts_in}-term-{}-name", term_key(i)?),
            YearField::TermStarts(i) => format!("y{starts_in}-term-{}-starts", term_key(i)?),
            YearField::TermEnds(i) => format!("y{starts_in}-term-{}-ends", term_key(i)?),
            YearField::ClosureOn(i) => format!("y{starts_in}-closure-{}-on", closure_key(i)?),
            YearField::ClosureReason(i) => {
                format!("y{starts_in}-closure-{}-reason", closure_key(i)?)
            }
        })
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        said.set(None);
        failed.set(None);
        let term_entries: Vec<TermEntry> = terms.with_untracked(|rows| {
            rows.iter()
                .map(|r| TermEntry {
                    name: r.name.get_untracked(),
                    starts: r.starts.get_untracked(),
                    ends: r.ends.get_untracked(),
                })
                .collect()
        });
        let closure_entries: Vec<ClosureEntry> = closures.with_untracked(|rows| {
            rows.iter()
                .map(|r| ClosureEntry {
                    on: r.on.get_untracked(),
                    part: r.part.get_untracked(),
                    reason: r.reason.get_untracked(),
                })
                .collect()
        });
        let still_to_check =
            setup.with_untracked(|s| s.year(starts_in).is_some_and(|y| y.to_check));
        let dates = match read_year(starts_in, &term_entries, &closure_entries, still_to_check) {
            Ok(dates) => dates,
            Err(found) => {
                let mut list = Vec::<Problem>::new();
                for (field, message) in found {
                    match field_id(field) {
                        Some(id) => list.push((id, message)),
                        None => failed.set(Some(message)),
                    }
                }
                if let Some((first, _)) = list.first() {
                    focus_later(first.clone());
                }
                problems.set(list);
                return;
            }
        };
        problems.set(Vec::new());
        let label = school_year_label(starts_in);
        leptos::task::spawn_local_scoped(async move {
            match save_setup(app, move |s| s.put_year(dates).map_err(|e| e.to_string())).await {
                Ok(()) => said.set(Some(format!("Saved the term dates for {label}."))),
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    let copy = move |_| {
        said.set(None);
        failed.set(None);
        leptos::task::spawn_local_scoped(async move {
            match save_setup(app, move |s| {
                s.copy_forward(starts_in).map_err(|e| e.to_string())
            })
            .await
            {
                Ok(next) => {
                    said.set(Some(format!(
                        "Copied to {}: check its dates.",
                        school_year_label(next)
                    )));
                    focus_later(heading_id(next));
                }
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    let checked = move |_| {
        said.set(None);
        failed.set(None);
        leptos::task::spawn_local_scoped(async move {
            match save_setup(app, move |s| {
                s.mark_checked(starts_in).map_err(|e| e.to_string())
            })
            .await
            {
                Ok(()) => {
                    said.set(Some(format!(
                        "The dates for {} are marked as checked.",
                        school_year_label(starts_in)
                    )));
                    focus_later(heading_id(starts_in));
                }
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    let title = heading_id(starts_in);
    let copy_label = format!("Copy to {next_label}");
    let save_label = format!("Save term dates for {label}");
    let notice_label = label.clone();
    view! {
        <section aria-labelledby=heading_id(starts_in) class="school-year">
            <h3 id=title tabindex="-1">{label.clone()}</h3>
            <Show when=to_check>
                <div class="notice notice--warning">
                    <p><strong>"To check: "</strong>{format!("these dates for {notice_label} were copied from the year before, moved on 52 weeks to the same weekdays. Easter moves, so check each term and closure day against the school's published dates, change any that differ, then press \u{201c}Dates checked\u{201d}.")}</p>
                    <p><button type="button" class="button button--secondary" on:click=checked>"Dates checked"</button></p>
                </div>
            </Show>
            <p>{move || teaching().unwrap_or_else(|| "Not saved yet: enter the terms and save them.".to_string())}</p>
            <form on:submit=submit novalidate aria-labelledby=heading_id(starts_in)>
                <fieldset class="choices" id=format!("y{starts_in}-terms") tabindex="-1">
                    <legend>"Terms"</legend>
                    <p class="hint">"A term with neither date is left out."</p>
                    <For each=move || terms.get() key=|row| row.key let:row>
                        {
                            let number = move || terms.with(|rows| rows.iter().position(|r| r.key == row.key).map_or(0, |i| i + 1));
                            let id = move |part: &str| format!("y{starts_in}-term-{}-{part}", row.key);
                            view! {
                                <fieldset class="repeat-row">
                                    <legend class="row-heading">{move || format!("Term {}", number())}</legend>
                                    <TextField id=id("name") label="Name" value=row.name error=error_for(problems, id("name"))/>
                                    <TextField id=id("starts") label="First day" value=row.starts date=true
                                        hint="dd/mm/yyyy" error=error_for(problems, id("starts"))/>
                                    <TextField id=id("ends") label="Last day" value=row.ends date=true
                                        hint="dd/mm/yyyy" error=error_for(problems, id("ends"))/>
                                    <button type="button" class="button button--link"
                                        on:click=move |_| {
                                            terms.update(|rows| rows.retain(|r| r.key != row.key));
                                            focus_later(format!("y{starts_in}-terms"));
                                        }>
                                        {move || format!("Remove term {}", number())}
                                    </button>
                                </fieldset>
                            }
                        }
                    </For>
                    <p><button type="button" class="button button--secondary" on:click=move |_| {
                        let row = term_row(TermEntry::default());
                        terms.update(|rows| rows.push(row));
                        focus_later(format!("y{starts_in}-term-{}-name", row.key));
                    }>"Add a term"</button></p>
                </fieldset>
                <fieldset class="choices" id=format!("y{starts_in}-closures") tabindex="-1">
                    <legend>"Closure days"</legend>
                    {move || closures.with(Vec::is_empty).then(|| view! { <p>"No closure days entered."</p> })}
                    <For each=move || closures.get() key=|row| row.key let:row>
                        {
                            let number = move || closures.with(|rows| rows.iter().position(|r| r.key == row.key).map_or(0, |i| i + 1));
                            let id = move |part: &str| format!("y{starts_in}-closure-{}-{part}", row.key);
                            let parts = DayPart::ALL.into_iter().map(|p| (p.code().to_string(), p.label().to_string())).collect::<Vec<_>>();
                            view! {
                                <fieldset class="repeat-row">
                                    <legend class="row-heading">{move || format!("Closure day {}", number())}</legend>
                                    <TextField id=id("on") label="Date" value=row.on date=true
                                        hint="dd/mm/yyyy" error=error_for(problems, id("on"))/>
                                    <SelectField id=id("part") label="Closed for" value=row.part options=parts/>
                                    <TextField id=id("reason") label="Reason (optional)" value=row.reason
                                        hint="Such as INSET or bank holiday." error=error_for(problems, id("reason"))/>
                                    <button type="button" class="button button--link"
                                        on:click=move |_| {
                                            closures.update(|rows| rows.retain(|r| r.key != row.key));
                                            focus_later(format!("y{starts_in}-closures"));
                                        }>
                                        {move || format!("Remove closure day {}", number())}
                                    </button>
                                </fieldset>
                            }
                        }
                    </For>
                    <p><button type="button" class="button button--secondary" on:click=move |_| {
                        let row = blank_closure();
                        closures.update(|rows| rows.push(row));
                        focus_later(format!("y{starts_in}-closure-{}-on", row.key));
                    }>"Add a closure day"</button></p>
                </fieldset>
                {form_error(failed)}
                <div class="button-group">
                    <button type="submit" class="button">{save_label}</button>
                    <Show when=can_copy>
                        <button type="button" class="button button--secondary" on:click=copy>{copy_label.clone()}</button>
                    </Show>
                </div>
                <p role="status">{move || said.get()}</p>
            </form>
        </section>
    }
}
