//! Appeals to the SEND Tribunal: a refusal to assess, a refusal to issue, a decision to
//! cease a plan, or a final plan whose content parents dispute, appealed within 2 months
//! of the decision or 1 month after a mediation certificate, whichever is later.

use super::months_after;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Appealable {
    RefusalToAssess,
    RefusalToIssue,
    DecisionToCease,
    PlanContent,
}

impl Appealable {
    pub fn code(self) -> &'static str {
        match self {
            Appealable::RefusalToAssess => "refusal-to-assess",
            Appealable::RefusalToIssue => "refusal-to-issue",
            Appealable::DecisionToCease => "decision-to-cease",
            Appealable::PlanContent => "plan-content",
        }
    }

    /// What to gather for the appeal, as a SENCO helping the family would.
    pub fn evidence(self) -> &'static [&'static str] {
        match self {
            Appealable::RefusalToAssess => &[
                "The local authority's decision letter and its reasons",
                "Support plans and their reviews: what was tried, for how long, and the progress made",
                "Provision map records: interventions, hours delivered and their impact",
                "Attainment and progress data over time",
                "Reports from outside agencies (educational psychology, speech and language, health)",
            ],
            Appealable::RefusalToIssue => &[
                "The local authority's decision letter and its reasons",
                "The advice gathered in the assessment, the school's included",
                "What the school provides from its own budget, and its cost against the notional threshold",
                "Evidence that needs are not met by what the school can provide",
            ],
            Appealable::DecisionToCease => &[
                "The local authority's decision letter and its reasons",
                "The latest annual review report and the views given at it",
                "Progress towards the plan's outcomes, and what support that progress depends on",
                "Section F provision delivered, and what happens if it stops",
            ],
            Appealable::PlanContent => &[
                "The final plan, with the sections disputed (B, F or I)",
                "Advice that the disputed sections do not reflect",
                "The parents' comments on the draft and the local authority's reply",
                "For section I: why the school the parents prefer suits the child",
            ],
        }
    }
}

impl fmt::Display for Appealable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Appealable::RefusalToAssess => "Refusal to assess",
            Appealable::RefusalToIssue => "Refusal to issue a plan",
            Appealable::DecisionToCease => "Decision to cease the plan",
            Appealable::PlanContent => "Disputed content of the final plan",
        })
    }
}

/// The last day to appeal a decision made on `decided`.
pub fn appeal_deadline(decided: NaiveDate, mediation_certificate: Option<NaiveDate>) -> NaiveDate {
    let from_decision = months_after(decided, 2);
    match mediation_certificate {
        Some(certificate) => from_decision.max(months_after(certificate, 1)),
        None => from_decision,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ehc::d;

    #[test]
    fn two_months_from_the_decision_or_a_month_after_mediation_if_later() {
        assert_eq!(appeal_deadline(d("04/01/2027"), None), d("04/03/2027"));
        // Month ends: the shorter month's last day, a leap year's 29th.
        assert_eq!(appeal_deadline(d("31/12/2026"), None), d("28/02/2027"));
        assert_eq!(appeal_deadline(d("31/12/2027"), None), d("29/02/2028"));
        // A certificate a week before the deadline gives a month from the certificate.
        assert_eq!(
            appeal_deadline(d("04/01/2027"), Some(d("25/02/2027"))),
            d("25/03/2027")
        );
        // An early certificate does not shorten the 2 months.
        assert_eq!(
            appeal_deadline(d("04/01/2027"), Some(d("15/01/2027"))),
            d("04/03/2027")
        );
    }

    #[test]
    fn each_appeal_names_evidence_to_gather() {
        for kind in [
            Appealable::RefusalToAssess,
            Appealable::RefusalToIssue,
            Appealable::DecisionToCease,
            Appealable::PlanContent,
        ] {
            assert!(kind.evidence().len() >= 3, "{kind}");
        }
    }
}
