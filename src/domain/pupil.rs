//! A pupil and their file: the record kept for each child.

use super::dates::parse_date;
use super::upn::Upn;
use super::year_group::YearGroup;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use zeroize::Zeroize;

/// A pupil's id: random, stable, and meaningless outside this desk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PupilId(pub String);

impl fmt::Display for PupilId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who the pupil is. Later issues add SEN status, needs and contacts beside this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pupil {
    pub id: PupilId,
    pub forename: String,
    pub surname: String,
    #[serde(with = "super::dates::iso_date")]
    pub date_of_birth: NaiveDate,
    pub year_group: YearGroup,
    pub upn: Option<Upn>,
}

impl Pupil {
    /// "Surname, Forename", the way registers list pupils.
    pub fn sort_name(&self) -> String {
        format!("{}, {}", self.surname, self.forename)
    }

    /// "Forename Surname", the way people speak of a pupil.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.forename, self.surname)
    }
}

/// A dated entry in a pupil's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    #[serde(with = "super::dates::iso_date")]
    pub date: NaiveDate,
    pub author: String,
    pub text: String,
}

/// Everything kept about one pupil: stored as one record, so an edit rewrites only this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilFile {
    pub pupil: Pupil,
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Counts saves, so an edit made against an older copy is noticed, not silently lost.
    pub revision: u64,
    #[serde(with = "super::dates::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "super::dates::timestamp")]
    pub updated_at: DateTime<Utc>,
}

impl PupilFile {
    pub fn new(pupil: Pupil, now: DateTime<Utc>) -> PupilFile {
        PupilFile {
            pupil,
            notes: Vec::new(),
            revision: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

// Decrypted records are wiped on lock. Dates are overwritten too: a date of birth identifies.
impl Zeroize for Pupil {
    fn zeroize(&mut self) {
        self.id.0.zeroize();
        self.forename.zeroize();
        self.surname.zeroize();
        self.date_of_birth = NaiveDate::MIN;
        if let Some(upn) = self.upn.take() {
            String::from(upn).zeroize();
        }
    }
}

impl Zeroize for PupilFile {
    fn zeroize(&mut self) {
        self.pupil.zeroize();
        for note in &mut self.notes {
            note.author.zeroize();
            note.text.zeroize();
            note.date = NaiveDate::MIN;
        }
        self.notes.clear();
    }
}

/// The pupil form as typed, before validation. Keeping the raw text means nothing the
/// user typed is lost when a save fails.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PupilDraft {
    pub forename: String,
    pub surname: String,
    /// dd/mm/yyyy as typed (yyyy-mm-dd is accepted too).
    pub date_of_birth: String,
    /// A year group code: N1, N2, R, 1 … 14.
    pub year_group: String,
    pub upn: String,
}

/// A form field, so an error can be shown next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PupilField {
    Forename,
    Surname,
    DateOfBirth,
    YearGroup,
    Upn,
}

/// Something wrong with a draft, worded for the person filling the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilProblem {
    pub field: PupilField,
    pub message: String,
}

/// The longest name the form accepts: generous for any real name, small enough to stay fast.
const MAX_NAME_CHARS: usize = 100;

impl PupilDraft {
    pub fn from_pupil(pupil: &Pupil) -> PupilDraft {
        PupilDraft {
            forename: pupil.forename.clone(),
            surname: pupil.surname.clone(),
            date_of_birth: super::dates::format_uk(pupil.date_of_birth),
            year_group: pupil.year_group.code(),
            upn: pupil
                .upn
                .as_ref()
                .map(|u| u.to_string())
                .unwrap_or_default(),
        }
    }

    /// Checks every field and returns the pupil, or every problem at once.
    pub fn validate(&self, id: PupilId, today: NaiveDate) -> Result<Pupil, Vec<PupilProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field, message: String| problems.push(PupilProblem { field, message });

        let forename = self.forename.trim().to_string();
        let surname = self.surname.trim().to_string();
        for (field, value, label) in [
            (PupilField::Forename, &forename, "forename"),
            (PupilField::Surname, &surname, "surname"),
        ] {
            if value.is_empty() {
                problem(field, format!("Enter the pupil's {label}."));
            } else if value.chars().count() > MAX_NAME_CHARS {
                problem(
                    field,
                    format!("The {label} is too long: at most {MAX_NAME_CHARS} characters."),
                );
            }
        }

        let date_of_birth = if self.date_of_birth.trim().is_empty() {
            problem(
                PupilField::DateOfBirth,
                "Enter the date of birth, for example 23/11/2019.".into(),
            );
            None
        } else {
            match parse_date(&self.date_of_birth) {
                None => {
                    problem(
                        PupilField::DateOfBirth,
                        "That is not a date: write it as day/month/year, for example 23/11/2019."
                            .into(),
                    );
                    None
                }
                Some(date) if date > today => {
                    problem(
                        PupilField::DateOfBirth,
                        "The date of birth is in the future.".into(),
                    );
                    None
                }
                Some(date) if today.year() - date.year() > 30 => {
                    problem(
                        PupilField::DateOfBirth,
                        "That date of birth makes the pupil over 30: check the year.".into(),
                    );
                    None
                }
                Some(date) => Some(date),
            }
        };

        let year_group = match YearGroup::from_code(&self.year_group) {
            Some(year) => Some(year),
            None => {
                problem(PupilField::YearGroup, "Choose a year group.".into());
                None
            }
        };

        let upn = if self.upn.trim().is_empty() {
            None
        } else {
            match Upn::parse(&self.upn) {
                Ok(upn) => Some(upn),
                Err(reason) => {
                    problem(PupilField::Upn, reason.to_string());
                    None
                }
            }
        };

        match (date_of_birth, year_group) {
            (Some(date_of_birth), Some(year_group)) if problems.is_empty() => Ok(Pupil {
                id,
                forename,
                surname,
                date_of_birth,
                year_group,
                upn,
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn draft() -> PupilDraft {
        PupilDraft {
            forename: " Amira ".into(),
            surname: "Okafor".into(),
            date_of_birth: "2018-05-14".into(),
            year_group: "3".into(),
            upn: "B801200005001".into(),
        }
    }

    #[test]
    fn a_complete_draft_becomes_a_pupil_with_trimmed_names() {
        let pupil = draft().validate(PupilId("p-1".into()), today()).unwrap();
        assert_eq!(pupil.forename, "Amira");
        assert_eq!(pupil.sort_name(), "Okafor, Amira");
        assert_eq!(pupil.year_group, YearGroup::Year(3));
        assert_eq!(pupil.upn.unwrap().as_str(), "B801200005001");
    }

    #[test]
    fn upn_is_optional_but_checked_when_given() {
        let mut d = draft();
        d.upn = "  ".into();
        assert_eq!(d.validate(PupilId("p".into()), today()).unwrap().upn, None);
        d.upn = "A801200005001".into();
        let problems = d.validate(PupilId("p".into()), today()).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, PupilField::Upn);
        assert!(problems[0].message.contains("check letter"));
    }

    #[test]
    fn every_problem_is_reported_against_its_field() {
        let empty = PupilDraft::default();
        let problems = empty.validate(PupilId("p".into()), today()).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                PupilField::Forename,
                PupilField::Surname,
                PupilField::DateOfBirth,
                PupilField::YearGroup
            ]
        );
    }

    #[test]
    fn refuses_future_and_implausible_dates_of_birth() {
        let mut d = draft();
        d.date_of_birth = "24/11/2026".into();
        let problems = d.validate(PupilId("p".into()), today()).unwrap_err();
        assert!(problems[0].message.contains("future"));
        d.date_of_birth = "1980-01-01".into();
        let problems = d.validate(PupilId("p".into()), today()).unwrap_err();
        assert!(problems[0].message.contains("over 30"));
        d.date_of_birth = "30/02/2019".into();
        let problems = d.validate(PupilId("p".into()), today()).unwrap_err();
        assert!(problems[0].message.contains("not a date"));
    }

    #[test]
    fn a_draft_made_from_a_pupil_validates_back_to_the_same_pupil() {
        let pupil = draft().validate(PupilId("p-9".into()), today()).unwrap();
        let draft = PupilDraft::from_pupil(&pupil);
        // The form shows the date the British way.
        assert_eq!(
            draft.date_of_birth,
            crate::domain::dates::format_uk(pupil.date_of_birth)
        );
        let again = draft.validate(PupilId("p-9".into()), today()).unwrap();
        assert_eq!(again, pupil);
    }

    #[test]
    fn zeroize_wipes_everything_identifying() {
        let pupil = draft().validate(PupilId("p-2".into()), today()).unwrap();
        let mut file = PupilFile::new(pupil, Utc::now());
        file.notes.push(Note {
            date: today(),
            author: "SENCO".into(),
            text: "Met parents".into(),
        });
        file.zeroize();
        assert!(file.pupil.forename.is_empty() && file.pupil.surname.is_empty());
        assert_eq!(file.pupil.upn, None);
        assert_eq!(file.pupil.date_of_birth, NaiveDate::MIN);
        assert!(file.notes.is_empty());
    }
}
