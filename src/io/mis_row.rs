//! One row of an MIS export read into a pupil's details, with every problem found.

use super::csv_text::TableRow;
use super::mis_columns::{ImportField, Mapping};
use crate::domain::dates::parse_date_loose;
use crate::domain::pupil::parse_yes_no;
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
    /// None when the cell is not a usable date but the row has a valid UPN: the pupil is
    /// imported with the date of birth blank, "to correct", rather than lost.
    pub date_of_birth: Option<NaiveDate>,
    pub year_group: YearGroup,
    pub upn: Option<UpnCell>,
    pub class_name: Option<String>,
    pub gender: Option<Gender>,
    pub admitted: Option<NaiveDate>,
    /// When the SEN status began, from an "SEN Start Date" column.
    pub sen_start: Option<NaiveDate>,
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
    /// The row is imported as it is, but something in it looks wrong: check it.
    Check,
}

impl Severity {
    /// What happens to the row, for the preview and the import report.
    pub fn outcome(self) -> &'static str {
        match self {
            Severity::Skipped => "Row skipped",
            Severity::Warning => "Imported without this detail",
            Severity::Check => "Imported: check this",
        }
    }
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

/// The oldest a pupil can be: an older date of birth is a mistyped or misread one.
const OLDEST_AGE: u32 = 30;

/// Reads one row through the mapping. A row without a surname, forename, usable date of
/// birth or year group is skipped, with every such problem said; any other detail that
/// cannot be read is left out with a warning, except a UPN, which is kept unchecked.
/// The longest name or class an import takes: the pupil form's limit, which backups check.
pub const MAX_TEXT_CHARS: usize = 100;

pub fn read_row(row: &TableRow, mapping: &Mapping, today: NaiveDate) -> RowReading {
    let mut reader = Reader {
        row,
        mapping,
        today,
        problems: Vec::new(),
    };
    reader.read()
}

struct Reader<'a> {
    row: &'a TableRow,
    mapping: &'a Mapping,
    today: NaiveDate,
    problems: Vec<RowProblem>,
}

/// A cell as the message quotes it: “3B”.
fn quoted(cell: &str) -> String {
    format!("\u{201c}{cell}\u{201d}")
}

impl Reader<'_> {
    /// The cell of the first column mapped to `field`, its runs of spaces and line breaks
    /// made single spaces; None when the column is unmapped or the cell blank.
    fn cell(&self, field: ImportField) -> Option<String> {
        let column = self.mapping.iter().position(|m| *m == Some(field))?;
        let cell = self.row.cells.get(column)?;
        let cell = cell.split_whitespace().collect::<Vec<_>>().join(" ");
        (!cell.is_empty()).then_some(cell)
    }

    fn problem(&mut self, severity: Severity, message: String) {
        self.problems.push(RowProblem {
            line: self.row.line,
            severity,
            message,
        });
    }

    fn skip(&mut self, message: String) {
        self.problem(Severity::Skipped, format!("{message}; the row is skipped."));
    }

    fn leave_out(&mut self, field: ImportField, cell: &str, why: &str) {
        self.problem(
            Severity::Warning,
            format!("{} {} {why}; left out.", field.label(), quoted(cell)),
        );
    }

    fn required_name(&mut self, field: ImportField) -> Option<String> {
        let name = self.cell(field);
        match &name {
            None => self.skip(format!("{} is blank", field.label())),
            Some(text) if text.chars().count() > MAX_TEXT_CHARS => {
                self.skip(format!(
                    "{} is longer than {MAX_TEXT_CHARS} characters: is the right column chosen?",
                    field.label()
                ));
                return None;
            }
            Some(_) => {}
        }
        name
    }

    /// An optional text cell, left out when longer than the pupil form allows.
    fn short_text(&mut self, field: ImportField) -> Option<String> {
        let cell = self.cell(field)?;
        if cell.chars().count() > MAX_TEXT_CHARS {
            let start: String = cell.chars().take(20).collect();
            self.leave_out(
                field,
                &format!("{start}\u{2026}"),
                &format!("is longer than {MAX_TEXT_CHARS} characters"),
            );
            return None;
        }
        Some(cell)
    }

    /// Whether the row's UPN passes its check: a row with a valid name and UPN is never
    /// skipped for a bad date of birth, since the UPN says who the pupil is.
    fn has_valid_upn(&self) -> bool {
        self.cell(ImportField::Upn)
            .is_some_and(|cell| cell.chars().count() <= 20 && Upn::parse(&cell).is_ok())
    }

    /// The date of birth: Some(Some(date)), Some(None) when it is unusable but the row has
    /// a valid UPN (imported blank, to correct), or None when the row is skipped.
    fn date_of_birth(&mut self) -> Option<Option<NaiveDate>> {
        let label = ImportField::DateOfBirth.label();
        let problem = match self.cell(ImportField::DateOfBirth) {
            None => format!("{label} is blank"),
            Some(cell) => match parse_date_loose(&cell, self.today) {
                None => format!("{label} {} is not a date", quoted(&cell)),
                Some(date) if date > self.today => {
                    format!("{label} {} is in the future", quoted(&cell))
                }
                Some(date) => {
                    let age = self.today.years_since(date).unwrap_or(0);
                    if age <= OLDEST_AGE {
                        return Some(Some(date));
                    }
                    format!(
                        "{label} {} would make the pupil {age}, older than {OLDEST_AGE}",
                        quoted(&cell)
                    )
                }
            },
        };
        if self.has_valid_upn() {
            self.problem(
                Severity::Warning,
                format!("{problem}; the pupil is imported without it (a new pupil's date of birth is left blank, to correct)."),
            );
            Some(None)
        } else {
            self.skip(problem);
            None
        }
    }

    fn sen_start(&mut self) -> Option<NaiveDate> {
        let cell = self.cell(ImportField::SenStartDate)?;
        match parse_date_loose(&cell, self.today) {
            Some(date) if date <= self.today => Some(date),
            Some(_) => {
                self.leave_out(ImportField::SenStartDate, &cell, "is in the future");
                None
            }
            None => {
                self.leave_out(ImportField::SenStartDate, &cell, "is not a date");
                None
            }
        }
    }

    fn year_group(&mut self) -> Option<YearGroup> {
        let label = ImportField::YearGroup.label();
        let Some(cell) = self.cell(ImportField::YearGroup) else {
            self.skip(format!("{label} is blank"));
            return None;
        };
        let year = YearGroup::from_text(&cell);
        if year.is_none() {
            self.skip(format!(
                "{label} {} is not a year group (N1, N2, R or 1 to 14)",
                quoted(&cell)
            ));
        }
        year
    }

    fn upn(&mut self) -> Option<UpnCell> {
        let cell = self.cell(ImportField::Upn)?;
        // Kept for correction only when it could be a mistyped UPN, not any long text.
        if cell.chars().count() > 20 {
            let start: String = cell.chars().take(20).collect();
            self.leave_out(ImportField::Upn, &start, "is too long to be a UPN");
            return None;
        }
        match Upn::parse(&cell) {
            Ok(upn) => Some(UpnCell::Valid(upn)),
            Err(error) => {
                let reason = error.to_string();
                self.problem(
                    Severity::Warning,
                    format!(
                        "UPN {}: {reason} Imported; the UPN is kept for you to correct.",
                        quoted(&cell)
                    ),
                );
                Some(UpnCell::Unchecked {
                    written: cell,
                    reason,
                })
            }
        }
    }

    fn gender(&mut self) -> Option<Gender> {
        let cell = self.cell(ImportField::Gender)?;
        let gender = Gender::from_text(&cell);
        if gender.is_none() {
            self.leave_out(ImportField::Gender, &cell, "is not F, M or X");
        }
        gender
    }

    fn admitted(&mut self) -> Option<NaiveDate> {
        let cell = self.cell(ImportField::AdmissionDate)?;
        let date = parse_date_loose(&cell, self.today);
        if date.is_none() {
            self.leave_out(ImportField::AdmissionDate, &cell, "is not a date");
        }
        date
    }

    fn sen_status(&mut self) -> Option<SenStatus> {
        let cell = self.cell(ImportField::SenStatus)?;
        let status = SenStatus::from_text(&cell);
        if status.is_none() {
            self.leave_out(
                ImportField::SenStatus,
                &cell,
                "is not a census SEN status (K, E or N)",
            );
        }
        status
    }

    fn need(&mut self, field: ImportField, status: Option<SenStatus>) -> Option<NeedType> {
        let cell = self.cell(field)?;
        let Some(need) = NeedType::from_text(&cell) else {
            self.leave_out(field, &cell, "is not a census need code");
            return None;
        };
        if need == NeedType::Nsa && status == Some(SenStatus::EhcPlan) {
            self.leave_out(
                field,
                &cell,
                "is for a pupil with an EHC plan, but NSA is only for SEN support",
            );
            return None;
        }
        Some(need)
    }

    fn flag(&mut self, field: ImportField) -> Option<bool> {
        let cell = self.cell(field)?;
        let flag = parse_yes_no(&cell);
        if flag.is_none() {
            self.leave_out(field, &cell, "is not yes or no");
        }
        flag
    }

    fn read(&mut self) -> RowReading {
        let surname = self.required_name(ImportField::Surname);
        let forename = self.required_name(ImportField::Forename);
        let date_of_birth = self.date_of_birth();
        let year_group = self.year_group();
        let (Some(surname), Some(forename), Some(date_of_birth), Some(year_group)) =
            (surname, forename, date_of_birth, year_group)
        else {
            return RowReading {
                pupil: None,
                problems: std::mem::take(&mut self.problems),
            };
        };
        let preferred_forename = self
            .short_text(ImportField::PreferredForename)
            .filter(|p| p.to_lowercase() != forename.to_lowercase());
        let upn = self.upn();
        let class_name = self.short_text(ImportField::ClassName);
        let gender = self.gender();
        let admitted = self.admitted();
        let sen_status = self.sen_status();
        let sen_start = self.sen_start();
        let primary_need = self.need(ImportField::PrimaryNeed, sen_status);
        let mut secondary_need = self.need(ImportField::SecondaryNeed, sen_status);
        if secondary_need.is_some() && secondary_need == primary_need {
            let cell = self.cell(ImportField::SecondaryNeed).unwrap_or_default();
            self.leave_out(
                ImportField::SecondaryNeed,
                &cell,
                "is the same as the primary need",
            );
            secondary_need = None;
        }
        let free_school_meals = self.flag(ImportField::FreeSchoolMeals);
        let pupil_premium = self.flag(ImportField::PupilPremium);
        let eal = self.flag(ImportField::Eal);
        let looked_after = self.flag(ImportField::LookedAfter);
        if let Some(born) = date_of_birth {
            if !year_group.fits_birth_date(born, self.today) {
                let cell = self.cell(ImportField::DateOfBirth).unwrap_or_default();
                self.problem(
                    Severity::Check,
                    format!(
                        "Date of birth {} does not fit {year_group}: more than a year out. Check the date of birth and the year group.",
                        quoted(&cell)
                    ),
                );
            }
        }
        RowReading {
            pupil: Some(ImportedPupil {
                line: self.row.line,
                forename,
                surname,
                preferred_forename,
                date_of_birth,
                year_group,
                upn,
                class_name,
                gender,
                admitted,
                sen_start,
                sen_status,
                primary_need,
                secondary_need,
                free_school_meals,
                pupil_premium,
                eal,
                looked_after,
            }),
            problems: std::mem::take(&mut self.problems),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn overlong_names_skip_the_row_and_overlong_details_are_left_out() {
        use super::*;
        let mapping: Mapping = vec![
            Some(ImportField::Surname),
            Some(ImportField::Forename),
            Some(ImportField::DateOfBirth),
            Some(ImportField::YearGroup),
            Some(ImportField::ClassName),
            Some(ImportField::Upn),
        ];
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let long = "x".repeat(101);
        let row = |cells: [&str; 6]| TableRow {
            line: 2,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        };
        let skipped = read_row(
            &row([&long, "Amira", "14/05/2018", "3", "3A", ""]),
            &mapping,
            today,
        );
        assert!(skipped.pupil.is_none());
        assert!(skipped.problems[0].message.contains("longer than 100"));
        let kept = read_row(
            &row([
                "Okafor",
                "Amira",
                "14/05/2018",
                "3",
                &long,
                "this is not a upn at all",
            ]),
            &mapping,
            today,
        );
        let pupil = kept.pupil.unwrap();
        assert_eq!((pupil.class_name, pupil.upn), (None, None));
        assert_eq!(kept.problems.len(), 2);
    }

    use super::*;
    use crate::io::csv_text::{decode, read_table, CsvError, TextEncoding, TooLarge};
    use crate::io::mis_columns::{check_mapping, guess_mapping, ImportField as F};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    struct Read {
        encoding: TextEncoding,
        delimiter: u8,
        mapping: Mapping,
        rows: Vec<RowReading>,
    }

    impl Read {
        fn lines(&self) -> Vec<usize> {
            self.rows
                .iter()
                .map(|r| {
                    r.pupil
                        .as_ref()
                        .map_or_else(|| r.problems[0].line, |p| p.line)
                })
                .collect()
        }

        fn pupil(&self, line: usize) -> &ImportedPupil {
            self.reading(line).pupil.as_ref().expect("imported")
        }

        fn reading(&self, line: usize) -> &RowReading {
            self.rows
                .iter()
                .find(|r| {
                    r.pupil.as_ref().map(|p| p.line) == Some(line)
                        || r.problems.first().map(|p| p.line) == Some(line)
                })
                .expect("row on that line")
        }

        fn messages(&self, line: usize) -> Vec<(Severity, String)> {
            self.reading(line)
                .problems
                .iter()
                .inspect(|p| assert_eq!(p.line, line))
                .map(|p| (p.severity, p.message.clone()))
                .collect()
        }
    }

    /// A file through the whole reading: decode, table, guessed mapping, rows.
    fn read(bytes: &[u8]) -> Read {
        let (text, encoding) = decode(bytes);
        let table = read_table(&text).expect("a table");
        let mapping = guess_mapping(&table.headings);
        assert_eq!(check_mapping(&mapping), Ok(()));
        let rows = table
            .rows
            .iter()
            .map(|row| read_row(row, &mapping, today()))
            .collect();
        Read {
            encoding,
            delimiter: table.delimiter,
            mapping,
            rows,
        }
    }

    fn warning(message: &str) -> (Severity, String) {
        (Severity::Warning, message.to_string())
    }

    fn skipped(message: &str) -> (Severity, String) {
        (Severity::Skipped, message.to_string())
    }

    #[test]
    fn sims_export_with_bom_crlf_and_quoted_cells() {
        let read = read(include_bytes!(
            "../../tests/fixtures/mis/sims_utf8_bom_crlf.csv"
        ));
        assert_eq!(read.encoding, TextEncoding::Utf8WithBom);
        assert_eq!(read.delimiter, b',');
        assert_eq!(
            read.mapping,
            [
                Some(F::Upn),
                Some(F::Surname),
                Some(F::Forename),
                Some(F::PreferredForename),
                Some(F::DateOfBirth),
                Some(F::YearGroup),
                Some(F::ClassName),
                Some(F::SenStatus),
                Some(F::PrimaryNeed),
                Some(F::FreeSchoolMeals),
                Some(F::Eal),
                Some(F::LookedAfter),
            ]
        );
        // The quoted class on line 3 runs onto line 4, so the next rows start on 5 and 6;
        // the blank trailing rows are not rows.
        assert_eq!(read.lines(), [2, 3, 5, 6]);

        let amara = read.pupil(2);
        assert_eq!(
            (amara.surname.as_str(), amara.forename.as_str()),
            ("Okafor", "Amara")
        );
        assert_eq!(amara.preferred_forename.as_deref(), Some("Amy"));
        assert_eq!(amara.date_of_birth, Some(date(2017, 9, 14)));
        assert_eq!(amara.year_group, YearGroup::Year(3));
        assert_eq!(
            amara.upn,
            Some(UpnCell::Valid(Upn::parse("B801200005001").unwrap()))
        );
        assert_eq!(amara.class_name.as_deref(), Some("3B"));
        assert_eq!(amara.sen_status, Some(SenStatus::SenSupport));
        assert_eq!(amara.primary_need, Some(NeedType::Slcn));
        assert_eq!(
            (amara.free_school_meals, amara.eal, amara.looked_after),
            (Some(true), Some(false), Some(false))
        );
        assert!(read.messages(2).is_empty());

        let ben = read.pupil(3);
        assert_eq!(ben.surname, "Hughes, Jnr");
        assert_eq!(ben.preferred_forename.as_deref(), Some("Ben \"BJ\""));
        assert_eq!(ben.date_of_birth, Some(date(2018, 3, 2)));
        assert_eq!(ben.year_group, YearGroup::Year(3));
        assert_eq!(ben.class_name.as_deref(), Some("3B (annexe)"));
        assert_eq!(ben.sen_status, Some(SenStatus::SenSupport));
        assert_eq!(ben.primary_need, Some(NeedType::Slcn));
        assert_eq!(
            (ben.free_school_meals, ben.eal, ben.looked_after),
            (Some(false), Some(true), Some(false))
        );

        let li = read.pupil(5);
        assert_eq!(li.preferred_forename, None, "same as the forename");
        assert_eq!(li.date_of_birth, Some(date(2019, 2, 1)), "d/m/yy");
        assert_eq!(li.sen_status, Some(SenStatus::EhcPlan));
        assert_eq!(li.primary_need, Some(NeedType::Asd));
        assert_eq!((li.free_school_meals, li.eal), (None, None), "blank cells");
        let reason = Upn::parse("A801200005001").unwrap_err().to_string();
        assert_eq!(
            li.upn,
            Some(UpnCell::Unchecked {
                written: "A801200005001".into(),
                reason: reason.clone()
            })
        );
        assert_eq!(
            read.messages(5),
            [warning(&format!(
                "UPN \u{201c}A801200005001\u{201d}: {reason} Imported; the UPN is kept for you to correct."
            ))]
        );
        assert!(reason.starts_with("The check letter is A but the digits give"));

        let riya = read.pupil(6);
        assert_eq!(riya.upn, None);
        assert_eq!(riya.sen_status, Some(SenStatus::NoSen));
        assert_eq!(riya.primary_need, None);
        assert_eq!(riya.year_group, YearGroup::Year(4));
    }

    #[test]
    fn arbor_export_with_short_and_bad_rows() {
        let read = read(include_bytes!("../../tests/fixtures/mis/arbor_utf8.csv"));
        assert_eq!(read.encoding, TextEncoding::Utf8);
        assert_eq!(
            read.mapping,
            [
                Some(F::Surname),
                Some(F::Forename),
                Some(F::DateOfBirth),
                Some(F::YearGroup),
                Some(F::ClassName),
                Some(F::SenStatus),
                Some(F::PrimaryNeed),
                Some(F::PupilPremium),
                Some(F::Gender),
            ]
        );
        assert_eq!(read.lines(), (2..=10).collect::<Vec<_>>());

        let zoe = read.pupil(2);
        assert_eq!(zoe.forename, "Zoë");
        assert_eq!(zoe.year_group, YearGroup::Reception);
        assert_eq!(zoe.sen_status, Some(SenStatus::SenSupport));
        assert_eq!(zoe.primary_need, Some(NeedType::Slcn));
        assert_eq!(zoe.pupil_premium, Some(true));
        assert_eq!(zoe.gender, Some(Gender::Female));
        let tom = read.pupil(3);
        assert_eq!(tom.year_group, YearGroup::Reception);
        assert_eq!(tom.sen_status, Some(SenStatus::EhcPlan));
        assert_eq!(tom.gender, Some(Gender::Male));
        let sara = read.pupil(4);
        assert_eq!(sara.year_group, YearGroup::N2);
        assert_eq!(sara.class_name.as_deref(), Some("N2 Blue"));
        assert_eq!(sara.sen_status, Some(SenStatus::NoSen));
        let max = read.pupil(5);
        assert_eq!(max.year_group, YearGroup::Year(2));
        assert_eq!(max.class_name.as_deref(), Some("2W"));
        assert_eq!((max.sen_status, max.gender), (None, None), "short row");

        assert_eq!(read.reading(6).pupil, None);
        assert_eq!(
            read.messages(6),
            [skipped("Surname is blank; the row is skipped.")]
        );
        assert_eq!(read.reading(7).pupil, None);
        assert_eq!(
            read.messages(7),
            [
                skipped("Date of birth \u{201c}31/02/2018\u{201d} is not a date; the row is skipped."),
                skipped("Year group \u{201c}Year 15\u{201d} is not a year group (N1, N2, R or 1 to 14); the row is skipped."),
            ]
        );
        let leo = read.pupil(8);
        assert_eq!(leo.sen_status, Some(SenStatus::SenSupport));
        assert_eq!(
            (leo.primary_need, leo.pupil_premium, leo.gender),
            (None, None, None)
        );
        assert_eq!(
            read.messages(8),
            [
                warning("Gender \u{201c}Q\u{201d} is not F, M or X; left out."),
                warning("Primary need \u{201c}XYZ\u{201d} is not a census need code; left out."),
                warning("Pupil premium \u{201c}maybe\u{201d} is not yes or no; left out."),
            ]
        );
        assert_eq!(
            read.messages(9),
            [skipped(
                "Date of birth \u{201c}01/01/2030\u{201d} is in the future; the row is skipped."
            )]
        );
        assert_eq!(
            read.messages(10),
            [skipped("Date of birth \u{201c}01/01/1990\u{201d} would make the pupil 36, older than 30; the row is skipped.")]
        );
        assert_eq!(read.rows.iter().filter(|r| r.pupil.is_some()).count(), 5);
    }

    #[test]
    fn windows_1252_semicolon_export() {
        let bytes = include_bytes!("../../tests/fixtures/mis/cp1252_semicolon.csv");
        assert!(
            bytes.contains(&0x92) && bytes.contains(&0xE9),
            "real 1252 bytes"
        );
        let read = read(bytes);
        assert_eq!(read.encoding, TextEncoding::Windows1252);
        assert_eq!(read.delimiter, b';');
        assert_eq!(read.lines(), [2, 3, 4]);

        let zoe = read.pupil(2);
        assert_eq!(
            (zoe.surname.as_str(), zoe.forename.as_str()),
            ("O\u{2019}Brien", "Zoë")
        );
        assert_eq!(zoe.preferred_forename, None);
        assert_eq!(zoe.date_of_birth, Some(date(2015, 9, 14)), "dd.mm.yyyy");
        assert_eq!(zoe.year_group, YearGroup::Year(6));
        assert_eq!(zoe.primary_need, Some(NeedType::Spld));
        assert_eq!(zoe.gender, Some(Gender::Female));
        let renee = read.pupil(3);
        assert_eq!(
            (renee.surname.as_str(), renee.forename.as_str()),
            ("Lefèvre", "Renée")
        );
        assert_eq!(renee.preferred_forename.as_deref(), Some("René"));
        assert_eq!(renee.date_of_birth, Some(date(2016, 4, 3)), "d/m/yy");
        assert_eq!(renee.sen_status, Some(SenStatus::NoSen));
        let noel = read.pupil(4);
        assert_eq!(noel.forename, "Noël");
        assert_eq!(noel.date_of_birth, Some(date(2016, 11, 25)));
        assert_eq!(noel.year_group, YearGroup::Year(5));
        assert_eq!(
            noel.primary_need,
            Some(NeedType::Slcn),
            "quoted description"
        );
        assert!(read.rows.iter().all(|r| r.problems.is_empty()));
    }

    #[test]
    fn tab_export_with_need_and_flag_warnings() {
        let read = read(include_bytes!("../../tests/fixtures/mis/tab_utf8.tsv"));
        assert_eq!(read.delimiter, b'\t');
        assert_eq!(read.lines(), [2, 3, 4]);

        let mia = read.pupil(2);
        assert_eq!(mia.sen_status, Some(SenStatus::EhcPlan));
        assert_eq!(mia.primary_need, None);
        assert_eq!(mia.secondary_need, Some(NeedType::Semh));
        assert_eq!(mia.gender, Some(Gender::Other));
        assert_eq!(mia.admitted, Some(date(2020, 9, 1)));
        assert_eq!(
            (mia.free_school_meals, mia.looked_after),
            (Some(true), Some(false))
        );
        assert_eq!(
            read.messages(2),
            [warning("Primary need \u{201c}NSA\u{201d} is for a pupil with an EHC plan, but NSA is only for SEN support; left out.")]
        );

        let noah = read.pupil(3);
        assert_eq!(noah.primary_need, Some(NeedType::Spld));
        assert_eq!(noah.secondary_need, None);
        assert_eq!(noah.gender, Some(Gender::Male));
        assert_eq!(noah.admitted, None);
        assert_eq!(
            (noah.free_school_meals, noah.looked_after),
            (None, Some(true))
        );
        assert_eq!(
            read.messages(3),
            [
                warning("Admission date \u{201c}31/13/2021\u{201d} is not a date; left out."),
                warning("Secondary need \u{201c}SpLD\u{201d} is the same as the primary need; left out."),
                warning("Free school meals \u{201c}perhaps\u{201d} is not yes or no; left out."),
            ]
        );

        let eva = read.pupil(4);
        assert_eq!(
            (eva.sen_status, eva.primary_need),
            (None, Some(NeedType::Mld))
        );
        assert_eq!(
            read.messages(4),
            [warning("SEN status \u{201c}Action Plus?\u{201d} is not a census SEN status (K, E or N); left out.")]
        );
    }

    fn row(cells: &[&str]) -> TableRow {
        TableRow {
            line: 9,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        }
    }

    fn basic_mapping() -> Mapping {
        vec![
            Some(F::Surname),
            Some(F::Forename),
            Some(F::DateOfBirth),
            Some(F::YearGroup),
            Some(F::SenStatus),
        ]
    }

    #[test]
    fn every_year_group_and_sen_status_spelling_is_read() {
        let years = [
            ("Year 3", YearGroup::Year(3)),
            ("Y3", YearGroup::Year(3)),
            ("3", YearGroup::Year(3)),
            ("R", YearGroup::Reception),
            ("Reception", YearGroup::Reception),
            ("N2", YearGroup::N2),
        ];
        for (text, year) in years {
            let reading = read_row(
                &row(&["Ng", "Li", "01/09/2015", text, ""]),
                &basic_mapping(),
                today(),
            );
            assert_eq!(reading.pupil.unwrap().year_group, year, "{text}");
        }
        let statuses = [
            ("K", SenStatus::SenSupport),
            ("SEN Support", SenStatus::SenSupport),
            ("K - SEN Support", SenStatus::SenSupport),
            ("E", SenStatus::EhcPlan),
            ("EHC Plan", SenStatus::EhcPlan),
            ("N", SenStatus::NoSen),
        ];
        for (text, status) in statuses {
            let reading = read_row(
                &row(&["Ng", "Li", "2015-09-01", "3", text]),
                &basic_mapping(),
                today(),
            );
            assert_eq!(reading.pupil.unwrap().sen_status, Some(status), "{text}");
        }
    }

    #[test]
    fn a_row_missing_everything_reports_every_problem() {
        let reading = read_row(&row(&["", " ", "", "Year 15"]), &basic_mapping(), today());
        assert_eq!(reading.pupil, None);
        let messages: Vec<&str> = reading
            .problems
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "Surname is blank; the row is skipped.",
                "Forename is blank; the row is skipped.",
                "Date of birth is blank; the row is skipped.",
                "Year group \u{201c}Year 15\u{201d} is not a year group (N1, N2, R or 1 to 14); the row is skipped.",
            ]
        );
        assert!(reading
            .problems
            .iter()
            .all(|p| p.line == 9 && p.severity == Severity::Skipped));
    }

    #[test]
    fn file_level_errors() {
        let error = |bytes: &[u8]| read_table(&decode(bytes).0).unwrap_err();
        assert_eq!(error(b""), CsvError::Empty);
        assert_eq!(error(b"\xEF\xBB\xBF\r\n"), CsvError::Empty);
        assert_eq!(
            error(include_bytes!("../../tests/fixtures/mis/heading_only.csv")),
            CsvError::NoRows
        );
        // The start of an .xlsx file: a zip.
        let junk =
            b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xa0\xb1\xc2\xff[Content_Types].xml";
        assert_eq!(decode(junk).1, TextEncoding::Windows1252);
        assert_eq!(error(junk), CsvError::NotText { line: 1 });

        let mut big = String::from("Surname,Forename,DOB,Year\n");
        for n in 0..10_000 {
            big.push_str(&format!("Pupil{n},Test,01/09/2015,5\n"));
        }
        assert_eq!(read_table(&big).unwrap().rows.len(), 10_000);
        big.push_str("Last,One,01/09/2015,5\n");
        let too_big = read_table(&big).unwrap_err();
        assert_eq!(
            too_big,
            CsvError::TooLarge {
                what: TooLarge::Rows,
                limit: 10_000
            }
        );
        assert!(too_big
            .to_string()
            .starts_with("The file has more than 10,000 pupil rows"));
    }
}
