//! One-page prints: the timeline of a request (for the parents or a complaint) and the
//! annual review report.

use crate::domain::dates::format_uk;
use crate::domain::PupilFile;
use crate::ui::form::today;
use crate::ui::plan_page::PrintHeader;
use crate::ui::state::use_app;
use leptos::prelude::*;

fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

fn or_none(text: &str) -> String {
    if text.trim().is_empty() {
        "Not recorded".into()
    } else {
        text.to_string()
    }
}

#[component]
fn PrintButtons(on_done: Callback<()>) -> impl IntoView {
    view! {
        <div class="button-group no-print">
            <button type="button" class="button" on:click=move |_| print_page()>"Print"</button>
            <button type="button" class="button button--secondary" on:click=move |_| on_done.run(())>"Back to the case"</button>
        </div>
    }
}

#[component]
pub fn RequestTimeline(file: PupilFile, request: String, on_done: Callback<()>) -> impl IntoView {
    let app = use_app();
    let Some(request) = file.ehc.requests.iter().find(|r| r.id == request).cloned() else {
        return view! { <p>"That request is no longer on this desk."</p> }.into_any();
    };
    let name = crate::ui::names::page_name(app, &file);
    let today = today();
    let timeline = request.dates().timeline(&request.exceptions, today);
    let late = request.dates().days_late(&request.exceptions, today);
    view! {
        <PrintHeader/>
        <PrintButtons on_done=on_done/>
        <h1 tabindex="-1">{format!("Timeline of this request: {name}")}</h1>
        <p>{format!("EHC needs assessment request made by {}, received by {} on {}.", request.made_by.to_string().to_lowercase(), request.local_authority, format_uk(request.received))}</p>
        {(late > 0).then(|| view! {
            <p><strong>{format!("The local authority is {} past a statutory limit.", crate::domain::text::count(late as usize, "day"))}</strong></p>
        })}
        <table class="table">
            <thead><tr><th scope="col">"Step"</th><th scope="col">"Due by law"</th><th scope="col">"What happened"</th></tr></thead>
            <tbody>
                <tr><td>"Request received"</td><td>{format_uk(request.received)}</td><td>"Received"</td></tr>
                {timeline.into_iter().map(|s| view! {
                    <tr><td>{s.what}</td><td>{format_uk(s.due)}</td><td>{s.standing.describe()}
                        {match s.standing { crate::domain::ehc::Standing::Done { on, .. } => format!(" ({})", format_uk(on)), _ => String::new() }}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
        {(!request.exceptions.is_empty()).then(|| view! {
            <h2>"Exceptions to the time limits"</h2>
            <ul>{request.exceptions.iter().map(|e| view! {
                <li>{format!("{}: {} ({} to {})", e.kind, e.reason, format_uk(e.from), format_uk(e.to))}</li>
            }).collect_view()}</ul>
        })}
        {(!request.appeals.is_empty()).then(|| view! {
            <h2>"Appeals"</h2>
            <ul>{request.appeals.iter().map(|a| view! {
                <li>{format!("{} on {}: the last day to appeal is {}", a.decision, format_uk(a.decided_on), format_uk(a.deadline()))}</li>
            }).collect_view()}</ul>
        })}
        <p class="hint">"Limits from the SEND Regulations 2014: a decision whether to assess within 6 weeks of the request, a decision not to issue within 16 weeks, the final plan within 20 weeks; advice within 6 weeks of being asked; parents' comments on a draft within 15 days."</p>
    }
    .into_any()
}

#[component]
pub fn ReviewReport(file: PupilFile, review: String, on_done: Callback<()>) -> impl IntoView {
    let app = use_app();
    let Some(review) = file.ehc.reviews.iter().find(|r| r.id == review).cloned() else {
        return view! { <p>"That review is no longer on this desk."</p> }.into_any();
    };
    let name = crate::ui::names::page_name(app, &file);
    let plan = file.ehc.current_plan().cloned();
    let dob = file
        .pupil
        .date_of_birth
        .map(format_uk)
        .unwrap_or_else(|| "Not recorded".into());
    let attended: Vec<_> = review.invited.iter().filter(|i| i.attended).collect();
    let absent: Vec<_> = review.invited.iter().filter(|i| !i.attended).collect();
    let person = |i: &&crate::domain::ehc::review::Invitee| format!("{} ({})", i.name, i.role);
    view! {
        <PrintHeader/>
        <PrintButtons on_done=on_done/>
        <article class="review-report">
            <h1 tabindex="-1">{format!("EHC plan annual review report: {name}")}</h1>
            <dl class="summary-list">
                <dt>"Date of birth"</dt><dd>{dob}</dd>
                <dt>"Year group"</dt><dd>{file.pupil.year_group.to_string()}</dd>
                <dt>"Meeting"</dt><dd>{format_uk(review.meeting)}</dd>
                <dt>"Local authority"</dt><dd>{plan.as_ref().map(|p| p.local_authority.clone()).unwrap_or_default()}</dd>
                <dt>"Plan issued"</dt><dd>{plan.as_ref().map(|p| format_uk(p.issued)).unwrap_or_default()}</dd>
            </dl>
            <h2>"Who attended"</h2>
            <p>{if attended.is_empty() { "Not recorded".to_string() } else { attended.iter().map(person).collect::<Vec<_>>().join("; ") }}</p>
            {(!absent.is_empty()).then(|| view! {
                <p>{format!("Invited but did not attend: {}", absent.iter().map(person).collect::<Vec<_>>().join("; "))}</p>
            })}
            <h2>"The pupil's views"</h2><p class="prose">{or_none(&review.pupil_views)}</p>
            <h2>"Parents' views"</h2><p class="prose">{or_none(&review.parent_views)}</p>
            <h2>"Progress towards the outcomes (section E)"</h2>
            {if review.outcomes.is_empty() {
                view! { <p>"Not recorded"</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th scope="col">"Outcome"</th><th scope="col">"Progress"</th></tr></thead>
                        <tbody>{review.outcomes.iter().map(|o| view! { <tr><td>{o.outcome.clone()}</td><td class="prose">{o.progress.clone()}</td></tr> }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
            <h2>"Provision delivered (section F)"</h2><p class="prose">{or_none(&review.provision_delivered)}</p>
            <h2>"What has changed"</h2><p class="prose">{or_none(&review.what_has_changed)}</p>
            {(covers_adulthood_or_written(&file, &review.preparing_for_adulthood)).then(|| view! {
                <h2>"Preparing for adulthood"</h2><p class="prose">{or_none(&review.preparing_for_adulthood)}</p>
            })}
            <h2>"Recommendation"</h2>
            <p>{review.recommendation.map(|r| r.to_string()).unwrap_or_else(|| "Not recorded".into())}</p>
            {(!review.recommendation_why.is_empty()).then(|| view! { <p class="prose">{review.recommendation_why.clone()}</p> })}
            {review.la_decision.as_ref().map(|d| view! {
                <h2>"The local authority's decision"</h2>
                <p>{format!("{} on {}", d.decision, format_uk(d.on))}</p>
            })}
            {(!review.corrections.is_empty()).then(|| view! {
                <h2>"Corrections"</h2>
                <ul>{review.corrections.iter().map(|c| view! {
                    <li>{format!("{} by {}: {}", c.at.with_timezone(&chrono::Local).format("%d/%m/%Y"), c.by, c.reason)}</li>
                }).collect_view()}</ul>
            })}
        </article>
    }
    .into_any()
}

fn covers_adulthood_or_written(file: &PupilFile, written: &str) -> bool {
    crate::domain::ehc::review::covers_adulthood(file.pupil.year_group)
        || !written.trim().is_empty()
}
