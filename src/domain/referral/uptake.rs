//! Recommendations from an agency's report put to use: each, with one press, becomes a
//! strategy, an outcome or provision on the pupil's support plan, or a key strategy on
//! their passport. The recommendation keeps where it went (the plan's id), and the plan
//! finds what came from which report by the same link, so both sides show it.

use super::{Referral, Uptake, UptakeTarget};
use crate::domain::dates::format_uk;
use crate::domain::passport::Passport;
use crate::domain::plan::{PlanOutcome, PlanStatus, Provision, SupportPlan};
use crate::domain::pupil::PupilFile;
use chrono::NaiveDate;

/// Something on a plan or passport that came from an agency's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FromReport {
    pub target: UptakeTarget,
    pub text: String,
    /// "EP report (North Locality EP Team), received 03/11/2026".
    pub source: String,
    pub referral_id: String,
}

impl PupilFile {
    /// The plan a recommendation goes into: the draft being written, else the active one.
    pub fn plan_for_recommendations(&self) -> Option<&SupportPlan> {
        self.draft_plan().or_else(|| self.active_plan())
    }

    pub fn referral(&self, id: &str) -> Option<&Referral> {
        self.referrals.iter().find(|r| r.id == id)
    }

    /// Puts a recommendation into the plan or passport and records where it went. Refused,
    /// with the file unchanged, when there is no plan to take it, it is already decided, or
    /// the plan or passport would break its limits.
    pub fn take_up(
        &mut self,
        referral_id: &str,
        recommendation_id: &str,
        target: UptakeTarget,
        today: NaiveDate,
    ) -> Result<(), String> {
        let referral = self
            .referral(referral_id)
            .ok_or("That referral is no longer on this pupil's record.")?;
        let rec = referral
            .recommendation(recommendation_id)
            .ok_or("That recommendation is no longer on this referral.")?;
        if rec.uptake.is_some() {
            return Err("That recommendation is already decided.".into());
        }
        let text = rec.text.clone();
        let plan_id = match target {
            UptakeTarget::PassportStrategy => {
                let passport = self.passport.get_or_insert_with(|| Passport::blank(today));
                Passport::check_new_strategy(&passport.key_strategies, &text)?;
                passport.key_strategies.push(text.trim().to_string());
                passport.updated_on = today;
                String::new()
            }
            _ => {
                let index = self
                    .plans
                    .iter()
                    .position(|p| p.status == PlanStatus::Draft)
                    .or_else(|| self.plans.iter().position(|p| p.status == PlanStatus::Active))
                    .ok_or(
                        "There is no draft or active support plan to add it to: start the next plan first.",
                    )?;
                let mut plan = self.plans[index].clone();
                match target {
                    UptakeTarget::PlanStrategy => {
                        if plan.strategies.iter().any(|s| s.trim() == text.trim()) {
                            return Err(format!(
                                "\"{text}\" is already a strategy on plan {}.",
                                plan.cycle
                            ));
                        }
                        plan.strategies.push(text.clone());
                    }
                    UptakeTarget::PlanOutcome => plan.outcomes.push(PlanOutcome {
                        text: text.clone(),
                        ..PlanOutcome::default()
                    }),
                    UptakeTarget::PlanProvision => plan.provision.push(Provision {
                        what: text.clone(),
                        ..Provision::default()
                    }),
                    UptakeTarget::PassportStrategy => unreachable!("handled above"),
                }
                plan.check().map_err(|e| e.to_string())?;
                let id = plan.id.clone();
                self.plans[index] = plan;
                id
            }
        };
        let rec = self
            .referrals
            .iter_mut()
            .find(|r| r.id == referral_id)
            .and_then(|r| {
                r.recommendations
                    .iter_mut()
                    .find(|r| r.id == recommendation_id)
            })
            .expect("found above");
        rec.uptake = Some(Uptake::Used {
            target,
            plan_id,
            on: today,
        });
        Ok(())
    }

    /// Takes a used recommendation back out of where it went (if it is still there word
    /// for word) and leaves it undecided; a "not taken up" is simply undecided again.
    pub fn undo_uptake(
        &mut self,
        referral_id: &str,
        recommendation_id: &str,
    ) -> Result<(), String> {
        let rec = self
            .referral(referral_id)
            .and_then(|r| r.recommendation(recommendation_id))
            .ok_or("That recommendation is no longer on this referral.")?
            .clone();
        if let Some(Uptake::Used {
            target, plan_id, ..
        }) = &rec.uptake
        {
            let text = rec.text.trim();
            match target {
                UptakeTarget::PassportStrategy => {
                    if let Some(p) = self.passport.as_mut() {
                        p.key_strategies.retain(|s| s.trim() != text);
                    }
                }
                _ => {
                    if let Some(plan) = self.plans.iter_mut().find(|p| &p.id == plan_id) {
                        if plan.status == PlanStatus::Reviewed {
                            return Err(format!(
                                "Plan {} is reviewed, so what it held stays as it was.",
                                plan.cycle
                            ));
                        }
                        match target {
                            UptakeTarget::PlanStrategy => {
                                plan.strategies.retain(|s| s.trim() != text)
                            }
                            UptakeTarget::PlanOutcome => {
                                plan.outcomes.retain(|o| o.text.trim() != text)
                            }
                            UptakeTarget::PlanProvision => {
                                plan.provision.retain(|p| p.what.trim() != text)
                            }
                            UptakeTarget::PassportStrategy => {}
                        }
                    }
                }
            }
        }
        if let Some(r) = self
            .referrals
            .iter_mut()
            .find(|r| r.id == referral_id)
            .and_then(|r| {
                r.recommendations
                    .iter_mut()
                    .find(|r| r.id == recommendation_id)
            })
        {
            r.uptake = None;
        }
        Ok(())
    }

    /// What on the plan `plan_id` (or, for "", the passport) came from which report.
    pub fn from_reports(&self, plan_id: &str) -> Vec<FromReport> {
        let mut found = Vec::new();
        for referral in &self.referrals {
            for rec in &referral.recommendations {
                let Some(Uptake::Used {
                    target,
                    plan_id: into,
                    ..
                }) = &rec.uptake
                else {
                    continue;
                };
                let on_passport = *target == UptakeTarget::PassportStrategy;
                if (plan_id.is_empty() && on_passport) || (!on_passport && into == plan_id) {
                    found.push(FromReport {
                        target: *target,
                        text: rec.text.clone(),
                        source: report_label(referral),
                        referral_id: referral.id.clone(),
                    });
                }
            }
        }
        found
    }

    /// Whether what a used recommendation became is still on its plan or the passport,
    /// word for word (the SENCO may have reworded or removed it since).
    pub fn uptake_in_place(&self, referral: &Referral, recommendation_id: &str) -> bool {
        let Some(rec) = referral.recommendation(recommendation_id) else {
            return false;
        };
        let text = rec.text.trim();
        match &rec.uptake {
            Some(Uptake::Used {
                target: UptakeTarget::PassportStrategy,
                ..
            }) => self
                .passport
                .as_ref()
                .is_some_and(|p| p.key_strategies.iter().any(|s| s.trim() == text)),
            Some(Uptake::Used {
                target, plan_id, ..
            }) => self
                .plans
                .iter()
                .find(|p| &p.id == plan_id)
                .is_some_and(|p| match target {
                    UptakeTarget::PlanStrategy => p.strategies.iter().any(|s| s.trim() == text),
                    UptakeTarget::PlanOutcome => p.outcomes.iter().any(|o| o.text.trim() == text),
                    UptakeTarget::PlanProvision => {
                        p.provision.iter().any(|o| o.what.trim() == text)
                    }
                    UptakeTarget::PassportStrategy => false,
                }),
            _ => false,
        }
    }
}

/// "Report from North Locality EP Team, received 03/11/2026".
pub fn report_label(referral: &Referral) -> String {
    match referral.report_received_on() {
        Some(on) => format!(
            "Report from {}, received {}",
            referral.agency,
            format_uk(on)
        ),
        None => format!("Referral to {}", referral.agency),
    }
}
