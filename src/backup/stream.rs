//! Reading a backup with attached files as a stream: the bytes arrive a part at a time (a
//! `File.slice()` in the browser, a reader natively) and come out as the envelope's members
//! and then one sealed piece at a time, so the reader never holds more than one member or
//! one piece beyond the part being read. It is a JSON reader for one shape only: an object
//! whose last member is `"chunks"`, an array of base64 strings (docs/FORMAT.md); any other
//! JSON spacing is accepted.

use super::error::BackupError;
use super::MAX_BACKUP_BYTES;
use crate::domain::attachment::CHUNK_BYTES;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// The longest piece member: a 1 MiB piece with its header, nonce and tag in base64, its
/// quotes, and room for spacing.
pub const MAX_PIECE_TEXT: usize = (CHUNK_BYTES + 1024) / 3 * 4 + 64;

/// What the reader found next.
#[derive(Debug)]
pub enum Item {
    /// Every member before `"chunks"`, parsed.
    Head(Map<String, Value>),
    /// One sealed piece, decoded from base64.
    Piece(Vec<u8>),
    /// The closing `]}`: nothing but spaces may follow.
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    Members { first: bool },
    ChunksOpen,
    Pieces { first: bool },
    Close,
    Done,
}

/// A push reader: [`StreamReader::feed`] bytes, then take [`StreamReader::next`] items
/// until it answers `None` (more bytes needed).
pub struct StreamReader {
    buffer: Vec<u8>,
    at: usize,
    state: State,
    head: Map<String, Value>,
    /// None when no fingerprint is wanted (a restore proves every piece with its key).
    digest: Option<Sha256>,
    read: u64,
    /// The most bytes the buffer has held at once (the streaming bound, tested).
    largest: usize,
}

impl Default for StreamReader {
    fn default() -> Self {
        StreamReader::new()
    }
}

impl StreamReader {
    pub fn new() -> StreamReader {
        StreamReader {
            buffer: Vec::new(),
            at: 0,
            state: State::Start,
            head: Map::new(),
            digest: Some(Sha256::new()),
            read: 0,
            largest: 0,
        }
    }

    /// A reader that takes no SHA-256 of what it reads: [`StreamReader::sha256`] is then
    /// `None`.
    pub fn without_fingerprint() -> StreamReader {
        StreamReader {
            digest: None,
            ..StreamReader::new()
        }
    }

    /// Adds the next bytes of the file.
    pub fn feed(&mut self, bytes: &[u8]) {
        if let Some(digest) = &mut self.digest {
            digest.update(bytes);
        }
        self.read += bytes.len() as u64;
        // What was used is dropped first, so the buffer holds only what is unread.
        if self.at > 0 {
            self.buffer.drain(..self.at);
            self.at = 0;
        }
        self.buffer.extend_from_slice(bytes);
        self.largest = self.largest.max(self.buffer.len());
    }

    /// Bytes fed so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    pub fn largest_buffer(&self) -> usize {
        self.largest
    }

    /// The SHA-256 of every byte fed (the file's, once it is all fed).
    pub fn sha256(&self) -> Option<[u8; 32]> {
        self.digest.clone().map(|d| d.finalize().into())
    }

    /// The next item, `None` if more bytes are needed first.
    pub fn next_item(&mut self) -> Result<Option<Item>, BackupError> {
        loop {
            let rest = &self.buffer[self.at..];
            match self.state {
                State::Start => {
                    let skip = if self.read < 3 && b"\xef\xbb\xbf".starts_with(rest) {
                        return Ok(None);
                    } else if rest.starts_with(b"\xef\xbb\xbf") && self.at == 0 {
                        3
                    } else {
                        0
                    };
                    let Some(at) = skip_space(rest, skip) else {
                        return Ok(None);
                    };
                    if rest[at] != b'{' {
                        return Err(BackupError::NotJson);
                    }
                    self.at += at + 1;
                    self.state = State::Members { first: true };
                }
                State::Members { first } => {
                    let Some(mut at) = skip_space(rest, 0) else {
                        return self.need(MAX_BACKUP_BYTES);
                    };
                    if rest[at] == b'}' {
                        // The object ended with no pieces: not this format.
                        return Err(damaged("its attached files are missing"));
                    }
                    if !first {
                        if rest[at] != b',' {
                            return Err(not_json());
                        }
                        let Some(next) = skip_space(rest, at + 1) else {
                            return self.need(MAX_BACKUP_BYTES);
                        };
                        at = next;
                    }
                    let Some(key_end) = value_end(rest, at)? else {
                        return self.need(MAX_BACKUP_BYTES);
                    };
                    let key: String =
                        serde_json::from_slice(&rest[at..key_end]).map_err(|_| not_json())?;
                    let Some(colon) = skip_space(rest, key_end) else {
                        return self.need(MAX_BACKUP_BYTES);
                    };
                    if rest[colon] != b':' {
                        return Err(not_json());
                    }
                    if key == "chunks" {
                        self.at += colon + 1;
                        self.state = State::ChunksOpen;
                        return Ok(Some(Item::Head(std::mem::take(&mut self.head))));
                    }
                    let Some(start) = skip_space(rest, colon + 1) else {
                        return self.need(MAX_BACKUP_BYTES);
                    };
                    let Some(end) = value_end(rest, start)? else {
                        return self.need(MAX_BACKUP_BYTES);
                    };
                    let value: Value =
                        serde_json::from_slice(&rest[start..end]).map_err(|_| not_json())?;
                    if self.head.insert(key, value).is_some() {
                        return Err(damaged("a part appears twice"));
                    }
                    self.at += end;
                    self.state = State::Members { first: false };
                }
                State::ChunksOpen => {
                    let Some(at) = skip_space(rest, 0) else {
                        return Ok(None);
                    };
                    if rest[at] != b'[' {
                        return Err(damaged("its attached files are not a list"));
                    }
                    self.at += at + 1;
                    self.state = State::Pieces { first: true };
                }
                State::Pieces { first } => {
                    let Some(mut at) = skip_space(rest, 0) else {
                        return self.need(MAX_PIECE_TEXT);
                    };
                    if rest[at] == b']' {
                        self.at += at + 1;
                        self.state = State::Close;
                        continue;
                    }
                    if !first {
                        if rest[at] != b',' {
                            return Err(not_json());
                        }
                        let Some(next) = skip_space(rest, at + 1) else {
                            return self.need(MAX_PIECE_TEXT);
                        };
                        at = next;
                    }
                    if rest[at] != b'"' {
                        return Err(damaged("a piece of an attached file is not text"));
                    }
                    // The app writes base64 with no escapes: such a piece is decoded from its
                    // bytes as they are (no copy as text); anything else is read as JSON.
                    let close = rest[at + 1..]
                        .iter()
                        .position(|&b| b == b'"' || b == b'\\')
                        .map(|i| at + 1 + i);
                    let (end, text) = match close {
                        Some(close) if rest[close] == b'"' => {
                            (close + 1, Cow::Borrowed(&rest[at + 1..close]))
                        }
                        // Its end not read yet.
                        None => return self.need(MAX_PIECE_TEXT),
                        // An escape: JSON text.
                        Some(_) => {
                            let Some(end) = value_end(rest, at)? else {
                                return self.need(MAX_PIECE_TEXT);
                            };
                            if end - at > MAX_PIECE_TEXT {
                                return Err(damaged("a piece of an attached file is too long"));
                            }
                            let text: String =
                                serde_json::from_slice(&rest[at..end]).map_err(|_| not_json())?;
                            (end, Cow::Owned(text.into_bytes()))
                        }
                    };
                    if end - at > MAX_PIECE_TEXT {
                        return Err(damaged("a piece of an attached file is too long"));
                    }
                    let piece = crate::vault::b64::decode_bytes(&text)
                        .map_err(|_| damaged("a piece of an attached file is not readable"))?;
                    self.at += end;
                    self.state = State::Pieces { first: false };
                    return Ok(Some(Item::Piece(piece)));
                }
                State::Close => {
                    let Some(at) = skip_space(rest, 0) else {
                        return Ok(None);
                    };
                    if rest[at] != b'}' {
                        return Err(damaged(
                            "something follows its attached files, where the file should end",
                        ));
                    }
                    self.at += at + 1;
                    self.state = State::Done;
                    return Ok(Some(Item::End));
                }
                State::Done => {
                    return match skip_space(rest, 0) {
                        None => {
                            self.at = self.buffer.len();
                            Ok(None)
                        }
                        Some(_) => Err(damaged("something follows the end of the backup")),
                    };
                }
            }
        }
    }

    /// At the end of the file: an error unless the whole document was read.
    pub fn finish(&mut self) -> Result<(), BackupError> {
        match self.next_item()? {
            None if self.state == State::Done => Ok(()),
            _ => Err(BackupError::Truncated),
        }
    }

    /// More bytes are needed; refused once the unread part is longer than any part can be.
    fn need(&self, limit: usize) -> Result<Option<Item>, BackupError> {
        if self.buffer.len() - self.at > limit {
            return Err(damaged("a part is longer than any backup holds"));
        }
        Ok(None)
    }
}

fn damaged(detail: &str) -> BackupError {
    BackupError::Damaged(detail.into())
}

fn not_json() -> BackupError {
    BackupError::Damaged("it is no longer valid JSON".into())
}

/// The first byte at or after `from` that is not JSON white space; None if all the rest is.
fn skip_space(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len()).find(|&i| !matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r'))
}

/// Where the JSON value starting at `start` ends (one past its last byte); None if the
/// bytes so far end inside it. A number or word at the very end is taken as incomplete.
fn value_end(bytes: &[u8], start: usize) -> Result<Option<usize>, BackupError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
                if depth == 0 {
                    return Ok(Some(i + 1));
                }
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    // A scalar ended by its container.
                    return Ok((i > start).then_some(i));
                }
                depth -= 1;
                if depth == 0 {
                    return Ok(Some(i + 1));
                }
            }
            b',' | b' ' | b'\t' | b'\n' | b'\r' if depth == 0 => {
                return if i > start {
                    Ok(Some(i))
                } else {
                    Err(not_json())
                };
            }
            _ => {}
        }
    }
    Ok(None)
}
