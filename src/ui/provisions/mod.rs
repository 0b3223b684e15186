//! The provision screens (issue 15): the list of provisions, one provision's page with its
//! pupils, cost and impact, its forms, recording a week of sessions, and the provision map.

mod details_form;
pub mod map;
mod page;
mod part_form;
mod plan_link;
mod pupil_section;
mod sessions;

pub use map::ProvisionMapPage;
pub use page::ProvisionPage;
pub use plan_link::{PlanProvisionEvidence, PlanRowProvision};
pub use pupil_section::PupilProvisions;
pub use sessions::SessionsPage;

use super::form::today;
use super::shell::{set_title, Unlocked};
use super::state::{use_app, AppState};
use crate::domain::dates::format_uk;
use crate::domain::provision::costs::Costing;
use crate::domain::provision::money::ExactCost;
use crate::domain::provision::record::Provision;
use crate::domain::Settings;
use leptos::prelude::*;

pub fn provision_href(app: AppState, id: &str) -> String {
    app.href(&format!("/provision?id={id}"))
}

pub fn sessions_href(app: AppState, id: &str) -> String {
    app.href(&format!("/sessions?id={id}"))
}

/// What costs are worked out from, from the settings, as of today.
pub fn costing(settings: &Settings) -> Costing<'_> {
    Costing {
        staff: &settings.provision.staff,
        rates: &settings.provision.rates,
        calendar: &settings.provision.calendar,
        today: today(),
    }
}

/// A warning where figures count from term dates copied forward and not yet checked
/// (Easter moves, so sessions planned, delivery and costs there may be wrong).
#[component]
pub fn TermDatesToCheck() -> impl IntoView {
    let app = use_app();
    let years = move || {
        app.session.with(|s| {
            s.as_ref()
                .map(|o| o.desk.settings.provision.calendar.years_to_check())
                .unwrap_or_default()
        })
    };
    move || {
        let years = years();
        (!years.is_empty()).then(|| {
            let named = years
                .iter()
                .map(|y| format!("{y} to {}", y + 1))
                .collect::<Vec<_>>()
                .join(" and ");
            let year_word = if years.len() == 1 { "that year" } else { "those years" };
            view! {
                <p class="notice notice--warning no-print" data-testid="term-dates-to-check">
                    {format!("The term dates for {named} were copied from the year before and are still to check: sessions planned, delivery and costs in {year_word} count from them. ")}
                    <a href=app.href("/provision-setup")>"Check the term dates"</a>
                </p>
            }
        })
    }
}

/// Whether money shows at all (the school can hide it from screens and prints).
pub fn money_shown(settings: &Settings) -> bool {
    !settings.provision.hide_money
}

/// An exact cost as shown: rounded to the penny only now.
pub fn pounds(cost: ExactCost) -> String {
    cost.rounded().to_string()
}

/// Minutes as hours to one place, "12.5 hours".
pub fn hours(minutes: u64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    let text = if tenths.is_multiple_of(10) {
        format!("{}", tenths / 10)
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    };
    format!("{text} hour{}", if text == "1" { "" } else { "s" })
}

/// "Mon 09:15, Wed 09:15".
pub fn timetable_text(p: &Provision) -> String {
    if p.timetable.is_empty() {
        return "No weekly sessions".into();
    }
    let mut slots = p.timetable.clone();
    slots.sort_by_key(|s| (s.weekday.num_days_from_monday(), s.starts));
    slots
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                s.weekday,
                crate::domain::dates::hh_mm::format(s.starts)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn ProvisionsPage() -> impl IntoView {
    view! { <Unlocked><ProvisionList/></Unlocked> }
}

#[component]
fn ProvisionList() -> impl IntoView {
    set_title("Provisions");
    let app = use_app();
    let show_ended = RwSignal::new(false);
    let rows = move || {
        let ended = show_ended.get();
        super::perf::measure("senco:provision-list", || {
            app.session.with(|s| {
                let Some(open) = s.as_ref() else {
                    return Vec::new();
                };
                let settings = &open.desk.settings;
                let costing = costing(settings);
                let today = costing.today;
                let mut list: Vec<&Provision> = open
                    .desk
                    .provisions()
                    .filter(|p| ended || p.ends >= today)
                    .collect();
                list.sort_by_cached_key(|p| (p.name.to_lowercase(), p.id.clone()));
                list.into_iter()
                    .map(|p| {
                        let cost = costing.provision(p);
                        let delivery = cost
                            .as_ref()
                            .map(|c| {
                                format!(
                                    "{} of {}",
                                    hours(c.minutes_delivered),
                                    hours(c.minutes_planned)
                                )
                            })
                            .unwrap_or_else(|_| delivered_hours(p, &costing));
                        let money = money_shown(settings).then(|| match &cost {
                            Ok(c) => pounds(c.to_date),
                            Err(problem) => problem.to_string(),
                        });
                        (
                            p.id.clone(),
                            p.name.clone(),
                            p.area.to_string(),
                            format!("{}, wave {}", p.kind.label(), p.wave.number()),
                            format!("{} to {}", format_uk(p.starts), format_uk(p.ends)),
                            p.group_on(today.clamp(p.starts, p.ends)),
                            delivery,
                            impact_text(p),
                            money,
                        )
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let money = move || {
        app.session
            .with(|s| s.as_ref().is_some_and(|o| money_shown(&o.desk.settings)))
    };
    let no_dates = move || {
        app.session.with(|s| {
            s.as_ref().is_some_and(|o| {
                o.desk
                    .settings
                    .provision
                    .calendar
                    .year_of(today())
                    .is_none()
            })
        })
    };
    let damaged = move || {
        app.session
            .with(|s| s.as_ref().map(|o| o.desk.damaged_provisions.len()))
            .unwrap_or(0)
    };
    view! {
        <h1 tabindex="-1">"Provisions"</h1>
        <TermDatesToCheck/>
        <p>"Interventions and support the school provides: who delivers them, which pupils are in them, what they cost and whether they work."</p>
        <div class="button-group">
            <a class="button" href=move || app.href("/provision?new")>"New provision"</a>
            <a class="button button--secondary" href=move || app.href("/provision-map")>"Provision map"</a>
        </div>
        <Show when=no_dates>
            <div class="notice" role="note">
                <p>"This school year's term dates are not entered yet, so no sessions can be planned or counted. "
                <a href=move || app.href("/provision-setup")>"Enter term dates and staff"</a></p>
            </div>
        </Show>
        <Show when=move || { damaged() > 0 }>
            <p class="notice notice--error">{move || format!("{} provision record(s) could not be opened. Restore them from a backup in Backups.", damaged())}</p>
        </Show>
        <div class="field">
            <label for="provisions-show">"Show"</label>
            <select id="provisions-show" on:change=move |ev| show_ended.set(event_target_value(&ev) == "all")>
                <option value="current" selected=move || !show_ended.get()>"Running now or still to come"</option>
                <option value="all" selected=move || show_ended.get()>"All, ended ones too"</option>
            </select>
        </div>
        {move || {
            let rows = rows();
            if rows.is_empty() {
                return view! { <p>"No provisions to show yet."</p> }.into_any();
            }
            let money = money();
            view! {
                <table class="table">
                    <caption class="visually-hidden">"Provisions"</caption>
                    <thead><tr>
                        <th scope="col">"Provision"</th>
                        <th scope="col">"Area of need"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Dates"</th>
                        <th scope="col">"Pupils"</th>
                        <th scope="col">"Delivered so far, of planned in all"</th>
                        <th scope="col">"Impact"</th>
                        {money.then(|| view! { <th scope="col">"Cost to date"</th> })}
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(id, name, area, kind, dates, pupils, delivery, impact, cost)| view! {
                            <tr>
                                <th scope="row"><a href=provision_href(app, &id)>{name}</a></th>
                                <td>{area}</td>
                                <td>{kind}</td>
                                <td>{dates}</td>
                                <td>{pupils}</td>
                                <td>{delivery}</td>
                                <td>{impact}</td>
                                {cost.map(|c| view! { <td>{c}</td> })}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

/// A provision's impact in a few words, always with its n.
fn impact_text(p: &Provision) -> String {
    use crate::domain::provision::impact::ProvisionImpact;
    let impact = ProvisionImpact::of(&p.enrolments);
    match (impact.ratio_gains, impact.score_changes) {
        (Some(r), _) => format!("Median ratio gain {:.1} (n = {})", r.median, r.n),
        (None, Some(s)) => format!("Median change {:+.1} points (n = {})", s.median, s.n),
        (None, None) if impact.outcomes.n() > 0 => format!(
            "{} of {} met or exceeded the outcome",
            impact.outcomes.met + impact.outcomes.exceeded,
            impact.outcomes.n()
        ),
        (None, None) => "No measures yet (n = 0)".into(),
    }
}

/// Delivered and planned hours without a cost (no staff or rate yet).
fn delivered_hours(p: &Provision, costing: &Costing) -> String {
    let delivered = p
        .sessions
        .iter()
        .filter(|s| s.was_delivered() && s.on <= costing.today)
        .count() as u64;
    let planned = costing.planned(p).len() as u64;
    format!(
        "{} of {}",
        hours(delivered * u64::from(p.minutes)),
        hours(planned * u64::from(p.minutes))
    )
}
