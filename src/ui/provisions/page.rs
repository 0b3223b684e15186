//! One provision's page (`/provision?id=…`): its details, its pupils with entry, exit,
//! attendance and ratings, delivered against planned, its cost with how it was made, and
//! its impact with n. `&edit` opens the details form, `&pupil=…` a pupil's part, `?new`
//! the form for a new provision. Prints on A4 portrait.

use super::details_form::DetailsForm;
use super::part_form::{AddPupil, PartForm};
use super::{costing, hours, money_shown, pounds, sessions_href, timetable_text};
use crate::domain::dates::format_uk;
use crate::domain::names::NameOrder;
use crate::domain::provision::costs::share_explained;
use crate::domain::provision::details::{gain_text, measure_text, rating_label};
use crate::domain::provision::impact::{ProvisionImpact, Spread};
use crate::domain::provision::record::{Provision, SessionOutcome};
use crate::domain::PupilId;
use crate::ui::shell::{set_title, Unlocked};
use crate::ui::state::use_app;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ProvisionPage() -> impl IntoView {
    view! { <Unlocked><ProvisionScreen/></Unlocked> }
}

#[component]
fn ProvisionScreen() -> impl IntoView {
    let app = use_app();
    let query = use_query_map();
    let id = Memo::new(move |_| query.with(|q| q.get("id").unwrap_or_default()));
    let new = Memo::new(move |_| query.with(|q| q.get("new").is_some()));
    let editing = Memo::new(move |_| query.with(|q| q.get("edit").is_some()));
    let pupil = Memo::new(move |_| query.with(|q| q.get("pupil")));
    let exists = Memo::new(move |_| {
        let id = id.get();
        app.session
            .with(|s| s.as_ref().is_some_and(|o| o.desk.provision(&id).is_some()))
    });
    Effect::new(move |first: Option<()>| {
        editing.track();
        pupil.track();
        if first.is_some() {
            request_animation_frame(crate::ui::shell::focus_heading);
        }
    });
    move || {
        if new.get() {
            set_title("New provision");
            let from_plan = query.with(|q| {
                Some((
                    PupilId(q.get("plan")?),
                    q.get("cycle")?.parse::<u32>().ok()?,
                    q.get("row")?.parse::<usize>().ok()?,
                ))
            });
            return view! { <DetailsForm id=None from_plan=from_plan/> }.into_any();
        }
        if !exists.get() {
            set_title("Provision not found");
            return view! {
                <h1 tabindex="-1">"Provision not found"</h1>
                <p>"This provision is not on this desk. "<a href=app.href("/provisions")>"See all provisions"</a></p>
            }
            .into_any();
        }
        let id = id.get();
        if editing.get() {
            set_title("Edit provision");
            return view! { <DetailsForm id=Some(id) from_plan=None/> }.into_any();
        }
        if let Some(pupil) = pupil.get() {
            set_title("A pupil in a provision");
            return view! { <PartForm id=id pupil=PupilId(pupil)/> }.into_any();
        }
        set_title("Provision");
        view! { <ProvisionView id=id/> }.into_any()
    }
}

/// One row of the pupils table.
struct PupilRow {
    id: PupilId,
    name: String,
    dates: String,
    entry: String,
    exit: String,
    gain: String,
    attendance: String,
    rating: String,
    share: Option<String>,
    /// How their share this year was made, for "How this was worked out".
    how: Option<String>,
}

#[component]
fn ProvisionView(id: String) -> impl IntoView {
    let app = use_app();
    let content = move || {
        let id = id.clone();
        app.session.with(|s| {
            let open = s.as_ref()?;
            let p = open.desk.provision(&id)?;
            Some(provision_view(app, &open.desk, p))
        })
    };
    view! { {content} }
}

fn staff_names(settings: &crate::domain::Settings, p: &Provision) -> String {
    if p.staff.is_empty() {
        return "Nobody chosen yet".into();
    }
    p.staff
        .iter()
        .map(|id| {
            settings
                .provision
                .member(id)
                .map(|m| format!("{} ({})", m.name, m.role.label()))
                .unwrap_or_else(|| "A member of staff no longer listed".into())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn spread_text(spread: &Option<Spread>, what: &str, unit: &str) -> String {
    match spread {
        None => format!("No {what} yet (n = 0)."),
        Some(s) => format!(
            "Median {what} {:.1}{unit}, from {:.1} to {:.1} (n = {}).",
            s.median, s.lowest, s.highest, s.n
        ),
    }
}

fn provision_view(
    app: crate::ui::state::AppState,
    desk: &crate::domain::Desk,
    p: &Provision,
) -> AnyView {
    let settings = &desk.settings;
    let costing = costing(settings);
    let today = costing.today;
    let show_money = money_shown(settings);
    let labels = desk.name_labels(NameOrder::SurnameFirst);
    let cost = costing.provision(p);
    let year = settings.provision.cost_year.of(today).days();
    let rows: Vec<PupilRow> = {
        let mut rows: Vec<PupilRow> = p
            .enrolments
            .iter()
            .map(|e| {
                let a = costing.pupil_attendance(p, &e.pupil, (p.starts, p.ends));
                let attendance = format!(
                    "{} of {} planned in all ({} of {})",
                    a.attended,
                    a.planned,
                    hours(a.minutes_attended),
                    hours(u64::from(a.planned) * u64::from(p.minutes))
                );
                PupilRow {
                    name: labels
                        .get(&e.pupil)
                        .cloned()
                        .unwrap_or_else(|| "A pupil no longer on the desk".into()),
                    id: e.pupil.clone(),
                    dates: match e.left {
                        Some(left) => format!("{} to {}", format_uk(e.joined), format_uk(left)),
                        None => format!("From {}", format_uk(e.joined)),
                    },
                    entry: e
                        .entry
                        .as_ref()
                        .map(measure_text)
                        .unwrap_or_else(|| "Not yet".into()),
                    exit: e
                        .exit
                        .as_ref()
                        .map(measure_text)
                        .unwrap_or_else(|| "Not yet".into()),
                    gain: gain_text(e.entry.as_ref(), e.exit.as_ref()),
                    attendance,
                    rating: e
                        .rating
                        .map(|r| {
                            format!(
                                "{:+}: {}",
                                r.value(),
                                rating_label(r.value()).to_lowercase()
                            )
                        })
                        .unwrap_or_else(|| "Not yet rated".into()),
                    how: show_money
                        .then(|| share_explained(&costing, p, &e.pupil, year).ok())
                        .flatten(),
                    share: show_money.then(|| match costing.pupil_share(p, &e.pupil, year) {
                        Ok(s) => format!(
                            "{} to date, {} projected this year",
                            pounds(s.to_date),
                            pounds(s.projected)
                        ),
                        Err(problem) => problem.to_string(),
                    }),
                }
            })
            .collect();
        rows.sort_by_cached_key(|r| r.name.to_lowercase());
        rows
    };
    // The pupils table as CSV, as shown (money left out when it is hidden).
    let csv = {
        let mut heading: Vec<String> = [
            "Pupil",
            "In it",
            "Entry",
            "Exit",
            "Gain",
            "Sessions attended",
            "Rating",
        ]
        .map(String::from)
        .to_vec();
        if show_money {
            heading.push("Their share".into());
        }
        let mut table = vec![heading];
        for r in &rows {
            let mut cells = vec![
                r.name.clone(),
                r.dates.clone(),
                r.entry.clone(),
                r.exit.clone(),
                r.gain.clone(),
                r.attendance.clone(),
                r.rating.clone(),
            ];
            if let Some(share) = &r.share {
                cells.push(share.clone());
            }
            table.push(cells);
        }
        crate::io::csv_out::table_csv(table)
    };
    let csv_name = format!("provision-{}.csv", crate::domain::dates::format_iso(today));
    let impact = ProvisionImpact::of(&p.enrolments);
    let not_delivered: Vec<(String, String)> = p
        .sessions
        .iter()
        .filter_map(|s| match &s.outcome {
            SessionOutcome::NotDelivered(why) => Some((
                format!(
                    "{} at {}",
                    format_uk(s.on),
                    crate::domain::dates::hh_mm::format(s.starts)
                ),
                why.label(),
            )),
            _ => None,
        })
        .collect();
    let planned_to_date = costing.planned(p).iter().filter(|s| s.on <= today).count();
    let recorded_to_date = p.sessions.iter().filter(|s| s.on <= today).count();
    let delivered_to_date = p
        .sessions
        .iter()
        .filter(|s| s.on <= today && s.was_delivered())
        .count();
    let edit_href = app.href(&format!("/provision?id={}&edit", p.id));
    let sessions = sessions_href(app, &p.id);
    let id_for_add = p.id.clone();
    let history: Vec<String> = p
        .history
        .iter()
        .rev()
        .take(50)
        .map(|c| format!("{}: {} ({})", format_uk(c.at.date_naive()), c.what, c.by))
        .collect();
    let extras: Vec<String> = p
        .extra_costs
        .iter()
        .map(|c| format!("{}: {} on {}", c.description, c.amount, format_uk(c.on)))
        .collect();
    let shares: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.how
                .as_ref()
                .map(|how| format!("{}, this year: {how}", r.name))
        })
        .collect();
    let cost_section = show_money.then(|| match &cost {
        Ok(c) => {
            let rates = c
                .session
                .hourly
                .iter()
                .map(|(name, rate)| format!("{name} at {rate} an hour"))
                .collect::<Vec<_>>()
                .join(", ");
            let how = format!(
                "Each session: {} minutes of {rates} = {}. Delivered: {} session{} ({}). Extra costs: {} to date, {} in all. Projected adds the {} sessions the timetable plans after today (a 1:1 session once for each pupil).",
                c.session.minutes,
                pounds(c.session.cost),
                c.sessions_delivered,
                if c.sessions_delivered == 1 { "" } else { "s" },
                hours(c.minutes_delivered),
                pounds(c.extras_to_date),
                pounds(c.extras_in_all),
                costing.planned(p).iter().filter(|s| s.on > today).count(),
            );
            view! {
                <section aria-labelledby="cost-title">
                    <h2 id="cost-title">"Cost"</h2>
                    <dl class="summary-list">
                        <dt>"Cost to date"</dt><dd>{pounds(c.to_date)}</dd>
                        <dt>"Projected to its end"</dt><dd>{pounds(c.projected)}</dd>
                    </dl>
                    <details>
                        <summary>"How this was worked out"</summary>
                        <p>{how}</p>
                        {(!extras.is_empty()).then(|| view! {
                            <ul>{extras.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
                        })}
                        {(!shares.is_empty()).then(|| view! {
                            <p>"Each pupil's share: a group's session is shared by the pupils in it that day; a 1:1 session is the pupil's own."</p>
                            <ul>{shares.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul>
                        })}
                    </details>
                </section>
            }
            .into_any()
        }
        Err(problem) => view! {
            <section aria-labelledby="cost-title">
                <h2 id="cost-title">"Cost"</h2>
                <p>{format!("The cost cannot be worked out yet. {problem}.")}</p>
            </section>
        }
        .into_any(),
    });
    let warning = impact
        .ratio_gains
        .as_ref()
        .or(impact.score_changes.as_ref())
        .and_then(|s| s.warning())
        .or_else(|| {
            (impact.ratio_gains.is_none() && impact.score_changes.is_none()).then(|| {
                "No pupil has both an entry and an exit measure yet: nothing to judge by."
                    .to_string()
            })
        });
    let outcomes = impact.outcomes;
    view! {
        <div class="print-header print-only">
            <span>{settings.school_name.clone()}</span>
            <span>{format!("Printed {}", format_uk(today))}</span>
        </div>
        <h1 tabindex="-1">{p.name.clone()}</h1>
        <super::TermDatesToCheck/>
        <div class="button-group">
            <a class="button" href=sessions>"Record sessions"</a>
            <a class="button button--secondary" href=edit_href>"Edit details"</a>
            <button type="button" class="button button--secondary" on:click=move |_| {
                if let Some(w) = web_sys::window() { let _ = w.print(); }
            }>"Print"</button>
            <button type="button" class="button button--secondary" on:click=move |_| {
                if let Err(e) = crate::ui::download::download_as(&csv_name, &csv, "text/csv;charset=utf-8") {
                    app.notice.set(Some(crate::ui::state::Notice::error(e)));
                }
            }>"Download pupils as CSV"</button>
                        <a class="button button--secondary" href=app.href("/provisions")>"All provisions"</a>
        </div>
        <dl class="summary-list summary-list--grid">
            <dt>"Area of need"</dt><dd>{p.area.to_string()}</dd>
            <dt>"Type"</dt><dd>{format!("{}, wave {}", p.kind.label(), p.wave.number())}</dd>
            <dt>"Delivered by"</dt><dd>{staff_names(settings, p)}</dd>
            <dt>"Sessions"</dt><dd>{format!("{}, {} minutes each", timetable_text(p), p.minutes)}</dd>
            <dt>"Dates"</dt><dd>{format!("{} to {}", format_uk(p.starts), format_uk(p.ends))}</dd>
            <dt>"Funding"</dt><dd>{p.funding.label()}{p.confidential.then_some(" (confidential)")}</dd>
            <dt>"Intended outcome"</dt><dd class="prose">{if p.intended_outcome.is_empty() { "Not written yet".to_string() } else { p.intended_outcome.clone() }}</dd>
            {(!p.description.is_empty()).then(|| view! { <dt>"Description"</dt><dd class="prose">{p.description.clone()}</dd> })}
        </dl>

        <section aria-labelledby="pupils-title">
            <h2 id="pupils-title">"Pupils"</h2>
            {if rows.is_empty() {
                view! { <p>"No pupils in it yet."</p> }.into_any()
            } else {
                view! {
                    <table class="table">
                        <caption class="visually-hidden">"Pupils in this provision"</caption>
                        <thead><tr>
                            <th scope="col">"Pupil"</th>
                            <th scope="col">"In it"</th>
                            <th scope="col">"Entry"</th>
                            <th scope="col">"Exit"</th>
                            <th scope="col">"Gain"</th>
                            <th scope="col">"Sessions attended"</th>
                            <th scope="col">"Rating"</th>
                            {show_money.then(|| view! { <th scope="col">"Their share"</th> })}
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let href = app.href(&format!("/provision?id={}&pupil={}", p.id, r.id.0));
                                view! {
                                    <tr>
                                        <th scope="row"><a href=href>{r.name}</a></th>
                                        <td>{r.dates}</td>
                                        <td>{r.entry}</td>
                                        <td>{r.exit}</td>
                                        <td>{r.gain}</td>
                                        <td>{r.attendance}</td>
                                        <td>{r.rating}</td>
                                        {r.share.map(|s| view! { <td>{s}</td> })}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <AddPupil id=id_for_add/>
        </section>

        <section aria-labelledby="delivery-title">
            <h2 id="delivery-title">"Delivered against planned"</h2>
            {match &cost {
                Ok(c) => view! {
                    <p>{format!("{} delivered of {} planned in all ({} of {}).", c.sessions_delivered, c.sessions_planned, hours(c.minutes_delivered), hours(c.minutes_planned))}</p>
                }.into_any(),
                Err(_) => view! { <p>{format!("{delivered_to_date} sessions delivered.")}</p> }.into_any(),
            }}
            <p>{format!("To date: {delivered_to_date} delivered, {} not delivered, {} of {planned_to_date} planned sessions recorded.", recorded_to_date - delivered_to_date, recorded_to_date.min(planned_to_date))}</p>
            {(!not_delivered.is_empty()).then(|| view! {
                <details>
                    <summary>{format!("Sessions not delivered ({})", not_delivered.len())}</summary>
                    <ul>{not_delivered.into_iter().map(|(when, why)| view! { <li>{format!("{when}: {why}")}</li> }).collect_view()}</ul>
                </details>
            })}
        </section>

        {cost_section}

        <section aria-labelledby="impact-title">
            <h2 id="impact-title">"Impact"</h2>
            {warning.map(|w| view! { <p class="notice notice--warning">{w}</p> })}
            <ul>
                <li>{spread_text(&impact.ratio_gains, "ratio gain", "")}{impact.ratio_gains.map(|s| format!(" {} of {} made a good gain (2 or more).", impact.good_or_better, s.n))}</li>
                <li>{spread_text(&impact.score_changes, "change in standardised score", " points")}{impact.score_changes.map(|s| format!(" {} of {} changed by 5 points or more.", impact.meaningful, s.n))}</li>
                <li>{format!("Against the intended outcome (n = {}): {} exceeded, {} met, {} fell short.", outcomes.n(), outcomes.exceeded, outcomes.met, outcomes.fell_short)}</li>
                <li>{format!("{} without both measures yet; {} with measures that cannot be compared.", crate::domain::text::count(impact.without_both_measures, "pupil"), impact.not_comparable)}</li>
            </ul>
        </section>

        <details class="no-print">
            <summary>{format!("Change history ({})", p.history.len())}</summary>
            <ul>{history.into_iter().map(|h| view! { <li>{h}</li> }).collect_view()}</ul>
        </details>
    }
    .into_any()
}
