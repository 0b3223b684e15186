//! Attached files in storage: pieces stored apart from the records, named by the pupil's
//! file; orphans swept; erasure, restore and merge keep storage and records in step.

use super::files::{
    block_on, delete_files, read_attachment, sweep_orphans, FileChunks, MemoryChunks,
};
use super::*;
use crate::backup::{BackupFile, MergePlan, OpensWith, ValidBackup};
use crate::domain::attachment::{Attachment, AttachmentDraft};
use crate::domain::{PupilId, Removed, Settings};
use crate::test_support::pupil;
use crate::vault::attachment::{new_file_id, new_file_key, seal_file};
use crate::vault::KdfParams;
use chrono::{NaiveDate, Utc};
use std::collections::BTreeSet;

const PASS: &str = "a long enough passphrase";
/// A marker no record or key could contain by chance.
const CONTENT_MARKER: &[u8] = b"UNIQUE-CONTENT-MARKER-7f3a";

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn desk(store: &mut MemoryStore) -> (OpenDesk, PupilId) {
    let mut open = OpenDesk::create(
        store,
        Settings::new("Oakfield Primary"),
        PASS,
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap()
    .0;
    let id = open
        .add_pupil(store, pupil("Amara", "Okafor"), Utc::now())
        .unwrap();
    (open, id)
}

/// A report of `size` bytes with the marker near its start.
fn report(size: usize) -> Vec<u8> {
    let mut bytes: Vec<u8> = (0..size).map(|i| (i * 31 % 256) as u8).collect();
    bytes[100..100 + CONTENT_MARKER.len()].copy_from_slice(CONTENT_MARKER);
    bytes
}

/// What the add form does: check the details, seal and store the pieces, then save the
/// pupil's file naming them.
fn attach(
    open: &mut OpenDesk,
    store: &mut MemoryStore,
    chunks: &MemoryChunks,
    pupil: &PupilId,
    name: &str,
    bytes: &[u8],
) -> Result<Attachment, DeskStoreError> {
    let details = AttachmentDraft {
        name: name.into(),
        size: bytes.len(),
        media_type: "application/pdf".into(),
        description: "Speech and language therapy report".into(),
        about: "01/09/2026".into(),
    }
    .validate(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
    .unwrap();
    let attachment = details.into_attachment(
        new_file_id(),
        new_file_key(),
        open.unlocked_with(),
        Utc::now(),
    );
    let pieces = seal_file(&attachment.key, &attachment.id, bytes);
    block_on(chunks.put_file(&attachment.id, pieces))?;
    open.attach_file(store, pupil, attachment.clone(), Utc::now())?;
    Ok(attachment)
}

fn assert_nothing_readable(store: &MemoryStore, chunks: &MemoryChunks, name: &str) {
    for (key, value) in store.items() {
        assert!(
            !key.contains(name) && !value.contains(name),
            "{name} in {key}"
        );
    }
    for ((id, index), bytes) in chunks.all() {
        assert!(
            !bytes
                .windows(CONTENT_MARKER.len())
                .any(|w| w == CONTENT_MARKER),
            "content in the clear in piece {index} of {id}"
        );
        assert!(!bytes.windows(name.len()).any(|w| w == name.as_bytes()));
    }
}

#[test]
fn an_attached_file_is_listed_after_unlocking_again_and_opens_to_the_same_bytes() {
    let (mut store, chunks) = (MemoryStore::new(), MemoryChunks::new());
    let (mut open, id) = desk(&mut store);
    let bytes = report(2_500_000);
    let added = attach(
        &mut open,
        &mut store,
        &chunks,
        &id,
        "SALT report.pdf",
        &bytes,
    )
    .unwrap();
    assert_eq!(chunks.all().len(), 3);
    assert_nothing_readable(&store, &chunks, "SALT report.pdf");

    let mut again = MemoryStore::with_items(store.items().clone());
    let reopened = OpenDesk::unlock(&mut again, PASS, Utc::now()).unwrap();
    let file = reopened.desk.file(&id).unwrap();
    assert_eq!(file.attachments, vec![added.clone()]);
    assert_eq!(file.attachments[0].added_by, "SENCO");
    assert!(file.history.last().unwrap().what[0].contains("File attached: SALT report.pdf"));
    let timeline = file.timeline();
    assert!(
        timeline
            .iter()
            .any(|e| e.kind == "File added"
                && e.text.starts_with("SALT report.pdf (about 01/09/2026"))
    );
    let opened = block_on(read_attachment(&chunks, &file.attachments[0])).unwrap();
    assert_eq!(opened.as_slice(), bytes.as_slice());
}

#[test]
fn a_tampered_piece_in_storage_is_named_when_opening() {
    let (mut store, chunks) = (MemoryStore::new(), MemoryChunks::new());
    let (mut open, id) = desk(&mut store);
    let added = attach(
        &mut open,
        &mut store,
        &chunks,
        &id,
        "r.pdf",
        &report(2_500_000),
    )
    .unwrap();
    chunks.set(&added.id, 1, None);
    let error = block_on(read_attachment(&chunks, &added)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "This file cannot be opened: piece 2 of 3 is missing from this browser's storage. \
         Delete it and attach it again from the original."
    );
}

#[test]
fn pieces_whose_save_failed_are_orphans_the_sweep_removes() {
    let (mut store, chunks) = (MemoryStore::new(), MemoryChunks::new());
    let (mut open, id) = desk(&mut store);
    let kept = attach(
        &mut open,
        &mut store,
        &chunks,
        &id,
        "kept.pdf",
        &report(5_000),
    )
    .unwrap();
    // The pieces are stored, then the save of the pupil's file fails (a full store).
    store.fail(Failure::Once(1));
    assert!(attach(
        &mut open,
        &mut store,
        &chunks,
        &id,
        "lost.pdf",
        &report(5_000)
    )
    .is_err());
    assert_eq!(open.desk.file(&id).unwrap().attachments.len(), 1);
    let ids_stored = block_on(chunks.file_ids()).unwrap();
    assert_eq!(ids_stored.len(), 2, "the failed add left its pieces");
    // Another tab's add in progress is spared.
    let in_progress = new_file_id();
    block_on(chunks.put_file(&in_progress, vec![vec![1, 2, 3]])).unwrap();
    let spare = BTreeSet::from([in_progress.clone()]);
    let named = open.desk.attachment_ids();
    assert_eq!(block_on(sweep_orphans(&chunks, &named, &spare)).unwrap(), 1);
    assert_eq!(
        block_on(chunks.file_ids()).unwrap(),
        BTreeSet::from([kept.id.clone(), in_progress])
    );
    // The file named by the record still opens.
    assert!(block_on(read_attachment(&chunks, &kept)).is_ok());
}

#[test]
fn deleting_a_file_saves_the_record_then_removes_its_pieces() {
    let (mut store, chunks) = (MemoryStore::new(), MemoryChunks::new());
    let (mut open, id) = desk(&mut store);
    let added = attach(
        &mut open,
        &mut store,
        &chunks,
        &id,
        "old.pdf",
        &report(5_000),
    )
    .unwrap();
    let gone = open
        .detach_file(&mut store, &id, &added.id, Utc::now())
        .unwrap()
        .unwrap();
    block_on(delete_files(&chunks, [gone.id.clone()])).unwrap();
    assert!(chunks.all().is_empty());
    let file = open.desk.file(&id).unwrap();
    assert!(file.attachments.is_empty());
    // A tombstone, so a merge with an older copy does not bring it back.
    assert!(file.was_removed(Removed::Attachment, &added.id));
    assert!(file.history.last().unwrap().what[0].contains("File deleted: old.pdf"));
    // Deleting it again (another tab got there first) is not an error.
    assert_eq!(
        open.detach_file(&mut store, &id, &added.id, Utc::now()),
        Ok(None)
    );
}

#[test]
fn erasing_a_pupil_removes_every_piece_of_their_files() {
    let (mut store, chunks) = (MemoryStore::new(), MemoryChunks::new());
    let (mut open, id) = desk(&mut store);
    let other = open
        .add_pupil(&mut store, pupil("Ben", "Hughes"), Utc::now())
        .unwrap();
    attach(
        &mut open,
        &mut store,
        &chunks,
        &id,
        "amara-ep.pdf",
        &report(1_500_000),
    )
    .unwrap();
    attach(
        &mut open,
        &mut store,
        &chunks,
        &id,
        "amara-salt.pdf",
        &report(5_000),
    )
    .unwrap();
    let bens = attach(
        &mut open,
        &mut store,
        &chunks,
        &other,
        "ben.pdf",
        &report(5_000),
    )
    .unwrap();
    // What the erase screen does: the files it names, the erasure, then their pieces.
    let files = open.desk.file(&id).unwrap().attachment_ids();
    open.delete_pupil(&mut store, &id, today()).unwrap();
    block_on(delete_files(&chunks, files)).unwrap();
    assert_eq!(
        block_on(chunks.file_ids()).unwrap(),
        BTreeSet::from([bens.id.clone()])
    );
    for name in ["amara-ep.pdf", "amara-salt.pdf", "Amara", "Okafor"] {
        for (record, text) in open.every_plaintext(&store) {
            assert!(!text.contains(name), "{name} left in {record}");
        }
    }
    // Ben's file is untouched.
    assert!(block_on(read_attachment(&chunks, &bens)).is_ok());
}

#[test]
fn a_backup_holds_records_only_and_says_so_by_leaving_files_out() {
    let (mut store, chunks) = (MemoryStore::new(), MemoryChunks::new());
    let (mut open, id) = desk(&mut store);
    attach(
        &mut open,
        &mut store,
        &chunks,
        &id,
        "ep.pdf",
        &report(5_000),
    )
    .unwrap();
    let made = open
        .make_backup(OpensWith::DeskSecrets, Utc::now(), Utc::now().naive_utc())
        .unwrap();
    assert!(!made.text.contains("ep.pdf"));
    let file = BackupFile::read(made.text.as_bytes()).unwrap();
    let vault = file.unlock(PASS).unwrap();
    let backup = file.open(&vault).unwrap();
    assert!(backup.files[&id].attachments.is_empty());
}

#[test]
fn restoring_a_backup_over_the_desk_keeps_the_files_of_pupils_who_stay() {
    let (mut store, chunks) = (MemoryStore::new(), MemoryChunks::new());
    let (mut open, id) = desk(&mut store);
    let backup = ValidBackup::from_desk(&open.desk);
    // Since the backup: a file attached, and the pupil's details edited.
    let added = attach(
        &mut open,
        &mut store,
        &chunks,
        &id,
        "ep.pdf",
        &report(5_000),
    )
    .unwrap();
    let mut edited = open.desk.file(&id).unwrap().clone();
    edited.pupil.class_name = "Oak".into();
    let revision = edited.revision;
    open.save_file(&mut store, edited, revision, Utc::now())
        .unwrap();
    let generation = open.generation();
    open.replace_with_backup(&mut store, &backup, generation)
        .unwrap();
    let file = open.desk.file(&id).unwrap();
    assert_eq!(file.pupil.class_name, "", "the records are the backup's");
    assert_eq!(file.attachments, vec![added.clone()], "the file is kept");
    // Still there after unlocking again, and sweeping removes nothing of it.
    let mut again = MemoryStore::with_items(store.items().clone());
    let reopened = OpenDesk::unlock(&mut again, PASS, Utc::now()).unwrap();
    let named = reopened.desk.attachment_ids();
    assert_eq!(
        block_on(sweep_orphans(&chunks, &named, &BTreeSet::new())).unwrap(),
        0
    );
    assert!(block_on(read_attachment(&chunks, &added)).is_ok());
}

#[test]
fn merging_a_backup_keeps_the_files_the_desk_has() {
    let (mut store, chunks) = (MemoryStore::new(), MemoryChunks::new());
    let (mut open, id) = desk(&mut store);
    let added = attach(
        &mut open,
        &mut store,
        &chunks,
        &id,
        "ep.pdf",
        &report(5_000),
    )
    .unwrap();
    // A backup from a copy where the class was set later, without the file.
    let mut backup = ValidBackup::from_desk(&open.desk);
    let theirs = backup.files.get_mut(&id).unwrap();
    let before = theirs.clone();
    theirs.pupil.class_name = "Oak".into();
    theirs.record_change(
        Some(&before),
        "SENCO",
        Utc::now() + chrono::Duration::seconds(5),
    );
    theirs.revision += 1;
    let plan = MergePlan::make(&open.desk, open.generation(), &backup);
    assert_eq!(plan.writes.len(), 1);
    open.merge_backup(&mut store, &plan).unwrap();
    let file = open.desk.file(&id).unwrap();
    assert_eq!(file.pupil.class_name, "Oak");
    assert_eq!(file.attachments, vec![added]);
}

#[test]
fn a_pupil_file_from_before_attachments_still_opens_and_stays_the_same_shape() {
    let file = crate::domain::PupilFile::new(pupil("Amara", "Okafor"), Utc::now());
    let json = serde_json::to_string(&file).unwrap();
    assert!(
        !json.contains("attachments"),
        "an empty list is not written"
    );
    let back: crate::domain::PupilFile = serde_json::from_str(&json).unwrap();
    assert!(back.attachments.is_empty());
    assert_eq!(back, file);
}
