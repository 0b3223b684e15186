//! The school's set-up for provision, kept in its settings: who delivers it and what an
//! hour of their time costs, the term dates, the notional SEN budget's threshold and the
//! year it is counted over, and whether money shows at all.

use super::calendar::SchoolCalendar;
use super::costs::{CostYear, NOTIONAL_THRESHOLD};
use super::money::Pence;
use super::staff::{RoleRates, StaffMember};
use serde::{Deserialize, Serialize};

/// The year costs are counted over, as the school chooses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CostYearKind {
    /// September to August.
    #[default]
    School,
    /// April to March.
    Financial,
}

impl CostYearKind {
    /// The year of this kind that `date` falls in.
    pub fn of(self, date: chrono::NaiveDate) -> CostYear {
        match self {
            CostYearKind::School => CostYear::school_of(date),
            CostYearKind::Financial => CostYear::financial_of(date),
        }
    }
}

fn default_threshold() -> Pence {
    NOTIONAL_THRESHOLD
}

fn is_default_threshold(threshold: &Pence) -> bool {
    *threshold == NOTIONAL_THRESHOLD
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionSetup {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub staff: Vec<StaffMember>,
    #[serde(default, skip_serializing_if = "RoleRates::is_empty")]
    pub rates: RoleRates,
    #[serde(default)]
    pub calendar: SchoolCalendar,
    /// The notional SEN budget's threshold a pupil a year.
    #[serde(
        default = "default_threshold",
        skip_serializing_if = "is_default_threshold"
    )]
    pub threshold: Pence,
    #[serde(default)]
    pub cost_year: CostYearKind,
    /// Hide every amount of money from screens and prints (costs are sensitive).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hide_money: bool,
}

impl Default for ProvisionSetup {
    fn default() -> ProvisionSetup {
        ProvisionSetup {
            staff: Vec::new(),
            rates: RoleRates::default(),
            calendar: SchoolCalendar::default(),
            threshold: NOTIONAL_THRESHOLD,
            cost_year: CostYearKind::School,
            hide_money: false,
        }
    }
}

impl ProvisionSetup {
    pub fn is_default(&self) -> bool {
        *self == ProvisionSetup::default()
    }

    pub fn member(&self, id: &str) -> Option<&StaffMember> {
        self.staff.iter().find(|s| s.id == id)
    }
}

impl ProvisionSetup {
    /// Whether a set-up brought in from a backup is within every limit (untrusted).
    pub fn check(&self) -> Result<(), String> {
        if self.staff.len() > 500 || self.calendar.years.len() > 50 {
            return Err("it lists more staff or school years than any school has".into());
        }
        if self
            .staff
            .iter()
            .any(|s| s.name.trim().is_empty() || s.name.chars().count() > 100 || s.id.len() > 32)
        {
            return Err("a member of staff has no name, or one too long".into());
        }
        let money = 0..=super::money::MOST_PENCE;
        if !money.contains(&self.threshold.0)
            || self
                .staff
                .iter()
                .filter_map(|s| s.hourly)
                .any(|p| !money.contains(&p.0))
            || self.rates.0.values().any(|p| !money.contains(&p.0))
        {
            return Err("an amount is out of range".into());
        }
        for year in &self.calendar.years {
            if year.terms.len() > 12 || year.closures.len() > 200 {
                return Err("a school year has too many terms or closures".into());
            }
            year.check().map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}
