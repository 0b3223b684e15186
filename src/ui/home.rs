//! The home page: the school's desk at a glance.

use super::shell::{set_title, Unlocked};
use super::state::use_app;
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
        <ul class="actions">
            <li><a href=app.href("/pupils")>"See and add pupils"</a></li>
            <li><a href=app.href("/settings")>"Settings: auto-lock, passphrase, recovery key and storage"</a></li>
        </ul>
        <h2>"Keeping records safe"</h2>
        <p>"Records are kept only in this browser, encrypted. A browser can clear its storage (Safari does after seven days without a visit), so keep a backup file on a USB stick: the backup file is the copy of record."</p>
    }
}
