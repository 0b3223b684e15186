//! Year-end rollover: every pupil on roll moves up one year group, and the final year
//! is offered as leavers to archive.

use super::desk::Desk;
use super::names::NameOrder;
use super::pupil::{PupilFile, PupilId};
use super::year_group::YearGroup;
use chrono::NaiveDate;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloverPupil {
    pub id: PupilId,
    pub name: String,
    pub year: YearGroup,
    pub base_revision: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollover {
    pub final_year: YearGroup,
    /// Pupils moving up, with their year now.
    pub moving: Vec<RolloverPupil>,
    /// Pupils in the final year (or year 14): leavers unless the SENCO keeps them.
    pub leaving: Vec<RolloverPupil>,
}

/// The school's final year as the roll shows it: the highest year group on roll.
pub fn final_year_on_roll(desk: &Desk) -> Option<YearGroup> {
    desk.files()
        .filter(|f| !f.pupil.is_archived())
        .map(|f| f.pupil.year_group)
        .max()
}

impl Rollover {
    pub fn plan(desk: &Desk, final_year: YearGroup) -> Rollover {
        let mut rollover = Rollover {
            final_year,
            moving: Vec::new(),
            leaving: Vec::new(),
        };
        let labels = desk.name_labels(NameOrder::SurnameFirst);
        for file in desk.files().filter(|f| !f.pupil.is_archived()) {
            let pupil = RolloverPupil {
                id: file.pupil.id.clone(),
                name: labels[&file.pupil.id].clone(),
                year: file.pupil.year_group,
                base_revision: file.revision,
            };
            if pupil.year >= final_year || pupil.year.next().is_none() {
                rollover.leaving.push(pupil);
            } else {
                rollover.moving.push(pupil);
            }
        }
        for list in [&mut rollover.moving, &mut rollover.leaving] {
            list.sort_by(|a, b| {
                (a.year, a.name.to_lowercase()).cmp(&(b.year, b.name.to_lowercase()))
            });
        }
        rollover
    }

    /// The files to write: everyone moving goes up a year; the leavers chosen are
    /// archived as of `today`; final-year pupils not chosen stay where they are.
    pub fn writes(
        &self,
        desk: &Desk,
        archive: &BTreeSet<PupilId>,
        today: NaiveDate,
    ) -> Vec<(PupilFile, Option<u64>)> {
        let mut writes = Vec::new();
        for pupil in &self.moving {
            if let (Some(file), Some(next)) = (desk.file(&pupil.id), pupil.year.next()) {
                let mut file = file.clone();
                file.pupil.year_group = next;
                writes.push((file, Some(pupil.base_revision)));
            }
        }
        for pupil in self.leaving.iter().filter(|p| archive.contains(&p.id)) {
            if let Some(file) = desk.file(&pupil.id) {
                let mut file = file.clone();
                file.pupil.archive(today);
                writes.push((file, Some(pupil.base_revision)));
            }
        }
        writes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Pupil, Settings};
    use chrono::Utc;

    fn desk() -> Desk {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        let born = NaiveDate::from_ymd_opt(2016, 1, 1).unwrap();
        for (id, name, year) in [
            ("a", "Amira", YearGroup::N2),
            ("b", "Ben", YearGroup::Reception),
            ("c", "Chloe", YearGroup::Year(5)),
            ("d", "Dev", YearGroup::Year(6)),
            ("e", "Ella", YearGroup::Year(6)),
        ] {
            desk.put(PupilFile::new(
                Pupil::new(PupilId(id.into()), name, "Test", born, year),
                Utc::now(),
            ));
        }
        desk
    }

    #[test]
    fn everyone_moves_up_and_the_chosen_leavers_are_archived() {
        let mut desk = desk();
        assert_eq!(final_year_on_roll(&desk), Some(YearGroup::Year(6)));
        let plan = Rollover::plan(&desk, YearGroup::Year(6));
        assert_eq!(plan.moving.len(), 3);
        let leaving: Vec<_> = plan.leaving.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(leaving, ["Test, Dev", "Test, Ella"]);
        let today = NaiveDate::from_ymd_opt(2027, 7, 21).unwrap();
        // Ella is staying on (kept back a year): not archived, not moved.
        let archive: BTreeSet<PupilId> = [PupilId("d".into())].into();
        for (file, base) in plan.writes(&desk, &archive, today) {
            let file = desk.edited_file(file, base.unwrap(), Utc::now()).unwrap();
            desk.put(file);
        }
        let year = |id: &str| desk.file(&PupilId(id.into())).unwrap().pupil.year_group;
        assert_eq!(year("a"), YearGroup::Reception);
        assert_eq!(year("b"), YearGroup::Year(1));
        assert_eq!(year("c"), YearGroup::Year(6));
        assert_eq!(year("e"), YearGroup::Year(6));
        let dev = &desk.file(&PupilId("d".into())).unwrap().pupil;
        assert_eq!(
            (dev.archived, dev.left, dev.year_group),
            (Some(today), Some(today), YearGroup::Year(6))
        );
        // Archived pupils are left out of the next rollover.
        let next = Rollover::plan(&desk, YearGroup::Year(6));
        assert_eq!(next.moving.len() + next.leaving.len(), 4);
    }

    #[test]
    fn year_14_always_leaves_whatever_the_final_year() {
        let mut desk = desk();
        let born = NaiveDate::from_ymd_opt(2008, 1, 1).unwrap();
        desk.put(PupilFile::new(
            Pupil::new(
                PupilId("f".into()),
                "Finn",
                "Test",
                born,
                YearGroup::Year(14),
            ),
            Utc::now(),
        ));
        let plan = Rollover::plan(&desk, YearGroup::Year(14));
        assert_eq!(plan.leaving.len(), 1);
        assert_eq!(plan.leaving[0].name, "Test, Finn");
    }
}
