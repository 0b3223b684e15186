//! Ids for the records inside a pupil's file (concerns, contacts, notes, support plans), so
//! two copies of a file can be merged record by record.
//!
//! A record made by this version gets a random id when it is first saved (the store makes
//! it). A record from an older file has none: it gets one derived from what it holds, the
//! same on every copy, so an old backup's concern matches the desk's copy of it by its
//! recorded time rather than arriving as a second concern.

use super::dates::{format_iso, timestamp};
use super::pupil::PupilFile;
use std::collections::BTreeSet;

/// The most decisions merged into one concern from other copies of the desk.
pub const MAX_OTHER_DECISIONS: usize = 50;

/// The same 16 lowercase hex characters as pupil ids.
pub fn is_record_id(id: &str) -> bool {
    id.len() == 16 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// An id worked out from a record's own content: FNV-1a (64 bits) over the kind and each
/// part, separated so ("ab", "c") and ("a", "bc") differ. Not secret and not a checksum:
/// only stable, so every copy of an old record gets the same id.
pub fn derived_id(kind: &str, parts: &[&str]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in std::iter::once(kind).chain(parts.iter().copied()) {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:016x}")
}

impl PupilFile {
    /// Gives every record without an id one made by `fresh` (the store's random ids, when
    /// a file is saved).
    pub fn give_ids(&mut self, mut fresh: impl FnMut() -> String) {
        let mut taken = self.record_ids();
        let mut next = |id: &mut String| {
            if id.is_empty() {
                *id = loop {
                    let candidate = fresh();
                    if taken.insert(candidate.clone()) {
                        break candidate;
                    }
                };
            }
        };
        self.concerns.iter_mut().for_each(|c| next(&mut c.id));
        self.pupil.contacts.iter_mut().for_each(|c| next(&mut c.id));
        self.notes.iter_mut().for_each(|n| next(&mut n.id));
        self.plans.iter_mut().for_each(|p| next(&mut p.id));
        let mut unused = || loop {
            let candidate = fresh();
            if taken.insert(candidate.clone()) {
                break candidate;
            }
        };
        self.ehc.give_ids(&mut unused);
        for referral in &mut self.referrals {
            referral.give_ids(&mut unused);
        }
    }

    /// Gives the records of a file written before ids ids derived from their content, the
    /// same on every copy: concerns by their recorded time, plans by number and dates,
    /// contacts and notes by what they say (the second of two identical notes counts as
    /// its own record). Called whenever a file is read.
    pub fn give_derived_ids(&mut self) {
        let mut taken = self.record_ids();
        let mut unique = |kind: &str, parts: Vec<String>| {
            let mut parts = parts;
            loop {
                let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
                let id = derived_id(kind, &refs);
                if taken.insert(id.clone()) {
                    return id;
                }
                parts.push("again".into());
            }
        };
        for concern in self.concerns.iter_mut().filter(|c| c.id.is_empty()) {
            concern.id = unique(
                "concern",
                vec![
                    timestamp::format(&concern.recorded_at),
                    format_iso(concern.raised_on),
                    concern.raised_by_name.clone(),
                ],
            );
        }
        for plan in self.plans.iter_mut().filter(|p| p.id.is_empty()) {
            plan.id = unique(
                "plan",
                vec![
                    plan.cycle.to_string(),
                    format_iso(plan.drafted_on),
                    format_iso(plan.starts_on),
                ],
            );
        }
        let mut seen: Vec<Vec<String>> = Vec::new();
        let mut occurrence = |content: Vec<String>| {
            let n = seen.iter().filter(|c| **c == content).count();
            seen.push(content.clone());
            let mut parts = content;
            parts.push(n.to_string());
            parts
        };
        for contact in self.pupil.contacts.iter_mut().filter(|c| c.id.is_empty()) {
            let parts = occurrence(vec![
                "contact".into(),
                contact.name.clone(),
                contact.relationship.clone(),
                contact.phone.clone(),
                contact.email.clone(),
            ]);
            contact.id = unique("contact", parts);
        }
        for note in self.notes.iter_mut().filter(|n| n.id.is_empty()) {
            let parts = occurrence(vec![
                "note".into(),
                format_iso(note.date),
                note.author.clone(),
                note.text.clone(),
            ]);
            note.id = unique("note", parts);
        }
    }

    /// Checks the ids of a file from outside: every record has a well-formed id, no two
    /// records of a kind share one, tombstones are well-formed and not absurdly many.
    pub fn check_record_ids(&self) -> Result<(), String> {
        let kinds: [(&str, Vec<&String>); 4] = [
            ("concerns", self.concerns.iter().map(|c| &c.id).collect()),
            (
                "contacts",
                self.pupil.contacts.iter().map(|c| &c.id).collect(),
            ),
            ("notes", self.notes.iter().map(|n| &n.id).collect()),
            ("support plans", self.plans.iter().map(|p| &p.id).collect()),
        ];
        for (kind, ids) in kinds {
            let mut seen = BTreeSet::new();
            for id in ids {
                if !is_record_id(id) {
                    return Err(format!("one of its {kind} has a malformed id"));
                }
                if !seen.insert(id) {
                    return Err(format!("two of its {kind} have the same id"));
                }
            }
        }
        if self.removed.len() > super::removal::MAX_REMOVALS
            || self.removed.iter().any(|r| !is_record_id(&r.id))
        {
            return Err("its list of deleted records is malformed".into());
        }
        if self
            .concerns
            .iter()
            .any(|c| c.other_decisions.len() > MAX_OTHER_DECISIONS)
        {
            return Err("a concern has too many decisions".into());
        }
        Ok(())
    }

    fn record_ids(&self) -> BTreeSet<String> {
        self.concerns
            .iter()
            .map(|c| &c.id)
            .chain(self.pupil.contacts.iter().map(|c| &c.id))
            .chain(self.notes.iter().map(|n| &n.id))
            .chain(self.plans.iter().map(|p| &p.id))
            .chain(self.referrals.iter().map(|r| &r.id))
            .chain(
                self.referrals
                    .iter()
                    .flat_map(|r| r.recommendations.iter().map(|c| &c.id)),
            )
            .filter(|id| !id.is_empty())
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_well_formed_and_tell_parts_apart() {
        let a = derived_id("note", &["2026-10-01", "SENCO", "Met parents"]);
        assert_eq!(
            a,
            derived_id("note", &["2026-10-01", "SENCO", "Met parents"])
        );
        assert!(is_record_id(&a));
        assert_ne!(
            a,
            derived_id("note", &["2026-10-01", "SENC", "OMet parents"])
        );
        assert_ne!(
            a,
            derived_id("contact", &["2026-10-01", "SENCO", "Met parents"])
        );
    }

    #[test]
    fn derived_ids_are_worked_out_as_format_md_says() {
        // Worked out independently from docs/FORMAT.md ("Record ids").
        assert_eq!(
            derived_id("note", &["note", "2026-10-01", "SENCO", "Met parents", "0"]),
            "7d865a5447fa823c"
        );
        assert_eq!(
            derived_id(
                "concern",
                &["2026-10-02T09:15:00.123Z", "2026-10-02", "Mrs Patel"]
            ),
            "e434a2af1e36bffa"
        );
    }

    #[test]
    fn only_sixteen_lowercase_hex_characters_are_record_ids() {
        assert!(is_record_id("0123456789abcdef"));
        for bad in [
            "",
            "0123456789ABCDEF",
            "0123456789abcde",
            "0123456789abcdefa",
            "zz23456789abcdef",
        ] {
            assert!(!is_record_id(bad), "{bad}");
        }
    }
}
