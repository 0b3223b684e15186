//! Staff, rates and term dates (`/provision-setup`, reached from Settings): who delivers
//! provision and what an hour of their time costs, the notional SEN budget, whether money
//! shows at all, and the school's term dates (see term_dates.rs). Everything is saved in
//! the desk's sealed settings (`Settings.provision`).

use super::form::{error_for, CheckField, Problem, SelectField, TextField};
use super::plan_page::plan_form::focus_later;
use super::shell::{set_title, Unlocked};
use super::state::{use_app, AppState};
use crate::domain::provision::entry::{
    amount_for_editing, read_optional_rate, read_staff_name, read_threshold,
};
use crate::domain::provision::setup::{CostYearKind, ProvisionSetup};
use crate::domain::provision::staff::{StaffMember, StaffRole};
use leptos::prelude::*;

#[component]
pub fn ProvisionSetupPage() -> impl IntoView {
    view! { <Unlocked><ProvisionSetupScreen/></Unlocked> }
}

/// Changes the set-up and saves it with the settings, after checking the whole set-up as
/// a backup's would be checked. On any failure nothing is saved.
pub(super) async fn save_setup<T: 'static>(
    app: AppState,
    change: impl FnOnce(&mut ProvisionSetup) -> Result<T, String>,
) -> Result<T, String> {
    let Some(mut settings) = app.settings() else {
        return Err("The desk is locked: unlock it and try again.".into());
    };
    let value = change(&mut settings.provision)?;
    settings
        .provision
        .check()
        .map_err(|e| format!("Not saved: {e}."))?;
    app.save(move |open, store| open.save_settings(store, settings))
        .await
        .map_err(|e| e.to_string())?;
    Ok(value)
}

/// The set-up as saved, for every part of the page to read.
fn saved_setup(app: AppState) -> Memo<ProvisionSetup> {
    Memo::new(move |_| app.settings().map(|s| s.provision).unwrap_or_default())
}

/// A form-wide problem (storage full, another tab), said beside the form's button.
pub(super) fn form_error(message: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! {
                <p class="field-error" role="alert"><span class="visually-hidden">"Error: "</span>{m}</p>
            }
        })
    }
}

fn role_code(role: StaffRole) -> &'static str {
    match role {
        StaffRole::TeachingAssistant => "teaching-assistant",
        StaffRole::Hlta => "hlta",
        StaffRole::Teacher => "teacher",
        StaffRole::Senco => "senco",
        StaffRole::External => "external",
    }
}

fn role_of(code: &str) -> Option<StaffRole> {
    StaffRole::ALL.into_iter().find(|r| role_code(*r) == code)
}

#[component]
fn ProvisionSetupScreen() -> impl IntoView {
    set_title("Staff, rates and term dates");
    let app = use_app();
    let setup = saved_setup(app);
    view! {
        <p><a href=app.href("/settings")>"Back to settings"</a></p>
        <h1 tabindex="-1">"Staff, rates and term dates"</h1>
        <p class="lead">"Set these up once: provisions name the staff who deliver them, their costs come from the rates here, and every count of weeks comes from the term dates."</p>
        <StaffSection setup=setup/>
        <RoleRatesSection setup=setup/>
        <BudgetSection setup=setup/>
        <MoneySection setup=setup/>
        <super::term_dates::TermDatesSection setup=setup/>
    }
}

/// What money is hidden says in its place.
fn money_hidden_note() -> impl IntoView {
    view! {
        <p class="hint">"Money is hidden from screens and prints. To see or change amounts, untick \u{201c}Hide all money from screens and prints\u{201d} below."</p>
    }
}

#[component]
fn StaffSection(setup: Memo<ProvisionSetup>) -> impl IntoView {
    let app = use_app();
    let hidden = move || setup.with(|s| s.hide_money);
    // The person the form edits: None adds someone new.
    let editing = RwSignal::new(None::<StaffMember>);
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(role_code(StaffRole::TeachingAssistant).to_string());
    let rate = RwSignal::new(String::new());
    let left = RwSignal::new(false);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let failed = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    let clear = move || {
        editing.set(None);
        name.set(String::new());
        role.set(role_code(StaffRole::TeachingAssistant).to_string());
        rate.set(String::new());
        left.set(false);
        problems.set(Vec::new());
        failed.set(None);
    };
    let edit = move |member: StaffMember| {
        name.set(member.name.clone());
        role.set(role_code(member.role).to_string());
        rate.set(member.hourly.map(amount_for_editing).unwrap_or_default());
        left.set(member.left);
        editing.set(Some(member));
        problems.set(Vec::new());
        failed.set(None);
        saved.set(None);
        focus_later("staff-name".into());
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        failed.set(None);
        let mut list = Vec::new();
        let read_name = read_staff_name(&name.get_untracked())
            .map_err(|e| list.push(("staff-name".to_string(), e)));
        let chosen_role = role_of(&role.get_untracked());
        if chosen_role.is_none() {
            list.push(("staff-role".into(), "Choose the person's role".into()));
        }
        let before = editing.get_untracked();
        // With money hidden the rate is not shown, so it is kept as it was.
        let hourly = if setup.with_untracked(|s| s.hide_money) {
            Ok(before.as_ref().and_then(|m| m.hourly))
        } else {
            read_optional_rate(&rate.get_untracked())
                .map_err(|e| list.push(("staff-rate".to_string(), e)))
        };
        let (Ok(read_name), Some(chosen_role), Ok(hourly), true) =
            (read_name, chosen_role, hourly, list.is_empty())
        else {
            if let Some((first, _)) = list.first() {
                focus_later(first.clone());
            }
            problems.set(list);
            return;
        };
        problems.set(Vec::new());
        let adding = before.is_none();
        let member = StaffMember {
            id: before
                .map(|m| m.id)
                .unwrap_or_else(|| crate::vault::to_hex(&crate::vault::random_bytes::<8>())),
            name: read_name.clone(),
            role: chosen_role,
            hourly,
            left: !adding && left.get_untracked(),
        };
        leptos::task::spawn_local_scoped(async move {
            match save_setup(app, move |s| s.put_staff(member).map_err(|e| e.to_string())).await {
                Ok(()) => {
                    clear();
                    saved.set(Some(if adding {
                        format!("Added {read_name}.")
                    } else {
                        format!("Saved the changes to {read_name}.")
                    }));
                }
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    let role_options: Vec<(String, String)> = StaffRole::ALL
        .into_iter()
        .map(|r| (role_code(r).to_string(), r.label().to_string()))
        .collect();
    view! {
        <section aria-labelledby="staff-title" class="card">
            <h2 id="staff-title">"Staff who deliver provision"</h2>
            {move || {
                let setup = setup.get();
                if setup.staff.is_empty() {
                    return view! { <p>"No staff yet: add the people who deliver provision below."</p> }.into_any();
                }
                let show_money = !setup.hide_money;
                view! {
                    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="staff-table-caption">
                    <table class="table">
                        <caption id="staff-table-caption">"Staff who deliver provision"</caption>
                        <thead><tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Role"</th>
                            {show_money.then(|| view! {
                                <th scope="col">"Own rate an hour"</th>
                                <th scope="col">"Rate used"</th>
                            })}
                            <th scope="col">"Delivering provision"</th>
                            <th scope="col"><span class="visually-hidden">"Change"</span></th>
                        </tr></thead>
                        <tbody>
                            {setup.staff.iter().map(|member| {
                                let used = setup.rates.hourly(member).map_or_else(
                                    || "Not set".to_string(),
                                    |p| if member.hourly.is_some() { p.to_string() } else { format!("{p} (role rate)") });
                                let own = member.hourly.map_or_else(|| "None".to_string(), |p| p.to_string());
                                let for_edit = member.clone();
                                view! {
                                    <tr>
                                        <th scope="row">{member.name.clone()}</th>
                                        <td>{member.role.label()}</td>
                                        {show_money.then(|| view! { <td>{own}</td><td>{used}</td> })}
                                        <td>{if member.left { "No longer" } else { "Yes" }}</td>
                                        <td>
                                            <button type="button" class="button button--link"
                                                aria-label=format!("Edit {}", member.name)
                                                on:click=move |_| edit(for_edit.clone())>"Edit"</button>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
            <h3 id="staff-form-title">{move || editing.with(|e| match e {
                Some(m) => format!("Edit {}", m.name),
                None => "Add a member of staff".to_string(),
            })}</h3>
            <form on:submit=submit novalidate aria-labelledby="staff-form-title">
                <TextField id="staff-name" label="Name" value=name autocomplete="off"
                    error=error_for(problems, "staff-name")/>
                <SelectField id="staff-role" label="Role" value=role options=role_options
                    error=error_for(problems, "staff-role")/>
                <Show when=move || !hidden() fallback=money_hidden_note>
                    <TextField id="staff-rate" label="Their own rate an hour, in pounds (optional)" value=rate
                        hint="Such as 14.37. Leave blank to use the rate for their role."
                        error=error_for(problems, "staff-rate")/>
                </Show>
                <Show when=move || editing.with(Option::is_some)>
                    <CheckField id="staff-left" label="No longer delivers provision (kept, so older provisions still show who delivered them and what they cost)" checked=left/>
                </Show>
                {form_error(failed)}
                <div class="button-group">
                    <button type="submit" class="button">{move || if editing.with(Option::is_some) { "Save changes" } else { "Add member of staff" }}</button>
                    <Show when=move || editing.with(Option::is_some)>
                        <button type="button" class="button button--secondary" on:click=move |_| clear()>"Cancel"</button>
                    </Show>
                </div>
                <p role="status">{move || saved.get()}</p>
            </form>
        </section>
    }
}

#[component]
fn RoleRatesSection(setup: Memo<ProvisionSetup>) -> impl IntoView {
    let app = use_app();
    let initial = setup.get_untracked();
    let fields: StoredValue<Vec<(StaffRole, RwSignal<String>)>> = StoredValue::new(
        StaffRole::ALL
            .into_iter()
            .map(|r| {
                let text = initial
                    .rates
                    .0
                    .get(&r)
                    .map(|p| amount_for_editing(*p))
                    .unwrap_or_default();
                (r, RwSignal::new(text))
            })
            .collect(),
    );
    let problems = RwSignal::new(Vec::<Problem>::new());
    let failed = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        failed.set(None);
        let mut list = Vec::new();
        let mut rates = std::collections::BTreeMap::new();
        for (role, text) in fields.get_value() {
            match read_optional_rate(&text.get_untracked()) {
                Ok(Some(rate)) => {
                    rates.insert(role, rate);
                }
                Ok(None) => {}
                Err(e) => list.push((format!("rate-{}", role_code(role)), e)),
            }
        }
        if let Some((first, _)) = list.first() {
            focus_later(first.clone());
            problems.set(list);
            return;
        }
        problems.set(Vec::new());
        leptos::task::spawn_local_scoped(async move {
            match save_setup(app, move |s| {
                s.rates.0 = rates;
                Ok(())
            })
            .await
            {
                Ok(()) => saved.set(Some("Saved the rates for each role.")),
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="rates-title" class="card">
            <h2 id="rates-title">"Rates an hour for each role"</h2>
            <Show when=move || !setup.with(|s| s.hide_money) fallback=money_hidden_note>
                <p>"A person's own rate, where set, is used instead. Leave a role blank if the school has no rate for it: a provision's cost is then shown as not known, never guessed."</p>
                <form on:submit=submit novalidate>
                    {fields.get_value().into_iter().map(|(role, text)| {
                        let id = format!("rate-{}", role_code(role));
                        view! {
                            <TextField id=id.clone() label=format!("{}, pounds an hour (optional)", role.label())
                                value=text error=error_for(problems, id)/>
                        }
                    }).collect_view()}
                    {form_error(failed)}
                    <button type="submit" class="button">"Save role rates"</button>
                    <p role="status">{move || saved.get()}</p>
                </form>
            </Show>
        </section>
    }
}

#[component]
fn BudgetSection(setup: Memo<ProvisionSetup>) -> impl IntoView {
    let app = use_app();
    let initial = setup.get_untracked();
    let threshold = RwSignal::new(amount_for_editing(initial.threshold));
    let financial = RwSignal::new(initial.cost_year == CostYearKind::Financial);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let failed = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        failed.set(None);
        let hidden = setup.with_untracked(|s| s.hide_money);
        let amount = if hidden {
            Ok(setup.with_untracked(|s| s.threshold))
        } else {
            read_threshold(&threshold.get_untracked())
        };
        let amount = match amount {
            Ok(amount) => amount,
            Err(e) => {
                problems.set(vec![("budget-threshold".into(), e)]);
                focus_later("budget-threshold".into());
                return;
            }
        };
        problems.set(Vec::new());
        let kind = if financial.get_untracked() {
            CostYearKind::Financial
        } else {
            CostYearKind::School
        };
        leptos::task::spawn_local_scoped(async move {
            match save_setup(app, move |s| {
                s.threshold = amount;
                s.cost_year = kind;
                Ok(())
            })
            .await
            {
                Ok(()) => saved.set(Some("Saved the notional SEN budget settings.")),
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    let year_choice = move |value: bool, id: &'static str, label: &'static str| {
        view! {
            <div class="choice">
                <input type="radio" autocomplete="off" id=id name="cost-year"
                    prop:checked=move || financial.get() == value
                    on:change=move |_| financial.set(value)/>
                <label for=id>{label}</label>
            </div>
        }
    };
    view! {
        <section aria-labelledby="budget-title" class="card">
            <h2 id="budget-title">"Notional SEN budget"</h2>
            <p>"Pupils whose provision costs 75% or more of the threshold in a year are listed, so the school can see who may need top-up funding."</p>
            <form on:submit=submit novalidate>
                <Show when=move || !setup.with(|s| s.hide_money) fallback=money_hidden_note>
                    <TextField id="budget-threshold" label="Threshold a pupil a year, in pounds" value=threshold
                        hint="£6,000.00 unless your local authority sets another amount."
                        error=error_for(problems, "budget-threshold")/>
                </Show>
                <fieldset class="choices">
                    <legend>"Count costs over"</legend>
                    {year_choice(false, "cost-year-school", "The school year (September to August)")}
                    {year_choice(true, "cost-year-financial", "The financial year (April to March)")}
                </fieldset>
                {form_error(failed)}
                <button type="submit" class="button">"Save budget settings"</button>
                <p role="status">{move || saved.get()}</p>
            </form>
        </section>
    }
}

#[component]
fn MoneySection(setup: Memo<ProvisionSetup>) -> impl IntoView {
    let app = use_app();
    let hide = RwSignal::new(setup.get_untracked().hide_money);
    let failed = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        failed.set(None);
        let on = hide.get_untracked();
        leptos::task::spawn_local_scoped(async move {
            match save_setup(app, move |s| {
                s.hide_money = on;
                Ok(())
            })
            .await
            {
                Ok(()) => saved.set(Some(if on {
                    "Saved. Money is hidden from screens and prints."
                } else {
                    "Saved. Money shows where provision costs are shown."
                })),
                Err(e) => failed.set(Some(e)),
            }
        });
    };
    view! {
        <section aria-labelledby="money-title" class="card">
            <h2 id="money-title">"Money on screens and prints"</h2>
            <p>"Costs and rates are sensitive. Hidden, no rate, cost or threshold shows on any screen or print, this page included; hours and sessions still show."</p>
            <form on:submit=submit novalidate>
                <CheckField id="hide-money" label="Hide all money from screens and prints" checked=hide/>
                {form_error(failed)}
                <button type="submit" class="button">"Save money setting"</button>
                <p role="status">{move || saved.get()}</p>
            </form>
        </section>
    }
}
