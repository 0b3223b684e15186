//! A pupil's part in a provision: adding them (on their own date), and their dates, entry
//! and exit measures, outcome rating and note.

use super::provision_href;
use crate::domain::dates::{format_uk, parse_date};
use crate::domain::names::NameOrder;
use crate::domain::provision::details::{rating_label, MeasureText, PartText, MEASURE_KINDS};
use crate::domain::PupilId;
use crate::ui::form::{
    choices_after, error_for, today, ErrorSummary, Problem, SelectField, TextArea, TextField,
};
use crate::ui::state::{use_app, Notice};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Adds a pupil on roll to the provision, from the day given.
#[component]
pub fn AddPupil(id: String) -> impl IntoView {
    let app = use_app();
    let choices = app.session.with_untracked(|s| {
        let Some(open) = s.as_ref() else {
            return Vec::new();
        };
        let in_it: Vec<&PupilId> = open
            .desk
            .provision(&id)
            .map(|p| {
                p.enrolments
                    .iter()
                    .filter(|e| e.left.is_none())
                    .map(|e| &e.pupil)
                    .collect()
            })
            .unwrap_or_default();
        let labels = open.desk.name_labels(NameOrder::SurnameFirst);
        let mut pupils: Vec<(String, String)> = open
            .desk
            .files()
            .filter(|f| !f.pupil.is_archived() && !in_it.contains(&&f.pupil.id))
            .map(|f| {
                (
                    f.pupil.id.0.clone(),
                    labels.get(&f.pupil.id).cloned().unwrap_or_default(),
                )
            })
            .collect();
        pupils.sort_by_cached_key(|(_, name)| name.to_lowercase());
        pupils
    });
    let starts = app.session.with_untracked(|s| {
        s.as_ref()
            .and_then(|o| o.desk.provision(&id).map(|p| p.starts))
    });
    let pupil = RwSignal::new(String::new());
    let joined = RwSignal::new(format_uk(starts.map_or(today(), |s| s.max(today()))));
    let problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let mut found = Vec::new();
        let who = pupil.get_untracked();
        if who.is_empty() {
            found.push((
                "add-pupil".to_string(),
                "Choose a pupil to add.".to_string(),
            ));
        }
        let on = parse_date(&joined.get_untracked());
        if on.is_none() {
            found.push((
                "add-joined".to_string(),
                "Enter the date they join, for example 07/09/2026.".to_string(),
            ));
        }
        let Some(on) = on.filter(|_| found.is_empty()) else {
            problems.set(found);
            return;
        };
        let now = chrono::Utc::now();
        let id = id.clone();
        let changed = app.session.with_untracked(|s| {
            let mut p = s.as_ref()?.desk.provision(&id)?.clone();
            let base = p.revision;
            Some(p.enrol(&PupilId(who.clone()), on, now).map(|()| (p, base)))
        });
        let (provision, base) = match changed {
            Some(Ok(changed)) => changed,
            Some(Err(e)) => return problems.set(vec![("add-pupil".into(), e)]),
            None => {
                return problems.set(vec![(
                    String::new(),
                    "This provision is no longer on this desk.".into(),
                )])
            }
        };
        problems.set(Vec::new());
        saving.set(true);
        leptos::task::spawn_local_scoped(async move {
            let saved = app
                .save(move |open, store| {
                    open.save_provision(store, provision, Some(base), "Added a pupil", now)
                })
                .await;
            saving.set(false);
            match saved {
                Ok(()) => {
                    pupil.set(String::new());
                    app.notice
                        .set(Some(Notice::info("Pupil added to the provision.")));
                }
                Err(e) => problems.set(vec![(String::new(), e.to_string())]),
            }
        });
    };
    let options = choices_after("Choose a pupil", choices);
    view! {
        <form class="no-print" on:submit=submit novalidate aria-labelledby="add-pupil-title">
            <h3 id="add-pupil-title">"Add a pupil"</h3>
            <ErrorSummary problems=problems/>
            <SelectField id="add-pupil" label="Pupil" value=pupil options=options error=error_for(problems, "add-pupil")/>
            <TextField id="add-joined" label="Joins on" value=joined date=true error=error_for(problems, "add-joined")/>
            <button type="submit" class="button" disabled=move || saving.get()>"Add pupil"</button>
        </form>
    }
}

/// One measure's three fields.
#[derive(Clone, Copy)]
struct MeasureFields {
    kind: RwSignal<String>,
    value: RwSignal<String>,
    on: RwSignal<String>,
}

impl MeasureFields {
    fn of(text: &MeasureText) -> MeasureFields {
        MeasureFields {
            kind: RwSignal::new(text.kind.clone()),
            value: RwSignal::new(text.value.clone()),
            on: RwSignal::new(text.on.clone()),
        }
    }

    fn text(&self) -> MeasureText {
        MeasureText {
            kind: self.kind.get_untracked(),
            value: self.value.get_untracked(),
            on: self.on.get_untracked(),
        }
    }
}

#[component]
fn MeasureSet(
    prefix: &'static str,
    legend: &'static str,
    fields: MeasureFields,
    problems: RwSignal<Vec<Problem>>,
) -> impl IntoView {
    let kinds = choices_after(
        "None yet",
        MEASURE_KINDS
            .iter()
            .map(|(c, l)| (c.to_string(), l.to_string())),
    );
    view! {
        <fieldset>
            <legend>{legend}</legend>
            <SelectField id=format!("{prefix}-kind") label="What was measured" value=fields.kind options=kinds
                error=error_for(problems, format!("{prefix}-kind"))/>
            <TextField id=format!("{prefix}-value") label="Result" value=fields.value
                hint="A score (96), an age in years and months (7y 4m) or a raw score (14/20)"
                error=error_for(problems, format!("{prefix}-value"))/>
            <TextField id=format!("{prefix}-on") label="Date taken" value=fields.on date=true
                error=error_for(problems, format!("{prefix}-on"))/>
        </fieldset>
    }
}

#[component]
pub fn PartForm(id: String, pupil: PupilId) -> impl IntoView {
    let app = use_app();
    crate::ui::drafts::FormDraft::provide("provision-pupil");
    let navigate = use_navigate();
    let found = app.session.with_untracked(|s| {
        let open = s.as_ref()?;
        let p = open.desk.provision(&id)?;
        let e = p.enrolment(&pupil)?.clone();
        Some((
            p.name.clone(),
            open.desk.name_label(&pupil, NameOrder::KnownAs),
            e,
            p.revision,
        ))
    });
    let Some((provision_name, name, enrolment, drawn_from)) = found else {
        return view! {
            <h1 tabindex="-1">"Pupil not in this provision"</h1>
            <p><a href=provision_href(app, &id)>"Back to the provision"</a></p>
        }
        .into_any();
    };
    // The copy the form was filled from: a save over a newer one is refused once, then
    // made on purpose.
    let base_revision = StoredValue::new(drawn_from);
    let text = PartText::of(&enrolment);
    let joined = RwSignal::new(text.joined.clone());
    let left = RwSignal::new(text.left.clone());
    let entry = MeasureFields::of(&text.entry);
    let exit = MeasureFields::of(&text.exit);
    let rating = RwSignal::new(text.rating.clone());
    let note = RwSignal::new(text.note.clone());
    let problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    let back = provision_href(app, &id);
    let submit = {
        let back = back.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if saving.get_untracked() {
                return;
            }
            let typed = PartText {
                joined: joined.get_untracked(),
                left: left.get_untracked(),
                entry: entry.text(),
                exit: exit.text(),
                rating: rating.get_untracked(),
                note: note.get_untracked(),
            };
            let now = chrono::Utc::now();
            let changed = app.session.with_untracked(|s| {
                let mut p = s.as_ref()?.desk.provision(&id)?.clone();
                let base = p.revision;
                if base != base_revision.get_value() {
                    base_revision.set_value(base);
                    return Some(Err(vec![(
                        String::new(),
                        "This provision was changed in another tab while you were editing. Nothing was saved; your changes are still in the form. Check them against the provision (open it in another tab) and save again.".to_string(),
                    )]));
                }
                let at = p.enrolments.iter().position(|e| e.pupil == pupil)?;
                Some(typed.apply(p.enrolments[at].clone(), now).map(|e| {
                    p.enrolments[at] = e;
                    (p, base)
                }))
            });
            let (provision, base) = match changed {
                Some(Ok(changed)) => changed,
                Some(Err(found)) => return problems.set(found),
                None => {
                    return problems.set(vec![(
                        String::new(),
                        "This pupil is no longer in the provision.".into(),
                    )])
                }
            };
            problems.set(Vec::new());
            saving.set(true);
            let back = back.clone();
            let navigate = navigate.clone();
            leptos::task::spawn_local_scoped(async move {
                let saved = app
                    .save(move |open, store| {
                        open.save_provision(
                            store,
                            provision,
                            Some(base),
                            "Changed a pupil's dates, measures or rating",
                            now,
                        )
                    })
                    .await;
                saving.set(false);
                match saved {
                    Ok(()) => {
                        app.notice.set(Some(Notice::info("Saved.")));
                        navigate(&back, Default::default());
                    }
                    Err(e) => problems.set(vec![(String::new(), e.to_string())]),
                }
            });
        }
    };
    let ratings = choices_after(
        "Not yet rated",
        (-2..=2).map(|v: i8| (v.to_string(), format!("{v:+}: {}", rating_label(v)))),
    );
    view! {
        <h1 tabindex="-1">{format!("{name} in {provision_name}")}</h1>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <TextField id="part-joined" label="Joined on" value=joined date=true error=error_for(problems, "part-joined")/>
            <TextField id="part-left" label="Left on (blank while still in it)" value=left date=true error=error_for(problems, "part-left")/>
            <MeasureSet prefix="part-entry" legend="Entry measure" fields=entry problems=problems/>
            <MeasureSet prefix="part-exit" legend="Exit measure" fields=exit problems=problems/>
            <SelectField id="part-rating" label="Outcome rating, against the intended outcome" value=rating options=ratings
                error=error_for(problems, "part-rating")/>
            <TextArea id="part-note" label="Note (optional)" value=note limit=crate::domain::provision::edit::MAX_NOTE
                error=error_for(problems, "part-note")/>
            <div class="button-group">
                <button type="submit" class="button" disabled=move || saving.get()>"Save"</button>
                <a class="button button--secondary" href=back.clone()>"Cancel"</a>
            </div>
        </form>
    }
    .into_any()
}
