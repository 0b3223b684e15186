//! The school's set-up for provision, kept in its settings: who delivers it and what an
//! hour of their time costs, the term dates, the notional SEN budget's threshold and the
//! year it is counted over, and whether money shows at all.

use super::calendar::{SchoolCalendar, SchoolYearDates};
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

/// The most staff, school years, terms a year and closures a year a set-up may hold: far
/// beyond any school's, so a crafted backup cannot make the desk slow or huge.
pub const MOST_STAFF: usize = 500;
pub const MOST_YEARS: usize = 20;
pub const MOST_TERMS: usize = 12;
pub const MOST_CLOSURES: usize = 100;
/// The longest name of a member of staff, a term, and a closure's reason, in characters.
pub const MOST_NAME_CHARS: usize = 100;
pub const MOST_TERM_NAME_CHARS: usize = 60;
pub const MOST_REASON_CHARS: usize = 200;
/// The school years the calendar can hold, by the year they start in.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

fn amount_in_range(amount: Pence, what: &str) -> Result<(), String> {
    if (0..=super::money::MOST_PENCE).contains(&amount.0) {
        Ok(())
    } else {
        Err(format!("{what} is not an amount from £0 to £10,000,000"))
    }
}

impl ProvisionSetup {
    /// Checks a set-up read from outside (a backup being opened): counts and lengths within
    /// bounds, every amount possible, ids unique, and each school year's dates sound. The
    /// error names what is wrong, worded to follow "the provision set-up is not usable: ";
    /// nothing is changed.
    pub fn check(&self) -> Result<(), String> {
        if self.staff.len() > MOST_STAFF {
            return Err(format!(
                "it lists {} staff; at most {MOST_STAFF} are allowed",
                self.staff.len()
            ));
        }
        let mut ids = std::collections::BTreeSet::new();
        for member in &self.staff {
            if member.id.is_empty() || member.id.len() > 64 {
                return Err("a member of staff has no proper id".into());
            }
            if !ids.insert(member.id.as_str()) {
                return Err("two members of staff share an id".into());
            }
            let name = member.name.trim();
            if name.is_empty() || member.name.chars().count() > MOST_NAME_CHARS {
                return Err(format!(
                    "a member of staff's name is empty or longer than {MOST_NAME_CHARS} characters"
                ));
            }
            if let Some(hourly) = member.hourly {
                amount_in_range(hourly, "a member of staff's rate an hour")?;
            }
        }
        for (role, rate) in &self.rates.0 {
            amount_in_range(*rate, &format!("the rate an hour for {}", role.label()))?;
        }
        amount_in_range(self.threshold, "the notional SEN budget threshold")?;
        self.check_calendar()
    }

    fn check_calendar(&self) -> Result<(), String> {
        let years = &self.calendar.years;
        if years.len() > MOST_YEARS {
            return Err(format!(
                "the term dates cover {} school years; at most {MOST_YEARS} are allowed",
                years.len()
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        for year in years {
            let label = school_year_label(year.starts_in);
            if !(FIRST_YEAR..=LAST_YEAR).contains(&year.starts_in) {
                return Err(format!(
                    "the term dates name a school year starting in {}, which is not between {FIRST_YEAR} and {LAST_YEAR}",
                    year.starts_in
                ));
            }
            if !seen.insert(year.starts_in) {
                return Err(format!("the term dates list {label} twice"));
            }
            if year.terms.len() > MOST_TERMS {
                return Err(format!(
                    "{label} has {} terms; at most {MOST_TERMS} are allowed",
                    year.terms.len()
                ));
            }
            if year.closures.len() > MOST_CLOSURES {
                return Err(format!(
                    "{label} has {} closure days; at most {MOST_CLOSURES} are allowed",
                    year.closures.len()
                ));
            }
            if year
                .terms
                .iter()
                .any(|t| t.name.trim().is_empty() || t.name.chars().count() > MOST_TERM_NAME_CHARS)
            {
                return Err(format!(
                    "a term in {label} has no name or one longer than {MOST_TERM_NAME_CHARS} characters"
                ));
            }
            if year
                .closures
                .iter()
                .any(|c| c.reason.chars().count() > MOST_REASON_CHARS)
            {
                return Err(format!(
                    "a closure's reason in {label} is longer than {MOST_REASON_CHARS} characters"
                ));
            }
            year.check().map_err(|e| format!("{label}: {e}"))?;
        }
        Ok(())
    }
}

/// A school year as people say it: "2026 to 2027".
pub fn school_year_label(starts_in: i32) -> String {
    format!("{starts_in} to {}", starts_in + 1)
}

/// Why a change to the set-up was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetupProblem {
    TooManyStaff,
    TooManyYears,
    NoSuchYear,
    NextYearEntered { starts_in: i32 },
}

impl std::fmt::Display for SetupProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetupProblem::TooManyStaff => {
                write!(f, "The staff list is full: at most {MOST_STAFF} people")
            }
            SetupProblem::TooManyYears => write!(
                f,
                "Term dates are kept for at most {MOST_YEARS} school years"
            ),
            SetupProblem::NoSuchYear => write!(f, "Those term dates are no longer there"),
            SetupProblem::NextYearEntered { starts_in } => write!(
                f,
                "Term dates for {} are already entered: change them there",
                school_year_label(*starts_in)
            ),
        }
    }
}

impl ProvisionSetup {
    /// Adds `member`, or replaces the one with the same id.
    pub fn put_staff(&mut self, member: StaffMember) -> Result<(), SetupProblem> {
        let full = self.staff.len() >= MOST_STAFF;
        match self.staff.iter_mut().find(|s| s.id == member.id) {
            Some(existing) => *existing = member,
            None if full => return Err(SetupProblem::TooManyStaff),
            None => self.staff.push(member),
        }
        Ok(())
    }

    pub fn year(&self, starts_in: i32) -> Option<&SchoolYearDates> {
        self.calendar
            .years
            .iter()
            .find(|y| y.starts_in == starts_in)
    }

    /// Adds a year's dates, or replaces that year's, keeping the years in order.
    pub fn put_year(&mut self, dates: SchoolYearDates) -> Result<(), SetupProblem> {
        let years = &mut self.calendar.years;
        let full = years.len() >= MOST_YEARS;
        match years.iter_mut().find(|y| y.starts_in == dates.starts_in) {
            Some(existing) => *existing = dates,
            None if full => return Err(SetupProblem::TooManyYears),
            None => years.push(dates),
        }
        years.sort_by_key(|y| y.starts_in);
        Ok(())
    }

    /// Starts the next school year from this one's dates, marked to check (Easter moves).
    /// Returns the year it starts in.
    pub fn copy_forward(&mut self, starts_in: i32) -> Result<i32, SetupProblem> {
        let next = self
            .year(starts_in)
            .ok_or(SetupProblem::NoSuchYear)?
            .copied_forward();
        if self.year(next.starts_in).is_some() {
            return Err(SetupProblem::NextYearEntered {
                starts_in: next.starts_in,
            });
        }
        let starts_in = next.starts_in;
        self.put_year(next)?;
        Ok(starts_in)
    }

    /// The school has checked a copied year's dates.
    pub fn mark_checked(&mut self, starts_in: i32) -> Result<(), SetupProblem> {
        let year = self
            .calendar
            .years
            .iter_mut()
            .find(|y| y.starts_in == starts_in)
            .ok_or(SetupProblem::NoSuchYear)?;
        year.to_check = false;
        Ok(())
    }

    /// Teaching days in the school year starting in September of `starts_in`.
    pub fn teaching_days_in(&self, starts_in: i32) -> u32 {
        match (
            chrono::NaiveDate::from_ymd_opt(starts_in, 9, 1),
            chrono::NaiveDate::from_ymd_opt(starts_in + 1, 8, 31),
        ) {
            (Some(first), Some(last)) => self.calendar.teaching_days(first, last),
            _ => 0,
        }
    }
}

/// Teaching weeks as the screens show them, from teaching days (five to a week), worked
/// out in whole numbers: "38.4 teaching weeks", "38 teaching weeks".
pub fn teaching_weeks_text(days: u32) -> String {
    let (weeks, tenths) = (days / 5, (days % 5) * 2);
    let unit = if days == 5 { "week" } else { "weeks" };
    if tenths == 0 {
        format!("{weeks} teaching {unit}")
    } else {
        format!("{weeks}.{tenths} teaching weeks")
    }
}
