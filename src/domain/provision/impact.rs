//! Whether a provision works: each pupil's gain between an entry and an exit measure, and a
//! provision's figures over its pupils, never shown without how many pupils they rest on.
//! Ratio gain is months gained over months elapsed (a month being 30.44 days), after Brooks'
//! "What works for literacy difficulties": 2 or more is good, 4 or more substantial. A change
//! of about 5 points in a standardised score is meaningful.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Days in the average month, for ratio gain.
pub const DAYS_A_MONTH: f64 = 30.44;
/// Below this many pupils, a provision's figures carry a warning.
pub const FEW_PUPILS: usize = 5;
/// A change in a standardised score of at least this is meaningful.
pub const MEANINGFUL_CHANGE: i32 = 5;

/// What was measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Measure {
    /// A standardised score (the population's mean is 100).
    Standardised {
        score: u16,
    },
    ReadingAge {
        months: u16,
    },
    SpellingAge {
        months: u16,
    },
    Raw {
        score: u32,
        out_of: u32,
    },
    /// A step on the school's own scale.
    SchoolScale {
        step: i32,
    },
}

/// A measure and the day it was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Measured {
    pub measure: Measure,
    #[serde(with = "crate::domain::dates::iso_date")]
    pub on: NaiveDate,
}

impl Measured {
    /// Whether the value is one a test could give: a standardised score from 40 to 160, an
    /// age up to 30 years, a raw score within its maximum.
    pub fn is_sound(&self) -> bool {
        match self.measure {
            Measure::Standardised { score } => (40..=160).contains(&score),
            Measure::ReadingAge { months } | Measure::SpellingAge { months } => months <= 360,
            Measure::Raw { score, out_of } => out_of > 0 && score <= out_of && out_of <= 100_000,
            Measure::SchoolScale { step } => (-1000..=1000).contains(&step),
        }
    }
}

/// One pupil's gain from entry to exit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Gain {
    /// A reading or spelling age: the ratio gain, with what it was made from.
    Ratio {
        months_gained: i32,
        months_elapsed: f64,
        ratio: f64,
    },
    /// A standardised score's change in points.
    Standardised { change: i32 },
    /// A raw score's change, out of the same maximum.
    Raw { change: i64, out_of: u32 },
    /// Steps on the school's scale.
    SchoolScale { change: i64 },
}

/// Why no gain can be worked out from two measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoGain {
    /// Entry and exit measure different things.
    DifferentMeasures,
    /// The exit was taken before the entry.
    ExitBeforeEntry,
    /// Taken the same day: no time has passed for a ratio.
    SameDay,
}

impl std::fmt::Display for NoGain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NoGain::DifferentMeasures => "the entry and exit measures are not the same kind",
            NoGain::ExitBeforeEntry => "the exit measure is dated before the entry measure",
            NoGain::SameDay => "the entry and exit measures were taken on the same day",
        })
    }
}

impl Gain {
    /// The gain from `entry` to `exit`.
    pub fn between(entry: &Measured, exit: &Measured) -> Result<Gain, NoGain> {
        let days = (exit.on - entry.on).num_days();
        if days < 0 {
            return Err(NoGain::ExitBeforeEntry);
        }
        let ratio = |from: u16, to: u16| {
            if days == 0 {
                return Err(NoGain::SameDay);
            }
            let months_gained = i32::from(to) - i32::from(from);
            let months_elapsed = days as f64 / DAYS_A_MONTH;
            Ok(Gain::Ratio {
                months_gained,
                months_elapsed,
                ratio: f64::from(months_gained) / months_elapsed,
            })
        };
        match (entry.measure, exit.measure) {
            (Measure::ReadingAge { months: a }, Measure::ReadingAge { months: b })
            | (Measure::SpellingAge { months: a }, Measure::SpellingAge { months: b }) => {
                ratio(a, b)
            }
            (Measure::Standardised { score: a }, Measure::Standardised { score: b }) => {
                Ok(Gain::Standardised {
                    change: i32::from(b) - i32::from(a),
                })
            }
            (
                Measure::Raw {
                    score: a,
                    out_of: x,
                },
                Measure::Raw {
                    score: b,
                    out_of: y,
                },
            ) if x == y => Ok(Gain::Raw {
                change: i64::from(b) - i64::from(a),
                out_of: x,
            }),
            (Measure::SchoolScale { step: a }, Measure::SchoolScale { step: b }) => {
                Ok(Gain::SchoolScale {
                    change: i64::from(b) - i64::from(a),
                })
            }
            _ => Err(NoGain::DifferentMeasures),
        }
    }
}

/// How a ratio gain reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatioBand {
    Substantial,
    Good,
    Modest,
    None,
}

pub fn ratio_band(ratio: f64) -> RatioBand {
    if ratio >= 4.0 {
        RatioBand::Substantial
    } else if ratio >= 2.0 {
        RatioBand::Good
    } else if ratio > 1.0 {
        RatioBand::Modest
    } else {
        RatioBand::None
    }
}

/// A figure over a provision's pupils: never without n.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// How many pupils it rests on.
    pub n: usize,
    pub median: f64,
    pub lowest: f64,
    pub highest: f64,
}

impl Spread {
    /// The median and range of `values`; None when there are none.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Spread> {
        let mut values: Vec<f64> = values.into_iter().filter(|v| v.is_finite()).collect();
        if values.is_empty() {
            return None;
        }
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let median = if n % 2 == 1 {
            values[n / 2]
        } else {
            (values[n / 2 - 1] + values[n / 2]) / 2.0
        };
        Some(Spread {
            n,
            median,
            lowest: values[0],
            highest: values[n - 1],
        })
    }

    /// The plain warning a small group needs, if it does.
    pub fn warning(&self) -> Option<String> {
        (self.n < FEW_PUPILS).then(|| {
            format!(
                "Only {} pupil{} with both measures: too few to judge the provision by.",
                self.n,
                if self.n == 1 { "" } else { "s" }
            )
        })
    }
}

/// A pupil's outcome against the provision's intended outcome, from -2 (significantly less
/// than expected) to +2 (significantly more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "i8", into = "i8")]
pub struct Rating(i8);

impl Rating {
    pub fn new(value: i8) -> Option<Rating> {
        (-2..=2).contains(&value).then_some(Rating(value))
    }

    pub fn value(self) -> i8 {
        self.0
    }
}

impl TryFrom<i8> for Rating {
    type Error = String;
    fn try_from(value: i8) -> Result<Rating, String> {
        Rating::new(value)
            .ok_or_else(|| format!("an outcome rating of {value} is not from -2 to 2"))
    }
}

impl From<Rating> for i8 {
    fn from(rating: Rating) -> i8 {
        rating.0
    }
}

/// How many pupils fell short of, met or exceeded the intended outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcomes {
    pub fell_short: usize,
    pub met: usize,
    pub exceeded: usize,
}

impl Outcomes {
    pub fn of(ratings: impl IntoIterator<Item = Rating>) -> Outcomes {
        let mut out = Outcomes::default();
        for rating in ratings {
            match rating.0 {
                r if r < 0 => out.fell_short += 1,
                0 => out.met += 1,
                _ => out.exceeded += 1,
            }
        }
        out
    }

    pub fn n(&self) -> usize {
        self.fell_short + self.met + self.exceeded
    }
}

/// A provision's impact over its pupils: gains with their n, ratings against the intended
/// outcome, and how many pupils the figures leave out and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionImpact {
    /// Ratio gains of pupils with a reading or spelling age at entry and exit.
    pub ratio_gains: Option<Spread>,
    /// How many of those made a good ratio gain (2 or more).
    pub good_or_better: usize,
    /// Changes in standardised score.
    pub score_changes: Option<Spread>,
    /// How many of those changed by a meaningful 5 points or more.
    pub meaningful: usize,
    pub outcomes: Outcomes,
    /// Pupils without both an entry and an exit measure yet.
    pub without_both_measures: usize,
    /// Pupils whose two measures cannot be compared (named in their row).
    pub not_comparable: usize,
}

impl ProvisionImpact {
    pub fn of(enrolments: &[super::record::Enrolment]) -> ProvisionImpact {
        let mut ratios = Vec::new();
        let mut changes = Vec::new();
        let mut without_both_measures = 0;
        let mut not_comparable = 0;
        for enrolment in enrolments {
            let (Some(entry), Some(exit)) = (&enrolment.entry, &enrolment.exit) else {
                without_both_measures += 1;
                continue;
            };
            match Gain::between(entry, exit) {
                Ok(Gain::Ratio { ratio, .. }) => ratios.push(ratio),
                Ok(Gain::Standardised { change }) => changes.push(change),
                Ok(Gain::Raw { .. } | Gain::SchoolScale { .. }) => {}
                Err(_) => not_comparable += 1,
            }
        }
        ProvisionImpact {
            good_or_better: ratios.iter().filter(|r| **r >= 2.0).count(),
            ratio_gains: Spread::of(ratios.iter().copied()),
            meaningful: changes.iter().filter(|c| **c >= MEANINGFUL_CHANGE).count(),
            score_changes: Spread::of(changes.iter().map(|c| f64::from(*c))),
            outcomes: Outcomes::of(enrolments.iter().filter_map(|e| e.rating)),
            without_both_measures,
            not_comparable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn reading(months: u16, on: NaiveDate) -> Measured {
        Measured {
            measure: Measure::ReadingAge { months },
            on,
        }
    }

    #[test]
    fn ratio_gain_counts_the_days_that_passed_leap_day_included() {
        // 15 January to 15 April: 91 days in 2028 (a leap year), 90 in 2027.
        let leap = Gain::between(
            &reading(80, day(2028, 1, 15)),
            &reading(86, day(2028, 4, 15)),
        );
        let Ok(Gain::Ratio {
            months_gained,
            months_elapsed,
            ratio,
        }) = leap
        else {
            panic!("{leap:?}");
        };
        assert_eq!(months_gained, 6);
        assert!((months_elapsed - 91.0 / 30.44).abs() < 1e-12);
        assert!((ratio - 6.0 / (91.0 / 30.44)).abs() < 1e-12);
        assert_eq!(format!("{ratio:.2}"), "2.01");
        let plain = Gain::between(
            &reading(80, day(2027, 1, 15)),
            &reading(86, day(2027, 4, 15)),
        );
        let Ok(Gain::Ratio { ratio: plain, .. }) = plain else {
            panic!()
        };
        assert_eq!(format!("{plain:.2}"), "2.03");
        assert_eq!(ratio_band(ratio), RatioBand::Good);
        assert_eq!(ratio_band(4.0), RatioBand::Substantial);
        assert_eq!(ratio_band(1.0), RatioBand::None);
        assert_eq!(ratio_band(1.5), RatioBand::Modest);
    }

    #[test]
    fn measures_that_cannot_be_compared_say_why() {
        let entry = reading(80, day(2027, 1, 15));
        let spelling = Measured {
            measure: Measure::SpellingAge { months: 90 },
            on: day(2027, 4, 15),
        };
        assert_eq!(
            Gain::between(&entry, &spelling),
            Err(NoGain::DifferentMeasures)
        );
        assert_eq!(
            Gain::between(&entry, &reading(90, day(2027, 1, 1))),
            Err(NoGain::ExitBeforeEntry)
        );
        assert_eq!(
            Gain::between(&entry, &reading(90, day(2027, 1, 15))),
            Err(NoGain::SameDay)
        );
        let raw = |score, out_of| Measured {
            measure: Measure::Raw { score, out_of },
            on: day(2027, 4, 15),
        };
        assert_eq!(
            Gain::between(&raw(10, 40), &raw(22, 40)),
            Ok(Gain::Raw {
                change: 12,
                out_of: 40
            })
        );
        assert_eq!(
            Gain::between(&raw(10, 40), &raw(22, 50)),
            Err(NoGain::DifferentMeasures)
        );
        let standardised = |score, on| Measured {
            measure: Measure::Standardised { score },
            on,
        };
        assert_eq!(
            Gain::between(
                &standardised(84, day(2027, 1, 15)),
                &standardised(91, day(2027, 1, 15))
            ),
            Ok(Gain::Standardised { change: 7 }),
            "a standardised score needs no time between"
        );
    }

    #[test]
    fn no_figure_without_its_n_and_a_warning_under_five() {
        let small = Spread::of([2.5, 0.5, 4.0]).unwrap();
        assert_eq!(small.n, 3);
        assert_eq!(small.median, 2.5);
        assert_eq!((small.lowest, small.highest), (0.5, 4.0));
        assert_eq!(
            small.warning().as_deref(),
            Some("Only 3 pupils with both measures: too few to judge the provision by.")
        );
        let five = Spread::of([1.0, 2.0, 3.0, 4.0, 10.0, f64::NAN]).unwrap();
        assert_eq!(five.n, 5, "a value that is not a number is left out");
        assert_eq!(five.median, 3.0);
        assert_eq!(five.warning(), None);
        assert_eq!(Spread::of([1.0, 3.0]).unwrap().median, 2.0);
        assert_eq!(
            Spread::of([7.0]).unwrap().warning().unwrap(),
            "Only 1 pupil with both measures: too few to judge the provision by."
        );
        assert_eq!(Spread::of([]), None);
    }

    #[test]
    fn a_provisions_impact_counts_only_pupils_with_both_measures_and_says_how_many() {
        use super::super::record::Enrolment;
        use crate::domain::PupilId;
        let pupil =
            |id: &str, entry: Option<Measured>, exit: Option<Measured>, rating: i8| Enrolment {
                pupil: PupilId(id.into()),
                joined: day(2027, 1, 4),
                left: None,
                entry,
                exit,
                rating: Rating::new(rating),
                note: String::new(),
                edited: Default::default(),
            };
        let (jan, apr) = (day(2027, 1, 15), day(2027, 4, 15)); // 90 days
        let standardised = |score, on| Measured {
            measure: Measure::Standardised { score },
            on,
        };
        let group = [
            pupil("a", Some(reading(80, jan)), Some(reading(86, apr)), 1),
            pupil("b", Some(reading(90, jan)), Some(reading(91, apr)), -1),
            pupil("c", Some(reading(70, jan)), Some(reading(82, apr)), 2),
            pupil(
                "d",
                Some(standardised(82, jan)),
                Some(standardised(89, apr)),
                0,
            ),
            pupil("e", Some(reading(75, jan)), None, 0),
            pupil("f", Some(reading(75, jan)), Some(standardised(90, apr)), 0),
        ];
        let impact = ProvisionImpact::of(&group);
        let ratios = impact.ratio_gains.unwrap();
        assert_eq!(ratios.n, 3);
        // Gains of 6, 1 and 12 months over 90/30.44 months: the median is 6's.
        assert_eq!(format!("{:.2}", ratios.median), "2.03");
        assert_eq!(
            format!("{:.2} to {:.2}", ratios.lowest, ratios.highest),
            "0.34 to 4.06"
        );
        assert!(ratios.warning().is_some(), "three pupils are too few");
        assert_eq!(impact.good_or_better, 2);
        let scores = impact.score_changes.unwrap();
        assert_eq!((scores.n, scores.median), (1, 7.0));
        assert_eq!(impact.meaningful, 1);
        assert_eq!(impact.without_both_measures, 1);
        assert_eq!(impact.not_comparable, 1);
        assert_eq!(
            impact.outcomes,
            Outcomes {
                fell_short: 1,
                met: 3,
                exceeded: 2
            }
        );
        let empty = ProvisionImpact::of(&[]);
        assert_eq!((empty.ratio_gains, empty.score_changes), (None, None));
    }

    #[test]
    fn ratings_run_from_minus_two_to_two_and_are_counted_against_the_intended_outcome() {
        assert!(Rating::new(3).is_none() && Rating::new(-3).is_none());
        let ratings = [-2, -1, 0, 0, 1, 2].map(|r| Rating::new(r).unwrap());
        let outcomes = Outcomes::of(ratings);
        assert_eq!(
            outcomes,
            Outcomes {
                fell_short: 2,
                met: 2,
                exceeded: 2
            }
        );
        assert_eq!(outcomes.n(), 6);
        // A stored rating out of range is refused as it is read.
        assert!(serde_json::from_str::<Rating>("5").is_err());
        assert_eq!(serde_json::from_str::<Rating>("-2").unwrap().value(), -2);
    }
}
