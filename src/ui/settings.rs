//! Settings: auto-lock, passphrase, recovery key, storage use and persistence.

use super::form::{after_paint_async, CheckField, ErrorSummary, Problem, TextField};
use super::kdf_worker::InWorker;
use super::persistence::storage_persistence;
use super::shell::{set_title, Unlocked};
use super::state::{use_app, Notice};
use crate::domain::dates::format_uk;
use crate::domain::Settings;
use crate::store::{storage_used, LOCAL_STORAGE_QUOTA_UNITS};
use crate::store::{DeskStoreError, KeysChanged};
use crate::vault::{check_new_passphrase, strength_hint, KdfParams, KeyChange, VaultError};
use leptos::prelude::*;
use zeroize::Zeroize;

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! { <Unlocked><SettingsSections/></Unlocked> }
}

#[component]
fn SettingsSections() -> impl IntoView {
    set_title("Settings");
    view! {
        <h1 tabindex="-1">"Settings"</h1>
        <ProvisionSetupLink/>
        <EhcSetting/>
        <AutoLockSetting/>
        <SpellCheckSetting/>
        <PassportNeedsSetting/>
        <ChangePassphrase/>
        <NewRecoveryKey/>
        <StorageUse/>
        <super::files_storage::FilesStorage/>
        <RecentBackups/>
        <super::integrity::AcceptedLosses/>
    }
}

/// The way to the provision set-up, a page of its own.
#[component]
fn ProvisionSetupLink() -> impl IntoView {
    let app = use_app();
    view! {
        <section aria-labelledby="provision-setup-title">
            <h2 id="provision-setup-title">"Provision"</h2>
            <p>"The staff who deliver provision and their rates, the notional SEN budget, whether money shows, and the school's term dates."</p>
            <p><a href=app.href("/provision-setup")>"Staff, rates and term dates"</a></p>
        </section>
    }
}

/// EHC reviews: the school's lead times before a meeting, the year groups its pupils leave
/// from (phase transfers), and whether EHC pupils also have termly support plans.
#[component]
fn EhcSetting() -> impl IntoView {
    use crate::domain::settings::EhcSettings;
    use crate::ui::form::{error_for, CheckField, ErrorSummary, Problem};
    let app = use_app();
    let current = app.settings().map(|s| s.ehc).unwrap_or_default();
    let advice = RwSignal::new(current.lead.advice_weeks.to_string());
    let invite = RwSignal::new(current.lead.invite_weeks.to_string());
    let papers = RwSignal::new(current.lead.papers_weeks.to_string());
    let leaving = RwSignal::new(
        current
            .transfer_years
            .leaving
            .iter()
            .map(|y| match y {
                crate::domain::YearGroup::Year(n) => n.to_string(),
                other => other.code(),
            })
            .collect::<Vec<_>>()
            .join(", "),
    );
    let termly = RwSignal::new(current.termly_plans);
    let problems: RwSignal<Vec<Problem>> = RwSignal::new(Vec::new());
    let saved = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let ehc = match EhcSettings::from_text(
            &advice.get_untracked(),
            &invite.get_untracked(),
            &papers.get_untracked(),
            &leaving.get_untracked(),
            termly.get_untracked(),
        ) {
            Ok(ehc) => ehc,
            Err(found) => return problems.set(found),
        };
        let Some(mut settings) = app.settings() else {
            return;
        };
        settings.ehc = ehc;
        leptos::task::spawn_local_scoped(async move {
            match app
                .save(move |open, store| open.save_settings(store, settings))
                .await
            {
                Ok(()) => {
                    problems.set(Vec::new());
                    saved.set(Some(
                        "Saved. Every EHC review's checklist now uses these.".into(),
                    ));
                }
                Err(e) => problems.set(vec![(String::new(), e.to_string())]),
            }
        })
    };
    view! {
        <section aria-labelledby="ehc-settings-title">
            <h2 id="ehc-settings-title">"EHC reviews"</h2>
            <form on:submit=submit novalidate>
                <ErrorSummary problems=problems/>
                <TextField id="ehc-advice-weeks" label="Weeks before the meeting to ask professionals for advice" value=advice
                    input_type="number" error=error_for(problems, "ehc-advice-weeks")/>
                <TextField id="ehc-invite-weeks" label="Weeks before the meeting to invite everyone" value=invite
                    input_type="number" error=error_for(problems, "ehc-invite-weeks") hint="At least 2: the regulations require 2 weeks' notice."/>
                <TextField id="ehc-papers-weeks" label="Weeks before the meeting to send the papers" value=papers
                    input_type="number" error=error_for(problems, "ehc-papers-weeks") hint="At least 2."/>
                <TextField id="ehc-transfer-years" label="Year groups pupils leave this school from" value=leaving
                    error=error_for(problems, "ehc-transfer-years")
                    hint="For phase transfer deadlines, separated by commas: 6, 11 for most schools; 2 for an infant school; the years a middle school takes pupils in or sends them on; N2 or R for a nursery."/>
                <CheckField id="ehc-termly-plans" label="We also write termly SEN support plans for pupils with an EHC plan" checked=termly/>
                <button type="submit" class="button">"Save EHC settings"</button>
                <p role="status">{move || saved.get()}</p>
            </form>
        </section>
    }
}

#[component]
fn AutoLockSetting() -> impl IntoView {
    let app = use_app();
    let current = app.settings().map_or(10, |s| s.auto_lock_minutes);
    let minutes = RwSignal::new(current.to_string());
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let value = match Settings::parse_auto_lock_minutes(&minutes.get_untracked()) {
            Ok(value) => value,
            Err(e) => return error.set(Some(e)),
        };
        let Some(mut settings) = app.settings() else {
            return;
        };
        settings.auto_lock_minutes = value;
        leptos::task::spawn_local_scoped(async move {
            match app
                .save(move |open, store| open.save_settings(store, settings))
                .await
            {
                Ok(()) => {
                    error.set(None);
                    saved.set(Some(format!(
                        "Saved. The desk now locks after {value} minute{} without use.",
                        if value == 1 { "" } else { "s" }
                    )));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };
    view! {
        <section aria-labelledby="auto-lock-title">
            <h2 id="auto-lock-title">"Auto-lock"</h2>
            <form on:submit=submit novalidate>
                <TextField id="auto-lock" label="Lock after this many minutes without use"
                    value=minutes error=error input_type="number"
                    hint="From 1 to 120. Shorter is safer on a shared or portable computer."/>
                <button type="submit" class="button">"Save auto-lock"</button>
                <p role="status">{move || saved.get()}</p>
            </form>
        </section>
    }
}

/// Spell check in long text boxes: off unless the school chooses it, knowing the risk.
#[component]
fn SpellCheckSetting() -> impl IntoView {
    view! {
        <ChoiceSetting
            title="Spell check"
            field_id="spell-check"
            label="Check spelling in long text boxes"
            button="Save spell check"
            read=|s| s.spell_check_long_text
            write=|s, on| s.spell_check_long_text = on
            said=|on| if on {
                "Saved. Long text boxes are spell checked by this browser from the next page you open."
            } else {
                "Saved. Spell check is off in every text box from the next page you open."
            }>
            <p>"Spell check is off in every box, because some browsers' spell checkers send what is typed to a cloud service: Chrome's enhanced spell check and Microsoft Editor in Edge do. The basic spell checkers built into Chrome, Edge, Firefox and Safari check on this computer and send nothing."</p>
            <p>"Turn it on only if this browser's enhanced spell check or Editor is switched off (in the browser's own settings, under languages or spelling). It applies to long text boxes (concerns, notes, plans, reviews, passports), never to names, dates or passphrases."</p>
        </ChoiceSetting>
    }
}

/// Whether printed passports list the pupil's needs (in plain words), kept in the desk's
/// sealed settings.
#[component]
fn PassportNeedsSetting() -> impl IntoView {
    view! {
        <ChoiceSetting
            title="Printed passports"
            field_id="passports-without-needs"
            label="Leave needs out of printed passports"
            button="Save passport setting"
            read=|s| s.passports_without_needs
            write=|s, on| s.passports_without_needs = on
            said=|on| if on {
                "Saved. Printed passports leave needs out."
            } else {
                "Saved. Printed passports list needs in plain words."
            }>
            <p class="hint">"Passports are read by every adult who works with the pupil. They list needs in plain words (such as \"Speech, language and communication\"), never census codes."</p>
        </ChoiceSetting>
    }
}

/// One yes-or-no setting in its own section and form, saved with the desk's sealed
/// settings; what was saved (or why not) is said beside the button.
#[component]
fn ChoiceSetting(
    title: &'static str,
    field_id: &'static str,
    label: &'static str,
    button: &'static str,
    read: fn(&Settings) -> bool,
    write: fn(&mut Settings, bool),
    said: fn(bool) -> &'static str,
    children: Children,
) -> impl IntoView {
    let app = use_app();
    let on = RwSignal::new(app.settings().is_some_and(|s| read(&s)));
    let error = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<&'static str>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(None);
        let Some(mut settings) = app.settings() else {
            return;
        };
        let value = on.get_untracked();
        write(&mut settings, value);
        leptos::task::spawn_local_scoped(async move {
            match app
                .save(move |open, store| open.save_settings(store, settings))
                .await
            {
                Ok(()) => {
                    error.set(None);
                    saved.set(Some(said(value)));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };
    let title_id = format!("{field_id}-title");
    let labelled_by = title_id.clone();
    view! {
        <section aria-labelledby=labelled_by>
            <h2 id=title_id>{title}</h2>
            {children()}
            <form on:submit=submit novalidate>
                {move || error.get().map(|m| view! { <p class="field-error"><span class="visually-hidden">"Error: "</span>{m}</p> })}
                <CheckField id=field_id label=label checked=on/>
                <button type="submit" class="button">{button}</button>
                <p role="status">{move || saved.get()}</p>
            </form>
        </section>
    }
}

#[component]
fn ChangePassphrase() -> impl IntoView {
    let app = use_app();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let current_error = RwSignal::new(None::<String>);
    let new_error = RwSignal::new(None::<String>);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<usize>);
    // A recovery key made with the change (an older version made the one it replaces).
    let new_key = RwSignal::new(None::<String>);
    let older_recovery_key = move || {
        app.session
            .with(|s| s.as_ref().map(|o| o.header().recovery_key_is_older()))
            .unwrap_or(false)
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        done.set(None);
        let school = app.settings().map(|s| s.school_name).unwrap_or_default();
        let check = check_new_passphrase(&new.get_untracked(), &again.get_untracked(), &school);
        let missing_current = current.with_untracked(|c| c.is_empty());
        current_error.set(missing_current.then(|| "Enter your current passphrase.".to_string()));
        new_error.set(check.as_ref().err().cloned());
        let mut list = Vec::new();
        if missing_current {
            list.push((
                "current-passphrase".to_string(),
                "Enter your current passphrase.".to_string(),
            ));
        }
        if let Err(e) = &check {
            list.push(("new-passphrase".to_string(), e.clone()));
        }
        problems.set(list);
        if missing_current || check.is_err() {
            return;
        }
        busy.set(true);
        after_paint_async(async move {
            let (mut old, mut fresh) = (current.get_untracked(), new.get_untracked());
            // The slow part (checking the current passphrase, deriving the new slot's key)
            // in a worker of its own, then the header is saved.
            let change = match app
                .session
                .with_untracked(|s| s.as_ref().map(|o| o.header().clone()))
            {
                // The benchmark's key-change derivation (the old and the new passphrase).
                Some(header) => super::perf::measure_async(
                    "senco:key-change-derive",
                    header.change_secret_with(
                        &old,
                        KeyChange::NewPassphrase(&fresh),
                        KdfParams::default(),
                        &InWorker,
                    ),
                )
                .await
                .map_err(DeskStoreError::from),
                None => Err(DeskStoreError::NoDesk),
            };
            old.zeroize();
            fresh.zeroize();
            let result = match change {
                Ok(change) => app.save_key_change(change).await,
                Err(e) => Err(e),
            };
            busy.set(false);
            match result {
                Ok(KeysChanged {
                    new_recovery_key,
                    drafts_lost,
                }) => {
                    current.set(String::new());
                    new.set(String::new());
                    again.set(String::new());
                    if new_recovery_key.is_some() {
                        app.pending_recovery.set(None);
                    }
                    new_key.set(new_recovery_key.map(|k| k.display()));
                    done.set(Some(drafts_lost));
                }
                // A wrong current passphrase belongs to its field; anything else (storage
                // full, another tab) to the form.
                Err(e @ DeskStoreError::Vault(VaultError::WrongSecret)) => {
                    let message = e.to_string();
                    current_error.set(Some(message.clone()));
                    problems.set(vec![("current-passphrase".into(), message)]);
                }
                Err(e) => problems.set(vec![(String::new(), e.to_string())]),
            }
        });
    };
    let hint = move || {
        let p = new.get();
        let school = app.settings().map(|s| s.school_name).unwrap_or_default();
        (!p.is_empty()).then(|| format!("Strength: {}", strength_hint(&p, &school)))
    };
    view! {
        <section aria-labelledby="passphrase-title">
            <h2 id="passphrase-title">"Change passphrase"</h2>
            <p>"Changing the passphrase also changes the key the desk's records are sealed with, so the old passphrase opens nothing saved from then on."</p>
            {move || older_recovery_key().then(|| view! {
                <p data-testid="older-recovery-key">"This desk's recovery key was made by an older version of Senco Desk and cannot be carried over, so changing the passphrase also makes a new recovery key, shown here once. Have a printer or a pen ready."</p>
            })}
            <ErrorSummary problems=problems/>
            <form on:submit=submit novalidate>
                <TextField id="current-passphrase" label="Current passphrase" value=current
                    input_type="password" error=current_error autocomplete="current-password"/>
                <TextField id="new-passphrase" label="New passphrase" value=new input_type="password"
                    error=new_error autocomplete="new-password" hint="At least 12 characters."/>
                <p class="strength" aria-live="polite">{hint}</p>
                <TextField id="new-passphrase-again" label="New passphrase again" value=again
                    input_type="password" autocomplete="new-password"/>
                <button type="submit" class="button" disabled=move || busy.get()>"Change passphrase"</button>
            </form>
            // One live region, present from the start, so what it says is announced.
            <div role="status">
                {move || busy.get().then(|| view! { <p>"Changing the passphrase and re-sealing every record\u{2026}"</p> })}
                {move || done.get().map(|drafts_lost| view! {
                    <KeysChangedNote
                        what="Passphrase changed. Use the new one from now on: the old one no longer unlocks this desk"
                        drafts_lost=drafts_lost/>
                })}
            </div>
            {move || new_key.get().map(|display| view! {
                <NewKeySheet display=display on_kept=move || new_key.set(None)/>
            })}
        </section>
    }
}

/// Said after every change of keys, with the way to a fresh backup.
#[component]
fn KeysChangedNote(what: &'static str, drafts_lost: usize) -> impl IntoView {
    let app = use_app();
    let lost = (drafts_lost > 0).then(|| {
        format!(
            " {drafts_lost} unsaved draft{} could not be kept under the new key (storage is full) and {} removed.",
            if drafts_lost == 1 { "" } else { "s" },
            if drafts_lost == 1 { "was" } else { "were" }
        )
    });
    view! {
        <div class="keys-changed no-print" data-testid="keys-changed">
            <p>{OLD_SECRET_WARNING.replace("{what}", what)}{lost}</p>
            <p><a class="button" href=app.href("/backups")>"Make a fresh backup now"</a></p>
        </div>
    }
}

/// A recovery key shown once, with its emergency sheet, until the SENCO says it is kept.
#[component]
fn NewKeySheet(
    display: String,
    on_kept: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let app = use_app();
    let problems = RwSignal::new(Vec::<Problem>::new());
    let school = app.settings().map(|s| s.school_name).unwrap_or_default();
    let today = format_uk(chrono::Local::now().date_naive());
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <section class="emergency-sheet" aria-labelledby="new-sheet-title">
            <h3 id="new-sheet-title">"Senco Desk emergency sheet"</h3>
            <dl>
                <dt>"School"</dt><dd>{school}</dd>
                <dt>"Made on"</dt><dd>{today}</dd>
                <dt>"Recovery key"</dt>
                <dd><code class="recovery-key" data-testid="recovery-key">{display}</code></dd>
            </dl>
            <p>"Keep this sheet in a locked cabinet or the school safe, not with the laptop. Destroy the old sheet."</p>
        </section>
        <ErrorSummary problems=problems/>
        <div class="button-group">
            <button type="button" class="button button--secondary" on:click=print>"Print emergency sheet"</button>
            <button type="button" class="button" on:click=move |_| {
                leptos::task::spawn_local_scoped(async move {
                    match app.save(|open, store| open.confirm_recovery_key(store)).await {
                        Ok(()) => {
                            on_kept();
                            app.notice.set(Some(Notice::info("The new recovery key is in use. Download a new backup and destroy older copies.")));
                        }
                        Err(e) => problems.set(vec![(String::new(), e.to_string())]),
                    }
                })
            }>"I have kept the new recovery key"</button>
        </div>
    }
}

/// What changing a secret does and does not do, said after every change. The data key is
/// rotated (every record re-sealed), so an older backup and the old secret open nothing
/// saved since; but that older backup itself still opens with the old secret.
const OLD_SECRET_WARNING: &str = "{what}. Every record is now sealed with a new key, which the old one cannot open. Backups made before now still open with the old one, as each file carries the keys of its day: make a fresh backup now, then destroy the older copies.";

#[component]
fn NewRecoveryKey() -> impl IntoView {
    let app = use_app();
    // Sent here by the reminder that the desk has no confirmed recovery key: start at once.
    let confirming = RwSignal::new(app.recovery_key_unconfirmed());
    let busy = RwSignal::new(false);
    let key = RwSignal::new(None::<String>);
    let drafts_lost = RwSignal::new(None::<usize>);
    let current = RwSignal::new(String::new());
    let current_error = RwSignal::new(None::<String>);
    let problems = RwSignal::new(Vec::<Problem>::new());
    let make = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if current.with_untracked(|c| c.is_empty()) {
            let message = "Enter your passphrase or current recovery key.".to_string();
            current_error.set(Some(message.clone()));
            problems.set(vec![("recovery-current".into(), message)]);
            return;
        }
        busy.set(true);
        after_paint_async(async move {
            let mut secret = current.get_untracked();
            // The slow part (checking the secret, deriving the new slot's key) in a worker.
            let change = match app
                .session
                .with_untracked(|s| s.as_ref().map(|o| o.header().clone()))
            {
                Some(header) => header
                    .change_secret_with(
                        &secret,
                        KeyChange::NewRecoveryKey,
                        KdfParams::default(),
                        &InWorker,
                    )
                    .await
                    .map_err(DeskStoreError::from),
                None => Err(DeskStoreError::NoDesk),
            };
            secret.zeroize();
            let result = match change {
                Ok(change) => app.save_key_change(change).await,
                Err(e) => Err(e),
            };
            busy.set(false);
            match result {
                Ok(changed) => {
                    // Any key made before is gone: the reminder must not lead back to it.
                    app.pending_recovery.set(None);
                    current.set(String::new());
                    current_error.set(None);
                    problems.set(Vec::new());
                    confirming.set(false);
                    drafts_lost.set(Some(changed.drafts_lost));
                    key.set(changed.new_recovery_key.map(|k| k.display()));
                }
                Err(
                    e @ DeskStoreError::Vault(
                        VaultError::WrongSecret | VaultError::PassphraseNeeded,
                    ),
                ) => {
                    let message = e.to_string();
                    current_error.set(Some(message.clone()));
                    problems.set(vec![("recovery-current".into(), message)]);
                }
                Err(e) => problems.set(vec![(String::new(), e.to_string())]),
            }
        });
    };
    let cancel = move |_| {
        current.set(String::new());
        current_error.set(None);
        problems.set(Vec::new());
        confirming.set(false);
    };
    view! {
        <section aria-labelledby="recovery-title">
            <h2 id="recovery-title">"Recovery key"</h2>
            <p>"Make a new recovery key if the old one may have been seen or lost. Once it is made, the old key no longer unlocks this desk; backups made before still open with it."</p>
            {move || drafts_lost.get().map(|lost| view! {
                <KeysChangedNote what="The old recovery key no longer unlocks this desk" drafts_lost=lost/>
            })}
            {move || match (key.get(), confirming.get()) {
                (Some(display), _) => view! {
                    <NewKeySheet display=display on_kept=move || key.set(None)/>
                }.into_any(),
                (None, true) => view! {
                    <ErrorSummary problems=problems/>
                    <form on:submit=make novalidate>
                        <TextField id="recovery-current" label="Your passphrase or current recovery key"
                            value=current input_type="password" error=current_error autocomplete="current-password"
                            hint="Needed so that someone who finds the desk unlocked cannot make a key of their own."/>
                        <div class="button-group">
                            <button type="submit" class="button" disabled=move || busy.get()>
                                "Make a new recovery key"
                            </button>
                            <button type="button" class="button button--secondary" on:click=cancel>
                                "Cancel"
                            </button>
                        </div>
                        <p role="status">{move || busy.get().then_some("Making a new recovery key\u{2026}")}</p>
                    </form>
                }.into_any(),
                (None, false) => view! {
                    <button type="button" class="button button--secondary" on:click=move |_| confirming.set(true)>
                        "Make a new recovery key\u{2026}"
                    </button>
                }.into_any(),
            }}
        </section>
    }
}

/// Size of localStorage use, counting two bytes per UTF-16 unit as browsers do.
fn storage_size(units: usize) -> String {
    crate::domain::text::file_size(units * 2)
}

#[component]
fn StorageUse() -> impl IntoView {
    let app = use_app();
    // None while asking; Some(None) when the browser cannot say.
    let persisted = RwSignal::new(None::<Option<bool>>);
    let used = move || {
        app.session.track();
        app.with_store(|s| Ok(storage_used(s)?)).unwrap_or(0)
    };
    storage_persistence(false, move |answer| persisted.set(Some(answer)));
    let ask = move |_| storage_persistence(true, move |answer| persisted.set(Some(answer)));
    view! {
        <section aria-labelledby="storage-title">
            <h2 id="storage-title">"Storage"</h2>
            <dl class="summary-list">
                <dt>"Used"</dt>
                <dd data-testid="storage-used">{move || {
                    let units = used();
                    format!(
                        "{} of about {} ({}.{}%)",
                        storage_size(units),
                        storage_size(LOCAL_STORAGE_QUOTA_UNITS),
                        units * 100 / LOCAL_STORAGE_QUOTA_UNITS,
                        units * 1000 / LOCAL_STORAGE_QUOTA_UNITS % 10
                    )
                }}</dd>
                <dt>"Left"</dt>
                <dd>{move || storage_size(LOCAL_STORAGE_QUOTA_UNITS.saturating_sub(used()))}</dd>
                <dt>"Kept by the browser"</dt>
                <dd data-testid="persistence">{move || match persisted.get() {
                    Some(Some(true)) => "Yes: the browser has agreed not to clear this desk to save space.",
                    Some(Some(false)) => "Not promised: the browser may clear this desk if space runs low.",
                    Some(None) => "This browser cannot say whether it will keep this desk.",
                    None => "Checking\u{2026}",
                }}</dd>
            </dl>
            {move || (persisted.get() == Some(Some(false))).then(|| view! {
                <button type="button" class="button button--secondary" on:click=ask>
                    "Ask the browser to keep this desk"
                </button>
            })}
            <p>"Browser storage can be cleared: by the browser when space is short, by someone clearing browsing data, and by Safari after seven days without a visit. Your backup file on a USB stick is the copy of record."</p>
        </section>
    }
}

#[component]
fn RecentBackups() -> impl IntoView {
    let app = use_app();
    let entries = move || {
        app.session.with(|s| {
            s.as_ref()
                .map(|open| open.backup_log().entries.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <section aria-labelledby="recent-backups-title">
            <h2 id="recent-backups-title">"Recent backups"</h2>
            {move || {
                let entries = entries();
                if entries.is_empty() {
                    return view! {
                        <p>"No backup has been made from this browser yet. "
                            <a href=app.href("/backups")>"Download one from Backups"</a>"."</p>
                    }.into_any();
                }
                view! {
                    <table class="table" data-testid="recent-backups">
                        <caption class="visually-hidden">"Backups made from this browser, newest first"</caption>
                        <thead><tr>
                            <th scope="col">"Made"</th>
                            <th scope="col">"Size"</th>
                            <th scope="col">"Fingerprint"</th>
                            <th scope="col">"Opens with"</th>
                        </tr></thead>
                        <tbody>
                            {entries.into_iter().map(|e| view! { <tr>
                                <td>{super::clock::date_and_time(e.made)}</td>
                                <td>{crate::domain::text::file_size(e.bytes)}</td>
                                <td><code>{e.fingerprint}</code></td>
                                <td>{if e.separate_passphrase { "Its own passphrase" } else { "The desk's passphrase or recovery key" }}</td>
                            </tr> }).collect_view()}
                        </tbody>
                    </table>
                    <p>"To check a file on a USB stick is one of these, compare the fingerprint shown when you open it."</p>
                }.into_any()
            }}
        </section>
    }
}
