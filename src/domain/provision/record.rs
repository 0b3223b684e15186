//! A provision as the SENCO records it: what it is, who delivers it, its timetable and dates,
//! the pupils in it on their own dates, and each session as delivered or not. (Not stored
//! yet: its record format comes with the screens that make one.)

use super::calendar::Slot;
use super::impact::{Measured, Rating};
use super::money::Pence;
use crate::domain::{BroadArea, PupilId};
use chrono::{NaiveDate, NaiveTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvisionType {
    OneToOne,
    SmallGroup,
    InClassSupport,
    EquipmentOrResource,
    ExternalService,
}

impl ProvisionType {
    /// Whether the pupils in it share each session (a 1:1 session is one pupil's alone).
    pub fn is_shared(self) -> bool {
        !matches!(self, ProvisionType::OneToOne)
    }
}

/// Wave 1 is universal (quality-first teaching), 2 targeted, 3 specialist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Wave {
    One,
    Two,
    Three,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Funding {
    NotionalSenBudget,
    TopUp,
    PupilPremium,
    Other,
}

/// A cost beyond staff time: resources, a licence, an external service's invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtraCost {
    pub description: String,
    pub amount: Pence,
    pub on: NaiveDate,
}

/// A pupil in a provision, from the day they joined to the day they left (if they have).
#[derive(Debug, Clone, PartialEq)]
pub struct Enrolment {
    pub pupil: PupilId,
    pub joined: NaiveDate,
    pub left: Option<NaiveDate>,
    pub entry: Option<Measured>,
    pub exit: Option<Measured>,
    pub rating: Option<Rating>,
    pub note: String,
}

impl Enrolment {
    /// In the provision on `date`: joined by then and not yet left (the day they leave counts).
    pub fn is_in_on(&self, date: NaiveDate) -> bool {
        self.joined <= date && self.left.is_none_or(|left| date <= left)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotDelivered {
    StaffAbsent,
    PupilAbsent,
    Trip,
    Other(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionOutcome {
    /// Delivered, to the pupils who attended.
    Delivered {
        attended: Vec<PupilId>,
    },
    NotDelivered(NotDelivered),
}

/// A session as recorded by staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub on: NaiveDate,
    pub starts: NaiveTime,
    pub outcome: SessionOutcome,
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

#[derive(Debug, Clone, PartialEq)]
pub struct Provision {
    pub id: String,
    pub name: String,
    pub area: BroadArea,
    pub description: String,
    pub intended_outcome: String,
    pub kind: ProvisionType,
    pub wave: Wave,
    /// Ids of the staff who deliver each session (each paid for its minutes).
    pub staff: Vec<String>,
    pub timetable: Vec<Slot>,
    pub minutes: u32,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
    pub extra_costs: Vec<ExtraCost>,
    pub funding: Funding,
    pub confidential: bool,
    pub enrolments: Vec<Enrolment>,
    pub sessions: Vec<SessionRecord>,
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
