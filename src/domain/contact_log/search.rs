//! The desk-wide search of the log: by text, person, pupil and date range. The text of
//! every entry is lowered once ([`SearchIndex`]), so each keystroke is a scan of plain
//! strings, not a re-reading of every entry.

use super::LogEntry;
use crate::domain::pupil::PupilId;
use chrono::NaiveDate;
use std::collections::HashMap;

/// What the search form holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogQuery {
    pub text: String,
    pub person: String,
    pub pupil: Option<PupilId>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

struct Indexed {
    id: String,
    on: NaiveDate,
    pupils: Vec<PupilId>,
    /// Summary, actions, people and pupils' names, lowered.
    text: String,
    people: String,
}

/// Every entry's searchable text, newest first.
pub struct SearchIndex {
    entries: Vec<Indexed>,
}

impl SearchIndex {
    /// `names` gives each pupil's name as lists show it, so a search for a pupil's name
    /// finds the entries about them.
    pub fn new<'a>(
        entries: impl Iterator<Item = &'a LogEntry>,
        names: &HashMap<PupilId, String>,
    ) -> SearchIndex {
        let mut indexed: Vec<(NaiveDate, Option<chrono::NaiveTime>, Indexed)> = entries
            .map(|e| {
                let people = e
                    .with
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join("\n")
                    .to_lowercase();
                let mut text = e.summary.to_lowercase();
                for a in &e.actions {
                    text.push('\n');
                    text.push_str(&a.what.to_lowercase());
                    text.push('\n');
                    text.push_str(&a.who.to_lowercase());
                }
                text.push('\n');
                text.push_str(&people);
                for p in &e.pupils {
                    if let Some(name) = names.get(p) {
                        text.push('\n');
                        text.push_str(&name.to_lowercase());
                    }
                }
                (
                    e.on,
                    e.at,
                    Indexed {
                        id: e.id.clone(),
                        on: e.on,
                        pupils: e.pupils.clone(),
                        text,
                        people,
                    },
                )
            })
            .collect();
        indexed.sort_by(|a, b| (b.0, b.1, &b.2.id).cmp(&(a.0, a.1, &a.2.id)));
        SearchIndex {
            entries: indexed.into_iter().map(|(_, _, i)| i).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The ids of matching entries, newest first, and how many matched in all (only the
    /// first `limit` ids are returned, for a page of results).
    pub fn find(&self, query: &LogQuery, limit: usize) -> (Vec<String>, usize) {
        let text = query.text.trim().to_lowercase();
        let person = query.person.trim().to_lowercase();
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut ids = Vec::new();
        let mut total = 0;
        for e in &self.entries {
            if query.from.is_some_and(|from| e.on < from) || query.to.is_some_and(|to| e.on > to) {
                continue;
            }
            if let Some(pupil) = &query.pupil {
                if !e.pupils.contains(pupil) {
                    continue;
                }
            }
            if !person.is_empty() && !e.people.contains(&person) {
                continue;
            }
            if !words.iter().all(|w| e.text.contains(w)) {
                continue;
            }
            total += 1;
            if ids.len() < limit {
                ids.push(e.id.clone());
            }
        }
        (ids, total)
    }
}

/// A pupil's entries as timeline lines; a confidential one says only that it is there.
pub fn timeline_lines(entries: Vec<&LogEntry>) -> Vec<crate::domain::timeline::TimelineEntry> {
    entries
        .into_iter()
        .map(|e| crate::domain::timeline::TimelineEntry {
            date: e.on,
            recorded_at: None,
            kind: "Contact",
            text: if e.confidential {
                format!("{} (confidential: open the entry to read it)", e.heading())
            } else {
                format!("{}: {}", e.heading(), e.summary)
            },
        })
        .collect()
}
