//! The contact log: the desk-wide list with its search (`/log`), one entry
//! (`/log-entry?id=…`), and logging a contact (`/log-entry`, with `pupil=…` when started from
//! a pupil's page).

use super::form::{
    error_for, today, CheckField, ErrorSummary, Problem, SelectField, TextArea, TextField,
};
use super::shell::{set_title, Unlocked};
use super::state::{use_app, AppState, Notice};
use crate::domain::contact_log::search::{LogQuery, SearchIndex};
use crate::domain::contact_log::{
    AgreedAction, ContactHow, Enquiry, LogEntry, Party, PartyKind, MAX_SUMMARY,
};
use crate::domain::dates::{format_uk, hh_mm, parse_date};
use crate::domain::names::NameOrder;
use crate::domain::PupilId;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

pub fn entry_href(app: AppState, id: &str) -> String {
    app.href(&format!("/log-entry?id={id}"))
}

pub fn new_entry_href(app: AppState, pupil: Option<&PupilId>) -> String {
    match pupil {
        Some(p) => app.href(&format!("/log-entry?pupil={}", p.0)),
        None => app.href("/log-entry"),
    }
}

fn labels(app: AppState) -> std::collections::HashMap<PupilId, String> {
    app.session.with_untracked(|s| {
        s.as_ref()
            .map(|o| o.desk.name_labels(NameOrder::KnownAs))
            .unwrap_or_default()
    })
}

fn entry_of(app: AppState, id: &str) -> Option<LogEntry> {
    app.session
        .with_untracked(|s| s.as_ref().and_then(|o| o.desk.log_entry(id).cloned()))
}

/// Saves an entry (new when `base` is None); then `then` with the saved entry's id, or
/// with the refusal, which is also shown in `problems`.
fn save_entry(
    app: AppState,
    entry: LogEntry,
    base: Option<u64>,
    what: &'static str,
    problems: RwSignal<Vec<Problem>>,
    then: impl FnOnce(Result<String, ()>) + 'static,
) {
    leptos::task::spawn_local_scoped(async move {
        let now = chrono::Utc::now();
        let result = app
            .save(move |open, store| {
                let known: Vec<String> = open.desk.log_entries().map(|e| e.id.clone()).collect();
                let id = entry.id.clone();
                open.save_log_entry(store, entry, base, what, now)?;
                // A new entry's id is given as it is saved: the one not there before.
                Ok(if id.is_empty() {
                    open.desk
                        .log_entries()
                        .find(|e| !known.contains(&e.id))
                        .map(|e| e.id.clone())
                        .unwrap_or_default()
                } else {
                    id
                })
            })
            .await;
        match result {
            Ok(id) => {
                problems.set(Vec::new());
                then(Ok(id));
            }
            Err(e) => {
                problems.set(vec![(String::new(), e.to_string())]);
                then(Err(()));
            }
        }
    });
}

/// The search index, made once per change to the desk and shared by every keystroke.
#[derive(Clone)]
struct Shared(std::sync::Arc<SearchIndex>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

#[component]
pub fn LogPage() -> impl IntoView {
    view! { <Unlocked><LogScreen/></Unlocked> }
}

#[component]
fn LogScreen() -> impl IntoView {
    let app = use_app();
    set_title("Contact log");
    let query_map = use_query_map();
    let names = labels(app);
    let pupil_start = query_map
        .with_untracked(|q| q.get("pupil"))
        .unwrap_or_default();
    let text = RwSignal::new(String::new());
    let person = RwSignal::new(String::new());
    let pupil = RwSignal::new(pupil_start);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let index = Memo::new(move |_| {
        app.session.with(|s| {
            s.as_ref().map(|o| {
                let names = o.desk.name_labels(NameOrder::KnownAs);
                Shared(std::sync::Arc::new(SearchIndex::new(
                    o.desk.log_entries(),
                    &names,
                )))
            })
        })
    });
    let results = Memo::new(move |_| {
        let query = LogQuery {
            text: text.get(),
            person: person.get(),
            pupil: Some(pupil.get()).filter(|p| !p.is_empty()).map(PupilId),
            from: parse_date(&from.get()),
            to: parse_date(&to.get()),
        };
        let Some(Shared(index)) = index.get() else {
            return (Vec::<String>::new(), 0, 0);
        };
        // One pupil's log is shown whole (it prints); the whole desk's, a page at a time.
        let limit = if query.pupil.is_some() { 2_000 } else { 50 };
        let (ids, total) = super::perf::measure("senco:log-search", || index.find(&query, limit));
        (ids, total, index.len())
    });
    let mut pupil_options: Vec<(String, String)> = names
        .iter()
        .map(|(id, name)| (id.0.clone(), name.clone()))
        .collect();
    pupil_options.sort_by(|a, b| a.1.cmp(&b.1));
    let pupil_options = super::form::choices_after("Any pupil", pupil_options);
    let bad_date = move |field: RwSignal<String>| {
        Signal::derive(move || {
            let t = field.get();
            (!t.trim().is_empty() && parse_date(&t).is_none())
                .then(|| "Enter the date as day/month/year.".to_string())
        })
    };
    view! {
        <h1 tabindex="-1">"Contact log"</h1>
        <p>"Every conversation with parents, staff and professionals. An entry about several pupils is one record, shown on each of their pages."</p>
        <p><a class="button" href=new_entry_href(app, None)>"Log a contact"</a></p>
        <ErrorSummary problems=problems/>
        <form role="search" aria-label="Search the contact log" on:submit=|ev| ev.prevent_default()>
            <TextField id="log-search-text" label="Words in the entry" value=text
                hint="Searches the summary, actions, people and pupils' names as you type."/>
            <TextField id="log-search-person" label="With whom" value=person/>
            <SelectField id="log-search-pupil" label="Pupil" value=pupil options=pupil_options/>
            <TextField date=true id="log-search-from" label="From" value=from error=bad_date(from)/>
            <TextField date=true id="log-search-to" label="To" value=to error=bad_date(to)/>
        </form>
        <p role="status" aria-live="polite">{move || {
            let (ids, total, all) = results.get();
            if all == 0 {
                "No contacts logged yet.".to_string()
            } else if total > ids.len() {
                format!("{total} of {all} entries match; the newest {} are shown.", ids.len())
            } else {
                format!("{total} of {all} entries match.")
            }
        }}</p>
        {move || (!pupil.get().is_empty()).then(|| view! {
            <p class="no-print"><button type="button" class="button button--secondary" on:click=move |_| {
                if let Some(w) = web_sys::window() {
                    let _ = w.print();
                }
            }>"Print this pupil's contact log"</button></p>
        })}
        <ul class="plain-list">
            {move || {
                let (ids, _, _) = results.get();
                let names = names.clone();
                ids.into_iter().filter_map(|id| entry_of(app, &id)).map(|e| {
                    let pupils = e.pupils.iter().filter_map(|p| names.get(p).cloned()).collect::<Vec<_>>().join(", ");
                    let summary = if e.confidential { "Confidential".to_string() } else { e.summary.clone() };
                    let actions = e.actions.iter().map(|a| format!("{}{}{}", a.what,
                        if a.who.is_empty() { String::new() } else { format!(" ({})", a.who) },
                        match a.done_on { Some(d) => format!(": done {}", format_uk(d)), None => String::new() })).collect::<Vec<_>>();
                    let actions = (!actions.is_empty() && !e.confidential).then(|| format!("Agreed: {}", actions.join("; ")));
                    view! {
                        <li class="card">
                            <a href=entry_href(app, &e.id)>{format!("{}: {}", e.when(), e.heading())}</a>
                            {(!pupils.is_empty()).then(|| view! { <p>{format!("About {pupils}")}</p> })}
                            <p class="prose">{summary}</p>
                            {actions.map(|a| view! { <p>{a}</p> })}
                        </li>
                    }
                }).collect_view()
            }}
        </ul>
    }
}

#[component]
pub fn EntryPage() -> impl IntoView {
    view! { <Unlocked><EntryScreen/></Unlocked> }
}

#[component]
fn EntryScreen() -> impl IntoView {
    let app = use_app();
    let query = use_query_map();
    let editing = RwSignal::new(false);
    Effect::new(move |first: Option<()>| {
        editing.track();
        if first.is_some() {
            request_animation_frame(super::shell::focus_heading);
        }
    });
    let revision = Memo::new(move |_| {
        let id = query.with(|q| q.get("id")).unwrap_or_default();
        app.session.with(|s| {
            s.as_ref()
                .and_then(|o| o.desk.log_entry(&id).map(|e| e.revision))
        })
    });
    view! {
        {move || {
            let id = query.with(|q| q.get("id"));
            let pupil = query.with(|q| q.get("pupil")).map(PupilId);
            match id {
                None => view! { <EntryForm entry=None pupil=pupil on_done=None/> }.into_any(),
                Some(id) => {
                    let _ = revision.get();
                    match (entry_of(app, &id), editing.get()) {
                        (None, _) => {
                            set_title("Entry not found");
                            view! {
                                <h1 tabindex="-1">"Entry not found"</h1>
                                <p>"That entry is not on this desk. "<a href=app.href("/log")>"Back to the contact log"</a></p>
                            }.into_any()
                        }
                        (Some(entry), true) => view! {
                            <EntryForm entry=Some(entry) pupil=None on_done=Some(Callback::new(move |_| editing.set(false)))/>
                        }.into_any(),
                        (Some(entry), false) => view! { <EntryView entry=entry editing=editing/> }.into_any(),
                    }
                }
            }
        }}
    }
}

fn how_options() -> Vec<(String, String)> {
    ContactHow::ALL
        .into_iter()
        .map(|h| (h.code().to_string(), h.to_string()))
        .collect()
}

fn kind_options() -> Vec<(String, String)> {
    PartyKind::ALL
        .into_iter()
        .map(|k| (k.code().to_string(), k.to_string()))
        .collect()
}

/// Who the contact can be with, offered by name: the chosen pupils' parents and carers
/// and the directory's professionals ("kind|name"), then someone typed.
fn people_options(app: AppState, pupils: &[PupilId]) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), "Someone else (type below)".to_string())];
    app.session.with_untracked(|s| {
        let Some(o) = s.as_ref() else { return };
        for p in pupils {
            if let Some(file) = o.desk.file(p) {
                for c in &file.pupil.contacts {
                    let name = if c.relationship.is_empty() {
                        c.name.clone()
                    } else {
                        format!("{} ({})", c.name, c.relationship)
                    };
                    options.push((format!("parent|{name}"), format!("Parent or carer: {name}")));
                }
            }
        }
        for agency in o.desk.settings.agencies.sorted() {
            for person in &agency.professionals {
                let name = format!("{} ({})", person.name, agency.name);
                options.push((
                    format!("professional|{name}"),
                    format!("Professional: {name}"),
                ));
            }
        }
    });
    options
}

#[component]
fn EntryForm(
    entry: Option<LogEntry>,
    pupil: Option<PupilId>,
    on_done: Option<Callback<()>>,
) -> impl IntoView {
    let app = use_app();
    let navigate = leptos_router::hooks::use_navigate();
    let is_new = entry.is_none();
    set_title(if is_new {
        "Log a contact"
    } else {
        "Edit a contact log entry"
    });
    let names = labels(app);
    let base = entry.clone();
    let start = entry.clone().unwrap_or_else(|| {
        let mut e = LogEntry::new(today(), ContactHow::PhoneCall);
        e.at = Some(chrono::Local::now().time());
        if let Some(p) = pupil.clone().filter(|p| names.contains_key(p)) {
            e.pupils.push(p);
        }
        e
    });
    let on = RwSignal::new(format_uk(start.on));
    let at = RwSignal::new(start.at.map(hh_mm::format).unwrap_or_default());
    let how = RwSignal::new(start.how.code().to_string());
    let pupils = RwSignal::new(start.pupils.clone());
    let add_pupil = RwSignal::new(String::new());
    let people = RwSignal::new(start.with.clone());
    let person_choice = RwSignal::new(String::new());
    let person_name = RwSignal::new(String::new());
    let person_kind = RwSignal::new("parent".to_string());
    let summary = RwSignal::new(start.summary.clone());
    let actions = RwSignal::new(start.actions.clone());
    let action_what = RwSignal::new(String::new());
    let action_who = RwSignal::new(String::new());
    let action_by = RwSignal::new(String::new());
    let follow_up = RwSignal::new(start.follow_up.map(format_uk).unwrap_or_default());
    let confidential = RwSignal::new(start.confidential);
    let is_enquiry = RwSignal::new(start.enquiry.is_some());
    let replied = RwSignal::new(
        start
            .enquiry
            .as_ref()
            .and_then(|e| e.replied_on)
            .map(format_uk)
            .unwrap_or_default(),
    );
    let problems = RwSignal::new(Vec::<Problem>::new());
    let saving = RwSignal::new(false);

    // The person chosen or typed, if any, for "Add this person" and for saving.
    let pending_person = move || -> Result<Option<Party>, Problem> {
        let choice = person_choice.get_untracked();
        if let Some((kind, name)) = choice.split_once('|') {
            return Ok(Some(Party {
                kind: PartyKind::from_code(kind).unwrap_or(PartyKind::Other),
                name: name.to_string(),
            }));
        }
        let typed = person_name.get_untracked().trim().to_string();
        if typed.is_empty() {
            return Ok(None);
        }
        if typed.chars().count() > crate::domain::contact_log::MAX_NAME {
            return Err(("person-name".into(), "The name is too long.".into()));
        }
        Ok(Some(Party {
            kind: PartyKind::from_code(&person_kind.get_untracked()).unwrap_or(PartyKind::Other),
            name: typed,
        }))
    };
    let take_person = move || match pending_person() {
        Ok(Some(party)) => {
            if !people.with_untracked(|l| l.contains(&party)) {
                people.update(|l| l.push(party));
            }
            person_choice.set(String::new());
            person_name.set(String::new());
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(p) => Err(p),
    };
    let pending_action = move || -> Result<Option<AgreedAction>, Problem> {
        let what = action_what.get_untracked().trim().to_string();
        if what.is_empty() {
            return Ok(None);
        }
        let by_text = action_by.get_untracked();
        let by = if by_text.trim().is_empty() {
            None
        } else {
            Some(parse_date(&by_text).ok_or((
                "action-by".to_string(),
                "Enter the date it is due by as day/month/year.".to_string(),
            ))?)
        };
        Ok(Some(AgreedAction {
            id: String::new(),
            what,
            who: action_who.get_untracked().trim().to_string(),
            by,
            done_on: None,
        }))
    };
    let take_action = move || match pending_action() {
        Ok(Some(action)) => {
            actions.update(|l| l.push(action));
            for f in [action_what, action_who, action_by] {
                f.set(String::new());
            }
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(p) => Err(p),
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let mut found: Vec<Problem> = Vec::new();
        if let Err(p) = take_person() {
            found.push(p);
        }
        if let Err(p) = take_action() {
            found.push(p);
        }
        let day = parse_date(&on.get_untracked());
        match day {
            None => found.push((
                "entry-on".into(),
                "Enter the date as day/month/year.".into(),
            )),
            Some(d) if d > today() => {
                found.push(("entry-on".into(), "The date cannot be after today.".into()))
            }
            _ => {}
        }
        let at_text = at.get_untracked();
        let time = if at_text.trim().is_empty() {
            None
        } else {
            match hh_mm::parse(&at_text) {
                Some(t) => Some(t),
                None => {
                    found.push((
                        "entry-at".into(),
                        "Enter the time as hours:minutes, for example 09:15.".into(),
                    ));
                    None
                }
            }
        };
        let text = summary.get_untracked().trim().to_string();
        if text.is_empty() {
            found.push(("entry-summary".into(), "Write a short summary.".into()));
        }
        let date_field = |field: RwSignal<String>, id: &str, found: &mut Vec<Problem>| {
            let t = field.get_untracked();
            if t.trim().is_empty() {
                return None;
            }
            match parse_date(&t) {
                Some(d) if day.is_some_and(|on| d < on) => {
                    found.push((
                        id.to_string(),
                        "It cannot be before the entry's date.".into(),
                    ));
                    None
                }
                Some(d) => Some(d),
                None => {
                    found.push((id.to_string(), "Enter the date as day/month/year.".into()));
                    None
                }
            }
        };
        let follow = date_field(follow_up, "entry-follow-up", &mut found);
        let replied_on = date_field(replied, "entry-replied", &mut found);
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let mut entry = base
            .clone()
            .unwrap_or_else(|| LogEntry::new(today(), ContactHow::PhoneCall));
        entry.on = day.expect("checked");
        entry.at = time;
        entry.how = ContactHow::from_code(&how.get_untracked()).unwrap_or(ContactHow::PhoneCall);
        entry.pupils = pupils.get_untracked();
        entry.with = people.get_untracked();
        entry.summary = text;
        entry.actions = actions.get_untracked();
        if entry.follow_up != follow {
            entry.follow_up_done = None;
        }
        entry.follow_up = follow;
        entry.confidential = confidential.get_untracked();
        entry.enquiry = is_enquiry.get_untracked().then_some(Enquiry { replied_on });
        if let Err(e) = entry.check() {
            problems.set(vec![(
                String::new(),
                format!("The entry cannot be saved: {e}."),
            )]);
            return;
        }
        saving.set(true);
        let base_revision = base.as_ref().map(|b| b.revision);
        let navigate = navigate.clone();
        save_entry(
            app,
            entry,
            base_revision,
            if is_new { "Logged" } else { "Edited" },
            problems,
            move |saved| {
                saving.set(false);
                let Ok(id) = saved else { return };
                app.notice.set(Some(Notice::info(
                    "The contact was saved in the log.".to_string(),
                )));
                match on_done {
                    Some(done) => done.run(()),
                    None => navigate(&entry_href(app, &id), Default::default()),
                }
            },
        );
    };

    let mut pupil_options: Vec<(String, String)> = names
        .iter()
        .map(|(id, name)| (id.0.clone(), name.clone()))
        .collect();
    pupil_options.sort_by(|a, b| a.1.cmp(&b.1));
    let pupil_options = super::form::choices_after("Choose a pupil", pupil_options);
    let names_for_list = names.clone();
    let heading = if is_new {
        "Log a contact".to_string()
    } else {
        "Edit a contact log entry".to_string()
    };
    view! {
        <h1 tabindex="-1">{heading}</h1>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <fieldset class="fieldset">
                <legend>"Pupils it is about"</legend>
                {move || {
                    let list = pupils.get();
                    if list.is_empty() {
                        view! { <p>"None: an entry can be about no pupil (advice to staff, a meeting about a class)."</p> }.into_any()
                    } else {
                        let names = names_for_list.clone();
                        view! {
                            <ul class="plain-list">{list.into_iter().map(|p| {
                                let name = names.get(&p).cloned().unwrap_or_default();
                                let shown = name.clone();
                                view! { <li>{shown}" "
                                    <button type="button" class="button button--link"
                                        on:click=move |_| pupils.update(|l| l.retain(|x| *x != p))>
                                        "Remove"<span class="visually-hidden">{format!(" {name}")}</span></button></li> }
                            }).collect_view()}</ul>
                        }.into_any()
                    }
                }}
                <SelectField id="entry-add-pupil" label="Add a pupil" value=add_pupil options=pupil_options/>
                <button type="button" class="button button--secondary" on:click=move |_| {
                    let chosen = add_pupil.get_untracked();
                    if !chosen.is_empty() {
                        let id = PupilId(chosen);
                        if !pupils.with_untracked(|l| l.contains(&id)) {
                            pupils.update(|l| l.push(id));
                        }
                        add_pupil.set(String::new());
                    }
                }>"Add this pupil"</button>
            </fieldset>
            <TextField date=true id="entry-on" label="Date" value=on error=error_for(problems, "entry-on")/>
            <TextField id="entry-at" label="Time (optional)" value=at hint="Hours:minutes, for example 09:15."
                error=error_for(problems, "entry-at")/>
            <SelectField id="entry-how" label="How" value=how options=how_options()/>
            <fieldset class="fieldset">
                <legend>"With whom"</legend>
                {move || {
                    let list = people.get();
                    (!list.is_empty()).then(|| view! {
                        <ul class="plain-list">{list.into_iter().map(|p| {
                            let gone = p.clone();
                            let label = format!("{} ({})", p.name, p.kind);
                            view! { <li>{label.clone()}" "
                                <button type="button" class="button button--link"
                                    on:click=move |_| people.update(|l| l.retain(|x| *x != gone))>
                                    "Remove"<span class="visually-hidden">{format!(" {label}")}</span></button></li> }
                        }).collect_view()}</ul>
                    })
                }}
                {move || {
                    let options = people_options(app, &pupils.get());
                    view! { <SelectField id="person-choice" label="Person" value=person_choice options=options/> }
                }}
                <TextField id="person-name" label="Or type a name" value=person_name error=error_for(problems, "person-name")/>
                <SelectField id="person-kind" label="They are" value=person_kind options=kind_options()/>
                <button type="button" class="button button--secondary" on:click=move |_| {
                    if let Err(p) = take_person() { problems.set(vec![p]); }
                }>"Add this person"</button>
            </fieldset>
            <TextArea id="entry-summary" label="Summary" value=summary limit=MAX_SUMMARY error=error_for(problems, "entry-summary")/>
            <fieldset class="fieldset">
                <legend>"Agreed actions"</legend>
                {move || {
                    let list = actions.get();
                    (!list.is_empty()).then(|| view! {
                        <ul class="plain-list">{list.into_iter().enumerate().map(|(i, a)| {
                            let label = format!("{}{}{}", a.what,
                                if a.who.is_empty() { String::new() } else { format!(" ({})", a.who) },
                                a.by.map(|d| format!(", by {}", format_uk(d))).unwrap_or_default());
                            view! { <li>{label.clone()}" "
                                <button type="button" class="button button--link"
                                    on:click=move |_| actions.update(|l| { if i < l.len() { l.remove(i); } })>
                                    "Remove"<span class="visually-hidden">{format!(" {label}")}</span></button></li> }
                        }).collect_view()}</ul>
                    })
                }}
                <TextField id="action-what" label="Action" value=action_what/>
                <TextField id="action-who" label="Who does it" value=action_who/>
                <TextField date=true id="action-by" label="By when" value=action_by error=error_for(problems, "action-by")/>
                <button type="button" class="button button--secondary" on:click=move |_| {
                    if let Err(p) = take_action() { problems.set(vec![p]); }
                }>"Add this action"</button>
            </fieldset>
            <TextField date=true id="entry-follow-up" label="Follow up on (optional)" value=follow_up
                error=error_for(problems, "entry-follow-up")/>
            <CheckField id="entry-enquiry" label="This is an enquiry waiting for a reply" checked=is_enquiry/>
            {move || is_enquiry.get().then(|| view! {
                <TextField date=true id="entry-replied" label="Replied on (leave blank until you reply)" value=replied
                    error=error_for(problems, "entry-replied")/>
            })}
            <CheckField id="entry-confidential" label="Confidential (the summary is hidden in lists and the timeline)" checked=confidential/>
            <div class="button-group">
                <button type="submit" class="button" disabled=move || saving.get()>"Save the entry"</button>
                {match on_done {
                    Some(done) => view! { <button type="button" class="button button--secondary" on:click=move |_| done.run(())>"Cancel"</button> }.into_any(),
                    None => view! { <a class="button button--secondary" href=app.href("/log")>"Cancel"</a> }.into_any(),
                }}
            </div>
        </form>
    }
}

/// A change made from the entry's page (a tick), applied to the latest copy.
type EntryChange = Box<dyn FnOnce(&mut LogEntry) -> Result<(), String>>;

#[component]
fn EntryView(entry: LogEntry, editing: RwSignal<bool>) -> impl IntoView {
    let app = use_app();
    set_title("Contact log entry");
    let names = labels(app);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let change = {
        let entry = entry.clone();
        move |what: &'static str, apply: EntryChange| {
            let Some(mut current) = entry_of(app, &entry.id) else {
                return;
            };
            let base = current.revision;
            if let Err(e) = apply(&mut current) {
                problems.set(vec![(String::new(), e)]);
                return;
            }
            save_entry(app, current, Some(base), what, problems, move |saved| {
                if saved.is_ok() {
                    app.notice.set(Some(Notice::info(format!("{what}."))));
                }
            });
        }
    };
    let pupils = entry
        .pupils
        .iter()
        .map(|p| (p.clone(), names.get(p).cloned().unwrap_or_default()))
        .collect::<Vec<_>>();
    let with = entry
        .with
        .iter()
        .map(|p| format!("{} ({})", p.name, p.kind))
        .collect::<Vec<_>>()
        .join(", ");
    let action_rows = entry.actions.iter().map(|a| {
        let change = change.clone();
        let label = format!("{}{}{}", a.what,
            if a.who.is_empty() { String::new() } else { format!(" ({})", a.who) },
            a.by.map(|d| format!(", by {}", format_uk(d))).unwrap_or_default());
        let status = match a.done_on {
            Some(d) => format!("Done {}", format_uk(d)),
            None => "To do".to_string(),
        };
        let id = a.id.clone();
        let done = a.done_on.is_some();
        let a = a.clone();
        let hidden = format!(" ({})", a.what);
        view! {
            <li>{format!("{label}: {status}")}" "
                {(!done).then(|| view! {
                    <button type="button" class="button button--secondary" on:click=move |_| {
                        let id = id.clone();
                        change("Action marked done", Box::new(move |e: &mut LogEntry| e.tick_action(&id, today())));
                    }>"Mark done today"<span class="visually-hidden">{hidden.clone()}</span></button>
                })}
            </li>
        }
    }).collect_view();
    let follow = entry.follow_up.map(|on| {
        let change = change.clone();
        let done = entry.follow_up_done;
        view! {
            <p>{format!("Follow up on {}{}", format_uk(on), done.map(|d| format!(": done {}", format_uk(d))).unwrap_or_default())}" "
                {done.is_none().then(|| view! {
                    <button type="button" class="button button--secondary" on:click=move |_| {
                        change("Follow-up marked done", Box::new(|e: &mut LogEntry| { e.follow_up_done = Some(today()); Ok(()) }));
                    }>"Mark the follow-up done today"</button>
                })}
            </p>
        }
    });
    let enquiry = entry.enquiry.clone().map(|q| {
        let change = change.clone();
        view! {
            <p>{match q.replied_on { Some(d) => format!("An enquiry: replied {}", format_uk(d)), None => "An enquiry: no reply logged yet".to_string() }}" "
                {q.replied_on.is_none().then(|| view! {
                    <button type="button" class="button button--secondary" on:click=move |_| {
                        change("Reply logged", Box::new(|e: &mut LogEntry| { e.enquiry = Some(Enquiry { replied_on: Some(today()) }); Ok(()) }));
                    }>"Mark replied today"</button>
                })}
            </p>
        }
    });
    let history = entry
        .history
        .iter()
        .rev()
        .map(|c| {
            format!(
                "{} {} by {}",
                c.what,
                crate::domain::dates::format_uk(c.at.date_naive()),
                c.by
            )
        })
        .collect::<Vec<_>>();
    view! {
        <p><a href=app.href("/log")>"Back to the contact log"</a></p>
        <h1 tabindex="-1">{entry.heading()}</h1>
        <ErrorSummary problems=problems/>
        {entry.confidential.then(|| view! { <p class="tag">"Confidential"</p> })}
        <dl class="summary-list">
            <dt>"When"</dt><dd>{entry.when()}</dd>
            <dt>"How"</dt><dd>{entry.how.to_string()}</dd>
            <dt>"With"</dt><dd>{if with.is_empty() { "Not recorded".to_string() } else { with }}</dd>
            <dt>"About"</dt>
            <dd>{if pupils.is_empty() { view! { "No pupil" }.into_any() } else {
                pupils.into_iter().map(|(id, name)| view! {
                    <a href=app.href(&format!("/pupil?id={}", id.0))>{name}</a>" "
                }).collect_view().into_any()
            }}</dd>
            <dt>"Summary"</dt><dd class="prose">{entry.summary.clone()}</dd>
        </dl>
        <h2>"Agreed actions"</h2>
        {if entry.actions.is_empty() {
            view! { <p>"None."</p> }.into_any()
        } else {
            view! { <ul>{action_rows}</ul> }.into_any()
        }}
        {follow}
        {enquiry}
        <p><button type="button" class="button" on:click=move |_| editing.set(true)>"Edit the entry"</button></p>
        <details class="details">
            <summary>"Changes to this entry"</summary>
            <ul>{history.into_iter().map(|h| view! { <li>{h}</li> }).collect_view()}</ul>
        </details>
    }
}

/// The pupil page's contact log: a one-press "Log a contact" and the latest entries.
#[component]
pub fn PupilLogSection(pupil: PupilId, editable: bool) -> impl IntoView {
    let app = use_app();
    let entries: Vec<LogEntry> = app.session.with_untracked(|s| {
        s.as_ref()
            .map(|o| {
                o.desk
                    .log_of(&pupil)
                    .into_iter()
                    .take(10)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    });
    let total = app
        .session
        .with_untracked(|s| s.as_ref().map(|o| o.desk.log_of(&pupil).len()).unwrap_or(0));
    view! {
        <section aria-labelledby="section-log">
            <h2 id="section-log" tabindex="-1">"Contact log"</h2>
            {editable.then(|| view! {
                <p><a class="button" href=new_entry_href(app, Some(&pupil))>"Log a contact"</a></p>
            })}
            {if entries.is_empty() {
                view! { <p>"No contacts logged."</p> }.into_any()
            } else {
                view! {
                    <ul>
                        {entries.into_iter().map(|e| {
                            let summary = if e.confidential { "Confidential".to_string() } else { e.summary.chars().take(120).collect() };
                            view! { <li><a href=entry_href(app, &e.id)>{format!("{}: {}", e.when(), e.heading())}</a>{format!(": {summary}")}</li> }
                        }).collect_view()}
                    </ul>
                    <p><a href=app.href(&format!("/log?pupil={}", pupil.0))>{format!("All {total} entries, searchable")}</a></p>
                }.into_any()
            }}
        </section>
    }
}
