//! First run: create the desk, then show the recovery key once and check it was kept.

use super::form::{after_paint, ErrorSummary, Problem, TextField};
use super::persistence::storage_persistence;
use super::shell::set_title;
use super::state::{use_app, Notice};
use crate::domain::dates::format_uk;
use crate::domain::Settings;
use crate::store::OpenDesk;
use crate::vault::{check_new_passphrase, strength_hint, KdfParams, RecoveryKey};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use zeroize::Zeroize;

/// What the recovery step needs: the key as shown, and which group to type back.
#[derive(Clone, PartialEq)]
pub(super) struct ShownKey {
    display: String,
    group_index: usize,
    group: String,
    school: String,
}

#[component]
pub fn CreateDesk() -> impl IntoView {
    let app = use_app();
    set_title("Create your desk");
    let shown: RwSignal<Option<ShownKey>> = RwSignal::new(None);
    let exists = app
        .with_store(|s| Ok(OpenDesk::exists(s)?))
        .unwrap_or(false);
    view! {
        // The step itself, or (from the reminder on every page) the key not yet confirmed.
        {move || match shown.get().or_else(|| app.pending_recovery.get()) {
            // Locked (by hand or auto-lock) while the key was shown: never leave it on screen.
            Some(_) if !app.is_unlocked() => {
                view! { <super::shell::GoTo path=app.href("/unlock")/> }.into_any()
            }
            Some(key) => view! {
                <RecoveryStep key=key
                    done="Your desk is ready. Add your first pupils from the Pupils page."/>
            }.into_any(),
            // A desk is here already: this page must never offer to replace it.
            None if exists => {
                let to = if app.is_unlocked() { "/" } else { "/unlock" };
                view! { <super::shell::GoTo path=app.href(to)/> }.into_any()
            }
            None => view! { <CreateForm shown=shown/> }.into_any(),
        }}
    }
}

#[component]
fn CreateForm(shown: RwSignal<Option<ShownKey>>) -> impl IntoView {
    let app = use_app();
    let school = RwSignal::new(String::new());
    let passphrase = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let school_error = RwSignal::new(None::<String>);
    let passphrase_error = RwSignal::new(None::<String>);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let name = Settings::validate_school_name(&school.get_untracked());
        let pass = check_new_passphrase(
            &passphrase.get_untracked(),
            &again.get_untracked(),
            &school.get_untracked(),
        );
        school_error.set(name.as_ref().err().cloned());
        passphrase_error.set(pass.as_ref().err().cloned());
        let mut list = Vec::new();
        if let Err(e) = &name {
            list.push(("school-name".to_string(), e.clone()));
        }
        if let Err(e) = &pass {
            list.push(("passphrase".to_string(), e.clone()));
        }
        problems.set(list);
        let Ok(name) = name else { return };
        if pass.is_err() {
            return;
        }
        busy.set(true);
        after_paint(move || {
            leptos::task::spawn_local(async move {
                let mut secret = passphrase.get_untracked();
                let created = app
                    .write_desk(|store| {
                        OpenDesk::create(
                            store,
                            Settings::new(&name),
                            &secret,
                            KdfParams::default(),
                            chrono::Utc::now(),
                        )
                    })
                    .await;
                secret.zeroize();
                busy.set(false);
                match created {
                    Ok((open, recovery)) => {
                        passphrase.set(String::new());
                        again.set(String::new());
                        app.session.set(Some(open));
                        // Asked at once, while the user has just acted; settings shows the answer.
                        storage_persistence(true, |_| {});
                        shown.set(Some(shown_key(&recovery, &name)));
                    }
                    Err(e) => problems.set(vec![(String::new(), e.to_string())]),
                }
            })
        });
    };

    let hint = move || {
        let p = passphrase.get();
        (!p.is_empty()).then(|| format!("Strength: {}", strength_hint(&p, &school.get())))
    };

    view! {
        <h1 tabindex="-1">"Create your desk"</h1>
        <p>"Senco Desk keeps your SEN records in this browser, encrypted with a passphrase only you know. Nothing is sent anywhere."</p>
        <p>"Moving to a new laptop or browser? "<a href=app.href("/restore")>"Restore from a backup"</a>" instead."</p>
        <ErrorSummary problems=problems/>
        <form on:submit=submit novalidate>
            <TextField id="school-name" label="School name" value=school
                error=school_error autocomplete="organization"/>
            <TextField id="passphrase" label="Passphrase" value=passphrase input_type="password"
                error=passphrase_error autocomplete="new-password"
                hint="At least 12 characters. A short sentence of unrelated words is strong and easy to remember."/>
            <p class="strength" aria-live="polite">{hint}</p>
            <TextField id="passphrase-again" label="Passphrase again" value=again
                input_type="password" autocomplete="new-password"/>
            <button type="submit" class="button" disabled=move || busy.get()>
                "Create desk"
            </button>
            <p role="status">
                {move || busy.get().then_some("Creating your desk. This takes a few seconds\u{2026}")}
            </p>
        </form>
    }
}

pub(super) fn shown_key(recovery: &RecoveryKey, school: &str) -> ShownKey {
    // Which group to type back: varies, so it cannot be skipped by habit.
    let group_index = 1 + (crate::vault::random_bytes::<1>()[0] as usize % 7);
    ShownKey {
        display: recovery.display(),
        group_index,
        group: recovery.group(group_index).to_string(),
        school: school.to_string(),
    }
}

const ORDINALS: [&str; 8] = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
];

/// Shows a new desk's recovery key once and checks one group of it was kept; then goes
/// home with `done` as the message.
#[component]
pub(super) fn RecoveryStep(key: ShownKey, #[prop(into)] done: String) -> impl IntoView {
    let app = use_app();
    let navigate = use_navigate();
    set_title("Your recovery key");
    let typed = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let ordinal = ORDINALS[key.group_index];
    let expected = key.group.clone();
    // Kept while this tab is unlocked, so the reminder can bring the SENCO back here.
    // (Not once confirmed: this step is drawn once more as the page is left.)
    if app.recovery_key_unconfirmed() && app.pending_recovery.get_untracked().as_ref() != Some(&key)
    {
        app.pending_recovery.set(Some(key.clone()));
    }
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let normalised: String = typed
            .get_untracked()
            .trim()
            .to_uppercase()
            .replace('O', "0")
            .replace(['I', 'L'], "1");
        if normalised == expected {
            let (navigate, done) = (navigate.clone(), done.clone());
            leptos::task::spawn_local(async move {
                if let Err(e) = app
                    .save(|open, store| open.confirm_recovery_key(store))
                    .await
                {
                    let message = format!("{e} Try again.");
                    error.set(Some(message.clone()));
                    problems.set(vec![("recovery-check".into(), message)]);
                    return;
                }
                // Leaving the page drops the key; clearing `shown` first would flash the form.
                app.notice.set(Some(Notice::info(done)));
                navigate(&app.href("/"), Default::default());
                app.pending_recovery.set(None);
            });
        } else {
            let message = format!(
                "That is not the {ordinal} group of your recovery key. Check the printed sheet and try again."
            );
            error.set(Some(message.clone()));
            problems.set(vec![("recovery-check".into(), message)]);
        }
    };
    let today = format_uk(chrono::Local::now().date_naive());
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <h1 tabindex="-1">"Your recovery key"</h1>
        <p>"If the passphrase is ever forgotten, this key is the only other way to open the desk. It is shown once. Print the emergency sheet or write the key down now, and keep it locked away, apart from the computer."</p>
        <section class="emergency-sheet" aria-labelledby="sheet-title">
            <h2 id="sheet-title">"Senco Desk emergency sheet"</h2>
            <dl>
                <dt>"School"</dt><dd>{key.school.clone()}</dd>
                <dt>"Made on"</dt><dd>{today}</dd>
                <dt>"Recovery key"</dt>
                <dd><code class="recovery-key" data-testid="recovery-key">{key.display.clone()}</code></dd>
            </dl>
            <p>"Keep this sheet in a locked cabinet or the school safe, not with the laptop. Anyone with this key and the laptop can read the records. To use it, type it into the unlock screen instead of the passphrase."</p>
        </section>
        <p><button type="button" class="button button--secondary" on:click=print>"Print emergency sheet"</button></p>
        <ErrorSummary problems=problems/>
        <form on:submit=confirm novalidate>
            <TextField id="recovery-check"
                label=format!("Type the {ordinal} group of your recovery key")
                hint=format!("The {ordinal} group of four characters, to check you have kept it.")
                value=typed error=error/>
            <button type="submit" class="button">"I have kept my recovery key"</button>
        </form>
    }
}
