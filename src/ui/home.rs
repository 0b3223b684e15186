//! The home page: the school's desk at a glance.

use super::clock::{date_and_time, days_ago};
use super::shell::{set_title, Unlocked};
use super::state::use_app;
use crate::backup::BackupDue;
use crate::domain::text::thousands;
use leptos::prelude::*;

#[component]
pub fn Home() -> impl IntoView {
    view! { <Unlocked><HomePage/></Unlocked> }
}

#[component]
fn HomePage() -> impl IntoView {
    let app = use_app();
    set_title("Home");
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
        <ul class="actions">
            <li><a href=app.href("/pupils")>"The SEN register: see, find and add pupils"</a></li>
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
