//! What provision costs, and how much of it was delivered against what was planned, worked
//! out exactly (see `money`), each figure with what it was made from. Staff time is paid for
//! delivered sessions: to date counts the sessions recorded as delivered up to today, and
//! the projection adds the sessions the timetable plans after today. A group's session is
//! shared by the pupils in it on that session's date; a 1:1 session is wholly its pupil's.
//! An extra cost is shared by the pupils in the provision on its date.

use super::calendar::{PlannedSession, SchoolCalendar};
use super::money::{ExactCost, Pence};
use super::record::Provision;
use super::staff::{RoleRates, StaffMember};
use crate::domain::PupilId;
use chrono::{Datelike, NaiveDate};

/// The notional SEN budget's threshold a pupil, by default: £6,000 a year.
pub const NOTIONAL_THRESHOLD: Pence = Pence(600_000);

/// Why a cost cannot be worked out: it is never guessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CostProblem {
    /// A member of staff delivering it has no rate, nor has their role.
    NoRate { name: String },
    /// The provision names staff the school's list no longer has.
    UnknownStaff { id: String },
    /// No member of staff delivers it.
    NoStaff,
}

impl std::fmt::Display for CostProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CostProblem::NoRate { name } => write!(
                f,
                "No cost an hour is set for {name} or their role: set one in Settings"
            ),
            CostProblem::UnknownStaff { .. } => {
                write!(
                    f,
                    "A member of staff delivering it is no longer on the staff list"
                )
            }
            CostProblem::NoStaff => write!(f, "No member of staff delivers it"),
        }
    }
}

/// The year a cost is counted over: the school year (September to August) or the financial
/// year (April to March), named by the calendar year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostYear {
    School(i32),
    Financial(i32),
}

impl CostYear {
    /// Its first and last days.
    pub fn days(self) -> (NaiveDate, NaiveDate) {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a real date");
        match self {
            CostYear::School(y) => (date(y, 9, 1), date(y + 1, 8, 31)),
            CostYear::Financial(y) => (date(y, 4, 1), date(y + 1, 3, 31)),
        }
    }

    /// The school year `date` falls in.
    pub fn school_of(date: NaiveDate) -> CostYear {
        CostYear::School(if date.month() >= 9 {
            date.year()
        } else {
            date.year() - 1
        })
    }

    /// The financial year (April to March) `date` falls in.
    pub fn financial_of(date: NaiveDate) -> CostYear {
        CostYear::Financial(if date.month() >= 4 {
            date.year()
        } else {
            date.year() - 1
        })
    }
}

/// One session's staff cost, and how it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionCost {
    pub cost: ExactCost,
    pub minutes: u32,
    /// Each member of staff delivering it, with their rate an hour.
    pub hourly: Vec<(String, Pence)>,
}

/// A provision's cost and delivery as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionCost {
    pub session: SessionCost,
    pub to_date: ExactCost,
    pub projected: ExactCost,
    pub extras_to_date: ExactCost,
    pub extras_in_all: ExactCost,
    /// Sessions of staff time (a 1:1 session counts once for each pupil it was for).
    pub sessions_delivered: u32,
    pub sessions_planned: u32,
    pub minutes_delivered: u64,
    pub minutes_planned: u64,
}

/// One pupil's share of a provision between two dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PupilShare {
    pub to_date: ExactCost,
    pub projected: ExactCost,
    pub sessions_attended: u32,
    pub sessions_planned: u32,
    pub minutes_attended: u64,
    pub minutes_planned: u64,
}

/// A pupil's sessions in a provision between two dates: those delivered up to today that
/// they attended, and those planned while they were in it. Needs no rate, so a plan and its
/// review show attendance even where the cost cannot be worked out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attendance {
    pub attended: u32,
    pub planned: u32,
    pub minutes_attended: u64,
}

/// What costs are worked out from: the staff list and rates, the calendar, and today.
pub struct Costing<'a> {
    pub staff: &'a [StaffMember],
    pub rates: &'a RoleRates,
    pub calendar: &'a SchoolCalendar,
    pub today: NaiveDate,
}

impl Costing<'_> {
    /// One session's staff cost: each member delivering it, for its minutes, at their rate.
    pub fn session_cost(&self, provision: &Provision) -> Result<SessionCost, CostProblem> {
        if provision.staff.is_empty() {
            return Err(CostProblem::NoStaff);
        }
        let mut cost = ExactCost::ZERO;
        let mut hourly = Vec::new();
        for id in &provision.staff {
            let member = self
                .staff
                .iter()
                .find(|m| &m.id == id)
                .ok_or_else(|| CostProblem::UnknownStaff { id: id.clone() })?;
            let rate = self
                .rates
                .hourly(member)
                .ok_or_else(|| CostProblem::NoRate {
                    name: member.name.clone(),
                })?;
            cost += ExactCost::of_minutes(rate, provision.minutes);
            hourly.push((member.name.clone(), rate));
        }
        Ok(SessionCost {
            cost,
            minutes: provision.minutes,
            hourly,
        })
    }

    /// The sessions the timetable plans over the provision's dates.
    pub fn planned(&self, provision: &Provision) -> Vec<PlannedSession> {
        self.calendar
            .planned_sessions(&provision.timetable, provision.starts, provision.ends)
    }

    /// How many pupils' worth of staff time a session on `date` is: one for a group, one for
    /// each pupil in a 1:1 provision.
    fn times(provision: &Provision, date: NaiveDate) -> u32 {
        if provision.kind.is_shared() {
            1
        } else {
            provision.group_on(date)
        }
    }

    pub fn provision(&self, provision: &Provision) -> Result<ProvisionCost, CostProblem> {
        let session = self.session_cost(provision)?;
        let mut to_date = ExactCost::ZERO;
        let mut sessions_delivered = 0u32;
        for record in provision.sessions.iter().filter(|s| s.on <= self.today) {
            if !record.was_delivered() {
                continue;
            }
            let times = if provision.kind.is_shared() {
                1
            } else {
                record.attended().len() as u32
            };
            sessions_delivered += times;
            to_date += session.cost.times(times);
        }
        let planned = self.planned(provision);
        let sessions_planned: u32 = planned.iter().map(|s| Self::times(provision, s.on)).sum();
        let ahead: u32 = planned
            .iter()
            .filter(|s| s.on > self.today)
            .map(|s| Self::times(provision, s.on))
            .sum();
        let extras_to_date: ExactCost = provision
            .extra_costs
            .iter()
            .filter(|e| e.on <= self.today)
            .map(|e| ExactCost::of(e.amount))
            .sum();
        let extras_in_all: ExactCost = provision
            .extra_costs
            .iter()
            .map(|e| ExactCost::of(e.amount))
            .sum();
        Ok(ProvisionCost {
            to_date: to_date + extras_to_date,
            projected: to_date + session.cost.times(ahead) + extras_in_all,
            extras_to_date,
            extras_in_all,
            sessions_delivered,
            sessions_planned,
            minutes_delivered: u64::from(sessions_delivered) * u64::from(provision.minutes),
            minutes_planned: u64::from(sessions_planned) * u64::from(provision.minutes),
            session,
        })
    }

    /// `pupil`'s attendance in `provision` from `from` to `to`, counted as
    /// [`Costing::pupil_share`] counts it, without any rate.
    pub fn pupil_attendance(
        &self,
        provision: &Provision,
        pupil: &PupilId,
        (from, to): (NaiveDate, NaiveDate),
    ) -> Attendance {
        let Some(enrolment) = provision.enrolment(pupil) else {
            return Attendance::default();
        };
        let within = |date: NaiveDate| from <= date && date <= to;
        let attended = provision
            .sessions
            .iter()
            .filter(|r| within(r.on) && r.on <= self.today && r.was_delivered())
            .filter(|r| r.attended().contains(pupil))
            .count() as u32;
        let planned = self
            .planned(provision)
            .iter()
            .filter(|s| within(s.on) && enrolment.is_in_on(s.on))
            .count() as u32;
        Attendance {
            attended,
            planned,
            minutes_attended: u64::from(attended) * u64::from(provision.minutes),
        }
    }

    /// `pupil`'s share of `provision` from `from` to `to` (a school or financial year).
    pub fn pupil_share(
        &self,
        provision: &Provision,
        pupil: &PupilId,
        (from, to): (NaiveDate, NaiveDate),
    ) -> Result<PupilShare, CostProblem> {
        let Some(enrolment) = provision.enrolment(pupil) else {
            return Ok(PupilShare::default());
        };
        let session = self.session_cost(provision)?;
        let within = |date: NaiveDate| from <= date && date <= to;
        // Their share of one session on `date`, if they were in the provision that day.
        let share = |date: NaiveDate| {
            if provision.kind.is_shared() {
                session.cost.shared_by(provision.group_on(date))
            } else {
                session.cost
            }
        };
        let mut out = PupilShare::default();
        for record in &provision.sessions {
            if !within(record.on) || record.on > self.today || !record.was_delivered() {
                continue;
            }
            let attended = record.attended().contains(pupil);
            if attended {
                out.sessions_attended += 1;
            }
            // A group's session is shared by everyone in it that day, there or not; a 1:1
            // session costs only when it was theirs.
            if enrolment.is_in_on(record.on) && (provision.kind.is_shared() || attended) {
                out.to_date += share(record.on);
            }
        }
        let mut ahead = ExactCost::ZERO;
        for planned in self.planned(provision) {
            if !within(planned.on) || !enrolment.is_in_on(planned.on) {
                continue;
            }
            out.sessions_planned += 1;
            if planned.on > self.today {
                ahead += share(planned.on);
            }
        }
        for extra in provision.extra_costs.iter().filter(|e| within(e.on)) {
            let sharing = match provision.group_on(extra.on) {
                0 => provision.enrolments.len() as u32,
                n if enrolment.is_in_on(extra.on) => n,
                _ => continue,
            };
            let part = ExactCost::of(extra.amount).shared_by(sharing);
            if extra.on <= self.today {
                out.to_date += part;
            } else {
                ahead += part;
            }
        }
        out.projected = out.to_date + ahead;
        out.minutes_attended = u64::from(out.sessions_attended) * u64::from(provision.minutes);
        out.minutes_planned = u64::from(out.sessions_planned) * u64::from(provision.minutes);
        Ok(out)
    }
}

/// Whether a pupil's cost for the year is at 75% or more of the threshold.
pub fn is_near_threshold(cost: ExactCost, threshold: Pence) -> bool {
    cost.times(4) >= ExactCost::of(threshold).times(3)
}

/// How a pupil's share of a provision over `period` was made, in words: the sessions
/// counted, what each cost and how many shared it, and the extra costs.
pub fn share_explained(
    costing: &Costing,
    provision: &Provision,
    pupil: &PupilId,
    period: (NaiveDate, NaiveDate),
) -> Result<String, CostProblem> {
    let Some(enrolment) = provision.enrolment(pupil) else {
        return Ok("Not in this provision.".into());
    };
    let session = costing.session_cost(provision)?;
    let share = costing.pupil_share(provision, pupil, period)?;
    let within = |date: NaiveDate| period.0 <= date && date <= period.1;
    let sizes = |dates: &mut dyn Iterator<Item = NaiveDate>| -> Option<(u32, u32)> {
        dates
            .map(|d| provision.group_on(d))
            .fold(None, |acc: Option<(u32, u32)>, n| {
                Some(acc.map_or((n, n), |(lo, hi)| (lo.min(n), hi.max(n))))
            })
    };
    let shared = |range: Option<(u32, u32)>| match range {
        _ if !provision.kind.is_shared() => "wholly theirs (1:1)".to_string(),
        Some((lo, hi)) if lo == hi => format!("shared by {lo}"),
        Some((lo, hi)) => format!("shared by {lo} to {hi} (those in it each day)"),
        None => "shared by those in it".to_string(),
    };
    let delivered: Vec<NaiveDate> = provision
        .sessions
        .iter()
        .filter(|s| within(s.on) && s.on <= costing.today && s.was_delivered())
        .filter(|s| {
            enrolment.is_in_on(s.on) && (provision.kind.is_shared() || s.attended().contains(pupil))
        })
        .map(|s| s.on)
        .collect();
    let ahead: Vec<NaiveDate> = costing
        .planned(provision)
        .into_iter()
        .filter(|s| within(s.on) && s.on > costing.today && enrolment.is_in_on(s.on))
        .map(|s| s.on)
        .collect();
    let mut text = format!(
        "{} to date: {} delivered session{} while in it, each {} {}",
        share.to_date.rounded(),
        delivered.len(),
        if delivered.len() == 1 { "" } else { "s" },
        session.cost.rounded(),
        shared(sizes(&mut delivered.iter().copied())),
    );
    if !ahead.is_empty() {
        text.push_str(&format!(
            "; then {} planned after today, {}",
            ahead.len(),
            shared(sizes(&mut ahead.iter().copied()))
        ));
    }
    let extras = provision
        .extra_costs
        .iter()
        .filter(|e| within(e.on))
        .count();
    if extras > 0 {
        text.push_str(&format!(
            "; {extras} extra cost{} shared by those in it on its date",
            if extras == 1 { "" } else { "s" }
        ));
    }
    text.push_str(&format!(". Projected: {}.", share.projected.rounded()));
    Ok(text)
}
