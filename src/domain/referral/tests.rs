use super::agency::{Agency, AgencyKind, AgencySetup, TimeUse, TradedTime, TradedUnit};
use super::clock::{after_school_days, school_days_after};
use super::merge::merge_referrals;
use super::*;
use crate::domain::due::{what_is_due, DueKind};
use crate::domain::plan::{PlanOutcome, PlanStatus};
use crate::domain::provision::calendar::{SchoolCalendar, SchoolYearDates, Term};
use crate::domain::pupil::{PupilFile, PupilId};
use crate::domain::{Desk, SenStatus, Settings, StatusChange};
use crate::test_support::pupil;
use chrono::TimeZone;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 2, 10, 0, 0).unwrap()
}

fn ep() -> Agency {
    Agency {
        id: "00000000000000e1".into(),
        kind: AgencyKind::EducationalPsychology,
        name: "North Locality EP Team".into(),
        professionals: vec![Professional {
            id: "00000000000000f1".into(),
            name: "Dr Okafor".into(),
            role: "Educational psychologist".into(),
            phone: "01632 960123".into(),
            email: "okafor@example.org".into(),
        }],
        notes: String::new(),
        traded: vec![TradedTime {
            starts_in: 2026,
            unit: TradedUnit::Hours,
            bought: 1_200,
        }],
        uses: Vec::new(),
    }
}

fn step(kind: StepKind, on: NaiveDate) -> ReferralStep {
    ReferralStep {
        kind,
        on,
        appointment_on: None,
        note: String::new(),
    }
}

fn consented(today: NaiveDate) -> Referral {
    let mut r = Referral::new(&ep(), "Slow progress in reading despite two cycles", today);
    r.id = "0000000000000a01".into();
    r.consent = Some(Consent {
        on: today,
        by: "Mrs Patel (mum)".into(),
    });
    r
}

/// A pupil on SEN support with an active plan (id p1) holding one strategy.
fn file() -> PupilFile {
    let mut p = pupil("Ada", "Lovelace");
    p.id = PupilId("00000000000000aa".into());
    let mut file = PupilFile::new(p, now());
    file.sen.status_changes.push(StatusChange {
        from: day(2026, 9, 1),
        status: SenStatus::SenSupport,
        reason: String::new(),
        recorded_at: now(),
    });
    let mut plan = file
        .new_plan(day(2026, 9, 7), false, day(2026, 9, 1))
        .unwrap();
    plan.id = "00000000000000b1".into();
    plan.status = PlanStatus::Active;
    plan.outcomes = vec![PlanOutcome {
        text: "Read 40 words a minute".into(),
        ..PlanOutcome::default()
    }];
    plan.strategies = vec!["Pre-teach vocabulary".into()];
    file.plans.push(plan);
    file
}

/// A referral with the report in and two recommendations.
fn with_report(file: &mut PupilFile) {
    let mut r = consented(day(2026, 9, 14));
    for (kind, on) in [
        (StepKind::Sent, day(2026, 9, 15)),
        (StepKind::Accepted, day(2026, 9, 22)),
        (StepKind::Seen, day(2026, 10, 6)),
        (StepKind::ReportReceived, day(2026, 10, 20)),
    ] {
        r.record_step(step(kind, on), day(2026, 11, 2)).unwrap();
    }
    r.add_recommendations(
        "- Use a reading ruler\n\n• Daily precision teaching\nSit near the front\n",
    )
    .unwrap();
    let mut n = 0;
    r.give_ids(|| {
        n += 1;
        format!("00000000000001{n:02x}")
    });
    file.referrals.push(r);
}

#[test]
fn steps_follow_their_order_and_each_needs_what_it_says() {
    let today = day(2026, 11, 2);
    let mut r = Referral::new(&ep(), "Reading", day(2026, 9, 14));
    assert_eq!(r.status(), "Draft");
    // Nothing but sending comes first, and sending needs the parents' consent.
    let e = r
        .record_step(step(StepKind::Accepted, today), today)
        .unwrap_err();
    assert_eq!(e.message, "A new referral is sent first.");
    let e = r
        .record_step(step(StepKind::Sent, day(2026, 9, 15)), today)
        .unwrap_err();
    assert_eq!(e.field, "consent_on");
    r.consent = Some(Consent {
        on: day(2026, 9, 16),
        by: "Mr Lovelace (dad)".into(),
    });
    let e = r
        .record_step(step(StepKind::Sent, day(2026, 9, 15)), today)
        .unwrap_err();
    assert!(e.message.contains("before the parents' consent"), "{e}");
    r.record_step(step(StepKind::Sent, day(2026, 9, 16)), today)
        .unwrap();
    assert_eq!(r.sent_on(), Some(day(2026, 9, 16)));
    // Not before the last step, not after today, and a report only after being seen.
    let e = r
        .record_step(step(StepKind::Accepted, day(2026, 9, 10)), today)
        .unwrap_err();
    assert!(e.message.contains("before the last step"), "{e}");
    let e = r
        .record_step(step(StepKind::Accepted, day(2026, 11, 3)), today)
        .unwrap_err();
    assert_eq!(e.field, "step_on");
    let e = r
        .record_step(step(StepKind::ReportReceived, today), today)
        .unwrap_err();
    assert_eq!(e.message, "Report received cannot follow Sent.");
    // An appointment needs its date; a decline needs its reason.
    let e = r
        .record_step(step(StepKind::Appointment, today), today)
        .unwrap_err();
    assert_eq!(e.field, "appointment_on");
    let e = r
        .record_step(step(StepKind::Declined, today), today)
        .unwrap_err();
    assert_eq!(e.field, "step_note");
    let mut declined = step(StepKind::Declined, day(2026, 10, 1));
    declined.note = "  Needs two cycles of school support first ".into();
    r.record_step(declined, today).unwrap();
    assert_eq!(r.status(), "Declined");
    assert_eq!(r.next_steps(), &[StepKind::Closed]);
    assert_eq!(
        r.declined_because().unwrap().note,
        "Needs two cycles of school support first"
    );
    assert!(r.check().is_ok());
    r.record_step(step(StepKind::Closed, today), today).unwrap();
    assert!(!r.is_open());
    assert!(r.next_steps().is_empty());
    // Taken back one at a time.
    assert_eq!(r.undo_step().unwrap().kind, StepKind::Closed);
    assert!(r.is_open());
}

#[test]
fn a_stored_referral_with_steps_out_of_order_is_refused_by_its_check() {
    let mut r = consented(day(2026, 9, 14));
    r.steps = vec![step(StepKind::Seen, day(2026, 9, 20))];
    assert!(r.check().unwrap_err().contains("sent first"));
    r.steps = vec![
        step(StepKind::Sent, day(2026, 9, 20)),
        step(StepKind::Accepted, day(2026, 9, 19)),
    ];
    assert!(r.check().unwrap_err().contains("before the last step"));
    r.steps = vec![step(StepKind::Sent, day(2026, 9, 20))];
    r.recommendations.push(Recommendation {
        id: "0000000000000c01".into(),
        text: "Reading ruler".into(),
        uptake: None,
    });
    assert!(r.check().unwrap_err().contains("no report"));
}

/// Autumn term 2026 with a half-term week (26 to 30 October) and a closure day.
fn autumn() -> SchoolCalendar {
    SchoolCalendar {
        years: vec![SchoolYearDates {
            starts_in: 2026,
            terms: vec![
                Term {
                    name: "Autumn 1".into(),
                    starts: day(2026, 9, 3),
                    ends: day(2026, 10, 23),
                },
                Term {
                    name: "Autumn 2".into(),
                    starts: day(2026, 11, 2),
                    ends: day(2026, 12, 18),
                },
            ],
            closures: vec![crate::domain::provision::calendar::Closure {
                on: day(2026, 11, 13),
                part: crate::domain::provision::calendar::DayPart::Whole,
                reason: "INSET".into(),
            }],
            to_check: false,
        }],
    }
}

#[test]
fn the_follow_up_clock_counts_school_days_past_weekends_and_holidays() {
    let calendar = autumn();
    // Sent on Friday 16/10/2026: Monday 19 to Friday 23 is 5 days, half term does not
    // count, and the closure on Friday 13/11 does not either.
    assert_eq!(
        school_days_after(&calendar, day(2026, 10, 16), day(2026, 11, 2)),
        6
    );
    assert_eq!(
        after_school_days(&calendar, day(2026, 10, 16), 5),
        day(2026, 10, 23)
    );
    assert_eq!(
        after_school_days(&calendar, day(2026, 10, 16), 6),
        day(2026, 11, 2)
    );
    // 15 school days: 5 before half term, then 2/11 to 12/11 (9), then 16/11 (not 13/11).
    assert_eq!(
        after_school_days(&calendar, day(2026, 10, 16), 15),
        day(2026, 11, 16)
    );
    // A year with no term dates entered counts weekdays: Friday plus one is Monday.
    let none = SchoolCalendar::default();
    assert_eq!(
        after_school_days(&none, day(2027, 10, 15), 1),
        day(2027, 10, 18)
    );
    assert_eq!(
        school_days_after(&none, day(2027, 10, 15), day(2027, 10, 17)),
        0
    );
}

#[test]
fn a_referral_waiting_past_the_follow_up_time_is_listed_on_home_until_news_comes() {
    let mut settings = Settings::new("Test School");
    settings.provision.calendar = autumn();
    settings.agencies.follow_up_weeks = 3;
    settings.agencies.agencies.push(ep());
    let mut desk = Desk::new(settings);
    let mut f = file();
    let mut r = consented(day(2026, 10, 1));
    r.record_step(step(StepKind::Sent, day(2026, 10, 16)), day(2026, 10, 16))
        .unwrap();
    f.referrals.push(r);
    desk.put(f.clone());
    let chase = |desk: &Desk, today| {
        what_is_due(desk, today, &[])
            .into_iter()
            .find(|l| l.kind == DueKind::ReferralToChase)
            .unwrap()
            .items
    };
    // 15 school days run out at the end of Monday 16/11 (half term and INSET skipped).
    assert!(chase(&desk, day(2026, 11, 16)).is_empty());
    let items = chase(&desk, day(2026, 11, 17));
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].referral.as_deref(), Some("0000000000000a01"));
    assert!(
        items[0].detail.starts_with(
            "Referral to North Locality EP Team: Sent on 16/10/2026; no news for 16 school days"
        ),
        "{}",
        items[0].detail
    );
    // An appointment booked is news: nothing to chase until it is past and seen.
    let mut booked = step(StepKind::Appointment, day(2026, 11, 17));
    booked.appointment_on = Some(day(2026, 12, 1));
    f.referrals[0]
        .record_step(booked, day(2026, 11, 17))
        .unwrap();
    desk.put(f);
    assert!(chase(&desk, day(2026, 12, 18)).is_empty());
}

#[test]
fn recommendations_go_into_the_plan_and_passport_with_a_link_both_ways() {
    let mut f = file();
    with_report(&mut f);
    let referral = f.referrals[0].clone();
    let ids: Vec<String> = referral
        .recommendations
        .iter()
        .map(|r| r.id.clone())
        .collect();
    assert_eq!(
        referral
            .recommendations
            .iter()
            .map(|r| r.text.as_str())
            .collect::<Vec<_>>(),
        [
            "Use a reading ruler",
            "Daily precision teaching",
            "Sit near the front"
        ]
    );
    let today = day(2026, 11, 2);
    f.take_up(&referral.id, &ids[0], UptakeTarget::PlanStrategy, today)
        .unwrap();
    f.take_up(&referral.id, &ids[2], UptakeTarget::PassportStrategy, today)
        .unwrap();
    f.referrals[0]
        .not_taken_up(&ids[1], "Already has daily phonics", today)
        .unwrap();
    assert_eq!(
        f.active_plan().unwrap().strategies,
        ["Pre-teach vocabulary", "Use a reading ruler"]
    );
    assert_eq!(
        f.passport.as_ref().unwrap().key_strategies,
        ["Sit near the front"]
    );
    assert_eq!(f.referrals[0].used(), (2, 3));
    // The plan knows which report each came from.
    let from = f.from_reports("00000000000000b1");
    assert_eq!(from.len(), 1);
    assert_eq!(from[0].text, "Use a reading ruler");
    assert_eq!(
        from[0].source,
        "Report from North Locality EP Team, received 20/10/2026"
    );
    assert_eq!(f.from_reports("")[0].text, "Sit near the front");
    assert!(f.uptake_in_place(&f.referrals[0].clone(), &ids[0]));
    // A second press is refused; so is a decided one marked not taken up.
    assert!(f
        .take_up(&referral.id, &ids[0], UptakeTarget::PlanStrategy, today)
        .is_err());
    assert!(f.referrals[0].not_taken_up(&ids[0], "x", today).is_err());
    // Taken back, it leaves the plan and is undecided again.
    f.undo_uptake(&referral.id, &ids[0]).unwrap();
    assert_eq!(
        f.active_plan().unwrap().strategies,
        ["Pre-teach vocabulary"]
    );
    assert_eq!(f.referrals[0].used(), (1, 3));
    assert!(f.from_reports("00000000000000b1").is_empty());
    // The whole file still passes the checks a backup must.
    f.check_limits().unwrap();
}

#[test]
fn a_recommendation_with_no_plan_to_take_it_is_refused_and_changes_nothing() {
    let mut f = file();
    with_report(&mut f);
    f.plans.clear();
    let before = f.clone();
    let (r, rec) = (
        f.referrals[0].id.clone(),
        f.referrals[0].recommendations[0].id.clone(),
    );
    let e = f
        .take_up(&r, &rec, UptakeTarget::PlanOutcome, day(2026, 11, 2))
        .unwrap_err();
    assert!(e.contains("no draft or active support plan"), "{e}");
    assert_eq!(f, before);
}

#[test]
fn declined_referrals_to_the_same_agency_are_found_for_the_next_one() {
    let mut r = consented(day(2026, 9, 1));
    r.record_step(step(StepKind::Sent, day(2026, 9, 2)), day(2026, 9, 30))
        .unwrap();
    let mut d = step(StepKind::Declined, day(2026, 9, 30));
    d.note = "Send evidence of two plan cycles".into();
    r.record_step(d, day(2026, 9, 30)).unwrap();
    let mut other = Referral::new(
        &Agency {
            id: "00000000000000e2".into(),
            ..ep()
        },
        "Motor skills",
        day(2026, 9, 1),
    );
    other.id = "0000000000000a02".into();
    let all = vec![r, other];
    let found = past_declines(&all, "00000000000000e1");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1.note, "Send evidence of two plan cycles");
    assert!(past_declines(&all, "00000000000000e2").is_empty());
}

#[test]
fn traded_time_left_counts_referrals_sent_in_the_year_and_other_work() {
    let mut agency = ep();
    agency.uses.push(TimeUse {
        on: day(2026, 10, 5),
        used: 150,
        what: "Staff consultation".into(),
    });
    agency.uses.push(TimeUse {
        on: day(2026, 8, 5),
        used: 900,
        what: "Last year's training".into(),
    });
    let mut this_year = consented(day(2026, 9, 1));
    this_year
        .record_step(step(StepKind::Sent, day(2026, 9, 2)), day(2026, 9, 2))
        .unwrap();
    this_year.time_used = 350;
    let mut last_year = consented(day(2026, 7, 1));
    last_year.time_used = 500;
    let b = traded::balance(&agency, 2026, [this_year, last_year].iter()).unwrap();
    assert_eq!(
        (b.used_by_referrals, b.used_otherwise, b.left()),
        (350, 150, 700)
    );
    assert_eq!(b.describe(), "7 hours left of 12 hours (5 hours used)");
    assert!(traded::balance(&agency, 2027, std::iter::empty()).is_none());
    assert_eq!(agency::parse_hundredths("2.5"), Some(250));
    assert_eq!(agency::parse_hundredths(".25"), Some(25));
    assert_eq!(agency::parse_hundredths("2.555"), None);
    assert_eq!(agency::parse_hundredths("-1"), None);
    assert_eq!(TradedUnit::Days.amount(50), "0.5 days");
}

#[test]
fn the_directory_refuses_a_second_agency_with_the_same_id_and_bad_follow_up_times() {
    let mut setup = AgencySetup::default();
    setup.put(ep()).unwrap();
    let mut renamed = ep();
    renamed.name = "EP Service".into();
    setup.put(renamed).unwrap();
    assert_eq!(setup.agencies.len(), 1);
    assert_eq!(setup.agencies[0].name, "EP Service");
    setup.agencies.push(ep());
    assert!(setup.check().unwrap_err().contains("twice"));
    setup.agencies.pop();
    setup.follow_up_weeks = 0;
    assert!(setup.check().is_err());
    let mut nameless = ep();
    nameless.name = " ".into();
    assert!(AgencySetup::default().put(nameless).is_err());
}

#[test]
fn a_merge_keeps_both_sides_steps_and_recommendations() {
    let base = {
        let mut r = consented(day(2026, 9, 1));
        r.record_step(step(StepKind::Sent, day(2026, 9, 2)), day(2026, 9, 2))
            .unwrap();
        r
    };
    // One side adds a step; the other a second referral.
    let mut ours = base.clone();
    ours.record_step(step(StepKind::Accepted, day(2026, 9, 9)), day(2026, 9, 9))
        .unwrap();
    ours.edited_at = Some(now());
    let mut second = consented(day(2026, 9, 5));
    second.id = "0000000000000a09".into();
    let merged = merge_referrals(&[ours.clone()], &[base.clone(), second.clone()]);
    assert_eq!(merged.len(), 2);
    assert_eq!(merged[0].steps.len(), 2);
    assert_eq!(merged[1], second);
    // Both sides recorded different next steps: both copies are kept.
    let mut theirs = base.clone();
    let mut d = step(StepKind::Declined, day(2026, 9, 10));
    d.note = "Not our remit".into();
    theirs.record_step(d, day(2026, 9, 10)).unwrap();
    let merged = merge_referrals(&[ours.clone()], &[theirs.clone()]);
    assert_eq!(merged.len(), 2);
    assert!(merged.iter().any(|r| r.status() == "Accepted"));
    assert!(merged.iter().any(|r| r.status() == "Declined"));
    assert!(merged.iter().all(|r| r.check().is_ok()));
    // The same merge twice gives the same result (a merge of a merge adds nothing).
    assert_eq!(merge_referrals(&merged, &[theirs]), merged);
}
