//! The school's library of strategies and outcomes, grouped by broad area of need, so a
//! plan or passport is written by choosing rather than typing from scratch. It starts
//! with examples written for Senco Desk and the school edits it.

use super::need::BroadArea;
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

pub const MAX_LIBRARY_ENTRIES: usize = 500;
pub const MAX_LIBRARY_TEXT: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Strategy,
    Outcome,
}

impl EntryKind {
    pub fn noun(self) -> &'static str {
        match self {
            EntryKind::Strategy => "strategy",
            EntryKind::Outcome => "outcome",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            EntryKind::Strategy => "strategies",
            EntryKind::Outcome => "outcomes",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryEntry {
    pub kind: EntryKind,
    pub area: BroadArea,
    pub text: String,
    /// For outcomes: how everyone will know it is met.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub success_criteria: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Library {
    pub entries: Vec<LibraryEntry>,
}

const SEED: &[(EntryKind, BroadArea, &str, &str)] = {
    use BroadArea::*;
    use EntryKind::*;
    &[
        (
            Strategy,
            CognitionAndLearning,
            "Break tasks into small steps and give one instruction at a time",
            "",
        ),
        (
            Strategy,
            CognitionAndLearning,
            "Pre-teach key vocabulary before the lesson",
            "",
        ),
        (
            Strategy,
            CognitionAndLearning,
            "Give a word mat or writing frame for written tasks",
            "",
        ),
        (
            Strategy,
            CognitionAndLearning,
            "Use concrete apparatus and pictures alongside numbers",
            "",
        ),
        (
            Strategy,
            CognitionAndLearning,
            "Check understanding by asking them to repeat the task in their own words",
            "",
        ),
        (
            Outcome,
            CognitionAndLearning,
            "Read and spell the first 100 high-frequency words",
            "Reads 90 of the 100 words aloud correctly in a one-to-one check",
        ),
        (
            Outcome,
            CognitionAndLearning,
            "Recall number bonds to 10 quickly",
            "Answers 10 mixed number bonds correctly within a minute, twice in a row",
        ),
        (
            Outcome,
            CognitionAndLearning,
            "Write a short paragraph independently using a writing frame",
            "Writes four linked sentences with capital letters and full stops in class work",
        ),
        (
            Strategy,
            CommunicationAndInteraction,
            "Say their name before giving an instruction",
            "",
        ),
        (
            Strategy,
            CommunicationAndInteraction,
            "Use a visual timetable and show changes to the day in advance",
            "",
        ),
        (
            Strategy,
            CommunicationAndInteraction,
            "Allow extra time to process a question before expecting an answer",
            "",
        ),
        (
            Strategy,
            CommunicationAndInteraction,
            "Model sentences for them to copy rather than correcting errors",
            "",
        ),
        (
            Strategy,
            CommunicationAndInteraction,
            "Give a role or a script for group work",
            "",
        ),
        (
            Outcome,
            CommunicationAndInteraction,
            "Follow a two-part instruction in class",
            "Follows two-part instructions without a reminder on four out of five occasions",
        ),
        (
            Outcome,
            CommunicationAndInteraction,
            "Take turns in a small-group conversation",
            "Waits for their turn and responds on topic in a weekly group session",
        ),
        (
            Outcome,
            CommunicationAndInteraction,
            "Ask an adult for help using a phrase or card",
            "Asks for help at least once in each lesson, seen by the class teacher",
        ),
        (
            Strategy,
            SocialEmotionalMentalHealth,
            "Greet them at the door and check in at the start of the day",
            "",
        ),
        (
            Strategy,
            SocialEmotionalMentalHealth,
            "Agree a calm space and a signal to use it",
            "",
        ),
        (
            Strategy,
            SocialEmotionalMentalHealth,
            "Praise specific behaviour quietly and privately",
            "",
        ),
        (
            Strategy,
            SocialEmotionalMentalHealth,
            "Warn them before transitions and changes of adult",
            "",
        ),
        (
            Strategy,
            SocialEmotionalMentalHealth,
            "Use a named key adult for worries",
            "",
        ),
        (
            Outcome,
            SocialEmotionalMentalHealth,
            "Name their feelings using a scale and choose a strategy",
            "Uses the scale and a chosen strategy without prompting three times a week",
        ),
        (
            Outcome,
            SocialEmotionalMentalHealth,
            "Return to learning within ten minutes after using the calm space",
            "Returns within ten minutes on most occasions, recorded by staff",
        ),
        (
            Outcome,
            SocialEmotionalMentalHealth,
            "Join in a structured playground game with peers",
            "Plays a structured game with peers at two lunchtimes a week",
        ),
        (
            Strategy,
            SensoryPhysical,
            "Seat them near the front with a clear view of the speaker",
            "",
        ),
        (
            Strategy,
            SensoryPhysical,
            "Offer movement breaks between tasks",
            "",
        ),
        (
            Strategy,
            SensoryPhysical,
            "Provide a sloped board, pencil grip or adapted scissors",
            "",
        ),
        (
            Strategy,
            SensoryPhysical,
            "Enlarge print to the agreed size and use high-contrast resources",
            "",
        ),
        (
            Strategy,
            SensoryPhysical,
            "Reduce background noise and offer ear defenders for busy times",
            "",
        ),
        (
            Outcome,
            SensoryPhysical,
            "Form letters legibly on the line",
            "Writes a sentence with legible, correctly formed letters in class work",
        ),
        (
            Outcome,
            SensoryPhysical,
            "Manage their coat, bag and shoes independently",
            "Gets ready for play and home without adult help for a week",
        ),
        (
            Outcome,
            SensoryPhysical,
            "Use their sensory strategies to stay in class for a whole lesson",
            "Stays in the lesson, using their strategies, in four out of five lessons",
        ),
    ]
};

impl Library {
    /// The examples Senco Desk starts with.
    pub fn seeded() -> Library {
        Library {
            entries: SEED
                .iter()
                .map(|(kind, area, text, criteria)| LibraryEntry {
                    kind: *kind,
                    area: *area,
                    text: (*text).to_string(),
                    success_criteria: (*criteria).to_string(),
                })
                .collect(),
        }
    }

    /// The entries of one kind in `area`, in the library's order, with their indexes.
    pub fn in_area(
        &self,
        kind: EntryKind,
        area: BroadArea,
    ) -> impl Iterator<Item = (usize, &LibraryEntry)> {
        self.entries
            .iter()
            .enumerate()
            .filter(move |(_, e)| e.kind == kind && e.area == area)
    }

    /// Checks an entry typed in the library form.
    pub fn check_entry(entry: &LibraryEntry) -> Result<(), String> {
        if entry.text.trim().is_empty() {
            return Err(format!("Enter the {}'s wording.", entry.kind.noun()));
        }
        if entry.text.chars().count() > MAX_LIBRARY_TEXT
            || entry.success_criteria.chars().count() > MAX_LIBRARY_TEXT
        {
            return Err(format!(
                "Library entries are at most {MAX_LIBRARY_TEXT} characters."
            ));
        }
        Ok(())
    }

    /// The library with `entry` added (or replacing entry `index`), refusing a duplicate.
    pub fn with_entry(&self, index: Option<usize>, entry: LibraryEntry) -> Result<Library, String> {
        Library::check_entry(&entry)?;
        let entry = LibraryEntry {
            text: entry.text.trim().to_string(),
            success_criteria: entry.success_criteria.trim().to_string(),
            ..entry
        };
        let duplicate = self.entries.iter().enumerate().any(|(i, e)| {
            Some(i) != index && e.kind == entry.kind && e.area == entry.area && e.text == entry.text
        });
        if duplicate {
            return Err(format!(
                "That {} is already in the library under {}.",
                entry.kind.noun(),
                entry.area
            ));
        }
        let mut next = self.clone();
        match index {
            Some(i) if i < next.entries.len() => next.entries[i] = entry,
            Some(_) => return Err("That library entry no longer exists.".into()),
            None if next.entries.len() >= MAX_LIBRARY_ENTRIES => {
                return Err(format!(
                    "The library holds at most {MAX_LIBRARY_ENTRIES} entries."
                ))
            }
            None => next.entries.push(entry),
        }
        Ok(next)
    }

    pub fn without_entry(&self, index: usize) -> Library {
        let mut next = self.clone();
        if index < next.entries.len() {
            next.entries.remove(index);
        }
        next
    }

    /// What a stored or imported library must respect.
    pub fn check(&self) -> Result<(), String> {
        if self.entries.len() > MAX_LIBRARY_ENTRIES {
            return Err(format!(
                "its library has more than {MAX_LIBRARY_ENTRIES} entries"
            ));
        }
        self.entries.iter().try_for_each(Library::check_entry)
    }
}

impl Zeroize for Library {
    fn zeroize(&mut self) {
        for entry in &mut self.entries {
            entry.text.zeroize();
            entry.success_criteria.zeroize();
        }
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_has_strategies_and_outcomes_in_every_area() {
        let library = Library::seeded();
        assert!(library.check().is_ok());
        for area in BroadArea::ALL {
            for kind in [EntryKind::Strategy, EntryKind::Outcome] {
                assert!(library.in_area(kind, area).count() >= 3, "{area} {kind:?}");
            }
        }
        for entry in library
            .entries
            .iter()
            .filter(|e| e.kind == EntryKind::Outcome)
        {
            assert!(!entry.success_criteria.is_empty(), "{}", entry.text);
        }
    }

    #[test]
    fn the_school_adds_edits_and_removes_entries() {
        let library = Library::seeded();
        let ours = LibraryEntry {
            kind: EntryKind::Strategy,
            area: BroadArea::SensoryPhysical,
            text: "  Use the wobble cushion at carpet time ".into(),
            success_criteria: String::new(),
        };
        let added = library.with_entry(None, ours.clone()).unwrap();
        let last = added.entries.last().unwrap();
        assert_eq!(last.text, "Use the wobble cushion at carpet time");
        let again = added.with_entry(None, ours).unwrap_err();
        assert!(
            again.contains("already in the library under Sensory and/or physical"),
            "{again}"
        );
        let index = added.entries.len() - 1;
        let edited = added
            .with_entry(
                Some(index),
                LibraryEntry {
                    text: "Use the wobble cushion".into(),
                    ..last.clone()
                },
            )
            .unwrap();
        assert_eq!(edited.entries[index].text, "Use the wobble cushion");
        assert_eq!(edited.entries.len(), added.entries.len());
        let removed = edited.without_entry(index);
        assert_eq!(removed, library);
        let blank = LibraryEntry {
            text: "  ".into(),
            ..edited.entries[0].clone()
        };
        assert_eq!(
            library.with_entry(None, blank).unwrap_err(),
            "Enter the strategy's wording."
        );
    }
}
