//! The register and its census summary written as CSV for a spreadsheet.
//!
//! A cell a spreadsheet would take for a formula (starting = + - @, or a tab or carriage
//! return) is written with a leading apostrophe, so a name like "=HYPERLINK(...)" typed
//! into the MIS can never run in Excel.

use crate::domain::dates::format_uk;
use crate::domain::register::{RegisterRow, Summary};

/// A cell made safe for a spreadsheet.
pub fn safe_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
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
            ("-1", "'-1"),
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
        // The name is "Surname, Forename": it starts with S, so only a formula at the start matters.
        assert_eq!(&rows[0][0], "Smith, Jr, =cmd|' /C calc'!A0");
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
