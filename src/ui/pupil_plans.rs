//! The support plans and passport sections of a pupil's page.

use super::form::today;
use super::plan_page::{plan_href, start_plan};
use super::pupil_page::file_of;
use super::state::use_app;
use crate::domain::dates::format_uk;
use crate::domain::PupilId;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn PlansSection(id: PupilId, editable: bool) -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let Some(file) = file_of(app, &id) else {
        return ().into_any();
    };
    let has_draft = file.draft_plan().is_some();
    // From a reviewed plan the next one carries forward what is unmet and what worked;
    // before its review, the next can only be a copy of it (drafting ahead).
    let from_last_label = file.plans.iter().max_by_key(|p| p.cycle).map(|p| {
        if p.is_reviewed() {
            "Start a new plan from the last review".to_string()
        } else {
            format!("Draft the next plan as a copy of plan {}", p.cycle)
        }
    });
    let today = today();
    let rows: Vec<_> = file
        .plans
        .iter()
        .rev()
        .map(|p| {
            let due = match p.status {
                crate::domain::plan::PlanStatus::Active if p.days_to_review(today) < 0 => {
                    format!("{} (overdue)", format_uk(p.review_on))
                }
                _ => format_uk(p.review_on),
            };
            let result = p
                .achieved()
                .map(|(met, of)| format!("{met} of {of} achieved"))
                .unwrap_or_default();
            (
                plan_href(app, &id, p.cycle),
                format!("Plan {}", p.cycle),
                p.status.to_string(),
                format_uk(p.starts_on),
                due,
                result,
            )
        })
        .collect();
    let new_blank = {
        let id = id.clone();
        let navigate = navigate.clone();
        move |_| start_plan(app, &id, false, &navigate)
    };
    let from_last = {
        let id = id.clone();
        move |_| start_plan(app, &id, true, &navigate)
    };
    view! {
        <h2 id="section-plans" tabindex="-1">"Support plans"</h2>
        {(editable && !has_draft).then(|| view! {
            <div class="button-group">
                <button type="button" class="button" on:click=new_blank.clone()>"Start a new plan"</button>
                {from_last_label.map(|label| view! {
                    <button type="button" class="button button--secondary" on:click=from_last.clone()>{label}</button>
                })}
            </div>
        })}
        {if rows.is_empty() {
            view! { <p>"No support plans yet."</p> }.into_any()
        } else {
            view! {
                <table class="table">
                    <caption class="visually-hidden">"Support plans, newest first"</caption>
                    <thead><tr>
                        <th scope="col">"Plan"</th><th scope="col">"Status"</th><th scope="col">"Starts"</th>
                        <th scope="col">"Review"</th><th scope="col">"Outcomes"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(href, label, status, starts, due, result)| view! {
                            <tr>
                                <th scope="row"><a href=href>{label}</a></th>
                                <td>{status}</td><td>{starts}</td><td>{due}</td><td>{result}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <h2 id="section-passport" tabindex="-1">"Pupil passport"</h2>
        <p>
            {match &file.passport {
                Some(p) => format!("Last updated {}. ", format_uk(p.updated_on)),
                None => "No passport yet. ".to_string(),
            }}
            <a href=app.href(&format!("/passport?id={}", id.0))>
                {if file.passport.is_some() { "View, print or update the passport" } else { "Write the passport" }}
            </a>
        </p>
    }
    .into_any()
}
