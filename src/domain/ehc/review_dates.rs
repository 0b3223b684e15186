//! Annual reviews (regs 20 to 22): when the next is due, and the checklist worked back and
//! forward from its meeting.

use super::{days_after, months_after, weeks_after, weeks_before};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The school's lead times before a review meeting, in weeks (settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadTimes {
    pub invite_weeks: u32,
    pub advice_weeks: u32,
    pub papers_weeks: u32,
}

/// Invitations and papers go at least 2 weeks before the meeting (reg 20).
pub const LEAST_NOTICE_WEEKS: u32 = 2;

impl Default for LeadTimes {
    fn default() -> Self {
        LeadTimes {
            invite_weeks: 8,
            advice_weeks: 10,
            papers_weeks: LEAST_NOTICE_WEEKS,
        }
    }
}

impl LeadTimes {
    /// What is wrong with these lead times, if anything, in words for the settings form.
    pub fn problem(&self) -> Option<String> {
        if self.invite_weeks < LEAST_NOTICE_WEEKS || self.papers_weeks < LEAST_NOTICE_WEEKS {
            return Some("Invitations and papers go at least 2 weeks before the meeting.".into());
        }
        if [self.invite_weeks, self.advice_weeks, self.papers_weeks]
            .iter()
            .any(|w| *w > 26)
        {
            return Some("A lead time is at most 26 weeks.".into());
        }
        None
    }
}

/// How often a plan is reviewed: 12 months; for a child under 5, 3 to 6 months (6 unless set).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewCycle {
    /// Months between reviews chosen for a child under 5; `None` is the default 6.
    pub under_five_months: Option<u32>,
}

impl ReviewCycle {
    pub fn months(&self, born: Option<NaiveDate>, on: NaiveDate) -> u32 {
        let under_five = born.is_some_and(|b| months_after(b, 60) > on);
        if under_five {
            self.under_five_months.unwrap_or(6).clamp(3, 6)
        } else {
            12
        }
    }

    /// The next review's latest date: the cycle's months after the plan was issued or the
    /// last review meeting, whichever is later.
    pub fn next_due(&self, born: Option<NaiveDate>, since: NaiveDate) -> NaiveDate {
        months_after(since, self.months(born, since))
    }
}

/// Each step of a review, in date order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStep {
    AskForAdvice,
    Invite,
    SendPapers,
    Meeting,
    ReportToLa,
    LaDecision,
    AmendedPlan,
}

impl ReviewStep {
    pub const ALL: [ReviewStep; 7] = [
        ReviewStep::AskForAdvice,
        ReviewStep::Invite,
        ReviewStep::SendPapers,
        ReviewStep::Meeting,
        ReviewStep::ReportToLa,
        ReviewStep::LaDecision,
        ReviewStep::AmendedPlan,
    ];

    /// A short name that stays the same, for calendar ids and stored ticks.
    pub fn code(self) -> &'static str {
        match self {
            ReviewStep::AskForAdvice => "ask-for-advice",
            ReviewStep::Invite => "invite",
            ReviewStep::SendPapers => "send-papers",
            ReviewStep::Meeting => "meeting",
            ReviewStep::ReportToLa => "report-to-la",
            ReviewStep::LaDecision => "la-decision",
            ReviewStep::AmendedPlan => "amended-plan",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewStep::AskForAdvice => "Ask professionals for advice",
            ReviewStep::Invite => "Invite everyone",
            ReviewStep::SendPapers => "Send the papers",
            ReviewStep::Meeting => "Review meeting",
            ReviewStep::ReportToLa => "Review report to the local authority",
            ReviewStep::LaDecision => "Local authority's decision (with any proposed amendments)",
            ReviewStep::AmendedPlan => "Amended final plan",
        }
    }

    /// Whether the school does this step (the rest are the local authority's).
    pub fn by_school(self) -> bool {
        !matches!(self, ReviewStep::LaDecision | ReviewStep::AmendedPlan)
    }
}

/// The date each step is due for a meeting on `meeting`. The amended plan is due 8 weeks
/// after the proposed amendments and never later than 12 weeks after the meeting.
pub fn step_due(
    step: ReviewStep,
    meeting: NaiveDate,
    lead: &LeadTimes,
    amendments_proposed: Option<NaiveDate>,
) -> NaiveDate {
    match step {
        ReviewStep::AskForAdvice => weeks_before(meeting, lead.advice_weeks),
        ReviewStep::Invite => weeks_before(meeting, lead.invite_weeks.max(LEAST_NOTICE_WEEKS)),
        ReviewStep::SendPapers => weeks_before(meeting, lead.papers_weeks.max(LEAST_NOTICE_WEEKS)),
        ReviewStep::Meeting => meeting,
        ReviewStep::ReportToLa => days_after(meeting, 14),
        ReviewStep::LaDecision => weeks_after(meeting, 4),
        ReviewStep::AmendedPlan => {
            let latest = weeks_after(meeting, 12);
            amendments_proposed
                .map(|p| weeks_after(p, 8).min(latest))
                .unwrap_or(latest)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ehc::d;

    #[test]
    fn a_review_meeting_on_10_march_2027_has_its_regulation_dates() {
        let meeting = d("10/03/2027");
        let lead = LeadTimes::default();
        let due = |step| step_due(step, meeting, &lead, None);
        assert_eq!(due(ReviewStep::ReportToLa), d("24/03/2027"));
        assert_eq!(due(ReviewStep::LaDecision), d("07/04/2027"));
        assert_eq!(due(ReviewStep::AmendedPlan), d("02/06/2027"));
        assert_eq!(due(ReviewStep::Invite), d("13/01/2027"));
        assert_eq!(due(ReviewStep::AskForAdvice), d("30/12/2026"));
        assert_eq!(due(ReviewStep::SendPapers), d("24/02/2027"));
        // Amendments proposed on 01/04/2027: 8 weeks after is 27/05/2027, before the 12 weeks.
        assert_eq!(
            step_due(
                ReviewStep::AmendedPlan,
                meeting,
                &lead,
                Some(d("01/04/2027"))
            ),
            d("27/05/2027")
        );
        // Proposed late, the 12 weeks from the meeting still bind.
        assert_eq!(
            step_due(
                ReviewStep::AmendedPlan,
                meeting,
                &lead,
                Some(d("20/04/2027"))
            ),
            d("02/06/2027")
        );
    }

    #[test]
    fn invitations_never_go_less_than_two_weeks_ahead() {
        let short = LeadTimes {
            invite_weeks: 1,
            advice_weeks: 3,
            papers_weeks: 1,
        };
        assert!(short.problem().is_some());
        assert_eq!(
            step_due(ReviewStep::Invite, d("10/03/2027"), &short, None),
            d("24/02/2027")
        );
        assert_eq!(LeadTimes::default().problem(), None);
    }

    #[test]
    fn a_plan_is_reviewed_within_12_months_or_6_for_an_under_5() {
        let cycle = ReviewCycle {
            under_five_months: None,
        };
        let ten = Some(d("01/09/2016"));
        assert_eq!(cycle.next_due(ten, d("10/03/2027")), d("10/03/2028"));
        let three = Some(d("01/06/2023"));
        assert_eq!(cycle.months(three, d("01/12/2026")), 6);
        assert_eq!(cycle.next_due(three, d("01/12/2026")), d("01/06/2027"));
        // Set to 3 months; a setting outside 3 to 6 is held to it.
        let quarterly = ReviewCycle {
            under_five_months: Some(3),
        };
        assert_eq!(quarterly.next_due(three, d("30/11/2026")), d("28/02/2027"));
        let odd = ReviewCycle {
            under_five_months: Some(9),
        };
        assert_eq!(odd.months(three, d("01/12/2026")), 6);
        // From the fifth birthday, the 12-month cycle.
        assert_eq!(cycle.months(three, d("01/06/2028")), 12);
        // A leap day issue date reviewed a year on.
        assert_eq!(cycle.next_due(ten, d("29/02/2028")), d("28/02/2029"));
    }
}
