//! A pupil and their file: the record kept for each child.

use super::attachment::Attachment;
use super::concern::Concern;
use super::dates::parse_date;
use super::ehc::record::EhcRecord;
use super::history::FileChange;
use super::passport::Passport;
use super::plan::SupportPlan;
use super::referral::Referral;
use super::removal::Removal;
use super::sen::SenRecord;
use super::upn::Upn;
use super::year_group::YearGroup;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use zeroize::Zeroize;

/// A pupil's id: random, stable, and meaningless outside this desk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PupilId(pub String);

impl fmt::Display for PupilId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who the pupil is. Fields added after the first release default when absent, so
/// records written by version 0.1 and 0.2 still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pupil {
    pub id: PupilId,
    /// Legal forename.
    pub forename: String,
    /// Legal surname.
    pub surname: String,
    /// The name the pupil is known by, when it differs from the legal forename.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub preferred_forename: String,
    /// None when not known: an import row with a mistyped date of birth leaves it blank,
    /// "to correct", rather than losing the pupil. Nothing is worked out from a guess.
    #[serde(default, with = "super::dates::option_iso_date")]
    pub date_of_birth: Option<NaiveDate>,
    pub year_group: YearGroup,
    pub upn: Option<Upn>,
    /// A UPN from an import whose check failed, kept as given so it can be corrected
    /// (the census check lists it) rather than silently dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unchecked_upn: Option<String>,
    #[serde(default, skip_serializing_if = "Gender::is_not_recorded")]
    pub gender: Gender,
    /// Class, form or registration group.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub class_name: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::dates::option_iso_date"
    )]
    pub admitted: Option<NaiveDate>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::dates::option_iso_date"
    )]
    pub left: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Flags::is_empty")]
    pub flags: Flags,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    /// When the pupil was archived as a leaver: their file is then read-only.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::dates::option_iso_date"
    )]
    pub archived: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    #[default]
    #[serde(rename = "")]
    NotRecorded,
    #[serde(rename = "F")]
    Female,
    #[serde(rename = "M")]
    Male,
    #[serde(rename = "X")]
    Other,
}

impl Gender {
    pub fn is_not_recorded(&self) -> bool {
        *self == Gender::NotRecorded
    }

    pub const ALL: [Gender; 4] = [
        Gender::NotRecorded,
        Gender::Female,
        Gender::Male,
        Gender::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Gender::NotRecorded => "",
            Gender::Female => "F",
            Gender::Male => "M",
            Gender::Other => "X",
        }
    }

    pub fn from_code(code: &str) -> Option<Gender> {
        Gender::ALL.into_iter().find(|g| g.code() == code)
    }

    /// Reads "F", "Female", "girl", "M", "Male", "boy", "X", "Other", or blank.
    pub fn from_text(text: &str) -> Option<Gender> {
        match text.trim().to_lowercase().as_str() {
            "" | "not recorded" | "unknown" | "u" => Some(Gender::NotRecorded),
            "f" | "female" | "girl" | "g" => Some(Gender::Female),
            "m" | "male" | "boy" | "b" => Some(Gender::Male),
            "x" | "other" | "non-binary" | "o" => Some(Gender::Other),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Gender::NotRecorded => "Not recorded",
            Gender::Female => "Female",
            Gender::Male => "Male",
            Gender::Other => "Other",
        }
    }
}

/// The things a school reports alongside SEN.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Flags {
    #[serde(default, skip_serializing_if = "is_false")]
    pub pupil_premium: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub free_school_meals: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub looked_after: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub eal: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub medical: bool,
}

fn is_false(value: &bool) -> bool {
    !value
}

/// One flag, for filters and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flag {
    PupilPremium,
    FreeSchoolMeals,
    LookedAfter,
    Eal,
    Medical,
}

impl Flag {
    pub const ALL: [Flag; 5] = [
        Flag::PupilPremium,
        Flag::FreeSchoolMeals,
        Flag::LookedAfter,
        Flag::Eal,
        Flag::Medical,
    ];

    /// The short form registers use.
    pub fn code(self) -> &'static str {
        match self {
            Flag::PupilPremium => "PP",
            Flag::FreeSchoolMeals => "FSM",
            Flag::LookedAfter => "LAC",
            Flag::Eal => "EAL",
            Flag::Medical => "Med",
        }
    }

    pub fn from_code(code: &str) -> Option<Flag> {
        Flag::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Flag::PupilPremium => "Pupil premium",
            Flag::FreeSchoolMeals => "Free school meals",
            Flag::LookedAfter => "Looked-after child",
            Flag::Eal => "English as an additional language",
            Flag::Medical => "Medical needs",
        }
    }
}

impl Flags {
    pub fn is_empty(&self) -> bool {
        *self == Flags::default()
    }

    pub fn has(&self, flag: Flag) -> bool {
        match flag {
            Flag::PupilPremium => self.pupil_premium,
            Flag::FreeSchoolMeals => self.free_school_meals,
            Flag::LookedAfter => self.looked_after,
            Flag::Eal => self.eal,
            Flag::Medical => self.medical,
        }
    }

    pub fn set(&mut self, flag: Flag, on: bool) {
        match flag {
            Flag::PupilPremium => self.pupil_premium = on,
            Flag::FreeSchoolMeals => self.free_school_meals = on,
            Flag::LookedAfter => self.looked_after = on,
            Flag::Eal => self.eal = on,
            Flag::Medical => self.medical = on,
        }
    }

    /// The flags that are set, as short codes: "PP EAL".
    pub fn codes(&self) -> String {
        Flag::ALL
            .into_iter()
            .filter(|f| self.has(*f))
            .map(Flag::code)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Reads yes/no as files write it: Y, Yes, T, True, 1 / N, No, F, False, 0, blank.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "1" | "x" => Some(true),
        "" | "n" | "no" | "f" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// How a parent or carer prefers to be contacted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ContactMethod {
    #[default]
    Phone,
    Email,
    Letter,
}

impl ContactMethod {
    pub const ALL: [ContactMethod; 3] = [
        ContactMethod::Phone,
        ContactMethod::Email,
        ContactMethod::Letter,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ContactMethod::Phone => "Phone",
            ContactMethod::Email => "Email",
            ContactMethod::Letter => "Letter",
        }
    }
}

/// A parent or carer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Given when first saved (see [`super::record_id`]); blank until then.
    #[serde(default)]
    pub id: String,
    /// When the contact was added (set when first saved), so merged copies list contacts
    /// in one order. Absent for contacts added before this was kept.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::dates::option_timestamp"
    )]
    pub added_at: Option<DateTime<Utc>>,
    pub name: String,
    #[serde(default)]
    pub relationship: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub parental_responsibility: bool,
    #[serde(default)]
    pub preferred: ContactMethod,
}

impl Contact {
    /// Checks a contact typed in the form: every problem with its field name.
    pub fn validate(&self) -> Result<Contact, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let contact = Contact {
            name: self.name.trim().to_string(),
            relationship: self.relationship.trim().to_string(),
            phone: self.phone.trim().to_string(),
            email: self.email.trim().to_string(),
            ..self.clone()
        };
        if contact.name.is_empty() {
            problems.push((
                "contact-name",
                "Enter the parent or carer's name.".to_string(),
            ));
        }
        for (field, value) in [
            ("contact-name", &contact.name),
            ("contact-relationship", &contact.relationship),
            ("contact-phone", &contact.phone),
            ("contact-email", &contact.email),
        ] {
            if value.chars().count() > MAX_NAME_CHARS {
                problems.push((
                    field,
                    format!("This is too long: at most {MAX_NAME_CHARS} characters."),
                ));
            }
        }
        if !contact.phone.is_empty()
            && !contact
                .phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +()-".contains(c))
        {
            problems.push((
                "contact-phone",
                "A phone number has only digits, spaces and + ( ) -.".to_string(),
            ));
        }
        if !contact.email.is_empty() {
            let valid = contact.email.split_once('@').is_some_and(|(user, domain)| {
                !user.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            }) && !contact.email.contains(char::is_whitespace);
            if !valid {
                problems.push((
                    "contact-email",
                    "Enter an email address like name@example.com.".to_string(),
                ));
            }
        }
        match contact.preferred {
            ContactMethod::Phone if contact.phone.is_empty() => problems.push((
                "contact-phone",
                "Phone is the preferred way to contact them: enter a phone number.".to_string(),
            )),
            ContactMethod::Email if contact.email.is_empty() => problems.push((
                "contact-email",
                "Email is the preferred way to contact them: enter an email address.".to_string(),
            )),
            _ => {}
        }
        if problems.is_empty() {
            Ok(contact)
        } else {
            Err(problems)
        }
    }
}

impl Pupil {
    /// A new pupil with only the essentials; everything else starts blank.
    pub fn new(
        id: PupilId,
        forename: &str,
        surname: &str,
        date_of_birth: impl Into<Option<NaiveDate>>,
        year_group: YearGroup,
    ) -> Pupil {
        Pupil {
            id,
            forename: forename.into(),
            surname: surname.into(),
            preferred_forename: String::new(),
            date_of_birth: date_of_birth.into(),
            year_group,
            upn: None,
            unchecked_upn: None,
            gender: Gender::NotRecorded,
            class_name: String::new(),
            admitted: None,
            left: None,
            flags: Flags::default(),
            contacts: Vec::new(),
            archived: None,
        }
    }

    /// The forename the pupil goes by: preferred if recorded, else legal.
    pub fn known_as(&self) -> &str {
        if self.preferred_forename.is_empty() {
            &self.forename
        } else {
            &self.preferred_forename
        }
    }

    /// "Surname, Forename", the way registers list pupils (preferred forename, as staff know them).
    pub fn sort_name(&self) -> String {
        format!("{}, {}", self.surname, self.known_as())
    }

    /// "Forename Surname", the way people speak of a pupil.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.known_as(), self.surname)
    }

    /// The legal name in full, when it differs from the name used.
    pub fn legal_name(&self) -> String {
        format!("{} {}", self.forename, self.surname)
    }

    /// Archives the pupil as a leaver on `today`, keeping a leaving date already known.
    pub fn archive(&mut self, today: NaiveDate) {
        self.left = self.left.or(Some(today));
        self.archived = Some(today);
    }

    pub fn is_archived(&self) -> bool {
        self.archived.is_some()
    }

    /// Until when SEN records are kept (IRMS toolkit): date of birth plus 31 years; None
    /// while the date of birth is unknown (nothing is erased on a guess).
    pub fn keep_until(&self) -> Option<NaiveDate> {
        let born = self.date_of_birth?;
        Some(
            born.with_year(born.year() + 31)
                // 29 February: the day after 28 February in a common year.
                .unwrap_or_else(|| {
                    NaiveDate::from_ymd_opt(born.year() + 31, 3, 1).unwrap_or(NaiveDate::MAX)
                }),
        )
    }

    /// Whether the date of birth is blank and waits to be corrected.
    pub fn date_of_birth_to_correct(&self) -> bool {
        self.date_of_birth.is_none()
    }

    /// The date of birth as shown: "14/05/2018", or "Unknown (to correct)".
    pub fn date_of_birth_text(&self) -> String {
        self.date_of_birth
            .map(super::dates::format_uk)
            .unwrap_or_else(|| DATE_OF_BIRTH_UNKNOWN.to_string())
    }

    /// Age in whole years on `today`; None while the date of birth is unknown.
    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        self.date_of_birth
            .map(|born| today.years_since(born).unwrap_or(0))
    }

    /// Whether the date of birth is more than a year out of the year group; false while
    /// the date is unknown (that is flagged as "to correct" instead).
    pub fn year_group_misfit(&self, today: NaiveDate) -> bool {
        self.date_of_birth
            .is_some_and(|born| !self.year_group.fits_birth_date(born, today))
    }
}

/// What is shown for a date of birth that is not known.
pub const DATE_OF_BIRTH_UNKNOWN: &str = "Unknown (to correct)";

/// A dated entry in a pupil's file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Given when first saved (see [`super::record_id`]); blank until then.
    #[serde(default)]
    pub id: String,
    #[serde(with = "super::dates::iso_date")]
    pub date: NaiveDate,
    pub author: String,
    pub text: String,
}

/// The longest note the form accepts.
pub const MAX_NOTE_CHARS: usize = 4_000;
/// The most change-history entries a file from outside may carry: years of daily saves.
pub const MAX_HISTORY: usize = 20_000;

impl Note {
    /// Checks a note typed in the form: every problem with its field id.
    pub fn validate(&self, today: NaiveDate) -> Result<Note, Vec<(&'static str, String)>> {
        let note = Note {
            id: self.id.clone(),
            date: self.date,
            author: self.author.trim().to_string(),
            text: self.text.trim().to_string(),
        };
        let mut problems = Vec::new();
        if note.date > today {
            problems.push(("note-date", "The date is in the future.".to_string()));
        }
        if note.author.is_empty() {
            problems.push(("note-author", "Enter who wrote the note.".to_string()));
        } else if note.author.chars().count() > MAX_NAME_CHARS {
            problems.push((
                "note-author",
                format!("This is too long: at most {MAX_NAME_CHARS} characters."),
            ));
        }
        if note.text.is_empty() {
            problems.push(("note-text", "Write the note.".to_string()));
        } else if note.text.chars().count() > MAX_NOTE_CHARS {
            problems.push((
                "note-text",
                format!("The note is too long: at most {MAX_NOTE_CHARS} characters."),
            ));
        }
        if problems.is_empty() {
            Ok(note)
        } else {
            Err(problems)
        }
    }
}

/// Everything kept about one pupil: stored as one record, so an edit rewrites only this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PupilFile {
    pub pupil: Pupil,
    #[serde(default)]
    pub notes: Vec<Note>,
    #[serde(default, skip_serializing_if = "SenRecord::is_empty")]
    pub sen: SenRecord,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concerns: Vec<Concern>,
    /// Support plans in cycle order, drafts and active ones included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<SupportPlan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passport: Option<Passport>,
    /// Every save: when, by which key slot, what changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<FileChange>,
    /// Records deleted on purpose (a contact, a draft plan), so a merge with an older copy
    /// does not bring them back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<Removal>,
    /// Files attached to the pupil's record (reports, letters), oldest first: their
    /// details and keys, sealed with the file; their pieces are stored apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// Needs assessment requests, EHC plans and their annual reviews.
    #[serde(default, skip_serializing_if = "EhcRecord::is_empty")]
    pub ehc: EhcRecord,
    /// Referrals to external agencies, oldest first (issue 17).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<Referral>,
    /// Counts saves, so an edit made against an older copy is noticed, not silently lost.
    pub revision: u64,
    #[serde(with = "super::dates::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "super::dates::timestamp")]
    pub updated_at: DateTime<Utc>,
    /// True for a summary standing in for the file until it is opened (see `summary`):
    /// never stored, and a save built on one is refused.
    #[serde(skip)]
    pub summary_only: bool,
}

impl PupilFile {
    /// Puts a file just read (from storage or a backup) into the shape the app works
    /// with: histories in date order, and an id for every record an older app saved
    /// without one.
    pub fn tidy_after_reading(&mut self) {
        self.sen.normalise();
        self.give_derived_ids();
    }

    /// What a file from outside (a backup) must respect beyond its shape: the same limits
    /// the forms apply, so nothing oversized or contradictory enters the desk. Names the
    /// first problem.
    pub fn check_limits(&self) -> Result<(), String> {
        use super::concern::MAX_CONCERN_TEXT;
        use super::sen::{MAX_NEEDS, MAX_NEED_TEXT};
        let p = &self.pupil;
        let too_long = |what: &str| Err(format!("its {what} is too long"));
        for (what, text, limit) in [
            ("preferred forename", &p.preferred_forename, MAX_NAME_CHARS),
            ("class", &p.class_name, MAX_NAME_CHARS),
            (
                "unchecked UPN",
                &p.unchecked_upn.clone().unwrap_or_default(),
                20,
            ),
        ] {
            if text.chars().count() > limit {
                return too_long(what);
            }
        }
        if p.contacts.len() > 50 {
            return Err("it has more than 50 contacts".into());
        }
        for c in &p.contacts {
            if [&c.name, &c.relationship, &c.phone, &c.email]
                .iter()
                .any(|t| t.chars().count() > MAX_NAME_CHARS)
            {
                return too_long("contact");
            }
        }
        for change in &self.sen.needs_changes {
            if change.needs.len() > MAX_NEEDS {
                return Err(format!("it ranks more than {MAX_NEEDS} needs"));
            }
            for (i, need) in change.needs.iter().enumerate() {
                if change.needs[..i]
                    .iter()
                    .any(|n| n.need_type == need.need_type)
                {
                    return Err(format!("it ranks {} twice", need.need_type));
                }
                if need.description.chars().count() > MAX_NEED_TEXT {
                    return too_long("need description");
                }
            }
        }
        let reasons = self
            .sen
            .status_changes
            .iter()
            .map(|c| &c.reason)
            .chain(self.sen.needs_changes.iter().map(|c| &c.reason));
        for reason in reasons {
            if reason.chars().count() > MAX_NEED_TEXT {
                return too_long("reason for a change");
            }
        }
        for concern in &self.concerns {
            let texts = [
                &concern.raised_by_name,
                &concern.seen,
                &concern.evidence,
                &concern.actions,
            ];
            let note = concern
                .decision
                .as_ref()
                .map(|d| d.note.chars().count())
                .unwrap_or(0);
            if texts.iter().any(|t| t.chars().count() > MAX_CONCERN_TEXT) || note > MAX_CONCERN_TEXT
            {
                return too_long("concern");
            }
        }
        self.check_record_ids()?;
        super::attachment::check_attachments(&self.attachments)?;
        super::plan::check_plan_history(&[], &self.plans)
            .map_err(|e| format!("its support plans are not valid: {e}"))?;
        for plan in &self.plans {
            plan.check()
                .map_err(|e| format!("its support plan {} is not valid: {e}", plan.cycle))?;
        }
        if let Some(passport) = &self.passport {
            passport
                .check()
                .map_err(|(_, e)| format!("its pupil passport is not valid: {e}"))?;
        }
        if !self.ehc.is_empty() {
            // A review marked held with its meeting still ahead is a form's rule on the
            // day; from outside, the clock that wrote it may differ from this one.
            self.ehc.check(NaiveDate::MAX)?;
        }
        if self.referrals.len() > super::referral::MAX_REFERRALS {
            return Err("it holds too many referrals".into());
        }
        for referral in &self.referrals {
            // A report file it names may be absent (a records-only backup leaves files
            // out): the referral then says so, and nothing else depends on it.
            referral.check()?;
        }
        if self.history.len() > MAX_HISTORY {
            return Err(format!(
                "its change history has more than {MAX_HISTORY} entries"
            ));
        }
        let overlong = |c: &FileChange| {
            c.by.chars().count() > MAX_NAME_CHARS
                || c.what.len() > 50
                || c.what.iter().any(|w| w.chars().count() > 1_000)
        };
        if self.history.iter().any(overlong) {
            return too_long("change history");
        }
        Ok(())
    }

    pub fn new(pupil: Pupil, now: DateTime<Utc>) -> PupilFile {
        PupilFile {
            pupil,
            notes: Vec::new(),
            sen: SenRecord::default(),
            concerns: Vec::new(),
            plans: Vec::new(),
            passport: None,
            history: Vec::new(),
            removed: Vec::new(),
            attachments: Vec::new(),
            ehc: EhcRecord::default(),
            referrals: Vec::new(),
            revision: 1,
            created_at: now,
            updated_at: now,
            summary_only: false,
        }
    }
}

// Decrypted records are wiped on lock. Dates are overwritten too: a date of birth identifies.
impl Zeroize for Pupil {
    fn zeroize(&mut self) {
        self.id.0.zeroize();
        self.forename.zeroize();
        self.surname.zeroize();
        self.preferred_forename.zeroize();
        self.class_name.zeroize();
        self.date_of_birth = None;
        if let Some(upn) = self.upn.take() {
            String::from(upn).zeroize();
        }
        self.unchecked_upn.zeroize();
        for contact in &mut self.contacts {
            contact.name.zeroize();
            contact.relationship.zeroize();
            contact.phone.zeroize();
            contact.email.zeroize();
        }
        self.contacts.clear();
    }
}

impl Zeroize for PupilFile {
    fn zeroize(&mut self) {
        self.pupil.zeroize();
        for note in &mut self.notes {
            note.author.zeroize();
            note.text.zeroize();
            note.date = NaiveDate::MIN;
        }
        self.notes.clear();
        self.sen.zeroize();
        for concern in &mut self.concerns {
            concern.zeroize();
        }
        self.concerns.clear();
        for plan in &mut self.plans {
            plan.zeroize();
        }
        self.plans.clear();
        if let Some(passport) = &mut self.passport {
            passport.zeroize();
        }
        self.passport = None;
        for change in &mut self.history {
            change.zeroize();
        }
        self.history.clear();
        for attachment in &mut self.attachments {
            attachment.zeroize();
        }
        self.attachments.clear();
        self.ehc.zeroize();
        for referral in &mut self.referrals {
            referral.zeroize();
        }
        self.referrals.clear();
    }
}

/// The pupil form as typed, before validation. Keeping the raw text means nothing the
/// user typed is lost when a save fails.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PupilDraft {
    pub forename: String,
    pub surname: String,
    pub preferred_forename: String,
    /// dd/mm/yyyy as typed (yyyy-mm-dd is accepted too).
    pub date_of_birth: String,
    /// A year group code: N1, N2, R, 1 … 14.
    pub year_group: String,
    pub upn: String,
    /// A gender code: "", F, M, X.
    pub gender: String,
    pub class_name: String,
    /// dd/mm/yyyy as typed, or blank.
    pub admitted: String,
    pub left: String,
    pub flags: Flags,
}

/// A form field, so an error can be shown next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PupilField {
    Forename,
    Surname,
    PreferredForename,
    DateOfBirth,
    YearGroup,
    Upn,
    Gender,
    ClassName,
    Admitted,
    Left,
}

/// Something wrong with a draft, worded for the person filling the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PupilProblem {
    pub field: PupilField,
    pub message: String,
}

/// The longest name the form accepts: generous for any real name, small enough to stay fast.
const MAX_NAME_CHARS: usize = 100;

impl PupilDraft {
    pub fn from_pupil(pupil: &Pupil) -> PupilDraft {
        let date = |d: Option<NaiveDate>| d.map(super::dates::format_uk).unwrap_or_default();
        PupilDraft {
            forename: pupil.forename.clone(),
            surname: pupil.surname.clone(),
            preferred_forename: pupil.preferred_forename.clone(),
            date_of_birth: date(pupil.date_of_birth),
            year_group: pupil.year_group.code(),
            // An unchecked UPN is shown so it can be corrected: saving checks it.
            upn: pupil
                .upn
                .as_ref()
                .map(|u| u.to_string())
                .or_else(|| pupil.unchecked_upn.clone())
                .unwrap_or_default(),
            gender: pupil.gender.code().into(),
            class_name: pupil.class_name.clone(),
            admitted: date(pupil.admitted),
            left: date(pupil.left),
            flags: pupil.flags,
        }
    }

    /// The draft applied to an existing pupil: what the form does not show (contacts,
    /// archive state) is kept.
    /// A date of birth already unknown ("to correct") may stay blank, so the rest of the
    /// form can still be saved; once set it cannot be blanked.
    pub fn apply_to(&self, pupil: &Pupil, today: NaiveDate) -> Result<Pupil, Vec<PupilProblem>> {
        let mut next = self.check(pupil.id.clone(), today, pupil.date_of_birth.is_none())?;
        next.contacts = pupil.contacts.clone();
        next.archived = pupil.archived;
        Ok(next)
    }

    /// Checks every field and returns the pupil, or every problem at once.
    pub fn validate(&self, id: PupilId, today: NaiveDate) -> Result<Pupil, Vec<PupilProblem>> {
        self.check(id, today, false)
    }

    fn check(
        &self,
        id: PupilId,
        today: NaiveDate,
        may_stay_unknown: bool,
    ) -> Result<Pupil, Vec<PupilProblem>> {
        let mut problems = Vec::new();
        let mut problem = |field, message: String| problems.push(PupilProblem { field, message });

        let forename = self.forename.trim().to_string();
        let surname = self.surname.trim().to_string();
        let preferred_forename = self.preferred_forename.trim().to_string();
        let class_name = self.class_name.trim().to_string();
        for (field, value, label) in [
            (PupilField::Forename, &forename, "forename"),
            (PupilField::Surname, &surname, "surname"),
            (
                PupilField::PreferredForename,
                &preferred_forename,
                "preferred forename",
            ),
            (PupilField::ClassName, &class_name, "class"),
        ] {
            if value.is_empty() {
                if matches!(field, PupilField::Forename | PupilField::Surname) {
                    problem(field, format!("Enter the pupil's {label}."));
                }
            } else if value.chars().count() > MAX_NAME_CHARS {
                problem(
                    field,
                    format!("The {label} is too long: at most {MAX_NAME_CHARS} characters."),
                );
            }
        }

        let date_of_birth = if self.date_of_birth.trim().is_empty() && may_stay_unknown {
            Some(None)
        } else if self.date_of_birth.trim().is_empty() {
            problem(
                PupilField::DateOfBirth,
                "Enter the date of birth, for example 23/11/2019.".into(),
            );
            None
        } else {
            match parse_date(&self.date_of_birth) {
                None => {
                    problem(
                        PupilField::DateOfBirth,
                        "That is not a date: write it as day/month/year, for example 23/11/2019."
                            .into(),
                    );
                    None
                }
                Some(date) if date > today => {
                    problem(
                        PupilField::DateOfBirth,
                        "The date of birth is in the future.".into(),
                    );
                    None
                }
                Some(date) if today.year() - date.year() > 30 => {
                    problem(
                        PupilField::DateOfBirth,
                        "That date of birth makes the pupil over 30: check the year.".into(),
                    );
                    None
                }
                Some(date) => Some(Some(date)),
            }
        };

        let year_group = match YearGroup::from_code(&self.year_group) {
            Some(year) => Some(year),
            None => {
                problem(PupilField::YearGroup, "Choose a year group.".into());
                None
            }
        };

        let gender = Gender::from_code(self.gender.trim()).unwrap_or_else(|| {
            problem(
                PupilField::Gender,
                "Choose a gender, or not recorded.".into(),
            );
            Gender::NotRecorded
        });
        let mut optional_date = |field, text: &str, label: &str| {
            if text.trim().is_empty() {
                return None;
            }
            let date = parse_date(text);
            if date.is_none() {
                problems.push(PupilProblem {
                    field,
                    message: format!(
                        "The {label} is not a date: write it as day/month/year, for example 01/09/2024."
                    ),
                });
            }
            date
        };
        let admitted = optional_date(PupilField::Admitted, &self.admitted, "admission date");
        let left = optional_date(PupilField::Left, &self.left, "leaving date");
        if let (Some(admitted), Some(left)) = (admitted, left) {
            if left < admitted {
                problems.push(PupilProblem {
                    field: PupilField::Left,
                    message: "The leaving date is before the admission date.".into(),
                });
            }
        }
        let mut problem = |field, message: String| problems.push(PupilProblem { field, message });

        let upn = if self.upn.trim().is_empty() {
            None
        } else {
            match Upn::parse(&self.upn) {
                Ok(upn) => Some(upn),
                Err(reason) => {
                    problem(PupilField::Upn, reason.to_string());
                    None
                }
            }
        };

        match (date_of_birth, year_group) {
            (Some(date_of_birth), Some(year_group)) if problems.is_empty() => Ok(Pupil {
                preferred_forename: if preferred_forename == forename {
                    String::new()
                } else {
                    preferred_forename
                },
                upn,
                gender,
                class_name,
                admitted,
                left,
                flags: self.flags,
                ..Pupil::new(id, &forename, &surname, date_of_birth, year_group)
            }),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn draft() -> PupilDraft {
        PupilDraft {
            forename: " Amira ".into(),
            surname: "Okafor".into(),
            date_of_birth: "2018-05-14".into(),
            year_group: "3".into(),
            upn: "B801200005001".into(),
            ..PupilDraft::default()
        }
    }

    #[test]
    fn a_complete_draft_becomes_a_pupil_with_trimmed_names() {
        let pupil = draft().validate(PupilId("p-1".into()), today()).unwrap();
        assert_eq!(pupil.forename, "Amira");
        assert_eq!(pupil.sort_name(), "Okafor, Amira");
        assert_eq!(pupil.year_group, YearGroup::Year(3));
        assert_eq!(pupil.upn.unwrap().as_str(), "B801200005001");
    }

    #[test]
    fn upn_is_optional_but_checked_when_given() {
        let mut d = draft();
        d.upn = "  ".into();
        assert_eq!(d.validate(PupilId("p".into()), today()).unwrap().upn, None);
        d.upn = "A801200005001".into();
        let problems = d.validate(PupilId("p".into()), today()).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].field, PupilField::Upn);
        assert!(problems[0].message.contains("check letter"));
    }

    #[test]
    fn every_problem_is_reported_against_its_field() {
        let empty = PupilDraft::default();
        let problems = empty.validate(PupilId("p".into()), today()).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            vec![
                PupilField::Forename,
                PupilField::Surname,
                PupilField::DateOfBirth,
                PupilField::YearGroup
            ]
        );
    }

    #[test]
    fn refuses_future_and_implausible_dates_of_birth() {
        let mut d = draft();
        d.date_of_birth = "24/11/2026".into();
        let problems = d.validate(PupilId("p".into()), today()).unwrap_err();
        assert!(problems[0].message.contains("future"));
        d.date_of_birth = "1980-01-01".into();
        let problems = d.validate(PupilId("p".into()), today()).unwrap_err();
        assert!(problems[0].message.contains("over 30"));
        d.date_of_birth = "30/02/2019".into();
        let problems = d.validate(PupilId("p".into()), today()).unwrap_err();
        assert!(problems[0].message.contains("not a date"));
    }

    #[test]
    fn a_draft_made_from_a_pupil_validates_back_to_the_same_pupil() {
        let pupil = draft().validate(PupilId("p-9".into()), today()).unwrap();
        let draft = PupilDraft::from_pupil(&pupil);
        // The form shows the date the British way.
        assert_eq!(
            draft.date_of_birth,
            pupil
                .date_of_birth
                .map(crate::domain::dates::format_uk)
                .unwrap_or_default()
        );
        let again = draft.validate(PupilId("p-9".into()), today()).unwrap();
        assert_eq!(again, pupil);
    }

    #[test]
    fn the_optional_details_are_checked_and_kept() {
        let mut d = draft();
        d.preferred_forename = "Mira".into();
        d.gender = "F".into();
        d.class_name = " 3B ".into();
        d.admitted = "01/09/2022".into();
        d.flags.eal = true;
        let pupil = d.validate(PupilId("p".into()), today()).unwrap();
        assert_eq!(pupil.full_name(), "Mira Okafor");
        assert_eq!(pupil.legal_name(), "Amira Okafor");
        assert_eq!(pupil.class_name, "3B");
        assert_eq!(pupil.gender, Gender::Female);
        assert_eq!(pupil.admitted, NaiveDate::from_ymd_opt(2022, 9, 1));
        assert!(pupil.flags.eal && !pupil.flags.looked_after);
        assert_eq!(
            PupilDraft::from_pupil(&pupil).validate(PupilId("p".into()), today()),
            Ok(pupil)
        );

        d.admitted = "1st Sept".into();
        d.left = "01/01/2020".into();
        d.gender = "Q".into();
        let fields: Vec<_> = d
            .validate(PupilId("p".into()), today())
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, [PupilField::Gender, PupilField::Admitted]);
        d.admitted = "01/09/2022".into();
        let problems = d.validate(PupilId("p".into()), today()).unwrap_err();
        assert!(problems
            .iter()
            .any(|p| p.field == PupilField::Left && p.message.contains("before the admission")));
    }

    #[test]
    fn notes_need_an_author_and_text_and_no_future_date() {
        let note = Note {
            id: String::new(),
            date: today(),
            author: " SENCO ".into(),
            text: " Met parents ".into(),
        };
        assert_eq!(note.validate(today()).unwrap().text, "Met parents");
        let bad = Note {
            id: String::new(),
            date: today().succ_opt().unwrap(),
            author: " ".into(),
            text: String::new(),
        };
        let fields: Vec<_> = bad
            .validate(today())
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(fields, ["note-date", "note-author", "note-text"]);
    }

    #[test]
    fn keep_until_is_the_date_of_birth_plus_31_years() {
        let mut pupil = draft().validate(PupilId("p".into()), today()).unwrap();
        assert_eq!(pupil.keep_until(), NaiveDate::from_ymd_opt(2049, 5, 14));
        pupil.date_of_birth = NaiveDate::from_ymd_opt(2016, 2, 29);
        assert_eq!(pupil.keep_until(), NaiveDate::from_ymd_opt(2047, 3, 1));
    }

    #[test]
    fn contacts_are_checked_field_by_field() {
        let good = Contact {
            name: " Grace Okafor ".into(),
            relationship: "Mother".into(),
            phone: "07700 900123".into(),
            parental_responsibility: true,
            ..Contact::default()
        };
        assert_eq!(good.validate().unwrap().name, "Grace Okafor");
        let bad = Contact {
            name: String::new(),
            phone: "call me".into(),
            email: "grace@".into(),
            preferred: ContactMethod::Email,
            ..Contact::default()
        };
        let fields: Vec<_> = bad
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(fields, ["contact-name", "contact-phone", "contact-email"]);
    }

    #[test]
    fn blank_details_are_left_out_of_the_stored_record() {
        let pupil = draft()
            .validate(PupilId("0123456789abcdef".into()), today())
            .unwrap();
        let json = serde_json::to_string(&PupilFile::new(pupil.clone(), Utc::now())).unwrap();
        for absent in [
            "preferred_forename",
            "gender",
            "flags",
            "contacts",
            "archived",
            "sen",
            "concerns",
        ] {
            assert!(!json.contains(absent), "{absent} in {json}");
        }
        let back: PupilFile = serde_json::from_str(&json).unwrap();
        assert_eq!(back.pupil, pupil);
    }

    #[test]
    fn point_1_an_unknown_date_of_birth_is_stored_shown_and_computed_as_unknown() {
        let mut pupil = draft()
            .validate(PupilId("0123456789abcdef".into()), today())
            .unwrap();
        pupil.date_of_birth = None;
        // Stored as null and read back as unknown; old records with a date still open.
        let json = serde_json::to_string(&pupil).unwrap();
        assert!(json.contains("\"date_of_birth\":null"), "{json}");
        assert_eq!(serde_json::from_str::<Pupil>(&json).unwrap(), pupil);
        // Nothing is guessed from it.
        assert_eq!(pupil.keep_until(), None);
        assert_eq!(pupil.age_on(today()), None);
        assert!(!pupil.year_group_misfit(today()));
        assert!(pupil.date_of_birth_to_correct());
        assert_eq!(pupil.date_of_birth_text(), "Unknown (to correct)");
        // The form shows it blank, saves other changes with it still blank, and sets it later.
        let mut form = PupilDraft::from_pupil(&pupil);
        assert_eq!(form.date_of_birth, "");
        form.class_name = "3B".into();
        let saved = form.apply_to(&pupil, today()).unwrap();
        assert_eq!(
            (saved.class_name.as_str(), saved.date_of_birth),
            ("3B", None)
        );
        form.date_of_birth = "31/02/2016".into();
        assert_eq!(
            form.apply_to(&pupil, today()).unwrap_err()[0].field,
            PupilField::DateOfBirth
        );
        form.date_of_birth = "29/02/2016".into();
        let set = form.apply_to(&pupil, today()).unwrap();
        assert_eq!(set.date_of_birth, NaiveDate::from_ymd_opt(2016, 2, 29));
        assert_eq!(set.age_on(today()), Some(10));
        // Once known, a date of birth cannot be blanked, and a new pupil needs one.
        form.date_of_birth = String::new();
        assert!(form.apply_to(&set, today()).is_err());
        assert!(form.validate(PupilId("p".into()), today()).is_err());
    }

    #[test]
    fn point_1_year_group_misfit_is_more_than_a_year_out() {
        let mut pupil = draft().validate(PupilId("p".into()), today()).unwrap();
        pupil.date_of_birth = NaiveDate::from_ymd_opt(2016, 2, 29); // year 6 in 2026-27
        pupil.year_group = YearGroup::Year(5);
        assert!(!pupil.year_group_misfit(today()));
        pupil.year_group = YearGroup::Year(4);
        assert!(pupil.year_group_misfit(today()));
    }

    #[test]
    fn records_from_before_these_fields_still_open() {
        let old = r#"{"id":"0123456789abcdef","forename":"Amira","surname":"Okafor","date_of_birth":"2018-05-14","year_group":"3","upn":null}"#;
        let pupil: Pupil = serde_json::from_str(old).unwrap();
        assert_eq!(pupil.gender, Gender::NotRecorded);
        assert!(pupil.contacts.is_empty() && pupil.archived.is_none());
    }

    #[test]
    fn zeroize_wipes_everything_identifying() {
        let pupil = draft().validate(PupilId("p-2".into()), today()).unwrap();
        let mut file = PupilFile::new(pupil, Utc::now());
        file.notes.push(Note {
            id: String::new(),
            date: today(),
            author: "SENCO".into(),
            text: "Met parents".into(),
        });
        file.zeroize();
        assert!(file.pupil.forename.is_empty() && file.pupil.surname.is_empty());
        assert_eq!(file.pupil.upn, None);
        assert_eq!(file.pupil.date_of_birth, None);
        assert!(file.notes.is_empty());
    }
}
