//! The IndexedDB-style path, natively: a save is one batch that the database stores whole or
//! not at all, and a failed, refused or unfinished commit leaves memory as storage is.

use super::database::poll_once;
use super::*;
use crate::domain::{PupilId, Settings};
use crate::test_support::pupil;
use crate::vault::KdfParams;
use chrono::Utc;

const PASS: &str = "a long enough passphrase";

/// A desk created through the mirror and committed to the database, as the browser does.
fn new_desk(db: &MemoryDatabase) -> (OpenDesk, DeskMirror) {
    let mut mirror = DeskMirror::default();
    let open = OpenDesk::create(
        &mut mirror,
        Settings::new("Oakfield Primary"),
        PASS,
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap()
    .0;
    let batch = mirror.take_batch();
    assert!(batch.expected_head.is_none(), "a new desk expects no head");
    poll_once(db.commit(&batch)).unwrap().unwrap();
    (open, mirror)
}

/// One save as the app makes it: prepare, commit, settle.
fn save<T>(
    open: &mut OpenDesk,
    mirror: &mut DeskMirror,
    db: &MemoryDatabase,
    change: impl FnOnce(&mut OpenDesk, &mut DeskMirror) -> Result<T, DeskStoreError>,
) -> Option<Result<T, DeskStoreError>> {
    let (value, batch) = match prepare(open, mirror, change) {
        Ok(prepared) => prepared,
        Err(e) => return Some(Err(e)),
    };
    let outcome = poll_once(db.commit(&batch))?;
    Some(settle(open, mirror, batch, outcome).map(|()| value))
}

fn add(open: &mut OpenDesk, mirror: &mut DeskMirror, db: &MemoryDatabase, name: &str) -> PupilId {
    save(open, mirror, db, |open, store| {
        open.add_pupil(store, pupil(name, "Okafor"), Utc::now())
    })
    .unwrap()
    .unwrap()
}

fn names_after_unlock(db: &MemoryDatabase) -> Vec<String> {
    let mut mirror = DeskMirror::new(poll_once(db.read_all()).unwrap().unwrap());
    let open = OpenDesk::unlock(&mut mirror, PASS, Utc::now()).unwrap();
    let mut names: Vec<String> = open
        .desk
        .pupils_by_surname()
        .iter()
        .map(|p| p.forename.clone())
        .collect();
    names.sort();
    names
}

#[test]
fn a_save_is_one_batch_with_no_journal_and_reopens() {
    let db = MemoryDatabase::default();
    let (mut open, mut mirror) = new_desk(&db);
    add(&mut open, &mut mirror, &db, "Amara");
    add(&mut open, &mut mirror, &db, "Ben");
    assert_eq!(db.commits(), 3);
    assert!(!db.items().contains_key(keys::JOURNAL_KEY));
    assert_eq!(db.items(), *mirror.items());
    assert_eq!(names_after_unlock(&db), ["Amara", "Ben"]);
}

#[test]
fn an_aborted_commit_at_any_write_leaves_storage_and_memory_as_before() {
    let db = MemoryDatabase::default();
    let (mut open, mut mirror) = new_desk(&db);
    add(&mut open, &mut mirror, &db, "Amara");
    let stored = db.items();
    for n in 1..=3 {
        db.fail(Some(DatabaseFailure::AbortAt(n)));
        let result = save(&mut open, &mut mirror, &db, |open, store| {
            open.add_pupil(store, pupil("Ben", "Hughes"), Utc::now())
        })
        .unwrap();
        assert!(
            matches!(result, Err(DeskStoreError::Storage(StoreError::Failed(_)))),
            "{result:?}"
        );
        assert_eq!(db.items(), stored, "write {n}");
        assert_eq!(*mirror.items(), stored, "write {n}");
        assert_eq!(open.desk.pupils_by_surname().len(), 1, "write {n}");
    }
    db.fail(None);
    add(&mut open, &mut mirror, &db, "Ben");
    assert_eq!(names_after_unlock(&db), ["Amara", "Ben"]);
}

#[test]
fn a_full_quota_is_reported_and_changes_nothing() {
    let db = MemoryDatabase::default();
    let (mut open, mut mirror) = new_desk(&db);
    let stored = db.items();
    db.fail(Some(DatabaseFailure::Quota));
    let result = save(&mut open, &mut mirror, &db, |open, store| {
        open.add_pupil(store, pupil("Ben", "Hughes"), Utc::now())
    })
    .unwrap();
    assert_eq!(
        result.unwrap_err(),
        DeskStoreError::Storage(StoreError::QuotaExceeded)
    );
    assert_eq!(db.items(), stored);
    assert!(open.desk.pupils_by_surname().is_empty());
}

#[test]
fn a_commit_that_never_finishes_leaves_the_last_stored_desk() {
    let db = MemoryDatabase::default();
    let (mut open, mut mirror) = new_desk(&db);
    add(&mut open, &mut mirror, &db, "Amara");
    let stored = db.items();
    db.fail(Some(DatabaseFailure::NeverResolve));
    let unfinished = save(&mut open, &mut mirror, &db, |open, store| {
        open.add_pupil(store, pupil("Ben", "Hughes"), Utc::now())
    });
    assert!(unfinished.is_none(), "the commit is still waiting");
    // The tab closes: what the next tab finds is the last whole commit.
    assert_eq!(db.items(), stored);
    assert_eq!(names_after_unlock(&db), ["Amara"]);
}

#[test]
fn a_stale_tab_is_refused_inside_the_commit_and_the_other_save_stays() {
    let db = MemoryDatabase::default();
    let (mut first, mut first_mirror) = new_desk(&db);
    let mut second_mirror = DeskMirror::new(db.items());
    let mut second = OpenDesk::unlock(&mut second_mirror, PASS, Utc::now()).unwrap();
    add(&mut first, &mut first_mirror, &db, "Amara");
    // The second tab has not heard of that save: its own is refused by the database.
    let result = save(&mut second, &mut second_mirror, &db, |open, store| {
        open.add_pupil(store, pupil("Ben", "Hughes"), Utc::now())
    })
    .unwrap();
    assert_eq!(result.unwrap_err(), DeskStoreError::ChangedElsewhere);
    assert_eq!(names_after_unlock(&db), ["Amara"]);
    // Reading the database again brings the other tab's pupil in, and saving works.
    second_mirror.replace_all(poll_once(db.read_all()).unwrap().unwrap());
    second.reload(&second_mirror).unwrap();
    add(&mut second, &mut second_mirror, &db, "Ben");
    assert_eq!(names_after_unlock(&db), ["Amara", "Ben"]);
}

#[test]
fn a_refused_change_writes_nothing() {
    let db = MemoryDatabase::default();
    let (mut open, mut mirror) = new_desk(&db);
    let stored = db.items();
    let missing = PupilId("0123456789abcdef".into());
    let result = save(&mut open, &mut mirror, &db, |open, store| {
        open.delete_pupil(store, &missing, Utc::now().date_naive())
    })
    .unwrap();
    assert!(result.is_err());
    assert_eq!(db.commits(), 1);
    assert_eq!(db.items(), stored);
}

/// A change of keys is one commit like any save: if the database refuses it, the open
/// desk goes back to the key storage still holds and keeps saving; once it is stored, the
/// new passphrase opens the whole desk with nothing reported as tampered with.
#[test]
fn a_change_of_keys_that_fails_leaves_the_old_key_working_and_one_that_succeeds_opens_clean() {
    use crate::vault::{at_once, KeyChange, OnThisThread};
    const NEW_PASS: &str = "another long passphrase";
    let db = MemoryDatabase::default();
    let (mut open, mut mirror) = new_desk(&db);
    add(&mut open, &mut mirror, &db, "Amara");
    let change = |open: &OpenDesk| {
        at_once(open.header().change_secret_with(
            PASS,
            KeyChange::NewPassphrase(NEW_PASS),
            KdfParams::for_tests(),
            &OnThisThread,
        ))
        .unwrap()
    };
    let stored = db.items();
    db.fail(Some(DatabaseFailure::AbortAt(2)));
    let secret_change = change(&open);
    let result = save(&mut open, &mut mirror, &db, |open, store| {
        open.save_key_change(store, secret_change)
    })
    .unwrap();
    assert!(result.is_err());
    assert_eq!(db.items(), stored);
    // The desk in memory still reads and writes with the key storage holds.
    db.fail(None);
    add(&mut open, &mut mirror, &db, "Ben");
    assert_eq!(names_after_unlock(&db), ["Amara", "Ben"]);

    let secret_change = change(&open);
    save(&mut open, &mut mirror, &db, |open, store| {
        open.save_key_change(store, secret_change)
    })
    .unwrap()
    .unwrap();
    assert!(open.key_change_reached_storage().is_some());
    add(&mut open, &mut mirror, &db, "Chloe");
    let mut fresh = DeskMirror::new(poll_once(db.read_all()).unwrap().unwrap());
    assert!(OpenDesk::unlock(&mut fresh.clone(), PASS, Utc::now()).is_err());
    let reopened = OpenDesk::unlock(&mut fresh, NEW_PASS, Utc::now()).unwrap();
    assert_eq!(reopened.desk.pupils_by_surname().len(), 3);
    assert!(reopened.integrity.is_empty(), "{:?}", reopened.integrity);
}

mod moving_from_local_storage {
    use super::super::moving::{is_moved_header, load_desk, Loaded};
    use super::*;
    use crate::store::keys::{HEADER_KEY, JOURNAL_KEY, RECORD_PREFIX};

    /// A desk as Senco Desk 0.6 left it in localStorage, with two pupils.
    fn old_desk() -> MemoryStore {
        let mut local = MemoryStore::new();
        let mut open = OpenDesk::create(
            &mut local,
            Settings::new("Oakfield Primary"),
            PASS,
            KdfParams::for_tests(),
            Utc::now(),
        )
        .unwrap()
        .0;
        for name in ["Amara", "Ben"] {
            open.add_pupil(&mut local, pupil(name, "Okafor"), Utc::now())
                .unwrap();
        }
        local
    }

    fn load(db: &MemoryDatabase, local: &mut MemoryStore) -> Result<Loaded, DeskStoreError> {
        poll_once(load_desk(db, local, Utc::now().timestamp_millis()))
            .expect("a memory database answers at once")
            .map(|(_, loaded)| loaded)
    }

    fn old_records(local: &MemoryStore) -> usize {
        local
            .items()
            .keys()
            .filter(|k| k.starts_with(RECORD_PREFIX))
            .count()
    }

    #[test]
    fn an_older_desk_moves_into_the_database_once_and_opens_there() {
        let mut local = old_desk();
        let records = old_records(&local);
        let db = MemoryDatabase::default();
        assert_eq!(load(&db, &mut local).unwrap(), Loaded::Moved);
        assert_eq!(names_after_unlock(&db), ["Amara", "Ben"]);
        // The old records are gone, and the old header now says the desk moved, in a
        // version an older app refuses ("update Senco Desk").
        assert_eq!(old_records(&local), 0);
        let marker = local.get(HEADER_KEY).unwrap().unwrap();
        assert!(is_moved_header(&marker));
        // Senco Desk 0.6 reads header versions up to 4 and calls anything higher newer.
        let marker: serde_json::Value = serde_json::from_str(&marker).unwrap();
        assert!(marker["version"].as_u64().unwrap() > 4);
        assert_eq!(db.items().len(), records + 1);
        // Loading again moves nothing.
        assert_eq!(load(&db, &mut local).unwrap(), Loaded::InDatabase);
        assert_eq!(db.commits(), 1);
    }

    #[test]
    fn a_failed_copy_leaves_the_old_desk_complete_and_the_next_load_moves_it() {
        let mut local = old_desk();
        let before = local.items().clone();
        let db = MemoryDatabase::default();
        for failure in [DatabaseFailure::Quota, DatabaseFailure::AbortAt(2)] {
            db.fail(Some(failure));
            assert!(load(&db, &mut local).is_err());
            assert_eq!(*local.items(), before, "{failure:?}");
            assert!(db.items().is_empty(), "{failure:?}");
        }
        db.fail(None);
        assert_eq!(load(&db, &mut local).unwrap(), Loaded::Moved);
        assert_eq!(names_after_unlock(&db), ["Amara", "Ben"]);
    }

    #[test]
    fn a_crash_between_the_copy_and_the_marker_repeats_the_move_from_the_old_desk() {
        let mut local = old_desk();
        let db = MemoryDatabase::default();
        // Marking localStorage fails (the tab closed): the database already holds the copy.
        local.fail(Failure::From(1));
        assert!(load(&db, &mut local).is_err());
        assert!(!db.items().is_empty());
        assert!(!is_moved_header(&local.get(HEADER_KEY).unwrap().unwrap()));
        local.heal();
        assert_eq!(load(&db, &mut local).unwrap(), Loaded::Moved);
        assert_eq!(names_after_unlock(&db), ["Amara", "Ben"]);
        assert_eq!(old_records(&local), 0);
    }

    #[test]
    fn a_crash_after_the_marker_only_leaves_old_records_removed_next_time() {
        let mut local = old_desk();
        let db = MemoryDatabase::default();
        // The marker is written, then every removal fails.
        local.fail(Failure::From(2));
        assert_eq!(load(&db, &mut local).unwrap(), Loaded::Moved);
        assert!(old_records(&local) > 0);
        local.heal();
        assert_eq!(load(&db, &mut local).unwrap(), Loaded::InDatabase);
        assert_eq!(old_records(&local), 0);
        assert_eq!(names_after_unlock(&db), ["Amara", "Ben"]);
    }

    #[test]
    fn a_save_an_older_app_abandoned_is_rolled_back_before_the_move() {
        let mut local = old_desk();
        let committed = local.items().clone();
        // An older app's save cut short: its journal and a half-written record are left.
        let mut open = OpenDesk::unlock(&mut local, PASS, Utc::now()).unwrap();
        local.fail(Failure::From(3));
        let id = open.desk.pupils_by_surname()[0].id.clone();
        let mut edited = open.desk.file(&id).unwrap().pupil.clone();
        edited.forename = "Changed".into();
        let revision = open.desk.file(&id).unwrap().revision;
        assert!(open
            .save_pupil(&mut local, edited, revision, Utc::now())
            .is_err());
        local.heal();
        // Make the journal old enough to count as abandoned.
        let journal = local.get(JOURNAL_KEY).unwrap();
        if let Some(journal) = journal {
            let old = journal.replacen("\"started_ms\":", "\"started_ms\":1,\"was\":", 1);
            local.set(JOURNAL_KEY, &old).unwrap();
        }
        let db = MemoryDatabase::default();
        assert_eq!(load(&db, &mut local).unwrap(), Loaded::Moved);
        assert_eq!(names_after_unlock(&db), ["Amara", "Ben"]);
        let moved_head = db
            .items()
            .get(&keys::record_key(keys::HEAD_RECORD))
            .cloned();
        assert_eq!(
            moved_head,
            committed.get(&keys::record_key(keys::HEAD_RECORD)).cloned()
        );
    }

    #[test]
    fn a_desk_from_a_newer_app_is_refused_and_left_alone() {
        let mut local = old_desk();
        let header = local.get(HEADER_KEY).unwrap().unwrap();
        let newer = header.replace("\"version\":4", "\"version\":99");
        let newer = newer.replace("\"version\":5", "\"version\":99");
        local.set(HEADER_KEY, &newer).unwrap();
        let before = local.items().clone();
        let db = MemoryDatabase::default();
        assert!(matches!(
            load(&db, &mut local),
            Err(DeskStoreError::Vault(
                crate::vault::VaultError::NewerFormat { .. }
            ))
        ));
        assert_eq!(*local.items(), before);
        assert!(db.items().is_empty());
    }
}
