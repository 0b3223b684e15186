//! The provision map (`/provision-map`): for a year group or class, each pupil with SEN (and
//! anyone else in a provision) with what they receive over a term or dates, hours a week and
//! cost; pupils with SEN and no provision stand out. Below it, each pupil's cost over the
//! school's chosen year against the notional threshold, and totals. Prints on A4
//! landscape; downloads as CSV.

use super::{costing, money_shown, pounds, provision_href};
use crate::domain::dates::{format_uk, parse_date};
use crate::domain::names::NameOrder;
use crate::domain::provision::map::{provision_map, MapFilter, MapRow, MapScope};
use crate::domain::provision::record::Wave;
use crate::domain::provision::totals::{pupil_year_costs, totals_by, PupilYearCost};
use crate::domain::{BroadArea, YearGroup};
use crate::io::csv_out::provision_map_csv;
use crate::ui::form::{error_for, today, ErrorSummary, Problem, SelectField, TextField};
use crate::ui::shell::{set_title, Unlocked};
use crate::ui::state::use_app;
use leptos::prelude::*;

#[component]
pub fn ProvisionMapPage() -> impl IntoView {
    view! { <Unlocked><MapScreen/></Unlocked> }
}

/// Scopes the desk has: "y:<code>" for each year group with pupils, "c:<class>" each class.
fn scopes(desk: &crate::domain::Desk) -> Vec<(String, String)> {
    let mut years: Vec<YearGroup> = desk
        .files()
        .filter(|f| !f.pupil.is_archived())
        .map(|f| f.pupil.year_group)
        .collect();
    years.sort();
    years.dedup();
    let mut classes: Vec<String> = desk
        .files()
        .filter(|f| !f.pupil.is_archived() && !f.pupil.class_name.trim().is_empty())
        .map(|f| f.pupil.class_name.trim().to_string())
        .collect();
    classes.sort_by_key(|c| c.to_lowercase());
    classes.dedup_by_key(|c| c.to_lowercase());
    years
        .into_iter()
        .map(|y| (format!("y:{}", y.code()), y.to_string()))
        .chain(
            classes
                .into_iter()
                .map(|c| (format!("c:{c}"), format!("Class {c}"))),
        )
        .collect()
}

fn scope_of(code: &str) -> Option<MapScope> {
    if let Some(year) = code.strip_prefix("y:") {
        return YearGroup::from_code(year).map(MapScope::Year);
    }
    code.strip_prefix("c:")
        .map(|c| MapScope::Class(c.to_string()))
}

/// The terms the calendar holds, as (from, to, label), most recent school year first.
fn terms(
    settings: &crate::domain::Settings,
) -> Vec<(chrono::NaiveDate, chrono::NaiveDate, String)> {
    let mut years = settings.provision.calendar.years.clone();
    years.sort_by_key(|y| std::cmp::Reverse(y.starts_in));
    years
        .iter()
        .flat_map(|y| {
            y.terms.iter().map(move |t| {
                (
                    t.starts,
                    t.ends,
                    format!("{} {} to {}", t.name, y.starts_in, y.starts_in + 1),
                )
            })
        })
        .collect()
}

#[component]
fn MapScreen() -> impl IntoView {
    set_title("Provision map");
    let app = use_app();
    let (choices, term_choices, default_term) = app.session.with_untracked(|s| {
        let Some(open) = s.as_ref() else {
            return (Vec::new(), Vec::new(), None);
        };
        let terms = terms(&open.desk.settings);
        let now = today();
        let current = terms
            .iter()
            .position(|(from, to, _)| *from <= now && now <= *to)
            .or_else(|| (!terms.is_empty()).then_some(0));
        (scopes(&open.desk), terms, current)
    });
    let scope = RwSignal::new(choices.first().map(|c| c.0.clone()).unwrap_or_default());
    let term = RwSignal::new(
        default_term
            .map(|i| i.to_string())
            .unwrap_or_else(|| "dates".into()),
    );
    let (year_from, year_to) = crate::domain::provision::costs::CostYear::school_of(today()).days();
    let from = RwSignal::new(format_uk(year_from));
    let to = RwSignal::new(format_uk(year_to));
    let area = RwSignal::new(String::new());
    let wave = RwSignal::new(String::new());
    let problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let term_list = StoredValue::new(term_choices.clone());
    // The period chosen, or the problems with the dates typed.
    let period = Memo::new(move |_| {
        let chosen = term.get();
        if let Ok(i) = chosen.parse::<usize>() {
            if let Some((a, b, _)) = term_list.with_value(|t| t.get(i).cloned()) {
                return Ok((a, b));
            }
        }
        let (a, b) = (parse_date(&from.get()), parse_date(&to.get()));
        match (a, b) {
            (Some(a), Some(b)) if a <= b => Ok((a, b)),
            (Some(_), Some(_)) => Err(vec![(
                "map-to".to_string(),
                "The last date must be on or after the first.".to_string(),
            )]),
            _ => Err(vec![(
                if a.is_none() { "map-from" } else { "map-to" }.to_string(),
                "Enter a date as day/month/year, for example 01/09/2026.".to_string(),
            )]),
        }
    });
    Effect::new(move |_| problems.set(period.get().err().unwrap_or_default()));
    let filter = Memo::new(move |_| {
        let (from, to) = period.get().ok()?;
        Some(MapFilter {
            scope: scope_of(&scope.get())?,
            from,
            to,
            area: BroadArea::from_code(&area.get()),
            wave: Wave::ALL
                .into_iter()
                .find(|w| w.number().to_string() == wave.get()),
        })
    });
    // Names are made once for the desk as it is, not at each choice of year group.
    let labels = Memo::new(move |_| {
        app.session.with(|s| {
            s.as_ref()
                .map(|o| o.desk.name_labels(NameOrder::SurnameFirst))
                .unwrap_or_default()
        })
    });
    let rows = Memo::new(move |_| {
        let filter = filter.get()?;
        labels.with(|labels| {
            app.session.with(|s| {
                let open = s.as_ref()?;
                let costing = costing(&open.desk.settings);
                Some(crate::ui::perf::measure("senco:provision-map", || {
                    provision_map(
                        &open.desk,
                        open.desk.provisions(),
                        &costing,
                        &filter,
                        labels,
                    )
                }))
            })
        })
    });
    let show_money = move || {
        app.session
            .with(|s| s.as_ref().is_some_and(|o| money_shown(&o.desk.settings)))
    };
    let download = move |_| {
        let Some(rows) = rows.get_untracked() else {
            return;
        };
        let csv = provision_map_csv(&rows, show_money());
        let name = format!(
            "provision-map-{}.csv",
            crate::domain::dates::format_iso(today())
        );
        if let Err(e) = crate::ui::download::download_as(&name, &csv, "text/csv;charset=utf-8") {
            problems.set(vec![(String::new(), e)]);
        }
    };
    let mut term_options: Vec<(String, String)> = term_choices
        .iter()
        .enumerate()
        .map(|(i, (_, _, label))| (i.to_string(), label.clone()))
        .collect();
    term_options.push(("dates".into(), "Dates I choose".into()));
    let area_options = std::iter::once((String::new(), "All areas".to_string()))
        .chain(
            BroadArea::ALL
                .iter()
                .map(|a| (a.code().to_string(), a.to_string())),
        )
        .collect::<Vec<_>>();
    let wave_options = vec![
        (String::new(), "All waves".to_string()),
        ("1".into(), "Wave 1".into()),
        ("2".into(), "Wave 2".into()),
        ("3".into(), "Wave 3".into()),
    ];
    let school = app.settings().map(|s| s.school_name).unwrap_or_default();
    let scope_label = move || {
        let code = scope.get();
        choices
            .iter()
            .find(|c| c.0 == code)
            .map(|c| c.1.clone())
            .unwrap_or_default()
    };
    view! {
        <div class="provision-map-page">
        <div class="print-header print-only">
            <span>{school}</span>
            <span>{format!("Printed {}", format_uk(today()))}</span>
        </div>
        <h1 tabindex="-1">"Provision map"</h1>
        <super::TermDatesToCheck/>
        <ErrorSummary problems=problems/>
        <form class="filters" on:submit=|ev| ev.prevent_default() novalidate>
            <SelectField id="map-scope" label="Year group or class" value=scope options=scope_options(app)/>
            <SelectField id="map-term" label="Period" value=term options=term_options/>
            <Show when=move || term.get() == "dates">
                <TextField id="map-from" label="From" value=from date=true error=error_for(problems, "map-from")/>
                <TextField id="map-to" label="To" value=to date=true error=error_for(problems, "map-to")/>
            </Show>
            <SelectField id="map-area" label="Broad area of need" value=area options=area_options.clone()/>
            <SelectField id="map-wave" label="Wave" value=wave options=wave_options.clone()/>
        </form>
        <div class="button-group">
            <button type="button" class="button button--secondary" on:click=move |_| {
                if let Some(w) = web_sys::window() { let _ = w.print(); }
            }>"Print the map"</button>
            <button type="button" class="button button--secondary" on:click=download>"Download as CSV"</button>
        </div>
        <p class="print-only">{move || format!("{}, {}", scope_label(), period.get().map(|(a, b)| format!("{} to {}", format_uk(a), format_uk(b))).unwrap_or_default())}</p>
        {move || match rows.get() {
            None => view! { <p>"Choose a year group or class and a period."</p> }.into_any(),
            Some(rows) if rows.is_empty() => view! { <p>"No pupils with SEN or in a provision here."</p> }.into_any(),
            Some(rows) => map_table(app, rows, show_money()).into_any(),
        }}
        <YearCosts/>
        </div>
    }
}

fn scope_options(app: crate::ui::state::AppState) -> Vec<(String, String)> {
    app.session
        .with_untracked(|s| s.as_ref().map(|o| scopes(&o.desk)))
        .unwrap_or_default()
}

/// Rows drawn in the frame after a choice: more than the tallest screen shows below the
/// filters. The rest follow, `ROWS_A_FRAME` at a time, in the frames after (a year group of
/// sixty drawn at once took two frames' time to lay out and paint).
const FIRST_ROWS: usize = 8;
const ROWS_A_FRAME: usize = 16;

fn map_table(app: crate::ui::state::AppState, rows: Vec<MapRow>, money: bool) -> impl IntoView {
    let standing_out = rows.iter().filter(|r| r.stands_out()).count();
    let first: String = rows
        .iter()
        .take(FIRST_ROWS)
        .map(|r| row_html(app, r, money))
        .collect();
    let later: Vec<MapRow> = rows.into_iter().skip(FIRST_ROWS).collect();
    let body = NodeRef::<leptos::html::Tbody>::new();
    // Screen readers wait for the whole table while it is busy.
    let busy = RwSignal::new(!later.is_empty());
    let later = StoredValue::new(Some(later));
    Effect::new(move |_| {
        let Some(body) = body.get() else { return };
        if let Some(later) = later.try_update_value(Option::take).flatten() {
            leptos::task::spawn_local(draw_in_frames(app, body.into(), later, money, busy));
        }
    });
    view! {
        {(standing_out > 0).then(|| view! {
            <p class="notice notice--warning">{format!("{} with SEN {} no provision in this period: marked \u{201c}No provision\u{201d} below.", crate::domain::text::count(standing_out, "pupil"), if standing_out == 1 { "has" } else { "have" })}</p>
        })}
        {money.then(|| view! {
            <p class="hint">"Cost over the period: each pupil's share of every session of their provisions in it (delivered to date, planned after) and of extra costs; each provision's page shows how its shares are made."</p>
        })}
        <table class="table provision-map" class:provision-map--money=money
            aria-busy=move || busy.get().then_some("true")>
            <caption class="visually-hidden">"Provision map"</caption>
            <thead><tr>
                <th scope="col" class="provision-map__pupil">"Pupil"</th>
                <th scope="col" class="provision-map__status">"SEN status"</th>
                <th scope="col" class="provision-map__provisions">"Provisions"</th>
                <th scope="col" class="provision-map__hours">"Hours a week"</th>
                {money.then(|| view! { <th scope="col" class="provision-map__cost">"Cost over the period"</th> })}
            </tr></thead>
            // Built as markup, every text escaped: a node at a time took longer than a frame
            // for a year group of sixty.
            <tbody node_ref=body inner_html=first></tbody>
        </table>
    }
}

/// Adds the map's later rows to `body` a few at a time, each batch after the frame before
/// is painted, so the first rows show at once. Stops if another choice replaced the table.
async fn draw_in_frames(
    app: crate::ui::state::AppState,
    body: web_sys::Element,
    later: Vec<MapRow>,
    money: bool,
    busy: RwSignal<bool>,
) {
    for batch in later.chunks(ROWS_A_FRAME) {
        crate::ui::frames::after_next_paint().await;
        if !body.is_connected() {
            return;
        }
        let markup: String = batch.iter().map(|r| row_html(app, r, money)).collect();
        let _ = body.insert_adjacent_html("beforeend", &markup);
    }
    busy.try_set(false);
}

/// One row of the map as HTML, every text escaped (names come from the MIS and from typing).
fn row_html(app: crate::ui::state::AppState, row: &MapRow, money: bool) -> String {
    use crate::io::html::escape;
    let mut html = String::with_capacity(400);
    let stands_out = row.stands_out();
    html.push_str(if stands_out {
        "<tr class=\"map-row--none\">"
    } else {
        "<tr>"
    });
    html.push_str(&format!(
        "<th scope=\"row\"><a href=\"{}\">{}</a></th><td>{}</td><td>",
        escape(&app.href(&format!("/pupil?id={}", row.pupil.0))),
        escape(&row.label),
        escape(&row.status.to_string())
    ));
    if stands_out {
        html.push_str("<strong>No provision</strong>");
    } else {
        html.push_str("<ul class=\"plain-list\">");
        for e in &row.entries {
            html.push_str(&format!(
                "<li><a href=\"{}\">{}</a> ({} min a week)</li>",
                escape(&provision_href(app, &e.provision)),
                escape(&e.name),
                e.minutes_a_week
            ));
        }
        html.push_str("</ul>");
    }
    let hours = super::hours(u64::from(row.minutes_a_week()))
        .replace(" hours", "")
        .replace(" hour", "");
    html.push_str(&format!("</td><td>{}</td>", escape(&hours)));
    if money {
        let cost = match row.cost() {
            Some(c) => pounds(c),
            None if row.entries.is_empty() => pounds(Default::default()),
            None => "Not worked out: a rate is not set".to_string(),
        };
        html.push_str(&format!("<td>{}</td>", escape(&cost)));
    }
    html.push_str("</tr>");
    html
}

/// Each pupil's cost over the school's chosen year against the threshold, and totals by
/// year group, class and primary need. Hidden with money.
#[component]
fn YearCosts() -> impl IntoView {
    let app = use_app();
    move || {
        app.session.with(|s| {
            let open = s.as_ref()?;
            let settings = &open.desk.settings;
            if !money_shown(settings) {
                return None;
            }
            let costing = costing(settings);
            let year = settings.provision.cost_year.of(costing.today);
            let (from, to) = year.days();
            let costs = crate::ui::perf::measure("senco:provision-year-costs", || {
                pupil_year_costs(&open.desk, &costing, (from, to))
            });
            let threshold = settings.provision.threshold;
            let near: Vec<&PupilYearCost> = costs.iter().filter(|c| c.is_near(threshold)).collect();
            let by_year = totals_by(&costs, |c| c.year_group);
            let by_class = totals_by(&costs, |c| c.class_name.trim().to_string());
            let by_need = totals_by(&costs, |c| c.primary.map(|n| n.to_string()).unwrap_or_else(|| "No primary need recorded".into()));
            let year_text = format!("{} to {}", format_uk(from), format_uk(to));
            let total_rows = |title: &'static str, rows: Vec<(String, crate::domain::provision::totals::Total)>| view! {
                <table class="table">
                    <caption>{title}</caption>
                    <thead><tr><th scope="col">"Group"</th><th scope="col">"Pupils"</th><th scope="col">"Cost"</th></tr></thead>
                    <tbody>{rows.into_iter().map(|(k, t)| view! {
                        <tr><th scope="row">{k}</th><td>{t.pupils}</td><td>{pounds(t.cost)}{(t.incomplete > 0).then(|| format!(" ({} not fully worked out)", t.incomplete))}</td></tr>
                    }).collect_view()}</tbody>
                </table>
            };
            Some(view! {
                <section aria-labelledby="year-costs-title" class="year-costs">
                    <h2 id="year-costs-title">{format!("Cost per pupil, {year_text}")}</h2>
                    <p>{format!("Each pupil's share of every provision this year (delivered to date, planned after), against the notional SEN budget threshold of {threshold}. Pupils at 75% or more of it:")}</p>
                    {if near.is_empty() {
                        view! { <p>"None."</p> }.into_any()
                    } else {
                        view! {
                            <ul data-testid="near-threshold">{near.iter().map(|c| view! {
                                <li><a href=app.href(&format!("/pupil?id={}", c.pupil.0))>{c.label.clone()}</a>{format!(": {} of {}", pounds(c.cost), threshold)}</li>
                            }).collect_view()}</ul>
                        }.into_any()
                    }}
                    {total_rows("Totals by year group", by_year.into_iter().map(|(k, t)| (k.to_string(), t)).collect())}
                    {total_rows("Totals by class", by_class.into_iter().map(|(k, t)| (if k.is_empty() { "No class".to_string() } else { k }, t)).collect())}
                    {total_rows("Totals by primary need", by_need.into_iter().collect())}
                </section>
            })
        })
    }
}
