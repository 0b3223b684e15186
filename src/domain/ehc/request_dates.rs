//! The needs assessment's statutory dates, counted from the day the local authority
//! received the request, and the timeline a request's dates make.

use super::exception::Exception;
use super::{days_after, weeks_after, Standing};
use chrono::NaiveDate;

/// The three limits the regulations set from receipt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Regs 4 and 5: whether to assess, within 6 weeks.
    DecideToAssess,
    /// Reg 10: a decision not to issue a plan, within 16 weeks.
    NotToIssue,
    /// Reg 13(2): the final plan, within 20 weeks.
    FinalPlan,
}

impl Limit {
    pub fn weeks(self) -> u32 {
        match self {
            Limit::DecideToAssess => 6,
            Limit::NotToIssue => 16,
            Limit::FinalPlan => 20,
        }
    }

    pub fn due(self, received: NaiveDate) -> NaiveDate {
        weeks_after(received, self.weeks())
    }
}

/// Anyone asked for advice, the school included, has 6 weeks to give it (reg 8).
pub const ADVICE_WEEKS: u32 = 6;

pub fn advice_due(asked: NaiveDate) -> NaiveDate {
    weeks_after(asked, ADVICE_WEEKS)
}

/// Parents have 15 days to comment on a draft, the day it is served included (reg 13(1)).
pub fn comments_due(draft_served: NaiveDate) -> NaiveDate {
    days_after(draft_served, 14)
}

/// The dates a request has so far, as the SENCO records them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestDates {
    pub received: Option<NaiveDate>,
    /// The decision whether to assess: yes or no, and its date.
    pub decided: Option<(bool, NaiveDate)>,
    pub advice_asked: Option<NaiveDate>,
    pub advice_sent: Option<NaiveDate>,
    pub not_to_issue: Option<NaiveDate>,
    pub draft_issued: Option<NaiveDate>,
    pub final_issued: Option<NaiveDate>,
}

/// One line of the timeline: what, when it is due, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineStep {
    /// A short name that stays the same for the step, for calendar ids.
    pub code: &'static str,
    pub what: &'static str,
    pub due: NaiveDate,
    pub standing: Standing,
    /// Set by law (rather than a courtesy date such as the parents' comments).
    pub statutory: bool,
}

impl TimelineStep {
    pub fn is_open(&self) -> bool {
        !matches!(self.standing, Standing::Done { .. })
    }
}

impl RequestDates {
    /// Every dated step so far, in date order. A limit an exception bears on shows as
    /// lifted unless it was met anyway; nothing is moved.
    pub fn timeline(&self, exceptions: &[Exception], today: NaiveDate) -> Vec<TimelineStep> {
        let Some(received) = self.received else {
            return Vec::new();
        };
        let lifted = |limit: Limit| {
            let due = limit.due(received);
            exceptions.iter().any(|e| e.bears_on(received, due))
        };
        let limit_step = |code, what, limit: Limit, done: Option<NaiveDate>| {
            let due = limit.due(received);
            let plain = Standing::of(due, done, today);
            let met = matches!(plain, Standing::Done { days_late: 0, .. });
            let standing = if lifted(limit) && !met {
                Standing::LimitLifted
            } else {
                plain
            };
            TimelineStep {
                code,
                what,
                due,
                standing,
                statutory: true,
            }
        };
        let mut steps = vec![limit_step(
            "decide",
            "Local authority decides whether to assess",
            Limit::DecideToAssess,
            self.decided.map(|(_, on)| on),
        )];
        if let Some(asked) = self.advice_asked {
            steps.push(TimelineStep {
                code: "advice",
                what: "School's advice due",
                due: advice_due(asked),
                standing: Standing::of(advice_due(asked), self.advice_sent, today),
                statutory: true,
            });
        }
        let refused_to_assess = matches!(self.decided, Some((false, _)));
        if !refused_to_assess {
            // Either answer meets the 16-week limit: a draft shows the plan will be issued.
            let answered = self
                .not_to_issue
                .or(self.draft_issued)
                .or(self.final_issued);
            steps.push(limit_step(
                "not-to-issue",
                "Local authority says if it will not issue a plan",
                Limit::NotToIssue,
                answered,
            ));
            if self.not_to_issue.is_none() {
                if let Some(draft) = self.draft_issued {
                    // The parents' window: it ends on its day whatever they do.
                    let due = comments_due(draft);
                    let ended = today > due || self.final_issued.is_some();
                    steps.push(TimelineStep {
                        code: "comments",
                        what: "Parents' comments on the draft due",
                        due,
                        standing: if ended {
                            Standing::Done {
                                on: due.min(self.final_issued.unwrap_or(due)),
                                days_late: 0,
                            }
                        } else {
                            Standing::of(due, None, today)
                        },
                        statutory: false,
                    });
                }
                steps.push(limit_step(
                    "final",
                    "Final plan issued",
                    Limit::FinalPlan,
                    self.final_issued,
                ));
            }
        }
        steps.sort_by_key(|s| s.due);
        steps
    }

    /// The first step still open, the one the SENCO is waiting on.
    pub fn next_step(&self, exceptions: &[Exception], today: NaiveDate) -> Option<TimelineStep> {
        self.timeline(exceptions, today)
            .into_iter()
            .find(TimelineStep::is_open)
    }

    /// The largest number of days the local authority is past a statutory limit.
    pub fn days_late(&self, exceptions: &[Exception], today: NaiveDate) -> u32 {
        self.timeline(exceptions, today)
            .iter()
            .filter(|s| s.statutory && s.code != "advice")
            .map(|s| match s.standing {
                Standing::Late { days_late } | Standing::Done { days_late, .. } => days_late,
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ehc::d;
    use crate::domain::ehc::exception::ExceptionKind;

    #[test]
    fn a_request_received_on_23_november_2026_has_its_regulation_dates() {
        let received = d("23/11/2026");
        assert_eq!(Limit::DecideToAssess.due(received), d("04/01/2027"));
        assert_eq!(Limit::NotToIssue.due(received), d("15/03/2027"));
        assert_eq!(Limit::FinalPlan.due(received), d("12/04/2027"));
        assert_eq!(advice_due(d("11/01/2027")), d("22/02/2027"));
        // 15 days beginning with the day the draft is served.
        assert_eq!(comments_due(d("01/03/2027")), d("15/03/2027"));
    }

    #[test]
    fn limits_cross_month_ends_and_a_leap_day() {
        assert_eq!(Limit::DecideToAssess.due(d("31/01/2028")), d("13/03/2028"));
        assert_eq!(Limit::FinalPlan.due(d("15/10/2027")), d("03/03/2028"));
        assert_eq!(comments_due(d("20/02/2028")), d("05/03/2028"));
        assert_eq!(comments_due(d("20/02/2027")), d("06/03/2027"));
    }

    fn request() -> RequestDates {
        RequestDates {
            received: Some(d("23/11/2026")),
            ..Default::default()
        }
    }

    #[test]
    fn the_timeline_shows_what_is_next_with_days_left_then_late() {
        let mut r = request();
        let next = r.next_step(&[], d("01/01/2027")).unwrap();
        assert_eq!(next.what, "Local authority decides whether to assess");
        assert_eq!(next.standing, Standing::Due { days_left: 3 });
        assert_eq!(r.days_late(&[], d("14/01/2027")), 10);
        r.decided = Some((true, d("08/01/2027")));
        r.advice_asked = Some(d("11/01/2027"));
        let next = r.next_step(&[], d("20/01/2027")).unwrap();
        assert_eq!(next.what, "School's advice due");
        assert_eq!(next.due, d("22/02/2027"));
        r.advice_sent = Some(d("15/02/2027"));
        r.draft_issued = Some(d("01/03/2027"));
        let steps = r.timeline(&[], d("02/03/2027"));
        assert_eq!(
            steps.iter().map(|s| s.what).collect::<Vec<_>>(),
            [
                "Local authority decides whether to assess",
                "School's advice due",
                // Both on 15/03/2027: the order they happen in.
                "Local authority says if it will not issue a plan",
                "Parents' comments on the draft due",
                "Final plan issued"
            ]
        );
        assert_eq!(
            steps[0].standing,
            Standing::Done {
                on: d("08/01/2027"),
                days_late: 4
            }
        );
        // The final plan a week late: the case says so.
        r.final_issued = Some(d("19/04/2027"));
        assert_eq!(r.next_step(&[], d("20/04/2027")), None);
        assert_eq!(r.days_late(&[], d("20/04/2027")), 7);
    }

    #[test]
    fn a_refusal_to_assess_ends_the_timeline() {
        let mut r = request();
        r.decided = Some((false, d("30/12/2026")));
        let steps = r.timeline(&[], d("10/01/2027"));
        assert_eq!(steps.len(), 1);
        assert_eq!(r.next_step(&[], d("10/01/2027")), None);
    }

    #[test]
    fn across_the_summer_holiday_the_limit_is_lifted_only_with_a_recorded_exception() {
        let mut r = RequestDates {
            received: Some(d("01/07/2027")),
            decided: Some((true, d("10/08/2027"))),
            advice_asked: Some(d("20/07/2027")),
            ..Default::default()
        };
        // 20 weeks from 01/07/2027 is 18/11/2027.
        assert_eq!(Limit::FinalPlan.due(d("01/07/2027")), d("18/11/2027"));
        let without = r.timeline(&[], d("25/11/2027"));
        let last = without.last().unwrap();
        assert_eq!(last.what, "Final plan issued");
        assert_eq!(last.standing, Standing::Late { days_late: 7 });
        let summer = Exception {
            kind: ExceptionKind::SchoolClosure,
            reason: "Summer holiday".into(),
            from: d("22/07/2027"),
            to: d("31/08/2027"),
        };
        assert_eq!(summer.check(r.advice_asked), Ok(()));
        let with = r.timeline(std::slice::from_ref(&summer), d("25/11/2027"));
        let last = with.last().unwrap();
        // Not moved: the same date, said not to apply.
        assert_eq!(last.due, d("18/11/2027"));
        assert_eq!(last.standing, Standing::LimitLifted);
        assert_eq!(
            r.days_late(std::slice::from_ref(&summer), d("25/11/2027")),
            0
        );
        // A limit met on time still shows as met.
        r.final_issued = Some(d("10/11/2027"));
        let met = r.timeline(std::slice::from_ref(&summer), d("25/11/2027"));
        assert!(matches!(
            met.last().unwrap().standing,
            Standing::Done { days_late: 0, .. }
        ));
    }
}
