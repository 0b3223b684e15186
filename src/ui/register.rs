//! The Pupils page: the SEN register (or the whole roll) with filters, sortable columns,
//! the summary and census check, open concerns, and CSV downloads.

use super::download::download_as;
use super::form::today;
use super::perf;
use super::pupil_form::PupilForm;
use super::shell::{set_title, Unlocked};
use super::state::{use_app, Notice, RegisterView};
use crate::domain::dates::format_uk;
use crate::domain::names::NameOrder;
use crate::domain::register::{Register, RegisterFilter, Scope, Sort, SortColumn};
use crate::domain::text::{count, thousands};
use crate::domain::{BroadArea, Flag, NeedType, SenStatus, YearGroup};
use crate::io::csv_out::{register_csv, summary_csv};
use leptos::prelude::*;

/// Rows per page: a whole school of 2,000 in one table is slow to draw and to read.
const PAGE_SIZE: usize = 50;

#[component]
pub fn Pupils() -> impl IntoView {
    view! { <Unlocked summaries_enough=true><PupilsPage/></Unlocked> }
}

#[component]
fn PupilsPage() -> impl IntoView {
    let adding = RwSignal::new(false);
    let app = use_app();
    Effect::new(move |first: Option<()>| {
        if adding.get() {
            app.notice.set(None);
        }
        if first.is_some() {
            request_animation_frame(super::shell::focus_heading);
        }
    });
    view! {
        {move || if adding.get() {
            view! { <PupilForm editing=None on_done=Callback::new(move |_| adding.set(false))/> }.into_any()
        } else {
            view! {
                // A new pupil's details kept when the desk locked (issue 13, point 2).
                <super::drafts::DraftOffer open=move |form: String| adding.set(form == "new-pupil")/>
                <RegisterPage adding=adding/>
            }.into_any()
        }}
    }
}

fn column_label(column: SortColumn) -> &'static str {
    match column {
        SortColumn::Name => "Name",
        SortColumn::Year => "Year",
        SortColumn::Class => "Class",
        SortColumn::Status => "SEN status",
        SortColumn::PrimaryNeed => "Primary need",
        SortColumn::SecondaryNeed => "Secondary need",
        SortColumn::Flags => "Flags",
    }
}

/// Reads an optional choice from a select: "" is "any".
fn choice<T>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
    (!text.is_empty()).then(|| parse(text)).flatten()
}

#[component]
fn RegisterPage(adding: RwSignal<bool>) -> impl IntoView {
    set_title("Pupils");
    let app = use_app();
    let state = app.register_view;
    let register = Memo::new(move |_| {
        perf::measure("senco:register-build", || {
            app.session.with(|s| {
                s.as_ref()
                    .map(|o| Register::build(&o.desk, today()))
                    .unwrap_or_default()
            })
        })
    });
    let selected = Memo::new(move |_| {
        let (filter, sort) = state.with(|v| (v.filter.clone(), v.sort));
        perf::measure("senco:register-view", || {
            register.with(|r| r.select(&filter, sort))
        })
    });
    let roll = move || register.with(|r| r.rows().iter().filter(|row| !row.archived).count());
    // The table and the pager are drawn once and kept while rows come and go: only the
    // rows and the page numbers redraw after a keystroke.
    let has_rows = Memo::new(move |_| selected.with(|s| !s.is_empty()));
    let has_pages = Memo::new(move |_| selected.with(|s| s.len() > PAGE_SIZE));
    let pages = move || selected.with(|s| s.len().div_ceil(PAGE_SIZE).max(1));
    let page = move || state.with(|v| v.page).min(pages() - 1);
    let set_filter = move |change: &dyn Fn(&mut RegisterView)| {
        state.update(|v| {
            change(v);
            v.page = 0;
        });
    };

    let status_line = move || {
        let total = selected.with(Vec::len);
        let sort = state.with(|v| v.sort);
        let order = match (sort.column, sort.descending) {
            (SortColumn::Name, false) => "A to Z".to_string(),
            (SortColumn::Name, true) => "Z to A".to_string(),
            (_, false) => "ascending".to_string(),
            (_, true) => "descending".to_string(),
        };
        let sorted = format!(
            "sorted by {} ({order})",
            column_label(sort.column).to_lowercase()
        );
        match (total, roll()) {
            (_, 0) => "No pupils yet. Import the roll from your MIS, or add a pupil.".to_string(),
            (0, _) => format!("No pupils match. {} on roll.", count(roll(), "pupil")),
            (total, _) => {
                let first = page() * PAGE_SIZE + 1;
                let last = (first + PAGE_SIZE - 1).min(total);
                format!(
                    "Showing {} to {} of {}, {sorted}.",
                    thousands(first),
                    thousands(last),
                    count(total, "pupil")
                )
            }
        }
    };

    let sort_header = move |column: SortColumn| {
        let sort_state = move || {
            state.with(|v| {
                (v.sort.column == column).then_some(if v.sort.descending {
                    "descending"
                } else {
                    "ascending"
                })
            })
        };
        let arrow = move || match sort_state() {
            Some("ascending") => " \u{25b2}",
            Some(_) => " \u{25bc}",
            None => "",
        };
        let toggle = move |_| {
            state.update(|v| {
                v.sort = if v.sort.column == column {
                    Sort {
                        column,
                        descending: !v.sort.descending,
                    }
                } else {
                    Sort {
                        column,
                        descending: false,
                    }
                };
                v.page = 0;
            })
        };
        view! {
            <th scope="col" aria-sort=sort_state>
                <button type="button" class="sort-button" on:click=toggle>
                    {column_label(column)}<span aria-hidden="true">{arrow}</span>
                </button>
            </th>
        }
    };

    let export_register = move |_| {
        let csv = register.with(|r| {
            let rows = state.with_untracked(|v| r.view(&v.filter, v.sort));
            register_csv(&rows)
        });
        offer_csv(
            "sen-register",
            &csv,
            "It is not encrypted: keep it safe and delete it when done.",
        );
    };
    let export_summary = move |_| {
        let school = app.settings().map(|s| s.school_name).unwrap_or_default();
        let csv = register.with(|r| summary_csv(&school, today(), &r.summary()));
        offer_csv("sen-summary", &csv, "Counts only, no names.");
    };

    let whole_roll = move || state.with(|v| v.filter.scope == Scope::WholeRoll);
    let more_open = RwSignal::new(more_filters_remembered());

    view! {
        <div class="page-head">
            <h1 tabindex="-1">"Pupils"</h1>
            <div class="button-group">
                <button type="button" class="button" on:click=move |_| adding.set(true)>"Add a pupil"</button>
                <a class="button button--secondary" href=app.href("/import")>"Import from your MIS"</a>
                <a class="button button--secondary" href=app.href("/year-end")>"Year-end rollover"</a>
            </div>
        </div>
        <SummaryLine register=register/>
        <form class="filters" role="search" aria-label="Filter the register" on:submit=|ev| ev.prevent_default()>
            // One row: the search, the two scopes, and the button that unfolds the rest, so
            // the list starts high on a laptop's page.
            <div class="filters__row">
                <div class="field filters__search">
                    <label for="filter-search">"Search by name or UPN"</label>
                    <input id="filter-search" type="search" autocomplete="off" spellcheck="false"
                        prop:value=move || state.with(|v| v.filter.search.clone())
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            set_filter(&|v| v.filter.search = text.clone());
                        }/>
                </div>
                <div class="filters__choices">
                    <div class="choice">
                        <input type="checkbox" id="whole-roll" autocomplete="off" prop:checked=whole_roll
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                set_filter(&|v| v.filter.scope = if on { Scope::WholeRoll } else { Scope::SenRegister });
                            }/>
                        <label for="whole-roll">"Show the whole roll (not only the SEN register)"</label>
                    </div>
                    <div class="choice">
                        <input type="checkbox" id="include-archived" autocomplete="off"
                            prop:checked=move || state.with(|v| v.filter.include_archived)
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                set_filter(&|v| v.filter.include_archived = on);
                            }/>
                        <label for="include-archived">"Include archived pupils (leavers)"</label>
                    </div>
                </div>
                <div class="button-group filters__buttons">
                    <button type="button" class="button button--secondary" aria-controls="more-filters"
                        aria-expanded=move || if more_open.get() { "true" } else { "false" }
                        on:click=move |_| {
                            let open = !more_open.get_untracked();
                            more_open.set(open);
                            remember_more_filters(open);
                        }>
                        {move || {
                            let used = state.with(|v| v.filter.narrowing_choices());
                            match used {
                                0 => "More filters".to_string(),
                                n => format!("More filters ({n} in use)"),
                            }
                        }}
                    </button>
                    <button type="button" class="button button--secondary"
                        on:click=move |_| set_filter(&|v| v.filter = Default::default())>"Clear filters"</button>
                </div>
            </div>
            <div class="filter-grid" id="more-filters" hidden=move || !more_open.get()>
                {filter_select(state, "filter-status", "SEN status", "Any status",
                    SenStatus::ALL.into_iter().map(|s| (s.code().into(), s.to_string())).collect(),
                    |f| f.status.map(|s| s.code().to_string()).unwrap_or_default(),
                    |f, code| f.status = choice(code, SenStatus::from_code))}
                {filter_select(state, "filter-need", "Type of need", "Any need",
                    NeedType::ALL.into_iter().map(|n| (n.code().into(), format!("{} \u{2013} {}", n.code(), n.name()))).collect(),
                    |f| f.need.map(|n| n.code().to_string()).unwrap_or_default(),
                    |f, code| f.need = choice(code, NeedType::from_code))}
                {filter_select(state, "filter-area", "Broad area of need", "Any area",
                    BroadArea::ALL.into_iter().map(|a| (a.code().into(), a.to_string())).collect(),
                    |f| f.area.map(|a| a.code().to_string()).unwrap_or_default(),
                    |f, code| f.area = choice(code, BroadArea::from_code))}
                {filter_select(state, "filter-year", "Year group", "Any year group",
                    YearGroup::all().into_iter().map(|y| (y.code(), y.to_string())).collect(),
                    |f| f.year.map(|y| y.code()).unwrap_or_default(),
                    |f, code| f.year = choice(code, YearGroup::from_code))}
                {filter_select(state, "filter-flag", "Flag", "Any flag",
                    Flag::ALL.into_iter().map(|f| (f.code().into(), f.label().into())).collect(),
                    |f| f.flag.map(|f| f.code().to_string()).unwrap_or_default(),
                    |f, code| f.flag = choice(code, Flag::from_code))}
            </div>
        </form>
        <p role="status" aria-live="polite" aria-atomic="true" class="register-status">{status_line}</p>
        {move || has_rows.get().then(|| view! {
            // At phone width the table scrolls sideways within itself, not the page.
            <div class="table-scroll" role="region" tabindex="0"
                aria-label=move || if whole_roll() { "The whole roll" } else { "The SEN register" }>
            <table class="table register">
                <caption class="visually-hidden">
                    {move || if whole_roll() { "The whole roll" } else { "The SEN register" }}
                    ". Column headings are buttons that sort the table."
                </caption>
                <thead>
                    <tr>
                        {sort_header(SortColumn::Name)}
                        {sort_header(SortColumn::Year)}
                        {sort_header(SortColumn::Class)}
                        {sort_header(SortColumn::Status)}
                        {sort_header(SortColumn::PrimaryNeed)}
                        {sort_header(SortColumn::SecondaryNeed)}
                        {sort_header(SortColumn::Flags)}
                    </tr>
                </thead>
                <tbody>
                    // A page is at most 50 rows: redrawing it whole is quick.
                    {move || {
                        let start = page() * PAGE_SIZE;
                        selected.with(|picked| register.with(|r| {
                            picked.iter().skip(start).take(PAGE_SIZE).map(|&i| {
                                let row = &r.rows()[i];
                                let href = app.href(&format!("/pupil?id={}", row.id));
                                view! {
                                    <tr>
                                        <th scope="row">
                                            <a href=href>{row.name.clone()}</a>
                                            {row.archived.then(|| view! { " " <span class="tag">"Archived"</span> })}
                                        </th>
                                        <td>{row.year.to_string()}</td>
                                        <td>{row.class_name.clone()}</td>
                                        <td>{row.status.to_string()}</td>
                                        <td>{row.primary.map(need_cell)}</td>
                                        <td>{row.secondary.map(need_cell)}</td>
                                        <td>{flags_cell(row.flags)}</td>
                                    </tr>
                                }
                            }).collect_view()
                        }))
                    }}
                </tbody>
            </table>
            </div>
        })}
        {move || has_pages.get().then(|| view! {
            <nav class="pager" aria-label="Pages of the register">
                <button type="button" class="button button--secondary"
                    disabled=move || page() == 0
                    on:click=move |_| { let to = page().saturating_sub(1); state.update(|v| v.page = to) }>"Previous page"</button>
                <span>{move || format!("Page {} of {}", page() + 1, pages())}</span>
                <button type="button" class="button button--secondary"
                    disabled=move || { page() + 1 >= pages() }
                    on:click=move |_| { let to = (page() + 1).min(pages() - 1); state.update(|v| v.page = to) }>"Next page"</button>
            </nav>
        })}
        <div class="button-group">
            <button type="button" class="button button--secondary" on:click=export_register>
                "Download this list as CSV"
            </button>
            <button type="button" class="button button--secondary" on:click=export_summary>
                "Download the census summary as CSV"
            </button>
        </div>
        <p class="hint">"CSV files are not encrypted. The list has names; the summary has counts only."</p>
        <FullSummary register=register/>
        <CensusCheckSection register=register/>
        <OpenConcerns/>
    }
}

/// Where the register's folded filters remember whether they were open: a yes or no only,
/// never anything typed, so it may be kept in the clear (outside the desk's own keys).
const MORE_FILTERS_KEY: &str = "senco-desk-view/register-more-filters";

fn more_filters_remembered() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(MORE_FILTERS_KEY).ok().flatten())
        .is_some_and(|v| v == "open")
}

fn remember_more_filters(open: bool) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(MORE_FILTERS_KEY, if open { "open" } else { "closed" });
    }
}

/// Downloads a CSV file named for today and says so (or why it failed).
fn offer_csv(prefix: &str, csv: &str, about: &str) {
    let app = use_app();
    let name = format!("{prefix}-{}.csv", crate::domain::dates::format_iso(today()));
    app.notice
        .set(Some(match download_as(&name, csv, "text/csv") {
            Ok(()) => Notice::info(format!("Downloaded {name}. {about}")),
            Err(e) => Notice::error(format!("The download failed: {e}")),
        }));
}

/// One filter drop-down, "" meaning any: choosing goes back to the first page.
fn filter_select(
    state: RwSignal<RegisterView>,
    id: &'static str,
    label: &'static str,
    any: &'static str,
    options: Vec<(String, String)>,
    get: fn(&RegisterFilter) -> String,
    set: fn(&mut RegisterFilter, &str),
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id autocomplete="off" prop:value=move || state.with(|v| get(&v.filter))
                on:change=move |ev| {
                    let code = event_target_value(&ev);
                    state.update(|v| {
                        set(&mut v.filter, &code);
                        v.page = 0;
                    });
                }>
                <option value="">{any}</option>
                {options.into_iter().map(|(code, text)| view! { <option value=code>{text}</option> }).collect_view()}
            </select>
        </div>
    }
}

/// A need code with its description for screen readers and on hover.
fn need_cell(need: NeedType) -> impl IntoView {
    view! { <abbr title=need.name()>{need.code()}</abbr> }
}

fn flags_cell(flags: crate::domain::Flags) -> impl IntoView {
    Flag::ALL
        .into_iter()
        .filter(|f| flags.has(*f))
        .map(|f| view! { <abbr class="tag" title=f.label()>{f.code()}</abbr> " " })
        .collect_view()
}

#[component]
fn SummaryLine(register: Memo<Register>) -> impl IntoView {
    let line = move || {
        register.with(|r| {
            let summary = r.summary();
            let parts: Vec<String> = summary
                .by_status
                .iter()
                .filter(|(s, _)| *s != SenStatus::NoSen)
                .map(|(s, c)| format!("{s}: {} ({})", thousands(c.count), c.percent()))
                .collect();
            format!(
                "On roll: {}. {}.",
                thousands(summary.roll),
                parts.join(". ")
            )
        })
    };
    view! { <p class="lead register-summary" data-testid="register-summary">{line}</p> }
}

#[component]
fn FullSummary(register: Memo<Register>) -> impl IntoView {
    let summary = Memo::new(move |_| register.with(|r| r.summary()));
    view! {
        <h2>"Summary"</h2>
        <details class="details">
            <summary>"Counts by status, broad area, type of need and year group"</summary>
            {move || summary.with(|s| view! {
                <table class="table">
                    <caption>"By SEN status (percentage of roll)"</caption>
                    <thead><tr><th scope="col">"Status"</th><th scope="col">"Pupils"</th><th scope="col">"Of roll"</th></tr></thead>
                    <tbody>
                        {s.by_status.iter().map(|(status, c)| view! {
                            <tr><th scope="row">{status.to_string()}</th><td>{thousands(c.count)}</td><td>{c.percent()}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <table class="table">
                    <caption>"K and E pupils by the broad area of their primary need"</caption>
                    <thead><tr><th scope="col">"Broad area"</th><th scope="col">"Pupils"</th><th scope="col">"Of roll"</th></tr></thead>
                    <tbody>
                        {s.by_area.iter().map(|(area, c)| view! {
                            <tr>
                                <th scope="row">{area.map_or("Other or not assessed (OTH, NSA)".to_string(), |a| a.to_string())}</th>
                                <td>{thousands(c.count)}</td><td>{c.percent()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <table class="table">
                    <caption>"K and E pupils by primary need"</caption>
                    <thead><tr><th scope="col">"Primary need"</th><th scope="col">"Pupils"</th><th scope="col">"Of roll"</th></tr></thead>
                    <tbody>
                        {s.by_need.iter().map(|(need, c)| view! {
                            <tr>
                                <th scope="row">{need.map_or("No primary need recorded".to_string(), |n| format!("{} \u{2013} {}", n.code(), n.name()))}</th>
                                <td>{thousands(c.count)}</td><td>{c.percent()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <table class="table">
                    <caption>"By year group"</caption>
                    <thead><tr>
                        <th scope="col">"Year group"</th><th scope="col">"On roll"</th>
                        <th scope="col">"SEN support (K)"</th><th scope="col">"EHC plan (E)"</th><th scope="col">"With SEN"</th>
                    </tr></thead>
                    <tbody>
                        {s.by_year.iter().map(|y| {
                            let sen = crate::domain::register::Count { count: y.sen_support + y.ehc_plan, roll: y.roll };
                            view! {
                                <tr>
                                    <th scope="row">{y.year.to_string()}</th><td>{thousands(y.roll)}</td>
                                    <td>{thousands(y.sen_support)}</td><td>{thousands(y.ehc_plan)}</td><td>{sen.percent()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </details>
    }
}

#[component]
fn CensusCheckSection(register: Memo<Register>) -> impl IntoView {
    let app = use_app();
    let check = Memo::new(move |_| register.with(|r| r.census_check()));
    let list = move |title: &'static str, entries: Vec<crate::domain::register::CensusEntry>| {
        (!entries.is_empty()).then(|| {
            view! {
                <h3>{format!("{title} ({})", entries.len())}</h3>
                <ul>
                    {entries.into_iter().map(|e| view! {
                        <li><a href=app.href(&format!("/pupil?id={}", e.id))>{e.name}</a>{format!(": {}", e.detail)}</li>
                    }).collect_view()}
                </ul>
            }
        })
    };
    view! {
        <h2>"Census check"</h2>
        {move || {
            let c = check.get();
            if c.is_clear() {
                view! { <p>"Nothing the school census would query: every K and E pupil has a primary need, no EHC plan has NSA, and every UPN passes its check."</p> }.into_any()
            } else {
                view! {
                    <div data-testid="census-check">
                        {list("K and E pupils without a primary need", c.no_primary_need)}
                        {list("NSA on an EHC plan", c.nsa_on_ehc_plan)}
                        {list("UPNs that fail their check", c.invalid_upns)}
                        {list("Dates of birth to correct", c.dates_of_birth_to_correct)}
                        {list("Dates of birth that do not fit the year group", c.year_group_misfits)}
                    </div>
                }.into_any()
            }
        }}
    }
}

#[component]
fn OpenConcerns() -> impl IntoView {
    let app = use_app();
    let concerns = Memo::new(move |_| {
        let today = today();
        app.session.with(|s| {
            s.as_ref()
                .map(|o| {
                    let labels = o.desk.name_labels(NameOrder::SurnameFirst);
                    o.desk
                        .open_concerns()
                        .into_iter()
                        .map(|(pupil, c)| {
                            (
                                pupil.id.to_string(),
                                labels
                                    .get(&pupil.id)
                                    .cloned()
                                    .unwrap_or_else(|| pupil.sort_name()),
                                format_uk(c.raised_on),
                                c.age_days(today),
                                c.area
                                    .map_or("Not yet known".to_string(), |a| a.to_string()),
                            )
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <h2>"Open concerns"</h2>
        {move || if concerns.with(Vec::is_empty) {
            view! { <p>"No open concerns."</p> }.into_any()
        } else {
            view! {
                <table class="table" data-testid="open-concerns">
                    <caption class="visually-hidden">"Open concerns, oldest first"</caption>
                    <thead><tr>
                        <th scope="col">"Pupil"</th><th scope="col">"Raised"</th>
                        <th scope="col">"Open for"</th><th scope="col">"Area of need"</th>
                    </tr></thead>
                    <tbody>
                        {concerns.get().into_iter().map(|(id, name, raised, age, area)| view! {
                            <tr>
                                <th scope="row"><a href=app.href(&format!("/pupil?id={id}"))>{name}</a></th>
                                <td>{raised}</td>
                                <td>{count(age as usize, "day")}</td>
                                <td>{area}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}
