//! A pupil's EHC plan as the school keeps it: who holds it, when it was issued and amended,
//! the named school, its funding, its review cycle, and a summary of sections B, E and F.

use super::review_dates::ReviewCycle;
use crate::domain::dates::{iso_date, option_iso_date};
use crate::domain::provision::money::Pence;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An outcome from section E, with its time scale ("by the end of Key Stage 2").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOutcomeE {
    pub outcome: String,
    pub by_when: String,
}

/// A line of section F: what, how much, how often, by whom; linked to a provision on
/// the provision map (by its record id) when the school runs one for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionLineF {
    pub what: String,
    /// Minutes a week the plan specifies, when it says (a line may be "daily check-ins").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes_a_week: Option<u32>,
    pub how_often: String,
    pub by_whom: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision_id: Option<String>,
}

/// Top-up funding: an amount a year, or a band in the local authority's own scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "value")]
pub enum TopUp {
    AYear(Pence),
    Band(String),
}

impl fmt::Display for TopUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TopUp::AYear(pence) => write!(f, "{pence} a year"),
            TopUp::Band(band) => write!(f, "Band {}", band.trim()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funding {
    pub top_up: TopUp,
    #[serde(with = "iso_date")]
    pub from: NaiveDate,
}

/// An amended final plan: its date, and the sections it changed ("B, F").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    #[serde(with = "iso_date")]
    pub on: NaiveDate,
    #[serde(default)]
    pub sections: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EhcPlan {
    #[serde(default)]
    pub id: String,
    pub local_authority: String,
    #[serde(default)]
    pub case_officer: String,
    #[serde(with = "iso_date")]
    pub issued: NaiveDate,
    /// Each amended final plan, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub amended: Vec<Amendment>,
    /// Section I: the school or setting the plan names.
    pub named_school: String,
    pub cycle: ReviewCycle,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub funding: Vec<Funding>,
    #[serde(default)]
    pub personal_budget: bool,
    /// A Year 11 staying on in the school's own sixth form: not a phase transfer.
    #[serde(default)]
    pub staying_for_sixth_form: bool,
    /// Section B, in summary.
    #[serde(default)]
    pub needs: String,
    #[serde(default)]
    pub outcomes: Vec<PlanOutcomeE>,
    #[serde(default)]
    pub provision: Vec<ProvisionLineF>,
    #[serde(default, with = "option_iso_date")]
    pub ceased: Option<NaiveDate>,
    /// When last saved changed, so a merge keeps the later of two edits.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::domain::dates::option_timestamp"
    )]
    pub edited_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Why a plan cannot be saved, naming the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanProblem {
    Missing {
        field: &'static str,
        what: &'static str,
    },
    AmendedBeforeIssue(NaiveDate),
    CeasedBeforeIssue,
    FundingBeforeIssue(NaiveDate),
    EmptyOutcome(usize),
    EmptyProvisionLine(usize),
}

impl fmt::Display for PlanProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::domain::dates::format_uk;
        match self {
            PlanProblem::Missing { what, .. } => write!(f, "Enter {what}."),
            PlanProblem::AmendedBeforeIssue(on) => write!(
                f,
                "An amendment dated {} is before the plan was issued.",
                format_uk(*on)
            ),
            PlanProblem::CeasedBeforeIssue => {
                f.write_str("The plan cannot cease before it was issued.")
            }
            PlanProblem::FundingBeforeIssue(on) => write!(
                f,
                "Funding from {} starts before the plan was issued.",
                format_uk(*on)
            ),
            PlanProblem::EmptyOutcome(n) => write!(
                f,
                "Outcome {} has no words: fill it in or remove it.",
                n + 1
            ),
            PlanProblem::EmptyProvisionLine(n) => write!(
                f,
                "Provision line {} says nothing about what is provided: fill it in or remove it.",
                n + 1
            ),
        }
    }
}

impl EhcPlan {
    /// A plan as issued, before its details are filled in.
    pub fn new(local_authority: &str, issued: NaiveDate, named_school: &str) -> Self {
        EhcPlan {
            id: String::new(),
            local_authority: local_authority.trim().to_string(),
            case_officer: String::new(),
            issued,
            amended: Vec::new(),
            named_school: named_school.trim().to_string(),
            cycle: ReviewCycle::default(),
            funding: Vec::new(),
            personal_budget: false,
            staying_for_sixth_form: false,
            needs: String::new(),
            outcomes: Vec::new(),
            provision: Vec::new(),
            ceased: None,
            edited_at: None,
        }
    }

    /// The plan as it stands now: issued, or last amended.
    pub fn current_since(&self) -> NaiveDate {
        self.amended
            .iter()
            .map(|a| a.on)
            .max()
            .unwrap_or(self.issued)
            .max(self.issued)
    }

    /// Top-up funding in force on `on`: the latest that started by then.
    pub fn top_up_on(&self, on: NaiveDate) -> Option<&TopUp> {
        self.funding
            .iter()
            .filter(|f| f.from <= on)
            .max_by_key(|f| f.from)
            .map(|f| &f.top_up)
    }

    pub fn problems(&self) -> Vec<PlanProblem> {
        let mut problems = Vec::new();
        let missing = |field, what, text: &str| {
            text.trim()
                .is_empty()
                .then_some(PlanProblem::Missing { field, what })
        };
        problems.extend(missing(
            "local-authority",
            "the local authority",
            &self.local_authority,
        ));
        problems.extend(missing(
            "named-school",
            "the school named in section I",
            &self.named_school,
        ));
        problems.extend(
            self.amended
                .iter()
                .filter(|a| a.on < self.issued)
                .map(|a| PlanProblem::AmendedBeforeIssue(a.on)),
        );
        if self.ceased.is_some_and(|c| c < self.issued) {
            problems.push(PlanProblem::CeasedBeforeIssue);
        }
        problems.extend(
            self.funding
                .iter()
                .filter(|f| f.from < self.issued)
                .map(|f| PlanProblem::FundingBeforeIssue(f.from)),
        );
        problems.extend(
            self.outcomes
                .iter()
                .enumerate()
                .filter(|(_, o)| o.outcome.trim().is_empty())
                .map(|(i, _)| PlanProblem::EmptyOutcome(i)),
        );
        problems.extend(
            self.provision
                .iter()
                .enumerate()
                .filter(|(_, p)| p.what.trim().is_empty())
                .map(|(i, _)| PlanProblem::EmptyProvisionLine(i)),
        );
        problems
    }

    /// Minutes a week section F specifies, over the lines that say.
    pub fn specified_minutes_a_week(&self) -> u32 {
        self.provision
            .iter()
            .filter_map(|p| p.minutes_a_week)
            .fold(0u32, u32::saturating_add)
    }
}

/// The reference a calendar event carries instead of a name: "EHC-0142". Made from a
/// number the desk gives each pupil with a plan in turn, never from who they are.
pub fn case_reference(number: u32) -> String {
    format!("EHC-{number:04}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ehc::d;

    fn plan() -> EhcPlan {
        EhcPlan {
            id: String::new(),
            local_authority: "Northshire".into(),
            case_officer: "A. Officer".into(),
            issued: d("12/04/2027"),
            amended: Vec::new(),
            named_school: "Oak Primary School".into(),
            cycle: ReviewCycle {
                under_five_months: None,
            },
            funding: vec![
                Funding {
                    top_up: TopUp::Band("C".into()),
                    from: d("12/04/2027"),
                },
                Funding {
                    top_up: TopUp::AYear(Pence(650_000)),
                    from: d("01/09/2027"),
                },
            ],
            personal_budget: false,
            staying_for_sixth_form: false,
            needs: "Speech, language and communication".into(),
            outcomes: vec![PlanOutcomeE {
                outcome: "Follows a two-step instruction in class".into(),
                by_when: "End of Year 3".into(),
            }],
            provision: vec![
                ProvisionLineF {
                    what: "Speech and language programme".into(),
                    minutes_a_week: Some(90),
                    how_often: "3 times a week, 30 minutes".into(),
                    by_whom: "Trained TA".into(),
                    provision_id: None,
                },
                ProvisionLineF {
                    what: "Visual timetable check-in".into(),
                    minutes_a_week: None,
                    how_often: "Daily".into(),
                    by_whom: "Class teacher".into(),
                    provision_id: None,
                },
            ],
            ceased: None,
            edited_at: None,
        }
    }

    #[test]
    fn funding_in_force_is_the_latest_started() {
        let p = plan();
        assert_eq!(p.top_up_on(d("01/04/2027")), None);
        assert_eq!(p.top_up_on(d("01/06/2027")), Some(&TopUp::Band("C".into())));
        assert_eq!(
            p.top_up_on(d("01/09/2027")).unwrap().to_string(),
            "£6,500.00 a year"
        );
        assert_eq!(p.specified_minutes_a_week(), 90);
    }

    #[test]
    fn a_plan_names_its_local_authority_and_school_and_keeps_dates_in_order() {
        let mut p = plan();
        assert_eq!(p.problems(), vec![]);
        p.named_school = " ".into();
        p.amended.push(Amendment {
            on: d("01/01/2027"),
            sections: "F".into(),
        });
        p.outcomes.push(PlanOutcomeE {
            outcome: String::new(),
            by_when: "Soon".into(),
        });
        let problems = p.problems();
        assert_eq!(
            problems,
            vec![
                PlanProblem::Missing {
                    field: "named-school",
                    what: "the school named in section I"
                },
                PlanProblem::AmendedBeforeIssue(d("01/01/2027")),
                PlanProblem::EmptyOutcome(1),
            ]
        );
        assert_eq!(
            problems[2].to_string(),
            "Outcome 2 has no words: fill it in or remove it."
        );
    }

    #[test]
    fn the_current_plan_dates_from_its_last_amendment() {
        let mut p = plan();
        assert_eq!(p.current_since(), d("12/04/2027"));
        let on = |date| Amendment {
            on: d(date),
            sections: "F".into(),
        };
        p.amended = vec![on("02/06/2028"), on("01/02/2028")];
        assert_eq!(p.current_since(), d("02/06/2028"));
    }

    #[test]
    fn a_case_reference_carries_a_number_only() {
        assert_eq!(case_reference(142), "EHC-0142");
        assert_eq!(case_reference(12_345), "EHC-12345");
    }

    #[test]
    fn a_plan_survives_a_round_trip_through_json() {
        let p = plan();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<EhcPlan>(&json).unwrap(), p);
    }
}
