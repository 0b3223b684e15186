//! The money and the maths of the provision map, pinned with figures a person works out by
//! hand (issue 15, "Done when").

use super::calendar::{Closure, DayPart, SchoolCalendar, SchoolYearDates, Slot, Term};
use super::costs::{is_near_threshold, CostProblem, CostYear, Costing, NOTIONAL_THRESHOLD};
use super::money::{ExactCost, Pence};
use super::record::*;
use super::staff::{RoleRates, StaffMember, StaffRole};
use crate::domain::{BroadArea, PupilId};
use chrono::{NaiveDate, NaiveTime, Weekday};
use std::collections::BTreeMap;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// One twelve-week term, 7 September to 27 November 2026, with any closures given.
fn calendar(closures: Vec<Closure>) -> SchoolCalendar {
    SchoolCalendar {
        years: vec![SchoolYearDates {
            starts_in: 2026,
            terms: vec![Term {
                name: "Autumn".into(),
                starts: day(2026, 9, 7),
                ends: day(2026, 11, 27),
            }],
            closures,
            to_check: false,
        }],
    }
}

fn staff() -> Vec<StaffMember> {
    vec![StaffMember {
        id: "ta".into(),
        name: "Mrs Patel".into(),
        role: StaffRole::TeachingAssistant,
        hourly: None,
        left: false,
    }]
}

/// Teaching assistants at £14.37 an hour.
fn rates() -> RoleRates {
    RoleRates(BTreeMap::from([(
        StaffRole::TeachingAssistant,
        Pence(1437),
    )]))
}

/// Costs worked out with the staff and rates above, on 30 November 2026 unless moved.
fn costing<'a>(
    staff: &'a [StaffMember],
    rates: &'a RoleRates,
    calendar: &'a SchoolCalendar,
) -> Costing<'a> {
    Costing {
        staff,
        rates,
        calendar,
        today: day(2026, 11, 30),
    }
}

fn pupil(id: &str) -> PupilId {
    PupilId(id.into())
}

fn enrolled(id: &str, joined: NaiveDate) -> Enrolment {
    Enrolment {
        pupil: pupil(id),
        joined,
        left: None,
        entry: None,
        exit: None,
        rating: None,
        note: String::new(),
        edited: Default::default(),
    }
}

fn provision(kind: ProvisionType, timetable: Vec<Slot>, minutes: u32) -> Provision {
    Provision {
        id: "p1".into(),
        name: "Reading catch-up".into(),
        area: BroadArea::CognitionAndLearning,
        description: String::new(),
        intended_outcome: "Reading age up by six months".into(),
        kind,
        wave: Wave::Two,
        staff: vec!["ta".into()],
        timetable,
        minutes,
        starts: day(2026, 9, 7),
        ends: day(2026, 11, 27),
        extra_costs: Vec::new(),
        removed_costs: Vec::new(),
        funding: Funding::NotionalSenBudget,
        confidential: false,
        enrolments: Vec::new(),
        sessions: Vec::new(),
        details_edited: Default::default(),
        history: Vec::new(),
        revision: 0,
    }
}

fn mon_wed_fri() -> Vec<Slot> {
    [Weekday::Mon, Weekday::Wed, Weekday::Fri]
        .map(|weekday| Slot {
            weekday,
            starts: at(9, 15),
        })
        .to_vec()
}

/// Every planned session recorded, delivered to everyone in the provision that day, but
/// those in `missed` (not delivered: staff absent).
fn record_all(p: &mut Provision, costing: &Costing, missed: &[NaiveDate]) {
    p.sessions = costing
        .planned(p)
        .into_iter()
        .map(|s| SessionRecord {
            on: s.on,
            starts: s.starts,
            recorded: Default::default(),
            outcome: if missed.contains(&s.on) {
                SessionOutcome::NotDelivered(NotDelivered::StaffAbsent)
            } else {
                SessionOutcome::Delivered {
                    attended: p
                        .enrolments
                        .iter()
                        .filter(|e| e.is_in_on(s.on))
                        .map(|e| e.pupil.clone())
                        .collect(),
                }
            },
        })
        .collect();
}

#[test]
fn a_one_to_one_three_times_a_week_for_twelve_weeks_with_one_session_not_delivered() {
    let (staff, rates, cal) = (staff(), rates(), calendar(Vec::new()));
    let costing = costing(&staff, &rates, &cal);
    let mut p = provision(ProvisionType::OneToOne, mon_wed_fri(), 30);
    p.enrolments.push(enrolled("amara", day(2026, 9, 7)));
    record_all(&mut p, &costing, &[day(2026, 10, 14)]);

    let cost = costing.provision(&p).unwrap();
    // 30 minutes at £14.37 an hour: 718.5p a session.
    assert_eq!(cost.session.cost, ExactCost::of_minutes(Pence(1437), 30));
    assert_eq!(
        cost.session.hourly,
        vec![("Mrs Patel".to_string(), Pence(1437))]
    );
    assert_eq!(cost.sessions_planned, 36);
    assert_eq!(cost.sessions_delivered, 35);
    assert_eq!(cost.minutes_planned, 36 * 30);
    assert_eq!(cost.minutes_delivered, 35 * 30);
    // 35 x 718.5p = 25,147.5p: £251.48, rounded once.
    assert_eq!(cost.to_date.rounded(), Pence(25_148));
    assert_eq!(
        cost.projected, cost.to_date,
        "nothing is planned after today"
    );

    let year = CostYear::School(2026).days();
    let share = costing.pupil_share(&p, &pupil("amara"), year).unwrap();
    assert_eq!(share.to_date, cost.to_date, "a 1:1 is wholly its pupil's");
    assert_eq!((share.sessions_attended, share.sessions_planned), (35, 36));
    assert_eq!(
        (share.minutes_attended, share.minutes_planned),
        (1_050, 1_080)
    );

    // Halfway through (today 16 October, after week 6): 17 delivered, 18 ahead.
    let halfway = Costing {
        today: day(2026, 10, 16),
        ..costing
    };
    let cost = halfway.provision(&p).unwrap();
    assert_eq!(cost.sessions_delivered, 17);
    assert_eq!(
        cost.to_date,
        ExactCost::of_minutes(Pence(1437), 30).times(17)
    );
    assert_eq!(
        cost.projected,
        ExactCost::of_minutes(Pence(1437), 30).times(35)
    );
}

#[test]
fn a_term_with_a_closure_day_plans_one_session_fewer() {
    let closure = Closure {
        on: day(2026, 10, 14),
        part: DayPart::Whole,
        reason: "INSET".into(),
    };
    let (staff, rates, cal) = (staff(), rates(), calendar(vec![closure]));
    let costing = costing(&staff, &rates, &cal);
    let mut p = provision(ProvisionType::OneToOne, mon_wed_fri(), 30);
    p.enrolments.push(enrolled("amara", day(2026, 9, 7)));
    record_all(&mut p, &costing, &[day(2026, 10, 16)]);
    let cost = costing.provision(&p).unwrap();
    assert_eq!(cost.sessions_planned, 35);
    assert_eq!(cost.sessions_delivered, 34);
    // 34 x 718.5p = 24,429p.
    assert_eq!(cost.to_date.rounded(), Pence(24_429));
    assert!(cost.to_date.is_whole());
}

#[test]
fn a_group_whose_size_changes_mid_term_is_shared_by_those_in_it_each_day() {
    let (staff, rates, cal) = (staff(), rates(), calendar(Vec::new()));
    let costing = costing(&staff, &rates, &cal);
    let tue_thu = [Weekday::Tue, Weekday::Thu]
        .map(|weekday| Slot {
            weekday,
            starts: at(14, 0),
        })
        .to_vec();
    let mut p = provision(ProvisionType::SmallGroup, tue_thu, 45);
    for id in ["amara", "ben", "chloe"] {
        p.enrolments.push(enrolled(id, day(2026, 9, 7)));
    }
    // Dev joins at the start of week 7.
    p.enrolments.push(enrolled("dev", day(2026, 10, 19)));
    record_all(&mut p, &costing, &[]);
    // Amara is away one Tuesday: she is still in the group, so still shares it.
    p.sessions[3].outcome = SessionOutcome::Delivered {
        attended: vec![pupil("ben"), pupil("chloe")],
    };

    let cost = costing.provision(&p).unwrap();
    // 45 minutes at £14.37: 1,077.75p a session, 24 sessions: 25,866p.
    assert_eq!(cost.sessions_planned, 24);
    assert_eq!(
        cost.to_date,
        ExactCost::of_minutes(Pence(1437), 45).times(24)
    );
    assert_eq!(cost.to_date.rounded(), Pence(25_866));

    let year = CostYear::School(2026).days();
    let share = |id| costing.pupil_share(&p, &pupil(id), year).unwrap();
    let session = ExactCost::of_minutes(Pence(1437), 45);
    // 12 sessions in three, then 12 in four.
    let first_three = session.shared_by(3).times(12) + session.shared_by(4).times(12);
    assert_eq!(share("amara").to_date, first_three);
    assert_eq!(share("amara").to_date.rounded(), Pence(7_544)); // 7,544.25p
    assert_eq!(share("amara").sessions_attended, 23);
    assert_eq!(share("dev").to_date, session.shared_by(4).times(12));
    assert_eq!(share("dev").sessions_planned, 12);
    // The shares add up to the whole, exactly.
    let sum = ["amara", "ben", "chloe", "dev"]
        .map(|id| share(id).to_date)
        .into_iter()
        .sum::<ExactCost>();
    assert_eq!(sum, cost.to_date);
}

#[test]
fn extra_costs_are_shared_by_those_in_the_provision_on_their_date() {
    let (staff, rates, cal) = (staff(), rates(), calendar(Vec::new()));
    let costing = Costing {
        today: day(2026, 10, 1),
        ..costing(&staff, &rates, &cal)
    };
    let mut p = provision(ProvisionType::SmallGroup, mon_wed_fri(), 30);
    p.enrolments.push(enrolled("amara", day(2026, 9, 7)));
    p.enrolments.push(enrolled("ben", day(2026, 9, 7)));
    p.enrolments.push(enrolled("chloe", day(2026, 11, 2)));
    p.extra_costs = vec![
        ExtraCost {
            id: String::new(),
            description: "Reading books".into(),
            amount: Pence(4_500),
            on: day(2026, 9, 7),
        },
        ExtraCost {
            id: String::new(),
            description: "Licence renewal".into(),
            amount: Pence(9_000),
            on: day(2026, 11, 2),
        },
    ];
    let year = CostYear::School(2026).days();
    let cost = costing.provision(&p).unwrap();
    assert_eq!(cost.extras_to_date, ExactCost::of(Pence(4_500)));
    assert_eq!(cost.extras_in_all, ExactCost::of(Pence(13_500)));
    let amara = costing.pupil_share(&p, &pupil("amara"), year).unwrap();
    let chloe = costing.pupil_share(&p, &pupil("chloe"), year).unwrap();
    // Nothing delivered yet: Amara's to date is half the books; the licence lies ahead.
    assert_eq!(amara.to_date, ExactCost::of(Pence(2_250)));
    assert!(amara.projected > amara.to_date);
    assert_eq!(chloe.to_date, ExactCost::ZERO, "she joined after the books");
}

#[test]
fn a_cost_is_never_made_up_when_a_rate_is_missing() {
    let staff = staff();
    let cal = calendar(Vec::new());
    let none = RoleRates::default();
    let costing = costing(&staff, &none, &cal);
    let p = provision(ProvisionType::OneToOne, mon_wed_fri(), 30);
    assert_eq!(
        costing.provision(&p),
        Err(CostProblem::NoRate {
            name: "Mrs Patel".into()
        })
    );
    let mut gone = p.clone();
    gone.staff = vec!["left-the-school".into()];
    assert!(matches!(
        costing.provision(&gone),
        Err(CostProblem::UnknownStaff { .. })
    ));
}

#[test]
fn attendance_is_counted_without_a_rate_and_as_the_cost_counts_it() {
    let staff = staff();
    let cal = calendar(Vec::new());
    let rates = rates();
    let with_rates = costing(&staff, &rates, &cal);
    let mut p = provision(ProvisionType::SmallGroup, mon_wed_fri(), 30);
    p.enrolments = vec![
        enrolled("amara", day(2026, 9, 7)),
        enrolled("chloe", day(2026, 10, 5)),
    ];
    // Two sessions not delivered; Chloe misses one she was in.
    record_all(&mut p, &with_rates, &[day(2026, 9, 9), day(2026, 10, 7)]);
    if let Some(SessionOutcome::Delivered { attended }) = p
        .sessions
        .iter_mut()
        .find(|s| s.on == day(2026, 10, 9))
        .map(|s| &mut s.outcome)
    {
        attended.retain(|who| who != &pupil("chloe"));
    }
    let none = RoleRates::default();
    let without_rates = costing(&staff, &none, &cal);
    let period = (p.starts, p.ends);
    assert!(without_rates
        .pupil_share(&p, &pupil("chloe"), period)
        .is_err());
    for who in ["amara", "chloe"] {
        let counted = without_rates.pupil_attendance(&p, &pupil(who), period);
        let share = with_rates.pupil_share(&p, &pupil(who), period).unwrap();
        assert_eq!(
            (counted.attended, counted.planned, counted.minutes_attended),
            (
                share.sessions_attended,
                share.sessions_planned,
                share.minutes_attended
            ),
            "{who}"
        );
    }
    // 7 September to 27 November, three a week, no closures: 36 planned, 2 not delivered.
    let amara = without_rates.pupil_attendance(&p, &pupil("amara"), period);
    assert_eq!((amara.attended, amara.planned), (34, 36));
    // Chloe from 5 October: 24 planned, one not delivered, one missed.
    let chloe = without_rates.pupil_attendance(&p, &pupil("chloe"), period);
    assert_eq!(
        (chloe.attended, chloe.planned, chloe.minutes_attended),
        (22, 24, 660)
    );
    assert_eq!(
        without_rates.pupil_attendance(&p, &pupil("dev"), period),
        Default::default()
    );
}

#[test]
fn pupils_at_three_quarters_of_the_notional_threshold_are_flagged_exactly() {
    assert!(is_near_threshold(
        ExactCost::of(Pence(450_000)),
        NOTIONAL_THRESHOLD
    ));
    // A third of a penny short of £4,500.
    let just_short = ExactCost::of(Pence(449_999)) + ExactCost::of(Pence(2)).shared_by(3);
    assert!(!is_near_threshold(just_short, NOTIONAL_THRESHOLD));
    assert_eq!(
        CostYear::Financial(2026).days(),
        (day(2026, 4, 1), day(2027, 3, 31))
    );
    assert_eq!(CostYear::school_of(day(2027, 3, 1)), CostYear::School(2026));
    assert_eq!(CostYear::school_of(day(2026, 9, 1)), CostYear::School(2026));
}

// ---------- changing a provision, and merging two copies ----------

use super::impact::Rating;
use super::merge::merge_provisions;
use chrono::{Duration, TimeZone, Utc};

fn at_time(seconds: i64) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 9, 0, 0).unwrap() + Duration::seconds(seconds)
}

#[test]
fn a_pupil_joins_once_leaves_after_joining_and_a_session_names_only_those_in_it() {
    let mut p = provision(ProvisionType::SmallGroup, mon_wed_fri(), 30);
    p.enrol(&pupil("amara"), day(2026, 9, 7), at_time(0))
        .unwrap();
    assert!(p
        .enrol(&pupil("amara"), day(2026, 9, 8), at_time(1))
        .is_err());
    assert!(p
        .leave(&pupil("amara"), day(2026, 9, 1), at_time(2))
        .is_err());
    p.leave(&pupil("amara"), day(2026, 10, 2), at_time(3))
        .unwrap();
    let after_leaving = SessionRecord {
        on: day(2026, 10, 5),
        starts: at(9, 15),
        outcome: SessionOutcome::Delivered {
            attended: vec![pupil("amara")],
        },
        recorded: at_time(4),
    };
    assert!(p.record_sessions(vec![after_leaving], at_time(4)).is_err());
    assert!(p.sessions.is_empty());
    // Coming back is a change to their dates, made on purpose, not a second place.
    let again = p.enrol(&pupil("amara"), day(2026, 11, 2), at_time(5));
    assert!(again.unwrap_err().contains("until 02/10/2026"));
    assert_eq!(p.enrolments.len(), 1);
    assert_eq!(p.enrolments[0].left, Some(day(2026, 10, 2)));
}

#[test]
fn recording_a_session_again_corrects_it_rather_than_counting_it_twice() {
    let mut p = provision(ProvisionType::OneToOne, mon_wed_fri(), 30);
    p.enrol(&pupil("amara"), day(2026, 9, 7), at_time(0))
        .unwrap();
    let session = |outcome| SessionRecord {
        on: day(2026, 9, 7),
        starts: at(9, 15),
        outcome,
        recorded: at_time(0),
    };
    p.record_sessions(
        vec![session(SessionOutcome::NotDelivered(
            NotDelivered::StaffAbsent,
        ))],
        at_time(1),
    )
    .unwrap();
    let recorded = p
        .record_sessions(
            vec![session(SessionOutcome::Delivered {
                attended: vec![pupil("amara")],
            })],
            at_time(2),
        )
        .unwrap();
    assert_eq!(recorded, 1);
    assert_eq!(p.sessions.len(), 1);
    assert!(p.sessions[0].was_delivered());
    assert_eq!(p.sessions[0].recorded, at_time(2));
}

#[test]
fn merging_two_copies_keeps_the_later_of_each_part_and_agrees_whichever_way_round() {
    let mut base = provision(ProvisionType::SmallGroup, mon_wed_fri(), 30);
    base.details_edited = at_time(0);
    base.enrol(&pupil("amara"), day(2026, 9, 7), at_time(0))
        .unwrap();
    base.enrol(&pupil("ben"), day(2026, 9, 7), at_time(0))
        .unwrap();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    // Ours renames it later; theirs rates Ben later; both record 7 September, theirs later.
    ours.name = "Reading catch-up (autumn)".into();
    ours.details_edited = at_time(10);
    theirs.enrolments[1].rating = Rating::new(2);
    theirs.enrolments[1].edited = at_time(20);
    let delivered = |attended: Vec<PupilId>| SessionOutcome::Delivered { attended };
    ours.record_sessions(
        vec![SessionRecord {
            on: day(2026, 9, 7),
            starts: at(9, 15),
            outcome: delivered(vec![pupil("amara")]),
            recorded: at_time(0),
        }],
        at_time(30),
    )
    .unwrap();
    theirs
        .record_sessions(
            vec![
                SessionRecord {
                    on: day(2026, 9, 7),
                    starts: at(9, 15),
                    outcome: delivered(vec![pupil("amara"), pupil("ben")]),
                    recorded: at_time(0),
                },
                SessionRecord {
                    on: day(2026, 9, 9),
                    starts: at(9, 15),
                    outcome: SessionOutcome::NotDelivered(NotDelivered::Trip),
                    recorded: at_time(0),
                },
            ],
            at_time(40),
        )
        .unwrap();
    let merged = merge_provisions(&ours, &theirs);
    assert_eq!(merged, merge_provisions(&theirs, &ours));
    assert_eq!(merged.name, "Reading catch-up (autumn)");
    assert_eq!(merged.enrolments[1].rating, Rating::new(2));
    assert_eq!(merged.sessions.len(), 2);
    assert_eq!(merged.sessions[0].attended().len(), 2);
}

#[test]
fn a_merge_never_loses_a_measure_recorded_on_the_copy_edited_earlier() {
    let mut base = provision(ProvisionType::SmallGroup, mon_wed_fri(), 30);
    base.enrol(&pupil("amara"), day(2026, 9, 7), at_time(0))
        .unwrap();
    let mut laptop = base.clone();
    let mut home = base.clone();
    laptop.enrolments[0].entry = Some(super::impact::Measured {
        measure: super::impact::Measure::Standardised { score: 82 },
        on: day(2026, 10, 1),
    });
    laptop.enrolments[0].edited = at_time(10);
    home.enrolments[0].left = Some(day(2026, 10, 5));
    home.enrolments[0].edited = at_time(20);
    let merged = merge_provisions(&laptop, &home);
    assert_eq!(merged, merge_provisions(&home, &laptop));
    assert_eq!(merged.enrolments[0].left, Some(day(2026, 10, 5)));
    assert!(merged.enrolments[0].entry.is_some());
}

#[test]
fn a_provision_out_of_bounds_is_refused_by_its_check() {
    let mut p = provision(ProvisionType::SmallGroup, mon_wed_fri(), 30);
    assert_eq!(p.check(), Ok(()));
    p.timetable.push(Slot {
        weekday: Weekday::Sat,
        starts: at(9, 0),
    });
    assert!(p.check().unwrap_err().contains("weekend"));
    let mut p = provision(ProvisionType::SmallGroup, mon_wed_fri(), 0);
    assert!(p.check().is_err());
    p.minutes = 30;
    p.ends = day(2026, 9, 1);
    assert_eq!(p.check(), Err("it ends before it starts".into()));
    // Centuries long, it would hang every list that plans its sessions.
    p.ends = day(2099, 12, 31);
    assert_eq!(p.check(), Err("it runs for more than three years".into()));
    p.ends = day(2026, 12, 18);
    p.staff = vec!["ta".into(), "ta".into()];
    assert!(p.check().unwrap_err().contains("named twice"));
    p.staff = vec!["ta".into()];
    p.enrol(&pupil("amara"), day(2026, 9, 7), at_time(0))
        .unwrap();
    p.sessions.push(SessionRecord {
        on: day(2026, 9, 7),
        starts: at(9, 15),
        outcome: SessionOutcome::Delivered {
            attended: vec![pupil("amara"), pupil("amara")],
        },
        recorded: at_time(0),
    });
    assert!(p.check().unwrap_err().contains("twice"));
}

#[test]
fn a_pupils_share_says_how_it_was_made() {
    use super::costs::share_explained;
    let calendar = calendar(Vec::new());
    let staff = staff();
    let rates = rates();
    let costing = costing(&staff, &rates, &calendar);
    let mut p = provision(ProvisionType::SmallGroup, mon_wed_fri(), 30);
    p.enrolments.push(enrolled("amara", day(2026, 9, 7)));
    p.enrolments.push(enrolled("ben", day(2026, 9, 7)));
    record_all(&mut p, &costing, &[]);
    // Every session to 27 November is recorded; today is 30 November, after the block.
    let text =
        share_explained(&costing, &p, &pupil("amara"), CostYear::School(2026).days()).unwrap();
    assert_eq!(
        text,
        "£129.33 to date: 36 delivered sessions while in it, each £7.19 shared by 2. Projected: £129.33."
    );
}
