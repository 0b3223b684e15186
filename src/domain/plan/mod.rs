//! Support plans: the graduated approach's assess, plan, do, review cycles.
//!
//! A pupil's plans are kept in cycle order and never overwritten: a plan is drafted,
//! becomes active when it starts, and is closed by its review. A reviewed plan is the
//! evidence an EHC needs assessment asks for, so it is read-only; a later correction is
//! allowed but recorded with who made it, when, why and what changed.

use super::dates::{format_uk, iso_date, option_iso_date, timestamp};
use super::need::NeedType;
use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use zeroize::Zeroize;

/// The longest text in any one field of a plan or review.
pub const MAX_PLAN_TEXT: usize = 2000;
/// The most outcomes, strategies or provision lines a plan may have.
pub const MAX_PLAN_ITEMS: usize = 20;
/// The most plans one pupil's file may hold (three a year for thirty years).
pub const MAX_PLANS: usize = 100;
/// Plans are reviewed termly unless the SENCO sets another date.
pub const REVIEW_AFTER_MONTHS: u32 = 3;
/// The highest plan number a file may hold: far beyond any school career, and far from
/// overflowing when the next number is worked out.
pub const MAX_CYCLE: u32 = 10_000;
/// The most corrections one reviewed plan may carry.
pub const MAX_CORRECTIONS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    Draft,
    Active,
    Reviewed,
}

impl fmt::Display for PlanStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PlanStatus::Draft => "Draft",
            PlanStatus::Active => "Active",
            PlanStatus::Reviewed => "Reviewed",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PlanOutcome {
    pub text: String,
    pub success_criteria: String,
    #[serde(default, with = "option_iso_date")]
    pub target_on: Option<NaiveDate>,
}

/// What is provided, by whom and how often: "Precision teaching, TA, 3 × 10 minutes a week".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Provision {
    pub what: String,
    pub who: String,
    pub how_often: String,
    /// The provision on the school's provision map this row is (issue 15): the pupil is
    /// in it, and the plan shows their entry, exit and attendance from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    NotAchieved,
    PartlyAchieved,
    Achieved,
    Exceeded,
}

impl Progress {
    pub const ALL: [Progress; 4] = [
        Progress::NotAchieved,
        Progress::PartlyAchieved,
        Progress::Achieved,
        Progress::Exceeded,
    ];

    /// Whether the outcome still needs working on in the next cycle.
    pub fn carries_forward(self) -> bool {
        matches!(self, Progress::NotAchieved | Progress::PartlyAchieved)
    }

    pub fn code(self) -> &'static str {
        match self {
            Progress::NotAchieved => "not_achieved",
            Progress::PartlyAchieved => "partly_achieved",
            Progress::Achieved => "achieved",
            Progress::Exceeded => "exceeded",
        }
    }

    pub fn from_code(code: &str) -> Option<Progress> {
        Progress::ALL.into_iter().find(|p| p.code() == code)
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Progress::NotAchieved => "Not achieved",
            Progress::PartlyAchieved => "Partly achieved",
            Progress::Achieved => "Achieved",
            Progress::Exceeded => "Exceeded",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeReview {
    pub progress: Progress,
    pub evidence: String,
}

/// The review that closes a cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    #[serde(with = "iso_date")]
    pub held_on: NaiveDate,
    /// Who attended, as typed: "Mrs Patel (mum), Miss Jones (class teacher), SENCO".
    pub attended: String,
    pub parents_attended: bool,
    /// Progress on each of the plan's outcomes, in the plan's order.
    pub outcomes: Vec<OutcomeReview>,
    /// Whether each of the plan's strategies worked, in the plan's order.
    pub strategies_worked: Vec<bool>,
    pub pupil_views: String,
    pub parent_views: String,
    pub next_steps: String,
    #[serde(with = "timestamp")]
    pub recorded_at: DateTime<Utc>,
}

/// A change made to a plan after its review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    #[serde(with = "timestamp")]
    pub at: DateTime<Utc>,
    /// The key slot used to unlock: "SENCO", "Recovery key".
    pub by: String,
    pub reason: String,
    /// The parts that changed: "outcomes, review: evidence".
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportPlan {
    /// Given when first saved (see [`super::record_id`]); blank until then. Stays with the
    /// plan if a merge renumbers it.
    #[serde(default)]
    pub id: String,
    /// 1 for the pupil's first plan, and so on.
    pub cycle: u32,
    pub status: PlanStatus,
    #[serde(with = "iso_date")]
    pub starts_on: NaiveDate,
    #[serde(with = "iso_date")]
    pub review_on: NaiveDate,
    #[serde(with = "iso_date")]
    pub drafted_on: NaiveDate,
    #[serde(default)]
    pub needs: Vec<NeedType>,
    #[serde(default)]
    pub pupil_views: String,
    #[serde(default)]
    pub parent_views: String,
    #[serde(default)]
    pub strengths: String,
    #[serde(default)]
    pub outcomes: Vec<PlanOutcome>,
    #[serde(default)]
    pub strategies: Vec<String>,
    #[serde(default)]
    pub provision: Vec<Provision>,
    #[serde(default, with = "option_iso_date")]
    pub parents_agreed_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
    /// When the plan was last saved changed, so a merge keeps the later of two edits.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::dates::option_timestamp"
    )]
    pub edited_at: Option<DateTime<Utc>>,
    /// Kept from another copy of the desk by a merge because it clashed with a plan here
    /// (the same number, or a second draft or active plan): the SENCO checks it. Such plans
    /// do not count against "one draft and one active plan at a time".
    #[serde(default, skip_serializing_if = "is_false")]
    pub merge_clash: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// Why a plan change was refused, in words for the SENCO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    /// A field is wrong; the field's name and the message.
    Field(PlanField, String),
    DraftExists(u32),
    AnotherActive(u32),
    NotDraft(u32),
    NotActive(u32),
    NotReviewed(u32),
    ReviewedIsReadOnly(u32),
    NothingCorrected,
    NoSuchPlan(u32),
    TooMany,
}

/// The parts of a plan or review a message can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanField {
    StartsOn,
    ReviewOn,
    Outcomes,
    Outcome(usize),
    OutcomeTarget(usize),
    Strategies,
    Provision,
    Text,
    ParentsAgreedOn,
    HeldOn,
    Attended,
    OutcomeProgress(usize),
    Reason,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Field(_, message) => f.write_str(message),
            PlanError::DraftExists(n) => write!(
                f,
                "Plan {n} is already a draft: finish it or delete it before starting another."
            ),
            PlanError::AnotherActive(n) => write!(
                f,
                "Plan {n} is still active: record its review before starting this one."
            ),
            PlanError::NotDraft(n) => write!(f, "Plan {n} is not a draft."),
            PlanError::NotActive(n) => {
                write!(f, "Plan {n} is not active, so it cannot be reviewed.")
            }
            PlanError::NotReviewed(n) => write!(
                f,
                "Plan {n} has not been reviewed: edit it rather than correcting it."
            ),
            PlanError::ReviewedIsReadOnly(n) => write!(
                f,
                "Plan {n} has been reviewed, so it is read-only. Use \"Correct this plan\" to record a correction."
            ),
            PlanError::NothingCorrected => f.write_str("Nothing was changed, so there is no correction to record."),
            PlanError::NoSuchPlan(n) => write!(f, "There is no plan {n} for this pupil."),
            PlanError::TooMany => write!(f, "A pupil can have at most {MAX_PLANS} plans."),
        }
    }
}

impl std::error::Error for PlanError {}

/// The review date a plan gets unless the SENCO sets another: three months on, on the
/// same day of the month or the month's last day when it is shorter (30 November gives
/// the end of February, 29th in a leap year).
pub fn default_review_date(starts_on: NaiveDate) -> NaiveDate {
    starts_on
        .checked_add_months(Months::new(REVIEW_AFTER_MONTHS))
        .unwrap_or(starts_on)
}

fn too_long(text: &str) -> bool {
    text.chars().count() > MAX_PLAN_TEXT
}

fn field(field: PlanField, message: impl Into<String>) -> PlanError {
    PlanError::Field(field, message.into())
}

impl SupportPlan {
    /// An empty draft for cycle `cycle`, starting on `starts_on`.
    pub fn draft(
        cycle: u32,
        starts_on: NaiveDate,
        needs: Vec<NeedType>,
        today: NaiveDate,
    ) -> SupportPlan {
        SupportPlan {
            id: String::new(),
            cycle,
            status: PlanStatus::Draft,
            starts_on,
            review_on: default_review_date(starts_on),
            drafted_on: today,
            needs,
            pupil_views: String::new(),
            parent_views: String::new(),
            strengths: String::new(),
            outcomes: Vec::new(),
            strategies: Vec::new(),
            provision: Vec::new(),
            parents_agreed_on: None,
            review: None,
            corrections: Vec::new(),
            edited_at: None,
            merge_clash: false,
        }
    }

    pub fn is_reviewed(&self) -> bool {
        self.status == PlanStatus::Reviewed
    }

    /// Days from `today` to the review date: negative once it is overdue.
    pub fn days_to_review(&self, today: NaiveDate) -> i64 {
        (self.review_on - today).num_days()
    }

    /// Checks a plan as the SENCO saves it from its form on `today`: the rules of
    /// [`SupportPlan::check`], and that parents have already agreed it when a date is given.
    /// (Not part of `check`, which also reads stored plans: their dates were checked on
    /// the day they were saved.)
    pub fn check_on_saving(&self, today: NaiveDate) -> Result<(), PlanError> {
        if self.parents_agreed_on.is_some_and(|agreed| agreed > today) {
            return Err(field(
                PlanField::ParentsAgreedOn,
                format!(
                    "The date parents agreed the plan cannot be in the future (today is {}).",
                    format_uk(today)
                ),
            ));
        }
        self.check()
    }

    /// Checks what a plan form holds: dates in order, every outcome worded, texts within
    /// limits. Names the first problem and the field it is in.
    pub fn check(&self) -> Result<(), PlanError> {
        if self.status != PlanStatus::Draft && self.outcomes.is_empty() {
            return Err(field(
                PlanField::Outcomes,
                "A plan that has started needs at least one outcome.",
            ));
        }
        if self.review.is_some() != (self.status == PlanStatus::Reviewed) {
            return Err(field(
                PlanField::Text,
                format!("Plan {} has a review only if it is reviewed.", self.cycle),
            ));
        }
        if self.cycle == 0 || self.cycle > MAX_CYCLE {
            return Err(field(
                PlanField::Text,
                format!("Plan numbers run from 1 to {MAX_CYCLE}."),
            ));
        }
        let mut needs = self.needs.clone();
        needs.sort();
        needs.dedup();
        if needs.len() != self.needs.len() {
            return Err(field(PlanField::Text, "A need is listed twice."));
        }
        if self.corrections.len() > MAX_CORRECTIONS
            || self
                .corrections
                .iter()
                .any(|c| too_long(&c.reason) || too_long(&c.what) || c.by.chars().count() > 100)
        {
            return Err(field(
                PlanField::Text,
                format!(
                    "Plan {}'s corrections are too many or too long.",
                    self.cycle
                ),
            ));
        }
        if self.review_on <= self.starts_on {
            return Err(field(
                PlanField::ReviewOn,
                format!(
                    "The review date must be after the start date ({}).",
                    format_uk(self.starts_on)
                ),
            ));
        }
        if let Some(agreed) = self.parents_agreed_on {
            if agreed > self.review_on {
                return Err(field(
                    PlanField::ParentsAgreedOn,
                    "The date parents agreed the plan must be before its review date.",
                ));
            }
        }
        for (what, count, at) in [
            ("outcomes", self.outcomes.len(), PlanField::Outcomes),
            ("strategies", self.strategies.len(), PlanField::Strategies),
            (
                "lines of provision",
                self.provision.len(),
                PlanField::Provision,
            ),
        ] {
            if count > MAX_PLAN_ITEMS {
                return Err(field(
                    at,
                    format!("A plan can have at most {MAX_PLAN_ITEMS} {what}."),
                ));
            }
        }
        for (i, outcome) in self.outcomes.iter().enumerate() {
            if outcome.text.trim().is_empty() {
                return Err(field(
                    PlanField::Outcome(i),
                    format!("Outcome {} needs its wording.", i + 1),
                ));
            }
            if let Some(target) = outcome.target_on {
                if target < self.starts_on {
                    return Err(field(
                        PlanField::OutcomeTarget(i),
                        format!(
                            "Outcome {}'s target date must be on or after the plan's start ({}).",
                            i + 1,
                            format_uk(self.starts_on)
                        ),
                    ));
                }
            }
        }
        let texts = [&self.pupil_views, &self.parent_views, &self.strengths]
            .into_iter()
            .chain(self.strategies.iter())
            .chain(
                self.outcomes
                    .iter()
                    .flat_map(|o| [&o.text, &o.success_criteria]),
            )
            .chain(
                self.provision
                    .iter()
                    .flat_map(|p| [&p.what, &p.who, &p.how_often]),
            );
        for text in texts {
            if too_long(text) {
                return Err(field(
                    PlanField::Text,
                    format!(
                        "A part of the plan is too long: at most {MAX_PLAN_TEXT} characters each."
                    ),
                ));
            }
        }
        if let Some(review) = &self.review {
            review.check(self)?;
        }
        Ok(())
    }

    /// Starts a draft: it becomes the pupil's active plan.
    pub fn activate(&mut self) -> Result<(), PlanError> {
        if self.status != PlanStatus::Draft {
            return Err(PlanError::NotDraft(self.cycle));
        }
        if self.outcomes.is_empty() {
            return Err(field(
                PlanField::Outcomes,
                "Add at least one outcome before starting the plan.",
            ));
        }
        self.check()?;
        self.status = PlanStatus::Active;
        Ok(())
    }

    /// Records the review, which closes the cycle. Refused unless the plan is active and
    /// the review is complete.
    pub fn review(&mut self, review: Review, today: NaiveDate) -> Result<(), PlanError> {
        if self.status != PlanStatus::Active {
            return Err(PlanError::NotActive(self.cycle));
        }
        if review.held_on > today {
            return Err(field(
                PlanField::HeldOn,
                "The review date cannot be in the future.",
            ));
        }
        review.check(self)?;
        self.review = Some(review);
        self.status = PlanStatus::Reviewed;
        Ok(())
    }

    /// The next cycle's draft: the outcomes not (or only partly) achieved, with their
    /// target dates cleared, and the strategies that worked; provision, strengths and
    /// needs as before. Views are left for the new conversation.
    pub fn carry_forward(&self, starts_on: NaiveDate, today: NaiveDate) -> SupportPlan {
        let mut next = SupportPlan::draft(self.cycle + 1, starts_on, self.needs.clone(), today);
        next.strengths = self.strengths.clone();
        next.provision = self.provision.clone();
        match &self.review {
            Some(review) => {
                next.outcomes = self
                    .outcomes
                    .iter()
                    .zip(&review.outcomes)
                    .filter(|(_, r)| r.progress.carries_forward())
                    .map(|(o, _)| o.clone())
                    .collect();
                next.strategies = self
                    .strategies
                    .iter()
                    .zip(&review.strategies_worked)
                    .filter(|(_, worked)| **worked)
                    .map(|(s, _)| s.clone())
                    .collect();
            }
            None => {
                next.outcomes = self.outcomes.clone();
                next.strategies = self.strategies.clone();
            }
        }
        // The old targets have passed: the new plan sets its own.
        for outcome in &mut next.outcomes {
            outcome.target_on = None;
        }
        next
    }

    /// Records a correction to a reviewed plan: `corrected` replaces its contents (and its
    /// review's), and the change is noted with who, when, why and what changed.
    pub fn correct(
        &mut self,
        corrected: SupportPlan,
        reason: &str,
        by: &str,
        now: DateTime<Utc>,
    ) -> Result<(), PlanError> {
        if self.status != PlanStatus::Reviewed {
            return Err(PlanError::NotReviewed(self.cycle));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(field(
                PlanField::Reason,
                "Say why the reviewed plan is being corrected.",
            ));
        }
        if too_long(reason) {
            return Err(field(PlanField::Reason, "The reason is too long."));
        }
        let mut next = SupportPlan {
            cycle: self.cycle,
            status: PlanStatus::Reviewed,
            drafted_on: self.drafted_on,
            corrections: self.corrections.clone(),
            ..corrected
        };
        if next.review.is_none() {
            next.review = self.review.clone();
        }
        if next
            .review
            .as_ref()
            .is_some_and(|r| r.held_on > now.date_naive())
        {
            return Err(field(
                PlanField::HeldOn,
                "The review date cannot be in the future.",
            ));
        }
        next.check()?;
        let changed = self.changed_parts(&next);
        if changed.is_empty() {
            return Err(PlanError::NothingCorrected);
        }
        next.corrections.push(Correction {
            at: now,
            by: by.to_string(),
            reason: reason.to_string(),
            what: changed.join(", "),
        });
        *self = next;
        Ok(())
    }

    /// The parts of the plan that differ from `other`, in words.
    pub fn changed_parts(&self, other: &SupportPlan) -> Vec<&'static str> {
        let mut parts = Vec::new();
        let mut differs = |same: bool, name: &'static str| {
            if !same {
                parts.push(name);
            }
        };
        differs(self.status == other.status, "status");
        differs(self.starts_on == other.starts_on, "start date");
        differs(self.review_on == other.review_on, "review date");
        differs(self.needs == other.needs, "needs");
        differs(self.pupil_views == other.pupil_views, "pupil's views");
        differs(self.parent_views == other.parent_views, "parents' views");
        differs(self.strengths == other.strengths, "strengths");
        differs(self.outcomes == other.outcomes, "outcomes");
        differs(self.strategies == other.strategies, "strategies");
        differs(self.provision == other.provision, "provision");
        differs(
            self.parents_agreed_on == other.parents_agreed_on,
            "date parents agreed",
        );
        differs(self.review == other.review, "review");
        parts
    }

    /// How many of the reviewed outcomes were achieved or exceeded, and of how many.
    pub fn achieved(&self) -> Option<(usize, usize)> {
        let review = self.review.as_ref()?;
        let met = review
            .outcomes
            .iter()
            .filter(|r| !r.progress.carries_forward())
            .count();
        Some((met, review.outcomes.len()))
    }
}

impl Review {
    /// A blank review of `plan`, held `today`, every strategy marked as having worked.
    pub fn blank(plan: &SupportPlan, today: NaiveDate, now: DateTime<Utc>) -> Review {
        Review {
            held_on: today,
            attended: String::new(),
            parents_attended: false,
            outcomes: plan
                .outcomes
                .iter()
                .map(|_| OutcomeReview {
                    progress: Progress::NotAchieved,
                    evidence: String::new(),
                })
                .collect(),
            strategies_worked: vec![true; plan.strategies.len()],
            pupil_views: String::new(),
            parent_views: String::new(),
            next_steps: String::new(),
            recorded_at: now,
        }
    }

    fn check(&self, plan: &SupportPlan) -> Result<(), PlanError> {
        if self.held_on < plan.starts_on {
            return Err(field(
                PlanField::HeldOn,
                format!(
                    "The review cannot be before the plan started ({}).",
                    format_uk(plan.starts_on)
                ),
            ));
        }
        if self.attended.trim().is_empty() {
            return Err(field(PlanField::Attended, "Say who attended the review."));
        }
        if self.outcomes.len() != plan.outcomes.len() {
            return Err(field(
                PlanField::OutcomeProgress(self.outcomes.len().min(plan.outcomes.len())),
                "Record progress on every outcome.",
            ));
        }
        if self.strategies_worked.len() != plan.strategies.len() {
            return Err(field(
                PlanField::Strategies,
                "Say whether each strategy worked.",
            ));
        }
        let texts = [
            &self.attended,
            &self.pupil_views,
            &self.parent_views,
            &self.next_steps,
        ]
        .into_iter()
        .chain(self.outcomes.iter().map(|o| &o.evidence));
        for text in texts {
            if too_long(text) {
                return Err(field(
                    PlanField::Text,
                    format!("A part of the review is too long: at most {MAX_PLAN_TEXT} characters each."),
                ));
            }
        }
        Ok(())
    }
}

/// The rules that hold across a pupil's plans, checked on every save: at most one draft
/// and one active plan, cycles numbered once each, and reviewed plans never changed
/// except by a recorded correction nor removed.
pub fn check_plan_history(before: &[SupportPlan], after: &[SupportPlan]) -> Result<(), PlanError> {
    if after.len() > MAX_PLANS {
        return Err(PlanError::TooMany);
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut draft = None;
    let mut active = None;
    for plan in after {
        if !seen.insert(plan.cycle) {
            return Err(field(
                PlanField::Text,
                format!("Plan {} appears twice.", plan.cycle),
            ));
        }
        // A plan a merge kept from another copy is the SENCO's to check, not a second
        // draft or active plan made here.
        let status = match plan.status {
            PlanStatus::Draft | PlanStatus::Active if plan.merge_clash => continue,
            status => status,
        };
        match status {
            PlanStatus::Draft => {
                if let Some(other) = draft.replace(plan.cycle) {
                    return Err(PlanError::DraftExists(other));
                }
            }
            PlanStatus::Active => {
                if let Some(other) = active.replace(plan.cycle) {
                    return Err(PlanError::AnotherActive(other));
                }
            }
            PlanStatus::Reviewed if plan.review.is_none() => {
                return Err(field(
                    PlanField::Text,
                    format!("Plan {} is marked reviewed but has no review.", plan.cycle),
                ))
            }
            PlanStatus::Reviewed => {}
        }
    }
    for old in before.iter().filter(|p| p.is_reviewed()) {
        let Some(new) = after.iter().find(|p| p.cycle == old.cycle) else {
            return Err(PlanError::ReviewedIsReadOnly(old.cycle));
        };
        if new == old {
            continue;
        }
        let corrected_once = new.corrections.len() == old.corrections.len() + 1
            && new.corrections.starts_with(&old.corrections)
            && new.is_reviewed();
        if !corrected_once {
            return Err(PlanError::ReviewedIsReadOnly(old.cycle));
        }
    }
    Ok(())
}

/// The plan with this cycle number.
pub fn find_plan(plans: &[SupportPlan], cycle: u32) -> Result<&SupportPlan, PlanError> {
    plans
        .iter()
        .find(|p| p.cycle == cycle)
        .ok_or(PlanError::NoSuchPlan(cycle))
}

/// The number the next plan takes.
pub fn next_cycle(plans: &[SupportPlan]) -> u32 {
    plans.iter().map(|p| p.cycle).max().unwrap_or(0) + 1
}

impl Zeroize for SupportPlan {
    fn zeroize(&mut self) {
        for text in [
            &mut self.pupil_views,
            &mut self.parent_views,
            &mut self.strengths,
        ] {
            text.zeroize();
        }
        for outcome in &mut self.outcomes {
            outcome.text.zeroize();
            outcome.success_criteria.zeroize();
        }
        for strategy in &mut self.strategies {
            strategy.zeroize();
        }
        for line in &mut self.provision {
            line.what.zeroize();
            line.who.zeroize();
            line.how_often.zeroize();
        }
        if let Some(review) = &mut self.review {
            review.attended.zeroize();
            review.pupil_views.zeroize();
            review.parent_views.zeroize();
            review.next_steps.zeroize();
            for outcome in &mut review.outcomes {
                outcome.evidence.zeroize();
            }
        }
        for correction in &mut self.corrections {
            correction.reason.zeroize();
        }
        self.outcomes.clear();
        self.strategies.clear();
        self.provision.clear();
        self.review = None;
    }
}

impl super::pupil::PupilFile {
    pub fn plan(&self, cycle: u32) -> Option<&SupportPlan> {
        self.plans.iter().find(|p| p.cycle == cycle)
    }

    pub fn active_plan(&self) -> Option<&SupportPlan> {
        self.plans.iter().find(|p| p.status == PlanStatus::Active)
    }

    pub fn draft_plan(&self) -> Option<&SupportPlan> {
        self.plans.iter().find(|p| p.status == PlanStatus::Draft)
    }

    /// A new draft for the next cycle: blank, or (`from_last`) carried forward from the
    /// latest plan. The pupil's current needs are what it addresses unless carried.
    pub fn new_plan(
        &self,
        starts_on: NaiveDate,
        from_last: bool,
        today: NaiveDate,
    ) -> Result<SupportPlan, PlanError> {
        if let Some(draft) = self.draft_plan() {
            return Err(PlanError::DraftExists(draft.cycle));
        }
        if self.plans.len() >= MAX_PLANS {
            return Err(PlanError::TooMany);
        }
        let cycle = next_cycle(&self.plans);
        let latest = self.plans.iter().max_by_key(|p| p.cycle);
        let mut plan = match latest {
            Some(last) if from_last => last.carry_forward(starts_on, today),
            _ => SupportPlan::draft(cycle, starts_on, Vec::new(), today),
        };
        plan.cycle = cycle;
        let current: Vec<NeedType> = self
            .sen
            .needs_on(today)
            .iter()
            .map(|n| n.need_type)
            .collect();
        if plan.needs.is_empty() || !from_last {
            plan.needs = current;
        }
        Ok(plan)
    }

    /// The file with `plan` put in (replacing the plan with its cycle number), in order.
    pub fn with_plan(&self, plan: SupportPlan) -> super::pupil::PupilFile {
        let mut file = self.clone();
        file.plans.retain(|p| p.cycle != plan.cycle);
        file.plans.push(plan);
        file.plans.sort_by_key(|p| p.cycle);
        file
    }

    /// The file without draft `cycle`. Only drafts can be deleted.
    pub fn without_draft(&self, cycle: u32) -> Result<super::pupil::PupilFile, PlanError> {
        let plan = find_plan(&self.plans, cycle)?;
        if plan.status != PlanStatus::Draft {
            return Err(PlanError::NotDraft(cycle));
        }
        let mut file = self.clone();
        file.plans.retain(|p| p.cycle != cycle);
        Ok(file)
    }

    /// Reviews held with parents attending in `today`'s school year (1 September to
    /// 31 August): meetings with parents, as the SEN Code of Practice asks for three a year.
    pub fn parent_meetings(&self, today: NaiveDate) -> usize {
        let year = super::settings::school_year(today);
        self.plans
            .iter()
            .filter_map(|p| p.review.as_ref())
            .filter(|r| {
                r.parents_attended
                    && super::settings::school_year(r.held_on) == year
                    && r.held_on <= today
            })
            .count()
    }
}

#[cfg(test)]
mod tests;
