//! Changing a provision: its pupils joining and leaving, their measures and ratings, sessions
//! recorded, and the checks every stored or imported provision passes. Each change stamps
//! the part it touched with the time, so two copies merge part by part (see `merge`).

use super::record::{Enrolment, Provision, ProvisionChange, SessionRecord};
use crate::domain::desk::{Desk, DeskError};
use crate::domain::PupilId;
use chrono::{DateTime, NaiveDate, Utc};
use zeroize::Zeroize;

pub const MAX_PROVISION_NAME: usize = 100;
pub const MAX_PROVISION_TEXT: usize = 2000;
pub const MAX_NOTE: usize = 1000;
pub const MAX_PUPILS_IN_PROVISION: usize = 100;
pub const MAX_STAFF_IN_PROVISION: usize = 10;
pub const MAX_SLOTS: usize = 15;
pub const MAX_EXTRA_COSTS: usize = 100;
/// Five sessions a day for five school years.
pub const MAX_SESSIONS: usize = 5 * 195 * 5;
pub const MAX_HISTORY: usize = 20_000;
/// Deleted extra costs remembered per provision (the oldest are forgotten past this).
pub const MAX_REMOVED_COSTS: usize = 1_000;
/// The longest session: a whole school day.
pub const MAX_MINUTES: u32 = 480;
/// The longest a provision may run: three years (a longer one is several provisions).
pub const MAX_DAYS: i64 = 3 * 366;
/// Sixty a year for eighty years: more than any desk holds, so a crafted file cannot bloat it.
pub const MAX_PROVISIONS: usize = 5_000;
/// History entries' longest text.
pub const MAX_HISTORY_TEXT: usize = 300;

/// Dates a provision may have: this century.
pub fn is_plausible_date(date: NaiveDate) -> bool {
    (2000..=2099).contains(&chrono::Datelike::year(&date))
}

impl Provision {
    /// Notes who changed what, when.
    pub fn note_change(&mut self, by: &str, what: impl Into<String>, at: DateTime<Utc>) {
        self.history.push(ProvisionChange {
            at,
            by: by.to_string(),
            what: what.into(),
        });
    }

    /// Puts a pupil in the provision from `joined`. A pupil already in it (or who was) is
    /// refused: their part's dates are changed on their part instead.
    pub fn enrol(
        &mut self,
        pupil: &PupilId,
        joined: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(), String> {
        if let Some(e) = self.enrolments.iter().find(|e| &e.pupil == pupil) {
            // One place a pupil: a second spell would shift the first one's sessions and
            // costs, so bringing them back is a change to their dates, made on purpose.
            return Err(match e.left {
                None => "They are already in this provision.".into(),
                Some(left) => format!(
                    "They were in this provision until {}. To bring them back, open their part of it and clear the date they left.",
                    crate::domain::dates::format_uk(left)
                ),
            });
        }
        if self.enrolments.len() >= MAX_PUPILS_IN_PROVISION {
            return Err(format!(
                "A provision can have at most {MAX_PUPILS_IN_PROVISION} pupils."
            ));
        }
        self.enrolments.push(Enrolment {
            pupil: pupil.clone(),
            joined,
            left: None,
            entry: None,
            exit: None,
            rating: None,
            note: String::new(),
            edited: now,
        });
        Ok(())
    }

    /// Records that a pupil left on `on` (they count as in it that day).
    pub fn leave(
        &mut self,
        pupil: &PupilId,
        on: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<(), String> {
        let e = self
            .enrolments
            .iter_mut()
            .find(|e| &e.pupil == pupil)
            .ok_or("They are not in this provision.")?;
        if on < e.joined {
            return Err("The day they left is before the day they joined.".into());
        }
        e.left = Some(on);
        e.edited = now;
        Ok(())
    }

    /// Records sessions, each replacing any earlier record of the same session (a
    /// correction). Attendance names only pupils in the provision that day.
    pub fn record_sessions(
        &mut self,
        sessions: Vec<SessionRecord>,
        now: DateTime<Utc>,
    ) -> Result<usize, String> {
        let mut recorded = 0;
        for mut session in sessions {
            for pupil in session.attended() {
                let in_it = self
                    .enrolments
                    .iter()
                    .any(|e| &e.pupil == pupil && e.is_in_on(session.on));
                if !in_it {
                    return Err(format!(
                        "A pupil marked as attending on {} was not in the provision that day.",
                        crate::domain::dates::format_uk(session.on)
                    ));
                }
            }
            session.recorded = now;
            match self
                .sessions
                .iter_mut()
                .find(|s| s.on == session.on && s.starts == session.starts)
            {
                Some(existing) if existing.outcome == session.outcome => continue,
                Some(existing) => *existing = session,
                None => self.sessions.push(session),
            }
            recorded += 1;
        }
        if self.sessions.len() > MAX_SESSIONS {
            return Err(format!(
                "A provision can keep at most {MAX_SESSIONS} sessions."
            ));
        }
        self.sessions.sort_by_key(|s| (s.on, s.starts));
        Ok(recorded)
    }

    /// Takes a pupil out of every part of the provision (their erasure): their enrolment,
    /// and their place in every session's attendance. Returns whether they were in it.
    pub fn forget_pupil(&mut self, pupil: &PupilId) -> bool {
        let before = self.enrolments.len();
        self.enrolments.retain(|e| &e.pupil != pupil);
        let mut found = before != self.enrolments.len();
        for session in &mut self.sessions {
            if let super::record::SessionOutcome::Delivered { attended } = &mut session.outcome {
                let before = attended.len();
                attended.retain(|p| p != pupil);
                found |= before != attended.len();
            }
        }
        found
    }

    /// Whether the provision is within every limit and makes sense, for one stored or
    /// brought in from a backup (untrusted). The message names what is wrong.
    pub fn check(&self) -> Result<(), String> {
        let long = |text: &str, limit: usize| text.chars().count() > limit;
        if self.name.trim().is_empty() {
            return Err("it has no name".into());
        }
        if long(&self.name, MAX_PROVISION_NAME)
            || long(&self.description, MAX_PROVISION_TEXT)
            || long(&self.intended_outcome, MAX_PROVISION_TEXT)
        {
            return Err("its name, description or intended outcome is too long".into());
        }
        if !(1..=MAX_MINUTES).contains(&self.minutes) {
            return Err(format!(
                "its sessions are not between 1 and {MAX_MINUTES} minutes"
            ));
        }
        if self.ends < self.starts {
            return Err("it ends before it starts".into());
        }
        if !is_plausible_date(self.starts) || !is_plausible_date(self.ends) {
            return Err("its dates are not in this century".into());
        }
        if (self.ends - self.starts).num_days() > MAX_DAYS {
            return Err("it runs for more than three years".into());
        }
        if self.staff.len() > MAX_STAFF_IN_PROVISION
            || self.timetable.len() > MAX_SLOTS
            || self.extra_costs.len() > MAX_EXTRA_COSTS
            || self.enrolments.len() > MAX_PUPILS_IN_PROVISION
            || self.sessions.len() > MAX_SESSIONS
            || self.history.len() > MAX_HISTORY
        {
            return Err(
                "it holds more staff, sessions, pupils or costs than any provision can".into(),
            );
        }
        if self
            .timetable
            .iter()
            .any(|s| matches!(s.weekday, chrono::Weekday::Sat | chrono::Weekday::Sun))
        {
            return Err("its timetable has a weekend session".into());
        }
        for cost in &self.extra_costs {
            if long(&cost.description, MAX_PROVISION_NAME)
                || !(0..=super::money::MOST_PENCE).contains(&cost.amount.0)
            {
                return Err("an extra cost is too long or not an amount".into());
            }
        }
        let mut pupils: Vec<&PupilId> = self.enrolments.iter().map(|e| &e.pupil).collect();
        pupils.sort();
        pupils.dedup();
        if pupils.len() != self.enrolments.len() {
            return Err("a pupil is in it twice".into());
        }
        for e in &self.enrolments {
            if e.left.is_some_and(|left| left < e.joined) || long(&e.note, MAX_NOTE) {
                return Err("a pupil left before joining, or has a note too long".into());
            }
        }
        let mut staff = self.staff.clone();
        staff.sort();
        staff.dedup();
        if staff.len() != self.staff.len() || self.staff.iter().any(|id| id.len() > 32) {
            return Err("a member of staff is named twice, or by a malformed id".into());
        }
        let mut slots: Vec<(u32, chrono::NaiveTime)> = self
            .timetable
            .iter()
            .map(|s| (s.weekday.num_days_from_monday(), s.starts))
            .collect();
        slots.sort();
        slots.dedup();
        if slots.len() != self.timetable.len() {
            return Err("a weekly session is listed twice".into());
        }
        if self
            .history
            .iter()
            .any(|c| long(&c.by, MAX_HISTORY_TEXT) || long(&c.what, MAX_HISTORY_TEXT))
            || self.extra_costs.iter().any(|c| c.id.len() > 32)
            || self.removed_costs.len() > MAX_REMOVED_COSTS
            || self
                .removed_costs
                .iter()
                .any(|k| long(k, MAX_PROVISION_NAME + 40))
        {
            return Err("its history or an extra cost's id is too long".into());
        }
        for e in &self.enrolments {
            for m in e.entry.iter().chain(e.exit.iter()) {
                if !m.is_sound() || !is_plausible_date(m.on) {
                    return Err("a measure is not one a test gives".into());
                }
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for s in &self.sessions {
            if !seen.insert((s.on, s.starts)) {
                return Err("a session is recorded twice".into());
            }
            let attended = s.attended();
            let mut unique: Vec<&PupilId> = attended.iter().collect();
            unique.sort();
            unique.dedup();
            if unique.len() != attended.len() {
                return Err("a pupil is marked as attending a session twice".into());
            }
            if attended.iter().any(|p| {
                !self
                    .enrolments
                    .iter()
                    .any(|e| &e.pupil == p && e.is_in_on(s.on))
            }) {
                return Err("a session names a pupil who was not in it that day".into());
            }
            if let super::record::SessionOutcome::NotDelivered(
                super::record::NotDelivered::Other(why),
            ) = &s.outcome
            {
                if long(why, MAX_NOTE) {
                    return Err("a reason a session was not delivered is too long".into());
                }
            }
            if s.attended().len() > MAX_PUPILS_IN_PROVISION {
                return Err("a session has more pupils than the provision".into());
            }
        }
        Ok(())
    }
}

impl Zeroize for Provision {
    fn zeroize(&mut self) {
        self.name.zeroize();
        self.description.zeroize();
        self.intended_outcome.zeroize();
        for e in &mut self.enrolments {
            e.pupil.0.zeroize();
            e.note.zeroize();
        }
        self.enrolments.clear();
        for s in &mut self.sessions {
            if let super::record::SessionOutcome::Delivered { attended } = &mut s.outcome {
                for p in attended.iter_mut() {
                    p.0.zeroize();
                }
            }
        }
        self.sessions.clear();
        for c in &mut self.history {
            c.by.zeroize();
            c.what.zeroize();
        }
        self.history.clear();
    }
}

impl Desk {
    pub fn provisions(&self) -> impl Iterator<Item = &Provision> + Clone {
        self.provisions.values()
    }

    pub fn provision(&self, id: &str) -> Option<&Provision> {
        self.provisions.get(id)
    }

    pub fn provision_count(&self) -> usize {
        self.provisions.len()
    }

    /// The provisions a pupil is (or was) in.
    pub fn provisions_of<'a>(&'a self, pupil: &'a PupilId) -> impl Iterator<Item = &'a Provision> {
        self.provisions
            .values()
            .filter(move |p| p.enrolment(pupil).is_some())
    }

    /// The provision as it would be after an edit made from `base_revision` (None for a new
    /// one), checked; the desk is unchanged until [`Desk::put_provision`].
    pub fn edited_provision(
        &self,
        mut provision: Provision,
        base_revision: Option<u64>,
    ) -> Result<Provision, DeskError> {
        match (self.provisions.get(&provision.id), base_revision) {
            (None, None) if self.provisions.len() >= MAX_PROVISIONS => {
                return Err(DeskError::Refused(format!(
                    "A desk can hold at most {} provisions.",
                    MAX_PROVISIONS
                )))
            }
            (None, None) => provision.revision = 1,
            (Some(current), Some(base)) if current.revision == base => {
                provision.revision = current.revision.checked_add(1).ok_or_else(|| {
                    DeskError::Refused("This provision's revision counter is damaged.".into())
                })?;
            }
            (None, Some(_)) => {
                return Err(DeskError::Refused(
                    "That provision is no longer on this desk.".into(),
                ))
            }
            (Some(current), _) => {
                return Err(DeskError::ChangedElsewhere {
                    name: current.name.clone(),
                })
            }
        }
        provision.check().map_err(|problem| {
            DeskError::Refused(format!("The provision cannot be saved: {problem}."))
        })?;
        Ok(provision)
    }

    /// Puts a provision (new or changed) into the desk, after it was saved.
    pub fn put_provision(&mut self, provision: Provision) {
        self.damaged_provisions.retain(|d| d != &provision.id);
        if let Some(mut old) = self.provisions.insert(provision.id.clone(), provision) {
            old.zeroize();
        }
    }
}
