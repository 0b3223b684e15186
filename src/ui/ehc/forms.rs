//! The EHC forms: a needs assessment request, the plan, scheduling a review and recording
//! it. Each keeps what was typed when a save fails, with the problem beside its field.

use crate::domain::dates::format_uk;
use crate::domain::ehc::exception::ExceptionKind;
use crate::domain::ehc::forms::{FieldProblem, PlanText, RequestText, ReviewText};
use crate::domain::ehc::plan::PlanOutcomeE;
use crate::domain::ehc::record::MAX_EHC_TEXT;
use crate::domain::ehc::review::{covers_adulthood, AnnualReview};
use crate::domain::plan::Correction;
use crate::domain::PupilFile;
use crate::ui::drafts::FormDraft;
use crate::ui::form::{
    error_for, today, CheckField, ErrorSummary, Problem, SelectField, TextArea, TextField,
};
use crate::ui::pupil_page::save_change;
use crate::ui::state::{use_app, AppState, Notice};
use leptos::prelude::*;

fn next_case_number(app: AppState) -> u32 {
    app.session
        .with_untracked(|s| s.as_ref().map(|o| o.desk.next_case_number()))
        .unwrap_or(1)
}

fn school_name(app: AppState) -> String {
    app.settings().map(|s| s.school_name).unwrap_or_default()
}

fn options(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(v, l)| (v.to_string(), l.to_string()))
        .collect()
}

/// Saves a change to the file, then leaves the form with a message; a refusal stays on
/// the form beside its field (or at the top).
fn save(
    app: AppState,
    file: &PupilFile,
    problems: RwSignal<Vec<Problem>>,
    saving: RwSignal<bool>,
    change: impl FnOnce(&mut PupilFile) -> Result<(), String> + 'static,
    message: String,
    on_done: Callback<()>,
) {
    saving.set(true);
    save_change(app, &file.pupil.id, change, move |result| {
        saving.set(false);
        match result {
            Ok(()) => {
                problems.set(Vec::new());
                app.notice.set(Some(Notice::info(message)));
                on_done.run(());
            }
            Err(e) => problems.set(vec![(String::new(), e)]),
        }
    });
}

fn show(problems: RwSignal<Vec<Problem>>, found: Vec<FieldProblem>) {
    problems.set(found);
}

#[component]
pub fn RequestForm(
    file: PupilFile,
    request: Option<String>,
    on_done: Callback<()>,
) -> impl IntoView {
    let app = use_app();
    FormDraft::provide("ehc-request");
    let base = request.and_then(|id| file.ehc.requests.iter().find(|r| r.id == id).cloned());
    let text = base
        .as_ref()
        .map(RequestText::of)
        .unwrap_or_else(|| RequestText {
            made_by: "school".into(),
            received: format_uk(today()),
            ..RequestText::default()
        });
    let f = |s: &String| RwSignal::new(s.clone());
    let made_by = f(&text.made_by);
    let made_by_other = f(&text.made_by_other);
    let la = f(&text.local_authority);
    let received = f(&text.received);
    let evidence = f(&text.evidence);
    // Reviewed support plans, each offered as evidence (ticked where already sent).
    let plan_choices: Vec<(String, String, RwSignal<bool>)> = file
        .plans
        .iter()
        .filter_map(|p| {
            let review = p.review.as_ref()?;
            let what = format!(
                "Support plan {} and its review (reviewed {})",
                p.cycle,
                format_uk(review.held_on)
            );
            let sent = text.linked_plans.iter().any(|(id, _)| *id == p.id);
            Some((p.id.clone(), what, RwSignal::new(sent)))
        })
        .collect();
    let decided = f(&text.decided);
    let decided_on = f(&text.decided_on);
    let advice_asked = f(&text.advice_asked);
    let advice_sent = f(&text.advice_sent);
    let not_to_issue = f(&text.not_to_issue);
    let draft_issued = f(&text.draft_issued);
    let final_issued = f(&text.final_issued);
    let closed = f(&text.closed);
    let dispute = RwSignal::new(text.dispute);
    let mediation = f(&text.mediation);
    let exception_kind = RwSignal::new(String::new());
    let exception_reason = RwSignal::new(String::new());
    let exception_from = RwSignal::new(String::new());
    let exception_to = RwSignal::new(String::new());
    let problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let is_new = base.is_none();
    let submit = {
        let file = file.clone();
        let plan_choices = plan_choices.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if saving.get_untracked() {
                return;
            }
            let typed = RequestText {
                made_by: made_by.get_untracked(),
                made_by_other: made_by_other.get_untracked(),
                local_authority: la.get_untracked(),
                received: received.get_untracked(),
                evidence: evidence.get_untracked(),
                linked_plans: plan_choices
                    .iter()
                    .filter(|(_, _, ticked)| ticked.get_untracked())
                    .map(|(id, what, _)| (id.clone(), what.clone()))
                    .collect(),
                decided: decided.get_untracked(),
                decided_on: decided_on.get_untracked(),
                advice_asked: advice_asked.get_untracked(),
                advice_sent: advice_sent.get_untracked(),
                not_to_issue: not_to_issue.get_untracked(),
                draft_issued: draft_issued.get_untracked(),
                final_issued: final_issued.get_untracked(),
                closed: closed.get_untracked(),
                dispute: dispute.get_untracked(),
                mediation: mediation.get_untracked(),
                exception_kind: exception_kind.get_untracked(),
                exception_reason: exception_reason.get_untracked(),
                exception_from: exception_from.get_untracked(),
                exception_to: exception_to.get_untracked(),
            };
            let request = match typed.apply(base.as_ref()) {
                Ok(r) => r,
                Err(found) => return show(problems, found),
            };
            let final_now = request.final_issued.is_some()
                && base.as_ref().is_none_or(|b| b.final_issued.is_none());
            let number = next_case_number(app);
            let school = school_name(app);
            let message = if final_now {
                "The request is saved. The final plan is recorded: the SEN status history has E from its date, and the plan is started below for its details.".to_string()
            } else {
                "The request is saved.".to_string()
            };
            save(
                app,
                &file,
                problems,
                saving,
                move |f| {
                    f.open_ehc_case(number);
                    f.put_ehc_request(request, &school, chrono::Utc::now())
                },
                message,
                on_done,
            );
        }
    };
    let kinds = std::iter::once((String::new(), "None".to_string()))
        .chain(
            ExceptionKind::ALL
                .iter()
                .map(|k| (k.code().to_string(), k.to_string())),
        )
        .collect::<Vec<_>>();
    view! {
        <h1 tabindex="-1">{if is_new { "Record a needs assessment request" } else { "Update the needs assessment request" }}</h1>
        <form on:submit=submit novalidate>
            <ErrorSummary problems=problems/>
            <SelectField id="req-made-by" label="Who made the request" value=made_by
                options=options(&[("school", "The school"), ("parent", "A parent"), ("other", "Someone else")])
                error=error_for(problems, "req-made-by")/>
            <TextField id="req-made-by-other" label="Who, if someone else" value=made_by_other error=error_for(problems, "req-made-by-other")/>
            <TextField id="req-la" label="Local authority" value=la error=error_for(problems, "req-la")/>
            <TextField id="req-received" label="Date the local authority received it" value=received date=true error=error_for(problems, "req-received")
                hint="Every statutory date counts from this day."/>
            {(!plan_choices.is_empty()).then(|| view! {
                <fieldset>
                    <legend>"Support plans sent as evidence"</legend>
                    {plan_choices.iter().map(|(id, what, ticked)| view! {
                        <CheckField id=format!("req-plan-{id}") label=what.clone() checked=*ticked/>
                    }).collect_view()}
                </fieldset>
            })}
            <TextArea id="req-evidence" label="Other evidence sent" value=evidence limit=MAX_EHC_TEXT
                hint="One piece a line, for example: Educational psychologist's report, March 2026" error=error_for(problems, "req-evidence")/>
            <fieldset>
                <legend>"Steps, each with its date as it happens"</legend>
                <SelectField id="req-decided" label="Will the local authority assess?" value=decided
                    options=options(&[("", "Not decided yet"), ("yes", "Yes, it will assess"), ("no", "No, it refused to assess")])
                    error=error_for(problems, "req-decided")/>
                <TextField id="req-decided-on" label="Date of the decision to assess or not" value=decided_on date=true error=error_for(problems, "req-decided-on")/>
                <TextField id="req-advice-asked" label="Date the school was asked for advice" value=advice_asked date=true error=error_for(problems, "req-advice-asked")
                    hint="The school has 6 weeks to reply."/>
                <TextField id="req-advice-sent" label="Date the school sent its advice" value=advice_sent date=true error=error_for(problems, "req-advice-sent")/>
                <TextField id="req-not-to-issue" label="Date of a decision not to issue a plan" value=not_to_issue date=true error=error_for(problems, "req-not-to-issue")/>
                <TextField id="req-draft-issued" label="Date the draft plan was issued" value=draft_issued date=true error=error_for(problems, "req-draft-issued")
                    hint="Parents have 15 days, the day it is served included, to comment."/>
                <TextField id="req-final-issued" label="Date the final plan was issued" value=final_issued date=true error=error_for(problems, "req-final-issued")
                    hint="Saving this puts E in the pupil's SEN status history from this date."/>
                <TextField id="req-closed" label="Date the request was closed" value=closed date=true error=error_for(problems, "req-closed")/>
            </fieldset>
            <fieldset>
                <legend>"Appeals"</legend>
                <p class="hint">"A refusal to assess or to issue a plan shows its appeal deadline without anything more here."</p>
                <CheckField id="req-dispute" label="The parents dispute the final plan's content" checked=dispute/>
                {move || error_for(problems, "req-dispute").get().map(|e| view! { <p class="field-error">{e}</p> })}
                <TextField id="req-mediation" label="Date of a mediation certificate" value=mediation date=true error=error_for(problems, "req-mediation")
                    hint="An appeal is due 2 months from the decision or 1 month after this, whichever is later."/>
            </fieldset>
            <fieldset>
                <legend>"Add an exception to the time limits"</legend>
                <p class="hint">"A school closure of 4 weeks or more (the summer holiday, not Christmas or Easter), exceptional personal circumstances, or absence from the area of 4 weeks or more. The timeline then says the limit does not apply."</p>
                <SelectField id="req-exception-kind" label="Exception" value=exception_kind options=kinds error=error_for(problems, "req-exception-kind")/>
                <TextField id="req-exception-reason" label="Why it applies" value=exception_reason error=error_for(problems, "req-exception-reason")/>
                <TextField id="req-exception-from" label="First day it covers" value=exception_from date=true error=error_for(problems, "req-exception-from")/>
                <TextField id="req-exception-to" label="Last day it covers" value=exception_to date=true error=error_for(problems, "req-exception-to")/>
            </fieldset>
            <div class="button-group">
                <button type="submit" class="button" disabled=move || saving.get()>"Save the request"</button>
                <button type="button" class="button button--secondary" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

#[component]
pub fn PlanForm(file: PupilFile, plan: Option<String>, on_done: Callback<()>) -> impl IntoView {
    let app = use_app();
    FormDraft::provide("ehc-plan");
    let base = plan.and_then(|id| file.ehc.plans.iter().find(|p| p.id == id).cloned());
    let text = base.as_ref().map(PlanText::of).unwrap_or_else(|| PlanText {
        named_school: school_name(app),
        ..PlanText::default()
    });
    let f = |s: &String| RwSignal::new(s.clone());
    let la = f(&text.local_authority);
    let officer = f(&text.case_officer);
    let issued = f(&text.issued);
    let school = f(&text.named_school);
    let cycle = f(&text.under_five_months);
    let funding = f(&text.funding);
    let budget = RwSignal::new(text.personal_budget);
    let sixth = RwSignal::new(text.staying_for_sixth_form);
    let amendments = f(&text.amendments);
    let needs = f(&text.needs);
    let outcomes = f(&text.outcomes);
    let provision = f(&text.provision);
    let ceased = f(&text.ceased);
    let problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let submit = {
        let file = file.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if saving.get_untracked() {
                return;
            }
            let typed = PlanText {
                local_authority: la.get_untracked(),
                case_officer: officer.get_untracked(),
                issued: issued.get_untracked(),
                named_school: school.get_untracked(),
                under_five_months: cycle.get_untracked(),
                funding: funding.get_untracked(),
                personal_budget: budget.get_untracked(),
                staying_for_sixth_form: sixth.get_untracked(),
                amendments: amendments.get_untracked(),
                needs: needs.get_untracked(),
                outcomes: outcomes.get_untracked(),
                provision: provision.get_untracked(),
                ceased: ceased.get_untracked(),
            };
            let plan = match typed.apply(base.as_ref()) {
                Ok(p) => p,
                Err(found) => return show(problems, found),
            };
            let number = next_case_number(app);
            save(
                app,
                &file,
                problems,
                saving,
                move |f| {
                    f.open_ehc_case(number);
                    f.put_ehc_plan(plan, chrono::Utc::now())
                },
                "The EHC plan is saved.".into(),
                on_done,
            );
        }
    };
    view! {
        <h1 tabindex="-1">"The EHC plan"</h1>
        <form on:submit=submit novalidate>
            <ErrorSummary problems=problems/>
            <TextField id="plan-local-authority" label="Local authority" value=la error=error_for(problems, "plan-local-authority")/>
            <TextField id="plan-officer" label="Case officer" value=officer error=error_for(problems, "plan-officer")/>
            <TextField id="plan-issued" label="Date the plan was issued" value=issued date=true error=error_for(problems, "plan-issued")/>
            <TextArea id="plan-amendments" label="Amendments" value=amendments limit=MAX_EHC_TEXT error=error_for(problems, "plan-amendments")
                hint="One a line: the date of the amended plan, a bar, the sections changed. For example: 02/06/2027 | B, F"/>
            <TextField id="plan-named-school" label="Named school (section I)" value=school error=error_for(problems, "plan-named-school")/>
            <TextField id="plan-cycle" label="Months between reviews for a child under 5" value=cycle error=error_for(problems, "plan-cycle")
                hint="3 to 6; blank for 6. From age 5 a plan is reviewed every 12 months."/>
            <TextArea id="plan-funding" label="Top-up funding" value=funding limit=MAX_EHC_TEXT error=error_for(problems, "plan-funding")
                hint="One a line: the date it starts, a bar, the amount a year or the band. For example: 01/04/2027 | £6,000 or 01/04/2027 | Band C"/>
            <CheckField id="plan-budget" label="Personal budget" checked=budget/>
            <CheckField id="plan-sixth" label="Staying on into the school's own sixth form (not a phase transfer)" checked=sixth/>
            <TextArea id="plan-needs" label="Section B: needs, in summary" value=needs limit=MAX_EHC_TEXT error=error_for(problems, "plan-needs")/>
            <TextArea id="plan-outcomes" label="Section E: outcomes" value=outcomes limit=MAX_EHC_TEXT error=error_for(problems, "plan-outcomes")
                hint="One a line: the outcome, a bar, its time scale. For example: Reads 100 common words | End of Year 3"/>
            <TextArea id="plan-provision" label="Section F: provision" value=provision limit=MAX_EHC_TEXT error=error_for(problems, "plan-provision")
                hint="One a line: what | minutes a week | how often | by whom. For example: Speech and language programme | 90 | 3 times a week | Trained TA"/>
            <TextField id="plan-ceased" label="Date the plan ceased" value=ceased date=true error=error_for(problems, "plan-ceased")/>
            <div class="button-group">
                <button type="submit" class="button" disabled=move || saving.get()>"Save the EHC plan"</button>
                <button type="button" class="button button--secondary" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

#[component]
pub fn ScheduleReview(file: PupilFile, on_done: Callback<()>) -> impl IntoView {
    let app = use_app();
    FormDraft::provide("ehc-schedule");
    let suggested = file
        .ehc
        .next_review_due(file.pupil.date_of_birth)
        .map(format_uk)
        .unwrap_or_default();
    let meeting = RwSignal::new(suggested.clone());
    let problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let submit = {
        let file = file.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if saving.get_untracked() {
                return;
            }
            let Some(on) = crate::domain::dates::parse_date(meeting.get_untracked().trim()) else {
                return problems.set(vec![(
                    "rev-schedule".into(),
                    "Enter the meeting date as day/month/year, for example 10/03/2027.".into(),
                )]);
            };
            let review = AnnualReview::new(on);
            save(
                app,
                &file,
                problems,
                saving,
                move |f| f.put_ehc_review(review, chrono::Utc::now(), today()),
                format!(
                    "The annual review is scheduled for {}. Its checklist is below.",
                    format_uk(on)
                ),
                on_done,
            );
        }
    };
    view! {
        <h1 tabindex="-1">"Schedule an annual review"</h1>
        <form on:submit=submit novalidate>
            <ErrorSummary problems=problems/>
            <TextField id="rev-schedule" label="Meeting date" value=meeting date=true error=error_for(problems, "rev-schedule")
                hint=format!("The review is due by {suggested}. The checklist is worked back from the meeting: advice, invitations and papers.")/>
            <div class="button-group">
                <button type="submit" class="button" disabled=move || saving.get()>"Schedule the review"</button>
                <button type="button" class="button button--secondary" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

#[component]
pub fn ReviewForm(file: PupilFile, review: String, on_done: Callback<()>) -> impl IntoView {
    let app = use_app();
    FormDraft::provide("ehc-review");
    let Some(base) = file.ehc.reviews.iter().find(|r| r.id == review).cloned() else {
        return view! { <p>"That review is no longer on this desk."</p> }.into_any();
    };
    let outcomes: Vec<PlanOutcomeE> = file
        .ehc
        .current_plan()
        .map(|p| p.outcomes.clone())
        .unwrap_or_default();
    // A review recorded once is corrected only with a reason, like a support plan; the
    // local authority's decision, coming later, is added without one.
    let recorded = base.recommendation.is_some();
    let text = ReviewText::of(&base, &outcomes);
    let f = |s: &String| RwSignal::new(s.clone());
    let meeting = f(&text.meeting);
    let invited = f(&text.invited);
    let pupil_views = f(&text.pupil_views);
    let parent_views = f(&text.parent_views);
    let progress: Vec<RwSignal<String>> = text.progress.iter().map(f).collect();
    let delivered = f(&text.provision_delivered);
    let changed = f(&text.what_has_changed);
    let adulthood = f(&text.preparing_for_adulthood);
    let recommendation = f(&text.recommendation);
    let why = f(&text.recommendation_why);
    let la_decision = f(&text.la_decision);
    let la_decided_on = f(&text.la_decided_on);
    let proposed = f(&text.amendments_proposed);
    let reason = RwSignal::new(String::new());
    let problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let year_9 = covers_adulthood(file.pupil.year_group);
    let by = app
        .session
        .with_untracked(|s| s.as_ref().map(|o| o.unlocked_with().to_string()))
        .unwrap_or_default();
    let submit = {
        let file = file.clone();
        let outcomes = outcomes.clone();
        let progress = progress.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if saving.get_untracked() {
                return;
            }
            let typed = ReviewText {
                meeting: meeting.get_untracked(),
                invited: invited.get_untracked(),
                pupil_views: pupil_views.get_untracked(),
                parent_views: parent_views.get_untracked(),
                progress: progress.iter().map(|p| p.get_untracked()).collect(),
                provision_delivered: delivered.get_untracked(),
                what_has_changed: changed.get_untracked(),
                preparing_for_adulthood: adulthood.get_untracked(),
                recommendation: recommendation.get_untracked(),
                recommendation_why: why.get_untracked(),
                la_decision: la_decision.get_untracked(),
                la_decided_on: la_decided_on.get_untracked(),
                amendments_proposed: proposed.get_untracked(),
            };
            let mut found = Vec::new();
            let mut next = match typed.apply(&base, &outcomes, today()) {
                Ok(r) => r,
                Err(problems) => {
                    found = problems;
                    base.clone()
                }
            };
            let without_decision = |r: &AnnualReview| AnnualReview {
                la_decision: None,
                edited_at: None,
                ..r.clone()
            };
            let correcting = recorded && without_decision(&next) != without_decision(&base);
            if correcting && reason.get_untracked().trim().is_empty() {
                found.push((
                    "rev-reason".into(),
                    "Say why the recorded review is corrected.".into(),
                ));
            }
            if !found.is_empty() {
                return show(problems, found);
            }
            if next == base {
                return on_done.run(());
            }
            if correcting {
                next.corrections.push(Correction {
                    at: chrono::Utc::now(),
                    by: by.clone(),
                    reason: reason.get_untracked().trim().to_string(),
                    what: "annual review".into(),
                });
            }
            // Meeting with a recommendation: the meeting was held on its date.
            if next.recommendation.is_some() && !next.is_held() && next.meeting <= today() {
                next.tick(
                    crate::domain::ehc::review_dates::ReviewStep::Meeting,
                    next.meeting,
                );
            }
            save(
                app,
                &file,
                problems,
                saving,
                move |f| f.put_ehc_review(next, chrono::Utc::now(), today()),
                if correcting {
                    "The correction to the review is recorded.".into()
                } else {
                    "The review is saved.".into()
                },
                on_done,
            );
        }
    };
    let choices = options(&[
        ("", "Not yet"),
        ("keep", "Keep the plan as it is"),
        ("amend", "Amend the plan"),
        ("cease", "Cease the plan"),
    ]);
    view! {
        <h1 tabindex="-1">{if recorded { "Update the annual review" } else { "Record the annual review" }}</h1>
        <form on:submit=submit novalidate>
            <ErrorSummary problems=problems/>
            <TextField id="rev-meeting" label="Meeting date" value=meeting date=true error=error_for(problems, "rev-meeting")/>
            <TextArea id="rev-invited" label="Who was invited, and who attended" value=invited limit=MAX_EHC_TEXT error=error_for(problems, "rev-invited")
                hint="One person a line: name | role | attended. Roles: parent, pupil, school, local authority, health, social care, other. For example: Mrs Hughes | parent | attended"/>
            <TextArea id="rev-pupil-views" label="The pupil's views" value=pupil_views limit=MAX_EHC_TEXT error=error_for(problems, "rev-pupil-views")/>
            <TextArea id="rev-parent-views" label="Parents' views" value=parent_views limit=MAX_EHC_TEXT error=error_for(problems, "rev-parent-views")/>
            {(!outcomes.is_empty()).then(|| view! {
                <fieldset>
                    <legend>"Progress towards each section E outcome"</legend>
                    {outcomes.iter().zip(progress.iter()).enumerate().map(|(n, (o, p))| view! {
                        <TextArea id=format!("rev-outcome-{n}") label=format!("Progress: {}", o.outcome) value=*p limit=MAX_EHC_TEXT/>
                    }).collect_view()}
                </fieldset>
            })}
            <TextArea id="rev-delivered" label="Section F provision delivered" value=delivered limit=MAX_EHC_TEXT error=error_for(problems, "rev-delivered")/>
            <TextArea id="rev-changed" label="What has changed" value=changed limit=MAX_EHC_TEXT error=error_for(problems, "rev-changed")/>
            <TextArea id="rev-adulthood" label="Preparing for adulthood" value=adulthood limit=MAX_EHC_TEXT error=error_for(problems, "rev-adulthood")
                hint=if year_9 { "From Year 9 every review covers preparation for adulthood: employment, independent living, friends and community, good health." } else { "Required from Year 9; optional before." }/>
            <SelectField id="rev-recommendation" label="The school's recommendation" value=recommendation options=choices.clone() error=error_for(problems, "rev-recommendation")/>
            <TextArea id="rev-why" label="Sections to amend and why, or why the plan should cease" value=why limit=MAX_EHC_TEXT error=error_for(problems, "rev-why")/>
            <fieldset>
                <legend>"The local authority's decision, when it comes"</legend>
                <SelectField id="rev-la-decision" label="Decision" value=la_decision options=choices error=error_for(problems, "rev-la-decision")/>
                <TextField id="rev-la-decided-on" label="Date of the decision" value=la_decided_on date=true error=error_for(problems, "rev-la-decided-on")/>
                <TextField id="rev-amendments-proposed" label="Date the proposed amendments were sent" value=proposed date=true error=error_for(problems, "rev-amendments-proposed")
                    hint="The amended final plan is due 8 weeks after this, and no later than 12 weeks after the meeting."/>
            </fieldset>
            {recorded.then(|| view! {
                <TextField id="rev-reason" label="Reason for a correction" value=reason error=error_for(problems, "rev-reason")
                    hint="Needed only if you change what the meeting recorded; kept with the review, with the date and who made it. The local authority's decision is added without one."/>
            })}
            <div class="button-group">
                <button type="submit" class="button" disabled=move || saving.get()>"Save the review"</button>
                <button type="button" class="button button--secondary" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
    .into_any()
}
