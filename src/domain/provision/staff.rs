//! Staff who deliver provision, and what an hour of their time costs. Costs are sensitive:
//! a role's rate is the default, and a person's own rate overrides it.

use super::money::Pence;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A role that delivers provision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    TeachingAssistant,
    Hlta,
    Teacher,
    Senco,
    External,
}

impl StaffRole {
    pub const ALL: [StaffRole; 5] = [
        StaffRole::TeachingAssistant,
        StaffRole::Hlta,
        StaffRole::Teacher,
        StaffRole::Senco,
        StaffRole::External,
    ];

    pub fn label(self) -> &'static str {
        match self {
            StaffRole::TeachingAssistant => "Teaching assistant",
            StaffRole::Hlta => "Higher level teaching assistant (HLTA)",
            StaffRole::Teacher => "Teacher",
            StaffRole::Senco => "SENCO",
            StaffRole::External => "External (agency or service)",
        }
    }
}

/// A member of staff (or an external professional) who delivers provision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: String,
    pub name: String,
    pub role: StaffRole,
    /// Their own rate an hour, overriding the role's.
    #[serde(default)]
    pub hourly: Option<Pence>,
    /// No longer delivering provision: kept so older provisions still name and cost them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub left: bool,
}

/// The school's rate an hour for each role (none until the school sets it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRates(pub BTreeMap<StaffRole, Pence>);

impl RoleRates {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl RoleRates {
    /// What an hour of `member`'s time costs: their own rate, else their role's; None when
    /// neither is set, so no cost is ever made up.
    pub fn hourly(&self, member: &StaffMember) -> Option<Pence> {
        member.hourly.or_else(|| self.0.get(&member.role).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_persons_own_rate_overrides_their_roles_and_no_rate_is_made_up() {
        let rates = RoleRates(BTreeMap::from([(
            StaffRole::TeachingAssistant,
            Pence(1437),
        )]));
        let mut ta = StaffMember {
            id: "s1".into(),
            name: "Mrs Patel".into(),
            role: StaffRole::TeachingAssistant,
            hourly: None,
            left: false,
        };
        assert_eq!(rates.hourly(&ta), Some(Pence(1437)));
        ta.hourly = Some(Pence(1562));
        assert_eq!(rates.hourly(&ta), Some(Pence(1562)));
        let teacher = StaffMember {
            role: StaffRole::Teacher,
            hourly: None,
            left: false,
            ..ta
        };
        assert_eq!(rates.hourly(&teacher), None);
    }
}
