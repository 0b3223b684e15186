//! A pupil's EHC records as kept in their file: needs assessment requests, the plans the
//! local authority issued, and the annual reviews; what is open on them; and how two
//! copies of them merge.

use super::calendar::{case_events, Case, CaseEvent};
use super::plan::{case_reference, EhcPlan};
use super::request::NeedsAssessmentRequest;
use super::review::AnnualReview;
use super::review_dates::LeadTimes;
use super::transfer::{coming_transfer, TransferDue, TransferYears};
use super::Standing;
use crate::domain::dates::format_uk;
use crate::domain::YearGroup;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The most requests, plans or reviews one file may hold from outside (a backup).
pub const MAX_EHC_RECORDS: usize = 200;
/// The most characters in any one text of an EHC record.
pub const MAX_EHC_TEXT: usize = 10_000;
/// The most lines (outcomes, provision, invitees, evidence) in one record.
pub const MAX_EHC_LINES: usize = 100;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EhcRecord {
    /// The number behind the case reference ("EHC-0142"), given by the desk when the
    /// pupil's first EHC record is made: the next after the highest on the desk.
    #[serde(default)]
    pub case_number: u32,
    /// Needs assessment requests, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requests: Vec<NeedsAssessmentRequest>,
    /// Plans issued, oldest first: a ceased plan stays, and a later one follows it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<EhcPlan>,
    /// Annual reviews, by meeting date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviews: Vec<AnnualReview>,
}

/// Something open on a case, with its date: a step of a request or a review, the next
/// review, a phase transfer or a limit the local authority has passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenStep {
    /// The record it belongs to and the step's code: stable, for dismissals.
    pub key: String,
    pub what: String,
    pub due: NaiveDate,
    pub standing: Standing,
}

/// What a case needs from the settings and the pupil to work out its dates.
pub struct CaseSetting<'a> {
    pub born: Option<NaiveDate>,
    pub year_group: YearGroup,
    pub lead: &'a LeadTimes,
    pub transfer_years: &'a TransferYears,
}

impl EhcRecord {
    pub fn is_empty(&self) -> bool {
        self.requests.is_empty() && self.plans.is_empty() && self.reviews.is_empty()
    }

    pub fn reference(&self) -> String {
        case_reference(self.case_number)
    }

    /// The plan in force: the latest issued that has not ceased.
    pub fn current_plan(&self) -> Option<&EhcPlan> {
        self.plans
            .iter()
            .filter(|p| p.ceased.is_none())
            .max_by_key(|p| (p.issued, &p.id))
    }

    pub fn open_requests(&self) -> impl Iterator<Item = &NeedsAssessmentRequest> {
        self.requests.iter().filter(|r| r.is_open())
    }

    /// The latest review meeting held (ticked as held).
    pub fn last_review_held(&self) -> Option<NaiveDate> {
        self.reviews
            .iter()
            .filter(|r| r.is_held())
            .map(|r| r.meeting)
            .max()
    }

    /// The review scheduled and not yet held, if any (the latest such).
    pub fn scheduled_review(&self) -> Option<&AnnualReview> {
        self.reviews
            .iter()
            .filter(|r| !r.is_held())
            .max_by_key(|r| (r.meeting, &r.id))
    }

    /// The latest review, held or not: the one whose checklist is still worked through.
    pub fn latest_review(&self) -> Option<&AnnualReview> {
        self.reviews.iter().max_by_key(|r| (r.meeting, &r.id))
    }

    /// When the next review must be held by: the cycle's months after the plan was issued
    /// or the last review meeting held since, whichever is later.
    pub fn next_review_due(&self, born: Option<NaiveDate>) -> Option<NaiveDate> {
        let plan = self.current_plan()?;
        let since = self
            .last_review_held()
            .filter(|held| *held >= plan.issued)
            .unwrap_or(plan.issued);
        Some(plan.cycle.next_due(born, since))
    }

    /// The coming phase transfer, for a pupil with a plan in force.
    pub fn transfer(&self, setting: &CaseSetting, today: NaiveDate) -> Option<TransferDue> {
        let plan = self.current_plan()?;
        coming_transfer(
            setting.year_group,
            today,
            setting.transfer_years,
            plan.staying_for_sixth_form,
            |_| None,
        )
    }

    /// Whether a transfer review is held or scheduled in time: a meeting from the summer
    /// term before the year of transfer (when warnings start) up to the day it must be
    /// held by. An earlier annual review does not settle the next placement.
    pub fn transfer_review_in_time(&self, transfer: &TransferDue) -> bool {
        self.reviews
            .iter()
            .any(|r| r.meeting >= transfer.warn_from && r.meeting <= transfer.review_by)
    }

    /// Every step still open, soonest first: each open request's statutory steps (a limit
    /// an exception lifts is left out), the latest review's checklist, and the next review
    /// when none is scheduled.
    pub fn open_steps(&self, setting: &CaseSetting, today: NaiveDate) -> Vec<OpenStep> {
        let mut steps = Vec::new();
        let open = |s: &Standing| matches!(s, Standing::Due { .. } | Standing::Late { .. });
        for request in self.open_requests() {
            for step in request.dates().timeline(&request.exceptions, today) {
                if open(&step.standing) {
                    steps.push(OpenStep {
                        key: format!("{}:{}", request.id, step.code),
                        what: format!("Request: {}", step.what.to_lowercase()),
                        due: step.due,
                        standing: step.standing,
                    });
                }
            }
        }
        if self.current_plan().is_some() {
            if let Some(review) = self.latest_review() {
                for line in review.checklist(setting.lead, today) {
                    if open(&line.standing) {
                        steps.push(OpenStep {
                            key: format!("{}:{}:{}", review.id, line.step.code(), line.due),
                            what: format!("Review: {}", line.step.label().to_lowercase()),
                            due: line.due,
                            standing: line.standing,
                        });
                    }
                }
            }
            if self.scheduled_review().is_none() {
                if let (Some(plan), Some(due)) =
                    (self.current_plan(), self.next_review_due(setting.born))
                {
                    steps.push(OpenStep {
                        key: format!("{}:next-review:{due}", plan.id),
                        what: "Annual review to be held (none scheduled yet)".into(),
                        due,
                        standing: Standing::of(due, None, today),
                    });
                }
            }
        }
        steps.sort_by(|a, b| (a.due, &a.key).cmp(&(b.due, &b.key)));
        steps
    }

    /// The first open step, the one the case waits on.
    pub fn next_step(&self, setting: &CaseSetting, today: NaiveDate) -> Option<OpenStep> {
        self.open_steps(setting, today).into_iter().next()
    }

    /// The calendar's events for this case.
    pub fn calendar_events(&self, setting: &CaseSetting, today: NaiveDate) -> Vec<CaseEvent> {
        let reference = self.reference();
        let transfer = self.transfer(setting, today);
        let latest: Vec<AnnualReview> = self.latest_review().cloned().into_iter().collect();
        let next_review_due = if self.scheduled_review().is_none() {
            self.next_review_due(setting.born)
        } else {
            None
        };
        case_events(
            &Case {
                reference: &reference,
                plan: self.current_plan(),
                reviews: if self.current_plan().is_some() {
                    &latest
                } else {
                    &[]
                },
                requests: &self.requests,
                next_review_due,
                transfer: transfer.as_ref(),
            },
            setting.lead,
            today,
        )
    }

    /// The record as a summary carries it: every date, no words (views, needs, outcomes).
    pub fn summary(&self) -> EhcRecord {
        let mut record = self.clone();
        for request in &mut record.requests {
            request.evidence.clear();
        }
        for plan in &mut record.plans {
            plan.needs.clear();
            plan.outcomes.clear();
            plan.provision.clear();
        }
        for review in &mut record.reviews {
            review.invited.clear();
            review.pupil_views.clear();
            review.parent_views.clear();
            review.outcomes.clear();
            review.provision_delivered.clear();
            review.what_has_changed.clear();
            review.preparing_for_adulthood.clear();
            review.recommendation_why.clear();
            review.corrections.clear();
        }
        record
    }

    /// What a record from outside (a backup) must respect: ids, counts, text lengths and
    /// each record's own rules. Names the first problem.
    pub fn check(&self, today: NaiveDate) -> Result<(), String> {
        use crate::domain::record_id::is_record_id;
        let counts = [
            ("requests", self.requests.len()),
            ("plans", self.plans.len()),
            ("reviews", self.reviews.len()),
        ];
        for (what, n) in counts {
            if n > MAX_EHC_RECORDS {
                return Err(format!("it has more than {MAX_EHC_RECORDS} EHC {what}"));
            }
        }
        if self.case_number == 0 || self.case_number > 99_999 {
            return Err("its EHC case number is not between 1 and 99999".into());
        }
        let ids = [
            self.requests.iter().map(|r| &r.id).collect::<Vec<_>>(),
            self.plans.iter().map(|p| &p.id).collect(),
            self.reviews.iter().map(|r| &r.id).collect(),
        ];
        for list in ids {
            let mut seen = std::collections::BTreeSet::new();
            if list.iter().any(|id| !is_record_id(id) || !seen.insert(*id)) {
                return Err("one of its EHC records has a malformed or repeated id".into());
            }
        }
        let too_long = |t: &String| t.chars().count() > MAX_EHC_TEXT;
        for request in &self.requests {
            if let Some(problem) = request.problems().first() {
                return Err(format!("an EHC request is not valid: {problem}"));
            }
            if request.evidence.len() > MAX_EHC_LINES
                || request.exceptions.len() > MAX_EHC_LINES
                || request.appeals.len() > MAX_EHC_LINES
            {
                return Err("an EHC request has too many lines".into());
            }
            let other = match &request.made_by {
                super::request::Requester::Other(who) => who.clone(),
                _ => String::new(),
            };
            if too_long(&request.local_authority)
                || too_long(&other)
                || request.evidence.iter().any(|e| too_long(&e.what))
                || request.exceptions.iter().any(|e| too_long(&e.reason))
            {
                return Err("an EHC request has an overlong text".into());
            }
        }
        for plan in &self.plans {
            if let Some(problem) = plan.problems().first() {
                return Err(format!("an EHC plan is not valid: {problem}"));
            }
            if plan.outcomes.len() > MAX_EHC_LINES
                || plan.provision.len() > MAX_EHC_LINES
                || plan.amended.len() > MAX_EHC_LINES
                || plan.funding.len() > MAX_EHC_LINES
            {
                return Err("an EHC plan has too many lines".into());
            }
            let texts = [
                &plan.local_authority,
                &plan.case_officer,
                &plan.named_school,
            ]
            .into_iter()
            .chain([&plan.needs])
            .chain(plan.outcomes.iter().flat_map(|o| [&o.outcome, &o.by_when]))
            .chain(
                plan.provision
                    .iter()
                    .flat_map(|p| [&p.what, &p.how_often, &p.by_whom]),
            )
            .chain(plan.amended.iter().map(|a| &a.sections))
            .chain(plan.funding.iter().filter_map(|f| match &f.top_up {
                super::plan::TopUp::Band(band) => Some(band),
                super::plan::TopUp::AYear(_) => None,
            }));
            if texts.into_iter().any(too_long) {
                return Err("an EHC plan has an overlong text".into());
            }
        }
        for review in &self.reviews {
            if let Some(problem) = review.problems(today).first() {
                return Err(format!("an EHC annual review is not valid: {problem}"));
            }
            if review.invited.len() > MAX_EHC_LINES || review.outcomes.len() > MAX_EHC_LINES {
                return Err("an EHC annual review has too many lines".into());
            }
            let texts = [
                &review.pupil_views,
                &review.parent_views,
                &review.provision_delivered,
                &review.what_has_changed,
                &review.preparing_for_adulthood,
                &review.recommendation_why,
            ]
            .into_iter()
            .chain(review.invited.iter().map(|i| &i.name))
            .chain(review.corrections.iter().map(|c| &c.reason))
            .chain(
                review
                    .outcomes
                    .iter()
                    .flat_map(|o| [&o.outcome, &o.progress]),
            );
            if texts.into_iter().any(too_long) {
                return Err("an EHC annual review has an overlong text".into());
            }
        }
        Ok(())
    }

    /// Gives every request, plan and review without an id one made by `fresh`.
    pub fn give_ids(&mut self, mut fresh: impl FnMut() -> String) {
        for id in self
            .requests
            .iter_mut()
            .map(|r| &mut r.id)
            .chain(self.plans.iter_mut().map(|p| &mut p.id))
            .chain(self.reviews.iter_mut().map(|r| &mut r.id))
        {
            if id.is_empty() {
                *id = fresh();
            }
        }
    }

    /// The dated lines of the record for the pupil's timeline: (date, what).
    pub fn timeline(&self) -> Vec<(NaiveDate, String)> {
        let mut lines = Vec::new();
        for request in &self.requests {
            lines.push((
                request.received,
                format!(
                    "EHC needs assessment request received by {}",
                    request.local_authority
                ),
            ));
            if let Some(d) = request.decided {
                let what = if d.assess {
                    "Local authority decided to assess"
                } else {
                    "Local authority decided not to assess"
                };
                lines.push((d.on, what.into()));
            }
            for (on, what) in [
                (
                    request.not_to_issue,
                    "Local authority decided not to issue a plan",
                ),
                (request.draft_issued, "Draft EHC plan issued"),
                (request.final_issued, "Final EHC plan issued"),
                (request.closed, "EHC request closed"),
            ] {
                if let Some(on) = on {
                    lines.push((on, what.into()));
                }
            }
        }
        for plan in &self.plans {
            for amendment in &plan.amended {
                lines.push((amendment.on, "Amended EHC plan issued".into()));
            }
            if let Some(ceased) = plan.ceased {
                lines.push((ceased, "EHC plan ceased".into()));
            }
        }
        for review in self.reviews.iter().filter(|r| r.is_held()) {
            lines.push((review.meeting, "EHC plan annual review held".into()));
        }
        lines
    }
}

/// Two copies of one pupil's EHC records as one: requests, plans and reviews matched by id;
/// of two copies of one record, every step either recorded is kept (the later edit's date
/// where both recorded one) and the later edit's words.
pub fn merge_ehc(a: &EhcRecord, b: &EhcRecord) -> EhcRecord {
    if a == b {
        return a.clone();
    }
    let case_number = match (a.case_number, b.case_number) {
        (0, n) | (n, 0) => n,
        (x, y) => x.min(y),
    };
    let mut requests = by_id(&a.requests, &b.requests, |r| &r.id, merge_request);
    requests.sort_by(|x, y| (x.received, &x.id).cmp(&(y.received, &y.id)));
    let mut plans = by_id(&a.plans, &b.plans, |p| &p.id, merge_plan);
    plans.sort_by(|x, y| (x.issued, &x.id).cmp(&(y.issued, &y.id)));
    let mut reviews = by_id(&a.reviews, &b.reviews, |r| &r.id, merge_review);
    reviews.sort_by(|x, y| (x.meeting, &x.id).cmp(&(y.meeting, &y.id)));
    EhcRecord {
        case_number,
        requests,
        plans,
        reviews,
    }
}

fn by_id<T: Clone>(
    a: &[T],
    b: &[T],
    id: impl Fn(&T) -> &String,
    both: impl Fn(&T, &T) -> T,
) -> Vec<T> {
    let mut kept: Vec<T> = a.to_vec();
    for record in b {
        match kept.iter_mut().find(|k| id(k) == id(record)) {
            None => kept.push(record.clone()),
            Some(there) => *there = both(there, record),
        }
    }
    kept
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).expect("records always serialise")
}

/// Of two copies, the later edit (at the same time, the larger JSON), so either order of
/// merging agrees; and the other.
fn later<'a, T: Serialize>(
    a: &'a T,
    b: &'a T,
    edited: impl Fn(&T) -> Option<DateTime<Utc>>,
) -> (&'a T, &'a T) {
    if (edited(a), json(a)) >= (edited(b), json(b)) {
        (a, b)
    } else {
        (b, a)
    }
}

/// Adds to `into` whatever of `from` it lacks, without repeats.
fn union<T: Clone + PartialEq>(into: &mut Vec<T>, from: &[T]) {
    for item in from {
        if !into.contains(item) {
            into.push(item.clone());
        }
    }
}

fn merge_request(a: &NeedsAssessmentRequest, b: &NeedsAssessmentRequest) -> NeedsAssessmentRequest {
    if a == b {
        return a.clone();
    }
    let (win, other) = later(a, b, |r| r.edited_at);
    let mut merged = win.clone();
    merged.decided = merged.decided.or(other.decided);
    for (field, theirs) in [
        (&mut merged.advice_asked, other.advice_asked),
        (&mut merged.advice_sent, other.advice_sent),
        (&mut merged.not_to_issue, other.not_to_issue),
        (&mut merged.draft_issued, other.draft_issued),
        (&mut merged.final_issued, other.final_issued),
        (&mut merged.closed, other.closed),
    ] {
        *field = field.or(theirs);
    }
    // A plan issued elsewhere wins over a refusal here only if the steps allow it; when
    // both ends were recorded, the later edit's end stands.
    if merged.not_to_issue.is_some() && merged.final_issued.is_some() {
        merged.not_to_issue = win.not_to_issue;
        merged.final_issued = win.final_issued;
    }
    union(&mut merged.evidence, &other.evidence);
    union(&mut merged.exceptions, &other.exceptions);
    union(&mut merged.appeals, &other.appeals);
    // Never a record the forms would refuse (steps the other copy recorded may not fit
    // this one's): fall back to the later edit whole.
    if !merged.problems().is_empty() {
        return win.clone();
    }
    merged
}

fn merge_plan(a: &EhcPlan, b: &EhcPlan) -> EhcPlan {
    if a == b {
        return a.clone();
    }
    let (win, other) = later(a, b, |p| p.edited_at);
    let mut merged = win.clone();
    union(&mut merged.amended, &other.amended);
    merged
        .amended
        .sort_by(|x, y| (x.on, &x.sections).cmp(&(y.on, &y.sections)));
    union(&mut merged.funding, &other.funding);
    merged.funding.sort_by_key(|f| (f.from, json(&f.top_up)));
    merged.ceased = merged.ceased.or(other.ceased);
    if !merged.problems().is_empty() {
        return win.clone();
    }
    merged
}

fn merge_review(a: &AnnualReview, b: &AnnualReview) -> AnnualReview {
    if a == b {
        return a.clone();
    }
    let (win, other) = later(a, b, |r| r.edited_at);
    let mut merged = win.clone();
    for done in &other.done {
        if merged.done_on(done.step).is_none() {
            merged.done.push(*done);
        }
    }
    merged.done.sort_by_key(|d| d.step);
    for invitee in &other.invited {
        match merged
            .invited
            .iter_mut()
            .find(|i| i.name == invitee.name && i.role == invitee.role)
        {
            Some(there) => there.attended |= invitee.attended,
            None => merged.invited.push(invitee.clone()),
        }
    }
    // Words written on one copy only are kept (a tick on a stale copy must not wipe the
    // write-up); where both wrote, the later edit's stand.
    for (text, theirs) in [
        (&mut merged.pupil_views, &other.pupil_views),
        (&mut merged.parent_views, &other.parent_views),
        (&mut merged.provision_delivered, &other.provision_delivered),
        (&mut merged.what_has_changed, &other.what_has_changed),
        (
            &mut merged.preparing_for_adulthood,
            &other.preparing_for_adulthood,
        ),
    ] {
        if text.trim().is_empty() {
            text.clone_from(theirs);
        }
    }
    for progress in &other.outcomes {
        if !merged
            .outcomes
            .iter()
            .any(|p| p.outcome == progress.outcome)
        {
            merged.outcomes.push(progress.clone());
        }
    }
    // The recommendation and its reason travel together.
    if merged.recommendation.is_none() && other.recommendation.is_some() {
        merged.recommendation = other.recommendation;
        merged
            .recommendation_why
            .clone_from(&other.recommendation_why);
    }
    merged.la_decision = merged.la_decision.clone().or(other.la_decision.clone());
    union(&mut merged.corrections, &other.corrections);
    merged.corrections.sort_by_key(|c| c.at);
    // Never a record the forms would refuse: fall back to the later edit whole, with the
    // other copy's ticks.
    if !merged.problems(NaiveDate::MAX).is_empty() {
        let mut safe = win.clone();
        for done in &other.done {
            if safe.done_on(done.step).is_none() {
                safe.done.push(*done);
            }
        }
        safe.done.sort_by_key(|d| d.step);
        return safe;
    }
    merged
}

/// A due date in words for a list: "12/04/2027 (3 days late)".
pub fn due_words(step: &OpenStep) -> String {
    format!(
        "{} ({})",
        format_uk(step.due),
        step.standing.describe().to_lowercase()
    )
}

impl zeroize::Zeroize for EhcRecord {
    fn zeroize(&mut self) {
        for request in &mut self.requests {
            request.local_authority.zeroize();
            if let super::request::Requester::Other(who) = &mut request.made_by {
                who.zeroize();
            }
            for e in &mut request.evidence {
                e.what.zeroize();
            }
            for e in &mut request.exceptions {
                e.reason.zeroize();
            }
        }
        for plan in &mut self.plans {
            for text in [
                &mut plan.local_authority,
                &mut plan.case_officer,
                &mut plan.named_school,
                &mut plan.needs,
            ] {
                text.zeroize();
            }
            for o in &mut plan.outcomes {
                o.outcome.zeroize();
                o.by_when.zeroize();
            }
            for a in &mut plan.amended {
                a.sections.zeroize();
            }
            for f in &mut plan.funding {
                if let super::plan::TopUp::Band(band) = &mut f.top_up {
                    band.zeroize();
                }
            }
            for p in &mut plan.provision {
                p.what.zeroize();
                p.how_often.zeroize();
                p.by_whom.zeroize();
            }
        }
        for review in &mut self.reviews {
            for text in [
                &mut review.pupil_views,
                &mut review.parent_views,
                &mut review.provision_delivered,
                &mut review.what_has_changed,
                &mut review.preparing_for_adulthood,
                &mut review.recommendation_why,
            ] {
                text.zeroize();
            }
            for i in &mut review.invited {
                i.name.zeroize();
            }
            for c in &mut review.corrections {
                c.reason.zeroize();
                c.by.zeroize();
            }
            for o in &mut review.outcomes {
                o.outcome.zeroize();
                o.progress.zeroize();
            }
        }
        self.requests.clear();
        self.plans.clear();
        self.reviews.clear();
    }
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
