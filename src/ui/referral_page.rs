//! A pupil's referral to an agency (`/referral?pupil=…&referral=…`; without `referral`, a
//! new one): the details, each step as it happens, the report, and what became of each
//! recommendation.

use super::form::{
    error_for, today, CheckField, ErrorSummary, Problem, SelectField, TextArea, TextField,
};
use super::pupil_page::{file_of, save_change, watch_file};
use super::shell::{set_title, Unlocked};
use super::state::{use_app, AppState, Notice};
use crate::domain::dates::{format_uk, parse_date};
use crate::domain::referral::agency::{hundredths_text, parse_hundredths};
use crate::domain::referral::uptake::report_label;
use crate::domain::referral::{
    past_declines, Consent, Referral, ReferralStep, StepKind, Uptake, UptakeTarget,
    MAX_REFERRAL_TEXT,
};
use crate::domain::{PupilFile, PupilId};
use crate::store::OpenDesk;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub fn referral_href(app: AppState, pupil: &PupilId, referral: &str) -> String {
    app.href(&format!("/referral?pupil={}&referral={referral}", pupil.0))
}

fn pupil_href(app: AppState, pupil: &PupilId) -> String {
    app.href(&format!("/pupil?id={}", pupil.0))
}

pub fn new_referral_href(app: AppState, pupil: &PupilId) -> String {
    app.href(&format!("/referral?pupil={}", pupil.0))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    View,
    Edit,
    Attach,
}

#[component]
pub fn ReferralPage() -> impl IntoView {
    view! { <Unlocked><ReferralScreen/></Unlocked> }
}

#[component]
fn ReferralScreen() -> impl IntoView {
    let app = use_app();
    let query = use_query_map();
    let id = Memo::new(move |_| PupilId(query.with(|q| q.get("pupil").unwrap_or_default())));
    let referral = Memo::new(move |_| query.with(|q| q.get("referral")));
    let mode = RwSignal::new(Mode::View);
    Effect::new(move |first: Option<()>| {
        mode.track();
        if first.is_some() {
            request_animation_frame(super::shell::focus_heading);
        }
    });
    let (exists, revision) = watch_file(app, id);
    view! {
        {move || {
            if !exists.get() {
                set_title("Pupil not found");
                return view! {
                    <h1 tabindex="-1">"Pupil not found"</h1>
                    <p>"That pupil is not on this desk. "<a href=app.href("/pupils")>"Back to the register"</a></p>
                }.into_any();
            }
            let id = id.get();
            let Some(file) = file_of(app, &id) else { return ().into_any() };
            let Some(referral_id) = referral.get() else {
                return view! { <ReferralForm file=file referral=None/> }.into_any();
            };
            match mode.get() {
                Mode::Edit => {
                    let found = file.referral(&referral_id).cloned();
                    view! { <ReferralForm file=file referral=found on_done=Callback::new(move |_| mode.set(Mode::View))/> }.into_any()
                }
                Mode::Attach => view! {
                    <super::pupil_files::AttachForm id=id.clone() on_done=Callback::new(move |_| mode.set(Mode::View))/>
                }.into_any(),
                Mode::View => view! {
                    {move || {
                        let _ = revision.get();
                        let file = file_of(app, &id)?;
                        Some(view! { <ReferralView file=file referral_id=referral_id.clone() mode=mode/> })
                    }}
                }.into_any(),
            }
        }}
    }
}

/// The strategies on the pupil's plans, newest plan first, each once: what was tried.
fn strategies_tried(file: &PupilFile) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for plan in file.plans.iter().rev() {
        for s in &plan.strategies {
            if !found.iter().any(|f| f.trim() == s.trim()) {
                found.push(s.trim().to_string());
            }
        }
    }
    found.truncate(20);
    found
}

#[component]
fn ReferralForm(
    file: PupilFile,
    referral: Option<Referral>,
    #[prop(optional)] on_done: Option<Callback<()>>,
) -> impl IntoView {
    let app = use_app();
    let navigate = leptos_router::hooks::use_navigate();
    let settings = app
        .settings()
        .unwrap_or_else(|| crate::domain::Settings::new(""));
    let directory = settings.agencies.clone();
    let is_new = referral.is_none();
    set_title(if is_new {
        "Refer to an agency"
    } else {
        "Edit a referral"
    });
    let name = super::names::page_name(app, &file);
    let pupil = file.pupil.id.clone();
    let base = referral.clone();
    let agency = RwSignal::new(
        referral
            .as_ref()
            .map(|r| r.agency_id.clone())
            .unwrap_or_default(),
    );
    let professional = RwSignal::new(
        referral
            .as_ref()
            .map(|r| r.professional.clone())
            .unwrap_or_default(),
    );
    let reason = RwSignal::new(
        referral
            .as_ref()
            .map(|r| r.reason.clone())
            .unwrap_or_default(),
    );
    let offered = strategies_tried(&file);
    let was_tried = |s: &str| {
        referral
            .as_ref()
            .is_some_and(|r| r.tried.iter().any(|t| t == s))
    };
    let ticks: Vec<(String, RwSignal<bool>)> = offered
        .iter()
        .map(|s| (s.clone(), RwSignal::new(was_tried(s))))
        .collect();
    let other_tried = RwSignal::new(
        referral
            .as_ref()
            .map(|r| {
                r.tried
                    .iter()
                    .filter(|t| !offered.contains(t))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
    );
    let consent_on = RwSignal::new(
        referral
            .as_ref()
            .and_then(|r| r.consent.as_ref())
            .map(|c| format_uk(c.on))
            .unwrap_or_default(),
    );
    let consent_by = RwSignal::new(
        referral
            .as_ref()
            .and_then(|r| r.consent.as_ref())
            .map(|c| c.by.clone())
            .unwrap_or_default(),
    );
    let time_used = RwSignal::new(
        referral
            .as_ref()
            .filter(|r| r.time_used > 0)
            .map(|r| hundredths_text(i64::from(r.time_used)))
            .unwrap_or_default(),
    );
    let problems = RwSignal::new(Vec::<Problem>::new());
    let saving = RwSignal::new(false);
    let agency_options = super::form::choices_after(
        "Choose an agency",
        directory
            .sorted()
            .into_iter()
            .map(|a| (a.id.clone(), a.label())),
    );
    let directory_for_people = directory.clone();
    let people = move || {
        let chosen = agency.get();
        super::form::choices_after(
            "Not named",
            directory_for_people
                .agency(&chosen)
                .map(|a| {
                    a.professionals
                        .iter()
                        .map(|p| {
                            let label = if p.role.is_empty() {
                                p.name.clone()
                            } else {
                                format!("{} ({})", p.name, p.role)
                            };
                            (p.name.clone(), label)
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default(),
        )
    };
    let past = file.referrals.clone();
    let directory_for_notes = directory.clone();
    let agency_notes = move || {
        let chosen = agency.get();
        let agency = directory_for_notes.agency(&chosen)?.clone();
        let declines: Vec<String> = past_declines(&past, &chosen)
            .into_iter()
            .map(|(_, step)| format!("Declined {}: {}", format_uk(step.on), step.note))
            .collect();
        let left = super::agencies::traded_left(app, &agency);
        Some(view! {
            <div class="notice" role="note">
                {(!declines.is_empty()).then(|| view! {
                    <p><strong>{format!("{} declined a referral for this pupil before:", agency.name)}</strong></p>
                    <ul>{declines.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                })}
                {left.map(|l| view! { <p>{format!("Traded time with {}: {l}.", agency.name)}</p> })}
                {(!agency.notes.is_empty()).then(|| view! { <p>{format!("Notes: {}", agency.notes)}</p> })}
            </div>
        })
    };
    let tick_list = ticks.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let mut found: Vec<Problem> = Vec::new();
        let chosen = directory.agency(&agency.get_untracked()).cloned();
        if chosen.is_none() {
            found.push(("referral-agency".into(), "Choose the agency.".into()));
        }
        let typed_reason = reason.get_untracked().trim().to_string();
        if typed_reason.is_empty() {
            found.push((
                "referral-reason".into(),
                "Say why the pupil is being referred.".into(),
            ));
        } else if typed_reason.chars().count() > MAX_REFERRAL_TEXT {
            found.push((
                "referral-reason".into(),
                format!("At most {MAX_REFERRAL_TEXT} characters."),
            ));
        }
        let consent = match (
            consent_on.get_untracked().trim(),
            consent_by.get_untracked().trim().to_string(),
        ) {
            ("", by) if by.is_empty() => None,
            (on, by) => match parse_date(on) {
                Some(on) if on > today() => {
                    found.push((
                        "consent-on".into(),
                        "The consent date cannot be after today.".into(),
                    ));
                    None
                }
                Some(_) if by.is_empty() => {
                    found.push(("consent-by".into(), "Say who gave consent.".into()));
                    None
                }
                Some(on) => Some(Consent { on, by }),
                None => {
                    found.push((
                        "consent-on".into(),
                        "Enter the date consent was given as day/month/year.".into(),
                    ));
                    None
                }
            },
        };
        let used_text = time_used.get_untracked();
        let used = if used_text.trim().is_empty() {
            0
        } else {
            parse_hundredths(&used_text).unwrap_or_else(|| {
                found.push((
                    "referral-time-used".into(),
                    "Enter the time used as a number, for example 2.5.".into(),
                ));
                0
            })
        };
        if base.as_ref().is_some_and(|r| !r.steps.is_empty()) && consent.is_none() {
            found.push((
                "consent-on".into(),
                "A referral already sent keeps the parents' consent.".into(),
            ));
        }
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let chosen = chosen.expect("checked above");
        let mut referral = base.clone().unwrap_or_else(|| {
            let mut r = Referral::new(&chosen, &typed_reason, today());
            r.id = OpenDesk::new_provision_id();
            r
        });
        referral.agency_id = chosen.id.clone();
        referral.agency = chosen.name.clone();
        referral.professional = professional.get_untracked();
        referral.reason = typed_reason;
        referral.tried = tick_list
            .iter()
            .filter(|(_, t)| t.get_untracked())
            .map(|(s, _)| s.clone())
            .chain(
                other_tried
                    .get_untracked()
                    .lines()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty()),
            )
            .collect();
        referral.consent = consent;
        referral.time_used = used;
        referral.edited_at = Some(chrono::Utc::now());
        if let Err(e) = referral.check() {
            problems.set(vec![(String::new(), e)]);
            return;
        }
        let referral_id = referral.id.clone();
        saving.set(true);
        let navigate = navigate.clone();
        let pupil = pupil.clone();
        let agency_name = chosen.name.clone();
        save_change(
            app,
            &pupil.clone(),
            move |file| {
                match file.referrals.iter_mut().find(|r| r.id == referral.id) {
                    Some(current) => {
                        // Steps and recommendations recorded meanwhile (another tab) stay.
                        referral.steps = current.steps.clone();
                        referral.recommendations = current.recommendations.clone();
                        referral.report_file = current.report_file.clone();
                        *current = referral;
                    }
                    None => file.referrals.push(referral),
                }
                Ok(())
            },
            move |result| {
                saving.set(false);
                match result {
                    Ok(()) => {
                        app.notice.set(Some(Notice::info(format!(
                            "The referral to {agency_name} was saved."
                        ))));
                        match on_done {
                            Some(done) => done.run(()),
                            None => navigate(
                                &referral_href(app, &pupil, &referral_id),
                                Default::default(),
                            ),
                        }
                    }
                    Err(e) => problems.set(vec![(String::new(), e)]),
                }
            },
        );
    };
    let heading = if is_new {
        format!("Refer {name} to an agency")
    } else {
        format!("Edit {name}'s referral")
    };
    let cancel_href = pupil_href(app, &file.pupil.id);
    let no_agencies = agency_options.len() == 1;
    view! {
        <h1 tabindex="-1">{heading}</h1>
        {no_agencies.then(|| view! {
            <p class="notice">"No agencies are in the directory yet. "<a href=app.href("/agencies")>"Add an agency"</a>" first."</p>
        })}
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <SelectField id="referral-agency" label="Agency" value=agency options=agency_options
                error=error_for(problems, "referral-agency")/>
            {agency_notes}
            {move || view! { <SelectField id="referral-professional" label="Professional" value=professional options=people()/> }}
            <TextArea id="referral-reason" label="Reason for the referral" value=reason limit=MAX_REFERRAL_TEXT
                error=error_for(problems, "referral-reason")/>
            <fieldset class="fieldset">
                <legend>"Strategies already tried"</legend>
                {(ticks.is_empty()).then(|| view! { <p>"No strategies on the pupil's plans yet."</p> })}
                {ticks.iter().enumerate().map(|(i, (s, t))| view! {
                    <CheckField id=format!("tried-{i}") label=s.clone() checked=*t/>
                }).collect_view()}
                <TextArea id="referral-tried-other" label="Other strategies tried (one a line)" value=other_tried limit=2000/>
            </fieldset>
            <fieldset class="fieldset">
                <legend>"Parents' consent"</legend>
                <TextField date=true id="consent-on" label="Date consent was given" value=consent_on
                    hint="Day/month/year. A referral is sent only with consent." error=error_for(problems, "consent-on")/>
                <TextField id="consent-by" label="Given by" value=consent_by
                    hint="For example: Mrs Patel (mother)." error=error_for(problems, "consent-by")/>
            </fieldset>
            <TextField id="referral-time-used" label="Traded time this work used" value=time_used
                hint="In the agency's unit (hours or days). Leave blank if none." error=error_for(problems, "referral-time-used")/>
            <div class="button-group">
                <button type="submit" class="button" disabled=move || saving.get()>"Save the referral"</button>
                {match on_done {
                    Some(done) => view! { <button type="button" class="button button--secondary" on:click=move |_| done.run(())>"Cancel"</button> }.into_any(),
                    None => view! { <a class="button button--secondary" href=cancel_href>"Cancel"</a> }.into_any(),
                }}
            </div>
        </form>
    }
}

fn step_options(referral: &Referral) -> Vec<(String, String)> {
    referral
        .next_steps()
        .iter()
        .map(|k| (k.code().to_string(), k.to_string()))
        .collect()
}

/// Saves a change to one referral of the pupil, then shows `message`; a refusal goes to
/// `problems` under `field`.
fn change_referral(
    app: AppState,
    pupil: &PupilId,
    referral_id: String,
    change: impl FnOnce(&mut PupilFile, &str) -> Result<(), String> + 'static,
    problems: RwSignal<Vec<Problem>>,
    field: String,
    message: String,
) {
    save_change(
        app,
        pupil,
        move |file| {
            if file.referral(&referral_id).is_none() {
                return Err("That referral is no longer on this pupil's record.".into());
            }
            change(file, &referral_id)?;
            if let Some(r) = file.referrals.iter_mut().find(|r| r.id == referral_id) {
                r.edited_at = Some(chrono::Utc::now());
            }
            Ok(())
        },
        move |result| match result {
            Ok(()) => {
                problems.set(Vec::new());
                app.notice.set(Some(Notice::info(message)));
            }
            Err(e) => problems.set(vec![(field, e)]),
        },
    );
}

#[component]
fn ReferralView(file: PupilFile, referral_id: String, mode: RwSignal<Mode>) -> impl IntoView {
    let app = use_app();
    let name = super::names::page_name(app, &file);
    let pupil = file.pupil.id.clone();
    let Some(referral) = file.referral(&referral_id).cloned() else {
        set_title("Referral not found");
        return view! {
            <h1 tabindex="-1">"Referral not found"</h1>
            <p><a href=pupil_href(app, &pupil)>{format!("Back to {name}")}</a></p>
        }
        .into_any();
    };
    set_title("Referral");
    let problems = RwSignal::new(Vec::<Problem>::new());
    let next = step_options(&referral);
    let kind = RwSignal::new(next.first().map(|(c, _)| c.clone()).unwrap_or_default());
    let step_on = RwSignal::new(format_uk(today()));
    let appointment_on = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let record_step = {
        let pupil = pupil.clone();
        let referral_id = referral_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(kind) = StepKind::from_code(&kind.get_untracked()) else {
                return;
            };
            let Some(on) = parse_date(&step_on.get_untracked()) else {
                problems.set(vec![(
                    "step-on".into(),
                    "Enter the date as day/month/year.".into(),
                )]);
                return;
            };
            let appointment = appointment_on.get_untracked();
            let appointment = if kind == StepKind::Appointment {
                match parse_date(&appointment) {
                    Some(d) => Some(d),
                    None => {
                        problems.set(vec![(
                            "appointment-on".into(),
                            "Enter the appointment's date as day/month/year.".into(),
                        )]);
                        return;
                    }
                }
            } else {
                None
            };
            let step = ReferralStep {
                kind,
                on,
                appointment_on: appointment,
                note: note.get_untracked(),
            };
            // Tried first on a copy, so a refusal is shown beside its own field.
            let current = file_of(app, &pupil).and_then(|f| f.referral(&referral_id).cloned());
            if let Some(mut copy) = current {
                if let Err(e) = copy.record_step(step.clone(), today()) {
                    let field = match e.field {
                        "step_on" => "step-on",
                        "appointment_on" => "appointment-on",
                        "step_note" => "step-note",
                        _ => "step-kind",
                    };
                    problems.set(vec![(field.into(), e.message)]);
                    return;
                }
            }
            let message = format!("{kind} recorded on {}.", format_uk(on));
            change_referral(
                app,
                &pupil,
                referral_id.clone(),
                move |file, id| {
                    let r = file
                        .referrals
                        .iter_mut()
                        .find(|r| r.id == id)
                        .expect("checked");
                    r.record_step(step, today()).map_err(|e| e.message)
                },
                problems,
                "step-kind".into(),
                message,
            );
            note.set(String::new());
            appointment_on.set(String::new());
        }
    };
    let undo_step = {
        let pupil = pupil.clone();
        let referral_id = referral_id.clone();
        move |_| {
            change_referral(
                app,
                &pupil,
                referral_id.clone(),
                |file, id| {
                    let r = file
                        .referrals
                        .iter_mut()
                        .find(|r| r.id == id)
                        .expect("checked");
                    r.undo_step().map(|_| ()).map_err(|e| e.message)
                },
                problems,
                String::new(),
                "The last step was taken back.".into(),
            )
        }
    };
    let report_received = referral.report_received_on();
    let attachments = file.attachments.clone();
    let report = attachments
        .iter()
        .find(|a| a.id == referral.report_file)
        .cloned();
    let chosen_file = RwSignal::new(if referral.report_file.is_empty() {
        attachments.last().map(|a| a.id.clone()).unwrap_or_default()
    } else {
        referral.report_file.clone()
    });
    let link_report = {
        let pupil = pupil.clone();
        let referral_id = referral_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let chosen = chosen_file.get_untracked();
            if chosen.is_empty() {
                problems.set(vec![(
                    "report-file".into(),
                    "Choose the file that is the report, or attach it first.".into(),
                )]);
                return;
            }
            change_referral(
                app,
                &pupil,
                referral_id.clone(),
                move |file, id| {
                    if !file.attachments.iter().any(|a| a.id == chosen) {
                        return Err("That file is no longer on the pupil's record.".into());
                    }
                    let r = file
                        .referrals
                        .iter_mut()
                        .find(|r| r.id == id)
                        .expect("checked");
                    r.report_file = chosen;
                    Ok(())
                },
                problems,
                "report-file".into(),
                "The report file was linked to the referral.".into(),
            )
        }
    };
    let new_recommendations = RwSignal::new(String::new());
    let add_recommendations = {
        let pupil = pupil.clone();
        let referral_id = referral_id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = new_recommendations.get_untracked();
            change_referral(
                app,
                &pupil,
                referral_id.clone(),
                move |file, id| {
                    let r = file
                        .referrals
                        .iter_mut()
                        .find(|r| r.id == id)
                        .expect("checked");
                    r.add_recommendations(&text)
                        .map(|_| ())
                        .map_err(|e| e.message)
                },
                problems,
                "new-recommendations".into(),
                "The recommendations were added.".into(),
            );
            new_recommendations.set(String::new());
        }
    };
    let (used, total) = referral.used();
    let plan_note = match file.plan_for_recommendations() {
        Some(p) => format!("Recommendations used go into plan {} ({}).", p.cycle, p.status),
        None => "There is no draft or active support plan: recommendations can go to the passport, or start the next plan first.".into(),
    };
    let steps = referral.steps.clone();
    let has_steps = !steps.is_empty();
    let can_step = !next.is_empty();
    let recs = referral.recommendations.clone();
    let rec_rows = recs.into_iter().map(|rec| {
        let in_place = file.uptake_in_place(&referral, &rec.id);
        view! { <RecommendationItem pupil=pupil.clone() referral_id=referral_id.clone() rec=rec in_place=in_place problems=problems/> }
    }).collect_view();
    let back = pupil_href(app, &pupil);
    view! {
        <p><a href=back>{format!("Back to {name}")}</a></p>
        <h1 tabindex="-1">{format!("Referral to {}", referral.agency)}</h1>
        <ErrorSummary problems=problems/>
        <dl class="summary-list">
            <dt>"Pupil"</dt><dd>{name.clone()}</dd>
            <dt>"Status"</dt><dd>{referral.status()}</dd>
            <dt>"Professional"</dt><dd>{if referral.professional.is_empty() { "Not named".to_string() } else { referral.professional.clone() }}</dd>
            <dt>"Reason"</dt><dd>{referral.reason.clone()}</dd>
            <dt>"Strategies already tried"</dt><dd>{if referral.tried.is_empty() { "None recorded".to_string() } else { referral.tried.join("; ") }}</dd>
            <dt>"Parents' consent"</dt><dd>{referral.consent.as_ref().map_or("Not yet recorded".to_string(), |c| format!("Given by {} on {}", c.by, format_uk(c.on)))}</dd>
            <dt>"Traded time used"</dt><dd>{if referral.time_used == 0 { "None recorded".to_string() } else { hundredths_text(i64::from(referral.time_used)) }}</dd>
        </dl>
        <p><button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::Edit)>"Edit the details"</button></p>

        <h2>"Steps"</h2>
        {if has_steps {
            view! { <ol>{steps.iter().map(|s| view! { <li>{s.describe()}</li> }).collect_view()}</ol> }.into_any()
        } else {
            view! { <p>"A draft: not sent yet."</p> }.into_any()
        }}
        {can_step.then(|| view! {
            <form on:submit=record_step novalidate aria-labelledby="next-step-title">
                <h3 id="next-step-title">"Record the next step"</h3>
                <SelectField id="step-kind" label="Step" value=kind options=next.clone() error=error_for(problems, "step-kind")/>
                <TextField date=true id="step-on" label="Date it happened" value=step_on error=error_for(problems, "step-on")/>
                {move || (kind.get() == "appointment").then(|| view! {
                    <TextField date=true id="appointment-on" label="Appointment date" value=appointment_on error=error_for(problems, "appointment-on")/>
                })}
                <TextArea id="step-note" label="Reason or note" value=note limit=MAX_REFERRAL_TEXT
                    hint="Required when the agency declines: the reason helps the next referral."
                    error=error_for(problems, "step-note")/>
                <button type="submit" class="button">"Record the step"</button>
            </form>
        })}
        {has_steps.then(|| view! {
            <p><button type="button" class="button button--secondary" on:click=undo_step>"Take back the last step"</button></p>
        })}

        {report_received.map(|on| view! {
            <h2>"The report"</h2>
            <p>{format!("Received {}.", format_uk(on))}</p>
            {match report.clone() {
                Some(a) => {
                    let shown = a.clone();
                    view! {
                        <p>{format!("Report file: {} ({})", shown.name, crate::domain::text::file_size(shown.size))}" "
                            <button type="button" class="button button--secondary"
                                on:click=move |_| super::pupil_files::download_file(app, a.clone())>"Download the report"</button>
                        </p>
                    }.into_any()
                }
                None => view! {
                    <p>{if referral.report_file.is_empty() { "No file linked yet." } else { "The linked file is not on this desk (a backup without files may have left it out)." }}</p>
                }.into_any(),
            }}
            <form on:submit=link_report.clone() novalidate>
                <SelectField id="report-file" label="The report file" value=chosen_file
                    options=super::form::choices_after("Choose a file", attachments.iter().rev().map(|a| (a.id.clone(), format!("{} ({})", a.name, format_uk(a.about)))))
                    hint="One of the files attached to the pupil's record."
                    error=error_for(problems, "report-file")/>
                <div class="button-group">
                    <button type="submit" class="button">"Link this file as the report"</button>
                    <button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::Attach)>"Attach a new file"</button>
                </div>
            </form>

            <h2>"Recommendations"</h2>
            <p>{format!("{used} of {total} recommendations used. ")}{plan_note.clone()}</p>
            <ul class="plain-list">{rec_rows}</ul>
            <form on:submit=add_recommendations.clone() novalidate>
                <TextArea id="new-recommendations" label="Add recommendations from the report (one a line)"
                    value=new_recommendations limit=8000 error=error_for(problems, "new-recommendations")/>
                <button type="submit" class="button">"Add the recommendations"</button>
            </form>
        })}
    }
    .into_any()
}

#[component]
fn RecommendationItem(
    pupil: PupilId,
    referral_id: String,
    rec: crate::domain::referral::Recommendation,
    in_place: bool,
    problems: RwSignal<Vec<Problem>>,
) -> impl IntoView {
    let app = use_app();
    let asking_reason = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let text = rec.text.clone();
    let field_id = format!("not-taken-up-{}", rec.id);
    let take = {
        let (pupil, referral_id, rec_id) = (pupil.clone(), referral_id.clone(), rec.id.clone());
        move |target: UptakeTarget| {
            let rec_id = rec_id.clone();
            change_referral(
                app,
                &pupil,
                referral_id.clone(),
                move |file, id| file.take_up(id, &rec_id, target, today()),
                problems,
                String::new(),
                format!("Added as {target}."),
            )
        }
    };
    let undo = {
        let (pupil, referral_id, rec_id) = (pupil.clone(), referral_id.clone(), rec.id.clone());
        move |_| {
            let rec_id = rec_id.clone();
            change_referral(
                app,
                &pupil,
                referral_id.clone(),
                move |file, id| file.undo_uptake(id, &rec_id),
                problems,
                String::new(),
                "The recommendation is undecided again.".into(),
            )
        }
    };
    let not_taken = {
        let (pupil, referral_id, rec_id, field_id) = (
            pupil.clone(),
            referral_id.clone(),
            rec.id.clone(),
            field_id.clone(),
        );
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let (rec_id, why) = (rec_id.clone(), reason.get_untracked());
            change_referral(
                app,
                &pupil,
                referral_id.clone(),
                move |file, id| {
                    let r = file
                        .referrals
                        .iter_mut()
                        .find(|r| r.id == id)
                        .expect("checked");
                    r.not_taken_up(&rec_id, &why, today())
                        .map_err(|e| e.message)
                },
                problems,
                field_id.clone(),
                "Marked as not taken up.".into(),
            )
        }
    };
    let decided = match &rec.uptake {
        Some(Uptake::Used { target, on, .. }) => Some(format!(
            "Used as {target} on {}{}",
            format_uk(*on),
            if in_place {
                ""
            } else {
                " (since reworded or removed there)"
            }
        )),
        Some(Uptake::NotTakenUp { reason, on }) => {
            Some(format!("Not taken up on {}: {reason}", format_uk(*on)))
        }
        None => None,
    };
    let label = text.clone();
    view! {
        <li class="card">
            <p><strong>{text.clone()}</strong></p>
            {match decided {
                Some(words) => view! {
                    <p>{words}" "
                        <button type="button" class="button button--link" on:click=undo>
                            "Undo"<span class="visually-hidden">{format!(" ({label})")}</span>
                        </button>
                    </p>
                }.into_any(),
                None => {
                    let t = take.clone();
                    let t2 = take.clone();
                    let t3 = take.clone();
                    let t4 = take.clone();
                    let hidden = format!(" ({label})");
                    let (h1, h2, h3, h4, h5) = (hidden.clone(), hidden.clone(), hidden.clone(), hidden.clone(), hidden.clone());
                    view! {
                        <div class="button-group">
                            <button type="button" class="button button--secondary" on:click=move |_| t(UptakeTarget::PlanStrategy)>
                                "Add to the plan's strategies"<span class="visually-hidden">{h1.clone()}</span></button>
                            <button type="button" class="button button--secondary" on:click=move |_| t2(UptakeTarget::PassportStrategy)>
                                "Add to the passport's key strategies"<span class="visually-hidden">{h2.clone()}</span></button>
                            <button type="button" class="button button--secondary" on:click=move |_| t3(UptakeTarget::PlanOutcome)>
                                "Add as a plan outcome"<span class="visually-hidden">{h3.clone()}</span></button>
                            <button type="button" class="button button--secondary" on:click=move |_| t4(UptakeTarget::PlanProvision)>
                                "Add as plan provision"<span class="visually-hidden">{h4.clone()}</span></button>
                            <button type="button" class="button button--link" aria-expanded=move || asking_reason.get().to_string()
                                on:click=move |_| asking_reason.update(|a| *a = !*a)>
                                "Not taken up"<span class="visually-hidden">{h5.clone()}</span></button>
                        </div>
                        {move || asking_reason.get().then(|| view! {
                            <form on:submit=not_taken.clone() novalidate>
                                <TextField id=field_id.clone() label=format!("Why \"{label}\" is not taken up") value=reason
                                    error=error_for(problems, field_id.clone())/>
                                <button type="submit" class="button">"Save the reason"</button>
                            </form>
                        })}
                    }.into_any()
                }
            }}
        </li>
    }
}

/// The pupil page's list of referrals, with report labels and how many recommendations
/// were used.
#[component]
pub fn ReferralsSection(file: PupilFile, editable: bool) -> impl IntoView {
    let app = use_app();
    let pupil = file.pupil.id.clone();
    let referrals = file.referrals.clone();
    view! {
        <section aria-labelledby="section-referrals">
            <h2 id="section-referrals" tabindex="-1">"Referrals to agencies"</h2>
            {if referrals.is_empty() {
                view! { <p>"No referrals recorded."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {referrals.iter().rev().map(|r| {
                            let (used, total) = r.used();
                            let sent = r.sent_on().map(|d| format!(", sent {}", format_uk(d))).unwrap_or_default();
                            let recs = if total > 0 { format!("; {used} of {total} recommendations used") } else { String::new() };
                            let report = r.report_received_on().map(|_| format!("; {}", report_label(r))).unwrap_or_default();
                            view! {
                                <li><a href=referral_href(app, &pupil, &r.id)>{format!("Referral to {}", r.agency)}</a>
                                    {format!(": {}{sent}{report}{recs}", r.status())}</li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {editable.then(|| view! {
                <p><a class="button" href=new_referral_href(app, &pupil)>"Refer to an agency"</a></p>
            })}
        </section>
    }
}

/// What on a plan came from which agency report: shown on the plan and at its review.
#[component]
pub fn FromReports(file: PupilFile, plan_id: String) -> impl IntoView {
    let app = use_app();
    let found = file.from_reports(&plan_id);
    let pupil = file.pupil.id.clone();
    (!found.is_empty()).then(|| {
        view! {
            <section class="plan-section" aria-labelledby="plan-from-reports">
                <h2 id="plan-from-reports">"From agency reports"</h2>
                <ul>
                    {found.into_iter().map(|f| view! {
                        <li>{format!("{} (as {}): ", f.text, f.target)}
                            <a href=referral_href(app, &pupil, &f.referral_id)>{f.source}</a></li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
