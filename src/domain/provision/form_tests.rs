//! What the provision forms read from what is typed, and the figures the pupil page and the
//! totals show.

use super::calendar::Slot;
use super::details::*;
use super::impact::{Measure, Measured, Rating};
use super::money::Pence;
use super::record::*;
use crate::domain::{BroadArea, PupilId};
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn typed() -> DetailsText {
    DetailsText {
        name: " Reading catch-up ".into(),
        area: "CL".into(),
        kind: "1".into(),
        wave: "2".into(),
        staff: vec!["ta".into()],
        times: [
            "9:15".into(),
            String::new(),
            "09:15".into(),
            String::new(),
            String::new(),
        ],
        minutes: "30".into(),
        starts: "7/9/26".into(),
        ends: "18/12/2026".into(),
        funding: "0".into(),
        extra_costs: vec![ExtraCostText {
            id: String::new(),
            description: "Books".into(),
            amount: "£45".into(),
            on: "07/09/2026".into(),
        }],
        ..Default::default()
    }
}

#[test]
fn details_typed_as_people_type_them_become_the_provision() {
    let now = Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap();
    let base = blank_provision("p1".into(), day(2026, 9, 1), now);
    let p = typed().apply(base, now).unwrap();
    assert_eq!(p.name, "Reading catch-up");
    assert_eq!(p.area, BroadArea::CognitionAndLearning);
    assert_eq!(p.kind, ProvisionType::SmallGroup);
    assert_eq!(p.wave, Wave::Two);
    let nine_fifteen = NaiveTime::from_hms_opt(9, 15, 0).unwrap();
    assert_eq!(
        p.timetable,
        [
            Slot {
                weekday: Weekday::Mon,
                starts: nine_fifteen
            },
            Slot {
                weekday: Weekday::Wed,
                starts: nine_fifteen
            }
        ]
    );
    assert_eq!((p.starts, p.ends), (day(2026, 9, 7), day(2026, 12, 18)));
    assert_eq!(p.extra_costs[0].amount, Pence(4500));
    // And the form filled from it reads back the same.
    let again = DetailsText::of(&p).apply(p.clone(), now).unwrap();
    assert_eq!(again, p);
}

#[test]
fn each_wrong_detail_is_named_beside_its_field() {
    let now = Utc::now();
    let mut text = typed();
    text.name = String::new();
    text.times[2] = "quarter past nine".into();
    text.minutes = "0".into();
    text.ends = "01/09/2026".into();
    text.extra_costs[0].amount = "12.345".into();
    let problems = text
        .apply(blank_provision("p1".into(), day(2026, 9, 1), now), now)
        .unwrap_err();
    let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        [
            "provision-name",
            "provision-time-wed",
            "provision-minutes",
            "provision-ends",
            "extra-1-amount"
        ]
    );
}

#[test]
fn ages_are_read_in_years_and_months_and_measures_need_a_date() {
    assert_eq!(parse_age("7y 4m"), Some(88));
    assert_eq!(parse_age("7:04"), Some(88));
    assert_eq!(parse_age("88"), Some(88));
    assert_eq!(parse_age("7y 14m"), None);
    assert_eq!(parse_age("7.12"), None);
    assert_eq!(parse_age("seven"), None);
    let read = MeasureText {
        kind: "reading-age".into(),
        value: "7y 4m".into(),
        on: "07/09/2026".into(),
    }
    .read("part-entry", "entry")
    .unwrap();
    assert_eq!(
        read,
        Some(Measured {
            measure: Measure::ReadingAge { months: 88 },
            on: day(2026, 9, 7)
        })
    );
    let undated = MeasureText {
        kind: "standardised".into(),
        value: "86".into(),
        on: String::new(),
    }
    .read("part-exit", "exit")
    .unwrap_err();
    assert_eq!(undated[0].0, "part-exit-on");
    assert_eq!(MeasureText::default().read("part-exit", "exit"), Ok(None));
}

#[test]
fn a_pupils_part_keeps_exit_after_entry_and_ratings_in_range() {
    let now = Utc::now();
    let enrolment = Enrolment {
        pupil: PupilId("a".into()),
        joined: day(2026, 9, 7),
        left: None,
        entry: None,
        exit: None,
        rating: None,
        note: String::new(),
        edited: now,
    };
    let mut part = PartText {
        joined: "07/09/2026".into(),
        left: String::new(),
        entry: MeasureText {
            kind: "standardised".into(),
            value: "82".into(),
            on: "07/09/2026".into(),
        },
        exit: MeasureText {
            kind: "standardised".into(),
            value: "89".into(),
            on: "01/09/2026".into(),
        },
        rating: "1".into(),
        note: String::new(),
    };
    let problems = part.apply(enrolment.clone(), now).unwrap_err();
    assert_eq!(problems[0].0, "part-exit-on");
    part.exit.on = "11/12/2026".into();
    let e = part.apply(enrolment, now).unwrap();
    assert_eq!(e.rating, Rating::new(1));
    assert_eq!(gain_text(e.entry.as_ref(), e.exit.as_ref()), "+7 points");
}

#[test]
fn a_pupils_timeline_shows_joining_leaving_measures_and_rating() {
    use super::for_pupil::provision_timeline;
    let now = Utc::now();
    let mut p = blank_provision("p1".into(), day(2026, 9, 7), now);
    p.name = "Talk Boost".into();
    let pupil = PupilId("a".into());
    p.enrol(&pupil, day(2026, 9, 7), now).unwrap();
    p.leave(&pupil, day(2026, 12, 11), now).unwrap();
    p.enrolments[0].exit = Some(Measured {
        measure: Measure::Standardised { score: 91 },
        on: day(2026, 12, 11),
    });
    p.enrolments[0].rating = Rating::new(2);
    let texts: Vec<String> = provision_timeline([&p], &pupil)
        .into_iter()
        .map(|e| format!("{} {}", e.date, e.text))
        .collect();
    assert_eq!(
        texts,
        [
            "2026-12-11 Left Talk Boost",
            "2026-12-11 Talk Boost: exit measure, Standardised score 91 on 11/12/2026",
            "2026-12-11 Talk Boost: outcome rated +2 (significantly more than expected)",
            "2026-09-07 Joined Talk Boost",
        ]
    );
}

#[test]
fn an_extra_cost_deleted_here_stays_deleted_after_a_merge_with_an_older_copy() {
    let now = Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap();
    let base = blank_provision("p1".into(), day(2026, 9, 1), now);
    let mut older = typed().apply(base, now).unwrap();
    older.extra_costs[0].id = "cost-books".into();
    // Deleted here an hour later.
    let mut text = DetailsText::of(&older);
    text.extra_costs.clear();
    let ours = text
        .apply(older.clone(), now + chrono::Duration::hours(1))
        .unwrap();
    assert!(ours.extra_costs.is_empty());
    assert_eq!(ours.removed_costs, ["cost-books"]);
    // The other copy still has it, and adds a cost of its own.
    let mut theirs = older.clone();
    theirs.extra_costs.push(ExtraCost {
        id: "cost-taxi".into(),
        description: "Taxi to the outreach centre".into(),
        amount: Pence(1200),
        on: day(2026, 10, 5),
    });
    let merged = super::merge::merge_provisions(&ours, &theirs);
    assert_eq!(merged, super::merge::merge_provisions(&theirs, &ours));
    let ids: Vec<&str> = merged.extra_costs.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["cost-taxi"]);
    assert_eq!(merged.removed_costs, ["cost-books"]);
    assert_eq!(merged.check(), Ok(()));
    // Keeping a cost unchanged remembers nothing.
    let kept = DetailsText::of(&merged)
        .apply(merged.clone(), now + chrono::Duration::hours(2))
        .unwrap();
    assert_eq!(kept.removed_costs, ["cost-books"]);
    assert_eq!(kept.extra_costs.len(), 1);
}

#[test]
fn a_provision_remembering_too_many_deleted_costs_is_refused_by_its_check() {
    let now = Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap();
    let base = blank_provision("p1".into(), day(2026, 9, 1), now);
    let mut p = typed().apply(base, now).unwrap();
    p.removed_costs = (0..=super::edit::MAX_REMOVED_COSTS)
        .map(|i| format!("{i:016x}"))
        .collect();
    assert!(p.check().is_err());
    p.removed_costs.pop();
    assert_eq!(p.check(), Ok(()));
    p.removed_costs[0] = "x".repeat(200);
    assert!(p.check().is_err());
}

#[test]
fn a_day_can_have_two_sessions_typed_with_a_comma_and_reads_back_the_same() {
    let now = Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap();
    let base = blank_provision("p1".into(), day(2026, 9, 1), now);
    let mut text = typed();
    text.times[0] = "13:30, 9:15".into();
    let p = text.apply(base.clone(), now).unwrap();
    let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert_eq!(
        p.timetable
            .iter()
            .map(|s| (s.weekday, s.starts))
            .collect::<Vec<_>>(),
        [
            (Weekday::Mon, at(9, 15)),
            (Weekday::Mon, at(13, 30)),
            (Weekday::Wed, at(9, 15))
        ]
    );
    assert_eq!(DetailsText::of(&p).times[0], "09:15, 13:30");
    assert_eq!(DetailsText::of(&p).apply(p.clone(), now).unwrap(), p);
    // The same time twice, or one time not a time, is named beside Monday's field.
    text.times[0] = "09:15, 9:15".into();
    let problems = text.apply(base.clone(), now).unwrap_err();
    assert_eq!(problems[0].0, "provision-time-mon");
    assert_eq!(problems[0].1, "Monday has the same start time twice.");
    text.times[0] = "09:15, lunch".into();
    let problems = text.apply(base, now).unwrap_err();
    assert_eq!(problems[0].0, "provision-time-mon");
    assert!(
        problems[0].1.starts_with("Enter Monday's start times"),
        "{}",
        problems[0].1
    );
}
