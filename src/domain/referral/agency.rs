//! The directory of external agencies the school works with, and the time it buys from
//! them (traded hours or days for a school year).

use super::super::dates::iso_date;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

pub const MAX_AGENCIES: usize = 100;
pub const MAX_PROFESSIONALS: usize = 30;
pub const MAX_AGENCY_TEXT: usize = 120;
pub const MAX_AGENCY_NOTES: usize = 2_000;
pub const MAX_TIME_USES: usize = 400;
/// The most a school could buy or use in a year, in hundredths of its unit.
pub const MAX_TRADED_HUNDREDTHS: u32 = 100_000;
/// How long after a referral is sent the school chases it, unless set otherwise.
pub const DEFAULT_FOLLOW_UP_WEEKS: u32 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    EducationalPsychology,
    SpeechAndLanguage,
    OccupationalTherapy,
    Camhs,
    Paediatrics,
    SpecialistTeachingAutism,
    SpecialistTeachingSensory,
    SpecialistTeachingBehaviour,
    EarlyHelp,
    SocialCare,
    SchoolNurse,
    Voluntary,
    Other,
}

impl AgencyKind {
    pub const ALL: [AgencyKind; 13] = [
        AgencyKind::EducationalPsychology,
        AgencyKind::SpeechAndLanguage,
        AgencyKind::OccupationalTherapy,
        AgencyKind::Camhs,
        AgencyKind::Paediatrics,
        AgencyKind::SpecialistTeachingAutism,
        AgencyKind::SpecialistTeachingSensory,
        AgencyKind::SpecialistTeachingBehaviour,
        AgencyKind::EarlyHelp,
        AgencyKind::SocialCare,
        AgencyKind::SchoolNurse,
        AgencyKind::Voluntary,
        AgencyKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AgencyKind::EducationalPsychology => "educational_psychology",
            AgencyKind::SpeechAndLanguage => "speech_and_language",
            AgencyKind::OccupationalTherapy => "occupational_therapy",
            AgencyKind::Camhs => "camhs",
            AgencyKind::Paediatrics => "paediatrics",
            AgencyKind::SpecialistTeachingAutism => "specialist_teaching_autism",
            AgencyKind::SpecialistTeachingSensory => "specialist_teaching_sensory",
            AgencyKind::SpecialistTeachingBehaviour => "specialist_teaching_behaviour",
            AgencyKind::EarlyHelp => "early_help",
            AgencyKind::SocialCare => "social_care",
            AgencyKind::SchoolNurse => "school_nurse",
            AgencyKind::Voluntary => "voluntary",
            AgencyKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<AgencyKind> {
        AgencyKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for AgencyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AgencyKind::EducationalPsychology => "Educational psychology",
            AgencyKind::SpeechAndLanguage => "Speech and language therapy",
            AgencyKind::OccupationalTherapy => "Occupational therapy",
            AgencyKind::Camhs => "CAMHS",
            AgencyKind::Paediatrics => "Paediatrics",
            AgencyKind::SpecialistTeachingAutism => "Specialist teaching (autism)",
            AgencyKind::SpecialistTeachingSensory => "Specialist teaching (sensory)",
            AgencyKind::SpecialistTeachingBehaviour => "Specialist teaching (behaviour)",
            AgencyKind::EarlyHelp => "Early help",
            AgencyKind::SocialCare => "Social care",
            AgencyKind::SchoolNurse => "School nurse",
            AgencyKind::Voluntary => "Voluntary",
            AgencyKind::Other => "Other",
        })
    }
}

/// Someone at an agency the school deals with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Professional {
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TradedUnit {
    #[default]
    Hours,
    Days,
}

impl TradedUnit {
    pub fn code(self) -> &'static str {
        match self {
            TradedUnit::Hours => "hours",
            TradedUnit::Days => "days",
        }
    }

    pub fn from_code(code: &str) -> Option<TradedUnit> {
        [TradedUnit::Hours, TradedUnit::Days]
            .into_iter()
            .find(|u| u.code() == code)
    }

    /// "2.5 hours", "1 day".
    pub fn amount(self, hundredths: i64) -> String {
        let text = hundredths_text(hundredths);
        let one = hundredths.abs() == 100;
        match (self, one) {
            (TradedUnit::Hours, true) => format!("{text} hour"),
            (TradedUnit::Hours, false) => format!("{text} hours"),
            (TradedUnit::Days, true) => format!("{text} day"),
            (TradedUnit::Days, false) => format!("{text} days"),
        }
    }
}

/// "2.5" from 250, "3" from 300, "0.25" from 25.
pub fn hundredths_text(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let n = hundredths.unsigned_abs();
    match n % 100 {
        0 => format!("{sign}{}", n / 100),
        r if r % 10 == 0 => format!("{sign}{}.{}", n / 100, r / 10),
        r => format!("{sign}{}.{r:02}", n / 100),
    }
}

/// "2.5" as 250: a positive amount with at most two decimal places.
pub fn parse_hundredths(text: &str) -> Option<u32> {
    let text = text.trim();
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    if whole.is_empty() && fraction.is_empty()
        || fraction.len() > 2
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: u32 = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<u32>().ok()? * 10,
        _ => fraction.parse().ok()?,
    };
    whole.checked_mul(100)?.checked_add(fraction)
}

/// Time bought from an agency for one school year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TradedTime {
    /// The school year, by the year it starts in (2026 for 2026 to 2027).
    pub starts_in: i32,
    pub unit: TradedUnit,
    /// Bought, in hundredths of the unit.
    pub bought: u32,
}

/// Time used from an agency's traded time: a consultation, training, or a pupil's
/// assessment (those are kept on the referral).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeUse {
    #[serde(with = "iso_date")]
    pub on: NaiveDate,
    /// In hundredths of the year's unit.
    pub used: u32,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: String,
    pub kind: AgencyKind,
    /// The team or service: "North Locality EP Team".
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub professionals: Vec<Professional>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub traded: Vec<TradedTime>,
    /// Work that used traded time but is not a pupil's referral (a consultation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uses: Vec<TimeUse>,
}

impl Agency {
    /// "North Locality EP Team (Educational psychology)".
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.kind)
    }

    pub fn professional(&self, id: &str) -> Option<&Professional> {
        self.professionals.iter().find(|p| p.id == id)
    }

    pub fn traded_in(&self, starts_in: i32) -> Option<&TradedTime> {
        self.traded.iter().find(|t| t.starts_in == starts_in)
    }

    /// What a stored or imported agency must respect; names the first problem.
    pub fn check(&self) -> Result<(), String> {
        let name = if self.name.trim().is_empty() {
            return Err("an agency has no name".into());
        } else {
            &self.name
        };
        if !super::super::record_id::is_record_id(&self.id) {
            return Err(format!("the agency {name} has no proper id"));
        }
        let long = |what: &str| Err(format!("the agency {name}'s {what} is too long"));
        if self.name.chars().count() > MAX_AGENCY_TEXT {
            return long("name");
        }
        if self.notes.chars().count() > MAX_AGENCY_NOTES {
            return long("notes");
        }
        if self.professionals.len() > MAX_PROFESSIONALS {
            return Err(format!("the agency {name} lists too many people"));
        }
        for p in &self.professionals {
            if p.name.trim().is_empty() || !super::super::record_id::is_record_id(&p.id) {
                return Err(format!("a person at {name} has no name or id"));
            }
            if [&p.name, &p.role, &p.phone, &p.email]
                .iter()
                .any(|t| t.chars().count() > MAX_AGENCY_TEXT)
            {
                return long("people's details");
            }
        }
        let mut years: Vec<i32> = self.traded.iter().map(|t| t.starts_in).collect();
        years.sort_unstable();
        years.dedup();
        if years.len() != self.traded.len() {
            return Err(format!("{name}'s traded time lists a school year twice"));
        }
        if self
            .traded
            .iter()
            .any(|t| t.bought > MAX_TRADED_HUNDREDTHS || !(2000..=2100).contains(&t.starts_in))
        {
            return Err(format!("{name}'s traded time is out of range"));
        }
        if self.uses.len() > MAX_TIME_USES
            || self.uses.iter().any(|u| {
                u.used == 0 || u.used > MAX_TRADED_HUNDREDTHS || u.what.chars().count() > 200
            })
        {
            return Err(format!("{name}'s record of time used is out of range"));
        }
        Ok(())
    }
}

/// The school's agencies and how it chases referrals, kept in the desk's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencySetup {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<Agency>,
    /// A referral with no news for this many weeks of school days is listed to chase.
    #[serde(default = "default_follow_up")]
    pub follow_up_weeks: u32,
}

fn default_follow_up() -> u32 {
    DEFAULT_FOLLOW_UP_WEEKS
}

impl Default for AgencySetup {
    fn default() -> Self {
        AgencySetup {
            agencies: Vec::new(),
            follow_up_weeks: DEFAULT_FOLLOW_UP_WEEKS,
        }
    }
}

impl AgencySetup {
    pub fn is_default(&self) -> bool {
        *self == AgencySetup::default()
    }

    pub fn agency(&self, id: &str) -> Option<&Agency> {
        self.agencies.iter().find(|a| a.id == id)
    }

    /// The directory in the order it is shown: by kind, then name.
    pub fn sorted(&self) -> Vec<&Agency> {
        let mut agencies: Vec<&Agency> = self.agencies.iter().collect();
        agencies.sort_by_cached_key(|a| (a.kind.code(), a.name.to_lowercase(), a.id.clone()));
        agencies
    }

    /// Adds a new agency or replaces the one with the same id.
    pub fn put(&mut self, agency: Agency) -> Result<(), String> {
        agency.check()?;
        let full = self.agencies.len() >= MAX_AGENCIES;
        match self.agencies.iter_mut().find(|a| a.id == agency.id) {
            Some(current) => *current = agency,
            None if full => {
                return Err(format!(
                    "The directory holds at most {MAX_AGENCIES} agencies."
                ))
            }
            None => self.agencies.push(agency),
        }
        Ok(())
    }

    pub fn check(&self) -> Result<(), String> {
        if self.agencies.len() > MAX_AGENCIES {
            return Err("the agency directory is too long".into());
        }
        if !(1..=52).contains(&self.follow_up_weeks) {
            return Err("the referral follow-up time is out of range".into());
        }
        let mut ids: Vec<&str> = self.agencies.iter().map(|a| a.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.len() != self.agencies.len() {
            return Err("the agency directory lists an agency twice".into());
        }
        self.agencies.iter().try_for_each(Agency::check)
    }

    /// Agencies from another copy of the desk this one lacks (a merge): added, never
    /// replacing the ones here.
    pub fn add_missing(&mut self, theirs: &AgencySetup) {
        for agency in &theirs.agencies {
            if self.agency(&agency.id).is_none() && self.agencies.len() < MAX_AGENCIES {
                self.agencies.push(agency.clone());
            }
        }
    }
}
