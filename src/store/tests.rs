//! The store's promises: all-or-nothing saves, nothing readable at rest, other tabs noticed.

use super::keys::*;
use super::*;
use crate::domain::{DeskError, PupilId, Settings, YearGroup};
use crate::vault::{Header, KdfParams, VaultError, FORMAT_VERSION, KEYS_RECORD};
use chrono::{NaiveDate, Utc};
use std::collections::BTreeMap;

const PASS: &str = "a long enough passphrase";

use crate::test_support::{pupil, valid_upn};

/// A new desk. In an empty store it is made once and copied: making one derives two keys,
/// which at the least settings allowed would be most of the suite's time.
fn new_desk(store: &mut MemoryStore) -> OpenDesk {
    static MADE: std::sync::OnceLock<(BTreeMap<String, String>, Header, crate::vault::Vault)> =
        std::sync::OnceLock::new();
    if !store.items().is_empty() {
        // What the store already holds is part of the test: make the desk for real.
        return create_desk(store);
    }
    let (items, header, vault) = MADE.get_or_init(|| {
        let mut store = MemoryStore::new();
        let open = create_desk(&mut store);
        let header = open.header().clone();
        (
            store.items().clone(),
            header.clone(),
            header.unlock(PASS).unwrap(),
        )
    });
    *store = MemoryStore::with_items(items.clone());
    OpenDesk::open(store, header.clone(), vault.clone(), Utc::now()).unwrap()
}

fn create_desk(store: &mut MemoryStore) -> OpenDesk {
    OpenDesk::create(
        store,
        Settings::new("Oakfield Primary"),
        PASS,
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap()
    .0
}

/// A desk with three pupils.
fn desk_with_pupils(store: &mut MemoryStore) -> (OpenDesk, Vec<PupilId>) {
    let mut open = new_desk(store);
    let ids = [("Amara", "Okafor"), ("Ben", "Hughes"), ("Chloe", "Abbott")]
        .iter()
        .map(|(f, s)| open.add_pupil(store, pupil(f, s), Utc::now()).unwrap())
        .collect();
    (open, ids)
}

/// What a user would see after unlocking: names in register order, with year groups.
fn register(open: &OpenDesk) -> Vec<String> {
    open.desk
        .pupils_by_surname()
        .iter()
        .map(|p| format!("{} ({})", p.sort_name(), p.year_group.code()))
        .collect()
}

fn reopen(items: &BTreeMap<String, String>) -> (MemoryStore, OpenDesk) {
    let mut store = MemoryStore::with_items(items.clone());
    let open = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    (store, open)
}

#[test]
fn a_new_desk_reopens_with_its_settings_and_no_pupils() {
    let mut store = MemoryStore::new();
    assert!(!OpenDesk::exists(&store).unwrap());
    drop(new_desk(&mut store));
    assert!(OpenDesk::exists(&store).unwrap());
    let (_, open) = reopen(store.items());
    assert_eq!(open.desk.settings.school_name, "Oakfield Primary");
    assert_eq!(open.desk.pupil_count(), 0);
    assert_eq!(open.unlocked_with(), "SENCO");
}

#[test]
fn pupils_added_edited_and_deleted_survive_unlocking_again() {
    let mut store = MemoryStore::new();
    let (mut open, ids) = desk_with_pupils(&mut store);
    let mut ben = open.desk.file(&ids[1]).unwrap().pupil.clone();
    ben.year_group = YearGroup::Year(5);
    open.save_pupil(&mut store, ben, 1, Utc::now()).unwrap();
    open.delete_pupil(&mut store, &ids[0], today()).unwrap();
    drop(open);
    let (_, open) = reopen(store.items());
    assert_eq!(register(&open), ["Abbott, Chloe (4)", "Hughes, Ben (5)"]);
}

#[test]
fn nothing_identifying_is_stored_in_the_clear() {
    let mut store = MemoryStore::new();
    let (mut open, ids) = desk_with_pupils(&mut store);
    let mut amara = open.desk.file(&ids[0]).unwrap().pupil.clone();
    amara.surname = "Zebedee-Quartermaine".into();
    open.save_pupil(&mut store, amara, 1, Utc::now()).unwrap();
    let upn = valid_upn();
    for (key, value) in store.items() {
        for secret in [
            "Amara",
            "Zebedee",
            "Okafor",
            "Oakfield",
            upn.as_str(),
            "2017-09-14",
            "14/09/2017",
            PASS,
        ] {
            assert!(
                !key.contains(secret) && !value.contains(secret),
                "{secret} in {key}"
            );
        }
    }
}

#[test]
fn an_edit_costs_the_same_writes_at_any_size() {
    let writes_for_one_edit = |pupils: usize| {
        let mut store = MemoryStore::new();
        let mut open = new_desk(&mut store);
        for i in 0..pupils {
            open.add_pupil(&mut store, pupil(&format!("P{i}"), "Smith"), Utc::now())
                .unwrap();
        }
        let mut first = open.desk.pupils_by_surname()[0].clone();
        first.year_group = YearGroup::Year(6);
        store.fail(Failure::Once(usize::MAX));
        open.save_pupil(&mut store, first, 1, Utc::now()).unwrap();
        store.writes()
    };
    let small = writes_for_one_edit(3);
    assert_eq!(small, writes_for_one_edit(60));
    // Journal, the pupil's record and its summary, its part of the manifest, the manifest,
    // the head, and removing the journal.
    assert_eq!(small, 7);
}

/// Every way a save can be cut short, at every write it makes.
#[test]
fn a_failure_at_any_step_leaves_the_last_committed_desk() {
    type Change = fn(&mut OpenDesk, &mut MemoryStore, &[PupilId]) -> Result<(), DeskStoreError>;
    let changes: Vec<(&str, Change)> = vec![
        ("add", |o, s, _| {
            o.add_pupil(s, pupil("Dev", "Patel"), Utc::now())
                .map(|_| ())
        }),
        ("edit", |o, s, ids| {
            let mut p = o.desk.file(&ids[1]).unwrap().pupil.clone();
            p.year_group = YearGroup::Reception;
            o.save_pupil(s, p, 1, Utc::now()).map(|_| ())
        }),
        ("rename", |o, s, ids| {
            let mut p = o.desk.file(&ids[1]).unwrap().pupil.clone();
            p.surname = "Hughes-Jones".into();
            o.save_pupil(s, p, 1, Utc::now()).map(|_| ())
        }),
        ("delete", |o, s, ids| o.delete_pupil(s, &ids[2], today())),
        ("settings", |o, s, _| {
            let mut settings = o.desk.settings.clone();
            settings.auto_lock_minutes = 3;
            o.save_settings(s, settings)
        }),
        ("passphrase", |o, s, _| {
            o.change_passphrase(s, PASS, "another long passphrase", KdfParams::for_tests())
                .map(|_| ())
        }),
    ];
    // One desk, made once: each try starts from a copy of its storage, opened with the key
    // already derived, so only the passphrase change derives keys in the loop.
    let mut prepared = MemoryStore::new();
    let (open, ids) = desk_with_pupils(&mut prepared);
    let header = open.header().clone();
    drop(open);
    let vault = header.unlock(PASS).unwrap();
    for (name, change) in changes {
        for mode in [Failure::Once as fn(usize) -> Failure, Failure::From] {
            for n in 1.. {
                let mut store = MemoryStore::with_items(prepared.items().clone());
                let mut open =
                    OpenDesk::open(&mut store, header.clone(), vault.clone(), Utc::now()).unwrap();
                let before_items = store.items().clone();
                let before = register(&open);
                let before_settings = open.desk.settings.clone();
                store.fail(mode(n));
                let result = change(&mut open, &mut store, &ids);
                let finished = store.writes() < n;
                // What the next unlock finds, a minute later in a fresh tab with working storage.
                let mut next = MemoryStore::with_items(store.items().clone());
                let later = Utc::now() + chrono::Duration::minutes(1);
                // The header as it was (the key derived before opens it), or one the new
                // passphrase opens (a new data key).
                let reopened = OpenDesk::read_header(&next)
                    .and_then(|h| OpenDesk::open(&mut next, h, vault.clone(), later))
                    .or_else(|_| OpenDesk::unlock(&mut next, "another long passphrase", later))
                    .unwrap_or_else(|e| panic!("{name} {:?}: desk unreadable: {e}", mode(n)));
                let header_kept = next.get(HEADER_KEY).unwrap() == Some(header.to_json());
                assert!(next.get(JOURNAL_KEY).unwrap().is_none());
                if result.is_err() {
                    assert_eq!(register(&open), before, "{name} {:?}: memory", mode(n));
                    assert_eq!(register(&reopened), before, "{name} {:?}: stored", mode(n));
                    assert_eq!(reopened.desk.settings, before_settings);
                    assert!(header_kept, "{name}: old passphrase");
                    if matches!(mode(n), Failure::Once(_)) {
                        // Rolled back at once, not just at the next unlock.
                        assert_eq!(store.items(), &before_items, "{name} {:?}", mode(n));
                    }
                } else {
                    assert_eq!(register(&reopened), register(&open), "{name} {:?}", mode(n));
                    assert_eq!(reopened.desk.settings, open.desk.settings);
                }
                if finished {
                    assert!(result.is_ok(), "{name}: failed without a failure");
                    break;
                }
            }
        }
    }
}

#[test]
fn point_7_counters_at_their_limit_refuse_a_save_and_never_wrap_or_panic() {
    let mut store = MemoryStore::new();
    let (open, ids) = desk_with_pupils(&mut store);
    let header = open.header().clone();
    let backup = crate::backup::ValidBackup::from_desk(&open.desk);
    drop(open);
    let vault = header.unlock(PASS).unwrap();
    let crafted = |record_id: &str, json: &[u8]| {
        let mut items = store.items().clone();
        // Without its manifest (as an older app left it), so the limit is what is tested,
        // not the tamper evidence.
        items.remove(&record_key(MANIFEST_RECORD));
        items.insert(record_key(record_id), vault.seal(record_id, json));
        MemoryStore::with_items(items)
    };

    // The save counter (sealed, so only a key holder could set it): the save is refused.
    let mut at_limit = crafted(HEAD_RECORD, br#"{"generation":18446744073709551615}"#);
    let mut open =
        OpenDesk::open(&mut at_limit, header.clone(), vault.clone(), Utc::now()).unwrap();
    let before = at_limit.items().clone();
    assert_eq!(
        open.add_pupil(&mut at_limit, pupil("Dev", "Patel"), Utc::now()),
        Err(DeskStoreError::Vault(VaultError::DamagedRecord {
            record_id: HEAD_RECORD.into()
        }))
    );
    assert_eq!(at_limit.items(), &before);

    // A pupil's revision: an edit is refused by name; a restore over it stays at the limit.
    let ben = &ids[1];
    let mut file = backup.files[ben].clone();
    file.revision = u64::MAX;
    let record_id = pupil_record_id(&ben.0);
    let mut at_limit = crafted(&record_id, &serde_json::to_vec(&file).unwrap());
    let mut open =
        OpenDesk::open(&mut at_limit, header.clone(), vault.clone(), Utc::now()).unwrap();
    let mut edited = file.pupil.clone();
    edited.year_group = YearGroup::Year(5);
    match open.save_pupil(&mut at_limit, edited, u64::MAX, Utc::now()) {
        Err(DeskStoreError::Pupil(DeskError::Refused(message))) => {
            assert!(
                message.contains("Hughes") && message.contains("revision"),
                "{message}"
            )
        }
        other => panic!("{other:?}"),
    }
    let generation = open.generation();
    open.replace_with_backup(&mut at_limit, &backup, generation)
        .unwrap();
    assert_eq!(open.desk.file(ben).unwrap().revision, u64::MAX);
}

#[test]
fn a_full_quota_is_reported_and_changes_nothing() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk_with_pupils(&mut store);
    let before = store.items().clone();
    store.set_quota_units(Some(storage_used(&store).unwrap() + 50));
    let mut big = pupil("Big", "Notes");
    big.forename = "x".repeat(100);
    let result = open.add_pupil(&mut store, big, Utc::now());
    assert_eq!(
        result.unwrap_err(),
        DeskStoreError::Storage(StoreError::QuotaExceeded)
    );
    assert_eq!(store.items(), &before);
    assert_eq!(open.desk.pupil_count(), 3);
}

#[test]
fn a_stale_tab_cannot_overwrite_a_newer_edit() {
    let mut store = MemoryStore::new();
    let (mut tab_a, ids) = desk_with_pupils(&mut store);
    let mut tab_b = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    let mut in_a = tab_a.desk.file(&ids[1]).unwrap().pupil.clone();
    in_a.year_group = YearGroup::Year(6);
    tab_a.save_pupil(&mut store, in_a, 1, Utc::now()).unwrap();
    assert!(tab_b.is_stale(&store).unwrap());

    // Tab B's form was opened on revision 1 of the same pupil.
    let mut in_b = tab_b.desk.file(&ids[1]).unwrap().pupil.clone();
    in_b.year_group = YearGroup::Year(2);
    let refused = tab_b.save_pupil(&mut store, in_b, 1, Utc::now());
    assert!(matches!(
        refused,
        Err(DeskStoreError::Pupil(
            crate::domain::DeskError::ChangedElsewhere { .. }
        ))
    ));
    // B now shows A's edit, and storage still has it.
    assert_eq!(
        tab_b.desk.file(&ids[1]).unwrap().pupil.year_group,
        YearGroup::Year(6)
    );
    assert!(!tab_b.is_stale(&store).unwrap());

    // An edit in B to a different pupil goes through without losing A's.
    let mut other = tab_b.desk.file(&ids[0]).unwrap().pupil.clone();
    other.year_group = YearGroup::Year(1);
    tab_a
        .add_pupil(&mut store, pupil("Dev", "Patel"), Utc::now())
        .unwrap();
    tab_b.save_pupil(&mut store, other, 1, Utc::now()).unwrap();
    let (_, after) = reopen(store.items());
    assert_eq!(
        register(&after),
        [
            "Abbott, Chloe (4)",
            "Hughes, Ben (6)",
            "Okafor, Amara (1)",
            "Patel, Dev (4)"
        ]
    );
}

#[test]
fn settings_saved_in_a_stale_tab_are_refused_and_reloaded() {
    let mut store = MemoryStore::new();
    let (mut tab_a, _) = desk_with_pupils(&mut store);
    let mut tab_b = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    tab_a
        .add_pupil(&mut store, pupil("Dev", "Patel"), Utc::now())
        .unwrap();
    let mut settings = tab_b.desk.settings.clone();
    settings.auto_lock_minutes = 5;
    assert_eq!(
        tab_b.save_settings(&mut store, settings.clone()),
        Err(DeskStoreError::ChangedElsewhere)
    );
    assert_eq!(tab_b.desk.pupil_count(), 4);
    tab_b.save_settings(&mut store, settings).unwrap();
    let (_, after) = reopen(store.items());
    assert_eq!(after.desk.settings.auto_lock_minutes, 5);
}

#[test]
fn a_damaged_pupil_file_is_named_and_the_rest_still_open() {
    let mut store = MemoryStore::new();
    let (_, ids) = desk_with_pupils(&mut store);
    let mut items = store.items().clone();
    let key = record_key(&pupil_record_id(&ids[1].0));
    // One character changed to another of the same alphabet: it decodes, but fails its tag.
    let value = items.get_mut(&key).unwrap();
    let mut chars: Vec<char> = value.chars().collect();
    chars[10] = char::from_u32(u32::from(chars[10]) ^ 1).unwrap();
    *value = chars.into_iter().collect();
    let (_, open) = reopen(&items);
    assert_eq!(open.desk.pupil_count(), 2);
    assert_eq!(open.desk.damaged.len(), 1);
    assert_eq!(open.desk.damaged[0].name, "Hughes, Ben");
}

#[test]
fn a_file_copied_over_another_pupil_is_caught() {
    let mut store = MemoryStore::new();
    let (_, ids) = desk_with_pupils(&mut store);
    let mut items = store.items().clone();
    let amara = items[&record_key(&pupil_record_id(&ids[0].0))].clone();
    items.insert(record_key(&pupil_record_id(&ids[1].0)), amara);
    let (_, open) = reopen(&items);
    assert_eq!(open.desk.damaged[0].name, "Hughes, Ben");
    assert_eq!(open.desk.pupil_count(), 2);
}

#[test]
fn unlock_errors_are_distinct_and_write_nothing() {
    let mut store = MemoryStore::new();
    drop(desk_with_pupils(&mut store));
    let items = store.items().clone();
    let try_unlock = |items: &BTreeMap<String, String>, secret: &str| {
        let mut store = MemoryStore::with_items(items.clone());
        store.fail(Failure::From(1));
        let result = OpenDesk::unlock(&mut store, secret, Utc::now()).map(|_| ());
        assert_eq!(store.writes(), 0, "unlock wrote something");
        result
    };
    assert_eq!(
        try_unlock(&items, "wrong passphrase!"),
        Err(DeskStoreError::Vault(VaultError::WrongSecret))
    );
    let mut damaged = items.clone();
    damaged.insert(HEADER_KEY.into(), "{\"format\":".into());
    assert!(matches!(
        try_unlock(&damaged, PASS),
        Err(DeskStoreError::Vault(VaultError::DamagedHeader(_)))
    ));
    let mut newer = items.clone();
    let header = newer[HEADER_KEY].replace(
        &format!("\"version\":{FORMAT_VERSION}"),
        &format!("\"version\":{}", FORMAT_VERSION + 1),
    );
    newer.insert(HEADER_KEY.into(), header);
    assert_eq!(
        try_unlock(&newer, PASS),
        Err(DeskStoreError::Vault(VaultError::NewerFormat {
            found: (FORMAT_VERSION + 1).to_string()
        }))
    );
    assert_eq!(
        try_unlock(&BTreeMap::new(), PASS),
        Err(DeskStoreError::NoDesk)
    );
}

#[test]
fn deleting_a_pupil_leaves_no_trace_of_them() {
    let mut store = MemoryStore::new();
    let (mut open, ids) = desk_with_pupils(&mut store);
    let mut amara = open.desk.file(&ids[0]).unwrap().clone();
    amara.pupil.contacts.push(crate::domain::Contact {
        name: "Grace Okafor".into(),
        phone: "07700 900123".into(),
        ..Default::default()
    });
    open.save_file(&mut store, amara, 1, Utc::now()).unwrap();
    let before = open.every_plaintext(&store);
    assert!(before.iter().any(|(_, text)| text.contains("Okafor")));
    open.delete_pupil(&mut store, &ids[0], today()).unwrap();
    assert!(store.items().keys().all(|k| !k.contains(&ids[0].0)));
    // Decrypt everything left: no record (the roster included) names her or her family,
    // and no journal of the old values is left behind.
    let after = open.every_plaintext(&store);
    assert!(after.len() >= 3);
    for (record, text) in &after {
        for trace in ["Okafor", "Amara", "Grace", "07700", &ids[0].0] {
            assert!(!text.contains(trace), "{trace} left in {record}");
        }
    }
    assert!(store.items().keys().all(|k| !k.contains("journal")));
    let (_, open) = reopen(store.items());
    assert!(open.desk.file(&ids[0]).is_none());
    assert!(open.desk.damaged.is_empty());
}

#[test]
fn the_recovery_key_opens_and_a_new_one_replaces_it() {
    let mut store = MemoryStore::new();
    let (mut open, recovery) = OpenDesk::create(
        &mut store,
        Settings::new("Oak"),
        PASS,
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap();
    open.add_pupil(&mut store, pupil("Amara", "Okafor"), Utc::now())
        .unwrap();
    let by_recovery =
        OpenDesk::unlock(&mut store.clone(), &recovery.display(), Utc::now()).unwrap();
    assert_eq!(by_recovery.unlocked_with(), "Recovery key");
    assert_eq!(by_recovery.desk.pupil_count(), 1);
    let fresh = open
        .new_recovery_key(&mut store, PASS, KdfParams::for_tests())
        .unwrap()
        .new_recovery_key
        .unwrap();
    assert!(OpenDesk::unlock(&mut store.clone(), &recovery.display(), Utc::now()).is_err());
    assert!(OpenDesk::unlock(&mut store.clone(), &fresh.display(), Utc::now()).is_ok());
}

#[test]
fn changing_the_passphrase_needs_the_current_one() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk_with_pupils(&mut store);
    assert_eq!(
        open.change_passphrase(
            &mut store,
            "not it at all",
            "new passphrase here",
            KdfParams::for_tests()
        )
        .err(),
        Some(DeskStoreError::Vault(VaultError::WrongSecret))
    );
    open.change_passphrase(
        &mut store,
        PASS,
        "new passphrase here",
        KdfParams::for_tests(),
    )
    .unwrap();
    assert!(OpenDesk::unlock(&mut store.clone(), PASS, Utc::now()).is_err());
    let opened = OpenDesk::unlock(&mut store.clone(), "new passphrase here", Utc::now()).unwrap();
    assert_eq!(opened.desk.pupil_count(), 3);
}

#[test]
fn creating_a_desk_clears_leftovers_of_an_abandoned_one() {
    let mut store = MemoryStore::new();
    store
        .set("senco-desk/record/pupil-0011223344556677", "v1.AAAA")
        .unwrap();
    store.set("unrelated-app-key", "kept").unwrap();
    let open = new_desk(&mut store);
    assert!(open.desk.damaged.is_empty());
    drop(open);
    let (store, open) = reopen(store.items());
    assert!(open.desk.damaged.is_empty());
    assert_eq!(
        store.get("unrelated-app-key").unwrap().as_deref(),
        Some("kept")
    );
}

#[test]
fn storage_use_counts_the_desk_keys_only_in_utf16_units() {
    let mut store = MemoryStore::new();
    store.set("another-app", &"x".repeat(1000)).unwrap();
    let (mut open, _) = desk_with_pupils(&mut store);
    let expected: usize = store
        .items()
        .iter()
        .filter(|(k, _)| k.starts_with(PREFIX))
        .map(|(k, v)| k.encode_utf16().count() + v.encode_utf16().count())
        .sum();
    // Dense records: one UTF-16 unit for each three UTF-8 bytes of most characters.
    assert!(expected < store.items().values().map(String::len).sum::<usize>() / 2);
    assert_eq!(storage_used(&store).unwrap(), expected);
    let before = expected;
    open.add_pupil(&mut store, pupil("Dev", "Patel"), Utc::now())
        .unwrap();
    assert!(storage_used(&store).unwrap() > before);
}

#[test]
fn a_whole_file_with_notes_is_saved_and_reopened() {
    let mut store = MemoryStore::new();
    let (mut open, ids) = desk_with_pupils(&mut store);
    let mut file = open.desk.file(&ids[0]).unwrap().clone();
    file.notes.push(crate::domain::Note {
        id: String::new(),
        date: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        author: "SENCO".into(),
        text: "Met parents about reading.".into(),
    });
    open.save_file(&mut store, file.clone(), 1, Utc::now())
        .unwrap();
    assert!(open.save_file(&mut store, file, 1, Utc::now()).is_err());
    let (_, reopened) = reopen(store.items());
    let saved = reopened.desk.file(&ids[0]).unwrap();
    assert_eq!(saved.notes.len(), 1);
    assert_eq!(saved.notes[0].text, "Met parents about reading.");
    assert_eq!(saved.revision, 2);
}

#[test]
fn a_save_under_way_in_another_tab_is_never_rolled_back() {
    let mut store = MemoryStore::new();
    let (mut tab_a, ids) = desk_with_pupils(&mut store);
    // Tab B sees tab A's journal a moment before its removal (tabs see writes late).
    let mut seen_by_b = MemoryStore::with_items(store.items().clone());
    let mut amara = tab_a.desk.file(&ids[0]).unwrap().pupil.clone();
    amara.year_group = YearGroup::Year(6);
    tab_a.save_pupil(&mut store, amara, 1, Utc::now()).unwrap();
    let journal = r#"{"started_ms":NOW,"previous":[]}"#
        .replace("NOW", &Utc::now().timestamp_millis().to_string());
    for (key, value) in store.items() {
        seen_by_b.set(key, value).unwrap();
    }
    seen_by_b.set(JOURNAL_KEY, &journal).unwrap();
    let before = seen_by_b.items().clone();

    // B waits rather than reading a half-done save or rolling it back.
    assert!(matches!(
        OpenDesk::unlock(&mut seen_by_b, PASS, Utc::now()),
        Err(DeskStoreError::Storage(StoreError::Busy))
    ));
    assert_eq!(
        seen_by_b.items(),
        &before,
        "unlock touched a save in progress"
    );
    // A tab already open is refused too, and storage stays as it was.
    let mut tab_b = OpenDesk::unlock(&mut store.clone(), PASS, Utc::now()).unwrap();
    assert!(!tab_b.refresh(&seen_by_b).unwrap());
    let mut ben = tab_b.desk.file(&ids[1]).unwrap().pupil.clone();
    ben.year_group = YearGroup::Year(1);
    assert_eq!(
        tab_b.save_pupil(&mut seen_by_b, ben, 1, Utc::now()),
        Err(DeskStoreError::Storage(StoreError::Busy))
    );
    assert_eq!(seen_by_b.items(), &before);

    // Once the journal is gone, B's refresh loads A's save.
    seen_by_b.remove(JOURNAL_KEY).unwrap();
    let (_, after) = reopen(seen_by_b.items());
    assert_eq!(
        after.desk.file(&ids[0]).unwrap().pupil.year_group,
        YearGroup::Year(6)
    );
}

#[test]
fn another_tab_refreshes_only_after_a_finished_save() {
    let mut store = MemoryStore::new();
    let (mut tab_a, _) = desk_with_pupils(&mut store);
    let mut tab_b = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    assert!(!tab_b.refresh(&store).unwrap());
    tab_a
        .add_pupil(&mut store, pupil("Dev", "Patel"), Utc::now())
        .unwrap();
    assert!(tab_b.refresh(&store).unwrap());
    assert_eq!(tab_b.desk.pupil_count(), 4);
}

#[test]
fn a_new_desk_is_never_made_over_an_existing_one() {
    let mut store = MemoryStore::new();
    drop(desk_with_pupils(&mut store));
    let before = store.items().clone();
    let second = OpenDesk::create(
        &mut store,
        Settings::new("Another school"),
        "another long passphrase",
        KdfParams::for_tests(),
        Utc::now(),
    );
    assert!(matches!(second, Err(DeskStoreError::DeskExists)));
    assert_eq!(store.items(), &before);
}

#[test]
fn a_journal_left_before_the_clock_went_back_is_still_recovered() {
    let mut store = MemoryStore::new();
    let (mut open, ids) = desk_with_pupils(&mut store);
    let before = register(&open);
    let mut ben = open.desk.file(&ids[1]).unwrap().pupil.clone();
    ben.year_group = YearGroup::Year(6);
    // The tab closes after the journal and the pupil's record are written.
    store.fail(Failure::From(3));
    assert!(open.save_pupil(&mut store, ben, 1, Utc::now()).is_err());
    let mut next = MemoryStore::with_items(store.items().clone());
    let an_hour_earlier = Utc::now() - chrono::Duration::hours(1);
    let reopened = OpenDesk::unlock(&mut next, PASS, an_hour_earlier).unwrap();
    assert!(reopened.recovered);
    assert_eq!(register(&reopened), before);
    assert!(next.get(JOURNAL_KEY).unwrap().is_none());
}

#[test]
fn a_save_that_finds_an_abandoned_one_rolls_it_back_first() {
    let mut store = MemoryStore::new();
    let (mut tab_a, ids) = desk_with_pupils(&mut store);
    // Another tab's save was cut short a minute ago: its journal and Ben's new record remain.
    let mut tab_b = OpenDesk::unlock(&mut store.clone(), PASS, Utc::now()).unwrap();
    let mut ben = tab_b.desk.file(&ids[1]).unwrap().pupil.clone();
    ben.year_group = YearGroup::Year(6);
    store.fail(Failure::From(3));
    assert!(tab_b.save_pupil(&mut store, ben, 1, Utc::now()).is_err());
    let mut journal: serde_json::Value =
        serde_json::from_str(&store.get(JOURNAL_KEY).unwrap().unwrap()).unwrap();
    journal["started_ms"] = serde_json::json!(Utc::now().timestamp_millis() - 60_000);
    let mut store = MemoryStore::with_items(store.items().clone());
    store.set(JOURNAL_KEY, &journal.to_string()).unwrap();
    // Tab A's next save rolls that back, reloads, then applies its own edit on top.
    let mut amara = tab_a.desk.file(&ids[0]).unwrap().pupil.clone();
    amara.year_group = YearGroup::Year(1);
    tab_a.save_pupil(&mut store, amara, 1, Utc::now()).unwrap();
    assert!(store.get(JOURNAL_KEY).unwrap().is_none());
    let (_, after) = reopen(store.items());
    assert_eq!(
        after.desk.file(&ids[1]).unwrap().pupil.year_group,
        YearGroup::Year(4)
    );
    assert_eq!(
        after.desk.file(&ids[0]).unwrap().pupil.year_group,
        YearGroup::Year(1)
    );
    assert_eq!(register(&tab_a), register(&after));
}

#[test]
fn a_batch_save_writes_everything_or_nothing_and_refuses_a_stale_plan() {
    let mut store = MemoryStore::new();
    let (mut open, ids) = desk_with_pupils(&mut store);
    let mut moved = open.desk.file(&ids[0]).unwrap().clone();
    moved.pupil.year_group = YearGroup::Year(5);
    let mut newcomer = crate::domain::PupilFile::new(pupil("Dev", "Patel"), Utc::now());
    newcomer.pupil.id = OpenDesk::new_pupil_id();
    let batch = vec![(moved.clone(), Some(1)), (newcomer.clone(), None)];

    // A full store: nothing changes.
    let before = store.items().clone();
    store.set_quota_units(Some(storage_used(&store).unwrap() + 50));
    assert_eq!(
        open.save_files(&mut store, batch.clone(), Utc::now()),
        Err(DeskStoreError::Storage(StoreError::QuotaExceeded))
    );
    store.set_quota_units(None);
    assert_eq!(store.items(), &before);
    assert_eq!(open.desk.pupil_count(), 3);

    assert_eq!(
        open.save_files(&mut store, batch.clone(), Utc::now())
            .unwrap(),
        2
    );
    let (_, reopened) = reopen(store.items());
    assert_eq!(reopened.desk.pupil_count(), 4);
    assert_eq!(
        reopened.desk.file(&ids[0]).unwrap().pupil.year_group,
        YearGroup::Year(5)
    );
    assert!(register(&reopened).contains(&"Patel, Dev (4)".to_string()));

    // The same plan again is stale: revision 1 has moved on and the new pupil exists.
    let items = store.items().clone();
    assert!(matches!(
        open.save_files(&mut store, batch, Utc::now()),
        Err(DeskStoreError::Pupil(DeskError::ChangedElsewhere { .. }))
    ));
    assert_eq!(store.items(), &items);
}

#[test]
fn every_save_records_when_which_key_slot_and_what_changed() {
    let mut store = MemoryStore::new();
    let (mut open, recovery) = OpenDesk::create(
        &mut store,
        Settings::new("Oak"),
        PASS,
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap();
    let id = open
        .add_pupil(&mut store, pupil("Amara", "Okafor"), Utc::now())
        .unwrap();
    let created = &open.desk.file(&id).unwrap().history;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].by, "SENCO");
    assert_eq!(created[0].what, ["Record created"]);

    // Unlocked with the recovery key, a plan is drafted and the class changed.
    let mut by_recovery = OpenDesk::unlock(&mut store, &recovery.display(), Utc::now()).unwrap();
    let file = by_recovery.desk.file(&id).unwrap().clone();
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut edited = file.with_plan(file.new_plan(today, false, today).unwrap());
    edited.pupil.class_name = "Oak".into();
    by_recovery
        .save_file(&mut store, edited.clone(), file.revision, Utc::now())
        .unwrap();
    // Saving the same again records nothing new.
    let saved = by_recovery.desk.file(&id).unwrap().clone();
    by_recovery
        .save_file(&mut store, saved.clone(), saved.revision, Utc::now())
        .unwrap();

    let (_, reopened) = reopen(store.items());
    let history = &reopened.desk.file(&id).unwrap().history;
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[1].by, "Recovery key");
    assert_eq!(
        history[1].what,
        ["Details: class", "Support plan 1 drafted"]
    );
    let timeline = reopened.desk.file(&id).unwrap().timeline();
    assert!(timeline.iter().any(|e| e.kind == "Changed"
        && e.text == "By Recovery key: Details: class; Support plan 1 drafted."));
}

// ---------- desks written by earlier apps (header version 1, base64 records) ----------

/// The desk in `items` as an earlier app stored it: header version 1, every record base64.
fn as_version_1(items: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    use crate::vault::{b64, dense, BASE64_RECORD_PREFIX, RECORD_PREFIX as DENSE};
    items
        .iter()
        .map(|(key, value)| {
            let value = if key == HEADER_KEY {
                value.replace(&format!("\"version\":{FORMAT_VERSION}"), "\"version\":1")
            } else if let Some(body) = value.strip_prefix(DENSE) {
                format!(
                    "{BASE64_RECORD_PREFIX}{}",
                    b64::encode(&dense::decode(body).unwrap())
                )
            } else {
                value.clone()
            };
            (key.clone(), value)
        })
        .collect()
}

fn header_version(store: &MemoryStore) -> u32 {
    OpenDesk::read_header(store).unwrap().version
}

/// Record keys by the prefix of their stored value ("v1." or "v2.").
fn records_by_prefix(store: &MemoryStore, prefix: &str) -> Vec<String> {
    store
        .items()
        .iter()
        .filter(|(key, value)| key.starts_with(RECORD_PREFIX) && value.starts_with(prefix))
        .map(|(key, _)| key.clone())
        .collect()
}

/// The promise older apps rely on: a v2 record is never stored under a version-1 header.
fn assert_no_dense_record_under_a_version_1_header(store: &MemoryStore, context: &str) {
    if header_version(store) == 1 {
        assert_eq!(
            records_by_prefix(store, "v2."),
            Vec::<String>::new(),
            "{context}"
        );
    }
}

/// The storage snapshot fixture: a desk exactly as Senco Desk 0.1 stored it.
fn fixture_items() -> BTreeMap<String, String> {
    let text = include_str!("../../tests/fixtures/rekeyed/storage-snapshot-v1.json");
    let snapshot: serde_json::Value = serde_json::from_str(text).unwrap();
    serde_json::from_value(snapshot["items"].clone()).unwrap()
}

const FIXTURE_PASS: &str = "fixture passphrase 2026";

#[test]
fn a_new_desk_is_this_version_with_dense_records_only() {
    let mut store = MemoryStore::new();
    drop(desk_with_pupils(&mut store));
    assert_eq!(header_version(&store), FORMAT_VERSION);
    assert!(records_by_prefix(&store, "v1.").is_empty());
    // head, settings, roster, keys, the manifest's root and a file and a summary for each
    // of three pupils.
    let records = records_by_prefix(&store, "v2.");
    let parts = records.iter().filter(|k| k.contains("/manifest-")).count();
    assert_eq!(records.len() - parts, 11);
}

#[test]
fn a_desk_from_an_earlier_app_opens_and_its_first_save_upgrades_it() {
    let mut store = MemoryStore::with_items(fixture_items());
    assert_eq!(header_version(&store), 1);
    let mut open = OpenDesk::unlock(&mut store, FIXTURE_PASS, Utc::now()).unwrap();
    assert_eq!(open.desk.pupil_count(), 2);
    assert!(open.desk.damaged.is_empty());
    // Opening writes nothing.
    assert_eq!(store.items(), &fixture_items());
    assert_eq!(open.header().version, 1);

    let mut settings = open.desk.settings.clone();
    settings.auto_lock_minutes = 3;
    open.save_settings(&mut store, settings).unwrap();
    assert_eq!(header_version(&store), FORMAT_VERSION);
    assert_eq!(open.header().version, FORMAT_VERSION);
    // Only what the save wrote is dense (with the new keys record, sealing the desk key
    // pair made in this first save); the rest stays base64 until it is next saved.
    let mut dense = records_by_prefix(&store, "v2.");
    // The first manifest, in all its parts, comes with the first save.
    dense.retain(|k| !k.contains("/manifest-"));
    dense.sort();
    assert_eq!(
        dense,
        [
            record_key(HEAD_RECORD),
            record_key(KEYS_RECORD),
            record_key(MANIFEST_RECORD),
            record_key(SETTINGS_RECORD)
        ]
    );
    assert!(open.header().desk_public_key.is_some());
    assert_eq!(records_by_prefix(&store, "v1.").len(), 3);
    // The slots are untouched: the same passphrase opens the mixed desk.
    let fixture_header = Header::parse(&fixture_items()[HEADER_KEY]).unwrap();
    assert_eq!(open.header().slots, fixture_header.slots);
    let (_, reopened) = {
        let mut store = MemoryStore::with_items(store.items().clone());
        let open = OpenDesk::unlock(&mut store, FIXTURE_PASS, Utc::now()).unwrap();
        (store, open)
    };
    assert_eq!(reopened.desk.settings.auto_lock_minutes, 3);
    assert_eq!(reopened.desk.pupil_count(), 2);

    // A later save does not write the header again.
    let ben = open
        .desk
        .pupils_by_surname()
        .into_iter()
        .find(|p| p.surname == "Hughes")
        .unwrap()
        .clone();
    let revision = open.desk.file(&ben.id).unwrap().revision;
    store.fail(Failure::Once(usize::MAX));
    let mut edited = ben.clone();
    edited.year_group = YearGroup::Year(5);
    open.save_pupil(&mut store, edited, revision, Utc::now())
        .unwrap();
    assert_eq!(
        store.writes(),
        7,
        "journal, pupil, its summary, its manifest part, manifest, head, journal removed"
    );
}

#[test]
fn a_version_1_desk_made_here_opens_edits_and_upgrades() {
    let mut store = MemoryStore::new();
    let (open, ids) = desk_with_pupils(&mut store);
    drop(open);
    let old = as_version_1(store.items());
    let (mut store, mut open) = reopen(&old);
    assert_eq!(open.header().version, 1);
    let mut ben = open.desk.file(&ids[1]).unwrap().pupil.clone();
    ben.year_group = YearGroup::Year(5);
    open.save_pupil(&mut store, ben, 1, Utc::now()).unwrap();
    assert_eq!(header_version(&store), FORMAT_VERSION);
    let pupil_key = record_key(&pupil_record_id(&ids[1].0));
    assert!(store.items()[&pupil_key].starts_with("v2."));
    assert!(records_by_prefix(&store, "v2.").contains(&record_key(HEAD_RECORD)));
    let (_, reopened) = reopen(store.items());
    assert_eq!(
        register(&reopened),
        ["Abbott, Chloe (4)", "Hughes, Ben (5)", "Okafor, Amara (4)"]
    );
}

/// The upgrading save cut short at each of its writes, in every way: the version-1 desk is
/// left as it was (at once, or at the next unlock), and at no moment does storage hold a
/// v2 record under a version-1 header.
#[test]
fn a_failure_at_any_step_of_the_upgrading_save_leaves_the_version_1_desk() {
    type Change = fn(&mut OpenDesk, &mut MemoryStore) -> Result<(), DeskStoreError>;
    let changes: Vec<(&str, Change)> = vec![
        ("edit", |o, s| {
            let mut p = o.desk.pupils_by_surname()[0].clone();
            p.year_group = YearGroup::Reception;
            let revision = o.desk.file(&p.id).unwrap().revision;
            o.save_pupil(s, p, revision, Utc::now()).map(|_| ())
        }),
        ("add", |o, s| {
            o.add_pupil(s, pupil("Dev", "Patel"), Utc::now())
                .map(|_| ())
        }),
        ("passphrase", |o, s| {
            o.change_passphrase(
                s,
                FIXTURE_PASS,
                "another long passphrase",
                KdfParams::for_tests(),
            )
            .map(|_| ())
        }),
    ];
    let old = fixture_items();
    // The key is derived once: each try opens a fresh copy with it (every slot wraps the
    // same data key), and a passphrase is tried only on a header that changed.
    let header = OpenDesk::read_header(&MemoryStore::with_items(old.clone())).unwrap();
    let vault = header.unlock(FIXTURE_PASS).unwrap();
    for (name, change) in changes {
        for mode in [Failure::Once as fn(usize) -> Failure, Failure::From] {
            for n in 1.. {
                let mut store = MemoryStore::with_items(old.clone());
                let mut open =
                    OpenDesk::open(&mut store, header.clone(), vault.clone(), Utc::now()).unwrap();
                let before = register(&open);
                store.fail(mode(n));
                let result = change(&mut open, &mut store);
                let finished = store.writes() < n;
                let context = format!("{name} {:?}", mode(n));
                assert_no_dense_record_under_a_version_1_header(&store, &context);
                let mut next = MemoryStore::with_items(store.items().clone());
                let later = Utc::now() + chrono::Duration::minutes(1);
                // The data key derived before opens the desk, unless the passphrase change
                // went through (a new data key): then only the new passphrase does.
                let reopened = OpenDesk::read_header(&next)
                    .and_then(|h| OpenDesk::open(&mut next, h, vault.clone(), later))
                    .or_else(|_| OpenDesk::unlock(&mut next, "another long passphrase", later))
                    .unwrap_or_else(|e| panic!("{context}: desk unreadable: {e}"));
                assert_no_dense_record_under_a_version_1_header(&next, &context);
                if result.is_err() {
                    assert_eq!(open.header().version, 1, "{context}");
                    assert_eq!(next.items(), &old, "{context}: not as it was");
                    assert_eq!(register(&reopened), before, "{context}");
                    if matches!(mode(n), Failure::Once(_)) {
                        assert_eq!(store.items(), &old, "{context}: not rolled back at once");
                    }
                } else {
                    assert_eq!(header_version(&next), FORMAT_VERSION, "{context}");
                    assert_eq!(open.header().version, FORMAT_VERSION, "{context}");
                    assert_eq!(register(&reopened), register(&open), "{context}");
                }
                if finished {
                    assert!(result.is_ok(), "{context}: failed without a failure");
                    break;
                }
            }
        }
    }
}

#[test]
fn a_desk_restored_from_an_earlier_snapshot_is_this_version() {
    use crate::backup::BackupFile;
    let text = include_str!("../../tests/fixtures/rekeyed/storage-snapshot-v1.json");
    let file = BackupFile::read(text.as_bytes()).unwrap();
    let vault = file.unlock(FIXTURE_PASS).unwrap();
    let backup = file.open(&vault).unwrap();
    let header = file.header().unwrap();
    assert_eq!(header.version, 1);
    let mut store = MemoryStore::new();
    let (open, _) = OpenDesk::create_from_backup(
        &mut store,
        &backup,
        None,
        crate::vault::NewDeskKeys::make(FIXTURE_PASS, KdfParams::for_tests(), Utc::now()).unwrap(),
        Utc::now(),
    )
    .unwrap();
    assert_eq!(open.header().version, FORMAT_VERSION);
    assert_eq!(header_version(&store), FORMAT_VERSION);
    assert!(records_by_prefix(&store, "v1.").is_empty());
    drop(open);
    let mut store = MemoryStore::with_items(store.items().clone());
    let open = OpenDesk::unlock(&mut store, FIXTURE_PASS, Utc::now()).unwrap();
    assert_eq!(open.desk.pupil_count(), 2);
}

#[test]
fn a_header_from_a_later_app_is_still_refused_as_newer() {
    let mut store = MemoryStore::new();
    drop(desk_with_pupils(&mut store));
    let mut items = store.items().clone();
    let header = items[HEADER_KEY].replace(
        &format!("\"version\":{FORMAT_VERSION}"),
        &format!("\"version\":{}", FORMAT_VERSION + 1),
    );
    items.insert(HEADER_KEY.into(), header);
    let mut store = MemoryStore::with_items(items);
    let error = OpenDesk::unlock(&mut store, PASS, Utc::now())
        .err()
        .unwrap();
    assert_eq!(
        error,
        DeskStoreError::Vault(VaultError::NewerFormat {
            found: (FORMAT_VERSION + 1).to_string()
        })
    );
    assert!(error.to_string().contains("Update Senco Desk"));
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

#[test]
fn point_4_a_new_recovery_key_needs_the_current_passphrase_or_recovery_key() {
    let mut store = MemoryStore::new();
    let (mut open, recovery) = OpenDesk::create(
        &mut store,
        Settings::new("Oak"),
        PASS,
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap();
    let before = store.items().clone();
    // Someone at the unlocked desk without the passphrase gets nothing, and nothing changes.
    assert_eq!(
        open.new_recovery_key(&mut store, "", KdfParams::for_tests())
            .err(),
        Some(DeskStoreError::Vault(VaultError::WrongSecret))
    );
    assert_eq!(
        open.new_recovery_key(
            &mut store,
            "a guess at the passphrase",
            KdfParams::for_tests()
        )
        .err(),
        Some(DeskStoreError::Vault(VaultError::WrongSecret))
    );
    assert_eq!(store.items(), &before);
    assert!(OpenDesk::unlock(&mut store.clone(), &recovery.display(), Utc::now()).is_ok());
    // The current recovery key is enough too (for a SENCO who forgot the passphrase).
    let fresh = open
        .new_recovery_key(&mut store, &recovery.display(), KdfParams::for_tests())
        .unwrap()
        .new_recovery_key
        .unwrap();
    assert!(OpenDesk::unlock(&mut store.clone(), &recovery.display(), Utc::now()).is_err());
    assert!(OpenDesk::unlock(&mut store.clone(), &fresh.display(), Utc::now()).is_ok());
}

#[test]
fn point_5_the_recovery_key_stays_unconfirmed_until_the_senco_confirms_it() {
    let mut store = MemoryStore::new();
    let (mut open, recovery) = OpenDesk::create(
        &mut store,
        Settings::new("Oak"),
        PASS,
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap();
    assert!(open.desk.settings.recovery_key_unconfirmed);
    // Leaving the step (a link, a reload, a lock) keeps the desk marked as unconfirmed.
    let reopened = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    assert!(reopened.desk.settings.recovery_key_unconfirmed);
    open.confirm_recovery_key(&mut store).unwrap();
    let reopened = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    assert!(!reopened.desk.settings.recovery_key_unconfirmed);
    // A new key made in settings is unconfirmed again, in the same save as the key.
    let fresh = open
        .new_recovery_key(&mut store, &recovery.display(), KdfParams::for_tests())
        .unwrap()
        .new_recovery_key
        .unwrap();
    let reopened = OpenDesk::unlock(&mut store, &fresh.display(), Utc::now()).unwrap();
    assert!(reopened.desk.settings.recovery_key_unconfirmed);
}

#[path = "rotation_tests.rs"]
mod rotation;

#[path = "summary_tests.rs"]
mod summaries;

mod drafts {
    use super::*;
    use crate::domain::draft::Draft;

    fn note_draft(text: &str) -> Draft {
        Draft {
            page: "/pupil?id=0a1b2c3d".into(),
            form: "note".into(),
            saved_at: Utc::now(),
            fields: vec![
                ("note-date".into(), "01/12/2026".into()),
                ("note-text".into(), text.into()),
            ],
        }
    }

    #[test]
    fn point_2_a_draft_is_sealed_in_storage_and_opens_again_on_its_page() {
        let mut store = MemoryStore::new();
        let open = new_desk(&mut store);
        let draft = note_draft("Spoke to Mrs Okafor at parents' evening");
        open.keep_draft(&mut store, &draft).unwrap();
        for (key, value) in store.items() {
            for secret in ["Okafor", "parents", "0a1b2c3d", "note-text"] {
                assert!(!key.contains(secret) && !value.contains(secret), "{key}");
            }
        }
        assert!(store.items().keys().any(|k| k.starts_with(DRAFT_PREFIX)));
        assert_eq!(open.drafts_for(&store, &draft.page), vec![draft.clone()]);
        assert!(open.drafts_for(&store, "/pupil?id=other").is_empty());
        // Kept again: one draft per form, the latest.
        let later = note_draft("Spoke to Mrs Okafor at parents' evening about reading");
        open.keep_draft(&mut store, &later).unwrap();
        assert_eq!(open.drafts_for(&store, &draft.page), vec![later]);
    }

    #[test]
    fn point_2_a_draft_is_removed_when_saved_or_discarded_and_the_desk_still_opens() {
        let mut store = MemoryStore::new();
        let open = new_desk(&mut store);
        let before = store.items().clone();
        let draft = note_draft("Typed");
        open.keep_draft(&mut store, &draft).unwrap();
        // A desk with a draft opens as before (older apps ignore the key too: it is no record).
        let header = open.header().clone();
        let reopened = OpenDesk::open(
            &mut store,
            header.clone(),
            header.unlock(PASS).unwrap(),
            Utc::now(),
        )
        .unwrap();
        assert_eq!(reopened.drafts_for(&store, &draft.page).len(), 1);
        open.remove_draft(&mut store, &draft.page, &draft.form)
            .unwrap();
        assert_eq!(store.items(), &before);
    }

    #[test]
    fn point_2_erasing_a_pupil_removes_the_drafts_typed_about_them_and_keeps_the_rest() {
        let mut store = MemoryStore::new();
        let mut open = new_desk(&mut store);
        let erased = open
            .add_pupil(
                &mut store,
                crate::test_support::pupil("Ada", "Okafor"),
                Utc::now(),
            )
            .unwrap();
        let kept = open
            .add_pupil(
                &mut store,
                crate::test_support::pupil("Ben", "Adams"),
                Utc::now(),
            )
            .unwrap();
        let on = |page: String, form: &str| Draft {
            page,
            form: form.into(),
            ..note_draft("Typed about them")
        };
        let about = [
            on(format!("/pupil?id={}", erased.0), "note"),
            on(format!("/plan?pupil={}&cycle=1", erased.0), "plan"),
            on(format!("/passport?id={}", erased.0), "passport"),
        ];
        let other = on(format!("/pupil?id={}", kept.0), "note");
        for draft in about.iter().chain([&other]) {
            open.keep_draft(&mut store, draft).unwrap();
        }
        open.delete_pupil(&mut store, &erased, Utc::now().date_naive())
            .unwrap();
        for draft in &about {
            assert!(
                open.drafts_for(&store, &draft.page).is_empty(),
                "{}",
                draft.page
            );
        }
        assert_eq!(open.drafts_for(&store, &other.page), vec![other.clone()]);
    }

    #[test]
    fn point_2_a_draft_moved_to_another_name_or_desk_does_not_open() {
        let mut store = MemoryStore::new();
        let open = new_desk(&mut store);
        let (key, sealed) = open.seal_draft(&note_draft("Typed"));
        assert!(open.open_draft(&key, &sealed).is_some());
        let other_key = format!("{DRAFT_PREFIX}{}", "0".repeat(24));
        assert!(open.open_draft(&other_key, &sealed).is_none());
        let mut elsewhere = MemoryStore::new();
        let other = create_desk(&mut elsewhere);
        assert!(other.open_draft(&key, &sealed).is_none());
    }

    #[test]
    fn point_2_a_full_store_refuses_the_draft_and_changes_nothing() {
        let mut store = MemoryStore::new();
        let open = new_desk(&mut store);
        let before = store.items().clone();
        store.set_quota_units(Some(storage_used(&store).unwrap() + 50));
        let result = open.keep_draft(&mut store, &note_draft(&"x".repeat(400)));
        assert_eq!(result, Err(StoreError::QuotaExceeded));
        assert_eq!(store.items(), &before);
    }
}

/// Issue 14: a new passphrase or recovery key is derived in a worker first, then saved; a
/// change made from keys the desk no longer has is refused and writes nothing.
#[test]
fn a_secret_changed_away_from_the_desk_is_saved_only_over_the_keys_it_was_made_from() {
    use crate::vault::{at_once, KeyChange, OnThisThread};
    let mut store = MemoryStore::new();
    let (mut open, _) = desk_with_pupils(&mut store);
    let made_from = open.header().clone();
    let stale = at_once(made_from.change_secret_with(
        PASS,
        KeyChange::NewPassphrase("first new passphrase"),
        KdfParams::for_tests(),
        &OnThisThread,
    ))
    .unwrap();
    let fresh = at_once(made_from.change_secret_with(
        PASS,
        KeyChange::NewRecoveryKey,
        KdfParams::for_tests(),
        &OnThisThread,
    ))
    .unwrap();
    let key = open
        .save_key_change(&mut store, fresh)
        .unwrap()
        .new_recovery_key
        .unwrap();
    assert!(OpenDesk::unlock(&mut store.clone(), &key.display(), Utc::now()).is_ok());

    // The keys changed since `stale` was made: refused, nothing written.
    let before = store.items().clone();
    assert_eq!(
        open.save_key_change(&mut store, stale).map(|_| ()),
        Err(DeskStoreError::ChangedElsewhere)
    );
    assert_eq!(*store.items(), before);
    assert!(OpenDesk::unlock(&mut store.clone(), "first new passphrase", Utc::now()).is_err());

    let change = at_once(open.header().change_secret_with(
        PASS,
        KeyChange::NewPassphrase("second new passphrase"),
        KdfParams::for_tests(),
        &OnThisThread,
    ))
    .unwrap();
    open.save_key_change(&mut store, change).unwrap();
    let opened = OpenDesk::unlock(&mut store.clone(), "second new passphrase", Utc::now()).unwrap();
    assert_eq!(opened.desk.pupil_count(), 3);
    assert!(OpenDesk::unlock(&mut store.clone(), &key.display(), Utc::now()).is_ok());
}
