//! Provisions kept safe as pupils' files are: sealed at rest, saved against the revision
//! an edit began from, carried by backups, combined by a merge without losing a session or
//! a measure, and gone with an erased pupil.

use super::tests::{desk, diverged, envelope_with_contents, made, open_file, restore_into, PASS};
use super::*;
use crate::domain::provision::calendar::Slot;
use crate::domain::provision::impact::{Measure, Measured, Rating};
use crate::domain::provision::record::{
    Funding, NotDelivered, Provision, ProvisionType, SessionOutcome, SessionRecord, Wave,
};
use crate::domain::{BroadArea, PupilId};
use crate::store::{DeskStoreError, KeyValueStore, MemoryStore, OpenDesk};
use crate::test_support::with_surname;
use chrono::{Duration, NaiveDate, NaiveTime, Utc, Weekday};

fn day(m: u32, d: u32) -> NaiveDate {
    let y = if m >= 9 { 2026 } else { 2027 };
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn nine() -> NaiveTime {
    NaiveTime::from_hms_opt(9, 0, 0).unwrap()
}

fn pupil_id(open: &OpenDesk, surname: &str) -> PupilId {
    with_surname(&open.desk, surname)[0].id.clone()
}

/// A reading group for Okafor and Hughes, saved on `open`.
fn reading_group(store: &mut MemoryStore, open: &mut OpenDesk) -> Provision {
    let now = Utc::now();
    let mut provision = Provision {
        id: "a1b2c3d4e5f60718".into(),
        name: "Reading catch-up".into(),
        area: BroadArea::CognitionAndLearning,
        description: "Phonics and fluency".into(),
        intended_outcome: "Reading age up six months".into(),
        kind: ProvisionType::SmallGroup,
        wave: Wave::Two,
        staff: Vec::new(),
        timetable: vec![Slot {
            weekday: Weekday::Mon,
            starts: nine(),
        }],
        minutes: 30,
        starts: day(9, 7),
        ends: day(12, 18),
        extra_costs: Vec::new(),
        removed_costs: Vec::new(),
        funding: Funding::NotionalSenBudget,
        confidential: false,
        enrolments: Vec::new(),
        sessions: Vec::new(),
        details_edited: now,
        history: Vec::new(),
        revision: 0,
    };
    for surname in ["Okafor", "Hughes"] {
        provision
            .enrol(&pupil_id(open, surname), day(9, 7), now)
            .unwrap();
    }
    open.save_provision(store, provision, None, "Made it", Utc::now())
        .unwrap();
    open.desk.provision("a1b2c3d4e5f60718").unwrap().clone()
}

fn delivered(on: NaiveDate, attended: Vec<PupilId>) -> SessionRecord {
    SessionRecord {
        on,
        starts: nine(),
        outcome: SessionOutcome::Delivered { attended },
        recorded: Utc::now(),
    }
}

fn record(store: &mut MemoryStore, open: &mut OpenDesk, sessions: Vec<SessionRecord>) {
    let mut provision = open.desk.provision("a1b2c3d4e5f60718").unwrap().clone();
    let base = provision.revision;
    provision.record_sessions(sessions, Utc::now()).unwrap();
    open.save_provision(
        store,
        provision,
        Some(base),
        "Recorded sessions",
        Utc::now(),
    )
    .unwrap();
}

#[test]
fn a_provision_is_sealed_at_rest_and_reopens_with_its_pupils_and_sessions() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    reading_group(&mut store, &mut open);
    let okafor = pupil_id(&open, "Okafor");
    record(
        &mut store,
        &mut open,
        vec![delivered(day(9, 7), vec![okafor.clone()])],
    );
    for (key, value) in store.items() {
        assert!(!value.contains("Reading catch-up"), "{key} holds the name");
        assert!(!value.contains(&okafor.0), "{key} holds a pupil id");
    }
    let reopened = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    let provision = reopened.desk.provision("a1b2c3d4e5f60718").unwrap();
    assert_eq!(provision.enrolments.len(), 2);
    assert_eq!(provision.sessions[0].attended(), [okafor]);
    assert!(reopened.integrity.is_empty(), "{:?}", reopened.integrity);
}

#[test]
fn an_edit_begun_before_another_tab_saved_the_provision_is_refused_not_lost() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    let first = reading_group(&mut store, &mut open);
    let mut elsewhere = first.clone();
    record(
        &mut store,
        &mut open,
        vec![delivered(day(9, 7), Vec::new())],
    );
    elsewhere.name = "Renamed".into();
    assert!(matches!(
        open.save_provision(
            &mut store,
            elsewhere,
            Some(first.revision),
            "Renamed",
            Utc::now()
        ),
        Err(DeskStoreError::Pupil(
            crate::domain::DeskError::ChangedElsewhere { .. }
        ))
    ));
    let kept = open.desk.provision(&first.id).unwrap();
    assert_eq!(kept.name, "Reading catch-up");
    assert_eq!(kept.sessions.len(), 1);
}

#[test]
fn a_damaged_provision_record_is_named_and_the_desk_still_opens() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    reading_group(&mut store, &mut open);
    let key = "senco-desk/record/provision-a1b2c3d4e5f60718";
    // One character changed to another of the same alphabet: it decodes, but fails its tag.
    let mut chars: Vec<char> = store.get(key).unwrap().unwrap().chars().collect();
    chars[10] = char::from_u32(u32::from(chars[10]) ^ 1).unwrap();
    store
        .set(key, &chars.into_iter().collect::<String>())
        .unwrap();
    let reopened = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    assert_eq!(reopened.desk.pupil_count(), 3);
    assert_eq!(reopened.desk.damaged_provisions, ["a1b2c3d4e5f60718"]);
    let said: Vec<String> = reopened.integrity.iter().map(|f| f.to_string()).collect();
    assert_eq!(
        said,
        ["A provision's record (provision-a1b2c3d4e5f60718): was changed outside Senco Desk and no longer opens."]
    );
}

#[test]
fn erasing_a_pupil_takes_them_out_of_every_provision_and_register() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    reading_group(&mut store, &mut open);
    let okafor = pupil_id(&open, "Okafor");
    let hughes = pupil_id(&open, "Hughes");
    record(
        &mut store,
        &mut open,
        vec![delivered(day(9, 7), vec![okafor.clone(), hughes.clone()])],
    );
    open.delete_pupil(&mut store, &okafor, day(11, 30)).unwrap();
    let provision = open.desk.provision("a1b2c3d4e5f60718").unwrap();
    assert_eq!(provision.enrolments.len(), 1);
    assert_eq!(
        provision.sessions[0].attended(),
        std::slice::from_ref(&hughes)
    );
    let reopened = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    assert!(reopened.integrity.is_empty());
    for (record, plain) in reopened.every_plaintext(&store) {
        assert!(!plain.contains(&okafor.0), "{record} still names them");
    }
}

#[test]
fn a_backup_carries_provisions_and_a_restore_brings_them_back() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    reading_group(&mut store, &mut open);
    let text = made(&open).text;
    let backup = open_file(&text, PASS).unwrap();
    assert_eq!(backup.provisions.len(), 1);
    let mut fresh = MemoryStore::new();
    let restored = restore_into(&mut fresh, &text, PASS).unwrap();
    assert_eq!(
        restored.desk.provision("a1b2c3d4e5f60718"),
        open.desk.provision("a1b2c3d4e5f60718")
    );
    // Restoring an older backup over the desk takes away a provision made since.
    let older = made(&restored).text;
    let mut later = open.desk.provision("a1b2c3d4e5f60718").unwrap().clone();
    later.id = "0000000000000001".into();
    open.save_provision(&mut store, later, None, "Made it", Utc::now())
        .unwrap();
    let generation = open.generation();
    let older = open_file(&older, PASS).unwrap();
    open.replace_with_backup(&mut store, &older, generation)
        .unwrap();
    assert_eq!(open.desk.provision_count(), 1);
}

#[test]
fn a_merge_keeps_every_session_and_measure_recorded_on_either_copy() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    // The group is made on the first desk and reaches the second by a merge.
    reading_group(&mut first_store, &mut first);
    let plan = MergePlan::make(
        &second.desk,
        second.generation(),
        &open_file(&made(&first).text, PASS).unwrap(),
    );
    assert_eq!(plan.provisions_added, ["Reading catch-up"]);
    second.merge_backup(&mut second_store, &plan).unwrap();
    let okafor = pupil_id(&first, "Okafor");
    // Each desk records a different week; the second also enters Okafor's measures later.
    record(
        &mut first_store,
        &mut first,
        vec![delivered(day(9, 7), vec![okafor.clone()])],
    );
    record(
        &mut second_store,
        &mut second,
        vec![SessionRecord {
            on: day(9, 14),
            starts: nine(),
            outcome: SessionOutcome::NotDelivered(NotDelivered::Trip),
            recorded: Utc::now(),
        }],
    );
    let mut measured = second.desk.provision("a1b2c3d4e5f60718").unwrap().clone();
    let base = measured.revision;
    let e = measured
        .enrolments
        .iter_mut()
        .find(|e| e.pupil == okafor)
        .unwrap();
    e.entry = Some(Measured {
        measure: Measure::ReadingAge { months: 84 },
        on: day(9, 7),
    });
    e.rating = Rating::new(1);
    e.edited = Utc::now() + Duration::seconds(1);
    second
        .save_provision(
            &mut second_store,
            measured,
            Some(base),
            "Measured",
            Utc::now(),
        )
        .unwrap();

    let plan = MergePlan::make(
        &first.desk,
        first.generation(),
        &open_file(&made(&second).text, PASS).unwrap(),
    );
    assert_eq!(plan.provisions_changed, ["Reading catch-up"]);
    first.merge_backup(&mut first_store, &plan).unwrap();
    let merged = first.desk.provision("a1b2c3d4e5f60718").unwrap().clone();
    let sessions: Vec<NaiveDate> = merged.sessions.iter().map(|s| s.on).collect();
    assert_eq!(sessions, [day(9, 7), day(9, 14)]);
    assert_eq!(merged.enrolment(&okafor).unwrap().rating, Rating::new(1));
    // Merging the other way gives the same provision, and merging again changes nothing.
    let plan = MergePlan::make(
        &second.desk,
        second.generation(),
        &open_file(&made(&first).text, PASS).unwrap(),
    );
    second.merge_backup(&mut second_store, &plan).unwrap();
    let mut other = second.desk.provision("a1b2c3d4e5f60718").unwrap().clone();
    other.revision = merged.revision;
    assert_eq!(other, merged);
    let again = MergePlan::make(
        &first.desk,
        first.generation(),
        &open_file(&made(&second).text, PASS).unwrap(),
    );
    assert!(again.provision_writes.is_empty());
}

#[test]
fn a_merge_takes_a_pupil_erased_on_either_side_out_of_provisions() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    reading_group(&mut first_store, &mut first);
    let plan = MergePlan::make(
        &second.desk,
        second.generation(),
        &open_file(&made(&first).text, PASS).unwrap(),
    );
    second.merge_backup(&mut second_store, &plan).unwrap();
    let okafor = pupil_id(&first, "Okafor");
    second
        .delete_pupil(&mut second_store, &okafor, day(11, 30))
        .unwrap();
    let plan = MergePlan::make(
        &first.desk,
        first.generation(),
        &open_file(&made(&second).text, PASS).unwrap(),
    );
    first.merge_backup(&mut first_store, &plan).unwrap();
    let provision = first.desk.provision("a1b2c3d4e5f60718").unwrap();
    assert!(provision.enrolment(&okafor).is_none());
    assert_eq!(provision.enrolments.len(), 1);
}

#[test]
fn a_backup_whose_provision_names_a_pupil_it_does_not_hold_is_refused() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    reading_group(&mut store, &mut open);
    let backup = ValidBackup::from_desk(&open.desk);
    let json = String::from_utf8(backup.to_json().to_vec()).unwrap();
    let okafor = pupil_id(&open, "Okafor");
    let stranger = json.replace(
        &format!("\"pupil\":\"{}\"", okafor.0),
        "\"pupil\":\"ffffffffffffffff\"",
    );
    assert_ne!(stranger, json);
    let text = envelope_with_contents(&open, &stranger);
    assert!(matches!(
        open_file(&text, PASS),
        Err(BackupError::MissingPupil { .. })
    ));
    let too_long = json.replace("\"minutes\":30", "\"minutes\":100000");
    let text = envelope_with_contents(&open, &too_long);
    match open_file(&text, PASS) {
        Err(BackupError::InvalidRecord(why)) => assert!(why.contains("provision 1"), "{why}"),
        other => panic!("{:?}", other.map(|_| ())),
    }
}

#[test]
fn a_merge_adds_the_staff_and_term_dates_only_the_backup_has_and_keeps_this_desks() {
    use crate::domain::provision::staff::{StaffMember, StaffRole};
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    let member = |id: &str, name: &str| StaffMember {
        id: id.into(),
        name: name.into(),
        role: StaffRole::TeachingAssistant,
        hourly: None,
        left: false,
    };
    let mut settings = first.desk.settings.clone();
    settings.provision.staff = vec![member("s1", "Mrs Patel"), member("s2", "Mr Jones")];
    first.save_settings(&mut first_store, settings).unwrap();
    let mut settings = second.desk.settings.clone();
    settings.provision.staff = vec![member("s1", "Mrs Patel-Khan")];
    second.save_settings(&mut second_store, settings).unwrap();
    let plan = MergePlan::make(
        &second.desk,
        second.generation(),
        &open_file(&made(&first).text, PASS).unwrap(),
    );
    assert_eq!(plan.setup_added, ["Mr Jones (Teaching assistant)"]);
    second.merge_backup(&mut second_store, &plan).unwrap();
    let names: Vec<&str> = second
        .desk
        .settings
        .provision
        .staff
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(names, ["Mrs Patel-Khan", "Mr Jones"]);
    let reopened = OpenDesk::unlock(&mut second_store, PASS, Utc::now()).unwrap();
    assert_eq!(reopened.desk.settings.provision.staff.len(), 2);
}

#[test]
fn staff_a_merge_cannot_add_within_the_limits_are_named_and_nothing_of_the_setup_changes() {
    use crate::domain::provision::setup::MOST_STAFF;
    use crate::domain::provision::staff::{StaffMember, StaffRole};
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    let member = |id: String| StaffMember {
        name: format!("Staff {id}"),
        id,
        role: StaffRole::TeachingAssistant,
        hourly: None,
        left: false,
    };
    // Each side at the limit with staff of its own: together they would be over it.
    let mut settings = first.desk.settings.clone();
    settings.provision.staff = (0..MOST_STAFF).map(|i| member(format!("a{i}"))).collect();
    first.save_settings(&mut first_store, settings).unwrap();
    let mut settings = second.desk.settings.clone();
    settings.provision.staff = (0..MOST_STAFF).map(|i| member(format!("b{i}"))).collect();
    second.save_settings(&mut second_store, settings).unwrap();
    let before = second.desk.settings.clone();
    let plan = MergePlan::make(
        &second.desk,
        second.generation(),
        &open_file(&made(&first).text, PASS).unwrap(),
    );
    assert!(plan.setup_added.is_empty());
    assert!(plan.settings.is_none());
    let why = plan.setup_not_added.clone().expect("the preview says why");
    assert!(
        why.starts_with("Staff a0 (Teaching assistant), Staff a1"),
        "{why}"
    );
    assert!(
        why.ends_with(&format!(
            "it lists {} staff; at most {MOST_STAFF} are allowed",
            2 * MOST_STAFF
        )),
        "{why}"
    );
    second.merge_backup(&mut second_store, &plan).unwrap();
    assert_eq!(second.desk.settings, before);
}

#[test]
fn the_home_lists_provision_part_follows_every_change_to_a_provision() {
    use crate::domain::provision::calendar::{SchoolCalendar, SchoolYearDates, Term};
    use crate::domain::provision::due::{provision_due_on_desk, DueCache, ProvisionDueKind};
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    let mut settings = open.desk.settings.clone();
    settings.provision.calendar = SchoolCalendar {
        years: vec![SchoolYearDates {
            starts_in: 2026,
            terms: vec![Term {
                name: "Autumn".into(),
                starts: day(9, 7),
                ends: day(12, 18),
            }],
            closures: Vec::new(),
            to_check: false,
        }],
    };
    open.save_settings(&mut store, settings).unwrap();
    reading_group(&mut store, &mut open);
    let today = day(11, 30);
    let mut cache = DueCache::default();
    let kinds = |items: &[crate::domain::provision::due::ProvisionDue]| {
        items.iter().map(|i| i.kind).collect::<Vec<_>>()
    };
    let (first, _) = cache.due(&open.desk, today, &[]);
    assert_eq!(kinds(&first), [ProvisionDueKind::SessionsNotRecorded]);
    // Every Monday up to today recorded: the cache notices the provision changed.
    let mondays: Vec<SessionRecord> = open
        .desk
        .settings
        .provision
        .calendar
        .planned_sessions(
            &open.desk.provision("a1b2c3d4e5f60718").unwrap().timetable,
            day(9, 7),
            today,
        )
        .into_iter()
        .map(|s| delivered(s.on, Vec::new()))
        .collect();
    record(&mut store, &mut open, mondays);
    let (after, _) = cache.due(&open.desk, today, &[]);
    assert!(after.is_empty(), "{after:?}");
    assert_eq!(after, provision_due_on_desk(&open.desk, today, &[]).0);
}

#[test]
fn provisions_open_with_the_full_files_after_home_shows() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    reading_group(&mut store, &mut open);
    let header = OpenDesk::read_header(&store).unwrap();
    let vault = header.unlock(PASS).unwrap();
    let mut summaries = OpenDesk::open_summaries(&mut store, header, vault, Utc::now()).unwrap();
    // Home's pupils' lists show from the summaries; no provision is read yet.
    assert_eq!(summaries.desk.provision_count(), 0);
    summaries.finish_opening(&store).unwrap();
    assert_eq!(summaries.desk.provision_count(), 1);
    assert!(summaries.integrity.is_empty());
}
