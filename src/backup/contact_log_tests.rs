//! The contact log (issue 17) kept as pupils' files are: each entry sealed at rest as a
//! record of its own, carried by backups and restored, merged without losing either copy's
//! actions, and an entry about several pupils losing only the one erased.

use super::tests::{desk, diverged, made, open_file, restore_into, PASS};
use super::*;
use crate::domain::contact_log::{AgreedAction, ContactHow, LogEntry, Party, PartyKind};
use crate::domain::PupilId;
use crate::store::{MemoryStore, OpenDesk};
use crate::test_support::with_surname;
use chrono::{NaiveDate, Utc};

fn d(text: &str) -> NaiveDate {
    crate::domain::dates::parse_date(text).unwrap()
}

fn pupil_id(open: &OpenDesk, surname: &str) -> PupilId {
    with_surname(&open.desk, surname)[0].id.clone()
}

/// A meeting about all three pupils with an agreed action, saved on `open`; its id.
fn meeting(store: &mut MemoryStore, open: &mut OpenDesk) -> String {
    let mut entry = LogEntry::new(d("02/11/2026"), ContactHow::Meeting);
    entry.with.push(Party {
        kind: PartyKind::Parent,
        name: "Mrs Okafor".into(),
    });
    entry.summary = "Spoke about the reading group for all three".into();
    entry.pupils = ["Okafor", "Hughes", "Abbott"]
        .iter()
        .map(|s| pupil_id(open, s))
        .collect();
    entry.actions.push(AgreedAction {
        id: String::new(),
        what: "Send the group timetable".into(),
        who: "SENCO".into(),
        by: Some(d("05/11/2026")),
        done_on: None,
    });
    open.save_log_entry(store, entry, None, "Logged", Utc::now())
        .unwrap();
    open.desk.log_entries().next().unwrap().id.clone()
}

#[test]
fn an_entry_is_sealed_at_rest_as_one_record_and_reopens() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    let id = meeting(&mut store, &mut open);
    for (key, value) in store.items() {
        assert!(!value.contains("reading group"), "{key} holds the summary");
        assert!(!value.contains("Mrs Okafor"), "{key} holds a name");
    }
    let log_records = store
        .items()
        .iter()
        .filter(|(k, _)| k.contains("log-"))
        .count();
    assert_eq!(log_records, 1);
    let reopened = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    let entry = reopened.desk.log_entry(&id).unwrap();
    assert_eq!(entry.pupils.len(), 3);
    assert_eq!(entry.actions[0].id.len(), 16);
    assert_eq!(entry.history[0].by, "SENCO");
    assert!(reopened.integrity.is_empty(), "{:?}", reopened.integrity);
}

#[test]
fn erasing_one_of_three_pupils_leaves_the_entry_for_the_other_two() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    let id = meeting(&mut store, &mut open);
    let hughes = pupil_id(&open, "Hughes");
    // An entry about Hughes alone goes with them.
    let mut alone = LogEntry::new(d("03/11/2026"), ContactHow::PhoneCall);
    alone.summary = "Hughes only".into();
    alone.pupils = vec![hughes.clone()];
    open.save_log_entry(&mut store, alone, None, "Logged", Utc::now())
        .unwrap();
    assert_eq!(open.desk.log_entries().count(), 2);
    open.delete_pupil(&mut store, &hughes, d("01/12/2026"))
        .unwrap();
    assert_eq!(open.desk.log_entries().count(), 1);
    let entry = open.desk.log_entry(&id).unwrap();
    assert_eq!(entry.pupils.len(), 2);
    assert!(!entry.pupils.contains(&hughes));
    let reopened = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    assert_eq!(reopened.desk.log_entry(&id).unwrap().pupils.len(), 2);
    assert_eq!(reopened.desk.log_entries().count(), 1);
    for (record, plain) in reopened.every_plaintext(&store) {
        assert!(!plain.contains(&hughes.0), "{record} still names them");
        assert!(
            !plain.contains("Hughes only"),
            "{record} still holds their entry"
        );
    }
}

#[test]
fn a_backup_carries_the_log_and_a_restore_brings_it_back() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    let id = meeting(&mut store, &mut open);
    let text = made(&open).text;
    let backup = open_file(&text, PASS).unwrap();
    assert_eq!(backup.contact_log[&id], *open.desk.log_entry(&id).unwrap());
    let mut fresh = MemoryStore::new();
    let restored = restore_into(&mut fresh, &text, PASS).unwrap();
    assert_eq!(restored.desk.log_entry(&id), open.desk.log_entry(&id));
}

#[test]
fn a_backup_whose_entry_names_a_pupil_it_does_not_hold_is_refused() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk(&mut store);
    meeting(&mut store, &mut open);
    let json = ValidBackup::from_desk(&open.desk).to_json();
    let text = String::from_utf8(json.to_vec()).unwrap();
    let okafor = pupil_id(&open, "Okafor");
    let tampered = text.replacen(
        &format!("\"pupils\":[\"{}\"", okafor.0),
        "\"pupils\":[\"ffffffffffffffff\"",
        1,
    );
    assert_ne!(tampered, text);
    let error = open_file(
        &super::tests::envelope_with_contents(&open, &tampered),
        PASS,
    )
    .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("contact log entry 1: it names a pupil the backup does not hold"),
        "{error}"
    );
}

#[test]
fn a_merge_keeps_an_action_ticked_on_one_copy_and_an_entry_made_on_the_other() {
    let (mut first_store, mut first, mut second_store, mut second) = diverged();
    let id = meeting(&mut first_store, &mut first);
    let plan = MergePlan::make(
        &second.desk,
        second.generation(),
        &open_file(&made(&first).text, PASS).unwrap(),
    );
    second.merge_backup(&mut second_store, &plan).unwrap();
    // The first ticks the action; the second logs another call.
    let mut entry = first.desk.log_entry(&id).unwrap().clone();
    let base = entry.revision;
    let action = entry.actions[0].id.clone();
    entry.tick_action(&action, d("04/11/2026")).unwrap();
    first
        .save_log_entry(&mut first_store, entry, Some(base), "Ticked", Utc::now())
        .unwrap();
    let mut call = LogEntry::new(d("06/11/2026"), ContactHow::PhoneCall);
    call.summary = "Called back".into();
    second
        .save_log_entry(&mut second_store, call, None, "Logged", Utc::now())
        .unwrap();
    let plan = MergePlan::make(
        &first.desk,
        first.generation(),
        &open_file(&made(&second).text, PASS).unwrap(),
    );
    assert_eq!(plan.log_added, 1);
    first.merge_backup(&mut first_store, &plan).unwrap();
    assert_eq!(first.desk.log_entries().count(), 2);
    assert_eq!(
        first.desk.log_entry(&id).unwrap().actions[0].done_on,
        Some(d("04/11/2026"))
    );
}
