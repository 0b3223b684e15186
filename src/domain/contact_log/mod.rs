//! The contact log (issue 17): every conversation with parents, staff and professionals.
//! An entry is one record of the desk's own (not a pupil's): an entry about several pupils
//! shows on each of their pages and is stored, edited and merged once.

pub mod desk;
pub mod merge;
pub mod search;

use super::dates::{hh_mm, iso_date, option_iso_date, timestamp};
use super::pupil::PupilId;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const MAX_ENTRIES: usize = 100_000;
pub const MAX_SUMMARY: usize = 4_000;
pub const MAX_NAME: usize = 120;
pub const MAX_PARTIES: usize = 20;
pub const MAX_ENTRY_PUPILS: usize = 60;
pub const MAX_ACTIONS: usize = 20;
pub const MAX_ENTRY_HISTORY: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactHow {
    Meeting,
    PhoneCall,
    Email,
    Letter,
    InPerson,
    VideoCall,
}

impl ContactHow {
    pub const ALL: [ContactHow; 6] = [
        ContactHow::Meeting,
        ContactHow::PhoneCall,
        ContactHow::Email,
        ContactHow::Letter,
        ContactHow::InPerson,
        ContactHow::VideoCall,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ContactHow::Meeting => "meeting",
            ContactHow::PhoneCall => "phone_call",
            ContactHow::Email => "email",
            ContactHow::Letter => "letter",
            ContactHow::InPerson => "in_person",
            ContactHow::VideoCall => "video_call",
        }
    }

    pub fn from_code(code: &str) -> Option<ContactHow> {
        ContactHow::ALL.into_iter().find(|h| h.code() == code)
    }

    /// Met face to face or on screen: what counts as a meeting with parents (Code of
    /// Practice 6.65); a phone call, email or letter does not.
    pub fn is_meeting(self) -> bool {
        matches!(
            self,
            ContactHow::Meeting | ContactHow::InPerson | ContactHow::VideoCall
        )
    }
}

impl fmt::Display for ContactHow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ContactHow::Meeting => "Meeting",
            ContactHow::PhoneCall => "Phone call",
            ContactHow::Email => "Email",
            ContactHow::Letter => "Letter",
            ContactHow::InPerson => "In person",
            ContactHow::VideoCall => "Video call",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    Parent,
    Staff,
    Professional,
    Other,
}

impl PartyKind {
    pub const ALL: [PartyKind; 4] = [
        PartyKind::Parent,
        PartyKind::Staff,
        PartyKind::Professional,
        PartyKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            PartyKind::Parent => "parent",
            PartyKind::Staff => "staff",
            PartyKind::Professional => "professional",
            PartyKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<PartyKind> {
        PartyKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for PartyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PartyKind::Parent => "Parent or carer",
            PartyKind::Staff => "Staff",
            PartyKind::Professional => "Professional",
            PartyKind::Other => "Other",
        })
    }
}

/// Someone the contact was with: "Mrs Okafor (mother)", a parent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub kind: PartyKind,
    pub name: String,
}

/// Something agreed: what, who does it, by when, and when it was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgreedAction {
    #[serde(default)]
    pub id: String,
    pub what: String,
    #[serde(default)]
    pub who: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "option_iso_date"
    )]
    pub by: Option<NaiveDate>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "option_iso_date"
    )]
    pub done_on: Option<NaiveDate>,
}

/// An incoming enquiry: it waits from the entry's date and time until a reply is logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Enquiry {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "option_iso_date"
    )]
    pub replied_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryChange {
    #[serde(with = "timestamp")]
    pub at: DateTime<Utc>,
    pub by: String,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub id: String,
    /// Counts saves, so an edit made against an older copy is refused, not lost.
    pub revision: u64,
    #[serde(with = "iso_date")]
    pub on: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none", with = "option_time")]
    pub at: Option<NaiveTime>,
    pub how: ContactHow,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub with: Vec<Party>,
    /// The pupils it is about: none, one or several.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pupils: Vec<PupilId>,
    pub summary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<AgreedAction>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "option_iso_date"
    )]
    pub follow_up: Option<NaiveDate>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "option_iso_date"
    )]
    pub follow_up_done: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub confidential: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enquiry: Option<Enquiry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<EntryChange>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::dates::option_timestamp"
    )]
    pub edited_at: Option<DateTime<Utc>>,
}

mod option_time {
    use super::hh_mm;
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(time: &Option<NaiveTime>, s: S) -> Result<S::Ok, S::Error> {
        match time {
            Some(t) => hh_mm::serialize(t, s),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveTime>, D::Error> {
        #[derive(Deserialize)]
        struct Wrapped(#[serde(with = "hh_mm")] NaiveTime);
        Ok(Option::<Wrapped>::deserialize(d)?.map(|w| w.0))
    }
}

impl LogEntry {
    pub fn new(on: NaiveDate, how: ContactHow) -> LogEntry {
        LogEntry {
            id: String::new(),
            revision: 0,
            on,
            at: None,
            how,
            with: Vec::new(),
            pupils: Vec::new(),
            summary: String::new(),
            actions: Vec::new(),
            follow_up: None,
            follow_up_done: None,
            confidential: false,
            enquiry: None,
            history: Vec::new(),
            edited_at: None,
        }
    }

    pub fn is_about(&self, pupil: &PupilId) -> bool {
        self.pupils.contains(pupil)
    }

    /// "Phone call with Mrs Okafor (parent or carer)".
    pub fn heading(&self) -> String {
        if self.with.is_empty() {
            return self.how.to_string();
        }
        let names: Vec<&str> = self.with.iter().map(|p| p.name.as_str()).collect();
        format!("{} with {}", self.how, names.join(", "))
    }

    /// "02/11/2026 at 09:15".
    pub fn when(&self) -> String {
        match self.at {
            Some(t) => format!(
                "{} at {}",
                super::dates::format_uk(self.on),
                hh_mm::format(t)
            ),
            None => super::dates::format_uk(self.on),
        }
    }

    /// A meeting (face to face or by video) with a parent or carer.
    pub fn is_parent_meeting(&self) -> bool {
        self.how.is_meeting() && self.with.iter().any(|p| p.kind == PartyKind::Parent)
    }

    pub fn note_change(&mut self, by: &str, what: impl Into<String>, at: DateTime<Utc>) {
        self.history.push(EntryChange {
            at,
            by: by.to_string(),
            what: what.into(),
        });
        if self.history.len() > MAX_ENTRY_HISTORY {
            self.history.remove(0);
        }
        self.edited_at = Some(at);
    }

    /// Takes a pupil out (their erasure). True if they were in it.
    pub fn forget_pupil(&mut self, pupil: &PupilId) -> bool {
        let before = self.pupils.len();
        self.pupils.retain(|p| p != pupil);
        before != self.pupils.len()
    }

    /// Marks an agreed action done on `on`.
    pub fn tick_action(&mut self, action_id: &str, on: NaiveDate) -> Result<(), String> {
        let action = self
            .actions
            .iter_mut()
            .find(|a| a.id == action_id)
            .ok_or("That action is no longer on this entry.")?;
        if on < self.on {
            return Err(format!(
                "It cannot be done before the entry's date ({}).",
                super::dates::format_uk(self.on)
            ));
        }
        action.done_on = Some(on);
        Ok(())
    }

    /// What a stored or imported entry must respect; names the first problem.
    pub fn check(&self) -> Result<(), String> {
        let long = |t: &str, n: usize| t.chars().count() > n;
        if self.summary.trim().is_empty() {
            return Err("it has no summary".into());
        }
        if long(&self.summary, MAX_SUMMARY) {
            return Err("its summary is too long".into());
        }
        if self.with.len() > MAX_PARTIES
            || self
                .with
                .iter()
                .any(|p| p.name.trim().is_empty() || long(&p.name, MAX_NAME))
        {
            return Err("who it was with is blank, too long or too many".into());
        }
        if self.pupils.len() > MAX_ENTRY_PUPILS {
            return Err("it names too many pupils".into());
        }
        let mut pupils: Vec<&PupilId> = self.pupils.iter().collect();
        pupils.sort();
        pupils.dedup();
        if pupils.len() != self.pupils.len() {
            return Err("it names a pupil twice".into());
        }
        if self.actions.len() > MAX_ACTIONS {
            return Err("it has too many agreed actions".into());
        }
        for action in &self.actions {
            if action.what.trim().is_empty()
                || long(&action.what, 1_000)
                || long(&action.who, MAX_NAME)
            {
                return Err("an agreed action is blank or too long".into());
            }
            if action.done_on.is_some_and(|d| d < self.on) {
                return Err("an agreed action is done before the entry's date".into());
            }
        }
        if self.follow_up.is_some_and(|d| d < self.on)
            || self.follow_up_done.is_some_and(|d| d < self.on)
        {
            return Err("its follow-up is dated before the entry".into());
        }
        if let Some(Enquiry {
            replied_on: Some(d),
        }) = &self.enquiry
        {
            if *d < self.on {
                return Err("its reply is dated before the enquiry".into());
            }
        }
        if self.history.len() > MAX_ENTRY_HISTORY
            || self
                .history
                .iter()
                .any(|c| long(&c.by, MAX_NAME) || long(&c.what, 1_000))
        {
            return Err("its change history is too long".into());
        }
        Ok(())
    }

    pub fn give_ids(&mut self, mut fresh: impl FnMut() -> String) {
        for action in &mut self.actions {
            if action.id.is_empty() {
                action.id = fresh();
            }
        }
    }
}

impl zeroize::Zeroize for LogEntry {
    fn zeroize(&mut self) {
        self.summary.zeroize();
        for p in &mut self.with {
            p.name.zeroize();
        }
        for a in &mut self.actions {
            a.what.zeroize();
            a.who.zeroize();
        }
        for p in &mut self.pupils {
            p.0.zeroize();
        }
        self.pupils.clear();
        self.with.clear();
        self.actions.clear();
    }
}

#[cfg(test)]
mod tests;
