//! The EHC dates a SENCO puts in their own calendar: every meeting and deadline still to
//! come or still open, each with an id that stays the same from one export to the next, so
//! a calendar that honours ids updates an event rather than adding it twice.
//!
//! An event names the case by its reference ("EHC-0142") only: never a name, initials, UPN,
//! date of birth or parent, since the file is not encrypted and goes wherever the calendar
//! syncs.

use super::plan::EhcPlan;
use super::request::NeedsAssessmentRequest;
use super::review::AnnualReview;
use super::review_dates::LeadTimes;
use super::transfer::TransferDue;
use super::Standing;
use chrono::NaiveDate;

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseEvent {
    /// Unique and stable: the record's random id and the step's code.
    pub uid: String,
    pub on: NaiveDate,
    /// "EHC-0142: Review meeting".
    pub summary: String,
}

/// A pupil's EHC records, as the calendar needs them.
pub struct Case<'a> {
    pub reference: &'a str,
    pub plan: Option<&'a EhcPlan>,
    pub reviews: &'a [AnnualReview],
    pub requests: &'a [NeedsAssessmentRequest],
    /// The review due next, if none is scheduled yet: (by when).
    pub next_review_due: Option<NaiveDate>,
    pub transfer: Option<&'a TransferDue>,
}

/// Every event for one case: steps not yet done (late ones included, so they stay in
/// view), review meetings, and appeal deadlines not yet passed.
pub fn case_events(case: &Case, lead: &LeadTimes, today: NaiveDate) -> Vec<CaseEvent> {
    let reference = case.reference;
    let event = |record: &str, code: &str, on: NaiveDate, what: &str| CaseEvent {
        uid: format!("{record}-{code}@senco-desk"),
        on,
        summary: format!("{reference}: {what}"),
    };
    let open = |standing: &Standing| !matches!(standing, Standing::Done { .. });
    let mut events = Vec::new();
    for request in case.requests.iter().filter(|r| r.is_open()) {
        for step in request.dates().timeline(&request.exceptions, today) {
            if open(&step.standing) && step.standing != Standing::LimitLifted {
                events.push(event(&request.id, step.code, step.due, step.what));
            }
        }
    }
    for request in case.requests {
        for appeal in request.appeals_open(today) {
            events.push(event(
                &request.id,
                &format!("appeal-{}", appeal.decision.code()),
                appeal.deadline(),
                &format!(
                    "Last day to appeal: {}",
                    appeal.decision.to_string().to_lowercase()
                ),
            ));
        }
    }
    for review in case.reviews {
        for line in review.checklist(lead, today) {
            let meeting = line.step == super::review_dates::ReviewStep::Meeting;
            if open(&line.standing) || meeting {
                events.push(event(
                    &review.id,
                    line.step.code(),
                    line.due,
                    line.step.label(),
                ));
            }
        }
    }
    if let Some(plan) = case.plan {
        if let Some(due) = case.next_review_due {
            events.push(event(&plan.id, "next-review", due, "Annual review due by"));
        }
        if let Some(transfer) = case.transfer {
            events.push(event(
                &plan.id,
                "transfer-review-by",
                transfer.review_by,
                "Phase transfer review to be held by",
            ));
            events.push(event(
                &plan.id,
                "transfer-deadline",
                transfer.deadline,
                "Amended plan naming the next placement due",
            ));
        }
    }
    events.sort_by(|a, b| (a.on, &a.uid).cmp(&(b.on, &b.uid)));
    events
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ehc::d;
    use crate::domain::ehc::request::{AssessDecision, Requester};
    use crate::domain::ehc::review_dates::ReviewStep;

    fn request() -> NeedsAssessmentRequest {
        let mut request =
            NeedsAssessmentRequest::new(Requester::Parent, "Northshire", d("23/11/2026"));
        request.id = "a1b2c3d4e5f60718".into();
        request.decided = Some(AssessDecision {
            assess: true,
            on: d("30/12/2026"),
        });
        request
    }

    #[test]
    fn a_request_gives_its_open_statutory_dates_with_stable_ids_and_no_name() {
        let requests = [request()];
        let case = Case {
            reference: "EHC-0142",
            plan: None,
            reviews: &[],
            requests: &requests,
            next_review_due: None,
            transfer: None,
        };
        let events = case_events(&case, &LeadTimes::default(), d("01/01/2027"));
        assert_eq!(
            events
                .iter()
                .map(|e| (e.uid.as_str(), e.on, e.summary.as_str()))
                .collect::<Vec<_>>(),
            [
                (
                    "a1b2c3d4e5f60718-not-to-issue@senco-desk",
                    d("15/03/2027"),
                    "EHC-0142: Local authority says if it will not issue a plan"
                ),
                (
                    "a1b2c3d4e5f60718-final@senco-desk",
                    d("12/04/2027"),
                    "EHC-0142: Final plan issued"
                ),
            ]
        );
        // A later export, a step further on, keeps the same id for the same step.
        let mut later = request();
        later.draft_issued = Some(d("01/03/2027"));
        let requests = [later];
        let case = Case {
            requests: &requests,
            ..case
        };
        let again = case_events(&case, &LeadTimes::default(), d("02/03/2027"));
        assert!(again
            .iter()
            .any(|e| e.uid == "a1b2c3d4e5f60718-final@senco-desk"));
        assert!(again
            .iter()
            .any(|e| e.uid == "a1b2c3d4e5f60718-comments@senco-desk"));
    }

    #[test]
    fn a_review_gives_its_meeting_and_each_step_not_yet_ticked() {
        let mut review = AnnualReview::new(d("10/03/2027"));
        review.id = "0f0e0d0c0b0a0908".into();
        review.tick(ReviewStep::AskForAdvice, d("29/12/2026"));
        review.tick(ReviewStep::Meeting, d("10/03/2027"));
        let reviews = [review];
        let case = Case {
            reference: "EHC-0007",
            plan: None,
            reviews: &reviews,
            requests: &[],
            next_review_due: None,
            transfer: None,
        };
        let events = case_events(&case, &LeadTimes::default(), d("11/03/2027"));
        let codes: Vec<&str> = events
            .iter()
            .map(|e| {
                e.uid
                    .trim_start_matches("0f0e0d0c0b0a0908-")
                    .trim_end_matches("@senco-desk")
            })
            .collect();
        assert_eq!(
            codes,
            [
                "invite",
                "send-papers",
                "meeting",
                "report-to-la",
                "la-decision",
                "amended-plan"
            ]
        );
        assert!(events.iter().all(|e| e.summary.starts_with("EHC-0007: ")));
    }
}
