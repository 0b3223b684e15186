//! Issue 12, point 1, as a property: for any two copies of a pupil's file that went their
//! own ways from one ancestor, merging either into the other loses no status change, need
//! change, concern, decision, note, contact, plan, review or history entry that was not
//! deleted on purpose; both orders give the same file; merging again changes nothing; and
//! the merged file keeps every rule a saved file must.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use senco_desk::domain::concern::{decide_concern, Decision, Outcome, RaisedBy};
use senco_desk::domain::merge::merge_files;
use senco_desk::domain::passport::Passport;
use senco_desk::domain::plan::{PlanOutcome, PlanStatus, Progress, Review};
use senco_desk::domain::{
    Concern, Contact, Desk, Need, NeedType, NeedsChange, Note, Pupil, PupilFile, PupilId, Removed,
    SenStatus, Settings, StatusChange, YearGroup,
};

#[derive(Debug, Clone)]
enum Op {
    Status(u8, u8),
    Needs(u8, u8),
    RaiseConcern(u8),
    Decide(u8, u8),
    Note(u8),
    AddContact(u8),
    RemoveContact(u8),
    Class(u8),
    Name(u8),
    Passport(u8),
    DraftPlan,
    EditDraft(u8),
    StartPlan,
    ReviewPlan(u8),
    DeleteDraft,
    CorrectReviewed(u8),
    Archive(bool),
}

fn op() -> impl Strategy<Value = Op> {
    // Plan steps weigh more, so drafts, starts, reviews and corrections meet on both sides.
    prop_oneof![
        2 => (0u8..4, 0u8..30).prop_map(|(s, d)| Op::Status(s, d)),
        2 => (0u8..12, 0u8..30).prop_map(|(n, d)| Op::Needs(n, d)),
        2 => (0u8..4).prop_map(Op::RaiseConcern),
        2 => (0u8..4, 0u8..4).prop_map(|(i, o)| Op::Decide(i, o)),
        1 => (0u8..3).prop_map(Op::Note),
        1 => (0u8..3).prop_map(Op::AddContact),
        1 => (0u8..3).prop_map(Op::RemoveContact),
        1 => (0u8..3).prop_map(Op::Class),
        1 => (0u8..3).prop_map(Op::Name),
        1 => (0u8..3).prop_map(Op::Passport),
        2 => Just(Op::DraftPlan),
        2 => (0u8..3).prop_map(Op::EditDraft),
        2 => Just(Op::StartPlan),
        3 => (0u8..4).prop_map(Op::ReviewPlan),
        1 => Just(Op::DeleteDraft),
        2 => (0u8..3).prop_map(Op::CorrectReviewed),
        1 => any::<bool>().prop_map(Op::Archive),
    ]
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn born() -> NaiveDate {
    NaiveDate::from_ymd_opt(2017, 9, 14).unwrap()
}

fn ancestor() -> PupilFile {
    let start = Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap();
    let pupil = Pupil::new(
        PupilId("0123456789abcdef".into()),
        "Amara",
        "Okafor",
        born(),
        YearGroup::Year(4),
    );
    let mut file = PupilFile::new(pupil, start);
    file.record_change(None, "SENCO", start);
    file
}

/// Applies one edit as the app does: the change through the domain's own rules, then the
/// desk's checks for a save, the change history (with tombstones) and fresh ids. None when
/// the rules refuse it.
fn apply(
    file: &PupilFile,
    op: &Op,
    at: DateTime<Utc>,
    side: &str,
    n: &mut u64,
) -> Option<PupilFile> {
    let mut next = file.clone();
    let day = |back: u8| today() - Duration::days(i64::from(back));
    let words = |k: u8| ["first", "second", "third", "fourth"][usize::from(k) % 4];
    match op {
        Op::Status(s, back) => {
            let status = SenStatus::ALL[usize::from(*s) % 4];
            let change = StatusChange {
                from: day(*back),
                status,
                reason: format!("{side} {}", words(*s)),
                recorded_at: at,
            };
            next.sen.record_status(change, born(), today()).ok()?;
        }
        Op::Needs(k, back) => {
            let need = NeedType::ALL[usize::from(*k) % NeedType::ALL.len()];
            let change = NeedsChange {
                from: day(*back),
                needs: vec![Need {
                    need_type: need,
                    description: String::new(),
                }],
                reason: side.into(),
                recorded_at: at,
            };
            next.sen.record_needs(change, born(), today()).ok()?;
        }
        Op::RaiseConcern(k) => next.concerns.push(Concern {
            id: String::new(),
            raised_on: day(*k),
            raised_by: RaisedBy::Staff,
            raised_by_name: format!("Teacher on the {side}"),
            area: None,
            seen: format!("{} thing seen", words(*k)),
            evidence: String::new(),
            actions: String::new(),
            decision: None,
            other_decisions: Vec::new(),
            recorded_at: at,
        }),
        Op::Decide(i, o) => {
            if next.concerns.is_empty() {
                return None;
            }
            let index = usize::from(*i) % next.concerns.len();
            let on = next.concerns[index].raised_on.max(day(0));
            let decision = Decision {
                outcome: Outcome::ALL[usize::from(*o) % 4],
                on,
                note: side.into(),
                recorded_at: at,
            };
            decide_concern(
                &mut next.concerns,
                index,
                &mut next.sen,
                decision,
                born(),
                today(),
            )
            .ok()?;
        }
        Op::Note(k) => next.notes.push(Note {
            id: String::new(),
            date: day(*k),
            author: side.into(),
            text: format!("{} note", words(*k)),
        }),
        Op::AddContact(k) => next.pupil.contacts.push(Contact {
            name: format!("{} carer", words(*k)),
            ..Contact::default()
        }),
        Op::RemoveContact(k) => {
            if next.pupil.contacts.is_empty() {
                return None;
            }
            let i = usize::from(*k) % next.pupil.contacts.len();
            next.pupil.contacts.remove(i);
        }
        Op::Class(k) => {
            next.pupil.class_name = format!("4{}", ["A", "B", "C"][usize::from(*k) % 3])
        }
        Op::Name(k) => next.pupil.preferred_forename = words(*k).into(),
        Op::Passport(k) => {
            let mut passport = next
                .passport
                .clone()
                .unwrap_or_else(|| Passport::blank(today()));
            passport.helps_me = format!("{side}: {}", words(*k));
            next.passport = Some(passport);
        }
        Op::DraftPlan => {
            let plan = next.new_plan(day(0), true, today()).ok()?;
            next = next.with_plan(plan);
        }
        Op::EditDraft(k) => {
            let mut plan = next.draft_plan()?.clone();
            plan.strengths = format!("{side}: {}", words(*k));
            if plan.outcomes.is_empty() {
                plan.outcomes.push(PlanOutcome {
                    text: format!("Outcome from the {side}"),
                    ..PlanOutcome::default()
                });
            }
            next = next.with_plan(plan);
        }
        Op::StartPlan => {
            if next.active_plan().is_some() {
                return None;
            }
            let mut plan = next.draft_plan()?.clone();
            plan.activate().ok()?;
            next = next.with_plan(plan);
        }
        Op::ReviewPlan(p) => {
            let mut plan = next.active_plan()?.clone();
            let mut review = Review::blank(&plan, plan.starts_on.max(day(0)), at);
            review.attended = format!("SENCO on the {side}");
            for outcome in &mut review.outcomes {
                outcome.progress = Progress::ALL[usize::from(*p) % 4];
            }
            plan.review(review, today()).ok()?;
            next = next.with_plan(plan);
        }
        Op::DeleteDraft => {
            let cycle = next.draft_plan()?.cycle;
            next = next.without_draft(cycle).ok()?;
        }
        Op::CorrectReviewed(k) => {
            let plan = next
                .plans
                .iter()
                .rev()
                .find(|p| p.status == PlanStatus::Reviewed)?;
            let mut corrected = plan.clone();
            corrected.parent_views = format!("{side}: {}", words(*k));
            let mut plan = plan.clone();
            plan.correct(corrected, "Left out", side, at).ok()?;
            next = next.with_plan(plan);
        }
        Op::Archive(on) => {
            if *on {
                next.pupil.archive(today());
            } else {
                next.pupil.archived = None;
            }
        }
    }
    // The desk's own checks on a save (plan rules, archive, revision), then the history.
    let mut desk = Desk::new(Settings::new("Oakfield"));
    desk.put(file.clone());
    let mut saved = desk.edited_file(next, file.revision, at).ok()?;
    saved.record_change(Some(file), side, at);
    saved.give_ids(|| {
        *n += 1;
        format!("{:08x}{:08x}", side.len() as u32 * 0x1000_0001, *n as u32)
    });
    Some(saved)
}

fn run(start: &PupilFile, ops: &[(Op, i64)], side: &str, n: &mut u64) -> PupilFile {
    let base = Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap();
    let mut file = start.clone();
    for (op, minute) in ops {
        // Small time steps, shared by both sides, so edits at the same moment happen.
        let at = base + Duration::minutes(*minute);
        if let Some(next) = apply(&file, op, at, side, n) {
            file = next;
        }
    }
    file
}

fn without_revision(mut file: PupilFile) -> PupilFile {
    file.revision = 0;
    file
}

fn ops(max: usize) -> impl Strategy<Value = Vec<(Op, i64)>> {
    proptest::collection::vec((op(), 0i64..6), 0..max).prop_map(|mut v| {
        // Each side's own edits happen in order of time.
        let mut t = 0;
        for (_, minute) in &mut v {
            t += *minute;
            *minute = t;
        }
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn point_1_merging_either_way_loses_nothing_and_converges(
        started in any::<bool>(),
        shared in ops(8),
        mine in ops(12),
        theirs in ops(12),
    ) {
        let mut n = 0;
        // Half the time the copies part with a plan already started, so both may review it.
        let start = if started {
            let plan_steps = [(Op::DraftPlan, 0), (Op::EditDraft(0), 1), (Op::StartPlan, 2)];
            run(&ancestor(), &plan_steps, "ancestor", &mut n)
        } else {
            ancestor()
        };
        let ancestor = run(&start, &shared, "ancestor", &mut n);
        let a = run(&ancestor, &mine, "desk", &mut n);
        let b = run(&ancestor, &theirs, "laptop", &mut n);

        let ab = merge_files(&a, &b).file;
        let ba = merge_files(&b, &a).file;
        prop_assert_eq!(without_revision(ab.clone()), without_revision(ba), "both orders converge");

        for side in [&a, &b] {
            for change in &side.sen.status_changes {
                prop_assert!(ab.sen.status_changes.contains(change), "status change lost: {:?}", change);
            }
            for change in &side.sen.needs_changes {
                prop_assert!(ab.sen.needs_changes.contains(change), "needs change lost: {:?}", change);
            }
            for concern in &side.concerns {
                let kept = ab.concerns.iter().find(|c| c.id == concern.id);
                prop_assert!(kept.is_some(), "concern lost: {:?}", concern);
                let kept = kept.unwrap();
                for decision in concern.decision.iter().chain(&concern.other_decisions) {
                    prop_assert!(
                        kept.decision.as_ref() == Some(decision) || kept.other_decisions.contains(decision),
                        "decision lost: {:?}", decision
                    );
                }
            }
            for note in &side.notes {
                prop_assert!(ab.notes.iter().any(|n| n.id == note.id), "note lost: {:?}", note);
            }
            for contact in &side.pupil.contacts {
                prop_assert!(
                    ab.pupil.contacts.iter().any(|c| c.id == contact.id)
                        || ab.was_removed(Removed::Contact, &contact.id),
                    "contact lost without a tombstone: {:?}", contact
                );
            }
            for plan in &side.plans {
                let kept = ab.plans.iter().any(|p| p.id == plan.id);
                let deleted_draft = plan.status == PlanStatus::Draft
                    && ab.was_removed(Removed::Plan, &plan.id);
                prop_assert!(kept || deleted_draft, "plan lost: {:?}", plan);
                if let Some(review) = &plan.review {
                    prop_assert!(
                        ab.plans.iter().any(|p| p.review.as_ref() == Some(review)),
                        "review lost: {:?}", review
                    );
                }
            }
            for change in &side.history {
                prop_assert!(ab.history.contains(change), "history entry lost: {:?}", change);
            }
        }
        // Ids were given, the plan rules hold, and the file would pass a backup's checks.
        prop_assert_eq!(ab.check_limits(), Ok(()));
        // Merging again with either side changes nothing.
        prop_assert_eq!(without_revision(merge_files(&ab, &a).file), without_revision(ab.clone()));
        prop_assert_eq!(without_revision(merge_files(&ab, &b).file), without_revision(ab.clone()));
        // The merged file can be edited and saved like any other.
        let mut desk = Desk::new(Settings::new("Oakfield"));
        desk.put(ab.clone());
        let mut edited = ab.clone();
        edited.pupil.class_name = "5A".into();
        if ab.pupil.archived.is_none() {
            prop_assert!(desk.edited_file(edited, ab.revision, Utc::now()).is_ok());
        }
    }
}
