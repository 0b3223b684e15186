//! Money for the provision map: every amount is whole pence, and every cost is kept as an
//! exact fraction of a penny until it is shown, so sums never drift as floating point does
//! (a rate an hour over a few minutes, shared by a group of three, is a fraction of a penny).

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in pence.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Pence(pub i64);

/// The most any one amount typed in may be: £10,000,000.00.
pub const MOST_PENCE: i64 = 1_000_000_000;

/// Why a typed amount was refused, to show beside the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyProblem {
    Empty,
    NotAnAmount,
    TooManyPlaces,
    Negative,
    TooLarge,
}

impl fmt::Display for MoneyProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MoneyProblem::Empty => "Enter an amount in pounds, such as 14.50",
            MoneyProblem::NotAnAmount => "Enter an amount in pounds, such as 14.50",
            MoneyProblem::TooManyPlaces => {
                "Enter pounds and pence, with at most two figures after the point"
            }
            MoneyProblem::Negative => "Enter an amount of zero or more",
            MoneyProblem::TooLarge => "Enter an amount of at most £10,000,000",
        })
    }
}

impl Pence {
    /// Reads an amount as people type it: "14", "14.5", "14.50", "£1,234.56", " 3.00 ".
    pub fn parse(text: &str) -> Result<Pence, MoneyProblem> {
        let text = text.trim();
        let text = text.strip_prefix('£').unwrap_or(text).trim_start();
        if text.is_empty() {
            return Err(MoneyProblem::Empty);
        }
        if text.starts_with('-') || text.starts_with('\u{2212}') {
            return Err(MoneyProblem::Negative);
        }
        let (pounds, pence) = match text.split_once('.') {
            Some((pounds, pence)) => (pounds, Some(pence)),
            None => (text, None),
        };
        let pounds = pounds_digits(pounds).ok_or(MoneyProblem::NotAnAmount)?;
        let pence = match pence {
            None => 0,
            Some(p) if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(MoneyProblem::NotAnAmount)
            }
            Some(p) if p.len() > 2 => return Err(MoneyProblem::TooManyPlaces),
            Some(p) if p.len() == 1 => i64::from(p.as_bytes()[0] - b'0') * 10,
            Some(p) => p.parse::<i64>().map_err(|_| MoneyProblem::NotAnAmount)?,
        };
        let total = pounds
            .checked_mul(100)
            .and_then(|p| p.checked_add(pence))
            .ok_or(MoneyProblem::TooLarge)?;
        if total > MOST_PENCE {
            return Err(MoneyProblem::TooLarge);
        }
        Ok(Pence(total))
    }
}

/// Whole pounds, with or without thousands commas in their places ("1,234", "1234").
fn pounds_digits(text: &str) -> Option<i64> {
    if text.is_empty() {
        return Some(0);
    }
    let groups: Vec<&str> = text.split(',').collect();
    let well_placed = groups.len() == 1
        || (!groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3));
    if !well_placed {
        return None;
    }
    let digits: String = groups.concat();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 12 {
        return None;
    }
    digits.parse().ok()
}

impl fmt::Display for Pence {
    /// "£1,234.56"; "-£3.10" below zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let whole = self.0.unsigned_abs();
        let pounds = (whole / 100).to_string();
        let mut grouped = String::with_capacity(pounds.len() + pounds.len() / 3);
        for (i, digit) in pounds.chars().enumerate() {
            if i > 0 && (pounds.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        write!(f, "{sign}£{grouped}.{:02}", whole % 100)
    }
}

/// The finest fraction of a penny kept: a trillionth. Two such denominators multiply to
/// 10^24, and any real amount (below 10^12 pence) times that stays within i128.
const FINEST: i128 = 1_000_000_000_000;

/// A cost before it is rounded to the penny: a fraction of pence, kept in lowest terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExactCost {
    numerator: i128,
    denominator: i128,
}

impl Default for ExactCost {
    fn default() -> Self {
        ExactCost::ZERO
    }
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

impl ExactCost {
    pub const ZERO: ExactCost = ExactCost {
        numerator: 0,
        denominator: 1,
    };

    fn new(numerator: i128, denominator: i128) -> ExactCost {
        debug_assert!(denominator > 0);
        let common = gcd(numerator, denominator);
        let (numerator, denominator) = (numerator / common, denominator / common);
        if denominator <= FINEST {
            return ExactCost {
                numerator,
                denominator,
            };
        }
        // Shares among many different group sizes would make the denominator grow past
        // what i128 holds: beyond a trillionth of a penny, keep trillionths (rounded), so
        // sums stay exact far below the penny shown and never overflow.
        let whole = numerator.div_euclid(denominator);
        let rest = numerator.rem_euclid(denominator);
        let part = (rest * FINEST + denominator / 2) / denominator;
        let numerator = whole * FINEST + part;
        let common = gcd(numerator, FINEST);
        ExactCost {
            numerator: numerator / common,
            denominator: FINEST / common,
        }
    }

    pub fn of(amount: Pence) -> ExactCost {
        ExactCost::new(i128::from(amount.0), 1)
    }

    /// Staff time: `minutes` at `hourly` pence an hour.
    pub fn of_minutes(hourly: Pence, minutes: u32) -> ExactCost {
        ExactCost::new(i128::from(hourly.0) * i128::from(minutes), 60)
    }

    /// One share of this cost among `people` (a group's session shared by those in it).
    pub fn shared_by(self, people: u32) -> ExactCost {
        ExactCost::new(self.numerator, self.denominator * i128::from(people.max(1)))
    }

    /// This cost `n` times over.
    pub fn times(self, n: u32) -> ExactCost {
        ExactCost::new(self.numerator * i128::from(n), self.denominator)
    }

    /// Rounded to the nearest penny, a half penny away from zero: done once, when shown.
    pub fn rounded(self) -> Pence {
        let doubled = 2 * self.numerator.abs() + self.denominator;
        let whole = doubled / (2 * self.denominator);
        let signed = if self.numerator < 0 { -whole } else { whole };
        Pence(i64::try_from(signed).unwrap_or(if signed < 0 { i64::MIN } else { i64::MAX }))
    }

    /// Whether the cost is a whole number of pence (no rounding in showing it).
    pub fn is_whole(self) -> bool {
        self.denominator == 1
    }
}

impl Ord for ExactCost {
    fn cmp(&self, other: &ExactCost) -> std::cmp::Ordering {
        // Denominators are always positive.
        (self.numerator * other.denominator).cmp(&(other.numerator * self.denominator))
    }
}

impl PartialOrd for ExactCost {
    fn partial_cmp(&self, other: &ExactCost) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::ops::Add for ExactCost {
    type Output = ExactCost;
    fn add(self, other: ExactCost) -> ExactCost {
        let common = gcd(self.denominator, other.denominator);
        let denominator = self.denominator / common * other.denominator;
        ExactCost::new(
            self.numerator * (denominator / self.denominator)
                + other.numerator * (denominator / other.denominator),
            denominator,
        )
    }
}

impl std::ops::AddAssign for ExactCost {
    fn add_assign(&mut self, other: ExactCost) {
        *self = *self + other;
    }
}

impl std::iter::Sum for ExactCost {
    fn sum<I: Iterator<Item = ExactCost>>(costs: I) -> ExactCost {
        costs.fold(ExactCost::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_among_every_group_size_up_to_a_hundred_never_overflow() {
        // The denominators' least common multiple would pass i128 by 1 to 100.
        let session = ExactCost::of_minutes(Pence(1437), 30);
        let mut total = ExactCost::ZERO;
        let mut expected = 0.0f64;
        for _ in 0..50 {
            for people in 1..=100u32 {
                total += session.shared_by(people);
                expected += 718.5 / f64::from(people);
            }
        }
        assert!(
            (total.rounded().0 as f64 - expected).abs() <= 1.0,
            "{total:?} vs {expected}"
        );
        // Small exact sums stay exact.
        assert_eq!(session.shared_by(3).times(3), session);
    }

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(Pence::parse("14"), Ok(Pence(1400)));
        assert_eq!(Pence::parse("14.5"), Ok(Pence(1450)));
        assert_eq!(Pence::parse(" £14.05 "), Ok(Pence(1405)));
        assert_eq!(Pence::parse("£1,234.56"), Ok(Pence(123_456)));
        assert_eq!(Pence::parse("0.99"), Ok(Pence(99)));
        assert_eq!(Pence::parse(".50"), Ok(Pence(50)));
        assert_eq!(Pence::parse("10000000"), Ok(Pence(MOST_PENCE)));
    }

    #[test]
    fn amounts_that_are_not_money_are_refused_with_a_reason() {
        assert_eq!(Pence::parse(""), Err(MoneyProblem::Empty));
        assert_eq!(Pence::parse("£"), Err(MoneyProblem::Empty));
        assert_eq!(Pence::parse("14.505"), Err(MoneyProblem::TooManyPlaces));
        assert_eq!(Pence::parse("-3"), Err(MoneyProblem::Negative));
        assert_eq!(Pence::parse("10000000.01"), Err(MoneyProblem::TooLarge));
        assert_eq!(
            Pence::parse("99999999999999"),
            Err(MoneyProblem::NotAnAmount)
        );
        for bad in ["abc", "1,23.00", "12.", "1e3", "12,34", "£ 1.2.3", "1 000"] {
            assert_eq!(Pence::parse(bad), Err(MoneyProblem::NotAnAmount), "{bad}");
        }
    }

    #[test]
    fn amounts_show_in_pounds_with_commas_and_two_places() {
        assert_eq!(Pence(0).to_string(), "£0.00");
        assert_eq!(Pence(5).to_string(), "£0.05");
        assert_eq!(Pence(123_456).to_string(), "£1,234.56");
        assert_eq!(Pence(600_000).to_string(), "£6,000.00");
        assert_eq!(Pence(123_456_789).to_string(), "£1,234,567.89");
        assert_eq!(Pence(-310).to_string(), "-£3.10");
    }

    #[test]
    fn a_ta_at_a_rate_with_pence_costs_exactly_what_a_person_works_out() {
        // £14.37 an hour, 30 minutes: 718.5p, shown as £7.19 (half a penny rounds up).
        let session = ExactCost::of_minutes(Pence(1437), 30);
        assert!(!session.is_whole());
        assert_eq!(session.rounded(), Pence(719));
        // 36 such sessions: 25,866p exactly, not 36 x 719p = 25,884p.
        let block: ExactCost = (0..36).map(|_| session).sum();
        assert!(block.is_whole());
        assert_eq!(block.rounded(), Pence(25_866));
        // Shared by a group of three, each share is a third of a 718.5p session.
        let share = session.shared_by(3);
        assert_eq!(share.rounded(), Pence(240)); // 239.5p
        assert_eq!((share + share + share).rounded(), Pence(719));
        // A thousand shares of a seventh add up exactly (floating point would drift).
        let seventh = ExactCost::of(Pence(100)).shared_by(7);
        let total: ExactCost = (0..7_000).map(|_| seventh).sum();
        assert_eq!(total, ExactCost::of(Pence(100_000)));
    }

    #[test]
    fn rounding_is_half_a_penny_away_from_zero() {
        assert_eq!(ExactCost::of_minutes(Pence(1), 30).rounded(), Pence(1)); // 0.5p
        assert_eq!(ExactCost::of_minutes(Pence(1), 29).rounded(), Pence(0));
        assert_eq!(ExactCost::of_minutes(Pence(-1), 30).rounded(), Pence(-1));
        assert_eq!(ExactCost::of(Pence(250)).shared_by(2).rounded(), Pence(125));
        assert_eq!(ExactCost::ZERO.shared_by(0).rounded(), Pence(0));
    }
}
