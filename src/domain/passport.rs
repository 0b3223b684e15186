//! The pupil passport: a one-page profile in the pupil's voice for every adult who
//! works with them. Limits keep it to one printed A4 page.

use super::dates::iso_date;
use super::pupil::PupilFile;
use super::sen::SenStatus;
use super::settings::Settings;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

/// The longest each written section may be, so the page prints on one A4 sheet.
pub const MAX_SECTION_CHARS: usize = 400;
/// At most this many lines in a section: line breaks take room on the page too.
pub const MAX_SECTION_LINES: usize = 8;
/// At most this many key strategies, each at most [`MAX_STRATEGY_CHARS`].
pub const MAX_KEY_STRATEGIES: usize = 8;
pub const MAX_STRATEGY_CHARS: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passport {
    #[serde(default)]
    pub about_me: String,
    #[serde(default)]
    pub important_to_me: String,
    #[serde(default)]
    pub people_like: String,
    #[serde(default)]
    pub helps_me: String,
    #[serde(default)]
    pub does_not_help: String,
    #[serde(default)]
    pub key_strategies: Vec<String>,
    #[serde(with = "iso_date")]
    pub updated_on: NaiveDate,
}

/// The written sections, for forms and the printed page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassportSection {
    AboutMe,
    ImportantToMe,
    PeopleLike,
    HelpsMe,
    DoesNotHelp,
    KeyStrategies,
}

impl PassportSection {
    pub const WRITTEN: [PassportSection; 5] = [
        PassportSection::AboutMe,
        PassportSection::ImportantToMe,
        PassportSection::PeopleLike,
        PassportSection::HelpsMe,
        PassportSection::DoesNotHelp,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            PassportSection::AboutMe => "About me",
            PassportSection::ImportantToMe => "What is important to me",
            PassportSection::PeopleLike => "What people like about me",
            PassportSection::HelpsMe => "What helps me",
            PassportSection::DoesNotHelp => "What does not help me",
            PassportSection::KeyStrategies => "Key strategies",
        }
    }
}

/// What a pupil's printed passport says about their needs, in plain words: nothing
/// when the school's settings leave needs out.
pub fn printed_needs(file: &PupilFile, today: NaiveDate, settings: &Settings) -> Vec<&'static str> {
    if settings.passports_without_needs {
        return Vec::new();
    }
    file.sen
        .needs_on(today)
        .iter()
        .filter_map(|n| n.need_type.plain_words())
        .collect()
}

/// Whether a pupil should have a passport: on the SEN register (any status but N) or
/// with a support plan in force. Pupils without one are listed when printing a class.
pub fn expects_passport(file: &PupilFile, today: NaiveDate) -> bool {
    !file.pupil.is_archived()
        && (file.sen.status_on(today) != SenStatus::NoSen || file.active_plan().is_some())
}

impl Passport {
    pub fn blank(today: NaiveDate) -> Passport {
        Passport {
            about_me: String::new(),
            important_to_me: String::new(),
            people_like: String::new(),
            helps_me: String::new(),
            does_not_help: String::new(),
            key_strategies: Vec::new(),
            updated_on: today,
        }
    }

    pub fn section(&self, section: PassportSection) -> &str {
        match section {
            PassportSection::AboutMe => &self.about_me,
            PassportSection::ImportantToMe => &self.important_to_me,
            PassportSection::PeopleLike => &self.people_like,
            PassportSection::HelpsMe => &self.helps_me,
            PassportSection::DoesNotHelp => &self.does_not_help,
            PassportSection::KeyStrategies => "",
        }
    }

    pub fn section_mut(&mut self, section: PassportSection) -> Option<&mut String> {
        Some(match section {
            PassportSection::AboutMe => &mut self.about_me,
            PassportSection::ImportantToMe => &mut self.important_to_me,
            PassportSection::PeopleLike => &mut self.people_like,
            PassportSection::HelpsMe => &mut self.helps_me,
            PassportSection::DoesNotHelp => &mut self.does_not_help,
            PassportSection::KeyStrategies => return None,
        })
    }

    /// Checks the limits that keep the passport to one page; names the section at fault.
    pub fn check(&self) -> Result<(), (PassportSection, String)> {
        for section in PassportSection::WRITTEN {
            let length = self.section(section).chars().count();
            if self.section(section).lines().count() > MAX_SECTION_LINES {
                return Err((
                    section,
                    format!(
                        "\"{}\" has more than {MAX_SECTION_LINES} lines, so the passport would not fit on one page.",
                        section.heading()
                    ),
                ));
            }
            if length > MAX_SECTION_CHARS {
                return Err((
                    section,
                    format!(
                        "\"{}\" is {length} characters: at most {MAX_SECTION_CHARS}, so the passport fits on one page.",
                        section.heading()
                    ),
                ));
            }
        }
        if self.key_strategies.len() > MAX_KEY_STRATEGIES {
            return Err((
                PassportSection::KeyStrategies,
                format!("At most {MAX_KEY_STRATEGIES} key strategies, so the passport fits on one page."),
            ));
        }
        if let Some(long) = self
            .key_strategies
            .iter()
            .position(|s| s.chars().count() > MAX_STRATEGY_CHARS)
        {
            return Err((
                PassportSection::KeyStrategies,
                format!(
                    "Key strategy {} is too long: at most {MAX_STRATEGY_CHARS} characters.",
                    long + 1
                ),
            ));
        }
        Ok(())
    }

    /// Adds a strategy unless [`Passport::check_new_strategy`] refuses it (then false).
    pub fn add_strategy(&mut self, strategy: &str) -> bool {
        let strategy = strategy.trim();
        if strategy.is_empty()
            || Passport::check_new_strategy(&self.key_strategies, strategy).is_err()
        {
            return false;
        }
        self.key_strategies.push(strategy.to_string());
        true
    }

    /// Whether `strategy` (from the library, a plan, or a blank row to type in) may join
    /// `existing`: within the page's limits, and not listed already.
    pub fn check_new_strategy(existing: &[String], strategy: &str) -> Result<(), String> {
        let strategy = strategy.trim();
        if existing.len() >= MAX_KEY_STRATEGIES {
            return Err(format!(
                "At most {MAX_KEY_STRATEGIES} key strategies, so the passport fits on one page."
            ));
        }
        if strategy.chars().count() > MAX_STRATEGY_CHARS {
            return Err(format!(
                "That strategy is longer than {MAX_STRATEGY_CHARS} characters: shorten it in the plan or library, or choose another."
            ));
        }
        if !strategy.is_empty() && existing.iter().any(|s| s.trim() == strategy) {
            return Err(format!("\"{strategy}\" is already a key strategy."));
        }
        Ok(())
    }
}

impl Zeroize for Passport {
    fn zeroize(&mut self) {
        for section in PassportSection::WRITTEN {
            if let Some(text) = self.section_mut(section) {
                text.zeroize();
            }
        }
        for strategy in &mut self.key_strategies {
            strategy.zeroize();
        }
        self.key_strategies.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn a_section_over_the_limit_is_named() {
        let mut passport = Passport::blank(day());
        passport.helps_me = "x".repeat(MAX_SECTION_CHARS);
        assert!(passport.check().is_ok());
        passport.helps_me.push('y');
        let (section, message) = passport.check().unwrap_err();
        assert_eq!(section, PassportSection::HelpsMe);
        assert!(message.contains("What helps me"), "{message}");
    }

    #[test]
    fn a_section_of_many_short_lines_is_refused_too() {
        let mut passport = Passport::blank(day());
        passport.about_me = ["I like"; MAX_SECTION_LINES].join("\n");
        assert!(passport.check().is_ok());
        passport.about_me.push_str("\nand more");
        let (section, message) = passport.check().unwrap_err();
        assert_eq!(section, PassportSection::AboutMe);
        assert!(message.contains("more than 8 lines"), "{message}");
    }

    #[test]
    fn strategies_are_not_added_twice_nor_beyond_the_page() {
        let mut listed = vec!["Visual timetable".to_string()];
        let twice = Passport::check_new_strategy(&listed, " Visual timetable ").unwrap_err();
        assert_eq!(twice, "\"Visual timetable\" is already a key strategy.");
        // Blank rows to type into are not duplicates of each other.
        listed.push(String::new());
        assert!(Passport::check_new_strategy(&listed, "").is_ok());
        let long = "x".repeat(MAX_STRATEGY_CHARS + 1);
        assert!(Passport::check_new_strategy(&listed, &long).is_err());
        while listed.len() < MAX_KEY_STRATEGIES {
            listed.push(format!("Strategy {}", listed.len()));
        }
        let full = Passport::check_new_strategy(&listed, "One too many").unwrap_err();
        assert!(full.contains("At most 8"), "{full}");
    }

    fn file_with(
        status: Option<crate::domain::SenStatus>,
        needs: &[crate::domain::NeedType],
    ) -> PupilFile {
        use crate::domain::{Need, NeedsChange, Pupil, PupilId, StatusChange, YearGroup};
        let at = chrono::DateTime::from_timestamp(1_756_684_800, 0).unwrap();
        let pupil = Pupil::new(
            PupilId("a".into()),
            "Alfred",
            "Smith",
            NaiveDate::from_ymd_opt(2018, 4, 3).unwrap(),
            YearGroup::Year(3),
        );
        let mut file = PupilFile::new(pupil, at);
        let from = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
        if let Some(status) = status {
            file.sen.status_changes.push(StatusChange {
                from,
                status,
                reason: String::new(),
                recorded_at: at,
            });
        }
        if !needs.is_empty() {
            file.sen.needs_changes.push(NeedsChange {
                from,
                needs: needs
                    .iter()
                    .map(|&need_type| Need {
                        need_type,
                        description: String::new(),
                    })
                    .collect(),
                reason: String::new(),
                recorded_at: at,
            });
        }
        file
    }

    #[test]
    fn point_7_printed_needs_are_plain_words_and_a_setting_leaves_them_out() {
        use crate::domain::{NeedType, SenStatus};
        let file = file_with(
            Some(SenStatus::SenSupport),
            &[NeedType::Slcn, NeedType::Semh, NeedType::Asd],
        );
        let mut settings = Settings::new("Oak");
        let printed = printed_needs(&file, day(), &settings);
        assert_eq!(
            printed,
            [
                "Speech, language and communication",
                "Social, emotional and mental health",
                "Autism"
            ]
        );
        for jargon in ["SLCN", "SEMH", "ASD", "needs", "disorder"] {
            assert!(printed.iter().all(|p| !p.contains(jargon)), "{jargon}");
        }
        // Every code has plain words, except "no specialist assessment", which prints nothing.
        for need in NeedType::ALL {
            let words = need.plain_words();
            assert_eq!(words.is_none(), need == NeedType::Nsa);
            assert!(words.is_none_or(|w| !w.contains(need.code())));
        }
        settings.passports_without_needs = true;
        assert!(printed_needs(&file, day(), &settings).is_empty());
    }

    #[test]
    fn point_7_only_pupils_on_the_register_or_with_a_plan_are_expected_to_have_a_passport() {
        use crate::domain::SenStatus;
        assert!(!expects_passport(&file_with(None, &[]), day()));
        assert!(!expects_passport(
            &file_with(Some(SenStatus::NoSen), &[]),
            day()
        ));
        assert!(expects_passport(
            &file_with(Some(SenStatus::Monitoring), &[]),
            day()
        ));
        assert!(expects_passport(
            &file_with(Some(SenStatus::EhcPlan), &[]),
            day()
        ));
        let mut archived = file_with(Some(SenStatus::SenSupport), &[]);
        archived.pupil.archive(day());
        assert!(!expects_passport(&archived, day()));
    }
}
