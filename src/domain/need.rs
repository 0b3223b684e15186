//! Types of special educational need (census codes) and the four broad areas of need.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The four broad areas of need in the SEND Code of Practice (6.28 to 6.35).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum BroadArea {
    CommunicationAndInteraction,
    CognitionAndLearning,
    SocialEmotionalMentalHealth,
    SensoryPhysical,
}

impl BroadArea {
    pub const ALL: [BroadArea; 4] = [
        BroadArea::CommunicationAndInteraction,
        BroadArea::CognitionAndLearning,
        BroadArea::SocialEmotionalMentalHealth,
        BroadArea::SensoryPhysical,
    ];

    /// A short stable code, for form values and files.
    pub fn code(self) -> &'static str {
        match self {
            BroadArea::CommunicationAndInteraction => "CI",
            BroadArea::CognitionAndLearning => "CL",
            BroadArea::SocialEmotionalMentalHealth => "SEMH",
            BroadArea::SensoryPhysical => "SP",
        }
    }

    pub fn from_code(code: &str) -> Option<BroadArea> {
        BroadArea::ALL.into_iter().find(|a| a.code() == code)
    }
}

impl fmt::Display for BroadArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BroadArea::CommunicationAndInteraction => "Communication and interaction",
            BroadArea::CognitionAndLearning => "Cognition and learning",
            BroadArea::SocialEmotionalMentalHealth => "Social, emotional and mental health",
            BroadArea::SensoryPhysical => "Sensory and/or physical",
        })
    }
}

/// A type of need as the school census codes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum NeedType {
    Spld,
    Mld,
    Sld,
    Pmld,
    Semh,
    Slcn,
    Hi,
    Vi,
    Msi,
    Pd,
    Asd,
    Oth,
    /// SEN support but no specialist assessment of the type of need: SEN support only.
    Nsa,
}

impl NeedType {
    pub const ALL: [NeedType; 13] = [
        NeedType::Spld,
        NeedType::Mld,
        NeedType::Sld,
        NeedType::Pmld,
        NeedType::Semh,
        NeedType::Slcn,
        NeedType::Hi,
        NeedType::Vi,
        NeedType::Msi,
        NeedType::Pd,
        NeedType::Asd,
        NeedType::Oth,
        NeedType::Nsa,
    ];

    pub fn code(self) -> &'static str {
        match self {
            NeedType::Spld => "SPLD",
            NeedType::Mld => "MLD",
            NeedType::Sld => "SLD",
            NeedType::Pmld => "PMLD",
            NeedType::Semh => "SEMH",
            NeedType::Slcn => "SLCN",
            NeedType::Hi => "HI",
            NeedType::Vi => "VI",
            NeedType::Msi => "MSI",
            NeedType::Pd => "PD",
            NeedType::Asd => "ASD",
            NeedType::Oth => "OTH",
            NeedType::Nsa => "NSA",
        }
    }

    /// The census description.
    pub fn name(self) -> &'static str {
        match self {
            NeedType::Spld => "Specific learning difficulty",
            NeedType::Mld => "Moderate learning difficulty",
            NeedType::Sld => "Severe learning difficulty",
            NeedType::Pmld => "Profound and multiple learning difficulty",
            NeedType::Semh => "Social, emotional and mental health",
            NeedType::Slcn => "Speech, language and communication needs",
            NeedType::Hi => "Hearing impairment",
            NeedType::Vi => "Visual impairment",
            NeedType::Msi => "Multi-sensory impairment",
            NeedType::Pd => "Physical disability",
            NeedType::Asd => "Autistic spectrum disorder",
            NeedType::Oth => "Other difficulty or disability",
            NeedType::Nsa => "SEN support but no specialist assessment of type of need",
        }
    }

    /// Plain words for staff and parents, as a printed passport says it (no census
    /// codes or jargon); None for NSA, which says only that no assessment was made.
    pub fn plain_words(self) -> Option<&'static str> {
        Some(match self {
            NeedType::Spld => "Specific learning difficulty (such as dyslexia)",
            NeedType::Mld => "Learning difficulty",
            NeedType::Sld => "Severe learning difficulty",
            NeedType::Pmld => "Profound and multiple learning difficulties",
            NeedType::Semh => "Social, emotional and mental health",
            NeedType::Slcn => "Speech, language and communication",
            NeedType::Hi => "Hearing",
            NeedType::Vi => "Vision",
            NeedType::Msi => "Hearing and vision",
            NeedType::Pd => "Physical",
            NeedType::Asd => "Autism",
            NeedType::Oth => "Other needs",
            NeedType::Nsa => return None,
        })
    }

    /// The broad area the code belongs to; OTH and NSA belong to none.
    pub fn area(self) -> Option<BroadArea> {
        match self {
            NeedType::Slcn | NeedType::Asd => Some(BroadArea::CommunicationAndInteraction),
            NeedType::Spld | NeedType::Mld | NeedType::Sld | NeedType::Pmld => {
                Some(BroadArea::CognitionAndLearning)
            }
            NeedType::Semh => Some(BroadArea::SocialEmotionalMentalHealth),
            NeedType::Vi | NeedType::Hi | NeedType::Msi | NeedType::Pd => {
                Some(BroadArea::SensoryPhysical)
            }
            NeedType::Oth | NeedType::Nsa => None,
        }
    }

    pub fn from_code(code: &str) -> Option<NeedType> {
        let code = code.trim();
        NeedType::ALL
            .into_iter()
            .find(|n| n.code().eq_ignore_ascii_case(code))
    }

    /// Reads a need as an MIS writes it: the code ("SLCN"), the description ("Speech,
    /// language and communication needs"), or both ("SLCN - Speech, language ...").
    pub fn from_text(text: &str) -> Option<NeedType> {
        let text = text.trim();
        if let Some(need) = NeedType::from_code(text) {
            return Some(need);
        }
        let simple = simplify(text);
        if simple.is_empty() {
            return None;
        }
        // "SLCN - Speech, ..." or "SLCN: ..."
        if let Some(first) = text.split([' ', '-', ':', '(']).next() {
            if let Some(need) = NeedType::from_code(first) {
                return Some(need);
            }
        }
        let aliases: &[(NeedType, &[&str])] = &[
            (NeedType::Spld, &["specificlearningdifficulty", "dyslexia"]),
            (NeedType::Mld, &["moderatelearningdifficulty"]),
            (NeedType::Sld, &["severelearningdifficulty"]),
            (NeedType::Pmld, &["profoundandmultiplelearningdifficulty"]),
            (
                NeedType::Semh,
                &[
                    "socialemotionalandmentalhealth",
                    "socialemotionalmentalhealth",
                ],
            ),
            (
                NeedType::Slcn,
                &[
                    "speechlanguageandcommunicationneeds",
                    "speechlanguageandcommunicationneed",
                    "speechlanguageandcommunication",
                ],
            ),
            (NeedType::Hi, &["hearingimpairment"]),
            (NeedType::Vi, &["visualimpairment"]),
            (NeedType::Msi, &["multisensoryimpairment"]),
            (NeedType::Pd, &["physicaldisability"]),
            (
                NeedType::Asd,
                &[
                    "autisticspectrumdisorder",
                    "autismspectrumdisorder",
                    "autism",
                    "autistic",
                ],
            ),
            (
                NeedType::Oth,
                &[
                    "otherdifficultydisability",
                    "otherdifficultyordisability",
                    "other",
                ],
            ),
            (
                NeedType::Nsa,
                &[
                    "senbutnospecialistassessmentoftypeofneed",
                    "nospecialistassessment",
                ],
            ),
        ];
        aliases
            .iter()
            .find(|(_, names)| {
                names
                    .iter()
                    .any(|name| simple == *name || simple.starts_with(name))
            })
            .map(|(need, _)| *need)
            .or_else(|| {
                NeedType::ALL
                    .into_iter()
                    .find(|n| simplify(n.name()) == simple)
            })
    }
}

/// Lower-case letters and digits only, so "Speech, Language & Communication" compares
/// equal however it was punctuated.
fn simplify(text: &str) -> String {
    text.replace('&', "and")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

impl fmt::Display for NeedType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for NeedType {
    type Error = String;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        NeedType::from_code(&code).ok_or_else(|| format!("unknown need code {code:?}"))
    }
}

impl From<NeedType> for String {
    fn from(need: NeedType) -> String {
        need.code().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_and_belongs_to_its_area() {
        for need in NeedType::ALL {
            assert_eq!(NeedType::from_code(need.code()), Some(need));
            assert_eq!(NeedType::from_text(need.name()), Some(need), "{need}");
        }
        assert_eq!(
            NeedType::Slcn.area(),
            Some(BroadArea::CommunicationAndInteraction)
        );
        assert_eq!(
            NeedType::Asd.area(),
            Some(BroadArea::CommunicationAndInteraction)
        );
        assert_eq!(NeedType::Pmld.area(), Some(BroadArea::CognitionAndLearning));
        assert_eq!(
            NeedType::Semh.area(),
            Some(BroadArea::SocialEmotionalMentalHealth)
        );
        assert_eq!(NeedType::Msi.area(), Some(BroadArea::SensoryPhysical));
        assert_eq!(NeedType::Oth.area(), None);
        assert_eq!(NeedType::Nsa.area(), None);
    }

    #[test]
    fn reads_the_ways_an_mis_writes_a_need() {
        for (text, need) in [
            ("SLCN", NeedType::Slcn),
            ("slcn", NeedType::Slcn),
            ("Speech, language and communication needs", NeedType::Slcn),
            ("Speech, Language & Communication Needs", NeedType::Slcn),
            (
                "SLCN - Speech, language and communication needs",
                NeedType::Slcn,
            ),
            ("ASD: Autistic Spectrum Disorder", NeedType::Asd),
            ("Autism", NeedType::Asd),
            ("Social, Emotional and Mental Health", NeedType::Semh),
            (
                "Specific Learning Difficulty (e.g. dyslexia)",
                NeedType::Spld,
            ),
            ("Other Difficulty/Disability", NeedType::Oth),
            ("SpLD", NeedType::Spld),
        ] {
            assert_eq!(NeedType::from_text(text), Some(need), "{text}");
        }
        for unknown in ["", "XYZ", "Tall", "ADHD"] {
            assert_eq!(NeedType::from_text(unknown), None, "{unknown}");
        }
    }

    #[test]
    fn stored_as_its_census_code() {
        assert_eq!(serde_json::to_string(&NeedType::Slcn).unwrap(), "\"SLCN\"");
        assert!(serde_json::from_str::<NeedType>("\"XYZ\"").is_err());
    }
}
