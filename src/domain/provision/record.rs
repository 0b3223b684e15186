//! A provision as the SENCO records it: what it is, who delivers it, its timetable and dates,
//! the pupils in it on their own dates, and each session as delivered or not. Each provision
//! is a record of its own in storage (`provision-<id>`), so recording a week of sessions
//! seals one provision, not the desk. Every part carries when it was last edited, so two
//! copies merge part by part (see `merge`).

use super::calendar::Slot;
use super::impact::{Measured, Rating};
use super::money::Pence;
use crate::domain::dates::{hh_mm, iso_date, option_iso_date, timestamp};
use crate::domain::{BroadArea, PupilId};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionType {
    OneToOne,
    SmallGroup,
    InClassSupport,
    EquipmentOrResource,
    ExternalService,
}

impl ProvisionType {
    pub const ALL: [ProvisionType; 5] = [
        ProvisionType::OneToOne,
        ProvisionType::SmallGroup,
        ProvisionType::InClassSupport,
        ProvisionType::EquipmentOrResource,
        ProvisionType::ExternalService,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ProvisionType::OneToOne => "1:1",
            ProvisionType::SmallGroup => "Small group",
            ProvisionType::InClassSupport => "In-class support",
            ProvisionType::EquipmentOrResource => "Equipment or resource",
            ProvisionType::ExternalService => "External service",
        }
    }

    /// Whether the pupils in it share each session (a 1:1 session is one pupil's alone).
    pub fn is_shared(self) -> bool {
        !matches!(self, ProvisionType::OneToOne)
    }
}

/// Wave 1 is universal (quality-first teaching), 2 targeted, 3 specialist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Wave {
    One,
    Two,
    Three,
}

impl Wave {
    pub const ALL: [Wave; 3] = [Wave::One, Wave::Two, Wave::Three];

    pub fn number(self) -> u8 {
        match self {
            Wave::One => 1,
            Wave::Two => 2,
            Wave::Three => 3,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Funding {
    NotionalSenBudget,
    TopUp,
    PupilPremium,
    Other,
}

impl Funding {
    pub const ALL: [Funding; 4] = [
        Funding::NotionalSenBudget,
        Funding::TopUp,
        Funding::PupilPremium,
        Funding::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Funding::NotionalSenBudget => "Notional SEN budget",
            Funding::TopUp => "High-needs top-up",
            Funding::PupilPremium => "Pupil premium",
            Funding::Other => "Other",
        }
    }
}

/// A cost beyond staff time: resources, a licence, an external service's invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraCost {
    #[serde(default)]
    pub id: String,
    pub description: String,
    pub amount: Pence,
    #[serde(with = "iso_date")]
    pub on: NaiveDate,
}

impl ExtraCost {
    /// What tells this cost apart in a merge: its id, or for a cost saved before costs had
    /// ids, what it holds.
    pub fn key(&self) -> String {
        if self.id.is_empty() {
            format!("{}|{}|{}", self.on, self.amount.0, self.description)
        } else {
            self.id.clone()
        }
    }
}

/// A pupil in a provision, from the day they joined to the day they left (if they have).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub pupil: PupilId,
    #[serde(with = "iso_date")]
    pub joined: NaiveDate,
    #[serde(default, with = "option_iso_date")]
    pub left: Option<NaiveDate>,
    #[serde(default)]
    pub entry: Option<Measured>,
    #[serde(default)]
    pub exit: Option<Measured>,
    #[serde(default)]
    pub rating: Option<Rating>,
    #[serde(default)]
    pub note: String,
    /// When this pupil's part was last edited: a merge keeps the later.
    #[serde(with = "timestamp")]
    pub edited: DateTime<Utc>,
}

impl Enrolment {
    /// In the provision on `date`: joined by then and not yet left (the day they leave counts).
    pub fn is_in_on(&self, date: NaiveDate) -> bool {
        self.joined <= date && self.left.is_none_or(|left| date <= left)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", content = "detail", rename_all = "snake_case")]
pub enum NotDelivered {
    StaffAbsent,
    PupilAbsent,
    Trip,
    Other(String),
}

impl NotDelivered {
    pub fn label(&self) -> String {
        match self {
            NotDelivered::StaffAbsent => "Staff absent".into(),
            NotDelivered::PupilAbsent => "Pupil absent".into(),
            NotDelivered::Trip => "Trip".into(),
            NotDelivered::Other(why) if why.trim().is_empty() => "Other".into(),
            NotDelivered::Other(why) => format!("Other: {}", why.trim()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionOutcome {
    /// Delivered, to the pupils who attended.
    Delivered {
        attended: Vec<PupilId>,
    },
    NotDelivered(NotDelivered),
}

/// A session as recorded by staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    #[serde(with = "iso_date")]
    pub on: NaiveDate,
    #[serde(with = "hh_mm")]
    pub starts: NaiveTime,
    pub outcome: SessionOutcome,
    /// When it was recorded (or last corrected): a merge keeps the later.
    #[serde(with = "timestamp")]
    pub recorded: DateTime<Utc>,
}

impl SessionRecord {
    pub fn attended(&self) -> &[PupilId] {
        match &self.outcome {
            SessionOutcome::Delivered { attended } => attended,
            SessionOutcome::NotDelivered(_) => &[],
        }
    }

    pub fn was_delivered(&self) -> bool {
        matches!(self.outcome, SessionOutcome::Delivered { .. })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provision {
    pub id: String,
    pub name: String,
    pub area: BroadArea,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub intended_outcome: String,
    pub kind: ProvisionType,
    pub wave: Wave,
    /// Ids of the staff who deliver each session (each paid for its minutes).
    #[serde(default)]
    pub staff: Vec<String>,
    #[serde(default)]
    pub timetable: Vec<Slot>,
    pub minutes: u32,
    #[serde(with = "iso_date")]
    pub starts: NaiveDate,
    #[serde(with = "iso_date")]
    pub ends: NaiveDate,
    #[serde(default)]
    pub extra_costs: Vec<ExtraCost>,
    pub funding: Funding,
    #[serde(default)]
    pub confidential: bool,
    #[serde(default)]
    pub enrolments: Vec<Enrolment>,
    #[serde(default)]
    pub sessions: Vec<SessionRecord>,
    /// When the details above (name to confidential, extra costs included) were last
    /// edited: a merge keeps the later copy's.
    #[serde(with = "timestamp")]
    pub details_edited: DateTime<Utc>,
    /// Who changed what, and when: "Added Sam Jones", "Recorded 3 sessions".
    #[serde(default)]
    pub history: Vec<ProvisionChange>,
    /// Bumped by every save, so an edit begun in another tab is refused, not lost.
    #[serde(default)]
    pub revision: u64,
    /// The keys of extra costs deleted on purpose (see [`ExtraCost::key`]), so a merge
    /// with an older copy does not bring them back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed_costs: Vec<String>,
}

/// One entry in a provision's change history. Pupils are named by id, never by name, so
/// the history holds no name an erasure would have to find.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProvisionChange {
    #[serde(with = "timestamp")]
    pub at: DateTime<Utc>,
    pub by: String,
    pub what: String,
}

impl Provision {
    /// How many pupils are in it on `date`.
    pub fn group_on(&self, date: NaiveDate) -> u32 {
        self.enrolments.iter().filter(|e| e.is_in_on(date)).count() as u32
    }

    pub fn enrolment(&self, pupil: &PupilId) -> Option<&Enrolment> {
        self.enrolments.iter().find(|e| &e.pupil == pupil)
    }
}
