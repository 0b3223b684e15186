//! Putting EHC records into a pupil's file: each save checked whole, the case given its
//! reference, and a final plan recorded in the SEN status history as E from its date.

use super::plan::EhcPlan;
use super::request::NeedsAssessmentRequest;
use super::review::AnnualReview;
use crate::domain::dates::format_uk;
use crate::domain::desk::Desk;
use crate::domain::sen::{SenStatus, StatusChange};
use crate::domain::PupilFile;
use chrono::{DateTime, NaiveDate, Utc};

/// The reason the status history gives for an E that came from a final plan.
pub fn final_plan_reason(local_authority: &str) -> String {
    format!("Final EHC plan issued by {}", local_authority.trim())
}

impl Desk {
    /// The number for a new case's reference: one more than the highest on the desk.
    pub fn next_case_number(&self) -> u32 {
        self.files()
            .map(|f| f.ehc.case_number)
            .max()
            .unwrap_or(0)
            .saturating_add(1)
            .clamp(1, 99_999)
    }
}

fn put<T: Clone>(list: &mut Vec<T>, record: T, id: impl Fn(&T) -> &String) {
    let record_id = id(&record).clone();
    match list
        .iter_mut()
        .find(|r| !record_id.is_empty() && *id(r) == record_id)
    {
        Some(there) => *there = record,
        None => list.push(record),
    }
}

impl PupilFile {
    /// Applies `change` only if the EHC record then keeps every limit a backup checks
    /// (text lengths, lines), so the desk never holds what its own backup would refuse;
    /// otherwise nothing changes and the problem is named.
    fn within_limits(
        &mut self,
        change: impl FnOnce(&mut PupilFile) -> Result<(), String>,
    ) -> Result<(), String> {
        let before = self.clone();
        change(self)?;
        let mut checked = self.ehc.clone();
        checked.case_number = checked.case_number.max(1);
        // Ids are given by the store on saving: stand-ins for the check.
        let mut n = 0u64;
        checked.give_ids(|| {
            n += 1;
            format!("{:016x}", u64::MAX - n)
        });
        if let Err(problem) = checked.check(NaiveDate::MAX) {
            *self = before;
            return Err(format!(
                "This cannot be saved: {problem}. A text may hold at most {} characters, and a list {} lines.",
                crate::domain::ehc::record::MAX_EHC_TEXT,
                crate::domain::ehc::record::MAX_EHC_LINES
            ));
        }
        Ok(())
    }

    /// Adds or replaces a request (see `put_ehc_request_unchecked`), within the limits.
    pub fn put_ehc_request(
        &mut self,
        request: NeedsAssessmentRequest,
        school: &str,
        now: DateTime<Utc>,
    ) -> Result<(), String> {
        self.within_limits(|f| f.put_ehc_request_unchecked(request, school, now))
    }

    /// Adds or replaces the plan (by id), within the limits.
    pub fn put_ehc_plan(&mut self, plan: EhcPlan, now: DateTime<Utc>) -> Result<(), String> {
        self.within_limits(|f| f.put_ehc_plan_unchecked(plan, now))
    }

    /// Adds or replaces a review (see `put_ehc_review_unchecked`), within the limits.
    pub fn put_ehc_review(
        &mut self,
        review: AnnualReview,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<(), String> {
        self.within_limits(|f| f.put_ehc_review_unchecked(review, now, today))
    }

    /// Gives the case its reference number if it has none yet.
    pub fn open_ehc_case(&mut self, next_number: u32) {
        if self.ehc.case_number == 0 {
            self.ehc.case_number = next_number;
        }
    }

    /// Adds or replaces a request (by id). A final plan recorded on it for the first time
    /// puts E in the status history from that day (unless E is already in force then), and
    /// starts the plan's record from the request when no plan of that date is kept yet.
    fn put_ehc_request_unchecked(
        &mut self,
        mut request: NeedsAssessmentRequest,
        school: &str,
        now: DateTime<Utc>,
    ) -> Result<(), String> {
        if let Some(problem) = request.problems().first() {
            return Err(problem.to_string());
        }
        let before = self
            .ehc
            .requests
            .iter()
            .find(|r| !request.id.is_empty() && r.id == request.id)
            .and_then(|r| r.final_issued);
        request.edited_at = Some(now);
        let final_issued = request.final_issued.filter(|_| before.is_none());
        let authority = request.local_authority.clone();
        put(&mut self.ehc.requests, request, |r| &r.id);
        self.ehc
            .requests
            .sort_by(|a, b| (a.received, &a.id).cmp(&(b.received, &b.id)));
        if let Some(on) = final_issued {
            self.record_final_plan(on, &authority, school, now);
        }
        Ok(())
    }

    fn record_final_plan(
        &mut self,
        on: NaiveDate,
        authority: &str,
        school: &str,
        now: DateTime<Utc>,
    ) {
        if self.sen.status_on(on) != SenStatus::EhcPlan {
            let change = StatusChange {
                from: on,
                status: SenStatus::EhcPlan,
                reason: final_plan_reason(authority),
                recorded_at: now,
            };
            let at = self
                .sen
                .status_changes
                .partition_point(|c| (c.from, c.recorded_at) <= (change.from, change.recorded_at));
            self.sen.status_changes.insert(at, change);
        }
        if !self.ehc.plans.iter().any(|p| p.issued == on) {
            let mut plan = EhcPlan::new(authority, on, school);
            plan.edited_at = Some(now);
            self.ehc.plans.push(plan);
        }
    }

    /// Adds or replaces the plan (by id).
    fn put_ehc_plan_unchecked(
        &mut self,
        mut plan: EhcPlan,
        now: DateTime<Utc>,
    ) -> Result<(), String> {
        if let Some(problem) = plan.problems().first() {
            return Err(problem.to_string());
        }
        plan.edited_at = Some(now);
        put(&mut self.ehc.plans, plan, |p| &p.id);
        self.ehc
            .plans
            .sort_by(|a, b| (a.issued, &a.id).cmp(&(b.issued, &b.id)));
        Ok(())
    }

    /// Adds or replaces a review (by id). A review the local authority decided to cease
    /// does not end the plan by itself: the plan's ceased date is the SENCO's to record.
    fn put_ehc_review_unchecked(
        &mut self,
        mut review: AnnualReview,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<(), String> {
        if let Some(problem) = review.problems(today).first() {
            return Err(problem.to_string());
        }
        if self.ehc.current_plan().is_none() {
            return Err("Record the EHC plan before scheduling its review.".into());
        }
        let clash = self
            .ehc
            .reviews
            .iter()
            .any(|r| r.id != review.id && r.meeting == review.meeting);
        if clash {
            return Err(format!(
                "A review on {} is already recorded.",
                format_uk(review.meeting)
            ));
        }
        review.edited_at = Some(now);
        put(&mut self.ehc.reviews, review, |r| &r.id);
        self.ehc
            .reviews
            .sort_by(|a, b| (a.meeting, &a.id).cmp(&(b.meeting, &b.id)));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ehc::d;
    use crate::domain::ehc::request::{AssessDecision, Requester};
    use crate::domain::PupilId;
    use crate::test_support::pupil;

    fn file() -> PupilFile {
        let mut p = pupil("Ava", "Hughes");
        p.id = PupilId("00000000000000a1".into());
        PupilFile::new(p, Utc::now())
    }

    #[test]
    fn a_final_plan_puts_e_in_the_status_history_from_its_date_and_starts_the_plan() {
        let mut f = file();
        f.open_ehc_case(42);
        let mut request =
            NeedsAssessmentRequest::new(Requester::Parent, "Northshire", d("23/11/2026"));
        // The store gives the id on the first save.
        request.id = "00000000000000c1".into();
        f.put_ehc_request(request.clone(), "Oakfield Primary", Utc::now())
            .unwrap();
        assert_eq!(f.sen.status_on(d("01/06/2027")), SenStatus::NoSen);
        request = f.ehc.requests[0].clone();
        request.decided = Some(AssessDecision {
            assess: true,
            on: d("04/01/2027"),
        });
        request.draft_issued = Some(d("01/03/2027"));
        request.final_issued = Some(d("12/04/2027"));
        f.put_ehc_request(request, "Oakfield Primary", Utc::now())
            .unwrap();
        assert_eq!(f.ehc.requests.len(), 1, "replaced, not added");
        assert_eq!(f.sen.status_on(d("11/04/2027")), SenStatus::NoSen);
        assert_eq!(f.sen.status_on(d("12/04/2027")), SenStatus::EhcPlan);
        let change = f.sen.status_changes.last().unwrap();
        assert_eq!(change.reason, "Final EHC plan issued by Northshire");
        let plan = f.ehc.current_plan().unwrap();
        assert_eq!(plan.issued, d("12/04/2027"));
        assert_eq!(plan.named_school, "Oakfield Primary");
        assert_eq!(f.ehc.reference(), "EHC-0042");
        // The pupil's timeline shows each step on its date.
        let timeline = f.timeline();
        let on = |date: &str, text: &str| {
            timeline
                .iter()
                .any(|e| e.date == d(date) && e.kind == "EHC" && e.text.starts_with(text))
        };
        assert!(on(
            "23/11/2026",
            "EHC needs assessment request received by Northshire"
        ));
        assert!(on("04/01/2027", "Local authority decided to assess"));
        assert!(on("12/04/2027", "Final EHC plan issued"));
    }

    #[test]
    fn a_request_with_steps_out_of_order_changes_nothing() {
        let mut f = file();
        let mut request =
            NeedsAssessmentRequest::new(Requester::School, "Northshire", d("23/11/2026"));
        request.final_issued = Some(d("12/04/2027"));
        let error = f
            .put_ehc_request(request, "Oakfield", Utc::now())
            .unwrap_err();
        assert_eq!(error, "Record the draft plan first.");
        assert!(f.ehc.requests.is_empty());
        assert!(f.sen.status_changes.is_empty());
    }

    #[test]
    fn a_review_needs_a_plan_and_its_own_date() {
        let mut f = file();
        let review = AnnualReview::new(d("10/03/2027"));
        assert!(f
            .put_ehc_review(review.clone(), Utc::now(), d("01/12/2026"))
            .is_err());
        f.put_ehc_plan(
            EhcPlan::new("Northshire", d("15/03/2026"), "Oakfield"),
            Utc::now(),
        )
        .unwrap();
        f.put_ehc_review(review.clone(), Utc::now(), d("01/12/2026"))
            .unwrap();
        f.ehc.reviews[0].id = "00000000000000b1".into();
        let error = f
            .put_ehc_review(review, Utc::now(), d("01/12/2026"))
            .unwrap_err();
        assert_eq!(error, "A review on 10/03/2027 is already recorded.");
    }

    #[test]
    fn a_text_over_the_limit_is_refused_and_nothing_changes() {
        let mut f = file();
        f.put_ehc_plan(
            EhcPlan::new("Northshire", d("15/03/2026"), "Oakfield"),
            Utc::now(),
        )
        .unwrap();
        let before = f.clone();
        let mut review = AnnualReview::new(d("10/03/2027"));
        review.parent_views = "x".repeat(crate::domain::ehc::record::MAX_EHC_TEXT + 1);
        let error = f
            .put_ehc_review(review, Utc::now(), d("01/12/2026"))
            .unwrap_err();
        assert!(error.contains("overlong text"), "{error}");
        assert_eq!(f, before);
    }

    #[test]
    fn the_next_case_number_follows_the_highest_on_the_desk() {
        let mut desk = Desk::new(crate::domain::Settings::new("Oakfield"));
        assert_eq!(desk.next_case_number(), 1);
        let mut f = file();
        f.open_ehc_case(141);
        desk.put(f);
        assert_eq!(desk.next_case_number(), 142);
    }
}
