//! Two copies of a pupil's referrals made one (a merge of desks): nothing either side
//! recorded is lost.

use super::Referral;
use crate::domain::record_id::derived_id;

fn json(referral: &Referral) -> String {
    serde_json::to_string(referral).expect("records always serialise")
}

/// Each referral either side holds. One edited on both sides takes the later edit's
/// details, the longer run of steps when one side's extends the other's, and every
/// recommendation either side typed (decided where either side decided it). When the
/// two sides recorded different steps, both copies are kept, the other under an id of
/// its own, for the SENCO to tidy: a merge never drops a step.
pub fn merge_referrals(ours: &[Referral], theirs: &[Referral]) -> Vec<Referral> {
    let mut merged: Vec<Referral> = ours.to_vec();
    for other in theirs {
        let Some(at) = merged.iter().position(|r| r.id == other.id) else {
            merged.push(other.clone());
            continue;
        };
        let mine = &merged[at];
        if mine == other {
            continue;
        }
        let (later, earlier) = if (other.edited_at, json(other)) > (mine.edited_at, json(mine)) {
            (other.clone(), mine.clone())
        } else {
            (mine.clone(), other.clone())
        };
        let (long, short) = if later.steps.len() >= earlier.steps.len() {
            (&later.steps, &earlier.steps)
        } else {
            (&earlier.steps, &later.steps)
        };
        if !long.starts_with(short) {
            let mut copy = earlier.clone();
            copy.id = derived_id("referral-copy", &[&earlier.id, &json(&earlier)]);
            for rec in &mut copy.recommendations {
                rec.id = derived_id("recommendation-copy", &[&copy.id, &rec.id]);
            }
            merged[at] = later;
            if !merged.iter().any(|r| r.id == copy.id) {
                merged.push(copy);
            }
            continue;
        }
        let mut combined = later.clone();
        combined.steps = long.clone();
        for rec in &earlier.recommendations {
            match combined.recommendations.iter_mut().find(|r| r.id == rec.id) {
                Some(kept) if kept.uptake.is_none() => kept.uptake = rec.uptake.clone(),
                Some(_) => {}
                None => combined.recommendations.push(rec.clone()),
            }
        }
        if combined.check().is_err() {
            combined = later;
        }
        merged[at] = combined;
    }
    merged.sort_by(|a, b| (a.created_on, &a.id).cmp(&(b.created_on, &b.id)));
    merged
}
