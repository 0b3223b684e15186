use super::*;
use crate::domain::ehc::d;
use crate::domain::ehc::exception::{Exception, ExceptionKind};
use crate::domain::ehc::request::{AssessDecision, Requester};
use crate::domain::ehc::review::{Invitee, LaDecision, Recommendation, Role};
use crate::domain::ehc::review_dates::ReviewStep;

fn setting(lead: &LeadTimes, years: &TransferYears, year: u8) -> CaseSetting<'static> {
    // Leaked for the test's lifetime: settings live as long as the desk does.
    CaseSetting {
        born: Some(d("14/09/2016")),
        year_group: YearGroup::Year(year),
        lead: Box::leak(Box::new(*lead)),
        transfer_years: Box::leak(Box::new(years.clone())),
    }
}

fn plain(year: u8) -> CaseSetting<'static> {
    setting(&LeadTimes::default(), &TransferYears::default(), year)
}

fn request_received(on: &str) -> NeedsAssessmentRequest {
    let mut r = NeedsAssessmentRequest::new(Requester::School, "Northshire", d(on));
    r.id = "1111111111111111".into();
    r
}

fn plan_issued(on: &str) -> EhcPlan {
    let mut p = EhcPlan::new("Northshire", d(on), "Oak Lane Primary");
    p.id = "2222222222222222".into();
    p
}

fn review_on(id: &str, on: &str) -> AnnualReview {
    let mut r = AnnualReview::new(d(on));
    r.id = id.into();
    r
}

#[test]
fn an_open_request_lists_its_next_statutory_step_with_days_left() {
    let record = EhcRecord {
        case_number: 142,
        requests: vec![request_received("23/11/2026")],
        ..EhcRecord::default()
    };
    let next = record.next_step(&plain(4), d("01/12/2026")).unwrap();
    assert_eq!(next.due, d("04/01/2027"));
    assert_eq!(next.standing, Standing::Due { days_left: 34 });
    assert_eq!(
        next.what,
        "Request: local authority decides whether to assess"
    );
    assert_eq!(record.reference(), "EHC-0142");
    let late = record.next_step(&plain(4), d("07/01/2027")).unwrap();
    assert_eq!(late.standing, Standing::Late { days_late: 3 });
}

#[test]
fn a_limit_lifted_by_an_exception_is_not_listed_as_late() {
    let mut request = request_received("01/06/2027");
    request.exceptions.push(Exception {
        kind: ExceptionKind::SchoolClosure,
        reason: "Summer holiday".into(),
        from: d("21/07/2027"),
        to: d("01/09/2027"),
    });
    request.decided = Some(AssessDecision {
        assess: true,
        on: d("12/07/2027"),
    });
    let record = EhcRecord {
        case_number: 1,
        requests: vec![request],
        ..EhcRecord::default()
    };
    let steps = record.open_steps(&plain(4), d("01/11/2027"));
    // The 16- and 20-week limits fall in the closure's reach: lifted, not late.
    assert!(steps
        .iter()
        .all(|s| !matches!(s.standing, Standing::Late { .. })));
}

#[test]
fn the_next_review_is_due_a_year_after_issue_or_the_last_review_held() {
    let mut record = EhcRecord {
        case_number: 1,
        plans: vec![plan_issued("15/03/2026")],
        ..EhcRecord::default()
    };
    let born = Some(d("14/09/2016"));
    assert_eq!(record.next_review_due(born), Some(d("15/03/2027")));
    let steps = record.open_steps(&plain(4), d("01/03/2027"));
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].due, d("15/03/2027"));
    assert!(steps[0].what.contains("none scheduled"));

    // A review scheduled: its checklist replaces the reminder.
    record
        .reviews
        .push(review_on("3333333333333333", "10/03/2027"));
    let steps = record.open_steps(&plain(4), d("01/01/2027"));
    assert!(steps.iter().all(|s| !s.what.contains("none scheduled")));
    assert_eq!(steps[0].what, "Review: ask professionals for advice");
    assert_eq!(steps[0].due, d("30/12/2026"));

    // Held: the next is due a year after the meeting.
    record.reviews[0].tick(ReviewStep::Meeting, d("10/03/2027"));
    assert_eq!(record.next_review_due(born), Some(d("10/03/2028")));
}

#[test]
fn an_under_fives_plan_is_reviewed_every_six_months_or_as_set() {
    let mut record = EhcRecord {
        case_number: 1,
        plans: vec![plan_issued("01/02/2027")],
        ..EhcRecord::default()
    };
    let born = Some(d("01/06/2023"));
    assert_eq!(record.next_review_due(born), Some(d("01/08/2027")));
    record.plans[0].cycle.under_five_months = Some(3);
    assert_eq!(record.next_review_due(born), Some(d("01/05/2027")));
}

#[test]
fn the_review_checklist_tracks_the_la_and_clears_as_steps_are_ticked() {
    let mut record = EhcRecord {
        case_number: 1,
        plans: vec![plan_issued("15/03/2026")],
        reviews: vec![review_on("3333333333333333", "10/03/2027")],
        ..EhcRecord::default()
    };
    for step in [
        ReviewStep::AskForAdvice,
        ReviewStep::Invite,
        ReviewStep::SendPapers,
        ReviewStep::Meeting,
    ] {
        record.reviews[0].tick(step, d("10/03/2027"));
    }
    let steps = record.open_steps(&plain(4), d("11/03/2027"));
    let dues: Vec<_> = steps.iter().map(|s| s.due).collect();
    assert_eq!(
        dues,
        vec![
            d("24/03/2027"),
            d("07/04/2027"),
            d("02/06/2027"),
            d("10/03/2028")
        ],
        "report, decision, final amended plan; the next review a year on"
    );
    record.reviews[0].la_decision = Some(LaDecision {
        decision: Recommendation::KeepAsItIs,
        on: d("01/04/2027"),
        amendments_proposed: None,
    });
    record.reviews[0].tick(ReviewStep::ReportToLa, d("20/03/2027"));
    // Kept as it is: no amended plan to wait for; the next review is due next year.
    let steps = record.open_steps(&plain(4), d("02/04/2027"));
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0].due, d("10/03/2028"));
}

#[test]
fn a_year_6_plan_shows_the_transfer_and_whether_its_review_is_in_time() {
    let mut record = EhcRecord {
        case_number: 1,
        plans: vec![plan_issued("15/03/2023")],
        ..EhcRecord::default()
    };
    let transfer = record.transfer(&plain(6), d("01/10/2026")).unwrap();
    assert_eq!(transfer.deadline, d("15/02/2027"));
    assert_eq!(transfer.review_by, d("23/11/2026"));
    assert!(!record.transfer_review_in_time(&transfer));
    record
        .reviews
        .push(review_on("3333333333333333", "30/11/2026"));
    assert!(!record.transfer_review_in_time(&transfer), "too late");
    record.reviews[0].meeting = d("16/11/2026");
    assert!(record.transfer_review_in_time(&transfer));
    // Last year's annual review, before the summer term, does not settle the placement.
    record.reviews[0].meeting = d("20/01/2026");
    assert!(!record.transfer_review_in_time(&transfer));
    // No plan in force, no transfer to track.
    record.plans[0].ceased = Some(d("01/09/2026"));
    assert!(record.transfer(&plain(6), d("01/10/2026")).is_none());
}

#[test]
fn merging_two_copies_keeps_both_sides_steps_and_reviews() {
    let mut ours = EhcRecord {
        case_number: 7,
        requests: vec![request_received("23/11/2026")],
        plans: vec![plan_issued("12/04/2027")],
        reviews: vec![review_on("3333333333333333", "10/03/2028")],
    };
    let mut theirs = ours.clone();
    theirs.case_number = 9;
    ours.requests[0].decided = Some(AssessDecision {
        assess: true,
        on: d("04/01/2027"),
    });
    ours.requests[0].edited_at = Some(chrono::Utc::now());
    theirs.requests[0].advice_asked = Some(d("11/01/2027"));
    ours.reviews[0].tick(ReviewStep::Invite, d("10/01/2028"));
    theirs.reviews[0].tick(ReviewStep::AskForAdvice, d("01/01/2028"));
    theirs.reviews[0].invited.push(Invitee {
        name: "Ms Patel".into(),
        role: Role::Health,
        attended: true,
    });
    theirs
        .reviews
        .push(review_on("4444444444444444", "10/03/2029"));

    let merged = merge_ehc(&ours, &theirs);
    assert_eq!(merged, merge_ehc(&theirs, &ours), "either order agrees");
    assert_eq!(merged.case_number, 7);
    let request = &merged.requests[0];
    assert!(request.decided.is_some() && request.advice_asked.is_some());
    assert_eq!(merged.reviews.len(), 2);
    let review = &merged.reviews[0];
    assert_eq!(review.done_on(ReviewStep::Invite), Some(d("10/01/2028")));
    assert_eq!(
        review.done_on(ReviewStep::AskForAdvice),
        Some(d("01/01/2028"))
    );
    assert_eq!(review.invited.len(), 1);
}

#[test]
fn a_tick_on_a_stale_copy_does_not_wipe_the_review_written_on_the_other() {
    let base = EhcRecord {
        case_number: 1,
        plans: vec![plan_issued("15/03/2026")],
        reviews: vec![review_on("3333333333333333", "10/03/2027")],
        ..EhcRecord::default()
    };
    let (mut written, mut ticked) = (base.clone(), base);
    let r = &mut written.reviews[0];
    r.parent_views = "Pleased with progress".into();
    r.recommendation = Some(Recommendation::Amend);
    r.recommendation_why = "Section I: name the secondary school".into();
    r.edited_at = Some(chrono::Utc::now() - chrono::Duration::hours(1));
    let r = &mut ticked.reviews[0];
    r.tick(ReviewStep::ReportToLa, d("20/03/2027"));
    r.edited_at = Some(chrono::Utc::now());
    let merged = merge_ehc(&written, &ticked);
    assert_eq!(merged, merge_ehc(&ticked, &written));
    let r = &merged.reviews[0];
    assert_eq!(r.parent_views, "Pleased with progress");
    assert_eq!(r.recommendation, Some(Recommendation::Amend));
    assert_eq!(r.recommendation_why, "Section I: name the secondary school");
    assert_eq!(r.done_on(ReviewStep::ReportToLa), Some(d("20/03/2027")));
}

#[test]
fn a_summary_keeps_the_dates_and_drops_the_words() {
    let mut record = EhcRecord {
        case_number: 1,
        plans: vec![plan_issued("15/03/2026")],
        reviews: vec![review_on("3333333333333333", "10/03/2027")],
        ..EhcRecord::default()
    };
    record.plans[0].needs = "Reads below age".into();
    record.reviews[0].parent_views = "Worried about the move".into();
    let summary = record.summary();
    assert!(summary.plans[0].needs.is_empty());
    assert!(summary.reviews[0].parent_views.is_empty());
    assert_eq!(
        summary.open_steps(&plain(4), d("01/01/2027")),
        record.open_steps(&plain(4), d("01/01/2027"))
    );
}

#[test]
fn a_record_from_outside_is_checked() {
    let mut record = EhcRecord {
        case_number: 1,
        requests: vec![request_received("23/11/2026")],
        ..EhcRecord::default()
    };
    assert_eq!(record.check(d("01/12/2026")), Ok(()));
    record.requests[0].id = "not an id".into();
    assert!(record.check(d("01/12/2026")).unwrap_err().contains("id"));
    record.requests[0].id = "1111111111111111".into();
    record.requests[0].local_authority = String::new();
    assert!(record
        .check(d("01/12/2026"))
        .unwrap_err()
        .contains("local authority"));
    record.requests[0].local_authority = "x".repeat(MAX_EHC_TEXT + 1);
    assert!(record
        .check(d("01/12/2026"))
        .unwrap_err()
        .contains("overlong"));
    record.requests[0].local_authority = "Northshire".into();
    record.case_number = 0;
    assert!(record
        .check(d("01/12/2026"))
        .unwrap_err()
        .contains("case number"));
}

#[test]
fn calendar_events_carry_the_reference_only() {
    let mut record = EhcRecord {
        case_number: 142,
        requests: vec![request_received("23/11/2026")],
        plans: vec![plan_issued("15/03/2026")],
        ..EhcRecord::default()
    };
    record.plans[0].named_school = "Oak Lane Primary".into();
    let events = record.calendar_events(&plain(4), d("01/12/2026"));
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e.summary.starts_with("EHC-0142: ")));
    assert!(events.iter().any(|e| e.on == d("15/03/2027")));
    assert!(events.iter().all(|e| !e.summary.contains("Northshire")));
}
