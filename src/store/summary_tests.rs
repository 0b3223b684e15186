//! Issue 14: unlocking shows pupils' summaries first and opens their full files after;
//! a summary goes with its file in the same commit, is sealed, and is rebuilt from the
//! file when it disagrees.

use super::*;
use crate::domain::pupil::{Note, PupilFile};

const LONG: &str = "A note only the pupil's page shows, long enough to matter. ";

/// A desk with three pupils, each with a long note (which summaries leave out).
fn desk_with_notes(store: &mut MemoryStore) -> (OpenDesk, Vec<PupilId>) {
    let (mut open, ids) = desk_with_pupils(store);
    for id in &ids {
        let mut file = open.desk.file(id).unwrap().clone();
        let revision = file.revision;
        file.notes.push(Note {
            id: String::new(),
            date: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            author: "SENCO".into(),
            text: LONG.repeat(10),
        });
        open.save_file(store, file, revision, Utc::now()).unwrap();
    }
    (open, ids)
}

fn open_summaries(store: &mut MemoryStore) -> OpenDesk {
    let header = OpenDesk::read_header(store).unwrap();
    let vault = header.unlock(PASS).unwrap();
    OpenDesk::open_summaries(store, header, vault, Utc::now()).unwrap()
}

fn summary_keys(store: &MemoryStore) -> Vec<String> {
    store
        .items()
        .keys()
        .filter(|k| k.starts_with(&record_key(SUMMARY_RECORD_PREFIX)))
        .cloned()
        .collect()
}

#[test]
fn issue_14_unlocking_shows_summaries_first_then_every_full_file() {
    let mut store = MemoryStore::new();
    let (open, ids) = desk_with_notes(&mut store);
    let register_before = register(&open);
    drop(open);

    let mut quick = open_summaries(&mut store);
    // The register shows at once, from summaries: the notes are not opened yet.
    assert_eq!(register(&quick), register_before);
    assert!(!quick.is_fully_open());
    assert!(quick
        .desk
        .files()
        .all(|f| f.summary_only && f.notes.is_empty()));

    // One file at a time (as between frames), until every one is open.
    assert!(!quick.open_more(&store, || false).unwrap());
    assert_eq!(quick.desk.files().filter(|f| !f.summary_only).count(), 1);
    assert!(!quick.open_more(&store, || false).unwrap());
    assert!(quick.open_more(&store, || false).unwrap());
    assert!(quick.is_fully_open());
    // Finished once: asking again changes nothing.
    assert!(!quick.finish_opening(&store).unwrap());

    // The same desk as opening everything at once, with nothing found and nothing to write.
    let (_, whole) = reopen(store.items());
    for id in &ids {
        assert_eq!(quick.desk.file(id), whole.desk.file(id));
        assert_eq!(quick.desk.file(id).unwrap().notes[0].text, LONG.repeat(10));
    }
    assert!(quick.integrity.is_empty());
    assert_eq!(quick.summaries_to_write(), 0);
}

#[test]
fn issue_14_nothing_is_saved_until_every_file_is_open_nor_ever_built_on_a_summary() {
    let mut store = MemoryStore::new();
    let (open, ids) = desk_with_notes(&mut store);
    drop(open);
    let mut quick = open_summaries(&mut store);
    let stored = store.items().clone();

    // A form opened on the summary, saved while the files are opening: refused.
    let summary = quick.desk.file(&ids[0]).unwrap().clone();
    let mut edited = summary.clone();
    edited.pupil.class_name = "Oak".into();
    let refused = quick.save_file(&mut store, edited.clone(), summary.revision, Utc::now());
    assert_eq!(refused, Err(DeskStoreError::StillOpening));
    assert!(quick
        .make_backup(
            crate::backup::OpensWith::DeskSecrets,
            Utc::now(),
            Utc::now().naive_local()
        )
        .is_err());
    assert!(quick
        .prepare_backup_with_files(
            crate::backup::OpensWith::DeskSecrets,
            Utc::now(),
            Utc::now().naive_local()
        )
        .is_err());
    assert_eq!(store.items(), &stored, "nothing written");

    // Once open, that form's save is still refused: it would lose the note.
    quick.finish_opening(&store).unwrap();
    let refused = quick.save_file(&mut store, edited, summary.revision, Utc::now());
    assert_eq!(refused, Err(DeskStoreError::StillOpening));
    assert_eq!(store.items(), &stored, "nothing written");

    // A save built on the full file goes through, and keeps the note.
    let mut full = quick.desk.file(&ids[0]).unwrap().clone();
    assert!(!full.summary_only);
    full.pupil.class_name = "Oak".into();
    quick
        .save_file(&mut store, full.clone(), full.revision, Utc::now())
        .unwrap();
    let (_, reopened) = reopen(store.items());
    let saved = reopened.desk.file(&ids[0]).unwrap();
    assert_eq!(saved.pupil.class_name, "Oak");
    assert_eq!(saved.notes[0].text, LONG.repeat(10));
}

#[test]
fn issue_14_a_summary_is_written_sealed_in_the_same_commit_as_its_file_and_erased_with_it() {
    let mut store = MemoryStore::new();
    let mut open = new_desk(&mut store);
    let mut mirror = DeskMirror::new(store.items().clone());
    mirror.take_batch();
    let id = open
        .add_pupil(&mut mirror, pupil("Amara", "Okafor"), Utc::now())
        .unwrap();
    let batch = mirror.take_batch();
    let keys: Vec<&str> = batch.writes.iter().map(|(k, _)| k.as_str()).collect();
    let summary_key = record_key(&summary_record_id(&id.0));
    assert!(keys.contains(&record_key(&pupil_record_id(&id.0)).as_str()));
    assert!(keys.contains(&summary_key.as_str()), "{keys:?}");
    // Sealed: the name is not in it, and it opens only as this pupil's summary.
    let sealed = mirror.get(&summary_key).unwrap().unwrap();
    assert!(!sealed.contains("Amara") && !sealed.contains("Okafor"));
    assert!(open.vault.open(&pupil_record_id(&id.0), &sealed).is_err());
    let plain = open.vault.open(&summary_record_id(&id.0), &sealed).unwrap();
    let summary: PupilFile = serde_json::from_slice(&plain).unwrap();
    assert!(open.desk.file(&id).unwrap().is_summarised_by(&summary));

    // Erasing the pupil removes the summary in the same commit.
    open.delete_pupil(
        &mut mirror,
        &id,
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    )
    .unwrap();
    let batch = mirror.take_batch();
    assert!(batch.writes.contains(&(summary_key.clone(), None)));
    assert!(mirror.get(&summary_key).unwrap().is_none());
}

#[test]
fn issue_14_a_summary_that_disagrees_with_its_file_is_rebuilt_from_the_file() {
    let mut store = MemoryStore::new();
    let (open, ids) = desk_with_notes(&mut store);
    // An older summary put back (or one a bug wrote): another name, and no class.
    let mut wrong = open.desk.file(&ids[1]).unwrap().summary();
    wrong.pupil.forename = "Someone else".into();
    let record_id = summary_record_id(&ids[1].0);
    let sealed = open
        .vault
        .seal(&record_id, &serde_json::to_vec(&wrong).unwrap());
    store.set(&record_key(&record_id), &sealed).unwrap();
    let right = open.desk.file(&ids[1]).unwrap().clone();
    drop(open);

    let mut quick = open_summaries(&mut store);
    quick.finish_opening(&store).unwrap();
    // The file wins in memory at once, nothing is reported as tampering (the summary is
    // not in the manifest: it is only ever a copy of part of the file)...
    assert_eq!(quick.desk.file(&ids[1]), Some(&right));
    assert!(quick.integrity.is_empty());
    assert_eq!(quick.summaries_to_write(), 1);
    // ...and the summary is written again from it.
    quick.save_summaries(&mut store).unwrap();
    assert_eq!(quick.summaries_to_write(), 0);
    let again = open_summaries(&mut store);
    let shown = again.desk.file(&ids[1]).unwrap();
    assert!(shown.summary_only);
    assert!(right.is_summarised_by(shown));
    assert_eq!(shown.pupil.forename, right.pupil.forename);
}

#[test]
fn issue_14_a_desk_without_summaries_opens_whole_and_then_has_them_written() {
    let mut store = MemoryStore::new();
    let (open, ids) = desk_with_notes(&mut store);
    drop(open);
    // As a desk saved before summaries existed.
    for key in summary_keys(&store) {
        store.remove(&key).unwrap();
    }
    let mut quick = open_summaries(&mut store);
    assert!(quick
        .desk
        .files()
        .all(|f| !f.summary_only && !f.notes.is_empty()));
    assert!(quick.finish_opening(&store).unwrap());
    assert_eq!(quick.summaries_to_write(), 3);
    quick.save_summaries(&mut store).unwrap();
    assert_eq!(summary_keys(&store).len(), ids.len());
    let again = open_summaries(&mut store);
    assert!(again.desk.files().all(|f| f.summary_only));
}

#[test]
fn issue_14_a_file_that_does_not_open_is_named_even_if_its_summary_did() {
    let mut store = MemoryStore::new();
    let (open, ids) = desk_with_notes(&mut store);
    let name = open.desk.file(&ids[2]).unwrap().pupil.sort_name();
    drop(open);
    let key = record_key(&pupil_record_id(&ids[2].0));
    let mut damaged = store.get(&key).unwrap().unwrap();
    damaged.pop();
    damaged.pop();
    store.set(&key, &damaged).unwrap();

    let mut quick = open_summaries(&mut store);
    assert!(
        quick.desk.file(&ids[2]).is_some(),
        "its summary shows at first"
    );
    quick.finish_opening(&store).unwrap();
    assert!(quick.desk.file(&ids[2]).is_none());
    assert_eq!(quick.desk.damaged.len(), 1);
    assert_eq!(quick.desk.damaged[0].name, name);
    // As opening everything at once finds.
    let (_, whole) = reopen(store.items());
    assert_eq!(whole.desk.damaged, quick.desk.damaged);
    assert_eq!(whole.integrity, quick.integrity);
    assert_eq!(quick.summaries_to_write(), 0);
}

#[test]
fn issue_14_a_summary_left_without_its_file_is_removed_once_the_loss_is_accepted() {
    let mut store = MemoryStore::new();
    let (open, ids) = desk_with_notes(&mut store);
    drop(open);
    // The file deleted outside the app: its summary stays behind.
    store
        .remove(&record_key(&pupil_record_id(&ids[0].0)))
        .unwrap();
    let mut quick = open_summaries(&mut store);
    assert!(quick.desk.file(&ids[0]).is_none(), "no file, so not shown");
    quick.finish_opening(&store).unwrap();
    assert_eq!(quick.integrity.len(), 1, "the missing file is reported");
    assert_eq!(
        quick.save_summaries(&mut store),
        Err(DeskStoreError::Unresolved)
    );
    quick.accept_the_loss(&mut store, Utc::now()).unwrap();

    let mut next = open_summaries(&mut store);
    next.finish_opening(&store).unwrap();
    assert!(next.integrity.is_empty());
    assert_eq!(next.summaries_to_write(), 1);
    next.save_summaries(&mut store).unwrap();
    assert_eq!(summary_keys(&store).len(), 2);
    assert!(!summary_keys(&store).contains(&record_key(&summary_record_id(&ids[0].0))));
}

fn begin_unlocking(store: &mut MemoryStore) -> Unlocking {
    let header = OpenDesk::read_header(store).unwrap();
    let vault = header.unlock(PASS).unwrap();
    Unlocking::begin(store, header, vault, Utc::now()).unwrap()
}

#[test]
fn issue_14_summaries_are_read_a_few_at_a_time_so_the_page_paints_while_unlocking() {
    let mut store = MemoryStore::new();
    let (open, _) = desk_with_notes(&mut store);
    drop(open);

    // Told to stop at once, each step reads one pupil: three pupils, three steps.
    let mut steps = begin_unlocking(&mut store);
    let mut calls = 1;
    while !steps.read_more(&store, || false).unwrap() {
        calls += 1;
    }
    assert_eq!(calls, 3);
    let stepped = steps.finish(&store).unwrap();

    // The same desk as reading every summary at once.
    let at_once = open_summaries(&mut store);
    assert_eq!(register(&stepped), register(&at_once));
    assert_eq!(stepped.generation(), at_once.generation());
    assert!(stepped.desk.files().all(|f| f.summary_only));
}

#[test]
fn issue_14_a_save_in_another_tab_between_steps_starts_the_reading_again() {
    let mut store = MemoryStore::new();
    let (mut other_tab, ids) = desk_with_notes(&mut store);
    let mut steps = begin_unlocking(&mut store);
    assert!(!steps.read_more(&store, || false).unwrap());

    // Another tab saves every pupil while this one is part-way through.
    for id in &ids {
        let mut file = other_tab.desk.file(id).unwrap().clone();
        file.pupil.class_name = "Oak".into();
        other_tab
            .save_file(&mut store, file.clone(), file.revision, Utc::now())
            .unwrap();
    }
    while !steps.read_more(&store, || false).unwrap() {}
    let mut open = steps.finish(&store).unwrap();
    assert!(open.desk.files().all(|f| f.pupil.class_name == "Oak"));
    open.finish_opening(&store).unwrap();

    // One save's desk, not two mixed: the latest generation, nothing reported as tampering.
    assert_eq!(open.generation(), other_tab.generation());
    assert!(open.integrity.is_empty(), "{:?}", open.integrity);
    assert!(open.desk.files().all(|f| f.pupil.class_name == "Oak"));
}

#[test]
fn issue_14_a_change_of_keys_in_another_tab_between_steps_asks_to_unlock_again() {
    let mut store = MemoryStore::new();
    let (mut other_tab, _) = desk_with_notes(&mut store);
    let mut steps = begin_unlocking(&mut store);
    assert!(!steps.read_more(&store, || false).unwrap());
    other_tab
        .change_passphrase(
            &mut store,
            PASS,
            "a new passphrase for this desk",
            KdfParams::for_tests(),
        )
        .unwrap();
    assert_eq!(
        steps.read_more(&store, || false).err(),
        Some(DeskStoreError::ChangedElsewhere)
    );
}

#[test]
fn issue_14_unlocking_ends_even_while_another_tab_saves_between_every_step() {
    let mut store = MemoryStore::new();
    let (mut other_tab, ids) = desk_with_notes(&mut store);
    let mut steps = begin_unlocking(&mut store);
    let mut calls = 0;
    loop {
        calls += 1;
        assert!(calls < 10, "unlocking never ended");
        if steps.read_more(&store, || false).unwrap() {
            break;
        }
        let mut file = other_tab.desk.file(&ids[0]).unwrap().clone();
        file.pupil.class_name = format!("Class {calls}");
        other_tab
            .save_file(&mut store, file.clone(), file.revision, Utc::now())
            .unwrap();
    }
    let mut open = steps.finish(&store).unwrap();
    open.finish_opening(&store).unwrap();
    assert_eq!(open.generation(), other_tab.generation());
    assert!(open.integrity.is_empty(), "{:?}", open.integrity);
}
