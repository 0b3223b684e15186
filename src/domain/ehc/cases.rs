//! Every EHC case on the desk: the EHC page's rows, sortable, and the calendar's events.

use super::calendar::CaseEvent;
use super::record::{CaseSetting, OpenStep};
use crate::domain::desk::Desk;
use crate::domain::sen::SenStatus;
use crate::domain::PupilId;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Where a case is: asking for an assessment, holding a plan, or an E status whose plan
/// is not yet entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Request,
    Plan,
    PlanNotRecorded,
    Closed,
}

impl Stage {
    pub fn label(self) -> &'static str {
        match self {
            Stage::Request => "Needs assessment requested",
            Stage::Plan => "EHC plan",
            Stage::PlanNotRecorded => "EHC plan (E) not yet entered",
            Stage::Closed => "Closed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub pupil: PupilId,
    pub name: String,
    /// "EHC-0142", or empty for a case not yet opened on the desk.
    pub reference: String,
    pub stage: Stage,
    pub next: Option<OpenStep>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseSort {
    NextDate,
    Pupil,
    Reference,
}

/// The cases of pupils on roll: an open request, a plan in force, or E in the status
/// history without a plan entered. Sorted as asked, ties by name.
pub fn case_rows(
    desk: &Desk,
    labels: &HashMap<PupilId, String>,
    today: NaiveDate,
    sort: CaseSort,
) -> Vec<CaseRow> {
    let settings = &desk.settings.ehc;
    let mut rows: Vec<CaseRow> = desk
        .files()
        .filter(|f| !f.pupil.is_archived())
        .filter_map(|file| {
            let record = &file.ehc;
            let stage = if record.current_plan().is_some() {
                Stage::Plan
            } else if record.open_requests().next().is_some() {
                Stage::Request
            } else if file.sen.status_on(today) == SenStatus::EhcPlan {
                Stage::PlanNotRecorded
            } else if !record.is_empty() {
                Stage::Closed
            } else {
                return None;
            };
            let setting = CaseSetting {
                born: file.pupil.date_of_birth,
                year_group: file.pupil.year_group,
                lead: &settings.lead,
                transfer_years: &settings.transfer_years,
            };
            Some(CaseRow {
                pupil: file.pupil.id.clone(),
                name: labels.get(&file.pupil.id).cloned().unwrap_or_default(),
                reference: if record.case_number > 0 {
                    record.reference()
                } else {
                    String::new()
                },
                stage,
                next: record.next_step(&setting, today),
            })
        })
        .collect();
    let by_name = |a: &CaseRow, b: &CaseRow| a.name.to_lowercase().cmp(&b.name.to_lowercase());
    match sort {
        CaseSort::Pupil => rows.sort_by(by_name),
        CaseSort::Reference => rows.sort_by(|a, b| {
            (a.reference.is_empty(), &a.reference).cmp(&(b.reference.is_empty(), &b.reference))
        }),
        CaseSort::NextDate => rows.sort_by(|a, b| {
            let due = |r: &CaseRow| r.next.as_ref().map(|s| s.due).unwrap_or(NaiveDate::MAX);
            due(a).cmp(&due(b)).then_with(|| by_name(a, b))
        }),
    }
    rows
}

/// Every event of every case of a pupil on roll, for the calendar file.
pub fn desk_calendar(desk: &Desk, today: NaiveDate) -> Vec<CaseEvent> {
    let settings = &desk.settings.ehc;
    let mut events: Vec<CaseEvent> = desk
        .files()
        .filter(|f| !f.pupil.is_archived() && f.ehc.case_number > 0)
        .flat_map(|file| {
            let setting = CaseSetting {
                born: file.pupil.date_of_birth,
                year_group: file.pupil.year_group,
                lead: &settings.lead,
                transfer_years: &settings.transfer_years,
            };
            file.ehc.calendar_events(&setting, today)
        })
        .collect();
    events.sort_by(|a, b| (a.on, &a.uid).cmp(&(b.on, &b.uid)));
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ehc::d;
    use crate::domain::ehc::plan::EhcPlan;
    use crate::domain::ehc::request::{NeedsAssessmentRequest, Requester};
    use crate::domain::names::NameOrder;
    use crate::domain::{PupilFile, Settings};
    use crate::test_support::pupil;

    fn desk() -> Desk {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        for (n, (forename, surname)) in [("Ava", "Zed"), ("Ben", "Young"), ("Cal", "Xu")]
            .into_iter()
            .enumerate()
        {
            let mut p = pupil(forename, surname);
            p.id = PupilId(format!("{:016x}", n + 1));
            let mut file = PupilFile::new(p, chrono::Utc::now());
            file.open_ehc_case(3 - n as u32);
            match n {
                0 => {
                    let mut plan = EhcPlan::new("Northshire", d("01/12/2025"), "Oakfield");
                    plan.id = "00000000000000d1".into();
                    file.ehc.plans.push(plan);
                }
                1 => {
                    let mut r = NeedsAssessmentRequest::new(
                        Requester::School,
                        "Northshire",
                        d("02/11/2026"),
                    );
                    r.id = "00000000000000d2".into();
                    file.ehc.requests.push(r);
                }
                _ => {
                    let mut plan = EhcPlan::new("Northshire", d("01/03/2026"), "Oakfield");
                    plan.id = "00000000000000d3".into();
                    file.ehc.plans.push(plan);
                }
            }
            desk.put(file);
        }
        desk
    }

    #[test]
    fn cases_sort_by_next_date_pupil_or_reference() {
        let desk = desk();
        let labels = desk.name_labels(NameOrder::KnownAs);
        let today = d("01/12/2026");
        let names = |sort| {
            case_rows(&desk, &labels, today, sort)
                .into_iter()
                .map(|r| r.name)
                .collect::<Vec<_>>()
        };
        // Ava's review is due 01/12/2026, Ben's decision 14/12/2026, Cal's review 01/03/2027.
        assert_eq!(
            names(CaseSort::NextDate),
            ["Ava Zed", "Ben Young", "Cal Xu"]
        );
        assert_eq!(names(CaseSort::Pupil), ["Ava Zed", "Ben Young", "Cal Xu"]);
        assert_eq!(
            names(CaseSort::Reference),
            ["Cal Xu", "Ben Young", "Ava Zed"]
        );
        let rows = case_rows(&desk, &labels, today, CaseSort::NextDate);
        assert_eq!(rows[1].stage, Stage::Request);
        assert_eq!(rows[1].next.as_ref().unwrap().due, d("14/12/2026"));
    }

    #[test]
    fn the_calendar_has_every_case_and_no_names() {
        let desk = desk();
        let events = desk_calendar(&desk, d("01/12/2026"));
        assert!(events.iter().any(|e| e.summary.starts_with("EHC-0001")));
        assert!(events.iter().any(|e| e.summary.starts_with("EHC-0002")));
        assert!(events.iter().any(|e| e.summary.starts_with("EHC-0003")));
        for name in ["Ava", "Zed", "Ben", "Young", "Cal", "Xu"] {
            assert!(events.iter().all(|e| !e.summary.contains(name)));
        }
    }
}
