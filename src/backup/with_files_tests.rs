//! Backups with attached files: they carry every file and open to the same bytes, they are
//! read as a stream, every kind of bad file is named with nothing changed, and restoring or
//! merging brings the files with the records.

use super::stream::{Item, StreamReader, MAX_PIECE_TEXT};
use super::with_files::{self, copy_files, FilesHead, SliceSource, PART_BYTES};
use super::*;
use crate::domain::attachment::{Attachment, AttachmentDraft, CHUNK_BYTES};
use crate::domain::{PupilId, Settings};
use crate::store::files::{block_on, read_attachment, sweep_orphans, FileChunks, MemoryChunks};
use crate::store::{MemoryStore, OpenDesk};
use crate::test_support::pupil;
use crate::vault::attachment::{new_file_id, new_file_key, seal_file, RustCheck};
use crate::vault::{KdfParams, NewDeskKeys};
use chrono::{NaiveDate, Utc};
use std::collections::BTreeSet;

const PASS: &str = "a long enough passphrase";

struct Fixture {
    store: MemoryStore,
    chunks: MemoryChunks,
    open: OpenDesk,
    amara: PupilId,
    ben: PupilId,
    /// (attachment, its bytes)
    files: Vec<(Attachment, Vec<u8>)>,
}

/// Varied bytes, different for each `seed`.
fn content(size: usize, seed: usize) -> Vec<u8> {
    (0..size)
        .map(|i| ((i * 31 + seed * 7) % 251) as u8)
        .collect()
}

fn attach(f: &mut Fixture, pupil: &PupilId, name: &str, bytes: Vec<u8>) -> Attachment {
    let details = AttachmentDraft {
        name: name.into(),
        size: bytes.len(),
        media_type: "application/pdf".into(),
        description: String::new(),
        about: "01/09/2026".into(),
    }
    .validate(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap())
    .unwrap();
    let a = details.into_attachment(
        new_file_id(),
        new_file_key(),
        f.open.unlocked_with(),
        Utc::now(),
    );
    block_on(f.chunks.put_file(&a.id, seal_file(&a.key, &a.id, &bytes))).unwrap();
    f.open
        .attach_file(&mut f.store, pupil, a.clone(), Utc::now())
        .unwrap();
    f.files.push((a.clone(), bytes));
    a
}

/// Two pupils; Amara has a 2.5 MiB report (three pieces) and a small letter, Ben a 1 MiB
/// scan (exactly one piece).
fn fixture() -> Fixture {
    let mut store = MemoryStore::new();
    let mut open = OpenDesk::create(
        &mut store,
        Settings::new("Oakfield Primary"),
        PASS,
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap()
    .0;
    let amara = open
        .add_pupil(&mut store, pupil("Amara", "Okafor"), Utc::now())
        .unwrap();
    let ben = open
        .add_pupil(&mut store, pupil("Ben", "Hughes"), Utc::now())
        .unwrap();
    let mut f = Fixture {
        store,
        chunks: MemoryChunks::new(),
        open,
        amara: amara.clone(),
        ben: ben.clone(),
        files: Vec::new(),
    };
    attach(
        &mut f,
        &amara,
        "EP report.pdf",
        content(CHUNK_BYTES * 5 / 2, 1),
    );
    attach(&mut f, &amara, "Letter.pdf", content(20_000, 2));
    attach(&mut f, &ben, "Scan.pdf", content(CHUNK_BYTES, 3));
    f
}

fn now_local() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 12, 1)
        .unwrap()
        .and_hms_opt(9, 30, 0)
        .unwrap()
}

/// Makes a backup with files of the fixture's desk: (the file's bytes, what was made).
fn make(f: &Fixture) -> (Vec<u8>, MadeBackup) {
    let prepared = f
        .open
        .prepare_backup_with_files(OpensWith::DeskSecrets, Utc::now(), now_local())
        .unwrap();
    let mut bytes = Vec::new();
    with_files::ready(prepared.write(&f.chunks, &mut bytes))
        .unwrap()
        .unwrap();
    let written = bytes.clone();
    let made = block_on(with_files::make(
        &prepared,
        &f.chunks,
        &mut Vec::new(),
        || SliceSource::new(&written, PART_BYTES),
    ))
    .unwrap();
    (bytes, made)
}

/// Chooses and opens a backup as the browser does: read, unlock, open.
fn open_file(bytes: &[u8]) -> Result<(FilesHead, ValidBackup), BackupError> {
    let file = BackupFile::read(bytes)?;
    let BackupFile::WithFiles(head) = &file else {
        panic!("not a backup with files");
    };
    let vault = file.unlock(PASS)?;
    let backup = file.open(&vault)?;
    Ok(((**head).clone(), backup))
}

/// Stages every file of an opened backup into `chunks`, as a restore does first.
fn stage(
    bytes: &[u8],
    head: &FilesHead,
    backup: &ValidBackup,
    chunks: &MemoryChunks,
) -> Result<with_files::Copied, BackupError> {
    let wanted: BTreeSet<String> = backup.attached_files().map(|a| a.id.clone()).collect();
    block_on(copy_files(
        SliceSource::new(bytes, PART_BYTES),
        head,
        backup,
        Some((chunks, &wanted)),
        &RustCheck,
        |_| {},
    ))
}

/// The base64 text of every piece in the file, in order, and where each starts.
fn piece_texts(text: &str) -> Vec<(usize, String)> {
    let start = text.find("\"chunks\":[").unwrap();
    let mut out = Vec::new();
    let mut at = start + 10;
    while let Some(open) = text[at..].find('"') {
        let open = at + open + 1;
        let close = open + text[open..].find('"').unwrap();
        out.push((open, text[open..close].to_string()));
        at = close + 1;
    }
    out
}

/// Where a file stands in the backup's list (counted from 1), and the place in
/// [`piece_texts`] of its first piece.
fn place_of(bytes: &[u8], id: &str) -> (usize, usize) {
    let head = with_files::scan_bytes(bytes).unwrap();
    let files = &head.envelope.files;
    let n = files.iter().position(|f| f.id == id).unwrap();
    let before = files[..n].iter().map(|f| f.chunks as usize).sum();
    (n + 1, before)
}

/// The backup with one base64 character changed deep inside piece `piece` of file `id`
/// (counted from 0): its place still reads, but it no longer opens. Returns the file's
/// number in the list (from 1) and the changed bytes.
fn with_piece_changed(bytes: &[u8], id: &str, piece: usize) -> (usize, Vec<u8>) {
    let text = std::str::from_utf8(bytes).unwrap();
    let (n, first) = place_of(bytes, id);
    let (at, piece) = piece_texts(text)[first + piece].clone();
    let mut changed = bytes.to_vec();
    let spot = at + piece.len() / 2;
    changed[spot] = if changed[spot] == b'A' { b'B' } else { b'A' };
    (n, changed)
}

#[test]
fn a_backup_with_files_restores_into_a_fresh_browser_with_the_same_bytes() {
    let f = fixture();
    let (bytes, made) = make(&f);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains("\"version\":2"));
    assert_eq!(made.bytes(), bytes.len());
    assert_eq!(made.fingerprint, fingerprint(&bytes));
    // Nothing about a file is in the clear: not its name, not its bytes.
    assert!(!text.contains("EP report") && !text.contains("Okafor"));
    assert_eq!(piece_texts(&text).len(), 3 + 1 + 1);

    let (head, backup) = open_file(&bytes).unwrap();
    assert_eq!(head.fingerprint, made.fingerprint);
    assert!(backup.with_files);
    assert_eq!(backup.files[&f.amara].attachments.len(), 2);

    // A fresh browser: stage the pieces, then make the desk from the records.
    let (mut store, chunks) = (MemoryStore::new(), MemoryChunks::new());
    let copied = stage(&bytes, &head, &backup, &chunks).unwrap();
    assert_eq!(copied.written.len(), 3);
    let keys = NewDeskKeys::make(PASS, KdfParams::for_tests(), Utc::now()).unwrap();
    let (restored, _) =
        OpenDesk::create_from_backup(&mut store, &backup, None, keys, Utc::now()).unwrap();
    for (attachment, original) in &f.files {
        let pupil = if restored
            .desk
            .file(&f.amara)
            .unwrap()
            .attachment(&attachment.id)
            .is_some()
        {
            &f.amara
        } else {
            &f.ben
        };
        let listed = restored
            .desk
            .file(pupil)
            .unwrap()
            .attachment(&attachment.id)
            .unwrap();
        assert_eq!(listed.name, attachment.name);
        let opened = block_on(read_attachment(&chunks, listed)).unwrap();
        assert_eq!(
            &opened[..],
            &original[..],
            "{} opens the same",
            attachment.name
        );
    }
    // Nothing staged is an orphan once the records name it.
    let named = restored.desk.attachment_ids();
    assert_eq!(
        block_on(sweep_orphans(&chunks, &named, &BTreeSet::new())).unwrap(),
        0
    );
}

#[test]
fn a_records_only_backup_stays_version_1_and_small() {
    let f = fixture();
    let records = f
        .open
        .make_backup(OpensWith::DeskSecrets, Utc::now(), now_local())
        .unwrap();
    assert!(records.text.contains("\"version\":1"));
    assert!(!records.text.contains("\"chunks\""));
    let (with, _) = make(&f);
    assert!(
        records.text.len() * 50 < with.len(),
        "records only is small"
    );
    // It still opens as before, naming no file, and restoring it keeps the desk's files.
    let file = BackupFile::read(records.text.as_bytes()).unwrap();
    let backup = file.open(&file.unlock(PASS).unwrap()).unwrap();
    assert!(!backup.with_files);
    assert!(backup.attached_files().next().is_none());
}

#[test]
fn reading_holds_one_part_and_one_piece_at_most() {
    // 12 MiB of files; read 64 KiB at a time, the buffer never holds more than one piece
    // and one part, whatever the file's length.
    let mut f = fixture();
    let ben = f.ben.clone();
    attach(&mut f, &ben, "Big.pdf", content(CHUNK_BYTES * 8, 4));
    let (bytes, _) = make(&f);
    assert!(bytes.len() > 15 * 1024 * 1024);
    let mut reader = StreamReader::new();
    let mut pieces = 0;
    for part in bytes.chunks(64 * 1024) {
        reader.feed(part);
        while let Some(item) = reader.next_item().unwrap() {
            if let Item::Piece(_) = item {
                pieces += 1;
            }
        }
    }
    reader.finish().unwrap();
    assert_eq!(pieces, 3 + 1 + 1 + 8);
    assert!(
        reader.largest_buffer() <= MAX_PIECE_TEXT + 64 * 1024,
        "held {} bytes at once",
        reader.largest_buffer()
    );
    // The same with the parts the browser reads (4 MiB): still far below the file.
    let mut reader = StreamReader::new();
    for part in bytes.chunks(PART_BYTES) {
        reader.feed(part);
        while reader.next_item().unwrap().is_some() {}
    }
    reader.finish().unwrap();
    assert!(reader.largest_buffer() <= MAX_PIECE_TEXT + PART_BYTES);
    assert!(reader.largest_buffer() * 2 < bytes.len());
}

#[test]
fn spacing_added_by_an_editor_is_still_read() {
    let f = fixture();
    let (bytes, _) = make(&f);
    let text = String::from_utf8(bytes).unwrap();
    let spaced = format!(
        "\u{feff}  {}\r\n",
        text.replacen("\"chunks\":[", "\"chunks\" :\r\n  [ ", 1)
            .replace(",\n\"", " ,\n    \"")
    );
    let (_, backup) = open_file(spaced.as_bytes()).unwrap();
    assert_eq!(backup.attached_files().count(), 3);
}

#[test]
fn pieces_written_with_json_escapes_by_another_tool_are_still_read_and_restore_the_same() {
    let f = fixture();
    let (bytes, _) = make(&f);
    let text = String::from_utf8(bytes).unwrap();
    // A JSON tool may write "/" as "\/" (the app reads pieces without escapes directly);
    // a few escapes, as a full piece leaves little room for more.
    let chunks_at = text.find("\"chunks\"").unwrap();
    let escaped = format!(
        "{}{}",
        &text[..chunks_at],
        text[chunks_at..].replacen('/', "\\/", 40)
    );
    assert!(escaped.contains("\\/"));
    let (head, backup) = open_file(escaped.as_bytes()).unwrap();
    let chunks = MemoryChunks::new();
    stage(escaped.as_bytes(), &head, &backup, &chunks).unwrap();
    for attachment in backup.attached_files() {
        assert_eq!(
            block_on(read_attachment(&chunks, attachment))
                .unwrap()
                .as_slice(),
            block_on(read_attachment(&f.chunks, attachment))
                .unwrap()
                .as_slice()
        );
    }
}

fn refused(bytes: &[u8]) -> String {
    match open_file(bytes) {
        Ok(_) => panic!("a bad file was opened"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_file_cut_short_inside_a_piece_is_named_as_incomplete() {
    let f = fixture();
    let (bytes, _) = make(&f);
    let text = String::from_utf8(bytes.clone()).unwrap();
    let (at, _) = piece_texts(&text)[2].clone();
    let message = refused(&bytes[..at + 1000]);
    assert!(message.contains("incomplete"), "{message}");
    // The report's last piece gone, the list closed by hand: the file is named.
    let (n, first) = place_of(&bytes, &f.files[0].0.id);
    let (at, _) = piece_texts(&text)[first + 2].clone();
    let after = piece_texts(&text)
        .get(first + 3)
        .map_or(text.rfind("\n]}").unwrap(), |(a, _)| a - 3);
    let cut = format!("{}{}", &text[..at - 3], &text[after..]);
    let message = refused(cut.as_bytes());
    assert!(
        message.contains(&format!(
            "attached file {n} of 3 is cut short: only 2 of its 3 pieces"
        )),
        "{message}"
    );
}

#[test]
fn a_swapped_or_missing_or_extra_piece_is_named() {
    let f = fixture();
    let (bytes, _) = make(&f);
    let text = String::from_utf8(bytes).unwrap();
    let pieces = piece_texts(&text);
    // Two pieces of the report swapped.
    let (n, first) = place_of(text.as_bytes(), &f.files[0].0.id);
    let swapped = text
        .replacen(&pieces[first].1, "@FIRST@", 1)
        .replacen(&pieces[first + 1].1, &pieces[first].1, 1)
        .replacen("@FIRST@", &pieces[first + 1].1, 1);
    let message = refused(swapped.as_bytes());
    assert!(
        message.contains(&format!("pieces of attached file {n} of 3 are out of order or missing: piece 2 of 3 is where piece 1 belongs")),
        "{message}"
    );
    // The last file's only piece dropped.
    let dropped = text.replacen(&format!(",\n\"{}\"", pieces[4].1), "", 1);
    let message = refused(dropped.as_bytes());
    assert!(
        message.contains("1 of its 3 attached files are missing")
            || message.contains("is cut short"),
        "{message}"
    );
    // A piece repeated at the end.
    let extra = text.replacen("\n]}", &format!(",\n\"{}\"\n]}}", pieces[4].1), 1);
    let message = refused(extra.as_bytes());
    assert!(
        message.contains("more pieces than its attached files"),
        "{message}"
    );
    // The list changed (a piece count): the checksum notices before any key is derived.
    let id = &f.files[2].0.id;
    let shorter = text.replacen(
        &format!("{{\"id\":\"{id}\",\"chunks\":1}}"),
        &format!("{{\"id\":\"{id}\",\"chunks\":2}}"),
        1,
    );
    assert_ne!(shorter, text);
    let message = refused(shorter.as_bytes());
    assert!(message.contains("checksum"), "{message}");
}

#[test]
fn a_changed_piece_is_named_when_staging_and_nothing_is_kept() {
    let f = fixture();
    let (bytes, _) = make(&f);
    // One base64 character changed deep inside the sealed part: its place still reads.
    let (n, changed) = with_piece_changed(&bytes, &f.files[0].0.id, 1);
    // Chosen: the structure and places are fine, so it opens...
    let (head, backup) = open_file(&changed).unwrap();
    // ...and staging proves each piece with its key, names the bad one, and keeps nothing.
    let chunks = MemoryChunks::new();
    let error = stage(&changed, &head, &backup, &chunks).unwrap_err();
    let message = error.to_string();
    assert!(
        message.contains(&format!(
            "piece 2 of 3 of attached file {n} of 3 (\u{201c}EP report.pdf\u{201d}) does not open"
        )),
        "{message}"
    );
    assert!(chunks.all().is_empty(), "the pieces staged were deleted");
}

#[test]
fn a_file_changed_on_the_stick_after_it_was_chosen_is_refused_when_staging() {
    // Staging does not take the SHA-256 again (the scan did): what it proves instead is
    // that the envelope is the one scanned and every piece opens in its place.
    let f = fixture();
    let (bytes, _) = make(&f);
    let (head, backup) = open_file(&bytes).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();

    // The same length, one piece changed after the scan.
    let (n, changed) = with_piece_changed(&bytes, &f.files[0].0.id, 0);
    let chunks = MemoryChunks::new();
    let message = stage(&changed, &head, &backup, &chunks)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&format!("piece 1 of 3 of attached file {n} of 3")),
        "{message}"
    );
    assert!(chunks.all().is_empty());

    // Another backup of the same desk (its envelope differs): refused before any piece.
    let (other, _) = make(&f);
    let message = stage(&other, &head, &backup, &chunks)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("the file changed after it was chosen"),
        "{message}"
    );
    assert!(chunks.all().is_empty());

    // Spacing added after the scan: every piece still proves, but the length differs.
    let spaced = text.replacen("\"chunks\":[", "\"chunks\": [", 1);
    let message = stage(spaced.as_bytes(), &head, &backup, &chunks)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("the file changed after it was chosen"),
        "{message}"
    );
    assert!(chunks.all().is_empty());

    // The file as chosen stages, and the fingerprint given is the one scanned.
    let copied = stage(&bytes, &head, &backup, &chunks).unwrap();
    assert_eq!(copied.fingerprint, head.fingerprint);
    assert_eq!(copied.written.len(), 3);
}

/// Chunks whose writes finish later, as IndexedDB's do, failing write `failing` if given.
fn slow_chunks(failing: Option<usize>) -> MemoryChunks {
    let chunks = MemoryChunks::new();
    chunks.slow_puts.set(true);
    chunks.failing_put.set(failing);
    chunks
}

#[test]
fn staging_reads_on_while_the_disk_finishes_each_write_and_still_stores_every_piece() {
    // (That the last write is waited for is checked by the next test: its failure is heard.)
    let f = fixture();
    let (bytes, _) = make(&f);
    let (head, backup) = open_file(&bytes).unwrap();
    let chunks = slow_chunks(None);
    let copied = stage(&bytes, &head, &backup, &chunks).unwrap();
    assert_eq!(copied.written.len(), 3);
    for (attachment, original) in &f.files {
        let opened = block_on(read_attachment(&chunks, attachment)).unwrap();
        assert_eq!(
            &opened[..],
            &original[..],
            "{} opens the same",
            attachment.name
        );
    }
}

#[test]
fn a_write_that_fails_after_the_reading_moved_on_is_reported_and_nothing_is_kept() {
    let f = fixture();
    let (bytes, _) = make(&f);
    let (head, backup) = open_file(&bytes).unwrap();
    // One write per file here; the last one's failure is only heard by waiting for it.
    for failing in 1..=3 {
        let chunks = slow_chunks(Some(failing));
        let message = stage(&bytes, &head, &backup, &chunks)
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("could not be stored") && message.contains("storage"),
            "write {failing}: {message}"
        );
        assert!(chunks.all().is_empty(), "write {failing}: nothing is kept");
    }
}

#[test]
fn a_bad_piece_found_while_an_earlier_write_is_still_finishing_keeps_nothing() {
    let f = fixture();
    let (bytes, _) = make(&f);
    let files = with_files::scan_bytes(&bytes).unwrap().envelope.files;
    let (n, changed) = with_piece_changed(&bytes, &files.last().unwrap().id, 0);
    let (head, backup) = open_file(&changed).unwrap();
    let chunks = slow_chunks(None);
    let message = stage(&changed, &head, &backup, &chunks)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&format!("attached file {n} of 3")) && message.contains("does not open"),
        "{message}"
    );
    assert!(
        chunks.all().is_empty(),
        "the earlier files' pieces were removed"
    );
}

#[test]
fn a_flipped_bit_in_a_files_key_is_named_and_nothing_changes() {
    let f = fixture();
    let (bytes, _) = make(&f);
    let (head, mut backup) = open_file(&bytes).unwrap();
    // The key of Ben's scan changed, the records sealed again as a forger with the key
    // could: the envelope is valid, the pieces no longer open.
    let scan_id = f.files[2].0.id.clone();
    let ben = backup.files.get_mut(&f.ben).unwrap();
    ben.attachments[0].key.0[5] ^= 0x10;
    let vault = f.open.vault_for_tests();
    let envelope = Envelope::seal_with_files(
        f.open.header(),
        &vault,
        head.envelope.made(),
        &backup.to_json(),
        head.envelope.files.clone(),
    );
    let text = String::from_utf8(bytes).unwrap();
    let rest = &text[text.find(",\"chunks\":[").unwrap()..];
    let forged = format!("{}{}", envelope.to_json().strip_suffix('}').unwrap(), rest);
    let (head, backup) = open_file(forged.as_bytes()).unwrap();
    let (n, _) = place_of(forged.as_bytes(), &scan_id);
    let chunks = MemoryChunks::new();
    chunks.set("0000000000000001", 0, Some(vec![1, 2, 3]));
    let message = stage(forged.as_bytes(), &head, &backup, &chunks)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&format!("piece 1 of 1 of attached file {n} of 3 (\u{201c}Scan.pdf\u{201d}) does not open with its key")),
        "{message}"
    );
    assert_eq!(chunks.all().len(), 1, "only what was there before");
    assert!(!chunks.all().iter().any(|((id, _), _)| *id == scan_id));
}

#[test]
fn records_and_list_must_name_the_same_files() {
    let f = fixture();
    let (bytes, _) = make(&f);
    let (head, mut backup) = open_file(&bytes).unwrap();
    backup.files.get_mut(&f.ben).unwrap().attachments.clear();
    let error = with_files::check_named(&backup, &head.envelope.files).unwrap_err();
    assert!(error.to_string().contains("no record names"), "{error}");
}

/// A store that notes the most pieces it hands over in one read.
struct Counting<'a> {
    inner: &'a MemoryChunks,
    most: std::cell::Cell<usize>,
}

impl Counting<'_> {
    fn noted(&self, pieces: Vec<(u32, Vec<u8>)>) -> Vec<(u32, Vec<u8>)> {
        self.most.set(self.most.get().max(pieces.len()));
        pieces
    }
}

impl FileChunks for Counting<'_> {
    async fn put_pieces(
        &self,
        file_id: &str,
        first: u32,
        chunks: Vec<Vec<u8>>,
    ) -> Result<(), crate::store::StoreError> {
        self.inner.put_pieces(file_id, first, chunks).await
    }
    async fn chunks(&self, file_id: &str) -> Result<Vec<(u32, Vec<u8>)>, crate::store::StoreError> {
        Ok(self.noted(self.inner.chunks(file_id).await?))
    }
    async fn some_chunks(
        &self,
        file_id: &str,
        first: u32,
        count: u32,
    ) -> Result<Vec<(u32, Vec<u8>)>, crate::store::StoreError> {
        Ok(self.noted(self.inner.some_chunks(file_id, first, count).await?))
    }
    async fn delete_file(&self, file_id: &str) -> Result<(), crate::store::StoreError> {
        self.inner.delete_file(file_id).await
    }
    async fn file_ids(&self) -> Result<BTreeSet<String>, crate::store::StoreError> {
        self.inner.file_ids().await
    }
}

#[test]
fn making_a_backup_holds_a_few_pieces_of_a_large_file_at_a_time_never_the_whole_file() {
    let mut f = fixture();
    let (amara, large) = (f.amara.clone(), content(CHUNK_BYTES * 10, 9));
    let attached = attach(&mut f, &amara, "Annual review bundle.pdf", large.clone());
    let prepared = f
        .open
        .prepare_backup_with_files(OpensWith::DeskSecrets, Utc::now(), now_local())
        .unwrap();
    let counting = Counting {
        inner: &f.chunks,
        most: std::cell::Cell::new(0),
    };
    let mut parts: Vec<usize> = Vec::new();
    struct Sizes<'a>(&'a mut Vec<usize>, Vec<u8>);
    impl with_files::PartSink for Sizes<'_> {
        fn push(&mut self, part: String) {
            self.0.push(part.len());
            self.1.extend_from_slice(part.as_bytes());
        }
    }
    let mut sink = Sizes(&mut parts, Vec::new());
    block_on(prepared.write(&counting, &mut sink)).unwrap();
    let bytes = std::mem::take(&mut sink.1);
    assert!(
        counting.most.get() <= 4,
        "{} pieces at once",
        counting.most.get()
    );
    // No part larger than four pieces' text (the records' part aside, which comes first).
    assert!(
        parts[1..].iter().all(|&len| len <= 4 * MAX_PIECE_TEXT),
        "{parts:?}"
    );
    // And the file is whole in the backup.
    let (head, backup) = open_file(&bytes).unwrap();
    let chunks = MemoryChunks::new();
    stage(&bytes, &head, &backup, &chunks).unwrap();
    let restored = backup
        .attached_files()
        .find(|a| a.id == attached.id)
        .unwrap();
    assert_eq!(
        block_on(read_attachment(&chunks, restored))
            .unwrap()
            .as_slice(),
        large.as_slice()
    );
}

#[test]
fn a_backup_of_a_desk_whose_piece_is_missing_is_refused_naming_the_file() {
    let f = fixture();
    f.chunks.set(&f.files[0].0.id, 1, None);
    let prepared = f
        .open
        .prepare_backup_with_files(OpensWith::DeskSecrets, Utc::now(), now_local())
        .unwrap();
    let message = block_on(prepared.write(&f.chunks, &mut Vec::new()))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("\u{201c}EP report.pdf\u{201d}"),
        "{message}"
    );
    assert!(
        message.contains("piece 2 of its 3 pieces is not stored"),
        "{message}"
    );
}

#[test]
fn restoring_over_the_desk_brings_the_backups_files_and_merging_adds_missing_ones() {
    let mut f = fixture();
    let (bytes, _) = make(&f);
    let (head, backup) = open_file(&bytes).unwrap();
    // Since the backup: a file attached to Ben.
    let ben = f.ben.clone();
    let later = attach(&mut f, &ben, "Later.pdf", content(5_000, 9));
    // Replace: the desk's records and files are the backup's; the later file goes.
    let have = block_on(f.chunks.file_ids()).unwrap();
    let wanted: BTreeSet<String> = backup
        .attached_files()
        .map(|a| a.id.clone())
        .filter(|id| !have.contains(id))
        .collect();
    assert!(wanted.is_empty(), "this desk has every file already");
    let generation = f.open.generation();
    f.open
        .replace_with_backup(&mut f.store, &backup, generation)
        .unwrap();
    assert!(f
        .open
        .desk
        .file(&ben)
        .unwrap()
        .attachment(&later.id)
        .is_none());
    let named = f.open.desk.attachment_ids();
    assert_eq!(
        block_on(sweep_orphans(&f.chunks, &named, &BTreeSet::new())).unwrap(),
        1,
        "the later file's pieces are swept"
    );

    // Merge into another desk that has none of them: the pupils come with their files,
    // staged first; its own file stays.
    let mut g = fixture();
    g.store = MemoryStore::new();
    g.chunks = MemoryChunks::new();
    g.files.clear();
    g.open = OpenDesk::create(
        &mut g.store,
        Settings::new("Oakfield Primary"),
        PASS,
        KdfParams::for_tests(),
        Utc::now(),
    )
    .unwrap()
    .0;
    let own = g
        .open
        .add_pupil(&mut g.store, pupil("Chloe", "Abbott"), Utc::now())
        .unwrap();
    let kept = attach(&mut g, &own, "Own.pdf", content(3_000, 5));
    let amara = f.amara.clone();
    let plan = MergePlan::make(&g.open.desk, g.open.generation(), &backup);
    let have = block_on(g.chunks.file_ids()).unwrap();
    let wanted: BTreeSet<String> = plan
        .writes
        .iter()
        .flat_map(|w| w.attachments.iter().map(|a| a.id.clone()))
        .filter(|id| !have.contains(id))
        .collect();
    let copied = block_on(copy_files(
        SliceSource::new(&bytes, PART_BYTES),
        &head,
        &backup,
        Some((&g.chunks, &wanted)),
        &RustCheck,
        |_| {},
    ))
    .unwrap();
    assert!(!copied.written.is_empty());
    g.open.merge_backup(&mut g.store, &plan).unwrap();
    assert_eq!(copied.written.len(), 3);
    for (a, original) in &f.files[..2] {
        let listed = g.open.desk.file(&amara).unwrap().attachment(&a.id).unwrap();
        assert_eq!(
            &block_on(read_attachment(&g.chunks, listed)).unwrap()[..],
            &original[..]
        );
    }
    let own_file = g
        .open
        .desk
        .file(&own)
        .unwrap()
        .attachment(&kept.id)
        .unwrap();
    assert!(block_on(read_attachment(&g.chunks, own_file)).is_ok());
}

#[test]
fn staged_pieces_of_an_abandoned_restore_are_swept_at_the_next_unlock() {
    let f = fixture();
    let (bytes, _) = make(&f);
    let (head, backup) = open_file(&bytes).unwrap();
    // A fresh browser: the pieces are staged, then the tab closes before the records.
    let chunks = MemoryChunks::new();
    stage(&bytes, &head, &backup, &chunks).unwrap();
    assert_eq!(block_on(chunks.file_ids()).unwrap().len(), 3);
    // The next desk unlocked here names none of them: the sweep removes them all.
    let swept = block_on(sweep_orphans(&chunks, &BTreeSet::new(), &BTreeSet::new())).unwrap();
    assert_eq!(swept, 3);
    assert!(chunks.all().is_empty());
}

#[test]
fn a_newer_version_is_refused_by_name() {
    let f = fixture();
    let (bytes, _) = make(&f);
    let text = String::from_utf8(bytes)
        .unwrap()
        .replacen("\"version\":2", "\"version\":3", 1);
    let message = refused(text.as_bytes());
    assert!(message.contains("newer version"), "{message}");
}

/// tests/fixtures/backup-v2-files.json: made by 0.7.0 (Fixture Primary, Amara Okafor with
/// "EP report.pdf", 1.5 MiB of `content(.., 1)`), opened by "fixture passphrase 2026". Kept so
/// every later version still restores it.
#[test]
fn the_version_2_fixture_still_opens_and_its_file_restores_the_same() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/backup-v2-files.json"
    ))
    .unwrap();
    let file = BackupFile::read(&bytes).unwrap();
    let BackupFile::WithFiles(head) = &file else {
        panic!("not a backup with files")
    };
    let backup = file
        .open(&file.unlock("fixture passphrase 2026").unwrap())
        .unwrap();
    let attachment = backup.attached_files().next().unwrap().clone();
    assert_eq!(attachment.name, "EP report.pdf");
    let chunks = MemoryChunks::new();
    stage(&bytes, head, &backup, &chunks).unwrap();
    let opened = block_on(read_attachment(&chunks, &attachment)).unwrap();
    assert_eq!(&opened[..], &content(CHUNK_BYTES * 3 / 2, 1)[..]);
}

#[test]
fn a_large_file_that_is_not_a_backup_with_files_is_named_too_large() {
    let spaces = vec![b' '; MAX_BACKUP_BYTES + 1];
    assert_eq!(
        BackupFile::read(&spaces).unwrap_err(),
        BackupError::TooLarge {
            bytes: spaces.len()
        }
    );
    let mut records_only = b"{\"format\":\"senco-desk/backup\",\"version\":1}".to_vec();
    records_only.resize(MAX_BACKUP_BYTES + 1, b' ');
    assert!(matches!(
        BackupFile::read(&records_only).unwrap_err(),
        BackupError::TooLarge { .. }
    ));
}
