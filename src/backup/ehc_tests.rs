//! EHC records (issue 16) carried by backups: sealed with the pupil's file, read back whole,
//! refused when tampered into something the forms never allow, and merged without losing a
//! step or a review either copy recorded.

use super::tests::{desk, diverged, envelope_with_contents, made, open_file, PASS};
use super::*;
use crate::domain::ehc::request::{AssessDecision, NeedsAssessmentRequest, Requester};
use crate::domain::ehc::review::AnnualReview;
use crate::domain::ehc::review_dates::ReviewStep;
use crate::domain::{PupilId, SenStatus};
use crate::store::{MemoryStore, OpenDesk};
use crate::test_support::with_surname;
use chrono::{NaiveDate, Utc};

fn d(text: &str) -> NaiveDate {
    crate::domain::dates::parse_date(text).unwrap()
}

fn okafor(open: &OpenDesk) -> PupilId {
    with_surname(&open.desk, "Okafor")[0].id.clone()
}

/// Okafor's request through to a final plan, and a review of it scheduled, saved on `open`.
fn ehc_case(store: &mut MemoryStore, open: &mut OpenDesk) {
    let id = okafor(open);
    let mut file = open.desk.file(&id).unwrap().clone();
    let revision = file.revision;
    let number = open.desk.next_case_number();
    file.open_ehc_case(number);
    let mut request = NeedsAssessmentRequest::new(Requester::Parent, "Northshire", d("23/11/2025"));
    request.decided = Some(AssessDecision {
        assess: true,
        on: d("04/01/2026"),
    });
    request.draft_issued = Some(d("01/03/2026"));
    request.final_issued = Some(d("12/04/2026"));
    file.put_ehc_request(request, "Oakfield", Utc::now())
        .unwrap();
    file.put_ehc_review(
        AnnualReview::new(d("10/03/2027")),
        Utc::now(),
        d("01/12/2026"),
    )
    .unwrap();
    open.save_file(store, file, revision, Utc::now()).unwrap();
}

#[test]
fn a_backup_carries_every_ehc_record_and_opens_in_a_new_browser() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    ehc_case(&mut store, &mut open);
    let id = okafor(&open);
    let backup = open_file(&made(&open).text, PASS).unwrap();
    let file = &backup.files[&id];
    assert_eq!(file.ehc, open.desk.file(&id).unwrap().ehc);
    assert_eq!(file.ehc.reference(), "EHC-0001");
    assert_eq!(file.ehc.requests.len(), 1);
    assert_eq!(file.ehc.plans[0].issued, d("12/04/2026"));
    assert_eq!(file.ehc.reviews.len(), 1);
    assert_eq!(file.sen.status_on(d("12/04/2026")), SenStatus::EhcPlan);
}

#[test]
fn a_backup_whose_ehc_record_breaks_the_rules_is_refused_by_name() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    ehc_case(&mut store, &mut open);
    let json = ValidBackup::from_desk(&open.desk).to_json();
    let text = String::from_utf8(json.to_vec()).unwrap();
    // A final plan dated before its draft: the form never allows it.
    let tampered = text.replace(
        "\"final_issued\":\"2026-04-12\"",
        "\"final_issued\":\"2026-02-01\"",
    );
    assert_ne!(tampered, text);
    let error = open_file(&envelope_with_contents(&open, &tampered), PASS).unwrap_err();
    assert!(
        error.to_string().contains("EHC request is not valid"),
        "{error}"
    );
    // A backup from before EHC records (contents version 6) still opens.
    let older = text.replace("\"version\":8", "\"version\":6");
    assert!(open_file(&envelope_with_contents(&open, &older), PASS).is_ok());
}

#[test]
fn a_merge_keeps_the_steps_ticked_on_each_copy_and_both_reviews() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    ehc_case(&mut first_store, &mut first);
    let plan = MergePlan::make(
        &second.desk,
        second.generation(),
        &open_file(&made(&first).text, PASS).unwrap(),
    );
    second.merge_backup(&mut second_store, &plan).unwrap();
    let id = okafor(&first);
    // Each copy ticks a different step of the review; the second schedules next year's too.
    let tick = |store: &mut MemoryStore, open: &mut OpenDesk, step: ReviewStep, next: bool| {
        let mut file = open.desk.file(&id).unwrap().clone();
        let revision = file.revision;
        let mut review = file.ehc.reviews[0].clone();
        review.tick(step, d("01/12/2026"));
        file.put_ehc_review(review, Utc::now(), d("01/12/2026"))
            .unwrap();
        if next {
            file.put_ehc_review(
                AnnualReview::new(d("09/03/2028")),
                Utc::now(),
                d("01/12/2026"),
            )
            .unwrap();
        }
        open.save_file(store, file, revision, Utc::now()).unwrap();
    };
    tick(
        &mut first_store,
        &mut first,
        ReviewStep::AskForAdvice,
        false,
    );
    tick(&mut second_store, &mut second, ReviewStep::Invite, true);
    let plan = MergePlan::make(
        &first.desk,
        first.generation(),
        &open_file(&made(&second).text, PASS).unwrap(),
    );
    first.merge_backup(&mut first_store, &plan).unwrap();
    let ehc = &first.desk.file(&id).unwrap().ehc;
    assert_eq!(ehc.reviews.len(), 2);
    let review = &ehc.reviews[0];
    assert_eq!(
        review.done_on(ReviewStep::AskForAdvice),
        Some(d("01/12/2026"))
    );
    assert_eq!(review.done_on(ReviewStep::Invite), Some(d("01/12/2026")));
    assert_eq!(ehc.requests.len(), 1);
    assert_eq!(ehc.plans.len(), 1);
}

#[test]
fn erasing_a_pupil_takes_their_ehc_records_with_them() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    ehc_case(&mut store, &mut open);
    let id = okafor(&open);
    open.delete_pupil(&mut store, &id, d("01/12/2026")).unwrap();
    let backup = open_file(&made(&open).text, PASS).unwrap();
    assert!(!backup.files.contains_key(&id));
    assert!(backup.files.values().all(|f| f.ehc.is_empty()));
}
