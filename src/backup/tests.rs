//! Backups a school can trust: they open, they match the desk, they leak nothing, and every
//! kind of bad file is refused by name with the desk left exactly as it was.

use super::*;
use crate::domain::history::Detail;
use crate::domain::{Note, PupilFile, Settings};
use crate::store::{DeskStoreError, Failure, KeyValueStore, MemoryStore, OpenDesk, StoreError};
use crate::vault::{KdfParams, RecoveryKey, VaultError};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use zeroize::Zeroize;

pub(super) const PASS: &str = "a long enough passphrase";
const COLLEAGUE_PASS: &str = "a different file passphrase";

fn local_now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap()
        .and_hms_opt(14, 5, 0)
        .unwrap()
}

use crate::test_support::{pupil, valid_upn as upn, with_surname};

fn note(day: u32, text: &str) -> Note {
    Note {
        id: String::new(),
        date: NaiveDate::from_ymd_opt(2026, 10, day).unwrap(),
        author: "J Patel".into(),
        text: text.into(),
    }
}

/// A desk with three pupils, one with notes, in an empty store; the recovery key too.
/// Made once and copied: making one derives two keys, which at the least settings allowed
/// would be most of the suite's time.
pub(super) fn desk(store: &mut MemoryStore) -> (OpenDesk, RecoveryKey) {
    type Made = (
        std::collections::BTreeMap<String, String>,
        crate::vault::Header,
        Vault,
        RecoveryKey,
    );
    static MADE: std::sync::OnceLock<Made> = std::sync::OnceLock::new();
    let (items, header, vault, recovery) = MADE.get_or_init(|| {
        let mut store = MemoryStore::new();
        let (open, recovery) = make_desk(&mut store);
        let header = open.header().clone();
        let vault = header.unlock(PASS).unwrap();
        (store.items().clone(), header, vault, recovery)
    });
    assert!(store.items().is_empty(), "a new desk needs an empty store");
    *store = MemoryStore::with_items(items.clone());
    let open = OpenDesk::open(store, header.clone(), vault.clone(), Utc::now()).unwrap();
    (open, recovery.clone())
}

fn make_desk(store: &mut MemoryStore) -> (OpenDesk, RecoveryKey) {
    let (mut open, recovery) = OpenDesk::create(
        store,
        Settings::new("Oakfield Primary"),
        PASS,
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap();
    for (f, s) in [("Amara", "Okafor"), ("Ben", "Hughes"), ("Chloe", "Abbott")] {
        open.add_pupil(store, pupil(f, s), Utc::now()).unwrap();
    }
    let id = with_surname(&open.desk, "Okafor")[0].id.clone();
    let mut file = open.desk.file(&id).unwrap().clone();
    file.notes = vec![
        note(1, "Speech and language referral sent"),
        note(9, "Parents met about reading"),
    ];
    // A reviewed plan, the next as a draft, and a passport: a backup carries them all.
    use crate::domain::plan::{PlanOutcome, Progress, Review};
    let start = NaiveDate::from_ymd_opt(2026, 9, 7).unwrap();
    let mut plan = file.new_plan(start, false, start).unwrap();
    plan.outcomes.push(PlanOutcome {
        text: "Follow two-part instructions".into(),
        ..Default::default()
    });
    plan.activate().unwrap();
    let mut review = Review::blank(&plan, start, Utc::now());
    review.attended = "Mum, SENCO".into();
    review.outcomes[0].progress = Progress::PartlyAchieved;
    plan.review(review, start).unwrap();
    let next = file
        .with_plan(plan.clone())
        .new_plan(start, true, start)
        .unwrap();
    file = file.with_plan(plan).with_plan(next);
    let mut passport = crate::domain::passport::Passport::blank(start);
    passport.helps_me = "Pictures of the day".into();
    file.passport = Some(passport);
    open.save_file(store, file.clone(), file.revision, Utc::now())
        .unwrap();
    let mut settings = open.desk.settings.clone();
    settings.library = Some(crate::domain::library::Library::seeded().without_entry(0));
    open.save_settings(store, settings).unwrap();
    (open, recovery)
}

/// A desk (as in [`desk`]) and the text of a backup of it.
fn desk_and_backup() -> (MemoryStore, OpenDesk, String) {
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let text = made(&open).text;
    (store, open, text)
}

pub(super) fn made(open: &OpenDesk) -> MadeBackup {
    open.make_backup(OpensWith::DeskSecrets, Utc::now(), local_now())
        .unwrap()
}

/// A backup opened only by its own passphrase, COLLEAGUE_PASS.
fn made_for_colleague(open: &OpenDesk) -> MadeBackup {
    open.make_backup(
        OpensWith::Passphrase {
            passphrase: COLLEAGUE_PASS,
            params: KdfParams::for_tests(),
        },
        Utc::now(),
        local_now(),
    )
    .unwrap()
}

pub(super) fn open_file(text: &str, secret: &str) -> Result<ValidBackup, BackupError> {
    let file = BackupFile::read(text.as_bytes())?;
    let vault = file.unlock(secret)?;
    file.open(&vault)
}

/// Seals arbitrary contents JSON in a well-formed envelope: for records that are wrong
/// inside an intact file.
pub(super) fn envelope_with_contents(open: &OpenDesk, contents: &str) -> String {
    let header = open.header().clone();
    let vault = header.unlock(PASS).unwrap();
    Envelope::seal(&header, &vault, Utc::now(), contents.as_bytes()).to_json()
}

// ---------- making a backup ----------

#[test]
fn a_backup_opens_with_the_passphrase_or_recovery_key_and_holds_every_record() {
    let mut store = MemoryStore::new();
    let (open, recovery) = desk(&mut store);
    let backup = made(&open);
    let expected = ValidBackup::from_desk(&open.desk);
    assert_eq!(open_file(&backup.text, PASS).unwrap(), expected);
    assert_eq!(
        open_file(&backup.text, &recovery.display()).unwrap(),
        expected
    );
    assert_eq!(expected.files.len(), 3);
    assert_eq!(expected.note_count(), 2);
    let okafor = with_surname(&open.desk, "Okafor")[0].id.clone();
    let file = &expected.files[&okafor];
    assert_eq!(file.plans.len(), 2);
    assert!(file.plans[0].is_reviewed() && file.passport.is_some());
    assert!(file.history.len() >= 2);
    assert!(expected.settings.library.is_some());
}

#[test]
fn the_file_names_the_school_and_the_time_and_shows_a_fingerprint_of_its_bytes() {
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let backup = made(&open);
    assert_eq!(
        backup.file_name,
        "senco-desk-oakfield-primary-2026-11-23-1405.json"
    );
    assert_eq!(backup.fingerprint, fingerprint(backup.text.as_bytes()));
    assert_eq!(backup.fingerprint.len(), 19, "{}", backup.fingerprint);
    let mut other = backup.text.clone().into_bytes();
    other.push(b'\n');
    assert_ne!(fingerprint(&other), backup.fingerprint);
    assert_eq!(
        file_name("St Mary's C of E (VA) — Infants!", local_now()),
        "senco-desk-st-mary-s-c-of-e-va-infants-2026-11-23-1405.json"
    );
    assert_eq!(
        file_name("", local_now()),
        "senco-desk-school-2026-11-23-1405.json"
    );
}

#[test]
fn nothing_about_a_pupil_or_a_person_is_readable_in_the_file() {
    let (_, _, text) = desk_and_backup();
    for secret in [
        "Amara",
        "Okafor",
        "Hughes",
        "Abbott",
        "Patel",
        "referral",
        "2017-09-14",
        "Oakfield",
        upn().as_str(),
    ] {
        assert!(!text.contains(secret), "{secret} is readable in the backup");
    }
    for field in [
        "format",
        "version",
        "app_version",
        "created",
        "slots",
        "memory_kib",
        "salt",
    ] {
        assert!(text.contains(&format!("\"{field}\"")), "{field} missing");
    }
}

#[test]
fn a_separate_passphrase_opens_that_file_alone() {
    let mut store = MemoryStore::new();
    let (open, recovery) = desk(&mut store);
    let backup = made_for_colleague(&open);
    assert!(backup.separate_passphrase);
    assert_eq!(open_file(&backup.text, PASS), Err(BackupError::WrongSecret));
    assert_eq!(
        open_file(&backup.text, &recovery.display()),
        Err(BackupError::WrongSecret)
    );
    assert_eq!(
        open_file(&backup.text, COLLEAGUE_PASS).unwrap(),
        ValidBackup::from_desk(&open.desk)
    );
    assert!(!backup.text.contains(&open.header().desk_id().to_string()));
}

#[test]
fn a_desk_with_a_damaged_record_makes_no_backup_and_names_it() {
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let id = with_surname(&open.desk, "Hughes")[0].id.clone();
    let key = crate::store::keys::record_key(&crate::store::keys::pupil_record_id(&id.0));
    let mut items = store.items().clone();
    items.insert(key, "v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAA".into());
    let mut store = MemoryStore::with_items(items);
    let open = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    match open.make_backup(OpensWith::DeskSecrets, Utc::now(), local_now()) {
        Err(BackupError::Unreadable { names }) => assert_eq!(names, vec!["Hughes, Ben"]),
        other => panic!("expected the damaged record named, got {other:?}"),
    }
}

#[test]
fn the_file_is_smaller_than_the_desk_it_came_from() {
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let stored_bytes = 2 * crate::store::storage_used(&store).unwrap();
    assert!(made(&open).bytes() < stored_bytes);
}

// ---------- bad files: each refused by name ----------

#[test]
fn an_empty_file_is_named_as_empty() {
    assert_eq!(BackupFile::read(b"").err(), Some(BackupError::Empty));
    assert_eq!(BackupFile::read(b" \n\t").err(), Some(BackupError::Empty));
}

#[test]
fn a_file_that_is_not_json_is_named_as_such() {
    for text in ["Name,UPN\nAmara,A801", "%PDF-1.7 binary", "\u{feff}hello"] {
        assert_eq!(
            BackupFile::read(text.as_bytes()).err(),
            Some(BackupError::NotJson),
            "{text}"
        );
    }
    assert_eq!(
        BackupFile::read(&[0xff, 0xfe, 0x00, 0x01]).err(),
        Some(BackupError::NotJson)
    );
}

#[test]
fn json_from_another_app_is_named_as_such() {
    for text in [
        r#"{"name":"Class list","rows":[]}"#,
        r#"[1,2,3]"#,
        r#""senco-desk/backup""#,
        r#"{"format":"senco-desk/store","version":1}"#,
    ] {
        assert_eq!(
            BackupFile::read(text.as_bytes()).err(),
            Some(BackupError::OtherApp),
            "{text}"
        );
    }
}

#[test]
fn a_truncated_file_is_named_as_incomplete_wherever_it_was_cut() {
    let (_, _, text) = desk_and_backup();
    for cut in [
        40,
        text.len() / 3,
        text.len() / 2,
        text.len() - 3,
        text.len() - 1,
    ] {
        assert_eq!(
            BackupFile::read(&text.as_bytes()[..cut]).err(),
            Some(BackupError::Truncated),
            "cut at {cut}"
        );
    }
}

/// The byte range of a JSON string or number value, found by its field name.
fn value_range(text: &str, field: &str) -> std::ops::Range<usize> {
    let start = text.find(&format!("\"{field}\":")).unwrap() + field.len() + 3;
    let end = start + text[start..].find([',', '\n']).unwrap();
    start..end
}

#[test]
fn one_flipped_bit_in_the_ciphertext_salt_nonce_or_parameters_is_named_as_damage() {
    let (_, _, text) = desk_and_backup();
    for field in [
        "contents",
        "salt",
        "nonce",
        "wrapped_key",
        "memory_kib",
        "iterations",
        "parallelism",
    ] {
        let range = value_range(&text, field);
        // Every bit of short fields; a spread of positions through the ciphertext.
        let step = (range.len() / 64).max(1);
        for at in range.clone().step_by(step) {
            for bit in 0..8 {
                let mut bytes = text.clone().into_bytes();
                bytes[at] ^= 1 << bit;
                if bytes[at] == text.as_bytes()[at] {
                    continue;
                }
                match BackupFile::read(&bytes) {
                    Err(BackupError::Damaged(_)) => {}
                    other => panic!(
                        "flipping bit {bit} of byte {at} in {field} gave {:?}",
                        other.map(|_| "a file that opened")
                    ),
                }
            }
        }
    }
}

#[test]
fn the_wrong_passphrase_is_named_and_no_record_is_read() {
    let (_, _, text) = desk_and_backup();
    assert_eq!(
        open_file(&text, "not the passphrase at all"),
        Err(BackupError::WrongSecret)
    );
    assert!(BackupError::WrongSecret.to_string().contains("Caps Lock"));
}

#[test]
fn a_newer_format_asks_for_an_update() {
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    // Version 2 is a backup with attached files (with_files_tests): 3 is newer.
    let text = made(&open).text.replace("\"version\":1,", "\"version\":3,");
    let error = BackupFile::read(text.as_bytes()).unwrap_err();
    assert_eq!(error, BackupError::NewerFormat { found: "3".into() });
    assert!(error.to_string().contains("Update Senco Desk"));
    // Newer contents inside a current envelope are named the same way.
    let newer = envelope_with_contents(
        &open,
        r#"{"version":9,"settings":{"school_name":"x","auto_lock_minutes":10},"pupils":[]}"#,
    );
    assert_eq!(
        open_file(&newer, PASS),
        Err(BackupError::NewerFormat {
            found: "contents 9".into()
        })
    );
}

#[test]
fn a_fifty_megabyte_file_is_refused_before_it_is_read() {
    let mut huge = vec![b' '; 50 * 1024 * 1024];
    huge[0] = b'{';
    let error = BackupFile::read(&huge).unwrap_err();
    assert_eq!(error, BackupError::TooLarge { bytes: huge.len() });
    assert!(error.to_string().contains("50.0 MB"));
}

#[test]
fn absurd_key_settings_are_refused_without_deriving_a_key() {
    let (_, _, text) = desk_and_backup();
    for (field, absurd) in [
        ("memory_kib", "4194304"),
        ("iterations", "1000000"),
        ("parallelism", "255"),
    ] {
        let mut envelope: Envelope = serde_json::from_str(&text).unwrap();
        for slot in &mut envelope.slots {
            let value: u32 = absurd.parse().unwrap();
            match field {
                "memory_kib" => slot.kdf.params.memory_kib = value,
                "iterations" => slot.kdf.params.iterations = value,
                _ => slot.kdf.params.parallelism = value,
            }
        }
        // A crafted file, with its checksum made to match.
        envelope.checksum = crate::vault::to_hex(&<sha2::Sha256 as sha2::Digest>::digest(
            envelope.checksum_text().as_bytes(),
        ));
        match BackupFile::read(envelope.to_json().as_bytes()) {
            Err(BackupError::UnsafeKdfParams(detail)) => assert!(detail.contains(absurd)),
            other => panic!("{field}: {:?}", other.map(|_| "read")),
        }
    }
}

#[test]
fn duplicate_pupil_ids_are_refused() {
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let entry = r#"{"pupil":{"id":"00112233445566ff","forename":"Amara","surname":"Okafor","date_of_birth":"2017-09-14","year_group":"4","upn":null},"revision":1,"created_at":"2026-11-01T09:00:00.000Z","updated_at":"2026-11-01T09:00:00.000Z"}"#;
    let contents = format!(
        r#"{{"version":1,"settings":{{"school_name":"Oakfield","auto_lock_minutes":10}},"pupils":[{entry},{entry}]}}"#
    );
    assert_eq!(
        open_file(&envelope_with_contents(&open, &contents), PASS),
        Err(BackupError::DuplicatePupil {
            id: "00112233445566ff".into()
        })
    );
}

#[test]
fn a_record_for_a_pupil_not_in_the_file_is_refused() {
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let entry = r#"{"pupil":{"id":"00112233445566ff","forename":"Amara","surname":"Okafor","date_of_birth":"2017-09-14","year_group":"4","upn":null},"revision":1,"created_at":"2026-11-01T09:00:00.000Z","updated_at":"2026-11-01T09:00:00.000Z"}"#;
    let contents = format!(
        r#"{{"version":1,"settings":{{"school_name":"Oakfield","auto_lock_minutes":10}},"pupils":[{entry}],"notes":[{{"pupil_id":"00112233445566ff","date":"2026-10-01","author":"JP","text":"ok"}},{{"pupil_id":"9999999999999999","date":"2026-10-02","author":"JP","text":"orphan"}}]}}"#
    );
    let error = open_file(&envelope_with_contents(&open, &contents), PASS).unwrap_err();
    assert_eq!(
        error,
        BackupError::MissingPupil {
            record: "note 2".into(),
            pupil_id: "9999999999999999".into()
        }
    );
    assert!(error.to_string().contains("not in the file"));
}

#[test]
fn records_that_break_the_rules_are_refused_by_name() {
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let with_pupil = |pupil: &str| {
        format!(
            r#"{{"version":1,"settings":{{"school_name":"Oakfield","auto_lock_minutes":10}},"pupils":[{{"pupil":{pupil},"revision":1,"created_at":"2026-11-01T09:00:00.000Z","updated_at":"2026-11-01T09:00:00.000Z"}}]}}"#
        )
    };
    for (pupil, expect) in [
        (
            r#"{"id":"../../etc","forename":"A","surname":"B","date_of_birth":"2017-09-14","year_group":"4","upn":null}"#,
            "malformed id",
        ),
        (
            r#"{"id":"00112233445566ff","forename":"","surname":"B","date_of_birth":"2017-09-14","year_group":"4","upn":null}"#,
            "forename",
        ),
        (
            r#"{"id":"00112233445566ff","forename":"A","surname":"B","date_of_birth":"2017-09-14","year_group":"Year 99","upn":null}"#,
            "wrong shape",
        ),
        (
            r#"{"id":"00112233445566ff","forename":"A","surname":"B","date_of_birth":"2017-09-14","year_group":"4","upn":"A801200001009"}"#,
            "wrong shape",
        ),
    ] {
        let error =
            open_file(&envelope_with_contents(&open, &with_pupil(pupil)), PASS).unwrap_err();
        match &error {
            BackupError::InvalidRecord(detail) => assert!(detail.contains(expect), "{detail}"),
            other => panic!("{pupil}: {other:?}"),
        }
    }
}

// ---------- older formats ----------

#[test]
fn every_released_format_still_opens_from_its_fixture() {
    // Fixtures made by the released code paths, re-keyed at the least key settings now
    // allowed (tests/fixtures/README.md), passphrase in the same README.
    for (name, older) in [
        // Made by 0.5.0 at the least key settings allowed: it needs no re-keyed copy.
        ("../backup-v1-contents-v4.json", false),
        ("backup-v1-contents-v3.json", false),
        ("backup-v1-contents-v2.json", false),
        ("backup-v1.json", false),
        ("storage-snapshot-v1.json", true),
    ] {
        let path = format!(
            "{}/tests/fixtures/rekeyed/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let bytes = std::fs::read(&path).unwrap();
        let file = BackupFile::read(&bytes).unwrap();
        assert_eq!(file.is_older_format(), older, "{name}");
        let backup = file
            .open(&file.unlock("fixture passphrase 2026").unwrap())
            .unwrap();
        assert_eq!(backup.settings.school_name, "Fixture Primary", "{name}");
        let names: Vec<_> = backup.files.values().map(|f| f.pupil.sort_name()).collect();
        assert!(
            names.contains(&"Okafor, Amara".to_string()),
            "{name}: {names:?}"
        );
        assert_eq!(backup.files.len(), 2, "{name}");
        assert_eq!(backup.note_count(), 1, "{name}");
    }
}

/// A released backup fixture (its re-keyed copy), opened with its passphrase
/// (tests/fixtures/README.md).
fn open_fixture(name: &str) -> ValidBackup {
    let path = format!(
        "{}/tests/fixtures/rekeyed/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let file = BackupFile::read(&std::fs::read(path).unwrap()).unwrap();
    file.open(&file.unlock("fixture passphrase 2026").unwrap())
        .unwrap()
}

fn okafor(backup: &ValidBackup) -> &PupilFile {
    backup
        .files
        .values()
        .find(|f| f.pupil.surname == "Okafor")
        .unwrap()
}

#[test]
fn contents_version_4_carries_record_ids_tombstones_and_erasures() {
    let backup = open_fixture("../backup-v1-contents-v4.json");
    let amara = okafor(&backup);
    assert!(amara
        .plans
        .iter()
        .all(|p| crate::domain::record_id::is_record_id(&p.id)));
    assert!(amara
        .notes
        .iter()
        .all(|n| crate::domain::record_id::is_record_id(&n.id)));
    // The contact added and then removed left a tombstone, and nothing else of it.
    assert_eq!(amara.removed.len(), 1);
    assert_eq!(amara.removed[0].what, crate::domain::Removed::Contact);
    assert!(amara
        .pupil
        .contacts
        .iter()
        .all(|c| c.name != "Temporary Contact"));
    // Chloe Abbott was erased: only the mark of her id is left.
    assert_eq!(backup.erased.len(), 1);
    assert!(backup.files.values().all(|f| f.pupil.surname != "Abbott"));
    // Opened by this app, it merges into a desk restored from it without a change.
    let mut store = MemoryStore::new();
    let (open, _) = OpenDesk::create_from_backup(
        &mut store,
        &backup,
        None,
        crate::vault::NewDeskKeys::make(
            "fixture passphrase 2026",
            KdfParams::for_tests(),
            Utc::now(),
        )
        .unwrap(),
        Utc::now(),
    )
    .unwrap();
    assert!(MergePlan::make(&open.desk, open.generation(), &backup).changes_nothing());
}

#[test]
fn contents_version_2_carries_sen_history_concerns_and_contacts() {
    let backup = open_fixture("backup-v1-contents-v2.json");
    let amara = okafor(&backup);
    let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    assert_eq!(
        amara.sen.status_on(on),
        crate::domain::SenStatus::SenSupport
    );
    assert_eq!(
        amara.sen.primary_need(on),
        Some(crate::domain::NeedType::Slcn)
    );
    assert_eq!(amara.concerns.len(), 1);
    assert!(!amara.concerns[0].is_open());
    assert_eq!(amara.pupil.contacts[0].name, "Grace Okafor");
    assert_eq!(amara.pupil.class_name, "4A");
    assert!(amara.pupil.flags.eal);
    // Made, restored and made again, nothing is lost.
    let again = ValidBackup::from_json(&backup.to_json()).unwrap();
    assert_eq!(again, backup);
}

#[test]
fn contents_version_3_carries_plans_passport_history_and_library() {
    let backup = open_fixture("backup-v1-contents-v3.json");
    let amara = okafor(&backup);
    assert_eq!(amara.plans.len(), 2);
    let first = &amara.plans[0];
    assert!(first.is_reviewed());
    assert_eq!(first.corrections[0].reason, "Strengths left out");
    assert_eq!(first.corrections[0].what, "strengths");
    assert_eq!(amara.plans[1].strategies, ["Visual timetable"]);
    assert_eq!(
        amara.passport.as_ref().unwrap().about_me,
        "I like dinosaurs."
    );
    assert!(amara
        .history
        .iter()
        .any(|c| c.by == "SENCO" && c.what.iter().any(|w| w == "Support plan 1 drafted")));
    let library = backup.settings.library.as_ref().unwrap();
    assert_eq!(
        library.entries.len(),
        crate::domain::library::Library::seeded().entries.len() - 1
    );
    let again = ValidBackup::from_json(&backup.to_json()).unwrap();
    assert_eq!(again, backup);
}

#[test]
fn a_backup_whose_plans_break_the_rules_is_refused_and_named() {
    let (_, open, _) = desk_and_backup();
    let mut backup = ValidBackup::from_desk(&open.desk);
    let file = backup
        .files
        .values_mut()
        .find(|f| !f.plans.is_empty())
        .unwrap();
    // Two active plans can never be made by the app.
    for plan in &mut file.plans {
        plan.status = crate::domain::plan::PlanStatus::Active;
        plan.review = None;
    }
    let json = backup.to_json();
    let refused = ValidBackup::from_json(&json).unwrap_err().to_string();
    assert!(refused.contains("support plans are not valid"), "{refused}");
    assert!(refused.contains("still active"), "{refused}");
}

#[test]
fn a_snapshot_with_a_half_done_save_opens_as_it_was_before_that_save() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    let before = ValidBackup::from_desk(&open.desk);
    // The save of a fourth pupil fails after its record is written: the journal stays.
    store.fail(Failure::From(2));
    assert!(open
        .add_pupil(&mut store, pupil("Dev", "Shah"), Utc::now())
        .is_err());
    store.heal();
    let snapshot = serde_json::json!({
        "format": SNAPSHOT_FORMAT,
        "version": 1,
        "created": "2026-11-20T10:00:00.000Z",
        "items": store.items(),
    })
    .to_string();
    assert_eq!(open_file(&snapshot, PASS).unwrap(), before);
}

#[test]
fn point_7_a_revision_beyond_any_real_file_is_refused_never_wrapped() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    // A pupil the desk holds: restoring adds one to the higher revision of the two.
    let id = with_surname(&open.desk, "Hughes")[0].id.clone();
    let contents = |revision: u64| {
        format!(
            r#"{{"version":1,"settings":{{"school_name":"Oakfield","auto_lock_minutes":10}},"pupils":[{{"pupil":{{"id":"{id}","forename":"Ben","surname":"Hughes","date_of_birth":"2017-09-14","year_group":"4","upn":null}},"revision":{revision},"created_at":"2026-11-01T09:00:00.000Z","updated_at":"2026-11-01T09:00:00.000Z"}}]}}"#
        )
    };
    for revision in [u64::MAX, u64::MAX - 1, 1 << 53, MAX_REVISION + 1] {
        match open_file(&envelope_with_contents(&open, &contents(revision)), PASS) {
            Err(error @ BackupError::InvalidRecord(_)) => {
                let message = error.to_string();
                assert!(
                    message.contains(&format!("has a revision of {revision}")),
                    "{message}"
                );
                assert!(message.contains("more than any real file reaches"));
            }
            other => panic!("{revision}: {:?}", other.map(|_| "opened")),
        }
    }
    // The bound itself opens, and a restore over the desk goes one above it.
    let backup = open_file(
        &envelope_with_contents(&open, &contents(MAX_REVISION)),
        PASS,
    )
    .unwrap();
    let generation = open.generation();
    open.replace_with_backup(&mut store, &backup, generation)
        .unwrap();
    assert_eq!(open.desk.file(&id).unwrap().revision, MAX_REVISION + 1);
}

#[test]
fn point_7_a_snapshot_whose_save_counter_is_beyond_any_real_desk_is_refused() {
    use crate::store::keys::{record_key, HEAD_RECORD};
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let vault = open.header().unlock(PASS).unwrap();
    let snapshot_with_head = |generation: u64| {
        let mut items = store.items().clone();
        let head = format!(r#"{{"generation":{generation}}}"#);
        items.insert(
            record_key(HEAD_RECORD),
            vault.seal(HEAD_RECORD, head.as_bytes()),
        );
        serde_json::json!({
            "format": SNAPSHOT_FORMAT,
            "version": 1,
            "created": "2026-11-20T10:00:00.000Z",
            "items": items,
        })
        .to_string()
    };
    for generation in [u64::MAX, MAX_GENERATION + 1] {
        match open_file(&snapshot_with_head(generation), PASS) {
            Err(BackupError::InvalidRecord(detail)) => assert!(
                detail.contains(&format!("save counter is {generation}")),
                "{detail}"
            ),
            other => panic!("{generation}: {:?}", other.map(|_| "opened")),
        }
    }
    assert!(open_file(&snapshot_with_head(MAX_GENERATION), PASS).is_ok());
}

// ---------- merge ----------

/// Two desks that share a history: a backup restored into a second browser, then both
/// edited.
pub(super) fn diverged() -> (MemoryStore, OpenDesk, MemoryStore, OpenDesk) {
    let mut first_store = MemoryStore::new();
    let (first, _) = desk(&mut first_store);
    let mut second_store = MemoryStore::new();
    let second = restore_into(&mut second_store, &made(&first).text, PASS).unwrap();
    (first_store, first, second_store, second)
}

/// What "Restore this desk" on the first-run screen does: read, unlock, check, create.
pub(super) fn restore_into(
    store: &mut MemoryStore,
    text: &str,
    secret: &str,
) -> Result<OpenDesk, DeskStoreError> {
    let file = BackupFile::read(text.as_bytes()).unwrap();
    let vault = file.unlock(secret).unwrap();
    let backup = file.open(&vault).unwrap();
    // The SENCO keeps the same passphrase; the desk gets a fresh key and recovery key.
    OpenDesk::create_from_backup(
        store,
        &backup,
        None,
        crate::vault::NewDeskKeys::make(secret, KdfParams::for_tests(), Utc::now()).unwrap(),
        Utc::now(),
    )
    .map(|(open, _)| open)
}

fn edit(store: &mut MemoryStore, open: &mut OpenDesk, surname: &str, at: DateTime<Utc>) {
    let id = with_surname(&open.desk, surname)[0].id.clone();
    let file = open.desk.file(&id).unwrap().clone();
    let mut pupil = file.pupil.clone();
    pupil.forename = format!("{} (edited)", pupil.forename);
    open.save_pupil(store, pupil, file.revision, at).unwrap();
}

fn add_note(store: &mut MemoryStore, open: &mut OpenDesk, surname: &str, text: &str) {
    let id = with_surname(&open.desk, surname)[0].id.clone();
    let mut file = open.desk.file(&id).unwrap().clone();
    file.notes.push(note(20, text));
    open.save_file(store, file.clone(), file.revision, Utc::now())
        .unwrap();
}

#[test]
fn a_desk_restored_in_a_fresh_browser_opens_with_the_same_passphrase_and_records() {
    let (first_store, first, _, _) = diverged();
    let (_, _, second_store, _) = diverged();
    drop(second_store);
    let mut again = MemoryStore::new();
    restore_into(&mut again, &made(&first).text, PASS).unwrap();
    let reopened = OpenDesk::unlock(&mut again, PASS, Utc::now()).unwrap();
    assert_eq!(
        ValidBackup::from_desk(&reopened.desk),
        ValidBackup::from_desk(&first.desk)
    );
    assert!(reopened.header().has_recovery_key());
    drop(first_store);
}

#[test]
fn restoring_over_an_existing_desk_through_create_is_refused() {
    let (_, first, mut second_store, _) = diverged();
    let before = second_store.items().clone();
    assert_eq!(
        restore_into(&mut second_store, &made(&first).text, PASS).err(),
        Some(DeskStoreError::DeskExists)
    );
    assert_eq!(second_store.items(), &before);
}

#[test]
fn point_1_each_detail_takes_its_later_edit_and_the_preview_shows_both_values() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    let t = Utc::now();
    let minutes = |n| t + Duration::minutes(n);
    // Okafor's class: the laptop's edit is earlier, the desk's later.
    set_class(&mut second_store, &mut second, "Okafor", "4B", minutes(1));
    set_class(&mut first_store, &mut first, "Okafor", "4A", minutes(5));
    // Hughes: the desk renames him, the laptop changes his class later.
    set_class(&mut first_store, &mut first, "Hughes", "4A", minutes(1));
    edit(&mut first_store, &mut first, "Hughes", minutes(2));
    set_class(&mut second_store, &mut second, "Hughes", "4C", minutes(9));
    add_note(
        &mut second_store,
        &mut second,
        "Abbott",
        "Added on the laptop",
    );
    second
        .add_pupil(&mut second_store, pupil("Dev", "Shah"), t)
        .unwrap();
    let from_second = open_file(&made(&second).text, PASS).unwrap();

    let plan = MergePlan::make(&first.desk, first.generation(), &from_second);
    assert_eq!(plan.added, vec!["Shah, Dev"]);
    let shown = |name: &str| -> Vec<(Detail, String, String, bool)> {
        plan.changed
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("{name} in {:?}", plan.changed))
            .details
            .iter()
            .map(|d| (d.detail, d.ours.clone(), d.theirs.clone(), d.kept_theirs))
            .collect()
    };
    assert_eq!(
        shown("Okafor, Amara"),
        [(Detail::Class, "4A".into(), "4B".into(), false)]
    );
    assert_eq!(
        shown("Hughes, Ben (edited)"),
        [
            (
                Detail::LegalName,
                "Ben (edited) Hughes".into(),
                "Ben Hughes".into(),
                false
            ),
            (Detail::Class, "4A".into(), "4C".into(), true),
        ]
    );
    let abbott = plan
        .changed
        .iter()
        .find(|c| c.name == "Abbott, Chloe")
        .unwrap();
    assert!(abbott.details.is_empty());
    assert!(abbott.added.contains(&"1 note".to_string()), "{abbott:?}");
    first.merge_backup(&mut first_store, &plan).unwrap();

    let reopened = OpenDesk::unlock(&mut first_store, PASS, Utc::now()).unwrap();
    assert_eq!(reopened.desk.pupil_count(), 4);
    let pupil_of = |surname: &str| {
        let id = with_surname(&reopened.desk, surname)[0].id.clone();
        reopened.desk.file(&id).unwrap().pupil.clone()
    };
    assert_eq!(pupil_of("Okafor").class_name, "4A");
    assert_eq!(pupil_of("Hughes").class_name, "4C");
    assert_eq!(pupil_of("Hughes").forename, "Ben (edited)");
    let abbott = with_surname(&reopened.desk, "Abbott")[0].id.clone();
    assert_eq!(reopened.desk.file(&abbott).unwrap().notes.len(), 1);
}

fn set_class(
    store: &mut MemoryStore,
    open: &mut OpenDesk,
    surname: &str,
    class: &str,
    at: DateTime<Utc>,
) {
    let id = with_surname(&open.desk, surname)[0].id.clone();
    let file = open.desk.file(&id).unwrap().clone();
    let mut pupil = file.pupil.clone();
    pupil.class_name = class.into();
    open.save_pupil(store, pupil, file.revision, at).unwrap();
}

#[test]
fn a_later_edit_elsewhere_never_wipes_plans_reviews_or_history_in_a_merge() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    // The desk corrects reviewed plan 1 and starts draft plan 2.
    let id = with_surname(&first.desk, "Okafor")[0].id.clone();
    let file = first.desk.file(&id).unwrap().clone();
    let mut plan1 = file.plans[0].clone();
    let mut corrected = plan1.clone();
    corrected.strengths = "Loves drawing".into();
    plan1
        .correct(corrected, "Left out", "SENCO", Utc::now())
        .unwrap();
    let mut plan2 = file.plans[1].clone();
    plan2.activate().unwrap();
    let edited = file.with_plan(plan1).with_plan(plan2);
    first
        .save_file(&mut first_store, edited, file.revision, Utc::now())
        .unwrap();
    // The laptop edits the same pupil's details later.
    edit(
        &mut second_store,
        &mut second,
        "Okafor",
        Utc::now() + Duration::minutes(5),
    );
    let laptop_history = second.desk.file(&id).unwrap().history.clone();
    let backup = open_file(&made(&second).text, PASS).unwrap();
    let plan = MergePlan::make(&first.desk, first.generation(), &backup);
    first.merge_backup(&mut first_store, &plan).unwrap();
    let merged = first.desk.file(&id).unwrap();
    assert_eq!(
        merged.pupil, backup.files[&id].pupil,
        "the later details win"
    );
    assert_eq!(
        merged.plans[0].corrections.len(),
        1,
        "the correction is kept"
    );
    assert_eq!(merged.plans[0].strengths, "Loves drawing");
    assert_eq!(
        merged.plans[1].status,
        crate::domain::plan::PlanStatus::Active
    );
    for change in &laptop_history {
        assert!(merged.history.contains(change));
    }
    assert!(merged
        .history
        .iter()
        .any(|c| c.what.iter().any(|w| w == "Support plan 2 started")));
    assert!(merged.passport.is_some());
    // Merging again writes nothing.
    let again = MergePlan::make(&first.desk, first.generation(), &backup);
    assert!(again.changes_nothing());
}

#[test]
fn notes_from_both_sides_survive_a_merge() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    add_note(
        &mut first_store,
        &mut first,
        "Okafor",
        "Written on the desktop",
    );
    add_note(
        &mut second_store,
        &mut second,
        "Okafor",
        "Written on the laptop",
    );
    let from_second = open_file(&made(&second).text, PASS).unwrap();
    let plan = MergePlan::make(&first.desk, first.generation(), &from_second);
    assert_eq!(plan.changed.len(), 1);
    assert!(plan.changed[0].added.contains(&"1 note".to_string()));
    first.merge_backup(&mut first_store, &plan).unwrap();
    let id = with_surname(&first.desk, "Okafor")[0].id.clone();
    let texts: Vec<_> = first
        .desk
        .file(&id)
        .unwrap()
        .notes
        .iter()
        .map(|n| n.text.clone())
        .collect();
    assert!(
        texts.contains(&"Written on the desktop".to_string()),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"Written on the laptop".to_string()),
        "{texts:?}"
    );
    assert_eq!(texts.len(), 4);
}

#[test]
fn merging_the_same_file_twice_changes_nothing_the_second_time() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    edit(
        &mut second_store,
        &mut second,
        "Hughes",
        Utc::now() + Duration::minutes(3),
    );
    edit(
        &mut first_store,
        &mut first,
        "Okafor",
        Utc::now() + Duration::minutes(3),
    );
    add_note(&mut first_store, &mut first, "Abbott", "desk only");
    add_note(&mut second_store, &mut second, "Abbott", "laptop only");
    let text = made(&second).text;
    let plan = MergePlan::make(
        &first.desk,
        first.generation(),
        &open_file(&text, PASS).unwrap(),
    );
    assert!(!plan.changes_nothing());
    first.merge_backup(&mut first_store, &plan).unwrap();
    let after_first = first_store.items().clone();

    let again = MergePlan::make(
        &first.desk,
        first.generation(),
        &open_file(&text, PASS).unwrap(),
    );
    assert!(again.changes_nothing(), "{again:?}");
    assert!(again.added.is_empty());
    first.merge_backup(&mut first_store, &again).unwrap();
    assert_eq!(first_store.items(), &after_first);
}

#[test]
fn a_merge_planned_before_another_tab_saved_is_refused_and_the_desk_reloaded() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    edit(
        &mut second_store,
        &mut second,
        "Hughes",
        Utc::now() + Duration::minutes(3),
    );
    let plan = MergePlan::make(
        &first.desk,
        first.generation(),
        &open_file(&made(&second).text, PASS).unwrap(),
    );
    // Another tab saves to the first store.
    let mut other_tab = OpenDesk::unlock(&mut first_store, PASS, Utc::now()).unwrap();
    other_tab
        .add_pupil(&mut first_store, pupil("Eve", "Turner"), Utc::now())
        .unwrap();
    let before = first_store.items().clone();
    assert_eq!(
        first.merge_backup(&mut first_store, &plan),
        Err(DeskStoreError::ChangedElsewhere)
    );
    assert_eq!(first_store.items(), &before);
    assert_eq!(
        first.desk.pupil_count(),
        4,
        "the other tab's pupil is loaded"
    );
}

// ---------- restore over a desk ----------

#[test]
fn restore_replaces_every_record_and_keeps_the_desks_own_passphrase() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    second
        .add_pupil(&mut second_store, pupil("Dev", "Shah"), Utc::now())
        .unwrap();
    let from_first = open_file(&made(&first).text, PASS).unwrap();
    second
        .replace_with_backup(&mut second_store, &from_first, second.generation())
        .unwrap();
    assert_eq!(ValidBackup::from_desk(&second.desk), from_first);
    let reopened = OpenDesk::unlock(&mut second_store, PASS, Utc::now()).unwrap();
    assert_eq!(ValidBackup::from_desk(&reopened.desk), from_first);
    assert!(with_surname(&reopened.desk, "Shah").is_empty());
    drop(first.add_pupil(&mut first_store, pupil("X", "Y"), Utc::now()));
}

#[test]
fn a_restore_that_fails_part_way_or_fills_storage_leaves_the_desk_as_it_was() {
    let (_, first, mut second_store, mut second) = diverged();
    second
        .add_pupil(&mut second_store, pupil("Dev", "Shah"), Utc::now())
        .unwrap();
    let from_first = open_file(&made(&first).text, PASS).unwrap();
    let before = second_store.items().clone();
    for failure in [Failure::Once(3), Failure::From(4)] {
        second_store.fail(failure);
        assert!(second
            .replace_with_backup(&mut second_store, &from_first, second.generation())
            .is_err());
        second_store.heal();
        let reopened =
            OpenDesk::unlock(&mut second_store, PASS, Utc::now() + Duration::minutes(1)).unwrap();
        assert_eq!(reopened.desk.pupil_count(), 4);
        assert!(!with_surname(&reopened.desk, "Shah").is_empty());
        second_store = MemoryStore::with_items(before.clone());
        second = OpenDesk::unlock(&mut second_store, PASS, Utc::now()).unwrap();
    }
    let used = crate::store::storage_used(&second_store).unwrap();
    second_store.set_quota_units(Some(used + 100));
    assert_eq!(
        second.replace_with_backup(&mut second_store, &from_first, second.generation()),
        Err(DeskStoreError::Storage(StoreError::QuotaExceeded))
    );
    assert_eq!(second_store.items(), &before);
}

// ---------- the list of backups ----------

#[test]
fn a_recorded_backup_is_listed_after_reopening_and_counts_changes_since() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    assert!(open.backup_log().latest().is_none());
    let backup = made(&open);
    open.record_backup(&mut store, &backup).unwrap();
    open.add_pupil(&mut store, pupil("Dev", "Shah"), Utc::now())
        .unwrap();
    let reopened = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    let latest = reopened.backup_log().latest().unwrap();
    assert_eq!(latest.fingerprint, backup.fingerprint);
    assert_eq!(latest.bytes, backup.bytes());
    assert_eq!(
        reopened.backup_log().changes_since(reopened.generation()),
        Some(1)
    );
    assert_eq!(
        reopened.backup_log().due(
            Utc.with_ymd_and_hms(2099, 1, 1, 0, 0, 0).unwrap(),
            reopened.generation(),
            true
        ),
        Some(BackupDue::Days(
            (Utc.with_ymd_and_hms(2099, 1, 1, 0, 0, 0).unwrap() - latest.made).num_days()
        ))
    );
}

#[test]
fn point_3_a_restored_desk_gets_a_fresh_key_and_slots_so_no_slot_in_the_file_opens_it() {
    // Someone makes a desk, keeps its recovery key, and hands over a backup of it with its
    // passphrase: the recovery key they kept must not open the desk made from it.
    let mut store = MemoryStore::new();
    let (maker, makers_recovery) = desk(&mut store);
    let text = made(&maker).text;
    let file = BackupFile::read(text.as_bytes()).unwrap();
    let vault = file.unlock(PASS).unwrap();
    let backup = file.open(&vault).unwrap();
    let mut fresh = MemoryStore::new();
    let (restored, recovery) = OpenDesk::create_from_backup(
        &mut fresh,
        &backup,
        None,
        crate::vault::NewDeskKeys::make(
            "the passphrase the SENCO chose",
            KdfParams::for_tests(),
            Utc::now(),
        )
        .unwrap(),
        Utc::now(),
    )
    .unwrap();
    assert_eq!(
        ValidBackup::from_desk(&restored.desk),
        ValidBackup::from_desk(&maker.desk)
    );
    assert_ne!(restored.header().desk_id(), maker.header().desk_id());
    assert!(restored.header().slots.iter().all(|s| !file
        .header()
        .unwrap()
        .slots
        .iter()
        .any(|f| f.id == s.id || f.wrapped_key == s.wrapped_key)));
    drop(restored);
    for old_secret in [PASS.to_string(), makers_recovery.display()] {
        assert_eq!(
            OpenDesk::unlock(&mut fresh.clone(), &old_secret, Utc::now()).err(),
            Some(DeskStoreError::Vault(VaultError::WrongSecret))
        );
    }
    // The file's key opens none of the records now stored.
    let stored = OpenDesk::read_header(&fresh).unwrap();
    let mut reopened =
        OpenDesk::unlock(&mut fresh, "the passphrase the SENCO chose", Utc::now()).unwrap();
    assert_eq!(reopened.desk.pupil_count(), 3);
    assert!(
        OpenDesk::salvage(&fresh, &vault)
            .unwrap()
            .desk
            .pupil_count()
            == 0
    );
    assert!(OpenDesk::unlock(&mut fresh.clone(), &recovery.display(), Utc::now()).is_ok());
    assert!(stored.has_recovery_key());
    // And a backup made now does not open with the maker's recovery key either.
    let later = made(&reopened).text;
    assert!(matches!(
        open_file(&later, &makers_recovery.display()),
        Err(BackupError::WrongSecret)
    ));
    reopened.desk.zeroize();
}

#[test]
fn a_desk_restored_from_a_separately_protected_file_gets_a_recovery_key_too() {
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let mut fresh = MemoryStore::new();
    let restored =
        restore_into(&mut fresh, &made_for_colleague(&open).text, COLLEAGUE_PASS).unwrap();
    assert!(restored.header().has_recovery_key());
    drop(restored);
    let reopened = OpenDesk::unlock(&mut fresh, COLLEAGUE_PASS, Utc::now()).unwrap();
    assert_eq!(reopened.desk.pupil_count(), 3);
}

#[test]
fn the_contents_are_sealed_to_their_envelope() {
    // Contents moved into another envelope (same key) fail, as damage.
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let a: Envelope = serde_json::from_str(&made(&open).text).unwrap();
    let mut b = a.clone();
    b.created = crate::domain::dates::timestamp::format(&(a.made() + Duration::seconds(1)));
    b.checksum = crate::vault::to_hex(&<sha2::Sha256 as sha2::Digest>::digest(
        b.checksum_text().as_bytes(),
    ));
    let file = BackupFile::read(b.to_json().as_bytes()).unwrap();
    let vault = file.unlock(PASS).unwrap();
    assert!(matches!(file.open(&vault), Err(BackupError::Damaged(_))));
    let _ = STANDARD.decode(&a.contents).unwrap();
}

#[test]
fn older_or_newer_compares_each_sides_latest_edit() {
    let (mut first_store, mut first, _, second) = diverged();
    let snapshot = ValidBackup::from_desk(&second.desk);
    assert_eq!(compare_age(&first.desk, &snapshot), Age::Same);
    edit(
        &mut first_store,
        &mut first,
        "Okafor",
        Utc::now() + Duration::minutes(1),
    );
    assert_eq!(compare_age(&first.desk, &snapshot), Age::Older);
    let _ = PupilFile::new(pupil("a", "b"), Utc::now());
}

#[test]
fn the_bad_fixtures_used_by_the_browser_tests_fail_as_named() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let read = |name: &str| std::fs::read_to_string(format!("{dir}/{name}")).unwrap();
    let pass = "fixture passphrase 2026";
    assert!(matches!(
        open_file(&read("rekeyed/bad/duplicate-pupil-ids.json"), pass),
        Err(BackupError::DuplicatePupil { .. })
    ));
    assert!(matches!(
        open_file(&read("rekeyed/bad/note-for-missing-pupil.json"), pass),
        Err(BackupError::MissingPupil { .. })
    ));
    assert!(matches!(
        BackupFile::read(read("bad/absurd-key-settings.json").as_bytes()),
        Err(BackupError::UnsafeKdfParams(_))
    ));
    assert!(matches!(
        BackupFile::read(read("bad/newer-format.json").as_bytes()),
        Err(BackupError::NewerFormat { .. })
    ));
}

#[test]
fn a_desk_with_a_damaged_header_can_be_replaced_by_a_restore_but_no_other() {
    let (_, first, mut second_store, _) = diverged();
    let text = made(&first).text;
    let restore = |store: &mut MemoryStore| restore_into(store, &text, PASS);
    // A desk from a newer app is kept: it only needs the app updated.
    let mut items = second_store.items().clone();
    items.insert(
        crate::store::keys::HEADER_KEY.into(),
        r#"{"format":"senco-desk/store","version":9}"#.into(),
    );
    let mut newer = MemoryStore::with_items(items);
    assert_eq!(restore(&mut newer).err(), Some(DeskStoreError::DeskExists));
    // A header that cannot be read makes the desk unusable: a restore replaces it.
    second_store
        .set(crate::store::keys::HEADER_KEY, "{ not json")
        .unwrap();
    restore(&mut second_store).unwrap();
    let reopened = OpenDesk::unlock(&mut second_store, PASS, Utc::now()).unwrap();
    assert_eq!(
        ValidBackup::from_desk(&reopened.desk),
        ValidBackup::from_desk(&first.desk)
    );
}

#[test]
fn restoring_a_backup_of_the_same_desk_rewrites_only_what_differs() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    let backup = open_file(&made(&open).text, PASS).unwrap();
    edit(&mut store, &mut open, "Hughes", Utc::now());
    store.fail(Failure::Once(usize::MAX));
    let generation = open.generation();
    open.replace_with_backup(&mut store, &backup, generation)
        .unwrap();
    // Journal, settings, roster, Hughes's file and its summary, the parts of the manifest
    // holding those three, the manifest, head, journal removal.
    let hughes = with_surname(&open.desk, "Hughes")[0].clone();
    let parts: std::collections::BTreeSet<u8> = [
        "settings".to_string(),
        "roster".to_string(),
        format!("pupil-{}", hughes.id.0),
    ]
    .iter()
    .map(|id| crate::store::manifest_part_of(id))
    .collect();
    assert_eq!(store.writes(), 8 + parts.len());
    assert_eq!(hughes.forename, "Ben", "the backup's version is back");
    // Above the edited revision (2), so a form opened on that version is refused.
    assert_eq!(open.desk.file(&hughes.id).unwrap().revision, 3);
    let stale_form = open.save_pupil(&mut store, hughes.clone(), 2, Utc::now());
    assert!(matches!(
        stale_form,
        Err(DeskStoreError::Pupil(
            crate::domain::DeskError::ChangedElsewhere { .. }
        ))
    ));
}

#[test]
fn a_restore_confirmed_before_another_tab_saved_replaces_nothing() {
    let (_, first, mut second_store, mut second) = diverged();
    let from_first = open_file(&made(&first).text, PASS).unwrap();
    let warned_at = second.generation();
    let mut other_tab = OpenDesk::unlock(&mut second_store, PASS, Utc::now()).unwrap();
    other_tab
        .add_pupil(&mut second_store, pupil("Eve", "Turner"), Utc::now())
        .unwrap();
    let before = second_store.items().clone();
    assert_eq!(
        second.replace_with_backup(&mut second_store, &from_first, warned_at),
        Err(DeskStoreError::ChangedElsewhere)
    );
    assert_eq!(second_store.items(), &before);
    assert_eq!(
        with_surname(&second.desk, "Turner").len(),
        1,
        "the newer desk is loaded"
    );
}

#[test]
fn a_damaged_list_of_backups_does_not_keep_the_desk_shut() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    let backup = made(&open);
    open.record_backup(&mut store, &backup).unwrap();
    store
        .set(
            &crate::store::keys::record_key(crate::store::keys::BACKUPS_RECORD),
            "v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        )
        .unwrap();
    let reopened = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    assert_eq!(reopened.desk.pupil_count(), 3);
    assert!(reopened.backup_log().latest().is_none());
}

#[test]
fn an_edit_made_with_the_clock_put_back_still_backs_up() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    edit(
        &mut store,
        &mut open,
        "Hughes",
        Utc::now() - Duration::days(400),
    );
    let text = made(&open).text;
    assert_eq!(
        open_file(&text, PASS).unwrap(),
        ValidBackup::from_desk(&open.desk)
    );
}

#[test]
fn notes_with_the_same_words_written_on_each_side_are_all_kept_by_a_merge() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    // Two notes with the same words here, and one more written on the laptop.
    add_note(&mut first_store, &mut first, "Hughes", "Same words twice");
    add_note(&mut first_store, &mut first, "Hughes", "Same words twice");
    add_note(&mut second_store, &mut second, "Hughes", "Same words twice");
    edit(
        &mut second_store,
        &mut second,
        "Hughes",
        Utc::now() + Duration::minutes(5),
    );
    let from_second = open_file(&made(&second).text, PASS).unwrap();
    let plan = MergePlan::make(&first.desk, first.generation(), &from_second);
    first.merge_backup(&mut first_store, &plan).unwrap();
    let id = with_surname(&first.desk, "Hughes")[0].id.clone();
    let file = first.desk.file(&id).unwrap();
    assert_eq!(file.pupil.forename, "Ben (edited)");
    assert_eq!(
        file.notes
            .iter()
            .filter(|n| n.text == "Same words twice")
            .count(),
        3,
        "three notes were written, each with an id of its own"
    );
    let again = MergePlan::make(&first.desk, first.generation(), &from_second);
    assert!(again.changes_nothing());
}

#[test]
fn key_settings_beyond_four_times_the_apps_own_are_refused_in_a_backup() {
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let mut envelope: Envelope = serde_json::from_str(&made(&open).text).unwrap();
    // Allowed for a stored desk (256 MiB), but not for a file from anywhere.
    envelope.slots[0].kdf.params.memory_kib = 256 * 1024;
    envelope.checksum = crate::vault::to_hex(&<sha2::Sha256 as sha2::Digest>::digest(
        envelope.checksum_text().as_bytes(),
    ));
    assert!(matches!(
        BackupFile::read(envelope.to_json().as_bytes()),
        Err(BackupError::UnsafeKdfParams(_))
    ));
}

#[test]
fn a_file_saved_with_a_byte_order_mark_still_opens() {
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(made(&open).text.as_bytes());
    let file = BackupFile::read(&bytes).unwrap();
    assert_eq!(
        file.open(&file.unlock(PASS).unwrap()).unwrap(),
        ValidBackup::from_desk(&open.desk)
    );
}

#[test]
fn a_failed_restore_over_a_damaged_desk_leaves_the_damaged_desk_as_it_was() {
    let (_, first, mut second_store, _) = diverged();
    second_store
        .set(crate::store::keys::HEADER_KEY, "{ not json")
        .unwrap();
    let damaged = second_store.items().clone();
    second_store.fail(Failure::Once(5));
    assert!(restore_into(&mut second_store, &made(&first).text, PASS).is_err());
    assert_eq!(second_store.items(), &damaged);
}

#[test]
fn a_desk_upgraded_from_an_earlier_version_backs_up_restores_and_merges() {
    // The desk as Senco Desk 0.1 stored it (header version 1, base64 records).
    let snapshot: serde_json::Value = serde_json::from_str(include_str!(
        "../../tests/fixtures/rekeyed/storage-snapshot-v1.json"
    ))
    .unwrap();
    let items = serde_json::from_value(snapshot["items"].clone()).unwrap();
    let mut store = MemoryStore::with_items(items);
    let pass = "fixture passphrase 2026";
    let mut open = OpenDesk::unlock(&mut store, pass, Utc::now()).unwrap();
    open.add_pupil(&mut store, pupil("Dev", "Shah"), Utc::now())
        .unwrap();
    assert_eq!(open.header().version, crate::vault::FORMAT_VERSION);

    // The backup carries the same key slots, whose associated data still says v1.
    let text = made(&open).text;
    let file = BackupFile::read(text.as_bytes()).unwrap();
    assert_eq!(file.header().unwrap().slots, open.header().slots);
    let vault = file.unlock(pass).unwrap();
    let backup = file.open(&vault).unwrap();
    assert_eq!(backup.files.len(), 3);

    // Restored in a fresh browser: this version, every record dense.
    let mut fresh = MemoryStore::new();
    let (restored, _) = OpenDesk::create_from_backup(
        &mut fresh,
        &backup,
        None,
        crate::vault::NewDeskKeys::make(pass, KdfParams::for_tests(), Utc::now()).unwrap(),
        Utc::now(),
    )
    .unwrap();
    assert_eq!(restored.header().version, crate::vault::FORMAT_VERSION);
    assert_eq!(restored.desk.pupil_count(), 3);
    for (key, value) in fresh.items() {
        if key.starts_with("senco-desk/record/") {
            assert!(value.starts_with("v2."), "{key}");
        }
    }
    drop(restored);
    let mut fresh = MemoryStore::with_items(fresh.items().clone());
    assert!(OpenDesk::unlock(&mut fresh, pass, Utc::now()).is_ok());

    // Merged into the fixture desk as it was (still version 1): the merge upgrades it.
    let items = serde_json::from_value(snapshot["items"].clone()).unwrap();
    let mut old_store = MemoryStore::with_items(items);
    let mut old = OpenDesk::unlock(&mut old_store, pass, Utc::now()).unwrap();
    let plan = MergePlan::make(&old.desk, old.generation(), &backup);
    old.merge_backup(&mut old_store, &plan).unwrap();
    assert_eq!(old.header().version, crate::vault::FORMAT_VERSION);
    let mut again = MemoryStore::with_items(old_store.items().clone());
    let reopened = OpenDesk::unlock(&mut again, pass, Utc::now()).unwrap();
    assert_eq!(reopened.desk.pupil_count(), 3);
}

// ---------- issue 12, point 1: a merge that never deletes ----------

/// Raises a concern about a pupil and, if given, decides it (which records a status change).
fn raise_concern(
    store: &mut MemoryStore,
    open: &mut OpenDesk,
    surname: &str,
    seen: &str,
    outcome: Option<crate::domain::Outcome>,
) {
    use crate::domain::concern::{decide_concern, Decision, RaisedBy};
    let id = with_surname(&open.desk, surname)[0].id.clone();
    let mut file = open.desk.file(&id).unwrap().clone();
    let today = Utc::now().date_naive();
    file.concerns.push(crate::domain::Concern {
        id: String::new(),
        raised_on: today,
        raised_by: RaisedBy::Staff,
        raised_by_name: "Mrs Patel".into(),
        area: None,
        seen: seen.into(),
        evidence: String::new(),
        actions: String::new(),
        decision: None,
        other_decisions: Vec::new(),
        recorded_at: Utc::now(),
    });
    if let Some(outcome) = outcome {
        let index = file.concerns.len() - 1;
        let born = file.pupil.date_of_birth;
        decide_concern(
            &mut file.concerns,
            index,
            &mut file.sen,
            Decision {
                outcome,
                on: today,
                note: String::new(),
                recorded_at: Utc::now(),
            },
            born,
            today,
        )
        .unwrap();
    }
    open.save_file(store, file.clone(), file.revision, Utc::now())
        .unwrap();
}

fn file_of<'a>(open: &'a OpenDesk, surname: &str) -> &'a PupilFile {
    let id = with_surname(&open.desk, surname)[0].id.clone();
    open.desk.file(&id).unwrap()
}

#[test]
fn point_1_a_later_edit_in_a_backup_never_wipes_concerns_or_status_changes_made_here() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    // On the desk: a concern decided as SEN support, which records a status change.
    raise_concern(
        &mut first_store,
        &mut first,
        "Hughes",
        "Struggles to follow instructions",
        Some(crate::domain::Outcome::SenSupport),
    );
    // On the laptop, later: Ben's class changes.
    set_class(
        &mut second_store,
        &mut second,
        "Hughes",
        "4C",
        Utc::now() + Duration::minutes(10),
    );
    let from_laptop = open_file(&made(&second).text, PASS).unwrap();
    assert!(
        from_laptop
            .files
            .values()
            .any(|f| f.updated_at > file_of(&first, "Hughes").updated_at),
        "the backup's copy is the later edit"
    );
    let plan = MergePlan::make(&first.desk, first.generation(), &from_laptop);
    assert!(plan.changed.iter().all(|c| c.removed.is_empty()));
    first.merge_backup(&mut first_store, &plan).unwrap();
    let reopened = OpenDesk::unlock(&mut first_store, PASS, Utc::now()).unwrap();
    let hughes = file_of(&reopened, "Hughes");
    assert_eq!(hughes.pupil.class_name, "4C", "the laptop's later class");
    assert_eq!(hughes.concerns.len(), 1, "the desk's concern is kept");
    assert!(hughes.concerns[0].decision.is_some());
    assert_eq!(
        hughes.sen.status_on(Utc::now().date_naive()),
        crate::domain::SenStatus::SenSupport,
        "the status change from the decision is kept"
    );
    // And the other way: the desk's backup merged into the laptop ends the same.
    let from_desk = open_file(&made(&reopened).text, PASS).unwrap();
    let plan = MergePlan::make(&second.desk, second.generation(), &from_desk);
    second.merge_backup(&mut second_store, &plan).unwrap();
    let mut a = file_of(&second, "Hughes").clone();
    let mut b = hughes.clone();
    a.revision = 0;
    b.revision = 0;
    assert_eq!(a, b, "both orders converge");
}

#[test]
fn point_1_a_backup_dated_2099_is_moved_back_and_does_not_win_later_merges() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    // The laptop's clock says 2099 when Ben's class is changed there.
    let year_2099 = Utc.with_ymd_and_hms(2099, 1, 1, 9, 0, 0).unwrap();
    set_class(
        &mut second_store,
        &mut second,
        "Hughes",
        "Wrong clock",
        year_2099,
    );
    let made_at = Utc::now();
    let text = second
        .make_backup(OpensWith::DeskSecrets, made_at, local_now())
        .unwrap()
        .text;
    let file = BackupFile::read(text.as_bytes()).unwrap();
    let backup = file.open(&file.unlock(PASS).unwrap()).unwrap();
    assert!(
        backup.clamped >= 2,
        "updated_at and the history entry moved"
    );
    let hughes = backup
        .files
        .values()
        .find(|f| f.pupil.surname == "Hughes")
        .unwrap();
    assert!(hughes.updated_at <= made_at);
    assert!(hughes.history.iter().all(|c| c.at <= made_at));
    // The desk changes Ben's class after the backup was made: its edit is the later one.
    set_class(
        &mut first_store,
        &mut first,
        "Hughes",
        "4A",
        made_at + Duration::minutes(5),
    );
    let plan = MergePlan::make(&first.desk, first.generation(), &backup);
    let change = plan
        .changed
        .iter()
        .find(|c| c.name == "Hughes, Ben")
        .unwrap();
    assert_eq!(change.details[0].detail, Detail::Class);
    assert!(!change.details[0].kept_theirs);
    first.merge_backup(&mut first_store, &plan).unwrap();
    assert_eq!(file_of(&first, "Hughes").pupil.class_name, "4A");
    assert!(file_of(&first, "Hughes").updated_at < year_2099);
}

#[test]
fn point_1_two_drafts_of_one_plan_number_are_both_kept_the_second_renumbered() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    let start = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    for (store, open, text) in [
        (&mut first_store, &mut first, "Drafted on the desk"),
        (&mut second_store, &mut second, "Drafted on the laptop"),
    ] {
        let file = file_of(open, "Hughes").clone();
        let mut plan = file.new_plan(start, false, start).unwrap();
        plan.strengths = text.into();
        assert_eq!(plan.cycle, 1);
        open.save_file(store, file.with_plan(plan), file.revision, Utc::now())
            .unwrap();
    }
    let backup = open_file(&made(&second).text, PASS).unwrap();
    let plan = MergePlan::make(&first.desk, first.generation(), &backup);
    let change = plan
        .changed
        .iter()
        .find(|c| c.name == "Hughes, Ben")
        .unwrap();
    assert_eq!(change.added, ["1 support plan", "1 change-history entry"]);
    assert_eq!(change.plans.len(), 1, "{:?}", change.plans);
    first.merge_backup(&mut first_store, &plan).unwrap();
    let hughes = file_of(&first, "Hughes").clone();
    let mut strengths: Vec<_> = hughes
        .plans
        .iter()
        .map(|p| (p.cycle, p.strengths.clone()))
        .collect();
    strengths.sort();
    assert_eq!(strengths.len(), 2);
    assert_eq!(
        strengths.iter().map(|(c, _)| *c).collect::<Vec<_>>(),
        [1, 2]
    );
    assert!(strengths.iter().any(|(_, s)| s == "Drafted on the desk"));
    assert!(strengths.iter().any(|(_, s)| s == "Drafted on the laptop"));
    assert_eq!(hughes.plans.iter().filter(|p| p.merge_clash).count(), 1);
    // The file still keeps the rules: it can be saved and backed up, and a second merge of
    // the same file changes nothing.
    first
        .save_file(
            &mut first_store,
            hughes.clone(),
            hughes.revision,
            Utc::now(),
        )
        .unwrap();
    assert!(open_file(&made(&first).text, PASS).is_ok());
    assert!(MergePlan::make(&first.desk, first.generation(), &backup).changes_nothing());
}

#[test]
fn point_1_records_from_an_older_backup_match_by_their_recorded_time() {
    // A desk restored from the 0.4.0 fixture (no ids in it), then edited: merging the same
    // old file brings no second copy of any concern, plan, note or contact.
    let text = include_str!("../../tests/fixtures/rekeyed/backup-v1-contents-v3.json");
    let pass = "fixture passphrase 2026";
    let mut store = MemoryStore::new();
    let mut open = restore_into(&mut store, text, pass).unwrap();
    let fixture = open_file(text, pass).unwrap();
    let amara = with_surname(&open.desk, "Okafor")[0].id.clone();
    assert!(!open.desk.file(&amara).unwrap().plans.is_empty());
    assert!(MergePlan::make(&open.desk, open.generation(), &fixture).changes_nothing());
    add_note(&mut store, &mut open, "Okafor", "Written after the restore");
    let plan = MergePlan::make(&open.desk, open.generation(), &fixture);
    assert!(plan.changes_nothing(), "{plan:?}");
    let file = open.desk.file(&amara).unwrap();
    for (what, ids) in [
        (
            "concerns",
            file.concerns.iter().map(|c| &c.id).collect::<Vec<_>>(),
        ),
        ("plans", file.plans.iter().map(|p| &p.id).collect()),
        ("notes", file.notes.iter().map(|n| &n.id).collect()),
        (
            "contacts",
            file.pupil.contacts.iter().map(|c| &c.id).collect(),
        ),
    ] {
        let fixture_ids: Vec<&String> = match what {
            "concerns" => fixture.files[&amara]
                .concerns
                .iter()
                .map(|c| &c.id)
                .collect(),
            "plans" => fixture.files[&amara].plans.iter().map(|p| &p.id).collect(),
            "notes" => fixture.files[&amara].notes.iter().map(|n| &n.id).collect(),
            _ => fixture.files[&amara]
                .pupil
                .contacts
                .iter()
                .map(|c| &c.id)
                .collect(),
        };
        for id in fixture_ids {
            assert!(ids.contains(&id), "{what}: {id} matched");
        }
    }
}

#[test]
fn point_1_a_removed_contact_and_a_deleted_draft_stay_deleted_after_merging_an_older_backup() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    // Amara's mother is added on the desk, and the laptop merges the desk's backup: both
    // copies then hold the contact and Amara's draft plan 2.
    let mut file = file_of(&first, "Okafor").clone();
    let base = file.revision;
    file.pupil.contacts.push(crate::domain::Contact {
        name: "Grace Okafor".into(),
        relationship: "Mother".into(),
        phone: "07700 900123".into(),
        ..Default::default()
    });
    first
        .save_file(&mut first_store, file, base, Utc::now())
        .unwrap();
    let older = open_file(&made(&first).text, PASS).unwrap();
    let plan = MergePlan::make(&second.desk, second.generation(), &older);
    second.merge_backup(&mut second_store, &plan).unwrap();
    assert_eq!(file_of(&second, "Okafor").pupil.contacts.len(), 1);
    assert!(file_of(&second, "Okafor").plan(2).is_some());

    // On the desk: the contact removed and the draft deleted, on purpose.
    let file = file_of(&first, "Okafor").clone();
    let mut edited = file.without_draft(2).unwrap();
    edited.pupil.contacts.clear();
    first
        .save_file(&mut first_store, edited, file.revision, Utc::now())
        .unwrap();
    let now_desk = file_of(&first, "Okafor").clone();
    assert_eq!(now_desk.removed.len(), 2, "{:?}", now_desk.removed);

    // Merging the older backup back into the desk does not bring them back.
    let plan = MergePlan::make(&first.desk, first.generation(), &older);
    assert!(plan.changes_nothing(), "{plan:?}");
    first.merge_backup(&mut first_store, &plan).unwrap();
    let after = file_of(&first, "Okafor");
    assert!(after.pupil.contacts.is_empty());
    assert!(after.plan(2).is_none());

    // Merged into the laptop, which still has both, the deletions are applied and listed.
    let from_desk = open_file(&made(&first).text, PASS).unwrap();
    let plan = MergePlan::make(&second.desk, second.generation(), &from_desk);
    let change = plan
        .changed
        .iter()
        .find(|c| c.name == "Okafor, Amara")
        .unwrap();
    assert_eq!(
        change.removed,
        ["Parent or carer Grace Okafor", "Draft support plan 2"]
    );
    second.merge_backup(&mut second_store, &plan).unwrap();
    let laptop = file_of(&second, "Okafor");
    assert!(laptop.pupil.contacts.is_empty());
    assert!(laptop.plan(2).is_none());
    // The older copy merged into the desk again changes nothing.
    assert!(MergePlan::make(&first.desk, first.generation(), &older).changes_nothing());
}

#[test]
fn point_1_an_erased_pupil_never_comes_back_from_an_older_backup() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    let older = open_file(&made(&open).text, PASS).unwrap();
    let hughes = with_surname(&open.desk, "Hughes")[0].id.clone();
    open.delete_pupil(&mut store, &hughes, Utc::now().date_naive())
        .unwrap();
    // Merge: Ben stays erased, and the preview says why.
    let plan = MergePlan::make(&open.desk, open.generation(), &older);
    assert!(plan.added.is_empty());
    assert_eq!(
        plan.kept_erased
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["Hughes, Ben"]
    );
    open.merge_backup(&mut store, &plan).unwrap();
    assert!(open.desk.file(&hughes).is_none());
    // Restore over the desk: Ben stays erased there too.
    open.replace_with_backup(&mut store, &older, open.generation())
        .unwrap();
    assert!(open.desk.file(&hughes).is_none());
    assert_eq!(open.desk.pupil_count(), 2);
    for (record, text) in open.every_plaintext(&store) {
        assert!(
            !text.contains("Hughes") && !text.contains(&hughes.0),
            "{record}"
        );
    }
    // A backup made now carries the erasure, so a fresh browser restored from it and then
    // merged with the older file keeps Ben erased as well.
    let mut fresh = MemoryStore::new();
    let mut restored = restore_into(&mut fresh, &made(&open).text, PASS).unwrap();
    let plan = MergePlan::make(&restored.desk, restored.generation(), &older);
    assert!(plan.added.is_empty() && plan.kept_erased.len() == 1);
    restored.merge_backup(&mut fresh, &plan).unwrap();
    assert!(restored.desk.file(&hughes).is_none());
}

#[test]
fn point_1_an_erasure_made_on_another_copy_is_applied_by_a_merge_and_listed() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    let hughes = with_surname(&second.desk, "Hughes")[0].id.clone();
    second
        .delete_pupil(&mut second_store, &hughes, Utc::now().date_naive())
        .unwrap();
    let from_laptop = open_file(&made(&second).text, PASS).unwrap();
    let plan = MergePlan::make(&first.desk, first.generation(), &from_laptop);
    assert_eq!(
        plan.erasing
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["Hughes, Ben"]
    );
    assert!(!plan.changes_nothing());
    first.merge_backup(&mut first_store, &plan).unwrap();
    assert!(first.desk.file(&hughes).is_none());
    for (record, text) in first.every_plaintext(&first_store) {
        assert!(!text.contains("Hughes"), "{record}");
    }
    assert!(MergePlan::make(&first.desk, first.generation(), &from_laptop).changes_nothing());
}

// ---------- issue 12, point 8: a damaged header must not push the SENCO into wiping ----------

#[test]
fn point_8_a_damaged_header_restore_keeps_the_newer_records_still_intact() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    let backup_text = made(&open).text;
    // After the backup: Ben's class changes and a new pupil is added...
    set_class(&mut store, &mut open, "Hughes", "4C", Utc::now());
    open.add_pupil(&mut store, pupil("Dev", "Shah"), Utc::now())
        .unwrap();
    drop(open);
    // ...then someone damages the header on purpose.
    store
        .set(crate::store::keys::HEADER_KEY, "{ damaged on purpose")
        .unwrap();
    let damaged = store.items().clone();

    // The backup's key (the desk's own) still opens every record: they are named as intact.
    let file = BackupFile::read(backup_text.as_bytes()).unwrap();
    let vault = file.unlock(PASS).unwrap();
    let backup = file.open(&vault).unwrap();
    let salvage = OpenDesk::salvage(&store, &vault).unwrap();
    assert_eq!(store.items(), &damaged, "looking writes nothing");
    assert_eq!(salvage.unreadable, 0);
    assert!(salvage.settings_intact);
    let mut names: Vec<String> = salvage.desk.files().map(|f| f.pupil.sort_name()).collect();
    names.sort();
    assert_eq!(
        names,
        ["Abbott, Chloe", "Hughes, Ben", "Okafor, Amara", "Shah, Dev"]
    );
    // Keeping them merges the backup in: nothing newer is lost.
    let (restored, _) = OpenDesk::create_from_backup(
        &mut store,
        &backup,
        Some(&salvage),
        crate::vault::NewDeskKeys::make(PASS, KdfParams::for_tests(), Utc::now()).unwrap(),
        Utc::now(),
    )
    .unwrap();
    assert_eq!(restored.desk.pupil_count(), 4);
    assert_eq!(file_of(&restored, "Hughes").pupil.class_name, "4C");
    assert_eq!(file_of(&restored, "Okafor").plans.len(), 2);
    drop(restored);
    let reopened = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    assert_eq!(reopened.desk.pupil_count(), 4);

    // Settings that no longer open are taken from the backup.
    let mut lost_settings = MemoryStore::with_items(damaged.clone());
    lost_settings
        .set(
            &crate::store::keys::record_key(crate::store::keys::SETTINGS_RECORD),
            "v2.damaged",
        )
        .unwrap();
    let salvage = OpenDesk::salvage(&lost_settings, &vault).unwrap();
    assert!(!salvage.settings_intact);
    let (restored, _) = OpenDesk::create_from_backup(
        &mut lost_settings,
        &backup,
        Some(&salvage),
        crate::vault::NewDeskKeys::make(PASS, KdfParams::for_tests(), Utc::now()).unwrap(),
        Utc::now(),
    )
    .unwrap();
    assert_eq!(restored.desk.settings.school_name, "Oakfield Primary");
    assert_eq!(restored.desk.pupil_count(), 4);
    drop(restored);

    // Replacing instead (the SENCO's explicit choice) gives the backup as it was.
    let mut replaced = MemoryStore::with_items(damaged);
    let (restored, _) = OpenDesk::create_from_backup(
        &mut replaced,
        &backup,
        None,
        crate::vault::NewDeskKeys::make(PASS, KdfParams::for_tests(), Utc::now()).unwrap(),
        Utc::now(),
    )
    .unwrap();
    assert_eq!(restored.desk.pupil_count(), 3);
    assert_eq!(file_of(&restored, "Hughes").pupil.class_name, "");
}

#[test]
fn point_8_records_the_backup_cannot_open_are_counted_not_named() {
    // A backup with its own passphrase has its own key: nothing stored opens with it.
    let mut store = MemoryStore::new();
    let (open, _) = desk(&mut store);
    let text = made_for_colleague(&open).text;
    drop(open);
    store
        .set(crate::store::keys::HEADER_KEY, "{ damaged")
        .unwrap();
    let file = BackupFile::read(text.as_bytes()).unwrap();
    let vault = file.unlock(COLLEAGUE_PASS).unwrap();
    let salvage = OpenDesk::salvage(&store, &vault).unwrap();
    assert_eq!(salvage.desk.pupil_count(), 0);
    assert_eq!(salvage.unreadable, 3);
    assert!(!salvage.settings_intact);
}

#[test]
fn point_5_a_restored_desk_has_its_new_recovery_key_unconfirmed() {
    let (mut first_store, mut first, _, _) = diverged();
    first.confirm_recovery_key(&mut first_store).unwrap();
    assert!(!first.desk.settings.recovery_key_unconfirmed);
    let mut again = MemoryStore::new();
    restore_into(&mut again, &made(&first).text, PASS).unwrap();
    let reopened = OpenDesk::unlock(&mut again, PASS, Utc::now()).unwrap();
    assert!(reopened.desk.settings.recovery_key_unconfirmed);
}

#[test]
fn point_3_a_merge_preview_tells_apart_pupils_whose_names_read_the_same() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    let before = made(&open).text;
    // Another Ben Hughes joins after the backup the other computer was restored from.
    let mut namesake = crate::test_support::pupil("Ben", "Hughes");
    namesake.date_of_birth = NaiveDate::from_ymd_opt(2016, 2, 29);
    open.add_pupil(&mut store, namesake, Utc::now()).unwrap();
    let after = open_file(&made(&open).text, PASS).unwrap();
    let mut fresh = MemoryStore::new();
    let restored = restore_into(&mut fresh, &before, PASS).unwrap();
    let plan = MergePlan::make(&restored.desk, restored.generation(), &after);
    assert_eq!(plan.added, ["Hughes, Ben (born 29/02/2016)"]);
}
