//! A pupil's page: summary card, SEN status and needs with their history, concerns,
//! parents and carers, and a timeline of everything recorded. Archiving and erasing too.

use super::drafts::{DraftOffer, FormDraft};
use super::form::{
    choices_after, error_for, today, CheckField, ErrorSummary, Problem, SelectField, TextArea,
    TextField,
};
use super::pupil_form::PupilForm;
use super::shell::{set_title, Unlocked};
use super::state::{use_app, AppState, Notice};
use crate::domain::concern::{decide_concern, Concern, Decision, Outcome, RaisedBy};
use crate::domain::dates::{format_uk, parse_date};
use crate::domain::sen::{Need, NeedsChange, StatusChange, MAX_NEEDS};
use crate::domain::{
    BroadArea, Contact, ContactMethod, Flag, NeedType, PupilFile, PupilId, SenStatus,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use wasm_bindgen::JsCast;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    View,
    EditDetails(u64),
    Status,
    Needs,
    NewConcern,
    Decide(usize),
    AddContact,
    AddNote,
    AttachFile,
    Erase,
}

#[component]
pub fn PupilPage() -> impl IntoView {
    view! { <Unlocked><PupilScreen/></Unlocked> }
}

#[component]
fn PupilScreen() -> impl IntoView {
    let app = use_app();
    let query = use_query_map();
    let id = Memo::new(move |_| PupilId(query.with(|q| q.get("id").unwrap_or_default())));
    let mode = RwSignal::new(Mode::View);
    // Each step (page, form, confirmation) is a new view: take focus to its heading.
    Effect::new(move |first: Option<()>| {
        let opening_form = mode.with(|m| *m != Mode::View);
        id.track();
        if first.is_some() {
            if opening_form {
                app.notice.set(None);
            }
            request_animation_frame(super::shell::focus_heading);
        }
    });
    // Forms must not be rebuilt (losing what was typed) when anything else saves: they
    // depend only on whether the pupil exists. The summary redraws when their file changes.
    let (exists, file_revision) = watch_file(app, id);
    view! {
        {move || {
            if !exists.get() {
                set_title("Pupil not found");
                return view! {
                    <h1 tabindex="-1">"Pupil not found"</h1>
                    <p>"That pupil is not on this desk: they may have been erased. "
                        <a href=app.href("/pupils")>"Back to pupils"</a></p>
                }.into_any();
            }
            let id = id.get();
            match mode.get() {
                Mode::View => view! {
                    // Text kept from a form when the desk locked: offered back here.
                    <DraftOffer open={
                        let id = id.clone();
                        move |form: String| open_draft_form(app, &id, mode, &form)
                    }/>
                    {move || {
                        let _ = file_revision.get();
                        view! { <PupilView id=id.clone() mode=mode/> }
                    }}
                }.into_any(),
                Mode::EditDetails(revision) => view! {
                    <PupilForm editing=Some((id, revision)) on_done=Callback::new(move |_| mode.set(Mode::View))/>
                }.into_any(),
                Mode::Status => view! { <StatusForm id=id mode=mode/> }.into_any(),
                Mode::Needs => view! { <NeedsForm id=id mode=mode/> }.into_any(),
                Mode::NewConcern => view! { <ConcernForm id=id mode=mode/> }.into_any(),
                Mode::Decide(index) => view! { <DecisionForm id=id index=index mode=mode/> }.into_any(),
                Mode::AddContact => view! { <ContactForm id=id mode=mode/> }.into_any(),
                Mode::AddNote => view! { <NoteForm id=id mode=mode/> }.into_any(),
                Mode::AttachFile => view! {
                    <super::pupil_files::AttachForm id=id on_done=Callback::new(move |_| mode.set(Mode::View))/>
                }.into_any(),
                Mode::Erase => view! { <EraseForm id=id mode=mode/> }.into_any(),
            }
        }}
    }
}

/// Opens the form a kept draft belongs to (its name as given to [`FormDraft::provide`]).
fn open_draft_form(app: AppState, id: &PupilId, mode: RwSignal<Mode>, form: &str) {
    let next = match form {
        "details" => file_of(app, id).map(|f| Mode::EditDetails(f.revision)),
        "status" => Some(Mode::Status),
        "needs" => Some(Mode::Needs),
        "concern" => Some(Mode::NewConcern),
        "contact" => Some(Mode::AddContact),
        "note" => Some(Mode::AddNote),
        other => other
            .strip_prefix("decision-")
            .and_then(|i| i.parse().ok())
            .map(Mode::Decide),
    };
    if let Some(next) = next {
        mode.set(next);
    }
}

/// Whether the pupil's file exists, and its revision: forms depend on the first only, so
/// another tab's save never rebuilds them; read-only views redraw on the second (read it
/// with `get`, as a memo never read is never computed).
pub(super) fn watch_file(app: AppState, id: Memo<PupilId>) -> (Memo<bool>, Memo<Option<u64>>) {
    let exists = Memo::new(move |_| {
        let id = id.get();
        app.session
            .with(|s| s.as_ref().is_some_and(|o| o.desk.file(&id).is_some()))
    });
    let revision = Memo::new(move |_| {
        let id = id.get();
        app.session.with(|s| {
            s.as_ref()
                .and_then(|o| o.desk.file(&id).map(|f| f.revision))
        })
    });
    (exists, revision)
}

pub(super) fn file_of(app: AppState, id: &PupilId) -> Option<PupilFile> {
    app.session
        .with_untracked(|s| s.as_ref().and_then(|o| o.desk.file(id).cloned()))
}

/// Applies a change (a status, a concern, a contact: an addition, never a whole-file
/// overwrite) to the latest copy of the file and saves it, so an edit in another tab is
/// kept rather than refused. A refusal (a rule, storage) comes back as the message to show;
/// the form keeps its contents.
pub(super) fn save_change(
    app: AppState,
    id: &PupilId,
    change: impl FnOnce(&mut PupilFile) -> Result<(), String>,
    then: impl FnOnce(Result<(), String>) + 'static,
) {
    // The change is made at once (so it may borrow the form's values); `then` runs once the
    // save has reached storage, or at once if the change was refused.
    let changed = file_of(app, id)
        .ok_or_else(|| "That pupil is no longer on this desk.".to_string())
        .and_then(|mut file| {
            let revision = file.revision;
            change(&mut file).map(|()| (file, revision))
        });
    let (file, revision) = match changed {
        Ok(changed) => changed,
        Err(e) => return then(Err(e)),
    };
    let now = chrono::Utc::now();
    leptos::task::spawn_local_scoped(async move {
        let saved = app
            .save(move |open, store| open.save_file(store, file, revision, now))
            .await;
        then(saved.map(|_| ()).map_err(|e| e.to_string()));
    });
}

pub(super) fn date_or_problem(
    text: &str,
    field: &str,
    problems: &mut Vec<Problem>,
) -> Option<chrono::NaiveDate> {
    let date = parse_date(text);
    if date.is_none() {
        problems.push((
            field.into(),
            "Enter a date as day/month/year, for example 01/09/2026.".into(),
        ));
    }
    date
}

#[component]
fn PupilView(id: PupilId, mode: RwSignal<Mode>) -> impl IntoView {
    let app = use_app();
    let Some(file) = app
        .session
        .with(|s| s.as_ref().and_then(|o| o.desk.file(&id).cloned()))
    else {
        return ().into_any();
    };
    let today = today();
    let pupil = file.pupil.clone();
    let revision = file.revision;
    set_title("Pupil record");
    let archived = pupil.archived;
    let editable = archived.is_none();
    let status = file.sen.status_on(today);
    let since = file.sen.status_since_words(today);
    let needs = file.sen.needs_on(today).to_vec();
    let ehc_summary = if let Some(plan) = file.ehc.current_plan() {
        format!(
            "{}: EHC plan issued {} by {}.",
            file.ehc.reference(),
            format_uk(plan.issued),
            plan.local_authority
        )
    } else if let Some(request) = file.ehc.open_requests().last() {
        format!(
            "{}: needs assessment requested, received {}.",
            file.ehc.reference(),
            format_uk(request.received)
        )
    } else {
        "No EHC plan or needs assessment request recorded.".to_string()
    };

    let unarchive = {
        let id = id.clone();
        move |_| {
            let name = file_of(app, &id)
                .map(|f| f.pupil.full_name())
                .unwrap_or_default();
            save_change(
                app,
                &id,
                |f| {
                    f.pupil.archived = None;
                    Ok(())
                },
                move |saved| match saved {
                    Ok(()) => {
                        app.notice
                            .set(Some(Notice::info(format!("{name} is back on roll."))));
                        request_animation_frame(super::shell::focus_heading);
                    }
                    Err(e) => app.notice.set(Some(Notice::error(e))),
                },
            )
        }
    };
    let archive = {
        let id = id.clone();
        move |_| {
            let name = file_of(app, &id)
                .map(|f| f.pupil.full_name())
                .unwrap_or_default();
            save_change(
                app,
                &id,
                |f| {
                    f.pupil.archive(today);
                    Ok(())
                },
                move |saved| match saved {
                    Ok(()) => {
                        app.notice.set(Some(Notice::info(format!(
                            "{name} is archived as a leaver. Their file is kept, read-only."
                        ))));
                        request_animation_frame(super::shell::focus_heading);
                    }
                    Err(e) => app.notice.set(Some(Notice::error(e))),
                },
            )
        }
    };

    let upn_line = match (&pupil.upn, &pupil.unchecked_upn) {
        (Some(upn), _) => upn.to_string(),
        (None, Some(written)) => format!("{written} (fails its check: correct it in Edit details)"),
        (None, None) => "Not recorded".into(),
    };
    let age = {
        match pupil.age_on(today) {
            Some(years) => format!("{} (age {years})", pupil.date_of_birth_text()),
            None => format!(
                "{}: the age is unknown until it is set in Edit details",
                pupil.date_of_birth_text()
            ),
        }
    };
    let flags: Vec<&str> = Flag::ALL
        .into_iter()
        .filter(|f| pupil.flags.has(*f))
        .map(Flag::label)
        .collect();
    let status_periods: Vec<_> = file
        .sen
        .status_periods()
        .into_iter()
        .rev()
        .map(|p| {
            (
                p.change.status.to_string(),
                crate::domain::sen::start_date_words(p.start, &p.change.reason),
                if p.superseded {
                    "Replaced the same day".to_string()
                } else {
                    p.end.map(format_uk).unwrap_or_else(|| "Current".into())
                },
                p.change.reason.clone(),
            )
        })
        .collect();
    let needs_periods: Vec<_> = file
        .sen
        .needs_periods()
        .into_iter()
        .rev()
        .map(|p| {
            let list = p
                .change
                .needs
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{}. {}", i + 1, n.need_type.code()))
                .collect::<Vec<_>>()
                .join(", ");
            (
                crate::domain::sen::start_date_words(p.start, &p.change.reason),
                if p.superseded {
                    "Replaced the same day".to_string()
                } else {
                    p.end.map(format_uk).unwrap_or_else(|| "Current".into())
                },
                if list.is_empty() { "None".into() } else { list },
                p.change.reason.clone(),
            )
        })
        .collect();
    let areas: Vec<String> = file
        .sen
        .areas_on(today)
        .iter()
        .map(|a| a.to_string())
        .collect();
    let concerns: Vec<(usize, Concern)> = file.concerns.iter().cloned().enumerate().rev().collect();
    let contacts = pupil.contacts.clone();
    let timeline = app.session.with_untracked(|s| {
        let more = s
            .as_ref()
            .map(|o| {
                let mut more = crate::domain::provision::for_pupil::provision_timeline(
                    o.desk.provisions_of(&file.pupil.id),
                    &file.pupil.id,
                );
                more.extend(crate::domain::contact_log::search::timeline_lines(
                    o.desk.log_of(&file.pupil.id),
                ));
                more.sort_by_key(|e| std::cmp::Reverse(e.date));
                more
            })
            .unwrap_or_default();
        crate::domain::provision::for_pupil::merged_timeline(file.timeline(), more)
    });
    let sen_for_needs = file.sen.clone();

    view! {
        <p><a href=app.href("/pupils")>"Back to pupils"</a></p>
        <h1 tabindex="-1">{crate::ui::names::page_name(app, &file)}</h1>
        <PageContents/>
        {archived.map(|on| {
            let keep = match pupil.keep_until() {
                Some(keep) => format!("Keep until {} (date of birth plus 31 years), then erase.", format_uk(keep)),
                None => "Keep until: unknown, because the date of birth is to correct (records are kept until the date of birth plus 31 years).".to_string(),
            };
            view! {
                <div class="notice notice--warning" data-testid="archived-banner">
                    <p>{format!("Archived as a leaver on {}. The file is read-only.", format_uk(on))}</p>
                    <p>{keep}</p>
                    <div class="button-group">
                        <button type="button" class="button button--secondary" on:click=unarchive.clone()>"Take out of the archive"</button>
                        <button type="button" class="button button--danger" on:click=move |_| mode.set(Mode::Erase)>"Erase completely"</button>
                    </div>
                </div>
            }
        })}
        <section class="card" aria-labelledby="summary-title">
            <h2 id="summary-title" tabindex="-1">"Summary"</h2>
            <dl class="summary-list summary-list--grid">
                <dt>"Legal name"</dt><dd>{pupil.legal_name()}</dd>
                <dt>"Known as"</dt><dd>{pupil.known_as().to_string()}</dd>
                <dt>"Date of birth"</dt><dd>{age}</dd>
                <dt>"Year group"</dt><dd>{pupil.year_group.to_string()}</dd>
                <dt>"Class or form"</dt><dd>{if pupil.class_name.is_empty() { "Not recorded".to_string() } else { pupil.class_name.clone() }}</dd>
                <dt>"UPN"</dt><dd>{upn_line}</dd>
                <dt>"Gender"</dt><dd>{pupil.gender.label()}</dd>
                <dt>"Admitted"</dt><dd>{pupil.admitted.map(format_uk).unwrap_or_else(|| "Not recorded".into())}</dd>
                {pupil.left.map(|d| view! { <dt>"Left"</dt><dd>{format_uk(d)}</dd> })}
                <dt>"Flags"</dt><dd>{if flags.is_empty() { "None".to_string() } else { flags.join(", ") }}</dd>
                <dt>"SEN status"</dt><dd>{format!("{status}{}", since.map(|words| format!(" {words}")).unwrap_or_default())}</dd>
                <dt>"Primary need"</dt><dd>{needs.first().map(|n| format!("{} \u{2013} {}", n.need_type.code(), n.need_type.name())).unwrap_or_else(|| "None recorded".into())}</dd>
                <dt>"Broad areas"</dt><dd>{if areas.is_empty() { "None".to_string() } else { areas.join(", ") }}</dd>
            </dl>
            {editable.then(|| view! {
                <div class="button-group">
                    <button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::EditDetails(revision))>"Edit details"</button>
                    <button type="button" class="button button--secondary" on:click=archive.clone()>"Archive as a leaver"</button>
                    <button type="button" class="button button--link button--danger" on:click=move |_| mode.set(Mode::Erase)>"Erase completely"</button>
                </div>
            })}
        </section>

        <h2 id="section-status" tabindex="-1">"SEN status"</h2>
        {editable.then(|| view! {
            <p><button type="button" class="button" on:click=move |_| mode.set(Mode::Status)>"Record a status change"</button></p>
        })}
        {if status_periods.is_empty() {
            view! { <p>"No SEN status recorded: No SEN (N)."</p> }.into_any()
        } else {
            view! {
                <table class="table">
                    <caption class="visually-hidden">"SEN status history, newest first"</caption>
                    <thead><tr><th scope="col">"Status"</th><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"Why"</th></tr></thead>
                    <tbody>
                        {status_periods.into_iter().map(|(s, from, to, why)| view! {
                            <tr><th scope="row">{s}</th><td>{from}</td><td>{to}</td><td>{why}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}

        <h2 id="section-needs" tabindex="-1">"Needs"</h2>
        {if needs.is_empty() {
            view! { <p>"No needs recorded."</p> }.into_any()
        } else {
            view! {
                <ol class="needs">
                    {needs.iter().map(|n| {
                        let since = sen_for_needs.need_since_words(n.need_type, today).unwrap_or_default();
                        view! {
                            <li>
                                <strong>{format!("{} \u{2013} {}", n.need_type.code(), n.need_type.name())}</strong>
                                {format!(" ({since})")}
                                {(!n.description.is_empty()).then(|| view! { <br/>{n.description.clone()} })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
        {editable.then(|| view! {
            <p><button type="button" class="button" on:click=move |_| mode.set(Mode::Needs)>"Change needs"</button></p>
        })}
        {(!needs_periods.is_empty()).then(|| view! {
            <details class="details">
                <summary>"History of needs"</summary>
                <table class="table">
                    <caption class="visually-hidden">"Ranked needs over time, newest first"</caption>
                    <thead><tr><th scope="col">"From"</th><th scope="col">"To"</th><th scope="col">"Needs (ranked)"</th><th scope="col">"Why"</th></tr></thead>
                    <tbody>
                        {needs_periods.into_iter().map(|(from, to, list, why)| view! {
                            <tr><th scope="row">{from}</th><td>{to}</td><td>{list}</td><td>{why}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        })}

        <super::pupil_plans::PlansSection id=id.clone() editable=editable/>
        <section aria-labelledby="section-ehc">
            <h2 id="section-ehc" tabindex="-1">"EHC needs assessment and plan"</h2>
            <p>{ehc_summary}" "<a href=super::ehc::case_href(app, &id)>"Open the EHC case"</a></p>
        </section>
        {file_of(app, &id).map(|file| view! { <super::referral_page::ReferralsSection file=file editable=editable/> })}
        <super::contact_log::PupilLogSection pupil=id.clone() editable=editable/>

        <h2 id="section-concerns" tabindex="-1">"Concerns"</h2>
        {editable.then(|| view! {
            <p><button type="button" class="button" on:click=move |_| mode.set(Mode::NewConcern)>"Record a concern"</button></p>
        })}
        {if concerns.is_empty() {
            view! { <p>"No concerns recorded."</p> }.into_any()
        } else {
            concerns.into_iter().map(|(index, c)| {
                let heading = format!("Concern raised {} by {}", format_uk(c.raised_on), c.raised_by_name);
                let label = heading.clone();
                view! {
                    <article class="card" aria-label=label>
                        <h3>{heading}</h3>
                        <dl class="summary-list">
                            <dt>"Raised by"</dt><dd>{format!("{} ({})", c.raised_by_name, c.raised_by.label())}</dd>
                            <dt>"Area of need"</dt><dd>{c.area.map_or("Not yet known".to_string(), |a| a.to_string())}</dd>
                            <dt>"What was seen"</dt><dd>{c.seen.clone()}</dd>
                            {(!c.evidence.is_empty()).then(|| view! { <dt>"Evidence"</dt><dd>{c.evidence.clone()}</dd> })}
                            {(!c.actions.is_empty()).then(|| view! { <dt>"Actions taken"</dt><dd>{c.actions.clone()}</dd> })}
                            <dt>"Decision"</dt>
                            <dd>{match &c.decision {
                                Some(d) => format!("{} on {}{}", d.outcome, format_uk(d.on), if d.note.is_empty() { String::new() } else { format!(": {}", d.note) }),
                                None => format!("Open for {}", crate::domain::text::count(c.age_days(today) as usize, "day")),
                            }}</dd>
                            {(!c.other_decisions.is_empty()).then(|| view! {
                                <dt>"Also decided on another copy of the desk"</dt>
                                <dd>{c.other_decisions.iter().map(|d| format!("{} on {}", d.outcome, format_uk(d.on))).collect::<Vec<_>>().join("; ")}</dd>
                            })}
                        </dl>
                        {(c.is_open() && editable).then(|| view! {
                            <button type="button" class="button" on:click=move |_| mode.set(Mode::Decide(index))>
                                "Record a decision"<span class="visually-hidden">{format!(" on the concern raised {}", format_uk(c.raised_on))}</span>
                            </button>
                        })}
                    </article>
                }
            }).collect_view().into_any()
        }}

        <h2 id="section-contacts" tabindex="-1">"Parents and carers"</h2>
        {if contacts.is_empty() {
            view! { <p>"No parents or carers recorded."</p> }.into_any()
        } else {
            let id = id.clone();
            view! {
                <table class="table">
                    <caption class="visually-hidden">"Parents and carers"</caption>
                    <thead><tr>
                        <th scope="col">"Name"</th><th scope="col">"Relationship"</th><th scope="col">"Phone"</th>
                        <th scope="col">"Email"</th><th scope="col">"Parental responsibility"</th><th scope="col">"Prefers"</th>
                        {editable.then(|| view! { <th scope="col"><span class="visually-hidden">"Actions"</span></th> })}
                    </tr></thead>
                    <tbody>
                        {contacts.into_iter().map(|c| {
                            let id = id.clone();
                            let name = c.name.clone();
                            let contact_id = c.id.clone();
                            let remove = move |_| {
                                let name = name.clone();
                                // By id: the list may have changed in another tab since.
                                let contact_id = contact_id.clone();
                                save_change(app, &id, move |f| {
                                    f.pupil.contacts.retain(|c| c.id != contact_id);
                                    Ok(())
                                }, move |saved| match saved {
                                    Ok(()) => {
                                        app.notice.set(Some(Notice::info(format!("Removed {name}."))));
                                        request_animation_frame(super::shell::focus_heading);
                                    }
                                    Err(e) => app.notice.set(Some(Notice::error(e))),
                                })
                            };
                            view! {
                                <tr>
                                    <th scope="row">{c.name.clone()}</th><td>{c.relationship.clone()}</td><td>{c.phone.clone()}</td>
                                    <td>{c.email.clone()}</td><td>{if c.parental_responsibility { "Yes" } else { "No" }}</td>
                                    <td>{c.preferred.label()}</td>
                                    {editable.then(|| view! {
                                        <td><button type="button" class="button button--link button--danger" on:click=remove.clone()>
                                            "Remove"<span class="visually-hidden">{format!(" {}", c.name)}</span>
                                        </button></td>
                                    })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
        {editable.then(|| view! {
            <p><button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::AddContact)>"Add a parent or carer"</button></p>
        })}

        <super::provisions::PupilProvisions id=id.clone()/>

        <super::pupil_files::FilesSection id=id.clone() editable=editable on_attach=Callback::new(move |_| mode.set(Mode::AttachFile))/>

        <h2 id="section-timeline" tabindex="-1">"Timeline"</h2>
        {editable.then(|| view! {
            <p><button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::AddNote)>"Add a note"</button></p>
        })}
        <ol class="timeline" aria-label="Everything recorded, newest first">
            {timeline.into_iter().map(|e| view! {
                <li><strong>{format_uk(e.date)}</strong>{format!(" \u{2013} {}: ", e.kind)}{e.text}</li>
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// The sections of a pupil's page, as links: one Tab and Enter reaches any of them.
const SECTIONS: [(&str, &str); 10] = [
    ("summary-title", "Summary"),
    ("section-status", "SEN status"),
    ("section-needs", "Needs"),
    ("section-plans", "Support plans"),
    ("section-passport", "Pupil passport"),
    ("section-concerns", "Concerns"),
    ("section-contacts", "Parents and carers"),
    ("section-provision", "Provision"),
    ("section-files", "Files"),
    ("section-timeline", "Timeline"),
];

/// "On this page": links to each section's heading, which takes the focus (so the next
/// Tab is inside that section).
#[component]
fn PageContents() -> impl IntoView {
    view! {
        <nav class="page-contents" aria-label="On this page">
            <ul>
                {SECTIONS.into_iter().map(|(id, label)| {
                    let jump = move |ev: leptos::ev::MouseEvent| {
                        ev.prevent_default();
                        let heading = web_sys::window()
                            .and_then(|w| w.document())
                            .and_then(|d| d.get_element_by_id(id))
                            .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
                        if let Some(heading) = heading {
                            let _ = heading.focus();
                        }
                    };
                    view! { <li><a href=format!("#{id}") on:click=jump>{label}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// After a form's save: on success, the message and back to the page; on a refusal, the
/// reason above the form, which keeps what was typed.
fn finish(
    app: AppState,
    mode: RwSignal<Mode>,
    problems: RwSignal<Vec<Problem>>,
    saved: Result<(), String>,
    done: impl FnOnce() -> String,
) {
    match saved {
        Ok(()) => {
            app.notice.set(Some(Notice::info(done())));
            mode.set(Mode::View);
        }
        Err(e) => problems.set(vec![(String::new(), e)]),
    }
}

/// The Cancel button every form on this page shares.
fn cancel_button(mode: RwSignal<Mode>) -> impl IntoView {
    view! {
        <button type="button" class="button button--secondary" on:click=move |_| mode.set(Mode::View)>"Cancel"</button>
    }
}

fn pupil_name(app: AppState, id: &PupilId) -> String {
    file_of(app, id)
        .map(|f| crate::ui::names::page_name(app, &f))
        .unwrap_or_default()
}

#[component]
fn StatusForm(id: PupilId, mode: RwSignal<Mode>) -> impl IntoView {
    let app = use_app();
    FormDraft::provide("status");
    let name = pupil_name(app, &id);
    let title = format!("Record a status change for {name}");
    set_title("Record a status change");
    let status = RwSignal::new(String::new());
    let from = RwSignal::new(format_uk(today()));
    let reason = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = Vec::new();
        let chosen = SenStatus::from_code(&status.get_untracked());
        if chosen.is_none() {
            found.push(("status".to_string(), "Choose the new status.".to_string()));
        }
        let date = date_or_problem(&from.get_untracked(), "status-from", &mut found);
        let (Some(chosen), Some(date)) = (chosen, date) else {
            problems.set(found);
            return;
        };
        let change = StatusChange {
            from: date,
            status: chosen,
            reason: reason.get_untracked().trim().to_string(),
            recorded_at: chrono::Utc::now(),
        };
        save_change(
            app,
            &id,
            |f| {
                let born = f.pupil.date_of_birth;
                f.sen
                    .record_status(change, born, today())
                    .map_err(|e| e.to_string())
            },
            move |saved| {
                finish(app, mode, problems, saved, move || {
                    format!("Recorded: {chosen} from {}.", format_uk(date))
                })
            },
        );
    };
    let options: Vec<(String, String)> = choices_after(
        "Choose a status",
        SenStatus::ALL
            .into_iter()
            .map(|s| (s.code().to_string(), s.to_string())),
    );
    view! {
        <h1 tabindex="-1">{title}</h1>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <SelectField id="status" label="New status" value=status options=options error=error_for(problems, "status")/>
            <TextField date=true id="status-from" label="From" value=from error=error_for(problems, "status-from")
                hint="Day/month/year. Back-date it if the change happened earlier: the history stays in order."/>
            <TextField id="status-reason" label="Why (optional)" value=reason hint="For example: review meeting with parents."/>
            <div class="button-group">
                <button type="submit" class="button">"Save status"</button>
                {cancel_button(mode)}
            </div>
        </form>
    }
}

#[component]
fn NeedsForm(id: PupilId, mode: RwSignal<Mode>) -> impl IntoView {
    let app = use_app();
    FormDraft::provide("needs");
    let file = file_of(app, &id);
    let name = file
        .as_ref()
        .map(|f| crate::ui::names::page_name(app, f))
        .unwrap_or_default();
    let title = format!("Change needs for {name}");
    set_title("Change needs");
    let current: Vec<Need> = file
        .map(|f| f.sen.needs_on(today()).to_vec())
        .unwrap_or_default();
    // One row per rank; blank rows are left out when saved.
    let rows: Vec<(RwSignal<String>, RwSignal<String>)> = (0..MAX_NEEDS)
        .map(|i| {
            let need = current.get(i);
            (
                RwSignal::new(
                    need.map(|n| n.need_type.code().to_string())
                        .unwrap_or_default(),
                ),
                RwSignal::new(need.map(|n| n.description.clone()).unwrap_or_default()),
            )
        })
        .collect();
    let from = RwSignal::new(format_uk(today()));
    let reason = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let rows_for_submit = rows.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = Vec::new();
        let date = date_or_problem(&from.get_untracked(), "needs-from", &mut found);
        let needs: Vec<Need> = rows_for_submit
            .iter()
            .filter_map(|(code, description)| {
                NeedType::from_code(&code.get_untracked()).map(|need_type| Need {
                    need_type,
                    description: description.get_untracked().trim().to_string(),
                })
            })
            .collect();
        let Some(date) = date else {
            problems.set(found);
            return;
        };
        let change = NeedsChange {
            from: date,
            needs,
            reason: reason.get_untracked().trim().to_string(),
            recorded_at: chrono::Utc::now(),
        };
        save_change(
            app,
            &id,
            |f| {
                let born = f.pupil.date_of_birth;
                f.sen
                    .record_needs(change, born, today())
                    .map_err(|e| e.to_string())
            },
            move |saved| finish(app, mode, problems, saved, move || "Needs saved.".into()),
        );
    };
    // Sized by MAX_NEEDS, so the form can never have more ranks than labels.
    const RANKS: [&str; MAX_NEEDS] = [
        "Primary need (rank 1)",
        "Secondary need (rank 2)",
        "Rank 3",
        "Rank 4",
        "Rank 5",
        "Rank 6",
    ];
    const NEED_IDS: [&str; MAX_NEEDS] =
        ["need-1", "need-2", "need-3", "need-4", "need-5", "need-6"];
    const DESCRIPTION_IDS: [&str; MAX_NEEDS] = [
        "need-1-description",
        "need-2-description",
        "need-3-description",
        "need-4-description",
        "need-5-description",
        "need-6-description",
    ];
    let options: Vec<(String, String)> = choices_after(
        "None",
        NeedType::ALL.into_iter().map(|n| {
            (
                n.code().to_string(),
                format!("{} \u{2013} {}", n.code(), n.name()),
            )
        }),
    );
    view! {
        <h1 tabindex="-1">{title}</h1>
        <p>"Rank the needs, primary first. The old ranking is kept in the history."</p>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            {rows.into_iter().zip(RANKS.into_iter().zip(NEED_IDS.into_iter().zip(DESCRIPTION_IDS)))
                .map(|((code, description), (rank, (need_id, description_id)))| view! {
                <fieldset class="choices need-row">
                    <legend>{rank}</legend>
                    <SelectField id=need_id label="Type of need" value=code options=options.clone()/>
                    <TextField id=description_id label="Description (optional)" value=description/>
                </fieldset>
            }).collect_view()}
            <TextField date=true id="needs-from" label="From" value=from error=error_for(problems, "needs-from")
                hint="Day/month/year. Back-date it if need be."/>
            <TextField id="needs-reason" label="Why (optional)" value=reason hint="For example: speech and language therapy report."/>
            <div class="button-group">
                <button type="submit" class="button">"Save needs"</button>
                {cancel_button(mode)}
            </div>
        </form>
    }
}

#[component]
fn ConcernForm(id: PupilId, mode: RwSignal<Mode>) -> impl IntoView {
    let app = use_app();
    FormDraft::provide("concern");
    let name = pupil_name(app, &id);
    let title = format!("Record a concern about {name}");
    set_title("Record a concern");
    let raised_on = RwSignal::new(format_uk(today()));
    let raised_by = RwSignal::new(RaisedBy::Staff.code().to_string());
    let raised_by_name = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let seen = RwSignal::new(String::new());
    let evidence = RwSignal::new(String::new());
    let actions = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = Vec::new();
        let date = date_or_problem(&raised_on.get_untracked(), "concern-date", &mut found);
        let concern = Concern {
            id: String::new(),
            other_decisions: Vec::new(),
            raised_on: date.unwrap_or_else(today),
            raised_by: RaisedBy::from_code(&raised_by.get_untracked()).unwrap_or(RaisedBy::Staff),
            raised_by_name: raised_by_name.get_untracked().trim().to_string(),
            area: BroadArea::from_code(&area.get_untracked()),
            seen: seen.get_untracked().trim().to_string(),
            evidence: evidence.get_untracked().trim().to_string(),
            actions: actions.get_untracked().trim().to_string(),
            decision: None,
            recorded_at: chrono::Utc::now(),
        };
        let born = file_of(app, &id)
            .map(|f| f.pupil.date_of_birth)
            .unwrap_or_default();
        if let Err(list) = concern.validate(born, today()) {
            found.extend(list.into_iter().map(|(f, m)| (f.to_string(), m)));
        }
        if !found.is_empty() {
            found.dedup_by(|a, b| a.0 == b.0);
            problems.set(found);
            return;
        }
        save_change(
            app,
            &id,
            |f| {
                f.concerns.push(concern);
                Ok(())
            },
            move |saved| {
                finish(app, mode, problems, saved, move || {
                    "Concern recorded. It stays open until you record a decision.".into()
                })
            },
        );
    };
    let by: Vec<(String, String)> = RaisedBy::ALL
        .into_iter()
        .map(|r| (r.code().to_string(), r.label().to_string()))
        .collect();
    let areas: Vec<(String, String)> = choices_after(
        "Not yet known",
        BroadArea::ALL
            .into_iter()
            .map(|a| (a.code().to_string(), a.to_string())),
    );
    view! {
        <h1 tabindex="-1">{title}</h1>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <TextField date=true id="concern-date" label="Date raised" value=raised_on error=error_for(problems, "concern-date") hint="Day/month/year."/>
            <SelectField id="concern-raised-by" label="Raised by" value=raised_by options=by/>
            <TextField id="concern-raised-by-name" label="Name or role of the person who raised it" value=raised_by_name
                error=error_for(problems, "concern-raised-by-name") hint="For example: Mrs Patel, Year 3 teacher."/>
            <SelectField id="concern-area" label="Area of need" value=area options=areas/>
            <TextArea limit=crate::domain::concern::MAX_CONCERN_TEXT id="concern-seen" label="What was seen" value=seen error=error_for(problems, "concern-seen")/>
            <TextArea limit=crate::domain::concern::MAX_CONCERN_TEXT id="concern-evidence" label="Evidence (optional)" value=evidence error=error_for(problems, "concern-evidence")
                hint="Assessments, screening, observations, work samples."/>
            <TextArea limit=crate::domain::concern::MAX_CONCERN_TEXT id="concern-actions" label="Actions taken so far (optional)" value=actions error=error_for(problems, "concern-actions")/>
            <div class="button-group">
                <button type="submit" class="button">"Save concern"</button>
                {cancel_button(mode)}
            </div>
        </form>
    }
}

#[component]
fn DecisionForm(id: PupilId, index: usize, mode: RwSignal<Mode>) -> impl IntoView {
    FormDraft::provide(format!("decision-{index}"));
    let app = use_app();
    let file = file_of(app, &id);
    let raised = file
        .as_ref()
        .and_then(|f| f.concerns.get(index).map(|c| format_uk(c.raised_on)))
        .unwrap_or_default();
    let title = format!("Decide the concern raised {raised}");
    set_title("Record a decision");
    let outcome = RwSignal::new(String::new());
    let on = RwSignal::new(format_uk(today()));
    let note = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = Vec::new();
        let chosen = Outcome::from_code(&outcome.get_untracked());
        if chosen.is_none() {
            found.push((
                "decision-outcome".to_string(),
                "Choose a decision.".to_string(),
            ));
        }
        let date = date_or_problem(&on.get_untracked(), "decision-date", &mut found);
        let (Some(chosen), Some(date)) = (chosen, date) else {
            problems.set(found);
            return;
        };
        let decision = Decision {
            outcome: chosen,
            on: date,
            note: note.get_untracked().trim().to_string(),
            recorded_at: chrono::Utc::now(),
        };
        let made = std::rc::Rc::new(std::cell::Cell::new(None));
        let decided = made.clone();
        save_change(
            app,
            &id,
            move |f| {
                let born = f.pupil.date_of_birth;
                decided.set(
                    decide_concern(&mut f.concerns, index, &mut f.sen, decision, born, today())
                        .map_err(|e| e.to_string())?,
                );
                Ok(())
            },
            move |saved| {
                finish(app, mode, problems, saved, move || {
                    let status = made
                        .get()
                        .map(|s| format!(" The status is now {s}."))
                        .unwrap_or_default();
                    format!("Decision recorded: {chosen}.{status}")
                })
            },
        );
    };
    let options: Vec<(String, String)> = choices_after(
        "Choose a decision",
        Outcome::ALL
            .into_iter()
            .map(|o| (o.code().to_string(), o.to_string())),
    );
    view! {
        <h1 tabindex="-1">{title}</h1>
        <p>"Monitor, SEN support and a request for an EHC needs assessment update the SEN status from the decision date. No further action ends monitoring."</p>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <SelectField id="decision-outcome" label="Decision" value=outcome options=options error=error_for(problems, "decision-outcome")/>
            <TextField date=true id="decision-date" label="Date of the decision" value=on error=error_for(problems, "decision-date") hint="Day/month/year."/>
            <TextArea limit=crate::domain::concern::MAX_CONCERN_TEXT id="decision-note" label="Notes (optional)" value=note hint="Who was consulted, what happens next."/>
            <div class="button-group">
                <button type="submit" class="button">"Save decision"</button>
                {cancel_button(mode)}
            </div>
        </form>
    }
}

#[component]
fn ContactForm(id: PupilId, mode: RwSignal<Mode>) -> impl IntoView {
    let app = use_app();
    FormDraft::provide("contact");
    let name = pupil_name(app, &id);
    let title = format!("Add a parent or carer for {name}");
    set_title("Add a parent or carer");
    let contact_name = RwSignal::new(String::new());
    let relationship = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let responsibility = RwSignal::new(true);
    let preferred = RwSignal::new("Phone".to_string());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let draft = Contact {
            id: String::new(),
            added_at: None,
            name: contact_name.get_untracked(),
            relationship: relationship.get_untracked(),
            phone: phone.get_untracked(),
            email: email.get_untracked(),
            parental_responsibility: responsibility.get_untracked(),
            preferred: ContactMethod::ALL
                .into_iter()
                .find(|m| m.label() == preferred.get_untracked())
                .unwrap_or_default(),
        };
        let contact = match draft.validate() {
            Ok(contact) => contact,
            Err(list) => {
                problems.set(list.into_iter().map(|(f, m)| (f.to_string(), m)).collect());
                return;
            }
        };
        let added = contact.name.clone();
        save_change(
            app,
            &id,
            |f| {
                f.pupil.contacts.push(contact);
                Ok(())
            },
            move |saved| {
                finish(app, mode, problems, saved, move || {
                    format!("Added {added}.")
                })
            },
        );
    };
    let methods: Vec<(String, String)> = ContactMethod::ALL
        .into_iter()
        .map(|m| (m.label().to_string(), m.label().to_string()))
        .collect();
    view! {
        <h1 tabindex="-1">{title}</h1>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <TextField id="contact-name" label="Name" value=contact_name error=error_for(problems, "contact-name")/>
            <TextField id="contact-relationship" label="Relationship (optional)" value=relationship
                error=error_for(problems, "contact-relationship") hint="For example: mother, grandfather, foster carer."/>
            <TextField id="contact-phone" label="Phone" value=phone error=error_for(problems, "contact-phone") input_type="tel"/>
            <TextField id="contact-email" label="Email" value=email error=error_for(problems, "contact-email") input_type="email"/>
            <CheckField id="contact-responsibility" label="Has parental responsibility" checked=responsibility/>
            <SelectField id="contact-preferred" label="Preferred way to contact them" value=preferred options=methods/>
            <div class="button-group">
                <button type="submit" class="button">"Save parent or carer"</button>
                {cancel_button(mode)}
            </div>
        </form>
    }
}

#[component]
fn NoteForm(id: PupilId, mode: RwSignal<Mode>) -> impl IntoView {
    let app = use_app();
    FormDraft::provide("note");
    let name = pupil_name(app, &id);
    let title = format!("Add a note about {name}");
    set_title("Add a note");
    let date = RwSignal::new(format_uk(today()));
    let author = RwSignal::new("SENCO".to_string());
    let text = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found = Vec::new();
        let on = date_or_problem(&date.get_untracked(), "note-date", &mut found);
        let draft = crate::domain::Note {
            id: String::new(),
            date: on.unwrap_or_else(today),
            author: author.get_untracked(),
            text: text.get_untracked(),
        };
        let note = match draft.validate(today()) {
            Ok(note) if found.is_empty() => note,
            Ok(_) => {
                problems.set(found);
                return;
            }
            Err(list) => {
                found.extend(list.into_iter().map(|(f, m)| (f.to_string(), m)));
                found.dedup_by(|a, b| a.0 == b.0);
                problems.set(found);
                return;
            }
        };
        save_change(
            app,
            &id,
            |f| {
                f.notes.push(note);
                Ok(())
            },
            move |saved| finish(app, mode, problems, saved, move || "Note saved.".into()),
        );
    };
    view! {
        <h1 tabindex="-1">{title}</h1>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <TextField date=true id="note-date" label="Date" value=date error=error_for(problems, "note-date") hint="Day/month/year."/>
            <TextField id="note-author" label="Written by" value=author error=error_for(problems, "note-author")/>
            <TextArea limit=crate::domain::concern::MAX_CONCERN_TEXT id="note-text" label="Note" value=text error=error_for(problems, "note-text")/>
            <div class="button-group">
                <button type="submit" class="button">"Save note"</button>
                {cancel_button(mode)}
            </div>
        </form>
    }
}

#[component]
fn EraseForm(id: PupilId, mode: RwSignal<Mode>) -> impl IntoView {
    let app = use_app();
    let navigate = leptos_router::hooks::use_navigate();
    let file = file_of(app, &id);
    let name = file
        .as_ref()
        .map(|f| crate::ui::names::page_name(app, f))
        .unwrap_or_default();
    let keep = file.as_ref().map(|f| f.pupil.keep_until());
    let title = format!("Erase {name} completely?");
    set_title("Erase a pupil");
    let typed = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let expected = name.clone();
    let id_for_naming = id.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if typed.get_untracked().trim().to_lowercase() != expected.to_lowercase() {
            problems.set(vec![(
                "erase-confirm".into(),
                format!("Type the pupil's name, {expected}, exactly to confirm."),
            )]);
            return;
        }
        let (id, expected, navigate) = (id.clone(), expected.clone(), navigate.clone());
        // Their attached files' pieces go once the record has (any left by a failure are
        // swept at the next unlock).
        let files = file_of(app, &id)
            .map(|f| f.attachment_ids())
            .unwrap_or_default();
        leptos::task::spawn_local_scoped(async move {
            match app
                .save(move |open, store| open.delete_pupil(store, &id, today()))
                .await
            {
                Ok(()) => {
                    super::pupil_files::delete_pieces(files);
                    app.notice.set(Some(Notice::info(format!(
                    "{expected}'s file was erased from this desk. Backup files made before today still hold it: merging or restoring them here will not bring it back, but keep them as safely as the desk, or destroy them."
                ))));
                    navigate(&app.href("/pupils"), Default::default());
                }
                Err(e) => problems.set(vec![(String::new(), e.to_string())]),
            }
        })
    };
    let early = match keep {
        Some(Some(k)) if k > today() => Some(format!(
            "The retention period has not ended: SEN records are usually kept until {} (date of birth plus 31 years).",
            format_uk(k)
        )),
        Some(None) => Some("The retention period is unknown: the date of birth is to correct, and SEN records are usually kept until the date of birth plus 31 years.".to_string()),
        _ => None,
    };
    // Entries that stay (about other pupils too) but whose words name this pupil.
    let naming: Vec<(String, String)> = app.session.with_untracked(|s| {
        s.as_ref()
            .map(|o| {
                o.desk
                    .entries_naming(&id_for_naming)
                    .into_iter()
                    .map(|e| (e.id.clone(), format!("{} ({})", e.heading(), e.when())))
                    .collect()
            })
            .unwrap_or_default()
    });
    view! {
        <h1 tabindex="-1">{title}</h1>
        <p>"Contact log entries about only this pupil are erased with them; an entry about other pupils too loses only this pupil."</p>
        {(!naming.is_empty()).then(|| view! {
            <div class="notice notice--warning">
                <p>"These contact log entries stay (they are about other pupils too) but their words still name this pupil. Edit them to remove the name, before or after erasing:"</p>
                <ul>{naming.into_iter().map(|(entry, label)| view! {
                    <li><a href=super::contact_log::entry_href(app, &entry)>{label}</a></li>
                }).collect_view()}</ul>
            </div>
        })}
        <p>"This removes every record about this pupil from this desk: details, status and needs history, concerns, support plans, passport, contacts, notes, attached files and change history. It cannot be undone. The desk keeps only a one-way mark of the pupil's record number, so that a backup made before today, merged or restored here later, does not bring them back."</p>
        <p>"Backup files made before today still hold the pupil: they need the same care as the desk until they are destroyed."</p>
        {early.map(|text| view! { <div class="notice notice--warning"><p>{text}</p></div> })}
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <TextField id="erase-confirm" label=format!("Type {name} to confirm") value=typed error=error_for(problems, "erase-confirm")/>
            <div class="button-group">
                <button type="submit" class="button button--danger">"Erase this pupil"</button>
                {cancel_button(mode)}
            </div>
        </form>
    }
}
