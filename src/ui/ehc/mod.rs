//! EHC plans: the EHC page (`/ehc`: every open request and plan with its next step, and
//! the calendar export) and a pupil's case (`/ehc-case?pupil=…`: requests, the plan,
//! annual reviews, and their prints).

mod forms;
mod prints;

use super::form::today;
use super::pupil_page::{file_of, save_change, watch_file};
use super::shell::{set_title, Unlocked};
use super::state::{use_app, AppState, Notice};
use crate::domain::dates::format_uk;
use crate::domain::ehc::cases::{case_rows, desk_calendar, CaseSort};
use crate::domain::ehc::record::{CaseSetting, EhcRecord, OpenStep};
use crate::domain::ehc::review::covers_adulthood;
use crate::domain::ehc::review_dates::ReviewStep;
use crate::domain::ehc::Standing;
use crate::domain::names::NameOrder;
use crate::domain::{PupilFile, PupilId};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The link to a pupil's EHC case.
pub fn case_href(app: AppState, id: &PupilId) -> String {
    app.href(&format!("/ehc-case?pupil={}", id.0))
}

fn standing_class(standing: &Standing) -> &'static str {
    match standing {
        Standing::Late { .. } => "tag tag--late",
        Standing::Done { .. } => "tag tag--done",
        Standing::LimitLifted => "tag",
        Standing::Due { .. } => "tag tag--due",
    }
}

#[component]
pub fn EhcPage() -> impl IntoView {
    view! { <Unlocked summaries_enough=true><EhcList/></Unlocked> }
}

#[component]
fn EhcList() -> impl IntoView {
    let app = use_app();
    set_title("EHC plans");
    let sort = RwSignal::new(CaseSort::NextDate);
    let rows = Memo::new(move |_| {
        let sort = sort.get();
        app.session.with(|s| {
            s.as_ref()
                .map(|o| {
                    super::perf::measure("senco:ehc-rows", || {
                        let labels = o.desk.name_labels(NameOrder::KnownAs);
                        case_rows(&o.desk, &labels, today(), sort)
                    })
                })
                .unwrap_or_default()
        })
    });
    let sort_button = move |by: CaseSort, label: &'static str| {
        let pressed = move || (sort.get() == by).to_string();
        view! {
            <button type="button" class="button button--link" aria-pressed=pressed
                on:click=move |_| sort.set(by)>{label}</button>
        }
    };
    let aria_sort = move |by: CaseSort| {
        move || {
            if sort.get() == by {
                "ascending"
            } else {
                "none"
            }
        }
    };
    let export = move |_| {
        let made = chrono::Utc::now();
        let (events, text) = super::perf::measure("senco:ehc-calendar", || {
            let events = app
                .session
                .with_untracked(|s| s.as_ref().map(|o| desk_calendar(&o.desk, today())))
                .unwrap_or_default();
            let text = crate::io::ics::calendar_file(&events, made);
            (events, text)
        });
        let name = format!("senco-desk-ehc-{}.ics", made.format("%Y-%m-%d"));
        match super::download::download_as(&name, &text, "text/calendar") {
            Ok(()) => app.notice.set(Some(Notice::info(format!(
                "Calendar file made with {} dates. It is not encrypted: import it into your calendar, then delete the downloaded file.",
                events.len()
            )))),
            Err(e) => app
                .notice
                .set(Some(Notice::error(format!("The calendar file could not be made: {e}")))),
        }
    };
    view! {
        <h1 tabindex="-1">"EHC plans"</h1>
        <p class="lead">"Every open needs assessment request and every EHC plan, with what is next and by when."</p>
        <div class="button-group">
            <span>"Sort by: "</span>
            {sort_button(CaseSort::NextDate, "Next date")}
            {sort_button(CaseSort::Pupil, "Pupil")}
            {sort_button(CaseSort::Reference, "Case reference")}
        </div>
        {move || {
            let rows = rows.get();
            if rows.is_empty() {
                return view! { <p>"No pupil has an EHC plan or an open request yet. Record one from the pupil's page."</p> }.into_any();
            }
            view! {
                <table class="table">
                    <caption class="visually-hidden">"EHC cases"</caption>
                    <thead><tr>
                        <th scope="col" aria-sort=aria_sort(CaseSort::Pupil)>"Pupil"</th>
                        <th scope="col" aria-sort=aria_sort(CaseSort::Reference)>"Case"</th>
                        <th scope="col">"Stage"</th>
                        <th scope="col">"Next step"</th>
                        <th scope="col" aria-sort=aria_sort(CaseSort::NextDate)>"By"</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let (what, due, standing) = match &row.next {
                                Some(step) => (step.what.clone(), format_uk(step.due), Some(step.standing)),
                                None => ("Nothing open".into(), String::new(), None),
                            };
                            view! {
                                <tr>
                                    <th scope="row"><a href=case_href(app, &row.pupil)>{row.name}</a></th>
                                    <td>{row.reference}</td>
                                    <td>{row.stage.label()}</td>
                                    <td>{what}</td>
                                    <td>{due}" "{standing.map(|s| view! { <span class=standing_class(&s)>{s.describe()}</span> })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        <section aria-labelledby="calendar-title">
            <h2 id="calendar-title">"Put the dates in your calendar"</h2>
            <p>"An .ics file with every EHC meeting and deadline still to come, for Outlook, Google or Apple calendars. Importing a newer file updates the events rather than adding them twice."</p>
            <div class="notice notice--warning">
                <p><strong>"This file is not encrypted."</strong>" It goes wherever your calendar syncs. Events name each case by its reference (such as EHC-0142) only: never a pupil's name, initials, UPN, date of birth or a parent. Delete the downloaded file once imported."</p>
            </div>
            <button type="button" class="button" on:click=export>"Download the calendar file (.ics)"</button>
        </section>
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    View,
    Request(Option<String>),
    Plan(Option<String>),
    Schedule,
    Review(String),
    PrintRequest(String),
    PrintReview(String),
}

#[component]
pub fn CasePage() -> impl IntoView {
    view! { <Unlocked><CaseScreen/></Unlocked> }
}

#[component]
fn CaseScreen() -> impl IntoView {
    let app = use_app();
    let query = use_query_map();
    let id = Memo::new(move |_| PupilId(query.with(|q| q.get("pupil").unwrap_or_default())));
    let mode = RwSignal::new(Mode::View);
    Effect::new(move |first: Option<()>| {
        mode.track();
        if first.is_some() {
            request_animation_frame(super::shell::focus_heading);
        }
    });
    let (exists, revision) = watch_file(app, id);
    let done = Callback::new(move |_: ()| mode.set(Mode::View));
    view! {
        {move || {
            if !exists.get() {
                set_title("Pupil not found");
                return view! {
                    <h1 tabindex="-1">"Pupil not found"</h1>
                    <p>"That pupil is not on this desk. "<a href=app.href("/ehc")>"Back to EHC plans"</a></p>
                }.into_any();
            }
            let id = id.get();
            let Some(file) = file_of(app, &id) else { return ().into_any() };
            match mode.get() {
                Mode::View => view! {
                    <super::drafts::DraftOffer open=move |form: String| {
                        match form.as_str() {
                            "ehc-request" => mode.set(Mode::Request(None)),
                            "ehc-plan" => mode.set(Mode::Plan(None)),
                            "ehc-schedule" => mode.set(Mode::Schedule),
                            _ => {}
                        }
                    }/>
                    {move || {
                        let _ = revision.get();
                        view! { <CaseView id=id.clone() mode=mode/> }
                    }}
                }.into_any(),
                Mode::Request(request) => view! { <forms::RequestForm file=file request=request on_done=done/> }.into_any(),
                Mode::Plan(plan) => view! { <forms::PlanForm file=file plan=plan on_done=done/> }.into_any(),
                Mode::Schedule => view! { <forms::ScheduleReview file=file on_done=done/> }.into_any(),
                Mode::Review(review) => view! { <forms::ReviewForm file=file review=review on_done=done/> }.into_any(),
                Mode::PrintRequest(request) => view! { <prints::RequestTimeline file=file request=request on_done=done/> }.into_any(),
                Mode::PrintReview(review) => view! { <prints::ReviewReport file=file review=review on_done=done/> }.into_any(),
            }
        }}
    }
}

/// The case's dates worked out with the school's settings.
fn setting_for<'a>(
    file: &PupilFile,
    settings: &'a crate::domain::settings::EhcSettings,
) -> CaseSetting<'a> {
    CaseSetting {
        born: file.pupil.date_of_birth,
        year_group: file.pupil.year_group,
        lead: &settings.lead,
        transfer_years: &settings.transfer_years,
    }
}

fn step_row(step: OpenStep) -> impl IntoView {
    view! {
        <tr>
            <td>{step.what}</td>
            <td>{format_uk(step.due)}</td>
            <td><span class=standing_class(&step.standing)>{step.standing.describe()}</span></td>
        </tr>
    }
}

#[component]
fn CaseView(id: PupilId, mode: RwSignal<Mode>) -> impl IntoView {
    let app = use_app();
    let Some(file) = file_of(app, &id) else {
        return ().into_any();
    };
    set_title("EHC case");
    let name = super::names::page_name(app, &file);
    let settings = app.settings().map(|s| s.ehc).unwrap_or_default();
    let today = today();
    let editable = !file.pupil.is_archived();
    let record: EhcRecord = file.ehc.clone();
    let setting = setting_for(&file, &settings);
    let open_steps = record.open_steps(&setting, today);
    let transfer = record.transfer(&setting, today);
    let transfer_in_time = transfer.as_ref().map(|t| record.transfer_review_in_time(t));
    let plan = record.current_plan().cloned();
    let adulthood = covers_adulthood(file.pupil.year_group);
    let reference = (record.case_number > 0).then(|| record.reference());
    let pupil_href = app.href(&format!("/pupil?id={}", id.0));

    let requests = record.requests.iter().rev().map(|request| {
        let timeline = request.dates().timeline(&request.exceptions, today);
        let late = request.dates().days_late(&request.exceptions, today);
        let request_id = request.id.clone();
        let print_id = request.id.clone();
        view! {
            <article class="plan-section" aria-labelledby=format!("request-{}", request.id)>
                <h3 id=format!("request-{}", request.id)>{format!("Request received {} by {}", format_uk(request.received), request.local_authority)}</h3>
                <p>{format!("Made by: {}", request.made_by)}{request.closed.map(|c| format!(" · closed {}", format_uk(c)))}</p>
                {(late > 0).then(|| view! {
                    <p class="notice notice--warning">{format!("The local authority is {} past a statutory limit.", crate::domain::text::count(late as usize, "day"))}</p>
                })}
                <table class="table">
                    <caption>"Timeline"</caption>
                    <thead><tr><th scope="col">"Step"</th><th scope="col">"Due"</th><th scope="col">"Where it stands"</th></tr></thead>
                    <tbody>
                        <tr><td>"Request received"</td><td>{format_uk(request.received)}</td><td>"Done"</td></tr>
                        {timeline.into_iter().map(|s| view! {
                            <tr><td>{s.what}</td><td>{format_uk(s.due)}</td><td><span class=standing_class(&s.standing)>{s.standing.describe()}</span></td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {(!request.exceptions.is_empty()).then(|| view! {
                    <p>"Exceptions recorded:"</p>
                    <ul>{request.exceptions.iter().map(|e| view! {
                        <li>{format!("{}: {} ({} to {})", e.kind, e.reason, format_uk(e.from), format_uk(e.to))}</li>
                    }).collect_view()}</ul>
                })}
                {request.appeals.iter().map(|a| view! {
                    <div class="notice notice--info">
                        <p><strong>{format!("{}: the last day to appeal is {}", a.decision, format_uk(a.deadline()))}</strong>
                            " (2 months from the decision, or 1 month after a mediation certificate, whichever is later)."</p>
                        <p>"Evidence to gather:"</p>
                        <ul>{a.decision.evidence().iter().map(|e| view! { <li>{*e}</li> }).collect_view()}</ul>
                    </div>
                }).collect_view()}
                {(!request.evidence.is_empty()).then(|| view! {
                    <p>"Evidence sent:"</p>
                    <ul>{request.evidence.iter().map(|e| view! { <li>{e.what.clone()}</li> }).collect_view()}</ul>
                })}
                <div class="button-group no-print">
                    {editable.then(|| view! {
                        <button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::Request(Some(request_id.clone())))>"Update this request"</button>
                    })}
                    <button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::PrintRequest(print_id.clone()))>"Print the timeline of this request"</button>
                </div>
            </article>
        }
    }).collect_view();

    let plan_view = plan.clone().map(|plan| {
        let plan_id = plan.id.clone();
        let top_up = plan.top_up_on(today).map(|t| t.to_string()).unwrap_or_else(|| "None recorded".into());
        let next_due = record.next_review_due(file.pupil.date_of_birth);
        let months = plan.cycle.months(file.pupil.date_of_birth, today);
        // Delivery counts from the last review held, or from the plan's issue.
        let delivery_since = record
            .last_review_held()
            .filter(|held| *held >= plan.issued)
            .unwrap_or(plan.issued);
        view! {
            <dl class="summary-list">
                <dt>"Local authority"</dt><dd>{plan.local_authority.clone()}</dd>
                <dt>"Case officer"</dt><dd>{if plan.case_officer.is_empty() { "Not recorded".to_string() } else { plan.case_officer.clone() }}</dd>
                <dt>"Issued"</dt><dd>{format_uk(plan.issued)}</dd>
                <dt>"Amended"</dt><dd>{if plan.amended.is_empty() { "Not yet".to_string() } else { plan.amended.iter().map(|a| format!("{} ({})", format_uk(a.on), a.sections)).collect::<Vec<_>>().join("; ") }}</dd>
                <dt>"Named school (section I)"</dt><dd>{plan.named_school.clone()}</dd>
                <dt>"Reviewed every"</dt><dd>{format!("{months} months")}</dd>
                <dt>"Next review due by"</dt><dd>{next_due.map(format_uk).unwrap_or_default()}</dd>
                <dt>"Top-up funding now"</dt><dd>{top_up}</dd>
                <dt>"Personal budget"</dt><dd>{if plan.personal_budget { "Yes" } else { "No" }}</dd>
            </dl>
            <h3>"Section B: needs"</h3>
            <p class="prose">{if plan.needs.is_empty() { "Not recorded".to_string() } else { plan.needs.clone() }}</p>
            <h3>"Section E: outcomes"</h3>
            {if plan.outcomes.is_empty() {
                view! { <p>"None recorded."</p> }.into_any()
            } else {
                view! { <ul>{plan.outcomes.iter().map(|o| view! { <li>{format!("{} (by {})", o.outcome, o.by_when)}</li> }).collect_view()}</ul> }.into_any()
            }}
            <h3>"Section F: provision"</h3>
            {if plan.provision.is_empty() {
                view! { <p>"None recorded."</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th scope="col">"What"</th><th scope="col">"Minutes a week"</th><th scope="col">"How often"</th><th scope="col">"By whom"</th><th scope="col">"On the provision map"</th></tr></thead>
                        <tbody>{plan.provision.iter().enumerate().map(|(n, p)| view! {
                            <tr><td>{p.what.clone()}</td><td>{p.minutes_a_week.map(|m| m.to_string()).unwrap_or_default()}</td><td>{p.how_often.clone()}</td><td>{p.by_whom.clone()}</td>
                                <td><LineLink id=id.clone() plan_id=plan.id.clone() line=n since=delivery_since editable=editable/></td></tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
            {editable.then(|| view! {
                <div class="button-group no-print">
                    <button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::Plan(Some(plan_id.clone())))>"Edit the EHC plan"</button>
                </div>
            })}
        }
    });

    let reviews = record.reviews.iter().rev().map(|review| {
        let checklist = review.checklist(&settings.lead, today);
        let review_id = review.id.clone();
        let print_id = review.id.clone();
        let heading_id = format!("review-{}", review.id);
        let labelled_by = heading_id.clone();
        let decision = review.la_decision.clone();
        let rows = checklist.into_iter().map(|line| {
            let step = line.step;
            let done = matches!(line.standing, Standing::Done { .. });
            // The LA's decision comes with the review form; every other step is ticked
            // here (the amended plan when it arrives). The meeting only once its day has
            // come, and on its date. Once the review is recorded, ticks stand.
            let recorded = review.recommendation.is_some();
            let tickable = editable
                && step != ReviewStep::LaDecision
                && !done
                && (step != ReviewStep::Meeting || review.meeting <= today);
            let untickable = editable && step != ReviewStep::LaDecision && done && !recorded;
            let rid = review.id.clone();
            let rid2 = review.id.clone();
            let pid = id.clone();
            let pid2 = id.clone();
            let label = step.label();
            view! {
                <tr>
                    <td>{label}</td>
                    <td>{format_uk(line.due)}</td>
                    <td><span class=standing_class(&line.standing)>{line.standing.describe()}</span></td>
                    <td class="no-print">
                        {tickable.then(|| view! {
                            <button type="button" class="button button--secondary"
                                aria-label=if step == ReviewStep::Meeting { format!("Mark as held on its date: {label}") } else { format!("Mark done today: {label}") }
                                on:click=move |_| tick(app, &pid, &rid, step, true)>
                                {if step == ReviewStep::Meeting { "Mark as held" } else { "Mark done today" }}</button>
                        })}
                        {untickable.then(|| view! {
                            <button type="button" class="button button--link" aria-label=format!("Undo: {label}")
                                on:click=move |_| tick(app, &pid2, &rid2, step, false)>"Undo"</button>
                        })}
                    </td>
                </tr>
            }
        }).collect_view();
        view! {
            <article class="plan-section" aria-labelledby=labelled_by>
                <h3 id=heading_id>{format!("Annual review meeting {}{}", format_uk(review.meeting), if review.is_held() { " (held)" } else { "" })}</h3>
                <table class="table">
                    <caption>"Checklist"</caption>
                    <thead><tr><th scope="col">"Step"</th><th scope="col">"Due"</th><th scope="col">"Where it stands"</th><th scope="col" class="no-print">"Action"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                {review.recommendation.map(|r| view! { <p>{format!("School's recommendation: {r}")}</p> })}
                {decision.map(|d| {
                    let cease = d.decision == crate::domain::ehc::review::Recommendation::Cease;
                    view! {
                        <p>{format!("Local authority's decision on {}: {}", format_uk(d.on), d.decision)}</p>
                        {cease.then(|| view! {
                            <p class="notice notice--info">{format!("Decision to cease the plan: the last day to appeal is {}.", format_uk(crate::domain::ehc::appeal::appeal_deadline(d.on, None)))}</p>
                        })}
                    }
                })}
                <div class="button-group no-print">
                    {editable.then(|| view! {
                        <button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::Review(review_id.clone()))>"Record the review"</button>
                    })}
                    <button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::PrintReview(print_id.clone()))>"Print the review report"</button>
                </div>
            </article>
        }
    }).collect_view();

    view! {
        <p class="no-print"><a href=pupil_href>{format!("Back to {name}")}</a>" · "<a href=app.href("/ehc")>"All EHC plans"</a></p>
        <h1 tabindex="-1">{format!("EHC: {name}")}</h1>
        {reference.map(|r| view! { <p class="lead">{format!("Case reference {r}")}" "<span class="hint">"(used in the calendar instead of the pupil's name)"</span></p> })}
        {editable.then(|| view! {
            <div class="button-group no-print">
                <button type="button" class="button" on:click=move |_| mode.set(Mode::Request(None))>"Record a needs assessment request"</button>
                {if plan.is_some() {
                    view! { <button type="button" class="button" on:click=move |_| mode.set(Mode::Schedule)>"Schedule an annual review"</button> }.into_any()
                } else {
                    view! { <button type="button" class="button" on:click=move |_| mode.set(Mode::Plan(None))>"Record the EHC plan"</button> }.into_any()
                }}
            </div>
        })}
        <section aria-labelledby="ehc-next">
            <h2 id="ehc-next">"What is next"</h2>
            {transfer.map(|t| view! {
                <div class=if transfer_in_time == Some(true) { "notice notice--info" } else { "notice notice--warning" }>
                    <p><strong>{format!("Phase transfer: {}", t.transfer)}</strong></p>
                    <p>{format!("The amended plan naming the next placement is due by {}. Hold the review by {} to leave the local authority its 12 weeks.", format_uk(t.deadline), format_uk(t.review_by))}</p>
                    <p>{if transfer_in_time == Some(true) { "A review is held or scheduled in time." } else { "No review is held or scheduled in time yet." }}</p>
                </div>
            })}
            {if open_steps.is_empty() {
                view! { <p>"Nothing is open."</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <thead><tr><th scope="col">"Step"</th><th scope="col">"Due"</th><th scope="col">"Where it stands"</th></tr></thead>
                        <tbody>{open_steps.into_iter().map(step_row).collect_view()}</tbody>
                    </table>
                }.into_any()
            }}
            {adulthood.then(|| view! { <p class="hint">"From Year 9 every review covers preparation for adulthood."</p> })}
        </section>
        <section aria-labelledby="ehc-plan">
            <h2 id="ehc-plan">"EHC plan"</h2>
            {match plan_view {
                Some(v) => v.into_any(),
                None => view! { <p>"No EHC plan is recorded. A final plan recorded on a request starts it here."</p> }.into_any(),
            }}
        </section>
        <section aria-labelledby="ehc-reviews">
            <h2 id="ehc-reviews">"Annual reviews"</h2>
            {if record.reviews.is_empty() { Some(view! { <p>"No review scheduled yet."</p> }) } else { None }}
            {reviews}
        </section>
        <section aria-labelledby="ehc-requests">
            <h2 id="ehc-requests">"Needs assessment requests"</h2>
            {if record.requests.is_empty() { Some(view! { <p>"None recorded."</p> }) } else { None }}
            {requests}
        </section>
    }
    .into_any()
}

/// A section F line's provision on the provision map: the hours given against the hours
/// specified since `since`, or the choice of a provision the pupil is in to link it to.
#[component]
fn LineLink(
    id: PupilId,
    plan_id: String,
    line: usize,
    since: chrono::NaiveDate,
    editable: bool,
) -> impl IntoView {
    use crate::domain::ehc::delivery::delivered;
    let app = use_app();
    let found = app.session.with_untracked(|s| {
        let open = s.as_ref()?;
        let file = open.desk.file(&id)?;
        let plan = file.ehc.plans.iter().find(|p| p.id == plan_id)?;
        let f_line = plan.provision.get(line)?.clone();
        let linked = f_line
            .provision_id
            .as_deref()
            .and_then(|pid| open.desk.provision(pid))
            .map(|p| {
                (
                    p.name.clone(),
                    delivered(&f_line, p, &id, since, today()).describe(),
                )
            });
        let choices: Vec<(String, String)> = open
            .desk
            .provisions_of(&id)
            .map(|p| (p.id.clone(), p.name.clone()))
            .collect();
        Some((f_line, linked, choices))
    });
    let Some((f_line, linked, choices)) = found else {
        return ().into_any();
    };
    if let Some((name, given)) = linked {
        return view! {
            <span>{name}": "{given}{format!(" since {}", format_uk(since))}</span>
        }
        .into_any();
    }
    if !editable || choices.is_empty() {
        return view! { <span>"Not linked"</span> }.into_any();
    }
    let chosen = RwSignal::new(String::new());
    let field_id = format!("f-line-{line}");
    let link = move |_| {
        let provision_id = chosen.get_untracked();
        if provision_id.is_empty() {
            return;
        }
        let plan_id = plan_id.clone();
        save_change(
            app,
            &id,
            move |f| {
                let mut plan = f
                    .ehc
                    .plans
                    .iter()
                    .find(|p| p.id == plan_id)
                    .cloned()
                    .ok_or("That plan is no longer on this desk.")?;
                let line = plan
                    .provision
                    .get_mut(line)
                    .ok_or("That provision line is no longer in the plan.")?;
                line.provision_id = Some(provision_id);
                f.put_ehc_plan(plan, chrono::Utc::now())
            },
            move |result| match result {
                Ok(()) => app
                    .notice
                    .set(Some(Notice::info("Linked to the provision map."))),
                Err(e) => app.notice.set(Some(Notice::error(e))),
            },
        );
    };
    let options = std::iter::once((String::new(), "Choose a provision".to_string()))
        .chain(choices)
        .collect::<Vec<_>>();
    view! {
        <div class="no-print inline-form">
            <label for=field_id.clone()>{format!("Provision for: {}", f_line.what)}</label>
            <select id=field_id on:change=move |ev| chosen.set(event_target_value(&ev))>
                {options.into_iter().map(|(v, l)| view! { <option value=v>{l}</option> }).collect_view()}
            </select>
            <button type="button" class="button button--secondary" on:click=link>"Link"</button>
        </div>
    }
    .into_any()
}

/// Ticks a school step of a review done today, or undoes it.
fn tick(app: AppState, id: &PupilId, review_id: &str, step: ReviewStep, done: bool) {
    let review_id = review_id.to_string();
    let today = today();
    save_change(
        app,
        id,
        move |f| {
            let mut review = f
                .ehc
                .reviews
                .iter()
                .find(|r| r.id == review_id)
                .cloned()
                .ok_or("That review is no longer on this desk.")?;
            if done {
                // The meeting was held on its own date, whenever it is ticked.
                let on = if step == ReviewStep::Meeting {
                    review.meeting.min(today)
                } else {
                    today
                };
                review.tick(step, on);
            } else {
                review.untick(step);
            }
            f.put_ehc_review(review, chrono::Utc::now(), today)
        },
        move |result| match result {
            Ok(()) => app
                .notice
                .set(Some(Notice::info(if done && step == ReviewStep::Meeting {
                    "Marked as held on the meeting's date.".to_string()
                } else if done {
                    format!("Marked done today: {}.", step.label())
                } else {
                    format!("No longer marked done: {}.", step.label())
                }))),
            Err(e) => app.notice.set(Some(Notice::error(e))),
        },
    );
}
