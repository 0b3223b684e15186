//! EHC cases for the benchmark's large school (issue 16): a plan issued up to five years
//! ago with sections B, E and F, an annual review every year held with every step ticked and
//! the local authority's decision, the next review scheduled for some (so home has steps
//! due), and a needs assessment request still open for a few pupils without a plan.

use super::Dice;
use chrono::{Duration, Months, NaiveDate, Utc};
use senco_desk::domain::ehc::plan::{EhcPlan, Funding, PlanOutcomeE, ProvisionLineF, TopUp};
use senco_desk::domain::ehc::request::{
    AssessDecision, Evidence, NeedsAssessmentRequest, Requester,
};
use senco_desk::domain::ehc::review::{
    AnnualReview, Invitee, LaDecision, OutcomeProgress, Recommendation, Role,
};
use senco_desk::domain::ehc::review_dates::ReviewStep;
use senco_desk::domain::ehc::review_dates::{step_due, LeadTimes};
use senco_desk::domain::provision::money::Pence;
use senco_desk::domain::sen::{SenStatus, StatusChange};
use senco_desk::domain::PupilFile;

const OUTCOMES: [&str; 6] = [
    "Follows a two-step instruction in class without an adult repeating it",
    "Reads and understands a short paragraph at their level",
    "Names an emotion and uses a calming strategy with a prompt",
    "Writes three linked sentences with capital letters and full stops",
    "Joins a small-group game at playtime and takes turns",
    "Uses a visual timetable to move between lessons on their own",
];

const PROVISION: [(&str, Option<u32>, &str, &str); 4] = [
    (
        "Speech and language programme",
        Some(90),
        "3 times a week, 30 minutes",
        "Trained TA",
    ),
    (
        "Precision teaching for reading",
        Some(50),
        "Daily, 10 minutes",
        "TA",
    ),
    ("Social communication group", Some(45), "Weekly", "HLTA"),
    ("Visual timetable check-in", None, "Daily", "Class teacher"),
];

fn paragraph(d: &mut Dice, words: usize) -> String {
    const WORDS: [&str; 12] = [
        "progress",
        "settled",
        "with",
        "support",
        "more",
        "confident",
        "in",
        "class",
        "and",
        "at",
        "home",
        "this year",
    ];
    (0..words)
        .map(|_| WORDS[d.below(WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Gives `file` an EHC plan issued `years_ago` years before today (with E from then),
/// a held review each year since, and, for every third case, the next review scheduled
/// within the next five weeks. `number` is the case's reference number.
pub fn make_case(
    d: &mut Dice,
    file: &mut PupilFile,
    number: u32,
    today: NaiveDate,
    years_ago: u32,
) {
    let issued = today
        .checked_sub_months(Months::new(12 * years_ago))
        .unwrap()
        - Duration::days(d.range(10, 60) as i64);
    let recorded = issued.and_hms_opt(9, 0, 0).unwrap().and_utc();
    if file.sen.status_on(issued) != SenStatus::EhcPlan {
        file.sen.status_changes.push(StatusChange {
            from: issued,
            status: SenStatus::EhcPlan,
            reason: "Final EHC plan issued by Northshire".into(),
            recorded_at: recorded,
        });
        file.sen.normalise();
    }
    let mut plan = EhcPlan::new("Northshire", issued, "Oakfield Primary");
    plan.case_officer = "J. Okafor".into();
    plan.needs = paragraph(d, 60);
    plan.outcomes = (0..4)
        .map(|i| PlanOutcomeE {
            outcome: OUTCOMES[(number as usize + i) % OUTCOMES.len()].into(),
            by_when: "End of the key stage".into(),
        })
        .collect();
    plan.provision = PROVISION
        .iter()
        .map(|(what, minutes, often, who)| ProvisionLineF {
            what: (*what).into(),
            minutes_a_week: *minutes,
            how_often: (*often).into(),
            by_whom: (*who).into(),
            provision_id: None,
        })
        .collect();
    plan.funding = vec![Funding {
        top_up: TopUp::AYear(Pence(600_000 + 50_000 * d.below(10) as i64)),
        from: issued,
    }];
    plan.edited_at = Some(recorded);
    file.ehc.case_number = number;
    file.ehc.plans.push(plan);
    let lead = LeadTimes::default();
    let mut last = issued;
    loop {
        let due = last.checked_add_months(Months::new(12)).unwrap();
        let meeting = due - Duration::days(d.range(5, 25) as i64);
        if meeting + Duration::days(60) > today {
            break;
        }
        let mut review = AnnualReview::new(meeting);
        for step in [
            ReviewStep::AskForAdvice,
            ReviewStep::Invite,
            ReviewStep::SendPapers,
            ReviewStep::Meeting,
            ReviewStep::ReportToLa,
        ] {
            review.tick(step, step_due(step, meeting, &lead, None));
        }
        review.invited = vec![
            Invitee {
                name: "Parent".into(),
                role: Role::Parent,
                attended: true,
            },
            Invitee {
                name: "Class teacher".into(),
                role: Role::School,
                attended: true,
            },
            Invitee {
                name: "Speech and language therapist".into(),
                role: Role::Health,
                attended: d.chance(50),
            },
        ];
        review.pupil_views = paragraph(d, 40);
        review.parent_views = paragraph(d, 40);
        review.outcomes = file.ehc.plans[0]
            .outcomes
            .iter()
            .map(|o| OutcomeProgress {
                outcome: o.outcome.clone(),
                progress: paragraph(d, 20),
            })
            .collect();
        review.provision_delivered = paragraph(d, 30);
        review.what_has_changed = paragraph(d, 30);
        review.recommendation = Some(Recommendation::KeepAsItIs);
        review.la_decision = Some(LaDecision {
            decision: Recommendation::KeepAsItIs,
            on: meeting + Duration::days(d.range(14, 28) as i64),
            amendments_proposed: None,
        });
        review.edited_at = Some(meeting.and_hms_opt(16, 0, 0).unwrap().and_utc());
        file.ehc.reviews.push(review);
        last = meeting;
    }
    if number.is_multiple_of(3) {
        // The next review scheduled: its advice and invitations due about now.
        let meeting = today + Duration::days(d.range(20, 70) as i64);
        let mut review = AnnualReview::new(meeting);
        review.edited_at = Some(Utc::now());
        file.ehc.reviews.push(review);
    }
}

/// An open needs assessment request received `days_ago` days before today.
pub fn make_request(
    d: &mut Dice,
    file: &mut PupilFile,
    number: u32,
    today: NaiveDate,
    days_ago: i64,
) {
    let received = today - Duration::days(days_ago);
    let mut request = NeedsAssessmentRequest::new(
        if d.chance(50) {
            Requester::School
        } else {
            Requester::Parent
        },
        "Northshire",
        received,
    );
    request.evidence = vec![
        Evidence {
            what: "Support plans and their reviews".into(),
            plan_id: None,
        },
        Evidence {
            what: "Educational psychologist report".into(),
            plan_id: None,
        },
    ];
    if days_ago > 42 {
        request.decided = Some(AssessDecision {
            assess: true,
            on: received + Duration::days(40),
        });
        request.advice_asked = Some(received + Duration::days(45));
    }
    request.edited_at = Some(Utc::now());
    file.ehc.case_number = number;
    file.ehc.requests.push(request);
}
