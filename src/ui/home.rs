//! The home page: the school's desk at a glance.

use super::clock::{date_and_time, days_ago};
use super::form::today;
use super::shell::{set_title, Unlocked};
use super::state::Notice;
use super::state::{use_app, AppState};
use crate::backup::BackupDue;
use crate::domain::dates::format_uk;
use crate::domain::due::{dismiss, what_is_due_named, DueKind, DISMISS_DAYS};

type Labels = std::collections::HashMap<crate::domain::PupilId, String>;
use crate::domain::text::{count, thousands};
use leptos::prelude::*;

#[component]
pub fn Home() -> impl IntoView {
    view! { <Unlocked summaries_enough=true><HomePage/></Unlocked> }
}

#[component]
fn HomePage() -> impl IntoView {
    let app = use_app();
    set_title("Home");
    // Pupils' names as the lists show them, made once for both of the home screen's lists.
    let labels = Memo::new(move |_| {
        app.session.with(|s| {
            s.as_ref()
                .map(|open| {
                    super::perf::measure("senco:home-labels", || {
                        open.desk
                            .name_labels(crate::domain::names::NameOrder::KnownAs)
                    })
                })
                .unwrap_or_default()
        })
    });
    let count = move || {
        app.session
            .with(|s| s.as_ref().map_or(0, |o| o.desk.pupil_count()))
    };
    let damaged = move || {
        app.session.with(|s| {
            s.as_ref()
                .map(|o| {
                    o.desk
                        .damaged
                        .iter()
                        .map(|d| d.name.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <h1 tabindex="-1">"Home"</h1>
        <super::integrity::IntegrityPanel/>
        {move || {
            let names = damaged();
            (!names.is_empty()).then(|| view! {
                <div class="notice notice--error">
                    <h2>"Pupil files that could not be opened"</h2>
                    <p>"These files are damaged. Everything else opened normally. Restore them from your latest backup file."</p>
                    <ul>{names.into_iter().map(|name| view! { <li>{name}</li> }).collect_view()}</ul>
                </div>
            })
        }}
        <p class="lead">
            {move || match count() {
                0 => "There are no pupils on the desk yet.".to_string(),
                1 => "1 pupil is on the desk.".to_string(),
                n => format!("{n} pupils are on the desk."),
            }}
        </p>
        <BackupStatus/>
        <p><a class="button" href=super::contact_log::new_entry_href(app, None)>"Log a contact"</a></p>
        <WhatIsDue labels=labels/>
        <ProvisionDue labels=labels/>
        <h2>"Go to"</h2>
        <ul class="actions">
            <li><a href=app.href("/pupils")>"The SEN register: see, find and add pupils"</a></li>
            <li><a href=app.href("/provisions")>"Provision: interventions, who is in them, what they cost and whether they work"</a></li>
            <li><a href=app.href("/provision-map")>"The provision map for a class or year group"</a></li>
            <li><a href=app.href("/log")>"The contact log: every conversation with parents, staff and professionals"</a></li>
            <li><a href=app.href("/agencies")>"Agencies: the directory, traded time and chasing referrals"</a></li>
            <li><a href=app.href("/library")>"The strategy and outcome library for plans and passports"</a></li>
            <li><a href=app.href("/passports")>"Print pupil passports for a class or year group"</a></li>
            <li><a href=app.href("/import")>"Import the roll from your MIS"</a></li>
            <li><a href=app.href("/backups")>"Download a backup, or restore or merge one"</a></li>
            <li><a href=app.href("/settings")>"Settings: auto-lock, passphrase, recovery key and storage"</a></li>
        </ul>
        <h2>"Keeping records safe"</h2>
        <p>"Records are kept only in this browser, encrypted. A browser can clear its storage (Safari does after seven days without a visit), so keep a backup file on a USB stick: the backup file is the copy of record."</p>
    }
}

/// When the last backup was made, and a calm reminder when one is due.
#[component]
fn BackupStatus() -> impl IntoView {
    let app = use_app();
    let status = move || {
        app.session.with(|s| {
            let open = s.as_ref()?;
            let log = open.backup_log();
            let last = match log.latest() {
                None => "No backup has been made from this browser yet.".to_string(),
                Some(latest) => format!(
                    "Last backup: {} ({}).",
                    date_and_time(latest.made),
                    days_ago(latest.made)
                ),
            };
            let has_records = open.desk.pupil_count() > 0;
            let due = log
                .due(chrono::Utc::now(), open.generation(), has_records)
                .map(|due| match due {
                    BackupDue::Never => "Download a backup now and keep it on a USB stick.".to_string(),
                    BackupDue::Days(days) => {
                        format!("It is {days} days old and records have changed since: time for a new one.")
                    }
                    BackupDue::Changes(changes) => format!(
                        "{} changes have been saved since: time for a new one.",
                        thousands(changes as usize)
                    ),
                });
            Some((last, due))
        })
    };
    view! {
        {move || status().map(|(last, due)| match due {
            None => view! { <p data-testid="backup-status">{last}</p> }.into_any(),
            Some(due) => view! {
                <div class="notice notice--warning" data-testid="backup-status">
                    <p>{last}" "{due}</p>
                    <p><a href=app.href("/backups")>"Go to Backups"</a></p>
                </div>
            }.into_any(),
        })}
    }
}

/// How many items each list shows before "Show all".
const SHORT_LIST: usize = 5;

/// The lists of what is due: reviews, missing plans, old drafts, parent meetings and old
/// concerns, each most urgent first, each item dismissable for a week.
#[component]
fn WhatIsDue(labels: Memo<Labels>) -> impl IntoView {
    let app = use_app();
    let lists = Memo::new(move |_| {
        labels.with(|labels| {
            app.session.with(|s| {
                s.as_ref()
                    .map(|open| {
                        super::perf::measure("senco:due-lists", || {
                            what_is_due_named(
                                &open.desk,
                                today(),
                                &open.desk.settings.dismissed,
                                labels,
                            )
                        })
                    })
                    .unwrap_or_default()
            })
        })
    });
    let expanded = RwSignal::new(Vec::<DueKind>::new());
    // The button has gone: keep the keyboard in the same list.
    let dismiss_item =
        move |kind: DueKind, key: String| dismiss_for_a_week(app, key, list_id(kind));
    view! {
        <section aria-labelledby="due-title" class="due">
            <h2 id="due-title">"What is due"</h2>
            {move || {
                let lists = lists.get();
                if lists.iter().all(|l| l.items.is_empty() && l.dismissed == 0) {
                    return view! { <p>"Nothing is due: no reviews in the next 14 days, no pupils waiting for a plan, and no old drafts or concerns."</p> }.into_any();
                }
                lists.into_iter().filter(|l| !l.items.is_empty() || l.dismissed > 0).map(|list| {
                    let kind = list.kind;
                    let total = list.items.len();
                    let open = expanded.with(|e| e.contains(&kind));
                    let shown = if open { total } else { total.min(SHORT_LIST) };
                    view! {
                        <h3 id=list_id(kind) tabindex="-1">{format!("{} ({total})", kind.heading())}</h3>
                        {(total > 0).then(|| view! {
                            <ul class="due-list">
                                {list.items.into_iter().take(shown).map(|item| {
                                    let href = match item.cycle {
                                        _ if kind.is_ehc() => super::ehc::case_href(app, &item.pupil),
                                        _ if item.entry.is_some() => super::contact_log::entry_href(app, item.entry.as_deref().unwrap_or_default()),
                                        _ if item.referral.is_some() => super::referral_page::referral_href(app, &item.pupil, item.referral.as_deref().unwrap_or_default()),
                                        Some(cycle) => super::plan_page::plan_href(app, &item.pupil, cycle),
                                        None => app.href(&format!("/pupil?id={}", item.pupil.0)),
                                    };
                                    let label = format!("Dismiss for a week: {}, {}", item.name, item.detail);
                                    let key = item.key.clone();
                                    view! {
                                        <li>
                                            <a href=href>{item.name.clone()}</a>": "{item.detail.clone()}" "
                                            <button type="button" class="button button--link" aria-label=label
                                                on:click=move |_| dismiss_item(kind, key.clone())>"Dismiss for a week"</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        })}
                        {(total > SHORT_LIST).then(|| view! {
                            <p><button type="button" class="button button--link" aria-expanded=if open { "true" } else { "false" }
                                on:click=move |_| expanded.update(|e| if open { e.retain(|k| *k != kind) } else { e.push(kind) })>
                                {if open { format!("Show the first {SHORT_LIST}") } else { format!("Show all {total}") }}
                            </button></p>
                        })}
                        {(list.dismissed > 0).then(|| view! {
                            <p class="hint">{format!("{} dismissed for a week.", count(list.dismissed, "item"))}</p>
                        })}
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
}

/// Hides a home-screen item for a week (saved with the settings), says until when, and
/// moves focus to `focus` (the list it was in), since its button has gone.
fn dismiss_for_a_week(app: AppState, key: String, focus: String) {
    let Some(mut settings) = app.settings() else {
        return;
    };
    settings.dismissed = dismiss(&settings.dismissed, &key, today());
    leptos::task::spawn_local_scoped(async move {
        match app
            .save(move |open, store| open.save_settings(store, settings))
            .await
        {
            Ok(()) => {
                app.notice.set(Some(Notice::info(format!(
                    "Dismissed for a week. It comes back on {} if it is still due.",
                    format_uk(today() + chrono::Days::new(DISMISS_DAYS))
                ))));
                super::plan_page::plan_form::focus_later(focus);
            }
            Err(e) => app.notice.set(Some(Notice::error(e.to_string()))),
        }
    });
}

fn list_id(kind: DueKind) -> String {
    format!(
        "due-{}",
        DueKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
    )
}

/// What is due about provision: exit measures to take, sessions to record, pupils on SEN
/// support with no provision this term. Each item dismissable for a week.
#[component]
fn ProvisionDue(labels: Memo<Labels>) -> impl IntoView {
    use crate::domain::provision::due::ProvisionDueKind;
    let app = use_app();
    let due = Memo::new(move |_| {
        app.session.with(|s| {
            // Provisions open with the full files, after Home shows: the list comes then.
            s.as_ref().filter(|open| open.is_fully_open()).map(|open| {
                super::perf::measure("senco:provision-due", || {
                    let (items, hidden) = app
                        .provision_due
                        .try_update_value(|c| {
                            c.due(&open.desk, today(), &open.desk.settings.dismissed)
                        })
                        .unwrap_or_default();
                    let named: Vec<_> = labels.with(|labels| {
                        items
                            .into_iter()
                            .map(|item| {
                                let name = item.pupil.as_ref().and_then(|p| labels.get(p).cloned());
                                (item, name)
                            })
                            .collect()
                    });
                    let dates = open
                        .desk
                        .settings
                        .provision
                        .calendar
                        .year_of(today())
                        .is_some();
                    (named, hidden, open.desk.provision_count(), dates)
                })
            })
        })
    });
    let expanded = RwSignal::new(Vec::<ProvisionDueKind>::new());
    let dismiss_item =
        move |key: String| dismiss_for_a_week(app, key, "provision-due-title".into());
    move || {
        let (items, hidden, provisions, dates) = due.get()?;
        if items.is_empty() && hidden == 0 && provisions == 0 {
            return None;
        }
        Some(view! {
            <section aria-labelledby="provision-due-title" class="due">
                <h2 id="provision-due-title" tabindex="-1">"Provision"</h2>
                {(!dates).then(|| view! {
                    <p>"This school year's term dates are not entered, so sessions not recorded and pupils with no provision this term cannot be checked. "
                    <a href=app.href("/provision-setup")>"Enter term dates"</a></p>
                })}
                {if items.is_empty() {
                    view! { <p>"Nothing is due about provision."</p> }.into_any()
                } else {
                    ProvisionDueKind::ALL.into_iter().filter_map(|kind| {
                        let list: Vec<_> = items.iter().filter(|(i, _)| i.kind == kind).cloned().collect();
                        let total = list.len();
                        let open = expanded.with(|e| e.contains(&kind));
                        let shown = if open { total } else { total.min(SHORT_LIST) };
                        (!list.is_empty()).then(|| view! {
                            <h3>{format!("{} ({total})", kind.heading())}</h3>
                            <ul class="due-list">
                                {list.into_iter().take(shown).map(|(item, name)| {
                                    let (href, text) = match (&item.provision, &item.pupil) {
                                        (Some(id), _) => (super::provisions::provision_href(app, id), item.detail.clone()),
                                        (None, Some(pupil)) => (
                                            app.href(&format!("/pupil?id={}", pupil.0)),
                                            format!("{}: {}", name.clone().unwrap_or_default(), item.detail),
                                        ),
                                        (None, None) => (app.href("/provisions"), item.detail.clone()),
                                    };
                                    let key = item.key();
                                    let label = format!("Dismiss for a week: {text}");
                                    view! {
                                        <li>
                                            <a href=href>{text}</a>" "
                                            <button type="button" class="button button--link" aria-label=label
                                                on:click=move |_| dismiss_item(key.clone())>"Dismiss for a week"</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {(total > SHORT_LIST).then(|| view! {
                                <p><button type="button" class="button button--link" aria-expanded=if open { "true" } else { "false" }
                                    on:click=move |_| expanded.update(|e| if open { e.retain(|k| *k != kind) } else { e.push(kind) })>
                                    {if open { format!("Show the first {SHORT_LIST}") } else { format!("Show all {total}") }}
                                </button></p>
                            })}
                        })
                    }).collect_view().into_any()
                }}
                {(hidden > 0).then(|| view! {
                    <p class="hint">{format!("{} dismissed for a week.", count(hidden, "item"))}</p>
                })}
            </section>
        })
    }
}
