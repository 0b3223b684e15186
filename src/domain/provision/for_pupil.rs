//! A pupil's provision, for their page and timeline: each provision they are or were in,
//! and the dated events of it (joined, left, measured, rated).

use super::details::{measure_text, rating_label};
use super::record::Provision;
use crate::domain::timeline::TimelineEntry;
use crate::domain::PupilId;

/// The timeline's entries about `pupil` from their provisions, newest first.
pub fn provision_timeline<'a>(
    provisions: impl IntoIterator<Item = &'a Provision>,
    pupil: &PupilId,
) -> Vec<TimelineEntry> {
    let mut entries = Vec::new();
    for p in provisions {
        let Some(e) = p.enrolment(pupil) else {
            continue;
        };
        let mut add = |date, kind: &'static str, text: String| {
            entries.push(TimelineEntry {
                date,
                recorded_at: None,
                kind,
                text,
            })
        };
        add(e.joined, "Provision", format!("Joined {}", p.name));
        if let Some(left) = e.left {
            add(left, "Provision", format!("Left {}", p.name));
        }
        if let Some(entry) = &e.entry {
            add(
                entry.on,
                "Provision",
                format!("{}: entry measure, {}", p.name, measure_text(entry)),
            );
        }
        if let Some(exit) = &e.exit {
            add(
                exit.on,
                "Provision",
                format!("{}: exit measure, {}", p.name, measure_text(exit)),
            );
            if let Some(rating) = e.rating {
                add(
                    exit.on,
                    "Provision",
                    format!(
                        "{}: outcome rated {:+} ({})",
                        p.name,
                        rating.value(),
                        rating_label(rating.value()).to_lowercase()
                    ),
                );
            }
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.date));
    entries
}

/// `timeline` (newest first) with `more` merged in, newest first; on one day, the
/// provision's entries after the file's.
pub fn merged_timeline(
    timeline: Vec<TimelineEntry>,
    more: Vec<TimelineEntry>,
) -> Vec<TimelineEntry> {
    let mut all = timeline;
    for entry in more {
        let at = all
            .iter()
            .position(|e| e.date < entry.date)
            .unwrap_or(all.len());
        all.insert(at, entry);
    }
    all
}

/// `file` with row `row` of plan `cycle`'s provision naming provision `id`. Refused for a
/// reviewed plan (kept as it was reviewed) or a row that is not there.
pub fn with_plan_row_linked(
    file: &crate::domain::PupilFile,
    cycle: u32,
    row: usize,
    id: &str,
) -> Result<crate::domain::PupilFile, String> {
    let mut plan = file
        .plan(cycle)
        .ok_or("That support plan is no longer on the pupil's file.")?
        .clone();
    if plan.status == crate::domain::plan::PlanStatus::Reviewed {
        return Err(
            "That support plan has been reviewed, so its rows are kept as they were.".into(),
        );
    }
    let line = plan
        .provision
        .get_mut(row)
        .ok_or("That provision row is no longer in the plan.")?;
    line.provision_id = Some(id.to_string());
    Ok(file.with_plan(plan))
}
