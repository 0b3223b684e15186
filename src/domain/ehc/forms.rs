//! The EHC forms as typed: text kept whole while the SENCO works, read into records with
//! every problem named against its field, so nothing typed is lost when a save fails.
//! Lists (evidence, outcomes, section F, people invited) are typed a line each, parts
//! separated by "|".

use super::appeal::Appealable;
use super::exception::{Exception, ExceptionKind, ExceptionProblem};
use super::plan::{Amendment, EhcPlan, Funding, PlanOutcomeE, PlanProblem, ProvisionLineF, TopUp};
use super::request::{
    Appeal, AssessDecision, Evidence, NeedsAssessmentRequest, RequestProblem, Requester,
};
use super::review::{AnnualReview, Invitee, LaDecision, OutcomeProgress, Recommendation, Role};
use crate::domain::dates::{format_uk, parse_date};
use crate::domain::provision::money::Pence;
use chrono::NaiveDate;

/// A problem against a field: (field id, message).
pub type FieldProblem = (String, String);

fn date_text(date: Option<NaiveDate>) -> String {
    date.map(format_uk).unwrap_or_default()
}

/// An optional date: blank is none; anything else must be a date.
fn optional_date(text: &str, field: &str, problems: &mut Vec<FieldProblem>) -> Option<NaiveDate> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let date = parse_date(text);
    if date.is_none() {
        problems.push((
            field.into(),
            "Enter a date as day/month/year, for example 23/11/2026, or leave it blank.".into(),
        ));
    }
    date
}

fn required_date(text: &str, field: &str, problems: &mut Vec<FieldProblem>) -> Option<NaiveDate> {
    let date = parse_date(text.trim());
    if date.is_none() {
        problems.push((
            field.into(),
            "Enter a date as day/month/year, for example 23/11/2026.".into(),
        ));
    }
    date
}

fn lines(text: &str) -> impl Iterator<Item = (usize, Vec<String>)> + '_ {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(n, line)| {
            (
                n + 1,
                line.split('|').map(|p| p.trim().to_string()).collect(),
            )
        })
}

fn recommendation_code(r: Option<Recommendation>) -> String {
    match r {
        None => "",
        Some(Recommendation::KeepAsItIs) => "keep",
        Some(Recommendation::Amend) => "amend",
        Some(Recommendation::Cease) => "cease",
    }
    .into()
}

pub fn recommendation_from(code: &str) -> Option<Recommendation> {
    match code {
        "keep" => Some(Recommendation::KeepAsItIs),
        "amend" => Some(Recommendation::Amend),
        "cease" => Some(Recommendation::Cease),
        _ => None,
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestText {
    /// "school", "parent" or "other".
    pub made_by: String,
    pub made_by_other: String,
    pub local_authority: String,
    pub received: String,
    /// A line for each piece of evidence sent, other than support plans.
    pub evidence: String,
    /// Reviewed support plans sent as evidence: (the plan's id, how it is described).
    pub linked_plans: Vec<(String, String)>,
    /// "", "yes" or "no".
    pub decided: String,
    pub decided_on: String,
    pub advice_asked: String,
    pub advice_sent: String,
    pub not_to_issue: String,
    pub draft_issued: String,
    pub final_issued: String,
    pub closed: String,
    /// The parents dispute the final plan's content (an appeal deadline follows).
    pub dispute: bool,
    pub mediation: String,
    /// A new exception to add: its kind's code, reason and dates.
    pub exception_kind: String,
    pub exception_reason: String,
    pub exception_from: String,
    pub exception_to: String,
}

impl RequestText {
    pub fn of(request: &NeedsAssessmentRequest) -> RequestText {
        let (made_by, made_by_other) = match &request.made_by {
            Requester::School => ("school", String::new()),
            Requester::Parent => ("parent", String::new()),
            Requester::Other(who) => ("other", who.clone()),
        };
        RequestText {
            made_by: made_by.into(),
            made_by_other,
            local_authority: request.local_authority.clone(),
            received: format_uk(request.received),
            evidence: request
                .evidence
                .iter()
                .filter(|e| e.plan_id.is_none())
                .map(|e| e.what.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            linked_plans: request
                .evidence
                .iter()
                .filter_map(|e| e.plan_id.clone().map(|id| (id, e.what.clone())))
                .collect(),
            decided: match request.decided {
                None => "",
                Some(AssessDecision { assess: true, .. }) => "yes",
                Some(_) => "no",
            }
            .into(),
            decided_on: date_text(request.decided.map(|d| d.on)),
            advice_asked: date_text(request.advice_asked),
            advice_sent: date_text(request.advice_sent),
            not_to_issue: date_text(request.not_to_issue),
            draft_issued: date_text(request.draft_issued),
            final_issued: date_text(request.final_issued),
            closed: date_text(request.closed),
            dispute: request
                .appeals
                .iter()
                .any(|a| a.decision == Appealable::PlanContent),
            mediation: date_text(request.appeals.iter().find_map(|a| a.mediation_certificate)),
            ..RequestText::default()
        }
    }

    /// The request as typed, on top of `base` (its id, evidence links and exceptions).
    pub fn apply(
        &self,
        base: Option<&NeedsAssessmentRequest>,
    ) -> Result<NeedsAssessmentRequest, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let made_by = match self.made_by.as_str() {
            "school" => Requester::School,
            "parent" => Requester::Parent,
            "other" if !self.made_by_other.trim().is_empty() => {
                Requester::Other(self.made_by_other.trim().to_string())
            }
            "other" => {
                problems.push((
                    "req-made-by-other".into(),
                    "Say who made the request.".into(),
                ));
                Requester::Other(String::new())
            }
            _ => {
                problems.push(("req-made-by".into(), "Choose who made the request.".into()));
                Requester::School
            }
        };
        let received = required_date(&self.received, "req-received", &mut problems);
        let decided_on = optional_date(&self.decided_on, "req-decided-on", &mut problems);
        let decided = match (self.decided.as_str(), decided_on) {
            ("", None) => None,
            ("", Some(_)) => {
                problems.push((
                    "req-decided".into(),
                    "Choose whether the local authority will assess.".into(),
                ));
                None
            }
            (_, None) => {
                if !problems.iter().any(|(f, _)| f == "req-decided-on") {
                    problems.push((
                        "req-decided-on".into(),
                        "Enter the date of the decision.".into(),
                    ));
                }
                None
            }
            (answer, Some(on)) => Some(AssessDecision {
                assess: answer == "yes",
                on,
            }),
        };
        let mut date = |text: &str, field: &str| optional_date(text, field, &mut problems);
        let advice_asked = date(&self.advice_asked, "req-advice-asked");
        let advice_sent = date(&self.advice_sent, "req-advice-sent");
        let not_to_issue = date(&self.not_to_issue, "req-not-to-issue");
        let draft_issued = date(&self.draft_issued, "req-draft-issued");
        let final_issued = date(&self.final_issued, "req-final-issued");
        let closed = date(&self.closed, "req-closed");
        let mediation = date(&self.mediation, "req-mediation");
        let mut exceptions = base.map(|b| b.exceptions.clone()).unwrap_or_default();
        let adding_exception = [
            &self.exception_kind,
            &self.exception_reason,
            &self.exception_from,
            &self.exception_to,
        ]
        .iter()
        .any(|t| !t.trim().is_empty());
        if adding_exception {
            let kind = ExceptionKind::from_code(&self.exception_kind);
            if kind.is_none() {
                problems.push((
                    "req-exception-kind".into(),
                    "Choose which exception applies.".into(),
                ));
            }
            let from = required_date(&self.exception_from, "req-exception-from", &mut problems);
            let to = required_date(&self.exception_to, "req-exception-to", &mut problems);
            if let (Some(kind), Some(from), Some(to)) = (kind, from, to) {
                exceptions.push(Exception {
                    kind,
                    reason: self.exception_reason.trim().to_string(),
                    from,
                    to,
                });
            }
        }
        if self.local_authority.trim().is_empty() {
            problems.push(("req-la".into(), "Enter the local authority.".into()));
        }
        let Some(received) = received else {
            return Err(problems);
        };
        let mut request = base
            .cloned()
            .unwrap_or_else(|| NeedsAssessmentRequest::new(made_by.clone(), "", received));
        request.made_by = made_by;
        request.local_authority = self.local_authority.trim().to_string();
        request.received = received;
        // The support plans ticked, then each other piece as typed.
        request.evidence = self
            .linked_plans
            .iter()
            .map(|(id, what)| Evidence {
                what: what.clone(),
                plan_id: Some(id.clone()),
            })
            .chain(
                self.evidence
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|what| Evidence {
                        what: what.to_string(),
                        plan_id: None,
                    }),
            )
            .collect();
        request.decided = decided;
        request.advice_asked = advice_asked;
        request.advice_sent = advice_sent;
        request.not_to_issue = not_to_issue;
        request.draft_issued = draft_issued;
        request.final_issued = final_issued;
        request.closed = closed;
        request.exceptions = exceptions;
        if self.dispute && request.final_issued.is_none() {
            problems.push((
                "req-dispute".into(),
                "Record the final plan's date first: the appeal runs from it.".into(),
            ));
        }
        request.settle_appeals(self.dispute, mediation);
        let existing = base.map_or(0, |b| b.exceptions.len());
        for problem in request.problems() {
            let field = match &problem {
                RequestProblem::BeforeEarlierStep { field, .. }
                | RequestProblem::NeedsEarlierStep { field, .. } => {
                    if *field == "decided" {
                        "req-decided-on".to_string()
                    } else {
                        format!("req-{field}")
                    }
                }
                RequestProblem::IssuedAndRefused => "req-final-issued".into(),
                RequestProblem::NoLocalAuthority => continue,
                RequestProblem::Exception(e) => {
                    let new = request.exceptions.len() > existing
                        && request
                            .exceptions
                            .last()
                            .and_then(|x| x.check(request.advice_asked).err())
                            .as_ref()
                            == Some(e);
                    match (new, e) {
                        (true, ExceptionProblem::NoReason) => "req-exception-reason".into(),
                        (
                            true,
                            ExceptionProblem::EndsBeforeItStarts
                            | ExceptionProblem::ShorterThanFourWeeks { .. },
                        ) => "req-exception-to".into(),
                        (true, _) => "req-exception-kind".into(),
                        (false, _) => "req-advice-asked".into(),
                    }
                }
            };
            if !problems.iter().any(|(f, _)| *f == field) {
                problems.push((field, problem.to_string()));
            }
        }
        if problems.is_empty() {
            Ok(request)
        } else {
            Err(problems)
        }
    }
}

impl NeedsAssessmentRequest {
    /// The appeals the request's decisions open: a refusal to assess or to issue, and the
    /// final plan's content when the parents dispute it; each 2 months from its decision or
    /// 1 month after the mediation certificate, whichever is later.
    pub fn settle_appeals(&mut self, dispute: bool, mediation: Option<NaiveDate>) {
        let decisions = [
            (
                Appealable::RefusalToAssess,
                self.decided.filter(|d| !d.assess).map(|d| d.on),
            ),
            (Appealable::RefusalToIssue, self.not_to_issue),
            (
                Appealable::PlanContent,
                self.final_issued.filter(|_| dispute),
            ),
        ];
        self.appeals = decisions
            .into_iter()
            .filter_map(|(decision, on)| {
                on.map(|decided_on| Appeal {
                    decision,
                    decided_on,
                    mediation_certificate: mediation,
                })
            })
            .collect();
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanText {
    pub local_authority: String,
    pub case_officer: String,
    pub issued: String,
    pub named_school: String,
    /// Months between reviews for a child under 5: "" for 6, or 3 to 6.
    pub under_five_months: String,
    /// A line each: "from date | amount a year or band".
    pub funding: String,
    pub personal_budget: bool,
    pub staying_for_sixth_form: bool,
    /// A line each: "date | sections changed".
    pub amendments: String,
    pub needs: String,
    /// A line each: "outcome | by when".
    pub outcomes: String,
    /// A line each: "what | minutes a week | how often | by whom".
    pub provision: String,
    pub ceased: String,
}

impl PlanText {
    pub fn of(plan: &EhcPlan) -> PlanText {
        PlanText {
            local_authority: plan.local_authority.clone(),
            case_officer: plan.case_officer.clone(),
            issued: format_uk(plan.issued),
            named_school: plan.named_school.clone(),
            under_five_months: plan
                .cycle
                .under_five_months
                .map(|m| m.to_string())
                .unwrap_or_default(),
            funding: plan
                .funding
                .iter()
                .map(|f| match &f.top_up {
                    TopUp::AYear(p) => format!("{} | {p}", format_uk(f.from)),
                    TopUp::Band(b) => format!("{} | Band {b}", format_uk(f.from)),
                })
                .collect::<Vec<_>>()
                .join("\n"),
            personal_budget: plan.personal_budget,
            staying_for_sixth_form: plan.staying_for_sixth_form,
            amendments: plan
                .amended
                .iter()
                .map(|a| format!("{} | {}", format_uk(a.on), a.sections))
                .collect::<Vec<_>>()
                .join("\n"),
            needs: plan.needs.clone(),
            outcomes: plan
                .outcomes
                .iter()
                .map(|o| format!("{} | {}", o.outcome, o.by_when))
                .collect::<Vec<_>>()
                .join("\n"),
            provision: plan
                .provision
                .iter()
                .map(|p| {
                    format!(
                        "{} | {} | {} | {}",
                        p.what,
                        p.minutes_a_week.map(|m| m.to_string()).unwrap_or_default(),
                        p.how_often,
                        p.by_whom
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
            ceased: date_text(plan.ceased),
        }
    }

    pub fn apply(&self, base: Option<&EhcPlan>) -> Result<EhcPlan, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let issued = required_date(&self.issued, "plan-issued", &mut problems);
        let ceased = optional_date(&self.ceased, "plan-ceased", &mut problems);
        let under_five_months = match self.under_five_months.trim() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(m) if (3..=6).contains(&m) => Some(m),
                _ => {
                    problems.push(("plan-cycle".into(), "A child under 5 is reviewed every 3 to 6 months: enter 3, 4, 5 or 6, or leave it blank for 6.".into()));
                    None
                }
            },
        };
        let mut funding = Vec::new();
        for (n, parts) in lines(&self.funding) {
            let (Some(from), Some(value)) = (
                parts.first().and_then(|d| parse_date(d)),
                parts.get(1).filter(|v| !v.is_empty()),
            ) else {
                problems.push(("plan-funding".into(), format!("Funding line {n}: write the date it starts, a bar, then the amount a year or the band, for example 01/04/2027 | £6,000 or 01/04/2027 | Band C.")));
                continue;
            };
            let top_up = match value
                .strip_prefix("Band ")
                .or_else(|| value.strip_prefix("band "))
            {
                Some(band) => TopUp::Band(band.trim().to_string()),
                None => match Pence::parse(value) {
                    Ok(p) => TopUp::AYear(p),
                    Err(_) => TopUp::Band(value.clone()),
                },
            };
            funding.push(Funding { top_up, from });
        }
        let mut amended = Vec::new();
        for (n, parts) in lines(&self.amendments) {
            match parts.first().and_then(|d| parse_date(d)) {
                Some(on) => amended.push(Amendment {
                    on,
                    sections: parts.get(1).cloned().unwrap_or_default(),
                }),
                None => problems.push((
                    "plan-amendments".into(),
                    format!(
                        "Amendment line {n}: start with its date, for example 02/06/2027 | B, F."
                    ),
                )),
            }
        }
        let outcomes = lines(&self.outcomes)
            .map(|(_, parts)| PlanOutcomeE {
                outcome: parts[0].clone(),
                by_when: parts.get(1).cloned().unwrap_or_default(),
            })
            .collect();
        let mut provision = Vec::new();
        for (n, parts) in lines(&self.provision) {
            let minutes = match parts.get(1).map(String::as_str).unwrap_or("") {
                "" => None,
                m => match m.parse::<u32>() {
                    Ok(m) if m <= 10_080 => Some(m),
                    _ => {
                        problems.push(("plan-provision".into(), format!("Provision line {n}: the second part is minutes a week as a number (90), or blank.")));
                        None
                    }
                },
            };
            let old = base.and_then(|b| b.provision.iter().find(|p| p.what == parts[0]));
            provision.push(ProvisionLineF {
                what: parts[0].clone(),
                minutes_a_week: minutes,
                how_often: parts.get(2).cloned().unwrap_or_default(),
                by_whom: parts.get(3).cloned().unwrap_or_default(),
                provision_id: old.and_then(|p| p.provision_id.clone()),
            });
        }
        let Some(issued) = issued else {
            return Err(problems);
        };
        let mut plan = base
            .cloned()
            .unwrap_or_else(|| EhcPlan::new("", issued, ""));
        plan.local_authority = self.local_authority.trim().to_string();
        plan.case_officer = self.case_officer.trim().to_string();
        plan.issued = issued;
        plan.named_school = self.named_school.trim().to_string();
        plan.cycle.under_five_months = under_five_months;
        plan.funding = funding;
        plan.personal_budget = self.personal_budget;
        plan.staying_for_sixth_form = self.staying_for_sixth_form;
        plan.amended = amended;
        plan.needs = self.needs.trim().to_string();
        plan.outcomes = outcomes;
        plan.provision = provision;
        plan.ceased = ceased;
        for problem in plan.problems() {
            let field = match &problem {
                PlanProblem::Missing { field, .. } => format!("plan-{field}"),
                PlanProblem::AmendedBeforeIssue(_) => "plan-amendments".into(),
                PlanProblem::CeasedBeforeIssue => "plan-ceased".into(),
                PlanProblem::FundingBeforeIssue(_) => "plan-funding".into(),
                PlanProblem::EmptyOutcome(_) => "plan-outcomes".into(),
                PlanProblem::EmptyProvisionLine(_) => "plan-provision".into(),
            };
            if !problems.iter().any(|(f, _)| *f == field) {
                problems.push((field, problem.to_string()));
            }
        }
        if problems.is_empty() {
            Ok(plan)
        } else {
            Err(problems)
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewText {
    pub meeting: String,
    /// A line each: "name | role | attended".
    pub invited: String,
    pub pupil_views: String,
    pub parent_views: String,
    /// Progress towards each section E outcome, in the plan's order.
    pub progress: Vec<String>,
    pub provision_delivered: String,
    pub what_has_changed: String,
    pub preparing_for_adulthood: String,
    /// "", "keep", "amend" or "cease".
    pub recommendation: String,
    pub recommendation_why: String,
    pub la_decision: String,
    pub la_decided_on: String,
    pub amendments_proposed: String,
}

fn role_from(text: &str) -> Option<Role> {
    let t = text.trim().to_lowercase();
    Role::ALL.into_iter().find(|r| {
        let label = r.to_string().to_lowercase();
        label == t
            || label.split(' ').next() == Some(t.as_str())
            || (t == "la" && *r == Role::LocalAuthority)
    })
}

impl ReviewText {
    pub fn of(review: &AnnualReview, outcomes: &[PlanOutcomeE]) -> ReviewText {
        ReviewText {
            meeting: format_uk(review.meeting),
            invited: review
                .invited
                .iter()
                .map(|i| {
                    format!(
                        "{} | {}{}",
                        i.name,
                        i.role,
                        if i.attended { " | attended" } else { "" }
                    )
                })
                .collect::<Vec<_>>()
                .join("\n"),
            pupil_views: review.pupil_views.clone(),
            parent_views: review.parent_views.clone(),
            progress: outcomes
                .iter()
                .map(|o| {
                    review
                        .outcomes
                        .iter()
                        .find(|p| p.outcome == o.outcome)
                        .map(|p| p.progress.clone())
                        .unwrap_or_default()
                })
                .collect(),
            provision_delivered: review.provision_delivered.clone(),
            what_has_changed: review.what_has_changed.clone(),
            preparing_for_adulthood: review.preparing_for_adulthood.clone(),
            recommendation: recommendation_code(review.recommendation),
            recommendation_why: review.recommendation_why.clone(),
            la_decision: recommendation_code(review.la_decision.as_ref().map(|d| d.decision)),
            la_decided_on: date_text(review.la_decision.as_ref().map(|d| d.on)),
            amendments_proposed: date_text(
                review
                    .la_decision
                    .as_ref()
                    .and_then(|d| d.amendments_proposed),
            ),
        }
    }

    pub fn apply(
        &self,
        base: &AnnualReview,
        outcomes: &[PlanOutcomeE],
        today: NaiveDate,
    ) -> Result<AnnualReview, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let meeting = required_date(&self.meeting, "rev-meeting", &mut problems);
        let mut invited = Vec::new();
        for (n, parts) in lines(&self.invited) {
            let role = parts.get(1).map(|r| role_from(r));
            match role {
                Some(Some(role)) => invited.push(Invitee {
                    name: parts[0].clone(),
                    role,
                    attended: parts.get(2).is_some_and(|a| {
                        let a = a.to_lowercase();
                        a.starts_with("attend") || a == "yes"
                    }),
                }),
                _ => problems.push(("rev-invited".into(), format!("Person {n}: write their name, a bar, then their role (parent, pupil, school, local authority, health, social care or other), and \"| attended\" if they came."))),
            }
        }
        let decided_on = optional_date(&self.la_decided_on, "rev-la-decided-on", &mut problems);
        let proposed = optional_date(
            &self.amendments_proposed,
            "rev-amendments-proposed",
            &mut problems,
        );
        let la_decision = match (recommendation_from(&self.la_decision), decided_on) {
            (None, None) if proposed.is_none() => None,
            (Some(decision), Some(on)) => Some(LaDecision {
                decision,
                on,
                amendments_proposed: proposed,
            }),
            (None, _) => {
                problems.push((
                    "rev-la-decision".into(),
                    "Choose what the local authority decided.".into(),
                ));
                None
            }
            (Some(_), None) => {
                if !problems.iter().any(|(f, _)| f == "rev-la-decided-on") {
                    problems.push((
                        "rev-la-decided-on".into(),
                        "Enter the date of the local authority's decision.".into(),
                    ));
                }
                None
            }
        };
        let Some(meeting) = meeting else {
            return Err(problems);
        };
        let mut review = base.clone();
        review.meeting = meeting;
        review.invited = invited;
        review.pupil_views = self.pupil_views.trim().to_string();
        review.parent_views = self.parent_views.trim().to_string();
        // Progress typed against the plan's outcomes, then any recorded against outcomes
        // the plan no longer words the same way (kept, never dropped by a save).
        let mut progress: Vec<OutcomeProgress> = outcomes
            .iter()
            .zip(
                self.progress
                    .iter()
                    .chain(std::iter::repeat(&String::new())),
            )
            .filter(|(_, p)| !p.trim().is_empty())
            .map(|(o, p)| OutcomeProgress {
                outcome: o.outcome.clone(),
                progress: p.trim().to_string(),
            })
            .collect();
        progress.extend(
            base.outcomes
                .iter()
                .filter(|p| !outcomes.iter().any(|o| o.outcome == p.outcome))
                .cloned(),
        );
        review.outcomes = progress;
        review.provision_delivered = self.provision_delivered.trim().to_string();
        review.what_has_changed = self.what_has_changed.trim().to_string();
        review.preparing_for_adulthood = self.preparing_for_adulthood.trim().to_string();
        review.recommendation = recommendation_from(&self.recommendation);
        review.recommendation_why = self.recommendation_why.trim().to_string();
        review.la_decision = la_decision;
        for problem in review.problems(today) {
            use super::review::ReviewProblem as P;
            let field = match problem {
                P::RecommendationWhy => "rev-why",
                P::HeldWithoutMeetingDate => "rev-meeting",
                P::UnnamedInvitee(_) => "rev-invited",
                P::DecisionBeforeMeeting => "rev-la-decided-on",
                P::AmendmentsWithoutAmend => "rev-amendments-proposed",
            };
            if !problems.iter().any(|(f, _)| f == field) {
                problems.push((field.into(), problem.to_string()));
            }
        }
        if problems.is_empty() {
            Ok(review)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
#[path = "forms_tests.rs"]
mod tests;
