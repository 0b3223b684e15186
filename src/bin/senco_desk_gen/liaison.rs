//! Five school years of liaison for the benchmark's large school (issue 17): a contact log
//! of about `per_year` entries a year for each pupil on the SEN register (calls, emails and
//! meetings with parents, staff and professionals, some about two or three pupils, some with
//! agreed actions), and a referral or two each with their steps and recommendations.

use super::Dice;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Utc};
use senco_desk::domain::contact_log::{AgreedAction, ContactHow, LogEntry, Party, PartyKind};
use senco_desk::domain::referral::agency::{Agency, AgencyKind, Professional};
use senco_desk::domain::referral::{Consent, Referral, ReferralStep, StepKind};
use senco_desk::domain::PupilId;
use senco_desk::store::{MemoryStore, OpenDesk};

const SUBJECTS: &[&str] = &[
    "reading at home",
    "the spelling group",
    "homework",
    "friendships at lunchtime",
    "anxiety before school",
    "the new visual timetable",
    "progress in maths",
    "sleep",
    "the speech and language programme",
    "the move to the next class",
    "attendance",
    "a meltdown after PE",
    "the reading ruler",
    "the sensory breaks",
    "the EP visit",
];
const OUTCOMES: &[&str] = &[
    "Agreed to keep going for another half term.",
    "Agreed to try the strategy at home too.",
    "Will review at the next plan meeting.",
    "Parent happy with progress so far.",
    "Class teacher to share the approach with the TA.",
    "Asked for advice from the specialist teacher.",
];
const PARENTS: &[&str] = &[
    "Mrs Patel",
    "Mr Jones",
    "Ms Okafor",
    "Mrs Hughes",
    "Mr Ali",
    "Mrs Smith",
];
const STAFF: &[&str] = &[
    "Miss Jones (class teacher)",
    "Mr Brown (TA)",
    "Mrs Green (head)",
];

fn agencies() -> Vec<Agency> {
    [
        (
            AgencyKind::EducationalPsychology,
            "North Locality EP Team",
            "Dr Okonjo",
        ),
        (AgencyKind::SpeechAndLanguage, "Children's SALT", "Ms Reid"),
        (AgencyKind::OccupationalTherapy, "Community OT", "Mr Shah"),
        (AgencyKind::Camhs, "CAMHS Getting Help", "Dr Lee"),
    ]
    .into_iter()
    .enumerate()
    .map(|(n, (kind, name, person))| Agency {
        id: format!("a9e0c1e5000000{n:02x}"),
        kind,
        name: name.into(),
        professionals: vec![Professional {
            id: format!("a9e0c1e5000001{n:02x}"),
            name: person.into(),
            role: String::new(),
            phone: String::new(),
            email: String::new(),
        }],
        notes: String::new(),
        traded: Vec::new(),
        uses: Vec::new(),
    })
    .collect()
}

pub struct Made {
    pub entries: usize,
    pub referrals: usize,
    /// The pupil with the most entries, and how many.
    pub busiest: (PupilId, usize),
}

/// Saves the log (one commit) and the referrals (one save of each pupil's file).
pub fn make(
    d: &mut Dice,
    open: &mut OpenDesk,
    store: &mut MemoryStore,
    sen: &[PupilId],
    per_year: usize,
    today: NaiveDate,
) -> Made {
    let mut settings = open.desk.settings.clone();
    settings.agencies.agencies = agencies();
    open.save_settings(store, settings).expect("agencies saved");
    let first = today - Duration::days(5 * 365);
    let days = (today - first).num_days().max(1) as usize;
    let mut entries = Vec::new();
    let mut counts = std::collections::HashMap::<PupilId, usize>::new();
    for (k, pupil) in sen.iter().enumerate() {
        for _ in 0..per_year * 5 {
            let mut on = first + Duration::days(d.below(days) as i64);
            while matches!(on.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
                on -= Duration::days(1);
            }
            let how = [
                ContactHow::PhoneCall,
                ContactHow::Email,
                ContactHow::Meeting,
                ContactHow::InPerson,
                ContactHow::Letter,
                ContactHow::VideoCall,
            ][d.below(6)];
            let mut entry = LogEntry::new(on, how);
            entry.at =
                NaiveTime::from_hms_opt(8 + d.below(9) as u32, [0, 15, 30, 45][d.below(4)], 0);
            let staff = d.chance(25);
            entry.with.push(Party {
                kind: if staff {
                    PartyKind::Staff
                } else {
                    PartyKind::Parent
                },
                name: if staff {
                    d.pick(STAFF)
                } else {
                    d.pick(PARENTS)
                }
                .to_string(),
            });
            entry.pupils.push(pupil.clone());
            // About one in ten is about two or three pupils (a class, a group).
            if d.chance(10) {
                for _ in 0..1 + d.below(2) {
                    let other = &sen[d.below(sen.len())];
                    if !entry.pupils.contains(other) {
                        entry.pupils.push(other.clone());
                    }
                }
            }
            entry.summary = format!(
                "Talked about {} and {}. {} {}",
                d.pick(SUBJECTS),
                d.pick(SUBJECTS),
                d.pick(OUTCOMES),
                d.pick(OUTCOMES)
            );
            if d.chance(30) {
                entry.actions.push(AgreedAction {
                    id: String::new(),
                    what: format!("Follow up on {}", d.pick(SUBJECTS)),
                    who: "SENCO".into(),
                    by: Some(on + Duration::days(7)),
                    done_on: (on + Duration::days(7) < today).then_some(on + Duration::days(6)),
                });
            }
            for p in &entry.pupils {
                *counts.entry(p.clone()).or_default() += 1;
            }
            entries.push(entry);
        }
        let _ = k;
    }
    let total = entries.len();
    open.save_new_log_entries(store, entries, "Logged", Utc::now())
        .expect("log saved");
    // A referral for about two pupils in three, through to a report for most.
    let agencies = agencies();
    let mut referrals = 0;
    for pupil in sen {
        if d.below(3) == 0 {
            continue;
        }
        let agency = &agencies[d.below(agencies.len())];
        let mut file = open.desk.file(pupil).expect("on the desk").clone();
        let revision = file.revision;
        let start = today - Duration::days(30 + d.below(600) as i64);
        let mut r = Referral::new(
            agency,
            "Progress slower than expected despite two plan cycles",
            start,
        );
        r.consent = Some(Consent {
            on: start,
            by: d.pick(PARENTS).into(),
        });
        let mut on = start;
        for kind in [
            StepKind::Sent,
            StepKind::Accepted,
            StepKind::Seen,
            StepKind::ReportReceived,
        ] {
            on += Duration::days(7 + d.below(20) as i64);
            if on > today {
                break;
            }
            r.record_step(
                ReferralStep {
                    kind,
                    on,
                    appointment_on: None,
                    note: String::new(),
                },
                today,
            )
            .expect("steps in order");
        }
        if r.report_received_on().is_some() {
            r.add_recommendations("Use visual prompts\nPre-teach key words\nShort movement breaks")
                .expect("recommendations");
        }
        file.referrals.push(r);
        open.save_file(store, file, revision, Utc::now())
            .expect("referral saved");
        referrals += 1;
    }
    let busiest = counts
        .into_iter()
        .max_by_key(|(p, n)| (*n, p.clone()))
        .unwrap_or((PupilId(String::new()), 0));
    Made {
        entries: total,
        referrals,
        busiest,
    }
}
