//! The agency directory (`/agencies`): the agencies the school refers to, the people there,
//! the time bought from each this school year and what is left, and how soon a referral
//! with no news is chased.

use super::form::{error_for, today, ErrorSummary, Problem, SelectField, TextArea, TextField};
use super::shell::{set_title, Unlocked};
use super::state::{use_app, AppState, Notice};
use crate::domain::dates::{format_uk, parse_date};
use crate::domain::referral::agency::{
    hundredths_text, parse_hundredths, Agency, AgencyKind, Professional, TimeUse, TradedTime,
    TradedUnit, MAX_AGENCY_NOTES,
};
use crate::domain::referral::traded::balance;
use crate::domain::settings::school_year;
use crate::store::OpenDesk;
use leptos::prelude::*;

#[component]
pub fn AgenciesPage() -> impl IntoView {
    view! { <Unlocked><Directory/></Unlocked> }
}

/// Saves the desk's settings with the directory changed; the message on success.
fn save_directory(
    app: AppState,
    change: impl FnOnce(&mut crate::domain::Settings) -> Result<(), String>,
    problems: RwSignal<Vec<Problem>>,
    message: String,
    then: impl FnOnce() + 'static,
) {
    let Some(mut settings) = app.settings() else {
        return;
    };
    if let Err(e) = change(&mut settings) {
        problems.set(vec![(String::new(), e)]);
        return;
    }
    leptos::task::spawn_local(async move {
        match app
            .save(move |open, store| open.save_settings(store, settings))
            .await
        {
            Ok(()) => {
                problems.set(Vec::new());
                app.notice.set(Some(Notice::info(message)));
                then();
            }
            Err(e) => problems.set(vec![(String::new(), e.to_string())]),
        }
    });
}

/// Every pupil's referrals, for traded time used.
fn all_referrals(app: AppState) -> Vec<crate::domain::referral::Referral> {
    app.session.with_untracked(|s| {
        s.as_ref()
            .map(|o| {
                o.desk
                    .files()
                    .flat_map(|f| f.referrals.iter().cloned())
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// What is left of the agency's traded time this school year, in words.
pub fn traded_left(app: AppState, agency: &Agency) -> Option<String> {
    let year = school_year(today());
    let referrals = all_referrals(app);
    balance(agency, year, referrals.iter()).map(|b| b.describe())
}

#[component]
fn Directory() -> impl IntoView {
    let app = use_app();
    set_title("Agencies");
    // None: the list; Some(None): a new agency; Some(Some(id)): editing one.
    let editing = RwSignal::new(None::<Option<String>>);
    Effect::new(move |first: Option<()>| {
        editing.track();
        if first.is_some() {
            request_animation_frame(super::shell::focus_heading);
        }
    });
    view! {
        {move || match editing.get() {
            None => view! { <DirectoryList editing=editing/> }.into_any(),
            Some(id) => {
                let agency = id.and_then(|id| app.settings().and_then(|s| s.agencies.agency(&id).cloned()));
                view! { <AgencyForm agency=agency on_done=Callback::new(move |_| editing.set(None))/> }.into_any()
            }
        }}
    }
}

#[component]
fn DirectoryList(editing: RwSignal<Option<Option<String>>>) -> impl IntoView {
    let app = use_app();
    let settings = app
        .settings()
        .unwrap_or_else(|| crate::domain::Settings::new(""));
    let agencies: Vec<Agency> = settings.agencies.sorted().into_iter().cloned().collect();
    let weeks = RwSignal::new(settings.agencies.follow_up_weeks.to_string());
    let problems = RwSignal::new(Vec::<Problem>::new());
    let save_weeks = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = weeks.get_untracked();
        let Some(n) = typed
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=52).contains(n))
        else {
            problems.set(vec![(
                "follow-up-weeks".into(),
                "Enter a number of weeks from 1 to 52.".into(),
            )]);
            return;
        };
        save_directory(
            app,
            |s| {
                s.agencies.follow_up_weeks = n;
                Ok(())
            },
            problems,
            format!("Referrals with no news are now chased after {n} weeks of school days."),
            || {},
        );
    };
    let rows = agencies
        .into_iter()
        .map(|agency| {
            let people = agency
                .professionals
                .iter()
                .map(|p| match p.role.is_empty() {
                    true => p.name.clone(),
                    false => format!("{} ({})", p.name, p.role),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let left = traded_left(app, &agency).unwrap_or_else(|| "None bought this year".into());
            let id = agency.id.clone();
            let name = agency.name.clone();
            view! {
                <tr>
                    <th scope="row">{agency.name.clone()}</th>
                    <td>{agency.kind.to_string()}</td>
                    <td>{people}</td>
                    <td>{left}</td>
                    <td>
                        <button type="button" class="button button--secondary"
                            on:click=move |_| editing.set(Some(Some(id.clone())))>
                            "Edit"<span class="visually-hidden">{format!(" {name}")}</span>
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1 tabindex="-1">"Agencies"</h1>
        <p>"The services you refer pupils to, the people you deal with there, and the time you buy from them. Referrals are made from each pupil's page."</p>
        <p><button type="button" class="button" on:click=move |_| editing.set(Some(None))>"Add an agency"</button></p>
        <table class="table">
            <caption>"The agency directory"</caption>
            <thead><tr>
                <th scope="col">"Agency or team"</th><th scope="col">"Kind"</th>
                <th scope="col">"People"</th><th scope="col">"Traded time this school year"</th>
                <th scope="col"><span class="visually-hidden">"Actions"</span></th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        <h2>"Chasing referrals"</h2>
        <ErrorSummary problems=problems/>
        <form on:submit=save_weeks novalidate>
            <TextField id="follow-up-weeks" label="Chase a referral with no news after (weeks)" value=weeks
                input_type="number"
                hint="Counted in school days from the term dates (5 a week), from the referral's last step. Usually 6."
                error=error_for(problems, "follow-up-weeks")/>
            <button type="submit" class="button">"Save the follow-up time"</button>
        </form>
    }
}

fn kind_options() -> Vec<(String, String)> {
    AgencyKind::ALL
        .into_iter()
        .map(|k| (k.code().to_string(), k.to_string()))
        .collect()
}

#[component]
fn AgencyForm(agency: Option<Agency>, on_done: Callback<()>) -> impl IntoView {
    let app = use_app();
    let year = school_year(today());
    let is_new = agency.is_none();
    let base = agency.unwrap_or_else(|| Agency {
        id: OpenDesk::new_provision_id(),
        kind: AgencyKind::EducationalPsychology,
        name: String::new(),
        professionals: Vec::new(),
        notes: String::new(),
        traded: Vec::new(),
        uses: Vec::new(),
    });
    set_title(if is_new {
        "Add an agency"
    } else {
        "Edit an agency"
    });
    let kind = RwSignal::new(base.kind.code().to_string());
    let name = RwSignal::new(base.name.clone());
    let notes = RwSignal::new(base.notes.clone());
    let people = RwSignal::new(base.professionals.clone());
    let person_name = RwSignal::new(String::new());
    let person_role = RwSignal::new(String::new());
    let person_phone = RwSignal::new(String::new());
    let person_email = RwSignal::new(String::new());
    let this_year = base.traded_in(year).cloned();
    let unit = RwSignal::new(
        this_year
            .as_ref()
            .map_or(TradedUnit::Hours, |t| t.unit)
            .code()
            .to_string(),
    );
    let bought = RwSignal::new(
        this_year
            .as_ref()
            .map(|t| hundredths_text(i64::from(t.bought)))
            .unwrap_or_default(),
    );
    let uses = RwSignal::new(base.uses.clone());
    let use_on = RwSignal::new(format_uk(today()));
    let use_amount = RwSignal::new(String::new());
    let use_what = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<Problem>::new());

    let add_person = move |_| {
        let typed = person_name.get_untracked().trim().to_string();
        if typed.is_empty() {
            problems.set(vec![(
                "person-name".into(),
                "Enter the person's name.".into(),
            )]);
            return;
        }
        people.update(|list| {
            list.push(Professional {
                id: OpenDesk::new_provision_id(),
                name: typed,
                role: person_role.get_untracked().trim().to_string(),
                phone: person_phone.get_untracked().trim().to_string(),
                email: person_email.get_untracked().trim().to_string(),
            })
        });
        for field in [person_name, person_role, person_phone, person_email] {
            field.set(String::new());
        }
        problems.set(Vec::new());
    };
    let add_use = move |_| {
        let mut found = Vec::new();
        let on = parse_date(&use_on.get_untracked());
        if on.is_none_or(|d| d > today()) {
            found.push((
                "use-on".to_string(),
                "Enter the date, not after today, as day/month/year.".to_string(),
            ));
        }
        let amount = parse_hundredths(&use_amount.get_untracked()).filter(|a| *a > 0);
        if amount.is_none() {
            found.push((
                "use-amount".into(),
                "Enter the time used, for example 1.5.".into(),
            ));
        }
        let what = use_what.get_untracked().trim().to_string();
        if what.is_empty() {
            found.push(("use-what".into(), "Say what the time was used for.".into()));
        }
        if let (Some(on), Some(used), true) = (on, amount, found.is_empty()) {
            uses.update(|list| list.push(TimeUse { on, used, what }));
            use_amount.set(String::new());
            use_what.set(String::new());
            problems.set(Vec::new());
        } else {
            problems.set(found);
        }
    };
    let heading = if is_new {
        "Add an agency".to_string()
    } else {
        format!("Edit {}", base.name)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut found: Vec<Problem> = Vec::new();
        let typed_name = name.get_untracked().trim().to_string();
        if typed_name.is_empty() {
            found.push((
                "agency-name".into(),
                "Enter the agency's or team's name.".into(),
            ));
        }
        let bought_text = bought.get_untracked();
        let bought_amount = if bought_text.trim().is_empty() {
            None
        } else {
            match parse_hundredths(&bought_text) {
                Some(a) => Some(a),
                None => {
                    found.push((
                        "traded-bought".into(),
                        "Enter the time bought as a number, for example 12 or 2.5.".into(),
                    ));
                    None
                }
            }
        };
        if !person_name.get_untracked().trim().is_empty() {
            found.push((
                "person-name".into(),
                "Press \"Add this person\" first, or clear the name.".into(),
            ));
        }
        if !found.is_empty() {
            problems.set(found);
            return;
        }
        let mut agency = base.clone();
        agency.kind = AgencyKind::from_code(&kind.get_untracked()).unwrap_or(AgencyKind::Other);
        agency.name = typed_name.clone();
        agency.notes = notes.get_untracked().trim().to_string();
        agency.professionals = people.get_untracked();
        agency.uses = uses.get_untracked();
        agency.traded.retain(|t| t.starts_in != year);
        if let Some(bought) = bought_amount {
            agency.traded.push(TradedTime {
                starts_in: year,
                unit: TradedUnit::from_code(&unit.get_untracked()).unwrap_or_default(),
                bought,
            });
        }
        let message = format!("{typed_name} was saved in the agency directory.");
        save_directory(
            app,
            move |s| s.agencies.put(agency),
            problems,
            message,
            move || on_done.run(()),
        );
    };
    view! {
        <h1 tabindex="-1">{heading}</h1>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <SelectField id="agency-kind" label="Kind of agency" value=kind options=kind_options()/>
            <TextField id="agency-name" label="Agency or team name" value=name
                hint="For example: North Locality EP Team." error=error_for(problems, "agency-name")/>
            <TextArea id="agency-notes" label="Notes" value=notes limit=MAX_AGENCY_NOTES
                hint="How to refer, waiting times, what they need with a referral."/>
            <fieldset class="fieldset">
                <legend>"People at this agency"</legend>
                {move || {
                    let list = people.get();
                    if list.is_empty() {
                        view! { <p>"No one added yet."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {list.into_iter().map(|p| {
                                    let id = p.id.clone();
                                    let label = format!("{}{}{}{}", p.name,
                                        if p.role.is_empty() { String::new() } else { format!(", {}", p.role) },
                                        if p.phone.is_empty() { String::new() } else { format!(", {}", p.phone) },
                                        if p.email.is_empty() { String::new() } else { format!(", {}", p.email) });
                                    let who = p.name.clone();
                                    view! {
                                        <li>{label}" "
                                            <button type="button" class="button button--link"
                                                on:click=move |_| people.update(|l| l.retain(|x| x.id != id))>
                                                "Remove"<span class="visually-hidden">{format!(" {who}")}</span>
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
                <TextField id="person-name" label="Name" value=person_name error=error_for(problems, "person-name")/>
                <TextField id="person-role" label="Role" value=person_role hint="For example: Educational psychologist."/>
                <TextField id="person-phone" label="Phone" value=person_phone input_type="tel"/>
                <TextField id="person-email" label="Email" value=person_email input_type="email"/>
                <button type="button" class="button button--secondary" on:click=add_person>"Add this person"</button>
            </fieldset>
            <fieldset class="fieldset">
                <legend>{format!("Traded time for {} to {}", year, year + 1)}</legend>
                <SelectField id="traded-unit" label="Bought in" value=unit
                    options=vec![("hours".into(), "Hours".into()), ("days".into(), "Days".into())]/>
                <TextField id="traded-bought" label="Time bought this school year" value=bought
                    hint="Leave blank if the school buys none. Referrals record the time each assessment used."
                    error=error_for(problems, "traded-bought")/>
                <h3>"Other work that used traded time"</h3>
                {move || {
                    let list: Vec<TimeUse> = uses.get().into_iter().filter(|u| school_year(u.on) == year).collect();
                    let unit = TradedUnit::from_code(&unit.get()).unwrap_or_default();
                    if list.is_empty() {
                        view! { <p>"None recorded this school year."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {list.into_iter().map(|u| view! {
                                    <li>{format!("{}: {}, {}", format_uk(u.on), u.what, unit.amount(i64::from(u.used)))}</li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }}
                <TextField date=true id="use-on" label="Date" value=use_on error=error_for(problems, "use-on")/>
                <TextField id="use-amount" label="Time used" value=use_amount
                    hint="In the unit above, for example 1.5." error=error_for(problems, "use-amount")/>
                <TextField id="use-what" label="What it was for" value=use_what
                    hint="For example: Consultation with Year 3 staff." error=error_for(problems, "use-what")/>
                <button type="button" class="button button--secondary" on:click=add_use>"Add this time used"</button>
            </fieldset>
            <div class="button-group">
                <button type="submit" class="button">"Save the agency"</button>
                <button type="button" class="button button--secondary" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
