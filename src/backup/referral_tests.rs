//! Referrals and the agency directory (issue 17) in backups: carried whole, refused when
//! tampered into what the forms never allow, merged without losing either copy's steps,
//! and gone with a pupil who is erased.

use super::tests::{desk, diverged, envelope_with_contents, made, open_file, PASS};
use super::*;
use crate::domain::referral::agency::{Agency, AgencyKind};
use crate::domain::referral::{Consent, Referral, ReferralStep, StepKind, UptakeTarget};
use crate::domain::PupilId;
use crate::store::{MemoryStore, OpenDesk};
use crate::test_support::with_surname;
use chrono::{NaiveDate, Utc};

fn d(text: &str) -> NaiveDate {
    crate::domain::dates::parse_date(text).unwrap()
}

fn okafor(open: &OpenDesk) -> PupilId {
    with_surname(&open.desk, "Okafor")[0].id.clone()
}

fn salt() -> Agency {
    Agency {
        id: "00000000000000e7".into(),
        kind: AgencyKind::SpeechAndLanguage,
        name: "Children's SALT".into(),
        professionals: Vec::new(),
        notes: String::new(),
        traded: Vec::new(),
        uses: Vec::new(),
    }
}

/// The agency in the directory and a referral to it for Okafor, sent and reported on.
fn referred(store: &mut MemoryStore, open: &mut OpenDesk) {
    let mut settings = open.desk.settings.clone();
    settings.agencies.put(salt()).unwrap();
    open.save_settings(store, settings).unwrap();
    let id = okafor(open);
    let mut file = open.desk.file(&id).unwrap().clone();
    let revision = file.revision;
    let mut referral = Referral::new(&salt(), "Unclear speech", d("01/10/2026"));
    referral.consent = Some(Consent {
        on: d("01/10/2026"),
        by: "Mrs Okafor".into(),
    });
    for (kind, on) in [
        (StepKind::Sent, "02/10/2026"),
        (StepKind::Seen, "02/11/2026"),
        (StepKind::ReportReceived, "16/11/2026"),
    ] {
        let kind = if kind == StepKind::Seen && referral.steps.len() == 1 {
            referral
                .record_step(
                    ReferralStep {
                        kind: StepKind::Accepted,
                        on: d("05/10/2026"),
                        appointment_on: None,
                        note: String::new(),
                    },
                    d("01/12/2026"),
                )
                .unwrap();
            kind
        } else {
            kind
        };
        referral
            .record_step(
                ReferralStep {
                    kind,
                    on: d(on),
                    appointment_on: None,
                    note: String::new(),
                },
                d("01/12/2026"),
            )
            .unwrap();
    }
    referral
        .add_recommendations("Model short sentences\nVisual prompts for sounds")
        .unwrap();
    file.referrals.push(referral);
    open.save_file(store, file, revision, Utc::now()).unwrap();
}

#[test]
fn a_backup_carries_referrals_and_the_directory_and_they_reopen() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    referred(&mut store, &mut open);
    let id = okafor(&open);
    let file = open.desk.file(&id).unwrap();
    // Saving gave the referral and each recommendation an id.
    assert_eq!(file.referrals[0].id.len(), 16);
    assert!(file.referrals[0]
        .recommendations
        .iter()
        .all(|r| r.id.len() == 16));
    let backup = open_file(&made(&open).text, PASS).unwrap();
    assert_eq!(backup.files[&id].referrals, file.referrals);
    assert_eq!(backup.settings.agencies.agencies, vec![salt()]);
    // A backup from before referrals (contents version 7) still opens.
    let json = ValidBackup::from_desk(&open.desk).to_json();
    let text = String::from_utf8(json.to_vec()).unwrap();
    let older = text.replace("\"version\":8", "\"version\":7");
    assert_ne!(older, text);
    assert!(open_file(&envelope_with_contents(&open, &older), PASS).is_ok());
}

#[test]
fn a_backup_whose_referral_steps_are_out_of_order_is_refused_by_name() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    referred(&mut store, &mut open);
    let json = ValidBackup::from_desk(&open.desk).to_json();
    let text = String::from_utf8(json.to_vec()).unwrap();
    // The report dated before the referral was sent.
    let tampered = text.replace("\"on\":\"2026-11-16\"", "\"on\":\"2026-09-01\"");
    assert_ne!(tampered, text);
    let error = open_file(&envelope_with_contents(&open, &tampered), PASS).unwrap_err();
    assert!(
        error.to_string().contains("referral to Children's SALT"),
        "{error}"
    );
}

#[test]
fn a_merge_keeps_each_copys_uptake_and_brings_the_agency_with_its_referral() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    referred(&mut first_store, &mut first);
    let id = okafor(&first);
    // Take one recommendation up on the first copy, after the second has the referral.
    let plan = MergePlan::make(
        &second.desk,
        second.generation(),
        &open_file(&made(&first).text, PASS).unwrap(),
    );
    second.merge_backup(&mut second_store, &plan).unwrap();
    assert_eq!(second.desk.settings.agencies.agencies, vec![salt()]);
    let mut file = first.desk.file(&id).unwrap().clone();
    let revision = file.revision;
    let (referral, rec) = (
        file.referrals[0].id.clone(),
        file.referrals[0].recommendations[1].id.clone(),
    );
    file.take_up(
        &referral,
        &rec,
        UptakeTarget::PassportStrategy,
        d("01/12/2026"),
    )
    .unwrap();
    first
        .save_file(&mut first_store, file, revision, Utc::now())
        .unwrap();
    // The second copy marks the other one not taken up.
    let mut file = second.desk.file(&id).unwrap().clone();
    let revision = file.revision;
    let other = file.referrals[0].recommendations[0].id.clone();
    file.referrals[0]
        .not_taken_up(&other, "Already in class routines", d("01/12/2026"))
        .unwrap();
    second
        .save_file(&mut second_store, file, revision, Utc::now())
        .unwrap();
    let plan = MergePlan::make(
        &first.desk,
        first.generation(),
        &open_file(&made(&second).text, PASS).unwrap(),
    );
    first.merge_backup(&mut first_store, &plan).unwrap();
    let referral = &first.desk.file(&id).unwrap().referrals[0];
    assert_eq!(referral.used(), (1, 2));
    assert!(referral.recommendations.iter().all(|r| r.uptake.is_some()));
}

#[test]
fn erasing_a_pupil_takes_their_referrals_and_leaves_the_directory() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    referred(&mut store, &mut open);
    let id = okafor(&open);
    open.delete_pupil(&mut store, &id, d("01/12/2026")).unwrap();
    let backup = open_file(&made(&open).text, PASS).unwrap();
    assert!(backup.files.values().all(|f| f.referrals.is_empty()));
    assert_eq!(backup.settings.agencies.agencies.len(), 1);
}
