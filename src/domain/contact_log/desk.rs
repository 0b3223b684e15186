//! The contact log on the desk: entries by id, an edit checked against the revision it
//! began from, a pupil's entries, and what the home lists need from it.

use super::{LogEntry, MAX_ENTRIES};
use crate::domain::desk::{Desk, DeskError};
use crate::domain::pupil::PupilId;
use crate::domain::settings::school_year;
use chrono::NaiveDate;
use std::collections::HashMap;
use zeroize::Zeroize;

impl Desk {
    pub fn log_entries(&self) -> impl Iterator<Item = &LogEntry> + Clone {
        self.contact_log.values()
    }

    pub fn log_entry(&self, id: &str) -> Option<&LogEntry> {
        self.contact_log.get(id)
    }

    /// A pupil's entries, newest first.
    pub fn log_of(&self, pupil: &PupilId) -> Vec<&LogEntry> {
        let mut found: Vec<&LogEntry> = self
            .contact_log
            .values()
            .filter(|e| e.is_about(pupil))
            .collect();
        found.sort_by(|a, b| (b.on, b.at, &b.id).cmp(&(a.on, a.at, &a.id)));
        found
    }

    /// Meetings with parents logged this school year (up to `today`), by pupil.
    pub fn logged_parent_meetings(&self, today: NaiveDate) -> HashMap<&PupilId, usize> {
        let year = school_year(today);
        self.log_meetings
            .iter()
            .filter(|((_, y), _)| *y == year)
            .map(|((pupil, _), dates)| (pupil, dates.iter().filter(|d| **d <= today).count()))
            .collect()
    }

    /// Entries with an agreed action, follow-up or enquiry still open.
    pub fn log_entries_open(&self) -> impl Iterator<Item = &LogEntry> {
        self.log_open
            .iter()
            .filter_map(|id| self.contact_log.get(id))
    }

    fn index_entry(&mut self, entry: &LogEntry, add: bool) {
        let open = entry
            .actions
            .iter()
            .any(|a| a.done_on.is_none() && a.by.is_some())
            || (entry.follow_up.is_some() && entry.follow_up_done.is_none())
            || matches!(&entry.enquiry, Some(e) if e.replied_on.is_none());
        if add && open {
            self.log_open.insert(entry.id.clone());
        } else if !add {
            self.log_open.remove(&entry.id);
        }
        if entry.is_parent_meeting() {
            for pupil in &entry.pupils {
                let key = (pupil.clone(), school_year(entry.on));
                if add {
                    self.log_meetings.entry(key).or_default().push(entry.on);
                } else if let Some(dates) = self.log_meetings.get_mut(&key) {
                    if let Some(at) = dates.iter().position(|d| *d == entry.on) {
                        dates.swap_remove(at);
                    }
                    if dates.is_empty() {
                        self.log_meetings.remove(&key);
                    }
                }
            }
        }
    }

    /// The entry as it would be after an edit made from `base_revision` (None for a new
    /// one), checked; the desk is unchanged until [`Desk::put_log_entry`].
    pub fn edited_log_entry(
        &self,
        mut entry: LogEntry,
        base_revision: Option<u64>,
    ) -> Result<LogEntry, DeskError> {
        match (self.contact_log.get(&entry.id), base_revision) {
            (None, None) if self.contact_log.len() >= MAX_ENTRIES => {
                return Err(DeskError::Refused(format!(
                    "A desk can hold at most {MAX_ENTRIES} contact log entries."
                )))
            }
            (None, None) => entry.revision = 1,
            (Some(current), Some(base)) if current.revision == base => {
                entry.revision = current.revision.checked_add(1).ok_or_else(|| {
                    DeskError::Refused("This entry's revision counter is damaged.".into())
                })?;
            }
            (None, Some(_)) => {
                return Err(DeskError::Refused(
                    "That entry is no longer on this desk.".into(),
                ))
            }
            (Some(_), None) => {
                return Err(DeskError::Refused(
                    "That entry is already on this desk.".into(),
                ))
            }
            (Some(_), Some(_)) => {
                return Err(DeskError::ChangedElsewhere {
                    name: "The contact log entry".into(),
                })
            }
        }
        for pupil in &entry.pupils {
            if self.file(pupil).is_none() {
                return Err(DeskError::NoSuchPupil(pupil.clone()));
            }
        }
        entry
            .check()
            .map_err(|p| DeskError::Refused(format!("The entry cannot be saved: {p}.")))?;
        Ok(entry)
    }

    /// Puts an entry (new or changed) into the desk, after it was saved.
    pub fn put_log_entry(&mut self, entry: LogEntry) {
        self.damaged_entries.retain(|d| d != &entry.id);
        self.remove_log_entry(&entry.id);
        self.index_entry(&entry, true);
        self.contact_log.insert(entry.id.clone(), entry);
    }

    pub fn remove_log_entry(&mut self, id: &str) {
        if let Some(mut old) = self.contact_log.remove(id) {
            self.index_entry(&old, false);
            old.zeroize();
        }
    }

    /// Entries that stay after `pupil` is erased (they are about others too, or about no
    /// pupil) but whose words still name them: listed for the SENCO to redact.
    pub fn entries_naming(&self, pupil: &PupilId) -> Vec<&LogEntry> {
        let Some(file) = self.file(pupil) else {
            return Vec::new();
        };
        let p = &file.pupil;
        let mut names = vec![p.full_name().to_lowercase()];
        if !p.preferred_forename.trim().is_empty() {
            names.push(format!("{} {}", p.preferred_forename, p.surname).to_lowercase());
        }
        self.contact_log
            .values()
            .filter(|e| e.pupils.iter().any(|q| q != pupil) || e.pupils.is_empty())
            .filter(|e| {
                let text = format!(
                    "{}\n{}",
                    e.summary,
                    e.actions
                        .iter()
                        .map(|a| a.what.as_str())
                        .collect::<Vec<_>>()
                        .join("\n")
                )
                .to_lowercase();
                names.iter().any(|n| text.contains(n.as_str()))
            })
            .collect()
    }
}
