//! The review form: date, who attended, progress and evidence on each outcome, which
//! strategies worked, views and next steps. Saving it closes the cycle. Also used to
//! correct a review already recorded, with a reason.

use super::super::form::{
    error_for, today, CheckField, ErrorSummary, Problem, TextArea, TextField,
};
use super::super::shell::set_title;
use super::super::state::{use_app, Notice};
use super::save_plan_change;
use crate::domain::dates::{format_uk, parse_date};
use crate::domain::plan::{OutcomeReview, PlanError, PlanField, Progress, Review, SupportPlan};
use crate::domain::PupilFile;
use leptos::prelude::*;

#[component]
pub fn ReviewForm(
    file: PupilFile,
    plan: SupportPlan,
    correcting: bool,
    on_done: Callback<()>,
) -> impl IntoView {
    let app = use_app();
    super::super::drafts::FormDraft::provide(if correcting {
        "correct-review"
    } else {
        "review"
    });
    let id = file.pupil.id.clone();
    let name = crate::ui::names::page_name(app, &file);
    let cycle = plan.cycle;
    let heading = if correcting {
        format!("Correct the review of plan {cycle}: {name}")
    } else {
        format!("Review of plan {cycle}: {name}")
    };
    set_title(if correcting {
        "Correct a review"
    } else {
        "Record a review"
    });
    let start = plan
        .review
        .clone()
        .unwrap_or_else(|| Review::blank(&plan, today(), chrono::Utc::now()));
    let held_on = RwSignal::new(format_uk(start.held_on));
    let attended = RwSignal::new(start.attended.clone());
    let parents_attended = RwSignal::new(start.parents_attended);
    let pupil_views = RwSignal::new(start.pupil_views.clone());
    let parent_views = RwSignal::new(start.parent_views.clone());
    let next_steps = RwSignal::new(start.next_steps.clone());
    let reason = RwSignal::new(String::new());
    // Progress starts unchosen on a new review: each must be a decision, not a default.
    let outcomes: Vec<(String, RwSignal<String>, RwSignal<String>)> = plan
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let chosen = plan
                .review
                .as_ref()
                .and_then(|r| r.outcomes.get(i))
                .map(|r| r.progress.code().to_string())
                .unwrap_or_default();
            let evidence = start
                .outcomes
                .get(i)
                .map(|r| r.evidence.clone())
                .unwrap_or_default();
            (
                o.text.clone(),
                RwSignal::new(chosen),
                RwSignal::new(evidence),
            )
        })
        .collect();
    // Likewise whether each strategy worked: unchosen until the SENCO decides.
    let strategies: Vec<(String, RwSignal<Option<bool>>)> = plan
        .strategies
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let worked = plan
                .review
                .as_ref()
                .and_then(|r| r.strategies_worked.get(i).copied());
            (s.clone(), RwSignal::new(worked))
        })
        .collect();
    let problems = RwSignal::new(Vec::<Problem>::new());
    let original = StoredValue::new(plan.clone());

    let submit = {
        let id = id.clone();
        let outcomes = outcomes.clone();
        let strategies = strategies.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let mut found = Vec::new();
            let held = parse_date(&held_on.get_untracked());
            if held.is_none() {
                found.push((
                    "review-held".to_string(),
                    "Enter the date of the review as day/month/year, for example 20/11/2026."
                        .to_string(),
                ));
            }
            let mut reviewed = Vec::new();
            for (i, (text, progress, evidence)) in outcomes.iter().enumerate() {
                match Progress::from_code(&progress.get_untracked()) {
                    Some(p) => reviewed.push(OutcomeReview {
                        progress: p,
                        evidence: evidence.get_untracked().trim().to_string(),
                    }),
                    None => found.push((
                        format!("progress-{i}-not_achieved"),
                        format!("Choose the progress on outcome {}: {text}", i + 1),
                    )),
                }
            }
            let mut worked = Vec::new();
            for (i, (text, choice)) in strategies.iter().enumerate() {
                match choice.get_untracked() {
                    Some(w) => worked.push(w),
                    None => found.push((
                        format!("worked-{i}-yes"),
                        format!("Say whether strategy {} worked: {text}", i + 1),
                    )),
                }
            }
            if !found.is_empty() {
                problems.set(found);
                return;
            }
            let Some(held) = held else { return };
            let review = Review {
                held_on: held,
                attended: attended.get_untracked().trim().to_string(),
                parents_attended: parents_attended.get_untracked(),
                outcomes: reviewed,
                strategies_worked: worked,
                pupil_views: pupil_views.get_untracked().trim().to_string(),
                parent_views: parent_views.get_untracked().trim().to_string(),
                next_steps: next_steps.get_untracked().trim().to_string(),
                recorded_at: chrono::Utc::now(),
            };
            let why = reason.get_untracked();
            save_plan_change(
                app,
                &id,
                cycle,
                original,
                |current, by| {
                    if correcting {
                        let mut corrected = current.clone();
                        // The review keeps when it was first recorded; the correction says when.
                        let first_recorded = current.review.as_ref().map(|r| r.recorded_at);
                        corrected.review = Some(Review {
                            recorded_at: first_recorded.unwrap_or(review.recorded_at),
                            ..review.clone()
                        });
                        current.correct(corrected, &why, by, chrono::Utc::now())
                    } else {
                        current.review(review.clone(), today())
                    }
                },
                move |result| match result {
                    Ok(()) => {
                        problems.set(Vec::new());
                        app.notice.set(Some(Notice::info(if correcting {
                            format!("The correction to the review of plan {cycle} is recorded.")
                        } else {
                            format!("Plan {cycle} is reviewed and its cycle is closed.")
                        })));
                        on_done.run(());
                    }
                    Err(refused) => {
                        let field = match refused.rule {
                            Some(PlanError::Field(PlanField::HeldOn, _)) => {
                                "review-held".to_string()
                            }
                            Some(PlanError::Field(PlanField::Attended, _)) => {
                                "review-attended".to_string()
                            }
                            Some(PlanError::Field(PlanField::Reason, _)) => {
                                "review-reason".to_string()
                            }
                            Some(PlanError::Field(PlanField::OutcomeProgress(i), _)) => {
                                format!("progress-{i}-not_achieved")
                            }
                            _ => String::new(),
                        };
                        problems.set(vec![(field, refused.message)]);
                    }
                },
            );
        }
    };

    view! {
        <h1 tabindex="-1">{heading}</h1>
        {(!correcting).then(|| view! {
            <p class="lead">"Saving the review closes this cycle. The next plan can then start from it, carrying forward the outcomes not yet achieved and the strategies that worked."</p>
        })}
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            {correcting.then(|| view! {
                <TextArea limit=crate::domain::plan::MAX_PLAN_TEXT id="review-reason" label="Why is the review being corrected?" value=reason
                    error=error_for(problems, "review-reason")/>
            })}
            <TextField date=true id="review-held" label="Date of the review" value=held_on error=error_for(problems, "review-held")/>
            <TextField id="review-attended" label="Who attended" value=attended
                hint="Names and roles, for example: Mrs Patel (mum), Miss Jones (class teacher), SENCO"
                error=error_for(problems, "review-attended")/>
            <CheckField id="review-parents" label="Parents or carers attended" checked=parents_attended/>
            <crate::ui::provisions::PlanProvisionEvidence pupil=file.pupil.id.clone() cycle=cycle/>
            <crate::ui::referral_page::FromReports file=file.clone() plan_id=plan.id.clone()/>
            <h2>"Progress on each outcome"</h2>
            {outcomes.into_iter().enumerate().map(|(i, (text, progress, evidence))| {
                let error = error_for(problems, format!("progress-{i}-not_achieved"));
                view! {
                    <fieldset class="field" class:field--error=move || error.with(|e| e.is_some())>
                        <legend>{format!("Outcome {}: {text}", i + 1)}</legend>
                        {move || error.get().map(|m| view! { <p class="field-error"><span class="visually-hidden">"Error: "</span>{m}</p> })}
                        <div class="radios">
                            {Progress::ALL.into_iter().map(|p| {
                                let radio_id = format!("progress-{i}-{}", p.code());
                                view! {
                                    <div class="choice">
                                        <input type="radio" autocomplete="off" id=radio_id.clone() name=format!("progress-{i}") value=p.code()
                                            prop:checked=move || progress.with(|v| v == p.code())
                                            on:change=move |_| progress.set(p.code().to_string())/>
                                        <label for=radio_id>{p.to_string()}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                        <TextArea limit=crate::domain::plan::MAX_PLAN_TEXT id=format!("progress-{i}-evidence") label=format!("Evidence for outcome {}", i + 1) value=evidence/>
                    </fieldset>
                }
            }).collect_view()}
            {(!strategies.is_empty()).then(|| view! {
                <h2>"Did each strategy work?"</h2>
                <p class="hint">"The strategies that worked are carried into the next plan."</p>
                {strategies.iter().enumerate().map(|(i, (text, worked))| {
                    let worked = *worked;
                    let error = error_for(problems, format!("worked-{i}-yes"));
                    view! {
                        <fieldset class="field" class:field--error=move || error.with(|e| e.is_some())>
                            <legend>{format!("Strategy {}: {text}", i + 1)}</legend>
                            {move || error.get().map(|m| view! { <p class="field-error"><span class="visually-hidden">"Error: "</span>{m}</p> })}
                            <div class="radios">
                                {[(true, "yes", "Worked"), (false, "no", "Did not work")].into_iter().map(|(value, code, label)| {
                                    let radio_id = format!("worked-{i}-{code}");
                                    view! {
                                        <div class="choice">
                                            <input type="radio" autocomplete="off" id=radio_id.clone() name=format!("worked-{i}") value=code
                                                prop:checked=move || worked.get() == Some(value)
                                                on:change=move |_| worked.set(Some(value))/>
                                            <label for=radio_id>{label}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                        </fieldset>
                    }
                }).collect_view()}
            })}
            <TextArea limit=crate::domain::plan::MAX_PLAN_TEXT id="review-pupil-views" label="The pupil's views" value=pupil_views/>
            <TextArea limit=crate::domain::plan::MAX_PLAN_TEXT id="review-parent-views" label="Parents' views" value=parent_views/>
            <TextArea limit=crate::domain::plan::MAX_PLAN_TEXT id="review-next-steps" label="Next steps" value=next_steps/>
            <div class="button-group">
                <button type="submit" class="button">{if correcting { "Record the correction" } else { "Save the review and close the cycle" }}</button>
                <button type="button" class="button button--secondary" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
