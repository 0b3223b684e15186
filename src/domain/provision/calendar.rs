//! The school's calendar for provision: terms and closure days for each school year, entered
//! once. Every "weeks" figure counts teaching days from them (a week being five teaching
//! days), never a flat 38, and a provision's planned sessions are the teaching days on its
//! timetable. A year copied forward keeps each date's weekday and is marked to check, since
//! Easter (and so the spring and summer terms) moves.

use crate::domain::dates::{format_uk, iso_date};
use chrono::{Datelike, Days, NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One term: its first and last days (both teaching days unless closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Term {
    pub name: String,
    #[serde(with = "iso_date")]
    pub starts: NaiveDate,
    #[serde(with = "iso_date")]
    pub ends: NaiveDate,
}

/// Which part of a day a closure takes: an INSET morning cuts only morning sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DayPart {
    Whole,
    Morning,
    Afternoon,
}

/// A day (or part of one) the school is closed to pupils within a term: INSET, a bank
/// holiday, an election.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    #[serde(with = "iso_date")]
    pub on: NaiveDate,
    pub part: DayPart,
    #[serde(default)]
    pub reason: String,
}

/// Sessions starting before noon are morning sessions.
fn is_morning(time: NaiveTime) -> bool {
    time < NaiveTime::from_hms_opt(12, 0, 0).expect("noon")
}

impl Closure {
    /// Whether this closure cuts a session starting at `time` on its day.
    pub fn cuts(&self, time: NaiveTime) -> bool {
        match self.part {
            DayPart::Whole => true,
            DayPart::Morning => is_morning(time),
            DayPart::Afternoon => !is_morning(time),
        }
    }
}

/// One school year's dates: the year that starts in September of `starts_in`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolYearDates {
    pub starts_in: i32,
    pub terms: Vec<Term>,
    #[serde(default)]
    pub closures: Vec<Closure>,
    /// Copied forward from the year before and not yet checked by the school.
    #[serde(default)]
    pub to_check: bool,
}

/// What is wrong with a year's dates, to show beside the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarProblem {
    NoTerms,
    EndsBeforeStarts { term: String },
    Overlap { first: String, second: String },
    OutsideTheYear { term: String },
    ClosureOutsideTerms { on: NaiveDate },
    ClosureAtWeekend { on: NaiveDate },
}

impl fmt::Display for CalendarProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalendarProblem::NoTerms => write!(f, "Enter at least one term"),
            CalendarProblem::EndsBeforeStarts { term } => {
                write!(f, "{term} ends before it starts")
            }
            CalendarProblem::Overlap { first, second } => {
                write!(f, "{second} starts before {first} ends")
            }
            CalendarProblem::OutsideTheYear { term } => write!(
                f,
                "{term} is not within this school year (1 August to 31 August the next year)"
            ),
            CalendarProblem::ClosureOutsideTerms { on } => write!(
                f,
                "The closure on {} is not in a term: only days in a term can be closed",
                format_uk(*on)
            ),
            CalendarProblem::ClosureAtWeekend { on } => write!(
                f,
                "The closure on {} is at a weekend, when the school is closed anyway",
                format_uk(*on)
            ),
        }
    }
}

fn is_weekday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

impl SchoolYearDates {
    /// Terms in order, none overlapping, all within 1 August to 31 August the next year;
    /// closures on weekdays within a term.
    pub fn check(&self) -> Result<(), CalendarProblem> {
        if self.terms.is_empty() {
            return Err(CalendarProblem::NoTerms);
        }
        let first_day = NaiveDate::from_ymd_opt(self.starts_in, 8, 1);
        let last_day = NaiveDate::from_ymd_opt(self.starts_in + 1, 8, 31);
        let (Some(first_day), Some(last_day)) = (first_day, last_day) else {
            return Err(CalendarProblem::NoTerms);
        };
        for term in &self.terms {
            if term.ends < term.starts {
                return Err(CalendarProblem::EndsBeforeStarts {
                    term: term.name.clone(),
                });
            }
            if term.starts < first_day || term.ends > last_day {
                return Err(CalendarProblem::OutsideTheYear {
                    term: term.name.clone(),
                });
            }
        }
        for pair in self.terms.windows(2) {
            if pair[1].starts <= pair[0].ends {
                return Err(CalendarProblem::Overlap {
                    first: pair[0].name.clone(),
                    second: pair[1].name.clone(),
                });
            }
        }
        for closure in &self.closures {
            if !is_weekday(closure.on) {
                return Err(CalendarProblem::ClosureAtWeekend { on: closure.on });
            }
            if self.term_of(closure.on).is_none() {
                return Err(CalendarProblem::ClosureOutsideTerms { on: closure.on });
            }
        }
        Ok(())
    }

    fn term_of(&self, date: NaiveDate) -> Option<&Term> {
        self.terms
            .iter()
            .find(|t| t.starts <= date && date <= t.ends)
    }

    /// The closure on `date`, if any (whole days first).
    fn closure_on(&self, date: NaiveDate) -> impl Iterator<Item = &Closure> {
        self.closures.iter().filter(move |c| c.on == date)
    }

    /// A weekday in a term that no closure takes whole.
    pub fn is_teaching_day(&self, date: NaiveDate) -> bool {
        is_weekday(date)
            && self.term_of(date).is_some()
            && !self.closure_on(date).any(|c| c.part == DayPart::Whole)
    }

    /// Whether a session at `time` on `date` can happen: a teaching day no closure cuts.
    pub fn holds_session(&self, date: NaiveDate, time: NaiveTime) -> bool {
        is_weekday(date)
            && self.term_of(date).is_some()
            && !self.closure_on(date).any(|c| c.cuts(time))
    }

    /// The next year's dates from these: each moved 52 weeks on (the same weekday), to check.
    pub fn copied_forward(&self) -> SchoolYearDates {
        let on = |date: NaiveDate| date + Days::new(364);
        SchoolYearDates {
            starts_in: self.starts_in + 1,
            terms: self
                .terms
                .iter()
                .map(|t| Term {
                    name: t.name.clone(),
                    starts: on(t.starts),
                    ends: on(t.ends),
                })
                .collect(),
            closures: self
                .closures
                .iter()
                .map(|c| Closure {
                    on: on(c.on),
                    ..c.clone()
                })
                .collect(),
            to_check: true,
        }
    }
}

/// The weekday and start time of one of a provision's weekly sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    #[serde(with = "weekday_name")]
    pub weekday: Weekday,
    #[serde(with = "crate::domain::dates::hh_mm")]
    pub starts: NaiveTime,
}

/// Serde for a school weekday as "mon" to "fri" (no provision meets at the weekend).
mod weekday_name {
    use chrono::Weekday;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    const NAMES: [(Weekday, &str); 5] = [
        (Weekday::Mon, "mon"),
        (Weekday::Tue, "tue"),
        (Weekday::Wed, "wed"),
        (Weekday::Thu, "thu"),
        (Weekday::Fri, "fri"),
    ];

    pub fn serialize<S: Serializer>(day: &Weekday, serializer: S) -> Result<S::Ok, S::Error> {
        let name = NAMES
            .iter()
            .find(|(d, _)| d == day)
            .map(|(_, n)| *n)
            .ok_or_else(|| serde::ser::Error::custom("a weekend day"))?;
        serializer.serialize_str(name)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Weekday, D::Error> {
        let text = <&str>::deserialize(deserializer)?;
        NAMES
            .iter()
            .find(|(_, n)| *n == text)
            .map(|(d, _)| *d)
            .ok_or_else(|| D::Error::custom(format!("not a school weekday: {text}")))
    }
}

/// Every school year's dates the school has entered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolCalendar {
    pub years: Vec<SchoolYearDates>,
}

/// A planned session: the day and the slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PlannedSession {
    pub on: NaiveDate,
    pub starts: NaiveTime,
}

impl SchoolCalendar {
    /// School years (by the year they start in) copied forward and not yet checked.
    pub fn years_to_check(&self) -> Vec<i32> {
        let mut years: Vec<i32> = self
            .years
            .iter()
            .filter(|y| y.to_check)
            .map(|y| y.starts_in)
            .collect();
        years.sort_unstable();
        years
    }

    /// The dates of the school year `date` falls in (September to August), if entered.
    pub fn year_of(&self, date: NaiveDate) -> Option<&SchoolYearDates> {
        let starts_in = if date.month() >= 9 {
            date.year()
        } else {
            date.year() - 1
        };
        self.years.iter().find(|y| y.starts_in == starts_in)
    }

    pub fn is_teaching_day(&self, date: NaiveDate) -> bool {
        self.year_of(date).is_some_and(|y| y.is_teaching_day(date))
    }

    /// Teaching days from `from` to `to`, both included.
    pub fn teaching_days(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .take_while(|d| *d <= to)
            .filter(|d| self.is_teaching_day(*d))
            .count() as u32
    }

    /// Teaching weeks from `from` to `to`: teaching days over five.
    pub fn teaching_weeks(&self, from: NaiveDate, to: NaiveDate) -> f64 {
        f64::from(self.teaching_days(from, to)) / 5.0
    }

    /// The sessions `timetable` plans from `from` to `to`, both included: each slot on each
    /// day of its weekday that holds sessions, in order.
    pub fn planned_sessions(
        &self,
        timetable: &[Slot],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<PlannedSession> {
        let mut sessions = Vec::new();
        for on in from.iter_days().take_while(|d| *d <= to) {
            let Some(year) = self.year_of(on) else {
                continue;
            };
            for slot in timetable.iter().filter(|s| s.weekday == on.weekday()) {
                if year.holds_session(on, slot.starts) {
                    sessions.push(PlannedSession {
                        on,
                        starts: slot.starts,
                    });
                }
            }
        }
        sessions.sort();
        sessions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn term(name: &str, starts: NaiveDate, ends: NaiveDate) -> Term {
        Term {
            name: name.into(),
            starts,
            ends,
        }
    }

    /// 2026/27 with an INSET day, a half-day closure and the May bank holiday.
    fn year_2026() -> SchoolYearDates {
        SchoolYearDates {
            starts_in: 2026,
            terms: vec![
                term("Autumn 1", day(2026, 9, 3), day(2026, 10, 23)),
                term("Autumn 2", day(2026, 11, 2), day(2026, 12, 18)),
                term("Spring 1", day(2027, 1, 5), day(2027, 2, 12)),
                term("Spring 2", day(2027, 2, 22), day(2027, 3, 26)),
                term("Summer 1", day(2027, 4, 12), day(2027, 5, 28)),
                term("Summer 2", day(2027, 6, 7), day(2027, 7, 21)),
            ],
            closures: vec![
                Closure {
                    on: day(2026, 11, 2),
                    part: DayPart::Whole,
                    reason: "INSET".into(),
                },
                Closure {
                    on: day(2026, 12, 18),
                    part: DayPart::Afternoon,
                    reason: "End of term".into(),
                },
                Closure {
                    on: day(2027, 5, 3),
                    part: DayPart::Whole,
                    reason: "Bank holiday".into(),
                },
            ],
            to_check: false,
        }
    }

    fn calendar() -> SchoolCalendar {
        SchoolCalendar {
            years: vec![year_2026()],
        }
    }

    #[test]
    fn teaching_weeks_come_from_the_terms_and_closures_not_a_flat_38() {
        let c = calendar();
        assert_eq!(year_2026().check(), Ok(()));
        // The whole year: 194 weekdays in terms, less two whole closures.
        assert_eq!(c.teaching_days(day(2026, 9, 1), day(2027, 8, 31)), 192);
        assert!((c.teaching_weeks(day(2026, 9, 1), day(2027, 8, 31)) - 38.4).abs() < 1e-9);
        // Autumn 2 starts with an INSET day: 35 weekdays, 34 teaching days.
        assert_eq!(c.teaching_days(day(2026, 11, 2), day(2026, 12, 18)), 34);
        // Half term and weekends are not teaching days; nor is a year not entered.
        assert!(!c.is_teaching_day(day(2026, 10, 28)));
        assert!(!c.is_teaching_day(day(2026, 9, 5)));
        assert!(!c.is_teaching_day(day(2027, 9, 8)));
        assert!(
            c.is_teaching_day(day(2026, 12, 18)),
            "only the afternoon is closed"
        );
    }

    #[test]
    fn a_closure_cuts_only_the_sessions_on_its_day_and_part() {
        let c = calendar();
        let timetable = [
            Slot {
                weekday: Weekday::Mon,
                starts: at(9, 15),
            },
            Slot {
                weekday: Weekday::Wed,
                starts: at(9, 15),
            },
            Slot {
                weekday: Weekday::Fri,
                starts: at(13, 30),
            },
        ];
        // Autumn 2 has 7 weeks: 21 sessions, less Monday's INSET and Friday afternoon's closure.
        let sessions = c.planned_sessions(&timetable, day(2026, 11, 2), day(2026, 12, 18));
        assert_eq!(sessions.len(), 19);
        assert_eq!(sessions[0].on, day(2026, 11, 4));
        assert!(sessions.iter().all(|s| s.on != day(2026, 12, 18)));
        // A morning session that Friday would still happen.
        let morning = [Slot {
            weekday: Weekday::Fri,
            starts: at(10, 0),
        }];
        assert_eq!(
            c.planned_sessions(&morning, day(2026, 12, 18), day(2026, 12, 18))
                .len(),
            1
        );
        // A twelve-week block of three sessions a week across the May bank holiday.
        let block = c.planned_sessions(&timetable, day(2027, 4, 12), day(2027, 7, 2));
        assert_eq!(
            block.len(),
            12 * 3 - 3 - 1,
            "half term week and the bank holiday Monday"
        );
    }

    #[test]
    fn a_year_copied_forward_keeps_weekdays_and_is_marked_to_check() {
        let next = year_2026().copied_forward();
        assert_eq!(next.starts_in, 2027);
        assert!(next.to_check);
        assert_eq!(next.terms[0].starts, day(2027, 9, 2));
        assert_eq!(next.terms[0].starts.weekday(), Weekday::Thu);
        assert_eq!(next.closures[2].on.weekday(), Weekday::Mon);
        assert_eq!(next.check(), Ok(()));
    }

    #[test]
    fn years_copied_forward_are_listed_to_check_until_confirmed() {
        let mut first = year_2026();
        first.to_check = false;
        let mut calendar = SchoolCalendar {
            years: vec![first.copied_forward(), first.clone()],
        };
        assert_eq!(calendar.years_to_check(), vec![2027]);
        calendar.years[0].to_check = false;
        assert!(calendar.years_to_check().is_empty());
    }

    #[test]
    fn dates_that_cannot_be_a_school_year_are_named() {
        let mut y = year_2026();
        y.terms[1].starts = day(2026, 10, 20);
        assert_eq!(
            y.check(),
            Err(CalendarProblem::Overlap {
                first: "Autumn 1".into(),
                second: "Autumn 2".into()
            })
        );
        let mut y = year_2026();
        y.terms[0].ends = day(2026, 9, 1);
        assert!(matches!(
            y.check(),
            Err(CalendarProblem::EndsBeforeStarts { .. })
        ));
        let mut y = year_2026();
        y.terms[5].ends = day(2027, 9, 10);
        assert!(matches!(
            y.check(),
            Err(CalendarProblem::OutsideTheYear { .. })
        ));
        let mut y = year_2026();
        y.closures.push(Closure {
            on: day(2026, 10, 28),
            part: DayPart::Whole,
            reason: String::new(),
        });
        assert_eq!(
            y.check(),
            Err(CalendarProblem::ClosureOutsideTerms {
                on: day(2026, 10, 28)
            })
        );
        assert_eq!(
            y.check().unwrap_err().to_string(),
            "The closure on 28/10/2026 is not in a term: only days in a term can be closed"
        );
        let mut y = year_2026();
        y.closures.push(Closure {
            on: day(2026, 9, 5),
            part: DayPart::Whole,
            reason: String::new(),
        });
        assert!(matches!(
            y.check(),
            Err(CalendarProblem::ClosureAtWeekend { .. })
        ));
        let y = SchoolYearDates {
            terms: vec![],
            ..year_2026()
        };
        assert_eq!(y.check(), Err(CalendarProblem::NoTerms));
    }
}
