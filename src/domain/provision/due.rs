//! What is due about provision, for the home screen: exit measures to take before or after a
//! provision ends, sessions planned but not recorded for more than a week, and pupils on SEN
//! support with no provision this term.

use super::calendar::SchoolCalendar;
use super::record::Provision;
use crate::domain::dates::format_uk;
use crate::domain::PupilId;
use chrono::{Days, NaiveDate};

/// A provision ending within this many days is flagged when exit measures are missing.
pub const ENDING_SOON_DAYS: u64 = 14;
/// Sessions planned more than this many days ago should have been recorded.
pub const RECORD_WITHIN_DAYS: u64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvisionDueKind {
    EndingWithoutExit,
    EndedWithoutExit,
    SessionsNotRecorded,
    NoProvisionThisTerm,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionDue {
    pub kind: ProvisionDueKind,
    /// The provision it is about (by id), or the pupil.
    pub provision: Option<String>,
    pub pupil: Option<PupilId>,
    pub detail: String,
}

fn pupils(count: usize) -> String {
    format!("{count} pupil{}", if count == 1 { "" } else { "s" })
}

/// Everything due about `provisions` today. `on_sen_support` are the pupils on SEN support.
pub fn provision_due<'a>(
    provisions: impl IntoIterator<Item = &'a Provision> + Clone,
    calendar: &SchoolCalendar,
    today: NaiveDate,
    on_sen_support: &[PupilId],
) -> Vec<ProvisionDue> {
    let mut due = Vec::new();
    for provision in provisions.clone() {
        // Pupils still in it when it ends (or ended) with no exit measure.
        let missing_exit = provision
            .enrolments
            .iter()
            .filter(|e| e.exit.is_none() && e.left.is_none_or(|left| left >= provision.ends))
            .count();
        let soon = today + Days::new(ENDING_SOON_DAYS);
        if missing_exit > 0 && provision.ends >= today && provision.ends <= soon {
            due.push(ProvisionDue {
                kind: ProvisionDueKind::EndingWithoutExit,
                provision: Some(provision.id.clone()),
                pupil: None,
                detail: format!(
                    "{}: ends {}, {} without an exit measure",
                    provision.name,
                    format_uk(provision.ends),
                    pupils(missing_exit)
                ),
            });
        } else if missing_exit > 0 && provision.ends < today {
            due.push(ProvisionDue {
                kind: ProvisionDueKind::EndedWithoutExit,
                provision: Some(provision.id.clone()),
                pupil: None,
                detail: format!(
                    "{}: ended {}, {} without an exit measure",
                    provision.name,
                    format_uk(provision.ends),
                    pupils(missing_exit)
                ),
            });
        }
        let Some(recorded_by) = today.checked_sub_days(Days::new(RECORD_WITHIN_DAYS)) else {
            continue;
        };
        let last = recorded_by.min(provision.ends);
        if last < provision.starts {
            continue;
        }
        // A set, so a provision of years of sessions is checked in one pass.
        let recorded: std::collections::BTreeSet<_> = provision
            .sessions
            .iter()
            .map(|s| (s.on, s.starts))
            .collect();
        let unrecorded: Vec<NaiveDate> = calendar
            .planned_sessions(&provision.timetable, provision.starts, last)
            .into_iter()
            .filter(|planned| !recorded.contains(&(planned.on, planned.starts)))
            .map(|planned| planned.on)
            .collect();
        if let Some(oldest) = unrecorded.first() {
            due.push(ProvisionDue {
                kind: ProvisionDueKind::SessionsNotRecorded,
                provision: Some(provision.id.clone()),
                pupil: None,
                detail: format!(
                    "{}: {} session{} not recorded, the oldest on {}",
                    provision.name,
                    unrecorded.len(),
                    if unrecorded.len() == 1 { "" } else { "s" },
                    format_uk(*oldest)
                ),
            });
        }
    }
    // Pupils on SEN support with nothing this term (none in the holidays).
    let term = calendar.year_of(today).and_then(|year| {
        year.terms
            .iter()
            .find(|t| t.starts <= today && today <= t.ends)
    });
    if let Some(term) = term {
        for pupil in on_sen_support {
            let has_some = provisions.clone().into_iter().any(|p| {
                p.starts <= term.ends
                    && p.ends >= term.starts
                    && p.enrolments.iter().any(|e| {
                        &e.pupil == pupil
                            && e.joined <= term.ends
                            && e.left.is_none_or(|left| left >= term.starts)
                    })
            });
            if !has_some {
                due.push(ProvisionDue {
                    kind: ProvisionDueKind::NoProvisionThisTerm,
                    provision: None,
                    pupil: Some(pupil.clone()),
                    detail: format!("On SEN support with no provision in {}", term.name),
                });
            }
        }
    }
    due
}

/// Everything due about the desk's provisions today, with the pupils on SEN support (on
/// roll) looked up from the desk, and what `dismissals` hide left out: (items shown, how
/// many are hidden). Keys are stable while the item is the same.
pub fn provision_due_on_desk(
    desk: &crate::domain::Desk,
    today: NaiveDate,
    dismissals: &[crate::domain::due::Dismissal],
) -> (Vec<ProvisionDue>, usize) {
    DueCache::default().due(desk, today, dismissals)
}

/// What decides the provision due list: each provision's id and revision, the calendar,
/// today and the pupils on SEN support.
type DueKey = (Vec<(String, u64)>, String, NaiveDate, Vec<PupilId>);

/// The home screen's provision list, worked out again only when what it rests on changed:
/// an edit to a pupil's notes or a dismissal leaves the provisions' planned sessions as
/// they were (working them out for five years of provision took longer than a frame).
#[derive(Default)]
pub struct DueCache {
    key: Option<DueKey>,
    items: Vec<ProvisionDue>,
}

impl DueCache {
    /// As [`provision_due_on_desk`].
    pub fn due(
        &mut self,
        desk: &crate::domain::Desk,
        today: NaiveDate,
        dismissals: &[crate::domain::due::Dismissal],
    ) -> (Vec<ProvisionDue>, usize) {
        let on_support: Vec<PupilId> = desk
            .files()
            .filter(|f| {
                !f.pupil.is_archived()
                    && f.sen.status_on(today) == crate::domain::SenStatus::SenSupport
            })
            .map(|f| f.pupil.id.clone())
            .collect();
        let calendar = &desk.settings.provision.calendar;
        let key: DueKey = (
            desk.provisions()
                .map(|p| (p.id.clone(), p.revision))
                .collect(),
            format!("{calendar:?}"),
            today,
            on_support,
        );
        if self.key.as_ref() != Some(&key) {
            self.items = provision_due(desk.provisions(), calendar, today, &key.3);
            self.key = Some(key);
        }
        let latest = today + Days::new(crate::domain::due::DISMISS_DAYS);
        let (hidden, shown): (Vec<&ProvisionDue>, Vec<&ProvisionDue>) =
            self.items.iter().partition(|item| {
                dismissals
                    .iter()
                    .any(|d| d.key == item.key() && d.until > today && d.until <= latest)
            });
        (shown.into_iter().cloned().collect(), hidden.len())
    }
}

impl ProvisionDue {
    /// The key a dismissal hides this item by: the same while the item says the same.
    pub fn key(&self) -> String {
        format!(
            "provision:{:?}:{}:{}:{}",
            self.kind,
            self.provision.as_deref().unwrap_or(""),
            self.pupil.as_ref().map(|p| p.0.as_str()).unwrap_or(""),
            self.detail
        )
    }
}

impl ProvisionDueKind {
    pub const ALL: [ProvisionDueKind; 4] = [
        ProvisionDueKind::EndingWithoutExit,
        ProvisionDueKind::EndedWithoutExit,
        ProvisionDueKind::SessionsNotRecorded,
        ProvisionDueKind::NoProvisionThisTerm,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            ProvisionDueKind::EndingWithoutExit => {
                "Provisions ending in the next 14 days without exit measures"
            }
            ProvisionDueKind::EndedWithoutExit => "Provisions ended without exit measures",
            ProvisionDueKind::SessionsNotRecorded => "Sessions not recorded for more than a week",
            ProvisionDueKind::NoProvisionThisTerm => "On SEN support with no provision this term",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::calendar::{SchoolYearDates, Slot, Term};
    use super::super::impact::{Measure, Measured};
    use super::super::record::*;
    use super::*;
    use crate::domain::BroadArea;
    use chrono::{NaiveTime, Weekday};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn calendar() -> SchoolCalendar {
        SchoolCalendar {
            years: vec![SchoolYearDates {
                starts_in: 2026,
                terms: vec![
                    Term {
                        name: "Autumn 2".into(),
                        starts: day(2026, 11, 2),
                        ends: day(2026, 12, 18),
                    },
                    Term {
                        name: "Spring 1".into(),
                        starts: day(2027, 1, 5),
                        ends: day(2027, 2, 12),
                    },
                ],
                closures: Vec::new(),
                to_check: false,
            }],
        }
    }

    fn in_it(id: &str, exit: bool) -> Enrolment {
        Enrolment {
            pupil: PupilId(id.into()),
            joined: day(2026, 11, 2),
            left: None,
            entry: None,
            exit: exit.then_some(Measured {
                measure: Measure::ReadingAge { months: 90 },
                on: day(2026, 12, 10),
            }),
            rating: None,
            note: String::new(),
            edited: Default::default(),
        }
    }

    fn group(id: &str, ends: NaiveDate, enrolments: Vec<Enrolment>) -> Provision {
        Provision {
            id: id.into(),
            name: format!("Group {id}"),
            area: BroadArea::CognitionAndLearning,
            description: String::new(),
            intended_outcome: String::new(),
            kind: ProvisionType::SmallGroup,
            wave: Wave::Two,
            staff: vec!["ta".into()],
            timetable: vec![Slot {
                weekday: Weekday::Tue,
                starts: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            }],
            minutes: 30,
            starts: day(2026, 11, 2),
            ends,
            extra_costs: Vec::new(),
            removed_costs: Vec::new(),
            funding: Funding::NotionalSenBudget,
            confidential: false,
            enrolments,
            sessions: Vec::new(),
            details_edited: Default::default(),
            history: Vec::new(),
            revision: 0,
        }
    }

    fn kinds(due: &[ProvisionDue]) -> Vec<(ProvisionDueKind, String)> {
        due.iter().map(|d| (d.kind, d.detail.clone())).collect()
    }

    #[test]
    fn exit_measures_are_asked_for_before_and_after_a_provision_ends() {
        let today = day(2026, 12, 8);
        let ending = group(
            "a",
            day(2026, 12, 18),
            vec![in_it("amara", false), in_it("ben", true)],
        );
        let ended = group("b", day(2026, 11, 27), vec![in_it("chloe", false)]);
        let all_measured = group("c", day(2026, 12, 18), vec![in_it("dev", true)]);
        let mut all = vec![ending, ended, all_measured];
        for p in &mut all {
            // Every session recorded, so only exit measures are due here.
            p.sessions = calendar()
                .planned_sessions(&p.timetable, p.starts, p.ends)
                .into_iter()
                .map(|s| SessionRecord {
                    on: s.on,
                    starts: s.starts,
                    recorded: Default::default(),
                    outcome: SessionOutcome::Delivered {
                        attended: Vec::new(),
                    },
                })
                .collect();
        }
        let due = provision_due(&all, &calendar(), today, &[]);
        assert_eq!(
            kinds(&due),
            vec![
                (
                    ProvisionDueKind::EndingWithoutExit,
                    "Group a: ends 18/12/2026, 1 pupil without an exit measure".to_string()
                ),
                (
                    ProvisionDueKind::EndedWithoutExit,
                    "Group b: ended 27/11/2026, 1 pupil without an exit measure".to_string()
                ),
            ]
        );
        // A pupil who left before the end needs no exit measure here.
        let mut left_early = group("d", day(2026, 11, 27), vec![in_it("amara", false)]);
        left_early.enrolments[0].left = Some(day(2026, 11, 13));
        left_early.sessions = all[1].sessions.clone();
        assert!(provision_due(&[left_early], &calendar(), today, &[]).is_empty());
    }

    #[test]
    fn sessions_not_recorded_for_more_than_a_week_are_counted_from_the_oldest() {
        let p = group("a", day(2027, 2, 12), vec![in_it("amara", true)]);
        // Tuesdays from 3 November; by 20 November, those up to the 13th are overdue.
        let due = provision_due(
            std::slice::from_ref(&p),
            &calendar(),
            day(2026, 11, 20),
            &[],
        );
        assert_eq!(
            kinds(&due),
            vec![(
                ProvisionDueKind::SessionsNotRecorded,
                "Group a: 2 sessions not recorded, the oldest on 03/11/2026".to_string()
            )]
        );
        let mut recorded = p;
        recorded.sessions.push(SessionRecord {
            on: day(2026, 11, 3),
            starts: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            recorded: Default::default(),
            outcome: SessionOutcome::NotDelivered(NotDelivered::Trip),
        });
        let due = provision_due(&[recorded], &calendar(), day(2026, 11, 20), &[]);
        assert_eq!(
            due[0].detail,
            "Group a: 1 session not recorded, the oldest on 10/11/2026"
        );
    }

    #[test]
    fn pupils_on_sen_support_with_no_provision_this_term_stand_out_but_not_in_the_holidays() {
        let p = group("a", day(2026, 12, 18), vec![in_it("amara", true)]);
        let support = [PupilId("amara".into()), PupilId("ben".into())];
        let due = provision_due(
            std::slice::from_ref(&p),
            &calendar(),
            day(2026, 11, 3),
            &support,
        );
        assert_eq!(
            kinds(&due),
            vec![(
                ProvisionDueKind::NoProvisionThisTerm,
                "On SEN support with no provision in Autumn 2".to_string()
            )]
        );
        assert_eq!(due[0].pupil, Some(PupilId("ben".into())));
        // In the Christmas holidays nothing is said; in Spring 1 Amara's group has ended.
        let holidays = provision_due(
            std::slice::from_ref(&p),
            &calendar(),
            day(2026, 12, 28),
            &support,
        );
        assert!(holidays
            .iter()
            .all(|d| d.kind != ProvisionDueKind::NoProvisionThisTerm));
        let spring = provision_due(&[p], &calendar(), day(2027, 1, 5), &support);
        let without: Vec<_> = spring
            .iter()
            .filter(|d| d.kind == ProvisionDueKind::NoProvisionThisTerm)
            .filter_map(|d| d.pupil.clone())
            .collect();
        assert_eq!(without, support.to_vec());
    }
}
