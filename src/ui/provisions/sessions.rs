//! Recording a week of a provision's sessions on one screen (`/sessions?id=…&week=…`):
//! each session the timetable plans that week, delivered to everyone in the provision that
//! day unless changed, so a normal week is one press of Save.

use super::provision_href;
use crate::domain::dates::{format_iso, format_uk, hh_mm, parse_iso};
use crate::domain::names::NameOrder;
use crate::domain::provision::record::{NotDelivered, SessionOutcome, SessionRecord};
use crate::domain::PupilId;
use crate::ui::form::{today, ErrorSummary, Problem};
use crate::ui::shell::{set_title, Unlocked};
use crate::ui::state::{use_app, Notice};
use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SessionsPage() -> impl IntoView {
    view! { <Unlocked><SessionsScreen/></Unlocked> }
}

/// The Monday of the week `date` is in.
fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Days::new(u64::from(date.weekday().num_days_from_monday()))
}

/// One session's fields.
#[derive(Clone)]
struct SessionFields {
    on: NaiveDate,
    starts: NaiveTime,
    /// "delivered", "not-delivered" or "none" (leave unrecorded).
    status: RwSignal<String>,
    /// "staff", "pupil", "trip" or "other".
    reason: RwSignal<String>,
    other: RwSignal<String>,
    /// Each pupil in the provision that day, with their name and whether they attended.
    pupils: Vec<(PupilId, String, RwSignal<bool>)>,
    was_recorded: bool,
}

#[component]
fn SessionsScreen() -> impl IntoView {
    set_title("Record sessions");
    let query = use_query_map();
    let id = Memo::new(move |_| query.with(|q| q.get("id").unwrap_or_default()));
    let week = Memo::new(move |_| {
        let asked = query.with(|q| q.get("week").and_then(|w| parse_iso(&w)));
        monday_of(asked.unwrap_or_else(today))
    });
    // Drawn again from the latest copy when another tab saved the provision meanwhile.
    let redraw = RwSignal::new(0u32);
    move || {
        let id = id.get();
        let week = week.get();
        redraw.track();
        view! { <WeekForm id=id week=week redraw=redraw/> }
    }
}

#[component]
fn WeekForm(id: String, week: NaiveDate, redraw: RwSignal<u32>) -> impl IntoView {
    let app = use_app();
    let friday = week + Days::new(4);
    let found = app.session.with_untracked(|s| {
        let open = s.as_ref()?;
        let p = open.desk.provision(&id)?;
        let labels = open.desk.name_labels(NameOrder::SurnameFirst);
        let calendar = &open.desk.settings.provision.calendar;
        let planned =
            calendar.planned_sessions(&p.timetable, week.max(p.starts), friday.min(p.ends));
        let has_dates = calendar.year_of(week).is_some() || calendar.year_of(friday).is_some();
        let fields: Vec<SessionFields> = planned
            .iter()
            .map(|planned| {
                let recorded = p
                    .sessions
                    .iter()
                    .find(|s| s.on == planned.on && s.starts == planned.starts);
                let mut pupils: Vec<(PupilId, String, RwSignal<bool>)> = p
                    .enrolments
                    .iter()
                    .filter(|e| e.is_in_on(planned.on))
                    .map(|e| {
                        let attended = match recorded {
                            Some(r) => r.attended().contains(&e.pupil),
                            None => true,
                        };
                        (
                            e.pupil.clone(),
                            labels.get(&e.pupil).cloned().unwrap_or_default(),
                            RwSignal::new(attended),
                        )
                    })
                    .collect();
                pupils.sort_by_cached_key(|(_, name, _)| name.to_lowercase());
                let (status, reason, other) = match recorded.map(|r| &r.outcome) {
                    None => ("delivered", "staff", String::new()),
                    Some(SessionOutcome::Delivered { .. }) => ("delivered", "staff", String::new()),
                    Some(SessionOutcome::NotDelivered(why)) => match why {
                        NotDelivered::StaffAbsent => ("not-delivered", "staff", String::new()),
                        NotDelivered::PupilAbsent => ("not-delivered", "pupil", String::new()),
                        NotDelivered::Trip => ("not-delivered", "trip", String::new()),
                        NotDelivered::Other(text) => ("not-delivered", "other", text.clone()),
                    },
                };
                // Sessions still to come are left unrecorded unless chosen.
                let status = if recorded.is_none() && planned.on > today() {
                    "none"
                } else {
                    status
                };
                SessionFields {
                    on: planned.on,
                    starts: planned.starts,
                    status: RwSignal::new(status.to_string()),
                    reason: RwSignal::new(reason.to_string()),
                    other: RwSignal::new(other),
                    pupils,
                    was_recorded: recorded.is_some(),
                }
            })
            .collect();
        Some((p.name.clone(), p.revision, fields, has_dates))
    });
    let Some((name, drawn, fields, has_dates)) = found else {
        return view! {
            <h1 tabindex="-1">"Provision not found"</h1>
            <p><a href=app.href("/provisions")>"See all provisions"</a></p>
        }
        .into_any();
    };
    let problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    // A second press while a save is on its way does nothing. Not shown on the button: a
    // save takes a few milliseconds, and redrawing the form meanwhile held the save up.
    let saving = StoredValue::new(false);
    let fields = StoredValue::new(fields);
    // The copy the week was drawn from, moved on by this form's own saves.
    let drawn_from = StoredValue::new(drawn);
    let week_href = {
        let id = id.clone();
        move |monday: NaiveDate| app.href(&format!("/sessions?id={id}&week={}", format_iso(monday)))
    };
    let before = week_href(week - Days::new(7));
    let after = week_href(week + Days::new(7));
    let this_week = week_href(monday_of(today()));
    let back = provision_href(app, &id);
    let id_for_save = id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_value() {
            return;
        }
        let now = chrono::Utc::now();
        let mut found = Vec::new();
        let records: Vec<SessionRecord> = fields.with_value(|fields| {
            fields
                .iter()
                .enumerate()
                .filter_map(|(i, f)| {
                    let outcome = match f.status.get_untracked().as_str() {
                        "delivered" => SessionOutcome::Delivered {
                            attended: f
                                .pupils
                                .iter()
                                .filter(|(_, _, on)| on.get_untracked())
                                .map(|(p, _, _)| p.clone())
                                .collect(),
                        },
                        "not-delivered" => {
                            SessionOutcome::NotDelivered(match f.reason.get_untracked().as_str() {
                                "pupil" => NotDelivered::PupilAbsent,
                                "trip" => NotDelivered::Trip,
                                "other" => {
                                    let why = f.other.get_untracked().trim().to_string();
                                    if why.is_empty() {
                                        found.push((
                                            format!("session-{i}-other"),
                                            format!(
                                                "Say why the session on {} was not delivered.",
                                                format_uk(f.on)
                                            ),
                                        ));
                                    }
                                    NotDelivered::Other(why)
                                }
                                _ => NotDelivered::StaffAbsent,
                            })
                        }
                        _ => return None,
                    };
                    Some(SessionRecord {
                        on: f.on,
                        starts: f.starts,
                        outcome,
                        recorded: now,
                    })
                })
                .collect()
        });
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let changed = app.session.with_untracked(|s| {
            let mut p = s.as_ref()?.desk.provision(&id_for_save)?.clone();
            let base = p.revision;
            if base != drawn_from.get_value() {
                return Some(Err(String::new()));
            }
            Some(p.record_sessions(records, now).map(|n| (p, base, n)))
        });
        if matches!(&changed, Some(Err(e)) if e.is_empty()) {
            // Another tab recorded this provision since the week was drawn: what it
            // recorded is shown, never overwritten unseen.
            app.notice.set(Some(Notice::error(
                "This provision was changed in another tab while you were recording. Nothing was saved: the week now shows what is recorded, so check it and save again.",
            )));
            redraw.update(|n| *n += 1);
            return;
        }
        let (provision, base, count) = match changed {
            Some(Ok(changed)) => changed,
            Some(Err(e)) => return problems.set(vec![(String::new(), e)]),
            None => {
                return problems.set(vec![(
                    String::new(),
                    "This provision is no longer on this desk.".into(),
                )])
            }
        };
        if count == 0 {
            app.notice.set(Some(Notice::info(
                "Nothing changed: every session shown was already recorded like this.",
            )));
            return;
        }
        if problems.with_untracked(|p| !p.is_empty()) {
            problems.set(Vec::new());
        }
        saving.set_value(true);
        let what = format!(
            "Recorded {count} session{}",
            if count == 1 { "" } else { "s" }
        );
        let id_saved = provision.id.clone();
        leptos::task::spawn_local_scoped(async move {
            let saved = app
                .save(move |open, store| {
                    open.save_provision(store, provision, Some(base), &what, now)
                })
                .await;
            saving.set_value(false);
            if saved.is_ok() {
                let latest = app.session.with_untracked(|s| {
                    s.as_ref()
                        .and_then(|o| o.desk.provision(&id_saved))
                        .map(|p| p.revision)
                });
                if let Some(latest) = latest {
                    drawn_from.set_value(latest);
                }
            }
            match saved {
                Ok(()) => app.notice.set(Some(Notice::info(format!(
                    "{count} session{} recorded.",
                    if count == 1 { "" } else { "s" }
                )))),
                Err(crate::store::DeskStoreError::Pupil(
                    crate::domain::DeskError::ChangedElsewhere { .. },
                )) => {
                    app.notice.set(Some(Notice::error(
                        "This provision was changed in another tab while you were recording. Nothing was saved: the week now shows what is recorded, so check it and save again.",
                    )));
                    redraw.update(|n| *n += 1);
                }
                Err(e) => problems.set(vec![(String::new(), e.to_string())]),
            }
        });
    };
    let empty = fields.with_value(|f| f.is_empty());
    // Any day of another week, typed, to record sessions missed long ago.
    let jump_to = RwSignal::new(String::new());
    let jump_problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let navigate = leptos_router::hooks::use_navigate();
    let jump = {
        let week_href = week_href.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            match crate::domain::dates::parse_date(&jump_to.get_untracked()) {
                Some(day) => {
                    jump_problems.set(Vec::new());
                    navigate(&week_href(monday_of(day)), Default::default());
                }
                None => jump_problems.set(vec![(
                    "sessions-week".into(),
                    "Enter a date as day/month/year, for example 07/09/2026.".into(),
                )]),
            }
        }
    };
    view! {
        <h1 tabindex="-1">{format!("Record sessions: {name}")}</h1>
        <super::TermDatesToCheck/>
        <p>{format!("Week beginning {}", format_uk(week))}</p>
        <nav aria-label="Weeks" class="pager">
            <a href=before>"Previous week"</a>
            <a href=this_week>"This week"</a>
            <a href=after>"Next week"</a>
            <a href=back>"Back to the provision"</a>
        </nav>
        <form class="filters" on:submit=jump novalidate aria-label="Another week">
            <crate::ui::form::TextField id="sessions-week" label="Go to the week of (any day in it)" value=jump_to date=true
                error=crate::ui::form::error_for(jump_problems, "sessions-week")/>
            <button type="submit" class="button button--secondary">"Show that week"</button>
        </form>
        <ErrorSummary problems=problems/>
        {if empty {
            view! {
                <p>{if has_dates {
                    "No sessions are planned this week: the provision does not run, or the school is closed."
                } else {
                    "This week's term dates are not entered, so no sessions are planned. Enter them in staff, rates and term dates."
                }}</p>
            }.into_any()
        } else {
            view! {
                <form on:submit=submit novalidate>
                    {fields.with_value(|fields| fields.iter().enumerate().map(|(i, f)| {
                        let legend = format!("{} {} at {}", f.on.weekday(), format_uk(f.on), hh_mm::format(f.starts));
                        let status = f.status;
                        let reason = f.reason;
                        let other = f.other;
                        let name = format!("session-{i}");
                        let radio = move |value: &'static str, label: &'static str| {
                            let field = format!("session-{i}-{value}");
                            view! {
                                <div class="choice">
                                    <input type="radio" id=field.clone() name=format!("session-{i}") value=value
                                        prop:checked=move || status.get() == value
                                        on:change=move |_| status.set(value.to_string())/>
                                    <label for=field>{label}</label>
                                </div>
                            }
                        };
                        let pupils = f.pupils.clone();
                        view! {
                            <fieldset class="session" id=name>
                                <legend>{legend}{f.was_recorded.then_some(" (recorded)")}</legend>
                                <div class="radios">
                                    {radio("delivered", "Delivered")}
                                    {radio("not-delivered", "Not delivered")}
                                    {(!f.was_recorded).then(|| radio("none", "Not recorded yet"))}
                                </div>
                                <Show when=move || status.get() == "delivered">
                                    <fieldset class="choices">
                                        <legend>"Who attended"</legend>
                                        {pupils.iter().map(|(pupil, label, on)| {
                                            let on = *on;
                                            let field = format!("session-{i}-pupil-{}", pupil.0);
                                            view! {
                                                <div class="choice">
                                                    <input type="checkbox" id=field.clone() prop:checked=move || on.get()
                                                        on:change=move |ev| on.set(event_target_checked(&ev))/>
                                                    <label for=field>{label.clone()}</label>
                                                </div>
                                            }
                                        }).collect_view()}
                                    </fieldset>
                                </Show>
                                <Show when=move || status.get() == "not-delivered">
                                    <div class="field">
                                        <label for=format!("session-{i}-reason")>"Why not"</label>
                                        <select id=format!("session-{i}-reason") prop:value=move || reason.get()
                                            on:change=move |ev| reason.set(event_target_value(&ev))>
                                            <option value="staff">"Staff absent"</option>
                                            <option value="pupil">"Pupil absent"</option>
                                            <option value="trip">"Trip"</option>
                                            <option value="other">"Other"</option>
                                        </select>
                                    </div>
                                    <Show when=move || reason.get() == "other">
                                        <div class="field">
                                            <label for=format!("session-{i}-other")>"Other reason"</label>
                                            <input type="text" id=format!("session-{i}-other") autocomplete="off" spellcheck="false"
                                                prop:value=move || other.get() on:input=move |ev| other.set(event_target_value(&ev))/>
                                        </div>
                                    </Show>
                                </Show>
                            </fieldset>
                        }
                    }).collect_view())}
                    <button type="submit" class="button">"Save this week's sessions"</button>
                </form>
            }.into_any()
        }}
    }
    .into_any()
}
