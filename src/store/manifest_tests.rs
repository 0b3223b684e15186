//! Tamper evidence: a record deleted, added, altered or put back from an older copy, and a
//! store rolled back as a whole, are named at unlock, and nothing is written until the
//! SENCO restores from a backup or accepts the loss.

use super::keys::*;
use super::*;
use crate::backup::{MergePlan, ValidBackup};
use crate::domain::concern::{Concern, RaisedBy};
use crate::domain::{PupilId, Settings};
use crate::test_support::pupil;
use crate::vault::KdfParams;
use chrono::{NaiveDate, TimeZone, Utc};
use std::collections::BTreeMap;

const PASS: &str = "a long enough passphrase";

/// A desk with Amara Okafor and Ben Hughes.
fn desk_with_two(store: &mut MemoryStore) -> (OpenDesk, PupilId, PupilId) {
    let (mut open, _) = OpenDesk::create(
        store,
        Settings::new("Oakfield Primary"),
        PASS,
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap();
    let amara = open
        .add_pupil(store, pupil("Amara", "Okafor"), Utc::now())
        .unwrap();
    let ben = open
        .add_pupil(store, pupil("Ben", "Hughes"), Utc::now())
        .unwrap();
    (open, amara, ben)
}

fn unlock(items: &BTreeMap<String, String>) -> (MemoryStore, OpenDesk) {
    let mut store = MemoryStore::with_items(items.clone());
    let open = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    (store, open)
}

fn file_key(id: &PupilId) -> String {
    record_key(&pupil_record_id(&id.0))
}

fn said(open: &OpenDesk) -> Vec<String> {
    open.integrity.iter().map(ToString::to_string).collect()
}

fn concern(seen: &str) -> Concern {
    Concern {
        id: String::new(),
        raised_on: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        raised_by: RaisedBy::Staff,
        raised_by_name: "Mrs Patel (Year 3 teacher)".into(),
        area: None,
        seen: seen.into(),
        evidence: String::new(),
        actions: String::new(),
        decision: None,
        other_decisions: Vec::new(),
        recorded_at: Utc::now(),
    }
}

#[test]
fn a_deleted_pupil_file_is_named_and_the_rest_of_the_desk_opens() {
    let mut store = MemoryStore::new();
    let (open, amara, ben) = desk_with_two(&mut store);
    drop(open);
    let mut items = store.items().clone();
    items.remove(&file_key(&amara));

    let (_, open) = unlock(&items);
    assert_eq!(
        said(&open),
        ["Okafor, Amara: their file is missing from storage."]
    );
    assert!(open.desk.file(&ben).is_some());
    assert!(open.desk.file(&amara).is_none());
}

#[test]
fn an_older_copy_of_a_pupil_file_put_back_is_named() {
    let mut store = MemoryStore::new();
    let (mut open, amara, _) = desk_with_two(&mut store);
    let before_the_concern = store.items()[&file_key(&amara)].clone();
    let mut file = open.desk.file(&amara).unwrap().clone();
    file.concerns
        .push(concern("Finds it hard to settle after break."));
    open.save_file(&mut store, file, 1, Utc::now()).unwrap();
    drop(open);
    let mut items = store.items().clone();
    items.insert(file_key(&amara), before_the_concern);

    let (_, open) = unlock(&items);
    assert!(open.desk.file(&amara).unwrap().concerns.is_empty());
    assert_eq!(
        said(&open),
        [
            "Okafor, Amara: their file is an older copy (version 1; version 2 was saved), \
          so anything recorded since is missing."
        ]
    );
}

#[test]
fn a_file_put_back_after_its_pupil_was_erased_is_an_extra_record() {
    let mut store = MemoryStore::new();
    let (mut open, _, ben) = desk_with_two(&mut store);
    let bens_file = store.items()[&file_key(&ben)].clone();
    open.delete_pupil(&mut store, &ben, Utc::now().date_naive())
        .unwrap();
    drop(open);
    let mut items = store.items().clone();
    items.insert(file_key(&ben), bens_file);

    let (_, open) = unlock(&items);
    assert_eq!(
        said(&open),
        [format!(
            "an unnamed pupil ({}): a file for them was added to storage outside Senco Desk.",
            ben.0
        )]
    );
}

#[test]
fn an_altered_record_is_named_whether_or_not_it_still_opens() {
    let mut store = MemoryStore::new();
    let (open, amara, _) = desk_with_two(&mut store);
    let vault = open.vault.clone();
    drop(open);
    let mut items = store.items().clone();
    // Bytes changed: the file no longer opens.
    let stored = items.get_mut(&file_key(&amara)).unwrap();
    let last = stored.pop().unwrap();
    stored.push(if last == 'a' { 'b' } else { 'a' });
    // Sealed again with the key (only a key holder can): it opens, but was not saved so.
    let mut settings = Settings::new("Oakfield Primary");
    settings.auto_lock_minutes = 240;
    items.insert(
        record_key(SETTINGS_RECORD),
        vault.seal(SETTINGS_RECORD, &serde_json::to_vec(&settings).unwrap()),
    );

    let (_, open) = unlock(&items);
    assert_eq!(
        said(&open),
        [
            "The desk's settings: was changed outside Senco Desk after it was last saved.",
            "Okafor, Amara: their file was changed outside Senco Desk and no longer opens.",
        ]
    );
    assert_eq!(open.desk.damaged.len(), 1);
}

#[test]
fn a_whole_store_rolled_back_is_noticed_through_this_browsers_marker() {
    let mut store = MemoryStore::new();
    let (mut open, amara, _) = desk_with_two(&mut store);
    let earlier = store.items().clone();
    let (_, earlier_marker) = open.generation_marker();
    let mut file = open.desk.file(&amara).unwrap().clone();
    file.concerns.push(concern("Upset at lunchtimes."));
    open.save_file(&mut store, file, 1, Utc::now()).unwrap();
    let (key, marker) = open.generation_marker();
    assert_eq!(key, GENERATION_MARKER_KEY);
    assert!(!marker.contains("generation"), "the marker is sealed");
    drop(open);

    // Head, manifest and records all put back together: consistent, but older.
    let (_, mut open) = unlock(&earlier);
    assert!(open.integrity.is_empty());
    // A higher marker is evidence: it is not to be overwritten.
    assert!(!open.check_generation_marker(Some(&marker)));
    assert_eq!(
        said(&open),
        [
            "The whole desk: storage holds an older copy of the desk (save 3; save 4 was made), \
          so changes saved since may be missing."
        ]
    );
    // The marker written now keeps the higher generation.
    let (_, kept) = open.generation_marker();
    let (_, mut again) = unlock(&earlier);
    again.check_generation_marker(Some(&kept));
    assert_eq!(again.integrity.len(), 1);

    // A marker that does not open is itself damage.
    let (_, mut open) = unlock(&earlier);
    assert!(!open.check_generation_marker(Some("v2.not a marker")));
    assert_eq!(
        said(&open),
        [
            "This browser's note of the desk's latest save: it was changed outside Senco Desk \
          and no longer opens."
        ]
    );
    // No marker yet, or one not above the desk: nothing to say.
    let (_, mut open) = unlock(store.items());
    assert!(open.check_generation_marker(None), "none yet: write one");
    assert!(
        !open.check_generation_marker(Some(&marker)),
        "up to date: write nothing"
    );
    assert!(
        open.check_generation_marker(Some(&earlier_marker)),
        "behind: write"
    );
    assert!(open.integrity.is_empty());
}

#[test]
fn an_older_head_alone_is_an_older_generation() {
    let mut store = MemoryStore::new();
    let (open, _, _) = desk_with_two(&mut store);
    let vault = open.vault.clone();
    drop(open);
    let mut items = store.items().clone();
    items.insert(
        record_key(HEAD_RECORD),
        vault.seal(HEAD_RECORD, br#"{"generation":2,"manifest":true}"#),
    );
    let (_, open) = unlock(&items);
    assert_eq!(
        said(&open),
        [
            "The whole desk: storage holds an older copy of the desk (save 2; save 3 was made), \
          so changes saved since may be missing."
        ]
    );
}

#[test]
fn nothing_is_written_while_a_finding_is_open() {
    let mut store = MemoryStore::new();
    let (open, amara, ben) = desk_with_two(&mut store);
    drop(open);
    let mut items = store.items().clone();
    items.remove(&file_key(&amara));
    let (mut store, mut open) = unlock(&items);
    let before = store.items().clone();

    let refused = open
        .add_pupil(&mut store, pupil("Chloe", "Abbott"), Utc::now())
        .unwrap_err();
    assert_eq!(refused, DeskStoreError::Unresolved);
    assert!(refused.to_string().contains("tampering or"));
    let mut edited = open.desk.file(&ben).unwrap().pupil.clone();
    edited.class_name = "3B".into();
    assert_eq!(
        open.save_pupil(&mut store, edited, 1, Utc::now()),
        Err(DeskStoreError::Unresolved)
    );
    assert_eq!(
        open.save_settings(&mut store, Settings::new("Renamed")),
        Err(DeskStoreError::Unresolved)
    );
    assert_eq!(
        open.delete_pupil(&mut store, &ben, Utc::now().date_naive()),
        Err(DeskStoreError::Unresolved)
    );
    assert_eq!(store.items(), &before);
    assert_eq!(open.desk.file(&ben).unwrap().pupil.class_name, "");
}

#[test]
fn accepting_the_loss_records_it_and_the_next_unlock_is_clean() {
    let mut store = MemoryStore::new();
    let (mut open, amara, ben) = desk_with_two(&mut store);
    let bens_first = store.items()[&file_key(&ben)].clone();
    let mut file = open.desk.file(&ben).unwrap().clone();
    file.concerns.push(concern("Upset at lunchtimes."));
    open.save_file(&mut store, file, 1, Utc::now()).unwrap();
    drop(open);
    let mut items = store.items().clone();
    items.remove(&file_key(&amara));
    items.insert(file_key(&ben), bens_first);

    let (mut store, mut open) = unlock(&items);
    assert_eq!(open.integrity.len(), 2);
    let when = Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).unwrap();
    open.accept_the_loss(&mut store, when).unwrap();
    assert!(open.integrity.is_empty());

    // Amara has no file left: the desk-wide list holds it. Ben's file holds his.
    let losses = open.accepted_losses();
    assert_eq!(losses.len(), 1);
    assert_eq!((losses[0].at, losses[0].by.as_str()), (when, "SENCO"));
    assert_eq!(
        losses[0].what,
        ["Okafor, Amara: their file is missing from storage."]
    );
    let history = &open.desk.file(&ben).unwrap().history;
    let last = history.last().unwrap();
    assert_eq!((last.at, last.by.as_str()), (when, "SENCO"));
    assert!(last.what[0].contains("older copy"), "{:?}", last.what);

    // Saving works again, and the next unlock is clean and keeps the record.
    open.add_pupil(&mut store, pupil("Chloe", "Abbott"), Utc::now())
        .unwrap();
    let (_, marker) = open.generation_marker();
    drop(open);
    let (_, mut open) = unlock(store.items());
    open.check_generation_marker(Some(&marker));
    assert!(open.integrity.is_empty(), "{:?}", said(&open));
    assert_eq!(open.accepted_losses().len(), 1);
    assert!(open.desk.file(&ben).unwrap().history.len() >= 2);
}

#[test]
fn accepting_a_rolled_back_store_puts_the_next_save_above_the_marker() {
    let mut store = MemoryStore::new();
    let (mut open, _, _) = desk_with_two(&mut store);
    let earlier = store.items().clone();
    open.save_settings(&mut store, Settings::new("Oakfield"))
        .unwrap();
    open.save_settings(&mut store, Settings::new("Oakfield Primary"))
        .unwrap();
    let (_, marker) = open.generation_marker();
    drop(open);

    let (mut store, mut open) = unlock(&earlier);
    open.check_generation_marker(Some(&marker));
    open.accept_the_loss(&mut store, Utc::now()).unwrap();
    let (_, marker) = open.generation_marker();
    drop(open);
    let (_, mut open) = unlock(store.items());
    open.check_generation_marker(Some(&marker));
    assert!(open.integrity.is_empty(), "{:?}", said(&open));
    assert_eq!(open.accepted_losses()[0].what.len(), 1);
}

#[test]
fn merging_a_backup_that_holds_the_missing_file_resolves_it() {
    let mut store = MemoryStore::new();
    let (open, amara, _) = desk_with_two(&mut store);
    let backup = ValidBackup::from_desk(&open.desk);
    drop(open);
    let mut items = store.items().clone();
    items.remove(&file_key(&amara));

    let (mut store, mut open) = unlock(&items);
    assert_eq!(open.integrity.len(), 1);
    let plan = MergePlan::make(&open.desk, open.generation(), &backup);
    open.merge_backup(&mut store, &plan).unwrap();
    assert!(open.integrity.is_empty());
    assert!(open.desk.file(&amara).is_some());
    drop(open);
    let (_, open) = unlock(store.items());
    assert!(open.integrity.is_empty(), "{:?}", said(&open));
}

#[test]
fn a_restore_leaves_open_what_the_backup_does_not_bring_back() {
    let mut store = MemoryStore::new();
    let (open, amara, ben) = desk_with_two(&mut store);
    // A backup from before Ben was added does not hold him.
    let mut backup = ValidBackup::from_desk(&open.desk);
    backup.files.remove(&ben);
    drop(open);
    let mut items = store.items().clone();
    items.remove(&file_key(&amara));
    items.remove(&file_key(&ben));

    let (mut store, mut open) = unlock(&items);
    assert_eq!(open.integrity.len(), 2);
    let generation = open.generation();
    open.replace_with_backup(&mut store, &backup, generation)
        .unwrap();
    assert_eq!(
        said(&open),
        ["Hughes, Ben: their file is missing from storage."]
    );
}

#[test]
fn a_desk_from_before_the_manifest_opens_clean_and_gains_one_at_its_next_save() {
    let mut store = MemoryStore::new();
    let (open, amara, ben) = desk_with_two(&mut store);
    let vault = open.vault.clone();
    drop(open);
    // As an older app left it: no manifest, and a head that does not promise one.
    let mut items = store.items().clone();
    items.remove(&record_key(MANIFEST_RECORD));
    items.insert(
        record_key(HEAD_RECORD),
        vault.seal(HEAD_RECORD, br#"{"generation":3}"#),
    );

    let (mut store, mut open) = unlock(&items);
    assert!(open.integrity.is_empty());
    open.save_settings(&mut store, Settings::new("Oakfield Primary"))
        .unwrap();
    assert!(store.items().contains_key(&record_key(MANIFEST_RECORD)));
    drop(open);
    let mut items = store.items().clone();
    items.remove(&file_key(&ben));
    let (_, open) = unlock(&items);
    assert_eq!(
        said(&open),
        ["Hughes, Ben: their file is missing from storage."]
    );
    assert!(open.desk.file(&amara).is_some());
}

#[test]
fn a_missing_manifest_is_reported_when_the_head_promises_one() {
    let mut store = MemoryStore::new();
    let (open, _, _) = desk_with_two(&mut store);
    drop(open);
    let mut items = store.items().clone();
    items.remove(&record_key(MANIFEST_RECORD));
    let (_, open) = unlock(&items);
    assert_eq!(
        said(&open),
        [
            "The desk's list of records: it is missing, so records removed with it cannot be \
          named."
        ]
    );
}

#[test]
fn the_manifest_lists_every_record_with_its_digest_and_the_generation() {
    let mut store = MemoryStore::new();
    let (open, amara, _) = desk_with_two(&mut store);
    let opened = |record_id: &str| -> serde_json::Value {
        let stored = &store.items()[&record_key(record_id)];
        serde_json::from_slice(&open.vault.open(record_id, stored).unwrap()).unwrap()
    };
    let root = opened(MANIFEST_RECORD);
    assert_eq!(root["generation"], 3);
    let mut records = serde_json::Map::new();
    for (part, digest) in root["parts"].as_object().unwrap() {
        let record_id = format!("manifest-{part}");
        let stored = &store.items()[&record_key(&record_id)];
        let expected = serde_json::to_value(manifest::RecordDigest::of(stored)).unwrap();
        assert_eq!(*digest, expected);
        records.extend(opened(&record_id)["records"].as_object().unwrap().clone());
    }
    let mut ids: Vec<&str> = records.keys().map(String::as_str).collect();
    ids.sort();
    let amaras = pupil_record_id(&amara.0);
    assert_eq!(ids.len(), 5, "{ids:?}");
    assert!(ids.contains(&"settings") && ids.contains(&"roster") && ids.contains(&"keys"));
    assert!(ids.contains(&amaras.as_str()) && !ids.contains(&"head"));
    assert_eq!(records[&amaras]["revision"], 1);
    let digest = manifest::RecordDigest::of(&store.items()[&file_key(&amara)]);
    assert_eq!(
        records[&amaras]["digest"],
        serde_json::to_value(digest).unwrap()
    );
}

#[test]
fn one_edit_rewrites_only_its_part_of_the_manifest() {
    let mut store = MemoryStore::new();
    let (mut open, amara, _) = desk_with_two(&mut store);
    let before = store.items().clone();
    let mut edited = open.desk.file(&amara).unwrap().pupil.clone();
    edited.class_name = "4B".into();
    open.save_pupil(&mut store, edited, 1, Utc::now()).unwrap();
    let mut changed: Vec<String> = store
        .items()
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    changed.sort();
    let amaras = pupil_record_id(&amara.0);
    let part = manifest::part_record_id(manifest::part_of(&amaras));
    let mut expected = vec![
        record_key(HEAD_RECORD),
        record_key(MANIFEST_RECORD),
        record_key(&part),
        file_key(&amara),
        // Her summary, in the same commit (not in the manifest).
        record_key(&summary_record_id(&amara.0)),
    ];
    expected.sort();
    assert_eq!(changed, expected);
    drop(open);
    let (_, open) = unlock(store.items());
    assert!(open.integrity.is_empty(), "{:?}", said(&open));
}

#[test]
fn a_part_of_the_manifest_removed_is_reported() {
    let mut store = MemoryStore::new();
    let (open, amara, _) = desk_with_two(&mut store);
    drop(open);
    let amaras = pupil_record_id(&amara.0);
    let part = manifest::part_record_id(manifest::part_of(&amaras));
    let mut items = store.items().clone();
    items.remove(&record_key(&part));
    items.remove(&file_key(&amara));
    let (_, open) = unlock(&items);
    assert_eq!(
        said(&open),
        [
            "The desk's list of records: it, or part of it, was changed or removed outside \
          Senco Desk, so records removed cannot all be named."
        ]
    );
}

#[test]
fn the_next_commits_manifest_copies_only_the_part_it_changes() {
    // Saving one edit at 2,000 pupils must not cost a copy of every record's entry.
    use manifest::{part_of, Entry, Listed, Manifest, RecordDigest, PARTS};
    let entry = |n: u64| Entry {
        digest: RecordDigest::of(&format!("sealed {n}")),
        revision: Some(n),
    };
    let before = Manifest {
        generation: 7,
        records: (0..2_000)
            .map(|n| (pupil_record_id(&format!("{n:016x}")), entry(n)))
            .collect::<Listed>(),
        ..Manifest::default()
    };
    let edited = pupil_record_id(&format!("{:016x}", 42));
    let writes = vec![(record_key(&edited), Some("sealed again".to_string()))];
    let revisions = BTreeMap::from([(edited.clone(), 43)]);
    let after = before.after(&writes, &revisions, 8);

    assert_eq!(after.records.len(), 2_000);
    assert_eq!(after.records.get(&edited).unwrap().revision, Some(43));
    assert_eq!(
        before.records.get(&edited).unwrap().revision,
        Some(42),
        "the old one is kept"
    );
    let changed = part_of(&edited);
    for part in 0..PARTS {
        let shared = match (before.records.part(part), after.records.part(part)) {
            (Some(old), Some(new)) => std::ptr::eq(old, new),
            (None, None) => true,
            _ => false,
        };
        assert_eq!(shared, part != changed, "part {part}");
    }
    // A record removed leaves the rest of its part, and no empty part behind.
    let mut removed = after.clone();
    removed.records.remove(&edited);
    assert_eq!(removed.records.len(), 1_999);
    assert!(!removed.records.contains_key(&edited));
    assert_eq!(after.records.len(), 2_000);
}

#[test]
fn removing_the_last_record_of_a_part_removes_that_part_of_the_manifest() {
    use manifest::{part_of, part_record_id, Entry, Listed, Manifest, RecordDigest};
    let entry = Entry {
        digest: RecordDigest::of("sealed"),
        revision: Some(1),
    };
    let ids: Vec<String> = (0..40)
        .map(|n| pupil_record_id(&format!("{n:016x}")))
        .collect();
    // A record alone in its part.
    let alone = ids
        .iter()
        .find(|id| ids.iter().filter(|o| part_of(o) == part_of(id)).count() == 1)
        .unwrap()
        .clone();
    let part = part_of(&alone);
    let before = Manifest {
        generation: 3,
        records: ids.iter().map(|id| (id.clone(), entry)).collect::<Listed>(),
        parts: BTreeMap::from([(part, RecordDigest::of("part"))]),
        parts_current: true,
    };
    let mut writes = vec![(record_key(&alone), None)];
    let after = before.seal_after(&mut writes, &BTreeMap::new(), 4, |_, json| {
        String::from_utf8(json.to_vec()).unwrap()
    });
    assert!(after.records.part(part).is_none(), "no empty part is kept");
    assert!(!after.parts.contains_key(&part));
    assert!(
        writes.contains(&(record_key(&part_record_id(part)), None)),
        "the part's record is removed, not written empty: {writes:?}"
    );
    assert_eq!(after.records.len(), 39);
    // Listing it again brings the part back.
    let mut again = after.clone();
    again.records.insert(alone.clone(), entry);
    assert_eq!(again.records, before.records);
}
