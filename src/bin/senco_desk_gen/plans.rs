//! Support plans for the generated school: termly assess, plan, do, review cycles built
//! through the domain API (new plan, start, review, carry forward), each step saved as the
//! app saves it so the file's change history grows as it would. All text is made up here
//! from many small patterns, mostly choosing from the seeded strategy and outcome library.

use crate::{sentence, uk, Ctx, Dice, Need, MONTHS, SUBJECTS};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use senco_desk::domain::library::{EntryKind, Library};
use senco_desk::domain::passport::{
    Passport, MAX_KEY_STRATEGIES, MAX_SECTION_CHARS, MAX_STRATEGY_CHARS,
};
use senco_desk::domain::plan::{OutcomeReview, PlanOutcome, Progress, Provision, Review};
use senco_desk::domain::{BroadArea, PupilFile, PupilId};
use senco_desk::store::{MemoryStore, OpenDesk};

/// Three plans a school year for five years.
pub const CYCLES: usize = 15;

/// One term's dates: when plans usually start, when reviews are usually held, when it ends.
#[derive(Debug, Clone, Copy)]
pub struct Term {
    pub start: NaiveDate,
    pub review: NaiveDate,
    pub end: NaiveDate,
    /// 0 autumn, 1 spring, 2 summer.
    pub which: usize,
    /// The calendar year the school year starts in.
    pub school_year: i32,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn weekday_on_or_after(mut date: NaiveDate) -> NaiveDate {
    while matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        date += Duration::days(1);
    }
    date
}

fn weekday_on_or_before(mut date: NaiveDate) -> NaiveDate {
    while matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        date -= Duration::days(1);
    }
    date
}

fn term(school_year: i32, which: usize) -> Term {
    let (start, review, end) = match which {
        0 => (
            ymd(school_year, 9, 4),
            ymd(school_year, 12, 3),
            ymd(school_year, 12, 18),
        ),
        1 => (
            ymd(school_year + 1, 1, 6),
            ymd(school_year + 1, 3, 16),
            ymd(school_year + 1, 3, 27),
        ),
        _ => (
            ymd(school_year + 1, 4, 20),
            ymd(school_year + 1, 7, 1),
            ymd(school_year + 1, 7, 17),
        ),
    };
    Term {
        start: weekday_on_or_after(start),
        review: weekday_on_or_after(review),
        end: weekday_on_or_before(end),
        which,
        school_year,
    }
}

/// The last `count` terms that have started by `today`, oldest first, and the term after
/// them (for drafts of the next plan).
pub fn recent_terms(today: NaiveDate, count: usize) -> (Vec<Term>, Term) {
    let mut year = if today.month() >= 9 {
        today.year()
    } else {
        today.year() - 1
    };
    let mut which = 2;
    // Walk back from the summer of today's school year to the latest term begun.
    while term(year, which).start > today {
        if which == 0 {
            which = 2;
            year -= 1;
        } else {
            which -= 1;
        }
    }
    let next = if which == 2 {
        term(year + 1, 0)
    } else {
        term(year, which + 1)
    };
    let mut terms = Vec::with_capacity(count);
    let (mut y, mut w) = (year, which);
    for _ in 0..count {
        terms.push(term(y, w));
        if w == 0 {
            w = 2;
            y -= 1;
        } else {
            w -= 1;
        }
    }
    terms.reverse();
    (terms, next)
}

/// A school day within `term`, `offset` days from `base` (weekends moved to the Monday or
/// Friday nearest inside the term).
fn school_day_in(term: &Term, base: NaiveDate, offset: i64) -> NaiveDate {
    let day = (base + Duration::days(offset)).clamp(term.start, term.end);
    let later = weekday_on_or_after(day);
    if later <= term.end {
        later
    } else {
        weekday_on_or_before(day)
    }
}

fn at(date: NaiveDate, dice: &mut Dice) -> DateTime<Utc> {
    date.and_hms_opt(
        8 + dice.below(9) as u32,
        dice.below(60) as u32,
        dice.below(60) as u32,
    )
    .unwrap()
    .and_utc()
}

fn capital(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Who a pupil is, for the wording of their plans.
pub struct Person<'a> {
    pub forename: &'a str,
    pub surname: &'a str,
    pub she: bool,
    pub need: &'a Need,
    pub area: BroadArea,
    pub second_area: Option<BroadArea>,
    pub born: NaiveDate,
}

impl Person<'_> {
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
    fn ctx(&self, date: NaiveDate) -> Ctx<'_> {
        Ctx {
            name: self.forename,
            she: self.she,
            need: self.need,
            date,
            age_years: date.years_since(self.born).unwrap_or(5) as i32,
        }
    }
}

const TEACHERS: &[&str] = &[
    "Mrs Achebe",
    "Mr Owen",
    "Miss Hartley",
    "Mr Nakamura",
    "Mrs Doyle",
    "Ms Sandhu",
    "Mr Pearce",
    "Miss Oduya",
    "Mrs Lindqvist",
    "Mr Carver",
    "Ms Brennan",
    "Mrs Mahmood",
    "Mr Yeboah",
    "Miss Kerr",
];
const ASSISTANTS: &[&str] = &[
    "Miss Ferreira",
    "Mrs Patel",
    "Ms Lewis",
    "Mrs Kowalczyk",
    "Mr Abara",
    "Mrs Greenwood",
    "Miss Tran",
    "Mrs O'Neill",
];
/// (how the parent is named in a review, relationship, title)
const CARERS: &[(&str, &str)] = &[
    ("mum", "Ms"),
    ("mum", "Mrs"),
    ("dad", "Mr"),
    ("grandma", "Mrs"),
    ("foster carer", "Ms"),
    ("stepdad", "Mr"),
    ("nan", "Mrs"),
    ("aunt", "Miss"),
];

const PUPIL_WISHES: &[&str] = &[
    "to get better at reading chapter books like my friends",
    "to have more turns on the laptop",
    "to be allowed to go to the quiet room when it gets too noisy",
    "to do the work on my own without a grown-up next to me all the time",
    "to get my pen licence this year",
    "to be in the football team at lunch",
    "to know my times tables by heart",
    "to not have to read out loud in front of everyone",
    "to sit somewhere I can see the board properly",
    "more time to finish my writing",
    "to keep going to the group with my friend",
    "to know what is happening before it happens",
];
const PARENT_OBSERVATIONS: &[&str] = &[
    "is happier coming to school than last term",
    "is exhausted by Friday and often cries at bedtime",
    "has started reading road signs and cereal boxes at home",
    "talks about the group sessions a lot and looks forward to them",
    "still refuses to do homework unless someone sits with them",
    "has been more settled since the new bedtime routine",
    "worries about the move to the next class",
    "is managing the walk to school on their own now",
    "gets very frustrated with writing at home and rips the paper",
    "has made a good friend this term and been invited to a party",
    "is sleeping badly and sometimes does not want to come in",
    "uses the calm-down strategies at home too, sometimes without a reminder",
];
const PARENT_WISHES: &[&str] = &[
    "would like more ideas for reading at home",
    "would like a copy of the visual timetable for the holidays",
    "would like to know sooner when there is a supply teacher",
    "asked whether a referral for an assessment is possible",
    "would like the home-school book to carry on",
    "asked for the spellings a week in advance",
    "would like a quick phone call at the end of a bad day",
    "is keen for the group to continue next term",
    "asked about support for the next transition",
    "would like advice on screen time and sleep",
];
const TRAITS: &[&str] = &[
    "kind",
    "funny",
    "determined",
    "creative",
    "helpful",
    "curious",
    "caring towards younger children",
    "honest",
    "enthusiastic",
    "patient with friends",
    "imaginative",
    "hard-working",
];
const TALENTS: &[&str] = &[
    "builds detailed models with Lego",
    "knows a huge amount about dinosaurs",
    "draws brilliant comic strips",
    "is a confident swimmer",
    "remembers facts about football teams",
    "sings in the school choir",
    "is good at spotting patterns in maths",
    "looks after the class plants",
    "tells very funny stories",
    "is a fast runner and loves sports day",
    "enjoys cooking with grandparents",
    "knows how to fix things on the computer",
];
const TALENTS_ME: &[&str] = &[
    "build detailed models with Lego",
    "know lots about dinosaurs",
    "draw comic strips",
    "love swimming",
    "know every player in my football team",
    "sing in the choir",
    "am good at puzzles",
    "look after the class plants",
    "tell funny stories",
    "run fast",
    "like cooking with my grandparents",
    "can fix things on the computer",
];
const ABSENCE_REASONS: &[&str] = &[
    "a hospital appointment",
    "work commitments",
    "a younger sibling being unwell",
    "a clash with another school's meeting",
    "illness",
];

/// A numbered generated outcome for an area, with its criteria.
fn generated_outcome(d: &mut Dice, p: &Person, area: BroadArea) -> (String, String) {
    let name = p.forename;
    let subject = d.pick(SUBJECTS);
    match (area, d.below(4)) {
        (BroadArea::CognitionAndLearning, 0) => {
            let n = 5 * d.range(2, 6);
            (
                format!("Read and spell {n} more words from the common exception word list"),
                format!("Reads and spells {} of the {n} words correctly in a one-to-one check, twice in a fortnight", n - d.range(1, 3)),
            )
        }
        (BroadArea::CognitionAndLearning, 1) => {
            let to = d.pick(&["20", "50", "100", "1,000"]);
            (
                format!("Subtract numbers within {to} using a number line or jottings"),
                format!("Gets {} of 10 mixed subtraction questions within {to} right, without an adult, in class work", d.range(7, 9)),
            )
        }
        (BroadArea::CognitionAndLearning, 2) => (
            format!("Plan a piece of writing in {subject} using a three-box planner"),
            format!("Completes the planner and writes from it in {} out of 4 extended pieces", d.range(2, 4)),
        ),
        (BroadArea::CognitionAndLearning, _) => {
            let table = d.pick(&["2, 5 and 10", "3 and 4", "6", "7", "8", "9"]);
            (
                format!("Recall the {table} times tables"),
                format!("Answers {} mixed questions on the {table} times tables correctly within two minutes", d.range(15, 25)),
            )
        }
        (BroadArea::CommunicationAndInteraction, 0) => {
            let n = d.range(4, 8);
            (
                format!("Use {n} new topic words correctly when talking about {subject}"),
                format!("Uses at least {n} of the pre-taught words in a recorded conversation with {}", d.pick(ASSISTANTS)),
            )
        }
        (BroadArea::CommunicationAndInteraction, 1) => (
            "Start a conversation with a peer at break using a prompt card".to_string(),
            format!("Starts a conversation on {} of 5 days in a week, seen by the lunchtime staff", d.range(2, 4)),
        ),
        (BroadArea::CommunicationAndInteraction, 2) => (
            format!("Answer who, what, where and when questions about a short text in {subject}"),
            format!("Answers {} of 8 questions correctly in a one-to-one session and in a small group", d.range(5, 7)),
        ),
        (BroadArea::CommunicationAndInteraction, _) => (
            format!("Tell {} when something has changed and {} does not understand", "an adult", p.they()),
            "Uses the help card or the agreed phrase at least once in most lessons, noted on the tracking sheet".to_string(),
        ),
        (BroadArea::SocialEmotionalMentalHealth, 0) => {
            let minutes = d.range(5, 10);
            (
                format!("Come into class and settle to the morning task within {minutes} minutes"),
                format!("Settled within {minutes} minutes on {} of 5 mornings a week for three weeks running", d.range(3, 4)),
            )
        }
        (BroadArea::SocialEmotionalMentalHealth, 1) => (
            format!("Tell an adult when {} feels worried instead of leaving the room", p.they()),
            format!("Leaves the room without permission no more than once a week for {} weeks, from the behaviour log", d.range(3, 6)),
        ),
        (BroadArea::SocialEmotionalMentalHealth, 2) => (
            "Sort out a disagreement at break using the steps practised in the group".to_string(),
            format!("Resolves at least {} disagreements without adult help, reported by {name} and the lunchtime staff", d.range(2, 4)),
        ),
        (BroadArea::SocialEmotionalMentalHealth, _) => (
            format!("Take part in {subject} lessons for the whole lesson"),
            format!("Stays and takes part in {} of the last 6 lessons, from the class teacher's record", d.range(4, 6)),
        ),
        (BroadArea::SensoryPhysical, 0) => {
            let wpm = d.range(8, 20);
            (
                format!("Type {wpm} words a minute using both hands on the home keys"),
                format!("Reaches {wpm} words a minute with 90% accuracy on the typing programme, three times"),
            )
        }
        (BroadArea::SensoryPhysical, 1) => (
            format!("Use {} without a reminder", d.pick(&["the sloped board and pencil grip", "ear defenders in assembly", "the enlarged worksheets", "the radio aid in every input"])),
            format!("Uses it without a reminder in {} of 5 observed lessons", d.range(3, 5)),
        ),
        (BroadArea::SensoryPhysical, 2) => {
            let minutes = d.range(4, 8);
            (
                format!("Get changed for PE within {minutes} minutes"),
                format!("Changed and ready within {minutes} minutes in {} consecutive PE lessons", d.range(3, 5)),
            )
        }
        (BroadArea::SensoryPhysical, _) => (
            "Form letters correctly and sit them on the line in joined writing".to_string(),
            format!("Handwriting sample in {subject} shows correct formation in {} of 5 lines", d.range(4, 5)),
        ),
    }
}

fn criteria_for(d: &mut Dice, p: &Person) -> String {
    let name = p.forename;
    match d.below(5) {
        0 => format!(
            "{name} does this on {} of {} occasions over two weeks, recorded by {}",
            d.range(3, 5),
            d.range(5, 6),
            d.pick(ASSISTANTS)
        ),
        1 => format!(
            "Seen in {} and one other lesson without a prompt, confirmed by the class teacher",
            d.pick(SUBJECTS)
        ),
        2 => format!(
            "Recorded in the intervention log at least {} times before the target date",
            d.range(3, 8)
        ),
        3 => "Achieved in class, not only in the small group, on three separate days".to_string(),
        _ => format!(
            "{name} can show an adult how {} did it and say what helped",
            p.they()
        ),
    }
}

/// A new outcome for `p` not already in `taken`.
fn new_outcome(
    d: &mut Dice,
    p: &Person,
    library: &Library,
    taken: &[PlanOutcome],
) -> (String, String) {
    for _ in 0..12 {
        let area = match p.second_area {
            Some(second) if d.chance(30) => second,
            _ => p.area,
        };
        let (text, criteria) = match d.below(10) {
            0..=3 => {
                let entries: Vec<_> = library.in_area(EntryKind::Outcome, area).collect();
                let (_, e) = entries[d.below(entries.len())];
                (e.text.clone(), e.success_criteria.clone())
            }
            4..=6 => (capital(d.pick(p.need.targets)), criteria_for(d, p)),
            _ => generated_outcome(d, p, area),
        };
        if !taken.iter().any(|o| o.text == text) {
            return (text, criteria);
        }
    }
    generated_outcome(d, p, p.area)
}

fn new_strategy(d: &mut Dice, p: &Person, library: &Library, taken: &[String]) -> Option<String> {
    for _ in 0..12 {
        let text = if d.chance(70) {
            let area = match p.second_area {
                Some(second) if d.chance(30) => second,
                _ => p.area,
            };
            let entries: Vec<_> = library.in_area(EntryKind::Strategy, area).collect();
            entries[d.below(entries.len())].1.text.clone()
        } else {
            let own = capital(d.pick(p.need.strategies));
            if taken.iter().any(|t| t.starts_with(&own)) {
                continue;
            }
            match d.below(4) {
                0 => format!("{own}, especially in {}", d.pick(SUBJECTS)),
                1 => format!("{own} ({} has found this helps)", p.forename),
                _ => own,
            }
        };
        if !taken.contains(&text) {
            return Some(text);
        }
    }
    None
}

fn provision_line(d: &mut Dice, p: &Person, assistant: &str) -> Provision {
    let intervention = d.pick(p.need.interventions);
    let (what, who) = match d.below(5) {
        0 => (
            format!("{intervention}, one to one"),
            format!("{assistant} (TA)"),
        ),
        1 => (
            format!("{intervention}, group of {}", d.range(3, 6)),
            d.pick(&[
                "Ms Lewis (HLTA)",
                "Class teacher",
                "Specialist teacher (SpLD)",
                "Mr Ibrahim (maths lead)",
                "Mrs Kowalczyk (ELSA)",
            ])
            .to_string(),
        ),
        2 => (
            format!("Pre-teaching before {} lessons", d.pick(SUBJECTS)),
            format!("{assistant} (TA)"),
        ),
        3 => (
            format!(
                "Check-in with a key adult {}",
                d.pick(&["at the start of the day", "after lunch", "before home time"])
            ),
            d.pick(&[
                "Ms Grant (learning mentor)",
                "Mrs Kowalczyk (ELSA)",
                "Ms Lewis (HLTA)",
            ])
            .to_string(),
        ),
        _ => (
            format!("Advice and a visit from the {}", d.pick(p.need.agencies)),
            "SENCO to arrange".to_string(),
        ),
    };
    let how_often = match if who_is_agency(&what) { 3 } else { d.below(5) } {
        0 => format!("{} × {} minutes a week", d.range(2, 4), 5 * d.range(2, 6)),
        1 => format!("Daily, {} minutes", 5 * d.range(1, 4)),
        2 => format!("Weekly, {} minutes", 15 * d.range(2, 4)),
        3 => "Once this term, then as advised".to_string(),
        _ => format!(
            "{} × {} minutes a week for {} weeks",
            d.range(2, 3),
            5 * d.range(3, 6),
            d.range(6, 10)
        ),
    };
    Provision {
        what,
        who,
        how_often,
        provision_id: None,
    }
}

fn who_is_agency(what: &str) -> bool {
    what.starts_with("Advice and a visit")
}

fn pupil_views(d: &mut Dice, p: &Person, date: NaiveDate) -> String {
    let name = p.forename;
    let mut text = format!(
        "{name} said \"{}\" and \"I would like {}.\"",
        d.pick(crate::QUOTES),
        d.pick(PUPIL_WISHES)
    );
    if d.chance(50) {
        text.push_str(&format!(
            " {} says {} best lesson is {} and the hardest part of the day is {}.",
            capital(p.they()),
            p.their(),
            d.pick(SUBJECTS),
            d.pick(p.need.difficulties)
        ));
    }
    if d.chance(30) {
        text.push_str(&format!(
            " Asked in {} what helps most, {} chose the {}.",
            MONTHS[date.month0() as usize],
            p.they(),
            d.pick(&[
                "help card",
                "word mat",
                "number line",
                "now-and-next board",
                "timer",
                "feelings chart",
                "break card",
                "laptop"
            ])
        ));
    }
    text
}

fn parent_views(d: &mut Dice, p: &Person, carer: &str) -> String {
    let mut text = format!(
        "{} says {} {}. {} {}.",
        capital(carer),
        p.forename,
        d.pick(PARENT_OBSERVATIONS),
        capital(carer),
        d.pick(PARENT_WISHES)
    );
    if d.chance(40) {
        text.push_str(&format!(
            " At home {} {} and finds {} hard.",
            p.they(),
            d.pick(TALENTS),
            d.pick(p.need.difficulties)
        ));
    }
    text
}

fn strengths(d: &mut Dice, p: &Person) -> String {
    format!(
        "{} is {} and {}; {} {}. {} {} in {} and responds well to {}.",
        p.forename,
        d.pick(TRAITS),
        d.pick(TRAITS),
        p.they(),
        d.pick(TALENTS),
        capital(p.they()),
        d.pick(&[
            "works hardest",
            "is most confident",
            "shines",
            "is proud of their work"
        ]),
        d.pick(SUBJECTS),
        d.pick(&[
            "praise given quietly",
            "clear routines",
            "a bit of humour",
            "being given a job",
            "visual reminders",
            "choice between two tasks"
        ])
    )
}

fn evidence(d: &mut Dice, p: &Person, progress: Progress, held_on: NaiveDate) -> String {
    let name = p.forename;
    let month = MONTHS[held_on.month0() as usize];
    let adult = d.pick(ASSISTANTS);
    let subject = d.pick(SUBJECTS);
    let mut text = match progress {
        Progress::Exceeded => format!(
            "Met by the middle of the term, ahead of the target date. {name} now does this in {subject} without being asked, and {adult} has moved on to {}.",
            d.pick(&["the next step on the programme", "harder examples", "using it in writing as well", "helping a younger pupil with it"])
        ),
        Progress::Achieved => format!(
            "{name} did this on {} of {} checks in {month}; {adult} saw it in {subject} as well as in the group.",
            d.range(4, 6),
            d.range(6, 7)
        ),
        Progress::PartlyAchieved => format!(
            "Seen on {} of {} occasions, mostly after a prompt from {adult}; not yet seen in {subject}. {}",
            d.range(2, 4),
            d.range(6, 8),
            d.pick(&[
                "Keep the same outcome with a smaller first step.",
                "Nearly there: carry forward with the same support.",
                "More consistent in the mornings than the afternoons.",
            ])
        ),
        Progress::NotAchieved => {
            let absence = format!("absence in {month} interrupted the sessions");
            format!(
            "Not yet seen without support: {}. {}",
            d.pick(&[
                &absence as &str,
                "the group did not run for three weeks while staff covered a class",
                "the step was too big and needs breaking down",
                "it became harder after the change of teacher",
                "the strategy was not used consistently across lessons",
            ]),
            d.pick(&[
                "Carry forward and check it weekly.",
                "SENCO to model the approach with the class teacher.",
                "Try a different reward that the pupil chooses.",
                "Ask the specialist service for advice at the next visit.",
            ])
        )
        }
    };
    if d.chance(25) {
        text.push(' ');
        text.push_str(&sentence(d, &p.ctx(held_on)));
    }
    text
}

fn next_steps(d: &mut Dice, p: &Person, review_on: NaiveDate, carried: usize) -> String {
    let mut text = match carried {
        0 => "All outcomes met: set new outcomes with the class teacher.".to_string(),
        1 => "Carry forward the outcome not yet met, with a smaller first step.".to_string(),
        n => format!(
            "Carry forward the {n} outcomes not yet met and keep the strategies that worked."
        ),
    };
    text.push_str(&format!(
        " {} to {} by {}.",
        d.pick(&[
            "SENCO",
            "Class teacher",
            "Miss Ferreira (TA)",
            "Ms Lewis (HLTA)"
        ]),
        d.pick(&[
            "update the pupil passport",
            "share the strategies with the supply teachers' folder",
            "send the new plan home",
            "book the next meeting with parents",
            "start the new intervention group",
            "ask the family to sign the consent form",
        ]),
        uk(review_on)
    ));
    if d.chance(40) {
        text.push(' ');
        text.push_str(&format!("Consider {} if progress stays slow.", {
            let referral = format!("a referral to the {}", d.pick(p.need.agencies));
            d.pick(&[
                &referral as &str,
                "a request for an EHC needs assessment",
                "a consultation with the educational psychologist",
                "more adult time in the afternoons",
            ])
            .to_string()
        }));
    }
    text
}

/// What the generator made for one pupil.
#[derive(Default, Debug, Clone, Copy)]
pub struct Made {
    pub plans: usize,
    pub reviewed: usize,
    pub active: usize,
    pub drafts: usize,
    pub passports: usize,
    pub saves: usize,
    pub overdue: usize,
    pub due_soon: usize,
}

/// How the pupil's latest (active) plan's review date sits against today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Latest {
    /// Reviewed more than 14 days from today.
    Later,
    Overdue,
    Soon,
}

pub struct Schedule {
    pub terms: Vec<Term>,
    pub next: Term,
    pub today: NaiveDate,
}

/// Builds `p`'s plans in `terms`, oldest first, each step saved through `open`.
#[allow(clippy::too_many_arguments)]
pub fn make_plans(
    d: &mut Dice,
    open: &mut OpenDesk,
    store: &mut MemoryStore,
    library: &Library,
    id: &PupilId,
    p: &Person,
    schedule: &Schedule,
    first: usize,
    latest: Latest,
    with_draft: bool,
    with_passport: bool,
) -> Made {
    let today = schedule.today;
    let terms = &schedule.terms[first..];
    let mut made = Made::default();
    let (relation, title) = CARERS[d.below(CARERS.len())];
    let carer = format!("{title} {} ({relation})", p.surname);
    let carer_short = relation;
    let mut saves = 0usize;
    let mut last_at = DateTime::<Utc>::MIN_UTC;
    let mut save =
        |open: &mut OpenDesk, store: &mut MemoryStore, file: PupilFile, when: DateTime<Utc>| {
            saves += 1;
            // Saves on one day in the order they happened.
            let when = when.max(last_at + Duration::minutes(7));
            last_at = when;
            let revision = file.revision;
            open.save_file(store, file, revision, when)
                .expect("plan step saved");
        };
    let mut worked_strategies: Vec<String> = Vec::new();
    let mut drafted_on = terms[0].start - Duration::days(d.range(3, 14) as i64);
    for (k, term) in terms.iter().enumerate() {
        let last = k + 1 == terms.len();
        let teacher =
            TEACHERS[(term.school_year as usize * 7 + p.forename.len() * 3 + p.surname.len())
                % TEACHERS.len()];
        let assistant =
            ASSISTANTS[(term.school_year as usize + p.surname.len()) % ASSISTANTS.len()];
        let starts_on = school_day_in(term, term.start, d.below(5) as i64).min(today);
        // Drafting.
        let file = open.desk.file(id).unwrap().clone();
        let mut plan = file
            .new_plan(starts_on, k > 0, drafted_on)
            .expect("new plan");
        plan.review_on = school_day_in(term, term.review, d.range(0, 12) as i64 - 6);
        if last {
            let shift = match latest {
                Latest::Later => d.range(15, 35) as i64,
                Latest::Soon => d.range(0, 14) as i64,
                Latest::Overdue => -(d.range(1, 25) as i64),
            };
            let wanted = today + Duration::days(shift);
            plan.review_on = match latest {
                Latest::Later if plan.review_on > today + Duration::days(14) => plan.review_on,
                Latest::Later => weekday_on_or_after(wanted),
                Latest::Soon => wanted,
                Latest::Overdue => weekday_on_or_before(wanted).max(starts_on + Duration::days(1)),
            };
            if plan.review_on < today {
                made.overdue += 1;
            } else if plan.review_on <= today + Duration::days(14) {
                made.due_soon += 1;
            }
        }
        // Outcomes: those carried keep their wording and get a new target date; new ones
        // replace those met, three or four in all.
        let wanted_outcomes = d.range(3, 4);
        while plan.outcomes.len() < wanted_outcomes {
            let (text, success_criteria) = new_outcome(d, p, library, &plan.outcomes);
            plan.outcomes.push(PlanOutcome {
                text,
                success_criteria,
                target_on: None,
            });
        }
        for outcome in &mut plan.outcomes {
            let before = d.range(0, 10) as i64;
            outcome.target_on = Some((plan.review_on - Duration::days(before)).max(starts_on));
        }
        // Strategies: the ones that worked stay; new ones from the library or the pupil's own.
        let wanted_strategies = d.range(4, 6);
        while plan.strategies.len() < wanted_strategies {
            match new_strategy(d, p, library, &plan.strategies) {
                Some(s) => plan.strategies.push(s),
                None => break,
            }
        }
        if k == 0 || term.which == 0 || plan.strengths.is_empty() {
            plan.strengths = strengths(d, p);
        }
        if plan.provision.is_empty() {
            for _ in 0..d.range(2, 3) {
                plan.provision.push(provision_line(d, p, assistant));
            }
        } else if d.chance(35) {
            let i = d.below(plan.provision.len());
            plan.provision[i] = provision_line(d, p, assistant);
        }
        plan.pupil_views = pupil_views(d, p, drafted_on);
        plan.parent_views = parent_views(d, p, carer_short);
        plan.check().expect("draft plan is valid");
        let draft_file = file.with_plan(plan.clone());
        save(open, store, draft_file, at(drafted_on, d));
        // Starting.
        let file = open.desk.file(id).unwrap().clone();
        plan.parents_agreed_on =
            Some(school_day_in(term, starts_on, -(d.range(0, 6) as i64)).min(starts_on));
        plan.activate().expect("plan starts");
        save(open, store, file.with_plan(plan.clone()), at(starts_on, d));
        made.plans += 1;
        if last {
            made.active += 1;
            break;
        }
        // Reviewing.
        let held_on = school_day_in(term, plan.review_on, d.range(0, 7) as i64 - 3).min(today);
        let held_on = held_on.max(starts_on);
        let parents_attended = d.chance(85);
        let mut attended = Vec::new();
        if parents_attended {
            attended.push(carer.clone());
            if d.chance(15) {
                attended.push(format!("Mr {} (dad)", p.surname));
            }
        }
        attended.push(format!("{teacher} (class teacher)"));
        if d.chance(60) {
            attended.push(format!("{assistant} (TA)"));
        }
        attended.push("SENCO".to_string());
        if d.chance(15) {
            attended.push(format!("{} (visiting)", capital(d.pick(p.need.agencies))));
        }
        if d.chance(50) {
            attended.push(format!("{} for the first part", p.forename));
        }
        let mut outcomes = Vec::new();
        for _ in &plan.outcomes {
            let roll = d.below(100);
            let progress = match roll {
                0..=11 => Progress::NotAchieved,
                12..=39 => Progress::PartlyAchieved,
                40..=86 => Progress::Achieved,
                _ => Progress::Exceeded,
            };
            outcomes.push(OutcomeReview {
                progress,
                evidence: evidence(d, p, progress, held_on),
            });
        }
        let carried = outcomes
            .iter()
            .filter(|o| o.progress.carries_forward())
            .count();
        let strategies_worked: Vec<bool> = plan.strategies.iter().map(|_| d.chance(85)).collect();
        for (s, worked) in plan.strategies.iter().zip(&strategies_worked) {
            if *worked && !worked_strategies.contains(s) {
                worked_strategies.push(s.clone());
            }
        }
        let next_review = terms
            .get(k + 1)
            .map(|t| t.review)
            .unwrap_or(schedule.next.review);
        let review = Review {
            held_on,
            attended: attended.join(", "),
            parents_attended,
            outcomes,
            strategies_worked,
            pupil_views: format!(
                "Asked what had helped, {} said \"{}\". {} gave the term {} out of 5.",
                p.forename,
                d.pick(crate::QUOTES),
                capital(p.they()),
                d.range(2, 5)
            ),
            parent_views: if parents_attended {
                parent_views(d, p, carer_short)
            } else {
                format!(
                    "{} could not come because of {} and sent comments by email. {}",
                    capital(carer_short),
                    d.pick(ABSENCE_REASONS),
                    parent_views(d, p, carer_short)
                )
            },
            next_steps: next_steps(d, p, next_review, carried),
            recorded_at: at(held_on, d),
        };
        let file = open.desk.file(id).unwrap().clone();
        plan.review(review, held_on).expect("plan reviewed");
        save(open, store, file.with_plan(plan), at(held_on, d));
        made.reviewed += 1;
        let next_start = terms[k + 1].start;
        drafted_on = (held_on + Duration::days(d.range(0, 6) as i64))
            .min(next_start - Duration::days(1))
            .max(held_on);
        // A passport once the pupil has a year of plans, updated each September.
        if with_passport && (k == 2 || (k > 2 && terms[k + 1].which == 0)) {
            let file = open.desk.file(id).unwrap().clone();
            let mut passport = file
                .passport
                .clone()
                .unwrap_or_else(|| Passport::blank(held_on));
            fill_passport(d, p, &mut passport, &worked_strategies, drafted_on);
            passport.check().expect("passport fits on a page");
            let mut next = file.clone();
            if next.passport.is_none() {
                made.passports += 1;
            }
            next.passport = Some(passport);
            save(open, store, next, at(drafted_on, d));
        }
    }
    if with_draft {
        // The next term's plan drafted from the active one, some days ago.
        let active = open.desk.file(id).unwrap().active_plan().unwrap().clone();
        let earliest = active.starts_on + Duration::days(7);
        let drafted_on = (today - Duration::days(d.range(1, 30) as i64))
            .max(earliest)
            .min(today);
        let file = open.desk.file(id).unwrap().clone();
        let starts_on = schedule.next.start;
        let mut plan = file.new_plan(starts_on, true, drafted_on).expect("draft");
        plan.review_on = schedule.next.review;
        if d.chance(60) && plan.outcomes.len() < 5 {
            let (text, success_criteria) = new_outcome(d, p, library, &plan.outcomes);
            plan.outcomes.push(PlanOutcome {
                text,
                success_criteria,
                target_on: Some(schedule.next.review),
            });
        }
        plan.pupil_views = pupil_views(d, p, drafted_on);
        plan.check().expect("next draft is valid");
        save(open, store, file.with_plan(plan), at(drafted_on, d));
        made.plans += 1;
        made.drafts += 1;
    }
    made.saves = saves;
    made
}

fn fit(parts: Vec<String>, limit: usize) -> String {
    let mut text = String::new();
    for part in parts {
        let joined = if text.is_empty() {
            part.clone()
        } else {
            format!("{text} {part}")
        };
        if joined.chars().count() > limit {
            break;
        }
        text = joined;
    }
    text
}

fn fill_passport(
    d: &mut Dice,
    p: &Person,
    passport: &mut Passport,
    worked: &[String],
    today: NaiveDate,
) {
    let name = p.forename;
    let age = today.years_since(p.born).unwrap_or(6);
    passport.about_me = fit(
        vec![
            format!("My name is {name} and I am {age}."),
            format!(
                "I {} and I am proud that I {}.",
                d.pick(TALENTS_ME),
                d.pick(&[
                    "learned to swim",
                    "got a certificate in assembly",
                    "read a whole book",
                    "made a new friend",
                    "helped in the school garden"
                ])
            ),
            format!("Sometimes I find {} hard.", d.pick(p.need.difficulties)),
        ],
        MAX_SECTION_CHARS,
    );
    passport.important_to_me = fit(
        vec![
            format!(
                "My {} and my {}.",
                d.pick(&["family", "mum", "dad", "nan", "brother", "sister"]),
                d.pick(&[
                    "dog",
                    "cat",
                    "friends",
                    "football team",
                    "drawing books",
                    "bike"
                ])
            ),
            format!(
                "Knowing what is happening {}.",
                d.pick(&["next", "after lunch", "when my teacher is away"])
            ),
            format!(
                "Having time to {}.",
                d.pick(&[
                    "finish my work",
                    "calm down",
                    "talk to my key adult",
                    "play outside"
                ])
            ),
        ],
        MAX_SECTION_CHARS,
    );
    passport.people_like = fit(
        vec![
            format!("People say I am {} and {}.", d.pick(TRAITS), d.pick(TRAITS)),
            format!("I {}.", d.pick(TALENTS_ME)),
        ],
        MAX_SECTION_CHARS,
    );
    passport.helps_me = fit(
        worked
            .iter()
            .rev()
            .take(4)
            .map(|s| format!("{}.", s.trim_end_matches('.')))
            .collect(),
        MAX_SECTION_CHARS,
    );
    passport.does_not_help = fit(
        vec![
            format!(
                "{}.",
                capital(d.pick(&[
                    "being told off in front of everyone",
                    "lots of instructions at once",
                    "loud noises with no warning",
                    "copying from the board",
                    "being rushed",
                    "surprises in the timetable"
                ]))
            ),
            format!(
                "When people {}.",
                d.pick(&[
                    "talk over me",
                    "touch my things",
                    "stand too close",
                    "say hurry up"
                ])
            ),
        ],
        MAX_SECTION_CHARS,
    );
    for s in worked.iter().rev() {
        if passport.key_strategies.len() >= MAX_KEY_STRATEGIES {
            break;
        }
        if s.chars().count() <= MAX_STRATEGY_CHARS {
            passport.add_strategy(s);
        }
    }
    passport.updated_on = today;
}
