use super::*;
use crate::domain::concern::{Concern, RaisedBy};
use crate::domain::plan::{PlanOutcome, SupportPlan};
use crate::domain::pupil::PupilFile;
use crate::domain::sen::StatusChange;
use crate::domain::{PupilId, Settings};
use crate::test_support::pupil;
use chrono::{DateTime, TimeZone, Utc};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 9, 1, 9, 0, 0).unwrap()
}

fn on_roll(n: u8, surname: &str, status: SenStatus) -> PupilFile {
    let mut p = pupil("Sam", surname);
    p.id = PupilId(format!("{n:016x}"));
    let mut file = PupilFile::new(p, now());
    if status != SenStatus::NoSen {
        file.sen.status_changes.push(StatusChange {
            from: day(2026, 9, 1),
            status,
            reason: String::new(),
            recorded_at: now(),
        });
    }
    file
}

fn plan(cycle: u32, status: PlanStatus, review_on: NaiveDate) -> SupportPlan {
    let mut plan = SupportPlan::draft(cycle, day(2026, 9, 7), vec![], day(2026, 9, 1));
    plan.status = status;
    plan.review_on = review_on;
    plan.outcomes.push(PlanOutcome {
        text: "Read 100 words".into(),
        ..Default::default()
    });
    plan
}

fn desk(files: Vec<PupilFile>) -> Desk {
    let mut desk = Desk::new(Settings::new("Oakfield"));
    for file in files {
        desk.put(file);
    }
    desk
}

fn list(lists: &[DueList], kind: DueKind) -> Vec<(String, String)> {
    lists
        .iter()
        .find(|l| l.kind == kind)
        .unwrap()
        .items
        .iter()
        .map(|i| (i.name.clone(), i.detail.clone()))
        .collect()
}

#[test]
fn reviews_overdue_and_due_soon_are_sorted_by_urgency() {
    let today = day(2026, 11, 25);
    let mut files = Vec::new();
    for (n, (surname, review_on)) in [
        ("Late", day(2026, 11, 1)),
        ("VeryLate", day(2026, 10, 2)),
        ("Soon", day(2026, 12, 9)),
        ("Today", day(2026, 11, 25)),
        ("Later", day(2026, 12, 10)),
    ]
    .into_iter()
    .enumerate()
    {
        let mut file = on_roll(n as u8 + 1, surname, SenStatus::SenSupport);
        file.plans.push(plan(1, PlanStatus::Active, review_on));
        files.push(file);
    }
    let lists = what_is_due(&desk(files), today, &[]);
    assert_eq!(
        list(&lists, DueKind::ReviewOverdue),
        vec![
            (
                "Sam VeryLate".to_string(),
                "Plan 1: review was due 02/10/2026 (54 days ago)".to_string()
            ),
            (
                "Sam Late".to_string(),
                "Plan 1: review was due 01/11/2026 (24 days ago)".to_string()
            ),
        ]
    );
    assert_eq!(
        list(&lists, DueKind::ReviewSoon),
        vec![
            (
                "Sam Today".to_string(),
                "Plan 1: review due 25/11/2026 (today)".to_string()
            ),
            (
                "Sam Soon".to_string(),
                "Plan 1: review due 09/12/2026 (in 14 days)".to_string()
            ),
        ],
        "15 days away is not yet listed"
    );
}

#[test]
fn due_soon_counts_days_across_the_end_of_a_leap_february() {
    let mut file = on_roll(1, "Leap", SenStatus::SenSupport);
    file.plans
        .push(plan(1, PlanStatus::Active, day(2028, 3, 5)));
    let desk = desk(vec![file]);
    let soon = |today| list(&what_is_due(&desk, today, &[]), DueKind::ReviewSoon);
    assert_eq!(
        soon(day(2028, 2, 20)).len(),
        1,
        "29 February makes it 14 days"
    );
    assert!(soon(day(2028, 2, 19)).is_empty(), "15 days away");
    let overdue = list(
        &what_is_due(&desk, day(2028, 3, 6), &[]),
        DueKind::ReviewOverdue,
    );
    assert_eq!(
        overdue[0].1,
        "Plan 1: review was due 05/03/2028 (1 day ago)"
    );
}

#[test]
fn k_and_e_pupils_without_an_active_plan_are_listed_longest_waiting_first() {
    // E pupils are listed only where the school writes termly plans for them too.
    let mut drafted = on_roll(1, "Drafted", SenStatus::EhcPlan);
    drafted
        .plans
        .push(plan(1, PlanStatus::Draft, day(2026, 12, 7)));
    let mut earlier = on_roll(2, "Earlier", SenStatus::SenSupport);
    earlier.sen.status_changes[0].from = day(2026, 6, 1);
    let mut planned = on_roll(3, "Planned", SenStatus::SenSupport);
    planned
        .plans
        .push(plan(1, PlanStatus::Active, day(2026, 12, 7)));
    let monitoring = on_roll(4, "Watched", SenStatus::Monitoring);
    let mut left = on_roll(5, "Gone", SenStatus::SenSupport);
    left.pupil.archived = Some(day(2026, 10, 1));
    let mut desk = desk(vec![drafted, earlier, planned, monitoring, left]);
    desk.settings.ehc.termly_plans = true;
    let lists = what_is_due(&desk, day(2026, 11, 25), &[]);
    assert_eq!(
        list(&lists, DueKind::NoActivePlan),
        vec![
            (
                "Sam Earlier".to_string(),
                "SEN support (K) since 01/06/2026".to_string()
            ),
            (
                "Sam Drafted".to_string(),
                "EHC plan (E) since 01/09/2026; plan 1 is a draft".to_string()
            ),
        ]
    );
}

#[test]
fn drafts_older_than_fourteen_days_are_listed() {
    let mut fresh = on_roll(1, "Fresh", SenStatus::SenSupport);
    let mut p = plan(1, PlanStatus::Draft, day(2027, 2, 7));
    p.drafted_on = day(2026, 11, 11);
    fresh.plans.push(p);
    let mut stale = on_roll(2, "Stale", SenStatus::SenSupport);
    let mut p = plan(1, PlanStatus::Draft, day(2027, 2, 7));
    p.drafted_on = day(2026, 11, 10);
    stale.plans.push(p);
    let lists = what_is_due(&desk(vec![fresh, stale]), day(2026, 11, 25), &[]);
    assert_eq!(
        list(&lists, DueKind::OldDraft),
        vec![(
            "Sam Stale".to_string(),
            "Plan 1: drafted 10/11/2026 (15 days ago)".to_string()
        )]
    );
}

#[test]
fn sen_support_pupils_with_fewer_than_three_parent_meetings_fewest_first() {
    use crate::domain::plan::{OutcomeReview, Progress, Review};
    let reviewed = |held_on, parents_attended| {
        let mut p = plan(1, PlanStatus::Reviewed, held_on);
        p.review = Some(Review {
            parents_attended,
            attended: "Mum".into(),
            outcomes: vec![OutcomeReview {
                progress: Progress::Achieved,
                evidence: String::new(),
            }],
            ..Review::blank(&p, held_on, now())
        });
        p
    };
    let none = on_roll(1, "None", SenStatus::SenSupport);
    let mut one = on_roll(2, "One", SenStatus::SenSupport);
    one.plans.push(reviewed(day(2026, 10, 1), true));
    let mut three = on_roll(3, "Three", SenStatus::SenSupport);
    for (cycle, held) in [
        (1, day(2026, 9, 20)),
        (2, day(2026, 10, 20)),
        (3, day(2026, 11, 20)),
    ] {
        let mut p = reviewed(held, true);
        p.cycle = cycle;
        three.plans.push(p);
    }
    let mut last_year = on_roll(4, "LastYear", SenStatus::SenSupport);
    last_year.plans.push(reviewed(day(2026, 7, 1), true));
    let mut absent = on_roll(5, "Absent", SenStatus::SenSupport);
    absent.plans.push(reviewed(day(2026, 10, 1), false));
    let ehc = on_roll(6, "Ehc", SenStatus::EhcPlan);
    let lists = what_is_due(
        &desk(vec![none, one, three, last_year, absent, ehc]),
        day(2026, 11, 25),
        &[],
    );
    let names: Vec<String> = list(&lists, DueKind::FewParentMeetings)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["Sam Absent", "Sam LastYear", "Sam None", "Sam One"]);
    assert_eq!(
        list(&lists, DueKind::FewParentMeetings)[3].1,
        "1 of 3 meetings with parents recorded"
    );
}

#[test]
fn open_concerns_older_than_four_weeks_oldest_first() {
    let concern = |raised_on, decided: bool| Concern {
        id: String::new(),
        other_decisions: Vec::new(),
        raised_on,
        raised_by: RaisedBy::Staff,
        raised_by_name: "Miss Jones".into(),
        area: None,
        seen: "Struggles with reading".into(),
        evidence: String::new(),
        actions: String::new(),
        decision: decided.then(|| crate::domain::Decision {
            on: raised_on,
            outcome: crate::domain::Outcome::NoFurtherAction,
            note: String::new(),
            recorded_at: now(),
        }),
        recorded_at: now(),
    };
    let mut file = on_roll(1, "Worry", SenStatus::NoSen);
    file.concerns = vec![
        concern(day(2026, 10, 28), false),
        concern(day(2026, 10, 1), false),
        concern(day(2026, 9, 1), true),
    ];
    let lists = what_is_due(&desk(vec![file]), day(2026, 11, 25), &[]);
    let details: Vec<String> = list(&lists, DueKind::OldConcern)
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    assert_eq!(details, ["Concern raised 01/10/2026 (55 days ago)"]);
    let later = what_is_due(&desk(vec![]), day(2026, 11, 25), &[]);
    assert!(later.iter().all(|l| l.items.is_empty()));
}

#[test]
fn a_dismissed_item_stays_hidden_for_a_week_then_returns() {
    let mut file = on_roll(1, "Late", SenStatus::SenSupport);
    file.plans
        .push(plan(1, PlanStatus::Active, day(2026, 11, 1)));
    let desk = desk(vec![file]);
    let today = day(2026, 11, 25);
    let key = what_is_due(&desk, today, &[])[0].items[0].key.clone();
    let dismissed = dismiss(&[], &key, today);
    assert_eq!(dismissed[0].until, day(2026, 12, 2));
    let overdue = |on, d: &[Dismissal]| what_is_due(&desk, on, d)[0].clone();
    let hidden = overdue(today, &dismissed);
    assert!(hidden.items.is_empty());
    assert_eq!(hidden.dismissed, 1);
    assert!(overdue(day(2026, 12, 1), &dismissed).items.is_empty());
    assert_eq!(overdue(day(2026, 12, 2), &dismissed).items.len(), 1);
    // Dismissing again a week later drops the expired entry rather than piling up.
    let again = dismiss(&dismissed, "other", day(2026, 12, 3));
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].key, "other");
}

#[test]
fn a_dismissal_dated_beyond_a_week_hides_nothing() {
    let mut file = on_roll(1, "Late", SenStatus::SenSupport);
    file.plans
        .push(plan(1, PlanStatus::Active, day(2026, 11, 1)));
    let today = day(2026, 11, 25);
    let desk = desk(vec![file]);
    let key = what_is_due(&desk, today, &[])[0].items[0].key.clone();
    let far = [Dismissal {
        key,
        until: day(2030, 1, 1),
    }];
    assert_eq!(what_is_due(&desk, today, &far)[0].items.len(), 1);
}

#[test]
fn a_dismissed_review_returns_when_its_date_changes() {
    let mut file = on_roll(1, "Late", SenStatus::SenSupport);
    file.plans
        .push(plan(1, PlanStatus::Active, day(2026, 11, 1)));
    let today = day(2026, 11, 25);
    let key = what_is_due(&desk(vec![file.clone()]), today, &[])[0].items[0]
        .key
        .clone();
    let dismissed = dismiss(&[], &key, today);
    file.plans[0].review_on = day(2026, 11, 20);
    let lists = what_is_due(&desk(vec![file]), today, &dismissed);
    assert_eq!(lists[0].items.len(), 1);
}

mod ehc {
    use super::*;
    use crate::domain::ehc::plan::EhcPlan;
    use crate::domain::ehc::request::{NeedsAssessmentRequest, Requester};
    use crate::domain::ehc::review::AnnualReview;
    use crate::domain::ehc::review_dates::ReviewStep;
    use crate::domain::YearGroup;

    fn with_plan(n: u8, surname: &str, issued: NaiveDate) -> PupilFile {
        let mut file = on_roll(n, surname, SenStatus::EhcPlan);
        let mut plan = EhcPlan::new("Northshire", issued, "Oakfield Primary");
        plan.id = format!("{:016x}", 100 + n as u64);
        file.ehc.case_number = u32::from(n);
        file.ehc.plans.push(plan);
        file
    }

    #[test]
    fn a_pupil_with_an_ehc_plan_is_not_listed_as_having_no_active_plan() {
        let today = day(2026, 11, 25);
        let ehc = with_plan(1, "Plan", day(2026, 3, 1));
        // Status E recorded but the plan's details not yet entered: not listed either.
        let status_only = on_roll(2, "Status", SenStatus::EhcPlan);
        let support = on_roll(3, "Support", SenStatus::SenSupport);
        let mut d = desk(vec![ehc, status_only, support]);
        let lists = what_is_due(&d, today, &[]);
        let names: Vec<_> = list(&lists, DueKind::NoActivePlan)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names, vec!["Sam Support".to_string()]);

        // A school that writes termly plans for EHC pupils too sees them listed.
        d.settings.ehc.termly_plans = true;
        let lists = what_is_due(&d, today, &[]);
        assert_eq!(list(&lists, DueKind::NoActivePlan).len(), 3);
    }

    #[test]
    fn ehc_steps_appear_when_due_soon_or_overdue_and_go_when_ticked() {
        let mut file = with_plan(1, "Plan", day(2026, 3, 1));
        let mut review = AnnualReview::new(day(2027, 1, 20));
        review.id = "00000000000000aa".into();
        file.ehc.reviews.push(review);
        let d = desk(vec![file.clone()]);
        // 10 weeks before 20/01/2027 is 11/11/2026; 8 weeks is 25/11/2026.
        let lists = what_is_due(&d, day(2026, 11, 20), &[]);
        assert_eq!(
            list(&lists, DueKind::EhcOverdue),
            vec![(
                "Sam Plan".into(),
                "EHC-0001: Review: ask professionals for advice: due 11/11/2026 (9 days ago)"
                    .into()
            )]
        );
        assert_eq!(
            list(&lists, DueKind::EhcSoon),
            vec![(
                "Sam Plan".into(),
                "EHC-0001: Review: invite everyone: due 25/11/2026 (in 5 days)".into()
            )]
        );
        file.ehc.reviews[0].tick(ReviewStep::AskForAdvice, day(2026, 11, 19));
        file.ehc.reviews[0].tick(ReviewStep::Invite, day(2026, 11, 19));
        let lists = what_is_due(&desk(vec![file]), day(2026, 11, 20), &[]);
        assert!(list(&lists, DueKind::EhcOverdue).is_empty());
        assert!(list(&lists, DueKind::EhcSoon).is_empty());
    }

    #[test]
    fn a_request_past_its_limit_and_a_transfer_at_risk_are_listed() {
        let mut asking = on_roll(1, "Asking", SenStatus::SenSupport);
        let mut request =
            NeedsAssessmentRequest::new(Requester::Parent, "Northshire", day(2026, 9, 7));
        request.id = "00000000000000bb".into();
        asking.ehc.case_number = 1;
        asking.ehc.requests.push(request);
        let mut moving = with_plan(2, "Moving", day(2024, 3, 1));
        moving.pupil.year_group = YearGroup::Year(6);
        let d = desk(vec![asking, moving]);
        let lists = what_is_due(&d, day(2026, 11, 20), &[]);
        assert_eq!(
            list(&lists, DueKind::RequestLate),
            vec![(
                "Sam Asking".into(),
                "EHC-0001: Request: local authority decides whether to assess: due 19/10/2026, the local authority is 32 days late".into()
            )]
        );
        assert_eq!(
            list(&lists, DueKind::TransferAtRisk),
            vec![(
                "Sam Moving".into(),
                "EHC-0002: Primary to secondary school: review by 23/11/2026, amended plan by 15/02/2027; no review is scheduled".into()
            )]
        );
        // Dismissed for a week like any other item.
        let late = lists
            .iter()
            .find(|l| l.kind == DueKind::RequestLate)
            .unwrap();
        let hidden = dismiss(&[], &late.items[0].key, day(2026, 11, 20));
        let lists = what_is_due(&d, day(2026, 11, 21), &hidden);
        let late = lists
            .iter()
            .find(|l| l.kind == DueKind::RequestLate)
            .unwrap();
        assert!(late.items.is_empty());
        assert_eq!(late.dismissed, 1);
    }
}
