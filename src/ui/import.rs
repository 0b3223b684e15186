//! Importing the roll from the school's MIS: choose the CSV export, check which column
//! holds what, preview every change and problem, then import in one all-or-nothing save.

use super::form::{today, ErrorSummary, Problem};
use super::perf;
use super::shell::{set_title, Unlocked};
use super::state::{use_app, AppState, Notice};
use crate::domain::text::{count, thousands};
use crate::io::csv_out::import_report_csv;
use crate::io::csv_text::{decode, read_table, Table};
use crate::io::import_plan::{ImportPlan, ReportLine};
use crate::io::mis_columns::{
    check_mapping, guess_mapping, mapping_codes, remembered_mapping, ImportField, Mapping,
};
use crate::store::{DeskStoreError, OpenDesk};
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The largest export read: a roll of 2,000 is well under 1 MB.
const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

#[derive(Clone)]
enum Stage {
    Choose,
    Columns(Arc<Table>),
    Preview(Arc<Table>, Arc<ImportPlan>),
    Done,
}

/// What the last import did, kept for the session (in memory only, forgotten on Lock) so
/// the report stays on the import page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastImport {
    pub summary: String,
    pub report: Arc<Vec<ReportLine>>,
}

#[component]
pub fn Import() -> impl IntoView {
    view! { <Unlocked><ImportPage/></Unlocked> }
}

/// Works out what the file would do, timed for the benchmark.
fn plan_import(app: AppState, table: &Table, mapping: &Mapping) -> ImportPlan {
    perf::measure("senco:import-plan", || {
        app.session.with_untracked(|s| {
            s.as_ref()
                .map(|o| {
                    ImportPlan::from_table(
                        &o.desk,
                        table,
                        mapping,
                        today(),
                        chrono::Utc::now(),
                        OpenDesk::new_pupil_id,
                    )
                })
                .unwrap_or_default()
        })
    })
}

#[component]
fn ImportPage() -> impl IntoView {
    set_title("Import from your MIS");
    let app = use_app();
    let stage = RwSignal::new(Stage::Choose);
    let mapping = RwSignal::new(Mapping::new());
    // Each stage is a new view: take focus to its heading.
    Effect::new(move |first: Option<()>| {
        stage.track();
        if first.is_some() {
            request_animation_frame(super::shell::focus_heading);
        }
    });
    // A message from the page before ("Your desk is ready") does not belong here.
    app.notice.set(None);
    view! {
        {move || match stage.get() {
            Stage::Choose => view! { <ChooseFile stage=stage mapping=mapping/> }.into_any(),
            Stage::Columns(table) => view! { <Columns table=table stage=stage mapping=mapping/> }.into_any(),
            Stage::Preview(table, plan) => view! { <Preview table=table plan=plan stage=stage mapping=mapping/> }.into_any(),
            Stage::Done => view! {
                <h1 tabindex="-1">"Import finished"</h1>
                {move || app.last_import.get().map(|last| view! {
                    <p class="lead" data-testid="import-done">{last.summary.clone()}</p>
                    <ReportSection report=last.report heading="Rows skipped or imported in part"/>
                })}
                <p><a class="button" href=app.href("/pupils")>"Go to the register"</a></p>
            }.into_any(),
        }}
    }
}

/// Every row skipped, imported in part or to check, with a download of the same as CSV.
#[component]
fn ReportSection(report: Arc<Vec<ReportLine>>, heading: &'static str) -> impl IntoView {
    let app = use_app();
    if report.is_empty() {
        return view! { <p data-testid="import-report">"Every row was imported in full."</p> }
            .into_any();
    }
    let csv_source = report.clone();
    let download = move |_| {
        let name = format!(
            "import-report-{}.csv",
            crate::domain::dates::format_iso(today())
        );
        let csv = import_report_csv(&csv_source);
        app.notice.set(Some(
            match super::download::download_as(&name, &csv, "text/csv") {
                Ok(()) => Notice::info(format!(
                    "Downloaded {name}. It names pupils: keep it as safely as the desk, and delete it when the rows are put right."
                )),
                Err(e) => Notice::error(format!("The download failed: {e}")),
            },
        ));
    };
    view! {
        <section aria-labelledby="import-report-title" data-testid="import-report">
            <h2 id="import-report-title">{format!("{heading} ({})", report.len())}</h2>
            <table class="table" data-testid="import-problems">
                <caption class="visually-hidden">"Every row with a problem, by line in the file"</caption>
                <thead><tr><th scope="col">"Line"</th><th scope="col">"Pupil"</th><th scope="col">"Problem"</th><th scope="col">"What happens"</th></tr></thead>
                <tbody>
                    {report.iter().map(|l| view! {
                        <tr>
                            <th scope="row">{l.line}</th>
                            <td>{if l.upn.is_empty() { l.pupil.clone() } else { format!("{} (UPN {})", l.pupil, l.upn) }}</td>
                            <td>{l.problem.clone()}</td>
                            <td>{l.severity.outcome()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p><button type="button" class="button button--secondary" on:click=download>"Download the import report (CSV)"</button></p>
        </section>
    }
    .into_any()
}

#[component]
fn ChooseFile(stage: RwSignal<Stage>, mapping: RwSignal<Mapping>) -> impl IntoView {
    let app = use_app();
    let problems = RwSignal::new(Vec::<Problem>::new());
    let error = RwSignal::new(None::<String>);
    let reading = RwSignal::new(false);
    let refuse = move |message: String| {
        error.set(Some(message.clone()));
        problems.set(vec![("mis-file".into(), message)]);
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = ev
            .target()
            .expect("a change event has a target")
            .unchecked_into();
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        let name = file.name();
        if file.size() as usize > MAX_IMPORT_BYTES {
            return refuse(format!(
                "\u{201c}{name}\u{201d} is larger than 10 MB: that is not a pupil export. Export the pupil list as CSV and choose that file."
            ));
        }
        error.set(None);
        reading.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let bytes = match super::download::read_chosen_file(&file).await {
                Some(bytes) => bytes,
                None => {
                    reading.set(false);
                    return refuse(format!(
                        "\u{201c}{name}\u{201d} could not be read. Choose it again."
                    ));
                }
            };
            reading.set(false);
            let (text, _) = decode(&bytes);
            match read_table(&text) {
                Ok(table) => {
                    problems.set(Vec::new());
                    let remembered = app
                        .settings()
                        .and_then(|s| remembered_mapping(&s, &table.headings));
                    mapping.set(remembered.unwrap_or_else(|| guess_mapping(&table.headings)));
                    stage.set(Stage::Columns(Arc::new(table)));
                }
                Err(e) => refuse(format!("\u{201c}{name}\u{201d}: {e}")),
            }
        });
    };
    view! {
        <h1 tabindex="-1">"Import from your MIS"</h1>
        <p>"Export the pupil list from your MIS (SIMS, Arbor, Bromcom or any other) as a CSV file, then choose it here. Nothing is written until you have checked a preview."</p>
        <ErrorSummary problems=problems/>
        <div class="field" class:field--error=move || error.with(|e| e.is_some())>
            <label for="mis-file">"Pupil export (CSV)"</label>
            <p class="hint" id="mis-file-hint">"Comma or semicolon separated, from any MIS. Names, dates of birth and year groups are needed; UPN, class, SEN status, needs and flags are used when present."</p>
            {move || error.get().map(|m| view! { <p class="field-error" id="mis-file-error"><span class="visually-hidden">"Error: "</span>{m}</p> })}
            <input id="mis-file" type="file" accept=".csv,text/csv,.txt"
                aria-describedby=move || if error.with(|e| e.is_some()) { "mis-file-hint mis-file-error" } else { "mis-file-hint" }
                aria-invalid=move || error.with(|e| e.is_some()).then_some("true")
                on:change=on_change/>
            <p role="status">{move || reading.get().then_some("Reading the file\u{2026}")}</p>
        </div>
        {move || app.last_import.get().map(|last| view! {
            <h2>"Your last import"</h2>
            <p>{last.summary.clone()}</p>
            <ReportSection report=last.report heading="Rows skipped or imported in part"/>
        })}
    }
}

#[component]
fn Columns(table: Arc<Table>, stage: RwSignal<Stage>, mapping: RwSignal<Mapping>) -> impl IntoView {
    let app = use_app();
    set_title("Check the columns");
    let problems = RwSignal::new(Vec::<Problem>::new());
    let headings = table.headings.clone();
    // An example from the first row with something in that column.
    let examples: Vec<String> = (0..headings.len())
        .map(|column| {
            table
                .rows
                .iter()
                .map(|row| row.cells.get(column).map(String::as_str).unwrap_or(""))
                .find(|cell| !cell.is_empty())
                .unwrap_or("")
                .chars()
                .take(40)
                .collect()
        })
        .collect();
    let table_for_check = table.clone();
    let check = move |_| {
        let chosen = mapping.get_untracked();
        if let Err(list) = check_mapping(&chosen) {
            problems.set(list.into_iter().map(|m| (String::new(), m)).collect());
            return;
        }
        // The choice is remembered, by headings only, in the desk's sealed settings.
        if let Some(mut settings) = app.settings() {
            let headings = &table_for_check.headings;
            let codes = mapping_codes(&chosen, headings.len());
            if settings.import_columns_for(headings) != Some(codes.as_slice())
                && settings.remember_import_columns(headings, codes)
            {
                // Not remembering is no reason to stop the import.
                leptos::task::spawn_local(async move {
                    let _ = app
                        .save(move |open, store| open.save_settings(store, settings))
                        .await;
                });
            }
        }
        let planned = plan_import(app, &table_for_check, &chosen);
        stage.set(Stage::Preview(table_for_check.clone(), Arc::new(planned)));
    };
    let rows = table.rows.len();
    view! {
        <h1 tabindex="-1">"Check the columns"</h1>
        <p>{format!("{} read. Each column is matched from its heading: correct any that are wrong, and choose \u{201c}Not imported\u{201d} for columns to leave out.", count(rows, "row"))}</p>
        <ErrorSummary problems=problems/>
        <form on:submit=|ev| ev.prevent_default()>
            <table class="table">
                <caption class="visually-hidden">"Columns in the file and what each holds"</caption>
                <thead><tr><th scope="col">"Column heading"</th><th scope="col">"First value"</th><th scope="col">"Holds"</th></tr></thead>
                <tbody>
                    {headings.into_iter().enumerate().map(|(column, heading)| {
                        let select_id = format!("column-{}", column + 1);
                        let label = if heading.is_empty() { format!("Column {}", column + 1) } else { heading.clone() };
                        let value = move || mapping.with(|m| m.get(column).copied().flatten().map(|f| f.code()).unwrap_or(""));
                        view! {
                            <tr>
                                <th scope="row"><label for=select_id.clone()>{label}</label></th>
                                <td>{examples[column].clone()}</td>
                                <td>
                                    <select id=select_id autocomplete="off" prop:value=value
                                        on:change=move |ev| {
                                            let chosen = ImportField::from_code(&event_target_value(&ev));
                                            mapping.update(|m| {
                                                if m.len() <= column { m.resize(column + 1, None); }
                                                m[column] = chosen;
                                            });
                                        }>
                                        <option value="">"Not imported"</option>
                                        {ImportField::ALL.into_iter().map(|f| view! {
                                            <option value=f.code() selected=move || value() == f.code()>{f.label()}</option>
                                        }).collect_view()}
                                    </select>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <div class="button-group">
                <button type="button" class="button" on:click=check>"Check the rows"</button>
                <button type="button" class="button button--secondary" on:click=move |_| stage.set(Stage::Choose)>"Choose another file"</button>
            </div>
        </form>
    }
}

#[component]
fn Preview(
    table: Arc<Table>,
    plan: Arc<ImportPlan>,
    stage: RwSignal<Stage>,
    mapping: RwSignal<Mapping>,
) -> impl IntoView {
    let app = use_app();
    set_title("Check the import");
    let archive = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let nothing = plan.changes_nothing();
    let leavers = plan.leavers.clone();
    let has_leavers = !leavers.is_empty();
    let plan_for_import = plan.clone();
    let table_for_import = table.clone();
    let report = plan.report(&table, &mapping.get_untracked());
    let report_for_done = report.clone();
    let import = move |_| {
        let archive_leavers = archive.get_untracked();
        let writes = app.session.with_untracked(|s| {
            s.as_ref()
                .map(|o| plan_for_import.writes(&o.desk, archive_leavers, today()))
                .unwrap_or_default()
        });
        if writes.is_empty() {
            error.set(Some(
                "There is nothing to import: every pupil in the file is already up to date.".into(),
            ));
            return;
        }
        busy.set(true);
        let now = chrono::Utc::now();
        let (plan_for_import, report_for_done, table_for_import) = (
            plan_for_import.clone(),
            report_for_done.clone(),
            table_for_import.clone(),
        );
        leptos::task::spawn_local(async move {
            perf::start("senco:import-write");
            let saved = app
                .save(move |open, store| open.save_files(store, writes, now))
                .await;
            perf::end("senco:import-write");
            busy.set(false);
            match saved {
                Ok(_) => {
                    let archived = if archive_leavers {
                        plan_for_import.leavers.len()
                    } else {
                        0
                    };
                    let summary = format!(
                        "{} added, {} updated, {} unchanged, {} archived as leavers, {} skipped.",
                        count(plan_for_import.new.len(), "pupil"),
                        thousands(plan_for_import.updated.len()),
                        thousands(plan_for_import.unchanged),
                        thousands(archived),
                        count(plan_for_import.skipped(), "row"),
                    );
                    app.notice
                        .set(Some(Notice::info(format!("Import finished: {summary}"))));
                    app.last_import.set(Some(LastImport {
                        summary,
                        report: Arc::new(report_for_done.clone()),
                    }));
                    stage.set(Stage::Done);
                }
                // Another tab changed the desk: plan again against what is stored now.
                Err(DeskStoreError::ChangedElsewhere)
                | Err(DeskStoreError::Pupil(crate::domain::DeskError::ChangedElsewhere {
                    ..
                })) => {
                    let again = plan_import(app, &table_for_import, &mapping.get_untracked());
                    app.notice.set(Some(Notice::error(
                    "The desk was changed in another tab, so the preview has been worked out again. Check it, then import.",
                )));
                    stage.set(Stage::Preview(table_for_import.clone(), Arc::new(again)));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let updated = plan.updated.clone();
    let labels = super::names::register_labels(app);
    view! {
        <h1 tabindex="-1">"Check the import"</h1>
        <p class="lead" data-testid="import-counts">{format!(
            "{} in the file: {} new, {} updated, {} unchanged, {} with problems that will be skipped.",
            count(plan.rows, "row"),
            thousands(plan.new.len()),
            thousands(plan.updated.len()),
            thousands(plan.unchanged),
            thousands(plan.skipped()),
        )}</p>
        {(!report.is_empty()).then(|| view! { <ReportSection report=Arc::new(report.clone()) heading="Rows with problems"/> })}
        {(!updated.is_empty()).then(|| view! {
            <h2>{format!("Pupils to update ({})", updated.len())}</h2>
            <details class="details">
                <summary>"What changes for each pupil"</summary>
                <ul>
                    {updated.into_iter().map(|u| view! {
                        <li><strong>{labels.get(&u.file.pupil.id).cloned().unwrap_or_else(|| u.file.pupil.sort_name())}</strong>": "{u.changes.join("; ")}</li>
                    }).collect_view()}
                </ul>
            </details>
        })}
        {has_leavers.then(|| view! {
            <h2>{format!("On the desk but not in this file ({})", leavers.len())}</h2>
            <p>"If this file is the whole roll, these pupils have left. Archiving keeps all their records, read-only. An import never deletes a pupil."</p>
            <ul data-testid="import-leavers">
                {leavers.iter().map(|l| view! { <li>{format!("{} ({})", l.name, l.year)}</li> }).collect_view()}
            </ul>
            <div class="choice">
                <input type="checkbox" id="archive-leavers" autocomplete="off" prop:checked=move || archive.get()
                    on:change=move |ev| archive.set(event_target_checked(&ev))/>
                <label for="archive-leavers">{format!("Also archive these {} as leavers", count(leavers.len(), "pupil"))}</label>
            </div>
        })}
        {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
        <div class="button-group">
            <button type="button" class="button" on:click=import disabled=move || busy.get() || (nothing && !archive.get())>
                "Import"
            </button>
            <button type="button" class="button button--secondary" on:click=move |_| stage.set(Stage::Columns(table.clone()))>
                "Change the column choices"
            </button>
            <button type="button" class="button button--secondary" on:click=move |_| stage.set(Stage::Choose)>"Choose another file"</button>
        </div>
        {(nothing && !has_leavers).then(|| view! { <p role="status">"Nothing to import: every pupil in the file is already up to date."</p> })}
    }
}
