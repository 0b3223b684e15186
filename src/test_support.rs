//! Pupils for the native tests of more than one module.

use crate::domain::{Desk, Pupil, PupilId, Upn, YearGroup};
use chrono::NaiveDate;

/// A pupil in Year 4 with a valid UPN; the id is left for the desk to give.
pub fn pupil(forename: &str, surname: &str) -> Pupil {
    Pupil {
        upn: Some(valid_upn()),
        ..Pupil::new(
            PupilId(String::new()),
            forename,
            surname,
            NaiveDate::from_ymd_opt(2017, 9, 14).unwrap(),
            YearGroup::Year(4),
        )
    }
}

/// A valid UPN, its check letter found rather than hard-coded.
pub fn valid_upn() -> Upn {
    ('A'..='Z')
        .find_map(|letter| Upn::parse(&format!("{letter}801200001001")).ok())
        .expect("some check letter is valid")
}

/// The pupils on a desk with this surname, in register order.
pub fn with_surname<'a>(desk: &'a Desk, surname: &str) -> Vec<&'a Pupil> {
    desk.pupils_by_surname()
        .into_iter()
        .filter(|p| p.surname == surname)
        .collect()
}
