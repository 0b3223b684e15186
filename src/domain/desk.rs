//! The whole desk in memory once unlocked: settings and every pupil's file.

use super::concern::Concern;
use super::provision::record::Provision;
use super::pupil::{Pupil, PupilFile, PupilId};
use super::removal::Erasure;
use super::settings::Settings;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;
use std::fmt;
use zeroize::Zeroize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeskError {
    NoSuchPupil(PupilId),
    /// The pupil was saved elsewhere (another tab) after this edit began.
    ChangedElsewhere {
        name: String,
    },
    /// Archived files are kept read-only.
    Archived {
        name: String,
    },
    /// A rule about the record refused the change; the message says which.
    Refused(String),
}

impl fmt::Display for DeskError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeskError::NoSuchPupil(_) => write!(f, "That pupil is no longer on this desk."),
            DeskError::ChangedElsewhere { name } => write!(
                f,
                "{name}'s record was changed in another tab while you were editing. \
                 Your changes are still in the form: check them against the latest record and save again."
            ),
            DeskError::Archived { name } => write!(
                f,
                "{name} is archived as a leaver, so their file is read-only. Take them out of the archive to change it."
            ),
            DeskError::Refused(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for DeskError {}

/// A pupil file whose record could not be opened, named from the roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedFile {
    pub id: PupilId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Desk {
    pub settings: Settings,
    pupils: BTreeMap<PupilId, PupilFile>,
    /// Files that could not be opened; the rest of the desk still works.
    pub damaged: Vec<DamagedFile>,
    /// Pupils erased from this desk (or from a copy merged in), so no backup brings them back.
    pub erased: Vec<Erasure>,
    /// The school's provisions (issue 15), by id: each a record of its own.
    pub(crate) provisions: BTreeMap<String, Provision>,
    /// Ids of provision records that could not be opened; the rest of the desk still works.
    pub damaged_provisions: Vec<String>,
    /// The contact log (issue 17), by id: each entry a record of its own.
    pub(crate) contact_log: BTreeMap<String, super::contact_log::LogEntry>,
    /// Ids of log entries that could not be opened.
    pub damaged_entries: Vec<String>,
    /// Worked out from the log as entries are put, so the home lists never walk it all:
    /// ids of entries with an action, follow-up or enquiry still open, and each pupil's
    /// meetings with parents by school year (their dates).
    pub(crate) log_open: std::collections::BTreeSet<String>,
    pub(crate) log_meetings: std::collections::HashMap<(PupilId, i32), Vec<chrono::NaiveDate>>,
}

impl Desk {
    pub fn new(settings: Settings) -> Desk {
        Desk {
            settings,
            pupils: BTreeMap::new(),
            damaged: Vec::new(),
            erased: Vec::new(),
            provisions: BTreeMap::new(),
            damaged_provisions: Vec::new(),
            contact_log: BTreeMap::new(),
            damaged_entries: Vec::new(),
            log_open: Default::default(),
            log_meetings: Default::default(),
        }
    }

    pub fn pupil_count(&self) -> usize {
        self.pupils.len()
    }

    pub fn file(&self, id: &PupilId) -> Option<&PupilFile> {
        self.pupils.get(id)
    }

    pub fn note_count(&self) -> usize {
        self.pupils.values().map(|f| f.notes.len()).sum()
    }

    /// When the most recent edit on the desk was made.
    pub fn latest_change(&self) -> Option<DateTime<Utc>> {
        self.pupils.values().map(|f| f.updated_at).max()
    }

    pub fn files(&self) -> impl Iterator<Item = &PupilFile> {
        self.pupils.values()
    }

    /// Pupils in register order: surname, then forename, ignoring case.
    pub fn pupils_by_surname(&self) -> Vec<&Pupil> {
        let mut pupils: Vec<&Pupil> = self.pupils.values().map(|f| &f.pupil).collect();
        pupils.sort_by_cached_key(|p| {
            (
                p.surname.to_lowercase(),
                p.forename.to_lowercase(),
                p.id.clone(),
            )
        });
        pupils
    }

    /// Undecided concerns about pupils on roll, oldest first, with whom they concern.
    pub fn open_concerns(&self) -> Vec<(&Pupil, &Concern)> {
        let mut open: Vec<(&Pupil, &Concern)> = self
            .files()
            .filter(|f| !f.pupil.is_archived())
            .flat_map(|f| {
                f.concerns
                    .iter()
                    .filter(|c| c.is_open())
                    .map(move |c| (&f.pupil, c))
            })
            .collect();
        open.sort_by_key(|(pupil, concern)| (concern.raised_on, pupil.sort_name()));
        open
    }

    /// The file as it would be after an edit of the pupil's details made from
    /// `base_revision`; the desk itself is unchanged until [`Desk::put`], so a failed save
    /// leaves memory as it was.
    pub fn edited(
        &self,
        pupil: Pupil,
        base_revision: u64,
        now: DateTime<Utc>,
    ) -> Result<PupilFile, DeskError> {
        let mut file = self
            .pupils
            .get(&pupil.id)
            .ok_or_else(|| DeskError::NoSuchPupil(pupil.id.clone()))?
            .clone();
        file.pupil = pupil;
        self.edited_file(file, base_revision, now)
    }

    /// The whole file as it would be after an edit made from `base_revision`. An
    /// archived pupil's file is read-only: the only edit allowed is taking it out of
    /// the archive.
    pub fn edited_file(
        &self,
        mut file: PupilFile,
        base_revision: u64,
        now: DateTime<Utc>,
    ) -> Result<PupilFile, DeskError> {
        let current = self
            .pupils
            .get(&file.pupil.id)
            .ok_or_else(|| DeskError::NoSuchPupil(file.pupil.id.clone()))?;
        if current.revision != base_revision {
            return Err(DeskError::ChangedElsewhere {
                name: current.pupil.full_name(),
            });
        }
        super::plan::check_plan_history(&current.plans, &file.plans)
            .map_err(|e| DeskError::Refused(e.to_string()))?;
        // Never wraps: no real file is saved 2^64 times, so that is a damaged record.
        file.revision = current.revision.checked_add(1).ok_or_else(|| {
            DeskError::Refused(format!(
                "{}'s record cannot be saved: its revision counter is damaged. Restore it from your latest backup file.",
                current.pupil.full_name()
            ))
        })?;
        file.created_at = current.created_at;
        file.updated_at = now;
        if current.pupil.is_archived() {
            let mut unarchived = current.clone();
            unarchived.pupil.archived = None;
            unarchived.revision = file.revision;
            unarchived.updated_at = now;
            if file != unarchived {
                return Err(DeskError::Archived {
                    name: current.pupil.full_name(),
                });
            }
        }
        Ok(file)
    }

    /// Puts a file (new or changed) into the desk, after it was saved.
    pub fn put(&mut self, file: PupilFile) {
        self.damaged.retain(|d| d.id != file.pupil.id);
        if let Some(mut old) = self.pupils.insert(file.pupil.id.clone(), file) {
            old.zeroize();
        }
    }

    /// Removes a pupil after their record was deleted from storage.
    pub fn remove(&mut self, id: &PupilId) -> Option<PupilFile> {
        self.damaged.retain(|d| &d.id != id);
        self.pupils.remove(id)
    }
}

impl Zeroize for Desk {
    fn zeroize(&mut self) {
        self.settings.zeroize();
        for file in self.pupils.values_mut() {
            file.zeroize();
        }
        self.pupils.clear();
        for damaged in &mut self.damaged {
            damaged.name.zeroize();
        }
        self.damaged.clear();
        self.erased.clear();
        for provision in self.provisions.values_mut() {
            provision.zeroize();
        }
        self.provisions.clear();
        self.damaged_provisions.clear();
        for entry in self.contact_log.values_mut() {
            entry.zeroize();
        }
        self.contact_log.clear();
        self.damaged_entries.clear();
        self.log_open.clear();
        self.log_meetings.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::YearGroup;
    use chrono::NaiveDate;

    fn pupil(id: &str, forename: &str, surname: &str) -> Pupil {
        Pupil::new(
            PupilId(id.into()),
            forename,
            surname,
            NaiveDate::from_ymd_opt(2018, 1, 2).unwrap(),
            YearGroup::Year(3),
        )
    }

    fn desk() -> Desk {
        let mut desk = Desk::new(Settings::new("Oakfield"));
        for (id, f, s) in [
            ("a", "Zoe", "brown"),
            ("b", "Adam", "Brown"),
            ("c", "Ravi", "Ahmed"),
        ] {
            desk.put(PupilFile::new(pupil(id, f, s), Utc::now()));
        }
        desk
    }

    #[test]
    fn lists_pupils_by_surname_then_forename_ignoring_case() {
        let desk = desk();
        let names: Vec<String> = desk
            .pupils_by_surname()
            .iter()
            .map(|p| p.sort_name())
            .collect();
        assert_eq!(names, ["Ahmed, Ravi", "Brown, Adam", "brown, Zoe"]);
    }

    #[test]
    fn an_edit_bumps_the_revision_without_touching_the_desk_until_put() {
        let mut desk = desk();
        let changed = pupil("a", "Zoë", "Brown");
        let next = desk.edited(changed.clone(), 1, Utc::now()).unwrap();
        assert_eq!(next.revision, 2);
        assert_eq!(
            desk.file(&PupilId("a".into())).unwrap().pupil.forename,
            "Zoe"
        );
        desk.put(next);
        assert_eq!(desk.file(&PupilId("a".into())).unwrap().pupil, changed);
    }

    #[test]
    fn an_edit_from_a_stale_copy_is_refused_by_name() {
        let mut desk = desk();
        let first = desk
            .edited(pupil("a", "Zoe", "Green"), 1, Utc::now())
            .unwrap();
        desk.put(first);
        let stale = desk.edited(pupil("a", "Zoe", "Black"), 1, Utc::now());
        assert_eq!(
            stale,
            Err(DeskError::ChangedElsewhere {
                name: "Zoe Green".into()
            })
        );
    }

    #[test]
    fn an_archived_file_is_read_only_until_taken_out_of_the_archive() {
        let mut desk = desk();
        let id = PupilId("a".into());
        let mut archived = desk.file(&id).unwrap().clone();
        archived.pupil.archived = NaiveDate::from_ymd_opt(2026, 7, 22);
        let next = desk.edited_file(archived, 1, Utc::now()).unwrap();
        desk.put(next);
        let mut renamed = desk.file(&id).unwrap().pupil.clone();
        renamed.surname = "Green".into();
        assert!(matches!(
            desk.edited(renamed, 2, Utc::now()),
            Err(DeskError::Archived { .. })
        ));
        let mut back = desk.file(&id).unwrap().clone();
        back.pupil.archived = None;
        let next = desk.edited_file(back, 2, Utc::now()).unwrap();
        assert_eq!(next.revision, 3);
        desk.put(next);
        let mut renamed = desk.file(&id).unwrap().pupil.clone();
        renamed.surname = "Green".into();
        assert!(desk.edited(renamed, 3, Utc::now()).is_ok());
    }

    #[test]
    fn open_concerns_are_listed_oldest_first_without_leavers() {
        use crate::domain::concern::{Decision, Outcome, RaisedBy};
        let mut desk = desk();
        let day = |d| NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
        let concern = |raised_on, decided: bool| Concern {
            id: String::new(),
            other_decisions: Vec::new(),
            raised_on,
            raised_by: RaisedBy::Staff,
            raised_by_name: "Mrs Patel".into(),
            area: None,
            seen: "Seen".into(),
            evidence: String::new(),
            actions: String::new(),
            decision: decided.then(|| Decision {
                outcome: Outcome::Monitor,
                on: raised_on,
                note: String::new(),
                recorded_at: Utc::now(),
            }),
            recorded_at: Utc::now(),
        };
        for (id, raised, decided) in [
            ("a", day(9), false),
            ("b", day(2), false),
            ("c", day(1), true),
        ] {
            let mut file = desk.file(&PupilId(id.into())).unwrap().clone();
            file.concerns.push(concern(raised, decided));
            desk.put(file);
        }
        // A leaver's open concern is not listed.
        let mut leaver = desk.file(&PupilId("c".into())).unwrap().clone();
        leaver.concerns.push(concern(day(3), false));
        leaver.pupil.archive(day(20));
        desk.put(leaver);
        let open: Vec<String> = desk
            .open_concerns()
            .iter()
            .map(|(p, _)| p.sort_name())
            .collect();
        assert_eq!(open, ["Brown, Adam", "brown, Zoe"]);
    }

    #[test]
    fn editing_a_missing_pupil_is_an_error() {
        let desk = desk();
        assert!(matches!(
            desk.edited(pupil("zz", "A", "B"), 1, Utc::now()),
            Err(DeskError::NoSuchPupil(_))
        ));
    }

    #[test]
    fn zeroize_empties_the_desk() {
        let mut desk = desk();
        desk.zeroize();
        assert_eq!(desk.pupil_count(), 0);
        assert!(desk.settings.school_name.is_empty());
    }
}
