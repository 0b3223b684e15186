//! Backups with attached files (version 2): version 1's envelope, listing the files it
//! carries, followed by their sealed pieces as base64 strings in one `"chunks"` array, in
//! the order listed. Written as a sequence of text parts (the browser joins them into a
//! Blob, never one string) and read as a stream ([`super::stream`]), so making, checking or
//! restoring one holds the records and a few pieces, never the whole file.
//!
//! Each piece is exactly as the desk stores it: sealed under its file's own key with
//! associated data naming the file, its place and the count (vault::attachment), so the
//! backup re-seals nothing and a piece moved, dropped, repeated or changed is named. The
//! file keys travel inside the sealed records.

use super::envelope::{Envelope, FileEntry};
use super::error::BackupError;
use super::stream::{Item, StreamReader};
use super::{opening_keys, ValidBackup, FILES_VERSION, MAX_BACKUP_BYTES};
use crate::domain::attachment::{chunk_count, is_file_id, Attachment, MAX_FILE_BYTES};
use crate::domain::Desk;
use crate::store::files::FileChunks;
use crate::vault::attachment::FileError;
use crate::vault::attachment::{check_chunk, open_chunk, piece_place, PieceCheck, RustCheck};
use crate::vault::{Header, Vault};
use chrono::{DateTime, NaiveDateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};

/// The most files one backup may list: far above any school's (1,000 per pupil at most).
const MAX_FILES: usize = 200_000;
/// How many bytes a source hands over at a time.
pub const PART_BYTES: usize = 4 * 1024 * 1024;

/// Where a backup's bytes come from, a part at a time: the chosen file (browser), a file
/// or reader (natively), bytes in memory (tests).
#[allow(async_fn_in_trait)]
pub trait ByteSource {
    /// The next part, `None` at the end.
    async fn read_part(&mut self) -> Result<Option<Vec<u8>>, BackupError>;
}

/// Bytes already in memory, handed over a part at a time.
pub struct SliceSource<'a> {
    bytes: &'a [u8],
    at: usize,
    part: usize,
}

impl<'a> SliceSource<'a> {
    pub fn new(bytes: &'a [u8], part: usize) -> SliceSource<'a> {
        SliceSource {
            bytes,
            at: 0,
            part: part.max(1),
        }
    }
}

impl ByteSource for SliceSource<'_> {
    async fn read_part(&mut self) -> Result<Option<Vec<u8>>, BackupError> {
        if self.at >= self.bytes.len() {
            return Ok(None);
        }
        let end = (self.at + self.part).min(self.bytes.len());
        let part = self.bytes[self.at..end].to_vec();
        self.at = end;
        Ok(Some(part))
    }
}

/// Any reader (a file natively), a part at a time.
#[cfg(not(target_arch = "wasm32"))]
pub struct ReadSource<R> {
    pub reader: R,
    pub part: usize,
}

#[cfg(not(target_arch = "wasm32"))]
impl<R: std::io::Read> ByteSource for ReadSource<R> {
    async fn read_part(&mut self) -> Result<Option<Vec<u8>>, BackupError> {
        let mut part = vec![0u8; self.part.max(1)];
        let mut filled = 0;
        while filled < part.len() {
            match self.reader.read(&mut part[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(BackupError::Damaged(format!("it could not be read: {e}"))),
            }
        }
        part.truncate(filled);
        Ok((filled > 0).then_some(part))
    }
}

/// Where the text of a new backup goes, a part at a time.
pub trait PartSink {
    fn push(&mut self, part: String);
}

impl PartSink for Vec<u8> {
    fn push(&mut self, part: String) {
        self.extend_from_slice(part.as_bytes());
    }
}

/// A backup with files as first read: its envelope, every piece found in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilesHead {
    pub envelope: Envelope,
    /// The short fingerprint of the whole file (see [`super::fingerprint`]).
    pub fingerprint: String,
    /// The file's length in bytes.
    pub bytes: u64,
}

/// A backup's bytes as items, read from a source as needed.
struct Reading<S> {
    source: S,
    reader: StreamReader,
}

impl<S: ByteSource> Reading<S> {
    fn new(source: S) -> Reading<S> {
        Reading {
            source,
            reader: StreamReader::new(),
        }
    }

    /// Reads without taking the file's SHA-256 (about half the work of a reading in
    /// WebAssembly): for a file whose fingerprint is already known.
    fn without_fingerprint(source: S) -> Reading<S> {
        Reading {
            source,
            reader: StreamReader::without_fingerprint(),
        }
    }

    async fn item(&mut self) -> Result<Item, BackupError> {
        loop {
            if let Some(item) = self.reader.next_item()? {
                return Ok(item);
            }
            match self.source.read_part().await? {
                Some(part) => self.reader.feed(&part),
                None => {
                    self.reader.finish()?;
                    return Err(BackupError::Truncated);
                }
            }
        }
    }

    /// The envelope before the pieces, with every check made before a key is derived.
    async fn head(&mut self) -> Result<Envelope, BackupError> {
        // Anything wrong before the pieces begin: not a backup with files at all.
        let first = self.item().await.map_err(|e| match e {
            BackupError::Truncated | BackupError::NotJson | BackupError::Empty => {
                BackupError::NotWithFiles
            }
            BackupError::Damaged(d)
                if d == "its attached files are missing"
                    || d == "a part is longer than any backup holds" =>
            {
                BackupError::NotWithFiles
            }
            other => other,
        })?;
        let Item::Head(members) = first else {
            return Err(BackupError::Damaged("its parts are out of order".into()));
        };
        let envelope: Envelope = serde_json::from_value(serde_json::Value::Object(members))
            .map_err(|_| BackupError::Damaged("a part is missing or has the wrong shape".into()))?;
        if envelope.format != super::BACKUP_FORMAT {
            return Err(BackupError::OtherApp);
        }
        if envelope.version > FILES_VERSION {
            return Err(BackupError::NewerFormat {
                found: envelope.version.to_string(),
            });
        }
        if envelope.version != FILES_VERSION {
            return Err(BackupError::Damaged(
                "it carries attached files but is in the records-only format".into(),
            ));
        }
        if envelope.contents.len() > MAX_BACKUP_BYTES {
            return Err(BackupError::Damaged("its records are too long".into()));
        }
        check_list(&envelope.files)?;
        envelope.check()?;
        Ok(envelope)
    }

    /// The next piece, or `None` after the last, once the file is read to its end.
    async fn piece(&mut self) -> Result<Option<Vec<u8>>, BackupError> {
        match self.item().await? {
            Item::Piece(piece) => Ok(Some(piece)),
            Item::End => {
                // Read to the end: only spaces may follow, and the fingerprint needs it all.
                while let Some(part) = self.source.read_part().await? {
                    self.reader.feed(&part);
                    self.reader.next_item()?;
                }
                self.reader.finish()?;
                Ok(None)
            }
            Item::Head(_) => Err(BackupError::Damaged("its parts are out of order".into())),
        }
    }

    /// Empty when read [`Reading::without_fingerprint`].
    fn fingerprint(&self) -> String {
        self.reader
            .sha256()
            .map(|sha| super::envelope::short_fingerprint(&sha))
            .unwrap_or_default()
    }
}

/// The list of files: ids valid and unique, piece counts possible.
fn check_list(files: &[FileEntry]) -> Result<(), BackupError> {
    if files.is_empty() {
        return Err(BackupError::Damaged(
            "its list of attached files is empty".into(),
        ));
    }
    if files.len() > MAX_FILES {
        return Err(BackupError::Damaged(
            "it lists too many attached files".into(),
        ));
    }
    let mut seen = BTreeSet::new();
    for (n, file) in files.iter().enumerate() {
        if !is_file_id(&file.id)
            || file.chunks == 0
            || file.chunks > chunk_count(MAX_FILE_BYTES)
            || !seen.insert(file.id.as_str())
        {
            return Err(BackupError::Damaged(format!(
                "attached file {} of {} in its list is not valid",
                n + 1,
                files.len()
            )));
        }
    }
    Ok(())
}

/// Follows the pieces against the list: each in its file's place, none missing or extra.
/// Reads only their clear headers; the keys prove them later ([`Keys`]).
struct Places<'a> {
    files: &'a [FileEntry],
    file: usize,
    index: u32,
}

impl<'a> Places<'a> {
    fn new(files: &'a [FileEntry]) -> Places<'a> {
        Places {
            files,
            file: 0,
            index: 0,
        }
    }

    fn name(&self, file: usize) -> String {
        format!("attached file {} of {}", file + 1, self.files.len())
    }

    /// Checks the next piece's place; returns (file number, index).
    fn take(&mut self, piece: &[u8]) -> Result<(usize, u32), BackupError> {
        let damaged = |d: String| Err(BackupError::Damaged(d));
        let Some(entry) = self.files.get(self.file) else {
            return damaged("it holds more pieces than its attached files have".into());
        };
        let (file, index, count) = (self.file, self.index, entry.chunks);
        let Some((id, held, held_count)) = piece_place(piece) else {
            return damaged(format!(
                "piece {} of {count} of {} is not a sealed piece",
                index + 1,
                self.name(file)
            ));
        };
        if id != entry.id {
            let listed = self.files.iter().position(|f| f.id == id);
            return damaged(match listed {
                Some(_) if index > 0 => format!(
                    "{} is cut short: only {index} of its {count} pieces are in the backup",
                    self.name(file)
                ),
                Some(_) => format!(
                    "{} is missing or out of place: none of its pieces is where it belongs",
                    self.name(file)
                ),
                None => format!(
                    "piece {} of {count} of {} is a piece of a file it does not list",
                    index + 1,
                    self.name(file)
                ),
            });
        }
        if held_count != count {
            return damaged(format!(
                "piece {} of {} says the file has {held_count} pieces, not {count}",
                index + 1,
                self.name(file)
            ));
        }
        if held != index {
            return damaged(format!(
                "the pieces of {} are out of order or missing: piece {} of {count} is where piece {} belongs",
                self.name(file),
                held.saturating_add(1),
                index + 1
            ));
        }
        self.index += 1;
        if self.index == count {
            self.file += 1;
            self.index = 0;
        }
        Ok((file, index))
    }

    fn finish(&self) -> Result<(), BackupError> {
        match self.files.get(self.file) {
            None => Ok(()),
            Some(entry) if self.index > 0 => Err(BackupError::Damaged(format!(
                "{} is cut short: only {} of its {} pieces are in the backup",
                self.name(self.file),
                self.index,
                entry.chunks
            ))),
            Some(_) => Err(BackupError::Damaged(format!(
                "it is cut short: {} of its {} attached files are missing, from {} on",
                self.files.len() - self.file,
                self.files.len(),
                self.name(self.file)
            ))),
        }
    }
}

/// Reads a backup with files from bytes in memory: its envelope, every piece in place.
pub fn scan_bytes(bytes: &[u8]) -> Result<FilesHead, BackupError> {
    // A source in memory never waits, so one poll finishes it.
    ready(scan(SliceSource::new(bytes, PART_BYTES)))
        .unwrap_or_else(|| Err(BackupError::Damaged("it could not be read".into())))
}

/// Reads a backup with files from start to end without any key: its envelope passes every
/// check, and every piece is in its file's place. The fingerprint is of the whole file.
pub async fn scan(source: impl ByteSource) -> Result<FilesHead, BackupError> {
    let mut reading = Reading::new(source);
    let envelope = reading.head().await?;
    let mut places = Places::new(&envelope.files);
    while let Some(piece) = reading.piece().await? {
        places.take(&piece)?;
    }
    places.finish()?;
    Ok(FilesHead {
        fingerprint: reading.fingerprint(),
        bytes: reading.reader.bytes_read(),
        envelope,
    })
}

/// The records and the list must name the same files: each listed file named by one
/// record with the same number of pieces, and every file a record names listed.
pub fn check_named(backup: &ValidBackup, files: &[FileEntry]) -> Result<(), BackupError> {
    let listed: BTreeMap<&str, u32> = files.iter().map(|f| (f.id.as_str(), f.chunks)).collect();
    let mut named = BTreeSet::new();
    for attachment in backup.attached_files() {
        match listed.get(attachment.id.as_str()) {
            Some(&chunks) if chunks == attachment.chunks => {}
            Some(_) => {
                return Err(BackupError::InvalidRecord(format!(
                "the attached file \u{201c}{}\u{201d} has a different number of pieces in its list",
                attachment.name
            )))
            }
            None => {
                return Err(BackupError::InvalidRecord(format!(
                    "the attached file \u{201c}{}\u{201d} is named by a record but not carried",
                    attachment.name
                )))
            }
        }
        if !named.insert(attachment.id.as_str()) {
            return Err(BackupError::InvalidRecord(
                "two records name the same attached file".into(),
            ));
        }
    }
    if named.len() != listed.len() {
        return Err(BackupError::InvalidRecord(
            "it carries an attached file that no record names".into(),
        ));
    }
    Ok(())
}

/// Proves each piece with its file's key (from the sealed records) and counts each file's
/// length, naming the file by its name (shown only inside the unlocked app).
struct Keys<'a> {
    files: BTreeMap<&'a str, &'a Attachment>,
    length: usize,
}

impl<'a> Keys<'a> {
    fn new(backup: &'a ValidBackup) -> Keys<'a> {
        Keys {
            files: backup
                .attached_files()
                .map(|a| (a.id.as_str(), a))
                .collect(),
            length: 0,
        }
    }

    /// Proves `piece` is piece `index` of `entry` and opens with its key: with `plain`,
    /// the plain bytes are handed to it; otherwise `check` proves it without keeping them.
    #[allow(clippy::too_many_arguments)]
    async fn check(
        &mut self,
        check: &impl PieceCheck,
        plain: Option<&mut PlainPiece<'_>>,
        entry: &FileEntry,
        number: usize,
        of: usize,
        index: u32,
        piece: &[u8],
    ) -> Result<(), BackupError> {
        let Some(&attachment) = self.files.get(entry.id.as_str()) else {
            return Err(BackupError::InvalidRecord(
                "it carries an attached file that no record names".into(),
            ));
        };
        let name = format!(
            "attached file {} of {of} (\u{201c}{}\u{201d})",
            number + 1,
            attachment.name
        );
        if index == 0 {
            self.length = 0;
        }
        let count = entry.chunks;
        let opened = match plain.is_some() {
            true => open_chunk(&attachment.key, &entry.id, index, count, piece)
                .map(|bytes| (bytes.len(), Some(bytes))),
            false => check_chunk(check, &attachment.key, &entry.id, index, count, piece)
                .await
                .map(|length| (length, None)),
        };
        let (length, bytes) = opened.map_err(|e| {
            BackupError::Damaged(match e {
                FileError::Damaged { .. } => format!(
                    "piece {} of {count} of {name} does not open with its key: the piece or the key was changed",
                    index + 1
                ),
                FileError::OutOfPlace { holds, .. } => format!(
                    "the pieces of {name} are out of order: piece {} is where piece {} belongs",
                    holds + 1,
                    index + 1
                ),
                _ => format!("piece {} of {count} of {name} belongs to another file", index + 1),
            })
        })?;
        self.length += length;
        if self.length > attachment.size || (index + 1 == count && self.length != attachment.size) {
            return Err(BackupError::Damaged(format!(
                "{name} is not the length its record gives"
            )));
        }
        if let (Some(hand_on), Some(bytes)) = (plain, bytes) {
            hand_on(attachment, index, &bytes)?;
        }
        Ok(())
    }
}

/// Where each piece's plain bytes go when a backup's files are written out.
type PlainPiece<'a> = dyn FnMut(&Attachment, u32, &[u8]) -> Result<(), BackupError> + 'a;

/// What reading the pieces with their keys did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Copied {
    /// Files whose pieces were written to the store.
    pub written: Vec<String>,
    /// Bytes of the backup read.
    pub bytes: u64,
    pub fingerprint: String,
}

/// Reads a chosen backup again (it was [`scan`]ned when chosen and `backup` opened from
/// it), proving every piece with its file's key; when `into` is given, writes the pieces of
/// the files in its set to that store, a few pieces per write. On any failure the pieces
/// written are deleted again, so nothing is changed. `progress` hears the bytes read.
pub async fn copy_files<C: FileChunks>(
    source: impl ByteSource,
    chosen: &FilesHead,
    backup: &ValidBackup,
    into: Option<(&C, &BTreeSet<String>)>,
    check: &impl PieceCheck,
    mut progress: impl FnMut(u64),
) -> Result<Copied, BackupError> {
    let mut copied = Copied::default();
    let result = read_pieces(
        source,
        chosen,
        backup,
        into,
        &mut copied,
        &mut progress,
        check,
        None,
    )
    .await;
    if let (Err(_), Some((store, _))) = (&result, into) {
        for id in &copied.written {
            let _ = store.delete_file(id).await;
        }
        copied.written.clear();
    }
    result.map(|()| copied)
}

/// Reads a chosen backup again and hands each piece's plain bytes, proven with its file's
/// key, to `write` (file, index, bytes), in order: `senco-desk-decrypt` writes the files out
/// this way. Stops at the first failure.
pub async fn open_files(
    source: impl ByteSource,
    chosen: &FilesHead,
    backup: &ValidBackup,
    mut write: impl FnMut(&Attachment, u32, &[u8]) -> Result<(), BackupError>,
) -> Result<(), BackupError> {
    read_pieces::<crate::store::files::MemoryChunks>(
        source,
        chosen,
        backup,
        None,
        &mut Copied::default(),
        &mut |_| {},
        &RustCheck,
        Some(&mut write),
    )
    .await
}

/// How many pieces go to the store in one write.
const PIECES_PER_WRITE: usize = 4;

/// Reads the pieces in order, proving each (see [`Keys::check`]) and storing those of the
/// files wanted `into` a store.
#[allow(clippy::too_many_arguments)]
async fn read_pieces<C: FileChunks>(
    source: impl ByteSource,
    chosen: &FilesHead,
    backup: &ValidBackup,
    into: Option<(&C, &BTreeSet<String>)>,
    copied: &mut Copied,
    progress: &mut impl FnMut(u64),
    check: &impl PieceCheck,
    mut plain: Option<&mut PlainPiece<'_>>,
) -> Result<(), BackupError> {
    // A chosen file's fingerprint was taken when it was scanned. Reading it again proves
    // the same: the envelope (records, keys, list) must equal the one scanned, and every
    // piece is checked in its place and opened with its file's key, so a file changed since
    // can bring nothing the desk did not back up. Only a backup just made needs hashing.
    let mut reading = if chosen.fingerprint.is_empty() {
        Reading::new(source)
    } else {
        Reading::without_fingerprint(source)
    };
    if reading.head().await? != chosen.envelope {
        return Err(BackupError::Damaged(
            "the file changed after it was chosen".into(),
        ));
    }
    let files = &chosen.envelope.files;
    let mut places = Places::new(files);
    let mut keys = Keys::new(backup);
    let mut batch: Vec<Vec<u8>> = Vec::new();
    let mut first = 0u32;
    // One write at a time is left to finish while the next pieces are read and proven, so
    // the disk and the reading overlap. Should the reading fail meanwhile, that write still
    // commits or aborts on its own, and [`copy_files`] removes its file in a later
    // transaction on the same store, which the browser runs after it.
    let mut writing = None;
    while let Some(piece) = reading.piece().await? {
        let (number, index) = places.take(&piece)?;
        let entry = &files[number];
        keys.check(
            check,
            plain.as_deref_mut(),
            entry,
            number,
            files.len(),
            index,
            &piece,
        )
        .await?;
        progress(reading.reader.bytes_read());
        let Some((store, wanted)) = into else {
            continue;
        };
        if !wanted.contains(&entry.id) {
            continue;
        }
        if batch.is_empty() {
            first = index;
        }
        batch.push(piece);
        let last = index + 1 == entry.chunks;
        if batch.len() == PIECES_PER_WRITE || last {
            if first == 0 {
                copied.written.push(entry.id.clone());
            }
            if let Some(previous) = writing.take() {
                stored(previous).await?;
            }
            let mut write =
                Box::pin(store.put_pieces(&entry.id, first, std::mem::take(&mut batch)));
            // Polled once now: its transaction is opened and its pieces placed.
            match poll_once(write.as_mut()) {
                Some(done) => done.map_err(|e| BackupError::Storage(e.to_string()))?,
                None => writing = Some(write),
            }
        }
    }
    if let Some(last) = writing.take() {
        stored(last).await?;
    }
    places.finish()?;
    copied.bytes = reading.reader.bytes_read();
    if copied.bytes != chosen.bytes && !chosen.fingerprint.is_empty() {
        return Err(BackupError::Damaged(
            "the file changed after it was chosen".into(),
        ));
    }
    copied.fingerprint = if chosen.fingerprint.is_empty() {
        reading.fingerprint()
    } else {
        chosen.fingerprint.clone()
    };
    Ok(())
}

/// A backup with files being made: its envelope sealed, the records it holds, and the key
/// that opens it (to check what was written without deriving the key again).
pub struct Prepared {
    pub envelope: Envelope,
    records: ValidBackup,
    vault: Vault,
    pub file_name: String,
    pub made: DateTime<Utc>,
    pub separate_passphrase: bool,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Prepared(..)")
    }
}

/// Seals the records (with every file's details and key) and lists the files. Refused
/// when a record does not open, or the desk has no attached files (a records-only backup
/// then holds everything).
pub fn prepare(
    desk: &Desk,
    header: &Header,
    vault: &Vault,
    opens_with: super::OpensWith,
    now: DateTime<Utc>,
    local_now: NaiveDateTime,
) -> Result<Prepared, BackupError> {
    if let Some(names) = super::unreadable(desk) {
        return Err(BackupError::Unreadable { names });
    }
    let separate = !matches!(opens_with, super::OpensWith::DeskSecrets);
    let (header, vault) = opening_keys(header, vault, opens_with, now)?;
    let records = ValidBackup::from_desk_with_files(desk);
    let files: Vec<FileEntry> = records
        .attached_files()
        .map(|a| FileEntry {
            id: a.id.clone(),
            chunks: a.chunks,
        })
        .collect();
    if files.is_empty() {
        return Err(BackupError::CheckFailed(
            "the desk has no attached files to include".into(),
        ));
    }
    let envelope = Envelope::seal_with_files(&header, &vault, now, &records.to_json(), files);
    Ok(Prepared {
        envelope,
        records,
        vault,
        file_name: super::file_name(&desk.settings.school_name, local_now),
        made: now,
        separate_passphrase: separate,
    })
}

impl Prepared {
    /// Writes the backup's text to `sink`: the envelope, then each file's pieces as the
    /// store holds them, one file at a time. A file whose pieces are not all stored stops
    /// the backup, naming it.
    pub async fn write(
        &self,
        chunks: &impl FileChunks,
        sink: &mut impl PartSink,
    ) -> Result<(), BackupError> {
        let head = self.envelope.to_json();
        let open = head
            .strip_suffix('}')
            .expect("an envelope is a JSON object");
        sink.push(format!("{open},\"chunks\":["));
        let names: BTreeMap<&str, &Attachment> = self
            .records
            .attached_files()
            .map(|a| (a.id.as_str(), a))
            .collect();
        let mut first = true;
        for entry in &self.envelope.files {
            let unreadable = |detail: String| {
                let name = names.get(entry.id.as_str()).map_or("", |a| a.name.as_str());
                BackupError::FileUnreadable {
                    name: name.to_string(),
                    detail,
                }
            };
            // A few pieces at a time: making a backup never holds a whole file.
            let mut first_piece = 0;
            while first_piece < entry.chunks {
                let count = PIECES_PER_WRITE.min((entry.chunks - first_piece) as usize) as u32;
                let pieces = chunks
                    .some_chunks(&entry.id, first_piece, count)
                    .await
                    .map_err(|e| unreadable(e.to_string()))?;
                // Exactly the pieces asked for, in order: anything else is not written.
                let missing = (first_piece..first_piece + count)
                    .enumerate()
                    .find(|&(at, index)| pieces.get(at).map(|(i, _)| *i) != Some(index))
                    .map(|(_, index)| index);
                if let Some(missing) = missing
                    .or_else(|| (pieces.len() != count as usize).then_some(first_piece + count - 1))
                {
                    return Err(unreadable(format!(
                        "piece {} of its {} pieces is not stored",
                        missing + 1,
                        entry.chunks
                    )));
                }
                let mut part = String::with_capacity(pieces.len() * (PART_BYTES / 3));
                for (_, piece) in &pieces {
                    part.push_str(if first { "\n\"" } else { ",\n\"" });
                    part.push_str(&crate::vault::b64::encode(piece));
                    part.push('"');
                    first = false;
                }
                sink.push(part);
                first_piece += count;
            }
        }
        sink.push("\n]}\n".into());
        Ok(())
    }

    /// What the list of backups notes.
    pub fn made(&self, fingerprint: String, bytes: u64) -> super::MadeBackup {
        super::MadeBackup {
            file_name: self.file_name.clone(),
            text: String::new(),
            size: usize::try_from(bytes).unwrap_or(usize::MAX),
            made: self.made,
            fingerprint,
            separate_passphrase: self.separate_passphrase,
        }
    }
}

/// Makes a backup with files into `sink` and reads it back from `read_back` (the same
/// bytes), so a backup that reports success is known to open. Natively and in tests; the
/// browser runs the same steps around a Blob.
pub async fn make<S: ByteSource>(
    prepared: &Prepared,
    chunks: &impl FileChunks,
    sink: &mut impl PartSink,
    read_back: impl Fn() -> S,
) -> Result<super::MadeBackup, BackupError> {
    prepared.write(chunks, sink).await?;
    make_checked(prepared, read_back, &RustCheck).await
}

/// The check after writing, in one reading of the bytes written (from `read_back`): the
/// envelope read back is the one sealed, its records open with the key and are the desk's,
/// every piece is in its place and opens with its file's key. Returns what the list of
/// backups notes, with the fingerprint of the bytes read.
pub async fn make_checked<S: ByteSource>(
    prepared: &Prepared,
    read_back: impl Fn() -> S,
    check: &impl PieceCheck,
) -> Result<super::MadeBackup, BackupError> {
    let failed = |e: BackupError| BackupError::CheckFailed(e.to_string());
    // The envelope read back must equal this one (checked as it is read), so its records
    // are opened from here.
    let opened = ValidBackup::from_json(&prepared.envelope.open(&prepared.vault).map_err(failed)?)
        .map_err(failed)?;
    check_named(&opened, &prepared.envelope.files).map_err(failed)?;
    if opened.files != prepared.records.files || opened.settings != prepared.records.settings {
        return Err(BackupError::CheckFailed(
            "its records differ from the desk's".into(),
        ));
    }
    let head = FilesHead {
        envelope: prepared.envelope.clone(),
        fingerprint: String::new(),
        bytes: 0,
    };
    let mut copied = Copied::default();
    read_pieces::<crate::store::files::MemoryChunks>(
        read_back(),
        &head,
        &opened,
        None,
        &mut copied,
        &mut |_| {},
        check,
        None,
    )
    .await
    .map_err(failed)?;
    Ok(prepared.made(copied.fingerprint, copied.bytes))
}

/// Polls a future once: enough for a source in memory, which never waits.
pub fn ready<F: std::future::Future>(future: F) -> Option<F::Output> {
    poll_once(std::pin::pin!(future))
}

/// Polls a future once with no waker, to start it; one still pending is polled again (with
/// a waker) when it is awaited later.
fn poll_once<F: std::future::Future + ?Sized>(future: std::pin::Pin<&mut F>) -> Option<F::Output> {
    use std::task::{Context, Poll, Waker};
    match future.poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

/// Waits for a write of pieces begun earlier.
async fn stored(
    write: impl std::future::Future<Output = Result<(), crate::store::StoreError>>,
) -> Result<(), BackupError> {
    write.await.map_err(|e| BackupError::Storage(e.to_string()))
}
