//! Makes a fictional school's desk for the benchmark: every record sealed exactly as the
//! app stores it, written out as the contents of localStorage.
//!
//! Usage: senco-desk-gen [--pupils 2000] [--sen 400] [--out bench/out/large]
//!                       [--passphrase "benchmark passphrase"]
//!                       [--today YYYY-MM-DD] [--plan-terms 15]
//!
//! Each SEN pupil gets termly support plans for the last `--plan-terms` terms begun by
//! `--today` (the system date unless given): all reviewed but the latest, which is active.
//! `--plan-terms 0` makes the desk as it was before plans.
//!
//! Writes DIR/localstorage.json (every key and value), DIR/plaintexts.json (each pupil
//! file's JSON, for the browser floor measurement) and DIR/meta.json. Everything is made
//! up: names come from short lists, and the SEN history of `--sen` pupils is built from
//! many sentence patterns so it compresses about as well as real notes (about 3 to 1
//! with deflate), not better.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use senco_desk::domain::due::what_is_due;
use senco_desk::domain::library::Library;
use senco_desk::domain::{
    Gender, NeedType, NeedsChange, Note, Pupil, PupilFile, PupilId, SenRecord, SenStatus, Settings,
    StatusChange, Upn, YearGroup,
};
use senco_desk::store::LOCAL_STORAGE_QUOTA_UNITS;
use senco_desk::store::{storage_used, DeskStoreError, MemoryStore, OpenDesk};
use senco_desk::vault::KdfParams;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[path = "senco_desk_gen/ehc.rs"]
mod ehc;
#[path = "senco_desk_gen/liaison.rs"]
mod liaison;
#[path = "senco_desk_gen/plans.rs"]
mod plans;
#[path = "senco_desk_gen/provisions.rs"]
mod provisions;

/// JSON bytes of SEN history to give each pupil on the SEN register.
const HISTORY_BYTES: usize = 8 * 1024;
/// The school year the desk is set in: 2026/27, with notes up to this date.
const SCHOOL_YEAR_START: i32 = 2026;
const LAST_NOTE: (i32, u32, u32) = (2026, 11, 13);

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
    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Forenames with the pronoun the notes use for them.
const FORENAMES: &[(&str, bool)] = &[
    ("Amara", true),
    ("Ben", false),
    ("Chloe", true),
    ("Dev", false),
    ("Ella", true),
    ("Finn", false),
    ("Grace", true),
    ("Harry", false),
    ("Isla", true),
    ("Jack", false),
    ("Kai", false),
    ("Layla", true),
    ("Mason", false),
    ("Nia", true),
    ("Oliver", false),
    ("Priya", true),
    ("Quinn", false),
    ("Ruby", true),
    ("Sami", false),
    ("Tariq", false),
    ("Uma", true),
    ("Vincent", false),
    ("Willow", true),
    ("Xander", false),
    ("Yusuf", false),
    ("Zara", true),
    ("Aisha", true),
    ("Bartosz", false),
    ("Caoimhe", true),
    ("Dylan", false),
    ("Eilidh", true),
    ("Fatima", true),
    ("Gethin", false),
    ("Hamza", false),
    ("Imogen", true),
    ("Jakub", false),
    ("Keira", true),
    ("Leo", false),
    ("Maryam", true),
    ("Noah", false),
    ("Olivia", true),
    ("Poppy", true),
    ("Rhys", false),
    ("Sophie", true),
    ("Theo", false),
    ("Ava", true),
    ("Alfie", false),
    ("Evie", true),
    ("George", false),
    ("Freya", true),
    ("Arlo", false),
    ("Rosie", true),
    ("Musa", false),
    ("Hana", true),
    ("Callum", false),
    ("Megan", true),
    ("Kacper", false),
    ("Lena", true),
    ("Reuben", false),
    ("Niamh", true),
];
const SURNAMES: &[&str] = &[
    "Okafor",
    "Hughes",
    "Abbott",
    "Patel",
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Roberts",
    "Johnson",
    "Lewis",
    "Walker",
    "Robinson",
    "Wood",
    "Thompson",
    "White",
    "Khan",
    "Ali",
    "Nowak",
    "Kowalski",
    "O'Brien",
    "Murphy",
    "Campbell",
    "Stewart",
    "Begum",
    "Hussain",
    "Ahmed",
    "Singh",
    "Clarke",
    "Jackson",
    "Green",
    "Adeyemi",
    "Baker",
    "Chowdhury",
    "Doherty",
    "Edwards",
    "Fletcher",
    "Gallagher",
    "Harris",
    "Iqbal",
    "Jenkins",
    "Kaur",
    "Lloyd",
    "Mensah",
    "Nicholson",
    "Owusu",
    "Price",
    "Quinn",
    "Rahman",
    "Shaw",
    "Turner",
    "Usman",
    "Vaughan",
    "Ward",
    "Young",
];
/// Adults who write in a pupil's file.
const STAFF: &[&str] = &[
    "SENCO",
    "Mrs Achebe (class teacher)",
    "Mr Owen (class teacher)",
    "Miss Ferreira (TA)",
    "Mrs Patel (TA)",
    "Ms Lewis (HLTA)",
    "Mr Dunmore (head of year)",
    "Mrs Kowalczyk (ELSA)",
    "Speech and language therapist",
    "Educational psychologist",
    "School nurse",
    "Deputy head (DSL)",
    "Ms Grant (learning mentor)",
    "Mr Ibrahim (maths lead)",
    "Occupational therapist",
    "Specialist teacher (SpLD)",
    "Family support worker",
];
const PARENTS: &[&str] = &[
    "mum",
    "dad",
    "both parents",
    "grandma",
    "foster carer",
    "stepdad",
    "aunt",
    "nan",
    "mum and her partner",
    "the social worker and mum",
];
const SUBJECTS: &[&str] = &[
    "maths",
    "English",
    "phonics",
    "science",
    "PE",
    "art",
    "history",
    "geography",
    "RE",
    "music",
    "computing",
    "guided reading",
    "French",
    "design and technology",
    "PSHE",
    "swimming",
    "forest school",
    "drama",
    "spelling practice",
    "times tables practice",
];
const TIMES: &[&str] = &[
    "first thing in the morning",
    "straight after lunch",
    "in the last lesson of the day",
    "on Monday mornings",
    "during wet play",
    "after assembly",
    "before the register",
    "in the lunch hall",
    "on the way back from PE",
    "when the timetable changed",
    "on the residential trip",
    "during the fire drill",
    "at pick-up time",
];
const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];
const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const ADVERBS: &[&str] = &[
    "noticeably",
    "slightly",
    "consistently",
    "occasionally",
    "much",
    "a little",
    "clearly",
    "gradually",
    "somewhat",
    "markedly",
];
const FEELINGS: &[&str] = &[
    "anxious",
    "frustrated",
    "tired",
    "settled",
    "proud",
    "overwhelmed",
    "calm",
    "cross",
    "withdrawn",
    "excited",
    "worried",
    "confident",
    "upset",
    "restless",
];
const QUOTES: &[&str] = &[
    "I like it when I can use the fidget on my desk",
    "the hall is too loud and it hurts my ears",
    "I don't know what to write so I just sit there",
    "reading with Miss is my favourite bit of the day",
    "nobody lets me play football with them",
    "I get muddled when there are lots of instructions",
    "the number line helps me a lot",
    "I want to sit next to my friend again",
    "I feel better when I know what is happening next",
    "my hand hurts when I write for a long time",
    "I like the quiet room because no one shouts",
    "I can do it if somebody shows me first",
    "tests make my tummy feel funny",
    "I'm good at drawing, not at spelling",
    "I didn't sleep because of my brother",
];
const PROGRESS: &[&str] = &[
    "achieved",
    "partly achieved",
    "not yet achieved, carry forward",
    "achieved with adult support",
    "exceeded, new target set",
    "too early to judge",
    "achieved in small group but not yet in class",
];
const MEETINGS: &[&str] = &[
    "next review meeting",
    "spring term review",
    "annual review",
    "parents' evening",
    "termly SEN support review",
    "pupil progress meeting",
    "team around the family meeting",
];

/// The primary area of need decides most of what a pupil's notes talk about.
struct Need {
    code: &'static str,
    name: &'static str,
    difficulties: &'static [&'static str],
    strategies: &'static [&'static str],
    interventions: &'static [&'static str],
    assessments: &'static [&'static str],
    agencies: &'static [&'static str],
    targets: &'static [&'static str],
}

const NEEDS: &[Need] = &[
    Need {
        code: "SLCN",
        name: "speech, language and communication needs",
        difficulties: &[
            "following two-part instructions",
            "finding the right word when retelling a story",
            "the /s/ and /sh/ sounds, which makes speech hard to follow for new adults",
            "understanding questions that begin with why and how",
            "joining in group discussions without an adult modelling first",
            "learning new topic vocabulary",
            "sequencing events in the correct order",
        ],
        strategies: &[
            "pre-teach three topic words before each science unit",
            "give one instruction at a time and check understanding by asking for it back",
            "use Colourful Semantics cards to build longer sentences",
            "model answers with a sentence stem on the whiteboard",
            "allow ten seconds of thinking time before expecting an answer",
            "use a visual word wall with symbols beside each new term",
        ],
        interventions: &[
            "Talk Boost",
            "NELI",
            "Language Link",
            "Word Aware",
            "Lego therapy",
        ],
        assessments: &[
            "CELF-5 screener",
            "Language Link assessment",
            "BPVS-3",
            "TALC",
        ],
        agencies: &[
            "speech and language therapy service",
            "communication outreach team",
        ],
        targets: &[
            "use a sentence of at least six words to describe a picture",
            "follow a two-step instruction in class without repetition",
            "answer a why question about a story with a because sentence",
            "retell a familiar story using first, next and finally",
        ],
    },
    Need {
        code: "SEMH",
        name: "social, emotional and mental health needs",
        difficulties: &[
            "managing frustration when work feels too hard",
            "transitions between lessons",
            "accepting when a game does not go their way",
            "coming into school in the morning without becoming distressed",
            "repairing friendships after a falling-out at break",
            "low mood and saying unkind things about themselves",
            "staying in the classroom when the noise level rises",
        ],
        strategies: &[
            "meet and greet at the gate with a familiar adult each morning",
            "use a feelings thermometer and agree what to do at each level",
            "offer a time-out card and a named safe space outside the classroom",
            "give a classroom job at the start of the afternoon to ease the transition",
            "use restorative conversations after any incident, within the same day",
            "praise privately rather than in front of the class",
        ],
        interventions: &[
            "ELSA",
            "Zones of Regulation",
            "Drawing and Talking",
            "nurture group",
            "Lego therapy",
        ],
        assessments: &[
            "Boxall Profile",
            "SDQ",
            "Thrive assessment",
            "Beck Youth Inventories",
        ],
        agencies: &[
            "CAMHS",
            "early help team",
            "mental health support team",
            "school counsellor",
        ],
        targets: &[
            "name the feeling and use the agreed calm-down strategy on three occasions",
            "stay in class for the whole of the morning session four days out of five",
            "join a structured game at lunch with one peer",
            "come into school at the start of the day without adult support",
        ],
    },
    Need {
        code: "SpLD",
        name: "specific learning difficulty (dyslexia profile)",
        difficulties: &[
            "decoding unfamiliar words with more than two syllables",
            "remembering spelling patterns from one week to the next",
            "copying from the board accurately",
            "reading fluently enough to understand the text",
            "organising ideas before writing",
            "recalling times tables facts at speed",
            "telling b and d apart when tired",
        ],
        strategies: &[
            "provide printed copies of anything written on the board",
            "use a reading ruler and cream paper for all written work",
            "let them record answers with a voice recorder or a scribe in tests",
            "mark for content rather than spelling in subjects other than English",
            "give a word bank and a writing frame for extended writing",
            "practise the same spelling pattern daily for five minutes",
        ],
        interventions: &[
            "Toe by Toe",
            "Precision Teaching",
            "Nessy",
            "Lexia",
            "Plus 1",
            "IDL",
        ],
        assessments: &[
            "York Assessment of Reading for Comprehension",
            "WRAT-5",
            "Dyslexia Portfolio",
            "Single Word Spelling Test",
        ],
        agencies: &["specialist teaching service", "local dyslexia outreach"],
        targets: &[
            "read 40 high-frequency words on sight",
            "spell words with the -tion ending correctly in independent writing",
            "read a book-band appropriate text at 80 words a minute",
            "use a planning frame to write three linked paragraphs",
        ],
    },
    Need {
        code: "ASD",
        name: "autism (diagnosed)",
        difficulties: &[
            "coping with unexpected changes to the timetable",
            "noise in the dinner hall",
            "understanding jokes and sarcasm from other children",
            "waiting for a turn",
            "writing about imaginary situations",
            "the feel of the new school jumper",
            "joining group work when roles are not made clear",
        ],
        strategies: &[
            "warn about any change to the day with the visual timetable before the register",
            "offer ear defenders in assembly and in the dinner hall",
            "eat lunch in the small hall with two chosen friends",
            "give a clear role card in group work",
            "use social stories before trips, visitors and supply cover",
            "provide a movement break every forty minutes",
        ],
        interventions: &[
            "Lego therapy",
            "social skills group",
            "Attention Autism",
            "sensory circuit",
            "Zones of Regulation",
        ],
        assessments: &[
            "sensory profile",
            "Social Communication Questionnaire",
            "Boxall Profile",
        ],
        agencies: &[
            "autism outreach team",
            "community paediatrics",
            "occupational therapy",
        ],
        targets: &[
            "use the visual timetable independently to move to the next activity",
            "tolerate the dinner hall for ten minutes with ear defenders",
            "take turns in a board game with two peers",
            "ask an adult for help using the help card",
        ],
    },
    Need {
        code: "MLD",
        name: "moderate learning difficulty",
        difficulties: &[
            "retaining new learning over a weekend",
            "working independently for more than ten minutes",
            "understanding place value beyond 100",
            "reading instructions in worksheets",
            "generalising a skill from maths lessons to other subjects",
            "keeping up with the pace of whole-class teaching",
        ],
        strategies: &[
            "use concrete apparatus such as Numicon and Dienes before moving to pictures",
            "break tasks into three numbered steps on a checklist",
            "revisit the previous lesson's key point at the start of each lesson",
            "pair with a supportive peer for paired reading",
            "reduce the number of questions rather than their difficulty",
        ],
        interventions: &[
            "Numbers Count",
            "First Class@Number",
            "Better Reading Partnership",
            "Rapid Reading",
        ],
        assessments: &["PIRA", "PUMA", "Sandwell Early Numeracy Test", "BPVS-3"],
        agencies: &["educational psychology service", "community paediatrics"],
        targets: &[
            "count on and back in tens from any two-digit number",
            "work independently on a task for fifteen minutes",
            "read and follow a three-step written instruction",
            "use a number line to add two two-digit numbers",
        ],
    },
    Need {
        code: "ADHD",
        name: "attention deficit hyperactivity disorder (diagnosed)",
        difficulties: &[
            "sitting on the carpet for the whole input",
            "starting written tasks",
            "calling out during whole-class questioning",
            "keeping track of equipment",
            "impulsive reactions in the playground",
            "finishing homework without reminders",
        ],
        strategies: &[
            "seat near the front, away from the window and the door",
            "give a now-and-next board for tasks longer than ten minutes",
            "offer a wobble cushion and a fiddle toy during carpet time",
            "agree a discreet signal when it is time to refocus",
            "check the homework planner at the end of each day",
        ],
        interventions: &[
            "Zones of Regulation",
            "daily check-in with the learning mentor",
            "sensory circuit",
            "motor skills group",
        ],
        assessments: &[
            "Conners 4 (teacher form)",
            "SDQ",
            "attention and listening checklist",
        ],
        agencies: &[
            "community paediatrics",
            "ADHD nurse service",
            "early help team",
        ],
        targets: &[
            "put a hand up and wait in three out of four whole-class sessions",
            "start a written task within two minutes of the instruction",
            "bring the right equipment to lessons four days out of five",
            "use the agreed signal to ask for a movement break",
        ],
    },
    Need {
        code: "PD",
        name: "physical difficulty (developmental coordination disorder)",
        difficulties: &[
            "handwriting at speed",
            "using scissors and a ruler",
            "changing for PE in time",
            "catching a ball",
            "staying upright on a chair through a long lesson",
            "doing up buttons and zips",
        ],
        strategies: &[
            "use a writing slope and a pencil grip",
            "allow extra time to change for PE",
            "provide spring-loaded scissors",
            "use a laptop for extended writing",
            "give printed worksheets instead of copying",
        ],
        interventions: &[
            "Clever Hands",
            "BEAM",
            "Write from the Start",
            "motor skills group",
            "touch-typing programme",
        ],
        assessments: &[
            "Beery VMI",
            "Movement ABC-2 checklist",
            "handwriting speed assessment (DASH)",
        ],
        agencies: &[
            "occupational therapy",
            "physiotherapy service",
            "community paediatrics",
        ],
        targets: &[
            "write 12 words a minute legibly",
            "cut along a curved line accurately",
            "change for PE within five minutes",
            "touch type at 15 words a minute",
        ],
    },
    Need {
        code: "HI",
        name: "hearing impairment",
        difficulties: &[
            "following discussion when several children talk at once",
            "hearing instructions in the hall and outside",
            "new vocabulary in science",
            "keeping the radio aid charged and working",
            "listening fatigue by the afternoon",
        ],
        strategies: &[
            "make sure the teacher wears the radio aid microphone for all inputs",
            "seat with the better ear towards the teacher and away from the projector fan",
            "repeat other children's answers before responding",
            "provide subtitles for every video clip",
            "pre-teach key vocabulary with pictures before the lesson",
        ],
        interventions: &[
            "pre-tutoring with the HLTA",
            "listening skills group",
            "Word Aware",
        ],
        assessments: &["audiology report", "BPVS-3", "listening environment check"],
        agencies: &["sensory support service (teacher of the deaf)", "audiology"],
        targets: &[
            "tell an adult when the radio aid is not working",
            "use three new topic words correctly in discussion",
            "ask for repetition when something has been missed",
        ],
    },
];

/// Everything a sentence about one pupil needs.
struct Ctx<'a> {
    name: &'a str,
    she: bool,
    need: &'a Need,
    date: NaiveDate,
    age_years: i32,
}

impl Ctx<'_> {
    fn they(&self) -> &'static str {
        if self.she {
            "she"
        } else {
            "he"
        }
    }
    fn their(&self) -> &'static str {
        if self.she {
            "her"
        } else {
            "his"
        }
    }
}

fn month_name(date: NaiveDate) -> &'static str {
    MONTHS[date.month0() as usize]
}

fn uk(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", date.day(), date.month(), date.year())
}

/// One sentence of a note: many shapes, with names, numbers and dates filled in, so the
/// text repeats about as much as a real file does.
fn sentence(d: &mut Dice, c: &Ctx) -> String {
    let n = c.need;
    let (name, they, their) = (c.name, c.they(), c.their());
    match d.below(34) {
        0 => format!(
            "{name} found {} {} difficult {}, and needed {} reminders to get going.",
            d.pick(n.difficulties),
            d.pick(ADVERBS),
            d.pick(TIMES),
            d.range(2, 7)
        ),
        1 => format!(
            "In {} {they} worked for {} minutes before needing a break, compared with about {} minutes in {}.",
            d.pick(SUBJECTS),
            d.range(4, 25),
            d.range(3, 20),
            d.pick(MONTHS)
        ),
        2 => format!(
            "{} observed {name} for {} minutes in {}: {they} was {} at first but {} once the task was modelled.",
            d.pick(STAFF),
            d.range(15, 50),
            d.pick(SUBJECTS),
            d.pick(FEELINGS),
            d.pick(&["settled", "joined in", "began writing", "asked a question", "calmed down"])
        ),
        3 => format!(
            "Met {} on {}; they said {name} has been {} at home and {}.",
            d.pick(PARENTS),
            d.pick(WEEKDAYS),
            d.pick(FEELINGS),
            d.pick(&[
                "is sleeping better since the new bedtime routine",
                "has been refusing to do homework",
                "talks about school more positively",
                "is worried about moving class in September",
                "has started seeing a cousin at the weekend, which helps",
                "gets very tired on Thursdays after swimming club",
                "has had a lot of hospital appointments for a younger sibling",
            ])
        ),
        4 => format!(
            "{} standard score {} ({}th percentile), {} the {} recorded in {} {}.",
            d.pick(n.assessments),
            d.range(69, 104),
            d.range(2, 61),
            d.pick(&["up from", "down from", "in line with", "a little above", "well above"]),
            d.range(65, 100),
            d.pick(MONTHS),
            c.date.year() - 1
        ),
        5 => format!(
            "Reading age {} years {} months against a chronological age of {} years {} months.",
            (c.age_years - d.range(0, 3) as i32).max(4),
            d.below(12),
            c.age_years,
            d.below(12)
        ),
        6 => format!(
            "Agreed to {} for the next {} weeks, led by {}, and to look at it again at the {}.",
            d.pick(n.strategies),
            d.range(3, 10),
            d.pick(STAFF),
            d.pick(MEETINGS)
        ),
        7 => format!("{name} said \"{}\".", d.pick(QUOTES)),
        8 => format!(
            "Target: {}. Outcome: {} ({} of {} sessions).",
            d.pick(n.targets),
            d.pick(PROGRESS),
            d.range(3, 12),
            d.range(12, 18)
        ),
        9 => format!(
            "Attendance this half term is {}.{}%, with {} late marks, {}.",
            d.range(82, 99),
            d.below(10),
            d.below(9),
            d.pick(&[
                "mostly on Mondays",
                "which the family support worker is following up",
                "an improvement since the spring",
                "linked to medical appointments",
                "so punctuality is not a concern",
            ])
        ),
        10 => format!(
            "Referral to the {} sent on {} with parental consent; {}.",
            d.pick(n.agencies),
            uk(c.date - Duration::days(d.range(0, 20) as i64)),
            d.pick(&[
                "waiting time is currently about 18 weeks",
                "accepted and triaged as routine",
                "they asked for more evidence from class",
                "an appointment letter has been sent home",
                "returned because the form was the old version; resent",
            ])
        ),
        11 => format!(
            "The {} visited on {} and recommended that staff {}.",
            d.pick(n.agencies),
            d.pick(WEEKDAYS),
            d.pick(n.strategies)
        ),
        12 => format!(
            "{} runs {} with {name} {} in a group of {}, {} minutes each session.",
            d.pick(STAFF),
            d.pick(n.interventions),
            d.pick(&["once a week", "twice a week", "three times a week", "four times a week", "every day"]),
            d.range(1, 6),
            5 * d.range(3, 8)
        ),
        13 => format!(
            "Entry score on {} was {}, exit score {} after {} weeks.",
            d.pick(n.interventions),
            d.range(8, 30),
            d.range(14, 40),
            d.range(6, 14)
        ),
        14 => format!(
            "Primary need recorded as {} ({}); {}.",
            n.name,
            n.code,
            d.pick(&[
                "no secondary need identified at present",
                "secondary need of SEMH noted",
                "secondary need of SpLD to be explored",
                "medical needs are covered by the health care plan",
            ])
        ),
        15 => format!(
            "Incident {} on {}: {name} {} after {}. {} spoke to {} afterwards.",
            d.pick(TIMES),
            d.pick(WEEKDAYS),
            d.pick(&[
                "left the classroom without permission",
                "threw a pencil case",
                "hid under the table",
                "shouted at another child",
                "cried and would not come back in",
                "pushed in the line",
            ]),
            d.pick(&[
                "a disagreement over a football",
                "being asked to read aloud",
                "a change of teacher",
                "losing a house point",
                "a loud fire alarm test",
                "not being chosen for a team",
            ]),
            d.pick(STAFF),
            if c.she { "her" } else { "him" }
        ),
        16 => format!(
            "Homework completion is about {} in {}, better when {}.",
            d.pick(&["one in four", "half", "two thirds", "three quarters"]),
            d.range(4, 10),
            d.pick(&[
                "it is set on paper rather than online",
                "a grown-up sits with them",
                "it is done at homework club",
                "the task is short",
            ])
        ),
        17 => format!(
            "Pupil passport updated with {name}: {they} chose to add that {}.",
            d.pick(&[
                "loves dinosaurs and drawing maps",
                "likes to be told quietly rather than in front of everyone",
                "finds it easier to talk while walking",
                "is proud of learning to ride a bike",
                "wants adults to check in at lunchtime",
                "does not like being touched on the shoulder",
                "is good at building things with Lego",
            ])
        ),
        18 => format!(
            "Class teacher reports {their} {} has {} improved since {}.",
            d.pick(&["confidence", "handwriting", "focus", "independence", "reading stamina", "behaviour at lunch", "vocabulary"]),
            d.pick(ADVERBS),
            d.pick(MONTHS)
        ),
        19 => format!(
            "SEN support plan reviewed with {} and {name}; {} of {} targets met and {} new ones agreed.",
            d.pick(PARENTS),
            d.range(0, 3),
            d.range(3, 4),
            d.range(1, 3)
        ),
        20 => format!(
            "Exam access: {} ({} minutes extra) agreed for the {} assessments.",
            d.pick(&["25% extra time", "a reader", "a scribe", "rest breaks", "a separate room", "a word processor"]),
            d.range(5, 30),
            d.pick(&["end of term", "mock", "phonics screening", "multiplication tables check", "spring"])
        ),
        21 => format!(
            "Book band moved from {} to {}; fluency {} words a minute with {}% accuracy.",
            d.pick(&["pink", "red", "yellow", "blue", "green", "orange"]),
            d.pick(&["turquoise", "purple", "gold", "white", "lime", "brown"]),
            d.range(18, 95),
            d.range(82, 99)
        ),
        22 => format!(
            "{} {name} was {} during {} and used the {} without prompting.",
            d.pick(&["Today", "This week", "Yesterday afternoon", "On the school trip"]),
            d.pick(FEELINGS),
            d.pick(SUBJECTS),
            d.pick(&["help card", "word mat", "number line", "now-and-next board", "timer", "feelings chart", "break card"])
        ),
        23 => format!(
            "Cost of provision this term estimated at £{} ({} hours of TA time at £{}.{:02} an hour).",
            d.range(300, 2900),
            d.range(20, 120),
            d.range(14, 19),
            d.below(100)
        ),
        24 => format!(
            "Costed provision map shows {} hours a week of additional support, so the notional SEN budget {}.",
            d.range(2, 15),
            d.pick(&["covers it", "is exceeded", "nearly covers it", "will not stretch to next year at this level"])
        ),
        25 => format!(
            "Discussed an EHC needs assessment request with {}: {}.",
            d.pick(PARENTS),
            d.pick(&[
                "agreed to gather two more cycles of assess, plan, do, review first",
                "the request went to the local authority panel on the last Thursday of the month",
                "the panel agreed to assess; the EP will visit within six weeks",
                "the panel declined, advising a further term of SEN support",
                "the family would like advice from SENDIASS first",
            ])
        ),
        26 => format!(
            "Moving to {} next year: transition visits planned for {} and a photo book made with {}.",
            d.pick(&["a new class", "Year 7 at the secondary school", "the junior site", "the resource base"]),
            d.pick(MONTHS),
            d.pick(STAFF)
        ),
        27 => format!(
            "{} noticed that {name} {} {}, so {}.",
            d.pick(STAFF),
            d.pick(&["struggles most with", "copes better with", "avoids", "asks for help with"]),
            d.pick(n.difficulties),
            d.pick(n.strategies)
        ),
        28 => format!(
            "Weekly check-ins with {} continue on {}s; {name} rated the week {} out of 10.",
            d.pick(STAFF),
            d.pick(WEEKDAYS),
            d.range(2, 10)
        ),
        29 if n.code == "ADHD" || n.code == "SEMH" => format!(
            "Medication {} by the GP in {}; school to record any changes in attention or appetite.",
            d.pick(&["reviewed", "dose increased", "paused", "started", "changed"]),
            d.pick(MONTHS)
        ),
        30 => format!(
            "Sat {} on the {} with {}% of answers correct, {} the class average of {}%.",
            d.pick(&["a practice paper", "the end of unit quiz", "the spelling test", "the times tables check"]),
            d.pick(WEEKDAYS),
            d.range(10, 95),
            d.pick(&["against", "compared with", "below", "close to"]),
            d.range(55, 85)
        ),
        31 => format!(
            "Safeguarding: nothing new to add; DSL informed of {} as a precaution.",
            d.pick(&["a bruise on the arm, explained by a fall at the park", "a change of address", "a missed medical appointment", "a comment about being hungry"])
        ),
        32 => format!(
            "Copy of the {} report filed; key points shared with the class team on {}.",
            d.pick(n.agencies),
            uk(c.date + Duration::days(d.range(1, 6) as i64))
        ),
        _ => format!(
            "Next step: {}, reviewed by {} {} weeks from now.",
            d.pick(n.strategies),
            d.pick(STAFF),
            d.range(2, 8)
        ),
    }
}

/// The opening of a note, by kind.
fn opening(d: &mut Dice, c: &Ctx) -> String {
    let n = c.need;
    match d.below(10) {
        0 => format!(
            "Termly review ({} term).",
            d.pick(&["autumn", "spring", "summer"])
        ),
        1 => format!("Parent meeting with {}.", d.pick(PARENTS)),
        2 => format!("Observation in {}.", d.pick(SUBJECTS)),
        3 => format!("Assessment: {}.", d.pick(n.assessments)),
        4 => format!("Update from the {}.", d.pick(n.agencies)),
        5 => format!("Pupil voice, {} {}.", month_name(c.date), c.date.year()),
        6 => format!("Intervention log: {}.", d.pick(n.interventions)),
        7 => "Phone call home.".to_string(),
        8 => format!("Concern raised by {}.", d.pick(STAFF)),
        _ => format!("Strategy review for {}.", d.pick(n.difficulties)),
    }
}

/// About `target` bytes of SEN history as JSON: dated notes from several adults, between
/// the pupil starting school (or four years ago) and the last note date.
fn history(
    d: &mut Dice,
    name: &str,
    she: bool,
    year: i32,
    born: NaiveDate,
    target: usize,
    need: &Need,
) -> Vec<Note> {
    let last = NaiveDate::from_ymd_opt(LAST_NOTE.0, LAST_NOTE.1, LAST_NOTE.2).unwrap();
    let started = NaiveDate::from_ymd_opt(SCHOOL_YEAR_START - year.min(4), 9, 3).unwrap();
    let span = (last - started).num_days().max(30);
    let mut texts = Vec::new();
    let mut size = 2; // []
    while size < target {
        let mut text = String::new();
        let mut ctx = Ctx {
            name,
            she,
            need,
            date: last,
            age_years: 0,
        };
        let offset = d.below(span as usize) as i64;
        ctx.date = school_day(started + Duration::days(offset));
        ctx.age_years = ctx.date.years_since(born).unwrap_or(4) as i32;
        text.push_str(&opening(d, &ctx));
        for _ in 0..d.range(2, 5) {
            text.push(' ');
            text.push_str(&sentence(d, &ctx));
        }
        let note = Note {
            id: String::new(),
            date: ctx.date,
            author: d.pick(STAFF).to_string(),
            text,
        };
        size += serde_json::to_string(&note).unwrap().len() + 1;
        texts.push(note);
    }
    texts.sort_by_key(|note| note.date);
    texts
}

/// The next school day on or after `date`: no weekends, nothing in August.
fn school_day(mut date: NaiveDate) -> NaiveDate {
    loop {
        if date.month() == 8 {
            date = NaiveDate::from_ymd_opt(date.year(), 9, 3).unwrap();
        } else if date.weekday().number_from_monday() > 5 {
            date += Duration::days(1);
        } else {
            return date;
        }
    }
}

fn upn_for(n: u64) -> Option<Upn> {
    // Local authority 801, establishment 2000, then a serial.
    let body = format!("{:012}", 801_200_026_000u64 + n);
    ('A'..='Z').find_map(|letter| Upn::parse(&format!("{letter}{body}")).ok())
}

fn weekday_before(mut date: NaiveDate) -> NaiveDate {
    while date.weekday().number_from_monday() > 5 {
        date -= Duration::days(1);
    }
    date
}

/// The census code for the need a pupil's notes talk about.
fn need_type(need: &Need) -> NeedType {
    match need.code {
        "SLCN" => NeedType::Slcn,
        "SEMH" | "ADHD" => NeedType::Semh,
        "SpLD" => NeedType::Spld,
        "ASD" => NeedType::Asd,
        "MLD" => NeedType::Mld,
        "PD" => NeedType::Pd,
        "HI" => NeedType::Hi,
        _ => NeedType::Oth,
    }
}

/// Monitoring, then SEN support (from `support_from` when the pupil has plans from then),
/// and for one in five an EHC plan; the primary need the notes talk about and often a
/// secondary one.
fn sen_history(
    dice: &mut Dice,
    born: NaiveDate,
    primary: NeedType,
    support_from: Option<(NaiveDate, chrono::DateTime<Utc>)>,
    today: NaiveDate,
) -> SenRecord {
    let recorded_at = support_from.map(|(_, at)| at).unwrap_or_else(Utc::now);
    let start = match support_from {
        Some((from, _)) => weekday_before(from - Duration::days(60)),
        None => (born + Duration::days(365 * 4 + dice.below(700) as i64)).min(today),
    }
    .max(born);
    let support = match support_from {
        Some((from, _)) => from,
        None => start + Duration::days(60),
    };
    let mut sen = SenRecord::default();
    let record = |sen: &mut SenRecord, from: NaiveDate, status: SenStatus| {
        let change = StatusChange {
            from: from.min(today),
            status,
            reason: "Generated".into(),
            recorded_at,
        };
        let _ = sen.record_status(change, born, today);
    };
    record(&mut sen, start, SenStatus::Monitoring);
    record(&mut sen, support, SenStatus::SenSupport);
    if dice.chance(20) {
        record(&mut sen, start + Duration::days(400), SenStatus::EhcPlan);
    }
    let codes = [
        NeedType::Slcn,
        NeedType::Asd,
        NeedType::Semh,
        NeedType::Spld,
        NeedType::Mld,
        NeedType::Hi,
        NeedType::Vi,
        NeedType::Pd,
        NeedType::Oth,
    ];
    let mut needs = vec![senco_desk::domain::Need {
        need_type: primary,
        description: String::new(),
    }];
    if dice.chance(40) {
        let secondary = codes[dice.below(codes.len())];
        if secondary != primary {
            needs.push(senco_desk::domain::Need {
                need_type: secondary,
                description: String::new(),
            });
        }
    }
    let change = NeedsChange {
        from: support.min(today),
        needs,
        reason: "Generated".into(),
        recorded_at,
    };
    let _ = sen.record_needs(change, born, today);
    sen
}

/// The same roll as an MIS would export it (SIMS-style headings), for the import benchmark:
/// imported into this desk it changes nothing; into another it adds every pupil.
/// Statuses are as on `today`, the day the desk's history runs to (statuses can start as
/// late as that), so the benchmark's re-import finds every row unchanged.
fn write_roll_csv(open: &OpenDesk, path: &std::path::Path, today: NaiveDate) {
    let mut writer = csv::Writer::from_path(path).expect("roll.csv");
    writer
        .write_record([
            "UPN",
            "Legal Surname",
            "Legal Forename",
            "DOB",
            "NC Year",
            "Reg Group",
            "Gender",
            "SEN Status",
            "Primary Need",
            "Secondary Need",
            "FSM",
            "Pupil Premium",
            "EAL",
            "In Care",
        ])
        .unwrap();
    let yes = |b: bool| if b { "Y" } else { "N" };
    for file in open.desk.files() {
        let p = &file.pupil;
        let status = match file.sen.status_on(today) {
            SenStatus::SenSupport => "K - SEN Support",
            SenStatus::EhcPlan => "E - EHC Plan",
            _ => "N - No Special Educational Need",
        };
        let year = match p.year_group {
            YearGroup::Reception => "R".to_string(),
            other => format!("Year {}", other.code()),
        };
        let dob = p.date_of_birth;
        writer
            .write_record([
                p.upn.as_ref().map(|u| u.to_string()).unwrap_or_default(),
                p.surname.clone(),
                p.forename.clone(),
                dob.map(|dob| format!("{:02}/{:02}/{}", dob.day(), dob.month(), dob.year()))
                    .unwrap_or_default(),
                year,
                p.class_name.clone(),
                p.gender.code().to_string(),
                status.to_string(),
                file.sen
                    .primary_need(today)
                    .map(|n| n.code().to_string())
                    .unwrap_or_default(),
                file.sen
                    .secondary_need(today)
                    .map(|n| n.code().to_string())
                    .unwrap_or_default(),
                yes(p.flags.free_school_meals).into(),
                yes(p.flags.pupil_premium).into(),
                yes(p.flags.eal).into(),
                yes(p.flags.looked_after).into(),
            ])
            .unwrap();
    }
    writer.flush().unwrap();
}

/// Saves a pupil's whole file from the revision it was read at.
fn save_file(
    open: &mut OpenDesk,
    store: &mut MemoryStore,
    file: PupilFile,
    now: chrono::DateTime<Utc>,
) -> Result<PupilId, DeskStoreError> {
    let revision = file.revision;
    open.save_file(store, file, revision, now)
}

/// Rotating the data key natively (a change of passphrase: two key derivations, every record
/// re-sealed, one commit), on a copy of the desk so the one written out is unchanged.
/// Returns the whole change and one key derivation, in ms.
fn time_rotation(store: &MemoryStore, passphrase: &str) -> (f64, f64) {
    let mut copy = MemoryStore::with_items(store.items().clone());
    let header = OpenDesk::read_header(&copy).expect("header");
    let deriving = std::time::Instant::now();
    let vault = header.unlock(passphrase).expect("unlocks");
    let derive_ms = deriving.elapsed().as_secs_f64() * 1000.0;
    let mut open = OpenDesk::open(&mut copy, header, vault, Utc::now()).expect("opens");
    let rotating = std::time::Instant::now();
    open.change_passphrase(
        &mut copy,
        passphrase,
        &format!("{passphrase} rotated"),
        KdfParams::default(),
    )
    .expect("rotates");
    (rotating.elapsed().as_secs_f64() * 1000.0, derive_ms)
}

/// The median of `runs` timings of `work`, in milliseconds.
fn median_ms(runs: usize, mut work: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let t = std::time::Instant::now();
            work();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2] * 100.0).round() / 100.0
}

/// What was made of provision, and the costs, impact, due lists and map for the whole
/// school computed natively (same code and release profile as the app).
fn provision_figures(
    open: &OpenDesk,
    made: &provisions::Made,
    today: NaiveDate,
    generating_ms: f64,
) -> serde_json::Value {
    use senco_desk::domain::provision::costs::Costing;
    use senco_desk::domain::provision::due::provision_due_on_desk;
    use senco_desk::domain::provision::impact::ProvisionImpact;
    use senco_desk::domain::provision::map::{provision_map, MapFilter, MapScope};
    use senco_desk::domain::provision::totals::pupil_year_costs;
    let desk = &open.desk;
    let setup = &desk.settings.provision;
    let costing = Costing {
        staff: &setup.staff,
        rates: &setup.rates,
        calendar: &setup.calendar,
        today,
    };
    let year = setup.cost_year.of(today).days();
    let mut near = 0;
    let costs_ms = median_ms(9, || {
        let costs = pupil_year_costs(desk, &costing, year);
        near = costs.iter().filter(|c| c.is_near(setup.threshold)).count();
        for p in desk.provisions() {
            let _ = costing.provision(p);
        }
    });
    let impact_ms = median_ms(9, || {
        for p in desk.provisions() {
            std::hint::black_box(ProvisionImpact::of(&p.enrolments));
        }
    });
    let due_ms = median_ms(9, || {
        std::hint::black_box(provision_due_on_desk(desk, today, &[]));
    });
    // The largest year group on roll.
    // (on roll, with SEN): of equal year groups, the one with the most to map.
    let mut sizes: BTreeMap<YearGroup, (usize, usize)> = BTreeMap::new();
    for f in desk.files() {
        let size = sizes.entry(f.pupil.year_group).or_default();
        size.0 += 1;
        if f.sen.status_on(today) != senco_desk::domain::SenStatus::NoSen {
            size.1 += 1;
        }
    }
    let largest = sizes
        .iter()
        .max_by_key(|(y, n)| (**n, std::cmp::Reverse(**y)))
        .map(|(y, _)| *y)
        .unwrap_or(YearGroup::Year(1));
    let labels = desk.name_labels(senco_desk::domain::names::NameOrder::SurnameFirst);
    let filter = MapFilter {
        scope: MapScope::Year(largest),
        from: year.0,
        to: year.1,
        area: None,
        wave: None,
    };
    let mut rows = 0;
    let map_ms = median_ms(9, || {
        rows = provision_map(desk, desk.provisions(), &costing, &filter, &labels).len();
    });
    serde_json::json!({
        "provisions": made.provisions,
        "enrolments": made.enrolments,
        "sessions": made.sessions,
        "pupils_with_exit_measures": made.measured,
        "near_threshold": near,
        "generating_ms": generating_ms.round(),
        "native_costs_ms": costs_ms,
        "native_impact_ms": impact_ms,
        "native_due_ms": due_ms,
        "native_map_ms": map_ms,
        "largest_year_group": largest.code(),
        "largest_year_group_label": largest.to_string(),
        "map_rows": rows,
        "group_of_six": provisions::GROUP_OF_SIX,
    })
}

/// The contact log's figures, natively (same code and release profile as the app): the
/// search per keystroke, the busiest pupil's entries and timeline lines, and the bytes its
/// sealed records take.
fn liaison_figures(
    open: &OpenDesk,
    store: &MemoryStore,
    made: &liaison::Made,
) -> serde_json::Value {
    use senco_desk::domain::contact_log::search::{timeline_lines, LogQuery, SearchIndex};
    use senco_desk::domain::names::NameOrder;
    let desk = &open.desk;
    let names = desk.name_labels(NameOrder::KnownAs);
    let index_ms = median_ms(5, || {
        std::hint::black_box(SearchIndex::new(desk.log_entries(), &names));
    });
    let index = SearchIndex::new(desk.log_entries(), &names);
    let mut keystrokes = Vec::new();
    let mut matched = Vec::new();
    for word in ["reading ruler", "sensory breaks", "okonjo"] {
        for end in 1..=word.len() {
            let query = LogQuery {
                text: word[..end].to_string(),
                ..LogQuery::default()
            };
            let timing = std::time::Instant::now();
            let (ids, total) = index.find(&query, 50);
            keystrokes.push(timing.elapsed().as_secs_f64() * 1000.0);
            std::hint::black_box(ids);
            matched.push(total);
        }
    }
    let mut sorted = keystrokes.clone();
    sorted.sort_by(f64::total_cmp);
    let busiest_ms = median_ms(15, || {
        std::hint::black_box(timeline_lines(desk.log_of(&made.busiest.0)));
    });
    let log_bytes: usize = store
        .items()
        .iter()
        .filter(|(k, _)| k.contains("log-"))
        .map(|(k, v)| k.len() + v.len())
        .sum();
    serde_json::json!({
        "entries": made.entries,
        "referrals": made.referrals,
        "busiest_pupil_entries": made.busiest.1,
        "native_index_ms": (index_ms * 100.0).round() / 100.0,
        "native_keystroke_median_ms": (sorted[sorted.len() / 2] * 1000.0).round() / 1000.0,
        "native_keystroke_worst_ms": (sorted[sorted.len() - 1] * 1000.0).round() / 1000.0,
        "keystrokes": keystrokes.len(),
        "matches_at_first_key": matched.first(),
        "native_busiest_pupil_ms": (busiest_ms * 1000.0).round() / 1000.0,
        "stored_log_bytes": log_bytes,
    })
}

fn main() {
    let mut pupils = 2000usize;
    let mut sen = 400usize;
    let mut out = PathBuf::from("bench/out/large");
    let mut passphrase = "benchmark passphrase".to_string();
    // Plans are dated up to today (the browser's today when the benchmark runs straight
    // after), so the home screen's lists are what they would be.
    let mut today = Utc::now().date_naive();
    let mut plan_terms = plans::CYCLES;
    let mut with_provisions = false;
    let mut ehc_cases: Option<usize> = None;
    let mut contacts = 0usize;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!(
                "senco-desk-gen [--pupils 2000] [--sen 400] [--out bench/out/large] [--passphrase P] \
                 [--today YYYY-MM-DD] [--plan-terms 15] [--provisions 0] [--ehc 60] [--contacts 0]"
            );
            return;
        }
        let value = args
            .next()
            .unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--pupils" => pupils = value.parse().expect("--pupils takes a number"),
            "--sen" => sen = value.parse().expect("--sen takes a number"),
            "--out" => out = PathBuf::from(value),
            "--passphrase" => passphrase = value,
            "--today" => today = value.parse().expect("--today takes YYYY-MM-DD"),
            "--plan-terms" => plan_terms = value.parse().expect("--plan-terms takes a number"),
            "--provisions" => with_provisions = value != "0",
            "--ehc" => ehc_cases = Some(value.parse().expect("--ehc takes a number")),
            "--contacts" => contacts = value.parse().expect("--contacts takes a number"),
            other => panic!("unknown option {other}"),
        }
    }
    assert!(sen <= pupils, "--sen cannot be more than --pupils");
    // EHC plans: 15% of the register unless told (60 of 400), and a tenth as many open
    // needs assessment requests.
    let ehc_cases = ehc_cases.unwrap_or(sen * 15 / 100).min(sen);
    let ehc_requests = (ehc_cases / 10).min(sen - ehc_cases);
    let (mut ehc_made, mut requests_made) = (0usize, 0usize);
    let started = std::time::Instant::now();
    let mut dice = Dice(0x5EC0_DE5C_0FFE_E001 ^ pupils as u64);
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
    // Termly cycles: the last `plan_terms` terms begun by today. A pupil has plans from
    // the spring of their Reception year at the earliest, so the register is spread
    // through the year groups old enough for every cycle (Year 5 up, for five years) when
    // there are enough pupils in them, and a younger pupil has fewer plans.
    let (terms, next_term) = plans::recent_terms(today, plan_terms);
    let first_term_for = |year: i32| -> usize {
        let first_spring = NaiveDate::from_ymd_opt(SCHOOL_YEAR_START - year + 1, 1, 1).unwrap();
        terms
            .iter()
            .position(|t| t.start >= first_spring)
            .unwrap_or(terms.len())
    };
    let eligible: Vec<usize> = (0..pupils)
        .filter(|i| !terms.is_empty() && first_term_for((i % 12) as i32) == 0)
        .collect();
    let on_register_at: std::collections::BTreeSet<usize> = if eligible.len() >= sen {
        (0..eligible.len())
            .filter(|&k| (k * sen) / eligible.len() != ((k + 1) * sen) / eligible.len())
            .map(|k| eligible[k])
            .collect()
    } else {
        (0..pupils)
            .filter(|&i| (i * sen) / pupils != ((i + 1) * sen) / pupils)
            .collect()
    };
    let library = Library::seeded();
    let schedule = plans::Schedule {
        terms: terms.clone(),
        next: next_term,
        today,
    };
    let mut made = plans::Made::default();
    let mut plan_steps_ms = 0.0;
    // A handful of active plans reviewed overdue or within 14 days, so the home lists
    // have something in them; the rest are due later in the term.
    let mut sen_seen = 0usize;
    let mut plaintexts = Vec::with_capacity(pupils);
    let mut names: Vec<(String, bool)> = Vec::with_capacity(pupils);
    let mut sen_json_bytes = 0usize;
    let mut register: BTreeMap<YearGroup, Vec<PupilId>> = BTreeMap::new();
    let mut sen_deflated_bytes = 0usize;
    for i in 0..pupils {
        let year = (i % 12) as i32; // Reception to Year 11
        let year_group = if year == 0 {
            YearGroup::Reception
        } else {
            YearGroup::Year(year as u8)
        };
        // In 2026/27, Reception children were born between 1 September 2021 and 31 August 2022.
        let born = NaiveDate::from_ymd_opt(SCHOOL_YEAR_START - 5 - year, 9, 1).unwrap()
            + Duration::days(dice.below(365) as i64);
        let (forename, she) = FORENAMES[dice.below(FORENAMES.len())];
        let surname = dice.pick(SURNAMES);
        let mut pupil = Pupil::new(PupilId(String::new()), forename, surname, born, year_group);
        pupil.upn = if dice.chance(85) {
            upn_for(i as u64)
        } else {
            None
        };
        pupil.class_name = format!("{}{}", year_group.code(), ["A", "B", "C"][dice.below(3)]);
        pupil.gender = if she { Gender::Female } else { Gender::Male };
        pupil.flags.pupil_premium = dice.chance(25);
        pupil.flags.free_school_meals = pupil.flags.pupil_premium && dice.chance(80);
        pupil.flags.eal = dice.chance(15);
        pupil.flags.looked_after = dice.chance(1);
        pupil.flags.medical = dice.chance(5);
        let on_register = on_register_at.contains(&i);
        let id = if on_register && terms.is_empty() {
            // No plans (--plan-terms 0): the desk as it was before plans, notes and SEN
            // record saved with the real clock.
            let id = open.add_pupil(&mut store, pupil, now).expect("pupil added");
            let need = &NEEDS[dice.below(NEEDS.len())];
            let mut file = open.desk.file(&id).unwrap().clone();
            file.notes = history(&mut dice, forename, she, year, born, HISTORY_BYTES, need);
            file.sen = sen_history(&mut dice, born, need_type(need), None, today);
            save_file(&mut open, &mut store, file, now).expect("history saved");
            id
        } else if on_register {
            let need = &NEEDS[dice.below(NEEDS.len())];
            let first = first_term_for(year).min(terms.len().saturating_sub(1));
            let first_start = terms.get(first).map(|t| t.start).unwrap_or(today);
            let support_from =
                weekday_before(first_start - Duration::days(dice.range(20, 60) as i64));
            // The file was made when the pupil was first monitored, and the SEN record then.
            let created = weekday_before(support_from - Duration::days(60)).max(born);
            let created_at = created.and_hms_opt(9, 0, 0).unwrap().and_utc();
            let id = open
                .add_pupil(&mut store, pupil, created_at)
                .expect("pupil added");
            let mut file = open.desk.file(&id).unwrap().clone();
            file.sen = sen_history(
                &mut dice,
                born,
                need_type(need),
                Some((support_from, created_at + Duration::minutes(20))),
                today,
            );
            save_file(
                &mut open,
                &mut store,
                file,
                created_at + Duration::minutes(20),
            )
            .expect("SEN record saved");
            let areas = open.desk.file(&id).unwrap().sen.areas_on(today);
            let person = plans::Person {
                forename,
                surname,
                she,
                need,
                area: areas
                    .first()
                    .copied()
                    .unwrap_or(senco_desk::domain::BroadArea::CognitionAndLearning),
                second_area: areas.get(1).copied(),
                born,
            };
            let latest = match sen_seen % 50 {
                7 => plans::Latest::Overdue,
                31 => plans::Latest::Soon,
                _ => plans::Latest::Later,
            };
            let with_draft = sen_seen % 7 == 3;
            let with_passport = sen_seen.is_multiple_of(2);
            sen_seen += 1;
            let timing = std::time::Instant::now();
            let one = plans::make_plans(
                &mut dice,
                &mut open,
                &mut store,
                &library,
                &id,
                &person,
                &schedule,
                first,
                latest,
                with_draft,
                with_passport,
            );
            plan_steps_ms += timing.elapsed().as_secs_f64() * 1000.0;
            made.plans += one.plans;
            made.reviewed += one.reviewed;
            made.active += one.active;
            made.drafts += one.drafts;
            made.passports += one.passports;
            made.saves += one.saves;
            made.overdue += one.overdue;
            made.due_soon += one.due_soon;
            // The old paper notes, typed in since.
            let mut file = open.desk.file(&id).unwrap().clone();
            file.notes = history(&mut dice, forename, she, year, born, HISTORY_BYTES, need);
            // EHC cases spread evenly through the register; a few open requests beside them.
            let k = sen_seen - 1;
            if (k * ehc_cases) / sen != ((k + 1) * ehc_cases) / sen {
                ehc_made += 1;
                let years_ago = (year as u32 + 1).min(5);
                ehc::make_case(&mut dice, &mut file, ehc_made as u32, today, years_ago);
            } else if requests_made < ehc_requests && k % 37 == 5 {
                requests_made += 1;
                let number = (ehc_cases + requests_made) as u32;
                let days_ago = [20, 50, 100, 150][requests_made % 4];
                ehc::make_request(&mut dice, &mut file, number, today, days_ago);
            }
            save_file(&mut open, &mut store, file, now).expect("history saved");
            id
        } else {
            open.add_pupil(&mut store, pupil, now).expect("pupil added")
        };
        if on_register {
            register.entry(year_group).or_default().push(id.clone());
        }
        let json = serde_json::to_string(open.desk.file(&id).unwrap()).unwrap();
        if on_register {
            sen_json_bytes += json.len();
            sen_deflated_bytes += miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6).len();
        }
        plaintexts.push(json);
        let pupil = &open.desk.file(&id).unwrap().pupil;
        names.push((pupil.full_name(), on_register));
    }
    // Five years of provision (issue 15), saved as the app saves it.
    let provision_timing = std::time::Instant::now();
    let mut made_provisions = None;
    if with_provisions && !register.is_empty() {
        let mut settings = open.desk.settings.clone();
        settings.provision = provisions::setup(SCHOOL_YEAR_START);
        open.save_settings(&mut store, settings)
            .expect("set-up saved");
        made_provisions = Some(provisions::make(
            &mut dice, &mut open, &mut store, &register, today,
        ));
    }
    let generating_provisions_ms = provision_timing.elapsed().as_secs_f64() * 1000.0;
    // Five years of contacts and referrals (issue 17), when asked for.
    let made_liaison = (contacts > 0).then(|| {
        let sen_ids: Vec<PupilId> = register.values().flatten().cloned().collect();
        liaison::make(&mut dice, &mut open, &mut store, &sen_ids, contacts, today)
    });
    let with_history = open.desk.files().filter(|f| !f.notes.is_empty()).count();
    // Pupils the benchmark edits: names that are unique on the roll, with and without history.
    let mut name_counts = BTreeMap::<&str, usize>::new();
    for (name, _) in &names {
        *name_counts.entry(name).or_default() += 1;
    }
    let edit_targets = |history: bool| -> Vec<&str> {
        names
            .iter()
            .filter(|(name, h)| *h == history && name_counts[name.as_str()] == 1)
            .map(|(name, _)| name.as_str())
            .take(25)
            .collect()
    };
    // Open-and-parse natively (same code and release profile as the app), for comparison.
    let header = OpenDesk::read_header(&store).expect("header");
    let vault = header.unlock(&passphrase).expect("unlocks");
    let opening = std::time::Instant::now();
    let reopened = OpenDesk::open(&mut store, header, vault, Utc::now()).expect("opens");
    let native_open_ms = opening.elapsed().as_secs_f64() * 1000.0;
    assert_eq!(reopened.desk.pupil_count(), pupils);
    drop(reopened);
    assert_eq!(open.desk.pupil_count(), pupils);
    assert_eq!(with_history, sen);
    // The home screen's lists, natively (same code and release profile as the app).
    let mut due_runs = Vec::new();
    let mut due_counts = serde_json::Map::new();
    for _ in 0..15 {
        let timing = std::time::Instant::now();
        let lists = what_is_due(&open.desk, today, &[]);
        due_runs.push(timing.elapsed().as_secs_f64() * 1000.0);
        due_counts = lists
            .iter()
            .map(|l| {
                (
                    l.kind.heading().to_string(),
                    serde_json::json!(l.items.len()),
                )
            })
            .collect();
    }
    due_runs.sort_by(f64::total_cmp);
    let native_due_ms = due_runs[due_runs.len() / 2];
    let provision_figures = made_provisions
        .as_ref()
        .map(|made| provision_figures(&open, made, today, generating_provisions_ms));
    let liaison_figures = made_liaison
        .as_ref()
        .map(|made| liaison_figures(&open, &store, made));
    let (native_rotation_ms, native_derive_ms) = time_rotation(&store, &passphrase);
    let plans_in_desk: usize = open.desk.files().map(|f| f.plans.len()).sum();
    assert_eq!(plans_in_desk, made.plans);
    let history_entries: usize = open.desk.files().map(|f| f.history.len()).sum();
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
    write_roll_csv(&open, &out.join("roll.csv"), today);
    let total_json: usize = plaintexts.iter().map(String::len).sum();
    let stored_units = storage_used(&store).unwrap();
    let meta = serde_json::json!({
        "passphrase": passphrase,
        "pupils": pupils,
        "with_sen_history": with_history,
        "plaintext_json_bytes": total_json,
        "average_sen_record_json_bytes": sen_json_bytes / with_history.max(1),
        "sen_record_deflate_ratio": if sen_deflated_bytes == 0 { 0.0 } else {
            (sen_json_bytes as f64 / sen_deflated_bytes as f64 * 100.0).round() / 100.0
        },
        "stored_utf16_units": stored_units,
        "local_storage_quota_utf16_units": LOCAL_STORAGE_QUOTA_UNITS,
        "stored_share_of_quota": (stored_units as f64 / LOCAL_STORAGE_QUOTA_UNITS as f64 * 1000.0).round() / 1000.0,
        "fits_quota": stored_units <= LOCAL_STORAGE_QUOTA_UNITS,
        "today": today.to_string(),
        "plan_terms": terms.len(),
        "plans": {
            "total": made.plans,
            "reviewed": made.reviewed,
            "active": made.active,
            "draft": made.drafts,
            "average_per_sen_pupil": (made.plans as f64 / with_history.max(1) as f64 * 100.0).round() / 100.0,
            "active_review_overdue": made.overdue,
            "active_review_within_14_days": made.due_soon,
            "first_term_starts": terms.first().map(|t| t.start.to_string()),
            "latest_term_starts": terms.last().map(|t| t.start.to_string()),
        },
        "passports": made.passports,
        "ehc": {
            "plans": ehc_made,
            "open_requests": requests_made,
            "reviews": open.desk.files().map(|f| f.ehc.reviews.len()).sum::<usize>(),
        },
        "plan_saves": made.saves,
        "history_entries": history_entries,
        "generating_plans_ms": plan_steps_ms.round(),
        "home_lists": due_counts,
        "native_due_lists_ms": (native_due_ms * 100.0).round() / 100.0,
        "keys": items.len(),
        "native_open_and_parse_ms": (native_open_ms * 10.0).round() / 10.0,
        "native_rotation_ms": native_rotation_ms.round(),
        "native_key_derivation_ms": native_derive_ms.round(),
        "edit_targets": { "with_history": edit_targets(true), "without_history": edit_targets(false) },
        "generated": now.date_naive().to_string(),
        "provisions": provision_figures,
        "contact_log": liaison_figures,
    });
    std::fs::write(out.join("meta.json"), meta.to_string()).unwrap();
    println!(
        "{}: {} plans ({:.1} per SEN pupil: {} reviewed, {} active, {} drafts; {} active reviews \
         overdue, {} due within 14 days of {today}), {} passports, {} plan saves, {} history \
         entries; home lists natively {:.2} ms: {}",
        out.display(),
        made.plans,
        made.plans as f64 / with_history.max(1) as f64,
        made.reviewed,
        made.active,
        made.drafts,
        made.overdue,
        made.due_soon,
        made.passports,
        made.saves,
        history_entries,
        native_due_ms,
        serde_json::Value::Object(due_counts.clone())
    );
    println!(
        "{}: stored {} UTF-16 units = {:.1}% of the {} quota{}",
        out.display(),
        stored_units,
        stored_units as f64 / LOCAL_STORAGE_QUOTA_UNITS as f64 * 100.0,
        LOCAL_STORAGE_QUOTA_UNITS,
        if stored_units > LOCAL_STORAGE_QUOTA_UNITS {
            " (OVER: the browser cannot hold this desk)"
        } else {
            ""
        },
    );
    println!(
        "{}: {pupils} pupils, {with_history} with ~{:.1} KB of SEN history (deflates {}:1), \
         {:.2} MB of JSON, {} UTF-16 units stored in {} keys; native open-and-parse {:.1} ms \
         ({:.1} s)",
        out.display(),
        meta["average_sen_record_json_bytes"].as_u64().unwrap_or(0) as f64 / 1000.0,
        meta["sen_record_deflate_ratio"],
        total_json as f64 / 1e6,
        meta["stored_utf16_units"],
        meta["keys"],
        native_open_ms,
        started.elapsed().as_secs_f64()
    );
}
