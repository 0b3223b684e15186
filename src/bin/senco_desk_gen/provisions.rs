//! Five school years of provision for the benchmark's large school (issue 15): term dates
//! with closure days, staff at role and own rates, 60 provisions a year of 2 to 8 pupils on
//! the SEN register, three sessions a week recorded up to today, and entry and exit
//! measures (with ratings) for most pupils.

use super::Dice;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use senco_desk::domain::provision::calendar::{
    Closure, DayPart, SchoolCalendar, SchoolYearDates, Slot, Term,
};
use senco_desk::domain::provision::impact::{Measure, Measured, Rating};
use senco_desk::domain::provision::money::Pence;
use senco_desk::domain::provision::record::{
    Funding, NotDelivered, Provision, ProvisionType, SessionOutcome, SessionRecord, Wave,
};
use senco_desk::domain::provision::setup::ProvisionSetup;
use senco_desk::domain::provision::staff::{RoleRates, StaffMember, StaffRole};
use senco_desk::domain::{BroadArea, PupilId, YearGroup};
use senco_desk::store::{MemoryStore, OpenDesk};
use std::collections::BTreeMap;

pub const PER_YEAR: usize = 60;
pub const YEARS: i32 = 5;
/// The provision the benchmark records a week of sessions for: six pupils, this term.
pub const GROUP_OF_SIX: &str = "b0b0b0b0b0b0b006";

fn weekday_on_or_after(mut date: NaiveDate) -> NaiveDate {
    while matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        date += Duration::days(1);
    }
    date
}

fn weekday_on_or_before(mut date: NaiveDate) -> NaiveDate {
    while matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        date -= Duration::days(1);
    }
    date
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// Three terms a year and two INSET days, for the five school years up to `last`.
pub fn calendar(last: i32) -> SchoolCalendar {
    let years = (last - YEARS + 1..=last)
        .map(|y| {
            let autumn = weekday_on_or_after(day(y, 9, 3));
            SchoolYearDates {
                starts_in: y,
                terms: vec![
                    Term {
                        name: "Autumn".into(),
                        starts: autumn,
                        ends: weekday_on_or_before(day(y, 12, 18)),
                    },
                    Term {
                        name: "Spring".into(),
                        starts: weekday_on_or_after(day(y + 1, 1, 5)),
                        ends: weekday_on_or_before(day(y + 1, 3, 27)),
                    },
                    Term {
                        name: "Summer".into(),
                        starts: weekday_on_or_after(day(y + 1, 4, 14)),
                        ends: weekday_on_or_before(day(y + 1, 7, 21)),
                    },
                ],
                closures: vec![
                    Closure {
                        on: weekday_on_or_after(autumn + Duration::days(35)),
                        part: DayPart::Whole,
                        reason: "INSET".into(),
                    },
                    Closure {
                        on: weekday_on_or_after(day(y + 1, 1, 20)),
                        part: DayPart::Afternoon,
                        reason: "INSET afternoon".into(),
                    },
                ],
                to_check: false,
            }
        })
        .collect();
    SchoolCalendar { years }
}

pub fn staff() -> (Vec<StaffMember>, RoleRates) {
    let member = |n: usize, name: &str, role, hourly: Option<i64>| StaffMember {
        id: format!("staff{n:02}"),
        name: name.into(),
        role,
        hourly: hourly.map(Pence),
        left: false,
    };
    let mut staff: Vec<StaffMember> = [
        "Mrs Patel",
        "Mr Jones",
        "Ms Achebe",
        "Mrs Nowak",
        "Mr Khan",
        "Miss Reid",
        "Mrs Lee",
        "Mr Evans",
    ]
    .iter()
    .enumerate()
    .map(|(n, name)| member(n, name, StaffRole::TeachingAssistant, None))
    .collect();
    staff.push(member(8, "Mrs Osei", StaffRole::Hlta, Some(1720)));
    staff.push(member(9, "Mr Brooks", StaffRole::Hlta, Some(1785)));
    staff.push(member(10, "Ms Green", StaffRole::Teacher, None));
    staff.push(member(
        11,
        "Speech therapy service",
        StaffRole::External,
        Some(5500),
    ));
    let rates = RoleRates(BTreeMap::from([
        (StaffRole::TeachingAssistant, Pence(1437)),
        (StaffRole::Hlta, Pence(1690)),
        (StaffRole::Teacher, Pence(3250)),
    ]));
    (staff, rates)
}

const NAMES: [(&str, BroadArea); 8] = [
    ("Reading catch-up", BroadArea::CognitionAndLearning),
    ("Precision teaching", BroadArea::CognitionAndLearning),
    ("Number sense", BroadArea::CognitionAndLearning),
    ("Talk Boost", BroadArea::CommunicationAndInteraction),
    (
        "Social skills group",
        BroadArea::CommunicationAndInteraction,
    ),
    (
        "Emotional literacy (ELSA)",
        BroadArea::SocialEmotionalMentalHealth,
    ),
    (
        "Zones of regulation",
        BroadArea::SocialEmotionalMentalHealth,
    ),
    ("Fine motor group", BroadArea::SensoryPhysical),
];

pub struct Made {
    pub provisions: usize,
    pub enrolments: usize,
    pub sessions: usize,
    pub measured: usize,
}

/// Makes and saves every provision. `register` holds the SEN pupils by year group.
pub fn make(
    dice: &mut Dice,
    open: &mut OpenDesk,
    store: &mut MemoryStore,
    register: &BTreeMap<YearGroup, Vec<PupilId>>,
    today: NaiveDate,
) -> Made {
    let calendar = open.desk.settings.provision.calendar.clone();
    let staff = open.desk.settings.provision.staff.clone();
    let mut made = Made {
        provisions: 0,
        enrolments: 0,
        sessions: 0,
        measured: 0,
    };
    let years: Vec<&YearGroup> = register.keys().collect();
    let now = Utc::now();
    let mut six_made = false;
    for year in &calendar.years {
        for n in 0..PER_YEAR {
            let term = &year.terms[n % year.terms.len()];
            if term.starts > today {
                continue;
            }
            let (name, area) = NAMES[dice.below(NAMES.len())];
            let group_year = years[dice.below(years.len())];
            let candidates = &register[group_year];
            let first_this_term = !six_made && term.starts <= today && today <= term.ends;
            six_made |= first_this_term;
            let size = if first_this_term { 6 } else { dice.range(2, 8) }.min(candidates.len());
            let mut pupils: Vec<PupilId> = Vec::new();
            while pupils.len() < size {
                let p = candidates[dice.below(candidates.len())].clone();
                if !pupils.contains(&p) {
                    pupils.push(p);
                }
            }
            let at = if dice.chance(50) { (9, 15) } else { (13, 30) };
            let starts = NaiveTime::from_hms_opt(at.0, at.1, 0).unwrap();
            let days = if dice.chance(50) {
                [Weekday::Mon, Weekday::Wed, Weekday::Fri]
            } else {
                [Weekday::Tue, Weekday::Thu, Weekday::Fri]
            };
            let id = if first_this_term {
                GROUP_OF_SIX.to_string()
            } else {
                format!("{:016x}", dice.next())
            };
            let mut provision = Provision {
                id,
                name: format!("{name}, {group_year}"),
                area,
                description: String::new(),
                intended_outcome: "Progress at least twice the usual rate".into(),
                kind: if dice.chance(15) {
                    ProvisionType::InClassSupport
                } else {
                    ProvisionType::SmallGroup
                },
                wave: if dice.chance(25) {
                    Wave::Three
                } else {
                    Wave::Two
                },
                staff: vec![staff[dice.below(staff.len())].id.clone()],
                timetable: days
                    .iter()
                    .map(|&weekday| Slot { weekday, starts })
                    .collect(),
                minutes: [20, 30, 45][dice.below(3)],
                starts: term.starts,
                ends: term.ends,
                extra_costs: Vec::new(),
                removed_costs: Vec::new(),
                funding: Funding::NotionalSenBudget,
                confidential: false,
                enrolments: Vec::new(),
                sessions: Vec::new(),
                details_edited: now,
                history: Vec::new(),
                revision: 0,
            };
            let ended = term.ends < today;
            for pupil in &pupils {
                provision.enrol(pupil, term.starts, now).expect("new pupil");
                let e = provision.enrolments.last_mut().unwrap();
                let reading = dice.chance(60);
                if dice.chance(90) {
                    let start = dice.range(70, 110) as u16;
                    e.entry = Some(Measured {
                        measure: if reading {
                            Measure::ReadingAge { months: start }
                        } else {
                            Measure::Standardised { score: start }
                        },
                        on: term.starts,
                    });
                    if ended && dice.chance(85) {
                        let gain = dice.range(0, 9) as u16;
                        e.exit = Some(Measured {
                            measure: if reading {
                                Measure::ReadingAge {
                                    months: start + gain,
                                }
                            } else {
                                Measure::Standardised {
                                    score: start + gain,
                                }
                            },
                            on: term.ends,
                        });
                        e.rating = Rating::new(dice.range(0, 4) as i8 - 2);
                        made.measured += 1;
                    }
                }
            }
            let recorded_to = today.min(term.ends);
            let sessions: Vec<SessionRecord> = calendar
                .planned_sessions(&provision.timetable, term.starts, recorded_to)
                .into_iter()
                .map(|planned| SessionRecord {
                    on: planned.on,
                    starts: planned.starts,
                    outcome: if dice.chance(5) {
                        SessionOutcome::NotDelivered(match dice.below(3) {
                            0 => NotDelivered::StaffAbsent,
                            1 => NotDelivered::Trip,
                            _ => NotDelivered::PupilAbsent,
                        })
                    } else {
                        SessionOutcome::Delivered {
                            attended: pupils.iter().filter(|_| dice.chance(92)).cloned().collect(),
                        }
                    },
                    recorded: now,
                })
                .collect();
            made.sessions += sessions.len();
            provision
                .record_sessions(sessions, now)
                .expect("sessions for pupils in it");
            made.enrolments += provision.enrolments.len();
            open.save_provision(store, provision, None, "Made the provision", now)
                .expect("provision saved");
            made.provisions += 1;
        }
    }
    made
}

/// The set-up the provisions are costed with.
pub fn setup(last: i32) -> ProvisionSetup {
    let (staff, rates) = staff();
    ProvisionSetup {
        staff,
        rates,
        calendar: calendar(last),
        ..ProvisionSetup::default()
    }
}
