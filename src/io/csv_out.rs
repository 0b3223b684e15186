//! The register and its census summary written as CSV for a spreadsheet.
//!
//! A cell a spreadsheet could take for a formula is written with a leading apostrophe, so
//! a name like "=HYPERLINK(...)" typed into the MIS can never run in Excel. Excel in a
//! locale whose list separator is `;` splits this comma-separated file at every `;` that is
//! not inside a quoted field (and a cell is quoted only when it holds a comma, a quote or a
//! line break), so each part of a cell after a `;` (or `,` or tab) can begin a cell of its
//! own. Such a part gets its own apostrophe, right after the separator, so the cell it
//! becomes is text too; an apostrophe at the start of the whole cell would not reach it.

use crate::domain::dates::format_uk;
use crate::domain::register::{RegisterRow, Summary};

/// Where a spreadsheet may split a cell into two.
const SEPARATORS: [char; 3] = [';', ',', '\t'];

/// A cell made safe for a spreadsheet: an apostrophe before the cell, and before each part
/// of it after a `;`, `,` or tab, that starts (after spaces or a quote) with `=`, `+`, `-`
/// or `@`, or starts with a carriage return (or, the whole cell, a tab). A plain number,
/// such as an outcome rating of -2 or a cost of -12.50 or 1,250.00, is left a number.
pub fn safe_cell(text: &str) -> String {
    let mut safe = String::with_capacity(text.len() + 1);
    if text.starts_with('\t') {
        safe.push('\'');
    }
    let mut rest = text;
    loop {
        let end = rest.find(SEPARATORS).unwrap_or(rest.len());
        let part = &rest[..end];
        if starts_a_formula(part) {
            safe.push('\'');
        }
        safe.push_str(part);
        let Some(separator) = rest[end..].chars().next() else {
            return safe;
        };
        safe.push(separator);
        rest = &rest[end + separator.len_utf8()..];
    }
}

/// Whether a spreadsheet could read this part of a cell as a formula.
fn starts_a_formula(part: &str) -> bool {
    if part.starts_with('\r') {
        return true;
    }
    // Spreadsheets skip spaces (and a quote opening a field) before the `=`.
    let start = part.trim_start_matches(|c: char| c.is_whitespace() || c == '"');
    start.starts_with(['=', '+', '-', '@']) && !is_plain_number(start.trim_end_matches('"'))
}

/// `-2`, `-12.50`, `-5%`: a minus sign, digits, perhaps a decimal part and a percent sign.
/// (A thousands separator splits `-1,250.00` into parts that are each plain.)
fn is_plain_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let digits = digits
        .trim_end()
        .strip_suffix('%')
        .unwrap_or(digits.trim_end());
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

fn write(rows: Vec<Vec<String>>) -> String {
    // The summary has sections of different widths.
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        let safe: Vec<String> = row.iter().map(|c| safe_cell(c)).collect();
        writer.write_record(&safe).expect("writing to memory");
    }
    let bytes = writer.into_inner().expect("writing to memory");
    // A BOM so Excel reads the names as UTF-8.
    format!(
        "\u{feff}{}",
        String::from_utf8(bytes).expect("cells are UTF-8")
    )
}

/// The register rows as shown (filtered and sorted).
pub fn register_csv(rows: &[&RegisterRow]) -> String {
    let mut table = vec![[
        "Name",
        "UPN",
        "Year",
        "Class",
        "SEN status",
        "Census code",
        "Primary need",
        "Secondary need",
        "Flags",
        "Archived",
    ]
    .map(String::from)
    .to_vec()];
    for row in rows {
        table.push(vec![
            row.name.clone(),
            row.upn.clone().unwrap_or_default(),
            row.year.code(),
            row.class_name.clone(),
            row.status.to_string(),
            row.status.census_code().into(),
            row.primary
                .map(|n| n.code().to_string())
                .unwrap_or_default(),
            row.secondary
                .map(|n| n.code().to_string())
                .unwrap_or_default(),
            row.flags.codes(),
            if row.archived { "Yes" } else { "" }.into(),
        ]);
    }
    write(table)
}

/// The import report: every row skipped, imported in part or to check, with its line in
/// the file, the pupil it names, the problem and what happened. Cells pass the formula guard.
pub fn import_report_csv(lines: &[super::import_plan::ReportLine]) -> String {
    let mut table = vec![["Line", "Pupil", "UPN", "Problem", "What happened"]
        .map(String::from)
        .to_vec()];
    for line in lines {
        table.push(vec![
            line.line.to_string(),
            line.pupil.clone(),
            line.upn.clone(),
            line.problem.clone(),
            line.severity.outcome().into(),
        ]);
    }
    write(table)
}

/// The census-style summary: counts and percentages, no names.
pub fn summary_csv(school: &str, on: chrono::NaiveDate, summary: &Summary) -> String {
    let mut table: Vec<Vec<String>> = vec![
        vec!["SEN register summary".into(), school.into()],
        vec!["Date".into(), format_uk(on)],
        vec!["Pupils on roll".into(), summary.roll.to_string()],
        vec![],
        vec![
            "Section".into(),
            "Group".into(),
            "Pupils".into(),
            "Percentage of roll".into(),
        ],
    ];
    for (status, count) in &summary.by_status {
        table.push(vec![
            "SEN status".into(),
            status.to_string(),
            count.count.to_string(),
            count.percent(),
        ]);
    }
    for (area, count) in &summary.by_area {
        let name = area.map_or("Other or not assessed (OTH, NSA)".to_string(), |a| {
            a.to_string()
        });
        table.push(vec![
            "Broad area of primary need (K and E)".into(),
            name,
            count.count.to_string(),
            count.percent(),
        ]);
    }
    for (need, count) in &summary.by_need {
        let name = need.map_or("No primary need recorded".to_string(), |n| {
            format!("{} {}", n.code(), n.name())
        });
        table.push(vec![
            "Primary need (K and E)".into(),
            name,
            count.count.to_string(),
            count.percent(),
        ]);
    }
    table.push(vec![]);
    table.push(
        [
            "Year group",
            "On roll",
            "SEN support (K)",
            "EHC plan (E)",
            "Percentage with SEN",
        ]
        .map(String::from)
        .to_vec(),
    );
    for year in &summary.by_year {
        let sen = crate::domain::register::Count {
            count: year.sen_support + year.ehc_plan,
            roll: year.roll,
        };
        table.push(vec![
            year.year.to_string(),
            year.roll.to_string(),
            year.sen_support.to_string(),
            year.ehc_plan.to_string(),
            sen.percent(),
        ]);
    }
    write(table)
}

/// Any table as shown on a screen (a heading row, then a row each), every cell guarded.
pub fn table_csv(rows: Vec<Vec<String>>) -> String {
    write(rows)
}

/// The provision map as shown: a row a pupil, their provisions, hours a week and (unless
/// money is hidden) their cost over the period. Cells pass the formula guard.
pub fn provision_map_csv(
    rows: &[crate::domain::provision::map::MapRow],
    with_money: bool,
) -> String {
    let mut heading = vec![
        "Pupil".to_string(),
        "SEN status".into(),
        "Provisions".into(),
        "Minutes a week".into(),
    ];
    if with_money {
        heading.push("Cost over the period".into());
    }
    let mut table = vec![heading];
    for row in rows {
        let mut cells = vec![
            row.label.clone(),
            row.status.to_string(),
            if row.entries.is_empty() {
                "None".to_string()
            } else {
                row.entries
                    .iter()
                    .map(|e| format!("{} ({} min a week)", e.name, e.minutes_a_week))
                    .collect::<Vec<_>>()
                    .join("; ")
            },
            row.minutes_a_week().to_string(),
        ];
        if with_money {
            cells.push(match row.cost() {
                Some(cost) => format!("{:.2}", cost.rounded().0 as f64 / 100.0),
                None if row.entries.is_empty() => "0.00".into(),
                None => "Not worked out: a rate is not set".into(),
            });
        }
        table.push(cells);
    }
    write(table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::register::{Register, RegisterFilter, Scope, Sort};
    use crate::domain::{Desk, Pupil, PupilFile, PupilId, Settings, YearGroup};
    use chrono::{NaiveDate, Utc};

    #[test]
    fn formula_cells_are_made_safe_and_others_left_alone() {
        for (given, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+44 7700", "'+44 7700"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tTab", "'\tTab"),
            ("O'Brien", "O'Brien"),
            ("Smith-Jones", "Smith-Jones"),
            ("", ""),
        ] {
            assert_eq!(safe_cell(given), written);
        }
    }

    #[test]
    fn point_6_a_formula_in_any_semicolon_or_comma_separated_part_is_neutralised() {
        for (given, written) in [
            (
                "Smith;=HYPERLINK(\"http://x\",\"y\")",
                "Smith;'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("Smith; =1+1", "Smith;' =1+1"),
            ("Smith,@SUM(A1)", "Smith,'@SUM(A1)"),
            ("4A;+cmd|' /C calc'!A0", "4A;'+cmd|' /C calc'!A0"),
            ("Smith;\t=1+1", "Smith;\t'=1+1"),
            ("Smith;\u{a0}=1+1", "Smith;'\u{a0}=1+1"),
            ("Smith; \"=1+1\"", "Smith;' \"=1+1\""),
            ("Smith;\r=1+1", "Smith;'\r=1+1"),
            ("=1;=2", "'=1;'=2"),
            ("  =1+1", "'  =1+1"),
            ("-2+3", "'-2+3"),
            ("-", "'-"),
        ] {
            assert_eq!(safe_cell(given), written, "{given:?}");
        }
        for given in [
            "Smith;Jones",
            "Smith, Jr",
            "Year 3; 4A",
            "a=b;c@d",
            "O'Brien-Hughes",
        ] {
            assert_eq!(safe_cell(given), given, "{given:?}");
        }
    }

    #[test]
    fn point_6_plain_numbers_stay_numbers() {
        for number in [
            "-2",
            "-12.50",
            "1,250.00",
            "-1,250.00",
            "-5%",
            "33.3%",
            "0",
            " -2",
        ] {
            assert_eq!(safe_cell(number), number, "{number:?}");
        }
    }

    /// How a spreadsheet splits a line: fields separated by `delimiter`, double quotes
    /// honoured, as Excel does in a locale whose list separator is `;` (or `,`).
    fn cells_as_split_by(csv: &str, delimiter: u8) -> Vec<String> {
        let text = csv.trim_start_matches('\u{feff}');
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .flat_map(|r| r.unwrap().iter().map(String::from).collect::<Vec<_>>())
            .collect()
    }

    #[test]
    fn point_6_a_spreadsheet_in_a_semicolon_locale_finds_no_formula_in_the_register() {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        let born = NaiveDate::from_ymd_opt(2018, 5, 14).unwrap();
        let mut pupil = Pupil::new(
            PupilId("a".into()),
            "Ann",
            "Smith",
            born,
            YearGroup::Year(3),
        );
        pupil.class_name = "4A;=1+1".into();
        desk.put(PupilFile::new(pupil, Utc::now()));
        let filter = RegisterFilter {
            scope: Scope::WholeRoll,
            ..Default::default()
        };
        let csv = register_csv(&Register::build(&desk, born).view(&filter, Sort::default()));
        for delimiter in [b';', b','] {
            for cell in cells_as_split_by(&csv, delimiter) {
                let start = cell.trim_start();
                assert!(
                    !start.starts_with(['=', '+', '-', '@']),
                    "{:?} splits off a formula cell: {cell:?}",
                    delimiter as char
                );
            }
        }
        // Read as intended (comma-separated), the class is one cell, its text all there.
        let cells = cells_as_split_by(&csv, b',');
        assert!(cells.contains(&"4A;'=1+1".to_string()), "{cells:?}");
    }

    #[test]
    fn the_summary_csv_has_counts_and_percentages_and_no_names() {
        let mut desk = Desk::new(Settings::new("=Oakfield"));
        let born = NaiveDate::from_ymd_opt(2018, 5, 14).unwrap();
        for (id, name, year) in [("a", "Amira", 3), ("b", "Ben", 3), ("c", "Chloe", 4)] {
            let mut file = PupilFile::new(
                Pupil::new(
                    PupilId(id.into()),
                    name,
                    "Secret",
                    born,
                    YearGroup::Year(year),
                ),
                Utc::now(),
            );
            if id == "a" {
                file.sen.status_changes.push(crate::domain::StatusChange {
                    from: born,
                    status: crate::domain::SenStatus::SenSupport,
                    reason: String::new(),
                    recorded_at: Utc::now(),
                });
            }
            desk.put(file);
        }
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let summary = Register::build(&desk, today).summary();
        let csv = summary_csv("=Oakfield", today, &summary);
        assert!(!csv.contains("Secret") && !csv.contains("Amira"));
        assert!(csv.contains("'=Oakfield"), "{csv}");
        assert!(csv.contains("Date,23/11/2026"));
        assert!(csv.contains("Pupils on roll,3"));
        assert!(csv.contains("SEN status,SEN support (K),1,33.3%"));
        assert!(csv.contains("Primary need (K and E),No primary need recorded,1,33.3%"));
        assert!(csv.contains("Year 3,2,1,0,50.0%"));
    }

    #[test]
    fn the_register_csv_has_a_row_per_pupil_with_injection_prevented() {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        let born = NaiveDate::from_ymd_opt(2018, 5, 14).unwrap();
        let mut evil = Pupil::new(
            PupilId("a".into()),
            "=cmd|' /C calc'!A0",
            "Smith, Jr",
            born,
            YearGroup::Year(3),
        );
        evil.flags.eal = true;
        desk.put(PupilFile::new(evil, Utc::now()));
        let register = Register::build(&desk, born);
        let filter = RegisterFilter {
            scope: Scope::WholeRoll,
            ..Default::default()
        };
        let csv = register_csv(&register.view(&filter, Sort::default()));
        let text = csv.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 1);
        // The name is "Surname, Forename": the forename is a part of its own, so it counts.
        assert_eq!(&rows[0][0], "Smith, Jr,' =cmd|' /C calc'!A0");
        assert_eq!(&rows[0][2], "3");
        assert_eq!(&rows[0][5], "N");
        assert_eq!(&rows[0][8], "EAL");
        let mut only = Pupil::new(PupilId("b".into()), "Ann", "=1+1", born, YearGroup::Year(3));
        only.class_name = "@class".into();
        desk.put(PupilFile::new(only, Utc::now()));
        let csv = register_csv(&Register::build(&desk, born).view(&filter, Sort::default()));
        assert!(csv.contains("'=1+1, Ann"), "{csv}");
        assert!(csv.contains("'@class"));
    }
}
