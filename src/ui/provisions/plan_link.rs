//! A support plan's provision row and the provision on the map it is: the pupil's entry,
//! exit and attendance from it beside the plan, or a way to make one from the row.

use super::{costing, provision_href};
use crate::domain::provision::details::measure_text;
use crate::domain::provision::for_pupil::with_plan_row_linked;
use crate::domain::{DeskError, PupilId};
use crate::ui::state::use_app;
use leptos::prelude::*;

/// The cell beside a plan's provision row.
#[component]
pub fn PlanRowProvision(
    pupil: PupilId,
    cycle: u32,
    row: usize,
    provision_id: Option<String>,
    editable: bool,
) -> impl IntoView {
    let app = use_app();
    let Some(provision_id) = provision_id else {
        return editable
            .then(|| {
                let href = app.href(&format!(
                    "/provision?new&plan={}&cycle={cycle}&row={row}",
                    pupil.0
                ));
                view! {
                    <a class="no-print" href=href>"Make a provision from this"<span class="visually-hidden">{format!(" (provision row {})", row + 1)}</span></a>
                    <NameExistingProvision pupil=pupil.clone() cycle=cycle row=row/>
                }
            })
            .into_any();
    };
    let found = app.session.with_untracked(|s| {
        let open = s.as_ref()?;
        let p = open.desk.provision(&provision_id)?;
        let costing = costing(&open.desk.settings);
        let e = p.enrolment(&pupil);
        let attendance = costing.pupil_attendance(p, &pupil, (p.starts, p.ends));
        let attendance = format!(
            "attended {} of the {} sessions planned in all",
            attendance.attended, attendance.planned
        );
        let text = match e {
            None => "Not in it now".to_string(),
            Some(e) => format!(
                "Entry: {}; exit: {}; {attendance}",
                e.entry
                    .as_ref()
                    .map(measure_text)
                    .unwrap_or_else(|| "not yet".into()),
                e.exit
                    .as_ref()
                    .map(measure_text)
                    .unwrap_or_else(|| "not yet".into()),
            ),
        };
        Some((p.name.clone(), text))
    });
    match found {
        Some((name, text)) => view! {
            <a href=provision_href(app, &provision_id)>{name}</a>": "{text}
        }
        .into_any(),
        None => view! { "A provision no longer on this desk" }.into_any(),
    }
}

/// Beside a plan's provision row not yet on the map: name a provision already made (a
/// group another pupil's plan started). The pupil is put in it, from today or its start.
#[component]
pub fn NameExistingProvision(pupil: PupilId, cycle: u32, row: usize) -> impl IntoView {
    let app = use_app();
    let choices: Vec<(String, String)> = app.session.with_untracked(|s| {
        let Some(open) = s.as_ref() else {
            return Vec::new();
        };
        let today = crate::ui::form::today();
        let mut running: Vec<(String, String)> = open
            .desk
            .provisions()
            .filter(|p| p.ends >= today)
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect();
        running.sort_by_cached_key(|(_, name)| name.to_lowercase());
        running
    });
    if choices.is_empty() {
        return ().into_any();
    }
    let chosen = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let field = format!("plan-row-{row}-provision");
    let name = move || {
        let pupil = pupil.clone();
        let id = chosen.get_untracked();
        if id.is_empty() {
            problem.set(Some("Choose a provision.".into()));
            return;
        }
        let now = chrono::Utc::now();
        let today = crate::ui::form::today();
        leptos::task::spawn_local_scoped(async move {
            let saved = app
                .save(move |open, store| {
                    let file = open
                        .desk
                        .file(&pupil)
                        .ok_or_else(|| DeskError::NoSuchPupil(pupil.clone()))?;
                    let revision = file.revision;
                    let file =
                        with_plan_row_linked(file, cycle, row, &id).map_err(DeskError::Refused)?;
                    let mut provision = open.desk.provision(&id).cloned().ok_or_else(|| {
                        DeskError::Refused("That provision is no longer on this desk.".into())
                    })?;
                    let base = provision.revision;
                    if provision.enrolment(&pupil).is_none_or(|e| e.left.is_some()) {
                        let from = provision.starts.max(today);
                        provision
                            .enrol(&pupil, from, now)
                            .map_err(DeskError::Refused)?;
                    }
                    open.save_provision_and_file(
                        store,
                        provision,
                        Some(base),
                        file,
                        revision,
                        "Named in a pupil's support plan",
                        now,
                    )
                })
                .await;
            match saved {
                Ok(()) => app.notice.set(Some(crate::ui::state::Notice::info(
                    "The plan now names the provision, and the pupil is in it.",
                ))),
                Err(e) => problem.set(Some(e.to_string())),
            }
        });
    };
    let options = crate::ui::form::choices_after("Choose a provision", choices);
    view! {
        <div class="no-print plan-row-name">
            <crate::ui::form::SelectField id=field label="Or name a provision already made" value=chosen options=options
                error=Signal::derive(move || problem.get())/>
            <button type="button" class="button button--secondary" on:click=move |_| name()>
                "Name it"<span class="visually-hidden">{format!(" for provision row {}", row + 1)}</span>
            </button>
        </div>
    }
    .into_any()
}

/// For a plan's review: each of its rows on the provision map, with the pupil's entry, exit
/// and attendance from it, beside the outcomes being reviewed.
#[component]
pub fn PlanProvisionEvidence(pupil: PupilId, cycle: u32) -> impl IntoView {
    let app = use_app();
    let rows: Vec<(usize, String)> = app.session.with_untracked(|s| {
        s.as_ref()
            .and_then(|o| o.desk.file(&pupil))
            .and_then(|f| f.plan(cycle))
            .map(|plan| {
                plan.provision
                    .iter()
                    .enumerate()
                    .filter_map(|(i, r)| r.provision_id.clone().map(|id| (i, id)))
                    .collect()
            })
            .unwrap_or_default()
    });
    (!rows.is_empty()).then(|| {
        view! {
            <section aria-labelledby="review-provision-title">
                <h2 id="review-provision-title">"From the provision map"</h2>
                <ul>
                    {rows.into_iter().map(|(row, id)| view! {
                        <li><PlanRowProvision pupil=pupil.clone() cycle=cycle row=row provision_id=Some(id) editable=false/></li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
