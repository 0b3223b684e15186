//! A provision's details and a pupil's part in it as typed into a form: every field read,
//! and each problem named beside the field it is about (field ids match the form's).

use super::calendar::Slot;
use super::edit::{MAX_MINUTES, MAX_NOTE, MAX_PROVISION_NAME, MAX_PROVISION_TEXT};
use super::impact::{Measure, Measured, Rating};
use super::money::Pence;
use super::record::{ExtraCost, Funding, Provision, ProvisionType, Wave};
use crate::domain::dates::{format_uk, hh_mm, parse_date};
use crate::domain::BroadArea;
use chrono::{DateTime, NaiveDate, Utc, Weekday};

/// A problem with one field: its id and what to do.
pub type FieldProblem = (String, String);

pub const WEEKDAYS: [(Weekday, &str, &str); 5] = [
    (Weekday::Mon, "mon", "Monday"),
    (Weekday::Tue, "tue", "Tuesday"),
    (Weekday::Wed, "wed", "Wednesday"),
    (Weekday::Thu, "thu", "Thursday"),
    (Weekday::Fri, "fri", "Friday"),
];

/// One extra cost as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtraCostText {
    pub id: String,
    pub description: String,
    pub amount: String,
    pub on: String,
}

/// The details form's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DetailsText {
    pub name: String,
    /// A `BroadArea` code.
    pub area: String,
    pub description: String,
    pub intended_outcome: String,
    /// An index into `ProvisionType::ALL`.
    pub kind: String,
    /// "1", "2" or "3".
    pub wave: String,
    /// The ids of the staff chosen.
    pub staff: Vec<String>,
    /// Each weekday's start times ("09:15", or "09:15, 13:30" for two sessions), blank for
    /// none, Monday first.
    pub times: [String; 5],
    pub minutes: String,
    pub starts: String,
    pub ends: String,
    /// An index into `Funding::ALL`.
    pub funding: String,
    pub confidential: bool,
    pub extra_costs: Vec<ExtraCostText>,
}

impl DetailsText {
    /// The form filled from a provision, to edit it.
    pub fn of(p: &Provision) -> DetailsText {
        let mut times: [String; 5] = Default::default();
        for (i, (day, _, _)) in WEEKDAYS.iter().enumerate() {
            let mut starts: Vec<_> = p
                .timetable
                .iter()
                .filter(|s| s.weekday == *day)
                .map(|s| s.starts)
                .collect();
            starts.sort();
            times[i] = starts
                .into_iter()
                .map(hh_mm::format)
                .collect::<Vec<_>>()
                .join(", ");
        }
        DetailsText {
            name: p.name.clone(),
            area: p.area.code().into(),
            description: p.description.clone(),
            intended_outcome: p.intended_outcome.clone(),
            kind: index_of(&ProvisionType::ALL, &p.kind),
            wave: p.wave.number().to_string(),
            staff: p.staff.clone(),
            times,
            minutes: p.minutes.to_string(),
            starts: format_uk(p.starts),
            ends: format_uk(p.ends),
            funding: index_of(&Funding::ALL, &p.funding),
            confidential: p.confidential,
            extra_costs: p
                .extra_costs
                .iter()
                .map(|c| ExtraCostText {
                    id: c.id.clone(),
                    description: c.description.clone(),
                    amount: format!("{}.{:02}", c.amount.0 / 100, c.amount.0 % 100),
                    on: format_uk(c.on),
                })
                .collect(),
        }
    }

    /// `base` with these details, or every problem found. `base` keeps its pupils,
    /// sessions and history; the details are stamped as edited `now`.
    pub fn apply(
        &self,
        mut base: Provision,
        now: DateTime<Utc>,
    ) -> Result<Provision, Vec<FieldProblem>> {
        let mut problems: Vec<FieldProblem> = Vec::new();
        let mut problem = |field: &str, message: &str| {
            problems.push((field.to_string(), message.to_string()));
        };
        let name = self.name.trim();
        if name.is_empty() {
            problem("provision-name", "Enter the provision's name.");
        } else if name.chars().count() > MAX_PROVISION_NAME {
            problem(
                "provision-name",
                &format!("Use at most {MAX_PROVISION_NAME} characters."),
            );
        }
        let area = BroadArea::from_code(&self.area);
        if area.is_none() {
            problem("provision-area", "Choose the broad area of need.");
        }
        for (field, text) in [
            ("provision-description", &self.description),
            ("provision-outcome", &self.intended_outcome),
        ] {
            if text.chars().count() > MAX_PROVISION_TEXT {
                problem(
                    field,
                    &format!("Use at most {MAX_PROVISION_TEXT} characters."),
                );
            }
        }
        let kind = pick(&ProvisionType::ALL, &self.kind);
        if kind.is_none() {
            problem("provision-kind", "Choose the type of provision.");
        }
        let wave = Wave::ALL
            .into_iter()
            .find(|w| w.number().to_string() == self.wave.trim());
        if wave.is_none() {
            problem("provision-wave", "Choose wave 1, 2 or 3.");
        }
        let mut timetable = Vec::new();
        for (i, (weekday, code, day)) in WEEKDAYS.iter().enumerate() {
            let field = format!("provision-time-{code}");
            let mut starts = Vec::new();
            for text in self.times[i]
                .split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
            {
                match hh_mm::parse(text) {
                    Some(time) => starts.push(time),
                    None => {
                        problem(
                            &field,
                            &format!("Enter {day}'s start times as hours and minutes, for example 09:15 (or 09:15, 13:30 for two sessions), or leave it blank."),
                        );
                        starts.clear();
                        break;
                    }
                }
            }
            starts.sort();
            if starts.windows(2).any(|w| w[0] == w[1]) {
                problem(&field, &format!("{day} has the same start time twice."));
                continue;
            }
            timetable.extend(starts.into_iter().map(|starts| Slot {
                weekday: *weekday,
                starts,
            }));
        }
        if timetable.len() > super::edit::MAX_SLOTS {
            problem(
                "provision-time-mon",
                &format!(
                    "A provision can have at most {} sessions a week.",
                    super::edit::MAX_SLOTS
                ),
            );
        }
        let minutes = match self.minutes.trim().parse::<u32>() {
            Ok(m) if (1..=MAX_MINUTES).contains(&m) => Some(m),
            _ => {
                problem(
                    "provision-minutes",
                    &format!("Enter the minutes a session lasts, from 1 to {MAX_MINUTES}."),
                );
                None
            }
        };
        let date = |text: &str, field: &str, problem: &mut dyn FnMut(&str, &str)| {
            let date = parse_date(text);
            if date.is_none() {
                problem(
                    field,
                    "Enter a date as day/month/year, for example 01/09/2026.",
                );
            }
            date
        };
        let starts = date(&self.starts, "provision-starts", &mut problem);
        let ends = date(&self.ends, "provision-ends", &mut problem);
        if let (Some(s), Some(e)) = (starts, ends) {
            if !super::edit::is_plausible_date(s) {
                problem(
                    "provision-starts",
                    "Enter a start date between 2000 and 2099.",
                );
            } else if e < s {
                problem(
                    "provision-ends",
                    "The end date must be on or after the start date.",
                );
            } else if (e - s).num_days() > super::edit::MAX_DAYS {
                problem(
                    "provision-ends",
                    "A provision can run for at most three years: make a new one for later.",
                );
            }
        }
        let funding = pick(&Funding::ALL, &self.funding);
        if funding.is_none() {
            problem("provision-funding", "Choose how it is funded.");
        }
        let mut extra_costs = Vec::new();
        for (i, cost) in self.extra_costs.iter().enumerate() {
            let n = i + 1;
            let description = cost.description.trim();
            if description.is_empty() || description.chars().count() > MAX_PROVISION_NAME {
                problem(
                    &format!("extra-{n}-description"),
                    &format!("Describe extra cost {n} in at most {MAX_PROVISION_NAME} characters."),
                );
            }
            let amount = Pence::parse(&cost.amount);
            if let Err(e) = &amount {
                problem(
                    &format!("extra-{n}-amount"),
                    &format!("Extra cost {n}: {e}."),
                );
            }
            let on = date(&cost.on, &format!("extra-{n}-on"), &mut problem);
            if let (Ok(amount), Some(on)) = (amount, on) {
                extra_costs.push(ExtraCost {
                    id: cost.id.clone(),
                    description: description.to_string(),
                    amount,
                    on,
                });
            }
        }
        let (
            Some(area),
            Some(kind),
            Some(wave),
            Some(minutes),
            Some(starts),
            Some(ends),
            Some(funding),
        ) = (area, kind, wave, minutes, starts, ends, funding)
        else {
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        base.name = name.to_string();
        base.area = area;
        base.description = self.description.trim().to_string();
        base.intended_outcome = self.intended_outcome.trim().to_string();
        base.kind = kind;
        base.wave = wave;
        base.staff = self.staff.clone();
        base.timetable = timetable;
        base.minutes = minutes;
        base.starts = starts;
        base.ends = ends;
        base.funding = funding;
        base.confidential = self.confidential;
        // Costs taken off are remembered, so a merge with an older copy leaves them off.
        for gone in base
            .extra_costs
            .iter()
            .filter(|old| !extra_costs.iter().any(|kept| kept.key() == old.key()))
        {
            let key = gone.key();
            if !base.removed_costs.contains(&key) {
                base.removed_costs.push(key);
            }
        }
        let excess = base
            .removed_costs
            .len()
            .saturating_sub(super::edit::MAX_REMOVED_COSTS);
        base.removed_costs.drain(..excess);
        base.extra_costs = extra_costs;
        base.details_edited = now;
        Ok(base)
    }
}

fn index_of<T: PartialEq>(all: &[T], item: &T) -> String {
    all.iter()
        .position(|x| x == item)
        .map(|i| i.to_string())
        .unwrap_or_default()
}

fn pick<T: Copy>(all: &[T], index: &str) -> Option<T> {
    index
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|i| all.get(i).copied())
}

/// A new, empty provision (details still to fill in), with its random id.
pub fn blank_provision(id: String, today: NaiveDate, now: DateTime<Utc>) -> Provision {
    Provision {
        id,
        name: String::new(),
        area: BroadArea::CognitionAndLearning,
        description: String::new(),
        intended_outcome: String::new(),
        kind: ProvisionType::SmallGroup,
        wave: Wave::Two,
        staff: Vec::new(),
        timetable: Vec::new(),
        minutes: 30,
        starts: today,
        ends: today,
        extra_costs: Vec::new(),
        removed_costs: Vec::new(),
        funding: Funding::NotionalSenBudget,
        confidential: false,
        enrolments: Vec::new(),
        sessions: Vec::new(),
        details_edited: now,
        history: Vec::new(),
        revision: 0,
    }
}

/// The kinds of measure a form offers, with their labels.
pub const MEASURE_KINDS: [(&str, &str); 5] = [
    ("standardised", "Standardised score"),
    ("reading-age", "Reading age (years and months)"),
    ("spelling-age", "Spelling age (years and months)"),
    ("raw", "Raw score out of a maximum"),
    ("scale", "Step on the school's scale"),
];

/// One measure as typed: its kind, value ("96"; "7y 4m" or "88" months for an age;
/// "14/20" for a raw score) and date. All blank means none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasureText {
    pub kind: String,
    pub value: String,
    pub on: String,
}

impl MeasureText {
    pub fn of(measured: Option<&Measured>) -> MeasureText {
        let Some(m) = measured else {
            return MeasureText::default();
        };
        let (kind, value) = match m.measure {
            Measure::Standardised { score } => ("standardised", score.to_string()),
            Measure::ReadingAge { months } => ("reading-age", age_text(months)),
            Measure::SpellingAge { months } => ("spelling-age", age_text(months)),
            Measure::Raw { score, out_of } => ("raw", format!("{score}/{out_of}")),
            Measure::SchoolScale { step } => ("scale", step.to_string()),
        };
        MeasureText {
            kind: kind.into(),
            value,
            on: format_uk(m.on),
        }
    }

    /// The measure, None when all is blank, or the problems (fields `{prefix}-kind`,
    /// `{prefix}-value`, `{prefix}-on`).
    pub fn read(&self, prefix: &str, what: &str) -> Result<Option<Measured>, Vec<FieldProblem>> {
        if self.kind.trim().is_empty() && self.value.trim().is_empty() && self.on.trim().is_empty()
        {
            return Ok(None);
        }
        let mut problems = Vec::new();
        let value = self.value.trim();
        let measure = match self.kind.as_str() {
            "standardised" => match value.parse::<u16>() {
                Ok(score) if (40..=160).contains(&score) => Some(Measure::Standardised { score }),
                _ => {
                    problems.push((
                        format!("{prefix}-value"),
                        format!("Enter the {what} standardised score, from 40 to 160."),
                    ));
                    None
                }
            },
            "reading-age" | "spelling-age" => match parse_age(value) {
                Some(months) if self.kind == "reading-age" => Some(Measure::ReadingAge { months }),
                Some(months) => Some(Measure::SpellingAge { months }),
                None => {
                    problems.push((
                        format!("{prefix}-value"),
                        format!("Enter the {what} age as years and months, for example 7y 4m."),
                    ));
                    None
                }
            },
            "raw" => match value.split_once('/').and_then(|(s, o)| {
                Some((s.trim().parse::<u32>().ok()?, o.trim().parse::<u32>().ok()?))
            }) {
                Some((score, out_of)) if out_of > 0 && score <= out_of && out_of <= 100_000 => {
                    Some(Measure::Raw { score, out_of })
                }
                _ => {
                    problems.push((
                        format!("{prefix}-value"),
                        format!("Enter the {what} raw score as score/maximum, for example 14/20."),
                    ));
                    None
                }
            },
            "scale" => match value.parse::<i32>() {
                Ok(step) if (-1000..=1000).contains(&step) => Some(Measure::SchoolScale { step }),
                _ => {
                    problems.push((
                        format!("{prefix}-value"),
                        format!("Enter the {what} step on the school's scale as a whole number."),
                    ));
                    None
                }
            },
            _ => {
                problems.push((
                    format!("{prefix}-kind"),
                    format!("Choose what the {what} measure is."),
                ));
                None
            }
        };
        let on = parse_date(&self.on);
        if on.is_none() {
            problems.push((
                format!("{prefix}-on"),
                format!("Enter the date the {what} measure was taken, for example 07/09/2026."),
            ));
        }
        match (measure, on) {
            (Some(measure), Some(on)) if problems.is_empty() => Ok(Some(Measured { measure, on })),
            _ => Err(problems),
        }
    }
}

/// "7y 4m" for 88 months.
pub fn age_text(months: u16) -> String {
    format!("{}y {}m", months / 12, months % 12)
}

/// An age typed as "7y 4m", "7:4", "7.04" (years.months) or "88" (months).
pub fn parse_age(text: &str) -> Option<u16> {
    let text = text.trim().to_lowercase();
    let digits = |s: &str| -> Option<u16> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let months = if let Some((y, m)) = text.split_once('y') {
        let m = m.trim().trim_end_matches('m');
        let m = if m.trim().is_empty() { 0 } else { digits(m)? };
        if m > 11 {
            return None;
        }
        digits(y)? * 12 + m
    } else if let Some((y, m)) = text.split_once([':', '.']) {
        let m = digits(m)?;
        if m > 11 {
            return None;
        }
        digits(y)? * 12 + m
    } else {
        digits(&text)?
    };
    (months <= 30 * 12).then_some(months)
}

/// A pupil's part as typed: the day they left, their measures, rating and note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartText {
    pub joined: String,
    pub left: String,
    pub entry: MeasureText,
    pub exit: MeasureText,
    /// "-2" to "2", blank for not yet rated.
    pub rating: String,
    pub note: String,
}

impl PartText {
    pub fn of(e: &super::record::Enrolment) -> PartText {
        PartText {
            joined: format_uk(e.joined),
            left: e.left.map(format_uk).unwrap_or_default(),
            entry: MeasureText::of(e.entry.as_ref()),
            exit: MeasureText::of(e.exit.as_ref()),
            rating: e.rating.map(|r| r.value().to_string()).unwrap_or_default(),
            note: e.note.clone(),
        }
    }

    /// `enrolment` with this part, or every problem found.
    pub fn apply(
        &self,
        mut enrolment: super::record::Enrolment,
        now: DateTime<Utc>,
    ) -> Result<super::record::Enrolment, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let joined = parse_date(&self.joined);
        if joined.is_none() {
            problems.push((
                "part-joined".to_string(),
                "Enter the date they joined, for example 07/09/2026.".to_string(),
            ));
        }
        let left = if self.left.trim().is_empty() {
            None
        } else {
            let left = parse_date(&self.left);
            if left.is_none() {
                problems.push((
                    "part-left".to_string(),
                    "Enter the date they left as day/month/year, or leave it blank.".to_string(),
                ));
            }
            left
        };
        if let (Some(j), Some(l)) = (joined, left) {
            if l < j {
                problems.push((
                    "part-left".to_string(),
                    "The date they left must be on or after the date they joined.".to_string(),
                ));
            }
        }
        let entry = self.entry.read("part-entry", "entry").unwrap_or_else(|p| {
            problems.extend(p);
            None
        });
        let exit = self.exit.read("part-exit", "exit").unwrap_or_else(|p| {
            problems.extend(p);
            None
        });
        if let (Some(a), Some(b)) = (&entry, &exit) {
            if b.on < a.on {
                problems.push((
                    "part-exit-on".to_string(),
                    "The exit measure must be taken on or after the entry measure.".to_string(),
                ));
            }
        }
        let rating = match self.rating.trim() {
            "" => None,
            text => match text.parse::<i8>().ok().and_then(Rating::new) {
                Some(r) => Some(r),
                None => {
                    problems.push((
                        "part-rating".to_string(),
                        "Choose an outcome rating from -2 to +2.".to_string(),
                    ));
                    None
                }
            },
        };
        if self.note.chars().count() > MAX_NOTE {
            problems.push((
                "part-note".to_string(),
                format!("Use at most {MAX_NOTE} characters."),
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        enrolment.joined = joined.expect("checked above");
        enrolment.left = left;
        enrolment.entry = entry;
        enrolment.exit = exit;
        enrolment.rating = rating;
        enrolment.note = self.note.trim().to_string();
        enrolment.edited = now;
        Ok(enrolment)
    }
}

/// What an outcome rating means, in words.
pub fn rating_label(value: i8) -> &'static str {
    match value {
        -2 => "Significantly less than expected",
        -1 => "Less than expected",
        0 => "As expected",
        1 => "More than expected",
        _ => "Significantly more than expected",
    }
}

/// A measure in words: "Reading age 7y 4m", "Standardised score 86", "14/20".
pub fn measure_text(m: &Measured) -> String {
    let what = match m.measure {
        Measure::Standardised { score } => format!("Standardised score {score}"),
        Measure::ReadingAge { months } => format!("Reading age {}", age_text(months)),
        Measure::SpellingAge { months } => format!("Spelling age {}", age_text(months)),
        Measure::Raw { score, out_of } => format!("Raw score {score}/{out_of}"),
        Measure::SchoolScale { step } => format!("Step {step} on the school's scale"),
    };
    format!("{what} on {}", format_uk(m.on))
}

/// A pupil's gain in words, with what it was made from, or why there is none.
pub fn gain_text(entry: Option<&Measured>, exit: Option<&Measured>) -> String {
    use super::impact::Gain;
    let (Some(entry), Some(exit)) = (entry, exit) else {
        return "Not yet: needs an entry and an exit measure".into();
    };
    match Gain::between(entry, exit) {
        Ok(Gain::Ratio {
            months_gained,
            months_elapsed,
            ratio,
        }) => format!(
            "Ratio gain {ratio:.1} ({months_gained} months gained in {months_elapsed:.1} months)"
        ),
        Ok(Gain::Standardised { change }) => format!("{change:+} points"),
        Ok(Gain::Raw { change, out_of }) => format!("{change:+} out of {out_of}"),
        Ok(Gain::SchoolScale { change }) => format!("{change:+} steps"),
        Err(why) => format!("None: {why}"),
    }
}
