//! Traded time: what the school bought from an agency for a school year, what each piece
//! of work used, and what is left.

use super::agency::{Agency, TradedUnit};
use super::Referral;
use crate::domain::settings::school_year;

/// An agency's traded time for one school year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradedBalance {
    pub starts_in: i32,
    pub unit: TradedUnit,
    pub bought: i64,
    /// By referrals sent in the year (assessments).
    pub used_by_referrals: i64,
    /// By other work logged on the agency (consultations, training).
    pub used_otherwise: i64,
}

impl TradedBalance {
    pub fn used(&self) -> i64 {
        self.used_by_referrals + self.used_otherwise
    }

    pub fn left(&self) -> i64 {
        self.bought - self.used()
    }

    /// "3.5 hours left of 12 hours (8.5 used)", or how far over.
    pub fn describe(&self) -> String {
        let unit = self.unit;
        if self.left() < 0 {
            format!(
                "{} over the {} bought ({} used)",
                unit.amount(-self.left()),
                unit.amount(self.bought),
                unit.amount(self.used())
            )
        } else {
            format!(
                "{} left of {} ({} used)",
                unit.amount(self.left()),
                unit.amount(self.bought),
                unit.amount(self.used())
            )
        }
    }
}

/// The agency's balance for the school year `starts_in`, from every pupil's referrals to
/// it (counted in the year each was sent, or started if not yet sent). None when no time
/// was bought for that year.
pub fn balance<'a>(
    agency: &Agency,
    starts_in: i32,
    referrals: impl Iterator<Item = &'a Referral>,
) -> Option<TradedBalance> {
    let traded = agency.traded_in(starts_in)?;
    let used_by_referrals = referrals
        .filter(|r| r.agency_id == agency.id)
        .filter(|r| school_year(r.sent_on().unwrap_or(r.created_on)) == starts_in)
        .map(|r| i64::from(r.time_used))
        .sum();
    let used_otherwise = agency
        .uses
        .iter()
        .filter(|u| school_year(u.on) == starts_in)
        .map(|u| i64::from(u.used))
        .sum();
    Some(TradedBalance {
        starts_in,
        unit: traded.unit,
        bought: i64::from(traded.bought),
        used_by_referrals,
        used_otherwise,
    })
}
