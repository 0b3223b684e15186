//! The provision map for a class or year group: each pupil on SEN support or with an EHC plan,
//! and anyone else in a provision, with the provisions they receive over the period, minutes
//! a week, and their share of the cost; pupils with SEN and no provision stand out.

use super::costs::{CostProblem, Costing};
use super::money::ExactCost;
use super::record::{Provision, Wave};
use crate::domain::{BroadArea, Desk, PupilId, SenStatus, YearGroup};
use chrono::NaiveDate;
use std::collections::HashMap;

/// How a confidential provision is named on the map, its print and its CSV.
pub const CONFIDENTIAL: &str = "Confidential provision";

/// Whose map: a year group or a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapScope {
    Year(YearGroup),
    Class(String),
}

/// What the map shows: a scope, a period (a term or any dates), and optionally one broad
/// area of need and one wave of provision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapFilter {
    pub scope: MapScope,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub area: Option<BroadArea>,
    pub wave: Option<Wave>,
}

/// One provision a pupil receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapEntry {
    pub provision: String,
    pub name: String,
    pub minutes_a_week: u32,
    /// Their share over the period (delivered to date and planned after), or why not.
    pub cost: Result<ExactCost, CostProblem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapRow {
    pub pupil: PupilId,
    /// As every list shows them (told apart from anyone of the same name).
    pub label: String,
    pub status: SenStatus,
    pub entries: Vec<MapEntry>,
}

impl MapRow {
    pub fn minutes_a_week(&self) -> u32 {
        self.entries.iter().map(|e| e.minutes_a_week).sum()
    }

    /// The pupil's share over the period: None if any part of it cannot be worked out.
    pub fn cost(&self) -> Option<ExactCost> {
        self.entries.iter().map(|e| e.cost.clone().ok()).sum()
    }

    /// On SEN support or with an EHC plan, and receiving nothing in the period.
    pub fn stands_out(&self) -> bool {
        self.entries.is_empty() && matches!(self.status, SenStatus::SenSupport | SenStatus::EhcPlan)
    }
}

/// The map's rows, in register order (surname first).
/// `labels` are the pupils' names as lists show them (`Desk::name_labels` with
/// `NameOrder::SurnameFirst`), made once for every list rather than at each choice.
pub fn provision_map<'a>(
    desk: &Desk,
    provisions: impl IntoIterator<Item = &'a Provision>,
    costing: &Costing,
    filter: &MapFilter,
    labels: &HashMap<PupilId, String>,
) -> Vec<MapRow> {
    let shown: Vec<&Provision> = provisions
        .into_iter()
        .filter(|p| p.starts <= filter.to && p.ends >= filter.from)
        .filter(|p| filter.area.is_none_or(|area| p.area == area))
        .filter(|p| filter.wave.is_none_or(|wave| p.wave == wave))
        .collect();
    let mut rows: Vec<MapRow> = desk
        .files()
        .filter(|file| !file.pupil.is_archived())
        .filter(|file| match &filter.scope {
            MapScope::Year(year) => file.pupil.year_group == *year,
            MapScope::Class(class) => file
                .pupil
                .class_name
                .trim()
                .eq_ignore_ascii_case(class.trim()),
        })
        .filter_map(|file| {
            let id = &file.pupil.id;
            let entries: Vec<MapEntry> = shown
                .iter()
                .filter(|p| {
                    p.enrolment(id).is_some_and(|e| {
                        e.joined <= filter.to && e.left.is_none_or(|left| left >= filter.from)
                    })
                })
                .map(|p| MapEntry {
                    provision: p.id.clone(),
                    // The map is shared and printed for staff: a confidential provision
                    // (counselling, say) is counted but not named on it.
                    name: if p.confidential {
                        CONFIDENTIAL.to_string()
                    } else {
                        p.name.clone()
                    },
                    minutes_a_week: p.timetable.len() as u32 * p.minutes,
                    cost: costing
                        .pupil_share(p, id, (filter.from, filter.to))
                        .map(|share| share.projected),
                })
                .collect();
            let status = file.sen.status_on(filter.to.min(costing.today));
            let has_sen = matches!(status, SenStatus::SenSupport | SenStatus::EhcPlan);
            (has_sen || !entries.is_empty()).then(|| MapRow {
                pupil: id.clone(),
                label: labels.get(id).cloned().unwrap_or_default(),
                status,
                entries,
            })
        })
        .collect();
    rows.sort_by_cached_key(|row| row.label.to_lowercase());
    rows
}

#[cfg(test)]
mod tests {
    use super::super::calendar::{SchoolCalendar, SchoolYearDates, Slot, Term};
    use super::super::money::Pence;
    use super::super::record::*;
    use super::super::staff::{RoleRates, StaffMember, StaffRole};
    use super::*;
    use crate::domain::pupil::PupilFile;
    use crate::domain::sen::StatusChange;
    use crate::domain::Settings;
    use crate::test_support::pupil;
    use chrono::{NaiveTime, TimeZone, Utc, Weekday};
    use std::collections::BTreeMap;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn on_roll(n: u8, forename: &str, surname: &str, year: u8, status: SenStatus) -> PupilFile {
        let mut p = pupil(forename, surname);
        p.id = PupilId(format!("{n:016x}"));
        p.year_group = YearGroup::Year(year);
        p.class_name = format!("{year}B");
        let now = Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap();
        let mut file = PupilFile::new(p, now);
        if status != SenStatus::NoSen {
            file.sen.status_changes.push(StatusChange {
                from: day(2026, 9, 1),
                status,
                reason: String::new(),
                recorded_at: now,
            });
        }
        file
    }

    fn provision(id: &str, area: BroadArea, wave: Wave, pupils: &[u8], slots: usize) -> Provision {
        Provision {
            id: id.into(),
            name: format!("Provision {id}"),
            area,
            description: String::new(),
            intended_outcome: String::new(),
            kind: ProvisionType::SmallGroup,
            wave,
            staff: vec!["ta".into()],
            timetable: [Weekday::Mon, Weekday::Wed, Weekday::Fri][..slots]
                .iter()
                .map(|&weekday| Slot {
                    weekday,
                    starts: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
                })
                .collect(),
            minutes: 30,
            starts: day(2026, 9, 7),
            ends: day(2026, 12, 18),
            extra_costs: Vec::new(),
            removed_costs: Vec::new(),
            funding: Funding::NotionalSenBudget,
            confidential: false,
            enrolments: pupils
                .iter()
                .map(|n| Enrolment {
                    pupil: PupilId(format!("{n:016x}")),
                    joined: day(2026, 9, 7),
                    left: None,
                    entry: None,
                    exit: None,
                    rating: None,
                    note: String::new(),
                    edited: Default::default(),
                })
                .collect(),
            sessions: Vec::new(),
            details_edited: Default::default(),
            history: Vec::new(),
            revision: 0,
        }
    }

    #[test]
    fn the_map_shows_pupils_with_sen_and_anyone_in_a_provision_and_those_with_none_stand_out() {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        desk.put(on_roll(1, "Amara", "Okafor", 4, SenStatus::SenSupport));
        desk.put(on_roll(2, "Ben", "Hughes", 4, SenStatus::EhcPlan));
        desk.put(on_roll(3, "Chloe", "Adams", 4, SenStatus::NoSen));
        desk.put(on_roll(4, "Dev", "Shah", 4, SenStatus::NoSen));
        desk.put(on_roll(5, "Eve", "Brown", 5, SenStatus::SenSupport));
        let provisions = [
            provision(
                "reading",
                BroadArea::CognitionAndLearning,
                Wave::Two,
                &[1, 3, 5],
                3,
            ),
            provision(
                "talk",
                BroadArea::CommunicationAndInteraction,
                Wave::Three,
                &[1],
                2,
            ),
        ];
        let staff = [StaffMember {
            id: "ta".into(),
            name: "Mrs Patel".into(),
            role: StaffRole::TeachingAssistant,
            hourly: None,
            left: false,
        }];
        let rates = RoleRates(BTreeMap::from([(
            StaffRole::TeachingAssistant,
            Pence(1500),
        )]));
        let calendar = SchoolCalendar {
            years: vec![SchoolYearDates {
                starts_in: 2026,
                terms: vec![Term {
                    name: "Autumn".into(),
                    starts: day(2026, 9, 3),
                    ends: day(2026, 12, 18),
                }],
                closures: Vec::new(),
                to_check: false,
            }],
        };
        let costing = Costing {
            staff: &staff,
            rates: &rates,
            calendar: &calendar,
            today: day(2026, 9, 1),
        };
        let mut filter = MapFilter {
            scope: MapScope::Year(YearGroup::Year(4)),
            from: day(2026, 9, 1),
            to: day(2026, 12, 18),
            area: None,
            wave: None,
        };
        let rows = provision_map(
            &desk,
            &provisions,
            &costing,
            &filter,
            &desk.name_labels(crate::domain::names::NameOrder::SurnameFirst),
        );
        let names: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        // Dev has no SEN and no provision; Eve is in Year 5.
        assert_eq!(names, ["Adams, Chloe", "Hughes, Ben", "Okafor, Amara"]);
        let amara = &rows[2];
        assert_eq!(amara.minutes_a_week(), 90 + 60);
        // Nothing delivered yet: the reading group's planned sessions shared three ways,
        // 45 of them (15 weeks), at £7.50 a session; the talk group's 30 alone.
        assert_eq!(
            amara.entries[0].cost,
            Ok(ExactCost::of(Pence(750)).shared_by(3).times(45))
        );
        assert_eq!(amara.cost().unwrap().rounded(), Pence(11_250 + 22_500));
        assert!(!amara.stands_out());
        assert!(rows[1].stands_out(), "Ben has an EHC plan and no provision");
        assert!(!rows[0].stands_out(), "Chloe has no SEN");

        // One wave, one class: the talk group alone, and Ben still stands out.
        filter.wave = Some(Wave::Three);
        filter.scope = MapScope::Class(" 4b ".into());
        let rows = provision_map(
            &desk,
            &provisions,
            &costing,
            &filter,
            &desk.name_labels(crate::domain::names::NameOrder::SurnameFirst),
        );
        let names: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(names, ["Hughes, Ben", "Okafor, Amara"]);
        assert_eq!(rows[1].entries.len(), 1);
        // A period after every provision ended: only pupils with SEN, all standing out.
        filter.wave = None;
        filter.from = day(2027, 1, 5);
        filter.to = day(2027, 2, 12);
        let rows = provision_map(
            &desk,
            &provisions,
            &costing,
            &filter,
            &desk.name_labels(crate::domain::names::NameOrder::SurnameFirst),
        );
        assert!(rows.iter().all(MapRow::stands_out));
        assert_eq!(rows.len(), 2);
        // A confidential provision is counted on the map but not named there.
        let mut provisions = provisions;
        provisions[1].confidential = true;
        filter.from = day(2026, 9, 1);
        filter.to = day(2026, 12, 18);
        let rows = provision_map(
            &desk,
            &provisions,
            &costing,
            &filter,
            &desk.name_labels(crate::domain::names::NameOrder::SurnameFirst),
        );
        let amara = rows.iter().find(|r| r.label == "Okafor, Amara").unwrap();
        let names: Vec<&str> = amara.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Provision reading", CONFIDENTIAL]);
        assert_eq!(amara.minutes_a_week(), 90 + 60);
    }
}
