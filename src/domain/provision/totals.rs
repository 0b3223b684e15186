//! What provision costs a year, per pupil and in totals: each pupil's additional cost across
//! all their provisions over the school's chosen year, against the notional SEN budget's
//! threshold, and totals per year group, class and primary need. A cost that cannot be
//! worked out (a rate not set) is named, never counted as nothing.

use super::costs::{is_near_threshold, Costing};
use super::money::{ExactCost, Pence};
use super::record::Provision;
use crate::domain::names::NameOrder;
use crate::domain::{Desk, NeedType, PupilId, YearGroup};
use chrono::NaiveDate;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilYearCost {
    pub pupil: PupilId,
    pub label: String,
    pub year_group: YearGroup,
    pub class_name: String,
    pub primary: Option<NeedType>,
    /// Their share of every provision in the year (delivered to date, planned after).
    pub cost: ExactCost,
    /// Provisions whose cost could not be worked out, by name: the cost above leaves them out.
    pub not_costed: Vec<String>,
    pub provisions: usize,
}

impl PupilYearCost {
    pub fn is_near(&self, threshold: Pence) -> bool {
        is_near_threshold(self.cost, threshold)
    }
}

/// Every pupil on roll in a provision during `year`, with their cost, in register order.
pub fn pupil_year_costs(
    desk: &Desk,
    costing: &Costing,
    (from, to): (NaiveDate, NaiveDate),
) -> Vec<PupilYearCost> {
    let labels = desk.name_labels(NameOrder::SurnameFirst);
    let in_year: Vec<&Provision> = desk
        .provisions()
        .filter(|p| p.starts <= to && p.ends >= from)
        .collect();
    let mut costs: BTreeMap<PupilId, PupilYearCost> = BTreeMap::new();
    for provision in in_year {
        // Worked out once a provision, not once a pupil.
        let session = costing.session_cost(provision);
        for enrolment in &provision.enrolments {
            let Some(file) = desk.file(&enrolment.pupil) else {
                continue;
            };
            if file.pupil.is_archived()
                || enrolment.joined > to
                || enrolment.left.is_some_and(|left| left < from)
            {
                continue;
            }
            let entry = costs
                .entry(enrolment.pupil.clone())
                .or_insert_with(|| PupilYearCost {
                    pupil: enrolment.pupil.clone(),
                    label: labels.get(&enrolment.pupil).cloned().unwrap_or_default(),
                    year_group: file.pupil.year_group,
                    class_name: file.pupil.class_name.clone(),
                    primary: file.sen.primary_need(costing.today.min(to)),
                    cost: ExactCost::ZERO,
                    not_costed: Vec::new(),
                    provisions: 0,
                });
            entry.provisions += 1;
            if session.is_err() {
                entry.not_costed.push(provision.name.clone());
                continue;
            }
            match costing.pupil_share(provision, &enrolment.pupil, (from, to)) {
                Ok(share) => entry.cost += share.projected,
                Err(_) => entry.not_costed.push(provision.name.clone()),
            }
        }
    }
    let mut list: Vec<PupilYearCost> = costs.into_values().collect();
    list.sort_by_cached_key(|c| (c.label.to_lowercase(), c.pupil.clone()));
    list
}

/// A total over some pupils: their cost and how many they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Total {
    pub cost: ExactCost,
    pub pupils: usize,
    /// Pupils with a provision whose cost could not be worked out.
    pub incomplete: usize,
}

/// Totals of `costs` grouped by `key`.
pub fn totals_by<K: Ord>(
    costs: &[PupilYearCost],
    key: impl Fn(&PupilYearCost) -> K,
) -> BTreeMap<K, Total> {
    let mut totals: BTreeMap<K, Total> = BTreeMap::new();
    for cost in costs {
        let total = totals.entry(key(cost)).or_default();
        total.cost += cost.cost;
        total.pupils += 1;
        if !cost.not_costed.is_empty() {
            total.incomplete += 1;
        }
    }
    totals
}
