use super::*;
use crate::domain::pupil::{PupilFile, PupilId};
use crate::domain::sen::{Need, StatusChange};
use crate::domain::{Desk, DeskError, SenStatus, Settings};
use crate::test_support::pupil;
use chrono::TimeZone;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap()
}

fn outcome(text: &str) -> PlanOutcome {
    PlanOutcome {
        text: text.into(),
        success_criteria: format!("{text}, seen three times"),
        target_on: Some(day(2026, 12, 18)),
    }
}

/// A pupil on SEN support with a speech and language need.
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
    file.sen.needs_changes.push(crate::domain::NeedsChange {
        from: day(2026, 9, 1),
        needs: vec![Need {
            need_type: NeedType::Slcn,
            description: String::new(),
        }],
        reason: String::new(),
        recorded_at: now(),
    });
    file
}

fn active_plan(file: &PupilFile) -> SupportPlan {
    let mut plan = file
        .new_plan(day(2026, 9, 7), false, day(2026, 9, 1))
        .unwrap();
    plan.outcomes = vec![
        outcome("Follow two-part instructions"),
        outcome("Take turns"),
    ];
    plan.strategies = vec!["Visual timetable".into(), "Say name first".into()];
    plan.provision = vec![Provision {
        what: "Talk Boost".into(),
        who: "TA".into(),
        how_often: "3 × 20 minutes a week".into(),
        provision_id: None,
    }];
    plan.activate().unwrap();
    plan
}

fn review(progress: [Progress; 2], worked: [bool; 2]) -> Review {
    Review {
        held_on: day(2026, 11, 20),
        attended: "Mum, class teacher, SENCO".into(),
        parents_attended: true,
        outcomes: progress
            .iter()
            .map(|p| OutcomeReview {
                progress: *p,
                evidence: "Observed in class".into(),
            })
            .collect(),
        strategies_worked: worked.to_vec(),
        pupil_views: "I like the timetable".into(),
        parent_views: "Happier at home".into(),
        next_steps: "Keep going".into(),
        recorded_at: now(),
    }
}

#[test]
fn the_review_date_is_three_months_on_clamped_to_short_months() {
    assert_eq!(default_review_date(day(2026, 9, 7)), day(2026, 12, 7));
    // Month ends: 30 November runs to the end of February, the 29th in a leap year.
    assert_eq!(default_review_date(day(2026, 11, 30)), day(2027, 2, 28));
    assert_eq!(default_review_date(day(2027, 11, 30)), day(2028, 2, 29));
    assert_eq!(default_review_date(day(2026, 8, 31)), day(2026, 11, 30));
    // Across the year end.
    assert_eq!(default_review_date(day(2026, 12, 31)), day(2027, 3, 31));
    // From 29 February to 29 May.
    assert_eq!(default_review_date(day(2028, 2, 29)), day(2028, 5, 29));
}

#[test]
fn days_to_review_count_across_february_in_leap_and_common_years() {
    let mut plan = SupportPlan::draft(1, day(2027, 12, 1), vec![], day(2027, 12, 1));
    plan.review_on = day(2028, 3, 5);
    assert_eq!(plan.days_to_review(day(2028, 2, 20)), 14);
    plan.review_on = day(2027, 3, 5);
    assert_eq!(plan.days_to_review(day(2027, 2, 20)), 13);
    plan.review_on = day(2028, 2, 28);
    assert_eq!(plan.days_to_review(day(2028, 3, 1)), -2);
}

#[test]
fn a_new_plan_addresses_the_pupils_current_needs_and_numbers_the_cycle() {
    let file = file();
    let plan = file
        .new_plan(day(2026, 9, 7), false, day(2026, 9, 1))
        .unwrap();
    assert_eq!(plan.cycle, 1);
    assert_eq!(plan.status, PlanStatus::Draft);
    assert_eq!(plan.needs, vec![NeedType::Slcn]);
    assert_eq!(plan.review_on, day(2026, 12, 7));
    assert_eq!(plan.drafted_on, day(2026, 9, 1));
}

#[test]
fn only_one_draft_at_a_time() {
    let file = file();
    let draft = file
        .new_plan(day(2026, 9, 7), false, day(2026, 9, 1))
        .unwrap();
    let file = file.with_plan(draft);
    assert_eq!(
        file.new_plan(day(2026, 9, 7), false, day(2026, 9, 1)),
        Err(PlanError::DraftExists(1))
    );
    // Deleting the draft allows another; an active plan cannot be deleted.
    let without = file.without_draft(1).unwrap();
    assert!(without.plans.is_empty());
    let active = file.with_plan(active_plan(&without));
    assert_eq!(active.without_draft(1), Err(PlanError::NotDraft(1)));
}

#[test]
fn a_plan_starts_only_with_an_outcome_and_dates_in_order() {
    let file = file();
    let mut plan = file
        .new_plan(day(2026, 9, 7), false, day(2026, 9, 1))
        .unwrap();
    assert!(matches!(
        plan.activate(),
        Err(PlanError::Field(PlanField::Outcomes, _))
    ));
    plan.outcomes.push(outcome("Take turns"));
    plan.review_on = day(2026, 9, 7);
    assert!(matches!(
        plan.activate(),
        Err(PlanError::Field(PlanField::ReviewOn, _))
    ));
    plan.review_on = day(2026, 12, 7);
    plan.outcomes[0].text = "  ".into();
    assert!(matches!(
        plan.activate(),
        Err(PlanError::Field(PlanField::Outcome(0), _))
    ));
    plan.outcomes[0] = outcome("Take turns");
    plan.outcomes[0].target_on = Some(day(2026, 9, 1));
    assert!(matches!(
        plan.activate(),
        Err(PlanError::Field(PlanField::OutcomeTarget(0), _))
    ));
    plan.outcomes[0] = outcome("Take turns");
    plan.activate().unwrap();
    assert_eq!(plan.status, PlanStatus::Active);
    assert_eq!(plan.activate(), Err(PlanError::NotDraft(1)));
}

#[test]
fn one_active_plan_per_pupil() {
    let file = file();
    let first = active_plan(&file);
    let mut second = first.clone();
    second.cycle = 2;
    let plans = vec![first, second];
    assert_eq!(
        check_plan_history(&[], &plans),
        Err(PlanError::AnotherActive(1))
    );
}

#[test]
fn a_review_closes_the_cycle_and_must_cover_every_outcome() {
    let file = file();
    let mut plan = active_plan(&file);
    let mut incomplete = review([Progress::Achieved; 2], [true; 2]);
    incomplete.outcomes.pop();
    assert!(matches!(
        plan.review(incomplete, day(2026, 11, 23)),
        Err(PlanError::Field(PlanField::OutcomeProgress(1), _))
    ));
    let mut nobody = review([Progress::Achieved; 2], [true; 2]);
    nobody.attended = " ".into();
    assert!(matches!(
        plan.review(nobody, day(2026, 11, 23)),
        Err(PlanError::Field(PlanField::Attended, _))
    ));
    let mut early = review([Progress::Achieved; 2], [true; 2]);
    early.held_on = day(2026, 9, 6);
    assert!(matches!(
        plan.review(early, day(2026, 11, 23)),
        Err(PlanError::Field(PlanField::HeldOn, _))
    ));
    let future = review([Progress::Achieved; 2], [true; 2]);
    assert!(matches!(
        plan.review(future, day(2026, 11, 19)),
        Err(PlanError::Field(PlanField::HeldOn, _))
    ));
    assert_eq!(plan.status, PlanStatus::Active, "refusals change nothing");
    let done = review([Progress::Achieved, Progress::PartlyAchieved], [true; 2]);
    plan.review(done.clone(), day(2026, 11, 23)).unwrap();
    assert_eq!(plan.status, PlanStatus::Reviewed);
    assert_eq!(plan.achieved(), Some((1, 2)));
    assert_eq!(
        plan.review(done, day(2026, 11, 23)),
        Err(PlanError::NotActive(1))
    );
}

#[test]
fn the_next_draft_carries_forward_unmet_outcomes_and_strategies_that_worked() {
    let file = file();
    let mut plan = active_plan(&file);
    plan.review(
        review(
            [Progress::Exceeded, Progress::PartlyAchieved],
            [false, true],
        ),
        day(2026, 11, 23),
    )
    .unwrap();
    let file = file.with_plan(plan);
    let next = file
        .new_plan(day(2026, 12, 1), true, day(2026, 11, 23))
        .unwrap();
    assert_eq!(next.cycle, 2);
    assert_eq!(next.status, PlanStatus::Draft);
    assert_eq!(next.outcomes.len(), 1);
    assert_eq!(next.outcomes[0].text, "Take turns");
    assert_eq!(
        next.outcomes[0].target_on, None,
        "the old target has passed"
    );
    assert_eq!(next.strategies, vec!["Say name first".to_string()]);
    assert_eq!(next.provision, file.plans[0].provision);
    assert_eq!(next.needs, vec![NeedType::Slcn]);
    assert!(next.review.is_none() && next.pupil_views.is_empty());
    assert_eq!(next.review_on, day(2027, 3, 1));
}

#[test]
fn a_new_plan_can_start_from_the_last_one_before_its_review() {
    let file = file();
    let first = active_plan(&file);
    let file = file.with_plan(first.clone());
    let copy = file
        .new_plan(day(2026, 12, 1), true, day(2026, 11, 23))
        .unwrap();
    assert_eq!(copy.cycle, 2);
    assert_eq!(copy.strategies, first.strategies);
    assert_eq!(copy.outcomes.len(), 2);
}

fn reviewed_file() -> PupilFile {
    let file = file();
    let mut plan = active_plan(&file);
    plan.review(
        review([Progress::Achieved, Progress::NotAchieved], [true; 2]),
        day(2026, 11, 23),
    )
    .unwrap();
    file.with_plan(plan)
}

#[test]
fn a_reviewed_plan_is_read_only_on_the_desk() {
    let mut desk = Desk::new(Settings::new("Oakfield"));
    let file = reviewed_file();
    desk.put(file.clone());
    let mut edited = file.clone();
    edited.plans[0].strategies.push("Sneaked in".into());
    let refused = desk.edited_file(edited, file.revision, now()).unwrap_err();
    assert!(
        matches!(&refused, DeskError::Refused(m) if m.contains("Plan 1 has been reviewed, so it is read-only")),
        "{refused:?}"
    );
    let mut removed = file.clone();
    removed.plans.clear();
    assert!(desk.edited_file(removed, file.revision, now()).is_err());
    let mut reopened = file.clone();
    reopened.plans[0].status = PlanStatus::Active;
    assert!(desk.edited_file(reopened, file.revision, now()).is_err());
    // A draft for the next cycle is an ordinary edit.
    let next = file
        .new_plan(day(2026, 12, 1), true, day(2026, 11, 23))
        .unwrap();
    assert!(desk
        .edited_file(file.with_plan(next), file.revision, now())
        .is_ok());
}

#[test]
fn a_correction_is_recorded_with_who_when_why_and_what() {
    let mut desk = Desk::new(Settings::new("Oakfield"));
    let file = reviewed_file();
    desk.put(file.clone());
    let mut plan = file.plans[0].clone();
    let mut corrected = plan.clone();
    corrected.outcomes[1].success_criteria = "Takes turns in a group of four".into();
    corrected.review.as_mut().unwrap().outcomes[1].evidence = "Seen at lunch".into();
    assert!(matches!(
        plan.clone().correct(corrected.clone(), " ", "SENCO", now()),
        Err(PlanError::Field(PlanField::Reason, _))
    ));
    assert_eq!(
        plan.clone().correct(plan.clone(), "typo", "SENCO", now()),
        Err(PlanError::NothingCorrected)
    );
    plan.correct(corrected, "Typing error in the criteria", "SENCO", now())
        .unwrap();
    assert_eq!(plan.status, PlanStatus::Reviewed);
    let correction = &plan.corrections[0];
    assert_eq!(correction.by, "SENCO");
    assert_eq!(correction.at, now());
    assert_eq!(correction.reason, "Typing error in the criteria");
    assert_eq!(correction.what, "outcomes, review");
    // The desk accepts one recorded correction, and only with its record.
    let saved = desk
        .edited_file(file.with_plan(plan.clone()), file.revision, now())
        .unwrap();
    assert_eq!(saved.plans[0].corrections.len(), 1);
    let mut unrecorded = plan;
    unrecorded.corrections.clear();
    unrecorded.strengths = "changed".into();
    assert!(desk
        .edited_file(file.with_plan(unrecorded), file.revision, now())
        .is_err());
    // Active and draft plans are not corrected, they are edited.
    let active = active_plan(&crate::domain::plan::tests::file());
    assert_eq!(
        active.clone().correct(active, "x", "SENCO", now()),
        Err(PlanError::NotReviewed(1))
    );
}

#[test]
fn parent_meetings_count_reviews_parents_attended_this_school_year() {
    let mut file = reviewed_file();
    // Reviewed 20/11/2026 with parents: one meeting in 2026-27.
    assert_eq!(file.parent_meetings(day(2026, 11, 23)), 1);
    assert_eq!(file.parent_meetings(day(2027, 8, 31)), 1);
    // A new school year starts on 1 September.
    assert_eq!(file.parent_meetings(day(2027, 9, 1)), 0);
    file.plans[0].review.as_mut().unwrap().parents_attended = false;
    assert_eq!(file.parent_meetings(day(2026, 11, 23)), 0);
}

#[test]
fn stored_plans_round_trip_and_blank_parts_are_left_out() {
    let file = reviewed_file();
    let json = serde_json::to_string(&file).unwrap();
    assert!(json.contains("\"status\":\"reviewed\""), "{json}");
    assert!(!json.contains("corrections"));
    let back: PupilFile = serde_json::from_str(&json).unwrap();
    assert_eq!(back, file);
    let plain = serde_json::to_string(&crate::domain::plan::tests::file()).unwrap();
    assert!(!plain.contains("plans") && !plain.contains("passport"));
    let mut read = back.clone();
    read.tidy_after_reading();
    assert_eq!(read.check_limits(), Ok(()));
}

#[test]
fn stored_plans_that_break_the_rules_are_named() {
    let file = reviewed_file();
    let mut no_outcomes = active_plan(&file);
    no_outcomes.outcomes.clear();
    assert!(matches!(
        no_outcomes.check(),
        Err(PlanError::Field(PlanField::Outcomes, _))
    ));
    let mut review_on_draft = file.plans[0].clone();
    review_on_draft.status = PlanStatus::Draft;
    assert!(
        review_on_draft.check().is_err(),
        "a draft carries no review"
    );
    let mut huge = file.plans[0].clone();
    huge.cycle = u32::MAX;
    assert!(huge.check().is_err());
    let mut twice = file.plans[0].clone();
    twice.needs = vec![NeedType::Slcn, NeedType::Slcn];
    assert!(twice.check().is_err());
    // A correction cannot move the review into the future.
    let mut plan = file.plans[0].clone();
    let mut corrected = plan.clone();
    corrected.review.as_mut().unwrap().held_on = day(2027, 1, 1);
    assert!(matches!(
        plan.correct(corrected, "date", "SENCO", now()),
        Err(PlanError::Field(PlanField::HeldOn, _))
    ));
}

#[test]
fn point_8_the_date_parents_agreed_a_plan_cannot_be_in_the_future() {
    let mut plan = file()
        .new_plan(day(2026, 9, 7), false, day(2026, 9, 1))
        .unwrap();
    plan.outcomes.push(outcome("Take turns"));
    let today = day(2026, 10, 1);
    plan.parents_agreed_on = Some(day(2026, 10, 2));
    match plan.check_on_saving(today) {
        Err(PlanError::Field(PlanField::ParentsAgreedOn, message)) => {
            assert!(message.contains("cannot be in the future"), "{message}");
            assert!(message.contains("01/10/2026"), "{message}");
        }
        other => panic!("a future agreement date was accepted: {other:?}"),
    }
    plan.parents_agreed_on = Some(today);
    plan.check_on_saving(today).unwrap();
    // The plan's other rules still apply when saving.
    plan.review_on = plan.starts_on;
    assert!(matches!(
        plan.check_on_saving(today),
        Err(PlanError::Field(PlanField::ReviewOn, _))
    ));
}
