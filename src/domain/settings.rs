//! The school's own settings, kept in their own small record.

use super::due::Dismissal;
use super::ehc::review_dates::{LeadTimes, LEAST_NOTICE_WEEKS};
use super::ehc::transfer::TransferYears;
use super::library::Library;
use super::provision::setup::ProvisionSetup;
use super::referral::AgencySetup;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

/// Minutes of inactivity before the desk locks itself, unless the school changes it.
pub const DEFAULT_AUTO_LOCK_MINUTES: u32 = 10;
/// The longest auto-lock the settings allow: an unattended unlocked desk is a risk.
pub const MAX_AUTO_LOCK_MINUTES: u32 = 120;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub school_name: String,
    pub auto_lock_minutes: u32,
    /// When the last year-end rollover was done, so it is not done twice in a year.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::dates::option_iso_date"
    )]
    pub last_rollover: Option<NaiveDate>,
    /// The school's strategy and outcome library; None until first edited, meaning the
    /// seeded examples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<Library>,
    /// Home-screen items hidden for a week.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dismissed: Vec<Dismissal>,
    /// Lets the browser check spelling in long text boxes. Off unless the school turns it
    /// on: some browsers' spell checkers send what is typed to a cloud service.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub spell_check_long_text: bool,
    /// The column choices of recent MIS imports, by their headings (never any cell), so
    /// the next file with the same headings is matched the same way. Newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub import_columns: Vec<ImportColumns>,
    /// Leave the pupil's needs off printed passports (staff read them in class).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub passports_without_needs: bool,
    /// The desk has a recovery key nobody has yet confirmed keeping (made with the desk,
    /// by a restore, or in settings). Absent in desks made before 0.6: those count as
    /// confirmed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recovery_key_unconfirmed: bool,
    /// Staff who deliver provision, their rates, term dates and the threshold (issue 15).
    #[serde(default, skip_serializing_if = "ProvisionSetup::is_default")]
    pub provision: ProvisionSetup,
    /// EHC lead times, transfer years and whether EHC pupils have termly plans (issue 16).
    #[serde(default, skip_serializing_if = "EhcSettings::is_default")]
    pub ehc: EhcSettings,
    /// The agency directory and the referral follow-up time (issue 17).
    #[serde(default, skip_serializing_if = "AgencySetup::is_default")]
    pub agencies: AgencySetup,
}

/// How the school runs its EHC reviews.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EhcSettings {
    #[serde(default)]
    pub lead: LeadTimes,
    #[serde(default)]
    pub transfer_years: TransferYears,
    /// The school also writes termly SEN support plans for pupils with an EHC plan, so
    /// home lists those without an active one.
    #[serde(default)]
    pub termly_plans: bool,
}

impl EhcSettings {
    pub fn is_default(&self) -> bool {
        *self == EhcSettings::default()
    }

    /// The settings as typed on the form: weeks before a review meeting to ask for advice,
    /// to invite and to send papers, and the year groups pupils leave from ("6, 11").
    /// Problems come back against their field.
    pub fn from_text(
        advice: &str,
        invite: &str,
        papers: &str,
        leaving: &str,
        termly_plans: bool,
    ) -> Result<EhcSettings, Vec<(String, String)>> {
        let mut problems = Vec::new();
        let mut weeks = |text: &str, field: &str| match text.trim().parse::<u32>() {
            Ok(n) => n,
            Err(_) => {
                problems.push((
                    field.to_string(),
                    "Enter a number of weeks, for example 8.".into(),
                ));
                0
            }
        };
        let lead = LeadTimes {
            advice_weeks: weeks(advice, "ehc-advice-weeks"),
            invite_weeks: weeks(invite, "ehc-invite-weeks"),
            papers_weeks: weeks(papers, "ehc-papers-weeks"),
        };
        if problems.is_empty() {
            if let Some(problem) = lead.problem() {
                // Beside the field that breaks the rule.
                let field = [
                    ("ehc-invite-weeks", lead.invite_weeks),
                    ("ehc-papers-weeks", lead.papers_weeks),
                    ("ehc-advice-weeks", lead.advice_weeks),
                ]
                .into_iter()
                .find(|(f, w)| *w > 26 || (*w < LEAST_NOTICE_WEEKS && *f != "ehc-advice-weeks"))
                .map_or("ehc-invite-weeks", |(f, _)| f);
                problems.push((field.into(), problem));
            }
        }
        let mut years = Vec::new();
        for part in leaving.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let year = part
                .parse::<u8>()
                .ok()
                .filter(|n| (1..=13).contains(n))
                .map(super::year_group::YearGroup::Year)
                .or_else(|| super::year_group::YearGroup::from_text(part));
            match year {
                Some(y) if !years.contains(&y) => years.push(y),
                Some(_) => {}
                None => problems.push((
                    "ehc-transfer-years".into(),
                    format!("\"{part}\" is not a year group: write them as numbers (2, 6, 11) or N1, N2, R."),
                )),
            }
        }
        years.sort();
        let settings = EhcSettings {
            lead,
            transfer_years: TransferYears { leaving: years },
            termly_plans,
        };
        if problems.is_empty() {
            if let Err(e) = settings.check() {
                problems.push(("ehc-transfer-years".into(), e));
            }
        }
        if problems.is_empty() {
            Ok(settings)
        } else {
            Err(problems)
        }
    }

    pub fn check(&self) -> Result<(), String> {
        if let Some(problem) = self.lead.problem() {
            return Err(problem);
        }
        if self.transfer_years.leaving.len() > 20 {
            return Err("too many transfer years".into());
        }
        Ok(())
    }
}

/// What each column of an MIS export with these headings holds: a field code, or "" for
/// a column left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportColumns {
    pub headings: Vec<String>,
    pub fields: Vec<String>,
}

/// How many sets of import headings are remembered.
pub const MAX_IMPORT_COLUMNS: usize = 5;
/// Headings past these limits are not remembered: no MIS export has so many or so long.
const MAX_REMEMBERED_HEADINGS: usize = 200;
const MAX_HEADING_CHARS: usize = 200;

/// The school year a date falls in, by the year it starts: 1 September 2026 to
/// 31 August 2027 is 2026.
pub fn school_year(date: NaiveDate) -> i32 {
    if date.month() >= 9 {
        date.year()
    } else {
        date.year() - 1
    }
}

impl Settings {
    /// The library in use: the school's, or the seeded examples until it edits them.
    pub fn library(&self) -> Library {
        self.library.clone().unwrap_or_else(Library::seeded)
    }

    pub fn new(school_name: &str) -> Settings {
        Settings {
            school_name: school_name.trim().to_string(),
            auto_lock_minutes: DEFAULT_AUTO_LOCK_MINUTES,
            last_rollover: None,
            library: None,
            dismissed: Vec::new(),
            spell_check_long_text: false,
            import_columns: Vec::new(),
            passports_without_needs: false,
            recovery_key_unconfirmed: false,
            provision: ProvisionSetup::default(),
            ehc: EhcSettings::default(),
            agencies: AgencySetup::default(),
        }
    }

    /// The column choices last used for a file with exactly these headings.
    pub fn import_columns_for(&self, headings: &[String]) -> Option<&[String]> {
        self.import_columns
            .iter()
            .find(|c| c.headings == headings)
            .map(|c| c.fields.as_slice())
    }

    /// Remembers the column choices for these headings, newest first, keeping the last
    /// few. Returns false (and remembers nothing) for headings too many or too long.
    pub fn remember_import_columns(&mut self, headings: &[String], fields: Vec<String>) -> bool {
        if headings.len() > MAX_REMEMBERED_HEADINGS
            || headings
                .iter()
                .any(|h| h.chars().count() > MAX_HEADING_CHARS)
            || fields.len() != headings.len()
        {
            return false;
        }
        self.import_columns.retain(|c| c.headings != headings);
        self.import_columns.insert(
            0,
            ImportColumns {
                headings: headings.to_vec(),
                fields,
            },
        );
        self.import_columns.truncate(MAX_IMPORT_COLUMNS);
        true
    }

    /// The date of a rollover already done in `today`'s school year (1 September to
    /// 31 August), if any: running it twice would move everyone up two years.
    pub fn rolled_over_recently(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.last_rollover
            .filter(|done| school_year(*done) == school_year(today))
    }

    /// Reads an auto-lock time typed in the settings form.
    pub fn parse_auto_lock_minutes(text: &str) -> Result<u32, String> {
        match text.trim().parse::<u32>() {
            Ok(m) if (1..=MAX_AUTO_LOCK_MINUTES).contains(&m) => Ok(m),
            _ => Err(format!(
                "Enter a whole number of minutes from 1 to {MAX_AUTO_LOCK_MINUTES}."
            )),
        }
    }

    /// Checks a school name typed when a desk is created.
    pub fn validate_school_name(text: &str) -> Result<String, String> {
        let name = text.trim();
        if name.is_empty() {
            Err("Enter the school's name.".into())
        } else if name.chars().count() > 120 {
            Err("The school name is too long: at most 120 characters.".into())
        } else {
            Ok(name.to_string())
        }
    }
}

impl Zeroize for Settings {
    fn zeroize(&mut self) {
        self.school_name.zeroize();
        if let Some(library) = &mut self.library {
            library.zeroize();
        }
        for dismissal in &mut self.dismissed {
            dismissal.key.zeroize();
        }
        for columns in &mut self.import_columns {
            columns.headings.zeroize();
            columns.fields.zeroize();
        }
        for member in &mut self.provision.staff {
            member.name.zeroize();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_settings_lock_after_ten_minutes() {
        assert_eq!(Settings::new(" Oakfield Primary ").auto_lock_minutes, 10);
        assert_eq!(
            Settings::new(" Oakfield Primary ").school_name,
            "Oakfield Primary"
        );
    }

    #[test]
    fn auto_lock_must_be_between_one_minute_and_two_hours() {
        assert_eq!(Settings::parse_auto_lock_minutes(" 5 "), Ok(5));
        assert_eq!(Settings::parse_auto_lock_minutes("120"), Ok(120));
        assert!(Settings::parse_auto_lock_minutes("0").is_err());
        assert!(Settings::parse_auto_lock_minutes("121").is_err());
        assert!(Settings::parse_auto_lock_minutes("ten").is_err());
    }

    #[test]
    fn a_rollover_counts_for_the_school_year_it_was_done_in() {
        let day = |d, m, y| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let mut settings = Settings::new("Oak");
        assert_eq!(settings.rolled_over_recently(day(21, 7, 2027)), None);
        settings.last_rollover = Some(day(21, 7, 2027));
        assert_eq!(
            settings.rolled_over_recently(day(25, 8, 2027)),
            Some(day(21, 7, 2027))
        );
        assert_eq!(settings.rolled_over_recently(day(1, 9, 2027)), None);
        assert_eq!(settings.rolled_over_recently(day(20, 7, 2028)), None);
        assert_eq!(school_year(day(31, 8, 2027)), 2026);
    }

    #[test]
    fn point_7_settings_from_before_the_passport_setting_print_needs() {
        let old: Settings =
            serde_json::from_str(r#"{"school_name": "Oak", "auto_lock_minutes": 10}"#).unwrap();
        assert!(!old.passports_without_needs);
        let mut on = old.clone();
        on.passports_without_needs = true;
        let json = serde_json::to_string(&on).unwrap();
        assert!(json.contains(r#""passports_without_needs":true"#));
        assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), on);
        assert!(!serde_json::to_string(&old)
            .unwrap()
            .contains("passports_without_needs"));
    }

    #[test]
    fn ehc_settings_are_read_from_the_form_with_problems_against_their_fields() {
        let settings = EhcSettings::from_text("10", "6", "2", "2, 6, 11", true).unwrap();
        assert_eq!(settings.lead.invite_weeks, 6);
        assert_eq!(settings.transfer_years.leaving.len(), 3);
        assert!(settings.termly_plans);
        let problems = EhcSettings::from_text("ten", "1", "2", "6, Year 12x", false).unwrap_err();
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["ehc-advice-weeks", "ehc-transfer-years"]);
        let papers = EhcSettings::from_text("10", "8", "1", "6", false).unwrap_err();
        assert_eq!(papers[0].0, "ehc-papers-weeks");
        let advice = EhcSettings::from_text("30", "8", "2", "6", false).unwrap_err();
        assert_eq!(advice[0].0, "ehc-advice-weeks");
        let problems = EhcSettings::from_text("10", "1", "2", "6", false).unwrap_err();
        assert_eq!(
            problems,
            vec![(
                "ehc-invite-weeks".to_string(),
                "Invitations and papers go at least 2 weeks before the meeting.".to_string()
            )]
        );
    }

    #[test]
    fn school_name_is_required() {
        assert!(Settings::validate_school_name("   ").is_err());
        assert_eq!(Settings::validate_school_name(" Oak ").unwrap(), "Oak");
    }
}

#[cfg(test)]
mod recovery_key_tests {
    use super::*;

    #[test]
    fn point_5_settings_from_older_desks_count_the_recovery_key_as_confirmed() {
        let old: Settings =
            serde_json::from_str(r#"{"school_name": "Oak", "auto_lock_minutes": 10}"#).unwrap();
        assert!(!old.recovery_key_unconfirmed);
        // Confirmed settings are written as before; only the unconfirmed state adds a field.
        let json = serde_json::to_string(&Settings::new("Oak")).unwrap();
        assert!(!json.contains("recovery_key"), "{json}");
        let pending = Settings {
            recovery_key_unconfirmed: true,
            ..Settings::new("Oak")
        };
        let json = serde_json::to_string(&pending).unwrap();
        assert!(
            json.contains(r#""recovery_key_unconfirmed":true"#),
            "{json}"
        );
    }
}
