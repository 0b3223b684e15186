//! The form for a provision's details, new or edited: what it is, who delivers it, its
//! timetable and dates, extra costs and funding. A refused save keeps everything typed.

use super::provision_href;
use crate::domain::names::NameOrder;
use crate::domain::provision::details::{blank_provision, DetailsText, ExtraCostText, WEEKDAYS};
use crate::domain::provision::for_pupil::with_plan_row_linked;
use crate::domain::provision::record::{Funding, ProvisionType};
use crate::domain::{BroadArea, DeskError, PupilId};
use crate::store::OpenDesk;
use crate::ui::form::{
    choices_after, error_for, today, CheckField, ErrorSummary, Problem, SelectField, TextArea,
    TextField,
};
use crate::ui::state::{use_app, Notice};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// One extra cost's fields.
#[derive(Clone, Copy)]
struct ExtraRow {
    id: RwSignal<String>,
    description: RwSignal<String>,
    amount: RwSignal<String>,
    on: RwSignal<String>,
}

impl ExtraRow {
    fn of(text: &ExtraCostText) -> ExtraRow {
        ExtraRow {
            id: RwSignal::new(text.id.clone()),
            description: RwSignal::new(text.description.clone()),
            amount: RwSignal::new(text.amount.clone()),
            on: RwSignal::new(text.on.clone()),
        }
    }
}

/// `from_plan`: the pupil, plan and provision row a new provision is made from; they are
/// put in it and the row names it, in the same save.
#[component]
pub fn DetailsForm(id: Option<String>, from_plan: Option<(PupilId, u32, usize)>) -> impl IntoView {
    let app = use_app();
    // What is typed is kept (sealed) through a lock, as in every form.
    crate::ui::drafts::FormDraft::provide(if id.is_some() {
        "provision-details"
    } else {
        "new-provision"
    });
    let navigate = use_navigate();
    let plan_row = from_plan.as_ref().and_then(|(pupil, cycle, row)| {
        app.session.with_untracked(|s| {
            let open = s.as_ref()?;
            let file = open.desk.file(pupil)?;
            let line = file.plan(*cycle)?.provision.get(*row)?.clone();
            Some((open.desk.name_label(pupil, NameOrder::KnownAs), line.what))
        })
    });
    // Amounts are hidden with all money; extra costs typed before are kept as they are.
    let money_hidden = app.session.with_untracked(|s| {
        s.as_ref()
            .is_some_and(|o| o.desk.settings.provision.hide_money)
    });
    let (existing, staff) = app.session.with_untracked(|s| {
        let open = s.as_ref();
        (
            id.as_ref()
                .and_then(|id| open.and_then(|o| o.desk.provision(id)).cloned()),
            open.map(|o| o.desk.settings.provision.staff.clone())
                .unwrap_or_default(),
        )
    });
    let text = existing
        .as_ref()
        .map(DetailsText::of)
        .unwrap_or_else(|| DetailsText {
            name: plan_row
                .as_ref()
                .map(|(_, what)| what.clone())
                .unwrap_or_default(),
            kind: "1".into(),
            wave: "2".into(),
            funding: "0".into(),
            minutes: "30".into(),
            starts: crate::domain::dates::format_uk(today()),
            ..Default::default()
        });
    let name = RwSignal::new(text.name.clone());
    let area = RwSignal::new(text.area.clone());
    let description = RwSignal::new(text.description.clone());
    let outcome = RwSignal::new(text.intended_outcome.clone());
    let kind = RwSignal::new(text.kind.clone());
    let wave = RwSignal::new(text.wave.clone());
    let chosen_staff = RwSignal::new(text.staff.clone());
    let times: [RwSignal<String>; 5] =
        std::array::from_fn(|i| RwSignal::new(text.times[i].clone()));
    let minutes = RwSignal::new(text.minutes.clone());
    let starts = RwSignal::new(text.starts.clone());
    let ends = RwSignal::new(text.ends.clone());
    let funding = RwSignal::new(text.funding.clone());
    let confidential = RwSignal::new(text.confidential);
    let extras = RwSignal::new(
        text.extra_costs
            .iter()
            .map(ExtraRow::of)
            .collect::<Vec<_>>(),
    );
    let problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let saving = RwSignal::new(false);
    // The copy the form was filled from: a save over a newer one is refused once (the
    // store says why), then made on purpose.
    let base_revision = StoredValue::new(existing.as_ref().map(|p| p.revision));
    let is_new = existing.is_none();
    let heading = match &existing {
        Some(p) => format!("Edit {}", p.name),
        None => "New provision".to_string(),
    };
    let cancel_href = match &existing {
        Some(p) => provision_href(app, &p.id),
        None => app.href("/provisions"),
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let typed = DetailsText {
            name: name.get_untracked(),
            area: area.get_untracked(),
            description: description.get_untracked(),
            intended_outcome: outcome.get_untracked(),
            kind: kind.get_untracked(),
            wave: wave.get_untracked(),
            staff: chosen_staff.get_untracked(),
            times: std::array::from_fn(|i| times[i].get_untracked()),
            minutes: minutes.get_untracked(),
            starts: starts.get_untracked(),
            ends: ends.get_untracked(),
            funding: funding.get_untracked(),
            confidential: confidential.get_untracked(),
            extra_costs: extras
                .get_untracked()
                .iter()
                .map(|r| ExtraCostText {
                    id: r.id.get_untracked(),
                    description: r.description.get_untracked(),
                    amount: r.amount.get_untracked(),
                    on: r.on.get_untracked(),
                })
                .collect(),
        };
        let now = chrono::Utc::now();
        let base = app.session.with_untracked(|s| {
            s.as_ref().and_then(|o| match &existing {
                Some(p) => o.desk.provision(&p.id).cloned(),
                None => Some(blank_provision(OpenDesk::new_provision_id(), today(), now)),
            })
        });
        let Some(base) = base else {
            problems.set(vec![(
                String::new(),
                "This provision is no longer on this desk.".into(),
            )]);
            return;
        };
        let mut provision = match typed.apply(base, now) {
            Ok(p) => p,
            Err(found) => {
                problems.set(found);
                return;
            }
        };
        // New extra costs get their own ids, so a merge tells them apart.
        for cost in &mut provision.extra_costs {
            if cost.id.is_empty() {
                cost.id = OpenDesk::new_provision_id();
            }
        }
        problems.set(Vec::new());
        saving.set(true);
        let id = provision.id.clone();
        let navigate = navigate.clone();
        let what = if is_new {
            "Made the provision"
        } else {
            "Changed its details"
        };
        let from_plan = from_plan.clone();
        leptos::task::spawn_local_scoped(async move {
            let saved = app
                .save(move |open, store| match from_plan {
                    Some((pupil, cycle, row)) if is_new => {
                        let file = open
                            .desk
                            .file(&pupil)
                            .ok_or_else(|| DeskError::NoSuchPupil(pupil.clone()))?;
                        let revision = file.revision;
                        let file = with_plan_row_linked(file, cycle, row, &provision.id)
                            .map_err(DeskError::Refused)?;
                        let mut provision = provision;
                        provision
                            .enrol(&pupil, provision.starts, now)
                            .map_err(DeskError::Refused)?;
                        open.save_provision_and_file(
                            store,
                            provision,
                            None,
                            file,
                            revision,
                            "Made the provision from a support plan",
                            now,
                        )
                    }
                    _ => {
                        open.save_provision(store, provision, base_revision.get_value(), what, now)
                    }
                })
                .await;
            saving.set(false);
            match saved {
                Ok(()) => {
                    app.notice.set(Some(Notice::info(if is_new {
                        "Provision made. Add its pupils below."
                    } else {
                        "Provision saved."
                    })));
                    navigate(&provision_href(app, &id), Default::default());
                }
                Err(e) => {
                    if let crate::store::DeskStoreError::Pupil(DeskError::ChangedElsewhere {
                        ..
                    }) = e
                    {
                        let latest = app.session.with_untracked(|s| {
                            s.as_ref()
                                .and_then(|o| o.desk.provision(&id))
                                .map(|p| p.revision)
                        });
                        base_revision.set_value(latest);
                    }
                    problems.set(vec![(String::new(), e.to_string())])
                }
            }
        });
    };

    let areas = choices_after(
        "Choose an area",
        BroadArea::ALL
            .iter()
            .map(|a| (a.code().to_string(), a.to_string())),
    );
    let kinds = ProvisionType::ALL
        .iter()
        .enumerate()
        .map(|(i, k)| (i.to_string(), k.label().to_string()))
        .collect::<Vec<_>>();
    let waves = vec![
        (
            "1".to_string(),
            "Wave 1: quality-first teaching".to_string(),
        ),
        ("2".to_string(), "Wave 2: targeted".to_string()),
        ("3".to_string(), "Wave 3: specialist".to_string()),
    ];
    let fundings = Funding::ALL
        .iter()
        .enumerate()
        .map(|(i, f)| (i.to_string(), f.label().to_string()))
        .collect::<Vec<_>>();
    let staff_choices: Vec<_> = staff
        .into_iter()
        .filter(|m| !m.left || text.staff.contains(&m.id))
        .collect();
    view! {
            <h1 tabindex="-1">{heading}</h1>
            {plan_row.map(|(name, _)| view! {
                <p>{format!("Made from {name}'s support plan: they will be in it from its start date, and the plan's row will name it.")}</p>
            })}
            <ErrorSummary problems=problems/>
            <form on:submit=submit novalidate>
                <TextField id="provision-name" label="Name" value=name error=error_for(problems, "provision-name")
                    hint="For example: Reading catch-up, Year 3"/>
                <SelectField id="provision-area" label="Broad area of need" value=area options=areas
                    error=error_for(problems, "provision-area")/>
                <SelectField id="provision-kind" label="Type" value=kind options=kinds
                    error=error_for(problems, "provision-kind")/>
                <SelectField id="provision-wave" label="Wave" value=wave options=waves
                    error=error_for(problems, "provision-wave")/>
                <TextArea id="provision-description" label="Description (optional)" value=description
                    limit=crate::domain::provision::edit::MAX_PROVISION_TEXT
                    error=error_for(problems, "provision-description")/>
                <TextArea id="provision-outcome" label="Intended outcome" value=outcome
                    limit=crate::domain::provision::edit::MAX_PROVISION_TEXT
                    error=error_for(problems, "provision-outcome")
                    hint="What the pupils should be able to do by the end: each pupil's rating is against this."/>
                <fieldset class="choices" id="provision-staff">
                    <legend>"Delivered by"</legend>
                    {if staff_choices.is_empty() {
                        view! { <p class="hint">"No staff are listed yet. Add them in "<a href=app.href("/provision-setup")>"staff, rates and term dates"</a>" to cost this provision."</p> }.into_any()
                    } else {
                        staff_choices.into_iter().map(|m| {
                            let field = format!("provision-staff-{}", m.id);
                            let member = m.id.clone();
                            let checked = RwSignal::new(text.staff.contains(&m.id));
                            Effect::new(move |_| {
                                let on = checked.get();
                                chosen_staff.update(|list| {
                                    list.retain(|s| *s != member);
                                    if on { list.push(member.clone()); }
                                });
                            });
                            view! { <CheckField id=field label=format!("{} ({})", m.name, m.role.label()) checked=checked/> }
                        }).collect_view().into_any()
                    }}
                </fieldset>
                <fieldset>
                    <legend>"Weekly sessions"</legend>
                    <p class="hint">"A start time for each day it runs, as hours and minutes (09:15), and two or more with commas between (09:15, 13:30); leave other days blank. Closure days on the school calendar cut the sessions they fall on."</p>
                    {WEEKDAYS.iter().enumerate().map(|(i, (_, code, day))| view! {
                        <TextField id=format!("provision-time-{code}") label=format!("{day} start times") value=times[i]
                            error=error_for(problems, format!("provision-time-{code}"))/>
                    }).collect_view()}
                    <TextField id="provision-minutes" label="Minutes a session" value=minutes input_type="number"
                        error=error_for(problems, "provision-minutes")/>
                </fieldset>
                <TextField id="provision-starts" label="Start date" value=starts date=true
                    error=error_for(problems, "provision-starts") hint="For example, 07/09/2026"/>
                <TextField id="provision-ends" label="End date" value=ends date=true
                    error=error_for(problems, "provision-ends") hint="For example, 18/12/2026"/>
                <SelectField id="provision-funding" label="Funding" value=funding options=fundings
                    error=error_for(problems, "provision-funding")/>
                <CheckField id="provision-confidential" label="Confidential (for example, counselling)" checked=confidential/>
    {(!money_hidden).then(|| view! {
                <fieldset>
                    <legend>"Extra costs (resources, licences, invoices)"</legend>
                    {move || extras.get().into_iter().enumerate().map(|(i, row)| {
                        let n = i + 1;
                        view! {
                            <div class="repeat-row repeat-row--inline">
                                <TextField id=format!("extra-{n}-description") label=format!("Extra cost {n}: what") value=row.description
                                    error=error_for(problems, format!("extra-{n}-description"))/>
                                <TextField id=format!("extra-{n}-amount") label=format!("Extra cost {n}: amount in pounds") value=row.amount
                                    error=error_for(problems, format!("extra-{n}-amount"))/>
                                <TextField id=format!("extra-{n}-on") label=format!("Extra cost {n}: date") value=row.on date=true
                                    error=error_for(problems, format!("extra-{n}-on"))/>
                                <button type="button" class="button button--secondary"
                                    on:click=move |_| extras.update(|rows| { rows.remove(i); })>
                                    {format!("Remove extra cost {n}")}
                                </button>
                            </div>
                        }
                    }).collect_view()}
                    <button type="button" class="button button--secondary" on:click=move |_| {
                        extras.update(|rows| rows.push(ExtraRow::of(&ExtraCostText {
                            on: crate::domain::dates::format_uk(today()),
                            ..Default::default()
                        })));
                    }>"Add an extra cost"</button>
                </fieldset>
                })}
                <div class="button-group">
                    <button type="submit" class="button" disabled=move || saving.get()>
                        {if is_new { "Make provision" } else { "Save provision" }}
                    </button>
                    <a class="button button--secondary" href=cancel_href>"Cancel"</a>
                </div>
            </form>
        }
}
