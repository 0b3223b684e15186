//! Issue 14: changing a secret rotates the data key; key-slot labels are bound to sealed
//! data; older desks still open.

use super::*;
use crate::backup::{BackupFile, OpensWith};
use crate::domain::draft::Draft;
use crate::vault::{RecoveryKey, SlotKind, Vault};

const NEW_PASS: &str = "a brand new passphrase";

fn backup_of(open: &OpenDesk) -> BackupFile {
    let made = open
        .make_backup(OpensWith::DeskSecrets, Utc::now(), Utc::now().naive_local())
        .unwrap();
    BackupFile::read(made.text.as_bytes()).unwrap()
}

/// The records in storage that `vault` opens.
fn opened_by(vault: &Vault, store: &MemoryStore) -> Vec<String> {
    store
        .items()
        .iter()
        .filter_map(|(key, value)| {
            let record_id = key.strip_prefix(RECORD_PREFIX)?;
            vault.open(record_id, value).ok()?;
            Some(record_id.to_string())
        })
        .collect()
}

fn records(store: &MemoryStore) -> usize {
    store
        .items()
        .keys()
        .filter(|k| k.starts_with(RECORD_PREFIX))
        .count()
}

/// A desk made for real (its recovery key is needed), with three pupils.
fn desk_and_recovery_key(store: &mut MemoryStore) -> (OpenDesk, RecoveryKey) {
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
    (open, recovery)
}

#[test]
fn issue_14_after_a_passphrase_change_the_old_key_opens_no_record_nor_a_later_backup() {
    let mut store = MemoryStore::new();
    let (mut open, recovery) = desk_and_recovery_key(&mut store);
    let before = register(&open);
    let stored_before = records(&store);
    // What someone could keep: an old backup, and later learn the old passphrase.
    let old_backup = backup_of(&open);
    let old_key = old_backup.unlock(PASS).unwrap();
    assert_eq!(opened_by(&old_key, &store).len(), records(&store));

    let changed = open
        .change_passphrase(&mut store, PASS, NEW_PASS, KdfParams::for_tests())
        .unwrap();
    assert!(changed.new_recovery_key.is_none());
    assert_eq!(changed.drafts_lost, 0);

    // Nothing stored now opens with the old key: every record was re-sealed.
    assert_eq!(opened_by(&old_key, &store), Vec::<String>::new());
    // The same records (with the manifest's parts), each sealed anew.
    assert_eq!(records(&store), stored_before);
    // Nor does a backup made after the change, with the old key or the old passphrase.
    let later_backup = backup_of(&open);
    assert!(later_backup.open(&old_key).is_err());
    assert!(later_backup.unlock(PASS).is_err());
    assert!(later_backup.unlock(NEW_PASS).is_ok());
    // The old backup still opens with the old passphrase (it carries its own slots).
    assert!(old_backup.open(&old_key).is_ok());

    // The new passphrase opens everything; the old one nothing; the recovery key still
    // works, though it was not typed.
    assert!(OpenDesk::unlock(&mut store.clone(), PASS, Utc::now()).is_err());
    let (_, reopened) = {
        let mut store = store.clone();
        let open = OpenDesk::unlock(&mut store, NEW_PASS, Utc::now()).unwrap();
        (store, open)
    };
    assert_eq!(register(&reopened), before);
    assert_eq!(reopened.unlocked_with(), "SENCO");
    let by_recovery =
        OpenDesk::unlock(&mut store.clone(), &recovery.display(), Utc::now()).unwrap();
    assert_eq!(register(&by_recovery), before);
    // The open desk goes on saving under the new key.
    let mut amara = open.desk.pupils_by_surname()[2].clone();
    amara.year_group = YearGroup::Year(6);
    let revision = open.desk.file(&amara.id).unwrap().revision;
    open.save_pupil(&mut store, amara, revision, Utc::now())
        .unwrap();
    assert_eq!(opened_by(&old_key, &store), Vec::<String>::new());
}

#[test]
fn issue_14_a_new_recovery_key_rotates_the_data_key_and_the_passphrase_still_opens() {
    let mut store = MemoryStore::new();
    let (mut open, recovery) = desk_and_recovery_key(&mut store);
    let old_key = OpenDesk::read_header(&store).unwrap().unlock(PASS).unwrap();
    let fresh = open
        .new_recovery_key(&mut store, &recovery.display(), KdfParams::for_tests())
        .unwrap()
        .new_recovery_key
        .unwrap();
    assert_eq!(opened_by(&old_key, &store), Vec::<String>::new());
    assert!(OpenDesk::unlock(&mut store.clone(), &recovery.display(), Utc::now()).is_err());
    assert!(OpenDesk::unlock(&mut store.clone(), &fresh.display(), Utc::now()).is_ok());
    let reopened = OpenDesk::unlock(&mut store.clone(), PASS, Utc::now()).unwrap();
    assert_eq!(register(&reopened), register(&open));
    assert!(reopened.desk.settings.recovery_key_unconfirmed);
}

#[test]
fn issue_14_removing_the_recovery_key_slot_rotates_and_the_passphrase_slot_cannot_go() {
    let mut store = MemoryStore::new();
    let (mut open, recovery) = desk_and_recovery_key(&mut store);
    let old_key = OpenDesk::read_header(&store).unwrap().unlock(PASS).unwrap();
    let slot = |kind| {
        open.header()
            .slots
            .iter()
            .find(|s| s.kind == kind)
            .unwrap()
            .id
            .clone()
    };
    let (recovery_slot, passphrase_slot) =
        (slot(SlotKind::RecoveryKey), slot(SlotKind::Passphrase));
    let before = store.items().clone();
    assert!(open
        .remove_key_slot(&mut store, PASS, &passphrase_slot, KdfParams::for_tests())
        .is_err());
    assert_eq!(store.items(), &before, "nothing written");
    open.remove_key_slot(&mut store, PASS, &recovery_slot, KdfParams::for_tests())
        .unwrap();
    assert_eq!(opened_by(&old_key, &store), Vec::<String>::new());
    assert!(!open.header().has_recovery_key());
    assert!(OpenDesk::unlock(&mut store.clone(), &recovery.display(), Utc::now()).is_err());
    assert!(OpenDesk::unlock(&mut store.clone(), PASS, Utc::now()).is_ok());
}

#[test]
fn issue_14_drafts_still_open_after_the_key_changes_and_the_old_key_opens_none() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk_and_recovery_key(&mut store);
    let draft = Draft {
        page: "/pupil?id=0011223344556677".into(),
        form: "note".into(),
        saved_at: Utc::now(),
        fields: vec![("note-text".into(), "Spoke to mum".into())],
    };
    open.keep_draft(&mut store, &draft).unwrap();
    let old_key = OpenDesk::read_header(&store).unwrap().unlock(PASS).unwrap();
    let changed = open
        .change_passphrase(&mut store, PASS, NEW_PASS, KdfParams::for_tests())
        .unwrap();
    assert_eq!(changed.drafts_lost, 0);
    assert_eq!(open.drafts_for(&store, &draft.page), vec![draft.clone()]);
    let reopened = OpenDesk::unlock(&mut store.clone(), NEW_PASS, Utc::now()).unwrap();
    assert_eq!(
        reopened.drafts_for(&store, &draft.page),
        vec![draft.clone()]
    );
    let (key, sealed) = store
        .items()
        .iter()
        .find(|(k, _)| k.starts_with(DRAFT_PREFIX))
        .unwrap();
    let name = key.strip_prefix(DRAFT_PREFIX).unwrap();
    assert!(old_key.open(&format!("draft/{name}"), sealed).is_err());
}

#[test]
fn issue_14_a_draft_kept_in_a_tab_whose_key_another_tab_changed_opens_after_unlocking_again() {
    let mut store = MemoryStore::new();
    let (mut changing_tab, _) = desk_and_recovery_key(&mut store);
    let typing_tab = OpenDesk::unlock(&mut store.clone(), PASS, Utc::now()).unwrap();
    let draft = Draft {
        page: "/pupil?id=0011223344556677".into(),
        form: "note".into(),
        saved_at: Utc::now(),
        fields: vec![("note-text".into(), "Spoke to mum".into())],
    };
    // Two changes of passphrase in one tab; the other keeps typing under the first key
    // (it is told to unlock again only when it next hears from storage).
    changing_tab
        .change_passphrase(&mut store, PASS, NEW_PASS, KdfParams::for_tests())
        .unwrap();
    typing_tab.keep_draft(&mut store, &draft).unwrap();
    changing_tab
        .change_passphrase(&mut store, NEW_PASS, PASS, KdfParams::for_tests())
        .unwrap();

    // Unlocking with the passphrase as it is now finds the draft, sealed anew.
    let unlocked = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    assert!(unlocked.drafts_for(&store, &draft.page).is_empty());
    assert_eq!(unlocked.reseal_earlier_drafts(&mut store), 0);
    assert_eq!(unlocked.drafts_for(&store, &draft.page), vec![draft]);
    // The earlier keys still open no record: they are only for such drafts.
    let first_key = typing_tab.vault_for_tests();
    let records: Vec<(&String, &String)> = store
        .items()
        .iter()
        .filter(|(k, _)| k.starts_with(&record_key("")))
        .collect();
    assert!(!records.is_empty());
    for (key, sealed) in records {
        let record_id = key.strip_prefix(&record_key("")).unwrap();
        assert!(first_key.open(record_id, sealed).is_err(), "{record_id}");
    }
}

#[test]
fn issue_14_a_removed_slot_leaves_no_earlier_key_and_a_draft_that_cannot_be_moved_yet_is_kept() {
    let draft = Draft {
        page: "/pupil?id=0011223344556677".into(),
        form: "note".into(),
        saved_at: Utc::now(),
        fields: vec![("note-text".into(), "Spoke to mum".into())],
    };
    // A draft under the key before a change of passphrase: a full store refuses to take it
    // across at unlock, and it is left as it was for the next unlock.
    let mut store = MemoryStore::new();
    let (mut open, _) = desk_and_recovery_key(&mut store);
    let typing_tab = OpenDesk::unlock(&mut store.clone(), PASS, Utc::now()).unwrap();
    open.change_passphrase(&mut store, PASS, NEW_PASS, KdfParams::for_tests())
        .unwrap();
    typing_tab.keep_draft(&mut store, &draft).unwrap();
    let unlocked = OpenDesk::unlock(&mut store, NEW_PASS, Utc::now()).unwrap();
    let before = store.items().clone();
    store.fail(Failure::Once(1));
    assert_eq!(unlocked.reseal_earlier_drafts(&mut store), 1);
    assert_eq!(store.items(), &before, "the draft is left as it was");
    assert_eq!(unlocked.reseal_earlier_drafts(&mut store), 0);
    assert_eq!(
        unlocked.drafts_for(&store, &draft.page),
        vec![draft.clone()]
    );

    // Removing a slot keeps no earlier key: a draft under the key before it stays shut.
    let mut store = MemoryStore::new();
    let (mut open, _) = desk_and_recovery_key(&mut store);
    let typing_tab = OpenDesk::unlock(&mut store.clone(), PASS, Utc::now()).unwrap();
    let recovery_slot = open
        .header()
        .slots
        .iter()
        .find(|s| s.kind == SlotKind::RecoveryKey)
        .unwrap()
        .id
        .clone();
    open.remove_key_slot(&mut store, PASS, &recovery_slot, KdfParams::for_tests())
        .unwrap();
    typing_tab.keep_draft(&mut store, &draft).unwrap();
    let unlocked = OpenDesk::unlock(&mut store, PASS, Utc::now()).unwrap();
    assert_eq!(unlocked.reseal_earlier_drafts(&mut store), 0);
    assert!(unlocked.drafts_for(&store, &draft.page).is_empty());
}

#[test]
fn issue_14_a_header_whose_label_was_edited_is_refused_and_nothing_is_written() {
    let mut store = MemoryStore::new();
    drop(desk_and_recovery_key(&mut store));
    let header = store.get(HEADER_KEY).unwrap().unwrap();
    for (from, to) in [
        ("\"SENCO\"", "\"Head teacher\""),
        ("\"Recovery key\"", "\"Mr Smith\""),
    ] {
        let mut edited = store.items().clone();
        edited.insert(HEADER_KEY.into(), header.replacen(from, to, 1));
        let mut edited = MemoryStore::with_items(edited);
        let before = edited.items().clone();
        let refused = OpenDesk::unlock(&mut edited, PASS, Utc::now())
            .err()
            .unwrap();
        assert_eq!(refused, DeskStoreError::Vault(VaultError::SlotsChanged));
        assert!(refused
            .to_string()
            .starts_with("The desk's key slots have been changed outside Senco Desk"));
        assert_eq!(edited.items(), &before);
    }
    // The sealed list removed: refused too.
    let mut stripped = store.items().clone();
    stripped.remove(&record_key(KEYS_RECORD));
    assert_eq!(
        OpenDesk::unlock(&mut MemoryStore::with_items(stripped), PASS, Utc::now()).err(),
        Some(DeskStoreError::Vault(VaultError::SlotsChanged))
    );
    // An older desk's label edited (it has no sealed list: only the labels an older app
    // wrote are accepted).
    let mut older = fixture_items();
    let text = older[HEADER_KEY].replacen("\"SENCO\"", "\"Head teacher\"", 1);
    older.insert(HEADER_KEY.into(), text);
    assert_eq!(
        OpenDesk::unlock(
            &mut MemoryStore::with_items(older),
            FIXTURE_PASS,
            Utc::now()
        )
        .err(),
        Some(DeskStoreError::Vault(VaultError::SlotsChanged))
    );
}

#[test]
fn issue_14_a_stored_label_of_61_characters_is_refused() {
    let mut store = MemoryStore::new();
    drop(desk_and_recovery_key(&mut store));
    let header = store.get(HEADER_KEY).unwrap().unwrap();
    let long = format!("\"{}\"", "S".repeat(61));
    store
        .set(HEADER_KEY, &header.replacen("\"SENCO\"", &long, 1))
        .unwrap();
    assert!(matches!(
        OpenDesk::unlock(&mut store, PASS, Utc::now()),
        Err(DeskStoreError::Vault(VaultError::DamagedHeader(m))) if m.contains("61 characters")
    ));
}

#[test]
fn issue_14_an_older_desk_opens_gets_its_key_pair_and_a_passphrase_change_remakes_its_recovery_key()
{
    let mut store = MemoryStore::with_items(fixture_items());
    let mut open = OpenDesk::unlock(&mut store, FIXTURE_PASS, Utc::now()).unwrap();
    assert_eq!(open.desk.pupil_count(), 2);
    assert!(open.header().recovery_key_is_older());
    let old_key = OpenDesk::read_header(&store)
        .unwrap()
        .unlock(FIXTURE_PASS)
        .unwrap();
    let changed = open
        .change_passphrase(&mut store, FIXTURE_PASS, NEW_PASS, KdfParams::for_tests())
        .unwrap();
    // The older recovery-key slot could not be re-wrapped without its key: a new one.
    let fresh = changed.new_recovery_key.expect("a new recovery key");
    assert!(open.desk.settings.recovery_key_unconfirmed);
    assert_eq!(opened_by(&old_key, &store), Vec::<String>::new());
    let old_recovery = "FXTR-RECV-RYKY-2026-FXTR-RECV-RYKY-2026";
    assert!(OpenDesk::unlock(&mut store.clone(), old_recovery, Utc::now()).is_err());
    let by_recovery = OpenDesk::unlock(&mut store.clone(), &fresh.display(), Utc::now()).unwrap();
    assert_eq!(by_recovery.desk.pupil_count(), 2);
    assert!(by_recovery.header().desk_public_key.is_some());
    assert!(by_recovery
        .header()
        .slots
        .iter()
        .all(|s| s.is_sealed_to_key()));
}

#[test]
fn issue_14_another_tab_is_told_to_unlock_again_after_a_key_change() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk_and_recovery_key(&mut store);
    let mut other = OpenDesk::unlock(&mut store.clone(), PASS, Utc::now()).unwrap();
    open.change_passphrase(&mut store, PASS, NEW_PASS, KdfParams::for_tests())
        .unwrap();
    assert_eq!(
        other.refresh(&store).err(),
        Some(DeskStoreError::KeysChangedElsewhere)
    );
    let mut settings = other.desk.settings.clone();
    settings.auto_lock_minutes = 3;
    assert_eq!(
        other.save_settings(&mut store, settings).err(),
        Some(DeskStoreError::KeysChangedElsewhere)
    );
}

#[test]
fn issue_14_a_key_change_cut_short_is_undone_and_the_old_passphrase_opens_the_desk() {
    let mut store = MemoryStore::new();
    let (mut open, _) = desk_and_recovery_key(&mut store);
    let before = store.items().clone();
    // Storage fails after the journal and the new header are written, and stays failed
    // (the tab closes): the half-done change is on disk.
    store.fail(Failure::From(3));
    assert!(open
        .change_passphrase(&mut store, PASS, NEW_PASS, KdfParams::for_tests())
        .is_err());
    let mut next = MemoryStore::with_items(store.items().clone());
    assert_ne!(next.items(), &before);
    let later = Utc::now() + chrono::Duration::minutes(1);
    let reopened = OpenDesk::unlock(&mut next, PASS, later).unwrap();
    assert!(reopened.recovered);
    assert_eq!(next.items(), &before);
    // The new passphrase, typed into the half-done header before it is undone, is told why.
    let mut next = MemoryStore::with_items(store.items().clone());
    let header = OpenDesk::read_header(&next).unwrap();
    if let Ok(vault) = header.unlock(NEW_PASS) {
        assert_eq!(
            OpenDesk::open(&mut next, header, vault, later).err(),
            Some(DeskStoreError::KeyChangeUndone)
        );
    }
}
