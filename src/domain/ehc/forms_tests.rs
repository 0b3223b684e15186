use super::*;
use crate::domain::ehc::d;
use crate::domain::ehc::review::Role;

fn request_text() -> RequestText {
    RequestText {
        made_by: "parent".into(),
        local_authority: "Northshire".into(),
        received: "23/11/2026".into(),
        evidence: "Support plan 2 and its review\nEP report, March 2026\n".into(),
        ..RequestText::default()
    }
}

fn field(problems: &[FieldProblem], id: &str) -> Option<String> {
    problems
        .iter()
        .find(|(f, _)| f == id)
        .map(|(_, m)| m.clone())
}

#[test]
fn a_request_as_typed_becomes_a_record_and_back() {
    let request = request_text().apply(None).unwrap();
    assert_eq!(request.made_by, Requester::Parent);
    assert_eq!(request.received, d("23/11/2026"));
    assert_eq!(request.evidence.len(), 2);
    let again = RequestText::of(&request);
    assert_eq!(again.apply(Some(&request)).unwrap(), request);
}

#[test]
fn reviewed_support_plans_sent_as_evidence_keep_their_link() {
    let mut text = request_text();
    text.linked_plans = vec![(
        "00000000000000p2".into(),
        "Support plan 2 and its review (reviewed 14/07/2026)".into(),
    )];
    let request = text.apply(None).unwrap();
    assert_eq!(request.evidence.len(), 3);
    assert_eq!(
        request.evidence[0].plan_id.as_deref(),
        Some("00000000000000p2")
    );
    assert!(request.evidence[1].plan_id.is_none());
    // Read back into the form: the plan ticked, the rest as lines.
    let again = RequestText::of(&request);
    assert_eq!(again.linked_plans, text.linked_plans);
    assert_eq!(
        again.evidence,
        "Support plan 2 and its review\nEP report, March 2026"
    );
    assert_eq!(again.apply(Some(&request)).unwrap(), request);
}

#[test]
fn each_problem_is_named_against_its_field() {
    let mut text = request_text();
    text.received = "31/02/2026".into();
    text.local_authority = " ".into();
    let problems = text.apply(None).unwrap_err();
    assert!(field(&problems, "req-received").is_some());
    assert_eq!(
        field(&problems, "req-la").unwrap(),
        "Enter the local authority."
    );

    let mut text = request_text();
    text.final_issued = "12/04/2027".into();
    let problems = text.apply(None).unwrap_err();
    assert_eq!(
        field(&problems, "req-final-issued").unwrap(),
        "Record the draft plan first."
    );

    let mut text = request_text();
    text.decided = "yes".into();
    let problems = text.apply(None).unwrap_err();
    assert_eq!(
        field(&problems, "req-decided-on").unwrap(),
        "Enter the date of the decision."
    );
}

#[test]
fn a_christmas_closure_is_refused_as_an_exception_against_its_dates() {
    let mut text = request_text();
    text.decided = "yes".into();
    text.decided_on = "04/01/2027".into();
    text.advice_asked = "18/12/2026".into();
    text.exception_kind = "school-closure".into();
    text.exception_reason = "Christmas holiday".into();
    text.exception_from = "19/12/2026".into();
    text.exception_to = "03/01/2027".into();
    let problems = text.apply(None).unwrap_err();
    assert!(field(&problems, "req-exception-to")
        .unwrap()
        .contains("Christmas and Easter holidays are not"));
}

#[test]
fn a_refusal_and_a_disputed_plan_open_appeals_with_their_deadlines() {
    let mut text = request_text();
    text.decided = "no".into();
    text.decided_on = "04/01/2027".into();
    let request = text.apply(None).unwrap();
    assert_eq!(request.appeals.len(), 1);
    assert_eq!(request.appeals[0].decision, Appealable::RefusalToAssess);
    assert_eq!(request.appeals[0].deadline(), d("04/03/2027"));
    // A mediation certificate a month later than that moves it.
    text.mediation = "20/02/2027".into();
    let request = text.apply(None).unwrap();
    assert_eq!(request.appeals[0].deadline(), d("20/03/2027"));

    let mut text = request_text();
    text.decided = "yes".into();
    text.decided_on = "04/01/2027".into();
    text.draft_issued = "01/03/2027".into();
    text.final_issued = "12/04/2027".into();
    text.dispute = true;
    let request = text.apply(None).unwrap();
    assert_eq!(request.appeals[0].decision, Appealable::PlanContent);
    assert_eq!(request.appeals[0].deadline(), d("12/06/2027"));
}

#[test]
fn a_plan_as_typed_reads_its_lines() {
    let text = PlanText {
        local_authority: "Northshire".into(),
        case_officer: "J. Okafor".into(),
        issued: "12/04/2027".into(),
        named_school: "Oakfield Primary".into(),
        funding: "01/04/2027 | £6,000\n01/09/2027 | Band C".into(),
        amendments: "02/06/2028 | B, F".into(),
        needs: "Speech, language and communication".into(),
        outcomes: "Follows a two-step instruction | End of Year 3".into(),
        provision: "Speech and language programme | 90 | 3 times a week | Trained TA\nVisual timetable check-in".into(),
        ..PlanText::default()
    };
    let problems = text.apply(None).unwrap_err();
    assert!(field(&problems, "plan-funding")
        .unwrap()
        .contains("before the plan was issued"));
    let text = PlanText {
        funding: "12/04/2027 | £6,000\n01/09/2027 | Band C".into(),
        ..text
    };
    let plan = text.apply(None).unwrap();
    assert_eq!(plan.funding[0].top_up.to_string(), "£6,000.00 a year");
    assert_eq!(plan.funding[1].top_up, TopUp::Band("C".into()));
    assert_eq!(plan.outcomes[0].by_when, "End of Year 3");
    assert_eq!(plan.provision[0].minutes_a_week, Some(90));
    assert_eq!(plan.provision[1].how_often, "");
    assert_eq!(plan.amended[0].on, d("02/06/2028"));
    assert_eq!(PlanText::of(&plan).apply(Some(&plan)).unwrap(), plan);

    let bad = PlanText {
        under_five_months: "9".into(),
        provision: "Speech | lots".into(),
        ..PlanText::of(&plan)
    };
    let problems = bad.apply(Some(&plan)).unwrap_err();
    assert!(field(&problems, "plan-cycle").is_some());
    assert!(field(&problems, "plan-provision")
        .unwrap()
        .contains("minutes a week"));
}

#[test]
fn a_review_as_typed_keeps_who_came_and_progress_by_outcome() {
    let outcomes = vec![
        PlanOutcomeE {
            outcome: "Reads 100 words".into(),
            by_when: "July".into(),
        },
        PlanOutcomeE {
            outcome: "Writes a sentence".into(),
            by_when: "July".into(),
        },
    ];
    let base = AnnualReview::new(d("10/03/2027"));
    let text = ReviewText {
        meeting: "10/03/2027".into(),
        invited: "Mrs Hughes | parent | attended\nDr Shah | health".into(),
        progress: vec!["Reads 80 words".into(), String::new()],
        recommendation: "amend".into(),
        ..ReviewText::default()
    };
    let problems = text.apply(&base, &outcomes, d("11/03/2027")).unwrap_err();
    assert!(field(&problems, "rev-why").is_some());
    let text = ReviewText {
        recommendation_why: "Section F: add speech therapy".into(),
        la_decision: "amend".into(),
        la_decided_on: "07/04/2027".into(),
        amendments_proposed: "07/04/2027".into(),
        ..text
    };
    let review = text.apply(&base, &outcomes, d("11/04/2027")).unwrap();
    assert_eq!(review.invited[0].role, Role::Parent);
    assert!(review.invited[0].attended);
    assert!(!review.invited[1].attended);
    assert_eq!(review.outcomes.len(), 1);
    assert_eq!(review.la_decision.as_ref().unwrap().on, d("07/04/2027"));
    assert_eq!(
        ReviewText::of(&review, &outcomes)
            .apply(&review, &outcomes, d("11/04/2027"))
            .unwrap(),
        review
    );
    let wrong = ReviewText {
        invited: "Mrs Hughes | aunt".into(),
        ..ReviewText::of(&review, &outcomes)
    };
    assert!(field(
        &wrong
            .apply(&review, &outcomes, d("11/04/2027"))
            .unwrap_err(),
        "rev-invited"
    )
    .is_some());
}
