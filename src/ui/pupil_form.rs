//! The form for a pupil's details: adding a pupil, or editing one.

use super::form::{
    choices_after, error_for, today, CheckField, ErrorSummary, Problem, SelectField, TextField,
};
use super::plan_page::plan_form::focus_later;
use super::shell::set_title;
use super::state::{use_app, Notice};
use crate::domain::names::NameOrder;
use crate::domain::pupil::PupilField;
use crate::domain::{Flag, Gender, PupilDraft, PupilId, YearGroup};
use crate::store::{DeskMirror, OpenDesk};
use leptos::prelude::*;

pub fn field_id(field: PupilField) -> &'static str {
    match field {
        PupilField::Forename => "forename",
        PupilField::Surname => "surname",
        PupilField::PreferredForename => "preferred-forename",
        PupilField::DateOfBirth => "date-of-birth",
        PupilField::YearGroup => "year-group",
        PupilField::Upn => "upn",
        PupilField::Gender => "gender",
        PupilField::ClassName => "class-name",
        PupilField::Admitted => "admitted",
        PupilField::Left => "left",
    }
}

fn flag_id(flag: Flag) -> &'static str {
    match flag {
        Flag::PupilPremium => "flag-pupil-premium",
        Flag::FreeSchoolMeals => "flag-fsm",
        Flag::LookedAfter => "flag-looked-after",
        Flag::Eal => "flag-eal",
        Flag::Medical => "flag-medical",
    }
}

/// Adds a pupil (`editing` None) or edits one from the revision it was opened at.
/// `on_done` runs when cancelled or when an edit is saved; a new pupil's page opens.
#[component]
pub fn PupilForm(editing: Option<(PupilId, u64)>, on_done: Callback<()>) -> impl IntoView {
    let app = use_app();
    super::drafts::FormDraft::provide(if editing.is_some() {
        "details"
    } else {
        "new-pupil"
    });
    let navigate = leptos_router::hooks::use_navigate();
    let start = editing
        .as_ref()
        .and_then(|(id, _)| {
            app.session.with_untracked(|s| {
                s.as_ref()
                    .and_then(|o| o.desk.file(id).map(|f| PupilDraft::from_pupil(&f.pupil)))
            })
        })
        .unwrap_or_default();
    let forename = RwSignal::new(start.forename);
    let surname = RwSignal::new(start.surname);
    let preferred = RwSignal::new(start.preferred_forename);
    // An existing pupil with a blank date of birth: it is "to correct" (from an import).
    let date_of_birth_hint = if editing.is_some() && start.date_of_birth.is_empty() {
        "Unknown (to correct): enter it as day/month/year, for example 14/09/2017, or leave it blank for now."
    } else {
        "Day/month/year, for example 14/09/2017."
    };
    let date_of_birth = RwSignal::new(start.date_of_birth);
    let year_group = RwSignal::new(start.year_group);
    let upn = RwSignal::new(start.upn);
    let gender = RwSignal::new(start.gender);
    let class_name = RwSignal::new(start.class_name);
    let admitted = RwSignal::new(start.admitted);
    let left = RwSignal::new(start.left);
    let flags: Vec<(Flag, RwSignal<bool>)> = Flag::ALL
        .into_iter()
        .map(|f| (f, RwSignal::new(start.flags.has(f))))
        .collect();
    let problems = RwSignal::new(Vec::<Problem>::new());
    let title = if editing.is_some() {
        "Edit pupil details"
    } else {
        "Add a pupil"
    };
    set_title(title);
    let flags_for_submit = flags.clone();
    // The revision the form was opened at; after a refusal because another tab saved,
    // it moves on, so saving again (once the user has checked) goes through.
    let base_revision = StoredValue::new(editing.as_ref().map(|(_, r)| *r).unwrap_or(0));
    // A new pupil with the same name and date of birth as one on the desk: asked first,
    // and "Add anyway" confirms for exactly the name and date shown.
    let same_pupils = RwSignal::new(Vec::<(PupilId, String)>::new());
    let add_anyway_for = StoredValue::new(None::<String>);
    let typed_key = move || {
        format!(
            "{}|{}|{}|{}",
            forename.get_untracked().trim().to_lowercase(),
            surname.get_untracked().trim().to_lowercase(),
            preferred.get_untracked().trim().to_lowercase(),
            date_of_birth.get_untracked().trim()
        )
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut draft = PupilDraft {
            forename: forename.get_untracked(),
            surname: surname.get_untracked(),
            preferred_forename: preferred.get_untracked(),
            date_of_birth: date_of_birth.get_untracked(),
            year_group: year_group.get_untracked(),
            upn: upn.get_untracked(),
            gender: gender.get_untracked(),
            class_name: class_name.get_untracked(),
            admitted: admitted.get_untracked(),
            left: left.get_untracked(),
            flags: Default::default(),
        };
        for (flag, on) in &flags_for_submit {
            draft.flags.set(*flag, on.get_untracked());
        }
        let now = chrono::Utc::now();
        let refused = |list: Vec<crate::domain::PupilProblem>| {
            problems.set(
                list.into_iter()
                    .map(|p| (field_id(p.field).to_string(), p.message))
                    .collect(),
            )
        };
        let saved = match &editing {
            Some((id, _)) => {
                let current = app.session.with_untracked(|s| {
                    s.as_ref()
                        .and_then(|o| o.desk.file(id).map(|f| f.pupil.clone()))
                });
                let Some(current) = current else {
                    problems.set(vec![(
                        String::new(),
                        "That pupil is no longer on this desk.".into(),
                    )]);
                    return;
                };
                let pupil = match draft.apply_to(&current, today()) {
                    Ok(pupil) => pupil,
                    Err(list) => return refused(list),
                };
                let revision = base_revision.get_value();
                Box::new(move |open: &mut OpenDesk, store: &mut DeskMirror| {
                    open.save_pupil(store, pupil, revision, now)
                }) as Box<dyn FnOnce(&mut OpenDesk, &mut DeskMirror) -> _>
            }
            None => {
                let pupil = match draft.validate(OpenDesk::new_pupil_id(), today()) {
                    Ok(pupil) => pupil,
                    Err(list) => return refused(list),
                };
                let same: Vec<(PupilId, String)> = app.session.with_untracked(|s| {
                    s.as_ref()
                        .map(|o| {
                            o.desk
                                .same_name_and_birth(&pupil)
                                .into_iter()
                                .map(|p| {
                                    (
                                        p.id.clone(),
                                        o.desk.name_label(&p.id, NameOrder::ForenameFirst),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                });
                if !same.is_empty() && add_anyway_for.get_value() != Some(typed_key()) {
                    problems.set(Vec::new());
                    same_pupils.set(same);
                    focus_later("same-pupil".into());
                    return;
                }
                Box::new(move |open: &mut OpenDesk, store: &mut DeskMirror| {
                    open.add_pupil(store, pupil, now)
                })
            }
        };
        let (editing, navigate) = (editing.clone(), navigate.clone());
        leptos::task::spawn_local(async move {
            let saved = app.save(saved).await;
            match saved {
                Ok(id) => {
                    problems.set(Vec::new());
                    let name = app
                        .session
                        .with_untracked(|s| {
                            s.as_ref()
                                .and_then(|o| o.desk.file(&id).map(|f| f.pupil.full_name()))
                        })
                        .unwrap_or_default();
                    app.notice.set(Some(Notice::info(format!("Saved {name}."))));
                    if editing.is_some() {
                        on_done.run(());
                    } else {
                        navigate(&app.href(&format!("/pupil?id={id}")), Default::default());
                    }
                }
                // The form keeps everything typed; the problem is shown above it.
                Err(e) => {
                    if let Some((id, _)) = &editing {
                        if let Some(latest) = app.session.with_untracked(|s| {
                            s.as_ref().and_then(|o| o.desk.file(id).map(|f| f.revision))
                        }) {
                            base_revision.set_value(latest);
                        }
                    }
                    problems.set(vec![(String::new(), e.to_string())])
                }
            }
        });
    };

    let years: Vec<(String, String)> = choices_after(
        "Choose a year group",
        YearGroup::all()
            .into_iter()
            .map(|y| (y.code(), y.to_string())),
    );
    let genders: Vec<(String, String)> = Gender::ALL
        .into_iter()
        .map(|g| (g.code().to_string(), g.label().to_string()))
        .collect();
    view! {
        <h1 tabindex="-1">{title}</h1>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <TextField id="forename" label="Legal forename" value=forename error=error_for(problems, "forename")/>
            <TextField id="surname" label="Legal surname" value=surname error=error_for(problems, "surname")/>
            <TextField id="preferred-forename" label="Preferred forename (optional)" value=preferred
                error=error_for(problems, "preferred-forename") hint="The name the pupil is known by, if different."/>
            <TextField date=true id="date-of-birth" label="Date of birth" value=date_of_birth
                error=error_for(problems, "date-of-birth") hint=date_of_birth_hint/>
            <SelectField id="year-group" label="Year group" value=year_group options=years
                error=error_for(problems, "year-group")/>
            <TextField id="class-name" label="Class or form (optional)" value=class_name
                error=error_for(problems, "class-name")/>
            <TextField id="upn" label="UPN (optional)" value=upn error=error_for(problems, "upn")
                hint="The unique pupil number: a letter and 12 digits, checked as you save."/>
            <SelectField id="gender" label="Gender" value=gender options=genders error=error_for(problems, "gender")/>
            <TextField date=true id="admitted" label="Admission date (optional)" value=admitted
                error=error_for(problems, "admitted") hint="Day/month/year."/>
            <TextField date=true id="left" label="Leaving date (optional)" value=left
                error=error_for(problems, "left") hint="Day/month/year."/>
            <fieldset class="choices">
                <legend>"Flags"</legend>
                {flags.into_iter().map(|(flag, on)| view! {
                    <CheckField id=flag_id(flag) label=flag.label() checked=on/>
                }).collect_view()}
            </fieldset>
            <div class="button-group">
                <button type="submit" class="button">"Save pupil"</button>
                <button type="button" class="button button--secondary"
                    on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
            // After "Save pupil", so Enter in a field never means "Add anyway".
            {move || (!same_pupils.with(Vec::is_empty)).then(|| view! {
                <div class="notice notice--warning" id="same-pupil" tabindex="-1" role="alert">
                    <p>
                        {if same_pupils.with(|s| s.len()) == 1 { "A pupil with this name and date of birth is already on the desk: " } else { "Pupils with this name and date of birth are already on the desk: " }}
                        {same_pupils.get().into_iter().enumerate().map(|(i, (id, name))| view! {
                            {(i > 0).then_some(", ")}
                            <a href=app.href(&format!("/pupil?id={id}"))>{name}</a>
                        }).collect_view()}
                        ". Add anyway?"
                    </p>
                    <div class="button-group">
                        <button type="submit" class="button" on:click=move |_| add_anyway_for.set_value(Some(typed_key()))>"Add anyway"</button>
                        <button type="button" class="button button--secondary" on:click=move |_| {
                            same_pupils.set(Vec::new());
                            focus_later("forename".into());
                        }>"Check the details"</button>
                    </div>
                </div>
            })}
        </form>
    }
}
