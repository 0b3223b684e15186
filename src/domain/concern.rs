//! Identification: a concern raised about a pupil, and the SENCO's decision on it.

use super::dates::format_uk;
use super::need::BroadArea;
use super::sen::{SenRecord, SenStatus, StatusChange};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use zeroize::Zeroize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RaisedBy {
    Staff,
    Parent,
    Senco,
    Other,
}

impl RaisedBy {
    pub const ALL: [RaisedBy; 4] = [
        RaisedBy::Staff,
        RaisedBy::Parent,
        RaisedBy::Senco,
        RaisedBy::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            RaisedBy::Staff => "A member of staff",
            RaisedBy::Parent => "A parent or carer",
            RaisedBy::Senco => "The SENCO (data review or observation)",
            RaisedBy::Other => "Someone else (an agency, the pupil)",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            RaisedBy::Staff => "staff",
            RaisedBy::Parent => "parent",
            RaisedBy::Senco => "senco",
            RaisedBy::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<RaisedBy> {
        RaisedBy::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// What the SENCO decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Outcome {
    NoFurtherAction,
    Monitor,
    SenSupport,
    RequestEhcAssessment,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [
        Outcome::NoFurtherAction,
        Outcome::Monitor,
        Outcome::SenSupport,
        Outcome::RequestEhcAssessment,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Outcome::NoFurtherAction => "nfa",
            Outcome::Monitor => "monitor",
            Outcome::SenSupport => "sen-support",
            Outcome::RequestEhcAssessment => "ehc-request",
        }
    }

    pub fn from_code(code: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.code() == code)
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Outcome::NoFurtherAction => "No further action",
            Outcome::Monitor => "Monitor",
            Outcome::SenSupport => "SEN support",
            Outcome::RequestEhcAssessment => "Request an EHC needs assessment",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub outcome: Outcome,
    #[serde(with = "super::dates::iso_date")]
    pub on: NaiveDate,
    #[serde(default)]
    pub note: String,
    #[serde(with = "super::dates::timestamp")]
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Concern {
    /// Given when first saved (see [`super::record_id`]); blank until then.
    #[serde(default)]
    pub id: String,
    #[serde(with = "super::dates::iso_date")]
    pub raised_on: NaiveDate,
    pub raised_by: RaisedBy,
    /// Who raised it, by name or role: "Mrs Patel (Year 3 teacher)".
    pub raised_by_name: String,
    pub area: Option<BroadArea>,
    /// What was seen.
    pub seen: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub actions: String,
    #[serde(default)]
    pub decision: Option<Decision>,
    /// Decisions recorded on other copies of the desk before they were merged: the latest
    /// is `decision`, and none is lost.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_decisions: Vec<Decision>,
    #[serde(with = "super::dates::timestamp")]
    pub recorded_at: DateTime<Utc>,
}

/// The longest text in any one box of the concern form.
pub const MAX_CONCERN_TEXT: usize = 4_000;

impl Concern {
    pub fn is_open(&self) -> bool {
        self.decision.is_none()
    }

    /// Days since it was raised.
    pub fn age_days(&self, today: NaiveDate) -> i64 {
        (today - self.raised_on).num_days().max(0)
    }

    /// Checks a concern typed in the form: every problem with its field id.
    pub fn validate(
        &self,
        born: impl Into<Option<NaiveDate>>,
        today: NaiveDate,
    ) -> Result<(), Vec<(&'static str, String)>> {
        let born: Option<NaiveDate> = born.into();
        let mut problems = Vec::new();
        if self.raised_on > today {
            problems.push(("concern-date", "The date is in the future.".to_string()));
        } else if born.is_some_and(|born| self.raised_on < born) {
            problems.push((
                "concern-date",
                "The date is before the pupil's date of birth.".to_string(),
            ));
        }
        if self.raised_by_name.trim().is_empty() {
            problems.push((
                "concern-raised-by-name",
                "Enter who raised the concern.".to_string(),
            ));
        }
        if self.seen.trim().is_empty() {
            problems.push(("concern-seen", "Describe what was seen.".to_string()));
        }
        for (field, text) in [
            ("concern-raised-by-name", &self.raised_by_name),
            ("concern-seen", &self.seen),
            ("concern-evidence", &self.evidence),
            ("concern-actions", &self.actions),
        ] {
            if text.chars().count() > MAX_CONCERN_TEXT {
                problems.push((
                    field,
                    format!("This is too long: at most {MAX_CONCERN_TEXT} characters."),
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionError {
    NoSuchConcern,
    AlreadyDecided,
    BeforeRaised,
    InTheFuture,
    TooLong,
}

impl fmt::Display for DecisionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecisionError::NoSuchConcern => write!(f, "That concern is no longer on file."),
            DecisionError::AlreadyDecided => write!(f, "This concern has already been decided."),
            DecisionError::BeforeRaised => {
                write!(f, "The decision date is before the concern was raised.")
            }
            DecisionError::InTheFuture => write!(f, "The decision date is in the future."),
            DecisionError::TooLong => write!(
                f,
                "The note is too long: at most {MAX_CONCERN_TEXT} characters."
            ),
        }
    }
}

/// Records a decision on a concern and the status change it implies:
/// monitor makes a pupil with no SEN "Monitoring"; SEN support, or a request for an EHC
/// needs assessment (support continues while the LA decides), puts a pupil on SEN support
/// unless they are already on it or have a plan; no further action ends monitoring,
/// unless another concern's decision started it. Returns the status change made, if any.
pub fn decide_concern(
    concerns: &mut [Concern],
    index: usize,
    sen: &mut SenRecord,
    decision: Decision,
    born: impl Into<Option<NaiveDate>>,
    today: NaiveDate,
) -> Result<Option<SenStatus>, DecisionError> {
    let since = sen.status_since(decision.on);
    let monitored_for_another = concerns.iter().enumerate().any(|(i, c)| {
        i != index
            && c.decision
                .as_ref()
                .is_some_and(|d| d.outcome == Outcome::Monitor && Some(d.on) == since)
    });
    let concern = concerns
        .get_mut(index)
        .ok_or(DecisionError::NoSuchConcern)?;
    decide(concern, sen, decision, monitored_for_another, born, today)
}

fn decide(
    concern: &mut Concern,
    sen: &mut SenRecord,
    decision: Decision,
    monitored_for_another: bool,
    born: impl Into<Option<NaiveDate>>,
    today: NaiveDate,
) -> Result<Option<SenStatus>, DecisionError> {
    if concern.decision.is_some() {
        return Err(DecisionError::AlreadyDecided);
    }
    if decision.on < concern.raised_on {
        return Err(DecisionError::BeforeRaised);
    }
    if decision.on > today {
        return Err(DecisionError::InTheFuture);
    }
    if decision.note.chars().count() > MAX_CONCERN_TEXT {
        return Err(DecisionError::TooLong);
    }
    let before = sen.status_on(decision.on);
    let after = match (decision.outcome, before) {
        (Outcome::Monitor, SenStatus::NoSen) => Some(SenStatus::Monitoring),
        (
            Outcome::SenSupport | Outcome::RequestEhcAssessment,
            SenStatus::NoSen | SenStatus::Monitoring,
        ) => Some(SenStatus::SenSupport),
        (Outcome::NoFurtherAction, SenStatus::Monitoring) if !monitored_for_another => {
            Some(SenStatus::NoSen)
        }
        _ => None,
    };
    if let Some(status) = after {
        let change = StatusChange {
            from: decision.on,
            status,
            reason: format!(
                "Decision on the concern raised {}: {}",
                format_uk(concern.raised_on),
                decision.outcome
            ),
            recorded_at: decision.recorded_at,
        };
        sen.record_status(change, born, today)
            .map_err(|_| DecisionError::InTheFuture)?;
    }
    concern.decision = Some(decision);
    Ok(after)
}

impl Zeroize for Concern {
    fn zeroize(&mut self) {
        self.raised_by_name.zeroize();
        self.seen.zeroize();
        self.evidence.zeroize();
        self.actions.zeroize();
        if let Some(decision) = &mut self.decision {
            decision.note.zeroize();
        }
        for decision in &mut self.other_decisions {
            decision.note.zeroize();
        }
        self.raised_on = NaiveDate::MIN;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32, m: u32, y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
    fn born() -> NaiveDate {
        day(14, 5, 2018)
    }
    fn today() -> NaiveDate {
        day(23, 11, 2026)
    }
    fn concern() -> Concern {
        Concern {
            id: String::new(),
            other_decisions: Vec::new(),
            raised_on: day(2, 10, 2026),
            raised_by: RaisedBy::Staff,
            raised_by_name: "Mrs Patel".into(),
            area: Some(BroadArea::CommunicationAndInteraction),
            seen: "Struggles to follow two-step instructions".into(),
            evidence: "Observation 05/10".into(),
            actions: "Visual timetable".into(),
            decision: None,
            recorded_at: DateTime::from_timestamp(1_790_000_000, 0).unwrap(),
        }
    }
    fn decision(outcome: Outcome, on: NaiveDate) -> Decision {
        Decision {
            outcome,
            on,
            note: String::new(),
            recorded_at: DateTime::from_timestamp(1_790_100_000, 0).unwrap(),
        }
    }

    #[test]
    fn each_decision_moves_the_status_as_a_senco_expects() {
        let cases = [
            (
                SenStatus::NoSen,
                Outcome::Monitor,
                Some(SenStatus::Monitoring),
            ),
            (
                SenStatus::NoSen,
                Outcome::SenSupport,
                Some(SenStatus::SenSupport),
            ),
            (
                SenStatus::Monitoring,
                Outcome::SenSupport,
                Some(SenStatus::SenSupport),
            ),
            (
                SenStatus::NoSen,
                Outcome::RequestEhcAssessment,
                Some(SenStatus::SenSupport),
            ),
            (
                SenStatus::Monitoring,
                Outcome::NoFurtherAction,
                Some(SenStatus::NoSen),
            ),
            (SenStatus::NoSen, Outcome::NoFurtherAction, None),
            (SenStatus::SenSupport, Outcome::Monitor, None),
            (SenStatus::EhcPlan, Outcome::SenSupport, None),
            (SenStatus::SenSupport, Outcome::RequestEhcAssessment, None),
        ];
        for (start, outcome, expected) in cases {
            let mut sen = SenRecord::default();
            if start != SenStatus::NoSen {
                sen.record_status(
                    StatusChange {
                        from: day(1, 9, 2025),
                        status: start,
                        reason: String::new(),
                        recorded_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
                    },
                    born(),
                    today(),
                )
                .unwrap();
            }
            let mut c = concern();
            let made = decide(
                &mut c,
                &mut sen,
                decision(outcome, day(20, 11, 2026)),
                false,
                born(),
                today(),
            )
            .unwrap();
            assert_eq!(made, expected, "{start:?} then {outcome:?}");
            assert_eq!(
                sen.status_on(today()),
                expected.unwrap_or(start),
                "{start:?} then {outcome:?}"
            );
            assert!(!c.is_open());
            if expected.is_some() {
                let last = sen.status_changes.last().unwrap();
                assert_eq!(last.from, day(20, 11, 2026));
                assert!(last.reason.contains("02/10/2026"), "{}", last.reason);
            }
        }
    }

    #[test]
    fn a_decision_is_dated_between_the_concern_and_today_and_made_once() {
        let mut sen = SenRecord::default();
        let mut c = concern();
        assert_eq!(
            decide(
                &mut c,
                &mut sen,
                decision(Outcome::Monitor, day(1, 10, 2026)),
                false,
                born(),
                today()
            ),
            Err(DecisionError::BeforeRaised)
        );
        assert_eq!(
            decide(
                &mut c,
                &mut sen,
                decision(Outcome::Monitor, day(24, 11, 2026)),
                false,
                born(),
                today()
            ),
            Err(DecisionError::InTheFuture)
        );
        assert!(c.is_open() && sen.status_changes.is_empty());
        decide(
            &mut c,
            &mut sen,
            decision(Outcome::Monitor, day(2, 10, 2026)),
            false,
            born(),
            today(),
        )
        .unwrap();
        assert_eq!(
            decide(
                &mut c,
                &mut sen,
                decision(Outcome::SenSupport, day(3, 10, 2026)),
                false,
                born(),
                today()
            ),
            Err(DecisionError::AlreadyDecided)
        );
        assert_eq!(sen.status_on(today()), SenStatus::Monitoring);
    }

    #[test]
    fn no_further_action_leaves_monitoring_that_another_concern_started() {
        let mut sen = SenRecord::default();
        let mut concerns = vec![concern(), concern()];
        concerns[1].raised_on = day(5, 10, 2026);
        decide_concern(
            &mut concerns,
            0,
            &mut sen,
            decision(Outcome::Monitor, day(9, 10, 2026)),
            born(),
            today(),
        )
        .unwrap();
        let made = decide_concern(
            &mut concerns,
            1,
            &mut sen,
            decision(Outcome::NoFurtherAction, day(20, 11, 2026)),
            born(),
            today(),
        )
        .unwrap();
        assert_eq!(made, None);
        assert_eq!(sen.status_on(today()), SenStatus::Monitoring);
        // Decided the same day as the other concern's "monitor": still that concern's monitoring.
        let mut sen = SenRecord::default();
        let mut concerns = vec![concern()];
        decide_concern(
            &mut concerns,
            0,
            &mut sen,
            decision(Outcome::Monitor, day(9, 10, 2026)),
            born(),
            today(),
        )
        .unwrap();
        concerns.push(concern());
        decide_concern(
            &mut concerns,
            1,
            &mut sen,
            decision(Outcome::NoFurtherAction, day(9, 10, 2026)),
            born(),
            today(),
        )
        .unwrap();
        assert_eq!(
            sen.status_on(today()),
            SenStatus::Monitoring,
            "same day as the other's monitor"
        );
        assert_eq!(
            decide_concern(
                &mut concerns,
                5,
                &mut sen,
                decision(Outcome::Monitor, day(9, 10, 2026)),
                born(),
                today()
            ),
            Err(DecisionError::NoSuchConcern)
        );
    }

    #[test]
    fn open_concerns_know_their_age_and_forms_are_checked() {
        let c = concern();
        assert_eq!(c.age_days(today()), 52);
        assert!(c.validate(born(), today()).is_ok());
        let mut bad = concern();
        bad.raised_by_name = " ".into();
        bad.seen = String::new();
        bad.raised_on = day(1, 12, 2026);
        let fields: Vec<_> = bad
            .validate(born(), today())
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            ["concern-date", "concern-raised-by-name", "concern-seen"]
        );
    }
}
