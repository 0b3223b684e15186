//! One row of an MIS export read into a pupil's details, with every problem found.

use crate::domain::{Gender, NeedType, SenStatus, Upn, YearGroup};
use chrono::NaiveDate;

/// A UPN cell: checked, or kept as written when its check fails (so it can be flagged
/// and corrected, not silently accepted or dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpnCell {
    Valid(Upn),
    Unchecked { written: String, reason: String },
}

/// What one row says about a pupil. `None` means the column was not mapped or the cell
/// was blank: the import then leaves that detail as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPupil {
    /// The line in the file where the row starts (1 is the heading line).
    pub line: usize,
    pub forename: String,
    pub surname: String,
    pub preferred_forename: Option<String>,
    pub date_of_birth: NaiveDate,
    pub year_group: YearGroup,
    pub upn: Option<UpnCell>,
    pub class_name: Option<String>,
    pub gender: Option<Gender>,
    pub admitted: Option<NaiveDate>,
    pub sen_status: Option<SenStatus>,
    pub primary_need: Option<NeedType>,
    pub secondary_need: Option<NeedType>,
    pub free_school_meals: Option<bool>,
    pub pupil_premium: Option<bool>,
    pub eal: Option<bool>,
    pub looked_after: Option<bool>,
}

/// Whether a problem stops the row being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The row is skipped: nothing from it is written.
    Skipped,
    /// The row is imported; this one detail is set aside (and said so).
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub severity: Severity,
    /// Plain words naming the column and what is wrong: "Date of birth \u{201c}31/02/2018\u{201d} is
    /// not a date".
    pub message: String,
}

/// A row read: the pupil (None when the row is skipped) and its problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowReading {
    pub pupil: Option<ImportedPupil>,
    pub problems: Vec<RowProblem>,
}
