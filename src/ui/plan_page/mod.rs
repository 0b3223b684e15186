//! A support plan's page (`/plan?pupil=…&cycle=…`): read and print it, edit a draft or
//! active plan, start it, record its review, correct it once reviewed, and start the
//! next cycle from it.

pub mod plan_form;
mod review_form;

use super::form::today;
use super::pupil_page::{file_of, save_change};
use super::shell::{set_title, Unlocked};
use super::state::{use_app, AppState, Notice};
use crate::domain::dates::format_uk;
use crate::domain::plan::{PlanStatus, SupportPlan};
use crate::domain::{PupilFile, PupilId};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use plan_form::PlanForm;
use review_form::ReviewForm;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    View,
    Edit,
    Review,
    CorrectPlan,
    CorrectReview,
}

#[component]
pub fn PlanPage() -> impl IntoView {
    view! { <Unlocked><PlanScreen/></Unlocked> }
}

/// The link to a pupil's plan.
pub fn plan_href(app: AppState, id: &PupilId, cycle: u32) -> String {
    app.href(&format!("/plan?pupil={}&cycle={cycle}", id.0))
}

#[component]
fn PlanScreen() -> impl IntoView {
    let app = use_app();
    let query = use_query_map();
    let id = Memo::new(move |_| PupilId(query.with(|q| q.get("pupil").unwrap_or_default())));
    let cycle = Memo::new(move |_| {
        query.with(|q| {
            q.get("cycle")
                .and_then(|c| c.parse::<u32>().ok())
                .unwrap_or(0)
        })
    });
    let mode = RwSignal::new(Mode::View);
    // "&edit" in the address opens the form: on arrival, and when a new plan is started
    // from this page (the same page, a new address).
    Effect::new(move |_| {
        let editing = query.with(|q| q.get("edit").is_some());
        mode.set(if editing { Mode::Edit } else { Mode::View });
    });
    Effect::new(move |first: Option<()>| {
        mode.track();
        cycle.track();
        if first.is_some() {
            request_animation_frame(super::shell::focus_heading);
        }
    });
    // Forms depend only on whether the plan exists, so another tab's save never rebuilds
    // (and empties) one; the read-only view redraws when the file changes.
    let exists = Memo::new(move |_| {
        let (id, cycle) = (id.get(), cycle.get());
        app.session.with(|s| {
            s.as_ref()
                .is_some_and(|o| o.desk.file(&id).is_some_and(|f| f.plan(cycle).is_some()))
        })
    });
    let revision = Memo::new(move |_| {
        let id = id.get();
        app.session.with(|s| {
            s.as_ref()
                .and_then(|o| o.desk.file(&id).map(|f| f.revision))
        })
    });
    // Leaving a form: back to the plan, and "&edit" out of the address so a reload or
    // the back button does not reopen it.
    let navigate = use_navigate();
    let finish = Callback::new({
        let navigate = navigate.clone();
        move |_: ()| {
            if query.with_untracked(|q| q.get("edit").is_some()) {
                let to = plan_href(app, &id.get_untracked(), cycle.get_untracked());
                navigate(
                    &to,
                    leptos_router::NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            } else {
                mode.set(Mode::View);
            }
        }
    });
    // Cancelling a plan just started (never saved from its form: "&new" is still in the
    // address) deletes its draft, so nothing is left behind.
    let cancel = {
        Callback::new(move |_: ()| {
            if !query.with_untracked(|q| q.get("new").is_some()) {
                finish.run(());
                return;
            }
            let (id, cycle) = (id.get_untracked(), cycle.get_untracked());
            delete_draft_plan(
                app,
                &id,
                cycle,
                &format!("Plan {cycle} was not made: nothing was saved."),
                &navigate,
            );
        })
    };
    view! {
        {move || {
            if !exists.get() {
                set_title("Plan not found");
                return view! {
                    <h1 tabindex="-1">"Plan not found"</h1>
                    <p>"That support plan is not on this desk: it may have been a draft that was deleted. "
                        <a href=app.href("/pupils")>"Back to pupils"</a></p>
                }.into_any();
            }
            let (id, cycle) = (id.get(), cycle.get());
            let Some(file) = file_of(app, &id) else { return ().into_any() };
            let Some(plan) = file.plan(cycle).cloned() else { return ().into_any() };
            match mode.get() {
                Mode::View => view! {
                    // Text kept from a form when the desk locked (issue 13, point 2).
                    <super::drafts::DraftOffer open=move |form: String| {
                        let next = match form.as_str() {
                            "plan" => Some(Mode::Edit),
                            "correct-plan" => Some(Mode::CorrectPlan),
                            "review" => Some(Mode::Review),
                            "correct-review" => Some(Mode::CorrectReview),
                            _ => None,
                        };
                        if let Some(next) = next {
                            mode.set(next);
                        }
                    }/>
                    {move || {
                        // get, not track: a memo never read is never computed, so never changes.
                        let _ = revision.get();
                        view! { <PlanView id=id.clone() cycle=cycle mode=mode/> }
                    }}
                }.into_any(),
                Mode::Edit => view! { <PlanForm file=file plan=plan correcting=false on_done=finish on_cancel=cancel/> }.into_any(),
                Mode::CorrectPlan => view! { <PlanForm file=file plan=plan correcting=true on_done=finish/> }.into_any(),
                Mode::Review => view! { <ReviewForm file=file plan=plan correcting=false on_done=finish/> }.into_any(),
                Mode::CorrectReview => view! { <ReviewForm file=file plan=plan correcting=true on_done=finish/> }.into_any(),
            }
        }}
    }
}

/// The school's name and today's date at the top of a printed page.
#[component]
pub fn PrintHeader() -> impl IntoView {
    let app = use_app();
    let school = app.settings().map(|s| s.school_name).unwrap_or_default();
    view! {
        <div class="print-header print-only">
            <span>{school}</span>
            <span>{format!("Printed {}", format_uk(today()))}</span>
        </div>
    }
}

fn print_page() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

#[component]
fn PlanView(id: PupilId, cycle: u32, mode: RwSignal<Mode>) -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    let Some(file) = file_of(app, &id) else {
        return ().into_any();
    };
    let Some(plan) = file.plan(cycle).cloned() else {
        return ().into_any();
    };
    let name = crate::ui::names::page_name(app, &file);
    set_title("Support plan");
    let editable = !file.pupil.is_archived();
    let status = plan.status;
    let is_latest = file.plans.iter().all(|p| p.cycle <= cycle);
    let can_start_next = editable && status == PlanStatus::Reviewed && is_latest;
    let later_draft = file
        .draft_plan()
        .filter(|d| d.cycle > cycle && status == PlanStatus::Reviewed)
        .map(|d| {
            let before_review = plan
                .review
                .as_ref()
                .is_some_and(|r| d.drafted_on < r.recorded_at.date_naive());
            (plan_href(app, &id, d.cycle), d.cycle, before_review)
        });

    let activate = {
        let id = id.clone();
        move |_| {
            let id_after = id.clone();
            save_change(
                app,
                &id,
                |f| {
                    let mut plan = f
                        .plan(cycle)
                        .cloned()
                        .ok_or("That plan is no longer on this desk.")?;
                    plan.activate().map_err(|e| e.to_string())?;
                    *f = f.with_plan(plan);
                    Ok(())
                },
                move |result| match result {
                    Ok(()) => app.notice.set(Some(Notice::info(format!(
                        "Plan {cycle} is now active. Its review is due on {}.",
                        file_of(app, &id_after)
                            .and_then(|f| f.plan(cycle).map(|p| format_uk(p.review_on)))
                            .unwrap_or_default()
                    )))),
                    Err(e) => app.notice.set(Some(Notice::error(e))),
                },
            );
        }
    };
    let confirm_delete = RwSignal::new(false);
    let delete_draft = {
        let id = id.clone();
        let navigate = navigate.clone();
        move |_| {
            delete_draft_plan(
                app,
                &id,
                cycle,
                &format!("Draft plan {cycle} is deleted."),
                &navigate,
            )
        }
    };
    let start_next = {
        let id = id.clone();
        move |_| start_plan(app, &id, true, &navigate)
    };

    let needs = if plan.needs.is_empty() {
        "None chosen".to_string()
    } else {
        plan.needs
            .iter()
            .map(|n| format!("{} \u{2013} {}", n.code(), n.name()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let dates = format!(
        "Starts {} · review due {}{}",
        format_uk(plan.starts_on),
        format_uk(plan.review_on),
        plan.parents_agreed_on
            .map(|d| format!(" · parents agreed {}", format_uk(d)))
            .unwrap_or_else(|| " · not yet agreed with parents".into())
    );
    let review = plan.review.clone();
    let progress = |i: usize| {
        review
            .as_ref()
            .and_then(|r| r.outcomes.get(i))
            .map(|o| (o.progress.to_string(), o.evidence.clone()))
    };
    let outcomes: Vec<_> = plan
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, o)| {
            (
                i + 1,
                o.text.clone(),
                o.success_criteria.clone(),
                o.target_on.map(format_uk).unwrap_or_default(),
                progress(i),
            )
        })
        .collect();
    let worked: Vec<Option<bool>> = plan
        .strategies
        .iter()
        .enumerate()
        .map(|(i, _)| {
            review
                .as_ref()
                .and_then(|r| r.strategies_worked.get(i).copied())
        })
        .collect();
    let strategies: Vec<(String, Option<bool>)> =
        plan.strategies.iter().cloned().zip(worked).collect();
    let reviewed = review.is_some();

    view! {
        <PrintHeader/>
        <p class="no-print"><a href=app.href(&format!("/pupil?id={}", id.0))>{format!("Back to {name}")}</a></p>
        <h1 tabindex="-1">{format!("Support plan {cycle}: {name}")}</h1>
        <p class="lead"><strong class=format!("tag tag--{}", status_class(status))>{status.to_string()}</strong>" "{dates}</p>
        {plan.merge_clash.then(|| view! {
            <div class="notice notice--warning no-print"><p>"This plan came from another copy of the desk when a backup was merged, and clashed with a plan here (the same number, or a second draft or active plan), so it was kept beside it. Check it: delete it if it is a duplicate draft, or review it."</p></div>
        })}
        <div class="button-group no-print">
            {(editable && status != PlanStatus::Reviewed).then(|| view! {
                <button type="button" class="button" on:click=move |_| mode.set(Mode::Edit)>"Edit plan"</button>
            })}
            {(editable && status == PlanStatus::Draft).then(|| view! {
                <button type="button" class="button" on:click=activate.clone()>"Start this plan"</button>
            })}
            {(editable && status == PlanStatus::Active).then(|| view! {
                <button type="button" class="button" on:click=move |_| mode.set(Mode::Review)>"Record the review"</button>
            })}
            {can_start_next.then(|| view! {
                <button type="button" class="button" on:click=start_next.clone()>{format!("Start plan {} from this review", cycle + 1)}</button>
            })}
            {(editable && status == PlanStatus::Reviewed).then(|| view! {
                <button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::CorrectPlan)>"Correct this plan"</button>
                <button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::CorrectReview)>"Correct the review"</button>
            })}
            <button type="button" class="button button--secondary" on:click=move |_| print_page()>"Print"</button>
            {(editable && status == PlanStatus::Draft).then(|| view! {
                <button type="button" id="delete-draft" class="button button--link button--danger" aria-expanded=move || confirm_delete.get().to_string()
                    on:click=move |_| {
                        confirm_delete.set(true);
                        request_animation_frame(|| crate::ui::backups::focus_by_id("delete-draft-title"));
                    }>"Delete this draft"</button>
            })}
        </div>
        {move || confirm_delete.get().then(|| view! {
            <section class="notice notice--warning no-print" aria-labelledby="delete-draft-title">
                <h2 id="delete-draft-title" tabindex="-1">{format!("Delete draft plan {cycle}?")}</h2>
                <p>"Everything written in this draft will be gone. It cannot be undone."</p>
                <div class="button-group">
                    <button type="button" class="button button--danger" on:click=delete_draft.clone()>{format!("Yes, delete draft plan {cycle}")}</button>
                    <button type="button" class="button button--secondary" on:click=move |_| {
                        confirm_delete.set(false);
                        request_animation_frame(|| crate::ui::backups::focus_by_id("delete-draft"));
                    }>"No, keep it"</button>
                </div>
            </section>
        })}
        {can_start_next.then(|| view! {
            <p class="hint no-print">"The next plan starts as a draft with the outcomes not yet achieved and the strategies that worked."</p>
        })}
        {later_draft.map(|(href, next, before_review)| view! {
            <p class="no-print">{format!("Plan {next} is a draft. ")}<a href=href>{format!("Open draft plan {next}")}</a>
                {before_review.then_some(": it was started before this review, so check its outcomes and strategies against the review.")}</p>
        })}
        <section class="plan-section" aria-labelledby="plan-needs">
            <h2 id="plan-needs">"Needs this plan addresses"</h2>
            <p>{needs}</p>
        </section>
        <section class="plan-section" aria-labelledby="plan-views">
            <h2 id="plan-views">"Strengths and views"</h2>
            <dl class="summary-list">
                <dt>"Strengths"</dt><dd class="prose">{or_none(&plan.strengths)}</dd>
                <dt>"The pupil's views"</dt><dd class="prose">{or_none(&plan.pupil_views)}</dd>
                <dt>"Parents' views"</dt><dd class="prose">{or_none(&plan.parent_views)}</dd>
            </dl>
        </section>
        <section class="plan-section" aria-labelledby="plan-outcomes">
            <h2 id="plan-outcomes">"Outcomes"</h2>
            {if outcomes.is_empty() {
                view! { <p>"No outcomes yet."</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr>
                            <th scope="col">"Outcome"</th><th scope="col">"Success criteria"</th><th scope="col">"Target date"</th>
                            {reviewed.then(|| view! { <th scope="col">"Progress"</th><th scope="col">"Evidence"</th> })}
                        </tr></thead>
                        <tbody>
                            {outcomes.into_iter().map(|(n, text, criteria, target, progress)| view! {
                                <tr>
                                    <th scope="row" class="prose">{format!("{n}. {text}")}</th>
                                    <td class="prose">{criteria}</td>
                                    <td>{target}</td>
                                    {progress.map(|(p, evidence)| view! { <td>{p}</td><td class="prose">{evidence}</td> })}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <section class="plan-section" aria-labelledby="plan-strategies">
            <h2 id="plan-strategies">"Strategies every adult should use"</h2>
            {if strategies.is_empty() {
                view! { <p>"No strategies yet."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {strategies.into_iter().map(|(s, worked)| view! {
                            <li>{s}{worked.map(|w| if w { " (worked)" } else { " (did not work)" })}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="plan-section" aria-labelledby="plan-provision">
            <h2 id="plan-provision">"Provision"</h2>
            {if plan.provision.is_empty() {
                view! { <p>"No provision recorded."</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th scope="col">"What"</th><th scope="col">"Who"</th><th scope="col">"How often"</th><th scope="col">"On the provision map"</th></tr></thead>
                        <tbody>
                            {plan.provision.iter().enumerate().map(|(row, p)| view! {
                                <tr><th scope="row">{p.what.clone()}</th><td>{p.who.clone()}</td><td>{p.how_often.clone()}</td>
                                <td><crate::ui::provisions::PlanRowProvision pupil=id.clone() cycle=cycle row=row
                                    provision_id=p.provision_id.clone() editable=editable && status != PlanStatus::Reviewed/></td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
        <crate::ui::referral_page::FromReports file=file.clone() plan_id=plan.id.clone()/>
        {review.map(|r| view! {
            <section class="plan-section plan-review" aria-labelledby="plan-review">
                <h2 id="plan-review">"Review"</h2>
                <dl class="summary-list">
                    <dt>"Held on"</dt><dd>{format_uk(r.held_on)}</dd>
                    <dt>"Who attended"</dt><dd>{r.attended.clone()}</dd>
                    <dt>"Parents attended"</dt><dd>{if r.parents_attended { "Yes" } else { "No" }}</dd>
                    <dt>"The pupil's views"</dt><dd class="prose">{or_none(&r.pupil_views)}</dd>
                    <dt>"Parents' views"</dt><dd class="prose">{or_none(&r.parent_views)}</dd>
                    <dt>"Next steps"</dt><dd class="prose">{or_none(&r.next_steps)}</dd>
                </dl>
            </section>
        })}
        {(!plan.corrections.is_empty()).then(|| view! {
            <section class="plan-section" aria-labelledby="plan-history">
                <h2 id="plan-history">"Corrections after the review"</h2>
                <table class="table">
                    <thead><tr><th scope="col">"When"</th><th scope="col">"By"</th><th scope="col">"What changed"</th><th scope="col">"Why"</th></tr></thead>
                    <tbody>
                        {plan.corrections.iter().map(|c| view! {
                            <tr>
                                <td>{super::clock::date_and_time(c.at)}</td>
                                <td>{c.by.clone()}</td>
                                <td>{c.what.clone()}</td>
                                <td class="prose">{c.reason.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
    }
    .into_any()
}

fn or_none(text: &str) -> String {
    if text.trim().is_empty() {
        "Not recorded".into()
    } else {
        text.to_string()
    }
}

fn status_class(status: PlanStatus) -> &'static str {
    match status {
        PlanStatus::Draft => "draft",
        PlanStatus::Active => "active",
        PlanStatus::Reviewed => "reviewed",
    }
}

/// Saves a new draft plan for the pupil (blank, or carried forward from the latest plan)
/// and opens it for editing.
/// Deletes draft plan `cycle` and goes back to the pupil's page (the plan's page would
/// now say it is gone), saying `done`; an address without the draft replaces this one.
fn delete_draft_plan(
    app: AppState,
    id: &PupilId,
    cycle: u32,
    done: &str,
    navigate: &(impl Fn(&str, leptos_router::NavigateOptions) + Clone + 'static),
) {
    let (done, navigate, id_after) = (done.to_string(), navigate.clone(), id.clone());
    save_change(
        app,
        id,
        |f| {
            *f = f.without_draft(cycle).map_err(|e| e.to_string())?;
            Ok(())
        },
        move |result| match result {
            Ok(()) => {
                let id = id_after;
                app.notice.set(Some(Notice::info(done)));
                navigate(
                    &app.href(&format!("/pupil?id={}", id.0)),
                    leptos_router::NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
            Err(e) => app.notice.set(Some(Notice::error(e))),
        },
    );
}

pub fn start_plan(
    app: AppState,
    id: &PupilId,
    from_last: bool,
    navigate: &(impl Fn(&str, leptos_router::NavigateOptions) + Clone + 'static),
) {
    let today = today();
    let cycle = std::rc::Rc::new(std::cell::Cell::new(0));
    let (made, navigate, id_after) = (cycle.clone(), navigate.clone(), id.clone());
    save_change(
        app,
        id,
        move |f: &mut PupilFile| {
            let plan: SupportPlan = f
                .new_plan(today, from_last, today)
                .map_err(|e| e.to_string())?;
            made.set(plan.cycle);
            *f = f.with_plan(plan);
            Ok(())
        },
        move |result| match result {
            Ok(()) => {
                let (cycle, id) = (cycle.get(), &id_after);
                app.notice.set(Some(Notice::info(format!(
                    "Plan {cycle} is a draft. Fill it in, then start it."
                ))));
                navigate(
                    &format!("{}&edit&new", plan_href(app, id, cycle)),
                    Default::default(),
                );
            }
            Err(e) => app.notice.set(Some(Notice::error(e))),
        },
    );
}

/// Why a plan form's save was refused: a plan rule (with the field it concerns) or
/// anything else (another tab, storage).
pub struct Refused {
    pub rule: Option<crate::domain::plan::PlanError>,
    pub message: String,
}

/// Saves a change to plan `cycle` made in a form that loaded it as `loaded`. If another
/// tab changed the plan since, nothing is saved and the message says so; `loaded` then
/// becomes the latest copy, so the form (which keeps what was typed) can be saved once
/// checked. The key slot's label is passed to `change` for corrections.
pub fn save_plan_change(
    app: AppState,
    id: &PupilId,
    cycle: u32,
    loaded: StoredValue<SupportPlan>,
    change: impl FnOnce(&mut SupportPlan, &str) -> Result<(), crate::domain::plan::PlanError>,
    then: impl FnOnce(Result<(), Refused>) + 'static,
) {
    let by = app
        .session
        .with_untracked(|s| s.as_ref().map(|o| o.unlocked_with().to_string()))
        .unwrap_or_default();
    let base = loaded.get_value();
    let rule = std::rc::Rc::new(std::cell::RefCell::new(None));
    let (found, id_after) = (rule.clone(), id.clone());
    save_change(
        app,
        id,
        move |f| {
            let mut current = f
                .plan(cycle)
                .cloned()
                .ok_or("That plan is no longer on this desk.")?;
            if current != base {
                return Err(format!(
                "Plan {cycle} was changed in another tab while this form was open. \
                 What you typed is still in the form: check it against the latest plan and save again."
            ));
            }
            if let Err(e) = change(&mut current, &by) {
                let message = e.to_string();
                *found.borrow_mut() = Some(e);
                return Err(message);
            }
            *f = f.with_plan(current);
            Ok(())
        },
        move |result| {
            then(result.map_err(|message| {
                if let Some(latest) = file_of(app, &id_after).and_then(|f| f.plan(cycle).cloned()) {
                    loaded.set_value(latest);
                }
                Refused {
                    rule: rule.take(),
                    message,
                }
            }))
        },
    );
}
