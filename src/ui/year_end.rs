//! Year-end rollover: every pupil moves up a year; the final year is offered as leavers.

use super::form::today;
use super::shell::{set_title, Unlocked};
use super::state::{use_app, Notice};
use crate::domain::text::count;
use crate::domain::year_end::{final_year_on_roll, Rollover};
use crate::domain::{PupilId, YearGroup};
use leptos::prelude::*;
use std::collections::BTreeSet;

#[component]
pub fn YearEnd() -> impl IntoView {
    view! { <Unlocked><YearEndPage/></Unlocked> }
}

#[component]
fn YearEndPage() -> impl IntoView {
    set_title("Year-end rollover");
    let app = use_app();
    app.notice.set(None);
    let final_year = RwSignal::new(
        app.session
            .with_untracked(|s| s.as_ref().and_then(|o| final_year_on_roll(&o.desk)))
            .unwrap_or(YearGroup::Year(6))
            .code(),
    );
    let plan = Memo::new(move |_| {
        let year = YearGroup::from_code(&final_year.get()).unwrap_or(YearGroup::Year(6));
        app.session
            .with(|s| s.as_ref().map(|o| Rollover::plan(&o.desk, year)))
    });
    // Leavers to archive: all of the final year unless unticked.
    let keep = RwSignal::new(BTreeSet::<PupilId>::new());
    let done_before = app.settings().and_then(|s| s.rolled_over_recently(today()));
    let again = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let roll_over = move |_| {
        let Some(plan) = plan.get_untracked() else {
            return;
        };
        if done_before.is_some() && !again.get_untracked() {
            error.set(Some(
                "The rollover was already done this school year. Tick the box above to run it again.".into(),
            ));
            return;
        }
        let archive: BTreeSet<PupilId> = plan
            .leaving
            .iter()
            .map(|p| p.id.clone())
            .filter(|id| !keep.with_untracked(|k| k.contains(id)))
            .collect();
        let writes = app.session.with_untracked(|s| {
            s.as_ref()
                .map(|o| plan.writes(&o.desk, &archive, today()))
                .unwrap_or_default()
        });
        let now = chrono::Utc::now();
        let settings = app.settings().map(|mut s| {
            s.last_rollover = Some(today());
            s
        });
        let plan = plan.clone();
        let archive = archive.clone();
        leptos::task::spawn_local(async move {
            match app
                .save(move |open, store| open.save_files_and_settings(store, writes, settings, now))
                .await
            {
                Ok(_) => {
                    let summary = format!(
                        "{} moved up a year; {} archived as leavers.",
                        count(plan.moving.len(), "pupil"),
                        count(archive.len(), "pupil")
                    );
                    app.notice.set(Some(Notice::info(format!(
                        "Year-end rollover done: {summary}"
                    ))));
                    done.set(Some(summary));
                    request_animation_frame(super::shell::focus_heading);
                }
                Err(e) => error.set(Some(format!("{e} Nothing was changed."))),
            }
        });
    };
    view! {
        {move || match done.get() {
            Some(summary) => view! {
                <h1 tabindex="-1">"Rollover finished"</h1>
                <p class="lead" data-testid="rollover-done">{summary}</p>
                <p><a class="button" href=app.href("/pupils")>"Go to the register"</a></p>
            }.into_any(),
            None => view! {
                <h1 tabindex="-1">"Year-end rollover"</h1>
                <p>"At the end of the school year every pupil on roll moves up one year group. Pupils in your final year are archived as leavers: their records are kept, read-only. Run it once, after the last day of term."</p>
                {done_before.map(|on| view! {
                    <div class="notice notice--warning" data-testid="rollover-warning">
                        <p>{format!("The rollover was already done on {} this school year. Running it again moves everyone up a second time.", crate::domain::dates::format_uk(on))}</p>
                        <div class="choice">
                            <input type="checkbox" id="rollover-again" autocomplete="off" prop:checked=move || again.get()
                                on:change=move |ev| again.set(event_target_checked(&ev))/>
                            <label for="rollover-again">"I understand: run it again"</label>
                        </div>
                    </div>
                })}
                <div class="field">
                    <label for="final-year">"The school's final year"</label>
                    <p class="hint" id="final-year-hint">"Pupils in this year leave. Year 14 always leaves."</p>
                    <select id="final-year" autocomplete="off" aria-describedby="final-year-hint"
                        prop:value=move || final_year.get()
                        on:change=move |ev| { final_year.set(event_target_value(&ev)); keep.set(BTreeSet::new()); }>
                        {YearGroup::all().into_iter().map(|y| {
                            let code = y.code();
                            let selected = code.clone();
                            view! { <option value=code selected=move || final_year.get() == selected>{y.to_string()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                {move || plan.get().map(|plan| view! {
                    <p data-testid="rollover-moving">{format!("{} will move up a year group.", count(plan.moving.len(), "pupil"))}</p>
                    <fieldset class="choices">
                        <legend>{format!("Leavers to archive ({})", plan.leaving.len())}</legend>
                        <p class="hint">"Untick anyone staying on: they stay in their year group."</p>
                        {plan.leaving.into_iter().enumerate().map(|(i, p)| {
                            let id = format!("leaver-{i}");
                            let pupil = p.id.clone();
                            let checked_id = p.id.clone();
                            view! {
                                <div class="choice">
                                    <input type="checkbox" id=id.clone() autocomplete="off"
                                        prop:checked=move || keep.with(|k| !k.contains(&checked_id))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            keep.update(|k| { if on { k.remove(&pupil); } else { k.insert(pupil.clone()); } });
                                        }/>
                                    <label for=id>{format!("{} ({})", p.name, p.year)}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                })}
                {move || error.get().map(|e| view! { <div class="notice notice--error" role="alert"><p>{e}</p></div> })}
                <div class="button-group">
                    <button type="button" class="button" on:click=roll_over>"Roll over to the next year"</button>
                    <a class="button button--secondary" href=app.href("/pupils")>"Cancel"</a>
                </div>
            }.into_any(),
        }}
    }
}
