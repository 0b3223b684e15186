//! Makes a fictional school's desk for the benchmark: every record sealed exactly as the
//! app stores it, written out as the contents of localStorage.
//!
//! Usage: senco-desk-gen [--pupils 2000] [--sen 400] [--out bench/out/large]
//!                       [--passphrase "benchmark passphrase"]

use chrono::{Duration, NaiveDate, Utc};
use senco_desk::domain::{Note, Pupil, PupilId, Settings, Upn, YearGroup};
use senco_desk::store::{storage_used, MemoryStore, OpenDesk};
use senco_desk::vault::KdfParams;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A small, seeded generator: the same desk every run, with no extra dependency.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const FORENAMES: &[&str] = &[
    "Amara", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Harry", "Isla", "Jack", "Kai",
    "Layla", "Mason", "Nia", "Oliver", "Priya", "Quinn", "Ruby", "Sami", "Tariq", "Uma", "Vincent",
    "Willow", "Xander", "Yusuf", "Zara", "Aisha", "Bartosz", "Caoimhe", "Dylan", "Eilidh",
    "Fatima", "Gethin", "Hamza", "Imogen", "Jakub", "Keira", "Leo", "Maryam", "Noah",
];
const SURNAMES: &[&str] = &[
    "Okafor", "Hughes", "Abbott", "Patel", "Smith", "Jones", "Williams", "Taylor", "Brown",
    "Davies", "Evans", "Wilson", "Thomas", "Roberts", "Johnson", "Lewis", "Walker", "Robinson",
    "Wood", "Thompson", "White", "Khan", "Ali", "Nowak", "Kowalski", "O'Brien", "Murphy",
    "Campbell", "Stewart", "Begum", "Hussain", "Ahmed", "Singh", "Clarke", "Jackson", "Green",
];
const STAFF: &[&str] = &[
    "SENCO",
    "Class teacher",
    "Mrs Patel (TA)",
    "Mr Owen",
    "Speech and language therapist",
    "Educational psychologist",
    "Head of year",
    "Ms Lewis (HLTA)",
    "Parent",
    "School nurse",
];
const AREAS: &[&str] = &[
    "speech and language",
    "reading fluency",
    "phonics",
    "working memory",
    "social interaction",
    "emotional regulation",
    "fine motor control",
    "attention in class",
    "written expression",
    "number sense",
    "sensory processing",
    "friendships at break time",
    "spelling",
    "handwriting",
];
const OPENINGS: &[&str] = &[
    "Observed in class during",
    "Met with parents to discuss",
    "Reviewed progress in",
    "Assessment completed for",
    "Intervention session focused on",
    "Teacher raised a concern about",
    "Telephone call with mum about",
    "Outside agency report received on",
    "Pupil voice gathered about",
    "Target reviewed for",
];
const FINDINGS: &[&str] = &[
    "responded well to visual prompts and a now-and-next board",
    "needed adult support to start the task and to stay on it for more than five minutes",
    "made steady progress, moving up two book bands since the last review",
    "found transitions after lunch difficult and left the room twice",
    "used the word mat independently and asked for help appropriately",
    "standardised score below the expected range; retest planned next term",
    "parents report better sleep and fewer difficulties getting to school on time",
    "the small-group session suits them better than withdrawal one to one",
    "showed anxiety before the spelling test and asked to sit near the door",
    "worked with a partner for the whole lesson, a first this year",
];
const ACTIONS: &[&str] = &[
    "Continue Talk Boost three times a week with the TA.",
    "Add a movement break before literacy and review in four weeks.",
    "Share the pupil passport with the supply teacher cover list.",
    "Refer to the speech and language service with parental consent.",
    "Precision teaching of ten high-frequency words, daily for six weeks.",
    "Arrange a meeting with parents before the next review.",
    "Trial a coloured overlay and a reading ruler in all lessons.",
    "Agree a safe space and a time-out card with the pupil.",
    "Provide a visual timetable on the desk and check it each morning.",
    "Request an updated report from the educational psychologist.",
];

fn upn_for(n: u64) -> Option<Upn> {
    let body = format!("{:012}", 801_200_000_000u64 + n);
    ('A'..='Z').find_map(|letter| Upn::parse(&format!("{letter}{body}")).ok())
}

/// About `target` bytes of SEN history as JSON: dated notes from several people.
fn history(dice: &mut Dice, name: &str, target: usize) -> Vec<Note> {
    let mut notes = Vec::new();
    let mut size = 2;
    let mut date = NaiveDate::from_ymd_opt(2021, 9, 6).unwrap();
    while size < target {
        date += Duration::days(3 + dice.below(40) as i64);
        let text = format!(
            "{} {} ({}): {} {}. Score {} of {}; {} minutes of support a week. {}",
            dice.pick(OPENINGS),
            dice.pick(AREAS),
            name,
            dice.pick(FINDINGS),
            if dice.below(2) == 0 {
                "on the whole"
            } else {
                "with prompting"
            },
            dice.below(40) + 60,
            100 + dice.below(40),
            15 * (1 + dice.below(8)),
            dice.pick(ACTIONS),
        );
        let note = Note {
            date,
            author: dice.pick(STAFF).to_string(),
            text,
        };
        size += serde_json::to_string(&note).unwrap().len() + 1;
        notes.push(note);
    }
    notes
}

fn main() {
    let mut pupils = 2000usize;
    let mut sen = 400usize;
    let mut out = PathBuf::from("bench/out/large");
    let mut passphrase = "benchmark passphrase".to_string();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--pupils" => pupils = value.parse().expect("--pupils takes a number"),
            "--sen" => sen = value.parse().expect("--sen takes a number"),
            "--out" => out = PathBuf::from(value),
            "--passphrase" => passphrase = value,
            other => panic!("unknown option {other}"),
        }
    }
    let mut dice = Dice(0x5EC0_DE5C_0FFE_E001);
    let mut store = MemoryStore::new();
    let now = Utc::now();
    let (mut open, _) = OpenDesk::create(
        &mut store,
        Settings::new("Oakfield Primary"),
        &passphrase,
        KdfParams::default(),
        now,
    )
    .expect("desk created");
    let mut plaintexts = Vec::with_capacity(pupils);
    let mut sen_json_bytes = 0usize;
    for i in 0..pupils {
        let year = (i % 12) as u8; // Reception to Year 11
        let year_group = if year == 0 {
            YearGroup::Reception
        } else {
            YearGroup::Year(year)
        };
        let born = NaiveDate::from_ymd_opt(2021 - i32::from(year), 9, 1).unwrap()
            + Duration::days(dice.below(365) as i64);
        let pupil = Pupil {
            id: PupilId(String::new()),
            forename: dice.pick(FORENAMES).to_string(),
            surname: dice.pick(SURNAMES).to_string(),
            date_of_birth: born,
            year_group,
            upn: (dice.below(10) != 0).then(|| upn_for(i as u64)).flatten(),
        };
        let forename = pupil.forename.clone();
        let id = open.add_pupil(&mut store, pupil, now).expect("pupil added");
        if i % (pupils / sen.max(1)).max(1) == 0 && i / (pupils / sen.max(1)).max(1) < sen {
            let mut file = open.desk.file(&id).unwrap().clone();
            file.notes = history(&mut dice, &forename, 8 * 1024);
            open.save_file(&mut store, file, 1, now)
                .expect("history saved");
        }
        let json = serde_json::to_string(open.desk.file(&id).unwrap()).unwrap();
        if !open.desk.file(&id).unwrap().notes.is_empty() {
            sen_json_bytes += json.len();
        }
        plaintexts.push(json);
    }
    let with_history = open.desk.files().filter(|f| !f.notes.is_empty()).count();
    assert_eq!(open.desk.pupil_count(), pupils);
    std::fs::create_dir_all(&out).expect("output folder");
    let items: &BTreeMap<String, String> = store.items();
    std::fs::write(
        out.join("localstorage.json"),
        serde_json::to_string(items).unwrap(),
    )
    .unwrap();
    std::fs::write(
        out.join("plaintexts.json"),
        serde_json::to_string(&plaintexts).unwrap(),
    )
    .unwrap();
    let total_json: usize = plaintexts.iter().map(String::len).sum();
    let meta = serde_json::json!({
        "passphrase": passphrase,
        "pupils": pupils,
        "with_sen_history": with_history,
        "plaintext_json_bytes": total_json,
        "average_sen_record_json_bytes": sen_json_bytes / with_history.max(1),
        "stored_utf16_units": storage_used(&store).unwrap(),
        "keys": items.len(),
        "generated": now.date_naive().to_string(),
    });
    std::fs::write(out.join("meta.json"), meta.to_string()).unwrap();
    println!("{}: {meta}", out.display());
}
