//! An annual review of an EHC plan: its checklist, ticked with dates as each step is done,
//! and the record of the meeting.

use super::review_dates::{step_due, LeadTimes, ReviewStep};
use super::Standing;
use crate::domain::dates::{iso_date, option_iso_date};
use crate::domain::plan::Correction;
use crate::domain::YearGroup;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Parent,
    Pupil,
    School,
    LocalAuthority,
    Health,
    SocialCare,
    Other,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Parent,
        Role::Pupil,
        Role::School,
        Role::LocalAuthority,
        Role::Health,
        Role::SocialCare,
        Role::Other,
    ];
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Role::Parent => "Parent or carer",
            Role::Pupil => "Pupil",
            Role::School => "School",
            Role::LocalAuthority => "Local authority",
            Role::Health => "Health",
            Role::SocialCare => "Social care",
            Role::Other => "Other",
        })
    }
}

/// Someone invited, by name and role, and whether they came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitee {
    pub name: String,
    pub role: Role,
    #[serde(default)]
    pub attended: bool,
}

/// What the meeting recommends to the local authority, or what it decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Recommendation {
    KeepAsItIs,
    Amend,
    Cease,
}

impl fmt::Display for Recommendation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Recommendation::KeepAsItIs => "Keep the plan as it is",
            Recommendation::Amend => "Amend the plan",
            Recommendation::Cease => "Cease the plan",
        })
    }
}

/// Progress towards one section E outcome, as the meeting saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeProgress {
    pub outcome: String,
    pub progress: String,
}

/// A step of the checklist done, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepDone {
    pub step: ReviewStep,
    #[serde(with = "iso_date")]
    pub on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaDecision {
    pub decision: Recommendation,
    #[serde(with = "iso_date")]
    pub on: NaiveDate,
    /// Proposed amendments sent with the decision: the amended plan is due 8 weeks after.
    #[serde(default, with = "option_iso_date")]
    pub amendments_proposed: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualReview {
    #[serde(default)]
    pub id: String,
    #[serde(with = "iso_date")]
    pub meeting: NaiveDate,
    #[serde(default)]
    pub done: Vec<StepDone>,
    #[serde(default)]
    pub invited: Vec<Invitee>,
    #[serde(default)]
    pub pupil_views: String,
    #[serde(default)]
    pub parent_views: String,
    #[serde(default)]
    pub outcomes: Vec<OutcomeProgress>,
    /// Section F provision delivered since the last review.
    #[serde(default)]
    pub provision_delivered: String,
    #[serde(default)]
    pub what_has_changed: String,
    /// From Year 9: employment, independent living, friends and community, health.
    #[serde(default)]
    pub preparing_for_adulthood: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<Recommendation>,
    /// For "amend", the sections and why; for "cease", why.
    #[serde(default)]
    pub recommendation_why: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub la_decision: Option<LaDecision>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    /// When last saved changed, so a merge keeps the later of two edits.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::domain::dates::option_timestamp"
    )]
    pub edited_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A checklist line: the step, its date, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistLine {
    pub step: ReviewStep,
    pub due: NaiveDate,
    pub standing: Standing,
}

/// Every review from Year 9 covers preparation for adulthood.
pub fn covers_adulthood(year: YearGroup) -> bool {
    matches!(year, YearGroup::Year(n) if n >= 9)
}

/// Why a review cannot be saved, naming the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewProblem {
    RecommendationWhy,
    HeldWithoutMeetingDate,
    UnnamedInvitee(usize),
    DecisionBeforeMeeting,
    AmendmentsWithoutAmend,
}

impl fmt::Display for ReviewProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReviewProblem::RecommendationWhy => {
                f.write_str("Say which sections to amend and why, or why the plan should cease.")
            }
            ReviewProblem::HeldWithoutMeetingDate => {
                f.write_str("The meeting cannot be ticked as held before its date.")
            }
            ReviewProblem::UnnamedInvitee(n) => write!(
                f,
                "Person {} has no name: fill it in or remove them.",
                n + 1
            ),
            ReviewProblem::DecisionBeforeMeeting => {
                f.write_str("The local authority's decision cannot come before the meeting.")
            }
            ReviewProblem::AmendmentsWithoutAmend => {
                f.write_str("Proposed amendments go with a decision to amend.")
            }
        }
    }
}

impl AnnualReview {
    /// A review scheduled for `meeting`, nothing yet done.
    pub fn new(meeting: NaiveDate) -> Self {
        AnnualReview {
            id: String::new(),
            meeting,
            done: Vec::new(),
            invited: Vec::new(),
            pupil_views: String::new(),
            parent_views: String::new(),
            outcomes: Vec::new(),
            provision_delivered: String::new(),
            what_has_changed: String::new(),
            preparing_for_adulthood: String::new(),
            recommendation: None,
            recommendation_why: String::new(),
            la_decision: None,
            corrections: Vec::new(),
            edited_at: None,
        }
    }

    pub fn done_on(&self, step: ReviewStep) -> Option<NaiveDate> {
        self.done.iter().find(|d| d.step == step).map(|d| d.on)
    }

    /// Ticks a step done on `on`, or moves its date if already ticked.
    pub fn tick(&mut self, step: ReviewStep, on: NaiveDate) {
        match self.done.iter_mut().find(|d| d.step == step) {
            Some(done) => done.on = on,
            None => self.done.push(StepDone { step, on }),
        }
    }

    pub fn untick(&mut self, step: ReviewStep) {
        self.done.retain(|d| d.step != step);
    }

    pub fn is_held(&self) -> bool {
        self.done_on(ReviewStep::Meeting).is_some()
    }

    /// The whole checklist in date order. The local authority's decision counts as its
    /// step done; the amended plan is only due after a decision to amend.
    pub fn checklist(&self, lead: &LeadTimes, today: NaiveDate) -> Vec<ChecklistLine> {
        let proposed = self
            .la_decision
            .as_ref()
            .and_then(|d| d.amendments_proposed);
        let amending = self
            .la_decision
            .as_ref()
            .is_none_or(|d| d.decision == Recommendation::Amend);
        ReviewStep::ALL
            .into_iter()
            .filter(|s| *s != ReviewStep::AmendedPlan || amending)
            .map(|step| {
                let due = step_due(step, self.meeting, lead, proposed);
                let done = match step {
                    ReviewStep::LaDecision => self.la_decision.as_ref().map(|d| d.on),
                    _ => self.done_on(step),
                };
                ChecklistLine {
                    step,
                    due,
                    standing: Standing::of(due, done, today),
                }
            })
            .collect()
    }

    /// The next step not yet done.
    pub fn next_step(&self, lead: &LeadTimes, today: NaiveDate) -> Option<ChecklistLine> {
        self.checklist(lead, today)
            .into_iter()
            .find(|l| !matches!(l.standing, Standing::Done { .. }))
    }

    pub fn problems(&self, today: NaiveDate) -> Vec<ReviewProblem> {
        let mut problems = Vec::new();
        if self
            .done_on(ReviewStep::Meeting)
            .is_some_and(|_| self.meeting > today)
        {
            problems.push(ReviewProblem::HeldWithoutMeetingDate);
        }
        problems.extend(
            self.invited
                .iter()
                .enumerate()
                .filter(|(_, i)| i.name.trim().is_empty())
                .map(|(n, _)| ReviewProblem::UnnamedInvitee(n)),
        );
        if matches!(
            self.recommendation,
            Some(Recommendation::Amend | Recommendation::Cease)
        ) && self.recommendation_why.trim().is_empty()
        {
            problems.push(ReviewProblem::RecommendationWhy);
        }
        if let Some(decision) = &self.la_decision {
            if decision.on < self.meeting {
                problems.push(ReviewProblem::DecisionBeforeMeeting);
            }
            if decision.amendments_proposed.is_some() && decision.decision != Recommendation::Amend
            {
                problems.push(ReviewProblem::AmendmentsWithoutAmend);
            }
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ehc::d;

    fn review() -> AnnualReview {
        let mut review = AnnualReview::new(d("10/03/2027"));
        review.invited = vec![Invitee {
            name: "Mrs Patel".into(),
            role: Role::Parent,
            attended: false,
        }];
        review
    }

    #[test]
    fn the_checklist_runs_from_advice_to_the_amended_plan_and_ticks_off() {
        let lead = LeadTimes::default();
        let mut r = review();
        let lines = r.checklist(&lead, d("01/01/2027"));
        assert_eq!(
            lines.iter().map(|l| (l.step, l.due)).collect::<Vec<_>>(),
            vec![
                (ReviewStep::AskForAdvice, d("30/12/2026")),
                (ReviewStep::Invite, d("13/01/2027")),
                (ReviewStep::SendPapers, d("24/02/2027")),
                (ReviewStep::Meeting, d("10/03/2027")),
                (ReviewStep::ReportToLa, d("24/03/2027")),
                (ReviewStep::LaDecision, d("07/04/2027")),
                (ReviewStep::AmendedPlan, d("02/06/2027")),
            ]
        );
        assert_eq!(lines[0].standing, Standing::Late { days_late: 2 });
        r.tick(ReviewStep::AskForAdvice, d("02/01/2027"));
        let next = r.next_step(&lead, d("03/01/2027")).unwrap();
        assert_eq!(next.step, ReviewStep::Invite);
        assert_eq!(next.standing, Standing::Due { days_left: 10 });
        r.untick(ReviewStep::AskForAdvice);
        assert_eq!(
            r.next_step(&lead, d("03/01/2027")).unwrap().step,
            ReviewStep::AskForAdvice
        );
    }

    #[test]
    fn a_decision_to_keep_the_plan_ends_the_checklist() {
        let lead = LeadTimes::default();
        let mut r = review();
        for step in [
            ReviewStep::AskForAdvice,
            ReviewStep::Invite,
            ReviewStep::SendPapers,
            ReviewStep::Meeting,
            ReviewStep::ReportToLa,
        ] {
            let due = step_due(step, r.meeting, &lead, None);
            r.tick(step, due);
        }
        r.la_decision = Some(LaDecision {
            decision: Recommendation::KeepAsItIs,
            on: d("01/04/2027"),
            amendments_proposed: None,
        });
        assert_eq!(r.next_step(&lead, d("02/04/2027")), None);
        // A decision to amend, with amendments proposed, leaves the amended plan due 8 weeks on.
        r.la_decision = Some(LaDecision {
            decision: Recommendation::Amend,
            on: d("01/04/2027"),
            amendments_proposed: Some(d("01/04/2027")),
        });
        let next = r.next_step(&lead, d("02/04/2027")).unwrap();
        assert_eq!(
            (next.step, next.due),
            (ReviewStep::AmendedPlan, d("27/05/2027"))
        );
    }

    #[test]
    fn a_recommendation_to_amend_or_cease_says_why() {
        let mut r = review();
        r.recommendation = Some(Recommendation::Amend);
        assert_eq!(
            r.problems(d("10/03/2027")),
            vec![ReviewProblem::RecommendationWhy]
        );
        r.recommendation_why = "Section F: add daily speech and language input".into();
        assert_eq!(r.problems(d("10/03/2027")), vec![]);
        r.tick(ReviewStep::Meeting, d("10/03/2027"));
        assert_eq!(
            r.problems(d("09/03/2027")),
            vec![ReviewProblem::HeldWithoutMeetingDate]
        );
        r.la_decision = Some(LaDecision {
            decision: Recommendation::KeepAsItIs,
            on: d("01/03/2027"),
            amendments_proposed: Some(d("01/03/2027")),
        });
        assert_eq!(
            r.problems(d("10/03/2027")),
            vec![
                ReviewProblem::DecisionBeforeMeeting,
                ReviewProblem::AmendmentsWithoutAmend
            ]
        );
    }

    #[test]
    fn from_year_9_a_review_covers_preparing_for_adulthood() {
        assert!(!covers_adulthood(YearGroup::Year(8)));
        assert!(covers_adulthood(YearGroup::Year(9)));
        assert!(covers_adulthood(YearGroup::Year(13)));
        assert!(!covers_adulthood(YearGroup::Reception));
    }
}
