//! Referrals of a pupil to an external agency (issue 17): who to, why, what was tried,
//! the parents' consent, each dated step from sending to closing, the report, and what
//! became of each of its recommendations.

pub mod agency;
pub mod clock;
pub mod merge;
pub mod traded;
pub mod uptake;

use super::dates::{format_uk, iso_date, option_iso_date};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

pub use agency::{Agency, AgencyKind, AgencySetup, Professional};

pub const MAX_REFERRAL_TEXT: usize = 2_000;
pub const MAX_SHORT_TEXT: usize = 120;
pub const MAX_STEPS: usize = 40;
pub const MAX_RECOMMENDATIONS: usize = 40;
pub const MAX_TRIED: usize = 20;
pub const MAX_REFERRALS: usize = 100;

/// A step a referral goes through. Draft is a referral with no steps yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    Sent,
    Accepted,
    Declined,
    Waiting,
    Appointment,
    Seen,
    ReportReceived,
    Closed,
}

impl StepKind {
    pub const ALL: [StepKind; 8] = [
        StepKind::Sent,
        StepKind::Accepted,
        StepKind::Declined,
        StepKind::Waiting,
        StepKind::Appointment,
        StepKind::Seen,
        StepKind::ReportReceived,
        StepKind::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            StepKind::Sent => "sent",
            StepKind::Accepted => "accepted",
            StepKind::Declined => "declined",
            StepKind::Waiting => "waiting",
            StepKind::Appointment => "appointment",
            StepKind::Seen => "seen",
            StepKind::ReportReceived => "report_received",
            StepKind::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<StepKind> {
        StepKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The steps that may follow this one (None: a draft). A declined referral can only
    /// be closed; an appointment can be rebooked; a pupil seen can be seen again.
    pub fn next(last: Option<StepKind>) -> &'static [StepKind] {
        use StepKind::*;
        match last {
            None => &[Sent],
            Some(Sent) => &[Accepted, Declined, Waiting, Appointment, Closed],
            Some(Accepted) => &[Waiting, Appointment, Seen, Closed],
            Some(Waiting) => &[Accepted, Declined, Appointment, Seen, Closed],
            Some(Appointment) => &[Appointment, Seen, Closed],
            Some(Seen) => &[Appointment, ReportReceived, Closed],
            Some(ReportReceived) => &[Closed],
            Some(Declined) => &[Closed],
            Some(Closed) => &[],
        }
    }

    /// Waiting on the agency: after these the school chases if nothing happens.
    pub fn is_waiting(self) -> bool {
        matches!(
            self,
            StepKind::Sent | StepKind::Accepted | StepKind::Waiting | StepKind::Seen
        )
    }
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StepKind::Sent => "Sent",
            StepKind::Accepted => "Accepted",
            StepKind::Declined => "Declined",
            StepKind::Waiting => "Waiting",
            StepKind::Appointment => "Appointment",
            StepKind::Seen => "Seen",
            StepKind::ReportReceived => "Report received",
            StepKind::Closed => "Closed",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralStep {
    pub kind: StepKind,
    /// When it happened (for a report, the date it was received).
    #[serde(with = "iso_date")]
    pub on: NaiveDate,
    /// The appointment itself, for an appointment step.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "option_iso_date"
    )]
    pub appointment_on: Option<NaiveDate>,
    /// Why, for a declined or closed referral; anything to note otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl ReferralStep {
    /// "Sent on 02/11/2026", "Appointment on 10/12/2026 (booked 20/11/2026)".
    pub fn describe(&self) -> String {
        let mut text = match (self.kind, self.appointment_on) {
            (StepKind::Appointment, Some(at)) => format!(
                "Appointment on {} (booked {})",
                format_uk(at),
                format_uk(self.on)
            ),
            (kind, _) => format!("{kind} on {}", format_uk(self.on)),
        };
        if !self.note.is_empty() {
            text.push_str(": ");
            text.push_str(&self.note);
        }
        text
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    #[serde(with = "iso_date")]
    pub on: NaiveDate,
    /// Who gave it: "Mrs Patel (mum)".
    pub by: String,
}

/// Where a recommendation went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UptakeTarget {
    PlanStrategy,
    PassportStrategy,
    PlanOutcome,
    PlanProvision,
}

impl fmt::Display for UptakeTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            UptakeTarget::PlanStrategy => "a strategy on the support plan",
            UptakeTarget::PassportStrategy => "a key strategy on the passport",
            UptakeTarget::PlanOutcome => "an outcome on the support plan",
            UptakeTarget::PlanProvision => "provision on the support plan",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum Uptake {
    /// Put into a plan (by its id) or the passport, on a date.
    Used {
        target: UptakeTarget,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        plan_id: String,
        #[serde(with = "iso_date")]
        on: NaiveDate,
    },
    NotTakenUp {
        reason: String,
        #[serde(with = "iso_date")]
        on: NaiveDate,
    },
}

/// One recommendation from the agency's report, as the SENCO typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    #[serde(default)]
    pub id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uptake: Option<Uptake>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    #[serde(default)]
    pub id: String,
    pub agency_id: String,
    /// The agency's name when the referral was last saved, so the pupil's record still
    /// reads true if the directory changes.
    pub agency: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub professional: String,
    pub reason: String,
    /// Strategies already tried, picked from the pupil's plans or typed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tried: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<ReferralStep>,
    /// The report, as one of the pupil's attached files (its id).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub report_file: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recommendations: Vec<Recommendation>,
    /// Traded time this piece of work used (an assessment), in hundredths of the
    /// agency's unit for the school year it was sent in.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub time_used: u32,
    #[serde(with = "iso_date")]
    pub created_on: NaiveDate,
    /// When it was last saved changed, so a merge keeps the later of two edits.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::dates::option_timestamp"
    )]
    pub edited_at: Option<DateTime<Utc>>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Why a referral change was refused, for the field it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralProblem {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for ReferralProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

fn problem(field: &'static str, message: impl Into<String>) -> ReferralProblem {
    ReferralProblem {
        field,
        message: message.into(),
    }
}

impl Referral {
    pub fn new(agency: &Agency, reason: &str, today: NaiveDate) -> Referral {
        Referral {
            id: String::new(),
            agency_id: agency.id.clone(),
            agency: agency.name.clone(),
            professional: String::new(),
            reason: reason.trim().to_string(),
            tried: Vec::new(),
            consent: None,
            steps: Vec::new(),
            report_file: String::new(),
            recommendations: Vec::new(),
            time_used: 0,
            created_on: today,
            edited_at: None,
        }
    }

    pub fn last_step(&self) -> Option<&ReferralStep> {
        self.steps.last()
    }

    /// "Draft", or the latest step's name.
    pub fn status(&self) -> String {
        match self.last_step() {
            None => "Draft".into(),
            Some(step) => step.kind.to_string(),
        }
    }

    pub fn sent_on(&self) -> Option<NaiveDate> {
        self.steps
            .iter()
            .find(|s| s.kind == StepKind::Sent)
            .map(|s| s.on)
    }

    pub fn is_open(&self) -> bool {
        !matches!(self.last_step(), Some(s) if s.kind == StepKind::Closed)
    }

    /// Why the agency declined it, if it did.
    pub fn declined_because(&self) -> Option<&ReferralStep> {
        self.steps.iter().find(|s| s.kind == StepKind::Declined)
    }

    pub fn report_received_on(&self) -> Option<NaiveDate> {
        self.steps
            .iter()
            .find(|s| s.kind == StepKind::ReportReceived)
            .map(|s| s.on)
    }

    /// The steps that may be recorded next.
    pub fn next_steps(&self) -> &'static [StepKind] {
        StepKind::next(self.last_step().map(|s| s.kind))
    }

    /// Records the next step. Refused if it cannot follow the last, is dated before it or
    /// after today, or lacks what it needs (consent before sending, a reason to decline,
    /// the appointment's date).
    pub fn record_step(
        &mut self,
        step: ReferralStep,
        today: NaiveDate,
    ) -> Result<(), ReferralProblem> {
        if !self.next_steps().contains(&step.kind) {
            return Err(problem(
                "step",
                match self.last_step() {
                    None => "A new referral is sent first.".to_string(),
                    Some(last) => format!("{} cannot follow {}.", step.kind, last.kind),
                },
            ));
        }
        if step.on > today {
            return Err(problem(
                "step_on",
                "The date cannot be after today: record a step once it has happened.",
            ));
        }
        if let Some(last) = self.last_step() {
            if step.on < last.on {
                return Err(problem(
                    "step_on",
                    format!(
                        "The date cannot be before the last step ({}).",
                        last.describe()
                    ),
                ));
            }
        }
        match step.kind {
            StepKind::Sent => match &self.consent {
                None => {
                    return Err(problem(
                        "consent_on",
                        "Record the parents' consent before sending the referral.",
                    ))
                }
                Some(c) if c.on > step.on => {
                    return Err(problem(
                        "step_on",
                        "The referral cannot be sent before the parents' consent was given.",
                    ))
                }
                Some(_) => {}
            },
            StepKind::Declined if step.note.trim().is_empty() => {
                return Err(problem(
                    "step_note",
                    "Say why the agency declined it: the reason helps the next referral.",
                ))
            }
            StepKind::Appointment if step.appointment_on.is_none() => {
                return Err(problem("appointment_on", "Enter the appointment's date."))
            }
            _ => {}
        }
        if step.kind != StepKind::Appointment && step.appointment_on.is_some() {
            return Err(problem(
                "appointment_on",
                "Only an appointment has a date of its own.",
            ));
        }
        if step.note.chars().count() > MAX_REFERRAL_TEXT {
            return Err(problem("step_note", "The note is too long."));
        }
        if self.steps.len() >= MAX_STEPS {
            return Err(problem(
                "step",
                "This referral has as many steps as it can hold.",
            ));
        }
        self.steps.push(ReferralStep {
            note: step.note.trim().to_string(),
            ..step
        });
        Ok(())
    }

    /// Takes back the latest step (recorded by mistake), unless recommendations from the
    /// report were already used and it is the report.
    pub fn undo_step(&mut self) -> Result<ReferralStep, ReferralProblem> {
        let Some(last) = self.steps.last() else {
            return Err(problem("step", "There is no step to take back."));
        };
        if last.kind == StepKind::ReportReceived && !self.recommendations.is_empty() {
            return Err(problem(
                "step",
                "The report's recommendations are recorded: remove them before taking back the report.",
            ));
        }
        Ok(self.steps.pop().expect("a step was checked to be there"))
    }

    /// How many recommendations were used, and how many there are.
    pub fn used(&self) -> (usize, usize) {
        let used = self
            .recommendations
            .iter()
            .filter(|r| matches!(r.uptake, Some(Uptake::Used { .. })))
            .count();
        (used, self.recommendations.len())
    }

    /// Adds recommendations, one per non-blank line. Only once the report is in.
    pub fn add_recommendations(&mut self, text: &str) -> Result<usize, ReferralProblem> {
        if self.report_received_on().is_none() {
            return Err(problem(
                "recommendations",
                "Record the report as received first.",
            ));
        }
        let lines: Vec<&str> = text
            .lines()
            .map(|l| l.trim().trim_start_matches(['-', '•', '*']).trim())
            .filter(|l| !l.is_empty())
            .collect();
        if lines.is_empty() {
            return Err(problem(
                "recommendations",
                "Type at least one recommendation.",
            ));
        }
        if lines.iter().any(|l| l.chars().count() > MAX_SHORT_TEXT * 4) {
            return Err(problem(
                "recommendations",
                "A recommendation is longer than 480 characters: split it.",
            ));
        }
        if self.recommendations.len() + lines.len() > MAX_RECOMMENDATIONS {
            return Err(problem(
                "recommendations",
                format!("A referral holds at most {MAX_RECOMMENDATIONS} recommendations."),
            ));
        }
        for line in &lines {
            self.recommendations.push(Recommendation {
                id: String::new(),
                text: line.to_string(),
                uptake: None,
            });
        }
        Ok(lines.len())
    }

    pub fn recommendation(&self, id: &str) -> Option<&Recommendation> {
        self.recommendations.iter().find(|r| r.id == id)
    }

    /// Marks a recommendation as not taken up, with the reason.
    pub fn not_taken_up(
        &mut self,
        recommendation_id: &str,
        reason: &str,
        today: NaiveDate,
    ) -> Result<(), ReferralProblem> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(problem("not_taken_up", "Say why it was not taken up."));
        }
        if reason.chars().count() > MAX_SHORT_TEXT * 4 {
            return Err(problem("not_taken_up", "The reason is too long."));
        }
        let rec = self
            .recommendations
            .iter_mut()
            .find(|r| r.id == recommendation_id)
            .ok_or_else(|| {
                problem(
                    "recommendations",
                    "That recommendation is not on this referral.",
                )
            })?;
        if rec.uptake.is_some() {
            return Err(problem(
                "not_taken_up",
                "That recommendation is already decided.",
            ));
        }
        rec.uptake = Some(Uptake::NotTakenUp {
            reason: reason.to_string(),
            on: today,
        });
        Ok(())
    }

    /// What a stored or imported referral must respect; names the first problem.
    pub fn check(&self) -> Result<(), String> {
        let what = format!("a referral to {}", self.agency);
        let long = |part: &str| Err(format!("{what}: the {part} is too long"));
        if self.agency.trim().is_empty() || self.agency.chars().count() > MAX_SHORT_TEXT {
            return Err("a referral has no agency".into());
        }
        if self.reason.chars().count() > MAX_REFERRAL_TEXT {
            return long("reason");
        }
        if self.professional.chars().count() > MAX_SHORT_TEXT {
            return long("professional's name");
        }
        if self.tried.len() > MAX_TRIED
            || self
                .tried
                .iter()
                .any(|t| t.chars().count() > MAX_SHORT_TEXT * 4)
        {
            return long("list of strategies tried");
        }
        if let Some(c) = &self.consent {
            if c.by.chars().count() > MAX_SHORT_TEXT {
                return long("consent");
            }
        }
        if self.steps.len() > MAX_STEPS || self.recommendations.len() > MAX_RECOMMENDATIONS {
            return Err(format!("{what} has too many steps or recommendations"));
        }
        // Replaying the steps checks their order, dates and what each needs.
        let mut replay = Referral {
            steps: Vec::new(),
            recommendations: Vec::new(),
            ..self.clone()
        };
        let latest = self
            .steps
            .iter()
            .map(|s| s.on)
            .max()
            .unwrap_or(self.created_on);
        for step in &self.steps {
            replay
                .record_step(step.clone(), latest)
                .map_err(|e| format!("{what}: {e}"))?;
        }
        if !self.recommendations.is_empty() && self.report_received_on().is_none() {
            return Err(format!("{what} has recommendations but no report"));
        }
        for rec in &self.recommendations {
            if rec.text.trim().is_empty() || rec.text.chars().count() > MAX_SHORT_TEXT * 4 {
                return Err(format!("{what} has a blank or overlong recommendation"));
            }
            if let Some(Uptake::NotTakenUp { reason, .. }) = &rec.uptake {
                if reason.trim().is_empty() || reason.chars().count() > MAX_SHORT_TEXT * 4 {
                    return Err(format!(
                        "{what}: a reason not to take up a recommendation is blank or too long"
                    ));
                }
            }
        }
        if !self.report_file.is_empty() && !super::attachment::is_file_id(&self.report_file) {
            return Err(format!("{what} names its report file wrongly"));
        }
        if self.time_used > agency::MAX_TRADED_HUNDREDTHS {
            return Err(format!("{what}: the time used is out of range"));
        }
        Ok(())
    }

    /// The dated lines for the pupil's timeline.
    pub fn timeline(&self) -> Vec<(NaiveDate, String)> {
        let mut lines = vec![(
            self.created_on,
            format!("Referral to {} started: {}", self.agency, self.reason),
        )];
        for step in &self.steps {
            lines.push((
                step.on,
                format!("Referral to {}: {}", self.agency, step.describe()),
            ));
        }
        for rec in &self.recommendations {
            match &rec.uptake {
                Some(Uptake::Used { target, on, .. }) => lines.push((
                    *on,
                    format!(
                        "Recommendation from {} used as {target}: {}",
                        self.agency, rec.text
                    ),
                )),
                Some(Uptake::NotTakenUp { reason, on }) => lines.push((
                    *on,
                    format!(
                        "Recommendation from {} not taken up ({reason}): {}",
                        self.agency, rec.text
                    ),
                )),
                None => {}
            }
        }
        lines
    }

    pub fn give_ids(&mut self, mut fresh: impl FnMut() -> String) {
        if self.id.is_empty() {
            self.id = fresh();
        }
        for rec in &mut self.recommendations {
            if rec.id.is_empty() {
                rec.id = fresh();
            }
        }
    }
}

/// Earlier referrals of the pupil to the same agency that it declined, with why: shown
/// when the next one is made.
pub fn past_declines<'a>(
    referrals: &'a [Referral],
    agency_id: &str,
) -> Vec<(&'a Referral, &'a ReferralStep)> {
    referrals
        .iter()
        .filter(|r| r.agency_id == agency_id)
        .filter_map(|r| r.declined_because().map(|s| (r, s)))
        .collect()
}

impl zeroize::Zeroize for Referral {
    fn zeroize(&mut self) {
        self.reason.zeroize();
        self.professional.zeroize();
        self.tried.iter_mut().for_each(|t| t.zeroize());
        if let Some(c) = &mut self.consent {
            c.by.zeroize();
        }
        for step in &mut self.steps {
            step.note.zeroize();
        }
        for rec in &mut self.recommendations {
            rec.text.zeroize();
            if let Some(Uptake::NotTakenUp { reason, .. }) = &mut rec.uptake {
                reason.zeroize();
            }
        }
    }
}

#[cfg(test)]
mod tests;
