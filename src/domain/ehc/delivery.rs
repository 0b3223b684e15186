//! Section F against the provision map: for a line linked to a provision, the hours the
//! pupil was given against the hours the plan specifies, over the weeks the provision ran.

use super::plan::ProvisionLineF;
use crate::domain::provision::record::Provision;
use crate::domain::PupilId;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDelivery {
    /// Sessions the pupil attended in the period.
    pub sessions: usize,
    pub delivered_minutes: u32,
    /// Weeks in the period with a session recorded for the provision (run or not) while the
    /// pupil was in it: the weeks it was meant to run.
    pub weeks: u32,
    /// What the plan specifies over those weeks, when the line says minutes a week.
    pub specified_minutes: Option<u32>,
}

impl LineDelivery {
    /// "7 h 30 min of 15 h specified (10 weeks)", or the delivered hours alone.
    pub fn describe(&self) -> String {
        let delivered = hours(self.delivered_minutes);
        match self.specified_minutes {
            Some(specified) => format!(
                "{delivered} given of {} specified, over {} week{} the provision ran",
                hours(specified),
                self.weeks,
                if self.weeks == 1 { "" } else { "s" }
            ),
            None => format!(
                "{delivered} given in {} session{}",
                self.sessions,
                if self.sessions == 1 { "" } else { "s" }
            ),
        }
    }
}

fn hours(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The line's delivery to `pupil` from `from` to `to` (both included).
pub fn delivered(
    line: &ProvisionLineF,
    provision: &Provision,
    pupil: &PupilId,
    from: NaiveDate,
    to: NaiveDate,
) -> LineDelivery {
    let place = provision.enrolment(pupil);
    let in_it = |on: NaiveDate| place.is_some_and(|p| p.is_in_on(on));
    let mut weeks = BTreeSet::new();
    let mut sessions = 0;
    for session in provision
        .sessions
        .iter()
        .filter(|s| s.on >= from && s.on <= to && in_it(s.on))
    {
        let week = session.on.iso_week();
        weeks.insert((week.year(), week.week()));
        if session.attended().contains(pupil) {
            sessions += 1;
        }
    }
    let weeks = weeks.len() as u32;
    LineDelivery {
        sessions,
        delivered_minutes: (sessions as u32).saturating_mul(provision.minutes),
        weeks,
        specified_minutes: line.minutes_a_week.map(|m| m.saturating_mul(weeks)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ehc::d;
    use crate::domain::provision::record::{
        Enrolment, NotDelivered, SessionOutcome, SessionRecord,
    };
    use chrono::NaiveTime;

    fn session(on: &str, attended: Option<&PupilId>) -> SessionRecord {
        SessionRecord {
            on: d(on),
            starts: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            outcome: match attended {
                Some(p) => SessionOutcome::Delivered {
                    attended: vec![p.clone()],
                },
                None => SessionOutcome::NotDelivered(NotDelivered::StaffAbsent),
            },
            recorded: chrono::Utc::now(),
        }
    }

    #[test]
    fn hours_given_are_set_against_the_hours_specified_in_the_weeks_it_ran() {
        let ava = PupilId("00000000000000a1".into());
        let mut provision: Provision = serde_json::from_str(
            r#"{"id": "a1b2c3d4e5f60718", "name": "Speech and language",
                "area": "CommunicationAndInteraction", "kind": "small_group", "wave": "three",
                "minutes": 30, "starts": "2026-09-07", "ends": "2027-07-16", "funding": "top_up",
                "details_edited": "2026-09-01T09:00:00Z"}"#,
        )
        .unwrap();
        provision.enrolments.push(Enrolment {
            pupil: ava.clone(),
            joined: d("07/09/2026"),
            left: None,
            entry: None,
            exit: None,
            rating: None,
            note: String::new(),
            edited: chrono::Utc::now(),
        });
        provision.sessions = vec![
            session("07/09/2026", Some(&ava)),
            session("09/09/2026", Some(&ava)),
            session("11/09/2026", None),
            session("14/09/2026", Some(&ava)),
            session("01/09/2025", Some(&ava)),
        ];
        let line = ProvisionLineF {
            what: "Speech and language programme".into(),
            minutes_a_week: Some(90),
            how_often: "3 times a week".into(),
            by_whom: "TA".into(),
            provision_id: Some(provision.id.clone()),
        };
        let given = delivered(&line, &provision, &ava, d("01/09/2026"), d("30/09/2026"));
        assert_eq!(given.sessions, 3);
        assert_eq!(given.delivered_minutes, 90);
        assert_eq!(given.weeks, 2);
        assert_eq!(given.specified_minutes, Some(180));
        assert_eq!(
            given.describe(),
            "1 h 30 min given of 3 h specified, over 2 weeks the provision ran"
        );
    }
}
