//! A request for an EHC needs assessment, as the school records it step by step.

use super::appeal::Appealable;
use super::exception::{Exception, ExceptionProblem};
use super::request_dates::RequestDates;
use crate::domain::dates::{iso_date, option_iso_date};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Who asked the local authority to assess.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "by", content = "who")]
pub enum Requester {
    School,
    Parent,
    /// Anyone else, as typed ("Young person", "Health visitor").
    Other(String),
}

impl fmt::Display for Requester {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Requester::School => f.write_str("The school"),
            Requester::Parent => f.write_str("A parent"),
            Requester::Other(who) => f.write_str(who.trim()),
        }
    }
}

/// A piece of evidence sent with the request: a description, and the support plan it is
/// (by the plan's record id) when it is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub what: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan_id: Option<String>,
}

/// An appealable decision and the dates that set its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appeal {
    pub decision: Appealable,
    #[serde(with = "iso_date")]
    pub decided_on: NaiveDate,
    #[serde(default, with = "option_iso_date")]
    pub mediation_certificate: Option<NaiveDate>,
}

impl Appeal {
    pub fn deadline(&self) -> NaiveDate {
        super::appeal::appeal_deadline(self.decided_on, self.mediation_certificate)
    }
}

/// Whether the local authority decided to assess, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessDecision {
    pub assess: bool,
    #[serde(with = "iso_date")]
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedsAssessmentRequest {
    /// Given when first saved (see `record_id`).
    #[serde(default)]
    pub id: String,
    pub made_by: Requester,
    pub local_authority: String,
    #[serde(with = "iso_date")]
    pub received: NaiveDate,
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided: Option<AssessDecision>,
    #[serde(default, with = "option_iso_date")]
    pub advice_asked: Option<NaiveDate>,
    #[serde(default, with = "option_iso_date")]
    pub advice_sent: Option<NaiveDate>,
    #[serde(default, with = "option_iso_date")]
    pub not_to_issue: Option<NaiveDate>,
    #[serde(default, with = "option_iso_date")]
    pub draft_issued: Option<NaiveDate>,
    #[serde(default, with = "option_iso_date")]
    pub final_issued: Option<NaiveDate>,
    #[serde(default, with = "option_iso_date")]
    pub closed: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exceptions: Vec<Exception>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub appeals: Vec<Appeal>,
    /// When last saved changed, so a merge keeps the later of two edits.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::domain::dates::option_timestamp"
    )]
    pub edited_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Why a step cannot be recorded, in words for the form, naming the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestProblem {
    /// A step dated before the one it follows: (field, the step it follows, its date).
    BeforeEarlierStep {
        field: &'static str,
        after: &'static str,
        earlier: NaiveDate,
    },
    /// A step that needs an earlier one first.
    NeedsEarlierStep {
        field: &'static str,
        first: &'static str,
    },
    /// Both "not to issue" and a final plan: only one can happen.
    IssuedAndRefused,
    Exception(ExceptionProblem),
    NoLocalAuthority,
}

impl fmt::Display for RequestProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::domain::dates::format_uk;
        match self {
            RequestProblem::BeforeEarlierStep { after, earlier, .. } => write!(
                f,
                "This date is before {after} ({}).",
                format_uk(*earlier)
            ),
            RequestProblem::NeedsEarlierStep { first, .. } => {
                write!(f, "Record {first} first.")
            }
            RequestProblem::IssuedAndRefused => f.write_str(
                "A request ends either with a decision not to issue a plan or with a final plan, not both.",
            ),
            RequestProblem::Exception(problem) => problem.fmt(f),
            RequestProblem::NoLocalAuthority => f.write_str("Enter the local authority."),
        }
    }
}

impl NeedsAssessmentRequest {
    /// A request as first recorded: who made it, to which authority, received when.
    pub fn new(made_by: Requester, local_authority: &str, received: NaiveDate) -> Self {
        NeedsAssessmentRequest {
            id: String::new(),
            made_by,
            local_authority: local_authority.trim().to_string(),
            received,
            evidence: Vec::new(),
            decided: None,
            advice_asked: None,
            advice_sent: None,
            not_to_issue: None,
            draft_issued: None,
            final_issued: None,
            closed: None,
            exceptions: Vec::new(),
            appeals: Vec::new(),
            edited_at: None,
        }
    }

    pub fn dates(&self) -> RequestDates {
        RequestDates {
            received: Some(self.received),
            decided: self.decided.map(|d| (d.assess, d.on)),
            advice_asked: self.advice_asked,
            advice_sent: self.advice_sent,
            not_to_issue: self.not_to_issue,
            draft_issued: self.draft_issued,
            final_issued: self.final_issued,
        }
    }

    pub fn is_open(&self) -> bool {
        self.closed.is_none()
            && self.final_issued.is_none()
            && self.not_to_issue.is_none()
            && !matches!(self.decided, Some(AssessDecision { assess: false, .. }))
    }

    /// Checks the request as a whole: steps in the order they happen, exceptions allowed.
    pub fn problems(&self) -> Vec<RequestProblem> {
        let mut problems = Vec::new();
        if self.local_authority.trim().is_empty() {
            problems.push(RequestProblem::NoLocalAuthority);
        }
        let received = ("the request was received", Some(self.received));
        let decided_on = self.decided.map(|d| d.on);
        let assessing = matches!(self.decided, Some(AssessDecision { assess: true, .. }));
        let mut after =
            |field, step: Option<NaiveDate>, earlier: (&'static str, Option<NaiveDate>)| {
                if let (Some(step), Some(before)) = (step, earlier.1) {
                    if step < before {
                        problems.push(RequestProblem::BeforeEarlierStep {
                            field,
                            after: earlier.0,
                            earlier: before,
                        });
                    }
                }
            };
        after("decided", decided_on, received);
        after("advice-asked", self.advice_asked, received);
        after(
            "advice-sent",
            self.advice_sent,
            ("advice was asked for", self.advice_asked),
        );
        after(
            "not-to-issue",
            self.not_to_issue,
            ("the decision to assess", decided_on),
        );
        after(
            "draft-issued",
            self.draft_issued,
            ("the decision to assess", decided_on),
        );
        after(
            "final-issued",
            self.final_issued,
            ("the draft plan", self.draft_issued),
        );
        let needs = |field, step: Option<NaiveDate>, first, has_first: bool| {
            (step.is_some() && !has_first)
                .then_some(RequestProblem::NeedsEarlierStep { field, first })
        };
        problems.extend(
            [
                needs(
                    "advice-sent",
                    self.advice_sent,
                    "when advice was asked for",
                    self.advice_asked.is_some(),
                ),
                needs(
                    "not-to-issue",
                    self.not_to_issue,
                    "a decision to assess",
                    assessing,
                ),
                needs(
                    "draft-issued",
                    self.draft_issued,
                    "a decision to assess",
                    assessing,
                ),
                needs(
                    "final-issued",
                    self.final_issued,
                    "the draft plan",
                    self.draft_issued.is_some(),
                ),
            ]
            .into_iter()
            .flatten(),
        );
        if self.not_to_issue.is_some() && self.final_issued.is_some() {
            problems.push(RequestProblem::IssuedAndRefused);
        }
        problems.extend(
            self.exceptions
                .iter()
                .filter_map(|e| e.check(self.advice_asked).err())
                .map(RequestProblem::Exception),
        );
        problems
    }

    /// Appeals whose deadline has not passed, soonest first.
    pub fn appeals_open(&self, today: NaiveDate) -> Vec<&Appeal> {
        let mut open: Vec<&Appeal> = self
            .appeals
            .iter()
            .filter(|a| a.deadline() >= today)
            .collect();
        open.sort_by_key(|a| a.deadline());
        open
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ehc::d;
    use crate::domain::ehc::exception::ExceptionKind;

    fn request() -> NeedsAssessmentRequest {
        let mut request =
            NeedsAssessmentRequest::new(Requester::School, "Northshire", d("23/11/2026"));
        request.evidence = vec![Evidence {
            what: "Support plan 2 and its review".into(),
            plan_id: Some("0123456789abcdef".into()),
        }];
        request
    }

    #[test]
    fn steps_must_come_in_the_order_they_happen() {
        let mut r = request();
        assert_eq!(r.problems(), vec![]);
        r.decided = Some(AssessDecision {
            assess: true,
            on: d("20/11/2026"),
        });
        assert_eq!(
            r.problems(),
            vec![RequestProblem::BeforeEarlierStep {
                field: "decided",
                after: "the request was received",
                earlier: d("23/11/2026")
            }]
        );
        r.decided = None;
        r.final_issued = Some(d("12/04/2027"));
        assert_eq!(
            r.problems(),
            vec![RequestProblem::NeedsEarlierStep {
                field: "final-issued",
                first: "the draft plan"
            }]
        );
        r.decided = Some(AssessDecision {
            assess: true,
            on: d("04/01/2027"),
        });
        r.draft_issued = Some(d("01/03/2027"));
        r.not_to_issue = Some(d("01/03/2027"));
        assert_eq!(r.problems(), vec![RequestProblem::IssuedAndRefused]);
    }

    #[test]
    fn a_christmas_exception_is_refused_with_its_reason() {
        let mut r = request();
        r.advice_asked = Some(d("14/12/2026"));
        r.exceptions.push(Exception {
            kind: ExceptionKind::SchoolClosure,
            reason: "Christmas holiday".into(),
            from: d("19/12/2026"),
            to: d("03/01/2027"),
        });
        let problems = r.problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].to_string().contains("not"), "{}", problems[0]);
    }

    #[test]
    fn a_refusal_to_assess_ends_the_request_and_shows_its_appeal_deadline() {
        let mut r = request();
        assert!(r.is_open());
        r.decided = Some(AssessDecision {
            assess: false,
            on: d("31/12/2026"),
        });
        r.appeals.push(Appeal {
            decision: Appealable::RefusalToAssess,
            decided_on: d("31/12/2026"),
            mediation_certificate: None,
        });
        assert!(!r.is_open());
        assert_eq!(
            r.appeals_open(d("10/01/2027"))[0].deadline(),
            d("28/02/2027")
        );
        assert!(r.appeals_open(d("01/03/2027")).is_empty());
    }

    #[test]
    fn a_request_survives_a_round_trip_through_json() {
        let mut r = request();
        r.made_by = Requester::Other("Health visitor".into());
        r.decided = Some(AssessDecision {
            assess: true,
            on: d("04/01/2027"),
        });
        let json = serde_json::to_string(&r).unwrap();
        let back: NeedsAssessmentRequest = serde_json::from_str(&json).unwrap();
        assert_eq!(back, r);
        assert!(json.contains("\"received\":\"2026-11-23\""), "{json}");
    }
}
