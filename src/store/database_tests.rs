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
