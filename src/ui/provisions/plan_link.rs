//! A support plan's provision row and the provision on the map it is: the pupil's entry,
//! exit and attendance from it beside the plan, or a way to make one from the row.

use super::{costing, provision_href};
use crate::domain::provision::details::measure_text;
use crate::domain::PupilId;
use crate::ui::state::use_app;
use leptos::prelude::*;

/// The cell beside a plan's provision row.
#[component]
pub fn PlanRowProvision(
    pupil: PupilId,
    cycle: u32,
    row: usize,
    provision_id: Option<String>,
    editable: bool,
) -> impl IntoView {
    let app = use_app();
    let Some(provision_id) = provision_id else {
        return editable
            .then(|| {
                let href = app.href(&format!(
                    "/provision?new&plan={}&cycle={cycle}&row={row}",
                    pupil.0
                ));
                view! { <a href=href>"Make a provision from this"<span class="visually-hidden">{format!(" (provision row {})", row + 1)}</span></a> }
            })
            .into_any();
    };
    let found = app.session.with_untracked(|s| {
        let open = s.as_ref()?;
        let p = open.desk.provision(&provision_id)?;
        let costing = costing(&open.desk.settings);
        let e = p.enrolment(&pupil);
        let attendance = costing
            .pupil_share(p, &pupil, (p.starts, p.ends))
            .map(|s| {
                format!(
                    "attended {} of {} planned sessions",
                    s.sessions_attended, s.sessions_planned
                )
            })
            .unwrap_or_default();
        let text = match e {
            None => "Not in it now".to_string(),
            Some(e) => format!(
                "Entry: {}; exit: {}; {attendance}",
                e.entry
                    .as_ref()
                    .map(measure_text)
                    .unwrap_or_else(|| "not yet".into()),
                e.exit
                    .as_ref()
                    .map(measure_text)
                    .unwrap_or_else(|| "not yet".into()),
            ),
        };
        Some((p.name.clone(), text))
    });
    match found {
        Some((name, text)) => view! {
            <a href=provision_href(app, &provision_id)>{name}</a>": "{text}
        }
        .into_any(),
        None => view! { "A provision no longer on this desk" }.into_any(),
    }
}
