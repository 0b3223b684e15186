//! The plan form: dates, needs, views, outcomes, strategies and provision, with the
//! library one press away. Also used to correct a reviewed plan, with a reason.

use super::super::form::{
    error_for, today, CheckField, ErrorSummary, Problem, TextArea, TextField,
};
use super::super::library_picker::LibraryPicker;
use super::super::shell::set_title;
use super::super::state::{use_app, Notice};
use super::save_plan_change;
use crate::domain::dates::{format_uk, parse_date};
use crate::domain::library::{EntryKind, LibraryEntry};
use crate::domain::plan::{PlanError, PlanField, PlanOutcome, Provision, SupportPlan};
use crate::domain::{NeedType, PupilFile};
use leptos::prelude::*;

#[derive(Clone, Copy)]
struct OutcomeRow {
    key: usize,
    text: RwSignal<String>,
    criteria: RwSignal<String>,
    target: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct StrategyRow {
    key: usize,
    text: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct ProvisionRow {
    key: usize,
    what: RwSignal<String>,
    who: RwSignal<String>,
    how_often: RwSignal<String>,
    /// The provision on the map the row is, kept through an edit of the plan.
    provision_id: StoredValue<Option<String>>,
}

fn date_text(date: Option<chrono::NaiveDate>) -> String {
    date.map(format_uk).unwrap_or_default()
}

#[component]
pub fn PlanForm(
    file: PupilFile,
    plan: SupportPlan,
    correcting: bool,
    on_done: Callback<()>,
    /// Cancel, when it does more than leave the form (a plan just started is deleted).
    #[prop(optional)]
    on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let app = use_app();
    super::super::drafts::FormDraft::provide(if correcting { "correct-plan" } else { "plan" });
    let id = file.pupil.id.clone();
    let name = crate::ui::names::page_name(app, &file);
    // Section E of the EHC plan in force: each outcome offered as a support plan outcome.
    let ehc_outcomes: Vec<crate::domain::ehc::plan::PlanOutcomeE> = file
        .ehc
        .current_plan()
        .map(|p| p.outcomes.clone())
        .unwrap_or_default();
    let cycle = plan.cycle;
    set_title("Edit support plan");
    let next_key = StoredValue::new(0usize);
    let key = move || {
        let k = next_key.get_value();
        next_key.set_value(k + 1);
        k
    };
    let starts = RwSignal::new(format_uk(plan.starts_on));
    let review_on = RwSignal::new(format_uk(plan.review_on));
    let agreed = RwSignal::new(date_text(plan.parents_agreed_on));
    let strengths = RwSignal::new(plan.strengths.clone());
    let pupil_views = RwSignal::new(plan.pupil_views.clone());
    let parent_views = RwSignal::new(plan.parent_views.clone());
    let reason = RwSignal::new(String::new());
    // The pupil's needs now and any the plan already names, each a checkbox.
    let mut need_choices: Vec<NeedType> = file
        .sen
        .needs_on(super::super::form::today())
        .iter()
        .map(|n| n.need_type)
        .collect();
    for need in &plan.needs {
        if !need_choices.contains(need) {
            need_choices.push(*need);
        }
    }
    let needs: Vec<(NeedType, RwSignal<bool>)> = need_choices
        .into_iter()
        .map(|n| (n, RwSignal::new(plan.needs.contains(&n))))
        .collect();
    let outcome_row = move |o: &PlanOutcome| OutcomeRow {
        key: key(),
        text: RwSignal::new(o.text.clone()),
        criteria: RwSignal::new(o.success_criteria.clone()),
        target: RwSignal::new(date_text(o.target_on)),
    };
    let strategy_row = move |s: &str| StrategyRow {
        key: key(),
        text: RwSignal::new(s.to_string()),
    };
    let provision_row = move |p: &Provision| ProvisionRow {
        key: key(),
        what: RwSignal::new(p.what.clone()),
        who: RwSignal::new(p.who.clone()),
        how_often: RwSignal::new(p.how_often.clone()),
        provision_id: StoredValue::new(p.provision_id.clone()),
    };
    let outcomes = RwSignal::new(plan.outcomes.iter().map(outcome_row).collect::<Vec<_>>());
    let strategies = RwSignal::new(
        plan.strategies
            .iter()
            .map(|s| strategy_row(s))
            .collect::<Vec<_>>(),
    );
    let provision = RwSignal::new(plan.provision.iter().map(provision_row).collect::<Vec<_>>());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let original = StoredValue::new(plan.clone());

    let add_from_library = Callback::new(move |entry: LibraryEntry| match entry.kind {
        EntryKind::Outcome => {
            let row = outcome_row(&PlanOutcome {
                text: entry.text,
                success_criteria: entry.success_criteria,
                target_on: None,
            });
            outcomes.update(|rows| rows.push(row));
            focus_later(format!("outcome-{}-text", row.key));
        }
        EntryKind::Strategy => {
            let row = strategy_row(&entry.text);
            strategies.update(|rows| rows.push(row));
            focus_later(format!("strategy-{}", row.key));
        }
    });

    let submit = {
        let id = id.clone();
        let needs = needs.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut found = Vec::new();
            let mut date = |text: String, field: &str, required: bool| {
                if text.trim().is_empty() && !required {
                    return None;
                }
                let parsed = parse_date(&text);
                if parsed.is_none() {
                    found.push((
                        field.to_string(),
                        "Enter a date as day/month/year, for example 01/09/2026.".to_string(),
                    ));
                }
                parsed
            };
            let starts_on = date(starts.get_untracked(), "plan-starts", true);
            let review_date = date(review_on.get_untracked(), "plan-review", true);
            let agreed_on = date(agreed.get_untracked(), "plan-agreed", false);
            let outcome_rows = outcomes.get_untracked();
            let mut plan_outcomes = Vec::new();
            for row in &outcome_rows {
                plan_outcomes.push(PlanOutcome {
                    text: row.text.get_untracked().trim().to_string(),
                    success_criteria: row.criteria.get_untracked().trim().to_string(),
                    target_on: date(
                        row.target.get_untracked(),
                        &format!("outcome-{}-target", row.key),
                        false,
                    ),
                });
            }
            if !found.is_empty() {
                problems.set(found);
                return;
            }
            let (Some(starts_on), Some(review_date)) = (starts_on, review_date) else {
                return;
            };
            let base = original.get_value();
            let edited = SupportPlan {
                starts_on,
                review_on: review_date,
                parents_agreed_on: agreed_on,
                needs: needs
                    .iter()
                    .filter(|(_, on)| on.get_untracked())
                    .map(|(n, _)| *n)
                    .collect(),
                strengths: strengths.get_untracked().trim().to_string(),
                pupil_views: pupil_views.get_untracked().trim().to_string(),
                parent_views: parent_views.get_untracked().trim().to_string(),
                outcomes: plan_outcomes,
                strategies: strategies
                    .get_untracked()
                    .iter()
                    .map(|r| r.text.get_untracked().trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
                provision: provision
                    .get_untracked()
                    .iter()
                    .map(|r| Provision {
                        what: r.what.get_untracked().trim().to_string(),
                        who: r.who.get_untracked().trim().to_string(),
                        how_often: r.how_often.get_untracked().trim().to_string(),
                        provision_id: r.provision_id.get_value(),
                    })
                    .filter(|p| !(p.what.is_empty() && p.who.is_empty() && p.how_often.is_empty()))
                    .collect(),
                ..base.clone()
            };
            if let Err(e) = edited.check_on_saving(today()) {
                problems.set(vec![problem_for(&e, &outcome_rows)]);
                return;
            }
            let why = reason.get_untracked();
            save_plan_change(
                app,
                &id,
                cycle,
                original,
                |current, by| {
                    if correcting {
                        current.correct(edited.clone(), &why, by, chrono::Utc::now())
                    } else {
                        *current = edited.clone();
                        Ok(())
                    }
                },
                move |result| match result {
                    Ok(()) => {
                        problems.set(Vec::new());
                        app.notice.set(Some(Notice::info(if correcting {
                            format!("The correction to plan {cycle} is recorded.")
                        } else {
                            format!("Plan {cycle} is saved.")
                        })));
                        on_done.run(());
                    }
                    Err(refused) => problems.set(vec![match &refused.rule {
                        Some(rule) => problem_for(rule, &outcome_rows),
                        None => (String::new(), refused.message),
                    }]),
                },
            );
        }
    };

    let heading = if correcting {
        format!("Correct support plan {cycle}: {name}")
    } else {
        format!("Edit support plan {cycle}: {name}")
    };
    view! {
        <h1 tabindex="-1">{heading}</h1>
        {correcting.then(|| view! {
            <p class="lead">"This plan has been reviewed. A correction is recorded in the plan's history with who made it, when, why and what changed."</p>
        })}
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            {correcting.then(|| view! {
                <TextArea limit=crate::domain::plan::MAX_PLAN_TEXT id="plan-reason" label="Why is the plan being corrected?" value=reason
                    error=error_for(problems, "plan-reason")/>
            })}
            <fieldset>
                <legend>"Dates"</legend>
                <TextField date=true id="plan-starts" label="Start date" value=starts hint="For example 07/09/2026" error=error_for(problems, "plan-starts")/>
                <TextField date=true id="plan-review" label="Review date" value=review_on hint="Three months after the start unless you change it" error=error_for(problems, "plan-review")/>
                <TextField date=true id="plan-agreed" label="Date parents agreed the plan (optional)" value=agreed error=error_for(problems, "plan-agreed")/>
            </fieldset>
            <fieldset>
                <legend>"Needs this plan addresses"</legend>
                {if needs.is_empty() {
                    view! { <p>"No needs are recorded for this pupil. Record them on the pupil's page."</p> }.into_any()
                } else {
                    needs.iter().map(|(need, on)| view! {
                        <CheckField id=format!("plan-need-{}", need.code()) label=format!("{} \u{2013} {}", need.code(), need.name()) checked=*on/>
                    }).collect_view().into_any()
                }}
            </fieldset>
            <TextArea limit=crate::domain::plan::MAX_PLAN_TEXT id="plan-strengths" label="Strengths" value=strengths/>
            <TextArea limit=crate::domain::plan::MAX_PLAN_TEXT id="plan-pupil-views" label="The pupil's views" value=pupil_views/>
            <TextArea limit=crate::domain::plan::MAX_PLAN_TEXT id="plan-parent-views" label="Parents' views" value=parent_views/>

            <fieldset id="plan-outcomes" tabindex="-1">
                <legend>"Outcomes"</legend>
                {move || error_for(problems, "plan-outcomes").get().map(|m| view! { <p class="field-error"><span class="visually-hidden">"Error: "</span>{m}</p> })}
                <For each=move || outcomes.get() key=|row| row.key let:row>
                    {
                        let number = move || outcomes.with(|rows| rows.iter().position(|r| r.key == row.key).map(|i| i + 1).unwrap_or(0));
                        view! {
                            <div class="repeat-row">
                                <h2 class="row-heading">{move || format!("Outcome {}", number())}</h2>
                                <TextArea limit=crate::domain::plan::MAX_PLAN_TEXT id=format!("outcome-{}-text", row.key) label="What the pupil will achieve" value=row.text error=error_for(problems, format!("outcome-{}-text", row.key))/>
                                <TextArea limit=crate::domain::plan::MAX_PLAN_TEXT id=format!("outcome-{}-criteria", row.key) label="Success criteria" value=row.criteria/>
                                <TextField date=true id=format!("outcome-{}-target", row.key) label="Target date (optional)" value=row.target error=error_for(problems, format!("outcome-{}-target", row.key))/>
                                <button type="button" class="button button--link"
                                    on:click=move |_| {
                                        outcomes.update(|rows| rows.retain(|r| r.key != row.key));
                                        focus_later("plan-outcomes".into());
                                    }>
                                    {move || format!("Remove outcome {}", number())}
                                </button>
                            </div>
                        }
                    }
                </For>
                <p><button type="button" class="button button--secondary" on:click=move |_| {
                    let row = outcome_row(&PlanOutcome::default());
                    outcomes.update(|rows| rows.push(row));
                    focus_later(format!("outcome-{}-text", row.key));
                }>"Add an outcome"</button></p>
                <LibraryPicker kind=EntryKind::Outcome on_pick=add_from_library/>
                {(!ehc_outcomes.is_empty()).then(|| view! {
                    <details class="library-picker">
                        <summary>"Add outcomes from the EHC plan (section E)"</summary>
                        <ul class="library-list">
                            {ehc_outcomes.into_iter().map(|o| {
                                let label = format!("Add outcome from the EHC plan: {}", o.outcome);
                                let text = if o.by_when.is_empty() { o.outcome.clone() } else { format!("{} (by {})", o.outcome, o.by_when) };
                                view! {
                                    <li>
                                        <button type="button" class="button button--link" aria-label=label
                                            on:click=move |_| {
                                                let row = outcome_row(&PlanOutcome {
                                                    text: o.outcome.clone(),
                                                    success_criteria: String::new(),
                                                    target_on: None,
                                                });
                                                outcomes.update(|rows| rows.push(row));
                                                focus_later(format!("outcome-{}-text", row.key));
                                            }>{text}</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </details>
                })}
            </fieldset>

            <fieldset id="plan-strategies" tabindex="-1">
                <legend>"Strategies every adult should use"</legend>
                <For each=move || strategies.get() key=|row| row.key let:row>
                    {
                        let number = move || strategies.with(|rows| rows.iter().position(|r| r.key == row.key).map(|i| i + 1).unwrap_or(0));
                        view! {
                            <div class="repeat-row repeat-row--inline">
                                <TextField id=format!("strategy-{}", row.key) label=format!("Strategy") value=row.text/>
                                <button type="button" class="button button--link"
                                    on:click=move |_| {
                                        strategies.update(|rows| rows.retain(|r| r.key != row.key));
                                        focus_later("plan-strategies".into());
                                    }>
                                    {move || format!("Remove strategy {}", number())}
                                </button>
                            </div>
                        }
                    }
                </For>
                <p><button type="button" class="button button--secondary" on:click=move |_| {
                    let row = strategy_row("");
                    strategies.update(|rows| rows.push(row));
                    focus_later(format!("strategy-{}", row.key));
                }>"Add a strategy"</button></p>
                <LibraryPicker kind=EntryKind::Strategy on_pick=add_from_library/>
            </fieldset>

            <fieldset id="plan-provision" tabindex="-1">
                <legend>"Provision: what, who and how often"</legend>
                <For each=move || provision.get() key=|row| row.key let:row>
                    {
                        let number = move || provision.with(|rows| rows.iter().position(|r| r.key == row.key).map(|i| i + 1).unwrap_or(0));
                        view! {
                            <div class="repeat-row">
                                <h2 class="row-heading">{move || format!("Provision {}", number())}</h2>
                                <TextField id=format!("provision-{}-what", row.key) label="What" value=row.what/>
                                <TextField id=format!("provision-{}-who", row.key) label="Who" value=row.who/>
                                <TextField id=format!("provision-{}-often", row.key) label="How often" value=row.how_often/>
                                <button type="button" class="button button--link"
                                    on:click=move |_| {
                                        provision.update(|rows| rows.retain(|r| r.key != row.key));
                                        focus_later("plan-provision".into());
                                    }>
                                    {move || format!("Remove provision {}", number())}
                                </button>
                            </div>
                        }
                    }
                </For>
                <p><button type="button" class="button button--secondary" on:click=move |_| {
                    let row = provision_row(&Provision::default());
                    provision.update(|rows| rows.push(row));
                    focus_later(format!("provision-{}-what", row.key));
                }>"Add provision"</button></p>
            </fieldset>

            <div class="button-group">
                <button type="submit" class="button">{if correcting { "Record the correction" } else { "Save plan" }}</button>
                <button type="button" class="button button--secondary" on:click=move |_| on_cancel.unwrap_or(on_done).run(())>"Cancel"</button>
            </div>
        </form>
    }
}

/// The field a plan rule's message belongs beside.
fn problem_for(error: &PlanError, outcomes: &[OutcomeRow]) -> Problem {
    let row = |i: usize| outcomes.get(i).map(|r| r.key).unwrap_or(0);
    let field = match error {
        PlanError::Field(PlanField::StartsOn, _) => "plan-starts".to_string(),
        PlanError::Field(PlanField::ReviewOn, _) => "plan-review".to_string(),
        PlanError::Field(PlanField::ParentsAgreedOn, _) => "plan-agreed".to_string(),
        PlanError::Field(PlanField::Outcome(i), _) => format!("outcome-{}-text", row(*i)),
        PlanError::Field(PlanField::OutcomeTarget(i), _) => format!("outcome-{}-target", row(*i)),
        PlanError::Field(PlanField::Outcomes, _) => "plan-outcomes".to_string(),
        PlanError::Field(PlanField::Strategies, _) => "plan-strategies".to_string(),
        PlanError::Field(PlanField::Provision, _) => "plan-provision".to_string(),
        PlanError::Field(PlanField::Reason, _) => "plan-reason".to_string(),
        _ => String::new(),
    };
    (field, error.to_string())
}

/// Moves focus to a field added a moment ago, once it is on the page.
pub fn focus_later(id: String) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
