//! Which column of an MIS export holds which pupil detail: guessed from the headings SIMS,
//! Arbor, Bromcom and others write, then confirmed (or changed) by the SENCO.

/// A pupil detail an MIS export can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImportField {
    Upn,
    Surname,
    Forename,
    PreferredForename,
    DateOfBirth,
    YearGroup,
    ClassName,
    Gender,
    AdmissionDate,
    SenStatus,
    SenStartDate,
    PrimaryNeed,
    SecondaryNeed,
    FreeSchoolMeals,
    PupilPremium,
    Eal,
    LookedAfter,
}

impl ImportField {
    pub const ALL: [ImportField; 17] = [
        ImportField::Upn,
        ImportField::Surname,
        ImportField::Forename,
        ImportField::PreferredForename,
        ImportField::DateOfBirth,
        ImportField::YearGroup,
        ImportField::ClassName,
        ImportField::Gender,
        ImportField::AdmissionDate,
        ImportField::SenStatus,
        ImportField::SenStartDate,
        ImportField::PrimaryNeed,
        ImportField::SecondaryNeed,
        ImportField::FreeSchoolMeals,
        ImportField::PupilPremium,
        ImportField::Eal,
        ImportField::LookedAfter,
    ];

    /// The details a row cannot be imported without.
    pub const REQUIRED: [ImportField; 4] = [
        ImportField::Surname,
        ImportField::Forename,
        ImportField::DateOfBirth,
        ImportField::YearGroup,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ImportField::Upn => "UPN",
            ImportField::Surname => "Surname",
            ImportField::Forename => "Forename",
            ImportField::PreferredForename => "Preferred forename",
            ImportField::DateOfBirth => "Date of birth",
            ImportField::YearGroup => "Year group",
            ImportField::ClassName => "Class or form",
            ImportField::Gender => "Gender",
            ImportField::AdmissionDate => "Admission date",
            ImportField::SenStatus => "SEN status",
            ImportField::SenStartDate => "SEN start date",
            ImportField::PrimaryNeed => "Primary need",
            ImportField::SecondaryNeed => "Secondary need",
            ImportField::FreeSchoolMeals => "Free school meals",
            ImportField::PupilPremium => "Pupil premium",
            ImportField::Eal => "EAL",
            ImportField::LookedAfter => "Looked after (in care)",
        }
    }

    /// A stable code for form values and saved mappings.
    pub fn code(self) -> &'static str {
        match self {
            ImportField::Upn => "upn",
            ImportField::Surname => "surname",
            ImportField::Forename => "forename",
            ImportField::PreferredForename => "preferred-forename",
            ImportField::DateOfBirth => "date-of-birth",
            ImportField::YearGroup => "year-group",
            ImportField::ClassName => "class-name",
            ImportField::Gender => "gender",
            ImportField::AdmissionDate => "admission-date",
            ImportField::SenStatus => "sen-status",
            ImportField::SenStartDate => "sen-start-date",
            ImportField::PrimaryNeed => "primary-need",
            ImportField::SecondaryNeed => "secondary-need",
            ImportField::FreeSchoolMeals => "free-school-meals",
            ImportField::PupilPremium => "pupil-premium",
            ImportField::Eal => "eal",
            ImportField::LookedAfter => "looked-after",
        }
    }

    pub fn from_code(code: &str) -> Option<ImportField> {
        ImportField::ALL.into_iter().find(|f| f.code() == code)
    }

    /// What "Choose the column that holds ..." names.
    fn noun(self) -> &'static str {
        match self {
            ImportField::Surname => "the surname",
            ImportField::Forename => "the forename",
            ImportField::DateOfBirth => "the date of birth",
            ImportField::YearGroup => "the year group",
            _ => self.label(),
        }
    }
}

/// One entry per column: the detail it holds, or None to leave the column out.
pub type Mapping = Vec<Option<ImportField>>;

/// Headings as MIS exports write them, simplified (lower case, letters and digits only),
/// with a rank: 0 beats 1 when two columns match the same field.
const HEADINGS: &[(ImportField, &[(&str, u8)])] = &[
    (
        ImportField::Upn,
        &[("upn", 0), ("uniquepupilnumber", 0), ("pupilupn", 0)],
    ),
    (
        ImportField::Surname,
        &[
            ("legalsurname", 0),
            ("legallastname", 0),
            ("surname", 1),
            ("lastname", 1),
            ("familyname", 1),
        ],
    ),
    (
        ImportField::Forename,
        &[
            ("legalforename", 0),
            ("legalfirstname", 0),
            ("forename", 1),
            ("firstname", 1),
            ("givenname", 1),
        ],
    ),
    (
        ImportField::PreferredForename,
        &[
            ("preferredforename", 0),
            ("preferredfirstname", 0),
            ("preferredname", 1),
            ("knownas", 1),
        ],
    ),
    (
        ImportField::DateOfBirth,
        &[("dob", 0), ("dateofbirth", 0), ("birthdate", 0)],
    ),
    (
        ImportField::YearGroup,
        &[
            ("ncyear", 0),
            ("yeargroup", 0),
            ("curriculumyear", 0),
            ("nationalcurriculumyear", 0),
            ("year", 1),
        ],
    ),
    (
        ImportField::ClassName,
        &[
            ("reggroup", 0),
            ("registrationgroup", 0),
            ("reg", 1),
            ("form", 1),
            ("formgroup", 1),
            ("tutorgroup", 1),
            ("class", 2),
            ("classname", 2),
        ],
    ),
    (ImportField::Gender, &[("gender", 0), ("sex", 1)]),
    (
        ImportField::AdmissionDate,
        &[
            ("admissiondate", 0),
            ("dateofadmission", 0),
            ("entrydate", 1),
            ("dateofentry", 1),
        ],
    ),
    (
        ImportField::SenStatus,
        &[("senstatus", 0), ("senprovision", 0), ("senstage", 1)],
    ),
    (
        ImportField::SenStartDate,
        &[
            ("senstartdate", 0),
            ("senstatusstartdate", 0),
            ("senprovisionstartdate", 0),
            ("senstatusstart", 0),
            ("senstart", 1),
            ("sensupportstartdate", 1),
            ("senprovisionstart", 1),
            ("senstagestartdate", 1),
            ("sendatefrom", 1),
        ],
    ),
    (
        ImportField::PrimaryNeed,
        &[
            ("primaryneed", 0),
            ("primarysenneed", 0),
            ("senneed1", 0),
            ("sentyperank1", 0),
        ],
    ),
    (
        ImportField::SecondaryNeed,
        &[
            ("secondaryneed", 0),
            ("secondarysenneed", 0),
            ("senneed2", 0),
            ("sentyperank2", 0),
        ],
    ),
    (
        ImportField::FreeSchoolMeals,
        &[
            ("fsm", 0),
            ("fsmeligible", 0),
            ("freeschoolmeals", 0),
            ("fsmeligibility", 0),
        ],
    ),
    (
        ImportField::PupilPremium,
        &[("pupilpremium", 0), ("pupilpremiumeligible", 0), ("pp", 1)],
    ),
    (
        ImportField::Eal,
        &[
            ("eal", 0),
            ("englishasanadditionallanguage", 0),
            ("firstlanguagenotenglish", 0),
        ],
    ),
    (
        ImportField::LookedAfter,
        &[
            ("incare", 0),
            ("cla", 0),
            ("lookedafter", 0),
            ("lac", 0),
            ("lookedafterchild", 0),
            ("childlookedafter", 0),
        ],
    ),
];

fn simplify(heading: &str) -> String {
    heading
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Guesses the field each heading names. Each field goes to one column at most: the best
/// match, or the first of equal matches ("Legal Surname" beats "Surname").
pub fn guess_mapping(headings: &[String]) -> Mapping {
    let matches: Vec<Option<(ImportField, u8)>> = headings
        .iter()
        .map(|heading| {
            let simple = simplify(heading);
            HEADINGS.iter().find_map(|(field, names)| {
                names
                    .iter()
                    .find(|(name, _)| *name == simple)
                    .map(|(_, rank)| (*field, *rank))
            })
        })
        .collect();
    let mut mapping: Mapping = vec![None; headings.len()];
    for field in ImportField::ALL {
        let best = matches
            .iter()
            .enumerate()
            .filter_map(|(column, m)| m.filter(|(f, _)| *f == field).map(|(_, r)| (r, column)))
            .min();
        if let Some((_, column)) = best {
            mapping[column] = Some(field);
        }
    }
    mapping
}

/// The mapping as field codes, one per column ("" for a column left out), for the
/// desk's settings to remember.
pub fn mapping_codes(mapping: &Mapping, columns: usize) -> Vec<String> {
    (0..columns)
        .map(|c| {
            mapping
                .get(c)
                .copied()
                .flatten()
                .map_or(String::new(), |f| f.code().to_string())
        })
        .collect()
}

/// The mapping remembered for these headings, if any: a code no longer known is read as
/// "not imported".
pub fn remembered_mapping(
    settings: &crate::domain::Settings,
    headings: &[String],
) -> Option<Mapping> {
    settings.import_columns_for(headings).map(|codes| {
        codes
            .iter()
            .map(|code| ImportField::from_code(code))
            .collect()
    })
}

/// Problems with a mapping, each a sentence: a field chosen twice, or a needed one missing.
pub fn check_mapping(mapping: &Mapping) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    for field in ImportField::ALL {
        let count = mapping.iter().filter(|m| **m == Some(field)).count();
        if count > 1 {
            let times = match count {
                2 => "two".to_string(),
                3 => "three".to_string(),
                n => n.to_string(),
            };
            problems.push(format!(
                "{} is chosen for {times} columns: choose it once.",
                field.label()
            ));
        }
    }
    for field in ImportField::REQUIRED {
        if !mapping.contains(&Some(field)) {
            problems.push(format!("Choose the column that holds {}.", field.noun()));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ImportField as F;

    fn guess(headings: &[&str]) -> Mapping {
        guess_mapping(&headings.iter().map(|h| h.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn codes_round_trip_and_labels_are_plain() {
        for field in ImportField::ALL {
            assert_eq!(ImportField::from_code(field.code()), Some(field));
        }
        assert_eq!(F::DateOfBirth.code(), "date-of-birth");
        assert_eq!(F::LookedAfter.label(), "Looked after (in care)");
        assert_eq!(ImportField::from_code("shoe-size"), None);
    }

    #[test]
    fn headings_match_whatever_their_case_and_punctuation() {
        assert_eq!(
            guess(&[
                "D.O.B.",
                "unique pupil number",
                "NC_YEAR",
                "Known As",
                "SEN-Need-1"
            ]),
            [
                Some(F::DateOfBirth),
                Some(F::Upn),
                Some(F::YearGroup),
                Some(F::PreferredForename),
                Some(F::PrimaryNeed)
            ]
        );
        assert_eq!(guess(&["Shoe size", ""]), [None, None]);
    }

    #[test]
    fn the_better_match_wins_and_each_field_is_used_once() {
        assert_eq!(
            guess(&[
                "Surname",
                "Legal Surname",
                "Forename",
                "Legal Forename",
                "Year",
                "Year Group"
            ]),
            [
                None,
                Some(F::Surname),
                None,
                Some(F::Forename),
                None,
                Some(F::YearGroup)
            ]
        );
        assert_eq!(
            guess(&["First Name", "Given Name"]),
            [Some(F::Forename), None]
        );
    }

    #[test]
    fn check_mapping_names_fields_chosen_twice_and_missing() {
        let mapping = vec![
            Some(F::Surname),
            Some(F::DateOfBirth),
            Some(F::DateOfBirth),
            None,
        ];
        assert_eq!(
            check_mapping(&mapping),
            Err(vec![
                "Date of birth is chosen for two columns: choose it once.".to_string(),
                "Choose the column that holds the forename.".to_string(),
                "Choose the column that holds the year group.".to_string(),
            ])
        );
        let good = vec![
            Some(F::Forename),
            Some(F::Surname),
            Some(F::YearGroup),
            Some(F::DateOfBirth),
            None,
        ];
        assert_eq!(check_mapping(&good), Ok(()));
        assert_eq!(
            check_mapping(&vec![]).unwrap_err()[2],
            "Choose the column that holds the date of birth."
        );
    }

    #[test]
    fn point_1_reg_reg_group_form_and_tutor_group_map_to_class() {
        for heading in [
            "Reg",
            "Reg Group",
            "Form",
            "Tutor Group",
            "REG",
            "Registration Group",
        ] {
            assert_eq!(guess(&[heading]), [Some(F::ClassName)], "{heading}");
        }
    }

    #[test]
    fn point_4_sen_start_date_columns_are_recognised() {
        for heading in [
            "SEN Start Date",
            "SEN Status Start Date",
            "SEN Provision Start Date",
            "SEN Start",
            "SEN Support Start Date",
        ] {
            assert_eq!(guess(&[heading]), [Some(F::SenStartDate)], "{heading}");
        }
        assert_eq!(
            ImportField::from_code("sen-start-date"),
            Some(F::SenStartDate)
        );
    }

    #[test]
    fn point_1_the_column_match_is_remembered_for_the_same_headings() {
        let mut settings = crate::domain::Settings::new("Oakfield");
        let headings: Vec<String> = ["Pupil Surname", "Pupil Forename", "Born", "Yr", "Notes"]
            .iter()
            .map(|h| h.to_string())
            .collect();
        assert_eq!(remembered_mapping(&settings, &headings), None);
        let chosen = vec![
            Some(F::Surname),
            Some(F::Forename),
            Some(F::DateOfBirth),
            Some(F::YearGroup),
            None,
        ];
        assert!(settings.remember_import_columns(&headings, mapping_codes(&chosen, 5)));
        assert_eq!(
            remembered_mapping(&settings, &headings),
            Some(chosen.clone())
        );
        // Kept in the desk's sealed settings, by headings only, and survives a save.
        let json = serde_json::to_string(&settings).unwrap();
        let back: crate::domain::Settings = serde_json::from_str(&json).unwrap();
        assert_eq!(remembered_mapping(&back, &headings), Some(chosen));
        // Other headings are guessed afresh; old settings without the field still open.
        assert_eq!(remembered_mapping(&back, &headings[..4]), None);
        let old: crate::domain::Settings =
            serde_json::from_str(r#"{"school_name":"Oakfield","auto_lock_minutes":10}"#).unwrap();
        assert!(old.import_columns.is_empty());
        // Only the last few are kept.
        for n in 0..10 {
            let h = vec![format!("Heading {n}")];
            settings.remember_import_columns(&h, vec![String::new()]);
        }
        assert_eq!(
            settings.import_columns.len(),
            crate::domain::settings::MAX_IMPORT_COLUMNS
        );
    }
}
