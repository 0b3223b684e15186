//! What an MIS import would do to the desk, worked out before anything is written:
//! new, updated and unchanged pupils, the rows with problems, and the pupils on roll who
//! are not in the file (leavers, if the file is the full roll).
//!
//! Rows match a pupil by UPN, else by name and date of birth. An import never deletes a
//! pupil, and importing the same file again changes nothing.

use super::csv_text::{Table, TableRow};
use super::mis_columns::{ImportField, Mapping};
use super::mis_row::{ImportedPupil, RowProblem, RowReading, Severity, UpnCell};
use crate::domain::dates::format_uk;
use crate::domain::names::NameOrder;
use crate::domain::sen::{Need, NeedsChange, StatusChange};
use crate::domain::{Desk, NeedType, Pupil, PupilFile, PupilId, SenStatus, YearGroup};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{HashMap, HashSet};

/// The reason recorded on status and needs changes an import makes.
pub const IMPORT_REASON: &str = "Imported from the MIS export";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedUpdate {
    pub file: PupilFile,
    /// The revision the change was planned from: a save refuses it if the pupil moved on.
    pub base_revision: u64,
    /// What changes, in words: "Year group: Year 3 → Year 4".
    pub changes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leaver {
    pub id: PupilId,
    pub name: String,
    pub year: YearGroup,
    pub base_revision: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub rows: usize,
    pub new: Vec<PupilFile>,
    pub updated: Vec<PlannedUpdate>,
    pub unchanged: usize,
    /// Every problem, skipped rows and warnings, in line order.
    pub problems: Vec<RowProblem>,
    /// Pupils on roll who are not in the file, by name.
    pub leavers: Vec<Leaver>,
}

fn name_key(surname: &str, forename: &str, born: NaiveDate) -> (String, String, NaiveDate) {
    (
        surname.trim().to_lowercase(),
        forename.trim().to_lowercase(),
        born,
    )
}

impl ImportPlan {
    pub fn skipped(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Skipped)
            .count()
    }

    pub fn changes_nothing(&self) -> bool {
        self.new.is_empty() && self.updated.is_empty()
    }

    /// Plans the import of rows already read. `new_id` gives each new pupil an id.
    pub fn make(
        desk: &Desk,
        rows: Vec<RowReading>,
        today: NaiveDate,
        now: DateTime<Utc>,
        mut new_id: impl FnMut() -> PupilId,
    ) -> ImportPlan {
        let mut by_upn: HashMap<String, &PupilFile> = HashMap::new();
        let mut by_name: HashMap<(String, String, NaiveDate), Vec<&PupilFile>> = HashMap::new();
        for file in desk.files() {
            let pupil = &file.pupil;
            if let Some(upn) = pupil
                .upn
                .as_ref()
                .map(|u| u.to_string())
                .or(pupil.unchecked_upn.clone())
            {
                by_upn.insert(upn.to_uppercase(), file);
            }
            for forename in [&pupil.forename, &pupil.preferred_forename] {
                if !forename.is_empty() {
                    by_name
                        .entry(name_key(&pupil.surname, forename, pupil.date_of_birth))
                        .or_default()
                        .push(file);
                }
            }
        }
        let mut plan = ImportPlan {
            rows: rows.len(),
            ..ImportPlan::default()
        };
        // Which line first claimed each pupil or each UPN / name in the file.
        let mut seen_pupils: HashMap<PupilId, usize> = HashMap::new();
        let mut seen_upns: HashMap<String, usize> = HashMap::new();
        let mut seen_names: HashMap<(String, String, NaiveDate), usize> = HashMap::new();
        for reading in rows {
            let mut problems = reading.problems;
            let Some(row) = reading.pupil else {
                plan.problems.append(&mut problems);
                continue;
            };
            let upn_text = row.upn.as_ref().map(|u| match u {
                UpnCell::Valid(upn) => upn.to_string(),
                UpnCell::Unchecked { written, .. } => written.to_uppercase(),
            });
            let key = name_key(&row.surname, &row.forename, row.date_of_birth);
            let duplicate_of = upn_text
                .as_ref()
                .and_then(|u| seen_upns.get(u).map(|line| (*line, "the same UPN")))
                .or_else(|| {
                    seen_names
                        .get(&key)
                        .map(|line| (*line, "the same name and date of birth"))
                });
            if let Some((line, why)) = duplicate_of {
                plan.problems.append(&mut problems);
                plan.problems.push(RowProblem {
                    line: row.line,
                    severity: Severity::Skipped,
                    message: format!("Duplicate row: line {line} has {why}. Skipped."),
                });
                continue;
            }
            if let Some(u) = &upn_text {
                seen_upns.insert(u.clone(), row.line);
            }
            seen_names.insert(key.clone(), row.line);

            let matched = match upn_text.as_ref().and_then(|u| by_upn.get(u)) {
                Some(file) => Ok(Some(*file)),
                None => match by_name.get(&key).map(Vec::as_slice) {
                    None | Some([]) => Ok(None),
                    Some([file]) => Ok(Some(*file)),
                    Some(_) => Err(()),
                },
            };
            let existing = match matched {
                Ok(existing) => existing,
                Err(()) => {
                    plan.problems.append(&mut problems);
                    plan.problems.push(RowProblem {
                        line: row.line,
                        severity: Severity::Skipped,
                        message: "More than one pupil on the desk has this name and date of birth, and the row has no UPN that matches: add the UPN to tell them apart. Skipped.".into(),
                    });
                    continue;
                }
            };
            if let Some(file) = existing {
                if let Some(line) = seen_pupils.insert(file.pupil.id.clone(), row.line) {
                    plan.problems.append(&mut problems);
                    plan.problems.push(RowProblem {
                        line: row.line,
                        severity: Severity::Skipped,
                        message: format!(
                            "Duplicate row: line {line} is already {}. Skipped.",
                            file.pupil.full_name()
                        ),
                    });
                    continue;
                }
                if file.pupil.is_archived() {
                    plan.problems.append(&mut problems);
                    plan.problems.push(RowProblem {
                        line: row.line,
                        severity: Severity::Skipped,
                        message: format!(
                            "{} is archived as a leaver: take them out of the archive first to update them. Skipped.",
                            file.pupil.full_name()
                        ),
                    });
                    continue;
                }
            }
            let before = existing.cloned().unwrap_or_else(|| {
                PupilFile::new(
                    Pupil::new(
                        new_id(),
                        &row.forename,
                        &row.surname,
                        row.date_of_birth,
                        row.year_group,
                    ),
                    now,
                )
            });
            let mut after = before.clone();
            apply_row(&mut after, &row, today, now, &mut problems);
            plan.problems.append(&mut problems);
            match existing {
                None => plan.new.push(after),
                Some(_) if after == before => plan.unchanged += 1,
                Some(current) => plan.updated.push(PlannedUpdate {
                    changes: describe_changes(current, &after, today),
                    base_revision: current.revision,
                    file: after,
                }),
            }
        }
        plan.problems.sort_by_key(|p| p.line);
        let labels = desk.name_labels(NameOrder::SurnameFirst);
        let mut leavers: Vec<Leaver> = desk
            .files()
            .filter(|f| !f.pupil.is_archived() && !seen_pupils.contains_key(&f.pupil.id))
            .map(|f| Leaver {
                id: f.pupil.id.clone(),
                name: labels[&f.pupil.id].clone(),
                year: f.pupil.year_group,
                base_revision: f.revision,
            })
            .collect();
        leavers.sort_by_cached_key(|l| l.name.to_lowercase());
        plan.leavers = leavers;
        plan
    }

    /// Every file to write, with the revision it was planned from (None for new pupils),
    /// and the leavers archived as of `today` when asked.
    pub fn writes(
        &self,
        desk: &Desk,
        archive_leavers: bool,
        today: NaiveDate,
    ) -> Vec<(PupilFile, Option<u64>)> {
        let mut writes: Vec<(PupilFile, Option<u64>)> =
            self.new.iter().map(|f| (f.clone(), None)).collect();
        writes.extend(
            self.updated
                .iter()
                .map(|u| (u.file.clone(), Some(u.base_revision))),
        );
        if archive_leavers {
            for leaver in &self.leavers {
                if let Some(file) = desk.file(&leaver.id) {
                    let mut file = file.clone();
                    file.pupil.archive(today);
                    writes.push((file, Some(leaver.base_revision)));
                }
            }
        }
        writes
    }
}

impl ImportPlan {
    /// Takes off the leaver list anyone a row of the file names, even a row that was
    /// skipped (a bad date, a duplicate): a pupil with a mistyped row has not left.
    pub fn keep_mentioned(&mut self, desk: &Desk, table: &Table, mapping: &Mapping) {
        let column = |field| mapping.iter().position(|m| *m == Some(field));
        let cell = |row: &TableRow, column: Option<usize>| {
            column
                .and_then(|c| row.cells.get(c))
                .map(|text| {
                    text.split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_lowercase()
                })
                .filter(|text| !text.is_empty())
        };
        let (upn, surname, forename, preferred) = (
            column(ImportField::Upn),
            column(ImportField::Surname),
            column(ImportField::Forename),
            column(ImportField::PreferredForename),
        );
        let mut upns = HashSet::new();
        let mut names = HashSet::new();
        for row in &table.rows {
            if let Some(text) = cell(row, upn) {
                upns.insert(text);
            }
            if let Some(surname) = cell(row, surname) {
                for forename in [cell(row, forename), cell(row, preferred)]
                    .into_iter()
                    .flatten()
                {
                    names.insert((surname.clone(), forename));
                }
            }
        }
        self.leavers.retain(|leaver| {
            let Some(file) = desk.file(&leaver.id) else {
                return false;
            };
            let pupil = &file.pupil;
            let upn = pupil
                .upn
                .as_ref()
                .map(|u| u.to_string())
                .or(pupil.unchecked_upn.clone())
                .map(|u| u.to_lowercase());
            let surname = pupil.surname.to_lowercase();
            let named = [&pupil.forename, &pupil.preferred_forename]
                .iter()
                .any(|f| names.contains(&(surname.clone(), f.to_lowercase())));
            !(upn.is_some_and(|u| upns.contains(&u)) || named)
        });
    }
}

/// Sets what the row says; blank or unmapped details are left as they are.
fn apply_row(
    file: &mut PupilFile,
    row: &ImportedPupil,
    today: NaiveDate,
    now: DateTime<Utc>,
    problems: &mut Vec<RowProblem>,
) {
    let pupil = &mut file.pupil;
    pupil.forename = row.forename.clone();
    pupil.surname = row.surname.clone();
    pupil.date_of_birth = row.date_of_birth;
    pupil.year_group = row.year_group;
    if let Some(preferred) = &row.preferred_forename {
        pupil.preferred_forename = preferred.clone();
    }
    match &row.upn {
        Some(UpnCell::Valid(upn)) => {
            pupil.upn = Some(upn.clone());
            pupil.unchecked_upn = None;
        }
        // A good UPN already on file is not replaced by a mistyped one.
        Some(UpnCell::Unchecked { written, .. }) if pupil.upn.is_none() => {
            pupil.unchecked_upn = Some(written.clone());
        }
        _ => {}
    }
    if let Some(class_name) = &row.class_name {
        pupil.class_name = class_name.clone();
    }
    if let Some(gender) = row.gender {
        pupil.gender = gender;
    }
    if let Some(admitted) = row.admitted {
        pupil.admitted = Some(admitted);
    }
    for (value, flag) in [
        (row.free_school_meals, &mut pupil.flags.free_school_meals),
        (row.pupil_premium, &mut pupil.flags.pupil_premium),
        (row.eal, &mut pupil.flags.eal),
        (row.looked_after, &mut pupil.flags.looked_after),
    ] {
        if let Some(value) = value {
            *flag = value;
        }
    }
    let born = pupil.date_of_birth;
    if let Some(status) = row.sen_status {
        let current = file.sen.status_on(today);
        // The MIS knows nothing of monitoring: N there leaves a monitored pupil monitored.
        let same =
            current == status || (status == SenStatus::NoSen && current == SenStatus::Monitoring);
        if !same {
            let change = StatusChange {
                from: today,
                status,
                reason: IMPORT_REASON.into(),
                recorded_at: now,
            };
            let _ = file.sen.record_status(change, born, today);
        }
    }
    if let Some(primary) = row.primary_need {
        let current = file.sen.needs_on(today).to_vec();
        let mut codes = vec![primary];
        if let Some(secondary) = row.secondary_need.filter(|s| *s != primary) {
            codes.push(secondary);
        }
        let current_codes: Vec<NeedType> = current
            .iter()
            .take(codes.len())
            .map(|n| n.need_type)
            .collect();
        if current_codes != codes {
            // Descriptions travel with their codes, and lower-ranked needs stay below.
            let mut needs: Vec<Need> = codes
                .iter()
                .map(|&need_type| Need {
                    need_type,
                    description: current
                        .iter()
                        .find(|n| n.need_type == need_type)
                        .map(|n| n.description.clone())
                        .unwrap_or_default(),
                })
                .collect();
            needs.extend(
                current
                    .into_iter()
                    .filter(|n| !codes.contains(&n.need_type)),
            );
            if needs.len() > crate::domain::sen::MAX_NEEDS {
                let dropped: Vec<&str> = needs[crate::domain::sen::MAX_NEEDS..]
                    .iter()
                    .map(|n| n.need_type.code())
                    .collect();
                problems.push(RowProblem {
                    line: row.line,
                    severity: Severity::Warning,
                    message: format!(
                        "At most {} needs are ranked: {} no longer ranked (kept in the history).",
                        crate::domain::sen::MAX_NEEDS,
                        dropped.join(", ")
                    ),
                });
                needs.truncate(crate::domain::sen::MAX_NEEDS);
            }
            let change = NeedsChange {
                from: today,
                needs,
                reason: IMPORT_REASON.into(),
                recorded_at: now,
            };
            if let Err(e) = file.sen.record_needs(change, born, today) {
                problems.push(RowProblem {
                    line: row.line,
                    severity: Severity::Warning,
                    message: format!("Needs not changed: {e}"),
                });
            }
        }
    }
}

/// What an update changes, in words, for the preview.
pub fn describe_changes(before: &PupilFile, after: &PupilFile, today: NaiveDate) -> Vec<String> {
    let (a, b) = (&before.pupil, &after.pupil);
    let mut changes = Vec::new();
    let mut change = |label: &str, old: String, new: String| {
        if old != new {
            let blank = |s: String| {
                if s.is_empty() {
                    "(blank)".to_string()
                } else {
                    s
                }
            };
            changes.push(format!("{label}: {} \u{2192} {}", blank(old), blank(new)));
        }
    };
    change("Name", a.legal_name(), b.legal_name());
    change(
        "Preferred forename",
        a.preferred_forename.clone(),
        b.preferred_forename.clone(),
    );
    change(
        "Date of birth",
        format_uk(a.date_of_birth),
        format_uk(b.date_of_birth),
    );
    change(
        "Year group",
        a.year_group.to_string(),
        b.year_group.to_string(),
    );
    change("Class", a.class_name.clone(), b.class_name.clone());
    change("Gender", a.gender.label().into(), b.gender.label().into());
    let upn = |p: &Pupil| {
        p.upn
            .as_ref()
            .map(|u| u.to_string())
            .or(p.unchecked_upn.clone())
            .unwrap_or_default()
    };
    change("UPN", upn(a), upn(b));
    change(
        "Admission date",
        a.admitted.map(format_uk).unwrap_or_default(),
        b.admitted.map(format_uk).unwrap_or_default(),
    );
    change("Flags", a.flags.codes(), b.flags.codes());
    change(
        "SEN status",
        before.sen.status_on(today).to_string(),
        after.sen.status_on(today).to_string(),
    );
    let needs = |f: &PupilFile| {
        f.sen
            .needs_on(today)
            .iter()
            .map(|n| n.need_type.code())
            .collect::<Vec<_>>()
            .join(", ")
    };
    change("Needs", needs(before), needs(after));
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Settings, Upn};

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn born() -> NaiveDate {
        NaiveDate::from_ymd_opt(2018, 5, 14).unwrap()
    }

    fn row(line: usize, forename: &str, surname: &str) -> ImportedPupil {
        ImportedPupil {
            line,
            forename: forename.into(),
            surname: surname.into(),
            preferred_forename: None,
            date_of_birth: born(),
            year_group: YearGroup::Year(3),
            upn: None,
            class_name: Some("3A".into()),
            gender: None,
            admitted: None,
            sen_status: None,
            primary_need: None,
            secondary_need: None,
            free_school_meals: None,
            pupil_premium: None,
            eal: None,
            looked_after: None,
        }
    }

    fn read(pupil: ImportedPupil) -> RowReading {
        RowReading {
            pupil: Some(pupil),
            problems: Vec::new(),
        }
    }

    /// Plans, then applies the plan to the desk as a save would.
    fn import(desk: &mut Desk, rows: Vec<RowReading>, archive: bool) -> ImportPlan {
        let mut n = desk.pupil_count();
        let plan = ImportPlan::make(desk, rows, today(), Utc::now(), || {
            n += 1;
            PupilId(format!("{n:016x}"))
        });
        for (file, base) in plan.writes(desk, archive, today()) {
            let file = match base {
                None => file,
                Some(base) => desk.edited_file(file, base, Utc::now()).unwrap(),
            };
            desk.put(file);
        }
        plan
    }

    fn upn(text: &str) -> Option<UpnCell> {
        Some(UpnCell::Valid(Upn::parse(text).unwrap()))
    }

    #[test]
    fn a_first_import_adds_everyone_and_a_second_changes_nothing() {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        let rows = || {
            let mut amira = row(2, "Amira", "Okafor");
            amira.upn = upn("B801200005001");
            amira.sen_status = Some(SenStatus::SenSupport);
            amira.primary_need = Some(NeedType::Slcn);
            amira.secondary_need = Some(NeedType::Semh);
            amira.eal = Some(true);
            let mut ben = row(3, "Ben", "Adams");
            ben.sen_status = Some(SenStatus::NoSen);
            vec![read(amira), read(ben)]
        };
        let first = import(&mut desk, rows(), false);
        assert_eq!(
            (first.new.len(), first.updated.len(), first.unchanged),
            (2, 0, 0)
        );
        let amira = desk.files().find(|f| f.pupil.surname == "Okafor").unwrap();
        assert_eq!(amira.sen.status_on(today()), SenStatus::SenSupport);
        assert_eq!(amira.sen.primary_need(today()), Some(NeedType::Slcn));
        assert_eq!(amira.sen.secondary_need(today()), Some(NeedType::Semh));
        assert!(amira.pupil.flags.eal);
        assert_eq!(amira.sen.status_changes[0].reason, IMPORT_REASON);
        let ben = desk.files().find(|f| f.pupil.surname == "Adams").unwrap();
        assert!(
            ben.sen.status_changes.is_empty(),
            "N on a new pupil records nothing"
        );

        let snapshot = desk.clone();
        let second = import(&mut desk, rows(), false);
        assert!(second.changes_nothing());
        assert_eq!(second.unchanged, 2);
        assert_eq!(desk, snapshot);
    }

    #[test]
    fn rows_match_by_upn_then_by_name_and_date_of_birth() {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        let mut amira = row(2, "Amira", "Okafor");
        amira.upn = upn("B801200005001");
        import(
            &mut desk,
            vec![read(amira), read(row(3, "Ben", "Adams"))],
            false,
        );

        // The surname changed but the UPN matches; Ben gains a UPN, matched by name and birth.
        let mut renamed = row(2, "Amira", "Okafor-Smith");
        renamed.upn = upn("B801200005001");
        let mut ben = row(3, "BEN", "adams");
        ben.upn = upn("P207000016049");
        ben.year_group = YearGroup::Year(4);
        let plan = import(&mut desk, vec![read(renamed), read(ben)], false);
        assert_eq!((plan.new.len(), plan.updated.len()), (0, 2));
        assert!(plan.updated[0]
            .changes
            .iter()
            .any(|c| c.contains("Okafor-Smith")));
        assert!(plan.updated[1]
            .changes
            .contains(&"Year group: Year 3 \u{2192} Year 4".to_string()));
        assert_eq!(desk.pupil_count(), 2);
        assert!(desk.files().any(|f| f
            .pupil
            .upn
            .as_ref()
            .is_some_and(|u| u.as_str() == "P207000016049")));
    }

    #[test]
    fn duplicate_rows_are_skipped_and_skipped_rows_write_nothing() {
        let desk = Desk::new(Settings::new("Oakfield"));
        let mut first = row(2, "Amira", "Okafor");
        first.upn = upn("B801200005001");
        let mut same_upn = row(3, "Someone", "Else");
        same_upn.upn = upn("B801200005001");
        let same_name = row(4, "amira", "OKAFOR");
        let bad = RowReading {
            pupil: None,
            problems: vec![RowProblem {
                line: 5,
                severity: Severity::Skipped,
                message: "Date of birth \u{201c}31/02/2018\u{201d} is not a date.".into(),
            }],
        };
        let plan = ImportPlan::make(
            &desk,
            vec![read(first), read(same_upn), read(same_name), bad],
            today(),
            Utc::now(),
            || PupilId("0000000000000001".into()),
        );
        assert_eq!(plan.new.len(), 1);
        assert_eq!(plan.skipped(), 3);
        let lines: Vec<usize> = plan.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert!(plan.problems[0].message.contains("line 2 has the same UPN"));
        assert!(plan.problems[1]
            .message
            .contains("same name and date of birth"));
    }

    #[test]
    fn an_unchecked_upn_is_kept_for_correction_but_never_replaces_a_good_one() {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        let mut amira = row(2, "Amira", "Okafor");
        amira.upn = Some(UpnCell::Unchecked {
            written: "A801200005001".into(),
            reason: "wrong check letter".into(),
        });
        import(&mut desk, vec![read(amira.clone())], false);
        let file = desk.files().next().unwrap();
        assert_eq!(file.pupil.unchecked_upn.as_deref(), Some("A801200005001"));
        assert_eq!(file.pupil.upn, None);
        // Matched by the same unchecked UPN next time: nothing changes.
        assert!(import(&mut desk, vec![read(amira.clone())], false).changes_nothing());
        // Corrected in the MIS: the good UPN replaces it.
        let mut fixed = amira.clone();
        fixed.upn = upn("B801200005001");
        import(&mut desk, vec![read(fixed)], false);
        let file = desk.files().next().unwrap();
        assert_eq!(file.pupil.upn.as_ref().unwrap().as_str(), "B801200005001");
        assert_eq!(file.pupil.unchecked_upn, None);
        // A typo later does not undo it.
        assert!(import(&mut desk, vec![read(amira)], false).changes_nothing());
    }

    #[test]
    fn status_changes_keep_history_and_n_leaves_monitoring_alone() {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        let mut amira = row(2, "Amira", "Okafor");
        amira.sen_status = Some(SenStatus::SenSupport);
        amira.primary_need = Some(NeedType::Slcn);
        import(&mut desk, vec![read(amira.clone())], false);
        let id = desk.files().next().unwrap().pupil.id.clone();
        let mut file = desk.file(&id).unwrap().clone();
        file.sen.needs_changes[0].needs[0].description = "Word-finding difficulties".into();
        let base = file.revision;
        let file = desk.edited_file(file, base, Utc::now()).unwrap();
        desk.put(file);

        amira.sen_status = Some(SenStatus::EhcPlan);
        amira.primary_need = Some(NeedType::Asd);
        amira.secondary_need = Some(NeedType::Slcn);
        let plan = import(&mut desk, vec![read(amira.clone())], false);
        assert!(plan.updated[0]
            .changes
            .contains(&"Needs: SLCN \u{2192} ASD, SLCN".to_string()));
        let file = desk.file(&id).unwrap();
        assert_eq!(file.sen.status_on(today()), SenStatus::EhcPlan);
        // Same-day change: both kept, the later in force, the description carried over.
        assert_eq!(file.sen.status_changes.len(), 2);
        assert_eq!(
            file.sen.needs_on(today())[1].description,
            "Word-finding difficulties"
        );

        // A monitored pupil shown as N in the MIS stays monitored.
        let mut chloe = row(3, "Chloe", "Brown");
        chloe.sen_status = Some(SenStatus::Monitoring);
        import(&mut desk, vec![read(chloe.clone())], false);
        chloe.sen_status = Some(SenStatus::NoSen);
        assert!(import(&mut desk, vec![read(amira), read(chloe)], false).changes_nothing());
    }

    #[test]
    fn nsa_for_a_pupil_not_on_sen_support_is_a_warning_not_a_write() {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        let mut amira = row(2, "Amira", "Okafor");
        amira.sen_status = Some(SenStatus::EhcPlan);
        amira.primary_need = Some(NeedType::Nsa);
        let plan = import(&mut desk, vec![read(amira)], false);
        assert_eq!(plan.new.len(), 1);
        assert_eq!(plan.problems[0].severity, Severity::Warning);
        assert!(plan.problems[0].message.contains("NSA"));
        assert!(desk.files().next().unwrap().sen.needs_changes.is_empty());
    }

    #[test]
    fn a_pupil_whose_row_was_skipped_is_not_offered_as_a_leaver() {
        use crate::io::csv_text::read_table;
        use crate::io::mis_columns::guess_mapping;
        use crate::io::mis_row::read_row;
        let mut desk = Desk::new(Settings::new("Oakfield"));
        import(
            &mut desk,
            vec![
                read(row(2, "Amira", "Okafor")),
                read(row(3, "Ben", "Adams")),
                read(row(4, "Chloe", "Brown")),
            ],
            false,
        );
        // Amira's date of birth is mistyped, so her row is skipped; Chloe has left.
        let table = read_table(
            "Surname,Forename,DOB,Year\nOkafor,Amira,31/02/2018,3\nAdams,Ben,14/05/2018,3\n",
        )
        .unwrap();
        let mapping = guess_mapping(&table.headings);
        let rows = table
            .rows
            .iter()
            .map(|r| read_row(r, &mapping, today()))
            .collect();
        let mut plan = ImportPlan::make(&desk, rows, today(), Utc::now(), || PupilId("x".into()));
        assert_eq!(plan.leavers.len(), 2);
        plan.keep_mentioned(&desk, &table, &mapping);
        let names: Vec<_> = plan.leavers.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["Brown, Chloe"]);
    }

    #[test]
    fn point_3_leavers_with_one_name_are_told_apart_in_the_import_preview() {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        let mut other_ben = row(4, "Ben", "Adams");
        other_ben.date_of_birth = NaiveDate::from_ymd_opt(2018, 1, 9).unwrap();
        import(
            &mut desk,
            vec![
                read(row(2, "Amira", "Okafor")),
                read(row(3, "Ben", "Adams")),
                read(other_ben),
            ],
            false,
        );
        let plan = import(&mut desk, vec![read(row(2, "Amira", "Okafor"))], false);
        let mut names: Vec<_> = plan.leavers.iter().map(|l| l.name.clone()).collect();
        names.sort();
        assert_eq!(
            names,
            [
                "Adams, Ben (born 09/01/2018)".to_string(),
                format!("Adams, Ben (born {})", format_uk(born())),
            ]
        );
    }

    #[test]
    fn pupils_missing_from_a_full_roll_are_listed_and_archived_only_when_asked() {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        import(
            &mut desk,
            vec![
                read(row(2, "Amira", "Okafor")),
                read(row(3, "Ben", "Adams")),
            ],
            false,
        );
        let plan = import(&mut desk, vec![read(row(2, "Amira", "Okafor"))], false);
        assert_eq!(plan.leavers.len(), 1);
        assert_eq!(plan.leavers[0].name, "Adams, Ben");
        assert!(
            desk.files().all(|f| !f.pupil.is_archived()),
            "nothing archived unless asked"
        );

        let plan = import(&mut desk, vec![read(row(2, "Amira", "Okafor"))], true);
        assert_eq!(plan.leavers.len(), 1);
        let ben = desk.files().find(|f| f.pupil.surname == "Adams").unwrap();
        assert_eq!(ben.pupil.archived, Some(today()));
        assert_eq!(ben.pupil.left, Some(today()));
        assert_eq!(desk.pupil_count(), 2, "an import never deletes");
        // Archived pupils are no longer leavers, and a row for one is refused, not applied.
        let again = import(
            &mut desk,
            vec![
                read(row(2, "Amira", "Okafor")),
                read(row(3, "Ben", "Adams")),
            ],
            false,
        );
        assert!(again.leavers.is_empty());
        assert!(again.problems[0].message.contains("archived"));
    }
}
