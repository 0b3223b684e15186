//! Reading what the SENCO types into the provision set-up: a member of staff, a rate, and
//! a school year's terms and closure days. Each problem is tied to the field it belongs to,
//! so the screen can show it there; nothing is read until everything is sound.

use super::calendar::{CalendarProblem, Closure, DayPart, SchoolYearDates, Term};
use super::money::Pence;
use super::setup::{
    MOST_CLOSURES, MOST_NAME_CHARS, MOST_REASON_CHARS, MOST_TERMS, MOST_TERM_NAME_CHARS,
};
use crate::domain::dates::parse_date;

/// A person's name as typed: trimmed, not empty, not too long.
pub fn read_staff_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name.is_empty() {
        return Err("Enter the person's name".into());
    }
    if name.chars().count() > MOST_NAME_CHARS {
        return Err(format!(
            "Enter a name of at most {MOST_NAME_CHARS} characters"
        ));
    }
    Ok(name.to_string())
}

/// A rate an hour that may be left blank (not set).
pub fn read_optional_rate(text: &str) -> Result<Option<Pence>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    Pence::parse(text).map(Some).map_err(|e| e.to_string())
}

/// The notional SEN budget's threshold as typed: an amount above nothing, since every
/// pupil with any provision would otherwise be listed as near it.
pub fn read_threshold(text: &str) -> Result<Pence, String> {
    match Pence::parse(text) {
        Ok(Pence(0)) => Err("Enter a threshold of more than £0, such as 6000.00".into()),
        Ok(amount) => Ok(amount),
        Err(e) => Err(e.to_string()),
    }
}

/// An amount as a form shows it to edit: "14.37" (no pound sign or commas, which the
/// field's label already says).
pub fn amount_for_editing(amount: Pence) -> String {
    format!("{}.{:02}", amount.0 / 100, amount.0 % 100)
}

impl DayPart {
    pub const ALL: [DayPart; 3] = [DayPart::Whole, DayPart::Morning, DayPart::Afternoon];

    pub fn label(self) -> &'static str {
        match self {
            DayPart::Whole => "Whole day",
            DayPart::Morning => "Morning only",
            DayPart::Afternoon => "Afternoon only",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            DayPart::Whole => "whole",
            DayPart::Morning => "morning",
            DayPart::Afternoon => "afternoon",
        }
    }

    pub fn from_code(code: &str) -> Option<DayPart> {
        DayPart::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// One term's row as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermEntry {
    pub name: String,
    pub starts: String,
    pub ends: String,
}

/// One closure's row as typed; `part` is a [`DayPart::code`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClosureEntry {
    pub on: String,
    pub part: String,
    pub reason: String,
}

impl TermEntry {
    /// A row with neither date is left out (a named row the school did not need).
    fn is_blank(&self) -> bool {
        self.starts.trim().is_empty() && self.ends.trim().is_empty()
    }
}

impl ClosureEntry {
    fn is_blank(&self) -> bool {
        self.on.trim().is_empty() && self.reason.trim().is_empty()
    }
}

/// The field a problem belongs to: a row (by its place among the rows typed) and its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearField {
    TermName(usize),
    TermStarts(usize),
    TermEnds(usize),
    ClosureOn(usize),
    ClosureReason(usize),
}

pub type YearProblem = (YearField, String);

const DATE_HINT: &str = "as dd/mm/yyyy, such as 03/09/2026";

fn read_day(text: &str, what: &str) -> Result<chrono::NaiveDate, String> {
    if text.trim().is_empty() {
        return Err(format!("Enter the {what}"));
    }
    parse_date(text).ok_or_else(|| format!("Enter the {what} {DATE_HINT}"))
}

/// Reads a school year's rows into its dates and checks them (see
/// [`SchoolYearDates::check`]). Every problem is returned, each with its field; blank rows
/// are left out. `to_check` is kept as given.
pub fn read_year(
    starts_in: i32,
    terms: &[TermEntry],
    closures: &[ClosureEntry],
    to_check: bool,
) -> Result<SchoolYearDates, Vec<YearProblem>> {
    let mut problems = Vec::new();
    let mut read_terms = Vec::new();
    let mut term_rows = Vec::new();
    for (row, entry) in terms.iter().enumerate().filter(|(_, e)| !e.is_blank()) {
        let name = entry.name.trim();
        if name.is_empty() {
            problems.push((YearField::TermName(row), "Enter the term's name".into()));
        } else if name.chars().count() > MOST_TERM_NAME_CHARS {
            problems.push((
                YearField::TermName(row),
                format!("Enter a name of at most {MOST_TERM_NAME_CHARS} characters"),
            ));
        }
        let starts = read_day(&entry.starts, "term's first day")
            .map_err(|e| problems.push((YearField::TermStarts(row), e)));
        let ends = read_day(&entry.ends, "term's last day")
            .map_err(|e| problems.push((YearField::TermEnds(row), e)));
        if let (Ok(starts), Ok(ends)) = (starts, ends) {
            read_terms.push(Term {
                name: name.to_string(),
                starts,
                ends,
            });
            term_rows.push(row);
        }
    }
    if terms.iter().filter(|e| !e.is_blank()).count() > MOST_TERMS {
        problems.push((
            YearField::TermName(0),
            format!("A school year has at most {MOST_TERMS} terms"),
        ));
    }
    let mut read_closures = Vec::new();
    let mut closure_rows = Vec::new();
    for (row, entry) in closures.iter().enumerate().filter(|(_, e)| !e.is_blank()) {
        let reason = entry.reason.trim();
        if reason.chars().count() > MOST_REASON_CHARS {
            problems.push((
                YearField::ClosureReason(row),
                format!("Enter a reason of at most {MOST_REASON_CHARS} characters"),
            ));
        }
        let part = DayPart::from_code(&entry.part).unwrap_or(DayPart::Whole);
        match read_day(&entry.on, "date the school is closed") {
            Ok(on) => {
                read_closures.push(Closure {
                    on,
                    part,
                    reason: reason.to_string(),
                });
                closure_rows.push(row);
            }
            Err(e) => problems.push((YearField::ClosureOn(row), e)),
        }
    }
    if closures.iter().filter(|e| !e.is_blank()).count() > MOST_CLOSURES {
        problems.push((
            YearField::ClosureOn(0),
            format!("A school year has at most {MOST_CLOSURES} closure days"),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let dates = SchoolYearDates {
        starts_in,
        terms: read_terms,
        closures: read_closures,
        to_check,
    };
    match dates.check() {
        Ok(()) => Ok(dates),
        Err(problem) => {
            let field = field_of(&problem, &dates, &term_rows, &closure_rows);
            Err(vec![(field, problem.to_string())])
        }
    }
}

/// The field a calendar problem is about: the term or closure it names.
fn field_of(
    problem: &CalendarProblem,
    dates: &SchoolYearDates,
    term_rows: &[usize],
    closure_rows: &[usize],
) -> YearField {
    let term_row = |name: &str| {
        dates
            .terms
            .iter()
            .position(|t| t.name == name)
            .map_or(0, |i| term_rows[i])
    };
    let closure_row = |on| {
        dates
            .closures
            .iter()
            .position(|c| c.on == on)
            .map_or(0, |i| closure_rows[i])
    };
    match problem {
        CalendarProblem::NoTerms => YearField::TermStarts(0),
        CalendarProblem::EndsBeforeStarts { term } => YearField::TermEnds(term_row(term)),
        CalendarProblem::Overlap { second, .. } => YearField::TermStarts(term_row(second)),
        CalendarProblem::OutsideTheYear { term } => {
            let row = term_row(term);
            let year_ends = chrono::NaiveDate::from_ymd_opt(dates.starts_in + 1, 8, 31);
            let term = dates.terms.iter().find(|t| t.name == *term);
            if term.is_some_and(|t| Some(t.ends) > year_ends) {
                YearField::TermEnds(row)
            } else {
                YearField::TermStarts(row)
            }
        }
        CalendarProblem::ClosureOutsideTerms { on } | CalendarProblem::ClosureAtWeekend { on } => {
            YearField::ClosureOn(closure_row(*on))
        }
    }
}

/// A year's dates as rows to edit: dates shown as 03/09/2026.
pub fn year_entries(dates: &SchoolYearDates) -> (Vec<TermEntry>, Vec<ClosureEntry>) {
    use crate::domain::dates::format_uk;
    let terms = dates
        .terms
        .iter()
        .map(|t| TermEntry {
            name: t.name.clone(),
            starts: format_uk(t.starts),
            ends: format_uk(t.ends),
        })
        .collect();
    let closures = dates
        .closures
        .iter()
        .map(|c| ClosureEntry {
            on: format_uk(c.on),
            part: c.part.code().to_string(),
            reason: c.reason.clone(),
        })
        .collect();
    (terms, closures)
}

/// The usual six terms' names, for a year entered afresh.
pub const USUAL_TERMS: [&str; 6] = [
    "Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2",
];
